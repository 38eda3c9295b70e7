//! Documents to import, of every kind: converted to an article that loads,
//! or refused with a reason, never a panic.
#![no_main]

use gloss::import::{Kind, to_markdown};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for kind in [Kind::Markdown, Kind::PlainText, Kind::Scraped] {
        let _ = to_markdown(text, kind, "fuzz");
    }
});
