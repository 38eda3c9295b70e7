//! The annotations file keeps every highlight: through save and load, merges
//! between instances, files that turned unreadable or come from a newer gloss,
//! and writes that fail. Kills and concurrent processes are in `processes`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::files;
mod hand_edited;
mod large_and_hand_made;
mod processes;

use std::path::PathBuf;

use files::names_in;
use gloss::annotation::{Color, Highlight, TextAnchor, TextPosition, TextQuote, text_hash};
use gloss::store::StoreError;
use gloss::store::annotations::{Annotations, Loaded, load, save_merged};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

/// A highlight whose every field depends on `prefix` and `n`, so a test can
/// tell exactly which one it has and that nothing in it changed.
pub fn numbered(prefix: &str, n: usize) -> Highlight {
    let at = Timestamp::from_second(1_780_000_000 + n as i64).unwrap();
    Highlight {
        id: format!("h-{prefix}{n:06}"),
        article: format!("article-{}", n % 7),
        text_hash: text_hash(prefix),
        anchor: TextAnchor {
            quote: TextQuote {
                exact: format!("passage {n} with \"quotes\", a \\ and 成果"),
                prefix: "what came before ".into(),
                suffix: " and after".into(),
            },
            position: TextPosition {
                block: n % 40,
                start: n * 10,
                end: n * 10 + 7,
            },
        },
        placement: None,
        color: Color::ALL[n % Color::ALL.len()],
        tags: vec![format!("tag-{}", n % 5), "Funding".into()],
        note: format!("note {n}\nsecond line"),
        created: at,
        updated: at,
    }
}

pub fn store_of(prefix: &str, count: usize) -> Annotations {
    let mut annotations = Annotations::new();
    for n in 0..count {
        annotations.upsert(numbered(prefix, n));
    }
    annotations
}

fn data_file(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("data").join("annotations.ron")
}

fn assert_clean(loaded: &Loaded) {
    assert!(loaded.problem.is_none(), "{:?}", loaded.problem);
    assert!(!loaded.read_only);
}

// ---- save and load ------------------------------------------------------

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (0i64..4_000_000_000, 0i32..1_000_000_000)
        .prop_map(|(second, nano)| Timestamp::new(second, nano).unwrap())
}

fn awkward_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z \"\\\\\n\r\t'()\\[\\]{}#/*成果🦀\u{301}\u{202e}\u{0}]{0,30}",
    ]
}

prop_compose! {
    fn any_highlight()(
        article in awkward_text(),
        exact in awkward_text(),
        prefix in awkward_text(),
        suffix in awkward_text(),
        position in (0usize..1_000_000, 0usize..1_000_000, 0usize..1_000_000),
        color in 0usize..5,
        tags in prop::collection::vec(awkward_text(), 0..5),
        note in awkward_text(),
        created in timestamp(),
        updated in timestamp(),
    ) -> Highlight {
        Highlight {
            id: String::new(),
            article,
            text_hash: text_hash(&exact),
            anchor: TextAnchor {
                quote: TextQuote { exact, prefix, suffix },
                position: TextPosition { block: position.0, start: position.1, end: position.2 },
            },
            placement: None,
            color: Color::ALL[color],
            tags,
            note,
            created,
            updated,
        }
    }
}

