#![allow(clippy::unwrap_used)]

use super::*;
use crate::library::Article;
use crate::library::load::Outcome;
use crate::library::parse::{Detail, parse_source};

const ARTICLE: &str = "---\nid: cached\ntitle: Cached\ntags: [a, b]\n---\n\n\
    Intro before any section.\n\n## First\n\nA paragraph.\n\n> A quote.\n\n\
    - an item\n\n```\ncode here\n```\n\n### Deeper\n\nLast words.\n";

fn failed(reason: &str) -> Outcome {
    Outcome::Failed {
        origin: "cached.md".into(),
        reason: reason.into(),
    }
}

/// A library folder with one article, and a cache folder beside it.
struct Fixture {
    _folders: (tempfile::TempDir, tempfile::TempDir),
    file: PathBuf,
    stamp: Stamp,
    origin: Origin,
    article: Article,
    cache: ArticleCache,
}

impl Fixture {
    fn new() -> Fixture {
        let (library, cache_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let file = library.path().join("cached.md");
        write_settled(&file, ARTICLE).unwrap();
        let origin = Origin::File(file.clone());
        Fixture {
            stamp: Stamp::of(&file).unwrap(),
            article: parse_source(ARTICLE, origin.clone(), Detail::Text).unwrap(),
            cache: ArticleCache::new(cache_dir.path().to_path_buf()),
            _folders: (library, cache_dir),
            file,
            origin,
        }
    }

    /// The same, with the article already in the cache.
    fn stored() -> Fixture {
        let fixture = Fixture::new();
        fixture.cache.store(
            &fixture.file,
            fixture.stamp,
            ARTICLE.as_bytes(),
            &Outcome::Article(fixture.article.clone()),
            Detail::Text,
        );
        fixture
    }

    fn load(&self, stamp: Stamp, filter: Option<&dyn SearchFilter>) -> Option<Outcome> {
        self.cache
            .load(&self.file, stamp, &self.origin, filter, Detail::Text)
    }
}

#[test]
fn an_article_comes_back_exactly_as_the_search_parse_made_it() {
    let fixture = Fixture::stored();
    match fixture.load(fixture.stamp, None) {
        Some(Outcome::Article(loaded)) => assert_eq!(loaded, fixture.article),
        _ => panic!("the entry was not read back"),
    }
}

#[test]
fn an_entry_from_a_full_parse_serves_the_reader_and_a_search() {
    let fixture = Fixture::new();
    let full = parse_source(ARTICLE, fixture.origin.clone(), Detail::Full).unwrap();
    assert!(full.word_count > 0);
    fixture.cache.store(
        &fixture.file,
        fixture.stamp,
        ARTICLE.as_bytes(),
        &Outcome::Article(full.clone()),
        Detail::Full,
    );
    let load = |detail| {
        fixture
            .cache
            .load(&fixture.file, fixture.stamp, &fixture.origin, None, detail)
    };
    match load(Detail::Full) {
        Some(Outcome::Article(loaded)) => assert_eq!(loaded, full),
        _ => panic!("the full entry was not read back"),
    }
    match load(Detail::Text) {
        Some(Outcome::Article(loaded)) => assert_eq!(loaded, fixture.article),
        _ => panic!("the full entry did not serve a search"),
    }
}

#[test]
fn an_entry_from_a_search_has_no_word_count_for_the_reader() {
    let fixture = Fixture::stored();
    let loaded = fixture.cache.load(
        &fixture.file,
        fixture.stamp,
        &fixture.origin,
        None,
        Detail::Full,
    );
    assert!(loaded.is_none(), "a miss: the file is parsed in full");
}

#[test]
fn an_entry_keeps_no_sentences_and_a_full_load_splits_them_again() {
    let fixture = Fixture::new();
    let text = "# Sentences\n\nOne. Two? Three!\n\n## Part\n\n- Four. Five.\n";
    write_settled(&fixture.file, text).unwrap();
    let stamp = Stamp::of(&fixture.file).unwrap();
    let unsplit = parse_source(text, fixture.origin.clone(), Detail::Unsplit).unwrap();
    let full = parse_source(text, fixture.origin.clone(), Detail::Full).unwrap();
    assert!(full.blocks.iter().any(|block| block.sentences.len() > 1));
    fixture.cache.store(
        &fixture.file,
        stamp,
        text.as_bytes(),
        &Outcome::Article(unsplit.clone()),
        Detail::Unsplit,
    );
    let load = |detail| {
        fixture
            .cache
            .load(&fixture.file, stamp, &fixture.origin, None, detail)
    };
    match (load(Detail::Unsplit), load(Detail::Full)) {
        (Some(Outcome::Article(as_unsplit)), Some(Outcome::Article(as_full))) => {
            assert_eq!(as_unsplit, unsplit);
            assert_eq!(as_full, full);
        }
        _ => panic!("the entry was not read back"),
    }
}

#[test]
fn may_contain_sees_the_plain_text_and_skipping_keeps_the_id() {
    let fixture = Fixture::stored();
    let seen = std::sync::Mutex::new(String::new());
    let never = |text: &str| {
        text.clone_into(&mut seen.lock().unwrap());
        false
    };
    match fixture.load(fixture.stamp, Some(&never)) {
        Some(Outcome::Skipped { id }) => assert_eq!(id, "cached"),
        _ => panic!("the article should have been skipped"),
    }
    assert_eq!(*seen.lock().unwrap(), fixture.article.plain_text());
}

/// Rules out every block without the word "quote".
struct OnlyQuotes;

impl SearchFilter for OnlyQuotes {
    fn may_contain(&self, _: &str) -> bool {
        true
    }
    fn blocks_that_may_match(&self, text: &str, blocks: &[Range<usize>]) -> Vec<bool> {
        blocks
            .iter()
            .map(|block| text[block.clone()].contains("quote"))
            .collect()
    }
}

#[test]
fn passages_ruled_out_are_hollow_and_headings_stay() {
    let fixture = Fixture::stored();
    let Some(Outcome::Article(loaded)) = fixture.load(fixture.stamp, Some(&OnlyQuotes)) else {
        panic!("the entry was not read back");
    };
    assert_eq!(loaded.blocks.len(), fixture.article.blocks.len());
    for (loaded, parsed) in loaded.blocks.iter().zip(&fixture.article.blocks) {
        assert_eq!((loaded.kind, loaded.start), (parsed.kind, parsed.start));
        if parsed.is_passage() && !parsed.text.contains("quote") {
            assert!(loaded.text.is_empty(), "{:?} is not hollow", parsed.text);
        } else {
            assert_eq!(loaded.text, parsed.text);
        }
    }
    assert_eq!(loaded.sections, fixture.article.sections);
}

/// A view with its text copied out, to outlive the entry it was read from.
type OwnedView = (
    String,
    String,
    Vec<String>,
    Vec<(usize, usize, Option<usize>, String)>,
);

fn owned(view: &SearchView) -> OwnedView {
    (
        view.id.to_owned(),
        view.title.to_owned(),
        view.section_titles
            .iter()
            .map(|&title| title.to_owned())
            .collect(),
        view.passages
            .iter()
            .map(|p| (p.block, p.number, p.section, p.text.to_owned()))
            .collect(),
    )
}

impl Fixture {
    fn search(&self, stamp: Stamp, filter: &dyn SearchFilter) -> Option<Scanned<OwnedView>> {
        self.cache
            .search(&self.file, stamp, &self.origin, filter, &|view| owned(view))
    }
}

#[test]
fn searching_in_place_sees_what_the_parsed_article_shows() {
    let fixture = Fixture::stored();
    let everything = |_: &str| true;
    let Some(Scanned::Article { id, found }) = fixture.search(fixture.stamp, &everything) else {
        panic!("the entry was not searched");
    };
    assert_eq!(id, "cached");
    assert_eq!(found, owned(&SearchView::of(&fixture.article)));
    assert_eq!(found.2, ["First", "Deeper"]);
}

#[test]
fn searching_in_place_skips_what_the_filter_rules_out() {
    let fixture = Fixture::stored();
    let Some(Scanned::Article { found, .. }) = fixture.search(fixture.stamp, &OnlyQuotes) else {
        panic!("the entry was not searched");
    };
    let all = owned(&SearchView::of(&fixture.article)).3;
    let quotes: Vec<_> = all.into_iter().filter(|p| p.3.contains("quote")).collect();
    assert_eq!(quotes.len(), 1);
    assert_eq!(found.3, quotes, "numbered as among all passages");

    let never = |_: &str| false;
    match fixture.search(fixture.stamp, &never) {
        Some(Scanned::Skipped { id }) => assert_eq!(id, "cached"),
        _ => panic!("the article should have been skipped"),
    }
    let grown = Stamp {
        len: fixture.stamp.len + 1,
        ..fixture.stamp
    };
    assert!(fixture.search(grown, &OnlyQuotes).is_none(), "stale");
}

#[test]
fn a_failure_searched_in_place_is_the_failure() {
    let fixture = Fixture::new();
    fixture.cache.store(
        &fixture.file,
        fixture.stamp,
        ARTICLE.as_bytes(),
        &failed("broken"),
        Detail::Text,
    );
    match fixture.search(fixture.stamp, &OnlyQuotes) {
        Some(Scanned::Failed { reason, .. }) => assert_eq!(reason, "broken"),
        _ => panic!("the failure was not read back"),
    }
}

#[test]
fn failures_are_kept_with_their_reason() {
    let fixture = Fixture::new();
    let reason = "the front matter is broken";
    fixture.cache.store(
        &fixture.file,
        fixture.stamp,
        ARTICLE.as_bytes(),
        &failed(reason),
        Detail::Text,
    );
    match fixture.load(fixture.stamp, None) {
        Some(Outcome::Failed { reason: kept, .. }) => assert_eq!(kept, reason),
        _ => panic!("the failure was not read back"),
    }
}

#[test]
fn a_changed_file_or_a_damaged_entry_is_a_miss() {
    let fixture = Fixture::stored();
    let stamp = fixture.stamp;
    let grown = Stamp {
        len: stamp.len + 1,
        ..stamp
    };
    assert!(fixture.load(grown, None).is_none());
    let touched = Stamp {
        modified_ns: stamp.modified_ns + 1,
        ..stamp
    };
    assert!(fixture.load(touched, None).is_none());

    let entry = fixture.cache.entry_path(&fixture.file).unwrap();
    let bytes = fs::read(&entry).unwrap();
    for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
        fs::write(&entry, &bytes[..cut]).unwrap();
        assert!(fixture.load(stamp, None).is_none(), "cut at {cut}");
    }
    let mut garbled = bytes.clone();
    for byte in garbled.iter_mut().skip(bytes.len() / 3) {
        *byte = 0xff;
    }
    fs::write(&entry, &garbled).unwrap();
    assert!(fixture.load(stamp, None).is_none());
}

