//! Finding a quote whose own words changed: the passages of the article
//! closest to it by edit distance, each scored by how alike it is, how well
//! its surroundings agree and how far it moved.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Range;

use super::bounds::{QuoteEnds, block_around, snap_to_words};
use super::context::Context;
use super::myers::{Alignment, Pattern, Scanner};
use super::{ceil_boundary, floor_boundary};
use crate::annotation::TextAnchor;

/// Weights of the three signals in a score; they sum to 1. The quote's own
/// similarity dominates: context and position decide between passages about
/// equally like the quote, and cannot carry one that is not (a passage half
/// like the quote scores at most 0.65, below [`super::FUZZY_ACCEPT_SCORE`]).
const QUOTE_WEIGHT: f32 = 0.7;
const CONTEXT_WEIGHT: f32 = 0.2;
const POSITION_WEIGHT: f32 = 0.1;

/// Passages kept from one search: the closest to the quote and, among equals,
/// the nearest to where the quote used to end.
const MAX_CANDIDATES: usize = 32;

/// Quotes up to this many characters are searched whole (at most 16 machine
/// words per text character).
const MAX_PATTERN_CHARS: usize = 1024;

/// A longer quote is searched by its first and last this many characters;
/// its candidates are passages that begin like it, end like it, or both.
const PIECE_CHARS: usize = 256;

/// Equally close starts of one passage compared by their context.
const MAX_TIED_STARTS: usize = 16;

/// Passages kept from each piece's search.
const PIECE_CANDIDATES: usize = 6;

/// Work one search may spend, counted in machine words of pattern per text
/// character plus two for the character itself: the text scanned is cut to
/// a window of `SCAN_BUDGET / (words + 2)` bytes around the old position
/// (1.4 MiB for a quote of up to 64 characters, 600 KiB for 300, 230 KiB for
/// 1,024), tens of milliseconds at worst. Whole articles of ordinary length
/// are always scanned in full.
const SCAN_BUDGET: usize = 1 << 22;

/// A long quote is compared whole with a candidate when it has at most this
/// many characters; beyond that, by its two pieces and the length difference.
const MAX_COMPARED_CHARS: usize = 2048;

/// The most edits a passage may need to become the quote and still be a
/// candidate: half its length. Past that it shares too little to be offered.
fn max_errors(quote_chars: usize) -> usize {
    quote_chars / 2
}

/// A passage offered as the quote's new place, with its score in `0.0..=1.0`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Candidate {
    pub(super) range: Range<usize>,
    pub(super) score: f32,
}

/// A passage found by the search and the edits it needs to become the quote.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Passage {
    range: Range<usize>,
    distance: usize,
}

/// The passages like the anchor's quote within [`max_errors`] of it, each
/// widened to whole words where the quote had whole words (see
/// [`snap_to_words`]) and scored, the best first; ties go to the passage
/// nearer `expected`, where the quote should be if it did not change.
pub(super) fn candidates(
    text: &str,
    anchor: &TextAnchor,
    context: &Context,
    expected: usize,
) -> Vec<Candidate> {
    let quote: Vec<char> = anchor.quote.exact.chars().collect();
    let passages = if quote.len() <= MAX_PATTERN_CHARS {
        let pattern = Pattern::new(&quote);
        let window = scan_window(text, expected, pattern.words());
        let expected_end = expected.saturating_add(anchor.quote.exact.len());
        closest_passages(text, window, &quote, context, expected_end, MAX_CANDIDATES)
    } else {
        long_quote_passages(text, &quote, anchor, context, expected)
    };
    let ends = QuoteEnds::of(&anchor.quote);
    let whole = (quote.len() <= MAX_COMPARED_CHARS).then(|| Pattern::new(&quote));
    let mut found: Vec<Candidate> = passages
        .into_iter()
        .map(|passage| {
            let mut snapped = snap_to_words(text, passage.range.clone(), ends, &anchor.quote.exact);
            // A whole block (a list item, a heading) is looked for as a whole
            // block: the passage widens to the block it is in, unless that
            // block is much longer than the quote.
            // A quote within one block is looked for within one block: a
            // passage running on into the next block is cut where it ends.
            if !ends.spans_blocks
                && let Some(cut) = text
                    .get(snapped.clone())
                    .and_then(|passage| passage.find("\n\n"))
            {
                let kept = &text[snapped.start..snapped.start + cut];
                snapped = snapped.start..snapped.start + kept.trim_end().len();
            }
            if ends.whole_block {
                let block = block_around(text, snapped.start);
                if snapped.end <= block.end && block.len() <= 2 * anchor.quote.exact.len() {
                    snapped = block;
                }
            }
            let distance = if snapped == passage.range {
                passage.distance
            } else if let Some(whole) = &whole {
                whole.distance(text.get(snapped.clone()).unwrap_or_default())
            } else {
                passage.distance + snapped.len().abs_diff(passage.range.len())
            };
            Passage {
                range: snapped,
                distance,
            }
        })
        .map(|passage| score(text, quote.len(), expected, context, passage))
        .collect();
    found.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then(
            a.range
                .start
                .abs_diff(expected)
                .cmp(&b.range.start.abs_diff(expected)),
        )
    });
    found.dedup_by(|a, b| a.range == b.range);
    found
}

