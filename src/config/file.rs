//! The configuration file as written: its RON shape, read with serde. Values
//! stay strings and numbers here; `validate` turns them into settings, so
//! that each mistake can be explained in the file's own words.

use std::fmt;
use std::marker::PhantomData;

use ron::extensions::Extensions;
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use super::error::Problem;
use super::locate::Source;

/// The whole file. Every field may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default, rename = "config")]
pub(super) struct ConfigFile {
    pub theme: Option<String>,
    /// Wider than the setting, so that a number out of range gets its own
    /// message rather than RON's.
    pub reading_width: Option<i64>,
    pub export_dir: Option<String>,
    pub highlight_colors: ColorsFile,
    pub keys: Ordered<Ordered<String>>,
}

/// `highlight_colors: (yellow: "#ffd75f", …)`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default, rename = "highlight_colors")]
pub(super) struct ColorsFile {
    pub yellow: Option<String>,
    pub green: Option<String>,
    pub blue: Option<String>,
    pub pink: Option<String>,
    pub purple: Option<String>,
}

impl ColorsFile {
    /// `(name, value)` for each colour given, in the order of the colours.
    pub fn given(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("yellow", &self.yellow),
            ("green", &self.green),
            ("blue", &self.blue),
            ("pink", &self.pink),
            ("purple", &self.purple),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.as_deref().map(|v| (name, v)))
    }
}

/// A map read in the order written, keeping repeated keys, so that a key
/// given twice can be reported instead of one silently winning.
#[derive(Debug)]
pub(super) struct Ordered<V>(pub Vec<(String, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<V>(PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for OrderedVisitor<V> {
            type Value = Ordered<V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map such as { \"name\": value }")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, V>()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }

        deserializer.deserialize_map(OrderedVisitor(PhantomData))
    }
}

/// Parses the file's text. A file of nothing but blank lines and comments is
/// an empty configuration. Every setting that cannot be read is reported,
/// each at its line, not only the first.
pub(super) fn read(text: &str) -> Result<ConfigFile, Vec<Problem>> {
    // `export_dir: "~/notes"` rather than `Some("~/notes")`.
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    match options.from_str::<ConfigFile>(text) {
        Ok(file) => Ok(file),
        Err(err) => {
            // RON cannot parse nothing: try the text followed by an empty
            // struct, which parses only when the text held nothing but blank
            // lines and comments.
            if let Ok(empty) = options.from_str::<ConfigFile>(&format!("{text}\n()")) {
                return Ok(empty);
            }
            let first = Problem::at(err.span.start.line, explain(&err.code));
            Err(every_problem(&options, text, first))
        }
    }
}

/// The problems of a file whose syntax is sound but whose settings are not:
/// each top-level setting is read on its own, so that a wrong theme does not
/// hide a wrong width. `first` is RON's own error, which leads the list (a
/// syntax error is all there is to say).
fn every_problem(options: &ron::Options, text: &str, first: Problem) -> Vec<Problem> {
    let mut problems = vec![first];
    if options.from_str::<ron::Value>(text).is_err() {
        return problems;
    }
    let source = Source::new(text);
    for entry in source.top_level_entries() {
        let line = source.line_of(entry.start);
        let alone = format!("({})", source.code(entry));
        if let Err(err) = options.from_str::<ConfigFile>(&alone) {
            let problem = Problem::at(line + err.span.start.line - 1, explain(&err.code));
            if !problems.iter().any(|known| known.line == problem.line) {
                problems.push(problem);
            }
        }
    }
    problems.sort_by_key(|problem| problem.line);
    problems
}

/// RON's error in the words of this file.
fn explain(code: &ron::Error) -> String {
    match code {
        ron::Error::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            let place = match outer.as_deref() {
                Some("config") | None => String::new(),
                Some(outer) => format!(" in {outer}"),
            };
            format!(
                "unknown setting '{found}'{place}; the settings there are {}",
                expected.join(", ")
            )
        }
        ron::Error::DuplicateStructField { field, .. } => {
            format!("'{field}' is set twice; keep one")
        }
        ron::Error::ExpectedComma => "a comma is missing between two settings or entries (often at the end of the line before)".to_string(),
        ron::Error::ExpectedStringEnd => "a string is not closed: a \" is missing".to_string(),
        ron::Error::Eof => "the file ends too soon: a bracket or a quote is not closed".to_string(),
        ron::Error::ExpectedStructLike => {
            "expected the settings in round brackets: ( theme: \"dark\", … )".to_string()
        }
        other => {
            let reason = other.to_string();
            format!("{reason}; `gloss config --default` prints a valid file to compare with")
        }
    }
}
