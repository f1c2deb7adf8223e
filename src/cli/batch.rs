//! `hybridready batch BATCH.toml INPUT… --out DIR`: every variant of a batch, evaluated in
//! parallel on inputs read once.

use super::{CliError, column_map, progress::Bar};
use crate::ingest::IngestOptions;
use crate::pipeline;
use crate::sim::batch;
use clap::Args;
use rayon::prelude::*;
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
}

pub fn run(a: BatchArgs) -> Result<u8, CliError> {
    let variants = batch::load(&a.batch).map_err(super::scenario_error)?;
    let bar = Bar::new();
    let cb = bar.callback();
    let opts = IngestOptions {
        columns: column_map(&a.columns)?,
        progress: Some(&cb),
        ..Default::default()
    };
    let scenarios: Vec<_> = variants.iter().map(|v| &v.scenario).collect();
    let loaded = pipeline::load(&a.inputs, &scenarios, opts).map_err(super::pipeline_error)?;
    bar.finish();
    let prep = pipeline::prepare(&loaded);
    let outcomes: Vec<_> = variants
        .par_iter()
        .map(|v| crate::sim::run::simulate(&prep, &v.scenario))
        .collect::<Result<_, _>>()
        .map_err(|e| super::pipeline_error(e.into()))?;
    let mut rows = Vec::new();
    let mut report_rows = Vec::new();
    for (i, (v, o)) in variants.iter().zip(&outcomes).enumerate() {
        let summary = pipeline::summary(&loaded, &v.scenario, Some(&a.batch), o);
        let folder = a.out.join("variants").join(batch::slug(&v.name, i));
        pipeline::write_json(&folder.join("summary.json"), &summary)
            .map_err(super::pipeline_error)?;
        rows.push(pipeline::comparison_row(&v.name, o));
        report_rows.push(crate::report::VariantRow::from_summary(&v.name, &summary));
    }
    pipeline::write_comparison(&a.out, &rows).map_err(super::pipeline_error)?;
    if !a.no_report {
        crate::report::render_comparison(&report_rows, &a.out, a.lang)
            .map_err(|e| CliError::output(format!("cannot render the comparison report: {e}")))?;
    }
    super::report_refused(&loaded.ingested);
    Ok(if loaded.ingested.refused().next().is_some() {
        2
    } else {
        0
    })
}
