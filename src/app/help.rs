//! Searching the help screen. `/` in the help narrows the keymap's rows to
//! those whose keys, description or mode title contain every typed word
//! (case does not matter), and says where each word is so the view can light
//! it. Pure: the view asks [`HelpPage::new`] for what to show. The key
//! hints elsewhere on screen ([`hint`]) name keys from the same keymap rows.

use std::ops::Range;

use super::{Action, Mode};
use crate::input::Keymap;

pub mod hint;

/// The modes listed in the help screen, in this order.
pub const HELP_MODES: &[Mode] = &[
    Mode::Library,
    Mode::LibraryFilter,
    Mode::Reader,
    Mode::ReaderFilter,
    Mode::Outline,
    Mode::Help,
    Mode::HelpSearch,
];

/// The search of the help screen, kept while the help is open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpSearch {
    /// What was typed after `/`.
    pub query: String,
    /// Whether keys type into the query (between `/` and Enter or Esc).
    pub typing: bool,
}

impl HelpSearch {
    /// Whether rows are being left out.
    pub fn is_active(&self) -> bool {
        !HelpQuery::new(&self.query).is_empty()
    }
}

/// One row of the help: an action and every key that does it in one mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpRow {
    pub mode: Mode,
    pub action: Action,
    /// Key names, as the keymap prints them (`j`, `Down`).
    pub keys: Vec<String>,
}

impl HelpRow {
    /// The keys as the help shows them: `j, Down`.
    pub fn keys_text(&self) -> String {
        self.keys.join(", ")
    }

    /// What the keys do, in words.
    pub fn description(&self) -> &'static str {
        self.action.describe_in(self.mode)
    }
}

/// Every row of the help, mode by mode in [`HELP_MODES`] order.
pub fn help_rows(keymap: &Keymap) -> Vec<HelpRow> {
    HELP_MODES
        .iter()
        .flat_map(|&mode| {
            keymap
                .help_rows(mode)
                .into_iter()
                .map(move |(action, keys)| HelpRow { mode, action, keys })
        })
        .collect()
}

/// A typed query: words, each of which must be found somewhere in a row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpQuery {
    /// Each word in lower case, as characters.
    words: Vec<Vec<char>>,
}

impl HelpQuery {
    pub fn new(input: &str) -> HelpQuery {
        HelpQuery {
            words: input
                .split_whitespace()
                .map(|word| word.chars().flat_map(char::to_lowercase).collect())
                .collect(),
        }
    }

    /// No words: every row is shown.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether every word is in the row's keys, its description or the
    /// title of its mode.
    pub fn matches(&self, row: &HelpRow) -> bool {
        let keys = row.keys_text();
        let fields = [keys.as_str(), row.description(), row.mode.title()];
        self.words.iter().all(|word| {
            fields
                .iter()
                .any(|field| !occurrences(field, word).is_empty())
        })
    }

    /// Where the words are in `text`: sorted byte ranges, overlaps merged,
    /// each on character boundaries.
    pub fn lit(&self, text: &str) -> Vec<Range<usize>> {
        crate::search::merge_ranges(
            self.words
                .iter()
                .flat_map(|word| occurrences(text, word))
                .collect(),
        )
    }
}

/// The filter's query language, shown under the keys.
const QUERY_NOTES_HEADING: &str = "Filter queries (after /, in the library and the reader)";
const QUERY_NOTES: &[(QueryNote, &str)] = &[
    (
        QueryNote::Typed("word word"),
        "every word must match, in any order",
    ),
    (
        QueryNote::Typed("\"a phrase\""),
        "the words together, as typed",
    ),
    (
        QueryNote::Typed("-word"),
        "leave out passages with this word",
    ),
    (
        QueryNote::Typed("Word"),
        "an upper-case letter makes it case-sensitive",
    ),
    (
        QueryNote::Key(Action::ToggleRegex, ""),
        "words are regular expressions",
    ),
    (
        QueryNote::Key(Action::ToggleDiacritics, ""),
        "ignore accents: e finds é",
    ),
    (
        QueryNote::Typed("tag:NAME has:note"),
        "passages with a tagged highlight / a note",
    ),
    (
        QueryNote::Key(Action::ToggleResults, " (library)"),
        "the matching passages across the library",
    ),
];

