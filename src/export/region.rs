//! The part of an exported Markdown file that belongs to gloss, and how a
//! re-export replaces it while keeping everything the person wrote around it.
//!
//! gloss owns the body between two HTML comments (`<!-- gloss:begin SUBJECT …
//! -->` and `<!-- gloss:end -->`, each on a line of its own; renderers show
//! neither) and, in the front matter, the keys it writes ([`GLOSS_KEYS`]).
//! Text before and after the region, and front-matter keys of the person's
//! own, are kept byte for byte; `tags` is merged: the person's tags stay
//! beside gloss's.
//!
//! Markers count only where Markdown reads them as HTML blocks of their own
//! at the top level (not in a code block, a list or a quote), and only in a
//! file whose front matter says gloss wrote it ([`WRITTEN_BY`]); a person's
//! note that quotes the markers is not gloss's to rewrite.

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::Subject;
use super::escape::yaml_string;
use crate::annotation::tag::from_vault_tag;
use crate::annotation::tag::tag_key;

/// The start of the line that opens gloss's region.
const BEGIN_PREFIX: &str = "<!-- gloss:begin ";
/// The line that closes gloss's region.
pub const END_MARKER: &str = "<!-- gloss:end -->";
/// The start of any line gloss reads as one of its markers.
pub const MARKER_PREFIX: &str = "<!-- gloss:";

/// The front-matter key that says gloss wrote a file, with the export's
/// subject as its value. Article exports made before it existed say so with
/// `gloss-article`.
pub const WRITTEN_BY: &str = "gloss-export";

/// Front-matter keys gloss writes and rewrites on every export (`tags`
/// merged with the person's); any other key is the person's and is kept.
pub const GLOSS_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "source",
    "date",
    "tags",
    "gloss-article",
    WRITTEN_BY,
    "exported",
];

/// The line that opens the region of an export of `subject`.
pub fn begin_marker(subject: &Subject) -> String {
    format!(
        "{BEGIN_PREFIX}{} · written by gloss export, which replaces everything down to gloss:end -->",
        subject.token()
    )
}

/// A Markdown file split around gloss's region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regions<'t> {
    /// The lines between the front matter's `---` lines, if it has one.
    pub front_matter: Option<&'t str>,
    /// Everything between the front matter and the begin marker.
    pub before: &'t str,
    /// The subject token of the begin marker.
    pub subject: &'t str,
    /// From the begin marker to the end marker, both lines included.
    pub region: &'t str,
    /// Everything after the end marker's line.
    pub after: &'t str,
    /// Whether the front matter says gloss wrote the file ([`WRITTEN_BY`],
    /// or `gloss-article` from before it).
    pub by_gloss: bool,
}

/// Splits `text` around gloss's region, or says why it has none that gloss
/// can safely replace.
pub fn split(text: &str) -> Result<Regions<'_>, &'static str> {
    let (front_matter, body) = split_front_matter(text);
    let mut begin = None;
    let mut end = None;
    for line in marker_lines(body) {
        let trimmed = body[line.clone()].trim();
        if trimmed.starts_with(BEGIN_PREFIX) && trimmed.ends_with("-->") {
            if begin.is_some() {
                return Err("it has more than one gloss export region");
            }
            begin = Some(line.start);
        } else if begin.is_some() && end.is_none() && trimmed == END_MARKER {
            end = Some(line.end);
        }
    }
    let Some(begin) = begin else {
        return Err("it has no gloss export region");
    };
    let Some(end) = end else {
        return Err("its gloss export region has no end marker");
    };
    let region = &body[begin..end];
    let subject = region
        .trim_start()
        .strip_prefix(BEGIN_PREFIX)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_default();
    let by_gloss = front_matter.is_some_and(|fm| {
        entries(fm).iter().any(|entry| {
            entry_key(entry).is_some_and(|key| [WRITTEN_BY, "gloss-article"].contains(&key))
        })
    });
    Ok(Regions {
        front_matter,
        before: &body[..begin],
        subject,
        region,
        after: &body[end..],
        by_gloss,
    })
}

