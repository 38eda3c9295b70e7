//! `gloss search`: every passage of the library that matches a query, one per
//! line or as JSON, with the reader's query language. It is grep for the
//! library, so it answers like grep: exit 0 with matches, 1 without, 2 on
//! error, and the whole passage on each line for the next command in a pipe.
//!
//! Searching 50 MB of articles must stay close to `rg` on the same files, so
//! [`execute`] builds no library: it searches each article where its text
//! lies, skips files whose raw text cannot hold a match (see [`RawFilter`]),
//! and writes the output in large blocks.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::ops::Range;

use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde::Serialize;

use super::{CliError, annotations_file, find_article, write_library_warnings};
use crate::annotation::AnnotationIndex;
use crate::library::{Found, Library, PassageView, SearchCache, SearchFilter, SearchView, Sources};
use crate::paths::DataPaths;
use crate::search::{Query, QueryOptions, Unannotated};
use crate::text::sanitize_line;
use raw_filter::RawFilter;

/// Bold and reverse video around a match, then back to normal.
const MARK_ON: &str = "\u{1b}[1;7m";
const MARK_OFF: &str = "\u{1b}[0m";
/// Around a match when there is no colour.
const QUOTE_ON: &str = "«";
const QUOTE_OFF: &str = "»";

/// What a printed passage adds to its text: id, section, number, marks.
const PASSAGE_OVERHEAD_BYTES: usize = 96;

/// Output is gathered into blocks this large before it is written.
const OUTPUT_BUFFER_BYTES: usize = 256 * 1024;

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
    let cache = (!args.no_cache).then(|| SearchCache::new(paths.cache_dir.clone()));
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
    results.finish(args)
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
    results.finish(args)
}

/// What one article printed: how many passages, and the bytes.
struct Printed {
    count: usize,
    text: Vec<u8>,
}

/// Searches an article and prints what matches, as the arguments ask.
struct Printer<'a> {
    query: &'a Query,
    /// What `tag:` and `has:note` ask about; `None` when the query does not.
    notes: Option<AnnotationIndex>,
    marks: (&'static str, &'static str),
    json: bool,
}

impl<'a> Printer<'a> {
    fn new(
        args: &SearchArgs,
        query: &'a Query,
        paths: &DataPaths,
        warnings: &mut dyn Write,
    ) -> Printer<'a> {
        // Only `tag:` and `has:note` need the annotations file.
        let notes = query.uses_annotations().then(|| {
            AnnotationIndex::build(annotations_file::load(paths, warnings).annotations.iter())
        });
        let marks = if args.color.enabled() {
            (MARK_ON, MARK_OFF)
        } else {
            (QUOTE_ON, QUOTE_OFF)
        };
        Printer {
            query,
            notes,
            marks,
            json: args.json,
        }
    }

    /// The matching passages of `view`, printed one after another (JSON
    /// objects separated by `,\n`).
    fn print(&self, view: &SearchView) -> Printed {
        let found: Vec<FoundPassage> = view
            .passages
            .iter()
            .filter_map(|passage| {
                let hits = match &self.notes {
                    Some(notes) => {
                        let facts = notes.facts(view.id, passage.block);
                        self.query.find_in_passage(passage.text, &facts)
                    }
                    None => self.query.find_in_passage(passage.text, &Unannotated),
                }?;
                Some(FoundPassage {
                    view,
                    passage,
                    hits,
                })
            })
            .collect();
        let room = found
            .iter()
            .map(|found| found.passage.text.len() + PASSAGE_OVERHEAD_BYTES)
            .sum();
        let mut text = Vec::with_capacity(room);
        for (index, found_passage) in found.iter().enumerate() {
            if self.json {
                if index > 0 {
                    text.extend_from_slice(b",\n");
                }
                // Writing into memory cannot fail.
                let _ = serde_json::to_writer(&mut text, &found_passage.json());
            } else {
                found_passage.write_line(&mut text, self.marks);
            }
        }
        Printed {
            count: found.len(),
            text,
        }
    }
}

/// Where the articles' printed passages go, in order, in large blocks (as a
/// JSON array with `--json`).
struct Results<'o> {
    out: BufWriter<&'o mut dyn Write>,
    json: bool,
    /// Passages written so far.
    found: usize,
}

