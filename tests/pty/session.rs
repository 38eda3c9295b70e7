//! One program running in a real pseudo-terminal, driven like a person would:
//! wait until something shows on the screen, type keys, wait for it to exit.
//!
//! Output is read on a thread into a shared buffer; every wait polls that
//! buffer against a generous deadline instead of sleeping a fixed time, so the
//! tests are quick on a fast machine and still pass on a slow, busy one. Every
//! failure prints the captured output, escaped, and the screen it produced.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

use super::screen::Screen;

/// The terminal size every test runs in.
pub const COLS: u16 = 80;
pub const ROWS: u16 = 24;

/// How long any one wait may take before the test fails. Generous, because CI
/// machines are slow and busy; a passing test never waits this long.
const DEADLINE: Duration = Duration::from_secs(20);
/// How often a wait looks at the output again.
const POLL: Duration = Duration::from_millis(10);

/// A child process on the slave side of a pseudo-terminal.
pub struct Session {
    child: Box<dyn Child + Send + Sync>,
    /// Kept open until the child has exited: dropping it sends end-of-file.
    writer: Option<Box<dyn Write + Send>>,
    master: Box<dyn MasterPty + Send>,
    output: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
}

/// How a session ended, with everything it wrote.
pub struct Finished {
    pub status: ExitStatus,
    pub output: Vec<u8>,
}

impl Finished {
    /// The screen as the whole output draws it.
    pub fn screen(&self) -> Screen {
        Screen::replay(&self.output, usize::from(COLS), usize::from(ROWS))
    }
}

/// `gloss --data-dir DIR`, working in DIR.
pub fn gloss(data_dir: &Path) -> CommandBuilder {
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_gloss"));
    command.arg("--data-dir");
    command.arg(data_dir);
    prepare(&mut command, data_dir);
    command
}

/// `sh -c SCRIPT`, with `$GLOSS` naming the gloss binary and `$DATA` the data folder.
pub fn shell(script: &str, data_dir: &Path) -> CommandBuilder {
    let mut command = CommandBuilder::new("sh");
    command.args(["-c", script]);
    command.env("GLOSS", env!("CARGO_BIN_EXE_gloss"));
    command.env("DATA", data_dir);
    prepare(&mut command, data_dir);
    command
}

fn prepare(command: &mut CommandBuilder, dir: &Path) {
    command.cwd(dir);
    command.env("TERM", "xterm-256color");
    // Settings from the machine running the tests must not leak in.
    for name in [
        "GLOSS_DATA_DIR",
        "GLOSS_DEBUG_PANIC",
        "RUST_BACKTRACE",
        "NO_COLOR",
    ] {
        command.env_remove(name);
    }
}

