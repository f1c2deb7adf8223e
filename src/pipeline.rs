//! The assessment as library calls: ingest → directory → graph → rules → simulation → outputs.
//! The CLI only parses arguments, shows progress and maps errors to exit codes.

use crate::assessment::scenario::{Scenario, ScenarioError};
use crate::assessment::summary::{
    DirectorySummary, FindingsSummary, InputSummary, SCHEMA_VERSION, ScenarioRef, Summary, Tool,
};
use crate::directory::{Attr, Directory, ObjectId};
use crate::graph::DirectoryGraph;
use crate::ingest::{IngestError, IngestOptions, Ingested, ingest};
use crate::report::atomic;
use crate::report::csv_out;
use crate::rules::{self, Effect, Finding, RuleContext, Severity};
use crate::sim::run::{FindingRef, Outcome, Prepared, SimError, simulate};
use crate::worklist;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// Why an assessment could not be made (input problems: exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("{0}")]
    Sim(#[from] SimError),
    #[error("{path}: cannot write: {source}")]
    Output {
        path: String,
        source: std::io::Error,
    },
}

/// The inputs read once: what every scenario variant is evaluated on.
pub struct Loaded {
    pub ingested: Ingested,
    pub graph: DirectoryGraph,
    /// The sync-readiness findings (scenario-independent, but for UPN-UNVERIFIED, which uses the
    /// first scenario's verified domains).
    pub findings: Vec<Finding>,
    /// The same findings as the simulation reads them.
    pub sim_findings: Vec<FindingRef>,
}

/// The rules' context from a scenario: verified domains and the tenant's initial domain.
pub fn rule_context(s: &Scenario) -> RuleContext {
    RuleContext {
        verified_domains: s.tenant.verified_domains.clone(),
        initial_domain: s.tenant.initial_domain.clone(),
        ..RuleContext::default()
    }
}

/// What the simulation needs of a finding.
pub fn finding_ref(f: &Finding) -> FindingRef {
    let id = f.rule.id;
    FindingRef {
        object: f.object,
        rule: id,
        // An out-of-box exclusion keeps the object out of sync too; the simulation tells it
        // apart (out of scope rather than blocked).
        blocks_sync: matches!(f.effect, Effect::BlocksSync | Effect::Excluded),
        exclusion: f.effect == Effect::Excluded,
        error: f.severity == Severity::Error,
        duplicate: id.ends_with("-DUP"),
    }
}

/// Reads a scenario, or the defaults when none is given.
pub fn scenario(path: Option<&Path>) -> Result<Scenario, ScenarioError> {
    match path {
        Some(p) => Scenario::load(p),
        None => Ok(Scenario::default()),
    }
}

/// The scenario a lone input folder carries (`scenario.toml` at its top), used when none is given
/// on the command line: a customer folder then assesses as planned with no extra flag.
pub fn scenario_in(inputs: &[PathBuf]) -> Option<PathBuf> {
    match inputs {
        [only] if only.is_dir() => Some(only.join("scenario.toml")).filter(|p| p.is_file()),
        _ => None,
    }
}

/// Ingests the inputs (leaving out the scenario's own affinity files) and builds the graph.
pub fn load(
    inputs: &[PathBuf],
    scenarios: &[&Scenario],
    opts: IngestOptions,
) -> Result<Loaded, PipelineError> {
    let mut opts = opts;
    for s in scenarios {
        opts.exclude.extend(s.affinity_files());
    }
    let ingested = ingest(inputs, &opts)?;
    let (graph, findings) = rayon::join(
        || DirectoryGraph::build(&ingested.directory),
        || {
            let ctx = scenarios
                .first()
                .map(|s| rule_context(s))
                .unwrap_or_default();
            rules::evaluate(&ingested.directory, &ctx)
        },
    );
    let sim_findings = findings.iter().map(finding_ref).collect();
    Ok(Loaded {
        ingested,
        graph,
        findings,
        sim_findings,
    })
}

