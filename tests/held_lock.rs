//! A lock on `annotations.ron` held by something else (another gloss stopped
//! mid-save, `flock` by hand): reading does not wait for it, and a write
//! waits a bounded time, then fails saying who holds it, losing nothing.

#![allow(clippy::unwrap_used)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::binary;
use crate::output::{assert_exit, stderr, stdout};

const ARTICLE: &str = "---\nid: harbour\ntitle: Harbour lights\n---\n\nThe river is wide. The ferries cross at dusk.\n";

/// `flock --close LOCK sleep 60`, started and holding the lock before it returns.
fn hold(lock: &std::path::Path) -> Child {
    // `--close`: only flock holds it, so killing flock frees it.
    let mut child = Command::new("flock")
        .arg("--close")
        .arg(lock)
        .args(["sleep", "60"])
        .stdin(Stdio::null())
        .spawn()
        .unwrap_or_else(|err| panic!("flock (util-linux) does not run: {err}"));
    let deadline = Instant::now() + Duration::from_secs(10);
    // Held once a try of our own fails.
    while Instant::now() < deadline {
        let probe = Command::new("flock")
            .args(["--nonblock"])
            .arg(lock)
            .arg("true")
            .status()
            .unwrap();
        if !probe.success() {
            return child;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("flock never took the lock");
}

#[test]
fn a_held_lock_delays_a_write_a_bounded_time_and_never_a_read() {
    let data = tempfile::tempdir().unwrap();
    let library = tempfile::tempdir().unwrap();
    std::fs::write(library.path().join("harbour.md"), ARTICLE).unwrap();
    let gloss = |args: &[&str]| {
        binary::gloss_in(data.path(), Some(library.path()), args)
            .output()
            .unwrap()
    };
    let added = gloss(&[
        "highlight",
        "add",
        "harbour",
        "--quote",
        "The river is wide.",
    ]);
    assert_exit(&added, 0);
    let before = std::fs::read(data.path().join("annotations.ron")).unwrap();

    let mut holder = hold(&data.path().join("annotations.ron.lock"));
    let started = Instant::now();
    let listed = gloss(&["highlights"]);
    let read_took = started.elapsed();
    let started = Instant::now();
    let refused = gloss(&[
        "highlight",
        "add",
        "harbour",
        "--quote",
        "The ferries cross",
    ]);
    let write_took = started.elapsed();
    let _ = holder.kill();
    let _ = holder.wait();

    assert_exit(&listed, 0);
    assert!(
        stdout(&listed).contains("The river is wide."),
        "{}",
        stdout(&listed)
    );
    assert!(
        read_took < Duration::from_secs(5),
        "a read waited {read_took:?}"
    );
    assert_exit(&refused, 2);
    let message = stderr(&refused);
    assert!(
        message.contains("gloss: waiting for another program to finish saving…"),
        "said while it waits: {message}"
    );
    assert!(message.contains("another program has held"), "{message}");
    assert!(message.contains("nothing was saved"), "{message}");
    assert!(
        write_took < Duration::from_secs(30),
        "a write waited {write_took:?}"
    );
    assert_eq!(
        std::fs::read(data.path().join("annotations.ron")).unwrap(),
        before
    );

    // Once the lock is free, the same command works.
    assert_exit(
        &gloss(&[
            "highlight",
            "add",
            "harbour",
            "--quote",
            "The ferries cross",
        ]),
        0,
    );
}
