//! The user's vocabulary: every thing a person can ask gloss to do. Keys, mouse
//! events and resizes are all turned into an [`Action`] before the app sees them,
//! and the help screen describes bindings with [`Action::describe`].

use super::Mode;

/// One request from the person at the keyboard (or mouse, or window manager).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Quit gloss after saving, from anywhere.
    Quit,
    /// Give the terminal back to the shell and stop until `fg`, as Ctrl-z
    /// does in less and vim.
    Suspend,
    /// Close what is open: overlay, outline, filter, reader; quits from the library.
    Back,
    /// Show or hide the help screen.
    Help,
    /// Move down one item (a list row, a sentence in the reader).
    MoveDown,
    /// Move up one item.
    MoveUp,
    /// Open the selected article or jump to the selected section.
    Open,
    /// Scroll one page down.
    PageDown,
    /// Scroll one page up.
    PageUp,
    /// Go to the top.
    Top,
    /// Go to the bottom.
    Bottom,
    /// Jump to the next section.
    NextSection,
    /// Jump to the start of this section, or to the previous one.
    PrevSection,
    /// Show or hide the outline of sections.
    ToggleOutline,
    /// Start typing a filter for the list.
    StartFilter,
    /// Stop typing and open the selected article (the filter stays).
    AcceptFilter,
    /// Clear the typed filter.
    ClearFilter,
    /// Delete the last character of the input line.
    DeleteChar,
    /// Type a character into the input line.
    InsertChar(char),
    /// Show the files that could not be loaded.
    ShowWarnings,
    /// Switch the library between matching articles and matching passages.
    ToggleResults,
    /// Move to the next match of the keyword filter.
    NextMatch,
    /// Move to the previous match of the keyword filter.
    PrevMatch,
    /// Switch the filter between plain words and regular expressions.
    ToggleRegex,
    /// Switch whether the filter ignores accents (`e` finds `é`).
    ToggleDiacritics,
    /// Start a selection at the cursor, or end the one in progress.
    Select,
    /// Highlight the selection or the sentence under the cursor; on a
    /// highlight, change its colour to the next one.
    Highlight,
    /// Tag the highlight under the cursor.
    Tag,
    /// Add or edit the note of the highlight under the cursor.
    Note,
    /// Delete the highlight under the cursor.
    DeleteHighlight,
    /// Undo the last annotation change.
    Undo,
    /// Redo the last undone annotation change.
    Redo,
    /// List this article's highlights.
    ShowHighlights,
    /// Browse every tag of the library and its passages.
    ShowTags,
    /// Export this article's highlights and notes to Markdown.
    Export,
    /// Attach an orphaned highlight to the closest passage found.
    Reattach,
    /// Accept the passage gloss found for a highlight whose text changed.
    AcceptPlacement,
    /// Complete the tag being typed.
    Complete,
    /// Keep what was typed (tags).
    Confirm,
    /// Drop what was typed and close the input.
    Cancel,
    /// Save the note being edited.
    SaveNote,
    /// Drop the changes to the note and close the editor.
    DiscardNote,
    /// Start a new line in the note.
    NewLine,
    /// Delete the character after the cursor.
    DeleteForward,
    /// Move the text cursor left.
    CursorLeft,
    /// Move the text cursor right.
    CursorRight,
    /// Move the text cursor up a line.
    CursorUp,
    /// Move the text cursor down a line.
    CursorDown,
    /// Move the text cursor to the start of the line.
    LineStart,
    /// Move the text cursor to the end of the line.
    LineEnd,
    /// Try again to save the annotations that could not be saved.
    RetrySave,
    /// Write the annotations that could not be saved to a recovery file.
    WriteRecovery,
    /// Quit although annotations could not be saved (they go to a recovery file).
    QuitAnyway,
    /// Merge the annotations kept in recovery files into the store.
    MergeRecovered,
    /// Scroll the text down by a few lines (mouse wheel).
    ScrollDown,
    /// Scroll the text up by a few lines (mouse wheel).
    ScrollUp,
    /// A mouse click at a screen cell.
    Click { column: u16, row: u16 },
    /// The terminal changed size.
    Resize { width: u16, height: u16 },
}

