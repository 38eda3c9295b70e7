//! The library screen's state: the typed query, what it lets through (articles,
//! or matching passages across the library), and the selection and scroll of
//! each of the two lists.

use super::library_search::{LibrarySearch, PassageHit};
use crate::annotation::AnnotationIndex;
use crate::library::Library;
use crate::search::QueryOptions;

/// Rows above the list (title bar, column headings) and below it (footer).
pub const LIST_TOP: u16 = 2;
pub const LIST_BOTTOM: u16 = 1;
/// Screen rows per passage in the passages view (where, then the text).
pub const PASSAGE_ROWS: usize = 2;

/// The selected row and the first row on screen of a scrolling list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListCursor {
    pub selected: usize,
    pub offset: usize,
}

impl ListCursor {
    /// Moves by `delta` rows in a list of `len`, keeping the selection among `rows` on screen.
    pub fn move_by(&mut self, delta: isize, len: usize, rows: usize) {
        self.selected = self
            .selected
            .saturating_add_signed(delta)
            .min(len.saturating_sub(1));
        self.keep_visible(rows);
    }

    pub fn to_end(&mut self, bottom: bool, len: usize, rows: usize) {
        self.selected = if bottom { len.saturating_sub(1) } else { 0 };
        self.keep_visible(rows);
    }

    /// Adjusts the scroll so the selected row is one of the `rows` on screen.
    pub fn keep_visible(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
    }

    /// The list index shown `row` rows below the top of the list.
    pub fn index_at(&self, row: usize, len: usize) -> Option<usize> {
        let index = self.offset + row;
        (index < len).then_some(index)
    }
}

/// The library screen.
#[derive(Debug, Clone, Default)]
pub struct Shelf {
    /// What the person typed after `/`.
    pub filter: String,
    pub search: LibrarySearch,
    /// Showing matching passages rather than articles.
    pub passages_view: bool,
    pub articles: ListCursor,
    pub passages: ListCursor,
}

impl Shelf {
    pub fn new(library: &Library) -> Shelf {
        Shelf {
            search: LibrarySearch::all(library),
            ..Shelf::default()
        }
    }

    /// Articles that pass the filter, as indices into the library.
    pub fn visible(&self) -> &[usize] {
        &self.search.articles
    }

    /// The selected article's index in the library.
    pub fn current(&self) -> Option<usize> {
        self.search.articles.get(self.articles.selected).copied()
    }

    /// The selected passage in the passages view.
    pub fn current_passage(&self) -> Option<PassageHit> {
        self.search.passages.get(self.passages.selected).copied()
    }

    /// Runs the query again, keeping the same article selected when it still
    /// shows. Given up, leaving the list as it was and `false`, as soon as
    /// `stop` is set (new input has come, which will ask again).
    pub fn refilter(
        &mut self,
        library: &Library,
        options: QueryOptions,
        notes: &AnnotationIndex,
        rows: usize,
        stop: &std::sync::atomic::AtomicBool,
    ) -> bool {
        let keep = self.current();
        if !self
            .search
            .update_unless(library, &self.filter, options, notes, stop)
        {
            return false;
        }
        self.articles.selected = keep
            .and_then(|k| self.search.articles.iter().position(|&i| i == k))
            .unwrap_or(0);
        self.articles.keep_visible(rows);
        self.passages = ListCursor::default();
        if self.search.passages.is_empty() {
            self.passages_view = false;
        }
        true
    }

    /// Length of the list on screen and its cursor.
    pub fn list(&mut self) -> (usize, &mut ListCursor) {
        if self.passages_view {
            (self.search.passages.len(), &mut self.passages)
        } else {
            (self.search.articles.len(), &mut self.articles)
        }
    }
}
