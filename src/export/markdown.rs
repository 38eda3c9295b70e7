//! The Markdown export: front matter, then gloss's marked region with the
//! title, the section headings in article order, and each highlight as a
//! block quote of its text followed by its block id, tags and note. Also the
//! index of a folder of exports.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use super::arrange::{Arranged, arrange, section_path};
use super::escape::{block_quote, inline, vault_tag, yaml_string};
use super::note::note_markdown;
use super::region::{END_MARKER, WRITTEN_BY, begin_marker};
use super::{Document, ExportOptions, GroupBy, Subject};
use crate::annotation::tag::unique_tags;
use crate::annotation::{Highlight, text_hash};
use crate::library::Article;
use crate::text::sanitize_line;

/// The heading of the highlights that can no longer be found.
const ORPHANS_HEADING: &str = "Orphaned highlights";
const ORPHANS_NOTE: &str = "These passages could not be found in the article as it is now; each is quoted as it was highlighted.";
/// The heading of the highlights without tags, when grouping by tag.
const UNTAGGED_HEADING: &str = "Untagged";
/// Between the parts of a highlight's context line.
const CONTEXT_SEPARATOR: &str = " › ";

/// The highlights under one tag heading: the heading (the tag as first
/// written) and each highlight with where it comes from.
type TagGroup<'h> = (String, Vec<(&'h Highlight, String)>);

/// One line of the index of a folder of exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// The article's title.
    pub title: String,
    /// The export's file name, in the same folder as the index.
    pub file_name: String,
    pub highlights: usize,
}

/// The whole Markdown file for `doc`: front matter, then gloss's region.
pub fn render_markdown(doc: &Document, options: &ExportOptions) -> String {
    let mut out = Blocks::new(&doc.subject);
    let mut ids = BlockIds::new(doc);
    let arranged: Vec<(&Article, Arranged)> = doc
        .parts
        .iter()
        .map(|part| (part.article, arrange(part.article, &part.highlights)))
        .collect();
    let front = if let Some(part) = doc.single() {
        let article = part.article;
        out.heading(1, &title_of(article));
        out.describe(article);
        match options.group_by {
            GroupBy::Section => out.by_section(&arranged[0], 0, &mut ids),
            GroupBy::Article => out.in_reading_order(&arranged[0], 0, &mut ids),
            GroupBy::Tag => out.by_tag(&arranged, true, &mut ids),
        }
        article_front_matter(article)
    } else {
        out.heading(1, &doc.subject.collection_title());
        match options.group_by {
            GroupBy::Tag => out.by_tag(&arranged, false, &mut ids),
            GroupBy::Section | GroupBy::Article => {
                for one in &arranged {
                    out.heading(2, &title_of(one.0));
                    out.describe(one.0);
                    if options.group_by == GroupBy::Section {
                        out.by_section(one, 1, &mut ids);
                    } else {
                        out.in_reading_order(one, 1, &mut ids);
                    }
                }
            }
        }
        let tags: Vec<String> = doc.subject.tag().into_iter().map(str::to_owned).collect();
        vec![
            ("title", yaml_string(&doc.subject.collection_title())),
            ("tags", yaml_tags(&tags)),
        ]
    };
    finish(front, &doc.subject, &out, options)
}

/// The index of a folder of exports: a link to each file with its number of
/// highlights, in the order given.
pub fn render_index(entries: &[IndexEntry], options: &ExportOptions) -> String {
    let subject = Subject::index();
    let mut out = Blocks::new(&subject);
    out.heading(1, "Highlights");
    let list: Vec<String> = entries
        .iter()
        .map(|entry| {
            let count = match entry.highlights {
                1 => "1 highlight".to_owned(),
                n => format!("{n} highlights"),
            };
            format!(
                "- [{}]({}) · {count}",
                inline(&entry.title),
                link_destination(&entry.file_name)
            )
        })
        .collect();
    if !list.is_empty() {
        out.block(&list.join("\n"));
    }
    let front = vec![
        ("title", yaml_string("Highlights")),
        ("tags", yaml_tags(&[])),
    ];
    finish(front, &subject, &out, options)
}

