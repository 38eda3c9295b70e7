//! Turning terminal events into [`Action`]s: key names, the keymap table, and
//! the translation of mouse, paste and resize events.

mod keymap;
mod keys;

pub use keymap::{Binding, KeyOverride, Keymap, KeymapError};
pub use keys::{KeyChord, KeyNameError};

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use crate::app::{Action, Mode};

/// The actions for one terminal event in `mode`: usually one, none for an
/// unbound key, one per character for a paste into a typing mode.
pub fn translate(keymap: &Keymap, mode: Mode, event: &Event) -> Vec<Action> {
    match event {
        Event::Paste(text) if mode.is_typing() => paste(mode, text),
        _ => translate_one(keymap, mode, event).into_iter().collect(),
    }
}

/// Pasted text as typed characters; line breaks start new lines in a note
/// and become spaces in one-line inputs. Terminals end pasted lines with CR
/// (xterm, VTE, tmux `paste-buffer -p`), CRLF or LF: each is one line break.
fn paste(mode: Mode, text: &str) -> Vec<Action> {
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
            '\n' if mode == Mode::NoteEditor => Action::NewLine,
            c if c.is_control() => Action::InsertChar(' '),
            c => Action::InsertChar(c),
        });
    }
    actions
}

fn translate_one(keymap: &Keymap, mode: Mode, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            let chord = KeyChord::from_event(*key);
            if let Some(action) = keymap.lookup(mode, chord) {
                return Some(action);
            }
            match key.code {
                KeyCode::Char(c)
                    if mode.is_typing()
                        && !key
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    Some(Action::InsertChar(c))
                }
                _ => None,
            }
        }
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::ScrollDown => Some(Action::ScrollDown),
            MouseEventKind::ScrollUp => Some(Action::ScrollUp),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: mouse.column,
                row: mouse.row,
            }),
            _ => None,
        },
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pasted(mode: Mode, text: &str) -> Vec<Action> {
        translate(&Keymap::defaults(), mode, &Event::Paste(text.to_string()))
    }

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
        assert_eq!(
            pasted(Mode::NoteEditor, "a\rb\r\nc\nd\r\re"),
            typed("a\nb\nc\nd\n\ne")
        );
    }

    #[test]
    fn line_breaks_pasted_into_a_one_line_input_are_spaces() {
        let spaces: Vec<Action> = "a b c d".chars().map(Action::InsertChar).collect();
        for mode in [Mode::TagInput, Mode::ReaderFilter, Mode::LibraryFilter] {
            assert_eq!(pasted(mode, "a\rb\r\nc\nd"), spaces, "{mode:?}");
        }
    }
}
