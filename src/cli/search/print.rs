//! How `gloss search` prints: each matching passage on one line (id, section,
//! passage number, the text with its matches marked) or as a JSON object with
//! byte and character offsets, gathered per article and written in order in
//! large blocks.

use std::io::{self, BufWriter, Write};
use std::ops::Range;

use serde::Serialize;

use super::SearchArgs;
use crate::annotation::AnnotationIndex;
use crate::cli::{CliError, annotations_file};
use crate::library::{PassageView, SearchView};
use crate::paths::DataPaths;
use crate::search::{Query, Unannotated};
use crate::text::sanitize_line;

/// Bold and reverse video around a match, then back to normal.
const MARK_ON: &str = "\u{1b}[1;7m";
const MARK_OFF: &str = "\u{1b}[0m";
/// Around a match when there is no colour.
const QUOTE_ON: &str = "«";
const QUOTE_OFF: &str = "»";

/// What a printed passage adds to its text: id, section, number, marks.
const PASSAGE_OVERHEAD_BYTES: usize = 96;

/// Output is gathered into blocks this large before it is written.
const OUTPUT_BUFFER_BYTES: usize = 256 * 1024;

/// What one article printed: how many passages, and the bytes.
pub(super) struct Printed {
    count: usize,
    text: Vec<u8>,
}

/// Searches an article and prints what matches, as the arguments ask.
pub(super) struct Printer<'a> {
    query: &'a Query,
    /// What `tag:` and `has:note` ask about; `None` when the query does not.
    notes: Option<AnnotationIndex>,
    /// Why the annotations file needs repair, when it was read and does.
    damaged: Option<CliError>,
    marks: (&'static str, &'static str),
    json: bool,
}

impl<'a> Printer<'a> {
    pub(super) fn new(
        args: &SearchArgs,
        query: &'a Query,
        paths: &DataPaths,
        warnings: &mut dyn Write,
    ) -> Printer<'a> {
        // Only `tag:` and `has:note` need the annotations file.
        let mut damaged = None;
        let notes = query.uses_annotations().then(|| {
            let loaded = annotations_file::load(paths, warnings);
            damaged = annotations_file::finish(&loaded).err();
            AnnotationIndex::build(loaded.annotations.iter())
        });
        let marks = if args.color.enabled() {
            (MARK_ON, MARK_OFF)
        } else {
            (QUOTE_ON, QUOTE_OFF)
        };
        Printer {
            query,
            notes,
            damaged,
            marks,
            json: args.json,
        }
    }

    /// The outcome of the search, unless the annotations it read need
    /// repair: then the search answered from what could be read of them,
    /// and that ends it with exit status 2.
    pub(super) fn finish(self, outcome: Result<(), CliError>) -> Result<(), CliError> {
        match self.damaged {
            Some(damaged) if !outcome.as_ref().is_err_and(CliError::is_closed_output) => {
                Err(damaged)
            }
            _ => outcome,
        }
    }

    /// The matching passages of `view`, printed one after another (JSON
    /// objects separated by `,\n`).
    pub(super) fn print(&self, view: &SearchView) -> Printed {
        let found: Vec<FoundPassage> = view
            .passages
            .iter()
            .filter_map(|passage| {
                let hits = match &self.notes {
                    Some(notes) => {
                        let facts = notes.facts(view.id, passage.block);
                        self.query.find_in_passage(passage.text, &facts)
                    }
                    None => self.query.find_in_passage(passage.text, &Unannotated),
                }?;
                Some(FoundPassage {
                    view,
                    passage,
                    hits,
                })
            })
            .collect();
        let room = found
            .iter()
            .map(|found| found.passage.text.len() + PASSAGE_OVERHEAD_BYTES)
            .sum();
        let mut text = Vec::with_capacity(room);
        for (index, found_passage) in found.iter().enumerate() {
            if self.json {
                if index > 0 {
                    text.extend_from_slice(b",\n");
                }
                // Writing into memory cannot fail.
                let _ = serde_json::to_writer(&mut text, &found_passage.json());
            } else {
                found_passage.write_line(&mut text, self.marks);
            }
        }
        Printed {
            count: found.len(),
            text,
        }
    }
}

/// Where the articles' printed passages go, in order, in large blocks (as a
/// JSON array with `--json`).
pub(super) struct Results<'o> {
    out: BufWriter<&'o mut dyn Write>,
    json: bool,
    /// Passages written so far.
    found: usize,
}

