//! `gloss check`: whether every highlight can still be found in its article
//! as the library has it now. Articles get edited and re-imported; this lists
//! the highlights that were re-found elsewhere or changed, and above all the
//! ones that cannot be found (with the closest passage, to re-attach them) or
//! whose article is gone. It changes nothing, and exits with 1 when anything
//! needs the person's attention, so a script can tell. Problems with the
//! annotations file itself come first and exit with 2 (see [`file_problems`]).

mod file_problems;

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::located::{ArticleHighlights, locate, one_line};
use super::{CliError, annotations_file, pad_end};
use crate::annotation::{Anchoring, Placement};
use crate::library::Library;
use crate::paths::DataPaths;
use crate::text::{sanitize_line, sanitize_text};

/// Characters of a quote or candidate shown in the plain report.
const QUOTE_CHARS: usize = 100;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print a JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The JSON shape of `gloss check --json`; field order is part of the output.
#[derive(Debug, Default, Serialize)]
struct Report {
    exact: usize,
    moved: usize,
    /// Placed by similarity: each needs the person's review.
    fuzzy: usize,
    /// Placed where the person accepted or re-attached it.
    accepted: usize,
    orphaned: usize,
    missing: usize,
    highlights: Vec<Checked>,
    /// Problems with the annotations file itself; only when there are any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    file_problems: Vec<file_problems::FileProblemOut>,
}

/// One highlight's state. `start`/`end` are where it is now (`null` when it
/// cannot be found), `score` how alike a fuzzy match is, `best` the closest
/// passage to an orphan.
#[derive(Debug, Serialize)]
struct Checked {
    id: String,
    article: String,
    state: &'static str,
    /// Whether the place was guessed and waits for the person's review.
    review: bool,
    /// The quote the person chose: never rewritten.
    quote: String,
    /// The text at `start..end` when it differs from `quote`.
    now: Option<String>,
    start: Option<usize>,
    end: Option<usize>,
    score: Option<f64>,
    best: Option<Candidate>,
}

/// The passage most like an orphan's quote.
#[derive(Debug, Serialize)]
struct Candidate {
    text: String,
    score: f64,
    start: usize,
    end: usize,
}

pub fn run(
    args: &CheckArgs,
    library: &Library,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    let loaded = annotations_file::load(paths, warnings);
    let groups = locate(library, &loaded.annotations, |_| true);
    let mut report = report(&groups);
    report.file_problems = file_problems::file_problems(&loaded);
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &report).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        file_problems::write_text(&report.file_problems, &loaded, out)?;
        write_text(&report, out)?;
    }
    file_problems::outcome(&report.file_problems, &loaded)?;
    if report.orphaned + report.missing > 0 {
        return Err(CliError::NeedsAttention {
            orphaned: report.orphaned,
            missing: report.missing,
        });
    }
    Ok(())
}

fn report(groups: &[ArticleHighlights]) -> Report {
    let mut report = Report::default();
    for group in groups {
        for placement in &group.placements {
            let checked = checked(group, placement);
            let count = match checked.state {
                "exact" => &mut report.exact,
                "moved" => &mut report.moved,
                "fuzzy" => &mut report.fuzzy,
                "accepted" => &mut report.accepted,
                "orphaned" => &mut report.orphaned,
                _ => &mut report.missing,
            };
            *count += 1;
            report.highlights.push(checked);
        }
    }
    report
}

fn checked(group: &ArticleHighlights, placement: &Placement) -> Checked {
    let highlight = placement.highlight;
    let range = placement.anchoring.range();
    let (score, best) = match &placement.anchoring {
        Anchoring::Fuzzy { score, .. } => (Some(rounded(*score)), None),
        Anchoring::Orphaned {
            best: Some((range, score)),
        } => {
            let best = group.text_at(range.clone()).map(|text| Candidate {
                text: sanitize_text(text),
                score: rounded(*score),
                start: range.start,
                end: range.end,
            });
            (None, best)
        }
        _ => (None, None),
    };
    Checked {
        id: sanitize_line(&highlight.id),
        article: sanitize_line(&highlight.article),
        state: group.state(placement),
        review: placement.anchoring.needs_review(),
        quote: sanitize_text(&highlight.anchor.quote.exact),
        now: range
            .as_ref()
            .and_then(|r| group.text_at(r.clone()))
            .filter(|text| *text != highlight.anchor.quote.exact)
            .map(sanitize_text),
        start: range.as_ref().map(|r| r.start),
        end: range.as_ref().map(|r| r.end),
        score,
        best,
    }
}

/// A score to two decimals, as a person reads it and JSON prints it.
fn rounded(score: f32) -> f64 {
    (f64::from(score) * 100.0).round() / 100.0
}

