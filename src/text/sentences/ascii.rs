//! The sentence rules of UAX #29 for text that is all ASCII, as
//! unicode-segmentation applies them, without its table lookups: most pieces
//! that hold a sentence end are plain ASCII (`end. Next`), and this is where
//! splitting a large library into sentences spends its time.
//!
//! It follows unicode-segmentation's forward iterator step for step (the
//! same four-part history and the same look-ahead for rule SB8), so the two
//! agree exactly; the tests compare them on every short ASCII pattern.

/// The sentence-break category of an ASCII byte (`SentenceBreakProperty`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Cr,
    Lf,
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
    Other,
}

fn category(byte: u8) -> Category {
    match byte {
        b'\r' => Category::Cr,
        b'\n' => Category::Lf,
        b'\t' | 0x0b | 0x0c | b' ' => Category::Sp,
        b'a'..=b'z' => Category::Lower,
        b'A'..=b'Z' => Category::Upper,
        b'0'..=b'9' => Category::Numeric,
        b'.' => Category::ATerm,
        b'!' | b'?' => Category::STerm,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Category::Close,
        b',' | b'-' | b':' | b';' => Category::SContinue,
        _ => Category::Other,
    }
}

/// One step of the recent history the rules look back on; runs of closing
/// punctuation and of spaces count as one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Start,
    Other,
    Cr,
    Lf,
    ATerm,
    UpperLower,
    ClosePlus,
    SpPlus,
    STerm,
}

/// The last four parts, most recent last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct History([Part; 4]);

impl History {
    const START: History = History([Part::Start; 4]);

    fn after(self, category: Category) -> History {
        let parts = self.0;
        match (parts[3], category) {
            (Part::ClosePlus, Category::Close) | (Part::SpPlus, Category::Sp) => self,
            _ => History([parts[1], parts[2], parts[3], part_of(category)]),
        }
    }

    fn last(self) -> Part {
        self.0[3]
    }

    /// Whether the history ends with a terminator, then closers (`SATerm
    /// Close*`).
    fn after_terminator_and_closers(self) -> bool {
        let parts = self.0;
        let index = if parts[3] == Part::ClosePlus { 2 } else { 3 };
        is_terminator(parts[index])
    }

    /// The part before any trailing spaces and closers (`X Close* Sp*`).
    fn before_closers_and_spaces(self) -> Part {
        let parts = self.0;
        let mut index = if parts[3] == Part::SpPlus { 2 } else { 3 };
        if parts[index] == Part::ClosePlus {
            index -= 1;
        }
        parts[index]
    }

    /// `SATerm Close* Sp* ParaSep?`, rule SB11.
    fn ends_sentence(self) -> bool {
        let parts = self.0;
        let mut index = if matches!(parts[3], Part::Cr | Part::Lf) {
            2
        } else {
            3
        };
        if parts[index] == Part::SpPlus {
            index -= 1;
        }
        if parts[index] == Part::ClosePlus {
            index -= 1;
        }
        is_terminator(parts[index])
    }
}

fn part_of(category: Category) -> Part {
    match category {
        Category::Cr => Part::Cr,
        Category::Lf => Part::Lf,
        Category::ATerm => Part::ATerm,
        Category::Upper | Category::Lower => Part::UpperLower,
        Category::Close => Part::ClosePlus,
        Category::Sp => Part::SpPlus,
        Category::STerm => Part::STerm,
        Category::Numeric | Category::SContinue | Category::Other => Part::Other,
    }
}

fn is_terminator(part: Part) -> bool {
    matches!(part, Part::ATerm | Part::STerm)
}

/// Rule SB8: after a full stop (`ATerm Close* Sp*`), no break before a
/// lower-case letter reached through anything but letters, separators and
/// terminators.
fn lower_case_follows(history: History, ahead: &[u8]) -> bool {
    if history.before_closers_and_spaces() != Part::ATerm {
        return false;
    }
    for &byte in ahead {
        match category(byte) {
            Category::Lower => return true,
            Category::Upper | Category::Cr | Category::Lf | Category::STerm | Category::ATerm => {
                return false;
            }
            _ => {}
        }
    }
    false
}

/// Pushes `offset` plus each position of `piece` (all ASCII) where a new
/// sentence begins, the start of the piece excepted.
pub fn push_inner_starts(piece: &[u8], offset: usize, starts: &mut Vec<usize>) {
    let mut history = History::START;
    for (index, &byte) in piece.iter().enumerate() {
        let before = history;
        let category = category(byte);
        history = history.after(category);
        let breaks = match category {
            // SB1: the start of the piece is not an inner start.
            _ if before.last() == Part::Start => false,
            // SB3
            Category::Lf if before.last() == Part::Cr => false,
            // SB4
            _ if matches!(before.last(), Part::Cr | Part::Lf) => true,
            // SB6
            Category::Numeric if before.last() == Part::ATerm => false,
            // SB7
            Category::Upper if before.0[2..] == [Part::UpperLower, Part::ATerm] => false,
            // SB8
            _ if lower_case_follows(before, &piece[index..]) => false,
            // SB8a, and SB10 (spaces and line breaks after a terminator).
            Category::SContinue
            | Category::STerm
            | Category::ATerm
            | Category::Sp
            | Category::Cr
            | Category::Lf
                if is_terminator(before.before_closers_and_spaces()) =>
            {
                false
            }
            // SB9
            Category::Close if before.after_terminator_and_closers() => false,
            // SB11, else SB998.
            _ => before.ends_sentence(),
        };
        if breaks {
            starts.push(offset + index);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    fn fast(text: &str) -> Vec<usize> {
        let mut starts = Vec::new();
        push_inner_starts(text.as_bytes(), 0, &mut starts);
        starts
    }

    fn segmenter(text: &str) -> Vec<usize> {
        text.split_sentence_bound_indices()
            .skip(1)
            .map(|(start, _)| start)
            .collect()
    }

    #[test]
    fn every_ascii_character_in_every_short_pattern() {
        let all: Vec<char> = (0u8..=0x7f).map(char::from).collect();
        for &x in &all {
            for &y in &all {
                for text in [
                    format!("ab{x}{y}"),
                    format!("a.{x}{y}b"),
                    format!("a.{x} {y}B"),
                    format!("A.{x}{y}c"),
                    format!("x{y}.) {x}a"),
                    format!("{x}\r{y}!\" {x}"),
                ] {
                    assert_eq!(fast(&text), segmenter(&text), "{text:?}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn agrees_with_the_segmenter(text in "[a-cA-C0-9 .!?,;:\"'()\\[\\]\\n\\r\\t\\x0b\\x0c\\-#*]{0,40}") {
            prop_assert_eq!(fast(&text), segmenter(&text));
        }
    }
}
