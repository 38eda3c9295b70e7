//! Where the person stopped reading in each article, kept in `positions.ron` so
//! that reopening an article resumes at the same passage.
//!
//! The file looks like
//! `(version: 1, positions: { "id": (block: 3, sentence: 0), … })`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::annotations::{FolderLock, create_folder_for};
use super::{StoreError, load_versioned, save_versioned};

/// The format version this gloss writes and the newest it reads.
pub const POSITIONS_VERSION: u32 = 1;

/// A place in an article: the block and the sentence within it that the reading
/// cursor was on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReadingPosition {
    pub block: usize,
    pub sentence: usize,
}

/// Reading positions by article id, in a stable order.
pub type Positions = BTreeMap<String, ReadingPosition>;

/// The whole file, as written.
#[derive(Serialize, Deserialize)]
struct PositionsFile {
    version: u32,
    positions: Positions,
}

/// Reads the positions at `path`; a missing file is an empty map.
///
/// A file that does not parse is set aside (see [`super::load_versioned`]); a
/// file from a newer gloss is left alone. Both are errors, and
/// [`StoreError::allows_saving`] says whether `path` may be written afterwards.
pub fn load(path: &Path) -> Result<Positions, StoreError> {
    let file = load_versioned::<PositionsFile>(path, POSITIONS_VERSION)?;
    Ok(file.map(|file| file.positions).unwrap_or_default())
}

/// Writes every position to `path`, atomically, keeping a backup of the last file.
pub fn save(path: &Path, positions: &Positions) -> Result<(), StoreError> {
    // The map is cloned only to fit the on-disk shape; it holds one small entry
    // per article opened, so this is cheap next to the disk write.
    let file = PositionsFile {
        version: POSITIONS_VERSION,
        positions: positions.clone(),
    };
    save_versioned(path, &file)
}

/// Saves `updates` over whatever `path` holds now, and returns the merged map.
///
/// Another running gloss may have saved positions for other articles since this
/// one loaded the file; re-reading it first keeps them. Entries in `updates` win.
/// A file that may not be replaced (see [`StoreError::allows_saving`]) stops the
/// save; one that was set aside as unreadable is replaced by `updates` alone.
///
/// The read-merge-write happens under an exclusive lock on `positions.ron.lock`,
/// taken as the annotations save takes its own: it waits for another gloss
/// saving at the same moment, and a lock that cannot be had stops the save with
/// [`StoreError::Lock`].
pub fn merge_and_save(path: &Path, updates: &Positions) -> Result<Positions, StoreError> {
    create_folder_for(path)?;
    // The store's lock guards one file and sits beside it (`NAME.lock`), so
    // positions get their own rather than sharing the annotations' lock: the
    // two files are never updated together, and quitting should not wait
    // behind a large annotations save on the saver thread.
    let _lock = FolderLock::acquire(path)?;
    let mut merged = match load(path) {
        Ok(current) => current,
        Err(err) if err.allows_saving() => Positions::new(),
        Err(err) => return Err(err),
    };
    merged.extend(updates.iter().map(|(id, position)| (id.clone(), *position)));
    save(path, &merged)?;
    Ok(merged)
}

/// What the reader starts with: the positions that could be read, and the
/// problem with the file if there was one.
#[derive(Debug, Default)]
pub struct LoadedPositions {
    pub positions: Positions,
    /// Why the file could not be used, to tell the person once.
    pub problem: Option<StoreError>,
}

impl LoadedPositions {
    /// Loads `path`, starting from an empty map when the file cannot be used.
    pub fn load_or_empty(path: &Path) -> LoadedPositions {
        match load(path) {
            Ok(positions) => LoadedPositions {
                positions,
                problem: None,
            },
            Err(problem) => LoadedPositions {
                positions: Positions::new(),
                problem: Some(problem),
            },
        }
    }

    /// Whether saving may replace the file: not when a file that could not be
    /// understood is still in its place.
    pub fn may_save(&self) -> bool {
        self.problem.as_ref().is_none_or(StoreError::allows_saving)
    }

