//! The note editor's state: a small multi-line text editor with no terminal in
//! it. The app feeds it one edit or movement at a time, the view draws it, and
//! tests drive it directly.
//!
//! The cursor is a byte offset that always sits on a grapheme-cluster boundary,
//! so an edit or a movement never splits an emoji, a CJK character or a letter
//! from its combining marks. Vertical movement goes by visual rows: the text's
//! lines wrapped with [`crate::text::wrap`] at the width the view gives.

use std::ops::Range;

use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

use crate::text::{TAB_WIDTH, display_width, sanitize_text, wrap};

/// A note stops accepting input at this size: far more than any note needs,
/// and a bound on the layout, which wraps the whole text on every frame.
pub const MAX_NOTE_BYTES: usize = 1 << 20;

/// A multi-line text being edited, with its cursor and scroll position.
#[derive(Debug, Clone)]
pub struct NoteEditor {
    text: String,
    /// The text as opened, to tell whether anything changed.
    original: String,
    /// Byte offset into `text`, always on a grapheme-cluster boundary.
    cursor: usize,
    /// Display column that up and down aim for, kept across short rows.
    goal_column: Option<usize>,
    /// First visual row shown.
    scroll: usize,
    /// The wrap width last given, for the movements that take none.
    wrap_width: Option<usize>,
}

