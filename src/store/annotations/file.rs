//! `annotations.ron` on disk: its format, reading it without ever losing a file
//! that cannot be understood, and the locked read-merge-write that lets two
//! running instances save without losing each other's changes.
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
//! so that the difference between two saves shows only what changed.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::folder::{FolderLock, create_folder_for, remove_stale_temporaries};
use super::nesting::check_nesting;
use super::parallel::{ParsedInPieces, parse_in_pieces};
use super::{Annotations, DELETION_MEMORY};
use crate::annotation::Highlight;
use crate::store::atomic::backup_path;
use crate::store::{StoreError, line_and_column, set_aside, write_atomic};

/// The format version this gloss writes and the newest it reads.
pub const ANNOTATIONS_VERSION: u32 = 1;

/// Files nested deeper than this are refused before parsing. An annotations
/// file needs five levels; the rest is room for later versions.
pub const MAX_NESTING: usize = 64;

/// The file as written: borrowed, so saving 100,000 highlights copies none.
#[derive(Serialize)]
struct FileOut<'a> {
    version: u32,
    highlights: Vec<&'a Highlight>,
    deleted: &'a BTreeMap<String, Timestamp>,
}

/// The file as read.
#[derive(Deserialize)]
struct FileIn {
    version: u32,
    #[serde(default)]
    highlights: Vec<Highlight>,
    #[serde(default)]
    deleted: BTreeMap<String, Timestamp>,
}

/// Only the version, read when the rest does not parse: a newer format must
/// be recognised even then, and left alone.
#[derive(Deserialize)]
struct VersionOnly {
    version: u32,
}

/// What reading the file gave, before deciding what to do about it.
enum Reading {
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

/// What gloss starts with: the highlights that could be read, and what went
/// wrong with the file, if anything, to tell the person once.
#[derive(Debug, Default)]
pub struct Loaded {
    pub annotations: Annotations,
    pub problem: Option<StoreError>,
    /// The file is still in place but could not be understood (or comes from a
    /// newer gloss): nothing may be saved over it.
    pub read_only: bool,
}

impl Loaded {
    /// A sentence to show the person, if the file could not be used as it was.
    pub fn warning(&self) -> Option<String> {
        self.problem.as_ref().map(ToString::to_string)
    }
}

/// The outcome of a save: the merged state now on disk, which the caller
/// should merge into its own (see [`super::Saver`]), and anything the person
/// must be told (the file on disk had turned unreadable and was set aside).
#[derive(Debug, Default)]
pub struct Saved {
    pub annotations: Annotations,
    pub notice: Option<StoreError>,
}

/// Reads the annotations at `path`. This never fails: a missing file is an
/// empty set, and any other trouble is described in [`Loaded::problem`].
///
/// A file that does not parse (corrupt, truncated, binary, nested absurdly
/// deep) is renamed to `NAME.corrupt-<seconds>`, never overwritten, and the
/// backup `NAME.bak` is loaded and put back in its place if it parses. A file
/// from a newer gloss stays where it is, is read if possible, and makes the
/// result read-only. Temporary files left by a killed save are cleaned up.
pub fn load(path: &Path) -> Loaded {
    remove_stale_temporaries(path);
    let _lock = FolderLock::try_for_reading(path);
    let read_only = |annotations: Option<Annotations>, problem: StoreError| Loaded {
        annotations: annotations.unwrap_or_default(),
        problem: Some(problem),
        read_only: true,
    };
    match read(path) {
        Reading::Missing => Loaded::default(),
        Reading::Parsed(annotations) => Loaded {
            annotations,
            ..Loaded::default()
        },
        Reading::Newer { found, readable } => read_only(
            readable,
            StoreError::NewerVersion {
                path: path.to_path_buf(),
                found,
                supported: ANNOTATIONS_VERSION,
            },
        ),
        Reading::Unreadable(source) => read_only(
            None,
            StoreError::Read {
                path: path.to_path_buf(),
                source,
            },
        ),
        Reading::Corrupt {
            line,
            column,
            reason,
        } => {
            let problem = set_aside(path, line, column, reason);
            let backup = read_backup(path);
            if !problem.allows_saving() {
                // Still in place: show what the backup holds, but save nothing.
                return read_only(backup.map(|(annotations, _)| annotations), problem);
            }
            match backup {
                Some((annotations, bytes)) => {
                    // Put the backup back in place so the next start finds it
                    // too; if that fails, the next save writes it anyway.
                    let _ = write_atomic(path, &bytes);
                    Loaded {
                        annotations,
                        problem: Some(restored_from_backup(problem, path)),
                        read_only: false,
                    }
                }
                None => Loaded {
                    problem: Some(problem),
                    ..Loaded::default()
                },
            }
        }
    }
}

/// Saves `ours` merged into whatever `path` holds now, and returns the merged
/// state (see [`Annotations::merge`]).
///
/// The whole read-merge-write happens under an exclusive lock on
/// `NAME.lock`, so another gloss saving at the same moment waits its turn and
/// neither loses the other's changes. The write is atomic and keeps the
/// previous file as `NAME.bak`. Deletions older than [`DELETION_MEMORY`] are
/// forgotten. A file from a newer gloss, or one that cannot be read, stops the
/// save and is left untouched; one that no longer parses is set aside first
/// (the backup is merged in its place) and reported in [`Saved::notice`].
pub fn save_merged(path: &Path, ours: &Annotations) -> Result<Saved, StoreError> {
    save_merged_remembering(path, ours, &mut None)
}

/// What this process last wrote to the file, and the stamp that shows the file
/// is still exactly that, so the next save need not read it back. Any other
/// writer changes the stamp: a save by another gloss replaces the file (a new
/// inode), and an edit in place changes its change time.
#[derive(Debug)]
pub(super) struct LastWritten {
    stamp: FileStamp,
    annotations: Annotations,
}

#[derive(Debug, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    identity: (u64, u64, i64, i64),
}

