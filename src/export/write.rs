//! Putting an export on disk without losing anything: a new file is created,
//! gloss's own export is updated in place (only its marked region and front
//! matter keys), an unchanged one is not touched, and a file gloss did not
//! write is refused unless the person forces it. Every write is atomic
//! ([`write_atomic_without_backup`]) and leaves no `.bak` beside the notes,
//! except that a file gloss did not write, replaced by force, is kept as
//! `NAME.bak` ([`write_atomic`]): nothing else holds its text.

use std::io;
use std::path::Path;

use super::ExportError;
use super::json::JSON_FORMAT;
use super::region::{merge, split};
use crate::store::{write_atomic, write_atomic_without_backup};

/// What writing an export did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// There was no file; now there is.
    Created,
    /// gloss's earlier export was brought up to date; the person's text kept.
    Updated,
    /// The file already said exactly this; it was not touched.
    Unchanged,
    /// A file gloss did not write was replaced, as forced.
    Replaced,
}

impl WriteOutcome {
    /// One word for messages: `created`, `updated`, `unchanged`, `replaced`.
    pub fn word(self) -> &'static str {
        match self {
            WriteOutcome::Created => "created",
            WriteOutcome::Updated => "updated",
            WriteOutcome::Unchanged => "unchanged",
            WriteOutcome::Replaced => "replaced",
        }
    }
}

/// Writes the Markdown export `content` (as [`super::render_markdown`] makes
/// it) to `path`.
///
/// A missing file is created. A file gloss wrote (its front matter says so)
/// with gloss's region for the same subject gets that region and gloss's
/// front-matter keys replaced, `tags` merged, and keeps the rest. With
/// `force`, a file with another subject's region, or with a region but no
/// word in its front matter that gloss wrote it, has its region replaced the
/// same way (the latter kept as `NAME.bak`), and any other file is replaced
/// whole; without it all of these are refused and left untouched.
pub fn write_export(path: &Path, content: &str, force: bool) -> Result<WriteOutcome, ExportError> {
    let Some(existing) = read_existing(path)? else {
        return write_for(path, content, WriteOutcome::Created);
    };
    let fresh = split(content);
    let existing_text = String::from_utf8(existing);
    // A file whose front matter does not say gloss wrote it is the person's,
    // even with a region in it: forced, it is updated and kept as `.bak`.
    let mut keep_backup = false;
    let merged = match (&existing_text, &fresh) {
        (Ok(text), Ok(fresh)) => match split(text) {
            Ok(old) if !old.by_gloss && !force => Err(ExportError::Unmarked {
                path: path.to_path_buf(),
            }),
            Ok(old) if old.subject == fresh.subject || force => {
                keep_backup = !old.by_gloss;
                Ok(merge(&old, fresh))
            }
            Ok(old) => Err(ExportError::OtherExport {
                path: path.to_path_buf(),
                found: old.subject.to_owned(),
                wanted: fresh.subject.to_owned(),
            }),
            Err(reason) => Err(not_ours(path, reason)),
        },
        (Err(_), _) => Err(not_ours(path, "it is not UTF-8 text")),
        (_, Err(_)) => Err(not_ours(path, "it is not a gloss export")),
    };
    match merged {
        Ok(merged) if existing_text.as_deref().is_ok_and(|text| *text == merged) => {
            Ok(WriteOutcome::Unchanged)
        }
        Ok(merged) if keep_backup => {
            write_atomic(path, merged.as_bytes())?;
            Ok(WriteOutcome::Updated)
        }
        Ok(merged) => write_for(path, &merged, WriteOutcome::Updated),
        Err(ExportError::NotOurs { .. }) if force => {
            write_for(path, content, WriteOutcome::Replaced)
        }
        Err(err) => Err(err),
    }
}

/// Writes the JSON export `content` (as [`super::render_json`] makes it) to
/// `path`: created, replaced when it is an earlier gloss JSON export of the
/// same subject, left alone when unchanged, and refused otherwise unless
/// `force`.
pub fn write_json_export(
    path: &Path,
    content: &str,
    force: bool,
) -> Result<WriteOutcome, ExportError> {
    let Some(existing) = read_existing(path)? else {
        return write_for(path, content, WriteOutcome::Created);
    };
    if existing == content.as_bytes() {
        return Ok(WriteOutcome::Unchanged);
    }
    let subject_of = |bytes: &[u8]| {
        let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        (value.get("format")?.as_str()? == JSON_FORMAT)
            .then(|| value.get("subject")?.as_str().map(str::to_owned))
            .flatten()
    };
    let wanted = subject_of(content.as_bytes()).unwrap_or_default();
    let outcome = match subject_of(&existing) {
        Some(found) if found == wanted => WriteOutcome::Updated,
        _ if force => WriteOutcome::Replaced,
        Some(found) => {
            return Err(ExportError::OtherExport {
                path: path.to_path_buf(),
                found,
                wanted,
            });
        }
        None => return Err(not_ours(path, "it is not a gloss JSON export")),
    };
    write_for(path, content, outcome)
}

/// Writes `content` to `path` atomically and answers `outcome`. Only a
/// [`WriteOutcome::Replaced`] file keeps its old text as `NAME.bak`; an
/// export gloss wrote is rewritten with no backup, so a notes vault does not
/// list one beside every note.
fn write_for(
    path: &Path,
    content: &str,
    outcome: WriteOutcome,
) -> Result<WriteOutcome, ExportError> {
    if outcome == WriteOutcome::Replaced {
        write_atomic(path, content.as_bytes())?;
    } else {
        write_atomic_without_backup(path, content.as_bytes())?;
    }
    Ok(outcome)
}

