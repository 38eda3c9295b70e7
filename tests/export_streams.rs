//! `gloss export --out` on what is not a regular file: a device or a named
//! pipe is written to as a stream and never read (`/dev/full` used to be read
//! until the system killed gloss), and `--out -` is standard output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use crate::binary;
use crate::export::{STARS, Sandbox, assert_exit, stdout};

/// Far more than an export of one article takes, far less than reading a
/// device that never ends.
const DEADLINE: Duration = Duration::from_secs(20);

/// Runs `gloss export marks --out OUT`, killed if it outlasts [`DEADLINE`].
fn export_to(sandbox: &Sandbox, out: &str) -> Output {
    let mut child = binary::gloss_in(
        sandbox.data.path(),
        Some(sandbox.library.path()),
        &["export", "marks", "--out", out],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > DEADLINE {
            child.kill().unwrap();
            let output = child.wait_with_output().unwrap();
            panic!(
                "gloss export --out {out} still ran after {DEADLINE:?}; stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn sandbox_with_a_highlight() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.add(STARS, &[]);
    sandbox
}

#[test]
fn dev_full_fails_at_once_saying_there_is_no_space() {
    let sandbox = sandbox_with_a_highlight();
    let output = export_to(&sandbox, "/dev/full");
    assert_exit(&output, 2);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/dev/full"), "{stderr}");
    assert!(stderr.contains("no space"), "{stderr}");
}

#[test]
fn dev_null_and_dev_zero_take_the_export() {
    let sandbox = sandbox_with_a_highlight();
    for device in ["/dev/null", "/dev/zero"] {
        let output = export_to(&sandbox, device);
        assert_exit(&output, 0);
        assert_eq!(stdout(&output), "", "{device}");
    }
}

#[test]
fn a_named_pipe_gets_the_export_as_a_stream() {
    let sandbox = sandbox_with_a_highlight();
    let fifo = sandbox.data.path().join("notes.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    let output = export_to(&sandbox, fifo.to_str().unwrap());
    assert_exit(&output, 0);
    let text = reader.join().unwrap();
    assert!(text.contains("成果 😀"), "{text}");
    assert!(fifo.exists(), "the pipe is left in place, not replaced");
}

#[test]
fn dev_stdout_into_a_pipe_gets_the_export_and_is_never_read() {
    let sandbox = sandbox_with_a_highlight();
    let output = export_to(&sandbox, "/dev/stdout");
    assert_exit(&output, 0);
    assert!(stdout(&output).contains("成果 😀"), "{}", stdout(&output));
}

#[test]
fn out_dash_is_standard_output() {
    let sandbox = sandbox_with_a_highlight();
    let output = export_to(&sandbox, "-");
    assert_exit(&output, 0);
    assert!(stdout(&output).contains("成果 😀"), "{}", stdout(&output));
    assert!(!sandbox.data.path().join("-").exists());
    assert!(
        !std::path::Path::new("-").exists(),
        "no file named '-' was made"
    );
}
