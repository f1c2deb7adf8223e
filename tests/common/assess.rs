//! Assessments to render in the report tests: the bundled sample with its scenario, and a
//! generated directory with a scenario made from its manifest.

#![allow(dead_code)]

use hybridready::assessment::{Assessment, Scenario};
use hybridready::generate::{Dialect, GenerateOptions, generate};
use hybridready::ingest::IngestOptions;
use hybridready::pipeline;
use std::path::{Path, PathBuf};

/// 2026-11-26 00:00:00 UTC.
pub const EPOCH: i64 = 1_795_651_200;

pub fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/contoso")
}

/// The assessment of `inputs` with the scenario file `scenario`.
pub fn assess(inputs: &[PathBuf], scenario: &Path) -> Assessment {
    let s = Scenario::load(scenario).unwrap();
    let loaded = pipeline::load(inputs, &[&s], IngestOptions::default()).unwrap();
    let outcome = pipeline::run(&loaded, &s, EPOCH).unwrap();
    pipeline::assessment(
        &loaded,
        pipeline::Context {
            scenario: &s,
            scenario_file: Some(scenario),
            customer: None,
            assessed_at: EPOCH,
        },
        outcome,
    )
}

/// The bundled sample, assessed with its scenario.
pub fn sample() -> Assessment {
    let dir = sample_dir();
    assess(std::slice::from_ref(&dir), &dir.join("scenario.toml"))
}

/// A generated directory (PowerShell 7 exports, with its delegates and interactions files) and
/// a scenario written from its manifest: two domains verified, one contractors OU excluded, the
/// pilot group, waves of 150. Returns the folder (inputs and `scenario.toml`).
pub fn generated(users: usize, seed: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exports");
    let mut opts = GenerateOptions::new(users, seed, Dialect::Ps7, &out);
    opts.affinity = true;
    generate(&opts).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let excluded = manifest["contractors_ou_dns"][0].as_str().unwrap();
    let pilot = manifest["pilot_group_dn"].as_str().unwrap();
    std::fs::write(
        dir.path().join("scenario.toml"),
        format!(
            r#"name = "generated"
[tenant]
name = "Generated Ltd"
initial_domain = "generated.onmicrosoft.com"
verified_domains = ["contoso.com", "fabrikam.com"]
shared_sip_address_space = true
teams_enabled = true
tenants = 1
[sync]
exclude_ous = ["{excluded}"]
[affinity]
delegates = "exports/delegates.csv"
interactions = "exports/interactions.csv"
[pilot]
group = "{pilot}"
[waves]
size = 150
"#
        ),
    )
    .unwrap();
    dir
}

/// The assessment of a folder made by [`generated`].
pub fn assess_generated(dir: &Path) -> Assessment {
    assess(&[dir.join("exports")], &dir.join("scenario.toml"))
}
