//! What is wrong with a configuration file, said so a person can fix it: the
//! file, the line, the problem and what to write instead.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::text::sanitize_line;

/// One mistake in the file, at a line when it could be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based.
    pub line: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn at(line: usize, message: String) -> Problem {
        Problem {
            line: Some(line),
            message,
        }
    }

    pub fn somewhere(line: Option<usize>, message: String) -> Problem {
        Problem { line, message }
    }
}

/// Why a configuration file was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// At least one.
    pub problems: Vec<Problem>,
}

impl ConfigError {
    pub fn new(file: &Path, problems: Vec<Problem>) -> ConfigError {
        ConfigError {
            file: file.to_path_buf(),
            problems,
        }
    }

    /// A problem with the file as a whole.
    pub fn whole_file(file: &Path, message: &str) -> ConfigError {
        ConfigError::new(file, vec![Problem::somewhere(None, message.to_string())])
    }

    pub fn unreadable(file: &Path, err: &std::io::Error) -> ConfigError {
        ConfigError::whole_file(
            file,
            &format!("cannot be read ({err}); check that it is a file you may read"),
        )
    }

    /// `FILE:LINE: problem`, one per problem.
    pub fn lines(&self) -> Vec<String> {
        let file = crate::text::shown_path(&self.file);
        self.problems
            .iter()
            .map(|problem| {
                let message = sanitize_line(&problem.message);
                match problem.line {
                    Some(line) => format!("{file}:{line}: {message}"),
                    None => format!("{file}: {message}"),
                }
            })
            .collect()
    }

    /// [`ConfigError::lines`], then what gloss does meanwhile.
    pub fn warnings(&self) -> Vec<String> {
        let mut lines = self.lines();
        lines.push(format!(
            "{}: not used; gloss runs with its default settings until the file is fixed (`gloss config --check` checks it)",
            crate::text::shown_path(&self.file)
        ));
        lines
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines().join("\n"))
    }
}

impl std::error::Error for ConfigError {}
