//! Builds a [`Library`] from its sources: the bundled articles, then each library
//! folder's `*.md` files in name order. Nothing here fails as a whole: a file or
//! folder that cannot be used becomes a [`LoadWarning`] and the rest still loads.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::parse::{ArticleError, MAX_FILE_BYTES, parse_bytes};
use super::{Article, Folder, Library, LoadWarning, Origin, Sources, bundled};
use crate::text::sanitize_line;

/// Loads every article from `sources`, in order, collecting warnings.
pub fn open(sources: &Sources) -> Library {
    let mut loader = Loader::default();
    if sources.bundled {
        for (name, bytes) in bundled::files() {
            let origin = Origin::Bundled(name.to_string());
            let article = parse_bytes(bytes, origin.clone()).map_err(|e| e.to_string());
            loader.add(&origin, article);
        }
    }
    let mut seen_folders = Vec::new();
    for folder in &sources.folders {
        // The same folder given twice (say `--library` pointing at the user
        // folder) would only load every article twice under suffixed ids.
        let key = fs::canonicalize(&folder.path).unwrap_or_else(|_| folder.path.clone());
        if seen_folders.contains(&key) {
            continue;
        }
        seen_folders.push(key);
        loader.load_folder(folder);
    }
    loader.library
}

#[derive(Default)]
struct Loader {
    library: Library,
    /// Each id in use, with the display name of the article that holds it.
    ids: HashMap<String, String>,
}

impl Loader {
    fn load_folder(&mut self, folder: &Folder) {
        let files = match markdown_files(&folder.path) {
            Ok(files) => files,
            Err(error) if error.kind() == io::ErrorKind::NotFound && folder.optional => return,
            Err(error) => {
                self.warn(&folder.path.display().to_string(), &folder_reason(&error));
                return;
            }
        };
        for path in files {
            let article = read_file(&path).and_then(|bytes| {
                parse_bytes(&bytes, Origin::File(path.clone())).map_err(|e| e.to_string())
            });
            self.add(&Origin::File(path), article);
        }
    }

    fn add(&mut self, origin: &Origin, article: Result<Article, String>) {
        match article {
            Ok(article) => self.keep(article),
            Err(reason) => self.warn(&origin.to_string(), &reason),
        }
    }

    /// Keeps `article`; an id already taken gets the first free `-2`, `-3`, …
    /// suffix, so both articles stay readable, and a warning names both files.
    fn keep(&mut self, mut article: Article) {
        let name = article.origin.to_string();
        if let Some(holder) = self.ids.get(&article.meta.id) {
            let taken = article.meta.id.clone();
            let holder = holder.clone();
            // With n ids taken, one of n + 1 suffixes is free.
            let free = (2..=self.ids.len() + 2)
                .map(|n| format!("{taken}-{n}"))
                .find(|id| !self.ids.contains_key(id))
                .unwrap_or_else(|| format!("{taken}-{}", self.ids.len() + 2));
            self.warn(
                &name,
                &format!(
                    "the id '{taken}' is already used by {holder}; this article is loaded as \
                     '{free}' — give it its own `id:` in the front matter"
                ),
            );
            article.meta.id = free;
        }
        self.ids.insert(article.meta.id.clone(), name);
        self.library.articles.push(article);
    }

    fn warn(&mut self, origin: &str, reason: &str) {
        self.library.warnings.push(LoadWarning {
            origin: sanitize_line(origin),
            reason: sanitize_line(reason),
        });
    }
}

/// The `*.md` files directly in `folder`, hidden files left out, sorted by name.
fn markdown_files(folder: &Path) -> io::Result<Vec<PathBuf>> {
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

fn folder_reason(error: &io::Error) -> String {
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
fn read_file(path: &Path) -> Result<Vec<u8>, String> {
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn folder(path: &Path, optional: bool) -> Sources {
        Sources {
            bundled: false,
            folders: vec![Folder {
                path: path.to_path_buf(),
                optional,
            }],
        }
    }

    #[test]
    fn bundled_articles_all_load_without_warnings() {
        let library = open(&Sources {
            bundled: true,
            folders: Vec::new(),
        });
        assert!(library.warnings.is_empty(), "{:?}", library.warnings);
        assert_eq!(library.articles.len(), bundled::files().len());
        assert!(
            library
                .articles
                .iter()
                .all(|a| matches!(a.origin, Origin::Bundled(_)))
        );
    }

    #[test]
    fn files_load_in_name_order_and_hidden_or_other_files_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("b.md"), "# B\n\nText.\n").unwrap();
        fs::write(dir.path().join("a.MD"), "# A\n\nText.\n").unwrap();
        fs::write(dir.path().join(".hidden.md"), "# H\n\nText.\n").unwrap();
        fs::write(dir.path().join("notes.txt"), "# T\n\nText.\n").unwrap();
        let library = open(&folder(dir.path(), false));
        let titles: Vec<_> = library
            .articles
            .iter()
            .map(|a| a.meta.title.as_str())
            .collect();
        assert_eq!(titles, ["A", "B"]);
        assert!(library.warnings.is_empty());
    }

    #[test]
    fn duplicate_ids_are_suffixed_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["one.md", "two.md", "three.md"] {
            fs::write(dir.path().join(name), "---\nid: same\n---\nText.\n").unwrap();
        }
        fs::write(dir.path().join("same-2.md"), "Text.\n").unwrap();
        let library = open(&folder(dir.path(), false));
        let ids: Vec<_> = library
            .articles
            .iter()
            .map(|a| a.meta.id.as_str())
            .collect();
        // In name order: one.md, same-2.md (its own id), three.md, two.md.
        assert_eq!(ids, ["same", "same-2", "same-3", "same-4"]);
        assert_eq!(library.warnings.len(), 2, "{:?}", library.warnings);
        assert!(library.warnings[0].origin.ends_with("three.md"));
        assert!(library.warnings[0].reason.contains("one.md"));
    }

    #[test]
    fn missing_folders_warn_unless_optional() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nowhere");
        assert!(open(&folder(&missing, true)).warnings.is_empty());
        let warnings = open(&folder(&missing, false)).warnings;
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].origin.contains("nowhere"));
        assert!(warnings[0].reason.contains("not found"));
    }

    #[test]
    fn a_file_given_as_folder_warns() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file.md");
        fs::write(&file, "Text.\n").unwrap();
        let warnings = open(&folder(&file, false)).warnings;
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].reason.contains("not a folder"),
            "{:?}",
            warnings[0]
        );
    }

    #[test]
    fn the_same_folder_twice_loads_once() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "Text.\n").unwrap();
        let mut sources = folder(dir.path(), false);
        sources.folders.push(sources.folders[0].clone());
        let library = open(&sources);
        assert_eq!(library.articles.len(), 1);
        assert!(library.warnings.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn sockets_and_pipes_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let _listener =
            std::os::unix::net::UnixListener::bind(dir.path().join("socket.md")).unwrap();
        let library = open(&folder(dir.path(), false));
        assert!(library.articles.is_empty());
        assert_eq!(library.warnings.len(), 1);
        assert!(library.warnings[0].reason.contains("not a regular file"));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_to_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.txt");
        fs::write(&target, "# Linked\n\nText.\n").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("link.md")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("broken.md")).unwrap();
        let library = open(&folder(dir.path(), false));
        assert_eq!(library.articles.len(), 1);
        assert_eq!(library.articles[0].meta.title, "Linked");
        assert_eq!(library.warnings.len(), 1);
        assert!(library.warnings[0].origin.ends_with("broken.md"));
    }
}
