//! The action plan: one action per root cause, with who acts, the step it unblocks and how many
//! users it affects.

use crate::check::{CheckId, Owner, StepId};
use serde::{Deserialize, Serialize};

/// What to do.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionKind {
    /// Bring an excluded OU into the sync scope (its DN).
    IncludeOu { ou: String },
    /// Add the OUs holding SfB users to `sync.include_ous`.
    WidenIncludedOus,
    /// Add a domain to the sync scope.
    SyncDomain { domain: String },
    /// Add SfB users to the sync group, or drop group filtering.
    AddToSyncGroup,
    /// Review the attribute filter that keeps SfB users out.
    ReviewAttributeFilter,
    /// SfB users excluded by an out-of-box rule: review them (a service account should not be
    /// SfB-enabled; a replication conflict must be resolved).
    ReviewExclusion { rule: String },
    /// Correct the attribute values of a rule that blocks sync.
    FixAttributes { rule: String },
    /// Add and verify a domain in the tenant.
    VerifyDomain { domain: String },
    /// Replace a suffix that can never be verified (`.local`, single-label…).
    ReplaceDomain { domain: String },
    /// Enable a SIP domain online again.
    EnableSipDomain { domain: String },
    /// Assign Teams and Skype for Business Online (Plan 2) licences.
    AssignLicences,
    /// Assign Teams Phone licences to Enterprise Voice users.
    AssignPhoneLicences,
    /// Give SfB users the msRTCSIP attributes they lack.
    CompleteSfbAttributes,
    /// Settle values two objects hold.
    ResolveDuplicates,
    /// Take out of the pilot the entries that are not on-premises SfB users.
    CleanPilot,
    /// Define a pilot.
    DefinePilot,
    /// Put the users who stay on-premises in a wave or keep them on purpose.
    PlanRemainingUsers,
    /// Meet a check's requirement (the tenant and federation settings).
    MeetCheck { check: CheckId },
    /// Provide what a check needs (scenario keys, exports).
    ProvideInputs { check: CheckId },
}

/// How much work an action is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effort {
    /// A setting, or a handful of objects.
    Low,
    /// Tens of objects.
    Medium,
    /// Hundreds of objects or more.
    High,
}

impl Effort {
    /// The effort of correcting `objects` objects one by one.
    pub fn of_objects(objects: u64) -> Effort {
        match objects {
            0..=10 => Effort::Low,
            11..=100 => Effort::Medium,
            _ => Effort::High,
        }
    }
}

/// One action of the plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub kind: ActionKind,
    pub owner: Owner,
    /// The step it unblocks (the earliest, when several).
    pub step: StepId,
    /// Skype for Business users it unblocks (they synchronise or can move once it is done).
    pub users: u64,
    /// Objects to change (0 for a setting).
    pub objects: u64,
    pub effort: Effort,
    /// Whether it clears a blocker (a failing check) rather than a risk.
    pub blocking: bool,
    /// The checks it clears.
    pub checks: Vec<CheckId>,
}
