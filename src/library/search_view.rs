//! An article as a search reads it, borrowed from wherever its text lives: a
//! parsed [`Article`], or an entry of the cache of parsed articles read in
//! place. A search of a large library looks at each article once and keeps
//! only what it prints, so nothing here owns text.

use super::Article;

/// One article's id, title, section titles and the passages a search looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// Each section's title, by section index.
    pub section_titles: Vec<&'a str>,
    /// The passages that may match, in article order: every passage of a
    /// parsed article; from the cache, only those the search's
    /// [`SearchFilter`](super::SearchFilter) did not rule out.
    pub passages: Vec<PassageView<'a>>,
}

/// One passage of a [`SearchView`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassageView<'a> {
    /// Index among all the article's blocks (headings included).
    pub block: usize,
    /// 1-based, among the article's passages (headings are not passages).
    pub number: usize,
    /// The section it belongs to (`None` before the first heading).
    pub section: Option<usize>,
    pub text: &'a str,
}

impl<'a> SearchView<'a> {
    /// Every passage of `article`.
    pub fn of(article: &'a Article) -> SearchView<'a> {
        let passages = article
            .blocks
            .iter()
            .enumerate()
            .filter(|(_, block)| block.is_passage())
            .enumerate()
            .map(|(passage, (block, found))| PassageView {
                block,
                number: passage + 1,
                section: found.section,
                text: &found.text,
            })
            .collect();
        SearchView {
            id: &article.meta.id,
            title: &article.meta.title,
            section_titles: article
                .sections
                .iter()
                .map(|section| section.title.as_str())
                .collect(),
            passages,
        }
    }

    /// The 1-based number and title of section `index`.
    pub fn section(&self, index: Option<usize>) -> Option<(usize, &'a str)> {
        let index = index?;
        Some((index + 1, self.section_titles.get(index)?))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::library::parse_article;

    #[test]
    fn passages_are_numbered_without_headings() {
        let article = parse_article(
            "---\nid: viewed\ntitle: Viewed\n---\n\nBefore.\n\n## One\n\nFirst.\n\n- item\n",
            crate::library::Origin::Bundled("viewed.md".into()),
        )
        .unwrap();
        let view = SearchView::of(&article);
        assert_eq!((view.id, view.title), ("viewed", "Viewed"));
        let numbered: Vec<(usize, usize, Option<usize>, &str)> = view
            .passages
            .iter()
            .map(|p| (p.block, p.number, p.section, p.text))
            .collect();
        assert_eq!(
            numbered,
            [
                (0, 1, None, "Before."),
                (2, 2, Some(0), "First."),
                (3, 3, Some(0), "item")
            ]
        );
        assert_eq!(view.section(Some(0)), Some((1, "One")));
        assert_eq!(view.section(None), None);
        assert_eq!(view.section(Some(5)), None);
    }
}
