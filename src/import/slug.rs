//! Ids for imported articles: short, readable, safe as a file name and stable
//! under the library's own id rule (a slug of a slug is itself), so the id in the
//! front matter, the file name and the id `gloss list` shows are one and the same.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Ids made here are cut (at a word boundary when there is one) to this many
/// bytes: long enough to recognise the title, short enough to type.
pub const MAX_ID_BYTES: usize = 60;

/// Lowercase ASCII letters and digits, with every other run of characters turned
/// into one `-`; accents are set aside first (`Café` → `cafe`). Empty when the
/// text has no Latin letters or digits at all.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        // One byte past the limit is enough to know where to cut.
        if out.len() > MAX_ID_BYTES {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    shorten(out).to_string()
}

/// The id for an article with this title: its slug, or a stable hash of the
/// title when the slug is empty (a title in a script without Latin letters).
pub fn id_for_title(title: &str) -> String {
    let slug = slug(title);
    if slug.is_empty() {
        format!("article-{:016x}", fnv1a(title.as_bytes()))
    } else {
        slug
    }
}

/// `slug` cut to [`MAX_ID_BYTES`], at the last `-` when there is one, so no word
/// is cut in half.
fn shorten(slug: &str) -> &str {
    if slug.len() <= MAX_ID_BYTES {
        return slug;
    }
    // A slug is ASCII, so any byte index is a character boundary.
    let head = &slug[..=MAX_ID_BYTES];
    match head.rfind('-') {
        Some(dash) if dash > 0 => &slug[..dash],
        _ => &slug[..MAX_ID_BYTES],
    }
}

/// A small, stable, well-spread hash; ids must not change between runs, so the
/// standard library's randomly seeded hasher would not do.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn titles_become_readable_ids() {
        assert_eq!(slug("My Article: Part 2!"), "my-article-part-2");
        assert_eq!(
            slug("  --Crème brûlée, Über Café--  "),
            "creme-brulee-uber-cafe"
        );
        assert_eq!(slug("R&D strengths"), "r-d-strengths");
    }

    #[test]
    fn long_titles_are_cut_between_words() {
        let title = "How evolving cultural diplomacy efforts foster long-term \
                     international partnerships, exchange programs, and mutual understanding.";
        assert_eq!(
            id_for_title(title),
            "how-evolving-cultural-diplomacy-efforts-foster-long-term"
        );
        let one_word = "a".repeat(200);
        assert_eq!(slug(&one_word), "a".repeat(MAX_ID_BYTES));
    }

    #[test]
    fn a_cut_falling_on_a_dash_keeps_the_whole_word() {
        let title = format!("{} tail", "b".repeat(MAX_ID_BYTES));
        assert_eq!(slug(&title), "b".repeat(MAX_ID_BYTES));
    }

    #[test]
    fn titles_without_latin_letters_get_a_stable_hashed_id() {
        let id = id_for_title("研究的成果");
        assert!(id.starts_with("article-"), "{id}");
        assert_eq!(id, id_for_title("研究的成果"));
        assert_ne!(id, id_for_title("研究"));
        assert!(id_for_title("").starts_with("article-"));
    }

    proptest! {
        #[test]
        fn ids_are_short_clean_and_a_fixed_point(title in "\\PC{0,200}") {
            let id = id_for_title(&title);
            prop_assert!(!id.is_empty());
            prop_assert!(id.len() <= MAX_ID_BYTES.max("article-".len() + 16));
            prop_assert!(id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(!id.starts_with('-') && !id.ends_with('-') && !id.contains("--"));
            prop_assert_eq!(slug(&id), id);
        }
    }
}
