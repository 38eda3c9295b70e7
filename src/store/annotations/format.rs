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
//! [`super::reader`], any other (a file edited by hand, say) entry by entry by
//! [`super::salvage`], so that a mistake costs what it touches and no more.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

use jiff::Timestamp;
use serde::Deserialize;

use super::Annotations;
use super::kept::FileProblem;
use super::nesting::check_nesting;
use super::reader::read_canonical;
use super::salvage::salvage;
use super::writer::write_file;
use crate::annotation::Highlight;
use crate::store::{leading_version, line_and_column};

/// The format version this gloss writes and the newest it reads.
pub const ANNOTATIONS_VERSION: u32 = 1;

/// Files nested deeper than this are refused before parsing. An annotations
/// file needs five levels; the rest is room for later versions.
pub const MAX_NESTING: usize = 64;

/// The highlights of a file from a newer gloss, when they read.
#[derive(Deserialize)]
pub(super) struct FileIn {
    pub version: u32,
    #[serde(default)]
    pub highlights: Vec<Highlight>,
    #[serde(default)]
    pub deleted: BTreeMap<String, Timestamp>,
}

/// What reading the file gave, before deciding what to do about it.
pub(super) enum Reading {
    Missing,
    /// Every highlight that is one, and anything else kept to write back.
    Parsed(Annotations),
    /// Written by a newer gloss; its highlights if this version can read them.
    Newer {
        found: u32,
        readable: Option<Annotations>,
    },
    Unreadable(std::io::Error),
    /// The file is not RON as it stands (a typo, a file cut short): what
    /// could be read of it, and where it breaks, first first. Nothing may be
    /// written over it.
    Damaged {
        salvaged: Annotations,
        problems: Vec<FileProblem>,
    },
}

impl Reading {
    /// The set the file at `path` holds (`None` when it is missing), or what
    /// to tell the person when it gives none that may be used: a newer
    /// gloss's file, one that cannot be read, a damaged one.
    pub(super) fn usable(
        self,
        path: &std::path::Path,
    ) -> Result<Option<Annotations>, crate::store::StoreError> {
        use crate::store::StoreError;
        match self {
            Reading::Missing => Ok(None),
            Reading::Parsed(annotations) => Ok(Some(annotations)),
            Reading::Newer { found, .. } => Err(StoreError::NewerVersion {
                path: path.to_path_buf(),
                found,
                supported: ANNOTATIONS_VERSION,
            }),
            Reading::Unreadable(source) => Err(StoreError::Read {
                path: path.to_path_buf(),
                source,
            }),
            Reading::Damaged { salvaged, problems } => {
                Err(super::file::damaged(path, problems, &salvaged))
            }
        }
    }
}

