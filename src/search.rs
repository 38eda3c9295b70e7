//! Finding passages by keyword: the query language gloss understands and the
//! matcher that answers "does this passage match, and where?". The reader's `/`
//! filter, the library-wide search and `gloss search` all sit on this module,
//! which knows nothing of the terminal.
//!
//! A query is whitespace-separated terms that must all match one passage;
//! `"quoted phrases"` match as one string, `-term` excludes, `tag:NAME` and
//! `has:note` ask about annotations through [`PassageFacts`]. Matching is
//! smart-case (case-insensitive unless the query has an upper-case letter) with
//! Unicode case folding, canonical equivalence, and optional regex and
//! diacritics-insensitive modes. Every term is one linear-time regex run over the
//! original text, so match ranges need no mapping back from a folded copy.

mod diacritics;
mod error;
mod filter;
mod literal;
mod parse;
mod ranges;

pub use ranges::merge as merge_ranges;
mod term;
#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::ops::Range;

pub use error::QueryError;
pub use filter::{ArticleMatches, Hit, filter_article, filter_article_with};
pub use term::{TermKind, TextTerm};

use literal::Folding;
use parse::{Piece, Token};

/// Switches chosen outside the query text (keys in the reader, flags on the
/// command line).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueryOptions {
    /// Each term is a regular expression instead of literal text.
    pub regex: bool,
    /// Letters match whatever diacritics they carry (`e` finds `é`). Literal
    /// terms only: a regex is taken as written.
    pub diacritics_insensitive: bool,
}

/// What one clause of a query looks for.
#[derive(Debug, Clone)]
pub enum Term {
    /// A word, phrase or regex found in the passage text.
    Text(TextTerm),
    /// `tag:NAME`: the passage carries a highlight with this tag.
    Tag(String),
    /// `has:note`: the passage carries a note.
    HasNote,
}

/// A term and whether the query wants it present or, with `-`, absent.
#[derive(Debug, Clone)]
pub struct Clause {
    pub term: Term,
    pub excluded: bool,
}

/// What a query can ask about a passage besides its text. The annotation store
/// answers it; the matcher's API stays the same whatever gets annotated.
pub trait PassageFacts {
    /// Whether the passage carries a highlight tagged `tag`.
    fn has_tag(&self, tag: &str) -> bool;
    /// Whether the passage carries a note.
    fn has_note(&self) -> bool;
}

/// A passage with no annotations: `tag:` and `has:note` never match it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unannotated;

impl PassageFacts for Unannotated {
    fn has_tag(&self, _tag: &str) -> bool {
        false
    }

    fn has_note(&self) -> bool {
        false
    }
}

/// A parsed, compiled query, ready to run over many passages.
#[derive(Debug, Clone, Default)]
pub struct Query {
    clauses: Vec<Clause>,
    case_sensitive: bool,
    options: QueryOptions,
}

impl Query {
    /// Parses and compiles `input`. An empty or blank input gives the empty
    /// query, which matches everything.
    pub fn parse(input: &str, options: QueryOptions) -> Result<Query, QueryError> {
        let mut tokens = parse::tokenize(input)?;
        // A repeated term changes nothing but the time spent compiling it again.
        let mut seen = HashSet::new();
        tokens.retain(|token| seen.insert(token.clone()));
        let case_sensitive = tokens
            .iter()
            .any(|token| mentions_upper_case(token, options));
        let folding = Folding {
            case_insensitive: !case_sensitive,
            ignore_diacritics: options.diacritics_insensitive,
        };
        let mut clauses = Vec::with_capacity(tokens.len());
        for Token { piece, excluded } in tokens {
            let term = match piece {
                Piece::Tag(name) => Term::Tag(name),
                Piece::HasNote => Term::HasNote,
                Piece::Word(text) | Piece::Phrase(text) if options.regex => {
                    Term::Text(TextTerm::regex(&text, folding.case_insensitive)?)
                }
                Piece::Word(text) => match TextTerm::literal(&text, TermKind::Word, folding)? {
                    Some(term) => Term::Text(term),
                    None => continue,
                },
                Piece::Phrase(text) => match TextTerm::literal(&text, TermKind::Phrase, folding)? {
                    Some(term) => Term::Text(term),
                    None => continue,
                },
            };
            clauses.push(Clause { term, excluded });
        }
        Ok(Query {
            clauses,
            case_sensitive,
            options,
        })
    }

