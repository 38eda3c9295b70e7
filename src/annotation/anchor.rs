//! Anchoring highlights to text that may change. A highlight keeps its quote,
//! the text around it and where it was (the W3C Web Annotation `TextQuote`
//! and `TextPosition` selectors). When an article's text changes,
//! [`reanchor`] finds the passage again: where it was, moved elsewhere, or
//! changed a little; or it reports the highlight orphaned with the best guess,
//! so the highlight is kept and listed rather than dropped.

mod bounds;
mod context;
mod fuzzy;
mod moved;
mod myers;
#[cfg(test)]
mod tests;

use crate::text::{ceil_boundary, floor_boundary};
use std::ops::Range;

use super::{CONTEXT_CHARS, TextAnchor, TextPosition, TextQuote};
use crate::library::Article;

/// The score from which a changed passage is taken for the quote
/// ([`Anchoring::Fuzzy`]); below it the highlight is orphaned.
///
/// A score weighs how alike the passage is to the quote (0.7: one minus the
/// edit distance over the longer length), how well the text around it agrees
/// with the stored context (0.2) and how near it is to the old position, as a
/// share of the text (0.1). So a passage needs about two thirds of the quote
/// even with its context and place intact, and over 90% of the quote where the
/// context changed too.
pub const FUZZY_ACCEPT_SCORE: f32 = 0.75;

/// Where a highlight's quote is in the article's text now. Every range lies
/// on character boundaries of the text it was found in.
#[derive(Debug, Clone, PartialEq)]
pub enum Anchoring {
    /// The quote is still at the stored position.
    Exact(Range<usize>),
    /// The exact quote was found elsewhere (the best occurrence by context and distance).
    Moved(Range<usize>),
    /// A close but not identical passage was found; score in 0.0..=1.0. It
    /// needs the person's review.
    Fuzzy { range: Range<usize>, score: f32 },
    /// The passage the person accepted or attached the highlight to.
    Accepted(Range<usize>),
    /// Not found well enough; the best candidate, if any, for the person to re-attach.
    Orphaned { best: Option<(Range<usize>, f32)> },
}

impl Anchoring {
    /// The passage to highlight now, unless the highlight is orphaned.
    pub fn range(&self) -> Option<Range<usize>> {
        match self {
            Anchoring::Exact(range)
            | Anchoring::Moved(range)
            | Anchoring::Fuzzy { range, .. }
            | Anchoring::Accepted(range) => Some(range.clone()),
            Anchoring::Orphaned { .. } => None,
        }
    }

    pub fn is_orphaned(&self) -> bool {
        matches!(self, Anchoring::Orphaned { .. })
    }

    /// Whether the place was guessed by similarity and waits for the
    /// person to accept it, re-attach the highlight or delete it.
    pub fn needs_review(&self) -> bool {
        matches!(self, Anchoring::Fuzzy { .. })
    }
}

/// The anchor for `text[range]` (`text` being the article's plain text), with
/// up to [`CONTEXT_CHARS`] characters of context on each side. A range past
/// the end is cut at the end, and one cutting into a character widens to
/// include it, so this never panics.
pub fn anchor_at(text: &str, range: Range<usize>, block: usize) -> TextAnchor {
    let start = floor_boundary(text, range.start);
    let end = ceil_boundary(text, range.end.max(start));
    let before = &text[..start];
    let prefix_start = before
        .char_indices()
        .rev()
        .take(CONTEXT_CHARS)
        .last()
        .map_or(start, |(i, _)| i);
    let after = &text[end..];
    let suffix_len = after
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(after.len(), |(i, _)| i);
    TextAnchor {
        quote: TextQuote {
            exact: text[start..end].to_owned(),
            prefix: before[prefix_start..].to_owned(),
            suffix: after[..suffix_len].to_owned(),
        },
        position: TextPosition { block, start, end },
    }
}

/// How far an exact copy of the quote whose context disagrees may lie from
/// where the quote is expected and still be taken for it.
const NEAR_BYTES: usize = 1024;

/// How far a passage may lie from where its neighbours' shift puts it (plus
/// a quarter of the quote's length for a changed passage) and still count
/// as having moved with them.
const SHIFT_SLACK: usize = 64;

/// How much better than any other passage (by score) a changed passage
/// must be to be taken on its neighbours' shift alone.
const LOOK_ALIKE_MARGIN: f32 = 0.05;

/// The score a reworded whole block needs when only the text on one side of
/// it, in the neighbouring block, vouches for it.
const REWORDED_BLOCK_SCORE: f32 = 0.85;

/// Finds `anchor`'s quote in `text` (the article's plain text now), with no
/// knowledge of how the rest of the article moved: [`reanchor_shifted`] with
/// no shift.
pub fn reanchor(text: &str, anchor: &TextAnchor) -> Anchoring {
    reanchor_shifted(text, anchor, &[])
}

