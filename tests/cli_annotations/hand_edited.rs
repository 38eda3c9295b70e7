//! The commands on an annotations file edited by hand: a deleted comma, a
//! bad colour, a file cut short. Reading commands print what could be read
//! and exit 2 with the place to fix; writing commands exit 2 and change
//! nothing; `check` lists the places; `repair` writes what could be read
//! and keeps the file as it was.

use super::{ARTICLE, Sandbox, ids, json};
use crate::output::{assert_exit, stderr, stdout};

/// A sandbox with three highlights added one by one (so a backup exists),
/// and their ids.
fn with_three() -> (Sandbox, Vec<String>) {
    let sandbox = Sandbox::new();
    let ids = [
        "The river is wide",
        "Gulls follow them home",
        "The old tram",
    ]
    .iter()
    .map(|quote| sandbox.add(quote, &["--tag", "port"]))
    .collect();
    (sandbox, ids)
}

/// The data folder's file names, sorted.
fn names(sandbox: &Sandbox) -> Vec<String> {
    crate::files::names_in(sandbox.data.path())
}

#[test]
fn a_deleted_comma_stops_writes_shows_what_was_read_and_repair_keeps_all() {
    let (sandbox, added) = with_three();
    let file = sandbox.annotations_file();
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text.find("\n        ),\n").unwrap() + 10;
    let typo = format!("{}{}", &text[..at], &text[at + 1..]);
    std::fs::write(&file, &typo).unwrap();
    let line = 1 + typo[..at].matches('\n').count();
    let place = format!("annotations.ron:{line}:10: a comma is missing");
    let before = names(&sandbox);

    // Reading: everything that was read is printed, then exit 2 and where.
    let output = sandbox.run(&["highlights", "--json"]);
    assert_exit(&output, 2);
    let mut listed: Vec<String> = ids(json(&output).as_array().unwrap())
        .into_iter()
        .map(String::from)
        .collect();
    listed.sort();
    let mut expected = added.clone();
    expected.sort();
    assert_eq!(listed, expected);
    assert!(stderr(&output).contains(&place), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("gloss repair"),
        "{}",
        stderr(&output)
    );
    let output = sandbox.run(&["tags"]);
    assert_exit(&output, 2);
    assert!(stdout(&output).contains("port  3"), "{}", stdout(&output));
    let output = sandbox.run(&["search", "tag:port"]);
    assert_exit(&output, 2);
    assert_eq!(stdout(&output).lines().count(), 3, "{}", stdout(&output));
    assert!(stderr(&output).contains(&place), "{}", stderr(&output));
    let output = sandbox.run(&["export", ARTICLE]);
    assert_exit(&output, 2);
    assert!(stdout(&output).contains("Gulls follow them home"));
    // Notes written to files from part of a store would replace fuller ones.
    let notes = tempfile::tempdir().unwrap();
    let out = notes.path().join("harbour.md");
    let output = sandbox.run(&["export", ARTICLE, "--out", out.to_str().unwrap()]);
    assert_exit(&output, 2);
    assert!(!out.exists());

    // Writing: refused with the same place, the file byte for byte as it was.
    let output = sandbox.run(&["highlight", "add", ARTICLE, "--quote", "ferries cross"]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains(&place), "{}", stderr(&output));
    let output = sandbox.run(&["highlight", "rm", &added[0]]);
    assert_exit(&output, 2);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), typo);
    assert_eq!(names(&sandbox), before);

    // check explains.
    let output = sandbox.run(&["check"]);
    assert_exit(&output, 2);
    let report = stdout(&output);
    assert!(
        report.contains(&format!("annotations.ron:{line}:10: does not parse")),
        "{report}"
    );
    assert!(report.contains("gloss repair --from-backup"), "{report}");

    // repair, asked for, writes all three and keeps the file as it was.
    let output = sandbox.run(&["repair"]);
    assert_exit(&output, 0);
    let said = stdout(&output);
    let kept: Vec<String> = names(&sandbox)
        .into_iter()
        .filter(|name| name.starts_with("annotations.ron.broken-"))
        .collect();
    assert_eq!(kept.len(), 1, "{said}");
    assert!(said.contains(&kept[0]) && said.contains("wrote "), "{said}");
    assert!(said.contains("3 highlight(s)"), "{said}");
    assert_eq!(
        std::fs::read_to_string(sandbox.data.path().join(&kept[0])).unwrap(),
        typo
    );
    assert_eq!(sandbox.highlights_json(&[]).len(), 3);
    let output = sandbox.run(&["check"]);
    assert_exit(&output, 0);
}

