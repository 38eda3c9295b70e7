//! How highlights are made and changed from the reader: selecting sentences,
//! highlighting in colours, tagging with completion, writing notes, deleting,
//! undo and redo. Every change goes through [`App::change`], which records it
//! for undo, places the highlights again and asks for a save.

use jiff::Timestamp;

use super::filter::ReaderFilter;
use super::help::hint::{KeyHint, bound_keys};
use super::history::Change;
use super::marks::{selection_range, sentence_range};
use super::note_editor::NoteEditor;
use super::{Action, App, Cursor, Effect, Mode, NoteDraft, Reader, TagInput};
use crate::annotation::tag::{parse_tag_list, tag_key};
use crate::annotation::{Highlight, new_highlight};
use crate::input::Keymap;
use crate::library::{Article, Block};

impl App {
    /// The reader's annotation keys. Returns `None` for other actions.
    pub(super) fn annotate(&mut self, action: Action) -> Option<Vec<Effect>> {
        let effects = match action {
            Action::Select => {
                let reader = self.reader.as_mut()?;
                reader.selection = match reader.selection {
                    Some(_) => None,
                    None => Some(reader.cursor),
                };
                Vec::new()
            }
            Action::Highlight => self.highlight(),
            Action::Tag => {
                if let Some(h) = self.highlight_at_cursor() {
                    self.start_tagging(&h);
                }
                Vec::new()
            }
            Action::Note => {
                if let Some(h) = self.highlight_at_cursor() {
                    self.start_note(&h);
                }
                Vec::new()
            }
            Action::DeleteHighlight => match self.highlight_at_cursor() {
                Some(h) => self.delete(&h),
                None => Vec::new(),
            },
            Action::AcceptPlacement => match self.highlight_at_cursor() {
                Some(h) => self.accept_placement(&h),
                None => Vec::new(),
            },
            Action::Undo => self.undo_or_redo(true),
            Action::Redo => self.undo_or_redo(false),
            _ => return None,
        };
        Some(effects)
    }

    /// The highlight under the reading cursor, or a notice that there is none.
    fn highlight_at_cursor(&mut self) -> Option<Highlight> {
        let reader = self.reader.as_ref()?;
        let article = self.library.articles.get(reader.article)?;
        let found = reader
            .marks
            .at_cursor(article, reader.cursor)
            .and_then(|p| self.annotations.get(&p.id))
            .cloned();
        if found.is_none() {
            let hint = KeyHint::new(&self.keymap, Mode::Reader)
                .key(Action::Highlight, "highlights the sentence");
            self.notice = Some(hint.explaining("no highlight here"));
        }
        found
    }

    /// `h`: a new highlight of the selection or sentence; on an existing
    /// highlight (and no selection), its next colour.
    fn highlight(&mut self) -> Vec<Effect> {
        let Some(reader) = self.reader.as_mut() else {
            return Vec::new();
        };
        let Some(article) = self.library.articles.get(reader.article) else {
            return Vec::new();
        };
        let now = Timestamp::now();
        if reader.selection.is_none()
            && let Some(placed) = reader.marks.at_cursor(article, reader.cursor)
            && let Some(existing) = self.annotations.get(&placed.id).cloned()
        {
            let mut recoloured = existing.clone();
            recoloured.color = existing.color.next();
            self.color = recoloured.color;
            self.notice = Some(format!("highlight is now {}", recoloured.color.name()));
            return self.change(
                Change {
                    before: Some(existing),
                    after: Some(recoloured),
                },
                now,
            );
        }
        let from = reader.selection.unwrap_or(reader.cursor);
        let hidden = hidden_passages_between(reader, article, from, reader.cursor);
        if hidden > 0 {
            // A highlight is one continuous quote: one over a gap would hold
            // text the person never saw. The selection stays, to be shrunk.
            let passages = if hidden == 1 { "passage" } else { "passages" };
            let hint = KeyHint::new(&self.keymap, Mode::Reader)
                .key(Action::Select, "drops the selection")
                .key(Action::ClearFilter, "shows the whole article");
            self.notice = Some(hint.explaining(&format!(
                "not highlighted: the selection spans {hidden} {passages} the filter hides"
            )));
            return Vec::new();
        }
        reader.selection = None;
        let range = selection_range(article, &reader.plain, from, reader.cursor)
            .or_else(|| sentence_range(article, reader.cursor));
        let Some(range) = range else {
            return Vec::new();
        };
        if let Some(same) = reader.marks.placed.iter().find(|p| p.range == range) {
            let same = same.id.clone();
            let hint = KeyHint::new(&self.keymap, Mode::Reader)
                .key(Action::Tag, "tag")
                .key(Action::Note, "note");
            self.notice = Some(hint.after("already highlighted"));
            return self.select_highlight(&same);
        }
        let created = new_highlight(article, &reader.plain, range, self.color, now);
        let hint = KeyHint::new(&self.keymap, Mode::Reader)
            .key(Action::Tag, "tag")
            .key(Action::Note, "note")
            .key(Action::DeleteHighlight, "delete")
            .key(Action::Undo, "undo");
        self.notice = Some(hint.after(&format!("highlighted in {}", self.color.name())));
        self.change(
            Change {
                before: None,
                after: Some(created),
            },
            now,
        )
    }