impl<'o> Results<'o> {
    fn new(args: &SearchArgs, out: &'o mut dyn Write) -> io::Result<Results<'o>> {
        let mut out = BufWriter::with_capacity(OUTPUT_BUFFER_BYTES, out);
        if args.json {
            out.write_all(b"[")?;
        }
        Ok(Results {
            out,
            json: args.json,
            found: 0,
        })
    }

    fn write(&mut self, printed: &Printed) -> io::Result<()> {
        if printed.count == 0 {
            return Ok(());
        }
        if self.json {
            self.out
                .write_all(if self.found == 0 { b"\n" } else { b",\n" })?;
        }
        self.found += printed.count;
        self.out.write_all(&printed.text)
    }

    /// Ends the output; no passage written is [`CliError::NoMatch`].
    fn finish(mut self, args: &SearchArgs) -> Result<(), CliError> {
        if self.json {
            let end: &[u8] = if self.found == 0 { b"]\n" } else { b"\n]\n" };
            self.out.write_all(end)?;
        }
        self.out.flush()?;
        if self.found == 0 {
            return Err(CliError::NoMatch(sanitize_line(&args.query)));
        }
        Ok(())
    }
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

/// One matching passage, ready to print.
struct FoundPassage<'v> {
    view: &'v SearchView<'v>,
    passage: &'v PassageView<'v>,
    /// Merged byte ranges of the matches in the passage's text, in order.
    hits: Vec<Range<usize>>,
}

impl FoundPassage<'_> {
    fn text(&self) -> &str {
        self.passage.text
    }

    /// The section's 1-based number and title.
    fn section(&self) -> Option<(usize, &str)> {
        self.view.section(self.passage.section)
    }

    /// `ID  §N Title  ¶P: text`, with the matches between `marks`.
    fn write_line(&self, out: &mut Vec<u8>, marks: (&str, &str)) {
        let mut number = itoa::Buffer::new();
        out.extend_from_slice(self.view.id.as_bytes());
        match self.section() {
            Some((section, title)) => {
                out.extend_from_slice("  §".as_bytes());
                out.extend_from_slice(number.format(section).as_bytes());
                out.push(b' ');
                out.extend_from_slice(title.as_bytes());
            }
            None => out.extend_from_slice("  §-".as_bytes()),
        }
        out.extend_from_slice("  ¶".as_bytes());
        out.extend_from_slice(number.format(self.passage.number).as_bytes());
        out.extend_from_slice(b": ");
        let text = self.text();
        let mut written = 0;
        for hit in &self.hits {
            push_one_line(out, &text[written..hit.start]);
            out.extend_from_slice(marks.0.as_bytes());
            push_one_line(out, &text[hit.clone()]);
            out.extend_from_slice(marks.1.as_bytes());
            written = hit.end;
        }
        push_one_line(out, &text[written..]);
        out.push(b'\n');
    }

    fn json(&self) -> JsonPassage<'_> {
        let text = self.text();
        let mut chars_before = CharCounter::new(text);
        let matches = self
            .hits
            .iter()
            .map(|hit| JsonMatch {
                start: hit.start,
                end: hit.end,
                char_start: chars_before.at(hit.start),
                char_end: chars_before.at(hit.end),
            })
            .collect();
        JsonPassage {
            article: self.view.id,
            title: self.view.title,
            section: self
                .section()
                .map(|(number, title)| JsonSection { number, title }),
            passage: self.passage.number,
            block: self.passage.block,
            text,
            matches,
        }
    }
}

/// Appends `text` with its line breaks (code keeps them) as spaces, so that a
/// passage stays on one line.
fn push_one_line(out: &mut Vec<u8>, text: &str) {
    let text = text.as_bytes();
    let mut from = 0;
    for line_break in memchr::memchr_iter(b'\n', text) {
        out.extend_from_slice(&text[from..line_break]);
        out.push(b' ');
        from = line_break + 1;
    }
    out.extend_from_slice(&text[from..]);
}

/// Character offsets of increasing byte offsets in one text, counted once.
struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCounter<'a> {
    fn new(text: &'a str) -> Self {
        CharCounter {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// The number of characters before byte `offset` (a character boundary,
    /// at or after the previous one asked about).
    fn at(&mut self, offset: usize) -> usize {
        if offset >= self.byte {
            self.chars += self
                .text
                .get(self.byte..offset)
                .map_or(0, |s| s.chars().count());
        } else {
            self.chars = self.text.get(..offset).map_or(0, |s| s.chars().count());
        }
        self.byte = offset;
        self.chars
    }
}

/// One passage as `gloss search --json` prints it; field order is part of the
/// output.
#[derive(Debug, Serialize)]
struct JsonPassage<'a> {
    article: &'a str,
    title: &'a str,
    section: Option<JsonSection<'a>>,
    passage: usize,
    block: usize,
    text: &'a str,
    matches: Vec<JsonMatch>,
}

#[derive(Debug, Serialize)]
struct JsonSection<'a> {
    number: usize,
    title: &'a str,
}

#[derive(Debug, Serialize)]
struct JsonMatch {
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
}

mod raw_filter;
#[cfg(test)]
mod tests;
