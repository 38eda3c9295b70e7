//! What a hand-edited `annotations.ron` holds that this gloss cannot turn
//! into highlights, kept so that saving never throws the person's text away:
//! fields it does not know (added by hand, or by a later gloss) beside the
//! highlight they were in, and whole highlights with a bad value, written
//! back exactly as they were until the person fixes them.

use std::collections::BTreeMap;
use std::fmt;

/// A place in `annotations.ron` that gloss could not read, and what to write
/// there instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    /// 1-based, as editors count.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// The highlight it is in, when its id could be read.
    pub id: Option<String>,
    /// What is wrong and what to write instead, on one line.
    pub reason: String,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)?;
        if let Some(id) = &self.id {
            write!(f, " (highlight {})", crate::text::sanitize_line(id))?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// A highlight entry that is good RON but not a good highlight (a colour
/// that is not one, a time that is not a time, a missing field): kept as
/// written and written back as it is, so fixing it by hand is all it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpoiledHighlight {
    /// The entry from its `(` to its `)`, exactly as the file had it.
    pub text: String,
    pub problem: FileProblem,
}

/// Everything in the file that is kept without being understood.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Kept {
    /// By highlight id: the fields this gloss does not know, as `(name,
    /// value)` in the file's order, the value as written.
    pub extras: BTreeMap<String, Vec<(String, String)>>,
    /// In the file's order.
    pub spoiled: Vec<SpoiledHighlight>,
}