/// The block id of a highlight, without its `^`: `gloss-` and the first 12
/// hex digits of its id (a hash of the id for ids of another shape), the
/// same in every export, so notes can link to it.
pub fn block_id(highlight_id: &str) -> String {
    let hex = highlight_id.strip_prefix("h-").unwrap_or(highlight_id);
    if hex.len() >= 12 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        format!("gloss-{}", hex[..12].to_ascii_lowercase())
    } else {
        format!("gloss-{}", &text_hash(highlight_id)[..12])
    }
}

/// Front matter, region and end marker together.
fn finish(
    mut front: Vec<(&str, String)>,
    subject: &Subject,
    out: &Blocks,
    options: &ExportOptions,
) -> String {
    // Says gloss wrote the file: a re-export replaces only such files.
    front.push((WRITTEN_BY, yaml_string(&subject.token())));
    if let Some(stamp) = options.stamp {
        front.push(("exported", yaml_string(&stamp.to_string())));
    }
    let mut text = String::from("---\n");
    for (key, value) in front {
        let _ = writeln!(text, "{key}: {value}");
    }
    text.push_str("---\n\n");
    text.push_str(&out.text);
    text.push_str(END_MARKER);
    text.push('\n');
    text
}

fn article_front_matter(article: &Article) -> Vec<(&'static str, String)> {
    let meta = &article.meta;
    let mut front = vec![("title", yaml_string(&title_of(article)))];
    let optional = [
        ("subtitle", &meta.subtitle),
        ("source", &meta.source),
        ("date", &meta.date),
    ];
    for (key, value) in optional {
        if let Some(value) = value.as_deref().filter(|v| !sanitize_line(v).is_empty()) {
            front.push((key, yaml_string(value)));
        }
    }
    front.push(("tags", yaml_tags(&meta.tags)));
    front.push(("gloss-article", yaml_string(&meta.id)));
    front
}

/// A YAML list of `tags` as vault tags, without repeats.
fn yaml_tags(tags: &[String]) -> String {
    let quoted: Vec<String> = unique_vault_tags(tags.iter().map(String::as_str))
        .iter()
        .map(|tag| yaml_string(tag))
        .collect();
    format!("[{}]", quoted.join(", "))
}

/// `tags` as vault tags, dropping those that leave nothing and repeats (the
/// same tag as [`crate::annotation::tag`] compares them), in the order given.
fn unique_vault_tags<'t>(tags: impl IntoIterator<Item = &'t str>) -> Vec<String> {
    unique_tags(tags)
        .iter()
        .filter_map(|tag| vault_tag(tag))
        .collect()
}

/// The article's title, or its id when it has none.
fn title_of(article: &Article) -> String {
    let title = sanitize_line(&article.meta.title);
    if title.is_empty() {
        sanitize_line(&article.meta.id)
    } else {
        title
    }
}

/// The titles of the sections enclosing `section`, outermost first.
fn section_titles(article: &Article, section: Option<usize>) -> Vec<String> {
    section
        .map(|s| section_path(article, s))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| article.sections.get(s))
        .map(|s| sanitize_line(&s.title))
        .collect()
}

/// The marker of a highlight whose place was found by similarity and waits
/// for the person's review, with what the article reads there now.
fn review_line(now: &str) -> String {
    format!(
        "needs review: the article changed and now reads “{}”",
        sanitize_line(&now.replace("\n\n", " "))
    )
}

/// Each highlight's block id, told apart within one document even if two
/// ids share their first digits; each is written only once per document.
struct BlockIds {
    by_highlight: HashMap<String, String>,
    written: HashSet<String>,
}

impl BlockIds {
    fn new(doc: &Document) -> BlockIds {
        let all: Vec<&Highlight> = doc
            .parts
            .iter()
            .flat_map(|part| part.highlights.iter().copied())
            .collect();
        let mut holders: HashMap<String, HashSet<&str>> = HashMap::new();
        for highlight in &all {
            holders
                .entry(block_id(&highlight.id))
                .or_default()
                .insert(highlight.id.as_str());
        }
        let by_highlight = all
            .iter()
            .map(|highlight| {
                let short = block_id(&highlight.id);
                let shared = holders.get(&short).is_some_and(|ids| ids.len() > 1);
                let id = if shared {
                    format!("gloss-{}", text_hash(&highlight.id))
                } else {
                    short
                };
                (highlight.id.clone(), id)
            })
            .collect();
        BlockIds {
            by_highlight,
            written: HashSet::new(),
        }
    }

