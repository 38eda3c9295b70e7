//! The keymap is data: a table of (modes, key, action) rows. The event loop looks
//! keys up here and the help screen is printed from the same rows, so what the
//! help says is what the keys do.

use std::collections::HashMap;

use super::keys::{KeyChord, KeyNameError};
use crate::app::{Action, Mode};

use Mode::{
    Help, HelpSearch, Highlights, LeavingNote, Library, LibraryFilter, NoteEditor, Outline, Reader,
    ReaderFilter, TagInput, TagPassages, Tags, UnsavedQuit, Warnings,
};

/// Every mode.
const ALL: &[Mode] = &[
    Library,
    LibraryFilter,
    Reader,
    ReaderFilter,
    Outline,
    Help,
    HelpSearch,
    Warnings,
    TagInput,
    NoteEditor,
    LeavingNote,
    Highlights,
    Tags,
    TagPassages,
    UnsavedQuit,
];
/// Modes where the keyboard navigates rather than types.
const BROWSING: &[Mode] = &[
    Library,
    Reader,
    Outline,
    Help,
    Warnings,
    Highlights,
    Tags,
    TagPassages,
];
/// Modes showing a list or page to move through.
const LISTS: &[Mode] = &[
    Library,
    Reader,
    Outline,
    Help,
    Warnings,
    Highlights,
    Tags,
    TagPassages,
];
/// Lists whose rows open something.
const OPENERS: &[Mode] = &[Library, Outline, Highlights, Tags, TagPassages];
/// Overlays that close with `q`, `Esc` or the key that opened them.
const OVERLAYS: &[Mode] = &[Outline, Help, Warnings, Highlights, Tags, TagPassages];
/// Where highlights can be changed: the text and the list of highlights.
const ANNOTATING: &[Mode] = &[Reader, Highlights];

/// The default bindings. Order matters only for the help screen.
const DEFAULTS: &[(&[Mode], &str, Action)] = &[
    (ALL, "Ctrl-c", Action::Quit),
    (&[Library, Reader], "Ctrl-z", Action::Suspend),
    (BROWSING, "q", Action::Back),
    (BROWSING, "?", Action::Help),
    (OVERLAYS, "Esc", Action::Back),
    (LISTS, "j", Action::MoveDown),
    (LISTS, "Down", Action::MoveDown),
    (LISTS, "k", Action::MoveUp),
    (LISTS, "Up", Action::MoveUp),
    (OPENERS, "Enter", Action::Open),
    (LISTS, "Space", Action::PageDown),
    (LISTS, "PgDn", Action::PageDown),
    (LISTS, "b", Action::PageUp),
    (LISTS, "PgUp", Action::PageUp),
    (LISTS, "g", Action::Top),
    (LISTS, "Home", Action::Top),
    (LISTS, "G", Action::Bottom),
    (LISTS, "End", Action::Bottom),
    (&[Reader], "]", Action::NextSection),
    (&[Reader], "[", Action::PrevSection),
    (&[Reader, Outline], "o", Action::ToggleOutline),
    (&[Library, Reader, Help], "/", Action::StartFilter),
    (&[Reader], "n", Action::NextMatch),
    (&[Reader], "N", Action::PrevMatch),
    (&[Reader], "Esc", Action::ClearFilter),
    (&[Reader], "v", Action::Select),
    (&[Reader], "h", Action::Highlight),
    (ANNOTATING, "t", Action::Tag),
    (ANNOTATING, "a", Action::Note),
    (ANNOTATING, "d", Action::DeleteHighlight),
    (ANNOTATING, "u", Action::Undo),
    (ANNOTATING, "Ctrl-r", Action::Redo),
    (&[Reader, Highlights], "H", Action::ShowHighlights),
    (&[Highlights], "r", Action::Reattach),
    (ANNOTATING, "A", Action::AcceptPlacement),
    (&[Reader, Highlights], "e", Action::Export),
    (&[Library, Reader, Tags, TagPassages], "T", Action::ShowTags),
    (&[Library], "Esc", Action::ClearFilter),
    (&[Library], "w", Action::ShowWarnings),
    (&[Library], "R", Action::MergeRecovered),
    (&[UnsavedQuit], "r", Action::RetrySave),
    (&[UnsavedQuit], "w", Action::WriteRecovery),
    (&[UnsavedQuit], "q", Action::QuitAnyway),
    (&[UnsavedQuit], "Esc", Action::Back),
    (&[Library, LibraryFilter], "Tab", Action::ToggleResults),
    (
        &[LibraryFilter, ReaderFilter, HelpSearch],
        "Enter",
        Action::AcceptFilter,
    ),
    (
        &[LibraryFilter, ReaderFilter, HelpSearch],
        "Esc",
        Action::ClearFilter,
    ),
    (
        &[
            LibraryFilter,
            ReaderFilter,
            HelpSearch,
            TagInput,
            NoteEditor,
        ],
        "Backspace",
        Action::DeleteChar,
    ),
    (
        &[LibraryFilter, ReaderFilter],
        "Ctrl-r",
        Action::ToggleRegex,
    ),
    (
        &[LibraryFilter, ReaderFilter],
        "Ctrl-d",
        Action::ToggleDiacritics,
    ),
    (&[LibraryFilter], "Down", Action::MoveDown),
    (&[LibraryFilter], "Up", Action::MoveUp),
    (&[ReaderFilter], "Down", Action::NextMatch),
    (&[ReaderFilter], "Up", Action::PrevMatch),
    (&[HelpSearch], "Down", Action::MoveDown),
    (&[HelpSearch], "Up", Action::MoveUp),
    (&[HelpSearch], "PgDn", Action::PageDown),
    (&[HelpSearch], "PgUp", Action::PageUp),
    (&[TagInput], "Tab", Action::Complete),
    (&[TagInput], "Enter", Action::Confirm),
    (&[TagInput, NoteEditor], "Esc", Action::Cancel),
    (&[NoteEditor], "Ctrl-s", Action::SaveNote),
    (&[NoteEditor], "Enter", Action::NewLine),
    (&[NoteEditor], "Delete", Action::DeleteForward),
    (&[NoteEditor], "Left", Action::CursorLeft),
    (&[NoteEditor], "Right", Action::CursorRight),
    (&[NoteEditor], "Up", Action::CursorUp),
    (&[NoteEditor], "Down", Action::CursorDown),
    (&[NoteEditor], "Home", Action::LineStart),
    (&[NoteEditor], "End", Action::LineEnd),
    (&[LeavingNote], "s", Action::SaveNote),
    (&[LeavingNote], "d", Action::DiscardNote),
    (&[LeavingNote], "Esc", Action::Cancel),
    (&[LeavingNote], "e", Action::Cancel),
];

