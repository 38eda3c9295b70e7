//! The annotations file as the app sees it while it runs: what the saver
//! reports comes back here as a message ([`App::take_report`]) and is merged
//! three ways into the live state, so a save never undoes what the person did
//! since its snapshot and a change made outside gloss (another instance,
//! `gloss highlight add`, an editor) shows without a restart. A save that
//! failed stays on screen until one succeeds, and quitting then asks first.

use std::path::PathBuf;

use super::{Action, App, Effect};
use crate::store::annotations::{Annotations, Conflict, SaverReport, Snapshot};

impl App {
    /// What to hand the saver: the highlights as they are now, and the state
    /// of the file they were made from.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            base: self.annotations_base.clone(),
            ours: self.annotations.clone(),
        }
    }

    /// Why the last save failed, while no save has succeeded since: shown
    /// on every screen until then.
    pub fn save_failure(&self) -> Option<&str> {
        self.save_failure.as_deref()
    }

    /// Whether the person chose to quit although annotations are unsaved
    /// (the process should exit with a status that says so).
    pub fn quitting_unsaved(&self) -> bool {
        self.quitting_unsaved
    }

    /// The line shown across the top of every screen while something about
    /// the annotations needs the person: a failed save, or recovery files.
    pub fn banner(&self) -> Option<String> {
        if let Some(failure) = &self.save_failure {
            return Some(format!(
                "⚠ annotations NOT saved (kept in memory, retried with every change): {failure}"
            ));
        }
        if !self.recoveries.is_empty() {
            let keys = super::help::hint::KeyHint::new(&self.keymap, super::Mode::Library)
                .key(Action::MergeRecovered, "merges them");
            let count = self.recoveries.len();
            let files = if count == 1 { "file" } else { "files" };
            let how = if keys.is_empty() {
                "gloss recover merges them".to_string()
            } else {
                format!("{} on the library, as does gloss recover", keys.join(", "))
            };
            return Some(format!(
                "{count} recovery {files} of annotations not saved before: {how}"
            ));
        }
        None
    }

    /// Takes in what the saving thread reports: a save done (merged three
    /// ways, with its snapshot as the base, since the person may have
    /// changed more meanwhile), a save failed, or the file changed by
    /// another writer (merged three ways with what the app last knew of it).
    pub fn take_report(&mut self, report: SaverReport) -> Vec<Effect> {
        match report {
            SaverReport::Saved { snapshot, saved } => {
                self.save_failure = None;
                // Saved again: a file that broke while gloss ran was fixed.
                if self.annotations_writable {
                    self.read_only_banner = None;
                }
                if let Some(notice) = saved.notice {
                    self.warnings.push(notice.to_string());
                    self.notice = Some(notice.to_string());
                }
                self.tell_conflicts(&saved.conflicts);
                let (conflicts, _) = self.merge_in(&snapshot.ours, saved.annotations);
                let mut effects = App::save_if_combined(&conflicts);
                if self.recovered.is_some() {
                    effects.push(Effect::RemoveRecovery);
                }
                effects
            }
            SaverReport::Failed { error, .. } => {
                if let Some(banner) = crate::store::annotations::unsaved_banner(&error) {
                    self.read_only_banner = Some(banner);
                }
                let message = error.to_string();
                self.notice = Some(format!("annotations not saved: {message}"));
                self.save_failure = Some(message);
                Vec::new()
            }
            SaverReport::Changed(on_disk) => {
                // The file reads as this gloss's own again (fixed by hand,
                // or no longer unreadable): changes may be saved from now on.
                if !self.annotations_writable {
                    self.annotations_writable = true;
                    self.read_only_banner = None;
                    self.notice =
                        Some("annotations.ron reads well again: changes are saved".to_string());
                    let merged =
                        Annotations::merge3(&self.annotations_base, &self.annotations, &on_disk);
                    self.annotations = merged.annotations;
                    self.annotations_base = on_disk;
                    self.after_annotation_change();
                    return Vec::new();
                }
                let base = self.annotations_base.clone();
                let (conflicts, changed) = self.merge_in(&base, on_disk);
                // A conflict, told by the merge, is what the status line
                // shows; a file rewritten as it was says nothing.
                if conflicts.is_empty() && changed > 0 {
                    let highlights = if changed == 1 {
                        "highlight"
                    } else {
                        "highlights"
                    };
                    self.notice = Some(format!(
                        "annotations.ron changed outside gloss: {changed} {highlights} taken in"
                    ));
                }
                App::save_if_combined(&conflicts)
            }
            SaverReport::ChangedUnreadable(error) => {
                let message = error.to_string();
                if !self.warnings.contains(&message) {
                    self.warnings.push(message.clone());
                }
                self.notice = Some(message);
                Vec::new()
            }
        }
    }

    /// Merges `on_disk` (made from `base`) into the live state and makes it
    /// the new base; returns the highlights both had changed.
    fn merge_in(&mut self, base: &Annotations, on_disk: Annotations) -> (Vec<Conflict>, usize) {
        let merged = Annotations::merge3(base, &self.annotations, &on_disk);
        self.annotations = merged.annotations;
        self.annotations_base = on_disk;
        self.after_annotation_change();
        self.tell_conflicts(&merged.conflicts);
        (merged.conflicts, merged.changed_ours)
    }

    /// A merge here that combined two versions made a state the file does
    /// not have yet: save it.
    fn save_if_combined(conflicts: &[Conflict]) -> Vec<Effect> {
        if conflicts.is_empty() {
            Vec::new()
        } else {
            vec![Effect::SaveAnnotations]
        }
    }

    fn tell_conflicts(&mut self, conflicts: &[Conflict]) {
        if conflicts.is_empty() {
            return;
        }
        let mut notes = 0;
        let mut chosen = Vec::new();
        for conflict in conflicts {
            for field in &conflict.fields {
                if field.field == "note" {
                    notes += 1;
                } else if field.one_kept && !chosen.contains(&field.field) {
                    chosen.push(field.field);
                }
            }
        }
        let count = conflicts.len();
        let highlights = if count == 1 {
            "highlight"
        } else {
            "highlights"
        };
        let mut parts = vec![format!(
            "{count} {highlights} changed both here and in annotations.ron"
        )];
        if notes > 0 {
            parts.push(format!(
                "{notes} note(s) keep both versions between <<<<<<< and >>>>>>> lines"
            ));
        }
        if !chosen.is_empty() {
            parts.push(format!("the later {} kept", chosen.join(", ")));
        }
        if conflicts
            .iter()
            .any(|c| c.fields.iter().any(|f| f.field == "tags"))
        {
            parts.push("tags were combined".into());
        }
        let message = parts.join("; ");
        self.warnings.push(message.clone());
        self.notice = Some(message);
    }

    /// The keys of the question asked on quitting with unsaved annotations.
    pub(super) fn update_unsaved_quit(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::RetrySave => {
                self.unsaved_prompt = false;
                self.notice = Some("saving again…".into());
                vec![Effect::SaveAnnotations]
            }
            Action::WriteRecovery => vec![Effect::WriteRecovery],
            Action::QuitAnyway => self.quit_anyway(),
            Action::Back | Action::Cancel => {
                self.unsaved_prompt = false;
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Leaves without the annotations saved: they are written to a recovery
    /// file first, unless they already were as they are.
    pub(super) fn quit_anyway(&mut self) -> Vec<Effect> {
        self.unsaved_prompt = false;
        self.quitting_unsaved = true;
        self.remember_position();
        let mut effects = vec![Effect::SavePositions];
        let written = self
            .recovered
            .as_ref()
            .is_some_and(|(_, state)| *state == self.annotations);
        if !written {
            effects.push(Effect::WriteRecovery);
        }
        effects.push(Effect::Quit);
        effects
    }

    /// The recovery file this run wrote, while it holds something no save
    /// has written since. A new one replaces it (the loop removes the old).
    pub fn recovery_file(&self) -> Option<&std::path::Path> {
        self.recovered.as_ref().map(|(path, _)| path.as_path())
    }

    /// Tells the app its recovery file was removed.
    pub fn recovery_removed(&mut self) {
        self.recovered = None;
    }

    /// Tells the app where its unsaved annotations were written, or why not.
    pub fn recovery_written(&mut self, outcome: Result<Option<PathBuf>, String>) {
        self.notice = Some(match outcome {
            Ok(Some(path)) => {
                let shown = crate::text::shown_path(&path);
                self.recovered = Some((path, self.annotations.clone()));
                format!(
                    "unsaved annotations written to {shown}; the next start offers to merge them"
                )
            }
            Ok(None) => "nothing unsaved to write".into(),
            Err(err) => format!("could not write a recovery file: {err}"),
        });
    }

    pub(super) fn merge_recovered(&mut self) -> Vec<Effect> {
        if self.recoveries.is_empty() {
            self.notice = Some("no recovery files to merge".into());
            return Vec::new();
        }
        if !self.annotations_writable {
            self.notice = Some("annotations.ron cannot be written now: recovery files kept".into());
            return Vec::new();
        }
        vec![Effect::MergeRecovered]
    }

    /// Tells the app how merging the recovery files went: those merged are
    /// forgotten, the file's new state is taken in as after a save.
    pub fn recoveries_merged(&mut self, merged: Vec<(PathBuf, Result<Annotations, String>)>) {
        let mut done = 0;
        let mut failures = Vec::new();
        for (path, outcome) in merged {
            match outcome {
                Ok(on_disk) => {
                    done += 1;
                    self.recoveries.retain(|p| p != &path);
                    let base = self.annotations_base.clone();
                    let _ = self.merge_in(&base, on_disk);
                }
                Err(err) => failures.push(err),
            }
        }
        self.notice = Some(match failures.first() {
            None => format!("{done} recovery file(s) merged into annotations.ron"),
            Some(err) => format!("{done} merged; not merged: {err}"),
        });
        self.warnings.extend(failures);
    }
}
