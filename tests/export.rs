//! Exports as a note vault and a `CommonMark` renderer see them: every block
//! quote, parsed back with pulldown-cmark (plain `CommonMark`, and with the
//! extensions vault editors use), reads as exactly the highlighted text, even
//! text full of Markdown characters, CJK and emoji; the same highlights give
//! the same bytes; a re-export keeps what the person wrote around gloss's
//! region; and no article id or tag can lead a file out of the export folder.
//! The last tests run `gloss export` itself against a temporary data folder.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::single_range_in_vec_init,
    clippy::case_sensitive_file_extension_comparisons
)]

use crate::files;

use crate::binary;

use std::path::Path;
use std::process::Output;

use files::names_in;
use gloss::annotation::{Color, Highlight, new_highlight};
use gloss::export::{
    Document, ExportOptions, GroupBy, Subject, WriteOutcome, block_quote, default_export_dir,
    export_article_to_dir, path_in, render_article, render_json, render_markdown, write_export,
};
use gloss::library::{Article, ArticleMeta, Block, BlockKind, Origin, Section};
use gloss::paths::DataPaths;
use gloss::store::annotations::Annotations;
use jiff::Timestamp;
use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

// ---------------------------------------------------------------------------
// Building articles and highlights by hand, so their text can hold anything.

/// A heading (`Some(level)`) or a paragraph (`None`) and its text.
type Part<'a> = (Option<u8>, &'a str);

/// An article whose blocks are exactly `parts`, with no Markdown parsing in
/// between, so its plain text holds every character as given.
fn article(id: &str, title: &str, parts: &[Part]) -> Article {
    let mut blocks = Vec::new();
    let mut sections = Vec::new();
    let mut start = 0;
    for (index, &(level, text)) in parts.iter().enumerate() {
        let kind = match level {
            Some(level) => {
                sections.push(Section {
                    title: text.to_owned(),
                    level,
                    block: index,
                });
                BlockKind::Heading {
                    level,
                    section: sections.len() - 1,
                }
            }
            None => BlockKind::Paragraph,
        };
        blocks.push(Block {
            kind,
            text: text.to_owned(),
            sentences: vec![0..text.len()],
            section: sections.len().checked_sub(1),
            start,
        });
        start += text.len() + 2;
    }
    Article {
        meta: ArticleMeta {
            id: id.to_owned(),
            title: title.to_owned(),
            subtitle: Some("A *subtitle* with [brackets]".to_owned()),
            date: Some("2025-08-12".to_owned()),
            source: Some("https://example.org/a_b?c=d".to_owned()),
            tags: vec!["Soft Power".to_owned(), "#exchange".to_owned()],
        },
        blocks,
        sections,
        origin: Origin::Bundled(format!("{id}.md")),
        word_count: 100,
        text_len: start.saturating_sub(2),
        sentences_split: true,
        warnings: Vec::new(),
    }
}

/// A highlight of the first `quote` in `article`, with tags and a note.
fn highlight(article: &Article, quote: &str, tags: &[&str], note: &str) -> Highlight {
    let plain = article.plain_text();
    let start = plain
        .find(quote)
        .unwrap_or_else(|| panic!("{quote:?} is not in the article"));
    let mut h = new_highlight(
        article,
        &plain,
        start..start + quote.len(),
        Color::Yellow,
        Timestamp::UNIX_EPOCH,
    );
    h.tags = tags.iter().map(ToString::to_string).collect();
    note.clone_into(&mut h.note);
    h
}

