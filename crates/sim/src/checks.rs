//! Evaluates the checks of `sfb-hybrid.md` §7 (declared in `hybridready_assessment::check`) and
//! groups them into the six steps.
//!
//! Every check is evaluated wherever the inputs carry what it needs. A check whose input is
//! missing says so ([`Fact::NotProvided`]) and warns: it never passes silently. A result is
//! typed (a fact, its causes, its objects); the renderers word it.

use super::run::{Evaluated, PilotMisfit, break_fact, is_verified};
use super::scope::NotSynced;
use hybridready_assessment::scenario::{
    Database, Product, ServerVersion, Target, UpgradePolicy, VerificationLevel,
};
use hybridready_assessment::{
    BreakCounts, Cause, CheckId, CheckResult, Date, Fact, Home, Input, MoveBlocker, ObjRef, Reason,
    Scenario, Status, Step, StepId, SyncFigures,
};
use hybridready_directory::{Attr, Directory, ObjectId, ObjectKind};
use std::collections::{BTreeMap, HashMap};

/// Users a fact names when they are no AD object (a cloud-only user has no `ObjRef`).
const EXAMPLE_USERS: usize = 10;

fn result(id: CheckId, status: Status, fact: Fact) -> CheckResult {
    CheckResult::new(id, status, fact)
}
fn pass(id: CheckId, fact: Fact) -> CheckResult {
    result(id, Status::Pass, fact)
}
fn warn(id: CheckId, fact: Fact) -> CheckResult {
    result(id, Status::Warn, fact)
}
fn fail(id: CheckId, fact: Fact) -> CheckResult {
    result(id, Status::Fail, fact)
}
/// The check needs these inputs and warns without them.
fn missing(id: CheckId, inputs: Vec<Input>) -> CheckResult {
    warn(id, Fact::NotProvided { inputs })
}
fn key(k: &str) -> Input {
    Input::ScenarioKey(k.to_string())
}
fn column(c: &str) -> Input {
    Input::Column(c.to_string())
}
/// The columns that tell who uses Skype for Business, when no input carried either: every
/// check counting SfB users would otherwise pass on zero of them.
fn sfb_unknown(dir: &Directory) -> Option<Vec<Input>> {
    (!dir.is_known(Attr::SfbEnabled) && !dir.is_known(Attr::SipAddress)).then(|| {
        vec![
            column(Attr::SfbEnabled.ldap_name()),
            column(Attr::SipAddress.ldap_name()),
        ]
    })
}

/// [`sfb_unknown`], and the column that tells who is homed online when no input carried it.
fn homes_unknown(dir: &Directory) -> Option<Vec<Input>> {
    let mut v = sfb_unknown(dir).unwrap_or_default();
    if !dir.is_known(Attr::HostingProvider) {
        v.push(column(Attr::HostingProvider.ldap_name()));
    }
    (!v.is_empty()).then_some(v)
}

/// Every object behind a check, in the order given (the renderers cut the lists they show and
/// the worklist `checks.csv` holds them all).
fn refs(objects: impl IntoIterator<Item = ObjectId>) -> Vec<ObjRef> {
    objects.into_iter().map(|o| ObjRef(o.0)).collect()
}

/// Causes from reasons and the objects each applies to: largest count first, then by reason.
/// Each object is listed under each of its reasons, in the order given.
fn causes(items: impl IntoIterator<Item = (Reason, ObjectId)>) -> Vec<Cause> {
    let mut by: BTreeMap<Reason, Cause> = BTreeMap::new();
    for (reason, o) in items {
        let c = by
            .entry(reason.clone())
            .or_insert_with(|| Cause::new(reason, 0));
        c.count += 1;
        c.objects.push(ObjRef(o.0));
    }
    sorted(by.into_values().collect())
}

/// Causes with counts and no objects (settings, domains), largest first.
fn counted(items: impl IntoIterator<Item = (Reason, u64)>) -> Vec<Cause> {
    let mut by: BTreeMap<Reason, u64> = BTreeMap::new();
    for (r, n) in items {
        *by.entry(r).or_default() += n;
    }
    sorted(by.into_iter().map(|(r, n)| Cause::new(r, n)).collect())
}

/// Causes that are each one fact (a setting that is off): no count.
fn listed(reasons: Vec<Reason>) -> Vec<Cause> {
    reasons.into_iter().map(|r| Cause::new(r, 0)).collect()
}

fn sorted(mut v: Vec<Cause>) -> Vec<Cause> {
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
    v
}

/// Non-routable suffixes (they can never be verified).
pub fn non_routable(domain: &str) -> bool {
    let d = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let last = d.rsplit('.').next().unwrap_or("");
    !d.contains('.')
        || matches!(
            last,
            "local"
                | "lan"
                | "internal"
                | "corp"
                | "localdomain"
                | "home"
                | "test"
                | "intra"
                | "private"
        )
}

/// A product's rank: newer is higher.
fn rank(p: Product) -> u8 {
    match p {
        Product::Lync2010 => 0,
        Product::Lync2013 => 1,
        Product::SfB2015 => 2,
        Product::SfB2019 => 3,
        Product::SubscriptionEdition => 4,
    }
}

/// The minimum build for moves (`sfb-hybrid.md` §1.4), for the products that have one: Lync
/// Server 2010 is not supported with Teams at all (T02), and every Subscription Edition build is
/// newer than the 2019 minimum.
fn move_minimum(p: Product) -> Option<[u32; 4]> {
    match p {
        Product::SfB2019 => Some([7, 0, 2046, 385]),
        Product::SfB2015 => Some([6, 0, 9319, 619]),
        Product::Lync2013 => Some([5, 0, 8308, 1182]),
        Product::Lync2010 | Product::SubscriptionEdition => None,
    }
}

/// The builds of the August 2025 update (KB5065372) that bring the dedicated hybrid application
/// (`sfb-hybrid.md` §8, from a secondary source): 2015 CU13, 2019 CU8 and Subscription Edition.
/// Older products get no such update.
fn hybrid_app_minimum(p: Product) -> Option<[u32; 4]> {
    match p {
        Product::SfB2015 => Some([6, 0, 9319, 881]),
        Product::SfB2019 => Some([7, 0, 2046, 553]),
        Product::SubscriptionEdition => Some([7, 0, 2046, 820]),
        Product::Lync2010 | Product::Lync2013 => None,
    }
}

/// Whether Microsoft still supports the product (`sfb-hybrid.md` §8: 2015 and 2019 are out of
/// support since 14 October 2025, Lync Server 2013 since 11 April 2023; Subscription Edition is
/// the supported line).
fn supported(p: Product) -> bool {
    p == Product::SubscriptionEdition
}

fn build_text(b: [u32; 4]) -> String {
    format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])
}

