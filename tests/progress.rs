//! Progress lines of long work: `gloss import` of many files and `gloss
//! export` into a folder show one line on stderr, redrawn and cleared at the
//! end, when stderr is a terminal; when it is a pipe (scripts, these tests'
//! usual way of running gloss) nothing of it is written.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::files::names_in;
use crate::session;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use session::{Session, shell};

/// More files than the least that shows progress.
const FILES: usize = 30;

/// Writes `FILES` plain-text documents into `inbox`.
fn documents(inbox: &Path) {
    std::fs::create_dir_all(inbox).unwrap();
    for i in 0..FILES {
        std::fs::write(
            inbox.join(format!("note-{i:02}.txt")),
            format!("Note number {i}\n\nSome text of note {i}.\n"),
        )
        .unwrap();
    }
}

fn gloss(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .env_remove("GLOSS_DATA_DIR")
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null())
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("the gloss binary runs")
}

fn inbox_files(inbox: &Path) -> Vec<String> {
    names_in(inbox)
        .iter()
        .map(|name| inbox.join(name).to_string_lossy().into_owned())
        .collect()
}

/// `gloss highlight add` on each imported note, so that an export has one
/// file per note.
const HIGHLIGHT_EACH: &str = r#"i=0; while [ $i -lt 30 ]; do "$GLOSS" --data-dir "$DATA" highlight add note-number-$i --quote Some >/dev/null 2>&1 || exit 9; i=$((i+1)); done"#;

#[test]
fn no_progress_when_stderr_is_not_a_terminal() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let inbox = root.path().join("inbox");
    documents(&inbox);
    let files = inbox_files(&inbox);
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    let output = gloss(&data, &args);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        output.stderr.is_empty(),
        "stderr: {:?}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains('\r'), "{stdout:?}");
    let library = data.join("library");
    assert!(
        stdout.ends_with(&format!(
            "{FILES} articles written to {}\n",
            library.display()
        )),
        "the import says where it wrote: {stdout}"
    );

    let status = Command::new("sh")
        .args(["-c", HIGHLIGHT_EACH])
        .env("GLOSS", env!("CARGO_BIN_EXE_gloss"))
        .env("DATA", &data)
        .env_remove("GLOSS_DATA_DIR")
        .status()
        .unwrap();
    assert!(status.success(), "{status:?}");
    let out_dir = root.path().join("notes/");
    let output = gloss(&data, &["export", "--out", out_dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        output.stderr.is_empty(),
        "stderr: {:?}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.matches("created ").count(), FILES + 1, "{stdout}");
    assert!(!stdout.contains('\r'), "{stdout:?}");
}

#[test]
fn import_and_export_show_progress_on_a_terminal_and_clear_it() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    documents(&root.path().join("inbox"));
    // Only stderr is the terminal: stdout goes to files, so everything on
    // the terminal is progress.
    let script = format!(
        r#""$GLOSS" --data-dir "$DATA" import inbox/*.txt > imported.txt && {HIGHLIGHT_EACH} && "$GLOSS" --data-dir "$DATA" export --out notes/ > exported.txt"#
    );
    let mut command = shell(&script, &data);
    command.cwd(root.path());
    let finished = Session::spawn(command).finish();
    let output = String::from_utf8_lossy(&finished.output).into_owned();
    assert!(finished.status.success(), "{output:?}");
    for verb in ["importing", "exporting"] {
        assert!(
            output.contains(&format!("{verb} ")) && output.contains(&format!("/{FILES}")),
            "a progress line for {verb}: {output:?}"
        );
    }
    let screen = finished.screen();
    assert!(
        (0..usize::from(session::ROWS)).all(|row| screen.line(row).trim().is_empty()),
        "the progress lines are cleared at the end:\n{screen}"
    );
    let imported = std::fs::read_to_string(root.path().join("imported.txt")).unwrap();
    assert_eq!(imported.matches("imported ").count(), FILES, "{imported}");
    let exported = std::fs::read_to_string(root.path().join("exported.txt")).unwrap();
    assert!(!exported.contains('\r'), "{exported:?}");
}
