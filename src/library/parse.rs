//! Turns the contents of one article file into an [`Article`]: checks that it is
//! text worth reading, reads the front matter, applies the title and id rules,
//! numbers the sections and lays the blocks out as one plain text.
//!
//! Everything that enters is sanitized here, and every input is bounded (file
//! size, nesting depth, block length), so a hostile file costs a warning, never
//! a panic or a hang.

mod bounds;
mod markdown;
mod verbatim;
mod words;

use super::front_matter::{self, FrontMatter, Split};
use super::{Article, ArticleMeta, Block, BlockKind, Origin, Section};
use crate::text::{has_unterminated_sequence, sanitize_line, sentences};
use bounds::{first_too_deep_line, split_long};
use markdown::{FlatKind, collapse_whitespace, flat_blocks};
pub(super) use verbatim::words_are_verbatim;
use words::word_count;

/// Larger files are refused before they are read.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Longer blocks are cut into several consecutive blocks of the same kind, so
/// wrapping one block for a frame stays cheap.
pub const MAX_BLOCK_BYTES: usize = 16 * 1024;
/// Deeper nesting of block quotes and lists is refused.
pub const MAX_NESTING: usize = 64;
/// A NUL byte this close to the start means the file is not text.
const BINARY_SNIFF_BYTES: usize = 8 * 1024;
/// Ids made from a file name are cut to this many bytes.
const MAX_ID_BYTES: usize = 80;

/// Why a file cannot be read as an article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    #[error("the file is empty; write the article in Markdown or remove the file")]
    Empty,
    #[error("the article has a title but no text; add paragraphs below the title")]
    NoText,
    #[error(
        "this is a binary file, not Markdown text (it contains a NUL byte); \
         keep only .md text files in the library folder"
    )]
    Binary,
    #[error(
        "the file is not UTF-8 text (first invalid byte at offset {valid_up_to}); \
         convert it to UTF-8, for example with `iconv -t UTF-8`"
    )]
    NotUtf8 { valid_up_to: usize },
    #[error(
        "the file is {bytes} bytes, more than gloss reads ({} MiB); split it into \
         several articles",
        MAX_FILE_BYTES / (1024 * 1024)
    )]
    TooLarge { bytes: u64 },
    #[error("broken front matter at line {line}: {message}")]
    FrontMatter { line: usize, message: String },
    #[error(
        "block quotes or lists are nested more than {MAX_NESTING} levels deep at line \
         {line}; reduce the nesting (gloss reads up to {MAX_NESTING} levels)"
    )]
    TooDeep { line: usize },
}

impl From<front_matter::FrontMatterError> for ArticleError {
    fn from(error: front_matter::FrontMatterError) -> Self {
        ArticleError::FrontMatter {
            line: error.line,
            message: error.message,
        }
    }
}

/// How much of an article to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Detail {
    /// Everything, sentences included ([`Library::open`](super::Library::open),
    /// a single file's [`parse_bytes`]).
    Full,
    /// Everything but the sentences (the library as the reader and the
    /// commands open it, and its cache): each passage is one sentence until
    /// [`Article::split_sentences`], which the reader calls when it opens
    /// the article. Splitting is a fifth of parsing.
    Unsplit,
    /// Only what a search reads: blocks, sections and metadata. Each block is
    /// one sentence and no words are counted, which halves the work.
    Text,
}

/// Reads an article from the raw bytes of a file: checks its size, that it is
/// text and UTF-8 (a leading BOM is fine), then parses it.
pub fn parse_bytes(bytes: &[u8], origin: Origin) -> Result<Article, ArticleError> {
    parse_source(as_source(bytes)?, origin, Detail::Full)
}