fn stamp(path: &Path) -> Option<FileStamp> {
    let metadata = std::fs::metadata(path).ok()?;
    Some(FileStamp {
        len: metadata.len(),
        modified: metadata.modified().ok(),
        #[cfg(unix)]
        identity: {
            use std::os::unix::fs::MetadataExt;
            (
                metadata.dev(),
                metadata.ino(),
                metadata.ctime(),
                metadata.ctime_nsec(),
            )
        },
    })
}

/// [`save_merged`], skipping the read when the file is still what `last`
/// says this process wrote, and updating `last` after the write.
pub(super) fn save_merged_remembering(
    path: &Path,
    ours: &Annotations,
    last: &mut Option<LastWritten>,
) -> Result<Saved, StoreError> {
    create_folder_for(path)?;
    let _lock = FolderLock::acquire(path)?;
    let current = match last.take() {
        Some(known) if stamp(path).as_ref() == Some(&known.stamp) => {
            Reading::Parsed(known.annotations)
        }
        _ => read(path),
    };
    let (mut merged, notice) = match current {
        Reading::Missing => (Annotations::new(), None),
        Reading::Parsed(current) => (current, None),
        Reading::Newer { found, .. } => {
            return Err(StoreError::NewerVersion {
                path: path.to_path_buf(),
                found,
                supported: ANNOTATIONS_VERSION,
            });
        }
        Reading::Unreadable(source) => {
            return Err(StoreError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
        Reading::Corrupt {
            line,
            column,
            reason,
        } => {
            let problem = set_aside(path, line, column, reason);
            if !problem.allows_saving() {
                return Err(problem);
            }
            match read_backup(path) {
                Some((backup, _)) => (backup, Some(restored_from_backup(problem, path))),
                None => (Annotations::new(), Some(problem)),
            }
        }
    };
    merged.merge(ours);
    if let Ok(cutoff) = Timestamp::now().checked_sub(DELETION_MEMORY) {
        merged.forget_deletions_before(cutoff);
    }
    let text = to_file_text(&merged).map_err(|err| StoreError::Encode {
        path: path.to_path_buf(),
        reason: err.to_string(),
    })?;
    write_atomic(path, text.as_bytes())?;
    // Highlights are shared between copies, so remembering costs little.
    *last = stamp(path).map(|stamp| LastWritten {
        stamp,
        annotations: merged.clone(),
    });
    Ok(Saved {
        annotations: merged,
        notice,
    })
}

/// The text of `annotations.ron` for `annotations`.
fn to_file_text(annotations: &Annotations) -> Result<String, ron::Error> {
    let mut highlights: Vec<&Highlight> = annotations.iter().collect();
    highlights.sort_by(|a, b| {
        (&a.article, a.anchor.position.start, &a.id).cmp(&(
            &b.article,
            b.anchor.position.start,
            &b.id,
        ))
    });
    let file = FileOut {
        version: ANNOTATIONS_VERSION,
        highlights,
        deleted: &annotations.deleted,
    };
    // One field of a highlight per line; its anchor, tags and the like stay on
    // that line. Strings are written as they are (a note's lines as lines, a
    // quote with `"` as a raw string `r#"…"#`) rather than escaped character by
    // character, which makes saving three times faster.
    let style = ron::ser::PrettyConfig::new()
        .depth_limit(3)
        .escape_strings(false);
    let mut text = ron::ser::to_string_pretty(&file, style)?;
    text.push('\n');
    Ok(text)
}

fn read(path: &Path) -> Reading {
    match std::fs::read(path) {
        Ok(bytes) => parse(&bytes),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Reading::Missing,
        Err(err) => Reading::Unreadable(err),
    }
}

/// The backup beside `path`, with its bytes, if it parses and is not newer.
fn read_backup(path: &Path) -> Option<(Annotations, Vec<u8>)> {
    let bytes = std::fs::read(backup_path(path)).ok()?;
    match parse(&bytes) {
        Reading::Parsed(annotations) => Some((annotations, bytes)),
        _ => None,
    }
}

fn parse(bytes: &[u8]) -> Reading {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => return corrupt_at(bytes, err.valid_up_to(), "not UTF-8 text".into()),
    };
    if let Some(found) = leading_version(text).filter(|v| *v > ANNOTATIONS_VERSION) {
        let readable = check_nesting(text, MAX_NESTING)
            .ok()
            .and_then(|()| ron::from_str::<FileIn>(text).ok())
            .map(|file| Annotations::from_parts(file.highlights, file.deleted));
        return Reading::Newer { found, readable };
    }
    // One scan checks the nesting and finds where the file can be cut.
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

/// The version written first in the file, `(version: N, …`, read without
/// parsing the rest, so a newer file is recognised even when deeply nested or
/// in a syntax this version does not know.
fn leading_version(text: &str) -> Option<u32> {
    let mut rest = text.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after
                .split_once('\n')
                .map_or("", |(_, next)| next)
                .trim_start();
        } else if let Some(after) = rest.strip_prefix("#![") {
            rest = after.split_once(']')?.1.trim_start();
        } else {
            break;
        }
    }
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let rest = rest.trim_start().strip_prefix('(')?.trim_start();
    let rest = rest.strip_prefix("version")?.trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..digits].parse().ok()
}

