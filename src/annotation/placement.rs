//! Where stored highlights are in an article's text as it is now. The reader
//! and the command line must agree on this, so the rule lives here once:
//!
//! - a highlight whose article is unchanged since it was made sits exactly at
//!   its stored position;
//! - one with a placement (see [`CurrentPlace`]) made for the text as it is
//!   now sits there;
//! - a placement the person chose for an older text is looked for again
//!   first;
//! - otherwise the original quote is searched for ([`reanchor_shifted`]),
//!   expecting it where the other highlights of the article show the text
//!   moved.
//!
//! The original anchor is never rewritten: what is found is kept beside it
//! ([`refreshed`]).

use std::collections::HashMap;
use std::ops::Range;

use super::{
    Anchoring, CurrentPlace, Highlight, PlaceState, TextPosition, anchor_at, block_at, reanchor,
    reanchor_shifted, score_at, text_hash, unique_shift,
};
use crate::library::Article;

/// One highlight and where it is in the article now.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement<'a> {
    pub highlight: &'a Highlight,
    pub anchoring: Anchoring,
}

/// Places each of `highlights` in `plain`, the article's plain text now
/// ([`Article::plain_text`]), in the order given. Highlights found once,
/// unchanged and in agreeing surroundings, show how far the text moved; a
/// quote with twins is looked for where that shift points.
pub fn place<'a>(
    plain: &str,
    highlights: impl IntoIterator<Item = &'a Highlight>,
) -> Vec<Placement<'a>> {
    let hash = text_hash(plain);
    let highlights: Vec<&Highlight> = highlights.into_iter().collect();
    let shifts = Shifts::measure(plain, &hash, &highlights);
    highlights
        .into_iter()
        .map(|highlight| Placement {
            highlight,
            anchoring: anchoring_with(plain, &hash, highlight, &shifts),
        })
        .collect()
}

/// Where `highlight` is in `plain`, whose [`text_hash`] is `plain_hash` (passed
/// in so that placing many highlights hashes the text once), without the
/// other highlights of the article to tell how its text moved.
pub fn anchoring_in(plain: &str, plain_hash: &str, highlight: &Highlight) -> Anchoring {
    anchoring_with(plain, plain_hash, highlight, &Shifts::default())
}

fn anchoring_with(
    plain: &str,
    plain_hash: &str,
    highlight: &Highlight,
    shifts: &Shifts,
) -> Anchoring {
    let position = highlight.anchor.position;
    if highlight.text_hash == plain_hash && fits(plain, position) {
        return Anchoring::Exact(position.start..position.end);
    }
    if let Some(place) = &highlight.placement {
        let at = place.anchor.position;
        if place.text_hash == plain_hash && fits(plain, at) {
            let range = at.start..at.end;
            return match place.state {
                PlaceState::Moved => Anchoring::Moved(range),
                PlaceState::Fuzzy => Anchoring::Fuzzy {
                    score: score_at(plain, &highlight.anchor, range.clone()),
                    range,
                },
                PlaceState::Accepted | PlaceState::Reattached => Anchoring::Accepted(range),
            };
        }
        if place.state.by_person() {
            match reanchor(plain, &place.anchor) {
                Anchoring::Exact(range) | Anchoring::Moved(range) => {
                    return Anchoring::Accepted(range);
                }
                fuzzy @ Anchoring::Fuzzy { .. } => return fuzzy,
                _ => {}
            }
        }
    }
    let shifts = shifts.around(&highlight.text_hash, position.start);
    reanchor_shifted(plain, &highlight.anchor, &shifts)
}

/// How far the text moved, measured at the highlights found once and
/// unchanged in agreeing surroundings, per version of the text the
/// highlights were made in.
#[derive(Debug, Default)]
struct Shifts<'a> {
    /// By original text hash: `(old start, shift)`, sorted by old start.
    by_text: HashMap<&'a str, Vec<(usize, isize)>>,
}

