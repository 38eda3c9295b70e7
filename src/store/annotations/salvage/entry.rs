//! Reading one highlight entry on its own. An entry that `ron` reads as a
//! highlight is one, and any field in it this gloss does not know is kept
//! beside it. One that does not read is either not RON at all (a syntax
//! error: damage to the file) or RON with a bad value in it (spoiled: kept as
//! written); either way the person is told which field and what to write.

use std::sync::OnceLock;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::super::nesting::{Brackets, ends_in_line_comment};
use super::offset_of;
use crate::annotation::{Color, Highlight};

/// What one entry gave.
#[derive(Debug)]
pub(super) enum EntryRead {
    Good {
        highlight: Box<Highlight>,
        /// Fields this gloss does not know, as written.
        extras: Vec<(String, String)>,
    },
    /// Good RON, not a good highlight. `at` is the offset in the entry.
    Spoiled {
        at: usize,
        id: Option<String>,
        reason: String,
    },
    /// Not RON as written, but a highlight once the missing commas are put
    /// in: read, and the place reported as damage all the same.
    Mended {
        highlight: Box<Highlight>,
        extras: Vec<(String, String)>,
        at: usize,
        id: Option<String>,
        reason: String,
    },
    /// Not RON. `at` is the offset in the entry.
    Broken {
        at: usize,
        id: Option<String>,
        reason: String,
    },
}

/// Reads the entry `text`, from its `(` to its `)`.
pub(super) fn read_entry(text: &str) -> EntryRead {
    match ron::from_str::<Highlight>(text) {
        Ok(highlight) => {
            let known = highlight_fields();
            let extras = fields(text)
                .into_iter()
                .filter(|field| !known.contains(&field.name.trim_start_matches("r#")))
                .map(|field| (field.name.to_owned(), kept_value(field.value)))
                .collect();
            EntryRead::Good {
                highlight: Box::new(highlight),
                extras,
            }
        }
        Err(err) => {
            let id = readable_id(text);
            if let Err(syntax) = ron::from_str::<ron::Value>(text) {
                let at = offset_of(text, syntax.span.start.line, syntax.span.start.col);
                let reason = syntax_advice(&syntax.code);
                if let Some(EntryRead::Good { highlight, extras }) = with_commas_put_in(text) {
                    return EntryRead::Mended {
                        highlight,
                        extras,
                        at,
                        id,
                        reason,
                    };
                }
                return EntryRead::Broken { at, id, reason };
            }
            let at = offset_of(text, err.span.start.line, err.span.start.col);
            let reason = match &err.code {
                ron::error::Error::MissingStructField { field, .. } => {
                    format!(
                        "the field `{field}` is missing: add `{field}: {}`",
                        example(field)
                    )
                }
                ron::error::Error::DuplicateStructField { field, .. } => {
                    format!("the field `{field}` is written twice: keep one of them")
                }
                code => {
                    let field = fields(text)
                        .into_iter()
                        .find(|field| field.range.contains(&at))
                        .map(|field| field.name.trim_start_matches("r#").to_owned());
                    match field.as_deref().and_then(what_to_write) {
                        Some(advice) => advice,
                        None => crate::text::sanitize_line(&code.to_string()),
                    }
                }
            };
            EntryRead::Spoiled { at, id, reason }
        }
    }
}

/// The entry's `id`, when that field reads as a string.
pub(super) fn readable_id(text: &str) -> Option<String> {
    fields(text)
        .into_iter()
        .find(|field| field.name == "id")
        .and_then(|field| ron::from_str::<String>(field.value).ok())
}

/// Commas put back into an entry, at most this many.
const COMMAS_PUT_IN: usize = 4;

/// The entry read again with a comma put in wherever `ron` misses one (the
/// commonest slip by hand), if that makes it a good highlight.
fn with_commas_put_in(text: &str) -> Option<EntryRead> {
    put_in_commas(text, |mended| {
        let read = read_entry(mended);
        matches!(read, EntryRead::Good { .. }).then_some(read)
    })
}

/// `accept` of `text` once it is RON with commas put in where `ron` stops
/// for want of one, at most [`COMMAS_PUT_IN`]; `None` when that does not
/// make it RON, or `accept` refuses what it makes.
pub(super) fn put_in_commas<T>(text: &str, accept: impl Fn(&str) -> Option<T>) -> Option<T> {
    use ron::error::Error;
    let mut mended = text.to_owned();
    for _ in 0..=COMMAS_PUT_IN {
        let Err(syntax) = ron::from_str::<ron::Value>(&mended) else {
            return (mended != text).then(|| accept(&mended)).flatten();
        };
        let missing_comma = matches!(
            syntax.code,
            Error::ExpectedComma
                | Error::ExpectedStructLikeEnd
                | Error::ExpectedArrayEnd
                | Error::ExpectedMapEnd
        );
        if !missing_comma {
            return None;
        }
        let at = offset_of(&mended, syntax.span.start.line, syntax.span.start.col);
        // Where ron stops is where the next value starts; the comma goes
        // right after the value before it, on its line.
        let before = mended[..at].trim_end().len();
        mended.insert(before, ',');
    }
    None
}

