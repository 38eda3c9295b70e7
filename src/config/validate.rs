//! From the file as written to settings: each value checked, every problem
//! collected (not just the first) with its line and what to write instead.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::Color as TermColor;

use super::error::Problem;
use super::file::ConfigFile;
use super::locate::Source;
use super::names::{ACTIONS, MODES, action_by_name, action_name, closest, mode_by_name, mode_name};
use super::{Config, HighlightColors, ThemeChoice};
use crate::annotation::Color;
use crate::app::geometry::{COLUMN_WIDTHS, DEFAULT_COLUMN_WIDTH};
use crate::input::{KeyChord, KeyOverride};

/// The word that unbinds a key.
pub const UNBIND: &str = "none";

pub(super) fn check(file: &ConfigFile, text: &str, path: &Path) -> Result<Config, Vec<Problem>> {
    let source = Source::new(text);
    let mut problems = Vec::new();
    let mut config = Config::default();
    let field_line = |name: &str| source.field(name, 0).map(|(line, _)| line);

    if let Some(name) = &file.theme {
        match theme_named(name) {
            Ok(theme) => config.theme = theme,
            Err(message) => problems.push(Problem::somewhere(field_line("theme"), message)),
        }
    }

    if let Some(width) = file.reading_width {
        match reading_width(width) {
            Ok(width) => config.reading_width = width,
            Err(message) => {
                problems.push(Problem::somewhere(field_line("reading_width"), message));
            }
        }
    }

    if let Some(dir) = &file.export_dir {
        match export_dir(dir, path, home().as_deref()) {
            Ok(dir) => config.export_dir = Some(dir),
            Err(message) => problems.push(Problem::somewhere(field_line("export_dir"), message)),
        }
    }

    let colors_at = source
        .field("highlight_colors", 0)
        .map_or(0, |(_, end)| end);
    let mut colors = HighlightColors::default();
    for (name, value) in file.highlight_colors.given() {
        let line = source.field(name, colors_at).map(|(line, _)| line);
        match (terminal_color(value), Color::parse(name)) {
            (Some(term), Some(color)) => colors.set(color, term),
            _ => problems.push(Problem::somewhere(
                line,
                format!(
                    "'{value}' is not a colour for {name} highlights; use a name (\"yellow\", \"lightblue\"), a hex value (\"#ffd75f\") or an index from 0 to 255 (\"214\")"
                ),
            )),
        }
    }
    config.highlight_colors = colors;

    let keys_at = source.field("keys", 0).map_or(0, |(_, end)| end);
    config.keys = key_overrides(file, &source, keys_at, &mut problems);

    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

fn theme_named(name: &str) -> Result<ThemeChoice, String> {
    ThemeChoice::from_name(name).ok_or_else(|| {
        format!(
            "unknown theme '{name}'{}; use \"dark\", \"light\" or \"high-contrast\"",
            suggestion(name, ThemeChoice::ALL.map(ThemeChoice::name))
        )
    })
}

fn reading_width(width: i64) -> Result<u16, String> {
    u16::try_from(width)
        .ok()
        .filter(|w| COLUMN_WIDTHS.contains(w))
        .ok_or_else(|| {
            format!(
                "reading_width {width} is out of range; use a number of cells from {} to {} (the default is {DEFAULT_COLUMN_WIDTH})",
                COLUMN_WIDTHS.start(),
                COLUMN_WIDTHS.end()
            )
        })
}

/// The key overrides in the order written, with a problem for each unknown
/// mode, key or action, and for two spellings of one key in a mode.
fn key_overrides(
    file: &ConfigFile,
    source: &Source,
    keys_at: usize,
    problems: &mut Vec<Problem>,
) -> Vec<KeyOverride> {
    let mut overrides = Vec::new();
    // What each key of a mode was bound to, as written, to report clashes.
    let mut written: Vec<(KeyOverride, &str, Option<usize>)> = Vec::new();
    for (mode_written, entries) in &file.keys.0 {
        let mode_found = source.key(mode_written, keys_at);
        let mode_line = mode_found.map(|(line, _)| line);
        let entries_at = mode_found.map_or(keys_at, |(_, end)| end);
        let Some(mode) = mode_by_name(mode_written) else {
            let names = MODES.iter().map(|&m| mode_name(m));
            problems.push(Problem::somewhere(
                mode_line,
                format!(
                    "unknown mode '{mode_written}' in keys{}; the modes are {}",
                    suggestion(mode_written, names.clone()),
                    names.collect::<Vec<_>>().join(", ")
                ),
            ));
            continue;
        };
        // Where each key was last found, so a key written twice is found twice.
        let mut found_at: Vec<(&str, usize)> = Vec::new();
        for (key_written, action_written) in &entries.0 {
            let from = found_at
                .iter()
                .rev()
                .find(|(k, _)| k == key_written)
                .map_or(entries_at, |&(_, end)| end);
            let found = source.key(key_written, from);
            if let Some((_, end)) = found {
                found_at.push((key_written, end));
            }
            let line = found.map(|(line, _)| line).or(mode_line);
            let key = match KeyChord::parse(key_written) {
                Ok(key) => key,
                Err(err) => {
                    problems.push(Problem::somewhere(
                        line,
                        format!("{err} (in the keys of {mode_written})"),
                    ));
                    continue;
                }
            };
            if key == quit_key() {
                problems.push(Problem::somewhere(
                    line,
                    format!(
                        "{key} always quits gloss (after saving) and cannot be rebound; choose another key"
                    ),
                ));
                continue;
            }
            let action = if action_written == UNBIND {
                None
            } else if let Some(action) = action_by_name(action_written) {
                Some(action)
            } else {
                let names = ACTIONS.iter().filter_map(|&a| action_name(a));
                problems.push(Problem::somewhere(
                    line,
                    format!(
                        "unknown action '{action_written}' for {key_written} in {mode_written}{}; `gloss config --default` lists the actions, and \"{UNBIND}\" unbinds a key",
                        suggestion(action_written, names)
                    ),
                ));
                continue;
            };
            let change = KeyOverride { mode, key, action };
            if let Some((earlier, earlier_written, earlier_line)) = written
                .iter()
                .find(|(o, _, _)| o.mode == mode && o.key == key)
            {
                if earlier.action != action {
                    let at = earlier_line
                        .filter(|&l| Some(l) != line)
                        .map(|l| format!(" (line {l})"))
                        .unwrap_or_default();
                    problems.push(Problem::somewhere(
                        line,
                        format!(
                            "{key_written} and {earlier_written}{at} are the same key in {mode_written}, bound to {} and to {}; keep one",
                            shown_action(action),
                            shown_action(earlier.action),
                        ),
                    ));
                }
                continue;
            }
            written.push((change, key_written, line));
            overrides.push(change);
        }
    }
    overrides
}

fn shown_action(action: Option<crate::app::Action>) -> String {
    match action.and_then(action_name) {
        Some(name) => format!("'{name}'"),
        None => format!("\"{UNBIND}\""),
    }
}

/// The key that always quits, whatever the configuration says.
fn quit_key() -> KeyChord {
    KeyChord::ctrl('c')
}

/// ` (did you mean 'x'?)` when a known name is close to `wrong`.
fn suggestion<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest(wrong, known)
        .map(|name| format!(" (did you mean '{name}'?)"))
        .unwrap_or_default()
}

