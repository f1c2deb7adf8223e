//! Distinguished names: RFC 4514 comparison, interning, and the parts the model needs (parent,
//! domain, first RDN value).
//!
//! Two spellings of one DN (`CN=Smith\, John,OU=Staff` and `cn=smith\2c john, ou=staff`) intern to
//! the same [`DnId`]. The common DN (ASCII, no escapes, no spaces around separators) is hashed and
//! compared in place; only the others are rewritten to a canonical lowercase key.

use super::fold::{DnShape, ci_hash, dn_shape, lowercase};
use std::borrow::Cow;

/// Dense id of an interned DN.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct DnId(pub u32);

impl DnId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Why a value is not a DN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnError {
    Empty,
    NoAttributeType,
    DanglingEscape,
    /// A `\` followed by what RFC 4514 does not escape (the backslash and the next character).
    BadEscape(String),
    /// Longer than [`DnLimits::bytes`].
    TooLong {
        bytes: usize,
        max: usize,
    },
    /// More levels than [`DnLimits::depth`].
    TooDeep {
        levels: usize,
        max: usize,
    },
}

/// How large a DN a batch takes. Each parent of a DN is interned whole, so memory grows with
/// the square of its length: a DN over these is damage or an attack, refused before anything
/// is built from it. The ingest sets them (`--limit dn-length=…`, `--limit dn-depth=…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DnLimits {
    /// The longest DN taken, in bytes. Active Directory's own paths stay far below 16 KiB.
    pub bytes: usize,
    /// The most levels (RDNs) in a DN taken: real directories nest OUs a dozen deep.
    pub depth: usize,
}

impl DnLimits {
    pub const DEFAULT: DnLimits = DnLimits {
        bytes: 16 * 1024,
        depth: 256,
    };
    /// For DNs already taken and their parts (a parent is shorter than its DN), and for
    /// lookups: what is over a limit was never interned.
    pub const NONE: DnLimits = DnLimits {
        bytes: usize::MAX,
        depth: usize::MAX,
    };

    /// Refuses a DN over the limits before anything is built from it.
    fn check(self, dn: &str) -> Result<(), DnError> {
        if dn.len() > self.bytes {
            return Err(DnError::TooLong {
                bytes: dn.len(),
                max: self.bytes,
            });
        }
        // Commas bound the levels from above; count exactly only when they could be too many.
        if memchr_count(dn.as_bytes(), b',') >= self.depth {
            let levels = rdns(dn).count();
            if levels > self.depth {
                return Err(DnError::TooDeep {
                    levels,
                    max: self.depth,
                });
            }
        }
        Ok(())
    }
}

impl Default for DnLimits {
    fn default() -> Self {
        DnLimits::DEFAULT
    }
}

/// What was expected instead, as "expected {this}" reads in the input report.
impl std::fmt::Display for DnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DnError::Empty => f.write_str("a distinguished name, found an empty value"),
            DnError::NoAttributeType => {
                f.write_str("a distinguished name (TYPE=value pairs such as CN=…,OU=…,DC=…)")
            }
            DnError::DanglingEscape => {
                f.write_str("a distinguished name, found one ending in a lone backslash")
            }
            DnError::BadEscape(found) => write!(
                f,
                "a distinguished name, found the escape {found}: a DN escape is \\ followed by \
                 one of ,+\"\\<>;= # space or two hex digits"
            ),
            DnError::TooLong { bytes, max } => write!(
                f,
                "a distinguished name of at most {max} bytes, found {bytes}"
            ),
            DnError::TooDeep { levels, max } => write!(
                f,
                "a distinguished name at most {max} levels deep, found {levels}"
            ),
        }
    }
}

fn memchr_count(b: &[u8], c: u8) -> usize {
    b.iter().filter(|&&x| x == c).count()
}

/// Splits `dn` at unescaped commas outside quotes, giving the raw RDN slices (untrimmed).
pub fn rdns(dn: &str) -> impl Iterator<Item = &str> {
    let b = dn.as_bytes();
    let mut start = 0;
    let mut i = 0;
    let mut in_quotes = false;
    let mut done = dn.is_empty();
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                b'"' => {
                    in_quotes = !in_quotes;
                    i += 1
                }
                b',' if !in_quotes => {
                    let r = &dn[start..i];
                    i += 1;
                    start = i;
                    return Some(r);
                }
                _ => i += 1,
            }
        }
        done = true;
        Some(&dn[start.min(dn.len())..])
    })
}

/// Byte offset where the parent DN starts (after the first unescaped comma), if any.
fn parent_offset(dn: &str) -> Option<usize> {
    let first = rdns(dn).next()?;
    let off = first.len() + 1;
    (off < dn.len()).then_some(off)
}

