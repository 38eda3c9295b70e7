//! The real terminal: entering and leaving raw mode and the alternate screen,
//! restoring it exactly once whatever happens (quit, error, panic, SIGTERM,
//! SIGHUP, SIGQUIT), giving it back while suspended (Ctrl-z, SIGTSTP), and the
//! event loop that feeds terminal events and signals to the
//! app and carries out its effects.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;

use anyhow::Context;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};
use ratatui::layout::Rect;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
use signal_hook::iterator::Signals;

use crate::app::{Action, App, Effect};
use crate::config::LoadedConfig;
use crate::export;
use crate::input::translate;
use crate::library::Library;
use crate::paths::DataPaths;
use crate::store::annotations::{self, Saver};
use crate::store::positions::{self, LoadedPositions, Positions};
use crate::view::{self, Theme};

/// Set once the terminal has been put back; later restores do nothing.
static RESTORED: AtomicBool = AtomicBool::new(true);

/// What the event loop waits for.
enum Incoming {
    Terminal(Event),
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT: save and leave.
    Signal,
    /// SIGTSTP: give the terminal back and stop until continued.
    Suspend,
    /// Reading terminal events failed; nothing more will come.
    InputClosed(io::Error),
}

/// Standard output as the drawing backend sees it: once the terminal has been
/// restored, whatever ratatui still writes (its drop shows the cursor again)
/// is dropped, so the restore sequences are sent exactly once.
struct Screen(Stdout);

impl Write for Screen {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if RESTORED.load(Ordering::SeqCst) {
            return Ok(buf.len());
        }
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        if RESTORED.load(Ordering::SeqCst) {
            return Ok(());
        }
        self.0.flush()
    }
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
) -> anyhow::Result<()> {
    let mut app = App::new(library, Positions::new(), Rect::default());
    app.keymap = config.config.keymap();
    app.column_width = config.config.reading_width;
    app.warnings.extend(config.warnings());
    let no_color = view::theme::no_color_requested(std::env::var_os("NO_COLOR").as_deref());
    let theme = Theme::from_config(&config.config, no_color);
    load_data(&mut app, paths);
    let saver = Saver::spawn(&paths.annotations_file());
    let incoming = spawn_sources()?;
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
    if let Err(err) = saver.flush() {
        eprintln!("gloss: your last annotation changes could not be saved: {err}");
    }
    // Said on the status line too, but gloss quit before it could be read.
    if let Some(problem) = &app.unsaved_positions {
        eprintln!("gloss: {problem}");
    }
    result
}

/// Reading positions and annotations, with what went wrong reading them.
fn load_data(app: &mut App, paths: &DataPaths) {
    let positions = LoadedPositions::load_or_empty(&paths.positions_file());
    app.positions_writable = positions.may_save();
    app.warnings.extend(positions.warning());
    app.positions = positions.positions;
    let loaded = annotations::load(&paths.annotations_file());
    app.warnings.extend(loaded.warning());
    app.set_annotations(loaded.annotations, !loaded.read_only);
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Screen>>,
    incoming: &mpsc::Receiver<Incoming>,
    app: &mut App,
    saver: &Saver,
    paths: &DataPaths,
    theme: &Theme,
    after_draw: &mut dyn FnMut(),
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    app.update(Action::Resize {
        width: size.width,
        height: size.height,
    });
    loop {
        terminal.draw(|frame| view::draw(frame, app, theme))?;
        after_draw();
        panic_if_asked();
        let actions = match incoming.recv() {
            Ok(Incoming::Terminal(Event::Paste(text))) => {
                let effects = app.paste(&text);
                if carry_out(terminal, app, effects, saver, paths)? {
                    return Ok(());
                }
                Vec::new()
            }
            Ok(Incoming::Suspend) => vec![Action::Suspend],
            Ok(Incoming::Terminal(event)) => translate(&app.keymap, app.mode(), &event),
            // A signal, or both event sources gone: save and leave.
            Ok(Incoming::Signal) | Err(_) => vec![Action::Quit],
            Ok(Incoming::InputClosed(err)) => {
                app.update(Action::Quit);
                save_positions(app, paths);
                return Err(err).context("could not read from the terminal");
            }
        };
        for action in actions {
            let effects = app.update(action);
            if carry_out(terminal, app, effects, saver, paths)? {
                return Ok(());
            }
        }
        take_save_outcomes(app, saver);
    }
}

