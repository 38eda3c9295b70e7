//! The `gloss` binary as a script sees it: subcommands run against a temporary
//! data folder, with articles written by each test, checking stdout, stderr and
//! the exit code.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::binary;
use crate::output;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use gloss::store::ReadingPosition;
use gloss::store::positions::{self, Positions};
use output::{assert_exit, stderr, stdout};

const ESC: u8 = 0x1b;

/// A private data folder and a `--library` folder for one test.
struct Sandbox {
    data: tempfile::TempDir,
    library: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox {
            data: tempfile::tempdir().unwrap(),
            library: tempfile::tempdir().unwrap(),
        }
    }

    /// `gloss --data-dir DATA ARGS…`.
    fn gloss(&self, args: &[&str]) -> Command {
        binary::gloss_in(self.data.path(), None, args)
    }

    /// Like [`Sandbox::gloss`], also reading the test's `--library` folder.
    fn gloss_with_library(&self, args: &[&str]) -> Command {
        binary::gloss_in(self.data.path(), Some(self.library.path()), args)
    }

    fn write_article(&self, file: &str, text: &str) {
        std::fs::write(self.library.path().join(file), text).unwrap();
    }

    /// Two articles whose titles share the prefix "Harbour lights".
    fn with_harbour_articles(self) -> Sandbox {
        self.write_article("lisbon.md", &harbour_article("lisbon-harbour", "Lisbon"));
        self.write_article("porto.md", &harbour_article("porto-harbour", "Porto"));
        self
    }
}

fn harbour_article(id: &str, city: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Harbour lights of {city}\nsubtitle: Evenings by the water\n\
         date: 2025-01-02\ntags: [travel, {city}]\n---\n\n# Harbour lights of {city}\n\n\
         The river is wide at {city}.\n\n## Ferries\n\nThe ferries cross at dusk.\n\n\
         ## Trams\n\nThe old tram climbs the hill.\n"
    )
}

fn run(command: &mut Command) -> Output {
    command.output().expect("the gloss binary runs")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!("stdout is not JSON ({err}): {}", stdout(output));
    })
}

/// Article ids in `gloss list --json` output.
fn listed_ids(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|article| article["id"].as_str().expect("a string id").to_string())
        .collect()
}

fn bundled_article_files() -> usize {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    std::fs::read_dir(folder)
        .expect("the articles folder exists")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "md"))
        .count()
}

#[test]
fn list_json_has_every_bundled_article_once() {
    let sandbox = Sandbox::new();
    let output = run(&mut sandbox.gloss(&["list", "--json"]));
    assert_exit(&output, 0);
    let list = json(&output);
    let bundled: Vec<&serde_json::Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|article| article["origin"].as_str().unwrap().starts_with("bundled:"))
        .collect();
    assert_eq!(bundled.len(), bundled_article_files(), "{list:#}");
    let mut ids = listed_ids(&list);
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "ids are unique: {ids:?}");
    let titles: Vec<String> = bundled
        .iter()
        .map(|article| article["title"].as_str().unwrap().to_lowercase())
        .collect();
    for topic in ["cultural diplomacy", "innovation diplomacy"] {
        assert!(
            titles.iter().any(|title| title.contains(topic)),
            "no bundled article about {topic}: {titles:?}"
        );
    }
    assert!(bundled.iter().all(|article| article["progress"].is_null()));
}

