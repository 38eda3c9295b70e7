//! Reading an `annotations.ron` that is not in the layout gloss writes: a
//! file edited by hand, cut short by a crash, or with a typo in it. Nothing
//! is all or nothing here. The list of highlights is cut into its entries by
//! a scan that knows strings, raw strings and comments, and each entry is
//! read on its own, so a mistake in one highlight costs that highlight and
//! nothing else, and a break in the file's structure (a missing comma, a
//! missing bracket, a file that stops in the middle) still leaves every entry
//! that can be told apart.
//!
//! What comes out is sorted in two: damage to the structure (the file does
//! not parse as RON), which makes the store read-only until it is repaired,
//! and spoiled highlights (good RON with a bad value), which are kept as
//! written and written back so the store stays usable.

mod entry;
mod outline;

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;

use super::format::MAX_NESTING;
use super::kept::{FileProblem, Kept};
use crate::annotation::Highlight;
use crate::store::leading_version;

use entry::{EntryRead, read_entry};
use outline::{Delimited, Outline, entries_by_lines, outline};

/// What could be read of a file.
#[derive(Debug, Default)]
pub(super) struct Salvaged {
    /// `None` when not even the version could be read.
    pub version: Option<u32>,
    pub highlights: Vec<Highlight>,
    pub deleted: BTreeMap<String, Timestamp>,
    pub kept: Kept,
    /// Breaks in the file's structure, in the file's order. Any at all make
    /// the file one that gloss must not write over.
    pub damage: Vec<FileProblem>,
}

/// The document around the highlights list. A field this version does not
/// know is refused: a misspelt `highlights` must not read as an empty store.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Frame {
    version: u32,
    /// Emptied: its entries are read one by one.
    #[serde(default, rename = "highlights")]
    _highlights: serde::de::IgnoredAny,
    #[serde(default)]
    deleted: BTreeMap<String, Timestamp>,
}

/// The document when no highlights list could be found in it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Whole {
    version: u32,
    #[serde(default)]
    highlights: Vec<Highlight>,
    #[serde(default)]
    deleted: BTreeMap<String, Timestamp>,
}

/// Reads everything `text` holds that can be read. `damage_before` is
/// damage already found (bytes that were not UTF-8), listed first.
pub(super) fn salvage(text: &str, damage_before: Vec<FileProblem>) -> Salvaged {
    let lines = Lines::new(text);
    let mut shape = outline(text, MAX_NESTING);
    let by_lines = entries_by_lines(text);
    let swallowed = mark_swallowed(&mut shape.entries, &by_lines, &lines);
    let mut damage: Vec<(usize, FileProblem)> = Vec::new();
    for (offset, reason) in &shape.damage {
        // A break right after (or inside) an entry names its highlight.
        let around = shape
            .entries
            .partition_point(|entry| entry.range.start <= *offset);
        let id = around
            .checked_sub(1)
            .map(|i| &shape.entries[i])
            .filter(|entry| *offset <= entry.range.end)
            .and_then(|entry| entry::readable_id(&text[entry.range.clone()]));
        damage.push((*offset, lines.problem_at(*offset, id, reason.clone())));
    }

    let mut salvaged = Salvaged::default();
    read_frame(text, &shape, &lines, &mut damage, &mut salvaged);

    let mut read_at = std::collections::HashSet::new();
    for (entry, outcome) in shape.entries.iter().zip(read_entries(text, &shape.entries)) {
        match outcome {
            EntryRead::Good { highlight, extras } => {
                read_at.insert(entry.range.start);
                if !extras.is_empty() {
                    salvaged.kept.extras.insert(highlight.id.clone(), extras);
                }
                salvaged.highlights.push(*highlight);
            }
            EntryRead::Spoiled { at, id, reason } => {
                let problem = lines.problem_at(entry.range.start + at, id, reason);
                salvaged.kept.spoiled.push(super::kept::SpoiledHighlight {
                    text: text[entry.range.clone()].to_owned(),
                    problem,
                });
            }
            EntryRead::Mended {
                highlight,
                extras,
                at,
                id,
                reason,
            } => {
                if !extras.is_empty() {
                    salvaged.kept.extras.insert(highlight.id.clone(), extras);
                }
                salvaged.highlights.push(*highlight);
                let at = entry.range.start + at;
                damage.push((at, lines.problem_at(at, id, reason)));
            }
            EntryRead::Broken { at, id, reason } => {
                let at = entry.range.start + at;
                damage.push((at, lines.problem_at(at, id, reason)));
            }
        }
    }
    if swallowed || !damage.is_empty() || !damage_before.is_empty() {
        recover_by_lines(text, &by_lines, &read_at, &mut salvaged);
    }
    // At the same place, the problem that names its highlight first.
    damage.sort_by_key(|(offset, problem)| (*offset, problem.id.is_none()));
    damage.dedup_by(|a, b| a.1 == b.1);
    salvaged.damage = damage_before;
    salvaged.damage.extend(damage.into_iter().map(|(_, p)| p));
    salvaged
}

