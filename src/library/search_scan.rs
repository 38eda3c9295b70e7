//! Searching a library without building it. `gloss search` looks at each
//! article once and keeps only what it prints, so instead of a [`Library`] of
//! owned articles it hands a borrowed [`SearchView`] of each article to the
//! search: read in place from the cache of parsed articles when the file is
//! unchanged, otherwise from the article just parsed. Files whose text cannot
//! match are not parsed, and passages that cannot match are not looked at.

use std::collections::HashSet;
use std::io;

use rayon::prelude::*;

use super::article_cache::{ArticleCache, Stamp};
use super::load::{Job, Outcome, Plan, jobs, parse_and_keep, run};
use super::parse::Detail;
use super::{Library, LoadWarning, Origin, SearchFilter, SearchView, Sources};

/// Library files searched at once per core, before what they gave is handed
/// on in order: enough to keep every core busy to the end of a round, few
/// enough that the printed results of a round are written (and their memory
/// reused) before the next.
const FILES_PER_ROUND_PER_CORE: usize = 32;

/// What [`Library::search`] hands on, in library order.
#[derive(Debug)]
pub enum Found<R> {
    /// What searching one article gave.
    Article(R),
    /// A file that could not be used, as [`Library::open_for_search`] warns.
    Warning(LoadWarning),
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
    /// does not rule out, on every core, and hands each result and warning
    /// to `found` in library order, a round of files at a time, until it
    /// fails. The articles, warnings and passages searched are those of
    /// [`Library::open_for_search`] with the same filter and cache (the
    /// views hold only the passages that may match), but no library is built:
    /// with a `cache`, an unchanged file is searched in the cache's copy of
    /// its text.
    ///
    /// `search` may run on any thread, several at once; `found` runs on the
    /// calling thread.
    pub fn search<R: Send>(
        sources: &Sources,
        filter: &dyn SearchFilter,
        cache: Option<&ArticleCache>,
        search: &(dyn Fn(&SearchView) -> R + Sync),
        found: &mut dyn FnMut(Found<R>) -> io::Result<()>,
    ) -> io::Result<()> {
        let plan = Plan {
            detail: Detail::Text,
            may_contain: Some(filter),
            cache,
            keep_parsed: true,
        };
        let jobs = jobs(sources, cache);
        let mut ids = HashSet::new();
        let per_round = files_per_round();
        for (round, files) in jobs.chunks(per_round).enumerate() {
            let scanned: Vec<Scanned<R>> = files
                .par_iter()
                .map(|job| scan(job, filter, plan, search))
                .collect();
            let clash = scanned.iter().any(|scanned| match scanned {
                Scanned::Article { id, .. } | Scanned::Skipped { id } => !ids.insert(id.clone()),
                Scanned::Failed { .. } => false,
            });
            if clash {
                let rest = &jobs[round * per_round..];
                return search_settled(sources, filter, cache, rest, search, found);
            }
            for scanned in scanned {
                match scanned {
                    Scanned::Article { found: result, .. } => found(Found::Article(result))?,
                    Scanned::Skipped { .. } => {}
                    Scanned::Failed { origin, reason } => {
                        found(Found::Warning(LoadWarning::new(&origin, &reason)))?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn files_per_round() -> usize {
    FILES_PER_ROUND_PER_CORE * rayon::current_num_threads().max(1)
}

/// Searches the files of `rest` once an id has come twice: a duplicated id
/// gives later articles suffixed ids, which depend on every article before
/// them, so from here on the library decides. (The articles before `rest`
/// held distinct ids, which no library changes.)
fn search_settled<R: Send>(
    sources: &Sources,
    filter: &dyn SearchFilter,
    cache: Option<&ArticleCache>,
    rest: &[Job],
    search: &(dyn Fn(&SearchView) -> R + Sync),
    found: &mut dyn FnMut(Found<R>) -> io::Result<()>,
) -> io::Result<()> {
    let library = Library::open_for_search(sources, filter, cache);
    let origins: Vec<(Option<Origin>, String)> = rest.iter().map(Job::origin).collect();
    for warning in &library.warnings {
        if origins.iter().any(|(_, name)| *name == warning.origin) {
            found(Found::Warning(warning.clone()))?;
        }
    }
    let results: Vec<R> = library
        .articles
        .par_iter()
        .filter(|article| {
            origins
                .iter()
                .any(|(origin, _)| origin.as_ref() == Some(&article.origin))
        })
        .map(|article| search(&SearchView::of(article)))
        .collect();
    for result in results {
        found(Found::Article(result))?;
    }
    Ok(())
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
    use crate::library::article_cache::write_settled;

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
            write_settled(&dir.join(name), text).unwrap();
        }
        Sources {
            bundled: false,
            folders: vec![Folder {
                path: dir.to_path_buf(),
                optional: false,
            }],
        }
    }

    /// What searching found: each article's id and the numbers of the
    /// passages seen, and the warnings.
    type Searched = (Vec<(String, Vec<usize>)>, Vec<LoadWarning>);

    fn searched(sources: &Sources, cache: Option<&ArticleCache>) -> Searched {
        let (mut articles, mut warnings) = (Vec::new(), Vec::new());
        let search = |view: &SearchView| {
            let numbers = view.passages.iter().map(|p| p.number).collect();
            (view.id.to_owned(), numbers)
        };
        Library::search(sources, &Wombats, cache, &search, &mut |found| {
            match found {
                Found::Article(article) => articles.push(article),
                Found::Warning(warning) => warnings.push(warning),
            }
            Ok(())
        })
        .unwrap();
        (articles, warnings)
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
        let (articles, warnings) = searched(&sources, None);
        assert_eq!(articles, [("a".to_owned(), vec![1, 2])]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].origin.ends_with("c.md"));
        assert_eq!(
            warnings,
            Library::open_for_search(&sources, &Wombats, None).warnings
        );
    }

    #[test]
    fn from_the_cache_only_passages_that_may_match_are_searched() {
        let (dir, cache_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let sources = folder(dir.path(), &[("a.md", "A cat.\n\nA wombat.\n\nA dog.\n")]);
        let cache = ArticleCache::new(cache_dir.path().to_path_buf());
        let parsed = searched(&sources, Some(&cache)).0;
        assert_eq!(parsed, [("a".to_owned(), vec![1, 2, 3])]);
        let cached = searched(&sources, Some(&cache)).0;
        assert_eq!(cached, [("a".to_owned(), vec![2])]);
    }

    #[test]
    fn duplicate_ids_are_settled_as_the_library_settles_them() {
        let dir = tempfile::tempdir().unwrap();
        // The clash comes in the third round of files, after articles whose
        // ids the later ones must not take.
        let mut files: Vec<(String, String)> = (0..files_per_round() * 2 + 5)
            .map(|n| {
                (
                    format!("f{n:03}.md"),
                    format!("---\nid: a{n}\n---\n\nA wombat.\n"),
                )
            })
            .collect();
        files.push(("g1.md".into(), "---\nid: a3\n---\n\nA wombat.\n".into()));
        files.push(("g2.md".into(), "---\nid: a3-2\n---\n\nA wombat.\n".into()));
        files.push(("g3.md".into(), String::new()));
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let sources = folder(dir.path(), &files);
        let library = Library::open(&sources);
        let (articles, warnings) = searched(&sources, None);
        let ids: Vec<&str> = articles.iter().map(|(id, _)| id.as_str()).collect();
        let expected: Vec<&str> = library
            .articles
            .iter()
            .map(|a| a.meta.id.as_str())
            .collect();
        assert_eq!(ids, expected);
        assert_eq!(&ids[ids.len() - 2..], ["a3-2", "a3-2-2"]);
        assert_eq!(warnings, library.warnings);
        assert_eq!(warnings.len(), 3, "two clashes and an empty file");
    }

    #[test]
    fn a_failure_to_hand_on_stops_the_search() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<(String, String)> = (0..files_per_round() * 3)
            .map(|n| (format!("f{n:03}.md"), String::from("A wombat.\n")))
            .collect();
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let sources = folder(dir.path(), &files);
        let mut handed = 0;
        let outcome = Library::search(&sources, &Wombats, None, &|_| (), &mut |_| {
            handed += 1;
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        });
        assert_eq!(outcome.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
        assert_eq!(handed, 1);
    }
}
