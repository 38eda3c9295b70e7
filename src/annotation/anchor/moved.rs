//! Finding an unchanged quote that moved: every copy of it in the text is a
//! candidate, and the one whose surroundings agree best with the stored
//! context wins; among copies whose context agrees equally (twins: a
//! changelog entry repeated in two releases), the one nearest where the quote
//! is expected now (its old position moved by the shift the rest of the
//! article shows) wins.

use std::cmp::Reverse;
use std::collections::VecDeque;
use std::ops::Range;

use memchr::memmem::Finder;

use super::bounds::{QuoteEnds, is_word_boundary};
use super::context::Context;
use super::{ceil_boundary, floor_boundary};

/// Copies compared by their context: the ones nearest the old position.
/// More only happen for a tiny quote in a huge text, where nearness is the
/// better guide anyway.
const MAX_COMPARED: usize = 4096;

/// Bytes of quote the search for copies may compare in all (each copy found
/// costs about the quote's length): it stops after `COPY_BUDGET / quote
/// length` copies, which only a pathological text reaches.
const COPY_BUDGET: usize = 1 << 26;

/// Bounds of how far on each side of the old position the search looks
/// first. The reach doubles until it holds [`MAX_COMPARED`] copies or the
/// whole text, so the budget is spent on the copies nearest the old position;
/// it starts small enough that even a text made of copies of a long quote
/// stays within the budget on the first round.
const MIN_FIRST_REACH: usize = 1024;
const MAX_FIRST_REACH: usize = 64 * 1024;

/// The best copy of `quote` in `text` for a quote expected at any of
/// `expected` (the first is searched around first), or `None` if there is
/// none. A copy that starts or ends inside a word where the quote did not
/// (`ends`) is a fragment of other words, not a copy.
pub(super) fn best_copy(
    text: &str,
    quote: &str,
    expected: &[usize],
    context: &Context,
    ends: QuoteEnds,
) -> Option<Range<usize>> {
    let first = floor_boundary(text, expected.first().copied().unwrap_or(0));
    let copies: Vec<(Range<usize>, usize)> = nearest_copies(text, quote, first)
        .into_iter()
        .map(|start| start..start + quote.len())
        .filter(|range| {
            (!ends.start_whole || is_word_boundary(text, range.start))
                && (!ends.end_whole || is_word_boundary(text, range.end))
        })
        .map(|range| {
            let agreement = context.agreement(text, &range);
            (range, agreement)
        })
        .collect();
    let best = copies.iter().map(|(_, agreement)| *agreement).max()?;
    let tied = best.saturating_sub(context.len() / TIE_SHARE);
    copies
        .into_iter()
        .max_by_key(|(range, agreement)| {
            (
                *agreement >= tied,
                Reverse(off_by(range.start, expected)),
                *agreement,
            )
        })
        .map(|(range, _)| range)
}

/// Copies whose context agrees within this share of its length of the best
/// one count as equally good: an edit next to one copy (a `sudo` dropped
/// before a command) must not outweigh where the rest of the text says the
/// quote went.
const TIE_SHARE: usize = 8;

/// How far `start` is from the nearest of `expected`.
pub(super) fn off_by(start: usize, expected: &[usize]) -> usize {
    expected
        .iter()
        .map(|&e| start.abs_diff(e))
        .min()
        .unwrap_or(usize::MAX)
}

/// The start of the one copy of `quote` in `text`, or `None` when there is
/// no copy or more than one.
pub(super) fn only_copy(text: &str, quote: &str) -> Option<usize> {
    let finder = Finder::new(quote);
    let first = finder.find(text.as_bytes())?;
    let next = first + quote.chars().next().map_or(1, char::len_utf8);
    match text
        .as_bytes()
        .get(next..)
        .and_then(|rest| finder.find(rest))
    {
        Some(_) => None,
        None => Some(first),
    }
}

/// Starts of the copies of `quote` nearest `old_start` (overlapping copies
/// included), at most [`MAX_COMPARED`] of them.
fn nearest_copies(text: &str, quote: &str, old_start: usize) -> VecDeque<usize> {
    let mut reach = (COPY_BUDGET / 4 / quote.len().max(1)).clamp(MIN_FIRST_REACH, MAX_FIRST_REACH);
    let finder = Finder::new(quote);
    loop {
        let from = floor_boundary(text, old_start.saturating_sub(reach));
        let to = ceil_boundary(
            text,
            old_start.saturating_add(reach).saturating_add(quote.len()),
        );
        let (nearest, complete) = copies_within(text, from..to, &finder, old_start);
        if !complete || nearest.len() == MAX_COMPARED || (from == 0 && to == text.len()) {
            return nearest;
        }
        reach = reach.saturating_mul(2);
    }
}

