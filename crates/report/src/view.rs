//! The report's content in one language: every sentence chosen, every figure formatted, every
//! list cut to its length. The PDF template and the HTML writer both lay out this one
//! [`View`], so the two documents always say the same thing.
//!
//! Owns: what the report says and in which order (which blockers matter most, which line sums a
//! step up). Must not touch: layout (`report.typ`, `html.rs`) or computation (the summary is
//! taken as given).

use super::charts::{self, Chart, user_label};
use super::i18n::{Catalog, Date, Lang, fill};
use super::model::{ReportInput, RuleDoc, VariantRow};
use hybridready_assessment::summary::{CheckResult, Status, StepSummary};
use serde::Serialize;
use std::collections::BTreeMap;

/// Objects listed under a check in the PDF; the rest is counted ("and 12 more").
pub const PDF_OBJECTS: usize = 8;
/// Rows of long tables in the PDF (the HTML shows every row the digest holds).
pub const PDF_ROWS: usize = 20;

#[derive(Clone, Debug, Serialize)]
pub struct View {
    pub lang: String,
    /// Every message of the language, for the template's fixed labels.
    pub t: BTreeMap<String, String>,
    pub date: String,
    pub date_iso: String,
    pub customer: String,
    /// Whether the customer was named (the running header shows it only then).
    pub customer_given: bool,
    pub scenario: String,
    pub tool: String,
    pub verdict: Verdict,
    pub score: Option<u32>,
    pub score_text: String,
    pub cover_inputs: Vec<CoverInput>,
    pub cover_inputs_more: Option<String>,
    pub assumptions: Vec<String>,
    pub figures: Vec<Figure>,
    pub steps: Vec<StepView>,
    pub top_blockers: Vec<BlockerView>,
    pub sync: Option<SyncView>,
    pub findings: FindingsView,
    pub breaks: Option<BreaksView>,
    pub unsynced: UnsyncedView,
    pub waves: Option<WavesView>,
    pub quality: QualityView,
    pub rules: Vec<RuleView>,
    pub method: Vec<Para>,
    /// Chart key → file under `charts/` and title.
    pub charts: BTreeMap<String, ChartRef>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ChartRef {
    pub file: String,
    pub title: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    /// `pass`, `warn`, `fail` or `none`.
    pub status: String,
    pub label: String,
    pub sentence: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CoverInput {
    pub name: String,
    pub detail: String,
    pub sha256: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    pub label: String,
    pub value: String,
    pub note: Option<String>,
    /// `good`, `warn`, `bad` or `neutral`: the colour of the figure.
    pub tone: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct StepView {
    pub n: usize,
    pub id: String,
    pub title: String,
    pub heading: String,
    pub status: String,
    pub status_label: String,
    pub what: String,
    /// The one line of the executive summary.
    pub line: String,
    pub blockers: Vec<String>,
    pub checks: Vec<CheckView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CheckView {
    pub id: String,
    pub title: String,
    pub status: String,
    pub status_label: String,
    pub message: String,
    pub count: String,
    pub object_count: u64,
    /// Every object label the summary holds (the HTML lists them all).
    pub objects: Vec<String>,
    pub objects_more: Option<String>,
    /// The first [`PDF_OBJECTS`], and the sentence counting the rest.
    pub objects_pdf: Vec<String>,
    pub objects_more_pdf: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BlockerView {
    pub status: String,
    pub status_label: String,
    pub step: String,
    pub check: String,
    pub message: String,
    pub count: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SyncView {
    pub sentence: String,
    pub in_scope: String,
    pub domains: Vec<CoverageView>,
    pub ous: Vec<CoverageView>,
    pub ous_title: String,
    pub reasons: Vec<(String, String)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CoverageView {
    pub name: String,
    pub sfb_users: String,
    pub synced: String,
    pub out_of_scope: String,
    pub blocked: String,
    pub coverage: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FindingsView {
    pub sentence: String,
    pub any: bool,
    pub rules: Vec<RuleRowView>,
    pub rules_more_pdf: Option<String>,
    pub sample: Vec<FindingView>,
    pub sample_caption: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RuleRowView {
    pub id: String,
    pub summary: String,
    pub severity: String,
    pub severity_label: String,
    pub effect_label: String,
    pub count: String,
    pub count_n: u64,
    pub examples: Vec<String>,
    pub more: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FindingView {
    pub rule: String,
    pub severity: String,
    pub severity_label: String,
    pub object: String,
    pub attribute: String,
    pub value: String,
    pub suggested: String,
    pub message: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct BreaksView {
    pub rows: Vec<BreakRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BreakRow {
    pub metric: String,
    pub pilot: String,
    pub end: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct UnsyncedView {
    pub rows: Vec<UnsyncedRow>,
    pub none: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct UnsyncedRow {
    pub label: String,
    pub upn: String,
    pub dn: String,
    pub reasons: String,
    pub pilot: String,
    pub end: String,
    pub end_n: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct WavesView {
    pub sentence: String,
    pub rows: Vec<(String, String)>,
    pub more_pdf: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct QualityView {
    pub inputs: Vec<InputRow>,
    pub missing: Vec<MissingRow>,
    pub directory: Vec<(String, String)>,
    pub cycles: Vec<String>,
    pub cycles_more: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct InputRow {
    pub name: String,
    pub status: String,
    pub status_label: String,
    pub format: String,
    pub encoding: String,
    pub delimiter: String,
    pub rows: String,
    pub accepted: String,
    pub merged: String,
    pub rejected: String,
    pub value_errors: String,
    pub sha256: String,
    pub refusal: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MissingRow {
    pub file: String,
    pub column: String,
    pub leaves_unchecked: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RuleView {
    pub id: String,
    pub severity_label: String,
    pub count: String,
    pub summary: String,
    pub explanation: String,
    pub fix: String,
    pub source: String,
    pub documented: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Para {
    pub title: String,
    pub text: String,
}

pub fn status_str(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Warn => "warn",
        Status::Fail => "fail",
    }
}

fn check_status_label(t: &Catalog, s: Status) -> String {
    t.get(&format!("check.status.{}", status_str(s)))
        .to_string()
}

/// "Step title" of a step id; the id itself when the catalogue does not know it.
pub fn step_title(t: &Catalog, id: &str) -> String {
    t.opt(&format!("step.{id}.title")).unwrap_or(id).to_string()
}

/// "Title" of a check id; empty when the catalogue does not know it.
pub fn check_title(t: &Catalog, id: &str) -> String {
    t.opt(&format!("check.{id}")).unwrap_or("").to_string()
}

/// What a check found, in the report's language: its template `msg.<key>` from the catalogue
/// filled with the check's arguments. The simulation's own English text is the fallback, for a
/// template a later version adds before the catalogue has it (and it is the English catalogue:
/// `msg.*` keys live only in the other languages).
pub fn check_message(t: &Catalog, c: &CheckResult) -> String {
    let Some(template) = t.opt(&format!("msg.{}", c.key)) else {
        return c.message.clone();
    };
    let worded: Vec<(&str, String)> = c
        .args
        .iter()
        .map(|(name, value)| {
            let value = match name.as_str() {
                "reasons" => counted_phrases(t, value),
                // One phrase, or a list of them joined with ", " by the simulation.
                "what" => match phrase(t, value) {
                    whole if whole != *value => whole,
                    _ => phrase_list(t, value, ", "),
                },
                "detail" => phrase(t, value),
                "list" => phrase_list(t, value, "; "),
                _ => value.clone(),
            };
            (name.as_str(), value)
        })
        .collect();
    fill(template, worded.iter().map(|(n, v)| (*n, v.as_str())))
}

/// A list of phrases joined with `sep`, each in the report's language.
fn phrase_list(t: &Catalog, list: &str, sep: &str) -> String {
    list.split(sep)
        .map(|w| phrase(t, w))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The simulation's reason phrases (why an object does not synchronise, why a user cannot
/// move), each with the catalogue key that words it in the other languages; `{x}` is the part
/// kept as is (a rule id, a domain, a check id). English shows the simulation's own words.
pub const PHRASES: &[(&str, &str)] = &[
    ("excluded by {x}", "phrase.excluded_by"),
    ("blocked by {x}", "phrase.blocked_by"),
    ("domain filter", "phrase.domain_filter"),
    (
        "OU filter (not in an included OU)",
        "phrase.ou_not_included",
    ),
    ("OU filter (excluded OU)", "phrase.ou_excluded"),
    ("group filter (not a direct member)", "phrase.group_filter"),
    ("attribute filter", "phrase.attribute_filter"),
    ("not synchronised (U01)", "phrase.not_synced"),
    ("no SIP address (U03)", "phrase.no_sip"),
    (
        "SIP domain {x} not verified in the tenant (D01)",
        "phrase.sip_domain_unverified",
    ),
    (
        "SIP domain {x} disabled online (U07)",
        "phrase.sip_domain_disabled",
    ),
    // The same two, counted over users of any domain.
    (
        "SIP domain not verified (D01)",
        "phrase.sip_domains_unverified",
    ),
    (
        "SIP domain disabled online (U07)",
        "phrase.sip_domains_disabled",
    ),
    // Items of a check's list (a missing DNS record).
    ("{x} missing", "phrase.missing"),
    (
        "no Teams / Skype for Business Online (Plan 2) licence (U04)",
        "phrase.no_licence",
    ),
    (
        "Enterprise Voice without a Teams Phone licence (U05)",
        "phrase.no_phone_licence",
    ),
    ("tenant-level blocker {x}", "phrase.tenant_blocker"),
    ("not a Skype for Business user", "phrase.not_sfb"),
    ("already online", "phrase.already_online"),
    // What a "not provided" check needed, and the detail of a passed one.
    (
        "tenant.tenants (how many tenants are paired)",
        "phrase.need_tenants",
    ),
    (
        "SIP addresses (msRTCSIP-PrimaryUserAddress or a Get-CsUser export)",
        "phrase.need_sip",
    ),
    ("mail or proxyAddresses", "phrase.need_mail"),
    (
        "federation.hybrid_forests (how many SfB forests sync to the tenant)",
        "phrase.need_forests",
    ),
    (
        "sync.resource_forest, or msRTCSIP-OriginatorSID in the exports",
        "phrase.need_resource_forest",
    ),
    (
        "sync.database (localdb or sql) for more than 100,000 objects",
        "phrase.need_database",
    ),
    (
        "federation.server_versions with builds",
        "phrase.need_builds",
    ),
    ("builds of {x}", "phrase.need_builds_of"),
    (
        "federation.federation_edge_version (hybrid voice is wanted)",
        "phrase.need_edge_version",
    ),
    (
        "dns.sip_federation_srv (SIP domains whose _sipfederationtls._tcp SRV points to the Access Edge)",
        "phrase.need_srv",
    ),
    (
        "licences: a Licenses column, or licenses.teams_and_sfbo_assigned",
        "phrase.need_licences",
    ),
    (
        "licenses.phone_system_assigned ({x} Enterprise Voice user(s) to move)",
        "phrase.need_phone",
    ),
    (
        "affinity.delegates (a delegates file)",
        "phrase.need_delegates",
    ),
    (
        "online users without an AD object cannot appear in AD exports: compare with a Get-CsOnlineUser export",
        "phrase.need_online_users",
    ),
    (
        "tenant.global_upgrade_policy, or a TeamsUpgradePolicy column",
        "phrase.need_upgrade_policy",
    ),
    (
        "contact counts per user (SfB Online keeps at most 250 contacts)",
        "phrase.need_contact_counts",
    ),
    (
        "per-user coexistence modes (TeamsUpgradePolicy)",
        "phrase.need_user_modes",
    ),
    (
        "tenant.name or tenant.initial_domain",
        "phrase.need_tenant_name",
    ),
    ("allowed_domains on both sides", "phrase.need_allowed"),
    ("blocked_domains on both sides", "phrase.need_blocked"),
    (
        "single forest: no resource-forest model",
        "phrase.single_forest",
    ),
    (
        "no resource-forest user (msRTCSIP-OriginatorSID is empty)",
        "phrase.no_resource_forest_user",
    ),
    (
        "{x} resource-forest user(s) match their account SIDs",
        "phrase.resource_forest_ok",
    ),
    ("hybrid voice on {x}", "phrase.hybrid_voice_on"),
    ("hybrid voice is not planned", "phrase.no_hybrid_voice"),
    ("every user to move has licences", "phrase.licences_ok"),
    ("licences assigned (scenario)", "phrase.licences_scenario"),
    ("no Enterprise Voice user to move", "phrase.no_ev"),
    (
        "{x} Enterprise Voice user(s) hold Teams Phone",
        "phrase.ev_ok",
    ),
    (
        "moves go to Teams: the 250-contact limit of SfB Online does not apply",
        "phrase.contacts_teams",
    ),
    ("per-user modes given", "phrase.user_modes_given"),
    // The assumptions made where the scenario is silent.
    ("sync: every domain is synced", "phrase.default_domains"),
    ("sync: whole domains (no OU filter)", "phrase.default_ous"),
    (
        "tenant: no verified domain given, so nothing is verified yet",
        "phrase.default_verified",
    ),
    ("pilot: none", "phrase.default_pilot"),
];

/// One reason phrase in the report's language (unchanged when it is no known phrase).
pub fn phrase(t: &Catalog, s: &str) -> String {
    if t.lang == Lang::En {
        return s.to_string();
    }
    for (pattern, key) in PHRASES {
        let x = match pattern.split_once("{x}") {
            Some((pre, post)) => s
                .strip_prefix(pre)
                .and_then(|r| r.strip_suffix(post))
                .filter(|x| !x.is_empty()),
            None => (s == *pattern).then_some(""),
        };
        if let (Some(x), Some(text)) = (x, t.opt(key)) {
            return fill(text, [("x", x)]);
        }
    }
    s.to_string()
}

/// A counted list of reason phrases (`phrase (n), phrase (n), …`) in the report's language.
fn counted_phrases(t: &Catalog, list: &str) -> String {
    list.split(", ")
        .map(|item| match item.rsplit_once(" (") {
            Some((p, n))
                if n.strip_suffix(')')
                    .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit())) =>
            {
                format!("{} ({n}", phrase(t, p))
            }
            _ => phrase(t, item),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A step's blockers in the report's language: one line per failing check, as the simulation
/// words them (`ID: message`), plus any blocker with no check behind it.
fn step_blockers(t: &Catalog, st: &StepSummary) -> Vec<String> {
    let from_checks = st
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| (format!("{}: ", c.id), c));
    let mut out: Vec<String> = Vec::new();
    let mut covered: Vec<&str> = Vec::new();
    for (prefix, c) in from_checks {
        out.push(format!("{prefix}{}", check_message(t, c)));
        covered.push(&c.id);
    }
    for b in &st.blockers {
        let id = b.split(':').next().unwrap_or_default();
        if !covered.contains(&id) {
            out.push(b.clone());
        }
    }
    out
}

fn objects_text(t: &Catalog, n: u64) -> String {
    if n == 1 {
        t.get("exec.object").to_string()
    } else {
        t.fmt("exec.objects", &[("count", &t.int(n))])
    }
}

/// How the report names each input: its path below the folder all inputs share (so the same
/// file name exported three ways stays three distinct names: `ps51/users.csv`,
/// `excel-fr/users.csv`), with the sheet of a workbook in brackets. The consultant's own folder
/// layout above that means nothing to the customer.
fn input_names(inputs: &[hybridready_assessment::summary::InputSummary]) -> Vec<String> {
    let split = |p: &str| -> Vec<String> { p.split(['/', '\\']).map(str::to_string).collect() };
    let dirs: Vec<Vec<String>> = inputs
        .iter()
        .map(|i| {
            let mut parts = split(&i.path);
            parts.pop();
            parts
        })
        .collect();
    let common = dirs
        .iter()
        .skip(1)
        .fold(dirs.first().map_or(0, Vec::len), |n, d| {
            n.min(dirs[0].iter().zip(d).take_while(|(a, b)| a == b).count())
        });
    inputs
        .iter()
        .map(|i| {
            let rel = split(&i.path)[common..].join("/");
            match &i.sheet {
                Some(sh) => format!("{rel} [{sh}]"),
                None => rel,
            }
        })
        .collect()
}

/// A rule's summary, explanation or fix in the report's language: the catalogue's
/// `rule.<ID>.<field>` (other languages; `lang/rules.fr.txt`), else the registry's English.
fn rule_text(t: &Catalog, id: &str, field: &str, english: &str) -> String {
    plain(t.opt(&format!("rule.{id}.{field}")).unwrap_or(english))
}

/// Rule documentation is written for the terminal and markdown (`hybridready explain`, `rules
/// --format markdown`): its code spans lose their backticks here, keeping what they quote
/// (a span opened by two backticks may quote a backtick itself).
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let run = rest[start..].bytes().take_while(|&b| b == b'`').count();
        let fence = &rest[start..start + run];
        let after = &rest[start + run..];
        // The closing run has exactly the opening's length.
        let close = after.match_indices(fence).find(|&(i, _)| {
            !after[i + run..].starts_with('`') && (i == 0 || !after[..i].ends_with('`'))
        });
        match close {
            Some((i, _)) => {
                let inner = &after[..i];
                let inner = if inner.len() > 2 && inner.starts_with(' ') && inner.ends_with(' ') {
                    &inner[1..inner.len() - 1]
                } else {
                    inner
                };
                out.push_str(inner);
                rest = &after[i + run..];
            }
            None => {
                out.push_str(fence);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn file_name(path: &str) -> String {
    // Inputs are shown by file name: the consultant's folder layout means nothing to the customer.
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

fn severity_label(t: &Catalog, s: &str) -> String {
    t.opt(&format!("severity.{}", s.to_ascii_lowercase()))
        .unwrap_or(s)
        .to_string()
}

/// Builds the view and the charts it embeds.
pub fn build(input: &ReportInput, lang: Lang) -> Result<(View, Vec<Chart>), String> {
    let t = lang.catalog();
    let s = &input.summary;
    let date = Date::from_unix(input.generated_at);
    let steps_src: &[StepSummary] = s.steps.as_deref().unwrap_or(&[]);

    // Charts first: the view refers to them by key.
    let mut charts: Vec<(&str, Chart)> = Vec::new();
    if !steps_src.is_empty() {
        charts.push(("readiness", charts::readiness(t, steps_src)?));
    }
    if let Some(sync) = &s.sync {
        if !sync.by_domain.is_empty() {
            charts.push((
                "coverage_domain",
                charts::coverage_by_domain(t, &sync.by_domain)?,
            ));
        }
        if !sync.by_ou.is_empty() {
            charts.push(("coverage_ou", charts::coverage_by_ou(t, &sync.by_ou)?));
        }
    }
    if input.findings.total > 0 {
        let bars: Vec<charts::RuleBar> = input
            .findings
            .by_rule
            .iter()
            .map(|r| charts::RuleBar {
                rule: r.rule.clone(),
                error: r.error,
                warning: r.warning,
                info: r.info,
            })
            .collect();
        charts.push(("findings", charts::findings_by_rule(t, &bars)?));
    }
    if !input.unsynced.is_empty() {
        charts.push(("unsynced", charts::top_unsynced(t, &input.unsynced)?));
    }
    if let Some(b) = &s.breaks {
        charts.push(("breaks", charts::breaks(t, b)?));
    }
    let chart_refs = charts
        .iter()
        .map(|(k, c)| {
            (
                k.to_string(),
                ChartRef {
                    file: format!("charts/{}", c.file),
                    title: c.title.clone(),
                },
            )
        })
        .collect();

    // Verdict: the worst step status.
    let worst = steps_src.iter().map(|x| x.status).max();
    let fails = steps_src
        .iter()
        .filter(|x| x.status == Status::Fail)
        .count() as u64;
    let warns = steps_src
        .iter()
        .filter(|x| x.status == Status::Warn)
        .count() as u64;
    let total = t.int(steps_src.len() as u64);
    let verdict = match worst {
        None => Verdict {
            status: "none".into(),
            label: t.get("status.none").into(),
            sentence: t.get("verdict.none").into(),
        },
        Some(w) => Verdict {
            status: status_str(w).into(),
            label: t.get(charts::status_key(w)).into(),
            sentence: match w {
                Status::Pass => t.get("verdict.pass").into(),
                Status::Warn => t.fmt(
                    "verdict.warn",
                    &[("warn", &t.int(warns)), ("total", &total)],
                ),
                Status::Fail => t.fmt(
                    "verdict.fail",
                    &[("fail", &t.int(fails)), ("total", &total)],
                ),
            },
        },
    };

    let named = input.customer.clone().filter(|c| !c.trim().is_empty());
    let customer_given = named.is_some();
    let customer = named.unwrap_or_else(|| t.get("cover.customer_unknown").to_string());
    let scenario = match &s.scenario.file {
        Some(f) => format!("{} ({})", s.scenario.name, file_name(f)),
        None => format!("{} ({})", s.scenario.name, t.get("cover.scenario_default")),
    };

    const COVER_INPUTS: usize = 8;
    let names = input_names(&s.inputs);
    let cover_inputs = s
        .inputs
        .iter()
        .zip(&names)
        .take(COVER_INPUTS)
        .map(|(i, name)| CoverInput {
            name: name.clone(),
            detail: format!(
                "{} · {} {}",
                i.format,
                t.int(i.rows),
                t.get("col.rows").to_lowercase()
            ),
            sha256: i.sha256.clone().unwrap_or_default(),
        })
        .collect();
    let cover_inputs_more = (s.inputs.len() > COVER_INPUTS).then(|| {
        t.fmt(
            "cover.inputs_more",
            &[("count", &t.int((s.inputs.len() - COVER_INPUTS) as u64))],
        )
    });

    let figures = key_figures(t, input);
    let steps: Vec<StepView> = steps_src
        .iter()
        .enumerate()
        .map(|(i, st)| step_view(t, i + 1, st))
        .collect();
    let top_blockers = top_blockers(t, steps_src);

    let sync = s.sync.as_ref().map(|y| {
        let cov = |r: &hybridready_assessment::summary::CoverageRow| CoverageView {
            name: r.name.clone(),
            sfb_users: t.int(r.sfb_users),
            synced: t.int(r.synced),
            out_of_scope: t.int(r.out_of_scope),
            blocked: t.int(r.blocked),
            coverage: if r.sfb_users == 0 {
                t.get("kf.na").to_string()
            } else {
                t.pct(r.synced as f64 / r.sfb_users as f64)
            },
        };
        let mut domains: Vec<_> = y.by_domain.iter().collect();
        domains.sort_by(|a, b| b.sfb_users.cmp(&a.sfb_users).then(a.name.cmp(&b.name)));
        let mut ous: Vec<_> = y.by_ou.iter().collect();
        ous.sort_by(|a, b| b.sfb_users.cmp(&a.sfb_users).then(a.name.cmp(&b.name)));
        let mut reasons: Vec<(&String, &u64)> = y.not_synced_by_reason.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        SyncView {
            sentence: t.fmt(
                "sync.sentence",
                &[
                    ("synced", &t.int(y.sfb_synced)),
                    ("total", &t.int(y.sfb_users)),
                    ("coverage", &t.pct(y.coverage)),
                    ("unsynced", &t.int(y.sfb_unsynced)),
                ],
            ),
            in_scope: t.fmt(
                "sync.in_scope",
                &[
                    ("in_scope", &t.int(y.in_scope)),
                    ("synced", &t.int(y.synced)),
                ],
            ),
            domains: domains.into_iter().take(200).map(cov).collect(),
            ous_title: t.fmt(
                "sync.by_ou",
                &[("count", &t.int(ous.len().min(charts::TOP_OUS) as u64))],
            ),
            ous: ous.into_iter().take(charts::TOP_OUS).map(cov).collect(),
            reasons: reasons
                .into_iter()
                .take(50)
                .map(|(r, n)| (phrase(t, r), t.int(*n)))
                .collect(),
        }
    });

    let findings = findings_view(t, input);

    let breaks = s.breaks.as_ref().map(|b| {
        let row = |key: &str, p: u64, e: u64| BreakRow {
            metric: t.get(key).to_string(),
            pilot: t.int(p),
            end: t.int(e),
        };
        BreaksView {
            rows: vec![
                row(
                    "breaks.online_users",
                    b.pilot.online_users,
                    b.end.online_users,
                ),
                row(
                    "breaks.broken_pairs",
                    b.pilot.broken_pairs,
                    b.end.broken_pairs,
                ),
                row(
                    "breaks.unsynced_users_breaking",
                    b.pilot.unsynced_users_breaking,
                    b.end.unsynced_users_breaking,
                ),
                row(
                    "breaks.online_users_affected",
                    b.pilot.online_users_affected,
                    b.end.online_users_affected,
                ),
            ],
        }
    });

    let unsynced = UnsyncedView {
        rows: input
            .unsynced
            .iter()
            .map(|u| UnsyncedRow {
                label: user_label(u),
                upn: u.user_principal_name.clone(),
                dn: u.distinguished_name.clone(),
                reasons: if u.reasons.is_empty() {
                    t.get("breaks.reasons_none").to_string()
                } else {
                    u.reasons
                        .iter()
                        .map(|r| phrase(t, r))
                        .collect::<Vec<_>>()
                        .join("; ")
                },
                pilot: t.int(u.impact_after_pilot),
                end: t.int(u.impact),
                end_n: u.impact,
            })
            .collect(),
        // Empty list: say why (no unsynced user, the simulation did not run, or the list is missing).
        none: input.unsynced.is_empty().then(|| {
            match &s.sync {
                None => t.get("sync.none"),
                Some(y) if y.sfb_unsynced == 0 => t.get("breaks.top_none"),
                Some(_) => t.get("breaks.top_missing"),
            }
            .to_string()
        }),
    };

    let waves = (input.waves.users > 0).then(|| {
        const PDF_WAVES: usize = 12;
        let w = &input.waves;
        WavesView {
            sentence: t.fmt(
                "waves.sentence",
                &[
                    ("users", &t.int(w.users)),
                    ("waves", &t.int(w.waves.len() as u64)),
                ],
            ),
            rows: w
                .waves
                .iter()
                .take(1000)
                .map(|(k, n)| (k.clone(), t.int(*n)))
                .collect(),
            more_pdf: (w.waves.len() > PDF_WAVES).then(|| {
                t.fmt(
                    "waves.more",
                    &[("count", &t.int((w.waves.len() - PDF_WAVES) as u64))],
                )
            }),
        }
    });

    let quality = quality_view(t, input);
    let rules = rules_view(t, input);
    let method = [
        "method.scope",
        "method.coverage",
        "method.breaks",
        "method.steps",
        "method.score",
        "method.repro",
    ]
    .iter()
    .map(|k| Para {
        title: t.get(&format!("{k}.title")).to_string(),
        text: t.get(&format!("{k}.text")).to_string(),
    })
    .collect();

    let view = View {
        lang: lang.code().into(),
        t: t.all().clone(),
        date: t.date(date),
        date_iso: date.iso(),
        customer,
        customer_given,
        scenario,
        tool: format!("{} {}", s.tool.name, s.tool.version),
        verdict,
        score: s.score,
        score_text: match s.score {
            Some(x) => t.fmt("score.value", &[("score", &x.to_string())]),
            None => t.get("score.none").to_string(),
        },
        cover_inputs,
        cover_inputs_more,
        assumptions: s
            .scenario
            .defaults_used
            .iter()
            .map(|a| phrase(t, a))
            .collect(),
        figures,
        steps,
        top_blockers,
        sync,
        findings,
        breaks,
        unsynced,
        waves,
        quality,
        rules,
        method,
        charts: chart_refs,
    };
    Ok((view, charts.into_iter().map(|(_, c)| c).collect()))
}

fn key_figures(t: &Catalog, input: &ReportInput) -> Vec<Figure> {
    let s = &input.summary;
    let na = || t.get("kf.na").to_string();
    let fig = |label: &str, value: String, tone: &str| Figure {
        label: t.get(label).to_string(),
        value,
        note: None,
        tone: tone.into(),
    };
    let sfb_users = s
        .sync
        .as_ref()
        .map(|y| y.sfb_users)
        .unwrap_or(s.directory.counts.sfb_users);
    let mut v = vec![
        fig("kf.users", t.int(s.directory.counts.users), "neutral"),
        fig("kf.sfb_users", t.int(sfb_users), "neutral"),
    ];
    match &s.sync {
        Some(y) => {
            let tone = if y.sfb_unsynced == 0 { "good" } else { "bad" };
            v.push(fig("kf.coverage", t.pct(y.coverage), tone));
            v.push(fig("kf.sfb_unsynced", t.int(y.sfb_unsynced), tone));
        }
        None => {
            v.push(fig("kf.coverage", na(), "neutral"));
            v.push(fig("kf.sfb_unsynced", na(), "neutral"));
        }
    }
    match &s.breaks {
        Some(b) => {
            let tone = |n: u64| if n == 0 { "good" } else { "bad" };
            v.push(fig(
                "kf.broken_pilot",
                t.int(b.pilot.broken_pairs),
                tone(b.pilot.broken_pairs),
            ));
            v.push(fig(
                "kf.broken_end",
                t.int(b.end.broken_pairs),
                tone(b.end.broken_pairs),
            ));
        }
        None => {
            v.push(fig("kf.broken_pilot", na(), "neutral"));
            v.push(fig("kf.broken_end", na(), "neutral"));
        }
    }
    let f = &input.findings;
    if f.available {
        let mut fg = fig(
            "kf.findings",
            t.int(f.total),
            if f.errors > 0 { "warn" } else { "neutral" },
        );
        fg.note = Some(format!(
            "{} {}",
            t.get("kf.findings_errors"),
            t.int(f.errors)
        ));
        v.push(fg);
    } else {
        // The rules did not run: unknown, not zero.
        v.push(fig("kf.findings", na(), "neutral"));
    }
    v
}

fn check_view(t: &Catalog, c: &CheckResult) -> CheckView {
    let shown = c.objects.len() as u64;
    let more = |shown: u64| {
        (c.object_count > shown).then(|| {
            t.fmt(
                "step.objects_more",
                &[("count", &t.int(c.object_count - shown))],
            )
        })
    };
    let pdf: Vec<String> = c.objects.iter().take(PDF_OBJECTS).cloned().collect();
    let pdf_n = pdf.len() as u64;
    CheckView {
        id: c.id.clone(),
        title: check_title(t, &c.id),
        status: status_str(c.status).into(),
        status_label: check_status_label(t, c.status),
        message: check_message(t, c),
        count: if c.object_count == 0 {
            String::new()
        } else {
            t.int(c.object_count)
        },
        object_count: c.object_count,
        objects: c.objects.clone(),
        objects_more: more(shown),
        objects_pdf: pdf,
        objects_more_pdf: more(pdf_n),
    }
}

fn step_view(t: &Catalog, n: usize, st: &StepSummary) -> StepView {
    let title = step_title(t, &st.id);
    // The one line: the worst check, by title (translated), with its object count.
    let worst = worst_checks(st).into_iter().next();
    let line = match (st.status, worst) {
        (Status::Pass, _) => t
            .opt(&format!("step.{}.ok", st.id))
            .unwrap_or("")
            .to_string(),
        (_, Some(c)) => {
            let title = check_title(t, &c.id);
            let name = if title.is_empty() {
                check_message(t, c)
            } else {
                // Check titles state the requirement; the prefix says it is not met.
                let key = if c.status == Status::Fail {
                    "exec.line.fail"
                } else {
                    "exec.line.warn"
                };
                t.fmt(key, &[("check", &format!("{} {}", c.id, title))])
            };
            if c.object_count > 0 {
                format!("{name} ({})", objects_text(t, c.object_count))
            } else {
                name
            }
        }
        (_, None) => step_blockers(t, st).into_iter().next().unwrap_or_default(),
    };
    StepView {
        n,
        id: st.id.clone(),
        heading: t.fmt("step.heading", &[("n", &n.to_string()), ("title", &title)]),
        title,
        status: status_str(st.status).into(),
        status_label: t.get(charts::status_key(st.status)).into(),
        what: t
            .opt(&format!("step.{}.what", st.id))
            .unwrap_or("")
            .to_string(),
        line,
        blockers: step_blockers(t, st),
        checks: st.checks.iter().map(|c| check_view(t, c)).collect(),
    }
}

/// The step's checks that did not pass, failures first, then by object count.
fn worst_checks(st: &StepSummary) -> Vec<&CheckResult> {
    let mut v: Vec<&CheckResult> = st
        .checks
        .iter()
        .filter(|c| c.status != Status::Pass)
        .collect();
    v.sort_by(|a, b| {
        b.status
            .cmp(&a.status)
            .then(b.object_count.cmp(&a.object_count))
            .then(a.id.cmp(&b.id))
    });
    v
}

/// The five blockers that matter most: failures before warnings, then the earlier step (a
/// tenant that is not ready stops everything after it), then the larger number of objects.
fn top_blockers(t: &Catalog, steps: &[StepSummary]) -> Vec<BlockerView> {
    struct Cand<'a> {
        status: Status,
        step: usize,
        count: u64,
        st: &'a StepSummary,
        check: Option<&'a CheckResult>,
        text: &'a str,
    }
    let mut cands: Vec<Cand> = Vec::new();
    for (i, st) in steps.iter().enumerate() {
        let bad: Vec<&CheckResult> = worst_checks(st);
        if bad.is_empty() {
            // A step may fail on blockers with no check attached.
            for b in &st.blockers {
                cands.push(Cand {
                    status: st.status,
                    step: i,
                    count: 0,
                    st,
                    check: None,
                    text: b,
                });
            }
        }
        for c in bad {
            cands.push(Cand {
                status: c.status,
                step: i,
                count: c.object_count,
                st,
                check: Some(c),
                text: &c.message,
            });
        }
    }
    cands.sort_by(|a, b| {
        b.status
            .cmp(&a.status)
            .then(a.step.cmp(&b.step))
            .then(b.count.cmp(&a.count))
    });
    cands
        .into_iter()
        .filter(|c| c.status != Status::Pass)
        .take(5)
        .map(|c| BlockerView {
            status: status_str(c.status).into(),
            status_label: check_status_label(t, c.status),
            step: format!("{}. {}", c.step + 1, step_title(t, &c.st.id)),
            check: c
                .check
                .map(|k| {
                    let title = check_title(t, &k.id);
                    if title.is_empty() {
                        k.id.clone()
                    } else {
                        format!("{} {}", k.id, title)
                    }
                })
                .unwrap_or_default(),
            message: c
                .check
                .map_or_else(|| c.text.to_string(), |k| check_message(t, k)),
            count: if c.count > 0 {
                objects_text(t, c.count)
            } else {
                String::new()
            },
        })
        .collect()
}

fn findings_view(t: &Catalog, input: &ReportInput) -> FindingsView {
    let f = &input.findings;
    let docs: BTreeMap<&str, &RuleDoc> = input.rules.iter().map(|r| (r.id.as_str(), r)).collect();
    const PDF_RULES: usize = 25;
    let rules: Vec<RuleRowView> = f
        .by_rule
        .iter()
        .map(|r| RuleRowView {
            id: r.rule.clone(),
            summary: docs
                .get(r.rule.as_str())
                .map(|d| rule_text(t, &d.id, "summary", &d.summary))
                .unwrap_or_default(),
            severity: r.severity.clone(),
            severity_label: severity_label(t, &r.severity),
            effect_label: t
                .opt(&format!("effect.{}", r.effect))
                .unwrap_or(&r.effect)
                .to_string(),
            count: t.int(r.count),
            count_n: r.count,
            examples: r.samples.iter().map(|x| x.object().to_string()).collect(),
            more: (r.count > r.samples.len() as u64).then(|| {
                t.fmt(
                    "step.objects_more",
                    &[("count", &t.int(r.count - r.samples.len() as u64))],
                )
            }),
        })
        .collect();
    FindingsView {
        sentence: if !f.available {
            t.get("findings.unavailable").to_string()
        } else if f.total == 0 {
            t.get("findings.none").to_string()
        } else {
            t.fmt(
                "findings.sentence",
                &[
                    ("total", &t.int(f.total)),
                    ("objects", &t.int(f.objects)),
                    ("errors", &t.int(f.errors)),
                ],
            )
        },
        any: f.total > 0,
        rules_more_pdf: (rules.len() > PDF_RULES).then(|| {
            t.fmt(
                "findings.more_rules",
                &[("count", &t.int((rules.len() - PDF_RULES) as u64))],
            )
        }),
        rules,
        sample: f
            .sample
            .iter()
            .map(|x| FindingView {
                rule: x.rule.clone(),
                severity: x.severity.to_ascii_lowercase(),
                severity_label: severity_label(t, &x.severity),
                object: x.object().to_string(),
                attribute: x.attribute.clone(),
                value: x.value.clone(),
                suggested: x.suggested_value.clone(),
                message: x.message.clone(),
            })
            .collect(),
        sample_caption: t.fmt(
            "findings.sample",
            &[
                ("count", &t.int(f.sample.len() as u64)),
                ("total", &t.int(f.total)),
            ],
        ),
    }
}

fn quality_view(t: &Catalog, input: &ReportInput) -> QualityView {
    let s = &input.summary;
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "–".into());
    let names = input_names(&s.inputs);
    let inputs = s
        .inputs
        .iter()
        .zip(&names)
        .map(|(i, name)| {
            let status = serde_json::to_value(i.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            InputRow {
                name: name.clone(),
                status_label: t
                    .opt(&format!("input.status.{status}"))
                    .unwrap_or(&status)
                    .to_string(),
                status,
                format: i.format.clone(),
                encoding: opt(&i.encoding),
                delimiter: match i.delimiter.as_deref() {
                    Some(",") => t.get("delim.comma").into(),
                    Some(";") => t.get("delim.semicolon").into(),
                    Some("\t") => t.get("delim.tab").into(),
                    Some("|") => t.get("delim.pipe").into(),
                    Some(d) => format!("“{d}”"),
                    None => "–".into(),
                },
                rows: t.int(i.rows),
                accepted: t.int(i.accepted),
                merged: t.int(i.merged),
                rejected: t.int(i.rejected),
                value_errors: t.int(i.value_errors),
                sha256: i.sha256.clone().unwrap_or_default(),
                refusal: i
                    .refusal
                    .as_ref()
                    .map(|r| t.fmt("quality.refusal", &[("reason", r)])),
            }
        })
        .collect();
    let missing = s
        .inputs
        .iter()
        .zip(&names)
        .flat_map(|(i, name)| {
            i.columns_missing.iter().map(move |m| MissingRow {
                file: name.clone(),
                column: m.column.clone(),
                leaves_unchecked: m.leaves_unchecked.clone(),
            })
        })
        .take(300)
        .collect();
    let d = &s.directory;
    let c = &d.counts;
    let directory = vec![
        (t.get("dir.users").to_string(), t.int(c.users)),
        (t.get("dir.groups").to_string(), t.int(c.groups)),
        (t.get("dir.contacts").to_string(), t.int(c.contacts)),
        (t.get("dir.domains").to_string(), t.int(c.domains)),
        (t.get("dir.ous").to_string(), t.int(c.ous)),
        (t.get("dir.memberships").to_string(), t.int(c.memberships)),
        (t.get("dir.sfb_users").to_string(), t.int(c.sfb_users)),
        (t.get("dir.trusts").to_string(), t.int(d.trusts)),
        (
            t.get("quality.unresolved").to_string(),
            t.int(d.unresolved_references),
        ),
        (t.get("quality.conflicts").to_string(), t.int(d.conflicts)),
    ];
    const CYCLES: usize = 10;
    QualityView {
        inputs,
        missing,
        directory,
        cycles: d
            .nesting_cycles
            .iter()
            .take(CYCLES)
            .map(|c| {
                let mut s = c.iter().take(6).cloned().collect::<Vec<_>>().join(" → ");
                if c.len() > 6 {
                    s.push_str(" → …");
                }
                s
            })
            .collect(),
        cycles_more: (d.nesting_cycles.len() > CYCLES).then(|| {
            t.fmt(
                "quality.cycles_more",
                &[("count", &t.int((d.nesting_cycles.len() - CYCLES) as u64))],
            )
        }),
    }
}

fn rules_view(t: &Catalog, input: &ReportInput) -> Vec<RuleView> {
    let docs: BTreeMap<&str, &RuleDoc> = input.rules.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut fired: Vec<_> = input.findings.by_rule.iter().collect();
    // Appendix order: by rule id, the way a reader looks a rule up.
    fired.sort_by(|a, b| a.rule.cmp(&b.rule));
    fired
        .into_iter()
        .map(|r| {
            let d = docs.get(r.rule.as_str());
            RuleView {
                id: r.rule.clone(),
                severity_label: severity_label(
                    t,
                    d.map(|d| d.severity.as_str()).unwrap_or(&r.severity),
                ),
                count: if r.count == 1 {
                    t.get("rules.count_one").to_string()
                } else {
                    t.fmt("rules.count", &[("count", &t.int(r.count))])
                },
                summary: d
                    .map(|d| rule_text(t, &d.id, "summary", &d.summary))
                    .unwrap_or_default(),
                explanation: d
                    .map(|d| rule_text(t, &d.id, "explanation", &d.explanation))
                    .unwrap_or_default(),
                fix: d
                    .map(|d| rule_text(t, &d.id, "fix", &d.fix))
                    .unwrap_or_default(),
                source: d.map(|d| d.source.clone()).unwrap_or_default(),
                documented: d.is_some(),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The comparison report of a batch

#[derive(Clone, Debug, Serialize)]
pub struct ComparisonView {
    pub lang: String,
    pub t: BTreeMap<String, String>,
    pub date: String,
    pub tool: String,
    pub rows: Vec<VariantView>,
    /// Step titles, in the order of each row's `steps`.
    pub step_titles: Vec<String>,
    pub chart: Option<ChartRef>,
}

#[derive(Clone, Debug, Serialize)]
pub struct VariantView {
    pub name: String,
    pub coverage: String,
    pub sfb_unsynced: String,
    pub broken_pilot: String,
    pub broken_end: String,
    pub blockers: String,
    pub score: String,
    /// Per step: (status, label with blocker count).
    pub steps: Vec<(String, String)>,
    /// Which of coverage, unsynced, broken pilot, broken end, blockers, score is the best.
    pub best: Vec<bool>,
}

pub fn build_comparison(
    rows: &[VariantRow],
    lang: Lang,
    generated_at: i64,
) -> Result<(ComparisonView, Option<Chart>), String> {
    let t = lang.catalog();
    let chart = if rows.is_empty() {
        None
    } else {
        Some(charts::comparison(t, rows)?)
    };
    let na = || t.get("kf.na").to_string();
    // Step columns: the union of step ids in first-seen order.
    let mut ids: Vec<String> = Vec::new();
    for r in rows {
        for s in &r.steps {
            if !ids.contains(&s.id) {
                ids.push(s.id.clone());
            }
        }
    }
    let measures: Vec<Vec<Option<f64>>> = rows
        .iter()
        .map(|r| {
            vec![
                r.coverage,
                r.sfb_unsynced.map(|x| x as f64),
                r.breaks.map(|b| b.pilot.broken_pairs as f64),
                r.breaks.map(|b| b.end.broken_pairs as f64),
                Some(r.total_blockers() as f64),
                r.score.map(f64::from),
            ]
        })
        .collect();
    // Higher is better for coverage and score, lower for the rest.
    let higher = [true, false, false, false, false, true];
    let best: Vec<Option<f64>> = (0..6)
        .map(|k| {
            let vals = measures.iter().filter_map(|m| m[k]);
            if higher[k] {
                vals.fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.max(v))))
            } else {
                vals.fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.min(v))))
            }
        })
        .collect();
    let views = rows
        .iter()
        .zip(&measures)
        .map(|(r, m)| VariantView {
            name: r.name.clone(),
            coverage: r.coverage.map(|c| t.pct(c)).unwrap_or_else(na),
            sfb_unsynced: r.sfb_unsynced.map(|x| t.int(x)).unwrap_or_else(na),
            broken_pilot: r
                .breaks
                .map(|b| t.int(b.pilot.broken_pairs))
                .unwrap_or_else(na),
            broken_end: r
                .breaks
                .map(|b| t.int(b.end.broken_pairs))
                .unwrap_or_else(na),
            blockers: t.int(r.total_blockers()),
            score: r.score.map(|s| s.to_string()).unwrap_or_else(na),
            steps: ids
                .iter()
                .map(|id| match r.steps.iter().find(|s| &s.id == id) {
                    Some(s) => (
                        status_str(s.status).to_string(),
                        if s.blockers > 0 {
                            format!("{} ({})", t.get(charts::status_key(s.status)), s.blockers)
                        } else {
                            t.get(charts::status_key(s.status)).to_string()
                        },
                    ),
                    None => ("none".into(), na()),
                })
                .collect(),
            best: (0..6)
                .map(|k| rows.len() > 1 && m[k].is_some() && m[k] == best[k])
                .collect(),
        })
        .collect();
    let view = ComparisonView {
        lang: lang.code().into(),
        t: t.all().clone(),
        date: t.date(Date::from_unix(generated_at)),
        tool: format!("hybridready {}", env!("CARGO_PKG_VERSION")),
        rows: views,
        step_titles: ids.iter().map(|id| step_title(t, id)).collect(),
        chart: chart.as_ref().map(|c| ChartRef {
            file: c.file.to_string(),
            title: c.title.clone(),
        }),
    };
    Ok((view, chart))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hybridready_assessment::summary::Summary;

    #[test]
    fn rule_text_loses_code_spans_but_keeps_what_they_quote() {
        assert_eq!(plain("a `SMTP:` proxy with `@`"), "a SMTP: proxy with @");
        assert_eq!(plain("chars `` ` { } `` here"), "chars ` { } here");
        assert_eq!(plain("an unclosed ` stays"), "an unclosed ` stays");
        assert_eq!(plain("apostrophe ``'`` and `a`"), "apostrophe ' and a");
    }

    #[test]
    fn input_names_keep_the_folders_that_tell_files_apart() {
        let input = |path: &str, sheet: Option<&str>| {
            serde_json::from_value::<hybridready_assessment::summary::InputSummary>(
                serde_json::json!({
                    "path": path, "sheet": sheet, "status": "read", "format": "powershell",
                    "encoding": null, "delimiter": null, "rows": 0, "accepted": 0, "merged": 0,
                    "rejected": 0, "value_errors": 0, "columns_missing": []
                }),
            )
            .unwrap()
        };
        let names = input_names(&[
            input("samples/contoso/ps51/users.csv", None),
            input("samples/contoso/excel-fr/users.csv", None),
            input("samples/contoso/xlsx/directory.xlsx", Some("Users")),
        ]);
        assert_eq!(
            names,
            [
                "ps51/users.csv",
                "excel-fr/users.csv",
                "xlsx/directory.xlsx [Users]"
            ]
        );
        assert_eq!(input_names(&[input("/a/b/users.csv", None)]), ["users.csv"]);
    }

    #[test]
    fn every_reason_phrase_of_the_simulation_is_worded_in_french() {
        use hybridready_sim::run::MoveBlocker as M;
        use hybridready_sim::scope::NotSynced as N;
        let fr = Lang::Fr.catalog();
        let phrases: Vec<String> = [
            N::Excluded("SKIP-CRIT"),
            N::DomainFilter,
            N::NotInIncludedOu,
            N::InExcludedOu,
            N::NotInSyncGroup,
            N::AttributeFilter,
            N::Blocked("UPN-CHAR"),
        ]
        .map(N::key)
        .into_iter()
        .chain([
            "SIP domain not verified (D01)".to_string(),
            "SIP domain disabled online (U07)".to_string(),
            "_sipfederationtls._tcp.contoso.com missing".to_string(),
        ])
        .chain(
            [
                M::NotSynced,
                M::NoSipAddress,
                M::SipDomainUnverified("contoso.com".into()),
                M::SipDomainDisabled("contoso.com".into()),
                M::NoLicence,
                M::NoPhoneLicence,
                M::Tenant("T07"),
            ]
            .iter()
            .map(M::describe),
        )
        .chain(hybridready_assessment::scenario::Scenario::default().defaults_used())
        .collect();
        for p in &phrases {
            let french = phrase(fr, p);
            assert_ne!(&french, p, "{p} has no French wording");
            for kept in ["SKIP-CRIT", "UPN-CHAR", "contoso.com", "T07"] {
                assert_eq!(p.contains(kept), french.contains(kept), "{p} -> {french}");
            }
        }
        assert_eq!(
            counted_phrases(
                fr,
                "OU filter (excluded OU) (12), blocked by NICK-DUP (2), …"
            ),
            "filtre d\u{2019}UO (UO exclue) (12), bloqué par NICK-DUP (2), …"
        );
        assert_eq!(phrase(Lang::En.catalog(), "domain filter"), "domain filter");
    }

    /// A summary as a later stage writes it (also proves `Summary` reads back from JSON).
    const SUMMARY: &str = r#"{
      "schema_version": 1,
      "tool": {"name": "hybridready", "version": "0.1.0"},
      "scenario": {"name": "s", "file": null, "defaults_used": []},
      "inputs": [],
      "directory": {"users": 1, "groups": 0, "contacts": 0, "domains": 1, "ous": 0,
                    "memberships": 0, "sfb_users": 1, "trusts": 0, "nesting_cycles": [],
                    "unresolved_references": 0, "conflicts": 0},
      "findings": {"total": 0, "objects_with_errors": 0, "by_rule": {}, "by_severity": {}},
      "steps": [
        {"id": "tenant", "status": "warn", "blockers": [], "checks": [
          {"id": "T05", "status": "warn", "message": "not provided", "objects": [], "object_count": 0}]},
        {"id": "sync", "status": "fail", "blockers": ["x"], "checks": [
          {"id": "U01", "status": "fail", "message": "m", "objects": ["a"], "object_count": 40}]},
        {"id": "federation", "status": "fail", "blockers": ["y"], "checks": [
          {"id": "T07", "status": "fail", "message": "t7", "objects": [], "object_count": 0}]}
      ],
      "score": 40
    }"#;

    #[test]
    fn blockers_rank_failures_first_then_earlier_steps() {
        let s: Summary = serde_json::from_str(SUMMARY).unwrap();
        let mut input = ReportInput::new(s);
        input.generated_at = 0;
        let (v, charts) = build(&input, Lang::En).unwrap();
        let order: Vec<&str> = v.top_blockers.iter().map(|b| b.check.as_str()).collect();
        assert_eq!(
            order,
            [
                "U01 Every Skype for Business user synchronises",
                "T07 Tenant shares the SIP address space",
                "T05 Edge federation allows federated and outside users"
            ]
        );
        assert_eq!(
            v.steps[1].line,
            "Not met: U01 Every Skype for Business user synchronises (40 objects)"
        );
        assert_eq!(v.verdict.status, "fail");
        assert_eq!(v.score_text, "40 / 100");
        // Only the charts whose data exists: no sync, breaks or findings section here.
        assert_eq!(charts.len(), 1);
        assert!(v.sync.is_none() && v.breaks.is_none());
        assert_eq!(
            v.findings.sentence,
            Lang::En.catalog().get("findings.unavailable")
        );
    }
}
