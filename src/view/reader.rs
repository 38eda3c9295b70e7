//! The reading screen: the centred text column with the cursor sentence lit,
//! the gutter bar, the outline pane and the status line.

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Theme, fit};
use crate::app::filter::ReaderFilter;
use crate::app::flow::{Flow, FlowLine, ItemKind};
use crate::app::help::hint::{KeyHint, bound_keys};
use crate::app::reader::{Outline, Reader};
use crate::app::{Action, App, Mode};
use crate::library::{Article, BlockKind};
use crate::text::display_width;

pub fn draw(frame: &mut Frame<'_>, app: &App, reader: &Reader, theme: &Theme) {
    let Some(article) = app.library.articles.get(reader.article) else {
        return;
    };
    let geometry = app.geometry();
    let flow = reader.flow(article);
    let (width, height) = geometry.text_size();
    let lines = flow.visible(reader.top, width, height);
    let cursor = article
        .blocks
        .get(reader.cursor.block)
        .filter(|b| b.is_passage())
        .and_then(|b| b.sentences.get(reader.cursor.sentence))
        .map(|range| (reader.cursor.block, range.clone()));

    let mut text_lines = Vec::with_capacity(lines.len());
    let mut gutter_lines = Vec::with_capacity(lines.len());
    for line in &lines {
        let block = flow.item_block(line.item);
        let mut marks: Vec<(Range<usize>, Style)> = Vec::new();
        let mut noted = false;
        let mut review = false;
        if let Some(block) = block.filter(|_| line.range.is_some()) {
            for (range, placed) in reader.marks.in_block(article, block) {
                marks.push((range.clone(), theme.highlight(placed.color)));
                // The note mark sits on the line where the highlight begins.
                let begins = placed.range.start.checked_sub(article.blocks[block].start);
                let on_line = line
                    .range
                    .as_ref()
                    .zip(begins)
                    .is_some_and(|(r, b)| r.start <= b && b < r.end.max(r.start + 1));
                noted |= placed.has_note && on_line;
                review |= placed.review && on_line;
            }
            if let Some(selection) = selection_in(reader, article, block) {
                marks.push((selection, theme.selection));
            }
        }
        if let (Some(block), Some(filter)) =
            (block, reader.filter.as_ref().filter(|f| f.is_active()))
        {
            let current = filter.current.and_then(|i| filter.matches.hits.get(i));
            for hit in filter.matches.hits_in(block) {
                let style = if current == Some(hit) {
                    theme.current_match
                } else {
                    theme.keyword_match
                };
                marks.push((hit.range.clone(), style));
            }
        }
        let on_cursor = match (&cursor, &line.range, block) {
            (Some((b, range)), Some(on_line), Some(block)) => {
                *b == block && overlaps(on_line, range)
            }
            _ => false,
        };
        if on_cursor && let Some((_, range)) = &cursor {
            marks.insert(0, (range.clone(), theme.cursor));
        }
        // A highlight placed by similarity asks for review before its note
        // mark: the reader should see that its passage may not be the one marked.
        let mark = if review {
            Some(Span::styled("≈", theme.warning))
        } else {
            noted.then(|| Span::styled("✎", theme.note_mark))
        };
        gutter_lines.push(match (on_cursor, mark) {
            (true, Some(mark)) => Line::from(vec![Span::styled("▌", theme.cursor_bar), mark]),
            (true, None) => Line::styled("▌", theme.cursor_bar),
            (false, Some(mark)) => Line::from(vec![Span::raw(" "), mark]),
            (false, None) => Line::raw(""),
        });
        text_lines.push(render_line(&flow, line, &marks, theme));
    }
    frame.render_widget(Paragraph::new(gutter_lines), geometry.gutter);
    frame.render_widget(Paragraph::new(text_lines), geometry.text);

    if let (Some(outline), Some(pane)) = (reader.outline, geometry.outline) {
        draw_outline(frame, article, reader, outline, pane, theme);
    }
    draw_status(frame, app, article, reader, geometry.status, theme);
}