/// The passages of `text` at most `limit` edits from `pattern` (each a local
/// best; the fewest edits first, then the nearest to `near`), at most `keep`
/// of them, with their edits: the plain approximate search, without gloss's
/// rules on words, blocks and context, for measuring other anchoring
/// algorithms with the same search (`tests/reanchor_eval`).
pub fn approximate_matches(
    text: &str,
    pattern: &str,
    limit: usize,
    near: usize,
    keep: usize,
) -> Vec<(Range<usize>, usize)> {
    let quote: Vec<char> = pattern.chars().take(MAX_PATTERN_CHARS).collect();
    if quote.is_empty() {
        return Vec::new();
    }
    let context = Context::new(&crate::annotation::TextQuote::default());
    let window = scan_window(text, near, Pattern::new(&quote).words());
    let near_end = near.saturating_add(pattern.len());
    let mut found: Vec<(Range<usize>, usize)> =
        closest_within(text, window, &quote, &context, (near_end, keep), limit)
            .into_iter()
            .map(|passage| (passage.range, passage.distance))
            .collect();
    found.sort_by_key(|(range, distance)| (*distance, range.start.abs_diff(near)));
    found
}

/// How well the passage at `range` matches the anchor's quote, scored as
/// the search scores its candidates: for a placement found earlier and kept.
pub(super) fn score_at(text: &str, anchor: &TextAnchor, range: Range<usize>) -> f32 {
    let quote: Vec<char> = anchor.quote.exact.chars().collect();
    let passage = text.get(range.clone()).unwrap_or_default();
    let distance = Pattern::new(&quote[..quote.len().min(MAX_COMPARED_CHARS)]).distance(passage);
    let context = Context::new(&anchor.quote);
    score(
        text,
        quote.len(),
        anchor.position.start,
        &context,
        Passage { range, distance },
    )
    .score
}

/// How alike the passage is to the quote, how well its context agrees and
/// how near the old position it starts, weighted into one number.
fn score(
    text: &str,
    quote_chars: usize,
    old_start: usize,
    context: &Context,
    passage: Passage,
) -> Candidate {
    let Passage { range, distance } = passage;
    let passage_chars = text.get(range.clone()).unwrap_or_default().chars().count();
    let longer = quote_chars.max(passage_chars).max(1);
    let quote_similarity = (1.0 - distance as f32 / longer as f32).max(0.0);
    let context_similarity = context.similarity(text, &range);
    let moved = range.start.abs_diff(old_start) as f32 / text.len().max(1) as f32;
    let position_similarity = 1.0 - moved.min(1.0);
    let score = QUOTE_WEIGHT * quote_similarity
        + CONTEXT_WEIGHT * context_similarity
        + POSITION_WEIGHT * position_similarity;
    Candidate {
        range,
        score: score.clamp(0.0, 1.0),
    }
}

