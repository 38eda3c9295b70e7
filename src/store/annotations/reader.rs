//! Reading `annotations.ron` in the exact layout gloss writes, without the
//! general RON parser. `ron` reads a file one character at a time through
//! serde, which takes most of a second for 100,000 highlights; a file gloss
//! wrote has one known layout, which this reads by matching the fixed text
//! between the values and copying the values out, on several threads.
//!
//! When the file is read to be merged with highlights at hand, an entry that
//! says exactly what the copy at hand says is not built again: that copy is
//! used. A save then builds only what another instance changed, and the merge
//! that follows compares pointers.
//!
//! It is only a faster road to the same result. Every value is decoded the
//! way `ron` decodes it, and anything that differs from the layout by one
//! byte (a hand edit, a comment, an escaped string, a missing field) gives
//! `None`, and the caller reads the file with `ron`, which also finds the
//! line and column of any error.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use jiff::Timestamp;

use layout::{Cursor, EntryText};

use super::sort_key::SortKey;
use super::{Entry, Map};

mod layout;

/// Below this size a file is read on one thread; threads would not pay.
const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// What starts every highlight but the first, found to cut the list into
/// pieces: the end of the line before, the `(` and the first field.
const ENTRY_START: &str = "\n        (\n            id: ";

/// The file's contents, as `ron` would have read them, each highlight ready
/// to be shared.
#[derive(Debug)]
pub(super) struct CanonicalFile {
    pub version: u32,
    pub highlights: Vec<Entry>,
    pub deleted: BTreeMap<String, Timestamp>,
}

/// Reads `text` if it is laid out exactly as gloss writes it, else `None`.
/// Highlights the file holds unchanged are taken from `known`.
pub(super) fn read_canonical(text: &str, known: Option<&Map>) -> Option<CanonicalFile> {
    let mut cursor = Cursor::new(text, 0);
    cursor.expect("(\n    version: ")?;
    let version = u32::try_from(cursor.number()?).ok()?;
    cursor.expect(",\n    highlights: [")?;
    let runs = if cursor.eat("],\n") {
        Vec::new()
    } else {
        cursor.expect("\n")?;
        let (runs, end) = read_list(text, cursor.at)?;
        cursor.at = end;
        cursor.expect("    ],\n")?;
        runs
    };
    cursor.expect("    deleted: {")?;
    let mut deleted = BTreeMap::new();
    if !cursor.eat("},\n") {
        cursor.expect("\n")?;
        while !cursor.eat("    },\n") {
            cursor.expect("        ")?;
            let id = cursor.string()?;
            cursor.expect(": ")?;
            let at = cursor.timestamp()?;
            cursor.expect(",\n")?;
            // As serde fills a map: a repeated key keeps the later value.
            deleted.insert(id.to_owned(), at);
        }
    }
    cursor.expect(")")?;
    if !cursor.rest().trim_ascii().is_empty() {
        return None;
    }
    // Only a file read to its end is worth building highlights for.
    let entries: Vec<&EntryText<'_>> = runs.iter().flatten().collect();
    let highlights = match known {
        Some(known) => reuse_known(&entries, known),
        None => build_all(&entries),
    };
    Some(CanonicalFile {
        version,
        highlights,
        deleted,
    })
}

/// The highlights of the list whose first entry starts at `start`, in runs
/// that follow one another, and the offset of the line that closes the list.
///
/// The text after `start` is cut where [`ENTRY_START`] is found and each
/// piece is read on a thread of its own. That text could also sit inside a
/// note, so a piece counts only if the piece before it, read from a known
/// entry, ended exactly where it began; otherwise the rest is read here, one
/// entry after the other.
fn read_list(text: &str, start: usize) -> Option<(Vec<Vec<EntryText<'_>>>, usize)> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let pieces = if text.len() - start < PARALLEL_FROM_BYTES {
        1
    } else {
        threads.min(8)
    };
    read_list_in_pieces(text, start, pieces)
}

fn read_list_in_pieces(
    text: &str,
    start: usize,
    pieces: usize,
) -> Option<(Vec<Vec<EntryText<'_>>>, usize)> {
    let starts = piece_starts(text, start, pieces);
    let ranges: Vec<Range<usize>> = starts
        .iter()
        .enumerate()
        .map(|(i, &from)| from..starts.get(i + 1).copied().unwrap_or(usize::MAX))
        .collect();
    let (first, others) = ranges.split_first()?;
    std::thread::scope(|scope| {
        let workers: Vec<_> = others
            .iter()
            .map(|range| {
                let range = range.clone();
                (range.start, scope.spawn(move || read_run(text, range)))
            })
            .collect();
        let run = read_run(text, first.clone())?;
        let mut end = run.end;
        let mut closed = run.closed;
        let mut runs = vec![run.entries];
        for (piece_start, worker) in workers {
            let piece = worker.join().ok().flatten();
            if closed {
                continue;
            }
            let piece = match piece {
                Some(piece) if piece_start == end => piece,
                _ => read_run(text, end..usize::MAX)?,
            };
            end = piece.end;
            closed = piece.closed;
            runs.push(piece.entries);
        }
        if !closed {
            let rest = read_run(text, end..usize::MAX)?;
            end = rest.end;
            runs.push(rest.entries);
        }
        Some((runs, end))
    })
}

