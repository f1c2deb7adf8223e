//! Case-insensitive keys without allocation on the common path.
//!
//! Directory keys (DNs, UPNs, mail addresses, sAMAccountNames) compare case-insensitively. Almost
//! all of them are ASCII, so hashing folds ASCII case eight bytes at a time and equality uses
//! `eq_ignore_ascii_case`; only a non-ASCII key pays for a Unicode-lowercased copy ([`fold`]).

use std::borrow::Cow;

/// The form of `s` that compares with `eq_ignore_ascii_case`: `s` itself when ASCII, else its
/// Unicode lowercase.
pub fn fold(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(lowercase(s))
    }
}

/// `s.to_lowercase()`, with runs of ASCII copied and lowered in bulk rather than a character at
/// a time (half the DNs of a European directory hold an accented letter, and the rest of the DN
/// is ASCII).
pub fn lowercase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let from = out.len();
        out.push_str(&rest[..ascii]);
        out[from..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else { break };
        if c == 'Σ' {
            // Final sigma depends on its neighbours: the standard library's rule decides.
            return s.to_lowercase();
        }
        out.extend(c.to_lowercase());
        rest = &rest[c.len_utf8()..];
    }
    out
}

const K: u64 = 0xf135_7aea_2e62_a9c5;

/// Lowercases the ASCII letters of eight packed bytes; other bytes pass through.
#[inline]
pub fn swar_lower(w: u64) -> u64 {
    const HI: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = w & !HI;
    let ge_a = low7.wrapping_add((0x80 - b'A' as u64) * ONES);
    let gt_z = low7.wrapping_add((0x80 - b'Z' as u64 - 1) * ONES);
    let upper = ge_a & !gt_z & !w & HI;
    w | (upper >> 2)
}

/// Hash of the ASCII-lowercased bytes: equal for any two byte strings that are
/// `eq_ignore_ascii_case`.
#[inline]
pub fn ci_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(a));
    }
    if !chunks.remainder().is_empty() {
        h = mix(h, tail_word(bytes));
    }
    finish(h)
}

/// The last `b.len() % 8` bytes of `b` (all of it when shorter than eight) as a little-endian
/// word padded with zeros, as if copied into a zeroed buffer. Loaded as whole words instead: a
/// copy of a variable length made the load wait on the copy's stores (and called `memcpy`), a
/// tenth of the samples of the DN lookups at a million users.
#[inline]
pub fn tail_word(b: &[u8]) -> u64 {
    let (len, n) = (b.len(), b.len() % 8);
    if n == 0 {
        return 0;
    }
    if len >= 8 {
        // The last eight bytes, of which the first `8 - n` were hashed already.
        return word_at(b, len - 8) >> (8 * (8 - n));
    }
    if len >= 4 {
        // Two overlapping halves: the bytes they share land on the same places.
        let lo = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64;
        let hi = u32::from_le_bytes([b[len - 4], b[len - 3], b[len - 2], b[len - 1]]) as u64;
        return lo | (hi << (8 * (len - 4)));
    }
    // One to three bytes.
    b[0] as u64 | (b[len / 2] as u64) << (8 * (len / 2)) | (b[len - 1] as u64) << (8 * (len - 1))
}

/// The eight bytes of `b` at `at` (which has eight bytes after it) as a little-endian word.
#[inline]
fn word_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// High bit set in every lane of `w` that equals byte `b`, and only there.
#[inline]
pub fn lanes_eq(w: u64, b: u8) -> u64 {
    let x = w ^ (LO * b as u64);
    !(((x & !HI).wrapping_add(!HI)) | x) & HI
}

/// The 128-bit product folded to 64 bits: every input bit reaches every output bit, which a
/// plain multiply (FxHash) does not do, so `user0101115` and `user0109415` cannot collide.
#[inline]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = a as u128 * b as u128;
    (p as u64) ^ ((p >> 64) as u64)
}

#[inline]
fn mix(h: u64, w: u64) -> u64 {
    fold_mul(h ^ swar_lower(w), K)
}

