//! End-to-end tests in a real pseudo-terminal, for what only a real terminal
//! shows: the first screen, keys typed by a person, and the terminal put back
//! exactly as it was after a quit, a signal or a panic (alternate screen left,
//! cursor shown, mouse reporting off, raw mode off). Reading positions are
//! checked across a restart and after a signal.
//!
//! The pseudo-terminal is created by the test, so these run where there is no
//! terminal at all (CI). Every wait polls the output against a deadline.

use crate::screen;
use crate::session;

use std::fs;
use std::path::Path;

use gloss::library::{Article, Library, Sources};
use screen::Screen;
use session::{Session, gloss, report, shell};
use tempfile::TempDir;

pub(crate) const ENTER_ALTERNATE_SCREEN: &[u8] = b"\x1b[?1049h";
pub(crate) const LEAVE_ALTERNATE_SCREEN: &[u8] = b"\x1b[?1049l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
const MOUSE_CAPTURE_OFF: &[u8] = b"\x1b[?1000l";
const RESTORE_SEQUENCES: [(&str, &[u8]); 3] = [
    ("leave the alternate screen", LEAVE_ALTERNATE_SCREEN),
    ("show the cursor", SHOW_CURSOR),
    ("mouse capture off", MOUSE_CAPTURE_OFF),
];

/// Beginnings of the bundled articles' titles, short enough to fit any column.
const BUNDLED_TITLES: [&str; 2] = ["How evolving cultural", "How diplomatic missions"];

pub(crate) fn data_dir() -> TempDir {
    TempDir::new().unwrap_or_else(|err| panic!("cannot create a temporary data folder: {err}"))
}

/// The library screen with the bundled articles listed.
pub(crate) fn library_shown(screen: &Screen) -> bool {
    !reading(screen)
        && screen.line(0).contains("gloss")
        && screen.line(0).contains("articles")
        && BUNDLED_TITLES.iter().all(|title| screen.contains(title))
}

/// The reader's status line is showing (in the reader, not in its outline).
pub(crate) fn reading(screen: &Screen) -> bool {
    screen.last_line().contains(" READ ")
}

fn outline_open(screen: &Screen) -> bool {
    screen.last_line().contains(" OUTLINE ")
}

/// gloss on `data`, its library shown and the first article opened: the
/// session and the reader's first screen.
fn reading_the_first_article(data: &Path) -> (Session, Screen) {
    let mut session = Session::spawn(gloss(data));
    session.wait_for("the library", library_shown);
    session.send("\r");
    let screen = session.wait_for("the reader", reading);
    (session, screen)
}

/// The bundled article the reader's status line names.
fn article_on(screen: &Screen) -> Article {
    let library = Library::open(&Sources {
        bundled: true,
        folders: Vec::new(),
    });
    let status = screen.last_line();
    library
        .articles
        .into_iter()
        .find(|article| {
            let start: String = article.meta.title.chars().take(20).collect();
            status.contains(&start)
        })
        .unwrap_or_else(|| panic!("no bundled article is named in the status line {status:?}"))
}

fn positions_file(data: &Path) -> String {
    let path = data.join("positions.ron");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter_map(|(at, window)| (window == needle).then_some(at))
        .collect()
}

/// Where the last cursor move (`ESC [ row ; col H`) starts: the last drawing.
fn last_cursor_move(output: &[u8]) -> Option<usize> {
    let mut last = None;
    for start in find(output, b"\x1b[") {
        let rest = &output[start + 2..];
        let params = rest
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b';')
            .count();
        if rest.get(params) == Some(&b'H') {
            last = Some(start);
        }
    }
    last
}

/// The terminal was set up once and every part of it put back exactly once,
/// after the last frame was drawn. Returns where the alternate screen was left.
pub(crate) fn assert_restored_once(output: &[u8]) -> usize {
    let entered = find(output, ENTER_ALTERNATE_SCREEN);
    assert_eq!(
        entered.len(),
        1,
        "expected one switch to the alternate screen\n{}",
        report(output)
    );
    let after_enter = &output[entered[0]..];
    let last_frame = last_cursor_move(output).unwrap_or(0);
    for (what, sequence) in RESTORE_SEQUENCES {
        let found = find(after_enter, sequence);
        assert_eq!(
            found.len(),
            1,
            "expected '{what}' exactly once after entering\n{}",
            report(output)
        );
        assert!(
            entered[0] + found[0] > last_frame,
            "'{what}' was sent before the last frame was drawn\n{}",
            report(output)
        );
    }
    entered[0] + find(after_enter, LEAVE_ALTERNATE_SCREEN)[0]
}

