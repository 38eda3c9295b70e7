//! The pages over the screen that are lists: this article's highlights
//! (`H`), the tag browser (`T`, tag → passages) and the help (`?`, searched
//! with `/`). The first two open at the passage with Enter; the highlights
//! list also tags, notes, deletes, undoes and redoes.

use super::shelf::ListCursor;
use super::{Action, App, Effect, Mode, Overlay, ReaderGeometry};
use jiff::Timestamp;

use super::help::hint::KeyHint;
use super::help::{HelpPage, HelpSearch};
use super::history::Change;
use crate::annotation::tag::tag_key;
use crate::annotation::{Highlight, PlaceState, placed_at};

/// One row of the highlights list: a placed highlight, or an orphan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedHighlight {
    pub id: String,
    /// Where it is in the plain text now; `None` for an orphan.
    pub start: Option<usize>,
    /// Placed by similarity after the article changed: needs review.
    pub review: bool,
}

impl App {
    /// The open article's highlights in text order, then its orphans.
    pub fn listed_highlights(&self) -> Vec<ListedHighlight> {
        let Some(reader) = &self.reader else {
            return Vec::new();
        };
        let placed = reader.marks.placed.iter().map(|p| ListedHighlight {
            id: p.id.clone(),
            start: Some(p.range.start),
            review: p.review,
        });
        let orphans = reader.marks.orphans.iter().map(|o| ListedHighlight {
            id: o.id.clone(),
            start: None,
            review: false,
        });
        placed.chain(orphans).collect()
    }

    /// Every tag with its passages, tags sorted case-insensitively.
    pub fn tag_index(&self) -> Vec<(String, Vec<Highlight>)> {
        let mut index: Vec<(String, Vec<Highlight>)> = Vec::new();
        for tag in self.annotations.tags() {
            let key = tag_key(&tag.name);
            let mut passages: Vec<Highlight> = self
                .annotations
                .iter()
                .filter(|h| h.tags.iter().any(|t| tag_key(t) == key))
                .cloned()
                .collect();
            passages.sort_by(|a, b| {
                (&a.article, a.latest_position().start)
                    .cmp(&(&b.article, b.latest_position().start))
            });
            index.push((tag.name, passages));
        }
        index.sort_by_key(|(name, _)| name.to_lowercase());
        index
    }

    pub(super) fn update_highlight_list(&mut self, action: Action) -> Vec<Effect> {
        let rows = self.overlay_rows() / 3;
        let listed = self.listed_highlights();
        let Some(Overlay::Highlights(cursor)) = self.overlay.as_mut() else {
            return Vec::new();
        };
        if move_list(cursor, action, listed.len(), rows) {
            return Vec::new();
        }
        let selected = listed
            .get(cursor.selected)
            .and_then(|l| self.annotations.get(&l.id))
            .cloned();
        match action {
            Action::Back | Action::ShowHighlights => self.overlay = None,
            Action::Help => self.overlay = Some(Overlay::help()),
            Action::Open => {
                let start = listed.get(cursor.selected).and_then(|l| l.start);
                match start {
                    Some(start) => {
                        self.overlay = None;
                        self.go_to_plain_offset(start);
                    }
                    None => {
                        self.notice =
                            Some("this highlight's text is no longer in the article".to_string());
                    }
                }
            }
            Action::Tag => {
                if let Some(h) = selected {
                    self.start_tagging(&h);
                }
            }
            Action::Note => {
                if let Some(h) = selected {
                    self.start_note(&h);
                }
            }
            Action::DeleteHighlight => {
                if let Some(h) = selected {
                    let effects = self.delete(&h);
                    self.clamp_highlight_list();
                    return effects;
                }
            }
            Action::Export => {
                return self
                    .reader
                    .as_ref()
                    .map(|r| vec![Effect::ExportArticle(r.article)])
                    .unwrap_or_default();
            }
            Action::Reattach => {
                if let Some(h) = selected {
                    return self.reattach(&h);
                }
            }
            Action::AcceptPlacement => {
                if let Some(h) = selected {
                    return self.accept_placement(&h);
                }
            }
            Action::Undo | Action::Redo => {
                let effects = self.undo_or_redo(action == Action::Undo);
                self.clamp_highlight_list();
                return effects;
            }
            _ => {}
        }
        Vec::new()
    }

