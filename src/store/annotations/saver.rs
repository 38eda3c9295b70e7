//! Saving on a thread of its own, so that writing 100,000 highlights never
//! makes the person wait: a request hands over a snapshot and returns at once,
//! and only the newest snapshot waiting is written. The same thread looks at
//! the file when asked and reads it again when another writer changed it.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use super::Annotations;
use super::file::{Saved, save_merged_from, save_merged_remembering};
use super::known::{FileStamp, KnownFile, read_if_changed};
use crate::store::StoreError;

/// The highlights to save and the state of the file they were made from
/// (what the caller last read or was told was saved): the base of the
/// three-way merge with the file (see [`Annotations::merge3`]).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub base: Annotations,
    pub ours: Annotations,
}

/// What the saving thread has to tell.
#[derive(Debug)]
pub enum SaverReport {
    /// `snapshot` was saved; `saved` is what the file holds now. Merge it
    /// into the live state three ways, with the snapshot's highlights as the
    /// base, since the person may have changed more since the snapshot.
    Saved { snapshot: Snapshot, saved: Saved },
    /// `snapshot` could not be saved. Until a save succeeds, what it holds is
    /// only in memory; a later request carries it too.
    Failed {
        snapshot: Snapshot,
        error: StoreError,
    },
    /// Another writer changed the file (another gloss, a command, an
    /// editor); this is what it holds now.
    Changed(Annotations),
    /// Another writer changed the file and it cannot be read as it is.
    ChangedUnreadable(StoreError),
}

/// Writes snapshots of the annotations to one file in the background.
///
/// Everything the thread finds is reported through [`Saver::results`]. Dropping
/// the saver waits for the last save.
#[derive(Debug)]
pub struct Saver {
    path: PathBuf,
    shared: Arc<Shared>,
    reports: Receiver<SaverReport>,
    /// For saves done outside the thread: a retry on flush, or every save when
    /// the thread could not be started.
    send_report: Sender<SaverReport>,
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
    pending: Option<Snapshot>,
    /// The snapshot of the last save if it failed and nothing newer was asked
    /// for since: [`Saver::flush`] tries it once more.
    failed: Option<Snapshot>,
    /// Snapshots replaced before they were saved. Freeing 100,000 highlights
    /// takes milliseconds, so the thread does it, not the caller of `request`.
    discarded: Vec<Snapshot>,
    /// Asked to see whether another writer changed the file.
    look: bool,
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
    /// Starts the saving thread for the file at `path`, which it has not read.
    pub fn spawn(path: &Path) -> Saver {
        Saver::spawn_knowing(path, None)
    }

    /// Starts the saving thread for the file at `path`, which held `known`
    /// when it was read (so that it is not read again until it changes).
    pub fn spawn_knowing(path: &Path, known: Option<KnownFile>) -> Saver {
        let shared = Arc::new(Shared::default());
        let (send_report, reports) = channel();
        let worker = {
            let shared = Arc::clone(&shared);
            let sender = send_report.clone();
            let path = path.to_path_buf();
            std::thread::Builder::new()
                .name("gloss-save".into())
                .spawn(move || save_until_stopped(&path, known, &shared, &sender))
                .ok()
        };
        Saver {
            path: path.to_path_buf(),
            shared,
            reports,
            send_report,
            worker,
        }
    }