/// Whether a termios flag name such as `ICANON` is in a `Debug`-printed flag set.
pub(crate) fn has_flag(flags: &str, name: &str) -> bool {
    flags
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .any(|word| word == name)
}

#[test]
fn a_session_opens_an_article_moves_and_quits_restoring_the_terminal() {
    let data = data_dir();
    let mut session = Session::spawn(gloss(data.path()));
    session.wait_for("the library with the bundled articles", library_shown);
    session.send("\r");
    session.wait_for("the reader", reading);
    session.send("jj");
    session.send("q");
    session.wait_for("the library again", library_shown);
    session.send("q");
    let finished = session.finish_successfully();
    assert_restored_once(&finished.output);
}

#[test]
fn raw_mode_is_on_while_reading_and_off_after_quitting() {
    let data = data_dir();
    let mut session = Session::spawn(shell(
        r#""$GLOSS" --data-dir "$DATA"; stty -a"#,
        data.path(),
    ));
    session.wait_for("the library", library_shown);
    let flags = session.local_flags();
    if has_flag(&flags, "ICANON") || has_flag(&flags, "ECHO") {
        session.fail(&format!(
            "the terminal is not in raw mode while gloss runs: {flags}"
        ));
    }
    session.send("q");
    let finished = session.finish_successfully();
    let left = assert_restored_once(&finished.output);
    let settings = String::from_utf8_lossy(&finished.output[left..]).into_owned();
    let words: Vec<&str> = settings.split_whitespace().collect();
    for mode in ["icanon", "echo"] {
        assert!(
            words.contains(&mode) && !words.contains(&format!("-{mode}").as_str()),
            "stty does not show '{mode}' switched back on\n{}",
            report(&finished.output)
        );
    }
}

#[test]
fn the_reading_position_survives_a_restart() {
    let data = data_dir();

    let (mut first, opened) = reading_the_first_article(data.path());
    let article = article_on(&opened);
    first.send("   jjj");
    // Opening the outline is a barrier: it shows only after the moves before it.
    first.send("o");
    let moved = first.wait_for("the outline", outline_open);
    let percent = moved
        .status_percent()
        .unwrap_or_else(|| first.fail("the status line shows no percentage"));
    if percent == 0 {
        first.fail("three pages and three sentences did not move the reading position");
    }
    first.send("o");
    first.wait_for("the reader after the outline", reading);
    first.send("q");
    first.wait_for("the library", library_shown);
    first.send("q");
    first.finish_successfully();

    let saved = positions_file(data.path());
    assert!(
        saved.contains(&article.meta.id),
        "{:?} does not mention {:?}",
        saved,
        article.meta.id
    );

    let mut second = Session::spawn(gloss(data.path()));
    let library = second.wait_for("the library", library_shown);
    assert!(
        library.contains(&format!("{percent}%")),
        "the library does not show the progress {percent}%\n{library}"
    );
    second.send("\r");
    let resumed = second.wait_for("the reader", reading);
    assert_eq!(article_on(&resumed).meta.id, article.meta.id);
    assert_eq!(
        resumed.status_percent(),
        Some(percent),
        "not resumed where it was left\n{resumed}"
    );
    second.send("qq");
    second.finish_successfully();
}

/// Opens the first article, sends `signal` while it is on screen, and checks the
/// terminal and the reading position.
fn signal_while_reading(signal: &str) {
    let data = data_dir();
    let (session, opened) = reading_the_first_article(data.path());
    let article = article_on(&opened);
    session.signal(signal);
    let finished = session.finish();
    assert_eq!(
        finished.status.signal(),
        None,
        "gloss was killed by SIG{signal} instead of quitting\n{}",
        report(&finished.output)
    );
    assert_restored_once(&finished.output);
    let saved = positions_file(data.path());
    assert!(
        saved.contains(&article.meta.id),
        "{:?} does not mention {:?}",
        saved,
        article.meta.id
    );
}

#[test]
fn sigterm_while_reading_restores_the_terminal_and_saves_the_position() {
    signal_while_reading("TERM");
}

#[test]
fn sighup_while_reading_restores_the_terminal_and_saves_the_position() {
    signal_while_reading("HUP");
}

#[test]
fn sigquit_while_reading_restores_the_terminal_and_saves_the_position() {
    signal_while_reading("QUIT");
}

