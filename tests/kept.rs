//! Nothing typed is lost and highlights land where the person put them:
//! jumping to a highlight from the lists, a note draft left with Esc, a paste
//! with CR line ends, a selection made while the keyword filter hides
//! passages, and the same quote highlighted twice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{bundled_app, press, screen, type_text};
use gloss::app::Mode;

#[test]
fn enter_in_the_highlights_list_lands_on_the_highlight_itself() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter j j j h g H Enter");
    assert_eq!(app.mode(), Mode::Reader);
    let reader = app.reader.as_ref().unwrap();
    let placed = &reader.marks.placed[0];
    let article = &app.library.articles[reader.article];
    let block = &article.blocks[reader.cursor.block];
    let sentence = &block.sentences[reader.cursor.sentence];
    assert_eq!(
        block.start + sentence.start,
        placed.range.start,
        "the cursor is on the highlight's first sentence"
    );
    // So `t` tags it rather than saying there is no highlight here.
    press(&mut app, "t");
    assert_eq!(app.mode(), Mode::TagInput, "{:?}", app.notice);
}

#[test]
fn enter_in_the_tag_browser_lands_on_the_highlight_itself() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter j j j h t");
    type_text(&mut app, "trust");
    press(&mut app, "Enter g T Enter Enter");
    assert_eq!(app.mode(), Mode::Reader);
    press(&mut app, "t");
    assert_eq!(app.mode(), Mode::TagInput, "{:?}", app.notice);
}

fn note_of_only_highlight(app: &gloss::app::App) -> String {
    assert_eq!(app.annotations.len(), 1);
    app.annotations.iter().next().unwrap().note.clone()
}

/// The bundled app with one highlight whose note is being written.
fn writing_a_note(width: u16, height: u16) -> gloss::app::App {
    let mut app = bundled_app(width, height);
    press(&mut app, "Enter j h a");
    assert_eq!(app.mode(), Mode::NoteEditor);
    app
}

#[test]
fn esc_on_an_unchanged_note_closes_at_once() {
    let mut app = writing_a_note(80, 24);
    press(&mut app, "Esc");
    assert_eq!(app.mode(), Mode::Reader);
    // Typed and deleted again: the same text, nothing to ask about.
    press(&mut app, "a x Backspace Esc");
    assert_eq!(app.mode(), Mode::Reader);
}

#[test]
fn esc_on_a_changed_note_asks_and_each_answer_does_what_it_says() {
    let mut app = writing_a_note(80, 24);
    type_text(&mut app, "a thought worth keeping");
    press(&mut app, "Esc");
    assert_eq!(app.mode(), Mode::LeavingNote);
    insta::assert_snapshot!("leaving_a_changed_note_80x24", screen(&app));

    // Esc again (or `e`) goes back to the text, nothing lost.
    press(&mut app, "Esc");
    assert_eq!(app.mode(), Mode::NoteEditor);
    type_text(&mut app, "!");
    press(&mut app, "Esc e");
    assert_eq!(app.mode(), Mode::NoteEditor);

    // `s` saves.
    press(&mut app, "Esc s");
    assert_eq!(app.mode(), Mode::Reader);
    assert_eq!(note_of_only_highlight(&app), "a thought worth keeping!");

    // `d` discards, after being asked.
    press(&mut app, "a");
    type_text(&mut app, " and more");
    press(&mut app, "Esc d");
    assert_eq!(app.mode(), Mode::Reader);
    assert_eq!(note_of_only_highlight(&app), "a thought worth keeping!");
}

#[test]
fn quitting_with_a_changed_note_asks_first_and_a_second_quit_leaves() {
    let mut app = writing_a_note(80, 24);
    type_text(&mut app, "half a thought");
    let effects = app.update(gloss::app::Action::Quit);
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.mode(), Mode::LeavingNote);
    // Asked: `s` keeps it, and then quitting leaves at once.
    press(&mut app, "s");
    assert_eq!(note_of_only_highlight(&app), "half a thought");
    let effects = app.update(gloss::app::Action::Quit);
    assert!(effects.contains(&gloss::app::Effect::Quit), "{effects:?}");

    // A second quit at the question is the person's answer.
    let mut app = writing_a_note(80, 24);
    type_text(&mut app, "dropped on purpose");
    app.update(gloss::app::Action::Quit);
    let effects = app.update(gloss::app::Action::Quit);
    assert!(effects.contains(&gloss::app::Effect::Quit), "{effects:?}");
}

#[test]
fn the_leaving_prompt_fits_small_screens() {
    for (width, height) in [(40, 10), (20, 6), (1, 1)] {
        let mut app = writing_a_note(width, height);
        type_text(&mut app, "draft");
        press(&mut app, "Esc");
        assert_eq!(app.mode(), Mode::LeavingNote);
        let shown = screen(&app);
        if width >= 40 {
            assert!(shown.contains("Save? s · d · Esc"), "{shown}");
            assert!(!shown.contains("Esc cancel"), "{shown}");
        }
    }
    let mut app = writing_a_note(40, 10);
    type_text(&mut app, "draft");
    press(&mut app, "Esc");
    insta::assert_snapshot!("leaving_a_changed_note_40x10", screen(&app));
}

#[test]
fn a_selection_over_passages_the_filter_hides_is_refused_and_kept() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter /");
    type_text(&mut app, "trust");
    press(&mut app, "Enter n v j");
    let reader = app.reader.as_ref().unwrap();
    let (from, to) = (reader.selection.unwrap(), reader.cursor);
    let shown = reader.filter.as_ref().unwrap().shown().unwrap().to_vec();
    let article = &app.library.articles[reader.article];
    let hidden = (from.block..=to.block)
        .filter(|b| article.blocks[*b].is_passage() && !shown.contains(b))
        .count();
    assert!(
        hidden > 0,
        "the test needs a selection over hidden passages"
    );
    press(&mut app, "h");
    assert_eq!(
        app.annotations.len(),
        0,
        "nothing the person did not see is quoted"
    );
    let notice = app.notice.clone().unwrap();
    assert!(notice.contains("the filter hides"), "{notice}");
    assert!(
        screen(&app).contains("the filter hides"),
        "{}",
        screen(&app)
    );
    // The selection is still there, to shrink back onto what shows.
    assert!(app.reader.as_ref().unwrap().selection.is_some());
    press(&mut app, "k h");
    assert_eq!(app.annotations.len(), 1);
    let quote = &app.annotations.iter().next().unwrap().anchor.quote.exact;
    assert!(quote.to_lowercase().contains("trust"), "{quote}");
}

#[test]
fn a_selection_within_what_the_filter_shows_is_highlighted() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter /");
    type_text(&mut app, "trust");
    press(&mut app, "Enter n v h");
    assert_eq!(app.annotations.len(), 1);
}

#[test]
fn the_same_sentence_highlighted_twice_is_one_highlight() {
    let mut app = bundled_app(80, 24);
    // A selection of exactly one sentence, then the same again.
    press(&mut app, "Enter j v h v h");
    assert_eq!(app.annotations.len(), 1);
    assert!(
        app.notice
            .as_deref()
            .unwrap_or("")
            .contains("already highlighted"),
        "{:?}",
        app.notice
    );
    // Over two sentences, twice.
    press(&mut app, "j j v j h k v j h");
    assert_eq!(app.annotations.len(), 2);
    // The existing highlight is the one under the cursor: `t` tags it.
    press(&mut app, "t");
    assert_eq!(app.mode(), Mode::TagInput);
}
