//! What stays on screen while annotations are not safe on disk: a banner
//! across the top while the last save failed (or recovery files wait), and
//! the question asked on quitting then.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{Theme, pad};
use crate::app::help::hint::KeyHint;
use crate::app::{Action, App, Mode};

/// The banner on the top row, over whatever screen is below.
pub fn draw_banner(frame: &mut Frame<'_>, app: &App, theme: &Theme) {
    let Some(text) = app.banner() else {
        return;
    };
    let area = frame.area();
    let row = Rect {
        height: area.height.min(1),
        ..area
    };
    frame.render_widget(
        Paragraph::new(pad(&format!(" {text}"), usize::from(area.width))).style(theme.warning),
        row,
    );
}

/// The question asked on quitting with unsaved annotations, in a box in the
/// middle of the screen.
pub fn draw_prompt(frame: &mut Frame<'_>, app: &App, theme: &Theme) {
    let area = frame.area();
    let keys = KeyHint::new(&app.keymap, Mode::UnsavedQuit)
        .key(Action::RetrySave, "try to save again")
        .key(Action::WriteRecovery, "write them to a recovery file")
        .key(Action::QuitAnyway, "quit anyway (kept in a recovery file)")
        .every_key(Action::Back, "go back");
    // The keys before the reason, which may be long: on a small screen the
    // reason is what gets cut.
    let mut lines = vec![Line::styled(
        "Your latest annotations are not saved.",
        theme.warning,
    )];
    lines.extend(keys.items().into_iter().map(Line::raw));
    lines.push(Line::raw(""));
    lines.push(Line::raw(
        app.save_failure().unwrap_or_default().to_string(),
    ));
    let width = area.width.saturating_sub(4).min(72);
    let height = area.height.saturating_sub(2).min(14);
    let boxed = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, boxed);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Quit without saving? ")
                .border_style(theme.warning),
        ),
        boxed,
    );
}
