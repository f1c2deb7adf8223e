//! One assess and one 64-variant batch on a generated directory, timed (wall and CPU):
//!
//!     cargo run --release --example batch_timing -- [USERS]

#[path = "../benches/common/mod.rs"]
mod common;

use hybridready::ingest::IngestOptions;
use hybridready::pipeline;
use std::time::Instant;

/// The data, the worklists and the readiness report, as `assess` writes them by default.
const OPTIONS: hybridready::report::Options = hybridready::report::Options {
    lang: hybridready::report::Lang::En,
    report: true,
};

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
    pipeline::assess_into(
        &loaded,
        pipeline::Context {
            scenario: &base,
            scenario_file: None,
            customer: None,
            assessed_at: 0,
        },
        out.path(),
        OPTIONS,
    )
    .expect("assess");
    let t_sim = t.elapsed().as_secs_f64() - t_load;
    let assess = t.elapsed().as_secs_f64();
    println!(
        "assess: {assess:.2} s wall ({t_load:.2} load, {t_sim:.2} simulate and write), {:.2} s CPU",
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
    let vs: Vec<hybridready::sim::batch::Variant> = variants
        .into_iter()
        .map(|(name, scenario)| hybridready::sim::batch::Variant { name, scenario })
        .collect();
    pipeline::batch_into(&loaded, &vs, None, out.path(), OPTIONS).expect("batch");
    let batch = t.elapsed().as_secs_f64();
    println!(
        "batch of 64: {batch:.2} s wall = {:.2}× one assess, {:.2} s CPU",
        batch / assess,
        common::cpu_s() - c
    );
}
