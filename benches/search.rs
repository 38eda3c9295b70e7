//! Keyword search over a generated article of about 5 MB (some 6,000 passages of
//! prose with accented, German, Greek and CJK words mixed in): filtering it with
//! a literal word, a phrase, a non-ASCII word, a diacritics-insensitive word and
//! a regex, plus compiling a query, which every keystroke of the filter pays.
//!
//! Run with `cargo bench --bench search`; shorter:
//! `cargo bench --bench search -- --warm-up-time 1 --measurement-time 3`.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gloss::library::{Article, Origin, parse_article};
use gloss::search::{Query, QueryOptions, filter_article};

/// Generated text size to aim for.
const TEXT_BYTES: usize = 5 * 1024 * 1024;
const WORDS_PER_PASSAGE: usize = 120;
const PASSAGES_PER_SECTION: usize = 40;

const VOCABULARY: &[&str] = &[
    "the",
    "of",
    "and",
    "cultural",
    "exchange",
    "institutions",
    "funding",
    "mobility",
    "metrics",
    "trust",
    "between",
    "partners",
    "years",
    "programme",
    "students",
    "research",
    "results",
    "policy",
    "over",
    "many",
    "with",
    "a",
    "to",
    "in",
    "café",
    "naïve",
    "über",
    "Straße",
    "Σοφία",
    "成果",
    "the",
    "and",
    "of",
    "support",
    "network",
    "exchanges",
];

/// A Markdown article of about [`TEXT_BYTES`], the same on every run.
fn source() -> String {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let mut text = String::from("---\nid: bench\ntitle: Search bench\n---\n\n");
    let mut passage = 0;
    while text.len() < TEXT_BYTES {
        if passage % PASSAGES_PER_SECTION == 0 {
            let _ = write!(
                text,
                "## Section {}\n\n",
                passage / PASSAGES_PER_SECTION + 1
            );
        }
        for word in 0..WORDS_PER_PASSAGE {
            if word > 0 {
                text.push(' ');
            }
            text.push_str(VOCABULARY[next() % VOCABULARY.len()]);
        }
        text.push_str(".\n\n");
        passage += 1;
    }
    text
}

fn article() -> Article {
    match parse_article(&source(), Origin::Bundled("bench.md".into())) {
        Ok(article) => article,
        Err(error) => panic!("the generated article does not parse: {error}"),
    }
}

fn query(input: &str, options: QueryOptions) -> Query {
    Query::parse(input, options).unwrap_or_else(|error| panic!("{input}: {error}"))
}

fn filtering(c: &mut Criterion) {
    let article = article();
    let plain = QueryOptions::default();
    let loose = QueryOptions {
        diacritics_insensitive: true,
        ..plain
    };
    let regex = QueryOptions {
        regex: true,
        ..plain
    };
    let cases = [
        ("literal_word", query("funding", plain)),
        ("absent_word", query("zebra", plain)),
        ("two_words", query("funding metrics", plain)),
        ("phrase", query("\"cultural exchange\"", plain)),
        ("non_ascii_word", query("straße", plain)),
        ("diacritics_insensitive", query("cafe", loose)),
        ("regex", query(r"fund\w+ing|mobil\w*", regex)),
    ];
    let mut group = c.benchmark_group("filter_5mb_article");
    group.throughput(Throughput::Bytes(article.text_len as u64));
    group.sample_size(20);
    for (name, query) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| black_box(filter_article(query, black_box(&article))));
        });
    }
    group.finish();
}

fn compiling(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile_query");
    group.bench_function("two_words", |b| {
        b.iter(|| query(black_box("funding metrics"), QueryOptions::default()));
    });
    let loose = QueryOptions {
        diacritics_insensitive: true,
        ..QueryOptions::default()
    };
    group.bench_function("diacritics_insensitive", |b| {
        b.iter(|| query(black_box("cafe naive"), loose));
    });
    group.finish();
}

criterion_group!(benches, filtering, compiling);
criterion_main!(benches);
