//! Prints how gloss and the Hypothesis client's algorithm re-anchor
//! highlights made in old versions of real READMEs and CHANGELOGs when the
//! new version is swapped in: `cargo run --release --example reanchor_eval`
//! (`-- --wrong` lists every wrong placement). The figures are in the README.

#![allow(clippy::unwrap_used, clippy::print_stdout, dead_code)]

#[path = "../tests/reanchor_eval/harness.rs"]
mod harness;

use harness::{PAIRS, Score};

fn row(name: &str, cases: usize, s: Score) -> String {
    format!(
        "{name:<48} {cases:>5}  {:>4}/{:<4} {:>3}/{:<3} {:>4}/{:<4} {:>4}/{:<4} {:>3}/{:<3} {:>5}",
        s.survived_right,
        s.survived,
        s.twins_right,
        s.twins,
        s.edited_found,
        s.edited,
        s.deleted_orphaned,
        s.deleted,
        s.moved_or_deleted_right,
        s.moved_or_deleted,
        s.wrong
    )
}

fn main() {
    let show_wrong = std::env::args().any(|a| a == "--wrong");
    let show_missed = std::env::args().any(|a| a == "--missed");
    println!(
        "{:<48} {:>5}  {:>9} {:>7} {:>9} {:>9} {:>7} {:>5}",
        "pair (old → new)", "quotes", "survived", "twins", "edited", "deleted", "moved?", "wrong"
    );
    let (mut gloss_total, mut hypothesis_total, mut count) =
        (Score::default(), Score::default(), 0);
    for &pair in PAIRS {
        let started = std::time::Instant::now();
        let (cases, gloss, hypothesis) = harness::measure(pair);
        let name = format!("{} → {}", pair.old, pair.new);
        println!("{}", row(&name, cases.len(), gloss));
        println!("{}", row("  Hypothesis", cases.len(), hypothesis));
        eprintln!("  ({:.1?})", started.elapsed());
        if show_wrong || show_missed {
            let old = harness::article(pair.new);
            let plain = old.plain_text();
            for (case, found) in cases.iter().zip(harness::gloss_placements(&cases, &plain)) {
                let one = harness::score(std::slice::from_ref(case), std::slice::from_ref(&found));
                let missed = found.is_none()
                    && matches!(
                        case.truth,
                        harness::Truth::Survived(_)
                            | harness::Truth::Edited(_)
                            | harness::Truth::Moved(_)
                    );
                if (show_wrong && one.wrong > 0) || (show_missed && missed) {
                    let around = |r: &std::ops::Range<usize>| {
                        let from = gloss::text::floor_boundary(&plain, r.start.saturating_sub(60));
                        let to = gloss::text::ceil_boundary(&plain, r.end + 60);
                        plain[from..to].replace('\n', "⏎")
                    };
                    let quote = &case.highlight.anchor.quote;
                    println!(
                        "    {} {:?}: {:?}\n      was [{}|…|{}] at {}\n      truth {:?} {}\n      placed {:?} {}",
                        if missed { "missed" } else { "wrong" },
                        case.kind,
                        quote.exact,
                        quote.prefix.replace('\n', "⏎"),
                        quote.suffix.replace('\n', "⏎"),
                        case.highlight.anchor.position.start,
                        case.truth,
                        match &case.truth {
                            harness::Truth::Survived(r) | harness::Truth::Edited(r) => around(r),
                            _ => String::new(),
                        },
                        found,
                        found.as_ref().map(around).unwrap_or_default(),
                    );
                }
            }
        }
        count += cases.len();
        gloss_total.add(gloss);
        hypothesis_total.add(hypothesis);
    }
    println!("{}", row("all pairs: gloss", count, gloss_total));
    println!("{}", row("all pairs: Hypothesis", count, hypothesis_total));
}
