//! Ingest + directory + graph on a generated directory (default: 1,000,000 users, PowerShell 7
//! dialect), against the floor of the csv crate parsing the same files.
//!
//!     cargo bench --bench ingest
//!     HYBRIDREADY_BENCH_USERS=100000 cargo bench --bench ingest

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use hybridready::graph::DirectoryGraph;
use hybridready::ingest::{IngestOptions, ingest};
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let users = common::users();
    let dir = common::dataset("ps7", users);
    let files = common::csv_files(&dir);
    let mut g = c.benchmark_group(format!("ps7-{users}"));
    g.sample_size(10)
        .measurement_time(Duration::from_secs(40))
        .warm_up_time(Duration::from_secs(1));
    g.bench_function("csv_floor", |b| b.iter(|| common::csv_floor(&files)));
    g.bench_function("ingest_directory_graph", |b| {
        b.iter(|| {
            let ing =
                ingest(std::slice::from_ref(&dir), &IngestOptions::default()).expect("ingest");
            let graph = DirectoryGraph::build(&ing.directory);
            (ing.directory.len(), graph.edges.member_of)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
