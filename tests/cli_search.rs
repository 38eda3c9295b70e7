//! `gloss search` as a script sees it: the real binary against a temporary data
//! folder and a `--library` folder written by each test, checking the lines,
//! the marks, the JSON offsets and the exit codes. The last tests check that
//! opening the library for a search (which skips files that cannot match)
//! finds exactly what a full open finds, on files made to trip it up.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::synthetic_library;

use crate::binary;
use crate::files::{entries_under, write_settled};
use crate::output;

use std::path::Path;
use std::process::Output;

use clap::Parser;
use gloss::cli::{self, Cli};
use gloss::library::{Folder, Library, Sources};
use gloss::paths::DataPaths;
use output::{assert_exit, stderr, stdout};

const ESC: u8 = 0x1b;

/// The words below are made up, so the bundled articles never match them.
const ALPHA: &str = "---\nid: alpha\ntitle: Alpha notes\n---\n\n# Alpha notes\n\n\
Intro about Zorblat and trains.\n\n\
## Money\n\n\
Zorblat rose, and zorblat fell;\nthe quillon\nwexford stayed.\n\n\
Nothing to see here, quillon only.\n\n\
## 成果\n\n\
研究的成果很好 zorblat 很好。\n\n\
> A quoted line: wexford and quillon, apart.\n\n\
```\ncode zorblat\nline two\n```\n";

const BETA: &str = "---\nid: beta\ntitle: Beta report\n---\n\n\
Café culture and zorblat mobility.\n\n\
## Trains\n\n\
The trains run on ZORBLAT funding.\n";

/// A private data folder and a `--library` folder for one test.
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
        sandbox.write("alpha.md", ALPHA);
        sandbox.write("beta.md", BETA);
        sandbox
    }

    fn write(&self, file: &str, text: &str) {
        write_settled(self.library.path().join(file), text);
    }

    /// `gloss --data-dir DATA --library LIB search ARGS…`, output piped.
    fn search(&self, args: &[&str]) -> Output {
        let args: Vec<&str> = std::iter::once("search")
            .chain(args.iter().copied())
            .collect();
        binary::gloss_in(self.data.path(), Some(self.library.path()), &args)
            .output()
            .expect("the gloss binary runs")
    }

    /// `gloss … search -- QUERY`, for a query that starts with `-`.
    fn search_after_dashes(&self, query: &str) -> Output {
        self.search(&["--", query])
    }
}

fn lines(output: &Output) -> Vec<String> {
    stdout(output).lines().map(str::to_owned).collect()
}

#[test]
fn one_line_per_passage_with_article_section_and_passage() {
    let sandbox = Sandbox::new();
    let output = sandbox.search(&["zorblat"]);
    assert_exit(&output, 0);
    assert_eq!(
        lines(&output),
        [
            "alpha  §-  ¶1: Intro about «Zorblat» and trains.",
            "alpha  §1 Money  ¶2: «Zorblat» rose, and «zorblat» fell; the quillon wexford stayed.",
            "alpha  §2 成果  ¶4: 研究的成果很好 «zorblat» 很好。",
            "alpha  §2 成果  ¶6: code «zorblat» line two",
            "beta  §-  ¶1: Café culture and «zorblat» mobility.",
            "beta  §1 Trains  ¶2: The trains run on «ZORBLAT» funding.",
        ]
    );
    assert!(!output.stdout.contains(&ESC), "no colour into a pipe");
    assert_eq!(stderr(&output), "");
}

#[test]
fn colour_always_marks_with_bold_reverse_video() {
    let sandbox = Sandbox::new();
    let output = sandbox.search(&["wexford", "--color", "always"]);
    assert_exit(&output, 0);
    let text = stdout(&output);
    assert!(
        text.contains("the quillon \u{1b}[1;7mwexford\u{1b}[0m stayed."),
        "{text:?}"
    );
    assert!(!text.contains('«'));
    let never = sandbox.search(&["wexford", "--color", "never"]);
    assert!(!never.stdout.contains(&ESC));
}

