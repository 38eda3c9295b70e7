//! Small hand-built articles for the subcommands' unit tests, so they do not
//! depend on the Markdown parser or on the bundled texts.

use crate::library::{Article, ArticleMeta, Block, BlockKind, Library, Origin, Section};

/// A block of the given kind; headings get their section number filled in by
/// [`article`].
pub fn heading(level: u8, text: &str) -> (BlockKind, &str) {
    (BlockKind::Heading { level, section: 0 }, text)
}

pub fn paragraph(text: &str) -> (BlockKind, &str) {
    (BlockKind::Paragraph, text)
}

/// An article with `id` and `title` whose body is `blocks`, in order.
pub fn article(id: &str, title: &str, blocks: &[(BlockKind, &str)]) -> Article {
    let mut built = Vec::new();
    let mut sections = Vec::new();
    let mut start = 0;
    let mut words = 0;
    for (index, &(kind, text)) in blocks.iter().enumerate() {
        let kind = match kind {
            BlockKind::Heading { level, .. } => {
                sections.push(Section {
                    title: text.to_string(),
                    level,
                    block: index,
                });
                BlockKind::Heading {
                    level,
                    section: sections.len() - 1,
                }
            }
            other => other,
        };
        words += text.split_whitespace().count();
        let one_sentence = 0..text.len();
        built.push(Block {
            kind,
            text: text.to_string(),
            sentences: vec![one_sentence],
            section: sections.len().checked_sub(1),
            start,
        });
        start += text.len() + 2;
    }
    Article {
        meta: ArticleMeta {
            id: id.to_string(),
            title: title.to_string(),
            ..ArticleMeta::default()
        },
        blocks: built,
        sections,
        origin: Origin::Bundled(format!("{id}.md")),
        word_count: words,
        text_len: start.saturating_sub(2),
        sentences_split: true,
        warnings: Vec::new(),
    }
}

/// Two articles: one with nested sections and every kind of block, one short.
pub fn library() -> Library {
    let mut diplomacy = article(
        "cultural-diplomacy",
        "How cultural diplomacy works",
        &[
            paragraph("Opening words."),
            heading(2, "Exchanges"),
            paragraph("Students travel."),
            heading(3, "Residencies"),
            (BlockKind::ListItem, "Artists stay a year."),
            (BlockKind::Code, "line one\nline two"),
            heading(2, "成果 and measures"),
            (BlockKind::Quote, "What gets measured gets done."),
        ],
    );
    diplomacy.meta.subtitle = Some("Long-term partnerships".into());
    diplomacy.meta.date = Some("August 12, 2025".into());
    diplomacy.meta.tags = vec!["culture".into(), "exchange".into()];
    diplomacy.meta.source = Some("https://example.org/diplomacy".into());
    let innovation = article(
        "innovation-diplomacy",
        "How missions foster innovation",
        &[paragraph("Embassies connect researchers.")],
    );
    Library {
        articles: vec![diplomacy, innovation],
        warnings: Vec::new(),
    }
}

/// A new highlight of the first occurrence of `quote` in article number
/// `article` of `library`, made at the epoch.
#[allow(clippy::unwrap_used)]
pub fn highlight_of(
    library: &Library,
    article: usize,
    quote: &str,
) -> crate::annotation::Highlight {
    let article = &library.articles[article];
    let plain = article.plain_text();
    let start = plain.find(quote).unwrap();
    crate::annotation::new_highlight(
        article,
        &plain,
        start..start + quote.len(),
        crate::annotation::Color::Blue,
        jiff::Timestamp::UNIX_EPOCH,
    )
}
