//! End-to-end tests in a pseudo-terminal of what a shell's job control and a
//! person's clipboard do to gloss: Ctrl-z and SIGTSTP give the terminal back
//! as it was (main screen, raw mode off) and stop, SIGCONT takes it again
//! and redraws all of it; a 200 KB bracketed paste into the library filter
//! leaves gloss answering Ctrl-c at once.

use std::time::{Duration, Instant};

use crate::pty::{
    ENTER_ALTERNATE_SCREEN, LEAVE_ALTERNATE_SCREEN, assert_restored_once, data_dir, find, has_flag,
    library_shown, reading,
};
use crate::screen::Screen;
use crate::session::{Session, gloss, report};

/// How long the process may take to stop or to come back.
const DEADLINE: Duration = Duration::from_secs(20);

/// The process state letter from `/proc/PID/stat` (`T` once stopped).
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in brackets and may hold spaces: the state follows it.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().next()?.chars().next()
}

fn wait_until(session: &Session, what: &str, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > DEADLINE {
            session.fail(&format!("timed out after {DEADLINE:?} waiting for {what}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Suspends gloss on the library screen with `suspend`, checks the terminal
/// was given back and the process stopped, continues it, and checks the
/// whole screen is drawn again and keys still work.
fn suspend_and_continue(suspend: impl FnOnce(&mut Session)) {
    let data = data_dir();
    let mut session = Session::spawn(gloss(data.path()));
    session.wait_for("the library", library_shown);
    suspend(&mut session);
    let pid = session.pid();
    wait_until(&session, "gloss to stop", || {
        process_state(pid) == Some('T')
    });
    // What gloss wrote before stopping may still be on its way to the test.
    wait_until(&session, "the alternate screen to be left", || {
        !find(&session.output(), LEAVE_ALTERNATE_SCREEN).is_empty()
    });

    let output = session.output();
    let left = find(&output, LEAVE_ALTERNATE_SCREEN);
    assert_eq!(
        left.len(),
        1,
        "the alternate screen was not left\n{}",
        report(&output)
    );
    let flags = session.local_flags();
    assert!(
        has_flag(&flags, "ICANON") && has_flag(&flags, "ECHO"),
        "raw mode is still on while gloss is stopped: {flags}"
    );

    session.signal("CONT");
    let back = |output: &[u8]| -> Option<usize> {
        find(output, ENTER_ALTERNATE_SCREEN)
            .into_iter()
            .find(|&at| at > left[0])
    };
    wait_until(&session, "the alternate screen again", || {
        back(&session.output()).is_some()
    });
    // What was drawn after coming back must show the whole library by
    // itself: ratatui's usual frame draws only what changed.
    session.wait_for("the library drawn again", |_| {
        let output = session.output();
        back(&output).is_some_and(|at| library_shown(&Screen::replay(&output[at..], 80, 24)))
    });
    let flags = session.local_flags();
    assert!(
        !has_flag(&flags, "ICANON") && !has_flag(&flags, "ECHO"),
        "raw mode is not on again after continuing: {flags}"
    );
    session.send("\r");
    session.wait_for("the reader, opened after continuing", reading);
    session.send("qq");
    let finished = session.finish_successfully();
    let output = &finished.output;
    let last_enter = find(output, ENTER_ALTERNATE_SCREEN).last().copied();
    let last_leave = find(output, LEAVE_ALTERNATE_SCREEN).last().copied();
    assert!(
        last_leave > last_enter,
        "the terminal was not restored on quitting\n{}",
        report(output)
    );
}

#[test]
fn sigtstp_gives_the_terminal_back_and_sigcont_redraws_it() {
    suspend_and_continue(|session| session.signal("TSTP"));
}

#[test]
fn ctrl_z_suspends_like_sigtstp() {
    suspend_and_continue(|session| session.send("\x1a"));
}

#[test]
fn ctrl_c_quits_at_once_after_a_huge_paste_into_the_library_filter() {
    let data = data_dir();
    let mut session = Session::spawn(gloss(data.path()));
    session.wait_for("the library", library_shown);
    session.send("/");
    session.wait_for("the filter line", |screen| {
        screen.last_line().contains(" / ")
    });
    let text = "words from somewhere else\r".repeat(200 * 1024 / 26);
    session.send(&format!("\x1b[200~{text}\x1b[201~"));
    session.wait_for("the notice that the paste was cut", |screen| {
        screen.last_line().contains("1000 characters at most")
    });
    session.send("\x03");
    let finished = session.finish_successfully();
    assert_restored_once(&finished.output);
}
