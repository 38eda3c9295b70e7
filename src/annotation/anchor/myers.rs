//! Bit-parallel edit distance over characters (Myers 1999, in Hyyrö's
//! multi-word form). Each text character costs a few word operations per 64
//! characters of pattern, whatever the number of errors allowed, which is what
//! lets fuzzy re-anchoring sweep a whole article in a few milliseconds.

/// Pattern rows per machine word.
const WORD: usize = 64;

/// Where the passage compared with the pattern may begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Alignment {
    /// Anywhere in what was fed: after each character the score is the
    /// distance to the closest passage ending there (Sellers' search).
    Anywhere,
    /// At the first character fed: after each character the score is the
    /// distance to everything fed so far.
    AtStart,
}

/// A pattern prepared for matching: for each distinct character, a bit mask
/// per 64-row word of the rows where it occurs.
#[derive(Debug)]
pub(super) struct Pattern {
    /// Length in characters (rows).
    len: usize,
    words: usize,
    /// Symbol of each ASCII character; 0 means "not in the pattern".
    ascii: [u32; 128],
    /// Symbols of the other characters, sorted for binary search.
    other: Vec<(char, u32)>,
    /// `words` masks per symbol; symbol 0's masks are all zero.
    masks: Vec<u64>,
    /// The bit of the pattern's last row in its last word.
    last_row: u64,
}

impl Pattern {
    pub(super) fn new(chars: &[char]) -> Self {
        let words = chars.len().div_ceil(WORD);
        let mut ascii = [0_u32; 128];
        let mut other = std::collections::BTreeMap::new();
        let mut masks = vec![0_u64; words];
        let mut symbols = 1_u32;
        for (row, &c) in chars.iter().enumerate() {
            let slot = if c.is_ascii() {
                &mut ascii[u32::from(c) as usize]
            } else {
                other.entry(c).or_insert(0)
            };
            if *slot == 0 {
                *slot = symbols;
                symbols += 1;
                masks.resize(symbols as usize * words, 0);
            }
            masks[*slot as usize * words + row / WORD] |= 1 << (row % WORD);
        }
        Pattern {
            len: chars.len(),
            words,
            ascii,
            other: other.into_iter().collect(),
            masks,
            last_row: 1 << (chars.len().saturating_sub(1) % WORD),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Machine words per text character, the unit of scanning cost.
    pub(super) fn words(&self) -> usize {
        self.words
    }

    /// The edit distance between the whole pattern and the whole of `text`.
    pub(super) fn distance(&self, text: &str) -> usize {
        let mut scanner = Scanner::new(self, Alignment::AtStart);
        text.chars().fold(self.len, |_, c| scanner.step(c))
    }

    fn masks(&self, c: char) -> &[u64] {
        let symbol = if c.is_ascii() {
            self.ascii[u32::from(c) as usize]
        } else {
            self.other
                .binary_search_by_key(&c, |&(known, _)| known)
                .map_or(0, |i| self.other[i].1)
        } as usize;
        &self.masks[symbol * self.words..(symbol + 1) * self.words]
    }
}

/// The last column of the edit-distance table, kept as vertical deltas and
/// advanced one text character at a time.
#[derive(Debug)]
pub(super) struct Scanner<'p> {
    pattern: &'p Pattern,
    alignment: Alignment,
    /// Rows whose value is one more than the row above.
    up: Vec<u64>,
    /// Rows whose value is one less than the row above.
    down: Vec<u64>,
    /// The value of the last row: the distance for the whole pattern.
    score: usize,
}

impl<'p> Scanner<'p> {
    pub(super) fn new(pattern: &'p Pattern, alignment: Alignment) -> Self {
        Scanner {
            pattern,
            alignment,
            up: vec![!0; pattern.words],
            down: vec![0; pattern.words],
            score: pattern.len,
        }
    }

