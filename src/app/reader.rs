//! The reading view's state: which article, where the reading cursor is (a
//! sentence), which part of the flow is on screen, the outline pane and the
//! keyword filter. Every move keeps the cursor on screen, working only on the
//! lines near it.

use super::filter::ReaderFilter;
use super::flow::{Flow, Viewport};
use super::geometry::ReaderGeometry;
use super::marks::ArticleMarks;
use crate::library::Article;
use crate::store::annotations::Annotations;
use crate::store::positions::ReadingPosition;

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

/// An open article.
#[derive(Debug, Clone)]
pub struct Reader {
    /// Index into the library's articles.
    pub article: usize,
    pub cursor: Cursor,
    pub top: Viewport,
    pub outline: Option<Outline>,
    pub filter: Option<ReaderFilter>,
    /// Where a selection started (`v`); it runs to the cursor.
    pub selection: Option<Cursor>,
    /// The article's plain text, which highlights are anchored in.
    pub plain: String,
    /// The article's highlights, placed in the text as it is now.
    pub marks: ArticleMarks,
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
            filter: None,
            selection: None,
            plain: article.plain_text(),
            marks: ArticleMarks::default(),
        };
        let flow = Flow::new(article);
        reader.cursor = match position {
            Some(p) => clamp(
                &flow,
                Cursor {
                    block: p.block,
                    sentence: p.sentence,
                },
            ),
            None => first_passage(&flow).unwrap_or_default(),
        };
        if position.is_some() {
            reader.top = centred_top(&flow, reader.cursor, geometry);
        }
        reader
    }

    /// Places the article's highlights again, after a change or at open.
    pub fn refresh_marks(&mut self, article: &Article, annotations: &Annotations) {
        self.marks = ArticleMarks::place(article, &self.plain, annotations);
    }

    /// The flow on screen: the whole article, or what the filter leaves.
    pub fn flow<'a>(&'a self, article: &'a Article) -> Flow<'a> {
        match self.filter.as_ref().and_then(ReaderFilter::shown) {
            Some(shown) => Flow::filtered(article, shown),
            None => Flow::new(article),
        }
    }

    pub fn position(&self) -> ReadingPosition {
        ReadingPosition {
            block: self.cursor.block,
            sentence: self.cursor.sentence,
        }
    }

    /// Moves the cursor to the next (`forward`) or previous sentence on screen.
    pub fn step(&mut self, article: &Article, forward: bool, geometry: ReaderGeometry) {
        let flow = self.flow(article);
        let next = if forward {
            next_sentence(&flow, self.cursor)
        } else {
            prev_sentence(&flow, self.cursor)
        };
        if let Some(cursor) = next {
            self.cursor = cursor;
        }
        self.reveal_cursor(article, geometry);
    }

    /// Scrolls by `lines` (negative: up); the cursor follows if it left the screen.
    pub fn scroll(&mut self, article: &Article, lines: isize, geometry: ReaderGeometry) {
        let (w, h) = geometry.text_size();
        let top = self.flow(article).scroll(self.top, lines, w, h);
        self.top = top;
        self.follow_viewport(article, geometry, lines >= 0);
    }

    pub fn page(&mut self, article: &Article, down: bool, geometry: ReaderGeometry) {
        let (_, h) = geometry.text_size();
        let by = h.saturating_sub(2).max(1) as isize;
        self.scroll(article, if down { by } else { -by }, geometry);
    }

    pub fn to_top(&mut self, article: &Article) {
        self.top = Viewport::default();
        self.cursor = first_passage(&self.flow(article)).unwrap_or(self.cursor);
    }

    pub fn to_bottom(&mut self, article: &Article, geometry: ReaderGeometry) {
        let (w, h) = geometry.text_size();
        let flow = self.flow(article);
        let (top, last) = (flow.max_top(w, h), last_passage(&flow));
        self.top = top;
        if let Some(cursor) = last {
            self.cursor = cursor;
        }
    }

    /// Puts the cursor on the first sentence of section `index`, its heading at the top.
    pub fn jump_to_section(&mut self, article: &Article, index: usize, geometry: ReaderGeometry) {
        let Some(section) = article.sections.get(index) else {
            return;
        };
        let (w, h) = geometry.text_size();
        let flow = self.flow(article);
        let heading = Cursor {
            block: section.block,
            sentence: 0,
        };
        let cursor = next_sentence(&flow, heading).unwrap_or(self.cursor);
        let top = flow.scroll(
            Viewport {
                item: flow.block_item(section.block),
                line: 0,
            },
            0,
            w,
            h,
        );
        self.cursor = cursor;
        self.top = top;
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
        let flow = self.flow(article);
        let at_start = current.is_some_and(|s| {
            let heading = Cursor {
                block: article.sections[s].block,
                sentence: 0,
            };
            next_sentence(&flow, heading) == Some(self.cursor)
        });
        let target = match current {
            Some(s) if at_start => s.checked_sub(1),
            other => other,
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
        let (w, h) = geometry.text_size();
        let flow = self.flow(article);
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
        let sentences = &article.blocks[block].sentences;
        match sentences
            .iter()
            .position(|s| s.contains(&offset) || s.end == offset)
        {
            Some(sentence) => {
                self.cursor = Cursor { block, sentence };
                true
            }
            None => false,
        }
    }

    /// Puts the cursor on the sentence holding byte `offset` of `block`, about a
    /// third of the way down the screen.
    pub fn go_to(
        &mut self,
        article: &Article,
        block: usize,
        offset: usize,
        geometry: ReaderGeometry,
    ) {
        // The sentence that holds `offset`; only at the passage's very end,
        // the last one. (Trying both at once found the sentence *ending* at
        // a highlight's start: the one before it.)
        let sentence = article.blocks.get(block).and_then(|b| {
            b.sentences
                .iter()
                .position(|s| s.contains(&offset))
                .or_else(|| b.sentences.iter().rposition(|s| s.end == offset))
        });
        let flow = self.flow(article);
        let cursor = clamp(
            &flow,
            Cursor {
                block,
                sentence: sentence.unwrap_or(0),
            },
        );
        let top = centred_top(&flow, cursor, geometry);
        (self.cursor, self.top) = (cursor, top);
    }

    /// Scrolls just enough that the cursor's sentence is on screen.
    pub fn reveal_cursor(&mut self, article: &Article, geometry: ReaderGeometry) {
        let (w, h) = geometry.text_size();
        let flow = self.flow(article);
        if !flow.shows(self.cursor.block) {
            return;
        }
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
        let mut top = self.top;
        if first < flow.scroll(top, margin as isize, w, h) || first < top {
            top = flow.scroll(first, -(margin as isize), w, h);
        } else {
            let room = h.saturating_sub(1 + margin);
            if flow.distance(top, last, w, room).is_none() {
                // The last line `room` lines below the top, never hiding the first.
                top = flow.scroll(last, -(room as isize), w, h).min(first);
            }
        }
        self.top = top;
    }

    /// After a scroll, moves the cursor onto the screen if it has left it.
    fn follow_viewport(&mut self, article: &Article, geometry: ReaderGeometry, downward: bool) {
        let (w, h) = geometry.text_size();
        let flow = self.flow(article);
        let item = flow.block_item(self.cursor.block);
        let first = Viewport {
            item,
            line: cursor_first_line(&flow, self.cursor, w),
        };
        let on_screen = flow.shows(self.cursor.block)
            && first >= self.top
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

/// The viewport that shows `cursor` a third of the way down the screen.
fn centred_top(flow: &Flow<'_>, cursor: Cursor, geometry: ReaderGeometry) -> Viewport {
    let (w, h) = geometry.text_size();
    let item = flow.block_item(cursor.block);
    let line = cursor_first_line(flow, cursor, w);
    flow.scroll(Viewport { item, line }, -(h as isize / 3), w, h)
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

/// The same cursor, or the nearest valid one in the flow if the article changed
/// or the filter hides it.
pub fn clamp(flow: &Flow<'_>, cursor: Cursor) -> Cursor {
    let article = flow.article();
    let Some(block) = article
        .blocks
        .get(cursor.block)
        .filter(|_| flow.shows(cursor.block))
    else {
        let after = next_sentence(
            flow,
            Cursor {
                block: cursor.block,
                sentence: usize::MAX,
            },
        );
        return after.or_else(|| last_passage(flow)).unwrap_or(cursor);
    };
    if !block.is_passage() {
        return next_sentence(
            flow,
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

/// The passage blocks of the flow from item `from` on (or backwards).
fn passages<'f>(
    flow: &'f Flow<'_>,
    items: impl Iterator<Item = usize> + 'f,
) -> impl Iterator<Item = usize> + 'f {
    items.filter_map(|item| flow.item_block(item)).filter(|&b| {
        let block = &flow.article().blocks[b];
        block.is_passage() && !block.sentences.is_empty()
    })
}

pub fn first_passage(flow: &Flow<'_>) -> Option<Cursor> {
    let block = passages(flow, 0..flow.len()).next()?;
    Some(Cursor { block, sentence: 0 })
}

fn last_passage(flow: &Flow<'_>) -> Option<Cursor> {
    let block = passages(flow, (0..flow.len()).rev()).next()?;
    Some(Cursor {
        block,
        sentence: flow.article().blocks[block].sentences.len() - 1,
    })
}

/// The sentence after `at` in the flow. `at.block` may be a heading or hidden.
pub fn next_sentence(flow: &Flow<'_>, at: Cursor) -> Option<Cursor> {
    let article = flow.article();
    let block = article.blocks.get(at.block)?;
    if flow.shows(at.block)
        && block.is_passage()
        && at.sentence.saturating_add(1) < block.sentences.len()
    {
        return Some(Cursor {
            block: at.block,
            sentence: at.sentence + 1,
        });
    }
    // The first item after `at.block`, whether or not that block is shown.
    let from = flow.block_item(at.block + 1);
    let next = passages(flow, from..flow.len()).next()?;
    Some(Cursor {
        block: next,
        sentence: 0,
    })
}

fn prev_sentence(flow: &Flow<'_>, at: Cursor) -> Option<Cursor> {
    if at.sentence > 0 && flow.shows(at.block) {
        return Some(Cursor {
            block: at.block,
            sentence: at.sentence - 1,
        });
    }
    let before = flow.block_item(at.block);
    let prev = passages(flow, (0..before).rev()).next()?;
    Some(Cursor {
        block: prev,
        sentence: flow.article().blocks[prev].sentences.len() - 1,
    })
}
