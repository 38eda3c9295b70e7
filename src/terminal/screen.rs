//! The real terminal as gloss takes it and gives it back: raw mode, the
//! alternate screen, mouse capture and bracketed paste on; put back exactly
//! once whatever happens (quit, error, panic, signal), and taken again after
//! a suspend.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};
use signal_hook::consts::SIGTSTP;

use crate::app::{Action, App};

/// Set once the terminal has been put back; later restores do nothing.
static RESTORED: AtomicBool = AtomicBool::new(true);

/// Standard output as the drawing backend sees it: once the terminal has been
/// restored, whatever ratatui still writes (its drop shows the cursor again)
/// is dropped, so the restore sequences are sent exactly once.
pub(super) struct Screen(Stdout);

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

/// Raw mode, alternate screen, mouse capture, hidden cursor.
pub(super) fn enter() -> io::Result<Terminal<CrosstermBackend<Screen>>> {
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
pub(super) fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Ctrl-z or SIGTSTP: puts the terminal back as the shell wants it, stops
/// (as SIGTSTP does by default) until `fg` sends SIGCONT, then takes the
/// terminal again and draws the whole screen anew, at its size now.
pub(super) fn suspend(
    terminal: &mut Terminal<CrosstermBackend<Screen>>,
    app: &mut App,
) -> anyhow::Result<()> {
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