impl NoteEditor {
    /// An editor holding `text` with the cursor at its end. The text is
    /// sanitized and its tabs become spaces, as typed input would be; that
    /// cleaned text is what [`NoteEditor::is_changed`] compares with.
    pub fn new(text: &str) -> NoteEditor {
        let text = clean_input(text);
        NoteEditor {
            cursor: text.len(),
            original: text.clone(),
            text,
            goal_column: None,
            scroll: 0,
            wrap_width: None,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Byte offset of the cursor in [`NoteEditor::text`].
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The first visual row shown, as last set by [`NoteEditor::scroll_to_cursor`].
    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// Whether the text differs from the one the editor was opened with.
    pub fn is_changed(&self) -> bool {
        self.text != self.original
    }

    /// Whether the note has reached [`MAX_NOTE_BYTES`] and ignores input.
    pub fn is_full(&self) -> bool {
        self.text.len() >= MAX_NOTE_BYTES
    }

    /// Remembers the width the text is wrapped at, for [`NoteEditor::home`]
    /// and [`NoteEditor::end`]; the movements that take a width set it too.
    pub fn set_width(&mut self, width: usize) {
        self.wrap_width = Some(width.max(1));
    }

    pub fn insert_char(&mut self, c: char) {
        self.insert_str(c.encode_utf8(&mut [0; 4]));
    }

    /// Inserts `input` at the cursor (typed or pasted): escape sequences and
    /// control characters are removed, line breaks kept, tabs become spaces.
    /// What does not fit under [`MAX_NOTE_BYTES`] is dropped.
    pub fn insert_str(&mut self, input: &str) {
        let room = MAX_NOTE_BYTES.saturating_sub(self.text.len());
        if room == 0 || input.is_empty() {
            return;
        }
        let clean = clean_input(input);
        let mut fits = clean.len().min(room);
        while !clean.is_char_boundary(fits) {
            fits -= 1;
        }
        self.text.insert_str(self.cursor, &clean[..fits]);
        self.cursor += fits;
        // What was typed may join the following text into one cluster (a
        // regional indicator pairing with the next): land after that cluster.
        if !self.is_boundary(self.cursor) {
            self.cursor = self.next_boundary(self.cursor);
        }
        self.goal_column = None;
    }

    pub fn newline(&mut self) {
        self.insert_str("\n");
    }

    /// Removes the grapheme cluster before the cursor.
    pub fn backspace(&mut self) {
        if self.cursor == 0 {
            return;
        }
        let start = self.prev_boundary(self.cursor);
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
        self.snap_back();
        self.goal_column = None;
    }

    /// Removes the grapheme cluster after the cursor.
    pub fn delete(&mut self) {
        if self.cursor >= self.text.len() {
            return;
        }
        let end = self.next_boundary(self.cursor);
        self.text.replace_range(self.cursor..end, "");
        self.snap_back();
        self.goal_column = None;
    }

    pub fn left(&mut self) {
        self.cursor = self.prev_boundary(self.cursor);
        self.goal_column = None;
    }

    pub fn right(&mut self) {
        self.cursor = self.next_boundary(self.cursor);
        self.goal_column = None;
    }

    /// To the start of the cursor's visual row, at the width last given
    /// (the logical line before any width is known).
    pub fn home(&mut self) {
        let located = self.locate(self.known_width());
        if let Some(row) = located.rows.get(located.row) {
            self.cursor = row.start;
        }
        self.goal_column = None;
    }

    /// To the end of the cursor's visual row: the line's end on its last row,
    /// otherwise just before the row's last cluster, so the cursor stays on
    /// the row rather than moving to the start of the next one.
    pub fn end(&mut self) {
        let located = self.locate(self.known_width());
        if let Some(row) = located.rows.get(located.row) {
            self.cursor = if is_last_of_line(&located.rows, located.row) {
                row.end
            } else {
                self.prev_boundary(row.end).max(row.start)
            };
        }
        self.goal_column = None;
    }

    /// One visual row up at `width`, keeping the column; from the first row,
    /// to the start of the text.
    pub fn up(&mut self, width: usize) {
        self.set_width(width);
        let located = self.locate(width);
        let goal = self.goal_column.unwrap_or(located.column);
        self.cursor = match located.row.checked_sub(1) {
            Some(above) => self.position_in_row(&located.rows, above, goal),
            None => 0,
        };
        self.goal_column = Some(goal);
    }

    /// One visual row down at `width`, keeping the column; from the last row,
    /// to the end of the text.
    pub fn down(&mut self, width: usize) {
        self.set_width(width);
        let located = self.locate(width);
        let goal = self.goal_column.unwrap_or(located.column);
        let below = located.row + 1;
        self.cursor = if below < located.rows.len() {
            self.position_in_row(&located.rows, below, goal)
        } else {
            self.text.len()
        };
        self.goal_column = Some(goal);
    }

    /// To the start of the word before the cursor (or of the text).
    pub fn word_left(&mut self) {
        self.cursor = self.text[..self.cursor]
            .split_word_bound_indices()
            .rev()
            .find(|(_, word)| is_word(word))
            .map_or(0, |(start, _)| start);
        self.snap_back();
        self.goal_column = None;
    }

    /// To the end of the word after the cursor (or of the text).
    pub fn word_right(&mut self) {
        let after = &self.text[self.cursor..];
        self.cursor += after
            .split_word_bound_indices()
            .find(|(_, word)| is_word(word))
            .map_or(after.len(), |(start, word)| start + word.len());
        if !self.is_boundary(self.cursor) {
            self.cursor = self.next_boundary(self.cursor);
        }
        self.goal_column = None;
    }

    /// The visual rows of the text at `width`, as byte ranges of the text.
    ///
    /// Each line (split at `\n`) is wrapped with [`crate::text::wrap`]; the
    /// whitespace `wrap` leaves out at a break stays at the end of the row
    /// before it, so the rows cover every byte but the line breaks, in order,
    /// and the cursor has a row wherever it is. An empty line is one empty
    /// row, and a line whose last row is full is followed by an empty row:
    /// that is where the next character typed at its end would go.
    pub fn rows(&self, width: usize) -> Vec<Range<usize>> {
        let width = width.max(1);
        let mut rows = Vec::new();
        let mut line_start = 0;
        for line in self.text.split('\n') {
            push_line_rows(&mut rows, line, line_start, width);
            line_start += line.len() + 1;
        }
        rows
    }

    /// The cursor's visual row and its column in display cells at `width`.
    ///
    /// The cursor at the end of a row that continues on the next one shows at
    /// the start of the next row, where typing goes. In whitespace hanging
    /// past the right edge, the column stays on the last cell.
    pub fn cursor_cell(&self, width: usize) -> (usize, usize) {
        let located = self.locate(width);
        (located.row, located.column)
    }

    /// The first row to show in `height` rows at `width` so the cursor is
    /// visible, moving as little as possible from the current scroll.
    pub fn scroll_for(&self, width: usize, height: usize) -> usize {
        self.layout(width, height).first_row
    }

    /// Everything the view needs to draw the editor in `height` rows at
    /// `width`, from one wrap of the text.
    pub fn layout(&self, width: usize, height: usize) -> NoteLayout {
        let located = self.locate(width);
        let height = height.max(1);
        // No blank space below the text when it shrank since the last scroll.
        let scroll = self.scroll.min(located.rows.len().saturating_sub(height));
        let first_row = if located.row < scroll {
            located.row
        } else if located.row >= scroll + height {
            located.row + 1 - height
        } else {
            scroll
        };
        NoteLayout {
            rows: located.rows,
            first_row,
            cursor: (located.row, located.column),
        }
    }

    /// Scrolls so the cursor's row is among the `height` rows shown.
    pub fn scroll_to_cursor(&mut self, width: usize, height: usize) {
        self.set_width(width);
        self.scroll = self.scroll_for(width, height);
    }

    fn known_width(&self) -> usize {
        self.wrap_width.unwrap_or(usize::MAX)
    }

    fn locate(&self, width: usize) -> Located {
        let width = width.max(1);
        let rows = self.rows(width);
        let row = rows
            .partition_point(|r| r.start <= self.cursor)
            .saturating_sub(1);
        let column = rows.get(row).map_or(0, |r| {
            let before = self.text.get(r.start..self.cursor).unwrap_or("");
            display_width(before).min(width - 1)
        });
        Located { rows, row, column }
    }

    /// The position in row `index` nearest to `goal` cells without passing
    /// it, never the row's end when that end starts the next row.
    fn position_in_row(&self, rows: &[Range<usize>], index: usize, goal: usize) -> usize {
        let Some(row) = rows.get(index) else {
            return self.cursor;
        };
        let last_of_line = is_last_of_line(rows, index);
        let mut best = row.start;
        let mut column = 0;
        for (offset, grapheme) in self.text[row.clone()].grapheme_indices(true) {
            column += display_width(grapheme);
            let after = row.start + offset + grapheme.len();
            if column > goal || (after == row.end && !last_of_line) {
                break;
            }
            best = after;
        }
        if self.is_boundary(best) {
            best
        } else {
            self.prev_boundary(best)
        }
    }

    fn is_boundary(&self, at: usize) -> bool {
        if at == 0 || at == self.text.len() {
            return true;
        }
        if !self.text.is_char_boundary(at) {
            return false;
        }
        GraphemeCursor::new(at, self.text.len(), true)
            .is_boundary(&self.text, 0)
            .unwrap_or(true)
    }

    /// The grapheme boundary before `at` (0 at the start).
    fn prev_boundary(&self, at: usize) -> usize {
        let at = self.char_floor(at);
        if at == 0 {
            return 0;
        }
        match GraphemeCursor::new(at, self.text.len(), true).prev_boundary(&self.text, 0) {
            Ok(found) => found.unwrap_or(0),
            Err(_) => self.char_floor(at - 1),
        }
    }

    /// The grapheme boundary after `at` (the text's length at the end).
    fn next_boundary(&self, at: usize) -> usize {
        let at = self.char_floor(at);
        if at >= self.text.len() {
            return self.text.len();
        }
        match GraphemeCursor::new(at, self.text.len(), true).next_boundary(&self.text, 0) {
            Ok(found) => found.unwrap_or(self.text.len()),
            Err(_) => self.text[at..]
                .chars()
                .next()
                .map_or(self.text.len(), |c| at + c.len_utf8()),
        }
    }

    fn char_floor(&self, at: usize) -> usize {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// Moves the cursor back onto a grapheme boundary after an edit changed
    /// the clusters around it.
    fn snap_back(&mut self) {
        self.cursor = self.char_floor(self.cursor);
        if !self.is_boundary(self.cursor) {
            self.cursor = self.prev_boundary(self.cursor);
        }
    }
}

/// The editor laid out for one frame: see [`NoteEditor::layout`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteLayout {
    /// Every visual row, as [`NoteEditor::rows`] gives them.
    pub rows: Vec<Range<usize>>,
    /// The first row shown, as [`NoteEditor::scroll_for`] gives it.
    pub first_row: usize,
    /// The cursor's row and column, as [`NoteEditor::cursor_cell`] gives them.
    pub cursor: (usize, usize),
}

/// The rows at one width and where the cursor is among them.
#[derive(Debug)]
struct Located {
    rows: Vec<Range<usize>>,
    row: usize,
    column: usize,
}

/// Input as it may enter a note: sanitized, each tab as spaces.
fn clean_input(input: &str) -> String {
    let clean = sanitize_text(input);
    if clean.contains('\t') {
        clean.replace('\t', &" ".repeat(TAB_WIDTH))
    } else {
        clean
    }
}

/// Appends the rows of `line` (which starts at `offset` in the text).
fn push_line_rows(rows: &mut Vec<Range<usize>>, line: &str, offset: usize, width: usize) {
    let mut starts: Vec<usize> = wrap(line, width)
        .into_iter()
        .map(|r| r.start)
        .filter(|&s| s > 0 && s < line.len() && line.is_char_boundary(s))
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let mut start = 0;
    for end in starts.into_iter().chain([line.len()]) {
        rows.push(offset + start..offset + end);
        start = end;
    }
    if display_width(&line[start_of_last(rows, offset)..]) >= width {
        rows.push(offset + line.len()..offset + line.len());
    }
}

/// Start, within its line, of the row just pushed.
fn start_of_last(rows: &[Range<usize>], offset: usize) -> usize {
    rows.last().map_or(0, |r| r.start - offset)
}

/// Whether row `index` ends its line (the next row does not continue it).
fn is_last_of_line(rows: &[Range<usize>], index: usize) -> bool {
    match (rows.get(index), rows.get(index + 1)) {
        (Some(row), Some(next)) => next.start != row.end,
        _ => true,
    }
}

fn is_word(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests;
