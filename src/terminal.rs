//! The reader's event loop: messages from the terminal and from signals
//! (`sources`) go to the app as actions, the effects it returns are carried
//! out (saves, exports, recovery files, suspend, quit), and the screen
//! (`screen`: raw mode and the alternate screen, taken and given back
//! exactly once) is drawn from the app.

use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use anyhow::Context;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::Event;
use ratatui::layout::Rect;

use crate::app::{Action, App, Effect};
use crate::config::LoadedConfig;
use crate::export;
use crate::input::translate;
use crate::library::Library;
use crate::paths::DataPaths;
use crate::store::annotations::{self, KnownFile, Saver};
use crate::store::positions::{self, LoadedPositions, Positions};
use crate::view::{self, Theme};

mod screen;
mod sources;

pub use screen::restore;
use screen::{Screen, enter, install_panic_hook, suspend};
use sources::{Incoming, next_message, spawn_sources};

/// How long the loop waits for a key before it looks at what the saver
/// reported (a save that finished or failed is shown within this).
const TICK: Duration = Duration::from_millis(250);
/// How often the annotations file is looked at for changes made by others.
const LOOK_EVERY: Duration = Duration::from_secs(1);

/// How the reader ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Everything was saved.
    Saved,
    /// Annotations could not be saved (the person quit anyway, or a signal
    /// came): they were written to a recovery file, if that could be done.
    Unsaved,
}

/// Runs the interactive reader until the person quits, with the settings of
/// `config` (its problems shown among the warnings). `background` starts on a
/// thread of its own once the first frame is on the screen, so that it never
/// delays it; nothing waits for it at the end.
pub fn run(
    library: Library,
    paths: &DataPaths,
    config: &LoadedConfig,
    background: Box<dyn FnOnce() + Send>,
) -> anyhow::Result<Ended> {
    let mut app = App::new(library, Positions::new(), Rect::default());
    app.keymap = config.config.keymap();
    app.column_width = config.config.reading_width;
    app.warnings.extend(config.warnings());
    let no_color = view::theme::no_color_requested(std::env::var_os("NO_COLOR").as_deref());
    let theme = Theme::from_config(&config.config, no_color);
    let known = load_data(&mut app, paths);
    let saver = Saver::spawn_knowing(&paths.annotations_file(), known);
    let incoming = spawn_sources(Arc::clone(&app.input_waiting))?;
    let mut terminal = enter().context("could not set up the terminal")?;
    install_panic_hook();
    let mut background = Some(background);
    let mut after_first_frame = || {
        if let Some(work) = background.take() {
            // Without the thread, only that work is lost.
            let _ = std::thread::Builder::new()
                .name("background".into())
                .spawn(work);
        }
    };
    let result = event_loop(
        &mut terminal,
        &incoming,
        &mut app,
        &saver,
        paths,
        &theme,
        &mut after_first_frame,
    );
    restore();
    let flushed = saver.flush();
    // Said on the status line too, but gloss quit before it could be read.
    if let Some(problem) = &app.unsaved_positions {
        eprintln!("gloss: {problem}");
    }
    let result = result?;
    if let Err(err) = flushed
        && result == Ended::Saved
    {
        // Cannot happen after the checks on quitting; said all the same.
        eprintln!("gloss: your last annotation changes could not be saved: {err}");
        return Ok(Ended::Unsaved);
    }
    if result == Ended::Unsaved {
        eprintln!(
            "gloss: annotations could not be saved: {}",
            app.save_failure().unwrap_or("unknown error")
        );
        if let Some(notice) = &app.notice {
            eprintln!("gloss: {notice}");
        }
    }
    Ok(result)
}