    /// The highlight's block id the first time it is asked for, then `None`.
    fn first_use(&mut self, highlight: &Highlight) -> Option<String> {
        let id = self.by_highlight.get(&highlight.id)?;
        self.written
            .insert(highlight.id.clone())
            .then(|| id.clone())
    }
}

/// The region being written: Markdown blocks, each followed by a blank line.
struct Blocks {
    text: String,
}

impl Blocks {
    fn new(subject: &Subject) -> Blocks {
        let mut text = begin_marker(subject);
        text.push_str("\n\n");
        Blocks { text }
    }

    fn block(&mut self, block: &str) {
        self.text.push_str(block.trim_end_matches('\n'));
        self.text.push_str("\n\n");
    }

    fn heading(&mut self, level: usize, title: &str) {
        let level = level.clamp(1, 6);
        self.block(&format!("{} {}", "#".repeat(level), inline(title)));
    }

    /// The subtitle, then the date and the source on one line.
    fn describe(&mut self, article: &Article) {
        let meta = &article.meta;
        if let Some(subtitle) = meta.subtitle.as_deref().map(inline)
            && !subtitle.is_empty()
        {
            self.block(&subtitle);
        }
        let date = meta.date.as_deref().map(inline);
        let source = meta.source.as_deref().map(link_or_text);
        let byline: Vec<String> = [date, source]
            .into_iter()
            .flatten()
            .filter(|part| !part.is_empty())
            .collect();
        if !byline.is_empty() {
            self.block(&byline.join(" · "));
        }
    }

    /// Highlights under the article's section headings (each heading and
    /// those enclosing it written once, before its first highlight), then
    /// the orphans. `shift` moves every heading down that many levels.
    fn by_section(
        &mut self,
        (article, arranged): &(&Article, Arranged),
        shift: usize,
        ids: &mut BlockIds,
    ) {
        let mut shown = vec![false; article.sections.len()];
        for placed in &arranged.placed {
            for section in placed
                .section
                .map(|s| section_path(article, s))
                .unwrap_or_default()
            {
                if !shown[section] {
                    shown[section] = true;
                    let heading = &article.sections[section];
                    let level = usize::from(heading.level).max(2) + shift;
                    self.heading(level, &heading.title);
                }
            }
            self.highlight(placed.highlight, None, placed.review.as_deref(), ids);
        }
        self.orphans(arranged, 2 + shift, ids);
    }

    /// Highlights in reading order, each with its section named, then the orphans.
    fn in_reading_order(
        &mut self,
        (article, arranged): &(&Article, Arranged),
        shift: usize,
        ids: &mut BlockIds,
    ) {
        for placed in &arranged.placed {
            let context = section_titles(article, placed.section).join(CONTEXT_SEPARATOR);
            self.highlight(
                placed.highlight,
                Some(&context),
                placed.review.as_deref(),
                ids,
            );
        }
        self.orphans(arranged, 2 + shift, ids);
    }

    /// Highlights under each of their tags, tags sorted by name (ignoring
    /// case), then those without tags; each with where it comes from.
    fn by_tag(&mut self, arranged: &[(&Article, Arranged)], single: bool, ids: &mut BlockIds) {
        let mut tagged: BTreeMap<String, TagGroup> = BTreeMap::new();
        let mut untagged = Vec::new();
        for (article, one) in arranged {
            let title = (!single).then(|| title_of(article));
            let placed = one.placed.iter().map(|p| {
                let mut where_ = section_titles(article, p.section);
                where_.extend(p.review.as_deref().map(review_line));
                (p.highlight, where_)
            });
            let orphans = one.orphans.iter().map(|&h| {
                (
                    h,
                    vec!["orphaned: not found in the article as it is now".to_owned()],
                )
            });
            for (highlight, where_) in placed.chain(orphans) {
                let context: Vec<String> = title.iter().cloned().chain(where_).collect();
                let context = context.join(CONTEXT_SEPARATOR);
                let tags = unique_vault_tags(highlight.tags.iter().map(String::as_str));
                if tags.is_empty() {
                    untagged.push((highlight, context));
                    continue;
                }
                for tag in tags {
                    tagged
                        .entry(tag.to_lowercase())
                        .or_insert_with(|| (tag, Vec::new()))
                        .1
                        .push((highlight, context.clone()));
                }
            }
        }
        let groups = tagged
            .into_values()
            .chain((!untagged.is_empty()).then(|| (UNTAGGED_HEADING.to_owned(), untagged)));
        for (heading, highlights) in groups {
            self.heading(2, &heading);
            for (highlight, context) in highlights {
                self.highlight(highlight, Some(&context), None, ids);
            }
        }
    }

