//! Cutting the highlights list of a file into its entries without parsing
//! it, so that each can be read on its own. The scan keeps its own stack of
//! open brackets: a bracket closed by the wrong kind, a highlight that never
//! closes before the next one starts, a missing comma or a file that stops
//! in the middle are each noted where they are, and the scan goes on with
//! the entries it can still tell apart.

use std::ops::Range;

use super::super::nesting::Brackets;

/// The shape of a file, as far as it could be made out.
#[derive(Debug, Default)]
pub(super) struct Outline {
    pub list: Option<ListSpan>,
    pub entries: Vec<Delimited>,
    /// Breaks in the structure: the byte offset and what is wrong there.
    pub damage: Vec<(usize, String)>,
    /// The scan stopped where the nesting went deeper than allowed; nothing
    /// of the text may be handed to the parser whole.
    pub too_deep: bool,
}

/// The `highlights: [ … ]` list: the offset of its `[` and, if it was found,
/// of its `]`.
#[derive(Debug, Clone, Copy)]
pub(super) struct ListSpan {
    pub start: usize,
    pub end: Option<usize>,
}

/// One entry of the list, from its `(` to its `)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Delimited {
    pub range: Range<usize>,
    /// When its brackets do not match: where in the entry, and why.
    pub broken: Option<(usize, String)>,
}

/// Depth of the stack while inside the list but not in an entry: the
/// document's `(` and the list's `[`.
const LIST_LEVEL: usize = 2;

/// The outline of `text`, never nesting deeper than `limit`.
pub(super) fn outline(text: &str, limit: usize) -> Outline {
    let mut scan = Scan {
        text,
        shape: Outline::default(),
        stack: Vec::new(),
        entry: None,
        gap_start: 0,
        first: true,
    };
    for bracket in Brackets::new(text) {
        if bracket.opens {
            if scan.stack.len() >= limit {
                let reason = format!("nested more than {limit} levels deep");
                scan.shape.damage.push((bracket.offset, reason));
                scan.shape.too_deep = true;
                return scan.shape;
            }
            scan.open(bracket.byte, bracket.offset);
        } else {
            scan.close(bracket.byte, bracket.offset);
        }
    }
    scan.finish()
}

struct Scan<'a> {
    text: &'a str,
    shape: Outline,
    /// The open brackets and their offsets.
    stack: Vec<(u8, usize)>,
    /// The open entry: where it starts, and why it is broken if it is.
    entry: Option<(usize, Option<(usize, String)>)>,
    /// Where the text before the next entry (or the list's end) starts.
    gap_start: usize,
    /// Whether no entry was seen yet in the list.
    first: bool,
}

