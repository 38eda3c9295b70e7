//! Replacing a file so that a crash, a kill or a full disk at any moment leaves
//! either the old version or the new one, never a torn mix. gloss's own files
//! also keep the previous good version at hand as `NAME.bak`; files written
//! for the person elsewhere, such as exports into a notes vault, do not.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::{NamedTempFile, TempPath};

use super::StoreError;

/// Writes `bytes` to `path` atomically, keeping the previous file as
/// `path.bak`.
///
/// The parent folder is created if needed (private to the user on unix). The
/// bytes go to a temporary file in the same folder, which is flushed to disk,
/// made private (0600 on unix) and renamed over `path`; the folder is then synced
/// so the rename itself survives a crash. An existing `path` is first kept as
/// `path.bak`, itself replaced atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_atomic_with(path, |file| file.write_all(bytes))
}

/// [`write_atomic`] with the bytes written by `write`, so that a large file
/// can be written in pieces as they are made rather than built whole first.
/// An error from `write` leaves `path` as it was.
pub(crate) fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), StoreError> {
    replace_atomically(path, Backup::Keep, write)
}

/// [`write_atomic`] without the `path.bak`: the same temporary file, syncs
/// and rename, for files that live among the person's own (a notes vault
/// would list every backup beside the note).
pub fn write_atomic_without_backup(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    replace_atomically(path, Backup::Skip, |file| file.write_all(bytes))
}

/// Whether replacing a file first keeps the old one as `NAME.bak`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backup {
    Keep,
    Skip,
}

fn replace_atomically(
    path: &Path,
    backup: Backup,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), StoreError> {
    // A symbolic link (notes kept in a synced folder) is followed: its
    // target is what is replaced, and the link stays a link.
    let target = followed(path).map_err(|source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    let path = target.as_path();
    if std::fs::metadata(path).is_ok_and(|metadata| metadata.permissions().readonly()) {
        return Err(StoreError::ReadOnlyFile {
            path: path.to_path_buf(),
        });
    }
    let folder = parent_folder(path);
    create_private_folder(&folder)?;
    let write_error = |source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    };

    let mut temp = NamedTempFile::new_in(&folder).map_err(write_error)?;
    write(temp.as_file_mut()).map_err(write_error)?;
    make_private(temp.as_file()).map_err(write_error)?;
    temp.as_file().sync_all().map_err(write_error)?;

    if backup == Backup::Keep {
        keep_backup(path, &folder)?;
    }
    temp.persist(path).map_err(|err| write_error(err.error))?;
    sync_folder(&folder).map_err(|source| StoreError::SyncFolder {
        path: path.to_path_buf(),
        source,
    })
}

/// Links a path may go through before it is taken for a loop.
const MAX_LINKS: usize = 40;

/// Where `path` leads through symbolic links: the file a write must
/// replace. A path that is not a link (or does not exist) is itself; a
/// dangling link leads to the file it names, which the write creates.
fn followed(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let target = std::fs::read_link(&current)?;
                current = parent_folder(&current).join(target);
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links lead from it (a loop?)"
    )))
}

/// The backup kept beside `path`: the same name with `.bak` added.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".bak");
    PathBuf::from(name)
}

fn parent_folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn create_private_folder(folder: &Path) -> Result<(), StoreError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(folder)
        .map_err(|source| StoreError::CreateFolder {
            path: folder.to_path_buf(),
            source,
        })
}

/// Copies the current `path` (if any) to `path.bak` through a temporary name, so
/// the backup is always a whole file. A hard link costs nothing; where links are
/// not supported the bytes are copied.
fn keep_backup(path: &Path, folder: &Path) -> Result<(), StoreError> {
    if !path.exists() {
        return Ok(());
    }
    let backup = backup_path(path);
    let backup_error = |source| StoreError::Backup {
        path: path.to_path_buf(),
        backup: backup.clone(),
        source,
    };
    let linked = tempfile::Builder::new()
        .prefix(".gloss-backup")
        .make_in(folder, |temp_name| std::fs::hard_link(path, temp_name));
    let staged = match linked {
        Ok(staged) => staged.into_temp_path(),
        Err(_) => copy_to_temp(path, folder).map_err(backup_error)?,
    };
    staged
        .persist(&backup)
        .map_err(|err| backup_error(err.error))
}

fn copy_to_temp(path: &Path, folder: &Path) -> io::Result<TempPath> {
    let mut temp = NamedTempFile::new_in(folder)?;
    io::copy(&mut File::open(path)?, &mut temp)?;
    make_private(temp.as_file())?;
    temp.as_file().sync_all()?;
    Ok(temp.into_temp_path())
}

