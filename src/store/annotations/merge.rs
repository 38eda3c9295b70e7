//! Which of another set's highlights a merge takes: those missing here and
//! those whose copy wins over the one here. Two sets of 100,000 highlights
//! are walked side by side in id order, in ranges of ids on several threads,
//! rather than looking each id up.

use std::ops::Bound;
use std::sync::Arc;

use super::{Entry, Map};
use crate::annotation::Highlight;

/// Below this many highlights in the other set, one thread walks them all.
const PARALLEL_FROM: usize = 8192;

/// The entries of `theirs` that `ours` should take, in id order.
pub(super) fn taken_from(ours: &Map, theirs: &Map) -> Vec<Entry> {
    if theirs.len() < ours.len() / 16 {
        // A few highlights into many: looking each up is quicker than a walk.
        return theirs
            .iter()
            .filter(|(id, copy)| takes(copy, ours.get(*id)))
            .map(|(id, copy)| (Arc::clone(id), Arc::clone(copy)))
            .collect();
    }
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let parts = if theirs.len() < PARALLEL_FROM {
        1
    } else {
        threads.min(8)
    };
    let ranges = id_ranges(theirs, parts);
    let Some((first, others)) = ranges.split_first() else {
        return Vec::new();
    };
    let walk_range = |range: (Bound<&str>, Bound<&str>)| {
        walk(ours.range::<str, _>(range), theirs.range::<str, _>(range))
    };
    std::thread::scope(|scope| {
        let workers: Vec<_> = others
            .iter()
            .map(|&range| scope.spawn(move || walk_range(range)))
            .collect();
        let mut taken = walk_range(*first);
        for worker in workers {
            match worker.join() {
                Ok(part) => taken.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        taken
    })
}

/// `parts` ranges of ids that together cover every id, each holding about
/// as many of `theirs`.
fn id_ranges(theirs: &Map, parts: usize) -> Vec<(Bound<&str>, Bound<&str>)> {
    let step = theirs.len().div_ceil(parts.max(1)).max(1);
    let cuts: Vec<&str> = theirs
        .keys()
        .step_by(step)
        .skip(1)
        .map(|id| &**id)
        .collect();
    let starts =
        std::iter::once(Bound::Unbounded).chain(cuts.iter().map(|&cut| Bound::Included(cut)));
    let ends = cuts
        .iter()
        .map(|&cut| Bound::Excluded(cut))
        .chain(std::iter::once(Bound::Unbounded));
    starts.zip(ends).collect()
}

/// Both sets' highlights in one range of ids, side by side.
fn walk<'a>(
    ours: impl Iterator<Item = (&'a Arc<str>, &'a Arc<Highlight>)>,
    theirs: impl Iterator<Item = (&'a Arc<str>, &'a Arc<Highlight>)>,
) -> Vec<Entry> {
    let mut ours = ours.peekable();
    let mut taken = Vec::new();
    for (id, copy) in theirs {
        // Copies of one set share their ids, so most steps compare pointers.
        while ours
            .next_if(|(our_id, _)| !Arc::ptr_eq(our_id, id) && ***our_id < **id)
            .is_some()
        {}
        let same_id = ours
            .peek()
            .filter(|(our_id, _)| Arc::ptr_eq(our_id, id) || *our_id == id)
            .map(|(_, our_copy)| *our_copy);
        if takes(copy, same_id) {
            taken.push((Arc::clone(id), Arc::clone(copy)));
        }
    }
    taken
}

fn takes(theirs: &Arc<Highlight>, ours: Option<&Arc<Highlight>>) -> bool {
    match ours {
        None => true,
        Some(ours) => !Arc::ptr_eq(ours, theirs) && wins_over(theirs, ours),
    }
}

/// Whether `candidate` should replace `current` (same id). The later update
/// wins; two different copies updated at the same instant are ordered by their
/// content so every instance picks the same one.
pub(super) fn wins_over(candidate: &Highlight, current: &Highlight) -> bool {
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::annotations::arbitrary::fixed_highlight;
    use crate::store::annotations::entry;

    fn map_of(highlights: impl IntoIterator<Item = Highlight>) -> Map {
        highlights.into_iter().map(entry).collect()
    }

    fn numbered(n: usize, note: &str) -> Highlight {
        let mut highlight = fixed_highlight();
        highlight.id = format!("h-{n:08}");
        highlight.note = note.into();
        highlight
    }

    #[test]
    fn ranges_cover_every_id_once() {
        let theirs = map_of((0..100).map(|n| numbered(n, "")));
        for parts in 1..=7 {
            let ranges = id_ranges(&theirs, parts);
            assert_eq!(ranges.len(), parts.min(100));
            let counted: usize = ranges
                .iter()
                .map(|&range| theirs.range::<str, _>(range).count())
                .sum();
            assert_eq!(counted, 100, "{parts} parts");
        }
        assert_eq!(id_ranges(&Map::new(), 3).len(), 1);
    }

    #[test]
    fn a_walk_in_parallel_takes_what_lookups_take() {
        // Every third highlight differs; ids on both sides and on one only.
        let ours = map_of(
            (0..3 * PARALLEL_FROM)
                .filter(|n| n % 5 != 0)
                .map(|n| numbered(n, "ours")),
        );
        let theirs = map_of((0..3 * PARALLEL_FROM).filter(|n| n % 7 != 0).map(|n| {
            let mut copy = numbered(n, if n % 3 == 0 { "theirs" } else { "ours" });
            copy.updated += jiff::SignedDuration::from_secs((n % 2) as i64);
            copy
        }));
        let walked = taken_from(&ours, &theirs);
        let looked_up: Vec<Entry> = theirs
            .iter()
            .filter(|(id, copy)| takes(copy, ours.get(*id)))
            .map(|(id, copy)| (Arc::clone(id), Arc::clone(copy)))
            .collect();
        assert!(!walked.is_empty());
        assert_eq!(walked, looked_up);
    }
}
