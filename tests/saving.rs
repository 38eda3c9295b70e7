//! The reader and its annotations file while both change: the app driven by
//! keys with a real background `Saver`, as the event loop drives them (every
//! `SaveAnnotations` hands a snapshot over, every report comes back to
//! `App::take_report`). A hand edit made while the reader is open survives
//! its next save, two notes written at once are both kept, a change to a
//! highlight stamped in the future is saved, a highlight added by `gloss
//! highlight add` shows without a restart, and a failed save is shown until
//! it succeeds and is never dropped at quit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use gloss::app::{Action, App, Effect, Mode};
use gloss::input::KeyChord;
use gloss::store::annotations::{
    self, Annotations, CONFLICT_START, KnownFile, Saver, find_recoveries, load, recover,
    save_merged,
};
use jiff::{SignedDuration, Timestamp};
use tempfile::TempDir;

use crate::binary::gloss_in;
use crate::common::{bundled_app, screen};

/// The reader with its saver, on a data folder of its own.
struct Running {
    app: App,
    saver: Saver,
    path: PathBuf,
    /// Effects other than saves, in order, for the tests to look at.
    effects: Vec<Effect>,
}

impl Running {
    /// Starts as `gloss` does: the file stamped, loaded, handed to the saver.
    fn start(dir: &TempDir) -> Running {
        let path = dir.path().join("annotations.ron");
        let mut app = bundled_app(100, 30);
        let stamp = KnownFile::stamped_before_reading(&path);
        let loaded = load(&path);
        assert!(loaded.problem.is_none(), "{:?}", loaded.problem);
        let known = stamp.map(|stamp| KnownFile::new(stamp, loaded.annotations.clone()));
        app.set_annotations(loaded.annotations, !loaded.read_only);
        app.recoveries = find_recoveries(&path);
        let saver = Saver::spawn_knowing(&path, known);
        Running {
            app,
            saver,
            path,
            effects: Vec::new(),
        }
    }

    /// Presses keys by name through the keymap; typing modes type.
    fn press(&mut self, keys: &str) {
        for name in keys.split(' ').filter(|k| !k.is_empty()) {
            let chord = KeyChord::parse(name).unwrap();
            let action = self
                .app
                .keymap
                .lookup(self.app.mode(), chord)
                .or_else(|| {
                    let mut chars = name.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) if self.app.mode().is_typing() => {
                            Some(Action::InsertChar(c))
                        }
                        _ => None,
                    }
                })
                .unwrap_or_else(|| panic!("{name} does nothing in {:?}", self.app.mode()));
            let effects = self.app.update(action);
            self.perform(effects);
        }
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let effects = self.app.update(Action::InsertChar(c));
            self.perform(effects);
        }
    }

    fn perform(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::SaveAnnotations => self.saver.request(self.app.snapshot()),
                // As the loop does them.
                Effect::WriteRecovery => {
                    let earlier = self.app.recovery_file().map(std::path::Path::to_path_buf);
                    let written = annotations::write_recovery(
                        &self.path,
                        &self.app.snapshot(),
                        Timestamp::now(),
                    )
                    .map_err(|err| err.to_string());
                    if let (Ok(Some(new)), Some(earlier)) = (&written, &earlier)
                        && new != earlier
                    {
                        annotations::remove_recovery(earlier);
                    }
                    self.app.recovery_written(written);
                    self.effects.push(effect);
                }
                Effect::RemoveRecovery => {
                    if let Some(path) = self.app.recovery_file() {
                        annotations::remove_recovery(path);
                    }
                    self.app.recovery_removed();
                    self.effects.push(effect);
                }
                other => self.effects.push(other),
            }
        }
    }

    /// Waits for every save asked for and hands every report to the app,
    /// until nothing more comes.
    fn settle(&mut self) {
        loop {
            let _ = self.saver.flush();
            let mut any = false;
            while let Some(report) = self.saver.try_result() {
                any = true;
                let effects = self.app.take_report(report);
                self.perform(effects);
            }
            if !any {
                return;
            }
        }
    }

    /// What the loop does once a second: looks at the file, and takes in
    /// what the saver found, waiting up to a few seconds for it.
    fn look_until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !done(&self.app) {
            assert!(Instant::now() < deadline, "never saw {what}");
            self.saver.look_for_changes();
            std::thread::sleep(Duration::from_millis(20));
            while let Some(report) = self.saver.try_result() {
                let effects = self.app.take_report(report);
                self.perform(effects);
            }
        }
    }

    fn on_disk(&self) -> Annotations {
        load(&self.path).annotations
    }

    fn id_under_cursor(&self) -> String {
        let reader = self.app.reader.as_ref().unwrap();
        let article = &self.app.library.articles[reader.article];
        reader
            .marks
            .at_cursor(article, reader.cursor)
            .map(|placed| placed.id.clone())
            .expect("a highlight under the cursor")
    }
}

