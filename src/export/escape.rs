//! Writing someone else's text into Markdown so that it reads back as exactly
//! that text: quotes, titles and headings escaped for `CommonMark` and for what
//! note vaults add on top of it (tags, wiki links, highlights, math, block
//! ids), and tags turned into names a vault accepts as tags.
//!
//! The escaping is as light as correctness allows, because people read the
//! exported files as text too: a character is escaped only where Markdown
//! could give it a meaning.

use std::fmt::Write as _;

use crate::text::{sanitize_line, sanitize_text};

/// Escaped wherever they appear: `CommonMark`'s inline syntax (emphasis, code,
/// links, raw HTML and autolinks, block quotes), and what vault editors add
/// (`#tags`, `|` tables, `$` math, `~` strikethrough, `^` block ids and
/// superscript, `{` heading attributes).
const ALWAYS: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '$', '~', '^', '{',
];

/// Escaped when next to another of the same: `==highlight==` and
/// `%%comment%%` in vault editors.
const WHEN_DOUBLED: &[char] = &['=', '%'];

/// Escaped as the first character of a line, where they would start a list,
/// a setext heading underline or a definition.
const AT_LINE_START: &[char] = &['-', '+', '=', ':'];

/// `text` as the lines of a block quote (each starting with `> `, ending in a
/// line break) that any `CommonMark` renderer shows as exactly `text`, after
/// control characters are removed.
///
/// Line breaks become hard breaks and a blank line separates paragraphs.
/// Markdown cannot write line breaks at the very start or end of a quote, nor
/// several blank lines in a row, so those become nothing and one paragraph
/// break. Spaces at the ends of a line are written as character references
/// so that they are kept.
pub fn block_quote(text: &str) -> String {
    let clean = sanitize_text(text);
    let mut out = String::with_capacity(clean.len() + 16);
    let mut in_paragraph = false;
    let mut pending_break = false;
    for line in clean.trim_matches('\n').split('\n') {
        if line.is_empty() {
            if in_paragraph {
                out.push('\n');
                in_paragraph = false;
                pending_break = true;
            }
            continue;
        }
        if pending_break {
            out.push_str(">\n");
            pending_break = false;
        }
        if in_paragraph {
            // A backslash at the end of a line is a hard line break.
            out.push_str("\\\n");
        }
        out.push_str("> ");
        out.push_str(&escape_line(line));
        in_paragraph = true;
    }
    if in_paragraph {
        out.push('\n');
    } else if out.is_empty() {
        out.push_str(">\n");
    }
    out
}

/// `text` on one line, escaped so that it shows as itself inside a heading,
/// a paragraph or link text. Line breaks and tabs become spaces.
pub fn inline(text: &str) -> String {
    escape_line(&sanitize_line(text))
}

