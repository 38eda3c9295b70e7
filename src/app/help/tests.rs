//! Tests of the help screen's search and of the library's key hint.

use super::*;

fn search(query: &str) -> HelpPage {
    HelpPage::new(
        &Keymap::defaults(),
        &HelpSearch {
            query: query.to_string(),
            typing: false,
        },
    )
}

fn actions(page: &HelpPage) -> Vec<(Mode, Action)> {
    page.rows().map(|r| (r.mode, r.action)).collect()
}

#[test]
fn an_empty_query_shows_every_row() {
    let page = search("  ");
    assert_eq!(page.shown, page.total);
    assert_eq!(page.total, help_rows(&Keymap::defaults()).len());
    assert_eq!(page.count(), format!("{} keys", page.total));
    assert_eq!(page.modes(), HELP_MODES);
    assert!(page.lines.contains(&HelpLine::Remark(MOUSE_NOTE)));
}

#[test]
fn a_word_matches_descriptions_ignoring_case() {
    let page = search("EXPORT");
    assert_eq!(actions(&page), vec![(Mode::Reader, Action::Export)]);
    assert_eq!(page.count(), format!("1 of {} keys", page.total));
}

#[test]
fn a_word_matches_key_names() {
    let page = search("pgdn");
    assert!(!actions(&page).is_empty());
    assert!(
        actions(&page)
            .iter()
            .all(|(_, action)| *action == Action::PageDown),
        "{:?}",
        actions(&page)
    );
}

#[test]
fn every_word_must_match_somewhere() {
    let page = search("reader section");
    let found = actions(&page);
    assert!(found.contains(&(Mode::Reader, Action::NextSection)));
    assert!(found.contains(&(Mode::Reader, Action::PrevSection)));
    assert!(found.iter().all(|(mode, _)| *mode == Mode::Reader));
    // Words may match different fields: `o` in the reader (description
    // and mode title), moving in the outline ("…in the reader").
    let both = actions(&search("outline reader"));
    assert!(both.contains(&(Mode::Reader, Action::ToggleOutline)));
    assert!(both.contains(&(Mode::Outline, Action::MoveDown)));
    assert!(
        both.iter()
            .all(|(mode, _)| matches!(mode, Mode::Reader | Mode::Outline)),
        "{both:?}"
    );
}

#[test]
fn a_mode_title_matches_all_its_rows() {
    let page = search("library filter");
    assert!(page.modes().contains(&Mode::LibraryFilter));
    let typing = page
        .rows()
        .filter(|r| r.mode == Mode::LibraryFilter)
        .count();
    assert_eq!(
        typing,
        Keymap::defaults().help_rows(Mode::LibraryFilter).len()
    );
    assert!(
        !page.lines.iter().any(|l| matches!(l, HelpLine::Note(_))),
        "the notes are left out of a search"
    );
}

#[test]
fn nothing_found_is_an_empty_page() {
    let page = search("zebra");
    assert!(page.lines.is_empty());
    assert_eq!(page.max_scroll(5), 0);
    assert_eq!(page.shown, 0);
    assert_eq!(page.count(), format!("0 of {} keys", page.total));
}

#[test]
fn lit_ranges_are_merged_and_on_the_original_text() {
    let query = HelpQuery::new("top TO");
    assert_eq!(query.lit("go to the top"), vec![3..5, 10..13]);
    let overlapping = HelpQuery::new("sec section");
    assert_eq!(overlapping.lit("next section"), vec![5..12]);
    assert!(HelpQuery::new("").lit("anything").is_empty());
}

#[test]
fn case_folding_keeps_byte_ranges_of_the_text() {
    // `İ` lowers to two characters and `É` to one of another length in
    // bytes; ranges must still point at the original text.
    let query = HelpQuery::new("été");
    let text = "ÉTÉ and été";
    let ranges = query.lit(text);
    assert_eq!(ranges.len(), 2);
    for range in &ranges {
        assert_eq!(text[range.clone()].to_lowercase(), "été");
    }
    let dotted = HelpQuery::new("i̇x");
    assert_eq!(dotted.lit("İx"), vec![0..3]);
    assert!(
        HelpQuery::new("i").lit("İ").is_empty(),
        "no half characters"
    );
}

