//! What a folder holds after a test wrote into it, for tests that check
//! nothing is left behind (backups, temporary files).

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
