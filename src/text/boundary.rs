//! Snapping byte offsets to character boundaries, for offsets that come from
//! files or from another version of a text and may point inside a character.

/// The nearest character boundary of `text` at or before `offset`.
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The nearest character boundary of `text` at or after `offset`.
pub fn ceil_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_snap_to_characters() {
        let text = "a成b";
        assert_eq!(floor_boundary(text, 2), 1);
        assert_eq!(ceil_boundary(text, 2), 4);
        assert_eq!(floor_boundary(text, 99), text.len());
        assert_eq!(ceil_boundary(text, 4), 4);
    }
}
