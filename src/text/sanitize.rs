//! Removes everything from untrusted text that a terminal would interpret.
//!
//! Articles, titles, tags, notes and paths come from files gloss does not
//! control. Before any of it can reach the screen or an export, escape
//! sequences (7-bit and 8-bit forms, with their parameters and payloads),
//! control characters, bidi embedding/override/isolate controls and the byte
//! order mark are removed here, in one linear pass.

use unicode_segmentation::UnicodeSegmentation;

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
        return without_lone_joiners(input.to_owned());
    }
    without_lone_joiners(strip_controls(input))
}

/// Sanitizes a single-line value (title, tag, path): as [`sanitize_text`],
/// then each line break and tab becomes one space, and the ends are trimmed.
pub fn sanitize_line(input: &str) -> String {
    let is_clean = input
        .chars()
        .all(|c| is_safe_in_text(c) && c != '\n' && c != '\t')
        && input.trim() == input;
    if is_clean && !input.contains(ZERO_WIDTH_JOINER) {
        return input.to_owned();
    }
    let flattened: String = strip_controls(input)
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    without_lone_joiners(flattened).trim().to_owned()
}

const ZERO_WIDTH_JOINER: char = '\u{200d}';

/// `text` without the zero-width joiners that join nothing.
///
/// A joiner inside a grapheme cluster (an emoji family, a conjunct) holds
/// the cluster together and stays. One at the end of a cluster joined
/// nothing in the text, but on a terminal it joins whatever is drawn next to
/// it: a border, the cursor, the first cell of the next line. Those are
/// dropped, so each cell the screen draws stands alone.
fn without_lone_joiners(text: String) -> String {
    if !text.contains(ZERO_WIDTH_JOINER) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for grapheme in text.graphemes(true) {
        out.push_str(grapheme.trim_end_matches(ZERO_WIDTH_JOINER));
    }
    out
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

/// The longest control string (OSC, DCS, …) or control sequence read as one.
/// Real sequences are far shorter; past this without a terminator, what
/// follows the introducer is text, not a payload.
const MAX_SEQUENCE_CHARS: usize = 4096;

/// Where the scanner is relative to an escape sequence. `content` is the
/// offset just past a sequence's introducer: if the sequence never ends
/// properly, the scan goes back there and reads on as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Ordinary text.
    Text,
    /// Just after ESC.
    Escape,
    /// After ESC and one or more intermediate bytes (`ESC ( B`).
    EscapeIntermediate,
    /// Inside a control sequence (CSI): parameters until a final byte.
    ControlSequence { content: usize },
    /// Inside a control string (OSC, DCS, SOS, PM, APC) until its terminator.
    /// Only OSC may also end with BEL.
    ControlString { bell_ends: bool, content: usize },
    /// An ESC inside a control string: `\` completes the terminator.
    ControlStringEscape { content: usize },
}

/// The full pass: removes sequences and forbidden characters, normalizes `\r`.
fn strip_controls(input: &str) -> String {
    strip_controls_noting(input).0
}

/// Whether `input` holds an escape sequence that never ends (see
/// [`strip_controls_noting`]), so that the file it came from can be named in
/// a warning. Text without ESC or C1 codes is answered at once.
pub fn has_unterminated_sequence(input: &str) -> bool {
    !input.chars().all(is_safe_in_text) && strip_controls_noting(input).1
}

/// [`strip_controls`], also saying whether a sequence never ended.
///
/// A control string or control sequence that meets a line break, the end of
/// the text, a character that cannot be part of it or [`MAX_SEQUENCE_CHARS`]
/// before its terminator was never a sequence: it is a stray introducer in a
/// document whose next words are the author's. Only the introducer is
/// dropped, and the scan goes back to read what followed it as text, where
/// no control string may start again (so each character is read a bounded
/// number of times).
fn strip_controls_noting(input: &str) -> (String, bool) {
    let mut scan = Scan {
        out: String::with_capacity(input.len()),
        after_cr: false,
        strings_from: 0,
    };
    let mut mode = Mode::Text;
    let mut unterminated = false;
    let mut position = 0;
    let mut length = 0usize;
    loop {
        let next = input[position..].chars().next();
        if let Some(content) = failed(mode, next, position, length) {
            unterminated = true;
            scan.strings_from = scan.strings_from.max(position);
            position = content;
            mode = Mode::Text;
            length = 0;
            continue;
        }
        let Some(c) = next else { break };
        mode = scan.step(mode, position, c);
        length = match mode {
            Mode::ControlSequence { .. }
            | Mode::ControlString { .. }
            | Mode::ControlStringEscape { .. } => length + 1,
            _ => 0,
        };
        position += c.len_utf8();
    }
    (scan.out, unterminated)
}

