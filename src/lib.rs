//! gloss: a terminal reader and annotator for long-form articles.
//!
//! The library holds everything; `main.rs` only parses the command line and turns
//! errors into exit codes. The core (`library`, `text`, `store`) knows nothing of
//! the terminal; `app` is the whole state and its `update`; `view` draws it;
//! `terminal` owns the real terminal and the event loop.

pub mod annotation;
pub mod app;
pub mod cli;
pub mod config;
pub mod export;
pub mod import;
pub mod input;
pub mod library;
pub mod paths;
pub mod search;
pub mod store;
pub mod terminal;
pub mod text;
pub mod view;
