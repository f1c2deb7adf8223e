//! `hybridready assess INPUT… [--scenario FILE] --out DIR`.

use super::{CliError, column_map, progress::Bar};
use crate::assessment::{Assessment, Status};
use crate::ingest::IngestOptions;
use crate::pipeline;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct AssessArgs {
    /// Export files, or folders to read recursively (CSV, TSV, TXT, XLSX).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Where to write the assessment, the worklists and the report.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The tenant, sync configuration and move plan (TOML). Default: the `scenario.toml` of a
    /// lone input folder; else every domain synced, nothing verified yet, no pilot.
    #[arg(long, value_name = "FILE.toml")]
    pub scenario: Option<PathBuf>,
    /// Extra header spellings: a TOML file with a [columns] table of "Header" = "attribute".
    #[arg(long, value_name = "FILE.toml")]
    pub columns: Option<PathBuf>,
    /// Language of the report and the worklists (French worklists are `;`-separated).
    #[arg(long, default_value = "en", value_name = "en|fr")]
    pub lang: crate::report::Lang,
    /// The customer's name for the cover (default: the tenant name of the scenario).
    #[arg(long, value_name = "NAME")]
    pub customer: Option<String>,
    /// Write the assessment and the worklists only, not the report (PDF, HTML, SVG).
    #[arg(long)]
    pub no_report: bool,
    /// Exit with 1 when a finding or a check reaches this severity: `error` (an error finding,
    /// or a failing check) or `warning` (also a warning, or a check at risk).
    #[arg(long, value_enum, value_name = "error|warning")]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub limits: super::LimitArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

/// Whether the assessment trips the gate.
pub fn trips(a: &Assessment, gate: FailOn) -> bool {
    let f = &a.findings;
    let worst = a.steps.iter().map(|s| s.status).max();
    match gate {
        FailOn::Error => f.errors > 0 || worst == Some(Status::Fail),
        FailOn::Warning => {
            f.errors > 0 || f.warnings > 0 || worst.is_some_and(|s| s >= Status::Warn)
        }
    }
}

pub fn run(mut a: AssessArgs) -> Result<u8, CliError> {
    super::check_out(&a.inputs, &a.out)?;
    let staged = super::outdir::Staged::begin(&a.out)?;
    if a.scenario.is_none()
        && let Some(found) = pipeline::scenario_in(&a.inputs)
    {
        eprintln!(
            "hybridready: using the scenario {}",
            crate::report::console::terminal(&found.display().to_string())
        );
        a.scenario = Some(found);
    }
    let scenario = pipeline::scenario(a.scenario.as_deref()).map_err(super::scenario_error)?;
    let bar = Bar::new();
    let cb = bar.callback();
    let opts = IngestOptions {
        columns: column_map(&a.columns)?,
        // A scenario kept among the exports is read as the scenario, not listed as passed over.
        exclude: a.scenario.iter().cloned().collect(),
        progress: Some(&cb),
        limits: a.limits.limits(),
    };
    let loaded = pipeline::load(&a.inputs, &[&scenario], opts).map_err(super::pipeline_error)?;
    bar.stage("simulating the deployment and writing the outputs");
    let assessment = pipeline::assess_into(
        &loaded,
        pipeline::Context {
            scenario: &scenario,
            scenario_file: a.scenario.as_deref(),
            customer: a.customer.clone(),
            assessed_at: pipeline::assessment_time(),
        },
        staged.path(),
        crate::report::Options {
            lang: a.lang,
            report: !a.no_report,
        },
    )
    .map_err(super::pipeline_error);
    bar.finish();
    let assessment = assessment?;
    staged.commit()?;
    super::report_refused(&loaded.ingested);
    print!(
        "{}",
        crate::report::console::terminal(&crate::report::console::summary(
            &assessment,
            a.lang,
            &a.out,
            !a.no_report
        ))
    );
    if loaded.ingested.hidden > 0 {
        let t = a.lang.catalog();
        println!(
            "{}",
            t.msg(
                "console.hidden",
                &[("count", loaded.ingested.hidden.into())]
            )
        );
    }
    // Input errors (2) win over the gate (1), so a pipeline can tell them apart.
    let refused = loaded.ingested.refused().next().is_some();
    let gate = a.fail_on.is_some_and(|g| trips(&assessment, g));
    Ok(if refused { 2 } else { u8::from(gate) })
}
