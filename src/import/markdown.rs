//! Markdown documents are kept as written: their front matter (with any keys
//! gloss does not know) stays, and only an `id` and a `title` are added when
//! it has none. A document without front matter gets a small one with both.

use std::path::PathBuf;

use super::ImportError;
use super::front_matter::{field_line, has_field, has_front_matter, set_field};
use super::slug::id_for_title;
use crate::library::{Origin, parse_article};

/// `text` (already sanitized) with front matter that names its id: the
/// document's own `id:` when it has one, else one made from its title (its
/// front matter title, its `#` heading, or `file_stem`).
pub fn with_front_matter(text: &str, file_stem: &str) -> Result<String, ImportError> {
    // Parsing first reports broken front matter (with its line) before
    // anything is changed, and finds the title the library would show.
    let origin = Origin::File(PathBuf::from(format!("{file_stem}.md")));
    let article = parse_article(text, origin).map_err(ImportError::from_article)?;
    if has_front_matter(text) {
        let mut text = text.to_string();
        // The library's fallback title is the file name, which will be the id
        // once imported: the title found here is written down instead.
        if !has_field(&text, "title") {
            text = set_field(&text, "title", &field_line("title", &article.meta.title));
        }
        if !has_field(&text, "id") {
            let id = id_for_title(&article.meta.title);
            text = set_field(&text, "id", &field_line("id", &id));
        }
        return Ok(text);
    }
    let id = id_for_title(&article.meta.title);
    Ok(format!(
        "---\n{}\n{}\n---\n\n{}",
        field_line("id", &id),
        field_line("title", &article.meta.title),
        text.trim_start_matches('\n')
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_made_from_the_heading() {
        let markdown = with_front_matter("\n# A *Fine* Title\n\nText.\n", "file").unwrap();
        assert_eq!(
            markdown,
            "---\nid: a-fine-title\ntitle: A Fine Title\n---\n\n# A *Fine* Title\n\nText.\n"
        );
    }

    #[test]
    fn without_a_heading_the_file_name_is_the_title() {
        let markdown = with_front_matter("Just text.\n", "Field Notes").unwrap();
        assert!(
            markdown.starts_with("---\nid: field-notes\ntitle: Field Notes\n---\n"),
            "{markdown}"
        );
    }

    #[test]
    fn existing_front_matter_is_kept_and_given_an_id() {
        let text = "---\ntitle: Kept\nauthor: someone\n---\n\nText.\n";
        assert_eq!(
            with_front_matter(text, "file").unwrap(),
            "---\nid: kept\ntitle: Kept\nauthor: someone\n---\n\nText.\n"
        );
        let with_id = "---\nid: my-own\ntitle: Kept\n---\nText.\n";
        assert_eq!(with_front_matter(with_id, "file").unwrap(), with_id);
    }

    #[test]
    fn a_title_found_in_the_body_or_the_file_name_is_written_down() {
        let text = "---\nauthor: someone\n---\n\nText.\n";
        assert_eq!(
            with_front_matter(text, "Field Notes").unwrap(),
            "---\nid: field-notes\nauthor: someone\ntitle: Field Notes\n---\n\nText.\n"
        );
        let text = "---\nid: x\n---\n\n# Heading\n\nText.\n";
        assert_eq!(
            with_front_matter(text, "file").unwrap(),
            "---\nid: x\ntitle: Heading\n---\n\n# Heading\n\nText.\n"
        );
    }

    #[test]
    fn broken_front_matter_is_reported_with_its_line() {
        let error = with_front_matter("---\ntitle: T\nnot a field\n---\nText\n", "f").unwrap_err();
        let message = error.to_string();
        assert!(message.contains("line 3"), "{message}");
    }
}
