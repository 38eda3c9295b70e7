//! Random highlights and stores for the property tests of the file format,
//! with text chosen to trip a writer or reader up: quotes, backslashes, runs
//! of `#`, line breaks, brackets, NUL, combining marks and bidi overrides.

use jiff::Timestamp;
use proptest::prelude::*;

use super::Annotations;
use crate::annotation::{
    Color, CurrentPlace, Highlight, PlaceState, TextAnchor, TextPosition, TextQuote,
};

pub fn timestamp() -> impl Strategy<Value = Timestamp> {
    prop_oneof![
        (0i64..4_000_000_000).prop_map(|second| Timestamp::new(second, 0).unwrap_or_default()),
        (0i64..4_000_000_000, 0i32..1_000_000_000)
            .prop_map(|(second, nano)| Timestamp::new(second, nano).unwrap_or_default()),
    ]
}

pub fn awkward_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z \"\\\\\n\r\t'()\\[\\]{}#/*,:成果🦀\u{301}\u{202e}\u{0}]{0,30}",
        "(\"#*|\\)#*|r#*\"|[a-z ]){0,6}",
    ]
}

prop_compose! {
    /// A current placement, or none (as most highlights have).
    pub fn any_placement()(
        text_hash in awkward_text(),
        exact in awkward_text(),
        prefix in awkward_text(),
        suffix in awkward_text(),
        position in (any::<usize>(), 0usize..1_000_000, 0usize..1_000_000),
        state in 0usize..4,
    ) -> CurrentPlace {
        CurrentPlace {
            text_hash,
            anchor: TextAnchor {
                quote: TextQuote { exact, prefix, suffix },
                position: TextPosition { block: position.0, start: position.1, end: position.2 },
            },
            state: [PlaceState::Moved, PlaceState::Fuzzy, PlaceState::Accepted, PlaceState::Reattached][state],
        }
    }
}

prop_compose! {
    pub fn any_highlight()(
        id in awkward_text(),
        article in awkward_text(),
        text_hash in awkward_text(),
        exact in awkward_text(),
        prefix in awkward_text(),
        suffix in awkward_text(),
        position in (any::<usize>(), 0usize..1_000_000, 0usize..1_000_000),
        color in 0usize..5,
        tags in prop::collection::vec(awkward_text(), 0..4),
        note in awkward_text(),
        created in timestamp(),
        edited in prop::option::of(timestamp()),
        placement in prop::option::of(any_placement()),
    ) -> Highlight {
        Highlight {
            id,
            article,
            text_hash,
            anchor: TextAnchor {
                quote: TextQuote { exact, prefix, suffix },
                position: TextPosition { block: position.0, start: position.1, end: position.2 },
            },
            placement,
            color: Color::ALL[color],
            tags,
            note,
            created,
            updated: edited.unwrap_or(created),
        }
    }
}

pub fn any_annotations() -> impl Strategy<Value = Annotations> {
    let highlights = prop::collection::vec(any_highlight(), 0..10);
    let deletions = prop::collection::vec((awkward_text(), timestamp()), 0..4);
    (highlights, deletions).prop_map(|(highlights, deletions)| {
        let mut annotations = Annotations::new();
        for highlight in highlights {
            annotations.upsert(highlight);
        }
        for (id, at) in deletions {
            annotations.remove(&id, at);
        }
        annotations
    })
}

/// One ordinary highlight, to vary a field or two of.
pub fn fixed_highlight() -> Highlight {
    let at = Timestamp::from_second(1_780_000_000).unwrap_or_default();
    Highlight {
        id: "h-0123456789abcdef".into(),
        article: "lagos".into(),
        text_hash: "cbf29ce484222325".into(),
        anchor: TextAnchor {
            quote: TextQuote {
                exact: "the \"quoted\" passage".into(),
                prefix: "before ".into(),
                suffix: " after".into(),
            },
            position: TextPosition {
                block: 2,
                start: 40,
                end: 60,
            },
        },
        placement: None,
        color: Color::Green,
        tags: vec!["zeta".into(), "alpha".into()],
        note: "line one\nline two".into(),
        created: at,
        updated: at,
    }
}

/// [`fixed_highlight`] with its own id and article, quoted at byte `start`.
pub fn highlight_at(id: &str, article: &str, start: usize) -> Highlight {
    let mut highlight = fixed_highlight();
    highlight.id = id.into();
    highlight.article = article.into();
    highlight.anchor.position.start = start;
    highlight.anchor.position.end = start + 20;
    highlight
}

/// `second` seconds after a fixed instant in 2023, for tests that compare
/// times.
pub fn at(second: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + second).unwrap_or_default()
}

/// A plain yellow highlight `id` of article `lagos`, with no tags or note,
/// created at [`at`]`(0)` and updated at `at(updated)`.
pub fn plain_highlight(id: &str, updated: i64) -> Highlight {
    Highlight {
        id: id.into(),
        article: "lagos".into(),
        text_hash: "0".repeat(16),
        anchor: TextAnchor::default(),
        placement: None,
        color: Color::Yellow,
        tags: Vec::new(),
        note: String::new(),
        created: at(0),
        updated: at(updated),
    }
}
