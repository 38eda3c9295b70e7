//! Turns a Markdown body into a flat list of plain-text blocks.
//!
//! pulldown-cmark does the `CommonMark` parsing; this walks its events with a
//! container stack on the heap (never recursion), flattens inline markup to its
//! text, and normalizes whitespace. Deciding what is the title, what is a section
//! and how long a block may be is left to the caller.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use unicode_width::UnicodeWidthChar;

use super::verbatim::has_hidden_characters;
use crate::text::{sanitize_line, sanitize_text};

/// Tab stops in code blocks.
const TAB_WIDTH: usize = 4;

/// What a flat block is, before sections are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlatKind {
    /// `#` … `######`, with its level (1 to 6).
    Heading(u8),
    Paragraph,
    Quote,
    ListItem,
    Code,
}

/// One block of sanitized text: a single line, or lines for code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatBlock {
    pub kind: FlatKind,
    pub text: String,
}

/// The containers a paragraph can sit in; the innermost one names its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Quote,
    Item,
}

/// Parses `body` and returns its non-empty blocks in order.
///
/// Inline HTML tags are dropped (the text between them is kept, `<br>` becomes a
/// space); HTML blocks are kept as plain text with their tags removed.
pub fn flat_blocks(body: &str) -> Vec<FlatBlock> {
    let mut walker = Walker::default();
    for event in Parser::new_ext(body, Options::empty()) {
        walker.event(event);
    }
    walker.flush();
    walker.blocks
}

#[derive(Default)]
struct Walker {
    blocks: Vec<FlatBlock>,
    containers: Vec<Container>,
    heading: Option<u8>,
    in_code: bool,
    pending: String,
}

impl Walker {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(&tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Code(text) | Event::InlineMath(text) => {
                self.pending.push_str(&text);
            }
            Event::DisplayMath(text) => {
                self.pending.push(' ');
                self.pending.push_str(&text);
                self.pending.push(' ');
            }
            Event::Html(html) => {
                strip_tags_into(&html, &mut self.pending);
                self.pending.push('\n');
            }
            Event::InlineHtml(html) => {
                if html.get(..3).is_some_and(|t| t.eq_ignore_ascii_case("<br")) {
                    self.pending.push(' ');
                }
            }
            Event::SoftBreak | Event::HardBreak => self.pending.push(' '),
            Event::Rule => self.flush(),
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. } => {}
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(*level as u8);
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.in_code = true;
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.containers.push(Container::Quote);
            }
            Tag::Item => {
                self.flush();
                self.containers.push(Container::Item);
            }
            _ => self.flush(),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image => {}
            TagEnd::Heading(_) => {
                self.flush();
                self.heading = None;
            }
            TagEnd::CodeBlock => {
                self.flush();
                self.in_code = false;
            }
            TagEnd::BlockQuote(_) | TagEnd::Item => {
                self.flush();
                self.containers.pop();
            }
            _ => self.flush(),
        }
    }

    /// Ends the block being gathered, if it has any text.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let raw = std::mem::take(&mut self.pending);
        let (kind, text) = if self.in_code {
            (FlatKind::Code, code_text(&raw))
        } else {
            let kind = match (self.heading, self.containers.last()) {
                (Some(level), _) => FlatKind::Heading(level),
                (None, Some(Container::Item)) => FlatKind::ListItem,
                (None, Some(Container::Quote)) => FlatKind::Quote,
                (None, None) => FlatKind::Paragraph,
            };
            (kind, single_line(raw))
        };
        if !text.trim().is_empty() {
            self.blocks.push(FlatBlock { kind, text });
        }
    }
}

/// `raw` sanitized to one line with single spaces. Most paragraphs arrive
/// that way already (line breaks come as single spaces), so the checks that
/// find nothing to do come first and the text is kept without a copy.
fn single_line(raw: String) -> String {
    if is_clean_single_line(&raw) {
        return raw;
    }
    // Without such characters, sanitizing only turns line breaks and tabs
    // into spaces and trims, which collapsing does too.
    let raw = if has_hidden_characters(raw.as_bytes()) {
        sanitize_line(&raw)
    } else {
        raw
    };
    let collapsed = if is_collapsed(&raw) {
        raw
    } else {
        collapse_whitespace(&raw)
    };
    // Sanitizing also trims the spaces that are not collapsed (no-break,
    // ideographic) from both ends.
    if collapsed.trim().len() == collapsed.len() {
        collapsed
    } else {
        collapsed.trim().to_owned()
    }
}

