//! `gloss export`: highlights as Markdown notes (or JSON) for one article,
//! several, a tag, or the whole library; to stdout, to a file, or to a folder
//! with one file per article and an index. Safe to re-run: files gloss wrote
//! are updated in place, anything else is left alone unless `--force`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use jiff::Timestamp;

use super::progress::{MIN_FILES, Progress};
use super::{CliError, annotations_file, find_article};
use crate::export::{
    ArticleHighlights, Document, ExportOptions, GroupBy, IndexEntry, Subject, WriteOutcome,
    file_names, file_stem, path_in, render_index, render_json, render_markdown, select,
    write_export, write_json_export,
};
use crate::library::Library;
use crate::paths::DataPaths;
use crate::text::sanitize_line;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Articles to export: ids, or starts of titles that name only one
    /// article. Every article with highlights when none is given.
    #[arg(value_name = "ARTICLE")]
    pub articles: Vec<String>,

    /// Only the highlights with this tag (case does not matter).
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,

    /// How Markdown groups the highlights under headings.
    #[arg(long, value_enum, value_name = "BY", default_value_t = Grouping::Section)]
    pub group_by: Grouping,

    /// Markdown notes, or JSON for scripts.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,

    /// Write to FILE instead of stdout; or, when it is a folder (or ends with
    /// '/'), one file per article in it, plus index.md when no ARTICLE is given.
    #[arg(long, value_name = "FILE|DIR")]
    pub out: Option<PathBuf>,

    /// Write into the export folder, one file per article, where `e` in the
    /// reader does (`gloss paths` shows it; `export_dir` in the configuration
    /// changes it).
    #[arg(long, conflicts_with = "out")]
    pub to_export_dir: bool,

    /// Write even over a file gloss did not write (kept as .bak), or over
    /// another export's marked region (text around it is kept).
    #[arg(long)]
    pub force: bool,

    /// Put the time of the export in the front matter; without it the same
    /// highlights always give the same bytes.
    #[arg(long)]
    pub stamp: bool,
}

/// `--group-by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Grouping {
    /// Under the article's section headings.
    Section,
    /// Under each article's title, in reading order.
    Article,
    /// Under each tag.
    Tag,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Markdown,
    Json,
}

pub fn run(
    args: &ExportArgs,
    library: &Library,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    let loaded = annotations_file::load(paths, warnings);
    let named = if args.articles.is_empty() {
        None
    } else {
        let found: Result<Vec<usize>, CliError> = args
            .articles
            .iter()
            .map(|query| find_article(library, query))
            .collect();
        let mut unique: Vec<usize> = Vec::new();
        for index in found? {
            if !unique.contains(&index) {
                unique.push(index);
            }
        }
        Some(unique)
    };
    let tag = args.tag.as_deref().map(sanitize_line);
    let selection = select(
        library,
        &loaded.annotations,
        named.as_deref(),
        tag.as_deref(),
    );
    if selection.without_article > 0 {
        // Advice only: failing to print it must not stop the export.
        let _ = writeln!(
            warnings,
            "gloss: warning: {} highlight(s) belong to articles that are not in the library and were not exported; `gloss check` lists them",
            selection.without_article
        );
    }
    if selection.parts.is_empty() {
        return Err(CliError::NothingToExport(nothing_message(
            library,
            named.as_deref(),
            tag.as_deref(),
        )));
    }
    let mut subject = match &named {
        Some(indexes) => Subject::articles(
            indexes
                .iter()
                .map(|&i| library.articles[i].meta.id.as_str()),
        ),
        None => Subject::library(),
    };
    if let Some(tag) = &tag {
        subject = subject.tagged(tag);
    }
    let export = Export {
        args,
        options: ExportOptions {
            group_by: match args.group_by {
                Grouping::Section => GroupBy::Section,
                Grouping::Article => GroupBy::Article,
                Grouping::Tag => GroupBy::Tag,
            },
            stamp: args.stamp.then(Timestamp::now),
        },
    };
    let document = Document {
        subject,
        parts: selection.parts,
    };
    if args.to_export_dir || args.out.is_some() {
        // Notes written from part of a damaged store would replace fuller
        // ones: only the standard output gets what could be read.
        annotations_file::finish(&loaded)?;
    }
    if args.to_export_dir {
        let dir = crate::export::default_export_dir(paths);
        return export.to_folder(&dir, &document, named.is_none(), out);
    }
    match &args.out {
        // `-` is standard output, as for most commands that write files.
        None => {
            out.write_all(export.render(&document)?.as_bytes())?;
            annotations_file::finish(&loaded)
        }
        Some(dash) if dash.as_os_str() == "-" => {
            out.write_all(export.render(&document)?.as_bytes())?;
            Ok(())
        }
        Some(stream) if is_stream(stream) => export.to_stream(stream, &document),
        Some(dir) if is_folder(dir) => export.to_folder(dir, &document, named.is_none(), out),
        Some(file) => export.to_file(file, &document, out),
    }
}

/// What was asked for, and how.
struct Export<'a> {
    args: &'a ExportArgs,
    options: ExportOptions,
}

