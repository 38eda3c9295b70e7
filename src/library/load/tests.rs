#![allow(clippy::unwrap_used)]

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
fn progress_is_told_of_every_file() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..12 {
        fs::write(dir.path().join(format!("{i}.md")), "# T\n\nText.\n").unwrap();
    }
    let calls = std::sync::Mutex::new(Vec::new());
    let library = Library::open_with_progress(&folder(dir.path(), false), &|done, total| {
        calls.lock().unwrap().push((done, total));
    });
    assert_eq!(library.articles.len(), 12);
    let mut calls = calls.into_inner().unwrap();
    calls.sort_unstable();
    assert_eq!(calls, (1..=12).map(|done| (done, 12)).collect::<Vec<_>>());
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
    let _listener = std::os::unix::net::UnixListener::bind(dir.path().join("socket.md")).unwrap();
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