fn make_private(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

fn sync_folder(folder: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(folder)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_followed_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let synced = dir.path().join("synced");
        std::fs::create_dir(&synced).unwrap();
        let target = synced.join("annotations.ron");
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("annotations.ron");
        std::os::unix::fs::symlink("synced/annotations.ron", &link).unwrap();

        write_atomic(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(std::fs::read(backup_path(&target)).unwrap(), b"old");
        assert!(
            !backup_path(&link).exists(),
            "the backup sits beside the target"
        );

        // A dangling link creates its target.
        std::fs::remove_file(&target).unwrap();
        write_atomic(&link, b"again").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"again");
    }

    #[cfg(unix)]
    #[test]
    fn a_loop_of_links_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        let err = write_atomic(&a, b"x").unwrap_err();
        assert!(err.to_string().contains("symbolic links"), "{err}");
    }

    #[test]
    fn a_file_made_read_only_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.ron");
        std::fs::write(&path, "mine").unwrap();
        let mut permissions = std::fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&path, permissions).unwrap();

        let err = write_atomic(&path, b"theirs").unwrap_err();
        assert!(matches!(err, StoreError::ReadOnlyFile { .. }), "{err:?}");
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"mine");
        assert!(!backup_path(&path).exists());
    }

    #[test]
    fn writes_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.ron");
        write_atomic(&path, b"first").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        assert!(!backup_path(&path).exists(), "nothing to back up yet");
    }

    #[test]
    fn overwriting_keeps_the_previous_version_as_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.ron");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(std::fs::read(backup_path(&path)).unwrap(), b"first");
        write_atomic(&path, b"third").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"third");
        assert_eq!(std::fs::read(backup_path(&path)).unwrap(), b"second");
    }

    #[test]
    fn leaves_no_temporary_files_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.ron");
        for text in ["a", "b", "c"] {
            write_atomic(&path, text.as_bytes()).unwrap();
        }
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["notes.ron", "notes.ron.bak"]);
    }

    #[test]
    fn without_backup_only_the_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("note.md");
        for text in ["a", "b", "c"] {
            write_atomic_without_backup(&path, text.as_bytes()).unwrap();
        }
        assert_eq!(std::fs::read(&path).unwrap(), b"c");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["note.md"]);
    }

    #[test]
    fn without_backup_a_file_that_cannot_be_replaced_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("note.md");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("inside"), b"keep me").unwrap();
        let err = write_atomic_without_backup(&path, b"new").unwrap_err();
        assert!(matches!(err, StoreError::Write { .. }), "{err:?}");
        assert!(err.to_string().contains("note.md"), "{err}");
        assert_eq!(std::fs::read(path.join("inside")).unwrap(), b"keep me");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left behind: {names:?}");
    }

    #[test]
    fn a_failing_writer_leaves_the_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.ron");
        write_atomic(&path, b"kept").unwrap();
        let err = write_atomic_with(&path, |file| {
            file.write_all(b"half")?;
            Err(io::Error::other("the disk is full"))
        })
        .unwrap_err();
        assert!(matches!(err, StoreError::Write { .. }), "{err:?}");
        assert!(err.to_string().contains("the disk is full"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"kept");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn creates_missing_folders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a").join("b").join("notes.ron");
        write_atomic(&path, b"deep").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"deep");
    }

    #[cfg(unix)]
    #[test]
    fn files_and_new_folders_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("data");
        let path = folder.join("notes.ron");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&backup_path(&path)), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_is_an_error_and_the_old_file_survives() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("locked");
        let path = folder.join("notes.ron");
        write_atomic(&path, b"old").unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o500)).unwrap();

        // Permissions do not bind a privileged user; then there is nothing to prove.
        let probe = folder.join("probe");
        let binds = std::fs::write(&probe, b"").is_err();
        let result = write_atomic(&path, b"new");
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
        if !binds {
            return;
        }
        let err = result.unwrap_err();
        assert!(matches!(err, StoreError::Write { .. }), "{err:?}");
        assert!(err.to_string().contains("notes.ron"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
    }

    #[test]
    fn a_target_that_cannot_be_replaced_is_an_error_and_nothing_is_lost() {
        // A folder where the file should be cannot be replaced, even by root.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.ron");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("inside"), b"keep me").unwrap();

        let err = write_atomic(&path, b"new").unwrap_err();
        assert!(err.to_string().contains("notes.ron"), "{err}");
        assert_eq!(std::fs::read(path.join("inside")).unwrap(), b"keep me");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left behind: {names:?}");
    }

    #[test]
    fn a_folder_in_the_way_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("plain-file");
        std::fs::write(&blocker, b"").unwrap();
        let err = write_atomic(&blocker.join("notes.ron"), b"x").unwrap_err();
        assert!(matches!(err, StoreError::CreateFolder { .. }), "{err:?}");
        assert!(err.to_string().contains("plain-file"), "{err}");
    }
}
