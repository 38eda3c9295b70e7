//! Counting the words of a block for the reading-time estimate, by UAX #29
//! (unicode-segmentation's `unicode_words`), without paying the general
//! segmenter's price on every byte of a large library.

use unicode_segmentation::UnicodeSegmentation;

/// The number of `unicode_words` in `text`.
///
/// A word never spans a space, tab or line break (the word rules break on
/// both sides of them), so the text can be counted in pieces cut at them. A
/// run between them that holds a non-ASCII character is counted by the
/// segmenter; the plain ASCII stretches between such runs, nearly all of
/// prose, by the rules for ASCII (see [`ascii_word_count`]).
pub fn word_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut done = 0;
    while let Some(found) = bytes[done..].iter().position(|b| !b.is_ascii()) {
        let at = done + found;
        let run_start = bytes[done..at]
            .iter()
            .rposition(|&b| is_separator(b))
            .map_or(done, |index| done + index + 1);
        let run_end = bytes[at..]
            .iter()
            .position(|&b| is_separator(b))
            .map_or(bytes.len(), |length| at + length);
        count += ascii_word_count(&bytes[done..run_start]);
        count += text[run_start..run_end].unicode_words().count();
        done = run_end;
    }
    count + ascii_word_count(&bytes[done..])
}

/// The bytes that end a word on both sides, whatever surrounds them.
fn is_separator(byte: u8) -> bool {
    matches!(byte, b' ' | b'\n' | b'\t')
}

/// The number of `unicode_words` in ASCII text.
///
/// Letters, digits and `_` stick together, `.` `'` `:` join two letters
/// (`e.g`, `don't`), `.` `'` `,` `;` join two digits (`3.14`, `1,000`); a
/// word needs a letter or digit (`___` is none).
///
/// Without `_`, whether a byte is in a word depends only on it and its two
/// neighbours, so words are counted by where they end, 64 bytes at a time in
/// fixed-size arrays the compiler turns into vector instructions. Text with
/// `_` goes byte by byte: whether a run of `_` and letters holds a letter
/// needs more than the neighbours to tell.
fn ascii_word_count(bytes: &[u8]) -> usize {
    if memchr::memchr(b'_', bytes).is_some() {
        return ascii_word_count_by_byte(bytes);
    }
    let mut count = 0;
    let mut start = 0;
    while start < bytes.len() {
        // Byte `start + i - 1` at index `i`: one byte of context before the
        // block and two after, zero (no class) outside the text.
        let mut window = [0u8; BLOCK + 3];
        let from = start.saturating_sub(1);
        let to = bytes.len().min(start + BLOCK + 2);
        window[from + 1 - start..][..to - from].copy_from_slice(&bytes[from..to]);
        count += word_ends_in_block(&window);
        start += BLOCK;
    }
    count
}

const BLOCK: usize = 64;

/// The words that end in the block of `window` (see [`ascii_word_count`]).
fn word_ends_in_block(window: &[u8; BLOCK + 3]) -> usize {
    let mut letter = [0u8; BLOCK + 3];
    let mut digit = [0u8; BLOCK + 3];
    let mut joins_letters = [0u8; BLOCK + 3];
    let mut joins_digits = [0u8; BLOCK + 3];
    for (index, &byte) in window.iter().enumerate() {
        letter[index] = u8::from((byte | 0x20).wrapping_sub(b'a') < 26);
        digit[index] = u8::from(byte.wrapping_sub(b'0') < 10);
        // `|`, not `||`: no branch, so the loop runs on vectors.
        let stop = u8::from(byte == b'.') | u8::from(byte == b'\'');
        joins_letters[index] = stop | u8::from(byte == b':');
        joins_digits[index] = stop | u8::from(byte == b',') | u8::from(byte == b';');
    }
    // Whether the byte at `index + 1` of the window is in a word.
    let mut in_word = [0u8; BLOCK + 1];
    for (index, in_word) in in_word.iter_mut().enumerate() {
        let at = index + 1;
        let joined = joins_letters[at] & letter[at - 1] & letter[at + 1]
            | joins_digits[at] & digit[at - 1] & digit[at + 1];
        *in_word = letter[at] | digit[at] | joined;
    }
    let mut ends = 0u32;
    for index in 0..BLOCK {
        ends += u32::from(in_word[index] & !in_word[index + 1] & 1);
    }
    ends as usize
}