/// The part of `text` one search may scan: all of it, or a window of the
/// budget's size around `around` on character boundaries.
fn scan_window(text: &str, around: usize, words: usize) -> Range<usize> {
    let budget = SCAN_BUDGET / (words + 2);
    if text.len() <= budget {
        return 0..text.len();
    }
    let start = around.saturating_sub(budget / 2).min(text.len() - budget);
    floor_boundary(text, start)..ceil_boundary(text, start + budget)
}

/// The passages of `text[window]` closest to `quote` by edit distance
/// (Sellers' search, bit-parallel): at most `keep` of them, each a local best
/// within [`max_errors`], the fewest edits first, then the nearest to
/// `expected_end`.
fn closest_passages(
    text: &str,
    window: Range<usize>,
    quote: &[char],
    context: &Context,
    expected_end: usize,
    keep: usize,
) -> Vec<Passage> {
    closest_within(
        text,
        window,
        quote,
        context,
        (expected_end, keep),
        max_errors(quote.len()),
    )
}

/// [`closest_passages`] with the most edits a passage may need, `limit`.
fn closest_within(
    text: &str,
    window: Range<usize>,
    quote: &[char],
    context: &Context,
    (expected_end, keep): (usize, usize),
    limit: usize,
) -> Vec<Passage> {
    let pattern = Pattern::new(quote);
    let mut scanner = Scanner::new(&pattern, Alignment::Anywhere);
    let mut shortlist = Shortlist::new(keep, expected_end);
    let mut previous = usize::MAX;
    // A run of falling or equal distances ends in a local best: offer its last
    // end once the distance rises again.
    let mut pending: Option<(usize, usize)> = None;
    let scanned = text.get(window.clone()).unwrap_or_default();
    for (i, c) in scanned.char_indices() {
        let distance = scanner.step(c);
        if let Some((end, best)) = pending
            && distance > best
        {
            shortlist.offer(end, best);
            pending = None;
        }
        if distance <= limit && distance <= previous {
            pending = Some((window.start + i + c.len_utf8(), distance));
        }
        previous = distance;
    }
    if let Some((end, best)) = pending {
        shortlist.offer(end, best);
    }
    let reversed: Vec<char> = quote.iter().rev().copied().collect();
    let search = Search {
        reversed: Pattern::new(&reversed),
        max_chars: quote.len() + limit,
        context,
    };
    shortlist
        .ends()
        .map(|end| passage_ending_at(text, window.start, end, &search))
        .collect()
}

/// What finding the start of a passage needs, prepared once per search.
#[derive(Debug)]
struct Search<'a> {
    /// The quote backwards, compared with the text read backwards.
    reversed: Pattern,
    /// The longest passage within the error limit.
    max_chars: usize,
    context: &'a Context,
}

/// The closest passage to the quote that ends at `end`: the reversed quote is
/// compared with the text read backwards from `end`, at most `max_chars`
/// characters and not before `floor`. Equally close starts are told apart by
/// how well the text before them agrees with the stored prefix, then by how
/// near the passage's length is to the quote's.
fn passage_ending_at(text: &str, floor: usize, end: usize, search: &Search<'_>) -> Passage {
    let mut scanner = Scanner::new(&search.reversed, Alignment::AtStart);
    let quote_chars = search.reversed.len();
    let before = text.get(floor..end).unwrap_or_default();
    let starts: Vec<(usize, usize, usize)> = before
        .char_indices()
        .rev()
        .take(search.max_chars)
        .enumerate()
        .map(|(count, (i, c))| {
            (
                scanner.step(c),
                (count + 1).abs_diff(quote_chars),
                floor + i,
            )
        })
        .collect();
    let Some(&(distance, ..)) = starts.iter().min() else {
        return Passage {
            range: end..end,
            distance: quote_chars,
        };
    };
    let mut tied: Vec<(usize, usize)> = starts
        .into_iter()
        .filter(|&(d, ..)| d == distance)
        .map(|(_, off_length, start)| (off_length, start))
        .collect();
    tied.sort_unstable();
    tied.truncate(MAX_TIED_STARTS);
    let start = tied
        .iter()
        .max_by_key(|&&(off_length, start)| {
            (
                search.context.agreement(text, &(start..end)),
                Reverse(off_length),
            )
        })
        .map_or(end, |&(_, start)| start);
    Passage {
        range: start..end,
        distance,
    }
}

