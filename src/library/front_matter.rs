//! The small metadata block at the top of an article, between two `---` lines.
//!
//! It is a flat list of `key: value` lines: a strict subset of YAML on purpose, so
//! reading it never recurses, is bounded by [`MAX_FRONT_MATTER_BYTES`], and every
//! mistake can be reported with its line number. Values are returned raw; the
//! caller sanitizes them.

/// A front matter block larger than this is an error (it is almost certainly a
/// missing closing `---`).
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// The fields gloss knows, as written (quotes removed, not yet sanitized).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub id: Option<String>,
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
}

/// What is wrong with a front matter block, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct FrontMatterError {
    /// 1-based line number in the file.
    pub line: usize,
    pub message: String,
}

/// An article split into its front matter and its Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    pub body: &'a str,
    /// 1-based line number of the body's first line in the file.
    pub body_line: usize,
    /// Keys given more than once, each with the line of a repeat (the last
    /// value is the one used): worth a warning, not a refusal.
    pub repeated: Vec<(usize, String)>,
}

/// Separates the front matter (if the first line is `---`) from the body.
///
/// A leading UTF-8 BOM and CRLF line endings are tolerated.
pub fn split(source: &str) -> Result<Split<'_>, FrontMatterError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut lines = Lines::new(source);
    match lines.next() {
        Some((_, first)) if is_fence(first) => {}
        _ => {
            return Ok(Split {
                front_matter: FrontMatter::default(),
                body: source,
                body_line: 1,
                repeated: Vec::new(),
            });
        }
    }
    let mut reader = FieldReader::default();
    while let Some((line_no, line)) = lines.next() {
        if lines.offset > MAX_FRONT_MATTER_BYTES {
            return Err(FrontMatterError {
                line: line_no,
                message: format!(
                    "the front matter is longer than {} KiB; is the closing `---` missing?",
                    MAX_FRONT_MATTER_BYTES / 1024
                ),
            });
        }
        if is_fence(line) {
            reader.finish()?;
            return Ok(Split {
                front_matter: reader.fields,
                body: &source[lines.offset..],
                body_line: line_no + 1,
                repeated: reader.repeated,
            });
        }
        reader.read_line(line_no, line)?;
    }
    Err(FrontMatterError {
        line: 1,
        message: "the front matter opened with `---` is never closed; add a `---` line after \
                  the last `key: value` line"
            .to_string(),
    })
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Lines with their 1-based numbers, without their line ends; `offset` is the byte
/// offset just past the last line returned.
struct Lines<'a> {
    rest: &'a str,
    offset: usize,
    number: usize,
}

