//! Splits a passage into sentences for the reading cursor.
//!
//! Boundaries come from UAX #29 (unicode-segmentation). This module shapes them
//! for a cursor: the ranges cover the text with no gaps, whitespace never
//! stands alone, and no range grows past [`MAX_SENTENCE_BYTES`], so hostile
//! input (a 5 MB line with no punctuation) neither makes a giant highlight nor
//! hangs the reader.

mod ascii;

use std::borrow::Cow;
use std::ops::Range;

use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

/// The longest sentence range, in bytes, before it is cut into pieces.
///
/// A piece can only exceed it by holding a single grapheme cluster that is
/// itself longer.
pub const MAX_SENTENCE_BYTES: usize = 4096;

/// How many characters after a full stop may keep the segmenter looking ahead
/// before that full stop is treated as a plain sentence end (see
/// [`defuse_long_lookaheads`]). Real prose has a space or two, maybe a quote.
const MAX_LOOKAHEAD_RUN: usize = 16;

/// Sentence ranges covering `text` completely, in order, with no gaps or
/// overlaps; empty text has none.
///
/// Trailing whitespace belongs to the sentence before it, and a piece made
/// only of whitespace joins its neighbour. A sentence longer than
/// [`MAX_SENTENCE_BYTES`] is cut after the last whitespace that fits, else at
/// the last grapheme boundary that fits; only trailing whitespace that pushes
/// a sentence past the limit can then leave a range of whitespace alone.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let segmented = defuse_long_lookaheads(text);
    if segmented.is_empty() {
        return Vec::new();
    }
    let starts = inner_starts(&segmented);
    let ends = starts.iter().copied().chain(std::iter::once(text.len()));
    let mut ranges = Vec::with_capacity(starts.len() + 1);
    // The sentence being gathered: a segment and the blank ones after it.
    let mut sentence: Option<Range<usize>> = None;
    let mut leading_blank_start = None;
    for (start, end) in std::iter::once(0).chain(starts.iter().copied()).zip(ends) {
        if !is_blank(&segmented[start..end]) {
            if let Some(done) = sentence.take() {
                cut_to_limit(text, done, &mut ranges);
            }
            sentence = Some(leading_blank_start.take().unwrap_or(start)..end);
        } else if let Some(current) = &mut sentence {
            current.end = end;
        } else {
            leading_blank_start.get_or_insert(start);
        }
    }
    if let Some(done) = sentence {
        cut_to_limit(text, done, &mut ranges);
    }
    if let Some(start) = leading_blank_start {
        cut_to_limit(text, start..text.len(), &mut ranges);
    }
    ranges
}

/// Where each UAX #29 sentence segment of `text` after the first begins: the
/// same segments as `text.split_sentence_bound_indices()`, found faster in
/// prose.
///
/// Boundaries only ever follow a sentence terminator or a line break, and the
/// rules look no further than the nearest letter on either side. So the text
/// is cut into pieces before each ASCII letter or digit that follows an ASCII
/// letter and a space (`word w|ord`): no boundary falls there, and no rule
/// looks across it. A piece without `.`, `!`, `?`, a line break or a
/// non-ASCII character other than a letter holds no boundary at all (no
/// letter is a sentence terminator or separator); only the others go
/// through the segmenter.
fn inner_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    let mut done = 0;
    while let Some(at) = next_possible_break(text, done) {
        let piece = piece_start(bytes, at, done)..piece_end(bytes, at);
        done = piece.end;
        push_inner_starts(text, piece, &mut starts);
    }
    starts
}

/// The segments themselves, for comparing with the segmenter.
#[cfg(test)]
fn segments(text: &str) -> Vec<Range<usize>> {
    if text.is_empty() {
        return Vec::new();
    }
    let starts = inner_starts(text);
    let ends = starts.iter().copied().chain(std::iter::once(text.len()));
    std::iter::once(0)
        .chain(starts.iter().copied())
        .zip(ends)
        .map(|(start, end)| start..end)
        .collect()
}

/// Whether a piece starts at `index`: an ASCII letter or digit after an
/// ASCII letter and a space.
fn splits_at(bytes: &[u8], index: usize) -> bool {
    index >= 2
        && bytes[index].is_ascii_alphanumeric()
        && bytes[index - 1] == b' '
        && bytes[index - 2].is_ascii_alphabetic()
}

/// The start of the piece holding byte `at`: the last split before it, but
/// not before `done` (the end of the previous piece, itself a split).
fn piece_start(bytes: &[u8], at: usize, done: usize) -> usize {
    (done + 1..=at)
        .rev()
        .find(|&index| splits_at(bytes, index))
        .unwrap_or(done)
}

