//! The key hints on screen follow the keymap in effect: a rebound key is
//! named where the default was, and an action left without a key in that
//! mode drops out of the hint.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{bundled_app, press, screen};
use gloss::app::{Action, App, Mode};
use gloss::input::{KeyChord, KeyOverride, Keymap};

/// The app with `changes` made to the keymap of `mode`, as `config.ron`
/// makes them (`None` unbinds).
fn rebound(mode: Mode, changes: &[(&str, Option<Action>)]) -> App {
    let overrides: Vec<KeyOverride> = changes
        .iter()
        .map(|&(key, action)| KeyOverride {
            mode,
            key: KeyChord::parse(key).unwrap(),
            action,
        })
        .collect();
    let mut app = bundled_app(100, 24);
    app.keymap = Keymap::defaults().with_overrides(&overrides);
    app
}

/// The last row of the screen, where the status line and footers are.
fn bottom_row(app: &App) -> String {
    screen(app).lines().last().unwrap().to_string()
}

#[test]
fn the_default_hints_are_unchanged() {
    let mut app = bundled_app(100, 24);
    press(&mut app, "Enter / d a t a Enter");
    assert!(bottom_row(&app).contains(" · n/N step, Esc clears"));
    press(&mut app, "Esc j h");
    assert_eq!(
        app.notice.as_deref(),
        Some("highlighted in yellow · t tag · a note · d delete · u undo")
    );
    press(&mut app, "H");
    assert!(bottom_row(&app).contains(
        " Enter go · t tag · a note · d delete · r re-attach an orphan · u undo · q close"
    ));
    press(&mut app, "q q w");
    assert!(bottom_row(&app).contains(" j/k scroll · q or Esc close"));
}

#[test]
fn the_filter_status_line_names_a_rebound_step_key() {
    let mut app = rebound(
        Mode::Reader,
        &[("n", None), ("F3", Some(Action::NextMatch))],
    );
    press(&mut app, "Enter / d a t a Enter");
    let status = bottom_row(&app);
    assert!(status.contains(" · F3/N step, Esc clears"), "{status}");
    assert!(!status.contains("n/N"), "{status}");
}

#[test]
fn the_filter_status_line_leaves_out_unbound_keys() {
    let mut app = rebound(Mode::Reader, &[("n", None), ("N", None)]);
    press(&mut app, "Enter / d a t a Enter");
    let status = bottom_row(&app);
    assert!(!status.contains("step"), "{status}");
    assert!(status.contains(" · Esc clears"), "{status}");
}

#[test]
fn the_highlights_footer_names_a_rebound_key() {
    let mut app = rebound(
        Mode::Highlights,
        &[("d", None), ("x", Some(Action::DeleteHighlight))],
    );
    press(&mut app, "Enter j h H");
    let footer = bottom_row(&app);
    assert!(footer.contains("· x delete ·"), "{footer}");
    assert!(!footer.contains("d delete"), "{footer}");
}

#[test]
fn the_highlights_footer_leaves_out_an_unbound_action() {
    let mut app = rebound(Mode::Highlights, &[("r", None)]);
    press(&mut app, "Enter j h H");
    let footer = bottom_row(&app);
    assert!(footer.contains(" Enter go · t tag"), "{footer}");
    assert!(!footer.contains("re-attach"), "{footer}");
    assert!(footer.contains("d delete · u undo · q close"), "{footer}");
}

#[test]
fn the_tag_footers_follow_the_keymap() {
    let mut app = rebound(
        Mode::Tags,
        &[("q", None), ("Backspace", Some(Action::Back))],
    );
    press(&mut app, "Enter j h t");
    app.update(Action::InsertChar('x'));
    press(&mut app, "Enter T");
    let footer = bottom_row(&app);
    assert!(footer.contains(" Enter passages · Esc close"), "{footer}");
    press(&mut app, "Enter");
    assert_eq!(app.mode(), Mode::TagPassages);
    let footer = bottom_row(&app);
    assert!(
        footer.contains(" Enter open · q back to tags · T close"),
        "{footer}"
    );
}

#[test]
fn the_warnings_footer_names_rebound_keys_and_drops_unbound_ones() {
    let mut app = rebound(
        Mode::Warnings,
        &[
            ("q", None),
            ("x", Some(Action::Back)),
            ("k", None),
            ("Up", None),
        ],
    );
    press(&mut app, "w");
    assert_eq!(app.mode(), Mode::Warnings);
    let footer = bottom_row(&app);
    assert!(footer.contains(" j scroll · Esc or x close"), "{footer}");
    assert!(!footer.contains("q or"), "{footer}");
}

