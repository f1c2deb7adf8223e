//! One scenario evaluated on a prepared directory: sync scope, SfB states, movability, the pilot
//! and end points with their breaks, the steps, the waves and the score.

use super::breaks::{self, BreakResult, SfbState};
use super::pairs_file::{self, PairFile};
use super::scope::{
    IdentityIndex, NotSynced, ResolvedSync, ScenarioRefError, SyncFindings, strip_sip,
};
use super::{actions, checks, score, waves};
use hybridready_assessment::scenario::Scenario;
use hybridready_assessment::{
    Action, BreakCounts, Breaks, CheckId, CoverageRow, Date, Dependency, Home, MoveBlocker, ObjRef,
    PairFileInfo, ReasonCount, Score, Step, SyncFigures, SyncReason, UnsyncedUser, Verdict, Waves,
};
use hybridready_directory::{Attr, Directory, ObjectId, ObjectKind};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// A scenario that cannot be evaluated on these inputs.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error(transparent)]
    Reference(#[from] ScenarioRefError),
    #[error(transparent)]
    PairFile(#[from] pairs_file::PairFileError),
}

/// The Skype for Business facts of one user, read once.
#[derive(Clone, Debug, Default)]
pub struct SfbUser {
    pub enabled: bool,
    pub online: bool,
    /// Lowercase SIP domain, if the user has a SIP address.
    pub sip_domain: Option<String>,
    pub enterprise_voice: bool,
}

/// What every scenario variant shares: the directory, the rules' sync findings, identities,
/// SfB facts and the affinity edges.
pub struct Prepared<'d> {
    pub dir: &'d Directory,
    pub findings: SyncFindings,
    pub ids: IdentityIndex,
    pub sfb: Vec<SfbUser>,
    /// SIP-FOREST findings: resource-forest users whose OriginatorSID matches no account (F05).
    pub forest_mismatches: u64,
    /// Objects with a `blocks-sync` finding, per rule.
    blocking_by_rule: BTreeMap<&'static str, u64>,
    /// Users with duplicate-value findings (U10).
    pub duplicates: Vec<ObjectId>,
    /// The tenant export matched to the objects; `None`: none was given.
    pub tenant: Option<super::tenant::TenantView>,
    /// Columns absent from every input that a rule keeping objects out of sync reads (the
    /// pipeline fills it from the rule registry): U01, U16 and ERRORS cannot pass without them.
    pub unchecked_sync_columns: Vec<String>,
    affinity_cache: std::sync::Mutex<HashMap<AffinityKey, std::sync::Arc<PreparedAffinity<'d>>>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct AffinityKey {
    manager: bool,
    groups: bool,
    max_group_size: usize,
    delegates: Option<PathBuf>,
    interactions: Option<PathBuf>,
}

pub struct PreparedAffinity<'d> {
    /// Who depends on whom: the breaks and the waves read it.
    pub graph: hybridready_graph::DependencyGraph<'d>,
    pub files: Vec<PairFile>,
    /// Delegate pairs, for the cross-wave check (P04).
    pub delegates: Vec<(ObjectId, ObjectId)>,
}

/// A finding as the simulation needs it.
#[derive(Clone, Copy, Debug)]
pub struct FindingRef {
    pub object: ObjectId,
    pub rule: &'static str,
    pub blocks_sync: bool,
    /// An Entra Connect out-of-box exclusion (effect `excluded`: SKIP-*, CONTACT-MAIL, DL-MAIL,
    /// GRP-SIZE): the object is out of sync scope.
    pub exclusion: bool,
    /// A duplicate-value rule (`*-DUP`).
    pub duplicate: bool,
}