/// The text of a file's raw bytes, once its size, encoding and content are
/// checked to be worth parsing.
pub(super) fn as_source(bytes: &[u8]) -> Result<&str, ArticleError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ArticleError::TooLarge {
            bytes: bytes.len() as u64,
        });
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        // A UTF-16 byte order mark: the NUL bytes that follow are not binary data.
        return Err(ArticleError::NotUtf8 { valid_up_to: 0 });
    }
    if looks_binary(bytes) {
        return Err(ArticleError::Binary);
    }
    std::str::from_utf8(bytes).map_err(|error| ArticleError::NotUtf8 {
        valid_up_to: error.valid_up_to(),
    })
}

/// Parses an article written in Markdown with an optional front matter block.
pub fn parse_article(source: &str, origin: Origin) -> Result<Article, ArticleError> {
    parse_source(source, origin, Detail::Full)
}

/// Parses an article, building it in as much `detail` as the caller needs.
pub(super) fn parse_source(
    source: &str,
    origin: Origin,
    detail: Detail,
) -> Result<Article, ArticleError> {
    let split = checked_split(source)?;
    let mut layout = Layout {
        detail,
        ..Layout::default()
    };
    let mut body_title = None;
    for flat in flat_blocks(split.body) {
        let is_code = flat.kind == FlatKind::Code;
        let mut pieces = split_long(flat.text, is_code).into_iter();
        let Some(first) = pieces.next() else {
            continue;
        };
        // The first piece carries the block's role; the rest of an over-long
        // heading or title is kept as ordinary paragraphs.
        let rest_kind = match flat.kind {
            FlatKind::Heading(1) if body_title.is_none() => {
                body_title = Some(first);
                BlockKind::Paragraph
            }
            FlatKind::Heading(level) => {
                layout.push_heading(level, first);
                BlockKind::Paragraph
            }
            kind => {
                let kind = passage_kind(kind);
                layout.push(kind, first);
                kind
            }
        };
        for piece in pieces {
            layout.push(rest_kind, piece);
        }
    }
    if layout.blocks.is_empty() {
        return Err(ArticleError::NoText);
    }
    let warnings = warnings_about(source, &split);
    let meta = article_meta(split.front_matter, body_title, &origin);
    Ok(Article {
        meta,
        blocks: layout.blocks,
        sections: layout.sections,
        origin,
        word_count: layout.word_count,
        text_len: layout.text_len,
        sentences_split: detail == Detail::Full,
        warnings,
    })
}

/// What is odd about `source` though it parsed, in words for a warning.
fn warnings_about(source: &str, split: &Split<'_>) -> Vec<String> {
    let mut warnings: Vec<String> = split
        .repeated
        .iter()
        .map(|(line, key)| {
            format!("line {line}: `{key}` is given more than once in the front matter; the last one is used, remove the others")
        })
        .collect();
    if has_unterminated_sequence(source) {
        warnings.push(
            "holds an escape sequence that never ends (ESC ] or ESC P without its terminator); \
             it is left out and the text after it is shown"
                .to_string(),
        );
    }
    warnings
}

/// The front matter and body of `source`, after the checks that need no
/// Markdown parsing: size, binary content, emptiness, front matter, nesting.
fn checked_split(source: &str) -> Result<Split<'_>, ArticleError> {
    let split = front_matter_split(source)?;
    if let Some(index) = first_too_deep_line(split.body) {
        return Err(ArticleError::TooDeep {
            line: split.body_line + index,
        });
    }
    Ok(split)
}

/// [`checked_split`] without the look at the body's nesting.
fn front_matter_split(source: &str) -> Result<Split<'_>, ArticleError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    if source.len() > MAX_FILE_BYTES {
        return Err(ArticleError::TooLarge {
            bytes: source.len() as u64,
        });
    }
    if looks_binary(source.as_bytes()) {
        return Err(ArticleError::Binary);
    }
    if source.trim().is_empty() {
        return Err(ArticleError::Empty);
    }
    Ok(front_matter::split(source)?)
}

