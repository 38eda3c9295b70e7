//! Highlights, tags and notes made from the reader, driven by scripted keys:
//! what the person sees while selecting, tagging, writing a note and browsing,
//! and that every change can be undone and redone.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{bundled_app, press, screen, type_text};
use gloss::annotation::Color;
use gloss::app::{Action, App, Effect, Mode};

fn first_article_with_highlight() -> App {
    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter j h");
    app
}

fn only_highlight(app: &App) -> gloss::annotation::Highlight {
    assert_eq!(app.annotations.len(), 1);
    app.annotations.iter().next().cloned().unwrap()
}

#[test]
fn h_highlights_the_sentence_under_the_cursor_and_asks_for_a_save() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter j");
    let effects = app.update(Action::Highlight);
    assert!(effects.contains(&Effect::SaveAnnotations));
    let h = only_highlight(&app);
    assert!(
        h.anchor
            .quote
            .exact
            .starts_with("Governments, universities"),
        "{}",
        h.anchor.quote.exact
    );
    assert!(h.anchor.quote.exact.ends_with("political cycles."));
    assert_eq!(h.anchor.quote.prefix.chars().count(), 32);
    assert_eq!(h.color, Color::Yellow);
}

#[test]
fn a_selection_extends_over_sentences_and_paragraphs() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter j j j j v j j j");
    assert_eq!(
        app.reader.as_ref().unwrap().selection.map(|c| c.block),
        Some(0)
    );
    insta::assert_snapshot!("selecting_80x24", screen(&app));
    press(&mut app, "h");
    let h = only_highlight(&app);
    assert!(
        h.anchor.quote.exact.contains("\n\n"),
        "spans two paragraphs: {:?}",
        h.anchor.quote.exact
    );
    assert!(app.reader.as_ref().unwrap().selection.is_none());
}

#[test]
fn h_again_cycles_the_colour_and_u_undoes_it() {
    let mut app = first_article_with_highlight();
    press(&mut app, "h");
    assert_eq!(only_highlight(&app).color, Color::Green);
    press(&mut app, "u");
    assert_eq!(only_highlight(&app).color, Color::Yellow);
    press(&mut app, "Ctrl-r");
    assert_eq!(only_highlight(&app).color, Color::Green);
}

#[test]
fn tagging_with_completion_from_tags_already_used() {
    let mut app = first_article_with_highlight();
    press(&mut app, "t");
    assert_eq!(app.mode(), Mode::TagInput);
    type_text(&mut app, "Funding, field notes");
    press(&mut app, "Enter");
    assert_eq!(only_highlight(&app).tags, vec!["Funding", "field notes"]);

    // A second highlight: "fi" + Tab completes to the tag used before.
    press(&mut app, "j j h t");
    type_text(&mut app, "fi");
    press(&mut app, "Tab");
    insta::assert_snapshot!("tagging_80x24", screen(&app));
    press(&mut app, "Enter");
    let tags: Vec<Vec<String>> = app.annotations.iter().map(|h| h.tags.clone()).collect();
    assert!(tags.contains(&vec!["field notes".to_string()]), "{tags:?}");
    // Tags compare case-insensitively: "funding" is the same tag as "Funding".
    press(&mut app, "t");
    type_text(&mut app, "funding");
    press(&mut app, "Enter");
    let browser = app.tag_index();
    let names: Vec<&str> = browser.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, vec!["field notes", "Funding"]);
    assert_eq!(browser[1].1.len(), 2);
}

#[test]
fn esc_cancels_tagging_without_a_change() {
    let mut app = first_article_with_highlight();
    press(&mut app, "t");
    type_text(&mut app, "nope");
    let effects = app.update(Action::Cancel);
    assert!(effects.is_empty());
    assert!(only_highlight(&app).tags.is_empty());
}

#[test]
fn the_note_editor_writes_multi_line_notes() {
    let mut app = first_article_with_highlight();
    press(&mut app, "a");
    assert_eq!(app.mode(), Mode::NoteEditor);
    type_text(&mut app, "First line of the note");
    press(&mut app, "Enter");
    type_text(&mut app, "成果 and more");
    insta::assert_snapshot!("note_editor_80x24", screen(&app));
    assert!(screen(&app).contains("Ctrl-s save"));
    press(&mut app, "Ctrl-s");
    assert_eq!(
        only_highlight(&app).note,
        "First line of the note\n成果 and more"
    );
    // The note mark shows in the gutter.
    assert!(screen(&app).contains('✎'), "{}", screen(&app));
    // Esc asks about a changed note; `d` leaves the note as it was.
    press(&mut app, "a");
    type_text(&mut app, " extra");
    press(&mut app, "Esc d");
    assert_eq!(
        only_highlight(&app).note,
        "First line of the note\n成果 and more"
    );
}

#[test]
fn pasting_into_a_note_keeps_lines_and_drops_controls() {
    let mut app = first_article_with_highlight();
    press(&mut app, "a");
    app.paste("one\r\ntwo\u{1b}[31m");
    press(&mut app, "Ctrl-s");
    let note = only_highlight(&app).note;
    assert!(note.starts_with("one\ntwo"), "{note:?}");
    assert!(!note.contains('\u{1b}'), "{note:?}");
}