/// The DN of the container holding `dn` (`None` for a top-level DN).
pub fn parent(dn: &str) -> Option<&str> {
    parent_offset(dn).map(|o| dn[o..].trim_start())
}

/// Splits an RDN `type=value` into its trimmed type and raw value.
fn split_rdn(rdn: &str) -> Option<(&str, &str)> {
    let eq = rdn.find('=')?;
    let ty = rdn[..eq].trim();
    if ty.is_empty() {
        return None;
    }
    Some((ty, rdn[eq + 1..].trim_matches(' ')))
}

/// Decodes RFC 4514 escapes (`\,` and `\2C`) and surrounding quotes of an attribute value.
pub fn unescape_value(v: &str) -> Cow<'_, str> {
    let v = v.trim_matches(' ');
    let v = if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        &v[1..v.len() - 1]
    } else {
        v
    };
    if !v.contains('\\') {
        return Cow::Borrowed(v);
    }
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            let hex = b.get(i + 1..i + 3).and_then(|h| {
                std::str::from_utf8(h)
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            });
            match hex {
                Some(byte) => {
                    out.push(byte);
                    i += 3;
                }
                None => {
                    out.push(b[i + 1]);
                    i += 2;
                }
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// Escapes a value as RFC 4514 requires, in one canonical way.
fn escape_value_into(v: &str, out: &mut String) {
    let last = v.chars().count().saturating_sub(1);
    for (i, c) in v.chars().enumerate() {
        // RFC 4514's required escapes only (not `=`), so a DN that needs none is its own key.
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && (c == '#' || c == ' '))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
}

/// The canonical comparison key of `dn`: the DN itself when simple, else a lowercase rewrite with
/// canonical escapes and no insignificant spaces. Linear in the DN's length: its size is
/// bounded where a DN is taken ([`DnKey::of`]).
pub fn canonical_key(dn: &str) -> Result<Cow<'_, str>, DnError> {
    let dn = dn.trim_matches(' ');
    if dn.is_empty() {
        return Err(DnError::Empty);
    }
    match dn_shape(dn.as_bytes()) {
        DnShape::Ascii(_) => return Ok(Cow::Borrowed(dn)),
        DnShape::Unicode => return Ok(Cow::Owned(lowercase(dn))),
        DnShape::Complex => {}
    }
    // Only here: the simple shapes hold no backslash.
    check_escapes(dn)?;
    let mut out = String::with_capacity(dn.len());
    for (i, rdn) in rdns(dn).enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Multi-valued RDNs (`CN=a+UID=b`) keep their order; each part is canonicalised.
        for (j, part) in split_unescaped(rdn, b'+').enumerate() {
            if j > 0 {
                out.push('+');
            }
            let (ty, val) = split_rdn(part)
                .filter(|(ty, _)| attribute_type(ty))
                .ok_or(DnError::NoAttributeType)?;
            out.push_str(&ty.to_lowercase());
            out.push('=');
            escape_value_into(&lowercase(&unescape_value(val)), &mut out);
        }
    }
    Ok(Cow::Owned(out))
}

/// Every `\` of `dn` starts an RFC 4514 escape: one of `,+"\<>;=`, a space, `#` or two hex
/// digits. A hand-typed `\k` or `\ZZ` was read as `k` or `ZZ` and made a DN that named nothing,
/// unsaid.
fn check_escapes(dn: &str) -> Result<(), DnError> {
    let b = dn.as_bytes();
    let mut i = 0;
    while let Some(at) = b[i..].iter().position(|&c| c == b'\\') {
        let at = i + at;
        let Some(&next) = b.get(at + 1) else {
            return Err(DnError::DanglingEscape);
        };
        if matches!(
            next,
            b',' | b'+' | b'"' | b'\\' | b'<' | b'>' | b';' | b'=' | b' ' | b'#'
        ) {
            i = at + 2;
        } else if next.is_ascii_hexdigit() && b.get(at + 2).is_some_and(u8::is_ascii_hexdigit) {
            i = at + 3;
        } else {
            let escaped = dn[at + 1..].chars().next().unwrap_or_default();
            return Err(DnError::BadEscape(format!("\\{escaped}")));
        }
    }
    Ok(())
}

/// An attribute type as RFC 4514 writes it: a name (a letter, then letters, digits and
/// hyphens) or a numeric OID. Anything else (`\,`, a quote) is not a DN, and letting it through
/// made keys that did not read back as themselves (found by tests/fuzz.rs).
fn attribute_type(ty: &str) -> bool {
    let ty = ty.trim_matches(' ');
    let mut chars = ty.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => chars.all(|c| c.is_ascii_alphanumeric() || c == '-'),
        Some(c) if c.is_ascii_digit() => ty
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())),
        _ => false,
    }
}

