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
    "unknown key '{0}': use a character, or one of Enter, Esc, Tab, BackTab, Backspace, Delete, Space, Up, Down, Left, Right, PgUp, PgDn, Home, End, F1-F12, with optional Ctrl-, Alt- or Shift-"
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

/// Other names people write for the same keys (matched ignoring case).
const ALIASES: &[(&str, KeyCode)] = &[
    ("Escape", KeyCode::Esc),
    ("Return", KeyCode::Enter),
    ("Del", KeyCode::Delete),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
];

/// Modifier prefixes, matched ignoring case.
const MODIFIERS: &[(&str, KeyModifiers)] = &[
    ("Ctrl-", KeyModifiers::CONTROL),
    ("Alt-", KeyModifiers::ALT),
    ("Shift-", KeyModifiers::SHIFT),
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

    /// `Ctrl-` and a character.
    pub fn ctrl(c: char) -> KeyChord {
        KeyChord::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    /// Parses a key name such as `j`, `G`, `?`, `Ctrl-r`, `PgDn` or `F1`.
    /// Modifiers and key names ignore case (`ctrl-r`, `pgdn`); a single
    /// character does not (`g` and `G` differ), and `Shift-g` is `G`.
    pub fn parse(name: &str) -> Result<KeyChord, KeyNameError> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = name;
        while let Some((prefix, modifier)) = MODIFIERS
            .iter()
            .find(|(prefix, _)| starts_with_ignoring_case(rest, prefix))
            // `-` after a modifier is the minus key itself: `Ctrl--`.
            .filter(|(prefix, _)| rest.len() > prefix.len())
        {
            modifiers |= *modifier;
            rest = &rest[prefix.len()..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if modifiers.contains(KeyModifiers::SHIFT) => {
                KeyCode::Char(c.to_uppercase().next().unwrap_or(c))
            }
            (Some(c), None) => KeyCode::Char(c),
            _ => {
                if let Some((_, code)) = NAMED
                    .iter()
                    .chain(ALIASES)
                    .find(|(n, _)| n.eq_ignore_ascii_case(rest))
                {
                    *code
                } else if let Some(n) = rest
                    .strip_prefix(['F', 'f'])
                    .and_then(|n| n.parse::<u8>().ok())
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

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
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
    fn modifiers_and_names_ignore_case_but_characters_do_not() {
        let parse = |name: &str| KeyChord::parse(name).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parse("ctrl-R"), parse("Ctrl-r"));
        assert_eq!(parse("pgdn"), parse("PgDn"));
        assert_eq!(parse("PageDown"), parse("PgDn"));
        assert_eq!(parse("escape"), parse("Esc"));
        assert_eq!(parse("f5"), parse("F5"));
        assert_ne!(parse("g"), parse("G"));
        assert_eq!(parse("Shift-g"), parse("G"));
        assert_eq!(parse("Ctrl--").to_string(), "Ctrl--");
        assert_eq!(parse("-").to_string(), "-");
    }

    #[test]
    fn unknown_names_are_errors() {
        assert!(KeyChord::parse("Hyper-x").is_err());
        assert!(KeyChord::parse("F13").is_err());
        assert!(KeyChord::parse("").is_err());
        assert!(KeyChord::parse("Ctrl-").is_err());
        assert!(KeyChord::parse("jj").is_err());
    }
}
