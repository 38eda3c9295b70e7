//! The themes on a real screen: the reader with highlights of every colour,
//! drawn in the dark, light, high-contrast and `NO_COLOR` themes. A text
//! snapshot cannot show colour, so each snapshot also lists the styles on
//! screen, and the tests check cell styles directly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::session;

use std::fmt::Write as _;
use std::path::Path;

use common::{buffer_in, bundled_app, press, screen_in};
use gloss::annotation::Color;
use gloss::app::App;
use gloss::config::{ThemeChoice, parse};
use gloss::view::Theme;
use ratatui::buffer::Buffer;
use ratatui::style::{Color as TermColor, Modifier, Style};
use session::{Session, gloss, report};

/// Highlights one sentence in each colour (`h` on a highlight moves it to
/// the next colour), with a note on the last.
const HIGHLIGHT_EVERY_COLOUR: &str = "Enter h j h h j h h j h h j h h a n o t e Ctrl-s";

fn reader_with_highlights() -> App {
    let mut app = bundled_app(80, 24);
    press(&mut app, HIGHLIGHT_EVERY_COLOUR);
    let colours: Vec<Color> = app.annotations.iter().map(|h| h.color).collect();
    for colour in Color::ALL {
        assert!(
            colours.contains(&colour),
            "no {colour:?} highlight: {colours:?}"
        );
    }
    app
}

fn themes() -> [(&'static str, Theme); 4] {
    [
        ("dark", Theme::named(ThemeChoice::Dark)),
        ("light", Theme::named(ThemeChoice::Light)),
        ("high_contrast", Theme::named(ThemeChoice::HighContrast)),
        ("no_color", Theme::no_color()),
    ]
}

/// The screen's text, then each distinct style in order of first
/// appearance with how many cells have it and the text where it starts.
fn styled_screen(app: &App, theme: &Theme) -> String {
    let buffer = buffer_in(app, theme);
    let mut out = screen_in(app, theme);
    out.push_str("\nstyles:\n");
    let mut seen: Vec<(Style, usize, String)> = Vec::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let style = buffer[(x, y)].style();
            match seen.iter_mut().find(|(s, _, _)| *s == style) {
                Some((_, count, _)) => *count += 1,
                None => seen.push((style, 1, run_from(&buffer, x, y))),
            }
        }
    }
    for (style, count, sample) in seen {
        let _ = writeln!(out, "{:>5} cells {}  {sample:?}", count, describe(style));
    }
    out
}

fn run_from(buffer: &Buffer, x: u16, y: u16) -> String {
    let style = buffer[(x, y)].style();
    (x..buffer.area.width)
        .take_while(|&x| buffer[(x, y)].style() == style)
        .map(|x| buffer[(x, y)].symbol())
        .collect::<String>()
        .chars()
        .take(24)
        .collect()
}

fn describe(style: Style) -> String {
    let color = |c: Option<TermColor>| c.map_or("-".to_string(), |c| format!("{c:?}"));
    format!(
        "fg={} bg={} {:?}",
        color(style.fg),
        color(style.bg),
        style.add_modifier
    )
}

