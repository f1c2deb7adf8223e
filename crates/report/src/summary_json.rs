//! `summary.json`: the assessment's figures in the stable shape of spec §9, for scripts and
//! dashboards. English sentences sit beside the typed values (from the English catalogue), so a
//! script never has to parse them.
//!
//! Owns: the shape and its version. Must not touch: any figure (each is the assessment's).

use crate::i18n::Lang;
use crate::words;
use hybridready_assessment::{Assessment, Breaks, CoverageRow, Home, Severity, Variant};
use serde::Serialize;
use std::collections::BTreeMap;

/// The version of `summary.json`'s shape.
pub const SUMMARY_VERSION: u32 = 3;

#[derive(Serialize)]
pub struct Summary {
    pub schema_version: u32,
    pub tool: Tool,
    pub scenario: ScenarioRef,
    pub inputs: Vec<Input>,
    pub directory: Directory,
    pub sync: Sync,
    pub findings: Findings,
    pub breaks: Breaks,
    pub steps: Vec<Step>,
    /// `ready`, `ready_with_warnings` or `blocked`.
    pub verdict: &'static str,
    /// 0–100; never above 50 while the verdict is `blocked`.
    pub score: u32,
    /// The step whose score is the overall score.
    pub score_limited_by: Option<&'static str>,
    pub actions: Vec<Action>,
    /// The unsynchronised SfB users (already online first, then by impact); the complete list
    /// is `unsynced-impact.csv`.
    pub top_unsynced: Vec<Unsynced>,
    /// The move waves (since version 3).
    pub waves: WavesSummary,
    /// Where each scenario setting that has a value came from: `scenario.toml:LINE`, a
    /// configuration export's path (`path:LINE`), or `default`.
    pub settings: BTreeMap<String, String>,
    /// Where the scenario and a configuration export, or two exports, disagree: typed, with
    /// the sentence.
    pub setting_conflicts: Vec<SettingConflict>,
}

#[derive(Serialize)]
pub struct SettingConflict {
    #[serde(flatten)]
    pub conflict: hybridready_assessment::setting::SettingConflict,
    pub message: String,
}

/// The move waves: what they cut, and each wave.
#[derive(Serialize)]
pub struct WavesSummary {
    /// Users per wave after the pilot, at most.
    pub size: u64,
    /// Users in all waves (the pilot included), already online, kept on-premises.
    pub users: u64,
    pub already_online: u64,
    pub kept: u64,
    /// Dependent pairs among the users in waves and those split across waves, with weights.
    pub pairs: u64,
    pub pairs_split: u64,
    pub weight: u64,
    pub weight_split: u64,
    pub delegate_pairs_split: u64,
    /// Delegate clusters larger than a wave, split as little as possible.
    pub split_clusters: u64,
    pub per_week: Option<u32>,
    /// The Monday of the first week, `YYYY-MM-DD`.
    pub start: Option<String>,
    pub waves: Vec<WaveSummary>,
}

#[derive(Serialize)]
pub struct WaveSummary {
    /// 0 is the pilot.
    pub number: u32,
    pub week: Option<u32>,
    /// The Monday of its week, `YYYY-MM-DD`, with a calendar.
    pub starts: Option<String>,
    pub users: u64,
    /// Dependent pairs (and their weight) with the other user in another wave.
    pub pairs_across: u64,
    pub weight_across: u64,
    /// Dependent pairs of its users with unsynchronised users: broken once it is online.
    pub broken_by_unsynced: u64,
}

fn waves(a: &Assessment) -> WavesSummary {
    let w = &a.waves;
    WavesSummary {
        size: w.size,
        users: w.users(),
        already_online: w.already_online,
        kept: w.kept,
        pairs: w.pairs,
        pairs_split: w.pairs_split,
        weight: w.weight,
        weight_split: w.weight_split,
        delegate_pairs_split: w.delegate_pairs_split,
        split_clusters: w.split_clusters.len() as u64,
        per_week: w.per_week,
        start: w.start.clone(),
        waves: w
            .waves
            .iter()
            .map(|x| WaveSummary {
                number: x.number,
                week: x.week,
                starts: crate::explain::wave_date(a, x).map(|d| d.iso()),
                users: x.users.len() as u64,
                pairs_across: x.pairs_across,
                weight_across: x.weight_across,
                broken_by_unsynced: x.broken_by_unsynced,
            })
            .collect(),
    }
}

#[derive(Serialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Serialize)]
pub struct ScenarioRef {
    pub name: String,
    pub file: Option<String>,
    /// What was assumed where the scenario is silent.
    pub assumptions: Vec<String>,
}

#[derive(Serialize)]
pub struct Input {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub status: hybridready_assessment::InputStatus,
    pub format: String,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub sha256: Option<String>,
    pub rows: u64,
    pub accepted: u64,
    pub merged: u64,
    pub rejected: u64,
    pub value_errors: u64,
    pub columns_missing: Vec<MissingColumn>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
}

