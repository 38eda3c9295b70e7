#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use ratatui::style::Color as TermColor;

use super::*;
use crate::app::{Action, Mode};
use crate::input::KeyChord;

const FILE: &str = "/home/me/.config/gloss/config.ron";

fn parsed(text: &str) -> Result<Config, ConfigError> {
    parse(text, Path::new(FILE))
}

/// The problems of a text that must not load, as `(line, message)`.
fn problems(text: &str) -> Vec<(Option<usize>, String)> {
    match parsed(text) {
        Ok(config) => panic!("loaded: {config:?}"),
        Err(err) => {
            assert_eq!(err.file, Path::new(FILE));
            err.problems
                .into_iter()
                .map(|p| (p.line, p.message))
                .collect()
        }
    }
}

/// The only problem of a text, which must be at `line` and say each of `words`.
fn assert_one_problem(text: &str, line: usize, words: &[&str]) {
    let found = problems(text);
    assert_eq!(found.len(), 1, "{found:?}");
    let (at, message) = &found[0];
    assert_eq!(*at, Some(line), "{message}");
    for word in words {
        assert!(message.contains(word), "{message:?} does not say {word:?}");
    }
}

fn key(name: &str) -> KeyChord {
    KeyChord::parse(name).unwrap()
}

#[test]
fn a_missing_file_is_the_defaults_silently() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.ron");
    assert_eq!(load(&path), Ok(None));
    let loaded = LoadedConfig::load(&path);
    assert_eq!(loaded.config, Config::default());
    assert!(!loaded.found);
    assert!(loaded.warnings().is_empty());
}

#[test]
fn an_empty_file_or_one_of_comments_is_the_defaults() {
    for text in [
        "",
        "\n\n",
        "// nothing yet\n",
        "/* a\n /* nested */ comment */",
        "()",
    ] {
        assert_eq!(parsed(text), Ok(Config::default()), "{text:?}");
    }
}

#[test]
fn every_field_is_read() {
    let text = r##"(
        theme: "high-contrast",
        reading_width: 100,
        export_dir: "/srv/notes",
        highlight_colors: (
            yellow: "#ffd75f",
            green: "lightgreen",
            blue: "33",
            pink: "magenta",
            purple: "Light Magenta",
        ),
        keys: {
            "reader": { "J": "next_section", "x": "none", "Ctrl-e": "scroll_down" },
            "library": { "Ctrl-f": "start_filter" },
        },
    )"##;
    let config = parsed(text).unwrap();
    assert_eq!(config.theme, ThemeChoice::HighContrast);
    assert_eq!(config.reading_width, 100);
    assert_eq!(config.export_dir, Some(PathBuf::from("/srv/notes")));
    let colors = config.highlight_colors;
    assert_eq!(
        colors.get(Color::Yellow),
        Some(TermColor::Rgb(0xff, 0xd7, 0x5f))
    );
    assert_eq!(colors.get(Color::Green), Some(TermColor::LightGreen));
    assert_eq!(colors.get(Color::Blue), Some(TermColor::Indexed(33)));
    assert_eq!(colors.get(Color::Pink), Some(TermColor::Magenta));
    assert_eq!(colors.get(Color::Purple), Some(TermColor::LightMagenta));
    assert_eq!(
        config.keys,
        vec![
            KeyOverride {
                mode: Mode::Reader,
                key: key("J"),
                action: Some(Action::NextSection)
            },
            KeyOverride {
                mode: Mode::Reader,
                key: key("x"),
                action: None
            },
            KeyOverride {
                mode: Mode::Reader,
                key: key("Ctrl-e"),
                action: Some(Action::ScrollDown)
            },
            KeyOverride {
                mode: Mode::Library,
                key: key("Ctrl-f"),
                action: Some(Action::StartFilter)
            },
        ]
    );
    let keymap = config.keymap();
    assert_eq!(
        keymap.lookup(Mode::Reader, key("J")),
        Some(Action::NextSection)
    );
    assert_eq!(
        keymap.lookup(Mode::Library, key("Ctrl-f")),
        Some(Action::StartFilter)
    );
    // Untouched defaults remain.
    assert_eq!(
        keymap.lookup(Mode::Reader, key("]")),
        Some(Action::NextSection)
    );
}

