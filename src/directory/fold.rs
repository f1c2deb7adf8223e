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
        Cow::Owned(s.to_lowercase())
    }
}

const K: u64 = 0xf135_7aea_2e62_a9c5;

/// Lowercases the ASCII letters of eight packed bytes; other bytes pass through.
#[inline]
fn swar_lower(w: u64) -> u64 {
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
        h = (h.rotate_left(5) ^ swar_lower(u64::from_le_bytes(a))).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut a = [0u8; 8];
        a[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ swar_lower(u64::from_le_bytes(a))).wrapping_mul(K);
    }
    // FxHash leaves weak high bits; hashbrown takes its tag from them.
    h ^= h >> 32;
    h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h ^ (h >> 29)
}

/// Hash of a key as [`fold`] would give it.
pub fn ci_hash_str(s: &str) -> u64 {
    ci_hash(fold(s).as_bytes())
}

/// Case-insensitive equality of two strings (Unicode-aware, allocation-free when ASCII).
pub fn ci_eq(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        fold(a) == fold(b)
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn map_finds_keys_in_any_case() {
        let mut m = CiMap::default();
        *m.entry_or_insert_with("Alice@Contoso.com", || 0) += 1;
        *m.entry_or_insert_with("alice@contoso.COM", || 0) += 1;
        assert_eq!(m.get("ALICE@CONTOSO.COM"), Some(&2));
        assert_eq!(m.len(), 1);
    }
}
