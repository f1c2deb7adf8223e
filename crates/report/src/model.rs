//! What the renderer is given: [`ReportInput`] (a summary plus bounded digests of the worklists
//! and the rule documentation) and [`VariantRow`] for a batch comparison.
//!
//! Owns: reading a previous run's folder (`summary.json`, `findings.csv`, `unsynced-impact.csv`,
//! `waves.csv`) into those digests in one streaming pass each. Must not touch: any computation
//! of the assessment itself; a digest only counts and keeps the first or largest few rows, so
//! its size never grows with the directory (a million users give the same few kilobytes).

use hybridready_assessment::summary::{Breaks, Status, Summary, UnsyncedUser};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How many findings rows the HTML report lists (the complete list is findings.csv/xlsx).
pub const SAMPLE_FINDINGS: usize = 500;
/// How many example objects are kept per rule.
pub const SAMPLES_PER_RULE: usize = 5;
/// How many unsynced users are kept, by impact.
pub const TOP_UNSYNCED: usize = 200;

/// The documentation of one rule, for the appendix. Handed in by the caller (the rules
/// catalogue), so the report never depends on how rules are implemented.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct RuleDoc {
    pub id: String,
    pub severity: String,
    pub summary: String,
    pub explanation: String,
    pub fix: String,
    pub source: String,
}

/// Everything one readiness report shows.
#[derive(Clone, Debug)]
pub struct ReportInput {
    pub summary: Summary,
    pub findings: FindingsDigest,
    /// Unsynced SfB users, largest impact first, at most [`TOP_UNSYNCED`].
    pub unsynced: Vec<UnsyncedUser>,
    pub waves: WavesDigest,
    /// Documentation of the rules (any order; only those that fired are shown).
    pub rules: Vec<RuleDoc>,
    /// The customer's name for the cover; the tenant name of the scenario when not given.
    pub customer: Option<String>,
    /// When the report was generated (Unix seconds): `SOURCE_DATE_EPOCH` when set, else now.
    pub generated_at: i64,
}

impl ReportInput {
    /// A report of `summary` alone; the digests start empty.
    pub fn new(summary: Summary) -> ReportInput {
        let unsynced = summary.top_unsynced.clone().unwrap_or_default();
        ReportInput {
            customer: customer_from_scenario(&summary),
            summary,
            findings: FindingsDigest::default(),
            unsynced: rank_unsynced(unsynced),
            waves: WavesDigest::default(),
            rules: Vec::new(),
            generated_at: super::i18n::generation_time(),
        }
    }

    /// Reads a previous run's folder: `summary.json` (required) and the worklists next to it
    /// (each optional: a stage that did not run wrote none).
    pub fn load(dir: &Path, rules: Vec<RuleDoc>) -> Result<ReportInput, ReportError> {
        let path = dir.join("summary.json");
        let bytes = std::fs::read(&path).map_err(|e| ReportError::io(&path, e))?;
        let summary: Summary = serde_json::from_slice(&bytes).map_err(|e| ReportError::Json {
            path: path.clone(),
            source: e,
        })?;
        let mut input = ReportInput::new(summary);
        input.rules = rules;
        let f = dir.join("findings.csv");
        if f.exists() {
            input.findings = FindingsDigest::read_csv(&f)?;
        }
        let u = dir.join("unsynced-impact.csv");
        if input.summary.top_unsynced.is_none() && u.exists() {
            input.unsynced = read_unsynced_csv(&u)?;
        }
        let w = dir.join("waves.csv");
        if w.exists() {
            input.waves = WavesDigest::read_csv(&w)?;
        }
        Ok(input)
    }
}

/// The tenant name of the scenario file named in the summary, if it can be read.
fn customer_from_scenario(s: &Summary) -> Option<String> {
    let file = s.scenario.file.as_ref()?;
    let sc = hybridready_assessment::scenario::Scenario::load(Path::new(file)).ok()?;
    sc.tenant.name.filter(|n| !n.trim().is_empty())
}

/// Largest impact first; ties by SIP address then DN so the order is stable.
fn rank_unsynced(mut v: Vec<UnsyncedUser>) -> Vec<UnsyncedUser> {
    v.sort_by(|a, b| {
        b.impact
            .cmp(&a.impact)
            .then(b.impact_after_pilot.cmp(&a.impact_after_pilot))
            .then(a.sip_address.cmp(&b.sip_address))
            .then(a.distinguished_name.cmp(&b.distinguished_name))
    });
    v.truncate(TOP_UNSYNCED);
    v
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a summary.json this version can read: {source}", path.display())]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{}: {source}", path.display())]
    Csv { path: PathBuf, source: csv::Error },
    #[error("{0}")]
    Render(String),
}

