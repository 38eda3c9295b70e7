//! The files gloss writes in the data folder, and the promise that goes with them:
//! a write is atomic and keeps a backup of the last good version, and a file that
//! cannot be read (or was written by a newer gloss) is never overwritten.
//!
//! Every document is a RON file with a `version` field. [`load_versioned`] reads
//! one, setting aside a file that does not parse (reading positions; the
//! annotations file, which a person may have typed, is never set aside: see
//! [`annotations`]); [`save_versioned`] writes one.

pub mod annotations;
mod atomic;
pub mod positions;

use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde::de::DeserializeOwned;

pub(crate) use atomic::write_atomic_with;
pub use atomic::{write_atomic, write_atomic_without_backup};
pub use positions::{LoadedPositions, Positions, ReadingPosition};

/// What went wrong reading or writing one of gloss's files, with the file named
/// and what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot create the folder {}: {source}; check its permissions or choose another with --data-dir",
        shown(path)
    )]
    CreateFolder { path: PathBuf, source: io::Error },

    #[error(
        "cannot write {}: {source}; the previous version is unchanged (check the folder's permissions and the free disk space)",
        shown(path)
    )]
    Write { path: PathBuf, source: io::Error },

    #[error(
        "wrote {} but could not flush its folder to disk ({source}); the change may not survive a power cut",
        shown(path)
    )]
    SyncFolder { path: PathBuf, source: io::Error },

    #[error(
        "cannot keep a backup of {} as {}: {source}; nothing was changed (check the folder's permissions and the free disk space)",
        shown(path),
        shown(backup)
    )]
    Backup {
        path: PathBuf,
        backup: PathBuf,
        source: io::Error,
    },

    #[error(
        "cannot read {}: {source}; it was left untouched and changes will not be saved until it can be read",
        shown(path)
    )]
    Read { path: PathBuf, source: io::Error },

    #[error(
        "{} could not be read (line {line}, column {column}: {reason}); it was kept as {} and gloss started without it",
        shown(path),
        shown(kept_as)
    )]
    Corrupt {
        path: PathBuf,
        kept_as: PathBuf,
        line: usize,
        column: usize,
        reason: String,
    },

    #[error(
        "{} could not be read (line {line}, column {column}: {reason}) nor moved aside ({source}); it was left untouched and changes will not be saved",
        shown(path)
    )]
    CorruptNotMoved {
        path: PathBuf,
        line: usize,
        column: usize,
        reason: String,
        source: io::Error,
    },

    #[error(
        "{} was written by a newer gloss (format version {found}, this one reads up to {supported}); it was left untouched and changes will not be saved; update gloss to use it",
        shown(path)
    )]
    NewerVersion {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    #[error("{}", damaged_message(path, problems, *highlights, backup.as_deref()))]
    Damaged {
        path: PathBuf,
        /// Where the file breaks, first first; never empty.
        problems: Vec<annotations::FileProblem>,
        /// How many highlights could be read all the same.
        highlights: usize,
        /// The backup beside the file, when there is one to offer.
        backup: Option<PathBuf>,
    },

    #[error(
        "the backup {} cannot be used: {reason}; nothing was changed (run `gloss repair` without --from-backup to keep what the file itself holds)",
        shown(backup)
    )]
    BackupUnusable { backup: PathBuf, reason: String },

    #[error(
        "cannot lock {}: {source}; nothing was saved (check the folder's permissions)",
        shown(path)
    )]
    Lock { path: PathBuf, source: io::Error },

    #[error(
        "{} is read-only, so gloss does not write it; make it writable (chmod u+w) to save changes",
        shown(path)
    )]
    ReadOnlyFile { path: PathBuf },

    #[error(
        "{holder} has held {} for {} s; nothing was saved and nothing is lost — try again, or stop the process that holds it",
        shown(path),
        waited.as_secs()
    )]
    LockHeld {
        path: PathBuf,
        holder: String,
        waited: std::time::Duration,
    },

    #[error("cannot encode {}: {reason}", shown(path))]
    Encode { path: PathBuf, reason: String },

    #[error(
        "{} was changed outside gloss and cannot be read now (line {line}, column {column}: {reason}); fix it there, and gloss will take the changes in once it reads again",
        shown(path)
    )]
    ChangedUnreadable {
        path: PathBuf,
        line: usize,
        column: usize,
        reason: String,
    },
}

impl StoreError {
    /// Whether the file this error is about may still be written. A file that
    /// exists but could not be understood (and is still in place) must not be
    /// replaced; a failed write, or a bad file already set aside, leaves the way
    /// open.
    pub fn allows_saving(&self) -> bool {
        !matches!(
            self,
            StoreError::Read { .. }
                | StoreError::CorruptNotMoved { .. }
                | StoreError::NewerVersion { .. }
                | StoreError::Damaged { .. }
        )
    }
}