/// The cells showing the start of each highlight's quote, by colour: where
/// the longest start of the quote appears on one row (the first words of a
/// quote may also appear elsewhere, as in the subtitle).
fn highlight_cells(app: &App, buffer: &Buffer) -> Vec<(Color, Vec<(u16, u16)>)> {
    let rows: Vec<String> = (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect();
    app.annotations
        .iter()
        .map(|h| {
            let quote: Vec<char> = h.anchor.quote.exact.chars().collect();
            let (start, y, column) = (8..=quote.len().min(40))
                .rev()
                .find_map(|n| {
                    let start: String = quote[..n].iter().collect();
                    rows.iter().enumerate().find_map(|(y, row)| {
                        let at = row.find(&start)?;
                        Some((start.clone(), y, row[..at].chars().count()))
                    })
                })
                .unwrap_or_else(|| panic!("{:?} is not on screen", h.anchor.quote.exact));
            let cells = (0..start.trim_end().chars().count())
                .map(|i| ((column + i) as u16, y as u16))
                .collect();
            (h.color, cells)
        })
        .collect()
}

#[test]
fn reader_with_highlights_in_each_theme() {
    let app = reader_with_highlights();
    for (name, theme) in themes() {
        insta::assert_snapshot!(
            format!("reader_highlights_{name}_80x24"),
            styled_screen(&app, &theme)
        );
    }
}

#[test]
fn every_theme_draws_the_same_text() {
    let app = reader_with_highlights();
    let dark = screen_in(&app, &Theme::dark());
    for (name, theme) in themes() {
        assert_eq!(screen_in(&app, &theme), dark, "{name}");
    }
}

#[test]
fn highlights_take_the_theme_colours() {
    let app = reader_with_highlights();
    for (name, theme) in themes() {
        let buffer = buffer_in(&app, &theme);
        for (color, cells) in highlight_cells(&app, &buffer) {
            let expected = theme.highlight(color);
            for (x, y) in cells {
                let cell = &buffer[(x, y)];
                if let Some(bg) = expected.bg {
                    assert_eq!(cell.bg, bg, "{name}: {color:?} at {x},{y}");
                }
                assert!(
                    cell.modifier.contains(expected.add_modifier),
                    "{name}: {color:?} at {x},{y} is {:?}",
                    cell.modifier
                );
            }
        }
    }
}

#[test]
fn no_color_draws_no_colour_and_underlines_highlights() {
    let app = reader_with_highlights();
    let theme = Theme::no_color();
    let buffer = buffer_in(&app, &theme);
    for cell in buffer.content() {
        assert_eq!(cell.fg, TermColor::Reset, "{cell:?}");
        assert_eq!(cell.bg, TermColor::Reset, "{cell:?}");
    }
    let mut looks = Vec::new();
    for (color, cells) in highlight_cells(&app, &buffer) {
        for &(x, y) in &cells {
            assert!(
                buffer[(x, y)].modifier.contains(Modifier::UNDERLINED),
                "{color:?} at {x},{y}"
            );
        }
        // The cursor sits on the last highlight; judge the others.
        let (x, y) = cells[0];
        if !buffer[(x, y)].modifier.contains(Modifier::REVERSED) {
            looks.push(buffer[(x, y)].modifier);
        }
    }
    let mut distinct = looks.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), looks.len(), "{looks:?}");
    // The cursor and the status line are shown by reverse video.
    assert!(
        buffer
            .content()
            .iter()
            .any(|c| c.modifier.contains(Modifier::REVERSED))
    );
}

#[test]
fn the_highlights_list_names_colours_when_there_is_no_colour() {
    let mut app = reader_with_highlights();
    press(&mut app, "H");
    let plain = screen_in(&app, &Theme::no_color());
    for color in Color::ALL {
        assert!(plain.contains(&format!("[{}]", color.name())), "{plain}");
    }
    let coloured = screen_in(&app, &Theme::dark());
    assert!(!coloured.contains("[yellow]"), "{coloured}");
    insta::assert_snapshot!("highlights_list_no_color_80x24", plain);
}

#[test]
fn default_themes_use_only_base_colours_on_screen() {
    let app = reader_with_highlights();
    for (name, theme) in themes() {
        let buffer = buffer_in(&app, &theme);
        for cell in buffer.content() {
            for color in [cell.fg, cell.bg] {
                assert!(
                    !matches!(color, TermColor::Rgb(..) | TermColor::Indexed(_)),
                    "{name}: {color:?}"
                );
            }
        }
    }
}

#[test]
fn a_configuration_sets_width_keys_and_highlight_colours() {
    let config = parse(
        r##"(
            theme: "light",
            reading_width: 40,
            highlight_colors: ( yellow: "#ffd75f" ),
            keys: { "reader": { "J": "next_section", "h": "none", "x": "highlight" } },
        )"##,
        Path::new("config.ron"),
    )
    .unwrap();
    let mut app = bundled_app(100, 200);
    app.keymap = config.keymap();
    app.column_width = config.reading_width;
    let theme = Theme::from_config(&config, false);
    press(&mut app, "Enter x");
    assert_eq!(app.annotations.len(), 1, "x highlights");
    let screen = screen_in(&app, &theme);
    for row in screen.lines().take(150) {
        let text = row.trim_matches('"').trim();
        assert!(
            text.chars().count() <= 42,
            "a line wider than the column: {row}"
        );
    }
    let buffer = buffer_in(&app, &theme);
    assert!(
        buffer
            .content()
            .iter()
            .any(|c| c.bg == TermColor::Rgb(0xff, 0xd7, 0x5f)),
        "the configured colour is used"
    );
    let section = |app: &App| {
        let reader = app.reader.as_ref().unwrap();
        app.library.articles[reader.article].section_of(reader.cursor.block)
    };
    let before = section(&app);
    press(&mut app, "J");
    assert_ne!(section(&app), before, "J moves to the next section");
    // The help shows the keys in effect.
    press(&mut app, "?");
    let help = screen_in(&app, &theme);
    let next_section = help
        .lines()
        .find(|line| line.contains("next section"))
        .unwrap_or_else(|| panic!("{help}"));
    assert!(next_section.contains('J'), "{next_section}");
    let highlight = help
        .lines()
        .find(|line| line.contains("highlight the selection"))
        .unwrap_or_else(|| panic!("{help}"));
    assert!(highlight.contains(" x "), "{highlight}");
}