#[test]
fn every_change_undoes_and_redoes() {
    let mut app = first_article_with_highlight();
    press(&mut app, "h t");
    type_text(&mut app, "x");
    press(&mut app, "Enter a");
    type_text(&mut app, "n");
    press(&mut app, "Ctrl-s d");
    assert_eq!(app.annotations.len(), 0);
    // delete, note, tag, colour, create
    press(&mut app, "u");
    assert_eq!(only_highlight(&app).note, "n");
    press(&mut app, "u");
    assert_eq!(only_highlight(&app).note, "");
    press(&mut app, "u");
    assert!(only_highlight(&app).tags.is_empty());
    press(&mut app, "u");
    assert_eq!(only_highlight(&app).color, Color::Yellow);
    press(&mut app, "u");
    assert_eq!(app.annotations.len(), 0);
    press(&mut app, "u");
    assert_eq!(app.notice.as_deref(), Some("nothing to undo"));
    for _ in 0..5 {
        press(&mut app, "Ctrl-r");
    }
    assert_eq!(app.annotations.len(), 0, "redo ends with the delete");
    press(&mut app, "u");
    assert_eq!(only_highlight(&app).note, "n");
}

#[test]
fn highlights_list_jumps_and_edits() {
    let mut app = first_article_with_highlight();
    press(&mut app, "G h H");
    assert_eq!(app.mode(), Mode::Highlights);
    insta::assert_snapshot!("highlights_list_80x24", screen(&app));
    press(&mut app, "j t");
    type_text(&mut app, "late");
    press(&mut app, "Enter");
    assert_eq!(app.mode(), Mode::Highlights);
    press(&mut app, "k Enter");
    assert_eq!(app.mode(), Mode::Reader);
    let reader = app.reader.as_ref().unwrap();
    assert_eq!(
        reader.cursor.block, 0,
        "Enter jumped to the first highlight"
    );
    press(&mut app, "H j d");
    assert_eq!(app.annotations.len(), 1);
    press(&mut app, "u");
    assert_eq!(app.annotations.len(), 2);
}

#[test]
fn tag_browser_opens_the_article_at_the_passage() {
    let mut app = bundled_app(80, 24);
    // Tag a passage in the second article, then browse from the library.
    press(&mut app, "j Enter G h t");
    type_text(&mut app, "metrics");
    press(&mut app, "Enter q q");
    let mut app2 = app;
    // Back on the library screen (the first q left the reader).
    assert_eq!(app2.mode(), Mode::Library);
    press(&mut app2, "g T");
    assert_eq!(app2.mode(), Mode::Tags);
    insta::assert_snapshot!("tag_browser_80x24", screen(&app2));
    press(&mut app2, "Enter");
    assert_eq!(app2.mode(), Mode::TagPassages);
    insta::assert_snapshot!("tag_passages_80x24", screen(&app2));
    press(&mut app2, "Enter");
    assert_eq!(app2.mode(), Mode::Reader);
    let reader = app2.reader.as_ref().unwrap();
    assert_eq!(reader.article, 1);
    let article = &app2.library.articles[1];
    assert_eq!(reader.cursor.block, article.blocks.len() - 1);
}

#[test]
fn the_filter_understands_tags_and_notes() {
    let mut app = first_article_with_highlight();
    press(&mut app, "t");
    type_text(&mut app, "metrics");
    press(&mut app, "Enter G h a");
    type_text(&mut app, "why");
    press(&mut app, "Ctrl-s g /");
    type_text(&mut app, "tag:metrics");
    let reader = app.reader.as_ref().unwrap();
    assert_eq!(reader.filter.as_ref().unwrap().matches.passages, vec![0]);
    press(&mut app, "Esc /");
    type_text(&mut app, "has:note");
    let reader = app.reader.as_ref().unwrap();
    let article = &app.library.articles[reader.article];
    let last_passage = article
        .blocks
        .iter()
        .rposition(gloss::library::Block::is_passage)
        .unwrap();
    assert_eq!(
        reader.filter.as_ref().unwrap().matches.passages,
        vec![last_passage]
    );
}

#[test]
fn highlights_are_drawn_in_their_colours() {
    let mut app = first_article_with_highlight();
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| gloss::view::draw(f, &app, &gloss::view::Theme::default()))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    let yellow = buffer
        .content()
        .iter()
        .filter(|c| c.bg == ratatui::style::Color::Yellow)
        .count();
    assert!(yellow > 40, "{yellow} yellow cells");
    press(&mut app, "h");
    terminal
        .draw(|f| gloss::view::draw(f, &app, &gloss::view::Theme::default()))
        .unwrap();
    let green = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .filter(|c| c.bg == ratatui::style::Color::Green)
        .count();
    assert!(green > 40, "{green} green cells");
}

#[test]
fn read_only_annotations_refuse_changes_with_a_message() {
    let mut app = bundled_app(80, 24);
    app.set_annotations(gloss::store::annotations::Annotations::new(), false);
    press(&mut app, "Enter h");
    assert_eq!(app.annotations.len(), 0);
    assert!(app.notice.as_deref().unwrap_or("").contains("read-only"));
}

