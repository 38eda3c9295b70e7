//! The text of `annotations.ron`: writing it in an order that keeps diffs small,
//! and reading it back while telling a damaged file or one from a newer gloss
//! apart from a good one, without ever letting the parser overflow the stack.
//!
//! The file looks like
//!
//! ```text
//! (
//!     version: 1,
//!     highlights: [
//!         (
//!             id: "h-…",
//!             article: "…",
//!             …
//!         ),
//!     ],
//!     deleted: {
//!         "h-…": "2026-01-02T03:04:05Z",
//!     },
//! )
//! ```
//!
//! with highlights sorted by article, position and id and one field per line,
//! so that the difference between two saves shows only what changed. Writing
//! it is [`super::writer`]'s work; a file in exactly that layout is read by
//! [`super::reader`], any other (a file edited by hand, say) by `ron`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use jiff::Timestamp;
use serde::Deserialize;

use super::Annotations;
use super::nesting::check_nesting;
use super::parallel::{ParsedInPieces, parse_in_pieces};
use super::reader::read_canonical;
use super::writer::write_file;
use crate::annotation::Highlight;
use crate::store::{leading_version, line_and_column};

/// The format version this gloss writes and the newest it reads.
pub const ANNOTATIONS_VERSION: u32 = 1;

/// Files nested deeper than this are refused before parsing. An annotations
/// file needs five levels; the rest is room for later versions.
pub const MAX_NESTING: usize = 64;

/// The file as read.
#[derive(Deserialize)]
pub(super) struct FileIn {
    pub version: u32,
    #[serde(default)]
    pub highlights: Vec<Highlight>,
    #[serde(default)]
    pub deleted: BTreeMap<String, Timestamp>,
}

/// Only the version, read when the rest does not parse: a newer format must
/// be recognised even then, and left alone.
#[derive(Deserialize)]
struct VersionOnly {
    version: u32,
}

/// What reading the file gave, before deciding what to do about it.
pub(super) enum Reading {
    Missing,
    Parsed(Annotations),
    /// Written by a newer gloss; its highlights if this version can read them.
    Newer {
        found: u32,
        readable: Option<Annotations>,
    },
    Unreadable(std::io::Error),
    Corrupt {
        line: usize,
        column: usize,
        reason: String,
    },
}

/// Writes the text of `annotations.ron` for `annotations` to `out`.
pub(super) fn write_file_text(out: &mut impl Write, annotations: &Annotations) -> io::Result<()> {
    write_file(out, annotations.iter(), &annotations.deleted)
}

/// The text of `annotations.ron` for `annotations`, whole.
#[cfg(test)]
#[allow(clippy::expect_used)]
pub(super) fn to_file_text(annotations: &Annotations) -> String {
    let mut bytes = Vec::new();
    write_file_text(&mut bytes, annotations).expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the file is UTF-8")
}

/// Reads the bytes of an annotations file.
pub(super) fn parse(bytes: &[u8]) -> Reading {
    parse_against(bytes, None)
}

