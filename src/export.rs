//! Highlights as notes outside gloss: Markdown for a note vault (one article,
//! a tag, or the whole library, with an index) and JSON for scripts.
//!
//! Rendering is pure and deterministic: the same highlights give the same
//! bytes, so re-exporting changes a file only when the highlights changed.
//! Writing is careful: gloss replaces only the region it marked in a file it
//! wrote, keeps whatever the person added around it, and does not overwrite a
//! file it did not write unless told to.

mod escape;

pub use escape::{block_quote, inline, vault_tag, yaml_string};
