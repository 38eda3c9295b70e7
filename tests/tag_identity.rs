//! One tag, one identity: the same tags typed in the reader or given to
//! `gloss highlight add`, then asked for every other way (`tag:` in the reader
//! and `gloss search`, the tag browser, `gloss highlights --tag`, `gloss tags`,
//! `gloss export --tag` and the export's vault tags), must agree on which
//! highlights carry which tag.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::binary;
use crate::common;
use crate::output;

use common::{bundled_app, press, type_text};
use gloss::annotation::tag::{from_vault_tag, same_tag, tag_key};
use gloss::app::Mode;
use output::{assert_exit, stdout};

/// The tags of the first highlight and of the second: `C++` and `C` must stay
/// apart, `soft power` must be found as `soft-power` and `SOFT POWER`.
const FIRST: [&str; 3] = ["soft power", "C++", "Straße"];
const SECOND: [&str; 3] = ["C", "Été", "R&D"];

/// Other spellings of a tag, and the highlights (first, second) that carry it.
const ASKED: [(&str, bool, bool); 10] = [
    ("soft-power", true, false),
    ("SOFT POWER", true, false),
    ("  soft   power ", true, false),
    ("c++", true, false),
    ("c", false, true),
    ("STRASSE", true, false),
    ("été", false, true),
    ("ÉTÉ", false, true),
    ("r&d", false, true),
    ("R D", false, false),
];

#[test]
fn tags_typed_in_the_reader_are_found_by_the_filter_the_browser_and_the_export() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter j h t");
    type_text(&mut app, &FIRST.join(", "));
    press(&mut app, "Enter G h t");
    type_text(&mut app, &SECOND.join(", "));
    press(&mut app, "Enter");
    assert_eq!(app.annotations.len(), 2);
    let reader = app.reader.as_ref().unwrap();
    let first_block = reader.marks.placed[0].range.start;
    let article = app.library.articles[reader.article].clone();
    let block_of = |start: usize| gloss::annotation::block_at(&article, start).unwrap();
    let (first_block, second_block) = (
        block_of(first_block),
        block_of(reader.marks.placed[1].range.start),
    );
    assert_ne!(first_block, second_block, "the test needs two passages");

    // The tag browser lists each tag once, as typed.
    let browser: Vec<String> = app.tag_index().into_iter().map(|(name, _)| name).collect();
    let mut typed: Vec<&str> = FIRST.iter().chain(&SECOND).copied().collect();
    typed.sort_by_key(|t| tag_key(t));
    assert_eq!(browser, typed);

    for (asked, on_first, on_second) in ASKED {
        // `tag:` in the reader's filter, quoted for the words.
        press(&mut app, "g /");
        type_text(&mut app, &format!("tag:\"{asked}\""));
        let reader = app.reader.as_ref().unwrap();
        let passages = &reader.filter.as_ref().unwrap().matches.passages;
        assert_eq!(
            (
                passages.contains(&first_block),
                passages.contains(&second_block)
            ),
            (on_first, on_second),
            "tag:{asked:?} in the reader"
        );
        press(&mut app, "Esc Esc");
        assert_eq!(app.mode(), Mode::Reader);

        // The export's choice of highlights and the tag browser.
        let carrying: Vec<bool> = app
            .annotations
            .iter()
            .map(|h| gloss::export::has_tag(h, asked))
            .collect();
        assert_eq!(
            carrying.iter().filter(|c| **c).count(),
            usize::from(on_first) + usize::from(on_second),
            "export --tag {asked:?}"
        );
        let in_browser = app
            .tag_index()
            .into_iter()
            .find(|(name, _)| same_tag(name, asked))
            .map_or(0, |(_, passages)| passages.len());
        assert_eq!(
            in_browser,
            usize::from(on_first) + usize::from(on_second),
            "tag browser for {asked:?}"
        );
    }

    // Every vault tag of the export reads back to the tag it was made from,
    // and no two tags share one.
    let highlights: Vec<_> = app.annotations.iter().collect();
    let document = gloss::export::Document::article(&article, highlights);
    let markdown =
        gloss::export::render_markdown(&document, &gloss::export::ExportOptions::default());
    let vault: Vec<&str> = markdown
        .split_whitespace()
        .filter_map(|word| word.strip_prefix('#'))
        .filter(|word| !word.is_empty() && !word.starts_with('#'))
        .collect();
    for tag in FIRST.iter().chain(&SECOND) {
        let written = gloss::export::vault_tag(tag).unwrap();
        assert!(
            vault.contains(&written.as_str()),
            "#{written} in\n{markdown}"
        );
        assert!(
            same_tag(&from_vault_tag(&written), tag),
            "{written} → {tag}"
        );
    }
    assert!(vault.contains(&"C--plus----plus--") && vault.contains(&"C"));
}

#[test]
fn tags_given_to_the_commands_are_found_by_every_command() {
    let data = tempfile::tempdir().unwrap();
    let library = tempfile::tempdir().unwrap();
    std::fs::write(
        library.path().join("harbour.md"),
        "---\nid: harbour\ntitle: Harbour lights\n---\n\n\
         The river is wide at the harbour.\n\nThe ferries cross at dusk.\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let output = binary::gloss_in(data.path(), Some(library.path()), args)
            .output()
            .unwrap();
        assert_exit(&output, 0);
        stdout(&output)
    };
    // A search or export that finds nothing exits 1, with nothing on stdout.
    let run_finding = |args: &[&str], expected: bool| {
        let output = binary::gloss_in(data.path(), Some(library.path()), args)
            .output()
            .unwrap();
        assert_exit(&output, i32::from(!expected));
        stdout(&output)
    };
    let add = |quote: &str, tags: &[&str]| {
        let mut args = vec!["highlight", "add", "harbour", "--quote", quote];
        for tag in tags {
            args.extend(["--tag", tag]);
        }
        run(&args).trim().to_owned()
    };
    let first = add("The river is wide", &FIRST);
    let second = add("The ferries cross", &SECOND);

    let tags: serde_json::Value = serde_json::from_str(&run(&["tags", "--json"])).unwrap();
    let names: Vec<&str> = tags
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), FIRST.len() + SECOND.len(), "{names:?}");

    for (asked, on_first, on_second) in ASKED {
        let listed: serde_json::Value =
            serde_json::from_str(&run(&["highlights", "--tag", asked, "--json"])).unwrap();
        let ids: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap())
            .collect();
        let expected: Vec<&str> = [(on_first, first.as_str()), (on_second, second.as_str())]
            .into_iter()
            .filter_map(|(on, id)| on.then_some(id))
            .collect();
        assert_eq!(ids, expected, "gloss highlights --tag {asked:?}");

        let any = !expected.is_empty();
        let found = run_finding(&["search", &format!("tag:\"{asked}\""), "--json"], any);
        let passages = serde_json::from_str::<serde_json::Value>(&found)
            .ok()
            .and_then(|found| found.as_array().map(Vec::len))
            .unwrap_or(0);
        assert_eq!(
            passages,
            expected.len(),
            "gloss search tag:{asked:?}: {found}"
        );

        let exported = run_finding(&["export", "--tag", asked], any);
        for (on, quote) in [
            (on_first, "The river is wide"),
            (on_second, "The ferries cross"),
        ] {
            assert_eq!(
                exported.contains(quote),
                on,
                "gloss export --tag {asked:?}:\n{exported}"
            );
        }
    }
}
