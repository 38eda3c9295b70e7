//! Files for tests: what a folder holds after a test wrote into it, for tests
//! that check nothing is left behind (backups, temporary files), and library
//! files written as if some time ago.

#![allow(clippy::unwrap_used)]

use std::path::Path;

/// The names of the entries of `folder`, sorted.
pub fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Writes `contents` to `path` dated back (see the synthetic library's
/// `write_settled`): gloss keeps a library file's parsed article in its cache
/// only once the file has been left alone for a few seconds.
pub fn write_settled(path: impl AsRef<Path>, contents: impl AsRef<[u8]>) {
    crate::synthetic_library::write_settled(path.as_ref(), contents).unwrap();
}

/// How many files there are in `folder` and the folders under it.
pub fn entries_under(folder: &Path) -> usize {
    std::fs::read_dir(folder).map_or(0, |entries| {
        entries
            .flatten()
            .map(|entry| match entry.file_type() {
                Ok(kind) if kind.is_dir() => entries_under(&entry.path()),
                _ => 1,
            })
            .sum()
    })
}
