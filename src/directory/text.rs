//! Attribute text, referred to by a packed [`TextRef`]: in place in an input's own text when the
//! value is a slice of it, otherwise copied into an append-only arena.
//!
//! A million users carry tens of millions of attribute values; one heap allocation per value would
//! cost more than parsing them, and even one copy of them all is a third of a gigabyte of memory
//! that the system hands out anew (zeroed page by page) and the merge writes once more. Most
//! values of a UTF-8 export need neither unescaping nor re-encoding, so a ref points at them
//! where they are: in the file's mapped pages (the page cache's own) or its bytes as read.
//!
//! Refs address one space: arena offsets below [`SHARED_BASE`], each shared text from a base of
//! its own above it (handed out by [`SharedBases`]), so a ref means the same text in every arena
//! that knows the texts it points into.

use std::sync::Arc;

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

    fn new(start: usize, len: usize) -> TextRef {
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
    fn start(self) -> usize {
        (self.0 >> LEN_BITS) as usize
    }
    fn len(self) -> usize {
        (self.0 & LEN_MASK) as usize
    }
    /// The packed form, for compact storage of references.
    pub(crate) fn to_raw(self) -> u64 {
        self.0
    }
    pub(crate) fn from_raw(raw: u64) -> TextRef {
        TextRef(raw)
    }
    /// The same value in an arena that was appended after `base` bytes of another one (a ref
    /// into a shared text stays as it is).
    pub fn rebased(self, base: usize) -> TextRef {
        if self.has_value() && self.start() < SHARED_BASE {
            TextRef::new(self.start() + base, self.len())
        } else {
            self
        }
    }
}

/// Where shared texts start in the space of [`TextRef`] starts (40 bits): the arena has the
/// 512 GiB below, the shared texts the 512 GiB above.
const SHARED_BASE: usize = 1 << 39;
const SHARED_END: usize = 1 << 40;

/// Bytes that stay the same, at the same place, for as long as their owner lives.
///
/// # Safety
/// `bytes` must return the same slice (address, length and content) on every call, and no one
/// may change those bytes while the owner lives: [`SharedText`] checks once that a range of them
/// is UTF-8 and reads it as `str` from then on.
pub unsafe trait StableBytes: Send + Sync {
    fn bytes(&self) -> &[u8];
}

// SAFETY: a `Vec` held behind an `Arc` (as `SharedText` holds it) cannot be changed or moved.
unsafe impl StableBytes for Vec<u8> {
    fn bytes(&self) -> &[u8] {
        self
    }
}

/// An input's whole text, kept (with the bytes it lies in) for as long as refs point into it.
pub struct SharedText {
    owner: Arc<dyn StableBytes>,
    start: usize,
    len: usize,
}

impl SharedText {
    /// `text` as it lies in `owner`'s bytes, or `None` when it lies elsewhere (a transcoded copy).
    pub fn within(owner: Arc<dyn StableBytes>, text: &str) -> Option<SharedText> {
        let bytes = owner.bytes();
        let start = (text.as_ptr() as usize).checked_sub(bytes.as_ptr() as usize)?;
        (start + text.len() <= bytes.len()).then_some(SharedText {
            start,
            len: text.len(),
            owner,
        })
    }
    pub fn as_str(&self) -> &str {
        let bytes = &self.owner.bytes()[self.start..self.start + self.len];
        // SAFETY: `within` took these bytes as a `&str`, and the owner's bytes stay the same
        // (`StableBytes`). Checking them again would be a pass over the whole input per read.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }
}

impl std::fmt::Debug for SharedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SharedText({} bytes)", self.len)
    }
}

/// A shared text and the start of its refs.
#[derive(Clone, Debug)]
pub struct SharedSegment {
    base: usize,
    text: Arc<SharedText>,
}

/// Hands out the bases of shared texts, each past the last one's end, for one directory.
#[derive(Debug)]
pub struct SharedBases {
    next: usize,
}

impl Default for SharedBases {
    fn default() -> Self {
        SharedBases { next: SHARED_BASE }
    }
}

impl SharedBases {
    /// A base for `text`, or `None` once the space is used up (its values are then copied).
    pub fn segment(&mut self, text: SharedText) -> Option<SharedSegment> {
        let base = self.next;
        // One byte between texts, so no ref of one ends where the next starts.
        let end = base.checked_add(text.len)?.checked_add(1)?;
        (end <= SHARED_END).then(|| {
            self.next = end;
            SharedSegment {
                base,
                text: Arc::new(text),
            }
        })
    }
}

/// Append-only UTF-8 storage, and the shared texts its refs may point into. Only `&str` goes
/// in, so every slice that comes out is valid UTF-8.
#[derive(Default, Debug, Clone)]
pub struct TextArena {
    bytes: String,
    /// Ascending by base.
    shared: Vec<SharedSegment>,
}

