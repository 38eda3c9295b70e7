//! What `gloss check` says about the annotations file itself, before the
//! highlights: every place where the file does not parse (which keeps gloss
//! from writing it), and every highlight kept aside for a bad value, each
//! as `FILE:LINE:COLUMN` with the highlight's id and what to write there.

use std::io::Write;

use serde::Serialize;

use crate::cli::CliError;
use crate::store::StoreError;
use crate::store::annotations::{FileProblem, Loaded};
use crate::text::sanitize_line;

/// One problem with the file, for `--json` (sanitized).
#[derive(Debug, Serialize)]
pub(super) struct FileProblemOut {
    /// `"damage"`: the file does not parse there, so gloss will not write it;
    /// `"spoiled"`: one highlight has a bad value and is kept as written.
    kind: &'static str,
    line: usize,
    column: usize,
    id: Option<String>,
    reason: String,
}

/// Every problem with the file, the breaks first.
pub(super) fn file_problems(loaded: &Loaded) -> Vec<FileProblemOut> {
    let damage: &[FileProblem] = match &loaded.problem {
        Some(StoreError::Damaged { problems, .. }) => problems,
        _ => &[],
    };
    let out = |kind, problem: &FileProblem| FileProblemOut {
        kind,
        line: problem.line,
        column: problem.column,
        id: problem.id.as_deref().map(sanitize_line),
        reason: sanitize_line(&problem.reason),
    };
    damage
        .iter()
        .map(|problem| out("damage", problem))
        .chain(
            loaded
                .annotations
                .spoiled()
                .iter()
                .map(|spoiled| out("spoiled", &spoiled.problem)),
        )
        .collect()
}

/// The problems as lines a person (and an editor's jump list) reads.
pub(super) fn write_text(
    problems: &[FileProblemOut],
    loaded: &Loaded,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    if problems.is_empty() {
        return Ok(());
    }
    let file = crate::text::shown_path(&loaded.path);
    for problem in problems {
        let which = problem
            .id
            .as_deref()
            .map(|id| format!(" (highlight {id})"))
            .unwrap_or_default();
        let what = if problem.kind == "damage" {
            "does not parse"
        } else {
            "bad value, kept as written"
        };
        writeln!(
            out,
            "{file}:{}:{}: {what}{which}: {}",
            problem.line, problem.column, problem.reason
        )?;
    }
    if loaded.needs_repair() {
        writeln!(
            out,
            "gloss will not change {file} until it parses: fix it at the lines above, or run `gloss repair` to write the {} highlight(s) that could be read (the file is kept beside it{})",
            loaded.annotations.len(),
            if backup_offered(loaded) {
                "; `gloss repair --from-backup` puts back the backup instead"
            } else {
                ""
            }
        )?;
    } else {
        writeln!(
            out,
            "these highlights are not shown until their value is fixed; everything else in {file} is in use"
        )?;
    }
    writeln!(out)?;
    Ok(())
}

fn backup_offered(loaded: &Loaded) -> bool {
    matches!(
        &loaded.problem,
        Some(StoreError::Damaged {
            backup: Some(_),
            ..
        })
    )
}

/// The error that ends `gloss check` when the file has problems: exit 2.
pub(super) fn outcome(problems: &[FileProblemOut], loaded: &Loaded) -> Result<(), CliError> {
    if loaded.needs_repair() {
        return Err(CliError::NeedsRepair(format!(
            "{} cannot be used as it is; the places to fix are listed above",
            crate::text::shown_path(&loaded.path)
        )));
    }
    match problems.len() {
        0 => Ok(()),
        count => Err(CliError::SpoiledHighlights(count)),
    }
}