/// Finds `anchor`'s quote in `text`, expecting it at its old start moved by
/// one of `shifts` (in bytes: how far the passages around it moved, as the
/// article's other highlights show, the most likely first; none when
/// unknown, which expects it where it was). In order:
///
/// - a copy of the quote: the one whose context agrees best (within an
///   eighth of its length), then the one
///   nearest where it is expected (so of two twins with the same context,
///   the one that moved exactly as a neighbouring passage did: an unchanged
///   passage moves with its unchanged neighbours). It is taken if its
///   context vouches for it or it lies near where it is expected; a copy
///   elsewhere in other surroundings (the same words in a table of contents,
///   3 KB before a deleted question), or one that is a whole block where the
///   quote was part of one or the other way round, is not;
/// - a passage like the quote, widened to whole words, in one block (unless
///   the quote spanned blocks), whose context vouches for it (see
///   `Context::vouches_for`), scoring at least [`FUZZY_ACCEPT_SCORE`];
/// - otherwise orphaned, with the closest passage widened to whole
///   sentences for the person to re-attach to.
///
/// An empty quote is orphaned. Stale or malformed positions never panic.
///
/// The work is bounded for any input: the fuzzy search scans at most a window
/// of about a megabyte around the old position (less for longer quotes), a
/// quote over 1,024 characters is searched by its first and last 256, and a
/// quote found very many times is compared at the 4,096 copies nearest its
/// old place. An article of 100 KB and a quote of 300 characters take a few
/// milliseconds.
pub fn reanchor_shifted(text: &str, anchor: &TextAnchor, shifts: &[isize]) -> Anchoring {
    let exact = anchor.quote.exact.as_str();
    if exact.is_empty() {
        return Anchoring::Orphaned { best: None };
    }
    let start = anchor.position.start;
    let moved_by = |shift: isize| {
        start
            .checked_add_signed(shift)
            .unwrap_or(start)
            .min(text.len())
    };
    let expected: Vec<usize> = if shifts.is_empty() {
        vec![moved_by(0)]
    } else {
        shifts.iter().map(|&shift| moved_by(shift)).collect()
    };
    let context = context::Context::new(&anchor.quote);
    let ends = bounds::QuoteEnds::of(&anchor.quote);
    if let Some(range) = moved::best_copy(text, exact, &expected, &context, ends)
        && (context.vouches_for(text, &range)
            || (bounds::same_shape(text, &range, ends.whole_block)
                && (2 * context.agreement(text, &range) >= context.len()
                    || moved::off_by(range.start, &expected) <= NEAR_BYTES
                    || (!shifts.is_empty()
                        && moved::off_by(range.start, &expected) <= SHIFT_SLACK))))
    {
        return if range.start == start {
            Anchoring::Exact(range)
        } else {
            Anchoring::Moved(range)
        };
    }
    let candidates = fuzzy::candidates(text, anchor, &context, expected[0]);
    let unlike_the_rest = |found: &fuzzy::Candidate| {
        candidates.iter().all(|other| {
            let overlaps =
                other.range.start < found.range.end && found.range.start < other.range.end;
            overlaps || other.score + LOOK_ALIKE_MARGIN <= found.score
        })
    };
    // A passage that moved just as its neighbours did, and that no other
    // passage resembles nearly as well, is the quote's even where its
    // context changed; a row of a table or one of a list of questions has
    // look-alikes, and is taken only on its context's word.
    let moved_with_neighbours = |found: &fuzzy::Candidate| {
        !shifts.is_empty()
            && bounds::whole_block(text, &found.range) == ends.whole_block
            && moved::off_by(found.range.start, &expected) <= SHIFT_SLACK + exact.len() / 4
            && unlike_the_rest(found)
    };
    // A whole block that changed little, between the same neighbouring
    // text on one side, with no look-alike: a paragraph reworded in place.
    let reworded_block = |found: &fuzzy::Candidate| {
        ends.whole_block
            && found.score >= REWORDED_BLOCK_SCORE
            && bounds::whole_block(text, &found.range)
            && context.one_side_agrees(text, &found.range)
            && unlike_the_rest(found)
    };
    let acceptable = candidates.iter().find(|found| {
        found.score >= FUZZY_ACCEPT_SCORE
            && !found.range.is_empty()
            && (ends.spans_blocks || !bounds::crosses_blocks(text, &found.range))
            && (context.vouches_for(text, &found.range)
                || moved_with_neighbours(found)
                || reworded_block(found))
    });
    if let Some(found) = acceptable {
        return Anchoring::Fuzzy {
            range: found.range.clone(),
            score: found.score,
        };
    }
    Anchoring::Orphaned {
        best: candidates
            .into_iter()
            .find(|found| !found.range.is_empty())
            .map(|found| (bounds::whole_sentences(text, found.range), found.score)),
    }
}

/// Shortest quote whose single copy is trusted to measure a shift.
const MIN_SHIFT_QUOTE_BYTES: usize = 8;