/// Paragraphs full of what Markdown and vault editors give meaning to.
const HOSTILE: &[&str] = &[
    "*Stars* and _underscores_ with `code`, [links](http://x) and <b>html</b>.",
    "# Not a heading",
    "> Not a quote",
    "1. Not a list",
    "- Not a list either",
    "+ Nor this",
    "1) Nor this one",
    "    Four spaces in front and two behind  ",
    "==highlight== %%comment%% $math$ ~~strike~~ ^sup^ H~2~O [[wiki]] [^1] #tag",
    "| a | b |\n|---|---|\n| c | d |",
    "```\nfenced\n```",
    "Term\n: definition",
    "成果 and emoji 😀👩‍👩‍👧 and e\u{301} and 🇯🇵",
    "back\\slash at the end\\",
    "<!-- gloss:end -->",
    "---",
    "===",
    "[!NOTE] a callout?",
    "![image](x.png) &amp; &#35; &copy AT&T",
    "<https://example.com> www.example.com",
    "\\* already escaped \\_",
    "Setext\n---",
    "\t tab first",
    "<div>\nraw block\n</div>",
    "***",
    "{#id .class}",
    "^gloss-123456789abc",
];

/// An article with sections whose paragraphs are [`HOSTILE`].
fn hostile_article() -> Article {
    let mut parts: Vec<Part> = vec![(None, "Before any section.")];
    for (i, text) in HOSTILE.iter().enumerate() {
        match i {
            0 => parts.push((Some(2), "First *section* #1")),
            9 => parts.push((Some(3), "Nested [section]")),
            18 => parts.push((Some(2), "成果 section")),
            _ => {}
        }
        parts.push((None, text));
    }
    article("hostile", "Title with `ticks` & <angles>", &parts)
}

// ---------------------------------------------------------------------------
// Reading the Markdown back as a renderer does.

/// What a renderer made of a document: the text of each top-level block
/// quote, and the text of each heading, in order.
#[derive(Debug, Default)]
struct Rendered {
    quotes: Vec<String>,
    headings: Vec<String>,
    paragraphs: Vec<String>,
}

/// Plain `CommonMark`, and `CommonMark` with what vault editors add (all of
/// pulldown-cmark's extensions but typographic quotes, which change text by design).
fn renderers() -> [Options; 2] {
    [
        Options::empty(),
        Options::all() - Options::ENABLE_SMART_PUNCTUATION,
    ]
}

/// Parses `markdown`; panics if a block quote holds anything but text and
/// line breaks (emphasis, code, links, HTML, math, lists, …).
fn render(markdown: &str, options: Options) -> Rendered {
    // Vaults read the front matter as properties, not as Markdown.
    let markdown = markdown
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map_or(markdown, |(_, body)| body);
    let mut rendered = Rendered::default();
    let mut quote_depth = 0;
    let mut current: Option<(String, usize)> = None;
    let mut heading: Option<String> = None;
    let mut paragraph: Option<String> = None;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::BlockQuote(_)) => {
                quote_depth += 1;
                if quote_depth == 1 {
                    current = Some((String::new(), 0));
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                quote_depth -= 1;
                if quote_depth == 0 {
                    rendered.quotes.push(current.take().unwrap().0);
                }
            }
            Event::Start(Tag::Heading { .. }) if quote_depth == 0 => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) if quote_depth == 0 => {
                rendered.headings.push(heading.take().unwrap());
            }
            Event::Start(Tag::Paragraph) if quote_depth == 0 => paragraph = Some(String::new()),
            Event::End(TagEnd::Paragraph) if quote_depth == 0 => {
                rendered.paragraphs.extend(paragraph.take());
            }
            event if quote_depth > 0 => {
                let (text, paragraphs) = current.as_mut().unwrap();
                match event {
                    Event::Start(Tag::Paragraph) => {
                        if *paragraphs > 0 {
                            text.push_str("\n\n");
                        }
                        *paragraphs += 1;
                    }
                    Event::End(TagEnd::Paragraph) => {}
                    Event::Text(t) => text.push_str(&t),
                    Event::SoftBreak | Event::HardBreak => text.push('\n'),
                    other => panic!("markup {other:?} in a quote of:\n{markdown}"),
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                } else if let Some(p) = paragraph.as_mut() {
                    p.push_str(&t);
                }
            }
            _ => {}
        }
    }
    rendered
}

/// What a quote can show of `text`: Markdown has no way to write line
/// breaks at the ends of a block quote or several blank lines in a row.
fn showable(text: &str) -> String {
    let clean = gloss::text::sanitize_text(text);
    let mut out = clean.trim_matches('\n').to_owned();
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out
}

