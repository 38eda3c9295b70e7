//! One highlight: what was marked, where, how it looks, and what the person
//! wrote about it. This is what the annotations file stores, so every field is
//! plain data with a stable serialized form.

use std::hash::{BuildHasher, Hasher};
use std::ops::Range;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{anchor_at, block_at};
use crate::library::Article;

/// A highlight colour. The names are what the file stores and the CLI accepts.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    #[default]
    Yellow,
    Green,
    Blue,
    Pink,
    Purple,
}

impl Color {
    pub const ALL: [Color; 5] = [
        Color::Yellow,
        Color::Green,
        Color::Blue,
        Color::Pink,
        Color::Purple,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Color::Yellow => "yellow",
            Color::Green => "green",
            Color::Blue => "blue",
            Color::Pink => "pink",
            Color::Purple => "purple",
        }
    }

    /// The colour after this one, for cycling with one key.
    #[must_use]
    pub fn next(self) -> Color {
        let i = Color::ALL.iter().position(|&c| c == self).unwrap_or(0);
        Color::ALL[(i + 1) % Color::ALL.len()]
    }

    /// Parses a colour name, case-insensitively.
    pub fn parse(name: &str) -> Option<Color> {
        Color::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// The quoted text with some context on each side (W3C Web Annotation
/// `TextQuoteSelector`): enough to find the passage again after edits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextQuote {
    pub exact: String,
    /// Up to [`CONTEXT_CHARS`] characters just before `exact`.
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] characters just after `exact`.
    pub suffix: String,
}

/// Where the quote was (W3C `TextPositionSelector`), as byte offsets into the
/// article's plain text ([`crate::library::Article::plain_text`]), plus the
/// passage (block) it starts in, for people reading the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPosition {
    pub block: usize,
    pub start: usize,
    pub end: usize,
}

/// Both selectors together: the position is tried first, the quote decides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextAnchor {
    pub quote: TextQuote,
    pub position: TextPosition,
}

/// Where a highlight is in a version of its article other than the one it
/// was made in. The highlight's own [`TextAnchor`] is what the person chose
/// and is never rewritten; this is kept beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentPlace {
    /// [`text_hash`] of the article text this placement is in.
    pub text_hash: String,
    /// The passage there, with its context, so it can itself be found again
    /// after a later edit.
    pub anchor: TextAnchor,
    pub state: PlaceState,
}

/// Who set a [`CurrentPlace`] and whether it needs the person's review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceState {
    /// gloss found the very words elsewhere: nothing to review.
    Moved,
    /// gloss found a passage like the quote: needs the person's review.
    Fuzzy,
    /// The person accepted the passage gloss found.
    Accepted,
    /// The person attached the highlight to this passage.
    Reattached,
}

impl PlaceState {
    /// The name the file stores and the command line prints.
    pub fn name(self) -> &'static str {
        match self {
            PlaceState::Moved => "moved",
            PlaceState::Fuzzy => "fuzzy",
            PlaceState::Accepted => "accepted",
            PlaceState::Reattached => "reattached",
        }
    }

    /// Set by the person rather than found by gloss. A person's placement
    /// wins over gloss's in a merge, and gloss never replaces it by a guess.
    pub fn by_person(self) -> bool {
        matches!(self, PlaceState::Accepted | PlaceState::Reattached)
    }
}

/// The placement to keep when two copies of a highlight disagree only in
/// it: a person's over gloss's; between two of the same kind, `ours`.
pub fn preferred_place<'a>(
    ours: Option<&'a CurrentPlace>,
    theirs: Option<&'a CurrentPlace>,
) -> Option<&'a CurrentPlace> {
    let person = |p: Option<&CurrentPlace>| p.is_some_and(|p| p.state.by_person());
    if person(theirs) && !person(ours) {
        theirs
    } else {
        ours.or(theirs)
    }
}

/// Characters of context kept on each side of a quote.
pub const CONTEXT_CHARS: usize = 32;

/// A highlighted passage with its colour, tags and note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    /// Stable, unique, never reused: `h-` and 16 hex digits.
    pub id: String,
    /// The article's id.
    pub article: String,
    /// [`text_hash`] of the article's plain text when the highlight was
    /// made; when it differs from the article now, the quote must be re-found.
    pub text_hash: String,
    /// The quote and context the person chose: never rewritten.
    pub anchor: TextAnchor,
    /// Where the highlight is in a later version of the article, if it was
    /// found there or the person put it there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<CurrentPlace>,
    #[serde(default)]
    pub color: Color,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub note: String,
    pub created: Timestamp,
    pub updated: Timestamp,
}

impl Highlight {
    /// The latest place known for the highlight: its placement in a later
    /// version of the article if it has one, else where it was made. For
    /// indexes and orderings that cannot afford to place it in the text.
    pub fn latest_position(&self) -> TextPosition {
        self.placement
            .as_ref()
            .map_or(self.anchor.position, |place| place.anchor.position)
    }
}

/// A stable 64-bit FNV-1a hash of `text`, as 16 hex digits. Stable across
/// versions and platforms (unlike `std`'s hasher), so it can live in files.
pub fn text_hash(text: &str) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let hash = text
        .bytes()
        .fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME));
    format!("{hash:016x}")
}

/// A new highlight of `plain[range]` in `article`.
pub fn new_highlight(
    article: &Article,
    plain: &str,
    range: Range<usize>,
    color: Color,
    now: Timestamp,
) -> Highlight {
    let block = block_at(article, range.start).unwrap_or(0);
    Highlight {
        id: new_id(now),
        article: article.meta.id.clone(),
        text_hash: text_hash(plain),
        anchor: anchor_at(plain, range, block),
        placement: None,
        color,
        tags: Vec::new(),
        note: String::new(),
        created: now,
        updated: now,
    }
}

/// `h-` and 16 hex digits: the time mixed with per-process random keys, so
/// two instances creating highlights in the same nanosecond still differ.
pub fn new_id(now: Timestamp) -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_i128(now.as_nanosecond());
    hasher.write_u32(std::process::id());
    format!("h-{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_cycle_and_parse() {
        assert_eq!(Color::Purple.next(), Color::Yellow);
        assert_eq!(Color::parse(" Green "), Some(Color::Green));
        assert_eq!(Color::parse("mauve"), None);
    }

    #[test]
    fn text_hash_is_stable() {
        assert_eq!(text_hash(""), "cbf29ce484222325");
        assert_eq!(text_hash("a"), "af63dc4c8601ec8c");
        assert_ne!(text_hash("ab"), text_hash("ba"));
    }
}
