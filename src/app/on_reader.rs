//! How the reading screen answers actions: moving, sections, the outline pane
//! and the keyword filter. Part of [`App`]'s update, split out by screen.

use super::filter::ReaderFilter;
use super::flow::Viewport;
use super::reader::Outline;
use super::shelf::ListCursor;
use super::typing::append_capped;
use super::{Action, App, Effect, Overlay, Reader, ReaderGeometry};
use crate::library::Article;

impl App {
    pub(super) fn update_reader(&mut self, action: Action) -> Vec<Effect> {
        if let Some(effects) = self.annotate(action) {
            return effects;
        }
        match action {
            Action::Export => {
                return self
                    .reader
                    .as_ref()
                    .map(|r| vec![Effect::ExportArticle(r.article)])
                    .unwrap_or_default();
            }
            Action::ShowHighlights => {
                self.overlay = Some(Overlay::Highlights(ListCursor::default()));
                return Vec::new();
            }
            Action::ShowTags => {
                self.overlay = Some(Overlay::Tags {
                    tags: ListCursor::default(),
                    open: None,
                });
                return Vec::new();
            }
            Action::ClearFilter if self.reader.as_ref().is_some_and(|r| r.selection.is_some()) => {
                if let Some(reader) = self.reader.as_mut() {
                    reader.selection = None;
                }
                return Vec::new();
            }
            _ => {}
        }
        let geometry = self.geometry();
        let Some(reader) = self.reader.as_mut() else {
            return Vec::new();
        };
        let Some(article) = self.library.articles.get(reader.article) else {
            return Vec::new();
        };
        match action {
            Action::Back => {
                self.remember_position();
                self.reader = None;
                return vec![Effect::SavePositions];
            }
            Action::Help => self.overlay = Some(Overlay::help()),
            Action::MoveDown => reader.step(article, true, geometry),
            Action::MoveUp => reader.step(article, false, geometry),
            Action::PageDown => reader.page(article, true, geometry),
            Action::PageUp => reader.page(article, false, geometry),
            Action::ScrollDown => reader.scroll(article, 3, geometry),
            Action::ScrollUp => reader.scroll(article, -3, geometry),
            Action::Top => reader.to_top(article),
            Action::Bottom => reader.to_bottom(article, geometry),
            Action::NextSection => reader.next_section(article, geometry),
            Action::PrevSection => reader.prev_section(article, geometry),
            Action::ToggleOutline => {
                let current = article.section_of(reader.cursor.block).unwrap_or(0);
                reader.outline = Some(Outline {
                    selected: current,
                    offset: 0,
                });
                let geometry = self.geometry();
                if let Some(reader) = self.reader.as_mut() {
                    reader.reveal_cursor(article, geometry);
                }
                self.keep_outline_visible();
            }
            Action::Click { column, row } => {
                reader.click(article, column, row, geometry);
            }
            Action::StartFilter => {
                let filter = ReaderFilter::start((reader.cursor, reader.top), self.search_options);
                reader.filter = Some(filter);
            }
            Action::ClearFilter => close_filter(reader, article, geometry),
            Action::NextMatch | Action::PrevMatch
                if !step_match(reader, article, action == Action::NextMatch, geometry) =>
            {
                self.notice = Some("no filter: press / to filter by keyword".to_string());
            }
            _ => {}
        }
        Vec::new()
    }

    /// Adds `text` to the reader's filter and filters once; whether some of
    /// it was left out at the line's limit.
    pub(super) fn type_into_reader_filter(&mut self, text: impl Iterator<Item = char>) -> bool {
        let geometry = self.geometry();
        let Some(reader) = self.reader.as_mut() else {
            return false;
        };
        let Some(article) = self.library.articles.get(reader.article) else {
            return false;
        };
        let Some(filter) = reader.filter.as_mut() else {
            return false;
        };
        let before = filter.input.len();
        let cut = append_capped(&mut filter.input, text);
        if filter.input.len() != before {
            self.search_options = filter.options;
            filter.recompute_with(article, &reader.marks);
            show_first_match(reader, article, geometry);
        }
        cut
    }

    pub(super) fn update_reader_filter(&mut self, action: Action) {
        let geometry = self.geometry();
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        let Some(article) = self.library.articles.get(reader.article) else {
            return;
        };
        let Some(filter) = reader.filter.as_mut() else {
            return;
        };
        match action {
            Action::DeleteChar => {
                filter.input.pop();
            }
            Action::ToggleRegex => filter.options.regex = !filter.options.regex,
            Action::ToggleDiacritics => {
                filter.options.diacritics_insensitive = !filter.options.diacritics_insensitive;
            }
            Action::AcceptFilter => {
                filter.typing = false;
                if !filter.is_active() {
                    close_filter(reader, article, geometry);
                }
                return;
            }
            Action::ClearFilter => return close_filter(reader, article, geometry),
            Action::NextMatch | Action::PrevMatch => {
                step_match(reader, article, action == Action::NextMatch, geometry);
                return;
            }
            _ => return,
        }
        self.search_options = filter.options;
        filter.recompute_with(article, &reader.marks);
        show_first_match(reader, article, geometry);
    }