    /// Feeds one text character and returns the distance after it.
    pub(super) fn step(&mut self, c: char) -> usize {
        let masks = self.pattern.masks(c);
        // The top row: 0 everywhere when a match may start anywhere, the
        // column number when it must start at the first character.
        let mut carry: i8 = match self.alignment {
            Alignment::Anywhere => 0,
            Alignment::AtStart => 1,
        };
        let words = self.pattern.words;
        if words > 0 {
            // Equal lengths up front spare the loop its bounds checks.
            let (up, down, masks) = (
                &mut self.up[..words],
                &mut self.down[..words],
                &masks[..words],
            );
            let last = words - 1;
            for word in 0..last {
                carry = advance(
                    &mut up[word],
                    &mut down[word],
                    masks[word],
                    carry,
                    1 << (WORD - 1),
                );
            }
            let high = self.pattern.last_row;
            carry = advance(&mut up[last], &mut down[last], masks[last], carry, high);
        }
        self.score = self.score.saturating_add_signed(isize::from(carry));
        self.score
    }
}

/// Advances one word of the column by one text character (Hyyrö 2003): takes
/// the horizontal delta entering at the word's top row and returns the one
/// leaving at `high`, the word's last pattern row. Bits above `high` hold
/// garbage that never flows down: carries and shifts only move upwards.
fn advance(up: &mut u64, down: &mut u64, matches: u64, carry_in: i8, high: u64) -> i8 {
    // Written without branches: the carries vary from word to word, and
    // mispredicted jumps would cost more than the arithmetic.
    let carry_down = u64::from(carry_in < 0);
    let carry_up = u64::from(carry_in > 0);
    let vertical = matches | *down;
    let matches = matches | carry_down;
    let horizontal = (((matches & *up).wrapping_add(*up)) ^ *up) | matches;
    let right_up = *down | !(horizontal | *up);
    let right_down = *up & horizontal;
    let carry_out = i8::from(right_up & high != 0) - i8::from(right_down & high != 0);
    let right_up = (right_up << 1) | carry_up;
    let right_down = (right_down << 1) | carry_down;
    *up = right_down | !(vertical | right_up);
    *down = right_up & vertical;
    carry_out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The textbook dynamic programme, for comparison: the last row after
    /// each text character.
    fn naive_scores(pattern: &[char], text: &[char], alignment: Alignment) -> Vec<usize> {
        let mut column: Vec<usize> = (0..=pattern.len()).collect();
        let mut out = Vec::new();
        for (j, &t) in text.iter().enumerate() {
            let mut next = vec![if alignment == Alignment::AtStart {
                j + 1
            } else {
                0
            }];
            for (i, &p) in pattern.iter().enumerate() {
                let substitute = column[i] + usize::from(p != t);
                next.push(substitute.min(column[i + 1] + 1).min(next[i] + 1));
            }
            out.push(next[pattern.len()]);
            column = next;
        }
        out
    }

    fn scores(pattern: &[char], text: &[char], alignment: Alignment) -> Vec<usize> {
        let prepared = Pattern::new(pattern);
        let mut scanner = Scanner::new(&prepared, alignment);
        text.iter().map(|&c| scanner.step(c)).collect()
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn finds_a_substring_with_one_error() {
        let found = scores(
            &chars("survive"),
            &chars("they survlve edits"),
            Alignment::Anywhere,
        );
        assert_eq!(found.iter().min(), Some(&1));
        assert_eq!(found[11], 1, "the best passage ends after 'survlve'");
    }

    #[test]
    fn whole_distance_is_levenshtein() {
        let kitten = Pattern::new(&chars("kitten"));
        assert_eq!(kitten.distance("sitting"), 3);
        assert_eq!(kitten.distance(""), 6);
        assert_eq!(Pattern::new(&[]).distance("abc"), 3);
        assert_eq!(
            Pattern::new(&chars("東京タワー")).distance("東京スカイツリー"),
            5
        );
    }

    #[test]
    fn empty_pattern_matches_everywhere_when_unanchored() {
        assert_eq!(scores(&[], &chars("ab"), Alignment::Anywhere), vec![0, 0]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// Patterns up to 150 characters span three words, so the carries
        /// between words are exercised.
        #[test]
        fn agrees_with_the_textbook_table(
            pattern in "[abcé😀]{0,150}",
            text in "[abcdé😀]{0,60}",
            at_start in any::<bool>(),
        ) {
            let alignment = if at_start { Alignment::AtStart } else { Alignment::Anywhere };
            let (pattern, text) = (chars(&pattern), chars(&text));
            prop_assert_eq!(
                scores(&pattern, &text, alignment),
                naive_scores(&pattern, &text, alignment)
            );
        }
    }
}
