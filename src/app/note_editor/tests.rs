#![allow(clippy::unwrap_used)]

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