/// One line of text (no line breaks) escaped as the content of a paragraph line.
fn escape_line(line: &str) -> String {
    let body = line.trim_matches(is_markdown_space);
    let lead = &line[..line.len() - line.trim_start_matches(is_markdown_space).len()];
    let trail = &line[lead.len() + body.len()..];

    let mut out = String::with_capacity(line.len() + 8);
    push_kept_spaces(&mut out, lead);
    let chars: Vec<char> = body.chars().collect();
    let ordered_marker = ordered_list_marker(&chars);
    for (i, &c) in chars.iter().enumerate() {
        let doubled =
            i.checked_sub(1).and_then(|j| chars.get(j)) == Some(&c) || chars.get(i + 1) == Some(&c);
        let escape = ALWAYS.contains(&c)
            || (WHEN_DOUBLED.contains(&c) && doubled)
            // Block syntax only counts where the line really starts; after
            // kept spaces (written as references) it is ordinary text.
            || (i == 0 && lead.is_empty() && AT_LINE_START.contains(&c))
            || (lead.is_empty() && ordered_marker == Some(i))
            || (c == '&' && starts_reference(&chars[i + 1..]));
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    push_kept_spaces(&mut out, trail);
    out
}

/// The space and tab `CommonMark` strips from the ends of a paragraph line.
fn is_markdown_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Spaces and tabs written as numeric character references, which are not
/// stripped from the ends of a line.
fn push_kept_spaces(out: &mut String, spaces: &str) {
    for c in spaces.chars() {
        out.push_str(if c == '\t' { "&#9;" } else { "&#32;" });
    }
}

/// The index of the `.` or `)` after the digits a line starts with, if the
/// line would start an ordered list (`1. `, `12) `).
fn ordered_list_marker(chars: &[char]) -> Option<usize> {
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let marker = *chars.get(digits)?;
    let ends_marker = chars.get(digits + 1).is_none_or(|&c| is_markdown_space(c));
    (digits > 0 && (marker == '.' || marker == ')') && ends_marker).then_some(digits)
}

/// Whether the text after an `&` could make it an entity or numeric character
/// reference (`&amp;`, `&#35;`): letters, digits or `#`, then `;`.
fn starts_reference(rest: &[char]) -> bool {
    let name = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && rest.get(name) == Some(&';')
}

/// `tag` as a vault tag (Obsidian, Logseq), without its `#`: see
/// [`crate::annotation::tag::vault_tag`], which maps every tag to a legal
/// vault tag that reads back to it; `None` when the tag is empty.
pub fn vault_tag(tag: &str) -> Option<String> {
    crate::annotation::tag::vault_tag(tag)
}

/// `text` as a double-quoted YAML scalar on one line.
pub fn yaml_string(text: &str) -> String {
    let clean = sanitize_line(text);
    let mut out = String::with_capacity(clean.len() + 2);
    out.push('"');
    for c in clean.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_prose_is_left_alone() {
        assert_eq!(
            block_quote("Students travel, and it works."),
            "> Students travel, and it works.\n"
        );
        assert_eq!(inline("成果 and measures 😀"), "成果 and measures 😀");
    }

    #[test]
    fn inline_syntax_is_escaped() {
        assert_eq!(
            inline("a *b* _c_ `d` [e](f) <g> #h |i| $j$ ~k~ ^l {m}"),
            r"a \*b\* \_c\_ \`d\` \[e\](f) \<g\> \#h \|i\| \$j\$ \~k\~ \^l \{m}"
        );
        assert_eq!(inline(r"back\slash"), r"back\\slash");
    }

    #[test]
    fn doubled_highlight_and_comment_marks_are_escaped() {
        assert_eq!(inline("a = b"), "a = b");
        assert_eq!(inline("==x== 50%%"), r"\=\=x\=\= 50\%\%");
    }

    #[test]
    fn block_starts_are_escaped_only_at_the_start() {
        assert_eq!(inline("- item"), r"\- item");
        assert_eq!(inline("+ item"), r"\+ item");
        assert_eq!(inline("a - b + c"), "a - b + c");
        assert_eq!(inline("1. First"), r"1\. First");
        assert_eq!(inline("1986) was"), r"1986\) was");
        assert_eq!(inline("1.5 million"), "1.5 million");
        assert_eq!(inline("Term: x"), "Term: x");
        assert_eq!(inline(": def"), r"\: def");
    }

    #[test]
    fn only_reference_like_ampersands_are_escaped() {
        assert_eq!(inline("AT&T & co"), "AT&T & co");
        assert_eq!(inline("&amp; &#35;"), r"\&amp; \&\#35;");
    }

    #[test]
    fn spaces_at_the_ends_of_a_line_are_kept() {
        assert_eq!(block_quote("  x\t"), "> &#32;&#32;x&#9;\n");
        assert_eq!(block_quote("  - y"), "> &#32;&#32;- y\n");
    }

    #[test]
    fn line_breaks_are_hard_breaks_and_blank_lines_split_paragraphs() {
        assert_eq!(block_quote("one\ntwo"), "> one\\\n> two\n");
        assert_eq!(block_quote("one\n\n\n\ntwo\n"), "> one\n>\n> two\n");
        assert_eq!(block_quote("\n\n"), ">\n");
    }

    #[test]
    fn control_characters_never_reach_the_quote() {
        assert_eq!(block_quote("a\u{1b}[31mb\u{202e}c"), "> abc\n");
    }

    #[test]
    fn tags_become_vault_tags_that_read_back() {
        // Punctuation used to be dropped, so `R&D` and `R D`, `C++` and `C`
        // shared a vault tag; now each is escaped and reads back.
        let cases = [
            ("funding", "funding"),
            ("#Soft Power", "Soft-Power"),
            ("R&D, 2024!", "R--and--D--u2c---2024--u21--"),
            ("policy/ eu //x", "policy/eu/x"),
            ("snake_case", "snake_case"),
            ("2024", "_2024"),
            ("成果", "成果"),
            ("cafe\u{301}", "cafe\u{301}"),
            ("C++", "C--plus----plus--"),
            ("😀", "--u1f600--"),
        ];
        for (tag, vault) in cases {
            assert_eq!(vault_tag(tag).as_deref(), Some(vault), "{tag:?}");
            assert!(crate::annotation::tag::same_tag(
                &crate::annotation::tag::from_vault_tag(vault),
                tag
            ));
        }
        assert_eq!(vault_tag("  #  "), None);
    }

    #[test]
    fn yaml_strings_are_quoted_and_escaped() {
        assert_eq!(yaml_string("Plain"), "\"Plain\"");
        assert_eq!(yaml_string("a \"b\" c\\"), r#""a \"b\" c\\""#);
        assert_eq!(yaml_string("line\nbreak\u{7}"), "\"line break\"");
    }
}
