//! `annotations.ron` on disk: reading it without ever losing a file that cannot
//! be understood, and the locked read-merge-write that lets two running
//! instances save without losing each other's changes. The text itself is
//! [`super::format`]'s business.
//!
//! A file gloss cannot read as it stands is never moved, renamed or written
//! over here: what can be read of it is used read-only, and only an explicit
//! [`super::repair`] replaces it.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::folder::{FolderLock, create_folder_for, remove_stale_temporaries};
use super::format::{ANNOTATIONS_VERSION, Reading, parse_against, write_file_text};
use super::kept::FileProblem;
use super::known::{FileStamp, KnownFile, stamp};
use super::{Annotations, Conflict, DELETION_MEMORY};
use crate::store::atomic::backup_path;
use crate::store::read_regular;
use crate::store::{StoreError, write_atomic_with};

/// What gloss starts with: the highlights that could be read, and what went
/// wrong with the file, if anything, to tell the person once.
#[derive(Debug, Default)]
pub struct Loaded {
    pub annotations: Annotations,
    pub problem: Option<StoreError>,
    /// The file is still in place but could not be understood (or comes from a
    /// newer gloss): nothing may be saved over it.
    pub read_only: bool,
    /// The file read, to name it in messages.
    pub path: PathBuf,
}

impl Loaded {
    /// A sentence to show the person, if the file could not be used as it was.
    pub fn warning(&self) -> Option<String> {
        self.problem.as_ref().map(ToString::to_string)
    }

    /// Whether the file is damaged (not RON as it stands) and waits for a
    /// fix by hand or `gloss repair`.
    pub fn needs_repair(&self) -> bool {
        matches!(self.problem, Some(StoreError::Damaged { .. }))
    }

    /// One line for the top of the reader while the annotations are
    /// read-only: the file, the line, and what to do.
    pub fn read_only_banner(&self) -> Option<String> {
        let name = file_name(&self.path);
        let banner = match self.problem.as_ref()? {
            StoreError::Damaged { problems, .. } => {
                let (line, reason) = problems
                    .first()
                    .map_or((0, ""), |p| (p.line, p.reason.as_str()));
                format!(
                    "read-only · {name} line {line} · run `gloss repair` or fix the file · {reason}"
                )
            }
            StoreError::NewerVersion { found, .. } => format!(
                "read-only · {name} is from a newer gloss (format {found}) · update gloss to change highlights"
            ),
            StoreError::Read { .. } => {
                format!("read-only · {name} cannot be read · see the warnings (w)")
            }
            _ => return None,
        };
        Some(banner)
    }

    /// One line for each highlight kept as written because a value in it is
    /// bad, naming the file, the line and what to write.
    pub fn spoiled_warnings(&self) -> Vec<String> {
        let file = crate::text::shown_path(&self.path);
        self.annotations
            .spoiled()
            .iter()
            .map(|spoiled| spoiled_warning(&file, &spoiled.problem))
            .collect()
    }
}

/// The file name of `path` as it may be shown.
fn file_name(path: &Path) -> String {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    crate::text::sanitize_line(&name)
}

/// One line for the top of the reader after a save found the file damaged
/// (edited while gloss ran): where, and that the changes wait in memory.
pub fn unsaved_banner(err: &StoreError) -> Option<String> {
    let StoreError::Damaged { path, problems, .. } = err else {
        return None;
    };
    let line = problems.first().map_or(0, |p| p.line);
    Some(format!(
        "not saved · {} line {line} · fix the file or run `gloss repair`; changes are kept here until then",
        file_name(path)
    ))
}

/// The warning for one spoiled highlight in `file`.
pub(super) fn spoiled_warning(file: &str, problem: &FileProblem) -> String {
    let which = problem
        .id
        .as_deref()
        .map_or_else(|| "a highlight".to_owned(), |id| format!("highlight {id}"));
    format!(
        "{file}:{}:{}: {which} is not shown and is kept as written until it is fixed: {}",
        problem.line, problem.column, problem.reason
    )
}

/// The outcome of a save: the merged state now on disk, which the caller
/// should merge into its own (see [`super::Saver`]), and anything the person
/// must be told .
#[derive(Debug, Default)]
pub struct Saved {
    pub annotations: Annotations,
    pub notice: Option<StoreError>,
    /// Highlights changed both here and in the file since the base: combined
    /// field by field (see [`Annotations::merge3`]); the person should hear.
    pub conflicts: Vec<Conflict>,
}

