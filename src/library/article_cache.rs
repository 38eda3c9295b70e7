//! What gloss keeps between runs so that searching or opening a large library
//! costs about as much as reading its text once: for each library file, the
//! parsed article (metadata, sections, blocks and their plain text, and the
//! word count unless a search parsed it), or the reason the file could not be
//! used.
//!
//! An entry is trusted only while the file it came from has the same size,
//! modification time (and, on Unix, inode and change time) as when the entry
//! was made, and only by the same version of gloss. A stamp cannot always
//! tell: a file changed within a few seconds of the entry (another change in
//! the same tick of the file system's clock keeps the stamp), or on a file
//! system whose clock counts whole seconds (where `cp -p`, `rsync -t` and
//! `unzip` rewrite a file with the same size and a backdated time). Such an
//! entry also keeps a hash of the file's bytes and is used only while the
//! file still has them, as git confirms "racily clean" files. Every entry
//! carries a checksum of itself, so that a damaged one is a miss, never text.
//! Anything else — a missing, stale, truncated or garbled entry — is a miss:
//! the file is parsed again and the entry rewritten. The cache is never
//! needed: failing to read or write it only makes a search or an open slower.
//!
//! Layout: `<cache>/articles/<folder key>/<file key>`, one entry per file,
//! where the keys are hashes of the folder's absolute path and of the file's
//! name.

mod entry;

use std::borrow::Cow;
use std::fs;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use super::load::Outcome;
use super::parse::Detail;
use super::search_scan::Scanned;
use super::{Origin, SearchFilter, SearchView};
use entry::{CachedArticle, Content, Entry};

/// Changes whenever an entry's layout or what the parser makes of a file
/// changes; entries from another version of gloss are misses.
const FORMAT: &str = concat!("gloss-article-cache 4 ", env!("CARGO_PKG_VERSION"));

/// The cache of parsed articles under one folder.
#[derive(Debug)]
pub struct ArticleCache {
    root: PathBuf,
    /// Library files an open parsed without keeping them, for
    /// [`Library::keep_in_cache`](super::Library::keep_in_cache).
    unkept: Mutex<Vec<PathBuf>>,
}

/// What identifies one state of a file's contents without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Stamp {
    len: u64,
    modified_ns: i128,
    inode: u64,
    changed_ns: i128,
}

impl Stamp {
    /// The stamp of the file at `path` as it is now.
    pub(super) fn of(path: &Path) -> Option<Stamp> {
        let metadata = fs::metadata(path).ok().filter(fs::Metadata::is_file)?;
        let modified_ns = metadata
            .modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .map_or(-1, |age| {
                i128::try_from(age.as_nanos()).unwrap_or(i128::MAX)
            });
        let (inode, changed_ns) = unix_identity(&metadata);
        Some(Stamp {
            len: metadata.len(),
            modified_ns,
            inode,
            changed_ns,
        })
    }

    /// Whether the file was last changed long enough before `now` that a
    /// further change must show in its stamp. A change within the same tick
    /// of the file system's clock (two seconds on FAT, one on some others)
    /// keeps the times, and one of the same size would go unseen. The change
    /// time counts as well as the modification time: a program may set the
    /// modification time back, but not the change time.
    fn has_settled(&self, now: SystemTime) -> bool {
        let now_ns = now.duration_since(UNIX_EPOCH).map_or(0, |since| {
            i128::try_from(since.as_nanos()).unwrap_or(i128::MAX)
        });
        let last_change = self.modified_ns.max(self.changed_ns);
        now_ns.saturating_sub(last_change) >= SETTLE.as_nanos() as i128
    }

    /// Whether the stamp alone cannot vouch for the file's contents: it is
    /// fresh (see [`Stamp::has_settled`]), or its times are whole seconds,
    /// as on a file system with a coarse clock, where a rewrite with a
    /// backdated time can leave every part of the stamp as it was.
    fn needs_confirming(&self, now: SystemTime) -> bool {
        const SECOND: i128 = 1_000_000_000;
        let coarse = self.modified_ns % SECOND == 0 && self.changed_ns % SECOND == 0;
        coarse || !self.has_settled(now)
    }
}

/// How long a file must have been left alone before its stamp alone vouches
/// for its contents.
const SETTLE: Duration = Duration::from_secs(3);

/// Writes a library file for a test as if it had been written a minute ago
/// (its modification time; the change time is now).
#[cfg(test)]
pub(super) fn write_settled(path: &Path, contents: impl AsRef<[u8]>) -> std::io::Result<()> {
    fs::write(path, contents)?;
    let a_minute_ago = SystemTime::now() - Duration::from_secs(60);
    fs::File::options()
        .write(true)
        .open(path)?
        .set_modified(a_minute_ago)
}

#[cfg(unix)]
fn unix_identity(metadata: &fs::Metadata) -> (u64, i128) {
    use std::os::unix::fs::MetadataExt;
    let changed = i128::from(metadata.ctime()) * 1_000_000_000 + i128::from(metadata.ctime_nsec());
    (metadata.ino(), changed)
}