impl Session {
    /// Starts `command` in a fresh 80×24 pseudo-terminal.
    pub fn spawn(command: CommandBuilder) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap_or_else(|err| panic!("cannot open a pseudo-terminal: {err:#}"));
        let child = pair.slave.spawn_command(command).unwrap_or_else(|err| {
            panic!("cannot start the program in the pseudo-terminal: {err:#}")
        });
        // Only the child may hold the slave side, so reads see end-of-file when it exits.
        drop(pair.slave);
        let mut source = pair
            .master
            .try_clone_reader()
            .unwrap_or_else(|err| panic!("cannot read the pseudo-terminal: {err:#}"));
        let writer = pair
            .master
            .take_writer()
            .unwrap_or_else(|err| panic!("cannot write to the pseudo-terminal: {err:#}"));
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        let reader = thread::spawn(move || {
            let mut buffer = [0_u8; 8192];
            // Linux reports EIO, not end-of-file, once the slave side is closed.
            while let Ok(read @ 1..) = source.read(&mut buffer) {
                sink.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .extend_from_slice(&buffer[..read]);
            }
        });
        Session {
            child,
            writer: Some(writer),
            master: pair.master,
            output,
            reader: Some(reader),
        }
    }

    /// Everything the program wrote so far.
    pub fn output(&self) -> Vec<u8> {
        self.output
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The screen as the output so far draws it.
    pub fn screen(&self) -> Screen {
        Screen::replay(&self.output(), usize::from(COLS), usize::from(ROWS))
    }

    pub fn pid(&self) -> u32 {
        self.child
            .process_id()
            .unwrap_or_else(|| self.fail("the child has no process id"))
    }

    /// The terminal's local mode flags (`ICANON | ECHO | …`) as the pseudo-terminal
    /// reports them right now.
    pub fn local_flags(&self) -> String {
        let termios = self
            .master
            .get_termios()
            .unwrap_or_else(|| self.fail("cannot read the terminal modes"));
        format!("{:?}", termios.local_flags)
    }

    /// Waits until `ready` holds for the screen, and returns that screen.
    pub fn wait_for(&self, what: &str, ready: impl Fn(&Screen) -> bool) -> Screen {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            if start.elapsed() > DEADLINE {
                self.fail(&format!("timed out after {DEADLINE:?} waiting for {what}"));
            }
            thread::sleep(POLL);
        }
    }

    /// Types `keys` (raw bytes: `"\r"` is Enter, `"\x03"` is Ctrl-c).
    pub fn send(&mut self, keys: &str) {
        let sent = self
            .writer
            .as_mut()
            .map(|w| w.write_all(keys.as_bytes()).and_then(|()| w.flush()));
        if let Some(Err(err)) = sent {
            self.fail(&format!("cannot type {keys:?}: {err}"));
        }
    }

    /// Sends `signal` (such as `"TERM"`) to the child with the shell's `kill`,
    /// which is there even where no `kill` program is installed.
    pub fn signal(&self, signal: &str) {
        let pid = self.pid().to_string();
        let status = std::process::Command::new("sh")
            .args(["-c", r#"kill -s "$1" "$2""#, "sh", signal, &pid])
            .status();
        if !status.as_ref().is_ok_and(std::process::ExitStatus::success) {
            self.fail(&format!("kill -s {signal} {pid} failed: {status:?}"));
        }
    }

    /// [`Session::finish`], failing the test unless the program exited
    /// with status 0.
    pub fn finish_successfully(self) -> Finished {
        let finished = self.finish();
        assert!(
            finished.status.success(),
            "exit status {:?}\n{}",
            finished.status,
            report(&finished.output)
        );
        finished
    }

    /// Waits for the child to exit and for the last of its output.
    pub fn finish(mut self) -> Finished {
        let start = Instant::now();
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if start.elapsed() > DEADLINE => {
                    self.fail(&format!("the program did not exit within {DEADLINE:?}"));
                }
                Ok(None) => thread::sleep(POLL),
                Err(err) => self.fail(&format!("cannot wait for the program: {err}")),
            }
        };
        // The reader stops when the slave side closes, after the last byte.
        while self.reader.as_ref().is_some_and(|r| !r.is_finished()) {
            if start.elapsed() > DEADLINE {
                self.fail("the program exited but its terminal output never ended");
            }
            thread::sleep(POLL);
        }
        Finished {
            status,
            output: self.output(),
        }
    }

    /// Fails the test, showing what the program wrote and what the screen shows.
    pub fn fail(&self, message: &str) -> ! {
        panic!("{message}\n{}", report(&self.output()));
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // A failed test must not leave a program running in a terminal nobody reads.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        // Dropping the writer types end-of-file; the child is gone by now.
        self.writer.take();
        if let Some(reader) = self.reader.take()
            && reader.is_finished()
        {
            let _ = reader.join();
        }
    }
}

/// The captured output, escaped, and the screen it draws, for failure messages.
pub fn report(output: &[u8]) -> String {
    let screen = Screen::replay(output, usize::from(COLS), usize::from(ROWS));
    format!(
        "--- output ({} bytes, escaped) ---\n{}\n--- screen ---\n{screen}",
        output.len(),
        String::from_utf8_lossy(output).escape_debug()
    )
}