#[test]
fn json_offsets_point_at_the_matches_in_bytes_and_characters() {
    let sandbox = Sandbox::new();
    let output = sandbox.search(&["zorblat", "--json"]);
    assert_exit(&output, 0);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found = value.as_array().unwrap();
    assert_eq!(found.len(), 6);
    let mut checked_a_wide_text = false;
    for passage in found {
        let text = passage["text"].as_str().unwrap();
        for hit in passage["matches"].as_array().unwrap() {
            let at = |key: &str| usize::try_from(hit[key].as_u64().unwrap()).unwrap();
            let (start, end) = (at("start"), at("end"));
            assert_eq!(text[start..end].to_lowercase(), "zorblat", "{passage}");
            assert_eq!(text[..start].chars().count(), at("char_start"));
            assert_eq!(text[..end].chars().count(), at("char_end"));
            checked_a_wide_text |= at("char_start") != start;
        }
    }
    assert!(checked_a_wide_text, "the CJK passage has chars != bytes");
    let cjk = &found[2];
    assert_eq!(cjk["article"], "alpha");
    assert_eq!(cjk["title"], "Alpha notes");
    assert_eq!(
        cjk["section"],
        serde_json::json!({"number": 2, "title": "成果"})
    );
    assert_eq!(cjk["passage"], 4);
    assert_eq!(cjk["block"], 5);
    assert_eq!(found[0]["section"], serde_json::Value::Null);
}

#[test]
fn exit_codes_follow_grep() {
    let sandbox = Sandbox::new();
    assert_exit(&sandbox.search(&["zorblat"]), 0);

    let none = sandbox.search(&["nonexistentword"]);
    assert_exit(&none, 1);
    assert_eq!(stdout(&none), "");
    let empty_json = sandbox.search(&["nonexistentword", "--json"]);
    assert_exit(&empty_json, 1);
    assert_eq!(stdout(&empty_json), "[]\n");

    let bad = sandbox.search(&["--regex", "zor(blat"]);
    assert_exit(&bad, 2);
    let message = stderr(&bad);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.starts_with("gloss: bad regex `zor(blat`"),
        "{message}"
    );
    assert!(message.contains("unclosed group"), "{message}");
}

