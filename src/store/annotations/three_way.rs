//! The three-way merge of two sets of highlights against the set both came
//! from: what gloss last read or wrote (the base), what it holds (ours) and
//! what another writer left (theirs). Comparing each side with the base, not
//! the two sides' clocks, tells who changed what: a highlight changed on one
//! side only takes that side's copy, whatever its `updated` says, and one
//! changed on both is combined field by field ([`super::fields`]).
//!
//! Copies of one set share their highlights, so a walk over 100,000 of them
//! mostly compares pointers; only the highlights `theirs` changed are looked
//! at closely.

use std::sync::Arc;

use jiff::Timestamp;

use super::fields::{FieldConflict, merge_fields};
use super::{Annotations, Map};
use crate::annotation::Highlight;

/// A highlight both sides changed, and the fields where they differed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub id: String,
    pub fields: Vec<FieldConflict>,
}

/// What a three-way merge made, and the highlights both sides changed.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    pub annotations: Annotations,
    pub conflicts: Vec<Conflict>,
    /// How many of our highlights the merge added, changed or removed.
    pub changed_ours: usize,
}

impl Annotations {
    /// Combines `ours` and `theirs`, both derived from `base`:
    ///
    /// * a highlight changed (added, edited, deleted) on one side only is
    ///   taken as that side has it;
    /// * one edited on both is combined field by field (see
    ///   [`super::fields`]), its `updated` the later of the two;
    /// * one deleted on one side and edited on the other is kept as edited,
    ///   since a deletion cannot have meant to drop what it never saw;
    /// * one missing from the base but on one side is new there, unless the
    ///   other side recorded its deletion at or after its last update;
    /// * deletion markers of both sides are kept (the later time of each), a
    ///   highlight removed from the file by hand gets one, and a highlight
    ///   that stays has none.
    #[must_use]
    pub fn merge3(base: &Annotations, ours: &Annotations, theirs: &Annotations) -> Merged {
        let mut merged = ours.clone();
        // What the file held that is not a readable highlight (spoiled
        // entries, unknown fields) comes with the file's side: at a save,
        // theirs is the file just read, whose text is written back.
        merged.kept = Arc::clone(&theirs.kept);
        for (id, &at) in &theirs.deleted {
            merged.record_deletion(id, at);
        }
        let mut conflicts = Vec::new();
        let mut changed_ours = 0;
        let theirs_unchanged = Arc::ptr_eq(&theirs.highlights, &base.highlights)
            || Arc::ptr_eq(&theirs.highlights, &ours.highlights);
        if !theirs_unchanged {
            // Start from the side most like the result: ours, or theirs
            // when ours is still the base, so that nothing is copied.
            let from_theirs = Arc::ptr_eq(&ours.highlights, &base.highlights);
            if from_theirs {
                merged.highlights = Arc::clone(&theirs.highlights);
            }
            let mut changes: Vec<(Arc<str>, Option<Arc<Highlight>>)> = Vec::new();
            for (id, b, t) in differences(&base.highlights, &theirs.highlights) {
                let o = ours.highlights.get(id);
                let decided = decide(id, [b, o, t], [base, ours, theirs]);
                if let Some(conflict) = decided.conflict {
                    conflicts.push(conflict);
                }
                if let Some(at) = decided.deleted_at {
                    merged.record_deletion(id, at);
                }
                if !same(decided.copy.as_ref(), o) {
                    changed_ours += 1;
                }
                let start = if from_theirs { t } else { o };
                if !same(decided.copy.as_ref(), start) {
                    changes.push((Arc::clone(id), decided.copy));
                }
            }
            if !changes.is_empty() {
                let highlights = merged.highlights_mut();
                for (id, copy) in changes {
                    match copy {
                        Some(copy) => highlights.insert(id, copy),
                        None => highlights.remove(&id),
                    };
                }
            }
        }
        merged.forget_markers_of_kept();
        Merged {
            annotations: merged,
            conflicts,
            changed_ours,
        }
    }

    /// Drops the deletion marker of every highlight that stays.
    fn forget_markers_of_kept(&mut self) {
        let highlights = &self.highlights;
        self.deleted
            .retain(|id, _| !highlights.contains_key(id.as_str()));
    }
}