/// What to tell the person about a damaged annotations file: where the first
/// break is, as `FILE:LINE:COLUMN` editors jump to, and what to do.
fn damaged_message(
    path: &Path,
    problems: &[annotations::FileProblem],
    highlights: usize,
    backup: Option<&Path>,
) -> String {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let mut message = shown(path);
    if let Some(first) = problems.first() {
        let _ = write!(
            message,
            ":{}:{}: {}",
            first.line, first.column, first.reason
        );
        if let Some(id) = &first.id {
            let _ = write!(message, " (in highlight {id})");
        }
    }
    if problems.len() > 1 {
        let _ = write!(
            message,
            "; {} more problem(s), `gloss check` lists them",
            problems.len() - 1
        );
    }
    let _ = write!(
        message,
        "; gloss read the {highlights} highlight(s) it could and will not change the file until it is fixed: correct it in an editor, or run `gloss repair` to write what could be read (the file is kept beside it)"
    );
    if let Some(backup) = backup {
        let _ = write!(
            message,
            "; `gloss repair --from-backup` puts back {} instead",
            shown(backup)
        );
    }
    message
}

/// A path as it may be shown in a terminal: no control characters.
fn shown(path: &Path) -> String {
    crate::text::shown_path(path)
}

/// Only the version of a document, read before the rest so that a newer format
/// is recognised even when the rest would not parse.
#[derive(serde::Deserialize)]
struct VersionOnly {
    version: u32,
}

/// The most of a document gloss reads: far more than any real one holds.
pub const MAX_DOCUMENT_BYTES: u64 = 256 << 20;

/// The bytes of the regular file at `path` (`None` when there is none), as
/// long as it holds at most `limit` bytes; a folder, pipe, device or socket is
/// an error without being opened, so that nothing waits or reads for ever.
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err),
    };
    if !metadata.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a folder, pipe or device, not a regular file",
        ));
    }
    let too_large = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("it is larger than {} MiB", limit >> 20),
        )
    };
    if metadata.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    io::Read::read_to_end(
        &mut io::Read::take(std::fs::File::open(path)?, limit + 1),
        &mut bytes,
    )?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(Some(bytes))
}

/// Reads the RON document at `path`, written in format `supported` or older.
///
/// Only a regular file is read, and only up to [`MAX_DOCUMENT_BYTES`]: a pipe
/// (which waits for a writer for ever) or a device (which may never end) is
/// refused unread, left in place, and nothing is saved over it.
///
/// A missing file is `Ok(None)`. A file that does not parse is renamed to
/// `NAME.corrupt-<unix seconds>` and reported as [`StoreError::Corrupt`]; a file
/// from a newer version is left in place and reported as
/// [`StoreError::NewerVersion`]. [`StoreError::allows_saving`] tells the caller
/// whether it may write the file afterwards.
pub fn load_versioned<T: DeserializeOwned>(
    path: &Path,
    supported: u32,
) -> Result<Option<T>, StoreError> {
    let bytes = match read_regular(path, MAX_DOCUMENT_BYTES) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Ok(None),
        Err(source) => {
            return Err(StoreError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(err) => {
            let (line, column) = line_and_column(&bytes[..err.valid_up_to()]);
            return Err(set_aside(path, line, column, "not UTF-8 text".into()));
        }
    };
    // The version is usually first and read without parsing the document;
    // only a file that puts it elsewhere is parsed twice.
    let version = match leading_version(text) {
        Some(version) => version,
        None => match ron::from_str::<VersionOnly>(text) {
            Ok(header) => header.version,
            Err(err) => return Err(set_aside_spanned(path, &err)),
        },
    };
    if version > supported {
        return Err(StoreError::NewerVersion {
            path: path.to_path_buf(),
            found: version,
            supported,
        });
    }
    ron::from_str::<T>(text)
        .map(Some)
        .map_err(|err| set_aside_spanned(path, &err))
}

/// Writes `document` as pretty RON to `path`, atomically and keeping a backup.
pub fn save_versioned<T: Serialize>(path: &Path, document: &T) -> Result<(), StoreError> {
    // Entries deeper than the document and its maps stay on one line each, so a
    // file of many small records remains easy to read and to diff.
    let style = ron::ser::PrettyConfig::new().depth_limit(2);
    let mut text =
        ron::ser::to_string_pretty(document, style).map_err(|err| StoreError::Encode {
            path: path.to_path_buf(),
            reason: err.to_string(),
        })?;
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

fn set_aside_spanned(path: &Path, err: &ron::error::SpannedError) -> StoreError {
    let reason = crate::text::sanitize_line(&err.code.to_string());
    set_aside(path, err.span.start.line, err.span.start.col, reason)
}

/// Moves an unreadable file out of the way, keeping every byte of it.
fn set_aside(path: &Path, line: usize, column: usize, reason: String) -> StoreError {
    match rename_aside(path) {
        Ok(kept_as) => StoreError::Corrupt {
            path: path.to_path_buf(),
            kept_as,
            line,
            column,
            reason,
        },
        Err(source) => StoreError::CorruptNotMoved {
            path: path.to_path_buf(),
            line,
            column,
            reason,
            source,
        },
    }
}

fn rename_aside(path: &Path) -> io::Result<PathBuf> {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".corrupt-{seconds}"));
    let first = PathBuf::from(&name);
    // Never replace an earlier set-aside file from the same second.
    let target = std::iter::once(first.clone())
        .chain((2..).map(|n| {
            let mut numbered = name.clone();
            numbered.push(format!("-{n}"));
            PathBuf::from(numbered)
        }))
        .take(1000)
        .find(|candidate| !candidate.exists())
        .unwrap_or(first);
    std::fs::rename(path, &target)?;
    Ok(target)
}

