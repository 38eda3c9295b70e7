//! Whether the words of an article can be looked for in its raw Markdown.
//!
//! A search may skip parsing a file whose raw text cannot hold a match, but
//! only if the words of its passages appear in the file as they appear in the
//! passages. Parsing can join two pieces of a word into one: markup inside it
//! (`fund**ing**`, `fund<!-- -->ing`, `[fund](url)ing`), an entity
//! (`caf&eacute;`), the spaces a code span loses (`a` b `c`), or a control
//! character that sanitizing removes. This module finds every place where that
//! could happen, erring towards "it could": a wrong "yes" only costs a parse.

use std::ops::Range;

/// ASCII bytes that may vanish from between two characters of a word:
/// emphasis and code delimiters, escapes, link and image brackets, link
/// destinations, tags and autolinks.
const MARKUP: &[u8] = b"*_`\\[]!<>()";

/// Named entities whose character is not part of a word (ASCII punctuation).
const PUNCTUATION_ENTITIES: &[&[u8]] = &[b"amp", b"lt", b"gt", b"quot", b"apos"];

/// What a byte may start, for the single pass over a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Nothing to look at: letters, digits, spaces, most punctuation, most
    /// bytes of non-ASCII characters.
    Plain,
    /// One of [`MARKUP`].
    Markup,
    /// A control character other than tab and line breaks.
    Control,
    /// The first byte of a C1 control, a bidi control or a byte order mark,
    /// or of many harmless characters.
    Lead,
    /// `&`, which may start an entity.
    Ampersand,
    /// `\n`: code spans are paired within a line.
    LineBreak,
}

const KINDS: [Kind; 256] = kinds();

const fn kinds() -> [Kind; 256] {
    let mut kinds = [Kind::Plain; 256];
    let mut byte = 0;
    while byte < 0x20 {
        if !matches!(byte, b'\t' | b'\n' | b'\r') {
            kinds[byte as usize] = Kind::Control;
        }
        byte += 1;
    }
    kinds[0x7f] = Kind::Control;
    let mut index = 0;
    while index < MARKUP.len() {
        kinds[MARKUP[index] as usize] = Kind::Markup;
        index += 1;
    }
    kinds[0xc2] = Kind::Lead;
    kinds[0xe2] = Kind::Lead;
    kinds[0xef] = Kind::Lead;
    kinds[b'&' as usize] = Kind::Ampersand;
    kinds[b'\n' as usize] = Kind::LineBreak;
    kinds
}

fn kind(byte: u8) -> Kind {
    KINDS[usize::from(byte)]
}

/// 1 for each byte that is not [`Kind::Plain`], for [`next_special`].
const SPECIAL: [u8; 256] = special();

const fn special() -> [u8; 256] {
    let mut special = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        special[byte] = !matches!(KINDS[byte], Kind::Plain) as u8;
        byte += 1;
    }
    special
}

/// The first byte at or after `from` that is not [`Kind::Plain`]. Tests
/// sixteen bytes per step with one branch: this runs over every byte of
/// every file a search leaves out, and most bytes are plain.
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let is_special = |byte: &u8| SPECIAL[usize::from(*byte)] != 0;
    let mut chunks = rest.chunks_exact(16);
    let mut offset = from;
    for chunk in &mut chunks {
        if chunk
            .iter()
            .fold(0, |any, &byte| any | SPECIAL[usize::from(byte)])
            != 0
        {
            return chunk.iter().position(is_special).map(|at| offset + at);
        }
        offset += 16;
    }
    chunks
        .remainder()
        .iter()
        .position(is_special)
        .map(|at| offset + at)
}

/// Whether every maximal run of word characters (ASCII letters and digits,
/// and every non-ASCII character) in the text of any passage parsed from
/// `source` appears verbatim in `source`. `false` means "not certain".
///
/// One pass that skips plain bytes quickly: a search runs it over every file
/// the query cannot match.
pub fn words_are_verbatim(source: &str) -> bool {
    // Parsing drops a leading byte order mark.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let bytes = source.as_bytes();
    let mut index = 0;
    let mut line_start = 0;
    // The backtick runs of the current line, from its start.
    let mut backticks: Vec<Range<usize>> = Vec::new();
    while let Some(at) = next_special(bytes, index) {
        index = at + 1;
        let doubt = match kind(bytes[at]) {
            Kind::Plain => false,
            Kind::Control => true,
            Kind::Lead => is_hidden_at(bytes, at),
            Kind::Ampersand => is_word_entity_at(bytes, at),
            Kind::LineBreak => {
                let line = &bytes[line_start..at];
                let doubt = !backticks.is_empty() && has_padded_code_span(line, &backticks);
                backticks.clear();
                line_start = at + 1;
                doubt
            }
            Kind::Markup => {
                let run = at..markup_run_end(bytes, at);
                index = run.end;
                push_backtick_runs(bytes, run.clone(), line_start, &mut backticks);
                run_may_join(bytes, run)
            }
        };
        if doubt {
            return false;
        }
    }
    backticks.is_empty() || !has_padded_code_span(&bytes[line_start..], &backticks)
}

