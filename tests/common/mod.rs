//! Driving the app as a person would, without a terminal: the bundled library,
//! keys pressed by name through the real keymap, and the screen drawn into
//! ratatui's `TestBackend`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use gloss::app::{Action, App};
use gloss::input::KeyChord;
use gloss::library::{Library, Sources};
use gloss::store::positions::Positions;
use gloss::view::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The app on the bundled articles, at a terminal size.
pub fn bundled_app(width: u16, height: u16) -> App {
    let library = Library::open(&Sources {
        bundled: true,
        folders: Vec::new(),
    });
    assert!(library.warnings.is_empty(), "{:?}", library.warnings);
    App::new(library, Positions::new(), Rect::new(0, 0, width, height))
}

/// Presses keys given by name, separated by spaces (`"j j Enter"`), through the
/// same keymap the terminal uses. In typing modes, single characters are typed;
/// `Space` types a space there.
pub fn press(app: &mut App, keys: &str) {
    for name in keys.split(' ').filter(|k| !k.is_empty()) {
        let chord = KeyChord::parse(name).unwrap();
        let action = app.keymap.lookup(app.mode(), chord).or_else(|| {
            let typed = if name == "Space" {
                Some(' ')
            } else {
                single_char(name)
            };
            typed
                .filter(|_| app.mode().is_typing())
                .map(Action::InsertChar)
        });
        let action = action.unwrap_or_else(|| panic!("{name} does nothing in {:?}", app.mode()));
        app.update(action);
    }
}

/// Types text into the input that has the keyboard, character by character.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::InsertChar(c));
    }
}

fn single_char(name: &str) -> Option<char> {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// The whole screen as text, one quoted line per row, in the default theme.
pub fn screen(app: &App) -> String {
    screen_in(app, &Theme::default())
}

/// The whole screen as text, drawn in `theme`.
pub fn screen_in(app: &App, theme: &Theme) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.area.width, app.area.height)).unwrap();
    terminal
        .draw(|frame| view::draw(frame, app, theme))
        .unwrap();
    terminal.backend().to_string()
}

/// The screen's cells, with their styles, drawn in `theme`.
pub fn buffer_in(app: &App, theme: &Theme) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.area.width, app.area.height)).unwrap();
    terminal
        .draw(|frame| view::draw(frame, app, theme))
        .unwrap();
    terminal.backend().buffer().clone()
}
