//! `gloss search`: every passage of the library that matches a query, one per
//! line or as JSON, with the reader's query language. It is grep for the
//! library, so it answers like grep: exit 0 with matches, 1 without, 2 on
//! error, and the whole passage on each line for the next command in a pipe.
//!
//! Searching 50 MB of articles must stay close to `rg` on the same files, so
//! [`execute`] builds no library: it searches each article where its text
//! lies, skips files whose raw text cannot hold a match (see [`RawFilter`]),
//! and writes the output in large blocks.

use std::io::{self, IsTerminal, Write};

use clap::{Args, ValueEnum};
use rayon::prelude::*;

use super::{CliError, find_article, write_library_warnings};
use crate::library::{ArticleCache, Found, Library, SearchFilter, SearchView, Sources};
use crate::paths::DataPaths;
use crate::search::{Query, QueryOptions};
use crate::text::sanitize_line;
use print::{Printed, Printer, Results};
use raw_filter::RawFilter;

/// Print every passage that matches QUERY.
#[derive(Debug, Args)]
#[command(after_long_help = OUTPUT_HELP)]
// Each flag is an independent switch of the command line.
#[allow(clippy::struct_excessive_bools)]
pub struct SearchArgs {
    /// Words that must all be in the passage; "a phrase" in quotes; -word to
    /// exclude; tag:NAME and has:note for annotated passages. Case is ignored
    /// unless the query has an upper-case letter. Quote the whole query for the
    /// shell, and put `--` before it when it begins with `-`.
    #[arg(value_name = "QUERY")]
    pub query: String,

    /// Each term is a regular expression (Rust regex syntax).
    #[arg(long)]
    pub regex: bool,

    /// Letters match whatever accents they carry (`cafe` finds `café`).
    #[arg(long)]
    pub ignore_accents: bool,

    /// Search only this article (its id, or the start of a title that names
    /// only one); may be given several times.
    #[arg(long = "article", value_name = "ARTICLE")]
    pub articles: Vec<String>,

    /// Print a JSON array instead of lines.
    #[arg(long)]
    pub json: bool,

    /// Parse every library file afresh instead of using (and updating) the
    /// cache of parsed articles in the cache folder (see `gloss paths`).
    #[arg(long)]
    pub no_cache: bool,

    /// Mark matches in bold reverse video: always, never, or when the output
    /// is a terminal and `NO_COLOR` is not set.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

const OUTPUT_HELP: &str = "\
Output: one line per matching passage, in library order:

    ARTICLE-ID  §N Section title  ¶P: passage text

N is the section's number (as in `gloss show --section N`), or `§-` for a
passage before the first section; P counts the article's passages (headings
are not passages) from 1. The whole passage is printed, line breaks as spaces.
Matches are shown in bold reverse video, or between « and » without colour.

With --json: an array of objects, one per line:
    {\"article\", \"title\", \"section\": {\"number\", \"title\"} or null, \"passage\",
     \"block\", \"text\", \"matches\": [{\"start\", \"end\", \"char_start\", \"char_end\"}]}
where block is the 0-based index of the passage among all blocks, and start/end
are byte offsets (char_start/char_end character offsets) of each match in text.

Exit status: 0 when a passage matches, 1 when none does, 2 on an error (a bad
query or regex, an unknown article).";

/// When to colour matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal and `NO_COLOR` is unset or empty.
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never: matches are marked with « and ».
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
                !no_color && io::stdout().is_terminal()
            }
        }
    }
}

impl SearchArgs {
    fn options(&self) -> QueryOptions {
        QueryOptions {
            regex: self.regex,
            diacritics_insensitive: self.ignore_accents,
        }
    }

    fn query(&self) -> Result<Query, CliError> {
        Query::parse(&self.query, self.options())
            .map_err(|error| CliError::BadQuery(sanitize_line(&error.to_string())))
    }
}

/// Runs `gloss search` on the library in `sources`: the matches to `out`,
/// warnings about files that could not be used to `warnings`.
///
/// Unless articles are named, no library is built: each article is searched
/// where its text lies (see [`Library::search`]), through the cache of parsed
/// articles in `paths` unless `--no-cache`, and a file whose raw text cannot
/// hold a match (see [`RawFilter`]) is not parsed. Matches are written as
/// each round of files is searched, so a reader that stops reading
/// (`gloss search x | head`) stops the search.
pub fn execute(
    args: &SearchArgs,
    sources: &Sources,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    let query = args.query()?;
    let cache = (!args.no_cache).then(|| ArticleCache::new(paths.cache_dir.clone()));
    let everything = |_: &str| true;
    if !args.articles.is_empty() {
        // Naming an article needs every title, and the ids as the library
        // settles them.
        let library = Library::open_for_search(sources, &everything, cache.as_ref());
        let _ = write_library_warnings(&library, warnings);
        let outcome = run(args, &library, paths, out, warnings);
        std::mem::forget(library);
        return outcome;
    }
    let raw_filter = RawFilter::for_query(&query);
    let filter: &dyn SearchFilter = match &raw_filter {
        Some(raw_filter) => raw_filter,
        None => &everything,
    };
    let printer = Printer::new(args, &query, paths, warnings);
    let mut results = Results::new(args, out)?;
    Library::search(
        sources,
        filter,
        cache.as_ref(),
        &|view| printer.print(view),
        &mut |found| match found {
            Found::Article(printed) => results.write(&printed),
            Found::Warning(warning) => {
                // Advice: failing to print it must not stop the search.
                let _ = writeln!(warnings, "gloss: warning: {warning}");
                Ok(())
            }
        },
    )?;
    let outcome = results.finish(args);
    printer.finish(outcome)
}

/// Searches the articles of an opened `library` (those `--article` names, or
/// all) and prints the matches to `out`.
pub fn run(
    args: &SearchArgs,
    library: &Library,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    let query = args.query()?;
    let articles = chosen_articles(args, library)?;
    let printer = Printer::new(args, &query, paths, warnings);
    let printed: Vec<Printed> = articles
        .par_iter()
        .map(|&index| printer.print(&SearchView::of(&library.articles[index])))
        .collect();
    let mut results = Results::new(args, out)?;
    for printed in &printed {
        results.write(printed)?;
    }
    let outcome = results.finish(args);
    printer.finish(outcome)
}

/// Indices of the articles to search, in library order, each once.
fn chosen_articles(args: &SearchArgs, library: &Library) -> Result<Vec<usize>, CliError> {
    if args.articles.is_empty() {
        return Ok((0..library.articles.len()).collect());
    }
    let mut chosen = Vec::with_capacity(args.articles.len());
    for name in &args.articles {
        let index = find_article(library, name).map_err(|error| match error {
            // Naming an article that does not exist is a mistake, not "no match".
            CliError::NotFound(name) => CliError::UnknownArticle(name),
            other => other,
        })?;
        chosen.push(index);
    }
    chosen.sort_unstable();
    chosen.dedup();
    Ok(chosen)
}

mod print;
mod raw_filter;
#[cfg(test)]
mod tests;
