//! `gloss config`: where the configuration file is and whether it loads,
//! a commented default to start one from, and a check for scripts. It only
//! reads: gloss never writes the configuration file.

use std::io::Write;

use clap::Args;

use super::{CliError, pad_end};
use crate::config::{LoadedConfig, default_text};
use crate::paths::DataPaths;

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print a configuration with every setting at its default value and a
    /// comment on what it does: `gloss config --default > FILE`.
    #[arg(long, conflicts_with_all = ["check", "path"])]
    pub default: bool,

    /// Check the configuration file: its problems on stderr and exit status
    /// 1, or a line saying it loads.
    #[arg(long, conflicts_with = "path")]
    pub check: bool,

    /// Print only the configuration file's path.
    #[arg(long)]
    pub path: bool,
}

pub fn run(
    args: &ConfigArgs,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    let file = paths.config_file();
    let shown = crate::text::shown_path(&file);
    if args.default {
        out.write_all(default_text().as_bytes())?;
        return Ok(());
    }
    if args.path {
        writeln!(out, "{shown}")?;
        return Ok(());
    }
    let loaded = LoadedConfig::load(&file);
    if args.check {
        return match &loaded.error {
            None if loaded.found => Ok(writeln!(out, "{shown}: loads without problems")?),
            None => Ok(writeln!(
                out,
                "{shown}: not found; gloss uses its default settings"
            )?),
            Some(err) => {
                for line in err.lines() {
                    writeln!(warnings, "gloss: {line}")?;
                }
                Err(CliError::InvalidConfig {
                    file: shown,
                    count: err.problems.len(),
                })
            }
        };
    }
    describe(&loaded, paths, &shown, out)
}

/// The plain `gloss config`: the file, its state, and the settings in effect.
fn describe(
    loaded: &LoadedConfig,
    paths: &DataPaths,
    shown: &str,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let status = match (&loaded.error, loaded.found) {
        (None, true) => "loads without problems".to_string(),
        (None, false) => {
            "not found: the defaults are used (`gloss config --default > FILE` writes one to start from)"
                .to_string()
        }
        (Some(err), _) => format!(
            "not used, {} problem(s) below: the defaults are used until they are fixed",
            err.problems.len()
        ),
    };
    let settings = &loaded.config;
    let export_dir = settings.apply_to_paths(paths.clone()).export_dir;
    let rows = [
        ("file", shown.to_string()),
        ("status", status),
        ("theme", settings.theme.name().to_string()),
        ("reading width", settings.reading_width.to_string()),
        ("export folder", crate::text::shown_path(&export_dir)),
        ("keys changed", settings.keys.len().to_string()),
    ];
    let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
    for (label, value) in rows {
        writeln!(out, "{}  {value}", pad_end(label, width))?;
    }
    if let Some(err) = &loaded.error {
        writeln!(out)?;
        for line in err.lines() {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// What `gloss` prints on stderr before any other command when the
/// configuration has problems: one warning line each.
pub fn write_warnings(loaded: &LoadedConfig, err: &mut dyn Write) -> std::io::Result<()> {
    for line in loaded.warnings() {
        writeln!(err, "gloss: warning: {line}")?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn run_in(data: &std::path::Path, args: &ConfigArgs) -> (Result<(), CliError>, String, String) {
        let paths = DataPaths::under(data.to_path_buf());
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let result = run(args, &paths, &mut out, &mut err);
        (
            result,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    const PLAIN: ConfigArgs = ConfigArgs {
        default: false,
        check: false,
        path: false,
    };

    #[test]
    fn the_default_text_is_printed_as_is() {
        let data = tempfile::tempdir().unwrap();
        let args = ConfigArgs {
            default: true,
            ..PLAIN
        };
        let (result, out, _) = run_in(data.path(), &args);
        assert!(result.is_ok());
        assert_eq!(out, default_text());
        assert!(!data.path().join("config").exists(), "nothing is written");
    }

    #[test]
    fn a_missing_file_is_described_with_the_defaults() {
        let data = tempfile::tempdir().unwrap();
        let (result, out, _) = run_in(data.path(), &PLAIN);
        assert!(result.is_ok());
        assert!(out.contains("not found"), "{out}");
        assert!(out.contains("theme          dark"), "{out}");
        assert!(out.contains(&data.path().join("exports").display().to_string()));
        assert!(crate::config::load(&data.path().join("config/config.ron")).is_ok());
    }
}
