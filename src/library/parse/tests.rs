#![allow(clippy::unwrap_used)]

use super::*;
use proptest::prelude::*;

fn parse(source: &str) -> Article {
    parse_article(source, Origin::Bundled("sample-file.md".into())).unwrap()
}

fn parse_err(source: &str) -> ArticleError {
    parse_article(source, Origin::Bundled("sample-file.md".into())).unwrap_err()
}

fn texts(article: &Article) -> Vec<&str> {
    article.blocks.iter().map(|b| b.text.as_str()).collect()
}

/// Every block sits at its `start` in the plain text, sentences cover it,
/// and sections point at their heading blocks.
fn assert_consistent(article: &Article) {
    let plain = article.plain_text();
    assert_eq!(plain.len(), article.text_len);
    for block in &article.blocks {
        assert_eq!(
            &plain[block.start..block.start + block.text.len()],
            block.text
        );
        assert!(block.text.len() <= MAX_BLOCK_BYTES);
        assert!(!block.text.trim().is_empty());
        assert_eq!(block.sentences.first().map(|r| r.start), Some(0));
        assert_eq!(
            block.sentences.last().map(|r| r.end),
            Some(block.text.len())
        );
    }
    for (i, section) in article.sections.iter().enumerate() {
        let heading = &article.blocks[section.block];
        assert_eq!(
            heading.kind,
            BlockKind::Heading {
                level: section.level,
                section: i
            }
        );
        assert_eq!(heading.section, Some(i));
        assert_eq!(heading.text, section.title);
    }
}

const SAMPLE: &str = "---\ntitle: From front matter\ntags: [b, a, b]\n---\n\n# Body \
                      title\n\nIntro *text* here.\n\n## First\n\nOne.\n\n### Deeper\n\n> \
                      Quoted.\n\n## Second\n\n- item\n";

#[test]
fn sections_and_levels_follow_the_headings() {
    let article = parse(SAMPLE);
    assert_consistent(&article);
    let outline: Vec<_> = article
        .sections
        .iter()
        .map(|s| (s.title.as_str(), s.level, s.block))
        .collect();
    assert_eq!(
        outline,
        [("First", 2, 1), ("Deeper", 3, 3), ("Second", 2, 5)]
    );
    let sections: Vec<_> = article.blocks.iter().map(|b| b.section).collect();
    assert_eq!(
        sections,
        [None, Some(0), Some(0), Some(1), Some(1), Some(2), Some(2)]
    );
    assert_eq!(article.blocks[4].kind, BlockKind::Quote);
    assert_eq!(article.blocks[6].kind, BlockKind::ListItem);
    assert_eq!(article.passage_count(), 4);
}

#[test]
fn the_first_level_one_heading_is_the_title_not_a_block() {
    let article = parse("Before.\n\n# The Title\n\nText.\n\n# Another top heading\n\nMore.\n");
    assert_eq!(article.meta.title, "The Title");
    assert_eq!(
        texts(&article),
        ["Before.", "Text.", "Another top heading", "More."]
    );
    assert_eq!(article.sections[0].level, 1);
}

#[test]
fn front_matter_title_wins_over_the_body_title() {
    let article = parse(SAMPLE);
    assert_eq!(article.meta.title, "From front matter");
    assert!(!texts(&article).contains(&"Body title"));
    assert_eq!(article.meta.tags, ["b", "a"]);
}

#[test]
fn without_a_title_the_file_name_is_used() {
    let article = parse("Just text.\n");
    assert_eq!(article.meta.title, "sample-file");
    assert_eq!(article.meta.id, "sample-file");
}

#[test]
fn ids_are_slugs() {
    let article = parse("---\nid: \"My Article: Part 2!\"\n---\nText.\n");
    assert_eq!(article.meta.id, "my-article-part-2");
    let origin = Origin::File("/lib/Über Café (draft).md".into());
    let article = parse_article("Text.\n", origin).unwrap();
    assert_eq!(article.meta.id, "ber-caf-draft");
    assert_eq!(article.meta.title, "Über Café (draft)");
}

#[test]
fn a_file_name_without_ascii_gets_a_stable_hashed_id() {
    let id = |name: &str| {
        parse_article("Text.\n", Origin::Bundled(name.into()))
            .unwrap()
            .meta
            .id
    };
    assert!(id("成果.md").starts_with("article-"));
    assert_eq!(id("成果.md"), id("成果.md"));
    assert_ne!(id("成果.md"), id("研究.md"));
}

#[test]
fn metadata_is_single_line_and_trimmed() {
    let article = parse("---\nsubtitle: \"  two\\nlines  \"\ndate: ''\n---\nText.\n");
    assert_eq!(article.meta.subtitle.as_deref(), Some("two lines"));
    assert_eq!(article.meta.date, None);
}

#[test]
fn cjk_text_and_word_counts() {
    let article = parse("# 标题\n\n研究的成果很好。\n\nThree English words.\n");
    assert_eq!(
        texts(&article),
        ["研究的成果很好。", "Three English words."]
    );
    assert!(article.word_count >= 4, "{}", article.word_count);
    assert_consistent(&article);
}

#[test]
fn every_block_has_sentences() {
    let article = parse("## Heading. With a dot\n\nOne. Two? Three!\n");
    let whole_heading = 0..article.blocks[0].text.len();
    assert_eq!(article.blocks[0].sentences, [whole_heading]);
    assert!(!article.blocks[1].sentences.is_empty());
    assert_consistent(&article);
}