/// The Teams PowerShell module Move-CsUser needs (`sfb-hybrid.md` §8): 6.2.1 or later, and 7.1
/// or earlier (a documented move regression above it).
const MODULE_OLDEST: [u32; 4] = [6, 2, 1, 0];
const MODULE_NEWEST: [u32; 4] = [7, 1, 0, 0];

/// Entra Connect Sync builds below this stop synchronising on [`CONNECT_CUTOFF`]
/// (`sfb-hybrid.md` §8, entra-docs `how-to-connect-install-prerequisites.md`).
const CONNECT_MINIMUM: [u32; 4] = [2, 5, 79, 0];
const CONNECT_CUTOFF: Date = Date {
    year: 2026,
    month: 9,
    day: 30,
};

/// Tenant-level facts that stop every move when known to be wrong (never when unknown).
pub fn tenant_move_blockers(s: &Scenario) -> Vec<CheckId> {
    let mut v = Vec::new();
    let f = &s.federation;
    if s.tenant.tenants.is_some_and(|n| n > 1) {
        v.push(CheckId::T01);
    }
    if let Some(versions) = &f.server_versions {
        let too_old = versions
            .iter()
            .any(|v| matches!((v.build, move_minimum(v.product)), (Some(b), Some(min)) if b < min));
        if too_old {
            v.push(CheckId::T03);
        }
    }
    if f.allow_federated_users == Some(false) || f.use_dns_srv_routing == Some(false) {
        v.push(CheckId::T05);
    }
    let hp_wrong = f
        .hosting_provider
        .as_deref()
        .is_some_and(|h| !h.trim().eq_ignore_ascii_case("sipfed.online.lync.com"))
        || f.shared_address_space == Some(false)
        || f.hosting_provider_enabled == Some(false)
        || f.hosts_ocs_users == Some(false);
    if hp_wrong {
        v.push(CheckId::T06);
    }
    if s.tenant.shared_sip_address_space == Some(false) {
        v.push(CheckId::T07);
    }
    if f.federation_edge_pools.is_some_and(|n| n != 1) {
        v.push(CheckId::T09);
    }
    if f.hybrid_forests.is_some_and(|n| n > 1) {
        v.push(CheckId::F01);
    }
    v
}

/// Evaluates every check and groups them into the six steps (their scores are set by
/// `score::score`).
pub fn steps(e: &Evaluated, sync: &SyncFigures, assessed_on: Date) -> Vec<Step> {
    let mut all = Vec::new();
    all.extend(tenant(e));
    all.extend(domains(e));
    all.extend(sync_checks(e, sync));
    all.push(connect_version(e.scenario, assessed_on));
    all.extend(federation(e));
    all.extend(pilot(e));
    all.extend(manage(e));
    StepId::ALL
        .iter()
        .map(|&step| {
            let checks: Vec<CheckResult> = all
                .iter()
                .filter(|c| c.id.step() == step)
                .cloned()
                .collect();
            Step::from_checks(step, checks)
        })
        .collect()
}

fn tenant(e: &Evaluated) -> Vec<CheckResult> {
    let t = &e.scenario.tenant;
    let declared = match (&t.name, &t.initial_domain) {
        (None, None) => missing(
            CheckId::Tenant,
            vec![key("tenant.name"), key("tenant.initial_domain")],
        ),
        (name, initial_domain) => pass(
            CheckId::Tenant,
            Fact::TenantDeclared {
                name: name.clone(),
                initial_domain: initial_domain.clone(),
            },
        ),
    };
    let teams = match t.teams_enabled {
        None => missing(CheckId::Teams, vec![key("tenant.teams_enabled")]),
        Some(true) => pass(CheckId::Teams, Fact::TeamsEnabled),
        Some(false) => fail(CheckId::Teams, Fact::TeamsDisabled),
    };
    let t01 = match t.tenants {
        None => missing(CheckId::T01, vec![key("tenant.tenants")]),
        Some(1) => pass(CheckId::T01, Fact::OneTenant),
        Some(n) => fail(CheckId::T01, Fact::TenantsPaired { count: n.into() }),
    };
    vec![declared, teams, t01]
}

fn domains(e: &Evaluated) -> Vec<CheckResult> {
    let dir = e.prep.dir;
    let s = e.scenario;
    let verified_list = s.tenant.verified_domains.is_some();
    let mut sip_domains: BTreeMap<String, u64> = BTreeMap::new();
    let mut sip_unverified: Vec<(Reason, ObjectId)> = Vec::new();
    let mut upn_unverified: Vec<(Reason, ObjectId)> = Vec::new();
    let mut smtp_unverified: Vec<(Reason, ObjectId)> = Vec::new();
    let mut online_by_domain: BTreeMap<String, u64> = BTreeMap::new();
    let unverified = |d: &str| Reason::UnverifiedDomain {
        domain: d.to_lowercase(),
        non_routable: non_routable(d),
    };
    for o in dir.ids() {
        let u = &e.prep.sfb[o.index()];
        if u.enabled
            && let Some(d) = &u.sip_domain
        {
            *sip_domains.entry(d.clone()).or_default() += 1;
            if u.online {
                *online_by_domain.entry(d.clone()).or_default() += 1;
            }
            if !is_verified(&e.verified, d) {
                sip_unverified.push((unverified(d), o));
            }
        }
        if e.sync[o.index()].is_some() {
            continue;
        }
        if dir.kind(o) == ObjectKind::User
            && let Some((_, suffix)) = dir
                .value(o, Attr::UserPrincipalName)
                .and_then(|u| u.rsplit_once('@'))
            && !is_verified(&e.verified, suffix)
        {
            upn_unverified.push((unverified(suffix), o));
        }
        let primary = dir
            .values(o, Attr::ProxyAddresses)
            .find(|p| p.starts_with("SMTP:"))
            .map(|p| &p[5..])
            .or_else(|| dir.value(o, Attr::Mail));
        if let Some((_, d)) = primary.and_then(|m| m.rsplit_once('@'))
            && !is_verified(&e.verified, d)
        {
            smtp_unverified.push((unverified(d), o));
        }
    }
    let d01 = if sip_domains.is_empty() && !dir.is_known(Attr::SipAddress) {
        missing(CheckId::D01, vec![column("msRTCSIP-PrimaryUserAddress")])
    } else if sip_unverified.is_empty() {
        pass(
            CheckId::D01,
            Fact::SipDomainsVerified {
                domains: sip_domains.len() as u64,
            },
        )
    } else {
        let users = sip_unverified.len() as u64;
        let objects = refs(sip_unverified.iter().map(|x| x.1));
        let c = causes(sip_unverified);
        fail(
            CheckId::D01,
            Fact::SipDomainsUnverified {
                domains: c.len() as u64,
                users,
                verified_list,
            },
        )
        .with_causes(c)
        .with_objects(objects, users)
    };
    let u09 = if !dir.is_known(Attr::UserPrincipalName) {
        missing(CheckId::U09, vec![column("userPrincipalName")])
    } else if upn_unverified.is_empty() {
        pass(CheckId::U09, Fact::UpnSuffixesVerified)
    } else {
        let users = upn_unverified.len() as u64;
        let objects = refs(upn_unverified.iter().map(|x| x.1));
        let c = causes(upn_unverified);
        warn(
            CheckId::U09,
            Fact::UpnSuffixesUnverified {
                users,
                domains: c.len() as u64,
                becomes: s.tenant.initial_domain.clone(),
            },
        )
        .with_causes(c)
        .with_objects(objects, users)
    };
    let smtp = if !dir.is_known(Attr::Mail) && !dir.is_known(Attr::ProxyAddresses) {
        missing(
            CheckId::Smtp,
            vec![column("mail"), column("proxyAddresses")],
        )
    } else if smtp_unverified.is_empty() {
        pass(CheckId::Smtp, Fact::SmtpDomainsVerified)
    } else {
        let n = smtp_unverified.len() as u64;
        let objects = refs(smtp_unverified.iter().map(|x| x.1));
        let c = causes(smtp_unverified);
        warn(
            CheckId::Smtp,
            Fact::SmtpDomainsUnverified {
                objects: n,
                domains: c.len() as u64,
            },
        )
        .with_causes(c)
        .with_objects(objects, n)
    };
    let d02 = match s.federation.hybrid_forests {
        None => missing(CheckId::D02, vec![key("federation.hybrid_forests")]),
        Some(1) => pass(CheckId::D02, Fact::OneSfbForest),
        Some(n) => fail(CheckId::D02, Fact::SfbForests { count: n.into() }),
    };
    let d03 = {
        let disabled = s.tenant.disabled_sip_domains.clone().unwrap_or_default();
        let hit: Vec<(Reason, u64)> = disabled
            .iter()
            .filter_map(|d| {
                let d = d.trim().to_lowercase();
                online_by_domain
                    .get(&d)
                    .map(|n| (Reason::DisabledDomain { domain: d.clone() }, *n))
            })
            .collect();
        if hit.is_empty() {
            pass(CheckId::D03, Fact::NoDisabledDomainWithOnlineUsers)
        } else {
            let users: u64 = hit.iter().map(|x| x.1).sum();
            let c = counted(hit);
            fail(
                CheckId::D03,
                Fact::DisabledDomainsWithOnlineUsers {
                    domains: c.len() as u64,
                    users,
                },
            )
            .with_causes(c)
            .with_objects(Vec::new(), users)
        }
    };
    vec![d01, u09, smtp, d02, d03]
}

