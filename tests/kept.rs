//! Nothing typed is lost and highlights land where the person put them:
//! jumping to a highlight from the lists, a note draft left with Esc, a paste
//! with CR line ends, a selection made while the keyword filter hides
//! passages, and the same quote highlighted twice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{bundled_app, press};
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
    common::type_text(&mut app, "trust");
    press(&mut app, "Enter g T Enter Enter");
    assert_eq!(app.mode(), Mode::Reader);
    press(&mut app, "t");
    assert_eq!(app.mode(), Mode::TagInput, "{:?}", app.notice);
}