#[test]
fn the_help_footer_names_a_rebound_search_key() {
    let mut app = rebound(Mode::Help, &[("/", None), ("s", Some(Action::StartFilter))]);
    press(&mut app, "?");
    let footer = bottom_row(&app);
    assert!(
        footer.contains(" j/k scroll · s search · q close"),
        "{footer}"
    );
    assert!(!footer.contains("/ search"), "{footer}");

    let mut unbound = rebound(Mode::Help, &[("/", None)]);
    press(&mut unbound, "?");
    let footer = bottom_row(&unbound);
    assert!(footer.contains(" j/k scroll · q close"), "{footer}");
    assert!(!footer.contains("search"), "{footer}");
}

#[test]
fn the_highlight_notice_names_rebound_keys() {
    let mut app = rebound(Mode::Reader, &[("t", None), ("#", Some(Action::Tag))]);
    press(&mut app, "Enter j h");
    let notice = app.notice.clone().unwrap();
    assert_eq!(
        notice,
        "highlighted in yellow · # tag · a note · d delete · u undo"
    );
    assert!(bottom_row(&app).contains("· # tag ·"));
}

#[test]
fn the_highlight_notice_leaves_out_an_unbound_undo() {
    let mut app = rebound(Mode::Reader, &[("u", None)]);
    press(&mut app, "Enter j h");
    assert_eq!(
        app.notice.as_deref(),
        Some("highlighted in yellow · t tag · a note · d delete")
    );
    press(&mut app, "d");
    assert_eq!(app.notice.as_deref(), Some("highlight deleted"));
}

#[test]
fn the_tag_prompt_names_the_keys_of_the_tag_input() {
    let mut app = rebound(
        Mode::TagInput,
        &[("Tab", None), ("Ctrl-t", Some(Action::Complete))],
    );
    press(&mut app, "Enter j h t");
    let status = bottom_row(&app);
    assert!(
        status.contains("Ctrl-t completes · Enter saves · Esc cancels"),
        "{status}"
    );
    assert!(!status.contains("Tab"), "{status}");
}

/// The first row of the screen, the title bar with the counts.
fn top_row(app: &App) -> String {
    screen(app).lines().next().unwrap().to_string()
}

#[test]
fn the_library_hints_read_as_before_by_default() {
    let mut app = bundled_app(100, 24);
    app.warnings.push("bad.md: no title".to_string());
    press(&mut app, "/ d a t a");
    let top = top_row(&app);
    assert!(top.contains(" passages (Tab)"), "{top}");
    // Accepting the filter opens the first match; back in the list the
    // filter stays.
    press(&mut app, "Enter q");
    assert_eq!(app.mode(), Mode::Library);
    assert!(top_row(&app).contains(" passages (Tab)"));
    let footer = bottom_row(&app);
    assert!(
        footer.contains(" /data (Esc clears)  ⚠ 1 problem loading files (w) "),
        "{footer}"
    );
}

#[test]
fn the_library_hints_name_rebound_keys() {
    let mut app = rebound(
        Mode::Library,
        &[
            ("Tab", None),
            ("F2", Some(Action::ToggleResults)),
            ("Esc", None),
            ("Ctrl-l", Some(Action::ClearFilter)),
            ("w", None),
            ("W", Some(Action::ShowWarnings)),
        ],
    );
    app.warnings.push("bad.md: no title".to_string());
    press(&mut app, "/ d a t a");
    // Typing the filter is another mode, where Tab still switches.
    let top = top_row(&app);
    assert!(top.contains(" passages (Tab)"), "{top}");
    press(&mut app, "Enter q");
    assert_eq!(app.mode(), Mode::Library);
    let top = top_row(&app);
    assert!(top.contains(" passages (F2)"), "{top}");
    assert!(!top.contains("Tab"), "{top}");
    let footer = bottom_row(&app);
    assert!(footer.contains(" /data (Ctrl-l clears) "), "{footer}");
    assert!(footer.contains(" problem loading files (W) "), "{footer}");
    assert!(!footer.contains("Esc"), "{footer}");
    assert!(!footer.contains("(w)"), "{footer}");
}

#[test]
fn the_library_hints_leave_out_unbound_keys() {
    let mut app = rebound(Mode::Library, &[("Tab", None), ("Esc", None), ("w", None)]);
    app.warnings.push("bad.md: no title".to_string());
    press(&mut app, "/ d a t a Enter q");
    assert_eq!(app.mode(), Mode::Library);
    let top = top_row(&app);
    assert!(top.contains(" passages "), "{top}");
    assert!(!top.contains('('), "{top}");
    let footer = bottom_row(&app);
    assert!(
        footer.contains(" /data  ⚠ 1 problem loading files "),
        "{footer}"
    );
    assert!(!footer.contains("clears"), "{footer}");
    assert!(!footer.contains("(w)"), "{footer}");
}
