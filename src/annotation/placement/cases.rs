//! The cases reported against re-anchoring, on articles parsed as gloss
//! parses them: a deleted table row, a deleted question whose words are also
//! in the table of contents, and an entry repeated in two releases of a
//! changelog that grew at the top.

#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;

use jiff::Timestamp;

use super::*;
use crate::annotation::{Color, new_highlight};
use crate::library::{Origin, parse_article};

fn article(body: &str) -> Article {
    parse_article(
        &format!("---\nid: a\ntitle: T\n---\n\n{body}"),
        Origin::Bundled("a.md".into()),
    )
    .unwrap()
}

/// A highlight of the `nth` copy (from 0) of `quote` in `article`.
fn highlight_of(article: &Article, quote: &str, nth: usize) -> Highlight {
    let plain = article.plain_text();
    let start = plain.match_indices(quote).nth(nth).unwrap().0;
    new_highlight(
        article,
        &plain,
        start..start + quote.len(),
        Color::Blue,
        Timestamp::UNIX_EPOCH,
    )
}

/// Where each highlight is placed in `article`, as text and its start.
fn placed(article: &Article, highlights: &[&Highlight]) -> Vec<Anchoring> {
    let plain = article.plain_text();
    place(&plain, highlights.iter().copied())
        .into_iter()
        .map(|p| p.anchoring)
        .collect()
}

/// The table of file modes in Node.js's `fs` documentation (MIT licence).
const FILE_MODES: &str = "\
#### File modes

The `mode` argument used in both the `fs.chmod()` and `fs.chmodSync()`
methods is a numeric bitmask created using a logical OR of the following
constants:

| Constant               | Octal   | Description              |
| ---------------------- | ------- | ------------------------ |
| `fs.constants.S_IRUSR` | `0o400` | read by owner            |
| `fs.constants.S_IWUSR` | `0o200` | write by owner           |
| `fs.constants.S_IXUSR` | `0o100` | execute/search by owner  |
| `fs.constants.S_IRGRP` | `0o40`  | read by group            |
| `fs.constants.S_IWGRP` | `0o20`  | write by group           |
| `fs.constants.S_IXGRP` | `0o10`  | execute/search by group  |
| `fs.constants.S_IROTH` | `0o4`   | read by others           |
| `fs.constants.S_IWOTH` | `0o2`   | write by others          |
| `fs.constants.S_IXOTH` | `0o1`   | execute/search by others |

An easier method of constructing the `mode` is to use a sequence of three
octal digits (e.g. `765`). The left-most digit (`7` in the example), specifies
the permissions for the file owner.
";

const OWNER_ROW: &str = "| `fs.constants.S_IXUSR` | `0o100` | execute/search by owner  |\n";

#[test]
fn a_cell_of_a_deleted_table_row_is_orphaned_not_moved_to_the_next_rows() {
    let before = article(FILE_MODES);
    let highlight = highlight_of(&before, "execute/search by owner", 0);
    let after = article(&FILE_MODES.replace(OWNER_ROW, ""));
    let plain = after.plain_text();
    let anchoring = &placed(&after, &[&highlight])[0];
    let Anchoring::Orphaned { best } = anchoring else {
        panic!(
            "placed at {:?}",
            anchoring.range().map(|r| &plain[r.start..r.end])
        );
    };
    // The passage offered to re-attach to is whole sentences, never a
    // fragment such as "execute/search by gr".
    if let Some((range, _)) = best {
        let offered = &plain[range.clone()];
        assert!(
            plain[..range.start].is_empty() || plain[..range.start].ends_with([' ', '\n']),
            "{offered:?}"
        );
        assert!(!offered.ends_with("by gr"), "{offered:?}");
    }
}