/// One line per highlight (`id  article  state`), with the quote and the
/// closest passage under each one that needs attention, then a summary.
fn write_text(report: &Report, out: &mut dyn Write) -> Result<(), CliError> {
    let width = |cell: fn(&Checked) -> &str| {
        report
            .highlights
            .iter()
            .map(|h| crate::text::display_width(cell(h)))
            .max()
            .unwrap_or(0)
    };
    let id_width = width(|h| &h.id);
    let article_width = width(|h| &h.article);
    for checked in &report.highlights {
        let score = checked
            .score
            .map(|score| format!(" ({score:.2})"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}  {}  {}{score}",
            pad_end(&checked.id, id_width),
            pad_end(&checked.article, article_width),
            checked.state
        )?;
        match checked.state {
            "fuzzy" | "accepted" => {
                writeln!(
                    out,
                    "    quote: \"{}\"",
                    one_line(&checked.quote, QUOTE_CHARS)
                )?;
                if let Some(now) = &checked.now {
                    writeln!(out, "    now:   \"{}\"", one_line(now, QUOTE_CHARS))?;
                }
                if checked.review {
                    writeln!(
                        out,
                        "    needs review: accept it or re-attach it in the reader (H)"
                    )?;
                }
            }
            "orphaned" => {
                writeln!(
                    out,
                    "    quote: \"{}\"",
                    one_line(&checked.quote, QUOTE_CHARS)
                )?;
                match &checked.best {
                    Some(best) => writeln!(
                        out,
                        "    closest: \"{}\" (score {:.2})",
                        one_line(&best.text, QUOTE_CHARS),
                        best.score
                    )?,
                    None => writeln!(out, "    closest: nothing like it")?,
                }
            }
            "missing" => {
                writeln!(
                    out,
                    "    quote: \"{}\"",
                    one_line(&checked.quote, QUOTE_CHARS)
                )?;
                writeln!(out, "    the article is not in the library")?;
            }
            _ => {}
        }
    }
    let total = report.highlights.len();
    writeln!(
        out,
        "{total} highlight{}: {} exact, {} moved, {} fuzzy, {} orphaned, {} with a missing article",
        if total == 1 { "" } else { "s" },
        report.exact,
        report.moved,
        report.fuzzy,
        report.orphaned,
        report.missing
    )?;
    if report.accepted > 0 {
        writeln!(
            out,
            "{} placed where the person accepted them",
            report.accepted
        )?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::annotation::Highlight;
    use crate::cli::sample::{self, highlight_of};
    use crate::store::annotations::{Annotations, save_merged};

    fn check(highlights: &[Highlight], json: bool) -> (Result<(), CliError>, String) {
        let dir = tempfile::tempdir().unwrap();
        let paths = DataPaths::under(dir.path().to_path_buf());
        let mut annotations = Annotations::new();
        for h in highlights {
            annotations.upsert(h.clone());
        }
        save_merged(&paths.annotations_file(), &annotations).unwrap();
        let mut out = Vec::new();
        let result = run(
            &CheckArgs { json },
            &sample::library(),
            &paths,
            &mut out,
            &mut Vec::new(),
        );
        (result, String::from_utf8(out).unwrap())
    }

    #[test]
    fn all_found_is_success() {
        let library = sample::library();
        let (result, text) = check(&[highlight_of(&library, 0, "Students travel.")], false);
        result.unwrap();
        assert!(text.contains("  cultural-diplomacy  exact\n"), "{text}");
        assert!(
            text.ends_with(
                "1 highlight: 1 exact, 0 moved, 0 fuzzy, 0 orphaned, 0 with a missing article\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn orphans_and_missing_articles_are_listed_and_fail() {
        let library = sample::library();
        let mut orphan = highlight_of(&library, 0, "Students travel.");
        orphan.anchor.quote.exact = "Scholars travelled far and wide.".into();
        orphan.text_hash = "changed".into();
        let mut lost = highlight_of(&library, 1, "Embassies");
        lost.article = "gone".into();
        let (result, text) = check(&[orphan, lost], false);
        let err = result.unwrap_err();
        assert!(matches!(
            err,
            CliError::NeedsAttention {
                orphaned: 1,
                missing: 1
            }
        ));
        assert_eq!(err.exit_code(), 1);
        assert!(text.contains("  cultural-diplomacy  orphaned\n"), "{text}");
        assert!(
            text.contains("    quote: \"Scholars travelled far and wide.\"\n"),
            "{text}"
        );
        assert!(text.contains("    closest: nothing like it\n"), "{text}");
        assert!(text.contains("  gone                missing\n"), "{text}");
        assert!(
            text.contains("1 orphaned, 1 with a missing article"),
            "{text}"
        );
    }

    #[test]
    fn json_counts_states_and_gives_the_closest_passage() {
        let library = sample::library();
        let mut orphan = highlight_of(&library, 0, "Students travel.");
        orphan.anchor.quote.exact = "Students travelled a lot.".into();
        orphan.text_hash = "changed".into();
        let exact = highlight_of(&library, 1, "Embassies");
        let (result, out) = check(&[orphan, exact], true);
        assert!(result.is_err());
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["exact"], 1);
        let states: Vec<&str> = value["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["state"].as_str().unwrap())
            .collect();
        assert_eq!(states.len(), 2);
        let orphaned = value["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["state"] != "exact")
            .unwrap();
        assert_eq!(orphaned["start"], serde_json::Value::Null);
        assert!(
            orphaned["best"]["text"]
                .as_str()
                .unwrap()
                .contains("Students")
        );
        let score = orphaned["best"]["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score), "{score}");
    }
}
