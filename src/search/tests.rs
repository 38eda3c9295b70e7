//! Behaviour of whole queries: the language, smart case, folding, the options,
//! and properties of the ranges `find` reports.

#![allow(clippy::unwrap_used)]

use std::ops::Range;

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

use super::*;

const PLAIN: QueryOptions = QueryOptions {
    regex: false,
    diacritics_insensitive: false,
};
const NO_DIACRITICS: QueryOptions = QueryOptions {
    regex: false,
    diacritics_insensitive: true,
};
const REGEX: QueryOptions = QueryOptions {
    regex: true,
    diacritics_insensitive: false,
};

fn query(input: &str) -> Query {
    Query::parse(input, PLAIN).unwrap()
}

fn lit<'t>(input: &str, text: &'t str) -> Vec<&'t str> {
    query(input)
        .find(text)
        .into_iter()
        .map(|r| &text[r])
        .collect()
}

#[test]
fn smart_case_ignores_case_until_an_upper_case_letter_appears() {
    assert!(query("funding").matches("FUNDING and Funding"));
    assert!(!query("funding").is_case_sensitive());
    let exact = query("Funding");
    assert!(exact.is_case_sensitive());
    assert!(exact.matches("Funding rose"));
    assert!(!exact.matches("funding rose"));
    assert!(!exact.matches("FUNDING ROSE"));
}

#[test]
fn tag_names_do_not_switch_on_case_sensitivity() {
    assert!(!query("funding tag:Money").is_case_sensitive());
}

#[test]
fn unicode_case_folding() {
    assert!(query("ä").matches("Ärger"));
    assert!(query("σ").matches("ΟΔΟΣ"));
    assert!(query("οδοσ").matches("ΟΔΟΣ and οδος"));
    assert_eq!(lit("ς", "Σσς"), vec!["Σσς"]);
    assert!(query("k").matches("5 \u{212A}"), "Kelvin sign folds to k");
    assert!(!query("ΟΔΟΣ").matches("οδος"), "upper case is exact");
}

#[test]
fn full_folding_of_sharp_s() {
    assert_eq!(
        lit("strasse", "die Straße, STRASSE"),
        vec!["Straße", "STRASSE"]
    );
    assert_eq!(lit("straße", "Strasse"), vec!["Strasse"]);
    assert_eq!(lit("ß", "GROẞ"), vec!["ẞ"]);
    assert!(!query("s").matches("ß"), "no match inside a folded letter");
    assert!(!query("Straße").matches("Strasse"), "exact case is exact");
}

#[test]
fn dotted_capital_i() {
    assert_eq!(lit("i\u{307}stanbul", "İstanbul"), vec!["İstanbul"]);
    assert!(
        query("İstanbul").matches("I\u{307}stanbul"),
        "canonically equal"
    );
    assert!(!query("istanbul").matches("İstanbul"), "İ is I with a dot");
    let loose = Query::parse("istanbul", NO_DIACRITICS).unwrap();
    assert_eq!(loose.find("İstanbul"), vec![0..9]);
}

#[test]
fn diacritics_option_on_and_off() {
    let text = "café, cafe\u{301}, CAFÉ, cafe";
    assert_eq!(lit("cafe", text), vec!["cafe"]);
    assert_eq!(lit("café", text), vec!["café", "cafe\u{301}", "CAFÉ"]);
    let loose = Query::parse("cafe", NO_DIACRITICS).unwrap();
    let found: Vec<&str> = loose.find(text).into_iter().map(|r| &text[r]).collect();
    assert_eq!(found, vec!["café", "cafe\u{301}", "CAFÉ", "cafe"]);
    let loose_exact = Query::parse("Cafe", NO_DIACRITICS).unwrap();
    assert!(loose_exact.matches("Café") && !loose_exact.matches("café"));
}

#[test]
fn combining_marks_belong_to_their_letter() {
    assert!(query("é").matches("e\u{301}"));
    assert!(query("e\u{301}").matches("é"));
    assert!(!query("e").matches("e\u{301}"));
    assert_eq!(lit("e", "e\u{301} e"), vec!["e"]);
    assert_eq!(query("e").find("e\u{301} e"), vec![4..5]);
}