    /// No clause at all: the query matches everything and lights nothing.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// Whether smart case made this query case-sensitive.
    pub fn is_case_sensitive(&self) -> bool {
        self.case_sensitive
    }

    pub fn options(&self) -> QueryOptions {
        self.options
    }

    pub fn clauses(&self) -> &[Clause] {
        &self.clauses
    }

    /// Whether answering needs [`PassageFacts`] (the query has `tag:` or `has:`).
    pub fn uses_annotations(&self) -> bool {
        self.clauses
            .iter()
            .any(|clause| !matches!(clause.term, Term::Text(_)))
    }

    /// Whether a passage with this text and no annotations matches.
    pub fn matches(&self, text: &str) -> bool {
        self.matches_passage(text, &Unannotated)
    }

    /// Whether a passage with this text and these annotations matches: every
    /// plain clause holds and no excluded one does.
    pub fn matches_passage<F: PassageFacts + ?Sized>(&self, text: &str, facts: &F) -> bool {
        self.clauses.iter().all(|clause| {
            let holds = match &clause.term {
                Term::Text(term) => term.is_found_in(text),
                Term::Tag(name) => facts.has_tag(name),
                Term::HasNote => facts.has_note(),
            };
            holds != clause.excluded
        })
    }

    /// Byte ranges of `text` to light: every occurrence of every wanted text
    /// term, sorted, with overlapping and touching ranges merged. Ranges lie on
    /// character boundaries of `text`. It does not check that the passage
    /// matches as a whole; ask [`Query::matches`] for that.
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        for clause in self.clauses.iter().filter(|clause| !clause.excluded) {
            if let Term::Text(term) = &clause.term {
                term.push_occurrences(text, &mut found);
            }
        }
        ranges::merge(found)
    }

    /// The lit ranges of a passage with this text and these annotations, as
    /// [`Query::find`] gives them, if it matches ([`Query::matches_passage`]);
    /// `None` if it does not. One pass over the text per term, where asking
    /// both questions takes two.
    pub fn find_in_passage<F: PassageFacts + ?Sized>(
        &self,
        text: &str,
        facts: &F,
    ) -> Option<Vec<Range<usize>>> {
        let mut found = Vec::new();
        for clause in &self.clauses {
            let holds = match &clause.term {
                Term::Text(term) if !clause.excluded => {
                    let before = found.len();
                    term.push_occurrences(text, &mut found);
                    found.len() > before
                }
                Term::Text(term) => term.is_found_in(text),
                Term::Tag(name) => facts.has_tag(name),
                Term::HasNote => facts.has_note(),
            };
            if holds == clause.excluded {
                return None;
            }
        }
        Some(ranges::merge(found))
    }
}

/// Smart case: whether a word or phrase contains an upper-case letter. In a
/// regex, escapes (`\S`, `\p{Lu}`, `\x4A`) and group names are not letters typed.
fn mentions_upper_case(token: &Token, options: QueryOptions) -> bool {
    let (Piece::Word(text) | Piece::Phrase(text)) = &token.piece else {
        return false;
    };
    if options.regex {
        regex_mentions_upper_case(text)
    } else {
        text.chars().any(char::is_uppercase)
    }
}

fn regex_mentions_upper_case(pattern: &str) -> bool {
    let chars: Vec<char> = pattern.chars().collect();
    let mut at = 0;
    while let Some(&c) = chars.get(at) {
        let rest = &chars[at..];
        at += match rest {
            ['\\', escaped @ ..] => 1 + escape_len(escaped),
            ['(', '?', 'P', '<', ..] | ['(', '?', '<', ..] => rest
                .iter()
                .position(|&c| c == '>')
                .map_or(rest.len(), |end| end + 1),
            _ if c.is_uppercase() => return true,
            _ => 1,
        };
    }
    false
}

/// Characters an escape uses after its backslash.
fn escape_len(escaped: &[char]) -> usize {
    let hex_run = |max: usize| {
        1 + escaped[1..]
            .iter()
            .take(max)
            .take_while(|c| c.is_ascii_hexdigit())
            .count()
    };
    match escaped {
        [] => 0,
        ['p' | 'P' | 'x' | 'u' | 'U', '{', ..] => escaped
            .iter()
            .position(|&c| c == '}')
            .map_or(escaped.len(), |end| end + 1),
        ['p' | 'P', _, ..] => 2,
        ['x', ..] => hex_run(2),
        ['u', ..] => hex_run(4),
        ['U', ..] => hex_run(8),
        [_, ..] => 1,
    }
}