/// The end of the piece holding byte `at`: the next split after it.
fn piece_end(bytes: &[u8], at: usize) -> usize {
    (at + 1..bytes.len())
        .find(|&index| splits_at(bytes, index))
        .unwrap_or(bytes.len())
}

/// The first byte at or after `from` where a boundary may follow: `.`, `!`,
/// `?`, a line break, or a non-ASCII character other than a letter. Tests
/// sixteen bytes per step without branching on each, so the compiler can use
/// vector instructions over the plain stretches that make up most of prose.
fn next_possible_break(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let is_candidate =
        |byte: u8| matches!(byte, b'.' | b'!' | b'?' | b'\n' | b'\r') | !byte.is_ascii();
    let mut index = from;
    while index < bytes.len() {
        let chunk = &bytes[index..bytes.len().min(index + 16)];
        if !chunk
            .iter()
            .fold(false, |any, &byte| any | is_candidate(byte))
        {
            index += chunk.len();
            continue;
        }
        for (offset, &byte) in chunk.iter().enumerate() {
            let at = index + offset;
            let may_break = match byte {
                b'.' | b'!' | b'?' | b'\n' | b'\r' => true,
                // Other ASCII, and bytes inside a character already looked at.
                0x00..=0xbf => false,
                _ => !text[at..].chars().next().is_some_and(char::is_alphabetic),
            };
            if may_break {
                return Some(at);
            }
        }
        index += chunk.len();
    }
    None
}

/// Pushes where each sentence segment of `text[piece]` after its first begins.
fn push_inner_starts(text: &str, piece: Range<usize>, starts: &mut Vec<usize>) {
    let offset = piece.start;
    let piece = &text[piece];
    if piece.is_ascii() {
        ascii::push_inner_starts(piece.as_bytes(), offset, starts);
        return;
    }
    starts.extend(
        piece
            .split_sentence_bound_indices()
            .skip(1)
            .map(|(start, _)| offset + start),
    );
}

fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// Pushes `sentence` as pieces of at most [`MAX_SENTENCE_BYTES`].
fn cut_to_limit(text: &str, sentence: Range<usize>, out: &mut Vec<Range<usize>>) {
    let content_end = sentence.start + text[sentence.clone()].trim_end().len();
    let mut start = sentence.start;
    while sentence.end - start > MAX_SENTENCE_BYTES {
        let cut = cut_point(
            &text[start..sentence.end],
            content_end.saturating_sub(start),
        );
        out.push(start..start + cut);
        start += cut;
    }
    out.push(start..sentence.end);
}

/// Where to end the next piece of `rest` (which is longer than the limit),
/// given that everything from `content_end` on is whitespace.
///
/// Looks back from the limit, so the cost is bounded by the limit (plus one
/// grapheme) and cutting stays linear.
fn cut_point(rest: &str, content_end: usize) -> usize {
    let mut limit = MAX_SENTENCE_BYTES;
    while !rest.is_char_boundary(limit) {
        limit -= 1;
    }
    if content_end > MAX_SENTENCE_BYTES
        && let Some(cut) = after_last_space(rest, limit)
    {
        return cut;
    }
    // All the content fits (keep as much trailing whitespace as fits too), or
    // there is no space to cut at.
    last_grapheme_boundary(rest, limit)
}

/// The end of the last whitespace before `limit` that follows some content
/// and is not joined to the next character.
fn after_last_space(rest: &str, limit: usize) -> Option<usize> {
    let (space, c) = rest[..limit]
        .char_indices()
        .rev()
        .filter(|&(_, c)| c.is_whitespace())
        .find(|&(index, c)| is_grapheme_boundary(rest, index + c.len_utf8()))?;
    let has_content = !rest[..space].trim_end().is_empty();
    has_content.then_some(space + c.len_utf8())
}

/// The last grapheme boundary at or before `limit`, or the end of the first
/// grapheme when that one is longer than the limit.
fn last_grapheme_boundary(rest: &str, limit: usize) -> usize {
    let mut cursor = GraphemeCursor::new(limit, rest.len(), true);
    if matches!(cursor.is_boundary(rest, 0), Ok(true)) {
        return limit;
    }
    if let Ok(Some(previous)) = cursor.prev_boundary(rest, 0)
        && previous > 0
    {
        return previous;
    }
    rest.graphemes(true).next().map_or(rest.len(), str::len)
}

