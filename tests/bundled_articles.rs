//! The bundled articles are cleaned copies of raw scraped documents kept in
//! `tests/fixtures/seeds/`. This test reads each seed and proves, through the real
//! parser, that its bundled article keeps the title, subtitle, date, every heading
//! and every paragraph word for word and in order, and nothing else: no share-bar
//! or advertisement noise, and no block the seed does not account for.

#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};

use gloss::library::{Article, BlockKind, Library, Sources};

/// Lines of the scraped pages that are page furniture, not article text.
const NOISE_LINES: &[&str] = &[
    "Facebook X Pinterest",
    "Facebook X Reddit",
    "Email",
    "Send by Email",
    "ADVERTISEMENT",
];

/// The line that opens the list of related articles at the end of a seed. When
/// only noise follows it, the list is empty and the heading is noise too.
const RELATED_ARTICLES: &str = "Related Articles";

/// Heading lines in the seeds are one short phrase; paragraphs run to a hundred
/// words. A line with fewer words than this is a heading.
const HEADING_MAX_WORDS: usize = 15;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// What one non-noise line of a seed must become in the article.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expected {
    /// A `##` section whose title is the line.
    Heading(String),
    /// A paragraph whose text is the line, exactly.
    Paragraph(String),
    /// A list item holding a related article's summary, then its date.
    Related { summary: String, date: String },
}

/// A seed split into its header lines and the body the article must reproduce.
#[derive(Debug)]
struct Seed {
    name: String,
    title: String,
    subtitle: String,
    date_line: String,
    body: Vec<Expected>,
}

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds")
}

fn is_noise(line: &str) -> bool {
    NOISE_LINES.contains(&line)
}

/// `August 12, 2025` → `2025-08-12`.
fn iso_date(long: &str) -> Option<String> {
    let (month, rest) = long.split_once(' ')?;
    let (day, year) = rest.split_once(", ")?;
    let month = MONTHS.iter().position(|m| *m == month)? + 1;
    let day: u32 = day.parse().ok()?;
    let year: u32 = year.parse().ok()?;
    ((1..=31).contains(&day) && year >= 1000).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

fn read_seed(path: &Path) -> Seed {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let raw = std::fs::read_to_string(path).expect("seed files are UTF-8 text");
    let lines: Vec<&str> = raw.lines().collect();
    let [title, subtitle, date_line, rest @ ..] = lines.as_slice() else {
        panic!("{name}: a seed starts with a title, a subtitle and a date line");
    };
    let lines: Vec<&str> = rest.iter().copied().filter(|l| !is_noise(l)).collect();

    let mut body = Vec::new();
    let mut iter = lines.iter();
    while let Some(&line) = iter.next() {
        if line == RELATED_ARTICLES {
            let entries: Vec<&str> = iter.by_ref().copied().collect();
            if entries.is_empty() {
                break;
            }
            assert!(
                entries.len().is_multiple_of(2),
                "{name}: related articles come as summary/date pairs"
            );
            body.push(Expected::Heading(line.to_string()));
            for pair in entries.chunks(2) {
                assert!(
                    iso_date(pair[1]).is_some(),
                    "{name}: '{}' should be the date of a related article",
                    pair[1]
                );
                body.push(Expected::Related {
                    summary: pair[0].to_string(),
                    date: pair[1].to_string(),
                });
            }
        } else if line.split_whitespace().count() < HEADING_MAX_WORDS {
            body.push(Expected::Heading(line.to_string()));
        } else {
            body.push(Expected::Paragraph(line.to_string()));
        }
    }
    Seed {
        name,
        title: (*title).to_string(),
        subtitle: (*subtitle).to_string(),
        date_line: (*date_line).to_string(),
        body,
    }
}

fn all_seeds() -> Vec<Seed> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(seeds_dir())
        .expect("tests/fixtures/seeds exists")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths.iter().map(|p| read_seed(p)).collect()
}

fn bundled_library() -> Library {
    Library::open(&Sources {
        bundled: true,
        folders: vec![],
    })
}

fn article_for<'a>(library: &'a Library, seed: &Seed) -> &'a Article {
    library
        .articles
        .iter()
        .find(|a| a.meta.title == seed.title)
        .unwrap_or_else(|| {
            panic!(
                "{}: no bundled article is titled '{}' (bundled titles: {:?})",
                seed.name,
                seed.title,
                library
                    .articles
                    .iter()
                    .map(|a| &a.meta.title)
                    .collect::<Vec<_>>()
            )
        })
}

