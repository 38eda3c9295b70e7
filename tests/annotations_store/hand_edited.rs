//! A store edited by hand: a typo, a bad value, a field gloss does not know,
//! a file cut short. Nothing is renamed or written on gloss's own; what can
//! be read is read; `repair` writes it only when asked, keeping the file.

use std::path::{Path, PathBuf};

use gloss::store::StoreError;
use gloss::store::annotations::{Annotations, load, repair, save_merged};

use super::{data_file, folder_names, store_of};

/// A store of `count` highlights saved by gloss, twice when `with_backup`
/// (the second save keeps the first as `.bak`), and its text.
fn saved_store(count: usize, with_backup: bool) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = data_file(&dir);
    if with_backup {
        save_merged(&path, &store_of("s", count)).unwrap();
    }
    save_merged(&path, &store_of("s", count)).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    (dir, path, text)
}

/// `text` without the comma that ends the `n`th highlight.
fn without_comma_after(text: &str, n: usize) -> String {
    let at = text.match_indices("\n        ),\n").nth(n).unwrap().0 + 10;
    assert_eq!(&text[at..=at], ",");
    format!("{}{}", &text[..at], &text[at + 1..])
}

fn kept_copies(path: &Path) -> Vec<PathBuf> {
    let folder = path.parent().unwrap();
    folder_names(path)
        .into_iter()
        .filter(|name| name.starts_with("annotations.ron.broken-"))
        .map(|name| folder.join(name))
        .collect()
}

#[test]
fn a_deleted_comma_loses_nothing_and_repair_writes_every_highlight() {
    for with_backup in [false, true] {
        let (_dir, path, text) = saved_store(6, with_backup);
        let typo = without_comma_after(&text, 2);
        std::fs::write(&path, &typo).unwrap();
        let names_before = folder_names(&path);

        let loaded = load(&path);
        assert!(loaded.read_only && loaded.needs_repair());
        assert_eq!(loaded.annotations, store_of("s", 6), "{with_backup}");
        let line = 1
            + text[..text.match_indices("\n        ),\n").nth(2).unwrap().0]
                .matches('\n')
                .count()
            + 1;
        let warning = loaded.warning().unwrap();
        assert!(
            warning.contains(&format!("annotations.ron:{line}:10: a comma is missing")),
            "{warning}"
        );

        // Saving is refused, byte for byte nothing changes, nothing is renamed.
        let err = save_merged(&path, &store_of("new", 1)).unwrap_err();
        assert!(matches!(err, StoreError::Damaged { .. }));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), typo);
        assert_eq!(folder_names(&path), names_before);

        // A dry run says what it would do and does nothing.
        let dry = repair(&path, false, true).unwrap();
        assert!(!dry.written && dry.highlights == 6);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), typo);
        assert_eq!(folder_names(&path), names_before);

        let done = repair(&path, false, false).unwrap();
        assert!(done.written);
        assert_eq!(done.highlights, 6);
        let kept = done.kept_as.unwrap();
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), typo);
        assert_eq!(kept_copies(&path), [kept]);
        let after = load(&path);
        assert!(after.problem.is_none(), "{:?}", after.problem);
        assert_eq!(after.annotations, store_of("s", 6));
        if with_backup {
            // The backup is still the last good file, not the broken one.
            let backup = std::fs::read_to_string(path.with_extension("ron.bak")).unwrap();
            assert_eq!(backup, text);
        }
    }
}

