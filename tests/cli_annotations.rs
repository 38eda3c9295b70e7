//! The annotation subcommands as a script uses them: `gloss highlight add` and
//! `rm`, `gloss highlights`, `gloss tags` and `gloss check`, run as the real
//! binary against a temporary data folder and a library folder whose article
//! each test writes (and rewrites, to see highlights move or get lost).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::binary;
use crate::output;

use output::{assert_exit, stderr, stdout};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

mod hand_edited;

const ARTICLE: &str = "harbour";

/// A private data folder and a `--library` folder with one article.
struct Sandbox {
    data: tempfile::TempDir,
    library: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let sandbox = Sandbox {
            data: tempfile::tempdir().unwrap(),
            library: tempfile::tempdir().unwrap(),
        };
        sandbox.write_article(&harbour_body(""));
        sandbox
    }

    /// `gloss --data-dir DATA --library LIBRARY ARGS…`, with no
    /// `GLOSS_DATA_DIR` inherited.
    fn gloss(&self, args: &[&str]) -> Command {
        binary::gloss_in(self.data.path(), Some(self.library.path()), args)
    }

    fn run(&self, args: &[&str]) -> Output {
        self.gloss(args).output().expect("the gloss binary runs")
    }

    /// Runs `gloss highlight add` and returns the new id.
    fn add(&self, quote: &str, extra: &[&str]) -> String {
        let mut args = vec!["highlight", "add", ARTICLE, "--quote", quote];
        args.extend_from_slice(extra);
        let output = self.run(&args);
        assert_exit(&output, 0);
        let id = stdout(&output).trim().to_owned();
        assert!(id.starts_with("h-"), "{id}");
        id
    }

    fn write_article(&self, body: &str) {
        let text = format!("---\nid: {ARTICLE}\ntitle: Harbour lights\n---\n\n{body}");
        std::fs::write(self.library.path().join("harbour.md"), text).unwrap();
    }

    fn annotations_file(&self) -> PathBuf {
        self.data.path().join("annotations.ron")
    }

    /// `gloss highlights ARGS… --json`, parsed.
    fn highlights_json(&self, args: &[&str]) -> Vec<serde_json::Value> {
        let mut all = vec!["highlights"];
        all.extend_from_slice(args);
        all.push("--json");
        let output = self.run(&all);
        assert_exit(&output, 0);
        json(&output).as_array().expect("an array").clone()
    }
}

/// The article's text, with `before` as extra paragraphs at the start.
fn harbour_body(before: &str) -> String {
    format!(
        "{before}The river is wide at the harbour.\n\n## Ferries\n\n\
         The ferries cross at dusk. Gulls follow them home.\n\n\
         ## Trams\n\nThe old tram climbs the hill every morning.\n"
    )
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!("stdout is not JSON ({err}): {}", stdout(output));
    })
}

fn ids(highlights: &[serde_json::Value]) -> Vec<&str> {
    highlights
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect()
}

