//! The system allocator, asking Linux for transparent huge pages on large blocks.
//!
//! Why: at a million users the ingest fills about 2 GB of fresh memory (the text arena, the DN
//! and identity tables, the batches, the graph), and with 4 kB pages each of half a million page
//! faults cost more than the zeroing it does: 2.1 s of the ingest's 15 s of CPU in the profile.
//! Debian and most distributions give huge pages only to memory that asks (`madvise` mode), so a
//! block of 4 MB or more is advised `MADV_HUGEPAGE`; the kernel then faults it in 2 MB at a
//! time. Peak memory is unchanged (the large blocks are filled anyway). Small blocks, and every
//! other platform, go to the system allocator untouched.
//!
//! The binary, the benches and the scale example install it; the library never does.

use std::alloc::{GlobalAlloc, Layout, System};

/// [`System`], with large blocks advised for transparent huge pages.
pub struct HugePageAlloc;

/// The huge page size of x86-64 and most arm64 kernels.
const HUGE_PAGE: usize = 2 << 20;
/// Smaller blocks hold too little of a whole huge page to gain from it.
const ADVISE_FROM: usize = 2 * HUGE_PAGE;

/// Advises the huge-page-aligned interior of the block `[p, p + size)`.
fn advise(p: *mut u8, size: usize) {
    if p.is_null() || size < ADVISE_FROM {
        return;
    }
    let start = (p as usize).next_multiple_of(HUGE_PAGE);
    let end = (p as usize + size) & !(HUGE_PAGE - 1);
    if end <= start {
        return;
    }
    #[cfg(target_os = "linux")]
    // SAFETY: the range lies inside a block the allocator just handed out, page-aligned at both
    // ends; MADV_HUGEPAGE changes how its pages are backed, never their contents, and its result
    // is only a hint (an older kernel or THP set to `never` refuses it, and nothing changes).
    unsafe {
        libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
    }
}

// SAFETY: every call is passed to `System` unchanged; `advise` only adds a hint on the block
// `System` returned.
unsafe impl GlobalAlloc for HugePageAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is `System::alloc`'s.
        let p = unsafe { System.alloc(layout) };
        advise(p, layout.size());
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        advise(p, layout.size());
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` (every block of this allocator does).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size < ADVISE_FROM {
            // SAFETY: as `dealloc`; the caller's contract for `realloc` is `System::realloc`'s.
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        // A large block grows into a new block advised before the old contents are copied in:
        // `System::realloc` would copy them into unadvised memory, a small page fault each
        // 4 kB (half the faults of a million-user ingest were such copies).
        // SAFETY: the caller guarantees `layout.align()` with `new_size` is a valid layout.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: `new_layout` has a non-zero size.
        let p = unsafe { self.alloc(new_layout) };
        if !p.is_null() {
            // SAFETY: both blocks are live, distinct, and at least this long.
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, p, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_blocks_are_usable_and_small_ones_untouched() {
        let a = HugePageAlloc;
        for size in [16, ADVISE_FROM - 1, ADVISE_FROM, 3 * ADVISE_FROM + 123] {
            let layout = Layout::from_size_align(size, 8).expect("valid layout");
            // SAFETY: a non-zero size; the block is written within its size and freed once.
            unsafe {
                let p = a.alloc_zeroed(layout);
                assert!(!p.is_null());
                assert!(std::slice::from_raw_parts(p, size).iter().all(|&b| b == 0));
                p.write_bytes(7, size);
                let q = a.realloc(p, layout, size * 2);
                assert!(!q.is_null());
                assert_eq!(*q.add(size - 1), 7);
                a.dealloc(
                    q,
                    Layout::from_size_align(size * 2, 8).expect("valid layout"),
                );
            }
        }
    }
}
