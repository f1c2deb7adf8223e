//! Ingest + directory + graph on a generated directory (default: 1,000,000 users, PowerShell 7
//! dialect), against the floor of the csv crate parsing the same files.
//!
//!     cargo bench --bench ingest
//!     HYBRIDREADY_BENCH_USERS=100000 cargo bench --bench ingest
//!
//! After criterion's two benchmarks, the bench times the two side by side in alternating pairs
//! (`HYBRIDREADY_BENCH_PAIRS`, default 10; 0 leaves them out) and prints each pair's ratio. On a
//! shared machine the speed of a core drifts over tens of seconds, so criterion's floor and ingest,
//! measured a minute apart, can meet different machines: a pair measures both within seconds, and
//! the median of the pairs' ratios is the figure the drift moves least. It is also written to
//! `target/criterion/ps7-N/pairs.json`.

mod common;

use criterion::{Criterion, criterion_group};
use hybridready::graph::DirectoryGraph;
use hybridready::ingest::{IngestOptions, ingest};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What the bench measures against the floor: the ingest of the folder, its directory and graph.
fn ingest_directory_graph(dir: &Path) -> (usize, u64) {
    let ing = ingest(
        std::slice::from_ref(&dir.to_path_buf()),
        &IngestOptions::default(),
    )
    .expect("ingest");
    let graph = DirectoryGraph::build(&ing.directory);
    (ing.directory.len(), graph.edges.member_of)
}

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
        b.iter(|| ingest_directory_graph(&dir))
    });
    g.finish();
}

/// Seconds `f` takes.
fn timed(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64()
}

/// One pair: the floor and the ingest back to back, in `floor_first` order, in seconds.
fn pair(files: &[PathBuf], dir: &Path, floor_first: bool) -> (f64, f64) {
    let floor = || {
        std::hint::black_box(common::csv_floor(files));
    };
    let ingest = || {
        std::hint::black_box(ingest_directory_graph(dir));
    };
    if floor_first {
        let f = timed(floor);
        (f, timed(ingest))
    } else {
        let i = timed(ingest);
        (timed(floor), i)
    }
}

fn pairs() {
    let n: usize = std::env::var("HYBRIDREADY_BENCH_PAIRS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    // A filter given to criterion (`cargo bench --bench ingest -- csv_floor`) asks for those
    // benchmarks alone; `-- pairs` asks for the pairs alone.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if n == 0 || filter.is_some_and(|f| f != "pairs") {
        return;
    }
    let users = common::users();
    let dir = common::dataset("ps7", users);
    let files = common::csv_files(&dir);
    // One unmeasured pair, so that the first measured one does not pay for cold memory alone.
    pair(&files, &dir, true);
    println!("ps7-{users}/pairs: the floor and the ingest side by side, {n} pairs");
    let (mut floors, mut ingests, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let (floor, ingest) = pair(&files, &dir, i % 2 == 0);
        let ratio = ingest / floor;
        println!(
            "  pair {:>2}: floor {floor:.3} s, ingest {ingest:.3} s, ratio {ratio:.2}×",
            i + 1
        );
        floors.push(floor);
        ingests.push(ingest);
        ratios.push(ratio);
    }
    let max = ratios.iter().copied().fold(f64::MIN, f64::max);
    let min = ratios.iter().copied().fold(f64::MAX, f64::min);
    let (median_ratio, median_floor, median_ingest) = (
        common::median(&ratios),
        common::median(&floors),
        common::median(&ingests),
    );
    println!(
        "  median ratio {median_ratio:.2}× (min {min:.2}×, max {max:.2}×); median floor {median_floor:.3} s, median ingest {median_ingest:.3} s"
    );
    let pairs: Vec<_> = (0..n)
        .map(|i| serde_json::json!({"floor_s": floors[i], "ingest_s": ingests[i], "ratio": ratios[i]}))
        .collect();
    let json = serde_json::json!({
        "users": users,
        "pairs": pairs,
        "median_ratio": median_ratio,
        "min_ratio": min,
        "max_ratio": max,
        "median_floor_s": median_floor,
        "median_ingest_s": median_ingest,
    });
    common::write_results(&format!("ps7-{users}"), "pairs.json", &json);
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    pairs();
}