impl<'a> Lines<'a> {
    fn new(source: &'a str) -> Self {
        Lines {
            rest: source,
            offset: 0,
            number: 0,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        // `\n`, `\r\n` or a lone `\r` (old Mac files) end a line, as in CommonMark.
        let (line, consumed) = match self.rest.find(['\n', '\r']) {
            Some(end) if self.rest[end..].starts_with("\r\n") => (&self.rest[..end], end + 2),
            Some(end) => (&self.rest[..end], end + 1),
            None => (self.rest, self.rest.len()),
        };
        self.rest = &self.rest[consumed..];
        self.offset += consumed;
        self.number += 1;
        Some((self.number, line))
    }
}

/// Reads `key: value` lines one at a time; a key with an empty value may be
/// followed by `- item` lines (a YAML block list), which only `tags` accepts.
#[derive(Default)]
struct FieldReader {
    fields: FrontMatter,
    /// The key whose `- item` lines are being read, and the line it was on.
    open_list: Option<(String, usize)>,
    list_items: Vec<String>,
    /// Every key read so far, and the repeats found.
    seen: Vec<String>,
    repeated: Vec<(usize, String)>,
}

impl FieldReader {
    fn read_line(&mut self, line_no: usize, line: &str) -> Result<(), FrontMatterError> {
        let error = |message: String| FrontMatterError {
            line: line_no,
            message,
        };
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return Ok(());
        }
        if self.open_list.is_some()
            && let Some(item) = trimmed.strip_prefix('-')
            && (item.is_empty() || item.starts_with([' ', '\t']))
        {
            let item = parse_scalar(item.trim()).map_err(error)?;
            self.list_items.push(item);
            return Ok(());
        }
        self.finish()?;
        if line.starts_with([' ', '\t']) {
            return Err(error(
                "indented line; front matter is flat `key: value` lines \
                 (write lists as `tags: [a, b]`)"
                    .to_string(),
            ));
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(error(format!(
                "expected `key: value`, found `{}`",
                shorten(trimmed)
            )));
        };
        let key = key.trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(error(format!(
                "`{}` is not a key; keys are single words such as `title` or `tags`",
                shorten(key)
            )));
        }
        let value = value.trim();
        let lowercase = key.to_ascii_lowercase();
        if self.seen.contains(&lowercase) {
            self.repeated.push((line_no, lowercase.clone()));
        } else {
            self.seen.push(lowercase);
        }
        if value.is_empty() {
            self.open_list = Some((key.to_ascii_lowercase(), line_no));
            return Ok(());
        }
        let value = parse_value(value).map_err(error)?;
        self.set(&key.to_ascii_lowercase(), value)
            .map_err(|message| FrontMatterError {
                line: line_no,
                message,
            })
    }

    /// Closes a key left without an inline value: its `- item` lines (if any)
    /// become its value.
    fn finish(&mut self) -> Result<(), FrontMatterError> {
        let Some((key, line)) = self.open_list.take() else {
            return Ok(());
        };
        let items = std::mem::take(&mut self.list_items);
        let value = if items.is_empty() {
            Value::Empty
        } else {
            Value::List(items)
        };
        self.set(&key, value)
            .map_err(|message| FrontMatterError { line, message })
    }

    fn set(&mut self, key: &str, value: Value) -> Result<(), String> {
        if key == "tags" {
            self.fields.tags = match value {
                Value::Empty => Vec::new(),
                Value::One(tag) => vec![tag],
                Value::List(tags) => tags,
            };
            return Ok(());
        }
        let slot = match key {
            "id" => &mut self.fields.id,
            "title" => &mut self.fields.title,
            "subtitle" => &mut self.fields.subtitle,
            "date" => &mut self.fields.date,
            "source" => &mut self.fields.source,
            _ => return Ok(()),
        };
        *slot = match value {
            Value::Empty => None,
            Value::One(text) => Some(text),
            Value::List(_) => {
                return Err(format!("`{key}` takes one value, not a list"));
            }
        };
        Ok(())
    }
}

enum Value {
    Empty,
    One(String),
    List(Vec<String>),
}

/// An inline list `[a, "b c"]` or a single (possibly quoted) value.
fn parse_value(value: &str) -> Result<Value, String> {
    if let Some(inner) = value.strip_prefix('[') {
        let Some(inner) = inner.trim_end().strip_suffix(']') else {
            return Err("the list opened with `[` is not closed with `]` on the same line".into());
        };
        return parse_inline_list(inner).map(Value::List);
    }
    parse_scalar(value).map(Value::One)
}

fn parse_inline_list(inner: &str) -> Result<Vec<String>, String> {
    let mut items = Vec::new();
    let mut rest = inner.trim_start();
    while !rest.is_empty() {
        let (item, after) = if rest.starts_with(['"', '\'']) {
            let (item, len) = parse_quoted(rest)?;
            (item, &rest[len..])
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            (rest[..end].trim().to_string(), &rest[end..])
        };
        let after = after.trim_start();
        rest = match after.strip_prefix(',') {
            Some(next) => next.trim_start(),
            None if after.is_empty() => after,
            None => {
                return Err(format!(
                    "unexpected `{}` after a list item; separate items with commas",
                    shorten(after)
                ));
            }
        };
        if !item.is_empty() {
            items.push(item);
        }
    }
    Ok(items)
}

/// A value, unquoted or wrapped in single or double quotes.
fn parse_scalar(value: &str) -> Result<String, String> {
    if !value.starts_with(['"', '\'']) {
        return Ok(value.to_string());
    }
    let (text, len) = parse_quoted(value)?;
    let after = value[len..].trim();
    if after.is_empty() || after.starts_with('#') {
        Ok(text)
    } else {
        Err(format!(
            "unexpected `{}` after the closing quote",
            shorten(after)
        ))
    }
}

/// Reads a quoted string at the start of `text`; returns it and the bytes used.
/// Double quotes allow `\"` and `\\`; single quotes allow `''` (as in YAML).
fn parse_quoted(text: &str) -> Result<(String, usize), String> {
    let mut chars = text.char_indices();
    let Some((_, quote)) = chars.next() else {
        return Err("expected a quoted value".into());
    };
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            if quote == '\'' && text[i + 1..].starts_with('\'') {
                chars.next();
                out.push('\'');
                continue;
            }
            return Ok((out, i + c.len_utf8()));
        }
        if quote == '"' && c == '\\' {
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, escaped)) => out.push(escaped),
                None => break,
            }
            continue;
        }
        out.push(c);
    }
    Err(format!(
        "the value opened with {quote} has no closing {quote} on the same line"
    ))
}