/// Replaces, in the file's text, the note of highlight `id` (an edit in an
/// editor: nothing else changes, not even `updated`).
fn edit_note_by_hand(path: &std::path::Path, id: &str, note: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let entry = text.find(&format!("\"{id}\"")).unwrap();
    let at = entry + text[entry..].find("note: \"").unwrap() + "note: \"".len();
    let end = at + text[at..].find('"').unwrap();
    let edited = format!("{}{note}{}", &text[..at], &text[end..]);
    std::fs::write(path, edited).unwrap();
}

/// Two highlights, A on the first passage's sentence and B two further,
/// saved; returns their ids with the cursor on B.
fn two_highlights(running: &mut Running) -> (String, String) {
    running.press("Enter j h");
    let a = running.id_under_cursor();
    running.press("j j h");
    let b = running.id_under_cursor();
    assert_ne!(a, b);
    running.settle();
    assert_eq!(running.on_disk().len(), 2);
    (a, b)
}

#[test]
fn a_hand_edit_made_while_the_reader_is_open_survives_its_next_save() {
    let dir = TempDir::new().unwrap();
    let mut running = Running::start(&dir);
    let (a, b) = two_highlights(&mut running);
    running.press("k k a");
    running.type_text("written first");
    running.press("Ctrl-s j j");
    running.settle();

    // An editor changes A's note while the reader holds both (its `updated`
    // as it was, and a text that a comparison of the two copies would put
    // first); the reader then changes B's colour, which saves.
    edit_note_by_hand(&running.path, &a, "typed in an editor");
    running.press("h");
    running.settle();

    let on_disk = running.on_disk();
    assert_eq!(on_disk.get(&a).unwrap().note, "typed in an editor");
    assert_ne!(
        on_disk.get(&b).unwrap().color,
        gloss::annotation::Color::Yellow
    );
    // The reader holds the hand edit too.
    assert_eq!(
        running.app.annotations.get(&a).unwrap().note,
        "typed in an editor"
    );
}

#[test]
fn a_note_changed_by_hand_and_in_the_reader_keeps_both_texts() {
    let dir = TempDir::new().unwrap();
    let mut running = Running::start(&dir);
    let (_, b) = two_highlights(&mut running);

    edit_note_by_hand(&running.path, &b, "from the editor");
    running.press("a");
    assert_eq!(running.app.mode(), Mode::NoteEditor);
    running.type_text("from the reader");
    running.press("Ctrl-s");
    running.settle();

    let note = running.on_disk().get(&b).unwrap().note.clone();
    assert!(note.starts_with(CONFLICT_START), "{note}");
    assert!(
        note.contains("from the reader") && note.contains("from the editor"),
        "{note}"
    );
    assert_eq!(running.app.annotations.get(&b).unwrap().note, note);
    // The person is told.
    let told = running.app.warnings.join("\n");
    assert!(
        told.contains("changed both here and in annotations.ron"),
        "{told}"
    );
}

