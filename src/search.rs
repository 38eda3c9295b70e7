//! Finding passages by keyword (being written).
