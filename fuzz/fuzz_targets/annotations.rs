//! `annotations.ron` as a person or a broken program may leave it: read or
//! reported, never a panic, and reading never changes the file.
#![no_main]

use gloss::store::annotations::load;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join("annotations.ron");
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    let _ = load(&path);
    let after = std::fs::read(&path).unwrap_or_default();
    assert_eq!(after, bytes, "loading changed the file");
});