/// The most of an existing file gloss reads to see whether it is its export:
/// far more than any export, and a bound on what a wrong `--out` costs.
pub const MAX_EXISTING_BYTES: u64 = 256 << 20;

/// The bytes of the file at `path`, `None` when there is none. Only a
/// regular file is read, and only up to [`MAX_EXISTING_BYTES`]: a device
/// (`/dev/zero` never ends) or a pipe (it waits for a writer) is refused.
fn read_existing(path: &Path) -> Result<Option<Vec<u8>>, ExportError> {
    let read_error = |source| ExportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(read_error(source)),
    };
    if metadata.is_dir() {
        return Err(ExportError::IsFolder {
            path: path.to_path_buf(),
        });
    }
    if !metadata.is_file() {
        return Err(not_ours(path, "it is a device, pipe or socket, not a file"));
    }
    if metadata.len() > MAX_EXISTING_BYTES {
        return Err(not_ours(path, "it is larger than any gloss export"));
    }
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    io::Read::read_to_end(
        &mut io::Read::take(file, MAX_EXISTING_BYTES + 1),
        &mut bytes,
    )
    .map_err(read_error)?;
    if bytes.len() as u64 > MAX_EXISTING_BYTES {
        return Err(not_ours(path, "it is larger than any gloss export"));
    }
    Ok(Some(bytes))
}

fn not_ours(path: &Path, reason: &str) -> ExportError {
    ExportError::NotOurs {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::export::Subject;
    use crate::export::region::{END_MARKER, begin_marker};

    fn export_of(subject: &Subject, body: &str) -> String {
        format!(
            "---\ntitle: \"T\"\ngloss-export: \"{}\"\n---\n\n{}\n\n{body}\n\n{END_MARKER}\n",
            subject.token(),
            begin_marker(subject)
        )
    }

    #[test]
    fn create_update_and_leave_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let subject = Subject::article("a");
        let first = export_of(&subject, "> one");
        assert_eq!(
            write_export(&path, &first, false).unwrap(),
            WriteOutcome::Created
        );
        assert_eq!(
            write_export(&path, &first, false).unwrap(),
            WriteOutcome::Unchanged
        );
        assert!(
            !dir.path().join("a.md.bak").exists(),
            "an unchanged export is not rewritten"
        );

        let mine = format!("{first}\nMy thoughts.\n");
        std::fs::write(&path, &mine).unwrap();
        let second = export_of(&subject, "> two");
        assert_eq!(
            write_export(&path, &second, false).unwrap(),
            WriteOutcome::Updated
        );
        let now = std::fs::read_to_string(&path).unwrap();
        assert_eq!(now, format!("{second}\nMy thoughts.\n"));
        assert_eq!(names_in(dir.path()), ["a.md"], "no backup, no temporary");
    }

    fn names_in(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_gloss_did_not_write_needs_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.md");
        std::fs::write(&path, "# My notes\n").unwrap();
        let content = export_of(&Subject::article("a"), "> q");
        let err = write_export(&path, &content, false).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("notes.md") && message.contains("--force"),
            "{message}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "# My notes\n");

        assert_eq!(
            write_export(&path, &content, true).unwrap(),
            WriteOutcome::Replaced
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
        // The person's own text, replaced by force, is the one thing kept.
        assert_eq!(
            std::fs::read_to_string(dir.path().join("notes.md.bak")).unwrap(),
            "# My notes\n"
        );
    }

    #[test]
    fn another_subjects_export_needs_force_and_keeps_the_persons_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.md");
        let other = format!("{}Kept.\n", export_of(&Subject::article("b"), "> b"));
        std::fs::write(&path, &other).unwrap();
        let content = export_of(&Subject::article("a"), "> a");
        let err = write_export(&path, &content, false).unwrap_err();
        assert!(matches!(err, ExportError::OtherExport { .. }), "{err}");
        assert_eq!(
            write_export(&path, &content, true).unwrap(),
            WriteOutcome::Updated
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{content}Kept.\n")
        );
    }

    #[test]
    fn binary_files_and_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.md");
        std::fs::write(&path, [0xff, 0xfe, 0x00]).unwrap();
        let content = export_of(&Subject::library(), "x");
        assert!(matches!(
            write_export(&path, &content, false),
            Err(ExportError::NotOurs { .. })
        ));
        assert!(matches!(
            write_export(dir.path(), &content, true),
            Err(ExportError::IsFolder { .. })
        ));
    }

    #[test]
    fn json_exports_are_recognised_by_format_and_subject() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        let json = |subject: &str, n: u32| {
            format!("{{\"format\": \"gloss-export\", \"subject\": \"{subject}\", \"n\": {n}}}\n")
        };
        assert_eq!(
            write_json_export(&path, &json("article:a", 1), false).unwrap(),
            WriteOutcome::Created
        );
        assert_eq!(
            write_json_export(&path, &json("article:a", 1), false).unwrap(),
            WriteOutcome::Unchanged
        );
        assert_eq!(
            write_json_export(&path, &json("article:a", 2), false).unwrap(),
            WriteOutcome::Updated
        );
        assert_eq!(names_in(dir.path()), ["a.json"]);
        assert!(write_json_export(&path, &json("article:b", 1), false).is_err());
        std::fs::write(&path, "{\"mine\": true}").unwrap();
        assert!(write_json_export(&path, &json("article:a", 1), false).is_err());
        assert_eq!(
            write_json_export(&path, &json("article:a", 1), true).unwrap(),
            WriteOutcome::Replaced
        );
    }
}