#[test]
fn a_highlight_stamped_a_month_ahead_can_still_be_changed() {
    let dir = TempDir::new().unwrap();
    let mut first = Running::start(&dir);
    first.press("Enter j h");
    let id = first.id_under_cursor();
    first.settle();
    drop(first);

    // A clock that was once a month ahead stamped it.
    let mut stored = load(&dir.path().join("annotations.ron")).annotations;
    let mut ahead = stored.get(&id).unwrap().clone();
    let month = SignedDuration::from_hours(30 * 24);
    ahead.updated = Timestamp::now().checked_add(month).unwrap();
    stored.upsert(ahead);
    save_merged(&dir.path().join("annotations.ron"), &stored).unwrap();

    let mut running = Running::start(&dir);
    running.press("Enter j h a");
    running.type_text("written today");
    running.press("Ctrl-s");
    running.settle();

    let saved = running.on_disk().get(&id).unwrap().clone();
    assert_eq!(saved.note, "written today");
    assert_eq!(saved.color, gloss::annotation::Color::Green);
}

#[test]
fn a_highlight_added_from_another_shell_shows_without_a_restart() {
    let dir = TempDir::new().unwrap();
    let mut running = Running::start(&dir);
    running.press("Enter j h");
    running.settle();
    let reader = running.app.reader.as_ref().unwrap();
    let article = running.app.library.articles[reader.article].meta.id.clone();
    let quote = running.app.library.articles[reader.article].blocks[3]
        .text
        .chars()
        .take(40)
        .collect::<String>();

    let output = gloss_in(
        dir.path(),
        None,
        &[
            "highlight",
            "add",
            &article,
            "--quote",
            &quote,
            "--note",
            "from the shell",
        ],
    )
    .output()
    .unwrap();
    assert!(output.status.success(), "{output:?}");
    let added = String::from_utf8(output.stdout).unwrap().trim().to_owned();

    running.look_until("the added highlight", |app| {
        app.annotations.get(&added).is_some()
    });
    assert_eq!(running.app.annotations.len(), 2);
    // Placed in the open article, and said on the status line.
    let reader = running.app.reader.as_ref().unwrap();
    assert!(reader.marks.placed.iter().any(|p| p.id == added));
    assert!(
        screen(&running.app).contains("changed outside gloss"),
        "{}",
        screen(&running.app)
    );
    // The reader's next save keeps it.
    running.press("h");
    running.settle();
    assert_eq!(running.on_disk().len(), 2);
}

/// A folder where the backup must go: every save fails, and nothing else
/// about the file changes.
fn block_saving(path: &std::path::Path) -> PathBuf {
    let backup = path.with_extension("ron.bak");
    let _ = std::fs::remove_file(&backup);
    std::fs::create_dir(&backup).unwrap();
    std::fs::write(backup.join("keep"), b"").unwrap();
    backup
}

#[test]
fn a_failed_save_stays_on_screen_and_quitting_asks_then_keeps_a_recovery() {
    let dir = TempDir::new().unwrap();
    let mut running = Running::start(&dir);
    running.press("Enter j h");
    running.settle();
    let backup = block_saving(&running.path);

    running.press("j j h");
    let unsaved = running.id_under_cursor();
    running.settle();
    assert!(running.app.save_failure().is_some());
    assert!(running.on_disk().get(&unsaved).is_none());
    // Still shown after other keys: a banner, not a notice.
    running.press("j j");
    let shown = screen(&running.app);
    assert!(shown.contains("annotations NOT saved"), "{shown}");

    // Quitting asks; going back keeps reading.
    running.press("q q");
    assert_eq!(running.app.mode(), Mode::UnsavedQuit);
    let asked = screen(&running.app);
    assert!(asked.contains("Quit without saving?"), "{asked}");
    assert!(asked.contains("r try to save again"), "{asked}");
    running.press("Esc");
    assert_eq!(running.app.mode(), Mode::Library);
    assert!(!running.effects.contains(&Effect::Quit));

    // Ctrl-c asks too; then quitting anyway writes a recovery file first.
    running.press("Ctrl-c");
    assert_eq!(running.app.mode(), Mode::UnsavedQuit);
    running.press("q");
    let at_quit: Vec<Effect> = running
        .effects
        .iter()
        .copied()
        .filter(|e| matches!(e, Effect::WriteRecovery | Effect::Quit))
        .collect();
    assert_eq!(at_quit, [Effect::WriteRecovery, Effect::Quit]);
    assert!(running.app.quitting_unsaved());
    let written = running.app.recovery_file().unwrap().to_path_buf();
    drop(running);
    assert!(written.exists());

    // The next start offers it; once the way is clear, R merges it.
    std::fs::remove_dir_all(&backup).unwrap();
    let mut next = Running::start(&dir);
    assert_eq!(next.app.recoveries, std::slice::from_ref(&written));
    let banner = screen(&next.app);
    assert!(banner.contains("1 recovery file"), "{banner}");
    next.press("R");
    assert_eq!(next.effects.last(), Some(&Effect::MergeRecovered));
    let store = next.path.clone();
    let merged: Vec<_> = next
        .app
        .recoveries
        .clone()
        .into_iter()
        .map(|path| {
            let outcome = recover(&store, &path)
                .map(|saved| saved.annotations)
                .map_err(|err| err.to_string());
            (path, outcome)
        })
        .collect();
    next.app.recoveries_merged(merged);
    assert!(next.app.recoveries.is_empty());
    assert!(next.on_disk().get(&unsaved).is_some());
    assert!(next.app.annotations.get(&unsaved).is_some());
    assert!(!written.exists());
    assert!(find_recoveries(&store).is_empty());
}

