//! Every highlight the person made, kept in `annotations.ron` so that none is ever
//! lost: not to a crash or a kill in the middle of a save, not to a file that
//! turned unreadable, and not to a second gloss saving at the same time.
//!
//! [`Annotations`] is the set of highlights plus a marker for each deletion.
//! [`Annotations::merge3`] combines what gloss holds with what the file holds
//! against the state both came from, so a change on either side is kept and
//! one made on both is combined field by field; [`Annotations::merge`] is the
//! two-way merge for a caller that knows no base (the later update wins, the
//! same whichever comes first). [`load`] and [`save_merged_from`] read and
//! write the file under a lock; [`Saver`] does the saving on a thread of its
//! own so the person never waits for the disk, and looks at the file for
//! changes made by others. A file edited by hand is read as far as it goes: a
//! bad value spoils one highlight, which is kept as written; a file that does
//! not parse is used read-only and left as it is until the person fixes it or
//! asks for [`repair`].

#[cfg(test)]
mod arbitrary;
mod fields;
mod file;
mod folder;
mod format;
mod kept;
mod known;
mod merge;
mod nesting;
mod reader;
mod recovery;
mod repair;
mod salvage;
mod saver;
mod sort_key;
mod three_way;
mod writer;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};

use crate::annotation::Highlight;

use kept::Kept;
use merge::{taken_from, wins_over};
use sort_key::SortKey;

pub use fields::{CONFLICT_START, FieldConflict};
pub use file::{Loaded, Saved, load, save_merged, save_merged_from, unsaved_banner};
pub(super) use folder::{FolderLock, create_folder_for};
pub use folder::{lock_wait, report_lock_waits_to};
pub use format::{ANNOTATIONS_VERSION, MAX_NESTING};
pub use kept::{FileProblem, SpoiledHighlight};
pub use known::{FileStampBeforeRead, KnownFile};
pub use recovery::{find_recoveries, recover, remove_recovery, write_recovery};
pub use repair::{Repaired, repair};
pub use saver::{Saver, SaverReport, Snapshot};
pub use three_way::{Conflict, Merged};

/// How long a deletion is remembered. A copy of the highlight that reappears
/// from an instance left running longer than this could bring it back; keeping
/// markers forever would let the file grow without end.
pub const DELETION_MEMORY: SignedDuration = SignedDuration::from_hours(180 * 24);

/// The highlights, by id, and when each deleted highlight was deleted.
///
/// Copies share the set of highlights until one of them changes it, so that
/// handing a snapshot of 100,000 highlights to the background saver costs
/// nothing; the first change to a shared set copies the map, and even then
/// each highlight stays shared rather than every string in it being copied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Annotations {
    highlights: Arc<Map>,
    deleted: BTreeMap<String, Timestamp>,
    /// What the file held that is not a highlight this gloss can read (see
    /// [`kept`]). A merge leaves it as it is on the side merged into: the
    /// file read at a save is the one whose text is written back.
    kept: Arc<Kept>,
}

/// The highlights by id, both shared.
type Map = BTreeMap<Arc<str>, Arc<Highlight>>;

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
        let (id, highlight) = entry(highlight);
        self.highlights_mut().insert(id, highlight);
    }

    /// Removes the highlight `id`, remembering that it was deleted at `at` so a
    /// copy saved by another instance does not bring it back. Returns what was
    /// removed.
    pub fn remove(&mut self, id: &str, at: Timestamp) -> Option<Highlight> {
        let removed = if self.highlights.contains_key(id) {
            self.highlights_mut().remove(id).map(Arc::unwrap_or_clone)
        } else {
            None
        };
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
                let key = crate::annotation::tag::tag_key(tag);
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

    /// Highlight entries of the file with a bad value, kept as written and
    /// written back until the person fixes them.
    pub fn spoiled(&self) -> &[SpoiledHighlight] {
        &self.kept.spoiled
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
        if self.highlights.is_empty() {
            self.highlights = Arc::clone(&other.highlights);
        } else {
            let taken = taken_from(&self.highlights, &other.highlights);
            if !taken.is_empty() {
                self.highlights_mut().extend(taken);
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
    fn from_parts(highlights: Vec<Highlight>, deleted: BTreeMap<String, Timestamp>) -> Annotations {
        Annotations::from_entries(highlights.into_iter().map(entry).collect(), deleted)
    }

    /// [`Annotations::from_parts`] for highlights already made shareable.
    fn from_entries(entries: Vec<Entry>, deleted: BTreeMap<String, Timestamp>) -> Annotations {
        // Sorted by id, the map is built in one pass instead of by 100,000
        // separate inserts. The sort moves indices and mostly compares the
        // ids' first bytes as numbers; duplicates stay in file order.
        let mut order: Vec<(SortKey, usize)> = entries
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (SortKey::of(id), i))
            .collect();
        order.sort_unstable_by(|a, b| {
            a.0.compare(b.0, || entries[a.1].0.cmp(&entries[b.1].0))
                .then(a.1.cmp(&b.1))
        });
        let mut slots: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
        let mut unique: Vec<Entry> = Vec::with_capacity(order.len());
        let mut last_key = None;
        for (key, i) in order {
            let Some((id, highlight)) = slots[i].take() else {
                continue;
            };
            match unique.last_mut() {
                Some((kept_id, kept)) if last_key == Some(key) && *kept_id == id => {
                    if wins_over(&highlight, kept) {
                        *kept = highlight;
                    }
                }
                _ => unique.push((id, highlight)),
            }
            last_key = Some(key);
        }
        let mut annotations = Annotations {
            highlights: Arc::new(unique.into_iter().collect()),
            deleted,
            kept: Arc::default(),
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

    /// The map to change, copied first if another copy shares it.
    fn highlights_mut(&mut self) -> &mut Map {
        Arc::make_mut(&mut self.highlights)
    }

    /// Removes every highlight deleted at or after its last update.
    fn apply_deletions(&mut self) {
        let gone: Vec<&str> = self
            .deleted
            .iter()
            .filter(|(id, at)| {
                self.highlights
                    .get(id.as_str())
                    .is_some_and(|h| **at >= h.updated)
            })
            .map(|(id, _)| id.as_str())
            .collect();
        if gone.is_empty() {
            return;
        }
        let highlights = Arc::make_mut(&mut self.highlights);
        for id in gone {
            highlights.remove(id);
        }
    }
}

/// A highlight as the set keeps it: its id and itself, both shared.
type Entry = (Arc<str>, Arc<Highlight>);

fn entry(highlight: Highlight) -> Entry {
    (Arc::from(highlight.id.as_str()), Arc::new(highlight))
}

fn just_after(at: Timestamp) -> Timestamp {
    at.checked_add(SignedDuration::from_nanos(1)).unwrap_or(at)
}

#[cfg(test)]
mod tests;
