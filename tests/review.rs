//! A highlight whose article changed, from the reader: the words the person
//! chose stay in the file, the place found is kept beside them, a place
//! found by similarity is marked for review in `H` and the margin until the
//! person accepts it (`A`) or re-attaches the highlight (`r`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{press, screen};
use gloss::annotation::{Highlight, PlaceState};
use gloss::app::{Action, App, Effect};
use gloss::library::{Library, Origin, parse_article};
use gloss::store::annotations::Annotations;

fn one_article_app(body: &str, annotations: Annotations) -> App {
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

fn only_highlight(app: &App) -> Highlight {
    assert_eq!(app.annotations.len(), 1);
    app.annotations.iter().next().cloned().unwrap()
}

const ORIGINAL: &str = "The harbour opened in spring. Ships from the north brought timber and salt to the growing town.\n\nMerchants built warehouses along the quay.\n";
const EDITED: &str = "The harbour opened in spring. Ships from the far north brought timber and salt to the growing town.\n\nMerchants built warehouses along the quay.\n";

#[test]
fn an_edited_passage_keeps_the_original_words_and_waits_for_review() {
    let mut app = one_article_app(ORIGINAL, Annotations::new());
    press(&mut app, "Enter j h");
    let made = only_highlight(&app);

    let mut app = one_article_app(EDITED, app.annotations.clone());
    let effects = app.update(Action::Open);
    assert!(
        effects.contains(&Effect::SaveAnnotations),
        "the place is saved"
    );
    let stored = only_highlight(&app);
    assert_eq!(stored.anchor, made.anchor, "the person's words are kept");
    assert_eq!(stored.text_hash, made.text_hash);
    let place = stored.placement.as_ref().unwrap();
    assert_eq!(place.state, PlaceState::Fuzzy);
    assert_eq!(
        place.anchor.quote.exact,
        "Ships from the far north brought timber and salt to the growing town."
    );
    let reader = app.reader.as_ref().unwrap();
    assert!(reader.marks.placed[0].review);
    assert!(screen(&app).contains('≈'), "the margin asks for review");

    press(&mut app, "H");
    let list = screen(&app);
    assert!(
        list.contains("needs review: Ships from the north"),
        "{list}"
    );
    assert!(
        list.contains("now (A accepts): Ships from the far north"),
        "{list}"
    );
    assert!(list.contains("A accept"), "{list}");

    press(&mut app, "A");
    let accepted = only_highlight(&app);
    assert_eq!(accepted.anchor, made.anchor, "accepting keeps the original");
    assert_eq!(
        accepted.placement.as_ref().unwrap().state,
        PlaceState::Accepted
    );
    assert!(!app.reader.as_ref().unwrap().marks.placed[0].review);
    assert!(!screen(&app).contains("needs review"));

    press(&mut app, "u");
    assert_eq!(only_highlight(&app).placement, stored.placement, "undone");
}

#[test]
fn accepting_works_from_the_reader_on_the_highlight_under_the_cursor() {
    let mut app = one_article_app(ORIGINAL, Annotations::new());
    press(&mut app, "Enter j h");
    let mut app = one_article_app(EDITED, app.annotations.clone());
    press(&mut app, "Enter j A");
    let accepted = only_highlight(&app);
    assert_eq!(
        accepted.placement.as_ref().unwrap().state,
        PlaceState::Accepted
    );
    assert!(!screen(&app).contains('≈'));
}

#[test]
fn re_attaching_an_orphan_keeps_the_original_quote() {
    let mut app = one_article_app(ORIGINAL, Annotations::new());
    press(&mut app, "Enter j h");
    let made = only_highlight(&app);
    let rewritten = "The harbour opened in spring. Boats out of the cold north carried lumber and salt into the young town.\n\nMerchants built warehouses along the quay.\n";
    let mut app = one_article_app(rewritten, app.annotations.clone());
    press(&mut app, "Enter H r");
    let attached = only_highlight(&app);
    assert_eq!(attached.anchor, made.anchor);
    let place = attached.placement.as_ref().unwrap();
    assert_eq!(place.state, PlaceState::Reattached);
    assert_eq!(
        place.anchor.quote.exact,
        "Boats out of the cold north carried lumber and salt into the young town."
    );
}

/// The article of `body`, as the library parses it.
fn essay(body: &str) -> gloss::library::Article {
    let source = format!("---\nid: essay\ntitle: An essay\n---\n\n{body}");
    parse_article(&source, Origin::Bundled("essay.md".into())).unwrap()
}

#[test]
fn exports_quote_the_original_words_and_mark_a_place_in_review() {
    use gloss::export::{Document, ExportOptions, render_article, render_json};
    let original = essay(ORIGINAL);
    let plain = original.plain_text();
    let quote = "Ships from the north brought timber and salt to the growing town.";
    let start = plain.find(quote).unwrap();
    let highlight = gloss::annotation::new_highlight(
        &original,
        &plain,
        start..start + quote.len(),
        gloss::annotation::Color::Green,
        jiff::Timestamp::UNIX_EPOCH,
    );
    let edited = essay(EDITED);

    let markdown = render_article(&edited, &[&highlight], &ExportOptions::default());
    assert!(markdown.contains(&format!("> {quote}")), "{markdown}");
    assert!(
        markdown.contains(
            "*needs review: the article changed and now reads “Ships from the far north brought timber and salt to the growing town.”*"
        ),
        "{markdown}"
    );

    let json = render_json(
        &Document::article(&edited, vec![&highlight]),
        &ExportOptions::default(),
    )
    .unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let exported = &value["articles"][0]["highlights"][0];
    assert_eq!(exported["quote"], quote);
    assert_eq!(exported["state"], "fuzzy");
    assert_eq!(exported["review"], true);
    assert_eq!(
        exported["now"],
        "Ships from the far north brought timber and salt to the growing town."
    );

    // Unchanged, nothing is marked.
    let markdown = render_article(&original, &[&highlight], &ExportOptions::default());
    assert!(!markdown.contains("needs review"), "{markdown}");
}
