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

/// Writes `contents` to `path` as if a minute ago: gloss keeps a library file's
/// parsed article in its cache only once the file has been left alone for a
/// few seconds.
pub fn write_settled(path: impl AsRef<Path>, contents: impl AsRef<[u8]>) {
    let path = path.as_ref();
    std::fs::write(path, contents).unwrap();
    let a_minute_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(a_minute_ago))
        .unwrap();
}