    /// Attaches an orphan to the best candidate found for it, undoably.
    fn reattach(&mut self, highlight: &Highlight) -> Vec<Effect> {
        let Some(reader) = self.reader.as_ref() else {
            return Vec::new();
        };
        let Some(article) = self.library.articles.get(reader.article) else {
            return Vec::new();
        };
        let best = reader
            .marks
            .orphans
            .iter()
            .find(|o| o.id == highlight.id)
            .and_then(|o| o.best.clone());
        let Some((range, _)) = best else {
            let hint = KeyHint::new(&self.keymap, Mode::Highlights)
                .key(Action::DeleteHighlight, "deletes it");
            self.notice = Some(hint.explaining("nothing close enough to re-attach to"));
            return Vec::new();
        };
        let after = placed_at(
            article,
            &reader.plain,
            highlight,
            range,
            PlaceState::Reattached,
        );
        let hint = KeyHint::new(&self.keymap, Mode::Highlights).key(Action::Undo, "undoes");
        self.notice = Some(hint.after("re-attached"));
        self.change(
            Change {
                before: Some(highlight.clone()),
                after: Some(after),
            },
            Timestamp::now(),
        )
    }

    /// Accepts the passage found by similarity for a highlight whose article
    /// changed, undoably: it stops asking for review. The original quote is
    /// kept.
    pub(super) fn accept_placement(&mut self, highlight: &Highlight) -> Vec<Effect> {
        let Some(reader) = self.reader.as_ref() else {
            return Vec::new();
        };
        let Some(article) = self.library.articles.get(reader.article) else {
            return Vec::new();
        };
        let placed = reader.marks.placed.iter().find(|p| p.id == highlight.id);
        let Some(placed) = placed.filter(|p| p.review) else {
            self.notice = Some("nothing to accept: this highlight is where it was made".into());
            return Vec::new();
        };
        let after = placed_at(
            article,
            &reader.plain,
            highlight,
            placed.range.clone(),
            PlaceState::Accepted,
        );
        let hint = KeyHint::new(&self.keymap, Mode::Highlights).key(Action::Undo, "undoes");
        self.notice = Some(hint.after("accepted"));
        self.change(
            Change {
                before: Some(highlight.clone()),
                after: Some(after),
            },
            Timestamp::now(),
        )
    }

    fn clamp_highlight_list(&mut self) {
        let len = self.listed_highlights().len();
        let rows = self.overlay_rows() / 3;
        if let Some(Overlay::Highlights(cursor)) = self.overlay.as_mut() {
            cursor.move_by(0, len, rows);
        }
    }

