//! The help screen's search and the library's key hint, as a person meets
//! them: keys pressed through the real keymap, the screen drawn into
//! ratatui's `TestBackend` and compared with stored snapshots.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{buffer_in, bundled_app, press, screen};
use gloss::app::help::HelpSearch;
use gloss::app::{Mode, Overlay};
use gloss::view::Theme;

fn help_search(app: &gloss::app::App) -> Option<&HelpSearch> {
    match &app.overlay {
        Some(Overlay::Help { search, .. }) => Some(search),
        _ => None,
    }
}

#[test]
fn typing_narrows_the_help_and_lights_the_words() {
    for (w, h) in [(80, 24), (40, 10)] {
        let mut app = bundled_app(w, h);
        press(&mut app, "? / s e c t i o n");
        assert_eq!(app.mode(), Mode::HelpSearch);
        insta::assert_snapshot!(format!("help_search_typing_{w}x{h}"), screen(&app));
    }
}

#[test]
fn enter_keeps_the_search_and_esc_clears_it_then_closes() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "? / r e a d e r Space s e c t i o n Enter");
    assert_eq!(app.mode(), Mode::Help, "Enter returns to scrolling");
    assert_eq!(help_search(&app).unwrap().query, "reader section");
    insta::assert_snapshot!("help_search_kept_80x24", screen(&app));

    // Scrolling keys scroll the narrowed page, not type.
    press(&mut app, "j");
    assert_eq!(help_search(&app).unwrap().query, "reader section");

    press(&mut app, "Esc");
    assert_eq!(app.mode(), Mode::Help, "the first Esc clears the search");
    assert_eq!(help_search(&app), Some(&HelpSearch::default()));
    assert!(screen(&app).contains("j/k scroll · / search · q close"));

    press(&mut app, "Esc");
    assert_eq!(app.mode(), Mode::Library, "the second Esc closes the help");
}

#[test]
fn esc_while_typing_clears_and_backspace_widens() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "? / e x p o r t");
    assert!(screen(&app).contains(" 1 of "), "{}", screen(&app));
    press(
        &mut app,
        "Backspace Backspace Backspace Backspace Backspace",
    );
    assert_eq!(help_search(&app).unwrap().query, "e");
    let widened = screen(&app);
    assert!(!widened.contains(" 1 of "), "{widened}");
    press(&mut app, "Esc");
    assert_eq!(app.mode(), Mode::Help);
    assert_eq!(help_search(&app), Some(&HelpSearch::default()));
}

#[test]
fn a_search_that_finds_nothing_says_so() {
    let mut app = bundled_app(40, 10);
    press(&mut app, "? / z e b r a");
    let shown = screen(&app);
    assert!(shown.contains("No key matches “zebra”."), "{shown}");
    assert!(shown.contains("0 of "), "{shown}");
    insta::assert_snapshot!("help_search_nothing_40x10", shown);
}

#[test]
fn the_matching_text_is_lit() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "? / m a r k d o w n Enter");
    let theme = Theme::default();
    let buffer = buffer_in(&app, &theme);
    let row = (0..buffer.area.height)
        .find(|&y| {
            let line: String = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect();
            line.contains("export this article's notes to Markdown")
        })
        .expect("the export row is shown");
    let lit_bg = theme
        .keyword_match
        .bg
        .expect("the default theme lights with a colour");
    let lit: String = (0..buffer.area.width)
        .filter(|&x| buffer[(x, row)].bg == lit_bg)
        .map(|x| buffer[(x, row)].symbol().to_string())
        .collect();
    assert_eq!(lit, "Markdown");
}

#[test]
fn the_library_hint_shrinks_once_something_was_read() {
    for (w, h) in [(80, 24), (40, 10)] {
        let mut app = bundled_app(w, h);
        let first = screen(&app);
        assert!(
            first.contains("Enter open · / filter · ? help · q quit"),
            "{first}"
        );
        press(&mut app, "Enter q");
        assert_eq!(app.mode(), Mode::Library);
        assert!(!app.positions.is_empty());
        insta::assert_snapshot!(format!("library_after_reading_{w}x{h}"), screen(&app));
    }
}

#[test]
fn a_crowded_status_line_keeps_whole_hint_items() {
    let mut app = bundled_app(40, 10);
    press(&mut app, "/ i n n o v Enter q");
    assert_eq!(app.mode(), Mode::Library);
    let shown = screen(&app);
    let footer = shown.lines().last().unwrap();
    assert!(footer.contains("/innov (Esc clears)"), "{footer}");
    assert!(footer.contains("? help"), "{footer}");
    assert!(!footer.contains('…'), "no item is cut: {footer}");
    insta::assert_snapshot!("library_filter_kept_40x10", shown);
}
