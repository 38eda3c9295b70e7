//! Reading a document given on the command line, with the checks that let a
//! mistake (a folder, a pipe, a picture, a file in another encoding, a huge dump)
//! be told in one sentence instead of producing a broken article.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

use super::ImportError;

/// Larger documents are refused before they are read (the same bound the
/// library applies to the files it loads).
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;

/// A NUL byte this close to the start means the file is not text.
const BINARY_SNIFF_BYTES: usize = 8 * 1024;

/// The bytes of the regular file at `path`, never more than
/// [`MAX_IMPORT_BYTES`]. Symbolic links are followed; folders, pipes and
/// devices are refused (reading a pipe could wait forever).
pub fn read_document(path: &Path) -> Result<Vec<u8>, ImportError> {
    let metadata = fs::metadata(path).map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(ImportError::Directory);
    }
    if !metadata.is_file() {
        return Err(ImportError::NotAFile);
    }
    if metadata.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            bytes: metadata.len(),
        });
    }
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|file| file.take(MAX_IMPORT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    // The file may have grown since its size was read.
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            bytes: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// The text of a document's bytes: UTF-8 and not binary. A UTF-8 byte order
/// mark is dropped; line endings are left for the sanitizer.
pub fn decode(bytes: &[u8]) -> Result<&str, ImportError> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        // UTF-16: its NUL bytes are not binary data, and its encoding is the
        // thing to fix.
        return Err(ImportError::Utf16);
    }
    if bytes[..bytes.len().min(BINARY_SNIFF_BYTES)].contains(&0) {
        return Err(ImportError::Binary);
    }
    let text = std::str::from_utf8(bytes).map_err(|error| ImportError::NotUtf8 {
        offset: error.valid_up_to(),
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

fn unreadable(error: io::Error) -> ImportError {
    match error.kind() {
        io::ErrorKind::NotFound => ImportError::Missing,
        _ => ImportError::Unreadable(error),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_text_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "Title\n\nText.\n").unwrap();
        assert_eq!(read_document(&path).unwrap(), b"Title\n\nText.\n");
    }

    #[test]
    fn folders_and_missing_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_document(dir.path()),
            Err(ImportError::Directory)
        ));
        assert!(matches!(
            read_document(&dir.path().join("nope.txt")),
            Err(ImportError::Missing)
        ));
    }

    #[test]
    fn a_huge_file_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.txt");
        // A sparse file: large on paper, nothing written to the disk.
        let file = File::create(&path).unwrap();
        file.set_len(MAX_IMPORT_BYTES + 1).unwrap();
        let error = read_document(&path).unwrap_err();
        assert!(
            matches!(error, ImportError::TooLarge { bytes } if bytes == MAX_IMPORT_BYTES + 1),
            "{error}"
        );
        assert!(error.to_string().contains("64 MiB"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_refused_without_waiting() {
        assert!(matches!(
            read_document(Path::new("/dev/null")),
            Err(ImportError::NotAFile)
        ));
    }

    #[test]
    fn decoding_names_what_is_wrong() {
        assert_eq!(decode(b"\xef\xbb\xbfText").unwrap(), "Text");
        assert_eq!(decode(b"a\r\nb").unwrap(), "a\r\nb");
        assert!(matches!(decode(b"text\0more"), Err(ImportError::Binary)));
        assert!(matches!(
            decode(b"caf\xe9 au lait"),
            Err(ImportError::NotUtf8 { offset: 3 })
        ));
        assert!(matches!(decode(b"\xff\xfeT\0"), Err(ImportError::Utf16)));
    }
}