#[test]
fn the_export_folder_replaces_the_default_one() {
    let config = parsed(r#"(export_dir: "notes")"#).unwrap();
    let paths = config.apply_to_paths(DataPaths::under(PathBuf::from("/data")));
    assert_eq!(paths.export_dir, Path::new("/home/me/.config/gloss/notes"));
    let paths = Config::default().apply_to_paths(DataPaths::under(PathBuf::from("/data")));
    assert_eq!(paths.export_dir, Path::new("/data/exports"));
}

#[test]
fn an_unknown_field_is_named() {
    assert_one_problem(
        "(\n  theme: \"dark\",\n  colour_scheme: \"x\",\n)",
        3,
        &["unknown setting 'colour_scheme'", "reading_width"],
    );
    assert_one_problem(
        "(\n  highlight_colors: (\n    orange: \"red\",\n  ),\n)",
        3,
        &["unknown setting 'orange' in highlight_colors", "purple"],
    );
}

#[test]
fn an_unknown_theme_is_named_with_the_choices() {
    assert_one_problem(
        "(\n theme: \"drak\",\n)",
        2,
        &[
            "unknown theme 'drak'",
            "did you mean 'dark'",
            "high-contrast",
        ],
    );
}

#[test]
fn an_unknown_action_is_named_with_its_key_mode_and_line() {
    let text = r#"(
    // "J": "next_sectoin" in a comment does not count
    keys: {
        "library": { "J": "top" },
        "reader": {
            "K": "prev_section",
            "J": "next_sectoin",
        },
    },
)"#;
    assert_one_problem(
        text,
        7,
        &[
            "unknown action 'next_sectoin'",
            "J in reader",
            "did you mean 'next_section'",
            "gloss config --default",
            "\"none\"",
        ],
    );
}

#[test]
fn an_unknown_mode_is_named_with_the_modes() {
    assert_one_problem(
        "(\n keys: {\n  \"readr\": { \"J\": \"top\" },\n },\n)",
        3,
        &[
            "unknown mode 'readr'",
            "did you mean 'reader'",
            "library_filter",
        ],
    );
}

#[test]
fn a_bad_key_name_is_named() {
    assert_one_problem(
        "(\n keys: {\n  \"reader\": {\n   \"Hyper-x\": \"top\",\n  },\n },\n)",
        4,
        &["unknown key 'Hyper-x'", "in the keys of reader", "Ctrl-"],
    );
}

#[test]
fn two_spellings_of_one_key_clash() {
    let text = "(\n keys: {\n  \"reader\": {\n   \"G\": \"top\",\n   \"Shift-g\": \"bottom\",\n  },\n },\n)";
    assert_one_problem(
        text,
        5,
        &[
            "Shift-g and G (line 4)",
            "same key in reader",
            "'bottom'",
            "'top'",
            "keep one",
        ],
    );
    // The same key written twice for the same action is harmless.
    let same = r#"( keys: { "reader": { "G": "top", "Shift-g": "top" } } )"#;
    assert!(parsed(same).is_ok());
    // A key given twice in one map clashes too, where RON would keep the last.
    let repeated = "( keys: { \"reader\": {\n \"x\": \"top\",\n \"x\": \"none\" } } )";
    assert_one_problem(repeated, 3, &["same key in reader", "\"none\""]);
}

