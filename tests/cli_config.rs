//! `gloss config` and the configuration file as the binary sees it: where it
//! is looked for, the default text, `--check` for scripts, a bad file that
//! warns but never stops a command, and `export_dir` in `gloss paths` and
//! `gloss export`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::binary;
use crate::output;

use output::{assert_exit, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A private data folder (its `config/` holds the configuration file) and a
/// library folder with one article.
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
        std::fs::write(
            sandbox.library.path().join("harbour.md"),
            "---\nid: harbour\ntitle: Harbour lights\n---\n\n# Harbour lights\n\nThe ferries cross at dusk.\n",
        )
        .unwrap();
        sandbox
    }

    /// `gloss --data-dir DATA --library LIBRARY ARGS…`, with nothing
    /// inherited from the environment that would choose other files.
    fn gloss(&self, args: &[&str]) -> Command {
        binary::gloss_in(self.data.path(), Some(self.library.path()), args)
    }

    fn run(&self, args: &[&str]) -> Output {
        self.gloss(args).output().expect("the gloss binary runs")
    }

    fn config_file(&self) -> PathBuf {
        self.data.path().join("config").join("config.ron")
    }

    fn write_config(&self, text: &str) {
        let file = self.config_file();
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
}

#[test]
fn the_default_config_passes_its_own_check() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["config", "--default"]);
    assert_exit(&output, 0);
    let text = stdout(&output);
    assert!(text.contains("reading_width: 72"), "{text}");
    assert!(!sandbox.config_file().exists(), "gloss never writes it");
    sandbox.write_config(&text);
    let output = sandbox.run(&["config", "--check"]);
    assert_exit(&output, 0);
    assert!(stdout(&output).contains("loads without problems"));
    assert_eq!(stderr(&output), "");
}

#[test]
fn config_names_the_file_and_says_it_is_missing() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["config"]);
    assert_exit(&output, 0);
    let text = stdout(&output);
    assert!(
        text.contains(&sandbox.config_file().display().to_string()),
        "{text}"
    );
    assert!(text.contains("not found"), "{text}");
    let path = sandbox.run(&["config", "--path"]);
    assert_eq!(
        stdout(&path).trim_end(),
        sandbox.config_file().display().to_string()
    );
    let check = sandbox.run(&["config", "--check"]);
    assert_exit(&check, 0);
    assert!(stdout(&check).contains("not found"));
    assert!(!sandbox.config_file().exists());
}

#[test]
fn config_shows_the_settings_in_effect() {
    let sandbox = Sandbox::new();
    sandbox.write_config("(\n theme: \"light\",\n reading_width: 90,\n keys: { \"reader\": { \"J\": \"next_section\" } },\n)\n");
    let text = stdout(&sandbox.run(&["config"]));
    assert!(text.contains("loads without problems"), "{text}");
    assert!(text.contains("light"), "{text}");
    assert!(text.contains("90"), "{text}");
}

#[test]
fn check_reports_each_problem_with_file_and_line_and_exits_one() {
    let sandbox = Sandbox::new();
    sandbox.write_config(
        "(\n  theme: \"dark\",\n  reading_width: 500,\n  keys: { \"reader\": {\n    \"J\": \"next_sectoin\" } },\n)\n",
    );
    let output = sandbox.run(&["config", "--check"]);
    assert_exit(&output, 1);
    let errors = stderr(&output);
    let file = sandbox.config_file().display().to_string();
    assert!(
        errors.contains(&format!("{file}:3: reading_width 500 is out of range")),
        "{errors}"
    );
    assert!(
        errors.contains(&format!("{file}:5: unknown action 'next_sectoin'")),
        "{errors}"
    );
    assert!(errors.contains("2 problem(s)"), "{errors}");
    assert_eq!(stdout(&output), "");

    let described = stdout(&sandbox.run(&["config"]));
    assert!(described.contains("not used"), "{described}");
    assert!(described.contains(":3:"), "{described}");
}