impl<'d> Prepared<'d> {
    pub fn new(dir: &'d Directory, findings: &[FindingRef]) -> Self {
        let blocking = findings
            .iter()
            .filter(|f| f.blocks_sync)
            .map(|f| (f.object, f.rule, f.exclusion));
        let sync = SyncFindings::new(dir.len(), blocking);
        let mut duplicates = Vec::new();
        let forest_mismatches = findings.iter().filter(|f| f.rule == "SIP-FOREST").count() as u64;
        for f in findings {
            if f.duplicate {
                duplicates.push(f.object);
            }
        }
        duplicates.sort_unstable();
        duplicates.dedup();
        let mut sfb: Vec<SfbUser> = dir
            .ids()
            .collect::<Vec<_>>()
            .par_iter()
            .map(|&o| sfb_user(dir, o))
            .collect();
        let ids = IdentityIndex::new();
        let tenant = super::tenant::TenantView::new(dir, &ids);
        // A user the tenant homes online is online, whatever an older AD export still says.
        for &o in tenant.iter().flat_map(|t| &t.online) {
            sfb[o.index()].online |= sfb[o.index()].enabled;
        }
        Prepared {
            dir,
            blocking_by_rule: sync.objects_by_rule(),
            findings: sync,
            ids,
            sfb,
            forest_mismatches,
            duplicates,
            tenant,
            unchecked_sync_columns: Vec::new(),
            affinity_cache: Default::default(),
        }
    }

    /// Objects with a `blocks-sync` finding of `rule` (whether in the scope or not).
    pub fn blocking_objects(&self, rule: &str) -> u64 {
        self.blocking_by_rule.get(rule).copied().unwrap_or(0)
    }

    /// The affinity edges a scenario asks for (cached: variants usually share them).
    pub fn affinity(&self, s: &Scenario) -> Result<std::sync::Arc<PreparedAffinity<'d>>, SimError> {
        let key = AffinityKey {
            manager: s.affinity.manager,
            groups: s.affinity.groups,
            max_group_size: s.affinity.max_group_size,
            delegates: s.affinity.delegates.clone(),
            interactions: s.affinity.interactions.clone(),
        };
        if let Some(a) = self
            .affinity_cache
            .lock()
            .ok()
            .and_then(|c| c.get(&key).cloned())
        {
            return Ok(a);
        }
        let dir = self.dir;
        let mut files = Vec::new();
        let mut pairs: Vec<(ObjectId, ObjectId, Dependency)> = Vec::new();
        let mut delegates = Vec::new();
        if key.manager {
            pairs.extend(
                dir.ids_of(ObjectKind::User)
                    .filter_map(|o| dir.manager_of(o).map(|m| (o, m, Dependency::Manager)))
                    .filter(|&(_, m, _)| dir.kind(m) == ObjectKind::User),
            );
        }
        for (path, kind) in [
            (&key.delegates, Dependency::Delegate),
            (&key.interactions, Dependency::Interaction),
        ] {
            if let Some(p) = path {
                let f = pairs_file::load(p, dir, &self.ids)?;
                pairs.extend(f.pairs.iter().map(|&(a, b, _)| (a, b, kind)));
                if kind == Dependency::Delegate {
                    delegates.extend(f.pairs.iter().map(|&(a, b, _)| (a, b)));
                }
                files.push(f);
            }
        }
        let groups = hybridready_graph::GroupRule {
            enabled: key.groups,
            max_users: key.max_group_size,
        };
        let a = std::sync::Arc::new(PreparedAffinity {
            graph: hybridready_graph::DependencyGraph::new(dir, pairs, groups),
            files,
            delegates,
        });
        if let Ok(mut c) = self.affinity_cache.lock() {
            c.insert(key, a.clone());
        }
        Ok(a)
    }
}

/// The SfB facts of a user.
pub fn sfb_user(dir: &Directory, o: ObjectId) -> SfbUser {
    if dir.kind(o) != ObjectKind::User {
        return SfbUser::default();
    }
    let sip = dir.value(o, Attr::SipAddress);
    let enabled = dir.is_sfb_enabled(o);
    let online = dir.value(o, Attr::HostingProvider).is_some_and(|h| {
        h.trim()
            .to_ascii_lowercase()
            .contains("sipfed.online.lync.com")
    });
    let sip_domain = sip
        .map(strip_sip)
        .and_then(|s| s.rsplit_once('@'))
        .map(|(_, d)| d.trim().to_lowercase())
        .filter(|d| !d.is_empty());
    let ev = dir.value(o, Attr::LineUri).is_some()
        || dir.bool_attr(o, Attr::EnterpriseVoice) == Some(true)
        || dir
            .int_attr(o, Attr::OptionFlags)
            .is_some_and(|f| f & 128 != 0);
    SfbUser {
        enabled,
        online,
        sip_domain,
        enterprise_voice: ev,
    }
}

