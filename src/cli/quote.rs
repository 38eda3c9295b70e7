//! Finding the passage a person typed on the command line in an article's
//! text. What the shell passes rarely matches byte for byte: the text was
//! copied across a line break, retyped in another case, or typed with straight
//! quotes where the article has curly ones. So the exact text is looked for
//! first, and only when it is nowhere the text is compared loosely: every run
//! of whitespace as one space, letters in lower case, and curly quotes and
//! dashes as their plain forms.

use crate::text::{ceil_boundary, floor_boundary};
use std::ops::Range;

/// Every place `quote` occurs in `plain`, in text order, as byte ranges of
/// `plain` on character boundaries: the exact occurrences if there are any,
/// otherwise the loose ones. Occurrences do not overlap. An empty quote (or
/// one of only whitespace) occurs nowhere.
pub fn find_quote(plain: &str, quote: &str) -> Vec<Range<usize>> {
    let quote = quote.trim();
    if quote.is_empty() {
        return Vec::new();
    }
    let exact: Vec<Range<usize>> = plain
        .match_indices(quote)
        .map(|(start, found)| start..start + found.len())
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let needle = Folded::new(quote).text;
    let haystack = Folded::new(plain);
    haystack
        .text
        .match_indices(needle.as_str())
        .map(|(start, found)| haystack.original_range(plain, start..start + found.len()))
        .collect()
}

/// A text in its loose form, with what it takes to map offsets back.
struct Folded {
    text: String,
    /// `(folded offset, original offset)` wherever the two stop differing by
    /// the same amount as before (after a collapsed run of whitespace, or a
    /// character whose folded form has another length), in increasing order.
    /// Between two marks the texts correspond byte for byte.
    marks: Vec<(usize, usize)>,
}

impl Folded {
    fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut marks = vec![(0, 0)];
        let mut in_space = false;
        for (offset, c) in original.char_indices() {
            if c.is_whitespace() && in_space {
                continue;
            }
            in_space = c.is_whitespace();
            let (last_folded, last_original) = marks[marks.len() - 1];
            if offset - last_original != text.len() - last_folded {
                marks.push((text.len(), offset));
            }
            if in_space {
                text.push(' ');
            } else if let Some(plain) = plain_form(c) {
                text.push(plain);
            } else {
                text.extend(c.to_lowercase());
            }
        }
        Folded { text, marks }
    }

    /// The range of `original` that `folded` (a range of the folded text, on
    /// its character boundaries) came from, widened to whole characters.
    fn original_range(&self, original: &str, folded: Range<usize>) -> Range<usize> {
        let start = floor_boundary(original, self.original_offset(folded.start));
        let end = ceil_boundary(original, self.original_offset(folded.end));
        start..end.max(start)
    }

    fn original_offset(&self, folded: usize) -> usize {
        let index = self
            .marks
            .partition_point(|&(mark, _)| mark <= folded)
            .saturating_sub(1);
        let (mark_folded, mark_original) = self.marks[index];
        mark_original + (folded - mark_folded)
    }
}

/// The plain form of typographic quotes and dashes, which people type as `'`,
/// `"` and `-`.
fn plain_form(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' => Some('\''),
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' => Some('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => Some('-'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found<'a>(plain: &'a str, quote: &str) -> Vec<&'a str> {
        find_quote(plain, quote)
            .into_iter()
            .map(|range| &plain[range])
            .collect()
    }

    #[test]
    fn the_exact_text_is_found_first() {
        let plain = "The ferries cross at dusk. the ferries cross again.";
        assert_eq!(found(plain, "The ferries"), ["The ferries"]);
        assert_eq!(found(plain, "  ferries cross "), ["ferries cross"; 2]);
    }

    #[test]
    fn case_and_spacing_do_not_matter_when_the_exact_text_is_nowhere() {
        let plain = "The old tram\n\nclimbs   the hill.";
        assert_eq!(
            found(plain, "OLD TRAM climbs the"),
            ["old tram\n\nclimbs   the"]
        );
        assert_eq!(found(plain, "tram climbs"), ["tram\n\nclimbs"]);
    }

    #[test]
    fn straight_quotes_and_hyphens_match_typographic_ones() {
        let plain = "It\u{2019}s a \u{201c}long\u{2014}term\u{201d} plan.";
        assert_eq!(
            found(plain, "it's a \"long-term\""),
            ["It\u{2019}s a \u{201c}long\u{2014}term\u{201d}"]
        );
    }

    #[test]
    fn ranges_stay_on_character_boundaries_in_wide_and_changing_text() {
        // 'İ' lower-cases to two characters; '\u{3000}' is a wide space.
        let plain = "İstanbul\u{3000}\u{3000}成果 and ÄRGER";
        assert_eq!(
            found(plain, "i\u{307}stanbul 成果"),
            ["İstanbul\u{3000}\u{3000}成果"]
        );
        assert_eq!(found(plain, "成果 AND ärger"), ["成果 and ÄRGER"]);
        assert_eq!(found(plain, "ärger"), ["ÄRGER"]);
    }

    #[test]
    fn nothing_is_found_for_an_absent_or_empty_quote() {
        assert!(find_quote("Some text.", "other text").is_empty());
        assert!(find_quote("Some text.", "   ").is_empty());
        assert!(find_quote("", "x").is_empty());
    }

    #[test]
    fn every_copy_is_reported_in_order() {
        let plain = "a b. A  B. a b.";
        assert_eq!(
            find_quote(plain, "a b"),
            [0..3, 11..14],
            "exact copies only"
        );
        assert_eq!(find_quote(plain, "A B"), [0..3, 5..9, 11..14]);
    }
}
