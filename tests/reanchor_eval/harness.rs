//! Measuring re-anchoring on real revisions of real documents: READMEs and
//! CHANGELOGs of crates in two published versions (`tests/fixtures/revisions`).
//! Highlights are made in the old version the way a reader makes them
//! (sentences, parts of sentences, list items, headings, passages of two
//! sentences, and every copy of a passage that occurs twice), the new version
//! is swapped in, and each highlight is placed by gloss and by the algorithm
//! of the Hypothesis client. A word-level diff of the two versions says what
//! became of each quote:
//!
//! The blocks of the two versions are paired first (unchanged blocks by a
//! diff of the block sequence, then moved or reworded ones by the words they
//! share), then the words of each pair by a word-level diff.
//!
//! - **survived**: every word of the quote is kept, in one run, unchanged:
//!   it must be placed exactly there (for twins: at the copy the diff keeps);
//!   a quote that was a whole block may also be placed on the whole block
//!   its words are in now (a list of badges that gained one);
//!   a quote whose block moved counts as survived when copies with the same
//!   32 characters of context on each side are found, and any of them is
//!   right;
//! - **edited**: at least half its words are kept: it must be placed over
//!   some of them;
//! - **deleted**: fewer than half are kept and no single copy of the quote
//!   is left: it must be orphaned;
//! - **moved or deleted**: the diff drops it but the text holds exactly one
//!   copy of it elsewhere (moved, or the same words in another place, such
//!   as a table of contents): that copy or an orphan are both right.
//!
//! Any other placement is wrong. Shared by the test that holds gloss to its
//! goal (`tests/reanchor_eval.rs`) and the report
//! (`cargo run --release --example reanchor_eval`).

use std::ops::Range;
use std::path::PathBuf;

use gloss::annotation::{Color, Highlight, new_highlight, place};
use gloss::library::{Article, BlockKind, Origin, parse_article};
use jiff::Timestamp;
use unicode_segmentation::UnicodeSegmentation;

#[path = "hypothesis.rs"]
mod hypothesis;
#[path = "truth.rs"]
mod truth;

pub use hypothesis::hypothesis_placements;
use truth::BlockMap;
#[allow(unused_imports)] // The test asks for one quote's truth; the report does not.
pub use truth::truth_of;

/// Two versions of one document, by file name in the fixtures folder.
#[derive(Debug, Clone, Copy)]
pub struct Pair {
    pub old: &'static str,
    pub new: &'static str,
}

pub const PAIRS: &[Pair] = &[
    Pair {
        old: "nix-0.28.0-CHANGELOG.md",
        new: "nix-0.29.0-CHANGELOG.md",
    },
    Pair {
        old: "fd-README-2a3dd5b.md",
        new: "fd-README-1045930.md",
    },
    Pair {
        old: "fd-README-1045930.md",
        new: "fd-README-c83bcfb.md",
    },
    Pair {
        old: "fd-README-c83bcfb.md",
        new: "fd-README-5460350.md",
    },
    Pair {
        old: "fd-README-5460350.md",
        new: "fd-README-52f2255.md",
    },
    Pair {
        old: "fd-README-52f2255.md",
        new: "fd-README-5b46867.md",
    },
    Pair {
        old: "fd-README-5b46867.md",
        new: "fd-README-81efb50.md",
    },
    Pair {
        old: "getrandom-0.3.4-README.md",
        new: "getrandom-0.4.3-README.md",
    },
    Pair {
        old: "thiserror-1.0.69-README.md",
        new: "thiserror-2.0.21-README.md",
    },
    Pair {
        old: "syn-1.0.109-README.md",
        new: "syn-2.0.119-README.md",
    },
    Pair {
        old: "syn-2.0.119-README.md",
        new: "syn-3.0.10-README.md",
    },
    Pair {
        old: "rand-0.8.8-README.md",
        new: "rand-0.10.4-README.md",
    },
    Pair {
        old: "rand_core-0.6.4-README.md",
        new: "rand_core-0.10.1-README.md",
    },
    Pair {
        old: "cpufeatures-0.2.17-README.md",
        new: "cpufeatures-0.3.1-README.md",
    },
    Pair {
        old: "bit-vec-0.6.3-README.md",
        new: "bit-vec-0.10.2-README.md",
    },
    Pair {
        old: "bitflags-1.3.2-README.md",
        new: "bitflags-2.13.2-README.md",
    },
    Pair {
        old: "nix-0.29.0-README.md",
        new: "nix-0.31.3-README.md",
    },
];

