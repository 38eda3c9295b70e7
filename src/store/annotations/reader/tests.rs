//! The fast reader against `ron`: the same highlights from every file gloss
//! writes, any other layout left to `ron`, pieces that cannot mislead it, and
//! copies at hand taken only when they say exactly what the file says.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;

use std::sync::Arc;

use super::layout::{Cursor, EntryText};
use super::*;
use crate::annotation::{Color, Highlight};
use crate::store::annotations::Annotations;
use crate::store::annotations::arbitrary::{any_annotations, fixed_highlight};
use crate::store::annotations::format::{FileIn, Reading, parse, to_file_text};

fn numbered(n: usize) -> Highlight {
    let mut highlight = fixed_highlight();
    highlight.id = format!("h-{n:016x}");
    highlight.article = format!("article-{}", n % 7);
    highlight.anchor.position.start = n;
    highlight.note = format!("note {n}\nwith a second line");
    highlight
}

fn store_of(count: usize) -> Annotations {
    let mut annotations = Annotations::new();
    for n in 0..count {
        annotations.upsert(numbered(n));
    }
    annotations
}

/// What `ron` reads from `text`, as the set the store builds from it.
fn as_ron_reads_it(text: &str) -> Annotations {
    let file: FileIn = ron::from_str(text).unwrap();
    Annotations::from_parts(file.highlights, file.deleted)
}

/// The runs a list was read in, joined.
fn in_one_list(
    runs: Option<(Vec<Vec<EntryText<'_>>>, usize)>,
) -> Option<(Vec<EntryText<'_>>, usize)> {
    runs.map(|(runs, end)| (runs.concat(), end))
}

fn read(text: &str) -> Option<Annotations> {
    read_canonical(text, None).map(|file| Annotations::from_entries(file.highlights, file.deleted))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn what_gloss_writes_reads_back_as_ron_reads_it(annotations in any_annotations()) {
        let text = to_file_text(&annotations);
        let file = read_canonical(&text, None);
        prop_assert!(file.is_some(), "declined its own file:\n{}", text);
        let ron_file: FileIn = ron::from_str(&text).unwrap();
        let file = file.unwrap();
        prop_assert_eq!(file.version, ron_file.version);
        let highlights: Vec<&Highlight> = file.highlights.iter().map(|(_, h)| h.as_ref()).collect();
        prop_assert_eq!(highlights, ron_file.highlights.iter().collect::<Vec<_>>());
        prop_assert!(file.highlights.iter().all(|(id, h)| **id == *h.id));
        prop_assert_eq!(&file.deleted, &ron_file.deleted);
        prop_assert_eq!(Annotations::from_entries(file.highlights, file.deleted), annotations);
    }

    #[test]
    fn highlights_known_unchanged_are_shared_and_the_rest_built(
        on_disk in any_annotations(),
        elsewhere in any_annotations(),
        changed_note in "[a-z]{1,5}",
    ) {
        // The copies at hand: every other highlight on disk, half of those
        // changed, plus some the file does not have.
        let mut known = elsewhere;
        for (i, highlight) in on_disk.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
            let mut copy = highlight.clone();
            if i % 4 == 0 {
                copy.note.push_str(&changed_note);
            }
            known.upsert(copy);
        }
        let text = to_file_text(&on_disk);
        let file = read_canonical(&text, Some(&*known.highlights)).unwrap();
        for (id, highlight) in &file.highlights {
            let shared = known.highlights.get(id).is_some_and(|copy| Arc::ptr_eq(copy, highlight));
            let same = known.get(id) == Some(highlight.as_ref());
            prop_assert_eq!(shared, same, "{}", id);
        }
        prop_assert_eq!(Annotations::from_entries(file.highlights, file.deleted), on_disk);
    }

    #[test]
    fn any_number_of_pieces_reads_the_same(count in 0usize..40, pieces in 1usize..6) {
        let text = to_file_text(&store_of(count));
        let start = text.find("        (").unwrap_or(0);
        let whole = in_one_list(read_list_in_pieces(&text, start, 1));
        prop_assert_eq!(in_one_list(read_list_in_pieces(&text, start, pieces)), whole);
    }
}

