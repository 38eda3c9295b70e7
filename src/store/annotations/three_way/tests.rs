//! The three-way merge: a change on one side wins whatever the clocks say,
//! both sides' changes to one highlight are combined field by field, a
//! machine repair never beats a person, and deletions against edits.

#![allow(clippy::unwrap_used)]

use jiff::SignedDuration;

use super::*;
use crate::annotation::{Color, TextAnchor, TextPosition, TextQuote};
use crate::store::annotations::CONFLICT_START;
use crate::store::annotations::arbitrary::{at, plain_highlight as highlight};

fn set(highlights: impl IntoIterator<Item = Highlight>) -> Annotations {
    let mut annotations = Annotations::new();
    for h in highlights {
        annotations.upsert(h);
    }
    annotations
}

/// `base` with `change` applied to a copy of highlight `id`.
fn edited(base: &Annotations, id: &str, change: impl FnOnce(&mut Highlight)) -> Annotations {
    let mut copy = base.get(id).unwrap().clone();
    change(&mut copy);
    let mut side = base.clone();
    side.upsert(copy);
    side
}

/// What the app's re-anchoring does: a new place, `updated` untouched.
fn repaired(h: &mut Highlight, start: usize) {
    h.text_hash = format!("{start:016}");
    h.anchor = TextAnchor {
        quote: TextQuote {
            exact: "moved".into(),
            ..TextQuote::default()
        },
        position: TextPosition {
            block: 1,
            start,
            end: start + 5,
        },
    };
}

#[test]
fn a_hand_edit_with_the_same_updated_time_is_kept() {
    // The file's copy of h-2 was edited by hand without touching `updated`;
    // this side changed only h-1. The old merge kept our h-2 (same time).
    let base = set([highlight("h-1", 1), highlight("h-2", 1)]);
    let ours = edited(&base, "h-1", |h| {
        h.note = "mine".into();
        h.updated = at(5);
    });
    let theirs = edited(&base, "h-2", |h| h.note = "typed in an editor".into());
    let merged = Annotations::merge3(&base, &ours, &theirs);
    assert_eq!(merged.annotations.get("h-1").unwrap().note, "mine");
    assert_eq!(
        merged.annotations.get("h-2").unwrap().note,
        "typed in an editor"
    );
    assert!(merged.conflicts.is_empty());
}

#[test]
fn a_change_made_now_wins_over_a_copy_stamped_in_the_future() {
    let future = 30 * 24 * 3600;
    let base = set([highlight("h-1", future)]);
    let ours = edited(&base, "h-1", |h| {
        h.note = "changed now".into();
        h.color = Color::Pink;
        h.updated = at(10);
    });
    // The file is still the copy the change was made from.
    let merged = Annotations::merge3(&base, &ours, &base.clone());
    let h = merged.annotations.get("h-1").unwrap();
    assert_eq!((h.note.as_str(), h.color), ("changed now", Color::Pink));
    // And when the file holds it as a separate, equal copy (read back).
    let read_back = set([highlight("h-1", future)]);
    let merged = Annotations::merge3(&base, &ours, &read_back);
    let h = merged.annotations.get("h-1").unwrap();
    assert_eq!((h.note.as_str(), h.color), ("changed now", Color::Pink));
}

#[test]
fn two_notes_written_at_once_are_both_kept_and_told() {
    let base = set([highlight("h-1", 1)]);
    let ours = edited(&base, "h-1", |h| {
        h.note = "ours\nsecond line".into();
        h.updated = at(3);
    });
    let theirs = edited(&base, "h-1", |h| {
        h.note = "theirs".into();
        h.updated = at(2);
    });
    let merged = Annotations::merge3(&base, &ours, &theirs);
    let note = &merged.annotations.get("h-1").unwrap().note;
    assert!(note.starts_with(CONFLICT_START), "{note}");
    assert!(
        note.contains("ours\nsecond line\n=======\ntheirs\n>>>>>>>"),
        "{note}"
    );
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(merged.conflicts[0].id, "h-1");
    assert_eq!(merged.conflicts[0].fields[0].field, "note");
    assert!(!merged.conflicts[0].fields[0].one_kept);
    assert_eq!(merged.annotations.get("h-1").unwrap().updated, at(3));
}