#[test]
fn empty_and_title_only_files_are_refused() {
    assert_eq!(parse_err(""), ArticleError::Empty);
    assert_eq!(parse_err(" \n\t\r\n"), ArticleError::Empty);
    assert_eq!(parse_err("\u{feff}\n"), ArticleError::Empty);
    assert_eq!(parse_err("# Only a title\n"), ArticleError::NoText);
    assert_eq!(
        parse_err("---\ntitle: T\n---\n\n---\n"),
        ArticleError::NoText
    );
}

#[test]
fn front_matter_errors_carry_the_line() {
    assert!(matches!(
        parse_err("---\ntitle: T\noops\n---\nText\n"),
        ArticleError::FrontMatter { line: 3, .. }
    ));
}

#[test]
fn deep_nesting_is_refused_with_its_line() {
    let source = format!("---\nid: x\n---\nText.\n\n{}deep\n", ">".repeat(50_000));
    assert_eq!(parse_err(&source), ArticleError::TooDeep { line: 6 });
    let source = format!("{}deep\n", "- ".repeat(50_000));
    assert_eq!(parse_err(&source), ArticleError::TooDeep { line: 1 });
    let ok = format!("{}nested but fine\n", "> ".repeat(MAX_NESTING));
    assert_eq!(texts(&parse(&ok)), ["nested but fine"]);
}

#[test]
fn bytes_are_checked_before_parsing() {
    let origin = || Origin::Bundled("x.md".into());
    assert_eq!(
        parse_bytes(b"text\0more", origin()).unwrap_err(),
        ArticleError::Binary
    );
    assert_eq!(
        parse_bytes(b"caf\xe9 au lait", origin()).unwrap_err(),
        ArticleError::NotUtf8 { valid_up_to: 3 }
    );
    assert_eq!(
        parse_bytes(b"\xff\xfeT\0e\0", origin()).unwrap_err(),
        ArticleError::NotUtf8 { valid_up_to: 0 }
    );
    let article = parse_bytes(b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\nText\r\n", origin()).unwrap();
    assert_eq!(article.meta.title, "T");
    assert_eq!(texts(&article), ["Text"]);
}

#[test]
fn error_messages_say_what_to_do() {
    let message = ArticleError::NotUtf8 { valid_up_to: 12 }.to_string();
    assert!(
        message.contains("offset 12") && message.contains("convert"),
        "{message}"
    );
    let message = ArticleError::TooLarge { bytes: 70_000_000 }.to_string();
    assert!(
        message.contains("70000000") && message.contains("64 MiB"),
        "{message}"
    );
}

#[test]
fn a_huge_paragraph_becomes_many_bounded_blocks_of_its_kind() {
    let line = "A sentence of some length goes here. ".repeat(20_000);
    let article = parse(&format!("> {line}\n"));
    assert!(article.blocks.len() > 40, "{}", article.blocks.len());
    assert!(article.blocks.iter().all(|b| b.kind == BlockKind::Quote));
    assert_consistent(&article);
}

#[test]
fn a_huge_heading_keeps_one_section_and_all_its_text() {
    let heading = "word ".repeat(10_000);
    let article = parse(&format!("## {heading}\n\nText.\n"));
    assert_eq!(article.sections.len(), 1);
    assert_eq!(article.blocks[1].kind, BlockKind::Paragraph);
    assert_eq!(article.blocks[1].section, Some(0));
    assert_eq!(article.word_count, 10_001);
    assert_consistent(&article);
}

proptest! {
    #[test]
    fn any_markdown_parses_consistently(source in "[#>*_`\\-\\[\\]()<>!|~ a-z0-9.?\n\r\t\u{1b}成é\u{301}]{0,400}") {
        if let Ok(article) = parse_article(&source, Origin::Bundled("p.md".into())) {
            assert_consistent(&article);
            assert!(!article.meta.title.contains(['\u{1b}', '\r', '\n']));
            assert!(article.blocks.iter().all(|b| !b.text.contains(['\u{1b}', '\r'])));
        }
    }

    /// Parsing without sentences and splitting later (the reader's first
    /// frame, then opening the article) gives the article a full parse gives.
    #[test]
    fn split_later_is_the_same_as_parsed_whole(source in "[#>*_`\\-\\[\\]()<>!|~ a-zA-Z0-9.?\n\t成。é\u{301}]{0,400}") {
        let origin = Origin::Bundled("p.md".into());
        let whole = parse_source(&source, origin.clone(), Detail::Full);
        let unsplit = parse_source(&source, origin, Detail::Unsplit);
        match (whole, unsplit) {
            (Ok(whole), Ok(mut unsplit)) => {
                prop_assert!(whole.sentences_split);
                prop_assert!(!unsplit.sentences_split);
                prop_assert_eq!(unsplit.word_count, whole.word_count);
                unsplit.split_sentences();
                prop_assert_eq!(unsplit, whole);
            }
            (whole, unsplit) => prop_assert_eq!(whole.err(), unsplit.err()),
        }
    }
}

#[test]
fn the_bundled_articles_split_later_as_parsed_whole() {
    for (name, bytes) in crate::library::bundled::files() {
        let source = as_source(bytes).unwrap();
        let origin = Origin::Bundled(name.to_string());
        let whole = parse_source(source, origin.clone(), Detail::Full).unwrap();
        let mut unsplit = parse_source(source, origin, Detail::Unsplit).unwrap();
        assert!(
            unsplit
                .blocks
                .iter()
                .all(|block| block.sentences.len() == 1)
        );
        // The library screen's reading progress, before the article is opened.
        for (index, block) in whole.blocks.iter().enumerate() {
            for sentence in 0..block.sentences.len() {
                assert_eq!(
                    unsplit.percent_at(index, sentence),
                    whole.percent_at(index, sentence),
                    "{name}: block {index}, sentence {sentence}"
                );
            }
        }
        unsplit.split_sentences();
        assert_eq!(unsplit, whole, "{name}");
    }
}