/// ASCII letters and digits, and every byte of a non-ASCII character (a
/// letter, a mark, a non-ASCII space or sign: all count, to be safe).
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || !byte.is_ascii()
}

/// Characters sanitizing removes or changes beyond line breaks and tabs:
/// other controls (they may start escape sequences that take more text with
/// them), C1 controls, bidi controls and byte order marks.
pub(super) fn has_hidden_characters(bytes: &[u8]) -> bool {
    let mut index = 0;
    while let Some(at) = next_special(bytes, index) {
        match kind(bytes[at]) {
            Kind::Control => return true,
            Kind::Lead if is_hidden_at(bytes, at) => return true,
            _ => index = at + 1,
        }
    }
    false
}

/// Whether the character starting at `at` (a [`Kind::Lead`] byte) is a C1
/// control, a bidi control or a byte order mark.
fn is_hidden_at(bytes: &[u8], at: usize) -> bool {
    let next = |n: usize| bytes.get(at + n).copied().unwrap_or(0);
    match bytes[at] {
        0xc2 => (0x80..=0x9f).contains(&next(1)),
        0xe2 => matches!(
            (next(1), next(2)),
            (0x80, 0xaa..=0xae) | (0x81, 0xa6..=0xa9)
        ),
        0xef => next(1) == 0xbb && next(2) == 0xbf,
        _ => false,
    }
}

fn markup_run_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|&b| kind(b) != Kind::Markup)
        .map_or(bytes.len(), |length| start + length)
}

/// Whether a run of markup bytes could join the word characters around it:
/// it has a word character on both sides, or a tag or autolink opens right
/// after one (`fund<!-- -->ing`), or a tag, link or reference closes right
/// before one (`[fund](/)ing`). What follows a link's `](` or a reference's
/// `][` is the destination or label, which vanishes: the `)` or `]` that
/// closes it is the run to judge.
fn run_may_join(bytes: &[u8], run: Range<usize>) -> bool {
    let word_before = run.start > 0 && is_word_byte(bytes[run.start - 1]);
    let word_after = bytes.get(run.end).is_some_and(|&b| is_word_byte(b));
    let run = &bytes[run];
    let opens_destination = run.windows(2).any(|pair| matches!(pair, b"](" | b"]["));
    let opens_tag = run.contains(&b'<');
    let closes = run.last().is_some_and(|b| matches!(b, b'>' | b')' | b']'));
    (word_before && word_after && !opens_destination)
        || (word_before && opens_tag)
        || (word_after && closes)
}

/// Whether the `&` at `at` starts a numeric character reference, or a named
/// one whose character could be part of a word.
fn is_word_entity_at(bytes: &[u8], at: usize) -> bool {
    let rest = &bytes[at + 1..];
    if rest.first() == Some(&b'#') {
        return true;
    }
    let name_len = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let is_reference = name_len > 0 && rest.get(name_len) == Some(&b';');
    is_reference && !PUNCTUATION_ENTITIES.contains(&&rest[..name_len])
}

/// Appends the runs of backticks inside the markup run `run`, as ranges from
/// `line_start`.
fn push_backtick_runs(
    bytes: &[u8],
    run: Range<usize>,
    line_start: usize,
    backticks: &mut Vec<Range<usize>>,
) {
    let mut index = run.start;
    while index < run.end {
        if bytes[index] == b'`' {
            let start = index;
            while index < run.end && bytes[index] == b'`' {
                index += 1;
            }
            backticks.push(start - line_start..index - line_start);
        } else {
            index += 1;
        }
    }
}

/// Whether `line`, whose backtick runs are `runs`, has a code span whose
/// content starts and ends with a space next to a word character: the
/// parser drops those spaces, so `a` b `c` reads `abc`. Spans are paired
/// within the line; a run that pairs with nothing (a span over several
/// lines) or follows a backslash counts as doubt, except for a code fence.
fn has_padded_code_span(line: &[u8], runs: &[Range<usize>]) -> bool {
    if runs
        .iter()
        .any(|run| run.start > 0 && line[run.start - 1] == b'\\')
    {
        return true;
    }
    if let [only] = runs
        && is_fence(line, only)
    {
        return false;
    }
    let mut first = 0;
    while first < runs.len() {
        let open = &runs[first];
        let Some(offset) = runs[first + 1..]
            .iter()
            .position(|close| close.len() == open.len())
        else {
            return true;
        };
        let close = &runs[first + 1 + offset];
        let content = &line[open.end..close.start];
        let padded = content.len() >= 2
            && content.first() == Some(&b' ')
            && content.last() == Some(&b' ')
            && content.iter().any(|&b| b != b' ');
        let word_outside = (open.start > 0 && is_word_byte(line[open.start - 1]))
            || line.get(close.end).is_some_and(|&b| is_word_byte(b));
        if padded && word_outside {
            return true;
        }
        first += offset + 2;
    }
    false
}