/// Reading positions and annotations, with what went wrong reading them, and
/// recovery files left by an earlier run. Returns the annotations file as it
/// was read, for the saver.
fn load_data(app: &mut App, paths: &DataPaths) -> Option<KnownFile> {
    let positions = LoadedPositions::load_or_empty(&paths.positions_file());
    app.positions_writable = positions.may_save();
    app.warnings.extend(positions.warning());
    app.positions = positions.positions;
    let file = paths.annotations_file();
    let stamp = KnownFile::stamped_before_reading(&file);
    let loaded = annotations::load(&file);
    app.warnings.extend(loaded.warning());
    app.warnings.extend(loaded.spoiled_warnings());
    app.read_only_banner = loaded.read_only_banner();
    // A file set aside or restored from its backup is no longer what was
    // stamped: the saver reads it again. One left in place (unreadable, or
    // from a newer gloss) is read again only once it changes, so that its
    // problem is not told twice.
    let in_place = loaded.problem.is_none() || loaded.read_only;
    let known = stamp
        .filter(|_| in_place)
        .map(|stamp| KnownFile::new(stamp, loaded.annotations.clone()));
    app.set_annotations(loaded.annotations, !loaded.read_only);
    app.recoveries = annotations::find_recoveries(&file);
    known
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Screen>>,
    incoming: &mpsc::Receiver<Incoming>,
    app: &mut App,
    saver: &Saver,
    paths: &DataPaths,
    theme: &Theme,
    after_draw: &mut dyn FnMut(),
) -> anyhow::Result<Ended> {
    let size = terminal.size()?;
    app.update(Action::Resize {
        width: size.width,
        height: size.height,
    });
    let mut looked = Instant::now();
    let mut redraw = true;
    let mut queued = std::collections::VecDeque::new();
    loop {
        if redraw {
            terminal.draw(|frame| view::draw(frame, app, theme))?;
            after_draw();
            panic_if_asked();
            redraw = false;
        }
        // A save waiting for another gloss's lock says so while it waits.
        if let Some(waiting) = annotations::lock_wait()
            && app.notice.as_deref() != Some(waiting.as_str())
        {
            app.notice = Some(waiting);
            redraw = true;
        }
        if looked.elapsed() >= LOOK_EVERY {
            saver.look_for_changes();
            looked = Instant::now();
        }
        let actions = match next_message(incoming, &mut queued, &app.input_waiting) {
            Ok(Incoming::Terminal(Event::Paste(text))) => {
                // A paste is one edit, however long: typed once, filtered once.
                let effects = app.paste(&text);
                redraw = true;
                if let Some(ended) = perform(effects, app, saver, paths) {
                    return Ok(ended);
                }
                Vec::new()
            }
            Ok(Incoming::Suspend) => vec![Action::Suspend],
            Ok(Incoming::Terminal(event)) => translate(&app.keymap, app.mode(), &event),
            Err(mpsc::RecvTimeoutError::Timeout) => Vec::new(),
            // A signal, or both event sources gone: save and leave.
            Ok(Incoming::Signal) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Ok(leave_on_signal(app, saver, paths));
            }
            Ok(Incoming::InputClosed(err)) => {
                leave_on_signal(app, saver, paths);
                return Err(err).context("could not read from the terminal");
            }
        };
        redraw |= !actions.is_empty();
        for action in actions {
            let effects = app.update(action);
            let suspend_asked = effects.contains(&Effect::Suspend);
            if let Some(ended) = perform(effects, app, saver, paths) {
                return Ok(ended);
            }
            if suspend_asked {
                suspend(terminal, app)?;
                redraw = true;
            }
        }
        redraw |= take_reports(app, saver, paths);
    }
}

/// Carries out `effects`; `Some` when the reader is to end.
fn perform(effects: Vec<Effect>, app: &mut App, saver: &Saver, paths: &DataPaths) -> Option<Ended> {
    for effect in effects {
        match effect {
            Effect::SavePositions => save_positions(app, paths),
            Effect::SaveAnnotations if app.annotations_writable => saver.request(app.snapshot()),
            // Nothing to save while read-only; the loop suspends, since it
            // holds the terminal.
            Effect::SaveAnnotations | Effect::Suspend => {}
            Effect::ExportArticle(index) => export_article(app, index, paths),
            Effect::WriteRecovery => write_recovery(app, paths),
            Effect::MergeRecovered => merge_recovered(app, paths),
            Effect::RemoveRecovery => {
                if let Some(path) = app.recovery_file() {
                    annotations::remove_recovery(path);
                }
                app.recovery_removed();
            }
            Effect::Quit if app.quitting_unsaved() => return Some(Ended::Unsaved),
            Effect::Quit => {
                // Every save asked for is done before leaving; one that fails
                // turns the quit into a question.
                let _ = saver.flush();
                take_reports(app, saver, paths);
                let _ = saver.flush();
                take_reports(app, saver, paths);
                if app.save_failure().is_some() && app.annotations_writable {
                    let asked = app.update(Action::Quit);
                    return perform(asked, app, saver, paths);
                }
                return Some(Ended::Saved);
            }
        }
    }
    None
}