/// A terminal colour from a name, `#rrggbb` or a 256-colour index; `None`
/// for anything else (and for `reset`, which is no colour).
fn terminal_color(value: &str) -> Option<TermColor> {
    TermColor::from_str(value.trim())
        .ok()
        .filter(|&color| color != TermColor::Reset)
}

/// The export folder: `~` is the home folder; a relative path is taken from
/// the folder of the configuration file.
fn export_dir(dir: &str, config_file: &Path, home: Option<&Path>) -> Result<PathBuf, String> {
    let dir = dir.trim();
    if dir.is_empty() {
        return Err(
            "export_dir is empty; give a folder such as \"~/notes/gloss\", or leave it out for the default"
                .to_string(),
        );
    }
    let expanded = match dir.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with(['/', '\\']) => {
            let Some(home) = home else {
                return Err(format!(
                    "export_dir '{dir}' starts with ~ but there is no home folder; write the full path"
                ));
            };
            home.join(rest.trim_start_matches(['/', '\\']))
        }
        Some(_) => {
            return Err(format!(
                "export_dir '{dir}': only ~ and ~/… are expanded; write the full path"
            ));
        }
        None => PathBuf::from(dir),
    };
    if expanded.is_absolute() {
        return Ok(expanded);
    }
    let base = config_file.parent().unwrap_or(Path::new("."));
    Ok(base.join(expanded))
}

fn home() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_home_folder_and_relative_paths_are_resolved() {
        let file = Path::new("/etc/gloss/config.ron");
        let home = Some(Path::new("/home/me"));
        assert_eq!(
            export_dir("~/notes", file, home),
            Ok(PathBuf::from("/home/me/notes"))
        );
        assert_eq!(export_dir("~", file, home), Ok(PathBuf::from("/home/me")));
        assert_eq!(
            export_dir("notes", file, home),
            Ok(PathBuf::from("/etc/gloss/notes"))
        );
        assert_eq!(
            export_dir("/srv/x", file, home),
            Ok(PathBuf::from("/srv/x"))
        );
        assert!(export_dir("~bob/x", file, home).is_err());
        assert!(export_dir("~/x", file, None).is_err());
        assert!(export_dir("  ", file, home).is_err());
    }

    #[test]
    fn colours_are_names_hex_values_or_indexes() {
        assert_eq!(terminal_color("yellow"), Some(TermColor::Yellow));
        assert_eq!(terminal_color("lightblue"), Some(TermColor::LightBlue));
        assert_eq!(
            terminal_color("#ffd75f"),
            Some(TermColor::Rgb(0xff, 0xd7, 0x5f))
        );
        assert_eq!(terminal_color("214"), Some(TermColor::Indexed(214)));
        assert_eq!(terminal_color("reset"), None);
        assert_eq!(terminal_color("#ffd75"), None);
        assert_eq!(terminal_color("256"), None);
    }
}