/// The unsynchronised SfB users of one home, most harmful first, with the reason each does not
/// synchronise.
fn unsynced_of(e: &Evaluated, home: Home) -> Vec<(Reason, ObjectId)> {
    let dir = e.prep.dir;
    let excluded = e.scenario.sync.exclude_ous.as_deref().unwrap_or_default();
    let impact: HashMap<ObjectId, u64> = e
        .end_breaks
        .impacts
        .iter()
        .map(|(o, i, _)| (*o, *i))
        .collect();
    let mut v: Vec<(u64, ObjectId, NotSynced)> = dir
        .ids()
        .filter_map(|o| {
            let u = &e.prep.sfb[o.index()];
            let here = if u.online {
                Home::Online
            } else {
                Home::OnPremises
            };
            match e.sync[o.index()] {
                Some(r) if u.enabled && here == home => {
                    Some((impact.get(&o).copied().unwrap_or(0), o, r))
                }
                _ => None,
            }
        })
        .collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    v.into_iter()
        .map(|(_, o, r)| {
            (
                Reason::NotSynced {
                    why: r.reason(excluded),
                },
                o,
            )
        })
        .collect()
}

fn sync_checks(e: &Evaluated, sync: &SyncFigures) -> Vec<CheckResult> {
    let dir = e.prep.dir;
    let s = e.scenario;
    let sfb_users = |home: Home| {
        e.prep
            .sfb
            .iter()
            .filter(|u| u.enabled && u.online == (home == Home::Online))
            .count() as u64
    };
    // U01 and U16: each unsynchronised SfB user is counted once, under its home.
    // Columns a sync-blocking rule reads that no input carried: the users it would stop are
    // unseen, so the check is not provided, with the users found so far.
    let unchecked: Vec<Input> = e
        .prep
        .unchecked_sync_columns
        .iter()
        .map(|c| column(c))
        .collect();
    let unsynced_check = |id: CheckId, home: Home| {
        let users = unsynced_of(e, home);
        let mut unknown = match home {
            Home::OnPremises => sfb_unknown(dir),
            Home::Online => homes_unknown(dir),
        }
        .unwrap_or_default();
        unknown.extend(unchecked.iter().cloned());
        let n = users.len() as u64;
        let objects = refs(users.iter().map(|x| x.1));
        if !unknown.is_empty() {
            missing(id, unknown)
                .with_causes(causes(users))
                .with_objects(objects, n)
        } else if users.is_empty() {
            let users = sfb_users(home);
            let fact = match home {
                Home::OnPremises => Fact::OnPremisesUsersSync { users },
                Home::Online => Fact::OnlineUsersSynced { users },
            };
            pass(id, fact)
        } else {
            let fact = match home {
                Home::OnPremises => Fact::OnPremisesUsersUnsynced { users: n },
                Home::Online => Fact::OnlineUsersUnsynced { users: n },
            };
            fail(id, fact)
                .with_causes(causes(users))
                .with_objects(objects, n)
        }
    };
    let u01 = unsynced_check(CheckId::U01, Home::OnPremises);
    let u16 = unsynced_check(CheckId::U16, Home::Online);
    // ERRORS: objects in the scope that a finding keeps out of sync, each counted once by its
    // first blocking rule (the same reasons as the sync figures').
    let blocked: Vec<(Reason, ObjectId)> = dir
        .ids()
        .filter_map(|o| match e.sync[o.index()] {
            Some(NotSynced::Blocked(rule)) => Some((Reason::RuleBlocks { rule: rule.into() }, o)),
            _ => None,
        })
        .collect();
    let errors = if blocked.is_empty() && !unchecked.is_empty() {
        missing(CheckId::Errors, unchecked.clone())
    } else if blocked.is_empty() {
        pass(CheckId::Errors, Fact::NoBlockingFinding)
    } else {
        let n = blocked.len() as u64;
        let objects = refs(blocked.iter().map(|x| x.1));
        warn(CheckId::Errors, Fact::ObjectsBlocked { objects: n })
            .with_causes(causes(blocked))
            .with_objects(objects, n)
    };
    // U03: required msRTCSIP attributes on SfB users.
    let required = [Attr::SipAddress, Attr::HostingProvider, Attr::SfbEnabled];
    let unknown: Vec<Input> = required
        .iter()
        .filter(|a| !dir.is_known(**a))
        .map(|a| column(a.ldap_name()))
        .collect();
    let u03 = {
        let mut lacking: Vec<(Reason, ObjectId)> = Vec::new();
        let mut users = Vec::new();
        for o in dir.ids() {
            if !e.prep.sfb[o.index()].enabled {
                continue;
            }
            let before = lacking.len();
            lacking.extend(
                required
                    .iter()
                    .filter(|a| dir.attr(o, **a) == Some(""))
                    .map(|a| {
                        (
                            Reason::MissingAttribute {
                                attribute: a.ldap_name().to_string(),
                            },
                            o,
                        )
                    }),
            );
            if lacking.len() > before {
                users.push(o);
            }
        }
        if users.is_empty() && !unknown.is_empty() {
            missing(CheckId::U03, unknown)
        } else if users.is_empty() {
            pass(CheckId::U03, Fact::SfbAttributesPresent)
        } else {
            let n = users.len() as u64;
            fail(CheckId::U03, Fact::SfbAttributesMissing { users: n })
                .with_causes(causes(lacking))
                .with_objects(refs(users), n)
        }
    };
    let dup_sfb: Vec<ObjectId> = e
        .prep
        .duplicates
        .iter()
        .copied()
        .filter(|o| e.prep.sfb[o.index()].enabled)
        .collect();
    let values_unknown = [Attr::Mail, Attr::ProxyAddresses, Attr::UserPrincipalName]
        .iter()
        .all(|a| !dir.is_known(*a));
    let u10 = if let (true, Some(inputs)) = (
        dup_sfb.is_empty(),
        sfb_unknown(dir).or_else(|| {
            values_unknown.then(|| {
                vec![
                    column("mail"),
                    column("proxyAddresses"),
                    column("userPrincipalName"),
                ]
            })
        }),
    ) {
        missing(CheckId::U10, inputs)
    } else if dup_sfb.is_empty() {
        pass(CheckId::U10, Fact::NoSharedValues)
    } else {
        let n = dup_sfb.len() as u64;
        fail(CheckId::U10, Fact::SharedValues { users: n }).with_objects(refs(dup_sfb), n)
    };
    let f02 = {
        let mut items: Vec<(Reason, ObjectId)> = Vec::new();
        for o in dir.ids() {
            if e.prep.sfb[o.index()].enabled && e.sync[o.index()] == Some(NotSynced::DomainFilter) {
                let domain = dir
                    .domain_of(o)
                    .map_or_else(String::new, |d| dir.domain(d).name.clone());
                items.push((Reason::DomainNotSynced { domain }, o));
            }
        }
        let users = items.len() as u64;
        let mut c = causes(items);
        if let Some(i) = s.sync.instances.filter(|&i| i > 1) {
            c.push(Cause::new(Reason::SyncInstances { count: i.into() }, 0));
        }
        if c.is_empty() {
            pass(CheckId::F02, Fact::SyncScopeComplete)
        } else {
            fail(CheckId::F02, Fact::SyncScopeIncomplete)
                .with_causes(c)
                .with_objects(Vec::new(), users)
        }
    };
    let excluded: Vec<String> = s
        .sync
        .excluded_attributes
        .clone()
        .unwrap_or_default()
        .iter()
        .map(|a| a.trim().to_string())
        .collect();
    let has = |name: &str| excluded.iter().any(|a| a.eq_ignore_ascii_case(name));
    let voice_users = e.prep.sfb.iter().any(|u| u.enabled && u.enterprise_voice);
    let mut dropped: Vec<String> = [
        "msRTCSIP-PrimaryUserAddress",
        "msRTCSIP-DeploymentLocator",
        "msRTCSIP-UserEnabled",
    ]
    .into_iter()
    .filter(|a| has(a))
    .map(String::from)
    .collect();
    if voice_users {
        dropped.extend(
            ["msRTCSIP-Line", "msRTCSIP-OptionFlags", "msRTCSIP-OwnerUrn"]
                .into_iter()
                .filter(|a| has(a))
                .map(String::from),
        );
    }
    let f03 = if dropped.is_empty() {
        pass(CheckId::F03, Fact::SfbAttributesKept)
    } else {
        fail(
            CheckId::F03,
            Fact::SfbAttributesDropped {
                attributes: dropped,
            },
        )
    };
    let f04 = if has("msRTCSIP-DeploymentLocator") {
        fail(CheckId::F04, Fact::DeploymentLocatorDropped)
    } else {
        pass(CheckId::F04, Fact::DeploymentLocatorSynced)
    };
    let originators = dir
        .ids()
        .filter(|&o| dir.value(o, Attr::OriginatorSid).is_some())
        .count() as u64;
    let mismatches = e.prep.forest_mismatches;
    let f05 = match (s.sync.resource_forest, dir.is_known(Attr::OriginatorSid)) {
        (_, true) if mismatches > 0 => fail(
            CheckId::F05,
            Fact::ResourceForestUsersUnmatched { users: mismatches },
        )
        .with_objects(Vec::new(), mismatches),
        (Some(false), _) => pass(CheckId::F05, Fact::SingleForest),
        (_, true) if originators == 0 => pass(CheckId::F05, Fact::NoResourceForestUser),
        (_, true) => pass(
            CheckId::F05,
            Fact::ResourceForestUsersMatch { users: originators },
        ),
        (_, false) => missing(
            CheckId::F05,
            vec![
                key("sync.resource_forest"),
                column("msRTCSIP-OriginatorSID"),
            ],
        ),
    };
    let objects = sync.synced;
    let f06 = if objects <= 100_000 {
        pass(CheckId::F06, Fact::SyncDatabaseFits { objects })
    } else {
        match s.sync.database {
            Some(Database::LocalDb) => warn(CheckId::F06, Fact::SyncDatabaseTooSmall { objects }),
            Some(Database::Sql) => pass(CheckId::F06, Fact::SyncDatabaseFits { objects }),
            None => missing(CheckId::F06, vec![key("sync.database")]),
        }
    };
    vec![u01, u16, errors, u03, u10, f02, f03, f04, f05, f06]
}

