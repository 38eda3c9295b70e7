//! Where each exported highlight belongs in its article as the article is now:
//! its section and its place in reading order, or the list of orphans when
//! its text can no longer be found. Both export formats read this, so a
//! highlight sits in the same section in Markdown and in JSON.

use std::ops::Range;

use crate::annotation::{Highlight, anchoring_label, block_at, place};
use crate::library::Article;

/// A highlight found in the article's text.
#[derive(Debug, Clone)]
pub struct Placed<'a> {
    pub highlight: &'a Highlight,
    /// Where the passage is in the article's plain text now.
    pub range: Range<usize>,
    /// Index in [`Article::sections`] of the section it starts in; `None`
    /// before the first heading.
    pub section: Option<usize>,
    /// `exact`, `moved`, `fuzzy` or `accepted` (see [`anchoring_label`]).
    pub state: &'static str,
    /// For a passage found by similarity that waits for the person's review:
    /// what it reads now (the export quotes the original, and says so).
    pub review: Option<String>,
}

/// The highlights of one article, found or not.
#[derive(Debug, Clone, Default)]
pub struct Arranged<'a> {
    /// In reading order.
    pub placed: Vec<Placed<'a>>,
    /// Highlights whose text cannot be found any more, in the order they
    /// were in when they were made.
    pub orphans: Vec<&'a Highlight>,
}

/// Finds each of `highlights` in `article` and sorts them into reading order.
/// Ties are broken by id, so the order never depends on the order given.
pub fn arrange<'a>(article: &Article, highlights: &[&'a Highlight]) -> Arranged<'a> {
    let plain = article.plain_text();
    let mut arranged = Arranged::default();
    for placement in place(&plain, highlights.iter().copied()) {
        match placement.anchoring.range() {
            Some(range) => arranged.placed.push(Placed {
                highlight: placement.highlight,
                section: block_at(article, range.start).and_then(|b| article.section_of(b)),
                state: anchoring_label(&placement.anchoring),
                review: placement
                    .anchoring
                    .needs_review()
                    .then(|| plain.get(range.clone()).unwrap_or_default().to_owned()),
                range,
            }),
            None => arranged.orphans.push(placement.highlight),
        }
    }
    arranged.placed.sort_by(|a, b| {
        (a.range.start, a.range.end, &a.highlight.id).cmp(&(
            b.range.start,
            b.range.end,
            &b.highlight.id,
        ))
    });
    arranged
        .orphans
        .sort_by(|a, b| (a.anchor.position.start, &a.id).cmp(&(b.anchor.position.start, &b.id)));
    arranged
}

/// The sections enclosing `section`, outermost first, ending with `section`
/// itself: each is the nearest earlier section of a lower level.
pub fn section_path(article: &Article, section: usize) -> Vec<usize> {
    let mut path = Vec::new();
    let Some(mut level) = article.sections.get(section).map(|s| s.level) else {
        return path;
    };
    path.push(section);
    for (index, candidate) in article.sections[..section].iter().enumerate().rev() {
        if candidate.level < level {
            path.push(index);
            level = candidate.level;
        }
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::Timestamp;

    use super::*;
    use crate::annotation::{Color, new_highlight};
    use crate::library::{Origin, parse_article};

    fn article(body: &str) -> Article {
        parse_article(
            &format!("---\nid: a\ntitle: T\n---\n\n{body}"),
            Origin::Bundled("a.md".into()),
        )
        .unwrap()
    }

    fn highlight(article: &Article, quote: &str) -> Highlight {
        let plain = article.plain_text();
        let start = plain.find(quote).unwrap();
        new_highlight(
            article,
            &plain,
            start..start + quote.len(),
            Color::Yellow,
            Timestamp::UNIX_EPOCH,
        )
    }

    const BODY: &str =
        "Lead.\n\n## One\n\nFirst part.\n\n### Deeper\n\nDeep part.\n\n## Two\n\nSecond part.\n";

    #[test]
    fn highlights_are_in_reading_order_with_their_sections() {
        let doc = article(BODY);
        let second = highlight(&doc, "Second part.");
        let deep = highlight(&doc, "Deep part.");
        let lead = highlight(&doc, "Lead.");
        let arranged = arrange(&doc, &[&second, &deep, &lead]);
        let seen: Vec<(&str, Option<usize>)> = arranged
            .placed
            .iter()
            .map(|p| (p.highlight.anchor.quote.exact.as_str(), p.section))
            .collect();
        assert_eq!(
            seen,
            [
                ("Lead.", None),
                ("Deep part.", Some(1)),
                ("Second part.", Some(2))
            ]
        );
        assert!(arranged.orphans.is_empty());
        assert_eq!(arranged.placed[0].state, "exact");
    }

    #[test]
    fn text_that_is_gone_makes_an_orphan() {
        let before = article(BODY);
        let lost = highlight(&before, "Deep part.");
        let kept = highlight(&before, "Second part.");
        let after = article("## Two\n\nSecond part.\n");
        let arranged = arrange(&after, &[&lost, &kept]);
        assert_eq!(arranged.placed.len(), 1);
        assert_eq!(arranged.placed[0].state, "moved");
        assert_eq!(arranged.orphans, [&lost]);
    }

    #[test]
    fn a_section_path_climbs_to_the_outermost_heading() {
        let doc = article(BODY);
        assert_eq!(section_path(&doc, 1), [0, 1]);
        assert_eq!(section_path(&doc, 2), [2]);
        assert_eq!(section_path(&doc, 0), [0]);
        assert!(section_path(&doc, 9).is_empty());
    }
}
