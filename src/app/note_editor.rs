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
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An editor holding `text` with the cursor at byte `cursor`.
    fn at(text: &str, cursor: usize) -> NoteEditor {
        let mut editor = NoteEditor::new(text);
        editor.cursor = cursor;
        editor
    }

    /// The text of each row, for readable assertions.
    fn row_texts(editor: &NoteEditor, width: usize) -> Vec<&str> {
        let text = editor.text();
        editor.rows(width).into_iter().map(|r| &text[r]).collect()
    }

    fn grapheme_boundaries(text: &str) -> Vec<usize> {
        let mut all: Vec<usize> = text.grapheme_indices(true).map(|(i, _)| i).collect();
        all.push(text.len());
        all
    }

    #[test]
    fn opens_with_the_cursor_at_the_end_and_unchanged() {
        let editor = NoteEditor::new("first\nsecond");
        assert_eq!(editor.cursor(), 12);
        assert!(!editor.is_changed());
        assert!(!editor.is_full());
    }

    #[test]
    fn typing_and_undoing_it_by_hand_is_no_change() {
        let mut editor = NoteEditor::new("note");
        editor.insert_char('s');
        assert_eq!(editor.text(), "notes");
        assert!(editor.is_changed());
        editor.backspace();
        assert!(!editor.is_changed());
    }

    #[test]
    fn typing_goes_where_the_cursor_is() {
        let mut editor = at("ac", 1);
        editor.insert_char('b');
        assert_eq!((editor.text(), editor.cursor()), ("abc", 2));
        editor.newline();
        assert_eq!((editor.text(), editor.cursor()), ("ab\nc", 3));
    }

    #[test]
    fn control_characters_never_enter_and_tabs_become_spaces() {
        let mut editor = NoteEditor::new("");
        editor.insert_char('\u{7}');
        editor.insert_char('\u{1b}');
        editor.insert_char('\u{202e}');
        assert_eq!(editor.text(), "");
        editor.insert_char('\t');
        assert_eq!(editor.text(), "    ");
        assert_eq!(NoteEditor::new("a\tb").text(), "a    b");
    }

    #[test]
    fn paste_normalises_line_breaks_and_drops_escape_sequences() {
        let mut editor = NoteEditor::new("");
        editor.insert_str("one\r\ntwo\rthree\n\u{1b}[31mred\u{1b}[0m \u{1b}]0;title\u{7}end");
        assert_eq!(editor.text(), "one\ntwo\nthree\nred end");
        assert_eq!(editor.cursor(), editor.text().len());
    }

    #[test]
    fn backspace_and_delete_remove_whole_clusters() {
        let text = "e\u{301}👩\u{200d}👩\u{200d}👧🇫🇷成";
        let mut editor = NoteEditor::new(text);
        editor.backspace();
        assert_eq!(editor.text(), "e\u{301}👩\u{200d}👩\u{200d}👧🇫🇷");
        editor.backspace();
        assert_eq!(editor.text(), "e\u{301}👩\u{200d}👩\u{200d}👧");
        editor.backspace();
        assert_eq!(editor.text(), "e\u{301}");
        editor.home();
        assert_eq!(editor.cursor(), 0);
        editor.delete();
        assert_eq!(editor.text(), "");
        editor.delete();
        editor.backspace();
        assert_eq!((editor.text(), editor.cursor()), ("", 0));
    }

    #[test]
    fn left_and_right_step_over_clusters() {
        let text = "a成e\u{301}👍🏽";
        let mut editor = at(text, 0);
        let mut stops = vec![0];
        for _ in 0..6 {
            editor.right();
            stops.push(editor.cursor());
        }
        assert_eq!(stops, [0, 1, 4, 7, 15, 15, 15]);
        editor.left();
        assert_eq!(editor.cursor(), 7);
        editor.left();
        editor.left();
        editor.left();
        editor.left();
        assert_eq!(editor.cursor(), 0);
    }

    #[test]
    fn typing_a_flag_half_before_a_flag_lands_on_a_boundary() {
        // 🇫🇷 with 🇺 typed in front regroups as 🇺🇫 + 🇷.
        let mut editor = at("🇫🇷", 0);
        editor.insert_char('🇺');
        assert_eq!(editor.text(), "🇺🇫🇷");
        assert!(grapheme_boundaries(editor.text()).contains(&editor.cursor()));
        assert_eq!(editor.cursor(), 8);
    }

    #[test]
    fn a_combining_mark_joins_the_letter_before_it() {
        let mut editor = NoteEditor::new("cafe");
        editor.insert_char('\u{301}');
        assert_eq!(editor.cursor(), editor.text().len());
        editor.left();
        assert_eq!(editor.cursor(), 3);
    }

    #[test]
    fn rows_wrap_each_line_and_keep_the_spaces_at_breaks() {
        let editor = NoteEditor::new("hello world again\n\nend");
        assert_eq!(row_texts(&editor, 12), ["hello world ", "again", "", "end"]);
        assert_eq!(
            row_texts(&editor, 5),
            ["hello ", "world ", "again", "", "", "end"]
        );
        assert_eq!(row_texts(&NoteEditor::new(""), 10), [""]);
        assert_eq!(row_texts(&NoteEditor::new("a\n"), 10), ["a", ""]);
    }

    #[test]
    fn a_full_last_row_is_followed_by_the_row_typing_goes_to() {
        let mut editor = NoteEditor::new("abcd");
        assert_eq!(row_texts(&editor, 4), ["abcd", ""]);
        assert_eq!(editor.cursor_cell(4), (1, 0));
        editor.left();
        assert_eq!(editor.cursor_cell(4), (0, 3));
        assert_eq!(editor.cursor_cell(5), (0, 3));
    }

    #[test]
    fn the_cursor_at_a_break_shows_at_the_start_of_the_next_row() {
        let editor = at("abc def", 4);
        assert_eq!(row_texts(&editor, 4), ["abc ", "def"]);
        assert_eq!(editor.cursor_cell(4), (1, 0));
        assert_eq!(at("abc def", 3).cursor_cell(4), (0, 3));
        assert_eq!(at("abc def", 7).cursor_cell(4), (1, 3));
    }

    #[test]
    fn the_cursor_in_hanging_spaces_stays_on_the_last_cell() {
        let editor = at("ab      cd", 6);
        assert_eq!(row_texts(&editor, 4), ["ab      ", "cd"]);
        assert_eq!(editor.cursor_cell(4), (0, 3));
    }

    #[test]
    fn wide_characters_wrap_whole_and_count_two_cells() {
        let editor = at("成果成果成果", 3);
        assert_eq!(row_texts(&editor, 5), ["成果", "成果", "成果"]);
        assert_eq!(editor.cursor_cell(5), (0, 2));
        // Wider than the row: alone on it, the cursor still inside the box.
        let narrow = NoteEditor::new("成");
        assert_eq!(row_texts(&narrow, 1), ["成", ""]);
        assert_eq!(narrow.cursor_cell(1), (1, 0));
    }

    #[test]
    fn up_and_down_move_by_wrapped_rows_keeping_the_column() {
        let mut editor = at("aaaa bbbb cccc", 2);
        editor.down(5);
        assert_eq!(editor.cursor(), 7);
        editor.down(5);
        assert_eq!(editor.cursor(), 12);
        editor.up(5);
        editor.up(5);
        assert_eq!(editor.cursor(), 2);
        editor.up(5);
        assert_eq!(editor.cursor(), 0);
        editor.down(5);
        editor.down(5);
        editor.down(5);
        assert_eq!(editor.cursor(), 14);
    }

    #[test]
    fn up_and_down_remember_the_column_across_short_lines() {
        let text = "a long first line\nab\nanother long line";
        let mut editor = at(text, 10);
        editor.down(40);
        assert_eq!(editor.cursor(), 20, "end of the short line");
        editor.down(40);
        assert_eq!(editor.cursor(), 31, "column 10 again");
        editor.up(40);
        editor.up(40);
        assert_eq!(editor.cursor(), 10);
        // A horizontal move forgets the column.
        editor.down(40);
        editor.left();
        editor.down(40);
        assert_eq!(editor.cursor(), 22);
    }

    #[test]
    fn vertical_moves_never_land_inside_a_wide_character() {
        let mut editor = at("abc\n成果成", 3);
        editor.down(20);
        assert_eq!(
            editor.cursor(),
            7,
            "column 3 falls inside 果: stop before it"
        );
        assert_eq!(editor.cursor_cell(20), (1, 2));
        let mut editor = at("e\u{301}e\u{301}e\u{301}\nabcdef", 16);
        editor.up(20);
        assert_eq!(
            editor.cursor(),
            9,
            "three clusters in: all marks kept whole"
        );
    }

    #[test]
    fn moving_down_at_a_break_stays_off_the_next_rows_start() {
        // "abc " / "defgh" / "ij": column 4 on the first row is the break.
        let mut editor = at("abc defgh ij", 12);
        editor.up(5);
        assert_eq!(editor.cursor(), 6, "two cells into defgh");
        editor.up(5);
        assert_eq!(editor.cursor(), 2);
        let mut editor = at("abc defg", 8);
        editor.up(5);
        assert_eq!(
            editor.cursor(),
            3,
            "before the hanging space, not the next row"
        );
        assert_eq!(editor.cursor_cell(5), (0, 3));
    }

    #[test]
    fn home_and_end_go_to_the_ends_of_the_visual_row() {
        let mut editor = at("abc defgh ij\nnext", 6);
        editor.home();
        assert_eq!(editor.cursor(), 0, "no width known yet: the logical line");
        editor.set_width(5);
        editor.cursor = 6;
        editor.home();
        assert_eq!(editor.cursor(), 4);
        editor.end();
        assert_eq!(
            editor.cursor(),
            9,
            "stays on the row, before its last cluster"
        );
        editor.cursor = 11;
        editor.end();
        assert_eq!(editor.cursor(), 12, "the line's end on its last row");
    }

    #[test]
    fn word_moves_skip_spaces_and_punctuation() {
        let mut editor = at("one, two  three", 0);
        editor.word_right();
        assert_eq!(editor.cursor(), 3);
        editor.word_right();
        assert_eq!(editor.cursor(), 8);
        editor.word_right();
        editor.word_right();
        assert_eq!(editor.cursor(), 15);
        editor.word_left();
        assert_eq!(editor.cursor(), 10);
        editor.word_left();
        editor.word_left();
        assert_eq!(editor.cursor(), 0);
        editor.word_left();
        assert_eq!(editor.cursor(), 0);
    }

    #[test]
    fn scrolling_keeps_the_cursor_row_visible() {
        let text: Vec<String> = (0..20).map(|n| format!("line {n}")).collect();
        let mut editor = NoteEditor::new(&text.join("\n"));
        editor.scroll_to_cursor(40, 5);
        assert_eq!(editor.scroll(), 15);
        for _ in 0..10 {
            editor.up(40);
        }
        editor.scroll_to_cursor(40, 5);
        assert_eq!(editor.scroll(), 9);
        editor.down(40);
        editor.scroll_to_cursor(40, 5);
        assert_eq!(editor.scroll(), 9, "still visible: no scroll");
        assert_eq!(
            editor.scroll_for(40, 0),
            10,
            "no height still shows the cursor row"
        );
    }

    #[test]
    fn a_shrinking_text_scrolls_back() {
        let mut editor = NoteEditor::new("a\nb\nc\nd\ne\nf");
        editor.scroll_to_cursor(10, 2);
        assert_eq!(editor.scroll(), 4);
        editor.up(10);
        editor.up(10);
        editor.up(10);
        for _ in 0..8 {
            editor.delete();
        }
        assert_eq!(editor.text(), "a\nb\nc");
        assert_eq!(editor.scroll_for(10, 2), 1);
    }

    #[test]
    fn a_full_note_accepts_no_more_input_but_can_shrink() {
        let mut editor = NoteEditor::new(&"a".repeat(MAX_NOTE_BYTES - 1));
        assert!(!editor.is_full());
        editor.insert_str("成b");
        assert_eq!(
            editor.text().len(),
            MAX_NOTE_BYTES - 1,
            "成 does not fit whole"
        );
        editor.insert_str("bc");
        assert!(editor.is_full());
        assert!(editor.text().ends_with("ab"));
        editor.insert_char('x');
        editor.newline();
        assert_eq!(editor.text().len(), MAX_NOTE_BYTES);
        editor.backspace();
        assert!(!editor.is_full());
    }

    #[derive(Debug, Clone)]
    enum Op {
        Insert(String),
        Char(char),
        Newline,
        Backspace,
        Delete,
        Left,
        Right,
        Home,
        End,
        Up(usize),
        Down(usize),
        WordLeft,
        WordRight,
        SetWidth(usize),
        Scroll(usize, usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        let tricky = prop::sample::select(vec![
            "e\u{301}",
            "\u{301}",
            "🇫",
            "🇷",
            "👩",
            "\u{200d}",
            "👍🏽",
            "成果",
            " ",
            "   ",
            "\n",
            "\r\n",
            "\t",
            "\u{1b}[31m",
            "ab",
            "x",
            "ｶﾞ",
            "क्षि",
        ]);
        prop_oneof![
            3 => tricky.prop_map(|s| Op::Insert(s.to_string())),
            1 => ".{0,6}".prop_map(Op::Insert),
            2 => any::<char>().prop_map(Op::Char),
            1 => Just(Op::Newline),
            2 => Just(Op::Backspace),
            2 => Just(Op::Delete),
            2 => Just(Op::Left),
            2 => Just(Op::Right),
            1 => Just(Op::Home),
            1 => Just(Op::End),
            2 => (0usize..12).prop_map(Op::Up),
            2 => (0usize..12).prop_map(Op::Down),
            1 => Just(Op::WordLeft),
            1 => Just(Op::WordRight),
            1 => (0usize..12).prop_map(Op::SetWidth),
            1 => (0usize..12, 0usize..6).prop_map(|(w, h)| Op::Scroll(w, h)),
        ]
    }

    fn apply(editor: &mut NoteEditor, op: Op) {
        match op {
            Op::Insert(s) => editor.insert_str(&s),
            Op::Char(c) => editor.insert_char(c),
            Op::Newline => editor.newline(),
            Op::Backspace => editor.backspace(),
            Op::Delete => editor.delete(),
            Op::Left => editor.left(),
            Op::Right => editor.right(),
            Op::Home => editor.home(),
            Op::End => editor.end(),
            Op::Up(w) => editor.up(w),
            Op::Down(w) => editor.down(w),
            Op::WordLeft => editor.word_left(),
            Op::WordRight => editor.word_right(),
            Op::SetWidth(w) => editor.set_width(w),
            Op::Scroll(w, h) => editor.scroll_to_cursor(w, h),
        }
    }

    /// The rows cover every byte but the line breaks, in order, and only
    /// whitespace or a lone wide cluster goes past the width.
    fn check_rows(editor: &NoteEditor, width: usize) -> Result<(), TestCaseError> {
        let text = editor.text();
        let mut covered = String::new();
        let mut previous_end = 0;
        for row in editor.rows(width) {
            prop_assert!(previous_end <= row.start && row.start <= row.end);
            let slice = &text[row.clone()];
            prop_assert!(!slice.contains('\n'));
            let content = slice.trim_end();
            prop_assert!(
                display_width(content) <= width.max(1) || content.graphemes(true).count() == 1,
                "row {slice:?} too wide for {width}"
            );
            covered.push_str(slice);
            previous_end = row.end;
        }
        prop_assert_eq!(covered, text.replace('\n', ""));
        let (row, column) = editor.cursor_cell(width);
        prop_assert!(row < editor.rows(width).len());
        prop_assert!(column < width.max(1));
        for height in [1, 3] {
            let layout = editor.layout(width, height);
            prop_assert!(layout.first_row <= row && row < layout.first_row + height);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn any_edits_keep_the_cursor_on_a_cluster_boundary(
            start in ".{0,12}",
            ops in prop::collection::vec(op(), 0..40),
            width in 1usize..12,
        ) {
            let mut editor = NoteEditor::new(&start);
            for op in ops {
                apply(&mut editor, op);
                let text = editor.text();
                prop_assert!(editor.cursor() <= text.len());
                prop_assert!(text.is_char_boundary(editor.cursor()));
                prop_assert!(
                    grapheme_boundaries(text).contains(&editor.cursor()),
                    "cursor {} inside a cluster of {:?}", editor.cursor(), text
                );
                prop_assert!(!text.contains(|c: char| c.is_control() && c != '\n'));
                check_rows(&editor, width)?;
            }
        }
    }
}