/// The best few match ends seen so far; the worst sits on top of the heap so
/// it is the one to go.
#[derive(Debug)]
struct Shortlist {
    keep: usize,
    expected_end: usize,
    /// `(distance, distance from expected_end, end)`.
    heap: BinaryHeap<(usize, usize, usize)>,
}

impl Shortlist {
    fn new(keep: usize, expected_end: usize) -> Self {
        Shortlist {
            keep,
            expected_end,
            heap: BinaryHeap::with_capacity(keep + 1),
        }
    }

    fn offer(&mut self, end: usize, distance: usize) {
        self.heap
            .push((distance, end.abs_diff(self.expected_end), end));
        if self.heap.len() > self.keep {
            self.heap.pop();
        }
    }

    fn ends(self) -> impl Iterator<Item = usize> {
        self.heap.into_iter().map(|(_, _, end)| end)
    }
}

/// Candidates for a quote too long to search whole: passages that begin like
/// its first [`PIECE_CHARS`] characters, end like its last, or both; each
/// measured against the whole quote (or, past [`MAX_COMPARED_CHARS`], against
/// its pieces plus the difference in length).
fn long_quote_passages(
    text: &str,
    quote: &[char],
    anchor: &TextAnchor,
    context: &Context,
    old_start: usize,
) -> Vec<Passage> {
    let quote_bytes = anchor.quote.exact.len();
    let head = &quote[..PIECE_CHARS];
    let tail = &quote[quote.len() - PIECE_CHARS..];
    let head_bytes: usize = head.iter().map(|c| c.len_utf8()).sum();
    let window = scan_window(text, old_start, PIECE_CHARS.div_ceil(64));
    let head_end = old_start.saturating_add(head_bytes);
    let heads = closest_passages(
        text,
        window.clone(),
        head,
        context,
        head_end,
        PIECE_CANDIDATES,
    );
    let tail_end = old_start.saturating_add(quote_bytes);
    let tails = closest_passages(text, window, tail, context, tail_end, PIECE_CANDIDATES);

    let mut ranges = Vec::new();
    for h in &heads {
        ranges.push(h.range.start..ceil_boundary(text, h.range.start.saturating_add(quote_bytes)));
        for t in &tails {
            let span = t.range.end.saturating_sub(h.range.start);
            if t.range.start >= h.range.end
                && (quote_bytes / 2..=quote_bytes.saturating_mul(2)).contains(&span)
            {
                ranges.push(h.range.start..t.range.end);
            }
        }
    }
    for t in &tails {
        ranges.push(floor_boundary(text, t.range.end.saturating_sub(quote_bytes))..t.range.end);
    }
    ranges.sort_by_key(|r| (r.start, r.end));
    ranges.dedup();

    let whole = (quote.len() <= MAX_COMPARED_CHARS).then(|| Pattern::new(quote));
    let (head, tail) = (Pattern::new(head), Pattern::new(tail));
    ranges
        .into_iter()
        .map(|range| {
            let passage = text.get(range.clone()).unwrap_or_default();
            let passage_chars = passage.chars().count();
            let distance = match &whole {
                Some(whole) if passage_chars <= 2 * MAX_COMPARED_CHARS => whole.distance(passage),
                _ => {
                    let first = passage
                        .char_indices()
                        .nth(PIECE_CHARS)
                        .map_or(passage.len(), |(i, _)| i);
                    let last = passage
                        .char_indices()
                        .rev()
                        .nth(PIECE_CHARS - 1)
                        .map_or(0, |(i, _)| i);
                    head.distance(&passage[..first])
                        + tail.distance(&passage[last..])
                        + passage_chars.abs_diff(quote.len())
                }
            };
            Passage { range, distance }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::annotation::anchor::tests::prose;
    use crate::annotation::{TextPosition, TextQuote};

    fn anchor(exact: &str, prefix: &str, suffix: &str, start: usize) -> TextAnchor {
        TextAnchor {
            quote: TextQuote {
                exact: exact.into(),
                prefix: prefix.into(),
                suffix: suffix.into(),
            },
            position: TextPosition {
                block: 0,
                start,
                end: start + exact.len(),
            },
        }
    }

    fn best(text: &str, anchor: &TextAnchor) -> Option<Candidate> {
        candidates(
            text,
            anchor,
            &Context::new(&anchor.quote),
            anchor.position.start,
        )
        .into_iter()
        .next()
    }

    #[test]
    fn finds_the_passage_after_a_word_changed() {
        let text = "Before it. The quick brown fox jumps over the lazy dog. After it.";
        let old = anchor(
            "The quick red fox jumps over the lazy dog.",
            "Before it. ",
            " After it.",
            11,
        );
        let found = best(text, &old).unwrap();
        assert_eq!(
            &text[found.range.clone()],
            "The quick brown fox jumps over the lazy dog."
        );
        assert!(found.score > 0.85, "score {}", found.score);
    }

    #[test]
    fn prefers_the_copy_whose_context_agrees() {
        let text = "alpha: the same old words here. omega: the same old words here.";
        let old = anchor("the same old word here", "omega: ", ".", 0);
        let found = best(text, &old).unwrap();
        assert_eq!(found.range.start, text.rfind("the same").unwrap());
    }

    #[test]
    fn nothing_alike_is_no_candidate() {
        assert_eq!(best("zzzz zzzz zzzz", &anchor("abcdefgh", "", "", 0)), None);
    }

    #[test]
    fn a_window_of_a_giant_text_is_scanned_around_the_old_place() {
        let text = "ab".repeat(SCAN_BUDGET);
        let window = scan_window(&text, text.len() / 2, 2);
        assert_eq!(window.len(), SCAN_BUDGET / 4);
        assert!(window.contains(&(text.len() / 2)));
        assert_eq!(scan_window(&text, usize::MAX, 2).end, text.len());
        assert_eq!(scan_window("short", 99, 1), 0..5);
    }

    #[test]
    fn window_edges_fall_on_character_boundaries() {
        let text = "é".repeat(SCAN_BUDGET);
        let window = scan_window(&text, SCAN_BUDGET + 1, 1);
        assert!(text.is_char_boundary(window.start) && text.is_char_boundary(window.end));
    }

    #[test]
    fn a_long_quote_is_found_by_its_ends() {
        let original = prose(300, 1);
        let quote = original[100..original.len() - 100].to_owned();
        let quote_chars = quote.chars().count();
        assert!(
            (MAX_PATTERN_CHARS..=MAX_COMPARED_CHARS).contains(&quote_chars),
            "{quote_chars}"
        );
        // Text is added before and the quote loses a word in its middle.
        let middle = original[1000..].find(' ').unwrap() + 1000;
        let next = original[middle + 1..].find(' ').unwrap() + middle + 1;
        let edited = format!("NEW TEXT {}{}", &original[..middle], &original[next..]);
        let old = anchor(
            &quote,
            &original[68..100],
            &original[original.len() - 100..][..32],
            100,
        );
        let found = best(&edited, &old).unwrap();
        assert_eq!(found.range, 109..edited.len() - 100);
        assert!(found.score > 0.9, "score {}", found.score);
    }

    #[test]
    fn a_very_long_quote_is_compared_by_its_pieces() {
        let original = prose(1500, 2);
        let quote = original[50..].to_owned();
        assert!(quote.chars().count() > MAX_COMPARED_CHARS);
        let edited = format!("{}{}", &original[..50], &original[60..]);
        let found = best(&edited, &anchor(&quote, &original[18..50], "", 50)).unwrap();
        // The passage may take in the character before it when that one
        // happens to equal the first one deleted.
        assert!(found.range.start.abs_diff(50) <= 1, "{:?}", found.range);
        assert_eq!(found.range.end, edited.len());
        assert!(found.score > 0.9, "score {}", found.score);
    }
}
