//! `config.ron`: settings or problems located in the text, never a panic.
#![no_main]

use gloss::config::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(err) = parse(text, std::path::Path::new("config.ron")) {
        let lines = text.split('\n').count();
        assert!(!err.problems.is_empty());
        assert!(
            err.problems
                .iter()
                .all(|p| p.line.is_none_or(|l| l <= lines))
        );
    }
});
