//! A small deterministic PRNG (SplitMix64) and the hash helpers built on it.
//!
//! The generator must give byte-identical output for a seed on every platform and every run,
//! so it owns its randomness instead of depending on an external crate whose streams may change.

/// The SplitMix64 finaliser: a bijection on `u64`, which is what makes [`guid`] collision-free.
pub(crate) const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A stateless hash of a seed and two keys, for values derived on demand (timestamps,
/// certificate bytes) so that they need no storage per object.
pub(crate) fn hash3(seed: u64, a: u64, b: u64) -> u64 {
    mix(mix(seed ^ a.wrapping_mul(0x9E37_79B9_7F4A_7C15)) ^ b.wrapping_mul(0xD1B5_4A32_D192_ED03))
}

/// SplitMix64 stream. Each concern of the model draws from its own stream so that adding a
/// draw in one place does not shift every later value of another.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        Rng(mix(seed ^ mix(stream.wrapping_add(0x5851_F42D_4C95_7F2D))))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the tiny bias is irrelevant here).
    /// Returns 0 when `n` is 0 so that callers never divide by zero.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    pub(crate) fn below_usize(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True with probability `per_mille / 1000`.
    pub(crate) fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// Index chosen by integer weights.
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut r = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if r < u64::from(w) {
                return i;
            }
            r -= u64::from(w);
        }
        weights.len().saturating_sub(1)
    }

    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below_usize(i + 1);
            v.swap(i, j);
        }
    }
}

const MASK62: u64 = (1 << 62) - 1;

/// A bijection on 62-bit values: multiply by odd constants and xor-shift, all modulo 2^62.
fn perm62(mut x: u64) -> u64 {
    x &= MASK62;
    x = x.wrapping_mul(0x2545_F491_4F6C_DD1D) & MASK62;
    x ^= x >> 29;
    x = x.wrapping_mul(0x9FB2_1C65_1E98_DF25) & MASK62;
    x ^= x >> 32;
    x
}

/// A version-4-looking GUID that is unique per `obj` for a given seed by construction: the low
/// 62 bits are a bijection of the object number, so the tool's merge on objectGUID never sees
/// an accidental duplicate.
pub(crate) fn guid(seed: u64, obj: u64) -> u128 {
    let hi = mix(seed ^ mix(obj ^ 0x0123_4567_89AB_CDEF));
    let hi = (hi & !0xF000) | 0x4000;
    let lo = (0b10 << 62) | perm62(obj ^ (mix(seed) & MASK62));
    (u128::from(hi) << 64) | u128::from(lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_deterministic() {
        let mut a = Rng::new(7, 1);
        let mut b = Rng::new(7, 1);
        let mut c = Rng::new(7, 2);
        let va: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let vb: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        let vc: Vec<u64> = (0..5).map(|_| c.next_u64()).collect();
        assert_eq!(va, vb);
        assert_ne!(va, vc);
    }

    #[test]
    fn guids_unique() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..100_000u64 {
            assert!(seen.insert(guid(42, i)));
        }
    }

    #[test]
    fn below_bounds() {
        let mut r = Rng::new(1, 1);
        for _ in 0..1000 {
            assert!(r.below(7) < 7);
            let x = r.range(5, 40);
            assert!((5..=40).contains(&x));
        }
        assert_eq!(r.below(0), 0);
    }
}
