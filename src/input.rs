//! Turning terminal events into [`Action`]s: key names, the keymap table, and
//! the translation of mouse and resize events.

mod keymap;
mod keys;

pub use keymap::{Binding, KeyOverride, Keymap, KeymapError};
pub use keys::{KeyChord, KeyNameError};

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use crate::app::{Action, Mode};

/// The actions for one terminal event in `mode`: usually one, none for an
/// unbound key. A paste is no action: it is one edit, [`App::paste`].
///
/// [`App::paste`]: crate::app::App::paste
pub fn translate(keymap: &Keymap, mode: Mode, event: &Event) -> Vec<Action> {
    translate_one(keymap, mode, event).into_iter().collect()
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