/// The parameters of every SGR sequence (`ESC [ … m`) in terminal output.
fn sgr_parameters(output: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(output);
    text.split("\x1b[")
        .skip(1)
        .filter_map(|rest| {
            let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
            (rest[end..].starts_with('m')).then(|| rest[..end].to_string())
        })
        .collect()
}

/// Whether an SGR parameter list sets a foreground or background colour:
/// 30–38, 40–48, 90–97 or 100–107 anywhere in it (39 and 49 only restore
/// the default; no attribute number falls in those ranges).
fn sets_a_colour(parameters: &str) -> bool {
    parameters
        .split(';')
        .filter_map(|p| p.parse::<u16>().ok())
        .any(|n| matches!(n, 30..=38 | 40..=48 | 90..=97 | 100..=107))
}

/// Opens the first article, highlights a sentence, and quits, in a real
/// terminal with `NO_COLOR` set or not; returns everything gloss wrote.
fn session_output(no_color: bool) -> Vec<u8> {
    let data = tempfile::tempdir().unwrap();
    let mut command = gloss(data.path());
    command.env_remove("GLOSS_CONFIG");
    if no_color {
        command.env("NO_COLOR", "1");
    }
    let mut session = Session::spawn(command);
    session.wait_for("the library", |s| s.line(0).contains("articles"));
    session.send("\r");
    session.wait_for("the reader", |s| s.last_line().contains(" READ "));
    session.send("h");
    session.wait_for("the highlight", |s| s.last_line().contains("highlight"));
    session.send("qq");
    let finished = session.finish();
    assert!(finished.status.success(), "{}", report(&finished.output));
    finished.output
}

#[test]
fn no_color_in_a_real_terminal_sends_no_colour_codes() {
    let coloured = sgr_parameters(&session_output(false));
    assert!(
        coloured.iter().any(|p| sets_a_colour(p)),
        "the default theme sets colours: {coloured:?}"
    );
    let plain = sgr_parameters(&session_output(true));
    let colours: Vec<&String> = plain.iter().filter(|p| sets_a_colour(p)).collect();
    assert!(colours.is_empty(), "NO_COLOR, yet: {colours:?}");
    assert!(
        plain.iter().any(|p| p.split(';').any(|n| n == "7")),
        "reverse video marks the cursor: {plain:?}"
    );
    assert!(
        plain.iter().any(|p| p.split(';').any(|n| n == "4")),
        "the highlight is underlined: {plain:?}"
    );
}

#[test]
fn a_bad_config_opens_with_a_warning_in_a_real_terminal() {
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(data.path().join("config")).unwrap();
    std::fs::write(
        data.path().join("config").join("config.ron"),
        "(\n  theme: \"pastel\",\n)\n",
    )
    .unwrap();
    let mut command = gloss(data.path());
    command.env_remove("GLOSS_CONFIG");
    let mut session = Session::spawn(command);
    session.wait_for("the library with a warning", |s| {
        s.line(0).contains("articles") && s.last_line().contains("problem")
    });
    session.send("w");
    let screen = session.wait_for("the warnings", |s| s.contains("config.ron:2"));
    assert!(
        screen.contains("unknown theme 'pastel'"),
        "{}",
        report(&session.output())
    );
    session.send("qq");
    let finished = session.finish();
    assert!(finished.status.success(), "{}", report(&finished.output));
}
