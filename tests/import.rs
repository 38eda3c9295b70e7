//! `gloss import` as a person or a script uses it: the real binary against a
//! temporary data folder, with documents written by each test, checking what
//! lands in the library folder, what is printed and the exit code.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::binary;
use crate::output;

use std::path::{Path, PathBuf};
use std::process::Output;

use gloss::import::{Kind, to_markdown};
use gloss::library::{Article, Origin, parse_article};
use output::{assert_exit, stderr, stdout};

/// The two scraped seeds and the bundled articles made from them, with the id
/// and tags chosen for the bundled ones.
const SEEDS: [(&str, &str, &str, [&str; 3]); 2] = [
    (
        "000_538685f20de23fe4.txt",
        "cultural-diplomacy-partnerships",
        "how-evolving-cultural-diplomacy-efforts-foster-long-term",
        ["diplomacy", "culture", "exchange"],
    ),
    (
        "001_09d578a3ce7be24c.txt",
        "innovation-diplomacy-missions",
        "how-diplomatic-missions-can-foster-innovation-diplomacy-to",
        ["diplomacy", "innovation", "research"],
    ),
];

/// A private data folder and a folder of documents to import, for one test.
struct Sandbox {
    data: tempfile::TempDir,
    inbox: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox {
            data: tempfile::tempdir().unwrap(),
            inbox: tempfile::tempdir().unwrap(),
        }
    }

    /// `gloss --data-dir DATA ARGS…`, with no `GLOSS_DATA_DIR` inherited.
    fn gloss(&self, args: &[&str]) -> Output {
        binary::gloss_in(self.data.path(), None, args)
            .output()
            .expect("the gloss binary runs")
    }

    /// `gloss import FILES… EXTRA…`.
    fn import(&self, files: &[&Path], extra: &[&str]) -> Output {
        let mut args: Vec<&str> = vec!["import"];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        args.extend(extra);
        self.gloss(&args)
    }

    /// Writes a document to import and returns its path.
    fn document(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.inbox.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn library(&self) -> PathBuf {
        self.data.path().join("library")
    }

    /// The files in the library folder, by name.
    fn library_files(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.library()) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn library_file(&self, id: &str) -> String {
        std::fs::read_to_string(self.library().join(format!("{id}.md"))).unwrap()
    }
}

fn repo_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn seed(name: &str) -> PathBuf {
    repo_file(&format!("tests/fixtures/seeds/{name}"))
}

fn bundled(id: &str) -> String {
    std::fs::read_to_string(repo_file(&format!("articles/{id}.md"))).unwrap()
}

fn parse(markdown: &str) -> Article {
    parse_article(markdown, Origin::Bundled("compared.md".into())).unwrap()
}

/// The file without its front matter's `id:` and `tags:` lines.
fn without_id_and_tags(markdown: &str) -> String {
    markdown
        .split_inclusive('\n')
        .filter(|line| !line.starts_with("id:") && !line.starts_with("tags:"))
        .collect()
}

#[test]
fn importing_the_seeds_gives_the_bundled_articles() {
    let sandbox = Sandbox::new();
    let seeds: Vec<PathBuf> = SEEDS.iter().map(|(name, ..)| seed(name)).collect();
    let files: Vec<&Path> = seeds.iter().map(PathBuf::as_path).collect();
    let output = sandbox.import(&files, &[]);
    assert_exit(&output, 0);
    for (_, bundled_id, imported_id, _) in SEEDS {
        let imported = sandbox.library_file(imported_id);
        let shipped = bundled(bundled_id);
        assert_eq!(
            without_id_and_tags(&imported),
            without_id_and_tags(&shipped)
        );
        let (imported, shipped) = (parse(&imported), parse(&shipped));
        assert_eq!(imported.meta.id, imported_id);
        assert_eq!(imported.meta.title, shipped.meta.title);
        assert_eq!(imported.meta.subtitle, shipped.meta.subtitle);
        assert_eq!(imported.meta.date, shipped.meta.date);
        assert_eq!(imported.sections, shipped.sections);
        assert_eq!(imported.blocks, shipped.blocks);
        assert!(stdout(&output).contains(imported_id), "{}", stdout(&output));
    }
}

#[test]
fn with_the_bundled_id_and_tags_a_seed_converts_to_the_bundled_file_exactly() {
    for (name, id, _, tags) in SEEDS {
        let source = std::fs::read_to_string(seed(name)).unwrap();
        let tags: Vec<String> = tags.iter().map(ToString::to_string).collect();
        let converted = to_markdown(&source, Kind::Scraped, "seed")
            .unwrap()
            .with_id(id)
            .unwrap()
            .with_tags(&tags)
            .unwrap();
        assert_eq!(converted.markdown, bundled(id), "{name}");
    }
}

