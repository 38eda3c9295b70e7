//! The names a configuration file uses for modes and actions (`reader`,
//! `next_section`): `snake_case` forms of [`Mode`] and [`Action`], kept here so
//! the file format does not change when a Rust name does.

use crate::app::{Action, Mode};

/// Every mode, in the order the help and `gloss config --default` list them.
pub const MODES: &[Mode] = &[
    Mode::Library,
    Mode::LibraryFilter,
    Mode::Reader,
    Mode::ReaderFilter,
    Mode::Outline,
    Mode::Highlights,
    Mode::Tags,
    Mode::TagPassages,
    Mode::TagInput,
    Mode::NoteEditor,
    Mode::LeavingNote,
    Mode::Help,
    Mode::HelpSearch,
    Mode::Warnings,
    Mode::UnsavedQuit,
];

/// Every action a key can be bound to (those that carry no data).
pub const ACTIONS: &[Action] = &[
    Action::Quit,
    Action::Suspend,
    Action::Back,
    Action::Help,
    Action::MoveDown,
    Action::MoveUp,
    Action::Open,
    Action::PageDown,
    Action::PageUp,
    Action::Top,
    Action::Bottom,
    Action::ScrollDown,
    Action::ScrollUp,
    Action::RetrySave,
    Action::WriteRecovery,
    Action::QuitAnyway,
    Action::MergeRecovered,
    Action::NextSection,
    Action::PrevSection,
    Action::ToggleOutline,
    Action::StartFilter,
    Action::AcceptFilter,
    Action::ClearFilter,
    Action::NextMatch,
    Action::PrevMatch,
    Action::ToggleRegex,
    Action::ToggleDiacritics,
    Action::ToggleResults,
    Action::ShowWarnings,
    Action::Select,
    Action::Highlight,
    Action::Tag,
    Action::Note,
    Action::DeleteHighlight,
    Action::Undo,
    Action::Redo,
    Action::ShowHighlights,
    Action::ShowTags,
    Action::Export,
    Action::Reattach,
    Action::AcceptPlacement,
    Action::Complete,
    Action::Confirm,
    Action::Cancel,
    Action::SaveNote,
    Action::DiscardNote,
    Action::NewLine,
    Action::DeleteChar,
    Action::DeleteForward,
    Action::CursorLeft,
    Action::CursorRight,
    Action::CursorUp,
    Action::CursorDown,
    Action::LineStart,
    Action::LineEnd,
];

pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Library => "library",
        Mode::LibraryFilter => "library_filter",
        Mode::Reader => "reader",
        Mode::ReaderFilter => "reader_filter",
        Mode::Outline => "outline",
        Mode::Help => "help",
        Mode::HelpSearch => "help_search",
        Mode::Warnings => "warnings",
        Mode::TagInput => "tag_input",
        Mode::NoteEditor => "note_editor",
        Mode::LeavingNote => "leaving_note",
        Mode::Highlights => "highlights",
        Mode::Tags => "tags",
        Mode::TagPassages => "tag_passages",
        Mode::UnsavedQuit => "unsaved_quit",
    }
}

pub fn mode_by_name(name: &str) -> Option<Mode> {
    MODES.iter().copied().find(|&m| mode_name(m) == name)
}

/// The configuration name of `action`; `None` for the actions that carry
/// data (typed characters, clicks, resizes), which no key can be bound to.
pub fn action_name(action: Action) -> Option<&'static str> {
    Some(match action {
        Action::Quit => "quit",
        Action::Suspend => "suspend",
        Action::Back => "back",
        Action::Help => "help",
        Action::MoveDown => "move_down",
        Action::MoveUp => "move_up",
        Action::Open => "open",
        Action::PageDown => "page_down",
        Action::PageUp => "page_up",
        Action::Top => "top",
        Action::Bottom => "bottom",
        Action::NextSection => "next_section",
        Action::PrevSection => "prev_section",
        Action::ToggleOutline => "toggle_outline",
        Action::StartFilter => "start_filter",
        Action::AcceptFilter => "accept_filter",
        Action::ClearFilter => "clear_filter",
        Action::DeleteChar => "delete_char",
        Action::ShowWarnings => "show_warnings",
        Action::ToggleResults => "toggle_results",
        Action::NextMatch => "next_match",
        Action::PrevMatch => "prev_match",
        Action::ToggleRegex => "toggle_regex",
        Action::ToggleDiacritics => "toggle_diacritics",
        Action::Select => "select",
        Action::Highlight => "highlight",
        Action::Tag => "tag",
        Action::Note => "note",
        Action::DeleteHighlight => "delete_highlight",
        Action::Undo => "undo",
        Action::Redo => "redo",
        Action::ShowHighlights => "show_highlights",
        Action::ShowTags => "show_tags",
        Action::Export => "export",
        Action::Reattach => "reattach",
        Action::AcceptPlacement => "accept_placement",
        Action::Complete => "complete",
        Action::Confirm => "confirm",
        Action::Cancel => "cancel",
        Action::SaveNote => "save_note",
        Action::DiscardNote => "discard_note",
        Action::NewLine => "new_line",
        Action::DeleteForward => "delete_forward",
        Action::CursorLeft => "cursor_left",
        Action::CursorRight => "cursor_right",
        Action::CursorUp => "cursor_up",
        Action::CursorDown => "cursor_down",
        Action::LineStart => "line_start",
        Action::LineEnd => "line_end",
        Action::ScrollDown => "scroll_down",
        Action::ScrollUp => "scroll_up",
        Action::RetrySave => "retry_save",
        Action::WriteRecovery => "write_recovery",
        Action::QuitAnyway => "quit_anyway",
        Action::MergeRecovered => "merge_recovered",
        Action::InsertChar(_) | Action::Click { .. } | Action::Resize { .. } => return None,
    })
}

pub fn action_by_name(name: &str) -> Option<Action> {
    ACTIONS
        .iter()
        .copied()
        .find(|&a| action_name(a) == Some(name))
}

/// The known name closest to a misspelt one, when one is close enough to be
/// what was meant.
pub fn closest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|name| (strsim::jaro_winkler(wrong, name), name))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Keymap;

    #[test]
    fn every_mode_and_action_round_trips_by_name() {
        for &mode in MODES {
            assert_eq!(mode_by_name(mode_name(mode)), Some(mode));
        }
        for &action in ACTIONS {
            let name = action_name(action).unwrap_or_else(|| panic!("{action:?} has no name"));
            assert_eq!(action_by_name(name), Some(action), "{name}");
        }
    }

    #[test]
    fn every_default_binding_can_be_named() {
        for binding in Keymap::defaults().bindings() {
            let name = action_name(binding.action);
            assert!(
                name.and_then(action_by_name) == Some(binding.action),
                "{:?} cannot be named in a configuration",
                binding.action
            );
            assert!(MODES.contains(&binding.mode), "{:?}", binding.mode);
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = ACTIONS.iter().filter_map(|&a| action_name(a)).collect();
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count);
    }

    #[test]
    fn a_misspelling_finds_the_name_meant() {
        let known = ACTIONS.iter().filter_map(|&a| action_name(a));
        assert_eq!(closest("next_sectoin", known.clone()), Some("next_section"));
        assert_eq!(closest("zzz", known), None);
    }
}
