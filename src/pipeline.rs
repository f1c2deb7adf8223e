//! The assessment as library calls: ingest → directory → rules → simulation → [`Assessment`].
//! The renderers (`hybridready_report`) turn the assessment into files; the CLI only parses
//! arguments, shows progress and maps errors to exit codes.

use crate::assessment::scenario::{Scenario, ScenarioError};
use crate::assessment::{
    self as a, Assessment, Comparison, DirectoryFigures, FindingRow, Findings, InputFile, ObjRef,
    ObjectClass, ObjectInfo, Objects, RuleCount, RuleDoc, ScenarioInfo, Variant,
};
use crate::directory::{Attr, Directory, ObjectId, ObjectKind};
use crate::ingest::{IngestError, IngestOptions, Ingested, ingest};
use crate::rules::{self, Effect, Finding, RuleContext};
use crate::sim::run::{FindingRef, Outcome, Prepared, SimError, simulate};
use rayon::prelude::*;
use std::collections::BTreeMap;
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
    #[error("cannot write the outputs: {0}")]
    Output(#[from] crate::report::ReportError),
}

/// The inputs read once: what every scenario variant is evaluated on.
pub struct Loaded {
    pub ingested: Ingested,
    /// Cycles of nested groups (the strongly connected components of the nesting graph).
    pub cycles: Vec<Vec<ObjectId>>,
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

/// What the simulation needs of a finding: an exclusion puts the object out of the scope, a
/// blocking finding keeps it out of sync.
pub fn finding_ref(f: &Finding) -> FindingRef {
    FindingRef {
        object: f.object,
        rule: f.rule.id,
        // An out-of-box exclusion keeps the object out of sync too; the simulation tells it
        // apart (out of scope rather than blocked).
        blocks_sync: matches!(f.effect, Effect::BlocksSync | Effect::Excluded),
        exclusion: f.effect == Effect::Excluded,
        duplicate: f.rule.id.ends_with("-DUP"),
    }
}

/// Reads a scenario, or the defaults when none is given.
/// Its settings are checked here, where the file's text is at hand, so that a value out of
/// range is pointed at by file and line as a parse error is.
pub fn scenario(path: Option<&Path>) -> Result<Scenario, ScenarioError> {
    let Some(p) = path else {
        return Ok(Scenario::default());
    };
    let s = Scenario::load(p)?;
    if let Err(e) = crate::sim::waves::check_settings(&s) {
        let text = crate::assessment::scenario::read_text(p)?;
        let (line, column) =
            crate::assessment::scenario::key_position(&text, &e.key).unwrap_or((0, 0));
        return Err(ScenarioError::Invalid {
            path: p.display().to_string(),
            line,
            column,
            message: e.to_string(),
        });
    }
    Ok(s)
}

/// The scenario a lone input folder carries (`scenario.toml` at its top), used when none is given
/// on the command line: a customer folder then assesses as planned with no extra flag.
pub fn scenario_in(inputs: &[PathBuf]) -> Option<PathBuf> {
    match inputs {
        [only] if only.is_dir() => Some(only.join("scenario.toml")).filter(|p| p.is_file()),
        _ => None,
    }
}

/// The scenario completed by the configuration exports among the inputs (the scenario winning
/// where both say), with where each setting came from and where sources disagree. With the
/// scenario's file, each of its settings is pointed at by line.
pub fn resolve(loaded: &Loaded, s: &Scenario, file: Option<&Path>) -> a::setting::Resolved {
    resolve_settings(&loaded.ingested.settings, s, file)
}

/// [`resolve`] with the settings of an ingest (`inspect` has no [`Loaded`]).
pub fn resolve_settings(
    settings: &[a::setting::FileSetting],
    s: &Scenario,
    file: Option<&Path>,
) -> a::setting::Resolved {
    let name = file
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy());
    // A batch file is no scenario: its keys' lines are not the variant's.
    let text = file
        .and_then(|p| crate::assessment::scenario::read_text(p).ok())
        .filter(|t| Scenario::parse(t, "").is_ok());
    let text = match (&name, &text) {
        (Some(file), Some(text)) => Some(a::setting::ScenarioText { file, text }),
        _ => None,
    };
    a::setting::resolve(s, text, settings)
}

