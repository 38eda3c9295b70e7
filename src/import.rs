//! Bringing outside documents into the user's library folder: a Markdown file,
//! a plain text file or an article's text scraped from a web page becomes one
//! Markdown article with front matter, laid out like the bundled ones, written
//! beside the person's other articles without ever replacing one.
//!
//! For one file: [`read_document`] and [`decode`] check it is text worth
//! reading, [`detect`] guesses its [`Kind`], [`to_markdown`] converts it (and
//! parses the result as the library will, so whatever is written loads), and
//! [`Destination`] refuses a taken id or an existing file, then writes.

mod date;
mod destination;
mod detect;
mod document;
mod escape;
mod front_matter;
mod markdown;
mod plain;
mod prose;
mod read;
mod scraped;
mod slug;

use std::io;
use std::path::PathBuf;

pub use date::iso_date;
pub use destination::Destination;
pub use detect::{Kind, detect};
pub use read::{MAX_IMPORT_BYTES, decode, read_document};
pub use slug::{MAX_ID_BYTES, slug};

use crate::library::{ArticleError, Origin, parse_article};
use crate::text::{sanitize_line, sanitize_text};

/// Why one document cannot be imported, in words a person can act on. The
/// caller names the file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("no such file; check the path")]
    Missing,
    #[error("cannot read the file ({0}); check its permissions")]
    Unreadable(io::Error),
    #[error(
        "this is a folder, not a document; give the files inside it (for example `folder/*.md`)"
    )]
    Directory,
    #[error("this is not a regular file (a pipe or a device); save the document to a file first")]
    NotAFile,
    #[error(
        "the file is {bytes} bytes, more than gloss imports ({} MiB); split it into several documents",
        MAX_IMPORT_BYTES / (1024 * 1024)
    )]
    TooLarge { bytes: u64 },
    #[error(
        "this is a binary file, not text (it contains a NUL byte); import Markdown or plain text"
    )]
    Binary,
    #[error(
        "the file is not UTF-8 text (first invalid byte at offset {offset}); convert it, for example with `iconv -t UTF-8`"
    )]
    NotUtf8 { offset: usize },
    #[error(
        "the file is UTF-16 text; convert it to UTF-8, for example with `iconv -f UTF-16 -t UTF-8`"
    )]
    Utf16,
    #[error("the file has no text to import")]
    Empty,
    #[error("cannot be read as an article: {0}")]
    Article(ArticleError),
    #[error("'{given}' cannot be an id: ids are made of letters, digits and '-'")]
    BadId { given: String },
    #[error(
        "the id '{id}' is already used by {holder}; nothing was written (choose another id with --id)"
    )]
    IdTaken { id: String, holder: String },
    #[error(
        "{} already exists and was left as it is (choose another id with --id)",
        shown(path)
    )]
    Exists { path: PathBuf },
    #[error(
        "cannot write {}: {source}; check the folder's permissions and the free disk space",
        shown(path)
    )]
    Write { path: PathBuf, source: io::Error },
}

impl ImportError {
    /// The library's reason, except that "nothing to read" is said once, the
    /// same way, whatever the kind of document.
    fn from_article(error: ArticleError) -> ImportError {
        match error {
            ArticleError::Empty | ArticleError::NoText => ImportError::Empty,
            other => ImportError::Article(other),
        }
    }
}

fn shown(path: &std::path::Path) -> String {
    crate::text::shown_path(path)
}

/// A document converted to an article, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// The id the library will give it (also its file name, `ID.md`).
    pub id: String,
    /// The title the library will show.
    pub title: String,
    /// The whole file: front matter and Markdown body.
    pub markdown: String,
}

/// Converts `source` (a document's text, BOM and CRLF allowed) of the given kind
/// to an article. `file_stem` is the title when the text has none.
///
/// Everything is sanitized first: control characters and escape sequences never
/// reach the library.
pub fn to_markdown(source: &str, kind: Kind, file_stem: &str) -> Result<Converted, ImportError> {
    let text = sanitize_text(source);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let file_stem = match sanitize_line(file_stem) {
        stem if stem.is_empty() => "Untitled".to_string(),
        stem => stem,
    };
    let markdown = match kind {
        Kind::Markdown => markdown::with_front_matter(&text, &file_stem)?,
        Kind::PlainText => written(&plain::to_document(&text, &file_stem)),
        Kind::Scraped => written(&scraped::to_document(&text, &file_stem)),
    };
    Converted::checked(markdown)
}

fn written(document: &document::Document) -> String {
    document.to_markdown(&slug::id_for_title(&document.title))
}

impl Converted {
    /// Reads `markdown` back as the library will, for its id and title.
    fn checked(markdown: String) -> Result<Converted, ImportError> {
        // Every converted document names its id, so the file name is not used.
        let origin = Origin::File(PathBuf::from("imported.md"));
        let article = parse_article(&markdown, origin).map_err(ImportError::from_article)?;
        Ok(Converted {
            id: article.meta.id,
            title: article.meta.title,
            markdown,
        })
    }

    /// The same article under the id `given` (as a slug: `My Notes` becomes
    /// `my-notes`).
    pub fn with_id(self, given: &str) -> Result<Converted, ImportError> {
        let id = slug(given);
        if id.is_empty() {
            return Err(ImportError::BadId {
                given: sanitize_line(given),
            });
        }
        let line = front_matter::field_line("id", &id);
        Converted::checked(front_matter::set_field(&self.markdown, "id", &line))
    }

