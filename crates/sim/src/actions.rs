//! The action plan: the checks that do not pass, traced to their root causes, one action per
//! cause, ranked by the users each unblocks.
//!
//! A cause that several checks share is one action: an unverified SIP domain fails D01 and stops
//! the pilot and the waves, and verifying it clears all three. The consequences of another check
//! (the communication breaks, which need an unsynchronised user) give no action of their own.

use super::run::Evaluated;
use hybridready_assessment::{
    Action, ActionKind, CheckId, CheckResult, Class, Effort, Fact, MoveBlocker, Owner, Reason,
    Status, Step, StepId, SyncFigures, SyncReason,
};
use std::collections::BTreeMap;

/// What one check says about one action.
struct Part {
    kind: ActionKind,
    owner: Owner,
    /// Users from U01 or U16 (disjoint: summed); other users (overlapping: the largest kept).
    sync_users: u64,
    users: u64,
    objects: u64,
}

#[derive(Default)]
struct Merged {
    owner: Option<Owner>,
    step: Option<StepId>,
    sync_users: u64,
    users: u64,
    objects: u64,
    blocking: bool,
    checks: Vec<CheckId>,
}

/// The action plan of a scenario's checks.
pub fn plan(e: &Evaluated, _sync: &SyncFigures, steps: &[Step]) -> Vec<Action> {
    let on_premises = e.prep.sfb.iter().filter(|u| u.enabled && !u.online).count() as u64;
    let mut merged: BTreeMap<ActionKind, Merged> = BTreeMap::new();
    for c in steps.iter().flat_map(|s| &s.checks) {
        if c.status == Status::Pass || c.id.def().class == Class::Report {
            continue;
        }
        for p in parts(e, c, on_premises) {
            let m = merged.entry(p.kind).or_default();
            // The owner and step of the first (earliest, most blocking) check that names it.
            m.owner.get_or_insert(p.owner);
            let step = c.id.step();
            m.step = Some(m.step.map_or(step, |s| s.min(step)));
            m.sync_users += p.sync_users;
            m.users = m.users.max(p.users);
            m.objects = m.objects.max(p.objects);
            m.blocking |= c.status == Status::Fail;
            if !m.checks.contains(&c.id) {
                m.checks.push(c.id);
            }
        }
    }
    let mut actions: Vec<Action> = merged
        .into_iter()
        .map(|(kind, m)| {
            let users = m.users.max(m.sync_users);
            let effort = effort(&kind, users, m.objects);
            Action {
                owner: m.owner.unwrap_or(Owner::AdTeam),
                step: m.step.unwrap_or(StepId::Tenant),
                users,
                objects: m.objects,
                effort,
                blocking: m.blocking,
                checks: m.checks,
                kind,
            }
        })
        .collect();
    actions.sort_by(|a, b| {
        b.blocking
            .cmp(&a.blocking)
            .then(b.users.cmp(&a.users))
            .then(a.step.cmp(&b.step))
            .then(a.effort.cmp(&b.effort))
            .then_with(|| a.kind.cmp(&b.kind))
    });
    actions
}

fn effort(kind: &ActionKind, users: u64, objects: u64) -> Effort {
    use ActionKind as K;
    match kind {
        K::FixAttributes { .. }
        | K::ReplaceDomain { .. }
        | K::CompleteSfbAttributes
        | K::ResolveDuplicates
        | K::ReviewExclusion { .. } => Effort::of_objects(objects.max(users)),
        K::AddToSyncGroup => Effort::of_objects(users),
        K::AssignLicences | K::AssignPhoneLicences => {
            if users <= 100 {
                Effort::Low
            } else {
                Effort::Medium
            }
        }
        _ => Effort::Low,
    }
}

