//! Opening a library folder full of good and hostile files: every good article
//! loads, every bad file is one warning that names it, nothing panics.

#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use gloss::library::{BlockKind, Folder, Library, Sources};

fn sources(path: &Path, optional: bool) -> Sources {
    Sources {
        bundled: false,
        folders: vec![Folder {
            path: path.to_path_buf(),
            optional,
        }],
    }
}

/// Files that must load, by id.
const GOOD: &[(&str, &str)] = &[
    (
        "alpha.md",
        "---\nid: alpha\ntitle: Alpha\ndate: 2025-08-12\ntags: [one, two]\n---\n\n# \
         Ignored\n\n## Part\n\nFirst paragraph.\n",
    ),
    ("beta.md", "# Beta\n\nText with 成果 in it.\n"),
];

/// Files that must be skipped, each with a word its warning must contain.
fn bad_files() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        ("empty.md", Vec::new(), "empty"),
        ("blank.md", b" \n\n\t\n".to_vec(), "empty"),
        (
            "image.md",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            "binary",
        ),
        ("latin1.md", b"# Caf\xe9\n\nCr\xe8me.\n".to_vec(), "UTF-8"),
        (
            "broken-front-matter.md",
            b"---\ntitle: \"unterminated\n---\n\nText.\n".to_vec(),
            "line 2",
        ),
        (
            "unclosed-front-matter.md",
            b"---\ntitle: T\n\nText.\n".to_vec(),
            "front matter",
        ),
        ("title-only.md", b"# Just a title\n".to_vec(), "no text"),
        (
            "deep-quotes.md",
            format!("{}deep\n", ">".repeat(50_000)).into_bytes(),
            "nested",
        ),
        (
            "deep-lists.md",
            format!("{}deep\n", "- ".repeat(50_000)).into_bytes(),
            "nested",
        ),
        (
            "deep-lazy-quotes.md",
            format!("{}deep\n{}", "> ".repeat(50_000), "more\n".repeat(50_000)).into_bytes(),
            "nested",
        ),
    ]
}

#[test]
fn a_folder_of_good_and_bad_files_loads_the_good_and_names_the_bad() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in GOOD {
        fs::write(dir.path().join(name), text).unwrap();
    }
    let bad = bad_files();
    for (name, bytes, _) in &bad {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    fs::create_dir(dir.path().join("x.md")).unwrap();

    // Large inputs that are valid and must load.
    let sentence = "A long single line keeps going without a break. ";
    let long_line = sentence.repeat(5_000_000 / sentence.len());
    fs::write(dir.path().join("long-line.md"), &long_line).unwrap();
    let mut headings = String::from("# Many headings\n\n");
    for i in 0..20_000 {
        writeln!(headings, "## Heading {i}\n\nText {i}.\n").unwrap();
    }
    fs::write(dir.path().join("headings.md"), &headings).unwrap();

    let library = Library::open(&sources(dir.path(), false));

    let ids: Vec<&str> = library
        .articles
        .iter()
        .map(|a| a.meta.id.as_str())
        .collect();
    assert_eq!(ids, ["alpha", "beta", "headings", "long-line"]);

    let alpha = &library.articles[0];
    assert_eq!(alpha.meta.title, "Alpha");
    assert_eq!(alpha.meta.tags, ["one", "two"]);
    assert_eq!(alpha.sections.len(), 1);

    let many = library.by_id("headings").unwrap();
    assert_eq!(many.meta.title, "Many headings");
    assert_eq!(many.sections.len(), 20_000);
    assert_eq!(many.blocks.len(), 40_000);

    let long = library.by_id("long-line").unwrap();
    assert!(long.blocks.len() > 100, "{}", long.blocks.len());
    assert!(long.blocks.iter().all(|b| b.kind == BlockKind::Paragraph));
    assert!(long.blocks.iter().all(|b| b.text.len() <= 16 * 1024));
    let plain = long.plain_text();
    assert_eq!(plain.len(), long.text_len);
    for block in &long.blocks {
        assert_eq!(
            &plain[block.start..block.start + block.text.len()],
            block.text
        );
    }

    let mut expected: Vec<(&str, &str)> = bad.iter().map(|(n, _, why)| (*n, *why)).collect();
    expected.push(("x.md", "folder"));
    assert_eq!(
        library.warnings.len(),
        expected.len(),
        "{:#?}",
        library.warnings
    );
    for (name, why) in expected {
        let matching: Vec<_> = library
            .warnings
            .iter()
            .filter(|w| w.origin.ends_with(name))
            .collect();
        assert_eq!(
            matching.len(),
            1,
            "one warning for {name}: {:#?}",
            library.warnings
        );
        let reason = matching[0].reason.to_lowercase();
        assert!(
            reason.contains(&why.to_lowercase()),
            "{name}: {}",
            matching[0]
        );
    }
}

#[test]
fn a_missing_library_folder_is_a_warning_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-library");
    let library = Library::open(&sources(&missing, false));
    assert!(library.articles.is_empty());
    assert_eq!(library.warnings.len(), 1);
    assert!(library.warnings[0].origin.contains("no-such-library"));
}

#[test]
fn a_missing_optional_folder_is_silent_and_bundled_articles_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let mut sources = sources(&dir.path().join("not-yet-created"), true);
    sources.bundled = true;
    let library = Library::open(&sources);
    assert!(library.warnings.is_empty(), "{:#?}", library.warnings);
    let bundled = Library::open(&Sources {
        bundled: true,
        folders: Vec::new(),
    });
    assert_eq!(library.articles.len(), bundled.articles.len());
}

#[test]
fn folders_load_in_the_order_given() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    fs::write(first.path().join("z.md"), "# Z\n\nText.\n").unwrap();
    fs::write(second.path().join("a.md"), "# A\n\nText.\n").unwrap();
    let library = Library::open(&Sources {
        bundled: false,
        folders: [&first, &second]
            .map(|d| Folder {
                path: d.path().to_path_buf(),
                optional: false,
            })
            .to_vec(),
    });
    let titles: Vec<_> = library
        .articles
        .iter()
        .map(|a| a.meta.title.as_str())
        .collect();
    assert_eq!(titles, ["Z", "A"]);
}
