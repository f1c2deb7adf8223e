//! A poorer export never scores better (issue 23): from a generated directory, every column of
//! every file is dropped in turn (and a few groups of columns together); the assessment of what
//! is left never has a higher score, a better verdict, or a check with a better status than the
//! assessment of the whole export. A check whose data is gone says "not provided"; it never
//! passes on zero objects.

use hybridready::assessment::{Assessment, CheckId, Fact, Scenario, Status};
use hybridready::generate::{Dialect, GenerateOptions, generate};
use hybridready::ingest::IngestOptions;
use hybridready::pipeline;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// 2026-11-26 00:00:00 UTC.
const EPOCH: i64 = 1_795_651_200;

/// One CSV file as its records of raw fields (quotes kept), so that a column can be dropped
/// without rewriting any value.
struct Table {
    records: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Table {
        let text = std::fs::read_to_string(path).unwrap();
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        for c in text.chars() {
            match c {
                '"' => {
                    quoted = !quoted;
                    field.push(c);
                }
                ',' if !quoted => record.push(std::mem::take(&mut field)),
                '\n' if !quoted => {
                    record.push(
                        std::mem::take(&mut field)
                            .trim_end_matches('\r')
                            .to_string(),
                    );
                    records.push(std::mem::take(&mut record));
                }
                _ => field.push(c),
            }
        }
        if !field.is_empty() || !record.is_empty() {
            record.push(field);
            records.push(record);
        }
        Table { records }
    }

    fn header(&self) -> Vec<String> {
        self.records[0]
            .iter()
            .map(|h| h.trim_matches('"').to_string())
            .collect()
    }

    /// The table without the columns named (ignoring case).
    fn write_without(&self, path: &Path, drop: &[&str]) {
        let keep: Vec<bool> = self
            .header()
            .iter()
            .map(|h| !drop.iter().any(|d| d.eq_ignore_ascii_case(h)))
            .collect();
        let mut out = String::new();
        for r in &self.records {
            let fields: Vec<&str> = r
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(f, _)| f.as_str())
                .collect();
            out.push_str(&fields.join(","));
            out.push('\n');
        }
        std::fs::write(path, out).unwrap();
    }
}

/// A scenario that answers every key with the value a ready deployment has, so that the score
/// of the whole export is decided by the exports, and a drop shows.
/// No pilot: a pilot named by DN cannot be found once the DN column is dropped.
fn scenario(connect: &str) -> Scenario {
    let text = format!(
        r#"name = "poorer"
[tenant]
name = "Generated"
initial_domain = "generated.onmicrosoft.com"
verified_domains = ["contoso.com", "fabrikam.com"]
shared_sip_address_space = true
target = "teams"
tenants = 1
teams_enabled = true
federation_enabled = true
open_federation = true
global_upgrade_policy = "SfBWithTeamsCollab"
allowed_domains = []
blocked_domains = []
[federation]
allow_federated_users = true
allow_outside_users = true
use_dns_srv_routing = true
enable_partner_discovery = true
hosting_provider = "sipfed.online.lync.com"
hosting_provider_enabled = true
shared_address_space = true
hosts_ocs_users = true
verification_level = "UseSourceVerification"
federation_edge_pools = 1
server_versions = ["SfBSE 7.0.2046.820"]
hybrid_forests = 1
tls12 = true
oauth = true
teams_module_version = "7.1.0"
ucs_enabled = false
allowed_domains = []
blocked_domains = []
[sync]
resource_forest = false
database = "sql"
connect_version = "{connect}"
[dns]
sip_federation_srv = ["contoso.com", "fabrikam.com"]
[licenses]
teams_and_sfbo_assigned = true
phone_system_assigned = true
audio_conferencing_assigned = true
"#
    );
    Scenario::parse(&text, "poorer.toml").unwrap()
}

fn assess(inputs: &Path, s: &Scenario) -> Assessment {
    let loaded = pipeline::load(&[inputs.to_path_buf()], &[s], IngestOptions::default()).unwrap();
    let outcome = pipeline::run(&loaded, s, EPOCH).unwrap();
    pipeline::assessment(
        &loaded,
        pipeline::Context {
            scenario: s,
            scenario_file: None,
            customer: None,
            assessed_at: EPOCH,
        },
        outcome,
    )
}

