//! The library: every article gloss can show, bundled in the binary or read from
//! library folders, plus the warnings about files that could not be used.
//! Opening a library never fails as a whole: a bad file becomes a warning.

mod article;
mod article_cache;
mod bundled;
mod files;
mod front_matter;
mod load;
mod parse;
mod search_scan;
mod search_view;

use std::path::PathBuf;

pub use article::{Article, ArticleMeta, Block, BlockKind, Origin, Section};
pub use article_cache::ArticleCache;
pub use front_matter::split as read_front_matter;
pub use load::CacheUse;
pub use parse::{ArticleError, MAX_BLOCK_BYTES, parse_article, parse_bytes};
pub use search_scan::Found;
pub use search_view::{PassageView, SearchView};

/// What a search tells the loader about what it looks for, so that text
/// which cannot match is neither parsed nor copied. Any `Fn(&str) -> bool`
/// is one, answering [`SearchFilter::may_contain`].
pub trait SearchFilter: Sync {
    /// Whether a file with this raw text, or an article with this plain text,
    /// may hold a matching passage. It must answer `true` whenever a passage
    /// could match (see [`Library::open_for_search`] for what it may rely on).
    fn may_contain(&self, text: &str) -> bool;

    /// For an article whose plain text is `text`, with its blocks at the byte
    /// ranges `blocks`: whether each block may match (`true` whenever it could).
    fn blocks_that_may_match(&self, text: &str, blocks: &[std::ops::Range<usize>]) -> Vec<bool> {
        let _ = text;
        vec![true; blocks.len()]
    }
}

impl<F: Fn(&str) -> bool + Sync> SearchFilter for F {
    fn may_contain(&self, text: &str) -> bool {
        self(text)
    }
}

/// Where to look for articles.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Include the articles embedded in the binary.
    pub bundled: bool,
    /// Folders to read `*.md` files from, in order. Missing folders are ignored
    /// silently only when `optional` says so (the default user folder).
    pub folders: Vec<Folder>,
}

/// One library folder.
#[derive(Debug, Clone)]
pub struct Folder {
    pub path: PathBuf,
    /// A missing optional folder is not worth a warning (the user library folder
    /// before anything was imported); a missing `--library DIR` is.
    pub optional: bool,
}

/// A file that was skipped or loaded with a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadWarning {
    /// The file (or folder) concerned, sanitized for display.
    pub origin: String,
    /// What is wrong, and what to do, in a sentence.
    pub reason: String,
}

impl LoadWarning {
    /// A warning about `origin`, both parts made safe to print (the origin,
    /// a file name, with controls escaped so that it can be typed back).
    fn new(origin: &str, reason: &str) -> LoadWarning {
        LoadWarning {
            origin: crate::text::shown_name(origin),
            reason: crate::text::sanitize_line(reason),
        }
    }
}

impl std::fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.origin, self.reason)
    }
}

/// All loaded articles, in a stable order (bundled first, then folders in order,
/// files by name), with the warnings collected while loading.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub articles: Vec<Article>,
    pub warnings: Vec<LoadWarning>,
}

/// Why an article reference given on the command line does not name one article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FindError {
    #[error("no article matches '{0}'; `gloss list` shows the ids")]
    NotFound(String),
    #[error("'{query}' matches several articles; use one of these ids: {}", candidates.join(", "))]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },
}

impl Library {
    /// Loads every article from `sources`. Never fails: problems become warnings.
    pub fn open(sources: &Sources) -> Library {
        load::open(sources)
    }

    /// Finds an article by exact id, then by unambiguous case-insensitive title
    /// (or id) prefix. Returns its index in [`Library::articles`].
    pub fn find(&self, query: &str) -> Result<usize, FindError> {
        if let Some(i) = self.articles.iter().position(|a| a.meta.id == query) {
            return Ok(i);
        }
        let needle = query.to_lowercase();
        let hits: Vec<usize> = self
            .articles
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                a.meta.title.to_lowercase().starts_with(&needle)
                    || a.meta.id.to_lowercase().starts_with(&needle)
            })
            .map(|(i, _)| i)
            .collect();
        match hits.as_slice() {
            [] => Err(FindError::NotFound(query.to_string())),
            [one] => Ok(*one),
            many => Err(FindError::Ambiguous {
                query: query.to_string(),
                candidates: many
                    .iter()
                    .map(|&i| self.articles[i].meta.id.clone())
                    .collect(),
            }),
        }
    }

    /// The article with this exact id.
    pub fn by_id(&self, id: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.meta.id == id)
    }
}
