//! Full-screen pages over the current screen: the help, generated from the
//! keymap itself, and the list of files that could not be loaded.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{fit, pad, theme};
use crate::app::{App, Mode, Overlay};

/// The modes listed in the help screen, in this order.
const HELP_MODES: &[Mode] = &[
    Mode::Library,
    Mode::LibraryFilter,
    Mode::Reader,
    Mode::ReaderFilter,
    Mode::Outline,
    Mode::Help,
];

/// The filter's query language, shown under the keys.
const QUERY_HELP: &[&str] = &[
    "Filter queries (after /, in the library and the reader)",
    "   word word          every word must match, in any order",
    "   \"a phrase\"         the words together, as typed",
    "   -word              leave out passages with this word",
    "   Word               an upper-case letter makes it case-sensitive",
    "   Ctrl-r             words are regular expressions",
    "   Ctrl-d             ignore accents: e finds é",
    "   tag:NAME has:note  passages with a tagged highlight / a note",
    "   Tab (library)      the matching passages across the library",
];

pub fn draw(frame: &mut Frame<'_>, app: &App, overlay: &Overlay) {
    let area = frame.area();
    frame.render_widget(Clear, area);
    let (title, lines, scroll) = match overlay {
        Overlay::Help { scroll } => ("Keys", help_lines(app, usize::from(area.width)), *scroll),
        Overlay::Warnings { scroll } => (
            "Problems loading files",
            warning_lines(app, usize::from(area.width)),
            *scroll,
        ),
        Overlay::Highlights(cursor) => return super::lists::draw_highlights(frame, app, *cursor),
        Overlay::Tags { tags, open } => {
            return super::lists::draw_tags(frame, app, *tags, open.as_ref());
        }
    };
    let rows = usize::from(area.height.saturating_sub(2));
    let scroll = scroll.min(lines.len().saturating_sub(rows));
    frame.render_widget(
        Paragraph::new(Line::from(vec![Span::styled(
            format!(" {title} "),
            theme::TITLE_BAR,
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
    let footer = Rect {
        y: area.bottom().saturating_sub(1),
        height: 1,
        ..area
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            fit(" j/k scroll · q or Esc close", usize::from(area.width)),
            theme::DIM,
        )),
        footer,
    );
}

fn help_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let key_width = 18.min(width / 2);
    for &mode in HELP_MODES {
        let rows = app.keymap.help_rows(mode);
        if rows.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(format!(" {}", mode.title()), theme::HEADING));
        for (action, keys) in rows {
            let keys = pad(&format!("   {}", keys.join(", ")), key_width);
            let text = fit(action.describe(), width.saturating_sub(key_width + 1));
            lines.push(Line::from(vec![
                Span::styled(keys, theme::TITLE_BAR),
                Span::raw(" "),
                Span::raw(text),
            ]));
        }
        if mode.is_typing() {
            lines.push(Line::styled(
                fit("   other keys type into the filter", width),
                theme::DIM,
            ));
        }
    }
    lines.push(Line::raw(""));
    for (i, row) in QUERY_HELP.iter().enumerate() {
        let style = if i == 0 { theme::HEADING } else { theme::BODY };
        lines.push(Line::styled(fit(&format!(" {row}"), width), style));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        fit(
            " Mouse: the wheel scrolls; a click opens an article or moves the cursor.",
            width,
        ),
        theme::DIM,
    ));
    lines
}

fn warning_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    if app.warnings.is_empty() {
        return vec![Line::styled(" Every file loaded.", theme::DIM)];
    }
    let mut lines = Vec::new();
    for warning in &app.warnings {
        for (i, range) in crate::text::wrap(warning, width.saturating_sub(3).max(1))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { " ⚠ " } else { "   " };
            lines.push(Line::from(vec![
                Span::styled(lead, theme::WARNING),
                Span::raw(warning.get(range).unwrap_or("").to_string()),
            ]));
        }
    }
    lines
}
