//! Annotations that could not be saved, kept in a recovery file when gloss
//! must stop anyway (the person quit without saving, or a signal), so that
//! the next start can merge them in. A recovery is the highlights changed
//! since the file was last read or written, as they are here
//! (`annotations.recovered-<time>.ron`) and as they were before
//! (`annotations.recovered-<time>.base.ron`): merging it is the failed save
//! done late, three ways, so a change made in the file meanwhile is kept.
//! Both files are written beside the store, or in the temporary folder when
//! that cannot be written.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::file::{Saved, save_merged_from};
use super::format::{parse, write_file_text};
use super::saver::Snapshot;
use super::{Annotations, Map};
use crate::store::{StoreError, write_atomic_without_backup};

/// What a recovery file's name ends with.
const RECOVERED: &str = ".recovered-";
const BASE_SUFFIX: &str = ".base.ron";

/// Writes what `snapshot` changed since its base beside `store` (or in the
/// temporary folder), and returns the recovery file's path. `None` when
/// nothing changed: there is nothing to keep.
pub fn write_recovery(
    store: &Path,
    snapshot: &Snapshot,
    now: Timestamp,
) -> Result<Option<PathBuf>, StoreError> {
    let (ours, base) = changed_since(&snapshot.base, &snapshot.ours);
    if ours.is_empty() && ours.deleted.is_empty() {
        return Ok(None);
    }
    let stem = format!(
        "{}{RECOVERED}{}",
        store
            .file_stem()
            .map_or_else(|| "annotations".into(), |s| s.to_string_lossy()),
        now.strftime("%Y%m%dT%H%M%S%.fZ")
    );
    let text = |annotations: &Annotations| {
        let mut bytes = Vec::new();
        // Writing into memory cannot fail.
        let _ = write_file_text(&mut bytes, annotations);
        bytes
    };
    let (ours_text, base_text) = (text(&ours), text(&base));
    let write_in = |folder: &Path| -> Result<PathBuf, StoreError> {
        crate::store::annotations::create_folder_for(&folder.join("x"))?;
        let path = folder.join(format!("{stem}.ron"));
        write_atomic_without_backup(&folder.join(format!("{stem}{BASE_SUFFIX}")), &base_text)?;
        write_atomic_without_backup(&path, &ours_text)?;
        Ok(path)
    };
    let beside = store.parent().unwrap_or_else(|| Path::new("."));
    match write_in(beside) {
        Ok(path) => Ok(Some(path)),
        Err(first) => write_in(&temporary_folder(store))
            .map(Some)
            .map_err(|_| first),
    }
}

/// The recovery files waiting to be merged into `store`: beside it and in
/// the temporary folder, oldest first.
pub fn find_recoveries(store: &Path) -> Vec<PathBuf> {
    let stem = store.file_stem().map_or_else(
        || "annotations".into(),
        |s| s.to_string_lossy().into_owned(),
    );
    let prefix = format!("{stem}{RECOVERED}");
    let folders = [
        store.parent().map(Path::to_path_buf),
        Some(temporary_folder(store)),
    ];
    let mut found: Vec<PathBuf> = folders
        .into_iter()
        .flatten()
        .filter_map(|folder| std::fs::read_dir(folder).ok())
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .map(|name| name.to_string_lossy())
                .is_some_and(|name| {
                    name.starts_with(&prefix)
                        && name.ends_with(".ron")
                        && !name.ends_with(BASE_SUFFIX)
                })
        })
        .collect();
    found.sort_by_key(|path| path.file_name().map(std::ffi::OsStr::to_os_string));
    found
}

/// Where the recoveries of `store` go when its folder cannot be written: a
/// folder of the temporary folder named after the store's path, so that
/// another data folder's recoveries are not offered to this one.
fn temporary_folder(store: &Path) -> PathBuf {
    let store = std::path::absolute(store).unwrap_or_else(|_| store.to_path_buf());
    let named = crate::annotation::text_hash(&store.to_string_lossy());
    std::env::temp_dir().join("gloss-recovered").join(named)
}

/// Merges the recovery file at `recovery` into `store` three ways (see
/// [`save_merged_from`]) and removes it once that is saved.
pub fn recover(store: &Path, recovery: &Path) -> Result<Saved, StoreError> {
    let ours = read_recovery(recovery)?;
    let base_path = base_of(recovery);
    // Without its base, every highlight counts as new on both sides: both
    // notes are kept where they differ.
    let base = if base_path.exists() {
        read_recovery(&base_path)?
    } else {
        Annotations::new()
    };
    let saved = save_merged_from(store, &base, &ours)?;
    remove_recovery(recovery);
    Ok(saved)
}

/// Removes the recovery file at `recovery` and its base, as far as they
/// exist.
pub fn remove_recovery(recovery: &Path) {
    let _ = std::fs::remove_file(recovery);
    let _ = std::fs::remove_file(base_of(recovery));
}

fn base_of(recovery: &Path) -> PathBuf {
    let name = recovery
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".ron").unwrap_or(&name);
    recovery.with_file_name(format!("{stem}{BASE_SUFFIX}"))
}

fn read_recovery(path: &Path) -> Result<Annotations, StoreError> {
    let bytes = std::fs::read(path).map_err(|source| StoreError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(parse(&bytes).usable(path)?.unwrap_or_default())
}

/// The highlights of `ours` that differ from `base` (with ours's deletion
/// markers of them), and the same ids as `base` has them.
fn changed_since(base: &Annotations, ours: &Annotations) -> (Annotations, Annotations) {
    let mut changed = Annotations::new();
    let mut before = Annotations::new();
    let mut changed_map = Map::new();
    let mut before_map = Map::new();
    for (id, copy) in ours.highlights.iter() {
        match base.highlights.get(id) {
            Some(old) if std::sync::Arc::ptr_eq(old, copy) || old == copy => {}
            old => {
                changed_map.insert(id.clone(), copy.clone());
                if let Some(old) = old {
                    before_map.insert(id.clone(), old.clone());
                }
            }
        }
    }
    for (id, old) in base.highlights.iter() {
        if !ours.highlights.contains_key(id) {
            before_map.insert(id.clone(), old.clone());
            let at = ours.deleted_at(id).unwrap_or(old.updated);
            changed.deleted.insert(id.to_string(), at);
        }
    }
    changed.highlights = std::sync::Arc::new(changed_map);
    before.highlights = std::sync::Arc::new(before_map);
    (changed, before)
}
