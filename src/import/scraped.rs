//! An article's text as copied or scraped from a web page: one paragraph per
//! line, the title first, then a subtitle and the date, share buttons and
//! `ADVERTISEMENT` placeholders in between, short heading lines between the
//! paragraphs and perhaps a trailing "Related Articles" list of summaries, each
//! followed by its date on the next line.
//!
//! The noise is dropped, the title, subtitle and date go to the front matter,
//! the heading lines open sections and the related summaries become a list.

use super::date::iso_date;
use super::document::{Document, Piece};
use super::prose::{collapse_whitespace, is_heading_like};

/// The date is looked for among this many lines after the title.
pub const HEADER_LINES: usize = 5;

/// Words of a share bar (`Facebook X Pinterest`, `Send by Email`). A line made
/// only of these, naming at least one channel, is a share bar. (`Copy link` is
/// read as the one word `copy-link`.)
const SHARE_CHANNELS: [&str; 20] = [
    "facebook",
    "x",
    "twitter",
    "pinterest",
    "reddit",
    "linkedin",
    "whatsapp",
    "telegram",
    "tumblr",
    "email",
    "e-mail",
    "mail",
    "print",
    "messenger",
    "bluesky",
    "threads",
    "mastodon",
    "flipboard",
    "sms",
    "copy-link",
];
const SHARE_WORDS: [&str; 10] = [
    "share", "send", "by", "via", "on", "this", "article", "copy", "link", "tweet",
];
/// Separators some sites print between share buttons.
const SHARE_SEPARATORS: [&str; 4] = ["|", "·", "•", "/"];

/// Lines that introduce a trailing list of other articles.
const RELATED_HEADINGS: [&str; 7] = [
    "related articles",
    "related",
    "related stories",
    "related posts",
    "read more",
    "more stories",
    "you may also like",
];

/// Reads scraped text (already sanitized) as a document; `file_stem` is the
/// title when there is no line at all.
pub fn to_document(text: &str, file_stem: &str) -> Document {
    let lines = content_lines(text);
    let Some((title, rest)) = lines.split_first() else {
        return Document {
            title: file_stem.to_string(),
            subtitle: None,
            date: None,
            body: Vec::new(),
        };
    };
    let date_at = rest
        .iter()
        .take(HEADER_LINES)
        .position(|line| iso_date(line).is_some());
    let (subtitle, date, body) = match date_at {
        Some(at) => {
            let subtitle = Some(rest[..at].join(" ")).filter(|s| !s.is_empty());
            (subtitle, iso_date(&rest[at]), &rest[at + 1..])
        }
        None => (None, None, rest),
    };
    let related_at = body.iter().rposition(|line| is_related_heading(line));
    let (main, related) = match related_at {
        Some(at) => (&body[..at], Some((&body[at], &body[at + 1..]))),
        None => (body, None),
    };
    let mut pieces = paragraphs_and_sections(main);
    if let Some((heading, lines)) = related {
        let items = related_items(lines);
        if !items.is_empty() {
            pieces.push(Piece::Section(heading.clone()));
            pieces.extend(items.into_iter().map(Piece::ListItem));
        }
    }
    Document {
        title: title.clone(),
        subtitle,
        date,
        body: pieces,
    }
}

/// Whether `line` (trimmed) is an advertisement placeholder.
pub fn is_advertisement(line: &str) -> bool {
    let word = line.trim_matches(|c: char| !c.is_alphanumeric());
    ["advertisement", "advertisements", "sponsored"]
        .iter()
        .any(|ad| word.eq_ignore_ascii_case(ad))
}

/// Whether `line` is a row of share buttons of two words or more
/// (`Facebook X Pinterest`); a one-word line (`Email`) counts only next to one,
/// which [`content_lines`] decides.
pub fn is_share_bar(line: &str) -> bool {
    share_words(line).is_some_and(|words| words >= 2)
}

/// How many words `line` has when it is made only of share-bar words and names
/// at least one channel; `None` for any other line.
fn share_words(line: &str) -> Option<usize> {
    let lower = line.to_lowercase().replace("copy link", "copy-link");
    let words: Vec<&str> = lower
        .split_whitespace()
        .filter(|w| !SHARE_SEPARATORS.contains(w))
        .collect();
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    let is_channel = |w: &&str| SHARE_CHANNELS.contains(w);
    let all_share = words
        .iter()
        .all(|w| is_channel(w) || SHARE_WORDS.contains(w));
    (all_share && words.iter().any(is_channel)).then_some(words.len())
}

/// Whether `line` introduces the trailing list of other articles.
pub fn is_related_heading(line: &str) -> bool {
    let line = line.trim().trim_end_matches(':').to_lowercase();
    RELATED_HEADINGS.contains(&line.as_str())
}

