//! The rule findings: the remediation worklist, its counts, and the documentation of the rules
//! that fired.

use crate::ObjRef;
use crate::finding::{Effect, Message, Severity};
use serde::{Deserialize, Serialize};

/// The suggested change to a finding's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", content = "value", rename_all = "lowercase")]
pub enum Fix {
    /// No fix can be computed.
    None,
    /// Replace the value with this one.
    Edit(String),
    /// Remove the value (one value of a multi-valued attribute).
    Remove,
    /// Add this value.
    Add(String),
}

impl Fix {
    /// `edit`, `remove`, `add` or the empty string (the worklist's ACTION column).
    pub fn action(&self) -> &'static str {
        match self {
            Fix::None => "",
            Fix::Edit(_) => "edit",
            Fix::Remove => "remove",
            Fix::Add(_) => "add",
        }
    }

    /// The value to write, if the fix writes one.
    pub fn value(&self) -> Option<&str> {
        match self {
            Fix::Edit(v) | Fix::Add(v) => Some(v),
            Fix::None | Fix::Remove => None,
        }
    }
}

/// One rule firing on one object (for a multi-valued attribute, on one value).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRow {
    pub rule: String,
    pub severity: Severity,
    pub effect: Effect,
    pub object: ObjRef,
    /// The attribute, by its LDAP name.
    pub attribute: String,
    /// The offending value as stored, empty when absent.
    pub value: String,
    pub fix: Fix,
    pub message: Message,
}

/// The findings of one rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCount {
    pub rule: String,
    pub severity: Severity,
    pub effect: Effect,
    pub findings: u64,
    /// Distinct objects it fired on.
    pub objects: u64,
}

/// The documentation of a rule, as declared (English; other languages come from the
/// catalogues).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleDoc {
    pub id: String,
    pub severity: Severity,
    pub effect: Effect,
    pub summary: String,
    pub explanation: String,
    pub fix: String,
    /// Public documents and code it follows (addresses).
    pub sources: Vec<String>,
}

/// Every finding, with its counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Findings {
    pub total: u64,
    /// Distinct objects with at least one finding.
    pub objects: u64,
    /// Distinct objects with at least one `error` finding (an error blocks sync).
    pub objects_with_errors: u64,
    pub errors: u64,
    pub warnings: u64,
    pub infos: u64,
    /// Every rule of the catalogue, fired or not, by id.
    pub by_rule: Vec<RuleCount>,
    /// The documentation of the rules that fired.
    pub rules: Vec<RuleDoc>,
    /// Every finding, by rule id then object.
    pub rows: Vec<FindingRow>,
}
