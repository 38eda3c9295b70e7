//! The query language as typed: words, `"quoted phrases"`, `-` to exclude, and the
//! reserved `tag:NAME` / `has:note` filters. This step only splits and classifies;
//! compiling the pieces into matchers is [`super::Query::parse`]'s job.

use std::iter::Peekable;
use std::str::Chars;

use super::error::{QueryError, quoted};

/// One piece of a query, before compiling.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Piece {
    Word(String),
    Phrase(String),
    Tag(String),
    HasNote,
}

/// A piece and whether it was written with a leading `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Token {
    pub piece: Piece,
    pub excluded: bool,
}

const TAG_PREFIX: &str = "tag:";
const HAS_PREFIX: &str = "has:";

/// Splits `input` into pieces. Quotes group words into a phrase (an unclosed
/// quote runs to the end); a `-` before a word or phrase excludes it, a lone `-`
/// is an ordinary word; empty phrases are dropped.
pub(super) fn tokenize(input: &str) -> Result<Vec<Token>, QueryError> {
    let mut chars = input.chars().peekable();
    let mut tokens = Vec::new();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else {
            return Ok(tokens);
        };
        let mut excluded = false;
        if first == '-' {
            chars.next();
            match chars.peek() {
                Some(next) if !next.is_whitespace() => excluded = true,
                _ => {
                    tokens.push(Token {
                        piece: Piece::Word("-".into()),
                        excluded: false,
                    });
                    continue;
                }
            }
        }
        if let Some(piece) = read_piece(&mut chars)? {
            tokens.push(Token { piece, excluded });
        }
    }
}

fn read_piece(chars: &mut Peekable<Chars<'_>>) -> Result<Option<Piece>, QueryError> {
    if chars.next_if_eq(&'"').is_some() {
        let phrase = read_phrase(chars);
        return Ok((!phrase.trim().is_empty()).then_some(Piece::Phrase(phrase)));
    }
    let word = read_word(chars);
    if let Some(name) = word.strip_prefix(TAG_PREFIX) {
        let name = if name.is_empty() && chars.next_if_eq(&'"').is_some() {
            read_phrase(chars).trim().to_owned()
        } else {
            name.to_owned()
        };
        return if name.is_empty() {
            Err(QueryError::MissingTagName)
        } else {
            Ok(Some(Piece::Tag(name)))
        };
    }
    if let Some(what) = word.strip_prefix(HAS_PREFIX) {
        return if what == "note" {
            Ok(Some(Piece::HasNote))
        } else {
            Err(QueryError::UnknownFilter {
                filter: quoted(&word),
            })
        };
    }
    Ok(Some(Piece::Word(word)))
}

/// Characters up to the next whitespace. `tag:` stops early when a quote follows
/// it, so `tag:"two words"` keeps its quoted name together.
fn read_word(chars: &mut Peekable<Chars<'_>>) -> String {
    let mut word = String::new();
    while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
        word.push(c);
        if word == TAG_PREFIX && chars.peek() == Some(&'"') {
            break;
        }
    }
    word
}

/// Characters up to the closing quote (consumed) or the end of the input.
fn read_phrase(chars: &mut Peekable<Chars<'_>>) -> String {
    chars.by_ref().take_while(|&c| c != '"').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(input: &str) -> Vec<(bool, Piece)> {
        match tokenize(input) {
            Ok(tokens) => tokens.into_iter().map(|t| (t.excluded, t.piece)).collect(),
            Err(error) => panic!("{input:?}: {error}"),
        }
    }

    fn word(w: &str) -> Piece {
        Piece::Word(w.into())
    }

    #[test]
    fn words_split_on_any_whitespace() {
        assert_eq!(
            pieces("  funding\tmobility \n metrics "),
            vec![
                (false, word("funding")),
                (false, word("mobility")),
                (false, word("metrics"))
            ]
        );
        assert!(pieces(" \t ").is_empty());
    }

    #[test]
    fn quotes_make_phrases_even_when_unclosed() {
        assert_eq!(
            pieces(r#"a "cultural  exchange" b "open end"#),
            vec![
                (false, word("a")),
                (false, Piece::Phrase("cultural  exchange".into())),
                (false, word("b")),
                (false, Piece::Phrase("open end".into())),
            ]
        );
        assert!(pieces(r#""" "  ""#).is_empty());
    }

    #[test]
    fn a_leading_dash_excludes_words_and_phrases() {
        assert_eq!(
            pieces(r#"-ads -"related articles" - x-ray"#),
            vec![
                (true, word("ads")),
                (true, Piece::Phrase("related articles".into())),
                (false, word("-")),
                (false, word("x-ray")),
            ]
        );
        assert_eq!(pieces("--x"), vec![(true, word("-x"))]);
    }

    #[test]
    fn filters_are_recognised() {
        assert_eq!(
            pieces(r#"tag:funding -has:note tag:"two words" "tag:literal""#),
            vec![
                (false, Piece::Tag("funding".into())),
                (true, Piece::HasNote),
                (false, Piece::Tag("two words".into())),
                (false, Piece::Phrase("tag:literal".into())),
            ]
        );
    }

    #[test]
    fn broken_filters_say_what_to_type() {
        assert_eq!(tokenize("tag:"), Err(QueryError::MissingTagName));
        assert_eq!(tokenize(r#"tag:"""#), Err(QueryError::MissingTagName));
        assert_eq!(
            tokenize("has:notes"),
            Err(QueryError::UnknownFilter {
                filter: "has:notes".into()
            })
        );
    }
}
