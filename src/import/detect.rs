//! Guessing what kind of text a document is, so `gloss import FILE` needs no
//! option in the usual cases (and `--as` settles the rest).
//!
//! The rules, in order:
//! 1. A Markdown file name (`.md`, `.markdown`, …) or a first line of `---`
//!    (front matter) means **Markdown**.
//! 2. Text that looks scraped from a web page means **scraped**: a title on the
//!    first line, a date line such as `August 12, 2025` among the next
//!    [`HEADER_LINES`] lines, and page furniture somewhere (a share bar,
//!    an `ADVERTISEMENT` line or a "Related Articles" line).
//! 3. Text with Markdown headings (`# `…`###### `) or code fences means
//!    **Markdown**.
//! 4. Anything else is **plain text**.

use std::path::Path;

use super::date::iso_date;
use super::scraped::{HEADER_LINES, is_advertisement, is_related_heading, is_share_bar};

/// The kinds of text `gloss import` understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `CommonMark`, with or without front matter: kept as written.
    Markdown,
    /// Paragraphs separated by blank lines; the first short line may be the title.
    PlainText,
    /// An article's text from a web page, with its page furniture.
    Scraped,
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Kind::Markdown => "markdown",
            Kind::PlainText => "plain text",
            Kind::Scraped => "scraped article",
        })
    }
}

const MARKDOWN_EXTENSIONS: [&str; 7] = ["md", "markdown", "mdown", "mkd", "mkdn", "mdwn", "mdtxt"];

/// What kind of text `text` (from the file called `file_name`) is, by the rules
/// in this module's documentation.
pub fn detect(text: &str, file_name: &str) -> Kind {
    let has_markdown_name = Path::new(file_name)
        .extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            MARKDOWN_EXTENSIONS
                .iter()
                .any(|md| ext.eq_ignore_ascii_case(md))
        });
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let opens_front_matter = text.lines().next().is_some_and(|l| l.trim_end() == "---");
    if has_markdown_name || opens_front_matter {
        Kind::Markdown
    } else if looks_scraped(text) {
        Kind::Scraped
    } else if has_markdown_blocks(text) {
        Kind::Markdown
    } else {
        Kind::PlainText
    }
}

fn looks_scraped(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(title) = lines.next() else {
        return false;
    };
    if iso_date(title).is_some() {
        return false;
    }
    let has_date = lines
        .by_ref()
        .take(HEADER_LINES)
        .any(|line| iso_date(line).is_some());
    has_date
        && text
            .lines()
            .any(|line| is_share_bar(line) || is_advertisement(line) || is_related_heading(line))
}

fn has_markdown_blocks(text: &str) -> bool {
    text.lines().any(|line| {
        let hashes = line.bytes().take_while(|&b| b == b'#').count();
        let is_heading = (1..=6).contains(&hashes) && line[hashes..].starts_with([' ', '\t']);
        is_heading || line.starts_with("```") || line.starts_with("~~~")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRAPED: &str = "A title\nA subtitle that is longer.\nAugust 12, 2025\nFacebook X \
                           Pinterest\nA paragraph.\n";

    #[test]
    fn markdown_by_name_or_front_matter() {
        assert_eq!(detect(SCRAPED, "article.md"), Kind::Markdown);
        assert_eq!(detect("plain words", "NOTES.MARKDOWN"), Kind::Markdown);
        assert_eq!(
            detect("---\ntitle: T\n---\nText\n", "notes.txt"),
            Kind::Markdown
        );
        assert_eq!(
            detect("\u{feff}---\r\ntitle: T\r\n---\r\n", "x"),
            Kind::Markdown
        );
    }

    #[test]
    fn scraped_needs_a_date_near_the_top_and_page_furniture() {
        assert_eq!(detect(SCRAPED, "page.txt"), Kind::Scraped);
        assert_eq!(
            detect(&SCRAPED.replace('\n', "\r\n"), "page"),
            Kind::Scraped
        );
        let without_furniture = SCRAPED.replace("Facebook X Pinterest\n", "");
        assert_eq!(detect(&without_furniture, "page.txt"), Kind::PlainText);
        let late_date = "A title\n1\n2\n3\n4\n5\n6\nAugust 12, 2025\nADVERTISEMENT\n";
        assert_eq!(detect(late_date, "page.txt"), Kind::PlainText);
    }

    #[test]
    fn headings_or_fences_mean_markdown_otherwise_plain_text() {
        assert_eq!(
            detect("Intro\n\n## Part one\n\nText\n", "a.txt"),
            Kind::Markdown
        );
        assert_eq!(detect("```\ncode\n```\n", "a.txt"), Kind::Markdown);
        assert_eq!(detect("#hashtag and #1 fan\n", "a.txt"), Kind::PlainText);
        assert_eq!(detect("Title\n\nSome text.\n", "a.txt"), Kind::PlainText);
        assert_eq!(detect("", "a.txt"), Kind::PlainText);
    }

    #[test]
    fn the_seeds_are_scraped() {
        for seed in [
            include_str!("../../tests/fixtures/seeds/000_538685f20de23fe4.txt"),
            include_str!("../../tests/fixtures/seeds/001_09d578a3ce7be24c.txt"),
        ] {
            assert_eq!(detect(seed, "seed.txt"), Kind::Scraped);
        }
    }
}
