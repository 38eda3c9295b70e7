//! The library screen: the list of articles with date, reading time, sections
//! and progress, the filter line and the warnings count.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, fit, pad};
use crate::app::help::hint::KeyHint;
use crate::app::help::library_hint;
use crate::app::shelf::{LIST_BOTTOM, LIST_TOP, PASSAGE_ROWS};
use crate::app::{Action, App, Mode};
use crate::library::Article;
use crate::text::display_width;
use unicode_segmentation::UnicodeSegmentation;

const DATE_W: usize = 10;
const TIME_W: usize = 7;
const SECTIONS_W: usize = 4;
const PROGRESS_W: usize = 5;
const HIGHLIGHTS_W: usize = 4;
/// Narrower than this, only the title and progress are shown.
const FULL_COLUMNS_MIN: usize = 56;

pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme) {
    let area = frame.area();
    let width = usize::from(area.width);
    let title_bar = Rect { height: 1, ..area };
    let search = &app.shelf.search;
    let count = search.articles.len();
    let total = app.library.articles.len();
    let mut counts = if count == total {
        format!("{total} articles")
    } else {
        format!("{count} of {total} articles")
    };
    if search.is_full_text() {
        let n = search.passages.len();
        let plural = if n == 1 { "" } else { "s" };
        let toggle = in_brackets(results_key(app));
        let _ = write!(counts, " · {n} passage{plural}{toggle}");
    }
    let bar = Line::from(vec![
        Span::styled(" gloss ", theme.title_bar),
        Span::styled(format!("· {counts}"), theme.dim),
    ]);
    frame.render_widget(Paragraph::new(bar), title_bar);

    let headings = Rect {
        y: area.y + 1,
        height: 1,
        ..area
    };
    let heading = if app.shelf.passages_view {
        pad(" Passages matching the filter", width)
    } else {
        row_text(width, ["Title", "Date", "Time", "§", "Hl", "Read"])
    };
    frame.render_widget(
        Paragraph::new(Span::styled(heading, theme.column_heading)),
        headings,
    );

    let list = Rect {
        y: area.y + LIST_TOP,
        height: area.height.saturating_sub(LIST_TOP + LIST_BOTTOM),
        ..area
    };
    let rows = if app.shelf.passages_view {
        passage_rows(app, list, theme)
    } else {
        article_rows(app, list, theme)
    };
    if rows.is_empty() {
        let message = if app.library.articles.is_empty() {
            "  No articles."
        } else {
            "  No article matches the filter."
        };
        frame.render_widget(Paragraph::new(Span::styled(message, theme.dim)), list);
    } else {
        frame.render_widget(Paragraph::new(rows), list);
    }

    let footer = Rect {
        y: area.bottom().saturating_sub(1),
        height: 1,
        ..area
    };
    frame.render_widget(Paragraph::new(footer_line(app, width, theme)), footer);
}

/// The key that switches between articles and matching passages (`Tab`), in
/// the mode the library is in now; empty when it has none.
fn results_key(app: &App) -> String {
    let mode = if app.filtering {
        Mode::LibraryFilter
    } else {
        Mode::Library
    };
    KeyHint::new(&app.keymap, mode)
        .key(Action::ToggleResults, "")
        .keys_alone("")
}

/// ` (Tab)` after a status item, or nothing when the hint is empty because
/// the key is unbound.
fn in_brackets(hint: String) -> String {
    if hint.is_empty() {
        hint
    } else {
        format!(" ({hint})")
    }
}

fn article_rows<'a>(app: &'a App, list: Rect, theme: &Theme) -> Vec<Line<'a>> {
    let width = usize::from(list.width);
    let cursor = app.shelf.articles;
    app.shelf
        .visible()
        .iter()
        .enumerate()
        .skip(cursor.offset)
        .take(usize::from(list.height))
        .map(|(row, &index)| {
            let text = article_row(app, &app.library.articles[index], width);
            let style = if row == cursor.selected {
                theme.selected
            } else {
                theme.body
            };
            Line::styled(text, style)
        })
        .collect()
}

/// Two lines per passage: where it is, then the text around its first match.
fn passage_rows<'a>(app: &'a App, list: Rect, theme: &Theme) -> Vec<Line<'a>> {
    let width = usize::from(list.width);
    let cursor = app.shelf.passages;
    let search = &app.shelf.search;
    let mut lines = Vec::new();
    for (row, hit) in search
        .passages
        .iter()
        .enumerate()
        .skip(cursor.offset)
        .take(usize::from(list.height) / PASSAGE_ROWS)
    {
        let article = &app.library.articles[hit.article];
        let section = article
            .section_of(hit.block)
            .map(|s| format!(" · §{} {}", s + 1, article.sections[s].title));
        let title = fit(&article.meta.title, (width * 2 / 5).max(12));
        let place = format!(" {title}{}", section.unwrap_or_default());
        let selected = row == cursor.selected;
        let place_style = if selected {
            theme.selected
        } else {
            theme.title_bar
        };
        lines.push(Line::styled(pad(&place, width), place_style));
        let text = &article.blocks[hit.block].text;
        let first = search.query.find(text).into_iter().next().unwrap_or(0..0);
        lines.push(snippet(text, first, width, theme));
    }
    lines
}

