//! The library filter as a person types, over the synthetic 1,000-article,
//! 50 MB library: what each keystroke costs `App::update` (the whole update,
//! query compile and matching included). The target is one frame, 16 ms.
//!
//! `cargo bench --bench library_filter -- --warm-up-time 1 --measurement-time 3`

#[path = "support/synthetic_library.rs"]
mod synthetic_library;

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use gloss::app::{Action, App};
use gloss::library::{Folder, Library, Sources};
use gloss::store::positions::Positions;
use ratatui::layout::Rect;

fn library() -> Library {
    let dir = std::env::temp_dir().join("gloss-bench-library");
    if !dir
        .join(synthetic_library::file_name(
            synthetic_library::DEFAULT_ARTICLES - 1,
        ))
        .exists()
    {
        let written = synthetic_library::write_library(
            &dir,
            synthetic_library::DEFAULT_ARTICLES,
            synthetic_library::DEFAULT_SEED,
        );
        if let Err(err) = written {
            panic!(
                "could not write the synthetic library into {}: {err}",
                dir.display()
            );
        }
    }
    let library = Library::open(&Sources {
        bundled: false,
        folders: vec![Folder {
            path: dir,
            optional: false,
        }],
    });
    assert_eq!(library.articles.len(), synthetic_library::DEFAULT_ARTICLES);
    library
}

/// An app on the library with `typed` already in the filter.
fn typed(library: &Library, typed: &str) -> App {
    let mut app = App::new(library.clone(), Positions::new(), Rect::new(0, 0, 120, 40));
    app.update(Action::StartFilter);
    for c in typed.chars() {
        app.update(Action::InsertChar(c));
    }
    app
}

fn keystrokes(c: &mut Criterion) {
    let library = library();
    let mut group = c.benchmark_group("library filter keystroke");
    group.sample_size(20);
    // Each case: what was typed before, then the key measured.
    for (before, key) in [
        ("", 'f'),          // one letter: titles, ids and tags only
        ("f", 'u'),         // the first full-text keystroke: every passage
        ("fu", 'n'),        // refining: only passages that matched "fu"
        ("fundin", 'g'),    // refining a frequent word
        ("quokk", 'a'),     // refining a rare word
        ("funding", ' '),   // a space: same words, same result
        ("funding m", 'e'), // a second word, refining
    ] {
        let name = format!("{before:?} + {key:?}");
        group.bench_function(name, |b| {
            // By reference: dropping the app's copy of the library is not timed.
            b.iter_batched_ref(
                || typed(&library, before),
                |app| black_box(app.update(Action::InsertChar(key))),
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, keystrokes);
criterion_main!(benches);