    /// Puts the cursor on the first sentence of highlight `id`, so the keys
    /// that act on the highlight under the cursor act on it.
    fn select_highlight(&mut self, id: &str) -> Vec<Effect> {
        let start = self
            .reader
            .as_ref()
            .and_then(|r| r.marks.placed.iter().find(|p| p.id == id))
            .map(|p| p.range.start);
        if let Some(start) = start {
            self.go_to_plain_offset(start);
        }
        Vec::new()
    }

    pub(super) fn delete(&mut self, highlight: &Highlight) -> Vec<Effect> {
        let hint = KeyHint::new(&self.keymap, self.mode()).key(Action::Undo, "brings it back");
        self.notice = Some(hint.after("highlight deleted"));
        self.change(
            Change {
                before: Some(highlight.clone()),
                after: None,
            },
            Timestamp::now(),
        )
    }

    pub(super) fn undo_or_redo(&mut self, undo: bool) -> Vec<Effect> {
        if !self.annotations_writable {
            self.notice = Some(read_only_notice(&self.keymap));
            return Vec::new();
        }
        let now = Timestamp::now();
        let touched = if undo {
            self.history.undo(&mut self.annotations, now)
        } else {
            self.history.redo(&mut self.annotations, now)
        };
        if touched.is_none() {
            self.notice = Some(
                if undo {
                    "nothing to undo"
                } else {
                    "nothing to redo"
                }
                .to_string(),
            );
            return Vec::new();
        }
        self.notice = Some(if undo { "undone" } else { "redone" }.to_string());
        self.after_annotation_change();
        vec![Effect::SaveAnnotations]
    }

    /// Records `change`, places the highlights again and asks for a save.
    pub(super) fn change(&mut self, change: Change, now: Timestamp) -> Vec<Effect> {
        if !self.annotations_writable {
            self.notice = Some(read_only_notice(&self.keymap));
            return Vec::new();
        }
        self.history.apply(&mut self.annotations, change, now);
        self.after_annotation_change();
        vec![Effect::SaveAnnotations]
    }

    /// Places the open article's highlights again and refreshes what depends on them.
    pub(super) fn after_annotation_change(&mut self) {
        self.annotation_index = crate::annotation::AnnotationIndex::build(self.annotations.iter());
        let geometry = self.geometry();
        let (library, annotations) = (&self.library, &self.annotations);
        if let Some(reader) = self.reader.as_mut()
            && let Some(article) = library.articles.get(reader.article)
        {
            reader.refresh_marks(article, annotations);
            if let Some(filter) = reader.filter.as_mut()
                && filter.query.uses_annotations()
            {
                filter.recompute_with(article, &reader.marks);
                reader.reveal_cursor(article, geometry);
            }
        }
    }

