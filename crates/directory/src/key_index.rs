//! The identity indexes of the merge: from the hash of a key (objectGUID, SID, UPN,
//! `DOMAIN\sAMAccountName`) to the first object holding it.
//!
//! At a million users every probe of these tables is a cache miss, one after another in the
//! serial merge. A table of our own lets the merge load the slots of the rows ahead while it
//! works on the current one ([`KeyIndex::prefetch`]), which a general-purpose map cannot offer.

use super::dn::prefetch;

/// Slots of a table of `keys` keys, a power of two at most 70% full once they are in. Half full
/// at most, the DN table and the identity indexes of a million users took a quarter of a gigabyte
/// more, and memory a run touches first costs more here than the slightly longer probes.
pub(super) fn table_len(keys: usize) -> usize {
    (keys * 10 / 7 + 1).next_power_of_two().max(16)
}

/// Whether a table of `slots` slots is too full for `keys` keys.
pub(super) fn over_full(keys: usize, slots: usize) -> bool {
    keys * 10 > slots * 7
}

/// Linear probing over 8-byte slots, a power of two long and at most 70% full. A slot packs the
/// high half of a key's hash (its tag, which also places it: the home slot is the tag's low bits)
/// with the object's id plus one, so that an all-zero slot is empty and a new table is a
/// zero-filled allocation the system hands out without writing it. It holds hashes only: the
/// caller says whether a candidate object really holds the key, so no key is ever copied. Several
/// objects may share a tag; each key has one entry, its first holder's.
#[derive(Default, Debug)]
pub(super) struct KeyIndex {
    slots: Vec<u64>,
    len: usize,
}

/// The tag of a hash, or of the slot that holds it: both keep it in their high half.
fn tag(hash_or_slot: u64) -> u32 {
    (hash_or_slot >> 32) as u32
}

fn pack(tag: u32, obj: u32) -> u64 {
    ((tag as u64) << 32) | (obj as u64 + 1)
}

/// The object of a full slot.
fn obj_of(slot: u64) -> u32 {
    (slot as u32).wrapping_sub(1)
}

impl KeyIndex {
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    fn home(&self, tag: u32) -> usize {
        tag as usize & self.mask()
    }

    /// Makes room for `additional` more keys without growing on the way.
    pub fn reserve(&mut self, additional: usize) {
        let want = table_len(self.len + additional);
        if want > self.slots.len() {
            self.rehash(want);
        }
    }

    fn rehash(&mut self, len: usize) {
        let old = std::mem::replace(&mut self.slots, vec![0; len]);
        for s in old.into_iter().filter(|&s| s != 0) {
            self.place(s);
        }
    }

    fn place(&mut self, s: u64) {
        let mask = self.mask();
        let mut i = self.home(tag(s));
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = s;
    }

    /// Starts loading the slot a lookup of `hash` reads first: a hint, it changes nothing.
    pub fn prefetch(&self, hash: u64) {
        if !self.slots.is_empty() {
            prefetch(&self.slots[self.home(tag(hash))]);
        }
    }

    /// The object indexed under `hash` for which `holds` is true.
    pub fn find(&self, hash: u64, mut holds: impl FnMut(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let (t, mask) = (tag(hash), self.mask());
        let mut i = self.home(t);
        loop {
            let s = self.slots[i];
            if s == 0 {
                return None;
            }
            if tag(s) == t && holds(obj_of(s)) {
                return Some(obj_of(s));
            }
            i = (i + 1) & mask;
        }
    }

    /// Indexes `obj` under `hash`. The caller has checked that no object holds the key yet.
    pub fn insert(&mut self, hash: u64, obj: u32) {
        debug_assert!(obj != u32::MAX);
        if over_full(self.len + 1, self.slots.len()) {
            self.rehash((self.slots.len() * 2).max(16));
        }
        self.place(pack(tag(hash), obj));
        self.len += 1;
    }

    /// Drops the entry of `obj` under `hash`, if there is one. The slots after it that probed
    /// past it move back, so lookups never need tombstones.
    pub fn remove(&mut self, hash: u64, obj: u32) {
        if self.slots.is_empty() {
            return;
        }
        let (target, mask) = (pack(tag(hash), obj), self.mask());
        let mut i = self.home(tag(hash));
        loop {
            let s = self.slots[i];
            if s == 0 {
                return;
            }
            if s == target {
                break;
            }
            i = (i + 1) & mask;
        }
        self.len -= 1;
        let mut j = i;
        loop {
            j = (j + 1) & mask;
            let s = self.slots[j];
            if s == 0 {
                self.slots[i] = 0;
                return;
            }
            let home = self.home(tag(s));
            // The entry at `j` stays unless its home lies outside (i, j], cyclically: a lookup
            // of it would then stop at the hole at `i`.
            let stays = if i <= j {
                i < home && home <= j
            } else {
                i < home || home <= j
            };
            if !stays {
                self.slots[i] = s;
                i = j;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Hashes that share tags and homes: few distinct values, all in the high half, which is
    /// what the index keeps.
    fn hash(h: u64) -> u64 {
        (h * 0x9e37_79b9 % 40) << 32
    }

    #[derive(Debug, Clone)]
    enum Op {
        Insert(u64, u32),
        Remove(u64, u32),
    }

    proptest! {
        /// Against a list of entries, with few distinct hashes so that probes collide, chain and
        /// wrap around the end of the table.
        #[test]
        fn behaves_like_a_list_of_entries(ops in prop::collection::vec(
            prop_oneof![
                (0u64..24, 0u32..12).prop_map(|(h, o)| Op::Insert(hash(h), o)),
                (0u64..24, 0u32..12).prop_map(|(h, o)| Op::Remove(hash(h), o)),
            ],
            0..200,
        )) {
            let mut index = KeyIndex::default();
            let mut model: Vec<(u64, u32)> = Vec::new();
            for op in ops {
                match op {
                    Op::Insert(h, o) => {
                        if !model.contains(&(h, o)) {
                            index.insert(h, o);
                            model.push((h, o));
                        }
                    }
                    Op::Remove(h, o) => {
                        index.remove(h, o);
                        model.retain(|&e| e != (h, o));
                    }
                }
                for h in (0..40u64).map(|t| t << 32) {
                    for o in 0..12u32 {
                        let found = index.find(h, |x| x == o).is_some();
                        prop_assert_eq!(found, model.contains(&(h, o)), "hash {} object {}", h, o);
                    }
                }
                prop_assert_eq!(index.len, model.len());
            }
        }
    }

    #[test]
    fn prefetching_is_a_hint_even_on_an_empty_index() {
        let mut index = KeyIndex::default();
        index.prefetch(7);
        assert_eq!(index.find(7, |_| true), None);
        index.remove(7, 1);
        index.insert(7, 1);
        index.prefetch(7);
        assert_eq!(index.find(7, |_| true), Some(1));
    }
}