/// Does the work the app asked for; whether it asked to quit.
fn carry_out(
    terminal: &mut Terminal<CrosstermBackend<Screen>>,
    app: &mut App,
    effects: Vec<Effect>,
    saver: &Saver,
    paths: &DataPaths,
) -> anyhow::Result<bool> {
    for effect in effects {
        match effect {
            Effect::SavePositions => save_positions(app, paths),
            Effect::SaveAnnotations if app.annotations_writable => {
                saver.request(app.annotations.clone());
            }
            Effect::SaveAnnotations => {}
            Effect::ExportArticle(index) => export_article(app, index, paths),
            Effect::Suspend => suspend(terminal, app)?,
            Effect::Quit => return Ok(true),
        }
    }
    Ok(false)
}

/// Ctrl-z or SIGTSTP: puts the terminal back as the shell wants it, stops
/// (as SIGTSTP does by default) until `fg` sends SIGCONT, then takes the
/// terminal again and draws the whole screen anew, at its size now.
fn suspend(terminal: &mut Terminal<CrosstermBackend<Screen>>, app: &mut App) -> anyhow::Result<()> {
    restore();
    signal_hook::low_level::emulate_default_handler(SIGTSTP).context("could not suspend gloss")?;
    // What the shell drew is on the screen now, not what ratatui remembers:
    // a new terminal knows nothing and draws every cell. (ratatui's `clear`
    // would ask the terminal where its cursor is, and the answer would go to
    // the thread reading keys.) The old one is dropped while the terminal is
    // still restored, so that its last writes go nowhere.
    *terminal = Terminal::new(CrosstermBackend::new(Screen(io::stdout())))?;
    take_terminal().context("could not set up the terminal again after a suspend")?;
    execute!(io::stdout(), Clear(ClearType::All))?;
    let size = terminal.size()?;
    app.update(Action::Resize {
        width: size.width,
        height: size.height,
    });
    Ok(())
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

/// Merges what finished background saves left on disk into the app, and
/// tells the person about a save that failed.
fn take_save_outcomes(app: &mut App, saver: &Saver) {
    for outcome in saver.results() {
        match outcome {
            Ok(saved) => {
                if let Some(notice) = saved.notice {
                    app.warnings.push(notice.to_string());
                    app.notice = Some(format!("{notice}"));
                }
                app.adopt_saved(&saved.annotations);
            }
            Err(err) => app.notice = Some(format!("annotations not saved: {err}")),
        }
    }
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

/// Starts the threads that turn terminal events and signals into [`Incoming`].
fn spawn_sources() -> anyhow::Result<mpsc::Receiver<Incoming>> {
    let (tx, rx) = mpsc::channel();
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP])
        .context("could not listen for signals")?;
    let signal_tx = tx.clone();
    thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                let suspend = signal == SIGTSTP;
                let message = if suspend {
                    Incoming::Suspend
                } else {
                    Incoming::Signal
                };
                if signal_tx.send(message).is_err() || !suspend {
                    break;
                }
            }
        })?;
    thread::Builder::new()
        .name("terminal-events".into())
        .spawn(move || {
            loop {
                let message = match event::read() {
                    Ok(event) => Incoming::Terminal(event),
                    Err(err) => Incoming::InputClosed(err),
                };
                let closed = matches!(message, Incoming::InputClosed(_));
                if tx.send(message).is_err() || closed {
                    break;
                }
            }
        })?;
    Ok(rx)
}

/// Raw mode, alternate screen, mouse capture, hidden cursor.
fn enter() -> io::Result<Terminal<CrosstermBackend<Screen>>> {
    take_terminal()?;
    Terminal::new(CrosstermBackend::new(Screen(io::stdout()))).inspect_err(|_| restore())
}

/// Raw mode, alternate screen, mouse capture, bracketed paste, hidden cursor:
/// on start and again after a suspend. Restores the terminal if that fails.
fn take_terminal() -> io::Result<()> {
    enable_raw_mode()?;
    RESTORED.store(false, Ordering::SeqCst);
    let mut stdout = io::stdout();
    execute!(
        stdout,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        cursor::Hide
    )
    .inspect_err(|_| restore())
}

/// Puts the terminal back as it was. Safe to call from anywhere, any number of
/// times: only the first call after `enter` does anything.
pub fn restore() {
    if RESTORED.swap(true, Ordering::SeqCst) {
        return;
    }
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = stdout.flush();
}

/// Restores the terminal before the default panic message is printed, so the
/// message is readable and the shell is usable.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
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
