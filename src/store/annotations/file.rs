//! `annotations.ron` on disk: reading it without ever losing a file that cannot
//! be understood, and the locked read-merge-write that lets two running
//! instances save without losing each other's changes. The text itself is
//! [`super::format`]'s business.

use std::io;
use std::path::Path;

use jiff::Timestamp;

use super::folder::{FolderLock, create_folder_for, remove_stale_temporaries};
use super::format::{ANNOTATIONS_VERSION, Reading, parse, parse_against, write_file_text};
use super::known::{FileStamp, KnownFile, stamp};
use super::{Annotations, Conflict, DELETION_MEMORY};
use crate::store::atomic::backup_path;
use crate::store::{StoreError, set_aside, write_atomic, write_atomic_with};

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
    /// Highlights changed both here and in the file since the base: combined
    /// field by field (see [`Annotations::merge3`]); the person should hear.
    pub conflicts: Vec<Conflict>,
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
    match read(path, None) {
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
/// state (see [`Annotations::merge`]): with no base to compare with, the copy
/// updated later wins. Whoever knows what its highlights came from should use
/// [`save_merged_from`].
///
/// The whole read-merge-write happens under an exclusive lock on
/// `NAME.lock`, so another gloss saving at the same moment waits its turn and
/// neither loses the other's changes. The write is atomic and keeps the
/// previous file as `NAME.bak`. Deletions older than [`DELETION_MEMORY`] are
/// forgotten. A file from a newer gloss, or one that cannot be read, stops the
/// save and is left untouched; one that no longer parses is set aside first
/// (the backup is merged in its place) and reported in [`Saved::notice`].
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
    let (mut merged, notice) = match current {
        // A file removed or not yet written says nothing against ours.
        Reading::Missing => (ours.clone(), None),
        Reading::Parsed(current) => match base {
            Some(base) => {
                let three_way = Annotations::merge3(base, ours, &current);
                conflicts = three_way.conflicts;
                (three_way.annotations, None)
            }
            None => (merged_two_ways(current, ours), None),
        },
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
            // The backup may be older than the base: merged without one, so
            // that what it lacks is not taken for deleted.
            match read_backup(path) {
                Some((backup, _)) => (
                    merged_two_ways(backup, ours),
                    Some(restored_from_backup(problem, path)),
                ),
                None => (ours.clone(), Some(problem)),
            }
        }
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

/// Reads the file at `path`, taking the highlights it holds unchanged from
/// `known` (see [`parse_against`]).
pub(super) fn read(path: &Path, known: Option<&Annotations>) -> Reading {
    match std::fs::read(path) {
        Ok(bytes) => parse_against(&bytes, known),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Reading::Missing,
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