#[test]
fn ctrl_c_in_the_reader_quits_at_once_and_saves_the_position() {
    let data = data_dir();
    let (mut session, opened) = reading_the_first_article(data.path());
    let article = article_on(&opened);
    session.send("\x03");
    let finished = session.finish_successfully();
    assert_restored_once(&finished.output);
    let saved = positions_file(data.path());
    assert!(
        saved.contains(&article.meta.id),
        "{:?} does not mention {:?}",
        saved,
        article.meta.id
    );
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "GLOSS_DEBUG_PANIC only exists in debug builds"
)]
fn a_panic_restores_the_terminal_before_printing_its_message() {
    let data = data_dir();
    let mut command = gloss(data.path());
    command.env("GLOSS_DEBUG_PANIC", "1");
    let session = Session::spawn(command);
    let finished = session.finish();
    let output = &finished.output;
    assert!(
        !finished.status.success(),
        "a panic exited with success\n{}",
        report(output)
    );
    assert!(
        finished.screen().contains("gloss"),
        "no frame was drawn before the panic\n{}",
        report(output)
    );
    let left = assert_restored_once(output);
    let panic_at = find(output, b"panicked");
    assert!(
        !panic_at.is_empty() && panic_at.iter().all(|&at| at > left),
        "the panic message is missing or was printed on the alternate screen\n{}",
        report(output)
    );
}

#[test]
fn a_highlight_with_tags_survives_a_restart() {
    let data = data_dir();
    let (mut first, _) = reading_the_first_article(data.path());
    first.send("jh");
    first.wait_for("the highlight notice", |s| {
        s.contains("highlighted in yellow")
    });
    first.send("tfunding, field notes\r");
    first.wait_for("the tags notice", |s| {
        s.contains("tagged funding, field notes")
    });
    first.send("qq");
    first.finish_successfully();
    let saved = fs::read_to_string(data.path().join("annotations.ron")).unwrap_or_default();
    assert!(
        saved.contains("\"funding\"") && saved.contains("\"field notes\""),
        "{saved}"
    );

    let (mut second, _) = reading_the_first_article(data.path());
    second.send("H");
    let list = second.wait_for("the highlights list", |s| s.contains("Highlights ·"));
    assert!(list.contains("#funding #field notes"), "{list}");
    // The tag browser finds the same passage from the whole library.
    second.send("qT");
    let tags = second.wait_for("the tag browser", |s| s.contains("#field notes  (1)"));
    assert!(tags.contains("#funding  (1)"), "{tags}");
    second.send("\x03");
    second.finish_successfully();
}

#[test]
fn a_dumb_terminal_gets_a_one_line_refusal_not_a_screen() {
    let data = data_dir();
    let mut command = gloss(data.path());
    command.env("TERM", "dumb");
    let finished = Session::spawn(command).finish();
    assert_eq!(
        finished.status.exit_code(),
        2,
        "{}",
        report(&finished.output)
    );
    let output = String::from_utf8_lossy(&finished.output);
    assert!(output.contains("TERM=dumb"), "{}", report(&finished.output));
    assert!(
        find(&finished.output, ENTER_ALTERNATE_SCREEN).is_empty(),
        "{}",
        report(&finished.output)
    );
}

/// The note editor's status line is showing.
fn writing_a_note(screen: &Screen) -> bool {
    screen.last_line().contains(" NOTE ")
}

