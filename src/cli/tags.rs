//! `gloss tags`: the tag vocabulary in use, with how many highlights carry
//! each tag (and, in JSON, which ones), so a script can walk the library by
//! tag and a person can spot two spellings of one idea.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::{CliError, annotations_file, pad_end, pad_start};
use crate::annotation::Highlight;
use crate::annotation::tag::tag_key;
use crate::paths::DataPaths;
use crate::store::annotations::Annotations;
use crate::text::sanitize_line;

#[derive(Debug, Args)]
pub struct TagsArgs {
    /// Print a JSON array instead of aligned columns, with the highlight ids.
    #[arg(long)]
    pub json: bool,
}

/// One tag as `gloss tags --json` prints it; field order is part of the output.
#[derive(Debug, Serialize)]
struct ListedTag {
    /// As first written; tags that differ only in case are one tag.
    name: String,
    count: usize,
    /// By article, then place in the article.
    highlights: Vec<String>,
}

pub fn run(
    args: &TagsArgs,
    paths: &DataPaths,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> Result<(), CliError> {
    let loaded = annotations_file::load(paths, warnings);
    let tags = listed_tags(&loaded.annotations);
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &tags).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return annotations_file::finish(&loaded);
    }
    let name_width = tags
        .iter()
        .map(|tag| crate::text::display_width(&tag.name))
        .max()
        .unwrap_or(0);
    let count_width = tags
        .iter()
        .map(|tag| tag.count.to_string().len())
        .max()
        .unwrap_or(0);
    for tag in &tags {
        let name = pad_end(&tag.name, name_width);
        let count = pad_start(&tag.count.to_string(), count_width);
        writeln!(out, "{name}  {count}")?;
    }
    annotations_file::finish(&loaded)
}

/// Every tag in use, sorted by name without regard to case.
fn listed_tags(annotations: &Annotations) -> Vec<ListedTag> {
    let mut in_order: Vec<&Highlight> = annotations.iter().collect();
    in_order.sort_by(|a, b| {
        (&a.article, a.anchor.position.start, &a.id).cmp(&(
            &b.article,
            b.anchor.position.start,
            &b.id,
        ))
    });
    annotations
        .tags()
        .into_iter()
        .map(|tag| {
            let key = tag_key(&tag.name);
            let highlights: Vec<String> = in_order
                .iter()
                .filter(|h| h.tags.iter().any(|t| tag_key(t) == key))
                .map(|h| sanitize_line(&h.id))
                .collect();
            ListedTag {
                name: sanitize_line(&tag.name),
                count: tag.count,
                highlights,
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::annotation::TextAnchor;

    fn highlight(id: &str, start: usize, tags: &[&str]) -> Highlight {
        let mut anchor = TextAnchor::default();
        anchor.position.start = start;
        Highlight {
            id: id.into(),
            article: "a".into(),
            text_hash: String::new(),
            anchor,
            placement: None,
            color: crate::annotation::Color::Yellow,
            tags: tags.iter().map(ToString::to_string).collect(),
            note: String::new(),
            created: Timestamp::UNIX_EPOCH,
            updated: Timestamp::UNIX_EPOCH,
        }
    }

    fn tags_of(highlights: &[Highlight], json: bool) -> String {
        let dir = tempfile::tempdir().unwrap();
        let paths = DataPaths::under(dir.path().to_path_buf());
        let mut annotations = Annotations::new();
        for h in highlights {
            annotations.upsert(h.clone());
        }
        crate::store::annotations::save_merged(&paths.annotations_file(), &annotations).unwrap();
        let mut out = Vec::new();
        run(&TagsArgs { json }, &paths, &mut out, &mut Vec::new()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn tags_are_counted_and_sorted_without_regard_to_case() {
        let highlights = [
            highlight("h-1", 50, &["metrics", "Funding"]),
            highlight("h-2", 10, &["funding"]),
            highlight("h-3", 30, &["ärger", "Zebra"]),
        ];
        let text = tags_of(&highlights, false);
        assert_eq!(text, "Funding  2\nmetrics  1\nZebra    1\närger    1\n");
        let value: serde_json::Value = serde_json::from_str(&tags_of(&highlights, true)).unwrap();
        assert_eq!(value[0]["name"], "Funding");
        assert_eq!(value[0]["count"], 2);
        assert_eq!(value[0]["highlights"], serde_json::json!(["h-2", "h-1"]));
    }

    #[test]
    fn no_highlights_no_tags() {
        assert_eq!(tags_of(&[], false), "");
        assert_eq!(tags_of(&[], true), "[]\n");
    }
}