/// One row of the keymap, for lookups and for the help screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub mode: Mode,
    pub key: KeyChord,
    pub action: Action,
}

/// One change a configuration file makes to the keymap: in `mode`, `key`
/// does `action` from now on, or nothing when `action` is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyOverride {
    pub mode: Mode,
    pub key: KeyChord,
    pub action: Option<Action>,
}

/// Key lookups per mode.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
    index: HashMap<(Mode, KeyChord), Action>,
}

/// Two actions bound to the same key in the same mode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error(transparent)]
    KeyName(#[from] KeyNameError),
    #[error("key {key} is bound twice in {mode:?}: to {first:?} and to {second:?}")]
    Clash {
        mode: Mode,
        key: KeyChord,
        first: Action,
        second: Action,
    },
}

impl Keymap {
    /// The built-in keymap.
    pub fn defaults() -> Keymap {
        // The defaults are a constant table checked by a test; should one ever
        // fail to parse, the rows that do parse still make a working keymap.
        Keymap::from_rows(DEFAULTS).unwrap_or_else(|_| {
            let rows: Vec<Binding> = DEFAULTS
                .iter()
                .flat_map(|(modes, key, action)| {
                    let key = KeyChord::parse(key).ok();
                    modes.iter().filter_map(move |&mode| {
                        key.map(|key| Binding {
                            mode,
                            key,
                            action: *action,
                        })
                    })
                })
                .collect();
            Keymap::from_bindings(rows)
        })
    }

    fn from_rows(rows: &[(&[Mode], &str, Action)]) -> Result<Keymap, KeymapError> {
        let mut bindings = Vec::new();
        let mut index: HashMap<(Mode, KeyChord), Action> = HashMap::new();
        for (modes, key, action) in rows {
            let key = KeyChord::parse(key)?;
            for &mode in *modes {
                if let Some(&first) = index.get(&(mode, key)) {
                    if first != *action {
                        return Err(KeymapError::Clash {
                            mode,
                            key,
                            first,
                            second: *action,
                        });
                    }
                    continue;
                }
                index.insert((mode, key), *action);
                bindings.push(Binding {
                    mode,
                    key,
                    action: *action,
                });
            }
        }
        Ok(Keymap { bindings, index })
    }

    fn from_bindings(bindings: Vec<Binding>) -> Keymap {
        let index = bindings
            .iter()
            .map(|b| ((b.mode, b.key), b.action))
            .collect();
        Keymap { bindings, index }
    }

    /// This keymap with `overrides` applied in order. A key bound anew
    /// replaces what it did in that mode (its place in the help stays); a key
    /// new to the mode is added after the others; `None` unbinds.
    #[must_use]
    pub fn with_overrides(&self, overrides: &[KeyOverride]) -> Keymap {
        let mut bindings = self.bindings.clone();
        for change in overrides {
            let existing = bindings
                .iter()
                .position(|b| b.mode == change.mode && b.key == change.key);
            match (existing, change.action) {
                (Some(i), Some(action)) => bindings[i].action = action,
                (Some(i), None) => {
                    bindings.remove(i);
                }
                (None, Some(action)) => bindings.push(Binding {
                    mode: change.mode,
                    key: change.key,
                    action,
                }),
                (None, None) => {}
            }
        }
        Keymap::from_bindings(bindings)
    }

    /// Every binding, in table order.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The action bound to `key` in `mode`.
    pub fn lookup(&self, mode: Mode, key: KeyChord) -> Option<Action> {
        self.index.get(&(mode, key)).copied()
    }

    /// The rows for one mode, actions in table order with all their keys:
    /// `(action, ["j", "Down"])`.
    pub fn help_rows(&self, mode: Mode) -> Vec<(Action, Vec<String>)> {
        let mut rows: Vec<(Action, Vec<String>)> = Vec::new();
        for binding in self.bindings.iter().filter(|b| b.mode == mode) {
            let key = binding.key.to_string();
            match rows.iter_mut().find(|(a, _)| *a == binding.action) {
                Some((_, keys)) => keys.push(key),
                None => rows.push((binding.action, vec![key])),
            }
        }
        rows
    }
}

#[cfg(test)]
mod tests;
