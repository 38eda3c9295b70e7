//! The set of highlights: merging from either side, deletions and undo, tags,
//! reading order, duplicates in a file, and copies sharing the set.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::store::annotations::arbitrary::{at, plain_highlight as highlight};

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
fn a_snapshot_shares_the_set_until_either_changes() {
    let mut live = set([highlight("h-1", 1), highlight("h-2", 1)]);
    let snapshot = live.clone();
    assert!(Arc::ptr_eq(&live.highlights, &snapshot.highlights));
    live.upsert(highlight("h-3", 2));
    live.remove("h-1", at(3));
    assert!(!Arc::ptr_eq(&live.highlights, &snapshot.highlights));
    assert_eq!(snapshot.len(), 2);
    assert!(snapshot.get("h-1").is_some());
    let kept = |set: &Annotations| Arc::clone(set.highlights.get("h-2").unwrap());
    assert!(
        Arc::ptr_eq(&kept(&live), &kept(&snapshot)),
        "highlights stay shared"
    );
}

#[test]
fn merging_nothing_new_and_removing_nothing_copy_nothing() {
    let mut live = set([highlight("h-1", 1), highlight("h-2", 1)]);
    let saved = live.clone();
    let before = Arc::clone(&live.highlights);
    live.merge(&saved);
    live.remove("h-absent", at(5));
    assert!(Arc::ptr_eq(&live.highlights, &before));
    assert_eq!(live.deleted_at("h-absent"), Some(at(5)));
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
