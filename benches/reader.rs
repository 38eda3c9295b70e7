//! The reader's hot paths on an article of 100,000 screen lines: a frame must
//! cost the same at the top and at the bottom (only what is on screen is
//! wrapped), a resize must re-wrap within one frame, and paging must stay cheap
//! in the middle of the text. Parsing the article is measured for the record.
//!
//! Run with `cargo bench --bench reader`; shorter:
//! `cargo bench --bench reader -- --warm-up-time 1 --measurement-time 3`.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gloss::app::{Action, App};
use gloss::library::{Article, Library, Origin, parse_article};
use gloss::store::positions::Positions;
use gloss::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

/// 20,000 paragraphs of about five lines each in a 72-column text column.
const PARAGRAPHS: usize = 20_000;
/// A `##` section every this many paragraphs (400 sections).
const PARAGRAPHS_PER_SECTION: usize = 50;
const WIDTH: u16 = 100;
const HEIGHT: u16 = 40;
const SMALL_WIDTH: u16 = 60;
const SMALL_HEIGHT: u16 = 30;

/// Paragraphs of the short article drawn for comparison (1,000 lines).
const SHORT_PARAGRAPHS: usize = 200;

/// The Markdown source of an article of `paragraphs` paragraphs.
fn source(paragraphs: usize) -> String {
    let mut source = String::from("---\nid: long\ntitle: A very long article\n---\n\n");
    for paragraph in 0..paragraphs {
        if paragraph % PARAGRAPHS_PER_SECTION == 0 {
            let _ = write!(
                source,
                "## Section {}\n\n",
                paragraph / PARAGRAPHS_PER_SECTION + 1
            );
        }
        // About 350 characters in four sentences: five lines at 72 columns.
        let _ = write!(
            source,
            "Paragraph {paragraph} opens with a sentence about cultural exchange and the \
             institutions that sustain it over many years. A second sentence adds detail on \
             funding, mobility and the metrics used to judge success. The third one is \
             shorter. The last sentence closes the paragraph with a remark on trust between \
             partners.\n\n"
        );
    }
    source
}

/// An article of `paragraphs` paragraphs, parsed.
fn article(paragraphs: usize) -> Article {
    parse_article(&source(paragraphs), Origin::Bundled("long.md".into()))
        .unwrap_or_else(|err| panic!("the benchmark article does not parse: {err}"))
}

/// The app with the long article open at the top, sized `WIDTH` × `HEIGHT`.
fn reading_app() -> App {
    reading_app_with(PARAGRAPHS)
}

fn reading_app_with(paragraphs: usize) -> App {
    let library = Library {
        articles: vec![article(paragraphs)],
        warnings: Vec::new(),
    };
    let mut app = App::new(library, Positions::new(), Rect::new(0, 0, WIDTH, HEIGHT));
    app.open_article(0);
    app
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT))
        .unwrap_or_else(|err| panic!("cannot create the test terminal: {err}"))
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    if let Err(err) = terminal.draw(|frame| view::draw(frame, app, &view::Theme::default())) {
        panic!("drawing failed: {err}");
    }
}

/// Whether the last frame shows `text` somewhere: proof the benchmark draws
/// the part of the article it claims to.
fn shows(terminal: &Terminal<TestBackend>, text: &str) -> bool {
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    let symbols: Vec<&str> = buffer
        .content()
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    symbols.chunks(width).any(|row| row.concat().contains(text))
}

/// Moves the reader to the first sentence of the middle section.
fn to_middle(app: &mut App) {
    let geometry = app.geometry();
    let Some(article) = app.library.articles.first() else {
        return;
    };
    if let Some(reader) = app.reader.as_mut() {
        reader.jump_to_section(article, article.sections.len() / 2, geometry);
    }
}

fn parse(c: &mut Criterion) {
    let source = source(PARAGRAPHS);
    let mut group = c.benchmark_group("parse");
    group.sample_size(10);
    group.bench_function("article_100k_lines", |b| {
        b.iter(|| parse_article(black_box(&source), Origin::Bundled("long.md".into())));
    });
    group.finish();
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame_100x40");

    let app = reading_app();
    let mut terminal = terminal();
    draw(&mut terminal, &app);
    assert!(
        shows(&terminal, "Paragraph 0 opens"),
        "the top of the article is not drawn"
    );
    group.bench_function("top", |b| b.iter(|| draw(&mut terminal, black_box(&app))));

    // The same frame from an article 100 times shorter: if the top of the long
    // article costs more than this, some work grows with the document.
    let short = reading_app_with(SHORT_PARAGRAPHS);
    group.bench_function("top_of_a_1000_line_article", |b| {
        b.iter(|| draw(&mut terminal, black_box(&short)));
    });

    let mut app = reading_app();
    app.update(Action::Bottom);
    draw(&mut terminal, &app);
    let last = format!("Paragraph {} opens", PARAGRAPHS - 1);
    assert!(
        shows(&terminal, &last),
        "the bottom of the article is not drawn"
    );
    group.bench_function("bottom", |b| {
        b.iter(|| draw(&mut terminal, black_box(&app)));
    });

    let mut app = reading_app();
    to_middle(&mut app);
    let middle = app.reader.clone();
    let middle_paragraph = format!("Paragraph {} opens", PARAGRAPHS / 2);
    draw(&mut terminal, &app);
    assert!(
        shows(&terminal, &middle_paragraph),
        "the middle of the article is not drawn"
    );

    app.update(Action::PageDown);
    assert_ne!(
        app.reader.as_ref().map(|r| r.top),
        middle.as_ref().map(|r| r.top),
        "paging down in the middle does not move"
    );
    group.bench_function("page_down_in_the_middle", |b| {
        b.iter(|| {
            app.reader.clone_from(&middle);
            app.update(Action::PageDown);
            draw(&mut terminal, &app);
        });
    });

    group.bench_function("resize_to_60x30_and_back", |b| {
        b.iter(|| {
            app.reader.clone_from(&middle);
            app.update(Action::Resize {
                width: SMALL_WIDTH,
                height: SMALL_HEIGHT,
            });
            app.update(Action::Resize {
                width: WIDTH,
                height: HEIGHT,
            });
            draw(&mut terminal, &app);
        });
    });
    group.finish();
}

criterion_group!(benches, frames, parse);
criterion_main!(benches);
