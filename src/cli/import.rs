//! `gloss import`: adds documents (Markdown, plain text, articles scraped from
//! web pages) to the user's library folder, says for each file what it became
//! or why it was refused, and never replaces an article already there.

use std::io::Write;
use std::path::Path;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::CliError;
use super::progress::{MIN_FILES, Progress};
use crate::import::{self, Converted, Destination, ImportError, Kind};
use crate::library::Library;
use crate::paths::DataPaths;
use crate::text::sanitize_line;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The documents to add: Markdown, plain text, or an article's text copied
    /// from a web page (title, subtitle, date, paragraphs).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<std::path::PathBuf>,

    /// Show what would be written (files, ids, titles) and write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Use ID instead of an id made from the title (with a single FILE only).
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,

    /// Tag the imported articles; comma-separated, may be given several times.
    #[arg(long, value_name = "TAGS", value_delimiter = ',')]
    pub tags: Vec<String>,

    /// Read every FILE as this kind of text instead of guessing.
    #[arg(long = "as", value_name = "KIND", value_enum)]
    pub kind: Option<KindArg>,

    /// Print a JSON array, one object per FILE, instead of lines.
    #[arg(long)]
    pub json: bool,
}

/// The kinds of text `--as` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Markdown, with or without front matter.
    Markdown,
    /// Plain text: paragraphs separated by blank lines.
    Text,
    /// An article's text from a web page, with share bars and ads to drop.
    Scraped,
}

impl From<KindArg> for Kind {
    fn from(kind: KindArg) -> Kind {
        match kind {
            KindArg::Markdown => Kind::Markdown,
            KindArg::Text => Kind::PlainText,
            KindArg::Scraped => Kind::Scraped,
        }
    }
}

/// What became of one FILE, as `--json` prints it; field order is part of the
/// output.
#[derive(Debug, Serialize)]
struct Report {
    file: String,
    /// `imported`, `would_import` (dry run) or `failed`.
    status: &'static str,
    kind: Option<String>,
    id: Option<String>,
    title: Option<String>,
    path: Option<String>,
    error: Option<String>,
}

/// A document converted and written (or, in a dry run, checked).
struct Imported {
    kind: Kind,
    converted: Converted,
    path: String,
}

pub fn run(
    args: &ImportArgs,
    library: &Library,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    if args.id.is_some() && args.files.len() > 1 {
        return Err(CliError::IdWithSeveralFiles);
    }
    let mut destination = Destination::new(paths.library_dir.clone(), library);
    let mut reports = Vec::with_capacity(args.files.len());
    let verb = if args.dry_run {
        "checking"
    } else {
        "importing"
    };
    let progress = Progress::on_stderr(verb, args.files.len(), MIN_FILES);
    let mut lines = progress.around_stdout(out);
    let mut problems = progress.around_stderr(warnings);
    for file in &args.files {
        let shown_file = shown(file);
        let name = file
            .file_name()
            .unwrap_or(file.as_os_str())
            .to_string_lossy();
        progress.working_on(&name);
        let report = match import_one(args, file, &mut destination) {
            Ok(imported) => {
                if !args.json {
                    write_imported(&mut lines, args.dry_run, &shown_file, &imported)?;
                }
                Report {
                    file: shown_file,
                    status: if args.dry_run {
                        "would_import"
                    } else {
                        "imported"
                    },
                    kind: Some(imported.kind.to_string()),
                    id: Some(imported.converted.id),
                    title: Some(imported.converted.title),
                    path: Some(imported.path),
                    error: None,
                }
            }
            Err(error) => {
                let error = sanitize_line(&error.to_string());
                writeln!(problems, "gloss: cannot import {shown_file}: {error}")?;
                Report {
                    file: shown_file,
                    status: "failed",
                    kind: None,
                    id: None,
                    title: None,
                    path: None,
                    error: Some(error),
                }
            }
        };
        reports.push(report);
        progress.done_one();
    }
    // Every line is out and the progress line is cleared before the rest.
    drop(lines);
    drop(problems);
    drop(progress);
    let written = reports.iter().filter(|r| r.status == "imported").count();
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &reports).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else if args.dry_run {
        writeln!(out, "dry run: nothing was written")?;
    } else if written > 1 {
        writeln!(
            out,
            "{written} articles written to {}",
            shown(&paths.library_dir)
        )?;
    }
    let failed = reports.iter().filter(|r| r.status == "failed").count();
    if failed > 0 {
        return Err(CliError::ImportFailed {
            failed,
            total: reports.len(),
        });
    }
    Ok(())
}