    pub(super) fn update_tag_browser(&mut self, action: Action) {
        let rows = self.overlay_rows();
        let index = self.tag_index();
        let Some(Overlay::Tags { tags, open }) = self.overlay.as_mut() else {
            return;
        };
        match open {
            None => {
                if move_list(tags, action, index.len(), rows) {
                    return;
                }
                match action {
                    Action::Back | Action::ShowTags => self.overlay = None,
                    Action::Help => self.overlay = Some(Overlay::help()),
                    Action::Open => {
                        if let Some((name, _)) = index.get(tags.selected) {
                            *open = Some((name.clone(), ListCursor::default()));
                        }
                    }
                    _ => {}
                }
            }
            Some((name, cursor)) => {
                let passages = index
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, p)| p.clone())
                    .unwrap_or_default();
                if move_list(cursor, action, passages.len(), rows / 3) {
                    return;
                }
                match action {
                    Action::Back => *open = None,
                    Action::ShowTags => self.overlay = None,
                    Action::Help => self.overlay = Some(Overlay::help()),
                    Action::Open => {
                        if let Some(h) = passages.get(cursor.selected) {
                            let (article, id) = (h.article.clone(), h.id.clone());
                            self.overlay = None;
                            self.open_highlight(&article, &id);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// Opens the article of a highlight (by article id) at the highlight.
    pub fn open_highlight(&mut self, article_id: &str, highlight_id: &str) {
        let Some(index) = self
            .library
            .articles
            .iter()
            .position(|a| a.meta.id == article_id)
        else {
            self.notice = Some(format!("the article '{article_id}' is not in the library"));
            return;
        };
        if self.reader.as_ref().is_none_or(|r| r.article != index) {
            self.remember_position();
            self.open_article(index);
        }
        let start = self
            .reader
            .as_ref()
            .and_then(|r| r.marks.placed.iter().find(|p| p.id == highlight_id))
            .map(|p| p.range.start);
        match start {
            Some(start) => self.go_to_plain_offset(start),
            None => {
                self.notice = Some("this highlight's text is no longer in the article".to_string());
            }
        }
    }

    /// Puts the reading cursor at a plain-text offset of the open article.
    pub(super) fn go_to_plain_offset(&mut self, offset: usize) {
        let geometry = ReaderGeometry::new(self.area, false, self.column_width);
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        let Some(article) = self.library.articles.get(reader.article) else {
            return;
        };
        reader.outline = None;
        if let Some(block) = crate::annotation::block_at(article, offset) {
            let within = offset.saturating_sub(article.blocks[block].start);
            reader.go_to(article, block, within, geometry);
        }
    }
}

impl App {
    /// The help screen: scrolling, and `/` to narrow it to the keys that
    /// match a few words.
    pub(super) fn update_help(&mut self, action: Action) {
        let rows = self.overlay_rows();
        let keymap = &self.keymap;
        let Some(Overlay::Help { scroll, search }) = self.overlay.as_mut() else {
            return;
        };
        let typing = search.typing;
        match action {
            Action::DeleteChar if typing => {
                search.query.pop();
                *scroll = 0;
            }
            Action::AcceptFilter if typing => {
                search.typing = false;
                if !search.is_active() {
                    search.query.clear();
                }
            }
            Action::ClearFilter if typing => {
                *search = HelpSearch::default();
                *scroll = 0;
            }
            Action::StartFilter => search.typing = true,
            Action::Back if search.is_active() => {
                *search = HelpSearch::default();
                *scroll = 0;
            }
            Action::Back | Action::Help => self.overlay = None,
            _ => {
                let last = HelpPage::new(keymap, search).max_scroll(rows);
                scroll_page(scroll, action, rows, last);
            }
        }
    }
}

/// Scrolls a page of `rows` lines for the movement actions, at most to
/// `last`.
fn scroll_page(scroll: &mut usize, action: Action, rows: usize, last: usize) {
    let rows = rows.max(1);
    *scroll = match action {
        Action::MoveDown | Action::ScrollDown => scroll.saturating_add(1),
        Action::MoveUp | Action::ScrollUp => scroll.saturating_sub(1),
        Action::PageDown => scroll.saturating_add(rows),
        Action::PageUp => scroll.saturating_sub(rows),
        Action::Top => 0,
        Action::Bottom => last,
        _ => *scroll,
    }
    .min(last);
}

/// Moves a list cursor for the movement actions; false for any other action.
fn move_list(cursor: &mut ListCursor, action: Action, len: usize, rows: usize) -> bool {
    let rows = rows.max(1);
    match action {
        Action::MoveDown | Action::ScrollDown => cursor.move_by(1, len, rows),
        Action::MoveUp | Action::ScrollUp => cursor.move_by(-1, len, rows),
        Action::PageDown => cursor.move_by(rows as isize, len, rows),
        Action::PageUp => cursor.move_by(-(rows as isize), len, rows),
        Action::Top => cursor.to_end(false, len, rows),
        Action::Bottom => cursor.to_end(true, len, rows),
        _ => return false,
    }
    true
}