/// How far `anchor`'s quote moved, when the text holds exactly one copy of it
/// and its context vouches for that copy: a measure of how the article's
/// text moved around it, for placing the quotes that have twins.
pub fn unique_shift(text: &str, anchor: &TextAnchor) -> Option<isize> {
    let exact = anchor.quote.exact.as_str();
    if exact.len() < MIN_SHIFT_QUOTE_BYTES {
        return None;
    }
    let start = moved::only_copy(text, exact)?;
    let context = context::Context::new(&anchor.quote);
    let range = start..start + exact.len();
    if !context.vouches_for(text, &range) {
        return None;
    }
    let old = isize::try_from(anchor.position.start).ok()?;
    isize::try_from(start).ok()?.checked_sub(old)
}

pub use fuzzy::approximate_matches;

/// The score a passage found earlier at `range` of `text` has for `anchor`,
/// as [`reanchor`] would score it.
pub fn score_at(text: &str, anchor: &TextAnchor, range: Range<usize>) -> f32 {
    fuzzy::score_at(text, anchor, range)
}

/// The block containing `offset` of the article's plain text. The end of a
/// block counts as inside it (so a range's exclusive end maps to its block),
/// and an offset in the blank line between two blocks belongs to the next
/// one, where the text from there continues. `None` past the end of the text.
pub fn block_at(article: &Article, offset: usize) -> Option<usize> {
    let index = article
        .blocks
        .partition_point(|block| block.start + block.text.len() < offset);
    (index < article.blocks.len()).then_some(index)
}

#[cfg(test)]
mod unit_tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::library::{ArticleMeta, Origin, parse_article};

    #[test]
    fn anchor_keeps_the_quote_and_its_context() {
        let text = "The first sentence sets the scene. The second one matters.";
        let start = text.find("The second").unwrap();
        let anchor = anchor_at(text, start..text.len() - 1, 3);
        assert_eq!(anchor.quote.exact, "The second one matters");
        assert_eq!(anchor.quote.prefix, " first sentence sets the scene. ");
        assert_eq!(anchor.quote.prefix.chars().count(), CONTEXT_CHARS);
        assert_eq!(anchor.quote.suffix, ".");
        assert_eq!(
            anchor.position,
            TextPosition {
                block: 3,
                start,
                end: text.len() - 1
            }
        );
    }

    #[test]
    fn context_counts_characters_not_bytes() {
        let text = format!("{}[x]{}", "é".repeat(40), "😀".repeat(40));
        let start = text.find('[').unwrap();
        let anchor = anchor_at(&text, start..start + 3, 0);
        assert_eq!(anchor.quote.prefix, "é".repeat(CONTEXT_CHARS));
        assert_eq!(anchor.quote.suffix, "😀".repeat(CONTEXT_CHARS));
    }

    #[test]
    #[allow(clippy::reversed_empty_ranges)] // A reversed range is what is tested.
    fn a_bad_range_is_mended_not_a_panic() {
        let text = "añb";
        // 2 is inside "ñ": the quote widens to the whole character.
        assert_eq!(anchor_at(text, 2..3, 0).quote.exact, "ñ");
        assert_eq!(anchor_at(text, 1..2, 0).quote.exact, "ñ");
        assert_eq!(anchor_at(text, 3..99, 0).quote.exact, "b");
        assert_eq!(anchor_at(text, 99..120, 0).quote.exact, "");
        assert_eq!(anchor_at(text, 3..1, 0).quote.exact, "");
    }

    #[test]
    fn orphaned_anchorings_have_no_range() {
        assert_eq!(Anchoring::Exact(1..2).range(), Some(1..2));
        assert_eq!(Anchoring::Moved(3..4).range(), Some(3..4));
        let fuzzy = Anchoring::Fuzzy {
            range: 5..6,
            score: 0.8,
        };
        assert_eq!(fuzzy.range(), Some(5..6));
        assert!(!fuzzy.is_orphaned());
        let orphaned = Anchoring::Orphaned {
            best: Some((7..8, 0.3)),
        };
        assert_eq!(orphaned.range(), None);
        assert!(orphaned.is_orphaned());
    }

    #[test]
    fn offsets_map_to_their_blocks() {
        let article = parse_article(
            "One.\n\nTwo two.\n\nThree.\n",
            Origin::Bundled("b.md".into()),
        )
        .unwrap();
        let text = article.plain_text();
        assert_eq!(text, "One.\n\nTwo two.\n\nThree.");
        assert_eq!(block_at(&article, 0), Some(0));
        assert_eq!(
            block_at(&article, 4),
            Some(0),
            "the end of a block is in it"
        );
        assert_eq!(
            block_at(&article, 5),
            Some(1),
            "the blank line goes with the next block"
        );
        assert_eq!(block_at(&article, text.find("two.").unwrap()), Some(1));
        assert_eq!(block_at(&article, text.len()), Some(2));
        assert_eq!(block_at(&article, text.len() + 1), None);
    }

    #[test]
    fn an_empty_article_has_no_blocks_to_find() {
        let article = Article {
            meta: ArticleMeta::default(),
            blocks: Vec::new(),
            sections: Vec::new(),
            origin: Origin::Bundled("e.md".into()),
            word_count: 0,
            text_len: 0,
            sentences_split: true,
            warnings: Vec::new(),
        };
        assert_eq!(block_at(&article, 0), None);
    }
}