    pub(super) fn start_tagging(&mut self, highlight: &Highlight) {
        let mut input = highlight.tags.join(", ");
        if !input.is_empty() {
            input.push_str(", ");
        }
        self.tag_input = Some(TagInput {
            id: highlight.id.clone(),
            input,
            completing: None,
        });
    }

    pub(super) fn start_note(&mut self, highlight: &Highlight) {
        self.note = Some(NoteDraft {
            id: highlight.id.clone(),
            editor: NoteEditor::new(&highlight.note),
            leaving: false,
        });
    }

    pub(super) fn update_tag_input(&mut self, action: Action) -> Vec<Effect> {
        let Some(tagging) = self.tag_input.as_mut() else {
            return Vec::new();
        };
        match action {
            Action::DeleteChar => {
                tagging.input.pop();
                tagging.completing = None;
            }
            Action::Complete => {
                let known: Vec<String> = self
                    .annotations
                    .tags()
                    .into_iter()
                    .map(|t| t.name)
                    .collect();
                complete(tagging, &known);
            }
            Action::Cancel => self.tag_input = None,
            Action::Confirm => {
                let Some(tagging) = self.tag_input.take() else {
                    return Vec::new();
                };
                let Some(before) = self.annotations.get(&tagging.id).cloned() else {
                    return Vec::new();
                };
                let mut after = before.clone();
                after.tags = parse_tags(&tagging.input);
                if after.tags == before.tags {
                    return Vec::new();
                }
                self.notice = Some(match after.tags.len() {
                    0 => "tags removed".to_string(),
                    _ => format!("tagged {}", after.tags.join(", ")),
                });
                return self.change(
                    Change {
                        before: Some(before),
                        after: Some(after),
                    },
                    Timestamp::now(),
                );
            }
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn update_note(&mut self, action: Action) -> Vec<Effect> {
        let width = self.note_width();
        let Some(draft) = self.note.as_mut() else {
            return Vec::new();
        };
        if draft.leaving {
            match action {
                Action::SaveNote => return self.save_note(),
                Action::DiscardNote => {
                    self.note = None;
                    self.notice = Some("note changes discarded".to_string());
                }
                Action::Cancel => draft.leaving = false,
                _ => {}
            }
            return Vec::new();
        }
        let editor = &mut draft.editor;
        editor.set_width(width);
        match action {
            Action::InsertChar(_) if editor.is_full() => {
                self.notice = Some("the note is at its size limit (1 MiB)".to_string());
            }
            Action::InsertChar(c) => editor.insert_char(c),
            Action::NewLine => editor.newline(),
            Action::DeleteChar => editor.backspace(),
            Action::DeleteForward => editor.delete(),
            Action::CursorLeft => editor.left(),
            Action::CursorRight => editor.right(),
            Action::CursorUp => editor.up(width),
            Action::CursorDown => editor.down(width),
            Action::LineStart => editor.home(),
            Action::LineEnd => editor.end(),
            // A changed draft is never dropped without asking.
            Action::Cancel if editor.is_changed() => draft.leaving = true,
            Action::Cancel | Action::DiscardNote => {
                self.note = None;
                self.notice = Some("note not changed".to_string());
            }
            Action::SaveNote => return self.save_note(),
            _ => {}
        }
        Vec::new()
    }

    /// Saves the draft as the highlight's note and closes the editor.
    fn save_note(&mut self) -> Vec<Effect> {
        let Some(draft) = self.note.take() else {
            return Vec::new();
        };
        let Some(before) = self.annotations.get(&draft.id).cloned() else {
            self.notice = Some("the highlight was deleted meanwhile: note not saved".to_string());
            return Vec::new();
        };
        let mut after = before.clone();
        after.note = draft.editor.text().trim_end().to_string();
        if after.note == before.note {
            self.notice = Some("note not changed".to_string());
            return Vec::new();
        }
        self.notice = Some("note saved".to_string());
        self.change(
            Change {
                before: Some(before),
                after: Some(after),
            },
            Timestamp::now(),
        )
    }

    /// Width of the note editor's text, as the view lays it out.
    pub fn note_width(&self) -> usize {
        super::geometry::note_text_width(self.area)
    }
}

/// How many passages between the sentences at `a` and `b` (either order) the
/// reader's keyword filter hides: text inside a selection the person did not
/// see.
fn hidden_passages_between(reader: &Reader, article: &Article, a: Cursor, b: Cursor) -> usize {
    let Some(shown) = reader.filter.as_ref().and_then(ReaderFilter::shown) else {
        return 0;
    };
    let (first, last) = if a <= b { (a, b) } else { (b, a) };
    (first.block..=last.block)
        .filter(|&block| {
            article.blocks.get(block).is_some_and(Block::is_passage)
                && shown.binary_search(&block).is_err()
        })
        .count()
}

/// Why nothing changes, and the library key that shows the file's problem.
fn read_only_notice(keymap: &Keymap) -> String {
    let notice = "annotations are read-only until the file is fixed (`gloss repair`, or by hand) or gloss is updated";
    let rows = keymap.help_rows(Mode::Library);
    match bound_keys(&rows, Action::ShowWarnings).first() {
        Some(key) => format!("{notice} (see {key})"),
        None => notice.to_string(),
    }
}

/// Tags from comma-separated input, as [`crate::annotation::tag`] keeps them:
/// trimmed, sanitized, without empty ones and each tag once (first spelling
/// kept).
pub fn parse_tags(input: &str) -> Vec<String> {
    parse_tag_list(input)
}

/// Tab: replaces the word being typed (after the last comma) with the next
/// known tag that starts with it and is not already in the input.
fn complete(tagging: &mut TagInput, known: &[String]) {
    let (head, word) = match tagging.input.rfind(',') {
        Some(i) => (
            tagging.input[..=i].to_string(),
            tagging.input[i + 1..].trim_start().to_string(),
        ),
        None => (String::new(), tagging.input.trim_start().to_string()),
    };
    let (prefix, next) = match &tagging.completing {
        Some((prefix, shown)) => (prefix.clone(), shown + 1),
        None => (word.clone(), 0),
    };
    let taken: Vec<String> = parse_tags(&head).iter().map(|t| tag_key(t)).collect();
    let typed = tag_key(&prefix);
    let candidates: Vec<&String> = known
        .iter()
        .filter(|t| {
            let key = tag_key(t);
            key.starts_with(&typed) && !taken.contains(&key)
        })
        .collect();
    if candidates.is_empty() {
        return;
    }
    let index = next % candidates.len();
    let space = if head.is_empty() { "" } else { " " };
    tagging.input = format!("{head}{space}{}", candidates[index]);
    tagging.completing = Some((prefix, index));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_split_trimmed_and_deduplicated() {
        assert_eq!(
            parse_tags(" funding, Mobility ,, funding ,mobility, \u{1b}[31mred"),
            vec!["funding", "Mobility", "red"]
        );
        assert!(parse_tags(" , ").is_empty());
    }

    #[test]
    fn tab_cycles_through_matching_tags_not_yet_used() {
        let known = vec![
            "funding".to_string(),
            "fun".to_string(),
            "metrics".to_string(),
        ];
        let mut t = TagInput {
            id: "h".into(),
            input: "metrics, fu".into(),
            completing: None,
        };
        complete(&mut t, &known);
        assert_eq!(t.input, "metrics, funding");
        complete(&mut t, &known);
        assert_eq!(t.input, "metrics, fun");
        complete(&mut t, &known);
        assert_eq!(t.input, "metrics, funding");
        let mut t = TagInput {
            id: "h".into(),
            input: "m".into(),
            completing: None,
        };
        complete(&mut t, &known);
        assert_eq!(t.input, "metrics");
        let mut t = TagInput {
            id: "h".into(),
            input: "metrics, me".into(),
            completing: None,
        };
        complete(&mut t, &known);
        assert_eq!(
            t.input, "metrics, me",
            "a tag already given is not offered again"
        );
    }
}
