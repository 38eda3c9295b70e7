//! The integration tests of gloss, built as one test binary: every file next
//! to this one is a module of it. One binary links the library once instead
//! of once per file, which keeps a clean build's time and disk small.
//!
//! Shared helpers live in the folders beside the test files and are declared
//! here once, so every test module reaches them as `crate::…`.

// Helpers: driving the app without a terminal, running the binary, reading
// its output, listing folders, and the pseudo-terminal of the end-to-end tests.
mod binary;
mod common;
mod files;
mod output;
#[path = "pty/screen.rs"]
mod screen;
#[path = "pty/session.rs"]
mod session;
#[path = "../benches/support/synthetic_library.rs"]
mod synthetic_library;

// The tests, one module per part of gloss.
mod annotate;
mod annotations_store;
mod bundled_articles;
mod cli;
mod cli_annotations;
mod cli_completions;
mod cli_config;
mod cli_search;
mod export;
mod export_kept;
mod export_streams;
mod held_lock;
mod help_search;
mod import;
mod kept;
mod key_hints;
mod library_load;
mod paste;
mod progress;
mod pty;
mod pty_suspend;
mod reanchor_eval;
mod review;
mod saving;
mod screens;
mod tag_identity;
mod terminal_safety;
mod themes;
