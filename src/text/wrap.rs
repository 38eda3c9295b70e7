//! Wraps text to a display width by grapheme cluster.
//!
//! Widths are measured the way ratatui's buffer draws: one grapheme cluster at
//! a time, each as wide as `unicode-width` says (plus the one-cell correction
//! ratatui applies to halfwidth katakana sound marks), so a wrapped line never
//! overflows the column it was wrapped for. Lines are byte ranges into the
//! text, so the renderer can style highlights and matches without copying.
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Cells a tab occupies. A tab is a fixed-width gap rather than a jump to the
/// next tab stop, so a line's width does not depend on where it starts. Text
/// must be drawn with each tab replaced by this many spaces: ratatui drops
/// control characters, tabs included.
pub const TAB_WIDTH: usize = 4;

/// Display width of `s` in terminal cells: the sum of its grapheme clusters'
/// widths, a tab counting [`TAB_WIDTH`] and a line break nothing.
pub fn display_width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// Wraps `text` into lines no wider than `width` cells, as byte ranges of
/// `text` (a `width` of 0 is treated as 1).
///
/// - Lines break after a run of whitespace, which belongs to neither line,
///   and before or after a wide grapheme so CJK text without spaces wraps;
///   closing punctuation (`。`, `」`, `)`…) stays with what precedes it and
///   opening punctuation with what follows. A word wider than the line is
///   broken between grapheme clusters; a cluster is never split.
/// - `\n` ends a line. Whitespace at the start of a paragraph (indentation)
///   is kept when it fits with what follows; a paragraph that is only
///   whitespace becomes an empty range. As with [`str::lines`], a final `\n`
///   does not start another line.
/// - Only a line holding a single grapheme wider than `width` (a CJK character
///   at width 1) can be wider than `width`.
/// - Empty text has no lines at all; callers show it as one blank line.
///
/// One pass over the graphemes: the cost is linear in the text.
pub fn wrap(text: &str, width: usize) -> Vec<Range<usize>> {
    let mut wrapper = Wrapper::new(width.max(1));
    for (offset, grapheme) in text.grapheme_indices(true) {
        wrapper.push(offset, grapheme);
    }
    wrapper.finish(text.len())
}

/// Width of one grapheme cluster as drawn.
fn grapheme_width(grapheme: &str) -> usize {
    if grapheme == "\t" {
        TAB_WIDTH
    } else if grapheme.contains(char::is_control) {
        // Line breaks and anything ratatui refuses to draw take no cells.
        0
    } else {
        grapheme.width()
            + grapheme
                .chars()
                .filter(|&c| is_halfwidth_sound_mark(c))
                .count()
    }
}

/// `unicode-width` counts these as combining (zero width), but terminals, and
/// ratatui's buffer, give each its own cell.
fn is_halfwidth_sound_mark(c: char) -> bool {
    matches!(c, '\u{ff9e}' | '\u{ff9f}')
}

/// Whitespace a line may break at. No-break spaces glue their neighbours.
fn is_break_space(grapheme: &str) -> bool {
    grapheme
        .chars()
        .all(|c| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}'))
}

/// Punctuation that must not start a line.
fn is_closing(grapheme: &str) -> bool {
    grapheme.chars().next().is_some_and(|c| {
        matches!(
            c,
            ')' | ']'
                | '}'
                | ','
                | '.'
                | ':'
                | ';'
                | '!'
                | '?'
                | '%'
                | '’'
                | '”'
                | '»'
                | '…'
                | '、'
                | '。'
                | '，'
                | '．'
                | '：'
                | '；'
                | '！'
                | '？'
                | '）'
                | '］'
                | '｝'
                | '」'
                | '』'
                | '】'
                | '〕'
                | '〉'
                | '》'
                | '〗'
                | '〙'
                | '〛'
                | 'ー'
        )
    })
}

/// Punctuation that must not end a line.
fn is_opening(grapheme: &str) -> bool {
    grapheme.chars().next().is_some_and(|c| {
        matches!(
            c,
            '(' | '['
                | '{'
                | '‘'
                | '“'
                | '«'
                | '（'
                | '［'
                | '｛'
                | '「'
                | '『'
                | '【'
                | '〔'
                | '〈'
                | '《'
                | '〖'
                | '〘'
                | '〚'
        )
    })
}