/// Where to read again from, if the sequence in progress cannot go on with
/// `next` (the character at `position`, `None` at the end of the text).
fn failed(mode: Mode, next: Option<char>, position: usize, length: usize) -> Option<usize> {
    match mode {
        Mode::ControlString { content, .. } | Mode::ControlStringEscape { content } => {
            let line_ends = matches!(next, None | Some('\n' | '\r'));
            (line_ends || length > MAX_SEQUENCE_CHARS).then_some(content)
        }
        Mode::ControlSequence { content } => {
            let fits = match next {
                // `ESC [` and then a space is a bracket in prose, not a
                // sequence with an intermediate byte and no parameters.
                Some(' ') => position > content,
                Some(c) => ('\u{20}'..='\u{7e}').contains(&c),
                None => false,
            };
            (!fits || length > MAX_SEQUENCE_CHARS).then_some(content)
        }
        _ => None,
    }
}

/// The output so far and what the next character needs to know.
struct Scan {
    out: String,
    after_cr: bool,
    /// Below this offset a control string's introducer is dropped without
    /// starting one: the text there was already read once as a failed one.
    strings_from: usize,
}

impl Scan {
    /// Reads `c`, at byte `position` of the input, in `mode`; gives the next mode.
    fn step(&mut self, mode: Mode, position: usize, c: char) -> Mode {
        let after = position + c.len_utf8();
        match mode {
            Mode::Text => self.text_char(c, after),
            Mode::Escape => self.escape_char(c, after),
            Mode::EscapeIntermediate => match c {
                '\u{20}'..='\u{2f}' => Mode::EscapeIntermediate,
                '\u{30}'..='\u{7e}' => Mode::Text,
                // Anything else aborts the sequence and is read as text.
                _ => self.text_char(c, after),
            },
            Mode::ControlSequence { content } => match c {
                '\u{20}'..='\u{3f}' => Mode::ControlSequence { content },
                // A final byte (anything else was refused by `failed`).
                _ => Mode::Text,
            },
            Mode::ControlString { bell_ends, content } => match c {
                ESC => Mode::ControlStringEscape { content },
                BEL if bell_ends => Mode::Text,
                ST | CAN | SUB => Mode::Text,
                _ => Mode::ControlString { bell_ends, content },
            },
            Mode::ControlStringEscape { content } => match c {
                '\\' => Mode::Text,
                // Another string interrupting this one: if that one never
                // ends, neither did this, and the text goes back to here.
                ']' => Mode::ControlString {
                    bell_ends: true,
                    content,
                },
                'P' | 'X' | '^' | '_' => Mode::ControlString {
                    bell_ends: false,
                    content,
                },
                // Any other ESC interrupts the string and starts a new
                // sequence, as on xterm.
                _ => self.escape_char(c, after),
            },
        }
    }

    /// A control string starting after `content`, unless strings may not
    /// start here (then the introducer is simply dropped).
    fn control_string(&self, bell_ends: bool, content: usize) -> Mode {
        if content <= self.strings_from {
            Mode::Text
        } else {
            Mode::ControlString { bell_ends, content }
        }
    }

