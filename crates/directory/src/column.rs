//! One attribute's cells, four bytes a cell instead of a [`TextRef`]'s eight.
//!
//! The columns are the directory's largest structure: at a million users, thirty-odd columns of
//! a million cells, which the serial merge writes into fresh memory, object by object. A cell
//! counts its value's start from a base kept for each block of [`BLOCK`] objects, the same for
//! every column ([`CellBases`]): the merge
//! appends each batch's text to the arena in row order, so the values of a block of objects
//! lie within a few kilobytes of each other, after the first of them. A block whose value does
//! not fit that (one over [`MAX_LEN`] bytes, or written far later, when a row of another file
//! fills an object's empty cell) keeps its cells as full refs instead; the values are the same
//! either way.
//!
//! Owns only the encoding; what a cell means (unknown, empty, a value) is [`TextRef`]'s.

use super::text::TextRef;
use hashbrown::HashMap;

const BLOCK_BITS: u32 = 6;
/// Objects sharing one base.
pub const BLOCK: usize = 1 << BLOCK_BITS;
const LEN_BITS: u32 = 12;
/// Longest value a narrow cell holds.
pub const MAX_LEN: usize = (1 << LEN_BITS) - 1;
/// Farthest a narrow cell's value starts from its block's base. Less than the field's maximum,
/// so that no value is ever encoded as one of the two marks ([`UNKNOWN`], [`WIDE`]).
pub const MAX_REL: usize = (1 << (32 - LEN_BITS)) - 2;
const UNKNOWN: u32 = u32::MAX;
/// The cell's block keeps full refs, in the column's `wide`.
const WIDE: u32 = u32::MAX - 1;
const EMPTY: u32 = 0;
/// A block whose objects have no value yet, so no base.
const NO_BASE: u64 = u64::MAX;

/// Where the values of each block of [`BLOCK`] objects start from: the arena offset of the first
/// value written for any of them, in any column. Shared by every column, so that a reader finds
/// the base of an object's cells in one small array (a few hundred kilobytes at a million
/// objects) that stays in cache.
#[derive(Clone, Debug, Default)]
pub struct CellBases(Vec<u64>);

impl CellBases {
    #[inline]
    fn get(&self, block: usize) -> u64 {
        self.0[block]
    }
    /// The base of `block`, set to `start` if the block had none.
    #[inline(always)]
    fn get_or_set(&mut self, block: usize, start: usize) -> u64 {
        if self.0.len() <= block {
            self.0.resize(block + 1, NO_BASE);
        }
        let base = &mut self.0[block];
        if *base == NO_BASE {
            *base = start as u64;
        }
        *base
    }
}

/// The cells of one attribute, by object index. A column stops at the last object that had a
/// cell of it: the cells past its end are unknown.
#[derive(Clone, Debug, Default)]
pub struct Column {
    cells: Vec<u32>,
    /// The blocks whose cells did not all fit narrow ones, by block index.
    wide: HashMap<u32, [TextRef; BLOCK]>,
}

