//! The six deployment steps (spec §7) and the checks of sfb-hybrid.md §7 that decide them.
//!
//! Every check is evaluated wherever the inputs carry what it needs. A check whose input is
//! missing says "not provided" and warns: it never passes silently. A check's message is a
//! template key with arguments (rendered here in English for `summary.json`; the report renders
//! it in the report's language).

use super::run::{Evaluated, MoveBlocker, is_verified};
use hybridready_assessment::scenario::{Scenario, Target};
use hybridready_assessment::summary::{CheckResult, Status, StepSummary, SyncSummary};
use hybridready_directory::{Attr, ObjectId, ObjectKind};
use std::collections::BTreeMap;

/// A check of the catalogue: its id, the step it belongs to, and its weight in the score
/// (3 = blocks a step or a move, 2 = breaks communication or is unsupported, 1 = a risk).
/// Pair checks (`P*`, `BREAKS`) have weight 0: breaks are reported, not scored (see `score`).
pub struct CheckDef {
    pub id: &'static str,
    pub step: &'static str,
    pub weight: u32,
    pub title: &'static str,
    pub source: &'static str,
}

macro_rules! defs {
    ($( $id:literal, $step:literal, $w:literal, $title:literal, $source:literal; )*) => {
        pub const CHECKS: &[CheckDef] = &[ $( CheckDef { id: $id, step: $step, weight: $w, title: $title, source: $source }, )* ];
    };
}

defs! {
    "TENANT", "tenant", 3, "A Microsoft 365 tenant is declared", "ODS configure-hybrid-connectivity.md (step 1)";
    "TEAMS", "tenant", 3, "Teams / Skype for Business Online is enabled", "ODS configure-hybrid-connectivity.md";
    "T01", "tenant", 3, "One tenant only is paired with the on-premises deployment", "ODS plan-hybrid-connectivity.md";
    "D01", "domains", 3, "Every SIP domain is a verified tenant domain", "ODS configure-hybrid-connectivity.md; cloud-consolidation.md";
    "U09", "domains", 1, "Every UPN suffix is a verified, routable domain", "microsoft-365-docs prepare-a-non-routable-domain-for-directory-synchronization.md";
    "SMTP", "domains", 1, "Every primary SMTP domain is a verified tenant domain", "microsoft-365-docs manage-domain-users.md";
    "D02", "domains", 2, "SIP domains of other SfB forests are disabled online", "ODS cloud-consolidation.md; ODP Disable-CsOnlineSipDomain.md";
    "D03", "domains", 2, "No SIP domain with online users is disabled", "ODP Disable-CsOnlineSipDomain.md";
    "U01", "sync", 3, "Every Skype for Business user synchronises", "ODS configure-hybrid-connectivity.md";
    "ERRORS", "sync", 1, "Objects in scope carry no error finding", "idfix-entra.md §5";
    "U03", "sync", 2, "SfB users carry the required msRTCSIP attributes", "ODS configure-azure-ad-connect.md";
    "U10", "sync", 2, "No SfB user shares a mail, proxy or UPN value", "microsoft-365-docs manage-domain-users.md";
    "F02", "sync", 2, "Every forest and domain holding SfB users is in sync scope, one sync instance", "ODS configure-azure-ad-connect.md; cloud-consolidation-aad-connect.md";
    "F03", "sync", 2, "The sync rules keep the SfB attributes", "ODS configure-azure-ad-connect.md";
    "F04", "sync", 2, "msRTCSIP-DeploymentLocator synchronises", "ODP Disable-CsOnlineSipDomain.md";
    "F05", "sync", 2, "Resource-forest users are represented as disabled users with matching SIDs", "ODS configure-a-multi-forest-environment-for-hybrid.md";
    "F06", "sync", 1, "The sync database can hold the directory", "azure-docs how-to-connect-install-prerequisites.md";
    "T02", "federation", 3, "Server versions form a supported topology", "ODS plan-hybrid-connectivity.md";
    "T03", "federation", 3, "Servers meet the minimum builds for moves", "ODP Move-CsUser.md";
    "T04", "federation", 2, "Hybrid voice: federation Edge and pool on SfB 2015 or later", "ODS plan-hybrid-connectivity.md";
    "T05", "federation", 3, "Access Edge allows federated and outside users, DNS SRV routing", "ODS configure-federation-with-skype-for-business-online.md";
    "T06", "federation", 3, "Hosting provider sipfed.online.lync.com with shared address space", "ODS configure-federation-with-skype-for-business-online.md; ODP New-CsHostingProvider.md";
    "T07", "federation", 3, "The tenant has SharedSipAddressSpace enabled", "ODS configure-federation-with-skype-for-business-online.md";
    "T08", "federation", 2, "Federation settings match on-premises and online", "ODS plan-hybrid-connectivity.md";
    "T09", "federation", 3, "Exactly one federation Edge pool", "ODP Move-CsUser.md";
    "T10", "federation", 2, "DNS records of every SIP domain point on-premises", "ODS plan-hybrid-connectivity.md";
    "T11", "federation", 1, "TLS 1.2, OAuth and the Teams PowerShell module are ready", "ODP Move-CsUser.md";
    "F01", "federation", 3, "One forest at a time in hybrid", "ODS cloud-consolidation.md";
    "PILOT", "pilot", 3, "Every pilot user is movable", "ODS move-users-between-on-premises-and-cloud.md";
    "U06", "pilot", 3, "Pilot users are on-premises SfB users", "microsoft/BatchMoveToTeams; ODP Move-CsUser.md";
    "U04", "pilot", 3, "Users to move hold Teams and SfB Online (Plan 2) licences", "ODS move-users-between-on-premises-and-cloud.md";
    "U05", "pilot", 3, "Enterprise Voice users hold Teams Phone", "ODS move-users-between-on-premises-and-cloud.md";
    "P01", "pilot", 0, "No communication breaks right after the pilot", "ODS cloud-consolidation.md";
    "U15", "pilot", 1, "Moves keep contacts and meetings (no -Force)", "ODP Move-CsUser.md";
    "U14", "pilot", 0, "Moved users sign in to Teams within 30 days", "ODP Move-CsUser.md";
    "WAVES", "manage", 2, "Every SfB user is in a wave or kept on-premises on purpose", "spec §7";
    "BREAKS", "manage", 0, "No communication breaks once every movable user is online", "ODS configure-hybrid-connectivity.md";
    "P04", "manage", 0, "Delegates move in the same wave", "ODS cloud-consolidation.md";
    "U02", "manage", 2, "No online user lacks an on-premises AD object", "ODS plan-hybrid-connectivity.md";
    "P03", "manage", 0, "On-premises users get chats from TeamsOnly users", "ODS migration-interop-guidance-for-teams-with-skype.md";
    "U11", "manage", 1, "Unified Contact Store will not keep contacts on-premises", "ODS move-users-from-on-premises-to-teams.md";
    "U12", "manage", 3, "Coexistence modes fit the homes", "ODS coexistence-chat-calls-presence.md; ODP Grant-CsTeamsUpgradePolicy.md";
    "U13", "manage", 0, "Contact lists fit the target", "ODS plan-hybrid-connectivity.md (legacy)";
    "P02", "manage", 0, "On-premises users do not start chats from Teams to SfB users", "ODS coexistence-chat-calls-presence.md";
    "P05", "manage", 0, "Other on-premises forests keep federating", "ODS cloud-consolidation.md";
}

