//! A synthetic library for measuring gloss at scale: Markdown articles of about
//! 50 KB each, with front matter, a `#` title, `##` sections every few
//! paragraphs, inline markup, lists and quotes, a few CJK paragraphs, and rare
//! words sprinkled thinly so that searches have both frequent and rare hits.
//!
//! The same seed always gives the same bytes (a small xorshift generator, no
//! dependency), so benchmark runs compare like with like. Shared by
//! `examples/gen_library.rs`, the benchmarks and the search tests, each
//! through `#[path]`.
#![allow(
    dead_code,
    reason = "each user of this module needs a different part of it"
)]

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// Bytes of Markdown to aim for in each article.
pub const ARTICLE_BYTES: usize = 50 * 1024;
/// Articles in the default library (about 50 MB in all).
pub const DEFAULT_ARTICLES: usize = 1000;
pub const DEFAULT_SEED: u64 = 42;

/// A frequent word of the generated prose and a rare one, for benchmarks.
pub const FREQUENT_WORD: &str = "funding";
pub const RARE_WORD: &str = "quokka";

/// Paragraphs per `##` section, on average.
const PARAGRAPHS_PER_SECTION: u64 = 6;
/// One paragraph in this many is Chinese or Japanese.
const CJK_ONE_IN: u64 = 30;
/// One word in this many is a rare word (about 30 of each in 50 MB).
const RARE_ONE_IN: u64 = 50_000;

const TAGS: &[&str] = &[
    "funding",
    "mobility",
    "metrics",
    "culture",
    "exchange",
    "policy",
    "research",
    "education",
    "diplomacy",
    "innovation",
    "health",
    "climate",
];

const WORDS: &[&str] = &[
    "the",
    "the",
    "the",
    "of",
    "of",
    "and",
    "and",
    "to",
    "to",
    "in",
    "in",
    "a",
    "a",
    "is",
    "that",
    "for",
    "on",
    "with",
    "as",
    "by",
    "was",
    "are",
    "it",
    "from",
    "at",
    "this",
    "be",
    "or",
    "which",
    "their",
    "have",
    "has",
    "its",
    "more",
    "than",
    "into",
    "between",
    "over",
    "many",
    "most",
    "new",
    "long",
    "public",
    "cultural",
    "exchange",
    "exchanges",
    "funding",
    "mobility",
    "metrics",
    "programme",
    "programmes",
    "students",
    "research",
    "researchers",
    "results",
    "policy",
    "policies",
    "partners",
    "partnership",
    "institutions",
    "universities",
    "museums",
    "embassies",
    "ministry",
    "foreign",
    "national",
    "international",
    "regional",
    "local",
    "network",
    "networks",
    "support",
    "trust",
    "years",
    "decade",
    "budget",
    "grants",
    "scholarships",
    "residencies",
    "artists",
    "scientists",
    "engineers",
    "teachers",
    "audiences",
    "visitors",
    "language",
    "languages",
    "translation",
    "archives",
    "libraries",
    "festival",
    "exhibition",
    "collaboration",
    "innovation",
    "technology",
    "startups",
    "industry",
    "markets",
    "trade",
    "growth",
    "evidence",
    "evaluation",
    "impact",
    "outcomes",
    "measures",
    "indicators",
    "survey",
    "surveys",
    "data",
    "report",
    "reports",
    "study",
    "analysis",
    "influence",
    "reputation",
    "image",
    "soft",
    "power",
    "diplomacy",
    "mission",
    "missions",
    "attaché",
    "consulate",
    "delegation",
    "agreement",
    "treaty",
    "summit",
    "dialogue",
    "cooperation",
    "competition",
    "strategy",
    "strategies",
    "priorities",
    "challenges",
    "opportunities",
    "risks",
    "costs",
    "benefits",
    "ties",
    "links",
    "bridges",
    "communities",
    "diaspora",
    "citizens",
    "governments",
    "agencies",
    "foundations",
    "donors",
    "sponsors",
    "private",
    "sector",
    "civil",
    "society",
    "media",
    "press",
    "broadcast",
    "digital",
    "online",
    "platforms",
    "education",
    "schools",
    "courses",
    "degrees",
    "alumni",
    "careers",
    "skills",
    "talent",
    "visas",
    "borders",
    "travel",
    "tourism",
    "heritage",
    "history",
    "memory",
    "identity",
    "values",
    "ideas",
    "knowledge",
    "science",
    "health",
    "climate",
    "energy",
    "water",
    "cities",
    "regions",
    "countries",
    "nations",
    "world",
    "global",
    "shared",
    "common",
    "open",
    "quiet",
    "slow",
    "steady",
    "careful",
    "durable",
    "lasting",
    "measured",
    "modest",
    "ambitious",
    "visible",
    "hidden",
    "early",
    "later",
    "often",
    "rarely",
    "always",
    "never",
    "perhaps",
    "indeed",
    "however",
    "therefore",
    "also",
    "still",
    "only",
    "even",
    "much",
    "less",
    "few",
    "several",
    "each",
    "every",
    "some",
    "other",
    "such",
    "same",
    "different",
    "small",
    "large",
    "young",
    "old",
    "first",
    "last",
    "next",
    "built",
    "grew",
    "changed",
    "showed",
    "found",
    "made",
    "took",
    "gave",
    "kept",
    "left",
    "helped",
    "asked",
    "argued",
    "noted",
    "suggests",
    "remains",
    "depends",
    "requires",
    "creates",
    "builds",
    "connects",
    "supports",
    "measures",
    "counts",
    "tracks",
    "compares",
    "café",
    "naïve",
    "über",
    "rôle",
    "élite",
    "Zürich",
    "São",
    "Paulo",
    "Kraków",
    "Straße",
];