#[test]
fn a_file_cut_in_the_middle_offers_the_backup_and_repair_takes_it_when_asked() {
    let (_dir, path, text) = saved_store(6, true);
    let cut = &text[..text.len() / 2];
    std::fs::write(&path, cut).unwrap();

    let loaded = load(&path);
    assert!(loaded.needs_repair());
    assert!(!loaded.annotations.is_empty());
    assert!(loaded.annotations.len() < 6);
    for highlight in loaded.annotations.iter() {
        assert_eq!(store_of("s", 6).get(&highlight.id), Some(highlight));
    }
    let warning = loaded.warning().unwrap();
    assert!(warning.contains("cut short"), "{warning}");
    assert!(warning.contains("--from-backup"), "{warning}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), cut);

    let done = repair(&path, true, false).unwrap();
    assert!(done.from_backup.is_some());
    assert_eq!(std::fs::read_to_string(done.kept_as.unwrap()).unwrap(), cut);
    assert_eq!(load(&path).annotations, store_of("s", 6));
}

#[test]
fn a_bad_colour_spoils_one_highlight_and_survives_a_save_byte_for_byte() {
    let (_dir, path, text) = saved_store(4, false);
    let at = text.match_indices("color: ").nth(1).unwrap().0;
    let line_end = at + text[at..].find(',').unwrap();
    let typo = format!("{}color: yelow{}", &text[..at], &text[line_end..]);
    std::fs::write(&path, &typo).unwrap();
    let entry_start = typo[..at].rfind("        (\n").unwrap() + 8;
    let entry_end = at + typo[at..].find("\n        )").unwrap() + 10;
    let entry = &typo[entry_start..entry_end];

    let loaded = load(&path);
    assert!(!loaded.read_only, "one bad value does not lock the store");
    assert_eq!(loaded.annotations.len(), 3);
    let warnings = loaded.spoiled_warnings();
    let line = 1 + typo[..at].matches('\n').count();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].contains(&format!("annotations.ron:{line}:20: highlight h-s000001"))
            && warnings[0].contains("color must be one of yellow, green, blue, pink, purple"),
        "{}",
        warnings[0]
    );

    // A save of a new highlight keeps the spoiled one exactly as written.
    let mut changes = Annotations::new();
    changes.upsert(super::numbered("new", 1));
    save_merged(&path, &changes).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains(entry), "{saved}");
    let again = load(&path);
    assert_eq!(again.annotations.len(), 4);
    assert_eq!(again.annotations.spoiled()[0].text, entry);
}

#[test]
fn an_unknown_field_survives_a_save() {
    let (_dir, path, text) = saved_store(3, false);
    let edited = text.replacen(
        "            note: ",
        "            mood: Calm(level: 3), // my own field\n            note: ",
        1,
    );
    std::fs::write(&path, &edited).unwrap();
    let loaded = load(&path);
    assert!(loaded.problem.is_none() && !loaded.read_only);
    assert_eq!(loaded.annotations, {
        // Equal as highlights: the extra field is kept beside them.
        let mut plain = load(&path).annotations;
        plain.merge(&store_of("s", 3));
        plain
    });
    let mut changes = Annotations::new();
    let mut changed = super::numbered("s", 0);
    changed.note = "changed".into();
    changed.updated += jiff::SignedDuration::from_secs(1);
    changes.upsert(changed);
    save_merged(&path, &changes).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains("            mood: Calm(level: 3),\n"),
        "{saved}"
    );
    assert_eq!(
        load(&path).annotations.get("h-s000000").unwrap().note,
        "changed"
    );
}

#[test]
fn a_comma_deleted_between_two_fields_still_reads_every_highlight() {
    let (_dir, path, text) = saved_store(4, false);
    let at = text.match_indices("color: ").nth(2).unwrap().0;
    let comma = at + text[at..].find(',').unwrap();
    let typo = format!("{}{}", &text[..comma], &text[comma + 1..]);
    std::fs::write(&path, &typo).unwrap();

    let loaded = load(&path);
    assert!(
        loaded.needs_repair(),
        "a syntax error keeps the file read-only"
    );
    assert_eq!(loaded.annotations, store_of("s", 4));
    let line = 1 + typo[..comma].matches('\n').count() + 1;
    let warning = loaded.warning().unwrap();
    assert!(
        warning.contains(&format!("annotations.ron:{line}:13: a comma is missing"))
            && warning.contains("(in highlight h-s000002)"),
        "{warning}"
    );
    let done = repair(&path, false, false).unwrap();
    assert_eq!(done.highlights, 4);
    assert!(done.dropped.is_empty(), "{:?}", done.dropped);
    assert_eq!(load(&path).annotations, store_of("s", 4));
}