/// Writes the text of `annotations.ron` for `annotations` to `out`.
pub(super) fn write_file_text(out: &mut impl Write, annotations: &Annotations) -> io::Result<()> {
    write_file(
        out,
        annotations.iter(),
        &annotations.deleted,
        &annotations.kept,
    )
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
    // one says where the first bad byte is. Bytes that are not UTF-8 are
    // damage, but the rest of the file is still read.
    let mut damage = Vec::new();
    let text = if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        Cow::Borrowed(text)
    } else {
        let valid = std::str::from_utf8(bytes).map_or_else(|err| err.valid_up_to(), str::len);
        let (line, column) = line_and_column(&bytes[..valid]);
        damage.push(FileProblem {
            line,
            column,
            id: None,
            reason: "not UTF-8 text: these bytes cannot be read as characters; retype them"
                .to_owned(),
        });
        String::from_utf8_lossy(bytes)
    };
    if let Some(found) = leading_version(&text).filter(|v| *v > ANNOTATIONS_VERSION) {
        let readable = check_nesting(&text, MAX_NESTING)
            .ok()
            .and_then(|()| ron::from_str::<FileIn>(&text).ok());
        return Reading::Newer {
            found: readable.as_ref().map_or(found, |file| file.version),
            readable: readable.map(|file| Annotations::from_parts(file.highlights, file.deleted)),
        };
    }
    // A file as gloss writes it is read without the general parser.
    if damage.is_empty()
        && let Some(file) = read_canonical(&text, known.map(|known| &*known.highlights))
    {
        if file.version > ANNOTATIONS_VERSION {
            return Reading::Newer {
                found: file.version,
                readable: None,
            };
        }
        return Reading::Parsed(Annotations::from_entries(file.highlights, file.deleted));
    }
    // Any other file is read entry by entry, keeping what can be kept.
    let salvaged = salvage(&text, damage);
    if let Some(found) = salvaged.version.filter(|v| *v > ANNOTATIONS_VERSION) {
        return Reading::Newer {
            found,
            readable: None,
        };
    }
    let mut annotations = Annotations::from_parts(salvaged.highlights, salvaged.deleted);
    annotations.kept = Arc::new(salvaged.kept);
    if salvaged.damage.is_empty() {
        Reading::Parsed(annotations)
    } else {
        Reading::Damaged {
            salvaged: annotations,
            problems: salvaged.damage,
        }
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
    fn a_large_file_read_entry_by_entry_equals_the_file_parsed_whole() {
        let mut annotations = Annotations::new();
        for n in 0..5000 {
            let mut h = highlight(&format!("h-{n:05}"), &format!("article {}", n % 9), n);
            h.note = format!("note {n}: ), (\n  ],\n[ \"{n}\" r#\"");
            h.tags = vec![format!("t{}", n % 13), "]".into()];
            annotations.upsert(h);
        }
        annotations.remove("h-gone", Timestamp::from_second(1_790_000_000).unwrap());
        // A comment makes it a file edited by hand, read entry by entry.
        let text = format!("// edited\n{}", to_file_text(&annotations));

        let whole: FileIn = ron::from_str(&text).unwrap();
        let whole = Annotations::from_parts(whole.highlights, whole.deleted);
        assert_eq!(whole, annotations);
        assert!(matches!(parse(text.as_bytes()), Reading::Parsed(a) if a == annotations));
    }

    #[test]
    fn a_bad_value_in_a_large_file_spoils_one_highlight_at_its_line() {
        let mut annotations = Annotations::new();
        for n in 0..5000 {
            annotations.upsert(highlight(&format!("h-{n:05}"), "a", n));
        }
        let text = to_file_text(&annotations);
        let broken = text.replacen("color: green", "color: mauve", 1);
        let Reading::Parsed(read) = parse(broken.as_bytes()) else {
            panic!("expected the file to be read");
        };
        assert_eq!(read.len(), 4999);
        let [spoiled] = read.spoiled() else {
            panic!("expected one spoiled highlight: {:?}", read.spoiled());
        };
        let expected = 1 + broken[..broken.find("mauve").unwrap()]
            .matches('\n')
            .count();
        assert_eq!(spoiled.problem.line, expected, "{:?}", spoiled.problem);
        assert!(broken.contains(&spoiled.text));
        assert!(
            spoiled
                .problem
                .reason
                .starts_with("color must be one of yellow")
        );
    }

    fn first_problem(bytes: &[u8]) -> FileProblem {
        match parse(bytes) {
            Reading::Damaged { problems, .. } => problems[0].clone(),
            _ => panic!("expected Damaged"),
        }
    }

    #[test]
    fn deep_nesting_is_damage_with_its_position() {
        let text = format!("(version: 1,\n highlights: {})", "[".repeat(100_000));
        let problem = first_problem(text.as_bytes());
        assert_eq!((problem.line, problem.column), (2, 14 + MAX_NESTING - 1));
        assert!(problem.reason.contains("nested"), "{problem}");
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
    fn bytes_that_are_not_utf8_are_damage_where_they_start_and_the_rest_is_read() {
        let mut bytes = to_file_text(&sample()).into_bytes();
        let line = 1 + bytes.iter().take(200).filter(|&&b| b == b'\n').count();
        let column = 1 + bytes[..200]
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n')
            .count();
        bytes[200] = 0xff;
        let Reading::Damaged { salvaged, problems } = parse(&bytes) else {
            panic!("expected Damaged");
        };
        assert_eq!((problems[0].line, problems[0].column), (line, column));
        assert!(problems[0].reason.starts_with("not UTF-8 text"));
        // Only the highlight holding the bad byte is changed by it.
        assert_eq!(salvaged.len(), 3);
    }

    #[test]
    fn parse_errors_are_sanitized() {
        let problem = first_problem(b"(version: 1,\n\n highlights: \"\x1b[31m");
        assert_eq!(problem.line, 3);
        assert!(!problem.reason.chars().any(char::is_control), "{problem:?}");
    }
}
