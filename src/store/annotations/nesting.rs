//! A guard in front of the RON parser: a file nested deeper than any annotations
//! file can be (100,000 `[` in a row, say) is refused before it is parsed, so a
//! damaged or hostile file can never exhaust the stack.
//!
//! Brackets inside strings, character literals and comments do not count, so a
//! note full of parentheses is never mistaken for deep nesting.

/// Where a file first goes deeper than allowed, as a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TooDeep {
    pub offset: usize,
}

/// Checks that brackets in `text` never nest deeper than `limit`.
pub(super) fn check_nesting(text: &str, limit: usize) -> Result<(), TooDeep> {
    match Brackets::new(text).find(|b| b.opens && b.depth > limit) {
        Some(bracket) => Err(TooDeep {
            offset: bracket.offset,
        }),
        None => Ok(()),
    }
}

/// One bracket of the file's structure (not in a string or comment), or
/// with [`Brackets::with_separators`] a `,` or `:` (which neither opens nor
/// changes the depth).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Bracket {
    pub offset: usize,
    /// The bracket itself: one of `([{)]}`, or `,` or `:`.
    pub byte: u8,
    pub opens: bool,
    /// The depth inside the pair: 1 for the outermost `(` and its `)`.
    pub depth: usize,
}

#[derive(Clone, Copy)]
enum State {
    Code,
    /// Inside `"…"` or `'…'`; the byte that closes it.
    Quoted(u8),
    /// Inside `r#"…"#` with this many `#`.
    Raw(usize),
    LineComment,
    /// Inside `/* … */`, which nest in RON.
    BlockComment(usize),
}

/// The brackets of a RON text in order, skipping strings, character literals
/// and comments.
pub(super) struct Brackets<'a> {
    bytes: &'a [u8],
    i: usize,
    state: State,
    depth: usize,
    special: &'static [bool; 256],
}

