//! Every highlight the person made, kept in `annotations.ron` so that none is ever
//! lost: not to a crash or a kill in the middle of a save, not to a file that
//! turned unreadable, and not to a second gloss saving at the same time.
//!
//! [`Annotations`] is the set of highlights plus a marker for each deletion, and
//! [`Annotations::merge`] combines two sets the same way whichever comes first, so
//! two running instances converge. [`load`] and [`save_merged`] read and write the
//! file under a lock; [`Saver`] does the saving on a thread of its own so the
//! person never waits for the disk.

mod file;
mod folder;
mod format;
mod nesting;
mod parallel;
mod saver;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};

use crate::annotation::Highlight;

pub use file::{Loaded, Saved, load, save_merged};
pub use format::{ANNOTATIONS_VERSION, MAX_NESTING};
pub use saver::{SaveOutcome, Saver};

/// How long a deletion is remembered. A copy of the highlight that reappears
/// from an instance left running longer than this could bring it back; keeping
/// markers forever would let the file grow without end.
pub const DELETION_MEMORY: SignedDuration = SignedDuration::from_hours(180 * 24);

/// The highlights, by id, and when each deleted highlight was deleted.
///
/// Each highlight is shared between copies, so that cloning the whole set for a
/// background save costs a few milliseconds at 100,000 highlights rather than
/// a copy of every string in them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Annotations {
    highlights: BTreeMap<Arc<str>, Arc<Highlight>>,
    deleted: BTreeMap<String, Timestamp>,
}

/// One tag and how many highlights carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagCount {
    /// The spelling the tag was first used with.
    pub name: String,
    pub count: usize,
}

impl Annotations {
    pub fn new() -> Annotations {
        Annotations::default()
    }

    /// Adds `highlight`, or replaces the one with the same id.
    ///
    /// Bringing back a highlight that was deleted here (an undo) makes it newer
    /// than its deletion, so that merging with a file that still records the
    /// deletion keeps it.
    pub fn upsert(&mut self, mut highlight: Highlight) {
        if let Some(deleted_at) = self.deleted.remove(&highlight.id)
            && highlight.updated <= deleted_at
        {
            highlight.updated = just_after(deleted_at);
        }
        self.highlights
            .insert(Arc::from(highlight.id.as_str()), Arc::new(highlight));
    }

    /// Removes the highlight `id`, remembering that it was deleted at `at` so a
    /// copy saved by another instance does not bring it back. Returns what was
    /// removed.
    pub fn remove(&mut self, id: &str, at: Timestamp) -> Option<Highlight> {
        let removed = self.highlights.remove(id).map(Arc::unwrap_or_clone);
        // A clock behind the highlight's own must still delete the version the
        // person saw.
        let at = removed.as_ref().map_or(at, |h| at.max(h.updated));
        self.record_deletion(id, at);
        removed
    }

    pub fn get(&self, id: &str) -> Option<&Highlight> {
        self.highlights.get(id).map(AsRef::as_ref)
    }

    /// Every highlight, by id.
    pub fn iter(&self) -> impl Iterator<Item = &Highlight> {
        self.highlights.values().map(AsRef::as_ref)
    }

    /// The highlights of one article, in reading order.
    pub fn for_article(&self, article: &str) -> Vec<&Highlight> {
        let mut found: Vec<&Highlight> = self.iter().filter(|h| h.article == article).collect();
        found.sort_by(|a, b| {
            (a.anchor.position.start, &a.id).cmp(&(b.anchor.position.start, &b.id))
        });
        found
    }

