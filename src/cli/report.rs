//! `hybridready report DIR [--lang fr] [--customer NAME]`: renders a previous assessment again
//! from its `assessment.json` alone, without reading the exports.

use super::CliError;
use crate::report::{self, Lang, ReportError};
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// A folder written by `hybridready assess --out DIR`.
    pub dir: PathBuf,
    /// Language of the report and the worklists.
    #[arg(long, default_value = "en", value_name = "en|fr")]
    pub lang: Lang,
    /// Customer name for the cover (default: the one the assessment was made with).
    #[arg(long, value_name = "NAME")]
    pub customer: Option<String>,
    /// Write the assessment and the worklists only, not the report (PDF, HTML, SVG).
    #[arg(long)]
    pub no_report: bool,
}

pub fn run(a: ReportArgs) -> Result<u8, CliError> {
    let mut assessment = report::read_assessment(&a.dir).map_err(|e| match e {
        ReportError::Io { .. } => CliError::input(
            e.to_string(),
            "give the --out folder of a `hybridready assess` run: it holds assessment.json",
        ),
        ReportError::Version { .. } => CliError::input(
            e.to_string(),
            "assess the exports again with this version of hybridready",
        ),
        _ => CliError::input(
            e.to_string(),
            "the file is damaged: assess the exports again",
        ),
    })?;
    if let Some(c) = a.customer {
        assessment.customer = Some(c);
    }
    let written = report::write_assessment(
        &assessment,
        &a.dir,
        report::Options {
            lang: a.lang,
            report: !a.no_report,
        },
    )
    .map_err(super::output_error)?;
    for p in written {
        println!("{}", p.display());
    }
    Ok(0)
}
