//! `gloss list`: every article on one line (or as JSON), with how far the person
//! has read it, for scripts and for a quick look from the shell.

use std::io::Write;

use serde::Serialize;

use super::{CliError, ListArgs, pad_end, pad_start};
use crate::library::{Article, Library};
use crate::paths::DataPaths;
use crate::store::positions::{self, Positions};

/// One article as `gloss list --json` prints it; field order is part of the output.
#[derive(Debug, Serialize)]
struct ListedArticle<'a> {
    id: &'a str,
    title: &'a str,
    subtitle: Option<&'a str>,
    date: Option<&'a str>,
    source: Option<&'a str>,
    tags: &'a [String],
    sections: usize,
    words: usize,
    reading_minutes: usize,
    progress: Option<u8>,
    origin: String,
}

pub fn run(
    args: &ListArgs,
    library: &Library,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    // A listing must not fail because of the positions file: progress is then
    // shown as unknown and the person is told why.
    let positions = positions::load(&paths.positions_file()).unwrap_or_else(|err| {
        let _ = writeln!(warnings, "gloss: warning: {err}");
        Positions::new()
    });
    if args.json {
        write_json(library, &positions, out)
    } else {
        write_columns(library, &positions, out)
    }
}

/// How far into `article` the saved position is, in percent; `None` if the
/// article was never opened.
fn progress(article: &Article, positions: &Positions) -> Option<u8> {
    let position = positions.get(&article.meta.id)?;
    Some(article.percent_at(position.block, position.sentence))
}

