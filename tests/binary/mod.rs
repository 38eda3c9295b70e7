//! The gloss binary, run as a test's own: input closed, and nothing inherited
//! from the environment that would choose other files or colours.

use std::path::Path;
use std::process::{Command, Stdio};

/// `gloss` with nothing else chosen yet.
pub fn gloss() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gloss"));
    command
        .env_remove("GLOSS_DATA_DIR")
        .env_remove("GLOSS_CONFIG")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    command
}

/// `gloss --data-dir DATA [--library LIBRARY] ARGS…`.
pub fn gloss_in(data: &Path, library: Option<&Path>, args: &[&str]) -> Command {
    let mut command = gloss();
    command.arg("--data-dir").arg(data);
    if let Some(library) = library {
        command.arg("--library").arg(library);
    }
    command.args(args);
    command
}
