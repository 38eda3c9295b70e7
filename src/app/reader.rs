//! The reading view's state: which article, where the reading cursor is (a
//! sentence), which part of the flow is on screen, and the outline pane.
//! Every move keeps the cursor on screen, working only on the lines near it.

use ratatui::layout::Rect;

use super::flow::{Flow, Viewport};
use crate::library::Article;
use crate::store::positions::ReadingPosition;

/// Readable measure: the text column is never wider than this many cells.
pub const MAX_COLUMN_WIDTH: u16 = 72;
/// Cells left of the text for the cursor bar and, later, note marks.
pub const GUTTER_WIDTH: u16 = 2;
/// Width of the outline pane when it sits beside the text.
pub const OUTLINE_WIDTH: u16 = 32;
/// Below this width the outline covers the text instead of sitting beside it.
pub const SIDE_BY_SIDE_MIN: u16 = 70;
/// Lines kept visible above and below the cursor when scrolling to it.
const SCROLL_MARGIN: usize = 2;

/// The sentence the reading cursor is on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    pub block: usize,
    pub sentence: usize,
}

/// The outline pane, when open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outline {
    /// Index into the article's sections.
    pub selected: usize,
    /// First section shown.
    pub offset: usize,
}

/// Where each part of the reading screen goes, from the terminal size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderGeometry {
    /// The text column (without the gutter).
    pub text: Rect,
    /// The gutter left of the text.
    pub gutter: Rect,
    pub outline: Option<Rect>,
    pub status: Rect,
}

impl ReaderGeometry {
    pub fn new(area: Rect, outline_open: bool) -> ReaderGeometry {
        let status = Rect {
            y: area.bottom().saturating_sub(1),
            height: area.height.min(1),
            ..area
        };
        let body = Rect {
            height: area.height.saturating_sub(1),
            ..area
        };
        let (outline, page) = if outline_open {
            if area.width >= SIDE_BY_SIDE_MIN {
                let pane = Rect {
                    width: OUTLINE_WIDTH,
                    ..body
                };
                let rest = Rect {
                    x: body.x + OUTLINE_WIDTH,
                    width: body.width - OUTLINE_WIDTH,
                    ..body
                };
                (Some(pane), rest)
            } else {
                (Some(body), Rect { width: 0, ..body })
            }
        } else {
            (None, body)
        };
        let usable = page.width.saturating_sub(GUTTER_WIDTH + 1);
        let width = usable.min(MAX_COLUMN_WIDTH);
        let left = page.x + (page.width.saturating_sub(width + GUTTER_WIDTH)) / 2;
        let gutter = Rect {
            x: left,
            width: GUTTER_WIDTH.min(page.width),
            ..page
        };
        let text = Rect {
            x: left + GUTTER_WIDTH,
            width,
            ..page
        };
        ReaderGeometry {
            text,
            gutter,
            outline,
            status,
        }
    }
}

/// An open article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    /// Index into the library's articles.
    pub article: usize,
    pub cursor: Cursor,
    pub top: Viewport,
    pub outline: Option<Outline>,
}

impl Reader {
    /// Opens `article` at a remembered position (clamped to the text as it is now).
    pub fn open(
        index: usize,
        article: &Article,
        position: Option<ReadingPosition>,
        geometry: ReaderGeometry,
    ) -> Reader {
        let mut reader = Reader {
            article: index,
            cursor: Cursor::default(),
            top: Viewport::default(),
            outline: None,
        };
        reader.cursor = match position {
            Some(p) => clamp(
                article,
                Cursor {
                    block: p.block,
                    sentence: p.sentence,
                },
            ),
            None => first_passage(article).unwrap_or_default(),
        };
        if position.is_some() {
            let flow = Flow::new(article);
            let (w, h) = dims(geometry);
            let item = flow.block_item(reader.cursor.block);
            let line = cursor_first_line(&flow, reader.cursor, w);
            reader.top = flow.scroll(Viewport { item, line }, -(h as isize / 3), w, h);
        }
        reader
    }

    pub fn position(&self) -> ReadingPosition {
        ReadingPosition {
            block: self.cursor.block,
            sentence: self.cursor.sentence,
        }
    }

    /// Moves the cursor to the next (`forward`) or previous sentence.
    pub fn step(&mut self, article: &Article, forward: bool, geometry: ReaderGeometry) {
        let next = if forward {
            next_sentence(article, self.cursor)
        } else {
            prev_sentence(article, self.cursor)
        };
        if let Some(cursor) = next {
            self.cursor = cursor;
        }
        self.reveal_cursor(article, geometry);
    }