    /// The file this saver writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Asks for `snapshot` to be saved and returns at once. A snapshot still
    /// waiting from an earlier request is replaced: only the newest is written.
    pub fn request(&self, snapshot: Snapshot) {
        if self.worker.is_none() {
            let _ = self.send_report.send(save_here(&self.path, snapshot));
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

    /// Asks the thread to see whether another writer changed the file, and
    /// to report what it holds if so ([`SaverReport::Changed`]). Cheap: a
    /// look at the file's size, times and inode, unless it changed.
    pub fn look_for_changes(&self) {
        if self.worker.is_none() {
            return;
        }
        self.shared.lock().look = true;
        self.shared.changed.notify_all();
    }

    /// The next report, if there is one.
    pub fn try_result(&self) -> Option<SaverReport> {
        self.reports.try_recv().ok()
    }

    /// Every report since the last call, oldest first.
    pub fn results(&self) -> impl Iterator<Item = SaverReport> + '_ {
        self.reports.try_iter()
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
        match save_merged_from(&self.path, &snapshot.base, &snapshot.ours) {
            Ok(saved) => {
                let _ = self
                    .send_report
                    .send(SaverReport::Saved { snapshot, saved });
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

/// A save on the caller's thread, reported as the thread would.
fn save_here(path: &Path, snapshot: Snapshot) -> SaverReport {
    match save_merged_from(path, &snapshot.base, &snapshot.ours) {
        Ok(saved) => SaverReport::Saved { snapshot, saved },
        Err(error) => SaverReport::Failed { snapshot, error },
    }
}

/// One piece of work for the thread.
enum Work {
    Save(Snapshot, Vec<Snapshot>),
    Look,
}

fn save_until_stopped(
    path: &Path,
    known: Option<KnownFile>,
    shared: &Shared,
    reports: &Sender<SaverReport>,
) {
    // While the file is still what this thread read or wrote last, it is not
    // read back.
    let mut known = known;
    // The stamp of a changed file that could not be read, told once.
    let mut told_unreadable: Option<FileStamp> = None;
    loop {
        let work = {
            let mut state = shared.lock();
            loop {
                if let Some(snapshot) = state.pending.take() {
                    state.saving = true;
                    state.look = false;
                    break Work::Save(snapshot, std::mem::take(&mut state.discarded));
                }
                if std::mem::take(&mut state.look) {
                    break Work::Look;
                }
                if state.stopping {
                    return;
                }
                state = shared.wait(state);
            }
        };
        let (snapshot, discarded) = match work {
            Work::Look => {
                match read_if_changed(path, &mut known, &mut told_unreadable) {
                    Some(Ok(annotations)) => {
                        let _ = reports.send(SaverReport::Changed(annotations));
                    }
                    Some(Err(err)) => {
                        let _ = reports.send(SaverReport::ChangedUnreadable(err));
                    }
                    None => {}
                }
                continue;
            }
            Work::Save(snapshot, discarded) => (snapshot, discarded),
        };
        drop(discarded);
        let outcome = save_merged_remembering(path, &snapshot.base, &snapshot.ours, &mut known);
        let (report, retry) = match outcome {
            Ok(saved) => (SaverReport::Saved { snapshot, saved }, None),
            Err(error) => (
                SaverReport::Failed {
                    snapshot: snapshot.clone(),
                    error,
                },
                Some(snapshot),
            ),
        };
        // Reported before the save counts as finished, so that after a flush
        // every report is waiting in the channel.
        let _ = reports.send(report);
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

    /// Everything in `live` is new: its base is empty.
    fn snapshot(live: &Annotations) -> Snapshot {
        Snapshot {
            base: Annotations::new(),
            ours: live.clone(),
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
            saver.request(snapshot(&live));
        }
        saver.flush().unwrap();
        assert_eq!(load(&path).annotations, live);
        let saved: Vec<Annotations> = saver
            .results()
            .map(|report| match report {
                SaverReport::Saved { saved, .. } => saved.annotations,
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(!saved.is_empty() && saved.len() <= 20);
        assert_eq!(saved.last().unwrap(), &live);
    }

    #[test]
    fn dropping_the_saver_finishes_the_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.ron");
        let mut live = Annotations::new();
        live.upsert(highlight(1));
        {
            let saver = Saver::spawn(&path);
            saver.request(snapshot(&live));
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
        saver.request(snapshot(&live));

        let err = saver.flush().unwrap_err();
        assert!(err.to_string().contains("data"), "{err}");
        let first = saver.results().next().unwrap();
        assert!(
            matches!(
                first,
                SaverReport::Failed {
                    error: StoreError::CreateFolder { .. },
                    ..
                }
            ),
            "{first:?}"
        );

        // Once the way is clear, the next flush writes the failed snapshot.
        std::fs::remove_file(&blocker).unwrap();
        saver.flush().unwrap();
        assert_eq!(load(&path).annotations, live);
        assert!(matches!(
            saver.results().next().unwrap(),
            SaverReport::Saved { .. }
        ));
    }
}
