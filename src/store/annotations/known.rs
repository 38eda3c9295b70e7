//! What this process last read from or wrote to `annotations.ron`, and the
//! file's stamp (length, times, inode) then: a save need not read back a file
//! still as it wrote it, and the reader's look at the file once a second
//! costs one `stat` until another writer changes it.

use std::path::Path;

use super::Annotations;
use super::file::read;
use super::format::Reading;
use crate::store::StoreError;

/// What this process last read from or wrote to the file, and the stamp that
/// shows the file is still exactly that, so that it need not be read again.
/// Any other writer changes the stamp: a save by another gloss replaces the
/// file (a new inode), and an edit in place changes its change time.
#[derive(Debug, Clone)]
pub struct KnownFile {
    pub(super) stamp: FileStamp,
    pub(super) annotations: Annotations,
}

impl KnownFile {
    /// The file at `path` as it is now: its stamp, taken before the file is
    /// read, and `annotations`, what was read. A change in between makes the
    /// stamp old, so that the file is read again rather than missed.
    pub fn stamped_before_reading(path: &Path) -> Option<FileStampBeforeRead> {
        stamp(path).map(FileStampBeforeRead)
    }

    /// The file as `read` found it, with the stamp taken before reading.
    pub fn new(before: FileStampBeforeRead, annotations: Annotations) -> KnownFile {
        KnownFile {
            stamp: before.0,
            annotations,
        }
    }

    /// What the file held.
    pub fn annotations(&self) -> &Annotations {
        &self.annotations
    }

    /// Whether the file at `path` is still the one known.
    pub fn is_current(&self, path: &Path) -> bool {
        stamp(path).as_ref() == Some(&self.stamp)
    }
}

/// A file's stamp taken before it is read (see [`KnownFile::stamped_before_reading`]).
#[derive(Debug, Clone)]
pub struct FileStampBeforeRead(FileStamp);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    identity: (u64, u64, i64, i64),
}

pub(super) fn stamp(path: &Path) -> Option<FileStamp> {
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

/// Reads the file at `path` again if it is no longer what `known` says,
/// taking unchanged highlights from what was known. `None` when it is still
/// the same (or missing, which changes nothing: a save writes it again).
/// A file that could not be read is told once for each stamp it has
/// (`told_unreadable` remembers the last).
pub(super) fn read_if_changed(
    path: &Path,
    known: &mut Option<KnownFile>,
    told_unreadable: &mut Option<FileStamp>,
) -> Option<Result<Annotations, StoreError>> {
    if known.as_ref().is_some_and(|known| known.is_current(path)) {
        return None;
    }
    let before = stamp(path)?;
    if told_unreadable.as_ref() == Some(&before) {
        return None;
    }
    let reading = read(path, known.as_ref().map(KnownFile::annotations));
    if !matches!(reading, Reading::Parsed(_) | Reading::Missing) {
        *told_unreadable = Some(before.clone());
    }
    match reading.usable(path) {
        Ok(Some(annotations)) => {
            *known = Some(KnownFile {
                stamp: before,
                annotations: annotations.clone(),
            });
            Some(Ok(annotations))
        }
        Ok(None) => None,
        Err(problem) => Some(Err(problem)),
    }
}
