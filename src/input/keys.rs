//! Key chords as data: parsed from and printed as the names people write in a
//! keymap (`j`, `Down`, `Ctrl-r`, `PgDn`), so defaults, config files and the help
//! screen all speak the same words.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key with its modifiers, normalized so that `G` and `Shift-g` compare equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyChord {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

/// Why a key name could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown key '{0}': use a character, or one of Enter, Esc, Tab, Backspace, Space, Up, Down, Left, Right, PgUp, PgDn, Home, End, F1-F12, with optional Ctrl- or Alt-"
)]
pub struct KeyNameError(pub String);

const NAMED: &[(&str, KeyCode)] = &[
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Backspace", KeyCode::Backspace),
    ("Space", KeyCode::Char(' ')),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("PgUp", KeyCode::PageUp),
    ("PgDn", KeyCode::PageDown),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("Delete", KeyCode::Delete),
];

impl KeyChord {
    /// A chord from a terminal key event.
    pub fn from_event(event: KeyEvent) -> KeyChord {
        KeyChord::new(event.code, event.modifiers)
    }

    /// Builds a normalized chord: Shift is folded into the character itself.
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> KeyChord {
        let keep = KeyModifiers::CONTROL | KeyModifiers::ALT;
        let modifiers = match code {
            KeyCode::Char(_) => modifiers & keep,
            _ => modifiers & (keep | KeyModifiers::SHIFT),
        };
        let code = match code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        KeyChord { code, modifiers }
    }

    /// Parses a key name such as `j`, `G`, `?`, `Ctrl-r`, `PgDn` or `F1`.
    pub fn parse(name: &str) -> Result<KeyChord, KeyNameError> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = name;
        loop {
            if let Some(r) = rest.strip_prefix("Ctrl-") {
                modifiers |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("Alt-") {
                modifiers |= KeyModifiers::ALT;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("Shift-") {
                modifiers |= KeyModifiers::SHIFT;
                rest = r;
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => {
                if let Some((_, code)) = NAMED.iter().find(|(n, _)| *n == rest) {
                    *code
                } else if let Some(n) = rest.strip_prefix('F').and_then(|n| n.parse::<u8>().ok())
                    && (1..=12).contains(&n)
                {
                    KeyCode::F(n)
                } else {
                    return Err(KeyNameError(name.to_string()));
                }
            }
        };
        Ok(KeyChord::new(code, modifiers))
    }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        if let Some((name, _)) = NAMED.iter().find(|(_, code)| *code == self.code) {
            return f.write_str(name);
        }
        match self.code {
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in [
            "j", "G", "?", "Ctrl-r", "Ctrl-c", "PgDn", "PgUp", "Space", "Esc", "F5", "Alt-x", "Up",
        ] {
            let chord = KeyChord::parse(name).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(chord.to_string(), name);
        }
    }

    #[test]
    fn shift_is_folded_into_characters() {
        let from_terminal = KeyChord::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(
            from_terminal,
            KeyChord::parse("G").unwrap_or_else(|e| panic!("{e}"))
        );
        let ctrl_upper = KeyChord::new(
            KeyCode::Char('R'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(
            ctrl_upper,
            KeyChord::parse("Ctrl-r").unwrap_or_else(|e| panic!("{e}"))
        );
    }

    #[test]
    fn unknown_names_are_errors() {
        assert!(KeyChord::parse("Hyper-x").is_err());
        assert!(KeyChord::parse("F13").is_err());
        assert!(KeyChord::parse("").is_err());
    }
}
