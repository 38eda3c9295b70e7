//! The reading screen: the centred text column with the cursor sentence lit,
//! the gutter bar, the outline pane and the status line.

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{fit, theme};
use crate::app::flow::{Flow, FlowLine, ItemKind};
use crate::app::reader::{Outline, Reader};
use crate::app::{App, Mode};
use crate::library::{Article, BlockKind};
use crate::text::display_width;

pub fn draw(frame: &mut Frame<'_>, app: &App, reader: &Reader) {
    let Some(article) = app.library.articles.get(reader.article) else {
        return;
    };
    let geometry = app.geometry();
    let flow = Flow::new(article);
    let width = usize::from(geometry.text.width).max(1);
    let lines = flow.visible(reader.top, width, usize::from(geometry.text.height));
    let cursor = article
        .blocks
        .get(reader.cursor.block)
        .filter(|b| b.is_passage())
        .and_then(|b| b.sentences.get(reader.cursor.sentence))
        .map(|range| (flow.block_item(reader.cursor.block), range.clone()));

    let mut text_lines = Vec::with_capacity(lines.len());
    let mut gutter_lines = Vec::with_capacity(lines.len());
    for line in &lines {
        let lit = cursor.as_ref().and_then(|(item, range)| {
            let on_line = line.range.as_ref()?;
            (*item == line.item && overlaps(on_line, range)).then(|| range.clone())
        });
        gutter_lines.push(if lit.is_some() {
            Line::styled("▌", theme::CURSOR_BAR)
        } else {
            Line::raw("")
        });
        text_lines.push(render_line(&flow, line, lit.as_ref()));
    }
    frame.render_widget(Paragraph::new(gutter_lines), geometry.gutter);
    frame.render_widget(Paragraph::new(text_lines), geometry.text);

    if let (Some(outline), Some(pane)) = (reader.outline, geometry.outline) {
        draw_outline(frame, article, reader, outline, pane);
    }
    draw_status(frame, app, article, reader, geometry.status);
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn style_of(kind: ItemKind) -> Style {
    match kind {
        ItemKind::Title => theme::ARTICLE_TITLE,
        ItemKind::Subtitle => theme::SUBTITLE,
        ItemKind::Byline => theme::BYLINE,
        ItemKind::Block(BlockKind::Heading { level, .. }) if level <= 2 => theme::HEADING,
        ItemKind::Block(BlockKind::Heading { .. }) => theme::SUBHEADING,
        ItemKind::Block(BlockKind::Quote) => theme::QUOTE,
        ItemKind::Block(BlockKind::Code) => theme::CODE,
        ItemKind::Block(BlockKind::Paragraph | BlockKind::ListItem) => theme::BODY,
    }
}

/// One screen line: its prefix, then its text with the lit range styled.
fn render_line<'f>(flow: &'f Flow<'_>, line: &FlowLine, lit: Option<&Range<usize>>) -> Line<'f> {
    let Some(range) = line.range.clone() else {
        return Line::raw("");
    };
    let kind = flow.kind(line.item);
    let base = style_of(kind);
    let mut spans = Vec::new();
    let prefix = match kind {
        ItemKind::Block(BlockKind::ListItem) if line.first => "• ",
        ItemKind::Block(BlockKind::Quote) => "│ ",
        ItemKind::Block(BlockKind::ListItem | BlockKind::Code) => "  ",
        _ => "",
    };
    if !prefix.is_empty() {
        spans.push(Span::styled(prefix, theme::PREFIX));
    }
    let text = flow.text(line.item);
    let mut at = range.start;
    if let Some(lit) = lit {
        let from = lit.start.clamp(range.start, range.end);
        let to = lit.end.clamp(range.start, range.end);
        push(&mut spans, text, at..from, base);
        push(&mut spans, text, from..to, base.patch(theme::CURSOR));
        at = to;
    }
    push(&mut spans, text, at..range.end, base);
    Line::from(spans)
}

fn push<'a>(spans: &mut Vec<Span<'a>>, text: &'a str, range: Range<usize>, style: Style) {
    if let Some(piece) = text.get(range).filter(|p| !p.is_empty()) {
        spans.push(Span::styled(piece, style));
    }
}

fn draw_outline(
    frame: &mut Frame<'_>,
    article: &Article,
    reader: &Reader,
    outline: Outline,
    pane: Rect,
) {
    frame.render_widget(Clear, pane);
    let block = Block::default()
        .borders(Borders::RIGHT | Borders::TOP)
        .title(Span::styled(" Outline ", theme::TITLE_BAR))
        .border_style(theme::DIM);
    let inner = block.inner(pane);
    frame.render_widget(block, pane);
    let current = article.section_of(reader.cursor.block);
    let width = usize::from(inner.width);
    let number_width = article.sections.len().to_string().len();
    let rows: Vec<Line<'_>> = article
        .sections
        .iter()
        .enumerate()
        .skip(outline.offset)
        .take(usize::from(inner.height))
        .map(|(i, section)| {
            let marker = if Some(i) == current { "▸" } else { " " };
            let indent = "  ".repeat(usize::from(section.level.saturating_sub(2)));
            let label = format!("{marker}{:>number_width$} {indent}{}", i + 1, section.title);
            let mut style = if Some(i) == current {
                theme::CURRENT_SECTION
            } else {
                theme::BODY
            };
            if i == outline.selected {
                style = style.patch(theme::SELECTED);
            }
            Line::styled(super::pad(&label, width), style)
        })
        .collect();
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(" No sections.", theme::DIM)),
            inner,
        );
    } else {
        frame.render_widget(Paragraph::new(rows), inner);
    }
}

fn draw_status(frame: &mut Frame<'_>, app: &App, article: &Article, reader: &Reader, area: Rect) {
    let width = usize::from(area.width);
    let mode = match app.mode() {
        Mode::Outline => " OUTLINE ",
        Mode::Help => " HELP ",
        _ => " READ ",
    };
    let section = match article.section_of(reader.cursor.block) {
        Some(s) => format!(
            "§{}/{} {}",
            s + 1,
            article.sections.len(),
            article.sections[s].title
        ),
        None if article.sections.is_empty() => String::new(),
        None => format!("§–/{}", article.sections.len()),
    };
    let percent = format!(
        " {}% ",
        article.percent_at(reader.cursor.block, reader.cursor.sentence)
    );
    let left = match &app.notice {
        Some(notice) => format!(" {notice}"),
        None if section.is_empty() => format!(" {}", article.meta.title),
        None => format!(" {} · {section}", article.meta.title),
    };
    let fixed = display_width(mode) + display_width(&percent);
    let left = super::pad(&left, width.saturating_sub(fixed));
    let line = Line::from(vec![
        Span::styled(fit(mode, width), theme::STATUS_MODE),
        Span::styled(left, theme::STATUS),
        Span::styled(percent, theme::STATUS),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme::STATUS), area);
}
