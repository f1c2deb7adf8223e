//! On a 10,000-user directory written by `generate` with defects of every rule family: every
//! injected defect is found by its rule, no deliberate non-defect is, and objects without a defect
//! get no `error` finding (beyond the directory-wide conditions the manifest names, such as every
//! user of the `.local` domain having a non-routable UPN suffix).

use hybridready::directory::ObjectId;
use hybridready::generate::{Dialect, GenerateOptions, generate};
use hybridready::ingest::{IngestOptions, ingest};
use hybridready::rules::{RuleContext, Severity, evaluate};
use std::collections::{BTreeMap, HashMap, HashSet};

#[test]
fn every_injected_defect_is_found_and_clean_objects_have_no_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ps7");
    let report = generate(&GenerateOptions {
        users: 10_000,
        seed: 31,
        dialect: Dialect::Ps7,
        out: out.clone(),
        with_defects: true,
        affinity: false,
    })
    .unwrap();
    let m = report.manifest;
    let ing = ingest(&[out], &IngestOptions::default()).unwrap();
    let dir = &ing.directory;
    let findings = evaluate(dir, &RuleContext::default());
    let mut by_object: HashMap<ObjectId, HashSet<&str>> = HashMap::new();
    for f in &findings {
        by_object.entry(f.object).or_default().insert(f.rule.id);
    }
    let object = |dn: &str| {
        dir.object_by_dn(dn)
            .unwrap_or_else(|| panic!("{dn} not in the directory"))
    };

    // Every injected defect, by its rule, on its object.
    let mut families = HashSet::new();
    for d in &m.defects {
        let o = object(&d.dn);
        let rules = by_object.get(&o).cloned().unwrap_or_default();
        assert!(
            rules.contains(d.rule.as_str()),
            "{} on {} not found; found {rules:?}",
            d.rule,
            d.dn
        );
        families.insert(d.rule.split('-').next().unwrap_or("").to_string());
    }
    for f in [
        "UPN", "SAM", "DN", "GN", "MAIL", "NICK", "PA", "TA", "CONTACT", "DL", "CERT", "SIP",
    ] {
        assert!(
            families.contains(f),
            "no injected defect of the {f}-* family"
        );
    }
    // Entra Connect's out-of-box exclusions of the built-in and system accounts.
    for a in &m.system_accounts {
        if let Some(rule) = &a.expected_exclusion {
            let rules = by_object.get(&object(&a.dn)).cloned().unwrap_or_default();
            assert!(
                rules.contains(rule.as_str()),
                "{rule} on {} not found",
                a.dn
            );
        }
    }
    // Deliberate non-defects (an apostrophe in a UPN, X500 proxies with spaces and parentheses).
    for d in &m.non_defects {
        if let Some(o) = dir.object_by_dn(&d.dn) {
            let rules = by_object.get(&o).cloned().unwrap_or_default();
            assert!(
                !rules.contains(d.rule.as_str()),
                "{} wrongly found on {}",
                d.rule,
                d.dn
            );
        }
    }
    // Objects without a defect: no error finding, except the directory-wide conditions the
    // manifest counts (its `systemic` entries), which must then add up exactly.
    let defect_objects: HashSet<ObjectId> = m
        .defects
        .iter()
        .map(|d| object(&d.dn))
        .chain(m.system_accounts.iter().map(|a| object(&a.dn)))
        .collect();
    let mut systemic: BTreeMap<&str, u64> = BTreeMap::new();
    for s in &m.systemic {
        *systemic.entry(s.rule.as_str()).or_default() += s.count as u64;
    }
    // The systemic conditions are counted whatever their severity (UPN-TLD, which alters the
    // value, is a warning), so the manifest's counts are held to account.
    let mut unexpected: BTreeMap<&str, u64> = BTreeMap::new();
    for f in &findings {
        let counted = f.severity == Severity::Error || systemic.contains_key(f.rule.id);
        if counted && !defect_objects.contains(&f.object) {
            *unexpected.entry(f.rule.id).or_default() += 1;
        }
    }
    // A systemic condition can also hold on an object that carries an injected defect (a `.local`
    // user with a bad UPN character): those are counted among the defect objects instead.
    for (rule, n) in &unexpected {
        let expected = systemic.get(rule).copied().unwrap_or(0);
        let on_defect_objects = findings
            .iter()
            .filter(|f| f.rule.id == *rule && defect_objects.contains(&f.object))
            .map(|f| f.object)
            .collect::<HashSet<_>>()
            .len() as u64;
        assert!(
            *n <= expected && *n + on_defect_objects >= expected,
            "{n} {rule} finding(s) on objects without an injected defect; the manifest \
             counts {expected} directory-wide"
        );
    }
}