fn any_annotations() -> impl Strategy<Value = Annotations> {
    let highlights = prop::collection::btree_map(awkward_text(), any_highlight(), 0..12);
    let deletions = prop::collection::btree_map(awkward_text(), 0i64..90 * 86_400, 0..4);
    (highlights, deletions).prop_map(|(highlights, deletions)| {
        let mut annotations = Annotations::new();
        for (id, mut highlight) in highlights {
            highlight.id = format!("h-{id}");
            annotations.upsert(highlight);
        }
        // Recent enough not to be forgotten on save.
        let now = Timestamp::now();
        for (id, seconds_ago) in deletions {
            let at = now
                .checked_sub(SignedDuration::from_secs(seconds_ago))
                .unwrap();
            annotations.remove(&format!("d-{id}"), at);
        }
        annotations
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn what_is_saved_loads_back_unchanged(annotations in any_annotations()) {
        let dir = tempfile::tempdir().unwrap();
        let path = data_file(&dir);
        let saved = save_merged(&path, &annotations).unwrap();
        prop_assert!(saved.notice.is_none());
        prop_assert_eq!(&saved.annotations, &annotations);
        let loaded = load(&path);
        prop_assert!(loaded.problem.is_none(), "{:?}", loaded.problem);
        prop_assert_eq!(loaded.annotations, annotations);
    }
}

#[test]
fn the_file_is_private_readable_ron_starting_with_its_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    save_merged(&path, &store_of("a", 3)).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("(\n    version: 1,\n    highlights: ["),
        "{text}"
    );
    assert!(
        text.contains("            note: \"note 1\nsecond line\",\n"),
        "{text}"
    );
    assert!(text.contains("    deleted: {},\n"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in [path.clone(), path.with_extension("ron.lock")] {
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
    }
}

#[test]
fn a_change_to_one_highlight_changes_only_its_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    let mut annotations = store_of("a", 50);
    save_merged(&path, &annotations).unwrap();
    let before = std::fs::read_to_string(&path).unwrap();

    let mut edited = numbered("a", 17);
    edited.note = "rewritten\nover two lines".into();
    edited.updated = Timestamp::from_second(1_790_000_000).unwrap();
    annotations.upsert(edited);
    save_merged(&path, &annotations).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();

    assert_eq!(before.lines().count(), after.lines().count());
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 3, "{changed:#?}");
    assert_eq!(changed[0].1, "            note: \"rewritten", "{changed:?}");
    assert_eq!(changed[1].1, "over two lines\",", "{changed:?}");
    assert!(
        changed[2].1.contains("updated: \"2026-09-21"),
        "{changed:?}"
    );
}

#[test]
fn a_missing_file_is_an_empty_store_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = load(&data_file(&dir));
    assert_clean(&loaded);
    assert!(loaded.annotations.is_empty());
    assert!(!dir.path().join("data").exists());
}

// ---- merging with what is on disk ---------------------------------------

#[test]
fn saving_merges_with_what_another_instance_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    let shared = store_of("s", 4);
    save_merged(&path, &shared).unwrap();

    // Two instances start from the same file and change it independently.
    let mut first = load(&path).annotations;
    let mut second = first.clone();
    first.upsert(numbered("first", 0));
    let mut edited = numbered("s", 1);
    edited.note = "edited by the first".into();
    edited.updated = Timestamp::now();
    first.upsert(edited.clone());
    second.upsert(numbered("second", 0));
    second.remove(&numbered("s", 2).id, Timestamp::now());

    save_merged(&path, &first).unwrap();
    let merged = save_merged(&path, &second).unwrap().annotations;

    assert_eq!(load(&path).annotations, merged);
    let ids: Vec<&str> = merged.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "h-first000000",
            "h-s000000",
            "h-s000001",
            "h-s000003",
            "h-second000000"
        ]
    );
    assert_eq!(merged.get(&edited.id), Some(&edited), "the later edit wins");

    // The first instance adopts the merged state and the deletion holds.
    first.merge(&merged);
    assert_eq!(first, merged);
    let again = save_merged(&path, &first).unwrap().annotations;
    assert!(again.get(&numbered("s", 2).id).is_none());
}

#[test]
fn deletions_are_remembered_for_half_a_year() {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    let now = Timestamp::now();
    let mut annotations = Annotations::new();
    annotations.remove(
        "h-recent",
        now.checked_sub(SignedDuration::from_hours(24 * 179))
            .unwrap(),
    );
    annotations.remove(
        "h-ancient",
        now.checked_sub(SignedDuration::from_hours(24 * 181))
            .unwrap(),
    );
    let saved = save_merged(&path, &annotations).unwrap().annotations;
    assert!(saved.deleted_at("h-recent").is_some());
    assert!(saved.deleted_at("h-ancient").is_none());
    assert!(load(&path).annotations.deleted_at("h-recent").is_some());
}

// ---- files that cannot be used --------------------------------------------