    /// The same article with these tags (replacing any it had); empty and
    /// repeated tags are left out. No tags at all leaves the article as it is.
    pub fn with_tags(self, tags: &[String]) -> Result<Converted, ImportError> {
        let mut clean: Vec<String> = Vec::new();
        for tag in tags
            .iter()
            .map(|t| prose::collapse_whitespace(&sanitize_line(t)))
        {
            if !tag.is_empty() && !clean.contains(&tag) {
                clean.push(tag);
            }
        }
        if clean.is_empty() {
            return Ok(self);
        }
        let line = format!("tags: {}", front_matter::inline_list(&clean));
        Converted::checked(front_matter::set_field(&self.markdown, "tags", &line))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_with_crlf_and_bom_converts_like_unix_text() {
        let unix = to_markdown("Title line\n\nA paragraph.\n", Kind::PlainText, "f").unwrap();
        let windows = to_markdown(
            "\u{feff}Title line\r\n\r\nA paragraph.\r\n",
            Kind::PlainText,
            "f",
        )
        .unwrap();
        assert_eq!(unix, windows);
        assert_eq!(unix.id, "title-line");
        assert_eq!(
            unix.markdown,
            "---\nid: title-line\ntitle: Title line\n---\n\n# Title line\n\nA paragraph.\n"
        );
    }

    #[test]
    fn control_characters_never_reach_the_article() {
        let converted = to_markdown(
            "Ti\u{1b}[31mtle\u{7}\n\nText \u{1b}]0;evil\u{7}here.\n",
            Kind::PlainText,
            "f",
        )
        .unwrap();
        assert!(!converted.markdown.contains(['\u{1b}', '\u{7}']));
        assert_eq!(converted.title, "Title");
    }

    #[test]
    fn empty_documents_are_refused() {
        for kind in [Kind::Markdown, Kind::PlainText, Kind::Scraped] {
            let error = to_markdown(" \r\n\u{feff}\n", kind, "f").unwrap_err();
            assert!(matches!(error, ImportError::Empty), "{kind}: {error}");
        }
        let error = to_markdown("# Only a title\n", Kind::Markdown, "f").unwrap_err();
        assert!(matches!(error, ImportError::Empty), "{error}");
        let error = to_markdown("ADVERTISEMENT\n", Kind::Scraped, "f").unwrap_err();
        assert!(matches!(error, ImportError::Empty), "{error}");
    }

    #[test]
    fn the_id_and_tags_can_be_chosen() {
        let converted = to_markdown("Title\n\nText.\n", Kind::PlainText, "f")
            .unwrap()
            .with_id("My Own Id")
            .unwrap()
            .with_tags(&["b".into(), " a ".into(), "b".into(), String::new()])
            .unwrap();
        assert_eq!(converted.id, "my-own-id");
        assert_eq!(
            converted.markdown,
            "---\nid: my-own-id\ntitle: Title\ntags: [b, a]\n---\n\n# Title\n\nText.\n"
        );
        let bad = to_markdown("T\n\nx\n", Kind::PlainText, "f")
            .unwrap()
            .with_id("!!!");
        assert!(matches!(bad, Err(ImportError::BadId { .. })));
    }

    #[test]
    fn a_title_without_latin_letters_gets_a_hashed_id() {
        let converted = to_markdown("成果\n\n研究的成果很好。\n", Kind::PlainText, "f").unwrap();
        assert!(converted.id.starts_with("article-"), "{}", converted.id);
        assert_eq!(converted.title, "成果");
    }

    /// The words of `text`: runs of letters and digits.
    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    }

    proptest::proptest! {
        /// Any document of any kind converts or is refused with a reason,
        /// never a panic; what converts loads as an article (`checked`).
        #[test]
        fn any_document_converts_or_is_refused(text in document_like()) {
            for kind in [Kind::Markdown, Kind::PlainText, Kind::Scraped] {
                let _ = to_markdown(&text, kind, "stem");
            }
        }

        /// Plain text loses no word on the way into the library.
        #[test]
        fn plain_text_keeps_every_word(text in document_like()) {
            let Ok(converted) = to_markdown(&text, Kind::PlainText, "stem") else {
                return Ok(());
            };
            let origin = Origin::File(PathBuf::from("imported.md"));
            let article = parse_article(&converted.markdown, origin).unwrap();
            let mut shown = words(&article.meta.title);
            shown.extend(words(&article.plain_text()));
            for word in words(&sanitize_text(&text)) {
                proptest::prop_assert!(shown.contains(&word), "{word:?} lost from {:?}", converted.markdown);
            }
        }
    }

    /// Text made of the pieces documents are built from.
    fn document_like() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just("\n".to_owned()),
            Just("\n\n".to_owned()),
            Just("\r\n".to_owned()),
            Just(" ".to_owned()),
            Just("# ".to_owned()),
            Just("- ".to_owned()),
            Just("1. ".to_owned()),
            Just("---".to_owned()),
            Just("*".to_owned()),
            Just("_".to_owned()),
            Just("`".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just(": ".to_owned()),
            Just(". ".to_owned()),
            Just("ADVERTISEMENT".to_owned()),
            Just("Share".to_owned()),
            Just("<b>".to_owned()),
            Just("\u{1b}[1m".to_owned()),
            "[A-Za-z]{1,8}".prop_map(|s| s),
            "[成果研究]{1,3}".prop_map(|s| s),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }
}