fn restored_from_backup(problem: StoreError, path: &Path) -> StoreError {
    match problem {
        StoreError::Corrupt {
            path: corrupt,
            kept_as,
            line,
            column,
            reason,
        } => StoreError::RestoredFromBackup {
            path: corrupt,
            kept_as,
            backup: backup_path(path),
            line,
            column,
            reason,
        },
        other => other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::annotation::{Color, TextAnchor, TextPosition, TextQuote};

    fn highlight(id: &str, article: &str, start: usize) -> Highlight {
        let at = Timestamp::from_second(1_780_000_000).unwrap();
        Highlight {
            id: id.into(),
            article: article.into(),
            text_hash: "cbf29ce484222325".into(),
            anchor: TextAnchor {
                quote: TextQuote {
                    exact: "the \"quoted\" passage".into(),
                    prefix: "before ".into(),
                    suffix: " after".into(),
                },
                position: TextPosition {
                    block: 2,
                    start,
                    end: start + 20,
                },
            },
            color: Color::Green,
            tags: vec!["zeta".into(), "alpha".into()],
            note: "line one\nline two".into(),
            created: at,
            updated: at,
        }
    }

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
        let text = to_file_text(&sample()).unwrap();
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
        let text = to_file_text(&sample()).unwrap();
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
        let text = to_file_text(&annotations).unwrap();

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
        let text = to_file_text(&annotations).unwrap();
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
    fn a_remembered_save_still_sees_every_other_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.ron");
        let mut last = None;
        let mut ours = Annotations::new();
        ours.upsert(highlight("h-ours", "a", 1));
        save_merged_remembering(&path, &ours, &mut last).unwrap();
        assert!(last.is_some());

        // Another instance saves; then the file is edited in place by hand.
        let mut theirs = Annotations::new();
        theirs.upsert(highlight("h-theirs", "a", 2));
        save_merged(&path, &theirs).unwrap();
        let merged = save_merged_remembering(&path, &ours, &mut last).unwrap();
        assert_eq!(merged.annotations.len(), 2);

        let text = std::fs::read_to_string(&path).unwrap();
        let edited = text.replace("\"h-theirs\"", "\"h-hand01\"");
        assert_eq!(edited.len(), text.len());
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, edited.as_bytes()))
            .unwrap();
        let merged = save_merged_remembering(&path, &ours, &mut last).unwrap();
        assert!(merged.annotations.get("h-hand01").is_some());
        assert_eq!(load(&path).annotations, merged.annotations);
    }

    #[test]
    fn a_leading_version_is_found_without_parsing_the_rest() {
        assert_eq!(leading_version("(version: 3, ((((("), Some(3));
        assert_eq!(
            leading_version("  // c\n#![enable(x)]\nAnnotations (\n version :12"),
            Some(12)
        );
        assert_eq!(leading_version("(highlights: [], version: 2)"), None);
        assert_eq!(leading_version("\u{0}\u{1}"), None);
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