/// Reads, converts and writes (or checks, in a dry run) one file.
fn import_one(
    args: &ImportArgs,
    file: &Path,
    destination: &mut Destination,
) -> Result<Imported, ImportError> {
    let bytes = import::read_document(file)?;
    let text = import::decode(&bytes)?;
    let name_of = |part: Option<&std::ffi::OsStr>| {
        part.map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let kind = match args.kind {
        Some(kind) => Kind::from(kind),
        None => import::detect(text, &name_of(file.file_name())),
    };
    let mut converted =
        import::to_markdown(text, kind, &name_of(file.file_stem()))?.with_tags(&args.tags)?;
    if let Some(id) = &args.id {
        converted = converted.with_id(id)?;
    }
    let source = shown(file);
    let path = if args.dry_run {
        let path = destination.check(&converted)?;
        destination.reserve(&converted, &source);
        path
    } else {
        destination.write(&converted, &source)?
    };
    Ok(Imported {
        kind,
        converted,
        path: shown(&path),
    })
}

fn write_imported(
    out: &mut dyn Write,
    dry_run: bool,
    file: &str,
    imported: &Imported,
) -> std::io::Result<()> {
    let verb = if dry_run { "would import" } else { "imported" };
    writeln!(out, "{verb} {file} ({})", imported.kind)?;
    writeln!(out, "  id:    {}", imported.converted.id)?;
    writeln!(out, "  title: {}", imported.converted.title)?;
    writeln!(out, "  file:  {}", imported.path)
}

fn shown(path: &Path) -> String {
    crate::text::shown_path(path)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::library::Sources;

    struct Run {
        out: String,
        err: String,
        result: Result<(), CliError>,
    }

    fn import(args: &ImportArgs, paths: &DataPaths) -> Run {
        let library = Library::open(&Sources {
            bundled: true,
            folders: Vec::new(),
        });
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let result = run(args, &library, paths, &mut out, &mut err);
        Run {
            out: String::from_utf8(out).unwrap(),
            err: String::from_utf8(err).unwrap(),
            result,
        }
    }

    fn args(files: &[&Path]) -> ImportArgs {
        ImportArgs {
            files: files.iter().map(|f| f.to_path_buf()).collect(),
            dry_run: false,
            id: None,
            tags: Vec::new(),
            kind: None,
            json: false,
        }
    }

    #[test]
    fn one_good_and_one_bad_file_import_the_good_one_and_fail() {
        let root = tempfile::tempdir().unwrap();
        let paths = DataPaths::under(root.path().join("data"));
        let good = root.path().join("good.txt");
        std::fs::write(&good, "Good notes\n\nSome text.\n").unwrap();
        let missing = root.path().join("missing.txt");
        let run = import(&args(&[&good, &missing]), &paths);
        assert!(matches!(
            run.result,
            Err(CliError::ImportFailed {
                failed: 1,
                total: 2
            })
        ));
        assert!(run.out.contains("imported"), "{}", run.out);
        assert!(run.out.contains("good-notes"), "{}", run.out);
        assert!(
            run.err.contains("missing.txt") && run.err.contains("no such file"),
            "{}",
            run.err
        );
        assert!(paths.library_dir.join("good-notes.md").exists());
    }

    #[test]
    fn several_files_end_with_the_folder_they_went_to() {
        let root = tempfile::tempdir().unwrap();
        let paths = DataPaths::under(root.path().join("data"));
        let one = root.path().join("one.txt");
        let two = root.path().join("two.txt");
        std::fs::write(&one, "First notes\n\nText.\n").unwrap();
        std::fs::write(&two, "Second notes\n\nText.\n").unwrap();
        let run = import(&args(&[&one, &two]), &paths);
        run.result.unwrap();
        let folder = paths.library_dir.display().to_string();
        assert!(
            run.out
                .ends_with(&format!("2 articles written to {folder}\n")),
            "{}",
            run.out
        );
        assert!(run.err.is_empty(), "{}", run.err);
        let three = root.path().join("three.txt");
        std::fs::write(&three, "Third notes\n\nText.\n").unwrap();
        let single = import(&args(&[&three]), &paths);
        single.result.unwrap();
        assert!(single.out.contains("third-notes.md"), "{}", single.out);
        assert!(
            !single.out.contains("articles written to"),
            "one file names its own path only: {}",
            single.out
        );
    }

    #[test]
    fn an_id_with_several_files_is_a_usage_error() {
        let root = tempfile::tempdir().unwrap();
        let paths = DataPaths::under(root.path().to_path_buf());
        let mut several = args(&[Path::new("a"), Path::new("b")]);
        several.id = Some("x".into());
        let run = import(&several, &paths);
        let error = run.result.unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(error.to_string().contains("--id"), "{error}");
    }

    #[test]
    fn the_kind_can_be_forced() {
        let root = tempfile::tempdir().unwrap();
        let paths = DataPaths::under(root.path().to_path_buf());
        let file = root.path().join("notes.md");
        std::fs::write(&file, "Plain title\n\n# not a heading\n").unwrap();
        let mut forced = args(&[&file]);
        forced.kind = Some(KindArg::Text);
        forced.dry_run = true;
        let run = import(&forced, &paths);
        run.result.unwrap();
        assert!(run.out.contains("(plain text)"), "{}", run.out);
        assert!(run.out.contains("plain-title"), "{}", run.out);
        assert!(
            run.out.ends_with("dry run: nothing was written\n"),
            "{}",
            run.out
        );
        assert!(!paths.library_dir.exists());
    }
}
