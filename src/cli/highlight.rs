//! `gloss highlight add` and `gloss highlight rm`: annotating from a script.
//! A highlight is found by the text it quotes, and every change is merged
//! into the annotations file under its lock, so a reader open at the same
//! time, or another script, loses nothing.

use std::io::Write;

use clap::{Args, Subcommand};
use jiff::Timestamp;

use super::located::one_line;
use super::quote::find_quote;
use super::{CliError, annotations_file, find_article};
use crate::annotation::tag::unique_tags;
use crate::annotation::{Color, new_highlight};
use crate::library::Library;
use crate::paths::DataPaths;
use crate::text::{sanitize_line, sanitize_text};

#[derive(Debug, Args)]
pub struct HighlightArgs {
    #[command(subcommand)]
    pub action: HighlightAction,
}

/// What to do with a highlight.
#[derive(Debug, Subcommand)]
pub enum HighlightAction {
    /// Highlight a passage, found by its text; prints the new highlight's id.
    ///
    /// The quote is looked for exactly first; if it is nowhere, case, runs of
    /// whitespace, and curly quotes or dashes typed as plain ones do not
    /// matter. A quote found more than once is refused unless --occurrence
    /// says which copy to take.
    Add(HighlightAddArgs),
    /// Delete a highlight by its id (see `gloss highlights`).
    #[command(alias = "remove")]
    Rm(HighlightRmArgs),
}

#[derive(Debug, Args)]
pub struct HighlightAddArgs {
    /// An article id, or the start of a title that names only one article.
    #[arg(value_name = "ARTICLE")]
    pub article: String,

    /// The text to highlight, as it appears in the article.
    #[arg(long, value_name = "TEXT", value_parser = parse_quote)]
    pub quote: String,

    /// Which copy to highlight when the quote occurs several times (from 1).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub occurrence: Option<u32>,

    /// A tag for the highlight; may be given several times.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// A note on the highlight (may span several lines).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// The highlight's colour: yellow, green, blue, pink or purple.
    #[arg(long, alias = "colour", value_name = "COLOR", default_value = "yellow", value_parser = parse_color)]
    pub color: Color,
}

#[derive(Debug, Args)]
pub struct HighlightRmArgs {
    /// The highlight's id, as `gloss highlights` shows it.
    #[arg(value_name = "ID")]
    pub id: String,
}

pub fn run(
    args: &HighlightArgs,
    library: &Library,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    match &args.action {
        HighlightAction::Add(add) => run_add(add, library, paths, out, warnings),
        HighlightAction::Rm(rm) => run_rm(rm, paths, out, warnings),
    }
}

fn run_add(
    args: &HighlightAddArgs,
    library: &Library,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    let article = &library.articles[find_article(library, &args.article)?];
    let plain = article.plain_text();
    let found = find_quote(&plain, &args.quote);
    let quote_error = |count: usize| {
        let article = article.meta.id.clone();
        let quote = one_line(&args.quote, 60);
        match (count, args.occurrence) {
            (0, _) => CliError::QuoteNotFound { article, quote },
            (_, None) => CliError::AmbiguousQuote {
                article,
                quote,
                count,
            },
            (_, Some(requested)) => CliError::NoSuchOccurrence {
                article,
                quote,
                requested,
                count,
            },
        }
    };
    let range = match (found.as_slice(), args.occurrence) {
        ([], _) => return Err(quote_error(0)),
        ([only], None) => only.clone(),
        (_, None) => return Err(quote_error(found.len())),
        (_, Some(n)) => (n as usize)
            .checked_sub(1)
            .and_then(|index| found.get(index))
            .cloned()
            .ok_or_else(|| quote_error(found.len()))?,
    };
    let loaded = annotations_file::load_for_change(paths, warnings)?;
    // The same quote at the same place is the highlight already made: a
    // script that retries gets its id back rather than a second copy.
    let exact = plain.get(range.clone()).unwrap_or_default();
    let existing = loaded.annotations.iter().find(|h| {
        h.article == article.meta.id
            && h.anchor.position.start == range.start
            && h.anchor.position.end == range.end
            && h.anchor.quote.exact == exact
    });
    if let Some(existing) = existing {
        writeln!(out, "{}", existing.id)?;
        let file = crate::text::shown_path(&paths.annotations_file());
        // Advice only, as in `tell_where`.
        let _ = writeln!(
            warnings,
            "gloss: already highlighted, kept as it is in {file} (change it with the reader or remove it with `gloss highlight rm {}`)",
            existing.id
        );
        return Ok(());
    }

    let mut highlight = new_highlight(article, &plain, range, args.color, Timestamp::now());
    highlight.tags = clean_tags(&args.tags);
    highlight.note = args
        .note
        .as_deref()
        .map(|note| sanitize_text(note).trim().to_owned())
        .unwrap_or_default();
    let mut changed = loaded.annotations.clone();
    changed.upsert(highlight.clone());
    annotations_file::save(paths, &loaded.annotations, &changed, warnings)?;
    writeln!(out, "{}", highlight.id)?;
    tell_where(warnings, "added to", paths);
    Ok(())
}