fn is_grapheme_boundary(rest: &str, at: usize) -> bool {
    GraphemeCursor::new(at, rest.len(), true)
        .is_boundary(rest, 0)
        .unwrap_or(false)
}

/// The text the segmenter sees: `text` itself, or a copy in which a full stop
/// followed by a long run of spaces, closing punctuation or marks is swapped
/// for an exclamation mark of the same byte length.
///
/// After a full stop (`ATerm`), unicode-segmentation looks ahead for a lowercase
/// letter (rule SB8) once per following space, closer or mark, scanning the
/// whole run each time: quadratic in the run, so `"a." + 5 MB of spaces`
/// would hang. An exclamation mark (`STerm`) ends a sentence the same way
/// without that look-ahead. Only full stops followed by more than
/// [`MAX_LOOKAHEAD_RUN`] such characters are swapped, which real prose never
/// has; offsets are unchanged because each swap keeps the byte length.
fn defuse_long_lookaheads(text: &str) -> Cow<'_, str> {
    let mut defused = String::new();
    let mut copied_up_to = 0;
    let mut from = 0;
    while let Some((index, stop, replacement)) = next_full_stop(text, from) {
        from = index + stop.len_utf8();
        let run = text[from..]
            .chars()
            .take_while(|&c| !ends_lookahead_run(c))
            .take(MAX_LOOKAHEAD_RUN + 1)
            .count();
        if run > MAX_LOOKAHEAD_RUN {
            if defused.is_empty() {
                defused.reserve(text.len());
            }
            defused.push_str(&text[copied_up_to..index]);
            defused.push_str(replacement);
            copied_up_to = from;
        }
    }
    if copied_up_to == 0 {
        return Cow::Borrowed(text);
    }
    defused.push_str(&text[copied_up_to..]);
    Cow::Owned(defused)
}

/// The next full stop of the `ATerm` class at or after byte `from`, with its
/// same-length replacement. Scans bytes: every such full stop is `.` or starts
/// with 0xE2 or 0xEF in UTF-8, and prose has few of those (memchr looks
/// for the three bytes many at a time).
fn next_full_stop(text: &str, from: usize) -> Option<(usize, char, &'static str)> {
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        at += memchr::memchr3(b'.', 0xE2, 0xEF, bytes.get(at..)?)?;
        let stop = text[at..].chars().next()?;
        if let Some(replacement) = same_length_sentence_end(stop) {
            return Some((at, stop, replacement));
        }
        at += stop.len_utf8();
    }
}

/// For each full stop of the `ATerm` class, an `STerm` of the same UTF-8 length.
fn same_length_sentence_end(c: char) -> Option<&'static str> {
    match c {
        '.' => Some("!"),
        '\u{2024}' => Some("\u{203c}"),
        '\u{fe52}' => Some("\u{fe57}"),
        '\u{ff0e}' => Some("\u{ff01}"),
        _ => None,
    }
}

/// Whether `c` certainly ends the run of characters after a full stop that
/// keep the segmenter looking ahead: a letter or digit that is not a
/// combining mark, another full stop, or a line break. Anything else (spaces,
/// punctuation, marks, format characters) counts as part of the run, so a run
/// is never under-counted.
fn ends_lookahead_run(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
        || same_length_sentence_end(c).is_some()
        || c.is_ascii_alphanumeric()
        || (c.is_alphanumeric() && !joins_previous_grapheme(c))
}

