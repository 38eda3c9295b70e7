//! The ground truth of the measure: what a diff of the two versions says
//! became of each quote (see the harness's opening note).

use std::collections::HashMap;
use std::ops::Range;

use gloss::library::Article;
use similar::{Algorithm, DiffOp, capture_diff_slices};
use unicode_segmentation::UnicodeSegmentation;

use super::Truth;

/// Which block of the new version each block of the old one became: the
/// blocks a diff of the block sequence keeps unchanged, then, for the
/// others, the unused new block sharing most words with it (see
/// [`similarity`]: at least half; the block after the previous block's
/// match wins a tie), so that a section moved elsewhere or a
/// paragraph reworded is followed. Within a pair of blocks, a word-level
/// diff says which words were kept.
pub(super) struct BlockMap {
    matched: Vec<Option<usize>>,
}

fn words(text: &str) -> Vec<Range<usize>> {
    text.split_word_bound_indices()
        .filter(|(_, w)| !w.trim().is_empty())
        .map(|(i, w)| i..i + w.len())
        .collect()
}

fn bag(text: &str) -> HashMap<&str, usize> {
    let mut bag = HashMap::new();
    for range in words(text) {
        *bag.entry(&text[range]).or_insert(0) += 1;
    }
    bag
}

/// How alike two blocks' words are: the Dice coefficient, or for blocks of
/// three words or more whose smaller one is at least 80% inside the other
/// (a paragraph that lost a badge, a sentence that gained a clause), that
/// share.
fn similarity(a: &HashMap<&str, usize>, b: &HashMap<&str, usize>) -> f64 {
    let (len_a, len_b) = (a.values().sum::<usize>(), b.values().sum::<usize>());
    if len_a + len_b == 0 {
        return 0.0;
    }
    let shared: usize = a
        .iter()
        .map(|(w, n)| (*n).min(b.get(w).copied().unwrap_or(0)))
        .sum();
    let dice = 2.0 * shared as f64 / (len_a + len_b) as f64;
    let smaller = len_a.min(len_b);
    let inside = shared as f64 / smaller.max(1) as f64;
    if smaller >= 3 && inside >= 0.8 {
        dice.max(inside)
    } else {
        dice
    }
}

impl BlockMap {
    pub(super) fn new(old: &Article, new: &Article) -> BlockMap {
        let old_texts: Vec<&str> = old.blocks.iter().map(|b| b.text.as_str()).collect();
        let new_texts: Vec<&str> = new.blocks.iter().map(|b| b.text.as_str()).collect();
        let mut matched = vec![None; old_texts.len()];
        let mut used = vec![false; new_texts.len()];
        for op in capture_diff_slices(Algorithm::Myers, &old_texts, &new_texts) {
            if let DiffOp::Equal {
                old_index,
                new_index,
                len,
            } = op
            {
                for i in 0..len {
                    matched[old_index + i] = Some(new_index + i);
                    used[new_index + i] = true;
                }
            }
        }
        let new_bags: Vec<HashMap<&str, usize>> = new_texts.iter().map(|t| bag(t)).collect();
        for i in 0..old_texts.len() {
            if matched[i].is_some() {
                continue;
            }
            let old_bag = bag(old_texts[i]);
            let after_previous = i.checked_sub(1).and_then(|p| matched[p]).map(|p| p + 1);
            let best = (0..new_texts.len())
                .filter(|&j| !used[j])
                .map(|j| {
                    let near = if Some(j) == after_previous {
                        0.001
                    } else {
                        0.0
                    };
                    (similarity(&old_bag, &new_bags[j]) + near, j)
                })
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((similarity, j)) = best
                && similarity >= 0.5
            {
                matched[i] = Some(j);
                used[j] = true;
            }
        }
        BlockMap { matched }
    }