/// The non-empty lines, whitespace collapsed, without advertisements and share
/// bars. A one-word share line (`Email`) is dropped only next to another share
/// line, so a section called "Print" stays.
fn content_lines(text: &str) -> Vec<String> {
    let lines: Vec<String> = text
        .lines()
        .map(collapse_whitespace)
        .filter(|line| !line.is_empty() && !is_advertisement(line))
        .collect();
    let share: Vec<Option<usize>> = lines.iter().map(|line| share_words(line)).collect();
    let is_bar = |i: usize| share[i].is_some_and(|words| words >= 2);
    lines
        .iter()
        .enumerate()
        .filter(|&(i, _)| {
            let beside_bar = (i > 0 && is_bar(i - 1)) || (i + 1 < lines.len() && is_bar(i + 1));
            !(is_bar(i) || (share[i].is_some() && beside_bar))
        })
        .map(|(_, line)| line.clone())
        .collect()
}

/// Each line a paragraph, except a heading-like line followed by a longer,
/// paragraph-like one: that line opens a section.
fn paragraphs_and_sections(lines: &[String]) -> Vec<Piece> {
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let before_paragraph = lines.get(i + 1).is_some_and(|next| !is_heading_like(next));
            if before_paragraph && is_heading_like(line) {
                Piece::Section(line.clone())
            } else {
                Piece::Paragraph(line.clone())
            }
        })
        .collect()
}

/// The related articles: each summary line, with the date line after it (as
/// written) in parentheses.
fn related_items(lines: &[String]) -> Vec<String> {
    let mut items: Vec<(String, Option<&str>)> = Vec::new();
    for line in lines {
        if iso_date(line).is_some() {
            if let Some((_, date @ None)) = items.last_mut() {
                *date = Some(line.as_str());
            }
            // A date with no summary before it says nothing; it is left out.
            continue;
        }
        items.push((line.clone(), None));
    }
    items
        .into_iter()
        .map(|(summary, date)| match date {
            Some(date) => format!("{summary} ({date})"),
            None => summary,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRAPED: &str = "A title for the page.\n\
        A longer subtitle that says what the article is about, in one sentence.\n\
        August 12, 2025\n\
        Facebook X Pinterest\n\
        Email\n\
        Send by Email\n\
        The first paragraph is long enough to be a paragraph. It has several sentences.\n\
        ADVERTISEMENT\n\
        A short heading line.\n\
        The second paragraph follows the heading and is longer than it. Much longer.\n\
        Related Articles\n\
        One summary of another article.\n\
        July 26, 2025\n\
        Another summary.\n\
        August 07, 2025\n\
        ADVERTISEMENT\n";

    #[test]
    fn the_header_noise_and_sections_are_found() {
        let document = to_document(SCRAPED, "stem");
        assert_eq!(document.title, "A title for the page.");
        assert_eq!(
            document.subtitle.as_deref(),
            Some("A longer subtitle that says what the article is about, in one sentence.")
        );
        assert_eq!(document.date.as_deref(), Some("2025-08-12"));
        assert_eq!(
            document.body,
            [
                Piece::Paragraph(
                    "The first paragraph is long enough to be a paragraph. It has several \
                     sentences."
                        .into()
                ),
                Piece::Section("A short heading line.".into()),
                Piece::Paragraph(
                    "The second paragraph follows the heading and is longer than it. Much \
                     longer."
                        .into()
                ),
                Piece::Section("Related Articles".into()),
                Piece::ListItem("One summary of another article. (July 26, 2025)".into()),
                Piece::ListItem("Another summary. (August 07, 2025)".into()),
            ]
        );
    }

    #[test]
    fn an_empty_related_list_is_dropped() {
        let text = "Title\nSubtitle here.\nMay 1, 2024\nBody paragraph. With two sentences.\n\
                    Related Articles\nADVERTISEMENT\nADVERTISEMENT\n";
        let document = to_document(text, "stem");
        assert_eq!(
            document.body,
            [Piece::Paragraph(
                "Body paragraph. With two sentences.".into()
            )]
        );
    }

    #[test]
    fn without_a_date_the_body_starts_after_the_title() {
        let document = to_document("Title\n\nFirst line. Of text.\r\nSecond.\n", "stem");
        assert_eq!(document.title, "Title");
        assert_eq!((document.subtitle, document.date), (None, None));
        assert_eq!(document.body.len(), 2);
        assert_eq!(to_document("\n \n", "stem").title, "stem");
    }

    #[test]
    fn share_bars_and_ads_are_recognised() {
        assert!(is_share_bar("Facebook X Pinterest"));
        assert!(is_share_bar("Share on Facebook | Share on X"));
        assert!(is_share_bar("Send by Email"));
        assert!(!is_share_bar("Email"));
        assert!(!is_share_bar("Share this"));
        assert!(!is_share_bar("Send the article by post"));
        assert!(is_advertisement("ADVERTISEMENT"));
        assert!(is_advertisement("- Advertisement -"));
        assert!(!is_advertisement("Advertisements shape opinion."));
    }

    #[test]
    fn a_lone_share_word_is_kept_away_from_share_bars() {
        let text = "Title\nMay 1, 2024\nPrint\nPrinting presses changed everything. Slowly.\n";
        let document = to_document(text, "stem");
        assert_eq!(document.body[0], Piece::Section("Print".into()));
    }
}