/// Ingests the inputs (leaving out the scenario's own affinity files), checks the rules and
/// finds the nesting cycles.
pub fn load(
    inputs: &[PathBuf],
    scenarios: &[&Scenario],
    opts: IngestOptions,
) -> Result<Loaded, PipelineError> {
    let mut opts = opts;
    // A lone folder's scenario is the assessment's, not an export to list as passed over.
    opts.exclude.extend(scenario_in(inputs));
    for s in scenarios {
        opts.exclude.extend(s.affinity_files());
    }
    let t = Phase::start("ingest");
    let ingested = ingest(inputs, &opts)?;
    t.end();
    let t = Phase::start("rules and nesting cycles");
    let (cycles, findings) = rayon::join(
        || {
            crate::graph::nesting_cycles(&ingested.directory)
                .into_iter()
                .map(|c| c.groups)
                .collect()
        },
        || {
            let ctx = scenarios
                .first()
                .map(|s| rule_context(&resolve_settings(&ingested.settings, s, None).scenario))
                .unwrap_or_default();
            rules::evaluate(&ingested.directory, &ctx)
        },
    );
    t.end();
    let sim_findings = findings.iter().map(finding_ref).collect();
    Ok(Loaded {
        ingested,
        cycles,
        findings,
        sim_findings,
    })
}

/// What every scenario variant shares (identities, SfB facts, affinity edges), built once.
pub fn prepare(loaded: &Loaded) -> Prepared<'_> {
    let dir = &loaded.ingested.directory;
    let mut prep = Prepared::new(dir, &loaded.sim_findings);
    prep.unchecked_sync_columns = rules::registry::unchecked_sync_columns(dir)
        .into_iter()
        .map(String::from)
        .collect();
    prep
}

/// Evaluates one scenario on loaded inputs, as on the day of `assessed_at` (Unix seconds).
pub fn run(
    loaded: &Loaded,
    scenario: &Scenario,
    assessed_at: i64,
) -> Result<Outcome, PipelineError> {
    let resolved = resolve(loaded, scenario, None);
    Ok(simulate(
        &prepare(loaded),
        &resolved.scenario,
        a::Date::from_unix(assessed_at),
    )?)
}

/// When the assessment is made: `SOURCE_DATE_EPOCH` when set (reproducible outputs), else now.
pub fn assessment_time() -> i64 {
    if let Some(t) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        return t;
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// How the assessment is told apart from others: the customer, the scenario file, the time.
pub struct Context<'a> {
    pub scenario: &'a Scenario,
    pub scenario_file: Option<&'a Path>,
    /// `--customer`; the scenario's tenant name when not given.
    pub customer: Option<String>,
    pub assessed_at: i64,
}

/// The assessment of one scenario, whole: every figure every output shows.
pub fn assessment(loaded: &Loaded, cx: Context, outcome: Outcome) -> Assessment {
    let f = findings(&loaded.findings, true);
    assessment_with(loaded, cx, outcome, f)
}

/// The assessment of one scenario with findings already counted (a batch counts them once for
/// every variant, and keeps no rows: a variant writes its `summary.json` only).
pub fn assessment_with(
    loaded: &Loaded,
    cx: Context,
    outcome: Outcome,
    findings: Findings,
) -> Assessment {
    let dir = &loaded.ingested.directory;
    let resolved = resolve(loaded, cx.scenario, cx.scenario_file);
    let s = &resolved.scenario;
    let customer = cx
        .customer
        .filter(|c| !c.trim().is_empty())
        .or_else(|| s.tenant.name.clone().filter(|n| !n.trim().is_empty()));
    let mut assessment = Assessment {
        schema_version: a::SCHEMA_VERSION,
        tool: a::Tool::default(),
        assessed_at: cx.assessed_at,
        customer,
        scenario: ScenarioInfo {
            name: s.name().to_string(),
            file: cx
                .scenario_file
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())),
            assumptions: s.assumptions(),
            resolved: s.clone(),
            sources: resolved.sources,
            conflicts: resolved.conflicts,
        },
        inputs: loaded.ingested.inputs.iter().map(input_file).collect(),
        directory: directory_figures(dir, &loaded.cycles),
        sync: outcome.sync,
        findings,
        breaks: outcome.breaks,
        steps: outcome.steps,
        unsynced: outcome.unsynced,
        waves: outcome.waves,
        pair_files: outcome.pair_files,
        verdict: outcome.verdict,
        score: outcome.score,
        actions: outcome.actions,
        objects: Objects::default(),
    };
    assessment.objects = objects(dir, &assessment);
    assessment
}