fn split_unescaped(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        while i < b.len() {
            if b[i] == b'\\' {
                i += 2;
            } else if b[i] == sep {
                let r = &s[start..i];
                i += 1;
                start = i;
                return Some(r);
            } else {
                i += 1;
            }
        }
        done = true;
        Some(&s[start.min(s.len())..])
    })
}

/// The unescaped value of the first RDN (`Smith, John` for `CN=Smith\, John,OU=…`).
pub fn first_rdn_value(dn: &str) -> Option<Cow<'_, str>> {
    let first = rdns(dn).next()?;
    split_rdn(first).map(|(_, v)| unescape_value(v))
}

/// The attribute type of the first RDN, e.g. `OU` or `CN`.
pub fn first_rdn_type(dn: &str) -> Option<&str> {
    rdns(dn).next().and_then(split_rdn).map(|(t, _)| t)
}

/// The DNS name of the domain a DN lies in, from its trailing `DC=` components
/// (`CN=x,OU=y,DC=corp,DC=contoso,DC=local` → `corp.contoso.local`), lowercased.
pub fn domain_of(dn: &str) -> Option<String> {
    let mut labels: Vec<Cow<'_, str>> = Vec::new();
    for rdn in rdns(dn) {
        match split_rdn(rdn) {
            Some((ty, v)) if ty.eq_ignore_ascii_case("DC") => labels.push(unescape_value(v)),
            _ => labels.clear(),
        }
    }
    if labels.is_empty() {
        return None;
    }
    Some(labels.join(".").to_lowercase())
}

