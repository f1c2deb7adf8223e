//! The wave planner against METIS and against chunks by OU, on generated directories (issue:
//! split pairs at most 1.2× METIS's and at most half of OU chunks'; planning a million users
//! adds at most 3× the csv floor to `assess`).
//!
//!     cargo bench --bench waves                       # 3,000 and 100,000 users
//!     HYBRIDREADY_BENCH_WAVE_USERS=1000000 cargo bench --bench waves
//!     HYBRIDREADY_BENCH_WAVE_PROFILE=3 …              # the planner alone, 3 times
//!
//! For each size it prints, for the three ways to cut the same users into waves of 150: the
//! dependent pairs split across waves (count, share, weight) and the largest wave; then the time
//! the planner took beside the csv floor of the directory's files (medians of three, in turns).
//! METIS gets the same graph (groups expanded into their weighted pairs), the same wave count
//! and its default 3 % imbalance; the planner's waves never exceed 150.

mod common;
#[path = "common/metis_ref.rs"]
mod metis_ref;

use hybridready::assessment::scenario::Scenario;
use hybridready::ingest::IngestOptions;
use hybridready::pipeline;
use hybridready::sim::waves::{self, measure};
use std::path::Path;
use std::time::Instant;

const WAVE: usize = 150;

fn scenario(dir: &Path) -> Scenario {
    let mut s = common::scenario("waves", WAVE);
    s.affinity.delegates = Some(dir.join("delegates.csv"));
    s.affinity.interactions = Some(dir.join("interactions.csv"));
    s
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn largest(label: &[u32]) -> usize {
    let mut count = std::collections::HashMap::<u32, usize>::new();
    for &l in label {
        *count.entry(l).or_default() += 1;
    }
    count.into_values().max().unwrap_or(0)
}

fn run(users: usize) -> serde_json::Value {
    let data = common::dataset_with_affinity("ps7", users);
    let s = scenario(&data);
    let loaded =
        pipeline::load(std::slice::from_ref(&data), &[&s], IngestOptions::default()).expect("load");
    let prep = pipeline::prepare(&loaded);
    let e = hybridready::sim::run::evaluate(&prep, &s).expect("evaluate");
    let to_move: Vec<_> = e.waves[1..].iter().flatten().copied().collect();
    let graph = &e.affinity.graph;
    // The planner alone, timed, on what `assess` hands it.
    let input = || waves::PlanInput {
        dir: prep.dir,
        ids: &prep.ids,
        graph,
        delegates: &e.affinity.delegates,
        pilot: e.waves[0].clone(),
        to_move: to_move.clone(),
        state: &e.state,
        kept: 0,
        already_online: 0,
        needs_oauth: false,
    };
    // HYBRIDREADY_BENCH_WAVE_PROFILE=N: the planner alone, N times, for a profiler.
    if let Some(times) = std::env::var("HYBRIDREADY_BENCH_WAVE_PROFILE")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        for _ in 0..times {
            let t = Instant::now();
            std::hint::black_box(waves::plan(input(), &s).expect("plan"));
            println!("{users} users: planning {:.3} s", t.elapsed().as_secs_f64());
        }
        return serde_json::json!({"users": users});
    }
    let pairs = measure::expanded_pairs(graph, &to_move);
    let total = pairs.len() as u64;

    let mut planned = vec![0u32; to_move.len()];
    let mut k = 0;
    for (w, members) in e.waves[1..].iter().enumerate() {
        for _ in members {
            planned[k] = w as u32;
            k += 1;
        }
    }
    let ou = measure::chunks_by_ou(prep.dir, &to_move, WAVE);
    let parts = to_move.len().div_ceil(WAVE);
    let t = Instant::now();
    let metis = metis_ref::labels(to_move.len(), &pairs, parts, 1);
    let metis_s = t.elapsed().as_secs_f64();

    // The planner and the floor in turns, three times each: the medians, as one run on a
    // shared machine wanders by a tenth.
    let files = common::csv_files(&data);
    let (mut plan_times, mut floor_times) = (Vec::new(), Vec::new());
    let mut plan = None;
    for _ in 0..3 {
        let t = Instant::now();
        plan = Some(waves::plan(input(), &s).expect("plan"));
        plan_times.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        std::hint::black_box(common::csv_floor(&files));
        floor_times.push(t.elapsed().as_secs_f64());
    }
    let plan = plan.expect("planned");
    let (plan_s, floor_s) = (median(plan_times), median(floor_times));

    println!(
        "{users} users: {} to move in waves of {WAVE}, {total} dependent pairs among them",
        to_move.len()
    );
    let mut rows = serde_json::Map::new();
    for (name, label) in [("planner", &planned), ("metis", &metis), ("ou-chunks", &ou)] {
        let (n, w) = measure::split(&pairs, label);
        println!(
            "  {name:<10} split {n:>9} pairs ({:>5.1} %), weight {w:>12}, largest wave {}",
            100.0 * n as f64 / total.max(1) as f64,
            largest(label)
        );
        rows.insert(
            name.into(),
            serde_json::json!({"split": n, "weight": w, "largest": largest(label)}),
        );
    }
    let (p, _) = measure::split(&pairs, &planned);
    let (m, _) = measure::split(&pairs, &metis);
    let (o, _) = measure::split(&pairs, &ou);
    println!(
        "  planner / metis = {:.3}, planner / ou-chunks = {:.3}; delegate pairs split: {}",
        p as f64 / m.max(1) as f64,
        p as f64 / o.max(1) as f64,
        plan.waves.delegate_pairs_split
    );
    println!(
        "  planning {plan_s:.3} s = {:.2}× the csv floor ({floor_s:.3} s); metis {metis_s:.3} s",
        plan_s / floor_s
    );
    serde_json::json!({
        "users": users,
        "to_move": to_move.len(),
        "pairs": total,
        "methods": rows,
        "plan_s": plan_s,
        "floor_s": floor_s,
        "metis_s": metis_s,
        "delegate_pairs_split": plan.waves.delegate_pairs_split,
    })
}

fn main() {
    let sizes: Vec<usize> = match std::env::var("HYBRIDREADY_BENCH_WAVE_USERS") {
        Ok(v) => v
            .split(',')
            .filter_map(|x| x.trim().replace('_', "").parse().ok())
            .collect(),
        Err(_) => vec![3_000, 100_000],
    };
    let results: Vec<_> = sizes.into_iter().map(run).collect();
    common::write_results("waves", "results.json", &serde_json::json!(results));
}