impl ReportError {
    pub fn io(path: &Path, source: std::io::Error) -> ReportError {
        ReportError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// findings.csv

/// One row of `findings.csv` (spec §9 columns).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct FindingRow {
    pub rule: String,
    pub severity: String,
    pub effect: String,
    pub object_class: String,
    pub distinguished_name: String,
    pub sam_account_name: String,
    pub user_principal_name: String,
    pub attribute: String,
    pub value: String,
    pub suggested_value: String,
    pub message: String,
}

impl FindingRow {
    /// The object's best label: DN, else UPN, else sAMAccountName.
    pub fn object(&self) -> &str {
        [
            &self.distinguished_name,
            &self.user_principal_name,
            &self.sam_account_name,
        ]
        .into_iter()
        .find(|s| !s.is_empty())
        .map(String::as_str)
        .unwrap_or("")
    }
}

/// The findings of one rule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleCount {
    pub rule: String,
    /// The severity of its first finding (a rule has one severity).
    pub severity: String,
    pub effect: String,
    pub count: u64,
    pub error: u64,
    pub warning: u64,
    pub info: u64,
    /// The first few findings, for examples.
    pub samples: Vec<FindingRow>,
}

/// Counts of `findings.csv`, and the first rows, in bounded memory.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FindingsDigest {
    /// Whether the rules ran (a findings.csv was written); `false` means "unknown", not zero.
    pub available: bool,
    pub total: u64,
    /// Distinct objects with at least one finding.
    pub objects: u64,
    /// Distinct objects with at least one finding of severity `error`.
    pub objects_with_errors: u64,
    pub errors: u64,
    /// Largest count first.
    pub by_rule: Vec<RuleCount>,
    /// The first [`SAMPLE_FINDINGS`] rows.
    pub sample: Vec<FindingRow>,
}

/// Builds a [`FindingsDigest`] one row at a time.
#[derive(Default)]
pub struct FindingsDigester {
    d: FindingsDigest,
    rules: BTreeMap<String, RuleCount>,
    // Objects are counted by a 64-bit hash of their identity: 8 bytes each, not a string.
    objects: hashbrown::HashSet<u64>,
    with_errors: hashbrown::HashSet<u64>,
    buf: Vec<u8>,
}

impl FindingsDigester {
    pub fn push(&mut self, row: FindingRow) {
        let (rule, severity, effect) = (row.rule.clone(), row.severity.clone(), row.effect.clone());
        let object = row.object().to_string();
        let mut row = Some(row);
        self.push_parts(&rule, &severity, &effect, &object, || {
            row.take().unwrap_or_default()
        });
    }

    /// Counts one finding from its parts; `row` is called only when the finding is kept as a
    /// sample, so the millions of rows that are only counted allocate nothing.
    pub fn push_parts(
        &mut self,
        rule: &str,
        severity: &str,
        effect: &str,
        object: &str,
        mut row: impl FnMut() -> FindingRow,
    ) {
        use std::hash::Hasher;
        self.d.total += 1;
        // DefaultHasher::new() has fixed keys: the count never depends on the run. Objects are
        // compared case-insensitively, as DNs are.
        self.buf.clear();
        self.buf.extend_from_slice(object.as_bytes());
        self.buf.make_ascii_lowercase();
        let mut h = std::hash::DefaultHasher::new();
        h.write(&self.buf);
        let key = h.finish();
        self.objects.insert(key);
        let error = severity.eq_ignore_ascii_case("error");
        if error {
            self.d.errors += 1;
            self.with_errors.insert(key);
        }
        if !self.rules.contains_key(rule) {
            self.rules.insert(
                rule.to_string(),
                RuleCount {
                    rule: rule.to_string(),
                    severity: severity.to_ascii_lowercase(),
                    effect: effect.to_string(),
                    ..Default::default()
                },
            );
        }
        let Some(rc) = self.rules.get_mut(rule) else {
            return;
        };
        rc.count += 1;
        if error {
            rc.error += 1;
        } else if severity.eq_ignore_ascii_case("warning") {
            rc.warning += 1;
        } else {
            rc.info += 1;
        }
        let keep_rule = rc.samples.len() < SAMPLES_PER_RULE;
        let keep_sample = self.d.sample.len() < SAMPLE_FINDINGS;
        if keep_rule || keep_sample {
            let r = row();
            if keep_rule {
                rc.samples.push(r.clone());
            }
            if keep_sample {
                self.d.sample.push(r);
            }
        }
    }