/// The last place the current line may end before the word being read.
#[derive(Clone, Copy, Debug)]
struct Break {
    /// Where the line ends; `None` when only leading whitespace precedes the
    /// word, which is then dropped instead of making a blank line.
    line_end: Option<usize>,
    /// Where the next line starts (the start of the word).
    next_start: usize,
    /// Width of the line from its start up to `next_start`.
    width_before: usize,
}

/// What the previous grapheme was, to find break opportunities.
#[derive(Clone, Copy, Debug)]
enum Previous {
    ParagraphStart,
    Space,
    Word { wide: bool, opening: bool },
}

/// Greedy line filling, one grapheme at a time.
#[derive(Debug)]
struct Wrapper {
    width: usize,
    lines: Vec<Range<usize>>,
    line_start: usize,
    /// Width from `line_start` to the current position, whitespace included.
    line_width: usize,
    /// End of the last non-whitespace grapheme on the line.
    content_end: Option<usize>,
    last_break: Option<Break>,
    previous: Previous,
}

impl Wrapper {
    fn new(width: usize) -> Self {
        Self {
            width,
            lines: Vec::new(),
            line_start: 0,
            line_width: 0,
            content_end: None,
            last_break: None,
            previous: Previous::ParagraphStart,
        }
    }

    fn push(&mut self, offset: usize, grapheme: &str) {
        if grapheme.contains('\n') {
            self.end_paragraph();
            self.start_paragraph(offset + grapheme.len());
            return;
        }
        let width = grapheme_width(grapheme);
        if is_break_space(grapheme) {
            self.line_width += width;
            self.previous = Previous::Space;
            return;
        }

        let wide = width > 1;
        let starts_word = match self.previous {
            Previous::ParagraphStart => false,
            Previous::Space => true,
            Previous::Word {
                wide: after_wide,
                opening,
            } => (wide || after_wide) && !opening && !is_closing(grapheme),
        };
        if starts_word {
            self.last_break = Some(Break {
                line_end: self.content_end,
                next_start: offset,
                width_before: self.line_width,
            });
        }

        if self.line_width + width > self.width {
            if let Some(last_break) = self.last_break.take() {
                if let Some(line_end) = last_break.line_end {
                    self.lines.push(self.line_start..line_end);
                }
                self.line_start = last_break.next_start;
                self.line_width -= last_break.width_before;
            }
            // Still too wide: the word itself is; break it before this grapheme.
            if self.line_width + width > self.width && offset > self.line_start {
                self.lines.push(self.line_start..offset);
                self.line_start = offset;
                self.line_width = 0;
            }
        }

        self.line_width += width;
        self.content_end = Some(offset + grapheme.len());
        self.previous = Previous::Word {
            wide,
            opening: is_opening(grapheme),
        };
    }

    /// Emits the paragraph's last line: its content without trailing
    /// whitespace, or an empty range if it has none.
    fn end_paragraph(&mut self) {
        let end = self.content_end.unwrap_or(self.line_start);
        self.lines.push(self.line_start..end);
    }

    fn start_paragraph(&mut self, start: usize) {
        self.line_start = start;
        self.line_width = 0;
        self.content_end = None;
        self.last_break = None;
        self.previous = Previous::ParagraphStart;
    }