#[test]
fn list_shows_one_line_per_article_with_progress() {
    let sandbox = Sandbox::new().with_harbour_articles();
    let mut saved = Positions::new();
    saved.insert(
        "porto-harbour".into(),
        ReadingPosition {
            block: 2,
            sentence: 0,
        },
    );
    positions::save(&sandbox.data.path().join("positions.ron"), &saved).unwrap();

    let output = run(&mut sandbox.gloss_with_library(&["list"]));
    assert_exit(&output, 0);
    let text = stdout(&output);
    let json_output = run(&mut sandbox.gloss_with_library(&["list", "--json"]));
    let list = json(&json_output);
    assert_eq!(
        text.lines().count(),
        list.as_array().unwrap().len(),
        "{text}"
    );

    let porto = text
        .lines()
        .find(|l| l.starts_with("porto-harbour"))
        .unwrap();
    let lisbon = text
        .lines()
        .find(|l| l.starts_with("lisbon-harbour"))
        .unwrap();
    assert!(porto.contains("2025-01-02"), "{porto}");
    assert!(porto.contains("2 sections"), "{porto}");
    assert!(porto.contains('%'), "{porto}");
    assert!(lisbon.contains("  -  Harbour lights of Lisbon"), "{lisbon}");
    assert_eq!(porto.find("Harbour"), lisbon.find("Harbour"), "aligned");

    let porto_json = list
        .as_array()
        .unwrap()
        .iter()
        .find(|article| article["id"] == "porto-harbour")
        .unwrap();
    assert_eq!(porto_json["subtitle"], "Evenings by the water");
    assert_eq!(porto_json["tags"], serde_json::json!(["travel", "Porto"]));
    assert_eq!(porto_json["sections"], 2);
    assert!(porto_json["progress"].as_u64().unwrap() > 0);
    assert!(porto_json["origin"].as_str().unwrap().ends_with("porto.md"));
}

#[test]
fn the_user_library_folder_is_read() {
    let sandbox = Sandbox::new();
    let folder = sandbox.data.path().join("library");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("mine.md"),
        harbour_article("my-harbour", "Genoa"),
    )
    .unwrap();
    let output = run(&mut sandbox.gloss(&["list", "--json"]));
    assert_exit(&output, 0);
    assert!(listed_ids(&json(&output)).contains(&"my-harbour".to_string()));
    assert_eq!(stderr(&output), "", "a missing user folder is no warning");
}

#[test]
fn show_prints_an_article_by_id_and_by_title_prefix() {
    let sandbox = Sandbox::new().with_harbour_articles();
    let by_id = run(&mut sandbox.gloss_with_library(&["show", "porto-harbour"]));
    assert_exit(&by_id, 0);
    let text = stdout(&by_id);
    assert!(
        text.starts_with("Harbour lights of Porto\nEvenings by the water\n2025-01-02\n\n"),
        "{text}"
    );
    assert!(
        text.contains("## Ferries\n\nThe ferries cross at dusk.\n"),
        "{text}"
    );
    assert!(text.ends_with("The old tram climbs the hill.\n"), "{text}");

    let by_prefix = run(&mut sandbox.gloss_with_library(&["show", "harbour lights of p"]));
    assert_exit(&by_prefix, 0);
    assert_eq!(stdout(&by_prefix), text);
}

#[test]
fn show_a_bundled_article() {
    let sandbox = Sandbox::new();
    let list = json(&run(&mut sandbox.gloss(&["list", "--json"])));
    let first = &list[0];
    let output = run(&mut sandbox.gloss(&["show", first["id"].as_str().unwrap()]));
    assert_exit(&output, 0);
    let text = stdout(&output);
    assert!(text.starts_with(first["title"].as_str().unwrap()), "{text}");
    assert!(text.contains("\n## "), "section headings are shown: {text}");
    assert!(!text.as_bytes().contains(&ESC));
}

#[test]
fn show_one_section() {
    let sandbox = Sandbox::new().with_harbour_articles();
    let output =
        run(&mut sandbox.gloss_with_library(&["show", "lisbon-harbour", "--section", "2"]));
    assert_exit(&output, 0);
    assert_eq!(
        stdout(&output),
        "## Trams\n\nThe old tram climbs the hill.\n"
    );

    let output =
        run(&mut sandbox.gloss_with_library(&["show", "lisbon-harbour", "--section", "3"]));
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("from 1 to 2"),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&output), "");
}

#[test]
fn an_ambiguous_prefix_lists_the_candidates() {
    let sandbox = Sandbox::new().with_harbour_articles();
    let output = run(&mut sandbox.gloss_with_library(&["show", "Harbour lights"]));
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.starts_with("gloss: "), "{message}");
    assert!(
        message.contains("lisbon-harbour (Harbour lights of Lisbon)"),
        "{message}"
    );
    assert!(
        message.contains("porto-harbour (Harbour lights of Porto)"),
        "{message}"
    );
    assert_eq!(stdout(&output), "");
}

