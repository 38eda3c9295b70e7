//! Markdown with front matter, as a library file: parsed or refused with a
//! reason, never a panic, and nothing a terminal would interpret survives.
#![no_main]

use gloss::library::{Origin, parse_article};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    if let Ok(article) = parse_article(source, Origin::Bundled("fuzz.md".into())) {
        let text = article.plain_text();
        assert!(!text.contains('\u{1b}'), "an escape reached the text");
        assert!(!article.meta.title.chars().any(char::is_control));
    }
});
