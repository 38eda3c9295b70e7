//! `gloss completions SHELL` and `gloss man`: the shell completion scripts and
//! the manual page, generated from the same clap definition that parses the
//! command line, so they can never offer an option that `gloss` does not accept.

use std::io::Write;

use clap::{Args, CommandFactory};
use clap_complete::{Generator, Shell};

use super::{Cli, CliError};

/// The name the scripts complete and the man page documents.
const BIN_NAME: &str = "gloss";

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {}

/// Writes the completion script for `args.shell` to `out`.
pub fn write_completions(args: &CompletionsArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut command = Cli::command();
    command.set_bin_name(BIN_NAME);
    // Fills in what the generators read (global options copied into each
    // subcommand, `help` subcommands), as `clap_complete::generate` does; that
    // function panics on a write error, this one reports it.
    command.build();
    args.shell.try_generate(&command, out)?;
    Ok(())
}

/// Writes the man page of `gloss` (roff), with its options and a list of its
/// subcommands, to `out`.
pub fn write_man_page(out: &mut dyn Write) -> Result<(), CliError> {
    let command = Cli::command().name(BIN_NAME);
    clap_mangen::Man::new(command).render(out)?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::io;

    use clap::ValueEnum;

    use super::*;

    fn completions(shell: Shell) -> String {
        let mut out = Vec::new();
        write_completions(&CompletionsArgs { shell }, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn subcommand_names() -> Vec<String> {
        Cli::command()
            .get_subcommands()
            .map(|sub| sub.get_name().to_string())
            .collect()
    }

    #[test]
    fn every_shell_completes_every_subcommand() {
        let names = subcommand_names();
        assert!(names.iter().any(|name| name == "completions"), "{names:?}");
        for shell in Shell::value_variants() {
            let script = completions(*shell);
            for name in &names {
                assert!(script.contains(name.as_str()), "{shell}: no {name}");
            }
        }
    }

    #[test]
    fn global_options_are_completed_after_a_subcommand() {
        // `gloss list --data-dir DIR` is accepted, so bash must offer it there.
        let script = completions(Shell::Bash);
        let list_options = script
            .split("__list)")
            .filter_map(|case| case.lines().find(|line| line.contains("opts=")))
            .find(|opts| opts.contains("--json"))
            .unwrap();
        assert!(list_options.contains("--data-dir"), "{list_options}");
        assert!(list_options.contains("--library"), "{list_options}");
    }

    #[test]
    fn folders_are_completed_as_folders() {
        let script = completions(Shell::Zsh);
        let data_dir = script
            .lines()
            .find(|line| line.contains("--data-dir="))
            .unwrap();
        assert!(data_dir.contains("_files -/"), "{data_dir}");
    }

    #[test]
    fn the_man_page_is_roff_with_the_subcommands() {
        let mut out = Vec::new();
        write_man_page(&mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.contains("\n.TH gloss 1 "), "{page}");
        assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
        for name in subcommand_names() {
            assert!(page.contains(&format!("gloss\\-{name}")), "no {name}");
        }
    }

    /// A writer whose reader has gone away, as with `gloss man | head -0`.
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_output_is_an_error_not_a_panic() {
        let args = CompletionsArgs { shell: Shell::Zsh };
        let err = write_completions(&args, &mut ClosedPipe).unwrap_err();
        assert!(err.is_closed_output(), "{err}");
        let err = write_man_page(&mut ClosedPipe).unwrap_err();
        assert!(err.is_closed_output(), "{err}");
    }
}
