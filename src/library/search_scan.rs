//! Searching a library without building it. `gloss search` looks at each
//! article once and keeps only what it prints, so instead of a [`Library`] of
//! owned articles it hands a borrowed [`SearchView`] of each article to the
//! search: read in place from the search cache when the file is unchanged,
//! otherwise from the article just parsed. Files whose text cannot match are
//! not parsed, and passages that cannot match are not looked at.

use rayon::prelude::*;

use super::load::{Job, Outcome, Plan, jobs, parse_and_keep, repeats_one, run};
use super::parse::Detail;
use super::search_cache::{SearchCache, Stamp};
use super::{Library, LoadWarning, Origin, SearchFilter, SearchView, Sources};

/// What searching each article gave, and the warnings about files that could
/// not be used.
#[derive(Debug)]
pub struct Searched<R> {
    /// One result per article searched, in library order.
    pub found: Vec<R>,
    /// As [`Library::open_for_search`] would give them.
    pub warnings: Vec<LoadWarning>,
}

/// What searching one library file gave.
pub(super) enum Scanned<R> {
    Article {
        id: String,
        found: R,
    },
    /// Its text cannot match; the id is kept to check that leaving it out
    /// cannot change the ids of other articles.
    Skipped {
        id: String,
    },
    Failed {
        origin: String,
        reason: String,
    },
}

impl Library {
    /// Calls `search` on a view of every article in `sources` that `filter`
    /// does not rule out, on every core, and returns the results in library
    /// order. The articles, warnings and passages searched are those of
    /// [`Library::open_for_search`] with the same filter and cache (the
    /// views hold only the passages that may match), but no library is built:
    /// with a `cache`, an unchanged file is searched in the cache's copy of
    /// its text.
    ///
    /// `search` may run on any thread, several at once.
    pub fn search<R: Send>(
        sources: &Sources,
        filter: &dyn SearchFilter,
        cache: Option<&SearchCache>,
        search: &(dyn Fn(&SearchView) -> R + Sync),
    ) -> Searched<R> {
        let plan = Plan {
            detail: Detail::Text,
            may_contain: Some(filter),
            cache,
        };
        let scanned: Vec<Scanned<R>> = jobs(sources, cache)
            .par_iter()
            .map(|job| scan(job, filter, plan, search))
            .collect();
        let ids = scanned.iter().filter_map(|scanned| match scanned {
            Scanned::Article { id, .. } | Scanned::Skipped { id } => Some(id.as_str()),
            Scanned::Failed { .. } => None,
        });
        if repeats_one(ids) {
            // A duplicated id gives later articles suffixed ids, which depend
            // on every article before them: the library decides them.
            let library = Library::open_for_search(sources, filter, cache);
            return Searched {
                found: library
                    .articles
                    .par_iter()
                    .map(|article| search(&SearchView::of(article)))
                    .collect(),
                warnings: library.warnings,
            };
        }
        let mut searched = Searched {
            found: Vec::with_capacity(scanned.len()),
            warnings: Vec::new(),
        };
        for scanned in scanned {
            match scanned {
                Scanned::Article { found, .. } => searched.found.push(found),
                Scanned::Skipped { .. } => {}
                Scanned::Failed { origin, reason } => {
                    searched.warnings.push(LoadWarning::new(&origin, &reason));
                }
            }
        }
        searched
    }
}

/// Searches one library file: in the cache's copy when it is current,
/// otherwise as loaded (and then kept in the cache).
fn scan<R>(
    job: &Job,
    filter: &dyn SearchFilter,
    plan: Plan,
    search: &dyn Fn(&SearchView) -> R,
) -> Scanned<R> {
    let outcome = match (job, plan.cache) {
        (Job::File(path), Some(cache)) => {
            let origin = Origin::File(path.clone());
            let stamp = Stamp::of(path);
            if let Some(stamp) = stamp
                && let Some(scanned) = cache.search(path, stamp, &origin, filter, search)
            {
                return scanned;
            }
            parse_and_keep(path, &origin, stamp, plan)
        }
        _ => run(job, plan),
    };
    match outcome {
        Outcome::Article(article) => Scanned::Article {
            found: search(&SearchView::of(&article)),
            id: article.meta.id,
        },
        Outcome::Skipped { id } => Scanned::Skipped { id },
        Outcome::Failed { origin, reason } => Scanned::Failed { origin, reason },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::ops::Range;
    use std::path::Path;

    use super::*;
    use crate::library::Folder;

    /// Files with the word "wombat", and passages holding it.
    struct Wombats;

    impl SearchFilter for Wombats {
        fn may_contain(&self, text: &str) -> bool {
            text.contains("wombat")
        }
        fn blocks_that_may_match(&self, text: &str, blocks: &[Range<usize>]) -> Vec<bool> {
            blocks
                .iter()
                .map(|block| text[block.clone()].contains("wombat"))
                .collect()
        }
    }

    fn folder(dir: &Path, files: &[(&str, &str)]) -> Sources {
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        Sources {
            bundled: false,
            folders: vec![Folder {
                path: dir.to_path_buf(),
                optional: false,
            }],
        }
    }

    /// Each article searched: its id and the numbers of the passages seen.
    fn searched(sources: &Sources, cache: Option<&SearchCache>) -> Searched<(String, Vec<usize>)> {
        Library::search(sources, &Wombats, cache, &|view| {
            let numbers = view.passages.iter().map(|p| p.number).collect();
            (view.id.to_owned(), numbers)
        })
    }

    #[test]
    fn files_that_cannot_match_are_not_searched_and_failures_warn() {
        let dir = tempfile::tempdir().unwrap();
        let sources = folder(
            dir.path(),
            &[
                ("a.md", "A wombat.\n\nA cat.\n"),
                ("b.md", "Only cats.\n"),
                ("c.md", ""),
            ],
        );
        let searched = searched(&sources, None);
        assert_eq!(searched.found, [("a".to_owned(), vec![1, 2])]);
        assert_eq!(searched.warnings.len(), 1);
        assert!(searched.warnings[0].origin.ends_with("c.md"));
        assert_eq!(
            searched.warnings,
            Library::open_for_search(&sources, &Wombats, None).warnings
        );
    }

    #[test]
    fn from_the_cache_only_passages_that_may_match_are_searched() {
        let (dir, cache_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let sources = folder(dir.path(), &[("a.md", "A cat.\n\nA wombat.\n\nA dog.\n")]);
        let cache = SearchCache::new(cache_dir.path().to_path_buf());
        let parsed = searched(&sources, Some(&cache));
        assert_eq!(parsed.found, [("a".to_owned(), vec![1, 2, 3])]);
        let cached = searched(&sources, Some(&cache));
        assert_eq!(cached.found, [("a".to_owned(), vec![2])]);
    }

    #[test]
    fn duplicate_ids_are_settled_as_the_library_settles_them() {
        let dir = tempfile::tempdir().unwrap();
        let sources = folder(
            dir.path(),
            &[
                ("a.md", "---\nid: same\n---\n\nA wombat.\n"),
                ("b.md", "---\nid: same\n---\n\nAnother wombat.\n"),
            ],
        );
        let searched = searched(&sources, None);
        let ids: Vec<&str> = searched.found.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["same", "same-2"]);
        assert_eq!(searched.warnings.len(), 1, "{:?}", searched.warnings);
    }
}
