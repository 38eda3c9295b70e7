//! Where gloss keeps things on disk: one data folder (annotations, reading
//! positions), the user's library folder and the configuration folder. Resolving
//! the paths never touches the disk; whoever writes a file creates its folder.

use std::path::PathBuf;

/// The environment variable that overrides the data folder (also `--data-dir`).
pub const DATA_DIR_ENV: &str = "GLOSS_DATA_DIR";

/// The environment variable that names another configuration file (also `--config`).
pub const CONFIG_FILE_ENV: &str = "GLOSS_CONFIG";

/// The configuration file's name in the configuration folder.
pub const CONFIG_FILE_NAME: &str = "config.ron";

/// The folders and files gloss reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataPaths {
    /// Annotations, reading positions, exports live here.
    pub data_dir: PathBuf,
    /// The user's own articles (`*.md`), read at start-up.
    pub library_dir: PathBuf,
    /// Configuration (keymap, theme) lives here.
    pub config_dir: PathBuf,
    /// Where notes are exported: `exports` in the data folder, unless the
    /// configuration's `export_dir` says otherwise.
    pub export_dir: PathBuf,
    /// What may be thrown away and made again: `gloss search`'s cache of
    /// parsed articles.
    pub cache_dir: PathBuf,
    /// A configuration file named by `--config` or [`CONFIG_FILE_ENV`],
    /// used instead of the one in `config_dir`.
    pub config_file_override: Option<PathBuf>,
}

/// Why the data folders could not be worked out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathsError {
    #[error(
        "cannot find a home folder to keep gloss's data in; pass --data-dir DIR or set {DATA_DIR_ENV}"
    )]
    NoHome,
}

impl DataPaths {
    /// Works out the folders: everything under `data_dir` when it is given (from
    /// `--data-dir` or [`DATA_DIR_ENV`]), otherwise the platform's usual places.
    pub fn resolve(data_dir: Option<PathBuf>) -> Result<DataPaths, PathsError> {
        if let Some(dir) = data_dir {
            return Ok(DataPaths::under(dir));
        }
        let project = directories::ProjectDirs::from("", "", "gloss").ok_or(PathsError::NoHome)?;
        Ok(DataPaths {
            data_dir: project.data_dir().to_path_buf(),
            library_dir: project.data_dir().join("library"),
            config_dir: project.config_dir().to_path_buf(),
            export_dir: project.data_dir().join("exports"),
            cache_dir: project.cache_dir().to_path_buf(),
            config_file_override: None,
        })
    }

    /// Every folder inside one chosen folder, as for `--data-dir DIR`.
    pub fn under(dir: PathBuf) -> DataPaths {
        DataPaths {
            library_dir: dir.join("library"),
            config_dir: dir.join("config"),
            export_dir: dir.join("exports"),
            cache_dir: dir.join("cache"),
            data_dir: dir,
            config_file_override: None,
        }
    }

    /// The same paths, reading the configuration from `file` when one is given.
    #[must_use]
    pub fn with_config_file(self, file: Option<PathBuf>) -> DataPaths {
        DataPaths {
            config_file_override: file,
            ..self
        }
    }

    /// The configuration file (theme, reading width, export folder, keys).
    pub fn config_file(&self) -> PathBuf {
        self.config_file_override
            .clone()
            .unwrap_or_else(|| self.config_dir.join(CONFIG_FILE_NAME))
    }

    /// The reading positions file.
    pub fn positions_file(&self) -> PathBuf {
        self.data_dir.join("positions.ron")
    }

    /// The annotations file (highlights, tags, notes).
    pub fn annotations_file(&self) -> PathBuf {
        self.data_dir.join("annotations.ron")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn an_override_puts_everything_under_it() {
        let paths = DataPaths::resolve(Some(PathBuf::from("/tmp/somewhere"))).unwrap();
        assert_eq!(paths.data_dir, Path::new("/tmp/somewhere"));
        assert_eq!(paths.library_dir, Path::new("/tmp/somewhere/library"));
        assert_eq!(paths.config_dir, Path::new("/tmp/somewhere/config"));
        assert_eq!(
            paths.positions_file(),
            Path::new("/tmp/somewhere/positions.ron")
        );
        assert_eq!(
            paths.annotations_file(),
            Path::new("/tmp/somewhere/annotations.ron")
        );
        assert_eq!(
            paths.config_file(),
            Path::new("/tmp/somewhere/config/config.ron")
        );
        assert_eq!(paths.export_dir, Path::new("/tmp/somewhere/exports"));
    }

    #[test]
    fn a_named_config_file_wins() {
        let paths = DataPaths::under(PathBuf::from("/d"))
            .with_config_file(Some(PathBuf::from("/elsewhere/gloss.ron")));
        assert_eq!(paths.config_file(), Path::new("/elsewhere/gloss.ron"));
        assert_eq!(paths.config_dir, Path::new("/d/config"));
    }

    #[test]
    fn resolving_does_not_create_folders() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("not-yet");
        let paths = DataPaths::resolve(Some(dir.clone())).unwrap();
        assert_eq!(paths.data_dir, dir);
        assert!(!dir.exists());
    }

    #[test]
    fn the_default_library_sits_in_the_data_folder() {
        // Without a home folder (some CI sandboxes) the error must say what to do.
        match DataPaths::resolve(None) {
            Ok(paths) => {
                assert_eq!(paths.library_dir, paths.data_dir.join("library"));
                assert!(paths.data_dir.ends_with("gloss") || paths.data_dir.ends_with("data"));
            }
            Err(err) => assert!(err.to_string().contains("--data-dir")),
        }
    }
}
