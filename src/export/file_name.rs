//! File names for exports, made from article ids and tags that gloss does not
//! control: never a path out of the export folder, never hidden, never a name
//! an operating system reserves, and never two articles in one file, even on
//! file systems that ignore case.

use std::path::{Component, Path, PathBuf};

use unicode_segmentation::UnicodeSegmentation;

use super::ExportError;
use crate::annotation::text_hash;
use crate::text::sanitize_line;

/// The index of a folder of exports.
pub const INDEX_FILE_STEM: &str = "index";

/// Names that are not used as they are: gloss's own files, and the device
/// names Windows reserves (with any extension).
const RESERVED: &[&str] = &[
    INDEX_FILE_STEM,
    "tags",
    "con",
    "prn",
    "aux",
    "nul",
    "com0",
    "com1",
    "com2",
    "com3",
    "com4",
    "com5",
    "com6",
    "com7",
    "com8",
    "com9",
    "lpt0",
    "lpt1",
    "lpt2",
    "lpt3",
    "lpt4",
    "lpt5",
    "lpt6",
    "lpt7",
    "lpt8",
    "lpt9",
];

/// Longest stem taken from a name, in bytes, leaving room for the rest.
const MAX_STEM_BYTES: usize = 80;

/// A file stem for `name`: letters, digits, `-`, `_` and `.` as they are,
/// anything else (separators, spaces, punctuation) as `-`, without leading
/// or trailing dots and dashes. When that changes the name, or the name is
/// reserved, a short hash of the original is added, so two names that clean
/// up alike still get different stems, and the same name always the same.
pub fn file_stem(name: &str) -> String {
    let clean = sanitize_line(name);
    let mut stem = String::with_capacity(clean.len());
    for grapheme in clean.graphemes(true) {
        let keep = grapheme.chars().next().is_some_and(char::is_alphanumeric)
            || matches!(grapheme, "-" | "_" | ".");
        if keep {
            stem.push_str(grapheme);
        } else if !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let mut stem = cut_to(stem.trim_matches(['-', '.']), MAX_STEM_BYTES)
        .trim_matches(['-', '.'])
        .to_owned();
    let base = stem.split('.').next().unwrap_or_default().to_lowercase();
    if stem.is_empty() || stem != name || RESERVED.contains(&base.as_str()) {
        if stem.is_empty() {
            stem.push_str("untitled");
        }
        stem.push('-');
        stem.push_str(&text_hash(name)[..8]);
    }
    stem
}

/// A file name (`stem.extension`) for each of `names`, in order, no two the
/// same even ignoring case.
pub fn file_names(names: &[&str], extension: &str) -> Vec<String> {
    let mut stems: Vec<String> = names.iter().map(|name| file_stem(name)).collect();
    let mut taken = std::collections::HashSet::new();
    for (index, stem) in stems.iter_mut().enumerate() {
        let base = stem.clone();
        let mut attempt = index + 1;
        // Same id twice, or ids differing only in case: the place in the list
        // tells them apart.
        while !taken.insert(stem.to_lowercase()) {
            *stem = format!("{base}-{attempt}");
            attempt += names.len();
        }
    }
    stems
        .into_iter()
        .map(|stem| format!("{stem}.{extension}"))
        .collect()
}

/// `dir/file_name`, refused unless `file_name` is one plain, visible name:
/// no separators, no `.` or `..`, nothing that would lead out of `dir`.
pub fn path_in(dir: &Path, file_name: &str) -> Result<PathBuf, ExportError> {
    let mut components = Path::new(file_name).components();
    match (components.next(), components.next()) {
        (Some(Component::Normal(name)), None)
            if name == file_name
                && !file_name.starts_with('.')
                && !file_name.contains(['/', '\\']) =>
        {
            Ok(dir.join(file_name))
        }
        _ => Err(ExportError::UnsafeName {
            dir: dir.to_path_buf(),
            name: sanitize_line(file_name),
        }),
    }
}

/// The longest start of `text` of at most `max` bytes that ends between
/// graphemes.
fn cut_to(text: &str, max: usize) -> &str {
    let end = text
        .grapheme_indices(true)
        .map(|(i, g)| i + g.len())
        .take_while(|&end| end <= max)
        .last()
        .unwrap_or(0);
    &text[..end]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn tidy_ids_are_their_own_names() {
        assert_eq!(file_stem("cultural-diplomacy"), "cultural-diplomacy");
        assert_eq!(file_stem("成果_2025.v2"), "成果_2025.v2");
    }

    #[test]
    fn untidy_ids_are_cleaned_and_marked_with_a_hash() {
        let stem = file_stem("../../etc/passwd");
        assert!(stem.starts_with("etc-passwd-"), "{stem}");
        assert_eq!(stem.len(), "etc-passwd-".len() + 8);
        assert_ne!(file_stem("a/b"), file_stem("a b"));
        assert!(file_stem(".hidden").starts_with("hidden-"));
        assert!(file_stem("C:\\Windows\\x").starts_with("C-Windows-x-"));
        assert!(file_stem("..").starts_with("untitled-"));
        assert!(file_stem("").starts_with("untitled-"));
        assert!(file_stem("trailing.").starts_with("trailing-"));
        assert!(file_stem("tab\u{1b}[31m").starts_with("tab-"));
    }

    #[test]
    fn reserved_names_are_never_used_as_they_are() {
        for name in ["index", "INDEX", "con", "Nul.txt", "lpt1", "tags"] {
            let stem = file_stem(name);
            assert!(stem.starts_with(name), "{stem}");
            assert_ne!(stem, name);
        }
        assert_eq!(file_stem("console"), "console");
    }

    #[test]
    fn long_ids_are_cut_between_characters() {
        let stem = file_stem(&"成".repeat(100));
        assert!(stem.len() <= MAX_STEM_BYTES + 9, "{stem}");
        assert!(stem.starts_with("成成"));
    }

    #[test]
    fn names_never_collide_even_ignoring_case() {
        let names = file_names(&["Notes", "notes", "a", "a"], "md");
        assert_eq!(names, ["Notes.md", "notes-2.md", "a.md", "a-4.md"]);
    }

    #[test]
    fn paths_stay_inside_the_folder() {
        let dir = Path::new("/exports");
        assert_eq!(path_in(dir, "a.md").unwrap(), Path::new("/exports/a.md"));
        for bad in [
            "",
            ".",
            "..",
            "../a.md",
            "a/b.md",
            "/etc/x",
            ".hidden.md",
            "a\\b.md",
        ] {
            assert!(path_in(dir, bad).is_err(), "{bad:?}");
        }
    }
}