/// The `summary.json` of one scenario.
pub fn summary(
    loaded: &Loaded,
    scenario: &Scenario,
    scenario_file: Option<&Path>,
    outcome: &Outcome,
) -> Summary {
    let dir = &loaded.ingested.directory;
    Summary {
        schema_version: SCHEMA_VERSION,
        tool: Tool::default(),
        scenario: ScenarioRef {
            name: scenario.name().to_string(),
            file: scenario_file.map(|p| p.display().to_string()),
            defaults_used: outcome.defaults_used.clone(),
        },
        inputs: loaded.ingested.inputs.iter().map(input_summary).collect(),
        directory: directory_summary(dir, &loaded.graph),
        sync: Some(outcome.sync.clone()),
        findings: findings_summary(&loaded.findings),
        breaks: Some(outcome.breaks),
        steps: Some(outcome.steps.clone()),
        score: Some(outcome.score),
        top_unsynced: Some(
            outcome
                .unsynced
                .iter()
                .take(TOP_UNSYNCED)
                .cloned()
                .collect(),
        ),
    }
}

/// One entry of `inputs[]`.
pub fn input_summary(r: &crate::ingest::InputReport) -> InputSummary {
    InputSummary {
        path: r.path.clone(),
        sheet: r.sheet.clone(),
        status: match r.status {
            crate::ingest::InputStatus::Read => crate::assessment::summary::InputStatus::Read,
            crate::ingest::InputStatus::Ignored => crate::assessment::summary::InputStatus::Ignored,
            crate::ingest::InputStatus::Refused => crate::assessment::summary::InputStatus::Refused,
        },
        format: r.format.clone(),
        encoding: r.encoding.clone(),
        delimiter: r.delimiter.clone(),
        sha256: r.sha256.clone(),
        rows: r.rows,
        accepted: r.accepted,
        merged: r.merged,
        rejected: r.rejected,
        value_errors: r.value_errors,
        columns_missing: r
            .columns_missing
            .iter()
            .map(|m| crate::assessment::summary::MissingColumn {
                column: m.column.clone(),
                leaves_unchecked: m.leaves_unchecked.clone(),
            })
            .collect(),
        refusal: r
            .refusal
            .as_ref()
            .map(|x| format!("{} (hint: {})", x.reason, x.hint)),
    }
}

/// The `directory` section.
pub fn directory_summary(dir: &Directory, graph: &DirectoryGraph) -> DirectorySummary {
    let c = dir.counts();
    DirectorySummary {
        counts: crate::assessment::summary::DirectoryCounts {
            users: c.users,
            groups: c.groups,
            contacts: c.contacts,
            domains: c.domains,
            ous: c.ous,
            memberships: c.memberships,
            sfb_users: c.sfb_users,
        },
        trusts: dir.trusts().len() as u64,
        nesting_cycles: graph
            .cycles
            .iter()
            .map(|c| c.groups.iter().map(|&g| dir.label(g)).collect())
            .collect(),
        unresolved_references: dir.unresolved().1,
        conflicts: dir.conflicts().1,
    }
}

/// The `findings` section: counts of the rule findings. `by_rule` names every rule of the
/// catalogue (zero included), so the shape does not depend on the data.
pub fn findings_summary(findings: &[Finding]) -> FindingsSummary {
    use std::collections::BTreeMap;
    let mut by_rule: BTreeMap<&'static str, u64> =
        rules::registry::all().iter().map(|r| (r.id, 0)).collect();
    let mut by_severity: BTreeMap<&'static str, u64> =
        Severity::ALL.iter().map(|s| (s.as_str(), 0)).collect();
    let mut with_errors: Vec<u32> = Vec::new();
    for f in findings {
        *by_rule.entry(f.rule.id).or_default() += 1;
        *by_severity.entry(f.severity.as_str()).or_default() += 1;
        if f.severity == Severity::Error {
            with_errors.push(f.object.0);
        }
    }
    with_errors.sort_unstable();
    with_errors.dedup();
    let owned =
        |m: BTreeMap<&'static str, u64>| m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    FindingsSummary {
        total: findings.len() as u64,
        objects_with_errors: with_errors.len() as u64,
        by_rule: owned(by_rule),
        by_severity: owned(by_severity),
    }
}

