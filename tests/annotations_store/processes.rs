//! Real processes against one annotations file: a saver killed with SIGKILL at
//! random moments, two instances adding highlights at the same time, and a
//! save whose writes fail because the file size limit is reached (what a full
//! disk looks like to the program).
//!
//! The test binary runs itself again as the child: each `child_*` test does
//! its part only when [`ROLE`] names it, and returns at once otherwise.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use gloss::store::StoreError;
use gloss::store::annotations::{
    Annotations, Saver, SaverReport, Snapshot, load, save_merged, save_merged_from,
};

use super::{names_in, numbered, store_of};

const ROLE: &str = "GLOSS_TEST_STORE_ROLE";
const FILE: &str = "GLOSS_TEST_STORE_FILE";
const PREFIX: &str = "GLOSS_TEST_STORE_PREFIX";

/// The file to work on, when this process was started for `role`.
fn started_as(role: &str) -> Option<PathBuf> {
    (std::env::var(ROLE).ok()? == role).then(|| PathBuf::from(std::env::var_os(FILE).unwrap()))
}

fn prefix() -> String {
    std::env::var(PREFIX).unwrap()
}

/// This test binary. On Linux it is reached through `/proc`, which keeps
/// working when a build replaces the file while the tests run.
fn this_test_binary() -> PathBuf {
    let through_proc = PathBuf::from(format!("/proc/{}/exe", std::process::id()));
    if cfg!(target_os = "linux") && through_proc.exists() {
        through_proc
    } else {
        std::env::current_exe().unwrap()
    }
}

/// This test binary, set to run only `test` in the given role.
fn child(test: &str, role: &str, path: &Path, prefix: &str) -> Command {
    let mut command = Command::new(this_test_binary());
    child_args(&mut command, test, role, path, prefix);
    command
}

/// The full name the test harness knows `test` of this module by: the module
/// path without the test binary's own name.
fn test_name(test: &str) -> String {
    let module = module_path!();
    let module = module.split_once("::").map_or(module, |(_, rest)| rest);
    format!("{module}::{test}")
}

fn child_args(command: &mut Command, test: &str, role: &str, path: &Path, prefix: &str) {
    command
        .args(["--exact", &test_name(test)])
        .args(["--nocapture", "--test-threads", "1"])
        .env(ROLE, role)
        .env(FILE, path)
        .env(PREFIX, prefix)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
}

fn show(output: &Output) -> String {
    format!(
        "{}\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A small xorshift generator: the kill times only need to be spread out, and
/// the seed is printed so a failure can be replayed.
struct Jitter(u64);

impl Jitter {
    fn new() -> Jitter {
        let seed = std::env::var("GLOSS_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                SystemTime::now()
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("kill timing seed: GLOSS_TEST_SEED={seed}");
        Jitter(seed)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

// ---- killed in the middle of saving ------------------------------------------

#[test]
fn child_grows_the_store_until_killed() {
    let Some(path) = started_as("grow") else {
        return;
    };
    let prefix = prefix();
    let mut ours = load(&path).annotations;
    loop {
        ours.upsert(numbered(&prefix, ours.len()));
        ours = save_merged(&path, &ours).unwrap().annotations;
        eprintln!("saved {}", ours.len());
    }
}

#[cfg(unix)]
#[test]
fn a_save_killed_at_any_moment_leaves_the_whole_old_or_new_file() {
    use std::os::unix::process::ExitStatusExt;

    let dir = tempfile::tempdir().unwrap();
    let path = super::data_file(&dir);
    let start = 300;
    save_merged(&path, &store_of("k", start)).unwrap();
    let mut jitter = Jitter::new();
    let mut last = start;
    let mut saves_seen = 0;
    let folder = path.parent().unwrap();
    for round in 0..60 {
        let leftovers_before = temporaries_in(folder);
        let mut running = child("child_grows_the_store_until_killed", "grow", &path, "k")
            .spawn()
            .unwrap_or_else(|err| panic!("round {round}: cannot start the child: {err}"));
        let saves = save_lines(running.stderr.take().unwrap());
        let first = saves.recv_timeout(Duration::from_secs(60)).unwrap();
        if round % 2 == 0 {
            // Anywhere in a save: time one, then kill at a random moment of
            // the next.
            let second = saves.recv_timeout(Duration::from_secs(60)).unwrap();
            let cycle = second.duration_since(first).as_micros().max(1) as u64;
            let kill_at = second + Duration::from_micros(jitter.below(cycle));
            std::thread::sleep(kill_at.saturating_duration_since(Instant::now()));
        } else {
            // While the new file is being written: as soon as a temporary
            // file appears, after a random few hundred microseconds.
            wait_for_new_temporary(folder, &leftovers_before);
            std::thread::sleep(Duration::from_micros(jitter.below(800)));
        }
        // `Child::kill` sends SIGKILL on unix, at once (a `kill` command would
        // add the time to start it); the status below confirms the signal.
        running.kill().unwrap();
        let status = running.wait().unwrap();
        assert_eq!(status.signal(), Some(9), "round {round}: {status}");
        saves_seen += 1 + saves.iter().count();

        let loaded = load(&path);
        assert!(
            loaded.problem.is_none(),
            "round {round}: {:?}",
            loaded.problem
        );
        let now = loaded.annotations.len();
        assert!(now >= last, "round {round}: went back from {last} to {now}");
        assert_eq!(
            loaded.annotations,
            store_of("k", now),
            "round {round}: not a whole state"
        );
        last = now;
    }
    // A kill during a write leaves its temporary file: proof that kills landed
    // in the middle of writes, not only between them.
    let leftovers = temporaries_in(folder);
    eprintln!(
        "{saves_seen} saves in 60 killed runs, {start} → {last} highlights, {} killed mid-write",
        leftovers.len()
    );
    assert!(
        leftovers.len() >= 10,
        "only {} kills landed during a write: {leftovers:?}",
        leftovers.len()
    );

    // Temporary files of killed saves go once they are a minute old.
    for name in leftovers {
        let file = std::fs::File::options()
            .write(true)
            .open(folder.join(&name))
            .unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(120))
            .unwrap();
    }
    assert_eq!(load(&path).annotations.len(), last);
    assert_eq!(
        names_in(folder),
        [
            "annotations.ron",
            "annotations.ron.bak",
            "annotations.ron.lock"
        ]
    );
}

/// The temporary files in `folder` (their names start with a dot).
fn temporaries_in(folder: &Path) -> Vec<String> {
    names_in(folder)
        .into_iter()
        .filter(|name| name.starts_with('.'))
        .collect()
}

fn wait_for_new_temporary(folder: &Path, known: &[String]) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while temporaries_in(folder)
        .iter()
        .all(|name| known.contains(name))
    {
        assert!(Instant::now() < deadline, "the child never started a write");
        std::thread::sleep(Duration::from_micros(100));
    }
}

/// When each "saved" line of a child arrives on its stderr.
fn save_lines(stderr: std::process::ChildStderr) -> std::sync::mpsc::Receiver<Instant> {
    use std::io::BufRead;
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if line.starts_with("saved ") && send.send(Instant::now()).is_err() {
                break;
            }
        }
    });
    receive
}