/// Reads what surrounds the highlights list (the version and the deletion
/// markers), or the whole document when no list was found in it.
fn read_frame(
    text: &str,
    shape: &Outline,
    lines: &Lines<'_>,
    damage: &mut Vec<(usize, FileProblem)>,
    salvaged: &mut Salvaged,
) {
    match (&shape.list, shape.too_deep) {
        (Some(list), false) if list.end.is_some() => {
            let close = list.end.unwrap_or(text.len());
            let frame = format!("{}{}", &text[..=list.start], &text[close..]);
            match ron::from_str::<Frame>(&frame) {
                Ok(frame) => {
                    salvaged.version = Some(frame.version);
                    salvaged.deleted = frame.deleted;
                }
                Err(err) => {
                    let at = offset_of(&frame, err.span.start.line, err.span.start.col);
                    // Past the `[`, the frame skips the list's contents.
                    let at = if at > list.start {
                        at + close - list.start - 1
                    } else {
                        at
                    };
                    let reason = ron_reason(&err.code);
                    damage.push((at, lines.problem_at(at, None, reason)));
                    // A comma missing among the deletions costs none of them.
                    match entry::put_in_commas(&frame, |mended| ron::from_str::<Frame>(mended).ok())
                    {
                        Some(frame) => {
                            salvaged.version = Some(frame.version);
                            salvaged.deleted = frame.deleted;
                        }
                        None => salvaged.version = leading_version(text),
                    }
                }
            }
        }
        (None, false) => match ron::from_str::<Whole>(text) {
            Ok(whole) => {
                salvaged.version = Some(whole.version);
                salvaged.highlights = whole.highlights;
                salvaged.deleted = whole.deleted;
            }
            Err(err) => {
                let at = offset_of(text, err.span.start.line, err.span.start.col);
                damage.push((at, lines.problem_at(at, None, ron_reason(&err.code))));
                salvaged.version = leading_version(text);
            }
        },
        _ => salvaged.version = leading_version(text),
    }
}

/// Marks as broken every entry the scan found that holds the start of
/// another entry as the lines show it: a quote or a `#` of a raw string
/// went missing, and the string runs on over the next highlight, which
/// would otherwise read as part of this one. Says whether there was any.
fn mark_swallowed(
    entries: &mut [Delimited],
    by_lines: &[(usize, Vec<usize>)],
    lines: &Lines<'_>,
) -> bool {
    let mut any = false;
    for &(start, _) in by_lines {
        let found = entries.partition_point(|entry| entry.range.start <= start);
        let Some(entry) = found.checked_sub(1).map(|i| &mut entries[i]) else {
            continue;
        };
        if entry.range.start == start || !entry.range.contains(&start) {
            continue;
        }
        any = true;
        if entry.broken.is_none() {
            let line = lines.problem_at(start, None, String::new()).line;
            entry.broken = Some((
                start - entry.range.start,
                format!(
                    "the highlight starting on line {line} reads as part of this one: a closing quote, `#` or bracket is probably missing before it"
                ),
            ));
        }
    }
    any
}

