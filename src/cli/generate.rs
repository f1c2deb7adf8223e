//! `hybridready generate --users N --seed S --dialect D --out DIR`: a realistic synthetic
//! directory for samples, tests and benchmarks.

use super::CliError;
use crate::generate::{Dialect, GenerateOptions, generate_with_progress};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Staff users to generate (built-in and service accounts come on top).
    #[arg(long, default_value_t = 300)]
    pub users: usize,
    /// Seed: the same seed gives the same directory in every dialect.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// ps51, ps7, utf16, excel-fr, csvde, xlsx, adrecon, csuser or membership.
    #[arg(long, default_value = "ps7")]
    pub dialect: String,
    /// Folder to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Leave out the injected data-quality defects.
    #[arg(long)]
    pub clean: bool,
    /// Also write delegates.csv and interactions.csv (affinity files for a scenario).
    #[arg(long)]
    pub affinity: bool,
}

pub fn run(a: GenerateArgs) -> Result<u8, CliError> {
    let dialect: Dialect =
        a.dialect
            .parse()
            .map_err(|e: <Dialect as std::str::FromStr>::Err| {
                CliError::input(
                    format!("--dialect {}: {e}", a.dialect),
                    "run hybridready generate --help",
                )
            })?;
    let opts = GenerateOptions {
        users: a.users,
        seed: a.seed,
        dialect,
        out: a.out.clone(),
        with_defects: !a.clean,
        affinity: a.affinity,
    };
    let bar = ProgressBar::with_draw_target(Some(a.users as u64), ProgressDrawTarget::hidden());
    if a.users >= 50_000 {
        bar.set_draw_target(ProgressDrawTarget::stderr());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} generating {pos}/{len} users [{bar:30}] {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let report = generate_with_progress(&opts, &|n| bar.set_position(n))
        .map_err(|e| CliError::output(format!("{}: {e:#}", a.out.display())))?;
    bar.finish_and_clear();
    let m = &report.manifest;
    println!(
        "wrote {} file(s) to {}: {} users, {} groups, {} contacts, {} memberships, {} SfB users, {} injected defects",
        report.files.len(),
        a.out.display(),
        m.users,
        m.groups,
        m.contacts,
        m.memberships,
        m.sfb_users,
        m.defects.len()
    );
    Ok(0)
}