#[test]
fn article_limits_the_search_by_id_or_title_prefix() {
    let sandbox = Sandbox::new();
    let by_id = sandbox.search(&["zorblat", "--article", "beta"]);
    assert_exit(&by_id, 0);
    assert_eq!(lines(&by_id).len(), 2);
    assert!(lines(&by_id).iter().all(|line| line.starts_with("beta  ")));

    let by_title = sandbox.search(&["zorblat", "--article", "alpha no"]);
    assert_eq!(lines(&by_title).len(), 4);
    let both = sandbox.search(&["zorblat", "--article", "beta", "--article", "alpha"]);
    assert_eq!(lines(&both).len(), 6, "library order, each article once");
    assert!(lines(&both)[0].starts_with("alpha  "));

    let unknown = sandbox.search(&["zorblat", "--article", "gamma"]);
    assert_exit(&unknown, 2);
    assert!(
        stderr(&unknown).contains("gloss list"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn smart_case_phrases_exclusions_and_regex() {
    let sandbox = Sandbox::new();
    let upper = sandbox.search(&["ZORBLAT"]);
    assert_eq!(
        lines(&upper),
        ["beta  §1 Trains  ¶2: The trains run on «ZORBLAT» funding."]
    );
    assert_eq!(lines(&sandbox.search(&["Zorblat"])).len(), 2);

    // A phrase matches across the source's line break, not across words.
    let phrase = sandbox.search(&["\"quillon wexford\""]);
    assert_eq!(lines(&phrase).len(), 1);
    assert!(
        lines(&phrase)[0].contains("«quillon wexford»"),
        "{:?}",
        lines(&phrase)
    );
    assert_eq!(lines(&sandbox.search(&["wexford quillon"])).len(), 2);

    let excluded = sandbox.search(&["quillon -wexford"]);
    assert_eq!(
        lines(&excluded),
        ["alpha  §1 Money  ¶3: Nothing to see here, «quillon» only."]
    );
    let dash_first = sandbox.search_after_dashes("-wexford quillon");
    assert_eq!(lines(&dash_first), lines(&excluded));

    let regex = sandbox.search(&["--regex", r"zor\w+t\s+(rose|mobility)"]);
    assert_exit(&regex, 0);
    assert_eq!(lines(&regex).len(), 2);
    assert!(lines(&regex)[1].contains("«zorblat mobility»"));
}

#[test]
fn cjk_and_accent_insensitive_queries() {
    let sandbox = Sandbox::new();
    let cjk = sandbox.search(&["成果", "--article", "alpha"]);
    assert_eq!(
        lines(&cjk),
        ["alpha  §2 成果  ¶4: 研究的«成果»很好 zorblat 很好。"]
    );
    assert_exit(&sandbox.search(&["cafe"]), 1);
    let accents = sandbox.search(&["cafe", "--ignore-accents"]);
    assert_eq!(
        lines(&accents),
        ["beta  §-  ¶1: «Café» culture and zorblat mobility."]
    );
}

#[test]
fn tag_and_note_filters_read_the_annotations() {
    let sandbox = Sandbox::new();
    let added = binary::gloss_in(
        sandbox.data.path(),
        Some(sandbox.library.path()),
        &[
            "highlight",
            "add",
            "beta",
            "--quote",
            "trains run",
            "--tag",
            "Rail",
        ],
    )
    .output()
    .expect("the gloss binary runs");
    assert_exit(&added, 0);

    let tagged = sandbox.search(&["tag:rail"]);
    assert_exit(&tagged, 0);
    assert_eq!(
        lines(&tagged),
        ["beta  §1 Trains  ¶2: The trains run on ZORBLAT funding."]
    );
    let with_text = sandbox.search(&["zorblat -tag:rail", "--article", "beta"]);
    assert_eq!(
        lines(&with_text),
        ["beta  §-  ¶1: Café culture and «zorblat» mobility."]
    );
    assert_exit(&sandbox.search(&["has:note"]), 1);
}

#[test]
fn hostile_text_is_printed_sanitized() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "hostile.md",
        "---\nid: hostile\n---\n\nRed \u{1b}[31mzorblat\u{1b}[0m \u{202e}text\u{7} here.\n",
    );
    let output = sandbox.search(&["zorblat", "--article", "hostile"]);
    assert_exit(&output, 0);
    assert_eq!(
        lines(&output),
        ["hostile  §-  ¶1: Red «zorblat» text here."]
    );
}

#[test]
fn words_split_by_markup_are_still_found() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "marked.md",
        "---\nid: marked\n---\n\nsnar**flux** and snar&#102;lux.\n",
    );
    let output = sandbox.search(&["snarflux"]);
    assert_eq!(
        lines(&output),
        ["marked  §-  ¶1: «snarflux» and «snarflux»."]
    );
}

/// `gloss search --color never ARGS`, parsed.
fn search_command(args: &[&str]) -> cli::Command {
    let cli = Cli::try_parse_from(
        ["gloss", "search", "--color", "never"]
            .iter()
            .chain(args)
            .copied(),
    )
    .unwrap();
    cli.command.unwrap()
}

/// What `gloss search ARGS` prints against `library`.
fn search_output(library: &Library, data: &Path, args: &[&str]) -> (String, Option<u8>) {
    let command = search_command(args);
    let paths = DataPaths::under(data.to_path_buf());
    let (mut out, mut warnings) = (Vec::new(), Vec::new());
    let code = cli::run(&command, library, &paths, &mut out, &mut warnings)
        .err()
        .map(|err| err.exit_code());
    (String::from_utf8(out).unwrap(), code)
}

