//! The identity indexes of the merge: from the hash of a key (objectGUID, SID, UPN,
//! `DOMAIN\sAMAccountName`) to the first object holding it.
//!
//! At a million users every probe of these tables is a cache miss, one after another in the
//! serial merge. A table of our own lets the merge load the slots of the rows ahead while it
//! works on the current one ([`KeyIndex::prefetch`]), which a general-purpose map cannot offer.

use super::dn::prefetch;

/// Marks an empty slot.
const EMPTY: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Slot {
    hash: u64,
    obj: u32,
}

const VACANT: Slot = Slot {
    hash: 0,
    obj: EMPTY,
};

/// Linear probing over `(hash, object)` slots, a power of two long and at most half full. It holds
/// hashes only: the caller says whether a candidate object really holds the key, so no key is
/// ever copied. Several objects may share a hash (a collision); each key has one entry, its first
/// holder's.
#[derive(Default, Debug)]
pub(super) struct KeyIndex {
    slots: Vec<Slot>,
    len: usize,
}

impl KeyIndex {
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// Makes room for `additional` more keys without growing on the way.
    pub fn reserve(&mut self, additional: usize) {
        let want = ((self.len + additional) * 2).next_power_of_two().max(16);
        if want > self.slots.len() {
            self.rehash(want);
        }
    }

    fn rehash(&mut self, len: usize) {
        let old = std::mem::replace(&mut self.slots, vec![VACANT; len]);
        for s in old.into_iter().filter(|s| s.obj != EMPTY) {
            self.place(s);
        }
    }

    fn place(&mut self, s: Slot) {
        let mask = self.mask();
        let mut i = s.hash as usize & mask;
        while self.slots[i].obj != EMPTY {
            i = (i + 1) & mask;
        }
        self.slots[i] = s;
    }

    /// Starts loading the slot a lookup of `hash` reads first: a hint, it changes nothing.
    pub fn prefetch(&self, hash: u64) {
        if !self.slots.is_empty() {
            prefetch(&self.slots[hash as usize & self.mask()]);
        }
    }

    /// The object indexed under `hash` for which `holds` is true.
    pub fn find(&self, hash: u64, mut holds: impl FnMut(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.mask();
        let mut i = hash as usize & mask;
        loop {
            let s = self.slots[i];
            if s.obj == EMPTY {
                return None;
            }
            if s.hash == hash && holds(s.obj) {
                return Some(s.obj);
            }
            i = (i + 1) & mask;
        }
    }

    /// Indexes `obj` under `hash`. The caller has checked that no object holds the key yet.
    pub fn insert(&mut self, hash: u64, obj: u32) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.rehash((self.slots.len() * 2).max(16));
        }
        self.place(Slot { hash, obj });
        self.len += 1;
    }

    /// Drops the entry of `obj` under `hash`, if there is one. The slots after it that probed
    /// past it move back, so lookups never need tombstones.
    pub fn remove(&mut self, hash: u64, obj: u32) {
        if self.slots.is_empty() {
            return;
        }
        let mask = self.mask();
        let mut i = hash as usize & mask;
        loop {
            let s = self.slots[i];
            if s.obj == EMPTY {
                return;
            }
            if s.hash == hash && s.obj == obj {
                break;
            }
            i = (i + 1) & mask;
        }
        self.len -= 1;
        let mut j = i;
        loop {
            j = (j + 1) & mask;
            let s = self.slots[j];
            if s.obj == EMPTY {
                self.slots[i] = VACANT;
                return;
            }
            let home = s.hash as usize & mask;
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
                (0u64..24, 0u32..12).prop_map(|(h, o)| Op::Insert(h * 0x9e37_79b9 % 40, o)),
                (0u64..24, 0u32..12).prop_map(|(h, o)| Op::Remove(h * 0x9e37_79b9 % 40, o)),
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
                for h in 0..40u64 {
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
