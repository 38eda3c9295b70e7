//! The diacritics-insensitive option: which letters share a base letter once their
//! marks are set aside (é, è, ê, ë, ẽ → e), learnt once from Unicode's canonical
//! decompositions so no table has to be kept by hand.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Code points scanned for letters that decompose to a base plus marks: Latin,
/// Greek, Cyrillic, the Indic scripts, Latin Extended Additional, the letter-like
/// symbols (Kelvin, Ångström), and Hebrew presentation forms. Hangul syllables
/// decompose into jamo, not marks, and are rightly left out.
const SCANNED: [RangeInclusive<u32>; 2] = [0xC0..=0x2FFF, 0xFB1D..=0xFB4F];

/// `text` with its canonical decomposition's combining marks removed:
/// `"Crème brûlée"` → `"Creme brulee"`.
pub(super) fn strip_marks(text: &str) -> String {
    text.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// Every scanned character whose canonical decomposition is `base` followed only
/// by combining marks (or is a singleton equal to `base`), `base` excluded.
pub(super) fn variants_of(base: char) -> &'static [char] {
    table().get(&base).map_or(&[], Vec::as_slice)
}

fn table() -> &'static HashMap<char, Vec<char>> {
    static TABLE: OnceLock<HashMap<char, Vec<char>>> = OnceLock::new();
    TABLE.get_or_init(build_table)
}

fn build_table() -> HashMap<char, Vec<char>> {
    let mut table: HashMap<char, Vec<char>> = HashMap::new();
    for c in SCANNED.iter().cloned().flatten().filter_map(char::from_u32) {
        if let Some(base) = base_letter(c) {
            table.entry(base).or_default().push(c);
        }
    }
    table
}

/// The base of `c` when `c` decomposes to one non-mark followed only by marks.
fn base_letter(c: char) -> Option<char> {
    let mut decomposition = Vec::with_capacity(4);
    decompose_canonical(c, |part| decomposition.push(part));
    let (&base, marks) = decomposition.split_first()?;
    let is_base_and_marks = marks.iter().all(|m| is_combining_mark(*m));
    (base != c && !is_combining_mark(base) && is_base_and_marks).then_some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_marks_from_composed_and_decomposed_text() {
        assert_eq!(strip_marks("Crème brûlée"), "Creme brulee");
        assert_eq!(strip_marks("e\u{301}te\u{301}"), "ete");
        assert_eq!(strip_marks("İstanbul"), "Istanbul");
        assert_eq!(strip_marks("成果"), "成果");
    }

    #[test]
    fn letters_are_grouped_under_their_base() {
        let e = variants_of('e');
        for accented in ['é', 'è', 'ê', 'ë', 'ẽ', 'ệ'] {
            assert!(e.contains(&accented), "{accented} missing from {e:?}");
        }
        assert!(!e.contains(&'e'));
        assert!(!e.contains(&'É'), "upper case belongs to E");
        assert!(variants_of('E').contains(&'É'));
        assert!(variants_of('I').contains(&'İ'));
        assert!(variants_of('K').contains(&'\u{212A}'), "Kelvin sign");
    }

    #[test]
    fn letters_without_a_decomposition_have_no_variants() {
        assert!(variants_of('成').is_empty());
        assert!(!variants_of('o').contains(&'ø'), "ø is a letter of its own");
        assert!(variants_of('ß').is_empty());
    }

    #[test]
    fn hangul_syllables_are_not_treated_as_marked_letters() {
        assert_eq!(base_letter('한'), None);
    }
}