#[test]
fn a_save_that_succeeds_again_clears_the_banner() {
    let dir = TempDir::new().unwrap();
    let mut running = Running::start(&dir);
    running.press("Enter j h");
    running.settle();
    let backup = block_saving(&running.path);
    running.press("h");
    running.settle();
    assert!(running.app.save_failure().is_some());

    std::fs::remove_dir_all(&backup).unwrap();
    running.press("q q");
    assert_eq!(running.app.mode(), Mode::UnsavedQuit);
    running.press("r");
    running.settle();
    assert_eq!(running.app.save_failure(), None);
    assert!(!screen(&running.app).contains("NOT saved"));
    let color = running.app.annotations.iter().next().unwrap().color;
    assert_eq!(running.on_disk().iter().next().unwrap().color, color);
    // Now quitting does not ask.
    running.press("q");
    assert_eq!(running.effects.last(), Some(&Effect::Quit));
}

#[test]
fn gloss_recover_merges_a_recovery_file_three_ways_and_removes_it() {
    let dir = TempDir::new().unwrap();
    let mut running = Running::start(&dir);
    let (a, b) = two_highlights(&mut running);
    let backup = block_saving(&running.path);
    // Unsaved here: a note on B and A deleted.
    running.press("a");
    running.type_text("kept for later");
    running.press("Ctrl-s k k d");
    running.settle();
    assert!(running.app.save_failure().is_some());
    let written =
        annotations::write_recovery(&running.path, &running.app.snapshot(), Timestamp::now())
            .unwrap()
            .unwrap();
    drop(running);
    std::fs::remove_dir_all(&backup).unwrap();
    // Meanwhile someone edits A by hand: the edit outlives the deletion.
    edit_note_by_hand(&dir.path().join("annotations.ron"), &a, "edited meanwhile");

    let listed = gloss_in(dir.path(), None, &["recover", "--list"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(listed.stdout).unwrap().trim(),
        written.to_string_lossy()
    );
    let output = gloss_in(dir.path(), None, &["recover"]).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let stored = load(&dir.path().join("annotations.ron")).annotations;
    assert_eq!(stored.get(&b).unwrap().note, "kept for later");
    assert_eq!(stored.get(&a).unwrap().note, "edited meanwhile");
    assert!(find_recoveries(&dir.path().join("annotations.ron")).is_empty());
    assert!(!written.exists());
}

#[test]
fn a_file_rewritten_as_it_was_is_read_again_but_nothing_is_said() {
    let dir = TempDir::new().unwrap();
    let mut running = Running::start(&dir);
    running.press("Enter j h");
    running.settle();
    running.press("j");
    assert_eq!(running.app.notice, None);
    let bytes = std::fs::read(&running.path).unwrap();
    std::fs::remove_file(&running.path).unwrap();
    std::fs::write(&running.path, &bytes).unwrap();
    // The saver sees a new file and reads it: nothing in it is new.
    running.saver.look_for_changes();
    let deadline = Instant::now() + Duration::from_secs(20);
    let report = loop {
        if let Some(report) = running.saver.try_result() {
            break report;
        }
        assert!(Instant::now() < deadline, "the file was never read again");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(
        matches!(report, annotations::SaverReport::Changed(_)),
        "{report:?}"
    );
    running.app.take_report(report);
    assert_eq!(running.app.notice, None);

    let id = running.app.annotations.iter().next().unwrap().id.clone();
    edit_note_by_hand(&running.path, &id, "then a real change");
    running.look_until("the real change", |app| {
        app.annotations.get(&id).unwrap().note == "then a real change"
    });
    assert_eq!(
        running.app.notice.as_deref(),
        Some("annotations.ron changed outside gloss: 1 highlight taken in")
    );
}

#[test]
fn a_recovery_file_is_written_once_per_state_and_removed_when_a_save_succeeds() {
    let dir = TempDir::new().unwrap();
    let mut running = Running::start(&dir);
    running.press("Enter j h");
    running.settle();
    let backup = block_saving(&running.path);
    running.press("h");
    running.settle();

    // `w` in the question writes a recovery file and stays.
    running.press("q q w");
    assert_eq!(running.app.mode(), Mode::UnsavedQuit);
    let first = running.app.recovery_file().unwrap().to_path_buf();
    assert!(first.exists());
    // More changes, then quitting anyway: one newer file replaces it.
    running.press("Esc");
    assert_eq!(running.app.mode(), Mode::Library);
    running.press("Enter");
    assert_eq!(running.app.mode(), Mode::Reader, "{}", screen(&running.app));
    running.press("j h");
    running.settle();
    running.press("q q q");
    let second = running.app.recovery_file().unwrap().to_path_buf();
    assert_ne!(first, second);
    assert!(!first.exists());
    assert_eq!(
        find_recoveries(&running.path),
        std::slice::from_ref(&second)
    );
    // Quitting anyway again with nothing new writes nothing more.
    let writes = running
        .effects
        .iter()
        .filter(|e| **e == Effect::WriteRecovery)
        .count();
    running.app.update(Action::QuitAnyway);
    let effects = running.app.update(Action::QuitAnyway);
    assert!(!effects.contains(&Effect::WriteRecovery), "{effects:?}");
    assert_eq!(
        running
            .effects
            .iter()
            .filter(|e| **e == Effect::WriteRecovery)
            .count(),
        writes
    );

    // Once a save succeeds, the recovery holds nothing new: it goes.
    std::fs::remove_dir_all(&backup).unwrap();
    running.press("q r");
    running.settle();
    assert_eq!(running.app.save_failure(), None);
    assert!(!second.exists());
    assert!(find_recoveries(&running.path).is_empty());
}

#[test]
fn a_file_fixed_by_hand_while_the_reader_holds_it_read_only_is_written_again() {
    let dir = TempDir::new().unwrap();
    let mut first = Running::start(&dir);
    let (a, _) = two_highlights(&mut first);
    drop(first);
    let path = dir.path().join("annotations.ron");
    let good = std::fs::read_to_string(&path).unwrap();
    let broken = good.replacen("            color: ", "            color ", 1);
    std::fs::write(&path, &broken).unwrap();

    // Started on the broken file: read-only, with its banner.
    let mut app = bundled_app(100, 30);
    let stamp = KnownFile::stamped_before_reading(&path);
    let loaded = load(&path);
    assert!(loaded.read_only);
    let known = stamp.map(|stamp| KnownFile::new(stamp, loaded.annotations.clone()));
    app.read_only_banner = loaded.read_only_banner();
    app.set_annotations(loaded.annotations, !loaded.read_only);
    let mut running = Running {
        app,
        saver: Saver::spawn_knowing(&path, known),
        path: path.clone(),
        effects: Vec::new(),
    };
    assert!(running.app.read_only_banner.is_some());

    // Fixed in an editor: the reader sees it, drops the banner and saves again.
    std::fs::write(&path, &good).unwrap();
    running.look_until("the fixed file", |app| app.annotations_writable);
    assert!(running.app.read_only_banner.is_none());
    running.press("Enter");
    running.press("j j j j h");
    running.settle();
    let on_disk = running.on_disk();
    assert_eq!(on_disk.len(), 3, "the new highlight is saved");
    assert!(on_disk.get(&a).is_some());
}