fn run_rm(
    args: &HighlightRmArgs,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    let loaded = annotations_file::load_for_change(paths, warnings)?;
    let id = args.id.trim();
    if loaded.annotations.get(id).is_none() {
        return Err(CliError::NoSuchHighlight(sanitize_line(id)));
    }
    // Removing the copy that was read records the deletion no earlier than
    // its last update, so a merge deletes it even if this clock is behind.
    let mut changed = loaded.annotations.clone();
    changed.remove(id, Timestamp::now());
    annotations_file::save(paths, &loaded.annotations, &changed, warnings)?;
    writeln!(out, "{}", sanitize_line(id))?;
    tell_where(warnings, "removed from", paths);
    Ok(())
}

/// Says on stderr which file was changed (stdout carries only the id, for
/// scripts): `gloss: highlight added to /…/annotations.ron`.
fn tell_where(err: &mut dyn Write, done: &str, paths: &DataPaths) {
    let file = crate::text::shown_path(&paths.annotations_file());
    // Advice only: failing to print it must not fail the change, made already.
    let _ = writeln!(err, "gloss: highlight {done} {file}");
}

/// Tags as stored: as [`unique_tags`] keeps them, the same as the reader's
/// tag input.
fn clean_tags(tags: &[String]) -> Vec<String> {
    unique_tags(tags.iter().map(String::as_str))
}

/// A colour name, or a message listing the valid ones.
fn parse_color(name: &str) -> Result<Color, String> {
    Color::parse(name).ok_or_else(|| {
        let valid: Vec<&str> = Color::ALL.iter().map(|c| c.name()).collect();
        format!("unknown colour; choose one of {}", valid.join(", "))
    })
}