#[test]
fn a_bundled_id_is_refused_naming_the_bundled_article() {
    let sandbox = Sandbox::new();
    let (name, id, ..) = SEEDS[0];
    let output = sandbox.import(&[&seed(name)], &["--id", id]);
    assert_exit(&output, 1);
    let err = stderr(&output);
    assert!(err.contains(name), "names the file: {err}");
    assert!(
        err.contains(&format!("bundled:{id}.md")),
        "names the holder: {err}"
    );
    assert!(sandbox.library_files().is_empty());
}

#[test]
fn importing_the_same_seed_twice_refuses_the_second_and_keeps_the_first() {
    let sandbox = Sandbox::new();
    let (name, _, id, _) = SEEDS[1];
    assert_exit(&sandbox.import(&[&seed(name)], &[]), 0);
    let first = sandbox.library_file(id);
    let copy = sandbox.document("copy.txt", std::fs::read(seed(name)).unwrap());
    let output = sandbox.import(&[&copy], &[]);
    assert_exit(&output, 1);
    let err = stderr(&output);
    assert!(
        err.contains("copy.txt") && err.contains(id) && err.contains(&format!("{id}.md")),
        "names both: {err}"
    );
    assert_eq!(sandbox.library_file(id), first);
    assert_eq!(sandbox.library_files(), [format!("{id}.md")]);
}

#[test]
fn markdown_front_matter_is_kept_and_given_an_id() {
    let sandbox = Sandbox::new();
    let file = sandbox.document(
        "essay.md",
        "---\ntitle: An Essay on Tides\nauthor: R. Carson\ntags: [sea]\n---\n\n\
         # Heading in the body\n\nThe tide comes in.\n\n## Ebb\n\nAnd goes out.\n",
    );
    let output = sandbox.import(&[&file], &[]);
    assert_exit(&output, 0);
    assert_eq!(
        sandbox.library_file("an-essay-on-tides"),
        "---\nid: an-essay-on-tides\ntitle: An Essay on Tides\nauthor: R. Carson\ntags: [sea]\n\
         ---\n\n# Heading in the body\n\nThe tide comes in.\n\n## Ebb\n\nAnd goes out.\n"
    );
}

#[test]
fn markdown_without_front_matter_gets_one_from_its_heading() {
    let sandbox = Sandbox::new();
    let body = "# Notes on *Rivers*\n\nRivers carve valleys.\n\n## Deltas\n\nSilt settles.\n";
    let file = sandbox.document("rivers.markdown", body);
    let output = sandbox.import(&[&file], &["--tags", "geography,water"]);
    assert_exit(&output, 0);
    assert_eq!(
        sandbox.library_file("notes-on-rivers"),
        format!(
            "---\nid: notes-on-rivers\ntitle: Notes on Rivers\ntags: [geography, water]\n---\n\n{body}"
        )
    );
}

#[test]
fn plain_text_takes_its_title_from_the_first_line_or_the_file_name() {
    let sandbox = Sandbox::new();
    let titled = sandbox.document(
        "a.txt",
        "Walking in Winter\n\nThe path was icy,\nand the wind was cold.\n\nWe went on.\n",
    );
    let untitled = sandbox.document(
        "Morning Pages.txt",
        "Woke early. Wrote three pages.\n\nThen *coffee* at 1. Then work.\n",
    );
    let output = sandbox.import(&[&titled, &untitled], &[]);
    assert_exit(&output, 0);
    assert_eq!(
        sandbox.library_file("walking-in-winter"),
        "---\nid: walking-in-winter\ntitle: Walking in Winter\n---\n\n# Walking in Winter\n\n\
         The path was icy, and the wind was cold.\n\nWe went on.\n"
    );
    let morning = parse(&sandbox.library_file("morning-pages"));
    assert_eq!(morning.meta.title, "Morning Pages");
    let texts: Vec<&str> = morning.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Woke early. Wrote three pages.",
            "Then *coffee* at 1. Then work."
        ]
    );
}

#[test]
fn crlf_and_bom_files_import_like_unix_files() {
    let (name, _, id, _) = SEEDS[0];
    let unix = std::fs::read_to_string(seed(name)).unwrap();
    let expected = {
        let sandbox = Sandbox::new();
        assert_exit(&sandbox.import(&[&seed(name)], &[]), 0);
        sandbox.library_file(id)
    };
    let sandbox = Sandbox::new();
    let windows = sandbox.document(
        "windows.txt",
        format!("\u{feff}{}", unix.replace('\n', "\r\n")),
    );
    assert_exit(&sandbox.import(&[&windows], &[]), 0);
    assert_eq!(sandbox.library_file(id), expected);

    let markdown = sandbox.document(
        "crlf.md",
        "\u{feff}---\r\ntitle: Windows Notes\r\n---\r\n\r\nLine one.\r\n\r\nLine two.\r\n",
    );
    let plain = sandbox.document("bom.txt", "\u{feff}Plain Title\r\n\r\nBody text.\r\n");
    assert_exit(&sandbox.import(&[&markdown, &plain], &[]), 0);
    assert_eq!(
        sandbox.library_file("windows-notes"),
        "---\nid: windows-notes\ntitle: Windows Notes\n---\n\nLine one.\n\nLine two.\n"
    );
    assert_eq!(
        sandbox.library_file("plain-title"),
        "---\nid: plain-title\ntitle: Plain Title\n---\n\n# Plain Title\n\nBody text.\n"
    );
}

