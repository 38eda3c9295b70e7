//! One cache entry: what it keeps of a library file (the article's metadata,
//! sections, blocks and joined plain text, with the word count unless a
//! search parsed it, or why the file failed) and how that turns back into
//! what a search reads, a borrowed [`SearchView`], or an owned [`Article`].
//!
//! Sentences are not kept: only the reader needs them, and it splits the one
//! article it opens ([`Article::split_sentences`]).

use std::borrow::Cow;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::Stamp;
use crate::library::parse::Detail;
use crate::library::{
    Article, ArticleMeta, Block, BlockKind, Origin, PassageView, SearchView, Section,
};

/// One cached file, as written.
#[derive(Serialize, Deserialize)]
pub(super) struct Entry<'a> {
    #[serde(borrow)]
    pub(super) format: Cow<'a, str>,
    pub(super) stamp: Stamp,
    /// A hash of the file's bytes when the stamp alone could not vouch for
    /// them (see `Stamp::needs_confirming`): the entry is used only while
    /// the file still hashes to it.
    pub(super) confirm: Option<u64>,
    #[serde(borrow)]
    pub(super) content: Content<'a>,
}

#[derive(Serialize, Deserialize)]
pub(super) enum Content<'a> {
    /// The article, as a search reads it.
    Article(#[serde(borrow)] Box<CachedArticle<'a>>),
    /// Why the file could not be used, as the load warning says it.
    Failed(#[serde(borrow)] Cow<'a, str>),
}

/// An article's searchable parts, its block texts joined by blank lines in
/// `text` as [`Article::plain_text`] joins them.
#[derive(Serialize, Deserialize)]
pub(super) struct CachedArticle<'a> {
    #[serde(borrow)]
    pub(super) id: Cow<'a, str>,
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow)]
    subtitle: Option<Cow<'a, str>>,
    #[serde(borrow)]
    date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    source: Option<Cow<'a, str>>,
    #[serde(borrow)]
    tags: Vec<Cow<'a, str>>,
    /// Section level and first block; the title is its heading block's text.
    sections: Vec<(u8, u32)>,
    blocks: Vec<CachedBlock>,
    /// UTF-8, checked when read (faster than the format's own check).
    #[serde(borrow)]
    pub(super) text: Cow<'a, [u8]>,
    /// The words of the body, for the library's reading times; `None` when a
    /// search parsed the file (it counts no words).
    word_count: Option<u64>,
    #[serde(borrow)]
    warnings: Vec<Cow<'a, str>>,
}

#[derive(Serialize, Deserialize)]
struct CachedBlock {
    /// 0 paragraph, 1 quote, 2 list item, 3 code, 4 + level heading.
    kind: u8,
    section: Option<u32>,
    start: u32,
    len: u32,
}

impl<'a> CachedArticle<'a> {
    /// What to keep of `article`, parsed with `detail`.
    pub(super) fn of(article: &'a Article, detail: Detail) -> Self {
        let meta = &article.meta;
        let text_of = |value: &'a Option<String>| value.as_deref().map(Cow::Borrowed);
        CachedArticle {
            id: Cow::Borrowed(&meta.id),
            title: Cow::Borrowed(&meta.title),
            subtitle: text_of(&meta.subtitle),
            date: text_of(&meta.date),
            source: text_of(&meta.source),
            tags: meta
                .tags
                .iter()
                .map(|tag| Cow::Borrowed(tag.as_str()))
                .collect(),
            sections: article
                .sections
                .iter()
                .map(|section| (section.level, section.block as u32))
                .collect(),
            blocks: article
                .blocks
                .iter()
                .map(|block| CachedBlock {
                    kind: kind_code(block.kind),
                    section: block.section.map(|section| section as u32),
                    start: block.start as u32,
                    len: block.text.len() as u32,
                })
                .collect(),
            text: Cow::Owned(article.plain_text().into_bytes()),
            word_count: (detail != Detail::Text).then_some(article.word_count as u64),
            warnings: article
                .warnings
                .iter()
                .map(|w| Cow::Borrowed(w.as_str()))
                .collect(),
        }
    }
}