    /// Every tag in use with the number of highlights carrying it, compared
    /// without regard to case and shown as first written, sorted by name.
    pub fn tags(&self) -> Vec<TagCount> {
        let mut oldest_first: Vec<&Highlight> = self.iter().collect();
        oldest_first.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));

        let mut counts: Vec<(String, TagCount)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for highlight in oldest_first {
            let mut seen_here: Vec<String> = Vec::new();
            for tag in highlight.tags.iter().filter(|t| !t.trim().is_empty()) {
                let key = tag.to_lowercase();
                if seen_here.contains(&key) {
                    continue;
                }
                if let Some(&i) = index.get(&key) {
                    counts[i].1.count += 1;
                } else {
                    index.insert(key.clone(), counts.len());
                    let first = TagCount {
                        name: tag.clone(),
                        count: 1,
                    };
                    counts.push((key.clone(), first));
                }
                seen_here.push(key);
            }
        }
        counts.sort_by(|a, b| (&a.0, &a.1.name).cmp(&(&b.0, &b.1.name)));
        counts.into_iter().map(|(_, tag)| tag).collect()
    }

    pub fn len(&self) -> usize {
        self.highlights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.highlights.is_empty()
    }

    /// When the highlight `id` was deleted, if a deletion is remembered.
    pub fn deleted_at(&self, id: &str) -> Option<Timestamp> {
        self.deleted.get(id).copied()
    }

    /// Takes in everything `other` knows: highlights missing here are added, the
    /// copy updated later wins, and a deletion at or after a highlight's last
    /// update removes it. Merging `a` into `b` and `b` into `a` gives the same
    /// result.
    pub fn merge(&mut self, other: &Annotations) {
        for (id, &at) in &other.deleted {
            self.record_deletion(id, at);
        }
        for (id, theirs) in &other.highlights {
            let replace = match self.highlights.get(id) {
                None => true,
                Some(ours) => !Arc::ptr_eq(ours, theirs) && wins_over(theirs, ours),
            };
            if replace {
                self.highlights.insert(Arc::clone(id), Arc::clone(theirs));
            }
        }
        self.apply_deletions();
    }

    /// Forgets deletions made before `cutoff` (see [`DELETION_MEMORY`]).
    pub fn forget_deletions_before(&mut self, cutoff: Timestamp) {
        self.deleted.retain(|_, at| *at >= cutoff);
    }

    /// Builds the set from a file's contents, where the same id may appear
    /// twice (a file edited by hand); the later update wins as in a merge.
    fn from_parts(
        mut highlights: Vec<Highlight>,
        deleted: BTreeMap<String, Timestamp>,
    ) -> Annotations {
        // Sorted by id, the map is built in one pass instead of by 100,000
        // separate inserts; the stable sort keeps duplicates in file order.
        highlights.sort_by(|a, b| a.id.cmp(&b.id));
        let mut unique: Vec<Highlight> = Vec::with_capacity(highlights.len());
        for highlight in highlights {
            match unique.last_mut() {
                Some(kept) if kept.id == highlight.id => {
                    if wins_over(&highlight, kept) {
                        *kept = highlight;
                    }
                }
                _ => unique.push(highlight),
            }
        }
        let mut annotations = Annotations {
            highlights: unique
                .into_iter()
                .map(|h| (Arc::from(h.id.as_str()), Arc::new(h)))
                .collect(),
            deleted,
        };
        annotations.apply_deletions();
        annotations
    }

    fn record_deletion(&mut self, id: &str, at: Timestamp) {
        match self.deleted.get_mut(id) {
            Some(known) => *known = (*known).max(at),
            None => {
                self.deleted.insert(id.to_owned(), at);
            }
        }
    }

    fn apply_deletions(&mut self) {
        let deleted = &self.deleted;
        self.highlights
            .retain(|id, h| deleted.get(&**id).is_none_or(|at| *at < h.updated));
    }
}

/// Whether `candidate` should replace `current` (same id). The later update
/// wins; two different copies updated at the same instant are ordered by their
/// content so every instance picks the same one.
fn wins_over(candidate: &Highlight, current: &Highlight) -> bool {
    match candidate.updated.cmp(&current.updated) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => {
            candidate != current && tie_breaker(candidate) > tie_breaker(current)
        }
    }
}

fn tie_breaker(highlight: &Highlight) -> String {
    ron::to_string(highlight).unwrap_or_default()
}

