//! `gloss recover`: merges into the store the annotations that an earlier run
//! could not save and kept in recovery files (see
//! [`crate::store::annotations::write_recovery`]), or lists them.

use std::io::Write;

use clap::Args;

use super::{CliError, annotations_file};
use crate::paths::DataPaths;
use crate::store::annotations::{find_recoveries, recover};
use crate::text::sanitize_line;

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// Only list the recovery files waiting, one per line.
    #[arg(long)]
    pub list: bool,
}

pub fn run(
    args: &RecoverArgs,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    let store = paths.annotations_file();
    let found = find_recoveries(&store);
    if args.list {
        for path in &found {
            writeln!(out, "{}", crate::text::shown_path(path))?;
        }
        return Ok(());
    }
    if found.is_empty() {
        let _ = writeln!(warnings, "gloss: no recovery files to merge");
        return Ok(());
    }
    // Refuses a file that must not be written (newer, unreadable).
    annotations_file::load_for_change(paths, warnings)?;
    for path in found {
        let saved = recover(&store, &path)?;
        for conflict in &saved.conflicts {
            let fields: Vec<&str> = conflict.fields.iter().map(|f| f.field).collect();
            let _ = writeln!(
                warnings,
                "gloss: warning: highlight {} was also changed in the file ({}); both kept where they were text",
                sanitize_line(&conflict.id),
                fields.join(", ")
            );
        }
        writeln!(out, "{}", crate::text::shown_path(&path))?;
    }
    let _ = writeln!(
        warnings,
        "gloss: merged into {}",
        crate::text::shown_path(&store)
    );
    Ok(())
}