#[test]
fn bad_files_are_named_with_their_reason_and_the_good_ones_still_import() {
    let sandbox = Sandbox::new();
    let binary = sandbox.document("picture.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let latin1 = sandbox.document("latin1.txt", b"Caf\xe9\n\nText.\n");
    let folder = sandbox.inbox.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let missing = sandbox.inbox.path().join("missing.txt");
    let empty = sandbox.document("empty.txt", "\n \n");
    let good = sandbox.document("good.txt", "Good Title\n\nGood text.\n");
    let output = sandbox.import(&[&binary, &latin1, &folder, &missing, &empty, &good], &[]);
    assert_exit(&output, 1);
    let err = stderr(&output);
    for (file, reason) in [
        ("picture.png", "binary"),
        ("latin1.txt", "offset 3"),
        ("a-folder", "folder"),
        ("missing.txt", "no such file"),
        ("empty.txt", "no text"),
    ] {
        let line = err
            .lines()
            .find(|line| line.contains(file))
            .unwrap_or_else(|| panic!("no message names {file}: {err}"));
        assert!(line.contains(reason), "{line}");
    }
    assert!(err.contains("5 of 6"), "{err}");
    assert_eq!(sandbox.library_files(), ["good-title.md"]);
}

#[test]
fn a_dry_run_prints_the_plan_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let (name, _, id, _) = SEEDS[0];
    let output = sandbox.import(&[&seed(name)], &["--dry-run"]);
    assert_exit(&output, 0);
    let out = stdout(&output);
    let path = sandbox.library().join(format!("{id}.md"));
    assert!(out.contains("would import"), "{out}");
    assert!(out.contains(id), "{out}");
    assert!(out.contains("How evolving cultural diplomacy"), "{out}");
    assert!(out.contains(path.to_str().unwrap()), "{out}");
    assert!(out.contains("nothing was written"), "{out}");
    assert!(!sandbox.library().exists());
}

#[test]
fn a_dry_run_still_reports_collisions_within_the_run() {
    let sandbox = Sandbox::new();
    let (name, ..) = SEEDS[0];
    let copy = sandbox.document("copy.txt", std::fs::read(seed(name)).unwrap());
    let output = sandbox.import(&[&seed(name), &copy], &["--dry-run"]);
    assert_exit(&output, 1);
    assert!(stderr(&output).contains("copy.txt"), "{}", stderr(&output));
    assert!(!sandbox.library().exists());
}

#[test]
fn an_imported_article_shows_in_gloss_list() {
    let sandbox = Sandbox::new();
    let file = sandbox.document("tides.txt", "Tide Tables\n\nHigh water at noon.\n");
    let output = sandbox.import(&[&file], &["--tags", "sea"]);
    assert_exit(&output, 0);
    let output = sandbox.gloss(&["list", "--json"]);
    assert_exit(&output, 0);
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let article = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "tide-tables")
        .unwrap_or_else(|| panic!("not listed: {list:#}"));
    assert_eq!(article["title"], "Tide Tables");
    assert_eq!(article["tags"], serde_json::json!(["sea"]));
    let origin = article["origin"].as_str().unwrap();
    assert!(origin.ends_with("tide-tables.md"), "{origin}");
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

#[test]
fn json_output_reports_each_file() {
    let sandbox = Sandbox::new();
    let good = sandbox.document("good.txt", "Good Title\n\nGood text.\n");
    let bad = sandbox.document("bad.txt", b"\0");
    let output = sandbox.import(&[&good, &bad], &["--json"]);
    assert_exit(&output, 1);
    let reports: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(reports[0]["status"], "imported");
    assert_eq!(reports[0]["id"], "good-title");
    assert_eq!(reports[0]["kind"], "plain text");
    assert_eq!(reports[1]["status"], "failed");
    assert!(
        reports[1]["error"].as_str().unwrap().contains("binary"),
        "{reports:#}"
    );
}

#[test]
fn usage_errors_exit_with_two() {
    let sandbox = Sandbox::new();
    assert_exit(&sandbox.gloss(&["import"]), 2);
    let a = sandbox.document("a.txt", "A\n\ntext\n");
    let b = sandbox.document("b.txt", "B\n\ntext\n");
    let output = sandbox.import(&[&a, &b], &["--id", "one"]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("--id"), "{}", stderr(&output));
    assert!(sandbox.library_files().is_empty());
}
