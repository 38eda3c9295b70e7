//! Re-anchoring whole highlights after the article changed: each outcome, the
//! awkward inputs, and properties over random edits.

#![allow(clippy::unwrap_used)]

use std::ops::Range;

use proptest::prelude::*;

use super::*;

const ARTICLE: &str = "Reading is slow on purpose. The reader keeps a cursor on one sentence \
    at a time, and highlights mark what matters. Notes sit beside the highlights. \
    When the article changes, the highlights must be found again.";

/// Anchors `quote` where it first occurs in `text`.
fn anchor_first(text: &str, quote: &str) -> TextAnchor {
    let start = text.find(quote).unwrap();
    anchor_at(text, start..start + quote.len(), 0)
}

fn found_text<'t>(text: &'t str, anchoring: &Anchoring) -> &'t str {
    &text[anchoring.range().unwrap()]
}

#[test]
fn unchanged_text_is_exact() {
    let anchor = anchor_first(ARTICLE, "highlights mark what matters");
    let start = anchor.position.start;
    assert_eq!(
        reanchor(ARTICLE, &anchor),
        Anchoring::Exact(start..anchor.position.end)
    );
}

#[test]
fn text_inserted_before_moves_the_quote() {
    let anchor = anchor_first(ARTICLE, "highlights mark what matters");
    let edited = format!("A new opening line. {ARTICLE}");
    let found = reanchor(&edited, &anchor);
    let shifted = anchor.position.start + "A new opening line. ".len();
    assert_eq!(
        found,
        Anchoring::Moved(shifted..shifted + anchor.quote.exact.len())
    );
}

#[test]
fn duplicates_are_told_apart_by_context() {
    // "the highlights" occurs twice; the second one is anchored.
    let start = ARTICLE.rfind("the highlights").unwrap();
    let anchor = anchor_at(ARTICLE, start..start + "the highlights".len(), 0);
    // Text added at the front makes the first copy the nearer one to the old
    // offset, but the context still points to the second.
    let gap = start - ARTICLE.find("the highlights").unwrap();
    let edited = format!("{}{ARTICLE}", "x".repeat(gap - 3));
    let found = reanchor(&edited, &anchor);
    let expected = edited.rfind("the highlights").unwrap();
    assert_eq!(
        found,
        Anchoring::Moved(expected..expected + "the highlights".len())
    );
}

#[test]
fn a_word_changed_inside_the_quote_is_fuzzy() {
    let anchor = anchor_first(ARTICLE, "keeps a cursor on one sentence at a time");
    let edited = ARTICLE.replace("on one sentence", "on a single sentence");
    let found = reanchor(&edited, &anchor);
    let Anchoring::Fuzzy { score, .. } = found else {
        panic!("expected a fuzzy match, got {found:?}");
    };
    assert!((FUZZY_ACCEPT_SCORE..=1.0).contains(&score), "score {score}");
    assert_eq!(
        found_text(&edited, &found),
        "keeps a cursor on a single sentence at a time"
    );
}

#[test]
fn a_deleted_passage_is_orphaned_with_a_best_guess() {
    let anchor = anchor_first(ARTICLE, "Notes sit beside the highlights.");
    let edited = ARTICLE.replace("Notes sit beside the highlights.", "Nothing else.");
    let Anchoring::Orphaned {
        best: Some((range, score)),
    } = reanchor(&edited, &anchor)
    else {
        panic!("expected an orphan with a candidate");
    };
    assert!(score < FUZZY_ACCEPT_SCORE);
    assert!(edited.is_char_boundary(range.start) && edited.is_char_boundary(range.end));
    // The remaining "the highlights" is the closest thing left.
    assert!(edited[range].contains("highlights"));
}

#[test]
fn nothing_alike_left_is_orphaned_without_a_guess() {
    let anchor = anchor_first(ARTICLE, "Notes sit beside the highlights.");
    assert_eq!(
        reanchor("zzz zzz zzz", &anchor),
        Anchoring::Orphaned { best: None }
    );
    assert_eq!(reanchor("", &anchor), Anchoring::Orphaned { best: None });
}

#[test]
fn an_empty_quote_is_orphaned() {
    let anchor = anchor_at(ARTICLE, 5..5, 0);
    assert_eq!(
        reanchor(ARTICLE, &anchor),
        Anchoring::Orphaned { best: None }
    );
}

