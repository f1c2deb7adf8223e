//! Shared by the benches: a synthetic directory generated once and kept under `target/bench-data`.
#![allow(dead_code)] // each bench and example uses a part of it

use std::path::{Path, PathBuf};

/// Users in the bench directory: `HYBRIDREADY_BENCH_USERS`, default one million.
pub fn users() -> usize {
    std::env::var("HYBRIDREADY_BENCH_USERS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000_000)
}

/// The folder of a generated directory in `dialect`, generating it on first use.
pub fn dataset(dialect: &str, users: usize) -> PathBuf {
    generated(dialect, users, false)
}

/// The same with `delegates.csv` and `interactions.csv` beside it.
pub fn dataset_with_affinity(dialect: &str, users: usize) -> PathBuf {
    generated(dialect, users, true)
}

fn generated(dialect: &str, users: usize, affinity: bool) -> PathBuf {
    let name = if affinity {
        format!("{dialect}-affinity-{users}")
    } else {
        format!("{dialect}-{users}")
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-data")
        .join(name);
    if !dir.join("manifest.json").exists() {
        eprintln!(
            "generating {users} users ({dialect}) into {}",
            dir.display()
        );
        let opts = hybridready::generate::GenerateOptions {
            users,
            seed: 42,
            dialect: dialect.parse().expect("dialect"),
            out: dir.clone(),
            with_defects: true,
            affinity,
        };
        hybridready::generate::generate(&opts).expect("generate");
    }
    dir
}

/// The CSV files of a dataset.
pub fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dataset")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    v.sort();
    v
}

/// The floor the ingest is measured against: the csv crate parsing the same files, one
/// `ByteRecord` at a time, doing nothing with them.
pub fn csv_floor(files: &[PathBuf]) -> u64 {
    let mut n = 0;
    for f in files {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(f)
            .expect("open");
        let mut rec = csv::ByteRecord::new();
        while rdr.read_byte_record(&mut rec).expect("parse") {
            n += rec.len() as u64;
        }
    }
    n
}

/// CPU seconds used so far by this process (user + system), from /proc/self/stat: wall times on
/// a shared machine are noisy, CPU times much less so.
#[allow(dead_code)]
pub fn cpu_s() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1;
            let f: Vec<&str> = after.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

/// Writes a bench's measurements as `target/criterion/<dir>/<file>`, for the closing notes; a
/// bench that cannot write them still prints them.
pub fn write_results(dir: &str, file: &str, results: &serde_json::Value) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/criterion")
        .join(dir);
    let written = std::fs::create_dir_all(&dir).and_then(|()| {
        std::fs::write(
            dir.join(file),
            serde_json::to_string_pretty(results).unwrap_or_default(),
        )
    });
    if let Err(e) = written {
        eprintln!("cannot write {}: {e}", dir.join(file).display());
    }
}

/// The median of `v` (not empty).
pub fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// A scenario like the sample's, for a generated directory, with waves of `wave_size`.
pub fn scenario(name: &str, wave_size: usize) -> hybridready::assessment::scenario::Scenario {
    let mut s = hybridready::assessment::scenario::Scenario::parse(
        &format!(
            r#"
name = "{name}"
[tenant]
initial_domain = "contoso.onmicrosoft.com"
verified_domains = ["contoso.com", "fabrikam.com"]
shared_sip_address_space = true
[sync]
exclude_ous = ["OU=Contractors,OU=Staff,DC=contoso,DC=com"]
[pilot]
group = "CN=SfB-Pilot,OU=Groups,DC=contoso,DC=com"
[waves]
size = {wave_size}
"#
        ),
        "bench",
    )
    .expect("scenario");
    s.affinity.max_group_size = 100;
    s
}

/// The sample's scenario without its affinity files (they name the sample's users, not the
/// generated ones), written as `dir/scenario.toml`.
pub fn scenario_without_affinity(dir: &Path) -> PathBuf {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/contoso/scenario.toml");
    let text = std::fs::read_to_string(&sample).expect("samples/contoso/scenario.toml");
    let kept: Vec<&str> = text.lines().filter(|l| !l.contains("affinity/")).collect();
    let path = dir.join("scenario.toml");
    std::fs::write(&path, kept.join("\n")).expect("write the scenario");
    path
}

/// One run of `bin args… --out out` (the old `out` removed first): seconds and, with GNU time,
/// peak resident kilobytes. Exit 1 counts as success: the assessment is written, and builds
/// before issue 20 exit 1 when it has errors.
pub fn run_timed(bin: &Path, args: &[&std::ffi::OsStr], out: &Path) -> (f64, Option<u64>) {
    let _ = std::fs::remove_dir_all(out);
    let gnu_time = Path::new("/usr/bin/time");
    let report = out.with_extension("time");
    let mut cmd = if gnu_time.is_file() {
        let mut c = std::process::Command::new(gnu_time);
        c.arg("-f").arg("%M").arg("-o").arg(&report).arg(bin);
        c
    } else {
        std::process::Command::new(bin)
    };
    cmd.args(args)
        .arg("--out")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", "1790000000");
    let t = std::time::Instant::now();
    let result = cmd.output().expect("run hybridready");
    let secs = t.elapsed().as_secs_f64();
    assert!(
        matches!(result.status.code(), Some(0 | 1)),
        "{} failed: {}",
        bin.display(),
        String::from_utf8_lossy(&result.stderr)
    );
    let peak = std::fs::read_to_string(&report)
        .ok()
        .and_then(|s| s.trim().lines().last()?.trim().parse().ok());
    (secs, peak)
}

/// Peak kilobytes as gigabytes, for the benches' lines.
pub fn gb(kb: Option<u64>) -> String {
    kb.map_or("–".into(), |k| format!("{:.2} GB", k as f64 / 1e6))
}
