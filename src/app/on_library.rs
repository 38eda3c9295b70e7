//! How the library screen answers actions: moving in the list of articles or
//! of matching passages, typing the query, and opening what is selected. Part
//! of [`App`]'s update, split out by screen.

use super::filter::ReaderFilter;
use super::shelf::{LIST_TOP, ListCursor, PASSAGE_ROWS};
use super::{Action, App, Effect, Overlay, Reader, ReaderGeometry};

impl App {
    pub(super) fn update_library(&mut self, action: Action) -> Vec<Effect> {
        let rows = self.shelf_rows();
        match action {
            Action::Back => return self.quit(),
            Action::Help => self.overlay = Some(Overlay::help()),
            Action::ShowWarnings => self.overlay = Some(Overlay::Warnings { scroll: 0 }),
            Action::MergeRecovered => return self.merge_recovered(),
            Action::ShowTags => {
                self.overlay = Some(Overlay::Tags {
                    tags: ListCursor::default(),
                    open: None,
                });
            }
            Action::MoveDown | Action::ScrollDown => self.move_in_list(1),
            Action::MoveUp | Action::ScrollUp => self.move_in_list(-1),
            Action::PageDown => self.move_in_list(rows as isize),
            Action::PageUp => self.move_in_list(-(rows as isize)),
            Action::Top | Action::Bottom => {
                let (len, list) = self.shelf.list();
                list.to_end(action == Action::Bottom, len, rows);
            }
            Action::Open | Action::AcceptFilter => {
                self.filtering = false;
                self.open_selected();
            }
            Action::StartFilter => self.filtering = true,
            Action::ToggleResults => {
                let can_show = !self.shelf.search.passages.is_empty();
                self.shelf.passages_view = can_show && !self.shelf.passages_view;
                if !can_show {
                    self.notice =
                        Some("no matching passages: type two or more letters after /".to_string());
                }
            }
            Action::ToggleRegex => {
                self.search_options.regex = !self.search_options.regex;
                self.refilter_shelf();
            }
            Action::ToggleDiacritics => {
                self.search_options.diacritics_insensitive =
                    !self.search_options.diacritics_insensitive;
                self.refilter_shelf();
            }
            Action::ClearFilter => {
                self.filtering = false;
                self.shelf.filter.clear();
                self.refilter_shelf();
            }
            Action::DeleteChar => {
                self.shelf.filter.pop();
                self.refilter_shelf();
            }
            Action::Click { row, .. } => {
                let row = usize::from(row.saturating_sub(LIST_TOP));
                let row = if self.shelf.passages_view {
                    row / PASSAGE_ROWS
                } else {
                    row
                };
                let (len, list) = self.shelf.list();
                if u16::try_from(row).is_ok_and(|r| r < self.area.height.saturating_sub(LIST_TOP))
                    && let Some(index) = list.index_at(row, len)
                {
                    list.selected = index;
                    self.filtering = false;
                    self.open_selected();
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// Rows (articles, or passages of [`PASSAGE_ROWS`] lines) on screen.
    pub fn shelf_rows(&self) -> usize {
        let lines = self.list_rows();
        if self.shelf.passages_view {
            (lines / PASSAGE_ROWS).max(1)
        } else {
            lines
        }
    }

    fn move_in_list(&mut self, delta: isize) {
        let rows = self.shelf_rows();
        let (len, list) = self.shelf.list();
        list.move_by(delta, len, rows);
    }

    /// Filters the library for the query as typed. On a large library that
    /// takes long: new input arriving meanwhile (`input_waiting`) stops it,
    /// the list stays as it was, and the filter runs again once the input
    /// has been taken in ([`App::finish_stale_filter`]).
    pub(super) fn refilter_shelf(&mut self) {
        let rows = self.shelf_rows();
        let finished = self.shelf.refilter(
            &self.library,
            self.search_options,
            &self.annotation_index,
            rows,
            &self.input_waiting,
        );
        self.shelf_stale = !finished;
    }

    /// Runs the library filter that new input stopped, if nothing more waits.
    pub(super) fn finish_stale_filter(&mut self) {
        if self.shelf_stale
            && !self
                .input_waiting
                .load(std::sync::atomic::Ordering::Relaxed)
        {
            self.refilter_shelf();
        }
    }

    fn open_selected(&mut self) {
        if self.shelf.passages_view {
            if let Some(hit) = self.shelf.current_passage() {
                self.open_at_passage(hit.article, hit.block);
            }
        } else if let Some(index) = self.shelf.current() {
            self.open_article(index);
            // An article found by its text opens with the same filter on.
            if self.shelf.search.is_full_text()
                && self
                    .shelf
                    .search
                    .passages
                    .iter()
                    .any(|h| h.article == index)
                && let Some(hit) = self
                    .shelf
                    .search
                    .passages
                    .iter()
                    .find(|h| h.article == index)
                    .copied()
            {
                self.open_at_passage(hit.article, hit.block);
            }
        }
    }

    /// Opens an article at its remembered position.
    pub fn open_article(&mut self, index: usize) {
        let Some(article) = self.library.articles.get_mut(index) else {
            return;
        };
        article.split_sentences();
        let article = &*article;
        let position = self.positions.get(&article.meta.id).copied();
        let geometry = ReaderGeometry::new(self.area, false, self.column_width);
        let mut reader = Reader::open(index, article, position, geometry);
        reader.refresh_marks(article, &self.annotations);
        // Highlights re-found after the article changed keep their new place.
        if !reader.marks.repaired.is_empty() && self.annotations_writable {
            for repaired in std::mem::take(&mut reader.marks.repaired) {
                self.annotations.upsert(repaired);
            }
            self.save_requested = true;
        }
        self.reader = Some(reader);
    }

    /// Opens an article at a passage, with the library's query as its filter;
    /// `Esc` then returns to the remembered reading position.
    fn open_at_passage(&mut self, index: usize, block: usize) {
        self.open_article(index);
        let geometry = ReaderGeometry::new(self.area, false, self.column_width);
        let input = self.shelf.filter.clone();
        let options = self.search_options;
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        let Some(article) = self.library.articles.get(index) else {
            return;
        };
        let mut filter = ReaderFilter::applied(
            &input,
            options,
            article,
            &reader.marks,
            (reader.cursor, reader.top),
        );
        let first = filter.matches.hits.iter().position(|h| h.block == block);
        let offset = first.map_or(0, |i| filter.matches.hits[i].range.start);
        filter.current = first;
        reader.filter = Some(filter);
        reader.go_to(article, block, offset, geometry);
    }
}