pub const STEPS: &[&str] = &["tenant", "domains", "sync", "federation", "pilot", "manage"];

pub fn def(id: &str) -> Option<&'static CheckDef> {
    CHECKS.iter().find(|c| c.id == id)
}

/// Every message template, `(key, English text)`: the report's other languages translate them
/// under `msg.<key>`.
pub fn message_templates() -> &'static [(&'static str, &'static str)] {
    TEMPLATES
}

/// English templates for `summary.json`; `{name}` is replaced by an argument.
const TEMPLATES: &[(&str, &str)] = &[
    ("missing", "not provided: {what}"),
    ("TENANT.pass", "tenant {tenant}"),
    ("TEAMS.pass", "Teams is enabled in the tenant"),
    (
        "TEAMS.fail",
        "Teams / Skype for Business Online is disabled in the tenant",
    ),
    (
        "T01.pass",
        "one tenant is paired with the on-premises deployment",
    ),
    (
        "T01.fail",
        "{count} tenants are paired: hybrid supports a single tenant",
    ),
    ("D01.pass", "all {count} SIP domains are verified"),
    ("D01.fail", "{count} SIP domain(s) not verified: {list}"),
    ("U09.pass", "every UPN suffix of synced users is verified"),
    (
        "U09.fail",
        "{users} synced user(s) have an unverified UPN suffix ({list}): their sign-in name becomes …@{initial}",
    ),
    ("SMTP.pass", "every primary SMTP domain is verified"),
    (
        "SMTP.fail",
        "{objects} object(s) have an unverified primary SMTP domain: {list}",
    ),
    ("D02.pass", "one SfB forest is in hybrid"),
    (
        "D02.fail",
        "{count} SfB forests in hybrid: SIP domains of the others must be disabled online",
    ),
    ("D03.pass", "no SIP domain with online users is disabled"),
    (
        "D03.fail",
        "disabling {list} would delete the online state of {users} online user(s)",
    ),
    (
        "U01.pass",
        "all {count} Skype for Business users synchronise",
    ),
    (
        "U01.fail",
        "{count} Skype for Business user(s) on-premises would not synchronise ({reasons})",
    ),
    ("ERRORS.pass", "no object in scope carries an error finding"),
    (
        "ERRORS.fail",
        "{count} object(s) in scope carry error findings: {list}",
    ),
    (
        "U03.pass",
        "every SfB user has a SIP address, a deployment locator and the enabled flag",
    ),
    ("U03.fail", "{count} SfB user(s) lack {list}"),
    (
        "U10.pass",
        "no SfB user shares a mail, proxy or UPN value with another object",
    ),
    (
        "U10.fail",
        "{count} SfB user(s) share a mail, proxy or UPN value with another object",
    ),
    (
        "F02.pass",
        "every domain holding SfB users is in sync scope",
    ),
    ("F02.fail", "{list}"),
    ("F03.pass", "the sync rules keep every msRTCSIP attribute"),
    ("F03.fail", "the sync rules drop {list}"),
    ("F04.pass", "msRTCSIP-DeploymentLocator synchronises"),
    (
        "F04.fail",
        "msRTCSIP-DeploymentLocator does not synchronise: licensed on-premises users would be provisioned online",
    ),
    ("F05.pass", "{detail}"),
    (
        "F05.fail",
        "{count} resource-forest user(s) have an msRTCSIP-OriginatorSID matching no account",
    ),
    ("F06.pass", "{count} objects to synchronise"),
    (
        "F06.fail",
        "{count} objects to synchronise exceed what LocalDB holds (~100,000): use SQL Server",
    ),
    ("T02.pass", "supported topology: {list}"),
    ("T02.fail", "unsupported topology: {list}"),
    ("T03.pass", "every server meets the minimum build for moves"),
    ("T03.fail", "below the minimum build for moves: {list}"),
    ("T04.pass", "{detail}"),
    (
        "T04.fail",
        "hybrid voice needs SfB 2015 or later on the federation Edge and pool (found {version})",
    ),
    (
        "T05.pass",
        "Access Edge allows federated and outside users and uses DNS SRV routing",
    ),
    ("T05.fail", "Access Edge: {list}"),
    (
        "T06.pass",
        "hosting provider sipfed.online.lync.com with shared address space",
    ),
    ("T06.fail", "hosting provider: {list}"),
    ("T07.pass", "SharedSipAddressSpace is enabled in the tenant"),
    (
        "T07.fail",
        "SharedSipAddressSpace is off: Move-CsUser fails with error 510",
    ),
    ("T08.pass", "federation settings match"),
    ("T08.fail", "federation parity: {list}"),
    ("T09.pass", "one federation Edge pool"),
    (
        "T09.fail",
        "{count} federation Edge pools: Move-CsUser needs exactly one",
    ),
    (
        "T10.pass",
        "DNS records of every SIP domain point on-premises",
    ),
    ("T10.fail", "DNS: {list}"),
    (
        "T11.pass",
        "TLS 1.2, OAuth and the Teams PowerShell module are ready",
    ),
    ("T11.fail", "{list}"),
    ("F01.pass", "one forest in hybrid"),
    (
        "F01.fail",
        "{count} forests in hybrid at once: only one is supported",
    ),
    (
        "PILOT.none",
        "no pilot is defined (pilot.group, pilot.users or pilot.ous)",
    ),
    ("PILOT.pass", "all {count} pilot user(s) are movable"),
    (
        "PILOT.fail",
        "{count} of {total} pilot user(s) cannot move: {reasons}",
    ),
    ("U06.pass", "every pilot user is an on-premises SfB user"),
    (
        "U06.fail",
        "{count} pilot user(s) are not on-premises SfB users ({reasons})",
    ),
    ("U04.pass", "{detail}"),
    (
        "U04.fail",
        "{count} user(s) to move have no Teams / SfB Online (Plan 2) licence",
    ),
    ("U05.pass", "{detail}"),
    (
        "U05.fail",
        "{count} Enterprise Voice user(s) have no Teams Phone licence",
    ),
    (
        "P01.pass",
        "no pair of dependent users is broken right after the pilot",
    ),
    (
        "P01.fail",
        "right after the pilot, {pairs} dependent pair(s) are broken: {unsynced} unsynchronised user(s) lose {online} online user(s)",
    ),
    ("U15.pass", "moves keep contacts and meetings"),
    (
        "U15.fail",
        "Move-CsUser -Force drops contacts and meetings for good",
    ),
    (
        "U14.pass",
        "reminder: moved users must sign in to Teams within 30 days to keep their contacts",
    ),
    (
        "WAVES.pass",
        "{count} user(s) in {waves} wave(s) of at most {size}; {kept} kept on-premises",
    ),
    (
        "WAVES.fail",
        "{count} on-premises SfB user(s) are neither in a wave nor kept on purpose: {reasons}",
    ),
    (
        "BREAKS.pass",
        "no dependent pair is broken once every movable user is online",
    ),
    (
        "BREAKS.fail",
        "once every movable user is online, {pairs} dependent pair(s) stay broken: {unsynced} unsynchronised user(s) lose {online} online user(s)",
    ),
    ("P04.pass", "delegates move in the same wave"),
    (
        "P04.fail",
        "{count} delegate pair(s) move in different waves",
    ),
    ("U02.pass", "{detail}"),
    ("P03.pass", "on-premises users use an SfB mode ({mode})"),
    (
        "P03.fail",
        "global mode {mode}: on-premises users miss chats and calls from TeamsOnly users unless they watch Teams; grant SfBWithTeamsCollab globally",
    ),
    ("U11.pass", "Unified Contact Store is off on-premises"),
    (
        "U11.fail",
        "Unified Contact Store is on: contacts will not move to Teams",
    ),
    ("U12.pass", "coexistence modes fit the homes"),
    ("U12.fail", "{list}"),
    ("U13.pass", "{detail}"),
    ("P02.pass", "{detail}"),
    ("P05.pass", "one SfB forest in hybrid"),
    (
        "P05.fail",
        "{count} SfB forests: federation with the others breaks one way unless their online SIP domains are disabled",
    ),
];