impl CachedArticle<'_> {
    /// Where each block's text lies in `text` (the entry's text, checked);
    /// `None` if one lies outside it.
    pub(super) fn block_ranges(&self, text: &str) -> Option<Vec<Range<usize>>> {
        self.blocks
            .iter()
            .map(|block| {
                let start = block.start as usize;
                let range = start..start.checked_add(block.len as usize)?;
                text.get(range.clone()).map(|_| range)
            })
            .collect()
    }

    /// The article's id, title, section titles and the passages `wanted`,
    /// borrowed from the entry; `None` if a block or section is garbled.
    pub(super) fn to_view<'v>(
        &'v self,
        text: &'v str,
        ranges: &[Range<usize>],
        wanted: &[bool],
    ) -> Option<SearchView<'v>> {
        let mut passages = Vec::new();
        let mut number = 0;
        for (index, (block, range)) in self.blocks.iter().zip(ranges).enumerate() {
            let section = block.section.map(|section| section as usize);
            if let BlockKind::Heading { .. } = kind_of(block.kind, section)? {
                continue;
            }
            number += 1;
            if wanted.get(index) == Some(&false) {
                continue;
            }
            passages.push(PassageView {
                block: index,
                number,
                section,
                text: &text[range.clone()],
            });
        }
        let section_titles = self
            .sections
            .iter()
            .map(|&(_, block)| Some(&text[ranges.get(block as usize)?.clone()]))
            .collect::<Option<_>>()?;
        Some(SearchView {
            id: &self.id,
            title: &self.title,
            section_titles,
            passages,
        })
    }

    /// The article again, exactly as parsing it with `detail` made it (which
    /// needs the word count unless `detail` is a search's; a full article's
    /// sentences are split again, since none are kept), except
    /// that a passage not `wanted` is hollow: its text and sentences are empty
    /// (it cannot match, and copying it would cost more than the search).
    pub(super) fn to_article(
        &self,
        text: &str,
        ranges: &[Range<usize>],
        origin: Origin,
        wanted: Option<&[bool]>,
        detail: Detail,
    ) -> Option<Article> {
        let word_count = match (detail, self.word_count) {
            (Detail::Text, _) => 0,
            (Detail::Full | Detail::Unsplit, None) => return None,
            (Detail::Full | Detail::Unsplit, Some(count)) => usize::try_from(count).ok()?,
        };
        let mut blocks = Vec::with_capacity(self.blocks.len());
        for (index, (block, range)) in self.blocks.iter().zip(ranges).enumerate() {
            let range = range.clone();
            let section = block.section.map(|section| section as usize);
            let kind = kind_of(block.kind, section)?;
            let is_heading = matches!(kind, BlockKind::Heading { .. });
            let wanted = wanted.is_none_or(|wanted| wanted.get(index) != Some(&false));
            let start = range.start;
            let (text, sentences) = if wanted || is_heading {
                let piece = &text[range];
                let whole = 0..piece.len();
                (piece.to_owned(), vec![whole])
            } else {
                (String::new(), Vec::new())
            };
            blocks.push(Block {
                kind,
                text,
                sentences,
                section,
                start,
            });
        }
        let mut sections = Vec::with_capacity(self.sections.len());
        for &(level, block) in &self.sections {
            let block = block as usize;
            sections.push(Section {
                title: blocks.get(block)?.text.clone(),
                level,
                block,
            });
        }
        let owned = |value: &Option<Cow<str>>| value.as_deref().map(str::to_owned);
        let mut article = Article {
            meta: ArticleMeta {
                id: self.id.to_string(),
                title: self.title.to_string(),
                subtitle: owned(&self.subtitle),
                date: owned(&self.date),
                source: owned(&self.source),
                tags: self.tags.iter().map(ToString::to_string).collect(),
            },
            blocks,
            sections,
            origin,
            word_count,
            text_len: text.len(),
            sentences_split: false,
            warnings: self.warnings.iter().map(ToString::to_string).collect(),
        };
        if detail == Detail::Full {
            article.split_sentences();
        }
        Some(article)
    }
}

fn kind_code(kind: BlockKind) -> u8 {
    match kind {
        BlockKind::Paragraph => 0,
        BlockKind::Quote => 1,
        BlockKind::ListItem => 2,
        BlockKind::Code => 3,
        BlockKind::Heading { level, .. } => 4 + level,
    }
}

/// The kind with code `code`; a heading is the heading of its own section.
fn kind_of(code: u8, section: Option<usize>) -> Option<BlockKind> {
    Some(match code {
        0 => BlockKind::Paragraph,
        1 => BlockKind::Quote,
        2 => BlockKind::ListItem,
        3 => BlockKind::Code,
        level @ 5..=10 => BlockKind::Heading {
            level: level - 4,
            section: section?,
        },
        _ => return None,
    })
}
