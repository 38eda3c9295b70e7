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
use crate::text::{sanitize_line, sentences};
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
    let meta = article_meta(split.front_matter, body_title, &origin);
    Ok(Article {
        meta,
        blocks: layout.blocks,
        sections: layout.sections,
        origin,
        word_count: layout.word_count,
        text_len: layout.text_len,
        sentences_split: detail == Detail::Full,
    })
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
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(source: &str) -> Article {
        parse_article(source, Origin::Bundled("sample-file.md".into())).unwrap()
    }

    fn parse_err(source: &str) -> ArticleError {
        parse_article(source, Origin::Bundled("sample-file.md".into())).unwrap_err()
    }

    fn texts(article: &Article) -> Vec<&str> {
        article.blocks.iter().map(|b| b.text.as_str()).collect()
    }

    /// Every block sits at its `start` in the plain text, sentences cover it,
    /// and sections point at their heading blocks.
    fn assert_consistent(article: &Article) {
        let plain = article.plain_text();
        assert_eq!(plain.len(), article.text_len);
        for block in &article.blocks {
            assert_eq!(
                &plain[block.start..block.start + block.text.len()],
                block.text
            );
            assert!(block.text.len() <= MAX_BLOCK_BYTES);
            assert!(!block.text.trim().is_empty());
            assert_eq!(block.sentences.first().map(|r| r.start), Some(0));
            assert_eq!(
                block.sentences.last().map(|r| r.end),
                Some(block.text.len())
            );
        }
        for (i, section) in article.sections.iter().enumerate() {
            let heading = &article.blocks[section.block];
            assert_eq!(
                heading.kind,
                BlockKind::Heading {
                    level: section.level,
                    section: i
                }
            );
            assert_eq!(heading.section, Some(i));
            assert_eq!(heading.text, section.title);
        }
    }

    const SAMPLE: &str = "---\ntitle: From front matter\ntags: [b, a, b]\n---\n\n# Body \
                          title\n\nIntro *text* here.\n\n## First\n\nOne.\n\n### Deeper\n\n> \
                          Quoted.\n\n## Second\n\n- item\n";

    #[test]
    fn sections_and_levels_follow_the_headings() {
        let article = parse(SAMPLE);
        assert_consistent(&article);
        let outline: Vec<_> = article
            .sections
            .iter()
            .map(|s| (s.title.as_str(), s.level, s.block))
            .collect();
        assert_eq!(
            outline,
            [("First", 2, 1), ("Deeper", 3, 3), ("Second", 2, 5)]
        );
        let sections: Vec<_> = article.blocks.iter().map(|b| b.section).collect();
        assert_eq!(
            sections,
            [None, Some(0), Some(0), Some(1), Some(1), Some(2), Some(2)]
        );
        assert_eq!(article.blocks[4].kind, BlockKind::Quote);
        assert_eq!(article.blocks[6].kind, BlockKind::ListItem);
        assert_eq!(article.passage_count(), 4);
    }

    #[test]
    fn the_first_level_one_heading_is_the_title_not_a_block() {
        let article = parse("Before.\n\n# The Title\n\nText.\n\n# Another top heading\n\nMore.\n");
        assert_eq!(article.meta.title, "The Title");
        assert_eq!(
            texts(&article),
            ["Before.", "Text.", "Another top heading", "More."]
        );
        assert_eq!(article.sections[0].level, 1);
    }

    #[test]
    fn front_matter_title_wins_over_the_body_title() {
        let article = parse(SAMPLE);
        assert_eq!(article.meta.title, "From front matter");
        assert!(!texts(&article).contains(&"Body title"));
        assert_eq!(article.meta.tags, ["b", "a"]);
    }

    #[test]
    fn without_a_title_the_file_name_is_used() {
        let article = parse("Just text.\n");
        assert_eq!(article.meta.title, "sample-file");
        assert_eq!(article.meta.id, "sample-file");
    }

    #[test]
    fn ids_are_slugs() {
        let article = parse("---\nid: \"My Article: Part 2!\"\n---\nText.\n");
        assert_eq!(article.meta.id, "my-article-part-2");
        let origin = Origin::File("/lib/Über Café (draft).md".into());
        let article = parse_article("Text.\n", origin).unwrap();
        assert_eq!(article.meta.id, "ber-caf-draft");
        assert_eq!(article.meta.title, "Über Café (draft)");
    }

    #[test]
    fn a_file_name_without_ascii_gets_a_stable_hashed_id() {
        let id = |name: &str| {
            parse_article("Text.\n", Origin::Bundled(name.into()))
                .unwrap()
                .meta
                .id
        };
        assert!(id("成果.md").starts_with("article-"));
        assert_eq!(id("成果.md"), id("成果.md"));
        assert_ne!(id("成果.md"), id("研究.md"));
    }

    #[test]
    fn metadata_is_single_line_and_trimmed() {
        let article = parse("---\nsubtitle: \"  two\\nlines  \"\ndate: ''\n---\nText.\n");
        assert_eq!(article.meta.subtitle.as_deref(), Some("two lines"));
        assert_eq!(article.meta.date, None);
    }

    #[test]
    fn cjk_text_and_word_counts() {
        let article = parse("# 标题\n\n研究的成果很好。\n\nThree English words.\n");
        assert_eq!(
            texts(&article),
            ["研究的成果很好。", "Three English words."]
        );
        assert!(article.word_count >= 4, "{}", article.word_count);
        assert_consistent(&article);
    }

    #[test]
    fn every_block_has_sentences() {
        let article = parse("## Heading. With a dot\n\nOne. Two? Three!\n");
        let whole_heading = 0..article.blocks[0].text.len();
        assert_eq!(article.blocks[0].sentences, [whole_heading]);
        assert!(!article.blocks[1].sentences.is_empty());
        assert_consistent(&article);
    }

    #[test]
    fn empty_and_title_only_files_are_refused() {
        assert_eq!(parse_err(""), ArticleError::Empty);
        assert_eq!(parse_err(" \n\t\r\n"), ArticleError::Empty);
        assert_eq!(parse_err("\u{feff}\n"), ArticleError::Empty);
        assert_eq!(parse_err("# Only a title\n"), ArticleError::NoText);
        assert_eq!(
            parse_err("---\ntitle: T\n---\n\n---\n"),
            ArticleError::NoText
        );
    }

    #[test]
    fn front_matter_errors_carry_the_line() {
        assert!(matches!(
            parse_err("---\ntitle: T\noops\n---\nText\n"),
            ArticleError::FrontMatter { line: 3, .. }
        ));
    }

    #[test]
    fn deep_nesting_is_refused_with_its_line() {
        let source = format!("---\nid: x\n---\nText.\n\n{}deep\n", ">".repeat(50_000));
        assert_eq!(parse_err(&source), ArticleError::TooDeep { line: 6 });
        let source = format!("{}deep\n", "- ".repeat(50_000));
        assert_eq!(parse_err(&source), ArticleError::TooDeep { line: 1 });
        let ok = format!("{}nested but fine\n", "> ".repeat(MAX_NESTING));
        assert_eq!(texts(&parse(&ok)), ["nested but fine"]);
    }

    #[test]
    fn bytes_are_checked_before_parsing() {
        let origin = || Origin::Bundled("x.md".into());
        assert_eq!(
            parse_bytes(b"text\0more", origin()).unwrap_err(),
            ArticleError::Binary
        );
        assert_eq!(
            parse_bytes(b"caf\xe9 au lait", origin()).unwrap_err(),
            ArticleError::NotUtf8 { valid_up_to: 3 }
        );
        assert_eq!(
            parse_bytes(b"\xff\xfeT\0e\0", origin()).unwrap_err(),
            ArticleError::NotUtf8 { valid_up_to: 0 }
        );
        let article =
            parse_bytes(b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\nText\r\n", origin()).unwrap();
        assert_eq!(article.meta.title, "T");
        assert_eq!(texts(&article), ["Text"]);
    }

    #[test]
    fn error_messages_say_what_to_do() {
        let message = ArticleError::NotUtf8 { valid_up_to: 12 }.to_string();
        assert!(
            message.contains("offset 12") && message.contains("convert"),
            "{message}"
        );
        let message = ArticleError::TooLarge { bytes: 70_000_000 }.to_string();
        assert!(
            message.contains("70000000") && message.contains("64 MiB"),
            "{message}"
        );
    }

    #[test]
    fn a_huge_paragraph_becomes_many_bounded_blocks_of_its_kind() {
        let line = "A sentence of some length goes here. ".repeat(20_000);
        let article = parse(&format!("> {line}\n"));
        assert!(article.blocks.len() > 40, "{}", article.blocks.len());
        assert!(article.blocks.iter().all(|b| b.kind == BlockKind::Quote));
        assert_consistent(&article);
    }

    #[test]
    fn a_huge_heading_keeps_one_section_and_all_its_text() {
        let heading = "word ".repeat(10_000);
        let article = parse(&format!("## {heading}\n\nText.\n"));
        assert_eq!(article.sections.len(), 1);
        assert_eq!(article.blocks[1].kind, BlockKind::Paragraph);
        assert_eq!(article.blocks[1].section, Some(0));
        assert_eq!(article.word_count, 10_001);
        assert_consistent(&article);
    }

    proptest! {
        #[test]
        fn any_markdown_parses_consistently(source in "[#>*_`\\-\\[\\]()<>!|~ a-z0-9.?\n\r\t\u{1b}成é\u{301}]{0,400}") {
            if let Ok(article) = parse_article(&source, Origin::Bundled("p.md".into())) {
                assert_consistent(&article);
                assert!(!article.meta.title.contains(['\u{1b}', '\r', '\n']));
                assert!(article.blocks.iter().all(|b| !b.text.contains(['\u{1b}', '\r'])));
            }
        }

        /// Parsing without sentences and splitting later (the reader's first
        /// frame, then opening the article) gives the article a full parse gives.
        #[test]
        fn split_later_is_the_same_as_parsed_whole(source in "[#>*_`\\-\\[\\]()<>!|~ a-zA-Z0-9.?\n\t成。é\u{301}]{0,400}") {
            let origin = Origin::Bundled("p.md".into());
            let whole = parse_source(&source, origin.clone(), Detail::Full);
            let unsplit = parse_source(&source, origin, Detail::Unsplit);
            match (whole, unsplit) {
                (Ok(whole), Ok(mut unsplit)) => {
                    prop_assert!(whole.sentences_split);
                    prop_assert!(!unsplit.sentences_split);
                    prop_assert_eq!(unsplit.word_count, whole.word_count);
                    unsplit.split_sentences();
                    prop_assert_eq!(unsplit, whole);
                }
                (whole, unsplit) => prop_assert_eq!(whole.err(), unsplit.err()),
            }
        }
    }

    #[test]
    fn the_bundled_articles_split_later_as_parsed_whole() {
        for (name, bytes) in crate::library::bundled::files() {
            let source = as_source(bytes).unwrap();
            let origin = Origin::Bundled(name.to_string());
            let whole = parse_source(source, origin.clone(), Detail::Full).unwrap();
            let mut unsplit = parse_source(source, origin, Detail::Unsplit).unwrap();
            assert!(
                unsplit
                    .blocks
                    .iter()
                    .all(|block| block.sentences.len() == 1)
            );
            // The library screen's reading progress, before the article is opened.
            for (index, block) in whole.blocks.iter().enumerate() {
                for sentence in 0..block.sentences.len() {
                    assert_eq!(
                        unsplit.percent_at(index, sentence),
                        whole.percent_at(index, sentence),
                        "{name}: block {index}, sentence {sentence}"
                    );
                }
            }
            unsplit.split_sentences();
            assert_eq!(unsplit, whole, "{name}");
        }
    }
}