fn markdown(doc: &Document, group_by: GroupBy) -> String {
    render_markdown(
        doc,
        &ExportOptions {
            group_by,
            stamp: None,
        },
    )
}

// ---------------------------------------------------------------------------
// Quotes read back as the highlighted text.

#[test]
fn every_quote_renders_as_exactly_its_text() {
    let article = hostile_article();
    let mut highlights: Vec<Highlight> = HOSTILE
        .iter()
        .map(|text| highlight(&article, text, &["markdown"], ""))
        .collect();
    // One over two paragraphs, and one in the middle of a paragraph.
    highlights.push(highlight(&article, "Not a heading\n\n> Not", &[], ""));
    highlights.push(highlight(&article, "emoji 😀👩‍👩‍👧 and e\u{301}", &[], ""));
    let refs: Vec<&Highlight> = highlights.iter().collect();
    let doc = Document::article(&article, refs);

    let mut expected: Vec<(usize, String)> = highlights
        .iter()
        .map(|h| (h.anchor.position.start, showable(&h.anchor.quote.exact)))
        .collect();
    expected.sort();
    let expected: Vec<String> = expected.into_iter().map(|(_, q)| q).collect();

    for group_by in [GroupBy::Section, GroupBy::Article] {
        let text = markdown(&doc, group_by);
        for options in renderers() {
            assert_eq!(
                render(&text, options).quotes,
                expected,
                "{group_by:?}, {options:?}:\n{text}"
            );
        }
    }
    let by_tag = markdown(&doc, GroupBy::Tag);
    for options in renderers() {
        let mut quotes = render(&by_tag, options).quotes;
        quotes.sort();
        let mut wanted = expected.clone();
        wanted.sort();
        assert_eq!(quotes, wanted, "{by_tag}");
    }
}

#[test]
fn headings_follow_the_article_and_show_their_text() {
    let article = hostile_article();
    let highlights = [
        highlight(&article, "Before any section.", &[], ""),
        highlight(&article, HOSTILE[10], &[], ""),
        highlight(&article, HOSTILE[20], &[], ""),
    ];
    let text = render_article(
        &article,
        &highlights.iter().collect::<Vec<_>>(),
        &ExportOptions::default(),
    );
    for options in renderers() {
        let rendered = render(&text, options);
        assert_eq!(
            rendered.headings,
            [
                "Title with `ticks` & <angles>",
                "First *section* #1",
                "Nested [section]",
                "成果 section"
            ],
            "{options:?}:\n{text}"
        );
        assert!(
            rendered
                .paragraphs
                .contains(&"A *subtitle* with [brackets]".to_owned()),
            "{rendered:?}"
        );
    }
    assert!(text.contains("\n## First \\*section\\* \\#1\n"), "{text}");
    assert!(text.contains("\n### Nested \\[section\\]\n"), "{text}");
    assert!(text.contains("<https://example.org/a_b?c=d>"), "{text}");
}

#[test]
fn the_front_matter_holds_title_source_date_and_vault_tags() {
    let article = hostile_article();
    let h = highlight(&article, "Before any section.", &[], "");
    let text = render_article(&article, &[&h], &ExportOptions::default());
    assert!(
        text.starts_with(
            "---\ntitle: \"Title with `ticks` & <angles>\"\n\
             subtitle: \"A *subtitle* with [brackets]\"\n\
             source: \"https://example.org/a_b?c=d\"\n\
             date: \"2025-08-12\"\n\
             tags: [\"Soft-Power\", \"exchange\"]\n\
             gloss-article: \"hostile\"\n\
             gloss-export: \"article:hostile\"\n---\n\n<!-- gloss:begin article:hostile "
        ),
        "{text}"
    );
    assert!(!text.contains("exported:"), "no time stamp unless asked");
    let stamped = render_article(
        &article,
        &[&h],
        &ExportOptions {
            stamp: Some(Timestamp::UNIX_EPOCH),
            ..ExportOptions::default()
        },
    );
    assert!(
        stamped.contains("\nexported: \"1970-01-01T00:00:00Z\"\n---\n"),
        "{stamped}"
    );
}