/// F07: the Entra Connect Sync build still synchronises on the assessment's date, and will after
/// the cut-off.
fn connect_version(s: &Scenario, assessed_on: Date) -> CheckResult {
    let Some(v) = &s.sync.connect_version else {
        return missing(CheckId::F07, vec![key("sync.connect_version")]);
    };
    let version = v.to_string();
    if v.quad() >= CONNECT_MINIMUM {
        return pass(CheckId::F07, Fact::ConnectVersionCurrent { version });
    }
    let minimum = build_text(CONNECT_MINIMUM);
    let stops_on = CONNECT_CUTOFF.iso();
    if assessed_on.unix() >= CONNECT_CUTOFF.unix() {
        fail(
            CheckId::F07,
            Fact::ConnectVersionStopped {
                version,
                minimum,
                stops_on,
            },
        )
    } else {
        warn(
            CheckId::F07,
            Fact::ConnectVersionStopping {
                version,
                minimum,
                stops_on,
            },
        )
    }
}

/// A setting the scenario must give as `true`: the keys that are false and those not given.
fn settings(items: &[(&str, Option<bool>)]) -> (Vec<Reason>, Vec<Input>) {
    let mut off = Vec::new();
    let mut unknown = Vec::new();
    for (k, v) in items {
        match v {
            Some(false) => off.push(Reason::SettingOff { key: k.to_string() }),
            None => unknown.push(key(k)),
            Some(true) => {}
        }
    }
    (off, unknown)
}