#[inline]
fn finish(h: u64) -> u64 {
    fold_mul(h, 0x9e37_79b9_7f4a_7c15)
}

/// How a distinguished name can be compared, decided in one pass over its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DnShape {
    /// ASCII and already canonical up to case: compare it as its own bytes; this is its
    /// [`ci_hash`].
    Ascii(u64),
    /// Canonical up to case but not ASCII (`CN=José,…`): its Unicode lowercase is its key.
    Unicode,
    /// Escapes, quotes, spaces around separators, characters RFC 4514 escapes, or a malformed
    /// RDN: needs the full rewrite (or is not a DN).
    Complex,
}

/// The shape of a DN: canonical when it has no escape, no quote, none of `; < >`, no `#` opening
/// a value, no space next to `,` `=` `+` or at an end, and `TYPE=` in every RDN. Every DN of
/// every row comes through here, so it works eight bytes at a time.
pub fn dn_shape(b: &[u8]) -> DnShape {
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return DnShape::Complex;
    };
    if first == b' ' || last == b' ' {
        return DnShape::Complex;
    }
    let mut h: u64 = b.len() as u64;
    let mut ascii = true;
    let mut i = 0;
    let mut seen_eq = false;
    let mut rdn_start = 0;
    while i < b.len() {
        // A whole word is loaded as one: copying a variable number of bytes into a buffer first
        // made every load wait on the copy's stores (a sixth of this function's samples).
        let w = match b.get(i..i + 8) {
            Some(word) => u64::from_le_bytes(word.try_into().unwrap_or_default()),
            None => tail_word(b),
        };
        ascii &= w & HI == 0;
        let specials = lanes_eq(w, b'\\')
            | lanes_eq(w, b'"')
            | lanes_eq(w, b';')
            | lanes_eq(w, b'<')
            | lanes_eq(w, b'>');
        if specials != 0 {
            return DnShape::Complex;
        }
        // The RDN structure, checked at separators only: a `TYPE=` (non-empty type) in every
        // RDN, as `dn::canonical_key` requires.
        let mut seps = lanes_eq(w, b',') | lanes_eq(w, b'+') | lanes_eq(w, b'=');
        while seps != 0 {
            let at = i + (seps.trailing_zeros() / 8) as usize;
            if b[at] == b'=' {
                if at == rdn_start {
                    return DnShape::Complex;
                }
                if !seen_eq && b.get(at + 1) == Some(&b'#') {
                    return DnShape::Complex;
                }
                // A type other than a name (`C N`, `O_U`, an OID) is left to the full parse,
                // which reads an OID and refuses the rest.
                if !seen_eq && !name_type(&b[rdn_start..at]) {
                    return DnShape::Complex;
                }
                seen_eq = true;
            } else {
                if !seen_eq {
                    return DnShape::Complex;
                }
                seen_eq = false;
                rdn_start = at + 1;
            }
            seps &= seps - 1;
        }
        let mut spaces = lanes_eq(w, b' ');
        while spaces != 0 {
            let at = i + (spaces.trailing_zeros() / 8) as usize;
            let near = |j: Option<usize>| {
                j.and_then(|j| b.get(j))
                    .is_some_and(|c| matches!(c, b',' | b'=' | b'+'))
            };
            if near(at.checked_sub(1)) || near(Some(at + 1)) {
                return DnShape::Complex;
            }
            spaces &= spaces - 1;
        }
        h = mix(h, w);
        i += 8;
    }
    match (seen_eq, ascii) {
        (false, _) => DnShape::Complex,
        (true, true) => DnShape::Ascii(finish(h)),
        (true, false) => DnShape::Unicode,
    }
}

/// Hash of a key as [`fold`] would give it.
pub fn ci_hash_str(s: &str) -> u64 {
    ci_hash(fold(s).as_bytes())
}