#[test]
fn tags_block_ids_and_notes_follow_each_quote() {
    let article = hostile_article();
    let h = highlight(
        &article,
        "Before any section.",
        &["Soft Power", "R&D", "../../etc", "2024", "r&d", "😀"],
        "My *own* note.\n\n- with a list",
    );
    let text = render_article(&article, &[&h], &ExportOptions::default());
    let block = format!("^gloss-{}", &h.id[2..14]);
    let expected = format!(
        "> Before any section.\n\n{block}\n\n#Soft-Power #R--and--D #--dot----dot--/--dot----dot--/etc #_2024 #--u1f600--\n\nMy *own* note.\n\n- with a list\n\n"
    );
    assert!(text.contains(&expected), "{text}");
    for options in renderers() {
        let rendered = render(&text, options);
        assert!(
            rendered.paragraphs.contains(
                &"#Soft-Power #R--and--D #--dot----dot--/--dot----dot--/etc #_2024 #--u1f600--"
                    .to_owned()
            ),
            "the tags render as written: {rendered:?}"
        );
    }
}

#[test]
fn a_note_cannot_swallow_what_follows() {
    let article = hostile_article();
    let first = highlight(
        &article,
        "Before any section.",
        &[],
        "```\nnever closed\n<!-- gloss:end -->",
    );
    let second = highlight(&article, HOSTILE[1], &[], "<!-- never closed either");
    let third = highlight(&article, HOSTILE[2], &[], "");
    let text = render_article(
        &article,
        &[&first, &second, &third],
        &ExportOptions::default(),
    );
    for options in renderers() {
        assert_eq!(
            render(&text, options).quotes,
            ["Before any section.", "# Not a heading", "> Not a quote"],
            "{text}"
        );
    }
    assert_eq!(
        text.matches("<!-- gloss:end -->").count(),
        2,
        "one marker and the defused note line:\n{text}"
    );
    assert_eq!(
        text.lines()
            .filter(|l| l.trim() == "<!-- gloss:end -->")
            .count(),
        1
    );
}

#[test]
fn orphaned_highlights_have_a_section_of_their_own() {
    let article = hostile_article();
    let found = highlight(&article, HOSTILE[3], &[], "");
    let mut lost = highlight(&article, HOSTILE[4], &[], "");
    lost.anchor.quote.exact = "A *passage* that was rewritten away".into();
    lost.anchor.quote.prefix = "nothing like".into();
    lost.anchor.quote.suffix = "this at all".into();
    lost.text_hash = "0".into();
    let text = render_article(&article, &[&lost, &found], &ExportOptions::default());
    for options in renderers() {
        let rendered = render(&text, options);
        assert_eq!(
            rendered.headings.last().map(String::as_str),
            Some("Orphaned highlights")
        );
        assert_eq!(
            rendered.quotes,
            ["1. Not a list", "A *passage* that was rewritten away"]
        );
    }
}