#[test]
fn an_edited_cell_is_found_at_its_whole_words() {
    let before = article(FILE_MODES);
    let highlight = highlight_of(&before, "execute/search by owner", 0);
    let after =
        article(&FILE_MODES.replace("execute/search by owner  |", "execute or search by owner |"));
    let plain = after.plain_text();
    let anchoring = &placed(&after, &[&highlight])[0];
    assert!(anchoring.needs_review(), "{anchoring:?}");
    assert_eq!(
        &plain[anchoring.range().unwrap()],
        "execute or search by owner"
    );
}

/// A FAQ whose questions are also listed, word for word, at the top.
fn faq(questions: &[(&str, &str)]) -> String {
    let mut text = String::from("# Frequently asked questions\n\n");
    for (question, _) in questions {
        writeln!(text, "- {question}").unwrap();
    }
    text.push('\n');
    for i in 0..12 {
        write!(
            text,
            "Paragraph {i} of the introduction explains at some length what the \
             project does, who maintains it, and where to report problems; it \
             says so in words that are not repeated anywhere else ({i}).\n\n"
        )
        .unwrap();
    }
    for (question, answer) in questions {
        write!(text, "## {question}\n\n{answer}\n\n").unwrap();
    }
    text
}

const QUESTIONS: [(&str, &str); 3] = [
    (
        "How do I install it on Windows?",
        "Download the installer from the releases page and run it.",
    ),
    (
        "How do I install it on macOS?",
        "Use Homebrew: the formula is kept up to date by the maintainers.",
    ),
    (
        "Can I use it offline?",
        "Yes: nothing it does needs a network connection.",
    ),
];

#[test]
fn a_deleted_question_does_not_move_to_the_same_words_in_the_table_of_contents() {
    let before = article(&faq(&QUESTIONS));
    // The second copy: the question's heading, not its line in the list.
    let highlight = highlight_of(&before, QUESTIONS[1].0, 1);
    let plain_before = before.plain_text();
    let toc = plain_before.find(QUESTIONS[1].0).unwrap();
    assert!(highlight.anchor.position.start - toc > 1500);

    let mut without = faq(&QUESTIONS);
    without = without.replace(
        &format!("## {}\n\n{}\n\n", QUESTIONS[1].0, QUESTIONS[1].1),
        "",
    );
    let after = article(&without);
    let anchoring = &placed(&after, &[&highlight])[0];
    assert!(anchoring.is_orphaned(), "{anchoring:?}");
}

#[test]
fn a_question_that_stays_is_found_at_its_heading_after_the_list_changed() {
    let before = article(&faq(&QUESTIONS));
    let highlight = highlight_of(&before, QUESTIONS[2].0, 1);
    let mut text = faq(&QUESTIONS);
    text = text.replace(
        &format!("## {}\n\n{}\n\n", QUESTIONS[1].0, QUESTIONS[1].1),
        "",
    );
    let after = article(&text);
    let plain = after.plain_text();
    let anchoring = &placed(&after, &[&highlight])[0];
    let range = anchoring.range().unwrap();
    assert_eq!(range.start, plain.rfind(QUESTIONS[2].0).unwrap());
}

/// A changelog whose releases repeat two entries word for word, so that a
/// highlight of either copy has the same 32 characters of context.
fn changelog(new_releases: usize) -> String {
    let mut text = String::from("# Changelog\n\n");
    for n in (0..new_releases).rev() {
        write!(
            text,
            "## 3.{n}.0\n\nRelease {n} of the third series adds feature number {n} and \
             fixes bug number {n}, which were reported by users of the second series \
             and described at length in the issue tracker.\n\n"
        )
        .unwrap();
    }
    for (version, unique) in [
        ("2.1.0", "Adds the `--json` flag to every command."),
        ("2.0.0", "Drops support for the old configuration format."),
    ] {
        write!(
            text,
            "## {version}\n\n{unique}\n\n- Update every dependency to its latest release.\n\n\
             - Fix typos in the documentation of the command line.\n\n\
             - Run the test suite on the three main platforms.\n\n"
        )
        .unwrap();
    }
    text
}

const TWIN: &str = "Fix typos in the documentation of the command line.";

