//! Where each part of the reading screen goes for a terminal size: the centred
//! text column, its gutter, the outline pane and the status line. Shared by the
//! view (to draw) and the app (to scroll by pages and to map mouse clicks).

use std::ops::RangeInclusive;

use ratatui::layout::Rect;

/// Readable measure: by default the text column is never wider than this
/// many cells (`reading_width` in the configuration changes it).
pub const DEFAULT_COLUMN_WIDTH: u16 = 72;
/// The reading widths a configuration may ask for.
pub const COLUMN_WIDTHS: RangeInclusive<u16> = 20..=200;
/// Cells left of the text for the cursor bar and note marks.
pub const GUTTER_WIDTH: u16 = 2;
/// Width of the outline pane when it sits beside the text.
pub const OUTLINE_WIDTH: u16 = 32;
/// Below this width the outline covers the text instead of sitting beside it.
pub const SIDE_BY_SIDE_MIN: u16 = 70;

/// The parts of the reading screen.
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
    /// The parts for a screen of `area`, the text column at most
    /// `column_width` cells wide.
    pub fn new(area: Rect, outline_open: bool, column_width: u16) -> ReaderGeometry {
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
        let width = usable.min(column_width);
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

    /// Width and height of the text column, at least one cell each.
    pub fn text_size(self) -> (usize, usize) {
        (
            usize::from(self.text.width).max(1),
            usize::from(self.text.height).max(1),
        )
    }
}

/// The note editor's box, centred: about 70% of the width with at most
/// [`NOTE_MAX_TEXT`] cells of text, and up to 16 rows tall.
pub fn note_box(area: Rect) -> Rect {
    let width = (area.width * 7 / 10)
        .clamp(area.width.min(24), NOTE_MAX_TEXT + 2)
        .min(area.width);
    let height = (area.height * 6 / 10)
        .clamp(area.height.min(8), 16)
        .min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// The widest a note's text gets, in cells.
pub const NOTE_MAX_TEXT: u16 = 60;

/// Width of the note text inside [`note_box`] (inside its border).
pub fn note_text_width(area: Rect) -> usize {
    usize::from(note_box(area).width.saturating_sub(2)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_column_is_centred_and_capped() {
        let g = ReaderGeometry::new(Rect::new(0, 0, 200, 50), false, DEFAULT_COLUMN_WIDTH);
        assert_eq!(g.text.width, DEFAULT_COLUMN_WIDTH);
        let right_margin = 200 - g.text.right();
        assert!(g.gutter.x.abs_diff(right_margin) <= 1, "{g:?}");
        assert_eq!(g.status.y, 49);
    }

    #[test]
    fn the_outline_sits_beside_or_over_the_text() {
        let wide = ReaderGeometry::new(Rect::new(0, 0, 120, 30), true, DEFAULT_COLUMN_WIDTH);
        assert_eq!(wide.outline.map(|o| o.width), Some(OUTLINE_WIDTH));
        assert!(wide.text.x >= OUTLINE_WIDTH);
        let narrow = ReaderGeometry::new(Rect::new(0, 0, 50, 30), true, DEFAULT_COLUMN_WIDTH);
        assert_eq!(narrow.outline.map(|o| o.width), Some(50));
    }

    #[test]
    fn the_column_width_is_a_setting() {
        let narrow = ReaderGeometry::new(Rect::new(0, 0, 200, 50), false, 40);
        assert_eq!(narrow.text.width, 40);
        let wide = ReaderGeometry::new(Rect::new(0, 0, 200, 50), false, 150);
        assert_eq!(wide.text.width, 150);
        // The screen still bounds it.
        let small = ReaderGeometry::new(Rect::new(0, 0, 60, 20), false, 150);
        assert!(small.text.right() <= 60, "{small:?}");
    }

    #[test]
    fn tiny_areas_do_not_underflow() {
        for (w, h) in [(0, 0), (1, 1), (3, 1), (1, 5)] {
            let g = ReaderGeometry::new(Rect::new(0, 0, w, h), true, DEFAULT_COLUMN_WIDTH);
            assert!(g.text.right() <= w.max(g.text.x));
        }
    }
}
