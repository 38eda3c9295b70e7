//! Writing text that is not Markdown into Markdown so that it reads back as the
//! same text: an asterisk stays an asterisk, a line starting with `1.` stays a
//! sentence and not a list. Only what `CommonMark` (without extensions, as the
//! library parses it) would interpret is escaped, so ordinary prose is written
//! unchanged.

/// Text inside a paragraph, heading or list item: emphasis, code, links, raw
/// HTML, entities and backslashes are escaped.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' => true,
            // `snake_case` never emphasizes; `_word_` does.
            '_' => !(is_word(previous) && is_word(next)),
            '&' => starts_entity(&text[i + 1..]),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

/// A whole paragraph (or list item) on one line: [`inline`], plus whatever would
/// open a block at the start of a line (heading, quote, list, fence).
pub fn paragraph(text: &str) -> String {
    let escaped = inline(text);
    let first = escaped.chars().next();
    if matches!(first, Some('#' | '>' | '-' | '+' | '=' | '~')) {
        return format!("\\{escaped}");
    }
    // An ordered list marker: up to nine digits, then `.` or `)`, then a space
    // or the end of the line.
    let digits = escaped.bytes().take_while(u8::is_ascii_digit).count();
    let after = escaped.as_bytes().get(digits).copied();
    let then = escaped.as_bytes().get(digits + 1).copied();
    if (1..=9).contains(&digits)
        && matches!(after, Some(b'.' | b')'))
        && matches!(then, None | Some(b' ' | b'\t'))
    {
        return format!("{}\\{}", &escaped[..digits], &escaped[digits..]);
    }
    escaped
}

/// The text of an ATX heading: [`inline`], and `#` escaped, since a trailing run
/// of them would be taken as the heading's closing sequence.
pub fn heading(text: &str) -> String {
    inline(text).replace('#', "\\#")
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// Whether `rest` (what follows an `&`) would make it an entity reference such
/// as `&amp;` or `&#169;`.
fn starts_entity(rest: &str) -> bool {
    let name_len = rest
        .bytes()
        .take(32)
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
        .count();
    name_len > 0 && rest.as_bytes().get(name_len) == Some(&b';')
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::library::{BlockKind, Origin, parse_article};
    use proptest::prelude::*;

    /// The blocks the library reads back from `markdown`.
    fn read_back(markdown: &str) -> Vec<(BlockKind, String)> {
        parse_article(markdown, Origin::Bundled("t.md".into()))
            .map(|a| a.blocks.into_iter().map(|b| (b.kind, b.text)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn ordinary_prose_is_unchanged() {
        let prose = "Strengths in R&D, each other’s work — 成果 and snake_case (2025).";
        assert_eq!(paragraph(prose), prose);
        assert_eq!(heading(prose), prose);
    }

    #[test]
    fn markdown_syntax_is_escaped() {
        assert_eq!(
            inline("a *b* _c_ `d` [e](f) <g> \\h"),
            "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<g> \\\\h"
        );
        assert_eq!(inline("&amp; &#169; & &x"), "\\&amp; \\&#169; & &x");
        assert_eq!(paragraph("# not a heading"), "\\# not a heading");
        assert_eq!(paragraph("> not a quote"), "\\> not a quote");
        assert_eq!(paragraph("- not a list"), "\\- not a list");
        assert_eq!(paragraph("1. not a list"), "1\\. not a list");
        assert_eq!(paragraph("2025) was a year"), "2025\\) was a year");
        assert_eq!(paragraph("3.5 percent"), "3.5 percent");
        assert_eq!(heading("Item #"), "Item \\#");
    }

    #[test]
    fn escaped_text_reads_back_as_itself() {
        for text in [
            "# not a heading",
            "1. not a list",
            "a *b* _c_ `d` [e](f) <g> \\h &amp;",
            "---",
            "***",
            "~~~ fence",
            "+ plus",
        ] {
            let blocks = read_back(&format!("{}\n", paragraph(text)));
            assert_eq!(blocks, [(BlockKind::Paragraph, text.to_string())], "{text}");
        }
    }

    proptest! {
        #[test]
        fn any_line_reads_back_as_itself(text in "[a-z0-9 #>*_`\\[\\]()<>!&;=~+.\\-\\\\]{1,60}") {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            prop_assume!(!text.is_empty());
            let blocks = read_back(&format!("{}\n", paragraph(&text)));
            prop_assert_eq!(blocks, vec![(BlockKind::Paragraph, text)]);
        }

        #[test]
        fn any_heading_reads_back_as_itself(text in "[a-z0-9 #*_`\\[\\]<>&;]{1,40}") {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            prop_assume!(!text.is_empty());
            let blocks = read_back(&format!("## {}\n\ntext\n", heading(&text)));
            prop_assert_eq!(&blocks[0].1, &text);
        }
    }
}
