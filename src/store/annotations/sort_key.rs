//! Sorting 100,000 highlights by their ids or articles without following a
//! pointer to each string at every comparison: with the highlights spread
//! over a hundred megabytes, those reads, not the comparisons, are what a
//! sort would spend its time on.

use std::cmp::Ordering;

/// The first 16 bytes of a string, padded with zeros, as a number, and the
/// string's length: enough to order two strings without reading them, unless
/// the 16 bytes are equal and one string is longer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SortKey {
    first: u128,
    len: usize,
}

const HELD: usize = 16;

impl SortKey {
    pub fn of(text: &str) -> SortKey {
        let mut bytes = [0u8; HELD];
        let held = text.len().min(HELD);
        bytes[..held].copy_from_slice(&text.as_bytes()[..held]);
        SortKey {
            first: u128::from_be_bytes(bytes),
            len: text.len(),
        }
    }

    /// The order of the two strings these keys were made of, the same as
    /// comparing the strings; `whole` compares them when the keys cannot.
    pub fn compare(self, other: SortKey, whole: impl FnOnce() -> Ordering) -> Ordering {
        self.first.cmp(&other.first).then_with(|| {
            // Equal first bytes and both held whole: the shorter string is
            // the other's beginning (the padding matched its zero bytes).
            if self.len.max(other.len) <= HELD {
                self.len.cmp(&other.len)
            } else {
                whole()
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn compared(a: &str, b: &str) -> Ordering {
        SortKey::of(a).compare(SortKey::of(b), || a.cmp(b))
    }

    proptest! {
        #[test]
        fn keys_order_strings_as_the_strings_do(
            a in "[a\\x00-\\x02]{0,20}",
            b in "[a\\x00-\\x02]{0,20}",
        ) {
            prop_assert_eq!(compared(&a, &b), a.cmp(&b));
        }

        #[test]
        fn keys_order_any_text_as_the_text_does(a in any::<String>(), b in any::<String>()) {
            prop_assert_eq!(compared(&a, &b), a.cmp(&b));
        }
    }

    #[test]
    fn short_strings_are_never_read() {
        let never = || panic!("read the strings");
        for (a, b) in [("abc", "abc\0"), ("", "\0"), ("h-1", "h-1"), ("a", "b")] {
            assert_eq!(SortKey::of(a).compare(SortKey::of(b), never), a.cmp(b));
        }
        let long = "0123456789abcdef-long";
        assert_eq!(
            SortKey::of(long).compare(SortKey::of("0123456789abcdef"), || Ordering::Greater),
            Ordering::Greater
        );
    }
}
