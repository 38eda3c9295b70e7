//! How one highlight changed on both sides of a three-way merge is combined,
//! field by field. [`FIELDS`] is the whole policy, one line per field: a
//! field changed on one side only takes that side; a field changed on both
//! follows its [`Rule`]. Nothing a person typed is dropped: two notes are
//! both kept inside the note, marked as a conflict; two sets of tags are
//! combined.
//!
//! A side's change counts as a person's when that side's `updated` moved away
//! from the base's; a machine repair (re-anchoring) leaves `updated` alone.
//! So for a field both sides changed, a person's change beats a repair, then
//! the later `updated` wins, then a fixed order of the two values decides (so
//! every instance picks the same), whatever the field is.

use std::cmp::Ordering;

use crate::annotation::Highlight;

/// What to do with a field that both sides changed.
enum Rule {
    /// One side's value: a person's change over a repair, then the later
    /// `updated`, then the greater value in this order.
    Latest(fn(&Highlight, &Highlight) -> Ordering),
    /// Both texts kept in the note, marked as a conflict.
    BothTexts,
    /// The tags each side added, less those either side removed.
    Combined,
}

/// One field of a highlight and how a merge treats it.
struct Field {
    name: &'static str,
    same: fn(&Highlight, &Highlight) -> bool,
    take: fn(&mut Highlight, &Highlight),
    rule: Rule,
}

/// Every field but `id` (the key) and `updated` (the later of the two).
/// A new field of [`Highlight`] is one more line here.
const FIELDS: &[Field] = &[
    Field {
        name: "article",
        same: |a, b| a.article == b.article,
        take: |to, from| to.article.clone_from(&from.article),
        rule: Rule::Latest(|a, b| a.article.cmp(&b.article)),
    },
    // Rewritten by re-anchoring (a repair) as well as by people.
    Field {
        name: "anchor",
        same: |a, b| a.text_hash == b.text_hash && a.anchor == b.anchor,
        take: |to, from| {
            to.text_hash.clone_from(&from.text_hash);
            to.anchor.clone_from(&from.anchor);
        },
        rule: Rule::Latest(|a, b| anchor_order(a).cmp(&anchor_order(b))),
    },
    // Where the highlight is in the article now (`None` while the original
    // anchor still fits). Found by re-anchoring (a repair) or set by the
    // person (accepted, re-attached): a person's placement wins, by the
    // person rule of `Latest` and, between equals, by this order.
    Field {
        name: "placement",
        same: |a, b| a.placement == b.placement,
        take: |to, from| to.placement.clone_from(&from.placement),
        rule: Rule::Latest(|a, b| placement_order(a).cmp(&placement_order(b))),
    },
    Field {
        name: "colour",
        same: |a, b| a.color == b.color,
        take: |to, from| to.color = from.color,
        rule: Rule::Latest(|a, b| a.color.cmp(&b.color)),
    },
    Field {
        name: "tags",
        same: |a, b| a.tags == b.tags,
        take: |to, from| to.tags.clone_from(&from.tags),
        rule: Rule::Combined,
    },
    Field {
        name: "note",
        same: |a, b| a.note == b.note,
        take: |to, from| to.note.clone_from(&from.note),
        rule: Rule::BothTexts,
    },
    Field {
        name: "created",
        same: |a, b| a.created == b.created,
        take: |to, from| to.created = from.created,
        rule: Rule::Latest(|a, b| b.created.cmp(&a.created)),
    },
];

fn placement_order(h: &Highlight) -> Option<(bool, &str, usize, usize, &str)> {
    h.placement.as_ref().map(|place| {
        let position = &place.anchor.position;
        (
            place.state.by_person(),
            place.text_hash.as_str(),
            position.start,
            position.end,
            place.anchor.quote.exact.as_str(),
        )
    })
}

fn anchor_order(h: &Highlight) -> (&str, usize, usize, &str, &str, &str) {
    let (quote, position) = (&h.anchor.quote, &h.anchor.position);
    (
        &h.text_hash,
        position.start,
        position.end,
        &quote.exact,
        &quote.prefix,
        &quote.suffix,
    )
}

