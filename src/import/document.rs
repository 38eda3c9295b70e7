//! The shape every non-Markdown document is brought into before it is written:
//! a title, an optional subtitle and date, and a body of paragraphs, section
//! headings and list items. Writing it out follows the layout of the bundled
//! articles exactly, so an imported article looks like one that ships.

use super::escape;
use super::front_matter::field_line;

/// A document read from plain or scraped text, all of it sanitized single-line
/// text (Markdown is added only when it is written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    pub subtitle: Option<String>,
    /// An ISO date (`2025-08-12`).
    pub date: Option<String>,
    pub body: Vec<Piece>,
}

/// One part of a document's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Paragraph(String),
    /// A `##` heading that opens a section.
    Section(String),
    /// An item of a list; consecutive items form one list.
    ListItem(String),
}

impl Document {
    /// The article as Markdown: front matter (`id`, `title`, `subtitle`, `date`),
    /// a `#` title, then the body, blocks separated by a blank line and list
    /// items by a line break.
    pub fn to_markdown(&self, id: &str) -> String {
        let mut out = String::from("---\n");
        let fields = [
            ("id", Some(id)),
            ("title", Some(self.title.as_str())),
            ("subtitle", self.subtitle.as_deref()),
            ("date", self.date.as_deref()),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                out.push_str(&field_line(key, value));
                out.push('\n');
            }
        }
        out.push_str("---\n\n# ");
        out.push_str(&escape::heading(&self.title));
        let mut previous: Option<&Piece> = None;
        for piece in &self.body {
            let in_list = matches!(
                (previous, piece),
                (Some(Piece::ListItem(_)), Piece::ListItem(_))
            );
            out.push_str(if in_list { "\n" } else { "\n\n" });
            match piece {
                Piece::Paragraph(text) => out.push_str(&escape::paragraph(text)),
                Piece::Section(text) => {
                    out.push_str("## ");
                    out.push_str(&escape::heading(text));
                }
                Piece::ListItem(text) => {
                    out.push_str("- ");
                    out.push_str(&escape::paragraph(text));
                }
            }
            previous = Some(piece);
        }
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_matches_the_bundled_articles() {
        let document = Document {
            title: "A title.".into(),
            subtitle: Some("A subtitle.".into()),
            date: Some("2025-08-12".into()),
            body: vec![
                Piece::Paragraph("First.".into()),
                Piece::Section("A section.".into()),
                Piece::Paragraph("Second.".into()),
                Piece::Section("Related Articles".into()),
                Piece::ListItem("One (July 26, 2025)".into()),
                Piece::ListItem("Two".into()),
            ],
        };
        assert_eq!(
            document.to_markdown("a-title"),
            "---\nid: a-title\ntitle: A title.\nsubtitle: A subtitle.\ndate: 2025-08-12\n---\n\n\
             # A title.\n\nFirst.\n\n## A section.\n\nSecond.\n\n## Related Articles\n\n\
             - One (July 26, 2025)\n- Two\n"
        );
    }

    #[test]
    fn missing_fields_are_left_out_and_text_is_escaped() {
        let document = Document {
            title: "Notes #1".into(),
            subtitle: None,
            date: None,
            body: vec![Piece::Paragraph("1. *not* a list".into())],
        };
        assert_eq!(
            document.to_markdown("notes-1"),
            "---\nid: notes-1\ntitle: \"Notes #1\"\n---\n\n# Notes \\#1\n\n1\\. \\*not\\* a list\n"
        );
    }
}