#[test]
fn phrases_match_across_runs_of_whitespace() {
    let phrase = query(r#""cultural exchange""#);
    assert!(phrase.matches("cultural   exchange"));
    assert!(phrase.matches("cultural\n\texchange"));
    assert!(!phrase.matches("cultural, exchange"));
    assert!(!phrase.matches("exchange cultural"));
    assert_eq!(phrase.find("a cultural  exchange"), vec![2..20]);
}

#[test]
fn every_term_must_match() {
    let both = query("funding metrics");
    assert!(both.matches("metrics of funding"));
    assert!(!both.matches("funding alone"));
    assert!(!both.matches("metrics alone"));
}

#[test]
fn excluded_terms_reject_the_passage() {
    let q = query(r#"funding -mobility -"related articles""#);
    assert!(q.matches("funding rose"));
    assert!(!q.matches("funding for mobility"));
    assert!(!q.matches("funding. Related  Articles"));
    assert_eq!(
        q.find("funding rose"),
        vec![0..7],
        "excluded terms are not lit"
    );
    assert!(query("-ads").matches("no adverts here"));
}

#[test]
fn regex_terms() {
    let q = Query::parse(r"fund(ing|s) \bthe\b", REGEX).unwrap();
    assert!(q.matches("The funds"));
    assert!(!q.matches("funds there"));
    assert!(!Query::parse(r"\Sund", REGEX).unwrap().is_case_sensitive());
    assert!(
        !Query::parse(r"\p{Lu}\x4A", REGEX)
            .unwrap()
            .is_case_sensitive()
    );
    assert!(
        !Query::parse(r"(?P<Year>\d+)", REGEX)
            .unwrap()
            .is_case_sensitive()
    );
    assert!(Query::parse(r"Fund\w+", REGEX).unwrap().is_case_sensitive());
}

#[test]
fn a_bad_regex_is_a_short_error() {
    let error = Query::parse("fine (broken", REGEX).unwrap_err();
    assert!(matches!(error, QueryError::BadRegex { .. }), "{error:?}");
    let message = error.to_string();
    assert_eq!(message, "bad regex `(broken`: unclosed group");
    assert!(matches!(
        Query::parse("a{99999}{99999}", REGEX),
        Err(QueryError::TooLarge { .. } | QueryError::BadRegex { .. })
    ));
}

#[test]
fn cjk_terms_match_as_substrings() {
    let text = "研究成果を発表した";
    assert_eq!(lit("成果", text), vec!["成果"]);
    assert_eq!(query("成果").find(text), vec![6..12]);
    assert!(query("果を").matches(text));
}

#[test]
fn overlapping_and_touching_matches_are_merged() {
    assert_eq!(query("fund funding").find("funding"), vec![0..7]);
    assert_eq!(query("aa").find("aaa"), vec![0..3]);
    assert_eq!(query("ab cd").find("abcd ab"), vec![0..4, 5..7]);
}

#[test]
fn the_empty_query_matches_everything() {
    for blank in ["", "   ", "\t\n", r#""""#] {
        let q = query(blank);
        assert!(q.is_empty(), "{blank:?}");
        assert!(q.matches("anything") && q.matches(""));
        assert!(q.find("anything").is_empty());
    }
}

#[test]
fn annotation_filters_need_facts() {
    let q = query("tag:funding has:note");
    assert!(q.uses_annotations());
    assert!(!q.is_empty());
    assert!(!q.matches("anything"), "no annotations known");
    assert!(query("-has:note").matches("anything"));
    assert!(!query("plain").uses_annotations());
}

#[test]
fn huge_queries_neither_panic_nor_hang() {
    let words = "cultural exchange ".repeat(600);
    let q = query(&words[..10_000]);
    assert!(q.matches("a cultural exchange"));
    // `cultural`, `exchange` and the cut-off `e` at the end, each compiled once.
    assert_eq!(q.clauses().len(), 3);
    let one_word = "ab".repeat(5_000);
    let text = format!("x{one_word}x");
    assert_eq!(query(&one_word).find(&text), vec![1..10_001]);
    for options in [NO_DIACRITICS, REGEX] {
        match Query::parse(&one_word, options) {
            Ok(q) => assert!(q.matches(&text)),
            Err(error) => assert!(matches!(error, QueryError::TooLarge { .. })),
        }
    }
}

/// The reference folding the matcher must agree with: canonical decomposition,
/// full lower-casing, final sigma, sharp s, long s; optionally no marks.
fn fold(text: &str, strip_marks: bool) -> String {
    let lowered: String = text
        .nfd()
        .flat_map(|c| match c {
            'ß' | 'ẞ' => "ss".chars().collect::<Vec<_>>(),
            'ς' => vec!['σ'],
            'ſ' => vec!['s'],
            other => other.to_lowercase().collect(),
        })
        .collect();
    lowered
        .nfd()
        .filter(|&c| !(strip_marks && unicode_normalization::char::is_combining_mark(c)))
        .collect()
}

const TRICKY: &[&str] = &[
    "a", "A", "s", "S", "ß", "ẞ", "ſ", "e", "é", "É", "e\u{301}", "\u{301}", "σ", "Σ", "ς", "i",
    "I", "İ", "\u{307}", "k", "\u{212A}", "成", "果", " ", "  ", "\n",
];

fn tricky_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TRICKY), 0..max).prop_map(|parts| parts.concat())
}