/// What to write where an entry stops being RON.
fn syntax_advice(code: &ron::error::Error) -> String {
    use ron::error::Error;
    let advice = match code {
        Error::ExpectedComma => {
            "a comma is missing between two fields: write `,` at the end of the field before"
        }
        Error::ExpectedStringEnd => "a string is not closed: a `\"` is missing",
        Error::ExpectedStructLikeEnd => "a `)` is missing, or a comma between two fields",
        Error::ExpectedArrayEnd => "a `]` is missing, or a comma between two tags",
        Error::ExpectedMapColon => "a `:` is missing after the field's name",
        Error::Eof => "the highlight ends too early: a `)` or a value is missing",
        other => {
            let said = crate::text::sanitize_line(&other.to_string());
            return format!("{said}: this highlight is not valid RON here");
        }
    };
    advice.to_owned()
}

/// What the field `name` must hold, said as what to write.
fn what_to_write(name: &str) -> Option<String> {
    let advice = match name {
        "color" => {
            let names: Vec<&str> = Color::ALL.iter().map(|c| c.name()).collect();
            format!("color must be one of {}", names.join(", "))
        }
        "created" | "updated" => {
            format!("{name} must be a time in quotes, such as \"2026-01-02T03:04:05Z\"")
        }
        "tags" => "tags must be a list of strings, such as [\"idea\", \"to read\"]".to_owned(),
        "anchor" => format!("anchor must be written as {}", example("anchor")),
        "id" | "article" | "text_hash" | "note" => {
            format!("{name} must be a string in double quotes")
        }
        _ => return None,
    };
    Some(advice)
}

/// A value to show for a missing field.
fn example(field: &str) -> &'static str {
    match field {
        "created" | "updated" => "\"2026-01-02T03:04:05Z\"",
        "anchor" => {
            "(quote: (exact: \"…\", prefix: \"…\", suffix: \"…\"), position: (block: 0, start: 0, end: 0))"
        }
        "tags" => "[]",
        _ => "\"…\"",
    }
}

/// A value as it is written back: as written, without the blanks around it,
/// and on a line of its own end when it ends in a `//` comment, so that the
/// comma written after it is not swallowed.
fn kept_value(value: &str) -> String {
    let value = value.trim();
    if ends_in_line_comment(value) {
        format!("{value}\n")
    } else {
        value.to_owned()
    }
}

/// One `name: value` of an entry.
#[derive(Debug)]
struct Field<'a> {
    name: &'a str,
    value: &'a str,
    /// Where the field is in the entry, from after the comma before it to
    /// the comma after it.
    range: std::ops::Range<usize>,
}

/// The fields of the entry `text`, cut at the commas directly inside its
/// parentheses; pieces without a name and a colon are left out.
fn fields(text: &str) -> Vec<Field<'_>> {
    let mut cuts: Vec<usize> = Vec::new();
    let mut colons: Vec<Option<usize>> = Vec::new();
    let mut open = None;
    for mark in Brackets::with_separators(text) {
        match (mark.byte, mark.depth) {
            (b'(', 1) if mark.opens && open.is_none() => {
                open = Some(mark.offset);
                cuts.push(mark.offset + 1);
                colons.push(None);
            }
            (b',', 1) if open.is_some() => {
                cuts.push(mark.offset + 1);
                colons.push(None);
            }
            (b':', 1) if open.is_some() => {
                if let Some(colon @ None) = colons.last_mut() {
                    *colon = Some(mark.offset);
                }
            }
            (b')', 1) if !mark.opens && open.is_some() => {
                cuts.push(mark.offset + 1);
                break;
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    for (i, colon) in colons.iter().enumerate() {
        let (Some(&start), Some(&next)) = (cuts.get(i), cuts.get(i + 1)) else {
            break;
        };
        let Some(colon) = *colon else { continue };
        let name = skip_blank(&text[start..colon]).trim_end();
        if name.is_empty()
            || !name
                .trim_start_matches("r#")
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        found.push(Field {
            name,
            value: &text[colon + 1..next - 1],
            range: start..next,
        });
    }
    found
}

/// `text` after any leading whitespace and comments.
fn skip_blank(mut text: &str) -> &str {
    loop {
        let trimmed = text.trim_start();
        if let Some(comment) = trimmed.strip_prefix("//") {
            text = comment.split_once('\n').map_or("", |(_, rest)| rest);
        } else if let Some(comment) = trimmed.strip_prefix("/*") {
            text = comment.split_once("*/").map_or("", |(_, rest)| rest);
        } else {
            return trimmed;
        }
    }
}

/// The names of the fields of [`Highlight`], as its serde form has them, so
/// that a field added to it is never mistaken for one to keep aside.
fn highlight_fields() -> &'static [&'static str] {
    static FIELDS: OnceLock<&'static [&'static str]> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let mut names = FieldNames(&[]);
        let _ = Highlight::deserialize(&mut names);
        names.0
    })
}