    pub fn finish(mut self) -> FindingsDigest {
        self.d.available = true;
        self.d.objects = self.objects.len() as u64;
        self.d.objects_with_errors = self.with_errors.len() as u64;
        let mut v: Vec<RuleCount> = self.rules.into_values().collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(&b.rule)));
        self.d.by_rule = v;
        self.d
    }
}

impl FindingsDigest {
    pub fn from_rows(rows: impl IntoIterator<Item = FindingRow>) -> FindingsDigest {
        let mut d = FindingsDigester::default();
        for r in rows {
            d.push(r);
        }
        d.finish()
    }

    /// Streams `findings.csv` (UTF-8, with or without BOM; columns found by name).
    pub fn read_csv(path: &Path) -> Result<FindingsDigest, ReportError> {
        let mut rdr = open_csv(path)?;
        let cols = Columns::new(&mut rdr, path)?;
        let idx = |names: &[&str]| cols.find(names);
        let c = [
            idx(&["rule"]),
            idx(&["severity"]),
            idx(&["effect"]),
            idx(&["objectclass"]),
            idx(&["distinguishedname", "dn"]),
            idx(&["samaccountname"]),
            idx(&["userprincipalname", "upn"]),
            idx(&["attribute"]),
            idx(&["value"]),
            idx(&["suggestedvalue"]),
            idx(&["message"]),
        ];
        let mut d = FindingsDigester::default();
        let mut rec = csv::ByteRecord::new();
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    return Err(ReportError::Csv {
                        path: path.to_path_buf(),
                        source: e,
                    });
                }
            }
            let f = |i: Option<usize>| -> String {
                i.and_then(|i| rec.get(i))
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default()
            };
            let s = |i: Option<usize>| -> std::borrow::Cow<'_, str> {
                i.and_then(|i| rec.get(i))
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default()
            };
            let object = [s(c[4]), s(c[6]), s(c[5])]
                .into_iter()
                .find(|x| !x.is_empty())
                .unwrap_or_default();
            d.push_parts(&s(c[0]), &s(c[1]), &s(c[2]), &object, || FindingRow {
                rule: f(c[0]),
                severity: f(c[1]),
                effect: f(c[2]),
                object_class: f(c[3]),
                distinguished_name: f(c[4]),
                sam_account_name: f(c[5]),
                user_principal_name: f(c[6]),
                attribute: f(c[7]),
                value: f(c[8]),
                suggested_value: f(c[9]),
                message: f(c[10]),
            });
        }
        Ok(d.finish())
    }
}

fn open_csv(path: &Path) -> Result<csv::Reader<std::fs::File>, ReportError> {
    let file = std::fs::File::open(path).map_err(|e| ReportError::io(path, e))?;
    Ok(csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(file))
}

/// Header positions, matched case- and punctuation-insensitively (the worklists are written by
/// other stages; a renamed column degrades to an empty cell, never to a failure).
struct Columns(Vec<String>);

impl Columns {
    fn new(rdr: &mut csv::Reader<std::fs::File>, path: &Path) -> Result<Columns, ReportError> {
        let h = rdr.byte_headers().map_err(|e| ReportError::Csv {
            path: path.to_path_buf(),
            source: e,
        })?;
        Ok(Columns(
            h.iter()
                .map(|b| {
                    String::from_utf8_lossy(b)
                        .trim_start_matches('\u{feff}')
                        .chars()
                        .filter(|c| c.is_alphanumeric())
                        .flat_map(char::to_lowercase)
                        .collect()
                })
                .collect(),
        ))
    }

    fn find(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.0.iter().position(|h| h == n))
    }
}

// ---------------------------------------------------------------------------------------------
// unsynced-impact.csv