#[test]
fn a_highlight_is_added_listed_tagged_and_removed() {
    let sandbox = Sandbox::new();
    let id = sandbox.add(
        "the ferries cross at DUSK",
        &[
            "--tag",
            "Transport",
            "--tag",
            "evening",
            "--note",
            "Seen from the quay.\nTwice.",
            "--color",
            "green",
        ],
    );

    let output = sandbox.run(&["highlights"]);
    assert_exit(&output, 0);
    let text = stdout(&output);
    assert_eq!(
        text,
        format!(
            "{id}  {ARTICLE}  green  exact  Transport, evening\n    \
             \"The ferries cross at dusk\"\n    note: Seen from the quay. …\n"
        )
    );

    let listed = sandbox.highlights_json(&[ARTICLE]);
    assert_eq!(listed.len(), 1);
    let highlight = &listed[0];
    assert_eq!(highlight["id"], id.as_str());
    assert_eq!(highlight["article"], ARTICLE);
    assert_eq!(highlight["color"], "green");
    assert_eq!(
        highlight["tags"],
        serde_json::json!(["Transport", "evening"])
    );
    assert_eq!(highlight["note"], "Seen from the quay.\nTwice.");
    assert_eq!(highlight["quote"], "The ferries cross at dusk");
    assert_eq!(highlight["suffix"], ". Gulls follow them home.\n\nTrams");
    assert_eq!(highlight["state"], "exact");

    let output = sandbox.run(&["tags"]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "evening    1\nTransport  1\n");
    let output = sandbox.run(&["tags", "--json"]);
    assert_exit(&output, 0);
    let tags = json(&output);
    assert_eq!(tags[1]["name"], "Transport");
    assert_eq!(tags[1]["highlights"], serde_json::json!([id]));

    let output = sandbox.run(&["highlight", "rm", &id]);
    assert_exit(&output, 0);
    assert!(sandbox.highlights_json(&[]).is_empty());
    assert_eq!(stdout(&sandbox.run(&["tags"])), "");

    let output = sandbox.run(&["highlight", "rm", &id]);
    assert_exit(&output, 1);
    assert!(
        stderr(&output).contains("no highlight has the id"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_quote_that_is_not_in_the_article_is_an_error_and_saves_nothing() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["highlight", "add", ARTICLE, "--quote", "a submarine"]);
    assert_exit(&output, 1);
    let message = stderr(&output);
    assert!(
        message.contains("\"a submarine\" is not in 'harbour'"),
        "{message}"
    );
    assert!(!sandbox.annotations_file().exists());
}

#[test]
fn a_quote_found_twice_needs_an_occurrence() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["highlight", "add", ARTICLE, "--quote", "the h"]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("--occurrence 1 to 2"),
        "{}",
        stderr(&output)
    );
    sandbox.add("the h", &["--occurrence", "2"]);
    let listed = sandbox.highlights_json(&[]);
    assert_eq!(listed.len(), 1);
    let prefix = listed[0]["prefix"].as_str().unwrap();
    assert!(
        prefix.ends_with("Trams\n\nThe old tram climbs "),
        "{prefix}"
    );
}

#[test]
fn a_bad_colour_lists_the_valid_ones() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&[
        "highlight",
        "add",
        ARTICLE,
        "--quote",
        "Gulls",
        "--color",
        "mauve",
    ]);
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert!(message.contains("mauve"), "{message}");
    assert!(
        message.contains("yellow, green, blue, pink, purple"),
        "{message}"
    );
    assert!(!sandbox.annotations_file().exists());
}

#[test]
fn the_tag_filter_ignores_case() {
    let sandbox = Sandbox::new();
    let ferries = sandbox.add("The ferries cross", &["--tag", "Transport"]);
    sandbox.add("Gulls follow", &["--tag", "birds"]);
    let tram = sandbox.add("The old tram", &["--tag", "transport", "--tag", "hills"]);
    let listed = sandbox.highlights_json(&["--tag", "TRANSPORT"]);
    assert_eq!(ids(&listed), [ferries.as_str(), tram.as_str()]);
    assert!(sandbox.highlights_json(&["--tag", "boats"]).is_empty());
}

#[test]
fn check_passes_then_lists_an_orphan_after_the_article_is_rewritten() {
    let sandbox = Sandbox::new();
    let id = sandbox.add("The old tram climbs the hill", &[]);
    let output = sandbox.run(&["check"]);
    assert_exit(&output, 0);
    assert!(
        stdout(&output).contains("1 exact, 0 moved"),
        "{}",
        stdout(&output)
    );

    sandbox.write_article("Nothing of the old text is left in this version.\n");
    let output = sandbox.run(&["check"]);
    assert_exit(&output, 1);
    let text = stdout(&output);
    assert!(
        text.contains(&format!("{id}  {ARTICLE}  orphaned\n")),
        "{text}"
    );
    assert!(
        text.contains("    quote: \"The old tram climbs the hill\""),
        "{text}"
    );
    assert!(text.contains("    closest: "), "{text}");
    assert!(
        stderr(&output).contains("1 orphaned"),
        "{}",
        stderr(&output)
    );

    let output = sandbox.run(&["check", "--json"]);
    assert_exit(&output, 1);
    let report = json(&output);
    assert_eq!(report["orphaned"], 1);
    assert_eq!(report["highlights"][0]["id"], id.as_str());
    assert_eq!(report["highlights"][0]["state"], "orphaned");

    // Still kept and listed, never dropped.
    let listed = sandbox.highlights_json(&[]);
    assert_eq!(listed[0]["state"], "orphaned");
    assert_eq!(listed[0]["start"], serde_json::Value::Null);
}

