//! Salvaging files with typos, cuts and stray brackets: what is kept, what
//! is reported and where, and that nothing else is ever lost.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;

use super::super::Annotations;
use super::super::arbitrary::{any_annotations, highlight_at};
use super::super::format::{Reading, parse, to_file_text};

fn store(count: usize) -> Annotations {
    let mut annotations = Annotations::new();
    for n in 0..count {
        let mut h = highlight_at(&format!("h-{n:04}"), "article", n * 100);
        h.note = format!("note {n}: \"quoted\", a \\ backslash, ( and ] and 成果\nsecond line");
        h.tags = vec![format!("tag {n}"), "r#\"raw\"#".into()];
        annotations.upsert(h);
    }
    annotations.remove(
        "h-gone",
        jiff::Timestamp::from_second(1_790_000_000).unwrap(),
    );
    annotations
}

/// The highlights read from `bytes`, whether the file is damaged or not.
fn read(bytes: &[u8]) -> Option<(Annotations, bool)> {
    match parse(bytes) {
        Reading::Parsed(annotations) => Some((annotations, false)),
        Reading::Damaged { salvaged, .. } => Some((salvaged, true)),
        _ => None,
    }
}

/// Where each entry of a file gloss wrote is: from its `(` to the comma
/// after its `)`.
fn entry_spans(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let starts: Vec<usize> = text
        .match_indices("\n        (\n            id: ")
        .map(|(i, _)| i + 9)
        .collect();
    starts
        .iter()
        .map(|&start| {
            let end = start + text[start..].find("\n        ),\n").unwrap() + 11;
            let id_at = start + text[start..].find("id: \"").unwrap() + 5;
            let id_end = id_at + text[id_at..].find('"').unwrap();
            (text[id_at..id_end].to_owned(), start..end)
        })
        .collect()
}

#[test]
fn an_extra_field_survives_a_round_trip() {
    let text = to_file_text(&store(3)).replacen(
        "            color: green,\n",
        "            color: green,\n            mood: (level: 3, words: [\"a, b\"]), // why\n",
        1,
    );
    let Reading::Parsed(first) = parse(text.as_bytes()) else {
        panic!("did not read");
    };
    assert_eq!(first.len(), 3);
    let saved = to_file_text(&first);
    assert!(
        saved.contains("            mood: (level: 3, words: [\"a, b\"]),\n        ),"),
        "{saved}"
    );
    let Reading::Parsed(second) = parse(saved.as_bytes()) else {
        panic!("did not read back");
    };
    assert_eq!(second, first);
    assert_eq!(to_file_text(&second), saved);
}

#[test]
fn a_bad_colour_spoils_one_highlight_which_is_written_back_as_it_was() {
    let good = to_file_text(&store(3));
    let text = good.replacen("color: green", "color: yelow", 2).replacen(
        "color: yelow",
        "color: green",
        1,
    );
    let Reading::Parsed(read) = parse(text.as_bytes()) else {
        panic!("did not read");
    };
    assert_eq!(read.len(), 2);
    let [spoiled] = read.spoiled() else {
        panic!("{:?}", read.spoiled());
    };
    let line = 1 + text[..text.find("yelow").unwrap()].matches('\n').count();
    assert_eq!(spoiled.problem.line, line);
    assert_eq!(spoiled.problem.column, 20);
    assert_eq!(spoiled.problem.id.as_deref(), Some("h-0001"));
    let entry = &entry_spans(&text)[1];
    assert_eq!(spoiled.text, text[entry.1.start..entry.1.end - 1]);

    let saved = to_file_text(&read);
    assert!(saved.contains(&spoiled.text), "{saved}");
    let Reading::Parsed(again) = parse(saved.as_bytes()) else {
        panic!("did not read back");
    };
    assert_eq!(again.spoiled()[0].text, spoiled.text);
    assert_eq!(again.len(), 2);
}

#[test]
fn a_missing_comma_between_highlights_is_damage_and_both_are_kept() {
    let good = to_file_text(&store(3));
    let entries = entry_spans(&good);
    let comma = entries[0].1.end - 1;
    assert_eq!(&good[comma..=comma], ",");
    let text = format!("{}{}", &good[..comma], &good[comma + 1..]);
    let Reading::Damaged { salvaged, problems } = parse(text.as_bytes()) else {
        panic!("expected damage");
    };
    assert_eq!(salvaged, store(3));
    let line = 1 + good[..comma].matches('\n').count();
    assert_eq!((problems[0].line, problems[0].column), (line, 10));
    assert!(
        problems[0].reason.contains("comma is missing"),
        "{problems:?}"
    );
}

