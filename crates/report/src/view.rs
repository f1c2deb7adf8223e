//! The report's content in one language: every sentence chosen, every figure formatted, every
//! list cut to its length, from the [`Assessment`] alone. The PDF template and the HTML writer
//! both lay out this one [`View`], so the two documents always say the same thing.
//!
//! Owns: what the report says and in which order (which actions come first, which line sums a
//! step up, where a cut list's rest can be found). Must not touch: layout (`report.typ`,
//! `html.rs`) or computation (every figure is the assessment's; a table that explains a total
//! sums to it).

use super::charts::{self, Chart};
use super::i18n::{Arg, Catalog, Date, Lang};
use super::words;
use hybridready_assessment::{
    Assessment, CheckId, CheckResult, Home, InputStatus, ObjRef, Severity, Status, Step, StepId,
    Variant, Verdict,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// Objects listed under a check in the PDF; the rest is counted, with where to find it.
pub const PDF_OBJECTS: usize = 8;
/// Objects listed under a check in the HTML.
pub const HTML_OBJECTS: usize = 100;
/// Rows of the findings sample in the HTML (the complete list is the worklist).
pub const SAMPLE_FINDINGS: usize = 500;
/// Unsynchronised users the report lists (the complete list is unsynced-impact.csv).
pub const TOP_UNSYNCED: usize = 200;
/// Unsynchronised users the PDF lists.
pub const PDF_UNSYNCED: usize = 20;
/// Actions on the executive page (the others follow the steps).
pub const EXEC_ACTIONS: usize = 6;

/// The worklist that holds every object behind a check.
pub const CHECKS_CSV: &str = "checks.csv";
pub const UNSYNCED_CSV: &str = "unsynced-impact.csv";
pub const FINDINGS_XLSX: &str = "findings.xlsx";

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
    pub verdict: VerdictView,
    pub score: ScoreView,
    pub cover_inputs: Vec<CoverInput>,
    pub cover_inputs_more: Option<String>,
    /// The scenario as assessed, one line per part: what the figures depend on.
    pub scope: Vec<Para>,
    pub assumptions: Vec<String>,
    pub figures: Vec<Figure>,
    pub actions: Vec<ActionView>,
    pub actions_more: Option<String>,
    pub steps: Vec<StepView>,
    pub sync: SyncView,
    pub findings: FindingsView,
    pub breaks: BreaksView,
    pub unsynced: UnsyncedView,
    pub waves: WavesView,
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
pub struct VerdictView {
    /// `pass`, `warn` or `fail`: the colour.
    pub status: String,
    pub label: String,
    pub sentence: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ScoreView {
    pub text: String,
    pub value: u32,
    /// How the score came about (the worst step, the cap).
    pub note: String,
    /// Every check that costs points, by step order.
    pub costs: Vec<CostRow>,
    pub steps: Vec<(String, String)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CostRow {
    pub step: String,
    pub check: String,
    pub status: String,
    pub status_label: String,
    pub points: String,
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
pub struct ActionView {
    pub n: usize,
    pub action: String,
    pub users: String,
    pub objects: String,
    pub owner: String,
    pub step: String,
    pub effort: String,
    /// `fail` for an action that clears a blocker, `warn` for a risk.
    pub status: String,
    pub checks: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct StepView {
    pub n: usize,
    pub id: String,
    pub title: String,
    pub heading: String,
    pub status: String,
    pub status_label: String,
    pub score: String,
    pub what: String,
    /// The one line of the executive summary.
    pub line: String,
    pub checks: Vec<CheckView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CheckView {
    pub id: String,
    pub title: String,
    pub status: String,
    pub status_label: String,
    /// What was found (the fact).
    pub message: String,
    /// Its parts, one line each.
    pub causes: Vec<String>,
    pub count: String,
    pub object_count: u64,
    pub cost: String,
    /// Every object listed in the HTML, and the sentence saying where the rest is.
    pub objects: Vec<String>,
    pub objects_more: Option<String>,
    /// The first [`PDF_OBJECTS`], and the sentence for the rest.
    pub objects_pdf: Vec<String>,
    pub objects_more_pdf: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SyncView {
    pub sentence: String,
    pub in_scope: String,
    pub domains: Vec<CoverageView>,
    pub ous: Vec<CoverageView>,
    pub ous_title: String,
    pub ous_more: Option<String>,
    pub reasons: Vec<ReasonRow>,
    pub reasons_total: ReasonRow,
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
pub struct ReasonRow {
    pub reason: String,
    pub objects: String,
    pub sfb_users: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FindingsView {
    pub sentence: String,
    pub any: bool,
    pub rules: Vec<RuleRowView>,
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
    pub objects: String,
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
    pub sentence: String,
    pub rows: Vec<UnsyncedRow>,
    pub none: Option<String>,
    pub more: Option<String>,
    pub more_pdf: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct UnsyncedRow {
    pub label: String,
    pub home: String,
    pub upn: String,
    pub reasons: String,
    pub pilot: String,
    pub end: String,
    pub end_n: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct WavesView {
    pub sentence: String,
    /// How many dependent pairs the waves split.
    pub split: Option<String>,
    /// Whether the rows have a calendar week, and the date it starts.
    pub weeks: bool,
    pub dates: bool,
    pub rows: Vec<WaveRow>,
    pub more_pdf: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct WaveRow {
    pub wave: String,
    pub week: String,
    pub starts: String,
    pub users: String,
    /// Dependent pairs with the other user in another wave.
    pub across: String,
    /// Dependent pairs broken by unsynchronised users once this wave is online.
    pub broken: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct QualityView {
    pub inputs: Vec<InputRow>,
    pub missing: Vec<MissingRow>,
    pub directory: Vec<(String, String)>,
    pub cycles: Vec<String>,
    pub cycles_more: Option<String>,
    pub pair_files: Vec<PairRow>,
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
pub struct PairRow {
    pub file: String,
    pub rows: String,
    pub accepted: String,
    pub rejected: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RuleView {
    pub id: String,
    pub severity: String,
    pub severity_label: String,
    pub effect_label: String,
    pub count: String,
    pub summary: String,
    pub explanation: String,
    pub fix: String,
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Para {
    pub title: String,
    pub text: String,
}

fn n(v: u64) -> Arg {
    Arg::N(v)
}
fn s(v: &str) -> Arg {
    Arg::T(v.to_string())
}

pub fn severity_label(t: &Catalog, s: Severity) -> String {
    t.get(&format!("severity.{}", s.as_str())).to_string()
}

/// A dialect as the report names it (`PowerShell Export-Csv`); an id the catalogue does not know
/// as it is.
fn format_label(t: &Catalog, id: &str) -> String {
    t.opt(&format!("format.{id}")).unwrap_or(id).to_string()
}

fn verdict_status(v: Verdict) -> &'static str {
    match v {
        Verdict::Ready => "pass",
        Verdict::ReadyWithWarnings => "warn",
        Verdict::Blocked => "fail",
    }
}

/// How the report names each input: its path below the folder all inputs share (so the same
/// file name exported three ways stays three distinct names: `ps51/users.csv`,
/// `excel-fr/users.csv`), with the sheet of a workbook in brackets. The consultant's own folder
/// layout above that means nothing to the customer.
pub fn input_names<'a>(
    inputs: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Vec<String> {
    let inputs: Vec<(&str, Option<&str>)> = inputs.into_iter().collect();
    let split = |p: &str| -> Vec<String> { p.split(['/', '\\']).map(str::to_string).collect() };
    let dirs: Vec<Vec<String>> = inputs
        .iter()
        .map(|(p, _)| {
            let mut parts = split(p);
            parts.pop();
            parts
        })
        .collect();
    let common = dirs
        .iter()
        .skip(1)
        .fold(dirs.first().map_or(0, Vec::len), |k, d| {
            k.min(dirs[0].iter().zip(d).take_while(|(a, b)| a == b).count())
        });
    inputs
        .iter()
        .map(|(p, sheet)| {
            let rel = split(p)[common..].join("/");
            match sheet {
                Some(sh) => format!("{rel} [{sh}]"),
                None => rel,
            }
        })
        .collect()
}

/// A list cut to `shown` items: the sentence that counts the rest and says where it is.
fn rest(t: &Catalog, total: u64, shown: usize, file: &str) -> Option<String> {
    (total > shown as u64).then(|| {
        t.msg(
            "list.more_in",
            &[("count", n(total - shown as u64)), ("file", s(file))],
        )
    })
}

/// Builds the view and the charts it embeds.
pub fn build(a: &Assessment, lang: Lang) -> Result<(View, Vec<Chart>), String> {
    let t = lang.catalog();
    let date = Date::from_unix(a.assessed_at);

    // Charts first: the view refers to them by key.
    let mut charts: Vec<(&str, Chart)> = vec![("readiness", charts::readiness(t, &a.steps)?)];
    if !a.sync.by_domain.is_empty() {
        charts.push((
            "coverage_domain",
            charts::coverage_by_domain(t, &a.sync.by_domain)?,
        ));
    }
    if !a.sync.by_ou.is_empty() {
        charts.push(("coverage_ou", charts::coverage_by_ou(t, &a.sync.by_ou)?));
    }
    if a.findings.total > 0 {
        let bars: Vec<charts::RuleBar> = a
            .findings
            .by_rule
            .iter()
            .map(|r| charts::RuleBar {
                rule: r.rule.clone(),
                severity: r.severity,
                count: r.findings,
            })
            .collect();
        charts.push(("findings", charts::findings_by_rule(t, &bars)?));
    }
    let impact: Vec<charts::ImpactBar> = a
        .unsynced
        .iter()
        .filter(|u| u.home == Home::OnPremises && u.impact > 0)
        .take(10)
        .map(|u| charts::ImpactBar {
            label: a.objects.label(u.user),
            after_pilot: u.impact_after_pilot,
            at_end: u.impact,
        })
        .collect();
    if !impact.is_empty() {
        charts.push(("unsynced", charts::top_unsynced(t, &impact)?));
    }
    charts.push(("breaks", charts::breaks(t, &a.breaks)?));
    if a.waves.users() > 0 {
        charts.push((
            "waves",
            charts::timeline(t, &timeline_slots(t, a), a.waves.per_week.is_some())?,
        ));
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

    let named = a.customer.clone().filter(|c| !c.trim().is_empty());
    let customer_given = named.is_some();
    let customer = named.unwrap_or_else(|| t.get("cover.customer_unknown").to_string());
    let scenario = match &a.scenario.file {
        Some(f) => format!("{} ({f})", a.scenario.name),
        None => format!("{} ({})", a.scenario.name, t.get("cover.scenario_default")),
    };

    const COVER_INPUTS: usize = 8;
    let names = input_names(
        a.inputs
            .iter()
            .map(|i| (i.path.as_str(), i.sheet.as_deref())),
    );
    let cover_inputs = a
        .inputs
        .iter()
        .zip(&names)
        .filter(|(i, _)| i.status != InputStatus::Ignored)
        .take(COVER_INPUTS)
        .map(|(i, name)| CoverInput {
            name: name.clone(),
            detail: t.msg(
                "cover.input_detail",
                &[
                    ("format", s(&format_label(t, &i.format))),
                    ("rows", n(i.rows)),
                ],
            ),
            sha256: i.sha256.clone().unwrap_or_default(),
        })
        .collect();
    let read = a
        .inputs
        .iter()
        .filter(|i| i.status != InputStatus::Ignored)
        .count();
    let cover_inputs_more = (read > COVER_INPUTS).then(|| {
        t.msg(
            "cover.inputs_more",
            &[("count", n((read - COVER_INPUTS) as u64))],
        )
    });

    let steps: Vec<StepView> = a.steps.iter().map(|st| step_view(t, a, st)).collect();
    let actions: Vec<ActionView> = a
        .actions
        .iter()
        .enumerate()
        .map(|(i, x)| ActionView {
            n: i + 1,
            action: words::action(t, &x.kind, a),
            users: t.int(x.users),
            objects: if x.objects == 0 {
                "–".into()
            } else {
                t.int(x.objects)
            },
            owner: words::owner(t, x.owner),
            step: format!("{}. {}", x.step.number(), words::step_title(t, x.step)),
            effort: words::effort(t, x.effort),
            status: if x.blocking { "fail" } else { "warn" }.into(),
            checks: x
                .checks
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let actions_more = (actions.len() > EXEC_ACTIONS).then(|| {
        t.msg(
            "exec.actions_more",
            &[("count", n((actions.len() - EXEC_ACTIONS) as u64))],
        )
    });

    let view = View {
        lang: lang.code().into(),
        t: t.all().clone(),
        date: t.date(date),
        date_iso: date.iso(),
        customer,
        customer_given,
        scenario,
        tool: format!("{} {}", a.tool.name, a.tool.version),
        verdict: VerdictView {
            status: verdict_status(a.verdict).into(),
            label: words::verdict(t, a.verdict),
            sentence: verdict_sentence(t, a),
        },
        score: score_view(t, a),
        cover_inputs,
        cover_inputs_more,
        scope: scope(t, a),
        assumptions: a
            .scenario
            .assumptions
            .iter()
            .map(|x| words::assumption(t, *x))
            .collect(),
        figures: key_figures(t, a),
        actions,
        actions_more,
        steps,
        sync: sync_view(t, a),
        findings: findings_view(t, a),
        breaks: breaks_view(t, a),
        unsynced: unsynced_view(t, a),
        waves: waves_view(t, a),
        quality: quality_view(t, a, &names),
        rules: rules_view(t, a),
        method: [
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
        .collect(),
        charts: chart_refs,
    };
    Ok((view, charts.into_iter().map(|(_, c)| c).collect()))
}

/// The verdict in one sentence: how many steps are blocked or at risk, and the first thing to do.
pub(crate) fn verdict_sentence(t: &Catalog, a: &Assessment) -> String {
    let count = |st: Status| a.steps.iter().filter(|s| s.status == st).count() as u64;
    let total = n(a.steps.len() as u64);
    match a.verdict {
        Verdict::Ready => t.msg("verdict.sentence.ready", &[]),
        Verdict::ReadyWithWarnings => t.msg(
            "verdict.sentence.warn",
            &[("warn", n(count(Status::Warn))), ("total", total)],
        ),
        Verdict::Blocked => t.msg(
            "verdict.sentence.blocked",
            &[("fail", n(count(Status::Fail))), ("total", total)],
        ),
    }
}

pub(crate) fn score_view(t: &Catalog, a: &Assessment) -> ScoreView {
    let costs = a
        .steps
        .iter()
        .flat_map(|st| st.checks.iter().map(move |c| (st, c)))
        .filter(|(_, c)| c.cost > 0)
        .map(|(st, c)| CostRow {
            step: format!("{}. {}", st.id.number(), words::step_title(t, st.id)),
            check: words::check_name(t, c.id),
            status: c.status.as_str().into(),
            status_label: words::check_status(t, c.status),
            points: t.msg("score.points", &[("points", n(c.cost.into()))]),
        })
        .collect();
    let note = match a.score.limited_by {
        None => t.msg("score.note.full", &[]),
        Some(step) => {
            let st = a.step(step);
            let capped = st.is_some_and(|s| s.status == Status::Fail);
            t.msg(
                if capped {
                    "score.note.capped"
                } else {
                    "score.note.worst"
                },
                &[
                    ("step", s(&words::step_title(t, step))),
                    ("cap", n(a.score.blocked_cap.into())),
                ],
            )
        }
    };
    ScoreView {
        text: t.msg("score.value", &[("score", n(a.score.value.into()))]),
        value: a.score.value,
        note,
        costs,
        steps: a
            .steps
            .iter()
            .map(|st| {
                (
                    format!("{}. {}", st.id.number(), words::step_title(t, st.id)),
                    t.msg("score.value", &[("score", n(st.score.into()))]),
                )
            })
            .collect(),
    }
}

/// The scenario as assessed: the sync scope, the tenant's domains, the pilot and the waves.
fn scope(t: &Catalog, a: &Assessment) -> Vec<Para> {
    let sc = &a.scenario.resolved;
    let list = |v: &Option<Vec<String>>, none: &str| match v {
        Some(v) if !v.is_empty() => t.list(v.iter().map(|x| words::place(x))),
        _ => t.get(none).to_string(),
    };
    let mut sync = t.msg(
        "scope.sync.domains",
        &[("domains", s(&list(&sc.sync.domains, "scope.every_domain")))],
    );
    if let Some(inc) = sc.sync.include_ous.as_ref().filter(|v| !v.is_empty()) {
        sync = t.msg(
            "scope.sync.with",
            &[
                ("scope", s(&sync)),
                (
                    "part",
                    s(&t.msg(
                        "scope.sync.include",
                        &[("ous", s(&t.list(inc.iter().map(|x| words::place(x)))))],
                    )),
                ),
            ],
        );
    }
    if let Some(exc) = sc.sync.exclude_ous.as_ref().filter(|v| !v.is_empty()) {
        sync = t.msg(
            "scope.sync.with",
            &[
                ("scope", s(&sync)),
                (
                    "part",
                    s(&t.msg(
                        "scope.sync.exclude",
                        &[("ous", s(&t.list(exc.iter().map(|x| words::place(x)))))],
                    )),
                ),
            ],
        );
    }
    if let Some(g) = &sc.sync.group {
        sync = t.msg(
            "scope.sync.with",
            &[
                ("scope", s(&sync)),
                (
                    "part",
                    s(&t.msg("scope.sync.group", &[("group", s(&words::place(g)))])),
                ),
            ],
        );
    }
    let pilot = {
        let mut parts = Vec::new();
        if let Some(g) = &sc.pilot.group {
            parts.push(t.msg("scope.pilot.group", &[("group", s(&words::place(g)))]));
        }
        if let Some(u) = sc.pilot.users.as_ref().filter(|v| !v.is_empty()) {
            parts.push(t.msg("scope.pilot.users", &[("count", n(u.len() as u64))]));
        }
        if let Some(o) = sc.pilot.ous.as_ref().filter(|v| !v.is_empty()) {
            parts.push(t.msg(
                "scope.pilot.ous",
                &[("ous", s(&t.list(o.iter().map(|x| words::place(x)))))],
            ));
        }
        if parts.is_empty() {
            t.get("scope.pilot.none").to_string()
        } else {
            t.list(parts)
        }
    };
    vec![
        Para {
            title: t.get("scope.sync").into(),
            text: sync,
        },
        Para {
            title: t.get("scope.verified").into(),
            text: list(&sc.tenant.verified_domains, "scope.none_given"),
        },
        Para {
            title: t.get("scope.pilot").into(),
            text: pilot,
        },
        Para {
            title: t.get("scope.waves").into(),
            text: t.msg("scope.waves.size", &[("size", n(a.waves.size))]),
        },
    ]
}

pub(crate) fn key_figures(t: &Catalog, a: &Assessment) -> Vec<Figure> {
    let fig = |label: &str, value: String, tone: &str, note: Option<String>| Figure {
        label: t.get(label).to_string(),
        value,
        note,
        tone: tone.into(),
    };
    let bad = |x: u64| if x == 0 { "good" } else { "bad" };
    let y = &a.sync;
    let b = &a.breaks;
    let f = &a.findings;
    vec![
        fig("kf.users", t.int(a.directory.users), "neutral", None),
        fig(
            "kf.sfb_users",
            t.int(y.sfb_users),
            "neutral",
            (a.directory.sfb_online > 0).then(|| {
                t.msg(
                    "kf.sfb_users_online",
                    &[("count", n(a.directory.sfb_online))],
                )
            }),
        ),
        fig("kf.coverage", t.pct(y.coverage), bad(y.sfb_unsynced), None),
        fig(
            "kf.sfb_unsynced",
            t.int(y.sfb_unsynced),
            bad(y.sfb_unsynced),
            (y.sfb_unsynced_online > 0).then(|| {
                t.msg(
                    "kf.sfb_unsynced_online",
                    &[("count", n(y.sfb_unsynced_online))],
                )
            }),
        ),
        fig(
            "kf.broken_pilot",
            t.int(b.pilot.broken_pairs),
            bad(b.pilot.broken_pairs),
            None,
        ),
        fig(
            "kf.broken_end",
            t.int(b.end.broken_pairs),
            bad(b.end.broken_pairs),
            None,
        ),
        fig(
            "kf.findings",
            t.int(f.total),
            if f.errors > 0 { "warn" } else { "neutral" },
            Some(t.msg("kf.findings_errors", &[("count", n(f.errors))])),
        ),
        fig(
            "kf.in_waves",
            t.int(a.waves.users()),
            "neutral",
            Some(t.msg(
                "kf.in_waves_note",
                &[("waves", n(a.waves.waves.len() as u64))],
            )),
        ),
    ]
}

/// The labels of objects, the first `max`.
fn labels(a: &Assessment, objects: &[ObjRef], max: usize) -> Vec<String> {
    objects
        .iter()
        .take(max)
        .map(|o| a.objects.label(*o))
        .collect()
}

fn check_view(t: &Catalog, a: &Assessment, c: &CheckResult) -> CheckView {
    let file = match c.id {
        CheckId::U01 | CheckId::U16 => UNSYNCED_CSV,
        _ => CHECKS_CSV,
    };
    let objects = labels(a, &c.objects, HTML_OBJECTS);
    let objects_pdf = labels(a, &c.objects, PDF_OBJECTS);
    let total = c.object_count.max(c.objects.len() as u64);
    CheckView {
        id: c.id.as_str().into(),
        title: words::check_title(t, c.id),
        status: c.status.as_str().into(),
        status_label: words::check_status(t, c.status),
        message: words::fact(t, &c.fact),
        causes: c.causes.iter().map(|k| words::cause(t, k)).collect(),
        count: if c.object_count == 0 {
            String::new()
        } else {
            t.int(c.object_count)
        },
        object_count: c.object_count,
        cost: if c.cost == 0 {
            String::new()
        } else {
            t.msg("score.points", &[("points", n(c.cost.into()))])
        },
        objects_more: if objects.is_empty() {
            None
        } else {
            rest(t, total, objects.len(), file)
        },
        objects_more_pdf: if objects_pdf.is_empty() {
            None
        } else {
            rest(t, total, objects_pdf.len(), file)
        },
        objects,
        objects_pdf,
    }
}

fn step_view(t: &Catalog, a: &Assessment, st: &Step) -> StepView {
    let title = words::step_title(t, st.id);
    // The one line: the worst check, by title, with its count; never cut.
    let mut worst: Vec<&CheckResult> = st
        .checks
        .iter()
        .filter(|c| c.status != Status::Pass)
        .collect();
    worst.sort_by(|x, y| {
        y.status
            .cmp(&x.status)
            .then(y.cost.cmp(&x.cost))
            .then(y.object_count.cmp(&x.object_count))
    });
    let line = match worst.first() {
        None => t.get(&format!("step.{}.ok", st.id.as_str())).to_string(),
        Some(c) => {
            let key = if c.status == Status::Fail {
                "exec.line.fail"
            } else {
                "exec.line.warn"
            };
            let mut l = t.msg(key, &[("check", s(&words::check_name(t, c.id)))]);
            if worst.len() > 1 {
                l = t.msg(
                    "exec.line.more",
                    &[("line", s(&l)), ("count", n(worst.len() as u64 - 1))],
                );
            }
            l
        }
    };
    StepView {
        n: st.id.number(),
        id: st.id.as_str().into(),
        heading: t.msg(
            "step.heading",
            &[("n", n(st.id.number() as u64)), ("title", s(&title))],
        ),
        title,
        status: st.status.as_str().into(),
        status_label: words::step_status(t, st.status),
        score: t.msg("score.value", &[("score", n(st.score.into()))]),
        what: t.get(&format!("step.{}.what", st.id.as_str())).to_string(),
        line,
        checks: st.checks.iter().map(|c| check_view(t, a, c)).collect(),
    }
}

fn sync_view(t: &Catalog, a: &Assessment) -> SyncView {
    let y = &a.sync;
    let cov = |r: &hybridready_assessment::CoverageRow| CoverageView {
        name: r.path.clone().unwrap_or_else(|| {
            if r.name.is_empty() {
                t.get("sync.no_domain").to_string()
            } else {
                r.name.clone()
            }
        }),
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
    let objects_out: u64 = y.not_synced.iter().map(|r| r.objects).sum();
    let sfb_out: u64 = y.not_synced.iter().map(|r| r.sfb_users).sum();
    SyncView {
        sentence: t.msg(
            "sync.sentence",
            &[
                ("synced", n(y.sfb_synced)),
                ("total", n(y.sfb_users)),
                ("coverage", s(&t.pct(y.coverage))),
                ("unsynced", n(y.sfb_unsynced)),
                ("online", n(y.sfb_unsynced_online)),
            ],
        ),
        in_scope: t.msg(
            "sync.in_scope",
            &[
                ("objects", n(y.objects)),
                ("in_scope", n(y.in_scope)),
                ("synced", n(y.synced)),
            ],
        ),
        domains: y.by_domain.iter().map(cov).collect(),
        ous_title: t.msg(
            "sync.by_ou",
            &[
                ("count", n(y.by_ou.len() as u64)),
                ("total", n(y.ous_with_sfb_users)),
            ],
        ),
        ous_more: (y.ous_with_sfb_users > y.by_ou.len() as u64).then(|| {
            t.msg(
                "sync.ous_more",
                &[("count", n(y.ous_with_sfb_users - y.by_ou.len() as u64))],
            )
        }),
        ous: y.by_ou.iter().map(cov).collect(),
        reasons: y
            .not_synced
            .iter()
            .map(|r| ReasonRow {
                reason: words::sync_reason(t, &r.reason),
                objects: t.int(r.objects),
                sfb_users: t.int(r.sfb_users),
            })
            .collect(),
        reasons_total: ReasonRow {
            reason: t.get("sync.reasons_total").to_string(),
            objects: t.int(objects_out),
            sfb_users: t.int(sfb_out),
        },
    }
}

fn findings_view(t: &Catalog, a: &Assessment) -> FindingsView {
    let f = &a.findings;
    let docs: BTreeMap<&str, &hybridready_assessment::RuleDoc> =
        f.rules.iter().map(|r| (r.id.as_str(), r)).collect();
    // Examples: the first few objects of each rule.
    let mut examples: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for r in &f.rows {
        let e = examples.entry(r.rule.as_str()).or_default();
        if e.len() < 3 {
            e.push(a.objects.label(r.object));
        }
    }
    let mut fired: Vec<&hybridready_assessment::RuleCount> =
        f.by_rule.iter().filter(|r| r.findings > 0).collect();
    // Errors first (they block sync), then by count.
    fired.sort_by(|x, y| {
        x.severity
            .cmp(&y.severity)
            .then(y.findings.cmp(&x.findings))
            .then(x.rule.cmp(&y.rule))
    });
    let rules = fired
        .into_iter()
        .map(|r| {
            let ex = examples.get(r.rule.as_str()).cloned().unwrap_or_default();
            RuleRowView {
                id: r.rule.clone(),
                summary: docs
                    .get(r.rule.as_str())
                    .map(|d| words::rule_text(t, &d.id, "summary", &d.summary))
                    .unwrap_or_default(),
                severity: r.severity.as_str().into(),
                severity_label: severity_label(t, r.severity),
                effect_label: t.get(&format!("effect.{}", r.effect.as_str())).to_string(),
                count: t.int(r.findings),
                count_n: r.findings,
                objects: t.int(r.objects),
                more: rest(t, r.findings, ex.len(), FINDINGS_XLSX),
                examples: ex,
            }
        })
        .collect();
    let sample: Vec<FindingView> = f
        .rows
        .iter()
        .take(SAMPLE_FINDINGS)
        .map(|x| FindingView {
            rule: x.rule.clone(),
            severity: x.severity.as_str().into(),
            severity_label: severity_label(t, x.severity),
            object: a.objects.label(x.object),
            attribute: x.attribute.clone(),
            value: x.value.clone(),
            suggested: x.fix.value().unwrap_or_default().to_string(),
            message: crate::finding_words::finding_message(t, &x.message),
        })
        .collect();
    let blocked_objects = a.check(CheckId::Errors).map_or(0, |c| c.object_count);
    FindingsView {
        sentence: if f.total == 0 {
            t.get("findings.none").to_string()
        } else {
            t.msg(
                "findings.sentence",
                &[
                    ("total", n(f.total)),
                    ("objects", n(f.objects)),
                    ("errors", n(f.errors)),
                    ("error_objects", n(f.objects_with_errors)),
                    ("blocked", n(blocked_objects)),
                    ("warnings", n(f.warnings)),
                    ("infos", n(f.infos)),
                ],
            )
        },
        any: f.total > 0,
        rules,
        sample_caption: t.msg(
            "findings.sample",
            &[
                ("count", n(sample.len() as u64)),
                ("total", n(f.total)),
                ("file", s(FINDINGS_XLSX)),
            ],
        ),
        sample,
    }
}

fn breaks_view(t: &Catalog, a: &Assessment) -> BreaksView {
    let b = &a.breaks;
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
}

fn unsynced_view(t: &Catalog, a: &Assessment) -> UnsyncedView {
    let total = a.unsynced.len() as u64;
    let online = a.unsynced.iter().filter(|u| u.home == Home::Online).count() as u64;
    let rows: Vec<UnsyncedRow> = a
        .unsynced
        .iter()
        .take(TOP_UNSYNCED)
        .map(|u| UnsyncedRow {
            label: a.objects.label(u.user),
            home: t
                .get(match u.home {
                    Home::Online => "home.online",
                    Home::OnPremises => "home.on_premises",
                })
                .to_string(),
            upn: a
                .objects
                .get(u.user)
                .map(|o| o.upn.clone())
                .unwrap_or_default(),
            reasons: t.list(u.reasons.iter().map(|r| words::sync_reason(t, r))),
            pilot: t.int(u.impact_after_pilot),
            end: t.int(u.impact),
            end_n: u.impact,
        })
        .collect();
    UnsyncedView {
        sentence: t.msg(
            "breaks.top_sentence",
            &[("count", n(total)), ("online", n(online))],
        ),
        none: (total == 0).then(|| t.get("breaks.top_none").to_string()),
        more: rest(t, total, rows.len(), UNSYNCED_CSV),
        more_pdf: rest(t, total, rows.len().min(PDF_UNSYNCED), UNSYNCED_CSV),
        rows,
    }
}

/// The timeline's slots: the pilot, then each wave (or each week, with a calendar), runs of them
/// merged when there are more than the chart can show.
fn timeline_slots(t: &Catalog, a: &Assessment) -> Vec<charts::TimelineSlot> {
    let w = &a.waves;
    // (label of the first, label of the last, users moved) per slot before merging.
    let mut raw: Vec<(String, u64)> = Vec::new();
    let mut pilot = None;
    for wave in &w.waves {
        let moved = wave.users.len() as u64;
        if wave.number == 0 {
            pilot = Some(moved);
            continue;
        }
        let label = match wave.week {
            Some(k) => t.msg("chart.timeline.week", &[("week", n(u64::from(k)))]),
            None => t.msg(
                "chart.timeline.wave",
                &[("wave", n(u64::from(wave.number)))],
            ),
        };
        match raw.last_mut() {
            Some((l, m)) if wave.week.is_some() && *l == label => *m += moved,
            _ => raw.push((label, moved)),
        }
    }
    let per = raw.len().div_ceil(charts::TIMELINE_SLOTS).max(1);
    let mut before = w.already_online;
    let mut slots = Vec::new();
    if let Some(moved) = pilot.filter(|&m| m > 0) {
        slots.push(charts::TimelineSlot {
            label: t.get("chart.timeline.pilot").to_string(),
            before,
            moved,
        });
        before += moved;
    }
    for run in raw.chunks(per) {
        let moved = run.iter().map(|(_, m)| m).sum();
        let label = if run.len() == 1 {
            run[0].0.clone()
        } else {
            t.msg(
                "chart.timeline.waves",
                &[("first", s(&run[0].0)), ("last", s(&run[run.len() - 1].0))],
            )
        };
        slots.push(charts::TimelineSlot {
            label,
            before,
            moved,
        });
        before += moved;
    }
    slots
}

fn waves_view(t: &Catalog, a: &Assessment) -> WavesView {
    const PDF_WAVES: usize = 12;
    let w = &a.waves;
    let users = w.users();
    WavesView {
        sentence: t.msg(
            "waves.sentence",
            &[
                ("users", n(users)),
                ("waves", n(w.waves.len() as u64)),
                ("online", n(w.already_online)),
                ("end", n(a.breaks.end.online_users)),
                ("kept", n(w.kept)),
            ],
        ),
        split: (w.pairs > 0).then(|| {
            t.msg(
                "waves.split",
                &[
                    ("pairs", n(w.pairs)),
                    ("split", n(w.pairs_split)),
                    ("pct", s(&t.pct(w.pairs_split as f64 / w.pairs as f64))),
                    ("delegates", n(w.delegate_pairs_split)),
                ],
            )
        }),
        weeks: w.per_week.is_some(),
        dates: w.per_week.is_some() && w.start.is_some(),
        rows: w
            .waves
            .iter()
            .take(1000)
            .map(|wave| WaveRow {
                wave: if wave.number == 0 {
                    t.get("waves.pilot").to_string()
                } else {
                    t.int(wave.number as u64)
                },
                week: wave.week.map(|k| t.int(k as u64)).unwrap_or_default(),
                starts: crate::explain::wave_date(a, wave)
                    .map(|d| t.date(d))
                    .unwrap_or_default(),
                users: t.int(wave.users.len() as u64),
                across: t.int(wave.pairs_across),
                broken: t.int(wave.broken_by_unsynced),
            })
            .collect(),
        more_pdf: (w.waves.len() > PDF_WAVES).then(|| {
            t.msg(
                "waves.more",
                &[
                    ("count", n((w.waves.len() - PDF_WAVES) as u64)),
                    ("file", s("waves.csv")),
                ],
            )
        }),
    }
}

fn quality_view(t: &Catalog, a: &Assessment, names: &[String]) -> QualityView {
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "–".into());
    let inputs = a
        .inputs
        .iter()
        .zip(names)
        .map(|(i, name)| {
            let status = match i.status {
                InputStatus::Read => "read",
                InputStatus::Ignored => "ignored",
                InputStatus::Refused => "refused",
            };
            InputRow {
                name: name.clone(),
                status_label: t.get(&format!("input.status.{status}")).to_string(),
                status: status.into(),
                format: format_label(t, &i.format),
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
                refusal: i.refusal.as_ref().map(|r| {
                    t.msg(
                        "quality.refusal",
                        &[
                            ("reason", s(&words::refusal(t, r))),
                            ("hint", s(&words::refusal_hint(t, r))),
                        ],
                    )
                }),
            }
        })
        .collect();
    let missing = a
        .inputs
        .iter()
        .zip(names)
        .flat_map(|(i, name)| {
            i.columns_missing.iter().map(move |m| MissingRow {
                file: name.clone(),
                column: m.column.clone(),
                leaves_unchecked: words::leaves_unchecked(t, &m.column, &m.rules),
            })
        })
        .take(300)
        .collect();
    let d = &a.directory;
    let directory = vec![
        (t.get("dir.users").to_string(), t.int(d.users)),
        (t.get("dir.groups").to_string(), t.int(d.groups)),
        (t.get("dir.contacts").to_string(), t.int(d.contacts)),
        (t.get("dir.domains").to_string(), t.int(d.domains)),
        (t.get("dir.ous").to_string(), t.int(d.ous)),
        (t.get("dir.memberships").to_string(), t.int(d.memberships)),
        (t.get("dir.sfb_users").to_string(), t.int(d.sfb_users)),
        (t.get("dir.sfb_online").to_string(), t.int(d.sfb_online)),
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
                let mut s = c
                    .iter()
                    .take(6)
                    .map(|g| a.objects.label(*g))
                    .collect::<Vec<_>>()
                    .join(" → ");
                if c.len() > 6 {
                    s.push_str(" → …");
                }
                s
            })
            .collect(),
        cycles_more: (d.nesting_cycles.len() > CYCLES).then(|| {
            t.msg(
                "quality.cycles_more",
                &[("count", n((d.nesting_cycles.len() - CYCLES) as u64))],
            )
        }),
        pair_files: a
            .pair_files
            .iter()
            .map(|p| PairRow {
                file: p
                    .path
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or(&p.path)
                    .to_string(),
                rows: t.int(p.rows),
                accepted: t.int(p.accepted),
                rejected: t.int(p.rejected),
            })
            .collect(),
    }
}

fn rules_view(t: &Catalog, a: &Assessment) -> Vec<RuleView> {
    let counts: BTreeMap<&str, u64> = a
        .findings
        .by_rule
        .iter()
        .map(|r| (r.rule.as_str(), r.findings))
        .collect();
    // Appendix order: by rule id, the way a reader looks a rule up.
    let mut docs: Vec<&hybridready_assessment::RuleDoc> = a.findings.rules.iter().collect();
    docs.sort_by(|x, y| x.id.cmp(&y.id));
    docs.into_iter()
        .map(|d| RuleView {
            id: d.id.clone(),
            severity: d.severity.as_str().into(),
            severity_label: severity_label(t, d.severity),
            effect_label: t.get(&format!("effect.{}", d.effect.as_str())).to_string(),
            count: t.msg(
                "rules.count",
                &[("count", n(counts.get(d.id.as_str()).copied().unwrap_or(0)))],
            ),
            summary: words::rule_text(t, &d.id, "summary", &d.summary),
            explanation: words::rule_text(t, &d.id, "explanation", &d.explanation),
            fix: words::rule_text(t, &d.id, "fix", &d.fix),
            sources: d.sources.clone(),
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
    pub verdict: String,
    pub verdict_status: String,
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
    rows: &[Variant],
    lang: Lang,
    assessed_at: i64,
) -> Result<(ComparisonView, Option<Chart>), String> {
    let t = lang.catalog();
    let chart = if rows.is_empty() {
        None
    } else {
        Some(charts::comparison(t, rows)?)
    };
    let blockers = |r: &Variant| r.steps.iter().map(|s| s.blockers.len() as u64).sum::<u64>();
    let measures: Vec<[f64; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.sync.coverage,
                r.sync.sfb_unsynced as f64,
                r.breaks.pilot.broken_pairs as f64,
                r.breaks.end.broken_pairs as f64,
                blockers(r) as f64,
                f64::from(r.score),
            ]
        })
        .collect();
    // Higher is better for coverage and score, lower for the rest.
    let higher = [true, false, false, false, false, true];
    let best: Vec<Option<f64>> = (0..6)
        .map(|k| {
            let vals = measures.iter().map(|m| m[k]);
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
            verdict: words::verdict(t, r.verdict),
            verdict_status: verdict_status(r.verdict).into(),
            coverage: t.pct(r.sync.coverage),
            sfb_unsynced: t.int(r.sync.sfb_unsynced),
            broken_pilot: t.int(r.breaks.pilot.broken_pairs),
            broken_end: t.int(r.breaks.end.broken_pairs),
            blockers: t.int(blockers(r)),
            score: t.msg("score.value", &[("score", n(r.score.into()))]),
            steps: StepId::ALL
                .iter()
                .map(|id| match r.steps.iter().find(|s| s.id == *id) {
                    Some(st) if !st.blockers.is_empty() => (
                        st.status.as_str().to_string(),
                        t.msg(
                            "cmp.step_blockers",
                            &[
                                ("status", s(&words::step_status(t, st.status))),
                                ("count", n(st.blockers.len() as u64)),
                            ],
                        ),
                    ),
                    Some(st) => (
                        st.status.as_str().to_string(),
                        words::step_status(t, st.status),
                    ),
                    None => ("none".into(), t.get("kf.na").to_string()),
                })
                .collect(),
            best: (0..6)
                .map(|k| rows.len() > 1 && Some(m[k]) == best[k])
                .collect(),
        })
        .collect();
    let view = ComparisonView {
        lang: lang.code().into(),
        t: t.all().clone(),
        date: t.date(Date::from_unix(assessed_at)),
        tool: format!("hybridready {}", env!("CARGO_PKG_VERSION")),
        rows: views,
        step_titles: StepId::ALL
            .iter()
            .map(|id| words::step_title(t, *id))
            .collect(),
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

    #[test]
    fn input_names_keep_the_folders_that_tell_files_apart() {
        let names = input_names([
            ("samples/contoso/ps51/users.csv", None),
            ("samples/contoso/excel-fr/users.csv", None),
            ("samples/contoso/xlsx/directory.xlsx", Some("Users")),
        ]);
        assert_eq!(
            names,
            [
                "ps51/users.csv",
                "excel-fr/users.csv",
                "xlsx/directory.xlsx [Users]"
            ]
        );
        assert_eq!(input_names([("/a/b/users.csv", None)]), ["users.csv"]);
    }

    #[test]
    fn rule_text_loses_code_spans_but_keeps_what_they_quote() {
        use super::words::plain;
        assert_eq!(plain("a `SMTP:` proxy with `@`"), "a SMTP: proxy with @");
        assert_eq!(plain("chars `` ` { } `` here"), "chars ` { } here");
        assert_eq!(plain("an unclosed ` stays"), "an unclosed ` stays");
        assert_eq!(plain("apostrophe ``'`` and `a`"), "apostrophe ' and a");
    }
}