/// Whether `c` extends the grapheme before it (a combining or spacing mark):
/// such letters are `Extend` for sentence segmentation, not letters.
fn joins_previous_grapheme(c: char) -> bool {
    let mut pair = [b'a'; 5];
    let len = 1 + c.encode_utf8(&mut pair[1..]).len();
    std::str::from_utf8(&pair[..len]).is_ok_and(|pair| pair.graphemes(true).nth(1).is_none())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    fn assert_covers(text: &str, ranges: &[Range<usize>]) {
        let mut expected_start = 0;
        for range in ranges {
            assert_eq!(range.start, expected_start, "gap or overlap in {ranges:?}");
            assert!(range.end > range.start, "empty range in {ranges:?}");
            expected_start = range.end;
        }
        assert_eq!(expected_start, text.len());
    }

    #[test]
    fn empty_text_has_no_sentences() {
        assert!(sentences("").is_empty());
    }

    #[test]
    fn splits_english_and_keeps_trailing_space_with_the_sentence() {
        assert_eq!(
            split("The study began. It ended? Yes! "),
            ["The study began. ", "It ended? ", "Yes! "]
        );
    }

    #[test]
    fn abbreviations_followed_by_lowercase_stay_together() {
        assert_eq!(
            split("See e.g. the table. Then go."),
            ["See e.g. the table. ", "Then go."]
        );
    }

    #[test]
    fn cjk_sentence_ends() {
        assert_eq!(
            split("成果が出た。次に進む！本当？はい"),
            ["成果が出た。", "次に進む！", "本当？", "はい"]
        );
    }

    #[test]
    fn blank_pieces_join_a_neighbour() {
        assert_eq!(split("One.\n\nTwo.\n"), ["One.\n\n", "Two.\n"]);
        assert_eq!(split("\n\n  One."), ["\n\n  One."]);
        assert_eq!(split(" \n\t"), [" \n\t"]);
    }

    #[test]
    fn long_sentence_is_cut_at_whitespace() {
        let text = "word ".repeat(2000);
        let ranges = sentences(&text);
        assert_covers(&text, &ranges);
        assert!(ranges.len() >= 3);
        for range in &ranges {
            assert!(range.len() <= MAX_SENTENCE_BYTES);
            assert!(text[range.clone()].ends_with(' '), "cut inside a word");
        }
    }

    #[test]
    fn long_word_is_cut_at_grapheme_boundaries() {
        let text = "e\u{301}".repeat(3000);
        let ranges = sentences(&text);
        assert_covers(&text, &ranges);
        for range in &ranges {
            assert!(range.len() <= MAX_SENTENCE_BYTES);
            assert!(text[range.clone()].starts_with('e'), "split a grapheme");
        }
    }

    #[test]
    fn a_grapheme_longer_than_the_limit_stands_alone() {
        let giant = format!("a{}", "\u{301}".repeat(MAX_SENTENCE_BYTES));
        let text = format!("{}{giant}{}", "b".repeat(10), "c".repeat(10));
        assert_eq!(split(&text), ["b".repeat(10), giant, "c".repeat(10)]);
    }

    #[test]
    fn trailing_whitespace_stays_with_content_when_it_fits() {
        let text = format!("{} {}", "x".repeat(100), " ".repeat(MAX_SENTENCE_BYTES));
        let ranges = sentences(&text);
        assert_covers(&text, &ranges);
        assert_eq!(ranges[0], 0..MAX_SENTENCE_BYTES);
    }

    #[test]
    fn five_megabyte_line_without_punctuation_finishes() {
        let text = "lorem ipsum dolor sit amet ".repeat(200_000);
        let ranges = sentences(&text);
        assert_covers(&text, &ranges);
        assert!(ranges.iter().all(|r| r.len() <= MAX_SENTENCE_BYTES));
    }

    #[test]
    fn full_stop_before_a_huge_run_of_spaces_finishes() {
        let text = format!("a.{}b", " ".repeat(2_000_000));
        let ranges = sentences(&text);
        assert_covers(&text, &ranges);
        assert_eq!(&text[ranges[0].clone()][..3], "a. ");
        assert_eq!(&text[ranges.last().unwrap().clone()], "b");
    }

    #[test]
    fn full_stop_before_a_huge_run_of_marks_finishes() {
        let text = format!("a.{}{}b", ")".repeat(500_000), " \u{301}".repeat(500_000));
        assert_covers(&text, &sentences(&text));
    }

    #[test]
    fn defusing_leaves_ordinary_text_alone() {
        assert!(matches!(
            defuse_long_lookaheads("Dr. Who. 成果．"),
            Cow::Borrowed(_)
        ));
        let long_run = format!("a.{}b", " ".repeat(MAX_LOOKAHEAD_RUN + 1));
        assert!(matches!(defuse_long_lookaheads(&long_run), Cow::Owned(s) if s.starts_with("a!")));
    }

    #[test]
    fn marks_are_recognized() {
        assert!(joins_previous_grapheme('\u{301}'));
        assert!(joins_previous_grapheme('\u{903}'));
        assert!(!joins_previous_grapheme('b'));
        assert!(!joins_previous_grapheme('成'));
    }

    /// The segmenter run over the whole text, as the fast path must reproduce it.
    fn segments_of_the_whole_text(text: &str) -> Vec<Range<usize>> {
        text.split_sentence_bound_indices()
            .map(|(start, piece)| start..start + piece.len())
            .collect()
    }

    #[test]
    fn fast_segments_agree_on_tricky_prose() {
        for text in [
            "",
            "a",
            "See e.g. the table. Then go.",
            "He said \"Stop.\" Then left. etc. 123 abc. Mr. Smith met Dr. Who.",
            "Ends with a space. ",
            "U.S. law. The end.\nNext line\r\nand more",
            "word (aside.) word? Yes! no... maybe. \u{201c}Quoted.\u{201d} Then",
            "caf\u{e9}. \u{c9}t\u{e9} \u{3002}\u{6210}\u{679c}\u{ff01} x\u{2028}y \u{85}z",
            "a.\u{301} b. \u{200b}C d . e",
        ] {
            assert_eq!(segments(text), segments_of_the_whole_text(text), "{text:?}");
        }
    }

    #[test]
    fn no_letter_ends_or_separates_sentences() {
        // The fast path relies on it: for every letter, `a<letter> B` is one
        // sentence, where a terminator or separator would end one before `B`.
        for letter in (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| c.is_alphabetic())
        {
            let text = format!("a{letter} B");
            assert_eq!(text.split_sentence_bounds().count(), 1, "{letter:?}");
        }
    }

    proptest! {
        #[test]
        fn fast_segments_agree_with_the_segmenter(text in prose_text()) {
            prop_assert_eq!(segments(&text), segments_of_the_whole_text(&text));
        }

        #[test]
        fn sentences_cover_the_text_exactly(text in sentence_text()) {
            let ranges = sentences(&text);
            assert_covers(&text, &ranges);
            for range in &ranges {
                prop_assert!(text.is_char_boundary(range.start));
                let piece = &text[range.clone()];
                prop_assert!(!is_blank(piece) || ranges.len() == 1, "{piece:?} alone");
            }
        }

        #[test]
        fn long_sentences_are_cut_within_the_limit(unit in long_text_unit(), count in 300usize..1500) {
            let text = unit.repeat(count);
            let ranges = sentences(&text);
            assert_covers(&text, &ranges);
            for range in &ranges {
                prop_assert!(is_grapheme_boundary(&text, range.start));
                let piece = &text[range.clone()];
                prop_assert!(
                    range.len() <= MAX_SENTENCE_BYTES || piece.graphemes(true).count() == 1,
                    "{} bytes", range.len()
                );
            }
        }
    }

    /// A short run of words, spaces, stops and tricky graphemes, to repeat.
    fn long_text_unit() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[a-z]{1,12}",
            Just(" ".to_owned()),
            Just(".".to_owned()),
            Just(". ".to_owned()),
            Just("e\u{301}".to_owned()),
            Just(" \u{301}".to_owned()),
            Just("🇫🇷".to_owned()),
            Just("成果".to_owned()),
            Just("\u{a0}".to_owned()),
        ];
        prop::collection::vec(piece, 1..6).prop_map(|pieces| pieces.concat())
    }

    /// Words, spaces and every kind of character the sentence rules care
    /// about: terminators, closers, continuers, digits, line breaks, marks,
    /// format characters, upper- and lower-case letters outside ASCII.
    fn prose_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[a-z]{1,8}",
            2 => "[A-Z][a-z]{0,6}",
            6 => Just(" ".to_owned()),
            1 => "[0-9]{1,3}",
            2 => prop::sample::select(vec![
                ".", ". ", "? ", "!", "...", ",", ";", ":", "-", "\"", "'", "(", ")",
                "[", "]", "\n", "\r\n", "\t", "  ", "e.g.", "Mr.", "U.S.",
            ])
            .prop_map(str::to_owned),
            1 => prop::sample::select(vec![
                "\u{e9}", "\u{c9}", "\u{df}", "\u{3002}", "\u{ff01}", "\u{ff0e}", "\u{203c}",
                "\u{2024}", "\u{201d}", "\u{2019}", "\u{301}", "\u{903}", "\u{200b}",
                "\u{200d}", "\u{ad}", "\u{a0}", "\u{2028}", "\u{85}", "\u{6210}\u{679c}",
                "\u{3000}", "\u{ff09}", "\u{5d0}",
            ])
            .prop_map(str::to_owned),
            1 => any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
    }

    fn sentence_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[A-Za-z]{1,8}",
            Just(" ".to_owned()),
            Just("  ".to_owned()),
            Just(". ".to_owned()),
            Just(".".to_owned()),
            Just("? ".to_owned()),
            Just("\n".to_owned()),
            Just("\n\n".to_owned()),
            Just("\"".to_owned()),
            Just("。".to_owned()),
            Just("成果".to_owned()),
            Just("e\u{301}".to_owned()),
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
    }
}
