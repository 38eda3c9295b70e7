//! The text of `annotations.ron`, written directly instead of through `ron`'s
//! serializer. Saving 100,000 highlights is mostly producing this text, and
//! the general serializer spends most of its time on checks and indirection
//! the file does not need. The bytes are exactly those `ron` writes for the
//! file's style (pretty, three levels of line breaks, strings unescaped); a
//! test compares the two on random highlights, so the file stays plain RON
//! that `ron` and any other RON reader load.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use jiff::Timestamp;

use super::format::ANNOTATIONS_VERSION;
use super::kept::Kept;
use super::sort_key::SortKey;
use crate::annotation::{Highlight, TextAnchor};

/// Writes the whole file for these highlights (in any order; they are
/// written in reading order) and deletion markers, ending with a newline.
/// What `kept` holds goes back too: unknown fields after the fields of their
/// highlight, and spoiled entries as they were written, after the others.
pub(super) fn write_file<'a>(
    out: &mut impl Write,
    highlights: impl IntoIterator<Item = &'a Highlight>,
    deleted: &BTreeMap<String, Timestamp>,
    kept: &Kept,
) -> io::Result<()> {
    let highlights = in_reading_order(highlights.into_iter().collect());
    let mut text = String::new();
    text.push_str("(\n    version: ");
    push_number(&mut text, u64::from(ANNOTATIONS_VERSION));
    text.push_str(",\n    highlights: [");
    if !highlights.is_empty() || !kept.spoiled.is_empty() {
        text.push('\n');
        out.write_all(text.as_bytes())?;
        text.clear();
        if kept.extras.is_empty() {
            write_highlights(out, &highlights)?;
        } else {
            for highlight in &highlights {
                push_highlight_with(&mut text, highlight, kept.extras.get(&highlight.id));
                out.write_all(text.as_bytes())?;
                text.clear();
            }
        }
        for spoiled in &kept.spoiled {
            text.push_str("        ");
            text.push_str(&spoiled.text);
            text.push_str(",\n");
        }
        text.push_str("    ");
    }
    text.push_str("],\n    deleted: {");
    if !deleted.is_empty() {
        text.push('\n');
        for (id, at) in deleted {
            text.push_str("        ");
            push_string(&mut text, id);
            text.push_str(": ");
            push_timestamp(&mut text, *at);
            text.push_str(",\n");
        }
        text.push_str("    ");
    }
    text.push_str("},\n)\n");
    out.write_all(text.as_bytes())
}

/// Highlights written as one block of text before it is handed on.
const BLOCK: usize = 1024;

/// Writes the highlights' text block by block. With many highlights each
/// round writes one block per core side by side, then hands them on in
/// order; the same few buffers serve every round, so the text of 100,000
/// highlights never sits in memory whole.
fn write_highlights(out: &mut impl Write, highlights: &[&Highlight]) -> io::Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let per_round = if highlights.len() < 2 * BLOCK {
        1
    } else {
        threads.min(8)
    };
    let mut buffers: Vec<String> = vec![String::new(); per_round];
    for round in highlights.chunks(BLOCK * per_round) {
        let mut jobs = round.chunks(BLOCK).zip(buffers.iter_mut());
        let Some((own_block, own_buffer)) = jobs.next() else {
            break;
        };
        std::thread::scope(|scope| {
            for (block, buffer) in jobs {
                scope.spawn(move || write_block(buffer, block));
            }
            write_block(own_buffer, own_block);
        });
        let used = round.len().div_ceil(BLOCK);
        for buffer in &buffers[..used] {
            out.write_all(buffer.as_bytes())?;
        }
    }
    Ok(())
}

fn write_block(buffer: &mut String, block: &[&Highlight]) {
    buffer.clear();
    for highlight in block {
        push_highlight(buffer, highlight);
    }
}