#[test]
fn a_note_that_holds_the_other_is_kept_alone() {
    let base = set([highlight("h-1", 1)]);
    let ours = edited(&base, "h-1", |h| h.note = "start".into());
    let theirs = edited(&base, "h-1", |h| h.note = "start, and more".into());
    let merged = Annotations::merge3(&base, &ours, &theirs);
    assert_eq!(
        merged.annotations.get("h-1").unwrap().note,
        "start, and more"
    );
}

#[test]
fn tags_changed_on_both_sides_combine_keeping_removals() {
    let mut start = highlight("h-1", 1);
    start.tags = vec!["a".into(), "b".into()];
    let base = set([start]);
    let ours = edited(&base, "h-1", |h| {
        h.tags.push("c".into());
        h.updated = at(2);
    });
    let theirs = edited(&base, "h-1", |h| {
        h.tags = vec!["b".into(), "d".into()];
        h.updated = at(3);
    });
    let merged = Annotations::merge3(&base, &ours, &theirs);
    assert_eq!(merged.annotations.get("h-1").unwrap().tags, ["b", "c", "d"]);
}

#[test]
fn fields_changed_on_different_sides_are_both_kept() {
    let base = set([highlight("h-1", 1)]);
    let ours = edited(&base, "h-1", |h| {
        h.color = Color::Blue;
        h.updated = at(9);
    });
    let theirs = edited(&base, "h-1", |h| {
        h.note = "older, but a different field".into();
        h.updated = at(2);
    });
    let merged = Annotations::merge3(&base, &ours, &theirs);
    let h = merged.annotations.get("h-1").unwrap();
    assert_eq!(h.color, Color::Blue);
    assert_eq!(h.note, "older, but a different field");
    assert!(merged.conflicts.is_empty());
}

#[test]
fn the_later_colour_wins_when_both_people_changed_it() {
    let base = set([highlight("h-1", 1)]);
    let ours = edited(&base, "h-1", |h| {
        h.color = Color::Blue;
        h.updated = at(2);
    });
    let theirs = edited(&base, "h-1", |h| {
        h.color = Color::Green;
        h.updated = at(3);
    });
    let one = Annotations::merge3(&base, &ours, &theirs);
    let other = Annotations::merge3(&base, &theirs, &ours);
    assert_eq!(one.annotations.get("h-1").unwrap().color, Color::Green);
    assert_eq!(one.annotations, other.annotations);
    assert!(one.conflicts[0].fields[0].one_kept);
}

#[test]
fn a_repair_never_wins_over_a_persons_change_of_the_same_field() {
    // Whichever value sorts first, the person's anchor is kept, and a
    // repaired anchor beside a person's note change keeps both.
    for (repair_at, person_at) in [(10, 90), (90, 10)] {
        let base = set([highlight("h-1", 1)]);
        let ours = edited(&base, "h-1", |h| repaired(h, repair_at));
        let theirs = edited(&base, "h-1", |h| {
            repaired(h, person_at);
            h.note = "moved by hand".into();
            h.updated = at(2);
        });
        for merged in [
            Annotations::merge3(&base, &ours, &theirs),
            Annotations::merge3(&base, &theirs, &ours),
        ] {
            let h = merged.annotations.get("h-1").unwrap();
            assert_eq!(h.anchor.position.start, person_at);
            assert_eq!(h.note, "moved by hand");
        }
    }
    let base = set([highlight("h-1", 1)]);
    let ours = edited(&base, "h-1", |h| repaired(h, 40));
    let theirs = edited(&base, "h-1", |h| {
        h.color = Color::Purple;
        h.updated = at(2);
    });
    let merged = Annotations::merge3(&base, &ours, &theirs);
    let h = merged.annotations.get("h-1").unwrap();
    assert_eq!((h.anchor.position.start, h.color), (40, Color::Purple));
    assert!(merged.conflicts.is_empty());
}

