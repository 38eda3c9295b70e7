//! Choosing what to export: the highlights of some articles or of all, maybe
//! only those with a tag, grouped by article in library order.

use super::ArticleHighlights;
use crate::annotation::Highlight;
use crate::annotation::tag::tag_key;
use crate::library::Library;
use crate::store::annotations::Annotations;

/// The highlights chosen for an export.
#[derive(Debug, Clone, Default)]
pub struct Selection<'a> {
    /// Articles with at least one chosen highlight, in the order asked for
    /// (library order when all were asked for), highlights in reading order.
    pub parts: Vec<ArticleHighlights<'a>>,
    /// Chosen highlights whose article is not in the library, which cannot
    /// be exported (there is no article to take the title and sections from).
    pub without_article: usize,
}

/// Whether `highlight` carries `tag`, as [`crate::annotation::tag`] compares
/// tags.
pub fn has_tag(highlight: &Highlight, tag: &str) -> bool {
    let wanted = tag_key(tag);
    highlight.tags.iter().any(|t| tag_key(t) == wanted)
}

/// The highlights of the articles at `articles` (indexes into
/// [`Library::articles`]; every article when `None`), only those carrying
/// `tag` when it is given. Articles left with no highlight are left out.
pub fn select<'a>(
    library: &'a Library,
    annotations: &'a Annotations,
    articles: Option<&[usize]>,
    tag: Option<&str>,
) -> Selection<'a> {
    let wanted = |highlight: &&Highlight| tag.is_none_or(|tag| has_tag(highlight, tag));
    let indexes: Vec<usize> = match articles {
        Some(indexes) => {
            let mut unique = Vec::with_capacity(indexes.len());
            for &index in indexes {
                if !unique.contains(&index) {
                    unique.push(index);
                }
            }
            unique
        }
        None => (0..library.articles.len()).collect(),
    };
    let parts = indexes
        .into_iter()
        .filter_map(|index| library.articles.get(index))
        .filter_map(|article| {
            let highlights: Vec<&Highlight> = annotations
                .for_article(&article.meta.id)
                .into_iter()
                .filter(wanted)
                .collect();
            (!highlights.is_empty()).then_some(ArticleHighlights {
                article,
                highlights,
            })
        })
        .collect();
    let without_article = if articles.is_none() {
        annotations
            .iter()
            .filter(|h| library.by_id(&h.article).is_none())
            .filter(wanted)
            .count()
    } else {
        0
    };
    Selection {
        parts,
        without_article,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::Timestamp;

    use super::*;
    use crate::annotation::{Color, new_highlight};
    use crate::library::{Article, Origin, parse_article};

    fn article(id: &str) -> Article {
        parse_article(
            &format!("---\nid: {id}\ntitle: {id}\n---\n\nOne line. Two line.\n"),
            Origin::Bundled(format!("{id}.md")),
        )
        .unwrap()
    }

    fn highlight(article: &Article, quote: &str, tags: &[&str]) -> Highlight {
        let plain = article.plain_text();
        let start = plain.find(quote).unwrap();
        let mut h = new_highlight(
            article,
            &plain,
            start..start + quote.len(),
            Color::Blue,
            Timestamp::UNIX_EPOCH,
        );
        h.tags = tags.iter().map(ToString::to_string).collect();
        h
    }

    fn library() -> (Library, Annotations) {
        let library = Library {
            articles: vec![article("a"), article("b"), article("c")],
            warnings: Vec::new(),
        };
        let mut annotations = Annotations::new();
        annotations.upsert(highlight(&library.articles[0], "Two line.", &["Funding"]));
        annotations.upsert(highlight(&library.articles[0], "One line.", &[]));
        annotations.upsert(highlight(&library.articles[1], "One line.", &["funding"]));
        let mut gone = highlight(&library.articles[2], "One line.", &["funding"]);
        gone.article = "removed".into();
        annotations.upsert(gone);
        (library, annotations)
    }

    fn shape(selection: &Selection) -> Vec<(String, Vec<String>)> {
        selection
            .parts
            .iter()
            .map(|part| {
                let quotes = part.highlights.iter().map(|h| h.anchor.quote.exact.clone());
                (part.article.meta.id.clone(), quotes.collect())
            })
            .collect()
    }

    #[test]
    fn everything_in_library_order_and_reading_order() {
        let (library, annotations) = library();
        let all = select(&library, &annotations, None, None);
        assert_eq!(
            shape(&all),
            [
                (
                    "a".to_owned(),
                    vec!["One line.".to_owned(), "Two line.".to_owned()]
                ),
                ("b".to_owned(), vec!["One line.".to_owned()]),
            ]
        );
        assert_eq!(all.without_article, 1);
    }

    #[test]
    fn named_articles_in_the_order_asked_and_a_tag_in_any_case() {
        let (library, annotations) = library();
        let chosen = select(
            &library,
            &annotations,
            Some(&[1, 0, 1, 2]),
            Some(" FUNDING "),
        );
        assert_eq!(
            shape(&chosen),
            [
                ("b".to_owned(), vec!["One line.".to_owned()]),
                ("a".to_owned(), vec!["Two line.".to_owned()]),
            ]
        );
        assert_eq!(chosen.without_article, 0);
    }
}
