//! Folding many terms' occurrences into the few ranges the reader lights up: the
//! view wants each lit stretch once, in order, however many terms hit it.

use std::ops::Range;

/// Sorts `ranges` and merges those that overlap or touch; empty ranges are dropped.
pub fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| r.start < r.end);
    ranges.sort_unstable_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_and_touching_ranges_merge() {
        assert_eq!(merge(vec![5..8, 0..2, 1..3, 3..4, 7..9]), vec![0..4, 5..9]);
    }

    #[test]
    fn contained_ranges_disappear_and_empty_ones_are_dropped() {
        assert_eq!(merge(vec![0..10, 2..3, 4..4, 12..12]), vec![0..10]);
    }

    #[test]
    fn separate_ranges_stay_separate_and_sorted() {
        assert_eq!(merge(vec![6..7, 0..1, 3..4]), vec![0..1, 3..4, 6..7]);
        assert!(merge(Vec::new()).is_empty());
    }
}
