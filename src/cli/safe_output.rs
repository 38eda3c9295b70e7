//! The last step before a command's output reaches a terminal. Text is
//! sanitized where it enters gloss, but output is also made of derived data
//! (a cache entry, a file another program wrote): whatever slipped past the
//! door, no escape sequence, control character or bidi override leaves
//! through standard output. The only escapes let through are the two that
//! `gloss search --color` writes around a match.

use std::io::{self, Write};

/// What `gloss search` marks a match with (bold and reverse, then normal).
const ALLOWED_ESCAPES: [&[u8]; 2] = [b"\x1b[1;7m", b"\x1b[0m"];

/// The longest allowed escape: bytes held back at the end of a write that
/// may be the start of one.
const LONGEST_ESCAPE: usize = 6;

/// A writer that drops terminal controls from everything written through it
/// (while it is `active`: output for a program through a pipe or into a
/// file goes through as it is, at full speed).
#[derive(Debug)]
pub struct SafeOutput<W: Write> {
    inner: W,
    active: bool,
    /// The end of the last write, when it may continue in the next one (the
    /// start of an allowed escape or of a multi-byte character).
    held: Vec<u8>,
    clean: Vec<u8>,
}

impl<W: Write> SafeOutput<W> {
    pub fn new(inner: W) -> SafeOutput<W> {
        SafeOutput::checking(inner, true)
    }

    /// A writer that checks only if `active` (say, when the output is a
    /// terminal), and otherwise passes everything through.
    pub fn checking(inner: W, active: bool) -> SafeOutput<W> {
        SafeOutput {
            inner,
            active,
            held: Vec::new(),
            clean: Vec::new(),
        }
    }
}

