//! What can be wrong with a typed query, in words short enough for a status line.

/// Longest piece of a query quoted back in a message.
const QUOTED_CHARS: usize = 24;

/// Why a query cannot be used. Every message fits a status line and names the
/// offending piece of the query.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// A term, in regex mode, is not a valid regular expression.
    #[error("bad regex `{term}`: {reason}")]
    BadRegex { term: String, reason: String },
    /// A term would compile to a matcher larger than gloss allows.
    #[error("search term too long or complex: `{term}`")]
    TooLarge { term: String },
    /// `tag:` with nothing after it.
    #[error("tag: needs a name, as in tag:funding")]
    MissingTagName,
    /// `has:` followed by something gloss does not know.
    #[error("unknown filter `{filter}` (try has:note)")]
    UnknownFilter { filter: String },
}

impl QueryError {
    pub(super) fn from_regex(term: &str, error: &regex::Error) -> Self {
        match error {
            regex::Error::CompiledTooBig(_) => QueryError::TooLarge { term: quoted(term) },
            other => QueryError::BadRegex {
                term: quoted(term),
                reason: short_reason(&other.to_string()),
            },
        }
    }
}

/// `term` cut to a length a status line can show.
pub(super) fn quoted(term: &str) -> String {
    if term.chars().count() <= QUOTED_CHARS {
        return term.to_owned();
    }
    let mut cut: String = term.chars().take(QUOTED_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// The one-line cause out of the regex crate's multi-line report (which draws
/// the pattern and a caret, and ends with `error: …`).
fn short_reason(report: &str) -> String {
    report
        .lines()
        .rev()
        .find_map(|line| line.trim().strip_prefix("error: "))
        .or_else(|| report.lines().find(|line| !line.trim().is_empty()))
        .unwrap_or("invalid pattern")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_terms_are_cut_for_the_status_line() {
        assert_eq!(quoted("short"), "short");
        let long = "x".repeat(100);
        let cut = quoted(&long);
        assert_eq!(cut.chars().count(), QUOTED_CHARS);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn regex_reports_shrink_to_their_cause() {
        let report = "regex parse error:\n    (ab\n    ^\nerror: unclosed group";
        assert_eq!(short_reason(report), "unclosed group");
        assert_eq!(short_reason("something odd"), "something odd");
        assert_eq!(short_reason(""), "invalid pattern");
    }

    #[test]
    fn messages_are_single_lines() {
        let error = QueryError::BadRegex {
            term: "(ab".into(),
            reason: "unclosed group".into(),
        };
        assert_eq!(error.to_string(), "bad regex `(ab`: unclosed group");
        assert!(!QueryError::MissingTagName.to_string().contains('\n'));
    }
}