/// The DN of a domain from its DNS name (`contoso.com` → `DC=contoso,DC=com`).
pub fn domain_dn(dns_name: &str) -> String {
    dns_name
        .split('.')
        .filter(|l| !l.is_empty())
        .map(|l| format!("DC={l}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Asks the CPU to start loading the cache line holding `v`: a hint, it reads nothing.
pub(super) fn prefetch<T>(v: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never faults, whatever the address; `v` is a valid reference anyway.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>((v as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = v;
}

/// A DN with its comparison key and hash computed once, to look it up in several interners.
pub struct DnKey<'a> {
    /// The DN as written, trimmed.
    pub display: &'a str,
    /// The canonical key when it differs from `display`.
    key: Option<String>,
    hash: u64,
}

impl<'a> DnKey<'a> {
    /// The hash of the key, as the interners and the snapshot's filter place it.
    pub fn hash(&self) -> u64 {
        self.hash
    }
    /// The key of `dn`, refused when over `limits`.
    pub fn of(dn: &'a str, limits: DnLimits) -> Result<DnKey<'a>, DnError> {
        let display = dn.trim_matches(' ');
        limits.check(display)?;
        let key = match dn_shape(display.as_bytes()) {
            DnShape::Ascii(hash) => {
                return Ok(DnKey {
                    display,
                    key: None,
                    hash,
                });
            }
            // What `canonical_key` would give, without shaping the DN a second time: half the
            // DNs of a European directory hold an accented letter.
            DnShape::Unicode => Cow::Owned(lowercase(display)),
            DnShape::Complex => canonical_key(display)?,
        };
        let hash = ci_hash(key.as_bytes());
        let key = match key {
            Cow::Owned(k) => Some(k),
            Cow::Borrowed(_) => None,
        };
        Ok(DnKey { display, key, hash })
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    hash: u64,
    start: u64,
    display_len: u32,
    /// Length of the canonical key stored right after the display text; 0 when the display text is
    /// its own key.
    key_len: u32,
}

impl Entry {
    /// Where the comparison key lies in the arena, and its length.
    fn key_span(&self) -> (u64, u32) {
        if self.key_len == 0 {
            (self.start, self.display_len)
        } else {
            (self.start + self.display_len as u64, self.key_len)
        }
    }
}

/// A slot of the open-addressing table: everything a lookup compares, so a probe goes from the
/// slot straight to the key bytes without loading the entry (at a million users the interner far
/// exceeds the caches and every load of a lookup is a miss). `key_len == 0` marks an empty slot:
/// no DN is empty.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    hash: u64,
    /// Where the key starts in the arena, with [`Slot::PLAIN`] set when the key is the DN as
    /// first written (ASCII and canonical up to case).
    key_at: u64,
    key_len: u32,
    id: u32,
}

impl Slot {
    const PLAIN: u64 = 1 << 63;
    fn new(hash: u64, e: &Entry, id: u32) -> Slot {
        let (key_start, key_len) = e.key_span();
        let plain = if e.key_len == 0 { Slot::PLAIN } else { 0 };
        Slot {
            hash,
            key_at: key_start | plain,
            key_len,
            id,
        }
    }
    fn key_start(&self) -> usize {
        (self.key_at & !Slot::PLAIN) as usize
    }
    fn is_plain(&self) -> bool {
        self.key_at & Slot::PLAIN != 0
    }
    /// As stored: three words, all zero for an empty slot, so that a new table is a zero-filled
    /// allocation the system hands out without a pass over it (a million DNs take 100 MB of
    /// slots, which writing up front cost the serial merge a stall).
    fn to_raw(self) -> [u64; 3] {
        [
            self.hash,
            self.key_at,
            self.key_len as u64 | (self.id as u64) << 32,
        ]
    }
    fn from_raw(r: [u64; 3]) -> Slot {
        Slot {
            hash: r[0],
            key_at: r[1],
            key_len: r[2] as u32,
            id: (r[2] >> 32) as u32,
        }
    }
}

/// Interns DNs by their RFC 4514 identity, keeping the first spelling seen for display.
#[derive(Default, Debug, Clone)]
pub struct DnInterner {
    /// Linear probing, a power of two long and at most 70% full ([`Slot::to_raw`]).
    slots: Vec<[u64; 3]>,
    entries: Vec<Entry>,
    arena: String,
}

/// The DNs the directory held when a file began, for the threads that parse it to look DNs up in
/// (never to intern into): the interner as it was, and a filter of its keys' hashes.
#[derive(Debug)]
pub struct DnSnapshot {
    dns: DnInterner,
    filter: HashFilter,
}

impl DnSnapshot {
    /// Like [`DnInterner::find_key_spelled`], turning most DNs the snapshot has not got away at
    /// the filter, without touching the table.
    pub fn find_key_spelled(&self, k: &DnKey) -> Option<(DnId, Option<u64>)> {
        if !self.filter.may_hold(k.hash) {
            return None;
        }
        self.dns.find_key_spelled(k)
    }

    /// Starts loading the block of the filter a lookup of `hash` will test.
    pub fn prefetch_filter(&self, hash: u64) {
        self.filter.prefetch(hash);
    }
}

impl std::ops::Deref for DnSnapshot {
    type Target = DnInterner;
    fn deref(&self) -> &DnInterner {
        &self.dns
    }
}

/// A blocked Bloom filter over key hashes: whether a table may hold a key, from one cache line.
/// A snapshot the parse threads look new DNs up in (at a million users, every user's own DN and
/// its manager's, while the snapshot holds the groups) answers most of them from here, in the
/// core's own cache, instead of from a slot of a table far larger than it.
#[derive(Debug)]
struct HashFilter {
    blocks: Vec<[u64; 8]>,
}

impl HashFilter {
    /// Bits a hash sets, all in one 512-bit block.
    const BITS_PER_HASH: u32 = 6;

    fn of(hashes: impl ExactSizeIterator<Item = u64>) -> HashFilter {
        // About 12 bits a key: under 1% of absent keys pass.
        let blocks = (hashes.len() * 12 / 512 + 1).next_power_of_two();
        let mut f = HashFilter {
            blocks: vec![[0; 8]; blocks],
        };
        for h in hashes {
            let (b, bits) = f.place(h);
            for (w, m) in f.blocks[b].iter_mut().zip(bits) {
                *w |= m;
            }
        }
        f
    }

    /// The block of `hash` and the bits it sets there. The table's slot is chosen by the hash's
    /// low bits, so the block comes from its high bits and the bits from a remix.
    fn place(&self, hash: u64) -> (usize, [u64; 8]) {
        let b = Self::block_of(hash, self.blocks.len());
        let mut m = hash.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(31);
        let mut bits = [0u64; 8];
        for _ in 0..Self::BITS_PER_HASH {
            let at = (m & 511) as usize;
            bits[at / 64] |= 1 << (at % 64);
            m >>= 9;
        }
        (b, bits)
    }

    /// The block of `hash` among `blocks` (a power of two).
    fn block_of(hash: u64, blocks: usize) -> usize {
        (hash >> 32) as usize & (blocks - 1)
    }

    fn prefetch(&self, hash: u64) {
        let b = Self::block_of(hash, self.blocks.len());
        if let Some(block) = self.blocks.get(b) {
            prefetch(block);
        }
    }

    /// False only when no hash the filter was made of is `hash`.
    fn may_hold(&self, hash: u64) -> bool {
        let (b, bits) = self.place(hash);
        self.blocks[b].iter().zip(bits).all(|(w, m)| w & m == m)
    }
}

impl DnInterner {
    /// Empties the interner, keeping its allocations (an all-zero slot is empty).
    pub fn clear(&mut self) {
        self.slots.fill([0; 3]);
        self.entries.clear();
        self.arena.clear();
    }

    /// A copy of this interner for lookups only, with a filter that turns most lookups of DNs it
    /// has not got away without touching its table.
    pub fn snapshot(&self) -> DnSnapshot {
        DnSnapshot {
            dns: self.clone(),
            filter: HashFilter::of(self.entries.iter().map(|e| e.hash)),
        }
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn key_of(&self, e: &Entry) -> &str {
        let (s, n) = e.key_span();
        &self.arena[s as usize..s as usize + n as usize]
    }

    /// The DN as first seen.
    pub fn display(&self, id: DnId) -> &str {
        let e = &self.entries[id.index()];
        let s = e.start as usize;
        &self.arena[s..s + e.display_len as usize]
    }

    /// Where the DN as first seen lies in the text: its start and length, for
    /// [`DnInterner::text_at`].
    pub fn display_span(&self, id: DnId) -> (u64, u32) {
        let e = &self.entries[id.index()];
        (e.start, e.display_len)
    }

    /// The text at a span [`DnInterner::display_span`] gave.
    pub fn text_at(&self, start: u64, len: u32) -> Option<&[u8]> {
        self.arena
            .as_bytes()
            .get(start as usize..start as usize + len as usize)
    }

    /// Starts loading the text at `start`.
    pub fn prefetch_text(&self, start: u64) {
        if let Some(b) = self.arena.as_bytes().get(start as usize) {
            prefetch(b);
        }
    }

    fn home(&self, hash: u64) -> usize {
        hash as usize & (self.slots.len() - 1)
    }

    /// The first slot a lookup of `hash` reads; `None` while the table is empty.
    fn home_slot(&self, hash: u64) -> Option<Slot> {
        (!self.slots.is_empty()).then(|| self.slot(self.home(hash)))
    }

    fn slot(&self, i: usize) -> Slot {
        Slot::from_raw(self.slots[i])
    }

    /// Starts loading the first slot a lookup of `hash` reads, so that the cache misses of
    /// several lookups overlap rather than add up.
    pub fn prefetch_slot(&self, hash: u64) {
        if !self.slots.is_empty() {
            prefetch(&self.slots[self.home(hash)]);
        }
    }

    /// Starts loading the stored key a lookup of `hash` will compare, once its slot is loaded.
    pub fn prefetch_key(&self, hash: u64) {
        if let Some(s) = self.home_slot(hash)
            && s.hash == hash
            && let Some(b) = self.arena.as_bytes().get(s.key_start())
        {
            prefetch(b);
        }
    }

    /// The first slot from `hash`'s home that is empty or holds a key `found` accepts. The
    /// table is never empty here and never full, so the probe ends.
    fn probe_where(&self, hash: u64, found: impl Fn(&Slot) -> bool) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        loop {
            let s = self.slot(i);
            if s.key_len == 0 || (s.hash == hash && found(&s)) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// The stored key of a full slot.
    fn key_bytes(&self, s: &Slot) -> &[u8] {
        &self.arena.as_bytes()[s.key_start()..][..s.key_len as usize]
    }

    /// The slot holding `key`, or the empty slot where it would go.
    fn probe(&self, hash: u64, key: &str) -> usize {
        self.probe_where(hash, |s| {
            s.key_len as usize == key.len() && {
                let stored = self.key_bytes(s);
                stored == key.as_bytes() || stored.eq_ignore_ascii_case(key.as_bytes())
            }
        })
    }

    /// The slot holding `key`, if interned.
    fn find_slot(&self, hash: u64, key: &str) -> Option<Slot> {
        if self.slots.is_empty() {
            return None;
        }
        Some(self.slot(self.probe(hash, key))).filter(|s| s.key_len != 0)
    }

    fn find(&self, hash: u64, key: &str) -> Option<DnId> {
        self.find_slot(hash, key).map(|s| DnId(s.id))
    }

    /// Makes room for `additional` more DNs without growing the table on the way.
    pub fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
        // The text too, at the length of the DNs so far (or a typical one), with room to spare.
        let per_dn = match self.entries.len() {
            0 => 80,
            n => self.arena.len() / n + 1,
        };
        self.arena
            .reserve(additional.saturating_mul(per_dn) / 4 * 5);
        let want = super::key_index::table_len(self.entries.len() + additional);
        if want > self.slots.len() {
            self.rehash(want);
        }
    }

    /// Makes room for `additional` more bytes of DN text. [`DnInterner::reserve`] can only guess
    /// from the DNs so far, which may be another file's shorter ones (groups before users): at a
    /// million users its guess fell short by half a megabyte, and the text doubled (and copied
    /// 79 MB) for the last few batches.
    pub fn reserve_text(&mut self, additional: usize) {
        self.arena.reserve(additional);
    }

    /// Bytes of DN text held.
    pub fn text_len(&self) -> usize {
        self.arena.len()
    }

    fn rehash(&mut self, len: usize) {
        self.slots = vec![[0; 3]; len];
        let mask = len - 1;
        for (id, e) in self.entries.iter().enumerate() {
            let mut i = e.hash as usize & mask;
            while self.slot(i).key_len != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = Slot::new(e.hash, e, id as u32).to_raw();
        }
    }

    /// The id of `dn`, if interned.
    pub fn get(&self, dn: &str) -> Option<DnId> {
        self.find_key(&DnKey::of(dn, DnLimits::NONE).ok()?)
    }

    /// Interns `dn` (trimmed), returning its id. The interner takes a DN of any size: the
    /// limits apply where DNs come in from the inputs ([`crate::RecordBatch`]).
    pub fn intern(&mut self, dn: &str) -> Result<DnId, DnError> {
        Ok(self.intern_key(&DnKey::of(dn, DnLimits::NONE)?))
    }

    /// The id of a DN whose key is already computed.
    pub fn find_key(&self, k: &DnKey) -> Option<DnId> {
        self.find(k.hash, k.key.as_deref().unwrap_or(k.display))
    }

    /// Like [`DnInterner::find_key`], and where the text holds the DN spelled exactly as `k` (so a
    /// cache of exact spellings may remember it and check a hit against those bytes), if it does:
    /// told from the bytes the probe just compared rather than by loading the entry (a cache miss
    /// at a million users).
    pub fn find_key_spelled(&self, k: &DnKey) -> Option<(DnId, Option<u64>)> {
        let s = self.find_slot(k.hash, k.key.as_deref().unwrap_or(k.display))?;
        let stored = self.key_bytes(&s);
        // Usually the entry is its own key, so these bytes are its first spelling. When it is not
        // (a canonical key stored apart), a cache keyed on this spelling verifies before it
        // trusts a hit, and only loses the slot.
        let exact = match k.key {
            None => (stored == k.display.as_bytes()).then_some(s.key_start() as u64),
            // A non-ASCII or escaped DN: its stored key is a rewrite, so compare the spelling.
            Some(_) => {
                let id = DnId(s.id);
                (self.display(id) == k.display).then(|| self.display_span(id).0)
            }
        };
        Some((DnId(s.id), exact))
    }

    /// The id of `dn` when it is written, up to ASCII case, as a stored DN that is its own key
    /// (the common spelling: ASCII, no escapes, no spaces around separators), found from `hash`
    /// = `ci_hash(dn)` alone; and, when `dn` is that spelling byte for byte, where the text holds
    /// it. Such a `dn` has the same shape as the stored one, so the RFC 4514 pass of
    /// [`DnKey::of`] would find the same entry: it is needed only for DNs this misses.
    pub fn find_plain(&self, hash: u64, dn: &str) -> Option<(DnId, Option<u64>)> {
        if self.slots.is_empty() {
            return None;
        }
        // Mostly spelled as stored: a plain comparison settles those faster than a case-blind one,
        // and says at once whether the spelling is exact.
        let exact = std::cell::Cell::new(false);
        let s = self.slot(self.probe_where(hash, |s| {
            s.is_plain() && s.key_len as usize == dn.len() && {
                let stored = self.key_bytes(s);
                exact.set(stored == dn.as_bytes());
                exact.get() || stored.eq_ignore_ascii_case(dn.as_bytes())
            }
        }));
        (s.key_len != 0).then(|| (DnId(s.id), exact.get().then_some(s.key_start() as u64)))
    }

    /// Interns a DN whose key is already computed (so a lookup elsewhere first costs nothing).
    pub fn intern_key(&mut self, k: &DnKey) -> DnId {
        self.insert_prehashed(k.hash, k.display, k.key.as_deref())
    }

    fn insert_prehashed(&mut self, hash: u64, display: &str, key: Option<&str>) -> DnId {
        if super::key_index::over_full(self.entries.len() + 1, self.slots.len()) {
            self.rehash(super::key_index::table_len(self.entries.len() + 1));
        }
        let key_str = key.unwrap_or(display);
        let i = self.probe(hash, key_str);
        let s = self.slot(i);
        if s.key_len != 0 {
            return DnId(s.id);
        }
        let id = self.entries.len() as u32;
        let start = self.arena.len() as u64;
        self.arena.push_str(display);
        let key_len = match key {
            Some(k) => {
                self.arena.push_str(k);
                k.len() as u32
            }
            None => 0,
        };
        let e = Entry {
            hash,
            start,
            display_len: display.len() as u32,
            key_len,
        };
        self.slots[i] = Slot::new(hash, &e, id).to_raw();
        self.entries.push(e);
        DnId(id)
    }

    /// Interns every DN of `other` (in its id order) and returns the map from its ids to ours.
    pub fn absorb(&mut self, other: &DnInterner) -> Vec<DnId> {
        self.reserve(other.len());
        // The hashes are known up front: the slots a few DNs ahead are loaded while this one is
        // placed, so the cache misses of the probes overlap.
        const AHEAD: usize = 8;
        for e in other.entries.iter().take(AHEAD) {
            self.prefetch_slot(e.hash);
        }
        other
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                if let Some(next) = other.entries.get(i + AHEAD) {
                    self.prefetch_slot(next.hash);
                }
                let s = e.start as usize;
                let display = &other.arena[s..s + e.display_len as usize];
                let key = (e.key_len > 0).then(|| other.key_of(e));
                self.insert_prehashed(e.hash, display, key)
            })
            .collect()
    }

    pub fn ids(&self) -> impl Iterator<Item = DnId> + use<> {
        (0..self.entries.len() as u32).map(DnId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_finds_what_it_holds_and_turns_most_others_away() {
        let mut dns = DnInterner::default();
        let dn = |i: u32| format!("CN=Group {i},OU=Groups,DC=contoso,DC=com");
        let ids: Vec<DnId> = (0..20_000).map(|i| dns.intern(&dn(i)).unwrap()).collect();
        let snap = dns.snapshot();
        for (i, &id) in ids.iter().enumerate() {
            let text = dn(i as u32);
            let key = DnKey::of(&text, DnLimits::NONE).unwrap();
            assert_eq!(snap.find_key_spelled(&key).map(|f| f.0), Some(id));
        }
        let absent = (0..20_000u32)
            .map(|i| format!("CN=User {i},OU=Staff,DC=contoso,DC=com"))
            .filter(|d| {
                snap.filter
                    .may_hold(DnKey::of(d, DnLimits::NONE).unwrap().hash)
            })
            .count();
        assert!(
            absent < 400,
            "{absent} of 20,000 absent DNs passed the filter"
        );
        // What is interned into a copy of the snapshot's DNs is found: no filter comes with it.
        let mut grown = (*snap).clone();
        let new = grown
            .intern("CN=User 1,OU=Staff,DC=contoso,DC=com")
            .unwrap();
        let key = DnKey::of("CN=User 1,OU=Staff,DC=contoso,DC=com", DnLimits::NONE).unwrap();
        assert_eq!(grown.find_key_spelled(&key).map(|f| f.0), Some(new));
        assert_eq!(snap.find_key_spelled(&key), None);
    }

    #[test]
    fn prefetching_is_a_hint_even_on_an_empty_interner() {
        let key = DnKey::of("CN=a,DC=x", DnLimits::NONE).unwrap();
        let mut dns = DnInterner::default();
        dns.prefetch_slot(key.hash);
        dns.prefetch_key(key.hash);
        let id = dns.intern_key(&key);
        dns.prefetch_slot(key.hash);
        dns.prefetch_key(key.hash);
        let (found, at) = dns.find_key_spelled(&key).unwrap();
        assert_eq!(found, id);
        assert_eq!(dns.text_at(at.unwrap(), 9), Some(&b"CN=a,DC=x"[..]));
        let other = DnKey::of("cn=A,dc=X", DnLimits::NONE).unwrap();
        assert_eq!(dns.find_key_spelled(&other), Some((id, None)));
    }

    #[test]
    fn the_plain_lookup_finds_only_dns_that_are_their_own_key() {
        use super::super::fold::ci_hash;
        let mut dns = DnInterner::default();
        let plain = dns.intern("CN=Sales,OU=Groups,DC=contoso,DC=com").unwrap();
        let escaped = dns
            .intern("CN=Smith\\, John,OU=Staff,DC=contoso,DC=com")
            .unwrap();
        let accented = dns.intern("CN=José,OU=Staff,DC=contoso,DC=com").unwrap();
        let find = |dn: &str| {
            let found = dns.find_plain(ci_hash(dn.as_bytes()), dn);
            if let Some((_, Some(at))) = found {
                assert_eq!(dns.text_at(at, dn.len() as u32), Some(dn.as_bytes()));
            }
            found.map(|(id, at)| (id, at.is_some()))
        };
        assert_eq!(
            find("CN=Sales,OU=Groups,DC=contoso,DC=com"),
            Some((plain, true))
        );
        assert_eq!(
            find("cn=sales,ou=groups,dc=CONTOSO,dc=com"),
            Some((plain, false))
        );
        assert_eq!(find("CN=Sales,OU=Groups,DC=contoso,DC=org"), None);
        // Stored under a rewritten key: the RFC 4514 path finds them, the plain lookup does not.
        for (dn, id) in [
            ("CN=Smith\\, John,OU=Staff,DC=contoso,DC=com", escaped),
            ("CN=José,OU=Staff,DC=contoso,DC=com", accented),
        ] {
            assert_eq!(find(dn), None);
            assert_eq!(dns.get(dn), Some(id));
        }
    }

    #[test]
    fn spellings_of_one_dn_intern_together() {
        let mut i = DnInterner::default();
        let a = i
            .intern("CN=Smith\\, John,OU=Staff,DC=contoso,DC=com")
            .unwrap();
        let b = i
            .intern("cn=smith\\2c john, ou=STAFF,dc=contoso,dc=com")
            .unwrap();
        let c = i
            .intern("CN=Smith\\, John , OU=Staff,DC=contoso,DC=com")
            .unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(i.display(a), "CN=Smith\\, John,OU=Staff,DC=contoso,DC=com");
        let d = i.intern("CN=Smith,OU=Staff,DC=contoso,DC=com").unwrap();
        assert_ne!(a, d);
        assert_eq!(i.get("CN=SMITH,ou=staff,DC=CONTOSO,dc=com"), Some(d));
    }

    #[test]
    fn non_ascii_dns_fold_case() {
        let mut i = DnInterner::default();
        let a = i
            .intern("CN=José Müller,OU=Staff,DC=contoso,DC=com")
            .unwrap();
        let b = i
            .intern("CN=JOSÉ MÜLLER,OU=Staff,DC=contoso,DC=com")
            .unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn absorb_remaps_ids() {
        let mut g = DnInterner::default();
        g.intern("CN=a,DC=x").unwrap();
        let mut l = DnInterner::default();
        let lb = l.intern("CN=b,DC=x").unwrap();
        let la = l.intern("cn=A,dc=X").unwrap();
        let map = g.absorb(&l);
        assert_eq!(map[la.index()], DnId(0));
        assert_eq!(map[lb.index()], DnId(1));
        assert_eq!(g.len(), 2);
    }

    #[test]
    fn parts_of_a_dn() {
        let dn = "CN=Smith\\, John,OU=Sales,OU=Staff,DC=corp,DC=contoso,DC=local";
        assert_eq!(
            parent(dn),
            Some("OU=Sales,OU=Staff,DC=corp,DC=contoso,DC=local")
        );
        assert_eq!(first_rdn_value(dn).as_deref(), Some("Smith, John"));
        assert_eq!(first_rdn_type(dn), Some("CN"));
        assert_eq!(domain_of(dn).as_deref(), Some("corp.contoso.local"));
        assert_eq!(domain_dn("contoso.com"), "DC=contoso,DC=com");
        assert_eq!(parent("DC=com"), None);
    }

    #[test]
    fn rejects_non_dns() {
        assert_eq!(canonical_key("John Smith"), Err(DnError::NoAttributeType));
        assert_eq!(canonical_key("  "), Err(DnError::Empty));
        assert!(canonical_key("-").is_err());
        // Simple enough for the fast path, but their types are neither names nor OIDs.
        for bad in ["C N=A,DC=x", "1CN=A,DC=x", "CN=A,O_U=b,DC=x"] {
            assert_eq!(canonical_key(bad), Err(DnError::NoAttributeType), "{bad}");
        }
        assert!(canonical_key("2.5.4.3=A,DC=x").is_ok());
    }

    #[test]
    fn escapes_are_those_of_rfc_4514() {
        for good in [
            "CN=Smith\\, John,DC=x",
            "CN=Lee\\2C Ann,DC=x",
            "CN=Lee\\2c Ann,DC=x",
            "CN=a\\+b\\\"c\\\\d\\<e\\>f\\;g\\=h,DC=x",
            "CN=\\ lead\\ ,DC=x",
            "CN=\\#1,DC=x",
            "CN=Jos\\C3\\A9,DC=x",
        ] {
            assert!(canonical_key(good).is_ok(), "{good}");
        }
        for (bad, found) in [
            ("CN=Bad\\ZZ,DC=x", "\\Z"),
            ("CN=Bro\\ken,DC=x", "\\k"),
            ("CN=Half\\2,DC=x", "\\2"),
            ("CN=Acc\\é,DC=x", "\\é"),
        ] {
            assert_eq!(
                canonical_key(bad),
                Err(DnError::BadEscape(found.into())),
                "{bad}"
            );
        }
        for dangling in ["CN=End\\", "CN=End\\\\\\"] {
            assert_eq!(canonical_key(dangling), Err(DnError::DanglingEscape));
        }
        assert!(canonical_key("CN=End\\\\").is_ok());
    }

    proptest::proptest! {
        #[test]
        fn dn_functions_never_panic(s in "[a-zA-Z=,+\\\\\" éÉ#;<>0-9]{0,40}") {
            let _ = parent(&s);
            let _ = first_rdn_value(&s);
            let _ = first_rdn_type(&s);
            let _ = domain_of(&s);
            let mut i = DnInterner::default();
            if let Ok(id) = i.intern(&s) {
                proptest::prop_assert_eq!(i.get(&s), Some(id));
                proptest::prop_assert_eq!(i.get(&s.to_uppercase()).is_some(), canonical_key(&s.to_uppercase()).is_ok());
            }
        }
    }
}
