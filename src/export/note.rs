//! A highlight's note in an export: the person's own Markdown, kept as they
//! wrote it, but never allowed to swallow what follows it (an unclosed code
//! fence or HTML comment would hide the rest of the export) nor to fake the
//! markers of gloss's region.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::region::MARKER_PREFIX;
use crate::text::sanitize_text;

/// A paragraph set after the note to see whether the note ends cleanly.
const SENTINEL: &str = "gloss-note-sentinel";

/// `note` as Markdown blocks for the export, or `None` when it is blank.
///
/// Control characters are removed and blank lines around it dropped; the
/// rest is kept as written. A line that would read as one of gloss's region
/// markers gets its `<` escaped. A note that would not end where it ends
/// (it leaves a fence, an HTML comment or the like open) is put in a fenced
/// code block instead, where it still reads as written.
pub fn note_markdown(note: &str) -> Option<String> {
    let clean = sanitize_text(note);
    let trimmed = clean.trim_end();
    let first_line = trimmed
        .split_inclusive('\n')
        .take_while(|line| line.trim().is_empty())
        .map(str::len)
        .sum::<usize>();
    let body = &trimmed[first_line..];
    if body.is_empty() {
        return None;
    }
    let safe = body
        .split('\n')
        .map(|line| {
            let indent = line.len() - line.trim_start().len();
            if line[indent..].starts_with(MARKER_PREFIX) {
                format!("{}\\{}", &line[..indent], &line[indent..])
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    if ends_cleanly(&safe) {
        Some(safe)
    } else {
        Some(fenced(&safe))
    }
}

/// Whether a paragraph after `markdown` (and a blank line) is read as a
/// paragraph of its own, with the extensions vault editors use turned on.
fn ends_cleanly(markdown: &str) -> bool {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_WIKILINKS;
    let text = format!("{markdown}\n\n{SENTINEL}\n");
    let mut depth = 0usize;
    let mut last_top_level: Vec<Event> = Vec::new();
    for event in Parser::new_ext(&text, options) {
        match &event {
            Event::Start(_) => {
                if depth == 0 {
                    last_top_level.clear();
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ if depth == 0 => last_top_level.clear(),
            _ => {}
        }
        last_top_level.push(event);
    }
    matches!(
        last_top_level.as_slice(),
        [
            Event::Start(Tag::Paragraph),
            Event::Text(text),
            Event::End(TagEnd::Paragraph),
        ] if text.as_ref() == SENTINEL
    )
}

/// `text` in a fenced code block whose fence is longer than any run of
/// backticks inside it, so nothing in it can close it.
fn fenced(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}markdown\n{text}\n{fence}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_note_is_kept_as_written() {
        let note = "Why it *works*:\n\n- one\n- two\n\n```\ncode\n```";
        assert_eq!(note_markdown(note).as_deref(), Some(note));
    }

    #[test]
    fn blank_notes_and_blank_edges_go() {
        assert_eq!(note_markdown(" \n\t\n"), None);
        assert_eq!(
            note_markdown("\n  \n    indented\nnext\n\n").as_deref(),
            Some("    indented\nnext")
        );
    }

    #[test]
    fn control_characters_are_removed() {
        assert_eq!(
            note_markdown("red\u{1b}[31m text\u{7}").as_deref(),
            Some("red text")
        );
    }

    #[test]
    fn a_note_that_would_swallow_the_rest_is_fenced() {
        for open in [
            "```rust\nfn main() {",
            "<!-- unfinished",
            "~~~\nx",
            "<pre>\nx",
        ] {
            let shown = note_markdown(open).unwrap();
            assert!(
                shown.starts_with("```") && shown.trim_start_matches('`').starts_with("markdown\n"),
                "{open:?} gave {shown:?}"
            );
            assert!(ends_cleanly(&shown), "{shown:?}");
            assert!(shown.contains(open), "{shown:?}");
        }
        let backticks = note_markdown("`````\nlong fence").unwrap();
        assert!(backticks.starts_with("``````markdown\n"), "{backticks}");
    }

    #[test]
    fn marker_lines_are_defused() {
        let shown = note_markdown("a\n  <!-- gloss:end -->\nb").unwrap();
        assert_eq!(shown, "a\n  \\<!-- gloss:end -->\nb");
    }
}
