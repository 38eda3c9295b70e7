//! Reading a large annotations file with `ron` on every core. A file in the
//! layout gloss writes never comes here ([`super::reader`] reads it); one laid
//! out otherwise, edited by hand say, does. RON is parsed one character at a
//! time, so 100,000 highlights take most of a second on one core; the
//! highlights list is cut between entries and the pieces parsed side by side.
//!
//! This is only a faster road to the same result: any file whose shape is not
//! exactly the one gloss writes (comments or anything else between entries, a
//! piece that does not parse) gives `None`, and the caller parses it whole,
//! which also finds the position of any error.

use std::collections::BTreeMap;
use std::ops::Range;

use jiff::Timestamp;
use serde::Deserialize;

use super::nesting::{Brackets, TooDeep, check_nesting};
use crate::annotation::Highlight;

/// Files with fewer highlights are parsed whole; threads would not pay.
const MIN_HIGHLIGHTS: usize = 4096;

/// The file with its highlights parsed in pieces: the same as parsing it whole.
pub(super) struct ParsedInPieces {
    pub version: u32,
    pub highlights: Vec<Highlight>,
    pub deleted: BTreeMap<String, Timestamp>,
}

/// The document around the highlights list.
#[derive(Deserialize)]
struct Frame {
    version: u32,
    #[serde(default)]
    deleted: BTreeMap<String, Timestamp>,
}

/// Checks that `text` nests no deeper than `limit` and, when that helps,
/// parses it on several threads. `Ok(None)` means the file is to be parsed
/// whole: it is small, the machine has one core, or its shape is not the
/// usual one.
pub(super) fn parse_in_pieces(text: &str, limit: usize) -> Result<Option<ParsedInPieces>, TooDeep> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || text.len() < MIN_HIGHLIGHTS * 64 {
        check_nesting(text, limit)?;
        return Ok(None);
    }
    let Some((list, entries)) = highlight_entries(text, limit)? else {
        return Ok(None);
    };
    if entries.len() < MIN_HIGHLIGHTS || !only_separators_between(text, &list, &entries) {
        return Ok(None);
    }
    Ok(parse_entries(text, &list, &entries, threads))
}

fn parse_entries(
    text: &str,
    list: &Range<usize>,
    entries: &[Range<usize>],
    threads: usize,
) -> Option<ParsedInPieces> {
    let pieces = threads.min(8);
    let per_piece = entries.len().div_ceil(pieces);
    let frame = format!("{}{}", &text[..=list.start], &text[list.end..]);

    let parse_piece = |chunk: &[Range<usize>]| {
        let span = chunk[0].start..chunk[chunk.len() - 1].end;
        ron::from_str::<Vec<Highlight>>(&format!("[{}]", &text[span])).ok()
    };
    let mut chunks = entries.chunks(per_piece);
    let own_chunk = chunks.next()?;
    std::thread::scope(|scope| {
        let workers: Vec<_> = chunks
            .map(|chunk| scope.spawn(move || parse_piece(chunk)))
            .collect();
        let frame = ron::from_str::<Frame>(&frame).ok();
        let mut highlights = Vec::with_capacity(entries.len());
        highlights.extend(parse_piece(own_chunk)?);
        for worker in workers {
            highlights.extend(worker.join().ok()??);
        }
        let frame = frame?;
        Some(ParsedInPieces {
            version: frame.version,
            highlights,
            deleted: frame.deleted,
        })
    })
}

/// The span inside `highlights: [ … ]` (from the `[` to the `]`) and the span
/// of each `( … )` entry in it, if the list is there and holds only such
/// entries; checking on the way that nothing nests deeper than `limit`.
type Outline = Option<(Range<usize>, Vec<Range<usize>>)>;

fn highlight_entries(text: &str, limit: usize) -> Result<Outline, TooDeep> {
    let mut list_start = None;
    let mut list = None;
    let mut usable = true;
    let mut entries = Vec::new();
    let mut entry_start = None;
    for bracket in Brackets::new(text) {
        if bracket.opens && bracket.depth > limit {
            return Err(TooDeep {
                offset: bracket.offset,
            });
        }
        if list.is_some() || !usable {
            continue;
        }
        let Some(start) = list_start else {
            if bracket.opens
                && bracket.depth == 2
                && bracket.byte == b'['
                && names_highlights(text, bracket.offset)
            {
                list_start = Some(bracket.offset);
            }
            continue;
        };
        match (bracket.depth, bracket.opens) {
            (2, false) => list = Some(start..bracket.offset),
            (3, true) if bracket.byte == b'(' => entry_start = Some(bracket.offset),
            (3, false) => match entry_start.take() {
                Some(entry) => entries.push(entry..bracket.offset + 1),
                None => usable = false,
            },
            (3, true) => usable = false,
            _ => {}
        }
    }
    Ok(list.filter(|_| usable).map(|list| (list, entries)))
}

/// Whether the bracket at `offset` is the value of the `highlights` field.
fn names_highlights(text: &str, offset: usize) -> bool {
    let before = text[..offset].trim_end();
    let Some(before) = before.strip_suffix(':') else {
        return false;
    };
    let Some(before) = before.trim_end().strip_suffix("highlights") else {
        return false;
    };
    !before
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '#')
}

/// Whether nothing but blanks and single commas sits between the entries, so
/// that the pieces hold everything the list does.
fn only_separators_between(text: &str, list: &Range<usize>, entries: &[Range<usize>]) -> bool {
    let blank = |gap: &str| gap.trim().is_empty();
    let comma = |gap: &str| gap.trim() == ",";
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return false;
    };
    blank(&text[list.start + 1..first.start])
        && entries
            .windows(2)
            .all(|pair| comma(&text[pair[0].end..pair[1].start]))
        && {
            let tail = &text[last.end..list.end];
            blank(tail) || comma(tail)
        }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_found_around_strings_that_look_like_structure() {
        let text = r##"(version: 1, highlights: [(note: "), ("), (note: r#"]"#), ], deleted: {"h": "x"})"##;
        let (list, entries) = highlight_entries(text, 8).unwrap().unwrap();
        assert_eq!(&text[list.start..=list.start], "[");
        assert_eq!(&text[list.end..=list.end], "]");
        let found: Vec<&str> = entries.iter().map(|e| &text[e.clone()]).collect();
        assert_eq!(found, [r#"(note: "), (")"#, r##"(note: r#"]"#)"##]);
        assert!(only_separators_between(text, &list, &entries));
    }

    #[test]
    fn anything_but_separators_between_entries_is_refused() {
        for text in [
            "(version: 1, highlights: [5, (), ()])",
            "(version: 1, highlights: [(), /* c */ ()])",
            "(version: 1, highlights: [(), , ()])",
            "(version: 1, highlights: [() ()])",
        ] {
            let (list, entries) = highlight_entries(text, 8).unwrap().unwrap();
            assert!(!only_separators_between(text, &list, &entries), "{text}");
        }
        assert_eq!(
            highlight_entries("(version: 1, highlights: [[]])", 8),
            Ok(None)
        );
        assert_eq!(
            highlight_entries("(version: 1, my_highlights: [()])", 8),
            Ok(None)
        );
    }

    #[test]
    fn nesting_is_checked_after_the_list_too() {
        let text = format!(
            "(version: 1, highlights: [()], deleted: {})",
            "{".repeat(20)
        );
        assert_eq!(highlight_entries(&text, 8), Err(TooDeep { offset: 40 + 7 }));
    }
}