fn write_json(
    library: &Library,
    positions: &Positions,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let listed: Vec<ListedArticle> = library
        .articles
        .iter()
        .map(|article| ListedArticle {
            id: &article.meta.id,
            title: &article.meta.title,
            subtitle: article.meta.subtitle.as_deref(),
            date: article.meta.date.as_deref(),
            source: article.meta.source.as_deref(),
            tags: &article.meta.tags,
            sections: article.sections.len(),
            words: article.word_count,
            reading_minutes: article.reading_minutes(),
            progress: progress(article, positions),
            origin: article.origin.to_string(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &listed).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// The cells of one line, before alignment.
struct Row {
    id: String,
    date: String,
    minutes: String,
    sections: String,
    progress: String,
    title: String,
}

fn write_columns(
    library: &Library,
    positions: &Positions,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let rows: Vec<Row> = library
        .articles
        .iter()
        .map(|article| Row {
            id: article.meta.id.clone(),
            date: article.meta.date.clone().unwrap_or_else(|| "-".into()),
            minutes: format!("{} min", article.reading_minutes()),
            sections: match article.sections.len() {
                1 => "1 section".into(),
                n => format!("{n} sections"),
            },
            progress: progress(article, positions).map_or_else(|| "-".into(), |p| format!("{p}%")),
            title: article.meta.title.clone(),
        })
        .collect();
    let width = |cell: fn(&Row) -> &str| {
        rows.iter()
            .map(|row| crate::text::display_width(cell(row)))
            .max()
            .unwrap_or(0)
    };
    let id_width = width(|row| &row.id);
    let date_width = width(|row| &row.date);
    let minutes_width = width(|row| &row.minutes);
    let sections_width = width(|row| &row.sections);
    let progress_width = width(|row| &row.progress);
    for row in &rows {
        writeln!(
            out,
            "{}  {}  {}  {}  {}  {}",
            pad_end(&row.id, id_width),
            pad_end(&row.date, date_width),
            pad_start(&row.minutes, minutes_width),
            pad_start(&row.sections, sections_width),
            pad_start(&row.progress, progress_width),
            row.title
        )?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::cli::sample;
    use crate::store::ReadingPosition;

    fn listing(json: bool, positions: Option<&Positions>) -> (String, String) {
        let dir = tempfile::tempdir().unwrap();
        let paths = DataPaths::under(dir.path().to_path_buf());
        if let Some(positions) = positions {
            positions::save(&paths.positions_file(), positions).unwrap();
        }
        let (mut out, mut warnings) = (Vec::new(), Vec::new());
        run(
            &ListArgs { json },
            &sample::library(),
            &paths,
            &mut out,
            &mut warnings,
        )
        .unwrap();
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(warnings).unwrap(),
        )
    }

    fn read_up_to_block(block: usize) -> Positions {
        let mut positions = Positions::new();
        positions.insert(
            "cultural-diplomacy".into(),
            ReadingPosition { block, sentence: 0 },
        );
        positions
    }

    #[test]
    fn one_aligned_line_per_article() {
        let (out, warnings) = listing(false, Some(&read_up_to_block(2)));
        assert_eq!(warnings, "");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert!(lines[0].starts_with("cultural-diplomacy    August 12, 2025"));
        assert!(lines[0].contains("3 sections"), "{out}");
        // Progress is the end of the saved sentence over the whole text.
        let percent = sample::library().articles[0].percent_at(2, 0);
        assert!((1..100).contains(&percent));
        assert!(
            lines[0].contains(&format!(" {percent}%  How cultural diplomacy works")),
            "{out}"
        );
        assert!(lines[1].starts_with("innovation-diplomacy  -              "));
        assert!(lines[1].contains("0 sections"), "{out}");
        assert!(
            lines[1].ends_with("  -  How missions foster innovation"),
            "{out}"
        );
        let title_column = |line: &str| line.find("How").unwrap();
        assert_eq!(title_column(lines[0]), title_column(lines[1]));
    }

    #[test]
    fn json_lists_every_field_in_a_stable_order() {
        let (out, _) = listing(true, Some(&read_up_to_block(4)));
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        let first = &value[0];
        assert_eq!(first["id"], "cultural-diplomacy");
        assert_eq!(first["subtitle"], "Long-term partnerships");
        assert_eq!(first["tags"], serde_json::json!(["culture", "exchange"]));
        assert_eq!(first["sections"], 3);
        assert_eq!(first["reading_minutes"], 1);
        let percent = sample::library().articles[0].percent_at(4, 0);
        assert!(percent > sample::library().articles[0].percent_at(2, 0));
        assert_eq!(first["progress"], percent);
        assert_eq!(first["origin"], "bundled:cultural-diplomacy.md");
        assert_eq!(value[1]["progress"], serde_json::Value::Null);
        assert_eq!(value[1]["date"], serde_json::Value::Null);
        let keys: Vec<usize> = [
            "\"id\"",
            "\"title\"",
            "\"subtitle\"",
            "\"date\"",
            "\"source\"",
            "\"tags\"",
            "\"sections\"",
            "\"words\"",
            "\"reading_minutes\"",
            "\"progress\"",
            "\"origin\"",
        ]
        .iter()
        .map(|key| out.find(key).unwrap())
        .collect();
        assert!(keys.windows(2).all(|pair| pair[0] < pair[1]), "{out}");
    }

    #[test]
    fn a_position_past_the_end_reads_as_complete() {
        let (out, _) = listing(true, Some(&read_up_to_block(99)));
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value[0]["progress"], 100);
    }

    #[test]
    fn a_bad_positions_file_is_a_warning_not_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let paths = DataPaths::under(dir.path().to_path_buf());
        std::fs::write(paths.positions_file(), "(version: 99, positions: {})").unwrap();
        let (mut out, mut warnings) = (Vec::new(), Vec::new());
        run(
            &ListArgs { json: false },
            &sample::library(),
            &paths,
            &mut out,
            &mut warnings,
        )
        .unwrap();
        let warnings = String::from_utf8(warnings).unwrap();
        assert!(warnings.starts_with("gloss: warning: "), "{warnings}");
        assert!(warnings.contains("newer gloss"), "{warnings}");
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 2);
    }
}