/// The lines of `body` (with their line break) that Markdown reads as an
/// HTML comment block of its own at the top level: the only places a
/// marker counts. A marker in a code block, an indented block, a list or a
/// quote is text the person quoted.
fn marker_lines(body: &str) -> Vec<std::ops::Range<usize>> {
    let mut lines = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(body, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) if depth == 0 => {
                let text = &body[range.clone()];
                // One line: a marker is never part of a longer HTML block.
                if text.trim_end().lines().count() == 1
                    && text.trim_start().starts_with(MARKER_PREFIX)
                {
                    let end = body[range.start..]
                        .find('\n')
                        .map_or(body.len(), |i| range.start + i + 1);
                    lines.push(range.start..end);
                }
                depth += 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    lines
}

/// `existing` with its region and gloss's front-matter keys taken from
/// `fresh`: the person's keys follow gloss's, and the text around the region
/// is kept as it was. An unchanged export gives back `existing` exactly.
pub fn merge(existing: &Regions, fresh: &Regions) -> String {
    let mut out = String::new();
    let old_entries = existing.front_matter.map(entries).unwrap_or_default();
    let old_tags = old_entries
        .iter()
        .find(|entry| entry_key(entry) == Some("tags"));
    let fresh_entries: Vec<String> = fresh
        .front_matter
        .map(entries)
        .unwrap_or_default()
        .into_iter()
        .map(|entry| match (entry_key(entry), old_tags) {
            (Some("tags"), Some(old)) => merged_tags(old, entry),
            _ => entry.to_owned(),
        })
        .collect();
    let kept: Vec<&str> = old_entries
        .iter()
        .copied()
        .filter(|entry| !entry_key(entry).is_some_and(|key| GLOSS_KEYS.contains(&key)))
        .collect();
    if !fresh_entries.is_empty() || !kept.is_empty() {
        out.push_str("---\n");
        for entry in fresh_entries.iter().map(String::as_str).chain(kept) {
            out.push_str(entry);
            if !entry.ends_with('\n') {
                out.push('\n');
            }
        }
        out.push_str("---\n");
    }
    out.push_str(existing.before);
    out.push_str(fresh.region);
    out.push_str(existing.after);
    out
}

/// The `tags` entry of a re-export: gloss's tags (`fresh`), then those the
/// person added to the file's (`old`), each tag once. When the person's
/// entry cannot be read as a list of tags, it is kept as it is.
fn merged_tags(old: &str, fresh: &str) -> String {
    let (Some(old_tags), Some(fresh_tags)) = (tags_of(old), tags_of(fresh)) else {
        return old.to_owned();
    };
    let mut keys: Vec<String> = fresh_tags
        .iter()
        .map(|t| tag_key(&from_vault_tag(t)))
        .collect();
    let mut added = Vec::new();
    for tag in old_tags {
        let key = tag_key(&from_vault_tag(&tag));
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
            added.push(tag);
        }
    }
    if added.is_empty() {
        return fresh.to_owned();
    }
    let all: Vec<String> = fresh_tags
        .iter()
        .chain(&added)
        .map(|tag| yaml_string(tag))
        .collect();
    format!("tags: [{}]\n", all.join(", "))
}

/// The tags a `tags` entry lists, read as articles' front matter is read;
/// `None` when it is not a list gloss can read.
fn tags_of(entry: &str) -> Option<Vec<String>> {
    let mut text = format!("---\n{entry}");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("---\n");
    crate::library::read_front_matter(&text)
        .ok()
        .map(|split| split.front_matter.tags)
}

/// The front matter's lines (without its `---` lines) and the rest of `text`.
/// Front matter opens with `---` on the first line and closes with `---` or
/// `...`; without a closing line there is none.
fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return (None, text);
    };
    if first.trim_end() != "---" {
        return (None, text);
    }
    let start = first.len();
    let mut offset = start;
    for line in lines {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return (Some(&text[start..offset]), &text[offset + line.len()..]);
        }
        offset += line.len();
    }
    (None, text)
}

/// The front matter cut into entries: a line at the margin with what follows
/// it indented, as a list, or blank.
fn entries(front_matter: &str) -> Vec<&str> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in front_matter.split_inclusive('\n') {
        let starts_entry = line
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '-');
        if starts_entry || offset == 0 {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| {
            let end = starts.get(i + 1).copied().unwrap_or(front_matter.len());
            &front_matter[start..end]
        })
        .collect()
}