/// Everything computed for one scenario: the parts of the assessment that depend on it.
pub struct Outcome {
    pub scenario: String,
    pub sync: SyncFigures,
    pub breaks: Breaks,
    pub steps: Vec<Step>,
    pub verdict: Verdict,
    pub score: Score,
    /// Every SfB user that would not synchronise (already online first, then by impact).
    pub unsynced: Vec<UnsyncedUser>,
    pub waves: Waves,
    pub actions: Vec<Action>,
    pub pair_files: Vec<PairFileInfo>,
}

/// Why a pilot entry is not an on-premises SfB user (U06).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PilotMisfit {
    NotSfbUser,
    AlreadyOnline,
}

/// The per-object facts of one scenario, for the checks.
pub struct Evaluated<'p, 'd> {
    pub prep: &'p Prepared<'d>,
    pub scenario: &'p Scenario,
    pub sync: Vec<Option<NotSynced>>,
    pub verified: Vec<String>,
    pub tenant_blockers: Vec<CheckId>,
    /// Per object: why it cannot move (empty when movable or not an on-premises SfB user).
    pub blockers: Vec<Vec<MoveBlocker>>,
    pub movable: Vec<bool>,
    pub pilot: Vec<ObjectId>,
    /// Pilot entries that are no SfB user, or already online (U06).
    pub pilot_not_movable_kind: Vec<(ObjectId, PilotMisfit)>,
    pub kept: Vec<bool>,
    pub pilot_breaks: BreakResult,
    pub end_breaks: BreakResult,
    pub affinity: std::sync::Arc<PreparedAffinity<'d>>,
    /// Where each object stands before any move.
    pub state: Vec<SfbState>,
    /// The users of each wave, in wave order (the pilot first).
    pub waves: Vec<Vec<ObjectId>>,
    pub plan: Waves,
    /// Delegate pairs whose users move in different waves.
    pub split_delegates: Vec<(ObjectId, ObjectId)>,
}

pub fn is_verified(verified: &[String], domain: &str) -> bool {
    let d = domain.trim().trim_end_matches('.').to_lowercase();
    verified
        .iter()
        .any(|v| v.trim().trim_end_matches('.').eq_ignore_ascii_case(&d))
}

/// Evaluates a scenario on the assessment's date (F07 depends on it: Entra Connect Sync builds
/// stop synchronising on a set day).
pub fn simulate(prep: &Prepared, s: &Scenario, assessed_on: Date) -> Result<Outcome, SimError> {
    let e = evaluate(prep, s)?;
    let sync = sync_figures(&e);
    let mut steps = checks::steps(&e, &sync, assessed_on);
    let score = score::score(&mut steps, sync.sfb_users);
    let verdict = score::verdict(&steps);
    let breaks = Breaks {
        pilot: e.pilot_breaks.counts,
        end: e.end_breaks.counts,
    };
    let unsynced = unsynced_users(&e);
    let actions = actions::plan(&e, &sync, &steps);
    Ok(Outcome {
        scenario: s.name().to_string(),
        sync,
        breaks,
        steps,
        verdict,
        score,
        unsynced,
        waves: e.plan.clone(),
        actions,
        pair_files: e
            .affinity
            .files
            .iter()
            .map(|f| PairFileInfo {
                path: f.path.clone(),
                rows: f.rows,
                accepted: f.accepted,
                rejected: f.rejected,
            })
            .collect(),
    })
}

