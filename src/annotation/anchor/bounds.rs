//! The units a placement must respect: words, blocks and sentences of the
//! article's plain text. A passage found by similarity is widened to whole
//! words (where the quote was whole words), must stay in one block (unless
//! the quote spanned blocks), and a passage offered to an orphan is widened
//! to whole sentences, so that no placement lights a fragment such as "ctly
//! two sentences." or "execute/search by gr".

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::annotation::TextQuote;
use crate::text::{ceil_boundary, floor_boundary, sentences};

/// What separates two blocks in the plain text.
const BLOCK_BREAK: &str = "\n\n";

/// Bytes read on each side of an offset to decide whether a word continues
/// across it; a longer word is cut there, which only widens less.
const WORD_WINDOW: usize = 256;

/// Whether `offset` of `text` is a word boundary by UAX #29: a word (a run of
/// letters or digits; each CJK ideograph counts alone) does not continue
/// across it.
pub(super) fn is_word_boundary(text: &str, offset: usize) -> bool {
    offset == 0
        || offset >= text.len()
        || !text.is_char_boundary(offset)
        || word_start(text, offset) == offset
}

fn window(text: &str, offset: usize) -> (usize, usize) {
    (
        floor_boundary(text, offset.saturating_sub(WORD_WINDOW)),
        ceil_boundary(text, offset.saturating_add(WORD_WINDOW)),
    )
}

/// Where the quote's own ends fell: on word boundaries or inside words, read
/// from the quote and its stored context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // Four independent facts about one quote.
pub(super) struct QuoteEnds {
    pub(super) start_whole: bool,
    pub(super) end_whole: bool,
    pub(super) spans_blocks: bool,
    /// The quote was a whole block: a heading, a list item, a paragraph.
    pub(super) whole_block: bool,
}

impl QuoteEnds {
    pub(super) fn of(quote: &TextQuote) -> QuoteEnds {
        let head = format!("{}{}", quote.prefix, quote.exact);
        let tail = format!("{}{}", quote.exact, quote.suffix);
        QuoteEnds {
            start_whole: is_word_boundary(&head, quote.prefix.len()),
            end_whole: is_word_boundary(&tail, quote.exact.len()),
            spans_blocks: quote.exact.contains(BLOCK_BREAK),
            whole_block: (quote.prefix.is_empty() || quote.prefix.ends_with(BLOCK_BREAK))
                && (quote.suffix.is_empty() || quote.suffix.starts_with(BLOCK_BREAK)),
        }
    }
}

/// `range` widened to whole words at each end where the quote was whole
/// words there, and without spaces at its ends that the quote did not have.
pub(super) fn snap_to_words(
    text: &str,
    range: Range<usize>,
    ends: QuoteEnds,
    quote: &str,
) -> Range<usize> {
    let (mut start, mut end) = (range.start, range.end.max(range.start));
    if ends.start_whole {
        start = word_start(text, start);
        if !quote.starts_with(char::is_whitespace) {
            let rest = &text[start..end];
            start += rest.len() - rest.trim_start().len();
        }
    }
    if ends.end_whole {
        end = word_end(text, end).max(start);
        if !quote.ends_with(char::is_whitespace) {
            end = start + text[start..end].trim_end().len();
        }
    }
    start..end
}

/// The start of the word `offset` is inside, or `offset` when it is between words.
fn word_start(text: &str, offset: usize) -> usize {
    let (from, to) = window(text, offset);
    text[from..to]
        .split_word_bound_indices()
        .map(|(i, word)| (from + i, word))
        .find(|&(i, word)| i < offset && offset < i + word.len())
        .filter(|(_, word)| word.chars().any(char::is_alphanumeric))
        .map_or(offset, |(i, _)| i)
}

/// The end of the word `offset` is inside, or `offset` when it is between words.
fn word_end(text: &str, offset: usize) -> usize {
    let (from, to) = window(text, offset);
    text[from..to]
        .split_word_bound_indices()
        .map(|(i, word)| (from + i, word))
        .find(|&(i, word)| i < offset && offset < i + word.len())
        .filter(|(_, word)| word.chars().any(char::is_alphanumeric))
        .map_or(offset, |(i, word)| i + word.len())
}

/// Whether `range` of `text` is a whole block: a blank line (or the end of
/// the text) on each side.
pub(super) fn whole_block(text: &str, range: &Range<usize>) -> bool {
    let before = text.get(..range.start).unwrap_or_default();
    let after = text.get(range.end..).unwrap_or_default();
    (before.is_empty() || before.ends_with(BLOCK_BREAK))
        && (after.is_empty() || after.starts_with(BLOCK_BREAK))
}

