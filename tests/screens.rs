//! Whole-screen snapshots: the app driven by scripted keys, drawn into ratatui's
//! `TestBackend` at several sizes, and compared with the stored screens.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{bundled_app, press, screen};
use gloss::app::{Action, App, Mode};
use gloss::library::{ArticleCache, CacheUse, Library, Sources};
use gloss::store::positions::Positions;
use ratatui::layout::Rect;

const SIZES: &[(u16, u16)] = &[(80, 24), (40, 10), (1, 1)];

fn snapshot_at_sizes(name: &str, keys: &str) {
    for &(w, h) in SIZES {
        let mut app = bundled_app(w, h);
        press(&mut app, keys);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&app));
    }
}

#[test]
fn library_screen() {
    snapshot_at_sizes("library", "");
}

#[test]
fn library_filtered_as_you_type() {
    snapshot_at_sizes("library_filter", "/ i n n o v");
}

#[test]
fn reader_opened() {
    snapshot_at_sizes("reader", "Enter");
}

#[test]
fn reader_after_moving_the_cursor() {
    snapshot_at_sizes("reader_moved", "Enter j j j j j j");
}

/// The reader's own open leaves passages unsplit into sentences for its first
/// frame (`CacheUse::Read`); an article opened then reads, moves and draws as
/// after a full parse.
#[test]
fn an_article_split_when_opened_reads_as_one_parsed_whole() {
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = ArticleCache::new(cache_dir.path().to_path_buf());
    let sources = Sources {
        bundled: true,
        folders: Vec::new(),
    };
    let library = Library::open_with_progress(&sources, Some(CacheUse::Read(&cache)), &|_, _| {});
    assert!(library.articles.iter().all(|a| !a.sentences_split));
    let mut unsplit = App::new(library, Positions::new(), Rect::new(0, 0, 80, 24));
    let mut whole = bundled_app(80, 24);
    for keys in ["Enter", "j j j", "j j j j j j j", "] j", "k k"] {
        press(&mut unsplit, keys);
        press(&mut whole, keys);
        let cursor = |app: &App| {
            app.reader
                .as_ref()
                .map(|r| (r.cursor.block, r.cursor.sentence))
        };
        assert_eq!(cursor(&unsplit), cursor(&whole), "after {keys}");
        assert_eq!(screen(&unsplit), screen(&whole), "after {keys}");
    }
    assert!(
        whole.reader.as_ref().unwrap().cursor.sentence > 0,
        "the keys moved between sentences of one passage"
    );
    assert!(unsplit.library.articles[0].sentences_split);
    assert!(
        !unsplit.library.articles[1].sentences_split,
        "only the article opened is split"
    );
}

#[test]
fn reader_next_section() {
    snapshot_at_sizes("reader_section", "Enter ] ]");
}

#[test]
fn outline_pane() {
    snapshot_at_sizes("outline", "Enter ] o j");
}

#[test]
fn help_screen() {
    snapshot_at_sizes("help", "Enter ?");
}

#[test]
fn reader_at_the_bottom() {
    snapshot_at_sizes("reader_bottom", "j Enter G");
}

#[test]
fn wide_article_window_centres_the_column() {
    let mut app = bundled_app(160, 30);
    press(&mut app, "Enter");
    let screen = screen(&app);
    let first_text_row = screen.lines().nth(1).unwrap();
    let leading = first_text_row
        .trim_start_matches('"')
        .chars()
        .take_while(|c| *c == ' ')
        .count();
    assert!(leading > 30, "column is not centred: {first_text_row}");
    insta::assert_snapshot!("reader_wide_160x30", screen);
}

#[test]
fn filter_keeps_only_matching_articles() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "/ d i a s p o r a");
    assert_eq!(app.shelf.visible().len(), 1);
    press(&mut app, "Esc");
    assert_eq!(app.shelf.visible().len(), 2);
    assert_eq!(app.mode(), Mode::Library);
}

#[test]
fn q_goes_back_then_quits() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter");
    assert_eq!(app.mode(), Mode::Reader);
    let effects = app.update(Action::Back);
    assert_eq!(app.mode(), Mode::Library);
    assert!(effects.contains(&gloss::app::Effect::SavePositions));
    let effects = app.update(Action::Back);
    assert!(effects.contains(&gloss::app::Effect::Quit));
}

#[test]
fn position_is_remembered_when_reopened() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter j j j j j");
    let before = app.reader.as_ref().unwrap().cursor;
    press(&mut app, "q Enter");
    assert_eq!(app.reader.as_ref().unwrap().cursor, before);
    let id = app.library.articles[0].meta.id.clone();
    assert_eq!(app.positions[&id].block, before.block);
}

