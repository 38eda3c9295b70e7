//! `gloss repair`: the one way a damaged `annotations.ron` gets replaced, and
//! only when the person asks. The file as it was is first copied beside it
//! under a new name (never over an existing file), then what could be read
//! of it (or, on request, the backup) is written in its place atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Annotations;
use super::file::read;
use super::folder::{FolderLock, create_folder_for};
use super::format::{ANNOTATIONS_VERSION, Reading, parse, write_file_text};
use super::kept::FileProblem;
use crate::store::atomic::backup_path;
use crate::store::{StoreError, write_atomic_without_backup};

/// What a repair did, or would do with `dry_run`.
#[derive(Debug)]
pub struct Repaired {
    /// The file repaired.
    pub path: PathBuf,
    /// Where the file as it was is kept (or would be); `None` when there was
    /// nothing to keep (no file, or nothing to repair).
    pub kept_as: Option<PathBuf>,
    /// Whether anything was written (false for a dry run or a file that
    /// needed nothing).
    pub written: bool,
    /// The file needed no repair.
    pub nothing_to_do: bool,
    /// Whether the backup was used instead of the file.
    pub from_backup: Option<PathBuf>,
    /// The highlights in the repaired file.
    pub highlights: usize,
    /// Spoiled highlights written back as they were.
    pub spoiled: usize,
    /// The breaks in the file that cost a highlight (or, without an id,
    /// may have): those are not in the repaired file, only in the kept copy.
    pub dropped: Vec<FileProblem>,
}

/// Repairs the annotations file at `path`: with `from_backup`, puts back
/// `NAME.bak`; otherwise writes every highlight that could be read. The file
/// as it was is kept as `NAME.broken-<seconds>` first. A file that needs no
/// repair is left alone; a file from a newer gloss is refused. With
/// `dry_run`, says what would be done and changes nothing.
pub fn repair(path: &Path, from_backup: bool, dry_run: bool) -> Result<Repaired, StoreError> {
    create_folder_for(path)?;
    let _lock = FolderLock::acquire(path)?;
    let mut done = Repaired {
        path: path.to_path_buf(),
        kept_as: None,
        written: false,
        nothing_to_do: false,
        from_backup: None,
        highlights: 0,
        spoiled: 0,
        dropped: Vec::new(),
    };
    let (repaired, exists) = match read(path, None) {
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
        Reading::Parsed(annotations) if !from_backup => {
            done.nothing_to_do = true;
            done.highlights = annotations.len();
            done.spoiled = annotations.spoiled().len();
            return Ok(done);
        }
        Reading::Missing if !from_backup => {
            done.nothing_to_do = true;
            return Ok(done);
        }
        Reading::Damaged { salvaged, problems } if !from_backup => {
            // Only the places whose highlight could not be read at all.
            done.dropped = problems
                .into_iter()
                .filter(|problem| {
                    problem.id.as_ref().is_none_or(|id| {
                        salvaged.get(id).is_none()
                            && !salvaged
                                .spoiled()
                                .iter()
                                .any(|s| s.problem.id.as_ref() == Some(id))
                    })
                })
                .collect();
            (salvaged, true)
        }
        other => (read_backup(path)?, !matches!(other, Reading::Missing)),
    };
    if from_backup {
        done.from_backup = Some(backup_path(path));
    }
    done.highlights = repaired.len();
    done.spoiled = repaired.spoiled().len();
    let mut text = Vec::new();
    write_file_text(&mut text, &repaired).map_err(|source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    if exists {
        done.kept_as = Some(if dry_run {
            free_name(path)
        } else {
            keep_copy(path)?
        });
    }
    if !dry_run {
        // The backup stays the last good file: the one replaced is kept above.
        write_atomic_without_backup(path, &text)?;
        done.written = true;
    }
    Ok(done)
}

/// The backup, if it reads cleanly.
fn read_backup(path: &Path) -> Result<Annotations, StoreError> {
    let backup = backup_path(path);
    let unusable = |reason: String| StoreError::BackupUnusable {
        backup: backup.clone(),
        reason,
    };
    let bytes = std::fs::read(&backup).map_err(|err| unusable(err.to_string()))?;
    match parse(&bytes) {
        Reading::Parsed(annotations) => Ok(annotations),
        Reading::Damaged { problems, .. } => Err(unusable(
            problems
                .first()
                .map_or_else(|| "it is damaged too".to_owned(), ToString::to_string),
        )),
        Reading::Newer { found, .. } => Err(unusable(format!(
            "it was written by a newer gloss (format version {found})"
        ))),
        Reading::Missing => Err(unusable("it is missing".to_owned())),
        Reading::Unreadable(err) => Err(unusable(err.to_string())),
    }
}

/// `NAME.broken-<seconds>`, numbered when that is taken.
fn free_name(path: &Path) -> PathBuf {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".broken-{seconds}"));
    let first = PathBuf::from(&name);
    std::iter::once(first.clone())
        .chain((2..).map(|n| {
            let mut numbered = name.clone();
            numbered.push(format!("-{n}"));
            PathBuf::from(numbered)
        }))
        .take(1000)
        .find(|candidate| !candidate.exists())
        .unwrap_or(first)
}

/// Copies the file at `path` to a new name beside it, never replacing
/// anything, and flushes it to disk.
fn keep_copy(path: &Path) -> Result<PathBuf, StoreError> {
    let bytes = std::fs::read(path).map_err(|source| StoreError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let target = free_name(path);
    let write_error = |source| StoreError::Write {
        path: target.clone(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&target).map_err(write_error)?;
    file.write_all(&bytes).map_err(write_error)?;
    file.sync_all().map_err(write_error)?;
    Ok(target)
}