/// [`parse`], taking highlights the file holds unchanged from `known`
/// instead of building them again (see [`super::reader`]).
pub(super) fn parse_against(bytes: &[u8], known: Option<&Annotations>) -> Reading {
    // The vectorised check is several times faster on 70 MB; the standard
    // one says where the first bad byte is.
    let Ok(text) = simdutf8::basic::from_utf8(bytes) else {
        let valid = std::str::from_utf8(bytes).map_or_else(|err| err.valid_up_to(), str::len);
        return corrupt_at(bytes, valid, "not UTF-8 text".into());
    };
    if let Some(found) = leading_version(text).filter(|v| *v > ANNOTATIONS_VERSION) {
        let readable = check_nesting(text, MAX_NESTING)
            .ok()
            .and_then(|()| ron::from_str::<FileIn>(text).ok())
            .map(|file| Annotations::from_parts(file.highlights, file.deleted));
        return Reading::Newer { found, readable };
    }
    // A file as gloss writes it is read without the general parser.
    if let Some(file) = read_canonical(text, known.map(|known| &*known.highlights)) {
        if file.version > ANNOTATIONS_VERSION {
            return Reading::Newer {
                found: file.version,
                readable: None,
            };
        }
        return Reading::Parsed(Annotations::from_entries(file.highlights, file.deleted));
    }
    // Otherwise one scan checks the nesting and finds where the file can be cut.
    let pieces = match parse_in_pieces(text, MAX_NESTING) {
        Ok(pieces) => pieces,
        Err(too_deep) => {
            let reason = format!("nested more than {MAX_NESTING} levels deep");
            return corrupt_at(bytes, too_deep.offset, reason);
        }
    };
    match parse_file(text, pieces) {
        Ok(annotations) => Reading::Parsed(annotations),
        Err(Ok(found)) => Reading::Newer {
            found,
            readable: None,
        },
        Err(Err(err)) => Reading::Corrupt {
            line: err.span.start.line,
            column: err.span.start.col,
            reason: crate::text::sanitize_line(&err.code.to_string()),
        },
    }
}

/// Parses a file that passed the nesting check, unless it was already parsed
/// in pieces. A file from a newer version parses if its shape is one this
/// version knows. The error is the newer version found, or why it does not
/// parse.
fn parse_file(
    text: &str,
    pieces: Option<ParsedInPieces>,
) -> Result<Annotations, Result<u32, ron::error::SpannedError>> {
    if let Some(file) = pieces {
        if file.version > ANNOTATIONS_VERSION {
            return Err(Ok(file.version));
        }
        return Ok(Annotations::from_parts(file.highlights, file.deleted));
    }
    match ron::from_str::<FileIn>(text) {
        Ok(file) if file.version > ANNOTATIONS_VERSION => Err(Ok(file.version)),
        Ok(file) => Ok(Annotations::from_parts(file.highlights, file.deleted)),
        Err(err) => match ron::from_str::<VersionOnly>(text) {
            Ok(header) if header.version > ANNOTATIONS_VERSION => Err(Ok(header.version)),
            _ => Err(Err(err)),
        },
    }
}