#[test]
fn an_unknown_article_exits_with_one() {
    let sandbox = Sandbox::new();
    let output = run(&mut sandbox.gloss(&["show", "no-such-article-anywhere"]));
    assert_exit(&output, 1);
    let message = stderr(&output);
    assert!(message.starts_with("gloss: "), "{message}");
    assert!(message.contains("gloss list"), "{message}");
    assert_eq!(stdout(&output), "");
}

#[test]
fn paths_point_inside_the_data_folder() {
    let sandbox = Sandbox::new();
    let output = run(&mut sandbox.gloss(&["paths", "--json"]));
    assert_exit(&output, 0);
    let paths = json(&output);
    let data = sandbox.data.path();
    assert_eq!(PathBuf::from(paths["data_dir"].as_str().unwrap()), data);
    for (key, expected) in [
        ("library_dir", data.join("library")),
        ("config_dir", data.join("config")),
        ("positions_file", data.join("positions.ron")),
        ("annotations_file", data.join("annotations.ron")),
        ("cache_dir", data.join("cache")),
    ] {
        assert_eq!(
            PathBuf::from(paths[key].as_str().unwrap()),
            expected,
            "{key}"
        );
    }

    let plain = stdout(&run(&mut sandbox.gloss(&["paths"])));
    assert_eq!(plain.lines().count(), 8, "{plain}");
    assert!(plain.contains(&data.join("annotations.ron").display().to_string()));
}

#[test]
fn the_environment_variable_chooses_the_data_folder() {
    let from_env = tempfile::tempdir().unwrap();
    let output = run(binary::gloss()
        .env("GLOSS_DATA_DIR", from_env.path())
        .args(["paths", "--json"]));
    assert_exit(&output, 0);
    assert_eq!(
        PathBuf::from(json(&output)["data_dir"].as_str().unwrap()),
        from_env.path()
    );

    let from_flag = tempfile::tempdir().unwrap();
    let output = run(binary::gloss()
        .env("GLOSS_DATA_DIR", from_env.path())
        .arg("paths")
        .arg("--json")
        .arg("--data-dir")
        .arg(from_flag.path()));
    assert_eq!(
        PathBuf::from(json(&output)["data_dir"].as_str().unwrap()),
        from_flag.path(),
        "the flag wins over the environment"
    );
}

#[test]
fn a_bad_file_warns_on_stderr_and_the_good_ones_are_listed() {
    let sandbox = Sandbox::new().with_harbour_articles();
    sandbox.write_article("broken.md", "---\ntitle: \"never closed\n\nBody.\n");
    let output = run(&mut sandbox.gloss_with_library(&["list"]));
    assert_exit(&output, 0);
    let warnings = stderr(&output);
    assert!(warnings.starts_with("gloss: warning: "), "{warnings}");
    assert!(warnings.contains("broken.md"), "{warnings}");
    let listed = stdout(&output);
    assert!(listed.contains("lisbon-harbour"), "{listed}");
    assert!(listed.contains("porto-harbour"), "{listed}");
    assert!(!listed.contains("broken"), "{listed}");
}

#[test]
fn a_missing_library_folder_is_a_warning() {
    let sandbox = Sandbox::new();
    let missing = sandbox.library.path().join("not-here");
    let output = run(sandbox.gloss(&["paths"]).arg("--library").arg(&missing));
    assert_exit(&output, 0);
    let warnings = stderr(&output);
    assert!(warnings.starts_with("gloss: warning: "), "{warnings}");
    assert!(warnings.contains("not-here"), "{warnings}");
}

#[test]
fn the_reader_refuses_without_a_terminal() {
    let sandbox = Sandbox::new();
    let output = run(sandbox
        .gloss(&[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped()));
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.starts_with("gloss: the reader needs a terminal"),
        "{message}"
    );
    assert!(message.contains("gloss list"), "{message}");
    assert!(output.stdout.is_empty());
    assert!(!output.stderr.contains(&ESC) && !output.stdout.contains(&ESC));
}

#[test]
fn version_and_help() {
    let output = run(binary::gloss().arg("--version"));
    assert_exit(&output, 0);
    assert_eq!(
        stdout(&output).trim(),
        format!("gloss {}", env!("CARGO_PKG_VERSION"))
    );

    for args in [
        &["--help"][..],
        &["list", "--help"],
        &["show", "--help"],
        &["paths", "--help"],
    ] {
        let output = run(binary::gloss().args(args));
        assert_exit(&output, 0);
        let help = stdout(&output);
        assert!(help.contains("Usage: gloss"), "{args:?}: {help}");
        assert!(help.contains("--data-dir"), "{args:?}: {help}");
    }
    let help = stdout(&run(binary::gloss().arg("--help")));
    for command in ["list", "show", "paths"] {
        assert!(help.contains(command), "{help}");
    }
}

