//! `gloss highlights`: the highlights of one article or of the whole library,
//! with where each one stands in the text now, for reading from the shell and
//! (with `--json`) for scripts.

use std::io::Write;

use clap::Args;
use jiff::Timestamp;
use serde::Serialize;

use super::located::{ArticleHighlights, locate, one_line};
use super::{CliError, annotations_file, find_article, pad_end};
use crate::annotation::tag::tag_key;
use crate::annotation::{Highlight, Placement};
use crate::library::Library;
use crate::paths::DataPaths;
use crate::store::annotations::Annotations;
use crate::text::{sanitize_line, sanitize_text};

/// Characters of a quote shown in the plain listing.
const QUOTE_CHARS: usize = 100;

#[derive(Debug, Args)]
pub struct HighlightsArgs {
    /// Only this article's highlights: an id, or the start of a title that
    /// names only one article.
    #[arg(value_name = "ARTICLE")]
    pub article: Option<String>,

    /// Only the highlights with this tag (case does not matter).
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,

    /// Print a JSON array instead of text, with whole quotes and notes.
    #[arg(long)]
    pub json: bool,
}

/// One highlight as `gloss highlights --json` prints it; field order is part
/// of the output. `start` and `end` are where the quote is in the article's
/// plain text now (`gloss show`), `null` when it cannot be found.
#[derive(Debug, Serialize)]
struct ListedHighlight {
    id: String,
    article: String,
    color: &'static str,
    tags: Vec<String>,
    note: String,
    /// The quote the person chose: never rewritten.
    quote: String,
    prefix: String,
    suffix: String,
    start: Option<usize>,
    end: Option<usize>,
    state: &'static str,
    /// Placed by similarity after the article changed: needs review.
    review: bool,
    /// The text at `start..end` when it differs from `quote`.
    now: Option<String>,
    created: Timestamp,
    updated: Timestamp,
}

pub fn run(
    args: &HighlightsArgs,
    library: &Library,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    let loaded = annotations_file::load(paths, warnings);
    let article = match &args.article {
        Some(query) => Some(article_id(library, &loaded.annotations, query)?),
        None => None,
    };
    let tag = args.tag.as_deref().map(tag_key);
    let groups = locate(library, &loaded.annotations, |highlight| {
        article.as_ref().is_none_or(|id| highlight.article == *id)
            && tag.as_ref().is_none_or(|tag| has_tag(highlight, tag))
    });
    if args.json {
        write_json(&groups, out)?;
    } else {
        write_text(&groups, out)?;
    }
    annotations_file::finish(&loaded)
}

/// The id of the article `query` names: one in the library, or else the id of
/// an article that is gone but still has highlights, so they can be listed.
fn article_id(
    library: &Library,
    annotations: &Annotations,
    query: &str,
) -> Result<String, CliError> {
    match find_article(library, query) {
        Ok(index) => Ok(library.articles[index].meta.id.clone()),
        Err(CliError::NotFound(_)) if annotations.iter().any(|h| h.article == query) => {
            Ok(query.to_owned())
        }
        Err(err) => Err(err),
    }
}

/// Whether `highlight` carries the tag whose [`tag_key`] is `key`.
fn has_tag(highlight: &Highlight, key: &str) -> bool {
    highlight.tags.iter().any(|t| tag_key(t) == key)
}

fn listed(group: &ArticleHighlights, placement: &Placement) -> ListedHighlight {
    let highlight = placement.highlight;
    let range = placement.anchoring.range();
    ListedHighlight {
        id: sanitize_line(&highlight.id),
        article: sanitize_line(&highlight.article),
        color: highlight.color.name(),
        tags: highlight.tags.iter().map(|t| sanitize_line(t)).collect(),
        note: sanitize_text(&highlight.note),
        quote: sanitize_text(&highlight.anchor.quote.exact),
        prefix: sanitize_text(&highlight.anchor.quote.prefix),
        suffix: sanitize_text(&highlight.anchor.quote.suffix),
        start: range.as_ref().map(|r| r.start),
        end: range.as_ref().map(|r| r.end),
        state: group.state(placement),
        review: placement.anchoring.needs_review(),
        now: range
            .as_ref()
            .and_then(|r| group.text_at(r.clone()))
            .filter(|text| *text != highlight.anchor.quote.exact)
            .map(sanitize_text),
        created: highlight.created,
        updated: highlight.updated,
    }
}