/// A deserializer that only notes the field names a struct asks for.
struct FieldNames(&'static [&'static str]);

impl<'de> Deserializer<'de> for &mut FieldNames {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("only field names are read"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = fields;
        Err(de::Error::custom("only field names are read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const GOOD: &str = r#"(
            id: "h-1",
            article: "a",
            text_hash: "0",
            anchor: (quote: (exact: "x", prefix: "", suffix: ""), position: (block: 0, start: 0, end: 1)),
            color: green,
            tags: ["t"],
            note: "n, with: a comma",
            created: "2026-01-01T00:00:00Z",
            updated: "2026-01-01T00:00:00Z",
        )"#;

    #[test]
    fn the_field_names_come_from_the_highlight_itself() {
        let names = highlight_fields();
        assert!(
            names.contains(&"id") && names.contains(&"updated"),
            "{names:?}"
        );
    }

    #[test]
    fn a_good_entry_reads_with_its_unknown_fields_kept() {
        let text = GOOD.replace(
            "color: green,",
            "color: green,\n            mood: (level: 3, words: [\"a, b\"]), // why\n",
        );
        let EntryRead::Good { highlight, extras } = read_entry(&text) else {
            panic!("did not read");
        };
        assert_eq!(highlight.note, "n, with: a comma");
        assert_eq!(
            extras,
            [(
                "mood".to_owned(),
                "(level: 3, words: [\"a, b\"])".to_owned()
            )]
        );
    }

    #[test]
    fn a_bad_colour_spoils_the_entry_and_says_what_to_write() {
        let text = GOOD.replace("color: green", "color: yelow");
        let EntryRead::Spoiled { at, id, reason } = read_entry(&text) else {
            panic!("expected spoiled");
        };
        assert_eq!(&text[at..at + 5], "yelow");
        assert_eq!(id.as_deref(), Some("h-1"));
        assert_eq!(
            reason,
            "color must be one of yellow, green, blue, pink, purple"
        );
    }

    #[test]
    fn a_missing_field_is_named() {
        let text = GOOD.replace("updated: \"2026-01-01T00:00:00Z\",", "");
        let EntryRead::Spoiled { reason, .. } = read_entry(&text) else {
            panic!("expected spoiled");
        };
        assert!(reason.contains("`updated` is missing"), "{reason}");
    }

    #[test]
    fn a_missing_comma_is_reported_where_it_is_and_the_highlight_still_read() {
        for (what, text) in [
            (
                "between fields",
                GOOD.replace("color: green,", "color: green"),
            ),
            (
                "in a list",
                GOOD.replace("tags: [\"t\"]", "tags: [\"t\" \"u\"]"),
            ),
            (
                "in the anchor",
                GOOD.replace("exact: \"x\",", "exact: \"x\""),
            ),
        ] {
            let EntryRead::Mended {
                highlight,
                at,
                id,
                reason,
                ..
            } = read_entry(&text)
            else {
                panic!("{what}: expected mended");
            };
            assert_eq!(highlight.id, "h-1", "{what}");
            assert_eq!(id.as_deref(), Some("h-1"), "{what}");
            assert!(!reason.is_empty(), "{what}");
            assert!(at > 0 && at < text.len(), "{what}");
        }
        let text = GOOD.replace("color: green,", "color: green");
        let EntryRead::Mended { at, reason, .. } = read_entry(&text) else {
            panic!("expected mended");
        };
        assert!(
            text[at..].trim_start().starts_with("tags"),
            "{}",
            &text[at..]
        );
        assert!(reason.starts_with("a comma is missing"), "{reason}");
    }

    #[test]
    fn an_entry_that_no_comma_mends_is_broken() {
        let text = GOOD.replace("note: \"n, with: a comma\",", "note: \"n, with: a comma,");
        let EntryRead::Broken { id, .. } = read_entry(&text) else {
            panic!("expected broken");
        };
        assert_eq!(id.as_deref(), Some("h-1"));
    }

    #[test]
    fn a_value_ending_in_a_line_comment_keeps_its_comma_apart() {
        assert_eq!(kept_value(" 5 // five "), "5 // five\n");
        assert_eq!(kept_value(" \"// not a comment\" "), "\"// not a comment\"");
    }
}
