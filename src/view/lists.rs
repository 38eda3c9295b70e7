//! The highlights list (`H`) and the tag browser (`T`): full-screen lists of
//! passages, each shown as where it is, its quote, and its tags and note.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, fit, pad};
use crate::annotation::{Color, Highlight};
use crate::app::help::hint::KeyHint;
use crate::app::shelf::ListCursor;
use crate::app::{Action, App, ListedHighlight, Mode};

pub fn draw_highlights(frame: &mut Frame<'_>, app: &App, cursor: ListCursor, theme: &Theme) {
    let area = frame.area();
    let width = usize::from(area.width);
    let listed = app.listed_highlights();
    let title = match app
        .reader
        .as_ref()
        .and_then(|r| app.library.articles.get(r.article))
    {
        Some(article) => format!(" Highlights · {} ", article.meta.title),
        None => " Highlights ".to_string(),
    };
    let mut lines = Vec::new();
    for (row, item) in listed.iter().enumerate().skip(cursor.offset) {
        let Some(h) = app.annotations.get(&item.id) else {
            continue;
        };
        let selected = row == cursor.selected;
        let quote = if item.start.is_none() {
            format!("⚠ orphaned: {}", h.anchor.quote.exact)
        } else if item.review {
            format!("≈ needs review: {}", h.anchor.quote.exact)
        } else {
            h.anchor.quote.exact.clone()
        };
        lines.push(quote_line(&quote, h.color, selected, width, theme));
        let second = orphan_candidate(app, &item.id).or_else(|| review_line(app, item));
        match second {
            Some(line) => lines.push(Line::styled(fit(&line, width), theme.warning)),
            None => lines.push(details_line(h, width, theme)),
        }
        lines.push(Line::raw(""));
    }
    let mut footer = KeyHint::new(&app.keymap, Mode::Highlights)
        .key(Action::Open, "go")
        .key(Action::Tag, "tag")
        .key(Action::Note, "note")
        .key(Action::DeleteHighlight, "delete")
        .key(Action::Reattach, "re-attach an orphan");
    // Accepting is offered while a highlight waits for review.
    if listed.iter().any(|item| item.review) {
        footer = footer.key(Action::AcceptPlacement, "accept");
    }
    let footer = footer
        .key(Action::Undo, "undo")
        .key(Action::Back, "close")
        .footer();
    let empty = listed.is_empty().then(|| {
        KeyHint::new(&app.keymap, Mode::Reader)
            .key(
                Action::Highlight,
                "highlights the sentence under the cursor",
            )
            .explaining(" No highlights yet")
            + "."
    });
    draw_page(frame, area, &title, lines, &footer, empty.as_deref(), theme);
}

pub fn draw_tags(
    frame: &mut Frame<'_>,
    app: &App,
    tags: ListCursor,
    open: Option<&(String, ListCursor)>,
    theme: &Theme,
) {
    let area = frame.area();
    let width = usize::from(area.width);
    let index = app.tag_index();
    let Some((name, cursor)) = open else {
        let lines = index
            .iter()
            .enumerate()
            .skip(tags.offset)
            .map(|(row, (name, passages))| {
                let text = pad(&format!("  #{name}  ({})", passages.len()), width);
                Line::styled(
                    text,
                    if row == tags.selected {
                        theme.selected
                    } else {
                        theme.body
                    },
                )
            })
            .collect();
        let empty = index.is_empty().then(|| {
            KeyHint::new(&app.keymap, Mode::Reader)
                .key(Action::Tag, "tags the highlight under the cursor")
                .explaining(" No tags yet")
                + "."
        });
        let footer = KeyHint::new(&app.keymap, Mode::Tags)
            .key(Action::Open, "passages")
            .key(Action::Back, "close")
            .footer();
        return draw_page(
            frame,
            area,
            " Tags ",
            lines,
            &footer,
            empty.as_deref(),
            theme,
        );
    };
    let passages = index
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, p)| p.as_slice())
        .unwrap_or_default();
    let mut lines = Vec::new();
    for (row, h) in passages.iter().enumerate().skip(cursor.offset) {
        let selected = row == cursor.selected;
        let place = match app.library.by_id(&h.article) {
            Some(article) => {
                let section = crate::annotation::block_at(article, h.latest_position().start)
                    .and_then(|b| article.section_of(b))
                    .map(|s| format!(" · §{} {}", s + 1, article.sections[s].title))
                    .unwrap_or_default();
                format!(
                    "{}{section}",
                    fit(&article.meta.title, (width * 2 / 5).max(12))
                )
            }
            None => format!("{} (not in the library)", h.article),
        };
        let style = if selected {
            theme.selected
        } else {
            theme.title_bar
        };
        lines.push(Line::styled(pad(&format!(" {place}"), width), style));
        lines.push(quote_line(
            &h.anchor.quote.exact,
            h.color,
            false,
            width,
            theme,
        ));
        lines.push(details_line(h, width, theme));
    }
    let footer = KeyHint::new(&app.keymap, Mode::TagPassages)
        .key(Action::Open, "open")
        .key(Action::Back, "back to tags")
        .key(Action::ShowTags, "close")
        .footer();
    draw_page(
        frame,
        area,
        &format!(" #{name} "),
        lines,
        &footer,
        None,
        theme,
    );
}