#[test]
fn stale_positions_never_panic() {
    let text = "naïve café, naïve café";
    let mut anchor = anchor_first(text, "café");
    for start in [
        0,
        3,
        4,
        text.len() - 1,
        text.len(),
        text.len() + 5,
        usize::MAX - 1,
        usize::MAX,
    ] {
        anchor.position.start = start;
        anchor.position.end = start.wrapping_add(5);
        let found = reanchor(text, &anchor);
        assert_eq!(found_text(text, &found), "café", "start {start}");
        assert!(matches!(found, Anchoring::Exact(_) | Anchoring::Moved(_)));
    }
}

#[test]
fn a_position_inside_a_character_moves_to_the_real_quote() {
    let text = "日本語のテキスト";
    let mut anchor = anchor_first(text, "テキスト");
    anchor.position.start = 1; // inside "日"
    assert_eq!(reanchor(text, &anchor), Anchoring::Moved(12..24));
}

#[test]
fn cjk_quotes_are_found_after_edits() {
    let text = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。";
    let anchor = anchor_first(text, "名前はまだ無い");
    let inserted = format!("序文。{text}");
    assert!(matches!(reanchor(&inserted, &anchor), Anchoring::Moved(_)));
    let changed = text.replace("まだ", "もう");
    let found = reanchor(&changed, &anchor);
    assert!(!found.is_orphaned(), "{found:?}");
    assert!(found_text(&changed, &found).starts_with("名前は"));
}

#[test]
fn emoji_quotes_are_found_after_edits() {
    let text = "Rockets 🚀🚀 go up, 🌧️ rain comes down, and 👩‍👩‍👧 families watch.";
    let anchor = anchor_first(text, "🌧️ rain comes down");
    let edited = text.replace("Rockets", "Big rockets");
    let found = reanchor(&edited, &anchor);
    assert_eq!(found_text(&edited, &found), "🌧️ rain comes down");
    let changed = text.replace("👩‍👩‍👧 families", "👨‍👩‍👦 families");
    let anchor = anchor_first(text, "and 👩‍👩‍👧 families watch");
    let found = reanchor(&changed, &anchor);
    assert!(matches!(found, Anchoring::Fuzzy { .. }), "{found:?}");
    assert_eq!(found_text(&changed, &found), "and 👨‍👩‍👦 families watch");
}

/// `words` made-up words of two to nine letters, deterministic for a `seed`:
/// prose that, unlike a repeated sentence, does not resemble itself.
pub(super) fn prose(words: usize, seed: u64) -> String {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = String::new();
    for i in 0..words {
        if i > 0 {
            out.push(if next() % 12 == 0 { '.' } else { ' ' });
            out.push(' ');
        }
        for _ in 0..2 + next() % 8 {
            out.push(char::from(b'a' + (next() % 26) as u8));
        }
    }
    out
}

#[test]
fn a_long_article_reanchors_a_changed_quote() {
    let text = prose(17_000, 3);
    assert!(text.len() > 100_000);
    let quote_start = text[text.len() / 2..].find(' ').unwrap() + text.len() / 2 + 1;
    let anchor = anchor_at(&text, quote_start..quote_start + 300, 0);
    let mut edited = text.clone();
    edited.replace_range(quote_start + 40..quote_start + 44, "WORDS");
    let found = reanchor(&edited, &anchor);
    assert!(matches!(found, Anchoring::Fuzzy { .. }), "{found:?}");
    assert_eq!(found.range(), Some(quote_start..quote_start + 301));
}

/// One edit of the text: replace `text[range]` with `insert`.
#[derive(Debug, Clone)]
struct Edit {
    /// Where, as a fraction of the allowed span (so it applies to any text).
    at: f64,
    removed: usize,
    insert: String,
}

fn edit() -> impl Strategy<Value = Edit> {
    (0.0..1.0_f64, 0..6_usize, "[a-zé漢😀 .]{0,8}").prop_map(|(at, removed, insert)| Edit {
        at,
        removed,
        insert,
    })
}

/// Applies `edit` somewhere within `span` of `text` (a char-aligned range),
/// never reaching past it; returns the byte shift it caused.
fn apply(text: &mut String, span: Range<usize>, edit: &Edit) -> isize {
    let boundaries: Vec<usize> = text[span.clone()]
        .char_indices()
        .map(|(i, _)| span.start + i)
        .chain([span.end])
        .collect();
    let first = ((boundaries.len() - 1) as f64 * edit.at) as usize;
    let last = (first + edit.removed).min(boundaries.len() - 1);
    let range = boundaries[first]..boundaries[last];
    let shift = edit.insert.len() as isize - range.len() as isize;
    text.replace_range(range, &edit.insert);
    shift
}