#[test]
fn a_file_cut_in_the_middle_keeps_every_whole_highlight() {
    let good = to_file_text(&store(5));
    let entries = entry_spans(&good);
    let cut = entries[3].1.start + 100;
    let Reading::Damaged { salvaged, problems } = parse(&good.as_bytes()[..cut]) else {
        panic!("expected damage");
    };
    let ids: Vec<&str> = salvaged.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["h-0000", "h-0001", "h-0002"]);
    assert!(problems[0].reason.contains("cut short"), "{problems:?}");
    assert_eq!(problems[0].id.as_deref(), Some("h-0003"));
}

/// Whether the entry of `id` reads as part of a string of another highlight
/// (a deleted `#` or quote can leave a file that is valid RON that way: the
/// entry is not lost from the file, it is text in the one before).
fn swallowed(read: &Annotations, id: &str) -> bool {
    let quoted = format!("id: \"{id}\"");
    read.iter().any(|h| {
        let quote = &h.anchor.quote;
        [&h.note, &quote.exact, &quote.prefix, &quote.suffix]
            .into_iter()
            .chain(&h.tags)
            .any(|text| text.contains(&quoted))
    })
}

/// Deleting any one byte of a file: nothing panics, and every highlight
/// whose entry the byte was not in is still read, unchanged (or is text
/// inside another, see [`swallowed`]).
fn assert_one_deletion_loses_only_its_own_highlight(original: &Annotations, text: &str, at: usize) {
    let mut bytes = text.as_bytes().to_vec();
    bytes.remove(at);
    let Some((read, _)) = read(&bytes) else {
        // Only the version can make it a newer file: version 1 → 1x is not.
        return;
    };
    for (id, span) in entry_spans(text) {
        if span.contains(&at) {
            continue;
        }
        if read.get(&id).is_none() && swallowed(&read, &id) {
            continue;
        }
        assert_eq!(
            read.get(&id),
            original.get(&id),
            "deleting byte {at} ({:?}) lost {id}",
            char::from(text.as_bytes()[at])
        );
    }
}

#[test]
fn deleting_any_one_byte_loses_no_other_highlight() {
    let original = store(4);
    let text = to_file_text(&original);
    for at in 0..text.len() {
        if text.is_char_boundary(at) && text.is_char_boundary(at + 1) {
            assert_one_deletion_loses_only_its_own_highlight(&original, &text, at);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn deleting_a_byte_of_any_store_never_panics(
        annotations in any_annotations(),
        at in any::<prop::sample::Index>(),
    ) {
        let text = to_file_text(&annotations);
        let mut bytes = text.into_bytes();
        bytes.remove(at.index(bytes.len()));
        let _ = parse(&bytes);
    }

    #[test]
    fn deleting_a_byte_loses_only_the_highlight_it_was_in(
        count in 1usize..6,
        at in any::<prop::sample::Index>(),
    ) {
        let original = store(count);
        let text = to_file_text(&original);
        let at = at.index(text.len());
        if text.is_char_boundary(at) && text.is_char_boundary(at + 1) {
            assert_one_deletion_loses_only_its_own_highlight(&original, &text, at);
        }
    }
}

#[test]
fn a_comma_deleted_among_the_deletions_keeps_every_deletion() {
    let mut annotations = store(2);
    annotations.remove(
        "h-gone-too",
        jiff::Timestamp::from_second(1_790_000_001).unwrap(),
    );
    let good = to_file_text(&annotations);
    let at = good.find("\"h-gone\": ").unwrap();
    let comma = at + good[at..].find(",\n").unwrap();
    let text = format!("{}{}", &good[..comma], &good[comma + 1..]);
    let Reading::Damaged { salvaged, problems } = parse(text.as_bytes()) else {
        panic!("expected damage");
    };
    assert_eq!(salvaged, annotations);
    let line = 1 + text[..comma].matches('\n').count() + 1;
    assert_eq!(problems[0].line, line, "{problems:?}");
}