#[test]
fn any_size_and_resize_never_panics() {
    let mut app = bundled_app(80, 24);
    for keys in ["", "Enter", "o", "?", "q", "q j", "G", "] ] ]"] {
        press(&mut app, keys);
        for (w, h) in [
            (1, 1),
            (2, 1),
            (1, 30),
            (300, 2),
            (24, 6),
            (23, 5),
            (70, 20),
            (69, 40),
            (500, 200),
            (0, 0),
        ] {
            app.update(Action::Resize {
                width: w,
                height: h,
            });
            if w > 0 && h > 0 {
                let _ = screen(&app);
            }
        }
        app.update(Action::Resize {
            width: 80,
            height: 24,
        });
    }
}

#[test]
fn mouse_click_opens_and_moves_the_cursor() {
    let mut app = bundled_app(80, 24);
    app.update(Action::Click { column: 5, row: 3 });
    assert_eq!(app.mode(), Mode::Reader);
    assert_eq!(app.reader.as_ref().unwrap().article, 1);
    let before = app.reader.as_ref().unwrap().cursor;
    // A click on the last text row lands on a later sentence.
    app.update(Action::Click {
        column: 20,
        row: 21,
    });
    let after = app.reader.as_ref().unwrap().cursor;
    assert!(after > before, "{before:?} -> {after:?}");
    app.update(Action::ScrollDown);
    app.update(Action::ScrollDown);
    assert!(app.reader.as_ref().unwrap().top.item > 0 || app.reader.as_ref().unwrap().top.line > 0);
}

#[test]
fn reader_filter_while_typing() {
    snapshot_at_sizes("reader_filter_typing", "Enter / t r u s t");
}

#[test]
fn reader_filter_applied_and_stepped() {
    snapshot_at_sizes("reader_filter_applied", "Enter / t r u s t Enter n");
}

#[test]
fn library_search_lists_passages() {
    snapshot_at_sizes("library_passages", "/ t r u s t Tab");
}

#[test]
fn filter_shows_only_matching_passages_and_esc_returns() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter j j j");
    let before = app.reader.as_ref().unwrap().cursor;
    press(&mut app, "/ t r u s t");
    let reader = app.reader.as_ref().unwrap();
    let filter = reader.filter.as_ref().unwrap();
    let article = &app.library.articles[reader.article];
    assert!(filter.matches.hidden > 0);
    assert!(!filter.matches.hits.is_empty());
    for &block in &filter.matches.passages {
        assert!(article.blocks[block].text.to_lowercase().contains("trust"));
    }
    // The cursor sits on a passage that matches.
    assert!(filter.matches.passages.contains(&reader.cursor.block));
    press(&mut app, "Enter");
    assert_eq!(app.mode(), Mode::Reader);
    // n steps through every match and wraps around.
    let count = app
        .reader
        .as_ref()
        .unwrap()
        .filter
        .as_ref()
        .unwrap()
        .matches
        .hits
        .len();
    let mut seen = Vec::new();
    for _ in 0..=count {
        press(&mut app, "n");
        seen.push(
            app.reader
                .as_ref()
                .unwrap()
                .filter
                .as_ref()
                .unwrap()
                .current
                .unwrap(),
        );
    }
    assert_eq!(seen.first(), seen.last(), "n wraps: {seen:?}");
    let current = app
        .reader
        .as_ref()
        .unwrap()
        .filter
        .as_ref()
        .unwrap()
        .current
        .unwrap();
    press(&mut app, "N");
    let previous = app
        .reader
        .as_ref()
        .unwrap()
        .filter
        .as_ref()
        .unwrap()
        .current;
    assert_eq!(previous, Some((current + count - 1) % count));
    press(&mut app, "Esc");
    assert!(app.reader.as_ref().unwrap().filter.is_none());
    assert_eq!(app.reader.as_ref().unwrap().cursor, before);
}

#[test]
fn a_bad_regex_is_a_message_not_a_crash() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter / Ctrl-r ( [");
    let filter = app.reader.as_ref().unwrap().filter.as_ref().unwrap();
    assert!(filter.error.is_some());
    assert!(screen(&app).contains("regex"), "{}", screen(&app));
}

#[test]
fn moving_with_a_filter_stays_on_matching_passages() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "Enter / d a t a Enter");
    for _ in 0..40 {
        press(&mut app, "j");
        let reader = app.reader.as_ref().unwrap();
        let filter = reader.filter.as_ref().unwrap();
        assert!(filter.matches.passages.contains(&reader.cursor.block));
    }
}