impl<'a> Shifts<'a> {
    /// Measured only when some highlight must be searched for: one placed
    /// before in this text costs nothing, and a placement of the very words
    /// found then is itself a measure.
    fn measure(plain: &str, plain_hash: &str, highlights: &[&'a Highlight]) -> Shifts<'a> {
        let mut shifts = Shifts::default();
        let placed_here = |h: &Highlight| {
            h.text_hash == plain_hash
                || h.placement
                    .as_ref()
                    .is_some_and(|place| place.text_hash == plain_hash)
        };
        if highlights.iter().all(|h| placed_here(h)) {
            return shifts;
        }
        for highlight in highlights {
            if highlight.text_hash == plain_hash {
                continue;
            }
            let stored = highlight.placement.as_ref().filter(|place| {
                place.text_hash == plain_hash
                    && place.state == PlaceState::Moved
                    && place.anchor.quote.exact == highlight.anchor.quote.exact
            });
            let shift = match stored {
                Some(place) => isize::try_from(place.anchor.position.start)
                    .ok()
                    .zip(isize::try_from(highlight.anchor.position.start).ok())
                    .map(|(now, then)| now - then),
                None => unique_shift(plain, &highlight.anchor),
            };
            if let Some(shift) = shift {
                shifts
                    .by_text
                    .entry(highlight.text_hash.as_str())
                    .or_default()
                    .push((highlight.anchor.position.start, shift));
            }
        }
        for samples in shifts.by_text.values_mut() {
            samples.sort_unstable();
        }
        shifts
    }

    /// The shifts of the nearest measured highlights on each side of
    /// `old_start` in the same version of the text, the one before first:
    /// an unchanged passage moved as one of them did, unless the text
    /// between them changed.
    fn around(&self, text_hash: &str, old_start: usize) -> Vec<isize> {
        let Some(samples) = self.by_text.get(text_hash) else {
            return Vec::new();
        };
        let after = samples.partition_point(|&(start, _)| start <= old_start);
        let before = after.checked_sub(1).and_then(|i| samples.get(i));
        before
            .into_iter()
            .chain(samples.get(after))
            .map(|&(_, shift)| shift)
            .collect()
    }
}

/// `highlight` with the placement to save for `anchoring`, its place in
/// `plain` (the text of `article` now, hashed `plain_hash`), or `None` when
/// there is nothing new to save: the article is the one it was made in, the
/// placement for this text is stored already, or it was not found. The
/// original anchor is kept as it is; a placement the person chose keeps its
/// state when its passage is found again unchanged.
#[must_use]
pub fn refreshed(
    article: &Article,
    plain: &str,
    plain_hash: &str,
    highlight: &Highlight,
    anchoring: &Anchoring,
) -> Option<Highlight> {
    if highlight.text_hash == plain_hash
        || highlight
            .placement
            .as_ref()
            .is_some_and(|place| place.text_hash == plain_hash)
    {
        return None;
    }
    let (range, state) = match anchoring {
        Anchoring::Exact(range) | Anchoring::Moved(range) => (range.clone(), PlaceState::Moved),
        Anchoring::Fuzzy { range, .. } => (range.clone(), PlaceState::Fuzzy),
        Anchoring::Accepted(range) => {
            let state = highlight
                .placement
                .as_ref()
                .map_or(PlaceState::Accepted, |place| place.state);
            (range.clone(), state)
        }
        Anchoring::Orphaned { .. } => return None,
    };
    Some(placed_at(article, plain, highlight, range, state))
}

/// A copy of `highlight` placed at `range` of `plain` (the article's plain
/// text now) with `state`; its original anchor is kept.
#[must_use]
pub fn placed_at(
    article: &Article,
    plain: &str,
    highlight: &Highlight,
    range: Range<usize>,
    state: PlaceState,
) -> Highlight {
    let block = block_at(article, range.start).unwrap_or(0);
    let mut placed = highlight.clone();
    placed.placement = Some(CurrentPlace {
        text_hash: text_hash(plain),
        anchor: anchor_at(plain, range, block),
        state,
    });
    placed
}

/// The one-word name of an anchoring (`exact`, `moved`, `fuzzy`, `accepted`,
/// `orphaned`), as the command line prints it and scripts read it.
pub fn anchoring_label(anchoring: &Anchoring) -> &'static str {
    match anchoring {
        Anchoring::Exact(_) => "exact",
        Anchoring::Moved(_) => "moved",
        Anchoring::Fuzzy { .. } => "fuzzy",
        Anchoring::Accepted(_) => "accepted",
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
mod cases;

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

        let hash = text_hash(&plain);
        let fixed = refreshed(&edited, &plain, &hash, &highlight, &placed[0].anchoring).unwrap();
        assert_eq!(fixed.anchor, highlight.anchor, "the original is kept");
        assert_eq!(fixed.text_hash, highlight.text_hash);
        let place = fixed.placement.as_ref().unwrap();
        assert_eq!(place.text_hash, hash);
        assert_eq!(place.state, PlaceState::Moved);
        assert_eq!(place.anchor.position.block, 2);
        assert_eq!(
            anchoring_label(&anchoring_in(&plain, &text_hash(&plain), &fixed)),
            "moved",
            "a highlight placed again is placed at once from its stored placement"
        );
        assert_eq!(
            refreshed(&edited, &plain, &hash, &fixed, &placed[0].anchoring),
            None,
            "and nothing new is saved"
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