pub fn evaluate<'p, 'd>(
    prep: &'p Prepared<'d>,
    s: &'p Scenario,
) -> Result<Evaluated<'p, 'd>, SimError> {
    let dir = prep.dir;
    waves::check_settings(s)?;
    let resolved = ResolvedSync::resolve(dir, &prep.ids, s)?;
    let affinity = prep.affinity(s)?;
    let ids: Vec<ObjectId> = dir.ids().collect();
    let sync: Vec<Option<NotSynced>> = ids
        .par_iter()
        .map(|&o| resolved.evaluate(dir, &prep.findings, o).err())
        .collect();
    let verified: Vec<String> = s.tenant.verified_domains.clone().unwrap_or_default();
    let disabled: Vec<String> = s.tenant.disabled_sip_domains.clone().unwrap_or_default();
    let tenant_blockers = checks::tenant_move_blockers(s);
    let lic = &s.licenses;
    let has_licence_column = dir.is_known(Attr::Licenses);
    let blockers: Vec<Vec<MoveBlocker>> = ids
        .par_iter()
        .map(|&o| {
            let u = &prep.sfb[o.index()];
            if !u.enabled || u.online {
                return Vec::new();
            }
            let mut b = Vec::new();
            if sync[o.index()].is_some() {
                b.push(MoveBlocker::NotSynced);
            }
            match &u.sip_domain {
                None => b.push(MoveBlocker::NoSipAddress),
                Some(d) => {
                    if !is_verified(&verified, d) {
                        b.push(MoveBlocker::SipDomainUnverified { domain: d.clone() });
                    }
                    if is_verified(&disabled, d) {
                        b.push(MoveBlocker::SipDomainDisabled { domain: d.clone() });
                    }
                }
            }
            let unlicensed = if has_licence_column {
                dir.attr(o, Attr::Licenses) == Some("")
            } else {
                lic.teams_and_sfbo_assigned == Some(false)
            };
            if unlicensed {
                b.push(MoveBlocker::NoLicence);
            }
            if u.enterprise_voice && lic.phone_system_assigned == Some(false) {
                b.push(MoveBlocker::NoPhoneLicence);
            }
            b.extend(
                tenant_blockers
                    .iter()
                    .map(|&check| MoveBlocker::Tenant { check }),
            );
            b
        })
        .collect();
    let movable: Vec<bool> = ids
        .iter()
        .map(|&o| {
            let u = &prep.sfb[o.index()];
            u.enabled && !u.online && blockers[o.index()].is_empty()
        })
        .collect();

    // The pilot: group members, listed users, users under OUs; only SfB users can be moved.
    let mut pilot_set: Vec<ObjectId> = Vec::new();
    if let Some(g) = &s.pilot.group {
        let gid = super::scope::resolve_identity(dir, &prep.ids, g)
            .filter(|&o| dir.kind(o) == ObjectKind::Group)
            .ok_or_else(|| ScenarioRefError {
                key: "pilot.group".into(),
                value: g.clone(),
                problem: "no group of the inputs has this DN or name".into(),
            })?;
        pilot_set.extend(
            dir.members_of(gid)
                .iter()
                .filter(|&&m| dir.kind(m) == ObjectKind::User),
        );
    }
    for u in s.pilot.users.iter().flatten() {
        let o = super::scope::resolve_identity(dir, &prep.ids, u)
            .filter(|&o| dir.kind(o) == ObjectKind::User)
            .ok_or_else(|| ScenarioRefError {
                key: "pilot.users".into(),
                value: u.clone(),
                problem: "no user of the inputs has this SIP address, UPN, sAMAccountName or DN"
                    .into(),
            })?;
        pilot_set.push(o);
    }
    for ou in s.pilot.ous.iter().flatten() {
        let c = super::scope::resolve_container(dir, "pilot.ous", ou)?;
        pilot_set.extend(
            dir.ids_of(ObjectKind::User)
                .filter(|&o| prep.sfb[o.index()].enabled && dir.is_under(o, c)),
        );
    }
    pilot_set.sort_unstable();
    pilot_set.dedup();
    let mut pilot_not_movable_kind = Vec::new();
    for &o in &pilot_set {
        let u = &prep.sfb[o.index()];
        if !u.enabled {
            pilot_not_movable_kind.push((o, PilotMisfit::NotSfbUser));
        } else if u.online {
            pilot_not_movable_kind.push((o, PilotMisfit::AlreadyOnline));
        }
    }
    let mut kept = vec![false; dir.len()];
    for k in s.waves.keep_on_premises.iter().flatten() {
        match super::scope::resolve_identity(dir, &prep.ids, k) {
            Some(g) if dir.kind(g) == ObjectKind::Group => {
                for &m in dir.members_of(g) {
                    kept[m.index()] = true;
                }
            }
            Some(o) => kept[o.index()] = true,
            None => {
                let c = super::scope::resolve_container(dir, "waves.keep_on_premises", k).map_err(
                    |_| ScenarioRefError {
                        key: "waves.keep_on_premises".into(),
                        value: k.clone(),
                        problem: "no user, group or OU of the inputs has this identity".into(),
                    },
                )?;
                for o in dir.ids_of(ObjectKind::User) {
                    if dir.is_under(o, c) {
                        kept[o.index()] = true;
                    }
                }
            }
        }
    }

    let base: Vec<SfbState> = ids
        .iter()
        .map(|&o| {
            let u = &prep.sfb[o.index()];
            if !u.enabled {
                SfbState::None
            } else if u.online {
                SfbState::Online
            } else if sync[o.index()].is_none() {
                SfbState::OnpremSynced
            } else {
                SfbState::OnpremUnsynced
            }
        })
        .collect();
    let base_state = base.clone();
    let mut at_pilot = base.clone();
    for &o in &pilot_set {
        if movable[o.index()] {
            at_pilot[o.index()] = SfbState::Online;
        }
    }
    let mut at_end = base;
    for (i, m) in movable.iter().enumerate() {
        if *m && !kept[i] {
            at_end[i] = SfbState::Online;
        }
    }
    for &o in &pilot_set {
        if movable[o.index()] {
            at_end[o.index()] = SfbState::Online;
        }
    }
    let (pilot_breaks, end_breaks) = rayon::join(
        || breaks::compute(&affinity.graph, &at_pilot),
        || breaks::compute(&affinity.graph, &at_end),
    );
    let pilot_movable: Vec<ObjectId> = pilot_set
        .iter()
        .copied()
        .filter(|o| movable[o.index()])
        .collect();
    let rest: Vec<ObjectId> = ids
        .iter()
        .copied()
        .filter(|o| {
            movable[o.index()] && !kept[o.index()] && pilot_movable.binary_search(o).is_err()
        })
        .collect();
    let already_online = prep.sfb.iter().filter(|u| u.enabled && u.online).count() as u64;
    let kept_count = ids
        .iter()
        .filter(|o| kept[o.index()] && prep.sfb[o.index()].enabled)
        .count() as u64;
    let plan = waves::plan(
        waves::PlanInput {
            dir,
            ids: &prep.ids,
            graph: &affinity.graph,
            delegates: &affinity.delegates,
            pilot: pilot_movable,
            to_move: rest,
            state: &base_state,
            kept: kept_count,
            already_online,
            needs_oauth: s
                .federation
                .server_versions
                .as_deref()
                .is_some_and(checks::needs_oauth),
        },
        s,
    )?;
    Ok(Evaluated {
        prep,
        scenario: s,
        sync,
        verified,
        tenant_blockers,
        blockers,
        movable,
        pilot: pilot_set,
        pilot_not_movable_kind,
        kept,
        pilot_breaks,
        end_breaks,
        affinity,
        waves: plan.members,
        plan: plan.waves,
        split_delegates: plan.split_delegates,
        state: base_state,
    })
}

