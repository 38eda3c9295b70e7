//! Where stored highlights are in an article's text as it is now. The reader
//! and the command line must agree on this, so the rule lives here once: a
//! highlight whose article is unchanged since it was anchored sits exactly at
//! its stored position; otherwise its quote is searched for again
//! ([`reanchor`]), and a highlight found elsewhere can be re-anchored there.

use std::ops::Range;

use super::{Anchoring, Highlight, TextPosition, anchor_at, block_at, reanchor, text_hash};
use crate::library::Article;

/// One highlight and where it is in the article now.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement<'a> {
    pub highlight: &'a Highlight,
    pub anchoring: Anchoring,
}

/// Places each of `highlights` in `plain`, the article's plain text now
/// ([`Article::plain_text`]), in the order given.
pub fn place<'a>(
    plain: &str,
    highlights: impl IntoIterator<Item = &'a Highlight>,
) -> Vec<Placement<'a>> {
    let hash = text_hash(plain);
    highlights
        .into_iter()
        .map(|highlight| Placement {
            highlight,
            anchoring: anchoring_in(plain, &hash, highlight),
        })
        .collect()
}

/// Where `highlight` is in `plain`, whose [`text_hash`] is `plain_hash` (passed
/// in so that placing many highlights hashes the text once). The stored
/// position is trusted only when the text is the one it was taken from and
/// the position fits that text; anything else is searched for again.
pub fn anchoring_in(plain: &str, plain_hash: &str, highlight: &Highlight) -> Anchoring {
    let position = highlight.anchor.position;
    if highlight.text_hash == plain_hash && fits(plain, position) {
        Anchoring::Exact(position.start..position.end)
    } else {
        reanchor(plain, &highlight.anchor)
    }
}

/// A copy of `highlight` anchored at `range` of `plain` (the article's plain
/// text now), for saving a highlight that was found again after its article
/// changed, so the next time it is placed at once.
#[must_use]
pub fn reanchored(
    article: &Article,
    plain: &str,
    highlight: &Highlight,
    range: Range<usize>,
) -> Highlight {
    let block = block_at(article, range.start).unwrap_or(0);
    let mut fixed = highlight.clone();
    fixed.anchor = anchor_at(plain, range, block);
    fixed.text_hash = text_hash(plain);
    fixed
}

/// The one-word name of an anchoring (`exact`, `moved`, `fuzzy`, `orphaned`),
/// as the command line prints it and scripts read it.
pub fn anchoring_label(anchoring: &Anchoring) -> &'static str {
    match anchoring {
        Anchoring::Exact(_) => "exact",
        Anchoring::Moved(_) => "moved",
        Anchoring::Fuzzy { .. } => "fuzzy",
        Anchoring::Orphaned { .. } => "orphaned",
    }
}

/// Whether `position` is a non-empty range of `plain` on character boundaries.
fn fits(plain: &str, position: TextPosition) -> bool {
    position.start < position.end
        && position.end <= plain.len()
        && plain.is_char_boundary(position.start)
        && plain.is_char_boundary(position.end)
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

    /// A highlight of `quote` in `article`, made when the article read that way.
    fn highlight_of(article: &Article, quote: &str) -> Highlight {
        let plain = article.plain_text();
        let start = plain.find(quote).unwrap();
        new_highlight(
            article,
            &plain,
            start..start + quote.len(),
            Color::Blue,
            Timestamp::UNIX_EPOCH,
        )
    }

    const BODY: &str =
        "The harbour opens at dawn.\n\nFerries cross the river. Trams climb the hill.\n";

    #[test]
    fn an_unchanged_article_places_highlights_where_they_were() {
        let original = article(BODY);
        let highlight = highlight_of(&original, "Trams climb the hill.");
        let plain = original.plain_text();
        let placed = place(&plain, [&highlight]);
        assert_eq!(placed.len(), 1);
        let range = placed[0].anchoring.range().unwrap();
        assert_eq!(&plain[range], "Trams climb the hill.");
        assert_eq!(anchoring_label(&placed[0].anchoring), "exact");
    }

    #[test]
    fn text_inserted_before_a_quote_moves_it() {
        let highlight = highlight_of(&article(BODY), "Trams climb the hill.");
        let edited = article(&format!("A new opening paragraph.\n\n{BODY}"));
        let plain = edited.plain_text();
        let placed = place(&plain, [&highlight]);
        assert!(
            matches!(placed[0].anchoring, Anchoring::Moved(_)),
            "{placed:?}"
        );
        let range = placed[0].anchoring.range().unwrap();
        assert_eq!(&plain[range.clone()], "Trams climb the hill.");

        let fixed = reanchored(&edited, &plain, &highlight, range);
        assert_eq!(fixed.text_hash, text_hash(&plain));
        assert_eq!(fixed.anchor.position.block, 2);
        assert_eq!(
            anchoring_label(&anchoring_in(&plain, &text_hash(&plain), &fixed)),
            "exact",
            "a re-anchored highlight is placed at once"
        );
    }

    #[test]
    fn a_rewritten_article_orphans_the_highlight() {
        let highlight = highlight_of(&article(BODY), "Trams climb the hill.");
        let rewritten = article("Nothing of the old text is left in this one.\n");
        let placed = place(&rewritten.plain_text(), [&highlight]);
        assert!(placed[0].anchoring.is_orphaned(), "{placed:?}");
        assert_eq!(anchoring_label(&placed[0].anchoring), "orphaned");
    }

    #[test]
    fn a_position_that_does_not_fit_is_searched_for_even_with_the_same_hash() {
        let original = article(BODY);
        let plain = original.plain_text();
        let mut highlight = highlight_of(&original, "Ferries cross");
        highlight.anchor.position.start = plain.len() + 10;
        highlight.anchor.position.end = plain.len() + 20;
        let anchoring = anchoring_in(&plain, &text_hash(&plain), &highlight);
        assert_eq!(anchoring_label(&anchoring), "moved");
        assert_eq!(&plain[anchoring.range().unwrap()], "Ferries cross");
    }

    #[test]
    fn every_anchoring_has_a_label() {
        assert_eq!(anchoring_label(&Anchoring::Exact(0..1)), "exact");
        assert_eq!(anchoring_label(&Anchoring::Moved(0..1)), "moved");
        let fuzzy = Anchoring::Fuzzy {
            range: 0..1,
            score: 0.9,
        };
        assert_eq!(anchoring_label(&fuzzy), "fuzzy");
        assert_eq!(
            anchoring_label(&Anchoring::Orphaned { best: None }),
            "orphaned"
        );
    }
}
