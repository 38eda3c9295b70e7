//! The fixed text of the layout gloss writes, matched byte for byte, and the
//! values between it, borrowed from the file and decoded the way `ron`
//! decodes them.

use jiff::Timestamp;

use crate::annotation::{
    Color, CurrentPlace, Highlight, PlaceState, TextAnchor, TextPosition, TextQuote,
};

/// A position in the text and the values that can be read there.
pub(super) struct Cursor<'a> {
    text: &'a str,
    pub at: usize,
}

/// One highlight as the file spells it, its strings still in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct EntryText<'a> {
    pub id: &'a str,
    article: &'a str,
    text_hash: &'a str,
    quote: QuoteText<'a>,
    position: TextPosition,
    placement: Option<PlaceText<'a>>,
    color: Color,
    /// The inside of the tags list, already read once.
    tags: &'a str,
    note: &'a str,
    created: Timestamp,
    updated: Timestamp,
}

/// A quote's three strings as the file spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct QuoteText<'a> {
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
}

impl QuoteText<'_> {
    fn describes(&self, quote: &TextQuote) -> bool {
        self.exact == quote.exact && self.prefix == quote.prefix && self.suffix == quote.suffix
    }

    fn to_quote(self) -> TextQuote {
        TextQuote {
            exact: self.exact.to_owned(),
            prefix: self.prefix.to_owned(),
            suffix: self.suffix.to_owned(),
        }
    }
}

/// A highlight's current placement as the file spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PlaceText<'a> {
    text_hash: &'a str,
    quote: QuoteText<'a>,
    position: TextPosition,
    state: PlaceState,
}

impl PlaceText<'_> {
    fn describes(&self, place: &CurrentPlace) -> bool {
        self.state == place.state
            && self.position == place.anchor.position
            && self.text_hash == place.text_hash
            && self.quote.describes(&place.anchor.quote)
    }

    fn to_place(self) -> CurrentPlace {
        CurrentPlace {
            text_hash: self.text_hash.to_owned(),
            anchor: TextAnchor {
                quote: self.quote.to_quote(),
                position: self.position,
            },
            state: self.state,
        }
    }
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str, at: usize) -> Cursor<'a> {
        Cursor { text, at }
    }

    pub fn rest(&self) -> &'a [u8] {
        self.text.as_bytes().get(self.at..).unwrap_or_default()
    }

    /// Steps over `literal` if the text continues with it.
    pub fn eat(&mut self, literal: &str) -> bool {
        let found = self.rest().starts_with(literal.as_bytes());
        if found {
            self.at += literal.len();
        }
        found
    }

    pub fn expect(&mut self, literal: &str) -> Option<()> {
        self.eat(literal).then_some(())
    }

    /// One highlight, from the line with its `(` to the line with its `)`.
    pub fn entry(&mut self) -> Option<EntryText<'a>> {
        self.expect("        (\n            id: ")?;
        let id = self.string()?;
        self.expect(",\n            article: ")?;
        let article = self.string()?;
        self.expect(",\n            text_hash: ")?;
        let text_hash = self.string()?;
        self.expect(",\n            anchor: ")?;
        let (quote, position) = self.anchor()?;
        let placement = if self.eat(",\n            placement: Some((text_hash: ") {
            let text_hash = self.string()?;
            self.expect(", anchor: ")?;
            let (quote, position) = self.anchor()?;
            self.expect(", state: ")?;
            let state = self.state()?;
            self.expect("))")?;
            Some(PlaceText {
                text_hash,
                quote,
                position,
                state,
            })
        } else {
            None
        };
        self.expect(",\n            color: ")?;
        let color = self.color()?;
        self.expect(",\n            tags: [")?;
        let tags = self.tags()?;
        self.expect(",\n            note: ")?;
        let note = self.string()?;
        self.expect(",\n            created: ")?;
        let created_text = self.string()?;
        let created = parse_timestamp(created_text)?;
        self.expect(",\n            updated: ")?;
        let updated_text = self.string()?;
        // Most highlights were never edited: the same text, parsed once.
        let updated = if updated_text == created_text {
            created
        } else {
            parse_timestamp(updated_text)?
        };
        self.expect(",\n        ),\n")?;
        Some(EntryText {
            id,
            article,
            text_hash,
            quote,
            position,
            placement,
            color,
            tags,
            note,
            created,
            updated,
        })
    }

    /// `(quote: (exact: …, prefix: …, suffix: …), position: (block: …,
    /// start: …, end: …))`.
    fn anchor(&mut self) -> Option<(QuoteText<'a>, TextPosition)> {
        self.expect("(quote: (exact: ")?;
        let exact = self.string()?;
        self.expect(", prefix: ")?;
        let prefix = self.string()?;
        self.expect(", suffix: ")?;
        let suffix = self.string()?;
        self.expect("), position: (block: ")?;
        let block = self.usize()?;
        self.expect(", start: ")?;
        let start = self.usize()?;
        self.expect(", end: ")?;
        let end = self.usize()?;
        self.expect("))")?;
        let quote = QuoteText {
            exact,
            prefix,
            suffix,
        };
        Some((quote, TextPosition { block, start, end }))
    }

    fn state(&mut self) -> Option<PlaceState> {
        let rest = self.rest();
        let state = [
            PlaceState::Moved,
            PlaceState::Fuzzy,
            PlaceState::Accepted,
            PlaceState::Reattached,
        ]
        .into_iter()
        .find(|state| {
            let name = state.name().as_bytes();
            rest.starts_with(name) && rest.get(name.len()) == Some(&b')')
        })?;
        self.at += state.name().len();
        Some(state)
    }

    /// A string as `ron` reads it: `"…"` up to the next quote, taken as it is
    /// when it holds no backslash (escapes are left to `ron`), or a raw string
    /// `r#"…"#` up to the first quote followed by as many `#`.
    pub fn string(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let (content, after) = match rest.first()? {
            b'"' => {
                let len = memchr::memchr(b'"', &rest[1..])?;
                let content = 1..1 + len;
                if memchr::memchr(b'\\', &rest[content.clone()]).is_some() {
                    return None;
                }
                (content, len + 2)
            }
            b'r' => {
                let hashes = rest[1..].iter().take_while(|&&b| b == b'#').count();
                let open = 1 + hashes;
                if rest.get(open) != Some(&b'"') {
                    return None;
                }
                let mut closing = Vec::with_capacity(1 + hashes);
                closing.push(b'"');
                closing.resize(1 + hashes, b'#');
                let len = memchr::memmem::find(&rest[open + 1..], &closing)?;
                (open + 1..open + 1 + len, open + 1 + len + closing.len())
            }
            _ => return None,
        };
        // Both ends sit next to ASCII bytes, so they are character boundaries.
        let value = self
            .text
            .get(self.at + content.start..self.at + content.end)?;
        self.at += after;
        Some(value)
    }

    /// Decimal digits without a sign, a leading zero or separators.
    pub fn number(&mut self) -> Option<u64> {
        let rest = self.rest();
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || (digits > 1 && rest[0] == b'0') {
            return None;
        }
        let mut value: u64 = 0;
        for &digit in &rest[..digits] {
            value = value
                .checked_mul(10)?
                .checked_add(u64::from(digit - b'0'))?;
        }
        self.at += digits;
        Some(value)
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.number()?).ok()
    }

    pub fn timestamp(&mut self) -> Option<Timestamp> {
        parse_timestamp(self.string()?)
    }

    fn color(&mut self) -> Option<Color> {
        let rest = self.rest();
        let color = Color::ALL.into_iter().find(|color| {
            let name = color.name().as_bytes();
            rest.starts_with(name) && rest.get(name.len()) == Some(&b',')
        })?;
        self.at += color.name().len();
        Some(color)
    }

    /// `[]` or `["a", "b"]` after the opening bracket: the text inside.
    fn tags(&mut self) -> Option<&'a str> {
        let start = self.at;
        if !self.eat("]") {
            loop {
                self.string()?;
                if self.eat("]") {
                    break;
                }
                self.expect(", ")?;
            }
        }
        self.text.get(start..self.at - 1)
    }
}