#[test]
fn a_syntax_error_is_reported_with_its_line() {
    let sandbox = Sandbox::new();
    sandbox.write_config("(\n  theme: \"dark\"\n  reading_width: 80,\n)\n");
    let output = sandbox.run(&["config", "--check"]);
    assert_exit(&output, 1);
    let file = sandbox.config_file().display().to_string();
    assert!(
        stderr(&output).contains(&format!("{file}:3: ")),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_bad_config_warns_but_never_stops_a_command() {
    let sandbox = Sandbox::new();
    sandbox.write_config("(\n  colour: \"red\",\n)\n");
    let output = sandbox.run(&["list", "--json"]);
    assert_exit(&output, 0);
    let errors = stderr(&output);
    let file = sandbox.config_file().display().to_string();
    assert!(
        errors.contains(&format!(
            "gloss: warning: {file}:2: unknown setting 'colour'"
        )),
        "{errors}"
    );
    assert!(errors.contains("default settings"), "{errors}");
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(list.as_array().is_some_and(|a| !a.is_empty()));
}

#[test]
fn a_missing_config_is_silent() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["list"]);
    assert_exit(&output, 0);
    assert_eq!(stderr(&output), "");
}

#[test]
fn gloss_config_or_the_flag_names_another_file() {
    let sandbox = Sandbox::new();
    let elsewhere = tempfile::tempdir().unwrap();
    let from_env = elsewhere.path().join("env.ron");
    let from_flag = elsewhere.path().join("flag.ron");
    let output = sandbox
        .gloss(&["config", "--path"])
        .env("GLOSS_CONFIG", &from_env)
        .output()
        .unwrap();
    assert_eq!(stdout(&output).trim_end(), from_env.display().to_string());
    let output = sandbox
        .gloss(&["config", "--path", "--config"])
        .arg(&from_flag)
        .env("GLOSS_CONFIG", &from_env)
        .output()
        .unwrap();
    assert_eq!(
        stdout(&output).trim_end(),
        from_flag.display().to_string(),
        "the flag wins over the environment"
    );
    std::fs::write(&from_env, "( reading_width: 3 )").unwrap();
    let output = sandbox
        .gloss(&["config", "--check"])
        .env("GLOSS_CONFIG", &from_env)
        .output()
        .unwrap();
    assert_exit(&output, 1);
    assert!(stderr(&output).contains(&from_env.display().to_string()));
}

#[test]
fn paths_show_the_config_file_and_the_configured_export_folder() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["paths", "--json"]);
    assert_exit(&output, 0);
    let paths: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let shown = |key: &str| PathBuf::from(paths[key].as_str().unwrap());
    assert_eq!(shown("config_file"), sandbox.config_file());
    assert_eq!(shown("export_dir"), sandbox.data.path().join("exports"));

    let notes = tempfile::tempdir().unwrap();
    sandbox.write_config(&format!("( export_dir: {:?} )", notes.path()));
    let output = sandbox.run(&["paths", "--json"]);
    let paths: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        Path::new(paths["export_dir"].as_str().unwrap()),
        notes.path()
    );
    let plain = stdout(&sandbox.run(&["paths"]));
    assert!(plain.contains("config file"), "{plain}");
}

#[test]
fn export_writes_into_the_configured_folder() {
    let sandbox = Sandbox::new();
    let notes = tempfile::tempdir().unwrap();
    let folder = notes.path().join("gloss notes");
    sandbox.write_config(&format!("(\n export_dir: {folder:?},\n)"));
    let added = sandbox.run(&["highlight", "add", "harbour", "--quote", "ferries cross"]);
    assert_exit(&added, 0);
    let output = sandbox.run(&["export", "harbour", "--to-export-dir"]);
    assert_exit(&output, 0);
    let written = folder.join("harbour.md");
    assert!(
        stdout(&output).contains(&written.display().to_string()),
        "{}",
        stdout(&output)
    );
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(text.contains("ferries cross"), "{text}");
    let both = sandbox.run(&["export", "--to-export-dir", "--out", "x.md"]);
    assert_exit(&both, 2);
}
