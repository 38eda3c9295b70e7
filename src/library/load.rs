//! Builds a [`Library`] from its sources: the bundled articles, then each library
//! folder's `*.md` files in name order. Nothing here fails as a whole: a file or
//! folder that cannot be used becomes a [`LoadWarning`] and the rest still loads.
//!
//! Files are read and parsed on every available core; the library keeps the
//! order of its sources whatever order the work finishes in.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::article_cache::{ArticleCache, Stamp};
use super::files::{folder_reason, markdown_files, read_file};
use super::parse::{ArticleError, Detail, article_id, as_source, parse_source, words_are_verbatim};
use super::{Article, Folder, Library, LoadWarning, Origin, SearchFilter, Sources, bundled};

/// Loads every article from `sources`, in order, collecting warnings.
pub fn open(sources: &Sources) -> Library {
    load(
        sources,
        Plan {
            detail: Detail::Full,
            may_contain: None,
            cache: None,
            keep_parsed: false,
        },
    )
}

impl Library {
    /// Like [`Library::open`], through the cache of parsed articles as `cache`
    /// says (a library file unchanged since it was kept there is read instead
    /// of parsed), calling `progress(done, total)` each time a file has been
    /// loaded (from several threads, so `done` may arrive out of order), for
    /// a progress line while a big library opens.
    ///
    /// The passages are not split into sentences, which only the reader
    /// needs and which are a fifth of parsing: it splits the article it
    /// opens ([`Article::split_sentences`]).
    pub fn open_with_progress(
        sources: &Sources,
        cache: Option<CacheUse>,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Library {
        let plan = Plan {
            detail: Detail::Unsplit,
            may_contain: None,
            cache: cache.map(CacheUse::cache),
            keep_parsed: matches!(cache, Some(CacheUse::ReadAndKeep(_))),
        };
        load_reporting(sources, plan, Some(progress))
    }

    /// Keeps in `cache` the library files that opening through it parsed
    /// without keeping ([`CacheUse::Read`]), so that the next
    /// [`Library::open_with_progress`] reads them instead: one file after
    /// another on the calling thread, gently, meant for a thread of its own
    /// while the reader runs. Failing to write only leaves the next open to
    /// parse again.
    pub fn keep_in_cache(cache: &ArticleCache) {
        let plan = Plan {
            detail: Detail::Unsplit,
            may_contain: None,
            cache: Some(cache),
            keep_parsed: true,
        };
        for path in cache.take_unkept() {
            parse_and_keep(&path, &Origin::File(path.clone()), Stamp::of(&path), plan);
        }
    }

    /// Opens the library to search it: like [`Library::open`], with two
    /// savings. Articles carry only what a search reads (each block is one
    /// sentence, no words are counted). And a file is not parsed at all when
    /// `may_contain`, given the file's raw text, answers `false` and the file
    /// is known to hold every word of its passages as written: it cannot
    /// match, so it is left out of the library.
    ///
    /// `may_contain` must answer `true` whenever a passage could match; it may
    /// rely on this: every maximal run of word characters (ASCII letters and
    /// digits, and all non-ASCII characters) in a passage of a file it is
    /// asked about appears verbatim in the file's raw text. Warnings are
    /// those of a full open, except that a left-out file is only checked as
    /// far as its front matter (not for deep nesting or missing text).
    ///
    /// With a `cache`, a library file unchanged since an earlier search is
    /// not read at all: its article comes from the cache (`may_contain` is
    /// then asked about the article's plain text), with the text of every
    /// passage that [`SearchFilter::blocks_that_may_match`] rules out left
    /// empty; every file parsed is parsed whole and kept there for the next
    /// search.
    pub fn open_for_search(
        sources: &Sources,
        may_contain: &dyn SearchFilter,
        cache: Option<&ArticleCache>,
    ) -> Library {
        load(
            sources,
            Plan {
                detail: Detail::Text,
                may_contain: Some(may_contain),
                cache,
                keep_parsed: true,
            },
        )
    }
}

/// How opening a library uses the cache of parsed articles.
#[derive(Debug, Clone, Copy)]
pub enum CacheUse<'a> {
    /// Read the files unchanged since they were kept; keep nothing, only note
    /// the files parsed (for the reader, whose first frame must not wait for
    /// writing: it keeps them afterwards, on another thread, with
    /// [`Library::keep_in_cache`]).
    Read(&'a ArticleCache),
    /// Read the files unchanged since they were kept, and keep every file
    /// parsed.
    ReadAndKeep(&'a ArticleCache),
}

impl<'a> CacheUse<'a> {
    fn cache(self) -> &'a ArticleCache {
        match self {
            CacheUse::Read(cache) | CacheUse::ReadAndKeep(cache) => cache,
        }
    }
}

/// What to build of each article, and which files may be left out.
#[derive(Clone, Copy)]
pub(super) struct Plan<'a> {
    pub(super) detail: Detail,
    pub(super) may_contain: Option<&'a dyn SearchFilter>,
    pub(super) cache: Option<&'a ArticleCache>,
    /// Whether a file parsed (the cache did not have it) is kept in the cache.
    pub(super) keep_parsed: bool,
}

