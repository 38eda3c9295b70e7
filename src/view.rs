//! Drawing: a pure function from `&App` and the [`Theme`] to a frame. Nothing
//! here changes state; the same `App` and theme always draw the same screen,
//! which is what the snapshot tests rely on.

mod library;
mod lists;
pub mod note_editor;
mod overlay;
mod reader;
pub mod theme;
mod unsaved;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::widgets::Paragraph;
use unicode_segmentation::UnicodeSegmentation;

use crate::app::App;
use crate::text::display_width;
pub use theme::Theme;

/// Below this size the screen only says it is too small.
pub const MIN_WIDTH: u16 = 24;
pub const MIN_HEIGHT: u16 = 6;

/// Draws the whole screen for `app` in the styles of `theme`.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(frame, area, theme);
        return;
    }
    match &app.reader {
        Some(reader) => reader::draw(frame, app, reader, theme),
        None => library::draw(frame, app, theme),
    }
    if let Some(banner) = &app.read_only_banner {
        draw_banner(frame, area, banner, theme);
    }
    if let Some(overlay) = &app.overlay {
        overlay::draw(frame, app, overlay, theme);
    }
    if let Some(draft) = &app.note {
        let quote = app
            .annotations
            .get(&draft.id)
            .map_or("", |h| h.anchor.quote.exact.as_str());
        note_editor::draw(
            frame,
            area,
            &draft.editor,
            quote,
            draft.leaving,
            &app.keymap,
            theme,
        );
    }
    unsaved::draw_banner(frame, app, theme);
    if app.mode() == crate::app::Mode::UnsavedQuit {
        unsaved::draw_prompt(frame, app, theme);
    }
}

/// The read-only banner on the top row: in the reader the text starts below
/// it (see [`App::screen_area`]); on the library screen it takes the place of
/// the title bar.
fn draw_banner(frame: &mut Frame<'_>, area: Rect, banner: &str, theme: &Theme) {
    let row = Rect { height: 1, ..area };
    let text = fit(&format!(" {banner}"), usize::from(area.width));
    // Reverse video stands out in every theme, and without colour.
    let style = theme
        .warning
        .add_modifier(ratatui::style::Modifier::REVERSED);
    frame.render_widget(Paragraph::new(text).style(style), row);
}

fn draw_too_small(frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
    let width = usize::from(area.width);
    let message = ["Terminal too small", "Too small"]
        .into_iter()
        .find(|m| display_width(m) <= width)
        .unwrap_or("…");
    let text = fit(message, width);
    let y = area.y + area.height / 2;
    let line = Rect {
        y,
        height: area.height.min(1),
        ..area
    };
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .style(theme.dim),
        line,
    );
}

/// `text` cut to at most `width` cells, ending in `…` when cut.
pub fn fit(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for grapheme in text.graphemes(true) {
        let w = display_width(grapheme);
        if used + w + 1 > width {
            break;
        }
        out.push_str(grapheme);
        used += w;
    }
    out.push('…');
    out
}

/// `text` padded with spaces (or cut) to exactly `width` cells.
pub fn pad(text: &str, width: usize) -> String {
    let mut out = fit(text, width);
    let used = display_width(&out);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_respects_display_width() {
        assert_eq!(fit("hello", 10), "hello");
        assert_eq!(fit("hello world", 6), "hello…");
        assert_eq!(fit("成果成果", 5), "成果…");
        assert_eq!(fit("abc", 0), "");
        assert!(display_width(&fit("👩‍👩‍👧 family", 3)) <= 3);
    }

    #[test]
    fn pad_fills_exactly() {
        assert_eq!(display_width(&pad("成果", 7)), 7);
        assert_eq!(display_width(&pad("a long title here", 7)), 7);
    }
}