#[test]
fn rebinding_a_default_key_replaces_it() {
    let config = parsed(r#"( keys: { "reader": { "n": "next_section" } } )"#).unwrap();
    let keymap = config.keymap();
    assert_eq!(
        keymap.lookup(Mode::Reader, key("n")),
        Some(Action::NextSection)
    );
    assert!(
        !keymap
            .help_rows(Mode::Reader)
            .iter()
            .any(|(action, keys)| *action == Action::NextMatch && keys.contains(&"n".to_string()))
    );
}

#[test]
fn ctrl_c_cannot_be_rebound() {
    assert_one_problem(
        "(\n keys: { \"reader\": {\n \"Ctrl-c\": \"none\" } },\n)",
        3,
        &["Ctrl-c always quits", "choose another key"],
    );
}

#[test]
fn a_bad_colour_is_named_with_what_to_write() {
    assert_one_problem(
        "(\n highlight_colors: (\n  yellow: \"#ffd75f\",\n  pink: \"rose\",\n ),\n)",
        4,
        &[
            "'rose' is not a colour",
            "pink highlights",
            "#ffd75f",
            "214",
        ],
    );
}

#[test]
fn a_width_out_of_range_is_refused_with_the_range() {
    for width in ["0", "19", "201", "-5", "100000"] {
        assert_one_problem(
            &format!("(\n\n reading_width: {width},\n)"),
            3,
            &[
                &format!("reading_width {width} is out of range"),
                "20 to 200",
                "72",
            ],
        );
    }
    for width in [20, 200] {
        let config = parsed(&format!("(reading_width: {width})")).unwrap();
        assert_eq!(config.reading_width, width);
    }
}

#[test]
fn a_syntax_error_has_its_line() {
    assert_one_problem("(\n theme: \"dark\"\n reading_width: 80,\n)", 3, &[]);
    assert_one_problem("(\n theme: \"dark,\n)", 2, &["not closed"]);
    assert_one_problem(
        "(\n reading_width: \"wide\",\n)",
        2,
        &["gloss config --default"],
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = "(\n theme: \"pastel\",\n reading_width: 5,\n keys: { \"reader\": { \"J\": \"jump\" } },\n)";
    let lines: Vec<Option<usize>> = problems(text).into_iter().map(|(line, _)| line).collect();
    assert_eq!(lines, [Some(2), Some(3), Some(4)]);
}

#[test]
fn the_default_text_loads_and_equals_the_defaults() {
    let text = default_text();
    assert_eq!(parsed(&text), Ok(Config::default()));
    assert!(
        text.lines().all(|line| line.chars().count() <= 80),
        "{text}"
    );
    for name in [
        "theme",
        "reading_width",
        "export_dir",
        "highlight_colors",
        "keys",
    ] {
        assert!(
            text.contains(&format!("{name}:")),
            "{name} is not in the default text"
        );
    }
    for &action in names::ACTIONS {
        let name = names::action_name(action).unwrap();
        assert!(text.contains(name), "{name} is not listed");
    }
}

#[test]
fn the_commented_examples_in_the_default_text_load() {
    let uncommented: String = default_text()
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let example = [
                "// export_dir",
                "// yellow",
                "// green",
                "// blue",
                "// pink",
                "// purple",
            ]
            .iter()
            .any(|start| trimmed.starts_with(start));
            if example {
                line.replacen("// ", "", 1)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let config = parsed(&uncommented).unwrap();
    assert!(config.export_dir.is_some());
    assert!(
        Color::ALL
            .iter()
            .all(|&c| config.highlight_colors.get(c).is_some())
    );
}

#[test]
fn a_bad_file_leaves_the_defaults_and_warnings_that_name_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.ron");
    std::fs::write(&path, "(\n reading_width: 500,\n)").unwrap();
    let loaded = LoadedConfig::load(&path);
    assert_eq!(loaded.config, Config::default());
    assert!(loaded.found);
    let warnings = loaded.warnings();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    let shown = path.display().to_string();
    assert!(warnings[0].starts_with(&format!("{shown}:2: reading_width 500")));
    assert!(warnings[1].contains("default settings"), "{}", warnings[1]);
}

#[test]
fn a_file_that_is_not_text_or_too_large_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.ron");
    std::fs::write(&path, b"(\n theme: \"\xff\",\n)").unwrap();
    let err = load(&path).unwrap_err();
    assert_eq!(err.problems[0].line, Some(2));
    assert!(err.problems[0].message.contains("UTF-8"));
    std::fs::write(&path, vec![b' '; 2 * 1024 * 1024]).unwrap();
    let err = load(&path).unwrap_err();
    assert!(err.problems[0].message.contains("too large"));
    let err = load(dir.path()).unwrap_err();
    assert!(
        err.problems[0].message.contains("not a regular file"),
        "{err}"
    );
}

#[test]
fn every_setting_that_cannot_be_read_is_reported_at_its_line() {
    let found =
        problems("(\n    theme: 3,\n    reading_width: \"wide\",\n    colour: \"red\",\n)\n");
    let lines: Vec<Option<usize>> = found.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [Some(2), Some(3), Some(4)], "{found:?}");
    assert!(found[2].1.contains("unknown setting 'colour'"), "{found:?}");
}

#[test]
fn a_byte_order_mark_is_read_past() {
    let config = parsed("\u{feff}(theme: \"light\")\n").unwrap();
    assert_eq!(config.theme, ThemeChoice::Light);
}

#[cfg(unix)]
#[test]
fn a_pipe_as_the_file_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.ron");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(made.success());
    let err = load(&path).unwrap_err();
    assert!(err.lines()[0].contains("not a regular file"), "{err:?}");
    let folder = load(dir.path()).unwrap_err();
    assert!(
        folder.lines()[0].contains("not a regular file"),
        "{folder:?}"
    );
}

proptest::proptest! {
    /// Any text: a configuration or problems, each at a line of the text
    /// (or of the file as a whole), never a panic.
    #[test]
    fn any_text_loads_or_says_where(text in config_like()) {
        if let Err(err) = parsed(&text) {
            proptest::prop_assert!(!err.problems.is_empty());
            let lines = text.split('\n').count();
            for problem in &err.problems {
                proptest::prop_assert!(problem.line.is_none_or(|line| line >= 1 && line <= lines), "{problem:?} of {lines}");
            }
        }
    }
}

/// Text made of the pieces a configuration file is built from.
fn config_like() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just(",".to_owned()),
        Just(": ".to_owned()),
        Just("\n".to_owned()),
        Just("\"".to_owned()),
        Just("theme".to_owned()),
        Just("reading_width".to_owned()),
        Just("keys".to_owned()),
        Just("highlight_colors".to_owned()),
        Just("\"reader\"".to_owned()),
        Just("\"j\"".to_owned()),
        Just("\"dark\"".to_owned()),
        Just("// c\n".to_owned()),
        Just("/*".to_owned()),
        Just("*/".to_owned()),
        "[0-9]{1,3}".prop_map(|s| s),
        "[a-z_]{1,6}".prop_map(|s| s),
    ];
    prop::collection::vec(piece, 0..30).prop_map(|pieces| pieces.concat())
}
