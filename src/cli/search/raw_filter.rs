//! The cheap test that spares `gloss search` most of its work: what a file's
//! raw text, or an article's plain text, must contain for a passage to match.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::library::SearchFilter;
use crate::search::{Query, Term, TermKind};

/// What a file's raw text must contain for any of its passages to match: for
/// each word or phrase the query requires, its longest run of letters and
/// digits, matched with the query's own folding (case, accents, canonical
/// equivalence). A match of the term in a passage contains a match of that
/// run, and the library only asks about files whose passages hold their words
/// verbatim (see [`Library::open_for_search`]), so a file without it cannot
/// match. Regex queries, and terms with combining marks (whose folding can
/// reach across the run's ends), get no filter.
pub(super) struct RawFilter {
    needles: Vec<Query>,
}

impl RawFilter {
    pub(super) fn for_query(query: &Query) -> Option<RawFilter> {
        let options = query.options();
        if options.regex {
            return None;
        }
        let mut needles = Vec::new();
        for clause in query.clauses().iter().filter(|clause| !clause.excluded) {
            let Term::Text(term) = &clause.term else {
                continue;
            };
            if term.kind() == TermKind::Regex {
                return None;
            }
            let Some(run) = longest_letter_run(term.source()) else {
                continue;
            };
            // Alone, a lower-case run is matched without case, which only
            // finds more; the run is quoted so that it is never a filter.
            if let Ok(needle) = Query::parse(&format!("\"{run}\""), options) {
                needles.push(needle);
            }
        }
        // Longer runs are rarer: they reject a file sooner.
        needles.sort_by_key(|needle| std::cmp::Reverse(needle_len(needle)));
        (!needles.is_empty()).then_some(RawFilter { needles })
    }
}

impl SearchFilter for RawFilter {
    /// Whether a file with this raw text may hold a matching passage.
    fn may_contain(&self, raw: &str) -> bool {
        self.needles.iter().all(|needle| needle.matches(raw))
    }

    /// Each needle is looked for once in the whole text; a block may match
    /// only if it holds an occurrence of every needle. (A needle is a run of
    /// letters and digits, so no occurrence reaches from one block into the
    /// next across the blank line between them.)
    fn blocks_that_may_match(&self, text: &str, blocks: &[Range<usize>]) -> Vec<bool> {
        let mut wanted = vec![true; blocks.len()];
        for needle in &self.needles {
            let mut holds = vec![false; blocks.len()];
            for found in needle.find(text) {
                let block = blocks.partition_point(|block| block.end < found.end);
                if let Some(range) = blocks.get(block)
                    && range.start <= found.start
                {
                    holds[block] = true;
                }
            }
            for (wanted, holds) in wanted.iter_mut().zip(holds) {
                *wanted &= holds;
            }
        }
        wanted
    }
}

fn needle_len(needle: &Query) -> usize {
    needle
        .clauses()
        .iter()
        .map(|clause| match &clause.term {
            Term::Text(term) => term.source().len(),
            _ => 0,
        })
        .sum()
}

/// The longest run of letters and digits in the composed form of `term`, or
/// `None` when it has none or holds a combining mark.
pub(super) fn longest_letter_run(term: &str) -> Option<String> {
    let composed: String = term.nfc().collect();
    if composed.chars().any(is_combining_mark) {
        return None;
    }
    composed
        .split(|c: char| !c.is_alphanumeric())
        .max_by_key(|run| run.chars().count())
        .filter(|run| !run.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::search::QueryOptions;

    #[test]
    fn the_raw_filter_looks_for_the_longest_run_of_each_required_term() {
        let filter = |query: &str| {
            let query = Query::parse(query, QueryOptions::default()).unwrap();
            RawFilter::for_query(&query)
        };
        let funding = filter("x-rays funding -zebra").unwrap();
        assert!(funding.may_contain("the rays of funding"));
        assert!(
            !funding.may_contain("funding only"),
            "both terms are required"
        );
        assert!(!funding.may_contain("zebra rays"), "funding is required");
        assert!(filter("straße").unwrap().may_contain("STRASSE"));
        assert!(
            !filter("Straße").unwrap().may_contain("STRASSE"),
            "smart case"
        );
        assert!(filter("-zebra").is_none(), "nothing is required");
        assert!(filter("tag:x").is_none());
        let regex = Query::parse(
            "fund",
            QueryOptions {
                regex: true,
                ..QueryOptions::default()
            },
        );
        assert!(RawFilter::for_query(&regex.unwrap()).is_none());
    }

    #[test]
    fn letter_runs_skip_punctuation_and_refuse_marks() {
        assert_eq!(longest_letter_run("x-rays").as_deref(), Some("rays"));
        assert_eq!(longest_letter_run("成果!").as_deref(), Some("成果"));
        assert_eq!(
            longest_letter_run("e\u{301}t\u{e9}").as_deref(),
            Some("\u{e9}t\u{e9}")
        );
        assert_eq!(
            longest_letter_run("a\u{323}\u{301}"),
            None,
            "a mark stays after composing"
        );
        assert_eq!(longest_letter_run("--"), None);
    }

    #[test]
    fn blocks_may_match_only_with_every_needle_inside_them() {
        let query = Query::parse("funding quokka", QueryOptions::default()).unwrap();
        let filter = RawFilter::for_query(&query).unwrap();
        let blocks = [
            "Funding and a quokka.",
            "Only funding.",
            "A quokka, funding",
            "Neither.",
        ];
        let text = blocks.join("\n\n");
        let mut ranges = Vec::new();
        let mut start = 0;
        for block in blocks {
            ranges.push(start..start + block.len());
            start += block.len() + 2;
        }
        assert_eq!(
            filter.blocks_that_may_match(&text, &ranges),
            [true, false, true, false]
        );
        assert!(filter.may_contain(&text));
        assert!(!filter.may_contain("Only funding."));
    }
}