/// The result of a check made of settings: failing reasons first, then missing inputs, else the
/// passing fact.
fn settings_check(
    id: CheckId,
    bad: Vec<Reason>,
    unknown: Vec<Input>,
    ok: Fact,
    not_ok: Fact,
) -> CheckResult {
    if !bad.is_empty() {
        fail(id, not_ok).with_causes(listed(bad))
    } else if !unknown.is_empty() {
        missing(id, unknown)
    } else {
        pass(id, ok)
    }
}

fn federation(e: &Evaluated) -> Vec<CheckResult> {
    let s = e.scenario;
    let f = &s.federation;
    let [t02, t03, t12, t13] = match &f.server_versions {
        None => [CheckId::T02, CheckId::T03, CheckId::T12, CheckId::T13]
            .map(|id| missing(id, vec![key("federation.server_versions")])),
        Some(vs) => server_versions(vs),
    };
    let t04 = match (f.hybrid_voice, &f.federation_edge_version) {
        (Some(true), None) => missing(
            CheckId::T04,
            vec![key("federation.federation_edge_version")],
        ),
        (Some(true), Some(v)) if rank(v.product) >= rank(Product::SfB2015) => pass(
            CheckId::T04,
            Fact::HybridVoiceOn {
                version: v.to_string(),
            },
        ),
        (Some(true), Some(v)) => fail(
            CheckId::T04,
            Fact::HybridVoiceEdgeTooOld {
                version: v.to_string(),
            },
        ),
        _ => pass(CheckId::T04, Fact::HybridVoiceNotPlanned),
    };
    let t05 = {
        let (bad, unknown) = settings(&[
            ("federation.allow_federated_users", f.allow_federated_users),
            ("federation.allow_outside_users", f.allow_outside_users),
            ("federation.use_dns_srv_routing", f.use_dns_srv_routing),
        ]);
        settings_check(
            CheckId::T05,
            bad,
            unknown,
            Fact::AccessEdgeReady,
            Fact::AccessEdgeNotReady,
        )
    };
    let t06 = {
        let mut bad = Vec::new();
        let mut unknown = Vec::new();
        match &f.hosting_provider {
            None => unknown.push(key("federation.hosting_provider")),
            Some(h) if !h.trim().eq_ignore_ascii_case("sipfed.online.lync.com") => {
                bad.push(Reason::ProxyFqdn { found: h.clone() })
            }
            _ => {}
        }
        let (off, more) = settings(&[
            ("federation.shared_address_space", f.shared_address_space),
            (
                "federation.hosting_provider_enabled",
                f.hosting_provider_enabled,
            ),
            ("federation.hosts_ocs_users", f.hosts_ocs_users),
        ]);
        bad.extend(off);
        unknown.extend(more);
        if let Some(v) = f.verification_level
            && v != VerificationLevel::UseSourceVerification
        {
            bad.push(Reason::VerificationLevel {
                found: v.to_string(),
            });
        }
        settings_check(
            CheckId::T06,
            bad,
            unknown,
            Fact::HostingProviderReady,
            Fact::HostingProviderNotReady,
        )
    };
    let t07 = match s.tenant.shared_sip_address_space {
        None => missing(CheckId::T07, vec![key("tenant.shared_sip_address_space")]),
        Some(true) => pass(CheckId::T07, Fact::SharedSipAddressSpaceOn),
        Some(false) => fail(CheckId::T07, Fact::SharedSipAddressSpaceOff),
    };
    let t08 = federation_parity(s);
    let t09 = match f.federation_edge_pools {
        None => missing(CheckId::T09, vec![key("federation.federation_edge_pools")]),
        Some(1) => pass(CheckId::T09, Fact::OneEdgePool),
        Some(n) => fail(CheckId::T09, Fact::EdgePools { count: n.into() }),
    };
    let t10 = {
        let mut sip_domains: Vec<String> = e
            .prep
            .sfb
            .iter()
            .filter(|u| u.enabled)
            .filter_map(|u| u.sip_domain.clone())
            .collect();
        sip_domains.sort();
        sip_domains.dedup();
        match &s.dns.sip_federation_srv {
            None => missing(CheckId::T10, vec![key("dns.sip_federation_srv")]),
            Some(_) if sip_domains.is_empty() && !e.prep.dir.is_known(Attr::SipAddress) => {
                missing(CheckId::T10, vec![column(Attr::SipAddress.ldap_name())])
            }
            Some(ok) => {
                let mut bad: Vec<Reason> = sip_domains
                    .iter()
                    .filter(|d| !is_verified(ok, d))
                    .map(|d| Reason::SrvMissing { domain: d.clone() })
                    .collect();
                if let Some(ext) = &s.dns.external_records_on_premises {
                    bad.extend(
                        sip_domains
                            .iter()
                            .filter(|d| !is_verified(ext, d))
                            .map(|d| Reason::ExternalRecordsElsewhere { domain: d.clone() }),
                    );
                }
                settings_check(
                    CheckId::T10,
                    bad,
                    Vec::new(),
                    Fact::DnsReady,
                    Fact::DnsNotReady,
                )
            }
        }
    };
    let t11 = {
        let (mut bad, mut unknown) =
            settings(&[("federation.tls12", f.tls12), ("federation.oauth", f.oauth)]);
        // Named for what they are, not as scenario keys.
        for r in &mut bad {
            if let Reason::SettingOff { key } = r {
                *r = if key == "federation.tls12" {
                    Reason::Tls12Off
                } else {
                    Reason::OauthOff
                };
            }
        }
        let mut regression = Vec::new();
        match &f.teams_module_version {
            Some(v) if v.quad() < MODULE_OLDEST => bad.push(Reason::ModuleTooOld {
                version: v.to_string(),
            }),
            Some(v) if v.quad() > MODULE_NEWEST => regression.push(Reason::ModuleRegression {
                version: v.to_string(),
            }),
            Some(_) => {}
            None => unknown.push(key("federation.teams_module_version")),
        }
        // A module newer than 7.1 is a documented regression to avoid, not a prerequisite
        // missed: it warns.
        if bad.is_empty() && unknown.is_empty() && !regression.is_empty() {
            warn(CheckId::T11, Fact::MoveToolingNotReady).with_causes(listed(regression))
        } else {
            settings_check(
                CheckId::T11,
                bad,
                unknown,
                Fact::MoveToolingReady,
                Fact::MoveToolingNotReady,
            )
        }
    };
    let f01 = match f.hybrid_forests {
        None => missing(CheckId::F01, vec![key("federation.hybrid_forests")]),
        Some(n) if n <= 1 => pass(CheckId::F01, Fact::OneHybridForest),
        Some(n) => fail(CheckId::F01, Fact::HybridForests { count: n.into() }),
    };
    vec![
        t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, f01,
    ]
}

