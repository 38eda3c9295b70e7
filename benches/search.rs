//! Keyword search over a generated text (being written).

fn main() {}
