//! Fuzzing by byte mutation, with proptest (cargo-fuzz needs a nightly compiler this project
//! does not use): the CSV reader, the encoding detection, the XLSX reader, the DN parser and the
//! scenario parser never panic, whatever they are fed. The seeds are the Contoso sample's files
//! and, when it is beside the repository, the real exports of `../shared/corpus/`; each case
//! overwrites, inserts, deletes or repeats a few bytes of one seed.
//!
//! CI runs a short pass; a longer one is `PROPTEST_CASES=20000 cargo test --release --test fuzz`.
//! A crash found is kept as a regression test below it, named after what broke.

#[path = "common/corpus.rs"]
mod corpus;

use hybridready::ingest::{IngestOptions, ingest};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// Seed files by kind: (extension, bytes), at most 64 KiB of each, so a case stays fast.
fn seeds(extensions: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/contoso")];
    if let Some(c) = corpus::root("fuzz seeds") {
        dirs.push(c);
    }
    let mut files: Vec<PathBuf> = Vec::new();
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let ext = p.extension()?.to_str()?.to_ascii_lowercase();
            if !extensions.contains(&ext.as_str()) {
                return None;
            }
            let mut bytes = std::fs::read(&p).ok()?;
            // A workbook cut short is only a broken zip: keep it whole (the samples are small).
            if ext != "xlsx" {
                bytes.truncate(64 << 10);
            }
            Some((ext, bytes))
        })
        .collect()
}

/// One edit of a seed: at `at` (taken modulo the length), overwrite, insert, delete or repeat.
#[derive(Clone, Debug)]
enum Edit {
    Overwrite(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Repeat(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let byte = prop_oneof![
        Just(b','),
        Just(b';'),
        Just(b'"'),
        Just(b'\n'),
        Just(b'\r'),
        Just(b'\\'),
        Just(b'='),
        Just(0u8),
        Just(0xFFu8),
        any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(a, b)| Edit::Overwrite(a, b)),
        (any::<usize>(), byte).prop_map(|(a, b)| Edit::Insert(a, b)),
        (any::<usize>(), 1usize..64).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), 1usize..256).prop_map(|(a, n)| Edit::Repeat(a, n)),
    ]
}

fn mutate(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len().max(1);
        match *e {
            Edit::Overwrite(at, b) => {
                if let Some(x) = bytes.get_mut(at % len) {
                    *x = b;
                }
            }
            Edit::Insert(at, b) => bytes.insert(at % (bytes.len() + 1), b),
            Edit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Edit::Repeat(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                let chunk = bytes.get(at..end).unwrap_or_default().to_vec();
                bytes.splice(at..at, chunk);
            }
        }
    }
    bytes
}

/// Ingests `bytes` as a file of extension `ext`; every input's rows add up. A file that is no
/// export at all (a JSON document of no cmdlet) is the one error allowed: "no export found".
fn ingest_bytes(ext: &str, bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(format!("users.{ext}"));
    std::fs::write(&p, bytes).unwrap();
    let ing = match ingest(&[p], &IngestOptions::default()) {
        Ok(ing) => ing,
        Err(hybridready::ingest::IngestError::NoInputs(_)) => return,
        Err(e) => panic!("{e}"),
    };
    for r in &ing.inputs {
        assert_eq!(r.rows, r.accepted + r.merged + r.rejected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn csv_files_mutated_never_panic(
        pick in any::<usize>(),
        edits in proptest::collection::vec(edit(), 1..12),
    ) {
        let seeds = seeds(&["csv", "txt", "tsv"]);
        let (ext, bytes) = &seeds[pick % seeds.len()];
        ingest_bytes(ext, &mutate(bytes.clone(), &edits));
    }

    #[test]
    fn encoding_detection_of_mutated_files_never_panics(
        pick in any::<usize>(),
        edits in proptest::collection::vec(edit(), 1..12),
    ) {
        let seeds = seeds(&["csv", "txt", "tsv"]);
        let bytes = mutate(seeds[pick % seeds.len()].1.clone(), &edits);
        let d = hybridready::ingest::encoding::decode(&bytes);
        prop_assert!(d.encoding.replaced_lines.len() <= d.encoding.replaced);
    }

    #[test]
    fn workbooks_mutated_never_panic(
        pick in any::<usize>(),
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        let seeds = seeds(&["xlsx"]);
        let (ext, bytes) = &seeds[pick % seeds.len()];
        ingest_bytes(ext, &mutate(bytes.clone(), &edits));
    }

    #[test]
    fn configuration_exports_mutated_never_panic(
        pick in any::<usize>(),
        edits in proptest::collection::vec(edit(), 1..12),
    ) {
        // The sample's config/: JSON, CLIXML and Format-List text.
        let seeds = seeds(&["json", "xml"])
            .into_iter()
            .chain(seeds(&["txt"]).into_iter().filter(|(_, b)| b.contains(&b':')))
            .collect::<Vec<_>>();
        let (ext, bytes) = &seeds[pick % seeds.len()];
        ingest_bytes(ext, &mutate(bytes.clone(), &edits));
    }

    #[test]
    fn scenarios_mutated_never_panic(
        pick in any::<usize>(),
        edits in proptest::collection::vec(edit(), 1..12),
    ) {
        let seeds = seeds(&["toml"]);
        let bytes = mutate(seeds[pick % seeds.len()].1.clone(), &edits);
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(s) = hybridready::assessment::scenario::Scenario::parse(&text, "fuzz.toml") {
            let _ = hybridready::sim::waves::check_settings(&s);
        }
    }

    #[test]
    fn distinguished_names_of_any_shape_never_panic(
        dn in proptest::collection::vec(
            prop_oneof![
                Just(','), Just('='), Just('\\'), Just('"'), Just('+'), Just(' '), Just('#'),
                Just(';'), Just('é'), Just('\u{FFFD}'), Just('C'), Just('N'), Just('O'),
                Just('U'), Just('D'), Just('c'), Just('x'), Just('0'), Just('F'),
            ],
            0..80,
        ).prop_map(|c| c.into_iter().collect::<String>())
    ) {
        use hybridready::directory::dn;
        let _ = dn::rdns(&dn).count();
        let _ = dn::parent(&dn);
        let _ = dn::first_rdn_value(&dn);
        let _ = dn::domain_of(&dn);
        let _ = dn::DnKey::of(&dn, dn::DnLimits::DEFAULT);
        if let Ok(k) = dn::canonical_key(&dn) {
            // A canonical key is its own key.
            let again = dn::canonical_key(&k).map(|c| c.into_owned());
            prop_assert_eq!(again.as_deref(), Ok(k.as_ref()));
        }
    }
}

/// Found by `distinguished_names_of_any_shape_never_panic` (20,000 cases): an RDN whose type was
/// `\,` gave a canonical key that did not read back as itself. Such a value is not a DN.
#[test]
fn a_dn_whose_type_is_not_a_name_is_not_a_dn() {
    use hybridready::directory::dn;
    assert_eq!(
        dn::canonical_key(" \\,=\"+,="),
        Err(dn::DnError::NoAttributeType)
    );
    assert!(dn::canonical_key("CN=Smith\\, John,OU=Staff,DC=contoso,DC=com").is_ok());
    assert!(dn::canonical_key("2.5.4.3=x,DC=contoso").is_ok());
}