/// A bounded excerpt of user text for an error message.
fn shorten(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    if text.chars().count() <= MAX_CHARS {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(MAX_CHARS).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn fields(source: &str) -> FrontMatter {
        split(source).unwrap().front_matter
    }

    fn error_at(source: &str) -> (usize, String) {
        let err = split(source).unwrap_err();
        (err.line, err.message)
    }

    #[test]
    fn no_front_matter_leaves_the_body_whole() {
        let split = split("# Title\n\nText\n").unwrap();
        assert_eq!(split.front_matter, FrontMatter::default());
        assert_eq!(split.body, "# Title\n\nText\n");
        assert_eq!(split.body_line, 1);
    }

    #[test]
    fn reads_every_known_field() {
        let source = "---\nid: cultural-diplomacy\ntitle: How diplomacy works\nsubtitle: A \
                      study\ndate: 2025-08-12\nsource: https://example.org/x?a=1\ntags: \
                      [diplomacy, culture]\n---\n\n# Body\n";
        let split = split(source).unwrap();
        let fm = split.front_matter;
        assert_eq!(fm.id.as_deref(), Some("cultural-diplomacy"));
        assert_eq!(fm.title.as_deref(), Some("How diplomacy works"));
        assert_eq!(fm.subtitle.as_deref(), Some("A study"));
        assert_eq!(fm.date.as_deref(), Some("2025-08-12"));
        assert_eq!(fm.source.as_deref(), Some("https://example.org/x?a=1"));
        assert_eq!(fm.tags, ["diplomacy", "culture"]);
        assert_eq!(split.body, "\n# Body\n");
        assert_eq!(split.body_line, 9);
    }

    #[test]
    fn tolerates_bom_crlf_comments_blank_lines_and_unknown_keys() {
        let source = "\u{feff}---\r\n# a comment\r\n\r\ntitle: T\r\nlayout: post\r\n---\r\nBody";
        let split = split(source).unwrap();
        assert_eq!(split.front_matter.title.as_deref(), Some("T"));
        assert_eq!(split.body, "Body");
    }

    #[test]
    fn carriage_returns_alone_end_lines_too() {
        let split = split("---\rid: cr\rtitle: Carriage\r---\r\rBody\r").unwrap();
        assert_eq!(split.front_matter.id.as_deref(), Some("cr"));
        assert_eq!(split.front_matter.title.as_deref(), Some("Carriage"));
        assert_eq!(split.body, "\rBody\r");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn a_repeated_key_is_noted_with_its_line_and_the_last_value_used() {
        let split = split("---\ntitle: One\ndate: 2025-01-01\nTitle: Two\n---\n").unwrap();
        assert_eq!(split.front_matter.title.as_deref(), Some("Two"));
        assert_eq!(split.repeated, [(4, "title".to_string())]);
        assert!(fields_repeated("---\ntags:\n- a\n- b\ntitle: T\n---\n").is_empty());
    }

    fn fields_repeated(source: &str) -> Vec<(usize, String)> {
        split(source).unwrap().repeated
    }

    #[test]
    fn quotes_are_removed_and_keep_colons_and_hashes() {
        let fm = fields(
            "---\ntitle: \"Rust: a \\\"safe\\\" language\"\nsubtitle: 'It''s # fine'\n---\n",
        );
        assert_eq!(fm.title.as_deref(), Some("Rust: a \"safe\" language"));
        assert_eq!(fm.subtitle.as_deref(), Some("It's # fine"));
    }

    #[test]
    fn tags_accept_a_single_value_quoted_items_and_block_lists() {
        assert_eq!(fields("---\ntags: solo\n---\n").tags, ["solo"]);
        assert_eq!(
            fields("---\ntags: [a, \"c, d\", 'e f', ]\n---\n").tags,
            ["a", "c, d", "e f"]
        );
        assert_eq!(
            fields("---\ntags:\n  - one\n  - \"two\"\n---\n").tags,
            ["one", "two"]
        );
        assert!(fields("---\ntags: []\n---\n").tags.is_empty());
    }

    #[test]
    fn an_empty_value_means_absent() {
        let fm = fields("---\ntitle:\nsubtitle: \"\"\n---\n");
        assert_eq!(fm.title, None);
        assert_eq!(fm.subtitle.as_deref(), Some(""));
    }

    #[test]
    fn a_missing_closing_line_is_reported() {
        let (line, message) = error_at("---\ntitle: T\n\n# Body\n");
        assert_eq!(line, 1);
        assert!(message.contains("never closed"), "{message}");
    }

    #[test]
    fn a_line_without_key_names_its_line() {
        let (line, message) = error_at("---\ntitle: T\njust some words\n---\n");
        assert_eq!(line, 3);
        assert!(message.contains("key: value"), "{message}");
    }

    #[test]
    fn unterminated_quotes_and_lists_name_their_line() {
        let (line, message) = error_at("---\nid: x\ntitle: \"open\n---\n");
        assert_eq!(line, 3);
        assert!(message.contains("no closing"), "{message}");
        let (line, message) = error_at("---\ntags: [a, b\n---\n");
        assert_eq!(line, 2);
        assert!(message.contains("not closed"), "{message}");
        let (line, _) = error_at("---\ntags: [\"a, b]\n---\n");
        assert_eq!(line, 2);
    }

    #[test]
    fn text_after_a_closing_quote_is_an_error() {
        let (line, message) = error_at("---\ntitle: \"a\" b\n---\n");
        assert_eq!(line, 2);
        assert!(message.contains("after the closing quote"), "{message}");
    }

    #[test]
    fn nested_values_are_refused() {
        let (line, message) = error_at("---\nauthor:\n  name: x\n---\n");
        assert_eq!(line, 3);
        assert!(message.contains("indented"), "{message}");
        let (line, message) = error_at("---\ntitle:\n  - a\n  - b\n---\n");
        assert_eq!(line, 2);
        assert!(message.contains("one value"), "{message}");
    }

    #[test]
    fn oversized_front_matter_is_an_error() {
        let source = format!("---\n{}", "x: y\n".repeat(MAX_FRONT_MATTER_BYTES / 5 + 10));
        let (line, message) = error_at(&source);
        assert!(line > 1000);
        assert!(message.contains("KiB"), "{message}");
    }

    #[test]
    fn error_messages_quote_bounded_excerpts() {
        let long = "w".repeat(10_000);
        let (_, message) = error_at(&format!("---\n{long}\n---\n"));
        assert!(message.len() < 200, "{}", message.len());
    }

    proptest::proptest! {
        /// Any text, however broken its front matter: a split or an error
        /// whose line is in the text, never a panic, and the body is what
        /// follows the closing fence.
        #[test]
        fn any_front_matter_splits_or_names_a_line(source in front_matter_like()) {
            match split(&source) {
                Ok(split) => {
                    proptest::prop_assert!(source.ends_with(split.body));
                    proptest::prop_assert!(split.body_line >= 1);
                }
                Err(err) => {
                    let lines = source.split(['\n', '\r']).count().max(1);
                    proptest::prop_assert!(err.line >= 1 && err.line <= lines, "{} of {}", err.line, lines);
                }
            }
        }

        /// Values written the way `gloss import` writes them read back as written.
        #[test]
        fn quoted_values_read_back(title in "[^\\p{Cc}]{0,40}", tag in "[a-z][a-z0-9 -]{0,12}") {
            let quoted = format!("\"{}\"", title.replace('\\', "\\\\").replace('"', "\\\""));
            let source = format!("---\ntitle: {quoted}\ntags: [\"{tag}\"]\n---\nBody\n");
            let fields = split(&source).unwrap().front_matter;
            proptest::prop_assert_eq!(fields.title.unwrap_or_default(), title);
            proptest::prop_assert_eq!(fields.tags, vec![tag]);
        }
    }

    /// Text made of the pieces front matter is built from.
    fn front_matter_like() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just("---".to_owned()),
            Just("\n".to_owned()),
            Just("\r\n".to_owned()),
            Just("\r".to_owned()),
            Just(": ".to_owned()),
            Just("title".to_owned()),
            Just("tags".to_owned()),
            Just("- ".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just(", ".to_owned()),
            Just("\"".to_owned()),
            Just("'".to_owned()),
            Just("\\".to_owned()),
            Just("  ".to_owned()),
            Just("#".to_owned()),
            Just("\u{feff}".to_owned()),
            "[a-z成é]{1,4}".prop_map(|s| s),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }
}
