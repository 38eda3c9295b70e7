//! Progress of long work (importing many files, exporting a large library,
//! loading a big library before the reader starts) as one line on stderr,
//! redrawn in place and cleared at the end. Only on a terminal: when stderr
//! is a pipe or a file, or `TERM` is `dumb`, nothing at all is written, so
//! scripts and logs stay clean. `indicatif` does the drawing: it limits the
//! redraw rate, fits the line to the terminal's width, and can clear the line
//! while other output is printed.

use std::io::{self, IsTerminal, Write};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::library::{CacheUse, Library, Sources};
use crate::text::sanitize_line;

/// Below this many files, importing or exporting is over before a progress
/// line could be read.
pub const MIN_FILES: usize = 20;

/// A library with fewer files than this loads too fast to need progress.
pub const MIN_LIBRARY_FILES: usize = 200;

/// A library that loads within this time shows no progress at all, so a
/// fast start is not slowed by drawing a line nobody could read.
const LOAD_QUIET: Duration = Duration::from_millis(100);

/// One progress line: `importing 120/1000 notes.md`.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// Progress through `total` items, described by `verb` ("importing"),
    /// drawn on stderr when it is a terminal and there are at least
    /// `min_total` items.
    pub fn on_stderr(verb: &'static str, total: usize, min_total: usize) -> Progress {
        let target = if total >= min_total {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        Progress::with_target(verb, total, target)
    }

    /// Progress drawn to `target`.
    pub fn with_target(verb: &'static str, total: usize, target: ProgressDrawTarget) -> Progress {
        let style = ProgressStyle::with_template("{prefix} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        let bar = ProgressBar::with_draw_target(Some(total as u64), target)
            .with_style(style)
            .with_prefix(verb);
        Progress { bar }
    }

    /// Whether anything is drawn.
    pub fn is_shown(&self) -> bool {
        !self.bar.is_hidden()
    }

    /// Names the item being worked on (a file name), after the count.
    pub fn working_on(&self, item: &str) {
        if self.is_shown() {
            self.bar.set_message(sanitize_line(item));
        }
    }

    /// One more item done.
    pub fn done_one(&self) {
        self.bar.inc(1);
    }

    /// `done` items are done (never counting back, whatever order several
    /// threads report in).
    pub fn reached(&self, done: usize) {
        let done = done as u64;
        if done > self.bar.position() {
            self.bar.set_position(done);
        }
    }

    /// `out`, standard output, printed so that it does not run into the
    /// progress line when both are on the terminal: each complete line is
    /// written with the progress line cleared, then that line is drawn again
    /// below it. Redirected, it is written as it comes.
    pub fn around_stdout<'a>(&'a self, out: &'a mut dyn Write) -> AroundProgress<'a> {
        self.around(out, io::stdout().is_terminal())
    }

    /// `err`, standard error (the progress line's own stream), printed
    /// around the progress line.
    pub fn around_stderr<'a>(&'a self, err: &'a mut dyn Write) -> AroundProgress<'a> {
        self.around(err, true)
    }

    fn around<'a>(&'a self, out: &'a mut dyn Write, shares_terminal: bool) -> AroundProgress<'a> {
        AroundProgress {
            out,
            progress: self,
            shares_terminal,
            pending: Vec::new(),
        }
    }
}

/// Opens the whole library, through the cache of parsed articles as
/// `cache_use` says, with a progress line on stderr while a big one takes
/// noticeable time to load (for the reader, before the alternate screen
/// hides stderr).
pub fn open_library(sources: &Sources, cache_use: CacheUse) -> Library {
    let started = Instant::now();
    let progress: OnceLock<Progress> = OnceLock::new();
    Library::open_with_progress(sources, Some(cache_use), &|done, total| {
        if total < MIN_LIBRARY_FILES || started.elapsed() < LOAD_QUIET {
            return;
        }
        progress
            .get_or_init(|| Progress::on_stderr("loading the library", total, MIN_LIBRARY_FILES))
            .reached(done);
    })
}

impl Drop for Progress {
    /// The line is cleared however the work ends, error or not.
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// A writer whose lines are printed around a [`Progress`] line.
pub struct AroundProgress<'a> {
    out: &'a mut dyn Write,
    progress: &'a Progress,
    /// Whether `out` is on the terminal the progress line is drawn on.
    shares_terminal: bool,
    /// The start of a line not yet ended.
    pending: Vec<u8>,
}

impl std::fmt::Debug for AroundProgress<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AroundProgress")
            .field("progress", self.progress)
            .field("pending", &String::from_utf8_lossy(&self.pending))
            .finish_non_exhaustive()
    }
}

