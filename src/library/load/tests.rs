#![allow(clippy::unwrap_used)]

use super::*;
use crate::library::article_cache::write_settled;

fn folder(path: &Path, optional: bool) -> Sources {
    Sources {
        bundled: false,
        folders: vec![Folder {
            path: path.to_path_buf(),
            optional,
        }],
    }
}

#[test]
fn bundled_articles_all_load_without_warnings() {
    let library = open(&Sources {
        bundled: true,
        folders: Vec::new(),
    });
    assert!(library.warnings.is_empty(), "{:?}", library.warnings);
    assert_eq!(library.articles.len(), bundled::files().len());
    assert!(
        library
            .articles
            .iter()
            .all(|a| matches!(a.origin, Origin::Bundled(_)))
    );
}

#[test]
fn progress_is_told_of_every_file() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..12 {
        fs::write(dir.path().join(format!("{i}.md")), "# T\n\nText.\n").unwrap();
    }
    let calls = std::sync::Mutex::new(Vec::new());
    let library = Library::open_with_progress(&folder(dir.path(), false), None, &|done, total| {
        calls.lock().unwrap().push((done, total));
    });
    assert_eq!(library.articles.len(), 12);
    let mut calls = calls.into_inner().unwrap();
    calls.sort_unstable();
    assert_eq!(calls, (1..=12).map(|done| (done, 12)).collect::<Vec<_>>());
}

/// `articles` with their passages split into sentences, as the reader opens them.
fn split(mut articles: Vec<Article>) -> Vec<Article> {
    articles.iter_mut().for_each(Article::split_sentences);
    articles
}

#[test]
fn through_the_cache_the_library_is_the_same_as_parsed() {
    let (dir, cache_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // With two things to warn about, which must come from the cache too.
    let article = "---\nid: cached\ntags: [a]\ntags: [b]\n---\n\n# Cached\n\nOne sentence. Another one, \
        with café and 成果。 A third?\n\n## Part\n\n> Quoted. Twice.\n\n- item one\n\n\
        ```\ncode. here \u{1b}]0;never ends\n```\n";
    write_settled(&dir.path().join("a.md"), article).unwrap();
    write_settled(&dir.path().join("b.md"), "# B\n\nText.\n").unwrap();
    write_settled(&dir.path().join("empty.md"), "").unwrap();
    let sources = folder(dir.path(), false);
    let cache = ArticleCache::new(cache_dir.path().to_path_buf());
    let parsed = open(&sources);
    let open_cached =
        || Library::open_with_progress(&sources, Some(CacheUse::Read(&cache)), &|_, _| {});
    let opened = open_cached();
    let about_a: Vec<&str> = parsed
        .warnings
        .iter()
        .filter(|w| w.origin.ends_with("a.md"))
        .map(|w| w.reason.as_str())
        .collect();
    assert_eq!(about_a.len(), 2, "{:?}", parsed.warnings);
    assert!(about_a[0].contains("line 4: `tags` is given more than once"));
    assert!(about_a[1].contains("escape sequence that never ends"));
    // The passages are not split into sentences until the reader opens the
    // article.
    assert!(opened.articles.iter().all(|a| !a.sentences_split));
    assert!(
        opened.articles[0]
            .blocks
            .iter()
            .all(|b| b.sentences.len() == 1),
        "one sentence a passage"
    );
    assert_eq!(opened.articles[0].word_count, parsed.articles[0].word_count);
    assert_eq!(split(opened.articles), parsed.articles);
    assert_eq!(opened.warnings, parsed.warnings);
    assert!(
        !cache_dir.path().join("articles").exists(),
        "opening writes nothing: filling the cache is left for later"
    );
    // Keeping what the open parsed, then opening from the cache (which
    // parses nothing, so leaves nothing to keep).
    for run in ["kept", "kept again"] {
        Library::keep_in_cache(&cache);
        let library = open_cached();
        assert!(library.articles.iter().all(|a| !a.sentences_split));
        assert_eq!(split(library.articles), parsed.articles, "{run}");
        assert_eq!(library.warnings, parsed.warnings, "{run}");
    }
    assert!(
        cache.take_unkept().is_empty(),
        "every file came from the cache"
    );
    // What the cache says is what opens, while the file is unchanged.
    let b = dir.path().join("b.md");
    let stand_in = parse_source(
        "# Stand-in\n\nFrom the cache.\n",
        Origin::File(b.clone()),
        Detail::Full,
    );
    let stamp = Stamp::of(&b).unwrap();
    cache.store(
        &b,
        stamp,
        &fs::read(&b).unwrap(),
        &Outcome::Article(stand_in.unwrap()),
        Detail::Full,
    );
    let titles: Vec<String> = open_cached()
        .articles
        .iter()
        .map(|a| a.meta.title.clone())
        .collect();
    assert_eq!(titles, ["Cached", "Stand-in"]);
    assert!(
        parsed.articles[0]
            .blocks
            .iter()
            .any(|block| block.sentences.len() > 2),
        "passages of several sentences, so that comparing split articles tells"
    );
    assert!(parsed.articles[0].word_count > 0);

    // An open that keeps what it parses leaves the next one nothing to parse.
    let kept_dir = tempfile::tempdir().unwrap();
    let kept = ArticleCache::new(kept_dir.path().to_path_buf());
    let opened =
        Library::open_with_progress(&sources, Some(CacheUse::ReadAndKeep(&kept)), &|_, _| {});
    assert_eq!(split(opened.articles), parsed.articles);
    let read_kept = Library::open_with_progress(&sources, Some(CacheUse::Read(&kept)), &|_, _| {});
    assert_eq!(split(read_kept.articles), parsed.articles);
    assert!(kept.take_unkept().is_empty(), "nothing left to parse");

    // A search's parse counts no words: its entries are not used to open the
    // library until filling makes them whole.
    let article_cache_dir = tempfile::tempdir().unwrap();
    let article_cache = ArticleCache::new(article_cache_dir.path().to_path_buf());
    Library::open_for_search(&sources, &|_: &str| true, Some(&article_cache));
    let read_only = Some(CacheUse::Read(&article_cache));
    let after_search = Library::open_with_progress(&sources, read_only, &|_, _| {});
    assert_eq!(split(after_search.articles), parsed.articles);
    assert_eq!(
        article_cache.take_unkept().len(),
        2,
        "a.md and b.md parsed again"
    );
    Library::open_with_progress(&sources, read_only, &|_, _| {});
    Library::keep_in_cache(&article_cache);
    let made_whole = Library::open_with_progress(&sources, read_only, &|_, _| {});
    assert_eq!(split(made_whole.articles), parsed.articles);
    assert!(article_cache.take_unkept().is_empty(), "made whole");
}

#[test]
fn files_load_in_name_order_and_hidden_or_other_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("b.md"), "# B\n\nText.\n").unwrap();
    fs::write(dir.path().join("a.MD"), "# A\n\nText.\n").unwrap();
    fs::write(dir.path().join(".hidden.md"), "# H\n\nText.\n").unwrap();
    fs::write(dir.path().join("notes.txt"), "# T\n\nText.\n").unwrap();
    let library = open(&folder(dir.path(), false));
    let titles: Vec<_> = library
        .articles
        .iter()
        .map(|a| a.meta.title.as_str())
        .collect();
    assert_eq!(titles, ["A", "B"]);
    assert!(library.warnings.is_empty());
}