/// For a highlight placed by similarity: the passage it lights now, which
/// differs from the quote the person chose, and the key that accepts it.
fn review_line(app: &App, item: &ListedHighlight) -> Option<String> {
    if !item.review {
        return None;
    }
    let reader = app.reader.as_ref()?;
    let placed = reader.marks.placed.iter().find(|p| p.id == item.id)?;
    let text = reader
        .plain
        .get(placed.range.clone())
        .unwrap_or("")
        .replace("\n\n", " ");
    let keys = KeyHint::new(&app.keymap, Mode::Highlights)
        .key(Action::AcceptPlacement, "accepts")
        .join(", ");
    Some(format!("   now ({keys}): {text}"))
}

/// For an orphan: the closest passage found, to re-attach it to with `r`.
fn orphan_candidate(app: &App, id: &str) -> Option<String> {
    let reader = app.reader.as_ref()?;
    let orphan = reader.marks.orphans.iter().find(|o| o.id == id)?;
    Some(match &orphan.best {
        Some((range, score)) => {
            let text = reader
                .plain
                .get(range.clone())
                .unwrap_or("")
                .replace("\n\n", " ");
            format!("   closest now ({:.0}%): {text}", score * 100.0)
        }
        None => KeyHint::new(&app.keymap, Mode::Highlights)
            .key(Action::DeleteHighlight, "deletes it")
            .explaining("   nothing like it is left in the article"),
    })
}

/// A quote in a list: a swatch of its highlight colour (its name, when the
/// theme shows no colour), then the text.
fn quote_line(
    quote: &str,
    color: Color,
    selected: bool,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let swatch = if theme.names_colors {
        Span::styled(format!("[{}]", color.name()), theme.highlight(color))
    } else {
        Span::styled("▌", theme.swatch(color))
    };
    let room = width.saturating_sub(1 + crate::text::display_width(&swatch.content));
    let text = fit(&format!(" {quote}"), room);
    let style = if selected { theme.selected } else { theme.body };
    Line::from(vec![Span::raw(" "), swatch, Span::styled(text, style)])
}

fn details_line(h: &Highlight, width: usize, theme: &Theme) -> Line<'static> {
    let tags: Vec<String> = h.tags.iter().map(|t| format!("#{t}")).collect();
    let mut text = format!("   {}", tags.join(" "));
    if let Some(first) = h.note.lines().find(|l| !l.trim().is_empty()) {
        let _ = write!(text, "  ✎ {first}");
    }
    Line::styled(fit(&text, width), theme.dim)
}

fn draw_page(
    frame: &mut Frame<'_>,
    area: Rect,
    title: &str,
    lines: Vec<Line<'_>>,
    footer: &str,
    empty: Option<&str>,
    theme: &Theme,
) {
    let width = usize::from(area.width);
    frame.render_widget(
        Paragraph::new(Span::styled(fit(title, width), theme.title_bar)),
        Rect { height: 1, ..area },
    );
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    };
    match empty {
        Some(message) => frame.render_widget(
            Paragraph::new(Span::styled(fit(message, width), theme.dim)),
            body,
        ),
        None => frame.render_widget(Paragraph::new(lines), body),
    }
    let bottom = Rect {
        y: area.bottom().saturating_sub(1),
        height: 1,
        ..area
    };
    frame.render_widget(
        Paragraph::new(Span::styled(fit(footer, width), theme.dim)),
        bottom,
    );
}
