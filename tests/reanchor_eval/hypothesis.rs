//! The Hypothesis client's anchoring algorithm, run on the same highlights
//! and texts as gloss's, with gloss's approximate search.

use std::ops::Range;

use gloss::annotation::{TextAnchor, approximate_matches};

use super::Case;

/// Where the Hypothesis client's algorithm places each case's highlight.
pub fn hypothesis_placements(cases: &[Case], new_plain: &str) -> Vec<Option<Range<usize>>> {
    cases
        .iter()
        .map(|c| hypothesis(new_plain, &c.highlight.anchor))
        .collect()
}

/// The Hypothesis client's anchoring of a `TextQuote` + `TextPosition` selector
/// (`src/annotator/anchoring/` in hypothesis/client): the quote at the stored
/// position; else the quote with its whole context, exactly; else the best
/// of the passages within a quarter of the quote's length in edits, scored
/// 50 for the quote, 20 for the prefix, 20 for the suffix and 2 for the
/// position, each as one minus edits over length. Lengths are counted in
/// characters where JavaScript counts UTF-16 units.
pub fn hypothesis(text: &str, anchor: &TextAnchor) -> Option<Range<usize>> {
    let quote = &anchor.quote;
    let exact = quote.exact.as_str();
    if exact.is_empty() {
        return None;
    }
    let hint = anchor.position.start;
    if text.get(hint..hint + exact.len()) == Some(exact) {
        return Some(hint..hint + exact.len());
    }
    let whole = format!("{}{}{}", quote.prefix, exact, quote.suffix);
    if let Some(at) = text.find(&whole) {
        let start = at + quote.prefix.len();
        return Some(start..start + exact.len());
    }
    let quote_chars = exact.chars().count();
    let matches = approximate_matches(text, exact, quote_chars / 4, hint, 64);
    let score = |range: &Range<usize>, errors: usize| {
        let quote_score = 1.0 - errors as f64 / quote_chars as f64;
        let before = text
            .get(..range.start)
            .map(|t| tail_chars(t, quote.prefix.chars().count()))
            .unwrap_or_default();
        let after = text
            .get(range.end..)
            .map(|t| head_chars(t, quote.suffix.chars().count()))
            .unwrap_or_default();
        let prefix_score = if quote.prefix.is_empty() {
            1.0
        } else {
            match_score(before, &quote.prefix)
        };
        let suffix_score = if quote.suffix.is_empty() {
            1.0
        } else {
            match_score(after, &quote.suffix)
        };
        let pos_score = 1.0 - range.start.abs_diff(hint) as f64 / text.len().max(1) as f64;
        (50.0 * quote_score + 20.0 * prefix_score + 20.0 * suffix_score + 2.0 * pos_score) / 92.0
    };
    matches
        .into_iter()
        .map(|(range, errors)| (score(&range, errors), range))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, range)| range)
}

/// Hypothesis's `textMatchScore`: one minus the fewest edits that make some
/// passage of `text` into `wanted`, over its length; 0 when either is empty.
fn match_score(text: &str, wanted: &str) -> f64 {
    let chars = wanted.chars().count();
    if chars == 0 || text.is_empty() {
        return 0.0;
    }
    let best = approximate_matches(text, wanted, chars, 0, 1)
        .first()
        .map_or(chars, |(_, errors)| *errors);
    1.0 - best as f64 / chars as f64
}

fn tail_chars(text: &str, n: usize) -> &str {
    let start = text
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(text.len(), |(i, _)| i);
    &text[start..]
}

fn head_chars(text: &str, n: usize) -> &str {
    let end = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    &text[..end]
}