/// One entry of `inputs`.
fn input_file(r: &crate::ingest::InputReport) -> InputFile {
    InputFile {
        path: r.path.clone(),
        sheet: r.sheet.clone(),
        status: match r.status {
            crate::ingest::InputStatus::Read => a::InputStatus::Read,
            crate::ingest::InputStatus::Ignored => a::InputStatus::Ignored,
            crate::ingest::InputStatus::Refused => a::InputStatus::Refused,
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
            .map(|m| a::MissingColumn {
                column: m.column.clone(),
                rules: m.rules.iter().map(|r| r.to_string()).collect(),
            })
            .collect(),
        refusal: r.refusal.clone(),
    }
}

/// The directory as read.
pub fn directory_figures(dir: &Directory, cycles: &[Vec<ObjectId>]) -> DirectoryFigures {
    let c = dir.counts();
    let sfb_online = dir
        .ids_of(ObjectKind::User)
        .filter(|&o| crate::sim::run::sfb_user(dir, o).online && dir.is_sfb_enabled(o))
        .count() as u64;
    DirectoryFigures {
        users: c.users,
        groups: c.groups,
        contacts: c.contacts,
        domains: c.domains,
        ous: c.ous,
        memberships: c.memberships,
        sfb_users: c.sfb_users,
        sfb_online,
        trusts: dir.trusts().len() as u64,
        nesting_cycles: cycles
            .iter()
            .map(|c| c.iter().map(|o| ObjRef(o.0)).collect())
            .collect(),
        unresolved_references: dir.unresolved().1,
        conflicts: dir.conflicts().1,
    }
}

/// The findings as the assessment holds them: the counts, the fired rules' docs, and with
/// `rows` every finding.
pub fn findings(findings: &[Finding], rows: bool) -> Findings {
    let all = rules::registry::all();
    let mut per_rule: BTreeMap<&'static str, (u64, Vec<u32>)> =
        all.iter().map(|r| (r.id, (0, Vec::new()))).collect();
    let mut objects: Vec<u32> = Vec::with_capacity(findings.len());
    let mut with_errors: Vec<u32> = Vec::new();
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for f in findings {
        let e = per_rule.entry(f.rule.id).or_default();
        e.0 += 1;
        e.1.push(f.object.0);
        objects.push(f.object.0);
        match f.severity {
            a::Severity::Error => {
                errors += 1;
                with_errors.push(f.object.0);
            }
            a::Severity::Warning => warnings += 1,
            a::Severity::Info => infos += 1,
        }
    }
    let distinct = |mut v: Vec<u32>| {
        v.sort_unstable();
        v.dedup();
        v.len() as u64
    };
    let by_rule = all
        .iter()
        .map(|r| {
            let (n, objs) = per_rule.remove(r.id).unwrap_or_default();
            RuleCount {
                rule: r.id.to_string(),
                severity: r.severity,
                effect: r.effect,
                findings: n,
                objects: distinct(objs),
            }
        })
        .collect::<Vec<_>>();
    let docs = all
        .iter()
        .filter(|r| by_rule.iter().any(|c| c.rule == r.id && c.findings > 0))
        .map(|r| RuleDoc {
            id: r.id.to_string(),
            severity: r.severity,
            effect: r.effect,
            summary: r.summary.to_string(),
            explanation: r.explanation.to_string(),
            fix: r.fix.to_string(),
            sources: rules::sources::links(r.source),
        })
        .collect();
    let rows = findings
        .par_iter()
        .filter(|_| rows)
        .map(|f| FindingRow {
            rule: f.rule.id.to_string(),
            severity: f.severity,
            effect: f.effect,
            object: ObjRef(f.object.0),
            attribute: f.field.name().to_string(),
            value: f.value.clone(),
            fix: match &f.fix {
                rules::Fix::None => a::Fix::None,
                rules::Fix::Edit(v) => a::Fix::Edit(v.clone()),
                rules::Fix::Remove => a::Fix::Remove,
                rules::Fix::Add(v) => a::Fix::Add(v.clone()),
            },
            message: f.message.clone(),
        })
        .collect();
    Findings {
        total: findings.len() as u64,
        objects: distinct(objects),
        objects_with_errors: distinct(with_errors),
        errors,
        warnings,
        infos,
        by_rule,
        rules: docs,
        rows,
    }
}

/// The names of every object the assessment refers to.
fn objects(dir: &Directory, x: &Assessment) -> Objects {
    let mut ids: Vec<u32> = Vec::new();
    ids.extend(x.findings.rows.iter().map(|f| f.object.0));
    for u in &x.unsynced {
        ids.push(u.user.0);
        ids.extend(u.partners.iter().map(|p| p.0));
    }
    for u in x.waves.waves.iter().flat_map(|w| &w.users) {
        ids.push(u.user.0);
        ids.extend(u.elsewhere_first.iter().map(|e| e.user.0));
        if let hybridready_assessment::WaveReason::DelegateOf { user } = u.reason {
            ids.push(user.0);
        }
    }
    for c in &x.waves.split_clusters {
        ids.push(c.example.0);
    }
    for c in x.steps.iter().flat_map(|s| &s.checks) {
        ids.extend(c.objects.iter().map(|o| o.0));
        ids.extend(c.causes.iter().flat_map(|k| &k.objects).map(|o| o.0));
    }
    ids.extend(x.directory.nesting_cycles.iter().flatten().map(|o| o.0));
    ids.sort_unstable();
    ids.dedup();
    let value = |o: ObjectId, attr: Attr| dir.value(o, attr).unwrap_or_default().to_string();
    // In parallel: at a million users, a million names copied.
    Objects::new(
        ids.into_par_iter()
            .filter(|&i| (i as usize) < dir.len())
            .map(|i| {
                let o = ObjectId(i);
                let dn = dir.dn(o).unwrap_or_default().to_string();
                ObjectInfo {
                    id: i,
                    class: Some(match dir.kind(o) {
                        ObjectKind::User => ObjectClass::User,
                        ObjectKind::Group => ObjectClass::Group,
                        ObjectKind::Contact => ObjectClass::Contact,
                    }),
                    name: crate::directory::dn::first_rdn_value(&dn)
                        .map(|c| c.into_owned())
                        .or_else(|| dir.value(o, Attr::Cn).map(str::to_string))
                        .unwrap_or_default(),
                    dn,
                    sam: value(o, Attr::SamAccountName),
                    upn: value(o, Attr::UserPrincipalName),
                    sip: value(o, Attr::SipAddress),
                }
            })
            .collect(),
    )
}

/// A batch's comparison: every variant's figures, the base scenario first.
pub fn comparison(rows: Vec<Variant>, assessed_at: i64) -> Comparison {
    Comparison {
        schema_version: a::SCHEMA_VERSION,
        tool: a::Tool::default(),
        assessed_at,
        variants: rows,
    }
}

/// What `assess` does once the inputs are loaded: evaluates the scenario, builds the assessment
/// and writes every output into `out`.
pub fn assess_into(
    loaded: &Loaded,
    cx: Context,
    out: &Path,
    opts: crate::report::Options,
) -> Result<Assessment, PipelineError> {
    let t = Phase::start("prepare");
    let prep = prepare(loaded);
    t.end();
    let t = Phase::start("simulate");
    let outcome = simulate(
        &prep,
        &resolve(loaded, cx.scenario, None).scenario,
        a::Date::from_unix(cx.assessed_at),
    )?;
    t.end();
    let t = Phase::start("assessment");
    let a = assessment(loaded, cx, outcome);
    t.end();
    let t = Phase::start("write");
    crate::report::write_assessment(&a, out, opts)?;
    t.end();
    Ok(a)
}

/// What `batch` does once the inputs are loaded: evaluates every variant in parallel, writes
/// each one's `summary.json` under `out/variants/`, then the comparison.
pub fn batch_into(
    loaded: &Loaded,
    variants: &[crate::sim::batch::Variant],
    batch_file: Option<&Path>,
    out: &Path,
    opts: crate::report::Options,
) -> Result<Comparison, PipelineError> {
    use rayon::prelude::*;
    let prep = prepare(loaded);
    let assessed_at = assessment_time();
    // The findings are the same for every variant: counted once, without their rows.
    let counted = findings(&loaded.findings, false);
    let rows: Vec<Variant> = variants
        .par_iter()
        .enumerate()
        .map(|(i, v)| -> Result<Variant, PipelineError> {
            let o = simulate(
                &prep,
                &resolve(loaded, &v.scenario, None).scenario,
                a::Date::from_unix(assessed_at),
            )?;
            let a = assessment_with(
                loaded,
                Context {
                    scenario: &v.scenario,
                    scenario_file: batch_file,
                    customer: None,
                    assessed_at,
                },
                o,
                counted.clone(),
            );
            let folder = out
                .join("variants")
                .join(crate::sim::batch::slug(&v.name, i));
            crate::report::write_summary(&a, &folder.join("summary.json"))?;
            Ok(Variant::of(&v.name, &a))
        })
        .collect::<Result<_, _>>()?;
    let c = comparison(rows, assessed_at);
    crate::report::write_comparison(&c, out, opts)?;
    Ok(c)
}

/// A stage of the run, timed on stderr when `HYBRIDREADY_TIMINGS` is set: where a whole command
/// spends its time, for the benches and for a consultant whose run is slow.
struct Phase(&'static str, std::time::Instant);

impl Phase {
    fn start(name: &'static str) -> Phase {
        Phase(name, std::time::Instant::now())
    }
    fn end(self) {
        if std::env::var_os("HYBRIDREADY_TIMINGS").is_some() {
            eprintln!("timing: {} {:.3} s", self.0, self.1.elapsed().as_secs_f64());
        }
    }
}
