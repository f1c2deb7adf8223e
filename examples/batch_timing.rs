//! One assess and one 64-variant batch on a generated directory, timed (wall and CPU):
//!
//!     cargo run --release --example batch_timing -- [USERS]

#[path = "../benches/common/mod.rs"]
mod common;

use hybridready::ingest::IngestOptions;
use hybridready::pipeline;
use rayon::prelude::*;
use std::time::Instant;

fn main() {
    let users = std::env::args()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = common::dataset("ps7", users);
    let out = tempfile::tempdir().expect("tempdir");
    let scenario_text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/contoso/scenario.toml"),
    )
    .expect("scenario");
    let mut base = hybridready::assessment::scenario::Scenario::parse(&scenario_text, "scenario")
        .expect("parse");
    base.affinity.delegates = None;
    base.affinity.interactions = None;
    let t = Instant::now();
    let c = common::cpu_s();
    let loaded = pipeline::load(
        std::slice::from_ref(&dir),
        &[&base],
        IngestOptions::default(),
    )
    .expect("load");
    let t_load = t.elapsed().as_secs_f64();
    let outcome = pipeline::run(&loaded, &base).expect("run");
    let t_sim = t.elapsed().as_secs_f64() - t_load;
    let summary = pipeline::summary(&loaded, &base, None, &outcome);
    pipeline::write_assessment(out.path(), &loaded, &summary, &outcome).expect("write");
    let assess = t.elapsed().as_secs_f64();
    println!(
        "assess: {assess:.2} s wall ({t_load:.2} load, {t_sim:.2} simulate, rest outputs), {:.2} s CPU",
        common::cpu_s() - c
    );
    let variants = common::variants_64(&base);
    let t = Instant::now();
    let c = common::cpu_s();
    let scenarios: Vec<_> = variants.iter().map(|v| &v.1).collect();
    let loaded = pipeline::load(
        std::slice::from_ref(&dir),
        &scenarios,
        IngestOptions::default(),
    )
    .expect("load");
    let prep = pipeline::prepare(&loaded);
    let outcomes: Vec<_> = variants
        .par_iter()
        .map(|(_, s)| hybridready::sim::run::simulate(&prep, s).expect("simulate"))
        .collect();
    let rows: Vec<_> = variants
        .iter()
        .zip(&outcomes)
        .map(|((n, _), o)| pipeline::comparison_row(n, o))
        .collect();
    for (i, ((_, s), o)) in variants.iter().zip(&outcomes).enumerate() {
        let sum = pipeline::summary(&loaded, s, None, o);
        pipeline::write_json(&out.path().join(format!("v{i}/summary.json")), &sum).expect("write");
    }
    pipeline::write_comparison(out.path(), &rows).expect("write");
    let batch = t.elapsed().as_secs_f64();
    println!(
        "batch of 64: {batch:.2} s wall = {:.2}× one assess, {:.2} s CPU",
        batch / assess,
        common::cpu_s() - c
    );
}