/// Whether `run` is a code fence: three or more backticks after nothing but
/// indentation and container markers (`>`, list bullets and numbers).
fn is_fence(line: &[u8], run: &Range<usize>) -> bool {
    run.len() >= 3
        && line[..run.start].iter().all(|b| {
            matches!(
                b,
                b' ' | b'\t' | b'>' | b'-' | b'*' | b'+' | b'.' | b')' | b'0'..=b'9'
            )
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::library::{Origin, parse_article};
    use proptest::prelude::*;

    #[test]
    fn ordinary_prose_with_markup_is_verbatim() {
        for source in [
            "---\ntitle: T\n---\n\n# Title\n\n**Funding** rose, *sharply*. See [the report](https://x.org/a) \
             and `code`.\n\n> Quoted, with R&amp;D.\n\n- item (aside) — 成果 **Zürich**.\n",
            "```rust\nlet x = `a`;\n```\n\nText.\n",
            "\u{feff}Text with a leading byte order mark.\n",
            "Tabs\tand\r\nline breaks.\n",
        ] {
            assert!(words_are_verbatim(source), "{source:?}");
        }
    }

    #[test]
    fn special_bytes_are_found_wherever_they_fall_in_a_step() {
        for at in 0..20 {
            let mut text = vec![b'a'; 20];
            text[at] = b'*';
            assert_eq!(next_special(&text, 0), Some(at));
            assert_eq!(next_special(&text, at), Some(at));
            assert_eq!(next_special(&text, at + 1), None);
        }
        assert_eq!(next_special(b"", 0), None);
        assert_eq!(next_special(b"ab", 5), None);
    }

    #[test]
    fn anything_that_could_join_a_word_is_doubt() {
        for source in [
            "fund**ing**",
            "fund_ing",
            "x![alt](src)",
            "[fund](url)ing",
            "[fund](<url>)ing",
            "[fund][ref]ing",
            "[fund][]ing",
            "fund<b>ing</b>",
            "fund<!-- note -->ing",
            "fund <!-- -->ing",
            "caf&eacute;",
            "&#102;unding",
            "a&nbsp;b",
            "a` b `c",
            "a `b\nc` d",
            "a \\` b",
            "fund\u{7}ing",
            "fund\u{1b}[1ming",
            "fund\u{9b}1ming",
            "fund\u{202e}ing",
            "fund\u{feff}ing",
        ] {
            assert!(!words_are_verbatim(source), "{source:?}");
        }
    }

    /// Maximal runs of word characters in `text`.
    fn word_runs(text: &str) -> Vec<&str> {
        text.split(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric())
            .filter(|run| !run.is_empty())
            .collect()
    }

    proptest! {
        #[test]
        fn verbatim_sources_keep_every_word_of_their_passages(source in markdown_source()) {
            if !words_are_verbatim(&source) {
                return Ok(());
            }
            let Ok(article) = parse_article(&source, Origin::Bundled("p.md".into())) else {
                return Ok(());
            };
            for block in article.blocks.iter().filter(|b| b.is_passage()) {
                for run in word_runs(&block.text) {
                    prop_assert!(source.contains(run), "{run:?} of {:?}", block.text);
                }
            }
        }
    }

    /// Mostly words, spaces and line breaks, with every kind of markup mixed in.
    fn markdown_source() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            8 => "[a-z]{2,5}",
            6 => prop::sample::select(vec![" ", "\n", "\n\n", "  "]).prop_map(str::to_owned),
            1 => prop::sample::select(vec!["é", "成", "\u{301}", "\u{a0}"]).prop_map(str::to_owned),
            4 => prop::sample::select(vec![
                "*", "**", "_", "`", "``", "```", "\\", "[", "]", "(", ")", "![", "](", "<", ">",
                "<b>", "</b>", "<!--", "-->", "&amp;", "&eacute;", "&#97;", "&nbsp;", "& ",
                "> ", "- ", "1. ", "# ", "    ", "\t", "\r", "~~~", "---", "[a]: /u\n", "&",
                ";", ":", "<http://a>", "\u{1b}", "\u{7}", "\u{85}", "\u{202e}", "\u{feff}",
            ])
            .prop_map(str::to_owned),
        ];
        prop::collection::vec(piece, 1..40).prop_map(|pieces| pieces.concat())
    }
}