/// How many unsynchronised users `summary.json` lists (the CSV has them all).
pub const TOP_UNSYNCED: usize = 25;

/// What every scenario variant shares (identities, SfB facts, affinity edges), built once.
pub fn prepare(loaded: &Loaded) -> Prepared<'_> {
    Prepared::new(&loaded.ingested.directory, &loaded.sim_findings)
}

/// Evaluates one scenario on loaded inputs.
pub fn run(loaded: &Loaded, scenario: &Scenario) -> Result<Outcome, PipelineError> {
    Ok(simulate(&prepare(loaded), scenario)?)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), PipelineError> {
    atomic::write(path, bytes).map_err(|source| PipelineError::Output {
        path: path.display().to_string(),
        source,
    })
}

pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<(), PipelineError> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| PipelineError::Output {
        path: path.display().to_string(),
        source: std::io::Error::other(e),
    })?;
    bytes.push(b'\n');
    write(path, &bytes)
}

fn sip_of(dir: &Directory, o: ObjectId) -> String {
    dir.value(o, Attr::SipAddress)
        .unwrap_or_default()
        .to_string()
}

/// `unsynced-impact.csv`: one row per on-premises SfB user left unsynchronised, ranked by impact.
pub fn unsynced_csv(dir: &Directory, outcome: &Outcome) -> Vec<u8> {
    let by_sip: std::collections::HashMap<&str, ObjectId> = outcome
        .partners
        .keys()
        .map(|&o| (dir.value(o, Attr::SipAddress).unwrap_or_default(), o))
        .collect();
    let header = [
        "rank",
        "sip_address",
        "user_principal_name",
        "distinguished_name",
        "reasons",
        "impact",
        "impact_after_pilot",
        "first_online_partners",
    ];
    let rows = outcome.unsynced.iter().enumerate().map(|(i, u)| {
        let partners = by_sip
            .get(u.sip_address.as_str())
            .and_then(|o| outcome.partners.get(o))
            .map(|ps| {
                ps.iter()
                    .map(|&p| sip_of(dir, p))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        vec![
            Cow::Owned((i + 1).to_string()),
            Cow::Owned(u.sip_address.clone()),
            Cow::Owned(u.user_principal_name.clone()),
            Cow::Owned(u.distinguished_name.clone()),
            Cow::Owned(u.reasons.join("; ")),
            Cow::Owned(u.impact.to_string()),
            Cow::Owned(u.impact_after_pilot.to_string()),
            Cow::Owned(partners),
        ]
    });
    csv_out::to_bytes(&header, rows)
}

/// `waves.csv`: one row per user to move, wave 0 being the pilot; usable as a Move-CsUser list.
pub fn waves_csv(dir: &Directory, outcome: &Outcome) -> Vec<u8> {
    let header = [
        "wave",
        "Identity",
        "SipAddress",
        "UserPrincipalName",
        "DistinguishedName",
    ];
    let rows = outcome.waves.iter().enumerate().flat_map(|(w, users)| {
        users.iter().map(move |&o| {
            let sip = sip_of(dir, o);
            let identity = if sip.is_empty() {
                dir.dn(o).unwrap_or_default().to_string()
            } else if sip.to_ascii_lowercase().starts_with("sip:") {
                sip.clone()
            } else {
                format!("sip:{sip}")
            };
            vec![
                Cow::Owned(w.to_string()),
                Cow::Owned(identity),
                Cow::Owned(sip),
                Cow::Owned(
                    dir.value(o, Attr::UserPrincipalName)
                        .unwrap_or_default()
                        .to_string(),
                ),
                Cow::Owned(dir.dn(o).unwrap_or_default().to_string()),
            ]
        })
    });
    csv_out::to_bytes(&header, rows)
}

/// Writes `summary.json`, the worklists (`findings.csv`, `findings.xlsx`), `unsynced-impact.csv`
/// and `waves.csv` into `out`.
pub fn write_assessment(
    out: &Path,
    loaded: &Loaded,
    summary: &Summary,
    outcome: &Outcome,
) -> Result<Vec<PathBuf>, PipelineError> {
    let dir = &loaded.ingested.directory;
    let files = vec![
        out.join("summary.json"),
        out.join("findings.csv"),
        out.join("findings.xlsx"),
        out.join("unsynced-impact.csv"),
        out.join("waves.csv"),
    ];
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| PipelineError::Output { path, source }
    };
    write_json(&files[0], summary)?;
    worklist::write_csv(&files[1], dir, &loaded.findings).map_err(io(&files[1]))?;
    worklist::write_xlsx(&files[2], dir, &loaded.findings).map_err(io(&files[2]))?;
    write(&files[3], &unsynced_csv(dir, outcome))?;
    write(&files[4], &waves_csv(dir, outcome))?;
    Ok(files)
}

/// One variant in `comparison.json`: its figures shaped as in `summary.json`.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ComparisonRow {
    pub name: String,
    pub sync: crate::assessment::summary::SyncSummary,
    pub breaks: crate::assessment::summary::Breaks,
    pub steps: Vec<ComparisonStep>,
    pub score: u32,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ComparisonStep {
    pub id: String,
    pub status: crate::assessment::summary::Status,
    pub blockers: Vec<String>,
}

pub fn comparison_row(name: &str, o: &Outcome) -> ComparisonRow {
    ComparisonRow {
        name: name.to_string(),
        sync: o.sync.clone(),
        breaks: o.breaks,
        steps: o
            .steps
            .iter()
            .map(|s| ComparisonStep {
                id: s.id.clone(),
                status: s.status,
                blockers: s.blockers.clone(),
            })
            .collect(),
        score: o.score,
    }
}

/// `comparison.json` and `comparison.csv` (the same, flattened: one row per variant).
pub fn write_comparison(out: &Path, rows: &[ComparisonRow]) -> Result<Vec<PathBuf>, PipelineError> {
    let json = out.join("comparison.json");
    write_json(&json, &serde_json::json!({ "variants": rows }))?;
    let mut header: Vec<String> = [
        "variant",
        "score",
        "coverage",
        "sfb_users",
        "sfb_synced",
        "sfb_unsynced",
        "pilot_online_users",
        "pilot_broken_pairs",
        "pilot_unsynced_users_breaking",
        "pilot_online_users_affected",
        "end_online_users",
        "end_broken_pairs",
        "end_unsynced_users_breaking",
        "end_online_users_affected",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for step in crate::sim::checks::STEPS {
        header.push(format!("{step}_status"));
        header.push(format!("{step}_blockers"));
    }
    let status = |s: crate::assessment::summary::Status| match s {
        crate::assessment::summary::Status::Pass => "pass",
        crate::assessment::summary::Status::Warn => "warn",
        crate::assessment::summary::Status::Fail => "fail",
    };
    let body = rows.iter().map(|r| {
        let b = r.breaks;
        let mut cells: Vec<Cow<'_, str>> = vec![
            Cow::Owned(r.name.clone()),
            Cow::Owned(r.score.to_string()),
            Cow::Owned(format!("{:.4}", r.sync.coverage)),
            Cow::Owned(r.sync.sfb_users.to_string()),
            Cow::Owned(r.sync.sfb_synced.to_string()),
            Cow::Owned(r.sync.sfb_unsynced.to_string()),
        ];
        for p in [b.pilot, b.end] {
            cells.extend(
                [
                    p.online_users,
                    p.broken_pairs,
                    p.unsynced_users_breaking,
                    p.online_users_affected,
                ]
                .map(|x| Cow::Owned(x.to_string())),
            );
        }
        for s in &r.steps {
            cells.push(Cow::Borrowed(status(s.status)));
            cells.push(Cow::Owned(s.blockers.len().to_string()));
        }
        cells
    });
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let csv = out.join("comparison.csv");
    write(&csv, &csv_out::to_bytes(&header_refs, body))?;
    Ok(vec![json, csv])
}
