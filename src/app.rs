//! The whole application state and its one entry point, [`App::update`]:
//! an [`Action`] comes in, the state changes, and the [`Effect`]s the loop must
//! carry out (save, quit) come back. Nothing here touches the terminal, so a
//! plain test can drive the app with scripted actions and draw it anywhere.

mod action;
pub mod filter;
pub mod flow;
pub mod geometry;
pub mod reader;
pub mod shelf;

pub use action::Action;
pub use geometry::ReaderGeometry;
pub use reader::{Cursor, Reader};
pub use shelf::Shelf;

use ratatui::layout::Rect;

use crate::input::Keymap;
use crate::search::QueryOptions;
use crate::library::Library;
use crate::store::positions::Positions;
use filter::ReaderFilter;
use shelf::{LIST_BOTTOM, LIST_TOP};

/// Which keymap applies: the screen, or the overlay on top of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// The list of articles.
    Library,
    /// Typing a filter for the list of articles.
    LibraryFilter,
    /// Reading an article.
    Reader,
    /// Typing the keyword filter of the reader.
    ReaderFilter,
    /// The outline pane has the keyboard.
    Outline,
    /// The help screen.
    Help,
    /// The list of files that could not be loaded.
    Warnings,
}

impl Mode {
    /// Modes where printable keys are typed rather than looked up.
    pub fn is_typing(self) -> bool {
        matches!(self, Mode::LibraryFilter | Mode::ReaderFilter)
    }

    /// The title used for this mode's part of the help screen.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Library => "Library",
            Mode::LibraryFilter => "Library filter (typing)",
            Mode::Reader => "Reader",
            Mode::ReaderFilter => "Reader filter (typing)",
            Mode::Outline => "Outline",
            Mode::Help => "Help",
            Mode::Warnings => "Warnings",
        }
    }
}

/// A scrollable page shown over the current screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help { scroll: usize },
    Warnings { scroll: usize },
}

/// Work for the event loop, which owns files and the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Write the reading positions file.
    SavePositions,
    /// Leave the program (after saving).
    Quit,
}

/// Everything gloss knows while it runs.
#[derive(Debug)]
pub struct App {
    pub library: Library,
    pub keymap: Keymap,
    pub positions: Positions,
    /// The positions changed in this session: what a save writes over the file,
    /// so another running gloss keeps its own.
    pub moved: Positions,
    /// Whether the positions file may be written (not if it was unreadable or newer).
    pub positions_writable: bool,
    /// The terminal area, updated on every resize.
    pub area: Rect,
    pub shelf: Shelf,
    /// Typing in the library filter line.
    pub filtering: bool,
    pub reader: Option<Reader>,
    /// Regex and accent switches, kept from one filter to the next.
    pub search_options: QueryOptions,
    pub overlay: Option<Overlay>,
    /// Problems to tell the person about: files skipped, a store kept aside.
    pub warnings: Vec<String>,
    /// A one-line message for the status line, cleared by the next key.
    pub notice: Option<String>,
}

impl App {
    pub fn new(library: Library, positions: Positions, area: Rect) -> App {
        let shelf = Shelf::new(&library);
        let warnings = library.warnings.iter().map(ToString::to_string).collect();
        App {
            library,
            keymap: Keymap::defaults(),
            positions,
            moved: Positions::new(),
            positions_writable: true,
            area,
            shelf,
            filtering: false,
            reader: None,
            search_options: QueryOptions::default(),
            overlay: None,
            warnings,
            notice: None,
        }
    }

    /// The keymap that applies now.
    pub fn mode(&self) -> Mode {
        match (self.overlay, &self.reader) {
            (Some(Overlay::Help { .. }), _) => Mode::Help,
            (Some(Overlay::Warnings { .. }), _) => Mode::Warnings,
            (None, Some(reader)) if reader.outline.is_some() => Mode::Outline,
            (None, Some(reader)) if reader.filter.as_ref().is_some_and(|f| f.typing) => Mode::ReaderFilter,
            (None, Some(_)) => Mode::Reader,
            (None, None) if self.filtering => Mode::LibraryFilter,
            (None, None) => Mode::Library,
        }
    }

