//! The whole application state and its one entry point, [`App::update`]:
//! an [`Action`] comes in, the state changes, and the [`Effect`]s the loop must
//! carry out (save, quit) come back. Nothing here touches the terminal, so a
//! plain test can drive the app with scripted actions and draw it anywhere.

mod action;
pub mod filter;
pub mod flow;
pub mod geometry;
pub mod help;
pub mod history;
pub mod library_search;
pub mod marks;
pub mod note_editor;
mod on_annotate;
mod on_library;
mod on_lists;
mod on_reader;
mod on_store;
pub mod reader;
pub mod shelf;
mod typing;

pub use action::Action;
pub use geometry::ReaderGeometry;
pub use on_lists::ListedHighlight;
pub use reader::{Cursor, Reader};
pub use shelf::Shelf;

use ratatui::layout::Rect;

use crate::annotation::AnnotationIndex;
use crate::annotation::Color;
use crate::input::Keymap;
use crate::library::Library;
use crate::search::QueryOptions;
use crate::store::annotations::Annotations;
use crate::store::positions::Positions;
use history::History;
use note_editor::NoteEditor;
use shelf::ListCursor;
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
    /// Typing a search of the help screen.
    HelpSearch,
    /// The list of files that could not be loaded.
    Warnings,
    /// Typing the tags of a highlight.
    TagInput,
    /// Writing the note of a highlight.
    NoteEditor,
    /// Leaving a note whose text changed: save, discard or keep editing.
    LeavingNote,
    /// The list of this article's highlights.
    Highlights,
    /// The tag browser: every tag.
    Tags,
    /// The tag browser: the passages of one tag.
    TagPassages,
    /// Quitting while annotations could not be saved: retry, keep them in
    /// a recovery file, or quit anyway.
    UnsavedQuit,
}

impl Mode {
    /// Modes where printable keys are typed rather than looked up.
    pub fn is_typing(self) -> bool {
        matches!(
            self,
            Mode::LibraryFilter
                | Mode::ReaderFilter
                | Mode::HelpSearch
                | Mode::TagInput
                | Mode::NoteEditor
        )
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
            Mode::HelpSearch => "Help search (typing)",
            Mode::Warnings => "Warnings",
            Mode::TagInput => "Tagging a highlight (typing)",
            Mode::NoteEditor => "Note editor (typing)",
            Mode::LeavingNote => "Leaving a changed note",
            Mode::Highlights => "Highlights of this article",
            Mode::Tags => "Tag browser",
            Mode::TagPassages => "Tag browser: passages",
            Mode::UnsavedQuit => "Quitting with unsaved annotations",
        }
    }
}

/// A page shown over the current screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The keys, narrowed by `search` when it has words.
    Help {
        scroll: usize,
        search: help::HelpSearch,
    },
    Warnings {
        scroll: usize,
    },
    /// The open article's highlights, orphans last.
    Highlights(ListCursor),
    /// Every tag of the library; with `open`, the passages of one tag.
    Tags {
        tags: ListCursor,
        open: Option<(String, ListCursor)>,
    },
}

impl Overlay {
    /// The help screen at its top, with no search.
    pub fn help() -> Overlay {
        Overlay::Help {
            scroll: 0,
            search: help::HelpSearch::default(),
        }
    }
}

/// Typing the tags of a highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagInput {
    /// The highlight being tagged.
    pub id: String,
    /// Tags separated by commas, as typed.
    pub input: String,
    /// The word being completed and which suggestion Tab showed last.
    pub completing: Option<(String, usize)>,
}

/// Writing the note of a highlight.
#[derive(Debug, Clone)]
pub struct NoteDraft {
    pub id: String,
    pub editor: NoteEditor,
    /// Esc was pressed with the text changed: the editor asks whether to
    /// save, discard or keep editing.
    pub leaving: bool,
}

