//! What-if batches against one assessment (issue: a 64-variant batch on 100,000 users within 3×
//! the time of one `assess` on the same inputs, using both cores).
//!
//!     cargo bench --bench batch
//!     HYBRIDREADY_BENCH_USERS=20000 cargo bench --bench batch

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use hybridready::assessment::scenario::Scenario;
use hybridready::ingest::IngestOptions;
use hybridready::pipeline;
use hybridready::sim::batch::Variant;
use std::time::Duration;

/// A scenario like the sample's, for the generated directory.
fn base() -> Scenario {
    common::scenario("baseline", 500)
}

fn variants() -> Vec<Variant> {
    common::variants_64(&base())
        .into_iter()
        .map(|(name, scenario)| Variant { name, scenario })
        .collect()
}

/// The data, the worklists and the readiness report, as `assess` writes them by default.
const OPTIONS: hybridready::report::Options = hybridready::report::Options {
    lang: hybridready::report::Lang::En,
    report: true,
};

fn bench(c: &mut Criterion) {
    let users = common::users().min(100_000);
    let dir = common::dataset("ps7", users);
    let out = tempfile::tempdir().expect("tempdir");
    let base = base();
    let vs = variants();
    let mut g = c.benchmark_group(format!("batch-ps7-{users}"));
    g.sample_size(10)
        .measurement_time(Duration::from_secs(30))
        .warm_up_time(Duration::from_secs(1));
    g.bench_function("assess", |b| {
        b.iter(|| {
            let loaded = pipeline::load(
                std::slice::from_ref(&dir),
                &[&base],
                IngestOptions::default(),
            )
            .expect("load");
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
        })
    });
    g.bench_function("batch_64", |b| {
        b.iter(|| {
            let scenarios: Vec<&Scenario> = vs.iter().map(|v| &v.scenario).collect();
            let loaded = pipeline::load(
                std::slice::from_ref(&dir),
                &scenarios,
                IngestOptions::default(),
            )
            .expect("load");
            pipeline::batch_into(&loaded, &vs, None, out.path(), OPTIONS).expect("batch");
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