    fn orphans(&mut self, arranged: &Arranged, level: usize, ids: &mut BlockIds) {
        if arranged.orphans.is_empty() {
            return;
        }
        self.heading(level, ORPHANS_HEADING);
        self.block(ORPHANS_NOTE);
        for orphan in &arranged.orphans {
            self.highlight(orphan, None, None, ids);
        }
    }

    /// The quote as the person chose it, whether its place needs review
    /// (with what the article reads there now), its block id (the first
    /// time), where it comes from, its tags and its note.
    fn highlight(
        &mut self,
        highlight: &Highlight,
        context: Option<&str>,
        review: Option<&str>,
        ids: &mut BlockIds,
    ) {
        self.block(&block_quote(&highlight.anchor.quote.exact));
        if let Some(now) = review {
            self.block(&format!("*{}*", inline(&review_line(now))));
        }
        if let Some(id) = ids.first_use(highlight) {
            self.block(&format!("^{id}"));
        }
        if let Some(context) = context.map(inline).filter(|c| !c.is_empty()) {
            self.block(&format!("*{context}*"));
        }
        let tags = unique_vault_tags(highlight.tags.iter().map(String::as_str));
        if !tags.is_empty() {
            let line: Vec<String> = tags.iter().map(|tag| format!("#{tag}")).collect();
            self.block(&line.join(" "));
        }
        if let Some(note) = note_markdown(&highlight.note) {
            self.block(&note);
        }
    }
}

/// A relative link to `file_name`: as it is when it holds only letters,
/// digits, `-`, `_` and `.` (as [`super::file_names`] makes them), otherwise
/// in angle brackets, which allow spaces and parentheses.
fn link_destination(file_name: &str) -> String {
    let clean = sanitize_line(file_name);
    if clean
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        clean
    } else {
        format!("<{}>", clean.replace(['<', '>'], ""))
    }
}

/// A web address as an autolink (`<https://…>`); anything else as text.
fn link_or_text(source: &str) -> String {
    let clean = sanitize_line(source);
    let is_url = (clean.starts_with("https://") || clean.starts_with("http://"))
        && !clean.contains(|c: char| c.is_whitespace() || c == '<' || c == '>');
    if is_url {
        format!("<{clean}>")
    } else {
        inline(&clean)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_ids_come_from_highlight_ids() {
        assert_eq!(block_id("h-0123456789ABCDEF"), "gloss-0123456789ab");
        let odd = block_id("imported/7");
        assert!(
            odd.starts_with("gloss-") && odd.len() == "gloss-".len() + 12,
            "{odd}"
        );
        assert_eq!(block_id("imported/7"), odd, "stable");
    }

    #[test]
    fn the_index_links_each_file() {
        let entries = [
            IndexEntry {
                title: "A [title]".into(),
                file_name: "a.md".into(),
                highlights: 1,
            },
            IndexEntry {
                title: "B".into(),
                file_name: "b (2).md".into(),
                highlights: 3,
            },
        ];
        let text = render_index(&entries, &ExportOptions::default());
        assert!(
            text.starts_with(
                "---\ntitle: \"Highlights\"\ntags: []\ngloss-export: \"index\"\n---\n\n<!-- gloss:begin index "
            )
        );
        assert!(
            text.contains(
                "\n- [A \\[title\\]](a.md) · 1 highlight\n- [B](<b (2).md>) · 3 highlights\n"
            ),
            "{text}"
        );
        assert!(text.ends_with("<!-- gloss:end -->\n"));
    }
}