/// A signal (or no more input): everything is saved if it can be, and what
/// cannot goes to a recovery file; nothing is asked.
fn leave_on_signal(app: &mut App, saver: &Saver, paths: &DataPaths) -> Ended {
    // A note being written is kept as the highlight's note, since there is
    // no one to ask.
    if app.note_has_changes() {
        let effects = app.update(Action::SaveNote);
        let _ = perform(effects, app, saver, paths);
    }
    let _ = saver.flush();
    take_reports(app, saver, paths);
    let _ = saver.flush();
    take_reports(app, saver, paths);
    let unsaved = app.save_failure().is_some() && app.annotations_writable;
    let effects = app.update(if unsaved {
        Action::QuitAnyway
    } else {
        Action::Quit
    });
    for effect in effects {
        match effect {
            Effect::SavePositions => save_positions(app, paths),
            Effect::WriteRecovery => write_recovery(app, paths),
            _ => {}
        }
    }
    if unsaved {
        Ended::Unsaved
    } else {
        Ended::Saved
    }
}

/// Writes what could not be saved to a recovery file and tells the app. A
/// recovery this run wrote before holds less (no save succeeded since, or it
/// would be gone): it is removed, so that the next start merges one file.
fn write_recovery(app: &mut App, paths: &DataPaths) {
    let earlier = app.recovery_file().map(std::path::Path::to_path_buf);
    let written = annotations::write_recovery(
        &paths.annotations_file(),
        &app.snapshot(),
        jiff::Timestamp::now(),
    )
    .map_err(|err| err.to_string());
    if let (Ok(Some(new)), Some(earlier)) = (&written, &earlier)
        && new != earlier
    {
        annotations::remove_recovery(earlier);
    }
    app.recovery_written(written);
}

/// Merges the recovery files the app knows into the store and tells the app.
fn merge_recovered(app: &mut App, paths: &DataPaths) {
    let file = paths.annotations_file();
    let merged = app
        .recoveries
        .clone()
        .into_iter()
        .map(|path| {
            let outcome = annotations::recover(&file, &path)
                .map(|saved| saved.annotations)
                .map_err(|err| err.to_string());
            (path, outcome)
        })
        .collect();
    app.recoveries_merged(merged);
}

/// Writes one article's notes into the export folder and says where.
fn export_article(app: &mut App, index: usize, paths: &DataPaths) {
    let Some(article) = app.library.articles.get(index) else {
        return;
    };
    let folder = export::default_export_dir(paths);
    app.notice = Some(
        match export::export_article_to_dir(article, &app.annotations, &folder) {
            Ok(path) => format!(
                "notes exported to {}",
                crate::text::sanitize_line(&home_as_tilde(&path))
            ),
            Err(err) => format!("not exported: {err}"),
        },
    );
}

/// `path` for the status line: under the home folder as `~/…`, so that the
/// file name fits.
fn home_as_tilde(path: &std::path::Path) -> String {
    let home = directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf());
    match home.and_then(|home| {
        path.strip_prefix(home)
            .ok()
            .map(std::path::Path::to_path_buf)
    }) {
        Some(inside) => format!("~/{}", inside.display()),
        None => path.display().to_string(),
    }
}

/// Hands every report of the saver to the app as a message, and carries
/// out what it asks (another save, when a merge combined two versions).
/// Returns whether there was anything.
fn take_reports(app: &mut App, saver: &Saver, paths: &DataPaths) -> bool {
    let mut any = false;
    while let Some(report) = saver.try_result() {
        any = true;
        let effects = app.take_report(report);
        // Only saves come back from a report.
        let _ = perform(effects, app, saver, paths);
    }
    any
}

/// Debug builds only: `GLOSS_DEBUG_PANIC=1` panics after the first frame, so the
/// end-to-end tests can prove the terminal is restored on a panic.
fn panic_if_asked() {
    #[cfg(debug_assertions)]
    assert!(
        std::env::var_os("GLOSS_DEBUG_PANIC").is_none_or(|v| v != "1"),
        "GLOSS_DEBUG_PANIC was set"
    );
}

fn save_positions(app: &mut App, paths: &DataPaths) {
    if !app.positions_writable {
        return;
    }
    match positions::merge_and_save(&paths.positions_file(), &app.moved) {
        Ok(merged) => {
            app.positions = merged;
            app.unsaved_positions = None;
        }
        Err(err) => {
            let problem = format!("reading position not saved: {err}");
            app.notice = Some(problem.clone());
            app.unsaved_positions = Some(problem);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_home_are_shown_from_tilde() {
        let Some(home) = directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf())
        else {
            return;
        };
        let inside = home.join("notes").join("article.md");
        assert_eq!(home_as_tilde(&inside), "~/notes/article.md");
        let outside = std::path::Path::new("/elsewhere/article.md");
        if !outside.starts_with(&home) {
            assert_eq!(home_as_tilde(outside), "/elsewhere/article.md");
        }
    }
}
