//! A paste into a one-line input is one edit: the library's and the reader's
//! filter take 100 KB in one update that filters once, keep the first
//! thousand characters and say so, where one update per character used to
//! freeze the screen for minutes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use crate::common;

use common::{bundled_app, press, screen, type_text};
use gloss::app::{App, Mode, Overlay};

/// 100 KB of words with the line ends terminals paste, the kind of text a
/// person pastes by mistake.
fn big_paste() -> String {
    "a sentence of prose from somewhere else,\r\n".repeat(100 * 1024 / 42)
}

/// Pastes `text` once and returns how long the update took.
fn paste_once(app: &mut App, text: &str) -> Duration {
    let start = Instant::now();
    app.paste(text);
    start.elapsed()
}

/// Far below the seconds per 10 KB the old per-character updates took, far
/// above what one update of a capped query costs on a slow machine.
const PROMPT: Duration = Duration::from_secs(2);

#[test]
fn a_big_paste_into_the_library_filter_is_one_capped_update() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "/");
    let took = paste_once(&mut app, &big_paste());
    assert!(took < PROMPT, "the paste took {took:?}");
    assert_eq!(app.mode(), Mode::LibraryFilter);
    assert_eq!(app.shelf.filter.chars().count(), 1000);
    assert!(
        app.shelf
            .filter
            .starts_with("a sentence of prose from somewhere else, a sentence"),
        "line breaks are spaces: {:?}",
        &app.shelf.filter[..60]
    );
    let notice = app.notice.clone().expect("a notice says the paste was cut");
    assert!(notice.contains("1000 characters"), "{notice}");
    assert!(screen(&app).contains("the filter holds 1000 characters at most"));

    // The next key types on as usual (nothing: the line is full) and the
    // filter still answers deleting.
    type_text(&mut app, "x");
    assert_eq!(app.shelf.filter.chars().count(), 1000);
    press(&mut app, "Backspace");
    assert_eq!(app.shelf.filter.chars().count(), 999);
}

#[test]
fn a_big_paste_into_the_reader_filter_is_one_capped_update() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter /");
    assert_eq!(app.mode(), Mode::ReaderFilter);
    let took = paste_once(&mut app, &big_paste());
    assert!(took < PROMPT, "the paste took {took:?}");
    let input = &app.reader.as_ref().unwrap().filter.as_ref().unwrap().input;
    assert_eq!(input.chars().count(), 1000);
    let notice = app.notice.clone().expect("a notice says the paste was cut");
    assert!(notice.contains("1000 characters"), "{notice}");
    assert!(screen(&app).contains("the filter holds 1000 characters at most"));
}

#[test]
fn a_short_paste_is_typed_whole_with_no_notice() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "/");
    app.paste("read\r\ning");
    assert_eq!(app.shelf.filter, "read ing");
    assert_eq!(app.notice, None);
}

#[test]
fn the_help_search_and_a_tag_are_capped_too() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "? /");
    app.paste(&big_paste());
    let Some(Overlay::Help { search, .. }) = &app.overlay else {
        panic!("the help is open");
    };
    assert_eq!(search.query.chars().count(), 1000);
    assert!(screen(&app).contains("the search holds 1000 characters at most"));

    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter h t");
    assert_eq!(app.mode(), Mode::TagInput);
    app.paste(&big_paste());
    assert_eq!(app.tag_input.as_ref().unwrap().input.chars().count(), 1000);
    assert!(screen(&app).contains("the tag holds 1000 characters at most"));
}

/// Input waiting behind a keystroke (typed ahead while the library filter
/// ran) stops the filter: the list stays as it was, and the filter runs for
/// the newest input once nothing more waits, giving what typing alone gives.
#[test]
fn the_library_filter_gives_way_to_input_waiting_and_finishes_after() {
    use std::sync::atomic::Ordering;
    let mut typed = bundled_app(80, 24);
    press(&mut typed, "/");
    type_text(&mut typed, "exchange");
    let wanted = typed.shelf.visible().to_vec();
    let wanted_passages = typed.shelf.search.passages.len();
    assert!(wanted_passages > 0);

    let mut app = bundled_app(80, 24);
    press(&mut app, "/");
    type_text(&mut app, "e");
    let before = app.shelf.visible().to_vec();
    app.input_waiting.store(true, Ordering::SeqCst);
    type_text(&mut app, "xchange");
    assert_eq!(app.shelf.filter, "exchange", "what was typed is kept");
    assert!(
        app.shelf.search.passages.is_empty(),
        "no full-text result yet"
    );
    assert_eq!(app.shelf.visible(), before.as_slice(), "the list as it was");

    // Nothing waits any more: the next update finishes the filter.
    app.input_waiting.store(false, Ordering::SeqCst);
    app.update(gloss::app::Action::Resize {
        width: 80,
        height: 24,
    });
    assert_eq!(app.shelf.visible(), wanted.as_slice());
    assert_eq!(app.shelf.search.passages.len(), wanted_passages);
    assert_eq!(screen(&app), screen(&typed));
}
