//! Full-screen pages over the current screen: the help, generated from the
//! keymap itself and narrowed by its search (`/`, words lit), and the list of
//! files that could not be loaded.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Theme, fit, pad};
use crate::app::help::hint::KeyHint;
use crate::app::help::{HelpLine, HelpPage, HelpSearch};
use crate::app::{Action, App, Mode, Overlay};
use crate::input::Keymap;
use crate::text::display_width;

pub fn draw(frame: &mut Frame<'_>, app: &App, overlay: &Overlay, theme: &Theme) {
    let area = frame.area();
    frame.render_widget(Clear, area);
    let width = usize::from(area.width);
    let (title, lines, scroll, footer) = match overlay {
        Overlay::Help { scroll, search } => {
            let page = HelpPage::new(&app.keymap, search);
            let footer = match &app.notice {
                // What the last action left to say (a paste cut short).
                Some(notice) => Line::styled(fit(&format!(" {notice}"), width), theme.warning),
                None => help_footer(&app.keymap, &page, search, width, theme),
            };
            (
                "Keys",
                help_lines(&app.keymap, &page, search, width, theme),
                *scroll,
                footer,
            )
        }
        Overlay::Warnings { scroll } => (
            "Problems loading files",
            warning_lines(app, width, theme),
            *scroll,
            Line::styled(
                fit(
                    &KeyHint::new(&app.keymap, Mode::Warnings)
                        .keys_of(&[Action::MoveDown, Action::MoveUp], "scroll")
                        .every_key(Action::Back, "close")
                        .footer(),
                    width,
                ),
                theme.dim,
            ),
        ),
        Overlay::Highlights(cursor) => {
            return super::lists::draw_highlights(frame, app, *cursor, theme);
        }
        Overlay::Tags { tags, open } => {
            return super::lists::draw_tags(frame, app, *tags, open.as_ref(), theme);
        }
    };
    let rows = usize::from(area.height.saturating_sub(2));
    let scroll = scroll.min(lines.len().saturating_sub(rows));
    frame.render_widget(
        Paragraph::new(Line::from(vec![Span::styled(
            format!(" {title} "),
            theme.title_bar,
        )])),
        Rect { height: 1, ..area },
    );
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    };
    let shown: Vec<Line<'_>> = lines.into_iter().skip(scroll).take(rows).collect();
    frame.render_widget(Paragraph::new(shown), body);
    let footer_area = Rect {
        y: area.bottom().saturating_sub(1),
        height: 1,
        ..area
    };
    frame.render_widget(Paragraph::new(footer), footer_area);
}

/// The help's lines for `page`, the words of its search lit.
fn help_lines(
    keymap: &Keymap,
    page: &HelpPage,
    search: &HelpSearch,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    if page.lines.is_empty() {
        let query = crate::text::sanitize_line(search.query.trim());
        let mut lines = vec![Line::styled(
            fit(&format!("  No key matches “{query}”."), width),
            theme.dim,
        )];
        let keys = search_keys(keymap, search);
        if !keys.is_empty() {
            let text = format!("  {}.", keys.join("; "));
            lines.push(Line::styled(fit(&text, width), theme.dim));
        }
        return lines;
    }
    let key_width = 18.min(width / 2);
    let lit = |text: String, style: Style| lit_spans(page, text, style, theme.keyword_match);
    page.lines
        .iter()
        .map(|line| match line {
            HelpLine::Blank => Line::raw(""),
            HelpLine::Mode(mode) => Line::from(lit(
                fit(&format!(" {}", mode.title()), width),
                theme.heading,
            )),
            HelpLine::Row(row) => {
                let keys = pad(&format!("   {}", row.keys_text()), key_width);
                let text = fit(row.description(), width.saturating_sub(key_width + 1));
                let mut spans = lit(keys, theme.title_bar);
                spans.push(Span::raw(" "));
                spans.extend(lit(text, theme.body));
                Line::from(spans)
            }
            HelpLine::Remark(text) => Line::styled(fit(text, width), theme.dim),
            HelpLine::NotesHeading(text) => {
                Line::styled(fit(&format!(" {text}"), width), theme.heading)
            }
            HelpLine::Note(text) => Line::styled(fit(&format!(" {text}"), width), theme.body),
        })
        .collect()
}