impl Scan<'_> {
    fn in_list(&self) -> bool {
        self.shape.list.is_some_and(|list| list.end.is_none())
    }

    fn line_of(&self, offset: usize) -> usize {
        crate::store::line_and_column(&self.text.as_bytes()[..offset]).0
    }

    fn open(&mut self, byte: u8, at: usize) {
        if self.in_list() {
            match &self.entry {
                None if self.stack.len() == LIST_LEVEL => {
                    if let Some(problem) = gap_problem(self.text, self.gap_start, at, self.first) {
                        self.shape.damage.push(problem);
                    }
                    let broken = (byte != b'(').then(|| {
                        let found = char::from(byte);
                        (
                            0,
                            format!("expected a highlight `( … )` here, found `{found}`"),
                        )
                    });
                    self.entry = Some((at, broken));
                    self.first = false;
                }
                Some((start, _)) if byte == b'(' && opens_highlight(self.text, at) => {
                    // The entry before never closed: it ends where this one
                    // starts.
                    let start = *start;
                    let reason = format!(
                        "the highlight that starts on line {} is not closed: a `)` is missing before the next highlight",
                        self.line_of(start)
                    );
                    self.shape.entries.push(Delimited {
                        range: start..at,
                        broken: Some((at - start, reason)),
                    });
                    self.stack.truncate(LIST_LEVEL);
                    self.entry = Some((at, None));
                }
                _ => {}
            }
        }
        self.stack.push((byte, at));
        if self.shape.list.is_none()
            && self.stack.len() == LIST_LEVEL
            && byte == b'['
            && names_highlights(self.text, at)
        {
            self.shape.list = Some(ListSpan {
                start: at,
                end: None,
            });
            self.gap_start = at + 1;
            self.first = true;
        }
    }

    fn close(&mut self, byte: u8, at: usize) {
        let opener = opener_of(byte);
        let found = char::from(byte);
        if self.stack.last().is_some_and(|&(open, _)| open == opener) {
            self.stack.pop();
        } else {
            let level = self.stack.iter().rposition(|&(open, _)| open == opener);
            // Inside the list, only `]` may close it, and nothing there
            // closes the document.
            let level = level.filter(|&level| !self.in_list() || level > 0);
            let Some(level) = level else {
                let reason = format!("`{found}` closes nothing: no bracket is open for it");
                self.note(at, reason);
                return;
            };
            let (open, open_at) = self.stack[self.stack.len() - 1];
            let reason = format!(
                "`{found}` closes a bracket that is not the last one opened: the `{}` opened on line {} is not closed",
                char::from(open),
                self.line_of(open_at)
            );
            if level < LIST_LEVEL
                && let Some((start, broken)) = self.entry.take()
            {
                // The list closes inside an entry.
                self.shape.entries.push(Delimited {
                    range: start..at,
                    broken: Some(broken.unwrap_or((at - start, reason))),
                });
                self.gap_start = at;
            } else {
                self.note(at, reason);
            }
            self.stack.truncate(level);
        }
        if !self.in_list() {
            return;
        }
        if self.stack.len() == LIST_LEVEL
            && let Some((start, broken)) = self.entry.take()
        {
            self.shape.entries.push(Delimited {
                range: start..at + 1,
                broken,
            });
            self.gap_start = at + 1;
        } else if self.stack.len() < LIST_LEVEL {
            if let Some(problem) = tail_problem(self.text, self.gap_start, at, self.first) {
                self.shape.damage.push(problem);
            }
            if let Some(list) = &mut self.shape.list {
                list.end = Some(at);
            }
        }
    }

    /// Notes a break at `at`: in the open entry if there is one (the first
    /// break in it is the one reported), else in the file.
    fn note(&mut self, at: usize, reason: String) {
        match &mut self.entry {
            Some((start, broken)) => {
                broken.get_or_insert((at - *start, reason));
            }
            None => self.shape.damage.push((at, reason)),
        }
    }

    fn finish(mut self) -> Outline {
        let end = self.text.len();
        if let Some((start, broken)) = self.entry.take() {
            let reason =
                "the file ends in the middle of this highlight (it may have been cut short)";
            self.shape.entries.push(Delimited {
                range: start..end,
                broken: Some(broken.unwrap_or((end - start, reason.to_owned()))),
            });
        }
        if self.in_list() {
            self.shape.damage.push((
                end,
                "the file ends before the list of highlights is closed with `]` (it may have been cut short)"
                    .to_owned(),
            ));
        } else if let Some(&(open, open_at)) = self.stack.last() {
            let reason = format!(
                "the file ends before the `{}` opened on line {} is closed (it may have been cut short)",
                char::from(open),
                self.line_of(open_at)
            );
            self.shape.damage.push((end, reason));
        }
        self.shape
    }
}

/// The entries of a file laid out as gloss writes it, found by their lines
/// alone: each starts with a line holding only `(` followed by a line
/// starting with `id:`, and ends at one of the last lines before the next
/// that hold only `)` or `),` (the last first). This does not depend on
/// strings being closed, so after a deleted quote, where the scan above
/// reads the rest of the file inside out, every other entry is still found.
pub(super) fn entries_by_lines(text: &str) -> Vec<(usize, Vec<usize>)> {
    let mut found: Vec<(usize, Vec<usize>)> = Vec::new();
    // The `(` of the line before, when it held only that.
    let mut open_before: Option<usize> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(open) = open_before.take()
            && line
                .trim_start()
                .strip_prefix("id")
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        {
            found.push((open, Vec::new()));
        }
        match trimmed {
            "(" => open_before = line.find('(').map(|i| at + i),
            ")" | ")," => {
                if let (Some((_, ends)), Some(i)) = (found.last_mut(), line.find(')')) {
                    ends.push(at + i + 1);
                }
            }
            _ => {}
        }
        at += line.len();
    }
    for (_, ends) in &mut found {
        // The last three, the last first.
        ends.reverse();
        ends.truncate(3);
    }
    found
}