/// What becomes of one highlight that `theirs` changed since the base.
struct Decided {
    /// The copy the result holds, if any.
    copy: Option<Arc<Highlight>>,
    /// A deletion to remember: the entry was removed from the file by hand.
    deleted_at: Option<Timestamp>,
    conflict: Option<Conflict>,
}

/// The fate of highlight `id`: `b` in the base, `o` ours, `t` theirs (the
/// copies in `sides`: base, ours, theirs), where `t` differs from `b`.
fn decide(id: &str, [b, o, t]: [Option<&Arc<Highlight>>; 3], sides: [&Annotations; 3]) -> Decided {
    let [base, ours, theirs] = sides;
    let plain = |copy: Option<&Arc<Highlight>>| Decided {
        copy: copy.cloned(),
        deleted_at: None,
        conflict: None,
    };
    // New on theirs, while ours recorded its deletion at or after that copy,
    // and not already in the base: a deletion the base knew of was seen by
    // whoever kept the highlight since (an edit kept over a deletion).
    let deleted_by = |side: &Annotations, copy: &Highlight| {
        side.deleted_at(id)
            .is_some_and(|at| at >= copy.updated && base.deleted_at(id) != Some(at))
    };
    if same(o, t) {
        return plain(o);
    }
    if same(o, b) {
        return match (t, b) {
            // Gone from the file with no marker: a person deleted the entry.
            (None, Some(b)) if theirs.deleted_at(id).is_none() => Decided {
                copy: None,
                deleted_at: Some(b.updated),
                conflict: None,
            },
            (Some(t), None) if deleted_by(ours, t) => plain(None),
            _ => plain(t),
        };
    }
    match (o, t) {
        // Edited on one side, deleted on the other: kept as edited.
        (Some(_), None) => plain(o),
        (None, Some(t)) if b.is_none() && deleted_by(ours, t) => plain(None),
        (None, Some(_)) => plain(t),
        (Some(o), Some(t)) => {
            let (merged, fields) = merge_fields(b.map(AsRef::as_ref), o, t);
            Decided {
                copy: Some(Arc::new(merged)),
                deleted_at: None,
                conflict: (!fields.is_empty()).then(|| Conflict {
                    id: id.to_owned(),
                    fields,
                }),
            }
        }
        (None, None) => plain(None),
    }
}

/// Whether two copies are the same highlight, sharing memory or not.
fn same(a: Option<&Arc<Highlight>>, b: Option<&Arc<Highlight>>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
        _ => false,
    }
}

/// An id with its copy in the base and in theirs (one may be missing).
type Difference<'a> = (
    &'a Arc<str>,
    Option<&'a Arc<Highlight>>,
    Option<&'a Arc<Highlight>>,
);

/// The ids whose copy differs between `base` and `theirs`, with both copies,
/// in id order: one walk side by side, comparing pointers first.
fn differences<'a>(base: &'a Map, theirs: &'a Map) -> Vec<Difference<'a>> {
    let mut found = Vec::new();
    let mut base_iter = base.iter().peekable();
    let mut theirs_iter = theirs.iter().peekable();
    loop {
        let order = match (base_iter.peek(), theirs_iter.peek()) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some((b_id, _)), Some((t_id, _))) => {
                if Arc::ptr_eq(b_id, t_id) {
                    std::cmp::Ordering::Equal
                } else {
                    b_id.cmp(t_id)
                }
            }
        };
        match order {
            std::cmp::Ordering::Less => {
                if let Some((id, b)) = base_iter.next() {
                    found.push((id, Some(b), None));
                }
            }
            std::cmp::Ordering::Greater => {
                if let Some((id, t)) = theirs_iter.next() {
                    found.push((id, None, Some(t)));
                }
            }
            std::cmp::Ordering::Equal => {
                if let (Some((id, b)), Some((_, t))) = (base_iter.next(), theirs_iter.next())
                    && !same(Some(b), Some(t))
                {
                    found.push((id, Some(b), Some(t)));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests;
