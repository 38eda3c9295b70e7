//! `gloss paths`: where gloss reads and writes, so a person can back the files
//! up or a script can find them.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::{CliError, PathsArgs, pad_end};
use crate::paths::DataPaths;
use crate::text::sanitize_line;

/// The JSON shape of `gloss paths --json`; field order is part of the output.
#[derive(Debug, Serialize)]
struct ShownPaths {
    data_dir: String,
    library_dir: String,
    config_dir: String,
    config_file: String,
    export_dir: String,
    positions_file: String,
    annotations_file: String,
    cache_dir: String,
}

pub fn run(args: &PathsArgs, paths: &DataPaths, out: &mut dyn Write) -> Result<(), CliError> {
    let text = |path: &Path| path.to_string_lossy().into_owned();
    let shown = ShownPaths {
        data_dir: text(&paths.data_dir),
        library_dir: text(&paths.library_dir),
        config_dir: text(&paths.config_dir),
        config_file: text(&paths.config_file()),
        export_dir: text(&paths.export_dir),
        positions_file: text(&paths.positions_file()),
        annotations_file: text(&paths.annotations_file()),
        cache_dir: text(&paths.cache_dir),
    };
    if args.json {
        // JSON escapes control characters itself, so the paths stay exact.
        serde_json::to_writer_pretty(&mut *out, &shown).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    let rows = [
        ("data", &shown.data_dir),
        ("library", &shown.library_dir),
        ("config", &shown.config_dir),
        ("config file", &shown.config_file),
        ("exports", &shown.export_dir),
        ("positions", &shown.positions_file),
        ("annotations", &shown.annotations_file),
        ("cache", &shown.cache_dir),
    ];
    let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
    for (label, path) in rows {
        writeln!(out, "{}  {}", pad_end(label, width), sanitize_line(path))?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn shown(json: bool) -> String {
        let paths = DataPaths::under("/home/me/gloss".into());
        let mut out = Vec::new();
        run(&PathsArgs { json }, &paths, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn lists_every_path_aligned() {
        assert_eq!(
            shown(false),
            "\
data         /home/me/gloss
library      /home/me/gloss/library
config       /home/me/gloss/config
config file  /home/me/gloss/config/config.ron
exports      /home/me/gloss/exports
positions    /home/me/gloss/positions.ron
annotations  /home/me/gloss/annotations.ron
cache        /home/me/gloss/cache
"
        );
    }

    #[test]
    fn json_names_each_path() {
        let value: serde_json::Value = serde_json::from_str(&shown(true)).unwrap();
        assert_eq!(value["data_dir"], "/home/me/gloss");
        assert_eq!(value["library_dir"], "/home/me/gloss/library");
        assert_eq!(value["config_dir"], "/home/me/gloss/config");
        assert_eq!(value["config_file"], "/home/me/gloss/config/config.ron");
        assert_eq!(value["export_dir"], "/home/me/gloss/exports");
        assert_eq!(value["positions_file"], "/home/me/gloss/positions.ron");
        assert_eq!(value["annotations_file"], "/home/me/gloss/annotations.ron");
        assert_eq!(value["cache_dir"], "/home/me/gloss/cache");
    }
}
