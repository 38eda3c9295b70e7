//! What searches need to know about annotations, computed once per change
//! rather than per keystroke or passage: highlights per article, the tags each
//! article carries, and what each passage carries for `tag:` and `has:note`.
//! The library screen and `gloss search` both ask it.

use std::collections::HashMap;

use super::Highlight;
use super::tag::{same_tag, tag_key};
use crate::search::PassageFacts;

/// Annotations summarized by article and by passage.
#[derive(Debug, Clone, Default)]
pub struct AnnotationIndex {
    /// Highlights per article id.
    pub counts: HashMap<String, usize>,
    /// Every tag used in an article's highlights, per article id.
    pub article_tags: HashMap<String, Vec<String>>,
    /// Tags and notes per (article id, block), by the latest block known for
    /// each highlight (its placement in a later version of the article, else
    /// where it was made; exact unless the article changed since).
    pub passages: HashMap<(String, usize), BlockFacts>,
}

impl AnnotationIndex {
    pub fn build<'a>(highlights: impl IntoIterator<Item = &'a Highlight>) -> AnnotationIndex {
        let mut index = AnnotationIndex::default();
        for h in highlights {
            *index.counts.entry(h.article.clone()).or_default() += 1;
            let tags = index.article_tags.entry(h.article.clone()).or_default();
            for tag in &h.tags {
                if !tags.iter().any(|t| same_tag(t, tag)) {
                    tags.push(tag.clone());
                }
            }
            let facts = index
                .passages
                .entry((h.article.clone(), h.latest_position().block))
                .or_default();
            facts.tags.extend(h.tags.iter().map(|t| tag_key(t)));
            facts.note |= !h.note.trim().is_empty();
        }
        index
    }

    /// The facts of one passage (none when it carries no highlight).
    pub fn facts(&self, article: &str, block: usize) -> BlockFacts {
        self.passages
            .get(&(article.to_string(), block))
            .cloned()
            .unwrap_or_default()
    }
}

/// The annotations on one passage, as the keyword filter asks about them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockFacts {
    /// The tag keys ([`super::tag::tag_key`]) of every highlight touching the
    /// passage.
    pub tags: Vec<String>,
    pub note: bool,
}

impl PassageFacts for BlockFacts {
    fn has_tag(&self, tag: &str) -> bool {
        // Compared by key whoever filled `tags` (the reader's marks give
        // them lower-cased).
        let key = tag_key(tag);
        self.tags.iter().any(|t| *t == key || tag_key(t) == key)
    }

    fn has_note(&self) -> bool {
        self.note
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::annotation::{CurrentPlace, PlaceState, TextAnchor, TextPosition};

    #[test]
    fn a_highlight_counts_where_it_was_placed_last() {
        let article = crate::library::parse_article(
            "---\nid: a\ntitle: T\n---\n\nOne.\n",
            crate::library::Origin::Bundled("a.md".into()),
        )
        .unwrap();
        let plain = article.plain_text();
        let mut h = crate::annotation::new_highlight(
            &article,
            &plain,
            0..4,
            crate::annotation::Color::Blue,
            jiff::Timestamp::UNIX_EPOCH,
        );
        h.tags = vec!["Trade".into()];
        h.anchor.position.block = 2;
        assert_eq!(
            AnnotationIndex::build([&h]).facts(&h.article, 2).tags,
            ["trade"]
        );
        h.placement = Some(CurrentPlace {
            text_hash: String::new(),
            anchor: TextAnchor {
                position: TextPosition {
                    block: 5,
                    start: 0,
                    end: 1,
                },
                ..TextAnchor::default()
            },
            state: PlaceState::Moved,
        });
        let index = AnnotationIndex::build([&h]);
        assert!(index.facts(&h.article, 2).tags.is_empty());
        assert_eq!(index.facts(&h.article, 5).tags, ["trade"]);
    }
}
