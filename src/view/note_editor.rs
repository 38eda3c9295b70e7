//! Draws the note editor: a bordered box over the screen with the start of the
//! highlighted quote as its title, the note's visible rows, the cursor cell in
//! reverse video, and how to leave on the bottom border. Leaving a changed
//! note, its last row asks whether to save, discard or keep editing. The
//! terminal cursor is not used, so the screen is the same in a test backend as
//! on a terminal.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::geometry::note_box;
use crate::app::help::hint::KeyHint;
use crate::app::note_editor::NoteEditor;
use crate::app::{Action, Mode};
use crate::input::Keymap;
use crate::text::display_width;
use crate::view::{Theme, fit};

/// Draws `editor` in a box centred in `area` (the box of
/// [`note_box`], so the app wraps the text at the width drawn), titled with
/// the start of `title`, with the keys of `keymap` that leave it. When
/// `leaving`, the box's last row asks what to do with the changed note.
pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    editor: &NoteEditor,
    title: &str,
    leaving: bool,
    keymap: &Keymap,
    theme: &Theme,
) {
    let outer = note_box(area).intersection(area);
    if outer.is_empty() {
        return;
    }
    frame.render_widget(Clear, outer);
    let border_room = usize::from(outer.width.saturating_sub(2));
    // While asking, the prompt says how to leave; the border does not.
    let hint = if leaving {
        String::new()
    } else {
        leave_hint(keymap, border_room)
    };
    // A quote may run over several lines; the title shows its start on one.
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dim)
        .title(Line::styled(
            fit(&format!(" {title} "), border_room),
            theme.title_bar,
        ))
        .title_bottom(Line::styled(hint, theme.dim).right_aligned());
    let mut inner = block.inner(outer);
    frame.render_widget(block, outer);
    if inner.is_empty() {
        return;
    }
    if leaving {
        let last = Rect {
            y: inner.bottom() - 1,
            height: 1,
            ..inner
        };
        let prompt = leave_prompt(keymap, usize::from(inner.width));
        frame.render_widget(Paragraph::new(Line::styled(prompt, theme.warning)), last);
        inner.height -= 1;
        if inner.is_empty() {
            return;
        }
    }

    let width = usize::from(inner.width);
    let height = usize::from(inner.height);
    let layout = editor.layout(width, height);
    let text = editor.text();
    let lines: Vec<Line<'_>> = layout
        .rows
        .iter()
        .skip(layout.first_row)
        .take(height)
        .map(|row| Line::raw(text.get(row.clone()).unwrap_or("")))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);

    let (row, column) = layout.cursor;
    if let (Some(dy), Ok(dx)) = (row.checked_sub(layout.first_row), u16::try_from(column))
        && let Ok(dy) = u16::try_from(dy)
        && dy < inner.height
        && dx < inner.width
    {
        let at = Position::new(inner.x + dx, inner.y + dy);
        if let Some(cell) = frame.buffer_mut().cell_mut(at) {
            cell.set_style(theme.text_cursor);
        }
    }
}

/// How to leave, at most `room` cells: `Ctrl-s save · Esc cancel` when it
/// fits, else the keys alone (`Ctrl-s · Esc`), cut to fit.
fn leave_hint(keymap: &Keymap, room: usize) -> String {
    let hint = KeyHint::new(keymap, Mode::NoteEditor)
        .key(Action::SaveNote, "save")
        .key(Action::Cancel, "cancel");
    let labelled = hint.join(" · ");
    if display_width(&labelled) <= room {
        labelled
    } else {
        fit(&hint.keys_alone(" · "), room)
    }
}

