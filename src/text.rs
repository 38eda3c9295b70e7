//! Text as the terminal sees it: sanitizing what enters the program, measuring
//! display width by grapheme cluster, wrapping to a width, and splitting
//! passages into sentences. Pure functions, no terminal.

mod boundary;
mod sanitize;
mod sentences;
mod shown_path;
mod wrap;

pub use boundary::{ceil_boundary, floor_boundary};
pub use sanitize::{has_unterminated_sequence, sanitize_line, sanitize_text};
pub use sentences::{MAX_SENTENCE_BYTES, sentences};
pub use shown_path::{shown_name, shown_path};
pub use wrap::{TAB_WIDTH, display_width, wrap};
