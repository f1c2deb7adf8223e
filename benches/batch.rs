//! What-if batches against one assessment, as a user runs them (issue 22): `hybridready batch`
//! of 64 variants, an 8 × 8 `[matrix]` over `affinity.max_group_size` and `waves.size`, against
//! one `hybridready assess` of the same inputs (default: 100,000 users, PowerShell 7 dialect, the
//! sample's scenario without its affinity files). The target: the batch within 3× the assess.
//!
//!     cargo bench --bench batch
//!     HYBRIDREADY_BENCH_USERS=20000 HYBRIDREADY_BENCH_PAIRS=5 cargo bench --bench batch
//!
//! Like `benches/assess.rs`, the two run side by side in rounds (`HYBRIDREADY_BENCH_PAIRS`,
//! default 3) after one unmeasured run of each, in alternating order, and the median of the
//! rounds' ratios is the figure. Written to `target/criterion/batch-ps7-N/rounds.json`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The values of each matrix key: 8 × 8 = 64 variants.
const GROUP_SIZES: [u32; 8] = [10, 20, 30, 50, 75, 100, 150, 200];
const WAVE_SIZES: [u32; 8] = [25, 50, 75, 100, 150, 200, 300, 500];

/// The sample's scenario without its affinity files (they name the sample's users), and the
/// batch file over it.
fn inputs(dir: &Path) -> (PathBuf, PathBuf) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/contoso/scenario.toml");
    let text = std::fs::read_to_string(&sample).expect("samples/contoso/scenario.toml");
    let kept: Vec<&str> = text.lines().filter(|l| !l.contains("affinity/")).collect();
    let scenario = dir.join("scenario.toml");
    std::fs::write(&scenario, kept.join("\n")).expect("write the scenario");
    let list = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    let batch = dir.join("batch.toml");
    std::fs::write(
        &batch,
        format!(
            "base = \"scenario.toml\"\n[matrix]\n\"affinity.max_group_size\" = [{}]\n\"waves.size\" = [{}]\n",
            list(&GROUP_SIZES),
            list(&WAVE_SIZES)
        ),
    )
    .expect("write the batch");
    (scenario, batch)
}

/// One run of the binary with `args`: seconds and, with GNU time, peak resident kilobytes.
fn run(args: &[&Path], out: &Path) -> (f64, Option<u64>) {
    let _ = std::fs::remove_dir_all(out);
    let bin = Path::new(env!("CARGO_BIN_EXE_hybridready"));
    let gnu_time = Path::new("/usr/bin/time");
    let report = out.with_extension("time");
    let mut cmd = if gnu_time.is_file() {
        let mut c = Command::new(gnu_time);
        c.arg("-f").arg("%M").arg("-o").arg(&report).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args)
        .arg("--out")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", "1790000000");
    let t = Instant::now();
    let result = cmd.output().expect("run hybridready");
    let secs = t.elapsed().as_secs_f64();
    assert!(
        matches!(result.status.code(), Some(0 | 1)),
        "hybridready failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    let peak = std::fs::read_to_string(&report)
        .ok()
        .and_then(|s| s.trim().lines().last()?.trim().parse().ok());
    (secs, peak)
}

fn gb(kb: Option<u64>) -> String {
    kb.map_or("–".into(), |k| format!("{:.2} GB", k as f64 / 1e6))
}

fn main() {
    // `cargo bench` passes `--bench`; a filter that is not `batch` asks for other benches.
    if std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .is_some_and(|f| f != "batch")
    {
        return;
    }
    let rounds: usize = std::env::var("HYBRIDREADY_BENCH_PAIRS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let users = common::users().min(100_000);
    let data = common::dataset("ps7", users);
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scenario, batch) = inputs(tmp.path());
    let assess_args = [
        Path::new("assess"),
        &data,
        Path::new("--scenario"),
        &scenario,
    ];
    let batch_args = [Path::new("batch"), &batch, &data];
    run(&assess_args, &tmp.path().join("warm-assess"));
    run(&batch_args, &tmp.path().join("warm-batch"));
    println!("batch-ps7-{users}: 64 variants against one assess, {rounds} rounds");
    let (mut assess, mut batches, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..rounds {
        let a_out = tmp.path().join("assess");
        let b_out = tmp.path().join("batch");
        let (a, b) = if i % 2 == 0 {
            let a = run(&assess_args, &a_out);
            (a, run(&batch_args, &b_out))
        } else {
            let b = run(&batch_args, &b_out);
            (run(&assess_args, &a_out), b)
        };
        println!(
            "  round {:>2}: assess {:.2} s (peak {}), batch {:.2} s (peak {}), {:.2}×",
            i + 1,
            a.0,
            gb(a.1),
            b.0,
            gb(b.1),
            b.0 / a.0
        );
        assess.push(a.0);
        batches.push(b.0);
        ratios.push(b.0 / a.0);
    }
    println!(
        "  median: assess {:.2} s, batch {:.2} s, ratio {:.2}× (target 3×)",
        common::median(&assess),
        common::median(&batches),
        common::median(&ratios)
    );
    common::write_results(
        &format!("batch-ps7-{users}"),
        "rounds.json",
        &serde_json::json!({
            "users": users,
            "variants": GROUP_SIZES.len() * WAVE_SIZES.len(),
            "assess_s": assess,
            "batch_s": batches,
            "ratios": ratios,
            "median_ratio": common::median(&ratios),
        }),
    );
}