fn assert_well_formed(text: &str, ranges: &[Range<usize>]) {
    for pair in ranges.windows(2) {
        assert!(pair[0].end < pair[1].start, "sorted and merged: {ranges:?}");
    }
    for range in ranges {
        assert!(range.start < range.end && range.end <= text.len());
        assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
    }
}

proptest! {
    #[test]
    fn occurrences_fold_to_the_term(
        text in tricky_text(40),
        word in tricky_text(4).prop_filter("a word", |w| !w.trim().is_empty() && !w.contains(char::is_whitespace)),
        loose in any::<bool>(),
    ) {
        let options = QueryOptions { regex: false, diacritics_insensitive: loose };
        let q = Query::parse(&word, options).unwrap();
        let Some(Clause { term: Term::Text(term), .. }) = q.clauses().first() else {
            return Ok(());
        };
        let mut found = Vec::new();
        term.push_occurrences(&text, &mut found);
        for range in &found {
            prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            prop_assert_eq!(fold(&text[range.clone()], loose), fold(&word, loose));
        }
        prop_assert_eq!(q.matches(&text), !found.is_empty());
        assert_well_formed(&text, &q.find(&text));
    }

    #[test]
    fn finds_every_plain_occurrence(
        text in prop::collection::vec(prop::sample::select(&["a", "b", "A", "é", "É", "σ", "Σ", "ς", "成", " "][..]), 0..30),
        word in prop::collection::vec(prop::sample::select(&["a", "b", "B", "é", "σ", "ς", "成"][..]), 1..4),
    ) {
        let (text, word) = (text.concat(), word.concat());
        let expected = if word.chars().any(char::is_uppercase) {
            text.contains(&word)
        } else {
            fold(&text, false).contains(&fold(&word, false))
        };
        prop_assert_eq!(query(&word).matches(&text), expected);
    }

    #[test]
    fn any_input_gives_a_query_or_an_error_and_sane_ranges(
        input in "\\PC{0,40}",
        text in "\\PC{0,80}",
        regex in any::<bool>(),
        loose in any::<bool>(),
    ) {
        let options = QueryOptions { regex, diacritics_insensitive: loose };
        if let Ok(q) = Query::parse(&input, options) {
            let _ = q.matches(&text);
            assert_well_formed(&text, &q.find(&text));
        }
    }

    #[test]
    fn find_in_passage_answers_both_questions_at_once(
        words in prop::collection::vec(prop::sample::select(&["a", "-a", "b", "-b", "\"a b\"", "A", "ab", "-\"b a\"", "é", "-e"][..]), 0..4),
        text in prop::collection::vec(prop::sample::select(&["a", "b", "A", "é", " ", "e\u{301}"][..]), 0..20),
        loose in any::<bool>(),
    ) {
        let (input, text) = (words.join(" "), text.concat());
        let options = QueryOptions { regex: false, diacritics_insensitive: loose };
        let q = Query::parse(&input, options).unwrap();
        let expected = q.matches(&text).then(|| q.find(&text));
        prop_assert_eq!(q.find_in_passage(&text, &Unannotated), expected);
    }
}
