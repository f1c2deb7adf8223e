//! Real exports made by other people (`../shared/corpus/`): each must ingest to the counts its
//! README gives, or be refused with a reason; none may make the tool panic.

use hybridready::directory::DirectoryCounts;
use hybridready::graph::DirectoryGraph;
use hybridready::ingest::{IngestOptions, InputStatus, ingest};
#[path = "common/corpus.rs"]
mod corpus_dir;

use corpus_dir::root;
use std::path::PathBuf;

fn counts(paths: &[PathBuf]) -> (DirectoryCounts, hybridready::ingest::Ingested) {
    let ing = ingest(paths, &IngestOptions::default()).expect("ingest");
    for r in &ing.inputs {
        assert_eq!(
            r.rows,
            r.accepted + r.merged + r.rejected,
            "row accounting of {}",
            r.display_name()
        );
    }
    (ing.directory.counts(), ing)
}

#[test]
fn adrecon_folder_csv_files() {
    let Some(corpus) = root("adrecon_folder_csv_files") else {
        return;
    };
    let files: Vec<PathBuf> = [
        "Users.csv",
        "Groups.csv",
        "GroupMembers.csv",
        "OUs.csv",
        "Domain.csv",
        "Trusts.csv",
    ]
    .iter()
    .map(|f| corpus.join(format!("adrecon-2018/{f}")))
    .collect();
    let (c, ing) = counts(&files);
    assert_eq!((c.users, c.groups, c.memberships), (19, 56, 57));
    assert_eq!(c.ous, 4);
    assert_eq!(ing.directory.trusts().len(), 1);
    let names: Vec<&str> = ing
        .directory
        .domains()
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(names, ["sos.labs", "pim.sos.labs"]);
    // The domain record gives the NetBIOS name and SID.
    let d = &ing.directory.domains()[0];
    assert_eq!(d.netbios.as_deref(), Some("sos"));
    assert_eq!(
        d.sid.as_deref(),
        Some("S-1-5-21-2872888145-3513486857-3924934394")
    );
    let gm = ing
        .inputs
        .iter()
        .find(|r| r.path.ends_with("GroupMembers.csv"))
        .unwrap();
    assert_eq!((gm.rows, gm.accepted, gm.rejected), (38, 38, 0));
    assert_eq!(ing.directory.unresolved().1, 0);
}

#[test]
fn adrecon_workbook_alone() {
    let Some(corpus) = root("adrecon_workbook_alone") else {
        return;
    };
    let (c, ing) = counts(&[corpus.join("adrecon-2018/sos.labs-ADRecon-Report.xlsx")]);
    assert_eq!((c.users, c.groups, c.memberships), (19, 56, 57));
    assert_eq!(c.ous, 4);
    // Summary sheets are skipped, data sheets are read by name.
    let read: Vec<&str> = ing
        .inputs
        .iter()
        .filter(|r| r.status == InputStatus::Read)
        .filter_map(|r| r.sheet.as_deref())
        .collect();
    for s in [
        "Users",
        "Groups",
        "Group Members",
        "OUs",
        "Domain",
        "Trusts",
    ] {
        assert!(read.contains(&s), "sheet {s} read: {read:?}");
    }
    assert!(
        ing.inputs
            .iter()
            .any(|r| r.sheet.as_deref() == Some("User Stats") && r.status == InputStatus::Ignored)
    );
}

#[test]
fn adrecon_folder_and_workbook_merge_without_conflicts() {
    let Some(corpus) = root("adrecon_folder_and_workbook_merge_without_conflicts") else {
        return;
    };
    let (c, ing) = counts(&[corpus.join("adrecon-2018")]);
    assert_eq!((c.users, c.groups, c.memberships), (19, 56, 57));
    assert_eq!(ing.directory.conflicts().1, 0);
    let graph = DirectoryGraph::build(&ing.directory);
    assert_eq!(graph.edges.member_of, 57);
    assert_eq!(graph.edges.trust, 1);
}

#[test]
fn powershell_files_give_their_user_counts() {
    let Some(corpus) = root("powershell_files_give_their_user_counts") else {
        return;
    };
    for (file, users, encoding, delimiter) in [
        ("get-aduser-properties-all.csv", 13, "ASCII", ","),
        ("utf16le-semicolon.csv", 24, "UTF-16LE (BOM)", ";"),
        ("excel-cp1252-semicolon.csv", 13, "windows-1252", ";"),
        ("quoted-with-bare-nulls.csv", 4, "ASCII", ","),
    ] {
        let (c, ing) = counts(&[corpus.join(format!("powershell/{file}"))]);
        assert_eq!(c.users, users, "{file}");
        let r = &ing.inputs[0];
        assert_eq!(r.encoding.as_deref(), Some(encoding), "{file}");
        assert_eq!(r.delimiter.as_deref(), Some(delimiter), "{file}");
        assert_eq!(r.rejected, 0, "{file}");
    }
}

#[test]
fn cp1252_letters_survive() {
    let Some(corpus) = root("cp1252_letters_survive") else {
        return;
    };
    let (_, ing) = counts(&[corpus.join("powershell/excel-cp1252-semicolon.csv")]);
    let d = &ing.directory;
    let found = d
        .ids()
        .any(|id| d.value(id, hybridready::directory::Attr::Surname) == Some("Jäynä"));
    assert!(found);
}

#[test]
fn lost_collections_are_reported_with_the_fix() {
    let Some(corpus) = root("lost_collections_are_reported_with_the_fix") else {
        return;
    };
    let (_, ing) = counts(&[corpus.join("powershell/get-aduser-properties-all.csv")]);
    let r = &ing.inputs[0];
    assert_eq!(r.data_lost.get("MemberOf"), Some(&13));
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("MemberOf") && n.contains("-join ';'"))
    );
    // A lost MemberOf is unknown, so no memberships come from it.
    assert_eq!(ing.directory.membership_count(), 0);
}

#[test]
fn hashtable_export_is_refused_with_the_reason() {
    let Some(corpus) = root("hashtable_export_is_refused_with_the_reason") else {
        return;
    };
    let (c, ing) = counts(&[corpus.join("powershell/broken-hashtable-export.csv")]);
    assert_eq!(c.users, 0);
    let r = &ing.inputs[0];
    assert_eq!(r.status, InputStatus::Refused);
    let refusal = r.refusal.as_ref().unwrap();
    assert_eq!(*refusal, hybridready::assessment::Refusal::Hashtables);
    // Worded for the consultant, with what to do.
    let t = hybridready::report::Lang::En.catalog();
    let hint = hybridready::report::words::refusal_hint(t, refusal);
    assert!(hint.contains("[pscustomobject]$_"), "{hint}");
}

#[test]
fn cli_reads_every_corpus_file_without_panicking() {
    let Some(corpus) = root("cli_reads_every_corpus_file_without_panicking") else {
        return;
    };
    let mut files = Vec::new();
    for dir in ["adrecon-2018", "powershell"] {
        for e in std::fs::read_dir(corpus.join(dir)).unwrap() {
            files.push(e.unwrap().path());
        }
    }
    for f in files {
        let out = assert_cmd::Command::cargo_bin("hybridready")
            .unwrap()
            .arg("inspect")
            .arg(&f)
            .output()
            .unwrap();
        let code = out.status.code();
        assert!(
            matches!(code, Some(0) | Some(2)),
            "{}: exit {code:?}\n{}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
}