impl Column {
    pub fn with_capacity(cells: usize) -> Column {
        Column {
            cells: Vec::with_capacity(cells),
            wide: HashMap::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Makes room for `cells` cells in all (not more): a column may stop far short of the
    /// objects, and room counted from its end would fall short of theirs.
    pub fn reserve_total(&mut self, cells: usize) {
        self.cells.reserve(cells.saturating_sub(self.cells.len()));
    }

    /// The cell of object `i`; past the column's end, unknown.
    #[inline(always)]
    pub fn get(&self, i: usize, bases: &CellBases) -> TextRef {
        match self.cells.get(i) {
            None | Some(&UNKNOWN) => TextRef::UNKNOWN,
            Some(&EMPTY) => TextRef::EMPTY,
            // A cell is marked wide only once its block is in `wide`.
            Some(&WIDE) => self
                .wide
                .get(&((i >> BLOCK_BITS) as u32))
                .map_or(TextRef::UNKNOWN, |block| block[i % BLOCK]),
            Some(&c) => TextRef::new(
                bases.get(i >> BLOCK_BITS) as usize + (c >> LEN_BITS) as usize,
                (c as usize) & MAX_LEN,
            ),
        }
    }

    /// Sets the cell of object `i`, growing the column to it with unknown cells.
    #[inline(always)]
    pub fn set(&mut self, i: usize, r: TextRef, bases: &mut CellBases) {
        // Mostly a new object's cell, right after the column's end: a push.
        if let Some(cell) = Self::narrow(i, r, bases) {
            if i == self.cells.len() {
                self.cells.push(cell);
                return;
            }
            if let Some(c) = self.cells.get_mut(i)
                && *c != WIDE
            {
                *c = cell;
                return;
            }
        }
        self.set_other(i, r, bases);
    }

    /// `r` as a narrow cell of object `i`, if it fits one.
    #[inline(always)]
    fn narrow(i: usize, r: TextRef, bases: &mut CellBases) -> Option<u32> {
        if !r.has_value() {
            return Some(if r.is_empty() { EMPTY } else { UNKNOWN });
        }
        let base = bases.get_or_set(i >> BLOCK_BITS, r.start()) as usize;
        let rel = r.start().checked_sub(base)?;
        (rel <= MAX_REL && r.len() <= MAX_LEN)
            .then_some(((rel as u32) << LEN_BITS) | r.len() as u32)
    }

    /// [`Column::set`] for a cell past the column's end, in a wide block, or that does not fit.
    #[cold]
    #[inline(never)]
    fn set_other(&mut self, i: usize, r: TextRef, bases: &mut CellBases) {
        if self.cells.len() <= i {
            self.cells.resize(i + 1, UNKNOWN);
        }
        let b = i >> BLOCK_BITS;
        if self.cells[i] != WIDE {
            match Self::narrow(i, r, bases) {
                Some(cell) => {
                    self.cells[i] = cell;
                    return;
                }
                None => self.widen(b, bases),
            }
        }
        if let Some(block) = self.wide.get_mut(&(b as u32)) {
            block[i % BLOCK] = r;
        }
    }

    /// Keeps block `b`'s cells as full refs from now on. Its cells past the column's end stay
    /// unknown until written.
    #[cold]
    fn widen(&mut self, b: usize, bases: &CellBases) {
        let start = b * BLOCK;
        let mut refs = [TextRef::UNKNOWN; BLOCK];
        for (k, r) in refs.iter_mut().enumerate() {
            *r = self.get(start + k, bases);
        }
        let end = self.cells.len().min(start + BLOCK);
        self.cells[start..end].fill(WIDE);
        self.wide.insert(b as u32, refs);
    }

    /// Starts loading the cell of object `i` before it is written.
    #[inline]
    pub fn prefetch(&mut self, i: usize) {
        let len = self.cells.len();
        if let Some(cell) = self.cells.spare_capacity_mut().get(i.wrapping_sub(len)) {
            super::dn::prefetch(cell);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TextArena;

    #[test]
    fn cells_read_back_what_was_written() {
        let mut text = TextArena::default();
        let mut col = Column::default();
        let mut bases = CellBases::default();
        let a = text.push("alice@contoso.com");
        let b = text.push("bob@contoso.com");
        col.set(0, a, &mut bases);
        col.set(2, TextRef::EMPTY, &mut bases);
        col.set(3, b, &mut bases);
        assert_eq!(col.len(), 4);
        assert_eq!(col.get(0, &bases), a);
        assert_eq!(col.get(1, &bases), TextRef::UNKNOWN);
        assert_eq!(col.get(2, &bases), TextRef::EMPTY);
        assert_eq!(col.get(3, &bases), b);
        assert_eq!(col.get(4, &bases), TextRef::UNKNOWN);
        assert_eq!(text.get(col.get(3, &bases)), Some("bob@contoso.com"));
        assert!(col.wide.is_empty());
    }

    #[test]
    fn values_that_do_not_fit_a_narrow_cell_widen_their_block_only() {
        let mut text = TextArena::default();
        let mut col = Column::default();
        let mut bases = CellBases::default();
        let mut expected = Vec::new();
        for i in 0..3 * BLOCK {
            let r = text.push(&format!("value {i}"));
            col.set(i, r, &mut bases);
            expected.push(r);
        }
        // Too long for a narrow cell.
        let long = text.push(&"x".repeat(MAX_LEN + 1));
        col.set(5, long, &mut bases);
        expected[5] = long;
        // Written long after its block's base: a later file filling an object's cell.
        text.push(&"y".repeat(MAX_REL));
        let late = text.push("late");
        col.set(BLOCK + 1, late, &mut bases);
        expected[BLOCK + 1] = late;
        // Starts before its block's base (a ref written again).
        col.set(2 * BLOCK + 3, expected[0], &mut bases);
        expected[2 * BLOCK + 3] = expected[0];
        assert_eq!(col.wide.len(), 3);
        assert_eq!(col.cells.iter().filter(|&&c| c == WIDE).count(), 3 * BLOCK);
        for (i, &r) in expected.iter().enumerate() {
            assert_eq!(col.get(i, &bases), r, "cell {i}");
        }
        // A widened block takes every kind of cell.
        col.set(6, TextRef::EMPTY, &mut bases);
        col.set(7, TextRef::UNKNOWN, &mut bases);
        assert_eq!(col.get(6, &bases), TextRef::EMPTY);
        assert_eq!(col.get(7, &bases), TextRef::UNKNOWN);
        assert_eq!(
            text.get(col.get(5, &bases)).map(str::len),
            Some(MAX_LEN + 1)
        );
    }

    #[test]
    fn the_largest_narrow_cell_is_not_unknown() {
        let mut col = Column::default();
        let mut bases = CellBases::default();
        let base = TextRef::new(1000, 1);
        let far = TextRef::new(1000 + MAX_REL, MAX_LEN);
        col.set(0, base, &mut bases);
        col.set(1, far, &mut bases);
        assert!(col.wide.is_empty());
        assert_eq!(col.get(1, &bases), far);
    }
}
