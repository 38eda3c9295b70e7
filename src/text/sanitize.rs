//! Removes everything from untrusted text that a terminal would interpret.
//!
//! Articles, titles, tags, notes and paths come from files gloss does not
//! control. Before any of it can reach the screen or an export, escape
//! sequences (7-bit and 8-bit forms, with their parameters and payloads),
//! control characters, bidi embedding/override/isolate controls and the byte
//! order mark are removed here, in one linear pass.

const ESC: char = '\u{1b}';
const BEL: char = '\u{07}';
/// CAN and SUB abort a sequence in progress on every terminal.
const CAN: char = '\u{18}';
const SUB: char = '\u{1a}';
/// String Terminator, 8-bit form.
const ST: char = '\u{9c}';

/// Sanitizes multi-line text: keeps `\n` and `\t`, turns `\r\n` and a lone `\r`
/// into `\n`, and removes escape sequences and every other control character.
pub fn sanitize_text(input: &str) -> String {
    if input.chars().all(is_safe_in_text) {
        return input.to_owned();
    }
    strip_controls(input)
}

/// Sanitizes a single-line value (title, tag, path): as [`sanitize_text`],
/// then each line break and tab becomes one space, and the ends are trimmed.
pub fn sanitize_line(input: &str) -> String {
    let is_clean = input
        .chars()
        .all(|c| is_safe_in_text(c) && c != '\n' && c != '\t')
        && input.trim() == input;
    if is_clean {
        return input.to_owned();
    }
    let flattened: String = strip_controls(input)
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    flattened.trim().to_owned()
}

/// Whether `c` may pass through [`sanitize_text`] unchanged.
fn is_safe_in_text(c: char) -> bool {
    c == '\n' || c == '\t' || !(c.is_control() || is_bidi_control(c) || c == '\u{feff}')
}

/// Embedding, override and isolate controls: they reorder what follows them,
/// so text can be made to display differently from what it says.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Where the scanner is relative to an escape sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Ordinary text.
    Text,
    /// Just after ESC.
    Escape,
    /// After ESC and one or more intermediate bytes (`ESC ( B`).
    EscapeIntermediate,
    /// Inside a control sequence (CSI): parameters until a final byte.
    ControlSequence,
    /// Inside a control string (OSC, DCS, SOS, PM, APC) until its terminator.
    /// Only OSC may also end with BEL.
    ControlString { bell_ends: bool },
    /// An ESC inside a control string: `\` completes the terminator.
    ControlStringEscape,
}

/// The full pass: removes sequences and forbidden characters, normalizes `\r`.
fn strip_controls(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut mode = Mode::Text;
    let mut after_cr = false;
    for c in input.chars() {
        mode = match mode {
            Mode::Text => text_char(c, &mut out, &mut after_cr),
            Mode::Escape => escape_char(c, &mut out, &mut after_cr),
            Mode::EscapeIntermediate => match c {
                '\u{20}'..='\u{2f}' => Mode::EscapeIntermediate,
                '\u{30}'..='\u{7e}' => Mode::Text,
                // Anything else aborts the sequence and is read as text.
                _ => text_char(c, &mut out, &mut after_cr),
            },
            Mode::ControlSequence => match c {
                '\u{20}'..='\u{3f}' => Mode::ControlSequence,
                '\u{40}'..='\u{7e}' => Mode::Text,
                _ => text_char(c, &mut out, &mut after_cr),
            },
            Mode::ControlString { bell_ends } => match c {
                ESC => Mode::ControlStringEscape,
                BEL if bell_ends => Mode::Text,
                ST | CAN | SUB => Mode::Text,
                _ => Mode::ControlString { bell_ends },
            },
            Mode::ControlStringEscape => match c {
                '\\' => Mode::Text,
                // Any other ESC interrupts the string and starts a new
                // sequence, as on xterm.
                _ => escape_char(c, &mut out, &mut after_cr),
            },
        };
    }
    out
}

/// Reads one character of ordinary text: keeps it, drops it, or enters a sequence.
fn text_char(c: char, out: &mut String, after_cr: &mut bool) -> Mode {
    let follows_cr = std::mem::replace(after_cr, false);
    match c {
        ESC => return Mode::Escape,
        '\u{9b}' => return Mode::ControlSequence,
        '\u{9d}' => return Mode::ControlString { bell_ends: true },
        '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => {
            return Mode::ControlString { bell_ends: false };
        }
        '\r' => {
            out.push('\n');
            *after_cr = true;
        }
        '\n' if follows_cr => {}
        c if is_safe_in_text(c) => out.push(c),
        _ => {}
    }
    Mode::Text
}

