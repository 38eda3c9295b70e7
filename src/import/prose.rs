//! Telling lines of prose apart without any markup: a short single sentence on
//! its own line between paragraphs reads as a heading, a long one as a
//! paragraph. Plain and scraped text share these rules.

/// Heading-like lines are at most this many characters…
const MAX_HEADING_CHARS: usize = 120;
/// …and this many words.
const MAX_HEADING_WORDS: usize = 20;

/// Runs of whitespace (tabs, several spaces) as one space, ends trimmed.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `line` is short enough to be a heading: a few words, one sentence
/// at most (a full stop at its end is fine, one in the middle is not).
pub fn is_heading_like(line: &str) -> bool {
    let line = line.trim();
    if line.is_empty()
        || line.chars().count() > MAX_HEADING_CHARS
        || line.split_whitespace().count() > MAX_HEADING_WORDS
    {
        return false;
    }
    let inner = line.trim_end_matches(['.', '!', '?', ':']);
    !(inner.contains(". ") || inner.contains("! ") || inner.contains("? "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_collapsed() {
        assert_eq!(collapse_whitespace("  a \t b\u{a0}c  "), "a b c");
    }

    #[test]
    fn short_single_sentences_are_heading_like() {
        assert!(is_heading_like(
            "Collaborative platforms expanding across borders and disciplines."
        ));
        assert!(is_heading_like("Related Articles"));
        assert!(is_heading_like("Why now?"));
        assert!(!is_heading_like("One sentence. Then another."));
        assert!(!is_heading_like(""));
        assert!(!is_heading_like(&"word ".repeat(21)));
        assert!(!is_heading_like(&"x".repeat(121)));
    }
}