#[test]
fn deleted_on_one_side_and_untouched_on_the_other_is_deleted() {
    let base = set([highlight("h-1", 1), highlight("h-2", 1)]);
    let mut ours = base.clone();
    ours.remove("h-1", at(4));
    let merged = Annotations::merge3(&base, &ours, &base.clone());
    assert!(merged.annotations.get("h-1").is_none());
    assert_eq!(merged.annotations.deleted_at("h-1"), Some(at(4)));
    // The same from the other side.
    let merged = Annotations::merge3(&base, &base.clone(), &ours);
    assert!(merged.annotations.get("h-1").is_none());
    assert_eq!(merged.annotations.deleted_at("h-1"), Some(at(4)));
    assert!(merged.annotations.get("h-2").is_some());
}

#[test]
fn deleted_on_one_side_and_edited_on_the_other_keeps_the_edit() {
    let base = set([highlight("h-1", 1)]);
    let mut ours = base.clone();
    // Deleted later than the edit was made: the edit is kept all the same.
    ours.remove("h-1", at(50));
    let theirs = edited(&base, "h-1", |h| {
        h.note = "written meanwhile".into();
        h.updated = at(3);
    });
    for merged in [
        Annotations::merge3(&base, &ours, &theirs),
        Annotations::merge3(&base, &theirs, &ours),
    ] {
        let kept = merged.annotations.get("h-1").unwrap();
        assert_eq!(kept.note, "written meanwhile");
        assert_eq!(merged.annotations.deleted_at("h-1"), None);
    }
}

#[test]
fn an_edit_kept_over_a_deletion_survives_the_next_round_trip() {
    // The saver keeps theirs's edit over our deletion; the app then merges
    // that result into what it holds (its snapshot as the base), and saves
    // again: the highlight must stay through both.
    let base = set([highlight("h-1", 1)]);
    let mut ours = base.clone();
    ours.remove("h-1", at(50));
    let theirs = edited(&base, "h-1", |h| {
        h.note = "written meanwhile".into();
        h.updated = at(3);
    });
    let saved = Annotations::merge3(&base, &ours, &theirs).annotations;
    assert!(saved.get("h-1").is_some());
    let live = Annotations::merge3(&ours, &ours.clone(), &saved).annotations;
    assert_eq!(live.get("h-1").unwrap().note, "written meanwhile");
    let again = Annotations::merge3(&saved, &live, &saved.clone()).annotations;
    assert_eq!(again.get("h-1").unwrap().note, "written meanwhile");
}

#[test]
fn an_entry_removed_from_the_file_by_hand_is_deleted_and_marked() {
    let base = set([highlight("h-1", 1), highlight("h-2", 1)]);
    let theirs = set([highlight("h-2", 1)]);
    let merged = Annotations::merge3(&base, &base.clone(), &theirs);
    assert!(merged.annotations.get("h-1").is_none());
    assert_eq!(merged.annotations.deleted_at("h-1"), Some(at(1)));
}

#[test]
fn new_highlights_on_either_side_are_kept_unless_the_other_deleted_them() {
    let base = set([highlight("h-1", 1)]);
    let mut ours = base.clone();
    ours.upsert(highlight("h-ours", 2));
    let mut theirs = base.clone();
    theirs.upsert(highlight("h-theirs", 2));
    theirs.upsert(highlight("h-gone", 2));
    // Ours had seen h-gone (outside this base) and deleted it since.
    ours.remove("h-gone", at(3));
    let merged = Annotations::merge3(&base, &ours, &theirs);
    assert!(merged.annotations.get("h-ours").is_some());
    assert!(merged.annotations.get("h-theirs").is_some());
    assert!(merged.annotations.get("h-gone").is_none());
}

