//! hybridready, as a library: ingest Active Directory exports, build the directory and its graph,
//! check sync readiness, simulate a Skype for Business hybrid deployment and report on it.
//!
//! The pipeline, one crate per stage (under `crates/`): [`ingest`] → [`directory`] → [`graph`] →
//! [`rules`] → [`sim`] → [`assessment`] → [`report`]. [`generate`] writes synthetic directories in
//! every dialect [`ingest`] reads; [`kit`] writes the script a customer runs to export them. This crate is the glue: [`pipeline`] runs the stages in order,
//! [`cli`] is the command line.

pub use hybridready_assessment as assessment;
pub use hybridready_directory as directory;
pub use hybridready_generate as generate;
pub use hybridready_graph as graph;
pub use hybridready_ingest as ingest;
pub use hybridready_kit as kit;
pub use hybridready_report as report;
pub use hybridready_rules as rules;
pub use hybridready_sim as sim;

pub mod cli;
pub mod pipeline;

/// mimalloc rather than the system allocator, for every binary built on this crate (the tool,
/// its tests, benches and examples alike). A million-user ingest frees and allocates blocks of
/// hundreds of megabytes (the merge's pending references, the finish's edge lists, the graph):
/// glibc returns each one to the system and faults the next one in page by page, while mimalloc
/// keeps and reuses them, and backs large blocks with transparent huge pages, so its hash tables
/// miss the TLB less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