/// A field both sides changed, and whether one side's value was set aside
/// (`false` when both were kept, as two notes or combined tags are).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldConflict {
    pub field: &'static str,
    pub one_kept: bool,
}

/// `ours` and `theirs` (same id, both changed since `base`, or both new when
/// there is no base) combined field by field, with the fields both changed.
pub(super) fn merge_fields(
    base: Option<&Highlight>,
    ours: &Highlight,
    theirs: &Highlight,
) -> (Highlight, Vec<FieldConflict>) {
    let mut merged = ours.clone();
    merged.updated = ours.updated.max(theirs.updated);
    let mut conflicts = Vec::new();
    for field in FIELDS {
        if (field.same)(ours, theirs) {
            continue;
        }
        let changed = |side: &Highlight| base.is_none_or(|base| !(field.same)(base, side));
        if !changed(theirs) {
            continue;
        }
        if !changed(ours) {
            (field.take)(&mut merged, theirs);
            continue;
        }
        let one_kept = match field.rule {
            Rule::Latest(order) => {
                if prefer_theirs(base, ours, theirs, order) {
                    (field.take)(&mut merged, theirs);
                }
                true
            }
            Rule::BothTexts => {
                merged.note = both_notes(ours, theirs);
                false
            }
            Rule::Combined => {
                merged.tags = combined_tags(base.map(|b| b.tags.as_slice()), ours, theirs);
                false
            }
        };
        conflicts.push(FieldConflict {
            field: field.name,
            one_kept,
        });
    }
    (merged, conflicts)
}

/// For a field both changed: whether `theirs`'s value is kept over `ours`'s.
fn prefer_theirs(
    base: Option<&Highlight>,
    ours: &Highlight,
    theirs: &Highlight,
    order: fn(&Highlight, &Highlight) -> Ordering,
) -> bool {
    let by_person = |side: &Highlight| base.is_none_or(|base| side.updated != base.updated);
    by_person(theirs)
        .cmp(&by_person(ours))
        .then(theirs.updated.cmp(&ours.updated))
        .then_with(|| order(theirs, ours))
        .is_gt()
}

/// The first line of the marker put before our version of a note that was
/// also changed elsewhere; `=======` separates it from theirs, and a line
/// starting with `>>>>>>>` ends it, as in a file git could not merge.
pub const CONFLICT_START: &str = "<<<<<<< ";

/// Both notes, unless one already holds the other or is empty (then nothing
/// typed is lost by keeping just the longer).
fn both_notes(ours: &Highlight, theirs: &Highlight) -> String {
    let (a, b) = (&ours.note, &theirs.note);
    if b.trim().is_empty() || a.contains(b.as_str()) {
        return a.clone();
    }
    if a.trim().is_empty() || b.contains(a.as_str()) {
        return b.clone();
    }
    let when = |h: &Highlight| h.updated.strftime("%Y-%m-%d %H:%M:%S UTC").to_string();
    format!(
        "{CONFLICT_START}this copy, changed {}\n{a}\n=======\n{b}\n>>>>>>> the copy in annotations.ron, changed {}",
        when(ours),
        when(theirs)
    )
}

/// Our tags, less those `theirs` removed from the base, then those it added,
/// compared without regard to case. Without a base, every tag of both.
fn combined_tags(base: Option<&[String]>, ours: &Highlight, theirs: &Highlight) -> Vec<String> {
    let key = |tag: &String| tag.to_lowercase();
    let has = |tags: &[String], tag: &String| tags.iter().any(|t| key(t) == key(tag));
    let base = base.unwrap_or(&[]);
    let mut tags: Vec<String> = ours
        .tags
        .iter()
        .filter(|tag| !has(base, tag) || has(&theirs.tags, tag))
        .cloned()
        .collect();
    for tag in &theirs.tags {
        if !has(base, tag) && !has(&tags, tag) {
            tags.push(tag.clone());
        }
    }
    tags
}