/// Whether moves need `Move-CsUser -UseOAuth`: Skype for Business Server 2015 CU8 to CU11
/// (builds below CU12's, which uses OAuth on its own).
pub fn needs_oauth(versions: &[ServerVersion]) -> bool {
    versions
        .iter()
        .any(|v| v.product == Product::SfB2015 && v.build.is_some_and(|b| b < [6, 0, 9319, 619]))
}

/// T02 (a supported topology), T03 (builds recent enough for moves), T12 (products still
/// supported) and T13 (builds that bring the dedicated hybrid application).
fn server_versions(vs: &[ServerVersion]) -> [CheckResult; 4] {
    let mut problems = Vec::new();
    let mut products: Vec<Product> = vs.iter().map(|v| v.product).collect();
    products.sort_unstable();
    products.dedup();
    if products.contains(&Product::Lync2010) {
        problems.push(Reason::Lync2010);
    }
    if products.len() > 2 {
        problems.push(Reason::TooManyVersions {
            count: products.len() as u64,
        });
    } else if products == [Product::Lync2010, Product::SfB2019] {
        problems.push(Reason::VersionPair {
            first: "Lync Server 2010".into(),
            second: "Skype for Business Server 2019".into(),
        });
    }
    let t02 = if problems.is_empty() {
        pass(
            CheckId::T02,
            Fact::TopologySupported {
                versions: vs.iter().map(ToString::to_string).collect(),
            },
        )
    } else {
        fail(CheckId::T02, Fact::TopologyUnsupported).with_causes(listed(problems))
    };
    let (low, no_build) = minimum_builds(vs, move_minimum);
    let t03 = if !low.is_empty() {
        fail(CheckId::T03, Fact::BuildsTooOld).with_causes(listed(low))
    } else if !no_build.is_empty() {
        missing(CheckId::T03, vec![Input::BuildsOf(no_build)])
    } else {
        pass(CheckId::T03, Fact::BuildsRecentEnough)
    };
    let unsupported: Vec<Reason> = vs
        .iter()
        .filter(|v| !supported(v.product))
        .map(|v| Reason::OutOfSupport {
            version: v.to_string(),
        })
        .collect();
    let t12 = if unsupported.is_empty() {
        pass(CheckId::T12, Fact::ServersSupported)
    } else {
        let servers = unsupported.len() as u64;
        warn(CheckId::T12, Fact::ServersOutOfSupport { servers }).with_causes(listed(unsupported))
    };
    // The source is secondary (`sfb-hybrid.md` §8): a server without the update is a warning to
    // verify with the customer, never a block.
    let (mut stale, no_build) = minimum_builds(vs, hybrid_app_minimum);
    stale.extend(
        vs.iter()
            .filter(|v| hybrid_app_minimum(v.product).is_none())
            .map(|v| Reason::NoHybridApplicationUpdate {
                version: v.to_string(),
            }),
    );
    let t13 = if !stale.is_empty() {
        let servers = stale.len() as u64;
        warn(CheckId::T13, Fact::HybridApplicationToVerify { servers }).with_causes(listed(stale))
    } else if !no_build.is_empty() {
        missing(CheckId::T13, vec![Input::BuildsOf(no_build)])
    } else {
        pass(CheckId::T13, Fact::HybridApplicationBuilds)
    };
    [t02, t03, t12, t13]
}

/// The servers below a minimum build, and those whose build is not given, among the products
/// that have a minimum.
fn minimum_builds(
    vs: &[ServerVersion],
    minimum: fn(Product) -> Option<[u32; 4]>,
) -> (Vec<Reason>, Vec<String>) {
    let mut low = Vec::new();
    let mut no_build = Vec::new();
    for v in vs {
        match (minimum(v.product), v.build) {
            (Some(min), Some(b)) if b < min => low.push(Reason::BuildTooOld {
                version: v.to_string(),
                minimum: build_text(min),
            }),
            (Some(_), None) => no_build.push(v.to_string()),
            _ => {}
        }
    }
    (low, no_build)
}

/// T08: federation settings match on-premises and online.
fn federation_parity(s: &Scenario) -> CheckResult {
    let t = &s.tenant;
    let f = &s.federation;
    let mut bad = Vec::new();
    let mut unknown = Vec::new();
    match t.federation_enabled {
        Some(false) => bad.push(Reason::TenantFederationOff),
        None => unknown.push(key("tenant.federation_enabled")),
        Some(true) => {}
    }
    match (f.enable_partner_discovery, t.open_federation) {
        (Some(d), Some(o)) if d != o => bad.push(Reason::DiscoveryMismatch {
            discovery: d,
            open: o,
        }),
        (None, _) => unknown.push(key("federation.enable_partner_discovery")),
        (_, None) => unknown.push(key("tenant.open_federation")),
        _ => {}
    }
    let norm = |v: &Option<Vec<String>>| {
        v.as_ref().map(|l| {
            let mut l: Vec<String> = l.iter().map(|d| d.trim().to_lowercase()).collect();
            l.sort();
            l.dedup();
            l
        })
    };
    for (on_prem, online, differ, keys) in [
        (
            &f.allowed_domains,
            &t.allowed_domains,
            Reason::AllowedDomainsDiffer,
            ["federation.allowed_domains", "tenant.allowed_domains"],
        ),
        (
            &f.blocked_domains,
            &t.blocked_domains,
            Reason::BlockedDomainsDiffer,
            ["federation.blocked_domains", "tenant.blocked_domains"],
        ),
    ] {
        match (norm(on_prem), norm(online)) {
            (Some(x), Some(y)) if x != y => bad.push(differ),
            (a, b) => {
                if a.is_none() {
                    unknown.push(key(keys[0]));
                }
                if b.is_none() {
                    unknown.push(key(keys[1]));
                }
            }
        }
    }
    settings_check(
        CheckId::T08,
        bad,
        unknown,
        Fact::FederationParity,
        Fact::FederationMismatch,
    )
}

