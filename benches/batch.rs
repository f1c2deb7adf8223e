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

use common::gb;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The values of each matrix key: 8 × 8 = 64 variants.
const GROUP_SIZES: [u32; 8] = [10, 20, 30, 50, 75, 100, 150, 200];
const WAVE_SIZES: [u32; 8] = [25, 50, 75, 100, 150, 200, 300, 500];

/// The sample's scenario without its affinity files, and the batch file over it.
fn inputs(dir: &Path) -> (PathBuf, PathBuf) {
    let scenario = common::scenario_without_affinity(dir);
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

/// One run of the binary with `args`.
fn run(args: &[&Path], out: &Path) -> (f64, Option<u64>) {
    let args: Vec<&OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    common::run_timed(Path::new(env!("CARGO_BIN_EXE_hybridready")), &args, out)
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