fn opener_of(close: u8) -> u8 {
    match close {
        b')' => b'(',
        b']' => b'[',
        _ => b'{',
    }
}

/// Whether the `(` at `offset` starts a highlight: its first field is `id`.
fn opens_highlight(text: &str, offset: usize) -> bool {
    let rest = skip_blank(&text[offset + 1..]);
    rest.strip_prefix("id")
        .is_some_and(|after| skip_blank(after).starts_with(':'))
}

/// `text` after any leading whitespace and comments.
fn skip_blank(mut text: &str) -> &str {
    loop {
        let trimmed = text.trim_start();
        if let Some(comment) = trimmed.strip_prefix("//") {
            text = comment.split_once('\n').map_or("", |(_, rest)| rest);
        } else if trimmed.starts_with("/*") {
            text = after_block_comment(trimmed);
        } else {
            return trimmed;
        }
    }
}

/// The text after the block comment `text` starts with (they nest in RON).
fn after_block_comment(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut level = 0usize;
    let mut i = 0;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                level += 1;
                i += 2;
            }
            (b'*', b'/') => {
                level -= 1;
                i += 2;
                if level == 0 {
                    return &text[i..];
                }
            }
            _ => i += 1,
        }
    }
    ""
}

/// What is wrong with the text between two entries (or before the first):
/// the offset and the reason, if it is not just one comma (nothing at all
/// before the first entry).
fn gap_problem(text: &str, from: usize, to: usize, first: bool) -> Option<(usize, String)> {
    let gap = &text[from..to];
    let mut rest = skip_blank(gap);
    let mut commas = 0;
    while let Some(after) = rest.strip_prefix(',') {
        commas += 1;
        if commas > 1 || first {
            break;
        }
        rest = skip_blank(after);
    }
    let at = from + gap.len() - rest.len();
    if !rest.is_empty() || commas > 1 || (first && commas > 0) {
        let shown: String = rest.chars().take(20).collect();
        let shown = crate::text::sanitize_line(shown.trim_end());
        return Some((
            at,
            format!("unexpected `{shown}` between highlights: only a comma goes there"),
        ));
    }
    if commas == 0 && !first {
        return Some((
            from,
            "a comma is missing after this highlight: write `,` after its `)`".to_owned(),
        ));
    }
    None
}

/// What is wrong with the text after the last entry, before the `]`: at most
/// one comma may be there (none when the list is empty).
fn tail_problem(text: &str, from: usize, to: usize, empty: bool) -> Option<(usize, String)> {
    let gap = &text[from..to];
    let rest = skip_blank(gap);
    let rest = match rest.strip_prefix(',') {
        Some(after) if !empty => skip_blank(after),
        _ => rest,
    };
    if rest.is_empty() {
        return None;
    }
    let shown: String = rest.chars().take(20).collect();
    let shown = crate::text::sanitize_line(shown.trim_end());
    Some((
        from + gap.len() - rest.len(),
        format!("unexpected `{shown}` at the end of the list of highlights"),
    ))
}

/// Whether the bracket at `offset` is the value of the `highlights` field.
fn names_highlights(text: &str, offset: usize) -> bool {
    let before = text[..offset].trim_end();
    let Some(before) = before.strip_suffix(':') else {
        return false;
    };
    let Some(before) = before.trim_end().strip_suffix("highlights") else {
        return false;
    };
    !before
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '#')
}

#[cfg(test)]
mod tests;