/// The part of `block` inside the selection in progress (from where `v` was
/// pressed to the cursor, whole sentences).
fn selection_in(reader: &Reader, article: &Article, block: usize) -> Option<Range<usize>> {
    let from = reader.selection?;
    let (first, last) = if from <= reader.cursor {
        (from, reader.cursor)
    } else {
        (reader.cursor, from)
    };
    if block < first.block || block > last.block {
        return None;
    }
    let sentences = &article.blocks[block].sentences;
    let start = if block == first.block {
        sentences.get(first.sentence)?.start
    } else {
        0
    };
    let end = if block == last.block {
        sentences.get(last.sentence)?.end
    } else {
        article.blocks[block].text.len()
    };
    Some(start..end)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn style_of(kind: ItemKind, theme: &Theme) -> Style {
    match kind {
        ItemKind::Title => theme.article_title,
        ItemKind::Subtitle => theme.subtitle,
        ItemKind::Byline => theme.byline,
        ItemKind::Block(BlockKind::Heading { level, .. }) if level <= 2 => theme.heading,
        ItemKind::Block(BlockKind::Heading { .. }) => theme.subheading,
        ItemKind::Block(BlockKind::Quote) => theme.quote,
        ItemKind::Block(BlockKind::Code) => theme.code,
        ItemKind::Block(BlockKind::Paragraph | BlockKind::ListItem) => theme.body,
    }
}

/// One screen line: its prefix, then its text, each byte styled by the base
/// style of its item patched with every mark covering it, in order.
fn render_line<'f>(
    flow: &'f Flow<'_>,
    line: &FlowLine,
    marks: &[(Range<usize>, Style)],
    theme: &Theme,
) -> Line<'f> {
    let Some(range) = line.range.clone() else {
        return Line::raw("");
    };
    let kind = flow.kind(line.item);
    let base = style_of(kind, theme);
    let mut spans = Vec::new();
    let prefix = match kind {
        ItemKind::Block(BlockKind::ListItem) if line.first => "• ",
        ItemKind::Block(BlockKind::Quote) => "│ ",
        ItemKind::Block(BlockKind::ListItem | BlockKind::Code) => "  ",
        _ => "",
    };
    if !prefix.is_empty() {
        spans.push(Span::styled(prefix, theme.prefix));
    }
    let text = flow.text(line.item);
    let mut cuts: Vec<usize> = vec![range.start, range.end];
    for (mark, _) in marks {
        cuts.extend(
            [mark.start, mark.end]
                .into_iter()
                .filter(|c| range.contains(c)),
        );
    }
    cuts.sort_unstable();
    cuts.dedup();
    for pair in cuts.windows(2) {
        let piece = pair[0]..pair[1];
        let style = marks
            .iter()
            .filter(|(mark, _)| mark.start <= piece.start && piece.end <= mark.end)
            .fold(base, |style, (_, patch)| style.patch(*patch));
        push(&mut spans, text, piece, style);
    }
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
    theme: &Theme,
) {
    frame.render_widget(Clear, pane);
    let block = Block::default()
        .borders(Borders::RIGHT | Borders::TOP)
        .title(Span::styled(" Outline ", theme.title_bar))
        .border_style(theme.dim);
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
                theme.current_section
            } else {
                theme.body
            };
            if i == outline.selected {
                style = style.patch(theme.selected);
            }
            Line::styled(super::pad(&label, width), style)
        })
        .collect();
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(" No sections.", theme.dim)),
            inner,
        );
    } else {
        frame.render_widget(Paragraph::new(rows), inner);
    }
}

fn draw_status(
    frame: &mut Frame<'_>,
    app: &App,
    article: &Article,
    reader: &Reader,
    area: Rect,
    theme: &Theme,
) {
    let width = usize::from(area.width);
    let filter = reader.filter.as_ref();
    let mode = match app.mode() {
        Mode::Outline => " OUTLINE ",
        Mode::Help => " HELP ",
        Mode::ReaderFilter => " FILTER ",
        Mode::TagInput => " TAGS ",
        Mode::NoteEditor | Mode::LeavingNote => " NOTE ",
        _ if reader.selection.is_some() => " SELECT ",
        _ if filter.is_some_and(ReaderFilter::is_active) => " FILTERED ",
        _ => " READ ",
    };
    let percent = format!(
        " {}% ",
        article.percent_at(reader.cursor.block, reader.cursor.sentence)
    );
    let left = match (&app.notice, filter) {
        _ if app.tag_input.is_some() && app.notice.is_none() => tag_prompt(app),
        (Some(notice), _) => format!(" {notice}"),
        (None, Some(f)) if f.typing => {
            let mut switches = Vec::new();
            if f.options.regex {
                switches.push("regex");
            }
            if f.options.diacritics_insensitive {
                switches.push("any accents");
            }
            let switches = if switches.is_empty() {
                String::new()
            } else {
                format!(" [{}]", switches.join(", "))
            };
            format!(" /{}█  {}{switches}", f.input, f.summary())
        }
        (None, Some(f)) if f.is_active() => {
            let keys = KeyHint::new(&app.keymap, Mode::Reader)
                .keys_of(&[Action::NextMatch, Action::PrevMatch], "step")
                .key(Action::ClearFilter, "clears");
            let status = format!(" /{} · {}", f.input, f.summary());
            if keys.is_empty() {
                status
            } else {
                format!("{status} · {}", keys.join(", "))
            }
        }
        (None, _) => {
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
            if section.is_empty() {
                format!(" {}", article.meta.title)
            } else {
                format!(" {} · {section}", article.meta.title)
            }
        }
    };
    let fixed = display_width(mode) + display_width(&percent);
    let left = super::pad(&left, width.saturating_sub(fixed));
    let line = Line::from(vec![
        Span::styled(fit(mode, width), theme.status_mode),
        Span::styled(left, theme.status),
        Span::styled(percent, theme.status),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.status), area);
}

/// The tag input in the status line, with the tags that Tab would offer.
fn tag_prompt(app: &App) -> String {
    let Some(tagging) = &app.tag_input else {
        return String::new();
    };
    let word = tagging
        .input
        .rsplit(',')
        .next()
        .unwrap_or("")
        .trim()
        .to_lowercase();
    let known: Vec<String> = app
        .annotations
        .tags()
        .into_iter()
        .map(|t| t.name)
        .filter(|t| !word.is_empty() && t.to_lowercase().starts_with(&word))
        .take(5)
        .collect();
    let rows = app.keymap.help_rows(Mode::TagInput);
    let hint = match bound_keys(&rows, Action::Complete).first() {
        Some(complete) if !known.is_empty() => format!("{complete}: {}", known.join(", ")),
        _ => KeyHint::new(&app.keymap, Mode::TagInput)
            .key(Action::Complete, "completes")
            .key(Action::Confirm, "saves")
            .key(Action::Cancel, "cancels")
            .join(" · "),
    };
    format!(" tags: {}█  {hint}", tagging.input)
}
