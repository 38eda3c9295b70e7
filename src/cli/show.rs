//! `gloss show`: an article, or one section of it, as plain text for the shell
//! (`gloss show x | less`, `grep`, `wc`). The text is the library's, already
//! sanitized; this only lays the blocks out.

use std::io::Write;
use std::ops::Range;

use super::{CliError, ShowArgs, find_article};
use crate::library::{Article, Block, BlockKind, Library};

pub fn run(args: &ShowArgs, library: &Library, out: &mut dyn Write) -> Result<(), CliError> {
    let article = &library.articles[find_article(library, &args.article)?];
    match args.section {
        None => {
            write_header(article, out)?;
            write_blocks(&article.blocks, out)?;
        }
        Some(number) => {
            let blocks = section_blocks(article, number)?;
            write_blocks(&article.blocks[blocks], out)?;
        }
    }
    Ok(())
}

/// Title, subtitle and date, each on its own line, then a blank line.
fn write_header(article: &Article, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{}", article.meta.title)?;
    for line in [&article.meta.subtitle, &article.meta.date]
        .into_iter()
        .flatten()
    {
        writeln!(out, "{line}")?;
    }
    writeln!(out)
}

/// The blocks of section `number` (1-based): its heading and everything up to
/// the next heading of the same or a higher level.
fn section_blocks(article: &Article, number: usize) -> Result<Range<usize>, CliError> {
    let count = article.sections.len();
    let Some(section) = number.checked_sub(1).and_then(|i| article.sections.get(i)) else {
        let valid = match count {
            0 => "it has no sections".to_string(),
            1 => "it has one section: use --section 1".to_string(),
            n => format!("choose a section from 1 to {n}"),
        };
        return Err(CliError::NoSuchSection(format!(
            "article '{}' has no section {number}; {valid}",
            article.meta.id
        )));
    };
    let end = article.blocks[section.block + 1..]
        .iter()
        .position(|block| matches!(block.kind, BlockKind::Heading { level, .. } if level <= section.level))
        .map_or(article.blocks.len(), |offset| section.block + 1 + offset);
    Ok(section.block..end)
}

/// The blocks, separated by blank lines: `##` headings, `- ` list items, `> `
/// quotes, code indented by four spaces.
fn write_blocks(blocks: &[Block], out: &mut dyn Write) -> std::io::Result<()> {
    for (index, block) in blocks.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        match block.kind {
            BlockKind::Heading { level, .. } => {
                let marks = "#".repeat(usize::from(level.max(1)));
                writeln!(out, "{marks} {}", block.text)?;
            }
            BlockKind::Paragraph => writeln!(out, "{}", block.text)?,
            BlockKind::ListItem => write_prefixed(out, &block.text, "- ", "  ")?,
            BlockKind::Quote => write_prefixed(out, &block.text, "> ", "> ")?,
            BlockKind::Code => write_prefixed(out, &block.text, "    ", "    ")?,
        }
    }
    Ok(())
}

/// Writes `text` line by line, the first line after `first`, the rest after `rest`.
fn write_prefixed(out: &mut dyn Write, text: &str, first: &str, rest: &str) -> std::io::Result<()> {
    for (index, line) in text.lines().enumerate() {
        let prefix = if index == 0 { first } else { rest };
        if line.is_empty() {
            writeln!(out, "{}", prefix.trim_end())?;
        } else {
            writeln!(out, "{prefix}{line}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::cli::sample;

    fn show(article: &str, section: Option<usize>) -> Result<String, CliError> {
        let mut out = Vec::new();
        let args = ShowArgs {
            article: article.to_string(),
            section,
        };
        run(&args, &sample::library(), &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn prints_the_header_and_every_block() {
        let text = show("cultural-diplomacy", None).unwrap();
        let expected = "\
How cultural diplomacy works
Long-term partnerships
August 12, 2025

Opening words.

## Exchanges

Students travel.

### Residencies

- Artists stay a year.

    line one
    line two

## 成果 and measures

> What gets measured gets done.
";
        assert_eq!(text, expected);
    }

    #[test]
    fn finds_the_article_by_title_prefix() {
        let text = show("how missions", None).unwrap();
        assert_eq!(
            text,
            "How missions foster innovation\n\nEmbassies connect researchers.\n"
        );
    }

    #[test]
    fn a_section_runs_to_the_next_heading_of_its_level() {
        let text = show("cultural-diplomacy", Some(1)).unwrap();
        assert!(
            text.starts_with("## Exchanges\n\nStudents travel."),
            "{text}"
        );
        assert!(text.contains("### Residencies"), "subsections included");
        assert!(text.ends_with("    line two\n"), "{text}");
        assert!(!text.contains("成果"), "{text}");
    }

    #[test]
    fn a_subsection_stops_at_the_next_higher_heading() {
        let text = show("cultural-diplomacy", Some(2)).unwrap();
        assert!(text.starts_with("### Residencies\n"), "{text}");
        assert!(!text.contains("## 成果"), "{text}");
    }

    #[test]
    fn the_last_section_runs_to_the_end() {
        let text = show("cultural-diplomacy", Some(3)).unwrap();
        assert_eq!(
            text,
            "## 成果 and measures\n\n> What gets measured gets done.\n"
        );
    }

    #[test]
    fn a_section_out_of_range_names_the_valid_range() {
        for number in [0, 4] {
            let err = show("cultural-diplomacy", Some(number)).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(err.to_string().contains("from 1 to 3"), "{err}");
        }
        let err = show("innovation-diplomacy", Some(1)).unwrap_err();
        assert!(err.to_string().contains("no sections"), "{err}");
    }

    #[test]
    fn an_ambiguous_prefix_lists_ids_and_titles() {
        let err = show("How", None).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("cultural-diplomacy (How cultural diplomacy works)"),
            "{message}"
        );
        assert!(message.contains("innovation-diplomacy ("), "{message}");
        assert!(!message.contains('\n'));
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn an_unknown_article_suggests_gloss_list() {
        let err = show("nothing-like-this", None).unwrap_err();
        assert!(err.to_string().contains("gloss list"), "{err}");
        assert_eq!(err.exit_code(), 1);
    }
}
