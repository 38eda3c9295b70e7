//! The command line: what `gloss` accepts, and the subcommands that let scripts
//! use the library without a terminal. Each subcommand lives in its own file and
//! writes to any `Write`, so it can be tested without running the binary.

mod annotations_file;
mod check;
mod completions;
mod config;
mod export;
mod highlight;
mod highlights;
mod import;
mod list;
mod located;
mod paths;
pub mod progress;
mod quote;
mod recover;
mod repair;
mod safe_output;
#[cfg(test)]
mod sample;
mod search;
mod show;
mod tags;

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueHint};

pub use check::CheckArgs;
pub use completions::{CompletionsArgs, ManArgs};
pub use config::{ConfigArgs, write_warnings as write_config_warnings};
pub use export::{ExportArgs, Format as ExportFormat, Grouping as ExportGrouping};
pub use highlight::{HighlightAction, HighlightAddArgs, HighlightArgs, HighlightRmArgs};
pub use highlights::HighlightsArgs;
pub use import::{ImportArgs, KindArg as ImportKind};
pub use recover::RecoverArgs;
pub use repair::RepairArgs;
pub use safe_output::SafeOutput;
pub use search::{ColorChoice as SearchColor, SearchArgs};
pub use tags::TagsArgs;

use crate::library::{ArticleCache, CacheUse, FindError, Library, Sources};
use crate::paths::{CONFIG_FILE_ENV, DATA_DIR_ENV, DataPaths};
use crate::text::sanitize_line;

/// A terminal reader and annotator for long-form articles.
///
/// Run `gloss` alone to open the reader; the subcommands are for scripts.
#[derive(Debug, Parser)]
#[command(name = "gloss", version, about, long_about)]
pub struct Cli {
    /// Also read the articles (`*.md`) in DIR; may be given several times.
    #[arg(long = "library", value_name = "DIR", value_hint = ValueHint::DirPath, global = true)]
    pub libraries: Vec<PathBuf>,

    /// Keep annotations, reading positions and the user library in DIR.
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath, env = DATA_DIR_ENV, global = true)]
    pub data_dir: Option<PathBuf>,

    /// Read the configuration from FILE instead of config.ron in the config folder.
    #[arg(long = "config", value_name = "FILE", value_hint = ValueHint::FilePath, env = CONFIG_FILE_ENV, global = true)]
    pub config_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do instead of opening the reader.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the articles: id, date, reading time, sections, progress, title.
    List(ListArgs),
    /// Print an article, or one of its sections, as plain text.
    Show(ShowArgs),
    /// Print every passage that matches a query, one per line (or as JSON).
    ///
    /// The same query language as the reader's keyword filter, over every
    /// article of the library (or those named with --article).
    Search(SearchArgs),
    /// Show where gloss keeps its files.
    Paths(PathsArgs),
    /// Show the configuration file and whether it loads; print a default one.
    ///
    /// The file (RON) sets the theme, the reading width, the export folder,
    /// highlight colours and keys. `gloss config --default` prints every
    /// setting with what it does.
    Config(ConfigArgs),
    /// List highlights (of one article, or all) with their tags, notes and state.
    Highlights(HighlightsArgs),
    /// Add a highlight by quoting its text, or remove one.
    Highlight(HighlightArgs),
    /// List the tags in use with how many highlights carry each.
    Tags(TagsArgs),
    /// Check that every highlight can still be found in its article, and
    /// say where the annotations file needs fixing, if it does.
    Check(CheckArgs),
    /// Replace an annotations file that does not parse with what could be
    /// read of it (or its backup), keeping the file as it was beside it.
    Repair(RepairArgs),
    /// Export highlights as Markdown notes (or JSON): one article, a tag, or all.
    Export(ExportArgs),
    /// Add documents (Markdown, plain text, scraped articles) to the user's library.
    Import(ImportArgs),
    /// Merge annotations that could not be saved (kept in recovery files) into the store.
    ///
    /// When a save fails and gloss must stop anyway, what was not saved is
    /// written to annotations.recovered-<time>.ron beside the store (or in
    /// the temporary folder); this merges each such file three ways, keeping
    /// any change made to the store since, and removes it.
    Recover(RecoverArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    ///
    /// For the current session: `source <(gloss completions bash)`. To keep it,
    /// save it where the shell looks for completions, e.g.
    /// `gloss completions fish > ~/.config/fish/completions/gloss.fish`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff); read it with `gloss man | man -l -`.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print a JSON array instead of aligned columns.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// An article id, or the start of a title that names only one article.
    #[arg(value_name = "ARTICLE")]
    pub article: String,

    /// Print only section N (numbered from 1, as in the reader's outline).
    #[arg(long, value_name = "N")]
    pub section: Option<usize>,
}

#[derive(Debug, Args)]
pub struct PathsArgs {
    /// Print a JSON object instead of aligned lines.
    #[arg(long)]
    pub json: bool,
}

