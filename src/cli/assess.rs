//! `hybridready assess INPUT… [--scenario FILE] --out DIR`.

use super::{CliError, column_map, progress::Bar};
use crate::graph::DirectoryGraph;
use crate::ingest::{IngestOptions, ingest};
use crate::report::atomic;
use crate::report::summary::{
    DirectorySummary, InputSummary, SCHEMA_VERSION, ScenarioRef, Summary, Tool,
};
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

pub fn run(a: AssessArgs) -> Result<u8, CliError> {
    let bar = Bar::new();
    let cb = bar.callback();
    let opts = IngestOptions {
        columns: column_map(&a.columns)?,
        progress: Some(&cb),
        ..Default::default()
    };
    let ingested = ingest(&a.inputs, &opts)?;
    bar.finish();
    let graph = DirectoryGraph::build(&ingested.directory);
    let summary = Summary {
        schema_version: SCHEMA_VERSION,
        tool: Tool::default(),
        scenario: ScenarioRef {
            name: "default".into(),
            file: None,
            defaults_used: Vec::new(),
        },
        inputs: ingested.inputs.iter().map(InputSummary::from).collect(),
        directory: DirectorySummary::new(&ingested.directory, &graph),
        sync: None,
        breaks: None,
        steps: None,
        score: None,
        top_unsynced: None,
    };
    let json = serde_json::to_vec_pretty(&summary)
        .map_err(|e| CliError::output(format!("cannot serialise summary.json: {e}")))?;
    let path = a.out.join("summary.json");
    atomic::write(&path, &json)
        .map_err(|e| CliError::output(format!("{}: cannot write: {e}", path.display())))?;
    // The report is rendered last, from the files just written, exactly as `hybridready report
    // DIR` would: one code path, so both always agree.
    if !a.no_report {
        crate::report::render_dir(&a.out, a.lang, super::rule_docs(), None)
            .map_err(|e| CliError::output(format!("cannot render the report: {e}")))?;
    }
    let mut code = 0;
    for r in ingested.refused() {
        if let Some(x) = &r.refusal {
            super::print_error(&CliError::input(
                format!("{}: {}", r.display_name(), x.reason),
                x.hint.clone(),
            ));
        }
        code = 2;
    }
    Ok(code)
}
