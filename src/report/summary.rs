//! `summary.json`: stable, documented, versioned. Field names follow spec §9.

use crate::directory::{Directory, DirectoryCounts};
use crate::graph::DirectoryGraph;
use crate::ingest::{InputReport, InputStatus, MissingColumn};
use crate::rules::{Finding, Severity, registry};
use serde::Serialize;
use std::collections::BTreeMap;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: "hybridready",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ScenarioRef {
    pub name: String,
    /// The scenario file, or `null` when the built-in defaults were used.
    pub file: Option<String>,
}

/// One entry of `inputs[]`.
#[derive(Clone, Debug, Serialize)]
pub struct InputSummary {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub status: InputStatus,
    pub format: String,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub rows: u64,
    pub accepted: u64,
    pub merged: u64,
    pub rejected: u64,
    pub value_errors: u64,
    pub columns_missing: Vec<MissingColumn>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
}

impl From<&InputReport> for InputSummary {
    fn from(r: &InputReport) -> Self {
        InputSummary {
            path: r.path.clone(),
            sheet: r.sheet.clone(),
            status: r.status,
            format: r.format.clone(),
            encoding: r.encoding.clone(),
            delimiter: r.delimiter.clone(),
            rows: r.rows,
            accepted: r.accepted,
            merged: r.merged,
            rejected: r.rejected,
            value_errors: r.value_errors,
            columns_missing: r.columns_missing.clone(),
            refusal: r
                .refusal
                .as_ref()
                .map(|x| format!("{} (hint: {})", x.reason, x.hint)),
        }
    }
}

/// The `directory` section.
#[derive(Clone, Debug, Serialize)]
pub struct DirectorySummary {
    #[serde(flatten)]
    pub counts: DirectoryCounts,
    pub trusts: u64,
    /// Cycles of nested groups (each a strongly connected component).
    pub nesting_cycles: Vec<Vec<String>>,
    /// References (member, memberOf, manager, primary group) naming no object in the inputs.
    pub unresolved_references: u64,
    /// Attribute values that disagree between two rows of one object.
    pub conflicts: u64,
}

impl DirectorySummary {
    pub fn new(dir: &Directory, graph: &DirectoryGraph) -> Self {
        DirectorySummary {
            counts: dir.counts(),
            trusts: dir.trusts().len() as u64,
            nesting_cycles: graph
                .cycles
                .iter()
                .map(|c| c.groups.iter().map(|&g| dir.label(g)).collect())
                .collect(),
            unresolved_references: dir.unresolved().1,
            conflicts: dir.conflicts().1,
        }
    }
}

/// The `findings` section: counts of the rule findings. `by_rule` names every rule of the
/// catalogue (zero included), so the shape does not depend on the data.
#[derive(Clone, Debug, Serialize)]
pub struct FindingsSummary {
    pub total: u64,
    /// Distinct objects with at least one `error` finding.
    pub objects_with_errors: u64,
    pub by_rule: BTreeMap<&'static str, u64>,
    pub by_severity: BTreeMap<&'static str, u64>,
}

impl FindingsSummary {
    pub fn new(findings: &[Finding]) -> Self {
        let mut by_rule: BTreeMap<&'static str, u64> =
            registry::all().iter().map(|r| (r.id, 0)).collect();
        let mut by_severity: BTreeMap<&'static str, u64> =
            Severity::ALL.iter().map(|s| (s.as_str(), 0)).collect();
        let mut with_errors: Vec<u32> = Vec::new();
        for f in findings {
            *by_rule.entry(f.rule.id).or_default() += 1;
            *by_severity.entry(f.severity.as_str()).or_default() += 1;
            if f.severity == Severity::Error {
                with_errors.push(f.object.0);
            }
        }
        with_errors.sort_unstable();
        with_errors.dedup();
        FindingsSummary {
            total: findings.len() as u64,
            objects_with_errors: with_errors.len() as u64,
            by_rule,
            by_severity,
        }
    }
}

/// The whole file. Sections filled by later stages are omitted until they exist.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub schema_version: u32,
    pub tool: Tool,
    pub scenario: ScenarioRef,
    pub inputs: Vec<InputSummary>,
    pub directory: DirectorySummary,
    pub findings: FindingsSummary,
}