#[cfg(not(unix))]
fn unix_identity(_: &fs::Metadata) -> (u64, i128) {
    (0, 0)
}

impl ArticleCache {
    /// A cache kept under `root` (made when first written).
    pub fn new(root: PathBuf) -> ArticleCache {
        ArticleCache {
            root,
            unkept: Mutex::new(Vec::new()),
        }
    }

    /// Notes a library file parsed and not kept.
    pub(super) fn note_unkept(&self, file: &Path) {
        // A poisoned list only means a file is parsed again next time.
        if let Ok(mut unkept) = self.unkept.lock() {
            unkept.push(file.to_path_buf());
        }
    }

    /// The library files parsed and not kept since the last call.
    pub(super) fn take_unkept(&self) -> Vec<PathBuf> {
        self.unkept
            .lock()
            .map(|mut unkept| std::mem::take(&mut *unkept))
            .unwrap_or_default()
    }

    /// The folder holding the entries of library folder `folder`.
    fn folder_dir(&self, folder: &Path) -> PathBuf {
        let absolute = std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf());
        let key = key_of(absolute.as_os_str().as_encoded_bytes());
        self.root.join("articles").join(key)
    }

    fn entry_path(&self, file: &Path) -> Option<PathBuf> {
        let folder = file.parent()?;
        let name = file.file_name()?;
        Some(
            self.folder_dir(folder)
                .join(key_of(name.as_encoded_bytes())),
        )
    }

    /// What the entry for `file` holds, if it was made from the file as it is
    /// now (`stamp`), holds together, and has what `detail` asks for (an
    /// entry from a search's parse has no word count). When `may_contain`
    /// answers `false` for the article's text, the article is not built.
    pub(super) fn load(
        &self,
        file: &Path,
        stamp: Stamp,
        origin: &Origin,
        may_contain: Option<&dyn SearchFilter>,
        detail: Detail,
    ) -> Option<Outcome> {
        self.with_entry(file, |bytes| match open_entry(bytes, stamp, file)? {
            Err(reason) => Some(failed(origin, reason)),
            Ok(Opened {
                article,
                text,
                ranges,
            }) => {
                let wanted = match may_contain {
                    None => None,
                    Some(filter) if !filter.may_contain(text) => {
                        return Some(Outcome::Skipped {
                            id: article.id.into_owned(),
                        });
                    }
                    Some(filter) => Some(filter.blocks_that_may_match(text, &ranges)),
                };
                article
                    .to_article(text, &ranges, origin.clone(), wanted.as_deref(), detail)
                    .map(Outcome::Article)
            }
        })
    }

    /// Searches the entry for `file` in place, if it was made from the file
    /// as it is now (`stamp`) and holds together: `search` sees the article's
    /// passages that `filter` does not rule out, and nothing is copied out
    /// of the entry. An article whose text cannot match is not searched.
    pub(super) fn search<R>(
        &self,
        file: &Path,
        stamp: Stamp,
        origin: &Origin,
        filter: &dyn SearchFilter,
        search: &dyn Fn(&SearchView) -> R,
    ) -> Option<Scanned<R>> {
        self.with_entry(file, |bytes| match open_entry(bytes, stamp, file)? {
            Err(reason) => Some(Scanned::Failed {
                origin: origin.to_string(),
                reason: reason.into_owned(),
            }),
            Ok(Opened {
                article,
                text,
                ranges,
            }) => {
                if !filter.may_contain(text) {
                    return Some(Scanned::Skipped {
                        id: article.id.into_owned(),
                    });
                }
                let wanted = filter.blocks_that_may_match(text, &ranges);
                let view = article.to_view(text, &ranges, &wanted)?;
                let found = search(&view);
                Some(Scanned::Article {
                    id: article.id.into_owned(),
                    found,
                })
            }
        })
    }

    /// Calls `read` with the bytes of the entry for `file`, if there is one.
    fn with_entry<T>(&self, file: &Path, read: impl FnOnce(&[u8]) -> Option<T>) -> Option<T> {
        let path = self.entry_path(file)?;
        // Taken out rather than borrowed, so that nothing `read` does can
        // find the buffer in use.
        let mut bytes = ENTRY_BUFFER.take();
        bytes.clear();
        let entry_file = fs::File::open(&path).ok()?;
        // Through `take`, the read does not first ask the file's size: the
        // buffer is already as large as the entries before it.
        let mut whole = std::io::Read::take(entry_file, u64::MAX);
        let result = std::io::Read::read_to_end(&mut whole, &mut bytes)
            .ok()
            .and_then(|_| checked(&bytes))
            .and_then(read);
        ENTRY_BUFFER.set(bytes);
        result
    }
}

/// The article of an entry that is whole and current, its text checked.
struct Opened<'a> {
    article: Box<CachedArticle<'a>>,
    text: &'a str,
    /// Where each block's text lies in `text`.
    ranges: Vec<Range<usize>>,
}

/// Bytes of a checksum that lead every entry file.
const CHECKSUM_BYTES: usize = 8;

