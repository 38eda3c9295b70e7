//! A query applied to one article: which passages the reader keeps, how many it
//! hides, and every lit range in reading order so `n`/`N` can step through them.

use std::ops::Range;

use super::{PassageFacts, Query, Unannotated};
use crate::library::Article;

/// One lit range: a byte range of the text of block `block`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub block: usize,
    pub range: Range<usize>,
}

/// The outcome of filtering an article. Headings are never filtered out; the
/// reader shows them for context around the matching passages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleMatches {
    /// Block indices of the passages that match, in article order.
    pub passages: Vec<usize>,
    /// Every lit range of the matching passages, in reading order.
    pub hits: Vec<Hit>,
    /// How many passages the filter hides.
    pub hidden: usize,
}

/// Filters `article` with `query`, for passages without annotations.
pub fn filter_article(query: &Query, article: &Article) -> ArticleMatches {
    filter_article_with(query, article, |_| Unannotated)
}

/// Filters `article` with `query`; `facts_of(block)` tells what annotations the
/// passage at block index `block` carries.
pub fn filter_article_with<F: PassageFacts>(
    query: &Query,
    article: &Article,
    facts_of: impl Fn(usize) -> F,
) -> ArticleMatches {
    let mut result = ArticleMatches::default();
    for (index, block) in article.blocks.iter().enumerate() {
        if !block.is_passage() {
            continue;
        }
        let Some(hits) = query.find_in_passage(&block.text, &facts_of(index)) else {
            result.hidden += 1;
            continue;
        };
        result.passages.push(index);
        result.hits.extend(hits.into_iter().map(|range| Hit {
            block: index,
            range,
        }));
    }
    result
}

impl ArticleMatches {
    /// No passage matches.
    pub fn is_empty(&self) -> bool {
        self.passages.is_empty()
    }

    /// Whether the filtered view shows block `block`: every heading, and the
    /// passages that match.
    pub fn shows(&self, article: &Article, block: usize) -> bool {
        match article.blocks.get(block) {
            Some(b) if !b.is_passage() => true,
            Some(_) => self.passages.binary_search(&block).is_ok(),
            None => false,
        }
    }

    /// The blocks the filtered view shows, in article order.
    pub fn visible_blocks<'a>(&'a self, article: &'a Article) -> impl Iterator<Item = usize> + 'a {
        (0..article.blocks.len()).filter(move |&block| self.shows(article, block))
    }

    /// The hits inside block `block`, in order.
    pub fn hits_in(&self, block: usize) -> &[Hit] {
        let first = self.hits.partition_point(|hit| hit.block < block);
        let end = self.hits.partition_point(|hit| hit.block <= block);
        &self.hits[first..end]
    }

    /// Index in [`ArticleMatches::hits`] of the first hit that starts after byte
    /// `offset` of block `block` (for `n`); `None` past the last one.
    pub fn next_hit(&self, block: usize, offset: usize) -> Option<usize> {
        let index = self
            .hits
            .partition_point(|hit| (hit.block, hit.range.start) <= (block, offset));
        (index < self.hits.len()).then_some(index)
    }