/// Case-insensitive equality of two strings (Unicode-aware, allocation-free when ASCII).
#[inline]
pub fn ci_eq(a: &str, b: &str) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    // Equal but for the case of ASCII letters is equal folded too (UTF-8 sequences never hold an
    // ASCII byte); most pairs compared are equal or differ in length, settled before any scan.
    // Equal bytes are tried first: a mail is mostly the UPN to the letter, and `==` is a memcmp
    // several times faster than the case-blind comparison.
    if x.len() == y.len() && (x == y || x.eq_ignore_ascii_case(y)) {
        return true;
    }
    if x.is_ascii() && y.is_ascii() {
        return false;
    }
    // Both lowered, the ASCII side too: `fold` leaves ASCII as it is, and `K` must equal the
    // Kelvin sign, as their hashes do.
    lowercase(a) == lowercase(b)
}

/// [`ci_eq`] of two strings whose ASCII-ness is known: two ASCII strings of different lengths
/// differ without a look at their bytes (for lists compared pairwise, each scanned once).
#[inline]
pub fn ci_eq_known(a: &str, a_ascii: bool, b: &str, b_ascii: bool) -> bool {
    if a_ascii && b_ascii {
        a.len() == b.len() && (a == b || a.eq_ignore_ascii_case(b))
    } else {
        ci_eq(a, b)
    }
}

/// A case-insensitive string → `V` map that hashes borrowed text, for the identity indexes.
#[derive(Debug, Clone)]
pub struct CiMap<V> {
    table: hashbrown::HashTable<(u64, Box<str>, V)>,
}

impl<V> Default for CiMap<V> {
    fn default() -> Self {
        CiMap {
            table: hashbrown::HashTable::new(),
        }
    }
}

impl<V> CiMap<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        let f = fold(key);
        let h = ci_hash(f.as_bytes());
        self.table
            .find(h, |(eh, k, _)| *eh == h && k.eq_ignore_ascii_case(&f))
            .map(|(_, _, v)| v)
    }
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        let f = fold(key);
        let h = ci_hash(f.as_bytes());
        self.table
            .find_mut(h, |(eh, k, _)| *eh == h && k.eq_ignore_ascii_case(&f))
            .map(|(_, _, v)| v)
    }
    /// The entry for `key`, inserted with `make()` when absent.
    pub fn entry_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> V) -> &mut V {
        let f = fold(key);
        let h = ci_hash(f.as_bytes());
        let entry = self.table.entry(
            h,
            |(eh, k, _)| *eh == h && k.eq_ignore_ascii_case(&f),
            |(eh, _, _)| *eh,
        );
        &mut entry
            .or_insert_with(|| (h, f.into_owned().into_boxed_str(), make()))
            .into_mut()
            .2
    }
    pub fn len(&self) -> usize {
        self.table.len()
    }
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.table.iter().map(|(_, k, v)| (&**k, v))
    }
}