/// A quote with something in it besides whitespace.
fn parse_quote(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        Err("the quote is empty; give the text to highlight".into())
    } else {
        Ok(text.to_owned())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::cli::sample;
    use crate::store::annotations;

    struct Data {
        _dir: tempfile::TempDir,
        paths: DataPaths,
    }

    fn data() -> Data {
        let dir = tempfile::tempdir().unwrap();
        let paths = DataPaths::under(dir.path().to_path_buf());
        Data { _dir: dir, paths }
    }

    fn add(
        data: &Data,
        article: &str,
        quote: &str,
        occurrence: Option<u32>,
    ) -> Result<String, CliError> {
        let args = HighlightArgs {
            action: HighlightAction::Add(HighlightAddArgs {
                article: article.into(),
                quote: quote.into(),
                occurrence,
                tags: vec![
                    "Funding".into(),
                    " funding ".into(),
                    "\u{1b}[1mbold".into(),
                    String::new(),
                ],
                note: Some("  A note\u{7}\nwith two lines.  ".into()),
                color: Color::Purple,
            }),
        };
        let mut out = Vec::new();
        run(
            &args,
            &sample::library(),
            &data.paths,
            &mut out,
            &mut Vec::new(),
        )?;
        Ok(String::from_utf8(out).unwrap().trim_end().to_owned())
    }

    fn stored(data: &Data) -> crate::store::annotations::Annotations {
        annotations::load(&data.paths.annotations_file()).annotations
    }

    #[test]
    fn adding_stores_a_clean_highlight_and_prints_its_id() {
        let data = data();
        let id = add(&data, "cultural-diplomacy", "students TRAVEL", None).unwrap();
        let saved = stored(&data);
        let highlight = saved.get(&id).unwrap();
        assert_eq!(highlight.anchor.quote.exact, "Students travel");
        assert_eq!(highlight.color, Color::Purple);
        assert_eq!(highlight.tags, ["Funding", "bold"]);
        assert_eq!(highlight.note, "A note\nwith two lines.");
    }

    #[test]
    fn adding_and_removing_name_the_annotations_file_on_stderr_only() {
        let data = data();
        let file = data.paths.annotations_file().to_string_lossy().into_owned();
        let run_with = |action: HighlightAction| {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let args = HighlightArgs { action };
            run(&args, &sample::library(), &data.paths, &mut out, &mut err).unwrap();
            (
                String::from_utf8(out).unwrap(),
                String::from_utf8(err).unwrap(),
            )
        };
        let (out, err) = run_with(HighlightAction::Add(HighlightAddArgs {
            article: "innovation-diplomacy".into(),
            quote: "Embassies".into(),
            occurrence: None,
            tags: Vec::new(),
            note: None,
            color: Color::Yellow,
        }));
        let id = out.trim_end().to_owned();
        assert!(
            id.starts_with("h-") && !id.contains('\n'),
            "stdout is the id: {out:?}"
        );
        assert_eq!(err, format!("gloss: highlight added to {file}\n"));
        let (out, err) = run_with(HighlightAction::Rm(HighlightRmArgs { id: id.clone() }));
        assert_eq!(out, format!("{id}\n"));
        assert_eq!(err, format!("gloss: highlight removed from {file}\n"));
    }

    #[test]
    fn a_missing_quote_is_not_found() {
        let data = data();
        let err = add(&data, "cultural-diplomacy", "not in there", None).unwrap_err();
        assert!(matches!(err, CliError::QuoteNotFound { .. }), "{err}");
        assert_eq!(err.exit_code(), 1);
        assert!(stored(&data).is_empty());
    }

    #[test]
    fn a_repeated_quote_needs_an_occurrence() {
        let data = data();
        let plain = sample::library().articles[0].plain_text();
        assert_eq!(plain.matches("gets").count(), 2, "{plain}");
        let err = add(&data, "cultural-diplomacy", "gets", None).unwrap_err();
        assert!(err.to_string().contains("--occurrence"), "{err}");
        assert_eq!(err.exit_code(), 2);
        let err = add(&data, "cultural-diplomacy", "gets", Some(3)).unwrap_err();
        assert!(err.to_string().contains("1 to 2"), "{err}");
        assert!(stored(&data).is_empty());

        let id = add(&data, "cultural-diplomacy", "gets", Some(2)).unwrap();
        let second = plain.rfind("gets").unwrap();
        assert_eq!(
            stored(&data).get(&id).unwrap().anchor.position.start,
            second
        );
    }

    #[test]
    fn removing_deletes_and_an_unknown_id_is_not_found() {
        let data = data();
        let id = add(&data, "innovation-diplomacy", "Embassies", None).unwrap();
        let rm = |id: &str| {
            let args = HighlightArgs {
                action: HighlightAction::Rm(HighlightRmArgs { id: id.into() }),
            };
            run(
                &args,
                &sample::library(),
                &data.paths,
                &mut Vec::new(),
                &mut Vec::new(),
            )
        };
        rm(&id).unwrap();
        assert!(stored(&data).get(&id).is_none());
        let err = rm(&id).unwrap_err();
        assert!(matches!(err, CliError::NoSuchHighlight(_)), "{err}");
        assert_eq!(err.exit_code(), 1);
    }

    #[test]
    fn a_file_from_a_newer_gloss_is_never_written() {
        let data = data();
        let file = data.paths.annotations_file();
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let newer = "(version: 99, highlights: [])";
        std::fs::write(&file, newer).unwrap();
        let err = add(&data, "innovation-diplomacy", "Embassies", None).unwrap_err();
        assert!(matches!(err, CliError::ReadOnlyAnnotations(_)), "{err}");
        assert_eq!(err.exit_code(), 2);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), newer);
    }

    #[test]
    fn colours_parse_or_list_the_choices() {
        assert_eq!(parse_color("Blue"), Ok(Color::Blue));
        let message = parse_color("mauve").unwrap_err();
        assert!(
            message.ends_with("yellow, green, blue, pink, purple"),
            "{message}"
        );
        assert!(parse_quote("  ").is_err());
    }
}
