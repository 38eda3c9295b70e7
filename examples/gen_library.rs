//! Writes a synthetic library of Markdown articles (about 50 MB for the default
//! 1,000) for measuring gloss at scale:
//!
//! ```text
//! cargo run --release --example gen_library -- DIR [--articles 1000] [--seed 42]
//! gloss list --library DIR
//! gloss search funding --library DIR
//! ```
//!
//! The same seed always writes the same files.

#[path = "../benches/support/synthetic_library.rs"]
mod synthetic_library;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Write a synthetic library of Markdown articles into DIR.
#[derive(Debug, Parser)]
struct Options {
    /// Folder to write the articles into (created if missing).
    dir: PathBuf,
    /// How many articles to write (about 50 KB each).
    #[arg(long, default_value_t = synthetic_library::DEFAULT_ARTICLES)]
    articles: usize,
    /// Seed of the generator: the same seed writes the same files.
    #[arg(long, default_value_t = synthetic_library::DEFAULT_SEED)]
    seed: u64,
}

fn main() -> ExitCode {
    let options = Options::parse();
    match synthetic_library::write_library(&options.dir, options.articles, options.seed) {
        Ok(bytes) => {
            println!(
                "wrote {} articles, {bytes} bytes ({:.1} MB), into {}",
                options.articles,
                bytes as f64 / 1e6,
                options.dir.display()
            );
            println!(
                "a frequent word: {}; a rare word: {}",
                synthetic_library::FREQUENT_WORD,
                synthetic_library::RARE_WORD
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!(
                "gen_library: cannot write {}: {error}",
                options.dir.display()
            );
            ExitCode::FAILURE
        }
    }
}