/// [`ascii_word_count`] for text with `_`, one byte at a time.
fn ascii_word_count_by_byte(bytes: &[u8]) -> usize {
    let mut count = 0;
    let (mut in_word, mut has_alphanumeric) = (false, false);
    for (index, &byte) in bytes.iter().enumerate() {
        if byte.is_ascii_alphanumeric() || byte == b'_' {
            in_word = true;
            has_alphanumeric |= byte != b'_';
        } else if !(in_word && joins_across(bytes, index)) {
            count += usize::from(has_alphanumeric);
            (in_word, has_alphanumeric) = (false, false);
        }
    }
    count + usize::from(has_alphanumeric)
}

/// Whether the punctuation at `index` joins its neighbours into one word.
fn joins_across(bytes: &[u8], index: usize) -> bool {
    let (Some(&before), Some(&after)) = (bytes.get(index.wrapping_sub(1)), bytes.get(index + 1))
    else {
        return false;
    };
    let letters = before.is_ascii_alphabetic() && after.is_ascii_alphabetic();
    let digits = before.is_ascii_digit() && after.is_ascii_digit();
    match bytes[index] {
        b'.' | b'\'' => letters || digits,
        b':' => letters,
        b',' | b';' => digits,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_words_as_the_segmenter_does() {
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("The study began. It ended?"), 5);
        assert_eq!(word_count("e.g. don't 3.14 1,000 snake_case a:b"), 6);
        assert_eq!(word_count("  -- ... ___ \n\t"), 0);
        // Each ideograph is a word of its own.
        assert_eq!(word_count("研究的成果很好。 Three words."), 9);
    }

    proptest! {
        #[test]
        fn agrees_with_the_segmenter_over_the_whole_text(text in text_with_breaks()) {
            prop_assert_eq!(word_count(&text), text.unicode_words().count());
        }

        #[test]
        fn ascii_runs_count_as_the_segmenter_counts(run in "[a-c0-2_.,;:'!-]{0,24}") {
            prop_assert_eq!(word_count(&run), run.unicode_words().count());
        }

        /// Long enough to cross blocks of 64 bytes, with joining punctuation
        /// and words at their edges; without `_` every block is read as masks.
        #[test]
        fn words_across_blocks_count_as_the_segmenter_counts(
            text in "[a-c0-2.,;:' ]{60,300}",
            underscored in "[a-c0-2_.,;:' ]{60,300}",
        ) {
            prop_assert_eq!(word_count(&text), text.unicode_words().count());
            prop_assert_eq!(word_count(&underscored), underscored.unicode_words().count());
        }
    }

    /// Words, separators and the characters the word rules treat specially:
    /// mid-word punctuation, connectors, marks and format characters right
    /// after a space, non-ASCII letters, CJK.
    fn text_with_breaks() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[a-zA-Z]{1,6}",
            1 => "[0-9]{1,3}",
            4 => prop::sample::select(vec![
                " ", "  ", "\n", "\t", ".", ",", ";", ":", "'", "_", "-", "\"", "\r\n",
            ])
            .prop_map(str::to_owned),
            1 => prop::sample::select(vec![
                "\u{e9}", "\u{301}", "\u{903}", "\u{200d}", "\u{200b}", "\u{ad}", "\u{a0}",
                "\u{2019}", "\u{b7}", "\u{6210}\u{679c}", "\u{30ab}\u{30bf}", "\u{5d0}",
                "\u{1f600}", "\u{1f1eb}\u{1f1f7}", "\u{3000}",
            ])
            .prop_map(str::to_owned),
            1 => any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
    }
}
