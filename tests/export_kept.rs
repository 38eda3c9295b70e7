//! What the person changes in an exported note survives the next export:
//! keys they add to the front matter, tags they add to its `tags`, and a
//! note of their own that merely quotes gloss's region markers, which is not
//! gloss's to rewrite.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::binary;
use crate::output;

use std::path::{Path, PathBuf};

use output::{assert_exit, stderr, stdout};

/// A data folder, a library with one article, and the note exported from it.
struct Vault {
    data: tempfile::TempDir,
    library: tempfile::TempDir,
}

impl Vault {
    fn new() -> Vault {
        let vault = Vault {
            data: tempfile::tempdir().unwrap(),
            library: tempfile::tempdir().unwrap(),
        };
        std::fs::write(
            vault.library.path().join("harbour.md"),
            "---\nid: harbour\ntitle: Harbour lights\ntags: [soft power, ports]\n---\n\n\
             The river is wide at the harbour.\n\nThe ferries cross at dusk.\n",
        )
        .unwrap();
        let added = vault.run(&[
            "highlight",
            "add",
            "harbour",
            "--quote",
            "The ferries cross",
        ]);
        assert_exit(&added, 0);
        vault
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        binary::gloss_in(self.data.path(), Some(self.library.path()), args)
            .output()
            .unwrap()
    }

    fn note(&self) -> PathBuf {
        self.data.path().join("harbour-notes.md")
    }

    /// `gloss export harbour --out NOTE`, with `extra` arguments.
    fn export(&self, extra: &[&str]) -> std::process::Output {
        let note = self.note();
        let mut args = vec!["export", "harbour", "--out", note.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.run(&args)
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn tags_and_keys_added_by_hand_survive_a_re_export() {
    let vault = Vault::new();
    assert_exit(&vault.export(&[]), 0);
    let first = read(&vault.note());
    assert!(
        first.contains("\ntags: [\"soft-power\", \"ports\"]\n"),
        "{first}"
    );
    // A tag and a key of the person's own.
    let edited = first
        .replace(
            "tags: [\"soft-power\", \"ports\"]",
            "tags: [\"soft-power\", \"ports\", \"to-read\"]\nstatus: reading",
        )
        .replace("<!-- gloss:begin", "My own line.\n\n<!-- gloss:begin");
    std::fs::write(vault.note(), &edited).unwrap();

    let again = vault.export(&[]);
    assert_exit(&again, 0);
    assert!(stdout(&again).starts_with("updated") || stdout(&again).starts_with("unchanged"));
    let second = read(&vault.note());
    assert!(
        second.contains("\ntags: [\"soft-power\", \"ports\", \"to-read\"]\n"),
        "{second}"
    );
    assert!(second.contains("\nstatus: reading\n"), "{second}");
    assert!(
        second.contains("My own line.\n\n<!-- gloss:begin"),
        "{second}"
    );

    let third = vault.export(&[]);
    assert_exit(&third, 0);
    assert!(
        stdout(&third).starts_with("unchanged"),
        "{}",
        stdout(&third)
    );
    assert_eq!(read(&vault.note()), second, "byte-identical");
}

#[test]
fn tags_written_as_a_list_of_lines_are_merged_each_once() {
    let vault = Vault::new();
    assert_exit(&vault.export(&[]), 0);
    let first = read(&vault.note());
    let edited = first.replace(
        "tags: [\"soft-power\", \"ports\"]\n",
        "tags:\n  - Soft Power\n  - 'field notes'\n",
    );
    std::fs::write(vault.note(), &edited).unwrap();
    assert_exit(&vault.export(&[]), 0);
    let second = read(&vault.note());
    // `Soft Power` is the article's `soft power`: once. `ports` comes back,
    // as gloss's; `field notes` stays, as the person's.
    assert!(
        second.contains("\ntags: [\"soft-power\", \"ports\", \"field notes\"]\n"),
        "{second}"
    );
    assert_exit(&vault.export(&[]), 0);
    assert_eq!(read(&vault.note()), second);
}

/// A note of the person's explaining gloss's markers, with `quoted` as the
/// way it quotes them.
fn note_quoting_markers(quoted: &str) -> String {
    format!(
        "# How my exports work\n\nThe notes gloss writes look like this:\n\n{quoted}\nThat is all.\n"
    )
}

const MARKERS: &str = "<!-- gloss:begin article:harbour · written by gloss export, which replaces everything down to gloss:end -->\n\n> a quote\n\n<!-- gloss:end -->\n";

#[test]
fn a_note_that_quotes_the_markers_in_code_is_left_alone() {
    let fenced = format!("```markdown\n{MARKERS}```\n");
    let indented: String = MARKERS
        .lines()
        .map(|line| {
            if line.is_empty() {
                "\n".to_owned()
            } else {
                format!("    {line}\n")
            }
        })
        .collect();
    let tilde = format!("~~~~\n{MARKERS}~~~~\n");
    for quoted in [fenced, indented, tilde] {
        let vault = Vault::new();
        let mine = note_quoting_markers(&quoted);
        std::fs::write(vault.note(), &mine).unwrap();
        let refused = vault.export(&[]);
        assert_exit(&refused, 2);
        let message = stderr(&refused);
        assert!(
            message.contains("harbour-notes.md") && message.contains("--force"),
            "{message}"
        );
        assert_eq!(read(&vault.note()), mine, "left alone");
        assert!(!vault.data.path().join("harbour-notes.md.bak").exists());
    }
}

#[test]
fn markers_in_a_file_whose_front_matter_does_not_say_gloss_wrote_it_need_force() {
    let vault = Vault::new();
    // The markers outside code, as if pasted from an export, under the
    // person's own front matter.
    let mine = format!("---\ntitle: My page\n---\n\nMine.\n\n{MARKERS}\nAlso mine.\n");
    std::fs::write(vault.note(), &mine).unwrap();
    let refused = vault.export(&[]);
    assert_exit(&refused, 2);
    assert!(
        stderr(&refused).contains("harbour-notes.md")
            && stderr(&refused).contains("no gloss-export key")
            && stderr(&refused).contains("--force"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(read(&vault.note()), mine);

    // Forced, gloss's region is brought up to date, the rest kept, and the
    // file as it was is kept beside it.
    let forced = vault.export(&["--force"]);
    assert_exit(&forced, 0);
    let now = read(&vault.note());
    assert!(now.contains("> The ferries cross"), "{now}");
    assert!(
        now.contains("\nMine.\n") && now.ends_with("\nAlso mine.\n"),
        "{now}"
    );
    assert_eq!(read(&vault.data.path().join("harbour-notes.md.bak")), mine);
}
