//! The hand-written text against `ron`'s serializer: the same bytes for
//! random highlights, strings that need raw quoting, and many blocks.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::Serialize;

use super::*;
use crate::store::annotations::Annotations;
use crate::store::annotations::arbitrary::{any_annotations, any_highlight, fixed_highlight};

/// The file as `ron` writes it with the file's style: what the hand-written
/// text must equal byte for byte.
fn as_ron_writes_it(annotations: &Annotations) -> String {
    #[derive(Serialize)]
    struct FileOut<'a> {
        version: u32,
        highlights: Vec<&'a Highlight>,
        deleted: &'a BTreeMap<String, Timestamp>,
    }
    let mut highlights: Vec<&Highlight> = annotations.iter().collect();
    highlights.sort_by(|a, b| {
        (&a.article, a.anchor.position.start, &a.id).cmp(&(
            &b.article,
            b.anchor.position.start,
            &b.id,
        ))
    });
    let file = FileOut {
        version: ANNOTATIONS_VERSION,
        highlights,
        deleted: &annotations.deleted,
    };
    let style = ron::ser::PrettyConfig::new()
        .depth_limit(3)
        .escape_strings(false);
    let mut text = ron::ser::to_string_pretty(&file, style).unwrap();
    text.push('\n');
    text
}

fn written(annotations: &Annotations) -> String {
    crate::store::annotations::format::to_file_text(annotations)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_text_is_what_ron_writes(annotations in any_annotations()) {
        prop_assert_eq!(written(&annotations), as_ron_writes_it(&annotations));
    }

    #[test]
    fn one_string_is_written_as_ron_writes_it(highlight in any_highlight()) {
        let mut written = String::new();
        push_string(&mut written, &highlight.note);
        let style = ron::ser::PrettyConfig::new().escape_strings(false);
        prop_assert_eq!(&written, &ron::ser::to_string_pretty(&highlight.note, style).unwrap());
        prop_assert_eq!(ron::from_str::<String>(&written).unwrap(), highlight.note);
    }
}

#[test]
fn an_empty_store_is_what_ron_writes() {
    let empty = Annotations::new();
    assert_eq!(written(&empty), as_ron_writes_it(&empty));
    assert_eq!(
        written(&empty),
        "(\n    version: 1,\n    highlights: [],\n    deleted: {},\n)\n"
    );
}

#[test]
fn strings_with_quotes_become_raw_strings_longer_than_any_run_of_hashes() {
    let cases = [
        ("plain", "\"plain\""),
        ("", "\"\""),
        ("say \"hi\"", "r#\"say \"hi\"\"#"),
        ("a\\b", "r#\"a\\b\"#"),
        ("\"# and ##", "r###\"\"# and ##\"###"),
        ("# alone", "\"# alone\""),
    ];
    for (value, expected) in cases {
        let mut out = String::new();
        push_string(&mut out, value);
        assert_eq!(out, expected, "{value:?}");
    }
}

#[test]
fn numbers_are_written_in_full() {
    for n in [0, 7, 10, 1_234_567, u64::MAX] {
        let mut out = String::new();
        push_number(&mut out, n);
        assert_eq!(out, n.to_string());
    }
}

#[test]
fn highlights_are_in_reading_order_whatever_the_id_prefixes() {
    let base = fixed_highlight();
    let mut annotations = Annotations::new();
    for (id, article, start) in [
        ("h-00000000000000000002", "b", 5),
        ("h-00000000000000000001", "b", 5),
        ("h-0000000000000000", "b", 5),
        ("z", "a", 900),
        ("a", "b", 1),
    ] {
        let mut highlight = base.clone();
        highlight.id = id.into();
        highlight.article = article.into();
        highlight.anchor.position.start = start;
        annotations.upsert(highlight);
    }
    assert_eq!(written(&annotations), as_ron_writes_it(&annotations));
    let text = written(&annotations);
    let order: Vec<usize> = [
        "\"z\"",
        "\"a\"",
        "\"h-0000000000000000\"",
        "\"h-00000000000000000001\"",
        "\"h-00000000000000000002\"",
    ]
    .iter()
    .map(|id| text.find(id).unwrap())
    .collect();
    assert!(order.is_sorted(), "{text}");
}

#[test]
fn a_store_written_in_many_blocks_is_what_ron_writes() {
    let mut annotations = Annotations::new();
    for n in 0..3 * BLOCK + 17 {
        let mut highlight = fixed_highlight();
        highlight.id = format!("h-{:016x}", (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        highlight.article = format!("article-{}", n % 11);
        highlight.anchor.position.start = n % 300;
        highlight.note = format!("note {n}\n\"quoted\" {}", "#".repeat(n % 4));
        annotations.upsert(highlight);
    }
    assert_eq!(written(&annotations), as_ron_writes_it(&annotations));
}
