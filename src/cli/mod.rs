//! The command line: argument parsing, progress and messages. Glue only: every computation is
//! a library call, so `main.rs` stays thin and the library stays usable without the CLI.

mod assess;
mod batch;
mod collect_script;
mod generate;
mod inspect;
mod outdir;
pub mod progress;
mod report;
mod rules;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "hybridready",
    version,
    about = "Readiness of Active Directory exports for a Skype for Business Server <-> Microsoft 365 hybrid deployment",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Show what each input file is: dialect, encoding, delimiter, rows, columns recognised,
    /// missing and what that leaves unchecked. Run it first on a customer's files.
    Inspect(inspect::InspectArgs),
    /// Assess readiness and write the assessment, the worklists and the report into --out.
    /// Exit code 0 once written (1 with --fail-on when the gate trips); 2: input errors.
    Assess(assess::AssessArgs),
    /// Evaluate every variant of a batch file on inputs read once, in parallel, and compare them.
    Batch(batch::BatchArgs),
    /// List the sync-readiness rules, with their severity, effect and public source.
    Rules(rules::RulesArgs),
    /// Print everything about one rule: why it matters, the fix, the source.
    Explain(rules::ExplainArgs),
    /// Write a realistic synthetic directory (several domains, OUs, nested groups with a cycle,
    /// managers, SfB users, injected defects) in any export dialect, with a manifest.json.
    Generate(generate::GenerateArgs),
    /// Render a previous assess folder again from its assessment.json (e.g. in another
    /// language, or with the customer's name), without reading the exports again.
    Report(report::ReportArgs),
    /// Print the collection kit, Collect-HybridReady.ps1: the read-only PowerShell script a
    /// customer runs to export what hybridready reads (AD per forest and domain, Skype for
    /// Business, the tenant when connected), with a manifest and one zip.
    CollectScript(collect_script::CollectScriptArgs),
    /// Say why a user is in its move wave and which of its dependents move in other waves,
    /// from an assess folder.
    ExplainWave(report::ExplainWaveArgs),
}

/// A failure the user can act on: one line saying what failed and where, then a hint.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub hint: Option<String>,
    pub code: u8,
}

impl CliError {
    pub fn input(message: impl Into<String>, hint: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            hint: Some(hint.into()),
            code: 2,
        }
    }
    pub fn output(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            hint: None,
            code: 2,
        }
    }
}

impl From<crate::ingest::IngestError> for CliError {
    fn from(e: crate::ingest::IngestError) -> Self {
        let hint = match &e {
            crate::ingest::IngestError::NoInputs(_) => {
                "give CSV, TSV, TXT, XLSX, XLS, XLSB or ODS exports, configuration exports (JSON, CLIXML, Format-List), or a folder or zip holding them"
            }
            crate::ingest::IngestError::OutputFolder(_) => {
                "give the customer's exports; to render this assessment again, use `hybridready report`"
            }
            _ => "check the path",
        };
        CliError::input(e.to_string(), hint)
    }
}

pub fn print_error(e: &CliError) {
    let term = crate::report::console::terminal;
    eprintln!("hybridready: error: {}", term(&e.message));
    if let Some(h) = &e.hint {
        eprintln!("  hint: {}", term(h));
    }
}

/// Runs the command line and returns the process exit code: 0 clean, 1 error findings (assess),
/// 2 input or usage errors.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Inspect(a) => inspect::run(a),
        Command::Assess(a) => assess::run(a),
        Command::Batch(a) => batch::run(a),
        Command::Rules(a) => rules::run_rules(a),
        Command::Explain(a) => rules::run_explain(a),
        Command::Generate(a) => generate::run(a),
        Command::Report(a) => report::run(a),
        Command::ExplainWave(a) => report::run_explain_wave(a),
        Command::CollectScript(a) => collect_script::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            print_error(&e);
            ExitCode::from(e.code)
        }
    }
}