#[test]
fn entries_from_another_version_are_misses() {
    let fixture = Fixture::new();
    let entry = Entry {
        format: Cow::Borrowed("gloss-search-cache 0 0.0.0"),
        stamp: fixture.stamp,
        confirm: None,
        content: Content::Article(Box::new(CachedArticle::of(&fixture.article, Detail::Text))),
    };
    let path = fixture.cache.entry_path(&fixture.file).unwrap();
    write_entry(&path, &with_checksum(&entry).unwrap()).unwrap();
    assert!(fixture.load(fixture.stamp, None).is_none());
}

#[test]
fn pruning_removes_entries_of_files_that_are_gone() {
    let fixture = Fixture::stored();
    let gone = fixture.file.with_file_name("gone.md");
    fixture
        .cache
        .store(&gone, fixture.stamp, b"", &failed("whatever"), Detail::Text);
    let folder = fixture.file.parent().unwrap();
    fixture
        .cache
        .prune(folder, std::slice::from_ref(&fixture.file));
    assert!(fixture.cache.entry_path(&fixture.file).unwrap().exists());
    assert!(!fixture.cache.entry_path(&gone).unwrap().exists());
}

#[test]
fn an_unwritable_cache_only_costs_time() {
    let fixture = Fixture::new();
    // A file where the cache folder should be: nothing can be written.
    let blocked = fixture.file.with_file_name("blocked");
    fs::write(&blocked, "not a folder").unwrap();
    let cache = ArticleCache::new(blocked);
    cache.store(
        &fixture.file,
        fixture.stamp,
        ARTICLE.as_bytes(),
        &Outcome::Article(fixture.article.clone()),
        Detail::Text,
    );
    assert!(
        cache
            .load(
                &fixture.file,
                fixture.stamp,
                &fixture.origin,
                None,
                Detail::Text
            )
            .is_none()
    );
}

