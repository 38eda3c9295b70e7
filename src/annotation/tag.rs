//! What makes two tags the same tag, in one place. The reader's tag input,
//! `gloss highlight add --tag`, `gloss highlights --tag`, `tag:` in queries,
//! the tag browser, `gloss tags` and the export all ask here, so a tag typed
//! one way is found every other way.
//!
//! A tag is kept as the person spelled it ([`clean_tag`]: one line, trimmed,
//! inner whitespace as one space, no leading `#`, `/` or `-`). Two tags are
//! the same when their [`tag_key`]s are: case-folded, `-` read as a space
//! (`soft-power` is `soft power`, as a vault writes it) and spaces around `/`
//! dropped.
//!
//! A vault tag (Obsidian, Logseq) takes only letters, digits, `-`, `_` and
//! `/`, and Markdown reads an `_` at the edge of a word as emphasis. So
//! [`vault_tag`] writes a space as `-`, keeps `_` between letters or digits,
//! and writes every other character as a name between double dashes (which
//! a space never gives): `C++` is `#C--plus----plus--`, `C#` is
//! `#C--sharp--`, an emoji `--u1f600--`. A tag of digits only, which a vault
//! does not take, gets a leading `_` (`#_2024`). [`from_vault_tag`] reads all
//! that back, so a vault tag always names the tag it was written for and
//! different tags never share one.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::text::sanitize_line;

/// Escapes with a name, for the characters tags hold most; any other
/// character is `u` and its code point in hex.
const NAMED: &[(char, &str)] = &[
    ('+', "plus"),
    ('#', "sharp"),
    ('&', "and"),
    ('.', "dot"),
    ('@', "at"),
];

/// A tag as it is stored and shown: sanitized to one line, trimmed, runs of
/// whitespace as one space, leading `#`s (and `/`s, `-`s) dropped. Empty when
/// nothing is left.
pub fn clean_tag(raw: &str) -> String {
    let line = sanitize_line(raw);
    let words: Vec<&str> = line.split_whitespace().collect();
    let joined = words.join(" ");
    joined
        .trim_start_matches(|c: char| matches!(c, '#' | '/' | '-') || c.is_whitespace())
        .to_owned()
}

/// The key two tags are compared by: [`clean_tag`], then Unicode case folding
/// and composition (NFC), `-` as a space, and the `/` of nested tags without
/// spaces or empty parts around it.
pub fn tag_key(tag: &str) -> String {
    let clean = clean_tag(tag);
    let folded = fold_case(&clean.nfc().collect::<String>());
    let spaced = folded.replace('-', " ");
    let parts: Vec<String> = spaced
        .split('/')
        .map(|part| part.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|part| !part.is_empty())
        .collect();
    if parts.is_empty() {
        // Only dashes and slashes: compare what is there.
        folded
    } else {
        parts.join("/")
    }
}

/// Whether `a` and `b` are the same tag.
pub fn same_tag(a: &str, b: &str) -> bool {
    tag_key(a) == tag_key(b)
}

/// `tags` cleaned, without empty ones, each tag once (the first spelling kept).
pub fn unique_tags<'t>(tags: impl IntoIterator<Item = &'t str>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut kept = Vec::new();
    for tag in tags {
        let clean = clean_tag(tag);
        let key = tag_key(&clean);
        if !clean.is_empty() && !keys.contains(&key) {
            keys.push(key);
            kept.push(clean);
        }
    }
    kept
}

/// Tags typed as one comma-separated line, as [`unique_tags`] keeps them.
pub fn parse_tag_list(input: &str) -> Vec<String> {
    unique_tags(input.split(','))
}

/// Unicode case folding: lower case, plus the full foldings people type
/// (`ß` as `ss`, final sigma as sigma).
fn fold_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'ς' => out.push('σ'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// `tag` as a vault tag, without its `#`; `None` when the tag is empty.
/// See the module's note for the mapping; [`from_vault_tag`] reverses it.
pub fn vault_tag(tag: &str) -> Option<String> {
    let clean = clean_tag(&clean_tag(tag).replace('-', " "));
    let parts: Vec<&str> = clean
        .split('/')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect();
    if parts.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(clean.len());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        let graphemes: Vec<&str> = part.graphemes(true).collect();
        for (j, &grapheme) in graphemes.iter().enumerate() {
            let between_words = j > 0
                && is_word(graphemes[j - 1])
                && graphemes.get(j + 1).is_some_and(|g| is_word(g));
            if is_word(grapheme) || (grapheme == "_" && between_words) {
                out.push_str(grapheme);
            } else if grapheme == " " {
                out.push('-');
            } else {
                out.extend(grapheme.chars().map(escape));
            }
        }
    }
    // A vault does not take a tag of digits only.
    if is_digits(&out) {
        out.insert(0, '_');
    }
    Some(out)
}

/// The tag a vault tag (with or without its `#`) was written for, by
/// [`vault_tag`] or by hand: escapes read back, `-` as a space.
pub fn from_vault_tag(vault: &str) -> String {
    let vault = vault.trim().trim_start_matches('#');
    // A `_` that starts a vault tag is never the tag's own: that one is
    // escaped, as every `_` not between letters or digits is.
    if let Some(digits) = vault.strip_prefix('_')
        && is_digits(digits)
    {
        return digits.to_owned();
    }
    let mut out = String::with_capacity(vault.len());
    let mut rest = vault;
    while let Some(c) = rest.chars().next() {
        if let Some((decoded, used)) = read_escape(rest) {
            out.push(decoded);
            rest = &rest[used..];
        } else {
            out.push(if c == '-' { ' ' } else { c });
            rest = &rest[c.len_utf8()..];
        }
    }
    clean_tag(&out)
}

/// Whether a grapheme is part of a word: it starts with a letter or digit.
fn is_word(grapheme: &str) -> bool {
    grapheme.chars().next().is_some_and(char::is_alphanumeric)
}

/// `--name--` for a character a vault tag cannot hold.
fn escape(c: char) -> String {
    match NAMED.iter().find(|(named, _)| *named == c) {
        Some((_, name)) => format!("--{name}--"),
        None => format!("--u{:x}--", u32::from(c)),
    }
}

/// The escape at the start of `text` (`--plus--`, `--u1f600--`): the
/// character and the bytes it takes.
fn read_escape(text: &str) -> Option<(char, usize)> {
    let body = text.strip_prefix("--")?;
    let end = body.find("--")?;
    let name = &body[..end];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        return None;
    }
    let decoded = if let Some((c, _)) = NAMED.iter().find(|(_, named)| *named == name) {
        *c
    } else {
        let hex = name.strip_prefix('u')?;
        if hex.is_empty() || hex.len() > 6 {
            return None;
        }
        char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
    };
    Some((decoded, end + 4))
}

/// Only ASCII digits and `/`, and something.
fn is_digits(text: &str) -> bool {
    !text.is_empty()
        && text.chars().all(|c| c.is_ascii_digit() || c == '/')
        && text.chars().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests;