    /// Scrolls by `lines` (negative: up); the cursor follows if it left the screen.
    pub fn scroll(&mut self, article: &Article, lines: isize, geometry: ReaderGeometry) {
        let flow = Flow::new(article);
        let (w, h) = dims(geometry);
        self.top = flow.scroll(self.top, lines, w, h);
        self.follow_viewport(&flow, w, h, lines >= 0);
    }

    pub fn page(&mut self, article: &Article, down: bool, geometry: ReaderGeometry) {
        let (_, h) = dims(geometry);
        let by = h.saturating_sub(2).max(1) as isize;
        self.scroll(article, if down { by } else { -by }, geometry);
    }

    pub fn to_top(&mut self, article: &Article) {
        self.top = Viewport::default();
        self.cursor = first_passage(article).unwrap_or_default();
    }

    pub fn to_bottom(&mut self, article: &Article, geometry: ReaderGeometry) {
        let flow = Flow::new(article);
        let (w, h) = dims(geometry);
        self.top = flow.max_top(w, h);
        if let Some(cursor) = last_passage(article) {
            self.cursor = cursor;
        }
    }

    /// Puts the cursor on the first sentence of section `index`, its heading at the top.
    pub fn jump_to_section(&mut self, article: &Article, index: usize, geometry: ReaderGeometry) {
        let Some(section) = article.sections.get(index) else {
            return;
        };
        let heading = Cursor {
            block: section.block,
            sentence: 0,
        };
        self.cursor = next_sentence(article, heading).unwrap_or(heading);
        let flow = Flow::new(article);
        let (w, h) = dims(geometry);
        self.top = flow.scroll(
            Viewport {
                item: flow.block_item(section.block),
                line: 0,
            },
            0,
            w,
            h,
        );
        self.reveal_cursor(article, geometry);
    }

    pub fn next_section(&mut self, article: &Article, geometry: ReaderGeometry) {
        let next = article
            .sections
            .iter()
            .position(|s| s.block > self.cursor.block);
        if let Some(index) = next {
            self.jump_to_section(article, index, geometry);
        }
    }

    /// Back to the start of the current section, or to the previous one when
    /// already at its first sentence (like `[[` in an editor).
    pub fn prev_section(&mut self, article: &Article, geometry: ReaderGeometry) {
        let current = article.section_of(self.cursor.block);
        let at_start = current.is_some_and(|s| {
            let heading = Cursor {
                block: article.sections[s].block,
                sentence: 0,
            };
            next_sentence(article, heading) == Some(self.cursor)
        });
        let target = match current {
            Some(s) if at_start => s.checked_sub(1),
            Some(s) => Some(s),
            None => None,
        };
        match target {
            Some(index) => self.jump_to_section(article, index, geometry),
            None => self.to_top(article),
        }
    }

    /// Moves the cursor to the sentence at a screen cell, if there is one.
    pub fn click(
        &mut self,
        article: &Article,
        column: u16,
        row: u16,
        geometry: ReaderGeometry,
    ) -> bool {
        let text = geometry.text;
        if row < text.y
            || row >= text.bottom()
            || column < geometry.gutter.x
            || column >= text.right()
        {
            return false;
        }
        let flow = Flow::new(article);
        let (w, h) = dims(geometry);
        let lines = flow.visible(self.top, w, h);
        let Some(line) = lines.get(usize::from(row - text.y)) else {
            return false;
        };
        let Some(block) = flow
            .item_block(line.item)
            .filter(|&b| article.blocks[b].is_passage())
        else {
            return false;
        };
        let into =
            usize::from(column.saturating_sub(text.x)).saturating_sub(flow.prefix_width(line.item));
        let Some(offset) = flow.offset_at(line, into) else {
            return false;
        };
        let sentence = article.blocks[block]
            .sentences
            .iter()
            .position(|s| s.contains(&offset) || s.end == offset);
        if let Some(sentence) = sentence {
            self.cursor = Cursor { block, sentence };
            return true;
        }
        false
    }

    /// Scrolls just enough that the cursor's sentence is on screen.
    pub fn reveal_cursor(&mut self, article: &Article, geometry: ReaderGeometry) {
        let flow = Flow::new(article);
        let (w, h) = dims(geometry);
        let item = flow.block_item(self.cursor.block);
        let first = Viewport {
            item,
            line: cursor_first_line(&flow, self.cursor, w),
        };
        let last = Viewport {
            item,
            line: cursor_last_line(&flow, self.cursor, w),
        };
        let margin = SCROLL_MARGIN.min(h.saturating_sub(1) / 2);
        if first < flow.scroll(self.top, margin as isize, w, h) || first < self.top {
            self.top = flow.scroll(first, -(margin as isize), w, h);
            return;
        }
        let room = h.saturating_sub(1 + margin);
        if flow.distance(self.top, last, w, room).is_none() {
            // Put the last line `room` lines below the top, but never hide the first line.
            let wanted = flow.scroll(last, -(room as isize), w, h);
            self.top = wanted.min(first);
        }
    }

