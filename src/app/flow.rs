//! The reading flow: an article laid out as a sequence of items (title,
//! subtitle, byline, then every block), each wrapped to the column width on
//! demand. Only the items on screen are ever wrapped, so drawing, scrolling and
//! resizing cost the same at the top and at the bottom of a 100,000-line article.

use std::ops::Range;

use crate::library::{Article, BlockKind};
use crate::text::{display_width, wrap};

/// A position in the flow: the first screen line is line `line` of item `item`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Viewport {
    pub item: usize,
    pub line: usize,
}

/// How an item is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Title,
    Subtitle,
    Byline,
    Block(BlockKind),
}

/// One screen line of the flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowLine {
    pub item: usize,
    /// Bytes of the item's text on this line; `None` for the blank line after an item.
    pub range: Option<Range<usize>>,
    /// The first line of its item (list bullets are drawn only there).
    pub first: bool,
}

/// An article seen as a flow of items, ready to be wrapped at any width.
/// With a keyword filter, only some blocks are in the flow (`shown`).
#[derive(Debug)]
pub struct Flow<'a> {
    article: &'a Article,
    header: Vec<(ItemKind, String)>,
    /// The blocks in the flow, ascending; `None` means every block.
    shown: Option<&'a [usize]>,
}

/// Cells taken by a list bullet, a quote bar or a code indent.
pub const PREFIX_WIDTH: usize = 2;

impl<'a> Flow<'a> {
    pub fn new(article: &'a Article) -> Flow<'a> {
        let meta = &article.meta;
        let mut header = vec![(ItemKind::Title, meta.title.clone())];
        if let Some(subtitle) = meta.subtitle.as_ref().filter(|s| !s.is_empty()) {
            header.push((ItemKind::Subtitle, subtitle.clone()));
        }
        let mut byline = Vec::new();
        if let Some(date) = meta.date.as_ref().filter(|d| !d.is_empty()) {
            byline.push(date.clone());
        }
        byline.push(format!("{} min read", article.reading_minutes()));
        byline.push(match article.sections.len() {
            1 => "1 section".to_string(),
            n => format!("{n} sections"),
        });
        header.push((ItemKind::Byline, byline.join(" · ")));
        Flow {
            article,
            header,
            shown: None,
        }
    }

    /// The flow of only the blocks in `shown` (ascending block indices).
    pub fn filtered(article: &'a Article, shown: &'a [usize]) -> Flow<'a> {
        Flow {
            shown: Some(shown),
            ..Flow::new(article)
        }
    }