#[test]
fn a_twin_is_placed_where_the_rest_of_the_article_moved() {
    let before = article(&changelog(0));
    let other = highlight_of(
        &before,
        "Drops support for the old configuration format.",
        0,
    );
    let first = highlight_of(&before, TWIN, 0);
    let second = highlight_of(&before, TWIN, 1);
    assert_eq!(first.anchor.quote, second.anchor.quote, "true twins");

    // About 6 KB of new releases at the top: more than the distance
    // between the twins, so the nearest old offset points to the wrong copy.
    let grown = changelog(30);
    let after = article(&grown);
    let plain = after.plain_text();
    let grew = plain.len() - before.plain_text().len();
    let gap = second.anchor.position.start - first.anchor.position.start;
    assert!(grew > 2 * gap, "grew {grew}, gap {gap}");
    let copies: Vec<usize> = plain.match_indices(TWIN).map(|(i, _)| i).collect();

    let anchorings = placed(&after, &[&other, &first, &second]);
    assert_eq!(anchorings[1].range().unwrap().start, copies[0]);
    assert_eq!(anchorings[2].range().unwrap().start, copies[1]);
    // The second twin alone, placed with the measured shift, as the reader does.
    let alone = placed(&after, &[&second, &other]);
    assert_eq!(alone[0].range().unwrap().start, copies[1]);
}

#[test]
fn a_placement_never_rewrites_the_original_and_the_persons_choice_stays() {
    let before = article(FILE_MODES);
    let highlight = highlight_of(&before, "execute/search by owner", 0);
    let edited =
        article(&FILE_MODES.replace("execute/search by owner  |", "execute or search by owner |"));
    let plain = edited.plain_text();
    let hash = text_hash(&plain);
    let anchoring = anchoring_in(&plain, &hash, &highlight);
    let found = refreshed(&edited, &plain, &hash, &highlight, &anchoring).unwrap();
    assert_eq!(found.anchor, highlight.anchor);
    assert_eq!(found.placement.as_ref().unwrap().state, PlaceState::Fuzzy);
    assert!(anchoring_in(&plain, &hash, &found).needs_review());

    let accepted = placed_at(
        &edited,
        &plain,
        &found,
        anchoring.range().unwrap(),
        PlaceState::Accepted,
    );
    assert_eq!(accepted.anchor, highlight.anchor);
    let now = anchoring_in(&plain, &hash, &accepted);
    assert_eq!(now, Anchoring::Accepted(anchoring.range().unwrap()));

    // A later edit elsewhere: the accepted passage is found again and stays
    // the person's, with the original still as it was made.
    let later = article(&format!(
        "A new first paragraph.\n\n{}",
        FILE_MODES.replace("execute/search by owner  |", "execute or search by owner |",)
    ));
    let plain = later.plain_text();
    let hash = text_hash(&plain);
    let now = anchoring_in(&plain, &hash, &accepted);
    assert!(matches!(now, Anchoring::Accepted(_)), "{now:?}");
    let kept = refreshed(&later, &plain, &hash, &accepted, &now).unwrap();
    assert_eq!(kept.anchor, highlight.anchor);
    assert_eq!(kept.placement.unwrap().state, PlaceState::Accepted);
}

#[test]
fn a_persons_placement_wins_over_gloss_in_a_merge() {
    use crate::annotation::{CurrentPlace, preferred_place};
    let place = |state| CurrentPlace {
        text_hash: "x".into(),
        anchor: crate::annotation::TextAnchor::default(),
        state,
    };
    let (gloss, person) = (place(PlaceState::Fuzzy), place(PlaceState::Reattached));
    assert_eq!(preferred_place(Some(&gloss), Some(&person)), Some(&person));
    assert_eq!(preferred_place(Some(&person), Some(&gloss)), Some(&person));
    assert_eq!(preferred_place(None, Some(&gloss)), Some(&gloss));
    assert_eq!(preferred_place(Some(&gloss), None), Some(&gloss));
}
