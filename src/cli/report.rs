//! `hybridready report DIR [--lang fr]`: re-renders the readiness report from a previous run's
//! `summary.json` and worklists, without re-ingesting the exports.

use super::CliError;
use crate::report::{self, Lang};
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// A folder written by `hybridready assess --out DIR`.
    pub dir: PathBuf,
    /// Language of the report.
    #[arg(long, default_value = "en", value_name = "en|fr")]
    pub lang: Lang,
    /// Customer name for the cover (default: the tenant name of the scenario).
    #[arg(long, value_name = "NAME")]
    pub customer: Option<String>,
}

pub fn run(a: ReportArgs) -> Result<u8, CliError> {
    if !a.dir.join("summary.json").is_file() {
        return Err(CliError::input(
            format!("{}: no summary.json in this folder", a.dir.display()),
            "give the --out folder of a previous `hybridready assess` run",
        ));
    }
    let written = report::render_dir(&a.dir, a.lang, super::rule_docs(), a.customer)
        .map_err(|e| CliError::output(format!("cannot render the report: {e}")))?;
    for p in written {
        println!("{}", p.display());
    }
    Ok(0)
}