/// Why a subcommand could not do its job. [`CliError::exit_code`] turns it into
/// the process's exit status.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("no article matches '{0}'; `gloss list` shows the ids")]
    NotFound(String),

    #[error("'{query}' matches several articles; use one of these ids: {}", candidates.join(", "))]
    Ambiguous {
        query: String,
        /// `id (title)` of each article that matches.
        candidates: Vec<String>,
    },

    #[error("{0}")]
    NoSuchSection(String),

    /// `gloss search` found nothing (the query, sanitized).
    #[error("no passage matches '{0}'")]
    NoMatch(String),

    /// A query that does not compile: the reason, sanitized.
    #[error("{0}; see 'gloss search --help'")]
    BadQuery(String),

    /// An article named on the command line that is not in the library,
    /// where that is a mistake rather than "nothing found".
    #[error("no article matches '{0}'; `gloss list` shows the ids")]
    UnknownArticle(String),

    #[error("cannot write the output: {0}")]
    Output(#[from] io::Error),

    #[error(
        "\"{quote}\" is not in '{article}', not even ignoring case and spacing; `gloss show {article}` prints its text"
    )]
    QuoteNotFound { article: String, quote: String },

    #[error(
        "\"{quote}\" occurs {count} times in '{article}'; quote more of the passage, or choose one with --occurrence 1 to {count}"
    )]
    AmbiguousQuote {
        article: String,
        quote: String,
        count: usize,
    },

    #[error(
        "\"{quote}\" occurs {count} time(s) in '{article}', so there is no occurrence {requested}; choose from 1 to {count}"
    )]
    NoSuchOccurrence {
        article: String,
        quote: String,
        requested: u32,
        count: usize,
    },

    #[error("no highlight has the id '{0}'; `gloss highlights` lists them")]
    NoSuchHighlight(String),

    /// The annotations file (named, sanitized) must not be written over.
    #[error(
        "not changing {0}: it could not be used as it is (see the warning above); nothing was saved"
    )]
    ReadOnlyAnnotations(String),

    #[error(transparent)]
    Store(#[from] crate::store::StoreError),

    /// The annotations file does not parse: where, and what to do (already
    /// sanitized).
    #[error("{0}")]
    NeedsRepair(String),

    #[error(
        "{0} highlight(s) in the annotations file have a bad value and are kept as written until fixed; the lines are listed above"
    )]
    SpoiledHighlights(usize),

    #[error(
        "some highlights cannot be found in the library as it is now ({orphaned} orphaned, {missing} whose article is missing); they are kept, and listed above"
    )]
    NeedsAttention { orphaned: usize, missing: usize },

    #[error("nothing to export: {0}")]
    NothingToExport(String),

    #[error(transparent)]
    Export(#[from] crate::export::ExportError),

    #[error("--id names one article; give a single FILE with it, or leave --id out")]
    IdWithSeveralFiles,

    #[error("{failed} of {total} file(s) were not imported; the reasons are above")]
    ImportFailed { failed: usize, total: usize },

    /// The configuration file (named, sanitized) has problems, listed above.
    #[error(
        "{file} has {count} problem(s), listed above; gloss runs with its default settings until they are fixed"
    )]
    InvalidConfig { file: String, count: usize },
}

