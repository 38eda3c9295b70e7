//! Key hints on screen (list footers, status lines, notices) name the keys
//! bound now, looked up in the keymap of the mode they speak of and spelled as
//! the help screen spells them. A rebound key shows as it is; an action with
//! no key in that mode is left out of the hint.

use crate::app::{Action, Mode};
use crate::input::Keymap;

/// The parts of one hint (`Enter go`, `t tag`, …) for one mode, built from
/// the keymap in effect.
#[derive(Debug, Clone)]
pub struct KeyHint {
    /// Every action of the mode with its keys, as the help lists them.
    rows: Vec<(Action, Vec<String>)>,
    /// The parts with a key: the keys as shown (`j/k`), and what they do.
    parts: Vec<(String, String)>,
}

impl KeyHint {
    /// An empty hint for the keys of `mode`.
    pub fn new(keymap: &Keymap, mode: Mode) -> KeyHint {
        KeyHint {
            rows: keymap.help_rows(mode),
            parts: Vec::new(),
        }
    }

    /// The keys bound to `action`, in the keymap's order; empty when none is.
    fn keys(&self, action: Action) -> &[String] {
        bound_keys(&self.rows, action)
    }

    fn push(mut self, keys: Option<String>, label: &str) -> KeyHint {
        if let Some(keys) = keys {
            self.parts.push((keys, label.to_string()));
        }
        self
    }

    /// `Enter go`: the first key of `action`, then `label`.
    #[must_use]
    pub fn key(self, action: Action, label: &str) -> KeyHint {
        let key = self.keys(action).first().cloned();
        self.push(key, label)
    }

    /// `Esc clears`: `preferred` when it is one of the keys of `action` (for
    /// an action whose first key reads oddly with `label`), else its first
    /// key.
    #[must_use]
    pub fn key_preferring(self, preferred: &str, action: Action, label: &str) -> KeyHint {
        let keys = self.keys(action);
        let key = keys
            .iter()
            .find(|key| key.as_str() == preferred)
            .or_else(|| keys.first())
            .cloned();
        self.push(key, label)
    }

    /// `j/k scroll`: the first key of each action, joined by `/`; left out
    /// only when none of them has a key.
    #[must_use]
    pub fn keys_of(self, actions: &[Action], label: &str) -> KeyHint {
        let keys: Vec<&str> = actions
            .iter()
            .filter_map(|&action| self.keys(action).first().map(String::as_str))
            .collect();
        let keys = (!keys.is_empty()).then(|| keys.join("/"));
        self.push(keys, label)
    }

    /// `q or Esc close`: every key of `action`.
    #[must_use]
    pub fn every_key(self, action: Action, label: &str) -> KeyHint {
        let keys = self.keys(action);
        let keys = (!keys.is_empty()).then(|| keys.join(" or "));
        self.push(keys, label)
    }

    /// The parts that have a key, in the order added: `["Enter go", "q close"]`.
    pub fn items(&self) -> Vec<String> {
        self.parts
            .iter()
            .map(|(keys, label)| format!("{keys} {label}"))
            .collect()
    }

    /// Whether no part has a key.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The parts joined by `separator`.
    pub fn join(&self, separator: &str) -> String {
        self.items().join(separator)
    }

    /// The keys alone, without what they do, joined by `separator`: for
    /// where the whole hint does not fit.
    pub fn keys_alone(&self, separator: &str) -> String {
        let keys: Vec<&str> = self.parts.iter().map(|(keys, _)| keys.as_str()).collect();
        keys.join(separator)
    }

    /// A footer: ` Enter go · q close`, one space then the parts.
    pub fn footer(&self) -> String {
        format!(" {}", self.join(" · "))
    }

    /// `lead` followed by the parts, each after ` · `: `highlighted in
    /// yellow · t tag · u undo`, or `lead` alone.
    pub fn after(&self, lead: &str) -> String {
        self.items()
            .iter()
            .fold(lead.to_string(), |line, item| format!("{line} · {item}"))
    }

    /// `lead` followed by `: ` and the parts joined by `, `, as a sentence
    /// goes on (`no highlight here: h highlights the sentence`), or `lead`
    /// alone.
    pub fn explaining(&self, lead: &str) -> String {
        if self.is_empty() {
            lead.to_string()
        } else {
            format!("{lead}: {}", self.join(", "))
        }
    }
}

/// The keys bound to `action` among a mode's help rows (see
/// [`Keymap::help_rows`]); empty when none is.
pub fn bound_keys(rows: &[(Action, Vec<String>)], action: Action) -> &[String] {
    rows.iter()
        .find(|(a, _)| *a == action)
        .map_or(&[], |(_, keys)| keys.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{KeyChord, KeyOverride};

    fn rebound(mode: Mode, changes: &[(&str, Option<Action>)]) -> Keymap {
        let overrides: Vec<KeyOverride> = changes
            .iter()
            .map(|&(name, action)| KeyOverride {
                mode,
                key: KeyChord::parse(name).unwrap_or_else(|e| panic!("{e}")),
                action,
            })
            .collect();
        Keymap::defaults().with_overrides(&overrides)
    }

    #[test]
    fn the_default_keys_read_as_before() {
        let keymap = Keymap::defaults();
        let hint = KeyHint::new(&keymap, Mode::Warnings)
            .keys_of(&[Action::MoveDown, Action::MoveUp], "scroll")
            .every_key(Action::Back, "close");
        assert_eq!(
            hint.after(" 3 files"),
            " 3 files · j/k scroll · q or Esc close"
        );
        assert_eq!(hint.footer(), " j/k scroll · q or Esc close");
        let help = KeyHint::new(&keymap, Mode::Help)
            .key(Action::Back, "close")
            .key_preferring("Esc", Action::Back, "clears");
        assert_eq!(help.items(), ["q close", "Esc clears"]);
    }

    #[test]
    fn a_rebound_key_is_named_and_an_unbound_action_left_out() {
        let keymap = rebound(
            Mode::Warnings,
            &[("q", None), ("x", Some(Action::Back)), ("k", None)],
        );
        let hint = KeyHint::new(&keymap, Mode::Warnings)
            .keys_of(&[Action::MoveDown, Action::MoveUp], "scroll")
            .every_key(Action::Back, "close")
            .key(Action::Open, "open");
        assert_eq!(hint.items(), ["j/Up scroll", "Esc or x close"]);

        let none = rebound(Mode::Reader, &[("h", None)]);
        let hint = KeyHint::new(&none, Mode::Reader).key(Action::Highlight, "highlights");
        assert!(hint.is_empty());
        assert_eq!(hint.explaining("no highlight here"), "no highlight here");
        assert_eq!(hint.after("done"), "done");
    }

    #[test]
    fn a_preferred_key_gone_falls_back_to_the_first() {
        let keymap = rebound(Mode::Help, &[("Esc", None)]);
        let hint = KeyHint::new(&keymap, Mode::Help).key_preferring("Esc", Action::Back, "clears");
        assert_eq!(hint.items(), ["q clears"]);
    }
}