    /// Reads one character of ordinary text: keeps it, drops it, or enters a
    /// sequence whose content would start at `after`.
    fn text_char(&mut self, c: char, after: usize) -> Mode {
        let follows_cr = std::mem::replace(&mut self.after_cr, false);
        match c {
            ESC => return Mode::Escape,
            '\u{9b}' => return Mode::ControlSequence { content: after },
            '\u{9d}' => return self.control_string(true, after),
            '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => {
                return self.control_string(false, after);
            }
            '\r' => {
                self.out.push('\n');
                self.after_cr = true;
            }
            '\n' if follows_cr => {}
            c if is_safe_in_text(c) => self.out.push(c),
            _ => {}
        }
        Mode::Text
    }

    /// Reads the character after ESC.
    fn escape_char(&mut self, c: char, after: usize) -> Mode {
        match c {
            '[' => Mode::ControlSequence { content: after },
            ']' => self.control_string(true, after),
            'P' | 'X' | '^' | '_' => self.control_string(false, after),
            '\u{21}'..='\u{2f}' => Mode::EscapeIntermediate,
            // A two-character sequence such as `ESC c` (reset) or `ESC 7`.
            '\u{30}'..='\u{7e}' => Mode::Text,
            // A lone ESC: it is dropped and `c` is read as text (a second ESC
            // starts a new sequence). ESC and a space is such a stray ESC
            // before a word, not a sequence that would eat its first letter.
            _ => self.text_char(c, after),
        }
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
    fn an_unterminated_sequence_drops_only_its_introducer() {
        assert_eq!(sanitize_text("keep\u{1b}]0;never ends"), "keep0;never ends");
        assert_eq!(sanitize_text("keep\u{1b}Pnever ends"), "keepnever ends");
        assert_eq!(sanitize_text("keep\u{1b}[12;"), "keep12;");
        assert!(has_unterminated_sequence("keep\u{1b}]0;never ends"));
        assert!(!has_unterminated_sequence("a\u{1b}]0;title\u{7}b"));
        assert!(!has_unterminated_sequence("plain text"));
    }

    #[test]
    fn an_unterminated_string_ends_at_the_line_and_the_rest_is_shown() {
        let paragraph = format!(
            "Log line: \u{1b}]0;{}\nNext line stays.",
            "word ".repeat(3000)
        );
        let clean = sanitize_text(&paragraph);
        assert!(clean.starts_with("Log line: 0;word word"), "{clean:.40}");
        assert!(clean.ends_with("word \nNext line stays."));
        let code = "let a = 1; \u{1b}Pq\nlet b = 2;\nlet c = 3;";
        assert_eq!(sanitize_text(code), "let a = 1; q\nlet b = 2;\nlet c = 3;");
        // A second introducer inside the failed one does not hide the rest either.
        assert_eq!(sanitize_text("a\u{1b}]x\u{1b}]y\nz"), "axy\nz");
    }

    #[test]
    fn a_bracket_after_esc_in_prose_eats_nothing() {
        assert_eq!(sanitize_text("now \u{1b}[ then"), "now  then");
        assert_eq!(sanitize_text("now \u{1b} then"), "now  then");
        assert_eq!(
            sanitize_text("a\u{1b}[1 qb"),
            "ab",
            "DECSCUSR keeps its space"
        );
    }

    #[test]
    fn a_character_that_cannot_continue_a_csi_shows_what_followed_it() {
        assert_eq!(sanitize_text("a\u{1b}[1\nb"), "a1\nb");
        assert_eq!(sanitize_text("a\u{1b}[1é"), "a1é");
        assert_eq!(sanitize_text("a\u{1b}[1\u{1b}[31mb"), "a1b");
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
    fn a_joiner_that_joins_nothing_is_dropped() {
        let family = "👩\u{200d}👩\u{200d}👧";
        assert_eq!(sanitize_text(family), family);
        let conjunct = "क्\u{200d}ष";
        assert_eq!(sanitize_text(conjunct), conjunct);
        assert_eq!(sanitize_text("a \u{200d}b"), "a b");
        assert_eq!(sanitize_text("end\u{200d}"), "end");
        assert_eq!(sanitize_text("\u{200d}\u{200d}start"), "start");
        assert_eq!(sanitize_text("👩\u{200d}\u{200d}👧"), "👩👧");
        assert_eq!(sanitize_line(" tag\u{200d} "), "tag");
        assert_eq!(sanitize_line("\u{200d} x"), "x");
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
        assert_eq!(sanitize_text(&unterminated).len(), 5_000_000);
        let nested = "\u{1b}]".repeat(1_000_000);
        assert_eq!(sanitize_text(&nested), "");
        let interrupted = format!("\u{1b}]{}", "x\u{1b}".repeat(1_000_000));
        assert_eq!(sanitize_text(&interrupted), "");
    }

    proptest! {
        #[test]
        fn sanitize_text_is_idempotent_and_clean(input in hostile_text()) {
            let once = sanitize_text(&input);
            prop_assert!(!once.chars().any(is_forbidden_in_text), "{once:?}");
            prop_assert!(!once.graphemes(true).any(|g| g.ends_with(ZERO_WIDTH_JOINER)), "{once:?}");
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
        fn printable_text_passes_through(input in "[^\\p{Cc}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{feff}\u{200d}]*") {
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
            Just("\u{200d}".to_owned()),
            Just("👩".to_owned()),
            "[0-9;?m(]".prop_map(|s| s),
            any::<char>().prop_map(String::from),
            "[a-zé成]{1,3}".prop_map(|s| s),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }
}