/// `--limit NAME=VALUE`, shared by the commands that read exports.
#[derive(clap::Args, Debug, Default)]
pub struct LimitArgs {
    /// Raise or lower a limit on hostile input, e.g. `--limit file-size=32GiB` (repeatable;
    /// --help lists the limits).
    #[arg(
        long = "limit",
        value_name = "NAME=VALUE",
        value_parser = crate::ingest::limits::parse_setting,
        long_help = limit_help()
    )]
    limit: Vec<(crate::ingest::limits::Limit, u64)>,
}

fn limit_help() -> String {
    format!(
        "Raise or lower a limit on hostile input (repeatable). An input over a limit on a whole \
         file is refused (exit 2, the others are still assessed); a value over a limit on one \
         value is a value error of its row.\n\n{}",
        crate::ingest::limits::help()
    )
}

impl LimitArgs {
    /// The defaults with every `--limit` applied, the last one of a name winning.
    pub fn limits(&self) -> crate::ingest::limits::Limits {
        let mut limits = crate::ingest::limits::Limits::default();
        for &(limit, value) in &self.limit {
            limits.set(limit, value);
        }
        limits
    }
}

/// Loads `--columns FILE.toml` if given.
fn column_map(path: &Option<PathBuf>) -> Result<crate::ingest::columns::ColumnMap, CliError> {
    match path {
        Some(p) => crate::ingest::columns::ColumnMap::load(p).map_err(|e| {
            CliError::input(
                e.to_string(),
                "the file holds a [columns] table of \"Header as written\" = \"attribute\" lines",
            )
        }),
        None => Ok(Default::default()),
    }
}

pub(crate) fn scenario_error(e: crate::assessment::scenario::ScenarioError) -> CliError {
    CliError::input(
        e.to_string(),
        "see the scenario format in README.md (every key is optional; unknown keys are refused)",
    )
}

fn pipeline_error(e: crate::pipeline::PipelineError) -> CliError {
    use crate::pipeline::PipelineError as P;
    match e {
        P::Scenario(s) => scenario_error(s),
        P::Ingest(i) => i.into(),
        P::Sim(s) => CliError::input(
            format!("scenario: {s}"),
            "fix that value in the scenario: it must name a domain, OU, group or user of the inputs, or be in the range given (README.md describes each key)",
        ),
        P::Output(o) => output_error(o),
    }
}

/// Refuses an `--out` folder that is an input folder or lies inside one: the run would write
/// over inputs of the same name (`waves.csv`), and the next run would read its own outputs.
fn check_out(inputs: &[PathBuf], out: &Path) -> Result<(), CliError> {
    // The output folder may not exist yet: compare through its nearest existing ancestor.
    let absolute = |p: &Path| -> Option<PathBuf> {
        let mut existing = p;
        let mut rest = Vec::new();
        loop {
            if let Ok(c) = existing.canonicalize() {
                return Some(rest.iter().rev().fold(c, |acc: PathBuf, n| acc.join(n)));
            }
            rest.push(existing.file_name()?.to_owned());
            existing = existing
                .parent()
                .filter(|q| !q.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
        }
    };
    let Some(out_abs) = absolute(out) else {
        return Ok(());
    };
    for input in inputs.iter().filter(|i| i.is_dir()) {
        if let Some(in_abs) = absolute(input)
            && out_abs.starts_with(&in_abs)
        {
            return Err(CliError::input(
                format!(
                    "--out {} is inside the input folder {}",
                    out.display(),
                    input.display()
                ),
                "write the assessment outside the customer's exports, e.g. --out assessment/ beside them",
            ));
        }
    }
    Ok(())
}

/// Prints one error line per refused input.
fn report_refused(ingested: &crate::ingest::Ingested) {
    let t = crate::report::Lang::En.catalog();
    for r in ingested.refused() {
        if let Some(x) = &r.refusal {
            print_error(&CliError::input(
                format!(
                    "{}: {}",
                    r.display_name(),
                    crate::report::words::refusal(t, x)
                ),
                crate::report::words::refusal_hint(t, x),
            ));
        }
    }
}

/// An output that could not be written.
fn output_error(e: crate::report::ReportError) -> CliError {
    CliError::output(format!("cannot write the outputs: {e}"))
}