#[test]
fn exports_of_several_articles_and_by_tag_render_every_quote() {
    let one = hostile_article();
    let two = article("two", "Second", &[(Some(2), "Only"), (None, "成果 😀 *x*")]);
    let a = highlight(&one, HOSTILE[5], &["shared", "one"], "");
    let b = highlight(&two, "成果 😀 *x*", &["Shared"], "");
    let c = highlight(&two, "😀", &[], "");
    let doc = Document {
        subject: Subject::articles(["hostile", "two"]),
        parts: vec![
            gloss::export::ArticleHighlights {
                article: &one,
                highlights: vec![&a],
            },
            gloss::export::ArticleHighlights {
                article: &two,
                highlights: vec![&c, &b],
            },
        ],
    };
    let sections = markdown(&doc, GroupBy::Section);
    let by_tag = markdown(&doc, GroupBy::Tag);
    for options in renderers() {
        let rendered = render(&sections, options);
        assert_eq!(
            rendered.quotes,
            ["+ Nor this", "成果 😀 *x*", "😀"],
            "{sections}"
        );
        assert_eq!(rendered.headings[0], "Highlights from 2 articles");
        assert_eq!(rendered.headings[1], "Title with `ticks` & <angles>");

        let rendered = render(&by_tag, options);
        let headings: Vec<&str> = rendered.headings.iter().map(String::as_str).collect();
        assert_eq!(
            headings,
            ["Highlights from 2 articles", "one", "shared", "Untagged"]
        );
        assert_eq!(
            rendered.quotes,
            ["+ Nor this", "+ Nor this", "成果 😀 *x*", "😀"],
            "a highlight under each of its tags:\n{by_tag}"
        );
    }
    assert_eq!(
        by_tag
            .matches(&format!("^{}", gloss::export::block_id(&a.id)))
            .count(),
        1
    );
}

#[test]
fn json_holds_the_same_quotes_in_the_same_order() {
    let article = hostile_article();
    let highlights: Vec<Highlight> = HOSTILE[..6]
        .iter()
        .map(|text| highlight(&article, text, &["Soft Power"], "note"))
        .collect();
    let doc = Document::article(&article, highlights.iter().rev().collect());
    let json = render_json(&doc, &ExportOptions::default()).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["format"], "gloss-export");
    assert_eq!(value["subject"], "article:hostile");
    let quotes: Vec<&str> = value["articles"][0]["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["quote"].as_str().unwrap())
        .collect();
    assert_eq!(quotes, &HOSTILE[..6]);
    let first = &value["articles"][0]["highlights"][0];
    assert_eq!(first["sections"], serde_json::json!(["First *section* #1"]));
    assert_eq!(first["vault_tags"], serde_json::json!(["Soft-Power"]));
    assert_eq!(first["state"], "exact");
}

// ---------------------------------------------------------------------------
// Deterministic output, and re-exports that keep the person's text.

#[test]
fn the_same_highlights_give_the_same_bytes() {
    let article = hostile_article();
    let highlights: Vec<Highlight> = HOSTILE
        .iter()
        .map(|text| highlight(&article, text, &["b", "a"], "n"))
        .collect();
    let forward: Vec<&Highlight> = highlights.iter().collect();
    let backward: Vec<&Highlight> = highlights.iter().rev().collect();
    for group_by in [GroupBy::Section, GroupBy::Article, GroupBy::Tag] {
        let options = ExportOptions {
            group_by,
            stamp: None,
        };
        assert_eq!(
            render_article(&article, &forward, &options),
            render_article(&article, &backward, &options)
        );
    }
    let json = |hs: Vec<&Highlight>| {
        render_json(&Document::article(&article, hs), &ExportOptions::default()).unwrap()
    };
    assert_eq!(json(forward.clone()), json(backward));
}

#[test]
fn re_exporting_is_byte_identical_and_keeps_the_persons_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.md");
    let article = hostile_article();
    let first = highlight(&article, HOSTILE[0], &["a"], "first note");
    let content = render_article(&article, &[&first], &ExportOptions::default());
    assert_eq!(
        write_export(&path, &content, false).unwrap(),
        WriteOutcome::Created
    );
    let written = std::fs::read(&path).unwrap();
    assert_eq!(
        write_export(&path, &content, false).unwrap(),
        WriteOutcome::Unchanged
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        written,
        "re-export is byte-identical"
    );

    // The person adds a property, an introduction and a closing section.
    let edited = String::from_utf8(written).unwrap().replacen(
        "---\n\n",
        "aliases: [\"hostile notes\"]\n---\n\nMy introduction, *mine*.\n\n",
        1,
    ) + "\n## My conclusions\n\nThey stay.\n";
    std::fs::write(&path, &edited).unwrap();

    let second = highlight(&article, HOSTILE[12], &[], "");
    let content = render_article(&article, &[&first, &second], &ExportOptions::default());
    assert_eq!(
        write_export(&path, &content, false).unwrap(),
        WriteOutcome::Updated
    );
    let updated = std::fs::read_to_string(&path).unwrap();
    assert!(
        updated.contains("\naliases: [\"hostile notes\"]\n---\n"),
        "{updated}"
    );
    assert!(
        updated.contains("\n---\n\nMy introduction, *mine*.\n\n<!-- gloss:begin "),
        "{updated}"
    );
    assert!(
        updated.ends_with("<!-- gloss:end -->\n\n## My conclusions\n\nThey stay.\n"),
        "{updated}"
    );
    for options in renderers() {
        assert_eq!(render(&updated, options).quotes, [HOSTILE[0], HOSTILE[12]]);
    }
    assert_eq!(
        write_export(&path, &content, false).unwrap(),
        WriteOutcome::Unchanged
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), updated);
}

