//! Paths as messages show them. A path is a name the person must be able to
//! type back: stripping a control character from it would print a path that
//! does not exist, so anything a terminal would interpret (control
//! characters, bidi controls, bytes that are not UTF-8) is written as an
//! escape (`\x1b`, `\u{202e}`, `\xff`) instead, the way `ls -b` does.

use std::fmt::Write as _;
use std::path::Path;

/// `path` for a message: printable as it is, escaped where it is not.
pub fn shown_path(path: &Path) -> String {
    let mut shown = String::new();
    for chunk in path.as_os_str().as_encoded_bytes().utf8_chunks() {
        for c in chunk.valid().chars() {
            push_shown(&mut shown, c);
        }
        for byte in chunk.invalid() {
            let _ = write!(shown, "\\x{byte:02x}");
        }
    }
    shown
}

/// A name for a message (a file name already turned into text): as
/// [`shown_path`], escaping what a terminal would interpret.
pub fn shown_name(name: &str) -> String {
    let mut shown = String::with_capacity(name.len());
    for c in name.chars() {
        push_shown(&mut shown, c);
    }
    shown
}

fn push_shown(shown: &mut String, c: char) {
    let is_bidi_or_bom =
        matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}');
    match c {
        c if c.is_control() && (c as u32) < 0x100 => {
            let _ = write!(shown, "\\x{:02x}", c as u32);
        }
        c if is_bidi_or_bom => {
            let _ = write!(shown, "\\u{{{:04x}}}", c as u32);
        }
        c => shown.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_path_is_shown_as_it_is() {
        let path = Path::new("/home/me/notes/成果 — café.md");
        assert_eq!(shown_path(path), "/home/me/notes/成果 — café.md");
    }

    #[test]
    fn controls_are_escaped_not_dropped() {
        let path = Path::new("/tmp/a\u{1b}]0;x\u{7}b\n\u{9b}c\u{202e}d.md");
        assert_eq!(
            shown_path(path),
            "/tmp/a\\x1b]0;x\\x07b\\x0a\\x9bc\\u{202e}d.md"
        );
        assert_eq!(shown_name("bundled:a\u{1b}.md"), "bundled:a\\x1b.md");
    }

    #[cfg(unix)]
    #[test]
    fn bytes_that_are_not_utf8_are_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"/tmp/caf\xe9.md"));
        assert_eq!(shown_path(path), "/tmp/caf\\xe9.md");
    }
}