/// An attribute type that is a name: a letter, then letters, digits and hyphens.
fn name_type(t: &[u8]) -> bool {
    t.first().is_some_and(u8::is_ascii_alphabetic)
        && t.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_word_is_the_tail_copied_into_zeros() {
        let bytes: Vec<u8> = (0..24u8)
            .map(|i| i.wrapping_mul(37).wrapping_add(200))
            .collect();
        for len in 0..=bytes.len() {
            let b = &bytes[..len];
            let rest = &b[len - len % 8..];
            let mut a = [0u8; 8];
            a[..rest.len()].copy_from_slice(rest);
            assert_eq!(tail_word(b), u64::from_le_bytes(a), "length {len}");
        }
    }

    #[test]
    fn swar_lower_folds_only_ascii_letters() {
        let s = b"AZaz@[`{\xc3\x89\x80";
        let mut padded = [0u8; 16];
        padded[..s.len()].copy_from_slice(s);
        let lo = swar_lower(u64::from_le_bytes(padded[..8].try_into().unwrap())).to_le_bytes();
        assert_eq!(&lo, b"azaz@[`{");
        let hi = swar_lower(u64::from_le_bytes(padded[8..].try_into().unwrap())).to_le_bytes();
        assert_eq!(&hi[..3], b"\xc3\x89\x80");
    }

    #[test]
    fn a_word_is_lowered_as_its_bytes_would_be() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut bytes = *b"aZ@[`{\xff\x80";
                bytes[pos] = b;
                let w = u64::from_le_bytes(bytes);
                let want = u64::from_le_bytes(bytes.map(|c| c.to_ascii_lowercase()));
                assert_eq!(super::swar_lower(w), want, "byte {b:#x} at {pos}");
            }
        }
    }

    #[test]
    fn lowercase_is_the_standard_lowercase() {
        for s in [
            "CN=Åsa Gonçalves,OU=Engineering,DC=contoso,DC=com",
            "ÀÉÎÕÜ ǅ İstanbul ẞ",
            "ΟΔΟΣ ΣΑΣ Σ",
            "",
            "plain",
        ] {
            assert_eq!(lowercase(s), s.to_lowercase(), "{s}");
        }
    }

    #[test]
    fn dn_shapes() {
        for dn in [
            "CN=John Smith,OU=Staff,DC=contoso,DC=com",
            "cn=a,dc=x",
            "CN=Project Group 12,OU=Groups,DC=fabrikam,DC=com",
            "CN=a=b,DC=x",
        ] {
            assert_eq!(
                dn_shape(dn.as_bytes()),
                DnShape::Ascii(ci_hash(dn.as_bytes())),
                "{dn}"
            );
        }
        assert_eq!(dn_shape("CN=José,DC=x".as_bytes()), DnShape::Unicode);
        for complex in [
            "C N=a,DC=x",
            "CN=a,O_U=b,DC=x",
            "1CN=a,DC=x",
            "2.5.4.3=a,DC=x",
            "CN=Smith\\, John,DC=x",
            "CN=a, OU=b",
            "CN=a ,OU=b",
            "CN= a",
            " CN=a",
            "CN=a;b,DC=x",
            "CN=#a,DC=x",
            "John Smith",
            "a,CN=b",
            "=a",
            "",
        ] {
            assert_eq!(dn_shape(complex.as_bytes()), DnShape::Complex, "{complex}");
        }
    }

    #[test]
    fn similar_keys_do_not_collide() {
        // FxHash-style mixing gave ~9% full collisions on keys like these.
        let hashes: std::collections::HashSet<u64> = (0..100_000u32)
            .map(|i| ci_hash(format!("user{i:07}").as_bytes()))
            .collect();
        assert_eq!(hashes.len(), 100_000);
    }

    #[test]
    fn hash_is_case_insensitive() {
        assert_eq!(
            ci_hash(b"CN=John Smith,OU=Staff,DC=Contoso,DC=com"),
            ci_hash(b"cn=john smith,ou=staff,dc=contoso,dc=COM")
        );
        assert_ne!(ci_hash(b"cn=a"), ci_hash(b"cn=b"));
        assert_eq!(ci_hash_str("JOSÉ@x.com"), ci_hash_str("josé@X.com"));
        assert!(ci_eq("JOSÉ@x.com", "josé@X.com"));
    }

    #[test]
    fn ci_eq_is_equality_of_lowercase() {
        let words = [
            "ann@x.com",
            "ANN@X.COM",
            "ann@x.co",
            "anne@x.com",
            "José@x.com",
            "JOSÉ@X.COM",
            "josé@x.com",
            "jose@x.com",
            "Straße",
            "STRASSE",
            "strasse",
            "ΣΑΣ",
            "σας",
            "",
            "K",
            "\u{212a}",
            "k",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    ci_eq(a, b),
                    a.to_lowercase() == b.to_lowercase(),
                    "{a:?} vs {b:?}"
                );
                assert_eq!(
                    ci_eq_known(a, a.is_ascii(), b, b.is_ascii()),
                    ci_eq(a, b),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn map_finds_keys_in_any_case() {
        let mut m = CiMap::default();
        *m.entry_or_insert_with("Alice@Contoso.com", || 0) += 1;
        *m.entry_or_insert_with("alice@contoso.COM", || 0) += 1;
        assert_eq!(m.get("ALICE@CONTOSO.COM"), Some(&2));
        assert_eq!(m.len(), 1);
    }
}