    pub(super) fn update_outline(&mut self, action: Action) {
        let rows = self.outline_rows();
        let pane = self.geometry().outline;
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        let Some(article) = self.library.articles.get(reader.article) else {
            return;
        };
        let Some(outline) = reader.outline.as_mut() else {
            return;
        };
        let last = article.sections.len().saturating_sub(1);
        match action {
            Action::Back | Action::ToggleOutline => self.close_outline(),
            Action::Help => self.overlay = Some(Overlay::help()),
            Action::MoveDown | Action::ScrollDown => {
                outline.selected = (outline.selected + 1).min(last);
            }
            Action::MoveUp | Action::ScrollUp => {
                outline.selected = outline.selected.saturating_sub(1);
            }
            Action::PageDown => outline.selected = (outline.selected + rows).min(last),
            Action::PageUp => outline.selected = outline.selected.saturating_sub(rows),
            Action::Top => outline.selected = 0,
            Action::Bottom => outline.selected = last,
            Action::Open => {
                let target = outline.selected;
                self.close_outline();
                self.jump_to_section(target);
            }
            Action::Click { column, row } => {
                if let Some(pane) = pane
                    && pane.contains(ratatui::layout::Position { x: column, y: row })
                    && row > pane.y
                {
                    let index = outline.offset + usize::from(row - pane.y - 1);
                    if index <= last && !article.sections.is_empty() {
                        self.close_outline();
                        self.jump_to_section(index);
                    }
                }
            }
            _ => {}
        }
        self.keep_outline_visible();
    }

    fn close_outline(&mut self) {
        if let Some(reader) = self.reader.as_mut() {
            reader.outline = None;
        }
        let geometry = self.geometry();
        if let Some(reader) = self.reader.as_mut()
            && let Some(article) = self.library.articles.get(reader.article)
        {
            reader.reveal_cursor(article, geometry);
        }
    }

    fn jump_to_section(&mut self, index: usize) {
        let geometry = self.geometry();
        if let Some(reader) = self.reader.as_mut()
            && let Some(article) = self.library.articles.get(reader.article)
        {
            reader.jump_to_section(article, index, geometry);
        }
    }

    /// Rows of the outline list (inside its border, under its title).
    pub fn outline_rows(&self) -> usize {
        self.geometry()
            .outline
            .map_or(1, |r| usize::from(r.height.saturating_sub(2)).max(1))
    }

    fn keep_outline_visible(&mut self) {
        let rows = self.outline_rows();
        if let Some(outline) = self.reader.as_mut().and_then(|r| r.outline.as_mut()) {
            if outline.selected < outline.offset {
                outline.offset = outline.selected;
            } else if outline.selected >= outline.offset + rows {
                outline.offset = outline.selected + 1 - rows;
            }
        }
    }
}

/// Ends the keyword filter and puts the reader back where it was.
fn close_filter(reader: &mut Reader, article: &Article, geometry: ReaderGeometry) {
    if let Some(filter) = reader.filter.take() {
        (reader.cursor, reader.top) = filter.return_to;
        reader.reveal_cursor(article, geometry);
    }
}

/// After the query changed: the cursor on the first match at or after where
/// the reader was, or on the first passage left when nothing is lit.
fn show_first_match(reader: &mut Reader, article: &Article, geometry: ReaderGeometry) {
    let Some(filter) = reader.filter.as_mut() else {
        return;
    };
    let (cursor, top) = filter.return_to;
    if !filter.is_active() {
        (reader.cursor, reader.top) = (cursor, top);
        return;
    }
    let start = article
        .blocks
        .get(cursor.block)
        .and_then(|b| b.sentences.get(cursor.sentence))
        .map_or(0, |s| s.start);
    let matches = &filter.matches;
    let index =
        matches
            .next_hit(cursor.block, start.saturating_sub(1))
            .or(if matches.hits.is_empty() {
                None
            } else {
                Some(0)
            });
    filter.current = index;
    let target = index
        .map(|i| (matches.hits[i].block, matches.hits[i].range.start))
        .or_else(|| matches.passages.first().map(|&b| (b, 0)));
    match target {
        Some((block, offset)) => reader.go_to(article, block, offset, geometry),
        None => reader.top = Viewport::default(),
    }
}

/// `n`/`N`: the next or previous match, wrapping around. False without a filter.
fn step_match(
    reader: &mut Reader,
    article: &Article,
    forward: bool,
    geometry: ReaderGeometry,
) -> bool {
    let Some(filter) = reader.filter.as_mut().filter(|f| f.is_active()) else {
        return false;
    };
    let count = filter.matches.hits.len();
    if count == 0 {
        return true;
    }
    let index = match filter.current {
        Some(i) if forward => (i + 1) % count,
        Some(i) => (i + count - 1) % count,
        None if forward => 0,
        None => count - 1,
    };
    filter.current = Some(index);
    let hit = filter.matches.hits[index].clone();
    reader.go_to(article, hit.block, hit.range.start, geometry);
    true
}