/// How bad a check's outcome is: pass, warn, then fail; a check not provided ranks with a
/// failure, which is what it costs (`sim::score`): it may hide one.
fn gravity(status: Status, fact: &Fact) -> u8 {
    match (status, fact) {
        (_, Fact::NotProvided { .. }) | (Status::Fail, _) => 2,
        (Status::Warn, _) => 1,
        (Status::Pass, _) => 0,
    }
}

fn outcomes(a: &Assessment) -> BTreeMap<CheckId, (u8, &Fact)> {
    a.steps
        .iter()
        .flat_map(|s| &s.checks)
        .map(|c| (c.id, (gravity(c.status, &c.fact), &c.fact)))
        .collect()
}

/// What makes `poorer` better than `full`, if anything.
fn improvements(full: &Assessment, poorer: &Assessment) -> Vec<String> {
    let mut v = Vec::new();
    if poorer.score.value > full.score.value {
        v.push(format!(
            "score {} → {}",
            full.score.value, poorer.score.value
        ));
    }
    if poorer.verdict < full.verdict {
        v.push(format!("verdict {:?} → {:?}", full.verdict, poorer.verdict));
    }
    let before = outcomes(full);
    for (id, (gravity, fact)) in outcomes(poorer) {
        let (was, was_fact) = before[&id];
        if gravity < was {
            v.push(format!("{id:?} {was_fact:?} → {fact:?}"));
        }
    }
    v
}

/// Every column of every file, dropped one at a time, then in groups.
fn drops(tables: &BTreeMap<PathBuf, Table>) -> Vec<Vec<String>> {
    let mut v: Vec<Vec<String>> = Vec::new();
    for t in tables.values() {
        for h in t.header() {
            if !v.iter().any(|d| d[0].eq_ignore_ascii_case(&h)) {
                v.push(vec![h]);
            }
        }
    }
    let all = |pred: &dyn Fn(&str) -> bool| -> Vec<String> {
        let mut g: Vec<String> = v.iter().map(|d| d[0].clone()).filter(|h| pred(h)).collect();
        g.dedup();
        g
    };
    let sfb = all(&|h| h.starts_with("msRTCSIP-"));
    let mail = all(&|h| {
        ["mail", "proxyAddresses", "targetAddress", "mailNickname"]
            .iter()
            .any(|m| m.eq_ignore_ascii_case(h))
    });
    let identity = vec![
        "UserPrincipalName".to_string(),
        "msRTCSIP-PrimaryUserAddress".to_string(),
    ];
    let state = all(&|h| {
        ["Enabled", "userAccountControl", "isCriticalSystemObject"]
            .iter()
            .any(|m| m.eq_ignore_ascii_case(h))
    });
    v.extend([sfb, mail, identity, state]);
    v
}

#[test]
fn dropping_columns_never_improves_the_assessment() {
    let tmp = tempfile::tempdir().unwrap();
    let full_dir = tmp.path().join("full");
    generate(&GenerateOptions {
        users: 150,
        seed: 7,
        dialect: Dialect::Ps7,
        out: full_dir.clone(),
        with_defects: true,
        affinity: false,
    })
    .unwrap();
    let tables: BTreeMap<PathBuf, Table> = std::fs::read_dir(&full_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| (p.clone(), Table::read(&p)))
        .collect();
    std::fs::remove_file(full_dir.join("manifest.json")).ok();
    // Twice: with every setting ready, and with an Entra Connect build past its cut-off (a
    // failing check the drops must not hide).
    for connect in ["2.5.79.0", "2.4.18.0"] {
        let s = scenario(connect);
        let full = assess(&full_dir, &s);
        let mut failures = Vec::new();
        for (i, drop) in drops(&tables).iter().enumerate() {
            let dir = tmp.path().join(format!("drop-{i}"));
            std::fs::create_dir_all(&dir).unwrap();
            let names: Vec<&str> = drop.iter().map(String::as_str).collect();
            for (path, t) in &tables {
                t.write_without(&dir.join(path.file_name().unwrap()), &names);
            }
            let poorer = assess(&dir, &s);
            let better = improvements(&full, &poorer);
            if !better.is_empty() {
                failures.push(format!(
                    "without {}: {}",
                    names.join(", "),
                    better.join("; ")
                ));
            }
            std::fs::remove_dir_all(&dir).unwrap();
        }
        assert!(
            failures.is_empty(),
            "Entra Connect {connect}, full export scores {} ({:?}); poorer exports do better:\n{}",
            full.score.value,
            full.verdict,
            failures.join("\n")
        );
    }
}