/// Where each piece starts: `start`, then the first entry start found after
/// each equal share of the text.
fn piece_starts(text: &str, start: usize, pieces: usize) -> Vec<usize> {
    let finder = memchr::memmem::Finder::new(ENTRY_START);
    let share = (text.len() - start) / pieces.max(1);
    let mut starts = vec![start];
    for k in 1..pieces {
        let from = start + share * k;
        let found = finder
            .find(&text.as_bytes()[from..])
            .map(|at| from + at + 1);
        match found {
            Some(at) if at > *starts.last().unwrap_or(&start) => starts.push(at),
            _ => break,
        }
    }
    starts
}

/// Entries read one after the other from a piece's start.
struct Run<'a> {
    entries: Vec<EntryText<'a>>,
    /// Where reading stopped: at or after the end of the range, or at the
    /// line closing the list.
    end: usize,
    /// Whether `end` is the line closing the list.
    closed: bool,
}

/// No entry is shorter than this: the text around its values alone is longer.
const SHORTEST_ENTRY: usize = 352;

fn read_run(text: &str, range: Range<usize>) -> Option<Run<'_>> {
    let mut cursor = Cursor::new(text, range.start);
    // Room for as many entries as the range could hold, so that the list
    // never moves while it grows.
    let bytes = range.end.min(text.len()).saturating_sub(range.start);
    let mut entries = Vec::with_capacity(bytes / SHORTEST_ENTRY + 1);
    loop {
        let closed = cursor.rest().starts_with(b"    ]");
        if closed || cursor.at >= range.end {
            return Some(Run {
                entries,
                end: cursor.at,
                closed,
            });
        }
        entries.push(cursor.entry()?);
    }
}

/// Below this many entries, building them is left to one thread.
const PARALLEL_BUILD_FROM: usize = 4096;

/// The entries, in `parts` runs of about the same length, each turned into
/// highlights by `build` on a thread of its own; the results in order.
fn in_parallel<T: Sync>(entries: &[T], build: impl Fn(&[T]) -> Vec<Entry> + Sync) -> Vec<Entry> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let parts = if entries.len() < PARALLEL_BUILD_FROM {
        1
    } else {
        threads.min(8)
    };
    let mut runs = entries.chunks(entries.len().div_ceil(parts).max(1));
    let Some(first) = runs.next() else {
        return Vec::new();
    };
    let build = &build;
    std::thread::scope(|scope| {
        let workers: Vec<_> = runs.map(|run| scope.spawn(move || build(run))).collect();
        let mut built = build(first);
        for worker in workers {
            match worker.join() {
                Ok(part) => built.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        built
    })
}

/// Every entry made into a highlight, in file order.
fn build_all(entries: &[&EntryText<'_>]) -> Vec<Entry> {
    in_parallel(entries, |run| {
        // The ids are made one after the other, so that they lie together in
        // memory where sorting and merging compare them.
        let ids: Vec<Arc<str>> = run.iter().map(|entry| Arc::from(entry.id)).collect();
        ids.into_iter()
            .zip(run.iter().map(|entry| Arc::new(entry.to_highlight())))
            .collect()
    })
}

/// Every entry as a highlight, in id order: the copy in `known` when the
/// entry describes it exactly, a new one otherwise. Both are walked side by
/// side in id order.
fn reuse_known(entries: &[&EntryText<'_>], known: &Map) -> Vec<Entry> {
    let mut order: Vec<(SortKey, usize)> = entries
        .iter()
        .enumerate()
        .map(|(i, entry)| (SortKey::of(entry.id), i))
        .collect();
    order.sort_unstable_by(|a, b| {
        a.0.compare(b.0, || entries[a.1].id.cmp(entries[b.1].id))
            .then(a.1.cmp(&b.1))
    });
    let in_id_order: Vec<&EntryText<'_>> = order.iter().map(|&(_, i)| entries[i]).collect();
    in_parallel(&in_id_order, |run| {
        let Some(first) = run.first() else {
            return Vec::new();
        };
        let from = (
            std::ops::Bound::Included(first.id),
            std::ops::Bound::Unbounded,
        );
        let mut known = known.range::<str, _>(from).peekable();
        run.iter()
            .map(|entry| {
                while known.next_if(|(id, _)| ***id < *entry.id).is_some() {}
                match known.peek() {
                    Some((id, copy)) if ***id == *entry.id && entry.describes(copy) => {
                        (Arc::clone(id), Arc::clone(copy))
                    }
                    _ => super::entry(entry.to_highlight()),
                }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests;