const CJK_WORDS: &[&str] = &[
    "成果",
    "研究",
    "交流",
    "文化",
    "外交",
    "合作",
    "大学",
    "学生",
    "资金",
    "政策",
    "创新",
    "国际",
    "长期",
    "伙伴",
    "关系",
    "评估",
    "指标",
    "社会",
    "影响",
    "信任",
    "项目",
    "发展",
    "の",
    "と",
    "は",
    "が",
    "を",
    "する",
    "した",
    "ある",
    "いる",
    "研究者",
    "留学生",
];

const RARE_WORDS: &[&str] = &[
    RARE_WORD,
    "zymurgy",
    "palimpsest",
    "syzygy",
    "sesquipedalian",
];

/// A deterministic xorshift64* generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // Zero is the one state xorshift never leaves; mix the seed so nearby
        // seeds give unrelated streams.
        Rng((seed ^ 0x9E37_79B9_7F4A_7C15).wrapping_mul(0xBF58_476D_1CE4_E5B9) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Writes `articles` articles into `dir` (created if missing) as
/// `article-0001.md`, … dated an hour back, and returns the total number of
/// bytes written.
pub fn write_library(dir: &Path, articles: usize, seed: u64) -> io::Result<u64> {
    std::fs::create_dir_all(dir)?;
    let mut total = 0;
    for index in 0..articles {
        let text = article(index, seed);
        write_settled(&dir.join(file_name(index)), &text)?;
        total += text.len() as u64;
    }
    Ok(total)
}

/// Writes a library file dated an hour back: as a library is found on disk,
/// left alone for a while, which gloss waits for before it keeps a file's
/// parsed article in its cache.
pub fn write_settled(path: &Path, contents: impl AsRef<[u8]>) -> io::Result<()> {
    std::fs::write(path, contents)?;
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(path)?
        .set_modified(an_hour_ago)
}

/// The file name of article `index`.
pub fn file_name(index: usize) -> String {
    format!("article-{:04}.md", index + 1)
}

/// The Markdown text of article `index` of the library made with `seed`.
pub fn article(index: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed.wrapping_add((index as u64).wrapping_mul(0x1000_0000_01B3)));
    let mut out = String::with_capacity(ARTICLE_BYTES + 4096);
    let heading = title(&mut rng);
    let tag_count = rng.between(2, 4) as usize;
    let mut tags: Vec<&str> = Vec::with_capacity(tag_count);
    while tags.len() < tag_count {
        let tag = rng.pick(TAGS);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let _ = write!(
        out,
        "---\nid: synthetic-{:04}\ntitle: {heading}\ndate: {}-{:02}-{:02}\ntags: [{}]\n---\n\n# {heading}\n\n",
        index + 1,
        rng.between(2005, 2025),
        rng.between(1, 12),
        rng.between(1, 28),
        tags.join(", "),
    );
    let mut paragraphs_left = rng.between(2, 4);
    while out.len() < ARTICLE_BYTES {
        if paragraphs_left == 0 {
            let heading = title(&mut rng);
            let _ = write!(out, "## {heading}\n\n");
            paragraphs_left = rng.between(PARAGRAPHS_PER_SECTION - 3, PARAGRAPHS_PER_SECTION + 3);
        }
        paragraphs_left -= 1;
        match rng.below(20) {
            0 => list(&mut rng, &mut out),
            1 => {
                out.push_str("> ");
                paragraph(&mut rng, &mut out);
            }
            _ if rng.one_in(CJK_ONE_IN) => cjk_paragraph(&mut rng, &mut out),
            _ => paragraph(&mut rng, &mut out),
        }
        out.push_str("\n\n");
    }
    out
}

/// A title of three to seven words, capitalised.
fn title(rng: &mut Rng) -> String {
    let words = rng.between(3, 7);
    let mut title = String::new();
    for n in 0..words {
        if n > 0 {
            title.push(' ');
        }
        let word = rng.pick(WORDS);
        if n == 0 {
            push_capitalised(&mut title, word);
        } else {
            title.push_str(word);
        }
    }
    title
}

/// Four to nine sentences, hard-wrapped near 80 columns as people write them.
fn paragraph(rng: &mut Rng, out: &mut String) {
    let sentences = rng.between(4, 9);
    let mut column = 0;
    for n in 0..sentences {
        let mut sentence = String::new();
        self::sentence(rng, &mut sentence);
        for (i, word) in sentence.split(' ').enumerate() {
            if n > 0 || i > 0 {
                if column + word.len() > 78 {
                    out.push('\n');
                    column = 0;
                } else {
                    out.push(' ');
                    column += 1;
                }
            }
            out.push_str(word);
            column += word.len();
        }
    }
}

/// One sentence: 6 to 24 words, a comma or two, some inline markup, a rare
/// word now and then, and a full stop (sometimes `?` or `!`).
fn sentence(rng: &mut Rng, out: &mut String) {
    let words = rng.between(6, 24);
    for n in 0..words {
        if n > 0 {
            out.push(' ');
        }
        let word = if rng.one_in(RARE_ONE_IN) {
            rng.pick(RARE_WORDS)
        } else {
            rng.pick(WORDS)
        };
        match rng.below(60) {
            0 => {
                let _ = write!(out, "*{word}*");
            }
            1 => {
                let _ = write!(out, "**{word}**");
            }
            2 => {
                let _ = write!(out, "[{word}](https://example.org/{word})");
            }
            3 => {
                let _ = write!(out, "`{word}`");
            }
            _ if n == 0 => push_capitalised(out, word),
            _ => out.push_str(word),
        }
        if n + 1 < words && rng.one_in(9) {
            out.push(',');
        }
    }
    out.push(match rng.below(25) {
        0 => '?',
        1 => '!',
        _ => '.',
    });
}

/// A short bulleted list.
fn list(rng: &mut Rng, out: &mut String) {
    let items = rng.between(3, 6);
    for n in 0..items {
        if n > 0 {
            out.push('\n');
        }
        out.push_str("- ");
        sentence(rng, out);
    }
}

/// A paragraph of Chinese and Japanese words, with full-width sentence ends.
fn cjk_paragraph(rng: &mut Rng, out: &mut String) {
    let sentences = rng.between(3, 6);
    for _ in 0..sentences {
        for _ in 0..rng.between(6, 16) {
            out.push_str(rng.pick(CJK_WORDS));
        }
        out.push_str(if rng.one_in(8) { "？" } else { "。" });
    }
}

fn push_capitalised(out: &mut String, word: &str) {
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}
