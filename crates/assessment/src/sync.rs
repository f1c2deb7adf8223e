//! Why an object does not synchronise, why a user cannot move, and the sync figures.

use crate::check::CheckId;
use serde::{Deserialize, Serialize};

/// Why an object does not synchronise (spec §4): the first reason in the spec's order.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyncReason {
    /// Excluded by an Entra Connect out-of-box rule (the rule id, e.g. `SKIP-CRIT`).
    Excluded { rule: String },
    /// Its domain is not in `sync.domains`.
    DomainFilter,
    /// Not under any of `sync.include_ous`.
    NotInIncludedOu,
    /// Under one of `sync.exclude_ous` (the excluded OU's DN).
    InExcludedOu { ou: String },
    /// Not a direct member of `sync.group`.
    NotInSyncGroup,
    /// Its attribute value is excluded by `sync.attribute_filter`.
    AttributeFilter,
    /// In the scope, but a finding whose effect is `blocks-sync` applies (the first rule id).
    Blocked { rule: String },
}

impl SyncReason {
    /// Whether the object is out of the scope (rather than in it and blocked by a finding).
    pub fn is_scope(&self) -> bool {
        !matches!(self, SyncReason::Blocked { .. })
    }
}

/// Why an on-premises Skype for Business user cannot move (spec §5).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MoveBlocker {
    /// Does not synchronise (U01).
    NotSynced,
    /// No SIP address (U03).
    NoSipAddress,
    /// The SIP domain is not a verified tenant domain (D01).
    SipDomainUnverified { domain: String },
    /// The SIP domain is disabled online (U07).
    SipDomainDisabled { domain: String },
    /// No Teams / Skype for Business Online (Plan 2) licence (U04).
    NoLicence,
    /// Enterprise Voice without a Teams Phone licence (U05).
    NoPhoneLicence,
    /// A tenant-level blocker stops every move (the check that fails).
    Tenant { check: CheckId },
}

/// Skype for Business users of one domain or OU, by sync outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageRow {
    /// The domain's name, or the OU's distinguished name.
    pub name: String,
    /// For an OU, its path as a reader says it (`contoso.com/Staff/Contractors`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub sfb_users: u64,
    pub synced: u64,
    pub out_of_scope: u64,
    pub blocked: u64,
}

/// How many objects (and SfB users among them) one reason keeps out of sync.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonCount {
    pub reason: SyncReason,
    pub objects: u64,
    pub sfb_users: u64,
}

/// Who synchronises, and the Skype for Business coverage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncFigures {
    /// Objects (users, groups, contacts) in the directory.
    pub objects: u64,
    pub in_scope: u64,
    pub synced: u64,
    pub sfb_users: u64,
    pub sfb_synced: u64,
    /// On-premises and online SfB users that would not synchronise.
    pub sfb_unsynced: u64,
    /// Of those, the users already homed online (each a blocker of its own: U16).
    pub sfb_unsynced_online: u64,
    /// `sfb_synced / sfb_users` (1 when there is no SfB user).
    pub coverage: f64,
    /// Every object that does not synchronise, counted once by its first reason; the objects
    /// sum to `objects - synced`, the SfB users to `sfb_unsynced`.
    pub not_synced: Vec<ReasonCount>,
    /// SfB users per domain.
    pub by_domain: Vec<CoverageRow>,
    /// The OUs holding the most SfB users (at most [`TOP_OUS`]), same split.
    pub by_ou: Vec<CoverageRow>,
    /// How many OUs hold SfB users in all.
    pub ous_with_sfb_users: u64,
}

/// How many OUs the coverage table keeps.
pub const TOP_OUS: usize = 12;