/// One thing to load, in library order.
pub(super) enum Job {
    Bundled {
        name: &'static str,
        bytes: &'static [u8],
    },
    File(PathBuf),
    /// A folder that could not be listed.
    BadFolder {
        path: PathBuf,
        error: io::Error,
    },
}

/// What loading one job gave.
// One outcome a file, moved once into the library: boxing the article would
// add an allocation per file and save nothing that lasts.
#[allow(clippy::large_enum_variant)]
pub(super) enum Outcome {
    Article(Article),
    /// Left out of a search without parsing; its id is kept to check that
    /// leaving it out cannot change the ids of other articles.
    Skipped {
        id: String,
    },
    Failed {
        origin: String,
        reason: String,
    },
}

fn load(sources: &Sources, plan: Plan) -> Library {
    load_reporting(sources, plan, None)
}

fn load_reporting(
    sources: &Sources,
    plan: Plan,
    progress: Option<&(dyn Fn(usize, usize) + Sync)>,
) -> Library {
    let jobs = jobs(sources, plan.cache);
    let done = AtomicUsize::new(0);
    let mut outcomes: Vec<Outcome> = jobs
        .par_iter()
        .map(|job| {
            let outcome = run(job, plan);
            if let Some(progress) = progress {
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, jobs.len());
            }
            outcome
        })
        .collect();
    // A duplicated id gives later articles suffixed ids, which depend on every
    // article before them: then nothing may be left out.
    if has_duplicate_ids(&outcomes) {
        let everything = Plan {
            may_contain: None,
            ..plan
        };
        // (With a cache, an unchanged file still comes from it, whole.)
        for (job, outcome) in jobs.iter().zip(&mut outcomes) {
            if matches!(outcome, Outcome::Skipped { .. }) {
                *outcome = run(job, everything);
            }
        }
    }
    let mut loader = Loader::default();
    loader.reserve_ids_for_the_first_holders(&outcomes);
    for (index, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            Outcome::Article(article) => loader.keep(index, article),
            Outcome::Skipped { .. } => {}
            Outcome::Failed { origin, reason } => loader.warn(&origin, &reason),
        }
    }
    loader.library
}

impl Job {
    /// The article's origin (none for a folder), and the name its warnings
    /// give it.
    pub(super) fn origin(&self) -> (Option<Origin>, String) {
        let origin = match self {
            Job::Bundled { name, .. } => Origin::Bundled((*name).to_string()),
            Job::File(path) => Origin::File(path.clone()),
            Job::BadFolder { path, .. } => {
                return (None, crate::text::shown_path(path));
            }
        };
        let name = crate::text::shown_name(&origin.to_string());
        (Some(origin), name)
    }
}