    /// After a scroll, moves the cursor onto the screen if it has left it.
    fn follow_viewport(&mut self, flow: &Flow<'_>, w: usize, h: usize, downward: bool) {
        let article = flow.article();
        let item = flow.block_item(self.cursor.block);
        let first = Viewport {
            item,
            line: cursor_first_line(flow, self.cursor, w),
        };
        let on_screen = first >= self.top
            && flow
                .distance(self.top, first, w, h.saturating_sub(1))
                .is_some();
        if on_screen {
            return;
        }
        let starts: Vec<Cursor> = flow
            .visible(self.top, w, h)
            .iter()
            .filter_map(|line| {
                let block = flow
                    .item_block(line.item)
                    .filter(|&b| article.blocks[b].is_passage())?;
                let range = line.range.clone()?;
                let sentence = article.blocks[block]
                    .sentences
                    .iter()
                    .position(|s| range.contains(&s.start))?;
                Some(Cursor { block, sentence })
            })
            .collect();
        let pick = if downward {
            starts.first()
        } else {
            starts.last()
        };
        if let Some(cursor) = pick {
            self.cursor = *cursor;
        }
    }
}

fn dims(geometry: ReaderGeometry) -> (usize, usize) {
    (
        usize::from(geometry.text.width).max(1),
        usize::from(geometry.text.height).max(1),
    )
}

fn cursor_first_line(flow: &Flow<'_>, cursor: Cursor, width: usize) -> usize {
    let block = &flow.article().blocks[cursor.block];
    let start = block.sentences.get(cursor.sentence).map_or(0, |s| s.start);
    flow.line_of(flow.block_item(cursor.block), start, width)
}

fn cursor_last_line(flow: &Flow<'_>, cursor: Cursor, width: usize) -> usize {
    let block = &flow.article().blocks[cursor.block];
    let end = block
        .sentences
        .get(cursor.sentence)
        .map_or(0, |s| s.end.saturating_sub(1).max(s.start));
    flow.line_of(flow.block_item(cursor.block), end, width)
}

/// The same cursor, or the nearest valid one if the article changed.
fn clamp(article: &Article, cursor: Cursor) -> Cursor {
    let Some(block) = article.blocks.get(cursor.block) else {
        return last_passage(article).unwrap_or_default();
    };
    if !block.is_passage() {
        return next_sentence(
            article,
            Cursor {
                block: cursor.block,
                sentence: 0,
            },
        )
        .unwrap_or(cursor);
    }
    let sentence = cursor.sentence.min(block.sentences.len().saturating_sub(1));
    Cursor {
        block: cursor.block,
        sentence,
    }
}

pub fn first_passage(article: &Article) -> Option<Cursor> {
    let block = article
        .blocks
        .iter()
        .position(|b| b.is_passage() && !b.sentences.is_empty())?;
    Some(Cursor { block, sentence: 0 })
}

fn last_passage(article: &Article) -> Option<Cursor> {
    let block = article
        .blocks
        .iter()
        .rposition(|b| b.is_passage() && !b.sentences.is_empty())?;
    Some(Cursor {
        block,
        sentence: article.blocks[block].sentences.len() - 1,
    })
}

fn next_sentence(article: &Article, at: Cursor) -> Option<Cursor> {
    let block = article.blocks.get(at.block)?;
    if block.is_passage() && at.sentence + 1 < block.sentences.len() {
        return Some(Cursor {
            block: at.block,
            sentence: at.sentence + 1,
        });
    }
    let next = article.blocks[at.block + 1..]
        .iter()
        .position(|b| b.is_passage() && !b.sentences.is_empty())?;
    Some(Cursor {
        block: at.block + 1 + next,
        sentence: 0,
    })
}

fn prev_sentence(article: &Article, at: Cursor) -> Option<Cursor> {
    if at.sentence > 0 {
        return Some(Cursor {
            block: at.block,
            sentence: at.sentence - 1,
        });
    }
    let prev = article
        .blocks
        .get(..at.block)?
        .iter()
        .rposition(|b| b.is_passage() && !b.sentences.is_empty())?;
    Some(Cursor {
        block: prev,
        sentence: article.blocks[prev].sentences.len() - 1,
    })
}