#[test]
fn a_side_still_at_the_base_takes_the_other_without_copying() {
    let base = set((0..50).map(|n| highlight(&format!("h-{n:02}"), 1)));
    let theirs = edited(&base, "h-07", |h| h.note = "there".into());
    let merged = Annotations::merge3(&base, &base.clone(), &theirs);
    assert!(Arc::ptr_eq(
        &merged.annotations.highlights,
        &theirs.highlights
    ));
    let merged = Annotations::merge3(&base, &theirs, &base.clone());
    assert!(Arc::ptr_eq(
        &merged.annotations.highlights,
        &theirs.highlights
    ));
}

#[test]
fn without_a_base_differing_copies_are_combined_and_nothing_typed_is_lost() {
    let mut a = highlight("h-1", 1);
    a.note = "one".into();
    let mut b = highlight("h-1", 1);
    b.note = "two".into();
    b.updated += SignedDuration::from_secs(1);
    let merged = Annotations::merge3(&Annotations::new(), &set([a]), &set([b]));
    let note = &merged.annotations.get("h-1").unwrap().note;
    assert!(note.contains("one") && note.contains("two"), "{note}");
}

mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::store::annotations::arbitrary::any_highlight;

    /// One side's edit of highlight number `index` (modulo the count).
    #[derive(Debug, Clone)]
    enum Edit {
        Note(usize, String),
        Colour(usize, usize),
        Delete(usize),
        Add(Box<Highlight>),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            (any::<usize>(), "[a-z ]{0,8}").prop_map(|(i, note)| Edit::Note(i, note)),
            (any::<usize>(), 0usize..5).prop_map(|(i, c)| Edit::Colour(i, c)),
            any::<usize>().prop_map(Edit::Delete),
            any_highlight().prop_map(|h| Edit::Add(Box::new(h))),
        ]
    }

    fn base() -> impl Strategy<Value = Annotations> {
        prop::collection::vec(any_highlight(), 0..8).prop_map(|highlights| {
            let mut base = Annotations::new();
            for (n, mut h) in highlights.into_iter().enumerate() {
                h.id = format!("h-base-{n}");
                base.upsert(h);
            }
            base
        })
    }

    /// `base` with `edits` applied, as a person would (new times), and the
    /// ids touched.
    fn apply(base: &Annotations, edits: &[Edit], side: &str) -> (Annotations, Vec<String>) {
        let ids: Vec<String> = base.iter().map(|h| h.id.clone()).collect();
        let mut out = base.clone();
        let mut touched = Vec::new();
        let later = |h: &Highlight| {
            h.updated
                .checked_add(SignedDuration::from_secs(1))
                .unwrap_or(h.updated)
        };
        for (n, edit) in edits.iter().enumerate() {
            let pick = |i: &usize| (!ids.is_empty()).then(|| ids[i % ids.len()].clone());
            match edit {
                Edit::Note(i, _) | Edit::Colour(i, _) if pick(i).is_some() => {
                    let id = pick(i).unwrap_or_default();
                    let Some(mut h) = out.get(&id).cloned() else {
                        continue;
                    };
                    match edit {
                        Edit::Note(_, note_text) => h.note.clone_from(note_text),
                        Edit::Colour(_, c) => h.color = Color::ALL[*c],
                        _ => {}
                    }
                    h.updated = later(&h);
                    out.upsert(h);
                    touched.push(id);
                }
                Edit::Delete(i) if pick(i).is_some() => {
                    let id = pick(i).unwrap_or_default();
                    if let Some(h) = out.get(&id).cloned() {
                        out.remove(&id, later(&h));
                        touched.push(id);
                    }
                }
                Edit::Add(h) => {
                    let mut h = (**h).clone();
                    h.id = format!("h-{side}-{n}");
                    touched.push(h.id.clone());
                    out.upsert(h);
                }
                _ => {}
            }
        }
        (out, touched)
    }

    proptest! {
        #[test]
        fn what_one_side_alone_changed_is_what_the_merge_holds(
            base in base(),
            ours_edits in prop::collection::vec(edit(), 0..6),
            theirs_edits in prop::collection::vec(edit(), 0..6),
        ) {
            let (ours, ours_touched) = apply(&base, &ours_edits, "ours");
            let (theirs, theirs_touched) = apply(&base, &theirs_edits, "theirs");
            let merged = Annotations::merge3(&base, &ours, &theirs).annotations;
            let flipped = Annotations::merge3(&base, &theirs, &ours).annotations;
            for h in base.iter().chain(ours.iter()).chain(theirs.iter()) {
                let id = h.id.as_str();
                let (by_ours, by_theirs) = (ours_touched.iter().any(|t| t == id), theirs_touched.iter().any(|t| t == id));
                let expected = match (by_ours, by_theirs) {
                    (true, false) => ours.get(id),
                    (false, true) => theirs.get(id),
                    (false, false) => base.get(id),
                    (true, true) => continue,
                };
                prop_assert_eq!(merged.get(id), expected, "{}", id);
                prop_assert_eq!(flipped.get(id), expected, "{}", id);
            }
            // Nothing both edited is lost: a note either side typed (one
            // that differs from the base's) is in the result.
            for id in ours_touched.iter().filter(|id| theirs_touched.contains(id)) {
                let before = base.get(id).map(|h| h.note.clone());
                for side in [&ours, &theirs] {
                    let typed = |h: &&Highlight| Some(&h.note) != before.as_ref() && !h.note.trim().is_empty();
                    if let Some(h) = side.get(id).filter(typed) {
                        let kept = merged.get(id).map(|m| m.note.clone()).unwrap_or_default();
                        prop_assert!(kept.contains(&h.note), "{:?} lost from {:?}", h.note, kept);
                    }
                }
            }
            // The reader that saved `ours` takes the result in (its snapshot as
            // the base) and ends up with what the file has; saving that again
            // changes nothing.
            let live = Annotations::merge3(&ours, &ours.clone(), &merged).annotations;
            prop_assert_eq!(live.iter().collect::<Vec<_>>(), merged.iter().collect::<Vec<_>>());
            let again = Annotations::merge3(&merged, &live, &merged.clone()).annotations;
            prop_assert_eq!(again.iter().collect::<Vec<_>>(), merged.iter().collect::<Vec<_>>());
            // Unchanged in the file: the merge is ours.
            let unchanged = Annotations::merge3(&base, &ours, &base.clone()).annotations;
            prop_assert_eq!(unchanged.iter().collect::<Vec<_>>(), ours.iter().collect::<Vec<_>>());
        }
    }
}

