//! The commented configuration `gloss config --default` prints: every
//! setting at its default value with what it does, and the names of the
//! modes and actions for key bindings, listed from the same tables the
//! loader reads, so the text and the program agree.

use std::fmt::Write as _;

use super::names::{ACTIONS, MODES, action_name, mode_name};
use crate::app::geometry::{COLUMN_WIDTHS, DEFAULT_COLUMN_WIDTH};

const HEAD: &str = r#"// gloss configuration, every setting at its default value.
//
// Save it as the file `gloss config` names (config.ron in the configuration
// folder), or point GLOSS_CONFIG or --config at another file. Every setting
// may be left out. gloss only reads this file; a mistake in it is reported
// (`gloss config --check`) and gloss runs with the defaults until it is fixed.
(
    // Colours: "dark" (light text on a dark terminal), "light" (dark text on
    // a light terminal) or "high-contrast" (bold, base colours, reverse
    // video). When the NO_COLOR environment variable is set, gloss uses no
    // colour at all, whatever this says.
    theme: "dark",

"#;

const EXPORT_AND_COLORS: &str = r##"
    // The folder that `e` in the reader and `gloss export --to-export-dir`
    // write notes to. "~/" is your home folder; a relative path is taken
    // from the folder of this file. Default: "exports" in the data folder
    // (`gloss paths` shows it).
    // export_dir: "~/notes/gloss",

    // The terminal colour of each highlight colour, instead of the theme's:
    // a name ("yellow", "lightblue", "darkgray"), a hex value ("#ffd75f") or
    // an index of the 256-colour palette ("214"). The text on it is black or
    // white, whichever reads better. Default: the theme's colours.
    highlight_colors: (
        // yellow: "#ffd75f",
        // green: "lightgreen",
        // blue: "lightblue",
        // pink: "213",
        // purple: "magenta",
    ),

    // Keys, per mode: "key": "action", or "key": "none" to unbind a key. A
    // key bound here replaces what it did in that mode; `?` in gloss shows
    // the keys in effect. Ctrl-c always quits. Key names: a character ("J",
    // "?"), or Enter, Esc, Tab, Backspace, Delete, Space, Up, Down, Left,
    // Right, PgUp, PgDn, Home, End, F1-F12, each with optional Ctrl-, Alt-
    // or Shift-. For example:
    //
    // keys: {
    //     "reader": { "J": "next_section", "K": "prev_section", "x": "none" },
    //     "library": { "Ctrl-f": "start_filter" },
    // },
    //
"##;

const TAIL: &str = "    keys: {},\n)\n";

/// The commented default configuration.
pub fn default_text() -> String {
    let mut text = String::from(HEAD);
    let _ = write!(
        text,
        "    // The widest the reading column gets, in terminal cells ({} to {}).\n    reading_width: {DEFAULT_COLUMN_WIDTH},\n",
        COLUMN_WIDTHS.start(),
        COLUMN_WIDTHS.end()
    );
    text.push_str(EXPORT_AND_COLORS);
    let modes: Vec<&str> = MODES.iter().map(|&m| mode_name(m)).collect();
    text.push_str(&comment_list("Modes:", &modes));
    text.push_str("    //\n");
    let actions: Vec<&str> = ACTIONS.iter().filter_map(|&a| action_name(a)).collect();
    text.push_str(&comment_list("Actions:", &actions));
    text.push_str(TAIL);
    text
}

/// `// Label: a, b, c.` wrapped into comment lines under 80 columns.
fn comment_list(label: &str, names: &[&str]) -> String {
    const INDENT: &str = "    //";
    const WIDTH: usize = 78;
    let mut out = String::new();
    let mut line = format!("{INDENT} {label}");
    for (i, name) in names.iter().enumerate() {
        let word = if i + 1 == names.len() {
            format!("{name}.")
        } else {
            format!("{name},")
        };
        if line.len() + 1 + word.len() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = format!("{INDENT}    {word}");
        } else {
            line.push(' ');
            line.push_str(&word);
        }
    }
    out.push_str(&line);
    out.push('\n');
    out
}
