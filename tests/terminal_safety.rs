//! Hostile text must never reach the terminal as control bytes: an article full
//! of escape sequences is drawn through the real crossterm backend into a byte
//! buffer, and the bytes are checked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use gloss::app::{Action, App};
use gloss::library::{Library, Origin, parse_article};
use gloss::store::positions::Positions;
use gloss::view;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;

const HOSTILE: &str = "---\nid: hostile\ntitle: \"Evil \u{1b}]0;pwned\u{7} title\u{1b}[2J\"\nsubtitle: bell\u{7}\u{9b}31m c1\ntags: [\u{1b}P+q\u{1b}\\\\x]\n---\n\n# Ignored\n\n\
Start \u{1b}]8;;http://evil\u{1b}\\link\u{1b}]8;;\u{1b}\\ and \u{1b}[31mred\u{1b}[0m text.\u{7} Second\u{8}\u{8} sentence.\n\n\
## Heading \u{1b}P1$r\u{1b}\\ with DCS \u{9d}0;osc\u{9c}\n\n\
Bidi \u{202e}override\u{202c} and isolate \u{2066}x\u{2069}, DEL\u{7f}, SO\u{e}, C1 \u{85}\u{90}\u{9b}\u{9d}\u{9f}.\n";

/// A writer whose bytes stay readable after the backend has taken it.
#[derive(Clone, Default)]
struct Captured(Rc<RefCell<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn draw_bytes(app: &App) -> Vec<u8> {
    let captured = Captured::default();
    let backend = CrosstermBackend::new(captured.clone());
    let mut terminal = Terminal::with_options(
        backend,
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(app.area),
        },
    )
    .unwrap();
    terminal
        .draw(|frame| view::draw(frame, app, &view::Theme::default()))
        .unwrap();
    drop(terminal);
    captured.0.borrow().clone()
}

/// Finds a forbidden byte sequence the drawing itself would never write.
fn forbidden(bytes: &[u8]) -> Option<String> {
    for (i, pair) in bytes.windows(2).enumerate() {
        match pair {
            [0x1b, b']'] => return Some(format!("OSC at byte {i}")),
            [0x1b, b'P'] => return Some(format!("DCS at byte {i}")),
            [0x1b, b'X' | b'^' | b'_'] => return Some(format!("SOS/PM/APC at byte {i}")),
            _ => {}
        }
    }
    if let Some(i) = bytes
        .iter()
        .position(|&b| b == 0x07 || b == 0x08 || b == 0x7f || b == 0)
    {
        return Some(format!("control byte {:#04x} at {i}", bytes[i]));
    }
    let text = String::from_utf8_lossy(bytes);
    if let Some(c) = text.chars().find(|c| ('\u{80}'..='\u{9f}').contains(c)) {
        return Some(format!("C1 control {c:?}"));
    }
    if let Some(c) = text
        .chars()
        .find(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    {
        return Some(format!("bidi control {c:?}"));
    }
    None
}

#[test]
fn hostile_article_draws_no_control_bytes() {
    let article = parse_article(HOSTILE, Origin::Bundled("hostile.md".into())).unwrap();
    let library = Library {
        articles: vec![article],
        warnings: Vec::new(),
    };
    let mut app = App::new(library, Positions::new(), Rect::new(0, 0, 80, 24));
    let library_screen = draw_bytes(&app);
    assert_eq!(forbidden(&library_screen), None);
    app.update(Action::Open);
    let reader_screen = draw_bytes(&app);
    assert_eq!(forbidden(&reader_screen), None);
    assert!(
        String::from_utf8_lossy(&reader_screen).contains("red"),
        "the text itself is still drawn"
    );
    app.update(Action::ToggleOutline);
    assert_eq!(forbidden(&draw_bytes(&app)), None);
}

#[test]
fn the_check_itself_catches_raw_sequences() {
    assert!(forbidden(b"ok \x1b]0;x\x07").is_some());
    assert!(forbidden("c1 \u{9b}".as_bytes()).is_some());
    assert!(forbidden(b"plain \x1b[31m colour").is_none());
}

/// A cache entry rewritten by another program with a checksum that agrees
/// (a synced data folder, a buggy tool) still cannot put escape bytes on
/// the terminal: every command's output to a terminal passes a last check.
#[test]
fn a_poisoned_cache_entry_prints_no_control_bytes_on_a_terminal() {
    let data = tempfile::tempdir().unwrap();
    let library = tempfile::tempdir().unwrap();
    crate::files::write_settled(
        library.path().join("plain.md"),
        "---\nid: plain\ntitle: Harmless title\n---\n\nA harmless wombat passage.\n",
    );
    let piped = |args: &[&str]| {
        crate::binary::gloss_in(data.path(), Some(library.path()), args)
            .output()
            .unwrap()
    };
    assert!(piped(&["list"]).status.success());
    let entries = walk(&data.path().join("cache"));
    assert_eq!(entries.len(), 1, "{entries:?}");
    let mut bytes = std::fs::read(&entries[0]).unwrap();
    for (word, hostile) in [
        (&b"Harmless"[..], &b"\x1b]0;PWN\x07"[..]),
        (b"harmless", "\u{1b}c\u{1b}[2J\u{9b}".as_bytes()),
    ] {
        let at = bytes.windows(word.len()).position(|w| w == word).unwrap();
        bytes[at..at + hostile.len()].copy_from_slice(hostile);
    }
    let checksum = xxhash_rust::xxh3::xxh3_64(&bytes[8..]);
    bytes[..8].copy_from_slice(&checksum.to_le_bytes());
    std::fs::write(&entries[0], &bytes).unwrap();
    // The entry is what the commands read (its residue shows), …
    assert!(String::from_utf8_lossy(&piped(&["show", "plain"]).stdout).contains("PWN"));
    // … and nothing of it reaches a terminal as a control.
    for args in [
        "list",
        "list --json",
        "show plain",
        "search wombat --color always",
        "search wombat --json",
    ] {
        let script = format!(
            "\"$GLOSS\" --data-dir \"$DATA\" --library '{}' {args}",
            library.path().display()
        );
        let finished =
            crate::session::Session::spawn(crate::session::shell(&script, data.path())).finish();
        let text = String::from_utf8_lossy(&finished.output);
        assert!(
            text.contains("PWN") || text.contains("[2J"),
            "{args}: the poisoned entry was not read: {text:?}"
        );
        let unmarked = text.replace("\u{1b}[1;7m", "").replace("\u{1b}[0m", "");
        assert!(
            !unmarked.contains(['\u{1b}', '\u{7}', '\u{9b}']),
            "{args}: {text:?}"
        );
    }
}

fn walk(folder: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