/// `text` in `style`, with the words of the page's search in `lit`.
fn lit_spans(page: &HelpPage, text: String, style: Style, lit: Style) -> Vec<Span<'static>> {
    let ranges = page.query.lit(&text);
    if ranges.is_empty() {
        return vec![Span::styled(text, style)];
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for range in ranges {
        if range.start > at {
            spans.push(Span::styled(text[at..range.start].to_string(), style));
        }
        spans.push(Span::styled(
            text[range.clone()].to_string(),
            style.patch(lit),
        ));
        at = range.end;
    }
    if at < text.len() {
        spans.push(Span::styled(text[at..].to_string(), style));
    }
    spans
}

/// The help's last line: the keys to use, or the search being typed or
/// kept with how many keys it found; items that do not fit are left out whole.
fn help_footer(
    keymap: &Keymap,
    page: &HelpPage,
    search: &HelpSearch,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let query = crate::text::sanitize_line(&search.query);
    let scroll = [Action::MoveDown, Action::MoveUp];
    let (lead, items) = if search.typing {
        let keys = KeyHint::new(keymap, Mode::HelpSearch)
            .key(Action::AcceptFilter, "keeps")
            .key(Action::ClearFilter, "clears");
        (
            format!(" / {query}█"),
            [page.count()].into_iter().chain(keys.items()).collect(),
        )
    } else if search.is_active() {
        let keys = KeyHint::new(keymap, Mode::Help)
            .key_preferring("Esc", Action::Back, "clears")
            .key(Action::StartFilter, "edits")
            .keys_of(&scroll, "scroll");
        (
            format!(" /{}", query.trim()),
            [page.count()].into_iter().chain(keys.items()).collect(),
        )
    } else {
        let keys = KeyHint::new(keymap, Mode::Help)
            .keys_of(&scroll, "scroll")
            .key(Action::StartFilter, "search")
            .key(Action::Back, "close");
        (String::new(), keys.items())
    };
    let lead = fit(&lead, width);
    let room = width.saturating_sub(display_width(&lead));
    let mut rest = String::new();
    for item in items {
        let separator = match (rest.is_empty(), lead.is_empty()) {
            (false, _) => " · ",
            (true, true) => " ",
            (true, false) => "  ",
        };
        let longer = format!("{rest}{separator}{item}");
        if display_width(&longer) > room {
            break;
        }
        rest = longer;
    }
    Line::from(vec![
        Span::styled(lead, theme.title_bar),
        Span::styled(rest, theme.dim),
    ])
}

/// What keys do to a help search that found nothing: `Backspace edits`
/// while typing, `Esc clears`.
fn search_keys(keymap: &Keymap, search: &HelpSearch) -> KeyHint {
    if search.typing {
        KeyHint::new(keymap, Mode::HelpSearch)
            .key(Action::DeleteChar, "edits")
            .key(Action::ClearFilter, "clears")
    } else {
        KeyHint::new(keymap, Mode::Help)
            .key(Action::StartFilter, "edits")
            .key_preferring("Esc", Action::Back, "clears")
    }
}

fn warning_lines(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    if app.warnings.is_empty() {
        return vec![Line::styled(" Every file loaded.", theme.dim)];
    }
    let mut lines = Vec::new();
    for warning in &app.warnings {
        for (i, range) in crate::text::wrap(warning, width.saturating_sub(3).max(1))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { " ⚠ " } else { "   " };
            lines.push(Line::from(vec![
                Span::styled(lead, theme.warning),
                Span::raw(warning.get(range).unwrap_or("").to_string()),
            ]));
        }
    }
    lines
}
