//! The styles gloss draws with, as one value chosen at start-up: a dark, a
//! light and a high-contrast theme built from the 16 base terminal colours
//! (so they follow the terminal's own palette), and a colourless one for
//! `NO_COLOR` that marks everything with bold, italic, underline and reverse.

use ratatui::style::{Color as TermColor, Modifier, Style};

use crate::annotation::Color;
use crate::config::{Config, ThemeChoice};

/// Every style the view uses. The view is a pure function of the app and
/// this value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Secondary text: counts, hints, footers, borders.
    pub dim: Style,
    /// Titles of screens and panes, keys in the help.
    pub title_bar: Style,
    /// The column names above the article list.
    pub column_heading: Style,
    /// The selected row of a list.
    pub selected: Style,
    /// Problems to notice.
    pub warning: Style,
    pub article_title: Style,
    pub subtitle: Style,
    pub byline: Style,
    /// Section headings (`##`) and headings of help pages.
    pub heading: Style,
    /// Deeper headings (`###` and below).
    pub subheading: Style,
    pub body: Style,
    pub quote: Style,
    pub code: Style,
    /// List bullets and quote bars before the text.
    pub prefix: Style,
    /// The sentence under the reading cursor.
    pub cursor: Style,
    /// A keyword filter match.
    pub keyword_match: Style,
    /// The match `n`/`N` moved to.
    pub current_match: Style,
    /// The sentences of a selection in progress.
    pub selection: Style,
    /// The mark in the gutter beside a highlight with a note.
    pub note_mark: Style,
    /// The bar in the gutter beside the cursor's lines.
    pub cursor_bar: Style,
    /// The status line.
    pub status: Style,
    /// The mode name at the start of the status line.
    pub status_mode: Style,
    /// The section the cursor is in, in the outline.
    pub current_section: Style,
    /// The text cursor of the note editor.
    pub text_cursor: Style,
    /// Whether lists name a highlight's colour in words, because the
    /// colour itself is not shown.
    pub names_colors: bool,
    /// The style of each highlight colour, in [`Color::ALL`] order.
    highlights: [Style; 5],
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::dark()
    }
}

impl Theme {
    /// The theme a configuration asks for, its highlight colours applied;
    /// with `no_color` (the `NO_COLOR` convention), no colour at all.
    pub fn from_config(config: &Config, no_color: bool) -> Theme {
        if no_color {
            return Theme::no_color();
        }
        let mut theme = Theme::named(config.theme);
        for color in Color::ALL {
            if let Some(term) = config.highlight_colors.get(color) {
                theme = theme.with_highlight(color, term);
            }
        }
        theme
    }

    pub fn named(choice: ThemeChoice) -> Theme {
        match choice {
            ThemeChoice::Dark => Theme::dark(),
            ThemeChoice::Light => Theme::light(),
            ThemeChoice::HighContrast => Theme::high_contrast(),
        }
    }

    /// Light text on a dark terminal: gloss's original look.
    pub fn dark() -> Theme {
        let accent = TermColor::Cyan;
        let bold = Modifier::BOLD;
        Theme {
            dim: fg(TermColor::DarkGray),
            title_bar: fg(accent).add_modifier(bold),
            column_heading: fg(TermColor::DarkGray).add_modifier(bold),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            warning: fg(TermColor::Yellow),
            article_title: fg(accent).add_modifier(bold),
            subtitle: Style::new().add_modifier(Modifier::ITALIC),
            byline: fg(TermColor::DarkGray),
            heading: fg(accent).add_modifier(bold),
            subheading: Style::new().add_modifier(bold),
            body: Style::new(),
            quote: Style::new().add_modifier(Modifier::ITALIC),
            code: fg(TermColor::Green),
            prefix: fg(TermColor::DarkGray),
            cursor: on(TermColor::DarkGray, TermColor::White),
            keyword_match: on(TermColor::Yellow, TermColor::Black),
            current_match: on(TermColor::LightRed, TermColor::Black).add_modifier(bold),
            selection: Style::new().add_modifier(Modifier::UNDERLINED | bold),
            note_mark: fg(TermColor::Yellow).add_modifier(bold),
            cursor_bar: fg(accent),
            status: on(TermColor::DarkGray, TermColor::White),
            status_mode: on(accent, TermColor::Black).add_modifier(bold),
            current_section: fg(accent).add_modifier(bold),
            text_cursor: Style::new().add_modifier(Modifier::REVERSED),
            names_colors: false,
            highlights: [
                on(TermColor::Yellow, TermColor::Black),
                on(TermColor::Green, TermColor::Black),
                on(TermColor::Blue, TermColor::White),
                on(TermColor::Magenta, TermColor::Black),
                on(TermColor::LightMagenta, TermColor::Black),
            ],
        }
    }

