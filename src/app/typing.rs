//! Text typed or pasted into a one-line input (the library's and the reader's
//! filter, the help search, a tag): one edit however long the text, so that a
//! paste filters once rather than once per character, and a line that never
//! grows past [`MAX_LINE_CHARS`], so that no query makes the filter crawl.

use super::{Action, App, Effect, Mode, Overlay};

/// The most characters a one-line input holds: far more than any query or
/// tag, and few enough that filtering a large library with it stays quick.
pub const MAX_LINE_CHARS: usize = 1000;

impl App {
    /// A paste from the terminal (a bracketed paste), as one edit. Into a
    /// note, its lines are typed as lines (CR, CRLF and LF each break one);
    /// into a one-line input, the text is added once with its line breaks and
    /// controls as spaces, cut at [`MAX_LINE_CHARS`] with a notice; anywhere
    /// else it is ignored.
    pub fn paste(&mut self, text: &str) -> Vec<Effect> {
        match self.mode() {
            Mode::NoteEditor => {
                let mut effects = Vec::new();
                for action in note_actions(text) {
                    effects.extend(self.update(action));
                }
                effects
            }
            mode if mode.is_typing() => {
                self.notice = None;
                self.type_text(one_line(text));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Adds `text` to the one-line input being typed into and answers it
    /// once (the library filters once, the help scrolls back to the top).
    pub(super) fn type_text(&mut self, text: impl Iterator<Item = char>) {
        let (input, cut) = match self.mode() {
            Mode::LibraryFilter => {
                let before = self.shelf.filter.len();
                let cut = append_capped(&mut self.shelf.filter, text);
                if self.shelf.filter.len() != before {
                    self.refilter_shelf();
                }
                ("filter", cut)
            }
            Mode::ReaderFilter => ("filter", self.type_into_reader_filter(text)),
            Mode::HelpSearch => {
                let Some(Overlay::Help { scroll, search }) = self.overlay.as_mut() else {
                    return;
                };
                *scroll = 0;
                ("search", append_capped(&mut search.query, text))
            }
            Mode::TagInput => {
                let Some(tagging) = self.tag_input.as_mut() else {
                    return;
                };
                tagging.completing = None;
                ("tag", append_capped(&mut tagging.input, text))
            }
            _ => return,
        };
        if cut {
            self.notice = Some(format!(
                "the {input} holds {MAX_LINE_CHARS} characters at most: the rest was left out"
            ));
        }
    }
}

/// Appends the characters of `text` to `line` until it holds
/// [`MAX_LINE_CHARS`]; whether some were left out. Stops reading `text` there,
/// so a huge paste costs no more than a short one.
pub(super) fn append_capped(line: &mut String, text: impl Iterator<Item = char>) -> bool {
    let mut room = MAX_LINE_CHARS.saturating_sub(line.chars().count());
    for c in text {
        if room == 0 {
            return true;
        }
        line.push(c);
        room -= 1;
    }
    false
}

/// Pasted text for a one-line input: each line break (CR, CRLF or LF) and
/// every other control character becomes a space.
fn one_line(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = text.chars().peekable();
    std::iter::from_fn(move || {
        let c = chars.next()?;
        if c == '\r' {
            chars.next_if_eq(&'\n');
        }
        Some(if c.is_control() { ' ' } else { c })
    })
}

/// Pasted text for the note editor, as typed: line breaks (CR, CRLF or LF,
/// as terminals send them) start new lines, other controls become spaces.
fn note_actions(text: &str) -> Vec<Action> {
    let mut actions = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let c = if c == '\r' {
            chars.next_if_eq(&'\n');
            '\n'
        } else {
            c
        };
        actions.push(match c {
            '\n' => Action::NewLine,
            c if c.is_control() => Action::InsertChar(' '),
            c => Action::InsertChar(c),
        });
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cr_crlf_and_lf_in_a_paste_are_each_one_line_break() {
        let typed = |text: &str| -> Vec<Action> {
            text.chars()
                .map(|c| match c {
                    '\n' => Action::NewLine,
                    c => Action::InsertChar(c),
                })
                .collect()
        };
        assert_eq!(note_actions("a\rb\r\nc\nd\r\re"), typed("a\nb\nc\nd\n\ne"));
    }

    #[test]
    fn line_breaks_and_controls_pasted_into_a_one_line_input_are_spaces() {
        assert_eq!(one_line("a\rb\r\nc\nd\te").collect::<String>(), "a b c d e");
    }

    #[test]
    fn a_line_stops_growing_at_its_limit() {
        let mut line = "é".repeat(MAX_LINE_CHARS - 2);
        assert!(!append_capped(&mut line, "ab".chars()));
        assert!(append_capped(&mut line, "c".chars()));
        assert_eq!(line.chars().count(), MAX_LINE_CHARS);
        assert!(line.ends_with("ab"));
    }
}
