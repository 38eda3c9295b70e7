//! The annotations file as the subcommands use it: whatever went wrong with
//! it is told on stderr, and a file that must not be written over (one from a
//! newer gloss, or one that cannot be read) is never written.
//!
//! A damaged file (a typo, a file cut short) ends every command that reads it
//! with exit status 2 and the place to fix: a command that would write stops
//! before doing anything, one that only reads prints what could be read
//! first, so a script neither mistakes a partial answer for a whole one nor
//! loses it.

use std::io::Write;

use super::CliError;
use crate::paths::DataPaths;
use crate::store::annotations::{self, Annotations, Loaded};
use crate::text::sanitize_line;

/// Loads the annotations, writing any problem with the file to `warnings` as
/// `gloss: warning: …`, one line for each highlight kept aside for a bad
/// value. A damaged file is told by [`finish`] at the end instead.
pub fn load(paths: &DataPaths, warnings: &mut dyn Write) -> Loaded {
    let loaded = annotations::load(&paths.annotations_file());
    // Advice only: failing to print it must not stop the command.
    if let Some(warning) = loaded.warning().filter(|_| !loaded.needs_repair()) {
        let _ = writeln!(warnings, "gloss: warning: {warning}");
    }
    for warning in loaded.spoiled_warnings() {
        let _ = writeln!(warnings, "gloss: warning: {warning}");
    }
    loaded
}

/// The end of a command that read `loaded`: an error naming the place to
/// fix when the file is damaged, so the command exits with status 2 after
/// printing what it could.
pub fn finish(loaded: &Loaded) -> Result<(), CliError> {
    match loaded.warning() {
        Some(message) if loaded.needs_repair() => Err(CliError::NeedsRepair(message)),
        _ => Ok(()),
    }
}

/// Like [`load`], for a command that is going to save: refuses when the file
/// may not be written.
pub fn load_for_change(paths: &DataPaths, warnings: &mut dyn Write) -> Result<Loaded, CliError> {
    let loaded = load(paths, warnings);
    finish(&loaded)?;
    if loaded.read_only {
        let file = paths.annotations_file();
        return Err(CliError::ReadOnlyAnnotations(sanitize_line(
            &file.to_string_lossy(),
        )));
    }
    Ok(loaded)
}

/// Saves `changed`, made from `loaded` (what [`load_for_change`] read),
/// merged three ways into the file as it is now, so that a gloss running at
/// the same time or an edit made meanwhile loses nothing, and tells
/// `warnings` anything the save found wrong with the file or had to combine.
pub fn save(
    paths: &DataPaths,
    loaded: &Annotations,
    changed: &Annotations,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    let saved = annotations::save_merged_from(&paths.annotations_file(), loaded, changed)?;
    if let Some(notice) = saved.notice {
        let _ = writeln!(warnings, "gloss: warning: {notice}");
    }
    for conflict in &saved.conflicts {
        let fields: Vec<&str> = conflict.fields.iter().map(|f| f.field).collect();
        let _ = writeln!(
            warnings,
            "gloss: warning: highlight {} was also changed in the file meanwhile ({}); both kept where they were text",
            sanitize_line(&conflict.id),
            fields.join(", ")
        );
    }
    Ok(())
}