// ---- two instances at once ---------------------------------------------------

/// Waits for the parent's signal, so both children start saving together.
fn wait_for_go(path: &Path) {
    let go = path.with_extension("go");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !go.exists() {
        assert!(Instant::now() < deadline, "never told to go");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn child_adds_a_hundred_highlights_saving_each() {
    let Some(path) = started_as("add") else {
        return;
    };
    let prefix = prefix();
    let mut ours = load(&path).annotations;
    wait_for_go(&path);
    for n in 0..100 {
        // As a command does: what it read is the base of the merge.
        let base = ours.clone();
        ours.upsert(numbered(&prefix, n));
        ours = save_merged_from(&path, &base, &ours).unwrap().annotations;
    }
}

#[test]
fn child_adds_a_hundred_highlights_through_a_saver() {
    let Some(path) = started_as("add-with-saver") else {
        return;
    };
    let prefix = prefix();
    let saver = Saver::spawn(&path);
    let mut ours = load(&path).annotations;
    let mut base = ours.clone();
    wait_for_go(&path);
    // As the reader does: each report is merged three ways into what it
    // holds, with the snapshot it was made from as the base.
    for n in 0..100 {
        ours.upsert(numbered(&prefix, n));
        saver.request(Snapshot {
            base: base.clone(),
            ours: ours.clone(),
        });
        for report in saver.results() {
            let SaverReport::Saved { snapshot, saved } = report else {
                panic!("{report:?}");
            };
            ours = Annotations::merge3(&snapshot.ours, &ours, &saved.annotations).annotations;
            base = saved.annotations;
        }
    }
    saver.flush().unwrap();
}

fn run_two_at_once(test: &str, role: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = super::data_file(&dir);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let first = child(test, role, &path, "a").spawn().unwrap();
    let second = child(test, role, &path, "b").spawn().unwrap();
    std::fs::write(path.with_extension("go"), b"").unwrap();
    for output in [first.wait_with_output(), second.wait_with_output()] {
        let output = output.unwrap();
        assert!(output.status.success(), "{}", show(&output));
    }

    let loaded = load(&path);
    assert!(loaded.problem.is_none(), "{:?}", loaded.problem);
    let mut expected: Annotations = store_of("a", 100);
    expected.merge(&store_of("b", 100));
    assert_eq!(loaded.annotations.len(), 200);
    assert_eq!(loaded.annotations, expected);
}

#[test]
fn two_processes_each_adding_a_hundred_keep_all_two_hundred() {
    run_two_at_once("child_adds_a_hundred_highlights_saving_each", "add");
}

#[test]
fn two_processes_saving_in_the_background_keep_all_two_hundred() {
    run_two_at_once(
        "child_adds_a_hundred_highlights_through_a_saver",
        "add-with-saver",
    );
}

// ---- a write that fails half-way -----------------------------------------------

#[test]
fn child_saves_past_the_file_size_limit() {
    let Some(path) = started_as("too-big") else {
        return;
    };
    let err = save_merged(&path, &store_of("big", 5000)).unwrap_err();
    println!("save failed: {err}");
    assert!(matches!(err, StoreError::Write { .. }), "{err:?}");
    assert!(err.allows_saving());
}

#[cfg(unix)]
#[test]
fn a_write_cut_short_by_a_full_disk_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = super::data_file(&dir);
    save_merged(&path, &store_of("old", 2)).unwrap();
    let before = std::fs::read(&path).unwrap();

    // `ulimit -f` makes every write past a few kilobytes fail with EFBIG, as a
    // full disk would, for root too; the signal that would come with it is
    // ignored so the program sees the error.
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(r#"trap '' XFSZ; ulimit -f 16 && exec "$0" "$@""#)
        .arg(this_test_binary());
    child_args(
        &mut command,
        "child_saves_past_the_file_size_limit",
        "too-big",
        &path,
        "",
    );
    let output = command.output().unwrap();
    assert!(output.status.success(), "{}", show(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("save failed: cannot write ") && stdout.contains("annotations.ron"),
        "{stdout}"
    );

    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(load(&path).annotations, store_of("old", 2));
    assert_eq!(
        names_in(path.parent().unwrap()),
        ["annotations.ron", "annotations.ron.lock"],
        "no temporary file left behind"
    );
}