fn just_after(at: Timestamp) -> Timestamp {
    at.checked_add(SignedDuration::from_nanos(1)).unwrap_or(at)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::annotation::{Color, TextAnchor};

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + second).unwrap()
    }

    fn highlight(id: &str, updated: i64) -> Highlight {
        Highlight {
            id: id.into(),
            article: "lagos".into(),
            text_hash: "0".repeat(16),
            anchor: TextAnchor::default(),
            color: Color::Yellow,
            tags: Vec::new(),
            note: String::new(),
            created: at(0),
            updated: at(updated),
        }
    }

    fn with_note(mut h: Highlight, note: &str) -> Highlight {
        h.note = note.into();
        h
    }

    fn set(highlights: impl IntoIterator<Item = Highlight>) -> Annotations {
        let mut annotations = Annotations::new();
        for h in highlights {
            annotations.upsert(h);
        }
        annotations
    }

    #[test]
    fn the_later_update_wins_whichever_side_it_is_on() {
        let old = with_note(highlight("h-1", 1), "old");
        let new = with_note(highlight("h-1", 2), "new");
        let mut a = set([old.clone()]);
        a.merge(&set([new.clone()]));
        let mut b = set([new.clone()]);
        b.merge(&set([old]));
        assert_eq!(a.get("h-1"), Some(&new));
        assert_eq!(a, b);
    }

    #[test]
    fn copies_updated_at_the_same_instant_converge() {
        let x = with_note(highlight("h-1", 5), "x");
        let y = with_note(highlight("h-1", 5), "y");
        let mut a = set([x.clone()]);
        a.merge(&set([y.clone()]));
        let mut b = set([y]);
        b.merge(&set([x]));
        assert_eq!(a, b);
    }

    #[test]
    fn a_deletion_after_the_last_update_removes_the_highlight() {
        let mut mine = set([highlight("h-1", 1), highlight("h-2", 1)]);
        let mut theirs = mine.clone();
        theirs.remove("h-1", at(3));
        mine.merge(&theirs);
        assert_eq!(mine.get("h-1"), None);
        assert_eq!(mine.deleted_at("h-1"), Some(at(3)));
        assert_eq!(mine.len(), 1);
    }

    #[test]
    fn a_deletion_at_the_same_instant_as_the_update_removes_it() {
        let mut mine = set([highlight("h-1", 3)]);
        let mut theirs = Annotations::new();
        theirs.remove("h-1", at(3));
        mine.merge(&theirs);
        assert!(mine.is_empty());
    }

    #[test]
    fn an_edit_after_the_deletion_keeps_the_highlight() {
        let mut mine = set([with_note(highlight("h-1", 9), "edited later")]);
        let mut theirs = Annotations::new();
        theirs.remove("h-1", at(3));
        mine.merge(&theirs);
        assert_eq!(mine.get("h-1").unwrap().note, "edited later");
        assert_eq!(mine.deleted_at("h-1"), Some(at(3)), "the marker is kept");
    }

    #[test]
    fn removing_with_a_slow_clock_still_deletes_what_was_seen() {
        let mut mine = set([highlight("h-1", 10)]);
        mine.remove("h-1", at(2));
        let mut stale = set([highlight("h-1", 10)]);
        stale.merge(&mine);
        assert!(stale.is_empty());
    }

    #[test]
    fn undoing_a_deletion_survives_a_merge_with_the_deletion() {
        let original = highlight("h-1", 1);
        let mut mine = set([original.clone()]);
        mine.remove("h-1", at(5));
        let on_disk = mine.clone();
        mine.upsert(original);
        assert_eq!(mine.deleted_at("h-1"), None);
        let mut merged = on_disk.clone();
        merged.merge(&mine);
        assert!(merged.get("h-1").is_some());
        assert!(merged.get("h-1").unwrap().updated > at(5));
    }

    #[test]
    fn concurrent_additions_are_all_kept() {
        let mut a = set([highlight("h-a", 1)]);
        let b = set([highlight("h-b", 2)]);
        a.merge(&b);
        let ids: Vec<&str> = a.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["h-a", "h-b"]);
    }

    #[test]
    fn old_deletions_are_forgotten() {
        let mut a = Annotations::new();
        a.remove("h-old", at(1));
        a.remove("h-new", at(100));
        a.forget_deletions_before(at(50));
        assert_eq!(a.deleted_at("h-old"), None);
        assert_eq!(a.deleted_at("h-new"), Some(at(100)));
    }

    #[test]
    fn tags_are_counted_without_regard_to_case_in_their_first_spelling() {
        let mut first = highlight("h-2", 1);
        first.tags = vec!["Funding".into(), "funding".into(), "metrics".into()];
        let mut second = highlight("h-1", 1);
        second.created = at(7);
        second.tags = vec!["FUNDING".into(), "Ärger".into(), "  ".into()];
        let mut third = highlight("h-3", 1);
        third.created = at(8);
        third.tags = vec!["ärger".into()];
        let tags = set([first, second, third]).tags();
        let shown: Vec<(&str, usize)> = tags.iter().map(|t| (t.name.as_str(), t.count)).collect();
        assert_eq!(shown, [("Funding", 2), ("metrics", 1), ("Ärger", 2)]);
    }

    #[test]
    fn an_article_lists_its_highlights_in_reading_order() {
        let mut late = highlight("h-1", 1);
        late.anchor.position.start = 50;
        let mut early = highlight("h-2", 1);
        early.anchor.position.start = 10;
        let mut elsewhere = highlight("h-3", 1);
        elsewhere.article = "other".into();
        let annotations = set([late, early, elsewhere]);
        let ids: Vec<&str> = annotations
            .for_article("lagos")
            .iter()
            .map(|h| h.id.as_str())
            .collect();
        assert_eq!(ids, ["h-2", "h-1"]);
    }

    #[test]
    fn duplicate_ids_in_a_file_keep_the_later_update() {
        let built = Annotations::from_parts(
            vec![
                with_note(highlight("h-1", 4), "newer"),
                with_note(highlight("h-1", 2), "older"),
            ],
            BTreeMap::new(),
        );
        assert_eq!(built.len(), 1);
        assert_eq!(built.get("h-1").unwrap().note, "newer");
    }
}
