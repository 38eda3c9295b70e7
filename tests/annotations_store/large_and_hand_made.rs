//! Files large enough to be read in pieces, written in blocks and merged in
//! ranges of ids on several threads, which must give what a small file gives;
//! and files laid out by hand rather than by gloss, which must load the same.

use gloss::annotation::Highlight;
use gloss::store::annotations::{Annotations, load, save_merged};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use super::{data_file, numbered, store_of};

/// The file as any RON reader sees it, read here with `ron` itself.
#[derive(Deserialize)]
struct AsRonReadsIt {
    version: u32,
    highlights: Vec<Highlight>,
    deleted: std::collections::BTreeMap<String, Timestamp>,
}

/// Highlights whose text looks like the file's own structure: a note with a
/// whole highlight in it, quotes that need raw strings, brackets, line breaks.
fn awkward(n: usize) -> Highlight {
    let mut highlight = numbered("big", n);
    if n.is_multiple_of(97) {
        highlight.note = format!(
            "a copied entry:\n        (\n            id: \"h-fake{n}\",\n            article: \"x\",\n        ),\n    ],\n"
        );
    }
    if n.is_multiple_of(13) {
        highlight.anchor.quote.exact = format!("\"#{n}\"## r#\"raw\"# \\ ({n}) [{n}]");
    }
    highlight
}

fn large_store() -> Annotations {
    let mut annotations = Annotations::new();
    for n in 0..6000 {
        annotations.upsert(awkward(n));
    }
    annotations.remove("h-gone", Timestamp::now());
    annotations
}

#[test]
fn a_large_store_saves_as_ron_and_loads_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    let annotations = large_store();
    let saved = save_merged(&path, &annotations).unwrap().annotations;
    assert_eq!(saved, annotations);

    let loaded = load(&path);
    assert!(loaded.problem.is_none(), "{:?}", loaded.problem);
    assert_eq!(loaded.annotations, annotations);

    let text = std::fs::read_to_string(&path).unwrap();
    let file: AsRonReadsIt = ron::from_str(&text).unwrap();
    assert_eq!(file.version, 1);
    assert_eq!(file.highlights.len(), 6000);
    assert!(file.deleted.contains_key("h-gone"));
    for highlight in &file.highlights {
        assert_eq!(annotations.get(&highlight.id), Some(highlight));
    }
}

#[test]
fn a_large_save_keeps_what_another_instance_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    let ours = large_store();
    save_merged(&path, &ours).unwrap();

    // Another instance edits one highlight in fifty, deletes a few and adds
    // some, then saves.
    let mut theirs = load(&path).annotations;
    let later = Timestamp::now() + SignedDuration::from_secs(1);
    let mut edits = Vec::new();
    for n in (0..6000).step_by(50) {
        let mut edited = awkward(n);
        edited.note = format!("edited elsewhere {n}");
        edited.updated = later;
        edits.push(edited);
    }
    for edited in &edits {
        theirs.upsert(edited.clone());
    }
    for n in [7, 4001, 5999] {
        theirs.remove(&awkward(n).id, later);
    }
    for n in 0..30 {
        theirs.upsert(numbered("theirs", n));
    }
    save_merged(&path, &theirs).unwrap();

    // Ours, unaware of all that, saves too.
    let merged = save_merged(&path, &ours).unwrap().annotations;
    assert_eq!(merged, theirs);
    for edited in &edits {
        assert_eq!(merged.get(&edited.id), Some(edited));
    }
    assert!(merged.get(&awkward(4001).id).is_none());
    assert_eq!(load(&path).annotations, merged);
}

#[test]
fn a_file_laid_out_by_hand_loads_the_same_and_is_saved_in_gloss_layout() {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    let mut annotations = store_of("hand", 5);
    annotations.remove("h-gone", Timestamp::now());
    save_merged(&path, &annotations).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    let file: AsRonReadsIt = ron::from_str(&written).unwrap();

    // The same document as a person or another program might write it:
    // on one line, strings escaped, a comment in front.
    let by_hand = format!(
        "// edited by hand\n(version: 1, highlights: {}, deleted: {})",
        ron::to_string(&file.highlights).unwrap(),
        ron::to_string(&file.deleted).unwrap(),
    );
    assert!(by_hand.contains("note 1\\nsecond line"), "{by_hand}");
    std::fs::write(&path, &by_hand).unwrap();

    let loaded = load(&path);
    assert!(loaded.problem.is_none(), "{:?}", loaded.problem);
    assert_eq!(loaded.annotations, annotations);

    save_merged(&path, &loaded.annotations).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
}
