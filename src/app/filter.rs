//! The reader's keyword filter: what the person typed, the compiled query, and
//! what it leaves on screen (every heading, the matching passages, the lit
//! ranges), plus where the reader was before, to return there on `Esc`.

use super::flow::Viewport;
use super::marks::ArticleMarks;
use super::reader::Cursor;
use crate::library::Article;
use crate::search::{ArticleMatches, Query, QueryOptions, filter_article_with};

/// An active keyword filter in the reader.
#[derive(Debug, Clone, Default)]
pub struct ReaderFilter {
    /// The query as typed after `/`.
    pub input: String,
    pub options: QueryOptions,
    /// Still typing the query (keys go to the input line).
    pub typing: bool,
    /// Why the input does not compile (a bad regex), shown in the status line.
    pub error: Option<String>,
    /// The last query that compiled, and what it matched.
    pub query: Query,
    pub matches: ArticleMatches,
    /// The blocks on screen: every heading and the matching passages.
    pub shown: Vec<usize>,
    /// Index into `matches.hits` of the match the cursor was last moved to.
    pub current: Option<usize>,
    /// Where the reader was when the filter started.
    pub return_to: (Cursor, Viewport),
}

impl ReaderFilter {
    pub fn start(return_to: (Cursor, Viewport), options: QueryOptions) -> ReaderFilter {
        ReaderFilter {
            typing: true,
            options,
            return_to,
            ..ReaderFilter::default()
        }
    }

    /// A filter already applied, as when the library search opens an article.
    pub fn applied(
        input: &str,
        options: QueryOptions,
        article: &Article,
        marks: &ArticleMarks,
        return_to: (Cursor, Viewport),
    ) -> ReaderFilter {
        let mut filter = ReaderFilter {
            input: input.to_string(),
            options,
            return_to,
            ..ReaderFilter::default()
        };
        filter.recompute_with(article, marks);
        filter
    }

    /// Whether the filter hides anything (an empty query shows the whole article).
    pub fn is_active(&self) -> bool {
        !self.query.is_empty()
    }

    /// Compiles the input again and recomputes what shows. A query that does not
    /// compile keeps the previous result and sets `error`.
    pub fn recompute_with(&mut self, article: &Article, marks: &ArticleMarks) {
        match Query::parse(&self.input, self.options) {
            Ok(query) => {
                self.error = None;
                self.matches = if query.is_empty() {
                    ArticleMatches::default()
                } else {
                    filter_article_with(&query, article, |block| marks.block_facts(article, block))
                };
                self.query = query;
                self.shown = if self.is_active() {
                    self.matches.visible_blocks(article).collect()
                } else {
                    Vec::new()
                };
                self.current = None;
            }
            Err(err) => self.error = Some(err.to_string()),
        }
    }

    /// The blocks to show, or `None` when the whole article shows.
    pub fn shown(&self) -> Option<&[usize]> {
        self.is_active().then_some(self.shown.as_slice())
    }

    /// "match 3 of 17 · 14 passages hidden", or what is wrong.
    pub fn summary(&self) -> String {
        if let Some(error) = &self.error {
            return error.clone();
        }
        if !self.is_active() {
            return "type to filter".to_string();
        }
        let hits = self.matches.hits.len();
        let hidden = match self.matches.hidden {
            1 => "1 passage hidden".to_string(),
            n => format!("{n} passages hidden"),
        };
        if self.matches.passages.is_empty() {
            return format!("no match · {hidden}");
        }
        match self.current {
            Some(i) => format!("match {} of {hits} · {hidden}", i + 1),
            None if hits == 1 => format!("1 match · {hidden}"),
            None => format!("{hits} matches · {hidden}"),
        }
    }
}