    /// Applies one action and returns the work the loop must do.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        self.notice = None;
        match action {
            Action::Quit => return self.quit(),
            Action::Resize { width, height } => {
                self.area = Rect::new(0, 0, width, height);
                self.after_resize();
                return Vec::new();
            }
            _ => {}
        }
        match self.mode() {
            Mode::Help | Mode::Warnings => self.update_overlay(action),
            Mode::Library | Mode::LibraryFilter => return self.update_library(action),
            Mode::Reader => return self.update_reader(action),
            Mode::ReaderFilter => self.update_reader_filter(action),
            Mode::Outline => self.update_outline(action),
        }
        Vec::new()
    }

    fn quit(&mut self) -> Vec<Effect> {
        self.remember_position();
        vec![Effect::SavePositions, Effect::Quit]
    }

    fn remember_position(&mut self) {
        if let Some(reader) = &self.reader
            && let Some(article) = self.library.articles.get(reader.article)
        {
            self.positions
                .insert(article.meta.id.clone(), reader.position());
            self.moved
                .insert(article.meta.id.clone(), reader.position());
        }
    }

    /// Rows of the article list on screen.
    pub fn list_rows(&self) -> usize {
        usize::from(self.area.height.saturating_sub(LIST_TOP + LIST_BOTTOM)).max(1)
    }

    /// Rows of an overlay page on screen (one title row, one footer row).
    pub fn overlay_rows(&self) -> usize {
        usize::from(self.area.height.saturating_sub(2)).max(1)
    }

    pub fn geometry(&self) -> ReaderGeometry {
        let outline = self.reader.as_ref().is_some_and(|r| r.outline.is_some());
        ReaderGeometry::new(self.area, outline)
    }

    fn after_resize(&mut self) {
        let rows = self.list_rows();
        self.shelf.keep_visible(rows);
        let geometry = self.geometry();
        if let Some(reader) = self.reader.as_mut()
            && let Some(article) = self.library.articles.get(reader.article)
        {
            reader.reveal_cursor(article, geometry);
        }
    }

    fn update_overlay(&mut self, action: Action) {
        let rows = self.overlay_rows();
        let Some(overlay) = self.overlay.as_mut() else {
            return;
        };
        let (Overlay::Help { scroll } | Overlay::Warnings { scroll }) = overlay;
        match action {
            Action::Back | Action::Help | Action::ShowWarnings => self.overlay = None,
            Action::MoveDown | Action::ScrollDown => *scroll += 1,
            Action::MoveUp | Action::ScrollUp => *scroll = scroll.saturating_sub(1),
            Action::PageDown => *scroll += rows,
            Action::PageUp => *scroll = scroll.saturating_sub(rows),
            Action::Top => *scroll = 0,
            Action::Bottom => *scroll = usize::MAX / 2,
            _ => {}
        }
    }

    fn update_library(&mut self, action: Action) -> Vec<Effect> {
        let rows = self.list_rows();
        match action {
            Action::Back => return self.quit(),
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::ShowWarnings => self.overlay = Some(Overlay::Warnings { scroll: 0 }),
            Action::MoveDown | Action::ScrollDown => self.shelf.move_by(1, rows),
            Action::MoveUp | Action::ScrollUp => self.shelf.move_by(-1, rows),
            Action::PageDown => self.shelf.move_by(rows as isize, rows),
            Action::PageUp => self.shelf.move_by(-(rows as isize), rows),
            Action::Top => self.shelf.to_end(false, rows),
            Action::Bottom => self.shelf.to_end(true, rows),
            Action::Open | Action::AcceptFilter => {
                self.filtering = false;
                if let Some(index) = self.shelf.current() {
                    self.open_article(index);
                }
            }
            Action::StartFilter => self.filtering = true,
            Action::ClearFilter => {
                self.filtering = false;
                self.shelf.filter.clear();
                self.shelf.refilter(&self.library);
                self.shelf.keep_visible(rows);
            }
            Action::InsertChar(c) => {
                self.shelf.filter.push(c);
                self.shelf.refilter(&self.library);
                self.shelf.keep_visible(rows);
            }
            Action::DeleteChar => {
                self.shelf.filter.pop();
                self.shelf.refilter(&self.library);
                self.shelf.keep_visible(rows);
            }
            Action::Click { row, .. } => {
                if let Some(index) = self.shelf.row_at(row, LIST_TOP) {
                    self.shelf.selected = index;
                    self.filtering = false;
                    if let Some(article) = self.shelf.current() {
                        self.open_article(article);
                    }
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// Opens an article at its remembered position.
    pub fn open_article(&mut self, index: usize) {
        let Some(article) = self.library.articles.get(index) else {
            return;
        };
        let position = self.positions.get(&article.meta.id).copied();
        let geometry = ReaderGeometry::new(self.area, false);
        self.reader = Some(Reader::open(index, article, position, geometry));
    }

    fn update_reader(&mut self, action: Action) -> Vec<Effect> {
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
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
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
                reader.outline = Some(reader::Outline {
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
            Action::NextMatch | Action::PrevMatch => {
                if !step_match(reader, article, action == Action::NextMatch, geometry) {
                    self.notice = Some("no filter: press / to filter by keyword".to_string());
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn update_reader_filter(&mut self, action: Action) {
        let geometry = self.geometry();
        let Some(reader) = self.reader.as_mut() else { return };
        let Some(article) = self.library.articles.get(reader.article) else { return };
        let Some(filter) = reader.filter.as_mut() else { return };
        match action {
            Action::InsertChar(c) => filter.input.push(c),
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
        filter.recompute(article);
        show_first_match(reader, article, geometry);
    }

    fn update_outline(&mut self, action: Action) {
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
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
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
fn close_filter(reader: &mut Reader, article: &crate::library::Article, geometry: ReaderGeometry) {
    if let Some(filter) = reader.filter.take() {
        (reader.cursor, reader.top) = filter.return_to;
        reader.reveal_cursor(article, geometry);
    }
}

/// After the query changed: the cursor on the first match at or after where
/// the reader was, or on the first passage left when nothing is lit.
fn show_first_match(reader: &mut Reader, article: &crate::library::Article, geometry: ReaderGeometry) {
    let Some(filter) = reader.filter.as_mut() else { return };
    let (cursor, top) = filter.return_to;
    if !filter.is_active() {
        (reader.cursor, reader.top) = (cursor, top);
        return;
    }
    let start = article.blocks.get(cursor.block).and_then(|b| b.sentences.get(cursor.sentence)).map_or(0, |s| s.start);
    let matches = &filter.matches;
    let index = matches.next_hit(cursor.block, start.saturating_sub(1)).or(if matches.hits.is_empty() { None } else { Some(0) });
    filter.current = index;
    let target = index.map(|i| (matches.hits[i].block, matches.hits[i].range.start)).or_else(|| matches.passages.first().map(|&b| (b, 0)));
    match target {
        Some((block, offset)) => reader.go_to(article, block, offset, geometry),
        None => reader.top = flow::Viewport::default(),
    }
}

/// `n`/`N`: the next or previous match, wrapping around. False without a filter.
fn step_match(reader: &mut Reader, article: &crate::library::Article, forward: bool, geometry: ReaderGeometry) -> bool {
    let Some(filter) = reader.filter.as_mut().filter(|f| f.is_active()) else { return false };
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