impl AroundProgress<'_> {
    fn write_lines(&mut self, bytes: &[u8]) -> io::Result<()> {
        let out = &mut *self.out;
        if self.shares_terminal && self.progress.is_shown() {
            self.progress.bar.suspend(|| {
                out.write_all(bytes)?;
                out.flush()
            })
        } else {
            out.write_all(bytes)
        }
    }
}

impl Write for AroundProgress<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(end) = self.pending.iter().rposition(|&b| b == b'\n') {
            let lines: Vec<u8> = self.pending.drain(..=end).collect();
            self.write_lines(&lines)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let rest = std::mem::take(&mut self.pending);
        if !rest.is_empty() {
            self.write_lines(&rest)?;
        }
        self.out.flush()
    }
}

impl Drop for AroundProgress<'_> {
    /// A last line without a newline is still written.
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::{Arc, Mutex};

    use indicatif::TermLike;

    use super::*;

    /// A terminal that records what is drawn on it.
    #[derive(Debug, Clone, Default)]
    struct Recorder(Arc<Mutex<String>>);

    impl Recorder {
        fn text(&self) -> String {
            self.0.lock().unwrap().clone()
        }
        fn push(&self, s: &str) {
            self.0.lock().unwrap().push_str(s);
        }
    }

    impl TermLike for Recorder {
        fn width(&self) -> u16 {
            80
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.push(s);
            self.push("\n");
            Ok(())
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            self.push(s);
            Ok(())
        }
        fn clear_line(&self) -> io::Result<()> {
            self.push("<clear>");
            Ok(())
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    fn recorded(total: usize) -> (Progress, Recorder) {
        let recorder = Recorder::default();
        let target = ProgressDrawTarget::term_like(Box::new(recorder.clone()));
        (Progress::with_target("importing", total, target), recorder)
    }

    #[test]
    fn the_line_counts_names_the_item_and_is_cleared_at_the_end() {
        let (progress, recorder) = recorded(3);
        progress.working_on("a.md");
        progress.done_one();
        progress.working_on("b\u{1b}[31m.md");
        assert!(
            recorder.text().contains("importing 1/3 b"),
            "{:?}",
            recorder.text()
        );
        progress.done_one();
        assert!(
            recorder.text().contains("importing 2/3 b"),
            "{:?}",
            recorder.text()
        );
        assert!(
            !recorder.text().contains('\u{1b}'),
            "item names are sanitized: {:?}",
            recorder.text()
        );
        drop(progress);
        assert!(
            recorder.text().ends_with("<clear>"),
            "{:?}",
            recorder.text()
        );
    }

    #[test]
    fn the_count_never_goes_back() {
        let (progress, recorder) = recorded(10);
        progress.reached(5);
        progress.reached(3);
        assert_eq!(progress.bar.position(), 5);
        assert!(
            recorder.text().contains("importing 5/10"),
            "{:?}",
            recorder.text()
        );
    }

    #[test]
    fn too_few_items_draw_nothing() {
        let progress = Progress::on_stderr("exporting", 3, MIN_FILES);
        assert!(!progress.is_shown());
    }

    #[test]
    fn lines_around_the_progress_arrive_whole_and_in_order() {
        let (progress, recorder) = recorded(2);
        progress.done_one();
        let mut out = Vec::new();
        {
            let mut around = progress.around(&mut out, true);
            write!(around, "created ").unwrap();
            let drawn = recorder.text();
            writeln!(around, "a.md").unwrap();
            assert!(
                recorder.text().len() > drawn.len(),
                "the progress line is cleared and drawn again around a line"
            );
            write!(around, "no newline").unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "created a.md\nno newline");
    }

    #[test]
    fn output_elsewhere_does_not_redraw_the_progress_line() {
        let (progress, recorder) = recorded(2);
        progress.done_one();
        let drawn = recorder.text();
        let mut out = Vec::new();
        writeln!(progress.around(&mut out, false), "created a.md").unwrap();
        assert_eq!(recorder.text(), drawn);
        assert_eq!(out, b"created a.md\n");
    }

    #[test]
    fn hidden_progress_passes_output_straight_through() {
        let progress = Progress::with_target("exporting", 5, ProgressDrawTarget::hidden());
        progress.done_one();
        let mut out = Vec::new();
        writeln!(progress.around(&mut out, true), "updated x.md").unwrap();
        assert_eq!(out, b"updated x.md\n");
    }
}