#[test]
fn a_file_laid_out_differently_is_left_to_ron_which_reads_it_the_same() {
    let text = to_file_text(&store_of(3));
    let variants = [
        text.replace("\n    version", "\n  version"),
        text.replace(
            "            color",
            "            // a comment\n            color",
        ),
        text.replacen("note 1\n", "note 1\\n", 1),
        text.replace("),\n    ],", ")\n    ],"),
        text.replace('\n', "\r\n"),
        format!("{text}// the end\n"),
        text.replace("tags: [\"zeta\", \"alpha\"]", "tags: [\"zeta\",\"alpha\"]"),
        text.replace("version: 1", "version: 01"),
        text.replacen("start: 0,", "start: 0_0,", 1),
        text.replace("color: green", "color: Green"),
    ];
    for variant in variants {
        assert!(read(&variant).is_none(), "read without ron:\n{variant}");
        let expected = ron::from_str::<FileIn>(&variant)
            .ok()
            .map(|file| Annotations::from_parts(file.highlights, file.deleted));
        // What ron refuses whole is read highlight by highlight: the ones
        // it refuses are kept aside as written.
        match (parse(variant.as_bytes()), expected) {
            (Reading::Parsed(annotations), Some(expected)) => assert_eq!(annotations, expected),
            (Reading::Parsed(annotations), None) => {
                assert!(!annotations.spoiled().is_empty(), "{variant}");
            }
            (Reading::Damaged { .. }, None) => {}
            _ => panic!("ron reads it but gloss did not:\n{variant}"),
        }
    }
}

#[test]
fn a_field_missing_or_added_is_left_to_ron() {
    let text = to_file_text(&store_of(2));
    for variant in [
        text.replace("            color: green,\n", ""),
        text.replace(
            "            note:",
            "            flag: true,\n            note:",
        ),
        text.replace("    deleted: {},\n", ""),
    ] {
        assert!(read(&variant).is_none(), "read without ron:\n{variant}");
        assert_eq!(
            matches!(parse(variant.as_bytes()), Reading::Parsed(_)),
            ron::from_str::<FileIn>(&variant).is_ok(),
            "{variant}"
        );
    }
}

#[test]
fn damaged_files_are_declined() {
    let text = to_file_text(&store_of(2));
    for variant in [
        text[..text.len() / 2].to_owned(),
        text.replace("version: 1", "version: 99999999999"),
        text.replacen("block: 2", "block: 99999999999999999999999", 1),
        text.replacen("\"2026-", "\"not a time 2026-", 1),
        format!("{text})"),
        String::new(),
    ] {
        assert!(read_canonical(&variant, None).is_none(), "{variant}");
    }
}

#[test]
fn strings_are_read_as_ron_reads_them() {
    for (text, value) in [
        ("\"plain\"", "plain"),
        ("\"\"", ""),
        ("\"two\nlines\"", "two\nlines"),
        ("r#\"say \"hi\"\"#", "say \"hi\""),
        ("r\"no hashes\"", "no hashes"),
        ("r##\"a \"# inside\"##", "a \"# inside"),
        ("\"成果 🦀\"", "成果 🦀"),
    ] {
        let mut cursor = Cursor::new(text, 0);
        assert_eq!(cursor.string(), Some(value), "{text}");
        assert_eq!(cursor.at, text.len(), "{text}");
        assert_eq!(ron::from_str::<String>(text).unwrap(), value, "{text}");
    }
    for escaped in ["\"a\\nb\"", "\"unclosed", "r#\"unclosed\"", "r#x", "plain"] {
        assert_eq!(Cursor::new(escaped, 0).string(), None, "{escaped}");
    }
}

#[test]
fn a_note_that_looks_like_highlights_does_not_mislead_the_pieces() {
    // The middle of the list is one note holding the text of many highlights,
    // so a cut in the middle falls inside it and looks like an entry.
    let mut annotations = store_of(200);
    let mut fake = Annotations::new();
    for n in 0..400 {
        let mut highlight = numbered(n);
        highlight.id = format!("h-fake{n:012}");
        fake.upsert(highlight);
    }
    let mut trap = numbered(3);
    trap.id = "h-trap".into();
    trap.note = to_file_text(&fake);
    let mut note_as_written = String::new();
    crate::store::annotations::writer::push_string(&mut note_as_written, &trap.note);
    annotations.upsert(trap);
    let text = to_file_text(&annotations);
    let start = text.find("        (").unwrap();
    let note = text.find(&note_as_written).unwrap();
    let note = note..note + note_as_written.len();

    for pieces in [2, 3, 5] {
        let starts = piece_starts(&text, start, pieces);
        assert!(
            starts.iter().any(|s| note.contains(s)),
            "no cut fell inside the note: {starts:?}"
        );
        let in_pieces = in_one_list(read_list_in_pieces(&text, start, pieces));
        assert!(in_pieces.is_some());
        assert!(in_pieces == in_one_list(read_list_in_pieces(&text, start, 1)));
    }
    assert_eq!(read(&text), Some(as_ron_reads_it(&text)));
    assert_eq!(read(&text), Some(annotations));
}