/// A placement at `start` in text `hash`, set by gloss or by the person.
fn place(
    hash: &str,
    start: usize,
    state: crate::annotation::PlaceState,
) -> crate::annotation::CurrentPlace {
    crate::annotation::CurrentPlace {
        text_hash: hash.into(),
        anchor: TextAnchor {
            quote: TextQuote {
                exact: "quote".into(),
                ..TextQuote::default()
            },
            position: TextPosition {
                block: 0,
                start,
                end: start + 5,
            },
        },
        state,
    }
}

#[test]
fn a_placement_the_person_chose_beats_one_gloss_found_from_either_side() {
    use crate::annotation::PlaceState;
    let base = set([highlight("h-1", 1)]);
    // Ours re-anchored by gloss (a repair: `updated` unchanged); theirs
    // re-attached by the person in another window (`updated` moved).
    let ours = edited(&base, "h-1", |h| {
        h.placement = Some(place("aaaa", 900, PlaceState::Fuzzy));
    });
    let theirs = edited(&base, "h-1", |h| {
        h.placement = Some(place("aaaa", 10, PlaceState::Reattached));
        h.updated = at(5);
    });
    for (one, other) in [(&ours, &theirs), (&theirs, &ours)] {
        let merged = Annotations::merge3(&base, one, other).annotations;
        let kept = merged.get("h-1").unwrap().placement.clone().unwrap();
        assert_eq!(kept.state, PlaceState::Reattached);
        assert_eq!(kept.anchor.position.start, 10);
    }
    // And a repair never touches the original quote the person chose.
    let merged = Annotations::merge3(&base, &ours, &theirs).annotations;
    assert_eq!(merged.get("h-1").unwrap().anchor, TextAnchor::default());
}
