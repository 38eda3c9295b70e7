//! Cutting lists into entries: strings that look like structure, missing
//! commas and brackets, files cut short.

#![allow(clippy::unwrap_used)]

use super::*;

fn entries(text: &str) -> Vec<&str> {
    outline(text, 64)
        .entries
        .iter()
        .map(|e| &text[e.range.clone()])
        .collect()
}

#[test]
fn entries_are_found_around_strings_that_look_like_structure() {
    let text =
        r##"(version: 1, highlights: [(note: "), ("), (note: r#"]"#), ], deleted: {"h": "x"})"##;
    let shape = outline(text, 64);
    assert!(shape.damage.is_empty(), "{:?}", shape.damage);
    assert_eq!(entries(text), [r#"(note: "), (")"#, r##"(note: r#"]"#)"##]);
    let list = shape.list.unwrap();
    assert_eq!(&text[list.start..=list.start], "[");
    assert_eq!(&text[list.end.unwrap()..=list.end.unwrap()], "]");
}

#[test]
fn a_missing_comma_between_entries_is_found_and_both_kept() {
    let text = "(version: 1, highlights: [(id: \"a\") // c\n (id: \"b\")])";
    let shape = outline(text, 64);
    assert_eq!(entries(text), ["(id: \"a\")", "(id: \"b\")"]);
    assert_eq!(shape.damage.len(), 1, "{:?}", shape.damage);
    assert_eq!(shape.damage[0].0, text.find(") //").unwrap() + 1);
    assert!(shape.damage[0].1.contains("comma is missing"));
}

#[test]
fn an_entry_left_open_ends_where_the_next_starts() {
    let text = "(version: 1, highlights: [(id: \"a\", tags: [\"x\"], (id: \"b\"), (id: \"c\")], deleted: {})";
    let shape = outline(text, 64);
    assert_eq!(
        entries(text),
        ["(id: \"a\", tags: [\"x\"], ", "(id: \"b\")", "(id: \"c\")"]
    );
    assert!(shape.entries[0].broken.is_some());
    assert!(shape.entries[1].broken.is_none());
    assert!(shape.list.unwrap().end.is_some());
}

#[test]
fn a_file_cut_short_keeps_every_whole_entry() {
    let text = "(version: 1, highlights: [(id: \"a\"), (id: \"b\"), (id: \"c";
    let shape = outline(text, 64);
    assert_eq!(entries(text)[..2], ["(id: \"a\")", "(id: \"b\")"]);
    assert!(shape.entries[2].broken.is_some());
    assert!(shape.damage.iter().any(|(_, r)| r.contains("cut short")));
}

#[test]
fn a_wrong_closing_bracket_is_damage_in_that_entry_only() {
    let text = "(version: 1, highlights: [(id: \"a\", tags: [\"x\")), (id: \"b\")])";
    let shape = outline(text, 64);
    assert_eq!(shape.entries.len(), 2, "{shape:?}");
    assert!(shape.entries[0].broken.is_some());
    assert!(shape.entries[1].broken.is_none());
}

#[test]
fn deep_nesting_stops_the_scan() {
    let text = format!(
        "(version: 1, highlights: [(id: \"a\"), {}",
        "[".repeat(1000)
    );
    let shape = outline(&text, 64);
    assert!(shape.too_deep);
    assert_eq!(shape.entries[0].range, 26..35);
}

#[test]
fn a_comma_after_the_last_entry_is_fine_two_are_not() {
    assert!(
        outline("(version: 1, highlights: [(), ], deleted: {})", 64)
            .damage
            .is_empty()
    );
    let shape = outline("(version: 1, highlights: [(), , ()])", 64);
    assert_eq!(shape.damage.len(), 1, "{:?}", shape.damage);
}

#[test]
fn the_list_is_found_only_under_its_name() {
    assert!(
        outline("(version: 1, my_highlights: [()])", 64)
            .list
            .is_none()
    );
}
