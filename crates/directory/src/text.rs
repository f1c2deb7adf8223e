//! Attribute text, stored once in an append-only arena and referred to by a packed [`TextRef`].
//!
//! A million users carry tens of millions of attribute values; one heap allocation per value would
//! cost more than parsing them. Values are appended to one byte arena and objects hold 8-byte refs.

/// A reference to a value in a [`TextArena`], or one of the two states a value can be in without
/// text: [`TextRef::UNKNOWN`] (the column was absent, so nothing is known) and [`TextRef::EMPTY`]
/// (the column was present and the cell empty: the object has no value).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct TextRef(u64);

const LEN_BITS: u32 = 24;
const LEN_MASK: u64 = (1 << LEN_BITS) - 1;
/// Longest single value kept; longer cells are cut (the ingest reports them).
pub const MAX_VALUE_LEN: usize = LEN_MASK as usize - 1;

impl TextRef {
    pub const UNKNOWN: TextRef = TextRef(u64::MAX);
    pub const EMPTY: TextRef = TextRef(0);

    pub(super) fn new(start: usize, len: usize) -> TextRef {
        debug_assert!(len > 0 && len <= MAX_VALUE_LEN);
        TextRef(((start as u64) << LEN_BITS) | len as u64)
    }
    pub fn is_unknown(self) -> bool {
        self == Self::UNKNOWN
    }
    pub fn is_empty(self) -> bool {
        self == Self::EMPTY
    }
    /// True when the ref carries text.
    pub fn has_value(self) -> bool {
        !self.is_unknown() && !self.is_empty()
    }
    pub(super) fn start(self) -> usize {
        (self.0 >> LEN_BITS) as usize
    }
    pub(super) fn len(self) -> usize {
        (self.0 & LEN_MASK) as usize
    }
    /// The same value in an arena that was appended after `base` bytes of another one.
    pub fn rebased(self, base: usize) -> TextRef {
        if self.has_value() {
            TextRef::new(self.start() + base, self.len())
        } else {
            self
        }
    }
}

/// Append-only UTF-8 storage. Only `&str` goes in, so every slice that comes out is valid UTF-8.
#[derive(Default, Debug, Clone)]
pub struct TextArena {
    bytes: String,
}

impl TextArena {
    pub fn with_capacity(cap: usize) -> Self {
        TextArena {
            bytes: String::with_capacity(cap),
        }
    }
    /// Stores `s`; the empty string becomes [`TextRef::EMPTY`]. Values over [`MAX_VALUE_LEN`]
    /// bytes are cut at a char boundary.
    pub fn push(&mut self, s: &str) -> TextRef {
        if s.is_empty() {
            return TextRef::EMPTY;
        }
        let s = truncate_at_char(s, MAX_VALUE_LEN);
        let start = self.bytes.len();
        self.bytes.push_str(s);
        TextRef::new(start, s.len())
    }
    /// The text of `r`: `None` for unknown, `Some("")` for empty.
    #[inline]
    pub fn get(&self, r: TextRef) -> Option<&str> {
        if r.is_unknown() {
            return None;
        }
        if r.is_empty() {
            return Some("");
        }
        // A `String` slice checks only that both ends are char boundaries (O(1)); the text
        // between them is valid UTF-8 by construction, so no value is re-validated per read.
        self.bytes.get(r.start()..r.start() + r.len())
    }
    pub fn len(&self) -> usize {
        self.bytes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
    pub fn reserve(&mut self, additional: usize) {
        self.bytes.reserve(additional);
    }
    /// Empties the arena, keeping its allocation.
    pub fn clear(&mut self) {
        self.bytes.clear();
    }
    /// Appends another arena; refs into `other` must be [`TextRef::rebased`] by the returned base.
    pub fn append(&mut self, other: &TextArena) -> usize {
        let base = self.bytes.len();
        self.bytes.push_str(&other.bytes);
        base
    }
}

pub fn truncate_at_char(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_empty_and_values_are_distinct() {
        let mut a = TextArena::default();
        let e = a.push("");
        let v = a.push("José");
        assert_eq!(a.get(TextRef::UNKNOWN), None);
        assert_eq!(a.get(e), Some(""));
        assert_eq!(a.get(v), Some("José"));
        assert!(v.has_value() && !e.has_value() && !TextRef::UNKNOWN.has_value());
    }

    #[test]
    fn rebasing_after_append_keeps_values() {
        let mut a = TextArena::default();
        a.push("abc");
        let mut b = TextArena::default();
        let r = b.push("Müller");
        let base = a.append(&b);
        assert_eq!(a.get(r.rebased(base)), Some("Müller"));
        assert_eq!(a.get(TextRef::EMPTY.rebased(base)), Some(""));
    }
}
