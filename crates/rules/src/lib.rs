//! Sync-readiness rules: the IdFix rule set, the Entra Connect out-of-box exclusions, the checks
//! IdFix cannot do (one SMTP namespace across users, groups and contacts, sourceAnchor, size
//! limits, Skype for Business attributes), and the suggested fixes.
//!
//! Owns: the rule catalogue ([`registry`], one declaration per rule in the family modules), the
//! checks, duplicate detection ([`namespace`]), suggested values and their collision checks, and
//! the catalogue's text forms ([`catalogue`]). Must not touch: files, terminals or any other IO
//! (the CLI prints, `report` writes), scenarios (the caller fills [`RuleContext`]) or the
//! directory (read-only). Rules never fail: every input gives a list of findings, never `Err`,
//! and a value no input carried (`Directory::attr` is `None`) never produces a finding: unknown
//! is not empty.
//!
//! Entry point: [`evaluate`]. Per-object checks run in parallel over object ids; duplicates are
//! found by hashing every value of a unique namespace once and grouping equal hashes, never by
//! comparing pairs.

pub mod catalogue;
mod eval;
pub mod namespace;
pub mod registry;
pub mod sources;
pub mod text;
pub mod tld;

mod anchor;
mod mail;
mod names;
mod nick;
mod proxy;
mod sam;
mod scope;
mod sip;
mod target;
mod upn;

use hybridready_directory::{Attr, Directory, ObjectId, ObjectKind};

pub use eval::evaluate;
/// Severity and effect are the assessment's own data (the report reads them from it); the
/// message is a typed value that the report words in each language.
pub use hybridready_assessment::finding::{Effect, Message, Severity};
pub use registry::Rule;

/// What a rule reads: a stored attribute, or one of the two things the directory keeps outside
/// its attribute columns.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Field {
    Attr(Attr),
    /// The distinguished name.
    Dn,
    /// Direct group membership (`member`, `memberOf`, membership lists, primary group).
    Members,
}

impl Field {
    /// The LDAP name used in findings and the catalogue.
    pub fn name(self) -> &'static str {
        match self {
            Field::Attr(a) => a.ldap_name(),
            Field::Dn => "distinguishedName",
            Field::Members => "member",
        }
    }
}

/// What the rules need to know about the tenant and the sync configuration. The scenario fills it;
/// [`RuleContext::default`] is the state of knowledge without one.
#[derive(Clone, Debug)]
pub struct RuleContext {
    /// The tenant's verified domains. `None`: not known, so UPN-UNVERIFIED does not run.
    pub verified_domains: Option<Vec<String>>,
    /// The tenant's initial domain, e.g. `contoso.onmicrosoft.com`.
    pub initial_domain: Option<String>,
    /// GRP-SIZE fires at this many direct members (250,000; 50,000 on Connect's V1.6 endpoint).
    pub group_size_limit: u64,
}

impl Default for RuleContext {
    fn default() -> Self {
        RuleContext {
            verified_domains: None,
            initial_domain: None,
            group_size_limit: 250_000,
        }
    }
}

/// The suggested change to the finding's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fix {
    /// No fix can be computed (or every computed one would collide with another object's value).
    None,
    /// Replace the value with this one.
    Edit(String),
    /// Remove the value (one value of a multi-valued attribute).
    Remove,
    /// Add this value (the finding's value is empty).
    Add(String),
}

impl Fix {
    /// `edit`, `remove`, `add` or the empty string.
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

/// One rule firing on one object (for multi-valued attributes, on one value).
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    /// The rule's severity.
    pub severity: Severity,
    pub effect: Effect,
    pub object: ObjectId,
    pub kind: ObjectKind,
    /// The attribute the finding is about.
    pub field: Field,
    /// The offending value as stored (one value of a multi-valued attribute), `""` when absent.
    pub value: String,
    pub fix: Fix,
    /// One line for the worklist, typed (the report words it); duplicate findings name the
    /// other holders.
    pub message: Message,
}

impl Finding {
    pub fn rule_id(&self) -> &'static str {
        self.rule.id
    }
    /// The object's distinguished name, for matching findings with `(rule, DN)` pairs.
    pub fn dn<'d>(&self, dir: &'d Directory) -> Option<&'d str> {
        dir.dn(self.object)
    }
}

/// The message of a value of `length` characters, longer than its limit of `max`.
pub(crate) fn too_long(length: usize, max: usize) -> Message {
    Message::TooLong {
        length: length as u64,
        max: max as u64,
    }
}

#[cfg(test)]
mod tests;
