//! The annotations file at 100,000 highlights: loading it, saving it (the whole
//! locked read-merge-write, three ways from the state loaded, with the file
//! as this process has it and after another instance changed some highlights), and what `Saver::request` costs
//! the caller while a save of that size is running on the saving thread.
//! Cloning the store, which a caller does to hand over a snapshot, and freeing
//! a loaded store are measured too. The store saved is the one loaded from the
//! file, as the reader has it.
//!
//! Run with `cargo bench --bench store`; shorter:
//! `cargo bench --bench store -- --warm-up-time 1 --measurement-time 5`.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use gloss::annotation::{Color, Highlight, TextAnchor, TextPosition, TextQuote, text_hash};
use gloss::store::annotations::{
    Annotations, Saver, SaverReport, Snapshot, load, save_merged, save_merged_from,
};
use gloss::store::write_atomic;
use jiff::Timestamp;

const HIGHLIGHTS: usize = 100_000;

const WORDS: &[&str] = &[
    "the",
    "cultural",
    "exchange",
    "funding",
    "mobility",
    "metrics",
    "trust",
    "between",
    "partners",
    "programme",
    "students",
    "research",
    "policy",
    "成果",
    "café",
    "Straße",
];

fn words(seed: usize, count: usize) -> String {
    (0..count)
        .map(|i| WORDS[(seed * 31 + i * 7) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// A store shaped like a heavy user's: quotes of a sentence or two with their
/// context, two or three tags each, a note on one highlight in four.
fn big_store() -> Annotations {
    let base = Timestamp::from_second(1_780_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
    let mut annotations = Annotations::new();
    for n in 0..HIGHLIGHTS {
        let at = Timestamp::from_second(base.as_second() + n as i64).unwrap_or(base);
        let start = (n % 500) * 300;
        annotations.upsert(Highlight {
            id: format!("h-{:016x}", (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
            article: format!("article-{:04}", n % 1000),
            text_hash: text_hash(&n.to_string()),
            anchor: TextAnchor {
                quote: TextQuote {
                    exact: words(n, 18),
                    prefix: words(n + 1, 5),
                    suffix: words(n + 2, 5),
                },
                position: TextPosition {
                    block: n % 500,
                    start,
                    end: start + 120,
                },
            },
            placement: None,
            color: Color::ALL[n % Color::ALL.len()],
            tags: (0..2 + n % 2)
                .map(|t| format!("tag-{}", (n + t) % 40))
                .collect(),
            note: if n % 4 == 0 {
                format!("{}\n{}", words(n + 3, 12), words(n + 4, 8))
            } else {
                String::new()
            },
            created: at,
            updated: at,
        });
    }
    annotations
}

fn store(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("no temporary folder: {err}"));
    let path = dir.path().join("annotations.ron");
    write_file(&path, &big_store());
    let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
    eprintln!(
        "annotations.ron with {HIGHLIGHTS} highlights: {:.1} MB",
        bytes as f64 / 1e6
    );
    // What is saved is what the reader holds after starting: the store as
    // loaded from the file.
    let big = load(&path).annotations;
    file(c, &path, &big);
    saver(c, &path, &big);
}

fn write_file(path: &Path, annotations: &Annotations) {
    if let Err(err) = save_merged(path, annotations) {
        panic!("cannot write the benchmark file: {err}");
    }
}

/// Loading, the locked read-merge-write, cloning and freeing.
fn file(c: &mut Criterion, path: &Path, big: &Annotations) {
    // The same file as another instance leaves it: one highlight in a hundred
    // edited there.
    let mut theirs = big.clone();
    let edited: Vec<Highlight> = big
        .iter()
        .step_by(100)
        .map(|highlight| {
            let mut copy = highlight.clone();
            copy.note = format!("{} (edited elsewhere)", copy.note);
            copy.updated = Timestamp::now();
            copy
        })
        .collect();
    for highlight in edited {
        theirs.upsert(highlight);
    }
    let theirs_path = path.with_file_name("theirs.ron");
    write_file(&theirs_path, &theirs);
    let theirs_bytes = std::fs::read(&theirs_path)
        .unwrap_or_else(|err| panic!("cannot read the benchmark file: {err}"));

    let mut group = c.benchmark_group("store_100k");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    // Until the highlights are in memory; freeing them is measured apart.
    group.bench_function("load", |b| b.iter_with_large_drop(|| load(path)));
    group.bench_function("save_merged", |b| {
        b.iter(|| black_box(save_merged_from(path, big, big).map(|saved| saved.annotations.len())));
    });
    group.bench_function("save_merged_after_another_instance", |b| {
        b.iter_batched(
            // As the other instance leaves it: written whole and on disk.
            || {
                if let Err(err) = write_atomic(&theirs_path, &theirs_bytes) {
                    panic!("cannot reset the benchmark file: {err}");
                }
            },
            |()| {
                black_box(
                    save_merged_from(&theirs_path, big, big).map(|saved| saved.annotations.len()),
                )
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("clone_snapshot", |b| b.iter(|| black_box(big.clone())));
    group.bench_function("free_loaded", |b| {
        b.iter_batched(|| load(path), drop, BatchSize::PerIteration);
    });
    group.finish();
}

/// `big` to save, made from the file as it holds `big`.
fn snapshot_of(big: &Annotations) -> Snapshot {
    Snapshot {
        base: big.clone(),
        ours: big.clone(),
    }
}

/// What a background save costs the saving thread, and what a request costs
/// the caller while one runs.
fn saver(c: &mut Criterion, path: &Path, big: &Annotations) {
    // What a background save costs the saving thread when the file is still
    // the one it wrote last (the usual case): no need to read it back.
    let saver = Saver::spawn(path);
    let mut group = c.benchmark_group("saver_100k");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    let mut edited = big.clone();
    // What the reader last learned the file holds: the base of its next save.
    let mut base = big.clone();
    let mut edits = 0u32;
    group.bench_function("save_after_its_own_save", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                edits += 1;
                let first = edited.iter().next().cloned();
                if let Some(mut changed) = first {
                    changed.note = format!("edit {edits}");
                    changed.updated = Timestamp::now();
                    edited.upsert(changed);
                }
                let started = Instant::now();
                saver.request(Snapshot {
                    base: base.clone(),
                    ours: edited.clone(),
                });
                if let Err(err) = saver.flush() {
                    panic!("the save failed: {err}");
                }
                spent += started.elapsed();
                for report in saver.results() {
                    if let SaverReport::Saved { saved, .. } = report {
                        base = saved.annotations;
                    }
                }
            }
            spent
        });
    });
    group.finish();
    drop(saver);

    // The saving thread is kept busy with 100,000-highlight saves: each batch
    // starts one, and the requests timed meanwhile replace one another as the
    // snapshot waiting. A request moves its snapshot without copying it, so an
    // empty one costs the same as a full one (checked below).
    let saver = Saver::spawn(path);
    let mut group = c.benchmark_group("saver");
    group.bench_function("request_during_a_100k_save", |b| {
        b.iter_custom(|iters| {
            saver.request(snapshot_of(big));
            std::thread::sleep(Duration::from_millis(5));
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                let snapshot = Snapshot::default();
                let started = Instant::now();
                saver.request(snapshot);
                spent += started.elapsed();
            }
            spent
        });
    });
    group.finish();

    let mut times: Vec<Duration> = (0..20)
        .map(|_| {
            let snapshot = snapshot_of(big);
            let started = Instant::now();
            saver.request(snapshot);
            let spent = started.elapsed();
            std::thread::sleep(Duration::from_millis(20));
            spent
        })
        .collect();
    times.sort();
    eprintln!(
        "request with a 100k snapshot during a save: median {:?}, worst {:?} (20 requests)",
        times[times.len() / 2],
        times[times.len() - 1]
    );
    if let Err(err) = saver.flush() {
        panic!("the last save failed: {err}");
    }
    let outcomes = saver
        .results()
        .filter(|report| matches!(report, SaverReport::Saved { .. }))
        .count();
    eprintln!("saves finished during the saver benchmarks: {outcomes}");
}

criterion_group!(benches, store);
criterion_main!(benches);