fn corrupt_at(bytes: &[u8], offset: usize, reason: String) -> Reading {
    let (line, column) = line_and_column(&bytes[..offset]);
    Reading::Corrupt {
        line,
        column,
        reason,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::store::annotations::arbitrary::highlight_at as highlight;

    fn sample() -> Annotations {
        let mut annotations = Annotations::new();
        annotations.upsert(highlight("h-3", "b-article", 5));
        annotations.upsert(highlight("h-1", "b-article", 90));
        annotations.upsert(highlight("h-2", "a-article", 40));
        annotations.remove("h-9", Timestamp::from_second(1_790_000_000).unwrap());
        annotations
    }

    #[test]
    fn the_file_lists_highlights_in_reading_order_one_field_per_line() {
        let text = to_file_text(&sample());
        assert!(text.starts_with("(\n    version: 1,\n"), "{text}");
        let order: Vec<usize> = ["\"h-2\"", "\"h-3\"", "\"h-1\""]
            .iter()
            .map(|id| text.find(id).unwrap())
            .collect();
        assert!(order.is_sorted(), "{text}");
        assert!(
            text.contains("\n            note: \"line one\nline two\",\n"),
            "{text}"
        );
        assert!(text.contains("tags: [\"zeta\", \"alpha\"]"), "{text}");
        assert!(text.contains("\"h-9\": \""), "{text}");
    }

    #[test]
    fn the_file_parses_back() {
        let text = to_file_text(&sample());
        let Reading::Parsed(back) = parse(text.as_bytes()) else {
            panic!("did not parse: {text}");
        };
        assert_eq!(back, sample());
    }

    #[test]
    fn a_large_file_parsed_in_pieces_equals_the_file_parsed_whole() {
        let mut annotations = Annotations::new();
        for n in 0..5000 {
            let mut h = highlight(&format!("h-{n:05}"), &format!("article {}", n % 9), n);
            h.note = format!("note {n}: ), (\n  ],\n[ \"{n}\" r#\"");
            h.tags = vec![format!("t{}", n % 13), "]".into()];
            annotations.upsert(h);
        }
        annotations.remove("h-gone", Timestamp::from_second(1_790_000_000).unwrap());
        let text = to_file_text(&annotations);

        let whole: FileIn = ron::from_str(&text).unwrap();
        let whole = Annotations::from_parts(whole.highlights, whole.deleted);
        assert_eq!(whole, annotations);
        if std::thread::available_parallelism().map_or(1, usize::from) > 1 {
            let pieces = parse_in_pieces(&text, MAX_NESTING)
                .unwrap()
                .expect("a file gloss wrote splits");
            let pieces = Annotations::from_parts(pieces.highlights, pieces.deleted);
            assert_eq!(pieces, annotations);
        }
        assert!(matches!(parse(text.as_bytes()), Reading::Parsed(a) if a == annotations));
    }

    #[test]
    fn a_large_file_with_an_error_reports_it_as_parsed_whole() {
        let mut annotations = Annotations::new();
        for n in 0..5000 {
            annotations.upsert(highlight(&format!("h-{n:05}"), "a", n));
        }
        let text = to_file_text(&annotations);
        let broken = text.replacen("color: green", "color: mauve", 1);
        let Reading::Corrupt { line, reason, .. } = parse(broken.as_bytes()) else {
            panic!("expected Corrupt");
        };
        let expected = 1 + broken[..broken.find("mauve").unwrap()]
            .matches('\n')
            .count();
        assert_eq!(line, expected, "{reason}");
    }

    #[test]
    fn deep_nesting_is_corrupt_with_its_position() {
        let text = format!("(version: 1,\n highlights: {})", "[".repeat(100_000));
        let Reading::Corrupt {
            line,
            column,
            reason,
        } = parse(text.as_bytes())
        else {
            panic!("expected Corrupt");
        };
        assert_eq!((line, column), (2, 14 + MAX_NESTING - 1));
        assert!(reason.contains("nested"), "{reason}");
    }

    #[test]
    fn a_newer_file_is_recognised_even_when_it_does_not_parse() {
        let text = format!("(version: 2, future: {})", "[".repeat(100_000));
        assert!(matches!(
            parse(text.as_bytes()),
            Reading::Newer {
                found: 2,
                readable: None
            }
        ));
        let readable = "(version: 5, highlights: [], deleted: {}, more: [1, 2])";
        assert!(matches!(
            parse(readable.as_bytes()),
            Reading::Newer {
                found: 5,
                readable: Some(_)
            }
        ));
    }

    #[test]
    fn bytes_that_are_not_utf8_are_corrupt_where_they_start() {
        let mut bytes = to_file_text(&sample()).into_bytes();
        let line = 1 + bytes.iter().take(200).filter(|&&b| b == b'\n').count();
        let column = 1 + bytes[..200]
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n')
            .count();
        bytes[200] = 0xff;
        let Reading::Corrupt {
            line: found_line,
            column: found_column,
            reason,
        } = parse(&bytes)
        else {
            panic!("expected Corrupt");
        };
        assert_eq!(
            (found_line, found_column, reason.as_str()),
            (line, column, "not UTF-8 text")
        );
    }

    #[test]
    fn parse_errors_are_sanitized() {
        let Reading::Corrupt { reason, line, .. } =
            parse(b"(version: 1,\n\n highlights: \"\x1b[31m")
        else {
            panic!("expected Corrupt");
        };
        assert_eq!(line, 3);
        assert!(!reason.chars().any(char::is_control), "{reason:?}");
    }
}
