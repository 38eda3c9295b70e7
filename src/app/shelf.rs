//! The library screen's state: the typed filter, which articles it lets
//! through, the selected row and the scroll offset of the list.

use crate::library::{Article, Library};

/// Rows above the list (title bar, column headings) and below it (footer).
pub const LIST_TOP: u16 = 2;
pub const LIST_BOTTOM: u16 = 1;

/// The article list on the library screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shelf {
    /// What the person typed after `/`.
    pub filter: String,
    /// Indices into the library's articles that pass the filter, in library order.
    pub visible: Vec<usize>,
    /// Index into `visible`.
    pub selected: usize,
    /// First row of `visible` on screen.
    pub offset: usize,
}

impl Shelf {
    pub fn new(library: &Library) -> Shelf {
        Shelf {
            visible: (0..library.articles.len()).collect(),
            ..Shelf::default()
        }
    }

    /// The selected article's index in the library.
    pub fn current(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    /// Re-applies the filter, keeping the same article selected when it still shows.
    pub fn refilter(&mut self, library: &Library) {
        let keep = self.current();
        let words: Vec<String> = self
            .filter
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.visible = library
            .articles
            .iter()
            .enumerate()
            .filter(|(_, a)| words.iter().all(|w| matches_word(a, w)))
            .map(|(i, _)| i)
            .collect();
        self.selected = keep
            .and_then(|k| self.visible.iter().position(|&i| i == k))
            .unwrap_or(0);
        self.offset = self.offset.min(self.selected);
    }

    pub fn move_by(&mut self, delta: isize, rows: usize) {
        let last = self.visible.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.keep_visible(rows);
    }

    pub fn to_end(&mut self, bottom: bool, rows: usize) {
        self.selected = if bottom {
            self.visible.len().saturating_sub(1)
        } else {
            0
        };
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

    /// The list row at screen `row`, given the list starts at screen row `top`.
    pub fn row_at(&self, row: u16, top: u16) -> Option<usize> {
        let index = self.offset + usize::from(row.checked_sub(top)?);
        (index < self.visible.len()).then_some(index)
    }
}

/// Case-insensitive match of one filter word against title, id and tags.
fn matches_word(article: &Article, word: &str) -> bool {
    let meta = &article.meta;
    meta.title.to_lowercase().contains(word)
        || meta.id.to_lowercase().contains(word)
        || meta.tags.iter().any(|t| t.to_lowercase().contains(word))
}