/// What `gloss search ARGS` prints, its exit code and its warnings when it
/// opens the library in `sources` itself, with its cache of parsed articles
/// (if `ARGS` do not say `--no-cache`) in data folder `data`.
fn searched(sources: &Sources, data: &Path, args: &[&str]) -> ((String, Option<u8>), String) {
    let paths = DataPaths::under(data.to_path_buf());
    let (mut out, mut warnings) = (Vec::new(), Vec::new());
    let code = cli::execute(
        &search_command(args),
        sources,
        &paths,
        &mut out,
        &mut warnings,
    )
    .err()
    .map(|err| err.exit_code());
    (
        (String::from_utf8(out).unwrap(), code),
        String::from_utf8(warnings).unwrap(),
    )
}

/// The warnings `gloss search` prints about `library`'s files.
fn warning_lines(library: &Library) -> String {
    let mut out = Vec::new();
    cli::write_library_warnings(library, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Files where a word of a passage is not written as such in the file, and
/// broken files, next to ordinary synthetic articles.
fn tricky_library(dir: &Path) {
    for index in 0..12 {
        write_settled(
            dir.join(synthetic_library::file_name(index)),
            synthetic_library::article(index, 7),
        );
    }
    let tricky = [
        ("emphasis.md", "fund**ing** in the middle of a word.\n"),
        ("link.md", "[fund](https://x.org)ing after a link.\n"),
        ("entity.md", "caf&eacute; and &#102;unding.\n"),
        (
            "comment.md",
            "fund<!-- a note -->ing and mob<b>ility</b>.\n",
        ),
        ("code.md", "quok` ka `quokka and `quokka`.\n"),
        ("escape.md", "fund\u{1b}[1ming with an escape sequence.\n"),
        ("bidi.md", "fund\u{202e}ing with a bidi control.\n"),
        ("empty.md", ""),
        ("title-only.md", "# Only a title\n"),
    ];
    for (name, text) in tricky {
        write_settled(dir.join(name), text);
    }
    write_settled(dir.join("latin1.md"), b"caf\xe9 funding\n");
}

fn sources(dir: &Path) -> Sources {
    Sources {
        bundled: true,
        folders: vec![Folder {
            path: dir.to_path_buf(),
            optional: false,
        }],
    }
}

/// Runs each query against the library `sources` opened in full, and as
/// `gloss search` opens it (without the cache, filling it, and from it), and
/// checks that all print the same and exit the same, and warn the same
/// (without the cache: no more).
fn assert_same_results(sources: &Sources, queries: &[&[&str]]) {
    let data = tempfile::tempdir().unwrap();
    let full = Library::open(sources);
    let warnings = warning_lines(&full);
    for args in queries {
        let expected = search_output(&full, data.path(), args);
        let uncached: Vec<&str> = args.iter().copied().chain(["--no-cache"]).collect();
        let (output, uncached_warnings) = searched(sources, data.path(), &uncached);
        assert_eq!(output, expected, "{args:?}");
        // Without the cache, a file left out is only checked as far as its
        // front matter.
        for warning in uncached_warnings.lines() {
            assert!(warnings.lines().any(|line| line == warning), "{warning}");
        }
        let cache = tempfile::tempdir().unwrap();
        for run in ["filling the cache", "from the cache"] {
            assert_eq!(
                searched(sources, cache.path(), args),
                (expected.clone(), warnings.clone()),
                "{args:?} {run}"
            );
            // The files that matched were parsed, so they are kept.
            assert!(
                expected.0.is_empty() || entries_under(&cache.path().join("cache")) > 0,
                "{args:?} {run}: nothing was kept in the cache"
            );
        }
    }
}

#[test]
fn opening_for_a_search_finds_what_a_full_open_finds() {
    let library_dir = tempfile::tempdir().unwrap();
    tricky_library(library_dir.path());
    let sources = sources(library_dir.path());
    let queries: &[&[&str]] = &[
        &["funding"],
        &["Funding"],
        &["mobility"],
        &["café"],
        &["cafe", "--ignore-accents"],
        &["quokka"],
        &["quokka ka"],
        &[synthetic_library::RARE_WORD],
        &["\"the funding\""],
        &["funding -metrics"],
        &["成果"],
        &["--regex", "fund(ing|s)"],
        &["nothing"],
        &["x-rays"],
        &["funding", "--article", "emphasis"],
    ];
    assert_same_results(&sources, queries);
}

#[test]
fn duplicate_ids_come_out_the_same_when_opening_for_a_search() {
    let library_dir = tempfile::tempdir().unwrap();
    let dir = library_dir.path();
    write_settled(
        dir.join("dup-a.md"),
        "---\nid: same\n---\n\nNothing here.\n",
    );
    write_settled(
        dir.join("dup-b.md"),
        "---\nid: same\n---\n\nFunding here.\n",
    );
    write_settled(
        dir.join("dup-c.md"),
        "---\nid: same-2\n---\n\nFunding too.\n",
    );
    write_settled(dir.join("dup-d.md"), "# Only a title\n");
    let sources = sources(dir);
    let ids: Vec<String> = Library::open(&sources)
        .articles
        .iter()
        .filter(|article| article.meta.id.starts_with("same"))
        .map(|article| article.meta.id.clone())
        .collect();
    assert_eq!(ids, ["same", "same-2", "same-2-2"]);
    assert_same_results(
        &sources,
        &[
            &["funding"],
            &["too"],
            &["nothing"],
            &["too", "--article", "same-2-2"],
        ],
    );
}

#[test]
fn the_cache_follows_edits_new_files_and_deletions() {
    let sandbox = Sandbox::new();
    sandbox.write("gamma.md", "# Gamma\n\nA wombat sleeps.\n");
    let first = sandbox.search(&["wombat"]);
    assert_exit(&first, 0);
    assert_eq!(lines(&first).len(), 1);
    assert!(
        sandbox.data.path().join("cache").join("articles").is_dir(),
        "the first search fills the cache"
    );

    // Same length, new words: the stamp still changes (modification time).
    std::thread::sleep(std::time::Duration::from_millis(20));
    sandbox.write("gamma.md", "# Gamma\n\nA numbat sleeps.\n");
    assert_exit(&sandbox.search(&["wombat"]), 1);
    assert_exit(&sandbox.search(&["numbat"]), 0);

    sandbox.write("delta.md", "# Delta\n\nAnother numbat.\n");
    assert_eq!(lines(&sandbox.search(&["numbat"])).len(), 2);

    std::fs::remove_file(sandbox.library.path().join("gamma.md")).unwrap();
    let after = sandbox.search(&["numbat"]);
    assert_eq!(lines(&after), ["delta  §-  ¶1: Another «numbat»."]);
}

#[test]
fn a_broken_cache_is_only_a_slower_search() {
    let sandbox = Sandbox::new();
    let expected = stdout(&sandbox.search(&["--no-cache", "funding"]));
    assert!(!expected.is_empty());
    assert_eq!(stdout(&sandbox.search(&["funding"])), expected);
    let entries = sandbox.data.path().join("cache").join("articles");
    for folder in std::fs::read_dir(&entries).unwrap() {
        for entry in std::fs::read_dir(folder.unwrap().path()).unwrap() {
            std::fs::write(entry.unwrap().path(), b"\xff\x00garbage").unwrap();
        }
    }
    let again = sandbox.search(&["funding"]);
    assert_exit(&again, 0);
    assert_eq!(stdout(&again), expected);
    assert_eq!(
        stderr(&again),
        "",
        "a broken cache is not the person's problem"
    );
}