/// A text of random words with a quote cut out of its middle.
fn text_and_quote() -> impl Strategy<Value = (String, Range<usize>)> {
    (
        "[a-zé漢😀 ]{30,200}",
        "[a-zé漢😀 ]{20,60}",
        "[a-zé漢😀 ]{30,200}",
    )
        .prop_map(|(before, quote, after)| {
            let start = before.len();
            let end = start + quote.len();
            (before + &quote + &after, start..end)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn edits_outside_the_quote_keep_it_exact(
        (mut text, quote) in text_and_quote(),
        before in prop::collection::vec(edit(), 0..4),
        after in prop::collection::vec(edit(), 0..4),
    ) {
        let anchor = anchor_at(&text, quote.clone(), 0);
        // The character on each side of the quote stays: an edit that glued
        // other letters onto the quote's words would make it a fragment of
        // longer words, which is not the quote.
        let mut start = quote.start;
        for edit in &before {
            let kept = text[..start].chars().next_back().map_or(0, char::len_utf8);
            let shift = apply(&mut text, 0..start - kept, edit);
            start = start.checked_add_signed(shift).unwrap();
        }
        let end = start + anchor.quote.exact.len();
        for edit in &after {
            let len = text.len();
            let kept = text[end..].chars().next().map_or(0, char::len_utf8);
            apply(&mut text, end + kept..len, edit);
        }
        let found = reanchor(&text, &anchor);
        prop_assert!(matches!(found, Anchoring::Exact(_) | Anchoring::Moved(_)), "{:?}", found);
        prop_assert_eq!(found_text(&text, &found), anchor.quote.exact.as_str());
    }

    #[test]
    fn a_small_edit_inside_the_quote_is_still_found(
        (mut text, quote) in text_and_quote(),
        inside in edit(),
    ) {
        let anchor = anchor_at(&text, quote.clone(), 0);
        let inside = Edit {
            removed: inside.removed.min(3),
            insert: inside.insert.chars().take(3).collect(),
            ..inside
        };
        let shift = apply(&mut text, quote.clone(), &inside);
        let edited_end = quote.end.checked_add_signed(shift).unwrap();
        let found = reanchor(&text, &anchor);
        let range = found.range();
        prop_assert!(range.is_some(), "orphaned: {:?} in {:?}", found, text);
        let range = range.unwrap();
        prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        prop_assert!(range.start < edited_end && quote.start < range.end,
            "{:?} does not overlap {:?}", range, quote.start..edited_end);
    }

    #[test]
    fn any_anchor_in_any_text_is_safe(
        text in "[a-cé😀 ]{0,80}",
        exact in "[a-cé😀 ]{0,20}",
        prefix in "[a-c ]{0,8}",
        start in any::<usize>(),
    ) {
        let anchor = TextAnchor {
            quote: TextQuote { exact, prefix, suffix: String::new() },
            position: TextPosition { block: 0, start, end: start },
        };
        let found = reanchor(&text, &anchor);
        let range = match &found {
            Anchoring::Orphaned { best } => best.as_ref().map(|(range, _)| range.clone()),
            other => other.range(),
        };
        if let Some(range) = range {
            prop_assert!(text.get(range).is_some(), "{:?}", found);
        }
    }
}

/// A text of words with a quote of whole words cut out of its middle.
fn words_and_quote() -> impl Strategy<Value = (String, Range<usize>)> {
    (
        prop::collection::vec("[a-zé漢]{1,8}", 8..30),
        prop::collection::vec("[a-zé漢]{1,8}", 4..10),
        prop::collection::vec("[a-zé漢]{1,8}", 8..30),
    )
        .prop_map(|(before, quote, after)| {
            let before = before.join(" ") + " ";
            let quote = quote.join(" ");
            let start = before.len();
            let end = start + quote.len();
            (before + &quote + " " + &after.join(" "), start..end)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_place_found_for_whole_words_is_whole_words(
        (mut text, quote) in words_and_quote(),
        inside in edit(),
    ) {
        let anchor = anchor_at(&text, quote.clone(), 0);
        apply(&mut text, quote, &inside);
        let found = reanchor(&text, &anchor);
        let range = match &found {
            Anchoring::Orphaned { best } => best.as_ref().map(|(range, _)| range.clone()),
            other => other.range(),
        };
        if let Some(range) = range {
            prop_assert!(bounds::is_word_boundary(&text, range.start), "{:?} in {:?}", found, text);
            prop_assert!(bounds::is_word_boundary(&text, range.end), "{:?} in {:?}", found, text);
        }
    }
}
