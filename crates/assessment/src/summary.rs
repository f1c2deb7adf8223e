//! `summary.json`: stable, documented, versioned. Field names follow spec §9.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Counts of the merged directory.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct DirectoryCounts {
    pub users: u64,
    pub groups: u64,
    pub contacts: u64,
    pub domains: u64,
    pub ous: u64,
    pub memberships: u64,
    pub sfb_users: u64,
}

/// Whether a file (or sheet) was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputStatus {
    Read,
    /// Deliberately not read (an ADRecon file about computers, a workbook's summary sheet).
    Ignored,
    /// Could not be read: see `refusal`.
    Refused,
}

/// A column the table lacks, and what its absence leaves unchecked.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct MissingColumn {
    pub column: String,
    pub leaves_unchecked: String,
}

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: "hybridready".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ScenarioRef {
    pub name: String,
    /// The scenario file, or `null` when the built-in defaults were used.
    pub file: Option<String>,
    /// Assumptions made where the scenario is silent.
    pub defaults_used: Vec<String>,
}

/// One entry of `inputs[]`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InputSummary {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub status: InputStatus,
    pub format: String,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub sha256: Option<String>,
    pub rows: u64,
    pub accepted: u64,
    pub merged: u64,
    pub rejected: u64,
    pub value_errors: u64,
    pub columns_missing: Vec<MissingColumn>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
}

/// The `directory` section.
#[derive(Clone, Debug, Serialize, Deserialize)]
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

/// The `findings` section: counts of the rule findings. `by_rule` names every rule of the
/// catalogue (zero included), so the shape does not depend on the data.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FindingsSummary {
    pub total: u64,
    /// Distinct objects with at least one `error` finding.
    pub objects_with_errors: u64,
    pub by_rule: BTreeMap<String, u64>,
    pub by_severity: BTreeMap<String, u64>,
}

/// The whole file. Sections filled by later stages are omitted until they exist.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Summary {
    pub schema_version: u32,
    pub tool: Tool,
    pub scenario: ScenarioRef,
    pub inputs: Vec<InputSummary>,
    pub directory: DirectorySummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync: Option<SyncSummary>,
    pub findings: FindingsSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breaks: Option<Breaks>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<StepSummary>>,
    /// 0–100; see `sim::score` for the formula.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
    /// The unsynced SfB users with the most impact (the full list is unsynced-impact.csv).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_unsynced: Option<Vec<UnsyncedUser>>,
}

/// The `sync` section: who syncs, and the Skype for Business coverage.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct SyncSummary {
    pub in_scope: u64,
    pub synced: u64,
    pub sfb_users: u64,
    pub sfb_synced: u64,
    pub sfb_unsynced: u64,
    /// `sfb_synced / sfb_users` (1 when there is no SfB user).
    pub coverage: f64,
    /// Objects out of scope or blocked, counted by the first reason.
    pub not_synced_by_reason: std::collections::BTreeMap<String, u64>,
    /// SfB users per domain: synced, out of scope, blocked by errors.
    pub by_domain: Vec<CoverageRow>,
    /// The OUs (by DN) holding the most SfB users, same split.
    pub by_ou: Vec<CoverageRow>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct CoverageRow {
    pub name: String,
    pub sfb_users: u64,
    pub synced: u64,
    pub out_of_scope: u64,
    pub blocked: u64,
}

/// The exact break figures at one point of the simulation (spec §6).
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct BreakCounts {
    pub online_users: u64,
    pub broken_pairs: u64,
    pub unsynced_users_breaking: u64,
    pub online_users_affected: u64,
}

#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Breaks {
    /// Right after the pilot move.
    pub pilot: BreakCounts,
    /// Once every movable user is online.
    pub end: BreakCounts,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
}

/// One check of sfb-hybrid.md §7 (T01…, D01…, F01…, U01…, P01…) as evaluated.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CheckResult {
    pub id: String,
    pub status: Status,
    /// The message template (`D01.fail`, `T05.missing`, …) and its arguments, so each report
    /// language renders it from its own catalogue. Absent from a summary written by hand or by
    /// an older version: the report then shows `message`.
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub args: std::collections::BTreeMap<String, String>,
    /// What was found, in English, or "not provided: …" when the input it needs is missing.
    pub message: String,
    /// Objects behind a failing check (labels), the first few; the count is exact.
    pub objects: Vec<String>,
    pub object_count: u64,
}

/// One deployment step (spec §7).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct StepSummary {
    /// `tenant`, `domains`, `sync`, `federation`, `pilot`, `manage`.
    pub id: String,
    pub status: Status,
    /// One line per blocker (what fails the step).
    pub blockers: Vec<String>,
    pub checks: Vec<CheckResult>,
}

/// An on-premises SfB user left unsynchronised, with whom it would lose.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct UnsyncedUser {
    pub sip_address: String,
    pub user_principal_name: String,
    pub distinguished_name: String,
    pub reasons: Vec<String>,
    /// Distinct online users it is broken with once every movable user is online.
    pub impact: u64,
    pub impact_after_pilot: u64,
}