#[test]
fn duplicate_ids_are_suffixed_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["one.md", "two.md", "three.md"] {
        fs::write(dir.path().join(name), "---\nid: same\n---\nText.\n").unwrap();
    }
    fs::write(dir.path().join("same-2.md"), "Text.\n").unwrap();
    let library = open(&folder(dir.path(), false));
    let ids: Vec<_> = library
        .articles
        .iter()
        .map(|a| a.meta.id.as_str())
        .collect();
    // In name order: one.md, same-2.md (its own id), three.md, two.md.
    assert_eq!(ids, ["same", "same-2", "same-3", "same-4"]);
    assert_eq!(library.warnings.len(), 2, "{:?}", library.warnings);
    assert!(library.warnings[0].origin.ends_with("three.md"));
    assert!(library.warnings[0].reason.contains("one.md"));
}

#[test]
fn a_new_file_does_not_take_the_id_of_the_article_that_had_it() {
    let dir = tempfile::tempdir().unwrap();
    let older = dir.path().join("b-older.md");
    fs::write(&older, "---\nid: shared\ntitle: Older\n---\nText.\n").unwrap();
    let a_minute_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    fs::File::options()
        .write(true)
        .open(&older)
        .unwrap()
        .set_modified(a_minute_ago)
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    // Sorts first by name, but came later.
    fs::write(
        dir.path().join("a-newcomer.md"),
        "---\nid: shared\ntitle: Newcomer\n---\nText.\n",
    )
    .unwrap();
    let library = open(&folder(dir.path(), false));
    let ids: Vec<(&str, &str)> = library
        .articles
        .iter()
        .map(|a| (a.meta.title.as_str(), a.meta.id.as_str()))
        .collect();
    assert_eq!(ids, [("Newcomer", "shared-2"), ("Older", "shared")]);
    assert_eq!(library.warnings.len(), 1, "{:?}", library.warnings);
    assert!(library.warnings[0].origin.ends_with("a-newcomer.md"));
    assert!(library.warnings[0].reason.contains("b-older.md"));
}

#[test]
fn missing_folders_warn_unless_optional() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    assert!(open(&folder(&missing, true)).warnings.is_empty());
    let warnings = open(&folder(&missing, false)).warnings;
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].origin.contains("nowhere"));
    assert!(warnings[0].reason.contains("not found"));
}

#[test]
fn a_file_given_as_folder_warns() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file.md");
    fs::write(&file, "Text.\n").unwrap();
    let warnings = open(&folder(&file, false)).warnings;
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].reason.contains("not a folder"),
        "{:?}",
        warnings[0]
    );
}

#[test]
fn the_same_folder_twice_loads_once() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), "Text.\n").unwrap();
    let mut sources = folder(dir.path(), false);
    sources.folders.push(sources.folders[0].clone());
    let library = open(&sources);
    assert_eq!(library.articles.len(), 1);
    assert!(library.warnings.is_empty());
}

#[cfg(unix)]
#[test]
fn sockets_and_pipes_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let _listener = std::os::unix::net::UnixListener::bind(dir.path().join("socket.md")).unwrap();
    let library = open(&folder(dir.path(), false));
    assert!(library.articles.is_empty());
    assert_eq!(library.warnings.len(), 1);
    assert!(library.warnings[0].reason.contains("not a regular file"));
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_to_files_only() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target.txt");
    fs::write(&target, "# Linked\n\nText.\n").unwrap();
    std::os::unix::fs::symlink(&target, dir.path().join("link.md")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("broken.md")).unwrap();
    let library = open(&folder(dir.path(), false));
    assert_eq!(library.articles.len(), 1);
    assert_eq!(library.articles[0].meta.title, "Linked");
    assert_eq!(library.warnings.len(), 1);
    assert!(library.warnings[0].origin.ends_with("broken.md"));
}
