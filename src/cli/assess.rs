//! `hybridready assess INPUT… [--scenario FILE] --out DIR`.

use super::{CliError, column_map, progress::Bar};
use crate::graph::DirectoryGraph;
use crate::ingest::{IngestOptions, ingest};
use crate::report::atomic;
use crate::report::summary::{
    DirectorySummary, FindingsSummary, InputSummary, SCHEMA_VERSION, ScenarioRef, Summary, Tool,
};
use crate::report::worklist;
use crate::rules::{RuleContext, Severity, evaluate};
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
    // The scenario (tenant domains, group size limit) fills the context once it exists.
    let findings = evaluate(&ingested.directory, &RuleContext::default());
    let dir = &ingested.directory;
    let csv = a.out.join("findings.csv");
    worklist::write_csv(&csv, dir, &findings)
        .map_err(|e| CliError::output(format!("{}: cannot write: {e}", csv.display())))?;
    let xlsx = a.out.join("findings.xlsx");
    worklist::write_xlsx(&xlsx, dir, &findings)
        .map_err(|e| CliError::output(format!("{}: cannot write: {e}", xlsx.display())))?;
    let summary = Summary {
        schema_version: SCHEMA_VERSION,
        tool: Tool::default(),
        scenario: ScenarioRef {
            name: "default".into(),
            file: None,
        },
        inputs: ingested.inputs.iter().map(InputSummary::from).collect(),
        directory: DirectorySummary::new(&ingested.directory, &graph),
        findings: FindingsSummary::new(&findings),
    };
    let json = serde_json::to_vec_pretty(&summary)
        .map_err(|e| CliError::output(format!("cannot serialise summary.json: {e}")))?;
    let path = a.out.join("summary.json");
    atomic::write(&path, &json)
        .map_err(|e| CliError::output(format!("{}: cannot write: {e}", path.display())))?;
    // Input errors (2) win over error findings (1).
    let mut code = u8::from(findings.iter().any(|f| f.severity == Severity::Error));
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
