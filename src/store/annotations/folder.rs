//! The data folder around `annotations.ron`: the lock file that lets only one
//! gloss at a time read-merge-write the file, and the clean-up of temporary
//! files left behind by a save that was killed half-way.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

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

/// How long a save waits for another process's lock before it gives up and
/// says so. A save takes well under a second; a lock held longer belongs to
/// a process that is stuck, stopped (`SIGSTOP`) or not gloss at all.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// What a save in this process is waiting for now, if it waits for a lock:
/// the reader shows it while it lasts.
static WAITING: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Where a wait for the lock is told as it starts (a command prints it).
static REPORT_WAITS: std::sync::OnceLock<fn(&str)> = std::sync::OnceLock::new();

/// Has every wait for the lock of `annotations.ron` told to `report` as it
/// starts ("waiting for another gloss (pid N) to finish saving…"); set once.
pub fn report_lock_waits_to(report: fn(&str)) {
    let _ = REPORT_WAITS.set(report);
}

/// What a save of this process is waiting for now, if anything.
pub fn lock_wait() -> Option<String> {
    WAITING.lock().ok().and_then(|waiting| waiting.clone())
}

/// How long a save waits quietly before saying it is waiting.
const QUIET_WAIT: Duration = Duration::from_millis(300);

/// How often a waiting save tries the lock again.
const RETRY_EVERY: Duration = Duration::from_millis(25);

/// Holds the exclusive lock on a lock file until dropped (closing the file
/// releases it, also when the process is killed).
#[derive(Debug)]
pub struct FolderLock {
    file: File,
}

impl FolderLock {
    /// Takes the exclusive lock beside `path`, waiting at most [`LOCK_WAIT`]
    /// for another process to let go of it. The folder must exist.
    /// Says so through [`report_lock_waits_to`] and [`lock_wait`] while
    /// it waits.
    pub fn acquire(path: &Path) -> Result<FolderLock, StoreError> {
        let result = FolderLock::acquire_saying(path, LOCK_WAIT, &|message| {
            if let Ok(mut waiting) = WAITING.lock() {
                *waiting = Some(message.to_string());
            }
            if let Some(report) = REPORT_WAITS.get() {
                report(message);
            }
        });
        if let Ok(mut waiting) = WAITING.lock() {
            *waiting = None;
        }
        result
    }

    /// [`FolderLock::acquire`], waiting at most `limit`, and calling
    /// `waiting` once, with a sentence naming who holds the lock, when the
    /// wait is long enough to be noticed.
    pub fn acquire_saying(
        path: &Path,
        limit: Duration,
        waiting: &dyn Fn(&str),
    ) -> Result<FolderLock, StoreError> {
        let lock_path = lock_path(path);
        let lock_error = |source| StoreError::Lock {
            path: lock_path.clone(),
            source,
        };
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&lock_path).map_err(lock_error)?;
        let started = Instant::now();
        let mut said = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                // Where the file system cannot lock, saving still works; only
                // two instances saving at the same instant could then miss
                // each other.
                Err(TryLockError::Error(err)) if err.kind() == io::ErrorKind::Unsupported => {
                    return Ok(FolderLock { file });
                }
                Err(TryLockError::Error(source)) => return Err(lock_error(source)),
                Err(TryLockError::WouldBlock) => {
                    let waited = started.elapsed();
                    if waited >= limit {
                        return Err(StoreError::LockHeld {
                            path: lock_path.clone(),
                            holder: holder_of(&lock_path),
                            waited,
                        });
                    }
                    if !said && waited >= QUIET_WAIT {
                        said = true;
                        waiting(&format!(
                            "waiting for {} to finish saving…",
                            holder_of(&lock_path)
                        ));
                    }
                    std::thread::sleep(RETRY_EVERY);
                }
            }
        }
        // Who holds the lock, for anyone who waits for it.
        let _ = file
            .set_len(0)
            .and_then(|()| file.write_all(std::process::id().to_string().as_bytes()));
        Ok(FolderLock { file })
    }

    /// The lock, if it can be had at once without creating anything but the
    /// lock file: reading must work in a folder that does not exist or is
    /// read-only, and must not wait for a writer (a save replaces the file
    /// whole, so a read without the lock still sees one whole version).
    pub fn try_for_reading(path: &Path) -> Option<FolderLock> {
        let folder = parent_folder(path);
        if !folder.is_dir() {
            return None;
        }
        FolderLock::acquire_saying(path, Duration::ZERO, &|_| {}).ok()
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // No one holds it any more: a later lock taken by another program
        // must not be blamed on this process.
        let _ = self.file.set_len(0);
    }
}

/// Who holds the lock file at `lock_path`, as far as it says: the process
/// id a gloss writes into it while it holds it (if that process is still
/// there), or "another program" (a lock taken by hand, say).
fn holder_of(lock_path: &Path) -> String {
    let pid = std::fs::read(lock_path)
        .ok()
        .filter(|bytes| bytes.len() <= 20)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.trim().parse::<u32>().ok());
    let proc = Path::new("/proc");
    let running = |pid: u32| !proc.is_dir() || proc.join(pid.to_string()).exists();
    match pid {
        Some(pid) if pid != std::process::id() && running(pid) => {
            format!("another gloss (pid {pid})")
        }
        _ => "another program".to_string(),
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

    /// The lock beside `path` taken as another process would: through a
    /// file description of its own.
    fn held_elsewhere(path: &Path, pid: &str) -> File {
        std::fs::write(lock_path(path), pid).unwrap();
        let other = File::options().write(true).open(lock_path(path)).unwrap();
        other.lock().unwrap();
        other
    }

    #[test]
    fn a_held_lock_is_waited_for_a_bounded_time_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.ron");
        let other = held_elsewhere(&path, &std::process::id().to_string());
        let said = std::cell::RefCell::new(Vec::new());
        let started = Instant::now();
        let err = FolderLock::acquire_saying(&path, Duration::from_millis(600), &|message| {
            said.borrow_mut().push(message.to_string());
        })
        .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(matches!(err, StoreError::LockHeld { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("annotations.ron.lock"), "{message}");
        assert!(message.contains("nothing was saved"), "{message}");
        assert_eq!(
            *said.borrow(),
            ["waiting for another program to finish saving…"]
        );
        assert!(
            FolderLock::try_for_reading(&path).is_none(),
            "reading does not wait"
        );
        drop(other);
        let lock = FolderLock::acquire(&path).unwrap();
        assert_eq!(
            std::fs::read_to_string(lock_path(&path)).unwrap(),
            std::process::id().to_string(),
            "the holder writes its pid"
        );
        drop(lock);
        assert_eq!(std::fs::read_to_string(lock_path(&path)).unwrap(), "");
    }

    #[test]
    fn a_running_gloss_holding_the_lock_is_named_by_its_pid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.ron");
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let _other = held_elsewhere(&path, &child.id().to_string());
        let err =
            FolderLock::acquire_saying(&path, Duration::from_millis(50), &|_| {}).unwrap_err();
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            err.to_string()
                .starts_with(&format!("another gloss (pid {})", child.id())),
            "{err}"
        );
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