#[test]
fn a_file_gloss_did_not_write_is_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.md");
    std::fs::write(&path, "# My own notes\n").unwrap();
    let article = hostile_article();
    let h = highlight(&article, HOSTILE[0], &[], "");
    let content = render_article(&article, &[&h], &ExportOptions::default());
    let err = write_export(&path, &content, false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("notes.md") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# My own notes\n");
    assert_eq!(
        write_export(&path, &content, true).unwrap(),
        WriteOutcome::Replaced
    );
}

// ---------------------------------------------------------------------------
// File names that stay in the export folder.

#[test]
fn article_ids_cannot_lead_out_of_the_export_folder() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("exports");
    for id in [
        "../../escape",
        "/etc/passwd",
        "..",
        ".hidden",
        "a\\..\\b",
        "con",
        "index",
        "x/../../y",
    ] {
        let article = article(id, "T", &[(None, "Some text.")]);
        let mut annotations = Annotations::new();
        annotations.upsert(highlight(&article, "Some text.", &[], ""));
        let path = export_article_to_dir(&article, &annotations, &dir).unwrap();
        assert_eq!(
            path.parent(),
            Some(dir.as_path()),
            "{id:?} -> {}",
            path.display()
        );
        let name = path.file_name().unwrap().to_str().unwrap();
        assert!(!name.starts_with('.') && name.ends_with(".md"), "{name}");
        assert!(path.is_file());
    }
    let mut outside: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    outside.sort();
    assert_eq!(
        outside,
        ["exports"],
        "nothing was written outside the folder"
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        8,
        "no two ids share a file"
    );

    for name in ["../x.md", "..", "/etc/passwd", "a/b.md", ".x.md", ""] {
        assert!(path_in(&dir, name).is_err(), "{name:?} is refused");
    }
}

#[test]
fn an_article_without_highlights_is_not_exported() {
    let dir = tempfile::tempdir().unwrap();
    let article = article("a", "T", &[(None, "Text.")]);
    let err = export_article_to_dir(&article, &Annotations::new(), dir.path()).unwrap_err();
    assert!(err.to_string().contains("no highlights"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn exports_default_to_the_data_folder() {
    let paths = DataPaths::under("/data".into());
    assert_eq!(default_export_dir(&paths), Path::new("/data/exports"));
}

// ---------------------------------------------------------------------------
// Any text at all comes back from a block quote.

fn quote_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "Z",
        "9",
        "1.",
        "1)",
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "*",
        "_",
        "#",
        ">",
        "[",
        "]",
        "`",
        "<",
        "&",
        "&amp;",
        ";",
        "\\",
        "-",
        "+",
        "=",
        "==",
        "%%",
        "$",
        "~",
        "^",
        "|",
        ":",
        "!",
        "(",
        ")",
        "{",
        "}",
        "\"",
        "'",
        "成果",
        "😀",
        "👩‍👩‍👧",
        "e\u{301}",
        "\u{a0}",
        "\u{3000}",
        "<!--",
        "-->",
        "---",
        "```",
        "www.x.com",
        "http://x",
    ]);
    prop::collection::vec(pieces, 0..24).prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn any_quote_reads_back_as_itself(text in quote_text()) {
        let quote = block_quote(&text);
        let document = format!("Before.\n\n{quote}\nAfter.\n");
        for options in renderers() {
            let rendered = render(&document, options);
            prop_assert_eq!(&rendered.quotes, &vec![showable(&text)], "{:?}", quote);
            prop_assert_eq!(rendered.paragraphs.last().map(String::as_str), Some("After."));
        }
    }
}

