//! What-if batches against one assessment (issue: a 64-variant batch on 100,000 users within 3×
//! the time of one `assess` on the same inputs, using both cores).
//!
//!     cargo bench --bench batch
//!     HYBRIDREADY_BENCH_USERS=20000 cargo bench --bench batch

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use hybridready::ingest::IngestOptions;
use hybridready::pipeline;
use hybridready::sim::batch::Variant;
use hybridready::sim::scenario::Scenario;
use rayon::prelude::*;
use std::time::Duration;

/// A scenario like the sample's, for the generated directory.
fn base() -> Scenario {
    let mut s = Scenario::parse(
        r#"
name = "baseline"
[tenant]
initial_domain = "contoso.onmicrosoft.com"
verified_domains = ["contoso.com", "fabrikam.com"]
shared_sip_address_space = true
[sync]
exclude_ous = ["OU=Contractors,OU=Staff,DC=contoso,DC=com"]
[pilot]
group = "CN=SfB-Pilot,OU=Groups,DC=contoso,DC=com"
[waves]
size = 500
"#,
        "bench",
    )
    .expect("scenario");
    s.affinity.max_group_size = 100;
    s
}

/// 64 variants: the cross product of six yes/no choices.
fn variants() -> Vec<Variant> {
    (0..64u32)
        .map(|n| {
            let mut s = base();
            let bit = |i: u32| n & (1 << i) != 0;
            if bit(0) {
                s.sync.exclude_ous = Some(vec![]);
            }
            if bit(1) {
                s.tenant
                    .verified_domains
                    .get_or_insert_with(Vec::new)
                    .push("contoso-partners.com".into());
            }
            if bit(2) {
                s.affinity.max_group_size = 50;
            }
            if bit(3) {
                s.affinity.manager = false;
            }
            if bit(4) {
                s.tenant.shared_sip_address_space = Some(false);
            }
            if bit(5) {
                s.waves.size = 1000;
            }
            Variant {
                name: format!("variant {n}"),
                scenario: s,
            }
        })
        .collect()
}

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
            let outcome = pipeline::run(&loaded, &base).expect("run");
            let summary = pipeline::summary(&loaded, &base, None, &outcome);
            pipeline::write_assessment(out.path(), &loaded, &summary, &outcome).expect("write");
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
            let prep = pipeline::prepare(&loaded);
            let outcomes: Vec<_> = vs
                .par_iter()
                .map(|v| hybridready::sim::run::simulate(&prep, &v.scenario).expect("simulate"))
                .collect();
            let rows: Vec<_> = vs
                .iter()
                .zip(&outcomes)
                .map(|(v, o)| pipeline::comparison_row(&v.name, o))
                .collect();
            for (i, (v, o)) in vs.iter().zip(&outcomes).enumerate() {
                let s = pipeline::summary(&loaded, &v.scenario, None, o);
                let p = out
                    .path()
                    .join("variants")
                    .join(format!("{i:03}"))
                    .join("summary.json");
                pipeline::write_json(&p, &s).expect("write");
            }
            pipeline::write_comparison(out.path(), &rows).expect("write");
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