fn one_article_app(body: &str, annotations: gloss::store::annotations::Annotations) -> App {
    use gloss::library::{Library, Origin, parse_article};
    let source = format!("---\nid: essay\ntitle: An essay\n---\n\n{body}");
    let article = parse_article(&source, Origin::Bundled("essay.md".into())).unwrap();
    let library = Library {
        articles: vec![article],
        warnings: Vec::new(),
    };
    let mut app = App::new(
        library,
        gloss::store::positions::Positions::new(),
        ratatui::layout::Rect::new(0, 0, 80, 24),
    );
    app.set_annotations(annotations, true);
    app
}

#[test]
fn highlights_follow_edits_and_orphans_can_be_reattached_or_deleted() {
    let original = "The harbour opened in spring. Ships from the north brought timber and salt to the growing town.\n\nMerchants built warehouses along the quay.\n";
    let mut app = one_article_app(original, gloss::store::annotations::Annotations::new());
    press(&mut app, "Enter j h");
    let made = only_highlight(&app);
    assert!(made.anchor.quote.exact.starts_with("Ships from the north"));

    // Text inserted before: the highlight moves with its quote, and is repaired.
    let moved = format!("A new opening paragraph.\n\n{original}");
    let mut app = one_article_app(&moved, app.annotations.clone());
    let effects = app.update(Action::Open);
    assert!(
        effects.contains(&Effect::SaveAnnotations),
        "the repaired anchor is saved"
    );
    let reader = app.reader.as_ref().unwrap();
    assert_eq!(reader.marks.placed.len(), 1);
    assert_eq!(
        &reader.plain[reader.marks.placed[0].range.clone()],
        made.anchor.quote.exact
    );

    // The sentence rewritten beyond recognition: an orphan, kept and listed.
    let rewritten = "The harbour opened in spring. Nobody remembers what the first ships carried anymore, sadly.\n\nMerchants built warehouses along the quay.\n";
    let mut app = one_article_app(rewritten, app.annotations.clone());
    press(&mut app, "Enter H");
    assert_eq!(app.annotations.len(), 1, "an orphan is never dropped");
    assert_eq!(app.reader.as_ref().unwrap().marks.orphans.len(), 1);
    let list = screen(&app);
    assert!(list.contains("orphaned"), "{list}");
    insta::assert_snapshot!("orphan_listed_80x24", list);
    press(&mut app, "d");
    assert_eq!(app.annotations.len(), 0);
}

#[test]
fn an_orphan_with_a_close_passage_is_reattached_with_r() {
    let original = "The harbour opened in spring. Ships from the north brought timber and salt to the growing town.\n\nMerchants built warehouses along the quay.\n";
    let mut app = one_article_app(original, gloss::store::annotations::Annotations::new());
    press(&mut app, "Enter j h");
    let rewritten = "The harbour opened in spring. Boats out of the cold north carried lumber and salt into the young town.\n\nMerchants built warehouses along the quay.\n";
    let mut app = one_article_app(rewritten, app.annotations.clone());
    press(&mut app, "Enter H");
    let orphans = app.reader.as_ref().unwrap().marks.orphans.clone();
    assert_eq!(
        orphans.len(),
        1,
        "{:?}",
        app.reader.as_ref().unwrap().marks.placed
    );
    assert!(orphans[0].best.is_some(), "a close passage is offered");
    assert!(screen(&app).contains("closest now"), "{}", screen(&app));
    press(&mut app, "r");
    let reader = app.reader.as_ref().unwrap();
    assert!(reader.marks.orphans.is_empty());
    assert_eq!(
        reader.marks.placed.len(),
        1,
        "re-attached to its closest passage"
    );
    press(&mut app, "u");
    assert_eq!(
        app.reader.as_ref().unwrap().marks.orphans.len(),
        1,
        "undo makes it an orphan again"
    );
}

#[test]
fn the_library_filter_finds_articles_by_the_tags_of_their_highlights() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "j Enter h t");
    type_text(&mut app, "zebra");
    press(&mut app, "Enter q /");
    type_text(&mut app, "zebra");
    assert_eq!(app.shelf.visible(), &[1]);
    press(&mut app, "Esc /");
    type_text(&mut app, "tag:zebra");
    assert_eq!(app.shelf.search.passages.len(), 1);
    assert_eq!(app.shelf.search.passages[0].article, 1);
}

#[test]
fn e_asks_to_export_the_article_and_the_export_holds_the_highlight() {
    let mut app = first_article_with_highlight();
    let effects = app.update(Action::Export);
    assert_eq!(effects, vec![Effect::ExportArticle(0)]);
    let dir = tempfile::tempdir().unwrap();
    let path = gloss::export::export_article_to_dir(
        &app.library.articles[0],
        &app.annotations,
        dir.path(),
    )
    .unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    let quote = only_highlight(&app).anchor.quote.exact;
    assert!(written.contains(&quote), "{written}");
}
