//! The JSON export: the same highlights as the Markdown export, with where
//! each one is in its article now, as one document a script can read. The
//! field order is part of the format.

use jiff::Timestamp;
use serde::Serialize;

use super::arrange::{Placed, arrange, section_path};
use super::escape::vault_tag;
use super::markdown::block_id;
use super::{Document, ExportError, ExportOptions};
use crate::annotation::Highlight;
use crate::library::Article;
use crate::text::{sanitize_line, sanitize_text};

/// What the `format` field says, so a JSON export is recognised as one.
pub const JSON_FORMAT: &str = "gloss-export";
/// The version of the JSON export's shape.
pub const JSON_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
struct ExportJson {
    format: &'static str,
    version: u32,
    /// The export's subject, as in the Markdown region marker.
    subject: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    exported: Option<Timestamp>,
    articles: Vec<ArticleJson>,
}

#[derive(Debug, Serialize)]
struct ArticleJson {
    id: String,
    title: String,
    subtitle: Option<String>,
    date: Option<String>,
    source: Option<String>,
    tags: Vec<String>,
    /// Found highlights in reading order, then orphaned ones.
    highlights: Vec<HighlightJson>,
}

#[derive(Debug, Serialize)]
struct HighlightJson {
    id: String,
    /// The Markdown export's block id (without `^`).
    block_id: String,
    quote: String,
    /// `exact`, `moved`, `fuzzy`, `accepted` or `orphaned`.
    state: &'static str,
    /// Placed by similarity after the article changed: needs review.
    review: bool,
    /// What the article reads at `start..end` while the place needs review.
    now: Option<String>,
    /// Byte offsets in the article's plain text now; `null` when orphaned.
    start: Option<usize>,
    end: Option<usize>,
    /// Titles of the enclosing sections, outermost first.
    sections: Vec<String>,
    color: &'static str,
    tags: Vec<String>,
    /// The tags as the Markdown export writes them.
    vault_tags: Vec<String>,
    note: String,
    created: Timestamp,
    updated: Timestamp,
}

/// The JSON export of `doc`, pretty-printed, ending with a line break.
pub fn render_json(doc: &Document, options: &ExportOptions) -> Result<String, ExportError> {
    let export = ExportJson {
        format: JSON_FORMAT,
        version: JSON_VERSION,
        subject: doc.subject.token(),
        exported: options.stamp,
        articles: doc
            .parts
            .iter()
            .map(|part| article_json(part.article, &part.highlights))
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&export).map_err(|err| ExportError::Json(err.to_string()))?;
    text.push('\n');
    Ok(text)
}

fn article_json(article: &Article, highlights: &[&Highlight]) -> ArticleJson {
    let meta = &article.meta;
    let arranged = arrange(article, highlights);
    let placed = arranged
        .placed
        .iter()
        .map(|placed| highlight_json(article, placed.highlight, Some(placed)));
    let orphans = arranged
        .orphans
        .iter()
        .map(|&orphan| highlight_json(article, orphan, None));
    ArticleJson {
        id: sanitize_line(&meta.id),
        title: sanitize_line(&meta.title),
        subtitle: meta.subtitle.as_deref().map(sanitize_line),
        date: meta.date.as_deref().map(sanitize_line),
        source: meta.source.as_deref().map(sanitize_line),
        tags: meta.tags.iter().map(|t| sanitize_line(t)).collect(),
        highlights: placed.chain(orphans).collect(),
    }
}

/// One highlight; `placed` is where it was found, `None` for an orphan.
fn highlight_json(
    article: &Article,
    highlight: &Highlight,
    placed: Option<&Placed>,
) -> HighlightJson {
    let sections = placed
        .and_then(|p| p.section)
        .map(|s| section_path(article, s))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| article.sections.get(s))
        .map(|s| sanitize_line(&s.title))
        .collect();
    HighlightJson {
        id: sanitize_line(&highlight.id),
        block_id: block_id(&highlight.id),
        quote: sanitize_text(&highlight.anchor.quote.exact),
        state: placed.map_or("orphaned", |p| p.state),
        review: placed.is_some_and(|p| p.review.is_some()),
        now: placed.and_then(|p| p.review.as_deref()).map(sanitize_text),
        start: placed.map(|p| p.range.start),
        end: placed.map(|p| p.range.end),
        sections,
        color: highlight.color.name(),
        tags: highlight.tags.iter().map(|t| sanitize_line(t)).collect(),
        vault_tags: highlight.tags.iter().filter_map(|t| vault_tag(t)).collect(),
        note: sanitize_text(&highlight.note),
        created: highlight.created,
        updated: highlight.updated,
    }
}