/// The bytes of an entry file for `entry`: its checksum, then the entry.
fn with_checksum(entry: &Entry) -> Option<Vec<u8>> {
    // Room for the checksum first, filled in once the entry is written.
    let mut bytes = postcard::to_extend(entry, vec![0; CHECKSUM_BYTES]).ok()?;
    let checksum = xxh3_64(&bytes[CHECKSUM_BYTES..]);
    bytes[..CHECKSUM_BYTES].copy_from_slice(&checksum.to_le_bytes());
    Some(bytes)
}

/// The entry in an entry file's `bytes`, if its checksum agrees.
fn checked(bytes: &[u8]) -> Option<&[u8]> {
    let (checksum, entry) = bytes.split_first_chunk::<CHECKSUM_BYTES>()?;
    (u64::from_le_bytes(*checksum) == xxh3_64(entry)).then_some(entry)
}

/// What the entry in `bytes` holds, if it is whole, current and for `stamp`
/// (and, when the stamp could not vouch for it, `file` still has the bytes
/// it was made from): the article, or why the file could not be used.
fn open_entry<'a>(
    bytes: &'a [u8],
    stamp: Stamp,
    file: &Path,
) -> Option<Result<Opened<'a>, Cow<'a, str>>> {
    let entry: Entry = postcard::from_bytes(bytes).ok()?;
    if entry.format != FORMAT || entry.stamp != stamp {
        return None;
    }
    if let Some(hash) = entry.confirm {
        let now = super::files::read_file(file).ok()?;
        if xxh3_64(&now) != hash {
            return None;
        }
    }
    Some(match entry.content {
        Content::Failed(reason) => Err(reason),
        Content::Article(mut article) => {
            // Read from `bytes`, the text is borrowed from them: taking it out
            // lets it outlive `article`.
            let Cow::Borrowed(text) = std::mem::take(&mut article.text) else {
                return None;
            };
            let text = simdutf8::basic::from_utf8(text).ok()?;
            let ranges = article.block_ranges(text)?;
            Ok(Opened {
                article,
                text,
                ranges,
            })
        }
    })
}

fn failed(origin: &Origin, reason: Cow<'_, str>) -> Outcome {
    Outcome::Failed {
        origin: origin.to_string(),
        reason: reason.into_owned(),
    }
}

impl ArticleCache {
    /// Records what parsing `file` (as it was at `stamp`, holding `source`)
    /// with `detail` gave: an article or a failure (a file left out unparsed
    /// has nothing to keep). Failing to write only means the next open parses
    /// the file again.
    pub(super) fn store(
        &self,
        file: &Path,
        stamp: Stamp,
        source: &[u8],
        outcome: &Outcome,
        detail: Detail,
    ) {
        let confirm = stamp
            .needs_confirming(SystemTime::now())
            .then(|| xxh3_64(source));
        let content = match outcome {
            Outcome::Article(article) => {
                Content::Article(Box::new(CachedArticle::of(article, detail)))
            }
            Outcome::Failed { reason, .. } => Content::Failed(Cow::Borrowed(reason)),
            Outcome::Skipped { .. } => return,
        };
        let Some(path) = self.entry_path(file) else {
            return;
        };
        let entry = Entry {
            format: Cow::Borrowed(FORMAT),
            stamp,
            confirm,
            content,
        };
        if let Some(bytes) = with_checksum(&entry) {
            let _ = write_entry(&path, &bytes);
        }
    }

    /// Removes the entries of `folder` for files no longer in `names`, and
    /// anything else left in its cache folder (say, an unfinished write).
    pub(super) fn prune(&self, folder: &Path, files: &[PathBuf]) {
        let dir = self.folder_dir(folder);
        let Ok(entries) = fs::read_dir(&dir) else {
            return;
        };
        let live: std::collections::HashSet<String> = files
            .iter()
            .filter_map(|file| file.file_name())
            .map(|name| key_of(name.as_encoded_bytes()))
            .collect();
        for entry in entries.flatten() {
            let name = entry.file_name();
            if !name.to_str().is_some_and(|name| live.contains(name)) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

thread_local! {
    /// Where this thread reads entries: a search reads a thousand of them,
    /// and fresh memory for each would cost more than reading it.
    static ENTRY_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Writes through a temporary file and a rename, so that a reader never sees
/// half an entry. No fsync: a lost entry is only a miss.
fn write_entry(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    // The folder exists for all but the first entry: make it only then.
    let mut temp = match tempfile::NamedTempFile::new_in(dir) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            // Private like every folder gloss makes: with `--data-dir` the
            // cache sits inside the data folder, and may be what makes it.
            let mut builder = fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir)?;
            tempfile::NamedTempFile::new_in(dir)?
        }
        temp => temp?,
    };
    temp.write_all(bytes)?;
    temp.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// A file name for `bytes`: 16 hex digits of their FNV-1a hash.
fn key_of(bytes: &[u8]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let hash = bytes
        .iter()
        .fold(OFFSET, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME));
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests;
