//! Where imported articles go, and the promise that nothing already there is
//! replaced: an id the library already uses (bundled, in the user's folder or in
//! a `--library` folder, or imported a moment ago) is refused, and the file is
//! created only if no file of that name exists, in one atomic step.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::{Converted, ImportError};
use crate::library::Library;
use crate::text::sanitize_line;

/// The user's library folder, with the ids already taken and who holds them.
#[derive(Debug, Clone)]
pub struct Destination {
    library_dir: PathBuf,
    /// Each id in use, with the article (file or bundled name) that holds it.
    taken: HashMap<String, String>,
}

impl Destination {
    /// Imports into `library_dir`, refusing every id `library` already uses.
    pub fn new(library_dir: PathBuf, library: &Library) -> Destination {
        let taken = library
            .articles
            .iter()
            .map(|article| {
                let holder = sanitize_line(&article.origin.to_string());
                (article.meta.id.clone(), holder)
            })
            .collect();
        Destination { library_dir, taken }
    }

    /// The file an article with this id is written to.
    pub fn path_for(&self, id: &str) -> PathBuf {
        self.library_dir.join(format!("{id}.md"))
    }

    /// Where `converted` would be written, or why it cannot be: its id is taken
    /// or its file exists.
    pub fn check(&self, converted: &Converted) -> Result<PathBuf, ImportError> {
        if let Some(holder) = self.taken.get(&converted.id) {
            return Err(ImportError::IdTaken {
                id: converted.id.clone(),
                holder: holder.clone(),
            });
        }
        let path = self.path_for(&converted.id);
        if path.exists() || path.is_symlink() {
            return Err(ImportError::Exists { path });
        }
        Ok(path)
    }

    /// Counts `converted`'s id as taken without writing anything, as a dry run
    /// does, so later files in the same run see it; `source` names the document
    /// it came from.
    pub fn reserve(&mut self, converted: &Converted, source: &str) {
        let holder = format!("{} (earlier in this run)", sanitize_line(source));
        self.taken.insert(converted.id.clone(), holder);
    }

    /// Writes `converted` into the library folder (created private to the user
    /// if needed) and returns its path; `source` names the document it came
    /// from, for a later collision in the same run.
    pub fn write(&mut self, converted: &Converted, source: &str) -> Result<PathBuf, ImportError> {
        let path = self.check(converted)?;
        create_private_folder(&self.library_dir).map_err(|source| ImportError::Write {
            path: self.library_dir.clone(),
            source,
        })?;
        write_new(&path, converted.markdown.as_bytes()).map_err(|source| {
            if source.kind() == io::ErrorKind::AlreadyExists {
                ImportError::Exists { path: path.clone() }
            } else {
                ImportError::Write {
                    path: path.clone(),
                    source,
                }
            }
        })?;
        let holder = format!(
            "{} (just imported from {})",
            crate::text::shown_path(&path),
            sanitize_line(source)
        );
        self.taken.insert(converted.id.clone(), holder);
        Ok(path)
    }
}

fn create_private_folder(folder: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(folder)
}

/// Creates `path` with `bytes`, atomically and only if it does not exist: the
/// bytes go to a temporary file in the same folder, flushed to disk, which is
/// then linked into place without replacing anything (`persist_noclobber`);
/// the folder is synced so the new name survives a crash.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut temp = NamedTempFile::new_in(folder)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist_noclobber(path).map_err(|error| error.error)?;
    sync_folder(folder)
}

#[cfg(unix)]
fn sync_folder(folder: &Path) -> io::Result<()> {
    std::fs::File::open(folder)?.sync_all()
}

#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> io::Result<()> {
    // Folders cannot be opened for syncing here; the rename is already durable
    // as far as the platform promises.
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::library::Sources;

    fn converted(id: &str) -> Converted {
        Converted {
            id: id.to_string(),
            title: "T".to_string(),
            markdown: format!("---\nid: {id}\n---\n\nText.\n"),
        }
    }

    fn bundled() -> Library {
        Library::open(&Sources {
            bundled: true,
            folders: Vec::new(),
        })
    }

    #[test]
    fn a_new_article_is_written_into_a_private_folder() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("library");
        let mut destination = Destination::new(dir.clone(), &Library::default());
        let path = destination.write(&converted("fresh"), "a.txt").unwrap();
        assert_eq!(path, dir.join("fresh.md"));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "---\nid: fresh\n---\n\nText.\n"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        let leftovers = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn a_bundled_id_is_refused_naming_its_holder() {
        let root = tempfile::tempdir().unwrap();
        let destination = Destination::new(root.path().to_path_buf(), &bundled());
        let error = destination
            .check(&converted("innovation-diplomacy-missions"))
            .unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("innovation-diplomacy-missions")
                && message.contains("bundled:innovation-diplomacy-missions.md"),
            "{message}"
        );
    }

    #[test]
    fn an_existing_file_is_never_replaced() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("taken.md");
        std::fs::write(&path, "precious").unwrap();
        let mut destination = Destination::new(root.path().to_path_buf(), &Library::default());
        let error = destination.write(&converted("taken"), "b.txt").unwrap_err();
        assert!(matches!(error, ImportError::Exists { .. }), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
    }

    #[test]
    fn a_write_or_a_reservation_takes_the_id_for_the_rest_of_the_run() {
        let root = tempfile::tempdir().unwrap();
        let mut destination = Destination::new(root.path().to_path_buf(), &Library::default());
        destination.write(&converted("once"), "first.txt").unwrap();
        let error = destination.check(&converted("once")).unwrap_err();
        assert!(error.to_string().contains("first.txt"), "{error}");
        destination.reserve(&converted("planned"), "plan.txt");
        assert!(destination.check(&converted("planned")).is_err());
        assert!(!root.path().join("planned.md").exists());
    }

    #[test]
    fn writing_into_a_place_that_is_a_file_fails_cleanly() {
        let root = tempfile::tempdir().unwrap();
        let not_a_folder = root.path().join("file");
        std::fs::write(&not_a_folder, "x").unwrap();
        let mut destination = Destination::new(not_a_folder, &Library::default());
        let error = destination.write(&converted("x"), "x.txt").unwrap_err();
        assert!(matches!(error, ImportError::Write { .. }), "{error}");
    }
}
