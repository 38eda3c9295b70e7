//! Limits that keep parsing and drawing bounded on hostile or accidental input.
//!
//! Deep nesting is refused before pulldown-cmark sees it: the parser does work
//! proportional to the open containers on every line, so 50,000 nested quotes
//! followed by plain lines would take minutes. Very long blocks are cut into
//! several, at sentence boundaries where possible, so no single block makes a
//! frame expensive to wrap.

use unicode_segmentation::UnicodeSegmentation;

use super::{MAX_BLOCK_BYTES, MAX_NESTING};
use crate::text::sentences;

/// The 0-based index of the first line whose container prefix (`>` markers, list markers and
/// indentation) nests deeper than [`MAX_NESTING`], if any.
///
/// Containers only open on lines with markers, and a nested list needs at least
/// two columns of indentation per level, so this estimate bounds the real depth.
/// It is linear in the input.
pub fn first_too_deep_line(body: &str) -> Option<usize> {
    body.split('\n')
        .position(|line| prefix_depth(line) > MAX_NESTING)
}

/// Estimated container depth opened by the start of `line`: one per marker,
/// plus one per two columns of indentation beyond the single space a marker
/// takes. Lines without any marker open nothing.
fn prefix_depth(line: &str) -> usize {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut markers = 0;
    let mut columns = 0;
    // Leading indentation is always read to the end: it only counts once a
    // marker follows it.
    while i < bytes.len() && (markers == 0 || markers + columns / 2 <= MAX_NESTING) {
        match bytes[i] {
            b' ' => {
                columns += 1;
                i += 1;
            }
            b'\t' => {
                columns += 4;
                i += 1;
            }
            b'>' => {
                markers += 1;
                i += 1;
                if bytes.get(i) == Some(&b' ') {
                    i += 1;
                }
            }
            _ => match list_marker_len(&bytes[i..]) {
                Some(len) => {
                    markers += 1;
                    i += len + usize::from(bytes.get(i + len) == Some(&b' '));
                }
                None => break,
            },
        }
    }
    if markers == 0 {
        0
    } else {
        markers + columns / 2
    }
}

