//! `gloss repair`: replaces an `annotations.ron` that does not parse with
//! what could be read of it (or with its backup), after keeping the file as
//! it was beside it. The only command that writes over a damaged file, and
//! it says both paths.

use std::io::Write;

use clap::Args;

use super::CliError;
use crate::paths::DataPaths;
use crate::store::annotations::{self, Repaired};

#[derive(Debug, Args)]
pub struct RepairArgs {
    /// Put back the backup (annotations.ron.bak) instead of what could be
    /// read of the file.
    #[arg(long)]
    pub from_backup: bool,

    /// Say what would be done, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(args: &RepairArgs, paths: &DataPaths, out: &mut dyn Write) -> Result<(), CliError> {
    let done = annotations::repair(&paths.annotations_file(), args.from_backup, args.dry_run)?;
    write_report(&done, args.dry_run, out)
}

fn write_report(done: &Repaired, dry_run: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let file = shown(&done.path);
    if done.nothing_to_do {
        writeln!(
            out,
            "nothing to repair: {file} reads as it is ({} highlight(s)); `gloss repair --from-backup` puts back the backup instead",
            done.highlights
        )?;
        return Ok(());
    }
    let (keep, write) = if dry_run {
        ("would keep", "would write")
    } else {
        ("kept", "wrote")
    };
    if let Some(kept_as) = &done.kept_as {
        writeln!(out, "{keep} the file as it was: {}", shown(kept_as))?;
    }
    let source = match &done.from_backup {
        Some(backup) => format!("from the backup {}", shown(backup)),
        None => "read from the file".to_owned(),
    };
    let spoiled = if done.spoiled > 0 {
        format!(
            ", and {} with a bad value as they were written",
            done.spoiled
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        "{write} {file}: {} highlight(s) {source}{spoiled}",
        done.highlights
    )?;
    for problem in &done.dropped {
        if problem.id.is_some() {
            writeln!(
                out,
                "not in the repaired file, only in the kept one: {problem}"
            )?;
        }
    }
    Ok(())
}

fn shown(path: &std::path::Path) -> String {
    crate::text::shown_path(path)
}
