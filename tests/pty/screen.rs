//! A tiny terminal emulator for the end-to-end tests: replays the bytes gloss
//! wrote into a grid of cells, so a test can ask what is on the screen rather
//! than search raw output, where ratatui's diffing replaces unchanged cells
//! (often the spaces between words) with cursor moves.
//!
//! It understands what a ratatui + crossterm program writes: cursor positioning,
//! clearing, the alternate screen switch and printable text. Every other escape
//! sequence (colours, modes, mouse reporting, OSC) is skipped.

use unicode_width::UnicodeWidthChar;

/// The visible cells of the alternate screen after replaying some output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screen {
    /// One string per cell; the cell right of a wide character is empty.
    cells: Vec<Vec<String>>,
    row: usize,
    col: usize,
}

impl Screen {
    /// Replays `output` on a blank screen of `cols` × `rows` cells.
    pub fn replay(output: &[u8], cols: usize, rows: usize) -> Screen {
        let mut screen = Screen {
            cells: vec![vec![" ".to_string(); cols]; rows],
            row: 0,
            col: 0,
        };
        let text = String::from_utf8_lossy(output);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\x1b' => match chars.next() {
                    Some('[') => {
                        let mut params = String::new();
                        for c in chars.by_ref() {
                            if ('\x40'..='\x7e').contains(&c) {
                                screen.control(&params, c);
                                break;
                            }
                            params.push(c);
                        }
                    }
                    Some(']') => {
                        // An OSC string ends at BEL or at ESC \.
                        while let Some(c) = chars.next() {
                            if c == '\x07' || (c == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                                break;
                            }
                        }
                    }
                    Some('(' | ')') => {
                        chars.next();
                    }
                    _ => {}
                },
                '\r' => screen.col = 0,
                '\n' => screen.row = (screen.row + 1).min(rows.saturating_sub(1)),
                '\x08' => screen.col = screen.col.saturating_sub(1),
                c if c.is_control() => {}
                c => screen.print(c),
            }
        }
        screen
    }

    fn control(&mut self, params: &str, command: char) {
        let numbers: Vec<usize> = params
            .trim_start_matches('?')
            .split(';')
            .map(|n| n.parse().unwrap_or(0))
            .collect();
        let first = numbers.first().copied().unwrap_or(0);
        match command {
            'H' | 'f' => {
                let row = first.max(1) - 1;
                let col = numbers.get(1).copied().unwrap_or(1).max(1) - 1;
                self.row = row.min(self.rows().saturating_sub(1));
                self.col = col.min(self.cols());
            }
            'J' if first >= 2 => self.clear_all(),
            'J' if first == 0 => {
                self.clear_line_from(self.row, self.col);
                for row in self.row + 1..self.rows() {
                    self.clear_line_from(row, 0);
                }
            }
            'K' if first == 0 => self.clear_line_from(self.row, self.col),
            'K' if first == 2 => self.clear_line_from(self.row, 0),
            'h' if params == "?1049" => {
                self.clear_all();
                self.row = 0;
                self.col = 0;
            }
            _ => {}
        }
    }

    fn print(&mut self, c: char) {
        let width = c.width().unwrap_or(0);
        if width == 0 {
            // A combining mark joins the character before it.
            if let Some(cell) = self
                .col
                .checked_sub(1)
                .and_then(|col| self.cell_mut(self.row, col))
            {
                cell.push(c);
            }
            return;
        }
        if self.col + width > self.cols() {
            self.col = 0;
            self.row = (self.row + 1).min(self.rows().saturating_sub(1));
        }
        if let Some(cell) = self.cell_mut(self.row, self.col) {
            *cell = c.to_string();
        }
        for extra in 1..width {
            if let Some(cell) = self.cell_mut(self.row, self.col + extra) {
                cell.clear();
            }
        }
        self.col += width;
    }

    fn cell_mut(&mut self, row: usize, col: usize) -> Option<&mut String> {
        self.cells.get_mut(row)?.get_mut(col)
    }

    fn clear_all(&mut self) {
        for row in 0..self.rows() {
            self.clear_line_from(row, 0);
        }
    }

    fn clear_line_from(&mut self, row: usize, col: usize) {
        if let Some(line) = self.cells.get_mut(row) {
            for cell in line.iter_mut().skip(col) {
                *cell = " ".to_string();
            }
        }
    }

    fn rows(&self) -> usize {
        self.cells.len()
    }

    fn cols(&self) -> usize {
        self.cells.first().map_or(0, Vec::len)
    }

    /// The text of row `index` (an empty string past the bottom).
    pub fn line(&self, index: usize) -> String {
        self.cells
            .get(index)
            .map(|cells| cells.concat())
            .unwrap_or_default()
    }

    /// The bottom row, where the reader keeps its status line.
    pub fn last_line(&self) -> String {
        self.line(self.rows().saturating_sub(1))
    }

    /// Whether any row contains `text`.
    pub fn contains(&self, text: &str) -> bool {
        (0..self.rows()).any(|row| self.line(row).contains(text))
    }

    /// The reading progress shown in the status line (`NN%`), if any.
    pub fn status_percent(&self) -> Option<u8> {
        self.last_line()
            .split_whitespace()
            .rev()
            .find_map(|word| word.strip_suffix('%')?.parse().ok())
    }
}

impl std::fmt::Display for Screen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for row in 0..self.rows() {
            writeln!(f, "|{}|", self.line(row))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_moves_place_text_where_ratatui_put_it() {
        let screen = Screen::replay(
            b"\x1b[?1049h\x1b[1;1Hab\x1b[1;5Hcd\x1b[2;2H\x1b[38;5;1mx\x1b[0m",
            8,
            3,
        );
        assert_eq!(screen.line(0), "ab  cd  ");
        assert_eq!(screen.line(1), " x      ");
        assert_eq!(screen.line(2), "        ");
    }

    #[test]
    fn wide_characters_take_two_cells() {
        let screen = Screen::replay("\x1b[1;1H成果!".as_bytes(), 6, 1);
        assert_eq!(screen.line(0), "成果! ");
        assert!(screen.contains("果!"));
    }

    #[test]
    fn clearing_and_osc_strings_leave_no_text() {
        let screen = Screen::replay(b"old\x1b]0;title\x07\x1b[2J\x1b[1;2Hnew", 5, 1);
        assert_eq!(screen.line(0), " new ");
    }

    #[test]
    fn the_status_percentage_is_read_from_the_bottom_row() {
        let screen = Screen::replay(
            b"\x1b[2;1H READ  Title \xc2\xb7 \xc2\xa71/3 Intro   42% ",
            40,
            2,
        );
        assert_eq!(screen.status_percent(), Some(42));
        assert_eq!(Screen::replay(b"", 4, 2).status_percent(), None);
    }
}
