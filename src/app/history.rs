//! Undo and redo of every annotation change for the whole session. A change
//! records the highlight before and after; undoing writes the "before" back
//! (with a fresh `updated` time, so a merge with the file keeps the undo).

use jiff::Timestamp;

use crate::annotation::Highlight;
use crate::store::annotations::Annotations;

/// One annotation change: `None` before means created, `None` after deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub before: Option<Highlight>,
    pub after: Option<Highlight>,
}

/// The undo and redo stacks.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Change>,
    redo: Vec<Change>,
}

impl History {
    /// Applies `change` to `annotations` and remembers it; clears redo.
    pub fn apply(&mut self, annotations: &mut Annotations, change: Change, now: Timestamp) {
        write(
            annotations,
            change.before.as_ref(),
            change.after.as_ref(),
            now,
        );
        self.undo.push(change);
        self.redo.clear();
    }

    /// Undoes the last change; returns the id it touched.
    pub fn undo(&mut self, annotations: &mut Annotations, now: Timestamp) -> Option<String> {
        let change = self.undo.pop()?;
        write(
            annotations,
            change.after.as_ref(),
            change.before.as_ref(),
            now,
        );
        let id = id_of(&change);
        self.redo.push(change);
        Some(id)
    }

    /// Redoes the last undone change; returns the id it touched.
    pub fn redo(&mut self, annotations: &mut Annotations, now: Timestamp) -> Option<String> {
        let change = self.redo.pop()?;
        write(
            annotations,
            change.before.as_ref(),
            change.after.as_ref(),
            now,
        );
        let id = id_of(&change);
        self.undo.push(change);
        Some(id)
    }
}

fn id_of(change: &Change) -> String {
    change
        .after
        .as_ref()
        .or(change.before.as_ref())
        .map(|h| h.id.clone())
        .unwrap_or_default()
}

/// Replaces `from` by `to` in the store, stamping `to` as updated now, or
/// just after the time it had if that is later (a clock that was once ahead):
/// a highlight's `updated` never goes back, so a merge without a base to
/// compare with (another version of gloss) still takes the change.
fn write(
    annotations: &mut Annotations,
    from: Option<&Highlight>,
    to: Option<&Highlight>,
    now: Timestamp,
) {
    match (from, to) {
        (_, Some(to)) => {
            let mut to = to.clone();
            let last = from.map_or(to.updated, |from| from.updated.max(to.updated));
            to.updated = if now > last {
                now
            } else {
                last.checked_add(jiff::SignedDuration::from_nanos(1))
                    .unwrap_or(last)
            };
            annotations.upsert(to);
        }
        (Some(from), None) => {
            annotations.remove(&from.id, now);
        }
        (None, None) => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::annotation::{Color, TextAnchor};

    fn highlight(id: &str, color: Color) -> Highlight {
        Highlight {
            id: id.into(),
            article: "a".into(),
            text_hash: String::new(),
            anchor: TextAnchor::default(),
            placement: None,
            color,
            tags: Vec::new(),
            note: String::new(),
            created: Timestamp::UNIX_EPOCH,
            updated: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn create_change_delete_then_undo_all_and_redo_all() {
        let mut store = Annotations::new();
        let mut history = History::default();
        let t = |s: i64| Timestamp::from_second(s).unwrap();
        let created = highlight("h1", Color::Yellow);
        history.apply(
            &mut store,
            Change {
                before: None,
                after: Some(created.clone()),
            },
            t(1),
        );
        let green = highlight("h1", Color::Green);
        history.apply(
            &mut store,
            Change {
                before: Some(created.clone()),
                after: Some(green.clone()),
            },
            t(2),
        );
        history.apply(
            &mut store,
            Change {
                before: Some(green.clone()),
                after: None,
            },
            t(3),
        );
        assert!(store.get("h1").is_none());

        assert_eq!(history.undo(&mut store, t(4)).as_deref(), Some("h1"));
        assert_eq!(store.get("h1").map(|h| h.color), Some(Color::Green));
        history.undo(&mut store, t(5));
        assert_eq!(store.get("h1").map(|h| h.color), Some(Color::Yellow));
        history.undo(&mut store, t(6));
        assert!(store.get("h1").is_none());
        assert!(history.undo(&mut store, t(7)).is_none());

        history.redo(&mut store, t(8));
        history.redo(&mut store, t(9));
        assert_eq!(store.get("h1").map(|h| h.color), Some(Color::Green));
        assert!(store.get("h1").unwrap().updated >= t(9));
        history.redo(&mut store, t(10));
        assert!(store.get("h1").is_none());
        assert!(history.redo(&mut store, t(11)).is_none());
    }
}