/// Work for the event loop, which owns files and the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Write the reading positions file.
    SavePositions,
    /// Write the annotations file (in the background).
    SaveAnnotations,
    /// Export the notes of the article at this library index to the export folder.
    ExportArticle(usize),
    /// Write the annotations not yet saved to a recovery file beside the store
    /// (see [`App::snapshot`]) and tell the app with [`App::recovery_written`].
    WriteRecovery,
    /// Merge the recovery files in [`App::recoveries`] into the store and
    /// tell the app with [`App::recoveries_merged`].
    MergeRecovered,
    /// Remove the recovery file this run wrote ([`App::recovery_file`]): a
    /// save succeeded since, so it holds nothing that is not on disk.
    RemoveRecovery,
    /// Leave the program (after saving).
    Quit,
    /// Give the terminal back and stop until continued, then draw it all again.
    Suspend,
}

/// Everything gloss knows while it runs.
// The flags are independent switches (typing, two files' writability, a save
// asked for); an enum would only hide that.
#[allow(clippy::struct_excessive_bools)]
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
    /// Every highlight of the library.
    pub annotations: Annotations,
    /// Whether the annotations file may be written (not if unreadable or newer).
    pub annotations_writable: bool,
    /// While the annotations are read-only: one line saying which file, where
    /// and what to do, shown at the top of the library and the reader.
    pub read_only_banner: Option<String>,
    /// Set by whoever feeds the app input while more input waits to be
    /// handled: long work (the library filter) stops early and is done again
    /// for the newest input. Never set in tests that drive the app directly.
    pub input_waiting: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The library filter was stopped by new input and must run again.
    shelf_stale: bool,
    pub history: History,
    /// The colour of the next highlight.
    pub color: Color,
    pub tag_input: Option<TagInput>,
    pub note: Option<NoteDraft>,
    /// Annotations changed outside the undo history (anchors repaired): save them.
    save_requested: bool,
    /// Annotations by article and passage, for the library screen.
    pub annotation_index: AnnotationIndex,
    /// Why the reading positions could not be saved, until a save succeeds:
    /// told again on the way out, after the status line is gone.
    pub unsaved_positions: Option<String>,
    /// The widest the reading column gets, in cells (`reading_width`).
    pub column_width: u16,
    /// What the annotations file held when this app last read it or was
    /// told it was saved: the base of three-way merges with it.
    annotations_base: Annotations,
    /// Why the last save of the annotations failed, shown until one succeeds.
    save_failure: Option<String>,
    /// The question asked on quitting while annotations are unsaved is open.
    unsaved_prompt: bool,
    /// Quitting although annotations could not be saved.
    quitting_unsaved: bool,
    /// The recovery file this run wrote, with the highlights it holds: not
    /// written again for the same state, and removed once a save succeeds.
    recovered: Option<(std::path::PathBuf, Annotations)>,
    /// Recovery files left by an earlier run, to merge (`R` on the library).
    pub recoveries: Vec<std::path::PathBuf>,
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
            annotations: Annotations::new(),
            annotations_writable: true,
            read_only_banner: None,
            input_waiting: std::sync::Arc::default(),
            shelf_stale: false,
            history: History::default(),
            color: Color::default(),
            tag_input: None,
            note: None,
            save_requested: false,
            annotation_index: AnnotationIndex::default(),
            unsaved_positions: None,
            column_width: geometry::DEFAULT_COLUMN_WIDTH,
            annotations_base: Annotations::new(),
            save_failure: None,
            unsaved_prompt: false,
            quitting_unsaved: false,
            recovered: None,
            recoveries: Vec::new(),
        }
    }

    /// The keymap that applies now.
    pub fn mode(&self) -> Mode {
        if self.unsaved_prompt {
            return Mode::UnsavedQuit;
        }
        if let Some(draft) = &self.note {
            return if draft.leaving {
                Mode::LeavingNote
            } else {
                Mode::NoteEditor
            };
        }
        if self.tag_input.is_some() {
            return Mode::TagInput;
        }
        match (&self.overlay, &self.reader) {
            (Some(Overlay::Help { search, .. }), _) if search.typing => Mode::HelpSearch,
            (Some(Overlay::Help { .. }), _) => Mode::Help,
            (Some(Overlay::Warnings { .. }), _) => Mode::Warnings,
            (Some(Overlay::Highlights(_)), _) => Mode::Highlights,
            (Some(Overlay::Tags { open: None, .. }), _) => Mode::Tags,
            (Some(Overlay::Tags { open: Some(_), .. }), _) => Mode::TagPassages,
            (None, Some(reader)) if reader.outline.is_some() => Mode::Outline,
            (None, Some(reader)) if reader.filter.as_ref().is_some_and(|f| f.typing) => {
                Mode::ReaderFilter
            }
            (None, Some(_)) => Mode::Reader,
            (None, None) if self.filtering => Mode::LibraryFilter,
            (None, None) => Mode::Library,
        }
    }

    /// Applies one action and returns the work the loop must do.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = self.dispatch(action);
        self.finish_stale_filter();
        if std::mem::take(&mut self.save_requested) && !effects.contains(&Effect::SaveAnnotations) {
            effects.insert(0, Effect::SaveAnnotations);
        }
        effects
    }

    /// Starts from the annotations read from disk (also the base of the
    /// merges with the file that follow).
    pub fn set_annotations(&mut self, annotations: Annotations, writable: bool) {
        self.annotations_base = annotations.clone();
        self.annotations = annotations;
        self.annotations_writable = writable;
        self.after_annotation_change();
    }

    fn dispatch(&mut self, action: Action) -> Vec<Effect> {
        self.notice = None;
        match action {
            Action::Quit if self.unsaved_prompt => return self.quit_anyway(),
            Action::QuitAnyway => return self.quit_anyway(),
            Action::Quit => return self.quit(),
            Action::Suspend => {
                // A stopped program may be killed: the place is saved first.
                self.remember_position();
                return vec![Effect::SavePositions, Effect::Suspend];
            }
            Action::Resize { width, height } => {
                self.area = Rect::new(0, 0, width, height);
                self.after_resize();
                return Vec::new();
            }
            // Every one-line input takes text the same way, capped.
            Action::InsertChar(c) if self.mode().is_typing() && self.mode() != Mode::NoteEditor => {
                self.type_text(std::iter::once(c));
                return Vec::new();
            }
            _ => {}
        }
        match self.mode() {
            Mode::UnsavedQuit => return self.update_unsaved_quit(action),
            Mode::Help | Mode::HelpSearch => self.update_help(action),
            Mode::Warnings => self.update_overlay(action),
            Mode::TagInput => return self.update_tag_input(action),
            Mode::NoteEditor | Mode::LeavingNote => return self.update_note(action),
            Mode::Highlights => return self.update_highlight_list(action),
            Mode::Tags | Mode::TagPassages => self.update_tag_browser(action),
            Mode::Library | Mode::LibraryFilter => return self.update_library(action),
            Mode::Reader => return self.update_reader(action),
            Mode::ReaderFilter => self.update_reader_filter(action),
            Mode::Outline => self.update_outline(action),
        }
        Vec::new()
    }

    fn quit(&mut self) -> Vec<Effect> {
        // A changed note is never dropped without asking: the first quit
        // asks as Esc does; a second one, after the question, quits.
        if let Some(draft) = self.note.as_mut()
            && draft.editor.is_changed()
            && !draft.leaving
        {
            draft.leaving = true;
            return Vec::new();
        }
        if self.save_failure.is_some() && self.annotations_writable {
            self.unsaved_prompt = true;
            return Vec::new();
        }
        self.remember_position();
        vec![Effect::SavePositions, Effect::Quit]
    }

    /// Whether a note is open with text not yet saved.
    pub fn note_has_changes(&self) -> bool {
        self.note
            .as_ref()
            .is_some_and(|draft| draft.editor.is_changed())
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
        ReaderGeometry::new(self.screen_area(), outline, self.column_width)
    }

    /// The screen less the read-only banner's row, when there is one.
    pub fn screen_area(&self) -> Rect {
        match &self.read_only_banner {
            Some(_) if self.area.height > 1 => Rect {
                y: self.area.y + 1,
                height: self.area.height - 1,
                ..self.area
            },
            _ => self.area,
        }
    }

    fn after_resize(&mut self) {
        let rows = self.shelf_rows();
        let (len, list) = self.shelf.list();
        list.move_by(0, len, rows);
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
        let Overlay::Warnings { scroll } = overlay else {
            return;
        };
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
}
