//! Reading a library folder from disk: which files are articles, and each
//! file's bytes, with a reason a person can act on when it cannot be read.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::parse::{ArticleError, MAX_FILE_BYTES};

/// The `*.md` files directly in `folder`, hidden files left out, sorted by name.
pub(super) fn markdown_files(folder: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(folder)? {
        let entry = entry?;
        let name = entry.file_name();
        let is_hidden = name.as_encoded_bytes().first() == Some(&b'.');
        let is_markdown = Path::new(&name)
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("md"));
        if is_markdown && !is_hidden {
            files.push(entry.path());
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(files)
}

pub(super) fn folder_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => {
            "library folder not found; check the path, or create the folder".to_string()
        }
        io::ErrorKind::NotADirectory => {
            "this is a file, not a folder; give the folder that holds the .md files".to_string()
        }
        _ => format!("cannot read this library folder ({error}); check its permissions"),
    }
}

/// Reads a file found in a library folder, following symlinks only to regular
/// files and never reading more than [`MAX_FILE_BYTES`] (plus one, to notice).
pub(super) fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let metadata = fs::metadata(path).map_err(|error| match error.kind() {
        io::ErrorKind::NotFound => {
            "this is a link to a file that does not exist; fix or remove the link".to_string()
        }
        _ => format!("cannot read this file ({error}); check its permissions"),
    })?;
    if metadata.is_dir() {
        return Err(
            "this is a folder, not a Markdown file; rename it or move it out of the \
                    library folder"
                .to_string(),
        );
    }
    if !metadata.is_file() {
        // Reading a pipe or a device could block forever.
        return Err(
            "this is not a regular file (a pipe, socket or device); only .md text \
                    files are read"
                .to_string(),
        );
    }
    if metadata.len() > MAX_FILE_BYTES as u64 {
        return Err(ArticleError::TooLarge {
            bytes: metadata.len(),
        }
        .to_string());
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    fs::File::open(path)
        .and_then(|file| file.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(|error| format!("cannot read this file ({error}); check its permissions"))?;
    Ok(bytes)
}