#[test]
fn a_large_file_is_read_in_pieces_to_the_same_result() {
    let annotations = store_of(5000);
    let text = to_file_text(&annotations);
    assert!(text.len() > PARALLEL_FROM_BYTES, "{}", text.len());
    assert_eq!(read(&text), Some(annotations));
}

#[test]
fn a_known_copy_differing_in_any_field_is_not_taken() {
    let original = fixed_highlight();
    let text = {
        let mut one = Annotations::new();
        one.upsert(original.clone());
        to_file_text(&one)
    };
    let start = text.find("        (").unwrap();
    let entry = Cursor::new(&text, start).entry().unwrap();
    assert!(entry.describes(&original));
    assert_eq!(entry.to_highlight(), original);

    let later = original.updated + jiff::SignedDuration::from_nanos(1);
    let changes: [&dyn Fn(&mut Highlight); 14] = [
        &|h| h.id.push('x'),
        &|h| h.article.push('x'),
        &|h| h.text_hash.push('x'),
        &|h| h.anchor.quote.exact.push('x'),
        &|h| h.anchor.quote.prefix.push('x'),
        &|h| h.anchor.quote.suffix.push('x'),
        &|h| h.anchor.position.block += 1,
        &|h| h.anchor.position.start += 1,
        &|h| h.anchor.position.end += 1,
        &|h| h.color = Color::Purple,
        &|h| h.tags.push("more".into()),
        &|h| h.note.push('x'),
        &|h| h.created = later,
        &|h| h.updated = later,
    ];
    for (i, change) in changes.iter().enumerate() {
        let mut copy = original.clone();
        change(&mut copy);
        assert!(!entry.describes(&copy), "change {i}");
    }
    let mut fewer_tags = original.clone();
    fewer_tags.tags.pop();
    assert!(!entry.describes(&fewer_tags));
}

#[test]
fn a_large_file_shares_what_is_known_unchanged_on_every_thread() {
    let on_disk = store_of(3 * PARALLEL_BUILD_FROM);
    let mut known = on_disk.clone();
    let mut changed = Vec::new();
    for n in (0..3 * PARALLEL_BUILD_FROM).step_by(97) {
        let mut copy = numbered(n);
        copy.note.push_str(" (changed here)");
        known.upsert(copy);
        changed.push(numbered(n).id);
    }
    let text = to_file_text(&on_disk);
    let file = read_canonical(&text, Some(&*known.highlights)).unwrap();
    let mut shared = 0;
    for (id, highlight) in &file.highlights {
        let copy = &known.highlights[id];
        if changed.contains(&highlight.id) {
            assert!(!Arc::ptr_eq(copy, highlight), "{id}");
        } else {
            assert!(Arc::ptr_eq(copy, highlight), "{id}");
            shared += 1;
        }
    }
    assert_eq!(shared, 3 * PARALLEL_BUILD_FROM - changed.len());
    assert_eq!(
        Annotations::from_entries(file.highlights, file.deleted),
        on_disk
    );
}

#[test]
fn no_entry_is_shorter_than_the_room_made_for_it() {
    let mut empty = fixed_highlight();
    empty.id = String::new();
    empty.article = String::new();
    empty.text_hash = String::new();
    empty.anchor = crate::annotation::TextAnchor::default();
    empty.color = Color::Blue;
    empty.tags = Vec::new();
    empty.note = String::new();
    empty.created = jiff::Timestamp::UNIX_EPOCH;
    empty.updated = jiff::Timestamp::UNIX_EPOCH;
    let mut one = Annotations::new();
    one.upsert(empty);
    let text = to_file_text(&one);
    let start = text.find("        (").unwrap();
    let end = text.find("    ],").unwrap();
    assert!(end - start >= SHORTEST_ENTRY, "{}", end - start);
}
