//! `hybridready batch BATCH.toml INPUT… --out DIR`: every variant of a batch, evaluated in
//! parallel on inputs read once.

use super::{CliError, column_map, progress::Bar};
use crate::ingest::IngestOptions;
use crate::pipeline;
use crate::sim::batch;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct BatchArgs {
    /// The batch file: a base scenario, [[variant]] overrides and an optional [matrix].
    pub batch: PathBuf,
    /// Export files, or folders to read recursively.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Where to write comparison.csv, comparison.json and one folder per variant.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Extra header spellings: a TOML file with a [columns] table of "Header" = "attribute".
    #[arg(long, value_name = "FILE.toml")]
    pub columns: Option<PathBuf>,
    /// Language of the comparison report (comparison.pdf, comparison.html, comparison.svg).
    #[arg(long, default_value = "en", value_name = "en|fr")]
    pub lang: crate::report::Lang,
    /// Write comparison.csv, comparison.json and the variants' summary.json only.
    #[arg(long)]
    pub no_report: bool,
    #[command(flatten)]
    pub limits: super::LimitArgs,
}

pub fn run(a: BatchArgs) -> Result<u8, CliError> {
    super::check_out(&a.inputs, &a.out)?;
    let staged = super::outdir::Staged::begin(&a.out)?;
    let variants = batch::load(&a.batch).map_err(super::scenario_error)?;
    let bar = Bar::new();
    let cb = bar.callback();
    let opts = IngestOptions {
        columns: column_map(&a.columns)?,
        progress: Some(&cb),
        limits: a.limits.limits(),
        ..Default::default()
    };
    let scenarios: Vec<_> = variants.iter().map(|v| &v.scenario).collect();
    let loaded = pipeline::load(&a.inputs, &scenarios, opts).map_err(super::pipeline_error)?;
    bar.stage("simulating the variants and writing the comparison");
    let comparison = pipeline::batch_into(
        &loaded,
        &variants,
        Some(&a.batch),
        staged.path(),
        crate::report::Options {
            lang: a.lang,
            report: !a.no_report,
        },
    )
    .map_err(super::pipeline_error);
    bar.finish();
    let comparison = comparison?;
    staged.commit()?;
    super::report_refused(&loaded.ingested);
    print!(
        "{}",
        crate::report::console::terminal(&crate::report::console::comparison(
            &comparison,
            a.lang,
            &a.out,
            !a.no_report
        ))
    );
    Ok(if loaded.ingested.refused().next().is_some() {
        2
    } else {
        0
    })
}