#[test]
fn library_search_opens_the_article_at_the_passage_with_the_filter_on() {
    let mut app = bundled_app(80, 24);
    press(&mut app, "/ 成 果 Tab");
    assert_eq!(app.shelf.search.passages.len(), 1);
    press(&mut app, "Enter");
    let reader = app.reader.as_ref().unwrap();
    let hit = app.shelf.search.passages[0];
    assert_eq!(reader.article, hit.article);
    assert_eq!(reader.cursor.block, hit.block);
    let filter = reader.filter.as_ref().unwrap();
    assert!(filter.is_active());
    assert_eq!(filter.input, "成果");
    let text = &app.library.articles[hit.article].blocks[hit.block].text;
    let sentence = &text[app.library.articles[hit.article].blocks[hit.block].sentences
        [reader.cursor.sentence]
        .clone()];
    assert!(sentence.contains("成果"), "{sentence}");
}

#[test]
fn a_phrase_match_is_lit_across_a_soft_wrap() {
    // At 40 columns the phrase "pursue ambitious, shared goals" wraps in the
    // first article; every cell of it is lit, on both lines.
    let mut app = bundled_app(40, 30);
    press(&mut app, "Enter /");
    for c in "\"pursue ambitious, shared goals\"".chars() {
        app.update(Action::InsertChar(c));
    }
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(40, 30)).unwrap();
    terminal
        .draw(|f| gloss::view::draw(f, &app, &gloss::view::Theme::default()))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let lit_rows: Vec<u16> = (0..30)
        .filter(|&y| (0..40).any(|x| buffer[(x, y)].bg == ratatui::style::Color::LightRed))
        .collect();
    assert_eq!(
        lit_rows.len(),
        2,
        "the phrase spans two screen lines: {lit_rows:?}\n{}",
        screen(&app)
    );
    let lit: String = lit_rows
        .iter()
        .flat_map(|&y| (0..40).map(move |x| (x, y)))
        .filter(|&(x, y)| buffer[(x, y)].bg == ratatui::style::Color::LightRed)
        .map(|(x, y)| buffer[(x, y)].symbol().to_string())
        .collect();
    // The space at the wrap is not drawn; every other character of the phrase is lit.
    assert_eq!(lit.replace(' ', ""), "pursueambitious,sharedgoals", "{lit}");
}

/// The app with the annotations of a file whose comma after the first
/// highlight was deleted by hand: read-only, with the banner.
fn app_with_a_damaged_store(w: u16, h: u16) -> App {
    use gloss::store::annotations::{Annotations, load, save_merged};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annotations.ron");
    let mut app = bundled_app(w, h);
    // A highlight on the first sentence of the first article, made as a
    // person makes it, then saved as gloss saves it.
    press(&mut app, "Enter h");
    let mut made = Annotations::new();
    for highlight in app.annotations.iter() {
        made.upsert(highlight.clone());
    }
    let mut second = made.iter().next().unwrap().clone();
    second.id = "h-00000000000000b2".into();
    made.upsert(second);
    save_merged(&path, &made).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("\n        ),\n").unwrap() + 10;
    std::fs::write(&path, format!("{}{}", &text[..at], &text[at + 1..])).unwrap();

    let loaded = load(&path);
    let mut app = bundled_app(w, h);
    app.read_only_banner = loaded.read_only_banner();
    app.set_annotations(loaded.annotations, !loaded.read_only);
    app
}

#[test]
fn a_damaged_store_shows_a_read_only_banner_on_both_screens() {
    for &(w, h) in SIZES {
        let mut app = app_with_a_damaged_store(w, h);
        assert_eq!(app.annotations.len(), 2, "both highlights were read");
        insta::assert_snapshot!(format!("read_only_library_{w}x{h}"), screen(&app));
        press(&mut app, "Enter");
        insta::assert_snapshot!(format!("read_only_reader_{w}x{h}"), screen(&app));
        // A change is refused with a message, and the banner stays.
        press(&mut app, "h");
        assert_eq!(app.annotations.len(), 2);
        assert!(app.notice.as_deref().unwrap_or("").contains("gloss repair"));
        assert!(screen(&app).contains("read-only") || w < 24);
    }
}

#[test]
fn a_store_from_a_newer_gloss_shows_the_banner_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annotations.ron");
    std::fs::write(&path, "(version: 7, highlights: [], shelves: [])").unwrap();
    let loaded = gloss::store::annotations::load(&path);
    let mut app = bundled_app(80, 24);
    app.read_only_banner = loaded.read_only_banner();
    app.set_annotations(loaded.annotations, !loaded.read_only);
    insta::assert_snapshot!("read_only_newer_library_80x24", screen(&app));
}