/// Adds the highlights of a damaged file that the scan of its brackets
/// missed but its lines still show (see [`entries_by_lines`]).
/// Entries starting at an offset in `read_at` were read already.
fn recover_by_lines(
    text: &str,
    by_lines: &[(usize, Vec<usize>)],
    read_at: &std::collections::HashSet<usize>,
    salvaged: &mut Salvaged,
) {
    let mut known: std::collections::HashSet<String> =
        salvaged.highlights.iter().map(|h| h.id.clone()).collect();
    for (start, ends) in by_lines
        .iter()
        .filter(|(start, _)| !read_at.contains(start))
    {
        for &end in ends {
            if let EntryRead::Good { highlight, extras }
            | EntryRead::Mended {
                highlight, extras, ..
            } = read_entry(&text[*start..end])
            {
                if known.insert(highlight.id.clone()) {
                    // A piece the scan cut wrongly may have looked like a
                    // spoiled copy of it.
                    salvaged
                        .kept
                        .spoiled
                        .retain(|s| s.problem.id.as_ref() != Some(&highlight.id));
                    if !extras.is_empty() {
                        salvaged.kept.extras.insert(highlight.id.clone(), extras);
                    }
                    salvaged.highlights.push(*highlight);
                }
                break;
            }
        }
    }
}

/// Below this many entries, reading them is left to one thread.
const PARALLEL_FROM: usize = 4096;

/// Each entry read on its own, on several threads when there are many.
fn read_entries(text: &str, entries: &[Delimited]) -> Vec<EntryRead> {
    let read = |run: &[Delimited]| -> Vec<EntryRead> {
        run.iter()
            .map(|entry| match &entry.broken {
                Some((at, reason)) => EntryRead::Broken {
                    at: *at,
                    id: entry::readable_id(&text[entry.range.clone()]),
                    reason: reason.clone(),
                },
                None => read_entry(&text[entry.range.clone()]),
            })
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if entries.len() < PARALLEL_FROM || threads < 2 {
        return read(entries);
    }
    let per_run = entries.len().div_ceil(threads.min(8));
    let read = &read;
    std::thread::scope(|scope| {
        let workers: Vec<_> = entries
            .chunks(per_run)
            .map(|run| scope.spawn(move || read(run)))
            .collect();
        let mut all = Vec::with_capacity(entries.len());
        for worker in workers {
            match worker.join() {
                Ok(part) => all.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    })
}

/// A RON error said for a person, without control characters.
fn ron_reason(code: &ron::error::Error) -> String {
    let reason = match code {
        ron::error::Error::Eof => {
            "the file ends here, in the middle (it may have been cut short)".to_owned()
        }
        other => other.to_string(),
    };
    crate::text::sanitize_line(&reason)
}

/// Where each line of a text starts, to turn offsets into lines and columns.
struct Lines<'a> {
    text: &'a str,
    starts: std::sync::OnceLock<Vec<usize>>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            starts: std::sync::OnceLock::new(),
        }
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    fn problem_at(&self, offset: usize, id: Option<String>, reason: String) -> FileProblem {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let starts = self.starts();
        let line = starts.partition_point(|&start| start <= offset).max(1);
        let start = starts[line - 1];
        FileProblem {
            line,
            column: 1 + self.text[start..offset].chars().count(),
            id: id.map(|id| crate::text::sanitize_line(&id)),
            reason,
        }
    }
}

/// The byte offset of 1-based `line` and `column` (in characters) in `text`,
/// as `ron` counts them; the end of the text when past it.
pub(super) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match memchr::memchr(b'\n', &text.as_bytes()[start..]) {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    text[start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests;