/// Whether `range` of `text` has the shape of a quote that was a whole
/// block (`whole`) or part of one: a whole block's words may now open a
/// block that gained words after them, but not sit inside one.
pub(super) fn same_shape(text: &str, range: &Range<usize>, whole: bool) -> bool {
    let before = text.get(..range.start).unwrap_or_default();
    let opens = before.is_empty() || before.ends_with(BLOCK_BREAK);
    if whole {
        opens
            && text.get(range.end..).is_some_and(|after| {
                after.is_empty()
                    || after.starts_with(BLOCK_BREAK)
                    || after.starts_with([';', ':', ','])
            })
    } else {
        !whole_block(text, range)
    }
}

/// Whether `range` of `text` crosses from one block into another.
pub(super) fn crosses_blocks(text: &str, range: &Range<usize>) -> bool {
    text.get(range.clone())
        .is_some_and(|passage| passage.contains(BLOCK_BREAK))
}

/// The block of `text` around `offset`: from after the previous blank line to
/// before the next one.
pub(super) fn block_around(text: &str, offset: usize) -> Range<usize> {
    let offset = floor_boundary(text, offset.min(text.len()));
    let start = text[..offset]
        .rfind(BLOCK_BREAK)
        .map_or(0, |i| i + BLOCK_BREAK.len());
    let end = text[offset..]
        .find(BLOCK_BREAK)
        .map_or(text.len(), |i| offset + i);
    start..end.max(start)
}

/// `range` widened to the whole sentences it touches (as the reader splits
/// them), within the block it starts in, without trailing whitespace.
pub(super) fn whole_sentences(text: &str, range: Range<usize>) -> Range<usize> {
    let block = block_around(text, range.start);
    let end = range.end.clamp(block.start, block.end);
    let block_text = &text[block.clone()];
    let mut covered: Option<Range<usize>> = None;
    for sentence in sentences(block_text) {
        let sentence = block.start + sentence.start..block.start + sentence.end;
        let touches = sentence.start < end.max(range.start + 1) && range.start < sentence.end;
        if touches {
            covered = Some(match covered {
                Some(c) => c.start..sentence.end,
                None => sentence,
            });
        }
    }
    let covered = covered.unwrap_or(range.start.max(block.start)..end);
    let trimmed = text[covered.clone()].trim_end().len();
    covered.start..covered.start + trimmed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole() -> QuoteEnds {
        QuoteEnds {
            start_whole: true,
            end_whole: true,
            spans_blocks: false,
            whole_block: false,
        }
    }

    fn snapped<'t>(text: &'t str, part: &str) -> &'t str {
        let start = text.find(part).unwrap_or(0);
        &text[snap_to_words(text, start..start + part.len(), whole(), part)]
    }

    #[test]
    fn fragments_widen_to_whole_words() {
        let text = "It holds exactly two sentences. The current paragraph now.";
        assert_eq!(
            snapped(text, "ctly two sentences."),
            "exactly two sentences."
        );
        assert_eq!(
            snapped(text, "ent paragraph now."),
            "current paragraph now."
        );
        let table = "| execute/search by group |";
        assert_eq!(
            snapped(table, "execute/search by gr"),
            "execute/search by group"
        );
    }

    #[test]
    fn cjk_words_are_single_ideographs() {
        let text = "吾輩は猫である。名前はまだ無い。";
        assert_eq!(snapped(text, "名前は"), "名前は");
    }

    #[test]
    fn a_quote_cut_inside_a_word_is_not_widened() {
        let quote = TextQuote {
            exact: "ctly two".into(),
            prefix: "It holds exa".into(),
            suffix: " sentences.".into(),
        };
        let ends = QuoteEnds::of(&quote);
        assert!(!ends.start_whole);
        assert!(ends.end_whole);
        let text = "It holds exactly two sentences.";
        let start = text.find("ctly").unwrap_or(0);
        let range = snap_to_words(text, start..start + 8, ends, "ctly two");
        assert_eq!(&text[range], "ctly two");
    }

    #[test]
    fn orphans_are_offered_whole_sentences() {
        let text = "First one here. It holds exactly two sentences. Last.\n\nNext block.";
        let start = text.find("ctly").unwrap_or(0);
        let range = whole_sentences(text, start..start + 8);
        assert_eq!(&text[range], "It holds exactly two sentences.");
        let start = text.find("Last").unwrap_or(0);
        let range = whole_sentences(text, start..text.len());
        assert_eq!(&text[range], "Last.");
    }

    #[test]
    fn blocks_are_told_apart() {
        let text = "One.\n\nTwo.";
        assert!(crosses_blocks(text, &(0..7)));
        assert!(!crosses_blocks(text, &(6..10)));
    }
}