impl CliError {
    /// 1 when nothing was found (for `check`: when a highlight was not), 2 for
    /// anything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::NotFound(_)
            | CliError::NoMatch(_)
            | CliError::QuoteNotFound { .. }
            | CliError::NoSuchHighlight(_)
            | CliError::NeedsAttention { .. }
            | CliError::NothingToExport(_)
            | CliError::ImportFailed { .. }
            | CliError::InvalidConfig { .. } => 1,
            _ => 2,
        }
    }

    /// A reader that stopped reading (`gloss list | head`) is not a failure.
    pub fn is_closed_output(&self) -> bool {
        matches!(self, CliError::Output(err) if err.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// Runs `command` against an opened library, writing its result to `out`.
/// Warnings about the positions file go to `warnings`, one line each.
pub fn run(
    command: &Command,
    library: &Library,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    match command {
        Command::List(args) => list::run(args, library, paths, out, warnings),
        Command::Show(args) => show::run(args, library, out),
        Command::Search(args) => search::run(args, library, paths, out, warnings),
        Command::Paths(args) => paths::run(args, paths, out),
        Command::Config(args) => config::run(args, paths, out, warnings),
        Command::Highlights(args) => highlights::run(args, library, paths, out, warnings),
        Command::Highlight(args) => highlight::run(args, library, paths, out, warnings),
        Command::Tags(args) => tags::run(args, paths, out, warnings),
        Command::Check(args) => check::run(args, library, paths, out, warnings),
        Command::Repair(args) => repair::run(args, paths, out),
        Command::Export(args) => export::run(args, library, paths, out, warnings),
        Command::Import(args) => import::run(args, library, paths, out, warnings),
        Command::Recover(args) => recover::run(args, paths, out, warnings),
        Command::Completions(args) => completions::write_completions(args, out),
        Command::Man(_) => completions::write_man_page(out),
    }
}

/// Runs `command` on the library in `sources`, opened as the command needs
/// it: all of it, except for `gloss search`, which searches each article
/// where it lies without building a library, and `gloss completions`,
/// `gloss man` and `gloss config`, which need none of it. Library warnings go
/// to `warnings` before the command's own output.
pub fn execute(
    command: &Command,
    sources: &Sources,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    match command {
        Command::Search(args) => search::execute(args, sources, paths, out, warnings),
        // Generated from the command line definition alone: nothing to read.
        Command::Completions(_)
        | Command::Man(_)
        | Command::Config(_)
        | Command::Repair(_)
        | Command::Recover(_) => run(command, &Library::default(), paths, out, warnings),
        _ => {
            // The command's output waits for the parsed files to be kept, once.
            let cache = ArticleCache::new(paths.cache_dir.clone());
            let library = progress::open_library(sources, CacheUse::ReadAndKeep(&cache));
            // Advice: failing to print it must not stop the command.
            let _ = write_library_warnings(&library, warnings);
            let outcome = run(command, &library, paths, out, warnings);
            // The process ends soon: handing a large library back to the
            // allocator piece by piece would only delay the exit.
            std::mem::forget(library);
            outcome
        }
    }
}

/// Writes each library warning as `gloss: warning: <file>: <reason>`.
pub fn write_library_warnings(library: &Library, err: &mut dyn Write) -> io::Result<()> {
    for warning in &library.warnings {
        writeln!(err, "gloss: warning: {warning}")?;
    }
    Ok(())
}

/// Turns a command-line parsing error into one line for stderr (without the
/// `gloss: ` prefix): clap's message and tip, pointing at `--help`.
pub fn usage_error_line(err: &clap::Error) -> String {
    let rendered = err.to_string();
    let mut parts: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .filter(|line| {
            !line.is_empty() && !line.starts_with("Usage:") && !line.starts_with("For more")
        })
        .map(|line| line.strip_prefix("error: ").unwrap_or(line))
        .collect();
    parts.push("see 'gloss --help'");
    sanitize_line(&parts.join("; "))
}

/// Finds the article `query` names, with errors that list the candidates.
fn find_article(library: &Library, query: &str) -> Result<usize, CliError> {
    library.find(query).map_err(|err| match err {
        FindError::NotFound(query) => CliError::NotFound(sanitize_line(&query)),
        FindError::Ambiguous { query, candidates } => CliError::Ambiguous {
            query: sanitize_line(&query),
            candidates: candidates
                .iter()
                .map(|id| match library.by_id(id) {
                    Some(article) => format!("{id} ({})", article.meta.title),
                    None => id.clone(),
                })
                .collect(),
        },
    })
}

/// Pads `text` with spaces to `width` terminal cells.
fn pad_end(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(crate::text::display_width(text));
    format!("{text}{}", " ".repeat(fill))
}

/// Pads `text` with spaces on the left to `width` terminal cells.
fn pad_start(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(crate::text::display_width(text));
    format!("{}{text}", " ".repeat(fill))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_work_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "gloss",
            "list",
            "--library",
            "/a",
            "--data-dir",
            "/d",
            "--library",
            "/b",
        ])
        .unwrap();
        assert_eq!(cli.libraries, [PathBuf::from("/a"), PathBuf::from("/b")]);
        assert_eq!(cli.data_dir, Some(PathBuf::from("/d")));
        assert!(matches!(
            cli.command,
            Some(Command::List(ListArgs { json: false }))
        ));
    }

    #[test]
    fn no_subcommand_means_the_reader() {
        let cli = Cli::try_parse_from(["gloss", "--library", "/a"]).unwrap();
        assert!(cli.command.is_none());
    }

    #[test]
    fn a_usage_error_is_one_line_with_the_tip() {
        let err = Cli::try_parse_from(["gloss", "list", "--jsn"]).unwrap_err();
        let line = usage_error_line(&err);
        assert!(!line.contains('\n'), "{line}");
        assert!(line.contains("--jsn"), "{line}");
        assert!(line.contains("--json"), "the tip is kept: {line}");
        assert!(line.ends_with("see 'gloss --help'"), "{line}");
    }

    #[test]
    fn only_not_found_exits_with_one() {
        assert_eq!(CliError::NotFound("x".into()).exit_code(), 1);
        let ambiguous = CliError::Ambiguous {
            query: "x".into(),
            candidates: vec![],
        };
        assert_eq!(ambiguous.exit_code(), 2);
        assert_eq!(CliError::NoSuchSection(String::new()).exit_code(), 2);
    }

    #[test]
    fn padding_counts_terminal_cells() {
        assert_eq!(pad_end("成果", 6), "成果  ");
        assert_eq!(pad_start("7", 3), "  7");
        assert_eq!(pad_end("toolong", 3), "toolong");
    }
}