#[test]
fn a_usage_error_is_one_line_and_exits_with_two() {
    let output = run(binary::gloss().args(["list", "--no-such-flag"]));
    assert_exit(&output, 2);
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.starts_with("gloss: "), "{message}");
    assert!(message.contains("--no-such-flag"), "{message}");
    assert!(output.stdout.is_empty());
}

#[test]
fn global_options_work_before_the_subcommand() {
    let sandbox = Sandbox::new().with_harbour_articles();
    let output = run(binary::gloss()
        .arg("--library")
        .arg(sandbox.library.path())
        .arg("--data-dir")
        .arg(sandbox.data.path())
        .args(["show", "porto-harbour", "--section", "1"]));
    assert_exit(&output, 0);
    assert_eq!(
        stdout(&output),
        "## Ferries\n\nThe ferries cross at dusk.\n"
    );
}

#[cfg(unix)]
#[test]
fn the_data_folder_is_private_whichever_command_makes_it() {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let library = tempfile::tempdir().unwrap();
    std::fs::write(library.path().join("a.md"), "# A\n\nSome words here.\n").unwrap();
    for command in [
        &["list"][..],
        &["search", "words"],
        &["show", "a"],
        &["paths"],
    ] {
        let data = parent.path().join(command[0]);
        let output = run(&mut binary::gloss_in(&data, Some(library.path()), command));
        assert!(
            output.status.code().is_some_and(|code| code <= 1),
            "{command:?}"
        );
        if let Ok(metadata) = std::fs::metadata(&data) {
            let mode = metadata.permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{command:?} made {} {mode:o}", data.display());
        }
    }
    assert!(
        parent.path().join("list").exists(),
        "list keeps its cache there"
    );
}

#[cfg(unix)]
#[test]
fn a_path_with_control_characters_is_shown_escaped_not_stripped() {
    let sandbox = Sandbox::new();
    // An empty file, so that the library warns about it by name.
    sandbox.write_article("bad\u{1b}]0;x\u{7}name.md", "");
    let output = run(&mut sandbox.gloss_with_library(&["list"]));
    let message = stderr(&output);
    assert!(
        message.contains("bad\\x1b]0;x\\x07name.md"),
        "the name as it can be typed back: {message}"
    );
    assert!(!output.stderr.contains(&ESC), "{message}");
}

#[cfg(unix)]
#[test]
fn a_pipe_as_the_annotations_file_is_refused_at_once() {
    let sandbox = Sandbox::new();
    let fifo = sandbox.data.path().join("annotations.ron");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let started = std::time::Instant::now();
    let listed = run(&mut sandbox.gloss(&["highlights"]));
    let added = run(&mut sandbox.gloss(&[
        "highlight",
        "add",
        "cultural-diplomacy-partnerships",
        "--quote",
        "Cultural diplomacy today operates",
    ]));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    // Reading warns and goes on with nothing; a change is refused.
    assert_exit(&added, 2);
    for output in [&listed, &added] {
        let message = stderr(output);
        assert!(message.contains("not a regular file"), "{message}");
    }
    assert!(fifo.exists(), "the pipe is left where it was");
}

#[cfg(target_os = "linux")]
#[test]
fn a_closed_standard_output_is_an_error_not_silence() {
    let sandbox = Sandbox::new();
    let gloss = env!("CARGO_BIN_EXE_gloss");
    let with = |redirect: &str| {
        run(Command::new("sh")
            .arg("-c")
            .arg(format!("\"$0\" --data-dir \"$1\" list {redirect}"))
            .arg(gloss)
            .arg(sandbox.data.path())
            .stdin(Stdio::null()))
    };
    let closed = with(">&-");
    assert_exit(&closed, 2);
    assert!(
        stderr(&closed).contains("standard output is closed"),
        "{}",
        stderr(&closed)
    );
    // Thrown away on purpose is fine.
    assert_exit(&with("> /dev/null"), 0);
}
