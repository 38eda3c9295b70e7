//! Where the event loop's messages come from: a thread reading terminal
//! events and one waiting for signals, feeding one channel, and the order in
//! which the loop takes them (a signal first).

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;

use anyhow::Context;
use ratatui::crossterm::event::{self, Event};
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
use signal_hook::iterator::Signals;

use super::TICK;

/// What the event loop waits for.
pub(super) enum Incoming {
    Terminal(Event),
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT: save and leave.
    Signal,
    /// SIGTSTP: give the terminal back and stop until continued.
    Suspend,
    /// Reading terminal events failed; nothing more will come.
    InputClosed(io::Error),
}

/// Starts the threads that turn terminal events and signals into [`Incoming`].
/// `waiting` is set whenever a message is sent, so that long work in the app
/// stops for it (see [`App::input_waiting`]).
pub(super) fn spawn_sources(waiting: Arc<AtomicBool>) -> anyhow::Result<mpsc::Receiver<Incoming>> {
    let (tx, rx) = mpsc::channel();
    let signal_waiting = Arc::clone(&waiting);
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
                let sent = signal_tx.send(message).is_ok();
                signal_waiting.store(true, Ordering::SeqCst);
                if !sent || !suspend {
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
                let sent = tx.send(message).is_ok();
                waiting.store(true, Ordering::SeqCst);
                if !sent || closed {
                    break;
                }
            }
        })?;
    Ok(rx)
}

/// The next message to handle, waiting at most [`TICK`] for one. Everything
/// that has arrived is taken from the channel first, so that a signal is
/// answered before the keys queued ahead of it (typed while a long filter
/// ran, say): a signal means leave now.
pub(super) fn next_message(
    incoming: &mpsc::Receiver<Incoming>,
    queued: &mut std::collections::VecDeque<Incoming>,
    waiting: &AtomicBool,
) -> Result<Incoming, mpsc::RecvTimeoutError> {
    if queued.is_empty() {
        queued.push_back(incoming.recv_timeout(TICK)?);
    }
    queued.extend(incoming.try_iter());
    if let Some(at) = queued.iter().position(|m| matches!(m, Incoming::Signal)) {
        queued.truncate(at);
        return Ok(Incoming::Signal);
    }
    let next = queued.pop_front().ok_or(mpsc::RecvTimeoutError::Timeout);
    // More to handle after this one: long work on this one may stop early.
    waiting.store(!queued.is_empty(), Ordering::SeqCst);
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_is_answered_before_the_keys_queued_ahead_of_it() {
        use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let (tx, rx) = mpsc::channel();
        let key = || {
            Incoming::Terminal(Event::Key(KeyEvent::new(
                KeyCode::Char('j'),
                KeyModifiers::NONE,
            )))
        };
        for _ in 0..3 {
            tx.send(key()).unwrap_or_default();
        }
        tx.send(Incoming::Signal).unwrap_or_default();
        let waiting = AtomicBool::new(false);
        let mut queued = std::collections::VecDeque::new();
        assert!(matches!(
            next_message(&rx, &mut queued, &waiting),
            Ok(Incoming::Signal)
        ));

        // Without a signal, messages come in the order they arrived, and
        // the app is told while more wait.
        tx.send(Incoming::Suspend).unwrap_or_default();
        tx.send(key()).unwrap_or_default();
        let mut queued = std::collections::VecDeque::new();
        assert!(matches!(
            next_message(&rx, &mut queued, &waiting),
            Ok(Incoming::Suspend)
        ));
        assert!(waiting.load(Ordering::SeqCst), "a key waits behind it");
        assert!(matches!(
            next_message(&rx, &mut queued, &waiting),
            Ok(Incoming::Terminal(_))
        ));
        assert!(!waiting.load(Ordering::SeqCst));
        assert!(matches!(
            next_message(&rx, &mut queued, &waiting),
            Err(mpsc::RecvTimeoutError::Timeout)
        ));
    }
}
