//! The configuration file: theme, reading width, export folder, highlight
//! colours and key overrides, read once at start-up from `config.ron`. Every
//! setting is optional; a missing file means the defaults. A file with a
//! mistake never stops gloss: each problem is reported with the file, the
//! line and what to do, and gloss runs with the defaults. Nothing here ever
//! writes the file.

mod default_text;
mod error;
mod file;
mod locate;
pub mod names;
mod validate;

use std::io::Read;
use std::path::{Path, PathBuf};

use ratatui::style::Color as TermColor;

pub use default_text::default_text;
pub use error::{ConfigError, Problem};

use crate::annotation::Color;
use crate::app::geometry::DEFAULT_COLUMN_WIDTH;
use crate::input::{KeyOverride, Keymap};
use crate::paths::DataPaths;

/// A configuration file larger than this is refused unread: a real one is a
/// few dozen lines.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The built-in themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeChoice {
    /// Light text on a dark terminal.
    #[default]
    Dark,
    /// Dark text on a light terminal.
    Light,
    /// Bold text, base colours and reverse video.
    HighContrast,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [
        ThemeChoice::Dark,
        ThemeChoice::Light,
        ThemeChoice::HighContrast,
    ];

    /// The name written in the configuration file.
    pub fn name(self) -> &'static str {
        match self {
            ThemeChoice::Dark => "dark",
            ThemeChoice::Light => "light",
            ThemeChoice::HighContrast => "high-contrast",
        }
    }

    pub fn from_name(name: &str) -> Option<ThemeChoice> {
        ThemeChoice::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// The terminal colour chosen for each highlight colour, where one was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HighlightColors([Option<TermColor>; 5]);

impl HighlightColors {
    pub fn get(&self, color: Color) -> Option<TermColor> {
        self.0[Self::index(color)]
    }

    pub fn set(&mut self, color: Color, term: TermColor) {
        self.0[Self::index(color)] = Some(term);
    }

    fn index(color: Color) -> usize {
        Color::ALL.iter().position(|&c| c == color).unwrap_or(0)
    }
}

/// Everything a configuration file can set, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub theme: ThemeChoice,
    /// The widest the reading column gets, in cells.
    pub reading_width: u16,
    /// Where exports go instead of `exports` in the data folder (`~` and a
    /// path relative to the configuration file already resolved).
    pub export_dir: Option<PathBuf>,
    pub highlight_colors: HighlightColors,
    /// Changes to the default keymap, in the order written.
    pub keys: Vec<KeyOverride>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            theme: ThemeChoice::default(),
            reading_width: DEFAULT_COLUMN_WIDTH,
            export_dir: None,
            highlight_colors: HighlightColors::default(),
            keys: Vec::new(),
        }
    }
}

impl Config {
    /// The default keymap with this configuration's keys applied.
    pub fn keymap(&self) -> Keymap {
        Keymap::defaults().with_overrides(&self.keys)
    }

    /// `paths` with the export folder this configuration chooses.
    #[must_use]
    pub fn apply_to_paths(&self, paths: DataPaths) -> DataPaths {
        match &self.export_dir {
            Some(dir) => DataPaths {
                export_dir: dir.clone(),
                ..paths
            },
            None => paths,
        }
    }
}

/// Reads the configuration at `path`: `Ok(None)` when there is no file.
pub fn load(path: &Path) -> Result<Option<Config>, ConfigError> {
    // Opening a pipe would wait for a writer for ever; a device never ends.
    match std::fs::metadata(path) {
        Ok(metadata) if !metadata.is_file() => {
            return Err(ConfigError::whole_file(
                path,
                "is not a regular file (a folder, pipe or device); point --config or GLOSS_CONFIG at a file",
            ));
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(ConfigError::unreadable(path, &err)),
    };
    let mut bytes = Vec::new();
    if let Err(err) = file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes) {
        return Err(ConfigError::unreadable(path, &err));
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ConfigError::whole_file(
            path,
            "is larger than 1 MiB, too large to be a configuration file; `gloss config --default` prints one to start from",
        ));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let line = 1 + memchr::memchr_iter(b'\n', valid).count();
            return Err(ConfigError::new(
                path,
                vec![Problem::at(
                    line,
                    "is not UTF-8 text; save the file as UTF-8".to_string(),
                )],
            ));
        }
    };
    parse(&text, path).map(Some)
}

/// Checks the text of a configuration file; `path` names it in messages and
/// anchors a relative `export_dir`.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    // A byte order mark, as some editors on Windows write, is not RON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw = file::read(text).map_err(|problems| ConfigError::new(path, problems))?;
    validate::check(&raw, text, path).map_err(|problems| ConfigError::new(path, problems))
}

/// The configuration gloss runs with, and what went wrong reading it.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    /// The settings in effect: the file's, or the defaults when it has none
    /// or has a problem.
    pub config: Config,
    pub file: PathBuf,
    /// Whether the file exists.
    pub found: bool,
    pub error: Option<ConfigError>,
}

impl LoadedConfig {
    /// Reads `path`, falling back to the defaults on any problem.
    pub fn load(path: &Path) -> LoadedConfig {
        let (config, found, error) = match load(path) {
            Ok(Some(config)) => (config, true, None),
            Ok(None) => (Config::default(), false, None),
            Err(err) => (Config::default(), path.exists(), Some(err)),
        };
        LoadedConfig {
            config,
            file: path.to_path_buf(),
            found,
            error,
        }
    }

    /// The defaults, for commands that do not read the file at `path`.
    pub fn none(path: &Path) -> LoadedConfig {
        LoadedConfig {
            config: Config::default(),
            file: path.to_path_buf(),
            found: false,
            error: None,
        }
    }

    /// One line per problem, then what gloss does about it; empty when the
    /// file is fine or missing.
    pub fn warnings(&self) -> Vec<String> {
        self.error
            .as_ref()
            .map(ConfigError::warnings)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