/// Everything to load from `sources`, in library order.
pub(super) fn jobs(sources: &Sources, cache: Option<&ArticleCache>) -> Vec<Job> {
    let mut jobs = Vec::new();
    if sources.bundled {
        jobs.extend(
            bundled::files()
                .into_iter()
                .map(|(name, bytes)| Job::Bundled { name, bytes }),
        );
    }
    let mut seen_folders = Vec::new();
    for folder in &sources.folders {
        // The same folder given twice (say `--library` pointing at the user
        // folder) would only load every article twice under suffixed ids.
        let key = fs::canonicalize(&folder.path).unwrap_or_else(|_| folder.path.clone());
        if seen_folders.contains(&key) {
            continue;
        }
        seen_folders.push(key);
        folder_jobs(folder, cache, &mut jobs);
    }
    jobs
}

fn folder_jobs(folder: &Folder, cache: Option<&ArticleCache>, jobs: &mut Vec<Job>) {
    match markdown_files(&folder.path) {
        Ok(files) => {
            if let Some(cache) = cache {
                cache.prune(&folder.path, &files);
            }
            jobs.extend(files.into_iter().map(Job::File));
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound && folder.optional => {}
        Err(error) => jobs.push(Job::BadFolder {
            path: folder.path.clone(),
            error,
        }),
    }
}

pub(super) fn run(job: &Job, plan: Plan) -> Outcome {
    match job {
        Job::Bundled { name, bytes } => settle(bytes, &Origin::Bundled((*name).to_string()), plan),
        Job::File(path) if plan.cache.is_some() => run_cached(path, plan),
        Job::File(path) => match read_file(path) {
            Ok(bytes) => settle(&bytes, &Origin::File(path.clone()), plan),
            Err(reason) => Outcome::Failed {
                origin: Origin::File(path.clone()).to_string(),
                reason,
            },
        },
        Job::BadFolder { path, error } => Outcome::Failed {
            origin: path.display().to_string(),
            reason: folder_reason(error),
        },
    }
}

/// Loads a library file from the cache when it holds the file as it is now;
/// otherwise parses it (and keeps the outcome there if the plan says so).
fn run_cached(path: &Path, plan: Plan) -> Outcome {
    let origin = Origin::File(path.to_path_buf());
    let stamp = Stamp::of(path);
    if let (Some(cache), Some(stamp)) = (plan.cache, stamp)
        && let Some(outcome) = cache.load(path, stamp, &origin, plan.may_contain, plan.detail)
    {
        return outcome;
    }
    parse_and_keep(path, &origin, stamp, plan)
}

/// Parses the whole library file at `path` (whatever `may_contain` says, so
/// that the entry serves any later query) and keeps the outcome in the plan's
/// cache when the file was there to stamp (or, when the plan keeps nothing,
/// notes the file for [`Library::keep_in_cache`]).
pub(super) fn parse_and_keep(
    path: &Path,
    origin: &Origin,
    stamp: Option<Stamp>,
    plan: Plan,
) -> Outcome {
    let bytes = match read_file(path) {
        Ok(bytes) => bytes,
        Err(reason) => {
            return Outcome::Failed {
                origin: origin.to_string(),
                reason,
            };
        }
    };
    let whole = Plan {
        may_contain: None,
        ..plan
    };
    let outcome = settle(&bytes, origin, whole);
    if let (Some(cache), Some(stamp)) = (plan.cache, stamp) {
        if plan.keep_parsed {
            cache.store(path, stamp, &bytes, &outcome, plan.detail);
        } else {
            cache.note_unkept(path);
        }
    }
    outcome
}

/// Parses the file at `origin` whose contents are `bytes`, unless `plan`
/// allows leaving it out.
fn settle(bytes: &[u8], origin: &Origin, plan: Plan) -> Outcome {
    let failed = |origin: &Origin, error: ArticleError| Outcome::Failed {
        origin: origin.to_string(),
        reason: error.to_string(),
    };
    let source = match as_source(bytes) {
        Ok(source) => source,
        Err(error) => return failed(origin, error),
    };
    if let Some(may_contain) = plan.may_contain
        && !may_contain.may_contain(source)
        && words_are_verbatim(source)
    {
        return match article_id(source, origin) {
            Ok(id) => Outcome::Skipped { id },
            Err(error) => failed(origin, error),
        };
    }
    match parse_source(source, origin.clone(), plan.detail) {
        Ok(article) => Outcome::Article(article),
        Err(error) => failed(origin, error),
    }
}

fn has_duplicate_ids(outcomes: &[Outcome]) -> bool {
    let mut ids = HashSet::new();
    outcomes.iter().any(|outcome| {
        let id = match outcome {
            Outcome::Article(article) => &article.meta.id,
            Outcome::Skipped { id } => id,
            Outcome::Failed { .. } => return false,
        };
        !ids.insert(id.as_str())
    })
}

#[derive(Default)]
struct Loader {
    library: Library,
    /// Each id in use, with the display name of the article that holds it.
    ids: HashMap<String, String>,
    /// Ids that several articles claim: the outcome that keeps each (by its
    /// place in the outcomes) and that article's display name.
    holders: HashMap<String, (usize, String)>,
}

impl Loader {
    /// Decides, for each id that several files claim, which file keeps it:
    /// the one that had it first. A file's birth time says which came first
    /// (its modification time where the file system keeps no birth time);
    /// a bundled article always came first, and equal times go by library
    /// order. Without this, a new file whose name sorts first would take
    /// the id, and with it every highlight and reading position of the
    /// article that had it.
    fn reserve_ids_for_the_first_holders(&mut self, outcomes: &[Outcome]) {
        let mut claims: HashMap<&str, Vec<(usize, &Article)>> = HashMap::new();
        for (index, outcome) in outcomes.iter().enumerate() {
            if let Outcome::Article(article) = outcome {
                claims
                    .entry(article.meta.id.as_str())
                    .or_default()
                    .push((index, article));
            }
        }
        for (id, claimants) in claims.into_iter().filter(|(_, c)| c.len() > 1) {
            let first = claimants
                .iter()
                .map(|&(index, article)| (first_seen(&article.origin), index, article))
                .min_by_key(|(seen, index, _)| (seen.is_none(), *seen, *index))
                .map(|(_, index, article)| (index, article));
            if let Some((index, article)) = first {
                let name = article.origin.to_string();
                self.holders.insert(id.to_owned(), (index, name));
            }
        }
    }

    /// Keeps `article`, the outcome at `index`; an id already taken (or kept
    /// for the article that had it first) gets the first free `-2`, `-3`, …
    /// suffix, so both articles stay readable, and a warning names both files.
    fn keep(&mut self, index: usize, mut article: Article) {
        let name = article.origin.to_string();
        for warning in std::mem::take(&mut article.warnings) {
            self.warn(&name, &warning);
        }
        let holder = self.ids.get(&article.meta.id).cloned().or_else(|| {
            self.holders
                .get(&article.meta.id)
                .filter(|(holder, _)| *holder != index)
                .map(|(_, name)| name.clone())
        });
        if let Some(holder) = holder {
            let taken = article.meta.id.clone();
            // With n ids taken, one of n + 1 suffixes is free.
            let free = (2..=self.ids.len() + 2)
                .map(|n| format!("{taken}-{n}"))
                .find(|id| !self.ids.contains_key(id) && !self.holders.contains_key(id))
                .unwrap_or_else(|| format!("{taken}-{}", self.ids.len() + 2));
            self.warn(
                &name,
                &format!(
                    "the id '{taken}' is already used by {holder}; this article is loaded as \
                     '{free}' — give it its own `id:` in the front matter"
                ),
            );
            article.meta.id = free;
        }
        self.ids.insert(article.meta.id.clone(), name);
        self.library.articles.push(article);
    }

    fn warn(&mut self, origin: &str, reason: &str) {
        self.library.warnings.push(LoadWarning::new(origin, reason));
    }
}

/// When the file behind `origin` came to be, as far as the file system
/// says (`None` when it cannot be asked): a bundled article counts as the
/// first of all.
fn first_seen(origin: &Origin) -> Option<std::time::SystemTime> {
    match origin {
        Origin::Bundled(_) => Some(std::time::SystemTime::UNIX_EPOCH),
        Origin::File(path) => {
            let metadata = fs::metadata(path).ok()?;
            metadata.created().or_else(|_| metadata.modified()).ok()
        }
    }
}

#[cfg(test)]
mod tests;
