//! `hybridready report DIR [--lang fr] [--customer NAME]`: renders a previous assessment again
//! from its `assessment.json` alone, without reading the exports; and `hybridready explain-wave
//! DIR USER`, which reads the same file.

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

#[derive(Args, Debug)]
pub struct ExplainWaveArgs {
    /// A folder written by `hybridready assess --out DIR`.
    pub dir: PathBuf,
    /// The user: SIP address, UPN, sAMAccountName or DN (any case).
    pub user: String,
    #[arg(long, default_value = "en", value_name = "en|fr")]
    pub lang: Lang,
}

pub fn run_explain_wave(a: ExplainWaveArgs) -> Result<u8, CliError> {
    let assessment = read(&a.dir)?;
    let Some(user) = report::explain::find_user(&assessment, &a.user) else {
        return Err(CliError::input(
            format!(
                "no user `{}` in {}",
                a.user.trim(),
                a.dir.join(report::ASSESSMENT_JSON).display()
            ),
            "give a SIP address, UPN, sAMAccountName or DN as waves.csv lists them",
        ));
    };
    print!(
        "{}",
        report::console::terminal(&report::explain::wave(&assessment, user, a.lang))
    );
    Ok(0)
}

/// The assessment of an `assess` folder, or an error that says what to do.
fn read(dir: &std::path::Path) -> Result<crate::assessment::Assessment, CliError> {
    report::read_assessment(dir).map_err(|e| match e {
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
    })
}

pub fn run(a: ReportArgs) -> Result<u8, CliError> {
    let mut assessment = read(&a.dir)?;
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
        println!("{}", report::console::terminal(&p.display().to_string()));
    }
    Ok(0)
}