impl TextArena {
    pub fn with_capacity(cap: usize) -> Self {
        TextArena {
            bytes: String::with_capacity(cap),
            shared: Vec::new(),
        }
    }
    /// Lets refs of this arena point into `segment`'s text.
    pub fn share(&mut self, segment: SharedSegment) {
        let at = self.shared.partition_point(|g| g.base < segment.base);
        if self.shared.get(at).is_none_or(|g| g.base != segment.base) {
            self.shared.insert(at, segment);
        }
    }
    /// Stores `s`: as a ref into the last shared text when it is a slice of it, else as a copy.
    /// The empty string becomes [`TextRef::EMPTY`]. Values over [`MAX_VALUE_LEN`] bytes are cut
    /// at a char boundary.
    #[inline]
    pub fn push(&mut self, s: &str) -> TextRef {
        if s.is_empty() {
            return TextRef::EMPTY;
        }
        let s = truncate_at_char(s, MAX_VALUE_LEN);
        if let Some(g) = self.shared.last() {
            let text = g.text.as_str();
            let at = (s.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
            if at < text.len() && s.len() <= text.len() - at {
                return TextRef::new(g.base + at, s.len());
            }
        }
        let start = self.bytes.len();
        debug_assert!(
            start + s.len() < SHARED_BASE,
            "the arena ran into the shared texts"
        );
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
        let (start, len) = (r.start(), r.len());
        if start >= SHARED_BASE {
            return self.get_shared(start, len);
        }
        // A `str` slice checks only that both ends are char boundaries (O(1)); the text
        // between them is valid UTF-8 by construction, so no value is re-validated per read.
        self.bytes.get(start..start + len)
    }
    fn get_shared(&self, start: usize, len: usize) -> Option<&str> {
        let i = self
            .shared
            .partition_point(|g| g.base <= start)
            .checked_sub(1)?;
        let g = &self.shared[i];
        let at = start - g.base;
        g.text.as_str().get(at..at + len)
    }
    /// The bytes the arena holds itself (not those of the texts it shares).
    pub fn len(&self) -> usize {
        self.bytes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
    pub fn reserve(&mut self, additional: usize) {
        self.bytes.reserve(additional);
    }
    /// Empties the arena, keeping its allocation, and lets go of the shared texts.
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.shared.clear();
    }
    /// Appends another arena (and shares its shared texts); refs into `other` must be
    /// [`TextRef::rebased`] by the returned base.
    pub fn append(&mut self, other: &TextArena) -> usize {
        let base = self.bytes.len();
        self.bytes.push_str(&other.bytes);
        for g in &other.shared {
            self.share(g.clone());
        }
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

    /// An input's bytes as read (a BOM, then UTF-8), and its text as the decoder hands it over.
    fn input(bytes: &[u8]) -> (Arc<dyn StableBytes>, SharedText) {
        let owner: Arc<dyn StableBytes> = Arc::new(bytes.to_vec());
        let text = std::str::from_utf8(&owner.bytes()[3..]).unwrap();
        let shared = SharedText::within(owner.clone(), text).unwrap();
        (owner, shared)
    }

    #[test]
    fn slices_of_a_shared_text_are_referred_to_and_the_rest_copied() {
        let mut bases = SharedBases::default();
        let (owner, shared) = input("\u{FEFF}name,city\nJosé,Zürich\n".as_bytes());
        let first = bases.segment(shared).unwrap();
        let text = first.text.as_str();
        assert_eq!(text, "name,city\nJosé,Zürich\n");
        let (_, shared) = input("\u{FEFF}Müller\n".as_bytes());
        let second = bases.segment(shared).unwrap();

        // A batch of the first file: its slices are refs, anything else is copied.
        let mut batch = TextArena::default();
        batch.share(first.clone());
        let jose = batch.push(&text[10..15]);
        let zurich = batch.push(&text[16..23]);
        let whole = batch.push(text);
        let copied = batch.push(&text[10..15].to_uppercase());
        assert_eq!(batch.len(), "JOSÉ".len());
        assert_eq!(batch.get(jose), Some("José"));
        assert_eq!(batch.get(whole), Some(text));

        // The directory's arena, after text of its own and both files' segments.
        let mut dir = TextArena::default();
        dir.push("abc");
        dir.share(second.clone());
        dir.share(first.clone());
        let base = dir.append(&batch);
        assert_eq!(dir.get(jose.rebased(base)), Some("José"));
        assert_eq!(dir.get(zurich.rebased(base)), Some("Zürich"));
        assert_eq!(dir.get(copied.rebased(base)), Some("JOSÉ"));
        let mut other = TextArena::default();
        other.share(second.clone());
        let muller = other.push(&second.text.as_str()[..7]);
        assert_eq!(dir.get(muller), Some("Müller"));
        // Each file's refs stay in its own range: the second's first byte is not the first's.
        assert_ne!(muller, dir.push(&text[..7]));

        // Text that does not lie in the owner's bytes (a transcoded copy) is not shared.
        let copy = String::from("name,city");
        assert!(SharedText::within(owner, &copy).is_none());
    }

    #[test]
    fn shared_bases_run_out_rather_than_overlap() {
        let mut bases = SharedBases {
            next: SHARED_END - 10,
        };
        let (_, shared) = input("\u{FEFF}abcdefgh".as_bytes());
        assert!(bases.segment(shared).is_some());
        let (_, shared) = input("\u{FEFF}ab".as_bytes());
        assert!(bases.segment(shared).is_none());
    }
}