/// The move blockers of `users`, as causes.
fn move_causes(e: &Evaluated, users: &[ObjectId]) -> Vec<Cause> {
    causes(users.iter().flat_map(|&o| {
        e.blockers[o.index()]
            .iter()
            .map(move |b| (Reason::CannotMove { why: b.clone() }, o))
    }))
}

fn pilot(e: &Evaluated) -> Vec<CheckResult> {
    let dir = e.prep.dir;
    let s = e.scenario;
    let defined = s.pilot.group.is_some() || s.pilot.users.is_some() || s.pilot.ous.is_some();
    let sfb_pilot: Vec<ObjectId> = e
        .pilot
        .iter()
        .copied()
        .filter(|o| {
            let u = &e.prep.sfb[o.index()];
            u.enabled && !u.online
        })
        .collect();
    let blocked: Vec<ObjectId> = sfb_pilot
        .iter()
        .copied()
        .filter(|o| !e.movable[o.index()])
        .collect();
    let pilot_check = if !defined {
        warn(CheckId::Pilot, Fact::NoPilot)
    } else if blocked.is_empty() {
        pass(
            CheckId::Pilot,
            Fact::PilotMovable {
                users: sfb_pilot.len() as u64,
            },
        )
    } else {
        let n = blocked.len() as u64;
        fail(
            CheckId::Pilot,
            Fact::PilotBlocked {
                users: n,
                total: sfb_pilot.len() as u64,
            },
        )
        .with_causes(move_causes(e, &blocked))
        .with_objects(refs(blocked.iter().copied()), n)
    };
    let u06 = if e.pilot_not_movable_kind.is_empty() {
        pass(CheckId::U06, Fact::PilotAllSfbOnPremises)
    } else {
        let n = e.pilot_not_movable_kind.len() as u64;
        let c = causes(e.pilot_not_movable_kind.iter().map(|(o, why)| {
            let r = match why {
                PilotMisfit::NotSfbUser => Reason::NotSfbUser,
                PilotMisfit::AlreadyOnline => Reason::AlreadyOnline,
            };
            (r, *o)
        }));
        fail(CheckId::U06, Fact::PilotNotSfbOnPremises { users: n })
            .with_causes(c)
            .with_objects(refs(e.pilot_not_movable_kind.iter().map(|x| x.0)), n)
    };
    // Licences: over every on-premises SfB user a move is planned for (independently of other
    // blockers, so fixing one never reveals this one: see `score`).
    let candidates: Vec<ObjectId> = dir
        .ids()
        .filter(|o| {
            let u = &e.prep.sfb[o.index()];
            u.enabled && !u.online && !e.kept[o.index()]
        })
        .collect();
    let u04 = if dir.is_known(Attr::Licenses) {
        let none: Vec<ObjectId> = candidates
            .iter()
            .copied()
            .filter(|&o| dir.attr(o, Attr::Licenses) == Some(""))
            .collect();
        if none.is_empty() {
            pass(CheckId::U04, Fact::LicencesAssigned)
        } else {
            let n = none.len() as u64;
            fail(CheckId::U04, Fact::UsersUnlicensed { users: n }).with_objects(refs(none), n)
        }
    } else {
        match s.licenses.teams_and_sfbo_assigned {
            Some(true) => pass(CheckId::U04, Fact::LicencesGivenByScenario),
            Some(false) => {
                let n = candidates.len() as u64;
                fail(CheckId::U04, Fact::UsersUnlicensed { users: n })
                    .with_objects(refs(candidates.iter().copied()), n)
            }
            None => missing(CheckId::U04, vec![Input::Licences]),
        }
    };
    let ev: Vec<ObjectId> = candidates
        .iter()
        .copied()
        .filter(|o| e.prep.sfb[o.index()].enterprise_voice)
        .collect();
    let n_ev = ev.len() as u64;
    let u05 = if ev.is_empty() {
        pass(CheckId::U05, Fact::NoVoiceUserToMove)
    } else {
        match s.licenses.phone_system_assigned {
            Some(true) => pass(CheckId::U05, Fact::VoiceUsersLicensed { users: n_ev }),
            Some(false) => fail(CheckId::U05, Fact::VoiceUsersUnlicensed { users: n_ev })
                .with_objects(refs(ev), n_ev),
            None => missing(CheckId::U05, vec![key("licenses.phone_system_assigned")])
                .with_objects(refs(ev), n_ev),
        }
    };
    let p01 = break_check(e, CheckId::P01, e.pilot_breaks.counts);
    let u15 = if s.pilot.force == Some(true) {
        warn(CheckId::U15, Fact::MovesWithForce)
    } else {
        pass(CheckId::U15, Fact::MovesKeepContacts)
    };
    let u14 = pass(CheckId::U14, Fact::SignInReminder);
    vec![pilot_check, u06, u04, u05, p01, u15, u14]
}

/// P01 or BREAKS: the pairs broken at one point. A break needs an SfB user online and one on
/// premises: without the columns that tell them apart, none can be seen.
fn break_check(e: &Evaluated, id: CheckId, counts: BreakCounts) -> CheckResult {
    match homes_unknown(e.prep.dir) {
        Some(inputs) if counts.broken_pairs == 0 => missing(id, inputs),
        _ => {
            let status = if counts.broken_pairs == 0 {
                Status::Pass
            } else {
                Status::Fail
            };
            result(id, status, break_fact(counts)).with_objects(Vec::new(), counts.broken_pairs)
        }
    }
}