impl Export<'_> {
    fn render(&self, document: &Document) -> Result<String, CliError> {
        Ok(match self.args.format {
            Format::Markdown => render_markdown(document, &self.options),
            Format::Json => render_json(document, &self.options)?,
        })
    }

    /// Writes the export to a device or pipe (`/dev/null`, a FIFO,
    /// `/dev/stdout` into a pipe) as a stream: never read, never replaced,
    /// and nothing said on stdout, which may be that very stream.
    fn to_stream(&self, path: &Path, document: &Document) -> Result<(), CliError> {
        let content = self.render(document)?;
        let stream_error = |source| crate::export::ExportError::Stream {
            path: path.to_path_buf(),
            source,
        };
        let mut stream = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(stream_error)?;
        match stream
            .write_all(content.as_bytes())
            .and_then(|()| stream.flush())
        {
            // `--out /dev/stdout | head`: a reader that stopped reading is
            // not a failure, as for stdout itself.
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Err(CliError::Output(err)),
            Err(err) => Err(stream_error(err).into()),
            Ok(()) => Ok(()),
        }
    }

    fn to_file(
        &self,
        path: &Path,
        document: &Document,
        out: &mut dyn Write,
    ) -> Result<(), CliError> {
        let content = self.render(document)?;
        let outcome = match self.args.format {
            Format::Markdown => write_export(path, &content, self.args.force)?,
            Format::Json => write_json_export(path, &content, self.args.force)?,
        };
        report(out, outcome, path)
    }

    /// One file per article (and, for the whole library, `index.md` listing
    /// them); or one file named after the tag when highlights are chosen or
    /// grouped by tag, since those span articles.
    fn to_folder(
        &self,
        dir: &Path,
        document: &Document,
        whole_library: bool,
        out: &mut dyn Write,
    ) -> Result<(), CliError> {
        let extension = match self.args.format {
            Format::Markdown => "md",
            Format::Json => "json",
        };
        let by_tag = self.args.format == Format::Markdown && self.args.group_by == Grouping::Tag;
        if let Some(tag) = document.subject.tag().map(str::to_owned) {
            let name = format!("tag-{}.{extension}", file_stem(&tag));
            return self.to_file(&path_in(dir, &name)?, document, out);
        }
        if by_tag {
            return self.to_file(&path_in(dir, &format!("tags.{extension}"))?, document, out);
        }
        let ids: Vec<&str> = document
            .parts
            .iter()
            .map(|part| part.article.meta.id.as_str())
            .collect();
        let names = file_names(&ids, extension);
        let progress = Progress::on_stderr("exporting", names.len(), MIN_FILES);
        let mut lines = progress.around_stdout(out);
        let mut index = Vec::new();
        for (part, name) in document.parts.iter().zip(&names) {
            progress.working_on(name);
            let single = Document::article(part.article, part.highlights.clone());
            self.to_file(&path_in(dir, name)?, &single, &mut lines)?;
            index.push(index_entry(part, name));
            progress.done_one();
        }
        drop(lines);
        drop(progress);
        if self.args.format == Format::Markdown && whole_library {
            let path = path_in(dir, &format!("{}.md", crate::export::INDEX_FILE_STEM))?;
            let outcome =
                write_export(&path, &render_index(&index, &self.options), self.args.force)?;
            report(out, outcome, &path)?;
        }
        Ok(())
    }
}

fn index_entry(part: &ArticleHighlights, file_name: &str) -> IndexEntry {
    let title = sanitize_line(&part.article.meta.title);
    IndexEntry {
        title: if title.is_empty() {
            sanitize_line(&part.article.meta.id)
        } else {
            title
        },
        file_name: file_name.to_owned(),
        highlights: part.highlights.len(),
    }
}

/// Whether `--out` names something that exists and is no file or folder: a
/// device such as `/dev/null`, a named pipe, a socket.
fn is_stream(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|metadata| !metadata.is_file() && !metadata.is_dir())
}

/// Whether `--out` names a folder: one that exists, or a path ending with a
/// separator (created as needed).
fn is_folder(path: &Path) -> bool {
    path.is_dir()
        || path
            .as_os_str()
            .to_string_lossy()
            .ends_with(['/', std::path::MAIN_SEPARATOR])
}

/// `created PATH`, `updated PATH`, … on one line.
fn report(out: &mut dyn Write, outcome: WriteOutcome, path: &Path) -> Result<(), CliError> {
    writeln!(out, "{} {}", outcome.word(), crate::text::shown_path(path))?;
    Ok(())
}

/// Why nothing was exported, in words.
fn nothing_message(library: &Library, named: Option<&[usize]>, tag: Option<&str>) -> String {
    let whose = match named {
        Some([one]) => format!("'{}' has", library.articles[*one].meta.id),
        Some(_) => "these articles have".to_owned(),
        None => "the library has".to_owned(),
    };
    match tag {
        Some(tag) => {
            format!("{whose} no highlights tagged '{tag}'; `gloss tags` lists the tags in use")
        }
        None => format!("{whose} no highlights yet"),
    }
}
