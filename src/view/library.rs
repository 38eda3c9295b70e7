//! The library screen: the list of articles with date, reading time, sections
//! and progress, the filter line and the warnings count.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fit, pad, theme};
use crate::app::App;
use crate::app::shelf::{LIST_BOTTOM, LIST_TOP};
use crate::library::Article;

const DATE_W: usize = 10;
const TIME_W: usize = 7;
const SECTIONS_W: usize = 4;
const PROGRESS_W: usize = 5;
/// Narrower than this, only the title and progress are shown.
const FULL_COLUMNS_MIN: usize = 56;

pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    let width = usize::from(area.width);
    let title_bar = Rect { height: 1, ..area };
    let count = app.shelf.visible.len();
    let total = app.library.articles.len();
    let counts = if count == total {
        format!("{total} articles")
    } else {
        format!("{count} of {total} articles")
    };
    let bar = Line::from(vec![
        Span::styled(" gloss ", theme::TITLE_BAR),
        Span::styled(format!("· {counts}"), theme::DIM),
    ]);
    frame.render_widget(Paragraph::new(bar), title_bar);

    let headings = Rect {
        y: area.y + 1,
        height: 1,
        ..area
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            row_text(width, "Title", "Date", "Time", "§", "Read"),
            theme::COLUMN_HEADING,
        )),
        headings,
    );

    let list = Rect {
        y: area.y + LIST_TOP,
        height: area.height.saturating_sub(LIST_TOP + LIST_BOTTOM),
        ..area
    };
    let rows: Vec<Line<'_>> = app
        .shelf
        .visible
        .iter()
        .enumerate()
        .skip(app.shelf.offset)
        .take(usize::from(list.height))
        .map(|(row, &index)| {
            let article = &app.library.articles[index];
            let text = article_row(app, article, width);
            let style = if row == app.shelf.selected {
                theme::SELECTED
            } else {
                theme::BODY
            };
            Line::styled(text, style)
        })
        .collect();
    if rows.is_empty() {
        let message = if app.library.articles.is_empty() {
            "  No articles."
        } else {
            "  No article matches the filter."
        };
        frame.render_widget(Paragraph::new(Span::styled(message, theme::DIM)), list);
    } else {
        frame.render_widget(Paragraph::new(rows), list);
    }

    let footer = Rect {
        y: area.bottom().saturating_sub(1),
        height: 1,
        ..area
    };
    frame.render_widget(Paragraph::new(footer_line(app, width)), footer);
}

fn article_row(app: &App, article: &Article, width: usize) -> String {
    let date = article.meta.date.as_deref().unwrap_or("");
    let time = format!("{} min", article.reading_minutes());
    let sections = article.sections.len().to_string();
    let progress = match app.positions.get(&article.meta.id) {
        Some(p) => format!("{}%", article.percent_at(p.block, p.sentence)),
        None => "–".to_string(),
    };
    row_text(
        width,
        &article.meta.title,
        date,
        &time,
        &sections,
        &progress,
    )
}

/// One row laid out in columns for a screen `width` cells wide.
fn row_text(
    width: usize,
    title: &str,
    date: &str,
    time: &str,
    sections: &str,
    progress: &str,
) -> String {
    if width < FULL_COLUMNS_MIN {
        let title_w = width.saturating_sub(PROGRESS_W + 2);
        return format!(" {}{}", pad(title, title_w), right(progress, PROGRESS_W));
    }
    let fixed = DATE_W + TIME_W + SECTIONS_W + PROGRESS_W + 5;
    let title_w = width.saturating_sub(fixed);
    format!(
        " {} {} {}{}{}",
        pad(title, title_w),
        pad(date, DATE_W),
        right(time, TIME_W),
        right(sections, SECTIONS_W),
        right(progress, PROGRESS_W + 1),
    )
}

fn right(text: &str, width: usize) -> String {
    let text = fit(text, width);
    let used = crate::text::display_width(&text);
    format!("{}{}", " ".repeat(width.saturating_sub(used)), text)
}

fn footer_line(app: &App, width: usize) -> Line<'static> {
    if app.filtering {
        return Line::from(vec![
            Span::styled(" / ", theme::TITLE_BAR),
            Span::raw(fit(&app.shelf.filter, width.saturating_sub(5))),
            Span::styled("█", theme::DIM),
        ]);
    }
    let mut spans = Vec::new();
    if !app.shelf.filter.is_empty() {
        spans.push(Span::styled(
            format!(" filter: {} (Esc clears) ", app.shelf.filter),
            theme::TITLE_BAR,
        ));
    }
    if !app.warnings.is_empty() {
        let n = app.warnings.len();
        let files = if n == 1 { "1 problem" } else { "problems" };
        let text = if n == 1 {
            format!(" ⚠ {files} loading files (w) ")
        } else {
            format!(" ⚠ {n} {files} loading files (w) ")
        };
        spans.push(Span::styled(text, theme::WARNING));
    }
    spans.push(Span::styled(
        " Enter open · / filter · ? help · q quit",
        theme::DIM,
    ));
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    if crate::text::display_width(&text) > width {
        return Line::from(Span::styled(fit(&text, width), theme::DIM));
    }
    Line::from(spans)
}