/// Reads the annotations at `path`. This never fails: a missing file is an
/// empty set, and any other trouble is described in [`Loaded::problem`].
///
/// A file that is not RON as it stands (a typo, a file cut short, bytes that
/// are not text) is left exactly where and as it is: every highlight that can
/// be told apart is read, the first break is reported with its line and
/// column, and the result is read-only until the file is fixed or repaired;
/// the backup is offered, never swapped in. A highlight with a bad value is
/// kept aside as written (see [`Annotations::spoiled`]) and the rest loads as
/// usual. A file from a newer gloss stays where it is, is read if possible,
/// and makes the result read-only. Temporary files left by a killed save are
/// cleaned up.
pub fn load(path: &Path) -> Loaded {
    remove_stale_temporaries(path);
    let _lock = FolderLock::try_for_reading(path);
    let read_only = |annotations: Option<Annotations>, problem: StoreError| Loaded {
        annotations: annotations.unwrap_or_default(),
        problem: Some(problem),
        read_only: true,
        path: path.to_path_buf(),
    };
    match read(path, None) {
        Reading::Missing => Loaded {
            path: path.to_path_buf(),
            ..Loaded::default()
        },
        Reading::Parsed(annotations) => Loaded {
            annotations,
            path: path.to_path_buf(),
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
        Reading::Damaged { salvaged, problems } => {
            let problem = damaged(path, problems, &salvaged);
            read_only(Some(salvaged), problem)
        }
    }
}

/// The error for a damaged file at `path`, offering the backup if there is one.
pub(super) fn damaged(
    path: &Path,
    problems: Vec<FileProblem>,
    salvaged: &Annotations,
) -> StoreError {
    let backup = backup_path(path);
    StoreError::Damaged {
        path: path.to_path_buf(),
        problems,
        highlights: salvaged.len(),
        backup: backup.is_file().then_some(backup),
    }
}

/// Saves `ours` merged into whatever `path` holds now, and returns the merged
/// state (see [`Annotations::merge`]): with no base to compare with, the copy
/// updated later wins. Whoever knows what its highlights came from should use
/// [`save_merged_from`].
///
/// The whole read-merge-write happens under an exclusive lock on
/// `NAME.lock`, so another gloss saving at the same moment waits its turn and
/// neither loses the other's changes. The write is atomic and keeps the
/// previous file as `NAME.bak`. Deletions older than [`DELETION_MEMORY`] are
/// forgotten. A file from a newer gloss, one that cannot be read, or one that
/// no longer parses stops the save and is left untouched.
pub fn save_merged(path: &Path, ours: &Annotations) -> Result<Saved, StoreError> {
    save_merged_over(path, None, ours, None).map(|(saved, _)| saved)
}

/// Saves `ours`, which was made from `base` (what this process last read or
/// wrote), merged three ways with what `path` holds now (see
/// [`Annotations::merge3`]): a change made in the file since `base` is kept
/// unless ours changed the same highlight, and then both are combined field
/// by field. Otherwise as [`save_merged`]. The result is the next base.
pub fn save_merged_from(
    path: &Path,
    base: &Annotations,
    ours: &Annotations,
) -> Result<Saved, StoreError> {
    save_merged_over(path, Some(base), ours, None).map(|(saved, _)| saved)
}

/// [`save_merged_from`], skipping the read when the file is still what
/// `known` says, and updating `known` after the write.
pub(super) fn save_merged_remembering(
    path: &Path,
    base: &Annotations,
    ours: &Annotations,
    known: &mut Option<KnownFile>,
) -> Result<Saved, StoreError> {
    // Kept as it was if the save fails: the file did not change then.
    let (saved, stamp) = save_merged_over(path, Some(base), ours, known.clone())?;
    // The copy shares the set with the saved state, so remembering is free.
    *known = stamp.map(|stamp| KnownFile {
        stamp,
        annotations: saved.annotations.clone(),
    });
    Ok(saved)
}

/// [`save_merged`] or, with a base, [`save_merged_from`], with what this
/// process last knew of the file, if anything; also gives the stamp of the
/// file written.
fn save_merged_over(
    path: &Path,
    base: Option<&Annotations>,
    ours: &Annotations,
    known: Option<KnownFile>,
) -> Result<(Saved, Option<FileStamp>), StoreError> {
    create_folder_for(path)?;
    let _lock = FolderLock::acquire(path)?;
    let current = match known {
        Some(known) if known.is_current(path) => Reading::Parsed(known.annotations),
        _ => read(path, Some(ours)),
    };
    let mut conflicts = Vec::new();
    let (mut merged, notice) = match current.usable(path)? {
        // A file removed or not yet written says nothing against ours.
        None => (ours.clone(), None),
        Some(current) => match base {
            Some(base) => {
                let three_way = Annotations::merge3(base, ours, &current);
                conflicts = three_way.conflicts;
                (three_way.annotations, None)
            }
            None => (merged_two_ways(current, ours), None),
        },
    };
    if let Ok(cutoff) = Timestamp::now().checked_sub(DELETION_MEMORY) {
        merged.forget_deletions_before(cutoff);
    }
    write_atomic_with(path, |file| write_file_text(file, &merged))?;
    let saved = Saved {
        annotations: merged,
        notice,
        conflicts,
    };
    Ok((saved, stamp(path)))
}

fn merged_two_ways(mut current: Annotations, ours: &Annotations) -> Annotations {
    current.merge(ours);
    current
}

/// Larger than any store people keep (100,000 highlights take 70 MB): a
/// file this size is refused unread rather than filling the memory.
pub(super) const MAX_FILE_BYTES: u64 = 1 << 30;

/// Reads the file at `path`, taking the highlights it holds unchanged from
/// `known` (see [`parse_against`]).
pub(super) fn read(path: &Path, known: Option<&Annotations>) -> Reading {
    match read_regular(path, MAX_FILE_BYTES) {
        Ok(Some(bytes)) => parse_against(&bytes, known),
        Ok(None) => Reading::Missing,
        Err(err) => Reading::Unreadable(err),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::store::annotations::arbitrary::highlight_at as highlight;

    #[test]
    fn a_save_shares_what_the_file_holds_unchanged_and_takes_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.ron");
        let mut theirs = Annotations::new();
        for n in 0..5 {
            theirs.upsert(highlight(&format!("h-{n}"), "a", n));
        }
        save_merged(&path, &theirs).unwrap();
        // Ours holds the same highlights as separate copies, one of them older.
        let mut ours = Annotations::new();
        for n in 0..5 {
            let mut copy = highlight(&format!("h-{n}"), "a", n);
            if n == 3 {
                copy.note = "older".into();
                copy.updated -= jiff::SignedDuration::from_secs(1);
            }
            ours.upsert(copy);
        }
        let saved = save_merged(&path, &ours).unwrap().annotations;
        assert_eq!(saved, theirs);
        for (id, copy) in saved.highlights.iter() {
            let shared = std::sync::Arc::ptr_eq(copy, &ours.highlights[id]);
            assert_eq!(shared, &**id != "h-3", "{id}");
        }
    }

    #[test]
    fn a_file_broken_while_gloss_runs_stops_the_save_and_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.ron");
        let mut last = None;
        let mut ours = Annotations::new();
        ours.upsert(highlight("h-ours", "a", 1));
        let base = Annotations::new();
        save_merged_remembering(&path, &base, &ours, &mut last).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let broken = text.replacen("        ),\n", "        )\n        (\n", 1);
        std::fs::write(&path, &broken).unwrap();

        ours.upsert(highlight("h-more", "a", 2));
        let err = save_merged_remembering(&path, &base, &ours, &mut last).unwrap_err();
        assert!(matches!(err, StoreError::Damaged { .. }), "{err:?}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
        let banner = unsaved_banner(&err).unwrap();
        assert!(
            banner.starts_with("not saved · annotations.ron line ")
                && banner.contains("gloss repair"),
            "{banner}"
        );
        assert_eq!(
            unsaved_banner(&StoreError::Encode {
                path,
                reason: String::new()
            }),
            None
        );
    }

    #[test]
    fn a_remembered_save_still_sees_every_other_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.ron");
        let mut last = None;
        let mut ours = Annotations::new();
        ours.upsert(highlight("h-ours", "a", 1));
        save_merged_remembering(&path, &Annotations::new(), &ours, &mut last).unwrap();
        assert!(last.is_some());

        // Another instance saves; then the file is edited in place by hand.
        let mut theirs = Annotations::new();
        theirs.upsert(highlight("h-theirs", "a", 2));
        save_merged(&path, &theirs).unwrap();
        let merged = save_merged_remembering(&path, &Annotations::new(), &ours, &mut last).unwrap();
        assert_eq!(merged.annotations.len(), 2);

        let text = std::fs::read_to_string(&path).unwrap();
        let edited = text.replace("\"h-theirs\"", "\"h-hand01\"");
        assert_eq!(edited.len(), text.len());
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, edited.as_bytes()))
            .unwrap();
        let merged = save_merged_remembering(&path, &Annotations::new(), &ours, &mut last).unwrap();
        assert!(merged.annotations.get("h-hand01").is_some());
        assert_eq!(load(&path).annotations, merged.annotations);
    }
}