#[test]
fn a_quote_with_text_inserted_before_it_has_moved() {
    let sandbox = Sandbox::new();
    let id = sandbox.add("Gulls follow them home.", &[]);
    let before = sandbox.highlights_json(&[])[0]["start"].as_u64().unwrap();
    let inserted = "A new opening paragraph about the weather.\n\n";
    sandbox.write_article(&harbour_body(inserted));

    let listed = sandbox.highlights_json(&[]);
    assert_eq!(listed[0]["state"], "moved");
    let after = listed[0]["start"].as_u64().unwrap();
    assert_eq!(after, before + inserted.len() as u64);

    let output = sandbox.run(&["check"]);
    assert_exit(&output, 0);
    assert!(
        stdout(&output).contains(&format!("{id}  {ARTICLE}  moved\n")),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_highlight_of_a_removed_article_is_listed_as_missing() {
    let sandbox = Sandbox::new();
    let id = sandbox.add("Gulls", &[]);
    std::fs::remove_file(sandbox.library.path().join("harbour.md")).unwrap();
    let listed = sandbox.highlights_json(&[ARTICLE]);
    assert_eq!(ids(&listed), [id.as_str()]);
    assert_eq!(listed[0]["state"], "missing");
    let output = sandbox.run(&["check"]);
    assert_exit(&output, 1);
    assert!(
        stdout(&output).contains("the article is not in the library"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn two_additions_at_the_same_time_both_land() {
    let sandbox = Sandbox::new();
    let spawn = |quote: &str| {
        sandbox
            .gloss(&["highlight", "add", ARTICLE, "--quote", quote])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = spawn("The river is wide");
    let second = spawn("The ferries cross");
    let mut added = Vec::new();
    for child in [first, second] {
        let output = child.wait_with_output().unwrap();
        assert_exit(&output, 0);
        added.push(stdout(&output).trim().to_owned());
    }
    let mut listed: Vec<String> = ids(&sandbox.highlights_json(&[]))
        .into_iter()
        .map(String::from)
        .collect();
    listed.sort();
    added.sort();
    assert_eq!(listed, added);
}

#[test]
fn a_file_from_a_newer_gloss_is_read_but_never_written() {
    let sandbox = Sandbox::new();
    let newer = "(version: 99, highlights: [], something_new: true)";
    std::fs::write(sandbox.annotations_file(), newer).unwrap();
    let output = sandbox.run(&["highlight", "add", ARTICLE, "--quote", "Gulls"]);
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert!(message.contains("gloss: warning: "), "{message}");
    assert!(message.contains("not changing"), "{message}");
    assert!(message.contains("annotations.ron"), "{message}");
    let output = sandbox.run(&["highlight", "rm", "h-0000000000000000"]);
    assert_exit(&output, 2);
    assert_eq!(
        std::fs::read_to_string(sandbox.annotations_file()).unwrap(),
        newer
    );

    let output = sandbox.run(&["tags"]);
    assert_exit(&output, 0);
    assert!(
        stderr(&output).contains("gloss: warning: "),
        "{}",
        stderr(&output)
    );
}

#[test]
fn adding_the_same_quote_again_prints_the_existing_id() {
    let sandbox = Sandbox::new();
    let first = sandbox.add("The ferries cross", &["--tag", "boats"]);
    let before = std::fs::read(sandbox.annotations_file()).unwrap();
    let output = sandbox.run(&["highlight", "add", ARTICLE, "--quote", "The ferries cross"]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output).trim(), first);
    assert!(
        stderr(&output).contains("already highlighted"),
        "{}",
        stderr(&output)
    );
    assert_eq!(sandbox.highlights_json(&[]).len(), 1);
    assert_eq!(
        std::fs::read(sandbox.annotations_file()).unwrap(),
        before,
        "the file is not written again"
    );
    // Another place with the same words is another highlight.
    let other = sandbox.add("the h", &["--occurrence", "2"]);
    assert_ne!(other, first);
    assert_eq!(sandbox.highlights_json(&[]).len(), 2);
}