/// The sync figures of spec §4 and §9, with the tables of reasons and coverage.
fn sync_figures(e: &Evaluated) -> SyncFigures {
    let dir = e.prep.dir;
    let excluded = e.scenario.sync.exclude_ous.as_deref().unwrap_or_default();
    let mut s = SyncFigures::default();
    let mut by_domain: BTreeMap<String, CoverageRow> = BTreeMap::new();
    let mut by_ou: HashMap<Option<hybridready_directory::DnId>, CoverageRow> = HashMap::new();
    let mut reasons: BTreeMap<NotSynced, (u64, u64)> = BTreeMap::new();
    for o in dir.ids() {
        s.objects += 1;
        let st = e.sync[o.index()];
        let sfb = &e.prep.sfb[o.index()];
        match st {
            None => {
                s.in_scope += 1;
                s.synced += 1;
            }
            Some(r) => {
                if !r.is_scope() {
                    s.in_scope += 1;
                }
                let entry = reasons.entry(r).or_default();
                entry.0 += 1;
                if sfb.enabled {
                    entry.1 += 1;
                }
            }
        }
        if !sfb.enabled {
            continue;
        }
        s.sfb_users += 1;
        if st.is_none() {
            s.sfb_synced += 1;
        } else if sfb.online {
            s.sfb_unsynced_online += 1;
        }
        let domain = dir
            .domain_of(o)
            .map_or_else(String::new, |d| dir.domain(d).name.clone());
        for row in [
            by_domain.entry(domain).or_default(),
            by_ou.entry(dir.container_of(o)).or_default(),
        ] {
            row.sfb_users += 1;
            match st {
                None => row.synced += 1,
                Some(r) if r.is_scope() => row.out_of_scope += 1,
                Some(_) => row.blocked += 1,
            }
        }
    }
    s.sfb_unsynced = s.sfb_users - s.sfb_synced;
    s.coverage = if s.sfb_users == 0 {
        1.0
    } else {
        s.sfb_synced as f64 / s.sfb_users as f64
    };
    let mut not_synced: Vec<ReasonCount> = reasons
        .into_iter()
        .map(|(r, (objects, sfb_users))| ReasonCount {
            reason: r.reason(excluded),
            objects,
            sfb_users,
        })
        .collect();
    not_synced.sort_by(|a, b| {
        b.sfb_users
            .cmp(&a.sfb_users)
            .then(b.objects.cmp(&a.objects))
            .then_with(|| a.reason.cmp(&b.reason))
    });
    s.not_synced = not_synced;
    s.by_domain = by_domain
        .into_iter()
        .map(|(name, mut r)| {
            r.name = name;
            r
        })
        .collect();
    s.by_domain
        .sort_by(|a, b| b.sfb_users.cmp(&a.sfb_users).then(a.name.cmp(&b.name)));
    s.ous_with_sfb_users = by_ou.len() as u64;
    let mut ous: Vec<CoverageRow> = by_ou
        .into_iter()
        .map(|(dn, mut r)| {
            if let Some(d) = dn {
                r.name = dir.dns().display(d).to_string();
                r.path = Some(hybridready_assessment::dn_path(&r.name));
            }
            r
        })
        .collect();
    ous.sort_by(|a, b| {
        b.sfb_users
            .cmp(&a.sfb_users)
            .then_with(|| a.name.cmp(&b.name))
    });
    ous.truncate(hybridready_assessment::sync::TOP_OUS);
    s.by_ou = ous;
    s
}