/// The key an entry sets (`title` in `title: "…"`), if it sets one.
fn entry_key(entry: &str) -> Option<&str> {
    let first = entry.lines().next()?;
    if first.starts_with('#') {
        return None;
    }
    let key = first.split_once(':')?.0.trim();
    Some(key.trim_matches(|c| c == '"' || c == '\''))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn fresh(body: &str) -> String {
        format!(
            "---\ntitle: \"T\"\ntags: [\"a\"]\n---\n\n{}\n\n{body}\n\n{END_MARKER}\n",
            begin_marker(&Subject::article("a"))
        )
    }

    #[test]
    fn an_export_splits_into_its_parts() {
        let text = fresh("# T");
        let parts = split(&text).unwrap();
        assert_eq!(parts.front_matter, Some("title: \"T\"\ntags: [\"a\"]\n"));
        assert_eq!(parts.before, "\n");
        assert_eq!(parts.subject, "article:a");
        assert!(parts.region.starts_with("<!-- gloss:begin article:a "));
        assert!(parts.region.ends_with("# T\n\n<!-- gloss:end -->\n"));
        assert_eq!(parts.after, "");
    }

    #[test]
    fn re_exporting_an_unchanged_file_gives_the_same_bytes() {
        let text = fresh("# T\n\n> quote");
        let parts = split(&text).unwrap();
        assert_eq!(merge(&parts, &parts), text);
    }

    #[test]
    fn the_persons_text_and_keys_survive() {
        let old = fresh("# T\n\n> old quote");
        let edited = old
            .replace("tags: [\"a\"]\n", "tags: [\"a\"]\naliases:\n  - Tee\n")
            .replace(
                "\n\n<!-- gloss:begin",
                "\n\nMy own intro.\n\n<!-- gloss:begin",
            )
            + "\n## My thoughts\n\nStill here.\n";
        let new = fresh("# T\n\n> new quote");
        let merged = merge(&split(&edited).unwrap(), &split(&new).unwrap());
        assert_eq!(
            merged,
            format!(
                "---\ntitle: \"T\"\ntags: [\"a\"]\naliases:\n  - Tee\n---\n\nMy own intro.\n\n{}\n\n# T\n\n> new quote\n\n{END_MARKER}\n\n## My thoughts\n\nStill here.\n",
                begin_marker(&Subject::article("a"))
            )
        );
        assert_eq!(
            merge(&split(&merged).unwrap(), &split(&new).unwrap()),
            merged
        );
    }

    #[test]
    fn the_persons_tags_join_glosss_each_once() {
        let old = fresh("x").replace("tags: [\"a\"]", "tags: [\"A\", b, \"soft-power\"]");
        let new = fresh("x").replace("tags: [\"a\"]", "tags: [\"a\", \"soft-power\"]");
        let merged = merge(&split(&old).unwrap(), &split(&new).unwrap());
        assert!(
            merged.contains("\ntags: [\"a\", \"soft-power\", \"b\"]\n"),
            "{merged}"
        );
        // Tags gloss cannot read as a list are kept as the person wrote them.
        let odd = fresh("x").replace("tags: [\"a\"]", "tags: [unclosed");
        let merged = merge(&split(&odd).unwrap(), &split(&new).unwrap());
        assert!(merged.contains("\ntags: [unclosed\n"), "{merged}");
    }

    #[test]
    fn markers_count_only_as_blocks_of_their_own_at_the_top_level() {
        let region = format!(
            "{}\n\n> q\n\n{END_MARKER}\n",
            begin_marker(&Subject::library())
        );
        let quoted_in = [
            format!("```\n{region}```\n"),
            format!("- item\n\n  {}\n", region.replace('\n', "\n  ")),
            format!("> {}\n", region.replace('\n', "\n> ")),
        ];
        for text in quoted_in {
            assert_eq!(split(&text), Err("it has no gloss export region"), "{text}");
        }
        assert!(split(&region).is_ok());
    }

    #[test]
    fn keys_gloss_no_longer_writes_are_dropped() {
        let old = fresh("x").replace("title:", "source: \"s\"\ntitle:");
        let merged = merge(&split(&old).unwrap(), &split(&fresh("x")).unwrap());
        assert!(!merged.contains("source"), "{merged}");
    }

    #[test]
    fn files_without_one_whole_region_are_not_ours() {
        assert_eq!(split("# Notes\n"), Err("it has no gloss export region"));
        let unfinished = format!("{}\n> q\n", begin_marker(&Subject::library()));
        assert!(split(&unfinished).is_err());
        let twice = format!("{0}{0}", fresh("x"));
        assert!(split(&twice).is_err());
    }

    #[test]
    fn front_matter_needs_its_closing_line() {
        let text = format!(
            "---\ntitle: x\n{}\n{END_MARKER}\n",
            begin_marker(&Subject::library())
        );
        let parts = split(&text).unwrap();
        assert_eq!(parts.front_matter, None);
        assert_eq!(parts.before, "---\ntitle: x\n");
    }

    #[test]
    fn entries_keep_their_continuation_lines() {
        let found = entries("title: x\ntags:\n- a\n- b\n# comment\nnote: |\n  two\n\n  lines\n");
        assert_eq!(
            found,
            [
                "title: x\n",
                "tags:\n- a\n- b\n",
                "# comment\n",
                "note: |\n  two\n\n  lines\n"
            ]
        );
        assert_eq!(entry_key(found[1]), Some("tags"));
        assert_eq!(entry_key(found[2]), None);
        assert_eq!(entry_key("\"quoted\": 1\n"), Some("quoted"));
    }
}