/// Checks one block against what the seed line says it must be.
fn assert_block_matches(article: &Article, index: usize, expected: &Expected, seed: &str) {
    let block = &article.blocks[index];
    match expected {
        Expected::Heading(title) => {
            let BlockKind::Heading { level, section } = block.kind else {
                panic!(
                    "{seed}: block {index} should be the heading '{title}', found {:?}: {:?}",
                    block.kind, block.text
                );
            };
            assert_eq!(level, 2, "{seed}: '{title}' should be a ## section");
            assert_eq!(&block.text, title, "{seed}: heading block {index}");
            assert_eq!(
                article.sections.get(section).map(|s| s.title.as_str()),
                Some(title.as_str()),
                "{seed}: '{title}' should be a section title"
            );
        }
        Expected::Paragraph(text) => {
            assert_eq!(
                block.kind,
                BlockKind::Paragraph,
                "{seed}: block {index} should be a paragraph: {text:?}"
            );
            assert_eq!(&block.text, text, "{seed}: paragraph block {index}");
        }
        Expected::Related { summary, date } => {
            assert_eq!(
                block.kind,
                BlockKind::ListItem,
                "{seed}: block {index} should be the related article {summary:?}"
            );
            let after_summary = block
                .text
                .find(summary.as_str())
                .map(|at| &block.text[at + summary.len()..]);
            assert!(
                after_summary.is_some_and(|rest| rest.contains(date.as_str())),
                "{seed}: list item {index} should hold {summary:?} then {date:?}, found {:?}",
                block.text
            );
        }
    }
}

#[test]
fn every_seed_has_a_fixture() {
    let seeds = all_seeds();
    assert!(
        seeds.len() >= 2,
        "expected the two seed documents in {}",
        seeds_dir().display()
    );
}

#[test]
fn header_lines_become_front_matter() {
    let library = bundled_library();
    for seed in all_seeds() {
        let article = article_for(&library, &seed);
        assert_eq!(
            article.meta.subtitle.as_deref(),
            Some(seed.subtitle.as_str()),
            "{}: subtitle",
            seed.name
        );
        let iso = iso_date(&seed.date_line)
            .unwrap_or_else(|| panic!("{}: '{}' is not a date", seed.name, seed.date_line));
        assert_eq!(
            article.meta.date.as_deref(),
            Some(iso.as_str()),
            "{}: date",
            seed.name
        );
    }
}

#[test]
fn every_seed_line_survives_in_order_and_nothing_else() {
    let library = bundled_library();
    for seed in all_seeds() {
        let article = article_for(&library, &seed);
        let shown: Vec<&str> = article.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            article.blocks.len(),
            seed.body.len(),
            "{}: the article should have one block per seed line; blocks: {shown:#?}",
            seed.name
        );
        for (index, expected) in seed.body.iter().enumerate() {
            assert_block_matches(article, index, expected, &seed.name);
        }
        let headings = seed
            .body
            .iter()
            .filter(|e| matches!(e, Expected::Heading(_)))
            .count();
        assert_eq!(
            article.sections.len(),
            headings,
            "{}: one section per heading line",
            seed.name
        );
    }
}

#[test]
fn no_noise_reaches_the_articles() {
    let library = bundled_library();
    assert!(!library.articles.is_empty(), "the bundled library is empty");
    for article in &library.articles {
        for block in &article.blocks {
            assert!(
                !block.text.contains("ADVERTISEMENT"),
                "{}: advertisement in {:?}",
                article.meta.id,
                block.text
            );
            assert!(
                !is_noise(block.text.trim()),
                "{}: share-bar line {:?} kept",
                article.meta.id,
                block.text
            );
        }
    }
}

#[test]
fn wide_characters_survive() {
    let library = bundled_library();
    let mut checked = 0;
    for seed in all_seeds() {
        let in_seed = seed
            .body
            .iter()
            .any(|e| matches!(e, Expected::Paragraph(p) if p.contains("成果")));
        if in_seed {
            let article = article_for(&library, &seed);
            assert!(
                article.plain_text().contains("成果"),
                "{}: the wide characters 成果 were lost",
                seed.name
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no seed contains 成果 any more");
}

#[test]
fn long_dates_convert_to_iso() {
    assert_eq!(iso_date("August 12, 2025").as_deref(), Some("2025-08-12"));
    assert_eq!(iso_date("July 07, 2025").as_deref(), Some("2025-07-07"));
    assert_eq!(iso_date("Smarch 12, 2025"), None);
    assert_eq!(iso_date("August 40, 2025"), None);
    assert_eq!(iso_date("2025-08-12"), None);
}