/// The actions a check that does not pass calls for.
fn parts(e: &Evaluated, c: &CheckResult, on_premises: u64) -> Vec<Part> {
    let own = c.id.def().owner;
    let part = |kind: ActionKind, owner: Owner, users: u64, objects: u64| Part {
        kind,
        owner,
        sync_users: 0,
        users,
        objects,
    };
    let mut provide = Vec::new();
    if let Fact::NotProvided { .. } = c.fact {
        provide.push(part(ActionKind::ProvideInputs { check: c.id }, own, 0, 0));
        // U01 and U16 not provided still list the users found out of sync: their fixes stand.
        if !matches!(c.id, CheckId::U01 | CheckId::U16) {
            return provide;
        }
    }
    let found = match c.id {
        CheckId::U01 | CheckId::U16 => c
            .causes
            .iter()
            .filter_map(|cause| match &cause.reason {
                Reason::NotSynced { why } => {
                    let (kind, objects) = sync_action(e, why, cause.count);
                    // The domain filter is named domain by domain by F02.
                    kind.map(|kind| Part {
                        kind,
                        owner: Owner::AdTeam,
                        sync_users: cause.count,
                        users: 0,
                        objects,
                    })
                }
                _ => None,
            })
            .collect(),
        CheckId::Errors => c
            .causes
            .iter()
            .filter_map(|cause| match &cause.reason {
                Reason::RuleBlocks { rule } => Some(part(
                    ActionKind::FixAttributes { rule: rule.clone() },
                    Owner::AdTeam,
                    0,
                    blocking_objects(e, rule).max(cause.count),
                )),
                _ => None,
            })
            .collect(),
        CheckId::D01 | CheckId::U09 | CheckId::Smtp => c
            .causes
            .iter()
            .filter_map(|cause| match &cause.reason {
                Reason::UnverifiedDomain {
                    domain,
                    non_routable: true,
                } => {
                    let owner = if c.id == CheckId::D01 {
                        Owner::SfbTeam
                    } else {
                        Owner::AdTeam
                    };
                    Some(part(
                        ActionKind::ReplaceDomain {
                            domain: domain.clone(),
                        },
                        owner,
                        cause.count,
                        cause.count,
                    ))
                }
                Reason::UnverifiedDomain { domain, .. } => Some(part(
                    ActionKind::VerifyDomain {
                        domain: domain.clone(),
                    },
                    Owner::M365Admin,
                    cause.count,
                    0,
                )),
                _ => None,
            })
            .collect(),
        CheckId::D03 => c
            .causes
            .iter()
            .filter_map(|cause| match &cause.reason {
                Reason::DisabledDomain { domain } => Some(part(
                    ActionKind::EnableSipDomain {
                        domain: domain.clone(),
                    },
                    Owner::M365Admin,
                    cause.count,
                    0,
                )),
                _ => None,
            })
            .collect(),
        CheckId::F02 => c
            .causes
            .iter()
            .map(|cause| match &cause.reason {
                Reason::DomainNotSynced { domain } => part(
                    ActionKind::SyncDomain {
                        domain: domain.clone(),
                    },
                    Owner::AdTeam,
                    cause.count,
                    0,
                ),
                _ => part(ActionKind::MeetCheck { check: c.id }, own, 0, 0),
            })
            .collect(),
        CheckId::Pilot | CheckId::Waves => {
            let mut v: Vec<Part> = c
                .causes
                .iter()
                .filter_map(|cause| match &cause.reason {
                    Reason::CannotMove { why } => {
                        move_action(why, on_premises).map(|(kind, owner, users)| {
                            part(kind, owner, users.unwrap_or(cause.count), 0)
                        })
                    }
                    _ => None,
                })
                .collect();
            if let Fact::NoPilot = c.fact {
                v.push(part(ActionKind::DefinePilot, own, 0, 0));
            }
            if c.id == CheckId::Waves && v.is_empty() {
                v.push(part(ActionKind::PlanRemainingUsers, own, c.object_count, 0));
            }
            v
        }
        CheckId::U06 => vec![part(ActionKind::CleanPilot, own, 0, c.object_count)],
        CheckId::U04 => vec![part(
            ActionKind::AssignLicences,
            own,
            c.object_count,
            c.object_count,
        )],
        CheckId::U05 => vec![part(
            ActionKind::AssignPhoneLicences,
            own,
            c.object_count,
            c.object_count,
        )],
        CheckId::U03 => vec![part(
            ActionKind::CompleteSfbAttributes,
            own,
            c.object_count,
            c.object_count,
        )],
        CheckId::U10 => vec![part(
            ActionKind::ResolveDuplicates,
            own,
            c.object_count,
            c.object_count,
        )],
        id => {
            // A tenant-level setting stops every move while it is wrong.
            let users = if e.tenant_blockers.contains(&id) {
                on_premises
            } else {
                c.object_count
            };
            vec![part(ActionKind::MeetCheck { check: id }, own, users, 0)]
        }
    };
    provide.extend(found);
    provide
}

/// The action that brings users kept out of sync for `why` back, and the objects it changes.
fn sync_action(e: &Evaluated, why: &SyncReason, users: u64) -> (Option<ActionKind>, u64) {
    match why {
        SyncReason::InExcludedOu { ou } => (Some(ActionKind::IncludeOu { ou: ou.clone() }), 0),
        SyncReason::NotInIncludedOu => (Some(ActionKind::WidenIncludedOus), 0),
        SyncReason::DomainFilter => (None, 0),
        SyncReason::NotInSyncGroup => (Some(ActionKind::AddToSyncGroup), users),
        SyncReason::AttributeFilter => (Some(ActionKind::ReviewAttributeFilter), 0),
        SyncReason::Excluded { rule } => (
            Some(ActionKind::ReviewExclusion { rule: rule.clone() }),
            users,
        ),
        SyncReason::Blocked { rule } => (
            Some(ActionKind::FixAttributes { rule: rule.clone() }),
            blocking_objects(e, rule),
        ),
    }
}

/// The action that lets users blocked by `why` move, its owner, and (for a tenant-level blocker,
/// which stops every move) the users it concerns.
fn move_action(why: &MoveBlocker, on_premises: u64) -> Option<(ActionKind, Owner, Option<u64>)> {
    Some(match why {
        // Not synchronising is U01's, named cause by cause there.
        MoveBlocker::NotSynced => return None,
        MoveBlocker::NoSipAddress => (ActionKind::CompleteSfbAttributes, Owner::SfbTeam, None),
        MoveBlocker::SipDomainUnverified { domain } => (
            ActionKind::VerifyDomain {
                domain: domain.clone(),
            },
            Owner::M365Admin,
            None,
        ),
        MoveBlocker::SipDomainDisabled { domain } => (
            ActionKind::EnableSipDomain {
                domain: domain.clone(),
            },
            Owner::M365Admin,
            None,
        ),
        MoveBlocker::NoLicence => (ActionKind::AssignLicences, Owner::M365Admin, None),
        MoveBlocker::NoPhoneLicence => (ActionKind::AssignPhoneLicences, Owner::M365Admin, None),
        MoveBlocker::Tenant { check } => (
            ActionKind::MeetCheck { check: *check },
            check.def().owner,
            Some(on_premises),
        ),
    })
}

/// Objects in the scope with a finding of `rule` that blocks their synchronisation.
fn blocking_objects(e: &Evaluated, rule: &str) -> u64 {
    e.prep.blocking_objects(rule)
}