/// The version written first in a document, `(version: N, …`, read without
/// parsing the rest, so that a newer file is recognised even when deeply
/// nested, cut short or in a syntax this version does not know. `None` when
/// the document does not begin that way or the number is not plain digits.
pub(crate) fn leading_version(text: &str) -> Option<u32> {
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
    let after = rest[digits..].chars().next();
    if after.is_some_and(|c| c != ',' && c != ')' && !c.is_whitespace()) {
        return None;
    }
    rest[..digits].parse().ok()
}

/// 1-based line and column just after `prefix`.
pub(crate) fn line_and_column(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.split(|&b| b == b'\n').count();
    let last_line = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(prefix, |i| &prefix[i + 1..]);
    (line, 1 + String::from_utf8_lossy(last_line).chars().count())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Document {
        version: u32,
        names: Vec<String>,
    }

    #[test]
    fn a_saved_document_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.ron");
        let doc = Document {
            version: 1,
            names: vec!["a".into(), "b \"quoted\"".into()],
        };
        save_versioned(&path, &doc).unwrap();
        assert_eq!(load_versioned::<Document>(&path, 1).unwrap(), Some(doc));
    }

    #[test]
    fn a_missing_document_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = load_versioned::<Document>(&dir.path().join("nothing.ron"), 1).unwrap();
        assert_eq!(loaded, None);
    }

    #[test]
    fn text_that_is_not_utf8_is_set_aside_with_its_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.ron");
        let bytes = b"(version: 1,\n  names: [\"\xff\"])";
        std::fs::write(&path, bytes).unwrap();
        let err = load_versioned::<Document>(&path, 1).unwrap_err();
        let StoreError::Corrupt {
            kept_as,
            line,
            column,
            ..
        } = &err
        else {
            panic!("expected Corrupt, got {err:?}");
        };
        assert_eq!((*line, *column), (2, 12));
        assert!(!path.exists());
        assert_eq!(std::fs::read(kept_as).unwrap(), bytes);
        assert!(err.allows_saving());
    }

    #[test]
    fn a_second_bad_file_in_the_same_second_does_not_replace_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.ron");
        std::fs::write(&path, "first (").unwrap();
        let first = load_versioned::<Document>(&path, 1).unwrap_err();
        std::fs::write(&path, "second (").unwrap();
        let second = load_versioned::<Document>(&path, 1).unwrap_err();
        let (StoreError::Corrupt { kept_as: a, .. }, StoreError::Corrupt { kept_as: b, .. }) =
            (&first, &second)
        else {
            panic!("expected two Corrupt errors: {first:?} {second:?}");
        };
        assert_ne!(a, b);
        assert_eq!(std::fs::read_to_string(a).unwrap(), "first (");
        assert_eq!(std::fs::read_to_string(b).unwrap(), "second (");
    }

    #[test]
    fn messages_name_the_file_without_control_characters() {
        let err = StoreError::NewerVersion {
            path: PathBuf::from("/data/evil\x1b[2Jname.ron"),
            found: 9,
            supported: 1,
        };
        let message = err.to_string();
        assert!(message.contains("name.ron"), "{message}");
        assert!(message.contains("update gloss"), "{message}");
        assert!(!message.chars().any(char::is_control), "{message:?}");
        assert!(!err.allows_saving());
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
        for unusual in ["(version: 1_0)", "(version: 0x10)", "(version: +1)"] {
            assert_eq!(leading_version(unusual), None, "{unusual}");
        }
    }

    #[test]
    fn a_newer_document_is_left_alone_even_when_it_does_not_parse() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.ron");
        std::fs::write(&path, "(version: 2, names: [\"a\", future syntax").unwrap();
        let err = load_versioned::<Document>(&path, 1).unwrap_err();
        assert!(
            matches!(err, StoreError::NewerVersion { found: 2, .. }),
            "{err:?}"
        );
        assert!(path.exists());
    }

    #[test]
    fn a_version_written_last_is_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.ron");
        std::fs::write(&path, "(names: [\"a\"], version: 1)").unwrap();
        let doc = load_versioned::<Document>(&path, 1).unwrap();
        assert_eq!(doc.map(|d| d.names), Some(vec!["a".to_owned()]));
        std::fs::write(&path, "(names: [], version: 3)").unwrap();
        let err = load_versioned::<Document>(&path, 1).unwrap_err();
        assert!(
            matches!(err, StoreError::NewerVersion { found: 3, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn line_and_column_count_characters_after_the_last_newline() {
        assert_eq!(line_and_column(b""), (1, 1));
        assert_eq!(line_and_column(b"ab"), (1, 3));
        assert_eq!(line_and_column("a\n\u{e9}x".as_bytes()), (2, 3));
    }
}
