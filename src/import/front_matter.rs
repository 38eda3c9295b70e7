//! Writing front matter: values quoted only when the library's reader (or a YAML
//! reader such as a notes app) would take them for something else, and single
//! fields set in an existing block without disturbing the lines around them, so
//! a person's own front matter survives an import.
//!
//! The text given here has been sanitized: lines end with `\n` only.

/// One `key: value` line (without its `\n`).
pub fn field_line(key: &str, value: &str) -> String {
    format!("{key}: {}", scalar(value))
}

/// A list value as an inline list: `[diplomacy, "a, b"]`.
pub fn inline_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|item| list_item(item)).collect();
    format!("[{}]", items.join(", "))
}

/// A value as written after `key: `, quoted when needed.
fn scalar(value: &str) -> String {
    let needs_quotes = value.is_empty()
        || value.starts_with([
            '"', '\'', '[', ']', '{', '}', '>', '|', '*', '&', '!', '%', '@', '`', '#', ',', '?',
            ':', '-',
        ])
        || value.contains(": ")
        || value.contains(" #")
        || value.ends_with(':')
        || looks_like_yaml_keyword(value);
    if needs_quotes {
        quoted(value)
    } else {
        value.to_string()
    }
}

/// Words a YAML reader would take for a boolean or nothing rather than text.
fn looks_like_yaml_keyword(value: &str) -> bool {
    ["true", "false", "yes", "no", "on", "off", "null", "~"]
        .iter()
        .any(|word| value.eq_ignore_ascii_case(word))
}

fn list_item(item: &str) -> String {
    if item.contains([',', '[', ']', '"', '\'', '#']) || item.starts_with(['-', ':', '&', '*']) {
        quoted(item)
    } else {
        item.to_string()
    }
}

/// Double quotes with `\` and `"` escaped, as both the library and YAML read them.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Whether `text` opens with a front matter block (a first line of `---`).
pub fn has_front_matter(text: &str) -> bool {
    fields(text).is_some()
}

/// Whether the front matter of `text` has a line for `key`.
pub fn has_field(text: &str, key: &str) -> bool {
    fields(text).is_some_and(|(start, end)| {
        text[start..end]
            .split_inclusive('\n')
            .any(|line| key_of(line).is_some_and(|k| k.eq_ignore_ascii_case(key)))
    })
}

/// `text` with the front matter's `key` set to `line` (a whole `key: value`
/// line): an existing line for `key` (with the `- item` lines of a block list
/// under it) is replaced in place; a missing one is added, `id` first and other
/// keys last. Without a front matter block, `text` is returned unchanged.
pub fn set_field(text: &str, key: &str, line: &str) -> String {
    let Some((start, end)) = fields(text) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len() + line.len() + 1);
    out.push_str(&text[..start]);
    let mut replaced = false;
    let mut skipping_items = false;
    if key == "id" {
        push_line(&mut out, line);
        replaced = true;
    }
    for existing in text[start..end].split_inclusive('\n') {
        if skipping_items && is_continuation(existing) {
            continue;
        }
        skipping_items = false;
        if key_of(existing).is_some_and(|k| k.eq_ignore_ascii_case(key)) {
            if !replaced {
                push_line(&mut out, line);
                replaced = true;
            }
            // An empty value is followed by its block list, if any.
            skipping_items = existing
                .split_once(':')
                .is_some_and(|(_, v)| v.trim().is_empty());
            continue;
        }
        out.push_str(existing);
    }
    if !replaced {
        push_line(&mut out, line);
    }
    out.push_str(&text[end..]);
    out
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// The byte range of the lines between the opening `---` and the closing one.
fn fields(text: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    offset += first.len();
    let start = offset;
    for line in lines {
        if line.trim_end() == "---" {
            return Some((start, offset));
        }
        offset += line.len();
    }
    None
}

/// The key of a `key: value` line at the start of a line.
fn key_of(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '-', '#']) {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    let key = key.trim();
    (!key.is_empty()).then_some(key)
}

/// An indented line or a `- item` line, which belongs to the key above it.
fn is_continuation(line: &str) -> bool {
    line.starts_with([' ', '\t']) || (line.starts_with('-') && line.trim_end() != "---")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_are_written_as_they_are() {
        assert_eq!(
            field_line("title", "How diplomacy works, and why."),
            "title: How diplomacy works, and why."
        );
        assert_eq!(field_line("date", "2025-08-12"), "date: 2025-08-12");
    }

    #[test]
    fn values_that_would_be_misread_are_quoted() {
        assert_eq!(
            field_line("title", "Rust: a \"safe\" language"),
            "title: \"Rust: a \\\"safe\\\" language\""
        );
        assert_eq!(
            field_line("title", "[draft] notes"),
            "title: \"[draft] notes\""
        );
        assert_eq!(field_line("title", "- dash"), "title: \"- dash\"");
        assert_eq!(
            field_line("title", "C:\\path #1"),
            "title: \"C:\\\\path #1\""
        );
        assert_eq!(field_line("subtitle", ""), "subtitle: \"\"");
        assert_eq!(field_line("title", "Yes"), "title: \"Yes\"");
    }

    #[test]
    fn lists_quote_only_the_items_that_need_it() {
        let tags = [
            "diplomacy".to_string(),
            "a, b".to_string(),
            "culture".to_string(),
        ];
        assert_eq!(inline_list(&tags), "[diplomacy, \"a, b\", culture]");
        assert_eq!(inline_list(&[]), "[]");
    }

    #[test]
    fn an_id_is_added_first_and_other_keys_last() {
        let text = "---\ntitle: T\nauthor: me\n---\n\nBody\n";
        assert_eq!(
            set_field(text, "id", "id: t"),
            "---\nid: t\ntitle: T\nauthor: me\n---\n\nBody\n"
        );
        assert_eq!(
            set_field(text, "tags", "tags: [a]"),
            "---\ntitle: T\nauthor: me\ntags: [a]\n---\n\nBody\n"
        );
    }

    #[test]
    fn an_existing_field_is_replaced_in_place_with_its_block_list() {
        let text = "---\nid: old\ntags:\n  - a\n  - b\nsource: x\n---\nBody\n";
        assert_eq!(
            set_field(text, "tags", "tags: [c]"),
            "---\nid: old\ntags: [c]\nsource: x\n---\nBody\n"
        );
        assert_eq!(
            set_field(text, "id", "id: new"),
            "---\nid: new\ntags:\n  - a\n  - b\nsource: x\n---\nBody\n"
        );
        assert_eq!(
            set_field("---\nTitle: a\n---\n", "title", "title: b"),
            "---\ntitle: b\n---\n"
        );
    }

    #[test]
    fn fields_are_found_only_inside_the_block() {
        assert!(has_front_matter("---\n---\nBody\n"));
        assert!(!has_front_matter("# Title\n---\n"));
        assert!(!has_front_matter("---\nnever closed\n"));
        assert!(has_field("---\nid: x\n---\n", "id"));
        assert!(!has_field("---\ntitle: x\n---\nid: y\n", "id"));
        assert!(!has_field("---\ntags:\n  - id: y\n---\n", "id"));
        let body_only = "No front matter\n";
        assert_eq!(set_field(body_only, "id", "id: x"), body_only);
    }
}