/// Every reason an object does not sync: its scope reason, then every blocking rule.
pub fn reasons_of(e: &Evaluated, o: ObjectId) -> Vec<SyncReason> {
    let excluded = e.scenario.sync.exclude_ous.as_deref().unwrap_or_default();
    let mut r = Vec::new();
    match e.sync[o.index()] {
        None => {}
        Some(st) => {
            if st.is_scope() {
                r.push(st.reason(excluded));
            }
            r.extend(
                e.prep
                    .findings
                    .blockers(o)
                    .map(|rule| SyncReason::Blocked { rule: rule.into() }),
            );
        }
    }
    r
}

/// Every SfB user that would not synchronise: those already online first (each is a blocker of
/// its own: its cloud account depends on the sync), then the on-premises ones by impact.
fn unsynced_users(e: &Evaluated) -> Vec<UnsyncedUser> {
    let dir = e.prep.dir;
    let pilot: HashMap<ObjectId, u64> = e
        .pilot_breaks
        .impacts
        .iter()
        .map(|(o, i, _)| (*o, *i))
        .collect();
    let end: HashMap<ObjectId, (u64, &Vec<ObjectId>)> = e
        .end_breaks
        .impacts
        .iter()
        .map(|(o, i, p)| (*o, (*i, p)))
        .collect();
    let mut out: Vec<UnsyncedUser> = dir
        .ids_of(ObjectKind::User)
        .filter(|o| e.prep.sfb[o.index()].enabled && e.sync[o.index()].is_some())
        .map(|o| {
            let (impact, partners) = end.get(&o).map_or((0, &[][..]), |x| (x.0, &x.1[..]));
            UnsyncedUser {
                user: ObjRef(o.0),
                home: if e.prep.sfb[o.index()].online {
                    Home::Online
                } else {
                    Home::OnPremises
                },
                reasons: reasons_of(e, o),
                impact,
                impact_after_pilot: pilot.get(&o).copied().unwrap_or(0),
                partners: partners.iter().map(|p| ObjRef(p.0)).collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (b.home == Home::Online)
            .cmp(&(a.home == Home::Online))
            .then(b.impact.cmp(&a.impact))
            .then(b.impact_after_pilot.cmp(&a.impact_after_pilot))
            .then(a.user.cmp(&b.user))
    });
    out
}

/// The fact of a break check at one point.
pub fn break_fact(c: BreakCounts) -> hybridready_assessment::Fact {
    if c.broken_pairs == 0 {
        hybridready_assessment::Fact::NoBreak
    } else {
        hybridready_assessment::Fact::Broken {
            pairs: c.broken_pairs,
            unsynced: c.unsynced_users_breaking,
            online: c.online_users_affected,
        }
    }
}
