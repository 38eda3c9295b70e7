//! Turns a typed word or phrase into the regex source that finds it under gloss's
//! matching rules, so one fast, linear-time engine does every search and reports
//! ranges in the original text (no folded copy of the text, no offset mapping):
//!
//! - canonical equivalence: `é` finds both `é` and `e` + U+0301;
//! - case folding: the engine's simple Unicode folding (Ä/ä, Σ/σ/ς, K/Kelvin sign)
//!   plus the two full foldings people meet in prose, `ß`/`ẞ` = `ss` and `İ` = `i̇`
//!   (other full foldings, such as the `ﬁ` ligature, are left out; a run of three
//!   or more `s` pairs from the left, so `sss` finds `ßs` but not `sß`);
//! - whitespace inside a phrase matches any run of whitespace;
//! - optionally, a letter matches whatever diacritics it carries (`e` finds `é`).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::decompose_canonical;

use super::diacritics::{strip_marks, variants_of};

/// How loosely a literal matches the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Folding {
    pub case_insensitive: bool,
    pub ignore_diacritics: bool,
}

/// Marks a letter may carry in decomposed text when diacritics are ignored: the
/// combining diacritical mark blocks. The whole `\p{M}` class after every letter
/// makes long terms too large to compile, and these blocks are where the marks of
/// Latin, Greek and Cyrillic text live.
const TRAILING_MARKS: &str =
    r"[\x{300}-\x{36F}\x{1AB0}-\x{1AFF}\x{1DC0}-\x{1DFF}\x{20D0}-\x{20FF}\x{FE20}-\x{FE2F}]*";

/// The regex source that finds `literal`; empty when `literal` has no character
/// left to look for (only whitespace, or only marks with diacritics ignored).
pub(super) fn literal_pattern(literal: &str, folding: Folding) -> String {
    let normalized: String = if folding.ignore_diacritics {
        strip_marks(literal)
    } else {
        literal.nfc().collect()
    };
    let words: Vec<String> = normalized
        .split_whitespace()
        .map(|word| word_pattern(word, folding))
        .collect();
    words.join(r"\s+")
}

fn word_pattern(word: &str, folding: Folding) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut pattern = String::with_capacity(word.len() * 2);
    let mut rest = chars.as_slice();
    while !rest.is_empty() {
        let used = push_piece(&mut pattern, rest, folding);
        if folding.ignore_diacritics {
            pattern.push_str(TRAILING_MARKS);
        }
        rest = &rest[used..];
    }
    pattern
}

/// Appends the pattern for the characters at the start of `rest` (never empty) and
/// returns how many characters it covered.
fn push_piece(pattern: &mut String, rest: &[char], folding: Folding) -> usize {
    let case_insensitive = folding.case_insensitive;
    match rest {
        // Under the regex engine's `(?i)`, `s` also finds `S`/`ſ` and `ß` finds `ẞ`.
        ['s', 's', ..] if case_insensitive => {
            pattern.push_str("(?:ss|ß)");
            2
        }
        ['ß', ..] if case_insensitive => {
            pattern.push_str("(?:ß|ss)");
            1
        }
        ['i', '\u{307}', ..] if case_insensitive => {
            pattern.push_str(r"(?:i\x{307}|İ)");
            2
        }
        [c, ..] if folding.ignore_diacritics => {
            push_letter_class(pattern, *c, case_insensitive);
            1
        }
        [c, ..] => {
            push_canonical_forms(pattern, *c);
            1
        }
        [] => 0,
    }
}

/// `c` and every letter that is `c` plus marks. Case variants come from the
/// engine's `(?i)`, except those simple folding misses (`İ` for `i`), which are
/// added through the upper-case base.
fn push_letter_class(pattern: &mut String, c: char, case_insensitive: bool) {
    let mut members: Vec<char> = vec![c];
    members.extend_from_slice(variants_of(c));
    if case_insensitive {
        for upper in c.to_uppercase().filter(|&u| u != c) {
            members.push(upper);
            members.extend_from_slice(variants_of(upper));
        }
    }
    if members.len() == 1 {
        push_escaped(pattern, c);
        return;
    }
    pattern.push('[');
    for member in members {
        push_escaped(pattern, member);
    }
    pattern.push(']');
}

/// `c` in its composed form or its canonical decomposition.
fn push_canonical_forms(pattern: &mut String, c: char) {
    let mut decomposed = Vec::with_capacity(4);
    decompose_canonical(c, |part| decomposed.push(part));
    if decomposed == [c] {
        push_escaped(pattern, c);
        return;
    }
    pattern.push_str("(?:");
    push_escaped(pattern, c);
    pattern.push('|');
    for part in decomposed {
        push_escaped(pattern, part);
    }
    pattern.push(')');
}

fn push_escaped(pattern: &mut String, c: char) {
    let mut buffer = [0; 4];
    pattern.push_str(&regex::escape(c.encode_utf8(&mut buffer)));
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXACT: Folding = Folding {
        case_insensitive: false,
        ignore_diacritics: false,
    };
    const FOLDED: Folding = Folding {
        case_insensitive: true,
        ignore_diacritics: false,
    };

    #[test]
    fn plain_words_are_escaped_literally() {
        assert_eq!(literal_pattern("a.b*c", EXACT), r"a\.b\*c");
        assert_eq!(literal_pattern("成果", EXACT), "成果");
    }

    #[test]
    fn phrase_whitespace_becomes_any_run_of_whitespace() {
        assert_eq!(
            literal_pattern("  cultural \t exchange ", EXACT),
            r"cultural\s+exchange"
        );
    }

    #[test]
    fn nothing_to_find_gives_an_empty_pattern() {
        assert_eq!(literal_pattern(" \t ", EXACT), "");
        let no_marks = Folding {
            case_insensitive: true,
            ignore_diacritics: true,
        };
        assert_eq!(literal_pattern("\u{301}", no_marks), "");
    }

    #[test]
    fn composed_letters_also_match_their_decomposition() {
        assert_eq!(literal_pattern("é", EXACT), "(?:é|e\u{301})");
        // A decomposed term is composed first, so both spellings find both.
        assert_eq!(literal_pattern("e\u{301}", EXACT), "(?:é|e\u{301})");
    }

    #[test]
    fn full_folding_applies_only_when_case_is_ignored() {
        assert_eq!(literal_pattern("strasse", FOLDED), "stra(?:ss|ß)e");
        assert_eq!(literal_pattern("straße", FOLDED), "stra(?:ß|ss)e");
        assert_eq!(literal_pattern("Straße", EXACT), "Straße");
        assert_eq!(literal_pattern("i\u{307}", FOLDED), r"(?:i\x{307}|İ)");
    }

    #[test]
    fn ignoring_diacritics_builds_classes_and_absorbs_marks() {
        let folding = Folding {
            case_insensitive: true,
            ignore_diacritics: true,
        };
        let pattern = literal_pattern("é", folding);
        assert!(pattern.starts_with("[eè"), "{pattern}");
        assert!(pattern.contains('é') && pattern.contains('É'));
        assert!(pattern.ends_with(TRAILING_MARKS));
    }
}