#[test]
fn an_entry_for_a_fresh_file_is_used_only_while_the_file_has_the_same_bytes() {
    let fixture = Fixture::new();
    // Rewritten just now: another change within the same tick of a coarse
    // file-system clock, or a rewrite with a backdated time, could leave
    // the same stamp.
    fs::write(&fixture.file, ARTICLE).unwrap();
    let fresh = Stamp::of(&fixture.file).unwrap();
    let outcome = Outcome::Article(fixture.article.clone());
    fixture.cache.store(
        &fixture.file,
        fresh,
        ARTICLE.as_bytes(),
        &outcome,
        Detail::Text,
    );
    assert!(matches!(
        fixture.load(fresh, None),
        Some(Outcome::Article(_))
    ));

    // The same size, other words, and (as a coarse clock would) the same stamp.
    let rewritten = ARTICLE.replace("Last words.", "Last bytes.");
    assert_eq!(rewritten.len(), ARTICLE.len());
    fs::write(&fixture.file, &rewritten).unwrap();
    assert!(
        fixture.load(fresh, None).is_none(),
        "the old text is never served"
    );
}

#[test]
fn a_flipped_bit_anywhere_in_an_entry_is_a_miss() {
    let fixture = Fixture::stored();
    let entry = fixture.cache.entry_path(&fixture.file).unwrap();
    let bytes = fs::read(&entry).unwrap();
    for at in 0..bytes.len() {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x10;
        fs::write(&entry, &flipped).unwrap();
        assert!(fixture.load(fixture.stamp, None).is_none(), "byte {at}");
    }
    // An escape sequence written into the text is damage like any other.
    let text_at = bytes.windows(5).position(|w| w == b"Intro").unwrap();
    let mut injected = bytes.clone();
    injected[text_at..text_at + 5].copy_from_slice(b"\x1b]0;P");
    fs::write(&entry, &injected).unwrap();
    assert!(fixture.load(fixture.stamp, None).is_none());
    fs::write(&entry, &bytes).unwrap();
    assert!(fixture.load(fixture.stamp, None).is_some());
}