#[test]
fn the_first_run_hint_shows_the_main_keys_and_shrinks_whole() {
    let keymap = Keymap::defaults();
    let full = " Enter open · / filter · ? help · q quit";
    assert_eq!(library_hint(&keymap, true, 80), full);
    assert_eq!(library_hint(&keymap, true, 40), full);
    assert_eq!(
        library_hint(&keymap, true, 31),
        " Enter open · / filter · ? help"
    );
    assert_eq!(library_hint(&keymap, true, 30), " Enter open · ? help");
    assert_eq!(library_hint(&keymap, true, 8), " ? help");
    assert_eq!(library_hint(&keymap, true, 6), "");
}

#[test]
fn after_reading_only_the_help_key_is_hinted() {
    assert_eq!(library_hint(&Keymap::defaults(), false, 80), " ? help");
}

#[test]
fn the_hint_shows_keys_as_bound_now() {
    use crate::input::{KeyChord, KeyOverride};
    let key = |name| KeyChord::parse(name).unwrap_or_else(|e| panic!("{e}"));
    let keymap = Keymap::defaults().with_overrides(&[
        KeyOverride {
            mode: Mode::Library,
            key: key("?"),
            action: None,
        },
        KeyOverride {
            mode: Mode::Library,
            key: key("F1"),
            action: Some(Action::Help),
        },
    ]);
    assert_eq!(library_hint(&keymap, false, 80), " F1 help");
}

#[test]
fn the_help_search_mode_is_documented() {
    let rows = help_rows(&Keymap::defaults());
    assert!(
        rows.iter()
            .any(|r| r.mode == Mode::Help && r.action == Action::StartFilter),
        "/ in the help is listed"
    );
    assert!(rows.iter().any(|r| r.mode == Mode::HelpSearch));
}

/// The notes on the query language shown under the keys.
fn notes(keymap: &Keymap) -> Vec<String> {
    HelpPage::new(keymap, &HelpSearch::default())
        .lines
        .into_iter()
        .filter_map(|line| match line {
            HelpLine::Note(note) => Some(note),
            _ => None,
        })
        .collect()
}

#[test]
fn the_query_notes_name_the_filter_keys_as_bound_now() {
    use crate::input::{KeyChord, KeyOverride};
    let defaults = notes(&Keymap::defaults());
    assert!(defaults.contains(&"   Ctrl-r             words are regular expressions".to_string()));
    assert!(
        defaults.contains(
            &"   Tab (library)      the matching passages across the library".to_string()
        )
    );

    let key = |name| KeyChord::parse(name).unwrap_or_else(|e| panic!("{e}"));
    let change = |mode, name, action| KeyOverride {
        mode,
        key: key(name),
        action,
    };
    let keymap = Keymap::defaults().with_overrides(&[
        change(Mode::LibraryFilter, "Ctrl-r", None),
        change(Mode::LibraryFilter, "Ctrl-x", Some(Action::ToggleRegex)),
        change(Mode::ReaderFilter, "Ctrl-r", None),
        change(Mode::ReaderFilter, "Ctrl-x", Some(Action::ToggleRegex)),
        change(Mode::LibraryFilter, "Ctrl-d", None),
        change(Mode::ReaderFilter, "Ctrl-d", None),
    ]);
    let rebound = notes(&keymap);
    assert!(rebound.contains(&"   Ctrl-x             words are regular expressions".to_string()));
    assert!(!rebound.iter().any(|n| n.contains("Ctrl-r")), "{rebound:?}");
    assert!(
        !rebound.iter().any(|n| n.contains("accents")),
        "{rebound:?}"
    );
    assert_eq!(rebound.len(), defaults.len() - 1);
}