#[derive(Serialize)]
pub struct MissingColumn {
    pub column: String,
    pub leaves_unchecked: String,
}

#[derive(Serialize)]
pub struct Directory {
    pub users: u64,
    pub groups: u64,
    pub contacts: u64,
    pub domains: u64,
    pub ous: u64,
    pub memberships: u64,
    pub sfb_users: u64,
    pub sfb_online: u64,
    pub trusts: u64,
    pub nesting_cycles: Vec<Vec<String>>,
    pub unresolved_references: u64,
    pub conflicts: u64,
}

#[derive(Serialize)]
pub struct Sync {
    pub objects: u64,
    pub in_scope: u64,
    pub synced: u64,
    pub sfb_users: u64,
    pub sfb_synced: u64,
    /// On-premises and online SfB users that would not synchronise.
    pub sfb_unsynced: u64,
    /// Of those, the users already homed online.
    pub sfb_unsynced_online: u64,
    pub coverage: f64,
    /// Objects that do not synchronise, by their first reason; sums to `objects - synced`.
    pub not_synced_by_reason: BTreeMap<String, u64>,
    pub by_domain: Vec<CoverageRow>,
    pub by_ou: Vec<CoverageRow>,
}

#[derive(Serialize)]
pub struct Findings {
    pub total: u64,
    pub objects: u64,
    /// Distinct objects with at least one `error` finding (an error blocks sync).
    pub objects_with_errors: u64,
    /// Every rule of the catalogue, zero included.
    pub by_rule: BTreeMap<String, u64>,
    pub by_severity: BTreeMap<&'static str, u64>,
}

#[derive(Serialize)]
pub struct Step {
    pub id: &'static str,
    pub status: &'static str,
    pub score: u32,
    /// One line per failing check: `ID: what was found`.
    pub blockers: Vec<String>,
    pub checks: Vec<Check>,
}

#[derive(Serialize)]
pub struct Check {
    pub id: &'static str,
    pub status: &'static str,
    /// Points it takes off its step's score.
    pub cost: u32,
    /// What was found, in English.
    pub message: String,
    /// What was found, typed.
    pub fact: hybridready_assessment::Fact,
    pub causes: Vec<Cause>,
    pub object_count: u64,
}

#[derive(Serialize)]
pub struct Cause {
    pub reason: String,
    pub count: u64,
}

