//! Finding the line of a setting in the file's text, for messages about
//! values that parsed but make no sense (an unknown action, a colour that is
//! not one). Comments are blanked first, so a word in a comment never
//! counts; string contents are kept, since keys and values are strings.

/// The file's text with every comment replaced by spaces (line breaks kept,
/// so offsets and line numbers are those of the file).
#[derive(Debug)]
pub(super) struct Source {
    code: String,
}

impl Source {
    pub fn new(text: &str) -> Source {
        Source {
            code: blank_comments(text),
        }
    }

    /// The line of `name:` (a field), searching from byte `from`.
    pub fn field(&self, name: &str, from: usize) -> Option<(usize, usize)> {
        self.find_before_colon(name, from, |before| {
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    }

    /// The line of `"name":` (a map key), searching from byte `from`.
    pub fn key(&self, name: &str, from: usize) -> Option<(usize, usize)> {
        self.find_before_colon(&format!("\"{name}\""), from, |_| true)
    }

    /// Line and offset of the first `needle` after `from` that is followed by
    /// a colon and whose preceding character passes `before_ok`.
    fn find_before_colon(
        &self,
        needle: &str,
        from: usize,
        before_ok: impl Fn(Option<char>) -> bool,
    ) -> Option<(usize, usize)> {
        let mut start = from.min(self.code.len());
        while let Some(found) = self.code.get(start..)?.find(needle) {
            let at = start + found;
            let end = at + needle.len();
            let before = self.code[..at].chars().next_back();
            let colon_follows = self.code[end..].trim_start().starts_with(':');
            if colon_follows && before_ok(before) {
                return Some((self.line_of(at), end));
            }
            start = end;
        }
        None
    }

    /// Byte ranges of the top-level entries (`name: value`) of a file whose
    /// syntax is sound: what lies between the outer brackets, cut at the
    /// commas that are not inside a string or a nested bracket.
    pub fn top_level_entries(&self) -> Vec<std::ops::Range<usize>> {
        let mut entries = Vec::new();
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let mut start = None;
        for (at, c) in self.code.char_indices() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '(' | '[' | '{' => {
                    depth += 1;
                    if depth == 1 {
                        start = Some(at + 1);
                    }
                }
                ')' | ']' | '}' => {
                    if depth == 1
                        && let Some(from) = start.take()
                    {
                        entries.push(from..at);
                    }
                    depth = depth.saturating_sub(1);
                }
                ',' if depth == 1 => {
                    if let Some(from) = start.replace(at + 1) {
                        entries.push(from..at);
                    }
                }
                _ => {}
            }
        }
        entries.retain(|entry| !self.code[entry.clone()].trim().is_empty());
        entries
    }

    /// The text of `range`, comments blanked.
    pub fn code(&self, range: std::ops::Range<usize>) -> &str {
        &self.code[range]
    }

    /// The 1-based line of byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        1 + self.code[..offset.min(self.code.len())]
            .bytes()
            .filter(|&b| b == b'\n')
            .count()
    }
}

/// Replaces `// …` and (nested) `/* … */` comments by spaces, leaving string
/// literals alone.
fn blank_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    let mut depth = 0usize;
    let mut in_line_comment = false;
    while let Some(c) = chars.next() {
        if in_line_comment {
            if c == '\n' {
                in_line_comment = false;
                out.push('\n');
            } else {
                blank(&mut out, c);
            }
            continue;
        }
        if depth > 0 {
            match (c, chars.peek()) {
                ('*', Some('/')) => {
                    depth -= 1;
                    chars.next();
                    out.push_str("  ");
                }
                ('/', Some('*')) => {
                    depth += 1;
                    chars.next();
                    out.push_str("  ");
                }
                _ => blank(&mut out, c),
            }
            continue;
        }
        if in_string {
            out.push(c);
            match c {
                '\\' => {
                    if let Some(escaped) = chars.next() {
                        out.push(escaped);
                    }
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                in_line_comment = true;
                blank(&mut out, c);
            }
            ('/', Some('*')) => {
                depth = 1;
                chars.next();
                out.push_str("  ");
            }
            _ => out.push(c),
        }
    }
    out
}

/// A comment character as spaces of the same byte length, line breaks kept.
fn blank(out: &mut String, c: char) {
    if c == '\n' {
        out.push('\n');
    } else {
        out.extend(std::iter::repeat_n(' ', c.len_utf8()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_blanked_and_lines_kept() {
        let text = "// reading_width: 1\n( /* a /* nested */ one */ reading_width: 80, // x\n theme: \"a // b\" )";
        let blanked = blank_comments(text);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.lines().count(), text.lines().count());
        assert!(blanked.contains("\"a // b\""));
        let source = Source::new(text);
        assert_eq!(source.field("reading_width", 0).map(|(l, _)| l), Some(2));
        assert_eq!(source.field("theme", 0).map(|(l, _)| l), Some(3));
    }

    #[test]
    fn keys_are_found_after_their_mode() {
        let text = "(\n keys: {\n  \"library\": { \"x\": \"top\" },\n  \"reader\": {\n   \"x\": \"bottom\",\n  },\n },\n)";
        let source = Source::new(text);
        let (line, after) = source.key("reader", 0).unwrap_or_default();
        assert_eq!(line, 4);
        assert_eq!(source.key("x", after).map(|(l, _)| l), Some(5));
        assert_eq!(source.key("x", 0).map(|(l, _)| l), Some(3));
    }

    #[test]
    fn a_field_name_inside_another_is_not_it() {
        let source = Source::new("( my_theme: 1,\n theme: 2 )");
        assert_eq!(source.field("theme", 0).map(|(l, _)| l), Some(2));
    }
}