impl Action {
    /// The description shown in the help screen for `mode`: where the same
    /// action does something particular there, it says so.
    pub fn describe_in(self, mode: Mode) -> &'static str {
        match (mode, self) {
            (Mode::ReaderFilter, Action::AcceptFilter) => "keep the filter and read the matches",
            (Mode::Help, Action::StartFilter) => "search the keys",
            (Mode::Help | Mode::HelpSearch, Action::MoveDown) => "scroll down",
            (Mode::Help | Mode::HelpSearch, Action::MoveUp) => "scroll up",
            (Mode::Help, Action::Back) => "clear the search, or close the help",
            (Mode::HelpSearch, Action::AcceptFilter) => "keep the search and scroll the keys",
            (Mode::HelpSearch, Action::ClearFilter) => "clear the search",
            (Mode::HelpSearch, Action::DeleteChar) => "delete a character",
            (Mode::NoteEditor, Action::Cancel) => "close (asks first if the note changed)",
            (Mode::LeavingNote, Action::Cancel) => "keep editing",
            _ => self.describe(),
        }
    }

    /// The one-line description shown in the help screen.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit (saves first)",
            Action::Suspend => "suspend to the shell (fg comes back)",
            Action::Back => "back / close; quit from the library",
            Action::Help => "show or hide this help",
            Action::MoveDown => "move down (next sentence in the reader)",
            Action::MoveUp => "move up (previous sentence in the reader)",
            Action::Open => "open the article / jump to the section",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::Top => "go to the top",
            Action::Bottom => "go to the bottom",
            Action::NextSection => "next section",
            Action::PrevSection => "start of section / previous section",
            Action::ToggleOutline => "outline of sections",
            Action::StartFilter => "filter as you type",
            Action::AcceptFilter => "open the selected article",
            Action::ClearFilter => "clear the filter (and return to where you were)",
            Action::DeleteChar => "delete a character",
            Action::InsertChar(_) => "type",
            Action::ShowWarnings => "files that could not be loaded",
            Action::ToggleResults => "articles / matching passages",
            Action::NextMatch => "next match",
            Action::PrevMatch => "previous match",
            Action::ToggleRegex => "regex on/off",
            Action::ToggleDiacritics => "ignore accents on/off",
            Action::Select => "start / end a selection (j/k extend it)",
            Action::Highlight => "highlight the selection or sentence; again: next colour",
            Action::Tag => "tag the highlight under the cursor",
            Action::Note => "add / edit the note of the highlight",
            Action::DeleteHighlight => "delete the highlight under the cursor",
            Action::Undo => "undo the last annotation change",
            Action::Redo => "redo",
            Action::ShowHighlights => "this article's highlights",
            Action::ShowTags => "tag browser: every tag and its passages",
            Action::Export => "export this article's notes to Markdown",
            Action::Reattach => "re-attach an orphaned highlight to its best match",
            Action::AcceptPlacement => "accept the changed passage found for a highlight",
            Action::Complete => "complete the tag from tags already used",
            Action::Confirm => "save",
            Action::Cancel => "cancel",
            Action::SaveNote => "save the note",
            Action::DiscardNote => "discard the changes to the note",
            Action::NewLine => "new line",
            Action::DeleteForward => "delete forward",
            Action::CursorLeft => "cursor left",
            Action::CursorRight => "cursor right",
            Action::CursorUp => "cursor up",
            Action::CursorDown => "cursor down",
            Action::LineStart => "start of line",
            Action::LineEnd => "end of line",
            Action::RetrySave => "try the save again",
            Action::WriteRecovery => "write the unsaved annotations to a recovery file",
            Action::QuitAnyway => "quit; the unsaved annotations go to a recovery file",
            Action::MergeRecovered => "merge annotations kept in recovery files",
            Action::ScrollDown => "scroll down",
            Action::ScrollUp => "scroll up",
            Action::Click { .. } => "click",
            Action::Resize { .. } => "resize",
        }
    }
}
