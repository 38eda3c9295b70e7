//! Saving on a thread of its own, so that writing 100,000 highlights never
//! makes the person wait: a request hands over a snapshot and returns at once,
//! and only the newest snapshot waiting is written.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use super::Annotations;
use super::file::{LastWritten, Saved, save_merged, save_merged_remembering};
use crate::store::StoreError;

/// How one background save ended.
pub type SaveOutcome = Result<Saved, StoreError>;

/// Writes snapshots of the annotations to one file in the background.
///
/// Each finished save is reported through [`Saver::results`]: the merged state
/// now on disk (merge it into the live state with [`Annotations::merge`]
/// rather than replacing it, since the person may have changed more since the
/// snapshot) or the error to show. Dropping the saver waits for the last save.
#[derive(Debug)]
pub struct Saver {
    path: PathBuf,
    shared: Arc<Shared>,
    outcomes: Receiver<SaveOutcome>,
    /// For saves done outside the thread: a retry on flush, or every save when
    /// the thread could not be started.
    send_outcome: Sender<SaveOutcome>,
    worker: Option<JoinHandle<()>>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// The newest snapshot not yet picked up by the thread.
    pending: Option<Annotations>,
    /// The snapshot of the last save if it failed and nothing newer was asked
    /// for since: [`Saver::flush`] tries it once more.
    failed: Option<Annotations>,
    /// Snapshots replaced before they were saved. Freeing 100,000 highlights
    /// takes milliseconds, so the thread does it, not the caller of `request`.
    discarded: Vec<Annotations>,
    saving: bool,
    stopping: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent at every step, so a panic elsewhere while
        // holding the lock leaves nothing half-done.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait<'a>(&self, guard: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.changed
            .wait(guard)
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Saver {
    /// Starts the saving thread for the file at `path`.
    pub fn spawn(path: &Path) -> Saver {
        let shared = Arc::new(Shared::default());
        let (send_outcome, outcomes) = channel();
        let worker = {
            let shared = Arc::clone(&shared);
            let sender = send_outcome.clone();
            let path = path.to_path_buf();
            std::thread::Builder::new()
                .name("gloss-save".into())
                .spawn(move || save_until_stopped(&path, &shared, &sender))
                .ok()
        };
        Saver {
            path: path.to_path_buf(),
            shared,
            outcomes,
            send_outcome,
            worker,
        }
    }

    /// The file this saver writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Asks for `snapshot` to be saved and returns at once. A snapshot still
    /// waiting from an earlier request is replaced: only the newest is written.
    pub fn request(&self, snapshot: Annotations) {
        if self.worker.is_none() {
            let _ = self.send_outcome.send(save_merged(&self.path, &snapshot));
            return;
        }
        let mut state = self.shared.lock();
        let replaced = state.pending.replace(snapshot);
        let superseded = state.failed.take();
        state
            .discarded
            .extend(replaced.into_iter().chain(superseded));
        self.shared.changed.notify_all();
    }

    /// The outcome of the next finished save, if there is one.
    pub fn try_result(&self) -> Option<SaveOutcome> {
        self.outcomes.try_recv().ok()
    }

    /// The outcomes of every save finished since the last call, oldest first.
    pub fn results(&self) -> impl Iterator<Item = SaveOutcome> + '_ {
        self.outcomes.try_iter()
    }

    /// Waits until every snapshot requested so far is on disk. If the last
    /// save failed it is tried once more, here, and its error returned; the
    /// outcome of a retry is also reported through [`Saver::results`].
    pub fn flush(&self) -> Result<(), StoreError> {
        let retry = {
            let mut state = self.shared.lock();
            while state.pending.is_some() || state.saving {
                state = self.shared.wait(state);
            }
            state.failed.take()
        };
        let Some(snapshot) = retry else {
            return Ok(());
        };
        match save_merged(&self.path, &snapshot) {
            Ok(saved) => {
                let _ = self.send_outcome.send(Ok(saved));
                Ok(())
            }
            Err(err) => {
                self.shared.lock().failed = Some(snapshot);
                Err(err)
            }
        }
    }
}