impl<'o> Results<'o> {
    pub(super) fn new(args: &SearchArgs, out: &'o mut dyn Write) -> io::Result<Results<'o>> {
        let mut out = BufWriter::with_capacity(OUTPUT_BUFFER_BYTES, out);
        if args.json {
            out.write_all(b"[")?;
        }
        Ok(Results {
            out,
            json: args.json,
            found: 0,
        })
    }

    pub(super) fn write(&mut self, printed: &Printed) -> io::Result<()> {
        if printed.count == 0 {
            return Ok(());
        }
        if self.json {
            self.out
                .write_all(if self.found == 0 { b"\n" } else { b",\n" })?;
        }
        self.found += printed.count;
        self.out.write_all(&printed.text)
    }

    /// Ends the output; no passage written is [`CliError::NoMatch`].
    pub(super) fn finish(mut self, args: &SearchArgs) -> Result<(), CliError> {
        if self.json {
            let end: &[u8] = if self.found == 0 { b"]\n" } else { b"\n]\n" };
            self.out.write_all(end)?;
        }
        self.out.flush()?;
        if self.found == 0 {
            return Err(CliError::NoMatch(sanitize_line(&args.query)));
        }
        Ok(())
    }
}

/// One matching passage, ready to print.
struct FoundPassage<'v> {
    view: &'v SearchView<'v>,
    passage: &'v PassageView<'v>,
    /// Merged byte ranges of the matches in the passage's text, in order.
    hits: Vec<Range<usize>>,
}

impl FoundPassage<'_> {
    fn text(&self) -> &str {
        self.passage.text
    }

    /// The section's 1-based number and title.
    fn section(&self) -> Option<(usize, &str)> {
        self.view.section(self.passage.section)
    }

    /// `ID  §N Title  ¶P: text`, with the matches between `marks`.
    fn write_line(&self, out: &mut Vec<u8>, marks: (&str, &str)) {
        let mut number = itoa::Buffer::new();
        out.extend_from_slice(self.view.id.as_bytes());
        match self.section() {
            Some((section, title)) => {
                out.extend_from_slice("  §".as_bytes());
                out.extend_from_slice(number.format(section).as_bytes());
                out.push(b' ');
                out.extend_from_slice(title.as_bytes());
            }
            None => out.extend_from_slice("  §-".as_bytes()),
        }
        out.extend_from_slice("  ¶".as_bytes());
        out.extend_from_slice(number.format(self.passage.number).as_bytes());
        out.extend_from_slice(b": ");
        let text = self.text();
        let mut written = 0;
        for hit in &self.hits {
            push_one_line(out, &text[written..hit.start]);
            out.extend_from_slice(marks.0.as_bytes());
            push_one_line(out, &text[hit.clone()]);
            out.extend_from_slice(marks.1.as_bytes());
            written = hit.end;
        }
        push_one_line(out, &text[written..]);
        out.push(b'\n');
    }

    fn json(&self) -> JsonPassage<'_> {
        let text = self.text();
        let mut chars_before = CharCounter::new(text);
        let matches = self
            .hits
            .iter()
            .map(|hit| JsonMatch {
                start: hit.start,
                end: hit.end,
                char_start: chars_before.at(hit.start),
                char_end: chars_before.at(hit.end),
            })
            .collect();
        JsonPassage {
            article: self.view.id,
            title: self.view.title,
            section: self
                .section()
                .map(|(number, title)| JsonSection { number, title }),
            passage: self.passage.number,
            block: self.passage.block,
            text,
            matches,
        }
    }
}

/// Appends `text` with its line breaks (code keeps them) as spaces, so that a
/// passage stays on one line.
fn push_one_line(out: &mut Vec<u8>, text: &str) {
    let text = text.as_bytes();
    let mut from = 0;
    for line_break in memchr::memchr_iter(b'\n', text) {
        out.extend_from_slice(&text[from..line_break]);
        out.push(b' ');
        from = line_break + 1;
    }
    out.extend_from_slice(&text[from..]);
}

/// Character offsets of increasing byte offsets in one text, counted once.
struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCounter<'a> {
    fn new(text: &'a str) -> Self {
        CharCounter {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// The number of characters before byte `offset` (a character boundary,
    /// at or after the previous one asked about).
    fn at(&mut self, offset: usize) -> usize {
        if offset >= self.byte {
            self.chars += self
                .text
                .get(self.byte..offset)
                .map_or(0, |s| s.chars().count());
        } else {
            self.chars = self.text.get(..offset).map_or(0, |s| s.chars().count());
        }
        self.byte = offset;
        self.chars
    }
}

/// One passage as `gloss search --json` prints it; field order is part of the
/// output.
#[derive(Debug, Serialize)]
struct JsonPassage<'a> {
    article: &'a str,
    title: &'a str,
    section: Option<JsonSection<'a>>,
    passage: usize,
    block: usize,
    text: &'a str,
    matches: Vec<JsonMatch>,
}

#[derive(Debug, Serialize)]
struct JsonSection<'a> {
    number: usize,
    title: &'a str,
}

#[derive(Debug, Serialize)]
struct JsonMatch {
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_characters() {
        let mut counter = CharCounter::new("é成x");
        assert_eq!(counter.at(0), 0);
        assert_eq!(counter.at(2), 1);
        assert_eq!(counter.at(5), 2);
        assert_eq!(counter.at(6), 3);
        assert_eq!(counter.at(2), 1, "asking again further back still counts");
    }

    #[test]
    fn line_breaks_become_spaces() {
        let mut out = Vec::new();
        push_one_line(&mut out, "one\ntwo\n\nthree\n");
        assert_eq!(out, b"one two  three ");
        out.clear();
        push_one_line(&mut out, "no break");
        assert_eq!(out, b"no break");
    }
}