/// What was highlighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Sentence,
    PartOfSentence,
    ListItem,
    Heading,
    TwoSentences,
    /// One of several copies of the same passage.
    Twin,
}

/// What the diff says became of a quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Truth {
    Survived(Range<usize>),
    /// Dropped where it was, but copies with the same 32 characters of
    /// context on each side are elsewhere: its block moved.
    Moved(Vec<Range<usize>>),
    Edited(Range<usize>),
    Deleted,
    MovedOrDeleted(Range<usize>),
}

/// One highlight of the old version and what became of its quote.
#[derive(Debug, Clone)]
pub struct Case {
    pub kind: Kind,
    pub highlight: Highlight,
    pub truth: Truth,
    /// For a quote that was a whole block and survived inside a block that
    /// gained words: that block, which is as right a place as the words.
    pub whole_block_now: Option<Range<usize>>,
}

/// The figures for one algorithm over some cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    pub survived: usize,
    /// Survived quotes placed exactly at the copy the diff keeps.
    pub survived_right: usize,
    pub twins: usize,
    pub twins_right: usize,
    pub edited: usize,
    pub edited_found: usize,
    pub deleted: usize,
    pub deleted_orphaned: usize,
    pub moved_or_deleted: usize,
    pub moved_or_deleted_right: usize,
    /// Placed where the diff says the quote is not.
    pub wrong: usize,
}

impl Score {
    pub fn add(&mut self, other: Score) {
        self.survived += other.survived;
        self.survived_right += other.survived_right;
        self.twins += other.twins;
        self.twins_right += other.twins_right;
        self.edited += other.edited;
        self.edited_found += other.edited_found;
        self.deleted += other.deleted;
        self.deleted_orphaned += other.deleted_orphaned;
        self.moved_or_deleted += other.moved_or_deleted;
        self.moved_or_deleted_right += other.moved_or_deleted_right;
        self.wrong += other.wrong;
    }
}

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/revisions")
}

/// A fixture parsed as gloss parses an imported Markdown file.
pub fn article(name: &str) -> Article {
    let path = fixtures().join(name);
    let body =
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    let source = format!("---\nid: doc\ntitle: {name}\n---\n\n{body}");
    let mut article = parse_article(&source, Origin::Bundled(name.into()))
        .unwrap_or_else(|err| panic!("{name}: {err}"));
    article.split_sentences();
    article
}

/// The highlights made in `old` and what became of each in `new`.
pub fn cases(old: &Article, new: &Article) -> Vec<Case> {
    let old_plain = old.plain_text();
    let new_plain = new.plain_text();
    let blocks = BlockMap::new(old, new);
    quotes(old, &old_plain)
        .into_iter()
        .map(|(kind, range)| {
            let truth = blocks.truth(old, new, &old_plain, &new_plain, range.clone());
            let was_block = old
                .blocks
                .iter()
                .any(|b| b.start == range.start && b.start + b.text.trim_end().len() == range.end);
            let whole_block_now = match &truth {
                Truth::Survived(now) if was_block => new
                    .blocks
                    .iter()
                    .find(|b| b.start <= now.start && now.end <= b.start + b.text.len())
                    .map(|b| b.start..b.start + b.text.trim_end().len()),
                _ => None,
            };
            let highlight =
                new_highlight(old, &old_plain, range, Color::Yellow, Timestamp::UNIX_EPOCH);
            Case {
                kind,
                highlight,
                truth,
                whole_block_now,
            }
        })
        .collect()
}