    /// Index of the last hit that starts before byte `offset` of block `block`
    /// (for `N`); `None` before the first one.
    pub fn previous_hit(&self, block: usize, offset: usize) -> Option<usize> {
        let index = self
            .hits
            .partition_point(|hit| (hit.block, hit.range.start) < (block, offset));
        index.checked_sub(1)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::library::{ArticleMeta, Block, BlockKind, Origin, Section};
    use crate::search::QueryOptions;

    fn block(kind: BlockKind, text: &str, section: Option<usize>) -> Block {
        Block {
            kind,
            text: text.to_owned(),
            sentences: std::iter::once(0..text.len()).collect(),
            section,
            start: 0,
        }
    }

    /// Heading, two passages, heading, two passages.
    fn article() -> Article {
        let heading = |section| BlockKind::Heading { level: 2, section };
        Article {
            meta: ArticleMeta::default(),
            blocks: vec![
                block(heading(0), "Funding", Some(0)),
                block(
                    BlockKind::Paragraph,
                    "Funding rose, and funding fell.",
                    Some(0),
                ),
                block(BlockKind::Paragraph, "Nothing to see here.", Some(0)),
                block(heading(1), "Mobility", Some(1)),
                block(BlockKind::ListItem, "Mobility grants.", Some(1)),
                block(BlockKind::Quote, "More funding for mobility.", Some(1)),
            ],
            sections: vec![
                Section {
                    title: "Funding".into(),
                    level: 2,
                    block: 0,
                },
                Section {
                    title: "Mobility".into(),
                    level: 2,
                    block: 3,
                },
            ],
            origin: Origin::Bundled("test.md".into()),
            word_count: 0,
            text_len: 0,
            sentences_split: true,
            warnings: Vec::new(),
        }
    }

    fn query(text: &str) -> Query {
        Query::parse(text, QueryOptions::default()).unwrap()
    }

    #[test]
    fn keeps_matching_passages_and_counts_the_rest() {
        let article = article();
        let matches = filter_article(&query("funding"), &article);
        assert_eq!(matches.passages, vec![1, 5]);
        assert_eq!(matches.hidden, 2);
        let visible: Vec<usize> = matches.visible_blocks(&article).collect();
        assert_eq!(visible, vec![0, 1, 3, 5], "headings stay for context");
    }

    #[test]
    fn hits_are_in_reading_order() {
        let matches = filter_article(&query("funding"), &article());
        let hits: Vec<(usize, Range<usize>)> = matches
            .hits
            .iter()
            .map(|h| (h.block, h.range.clone()))
            .collect();
        assert_eq!(hits, vec![(1, 0..7), (1, 18..25), (5, 5..12)]);
        assert_eq!(matches.hits_in(1).len(), 2);
        assert!(matches.hits_in(2).is_empty());
        assert_eq!(matches.hits_in(5)[0].range, 5..12);
    }

    #[test]
    fn stepping_moves_between_hits_and_stops_at_the_ends() {
        let matches = filter_article(&query("funding"), &article());
        assert_eq!(matches.next_hit(0, 0), Some(0));
        assert_eq!(matches.next_hit(1, 0), Some(1));
        assert_eq!(matches.next_hit(1, 18), Some(2));
        assert_eq!(matches.next_hit(5, 5), None);
        assert_eq!(matches.previous_hit(5, 5), Some(1));
        assert_eq!(matches.previous_hit(1, 0), None);
        assert_eq!(matches.previous_hit(9, 0), Some(2));
    }

    #[test]
    fn the_empty_query_shows_everything() {
        let article = article();
        let matches = filter_article(&query("  "), &article);
        assert_eq!(matches.passages, vec![1, 2, 4, 5]);
        assert_eq!(matches.hidden, 0);
        assert!(matches.hits.is_empty());
        assert_eq!(matches.visible_blocks(&article).count(), 6);
    }

    #[test]
    fn nothing_matching_hides_every_passage_but_keeps_headings() {
        let article = article();
        let matches = filter_article(&query("zebra"), &article);
        assert!(matches.is_empty());
        assert_eq!(matches.hidden, 4);
        assert!(matches.shows(&article, 3));
        assert!(!matches.shows(&article, 4));
        assert!(!matches.shows(&article, 99));
    }

    #[test]
    fn annotation_filters_ask_the_caller() {
        struct Noted(bool);
        impl PassageFacts for Noted {
            fn has_tag(&self, tag: &str) -> bool {
                self.0 && tag == "money"
            }
            fn has_note(&self) -> bool {
                self.0
            }
        }
        let article = article();
        let noted = |block| Noted(block == 5);
        let matches = filter_article_with(&query("has:note"), &article, noted);
        assert_eq!(matches.passages, vec![5]);
        assert!(matches.hits.is_empty());
        let matches = filter_article_with(&query("funding -tag:money"), &article, noted);
        assert_eq!(matches.passages, vec![1]);
        assert!(filter_article(&query("tag:money"), &article).is_empty());
    }
}
