//! `hybridready rules [--format table|json|markdown]` and `hybridready explain RULE-ID`: the
//! rule catalogue, printed from the rule declarations.

use super::CliError;
use crate::rules::{catalogue, registry};
use clap::{Args, ValueEnum};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CatalogueFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// How to print the catalogue.
    #[arg(long, value_enum, default_value = "table")]
    pub format: CatalogueFormat,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A rule id, e.g. UPN-CHAR (any case).
    pub rule: String,
}

pub fn run_rules(a: RulesArgs) -> Result<u8, CliError> {
    let text = match a.format {
        CatalogueFormat::Table => catalogue::table(),
        CatalogueFormat::Json => catalogue::json(),
        CatalogueFormat::Markdown => catalogue::markdown(),
    };
    print!("{text}");
    Ok(0)
}

pub fn run_explain(a: ExplainArgs) -> Result<u8, CliError> {
    match registry::by_id(&a.rule) {
        Some(r) => {
            print!("{}", catalogue::explain(r));
            Ok(0)
        }
        None => {
            let close = registry::close_ids(&a.rule);
            let hint = if close.is_empty() {
                "`hybridready rules` lists every rule".to_string()
            } else {
                format!(
                    "did you mean {}? (`hybridready rules` lists every rule)",
                    close.join(", ")
                )
            };
            Err(CliError::input(format!("no rule {}", a.rule.trim()), hint))
        }
    }
}