/// The passage text around `lit`, one line wide, with the match lit.
fn snippet(text: &str, lit: std::ops::Range<usize>, width: usize, theme: &Theme) -> Line<'static> {
    let room = width.saturating_sub(4);
    let lead = room / 3;
    let mut start = lit.start;
    let mut used = 0;
    for (i, grapheme) in text[..lit.start].grapheme_indices(true).rev() {
        used += display_width(grapheme);
        if used > lead {
            break;
        }
        start = i;
    }
    let mut spans = vec![Span::raw("   ")];
    if start > 0 {
        spans.push(Span::styled("…", theme.dim));
    }
    let before = &text[start..lit.start];
    let matched = &text[lit.clone()];
    let after = &text[lit.end..];
    let mut left = room.saturating_sub(usize::from(start > 0));
    for (piece, style) in [
        (before, theme.body),
        (matched, theme.keyword_match),
        (after, theme.body),
    ] {
        let shown = fit(piece, left);
        left = left.saturating_sub(display_width(&shown));
        spans.push(Span::styled(shown, style));
    }
    Line::from(spans)
}

fn article_row(app: &App, article: &Article, width: usize) -> String {
    let date = article.meta.date.as_deref().unwrap_or("");
    let time = format!("{} min", article.reading_minutes());
    let sections = article.sections.len().to_string();
    let progress = match app.positions.get(&article.meta.id) {
        Some(p) => format!("{}%", article.percent_at(p.block, p.sentence)),
        None => "–".to_string(),
    };
    let highlights = match app.annotation_index.counts.get(&article.meta.id) {
        Some(n) => n.to_string(),
        None => "–".to_string(),
    };
    row_text(
        width,
        [
            &article.meta.title,
            date,
            &time,
            &sections,
            &highlights,
            &progress,
        ],
    )
}

/// One row laid out in columns for a screen `width` cells wide: title, date,
/// reading time, sections, highlights, progress.
fn row_text(
    width: usize,
    [title, date, time, sections, highlights, progress]: [&str; 6],
) -> String {
    if width < FULL_COLUMNS_MIN {
        let title_w = width.saturating_sub(PROGRESS_W + 2);
        return format!(" {}{}", pad(title, title_w), right(progress, PROGRESS_W));
    }
    let fixed = DATE_W + TIME_W + SECTIONS_W + HIGHLIGHTS_W + PROGRESS_W + 5;
    let title_w = width.saturating_sub(fixed);
    format!(
        " {} {} {}{}{}{}",
        pad(title, title_w),
        pad(date, DATE_W),
        right(time, TIME_W),
        right(sections, SECTIONS_W),
        right(highlights, HIGHLIGHTS_W),
        right(progress, PROGRESS_W + 1),
    )
}

fn right(text: &str, width: usize) -> String {
    let text = fit(text, width);
    let used = crate::text::display_width(&text);
    format!("{}{}", " ".repeat(width.saturating_sub(used)), text)
}

fn footer_line(app: &App, width: usize, theme: &Theme) -> Line<'static> {
    let search = &app.shelf.search;
    // What the last action left to say (a paste cut short) comes first.
    if let Some(notice) = &app.notice {
        return Line::styled(fit(&format!(" {notice}"), width), theme.warning);
    }
    if app.filtering {
        let mut switches = Vec::new();
        if app.search_options.regex {
            switches.push("regex");
        }
        if app.search_options.diacritics_insensitive {
            switches.push("any accents");
        }
        let mut tail = String::new();
        if let Some(error) = &search.error {
            tail = format!("  {error}");
        } else if !switches.is_empty() {
            tail = format!("  [{}]", switches.join(", "));
        }
        let line = format!(" / {}█{tail}", app.shelf.filter);
        return Line::styled(fit(&line, width), theme.title_bar);
    }
    let mut spans = Vec::new();
    if !app.shelf.filter.is_empty() {
        let clear = in_brackets(
            KeyHint::new(&app.keymap, Mode::Library)
                .key(Action::ClearFilter, "clears")
                .join(""),
        );
        spans.push(Span::styled(
            format!(" /{}{clear} ", app.shelf.filter),
            theme.title_bar,
        ));
    }
    if !app.warnings.is_empty() {
        let show = in_brackets(
            KeyHint::new(&app.keymap, Mode::Library)
                .key(Action::ShowWarnings, "")
                .keys_alone(""),
        );
        let text = match app.warnings.len() {
            1 => format!(" ⚠ 1 problem loading files{show} "),
            n => format!(" ⚠ {n} problems loading files{show} "),
        };
        spans.push(Span::styled(text, theme.warning));
    }
    if let Some(notice) = &app.notice {
        spans.push(Span::styled(format!(" {notice} "), theme.title_bar));
    }
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    if display_width(&text) > width {
        return Line::from(Span::styled(fit(&text, width), theme.dim));
    }
    // The main keys until something has been read, then the way to the help;
    // whole items only, in the room the filter and warnings leave.
    let first_run = app.positions.is_empty();
    let hint = library_hint(&app.keymap, first_run, width - display_width(&text));
    spans.push(Span::styled(hint, theme.dim));
    Line::from(spans)
}