    /// Dark text on a light terminal: no light greys, yellow or white text
    /// that would vanish on white; pale highlight backgrounds under black.
    pub fn light() -> Theme {
        let accent = TermColor::Blue;
        let bold = Modifier::BOLD;
        Theme {
            title_bar: fg(accent).add_modifier(bold),
            warning: fg(TermColor::Red).add_modifier(bold),
            article_title: fg(accent).add_modifier(bold),
            heading: fg(accent).add_modifier(bold),
            cursor: on(TermColor::Gray, TermColor::Black),
            note_mark: fg(TermColor::Magenta).add_modifier(bold),
            cursor_bar: fg(accent),
            status: on(TermColor::Gray, TermColor::Black),
            status_mode: on(accent, TermColor::White).add_modifier(bold),
            current_section: fg(accent).add_modifier(bold),
            highlights: [
                on(TermColor::LightYellow, TermColor::Black),
                on(TermColor::LightGreen, TermColor::Black),
                on(TermColor::LightBlue, TermColor::Black),
                on(TermColor::LightMagenta, TermColor::Black),
                on(TermColor::Magenta, TermColor::White),
            ],
            // The rest (greys, emphasis, code, matches) reads on both.
            ..Theme::dark()
        }
    }

    /// The eight base colours only, bold text, and reverse video for the
    /// cursor and selection, for low vision and washed-out screens.
    pub fn high_contrast() -> Theme {
        let bold = Modifier::BOLD;
        let reversed = Modifier::REVERSED;
        let strong = Style::new().add_modifier(bold);
        Theme {
            dim: Style::new(),
            title_bar: strong.add_modifier(Modifier::UNDERLINED),
            column_heading: strong.add_modifier(Modifier::UNDERLINED),
            selected: strong.add_modifier(reversed),
            warning: on(TermColor::Red, TermColor::White).add_modifier(bold),
            article_title: strong.add_modifier(Modifier::UNDERLINED),
            subtitle: strong.add_modifier(Modifier::ITALIC),
            byline: Style::new(),
            heading: strong.add_modifier(Modifier::UNDERLINED),
            subheading: strong,
            body: Style::new(),
            quote: Style::new().add_modifier(Modifier::ITALIC),
            code: strong,
            prefix: strong,
            cursor: strong.add_modifier(reversed),
            keyword_match: on(TermColor::Yellow, TermColor::Black).add_modifier(bold),
            current_match: on(TermColor::Cyan, TermColor::Black)
                .add_modifier(bold | Modifier::UNDERLINED),
            selection: strong.add_modifier(reversed | Modifier::UNDERLINED),
            note_mark: strong.add_modifier(reversed),
            cursor_bar: strong,
            status: Style::new().add_modifier(reversed),
            status_mode: strong.add_modifier(reversed),
            current_section: strong.add_modifier(Modifier::UNDERLINED),
            text_cursor: strong.add_modifier(reversed),
            names_colors: false,
            highlights: [
                on(TermColor::Yellow, TermColor::Black),
                on(TermColor::Green, TermColor::Black),
                on(TermColor::Blue, TermColor::White),
                on(TermColor::Red, TermColor::White),
                on(TermColor::Magenta, TermColor::White),
            ],
        }
    }