#[test]
fn a_bad_colour_spoils_one_highlight_which_is_reported_and_kept() {
    let (sandbox, added) = with_three();
    let file = sandbox.annotations_file();
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text.find("color: yellow").unwrap();
    let typo = text.replacen("color: yellow", "color: yelow", 1);
    std::fs::write(&file, &typo).unwrap();
    let line = 1 + typo[..at].matches('\n').count();

    let output = sandbox.run(&["highlights", "--json"]);
    assert_exit(&output, 0);
    assert_eq!(json(&output).as_array().unwrap().len(), 2);
    let warning = stderr(&output);
    assert!(
        warning.contains(&format!("annotations.ron:{line}:20: highlight h-"))
            && warning.contains("color must be one of yellow, green, blue, pink, purple"),
        "{warning}"
    );

    // The store is still usable, and the bad entry is written back as it was.
    let entry_start = typo[..at].rfind("        (\n").unwrap() + 8;
    let entry_end = at + typo[at..].find("\n        )").unwrap() + 10;
    let entry = &typo[entry_start..entry_end];
    sandbox.add("ferries cross", &[]);
    assert!(std::fs::read_to_string(&file).unwrap().contains(entry));
    assert_eq!(sandbox.highlights_json(&[]).len(), 3);

    let output = sandbox.run(&["check"]);
    assert_exit(&output, 2);
    assert!(
        stdout(&output).contains("bad value, kept as written (highlight h-"),
        "{}",
        stdout(&output)
    );
    let output = sandbox.run(&["check", "--json"]);
    assert_exit(&output, 2);
    let problems = json(&output)["file_problems"].clone();
    assert_eq!(problems.as_array().map(Vec::len), Some(1), "{problems}");
    assert_eq!(problems[0]["kind"], "spoiled");
    // Saved after the others now: the line is where it is in the file now.
    let now = std::fs::read_to_string(&file).unwrap();
    let line_now = 1 + now[..now.find("yelow").unwrap()].matches('\n').count();
    assert!(line_now > line);
    assert_eq!(problems[0]["line"], line_now);
    assert!(added.contains(&problems[0]["id"].as_str().unwrap().to_owned()));
}

#[test]
fn a_file_cut_short_is_repaired_from_the_backup_only_when_asked() {
    let (sandbox, added) = with_three();
    let file = sandbox.annotations_file();
    let text = std::fs::read(&file).unwrap();
    let cut = &text[..text.len() * 2 / 3];
    std::fs::write(&file, cut).unwrap();

    let output = sandbox.run(&["highlights"]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("cut short"), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--from-backup"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(&file).unwrap(), cut);

    let output = sandbox.run(&["repair", "--from-backup", "--dry-run"]);
    assert_exit(&output, 0);
    assert!(
        stdout(&output).contains("would write"),
        "{}",
        stdout(&output)
    );
    assert_eq!(std::fs::read(&file).unwrap(), cut);

    let output = sandbox.run(&["repair", "--from-backup"]);
    assert_exit(&output, 0);
    assert!(
        stdout(&output).contains("from the backup"),
        "{}",
        stdout(&output)
    );
    // The backup was saved before the third highlight was added.
    let listed = sandbox.highlights_json(&[]);
    assert_eq!(listed.len(), 2);
    assert!(
        ids(&listed)
            .iter()
            .all(|id| added.contains(&id.to_string()))
    );
}