impl<W: Write> Write for SafeOutput<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Most output has nothing to drop: it goes through uncopied.
        if !self.active || (self.held.is_empty() && next_to_look_at(buf).is_none()) {
            self.inner.write_all(buf)?;
            return Ok(buf.len());
        }
        self.clean.clear();
        if self.held.is_empty() {
            let kept = clean_into(buf, &mut self.clean);
            self.held.extend_from_slice(&buf[kept..]);
        } else {
            let mut joined = std::mem::take(&mut self.held);
            joined.extend_from_slice(buf);
            let kept = clean_into(&joined, &mut self.clean);
            self.held.extend_from_slice(&joined[kept..]);
        }
        self.inner.write_all(&self.clean)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // Whatever is held cannot be completed any more: it goes through the
        // same rules as if the output ended there.
        if !self.held.is_empty() {
            let held = std::mem::take(&mut self.held);
            self.clean.clear();
            clean_end_into(&held, &mut self.clean);
            self.inner.write_all(&self.clean)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for SafeOutput<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Appends `bytes` to `out` without terminal controls, except for an
/// unfinished sequence at the very end that the next write may complete.
/// Returns how many bytes were dealt with; the rest are to be held.
fn clean_into(bytes: &[u8], out: &mut Vec<u8>) -> usize {
    out.reserve(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let Some(offset) = next_to_look_at(&bytes[at..]) else {
            out.extend_from_slice(&bytes[at..]);
            return bytes.len();
        };
        out.extend_from_slice(&bytes[at..at + offset]);
        at += offset;
        match look_at(&bytes[at..]) {
            Look::Keep(len) => {
                out.extend_from_slice(&bytes[at..at + len]);
                at += len;
            }
            Look::Drop(len) => at += len,
            Look::NeedMore => return at,
        }
    }
    at
}

/// [`clean_into`] for the end of the output: nothing more will come, so an
/// unfinished sequence is dropped byte by byte.
fn clean_end_into(bytes: &[u8], out: &mut Vec<u8>) {
    let mut at = 0;
    while at < bytes.len() {
        at += clean_into(&bytes[at..], out);
        if at < bytes.len() {
            // Held for more that never came: not an allowed escape, not a
            // whole character. The lead byte goes; the rest is read again.
            at += 1;
        }
    }
}

/// Where the first byte that [`needs_a_look`] is, if any. Output is mostly
/// printable ASCII: eight bytes at a time are let through when none of them
/// is below a space or above `~` (a test that may flag a harmless word,
/// never miss a byte), and only flagged words are looked at byte by byte.
fn next_to_look_at(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        let x = u64::from_le_bytes(eight);
        let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        let above_tilde = (x.wrapping_add(ONES) | x) & HIGH;
        if below_space | above_tilde != 0
            && let Some(offset) = word.iter().position(|&b| needs_a_look(b))
        {
            return Some(at + offset);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| needs_a_look(b))
        .map(|offset| at + offset)
}

/// Bytes that may start something to drop: C0 controls but line breaks and
/// tabs, DEL, and the lead bytes of C1 controls (`C2 80`–`C2 9F`) and of
/// bidi controls and the byte order mark (`E2 80`, `E2 81`, `EF BB`).
fn needs_a_look(byte: u8) -> bool {
    (byte < 0x20 && byte != b'\n' && byte != b'\t') || matches!(byte, 0x7f | 0xc2 | 0xe2 | 0xef)
}

enum Look {
    /// So many bytes are fine as they are.
    Keep(usize),
    /// So many bytes are a control: left out.
    Drop(usize),
    /// The bytes end before it can be told.
    NeedMore,
}

/// What to do with the start of `bytes`, a byte [`needs_a_look`] says may
/// be a control.
fn look_at(bytes: &[u8]) -> Look {
    match bytes[0] {
        0x1b => {
            if let Some(escape) = ALLOWED_ESCAPES.iter().find(|e| bytes.starts_with(e)) {
                return Look::Keep(escape.len());
            }
            let could_become_one = bytes.len() < LONGEST_ESCAPE
                && ALLOWED_ESCAPES.iter().any(|e| e.starts_with(bytes));
            if could_become_one {
                Look::NeedMore
            } else {
                Look::Drop(1)
            }
        }
        0xc2 => match bytes.get(1) {
            None => Look::NeedMore,
            Some(0x80..=0x9f) => Look::Drop(2),
            Some(_) => Look::Keep(1),
        },
        0xe2 | 0xef => match (bytes.get(1), bytes.get(2)) {
            (None, _) | (Some(_), None) => Look::NeedMore,
            (Some(&second), Some(&third)) if is_bidi_or_bom(bytes[0], second, third) => {
                Look::Drop(3)
            }
            _ => Look::Keep(1),
        },
        _ => Look::Drop(1),
    }
}

/// U+202A–U+202E, U+2066–U+2069 and U+FEFF in UTF-8.
fn is_bidi_or_bom(first: u8, second: u8, third: u8) -> bool {
    match (first, second) {
        (0xe2, 0x80) => (0xaa..=0xae).contains(&third),
        (0xe2, 0x81) => (0xa6..=0xa9).contains(&third),
        (0xef, 0xbb) => third == 0xbf,
        _ => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn through(pieces: &[&[u8]]) -> Vec<u8> {
        let mut output = SafeOutput::new(Vec::new());
        for piece in pieces {
            output.write_all(piece).unwrap();
        }
        output.flush().unwrap();
        std::mem::take(&mut output.inner)
    }

    #[test]
    fn plain_text_and_utf8_pass_unchanged() {
        let text = "Title — “quoted” café 成果 👩\u{200d}👧\n\tindented\n".as_bytes();
        assert_eq!(through(&[text]), text);
    }

    #[test]
    fn controls_are_dropped_and_match_marks_kept() {
        let hostile = "a\u{1b}]0;PWN\u{7}b\u{1b}cc\u{9b}31md\u{202e}e\u{feff}f\u{7f}\r".as_bytes();
        assert_eq!(through(&[hostile]), b"a]0;PWNbcc31mdef");
        let marked = b"x \x1b[1;7mmatch\x1b[0m y";
        assert_eq!(through(&[marked]), marked);
    }

    #[test]
    fn a_sequence_split_between_writes_is_judged_whole() {
        assert_eq!(
            through(&[b"x \x1b[1", b";7mhit\x1b", b"[0m y"]),
            b"x \x1b[1;7mhit\x1b[0m y"
        );
        assert_eq!(through(&[b"a\xe2\x80", b"\xaeb"]), b"ab");
        assert_eq!(
            through(&["a\u{e9}".as_bytes()[..2].as_ref(), b"\xa9"]),
            "aé".as_bytes()
        );
        assert_eq!(through(&[b"end\x1b["]), b"end[");
    }

    #[test]
    fn the_word_at_a_time_scan_finds_what_the_byte_scan_finds() {
        for text in [
            &b"plain ascii text with nothing in it at all, long enough"[..],
            b"0123456\x1b",
            b"\x7f",
            b"seven b\xc2\x9b and more",
            b"ends with a newline\n and a tab\t",
            "caf\u{e9} \u{201c}quoted\u{201d} \u{202e}".as_bytes(),
        ] {
            assert_eq!(
                next_to_look_at(text),
                text.iter().position(|&b| needs_a_look(b)),
                "{text:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn the_scans_agree_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(
                next_to_look_at(&bytes),
                bytes.iter().position(|&b| needs_a_look(b))
            );
        }

        /// Whatever is written, in whatever pieces: no control but the match
        /// marks comes out, valid UTF-8 stays valid, and the cut does not
        /// change the result.
        #[test]
        fn nothing_a_terminal_interprets_gets_through(
            text in "(\\PC|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{feff}]|\u{1b}\\[1;7m|\u{1b}\\[0m)*",
            cut in 0usize..64,
        ) {
            let bytes = text.as_bytes();
            let cut = cut.min(bytes.len());
            let whole = through(&[bytes]);
            prop_assert_eq!(&through(&[&bytes[..cut], &bytes[cut..]]), &whole);
            let shown = String::from_utf8(whole).unwrap();
            let without_marks = shown.replace("\u{1b}[1;7m", "").replace("\u{1b}[0m", "");
            prop_assert!(!without_marks.chars().any(|c| {
                (c.is_control() && c != '\n' && c != '\t')
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
            }), "{:?}", without_marks);
        }
    }
}