/// Length of a list marker (`-`, `*`, `+`, or up to nine digits and `.`/`)`)
/// at the start of `bytes`, if it is followed by whitespace or the line's end.
fn list_marker_len(bytes: &[u8]) -> Option<usize> {
    let len = match bytes.first()? {
        b'-' | b'*' | b'+' => 1,
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || !matches!(bytes.get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    match bytes.get(len) {
        None | Some(b' ' | b'\t' | b'\r') => Some(len),
        Some(_) => None,
    }
}

/// Cuts `text` into pieces of at most [`MAX_BLOCK_BYTES`]: after a sentence
/// (or, for code, after a line) when one ends in the window, else at the last
/// space in its second half, else before the last whole grapheme, else at a
/// character boundary. Prose pieces are trimmed; empty pieces are dropped.
pub fn split_long(text: String, is_code: bool) -> Vec<String> {
    if text.len() <= MAX_BLOCK_BYTES {
        return vec![text];
    }
    let boundaries: Vec<usize> = if is_code {
        text.match_indices('\n').map(|(i, _)| i + 1).collect()
    } else {
        sentences(&text).into_iter().map(|r| r.end).collect()
    };
    let mut pieces = Vec::with_capacity(text.len() / MAX_BLOCK_BYTES + 1);
    let mut start = 0;
    while text.len() - start > MAX_BLOCK_BYTES {
        let limit = floor_char_boundary(&text, start + MAX_BLOCK_BYTES);
        let after_sentence = boundaries[..boundaries.partition_point(|&b| b <= limit)]
            .last()
            .copied()
            .filter(|&b| b > start && text.is_char_boundary(b));
        let cut = after_sentence.unwrap_or_else(|| fallback_cut(&text, start, limit));
        push_piece(&mut pieces, &text[start..cut], is_code);
        start = cut;
    }
    push_piece(&mut pieces, &text[start..], is_code);
    pieces
}

/// Where to cut `text[start..limit]` when no sentence ends inside it.
fn fallback_cut(text: &str, start: usize, limit: usize) -> usize {
    let half = floor_char_boundary(text, start + (limit - start) / 2);
    if let Some(space) = text[half..limit].rfind(' ')
        && half + space > start
    {
        return half + space;
    }
    match text[start..limit].grapheme_indices(true).next_back() {
        Some((last, _)) if last > 0 => start + last,
        _ => limit,
    }
}

fn push_piece(pieces: &mut Vec<String>, piece: &str, is_code: bool) {
    let piece = if is_code {
        piece.trim_end_matches('\n')
    } else {
        piece.trim_matches(' ')
    };
    if !piece.trim().is_empty() {
        pieces.push(piece.to_string());
    }
}

/// The largest character boundary not after `index` (`str::floor_char_boundary`
/// is not stable on the supported toolchain).
fn floor_char_boundary(text: &str, index: usize) -> usize {
    if index >= text.len() {
        return text.len();
    }
    let mut i = index;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_prefixes_are_shallow() {
        for line in [
            "",
            "plain text",
            "> quote",
            "- item",
            "  - nested item",
            "1. first",
            "> > - quoted list",
            "    indented code without markers, however deep",
            "---",
            "-not a marker",
            "1990. was a year",
        ] {
            assert!(prefix_depth(line) <= 4, "{line:?}: {}", prefix_depth(line));
        }
        assert_eq!(prefix_depth(&" ".repeat(10_000)), 0);
    }

    #[test]
    fn deep_prefixes_are_found_on_their_line() {
        let quotes = format!("intro\n\n{}text\n", ">".repeat(50_000));
        assert_eq!(first_too_deep_line(&quotes), Some(2), "quotes");
        let lists = format!("{}text", "- ".repeat(50_000));
        assert!(first_too_deep_line(&lists).is_some(), "lists");
        let ordered = "1. ".repeat(MAX_NESTING + 1);
        assert!(first_too_deep_line(&ordered).is_some(), "ordered");
        let staircase = format!("{}- deep", " ".repeat(2 * MAX_NESTING + 2));
        assert!(first_too_deep_line(&staircase).is_some(), "indentation");
        let at_limit = format!("{}text", "> ".repeat(MAX_NESTING));
        assert_eq!(first_too_deep_line(&at_limit), None, "at the limit");
    }

    #[test]
    fn short_text_is_one_piece() {
        assert_eq!(split_long("short".to_string(), false), ["short"]);
    }

    #[test]
    fn long_prose_is_cut_into_bounded_pieces_that_keep_every_word() {
        let text = "Word after word. ".repeat(5_000);
        let text = text.trim_end().to_string();
        let pieces = split_long(text.clone(), false);
        assert!(pieces.len() >= 5, "{}", pieces.len());
        assert!(pieces.iter().all(|p| p.len() <= MAX_BLOCK_BYTES));
        assert_eq!(pieces.join(" "), text);
    }

    #[test]
    fn a_giant_word_is_cut_at_character_boundaries() {
        let text = "成".repeat(20_000);
        let pieces = split_long(text.clone(), false);
        assert!(pieces.len() >= 3);
        assert!(pieces.iter().all(|p| p.len() <= MAX_BLOCK_BYTES));
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        let text = "e\u{301}".repeat(10_000);
        let pieces = split_long(text.clone(), false);
        assert!(pieces.iter().all(|p| !p.starts_with('\u{301}')));
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn long_code_is_cut_after_a_line() {
        let text = "let x = 1;\n".repeat(3_000);
        let text = text.trim_end().to_string();
        let pieces = split_long(text.clone(), true);
        assert!(pieces.len() >= 2);
        assert!(
            pieces
                .iter()
                .all(|p| p.starts_with("let") && p.len() <= MAX_BLOCK_BYTES)
        );
        assert_eq!(pieces.join("\n"), text);
    }
}
