//! Dev-only smoke run of the generator: `cargo run --release --example gen_smoke -- USERS SEED
//! DIALECT OUT [--no-defects]`. Prints the time taken, the files and the manifest counts.

use std::time::Instant;

use hybridready::generate::{Dialect, GenerateOptions, generate_with_progress};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let users: usize = args.first().map_or(Ok(1000), |s| s.parse())?;
    let seed: u64 = args.get(1).map_or(Ok(42), |s| s.parse())?;
    let dialect: Dialect = args.get(2).map_or(Ok(Dialect::Ps7), |s| s.parse())?;
    let out = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| "target/gen-smoke".into());
    let mut opts = GenerateOptions::new(users, seed, dialect, out);
    opts.with_defects = !args.iter().any(|a| a == "--no-defects");
    let t = Instant::now();
    let report = generate_with_progress(&opts, &|n| {
        if n % 262_144 == 0 && n > 0 {
            eprintln!("  {n} users written");
        }
    })?;
    let secs = t.elapsed().as_secs_f64();
    for f in &report.files {
        let size = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        println!("{size:>14}  {}", f.display());
    }
    let m = &report.manifest;
    println!(
        "{secs:.2}s  users={} groups={} contacts={} ous={} memberships={} sfb={} online={} defects={} hidden={}",
        m.users,
        m.groups,
        m.contacts,
        m.ous,
        m.memberships,
        m.sfb_users,
        m.sfb_online,
        m.defects.len(),
        m.defects_not_exported.len()
    );
    Ok(())
}
