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

/// Checks that brackets in `text` never nest deeper than `limit`.
pub(super) fn check_nesting(text: &str, limit: usize) -> Result<(), TooDeep> {
    let bytes = text.as_bytes();
    let mut state = State::Code;
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let next = bytes.get(i + 1).copied();
        match state {
            State::Code => match byte {
                b'"' | b'\'' => state = State::Quoted(byte),
                b'/' if next == Some(b'/') => state = State::LineComment,
                b'/' if next == Some(b'*') => {
                    state = State::BlockComment(1);
                    i += 1;
                }
                b'r' if starts_token(bytes, i) => {
                    if let Some((hashes, quote_at)) = raw_string_start(bytes, i) {
                        state = State::Raw(hashes);
                        i = quote_at;
                    }
                }
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    if depth > limit {
                        return Err(TooDeep { offset: i });
                    }
                }
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
            State::Quoted(close) => {
                if byte == b'\\' {
                    i += 1;
                } else if byte == close {
                    state = State::Code;
                }
            }
            State::Raw(hashes) => {
                if byte == b'"' && closes_raw(bytes, i, hashes) {
                    state = State::Code;
                    i += hashes;
                }
            }
            State::LineComment => {
                if byte == b'\n' {
                    state = State::Code;
                }
            }
            State::BlockComment(level) => {
                if byte == b'/' && next == Some(b'*') {
                    state = State::BlockComment(level + 1);
                    i += 1;
                } else if byte == b'*' && next == Some(b'/') {
                    state = if level == 1 {
                        State::Code
                    } else {
                        State::BlockComment(level - 1)
                    };
                    i += 1;
                }
            }
        }
        i += 1;
    }
    Ok(())
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