// ---------------------------------------------------------------------------
// `gloss export` as a script runs it.

const ARTICLE: &str = "---\nid: marks\ntitle: Marks *and* signs\n---\n\n\
    Plain opening words.\n\n## Stars\n\n\
    Use \\*stars\\* and \\_lines\\_ with \\`ticks\\` in 成果 😀.\n\n\
    ## Lists\n\n1\\. Not a list, and \\# not a heading.\n";

/// A data folder and a library folder holding [`ARTICLE`].
pub(crate) struct Sandbox {
    pub(crate) data: tempfile::TempDir,
    pub(crate) library: tempfile::TempDir,
}

impl Sandbox {
    pub(crate) fn new() -> Sandbox {
        let sandbox = Sandbox {
            data: tempfile::tempdir().unwrap(),
            library: tempfile::tempdir().unwrap(),
        };
        std::fs::write(sandbox.library.path().join("marks.md"), ARTICLE).unwrap();
        sandbox
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        binary::gloss_in(self.data.path(), Some(self.library.path()), args)
            .output()
            .expect("the gloss binary runs")
    }

    pub(crate) fn add(&self, quote: &str, extra: &[&str]) {
        let mut args = vec!["highlight", "add", "marks", "--quote", quote];
        args.extend_from_slice(extra);
        assert_exit(&self.run(&args), 0);
    }
}

pub(crate) fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub(crate) const STARS: &str = "Use *stars* and _lines_ with `ticks` in 成果 😀.";
const LIST: &str = "1. Not a list, and # not a heading.";

#[test]
fn gloss_export_prints_markdown_whose_quotes_are_the_highlights() {
    let sandbox = Sandbox::new();
    sandbox.add(LIST, &["--tag", "Soft Power"]);
    sandbox.add(STARS, &["--note", "Mine: *really*."]);
    let output = sandbox.run(&["export", "marks"]);
    assert_exit(&output, 0);
    let text = stdout(&output);
    for options in renderers() {
        let rendered = render(&text, options);
        assert_eq!(rendered.quotes, [STARS, LIST], "{text}");
        assert_eq!(rendered.headings, ["Marks *and* signs", "Stars", "Lists"]);
    }
    assert!(text.contains("\n#Soft-Power\n"), "{text}");
    assert!(text.contains("\nMine: *really*.\n"), "{text}");

    let output = sandbox.run(&["export", "marks", "--format", "json"]);
    assert_exit(&output, 0);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["articles"][0]["highlights"][0]["quote"], STARS);
}

#[test]
fn gloss_export_to_a_folder_is_stable_and_keeps_added_text() {
    let sandbox = Sandbox::new();
    sandbox.add(STARS, &[]);
    let out = sandbox.data.path().join("vault");
    let out_arg = format!("{}/", out.display());
    let output = sandbox.run(&["export", "--out", &out_arg]);
    assert_exit(&output, 0);
    let file = out.join("marks.md");
    let index = out.join("index.md");
    assert_eq!(
        stdout(&output),
        format!("created {}\ncreated {}\n", file.display(), index.display())
    );
    let first = std::fs::read(&file).unwrap();
    let index_text = std::fs::read_to_string(&index).unwrap();
    assert!(
        index_text.contains("- [Marks \\*and\\* signs](marks.md) · 1 highlight\n"),
        "{index_text}"
    );

    let output = sandbox.run(&["export", "--out", &out_arg]);
    assert_exit(&output, 0);
    assert!(
        stdout(&output).starts_with("unchanged "),
        "{}",
        stdout(&output)
    );
    assert_eq!(std::fs::read(&file).unwrap(), first, "byte-identical");

    let mut mine = std::fs::read_to_string(&file).unwrap();
    mine.push_str("\nMy own paragraph.\n");
    std::fs::write(&file, &mine).unwrap();
    sandbox.add(LIST, &[]);
    let output = sandbox.run(&["export", "marks", "--out", file.to_str().unwrap()]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), format!("updated {}\n", file.display()));
    let now = std::fs::read_to_string(&file).unwrap();
    assert!(
        now.ends_with("<!-- gloss:end -->\n\nMy own paragraph.\n"),
        "{now}"
    );
    assert_eq!(render(&now, Options::empty()).quotes, [STARS, LIST]);
}