/// Whether `text` is already clean, collapsed and trimmed: no control, no
/// whitespace but single spaces inside, nothing sanitizing removes. Tests
/// sixteen bytes per step without branching on each byte, which the compiler
/// turns into vector instructions: nearly every paragraph comes this way.
fn is_clean_single_line(text: &str) -> bool {
    // The first byte of every character that is a control, non-ASCII
    // whitespace, or removed by sanitizing (C1 and bidi controls, the byte
    // order mark); also of some harmless ones, which take the slow path.
    let suspicious = |byte: u8| matches!(byte, 0x00..=0x1f | 0x7f | 0xc2 | 0xe1 | 0xe2 | 0xef);
    let bytes = text.as_bytes();
    let mut chunks = bytes.chunks_exact(16);
    let any_suspicious = chunks
        .any(|chunk| chunk.iter().fold(false, |any, &b| any | suspicious(b)))
        || chunks.remainder().iter().any(|&b| suspicious(b));
    !any_suspicious && text.trim().len() == text.len() && !text.contains("  ")
}

/// Whether [`collapse_whitespace`] would leave `text` as it is.
fn is_collapsed(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut after_space = false;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b' ' {
            if after_space {
                return false;
            }
            after_space = true;
            index += 1;
        } else if byte.is_ascii() {
            if byte.is_ascii_whitespace() || byte == 0x0b {
                return false;
            }
            after_space = false;
            index += 1;
        } else {
            let c = text[index..].chars().next().unwrap_or(' ');
            if is_collapsible(c) {
                return false;
            }
            after_space = false;
            index += c.len_utf8();
        }
    }
    true
}

/// Whitespace that separates words; non-breaking and ideographic spaces are
/// part of the text and stay.
fn is_collapsible(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{3000}')
}

/// Collapses runs of whitespace to one space and trims both ends.
///
/// Reads bytes and decodes only non-ASCII characters: this runs over every
/// paragraph of the library.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word_start = None;
    let mut index = 0;
    while let Some(&byte) = text.as_bytes().get(index) {
        let (collapsible, len) = if byte.is_ascii() {
            (byte.is_ascii_whitespace() || byte == 0x0b, 1)
        } else {
            let c = text[index..].chars().next().unwrap_or(' ');
            (is_collapsible(c), c.len_utf8())
        };
        match (collapsible, word_start) {
            (true, Some(start)) => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&text[start..index]);
                word_start = None;
            }
            (false, None) => word_start = Some(index),
            _ => {}
        }
        index += len;
    }
    if let Some(start) = word_start {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[start..]);
    }
    out
}

/// Code keeps its lines: tabs are expanded to stops by display width, carriage
/// returns and the final line break are removed.
fn code_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for (i, line) in raw.trim_end_matches(['\n', '\r']).split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut column = 0;
        for c in line.strip_suffix('\r').unwrap_or(line).chars() {
            if c == '\t' {
                let spaces = TAB_WIDTH - column % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            } else {
                out.push(c);
                column += c.width().unwrap_or(0);
            }
        }
    }
    sanitize_text(&out)
}

