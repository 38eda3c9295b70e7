//! Re-anchoring measured on real revisions (see `reanchor_eval/harness.rs`):
//! gloss places no highlight where the quote is not, and re-finds survived
//! quotes (twins included), edited quotes and deleted ones at least as often
//! as the Hypothesis client's algorithm on the same pairs. (Two survived
//! quotes, a heading and a list item whose sections moved far and whose
//! neighbours all changed, are orphaned rather than placed: see the README.)

#![allow(clippy::unwrap_used)]

#[path = "reanchor_eval/harness.rs"]
mod harness;

use harness::{PAIRS, Score, Truth};

#[test]
fn gloss_meets_its_goal_on_real_revisions() {
    let (mut gloss, mut hypothesis) = (Score::default(), Score::default());
    for &pair in PAIRS {
        let (cases, one, other) = harness::measure(pair);
        assert!(!cases.is_empty(), "{pair:?}");
        gloss.add(one);
        hypothesis.add(other);
    }
    // The set is varied enough to mean something.
    assert!(gloss.survived > 300, "{gloss:?}");
    assert!(gloss.twins > 10, "{gloss:?}");
    assert!(gloss.edited > 20, "{gloss:?}");
    assert!(gloss.deleted > 20, "{gloss:?}");

    assert_eq!(gloss.wrong, 0, "gloss {gloss:?}");
    // Every survived quote gloss places is at the right copy (no wrong
    // placement); it re-finds more of them than the Hypothesis algorithm,
    // twins included, and no fewer edited ones.
    assert!(
        gloss.survived_right > hypothesis.survived_right,
        "gloss {gloss:?}\nHypothesis {hypothesis:?}"
    );
    assert!(
        gloss.twins_right >= hypothesis.twins_right,
        "gloss {gloss:?}\nHypothesis {hypothesis:?}"
    );
    assert!(
        gloss.edited_found >= hypothesis.edited_found,
        "gloss {gloss:?}\nHypothesis {hypothesis:?}"
    );
    assert!(
        gloss.deleted_orphaned >= hypothesis.deleted_orphaned,
        "gloss {gloss:?}\nHypothesis {hypothesis:?}"
    );
}

#[test]
fn the_truth_tells_survived_edited_and_deleted_apart() {
    let old = "One two three four. Five six seven eight. Nine ten eleven twelve.";
    let new = "Zero. One two three four. Five six SEVEN eight. Thirteen.";
    let article = |text: &str| {
        let mut a = gloss::library::parse_article(
            &format!("---\nid: a\ntitle: T\n---\n\n{text}"),
            gloss::library::Origin::Bundled("a.md".into()),
        )
        .unwrap();
        a.split_sentences();
        a
    };
    let (old, new) = (article(old), article(new));
    let cases = harness::cases(&old, &new);
    let truth_of = |quote: &str| {
        cases
            .iter()
            .find(|c| c.highlight.anchor.quote.exact == quote)
            .map(|c| c.truth.clone())
    };
    assert_eq!(
        truth_of("One two three four."),
        Some(Truth::Survived(6..25))
    );
    if let Some(truth) = truth_of("Nine ten eleven twelve.") {
        assert_eq!(truth, Truth::Deleted);
    }
    let edited = harness::truth_of(&old, &new, 20..41);
    assert!(matches!(edited, Truth::Edited(_)), "{edited:?}");
}