/// Renders a template key in English.
pub fn render_en(key: &str, args: &BTreeMap<String, String>) -> String {
    let t = TEMPLATES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, t)| *t);
    let mut s = t.to_string();
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

struct Builder {
    id: &'static str,
}

impl Builder {
    fn result(
        &self,
        status: Status,
        outcome: &str,
        args: &[(&str, String)],
        objects: Vec<String>,
        count: u64,
    ) -> CheckResult {
        let args: BTreeMap<String, String> = args
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        let key = if outcome == "missing" {
            "missing".to_string()
        } else {
            format!("{}.{outcome}", self.id)
        };
        CheckResult {
            id: self.id.to_string(),
            status,
            message: render_en(&key, &args),
            key,
            args,
            objects,
            object_count: count,
        }
    }
    fn pass(&self, args: &[(&str, String)]) -> CheckResult {
        self.result(Status::Pass, "pass", args, Vec::new(), 0)
    }
    fn fail(&self, args: &[(&str, String)], objects: Vec<String>, count: u64) -> CheckResult {
        self.result(Status::Fail, "fail", args, objects, count)
    }
    fn warn(
        &self,
        outcome: &str,
        args: &[(&str, String)],
        objects: Vec<String>,
        count: u64,
    ) -> CheckResult {
        self.result(Status::Warn, outcome, args, objects, count)
    }
    fn missing(&self, what: &str) -> CheckResult {
        self.result(
            Status::Warn,
            "missing",
            &[("what", what.to_string())],
            Vec::new(),
            0,
        )
    }
}

fn b(id: &'static str) -> Builder {
    Builder { id }
}

/// How many objects a check lists; the count stays exact.
pub const LISTED: usize = 20;