    pub(super) fn truth(
        &self,
        old: &Article,
        new: &Article,
        old_plain: &str,
        new_plain: &str,
        quote: Range<usize>,
    ) -> Truth {
        let exact = &old_plain[quote.clone()];
        let block = old
            .blocks
            .iter()
            .rposition(|b| b.start <= quote.start)
            .unwrap_or(0);
        if let Some(j) = self.matched[block] {
            let (from, to) = (&old.blocks[block], &new.blocks[j]);
            let within = quote.start - from.start..quote.end - from.start;
            if let Some(truth) = kept_words(&from.text, &to.text, within) {
                return match truth {
                    Truth::Survived(r) => Truth::Survived(to.start + r.start..to.start + r.end),
                    Truth::Edited(r) => Truth::Edited(to.start + r.start..to.start + r.end),
                    other => other,
                };
            }
        }
        let context = exact_context(old_plain, &quote);
        let copies: Vec<Range<usize>> = new_plain
            .match_indices(exact)
            .map(|(i, _)| i..i + exact.len())
            .collect();
        let same_context: Vec<Range<usize>> = copies
            .iter()
            .filter(|r| exact_context(new_plain, r) == context)
            .cloned()
            .collect();
        if !same_context.is_empty() {
            Truth::Moved(same_context)
        } else if copies.len() == 1 {
            Truth::MovedOrDeleted(copies[0].clone())
        } else {
            Truth::Deleted
        }
    }
}

/// The 32 characters on each side of `range` in `text`.
fn exact_context<'t>(text: &'t str, range: &Range<usize>) -> (&'t str, &'t str) {
    let before = &text[..range.start];
    let from = before
        .char_indices()
        .rev()
        .take(32)
        .last()
        .map_or(before.len(), |(i, _)| i);
    let after = &text[range.end..];
    let to = after.char_indices().nth(32).map_or(after.len(), |(i, _)| i);
    (&before[from..], &after[..to])
}

/// What a word-level diff of one block and what it became says of
/// `quote` (a range of `old`): survived (its range in `new`), edited (the
/// range of the words kept), or `None` when fewer than half its words are
/// kept.
fn kept_words(old: &str, new: &str, quote: Range<usize>) -> Option<Truth> {
    let (old_words, new_words) = (words(old), words(new));
    let old_texts: Vec<&str> = old_words.iter().map(|r| &old[r.clone()]).collect();
    let new_texts: Vec<&str> = new_words.iter().map(|r| &new[r.clone()]).collect();
    let mut kept = vec![None; old_words.len()];
    for op in capture_diff_slices(Algorithm::Myers, &old_texts, &new_texts) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for i in 0..len {
                kept[old_index + i] = Some(new_index + i);
            }
        }
    }
    let inside: Vec<usize> = (0..old_words.len())
        .filter(|&i| old_words[i].start >= quote.start && old_words[i].end <= quote.end)
        .collect();
    let mapped: Vec<usize> = inside.iter().filter_map(|&i| kept[i]).collect();
    let exact = &old[quote.clone()];
    if !inside.is_empty() && mapped.len() == inside.len() {
        let (first, last) = (mapped[0], mapped[mapped.len() - 1]);
        let (old_first, old_last) = (&old_words[inside[0]], &old_words[inside[inside.len() - 1]]);
        let start = new_words[first]
            .start
            .checked_sub(old_first.start - quote.start);
        let end = new_words[last].end + (quote.end - old_last.end);
        if last - first + 1 == mapped.len()
            && let Some(start) = start
            && new.get(start..end) == Some(exact)
        {
            return Some(Truth::Survived(start..end));
        }
    }
    if !mapped.is_empty() && 2 * mapped.len() >= inside.len() {
        let start = mapped
            .iter()
            .map(|&i| new_words[i].start)
            .min()
            .unwrap_or(0);
        let end = mapped.iter().map(|&i| new_words[i].end).max().unwrap_or(0);
        return Some(Truth::Edited(start..end));
    }
    None
}

/// What became of `quote` (a range of `old`'s plain text) in `new`.
pub fn truth_of(old: &Article, new: &Article, quote: Range<usize>) -> Truth {
    BlockMap::new(old, new).truth(old, new, &old.plain_text(), &new.plain_text(), quote)
}
