//! Finding an unchanged quote that moved: every copy of it in the text is a
//! candidate, and the one whose surroundings agree best with the stored
//! context wins, the nearest to the old position breaking ties.

use std::cmp::Reverse;
use std::collections::VecDeque;
use std::ops::Range;

use super::context::Context;

/// Copies compared by their context: the ones nearest the old position.
/// More only happen for a tiny quote in a huge text, where nearness is the
/// better guide anyway.
const MAX_COMPARED: usize = 4096;

/// Bytes of quote the search for copies may compare in all (each copy found
/// costs about the quote's length): it stops after `COPY_BUDGET / quote
/// length` copies, which only a pathological text reaches.
const COPY_BUDGET: usize = 1 << 26;

/// The best copy of `quote` in `text`, or `None` if there is none.
pub(super) fn best_copy(
    text: &str,
    quote: &str,
    old_start: usize,
    context: &Context,
) -> Option<Range<usize>> {
    nearest_copies(text, quote, old_start)
        .into_iter()
        .map(|start| start..start + quote.len())
        .max_by_key(|range| {
            (
                context.agreement(text, range),
                Reverse(range.start.abs_diff(old_start)),
            )
        })
}

/// Starts of the copies of `quote` nearest `old_start`, overlapping copies
/// included, at most [`MAX_COMPARED`]. Copies come in text order, so once the
/// list is full and a new copy is no nearer than the oldest one kept, no later
/// copy can be either.
fn nearest_copies(text: &str, quote: &str, old_start: usize) -> VecDeque<usize> {
    let mut nearest = VecDeque::new();
    let Some(first_char) = quote.chars().next() else {
        return nearest;
    };
    let max_visits = COPY_BUDGET / quote.len();
    let mut from = 0;
    for _ in 0..max_visits {
        let Some(found) = text.get(from..).and_then(|rest| rest.find(quote)) else {
            break;
        };
        let start = from + found;
        if nearest.len() == MAX_COMPARED {
            match nearest.front() {
                Some(&oldest) if oldest.abs_diff(old_start) > start.abs_diff(old_start) => {
                    nearest.pop_front();
                }
                _ => break,
            }
        }
        nearest.push_back(start);
        from = start + first_char.len_utf8();
    }
    nearest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::TextQuote;

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
        let found = best_copy(text, "apple", 0, &context("blue ", ""));
        assert_eq!(found, Some(29..34));
    }

    #[test]
    fn nearness_breaks_ties() {
        let text = "apple apple apple apple";
        assert_eq!(best_copy(text, "apple", 13, &context("", "")), Some(12..17));
    }

    #[test]
    fn overlapping_copies_are_seen() {
        assert_eq!(nearest_copies("aaaa", "aa", 0), [0, 1, 2]);
        assert_eq!(best_copy("xaaaa", "aa", 3, &context("", "")), Some(3..5));
    }

    #[test]
    fn no_copy_no_result() {
        assert_eq!(best_copy("abc", "xyz", 0, &context("", "")), None);
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
}
