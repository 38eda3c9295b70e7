//! The text stored around a quote, and how well a place in the article agrees
//! with it. Context is what tells two copies of the same words apart, and what
//! vouches for a passage whose own words changed.

use std::ops::Range;

use super::myers::Pattern;
use crate::annotation::{CONTEXT_CHARS, TextQuote};

/// At most this many characters of stored context are compared on each side
/// (the nearest ones). Anchors written by gloss hold [`CONTEXT_CHARS`]; the cap
/// bounds the work for a file edited by hand.
const MAX_CONTEXT_CHARS: usize = 2 * CONTEXT_CHARS;

/// A quote's prefix and suffix, ready to compare with the text around a place.
#[derive(Debug)]
pub(super) struct Context {
    before: Pattern,
    after: Pattern,
    /// Characters of each side that lie in the quote's own block (before a
    /// blank line): only those vouch for the block the quote was in.
    before_in_block: usize,
    after_in_block: usize,
}

/// Share of one side's context that must agree for that side to vouch for a
/// place.
const SIDE_AGREEMENT: f32 = 0.9;

/// Characters of context inside the quote's block that one side needs to
/// vouch for a place alone.
const MIN_IN_BLOCK_CHARS: usize = 8;

impl Context {
    pub(super) fn new(quote: &TextQuote) -> Self {
        let mut before: Vec<char> = quote.prefix.chars().rev().take(MAX_CONTEXT_CHARS).collect();
        before.reverse();
        let after: Vec<char> = quote.suffix.chars().take(MAX_CONTEXT_CHARS).collect();
        let before_in_block = before
            .windows(2)
            .rposition(|w| w == ['\n', '\n'])
            .map_or(before.len(), |i| before.len() - i - 2);
        let after_in_block = after
            .windows(2)
            .position(|w| w == ['\n', '\n'])
            .unwrap_or(after.len());
        Context {
            before: Pattern::new(&before),
            after: Pattern::new(&after),
            before_in_block,
            after_in_block,
        }
    }

    /// Whether the text around `range` vouches for it as the quote's place:
    /// one side agrees almost fully within the quote's own block, or both
    /// sides agree almost fully (a whole block whose neighbours are the same).
    /// Context that only repeats the text of the next block, or a row of a
    /// table that resembles its neighbours, does not.
    pub(super) fn vouches_for(&self, text: &str, range: &Range<usize>) -> bool {
        let (before, after) = self.sides(text, range);
        let agrees = |agreed: usize, len: usize| agreed as f32 >= SIDE_AGREEMENT * len as f32;
        let before_ok = agrees(before, self.before.len());
        let after_ok = agrees(after, self.after.len());
        (before_ok && self.before_in_block >= MIN_IN_BLOCK_CHARS)
            || (after_ok && self.after_in_block >= MIN_IN_BLOCK_CHARS)
            || (before_ok && after_ok)
    }

    /// Characters of stored context, both sides together.
    pub(super) fn len(&self) -> usize {
        self.before.len() + self.after.len()
    }

    /// How many stored context characters the text around `range` agrees
    /// with: on each side, the stored length minus the edit distance to as
    /// many characters of the text there (missing text counts as different).
    /// `range` must lie on character boundaries of `text`.
    pub(super) fn agreement(&self, text: &str, range: &Range<usize>) -> usize {
        let (before, after) = self.sides(text, range);
        before + after
    }

    /// Whether the context on at least one side agrees almost fully, even
    /// where it is the text of the neighbouring block.
    pub(super) fn one_side_agrees(&self, text: &str, range: &Range<usize>) -> bool {
        let (before, after) = self.sides(text, range);
        let agrees =
            |agreed: usize, len: usize| len > 0 && agreed as f32 >= SIDE_AGREEMENT * len as f32;
        agrees(before, self.before.len()) || agrees(after, self.after.len())
    }

    /// [`Context::agreement`] on each side.
    fn sides(&self, text: &str, range: &Range<usize>) -> (usize, usize) {
        let head = text.get(..range.start).unwrap_or_default();
        let from = head
            .char_indices()
            .rev()
            .take(self.before.len())
            .last()
            .map_or(head.len(), |(i, _)| i);
        let tail = text.get(range.end..).unwrap_or_default();
        let to = tail
            .char_indices()
            .nth(self.after.len())
            .map_or(tail.len(), |(i, _)| i);
        let before = self
            .before
            .len()
            .saturating_sub(self.before.distance(&head[from..]));
        let after = self
            .after
            .len()
            .saturating_sub(self.after.distance(&tail[..to]));
        (before, after)
    }

    /// [`Context::agreement`] as a fraction; 1.0 when there is no context to
    /// disagree with.
    pub(super) fn similarity(&self, text: &str, range: &Range<usize>) -> f32 {
        match self.len() {
            0 => 1.0,
            len => self.agreement(text, range) as f32 / len as f32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(prefix: &str, suffix: &str) -> Context {
        Context::new(&TextQuote {
            exact: String::new(),
            prefix: prefix.into(),
            suffix: suffix.into(),
        })
    }

    #[test]
    fn agrees_fully_where_the_context_is_unchanged() {
        let text = "one two three four";
        let around = context("one ", " four");
        assert_eq!(around.agreement(text, &(4..13)), 9);
        assert!((around.similarity(text, &(4..13)) - 1.0).abs() < f32::EPSILON);
    }

    #[test]
    fn partial_agreement_after_an_edit_next_to_the_quote() {
        let around = context("one ", " four");
        // "one " became "1ne ": one substitution on that side.
        assert_eq!(around.agreement("1ne two three four", &(4..13)), 8);
        // Nothing before the quote any more: the prefix is all missing.
        assert_eq!(around.agreement("two three four", &(0..9)), 5);
    }

    #[test]
    fn no_context_is_no_disagreement() {
        let none = context("", "");
        assert!((none.similarity("anything", &(0..3)) - 1.0).abs() < f32::EPSILON);
    }

    #[test]
    fn only_the_nearest_characters_are_kept() {
        let long = "x".repeat(3 * MAX_CONTEXT_CHARS);
        assert_eq!(context(&long, &long).len(), 2 * MAX_CONTEXT_CHARS);
    }

    #[test]
    fn multibyte_context() {
        let text = "日本語の文章です。";
        let around = context("日本語の", "です");
        let start = "日本語の".len();
        let end = start + "文章".len();
        assert_eq!(around.agreement(text, &(start..end)), 6);
    }
}