    /// No colour at all (<https://no-color.org>): highlights are underlined,
    /// each colour with its own emphasis, and lists name the colour; the
    /// cursor, selection and matches use reverse video and bold.
    pub fn no_color() -> Theme {
        let bold = Modifier::BOLD;
        let italic = Modifier::ITALIC;
        let underlined = Modifier::UNDERLINED;
        let reversed = Modifier::REVERSED;
        let with = |modifiers: Modifier| Style::new().add_modifier(modifiers);
        Theme {
            dim: Style::new(),
            title_bar: with(bold),
            column_heading: with(bold),
            selected: with(reversed),
            warning: with(bold),
            article_title: with(bold),
            subtitle: with(italic),
            byline: Style::new(),
            heading: with(bold),
            subheading: with(bold),
            body: Style::new(),
            quote: with(italic),
            code: Style::new(),
            prefix: Style::new(),
            cursor: with(reversed),
            keyword_match: with(reversed | italic),
            current_match: with(reversed | bold | underlined),
            selection: with(bold | reversed),
            note_mark: with(bold),
            cursor_bar: with(bold),
            status: with(reversed),
            status_mode: with(reversed | bold),
            current_section: with(bold),
            text_cursor: with(reversed),
            names_colors: true,
            highlights: [
                with(underlined),
                with(underlined | bold),
                with(underlined | italic),
                with(underlined | bold | italic),
                with(underlined | Modifier::DIM),
            ],
        }
    }

    /// How text highlighted in `color` is drawn.
    pub fn highlight(&self, color: Color) -> Style {
        self.highlights[color_index(color)]
    }

    /// The style of the small swatch that shows a highlight's colour in
    /// lists: the highlight's background as the foreground.
    pub fn swatch(&self, color: Color) -> Style {
        match self.highlight(color).bg {
            Some(bg) => Style::new().fg(bg),
            None => self.highlight(color),
        }
    }

    /// This theme with `color` highlights drawn on `background`, in black or
    /// white text, whichever reads better on it.
    #[must_use]
    pub fn with_highlight(mut self, color: Color, background: TermColor) -> Theme {
        self.highlights[color_index(color)] = on(background, readable_on(background));
        self
    }
}

/// Whether the `NO_COLOR` environment variable, given its value, asks for no
/// colour: set and not empty (<https://no-color.org>).
pub fn no_color_requested(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

fn color_index(color: Color) -> usize {
    Color::ALL.iter().position(|&c| c == color).unwrap_or(0)
}

const fn fg(color: TermColor) -> Style {
    Style::new().fg(color)
}

const fn on(background: TermColor, text: TermColor) -> Style {
    Style::new().bg(background).fg(text)
}

/// Black or white, whichever contrasts more with `background` (WCAG
/// relative luminance). Named colours follow xterm's palette; a terminal may
/// differ, which is why the built-in themes choose their text colours by hand.
fn readable_on(background: TermColor) -> TermColor {
    let (r, g, b) = match background {
        TermColor::Rgb(r, g, b) => (r, g, b),
        TermColor::Indexed(i) if i >= 16 => indexed_rgb(i),
        TermColor::Indexed(i) => base_rgb(i),
        named => base_rgb(base_index(named)),
    };
    let linear = |channel: u8| {
        let c = f64::from(channel) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    let with_black = (luminance + 0.05) / 0.05;
    let with_white = 1.05 / (luminance + 0.05);
    if with_black >= with_white {
        TermColor::Black
    } else {
        TermColor::White
    }
}

/// The ANSI index of a named colour (`Reset` counts as black).
fn base_index(color: TermColor) -> u8 {
    match color {
        TermColor::Red => 1,
        TermColor::Green => 2,
        TermColor::Yellow => 3,
        TermColor::Blue => 4,
        TermColor::Magenta => 5,
        TermColor::Cyan => 6,
        TermColor::Gray => 7,
        TermColor::DarkGray => 8,
        TermColor::LightRed => 9,
        TermColor::LightGreen => 10,
        TermColor::LightYellow => 11,
        TermColor::LightBlue => 12,
        TermColor::LightMagenta => 13,
        TermColor::LightCyan => 14,
        TermColor::White => 15,
        _ => 0,
    }
}

/// xterm's default values of the 16 base colours.
fn base_rgb(index: u8) -> (u8, u8, u8) {
    const PALETTE: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];
    PALETTE[usize::from(index % 16)]
}

/// The 6×6×6 colour cube (16–231) and the grey ramp (232–255).
fn indexed_rgb(index: u8) -> (u8, u8, u8) {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    if index >= 232 {
        let grey = 8 + 10 * (index - 232);
        return (grey, grey, grey);
    }
    let cube = index - 16;
    (
        LEVELS[usize::from(cube / 36)],
        LEVELS[usize::from(cube / 6 % 6)],
        LEVELS[usize::from(cube % 6)],
    )
}

#[cfg(test)]
mod tests;