/// Appends `html` without its `<…>` tags.
fn strip_tags_into(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = &rest[open..];
            break;
        };
        out.push(' ');
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn blocks(body: &str) -> Vec<(FlatKind, String)> {
        flat_blocks(body)
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect()
    }

    fn one(kind: FlatKind, text: &str) -> (FlatKind, String) {
        (kind, text.to_string())
    }

    #[test]
    fn headings_keep_their_level() {
        assert_eq!(
            blocks("# T\n\n## Two\n\n### Three\n\n###### Six\n\nSetext\n===\n"),
            [
                one(FlatKind::Heading(1), "T"),
                one(FlatKind::Heading(2), "Two"),
                one(FlatKind::Heading(3), "Three"),
                one(FlatKind::Heading(6), "Six"),
                one(FlatKind::Heading(1), "Setext"),
            ]
        );
    }

    #[test]
    fn inline_markup_flattens_to_its_text() {
        assert_eq!(
            blocks(
                "Some *emphasis*, **strong**, `code`, [a link](http://x \"t\") and ![alt text](i.png).\n"
            ),
            [one(
                FlatKind::Paragraph,
                "Some emphasis, strong, code, a link and alt text."
            )]
        );
    }

    #[test]
    fn breaks_and_whitespace_runs_become_one_space() {
        assert_eq!(
            blocks("  one\ttwo   three\nfour  \nfive\\\nsix\r\n"),
            [one(FlatKind::Paragraph, "one two three four five six")]
        );
    }

    #[test]
    fn quotes_and_list_items_are_their_own_kinds() {
        assert_eq!(
            blocks(
                "> quoted\n> text\n\n- first\n- second\n  - nested\n\n1. loose\n\n   two paragraphs\n"
            ),
            [
                one(FlatKind::Quote, "quoted text"),
                one(FlatKind::ListItem, "first"),
                one(FlatKind::ListItem, "second"),
                one(FlatKind::ListItem, "nested"),
                one(FlatKind::ListItem, "loose"),
                one(FlatKind::ListItem, "two paragraphs"),
            ]
        );
    }

    #[test]
    fn a_list_inside_a_quote_is_a_list_and_the_quote_resumes() {
        assert_eq!(
            blocks("> before\n>\n> - item\n>\n> after\n"),
            [
                one(FlatKind::Quote, "before"),
                one(FlatKind::ListItem, "item"),
                one(FlatKind::Quote, "after"),
            ]
        );
    }

    #[test]
    fn code_keeps_lines_and_expands_tabs_to_stops() {
        assert_eq!(
            blocks("```\nfn main() {\n\tx\n  a\tb\n成\tc\n}\n```\n\n    indented\n"),
            [
                one(FlatKind::Code, "fn main() {\n    x\n  a b\n成  c\n}"),
                one(FlatKind::Code, "indented"),
            ]
        );
    }

    #[test]
    fn empty_blocks_are_skipped() {
        assert_eq!(blocks("##\n\n>\n\n-\n\n```\n```\n\n---\n"), []);
    }

    #[test]
    fn cjk_text_is_kept_as_is() {
        assert_eq!(
            blocks("研究的成果　很好。\n"),
            [one(FlatKind::Paragraph, "研究的成果　很好。")]
        );
    }

    #[test]
    fn html_is_reduced_to_its_text() {
        assert_eq!(
            blocks(
                "<div class=\"x\">\nInside <b>bold</b>\n</div>\n\nLine<br/>break and <span>span</span>.\n"
            ),
            [
                one(FlatKind::Paragraph, "Inside bold"),
                one(FlatKind::Paragraph, "Line break and span."),
            ]
        );
    }

    #[test]
    fn fifty_thousand_levels_of_nesting_do_not_overflow_the_stack() {
        // Runs on a test thread's small stack: both pulldown-cmark and the walker
        // must be iterative. (Parsing refuses such input earlier for speed.)
        let quotes = flat_blocks(&format!("{}deep", ">".repeat(50_000)));
        assert_eq!(
            quotes,
            [FlatBlock {
                kind: FlatKind::Quote,
                text: "deep".into()
            }]
        );
        let lists = flat_blocks(&format!("{}deep", "- ".repeat(50_000)));
        assert_eq!(
            lists,
            [FlatBlock {
                kind: FlatKind::ListItem,
                text: "deep".into()
            }]
        );
    }

    #[test]
    fn collapse_keeps_no_break_spaces() {
        assert_eq!(collapse_whitespace(" a \u{a0}b\n\n c "), "a \u{a0}b c");
    }

    proptest::proptest! {
        #[test]
        fn single_line_is_sanitized_and_collapsed(text in "[a\u{e9} \t\n\r\u{b}\u{a0}\u{85}\u{2028}\u{1b}\u{7}\u{9b}\u{202e}\u{feff}\u{3000}\u{1680}\u{202f}\u{205f}\u{2003}\\[m]{0,40}") {
            proptest::prop_assert_eq!(single_line(text.clone()), collapse_whitespace(&sanitize_line(&text)));
        }

        #[test]
        fn collapse_joins_the_words_with_single_spaces(text in "[a\u{e9} \t\n\r\u{b}\u{c}\u{a0}\u{2028}\u{3000}\u{85}\u{2003}]{0,40}") {
            let words: Vec<&str> = text.split(is_collapsible).filter(|w| !w.is_empty()).collect();
            proptest::prop_assert_eq!(collapse_whitespace(&text), words.join(" "));
        }
    }
}
