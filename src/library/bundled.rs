//! The articles embedded in the binary at compile time from `articles/`.
use include_dir::{Dir, include_dir};

static ARTICLES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/articles");

/// `(file name, contents)` of every bundled `*.md`, sorted by name.
pub fn files() -> Vec<(&'static str, &'static [u8])> {
    let mut out: Vec<_> = ARTICLES
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "md"))
        .filter_map(|f| Some((f.path().file_name()?.to_str()?, f.contents())))
        .collect();
    out.sort_by_key(|(name, _)| *name);
    out
}