/// Writes `bytes` where the annotations file goes, with a good backup beside
/// it when `backup` is given, and loads.
fn load_bad_file(
    bytes: &[u8],
    backup: Option<&Annotations>,
) -> (tempfile::TempDir, PathBuf, Loaded) {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    if let Some(backup) = backup {
        save_merged(&path, backup).unwrap();
        save_merged(&path, backup).unwrap(); // the second save makes the .bak
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let loaded = load(&path);
    (dir, path, loaded)
}

fn bad_files() -> Vec<(&'static str, Vec<u8>)> {
    let good = {
        let dir = tempfile::tempdir().unwrap();
        let path = data_file(&dir);
        save_merged(&path, &store_of("t", 20)).unwrap();
        std::fs::read(&path).unwrap()
    };
    vec![
        ("garbage", b"this is not RON at all {".to_vec()),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("empty", Vec::new()),
        (
            "binary",
            (0..4096u32).map(|i| (i * 7 % 256) as u8).collect(),
        ),
        ("NUL bytes", b"(version: 1,\0\0\0 highlights: [])".to_vec()),
        (
            "nested lists",
            format!("(version: 1, highlights: {})", "[".repeat(100_000)).into_bytes(),
        ),
        ("nested tuples", "(".repeat(100_000).into_bytes()),
        (
            "nested maps",
            format!("(version: 1, deleted: {})", "{".repeat(100_000)).into_bytes(),
        ),
        ("wrong type", b"(version: 1, highlights: 12)".to_vec()),
        ("no version", b"(highlights: [])".to_vec()),
    ]
}

/// The files in the folder of `path`, to show nothing was renamed or added.
fn folder_names(path: &std::path::Path) -> Vec<String> {
    names_in(path.parent().unwrap())
}

#[test]
fn an_unreadable_file_is_never_moved_nor_written_and_the_person_told_where() {
    // Before: every one of these was renamed to annotations.ron.corrupt-<time>
    // and the next save wrote a store without what it held.
    for (what, bytes) in bad_files() {
        let (dir, path, loaded) = load_bad_file(&bytes, None);
        assert!(loaded.read_only, "{what}: the bad file must not be written");
        assert!(loaded.needs_repair(), "{what}");
        let Some(StoreError::Damaged { problems, .. }) = &loaded.problem else {
            panic!("{what}: expected Damaged, got {:?}", loaded.problem);
        };
        let (line, column) = (problems[0].line, problems[0].column);
        assert!(line >= 1 && column >= 1, "{what}");
        let warning = loaded.warning().unwrap();
        assert!(
            warning.contains(&format!("annotations.ron:{line}:{column}: ")),
            "{what}: {warning}"
        );
        assert!(warning.contains("gloss repair"), "{what}: {warning}");
        assert!(
            !warning.chars().any(char::is_control),
            "{what}: {warning:?}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{what}");

        // Saving is refused and leaves the file as it is.
        let err = save_merged(&path, &store_of("n", 2)).unwrap_err();
        assert!(matches!(err, StoreError::Damaged { .. }), "{what}: {err:?}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{what}");
        assert_eq!(
            folder_names(&path),
            ["annotations.ron", "annotations.ron.lock"],
            "{what}"
        );
        drop(dir);
    }
}

#[test]
fn deep_nesting_is_refused_with_a_clear_reason() {
    let bytes = format!("(version: 1,\nhighlights: {})", "[".repeat(100_000));
    let (_dir, _path, loaded) = load_bad_file(bytes.as_bytes(), None);
    let warning = loaded.warning().unwrap();
    assert!(
        warning.contains(":2:76: nested more than 64 levels deep"),
        "{warning}"
    );
}

#[test]
fn the_backup_is_offered_and_never_swapped_in() {
    // Before: the backup silently replaced the file, losing every change
    // made after it.
    let backup = store_of("b", 5);
    for (what, bytes) in bad_files() {
        let (_dir, path, loaded) = load_bad_file(&bytes, Some(&backup));
        assert!(loaded.read_only, "{what}");
        assert_ne!(loaded.annotations, backup, "{what}");
        let warning = loaded.warning().unwrap();
        assert!(
            warning.contains("gloss repair --from-backup")
                && warning.contains("annotations.ron.bak"),
            "{what}: {warning}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{what}");

        // The next start finds the file as it was, still to be fixed.
        let again = load(&path);
        assert!(again.needs_repair(), "{what}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{what}");
        assert_eq!(
            folder_names(&path),
            [
                "annotations.ron",
                "annotations.ron.bak",
                "annotations.ron.lock"
            ],
            "{what}"
        );
    }
}

#[test]
fn a_file_that_turned_unreadable_between_saves_stops_the_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    let earlier = store_of("e", 3);
    save_merged(&path, &earlier).unwrap();
    save_merged(&path, &earlier).unwrap();
    std::fs::write(&path, b"(version: 1, highl").unwrap();

    let err = save_merged(&path, &store_of("mine", 2)).unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err:?}");
    assert!(err.to_string().contains("annotations.ron:1:"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"(version: 1, highl");
}

