//! The library screen's query: which articles it lets through (by title, id,
//! tags or full text) and every matching passage across the library, for the
//! passages view. Refines the previous result when the query only got longer,
//! so typing stays fast on a large library.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::annotation::AnnotationIndex;
use crate::library::{Article, Library};
use crate::search::{Query, QueryOptions};

/// Full-text search starts at this many typed characters; one letter would
/// match nearly every passage and only the titles are worth filtering then.
pub const FULL_TEXT_MIN_CHARS: usize = 2;

/// One matching passage: article index and block index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassageHit {
    pub article: usize,
    pub block: usize,
}

/// The result of the library query.
#[derive(Debug, Clone, Default)]
pub struct LibrarySearch {
    /// The input the result was computed for.
    pub input: String,
    pub options: QueryOptions,
    pub query: Query,
    /// Why the input does not compile, if it does not.
    pub error: Option<String>,
    /// Articles that match, in library order.
    pub articles: Vec<usize>,
    /// Matching passages, in library order.
    pub passages: Vec<PassageHit>,
}

impl LibrarySearch {
    pub fn all(library: &Library) -> LibrarySearch {
        LibrarySearch {
            articles: (0..library.articles.len()).collect(),
            ..LibrarySearch::default()
        }
    }

    /// Whether full text was searched (the input is long enough and compiles).
    pub fn is_full_text(&self) -> bool {
        !self.query.is_empty() && self.input.trim().chars().count() >= FULL_TEXT_MIN_CHARS
    }

    /// Recomputes for `input`. A bad query keeps the previous result and sets `error`.
    pub fn update(
        &mut self,
        library: &Library,
        input: &str,
        options: QueryOptions,
        notes: &AnnotationIndex,
    ) {
        let never = AtomicBool::new(false);
        let finished = self.update_unless(library, input, options, notes, &never);
        debug_assert!(finished);
    }

    /// [`LibrarySearch::update`], given up as soon as `stop` is set (new
    /// input has arrived, which will ask for another result): then the
    /// previous result stays as it was and `false` is returned.
    pub fn update_unless(
        &mut self,
        library: &Library,
        input: &str,
        options: QueryOptions,
        notes: &AnnotationIndex,
        stop: &AtomicBool,
    ) -> bool {
        let query = match Query::parse(input, options) {
            Ok(query) => query,
            Err(err) => {
                self.error = Some(err.to_string());
                return true;
            }
        };
        // Narrowing a title-only result would miss articles matched by their text.
        let refines = refines(&self.input, input, self.options, options)
            && self.error.is_none()
            && self.is_full_text();
        let candidates: Vec<usize> = if refines {
            self.articles.clone()
        } else {
            (0..library.articles.len()).collect()
        };
        let mut next = LibrarySearch {
            input: input.to_string(),
            options,
            query,
            ..LibrarySearch::default()
        };
        if next.query.is_empty() {
            next.articles = (0..library.articles.len()).collect();
            *self = next;
            return true;
        }
        let full_text = next.is_full_text();
        if full_text {
            let query = &next.query;
            let keep =
                |hit: &PassageHit| passage_matches(query, library, notes, hit.article, hit.block);
            // Only passages that matched before can match now; otherwise every passage.
            let tried: Vec<PassageHit> = if refines {
                self.passages.clone()
            } else {
                candidates
                    .iter()
                    .flat_map(|&article| {
                        let blocks = &library.articles[article].blocks;
                        (0..blocks.len())
                            .filter(|&b| blocks[b].is_passage())
                            .map(move |block| PassageHit { article, block })
                    })
                    .collect()
            };
            match filter_in_parallel(tried, keep, stop) {
                Some(passages) => next.passages = passages,
                None => return false,
            }
        }
        let passages = &next.passages;
        next.articles = candidates
            .into_iter()
            .filter(|&i| {
                matches_metadata(&next.query, &library.articles[i], notes)
                    || (full_text && passages.binary_search_by_key(&i, |h| h.article).is_ok())
            })
            .collect();
        *self = next;
        true
    }
}

/// `items` that pass `keep`, in order, tested on every core: a keystroke over a
/// large library is then a fraction of a frame on a laptop. `None` as soon as
/// `stop` is set: what is left is not tested.
fn filter_in_parallel<T: Send + Sync>(
    items: Vec<T>,
    keep: impl Fn(&T) -> bool + Sync,
    stop: &AtomicBool,
) -> Option<Vec<T>> {
    /// Below this many items per task, handing work to another core costs more
    /// than it saves.
    const MIN_PER_TASK: usize = 2_000;
    let kept: Vec<T> = items
        .into_par_iter()
        .with_min_len(MIN_PER_TASK)
        .filter(|item| !stop.load(Ordering::Relaxed) && keep(item))
        .collect();
    (!stop.load(Ordering::Relaxed)).then_some(kept)
}

/// Whether the query `new` can only match a subset of what `old` matched:
/// the same switches, typed further, and nothing that widens a query
/// (exclusions, phrases, regex, `tag:`) in play.
fn refines(old: &str, new: &str, old_options: QueryOptions, options: QueryOptions) -> bool {
    let plain = |s: &str| !s.contains(['-', '"', ':']);
    !old.trim().is_empty()
        && old_options == options
        && !options.regex
        && new.starts_with(old)
        && plain(new)
        // Smart case: an upper-case letter makes the query case-sensitive, which
        // is narrower, but lower-case text typed after it is still a refinement.
        && old.chars().any(char::is_uppercase) == new.chars().any(char::is_uppercase)
}