#[test]
fn only_a_settled_stamp_with_fine_times_vouches_for_the_bytes() {
    let at = |seconds: u64| UNIX_EPOCH + Duration::from_secs(seconds);
    let fine = Stamp {
        len: 1,
        modified_ns: 100_000_000_007,
        inode: 1,
        changed_ns: 100_000_000_009,
    };
    assert!(!fine.needs_confirming(at(200)));
    assert!(fine.needs_confirming(at(101)), "fresh");
    let coarse = Stamp {
        modified_ns: 100_000_000_000,
        changed_ns: 100_000_000_000,
        ..fine
    };
    assert!(coarse.needs_confirming(at(200)));
    // A modification time set back does not hide a recent change.
    let backdated = Stamp {
        modified_ns: 7,
        ..fine
    };
    assert!(backdated.needs_confirming(at(101)));
}

#[test]
fn a_stamp_settles_three_seconds_after_the_change() {
    let changed_at_100 = Stamp {
        len: 1,
        modified_ns: 100_000_000_000,
        inode: 1,
        changed_ns: 100_000_000_000,
    };
    let at = |seconds: u64| UNIX_EPOCH + Duration::from_secs(seconds);
    assert!(!changed_at_100.has_settled(at(100)));
    assert!(!changed_at_100.has_settled(at(102)));
    assert!(changed_at_100.has_settled(at(103)));
    assert!(changed_at_100.has_settled(at(1_000_000)));
    // Modified "in the future" (a clock set back): not until time catches up.
    assert!(!changed_at_100.has_settled(at(50)));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// An entry changed anywhere, even with a checksum that agrees (say, a
    /// cache written by a buggy or hostile program), is read as a miss or
    /// an article, never a panic; and a load or a search of it agree.
    #[test]
    fn any_entry_decodes_or_misses(changes in proptest::collection::vec((0.0..1.0f64, proptest::prelude::any::<u8>()), 1..8)) {
        let fixture = Fixture::stored();
        let path = fixture.cache.entry_path(&fixture.file).unwrap();
        let mut bytes = fs::read(&path).unwrap();
        let body = bytes.len() - CHECKSUM_BYTES;
        for (at, byte) in changes {
            bytes[CHECKSUM_BYTES + (at * body as f64) as usize % body] = byte;
        }
        let checksum = xxh3_64(&bytes[CHECKSUM_BYTES..]);
        bytes[..CHECKSUM_BYTES].copy_from_slice(&checksum.to_le_bytes());
        fs::write(&path, &bytes).unwrap();
        let loaded = fixture.load(fixture.stamp, None);
        let everything = |_: &str| true;
        let searched = fixture.search(fixture.stamp, &everything);
        if let Some(Outcome::Article(article)) = &loaded {
            proptest::prop_assert!(article.blocks.iter().all(|b| b.text.len() <= bytes.len()));
        }
        // Whatever the load made of it, the search made the same.
        proptest::prop_assert_eq!(
            matches!(loaded, Some(Outcome::Article(_))),
            matches!(searched, Some(Scanned::Article { .. }))
        );
    }
}
