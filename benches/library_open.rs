//! Opening the synthetic 1,000-article, 50 MB library, generated into a
//! temporary folder by the same code as `examples/gen_library.rs`:
//!
//! - `opened`: [`Library::open_with_progress`] without a cache, as the reader
//!   and the commands open a library nothing of which is cached yet (word
//!   counts, no sentences): what stands between start-up and the first frame
//!   (target: under 0.5 s);
//! - `full`: [`Library::open`], sentences included, for comparison;
//! - `search/*`: a whole `gloss search` (its output thrown away) for a rare
//!   word (most files are left out unparsed), a frequent one (every file is
//!   parsed, text only), and a regex (no file can be left out);
//!   `article_cached/*`: the same from the cache of parsed articles, as every
//!   search after the first runs.
//!
//! Run with `cargo bench --bench library_open`; shorter:
//! `cargo bench --bench library_open -- --warm-up-time 1 --measurement-time 5`.

#[path = "support/synthetic_library.rs"]
mod synthetic_library;

use std::hint::black_box;
use std::path::Path;

use clap::Parser;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gloss::cli::{self, Cli};
use gloss::library::{Folder, Library, Sources};
use gloss::paths::DataPaths;

fn sources(dir: &Path) -> Sources {
    Sources {
        bundled: false,
        folders: vec![Folder {
            path: dir.to_path_buf(),
            optional: false,
        }],
    }
}

/// `gloss search ARGS…` on the library in `sources`, its cache in `data`,
/// everything it prints thrown away.
fn search(sources: &Sources, data: &Path, args: &[&str]) {
    let cli = match Cli::try_parse_from(["gloss", "search"].iter().chain(args)) {
        Ok(cli) => cli,
        Err(error) => panic!("gloss search {args:?}: {error}"),
    };
    let Some(command) = cli.command else {
        panic!("gloss search {args:?} parsed without its command");
    };
    let paths = DataPaths::under(data.to_path_buf());
    let outcome = cli::execute(
        &command,
        sources,
        &paths,
        &mut std::io::sink(),
        &mut std::io::sink(),
    );
    if let Err(error) = outcome {
        panic!("gloss search {args:?}: {error}");
    }
}

fn opening(c: &mut Criterion) {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("no temporary folder for the library: {error}"),
    };
    let bytes = match synthetic_library::write_library(
        dir.path(),
        synthetic_library::DEFAULT_ARTICLES,
        synthetic_library::DEFAULT_SEED,
    ) {
        Ok(bytes) => bytes,
        Err(error) => panic!("could not write the synthetic library: {error}"),
    };
    let sources = sources(dir.path());
    let full = Library::open(&sources);
    assert_eq!(full.articles.len(), synthetic_library::DEFAULT_ARTICLES);
    assert!(full.warnings.is_empty(), "{:?}", full.warnings);

    let mut group = c.benchmark_group("library_open");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    group.bench_function("opened", |b| {
        b.iter(|| black_box(Library::open_with_progress(&sources, None, &|_, _| {})));
    });
    group.bench_function("full", |b| b.iter(|| black_box(Library::open(&sources))));
    let searches: [(&str, &[&str]); 3] = [
        ("rare_word", &[synthetic_library::RARE_WORD]),
        ("frequent_word", &[synthetic_library::FREQUENT_WORD]),
        ("regex", &["--regex", "fund(ing|s)"]),
    ];
    let data = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("no temporary folder for the cache: {error}"),
    };
    for (name, args) in searches {
        let uncached: Vec<&str> = args.iter().copied().chain(["--no-cache"]).collect();
        group.bench_function(format!("search/{name}"), |b| {
            b.iter(|| search(&sources, data.path(), black_box(&uncached)));
        });
        // The first search fills the cache; the rest read it.
        group.bench_function(format!("article_cached/{name}"), |b| {
            b.iter(|| search(&sources, data.path(), black_box(args)));
        });
    }
    group.finish();
}

criterion_group!(benches, opening);
criterion_main!(benches);