/// Whether one passage matches, its highlights' tags and notes included.
fn passage_matches(
    query: &Query,
    library: &Library,
    notes: &AnnotationIndex,
    article: usize,
    block: usize,
) -> bool {
    let article = &library.articles[article];
    let text = &article.blocks[block].text;
    if query.uses_annotations() {
        query.matches_passage(text, &notes.facts(&article.meta.id, block))
    } else {
        query.matches(text)
    }
}

/// Title, id, front-matter tags and the tags of the article's highlights as
/// one text, so each query word may match any of them.
fn matches_metadata(query: &Query, article: &Article, notes: &AnnotationIndex) -> bool {
    let meta = &article.meta;
    let highlight_tags = notes
        .article_tags
        .get(&meta.id)
        .map(|t| t.join(" "))
        .unwrap_or_default();
    let text = format!(
        "{} {} {} {highlight_tags}",
        meta.title,
        meta.id,
        meta.tags.join(" ")
    );
    query.matches(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Origin, parse_article};

    fn library() -> Library {
        let a = parse_article(
            "---\nid: alpha\ntitle: Alpha funding\ntags: [metrics]\n---\n\nFirst passage about trains.\n\nSecond about buses.\n",
            Origin::Bundled("a.md".into()),
        );
        let b = parse_article(
            "---\nid: beta\ntitle: Beta\n---\n\nTrains and funding.\n\n成果 sharing.\n",
            Origin::Bundled("b.md".into()),
        );
        Library {
            articles: vec![
                a.unwrap_or_else(|e| panic!("{e}")),
                b.unwrap_or_else(|e| panic!("{e}")),
            ],
            warnings: Vec::new(),
        }
    }

    fn search(library: &Library, input: &str) -> LibrarySearch {
        let mut s = LibrarySearch::all(library);
        s.update(
            library,
            input,
            QueryOptions::default(),
            &AnnotationIndex::default(),
        );
        s
    }

    #[test]
    fn a_stopped_update_leaves_the_previous_result_whole() {
        let lib = library();
        let mut s = search(&lib, "trains");
        let stop = AtomicBool::new(true);
        let finished = s.update_unless(
            &lib,
            "metrics",
            QueryOptions::default(),
            &AnnotationIndex::default(),
            &stop,
        );
        assert!(!finished);
        assert_eq!(s.input, "trains");
        assert_eq!(s.articles, vec![0, 1]);
        assert_eq!(s.passages.len(), 2);
        stop.store(false, Ordering::SeqCst);
        assert!(s.update_unless(
            &lib,
            "metrics",
            QueryOptions::default(),
            &AnnotationIndex::default(),
            &stop
        ));
        assert_eq!(s.articles, search(&lib, "metrics").articles);
    }

    #[test]
    fn titles_tags_and_text_all_count() {
        let lib = library();
        assert_eq!(search(&lib, "metrics").articles, vec![0]);
        assert_eq!(search(&lib, "beta").articles, vec![1]);
        assert_eq!(search(&lib, "trains").articles, vec![0, 1]);
        assert_eq!(search(&lib, "trains").passages.len(), 2);
        assert_eq!(
            search(&lib, "成果").passages,
            vec![PassageHit {
                article: 1,
                block: 1
            }]
        );
    }

    #[test]
    fn one_letter_filters_titles_only() {
        let lib = library();
        // Article 0 has "buses" in its text but no "b" in title, id or tags.
        let s = search(&lib, "b");
        assert!(!s.is_full_text());
        assert!(s.passages.is_empty());
        assert_eq!(s.articles, vec![1]);
    }

    #[test]
    fn typing_further_refines_to_the_same_result_as_from_scratch() {
        let lib = library();
        let mut typed = LibrarySearch::all(&lib);
        let mut input = String::new();
        for c in "trains".chars() {
            input.push(c);
            typed.update(
                &lib,
                &input,
                QueryOptions::default(),
                &AnnotationIndex::default(),
            );
        }
        let fresh = search(&lib, "trains");
        assert_eq!(typed.articles, fresh.articles);
        assert_eq!(typed.passages, fresh.passages);
        // Deleting a character widens again.
        typed.update(
            &lib,
            "bus",
            QueryOptions::default(),
            &AnnotationIndex::default(),
        );
        assert_eq!(typed.passages, search(&lib, "bus").passages);
    }

    #[test]
    fn refinement_is_refused_when_it_could_widen() {
        let plain = QueryOptions::default();
        assert!(refines("tra", "train", plain, plain));
        assert!(!refines("tra", "tra -x", plain, plain));
        assert!(!refines("tra", "tr", plain, plain));
        assert!(!refines("", "a", plain, plain));
        assert!(!refines(
            "tra",
            "train",
            plain,
            QueryOptions {
                regex: true,
                ..plain
            }
        ));
    }

    #[test]
    fn a_bad_regex_keeps_the_last_result() {
        let lib = library();
        let mut s = search(&lib, "trains");
        s.update(
            &lib,
            "(",
            QueryOptions {
                regex: true,
                ..QueryOptions::default()
            },
            &AnnotationIndex::default(),
        );
        assert!(s.error.is_some());
        assert_eq!(s.articles, vec![0, 1]);
    }
}
