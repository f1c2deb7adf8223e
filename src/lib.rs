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