/// Reads the character after ESC.
fn escape_char(c: char, out: &mut String, after_cr: &mut bool) -> Mode {
    match c {
        '[' => Mode::ControlSequence,
        ']' => Mode::ControlString { bell_ends: true },
        'P' | 'X' | '^' | '_' => Mode::ControlString { bell_ends: false },
        '\u{20}'..='\u{2f}' => Mode::EscapeIntermediate,
        // A two-character sequence such as `ESC c` (reset) or `ESC 7`.
        '\u{30}'..='\u{7e}' => Mode::Text,
        // A lone ESC: it is dropped and `c` is read as text (a second ESC
        // starts a new sequence).
        _ => text_char(c, out, after_cr),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn is_forbidden_in_text(c: char) -> bool {
        !is_safe_in_text(c) || c == '\r'
    }

    #[test]
    fn plain_text_is_unchanged() {
        let text = "Plain text, with\ttabs and\nnew lines, 成果 and é.";
        assert_eq!(sanitize_text(text), text);
    }

    #[test]
    fn removes_csi_sequences_with_their_parameters() {
        assert_eq!(sanitize_text("a\u{1b}[31;1mred\u{1b}[0m b"), "ared b");
        assert_eq!(sanitize_text("\u{1b}[2J\u{1b}[?1049hx"), "x");
    }

    #[test]
    fn removes_osc_terminated_by_bel_or_st() {
        let hyperlink = "\u{1b}]8;;https://evil.example\u{7}click\u{1b}]8;;\u{7}";
        assert_eq!(sanitize_text(hyperlink), "click");
        assert_eq!(sanitize_text("a\u{1b}]0;title\u{1b}\\b"), "ab");
        assert_eq!(sanitize_text("a\u{1b}]0;title\u{9c}b"), "ab");
    }

    #[test]
    fn removes_dcs_sos_pm_apc_strings() {
        assert_eq!(sanitize_text("a\u{1b}Pq#0;2;0;0;0\u{1b}\\b"), "ab");
        assert_eq!(sanitize_text("a\u{1b}Xsos\u{1b}\\b"), "ab");
        assert_eq!(sanitize_text("a\u{1b}^pm\u{1b}\\b"), "ab");
        assert_eq!(sanitize_text("a\u{1b}_Gapc\u{1b}\\b"), "ab");
    }

    #[test]
    fn bel_does_not_end_a_dcs() {
        assert_eq!(sanitize_text("a\u{1b}Pdata\u{7}more\u{1b}\\b"), "ab");
    }

    #[test]
    fn removes_two_character_and_intermediate_escapes() {
        assert_eq!(sanitize_text("a\u{1b}cb\u{1b}7c"), "abc");
        assert_eq!(sanitize_text("a\u{1b}(Bb\u{1b}#8c"), "abc");
    }

    #[test]
    fn lone_esc_is_dropped_and_the_rest_kept() {
        assert_eq!(sanitize_text("a\u{1b}"), "a");
        assert_eq!(sanitize_text("a\u{1b}\u{1b}[1mb"), "ab");
        assert_eq!(sanitize_text("a\u{1b}é"), "aé");
        assert_eq!(sanitize_text("a\u{1b}\nb"), "a\nb");
    }

    #[test]
    fn unterminated_sequences_drop_the_rest() {
        assert_eq!(sanitize_text("keep\u{1b}]0;never ends"), "keep");
        assert_eq!(sanitize_text("keep\u{1b}Pnever ends"), "keep");
        assert_eq!(sanitize_text("keep\u{1b}[12;"), "keep");
    }

    #[test]
    fn a_control_character_aborts_a_csi_and_is_itself_handled() {
        assert_eq!(sanitize_text("a\u{1b}[1\nb"), "a\nb");
        assert_eq!(sanitize_text("a\u{1b}[1é"), "aé");
    }

    #[test]
    fn can_and_sub_abort_a_control_string() {
        assert_eq!(sanitize_text("a\u{1b}]0;x\u{18}b"), "ab");
        assert_eq!(sanitize_text("a\u{1b}Px\u{1a}b"), "ab");
    }

    #[test]
    fn esc_inside_a_string_starts_a_new_sequence() {
        assert_eq!(sanitize_text("a\u{1b}]0;x\u{1b}[1mb"), "ab");
        assert_eq!(sanitize_text("a\u{1b}]0;x\u{1b}\u{1b}[1mb"), "ab");
    }

    #[test]
    fn removes_eight_bit_c1_sequences() {
        assert_eq!(sanitize_text("a\u{9b}31mb"), "ab");
        assert_eq!(sanitize_text("a\u{9d}0;title\u{7}b"), "ab");
        assert_eq!(sanitize_text("a\u{90}dcs\u{9c}b"), "ab");
        assert_eq!(sanitize_text("a\u{9f}apc\u{1b}\\b"), "ab");
        assert_eq!(sanitize_text("a\u{85}b\u{8d}c\u{9c}"), "abc");
    }

    #[test]
    fn removes_c0_controls_and_del_but_keeps_newline_and_tab() {
        assert_eq!(
            sanitize_text("a\u{0}b\u{7}c\u{8}d\u{b}e\u{c}f\u{7f}g"),
            "abcdefg"
        );
        assert_eq!(sanitize_text("a\tb\nc"), "a\tb\nc");
    }

    #[test]
    fn normalizes_carriage_returns() {
        assert_eq!(sanitize_text("a\r\nb\rc\r\r\nd"), "a\nb\nc\n\nd");
    }

    #[test]
    fn removes_bidi_controls_and_bom() {
        let spoof = "\u{feff}access\u{202e}txt.exe\u{202c} \u{2066}x\u{2069}";
        assert_eq!(sanitize_text(spoof), "accesstxt.exe x");
        for c in ['\u{202a}', '\u{202b}', '\u{202d}', '\u{2067}', '\u{2068}'] {
            assert_eq!(sanitize_text(&format!("a{c}b")), "ab");
        }
    }

    #[test]
    fn a_hostile_mix_leaves_only_the_visible_text() {
        let hostile = "\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}Title\u{9b}8m\u{202e}\r\n\
                       \u{1b}P+q\u{1b}\\body\u{0}\u{7f}\u{1b}]8;;x\u{1b}\\link\u{1b}]8;;\u{1b}\\";
        assert_eq!(sanitize_text(hostile), "Title\nbodylink");
    }

    #[test]
    fn sanitize_line_flattens_and_trims() {
        assert_eq!(
            sanitize_line("  a title\r\nwith\ttab \u{1b}[1m "),
            "a title with tab"
        );
        assert_eq!(sanitize_line("one\n\ntwo"), "one  two");
        assert_eq!(sanitize_line("\u{1b}[1m\n\t "), "");
        assert_eq!(sanitize_line("clean"), "clean");
    }

    #[test]
    fn long_unterminated_sequences_finish() {
        let unterminated = format!("\u{1b}P{}", "y".repeat(5_000_000));
        assert_eq!(sanitize_text(&unterminated), "");
        let interrupted = format!("\u{1b}]{}", "x\u{1b}".repeat(1_000_000));
        assert_eq!(sanitize_text(&interrupted), "");
    }

    proptest! {
        #[test]
        fn sanitize_text_is_idempotent_and_clean(input in hostile_text()) {
            let once = sanitize_text(&input);
            prop_assert!(!once.chars().any(is_forbidden_in_text), "{once:?}");
            prop_assert_eq!(sanitize_text(&once), once);
        }

        #[test]
        fn sanitize_line_is_idempotent_and_clean(input in hostile_text()) {
            let once = sanitize_line(&input);
            prop_assert!(
                !once.chars().any(|c| is_forbidden_in_text(c) || c == '\n' || c == '\t'),
                "{once:?}"
            );
            prop_assert_eq!(once.trim(), once.as_str());
            prop_assert_eq!(sanitize_line(&once), once);
        }

        #[test]
        fn printable_text_passes_through(input in "[^\\p{Cc}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{feff}]*") {
            prop_assert_eq!(sanitize_text(&input), input);
        }
    }

    /// Strings made mostly of the pieces escape sequences are built from.
    fn hostile_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\u{1b}".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just("P".to_owned()),
            Just("\\".to_owned()),
            Just("\u{7}".to_owned()),
            Just("\r".to_owned()),
            Just("\n".to_owned()),
            Just("\t".to_owned()),
            Just(" ".to_owned()),
            Just("\u{9b}".to_owned()),
            Just("\u{9c}".to_owned()),
            Just("\u{9d}".to_owned()),
            Just("\u{202e}".to_owned()),
            Just("\u{feff}".to_owned()),
            Just("\u{18}".to_owned()),
            "[0-9;?m(]".prop_map(|s| s),
            any::<char>().prop_map(String::from),
            "[a-zé成]{1,3}".prop_map(|s| s),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }
}