    /// A sentence to show the person, if the file could not be used.
    pub fn warning(&self) -> Option<String> {
        self.problem.as_ref().map(ToString::to_string)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sample() -> Positions {
        let mut positions = Positions::new();
        positions.insert(
            "lagos-transit".into(),
            ReadingPosition {
                block: 3,
                sentence: 0,
            },
        );
        positions.insert(
            "seed \"two\" 成果".into(),
            ReadingPosition {
                block: 17,
                sentence: 2,
            },
        );
        positions
    }

    #[test]
    fn saved_positions_load_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("positions.ron");
        save(&path, &sample()).unwrap();
        assert_eq!(load(&path).unwrap(), sample());
    }

    #[test]
    fn the_file_is_readable_ron_with_a_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("positions.ron");
        save(&path, &sample()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("version: 1"), "{text}");
        assert!(
            text.contains("\"lagos-transit\": (block: 3, sentence: 0)"),
            "{text}"
        );
    }

    #[test]
    fn a_hand_written_file_in_the_documented_shape_loads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("positions.ron");
        std::fs::write(
            &path,
            r#"(version: 1, positions: { "a": (block: 3, sentence: 1) })"#,
        )
        .unwrap();
        let positions = load(&path).unwrap();
        assert_eq!(
            positions.get("a"),
            Some(&ReadingPosition {
                block: 3,
                sentence: 1
            })
        );
    }

    #[test]
    fn a_missing_file_is_an_empty_map() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = LoadedPositions::load_or_empty(&dir.path().join("positions.ron"));
        assert!(loaded.positions.is_empty());
        assert!(loaded.problem.is_none());
        assert!(loaded.may_save());
        assert_eq!(loaded.warning(), None);
    }

    #[test]
    fn a_corrupt_file_is_kept_aside_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("positions.ron");
        let bytes = "(version: 1,\n positions: { \"a\": (block: oops) })\n\u{0}\u{7f}".as_bytes();
        std::fs::write(&path, bytes).unwrap();

        let loaded = LoadedPositions::load_or_empty(&path);
        assert!(loaded.positions.is_empty());
        assert!(loaded.may_save(), "the bad file is out of the way");
        let Some(StoreError::Corrupt {
            kept_as,
            line,
            column,
            ..
        }) = &loaded.problem
        else {
            panic!("expected Corrupt, got {:?}", loaded.problem);
        };
        assert!(!path.exists());
        assert_eq!(std::fs::read(kept_as).unwrap(), bytes);
        let kept_name = kept_as.file_name().unwrap().to_string_lossy();
        assert!(
            kept_name.starts_with("positions.ron.corrupt-"),
            "{kept_name}"
        );
        assert_eq!(*line, 2);
        assert!(*column > 1);

        let warning = loaded.warning().unwrap();
        assert!(warning.contains("positions.ron"), "{warning}");
        assert!(warning.contains(&*kept_name), "{warning}");
        assert!(warning.contains("line 2"), "{warning}");

        // Saving afterwards writes a fresh file and leaves the kept one alone.
        save(&path, &sample()).unwrap();
        assert_eq!(std::fs::read(kept_as).unwrap(), bytes);
    }

    #[test]
    fn merging_keeps_positions_saved_by_another_instance() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("positions.ron");
        save(&path, &sample()).unwrap();

        let mut mine = Positions::new();
        let moved = ReadingPosition {
            block: 5,
            sentence: 1,
        };
        mine.insert("lagos-transit".into(), moved);
        mine.insert("new-article".into(), ReadingPosition::default());
        let merged = merge_and_save(&path, &mine).unwrap();

        assert_eq!(load(&path).unwrap(), merged);
        assert_eq!(merged.len(), 3);
        assert_eq!(merged["lagos-transit"], moved);
        assert_eq!(merged["seed \"two\" 成果"], sample()["seed \"two\" 成果"]);
    }

    fn at(block: usize) -> ReadingPosition {
        ReadingPosition { block, sentence: 0 }
    }

    fn one(id: &str, position: ReadingPosition) -> Positions {
        Positions::from([(id.to_string(), position)])
    }

    #[test]
    fn merging_waits_for_another_gloss_holding_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("positions.ron");
        // Another gloss in the middle of its save: it holds the lock and has
        // not written yet.
        let other = std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.path().join("positions.ron.lock"))
            .unwrap();
        other.lock().unwrap();

        let waiting = {
            let path = path.clone();
            std::thread::spawn(move || merge_and_save(&path, &one("mine", at(1))))
        };
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(!waiting.is_finished(), "the save must wait for the lock");
        assert!(!path.exists(), "nothing written while the lock is held");

        save(&path, &one("theirs", at(2))).unwrap();
        other.unlock().unwrap();
        let merged = waiting.join().unwrap().unwrap();

        assert_eq!(
            merged,
            Positions::from([("mine".to_string(), at(1)), ("theirs".to_string(), at(2)),])
        );
        assert_eq!(load(&path).unwrap(), merged);
    }

    #[test]
    fn a_lock_that_cannot_be_had_stops_the_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("positions.ron");
        save(&path, &sample()).unwrap();
        let before = std::fs::read(&path).unwrap();
        std::fs::create_dir(dir.path().join("positions.ron.lock")).unwrap();

        let err = merge_and_save(&path, &one("mine", at(1))).unwrap_err();
        assert!(matches!(err, StoreError::Lock { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("positions.ron.lock"), "{message}");
        assert!(message.contains("nothing was saved"), "{message}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn two_savers_at_once_keep_each_others_positions() {
        const EACH: usize = 40;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("positions.ron");
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let savers: Vec<_> = ["left", "right"]
            .into_iter()
            .map(|side| {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    for i in 0..EACH {
                        merge_and_save(&path, &one(&format!("{side}-{i}"), at(i))).unwrap();
                    }
                })
            })
            .collect();
        for saver in savers {
            saver.join().unwrap();
        }

        let saved = load(&path).unwrap();
        assert_eq!(saved.len(), 2 * EACH, "{:?}", saved.keys());
        for side in ["left", "right"] {
            for i in 0..EACH {
                assert_eq!(saved.get(&format!("{side}-{i}")), Some(&at(i)));
            }
        }
    }

    #[test]
    fn merging_never_replaces_a_file_from_a_newer_gloss() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("positions.ron");
        let text = "(version: 7, positions: {})";
        std::fs::write(&path, text).unwrap();
        let err = merge_and_save(&path, &sample()).unwrap_err();
        assert!(matches!(err, StoreError::NewerVersion { .. }), "{err:?}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }

    #[test]
    fn a_file_from_a_newer_gloss_is_left_alone_and_blocks_saving() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("positions.ron");
        let text =
            r#"(version: 2, positions: { "a": (block: 3, sentence: 0, char: 9) }, extra: [])"#;
        std::fs::write(&path, text).unwrap();

        let loaded = LoadedPositions::load_or_empty(&path);
        assert!(matches!(
            loaded.problem,
            Some(StoreError::NewerVersion { found: 2, .. })
        ));
        assert!(!loaded.may_save());
        assert!(loaded.warning().unwrap().contains("newer gloss"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        let names = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(names, 1, "nothing set aside");
    }

    /// Loads `path` on a thread of its own and waits a few seconds for it: a
    /// read that blocks on a pipe or never ends on a device fails the test.
    fn load_within_seconds(path: &Path) -> LoadedPositions {
        let path = path.to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(LoadedPositions::load_or_empty(&path));
        });
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .unwrap_or_else(|_| {
                panic!("loading the positions did not finish: it read a pipe or device")
            })
    }

    #[test]
    fn a_pipe_or_device_as_positions_is_refused_unread_and_never_saved_over() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("positions.ron");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
        let loaded = load_within_seconds(&fifo);
        assert!(loaded.positions.is_empty());
        assert!(!loaded.may_save(), "a pipe is not replaced by a save");
        let warning = loaded.warning().unwrap();
        assert!(warning.contains("positions.ron"), "{warning}");
        assert!(warning.contains("not a regular file"), "{warning}");

        let device = dir.path().join("zero.ron");
        std::os::unix::fs::symlink("/dev/zero", &device).unwrap();
        let loaded = load_within_seconds(&device);
        assert!(!loaded.may_save());
        assert!(loaded.warning().unwrap().contains("not a regular file"));
    }
}
