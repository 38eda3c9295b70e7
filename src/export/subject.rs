//! What an export is of (one article, several, the whole library, a tag, the
//! index), written into the file's region marker so that gloss recognises
//! its own files and never replaces one export with another by mistake.

use std::fmt::Write as _;

use crate::text::sanitize_line;

/// What one exported document holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    scope: Scope,
    /// Only highlights with this tag, in lower case.
    tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    /// These articles, by id.
    Articles(Vec<String>),
    /// Every article with highlights.
    Library,
    /// The index of a folder of exports.
    Index,
}

impl Subject {
    /// The highlights of one article.
    pub fn article(id: &str) -> Subject {
        Subject::articles([id])
    }

    /// The highlights of these articles, in this order.
    pub fn articles<'a>(ids: impl IntoIterator<Item = &'a str>) -> Subject {
        Subject {
            scope: Scope::Articles(ids.into_iter().map(sanitize_line).collect()),
            tag: None,
        }
    }

    /// The highlights of every article.
    pub fn library() -> Subject {
        Subject {
            scope: Scope::Library,
            tag: None,
        }
    }

    /// The list of the files in a folder of exports.
    pub fn index() -> Subject {
        Subject {
            scope: Scope::Index,
            tag: None,
        }
    }

    /// The same, narrowed to the highlights carrying `tag` (however it is
    /// spelled: the tag's key, as [`crate::annotation::tag`] compares tags).
    #[must_use]
    pub fn tagged(mut self, tag: &str) -> Subject {
        self.tag = Some(crate::annotation::tag::tag_key(tag));
        self
    }

    /// The article's id when this is exactly one article.
    pub fn single_article(&self) -> Option<&str> {
        match &self.scope {
            Scope::Articles(ids) if ids.len() == 1 => ids.first().map(String::as_str),
            _ => None,
        }
    }

    /// The tag the highlights were chosen by, in lower case.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// How the region marker names this subject: `article:ID`, joined by `+`
    /// for several, or `library`, or `index`, then `+tag:TAG` when narrowed
    /// by a tag. One word, whatever the ids hold: anything but letters,
    /// digits, `-`, `_` and `.` is percent-encoded, so it can never end the
    /// HTML comment it sits in.
    pub fn token(&self) -> String {
        let mut parts: Vec<String> = match &self.scope {
            Scope::Articles(ids) => ids
                .iter()
                .map(|id| format!("article:{}", encode(id)))
                .collect(),
            Scope::Library => vec!["library".to_owned()],
            Scope::Index => vec!["index".to_owned()],
        };
        if let Some(tag) = &self.tag {
            parts.push(format!("tag:{}", encode(tag)));
        }
        parts.join("+")
    }

    /// A title for a document holding several articles.
    pub fn collection_title(&self) -> String {
        let what = match &self.tag {
            Some(tag) => format!("Highlights tagged {tag}"),
            None => "Highlights".to_owned(),
        };
        match &self.scope {
            Scope::Articles(ids) if ids.len() > 1 => format!("{what} from {} articles", ids.len()),
            _ => what,
        }
    }
}

/// `text` with every character other than letters, digits, `-`, `_` and `.`
/// written as `%XX` per UTF-8 byte.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_name_the_subject_in_one_safe_word() {
        assert_eq!(
            Subject::article("cultural-diplomacy").token(),
            "article:cultural-diplomacy"
        );
        assert_eq!(
            Subject::articles(["a", "b"]).tagged("Soft Power").token(),
            "article:a+article:b+tag:soft%20power"
        );
        assert_eq!(Subject::library().token(), "library");
        assert_eq!(Subject::index().token(), "index");
        assert_eq!(Subject::article("x-->y").token(), "article:x--%3Ey");
        assert_eq!(Subject::article("成果").token(), "article:成果");
    }

    #[test]
    fn tags_compare_without_case() {
        assert_eq!(
            Subject::library().tagged("Funding"),
            Subject::library().tagged("funding")
        );
    }

    #[test]
    fn collections_get_a_title() {
        assert_eq!(Subject::library().collection_title(), "Highlights");
        assert_eq!(
            Subject::library().tagged("funding").collection_title(),
            "Highlights tagged funding"
        );
        assert_eq!(
            Subject::articles(["a", "b"]).collection_title(),
            "Highlights from 2 articles"
        );
        assert_eq!(Subject::article("a").single_article(), Some("a"));
        assert_eq!(Subject::articles(["a", "b"]).single_article(), None);
    }
}