fn manage(e: &Evaluated) -> Vec<CheckResult> {
    let dir = e.prep.dir;
    let s = e.scenario;
    let stranded: Vec<ObjectId> = dir
        .ids()
        .filter(|o| {
            let u = &e.prep.sfb[o.index()];
            u.enabled && !u.online && !e.movable[o.index()] && !e.kept[o.index()]
        })
        .collect();
    let in_waves: usize = e.waves.iter().map(Vec::len).sum();
    let kept = e.plan.kept;
    let waves = if let (true, Some(inputs)) = (stranded.is_empty(), sfb_unknown(dir)) {
        missing(CheckId::Waves, inputs)
    } else if stranded.is_empty() {
        pass(
            CheckId::Waves,
            Fact::WavesPlanned {
                users: in_waves as u64,
                waves: e.waves.len() as u64,
                size: s.waves.size.max(1) as u64,
                kept,
            },
        )
    } else {
        let n = stranded.len() as u64;
        warn(CheckId::Waves, Fact::UsersStranded { users: n })
            .with_causes(move_causes(e, &stranded))
            .with_objects(refs(stranded.iter().copied()), n)
    };
    let breaks = break_check(e, CheckId::Breaks, e.end_breaks.counts);
    let p04 = if s.affinity.delegates.is_none() {
        missing(CheckId::P04, vec![key("affinity.delegates")])
    } else {
        let split = &e.split_delegates;
        if split.is_empty() {
            pass(CheckId::P04, Fact::DelegatesTogether)
        } else {
            let n = split.len() as u64;
            warn(CheckId::P04, Fact::DelegatesSplit { pairs: n })
                .with_objects(refs(split.iter().flat_map(|&(a, b)| [a, b])), n)
        }
    };
    let u02 = match &e.prep.tenant {
        None => missing(CheckId::U02, vec![Input::OnlineUsersExport]),
        // Cloud-only users whose home no export gives: only Get-CsOnlineUser tells.
        Some(t) if t.cloud_only_online.is_empty() && t.cloud_only_home_unknown > 0 => {
            missing(CheckId::U02, vec![Input::OnlineUsersExport])
        }
        Some(t) if t.cloud_only_online.is_empty() => {
            pass(CheckId::U02, Fact::NoCloudOnlyUser { users: t.users })
        }
        Some(t) => {
            let cloud = dir.cloud_users().unwrap_or_default();
            let examples = t
                .cloud_only_online
                .iter()
                .filter_map(|&i| cloud.get(i))
                .filter_map(|u| u.upn.clone().or_else(|| u.sip.clone()))
                .take(EXAMPLE_USERS)
                .collect();
            fail(
                CheckId::U02,
                Fact::CloudOnlyUsers {
                    users: t.cloud_only_online.len() as u64,
                    examples,
                },
            )
        }
    };
    let onprem_remaining = e
        .prep
        .sfb
        .iter()
        .enumerate()
        .any(|(i, u)| u.enabled && !u.online && !e.movable[i])
        || kept > 0;
    let mode = s.tenant.global_upgrade_policy;
    let p03 = match mode {
        None => missing(CheckId::P03, vec![key("tenant.global_upgrade_policy")]),
        Some(m) if m.is_islands() => warn(
            CheckId::P03,
            Fact::IslandsMissChats {
                mode: m.to_string(),
            },
        ),
        Some(m) => pass(
            CheckId::P03,
            Fact::IslandsReachable {
                mode: m.to_string(),
            },
        ),
    };
    let u11 = match s.federation.ucs_enabled {
        None => missing(CheckId::U11, vec![key("federation.ucs_enabled")]),
        Some(true) => warn(CheckId::U11, Fact::UnifiedContactStore),
        Some(false) => pass(CheckId::U11, Fact::NoUnifiedContactStore),
    };
    let u12 = {
        let mut problems = Vec::new();
        if mode.is_some_and(UpgradePolicy::is_teams_only) && onprem_remaining {
            problems.push(Cause::new(Reason::TenantTeamsOnly, 0));
        }
        let wrong: Vec<ObjectId> = dir
            .ids()
            .filter(|o| {
                let u = &e.prep.sfb[o.index()];
                u.enabled
                    && !u.online
                    && dir
                        .value(*o, Attr::TeamsUpgradePolicy)
                        .and_then(UpgradePolicy::parse)
                        .is_some_and(UpgradePolicy::is_teams_only)
            })
            .collect();
        let n = wrong.len() as u64;
        if n > 0 {
            let mut c = Cause::new(Reason::UsersTeamsOnly, n);
            c.objects = refs(wrong.iter().copied());
            problems.push(c);
        }
        if !problems.is_empty() {
            fail(CheckId::U12, Fact::ModesMisfit)
                .with_causes(problems)
                .with_objects(refs(wrong), n)
        } else if mode.is_none() && !dir.is_known(Attr::TeamsUpgradePolicy) {
            missing(
                CheckId::U12,
                vec![key("tenant.global_upgrade_policy"), Input::UserModes],
            )
        } else {
            pass(CheckId::U12, Fact::ModesFit)
        }
    };
    let u13 = match s.tenant.target {
        Some(Target::SfbOnline) => missing(CheckId::U13, vec![Input::ContactCounts]),
        _ => pass(CheckId::U13, Fact::ContactsToTeams),
    };
    let p02 = if dir.is_known(Attr::TeamsUpgradePolicy) {
        pass(CheckId::P02, Fact::UserModesGiven)
    } else {
        missing(CheckId::P02, vec![Input::UserModes])
    };
    let p05 = match s.federation.hybrid_forests {
        None => missing(CheckId::P05, vec![key("federation.hybrid_forests")]),
        Some(n) if n <= 1 => pass(CheckId::P05, Fact::OtherForestsFederate),
        Some(n) => warn(CheckId::P05, Fact::OtherForestsBreak { forests: n.into() }),
    };
    vec![waves, breaks, p04, u02, p03, u11, u12, u13, p02, p05]
}

/// Whether a move blocker is one of the tenant's (every move stops), for the action plan.
pub fn is_tenant_blocker(b: &MoveBlocker) -> bool {
    matches!(b, MoveBlocker::Tenant { .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_belongs_to_a_step_and_ids_are_unique() {
        let mut ids: Vec<&str> = CheckId::ALL.iter().map(|c| c.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), CheckId::ALL.len());
        for c in CheckId::ALL {
            assert!(StepId::ALL.contains(&c.step()), "{c:?}");
            assert!(!c.def().sources.is_empty(), "{c:?} names no source");
            assert_eq!(CheckId::parse(c.as_str()), Some(*c));
        }
    }

    #[test]
    fn versions_and_routability() {
        let v = |t: &str| ServerVersion::parse(t).unwrap();
        assert!(rank(v("SfB2019 7.0.2046.385").product) > rank(Product::SfB2015));
        let lync = v("Lync Server 2013 5.0.8308.1182");
        assert_eq!(
            (lync.product, lync.build),
            (Product::Lync2013, Some([5, 0, 8308, 1182]))
        );
        assert!(needs_oauth(&[v("SfB2015 6.0.9319.534")]));
        assert!(!needs_oauth(&[v("SfB2015 6.0.9319.619"), v("SfB2019")]));
        assert!(non_routable("corp.contoso.local"));
        assert!(non_routable("contoso"));
        assert!(!non_routable("contoso.com"));
    }

    #[test]
    fn causes_are_counted_once_each_and_ranked() {
        let c = causes([
            (Reason::NotSfbUser, ObjectId(1)),
            (Reason::AlreadyOnline, ObjectId(2)),
            (Reason::AlreadyOnline, ObjectId(3)),
        ]);
        assert_eq!(c.len(), 2);
        assert_eq!(
            (c[0].reason.clone(), c[0].count),
            (Reason::AlreadyOnline, 2)
        );
        assert_eq!(c[0].objects, [ObjRef(2), ObjRef(3)]);
        assert_eq!(c.iter().map(|x| x.count).sum::<u64>(), 3);
    }
}
