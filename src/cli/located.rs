//! Every stored highlight found in its article as the library has it now,
//! grouped by article in library order and in text order within each: what
//! `gloss highlights` and `gloss check` report. Highlights whose article is
//! not in the library come last, by article id, so they are listed too.

use std::collections::BTreeMap;
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::annotation::{Anchoring, Highlight, Placement, anchoring_label, place};
use crate::library::{Article, Library};
use crate::store::annotations::Annotations;
use crate::text::sanitize_line;

/// The highlights of one article, placed in its text.
#[derive(Debug)]
pub struct ArticleHighlights<'a> {
    /// `None` when no article in the library has that id.
    pub article: Option<&'a Article>,
    /// The article's plain text now (empty when the article is missing).
    pub plain: String,
    /// In text order; all orphaned when the article is missing.
    pub placements: Vec<Placement<'a>>,
}

impl ArticleHighlights<'_> {
    /// `exact`, `moved`, `fuzzy`, `orphaned`, or `missing` when the article
    /// itself is not in the library.
    pub fn state(&self, placement: &Placement) -> &'static str {
        if self.article.is_none() {
            "missing"
        } else {
            anchoring_label(&placement.anchoring)
        }
    }

    /// The text of the article at `range`, if it is a range of it.
    pub fn text_at(&self, range: Range<usize>) -> Option<&str> {
        self.plain.get(range)
    }
}

/// Places every highlight `wanted` accepts.
pub fn locate<'a>(
    library: &'a Library,
    annotations: &'a Annotations,
    wanted: impl Fn(&Highlight) -> bool,
) -> Vec<ArticleHighlights<'a>> {
    let mut by_article: BTreeMap<&str, Vec<&Highlight>> = BTreeMap::new();
    for highlight in annotations.iter().filter(|h| wanted(h)) {
        by_article
            .entry(highlight.article.as_str())
            .or_default()
            .push(highlight);
    }
    let mut groups = Vec::new();
    for article in &library.articles {
        let Some(highlights) = by_article.remove(article.meta.id.as_str()) else {
            continue;
        };
        let plain = article.plain_text();
        let mut placements = place(&plain, highlights);
        placements.sort_by_key(|p| (text_order(p), p.highlight.id.as_str()));
        groups.push(ArticleHighlights {
            article: Some(article),
            plain,
            placements,
        });
    }
    for highlights in by_article.into_values() {
        let mut placements: Vec<Placement> = highlights
            .into_iter()
            .map(|highlight| Placement {
                highlight,
                anchoring: Anchoring::Orphaned { best: None },
            })
            .collect();
        placements.sort_by_key(|p| (text_order(p), p.highlight.id.as_str()));
        groups.push(ArticleHighlights {
            article: None,
            plain: String::new(),
            placements,
        });
    }
    groups
}

/// Where a highlight is now, or where it was if it cannot be found.
fn text_order(placement: &Placement) -> usize {
    placement
        .anchoring
        .range()
        .map_or(placement.highlight.anchor.position.start, |range| {
            range.start
        })
}

/// `text` on one line, safe for a terminal, with runs of whitespace as one
/// space, cut to `max` characters (counted as graphemes, so no accent is cut
/// off its letter) with `…` at the end when it was longer.
pub fn one_line(text: &str, max: usize) -> String {
    let flat = sanitize_line(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut graphemes = flat.grapheme_indices(true);
    match graphemes.nth(max) {
        Some((cut, _)) => format!("{}…", flat[..cut].trim_end()),
        None => flat,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::cli::sample::{self, highlight_of};

    #[test]
    fn groups_follow_the_library_then_the_text() {
        let library = sample::library();
        let mut annotations = Annotations::new();
        let late = highlight_of(&library, 0, "What gets measured");
        let early = highlight_of(&library, 0, "Students travel.");
        let other = highlight_of(&library, 1, "Embassies");
        let mut lost = highlight_of(&library, 1, "researchers");
        lost.article = "a-removed-article".into();
        for h in [&other, &late, &lost, &early] {
            annotations.upsert(h.clone());
        }
        let groups = locate(&library, &annotations, |_| true);
        let shown: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|g| {
                let states = g.placements.iter().map(|p| g.state(p)).collect();
                (g.placements[0].highlight.article.as_str(), states)
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("cultural-diplomacy", vec!["exact", "exact"]),
                ("innovation-diplomacy", vec!["exact"]),
                ("a-removed-article", vec!["missing"]),
            ]
        );
        assert_eq!(groups[0].placements[0].highlight.id, early.id);
        assert_eq!(groups[0].placements[1].highlight.id, late.id);
        let range = groups[0].placements[0].anchoring.range().unwrap();
        assert_eq!(groups[0].text_at(range), Some("Students travel."));
    }

    #[test]
    fn only_wanted_highlights_are_placed() {
        let library = sample::library();
        let mut annotations = Annotations::new();
        annotations.upsert(highlight_of(&library, 0, "Opening"));
        annotations.upsert(highlight_of(&library, 1, "Embassies"));
        let groups = locate(&library, &annotations, |h| {
            h.article == "innovation-diplomacy"
        });
        assert_eq!(groups.len(), 1);
        assert_eq!(
            groups[0].article.map(|a| a.meta.id.as_str()),
            Some("innovation-diplomacy")
        );
    }

    #[test]
    fn one_line_flattens_sanitizes_and_cuts() {
        assert_eq!(one_line("a\n\nb\t c", 10), "a b c");
        assert_eq!(one_line("x\u{1b}[31my", 10), "xy");
        assert_eq!(one_line("abcdef", 3), "abc…");
        assert_eq!(one_line("ab cdef", 3), "ab…");
        assert_eq!(one_line("e\u{301}e\u{301}e\u{301}", 2), "e\u{301}e\u{301}…");
        assert_eq!(one_line("abc", 3), "abc");
    }
}
