//! The styles gloss draws with, in one place so a theme can replace them.

use ratatui::style::{Color, Modifier, Style};

pub const ACCENT: Color = Color::Cyan;

pub const DIM: Style = Style::new().fg(Color::DarkGray);
pub const TITLE_BAR: Style = Style::new().fg(ACCENT).add_modifier(Modifier::BOLD);
pub const COLUMN_HEADING: Style = Style::new()
    .fg(Color::DarkGray)
    .add_modifier(Modifier::BOLD);
pub const SELECTED: Style = Style::new().add_modifier(Modifier::REVERSED);
pub const WARNING: Style = Style::new().fg(Color::Yellow);

pub const ARTICLE_TITLE: Style = Style::new().fg(ACCENT).add_modifier(Modifier::BOLD);
pub const SUBTITLE: Style = Style::new().add_modifier(Modifier::ITALIC);
pub const BYLINE: Style = Style::new().fg(Color::DarkGray);
pub const HEADING: Style = Style::new().fg(ACCENT).add_modifier(Modifier::BOLD);
pub const SUBHEADING: Style = Style::new().add_modifier(Modifier::BOLD);
pub const BODY: Style = Style::new();
pub const QUOTE: Style = Style::new().add_modifier(Modifier::ITALIC);
pub const CODE: Style = Style::new().fg(Color::Green);
pub const PREFIX: Style = Style::new().fg(Color::DarkGray);

/// The sentence under the reading cursor.
pub const CURSOR: Style = Style::new().bg(Color::DarkGray).fg(Color::White);
/// A keyword filter match, and the one `n`/`N` moved to.
pub const MATCH: Style = Style::new().bg(Color::Yellow).fg(Color::Black);
pub const CURRENT_MATCH: Style = Style::new()
    .bg(Color::LightRed)
    .fg(Color::Black)
    .add_modifier(Modifier::BOLD);
/// The sentences of a selection in progress.
pub const SELECTION: Style = Style::new()
    .add_modifier(Modifier::UNDERLINED)
    .add_modifier(Modifier::BOLD);
/// The mark in the gutter beside a highlight with a note.
pub const NOTE_MARK: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
/// The bar in the gutter beside the cursor's lines.
pub const CURSOR_BAR: Style = Style::new().fg(ACCENT);

pub const STATUS: Style = Style::new().bg(Color::DarkGray).fg(Color::White);
pub const STATUS_MODE: Style = Style::new()
    .bg(ACCENT)
    .fg(Color::Black)
    .add_modifier(Modifier::BOLD);
pub const CURRENT_SECTION: Style = Style::new().fg(ACCENT).add_modifier(Modifier::BOLD);
