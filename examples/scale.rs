//! One run at scale with wall times and peak memory, for the closing notes of performance work:
//!
//!     cargo run --release --example scale -- [USERS] [DIALECT] [ingest]
//!
//! Generates (once) a directory under target/bench-data, times the csv-crate floor, then ingest +
//! directory + graph, then (unless the third argument is `ingest`) the rules, and prints resident
//! and peak memory. `SCALE_RULES_REPEAT=N` runs the rules N more times, for a profiler to sample
//! them (e.g. `perf record -D 16000` skips the ingest). `SCALE_INGEST_REPEAT=N` runs the ingest +
//! directory + graph N more times on warm memory, as the criterion bench's later iterations do.

#[path = "../benches/common/mod.rs"]
mod common;

use hybridready::graph::DirectoryGraph;
use hybridready::ingest::{IngestOptions, ingest};
use std::time::Instant;

/// A memory figure of this process from /proc/self/status (`VmRSS:` now, `VmHWM:` the peak).
fn status_mib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// Huge pages the system has handed out since boot (`thp_fault_alloc` in /proc/vmstat): each is
/// 2 MiB of memory touched for the first time, which costs far more than memory reused.
fn fresh_huge_pages() -> u64 {
    std::fs::read_to_string("/proc/vmstat")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("thp_fault_alloc "))
                .and_then(|n| n.trim().parse().ok())
        })
        .unwrap_or(0)
}

fn peak_rss_mib() -> f64 {
    status_mib("VmHWM:")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let users = args
        .next()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or_else(common::users);
    let dialect = args.next().unwrap_or_else(|| "ps7".into());
    let ingest_only = args.next().is_some_and(|a| a == "ingest");
    let dir = common::dataset(&dialect, users);
    let files = common::csv_files(&dir);
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    println!(
        "{users} users, {dialect}, {} files, {:.0} MB",
        files.len(),
        bytes as f64 / 1e6
    );
    let t = Instant::now();
    let c0 = common::cpu_s();
    // `SCALE_NO_FLOOR=1` leaves the floor out, for a profiler to sample the ingest alone (the
    // ratios are then against a floor of one second).
    let fields = if std::env::var_os("SCALE_NO_FLOOR").is_some() {
        std::thread::sleep(std::time::Duration::from_secs(1));
        0
    } else {
        common::csv_floor(&files)
    };
    let floor = t.elapsed().as_secs_f64();
    let floor_cpu = common::cpu_s() - c0;
    println!(
        "csv floor (ByteRecord loop): {floor:.2} s wall, {floor_cpu:.2} s CPU ({fields} fields), peak {:.0} MiB",
        peak_rss_mib()
    );
    let t = Instant::now();
    let c0 = common::cpu_s();
    let ing = ingest(std::slice::from_ref(&dir), &IngestOptions::default()).expect("ingest");
    let t_ingest = t.elapsed().as_secs_f64();
    println!(
        "after ingest: resident {:.0} MiB, peak {:.0} MiB",
        status_mib("VmRSS:"),
        peak_rss_mib()
    );
    let t2 = Instant::now();
    let graph = DirectoryGraph::build(&ing.directory);
    let t_graph = t2.elapsed().as_secs_f64();
    let total = t.elapsed().as_secs_f64();
    let total_cpu = common::cpu_s() - c0;
    let c = ing.directory.counts();
    println!(
        "ingest + directory: {t_ingest:.2} s, graph: {t_graph:.2} s, total {total:.2} s wall = {:.2}× the floor; {total_cpu:.2} s CPU on {} threads ({:.2}× the floor's CPU)",
        total / floor,
        rayon::current_num_threads(),
        total_cpu / floor_cpu
    );
    println!(
        "  {} users, {} groups, {} contacts, {} memberships, {} graph edges, {} nesting cycles",
        c.users,
        c.groups,
        c.contacts,
        c.memberships,
        graph.graph.edge_count(),
        graph.cycles.len()
    );
    // Warm repetitions, as the criterion bench's later iterations run: the memory the first one
    // touched is reused, so these leave out the first touch of fresh pages.
    let repeat: usize = std::env::var("SCALE_INGEST_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    for k in 1..=repeat {
        let thp0 = fresh_huge_pages();
        let t = Instant::now();
        let c0 = common::cpu_s();
        let again = ingest(std::slice::from_ref(&dir), &IngestOptions::default()).expect("ingest");
        let g = DirectoryGraph::build(&again.directory);
        let total = t.elapsed().as_secs_f64();
        println!(
            "warm run {k}: total {total:.2} s wall = {:.2}× the floor; {:.2} s CPU ({} edges)",
            total / floor,
            common::cpu_s() - c0,
            g.graph.edge_count()
        );
        println!(
            "  huge pages the system handed out anew: {}",
            fresh_huge_pages() - thp0
        );
    }
    if ingest_only {
        println!("peak resident memory: {:.0} MiB", peak_rss_mib());
        return;
    }
    // Issue 3's target: the rules add at most one csv floor to the ingest time.
    let t3 = Instant::now();
    let c3 = common::cpu_s();
    let mut findings =
        hybridready::rules::evaluate(&ing.directory, &hybridready::rules::RuleContext::default());
    for _ in 0..std::env::var("SCALE_RULES_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
    {
        findings = hybridready::rules::evaluate(
            &ing.directory,
            &hybridready::rules::RuleContext::default(),
        );
    }
    let t_rules = t3.elapsed().as_secs_f64();
    println!(
        "rules: {} findings in {t_rules:.2} s wall = {:.2}× the floor; {:.2} s CPU",
        findings.len(),
        t_rules / floor,
        common::cpu_s() - c3
    );
    println!("peak resident memory: {:.0} MiB", peak_rss_mib());
}
