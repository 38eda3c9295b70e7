//! `gloss completions SHELL` and `gloss man` from the real binary: every shell's
//! script and the man page cover every subcommand the command line defines, and
//! the scripts are valid for the shells installed here.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use clap::{CommandFactory, ValueEnum};
use clap_complete::Shell;
use gloss::cli::Cli;

/// `gloss --data-dir TMP ARGS…` with no `GLOSS_DATA_DIR` inherited; the folder
/// is returned so a test can look at it afterwards.
fn gloss(args: &[&str]) -> (Output, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .env_remove("GLOSS_DATA_DIR")
        .stdin(Stdio::null())
        .arg("--data-dir")
        .arg(data.path())
        .args(args)
        .output()
        .unwrap();
    (output, data)
}

/// Runs `gloss ARGS…`, checks that it succeeded quietly, and returns its stdout.
fn stdout_of(args: &[&str]) -> String {
    let (output, _data) = gloss(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "gloss {args:?} failed: {stderr}");
    assert!(stderr.is_empty(), "gloss {args:?} warned: {stderr}");
    String::from_utf8(output.stdout).unwrap()
}

/// The subcommands as the command line defines them, so this test follows it.
fn subcommand_names() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect()
}

fn shell_names() -> Vec<String> {
    Shell::value_variants()
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Checks `script` with the shell's own parser (`bash -n`, `zsh -n`,
/// `fish --no-execute`), or returns false when that shell is not installed.
fn shell_accepts(shell: &str, check_flag: &str, script: &str) -> bool {
    let Ok(mut child) = Command::new(shell)
        .arg(check_flag)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        eprintln!("{shell} is not installed; its syntax check is skipped");
        return false;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{shell} {check_flag} rejects the script: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    true
}

#[test]
fn the_subcommands_include_completions_and_man() {
    let names = subcommand_names();
    for expected in ["list", "search", "export", "completions", "man"] {
        assert!(names.iter().any(|name| name == expected), "{names:?}");
    }
}

#[test]
fn every_shell_gets_a_script_naming_every_subcommand() {
    let subcommands = subcommand_names();
    for shell in shell_names() {
        let script = stdout_of(&["completions", &shell]);
        assert!(script.len() > 1000, "{shell}: a short script: {script}");
        assert!(script.contains("gloss"), "{shell}: does not name gloss");
        for name in &subcommands {
            assert!(script.contains(name.as_str()), "{shell}: no '{name}'");
        }
    }
}

#[test]
fn the_scripts_offer_the_options_and_values() {
    let bash = stdout_of(&["completions", "bash"]);
    assert!(
        bash.contains("complete -F _gloss"),
        "not registered for gloss"
    );
    for word in ["--data-dir", "--library", "--json", "powershell"] {
        assert!(bash.contains(word), "bash does not offer {word}");
    }
    let fish = stdout_of(&["completions", "fish"]);
    assert!(fish.contains("complete -c gloss"), "{fish}");
}

#[test]
fn the_bash_script_is_valid_bash() {
    let script = stdout_of(&["completions", "bash"]);
    shell_accepts("bash", "-n", &script);
}

#[test]
fn the_zsh_and_fish_scripts_parse_where_those_shells_exist() {
    shell_accepts("zsh", "-n", &stdout_of(&["completions", "zsh"]));
    shell_accepts("fish", "--no-execute", &stdout_of(&["completions", "fish"]));
}

#[test]
fn the_man_page_is_roff_about_gloss_and_its_subcommands() {
    let page = stdout_of(&["man"]);
    // roff's preamble defines the apostrophe string (`.ie`/`.el`) before the
    // title; the title must still come before any section.
    let first_request = page
        .lines()
        .find(|line| !line.starts_with(".ie") && !line.starts_with(".el"))
        .unwrap();
    assert!(first_request.starts_with(".TH gloss 1"), "{first_request}");
    assert!(page.contains(".SH NAME\ngloss \\- "), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for name in subcommand_names() {
        assert!(page.contains(&format!("gloss\\-{name}(1)")), "no {name}");
    }
    assert!(
        page.contains("GLOSS_DATA_DIR"),
        "the environment is documented"
    );
    assert!(page.contains(env!("CARGO_PKG_VERSION")), "no version");
}

#[test]
fn completions_help_lists_the_shells() {
    for flag in ["--help", "-h"] {
        let help = stdout_of(&["completions", flag]);
        for shell in shell_names() {
            assert!(help.contains(&shell), "{flag}: no {shell} in {help}");
        }
    }
}

#[test]
fn an_unknown_shell_is_refused_with_the_choices() {
    let (output, _data) = gloss(&["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("'tcsh'"), "{stderr}");
    for shell in shell_names() {
        assert!(stderr.contains(&shell), "no {shell} in {stderr}");
    }
}

#[test]
fn generating_writes_nothing_in_the_data_folder() {
    for args in [&["completions", "zsh"][..], &["man"]] {
        let (output, data) = gloss(args);
        assert!(output.status.success(), "{args:?}");
        let entries: Vec<_> = std::fs::read_dir(data.path()).unwrap().collect();
        assert!(entries.is_empty(), "{args:?} wrote {entries:?}");
    }
}