/// The passages a reader would highlight, chosen by a fixed rule so the
/// set is the same on every run: about one sentence in three, parts of long
/// sentences, pairs of sentences, every other list item, every third
/// heading, and every copy of a passage that occurs more than once.
fn quotes(old: &Article, plain: &str) -> Vec<(Kind, Range<usize>)> {
    let mut quotes = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (b, block) in old.blocks.iter().enumerate() {
        let trimmed = |range: Range<usize>| {
            let text = &plain[range.clone()];
            let start = range.start + (text.len() - text.trim_start().len());
            start..range.start + text.trim_end().len()
        };
        let sentence = |s: usize| {
            trimmed(block.start + block.sentences[s].start..block.start + block.sentences[s].end)
        };
        match block.kind {
            BlockKind::Code => continue,
            BlockKind::Heading { .. } => {
                if b % 3 == 0 {
                    quotes.push((
                        Kind::Heading,
                        trimmed(block.start..block.start + block.text.len()),
                    ));
                }
                continue;
            }
            BlockKind::ListItem if b % 2 == 0 && block.sentences.len() > 1 => {
                quotes.push((
                    Kind::ListItem,
                    trimmed(block.start..block.start + block.text.len()),
                ));
                continue;
            }
            _ => {}
        }
        for s in 0..block.sentences.len() {
            let range = sentence(s);
            let text = &plain[range.clone()];
            let words: Vec<(usize, &str)> = text
                .split_word_bound_indices()
                .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
                .collect();
            if words.len() < 3 {
                continue;
            }
            match (b + s) % 4 {
                0 => quotes.push((Kind::Sentence, range)),
                1 if words.len() >= 10 => {
                    let (from, _) = words[2];
                    let (to, last) = words[7];
                    quotes.push((
                        Kind::PartOfSentence,
                        range.start + from..range.start + to + last.len(),
                    ));
                }
                2 if s + 1 < block.sentences.len() => {
                    quotes.push((Kind::TwoSentences, range.start..sentence(s + 1).end));
                }
                _ => {}
            }
        }
    }
    // Twins: a sentence or list item whose words occur more than once.
    for block in &old.blocks {
        if block.kind == BlockKind::Code {
            continue;
        }
        let text = block.text.trim();
        if text.len() < 12 || !seen.insert(text.to_owned()) {
            continue;
        }
        let copies: Vec<usize> = plain.match_indices(text).map(|(i, _)| i).collect();
        if copies.len() > 1 {
            for start in copies {
                quotes.push((Kind::Twin, start..start + text.len()));
            }
        }
    }
    quotes.retain(|(_, range)| !range.is_empty());
    quotes.sort_by_key(|(kind, range)| (range.start, range.end, *kind));
    quotes.dedup_by(|a, b| a.1 == b.1);
    quotes
}

/// Scores placements (`None` for an orphan) against the cases' truth.
pub fn score(cases: &[Case], placed: &[Option<Range<usize>>]) -> Score {
    let mut score = Score::default();
    for (case, found) in cases.iter().zip(placed) {
        let right = match &case.truth {
            Truth::Survived(range) => {
                score.survived += 1;
                let right = found.as_ref() == Some(range)
                    || case
                        .whole_block_now
                        .as_ref()
                        .is_some_and(|block| found.as_ref() == Some(block));
                score.survived_right += usize::from(right);
                if case.kind == Kind::Twin {
                    score.twins += 1;
                    score.twins_right += usize::from(right);
                }
                right || found.is_none()
            }
            Truth::Moved(ranges) => {
                score.survived += 1;
                let right = found.as_ref().is_some_and(|f| ranges.contains(f));
                score.survived_right += usize::from(right);
                if case.kind == Kind::Twin {
                    score.twins += 1;
                    score.twins_right += usize::from(right);
                }
                right || found.is_none()
            }
            Truth::Edited(range) => {
                score.edited += 1;
                let hit = found
                    .as_ref()
                    .is_some_and(|f| f.start < range.end && range.start < f.end);
                score.edited_found += usize::from(hit);
                hit || found.is_none()
            }
            Truth::Deleted => {
                score.deleted += 1;
                score.deleted_orphaned += usize::from(found.is_none());
                found.is_none()
            }
            Truth::MovedOrDeleted(range) => {
                score.moved_or_deleted += 1;
                let right = found.is_none() || found.as_ref() == Some(range);
                score.moved_or_deleted_right += usize::from(right);
                right
            }
        };
        score.wrong += usize::from(!right);
    }
    score
}

/// Where gloss places each case's highlight in `new_plain`: all of one
/// document's highlights together, as the reader places them.
pub fn gloss_placements(cases: &[Case], new_plain: &str) -> Vec<Option<Range<usize>>> {
    place(new_plain, cases.iter().map(|c| &c.highlight))
        .into_iter()
        .map(|p| p.anchoring.range())
        .collect()
}

/// Both algorithms on one pair: (cases, gloss, Hypothesis).
pub fn measure(pair: Pair) -> (Vec<Case>, Score, Score) {
    let old = article(pair.old);
    let new = article(pair.new);
    let new_plain = new.plain_text();
    let cases = cases(&old, &new);
    let gloss = score(&cases, &gloss_placements(&cases, &new_plain));
    let hypothesis = score(&cases, &hypothesis_placements(&cases, &new_plain));
    (cases, gloss, hypothesis)
}