/// The id the article in `source` would get from [`parse_source`], reading
/// only its front matter; an error when the file would be refused before its
/// body is looked at (the body's own problems are not looked for).
pub(super) fn article_id(source: &str, origin: &Origin) -> Result<String, ArticleError> {
    let split = front_matter_split(source)?;
    Ok(id_from(split.front_matter.id, &file_stem(origin)))
}

fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(BINARY_SNIFF_BYTES)].contains(&0)
}

fn passage_kind(kind: FlatKind) -> BlockKind {
    match kind {
        FlatKind::Heading(_) | FlatKind::Paragraph => BlockKind::Paragraph,
        FlatKind::Quote => BlockKind::Quote,
        FlatKind::ListItem => BlockKind::ListItem,
        FlatKind::Code => BlockKind::Code,
    }
}

/// Blocks and sections as they are appended, with the running plain-text length.
struct Layout {
    detail: Detail,
    blocks: Vec<Block>,
    sections: Vec<Section>,
    text_len: usize,
    word_count: usize,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            detail: Detail::Full,
            blocks: Vec::new(),
            sections: Vec::new(),
            text_len: 0,
            word_count: 0,
        }
    }
}

impl Layout {
    fn push_heading(&mut self, level: u8, text: String) {
        let section = self.sections.len();
        self.sections.push(Section {
            title: text.clone(),
            level,
            block: self.blocks.len(),
        });
        self.push(BlockKind::Heading { level, section }, text);
    }

    fn push(&mut self, kind: BlockKind, text: String) {
        let start = if self.blocks.is_empty() {
            0
        } else {
            self.text_len + "\n\n".len()
        };
        let is_heading = matches!(kind, BlockKind::Heading { .. });
        let sentences = if is_heading || self.detail != Detail::Full {
            let whole = 0..text.len();
            vec![whole]
        } else {
            sentences(&text)
        };
        if self.detail != Detail::Text {
            self.word_count += word_count(&text);
        }
        self.text_len = start + text.len();
        self.blocks.push(Block {
            kind,
            text,
            sentences,
            section: self.sections.len().checked_sub(1),
            start,
        });
    }
}

/// Front matter first, then the body's `#` title, then the file name.
fn article_meta(fields: FrontMatter, body_title: Option<String>, origin: &Origin) -> ArticleMeta {
    let stem = file_stem(origin);
    let title = clean(fields.title)
        .or(body_title)
        .or_else(|| clean(Some(stem.clone())))
        .unwrap_or_else(|| "Untitled".to_string());
    let id = id_from(fields.id, &stem);
    let mut tags: Vec<String> = Vec::with_capacity(fields.tags.len());
    for tag in fields.tags.into_iter().filter_map(|t| clean(Some(t))) {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    ArticleMeta {
        id,
        title,
        subtitle: clean(fields.subtitle),
        date: clean(fields.date),
        source: clean(fields.source),
        tags,
    }
}

/// The front matter id as a slug, else the file name's, else a hash of it.
fn id_from(front_matter_id: Option<String>, stem: &str) -> String {
    front_matter_id
        .map(|id| slug(&id))
        .filter(|id| !id.is_empty())
        .or_else(|| Some(slug(stem)).filter(|id| !id.is_empty()))
        .unwrap_or_else(|| format!("article-{:016x}", fnv1a(stem.as_bytes())))
}

/// A sanitized single-line value, or `None` when nothing is left.
fn clean(value: Option<String>) -> Option<String> {
    value
        .map(|v| collapse_whitespace(&sanitize_line(&v)))
        .filter(|v| !v.is_empty())
}

fn file_stem(origin: &Origin) -> String {
    let path = match origin {
        Origin::Bundled(name) => std::path::Path::new(name),
        Origin::File(path) => path.as_path(),
    };
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Lowercase ASCII letters and digits, other runs of characters become one `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if out.len() >= MAX_ID_BYTES {
                break;
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A stable hash for ids of files whose names have no ASCII letters or digits.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests;