#[test]
fn exporting_into_a_vault_again_leaves_only_the_notes() {
    let sandbox = Sandbox::new();
    sandbox.add(STARS, &[]);
    let out = sandbox.data.path().join("vault");
    let out_arg = format!("{}/", out.display());
    assert_exit(&sandbox.run(&["export", "--out", &out_arg]), 0);
    sandbox.add(LIST, &[]);
    let output = sandbox.run(&["export", "--out", &out_arg]);
    assert_exit(&output, 0);
    assert!(
        stdout(&output).starts_with("updated "),
        "the second export rewrites: {}",
        stdout(&output)
    );

    assert_eq!(names_in(&out), ["index.md", "marks.md"]);
    // The store, written twice by the two highlights, keeps its backup.
    let data = names_in(sandbox.data.path());
    assert!(
        data.contains(&"annotations.ron.bak".to_string()),
        "{data:?}"
    );
}

#[test]
fn gloss_export_refuses_a_file_it_did_not_write() {
    let sandbox = Sandbox::new();
    sandbox.add(STARS, &[]);
    let file = sandbox.data.path().join("mine.md");
    std::fs::write(&file, "My notes.\n").unwrap();
    let output = sandbox.run(&["export", "marks", "--out", file.to_str().unwrap()]);
    assert_exit(&output, 2);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("mine.md") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "My notes.\n");

    let output = sandbox.run(&[
        "export",
        "marks",
        "--out",
        file.to_str().unwrap(),
        "--force",
    ]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), format!("replaced {}\n", file.display()));
}

#[test]
fn gloss_export_says_when_there_is_nothing_to_export() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["export"]);
    assert_exit(&output, 1);
    assert!(String::from_utf8_lossy(&output.stderr).contains("nothing to export"));
    assert_exit(&sandbox.run(&["export", "no-such-article"]), 1);
    sandbox.add(STARS, &["--tag", "x"]);
    assert_exit(&sandbox.run(&["export", "--tag", "y"]), 1);
    assert_exit(&sandbox.run(&["export", "--tag", "X"]), 0);
}

#[test]
fn a_tag_cannot_lead_gloss_export_out_of_the_folder() {
    let sandbox = Sandbox::new();
    sandbox.add(STARS, &["--tag", "../../../evil"]);
    let root = sandbox.data.path().join("root");
    let out = root.join("exports");
    std::fs::create_dir_all(&out).unwrap();
    let output = sandbox.run(&[
        "export",
        "--tag",
        "../../../evil",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&output, 0);
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(
        names[0].starts_with("tag-evil-") && names[0].ends_with(".md"),
        "{names:?}"
    );
    assert_eq!(
        std::fs::read_dir(&root).unwrap().count(),
        1,
        "only the exports folder"
    );
    let text = std::fs::read_to_string(out.join(&names[0])).unwrap();
    // The tag is written as a vault tag that reads back to it, not as a path.
    let vault = "--dot----dot--/--dot----dot--/--dot----dot--/evil";
    assert!(text.contains(&format!("\ntags: [\"{vault}\"]\n")), "{text}");
    assert_eq!(
        gloss::annotation::tag::from_vault_tag(vault),
        "../../../evil"
    );
    assert_eq!(render(&text, Options::empty()).quotes, [STARS]);
}