impl<'a> Brackets<'a> {
    pub fn new(text: &'a str) -> Brackets<'a> {
        Brackets {
            bytes: text.as_bytes(),
            i: 0,
            state: State::Code,
            depth: 0,
            special: &SPECIAL_IN_CODE,
        }
    }

    /// The brackets and also every `,` and `:` outside strings and comments,
    /// to cut a highlight into its fields.
    pub fn with_separators(text: &'a str) -> Brackets<'a> {
        Brackets {
            special: &SPECIAL_WITH_SEPARATORS,
            ..Brackets::new(text)
        }
    }
}

/// Whether `text` ends inside a `//` comment, so that whatever is written
/// after it on the same line would be part of the comment.
pub(super) fn ends_in_line_comment(text: &str) -> bool {
    let mut scan = Brackets::new(text);
    while scan.next().is_some() {}
    matches!(scan.state, State::LineComment)
}

impl Iterator for Brackets<'_> {
    type Item = Bracket;

    fn next(&mut self) -> Option<Bracket> {
        let bytes = self.bytes;
        while self.i < bytes.len() {
            // Most of a file is text and indentation: skip it in one tight loop.
            let state = self.state;
            let special = self.special;
            self.i += bytes[self.i..]
                .iter()
                .position(|&b| matters(special, state, b))
                .unwrap_or(bytes.len() - self.i);
            let i = self.i;
            let Some(&byte) = bytes.get(i) else {
                break;
            };
            let next = bytes.get(i + 1).copied();
            self.i += 1;
            match state {
                State::Code => match byte {
                    b'"' | b'\'' => self.state = State::Quoted(byte),
                    b'/' if next == Some(b'/') => self.state = State::LineComment,
                    b'/' if next == Some(b'*') => {
                        self.state = State::BlockComment(1);
                        self.i += 1;
                    }
                    b'r' if starts_token(bytes, i) => {
                        if let Some((hashes, quote_at)) = raw_string_start(bytes, i) {
                            self.state = State::Raw(hashes);
                            self.i = quote_at + 1;
                        }
                    }
                    b'(' | b'[' | b'{' => {
                        self.depth += 1;
                        return Some(Bracket {
                            offset: i,
                            byte,
                            opens: true,
                            depth: self.depth,
                        });
                    }
                    b',' | b':' => {
                        return Some(Bracket {
                            offset: i,
                            byte,
                            opens: false,
                            depth: self.depth,
                        });
                    }
                    b')' | b']' | b'}' => {
                        let depth = self.depth;
                        self.depth = depth.saturating_sub(1);
                        return Some(Bracket {
                            offset: i,
                            byte,
                            opens: false,
                            depth,
                        });
                    }
                    _ => {}
                },
                State::Quoted(close) => {
                    if byte == b'\\' {
                        self.i += 1;
                    } else if byte == close {
                        self.state = State::Code;
                    }
                }
                State::Raw(hashes) => {
                    if closes_raw(bytes, i, hashes) {
                        self.state = State::Code;
                        self.i += hashes;
                    }
                }
                State::LineComment => self.state = State::Code,
                State::BlockComment(level) => {
                    if byte == b'/' && next == Some(b'*') {
                        self.state = State::BlockComment(level + 1);
                        self.i += 1;
                    } else if byte == b'*' && next == Some(b'/') {
                        self.state = if level == 1 {
                            State::Code
                        } else {
                            State::BlockComment(level - 1)
                        };
                        self.i += 1;
                    }
                }
            }
        }
        None
    }
}

/// Bytes that may change the state or the depth in the code part of a file.
const SPECIAL_IN_CODE: [bool; 256] = table_of(b"\"'/r([{)]}");

/// [`SPECIAL_IN_CODE`] and the separators.
const SPECIAL_WITH_SEPARATORS: [bool; 256] = table_of(b"\"'/r([{)]},:");

const fn table_of(special: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut k = 0;
    while k < special.len() {
        table[special[k] as usize] = true;
        k += 1;
    }
    table
}

/// Whether `byte` needs a look in `state`; every other byte is skipped.
fn matters(special: &[bool; 256], state: State, byte: u8) -> bool {
    match state {
        State::Code => special[byte as usize],
        State::Quoted(close) => byte == close || byte == b'\\',
        State::Raw(_) => byte == b'"',
        State::LineComment => byte == b'\n',
        State::BlockComment(_) => byte == b'/' || byte == b'*',
    }
}

/// Whether the `r` at `i` begins a token: not inside an identifier, except as
/// the `r` of a `br"…"` byte string.
fn starts_token(bytes: &[u8], i: usize) -> bool {
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    match i.checked_sub(1).map(|p| bytes[p]) {
        None => true,
        Some(b'b') => i < 2 || !is_ident(bytes[i - 2]),
        Some(previous) => !is_ident(previous),
    }
}

/// For `r##"` at `i`: the number of `#` and the offset of the `"`.
fn raw_string_start(bytes: &[u8], i: usize) -> Option<(usize, usize)> {
    let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
    let quote_at = i + 1 + hashes;
    (bytes.get(quote_at) == Some(&b'"')).then_some((hashes, quote_at))
}

fn closes_raw(bytes: &[u8], quote_at: usize, hashes: usize) -> bool {
    bytes
        .get(quote_at + 1..quote_at + 1 + hashes)
        .is_some_and(|after| after.iter().all(|&b| b == b'#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_files_pass() {
        let text = r#"(version: 1, highlights: [(id: "h-1", anchor: (quote: (exact: "x")))], deleted: {})"#;
        assert_eq!(check_nesting(text, 5), Ok(()));
        assert!(check_nesting(text, 4).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_where_it_starts() {
        let text = format!("(version: 1, highlights: {})", "[".repeat(100_000));
        assert_eq!(check_nesting(&text, 64), Err(TooDeep { offset: 25 + 63 }));
    }

    #[test]
    fn brackets_report_their_depth_inside_the_pair() {
        let found: Vec<(usize, u8, bool, usize)> = Brackets::new(r#"( [ "]" ] )"#)
            .map(|b| (b.offset, b.byte, b.opens, b.depth))
            .collect();
        assert_eq!(
            found,
            [
                (0, b'(', true, 1),
                (2, b'[', true, 2),
                (8, b']', false, 2),
                (10, b')', false, 1)
            ]
        );
    }

    #[test]
    fn depth_is_counted_not_the_number_of_brackets() {
        let text = "[(), (), (), [], {}]".repeat(1000);
        assert_eq!(check_nesting(&text, 2), Ok(()));
        assert!(check_nesting("[[[]]]", 2).is_err());
    }

    #[test]
    fn brackets_in_strings_chars_and_comments_do_not_count() {
        let inside = "((((((((((";
        for text in [
            format!(r#"["{inside} \" {inside}"]"#),
            format!("['(', '\\'', \"{inside}\"]"),
            format!("[r#\"{inside} \" {inside}\"#]"),
            format!("[br\"{inside}\"]"),
            format!("// {inside}\n[]"),
            format!("/* {inside} /* {inside} */ {inside} */ []"),
        ] {
            assert_eq!(check_nesting(&text, 2), Ok(()), "{text}");
        }
    }

    #[test]
    fn a_raw_identifier_is_not_a_raw_string() {
        let text = format!("(r#type: {})", "[".repeat(10));
        assert!(check_nesting(&text, 4).is_err());
        let text = format!("(bar: r#\"{}\"#)", "[".repeat(10));
        assert_eq!(check_nesting(&text, 4), Ok(()));
    }

    #[test]
    fn multibyte_text_does_not_confuse_the_scan() {
        let text = "[\"成果 (\", '成', 'é', \"🦀\\u{1F980}\"]";
        assert_eq!(check_nesting(text, 1), Ok(()));
    }
}
