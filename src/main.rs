//! The `gloss` binary: parses the command line, opens the library, runs the
//! reader or a subcommand, and turns the outcome into an exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use gloss::cli::{self, Cli, Command};
use gloss::config::LoadedConfig;
use gloss::library::{ArticleCache, CacheUse, Folder, Library, Sources};
use gloss::paths::DataPaths;

/// Exit status for usage errors and failures other than "nothing found".
const FAILURE: u8 = 2;
/// Exit status of the reader when annotations could not be saved (they were
/// written to a recovery file, which the next start offers to merge).
const UNSAVED: u8 = 3;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if err.use_stderr() => {
            eprintln!("gloss: {}", cli::usage_error_line(&err));
            return ExitCode::from(FAILURE);
        }
        // --help and --version: clap prints them on stdout.
        Err(err) => {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
    };
    match run(&cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("gloss: {err:#}");
            ExitCode::from(FAILURE)
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    if cli.command.is_none() && !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal())
    {
        eprintln!(
            "gloss: the reader needs a terminal; use a subcommand such as 'gloss list' in scripts (see gloss --help)"
        );
        return Ok(ExitCode::from(FAILURE));
    }
    if cli.command.is_none() && is_dumb_terminal() {
        eprintln!(
            "gloss: this terminal (TERM=dumb) cannot show the full-screen reader; use a subcommand such as 'gloss show ARTICLE', or run gloss in a terminal emulator"
        );
        return Ok(ExitCode::from(FAILURE));
    }
    if cli.command.is_some() && stdout_was_closed() {
        eprintln!(
            "gloss: standard output is closed (>&-), so nothing could be printed; redirect it to a file, or to /dev/null to discard it"
        );
        return Ok(ExitCode::from(FAILURE));
    }
    let paths = DataPaths::resolve(cli.data_dir.clone())?.with_config_file(cli.config_file.clone());
    let config = if uses_config(cli.command.as_ref()) {
        LoadedConfig::load(&paths.config_file())
    } else {
        LoadedConfig::none(&paths.config_file())
    };
    let paths = config.config.apply_to_paths(paths);
    let sources = sources(cli, &paths);
    let Some(command) = &cli.command else {
        // The first frame does not wait for the parsed files to be kept: a
        // thread keeps them while the reader runs. An entry is written whole
        // or not at all, and one left unfinished at exit is cleared by the
        // next start.
        let cache = ArticleCache::new(paths.cache_dir.clone());
        let library = cli::progress::open_library(&sources, CacheUse::Read(&cache));
        let keep = Box::new(move || Library::keep_in_cache(&cache));
        return Ok(
            match gloss::terminal::run(library, &paths, &config, keep)? {
                gloss::terminal::Ended::Saved => ExitCode::SUCCESS,
                gloss::terminal::Ended::Unsaved => ExitCode::from(UNSAVED),
            },
        );
    };
    // A save that must wait for another gloss says so while it waits.
    gloss::store::annotations::report_lock_waits_to(|message| eprintln!("gloss: {message}"));
    // Everything a command prints to a terminal passes a last check for
    // terminal controls (messages always: they are short).
    let mut stderr = cli::SafeOutput::new(std::io::stderr().lock());
    // Warnings are advice; failing to print them must not stop the command.
    let _ = cli::write_config_warnings(&config, &mut stderr);
    let to_terminal = std::io::stdout().is_terminal();
    let mut stdout = cli::SafeOutput::checking(std::io::stdout().lock(), to_terminal);
    let outcome = cli::execute(command, &sources, &paths, &mut stdout, &mut stderr)
        .and_then(|()| stdout.flush().map_err(cli::CliError::from));
    Ok(match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.is_closed_output() => ExitCode::SUCCESS,
        Err(err) => {
            let _ = writeln!(stderr, "gloss: {err}");
            ExitCode::from(err.exit_code())
        }
    })
}

/// Whether `command` runs with the configuration file's settings. `gloss
/// config` reads the file itself and reports on it; completions and the man
/// page come from the command line definition alone.
/// Whether `TERM` names a terminal that has no cursor movement at all.
fn is_dumb_terminal() -> bool {
    std::env::var_os("TERM").is_some_and(|term| term == "dumb")
}

/// Whether gloss was started with its standard output closed (`>&-`). The
/// Rust runtime opens `/dev/null` in its place before `main`, so writes
/// would vanish without an error; it opens it for reading and writing,
/// which a shell's `> /dev/null` never does, and that is how it shows.
fn stdout_was_closed() -> bool {
    #[cfg(target_os = "linux")]
    {
        const ACCESS_MODE: u32 = 0o3;
        const READ_WRITE: u32 = 0o2;
        let is_dev_null = std::fs::read_link("/proc/self/fd/1")
            .is_ok_and(|target| target == std::path::Path::new("/dev/null"));
        let flags = std::fs::read_to_string("/proc/self/fdinfo/1")
            .ok()
            .and_then(|info| {
                info.lines()
                    .find_map(|line| line.strip_prefix("flags:"))
                    .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
            });
        is_dev_null && flags.is_some_and(|flags| flags & ACCESS_MODE == READ_WRITE)
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

fn uses_config(command: Option<&Command>) -> bool {
    !matches!(
        command,
        Some(Command::Config(_) | Command::Completions(_) | Command::Man(_))
    )
}

/// The bundled articles, the user's library folder (if it exists yet), then each
/// `--library DIR` in the order given.
fn sources(cli: &Cli, paths: &DataPaths) -> Sources {
    let user_folder = Folder {
        path: paths.library_dir.clone(),
        optional: true,
    };
    let extra_folders = cli.libraries.iter().map(|path| Folder {
        path: path.clone(),
        optional: false,
    });
    Sources {
        bundled: true,
        folders: std::iter::once(user_folder).chain(extra_folders).collect(),
    }
}
