//! Highlights as notes outside gloss: Markdown for a note vault (one article,
//! a tag, or the whole library, with an index) and JSON for scripts.
//!
//! Rendering is pure and deterministic: the same highlights give the same
//! bytes, so re-exporting changes a file only when the highlights changed.
//! Writing is careful: gloss replaces only the region it marked in a file it
//! wrote, keeps whatever the person added around it, and does not overwrite a
//! file it did not write unless told to.

mod arrange;
mod escape;
mod file_name;
mod json;
mod markdown;
mod note;
mod region;
mod select;
mod subject;
mod write;

use std::io;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

pub use escape::{block_quote, inline, vault_tag};
pub use file_name::{INDEX_FILE_STEM, file_names, file_stem, path_in};
pub use json::render_json;
pub use markdown::{IndexEntry, block_id, render_index, render_markdown};
pub use region::GLOSS_KEYS;
pub use select::{Selection, has_tag, select};
pub use subject::Subject;
pub use write::{WriteOutcome, write_export, write_json_export};

use crate::annotation::Highlight;
use crate::library::Article;
use crate::paths::DataPaths;
use crate::store::StoreError;
use crate::store::annotations::Annotations;
use crate::text::sanitize_line;

/// How the highlights of a Markdown export are grouped under headings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum GroupBy {
    /// Under the article's own section headings, in reading order.
    #[default]
    Section,
    /// Under each article's title only, in reading order.
    Article,
    /// Under each tag (a highlight appears under every tag it carries).
    Tag,
}

/// Choices that change what an export says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportOptions {
    pub group_by: GroupBy,
    /// When set, written into the front matter as `exported:`; without it
    /// the same highlights always give the same bytes.
    pub stamp: Option<Timestamp>,
}

/// One article and the highlights of it to export.
#[derive(Debug, Clone)]
pub struct ArticleHighlights<'a> {
    pub article: &'a Article,
    pub highlights: Vec<&'a Highlight>,
}

/// One exported document: what it is of, and the articles in it, in order.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub subject: Subject,
    pub parts: Vec<ArticleHighlights<'a>>,
}

impl<'a> Document<'a> {
    /// The document for one article's highlights.
    pub fn article(article: &'a Article, highlights: Vec<&'a Highlight>) -> Document<'a> {
        Document {
            subject: Subject::article(&article.meta.id),
            parts: vec![ArticleHighlights {
                article,
                highlights,
            }],
        }
    }

    /// The one article this document is about, if it is about one: it is
    /// then titled and described as that article.
    pub fn single(&self) -> Option<&ArticleHighlights<'a>> {
        match self.parts.as_slice() {
            [only] if self.subject.single_article().is_some() => Some(only),
            _ => None,
        }
    }

    /// The number of highlights in the document.
    pub fn highlight_count(&self) -> usize {
        self.parts.iter().map(|part| part.highlights.len()).sum()
    }
}

/// Why an export could not be written, naming the file and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "not writing {}: {reason}, so gloss did not write it; choose another file, or pass --force to replace it (the old version is kept as .bak)",
        shown(path)
    )]
    NotOurs { path: PathBuf, reason: String },

    #[error(
        "not writing {}: it holds gloss's markers, but its front matter has no gloss-export key, so it may be a note of yours that quotes them (or a tag, library or index export from a gloss before that key); choose another file, or pass --force to update gloss's region in it (the text around it is kept, and the file as it was is kept as .bak)",
        shown(path)
    )]
    Unmarked { path: PathBuf },

    #[error(
        "not writing {}: it holds the gloss export '{found}', not '{wanted}'; choose another file, or pass --force to replace that export (text outside its marked region is kept)",
        shown(path)
    )]
    OtherExport {
        path: PathBuf,
        found: String,
        wanted: String,
    },

    #[error(
        "{} is a folder; export into it as a folder, or give the name of a file",
        shown(path)
    )]
    IsFolder { path: PathBuf },

    #[error("cannot read {}: {source}; nothing was written", shown(path))]
    Read { path: PathBuf, source: io::Error },

    /// A device, pipe or socket given as the output, written to as a stream.
    #[error(
        "cannot write the export to {}: {}",
        shown(path),
        stream_problem(source)
    )]
    Stream { path: PathBuf, source: io::Error },

    #[error(transparent)]
    Write(#[from] StoreError),

    #[error(
        "cannot use '{name}' as a file name in {}: it would not be a plain file inside that folder",
        shown(dir)
    )]
    UnsafeName { dir: PathBuf, name: String },

    #[error("'{0}' has no highlights to export")]
    NothingToExport(String),

    #[error("cannot encode the JSON export: {0}")]
    Json(String),
}

/// A path as messages show it: one line, no control characters.
fn shown(path: &Path) -> String {
    crate::text::shown_path(path)
}

/// The folder exports go to when no other is given: `exports` in the data
/// folder, or the configuration's `export_dir`.
pub fn default_export_dir(paths: &DataPaths) -> PathBuf {
    paths.export_dir.clone()
}

/// The Markdown export of one article's highlights, as [`render_markdown`]
/// writes it.
pub fn render_article(
    article: &Article,
    highlights: &[&Highlight],
    options: &ExportOptions,
) -> String {
    render_markdown(&Document::article(article, highlights.to_vec()), options)
}

/// Exports the highlights of `article` to its own Markdown file in `dir`
/// (named from its id), replacing gloss's region in an earlier export and
/// keeping what the person added around it. Returns the file's path.
///
/// Refuses when the article has no highlights, and when the file exists but
/// was not written by gloss for this article.
pub fn export_article_to_dir(
    article: &Article,
    annotations: &Annotations,
    dir: &Path,
) -> Result<PathBuf, ExportError> {
    let highlights = annotations.for_article(&article.meta.id);
    if highlights.is_empty() {
        return Err(ExportError::NothingToExport(sanitize_line(
            &article.meta.title,
        )));
    }
    let content = render_article(article, &highlights, &ExportOptions::default());
    let path = path_in(dir, &format!("{}.md", file_stem(&article.meta.id)))?;
    write_export(&path, &content, false)?;
    Ok(path)
}

/// What went wrong writing to a device or pipe, in words: `/dev/full` says
/// "no space left on device" as the system puts it.
fn stream_problem(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::StorageFull => "no space left on the device".to_owned(),
        _ => err.to_string(),
    }
}