#[test]
fn a_bracketed_paste_with_cr_line_ends_keeps_its_lines_in_a_note() {
    let data = data_dir();
    let (mut session, _) = reading_the_first_article(data.path());
    session.send("jh");
    session.send("a");
    session.wait_for("the note editor", writing_a_note);
    // xterm and VTE end pasted lines with CR, tmux `paste-buffer -p` too;
    // some paste CRLF.
    session.send("\x1b[200~line one\rline two\r\nline three\x1b[201~");
    session.wait_for("the pasted lines", |screen| {
        screen.contains("line one") && screen.contains("line two") && screen.contains("line three")
    });
    session.send("\x13");
    session.wait_for("the reader after saving", reading);
    session.send("qq");
    session.finish_successfully();
    let path = data.path().join("annotations.ron");
    let saved = fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    assert!(
        saved.contains("note: \"line one\nline two\nline three\"")
            || saved.contains(r#"note: "line one\nline two\nline three""#),
        "the note is not three lines:\n{saved}"
    );
}

/// A data folder whose annotations file exists and whose backup cannot be
/// written (a folder in its place): every save fails.
fn data_dir_that_cannot_save() -> TempDir {
    let data = data_dir();
    let file = data.path().join("annotations.ron");
    gloss::store::annotations::save_merged(&file, &gloss::store::annotations::Annotations::new())
        .unwrap_or_else(|err| panic!("cannot write {}: {err}", file.display()));
    let backup = data.path().join("annotations.ron.bak");
    fs::create_dir(&backup)
        .and_then(|()| fs::write(backup.join("keep"), b""))
        .unwrap_or_else(|err| panic!("cannot block {}: {err}", backup.display()));
    data
}

/// Highlights a sentence in the first article and waits for the banner that
/// says it could not be saved.
fn highlight_that_cannot_be_saved(data: &Path) -> Session {
    let (mut session, _) = reading_the_first_article(data);
    session.send("jh");
    session.wait_for("the banner of the failed save", |s| {
        s.line(0).contains("annotations NOT saved")
    });
    // Another key: the banner stays, unlike a notice.
    session.send("j");
    session.wait_for("the banner, still", |s| {
        s.line(0).contains("annotations NOT saved") && !s.contains("highlighted in")
    });
    session
}

/// The recovery file left in `data`, with the highlights it holds.
fn recovered_in(data: &Path) -> usize {
    let store = data.join("annotations.ron");
    let found = gloss::store::annotations::find_recoveries(&store);
    assert_eq!(found.len(), 1, "{found:?}");
    let text = fs::read_to_string(&found[0]).unwrap_or_default();
    text.matches("id: \"h-").count()
}

#[test]
fn quitting_after_a_failed_save_asks_and_quitting_anyway_keeps_a_recovery_file() {
    let data = data_dir_that_cannot_save();
    let mut session = highlight_that_cannot_be_saved(data.path());
    session.send("qq");
    session.wait_for("the question", |s| s.contains("Quit without saving?"));
    session.send("q");
    let finished = session.finish();
    assert_eq!(
        finished.status.exit_code(),
        3,
        "the exit status says something was not saved\n{}",
        report(&finished.output)
    );
    assert_restored_once(&finished.output);
    assert_eq!(recovered_in(data.path()), 1);
    // The next start offers to merge it.
    fs::remove_dir_all(data.path().join("annotations.ron.bak")).unwrap_or_default();
    let mut next = Session::spawn(gloss(data.path()));
    next.wait_for("the offer to merge", |s| {
        s.line(0).contains("1 recovery file")
    });
    next.send("R");
    next.wait_for("the merge", |s| s.contains("1 recovery file(s) merged"));
    next.send("q");
    let finished = next.finish();
    assert!(finished.status.success(), "{}", report(&finished.output));
    let saved = fs::read_to_string(data.path().join("annotations.ron")).unwrap_or_default();
    assert_eq!(saved.matches("id: \"h-").count(), 1, "{saved}");
}

#[test]
fn a_signal_after_a_failed_save_keeps_a_recovery_file_and_says_so_in_the_status() {
    let data = data_dir_that_cannot_save();
    let session = highlight_that_cannot_be_saved(data.path());
    session.signal("TERM");
    let finished = session.finish();
    assert_eq!(
        finished.status.exit_code(),
        3,
        "{}",
        report(&finished.output)
    );
    assert_restored_once(&finished.output);
    assert_eq!(recovered_in(data.path()), 1);
}

#[test]
fn a_highlight_added_from_another_shell_appears_in_the_open_reader() {
    let data = data_dir();
    let (mut session, opened) = reading_the_first_article(data.path());
    let article = article_on(&opened);
    let quote: String = article.blocks[0].text.chars().take(30).collect();
    let added = crate::binary::gloss_in(
        data.path(),
        None,
        &["highlight", "add", &article.meta.id, "--quote", &quote],
    )
    .output()
    .unwrap_or_else(|err| panic!("cannot run gloss highlight add: {err}"));
    assert!(added.status.success(), "{added:?}");
    // No key is pressed: the reader looks at the file on its own.
    session.wait_for("the change taken in", |s| {
        s.last_line()
            .contains("annotations.ron changed outside gloss: 1 highlight taken in")
    });
    session.send("H");
    let list = session.wait_for("the highlights list", |s| s.contains("Highlights ·"));
    let start: String = quote.chars().take(20).collect();
    assert!(list.contains(&start), "{list}");
    session.send("\x03");
    let finished = session.finish();
    assert!(finished.status.success(), "{}", report(&finished.output));
}

#[test]
fn a_note_being_written_is_kept_when_a_signal_ends_gloss() {
    let data = data_dir();
    let (mut session, _) = reading_the_first_article(data.path());
    session.send("jh");
    session.send("a");
    session.wait_for("the note editor", writing_a_note);
    session.send("typed before the terminal closed");
    session.wait_for("the typed note", |screen| {
        screen.contains("typed before the terminal closed")
    });
    session.signal("HUP");
    let finished = session.finish();
    assert!(
        !find(&finished.output, LEAVE_ALTERNATE_SCREEN).is_empty(),
        "{}",
        report(&finished.output)
    );
    let path = data.path().join("annotations.ron");
    let saved = fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    assert!(
        saved.contains("note: \"typed before the terminal closed\""),
        "the note was lost:\n{saved}"
    );
}
