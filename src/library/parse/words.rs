//! Counting the words of a block for the reading-time estimate, by UAX #29
//! (unicode-segmentation's `unicode_words`), without paying the general
//! segmenter's price on every byte of a large library.

use unicode_segmentation::UnicodeSegmentation;

/// The number of `unicode_words` in `text`.
///
/// A word never spans a space, tab or line break (the word rules break on
/// both sides of them), so each run between them is counted on its own. In
/// one pass, by the rules for ASCII while the run is plain ASCII, as nearly
/// all of prose is: letters, digits and `_` stick together, `.` `'` `:` join
/// two letters (`e.g`, `don't`), `.` `'` `,` `;` join two digits (`3.14`,
/// `1,000`). A run with another character is counted by the segmenter.
pub fn word_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut run_start = 0;
    // Words of the current run so far, and the word being read.
    let mut run_words = 0;
    let mut in_word = false;
    let mut has_alphanumeric = false;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte.is_ascii_alphanumeric() || byte == b'_' {
            in_word = true;
            has_alphanumeric |= byte != b'_';
            index += 1;
        } else if byte.is_ascii() {
            if !(in_word && joins_across(bytes, index)) {
                run_words += usize::from(has_alphanumeric);
                in_word = false;
                has_alphanumeric = false;
            }
            if matches!(byte, b' ' | b'\n' | b'\t') {
                count += run_words;
                run_words = 0;
                run_start = index + 1;
            }
            index += 1;
        } else {
            let run_end = bytes[index..]
                .iter()
                .position(|b| matches!(b, b' ' | b'\n' | b'\t'))
                .map_or(bytes.len(), |length| index + length);
            count += text[run_start..run_end].unicode_words().count();
            run_words = 0;
            in_word = false;
            has_alphanumeric = false;
            index = run_end;
        }
    }
    count + run_words + usize::from(has_alphanumeric)
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
            prop_assert_eq!(word_count(&run), run.unicode_words().count());
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
