use std::ffi::OsStr;

use super::*;
use crate::config::HighlightColors;

/// Every style of `theme`. The destructuring names every field, so a new
/// style cannot be forgotten here.
fn styles(theme: &Theme) -> Vec<(&'static str, Style)> {
    let Theme {
        dim,
        title_bar,
        column_heading,
        selected,
        warning,
        article_title,
        subtitle,
        byline,
        heading,
        subheading,
        body,
        quote,
        code,
        prefix,
        cursor,
        keyword_match,
        current_match,
        selection,
        note_mark,
        cursor_bar,
        status,
        status_mode,
        current_section,
        text_cursor,
        names_colors: _,
        highlights,
    } = theme.clone();
    let mut all = vec![
        ("dim", dim),
        ("title_bar", title_bar),
        ("column_heading", column_heading),
        ("selected", selected),
        ("warning", warning),
        ("article_title", article_title),
        ("subtitle", subtitle),
        ("byline", byline),
        ("heading", heading),
        ("subheading", subheading),
        ("body", body),
        ("quote", quote),
        ("code", code),
        ("prefix", prefix),
        ("cursor", cursor),
        ("keyword_match", keyword_match),
        ("current_match", current_match),
        ("selection", selection),
        ("note_mark", note_mark),
        ("cursor_bar", cursor_bar),
        ("status", status),
        ("status_mode", status_mode),
        ("current_section", current_section),
        ("text_cursor", text_cursor),
    ];
    all.extend(highlights.into_iter().map(|h| ("highlight", h)));
    all
}

fn colors(style: Style) -> impl Iterator<Item = TermColor> {
    [style.fg, style.bg].into_iter().flatten()
}

fn built_in() -> [(&'static str, Theme); 3] {
    [
        ("dark", Theme::dark()),
        ("light", Theme::light()),
        ("high-contrast", Theme::high_contrast()),
    ]
}

#[test]
fn built_in_themes_use_only_the_16_base_colours() {
    for (name, theme) in built_in() {
        for (field, style) in styles(&theme) {
            for color in colors(style) {
                assert!(
                    !matches!(color, TermColor::Rgb(..) | TermColor::Indexed(_)),
                    "{name}.{field} uses {color:?}"
                );
            }
        }
    }
}

#[test]
fn high_contrast_uses_only_the_eight_base_colours() {
    let base = [
        TermColor::Reset,
        TermColor::Black,
        TermColor::Red,
        TermColor::Green,
        TermColor::Yellow,
        TermColor::Blue,
        TermColor::Magenta,
        TermColor::Cyan,
        TermColor::White,
    ];
    let theme = Theme::high_contrast();
    for (field, style) in styles(&theme) {
        for color in colors(style) {
            assert!(base.contains(&color), "{field} uses {color:?}");
        }
    }
    for field in [theme.cursor, theme.selection, theme.selected] {
        assert!(field.add_modifier.contains(Modifier::REVERSED));
    }
}

#[test]
fn the_light_theme_has_no_text_that_vanishes_on_white() {
    let faint = [
        TermColor::White,
        TermColor::Gray,
        TermColor::Yellow,
        TermColor::LightYellow,
        TermColor::LightCyan,
        TermColor::Cyan,
    ];
    for (field, style) in styles(&Theme::light()) {
        // Text on its own background is the background's business.
        if style.bg.is_none()
            && let Some(fg) = style.fg
        {
            assert!(!faint.contains(&fg), "light.{field} is {fg:?} text");
        }
    }
}

#[test]
fn no_color_has_no_colour_and_tells_highlights_apart() {
    let theme = Theme::no_color();
    for (field, style) in styles(&theme) {
        assert_eq!(colors(style).count(), 0, "{field} has a colour");
    }
    assert!(theme.names_colors);
    let looks: Vec<Modifier> = Color::ALL
        .iter()
        .map(|&c| theme.highlight(c).add_modifier)
        .collect();
    for (i, look) in looks.iter().enumerate() {
        assert!(look.contains(Modifier::UNDERLINED), "{i}: {look:?}");
        assert!(!looks[..i].contains(look), "two colours look the same");
    }
    assert!(theme.cursor.add_modifier.contains(Modifier::REVERSED));
    assert!(
        theme
            .keyword_match
            .add_modifier
            .contains(Modifier::REVERSED)
    );
}

#[test]
fn every_theme_tells_highlight_colours_apart() {
    for (name, theme) in built_in() {
        let looks: Vec<Style> = Color::ALL.iter().map(|&c| theme.highlight(c)).collect();
        for (i, look) in looks.iter().enumerate() {
            assert!(!looks[..i].contains(look), "{name}: colour {i} repeats");
        }
    }
}

#[test]
fn the_dark_theme_is_the_default_and_the_original_look() {
    let theme = Theme::default();
    assert_eq!(theme, Theme::dark());
    assert_eq!(theme.cursor, on(TermColor::DarkGray, TermColor::White));
    assert_eq!(
        theme.highlight(Color::Blue),
        on(TermColor::Blue, TermColor::White)
    );
    assert_eq!(theme.swatch(Color::Pink), fg(TermColor::Magenta));
}

#[test]
fn configured_highlight_colours_replace_the_theme_ones_unless_no_color() {
    let mut config = Config {
        theme: ThemeChoice::Light,
        ..Config::default()
    };
    let mut chosen = HighlightColors::default();
    chosen.set(Color::Yellow, TermColor::Rgb(0xff, 0xd7, 0x5f));
    chosen.set(Color::Blue, TermColor::Indexed(18));
    config.highlight_colors = chosen;
    let theme = Theme::from_config(&config, false);
    assert_eq!(
        theme.highlight(Color::Yellow),
        on(TermColor::Rgb(0xff, 0xd7, 0x5f), TermColor::Black)
    );
    assert_eq!(
        theme.highlight(Color::Blue),
        on(TermColor::Indexed(18), TermColor::White)
    );
    assert_eq!(
        theme.highlight(Color::Green),
        Theme::light().highlight(Color::Green)
    );
    assert_eq!(Theme::from_config(&config, true), Theme::no_color());
}

#[test]
fn text_on_a_chosen_colour_is_black_or_white_by_contrast() {
    for (background, text) in [
        (TermColor::Yellow, TermColor::Black),
        (TermColor::LightGreen, TermColor::Black),
        (TermColor::Blue, TermColor::White),
        (TermColor::Black, TermColor::White),
        (TermColor::Rgb(0xff, 0xff, 0xff), TermColor::Black),
        (TermColor::Rgb(0x20, 0x20, 0x60), TermColor::White),
        (TermColor::Indexed(230), TermColor::Black),
        (TermColor::Indexed(17), TermColor::White),
        (TermColor::Indexed(235), TermColor::White),
        (TermColor::Indexed(255), TermColor::Black),
    ] {
        assert_eq!(readable_on(background), text, "{background:?}");
    }
}

#[test]
fn no_color_follows_the_convention() {
    assert!(!no_color_requested(None));
    assert!(!no_color_requested(Some(OsStr::new(""))));
    assert!(no_color_requested(Some(OsStr::new("1"))));
    assert!(no_color_requested(Some(OsStr::new("0"))));
}