    pub fn article(&self) -> &'a Article {
        self.article
    }

    /// Number of items: the header lines plus every block shown.
    pub fn len(&self) -> usize {
        self.header.len() + self.shown.map_or(self.article.blocks.len(), <[usize]>::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item showing `block`; for a block the filter hides, the next item shown.
    pub fn block_item(&self, block: usize) -> usize {
        let index = match self.shown {
            Some(shown) => shown.partition_point(|&b| b < block),
            None => block,
        };
        self.header.len() + index
    }

    /// The block shown by `item`, if it is not a header line.
    pub fn item_block(&self, item: usize) -> Option<usize> {
        let index = item.checked_sub(self.header.len())?;
        match self.shown {
            Some(shown) => shown.get(index).copied(),
            None => (index < self.article.blocks.len()).then_some(index),
        }
    }

    /// Whether `block` is in the flow.
    pub fn shows(&self, block: usize) -> bool {
        self.shown
            .is_none_or(|shown| shown.binary_search(&block).is_ok())
    }

    pub fn kind(&self, item: usize) -> ItemKind {
        match self.item_block(item) {
            Some(b) => ItemKind::Block(self.article.blocks[b].kind),
            None => self.header.get(item).map_or(ItemKind::Byline, |(k, _)| *k),
        }
    }

    pub fn text(&self, item: usize) -> &str {
        match self.item_block(item) {
            Some(b) => &self.article.blocks[b].text,
            None => self.header.get(item).map_or("", |(_, t)| t.as_str()),
        }
    }

    /// Cells before the text: bullets, quote bars and code indents.
    pub fn prefix_width(&self, item: usize) -> usize {
        match self.kind(item) {
            ItemKind::Block(BlockKind::ListItem | BlockKind::Quote | BlockKind::Code) => {
                PREFIX_WIDTH
            }
            _ => 0,
        }
    }

    /// The screen lines of one item at `width`, ending with one blank line.
    pub fn lines(&self, item: usize, width: usize) -> Vec<FlowLine> {
        let text_width = width.saturating_sub(self.prefix_width(item)).max(1);
        let mut lines: Vec<FlowLine> = wrap(self.text(item), text_width)
            .into_iter()
            .enumerate()
            .map(|(i, range)| FlowLine {
                item,
                range: Some(range),
                first: i == 0,
            })
            .collect();
        if lines.is_empty() {
            lines.push(FlowLine {
                item,
                range: Some(0..0),
                first: true,
            });
        }
        // The title is followed directly by the subtitle and byline.
        let keep_together = matches!(self.kind(item), ItemKind::Title | ItemKind::Subtitle);
        if !keep_together {
            lines.push(FlowLine {
                item,
                range: None,
                first: false,
            });
        }
        lines
    }

    /// The screen lines from `top` on, at most `height` of them.
    pub fn visible(&self, top: Viewport, width: usize, height: usize) -> Vec<FlowLine> {
        let mut out = Vec::with_capacity(height);
        let mut item = top.item;
        let mut skip = top.line;
        while out.len() < height && item < self.len() {
            let lines = self.lines(item, width);
            out.extend(lines.into_iter().skip(skip).take(height - out.len()));
            skip = 0;
            item += 1;
        }
        out
    }

    /// The viewport that shows the last line of the flow on the last screen row.
    pub fn max_top(&self, width: usize, height: usize) -> Viewport {
        let mut needed = height.max(1);
        let mut item = self.len();
        while item > 0 {
            item -= 1;
            let count = self.lines(item, width).len();
            if count >= needed {
                return Viewport {
                    item,
                    line: count - needed,
                };
            }
            needed -= count;
        }
        Viewport::default()
    }

    /// `top` moved by `delta` lines, kept between the start and [`Flow::max_top`].
    pub fn scroll(&self, top: Viewport, delta: isize, width: usize, height: usize) -> Viewport {
        let moved = if delta >= 0 {
            self.forward(top, delta.unsigned_abs(), width)
        } else {
            self.backward(top, delta.unsigned_abs(), width)
        };
        moved.min(self.max_top(width, height))
    }

    fn forward(&self, mut at: Viewport, mut by: usize, width: usize) -> Viewport {
        while by > 0 && at.item < self.len() {
            let count = self.lines(at.item, width).len();
            let left = count.saturating_sub(at.line + 1);
            if by <= left {
                at.line += by;
                return at;
            }
            by -= left + 1;
            if at.item + 1 >= self.len() {
                at.line = count.saturating_sub(1);
                return at;
            }
            at = Viewport {
                item: at.item + 1,
                line: 0,
            };
        }
        at
    }

    fn backward(&self, mut at: Viewport, mut by: usize, width: usize) -> Viewport {
        while by > 0 {
            if by <= at.line {
                at.line -= by;
                return at;
            }
            by -= at.line;
            if at.item == 0 {
                return Viewport::default();
            }
            at.item -= 1;
            at.line = self.lines(at.item, width).len();
        }
        at
    }

    /// Lines from `from` to `to` (a later position), if no more than `limit`.
    pub fn distance(
        &self,
        from: Viewport,
        to: Viewport,
        width: usize,
        limit: usize,
    ) -> Option<usize> {
        if to < from {
            return None;
        }
        let mut count = 0;
        let mut at = from;
        while at.item < to.item {
            let lines = self.lines(at.item, width).len();
            count += lines - at.line.min(lines);
            if count > limit {
                return None;
            }
            at = Viewport {
                item: at.item + 1,
                line: 0,
            };
        }
        count += to.line.saturating_sub(at.line);
        (count <= limit).then_some(count)
    }

    /// The line of `item` holding byte `offset` of its text.
    pub fn line_of(&self, item: usize, offset: usize, width: usize) -> usize {
        let lines = self.lines(item, width);
        lines
            .iter()
            .rposition(|l| l.range.as_ref().is_some_and(|r| r.start <= offset))
            .unwrap_or(0)
    }

    /// The byte of the item's text drawn at `column` cells into the line.
    pub fn offset_at(&self, line: &FlowLine, column: usize) -> Option<usize> {
        let range = line.range.clone()?;
        let text = self.text(line.item).get(range.clone())?;
        let mut used = 0;
        for (i, grapheme) in unicode_segmentation::UnicodeSegmentation::grapheme_indices(text, true)
        {
            used += display_width(grapheme);
            if used > column {
                return Some(range.start + i);
            }
        }
        Some(range.end.saturating_sub(1).max(range.start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{ArticleMeta, Block, Origin};

    fn article(paragraphs: usize) -> Article {
        let mut blocks = Vec::new();
        let mut start = 0;
        for i in 0..paragraphs {
            let text = format!("Paragraph {i} has a handful of words. It has two sentences.");
            let len = text.len();
            blocks.push(Block {
                kind: BlockKind::Paragraph,
                sentences: vec![0..38, 38..len],
                text,
                section: None,
                start,
            });
            start += len + 2;
        }
        Article {
            meta: ArticleMeta {
                id: "t".into(),
                title: "Title".into(),
                ..ArticleMeta::default()
            },
            blocks,
            sections: Vec::new(),
            origin: Origin::Bundled("t.md".into()),
            word_count: 100,
            text_len: start.saturating_sub(2),
            sentences_split: true,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn visible_fills_the_height_and_stops_at_the_end() {
        let a = article(50);
        let flow = Flow::new(&a);
        assert_eq!(flow.visible(Viewport::default(), 30, 10).len(), 10);
        let end = flow.max_top(30, 10);
        assert_eq!(flow.visible(end, 30, 10).len(), 10);
        assert_eq!(flow.visible(flow.scroll(end, 5, 30, 10), 30, 10).len(), 10);
    }

    #[test]
    fn scrolling_there_and_back_returns_to_the_same_place() {
        let a = article(50);
        let flow = Flow::new(&a);
        let start = Viewport { item: 10, line: 1 };
        let there = flow.scroll(start, 17, 30, 10);
        assert_eq!(flow.distance(start, there, 30, 100), Some(17));
        assert_eq!(flow.scroll(there, -17, 30, 10), start);
        assert_eq!(flow.scroll(start, -1000, 30, 10), Viewport::default());
    }

    #[test]
    fn max_top_shows_the_last_line_last() {
        let a = article(20);
        let flow = Flow::new(&a);
        let top = flow.max_top(40, 7);
        let lines = flow.visible(top, 40, 7);
        let last = lines.last().map(|l| l.item);
        assert_eq!(last, Some(flow.len() - 1));
        assert_eq!(lines.len(), 7);
    }

    #[test]
    fn offsets_map_columns_back_to_text() {
        let a = article(1);
        let flow = Flow::new(&a);
        let item = flow.block_item(0);
        let line = &flow.lines(item, 20)[0];
        assert_eq!(flow.offset_at(line, 0), Some(0));
        assert_eq!(flow.offset_at(line, 4), Some(4));
        assert_eq!(flow.line_of(item, 0, 20), 0);
        assert!(flow.line_of(item, 40, 20) > 0);
    }
}
