//! The data folder around `annotations.ron`: the lock file that lets only one
//! gloss at a time read-merge-write the file, and the clean-up of temporary
//! files left behind by a save that was killed half-way.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::store::StoreError;

/// Temporary files younger than this may belong to a save in progress.
const STALE_AFTER: Duration = Duration::from_secs(60);

/// The lock file beside `path`: the same name with `.lock` added. It is never
/// renamed or deleted, so every instance always locks the same file.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Holds the exclusive lock on a lock file until dropped (closing the file
/// releases it, also when the process is killed).
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
}

impl FolderLock {
    /// Waits for the exclusive lock beside `path`. The folder must exist.
    pub fn acquire(path: &Path) -> Result<FolderLock, StoreError> {
        let lock_path = lock_path(path);
        let lock_error = |source| StoreError::Lock {
            path: lock_path.clone(),
            source,
        };
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&lock_path).map_err(lock_error)?;
        match file.lock() {
            Ok(()) => {}
            // Where the file system cannot lock, saving still works; only two
            // instances saving at the same instant could then miss each other.
            Err(err) if err.kind() == io::ErrorKind::Unsupported => {}
            Err(source) => return Err(lock_error(source)),
        }
        Ok(FolderLock { _file: file })
    }

    /// The lock, if one can be had without creating anything but the lock file:
    /// reading must work in a folder that does not exist or is read-only.
    pub fn try_for_reading(path: &Path) -> Option<FolderLock> {
        let folder = parent_folder(path);
        if !folder.is_dir() {
            return None;
        }
        FolderLock::acquire(path).ok()
    }
}

/// Creates the folder holding `path` (private to the user on unix).
pub fn create_folder_for(path: &Path) -> Result<(), StoreError> {
    let folder = parent_folder(path);
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(&folder)
        .map_err(|source| StoreError::CreateFolder {
            path: folder,
            source,
        })
}

/// Deletes temporary files a killed save left beside `path`, once they are
/// older than a minute. Only names that [`crate::store::write_atomic`] and its
/// backup step make are touched (`.tmpXXXXXX`, `.gloss-backupXXXXXX`), plus
/// `.NAME.*.tmp`. Failures are ignored: leftovers cost only disk space.
pub fn remove_stale_temporaries(path: &Path) {
    let folder = parent_folder(path);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return;
    };
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        if !is_leftover_name(name, &file_name) {
            continue;
        }
        let Ok(metadata) = entry.path().symlink_metadata() else {
            continue;
        };
        let age = metadata
            .modified()
            .ok()
            .and_then(|modified| now.duration_since(modified).ok());
        if metadata.is_file() && age.is_some_and(|age| age >= STALE_AFTER) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn is_leftover_name(name: &str, file_name: &str) -> bool {
    let random_suffix = |prefix: &str| {
        name.strip_prefix(prefix)
            .is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
    };
    let own = format!(".{file_name}.");
    random_suffix(".tmp")
        || random_suffix(".gloss-backup")
        || (!file_name.is_empty()
            && name.starts_with(&own)
            && Path::new(name).extension().is_some_and(|ext| ext == "tmp"))
}

fn parent_folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn age(path: &Path, seconds: u64) {
        let file = File::options().write(true).open(path).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(seconds))
            .unwrap();
    }

    #[test]
    fn only_old_leftovers_of_saves_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.ron");
        let names = [
            ".tmpAb12Cd",
            ".gloss-backupZZ99aa",
            ".annotations.ron.x1.tmp",
            ".tmpYoung1",
            ".tmp-too-long-name",
            "annotations.ron",
            "annotations.ron.bak",
            "annotations.ron.lock",
            "notes.tmp",
        ];
        for name in names {
            std::fs::write(dir.path().join(name), b"x").unwrap();
            if name != ".tmpYoung1" {
                age(&dir.path().join(name), 120);
            }
        }
        remove_stale_temporaries(&path);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".tmp-too-long-name",
                ".tmpYoung1",
                "annotations.ron",
                "annotations.ron.bak",
                "annotations.ron.lock",
                "notes.tmp"
            ]
        );
    }

    #[test]
    fn the_lock_is_exclusive_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.ron");
        let held = FolderLock::acquire(&path).unwrap();
        let second = File::options()
            .read(true)
            .write(true)
            .open(lock_path(&path))
            .unwrap();
        assert!(second.try_lock().is_err(), "a second lock must wait");
        drop(held);
        assert!(second.try_lock().is_ok());
    }

    #[test]
    fn reading_never_creates_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent").join("annotations.ron");
        assert!(FolderLock::try_for_reading(&path).is_none());
        assert!(!dir.path().join("absent").exists());
    }
}
