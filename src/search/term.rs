//! One searchable piece of a query (a word, a phrase or a regex) compiled once into
//! a linear-time matcher and then run over many passages without allocating.

use std::ops::Range;

use regex::{Regex, RegexBuilder};
use unicode_normalization::char::is_combining_mark;

use super::error::QueryError;
use super::literal::{Folding, literal_pattern};

/// Largest compiled matcher a term may build: plenty for any real query, and it
/// keeps a pasted wall of text or a pathological regex from eating memory.
const MATCHER_SIZE_LIMIT: usize = 4 << 20;

/// Literal terms up to this many characters report overlapping occurrences
/// (`aa` lights all of `aaa`); longer ones step past each match, which keeps the
/// work linear when a long term repeats itself.
const OVERLAP_MAX_CHARS: usize = 64;

/// How a term was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// A bare word.
    Word,
    /// A `"quoted phrase"`.
    Phrase,
    /// A regular expression (regex mode).
    Regex,
}

/// A compiled word, phrase or regex.
#[derive(Debug, Clone)]
pub struct TextTerm {
    source: String,
    kind: TermKind,
    regex: Regex,
    /// A literal match never ends inside a letter: when a combining mark follows
    /// it, the last character is a different letter (`e` is not `e` + U+0301).
    whole_letters: bool,
    overlapping: bool,
}

impl TextTerm {
    /// A word or phrase; `None` when it leaves nothing to look for.
    pub(super) fn literal(
        source: &str,
        kind: TermKind,
        folding: Folding,
    ) -> Result<Option<Self>, QueryError> {
        let pattern = literal_pattern(source, folding);
        if pattern.is_empty() {
            return Ok(None);
        }
        let regex = build(source, &pattern, folding.case_insensitive)?;
        Ok(Some(TextTerm {
            source: source.to_owned(),
            kind,
            regex,
            whole_letters: !folding.ignore_diacritics,
            overlapping: source.chars().count() <= OVERLAP_MAX_CHARS,
        }))
    }

    /// A regular expression, taken as written.
    pub(super) fn regex(source: &str, case_insensitive: bool) -> Result<Self, QueryError> {
        Ok(TextTerm {
            source: source.to_owned(),
            kind: TermKind::Regex,
            regex: build(source, source, case_insensitive)?,
            whole_letters: false,
            overlapping: false,
        })
    }

    /// The term as it was typed.
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn kind(&self) -> TermKind {
        self.kind
    }

    /// Whether `text` contains the term at least once.
    pub(super) fn is_found_in(&self, text: &str) -> bool {
        if self.whole_letters {
            self.next_match(text, 0).is_some()
        } else {
            self.regex.is_match(text)
        }
    }

    /// Appends the byte range of every occurrence in `text`, in order; ranges
    /// may overlap and always lie on character boundaries.
    pub(super) fn push_occurrences(&self, text: &str, out: &mut Vec<Range<usize>>) {
        if !self.whole_letters && !self.overlapping {
            out.extend(self.regex.find_iter(text).map(|m| m.range()));
            return;
        }
        let mut from = 0;
        while let Some(found) = self.next_match(text, from) {
            from = if self.overlapping || found.is_empty() {
                found.start + char_len_at(text, found.start)
            } else {
                found.end
            };
            out.push(found);
            if from > text.len() {
                break;
            }
        }
    }

    /// The first acceptable match starting at or after `from` (a char boundary).
    fn next_match(&self, text: &str, mut from: usize) -> Option<Range<usize>> {
        loop {
            let found = self.regex.find_at(text, from)?.range();
            let splits_a_letter = self.whole_letters
                && text[found.end..]
                    .chars()
                    .next()
                    .is_some_and(is_combining_mark);
            if !splits_a_letter {
                return Some(found);
            }
            from = found.start + char_len_at(text, found.start);
            if from > text.len() {
                return None;
            }
        }
    }
}

fn build(source: &str, pattern: &str, case_insensitive: bool) -> Result<Regex, QueryError> {
    RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .size_limit(MATCHER_SIZE_LIMIT)
        .dfa_size_limit(MATCHER_SIZE_LIMIT)
        .build()
        .map_err(|error| QueryError::from_regex(source, &error))
}

/// Length of the character at byte `at`, or 1 at the end so callers move past it.
fn char_len_at(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(1, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOLDED: Folding = Folding {
        case_insensitive: true,
        ignore_diacritics: false,
    };

    fn occurrences(term: &TextTerm, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        term.push_occurrences(text, &mut out);
        out
    }

    fn word(source: &str) -> TextTerm {
        match TextTerm::literal(source, TermKind::Word, FOLDED) {
            Ok(Some(term)) => term,
            other => panic!("{source:?} did not compile: {other:?}"),
        }
    }

    #[test]
    fn short_literals_report_overlapping_occurrences() {
        assert_eq!(occurrences(&word("aa"), "aaa"), vec![0..2, 1..3]);
    }

    #[test]
    fn long_literals_step_past_each_match() {
        let long = "a".repeat(OVERLAP_MAX_CHARS + 1);
        let text = "a".repeat(OVERLAP_MAX_CHARS * 3);
        let found = occurrences(&word(&long), &text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].start, found[0].end);
    }

    #[test]
    fn a_literal_never_ends_inside_a_letter() {
        let e = word("e");
        assert!(!e.is_found_in("cafe\u{301}"));
        assert_eq!(occurrences(&e, "e\u{301}e"), vec![3..4]);
    }

    #[test]
    fn regex_terms_report_non_overlapping_matches() {
        let term = TextTerm::regex("a+", false).map_err(|e| e.to_string());
        let term = term.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(occurrences(&term, "aa b aaa"), vec![0..2, 5..8]);
        assert_eq!(term.kind(), TermKind::Regex);
        assert_eq!(term.source(), "a+");
    }

    #[test]
    fn empty_regex_matches_do_not_loop() {
        let term = TextTerm::regex("x*", false).map_err(|e| e.to_string());
        let term = term.unwrap_or_else(|e| panic!("{e}"));
        assert!(term.is_found_in("abc"));
        assert_eq!(occurrences(&term, "aé").len(), 3);
    }

    #[test]
    fn oversized_matchers_are_refused() {
        let error = TextTerm::regex("(?:a{1000}){1000}", false).map(|t| t.source);
        assert!(
            matches!(error, Err(QueryError::TooLarge { .. })),
            "{error:?}"
        );
    }

    #[test]
    fn whitespace_only_literals_have_nothing_to_find() {
        let term = TextTerm::literal("  ", TermKind::Phrase, FOLDED);
        assert!(matches!(term, Ok(None)));
    }
}
