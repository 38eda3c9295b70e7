//! Plain text: paragraphs separated by blank lines (hard-wrapped lines are
//! joined), or one paragraph per line when the text has no blank line at all.
//! A short first paragraph is the title, else the file name is; a short line
//! with no closing punctuation between paragraphs opens a section.

use super::document::{Document, Piece};
use super::prose::{collapse_whitespace, is_heading_like};

/// A section heading in plain text is at most this many characters.
const MAX_SECTION_CHARS: usize = 80;

/// Reads plain text (already sanitized) as a document titled by its first short
/// line or by `file_stem`.
pub fn to_document(text: &str, file_stem: &str) -> Document {
    let mut paragraphs = paragraphs(text);
    let first_is_title = paragraphs.len() > 1
        && paragraphs
            .first()
            .is_some_and(|p| p.lines == 1 && is_heading_like(&p.text));
    let title = if first_is_title {
        paragraphs.remove(0).text
    } else {
        file_stem.to_string()
    };
    let body = paragraphs
        .iter()
        .enumerate()
        .map(|(i, paragraph)| {
            let before_text = paragraphs.get(i + 1).is_some_and(|next| !is_section(next));
            if before_text && is_section(paragraph) {
                Piece::Section(paragraph.text.clone())
            } else {
                Piece::Paragraph(paragraph.text.clone())
            }
        })
        .collect();
    Document {
        title,
        subtitle: None,
        date: None,
        body,
    }
}

/// A paragraph's text on one line, and how many lines it took in the file.
struct Paragraph {
    text: String,
    lines: usize,
}

fn paragraphs(text: &str) -> Vec<Paragraph> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let first = lines.iter().position(|l| !l.is_empty()).unwrap_or(0);
    let last = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    let content = lines.get(first..last).unwrap_or_default();
    let one_per_line = !content.iter().any(|l| l.is_empty());
    let groups: Vec<&[&str]> = if one_per_line {
        content.chunks(1).collect()
    } else {
        content
            .split(|l| l.is_empty())
            .filter(|g| !g.is_empty())
            .collect()
    };
    groups
        .into_iter()
        .map(|group| Paragraph {
            text: collapse_whitespace(&group.join(" ")),
            lines: group.len(),
        })
        .filter(|p| !p.text.is_empty())
        .collect()
}

fn is_section(paragraph: &Paragraph) -> bool {
    paragraph.lines == 1
        && paragraph.text.chars().count() <= MAX_SECTION_CHARS
        && !paragraph.text.ends_with(['.', ',', ';', ':', '!', '?'])
        && is_heading_like(&paragraph.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_texts(document: &Document) -> Vec<String> {
        document
            .body
            .iter()
            .map(|piece| match piece {
                Piece::Paragraph(text) => format!("p:{text}"),
                Piece::Section(text) => format!("s:{text}"),
                Piece::ListItem(text) => format!("l:{text}"),
            })
            .collect()
    }

    #[test]
    fn the_first_short_line_is_the_title_and_wrapped_lines_are_joined() {
        let text = "\n\nField notes\n\nThe first paragraph\nwraps over   two lines.\n\n\
                    Background\n\nMore text here.\n\n";
        let document = to_document(text, "notes");
        assert_eq!(document.title, "Field notes");
        assert_eq!(
            body_texts(&document),
            [
                "p:The first paragraph wraps over two lines.",
                "s:Background",
                "p:More text here."
            ]
        );
    }

    #[test]
    fn without_a_short_first_line_the_file_name_is_the_title() {
        let text = "This opening paragraph is a sentence. Then another one, which makes it \
                    prose.\n\nSecond.\n";
        let document = to_document(text, "my-notes");
        assert_eq!(document.title, "my-notes");
        assert_eq!(document.body.len(), 2);
        let lone = to_document("Just one line\n", "lone");
        assert_eq!(lone.title, "lone");
        assert_eq!(body_texts(&lone), ["p:Just one line"]);
    }

    #[test]
    fn text_without_blank_lines_has_one_paragraph_per_line() {
        let document = to_document("Title\nFirst paragraph.\nSecond paragraph.\n", "x");
        assert_eq!(document.title, "Title");
        assert_eq!(
            body_texts(&document),
            ["p:First paragraph.", "p:Second paragraph."]
        );
    }

    #[test]
    fn punctuated_or_last_short_lines_stay_paragraphs() {
        let document = to_document("T\n\nShort.\n\nText\n\nEnding line\n", "x");
        assert_eq!(
            body_texts(&document),
            ["p:Short.", "p:Text", "p:Ending line"]
        );
    }
}
