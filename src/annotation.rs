//! Annotations: highlights with colours, tags and notes, anchored to article
//! text so they survive edits to the article. Plain data, no terminal.

mod anchor;
mod highlight;
mod index;
mod placement;
pub mod tag;

pub use anchor::{
    Anchoring, FUZZY_ACCEPT_SCORE, anchor_at, approximate_matches, block_at, reanchor,
    reanchor_shifted, score_at, unique_shift,
};
pub use highlight::{
    CONTEXT_CHARS, Color, CurrentPlace, Highlight, PlaceState, TextAnchor, TextPosition, TextQuote,
    new_highlight, new_id, preferred_place, text_hash,
};
pub use index::{AnnotationIndex, BlockFacts};
pub use placement::{Placement, anchoring_in, anchoring_label, place, placed_at, refreshed};