/// What to do with a changed note, at most `room` cells:
/// `Save changes? s save · d discard · Esc keep editing` when it fits,
/// then without the question, then the keys alone.
fn leave_prompt(keymap: &Keymap, room: usize) -> String {
    let hint = KeyHint::new(keymap, Mode::LeavingNote)
        .key(Action::SaveNote, "save")
        .key(Action::DiscardNote, "discard")
        .key(Action::Cancel, "keep editing");
    let labelled = hint.join(" · ");
    let asked = format!("Save changes? {labelled}");
    if display_width(&asked) <= room {
        asked
    } else if display_width(&labelled) <= room {
        labelled
    } else {
        fit(&format!("Save? {}", hint.keys_alone(" · ")), room)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;
    use ratatui::style::Modifier;
    use ratatui::widgets::Paragraph;

    use super::*;

    /// Draws `editor` over a screen filled with `#`, and returns the screen.
    fn screen(width: u16, height: u16, editor: &NoteEditor, title: &str) -> Buffer {
        screen_with(&Keymap::defaults(), width, height, editor, title)
    }

    fn screen_with(
        keymap: &Keymap,
        width: u16,
        height: u16,
        editor: &NoteEditor,
        title: &str,
    ) -> Buffer {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| {
                let area = frame.area();
                let background = "#".repeat(usize::from(width));
                let lines = vec![Line::raw(background); usize::from(height)];
                frame.render_widget(Paragraph::new(lines), area);
                draw(frame, area, editor, title, false, keymap, &Theme::default());
            })
            .unwrap();
        terminal.backend().buffer().clone()
    }

    fn row(buffer: &Buffer, y: u16) -> String {
        (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect()
    }

    fn is_reversed(buffer: &Buffer, x: u16, y: u16) -> bool {
        buffer[(x, y)].modifier.contains(Modifier::REVERSED)
    }

    #[test]
    fn draws_a_centred_box_with_title_text_cursor_and_hint() {
        let editor = NoteEditor::new("First line of the note\nsecond");
        let buffer = screen(80, 24, &editor, "The quote\n  begins here");
        let boxed = note_box(Rect::new(0, 0, 80, 24));
        let (left, top, bottom) = (boxed.x, boxed.y, boxed.bottom() - 1);
        assert!(row(&buffer, top).contains(" The quote begins here "));
        let first = row(&buffer, top + 1);
        assert!(first[usize::from(left)..].starts_with("│First line of the note "));
        assert!(first.ends_with(&format!("│{}", "#".repeat(usize::from(80 - boxed.right())))));
        assert!(row(&buffer, top + 2)[usize::from(left)..].starts_with("│second "));
        assert!(row(&buffer, bottom).contains("Ctrl-s save · Esc cancel"));
        // The cursor is the cell after "second", and only that cell.
        assert!(is_reversed(&buffer, left + 7, top + 2));
        let reversed = (0..24)
            .flat_map(|y| (0..80).map(move |x| (x, y)))
            .filter(|&(x, y)| is_reversed(&buffer, x, y))
            .count();
        assert_eq!(reversed, 1);
        // What was under the box is cleared; what is around it is not.
        let middle = row(&buffer, top + 5);
        let inside = format!("│{}│", " ".repeat(usize::from(boxed.width) - 2));
        assert_eq!(
            middle,
            format!("{0}{inside}{0}", "#".repeat(usize::from(left)))
        );
        assert!(row(&buffer, 0).starts_with("####"));
    }

    #[test]
    fn a_small_box_scrolls_to_the_cursor_and_shortens_the_hint() {
        let text: Vec<String> = (1..=12).map(|n| format!("line {n}")).collect();
        let editor = NoteEditor::new(&text.join("\n"));
        let long_title = "A very long quote that cannot fit on the border";
        let buffer = screen(30, 8, &editor, long_title);
        let boxed = note_box(Rect::new(0, 0, 30, 8));
        let (left, top, bottom) = (usize::from(boxed.x), boxed.y, boxed.bottom() - 1);
        assert!(row(&buffer, top).contains(" A very long"));
        assert!(row(&buffer, top).contains('…'));
        assert!(
            row(&buffer, bottom).contains("Ctrl-s · Esc"),
            "{}",
            row(&buffer, bottom)
        );
        // Six rows of text: lines 7 to 12, the cursor after the last.
        assert!(row(&buffer, top + 1)[left..].starts_with("│line 7 "));
        assert!(row(&buffer, bottom - 1)[left..].starts_with("│line 12 "));
        assert!(is_reversed(&buffer, boxed.x + 8, bottom - 1));
    }

    #[test]
    fn the_hint_names_the_keys_bound_now() {
        use crate::input::{KeyChord, KeyOverride};
        let key = |name| KeyChord::parse(name).unwrap();
        let change = |name, action| KeyOverride {
            mode: Mode::NoteEditor,
            key: key(name),
            action,
        };
        let editor = NoteEditor::new("note");
        let bottom = note_box(Rect::new(0, 0, 80, 24)).bottom() - 1;

        let rebound = Keymap::defaults()
            .with_overrides(&[change("Ctrl-s", None), change("F2", Some(Action::SaveNote))]);
        let shown = row(&screen_with(&rebound, 80, 24, &editor, "quote"), bottom);
        assert!(shown.contains("F2 save · Esc cancel"), "{shown}");
        assert!(!shown.contains("Ctrl-s"), "{shown}");

        let unbound = Keymap::defaults().with_overrides(&[change("Esc", None)]);
        let shown = row(&screen_with(&unbound, 80, 24, &editor, "quote"), bottom);
        assert!(shown.contains("Ctrl-s save"), "{shown}");
        assert!(!shown.contains("cancel"), "{shown}");
    }

    #[test]
    fn the_cursor_on_a_wide_character_marks_its_cell() {
        let mut editor = NoteEditor::new("成果");
        editor.left();
        let buffer = screen(40, 10, &editor, "quote");
        let boxed = note_box(Rect::new(0, 0, 40, 10));
        assert_eq!(buffer[(boxed.x + 3, boxed.y + 1)].symbol(), "果");
        assert!(is_reversed(&buffer, boxed.x + 3, boxed.y + 1));
    }

    #[test]
    fn never_panics_down_to_one_cell() {
        let editor = NoteEditor::new("成果 and 👩‍👩‍👧\nnote text that wraps around");
        let buffer = screen(1, 1, &editor, "quote");
        assert_ne!(buffer[(0, 0)].symbol(), "#", "the box covers the only cell");
        for width in 1..=14 {
            for height in 1..=6 {
                screen(width, height, &editor, "成果 quote");
            }
        }
    }
}
