//! hybridready, as a library: ingest Active Directory exports, build the directory and its graph,
//! check sync readiness, simulate a Skype for Business hybrid deployment and report on it.
//!
//! The pipeline, one module per stage: [`ingest`] → [`directory`] → [`graph`] → [`rules`] →
//! [`sim`] → [`report`]. [`generate`] writes synthetic directories in every dialect [`ingest`]
//! reads; [`cli`] is the command-line glue.

pub mod cli;
pub mod directory;
pub mod generate;
pub mod graph;
pub mod ingest;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod sim;

/// mimalloc rather than the system allocator, for every binary built on this crate (the tool,
/// its tests, benches and examples alike). A million-user ingest frees and allocates blocks of
/// hundreds of megabytes (the merge's pending references, the finish's edge lists, the graph):
/// glibc returns each one to the system and faults the next one in page by page, while mimalloc
/// keeps and reuses them, and backs large blocks with transparent huge pages, so its hash tables
/// miss the TLB less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tells the allocator to keep freed memory for the rest of the run instead of returning it to
/// the system (mimalloc's default is after 10 ms). A large ingest frees blocks and allocates as
/// large ones again (each chunk's batch, the merge's tables, the finish's edge lists), and on a
/// virtual machine the first touch of a page the system hands out again costs microseconds. At
/// a million users, against a delay of one second: three pairs of ingests took 6% less CPU,
/// with the same peak; a whole assessment peaked 210 MB higher (2.5 GB) with 1.9 s less system
/// time. The tool runs once and exits, so what it keeps it gives back then.
pub(crate) fn keep_freed_memory() {
    // Linked in with the allocator (libmimalloc-sys builds the whole C library); its Rust
    // bindings for options sit behind a feature that brings another crate for two C types.
    unsafe extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    /// `mi_option_purge_delay` in mimalloc.h (versions 2 and 3).
    const PURGE_DELAY: std::ffi::c_int = 15;
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: the declaration matches mimalloc.h's `void mi_option_set(mi_option_t option, long
    // value)` (`mi_option_t` is a C enum, an int); setting an option is a plain store into
    // mimalloc's option table, valid at any time and from any thread, and it changes when memory
    // is returned to the system, never what a block holds. A delay of -1 is never.
    ONCE.call_once(|| unsafe { mi_option_set(PURGE_DELAY, -1) });
}
