//! Counting the words of a block for the reading-time estimate, by UAX #29
//! (unicode-segmentation's `unicode_words`), without paying the general
//! segmenter's price on every byte of a large library.

use unicode_segmentation::UnicodeSegmentation;

/// The number of `unicode_words` in `text`.
///
/// A word never spans a space, tab or line break (the word rules break on
/// both sides of them), so each run between them is counted on its own: plain
/// ASCII runs, nearly all of them in prose, by [`ascii_word_count`], the others
/// by the segmenter.
pub fn word_count(text: &str) -> usize {
    let mut count = 0;
    let mut run_start = 0;
    let mut run_is_ascii = true;
    for (index, &byte) in text.as_bytes().iter().enumerate() {
        if matches!(byte, b' ' | b'\n' | b'\t') {
            count += run_word_count(&text[run_start..index], run_is_ascii);
            run_start = index + 1;
            run_is_ascii = true;
        } else {
            run_is_ascii &= byte.is_ascii();
        }
    }
    count + run_word_count(&text[run_start..], run_is_ascii)
}

fn run_word_count(run: &str, is_ascii: bool) -> usize {
    if is_ascii {
        ascii_word_count(run.as_bytes())
    } else {
        run.unicode_words().count()
    }
}

/// The UAX #29 words of an ASCII run that holds a letter or digit: letters,
/// digits and `_` stick together, `.` `'` `:` join two letters (`e.g`,
/// `don't`), and `.` `'` `,` `;` join two digits (`3.14`, `1,000`).
fn ascii_word_count(run: &[u8]) -> usize {
    let mut count = 0;
    let mut in_word = false;
    let mut has_alphanumeric = false;
    for (index, &byte) in run.iter().enumerate() {
        if byte.is_ascii_alphanumeric() || byte == b'_' {
            in_word = true;
            has_alphanumeric |= byte != b'_';
        } else if !(in_word && joins_across(run, index)) {
            count += usize::from(has_alphanumeric);
            in_word = false;
            has_alphanumeric = false;
        }
    }
    count + usize::from(has_alphanumeric)
}

/// Whether the punctuation at `index` joins its neighbours into one word.
fn joins_across(run: &[u8], index: usize) -> bool {
    let (Some(&before), Some(&after)) = (run.get(index.wrapping_sub(1)), run.get(index + 1)) else {
        return false;
    };
    let letters = before.is_ascii_alphabetic() && after.is_ascii_alphabetic();
    let digits = before.is_ascii_digit() && after.is_ascii_digit();
    match run[index] {
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
            prop_assert_eq!(ascii_word_count(run.as_bytes()), run.unicode_words().count());
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
