//! `hybridready assess INPUT… [--scenario FILE] --out DIR`.

use super::{CliError, column_map, progress::Bar};
use crate::ingest::IngestOptions;
use crate::pipeline;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct AssessArgs {
    /// Export files, or folders to read recursively (CSV, TSV, TXT, XLSX).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Where to write summary.json, the worklists and the reports.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The tenant, sync configuration and move plan (TOML). Default: the `scenario.toml` of a
    /// lone input folder; else every domain synced, nothing verified yet, no pilot.
    #[arg(long, value_name = "FILE.toml")]
    pub scenario: Option<PathBuf>,
    /// Extra header spellings: a TOML file with a [columns] table of "Header" = "attribute".
    #[arg(long, value_name = "FILE.toml")]
    pub columns: Option<PathBuf>,
    /// Language of the report (report.pdf, report.html, charts/).
    #[arg(long, default_value = "en", value_name = "en|fr")]
    pub lang: crate::report::Lang,
    /// Write summary.json and the worklists only, not the report.
    #[arg(long)]
    pub no_report: bool,
}

pub fn run(mut a: AssessArgs) -> Result<u8, CliError> {
    if a.scenario.is_none()
        && let Some(found) = pipeline::scenario_in(&a.inputs)
    {
        eprintln!("hybridready: using the scenario {}", found.display());
        a.scenario = Some(found);
    }
    let scenario = pipeline::scenario(a.scenario.as_deref()).map_err(super::scenario_error)?;
    let bar = Bar::new();
    let cb = bar.callback();
    let opts = IngestOptions {
        columns: column_map(&a.columns)?,
        progress: Some(&cb),
        ..Default::default()
    };
    let loaded = pipeline::load(&a.inputs, &[&scenario], opts).map_err(super::pipeline_error)?;
    bar.finish();
    let outcome = pipeline::run(&loaded, &scenario).map_err(super::pipeline_error)?;
    let summary = pipeline::summary(&loaded, &scenario, a.scenario.as_deref(), &outcome);
    pipeline::write_assessment(&a.out, &loaded, &summary, &outcome)
        .map_err(super::pipeline_error)?;
    // The report is rendered last, from the files just written, exactly as `hybridready report
    // DIR` would: one code path, so both always agree.
    if !a.no_report {
        crate::report::render_dir(&a.out, a.lang, super::rule_docs(), None)
            .map_err(|e| CliError::output(format!("cannot render the report: {e}")))?;
    }
    super::report_refused(&loaded.ingested);
    // Input errors (2) win over error findings (1), so a pipeline can gate on the code.
    let refused = loaded.ingested.refused().next().is_some();
    let errors = summary
        .findings
        .by_severity
        .get("error")
        .copied()
        .unwrap_or(0)
        > 0;
    Ok(if refused { 2 } else { u8::from(errors) })
}
