//! `hybridready assess` as a user runs it (the binary, every output: assessment.json,
//! summary.json, the worklists, the waves, and with the readiness report or `--no-report`) on a
//! generated directory (default: 1,000,000 users, PowerShell 7 dialect), against the floor of
//! the csv crate parsing the same files. The targets (issue 22): `--no-report` within 3× the
//! floor, with the report within 4×, peak memory under 3 GiB.
//!
//!     cargo bench --bench assess
//!     HYBRIDREADY_BENCH_USERS=100000 HYBRIDREADY_BENCH_PAIRS=3 cargo bench --bench assess
//!     HYBRIDREADY_BENCH_BASELINE=/path/to/older/hybridready cargo bench --bench assess
//!
//! A run takes tens of seconds, so the bench does not go through criterion's sampling: it times
//! the floor and the command side by side in rounds (`HYBRIDREADY_BENCH_PAIRS`, default 5), in
//! alternating order, and prints each round's ratio and their median, which the drift of a
//! shared machine moves least (see `benches/ingest.rs`). With `HYBRIDREADY_BENCH_BASELINE`, an
//! older build of the binary runs in the same rounds, so "no slower than before" is one
//! measurement. The peak memory of each run is read with GNU time when it is installed. The
//! figures are written to `target/criterion/assess-ps7-N/rounds.json`.

mod common;

use common::gb;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One run of `bin assess` on `data` with `extra` arguments.
fn assess(
    bin: &Path,
    extra: &[&str],
    data: &Path,
    scenario: &Path,
    out: &Path,
) -> (f64, Option<u64>) {
    let mut args: Vec<&OsStr> = vec!["assess".as_ref(), data.as_ref()];
    args.extend([OsStr::new("--scenario"), scenario.as_ref()]);
    args.extend(extra.iter().map(OsStr::new));
    common::run_timed(bin, &args, out)
}

struct Run {
    label: &'static str,
    bin: PathBuf,
    extra: &'static [&'static str],
    secs: Vec<f64>,
    peaks: Vec<Option<u64>>,
}

fn main() {
    // `cargo bench` passes `--bench`; a filter that is not `assess` asks for other benches.
    if std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .is_some_and(|f| f != "assess")
    {
        return;
    }
    let rounds: usize = std::env::var("HYBRIDREADY_BENCH_PAIRS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let users = common::users();
    let data = common::dataset("ps7", users);
    let files = common::csv_files(&data);
    let tmp = tempfile::tempdir().expect("tempdir");
    let scenario = common::scenario_without_affinity(tmp.path());
    let run = |label, bin: &PathBuf, extra| Run {
        label,
        bin: bin.clone(),
        extra,
        secs: Vec::new(),
        peaks: Vec::new(),
    };
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_hybridready"));
    let mut runs = vec![
        run("assess --no-report", &bin, &["--no-report"]),
        run("assess", &bin, &[]),
    ];
    if let Some(b) = std::env::var_os("HYBRIDREADY_BENCH_BASELINE") {
        let b = PathBuf::from(b);
        runs.push(run("baseline --no-report", &b, &["--no-report"]));
        runs.push(run("baseline", &b, &[]));
    }
    // One unmeasured run of each, so that no measured one pays for cold caches alone.
    common::csv_floor(&files);
    for r in &runs {
        assess(&r.bin, r.extra, &data, &scenario, &tmp.path().join("warm"));
    }
    println!(
        "assess-ps7-{users}: the floor and `hybridready assess` side by side, {rounds} rounds"
    );
    let mut floors = Vec::new();
    for i in 0..rounds {
        // Alternate the order, so that neither always runs on a machine warmed by the other.
        let floor_first = i % 2 == 0;
        let time_floor = || {
            let t = Instant::now();
            std::hint::black_box(common::csv_floor(&files));
            t.elapsed().as_secs_f64()
        };
        if floor_first {
            floors.push(time_floor());
        }
        let order: Vec<usize> = if floor_first {
            (0..runs.len()).collect()
        } else {
            (0..runs.len()).rev().collect()
        };
        for k in order {
            let out = tmp.path().join(format!("out-{k}"));
            let (s, p) = assess(&runs[k].bin, runs[k].extra, &data, &scenario, &out);
            runs[k].secs.push(s);
            runs[k].peaks.push(p);
        }
        if !floor_first {
            floors.push(time_floor());
        }
        let mut line = format!("  round {:>2}: floor {:.3} s", i + 1, floors[i]);
        for r in &runs {
            line.push_str(&format!(
                ", {} {:.2} s ({:.2}×, peak {})",
                r.label,
                r.secs[i],
                r.secs[i] / floors[i],
                gb(r.peaks[i])
            ));
        }
        println!("{line}");
    }
    let floor = common::median(&floors);
    let mut summary = serde_json::json!({
        "users": users,
        "rounds": rounds,
        "floor_s": floors,
        "median_floor_s": floor,
    });
    for r in &runs {
        let ratios: Vec<f64> = r.secs.iter().zip(&floors).map(|(s, f)| s / f).collect();
        let peak = r.peaks.iter().flatten().max().copied();
        println!(
            "  {}: median {:.2} s, median ratio {:.2}× the floor, peak {}",
            r.label,
            common::median(&r.secs),
            common::median(&ratios),
            gb(peak)
        );
        summary[r.label] = serde_json::json!({
            "binary": r.bin.display().to_string(),
            "secs": r.secs,
            "median_s": common::median(&r.secs),
            "median_ratio": common::median(&ratios),
            "peak_kb": peak,
        });
    }
    common::write_results(&format!("assess-ps7-{users}"), "rounds.json", &summary);
}