impl<'a> EntryText<'a> {
    /// Whether `highlight` is exactly what this entry says, so that the copy
    /// at hand can stand for it. The cheap fields are compared first.
    pub fn describes(&self, highlight: &Highlight) -> bool {
        let quote = &highlight.anchor.quote;
        self.updated == highlight.updated
            && self.created == highlight.created
            && self.position == highlight.anchor.position
            && self.color == highlight.color
            && self.id == highlight.id
            && self.article == highlight.article
            && self.text_hash == highlight.text_hash
            && self.quote.describes(quote)
            && match (&self.placement, &highlight.placement) {
                (None, None) => true,
                (Some(text), Some(place)) => text.describes(place),
                _ => false,
            }
            && self.note == highlight.note
            && self.tags().eq(highlight.tags.iter().map(String::as_str))
    }

    pub fn to_highlight(&self) -> Highlight {
        Highlight {
            id: self.id.to_owned(),
            article: self.article.to_owned(),
            text_hash: self.text_hash.to_owned(),
            anchor: TextAnchor {
                quote: self.quote.to_quote(),
                position: self.position,
            },
            placement: self.placement.map(PlaceText::to_place),
            color: self.color,
            tags: self.tags().map(str::to_owned).collect(),
            note: self.note.to_owned(),
            created: self.created,
            updated: self.updated,
        }
    }

    /// The tags, read again from the list's text (which was read once
    /// already, so it holds only strings and separators).
    fn tags(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let mut cursor = Cursor::new(self.tags, 0);
        std::iter::from_fn(move || {
            let tag = cursor.string()?;
            cursor.eat(", ");
            Some(tag)
        })
    }
}

/// The same parser the timestamp's serde form uses.
fn parse_timestamp(text: &str) -> Option<Timestamp> {
    text.parse().ok()
}
