//! The in-memory shape of one article: its metadata, its blocks of text and its
//! outline. Everything else in gloss (reader, search, annotations, export) reads
//! articles through these types, so they stay plain data with no terminal in sight.

use std::ops::Range;
use std::path::PathBuf;

use crate::text::sentences;

/// Where an article came from, for messages and for `gloss list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary at compile time; the name is the file name in `articles/`.
    Bundled(String),
    /// Read from a library folder at start-up.
    File(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Bundled(name) => write!(f, "bundled:{name}"),
            Origin::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// The front-matter fields of an article, already sanitized.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleMeta {
    /// Stable identifier: used in the command line, the positions file and annotations.
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// As written in the front matter (`2025-08-12` or `August 12, 2025`).
    pub date: Option<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
}

/// What a block is, which decides how the reader draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A `##`/`###`… heading; `section` indexes [`Article::sections`].
    Heading { level: u8, section: usize },
    /// An ordinary paragraph of prose.
    Paragraph,
    /// A paragraph inside a block quote.
    Quote,
    /// One item of a list (the marker is not part of the text).
    ListItem,
    /// A line-preserving code block (tabs already expanded).
    Code,
}

/// One block of the article body: a heading or a passage of text.
///
/// `text` is sanitized, single-spaced plain text (code keeps its line breaks).
/// `sentences` cover `text` completely, in order, without overlap; they are the
/// units the reading cursor moves over. A heading is one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    pub sentences: Vec<Range<usize>>,
    /// The section this block belongs to (`None` before the first heading).
    pub section: Option<usize>,
    /// Byte offset of `text` in the article's plain text ([`Article::plain_text`]):
    /// the blocks' texts joined by a blank line (`"\n\n"`).
    pub start: usize,
}

impl Block {
    /// A passage is any block the cursor can rest on: everything but headings.
    pub fn is_passage(&self) -> bool {
        !matches!(self.kind, BlockKind::Heading { .. })
    }
}

/// One entry of the outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    /// 2 for `##`, 3 for `###`, and so on.
    pub level: u8,
    /// Index of the heading block in [`Article::blocks`].
    pub block: usize,
}

/// A whole article, ready to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub meta: ArticleMeta,
    pub blocks: Vec<Block>,
    pub sections: Vec<Section>,
    pub origin: Origin,
    /// Words in the body, for the reading-time estimate.
    pub word_count: usize,
    /// Length in bytes of [`Article::plain_text`], for position percentages.
    pub text_len: usize,
    /// Whether each passage's `sentences` are split. An article of a library
    /// opened for the reader or the commands is not (each passage is one
    /// sentence until [`Article::split_sentences`], called when the reader
    /// opens it), nor is one opened for a search.
    pub sentences_split: bool,
    /// What is odd about the file though it loaded (a front-matter key
    /// given twice, an escape sequence that never ends), for a warning that
    /// names the file.
    pub warnings: Vec<String>,
}

/// Words per minute used for the reading-time estimate.
const READING_SPEED_WPM: usize = 230;

impl Article {
    /// Splits every passage into sentences, unless that was done.
    pub fn split_sentences(&mut self) {
        if self.sentences_split {
            return;
        }
        for block in self.blocks.iter_mut().filter(|block| block.is_passage()) {
            block.sentences = sentences(&block.text);
        }
        self.sentences_split = true;
    }

    /// Estimated minutes to read the whole article, at least one.
    pub fn reading_minutes(&self) -> usize {
        self.word_count.div_ceil(READING_SPEED_WPM).max(1)
    }

    /// Index of the section that contains `block`, if any.
    pub fn section_of(&self, block: usize) -> Option<usize> {
        self.blocks.get(block).and_then(|b| b.section)
    }

    /// The article body as one string: block texts joined by `"\n\n"`.
    /// Block `i` starts at `blocks[i].start`.
    pub fn plain_text(&self) -> String {
        let mut out = String::with_capacity(self.text_len);
        for (i, block) in self.blocks.iter().enumerate() {
            if i > 0 {
                out.push_str("\n\n");
            }
            out.push_str(&block.text);
        }
        out
    }

    /// How far through the article a reader at `block`/`sentence` is, in percent:
    /// the end of that sentence over the whole text, so the last sentence is 100.
    pub fn percent_at(&self, block: usize, sentence: usize) -> u8 {
        let Some(b) = self.blocks.get(block) else {
            return 100;
        };
        let end = if self.sentences_split || !b.is_passage() {
            b.sentences.get(sentence).map(|s| s.end)
        } else {
            // Not split yet (the library screen, before the article is
            // opened): this one passage is, so the percentage is the same.
            sentences(&b.text).get(sentence).map(|s| s.end)
        };
        let end = end.unwrap_or(b.text.len());
        if self.text_len == 0 {
            return 100;
        }
        ((b.start + end) * 100 / self.text_len).min(100) as u8
    }

    /// Number of passages (non-heading blocks).
    pub fn passage_count(&self) -> usize {
        self.blocks.iter().filter(|b| b.is_passage()).count()
    }
}