    fn finish(mut self, text_len: usize) -> Vec<Range<usize>> {
        // Nothing after the last `\n` (or empty text): no further line.
        if self.line_start < text_len {
            self.end_paragraph();
        }
        self.lines
    }
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lines(text: &str, width: usize) -> Vec<&str> {
        wrap(text, width).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn display_width_by_grapheme() {
        assert_eq!(display_width("hello"), 5);
        assert_eq!(display_width("成果"), 4);
        assert_eq!(display_width("e\u{301}"), 1);
        assert_eq!(display_width("👩\u{200d}👩\u{200d}👧"), 2);
        assert_eq!(display_width("🇫🇷"), 2);
        assert_eq!(display_width("a\tb"), 2 + TAB_WIDTH);
        assert_eq!(display_width("a\nb"), 2);
        assert_eq!(display_width(""), 0);
    }

    #[test]
    fn wraps_plain_english_at_spaces() {
        assert_eq!(
            lines("The quick brown fox jumps over the lazy dog", 10),
            ["The quick", "brown fox", "jumps over", "the lazy", "dog"]
        );
    }

    #[test]
    fn whitespace_at_a_break_belongs_to_no_line() {
        let text = "alpha   beta";
        assert_eq!(wrap(text, 6), [0..5, 8..12]);
        assert_eq!(lines("alpha   ", 20), ["alpha"]);
    }

    #[test]
    fn wraps_cjk_without_spaces() {
        assert_eq!(
            lines("成果が出た。次に進む", 6),
            ["成果が", "出た。", "次に進", "む"]
        );
        assert_eq!(
            lines("成果が出た。次に進む", 5),
            ["成果", "が出", "た。", "次に", "進む"]
        );
    }

    #[test]
    fn brackets_stay_with_the_text_they_enclose() {
        assert_eq!(lines("ab（成果）cd", 4), ["ab", "（成", "果）", "cd"]);
        assert_eq!(
            lines("results (成果) were", 9),
            ["results", "(成果)", "were"]
        );
    }

    #[test]
    fn mixed_latin_and_cjk_break_around_wide_characters() {
        assert_eq!(lines("the 成果 were", 7), ["the 成", "果 were"]);
    }

    #[test]
    fn combining_marks_stay_with_their_base() {
        let text = "e\u{301}".repeat(5);
        let wrapped = lines(&text, 2);
        assert_eq!(
            wrapped,
            ["e\u{301}e\u{301}", "e\u{301}e\u{301}", "e\u{301}"]
        );
    }

    #[test]
    fn zwj_sequences_stay_whole() {
        let family = "👩\u{200d}👩\u{200d}👧";
        let text = format!("{family}{family}{family}");
        assert_eq!(
            lines(&text, 4),
            [format!("{family}{family}"), family.to_owned()]
        );
        assert_eq!(lines(&text, 1), [family; 3]);
    }

    #[test]
    fn flags_stay_whole() {
        assert_eq!(lines("🇫🇷🇩🇪🇯🇵", 5), ["🇫🇷🇩🇪", "🇯🇵"]);
        assert_eq!(lines("🇫🇷🇩🇪🇯🇵", 3), ["🇫🇷", "🇩🇪", "🇯🇵"]);
    }

    #[test]
    fn long_words_are_broken_between_graphemes() {
        assert_eq!(
            lines("a supercalifragilistic word", 6),
            ["a", "superc", "alifra", "gilist", "ic", "word"]
        );
    }

    #[test]
    fn a_tab_counts_as_four_cells() {
        assert_eq!(lines("a\tb", 6), ["a\tb"]);
        assert_eq!(lines("a\tbcdef", 5), ["a", "bcdef"]);
    }

    #[test]
    fn newlines_force_breaks_and_keep_indentation() {
        assert_eq!(
            lines("fn main() {\n    body();\n\n}\n", 40),
            ["fn main() {", "    body();", "", "}"]
        );
    }

    #[test]
    fn indentation_that_does_not_fit_is_dropped() {
        assert_eq!(lines("        word", 5), ["word"]);
        assert_eq!(lines("  ab cd", 5), ["  ab", "cd"]);
    }

    #[test]
    fn blank_paragraphs_become_empty_lines() {
        assert_eq!(wrap("   ", 10), [0..0]);
        assert_eq!(wrap("\n", 10), [0..0]);
        assert_eq!(wrap("a\n  \nb", 10), [0..1, 2..2, 5..6]);
    }

    #[test]
    fn empty_text_has_no_lines() {
        assert!(wrap("", 10).is_empty());
    }

    #[test]
    fn no_break_space_glues_words() {
        assert_eq!(lines("a\u{a0}b c", 3), ["a\u{a0}b", "c"]);
    }

    #[test]
    fn widths_one_and_zero() {
        assert_eq!(lines("ab cd", 1), ["a", "b", "c", "d"]);
        assert_eq!(wrap("ab cd", 0), wrap("ab cd", 1));
        assert_eq!(lines("成果", 1), ["成", "果"]);
    }

    #[test]
    fn long_text_is_linear() {
        // A quadratic rescan would not finish on a megabyte without spaces.
        let text = "x".repeat(1_000_000);
        let wrapped = wrap(&text, 80);
        assert_eq!(wrapped.len(), 1_000_000 / 80);
    }

    #[test]
    fn widths_match_what_ratatui_draws() {
        use ratatui::buffer::Buffer;
        use ratatui::layout::Rect;
        use ratatui::style::Style;

        for sample in [
            "hello",
            "成果",
            "e\u{301}x",
            "👩\u{200d}👩\u{200d}👧!",
            "🇫🇷a",
            "ｶﾞｷ",
            "a\u{200b}b",
        ] {
            let mut buffer = Buffer::empty(Rect::new(0, 0, 40, 1));
            let (x, _) = buffer.set_stringn(0, 0, sample, usize::MAX, Style::default());
            assert_eq!(display_width(sample), usize::from(x), "{sample:?}");
        }
    }

    /// Words, spaces, tabs, newlines and the graphemes that break naive wrapping.
    fn wrap_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[a-z]{1,12}",
            Just(" ".to_owned()),
            Just("   ".to_owned()),
            Just("\t".to_owned()),
            Just("\n".to_owned()),
            Just("成果".to_owned()),
            Just("。".to_owned()),
            Just("(".to_owned()),
            Just(")".to_owned()),
            Just("e\u{301}".to_owned()),
            Just("👩\u{200d}👩\u{200d}👧".to_owned()),
            Just("🇫🇷".to_owned()),
            Just("\u{a0}".to_owned()),
            Just("\u{200b}".to_owned()),
            "\\PC".prop_map(|s| s),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    fn is_boundary(text: &str, at: usize) -> bool {
        at == text.len() || text.grapheme_indices(true).any(|(offset, _)| offset == at)
    }

    proptest! {
        #[test]
        fn lines_fit_the_width(text in wrap_text(), width in 0usize..20) {
            for range in wrap(&text, width) {
                let line = &text[range];
                if display_width(line) > width.max(1) {
                    prop_assert_eq!(line.graphemes(true).count(), 1, "{:?}", line);
                }
            }
        }

        #[test]
        fn only_whitespace_is_dropped(text in wrap_text(), width in 0usize..20) {
            let ranges = wrap(&text, width);
            let mut covered = 0;
            for range in &ranges {
                prop_assert!(range.start >= covered, "out of order: {:?}", ranges);
                let gap = &text[covered..range.start];
                prop_assert!(gap.chars().all(char::is_whitespace), "dropped {:?}", gap);
                covered = range.end;
            }
            prop_assert!(text[covered..].chars().all(char::is_whitespace));
        }

        #[test]
        fn ranges_never_split_a_grapheme(text in wrap_text(), width in 0usize..20) {
            for range in wrap(&text, width) {
                prop_assert!(is_boundary(&text, range.start) && is_boundary(&text, range.end));
            }
        }

        #[test]
        fn no_line_is_only_whitespace(text in wrap_text(), width in 0usize..20) {
            for range in wrap(&text, width) {
                let line = &text[range];
                prop_assert!(line.is_empty() || !is_break_space(line), "{:?}", line);
            }
        }

        #[test]
        fn one_line_per_paragraph_when_wide_enough(text in wrap_text()) {
            let paragraphs = text.lines().count();
            prop_assert_eq!(wrap(&text, 10_000).len(), paragraphs);
        }

        #[test]
        fn widths_match_ratatui_for_any_printable_text(text in "\\PC{0,20}") {
            use ratatui::buffer::Buffer;
            use ratatui::layout::Rect;
            use ratatui::style::Style;

            let mut buffer = Buffer::empty(Rect::new(0, 0, 200, 1));
            let (x, _) = buffer.set_stringn(0, 0, &text, usize::MAX, Style::default());
            prop_assert_eq!(display_width(&text), usize::from(x));
        }
    }
}