/// The copies of the quote inside `text[window]` nearest `old_start`, and
/// whether the search got through the window within its budget. Copies come
/// in text order, so once the list is full and a new copy is no nearer than
/// the oldest one kept, no later copy can be either. A copy of a whole UTF-8
/// string always starts and ends on character boundaries, so searching bytes
/// is safe.
fn copies_within(
    text: &str,
    window: Range<usize>,
    finder: &Finder<'_>,
    old_start: usize,
) -> (VecDeque<usize>, bool) {
    let mut nearest = VecDeque::new();
    let quote = finder.needle();
    let (Some(&first_byte), Some(searched)) = (quote.first(), text.as_bytes().get(window.clone()))
    else {
        return (nearest, true);
    };
    // The next copy may overlap this one, but starts at a later character.
    let first_char_len = match first_byte.leading_ones() {
        0 => 1,
        n => n as usize,
    };
    let mut from = 0;
    for _ in 0..COPY_BUDGET / quote.len() {
        let Some(found) = searched.get(from..).and_then(|rest| finder.find(rest)) else {
            return (nearest, true);
        };
        let start = window.start + from + found;
        if nearest.len() == MAX_COMPARED {
            match nearest.front() {
                Some(&oldest) if oldest.abs_diff(old_start) > start.abs_diff(old_start) => {
                    nearest.pop_front();
                }
                _ => return (nearest, true),
            }
        }
        nearest.push_back(start);
        from += found + first_char_len;
    }
    (nearest, false)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::annotation::TextQuote;

    /// A quote of whole words, and one cut inside words at both ends.
    const WHOLE: QuoteEnds = QuoteEnds {
        start_whole: true,
        end_whole: true,
        spans_blocks: false,
        whole_block: false,
    };
    const PARTS: QuoteEnds = QuoteEnds {
        start_whole: false,
        end_whole: false,
        spans_blocks: false,
        whole_block: false,
    };

    #[test]
    fn a_copy_inside_other_words_is_not_a_copy() {
        let text = "a catalogue, then a cat.";
        assert_eq!(
            best_copy(text, "cat", &[2], &context("", ""), WHOLE),
            Some(20..23)
        );
        assert_eq!(
            best_copy(text, "cat", &[2], &context("", ""), PARTS),
            Some(2..5)
        );
    }

    fn context(prefix: &str, suffix: &str) -> Context {
        Context::new(&TextQuote {
            exact: String::new(),
            prefix: prefix.into(),
            suffix: suffix.into(),
        })
    }

    #[test]
    fn the_copy_with_agreeing_context_wins_over_the_nearer_one() {
        let text = "red apple, green apple, blue apple";
        let found = best_copy(text, "apple", &[0], &context("blue ", ""), WHOLE);
        assert_eq!(found, Some(29..34));
    }

    #[test]
    fn nearness_breaks_ties() {
        let text = "apple apple apple apple";
        assert_eq!(
            best_copy(text, "apple", &[13], &context("", ""), WHOLE),
            Some(12..17)
        );
    }

    #[test]
    fn overlapping_copies_are_seen() {
        assert_eq!(nearest_copies("aaaa", "aa", 0), [0, 1, 2]);
        assert_eq!(
            best_copy("xaaaa", "aa", &[3], &context("", ""), PARTS),
            Some(3..5)
        );
    }

    #[test]
    fn no_copy_no_result() {
        assert_eq!(best_copy("abc", "xyz", &[0], &context("", ""), WHOLE), None);
        assert!(nearest_copies("abc", "", 0).is_empty());
    }

    #[test]
    fn only_the_nearest_copies_are_kept() {
        let text = "a".repeat(3 * MAX_COMPARED);
        let nearest = nearest_copies(&text, "a", text.len() / 2);
        assert_eq!(nearest.len(), MAX_COMPARED);
        assert!(nearest.contains(&(text.len() / 2)));
        assert!(!nearest.contains(&0) && !nearest.contains(&(text.len() - 1)));
    }

    #[test]
    fn copies_far_away_are_found_as_the_reach_grows() {
        let text = format!("needle{}needle", " ".repeat(10 * MAX_FIRST_REACH));
        assert_eq!(nearest_copies(&text, "needle", 0), [0, text.len() - 6]);
        assert_eq!(
            nearest_copies(&text, "needle", usize::MAX),
            [0, text.len() - 6]
        );
    }

    #[test]
    fn a_pathological_text_stays_within_budget_near_the_old_place() {
        let text = "a".repeat(4 * COPY_BUDGET / 1000);
        let quote = "a".repeat(1000);
        let old = text.len() - 2000;
        let found = best_copy(&text, &quote, &[old], &context("", ""), PARTS).unwrap();
        assert_eq!(found.start, old);
    }
}