#[test]
fn a_file_from_a_newer_gloss_is_read_but_never_written() {
    let text = "(\n    version: 2,\n    highlights: [],\n    deleted: {},\n    shelves: [(name: \"new\")],\n)\n";
    let nested = format!("(version: 9, highlights: {})", "[".repeat(100_000));
    for bytes in [text.as_bytes(), nested.as_bytes()] {
        let dir = tempfile::tempdir().unwrap();
        let path = data_file(&dir);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();

        let loaded = load(&path);
        assert!(loaded.read_only);
        assert!(loaded.annotations.is_empty());
        assert!(
            matches!(loaded.problem, Some(StoreError::NewerVersion { .. })),
            "{:?}",
            loaded.problem
        );
        assert!(loaded.warning().unwrap().contains("update gloss"));

        let err = save_merged(&path, &store_of("x", 1)).unwrap_err();
        assert!(matches!(err, StoreError::NewerVersion { .. }), "{err:?}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        let names = names_in(path.parent().unwrap());
        assert_eq!(names, ["annotations.ron", "annotations.ron.lock"]);
    }
}

#[test]
fn the_highlights_of_a_newer_file_are_shown_when_they_can_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    save_merged(&path, &store_of("v", 3)).unwrap();
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("version: 1,", "version: 2,\n    colours: [\"teal\"],");
    std::fs::write(&path, &text).unwrap();
    let loaded = load(&path);
    assert!(loaded.read_only);
    assert_eq!(loaded.annotations, store_of("v", 3));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

// ---- writes that fail -----------------------------------------------------

#[test]
fn a_file_that_cannot_be_read_is_left_alone_and_blocks_saving() {
    // A folder in the file's place cannot be read as a file, even by root.
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    std::fs::create_dir_all(path.join("inside")).unwrap();

    let loaded = load(&path);
    assert!(loaded.read_only);
    assert!(
        matches!(loaded.problem, Some(StoreError::Read { .. })),
        "{:?}",
        loaded.problem
    );
    let err = save_merged(&path, &store_of("x", 1)).unwrap_err();
    assert!(!err.allows_saving());
    assert!(err.to_string().contains("annotations.ron"), "{err}");
    assert!(path.join("inside").is_dir());
}

#[test]
fn a_backup_that_cannot_be_replaced_fails_the_save_and_keeps_the_file() {
    // A non-empty folder where the backup goes cannot be renamed over, even
    // by root, so the write stops before the file is replaced.
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    save_merged(&path, &store_of("old", 3)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let backup = path.with_extension("ron.bak");
    std::fs::create_dir_all(backup.join("in-the-way")).unwrap();

    let err = save_merged(&path, &store_of("new", 3)).unwrap_err();
    assert!(matches!(err, StoreError::Backup { .. }), "{err:?}");
    assert!(err.to_string().contains("annotations.ron"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(load(&path).annotations, store_of("old", 3));
}

#[test]
fn a_folder_that_cannot_be_created_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data"), b"a file, not a folder").unwrap();
    let err = save_merged(&data_file(&dir), &store_of("x", 1)).unwrap_err();
    assert!(matches!(err, StoreError::CreateFolder { .. }), "{err:?}");
    assert!(err.to_string().contains("data"), "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("data")).unwrap(),
        b"a file, not a folder"
    );
}