/// Sorted by article, position and id, so that two saves differ only where
/// the highlights did.
fn in_reading_order(highlights: Vec<&Highlight>) -> Vec<&Highlight> {
    let mut keyed: Vec<(SortKey, usize, SortKey, &Highlight)> = highlights
        .into_iter()
        .map(|h| {
            (
                SortKey::of(&h.article),
                h.anchor.position.start,
                SortKey::of(&h.id),
                h,
            )
        })
        .collect();
    keyed.sort_unstable_by(|a, b| {
        a.0.compare(b.0, || a.3.article.cmp(&b.3.article))
            .then(a.1.cmp(&b.1))
            .then_with(|| a.2.compare(b.2, || a.3.id.cmp(&b.3.id)))
    });
    keyed.into_iter().map(|(_, _, _, h)| h).collect()
}

fn push_highlight(out: &mut String, highlight: &Highlight) {
    push_highlight_with(out, highlight, None);
}

/// A highlight and, after its own fields, the ones this gloss does not know.
fn push_highlight_with(
    out: &mut String,
    highlight: &Highlight,
    extras: Option<&Vec<(String, String)>>,
) {
    out.push_str("        (\n            id: ");
    push_string(out, &highlight.id);
    out.push_str(",\n            article: ");
    push_string(out, &highlight.article);
    out.push_str(",\n            text_hash: ");
    push_string(out, &highlight.text_hash);
    out.push_str(",\n            anchor: ");
    push_anchor(out, &highlight.anchor);
    if let Some(place) = &highlight.placement {
        out.push_str(",\n            placement: Some((text_hash: ");
        push_string(out, &place.text_hash);
        out.push_str(", anchor: ");
        push_anchor(out, &place.anchor);
        out.push_str(", state: ");
        out.push_str(place.state.name());
        out.push_str("))");
    }
    out.push_str(",\n            color: ");
    out.push_str(highlight.color.name());
    out.push_str(",\n            tags: [");
    for (i, tag) in highlight.tags.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_string(out, tag);
    }
    out.push_str("],\n            note: ");
    push_string(out, &highlight.note);
    out.push_str(",\n            created: ");
    push_timestamp(out, highlight.created);
    out.push_str(",\n            updated: ");
    push_timestamp(out, highlight.updated);
    out.push_str(",\n");
    for (name, value) in extras.into_iter().flatten() {
        out.push_str("            ");
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str(",\n");
    }
    out.push_str("        ),\n");
}

fn push_anchor(out: &mut String, anchor: &TextAnchor) {
    out.push_str("(quote: (exact: ");
    push_string(out, &anchor.quote.exact);
    out.push_str(", prefix: ");
    push_string(out, &anchor.quote.prefix);
    out.push_str(", suffix: ");
    push_string(out, &anchor.quote.suffix);
    out.push_str("), position: (block: ");
    push_number(out, anchor.position.block as u64);
    out.push_str(", start: ");
    push_number(out, anchor.position.start as u64);
    out.push_str(", end: ");
    push_number(out, anchor.position.end as u64);
    out.push_str("))");
}

/// A string as `ron` writes it unescaped: between quotes as it is, or as a raw
/// string `r#"…"#` (with one `#` more than the longest run inside) when it
/// holds a quote or a backslash.
pub(super) fn push_string(out: &mut String, value: &str) {
    if !needs_raw(value.as_bytes()) {
        out.push('"');
        out.push_str(value);
        out.push('"');
        return;
    }
    let longest_run = value.split(|c| c != '#').map(str::len).max().unwrap_or(0);
    let hashes = "#".repeat(longest_run + 1);
    out.push('r');
    out.push_str(&hashes);
    out.push('"');
    out.push_str(value);
    out.push('"');
    out.push_str(&hashes);
}

/// Whether `bytes` hold a quote or a backslash. Most strings in the file are
/// a few words long, where a plain loop is quicker than setting up a
/// vectorised search.
fn needs_raw(bytes: &[u8]) -> bool {
    if bytes.len() < 64 {
        bytes.iter().any(|&b| b == b'"' || b == b'\\')
    } else {
        memchr::memchr2(b'"', b'\\', bytes).is_some()
    }
}

/// RFC 3339, as the timestamp's serde form writes it; it never holds a quote.
fn push_timestamp(out: &mut String, at: Timestamp) {
    // Writing to a String cannot fail.
    let _ = write!(out, "\"{at}\"");
}

fn push_number(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
    }
}

#[cfg(test)]
mod tests;
