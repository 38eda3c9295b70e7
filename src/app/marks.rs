//! The highlights of the open article, placed in its text as it is now: exact
//! when the article is unchanged, re-found when it changed (the place found is
//! saved beside the original anchor, which stays as the person made it), and
//! listed as orphans when they cannot be found. Also builds new highlights
//! from a selection of sentences.

use std::ops::Range;

use super::reader::Cursor;
use crate::annotation::{Anchoring, BlockFacts, Color, Highlight, place, refreshed, text_hash};
use crate::library::Article;
use crate::store::annotations::Annotations;

/// A highlight where it is in the open article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub id: String,
    /// Byte range in the article's plain text.
    pub range: Range<usize>,
    pub color: Color,
    pub has_note: bool,
    pub tags: Vec<String>,
    /// Found by similarity after the article changed: waits for the person
    /// to accept it, re-attach it or delete it.
    pub review: bool,
}

/// A highlight that could not be found in the article as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct Orphan {
    pub id: String,
    /// The closest passage found, in plain-text bytes, with its score.
    pub best: Option<(Range<usize>, f32)>,
}

/// Every highlight of one article, placed.
#[derive(Debug, Clone, Default)]
pub struct ArticleMarks {
    /// Sorted by start.
    pub placed: Vec<Placed>,
    pub orphans: Vec<Orphan>,
    /// Highlights re-found after the text changed, with the place found kept
    /// beside their original anchor: to be saved so the next open finds them
    /// at once.
    pub repaired: Vec<Highlight>,
}

impl ArticleMarks {
    /// Places the highlights of `article` (whose plain text is `plain`).
    pub fn place(article: &Article, plain: &str, annotations: &Annotations) -> ArticleMarks {
        let hash = text_hash(plain);
        let mut marks = ArticleMarks::default();
        for placement in place(plain, annotations.for_article(&article.meta.id)) {
            let highlight = placement.highlight;
            let anchoring = placement.anchoring;
            let Some(range) = anchoring.range() else {
                let best = if let Anchoring::Orphaned { best } = anchoring {
                    best
                } else {
                    None
                };
                marks.orphans.push(Orphan {
                    id: highlight.id.clone(),
                    best,
                });
                continue;
            };
            if let Some(repaired) = refreshed(article, plain, &hash, highlight, &anchoring) {
                marks.repaired.push(repaired);
            }
            marks.placed.push(Placed {
                id: highlight.id.clone(),
                range,
                color: highlight.color,
                has_note: !highlight.note.trim().is_empty(),
                tags: highlight.tags.clone(),
                review: anchoring.needs_review(),
            });
        }
        marks
            .placed
            .sort_by(|a, b| (a.range.start, &a.id).cmp(&(b.range.start, &b.id)));
        marks
    }

    /// The highlights overlapping `block`, with their ranges in the block's text.
    pub fn in_block<'a>(
        &'a self,
        article: &'a Article,
        block: usize,
    ) -> impl Iterator<Item = (Range<usize>, &'a Placed)> + 'a {
        let b = &article.blocks[block];
        let (start, end) = (b.start, b.start + b.text.len());
        self.placed
            .iter()
            .filter(move |p| p.range.start < end && start < p.range.end)
            .map(move |p| {
                (
                    p.range.start.max(start) - start..p.range.end.min(end) - start,
                    p,
                )
            })
    }

    /// The highlight under the cursor: the first one overlapping its sentence.
    pub fn at_cursor(&self, article: &Article, cursor: Cursor) -> Option<&Placed> {
        let range = sentence_range(article, cursor)?;
        self.placed
            .iter()
            .find(|p| p.range.start < range.end && range.start < p.range.end)
    }

    /// What the highlights touching `block` say about it, for `tag:` and `has:note`.
    pub fn block_facts(&self, article: &Article, block: usize) -> BlockFacts {
        let mut facts = BlockFacts::default();
        for (_, placed) in self.in_block(article, block) {
            facts.note |= placed.has_note;
            facts
                .tags
                .extend(placed.tags.iter().map(|t| t.to_lowercase()));
        }
        facts
    }
}

/// The sentence under `cursor`, in plain-text bytes.
pub fn sentence_range(article: &Article, cursor: Cursor) -> Option<Range<usize>> {
    let block = article.blocks.get(cursor.block)?;
    let s = block.sentences.get(cursor.sentence)?;
    Some(block.start + s.start..block.start + s.end)
}

/// The plain-text range from the sentence at `a` to the one at `b` (either
/// order), without the trailing space of the last sentence.
pub fn selection_range(
    article: &Article,
    plain: &str,
    a: Cursor,
    b: Cursor,
) -> Option<Range<usize>> {
    let (first, last) = if a <= b { (a, b) } else { (b, a) };
    let start = sentence_range(article, first)?.start;
    let end = sentence_range(article, last)?.end;
    let trimmed = plain.get(start..end)?.trim_end().len();
    (trimmed > 0).then_some(start..start + trimmed)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::annotation::{new_highlight, new_id};
    use crate::library::{Origin, parse_article};
    use jiff::Timestamp;

    fn article(body: &str) -> Article {
        parse_article(
            &format!("---\nid: a\ntitle: T\n---\n\n{body}"),
            Origin::Bundled("a.md".into()),
        )
        .unwrap()
    }

    #[test]
    fn a_selection_covers_whole_sentences_across_paragraphs() {
        let a = article("One two. Three four.\n\nFive six. Seven.\n");
        let plain = a.plain_text();
        let range = selection_range(
            &a,
            &plain,
            Cursor {
                block: 1,
                sentence: 0,
            },
            Cursor {
                block: 0,
                sentence: 1,
            },
        )
        .unwrap();
        assert_eq!(&plain[range], "Three four.\n\nFive six.");
    }

    #[test]
    fn highlights_are_placed_exactly_then_refound_after_an_edit() {
        let a = article("One two. Three four.\n\nFive six. Seven.\n");
        let plain = a.plain_text();
        let range = selection_range(
            &a,
            &plain,
            Cursor {
                block: 1,
                sentence: 0,
            },
            Cursor {
                block: 1,
                sentence: 0,
            },
        )
        .unwrap();
        let h = new_highlight(
            &a,
            &plain,
            range.clone(),
            Color::Green,
            Timestamp::UNIX_EPOCH,
        );
        let mut store = Annotations::new();
        store.upsert(h.clone());
        let marks = ArticleMarks::place(&a, &plain, &store);
        assert_eq!(marks.placed[0].range, range);
        assert!(marks.repaired.is_empty());

        let edited =
            article("A new first paragraph.\n\nOne two. Three four.\n\nFive six. Seven.\n");
        let plain2 = edited.plain_text();
        let marks = ArticleMarks::place(&edited, &plain2, &store);
        assert_eq!(&plain2[marks.placed[0].range.clone()], "Five six.");
        assert_eq!(marks.repaired.len(), 1);
        assert_eq!(marks.repaired[0].anchor, h.anchor, "the original is kept");
        let place = marks.repaired[0].placement.as_ref().unwrap();
        assert_eq!(place.text_hash, text_hash(&plain2));
        assert_eq!(place.anchor.quote.exact, "Five six.");

        let gone = article("Nothing like it remains here at all.\n");
        let marks = ArticleMarks::place(&gone, &gone.plain_text(), &store);
        assert!(marks.placed.is_empty());
        assert_eq!(marks.orphans.len(), 1);
    }

    #[test]
    fn ids_differ() {
        let now = Timestamp::now();
        assert_ne!(new_id(now), new_id(now));
        assert_eq!(new_id(now).len(), 18);
    }
}
