use super::*;

#[test]
fn defaults_parse_without_clashes() {
    let keymap = Keymap::from_rows(DEFAULTS);
    assert!(keymap.is_ok(), "{keymap:?}");
}

fn key(name: &str) -> KeyChord {
    KeyChord::parse(name).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn key_contract_holds() {
    let k = Keymap::defaults();
    for mode in ALL {
        assert_eq!(
            k.lookup(*mode, key("Ctrl-c")),
            Some(Action::Quit),
            "{mode:?}"
        );
    }
    for mode in [Library, Reader] {
        assert_eq!(k.lookup(mode, key("q")), Some(Action::Back));
        assert_eq!(k.lookup(mode, key("?")), Some(Action::Help));
        assert_eq!(k.lookup(mode, key("j")), Some(Action::MoveDown));
        assert_eq!(k.lookup(mode, key("Up")), Some(Action::MoveUp));
    }
    assert_eq!(k.lookup(Library, key("Enter")), Some(Action::Open));
    assert_eq!(k.lookup(Library, key("/")), Some(Action::StartFilter));
    // The help is searched with `/`; Enter keeps the search, Esc clears it.
    assert_eq!(k.lookup(Help, key("/")), Some(Action::StartFilter));
    assert_eq!(
        k.lookup(HelpSearch, key("Enter")),
        Some(Action::AcceptFilter)
    );
    assert_eq!(k.lookup(HelpSearch, key("Esc")), Some(Action::ClearFilter));
    for (name, action) in [
        ("Space", Action::PageDown),
        ("PgDn", Action::PageDown),
        ("b", Action::PageUp),
        ("PgUp", Action::PageUp),
        ("g", Action::Top),
        ("G", Action::Bottom),
        ("]", Action::NextSection),
        ("[", Action::PrevSection),
        ("o", Action::ToggleOutline),
        ("/", Action::StartFilter),
        ("n", Action::NextMatch),
        ("N", Action::PrevMatch),
        ("Esc", Action::ClearFilter),
        ("v", Action::Select),
        ("h", Action::Highlight),
        ("t", Action::Tag),
        ("a", Action::Note),
        ("d", Action::DeleteHighlight),
        ("u", Action::Undo),
        ("Ctrl-r", Action::Redo),
        ("H", Action::ShowHighlights),
        ("T", Action::ShowTags),
        ("e", Action::Export),
    ] {
        assert_eq!(k.lookup(Reader, key(name)), Some(action), "{name}");
    }
}

#[test]
fn typing_modes_do_not_steal_letters() {
    let k = Keymap::defaults();
    for mode in ALL.iter().copied().filter(|m| m.is_typing()) {
        for c in [
            'q', 'j', '?', '/', 'g', 'n', 'h', 't', 'a', 'd', 'u', 'H', 'T', ' ',
        ] {
            let chord = KeyChord::parse(&c.to_string()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(k.lookup(mode, chord), None, "{mode:?} steals {c:?}");
        }
    }
}

#[test]
fn a_clash_is_reported() {
    let rows: &[(&[Mode], &str, Action)] = &[
        (&[Reader], "x", Action::Top),
        (&[Reader], "x", Action::Bottom),
    ];
    assert!(matches!(
        Keymap::from_rows(rows),
        Err(KeymapError::Clash { .. })
    ));
}

#[test]
fn overrides_rebind_add_and_unbind_in_one_mode_only() {
    let defaults = Keymap::defaults();
    let changed = defaults.with_overrides(&[
        KeyOverride {
            mode: Reader,
            key: key("J"),
            action: Some(Action::NextSection),
        },
        KeyOverride {
            mode: Reader,
            key: key("n"),
            action: Some(Action::Top),
        },
        KeyOverride {
            mode: Reader,
            key: key("x"),
            action: None,
        },
        KeyOverride {
            mode: Reader,
            key: key("d"),
            action: None,
        },
    ]);
    assert_eq!(changed.lookup(Reader, key("J")), Some(Action::NextSection));
    assert_eq!(changed.lookup(Reader, key("n")), Some(Action::Top));
    assert_eq!(changed.lookup(Reader, key("d")), None);
    assert_eq!(changed.lookup(Reader, key("x")), None);
    // Other modes keep their keys.
    assert_eq!(
        changed.lookup(Highlights, key("d")),
        Some(Action::DeleteHighlight)
    );
    // The help shows the keys in effect.
    let rows = changed.help_rows(Reader);
    let keys_of = |action: Action| {
        rows.iter()
            .find(|(a, _)| *a == action)
            .map(|(_, keys)| keys.clone())
    };
    assert_eq!(
        keys_of(Action::NextSection),
        Some(vec!["]".to_string(), "J".to_string()])
    );
    assert_eq!(keys_of(Action::NextMatch), None);
    assert_eq!(keys_of(Action::DeleteHighlight), None);
    assert_eq!(
        keys_of(Action::Top),
        Some(vec!["g".to_string(), "Home".to_string(), "n".to_string()])
    );
}

#[test]
fn help_lists_every_key_of_an_action_together() {
    let rows = Keymap::defaults().help_rows(Reader);
    let down = rows.iter().find(|(a, _)| *a == Action::MoveDown);
    assert_eq!(
        down.map(|(_, keys)| keys.clone()),
        Some(vec!["j".to_string(), "Down".to_string()])
    );
}