fn counted_list(counts: &BTreeMap<String, u64>) -> String {
    let mut v: Vec<(&String, &u64)> = counts.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter()
        .take(8)
        .map(|(k, n)| format!("{k} ({n})"))
        .collect::<Vec<_>>()
        .join(", ")
        + if v.len() > 8 { ", …" } else { "" }
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

/// Server products and the minimum build for moves.
const PRODUCTS: &[(&str, u8, [u32; 4])] = &[
    ("sfb2019", 3, [7, 0, 2046, 385]),
    ("sfb2015", 2, [6, 0, 9319, 619]),
    ("lync2013", 1, [5, 0, 8308, 1182]),
    ("lync2010", 0, [0, 0, 0, 0]),
];

/// A server product, its rank (newer is higher) and its build if given.
type Version = (&'static str, u8, Option<[u32; 4]>);

/// `"SfB2019 7.0.2046.385"` → (product, rank, build).
fn parse_version(v: &str) -> Option<Version> {
    let norm: String = v
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let (name, rank, _) = PRODUCTS.iter().find(|(p, _, _)| {
        norm.starts_with(p)
            || norm.starts_with(&p.replace("sfb", "skypeforbusiness"))
            || norm.starts_with(&p.replace("sfb", "skypeforbusinessserver"))
            || norm.starts_with(&p.replace("lync", "lyncserver"))
    })?;
    let build = v
        .split_whitespace()
        .find(|t| t.contains('.') && t.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .and_then(|t| {
            let parts: Vec<u32> = t.split('.').filter_map(|p| p.parse().ok()).collect();
            (parts.len() == 4).then(|| [parts[0], parts[1], parts[2], parts[3]])
        });
    Some((name, *rank, build))
}

/// Tenant-level facts that stop every move when known to be wrong (never when unknown).
pub fn tenant_move_blockers(s: &Scenario) -> Vec<&'static str> {
    let mut v = Vec::new();
    let f = &s.federation;
    if s.tenant.tenants.is_some_and(|n| n > 1) {
        v.push("T01");
    }
    if let Some(versions) = &f.server_versions {
        for ver in versions {
            if let Some((name, _, Some(build))) = parse_version(ver)
                && let Some((_, _, min)) = PRODUCTS.iter().find(|(p, _, _)| *p == name)
                && build < *min
            {
                v.push("T03");
                break;
            }
        }
    }
    if f.allow_federated_users == Some(false) || f.use_dns_srv_routing == Some(false) {
        v.push("T05");
    }
    let hp_wrong = f
        .hosting_provider
        .as_deref()
        .is_some_and(|h| !h.trim().eq_ignore_ascii_case("sipfed.online.lync.com"))
        || f.shared_address_space == Some(false)
        || f.hosting_provider_enabled == Some(false)
        || f.hosts_ocs_users == Some(false);
    if hp_wrong {
        v.push("T06");
    }
    if s.tenant.shared_sip_address_space == Some(false) {
        v.push("T07");
    }
    if f.federation_edge_pools.is_some_and(|n| n != 1) {
        v.push("T09");
    }
    if f.hybrid_forests.is_some_and(|n| n > 1) {
        v.push("F01");
    }
    v
}

/// Evaluates every check and groups them into the six steps.
pub fn steps(e: &Evaluated, sync: &SyncSummary) -> Vec<StepSummary> {
    let mut all = Vec::new();
    all.extend(tenant(e));
    all.extend(domains(e));
    all.extend(sync_checks(e, sync));
    all.extend(federation(e));
    all.extend(pilot(e));
    all.extend(manage(e));
    STEPS
        .iter()
        .map(|step| {
            let checks: Vec<CheckResult> = all
                .iter()
                .filter(|c| def(&c.id).is_some_and(|d| d.step == *step))
                .cloned()
                .collect();
            let status = checks
                .iter()
                .map(|c| c.status)
                .max()
                .unwrap_or(Status::Pass);
            let blockers = checks
                .iter()
                .filter(|c| c.status == Status::Fail)
                .map(|c| format!("{}: {}", c.id, c.message))
                .collect();
            StepSummary {
                id: step.to_string(),
                status,
                blockers,
                checks,
            }
        })
        .collect()
}

fn label(e: &Evaluated, o: ObjectId) -> String {
    let d = e.prep.dir;
    d.value(o, Attr::SipAddress)
        .map(|s| super::scope::strip_sip(s).to_string())
        .unwrap_or_else(|| d.label(o))
}

fn tenant(e: &Evaluated) -> Vec<CheckResult> {
    let t = &e.scenario.tenant;
    let declared = match (&t.name, &t.initial_domain) {
        (None, None) => b("TENANT").missing("tenant.name or tenant.initial_domain"),
        (n, i) => b("TENANT").pass(&[(
            "tenant",
            [n.clone(), i.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
        )]),
    };
    let teams = match t.teams_enabled {
        None => b("TEAMS").missing("tenant.teams_enabled"),
        Some(true) => b("TEAMS").pass(&[]),
        Some(false) => b("TEAMS").fail(&[], Vec::new(), 0),
    };
    let t01 = match t.tenants {
        None => b("T01").missing("tenant.tenants (how many tenants are paired)"),
        Some(1) => b("T01").pass(&[]),
        Some(n) => b("T01").fail(&[("count", n.to_string())], Vec::new(), 0),
    };
    vec![declared, teams, t01]
}

fn domains(e: &Evaluated) -> Vec<CheckResult> {
    let dir = e.prep.dir;
    let s = e.scenario;
    let verified_given = s.tenant.verified_domains.is_some();
    let mut sip: BTreeMap<String, u64> = BTreeMap::new();
    let mut upn_unverified: BTreeMap<String, u64> = BTreeMap::new();
    let mut smtp_unverified: BTreeMap<String, u64> = BTreeMap::new();
    let mut online_by_domain: BTreeMap<String, u64> = BTreeMap::new();
    for o in dir.ids() {
        let u = &e.prep.sfb[o.index()];
        if u.enabled
            && let Some(d) = &u.sip_domain
        {
            *sip.entry(d.clone()).or_default() += 1;
            if u.online {
                *online_by_domain.entry(d.clone()).or_default() += 1;
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
            let tag = if non_routable(suffix) {
                format!("{}, non-routable", suffix.to_lowercase())
            } else {
                suffix.to_lowercase()
            };
            *upn_unverified.entry(tag).or_default() += 1;
        }
        let primary = dir
            .values(o, Attr::ProxyAddresses)
            .find(|p| p.starts_with("SMTP:"))
            .map(|p| &p[5..])
            .or_else(|| dir.value(o, Attr::Mail));
        if let Some((_, d)) = primary.and_then(|m| m.rsplit_once('@'))
            && !is_verified(&e.verified, d)
        {
            *smtp_unverified.entry(d.to_lowercase()).or_default() += 1;
        }
    }
    let d01 = {
        let unverified: BTreeMap<String, u64> = sip
            .iter()
            .filter(|(d, _)| !is_verified(&e.verified, d))
            .map(|(d, n)| {
                let tag = if non_routable(d) {
                    format!("{d} (non-routable: can never be verified)")
                } else {
                    d.clone()
                };
                (tag, *n)
            })
            .collect();
        if sip.is_empty() && !dir.is_known(Attr::SipAddress) {
            b("D01").missing("SIP addresses (msRTCSIP-PrimaryUserAddress or a Get-CsUser export)")
        } else if unverified.is_empty() {
            b("D01").pass(&[("count", sip.len().to_string())])
        } else {
            b("D01").fail(
                &[
                    ("count", unverified.len().to_string()),
                    ("list", counted_list(&unverified)),
                ],
                unverified.keys().cloned().collect(),
                unverified.len() as u64,
            )
        }
    };
    let initial = s
        .tenant
        .initial_domain
        .clone()
        .unwrap_or_else(|| "<tenant>.onmicrosoft.com".into());
    let u09 = if !dir.is_known(Attr::UserPrincipalName) {
        b("U09").missing("userPrincipalName")
    } else if upn_unverified.is_empty() {
        b("U09").pass(&[])
    } else {
        let users: u64 = upn_unverified.values().sum();
        b("U09").warn(
            "fail",
            &[
                ("users", users.to_string()),
                ("list", counted_list(&upn_unverified)),
                ("initial", initial),
            ],
            upn_unverified.keys().cloned().collect(),
            users,
        )
    };
    let smtp = if !dir.is_known(Attr::Mail) && !dir.is_known(Attr::ProxyAddresses) {
        b("SMTP").missing("mail or proxyAddresses")
    } else if smtp_unverified.is_empty() {
        b("SMTP").pass(&[])
    } else {
        let n: u64 = smtp_unverified.values().sum();
        b("SMTP").warn(
            "fail",
            &[
                ("objects", n.to_string()),
                ("list", counted_list(&smtp_unverified)),
            ],
            smtp_unverified.keys().cloned().collect(),
            n,
        )
    };
    let d02 = match s.federation.hybrid_forests {
        None => {
            b("D02").missing("federation.hybrid_forests (how many SfB forests sync to the tenant)")
        }
        Some(1) => b("D02").pass(&[]),
        Some(n) => b("D02").fail(&[("count", n.to_string())], Vec::new(), 0),
    };
    let d03 = {
        let disabled = s.tenant.disabled_sip_domains.clone().unwrap_or_default();
        let hit: Vec<(String, u64)> = disabled
            .iter()
            .filter_map(|d| {
                online_by_domain
                    .get(&d.trim().to_lowercase())
                    .map(|n| (d.clone(), *n))
            })
            .collect();
        if hit.is_empty() {
            b("D03").pass(&[])
        } else {
            let users: u64 = hit.iter().map(|x| x.1).sum();
            b("D03").fail(
                &[
                    (
                        "list",
                        hit.iter()
                            .map(|x| x.0.clone())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    ("users", users.to_string()),
                ],
                hit.iter().map(|x| x.0.clone()).collect(),
                users,
            )
        }
    };
    let mut d01 = d01;
    if !verified_given && d01.status == Status::Fail {
        // Without a verified-domain list the check says so rather than guess.
        d01.message
            .push_str(" (tenant.verified_domains not provided: nothing counts as verified)");
    }
    vec![d01, u09, smtp, d02, d03]
}

fn sync_checks(e: &Evaluated, sync: &SyncSummary) -> Vec<CheckResult> {
    let dir = e.prep.dir;
    let s = e.scenario;
    // U01: unsynced on-premises SfB users, the most harmful first.
    let mut unsynced: Vec<(u64, ObjectId)> = Vec::new();
    let impact: std::collections::HashMap<ObjectId, u64> = e
        .end_breaks
        .impacts
        .iter()
        .map(|(o, i, _)| (*o, *i))
        .collect();
    let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
    for o in dir.ids() {
        let u = &e.prep.sfb[o.index()];
        if u.enabled
            && !u.online
            && let Some(r) = e.sync[o.index()]
        {
            unsynced.push((impact.get(&o).copied().unwrap_or(0), o));
            *reasons.entry(r.key()).or_default() += 1;
        }
    }
    unsynced.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let u01 = if unsynced.is_empty() {
        b("U01").pass(&[("count", sync.sfb_users.to_string())])
    } else {
        b("U01").fail(
            &[
                ("count", unsynced.len().to_string()),
                ("reasons", counted_list(&reasons)),
            ],
            unsynced
                .iter()
                .take(LISTED)
                .map(|&(_, o)| label(e, o))
                .collect(),
            unsynced.len() as u64,
        )
    };
    // ERRORS: error findings on objects in scope.
    let mut by_rule: BTreeMap<String, u64> = BTreeMap::new();
    let mut objects: Vec<ObjectId> = Vec::new();
    for (rule, objs) in &e.prep.errors_by_rule {
        for &o in objs {
            if e.sync[o.index()].is_none_or(|r| !r.is_scope()) {
                *by_rule.entry(rule.to_string()).or_default() += 1;
                objects.push(o);
            }
        }
    }
    objects.sort_unstable();
    objects.dedup();
    let errors = if objects.is_empty() {
        b("ERRORS").pass(&[])
    } else {
        b("ERRORS").warn(
            "fail",
            &[
                ("count", objects.len().to_string()),
                ("list", counted_list(&by_rule)),
            ],
            objects.iter().take(LISTED).map(|&o| dir.label(o)).collect(),
            objects.len() as u64,
        )
    };
    // U03: required msRTCSIP attributes on SfB users.
    let required = [Attr::SipAddress, Attr::HostingProvider, Attr::SfbEnabled];
    let unknown: Vec<&str> = required
        .iter()
        .filter(|a| !dir.is_known(**a))
        .map(|a| a.ldap_name())
        .collect();
    let u03 = if !unknown.is_empty() && sync.sfb_users > 0 {
        b("U03").missing(&unknown.join(", "))
    } else {
        let mut lacking: BTreeMap<String, u64> = BTreeMap::new();
        let mut users = Vec::new();
        for o in dir.ids() {
            if !e.prep.sfb[o.index()].enabled {
                continue;
            }
            let missing: Vec<&str> = required
                .iter()
                .filter(|a| dir.attr(o, **a) == Some(""))
                .map(|a| a.ldap_name())
                .collect();
            if !missing.is_empty() {
                for m in &missing {
                    *lacking.entry(m.to_string()).or_default() += 1;
                }
                users.push(o);
            }
        }
        if users.is_empty() {
            b("U03").pass(&[])
        } else {
            b("U03").fail(
                &[
                    ("count", users.len().to_string()),
                    ("list", counted_list(&lacking)),
                ],
                users.iter().take(LISTED).map(|&o| label(e, o)).collect(),
                users.len() as u64,
            )
        }
    };
    let dup_sfb: Vec<ObjectId> = e
        .prep
        .duplicates
        .iter()
        .copied()
        .filter(|o| e.prep.sfb[o.index()].enabled)
        .collect();
    let u10 = if dup_sfb.is_empty() {
        b("U10").pass(&[])
    } else {
        b("U10").fail(
            &[("count", dup_sfb.len().to_string())],
            dup_sfb.iter().take(LISTED).map(|&o| label(e, o)).collect(),
            dup_sfb.len() as u64,
        )
    };
    let f02 = {
        let mut problems = Vec::new();
        for row in &sync.by_domain {
            let filtered = dir.ids().filter(|o| {
                e.prep.sfb[o.index()].enabled
                    && e.sync[o.index()] == Some(super::scope::NotSynced::DomainFilter)
                    && dir
                        .domain_of(*o)
                        .is_some_and(|d| dir.domain(d).name == row.name)
            });
            let n = filtered.count();
            if n > 0 {
                problems.push(format!(
                    "domain {} holds {n} SfB user(s) but is not in sync.domains",
                    row.name
                ));
            }
        }
        if let Some(i) = s.sync.instances.filter(|&i| i > 1) {
            problems.push(format!(
                "{i} Entra Connect instances sync to the tenant: only one may"
            ));
        }
        if problems.is_empty() {
            b("F02").pass(&[])
        } else {
            let n = problems.len() as u64;
            b("F02").fail(&[("list", problems.join("; "))], problems, n)
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
    let mut dropped: Vec<&str> = [
        "msRTCSIP-PrimaryUserAddress",
        "msRTCSIP-DeploymentLocator",
        "msRTCSIP-UserEnabled",
    ]
    .into_iter()
    .filter(|a| has(a))
    .collect();
    if voice_users {
        dropped.extend(
            ["msRTCSIP-Line", "msRTCSIP-OptionFlags", "msRTCSIP-OwnerUrn"]
                .into_iter()
                .filter(|a| has(a)),
        );
    }
    let f03 = if dropped.is_empty() {
        b("F03").pass(&[])
    } else {
        b("F03").fail(
            &[("list", dropped.join(", "))],
            dropped.iter().map(|s| s.to_string()).collect(),
            dropped.len() as u64,
        )
    };
    let f04 = if has("msRTCSIP-DeploymentLocator") {
        b("F04").fail(&[], Vec::new(), 0)
    } else {
        b("F04").pass(&[])
    };
    let originators = dir
        .ids()
        .filter(|&o| dir.value(o, Attr::OriginatorSid).is_some())
        .count();
    let forest_errors = e.prep.errors_by_rule.get("SIP-FOREST").map_or(0, Vec::len);
    let f05 = match (s.sync.resource_forest, dir.is_known(Attr::OriginatorSid)) {
        (_, true) if forest_errors > 0 => b("F05").fail(
            &[("count", forest_errors.to_string())],
            Vec::new(),
            forest_errors as u64,
        ),
        (Some(false), _) => {
            b("F05").pass(&[("detail", "single forest: no resource-forest model".into())])
        }
        (_, true) if originators == 0 => b("F05").pass(&[(
            "detail",
            "no resource-forest user (msRTCSIP-OriginatorSID is empty)".into(),
        )]),
        (_, true) => b("F05").pass(&[(
            "detail",
            format!("{originators} resource-forest user(s) match their account SIDs"),
        )]),
        (_, false) => {
            b("F05").missing("sync.resource_forest, or msRTCSIP-OriginatorSID in the exports")
        }
    };
    let f06 = if sync.synced <= 100_000 {
        b("F06").pass(&[("count", sync.synced.to_string())])
    } else {
        match s
            .sync
            .database
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("localdb") => {
                b("F06").warn("fail", &[("count", sync.synced.to_string())], Vec::new(), 0)
            }
            Some(_) => b("F06").pass(&[("count", sync.synced.to_string())]),
            None => {
                b("F06").missing("sync.database (localdb or sql) for more than 100,000 objects")
            }
        }
    };
    vec![u01, errors, u03, u10, f02, f03, f04, f05, f06]
}

fn federation(e: &Evaluated) -> Vec<CheckResult> {
    let s = e.scenario;
    let f = &s.federation;
    let t02;
    let t03;
    match &f.server_versions {
        None => {
            t02 = b("T02").missing("federation.server_versions");
            t03 = b("T03").missing("federation.server_versions with builds");
        }
        Some(vs) => {
            let parsed: Vec<(String, Option<Version>)> =
                vs.iter().map(|v| (v.clone(), parse_version(v))).collect();
            let mut problems = Vec::new();
            let unknown: Vec<&String> = parsed
                .iter()
                .filter(|p| p.1.is_none())
                .map(|p| &p.0)
                .collect();
            let mut products: Vec<&'static str> =
                parsed.iter().filter_map(|p| p.1.map(|x| x.0)).collect();
            products.sort_unstable();
            products.dedup();
            if products.contains(&"lync2010") {
                problems.push("Lync Server 2010 is not supported with Teams".to_string());
            }
            if products.len() > 2 {
                problems.push(format!(
                    "{} server versions mixed (at most 2)",
                    products.len()
                ));
            } else if products.len() == 2 && products == ["lync2010", "sfb2019"] {
                problems.push("Lync 2010 with SfB 2019 is not an allowed pair".to_string());
            }
            if !unknown.is_empty() {
                problems.push(format!(
                    "unrecognised: {}",
                    unknown
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            t02 = if problems.is_empty() {
                b("T02").pass(&[("list", vs.join(", "))])
            } else {
                b("T02").fail(&[("list", problems.join("; "))], Vec::new(), 0)
            };
            let mut low = Vec::new();
            let mut no_build = Vec::new();
            for (raw, p) in &parsed {
                if let Some((name, _, build)) = p {
                    let min = PRODUCTS
                        .iter()
                        .find(|x| x.0 == *name)
                        .map(|x| x.2)
                        .unwrap_or_default();
                    match build {
                        Some(bld) if *bld < min => low.push(format!(
                            "{raw} (minimum {}.{}.{}.{})",
                            min[0], min[1], min[2], min[3]
                        )),
                        None if *name != "lync2010" => no_build.push(raw.clone()),
                        _ => {}
                    }
                }
            }
            t03 = if !low.is_empty() {
                b("T03").fail(&[("list", low.join(", "))], low.clone(), low.len() as u64)
            } else if !no_build.is_empty() {
                b("T03").missing(&format!("builds of {}", no_build.join(", ")))
            } else {
                b("T03").pass(&[])
            };
        }
    }
    let t04 = match (f.hybrid_voice, &f.federation_edge_version) {
        (Some(true), None) => {
            b("T04").missing("federation.federation_edge_version (hybrid voice is wanted)")
        }
        (Some(true), Some(v)) => match parse_version(v) {
            Some((_, rank, _)) if rank >= 2 => {
                b("T04").pass(&[("detail", format!("hybrid voice on {v}"))])
            }
            _ => b("T04").fail(&[("version", v.clone())], Vec::new(), 0),
        },
        _ => b("T04").pass(&[("detail", "hybrid voice is not planned".into())]),
    };
    let t05 = {
        let mut bad = Vec::new();
        let mut unknown = Vec::new();
        for (name, v) in [
            ("allow_federated_users", f.allow_federated_users),
            ("allow_outside_users", f.allow_outside_users),
            ("use_dns_srv_routing", f.use_dns_srv_routing),
        ] {
            match v {
                Some(false) => bad.push(format!("{name} is false")),
                None => unknown.push(format!("federation.{name}")),
                Some(true) => {}
            }
        }
        if !bad.is_empty() {
            b("T05").fail(&[("list", bad.join(", "))], Vec::new(), 0)
        } else if !unknown.is_empty() {
            b("T05").missing(&unknown.join(", "))
        } else {
            b("T05").pass(&[])
        }
    };
    let t06 = {
        let mut bad = Vec::new();
        let mut unknown = Vec::new();
        match &f.hosting_provider {
            None => unknown.push("federation.hosting_provider".to_string()),
            Some(h) if !h.trim().eq_ignore_ascii_case("sipfed.online.lync.com") => {
                bad.push(format!("ProxyFqdn is {h}, not sipfed.online.lync.com"))
            }
            _ => {}
        }
        for (name, v) in [
            ("shared_address_space", f.shared_address_space),
            ("hosting_provider_enabled", f.hosting_provider_enabled),
            ("hosts_ocs_users", f.hosts_ocs_users),
        ] {
            match v {
                Some(false) => bad.push(format!("{name} is false")),
                None => unknown.push(format!("federation.{name}")),
                Some(true) => {}
            }
        }
        if let Some(v) = &f.verification_level
            && !v.trim().eq_ignore_ascii_case("UseSourceVerification")
        {
            bad.push(format!(
                "VerificationLevel is {v}, not UseSourceVerification"
            ));
        }
        if !bad.is_empty() {
            b("T06").fail(&[("list", bad.join(", "))], Vec::new(), 0)
        } else if !unknown.is_empty() {
            b("T06").missing(&unknown.join(", "))
        } else {
            b("T06").pass(&[])
        }
    };
    let t07 = match s.tenant.shared_sip_address_space {
        None => b("T07").missing("tenant.shared_sip_address_space"),
        Some(true) => b("T07").pass(&[]),
        Some(false) => b("T07").fail(&[], Vec::new(), 0),
    };
    let t08 = {
        let t = &s.tenant;
        let mut bad = Vec::new();
        let mut unknown = Vec::new();
        if t.federation_enabled == Some(false) {
            bad.push("federation is disabled in the tenant".to_string());
        }
        match (f.enable_partner_discovery, t.open_federation) {
            (Some(d), Some(o)) if d != o => bad.push(format!(
                "on-premises partner discovery is {}, tenant federation is {}",
                if d { "on" } else { "off" },
                if o { "open" } else { "closed" }
            )),
            (None, _) => unknown.push("federation.enable_partner_discovery"),
            (_, None) => unknown.push("tenant.open_federation"),
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
        for (what, a, bb) in [
            (
                "allowed domains",
                norm(&f.allowed_domains),
                norm(&t.allowed_domains),
            ),
            (
                "blocked domains",
                norm(&f.blocked_domains),
                norm(&t.blocked_domains),
            ),
        ] {
            match (a, bb) {
                (Some(x), Some(y)) if x != y => bad.push(format!("{what} differ")),
                (None, _) | (_, None) => unknown.push(if what.starts_with("allowed") {
                    "allowed_domains on both sides"
                } else {
                    "blocked_domains on both sides"
                }),
                _ => {}
            }
        }
        if t.federation_enabled.is_none() {
            unknown.push("tenant.federation_enabled");
        }
        if !bad.is_empty() {
            b("T08").fail(&[("list", bad.join("; "))], Vec::new(), 0)
        } else if !unknown.is_empty() {
            b("T08").missing(&unknown.join(", "))
        } else {
            b("T08").pass(&[])
        }
    };
    let t09 = match f.federation_edge_pools {
        None => b("T09").missing("federation.federation_edge_pools"),
        Some(1) => b("T09").pass(&[]),
        Some(n) => b("T09").fail(&[("count", n.to_string())], Vec::new(), 0),
    };
    let t10 = {
        let sip_domains: Vec<String> = {
            let mut v: Vec<String> = e
                .prep
                .sfb
                .iter()
                .filter(|u| u.enabled)
                .filter_map(|u| u.sip_domain.clone())
                .collect();
            v.sort();
            v.dedup();
            v
        };
        match &s.dns.sip_federation_srv {
            None => b("T10").missing("dns.sip_federation_srv (SIP domains whose _sipfederationtls._tcp SRV points to the Access Edge)"),
            Some(ok) => {
                let mut bad: Vec<String> = sip_domains
                    .iter()
                    .filter(|d| !is_verified(ok, d))
                    .map(|d| format!("_sipfederationtls._tcp.{d} missing"))
                    .collect();
                if let Some(ext) = &s.dns.external_records_on_premises {
                    bad.extend(
                        sip_domains
                            .iter()
                            .filter(|d| !is_verified(ext, d))
                            .map(|d| format!("external records of {d} do not point on-premises")),
                    );
                }
                if bad.is_empty() {
                    b("T10").pass(&[])
                } else {
                    let n = bad.len() as u64;
                    b("T10").fail(&[("list", bad.join("; "))], bad, n)
                }
            }
        }
    };
    let t11 = {
        let mut bad = Vec::new();
        let mut unknown = Vec::new();
        match f.tls12 {
            Some(false) => bad.push("TLS 1.2 is not enabled: moves require it".to_string()),
            None => unknown.push("federation.tls12"),
            _ => {}
        }
        match f.oauth {
            Some(false) => bad.push("OAuth is not configured: moves require it".to_string()),
            None => unknown.push("federation.oauth"),
            _ => {}
        }
        match &f.teams_module_version {
            Some(v) => {
                let parts: Vec<u32> = v.split('.').filter_map(|p| p.trim().parse().ok()).collect();
                let ver = (
                    parts.first().copied().unwrap_or(0),
                    parts.get(1).copied().unwrap_or(0),
                    parts.get(2).copied().unwrap_or(0),
                );
                if ver < (6, 2, 1) {
                    bad.push(format!("Teams PowerShell module {v} is older than 6.2.1"));
                } else if ver > (7, 1, 0) {
                    bad.push(format!(
                        "Teams PowerShell module {v} is newer than 7.1, which has a move regression"
                    ));
                }
            }
            None => unknown.push("federation.teams_module_version"),
        }
        if !bad.is_empty() {
            b("T11").fail(&[("list", bad.join("; "))], Vec::new(), 0)
        } else if !unknown.is_empty() {
            b("T11").missing(&unknown.join(", "))
        } else {
            b("T11").pass(&[])
        }
    };
    let f01 = match f.hybrid_forests {
        None => b("F01").missing("federation.hybrid_forests"),
        Some(n) if n <= 1 => b("F01").pass(&[]),
        Some(n) => b("F01").fail(&[("count", n.to_string())], Vec::new(), 0),
    };
    vec![t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, f01]
}

fn blocker_counts(e: &Evaluated, users: impl Iterator<Item = ObjectId>) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for o in users {
        for bl in &e.blockers[o.index()] {
            let key = match bl {
                MoveBlocker::SipDomainUnverified(_) => "SIP domain not verified (D01)".to_string(),
                MoveBlocker::SipDomainDisabled(_) => "SIP domain disabled online (U07)".to_string(),
                other => other.describe(),
            };
            *m.entry(key).or_default() += 1;
        }
    }
    m
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
        b("PILOT").warn("none", &[], Vec::new(), 0)
    } else if blocked.is_empty() {
        b("PILOT").pass(&[("count", sfb_pilot.len().to_string())])
    } else {
        b("PILOT").fail(
            &[
                ("count", blocked.len().to_string()),
                ("total", sfb_pilot.len().to_string()),
                (
                    "reasons",
                    counted_list(&blocker_counts(e, blocked.iter().copied())),
                ),
            ],
            blocked.iter().take(LISTED).map(|&o| label(e, o)).collect(),
            blocked.len() as u64,
        )
    };
    let u06 = if e.pilot_not_movable_kind.is_empty() {
        b("U06").pass(&[])
    } else {
        let mut why: BTreeMap<String, u64> = BTreeMap::new();
        for (_, r) in &e.pilot_not_movable_kind {
            *why.entry(r.to_string()).or_default() += 1;
        }
        b("U06").fail(
            &[
                ("count", e.pilot_not_movable_kind.len().to_string()),
                ("reasons", counted_list(&why)),
            ],
            e.pilot_not_movable_kind
                .iter()
                .take(LISTED)
                .map(|(o, _)| dir.label(*o))
                .collect(),
            e.pilot_not_movable_kind.len() as u64,
        )
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
            b("U04").pass(&[("detail", "every user to move has licences".into())])
        } else {
            b("U04").fail(
                &[("count", none.len().to_string())],
                none.iter().take(LISTED).map(|&o| label(e, o)).collect(),
                none.len() as u64,
            )
        }
    } else {
        match s.licenses.teams_and_sfbo_assigned {
            Some(true) => b("U04").pass(&[("detail", "licences assigned (scenario)".into())]),
            Some(false) => b("U04").fail(
                &[("count", candidates.len().to_string())],
                Vec::new(),
                candidates.len() as u64,
            ),
            None => {
                b("U04").missing("licences: a Licenses column, or licenses.teams_and_sfbo_assigned")
            }
        }
    };
    let ev: Vec<ObjectId> = candidates
        .iter()
        .copied()
        .filter(|o| e.prep.sfb[o.index()].enterprise_voice)
        .collect();
    let u05 = if ev.is_empty() {
        b("U05").pass(&[("detail", "no Enterprise Voice user to move".into())])
    } else {
        match s.licenses.phone_system_assigned {
            Some(true) => b("U05").pass(&[(
                "detail",
                format!("{} Enterprise Voice user(s) hold Teams Phone", ev.len()),
            )]),
            Some(false) => b("U05").fail(
                &[("count", ev.len().to_string())],
                ev.iter().take(LISTED).map(|&o| label(e, o)).collect(),
                ev.len() as u64,
            ),
            None => b("U05").missing(&format!(
                "licenses.phone_system_assigned ({} Enterprise Voice user(s) to move)",
                ev.len()
            )),
        }
    };
    let p = e.pilot_breaks.counts;
    let p01 = if p.broken_pairs == 0 {
        b("P01").pass(&[])
    } else {
        b("P01").fail(
            &[
                ("pairs", p.broken_pairs.to_string()),
                ("unsynced", p.unsynced_users_breaking.to_string()),
                ("online", p.online_users_affected.to_string()),
            ],
            Vec::new(),
            p.broken_pairs,
        )
    };
    let u15 = if s.pilot.force == Some(true) {
        b("U15").warn("fail", &[], Vec::new(), 0)
    } else {
        b("U15").pass(&[])
    };
    let u14 = b("U14").pass(&[]);
    vec![pilot_check, u06, u04, u05, p01, u15, u14]
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
    let kept = e.kept.iter().filter(|k| **k).count();
    let waves = if stranded.is_empty() {
        b("WAVES").pass(&[
            ("count", in_waves.to_string()),
            ("waves", e.waves.len().to_string()),
            ("size", s.waves.size.to_string()),
            ("kept", kept.to_string()),
        ])
    } else {
        b("WAVES").warn(
            "fail",
            &[
                ("count", stranded.len().to_string()),
                (
                    "reasons",
                    counted_list(&blocker_counts(e, stranded.iter().copied())),
                ),
            ],
            stranded.iter().take(LISTED).map(|&o| label(e, o)).collect(),
            stranded.len() as u64,
        )
    };
    let end = e.end_breaks.counts;
    let breaks = if end.broken_pairs == 0 {
        b("BREAKS").pass(&[])
    } else {
        b("BREAKS").fail(
            &[
                ("pairs", end.broken_pairs.to_string()),
                ("unsynced", end.unsynced_users_breaking.to_string()),
                ("online", end.online_users_affected.to_string()),
            ],
            Vec::new(),
            end.broken_pairs,
        )
    };
    let p04 = if s.affinity.delegates.is_none() {
        b("P04").missing("affinity.delegates (a delegates file)")
    } else {
        let mut wave_of = vec![usize::MAX; dir.len()];
        for (i, w) in e.waves.iter().enumerate() {
            for o in w {
                wave_of[o.index()] = i;
            }
        }
        let split: Vec<(ObjectId, ObjectId)> = e
            .affinity
            .delegates
            .iter()
            .copied()
            .filter(|(a, bb)| {
                let (x, y) = (wave_of[a.index()], wave_of[bb.index()]);
                x != usize::MAX && y != usize::MAX && x != y
            })
            .collect();
        if split.is_empty() {
            b("P04").pass(&[])
        } else {
            b("P04").warn(
                "fail",
                &[("count", split.len().to_string())],
                split
                    .iter()
                    .take(LISTED)
                    .map(|(a, bb)| format!("{} ↔ {}", label(e, *a), label(e, *bb)))
                    .collect(),
                split.len() as u64,
            )
        }
    };
    let u02 = b("U02").missing("online users without an AD object cannot appear in AD exports: compare with a Get-CsOnlineUser export");
    let onprem_remaining = e
        .prep
        .sfb
        .iter()
        .enumerate()
        .any(|(i, u)| u.enabled && !u.online && !e.movable[i])
        || kept > 0;
    let mode = s.tenant.global_upgrade_policy.clone();
    let p03 = match mode.as_deref() {
        None => b("P03").missing("tenant.global_upgrade_policy"),
        Some(m) if m.eq_ignore_ascii_case("Islands") => {
            b("P03").warn("fail", &[("mode", m.to_string())], Vec::new(), 0)
        }
        Some(m) => b("P03").pass(&[("mode", m.to_string())]),
    };
    let u11 = match s.federation.ucs_enabled {
        None => b("U11").missing("federation.ucs_enabled"),
        Some(true) => b("U11").warn("fail", &[], Vec::new(), 0),
        Some(false) => b("U11").pass(&[]),
    };
    let u12 = {
        let mut problems = Vec::new();
        if mode.as_deref().is_some_and(|m| {
            m.eq_ignore_ascii_case("TeamsOnly") || m.eq_ignore_ascii_case("UpgradeToTeams")
        }) && onprem_remaining
        {
            problems
                .push("the tenant-wide mode is TeamsOnly while users stay on-premises".to_string());
        }
        let wrong: Vec<ObjectId> = dir
            .ids()
            .filter(|o| {
                let u = &e.prep.sfb[o.index()];
                u.enabled
                    && !u.online
                    && dir.value(*o, Attr::TeamsUpgradePolicy).is_some_and(|p| {
                        p.eq_ignore_ascii_case("UpgradeToTeams")
                            || p.eq_ignore_ascii_case("TeamsOnly")
                    })
            })
            .collect();
        if !wrong.is_empty() {
            problems.push(format!(
                "{} on-premises user(s) have the TeamsOnly mode",
                wrong.len()
            ));
        }
        if !problems.is_empty() {
            b("U12").fail(
                &[("list", problems.join("; "))],
                wrong.iter().take(LISTED).map(|&o| label(e, o)).collect(),
                wrong.len() as u64,
            )
        } else if mode.is_none() && !dir.is_known(Attr::TeamsUpgradePolicy) {
            b("U12").missing("tenant.global_upgrade_policy, or a TeamsUpgradePolicy column")
        } else {
            b("U12").pass(&[])
        }
    };
    let u13 = match s.tenant.target {
        Some(Target::SfbOnline) => {
            b("U13").missing("contact counts per user (SfB Online keeps at most 250 contacts)")
        }
        _ => b("U13").pass(&[(
            "detail",
            "moves go to Teams: the 250-contact limit of SfB Online does not apply".into(),
        )]),
    };
    let p02 = if dir.is_known(Attr::TeamsUpgradePolicy) {
        b("P02").pass(&[("detail", "per-user modes given".into())])
    } else {
        b("P02").missing("per-user coexistence modes (TeamsUpgradePolicy)")
    };
    let p05 = match s.federation.hybrid_forests {
        None => b("P05").missing("federation.hybrid_forests"),
        Some(n) if n <= 1 => b("P05").pass(&[]),
        Some(n) => b("P05").warn("fail", &[("count", n.to_string())], Vec::new(), 0),
    };
    vec![waves, breaks, p04, u02, p03, u11, u12, u13, p02, p05]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_has_a_step_and_templates() {
        for c in CHECKS {
            assert!(STEPS.contains(&c.step), "{}", c.id);
            assert!(
                TEMPLATES
                    .iter()
                    .any(|(k, _)| k.starts_with(&format!("{}.", c.id))),
                "{} has no template",
                c.id
            );
        }
        let mut ids: Vec<&str> = CHECKS.iter().map(|c| c.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), CHECKS.len());
    }

    #[test]
    fn versions_and_routability() {
        assert_eq!(parse_version("SfB2019 7.0.2046.385").map(|v| v.1), Some(3));
        assert_eq!(
            parse_version("Lync Server 2013 5.0.8308.1182").map(|v| v.0),
            Some("lync2013")
        );
        assert!(non_routable("corp.contoso.local"));
        assert!(non_routable("contoso"));
        assert!(!non_routable("contoso.com"));
    }
}