/// What the left column of a query note shows.
#[derive(Debug, Clone, Copy)]
enum QueryNote {
    /// Text typed into the filter.
    Typed(&'static str),
    /// The keys of an action while filtering (in the library and the reader,
    /// each key once), then a remark; the note is left out when it has none.
    Key(Action, &'static str),
}

/// The notes on the query language, with the keys of the filters as bound now.
fn query_notes(keymap: &Keymap) -> Vec<String> {
    let filters = [Mode::LibraryFilter, Mode::ReaderFilter].map(|mode| keymap.help_rows(mode));
    QUERY_NOTES
        .iter()
        .filter_map(|&(note, text)| {
            let left = match note {
                QueryNote::Typed(typed) => typed.to_string(),
                QueryNote::Key(action, remark) => {
                    let mut keys: Vec<&str> = Vec::new();
                    for rows in &filters {
                        if let Some(key) = hint::bound_keys(rows, action).first()
                            && !keys.contains(&key.as_str())
                        {
                            keys.push(key);
                        }
                    }
                    if keys.is_empty() {
                        return None;
                    }
                    format!("{}{remark}", keys.join(" / "))
                }
            };
            Some(format!("   {left:<18} {text}"))
        })
        .collect()
}

const MOUSE_NOTE: &str = " Mouse: the wheel scrolls; a click opens an article or moves the cursor.";

/// One line of the help screen, as the view draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Blank,
    /// The title of one mode's part.
    Mode(Mode),
    /// An action and its keys.
    Row(HelpRow),
    /// A remark (shown dimmed), indented as it is.
    Remark(&'static str),
    /// The heading of the notes after the keys.
    NotesHeading(&'static str),
    /// A line of the notes after the keys, naming keys as bound now.
    Note(String),
}

/// What the help screen shows for a search: its lines, and how many rows
/// of keys are shown of how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpPage {
    pub query: HelpQuery,
    pub lines: Vec<HelpLine>,
    /// Rows of keys shown.
    pub shown: usize,
    /// Rows of keys in the whole help.
    pub total: usize,
}

impl HelpPage {
    /// Every row when the search has no words; otherwise the matching rows
    /// under their modes' titles, without the notes.
    pub fn new(keymap: &Keymap, search: &HelpSearch) -> HelpPage {
        let query = HelpQuery::new(&search.query);
        let rows = help_rows(keymap);
        let total = rows.len();
        let mut lines = Vec::new();
        let mut shown = 0;
        let mut part: Option<Mode> = None;
        for row in rows.into_iter().filter(|row| query.matches(row)) {
            if part != Some(row.mode) {
                close_part(&mut lines, part, &query);
                if part.is_some() {
                    lines.push(HelpLine::Blank);
                }
                part = Some(row.mode);
                lines.push(HelpLine::Mode(row.mode));
            }
            shown += 1;
            lines.push(HelpLine::Row(row));
        }
        close_part(&mut lines, part, &query);
        if query.is_empty() {
            lines.push(HelpLine::Blank);
            lines.push(HelpLine::NotesHeading(QUERY_NOTES_HEADING));
            lines.extend(query_notes(keymap).into_iter().map(HelpLine::Note));
            lines.push(HelpLine::Blank);
            lines.push(HelpLine::Remark(MOUSE_NOTE));
        }
        HelpPage {
            query,
            lines,
            shown,
            total,
        }
    }

    /// `7 of 84 keys`, or `84 keys` when nothing is left out.
    pub fn count(&self) -> String {
        if self.query.is_empty() {
            format!("{} keys", self.total)
        } else {
            format!("{} of {} keys", self.shown, self.total)
        }
    }

    /// The modes with rows shown, in order.
    pub fn modes(&self) -> Vec<Mode> {
        self.lines
            .iter()
            .filter_map(|line| match line {
                HelpLine::Mode(mode) => Some(*mode),
                _ => None,
            })
            .collect()
    }

    /// The rows of keys shown, in order.
    pub fn rows(&self) -> impl Iterator<Item = &HelpRow> {
        self.lines.iter().filter_map(|line| match line {
            HelpLine::Row(row) => Some(row),
            _ => None,
        })
    }

    /// The furthest the page scrolls with `rows` lines on screen.
    pub fn max_scroll(&self, rows: usize) -> usize {
        self.lines.len().saturating_sub(rows)
    }
}

/// Ends a typing mode's part with a word on the keys it does not list.
fn close_part(lines: &mut Vec<HelpLine>, part: Option<Mode>, query: &HelpQuery) {
    if let Some(mode) = part
        && mode.is_typing()
        && query.is_empty()
    {
        lines.push(HelpLine::Remark(if mode == Mode::HelpSearch {
            "   other keys type into the search"
        } else {
            "   other keys type into the filter"
        }));
    }
}

/// The keys the library's status line suggests, in the order shown; the
/// first to go when the line is short come last in [`HINT_KEPT_LONGEST`].
const FIRST_RUN_HINT: &[(Action, &str)] = &[
    (Action::Open, "open"),
    (Action::StartFilter, "filter"),
    (Action::Help, "help"),
    (Action::Back, "quit"),
];
/// Which hint keys stay longest when the line is too short: help first.
const HINT_KEPT_LONGEST: &[Action] = &[
    Action::Help,
    Action::Open,
    Action::StartFilter,
    Action::Back,
];

/// The hint for the library's status line, at most `width` cells: the
/// main keys (`Enter open · / filter · ? help · q quit`) until the person
/// has read something, then only the way to the help. Keys come from the
/// keymap, so a rebound key is shown as it is now; what does not fit is left
/// out whole, the help last; an empty string when not even that fits.
pub fn library_hint(keymap: &Keymap, first_run: bool, width: usize) -> String {
    let rows = keymap.help_rows(Mode::Library);
    let items: Vec<(Action, String)> = FIRST_RUN_HINT
        .iter()
        .filter(|(action, _)| first_run || *action == Action::Help)
        .filter_map(|&(action, label)| {
            let key = hint::bound_keys(&rows, action).first()?;
            Some((action, format!("{key} {label}")))
        })
        .collect();
    for kept in (1..=HINT_KEPT_LONGEST.len()).rev() {
        let line = items
            .iter()
            .filter(|(action, _)| {
                HINT_KEPT_LONGEST
                    .iter()
                    .position(|a| a == action)
                    .is_some_and(|rank| rank < kept)
            })
            .map(|(_, item)| item.as_str())
            .collect::<Vec<_>>()
            .join(" · ");
        let line = format!(" {line}");
        if crate::text::display_width(&line) <= width {
            return line;
        }
    }
    String::new()
}

/// Every place `word` (lower-case characters) starts in `text`, ignoring
/// case, as byte ranges of `text`.
fn occurrences(text: &str, word: &[char]) -> Vec<Range<usize>> {
    if word.is_empty() {
        return Vec::new();
    }
    text.char_indices()
        .filter_map(|(start, _)| match_at(text, start, word).map(|end| start..end))
        .collect()
}

/// The end of `word` when `text` has it at `start`, ignoring case. A
/// character whose lower case is several characters must match whole.
fn match_at(text: &str, start: usize, word: &[char]) -> Option<usize> {
    let mut wanted = word.iter();
    for (offset, c) in text[start..].char_indices() {
        for lower in c.to_lowercase() {
            if wanted.next() != Some(&lower) {
                return None;
            }
        }
        if wanted.as_slice().is_empty() {
            return Some(start + offset + c.len_utf8());
        }
    }
    None
}

#[cfg(test)]
mod tests;