impl Drop for Saver {
    fn drop(&mut self) {
        let _ = self.flush();
        self.shared.lock().stopping = true;
        self.shared.changed.notify_all();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

fn save_until_stopped(path: &Path, shared: &Shared, outcomes: &Sender<SaveOutcome>) {
    // While the file is still what this thread wrote last, it is not read back.
    let mut last_written: Option<LastWritten> = None;
    loop {
        let (snapshot, discarded) = {
            let mut state = shared.lock();
            loop {
                if let Some(snapshot) = state.pending.take() {
                    state.saving = true;
                    break (snapshot, std::mem::take(&mut state.discarded));
                }
                if state.stopping {
                    return;
                }
                state = shared.wait(state);
            }
        };
        drop(discarded);
        let outcome = save_merged_remembering(path, &snapshot, &mut last_written);
        // Kept only for a retry. Let go of before the outcome is reported, so
        // that the caller, merging it, holds the only reference to its own
        // set and changes it in place rather than copying it.
        let retry = if outcome.is_err() {
            Some(snapshot)
        } else {
            drop(snapshot);
            None
        };
        // Reported before the save counts as finished, so that after a flush
        // every outcome is waiting in the channel.
        let _ = outcomes.send(outcome);
        let unused = {
            let mut state = shared.lock();
            state.saving = false;
            let unused = match retry {
                Some(snapshot) if state.pending.is_none() => state.failed.replace(snapshot),
                other => other,
            };
            shared.changed.notify_all();
            unused
        };
        drop(unused);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::annotation::{Highlight, TextAnchor};
    use crate::store::annotations::load;
    use jiff::Timestamp;

    fn highlight(n: usize) -> Highlight {
        let at = Timestamp::from_second(1_780_000_000).unwrap();
        Highlight {
            id: format!("h-{n:016x}"),
            article: "a".into(),
            text_hash: String::new(),
            anchor: TextAnchor::default(),
            placement: None,
            color: crate::annotation::Color::Blue,
            tags: Vec::new(),
            note: String::new(),
            created: at,
            updated: at,
        }
    }

    #[test]
    fn every_request_ends_up_on_disk_after_a_flush() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.ron");
        let saver = Saver::spawn(&path);
        let mut live = Annotations::new();
        for n in 0..20 {
            live.upsert(highlight(n));
            saver.request(live.clone());
        }
        saver.flush().unwrap();
        assert_eq!(load(&path).annotations, live);
        let outcomes: Vec<SaveOutcome> = saver.results().collect();
        assert!(!outcomes.is_empty() && outcomes.len() <= 20);
        assert!(outcomes.iter().all(Result::is_ok));
        assert_eq!(outcomes.last().unwrap().as_ref().unwrap().annotations, live);
    }

    #[test]
    fn dropping_the_saver_finishes_the_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.ron");
        let mut live = Annotations::new();
        live.upsert(highlight(1));
        {
            let saver = Saver::spawn(&path);
            saver.request(live.clone());
        }
        assert_eq!(load(&path).annotations, live);
    }

    #[test]
    fn a_failed_save_is_reported_and_retried_on_flush() {
        let dir = tempfile::tempdir().unwrap();
        // A plain file where the data folder should be: no user can write there.
        let blocker = dir.path().join("data");
        std::fs::write(&blocker, b"").unwrap();
        let path = blocker.join("annotations.ron");
        let saver = Saver::spawn(&path);
        let mut live = Annotations::new();
        live.upsert(highlight(1));
        saver.request(live.clone());

        let err = saver.flush().unwrap_err();
        assert!(err.to_string().contains("data"), "{err}");
        let first = saver.results().next().unwrap().unwrap_err();
        assert!(
            matches!(first, StoreError::CreateFolder { .. }),
            "{first:?}"
        );

        // Once the way is clear, the next flush writes the failed snapshot.
        std::fs::remove_file(&blocker).unwrap();
        saver.flush().unwrap();
        assert_eq!(load(&path).annotations, live);
        assert!(saver.results().next().unwrap().is_ok());
    }
}