#[derive(Serialize)]
pub struct Action {
    pub action: String,
    pub kind: hybridready_assessment::ActionKind,
    pub owner: hybridready_assessment::Owner,
    pub step: &'static str,
    pub users: u64,
    pub objects: u64,
    pub effort: hybridready_assessment::Effort,
    pub blocking: bool,
    pub checks: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct Unsynced {
    pub sip_address: String,
    pub user_principal_name: String,
    pub distinguished_name: String,
    pub home: Home,
    pub reasons: Vec<String>,
    pub impact: u64,
    pub impact_after_pilot: u64,
}

/// How many unsynchronised users `summary.json` lists.
pub const TOP_UNSYNCED: usize = 25;

/// The summary of an assessment.
pub fn summary(a: &Assessment) -> Summary {
    let t = Lang::En.catalog();
    Summary {
        schema_version: SUMMARY_VERSION,
        tool: Tool {
            name: a.tool.name.clone(),
            version: a.tool.version.clone(),
        },
        scenario: ScenarioRef {
            name: a.scenario.name.clone(),
            file: a.scenario.file.clone(),
            assumptions: a
                .scenario
                .assumptions
                .iter()
                .map(|x| words::assumption(t, *x))
                .collect(),
        },
        inputs: a
            .inputs
            .iter()
            .map(|i| Input {
                path: i.path.clone(),
                sheet: i.sheet.clone(),
                status: i.status,
                format: i.format.clone(),
                encoding: i.encoding.clone(),
                delimiter: i.delimiter.clone(),
                sha256: i.sha256.clone(),
                rows: i.rows,
                accepted: i.accepted,
                merged: i.merged,
                rejected: i.rejected,
                value_errors: i.value_errors,
                columns_missing: i
                    .columns_missing
                    .iter()
                    .map(|m| MissingColumn {
                        column: m.column.clone(),
                        leaves_unchecked: words::leaves_unchecked(t, &m.column, &m.rules),
                    })
                    .collect(),
                refusal: i.refusal.as_ref().map(|r| {
                    format!(
                        "{} (hint: {})",
                        words::refusal(t, r),
                        words::refusal_hint(t, r)
                    )
                }),
            })
            .collect(),
        directory: Directory {
            users: a.directory.users,
            groups: a.directory.groups,
            contacts: a.directory.contacts,
            domains: a.directory.domains,
            ous: a.directory.ous,
            memberships: a.directory.memberships,
            sfb_users: a.directory.sfb_users,
            sfb_online: a.directory.sfb_online,
            trusts: a.directory.trusts,
            nesting_cycles: a
                .directory
                .nesting_cycles
                .iter()
                .map(|c| c.iter().map(|g| a.objects.label(*g)).collect())
                .collect(),
            unresolved_references: a.directory.unresolved_references,
            conflicts: a.directory.conflicts,
        },
        sync: sync(&a.sync),
        findings: Findings {
            total: a.findings.total,
            objects: a.findings.objects,
            objects_with_errors: a.findings.objects_with_errors,
            by_rule: a
                .findings
                .by_rule
                .iter()
                .map(|r| (r.rule.clone(), r.findings))
                .collect(),
            by_severity: [
                (Severity::Error, a.findings.errors),
                (Severity::Warning, a.findings.warnings),
                (Severity::Info, a.findings.infos),
            ]
            .into_iter()
            .map(|(s, n)| (s.as_str(), n))
            .collect(),
        },
        breaks: a.breaks,
        steps: a
            .steps
            .iter()
            .map(|st| Step {
                id: st.id.as_str(),
                status: st.status.as_str(),
                score: st.score,
                blockers: st
                    .blockers()
                    .map(|c| format!("{}: {}", c.id.as_str(), words::check_message(t, c)))
                    .collect(),
                checks: st
                    .checks
                    .iter()
                    .map(|c| Check {
                        id: c.id.as_str(),
                        status: c.status.as_str(),
                        cost: c.cost,
                        message: words::check_message(t, c),
                        fact: c.fact.clone(),
                        causes: c
                            .causes
                            .iter()
                            .map(|k| Cause {
                                reason: words::reason(t, &k.reason),
                                count: k.count,
                            })
                            .collect(),
                        object_count: c.object_count,
                    })
                    .collect(),
            })
            .collect(),
        verdict: a.verdict.as_str(),
        score: a.score.value,
        score_limited_by: a.score.limited_by.map(|s| s.as_str()),
        actions: a
            .actions
            .iter()
            .map(|x| Action {
                action: words::action(t, &x.kind, a),
                kind: x.kind.clone(),
                owner: x.owner,
                step: x.step.as_str(),
                users: x.users,
                objects: x.objects,
                effort: x.effort,
                blocking: x.blocking,
                checks: x.checks.iter().map(|c| c.as_str()).collect(),
            })
            .collect(),
        top_unsynced: a
            .unsynced
            .iter()
            .take(TOP_UNSYNCED)
            .map(|u| {
                let o = a.objects.get(u.user);
                let field = |f: fn(&hybridready_assessment::ObjectInfo) -> &String| {
                    o.map(|o| f(o).clone()).unwrap_or_default()
                };
                Unsynced {
                    sip_address: field(|o| &o.sip),
                    user_principal_name: field(|o| &o.upn),
                    distinguished_name: field(|o| &o.dn),
                    home: u.home,
                    reasons: u.reasons.iter().map(|r| words::sync_reason(t, r)).collect(),
                    impact: u.impact,
                    impact_after_pilot: u.impact_after_pilot,
                }
            })
            .collect(),
        waves: waves(a),
        settings: a
            .scenario
            .sources
            .iter()
            .map(|x| (x.key.clone(), words::setting_origin(t, &x.origin)))
            .collect(),
        setting_conflicts: a
            .scenario
            .conflicts
            .iter()
            .map(|c| SettingConflict {
                conflict: c.clone(),
                message: words::setting_conflict(t, c),
            })
            .collect(),
    }
}

fn sync(y: &hybridready_assessment::SyncFigures) -> Sync {
    let t = Lang::En.catalog();
    Sync {
        objects: y.objects,
        in_scope: y.in_scope,
        synced: y.synced,
        sfb_users: y.sfb_users,
        sfb_synced: y.sfb_synced,
        sfb_unsynced: y.sfb_unsynced,
        sfb_unsynced_online: y.sfb_unsynced_online,
        coverage: y.coverage,
        not_synced_by_reason: y
            .not_synced
            .iter()
            .map(|r| (words::sync_reason(t, &r.reason), r.objects))
            .collect(),
        by_domain: y.by_domain.clone(),
        by_ou: y.by_ou.clone(),
    }
}

/// One variant in `comparison.json`: its figures shaped as in `summary.json`.
#[derive(Serialize)]
pub struct ComparisonRow {
    pub name: String,
    pub sync: Sync,
    pub breaks: Breaks,
    pub steps: Vec<ComparisonStep>,
    pub verdict: &'static str,
    pub score: u32,
}

#[derive(Serialize)]
pub struct ComparisonStep {
    pub id: &'static str,
    pub status: &'static str,
    pub blockers: Vec<&'static str>,
}

pub fn comparison_row(v: &Variant) -> ComparisonRow {
    ComparisonRow {
        name: v.name.clone(),
        sync: sync(&v.sync),
        breaks: v.breaks,
        steps: v
            .steps
            .iter()
            .map(|s| ComparisonStep {
                id: s.id.as_str(),
                status: s.status.as_str(),
                blockers: s.blockers.iter().map(|c| c.as_str()).collect(),
            })
            .collect(),
        verdict: v.verdict.as_str(),
        score: v.score,
    }
}