fn write_json(groups: &[ArticleHighlights], out: &mut dyn Write) -> Result<(), CliError> {
    let all: Vec<ListedHighlight> = groups
        .iter()
        .flat_map(|group| group.placements.iter().map(|p| listed(group, p)))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &all).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// Per highlight: a line with id, article, colour, state and tags, then the
/// quote on one line, then the note's first line if there is a note.
fn write_text(groups: &[ArticleHighlights], out: &mut dyn Write) -> Result<(), CliError> {
    let all: Vec<ListedHighlight> = groups
        .iter()
        .flat_map(|group| group.placements.iter().map(|p| listed(group, p)))
        .collect();
    let width = |cell: fn(&ListedHighlight) -> &str| {
        all.iter()
            .map(|h| crate::text::display_width(cell(h)))
            .max()
            .unwrap_or(0)
    };
    let id_width = width(|h| &h.id);
    let article_width = width(|h| &h.article);
    let color_width = width(|h| h.color);
    let state_width = width(|h| h.state);
    for highlight in &all {
        let head = format!(
            "{}  {}  {}  {}  {}",
            pad_end(&highlight.id, id_width),
            pad_end(&highlight.article, article_width),
            pad_end(highlight.color, color_width),
            pad_end(highlight.state, state_width),
            highlight.tags.join(", ")
        );
        writeln!(out, "{}", head.trim_end())?;
        writeln!(out, "    \"{}\"", one_line(&highlight.quote, QUOTE_CHARS))?;
        if highlight.review {
            let now = highlight.now.as_deref().unwrap_or(&highlight.quote);
            writeln!(
                out,
                "    needs review; reads now: \"{}\"",
                one_line(now, QUOTE_CHARS)
            )?;
        }
        let mut note_lines = highlight.note.lines().filter(|l| !l.trim().is_empty());
        if let Some(first) = note_lines.next() {
            let more = if note_lines.next().is_some() {
                " …"
            } else {
                ""
            };
            writeln!(out, "    note: {}{more}", one_line(first, QUOTE_CHARS))?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::annotation::{Color, new_highlight};
    use crate::cli::sample;

    /// A data folder holding highlights of the sample library.
    fn data_with(highlights: &[(usize, &str, &[&str], &str)]) -> (tempfile::TempDir, DataPaths) {
        let dir = tempfile::tempdir().unwrap();
        let paths = DataPaths::under(dir.path().to_path_buf());
        let library = sample::library();
        let mut annotations = Annotations::new();
        for &(article, quote, tags, note) in highlights {
            let article = &library.articles[article];
            let plain = article.plain_text();
            let start = plain.find(quote).unwrap();
            let mut h = new_highlight(
                article,
                &plain,
                start..start + quote.len(),
                Color::Green,
                Timestamp::UNIX_EPOCH,
            );
            h.tags = tags.iter().map(ToString::to_string).collect();
            h.note = note.into();
            annotations.upsert(h);
        }
        crate::store::annotations::save_merged(&paths.annotations_file(), &annotations).unwrap();
        (dir, paths)
    }

    fn listing(paths: &DataPaths, article: Option<&str>, tag: Option<&str>, json: bool) -> String {
        let args = HighlightsArgs {
            article: article.map(Into::into),
            tag: tag.map(Into::into),
            json,
        };
        let (mut out, mut warnings) = (Vec::new(), Vec::new());
        run(&args, &sample::library(), paths, &mut out, &mut warnings).unwrap();
        assert_eq!(String::from_utf8(warnings).unwrap(), "");
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn each_highlight_shows_its_place_quote_and_first_note_line() {
        let (_dir, paths) = data_with(&[
            (
                0,
                "Students travel.",
                &["Exchange", "funding"],
                "Why it works.\nMore.",
            ),
            (1, "Embassies connect", &[], ""),
        ]);
        let text = listing(&paths, None, None, false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{text}");
        assert!(lines[0].starts_with("h-"), "{text}");
        assert!(
            lines[0].ends_with("  cultural-diplomacy    green  exact  Exchange, funding"),
            "{text}"
        );
        assert_eq!(lines[1], "    \"Students travel.\"");
        assert_eq!(lines[2], "    note: Why it works. …");
        assert!(
            lines[3].ends_with("  innovation-diplomacy  green  exact"),
            "{text}"
        );
        assert_eq!(lines[4], "    \"Embassies connect\"");
    }

    #[test]
    fn one_article_or_one_tag_narrows_the_list() {
        let (_dir, paths) = data_with(&[
            (0, "Students travel.", &["Funding"], ""),
            (0, "Opening words.", &[], ""),
            (1, "Embassies connect", &["funding"], ""),
        ]);
        let value: serde_json::Value =
            serde_json::from_str(&listing(&paths, Some("cultural"), None, true)).unwrap();
        let quotes: Vec<&str> = value
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["quote"].as_str().unwrap())
            .collect();
        assert_eq!(quotes, ["Opening words.", "Students travel."]);

        let value: serde_json::Value =
            serde_json::from_str(&listing(&paths, None, Some("FUNDING"), true)).unwrap();
        let articles: Vec<&str> = value
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["article"].as_str().unwrap())
            .collect();
        assert_eq!(articles, ["cultural-diplomacy", "innovation-diplomacy"]);
    }

    #[test]
    fn json_has_every_field_in_a_stable_order() {
        let (_dir, paths) = data_with(&[(0, "Students travel.", &["x"], "line one\nline two")]);
        let out = listing(&paths, None, None, true);
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        let first = &value[0];
        assert_eq!(first["note"], "line one\nline two");
        assert_eq!(first["color"], "green");
        assert_eq!(first["state"], "exact");
        let plain = sample::library().articles[0].plain_text();
        let start = plain.find("Students travel.").unwrap();
        assert_eq!(first["start"], start);
        assert_eq!(first["end"], start + "Students travel.".len());
        assert_eq!(first["created"], "1970-01-01T00:00:00Z");
        let keys = [
            "id", "article", "color", "tags", "note", "quote", "prefix", "suffix", "start", "end",
            "state", "created", "updated",
        ];
        let at: Vec<usize> = keys
            .iter()
            .map(|key| out.find(&format!("\"{key}\"")).unwrap())
            .collect();
        assert!(at.windows(2).all(|pair| pair[0] < pair[1]), "{out}");
    }

    #[test]
    fn an_unknown_article_is_not_found() {
        let (_dir, paths) = data_with(&[]);
        let args = HighlightsArgs {
            article: Some("nothing-like-it".into()),
            tag: None,
            json: false,
        };
        let err = run(
            &args,
            &sample::library(),
            &paths,
            &mut Vec::new(),
            &mut Vec::new(),
        )
        .unwrap_err();
        assert_eq!(err.exit_code(), 1);
    }

    #[test]
    fn a_highlight_placed_by_similarity_is_listed_for_review_with_its_original_words() {
        let dir = tempfile::tempdir().unwrap();
        let paths = DataPaths::under(dir.path().to_path_buf());
        // Made when the article read differently.
        let before = sample::article(
            "innovation-diplomacy",
            "How missions foster innovation",
            &[sample::paragraph("Embassies connect young researchers.")],
        );
        let plain = before.plain_text();
        let h = new_highlight(
            &before,
            &plain,
            0..plain.len(),
            Color::Green,
            Timestamp::UNIX_EPOCH,
        );
        let mut annotations = Annotations::new();
        annotations.upsert(h);
        crate::store::annotations::save_merged(&paths.annotations_file(), &annotations).unwrap();

        let text = listing(&paths, None, None, false);
        assert!(text.contains("  fuzzy"), "{text}");
        assert!(
            text.contains("    \"Embassies connect young researchers.\"\n"),
            "{text}"
        );
        assert!(
            text.contains("    needs review; reads now: \"Embassies connect researchers.\""),
            "{text}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&listing(&paths, None, None, true)).unwrap();
        assert_eq!(json[0]["quote"], "Embassies connect young researchers.");
        assert_eq!(json[0]["state"], "fuzzy");
        assert_eq!(json[0]["review"], true);
        assert_eq!(json[0]["now"], "Embassies connect researchers.");
    }
}