/// Reads the unsynced users, keeping the [`TOP_UNSYNCED`] largest impacts (a bounded heap
/// would be leaner, but the file has one row per unsynced SfB user, already a minority).
fn read_unsynced_csv(path: &Path) -> Result<Vec<UnsyncedUser>, ReportError> {
    let mut rdr = open_csv(path)?;
    let cols = Columns::new(&mut rdr, path)?;
    let sip = cols.find(&["sipaddress", "sip", "identity"]);
    let upn = cols.find(&["userprincipalname", "upn"]);
    let dn = cols.find(&["distinguishedname", "dn"]);
    let reasons = cols.find(&["reasons", "reason"]);
    let impact = cols.find(&["impact", "impactend", "impactattheend"]);
    let pilot = cols.find(&["impactafterpilot", "impactpilot"]);
    let mut out: Vec<UnsyncedUser> = Vec::new();
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(ReportError::Csv {
                    path: path.to_path_buf(),
                    source: e,
                });
            }
        }
        let f = |i: Option<usize>| -> String {
            i.and_then(|i| rec.get(i))
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default()
        };
        let n = |i: Option<usize>| f(i).trim().parse::<u64>().unwrap_or(0);
        out.push(UnsyncedUser {
            sip_address: f(sip),
            user_principal_name: f(upn),
            distinguished_name: f(dn),
            reasons: f(reasons)
                .split([';', '|'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            impact: n(impact),
            impact_after_pilot: n(pilot),
        });
        // Keep memory bounded: re-rank and cut whenever the buffer doubles.
        if out.len() >= TOP_UNSYNCED * 8 {
            out = rank_unsynced(out);
        }
    }
    Ok(rank_unsynced(out))
}

// ---------------------------------------------------------------------------------------------
// waves.csv

/// Users per move wave.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WavesDigest {
    pub users: u64,
    /// (wave, users), in wave order.
    pub waves: Vec<(String, u64)>,
}

impl WavesDigest {
    pub fn read_csv(path: &Path) -> Result<WavesDigest, ReportError> {
        let mut rdr = open_csv(path)?;
        let cols = Columns::new(&mut rdr, path)?;
        let wave = cols
            .find(&["wave", "wavenumber"])
            .or_else(|| cols.0.iter().position(|h| h.contains("wave")));
        // Numeric waves (the usual case) are counted without allocating; others by name.
        let mut numbered: BTreeMap<u64, u64> = BTreeMap::new();
        let mut named: BTreeMap<String, u64> = BTreeMap::new();
        let mut users = 0;
        let mut rec = csv::ByteRecord::new();
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    return Err(ReportError::Csv {
                        path: path.to_path_buf(),
                        source: e,
                    });
                }
            }
            users += 1;
            let w = wave
                .and_then(|i| rec.get(i))
                .unwrap_or_default()
                .trim_ascii();
            match std::str::from_utf8(w)
                .ok()
                .and_then(|x| x.parse::<u64>().ok())
            {
                Some(n) => *numbered.entry(n).or_default() += 1,
                None => {
                    let name = String::from_utf8_lossy(w);
                    match named.get_mut(name.as_ref()) {
                        Some(c) => *c += 1,
                        None => {
                            named.insert(name.into_owned(), 1);
                        }
                    }
                }
            }
        }
        // Numbered waves in numeric order (2 before 10), then named ones.
        let waves = numbered
            .into_iter()
            .map(|(n, c)| (n.to_string(), c))
            .chain(named)
            .collect();
        Ok(WavesDigest { users, waves })
    }
}

// ---------------------------------------------------------------------------------------------
// Batch comparison

/// One variant of a batch, as the comparison report shows it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct VariantRow {
    pub name: String,
    /// `sfb_synced / sfb_users`, when the sync simulation ran.
    pub coverage: Option<f64>,
    pub sfb_unsynced: Option<u64>,
    pub breaks: Option<Breaks>,
    /// Blockers per step, in step order.
    pub steps: Vec<VariantStep>,
    pub score: Option<u32>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct VariantStep {
    pub id: String,
    pub status: Status,
    pub blockers: u64,
}

impl VariantRow {
    /// The row of a variant's summary.
    pub fn from_summary(name: impl Into<String>, s: &Summary) -> VariantRow {
        VariantRow {
            name: name.into(),
            coverage: s.sync.as_ref().map(|x| x.coverage),
            sfb_unsynced: s.sync.as_ref().map(|x| x.sfb_unsynced),
            breaks: s.breaks,
            steps: s
                .steps
                .iter()
                .flatten()
                .map(|st| VariantStep {
                    id: st.id.clone(),
                    status: st.status,
                    blockers: st.blockers.len() as u64,
                })
                .collect(),
            score: s.score,
        }
    }

    pub fn total_blockers(&self) -> u64 {
        self.steps.iter().map(|s| s.blockers).sum()
    }
}
