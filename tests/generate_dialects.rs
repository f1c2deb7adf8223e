//! Every dialect writes parseable files in the right encoding and layout, and what a reader
//! derives from them agrees with the manifest.

mod generate_util;

#[path = "common/corpus.rs"]
mod corpus_dir;
use calamine::{Data, Reader, open_workbook_auto};
use generate_util::*;
use hybridready::generate::{Dialect, Manifest};

const N: usize = 240;
const SEED: u64 = 20_250_630;

fn check_counts(d: Dialect, m: &Manifest, got: &Derived) {
    assert_eq!(got.users, m.users, "{d}: users");
    assert_eq!(got.groups, m.groups, "{d}: groups");
    assert_eq!(got.ous, m.ous, "{d}: OUs");
    assert_eq!(got.memberships, m.memberships, "{d}: memberships");
    if d != Dialect::Adrecon {
        assert_eq!(got.contacts, m.contacts, "{d}: contacts");
        assert_eq!(got.domains, m.domains, "{d}: domains");
    }
    if let Some(s) = got.sfb_users {
        assert_eq!(s, m.sfb_users, "{d}: SfB users");
    }
}

fn file_rows(m: &Manifest, path: &str) -> u64 {
    m.files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} not in manifest"))
        .rows
}

#[test]
fn every_csv_dialect_agrees_with_its_manifest() {
    for d in Dialect::ALL {
        if d == Dialect::Xlsx {
            continue;
        }
        let (_t, rep) = make(d, N, SEED);
        let out = rep.files.last().unwrap().parent().unwrap().to_path_buf();
        let got = derive(d, &out);
        check_counts(d, &rep.manifest, &got);
        for f in &rep.files {
            assert!(f.exists(), "{} missing", f.display());
        }
        // No temporary file is left behind.
        let leftovers: Vec<_> = walk(&out)
            .into_iter()
            .filter(|p| p.file_name().unwrap().to_string_lossy().contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

fn walk(p: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(p).unwrap() {
        let e = e.unwrap().path();
        if e.is_dir() {
            out.extend(walk(&e));
        } else {
            out.push(e);
        }
    }
    out
}

#[test]
fn the_directory_is_the_same_in_every_dialect() {
    let base = make(Dialect::Ps7, 150, 9).1.manifest;
    for d in Dialect::ALL {
        let m = make(d, 150, 9).1.manifest;
        assert_eq!(
            (
                m.users,
                m.groups,
                m.contacts,
                m.ous,
                m.memberships,
                m.sfb_users,
                m.sfb_online
            ),
            (
                base.users,
                base.groups,
                base.contacts,
                base.ous,
                base.memberships,
                base.sfb_users,
                base.sfb_online
            ),
            "{d}"
        );
    }
}

#[test]
fn ps51_is_ascii_with_type_line_and_question_marks() {
    let (_t, rep) = make(Dialect::Ps51, N, SEED);
    let out = rep.files[0].parent().unwrap();
    let bytes = std::fs::read(out.join("users.csv")).unwrap();
    assert!(bytes.is_ascii());
    assert!(
        bytes.starts_with(
            b"#TYPE Microsoft.ActiveDirectory.Management.ADUser\r\n\"accountExpires\","
        )
    );
    assert!(
        bytes.windows(2).filter(|w| w == b"\r\n").count() as u64 >= rep.manifest.users as u64 + 2
    );
    assert!(
        !bytes.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r'),
        "bare LF"
    );
    let text = String::from_utf8(bytes).unwrap();
    // Accented names became `?`, and nulls are bare empty fields.
    assert!(text.contains('?'));
    assert!(text.contains(",,"));
    let g = std::fs::read(out.join("groups.csv")).unwrap();
    assert!(g.starts_with(b"#TYPE Microsoft.ActiveDirectory.Management.ADGroup\r\n"));
    let c = std::fs::read(out.join("contacts.csv")).unwrap();
    assert!(c.starts_with(b"#TYPE Microsoft.ActiveDirectory.Management.ADObject\r\n"));
    // DNs stay unique after folding.
    let t = read_csv(&out.join("users.csv"), Enc::Ascii, b',');
    let dns: std::collections::HashSet<_> = (0..t.rows.len())
        .map(|i| t.col(i, "DistinguishedName").to_lowercase())
        .collect();
    assert_eq!(dns.len(), t.rows.len());
    // The manifest reports DNs as exported.
    for e in &rep.manifest.defects {
        assert!(e.dn.is_ascii(), "{}", e.dn);
    }
}

#[test]
fn ps7_is_utf8_without_bom_and_fully_quoted() {
    let (_t, rep) = make(Dialect::Ps7, N, SEED);
    let out = rep.files[0].parent().unwrap();
    let bytes = std::fs::read(out.join("users.csv")).unwrap();
    assert!(bytes.starts_with(b"\"DistinguishedName\",\"Enabled\","));
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.chars().any(|c| "éüöøëçñ".contains(c)),
        "real accented letters"
    );
    assert!(text.ends_with("\r\n"));
    let t = read_csv(&out.join("users.csv"), Enc::Utf8, b',');
    assert!(!t.headers.iter().any(|h| h == "Members"));
    let g = read_csv(&out.join("groups.csv"), Enc::Utf8, b',');
    assert!(g.headers.iter().any(|h| h == "MemberOf"));
    assert!(!g.headers.iter().any(|h| h == "Members"));
    assert_eq!(file_rows(&rep.manifest, "users.csv"), t.rows.len() as u64);
}

#[test]
fn utf16_has_bom_and_semicolons() {
    let (_t, rep) = make(Dialect::Utf16, N, SEED);
    let out = rep.files[0].parent().unwrap();
    let bytes = std::fs::read(out.join("users.csv")).unwrap();
    assert_eq!(&bytes[..4], &[0xFF, 0xFE, b'"', 0]);
    let text = decode(&bytes, Enc::Utf16Le);
    assert!(text.starts_with("\"accountExpires\";\"CanonicalName\";"));
    assert!(text.contains('é') || text.contains('ü') || text.contains('ö'));
}

#[test]
fn excel_fr_is_cp1252_with_french_values() {
    let (_t, rep) = make(Dialect::ExcelFr, N, SEED);
    let out = rep.files[0].parent().unwrap();
    let bytes = std::fs::read(out.join("users.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "cp1252, not UTF-8");
    assert!(
        bytes.contains(&0xE9) || bytes.contains(&0xFC),
        "cp1252 é or ü"
    );
    let text = decode(&bytes, Enc::Cp1252);
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("#TYPE Microsoft.ActiveDirectory.Management.ADUser;;;"));
    let t = read_csv(&out.join("users.csv"), Enc::Cp1252, b';');
    assert_eq!(first.matches(';').count() + 1, t.headers.len());
    let enabled: Vec<&str> = (0..t.rows.len()).map(|i| t.col(i, "Enabled")).collect();
    assert!(enabled.iter().all(|v| *v == "VRAI" || *v == "FAUX"));
    assert!((0..t.rows.len()).any(|i| t.col(i, "pwdLastSet").ends_with("E+17")));
    let created = t.col(10, "whenCreated");
    assert_eq!(created.len(), 16, "dd/MM/yyyy HH:mm: {created}");
    // Quotes only where needed: MemberOf lists (holding ';') are quoted, DNs are not.
    assert!(text.contains(";\"CN="));
    assert!(text.contains(";CN="));
}

#[test]
fn csvde_is_one_sparse_cp1252_file() {
    let (_t, rep) = make(Dialect::Csvde, N, SEED);
    let out = rep.files[0].parent().unwrap();
    let bytes = std::fs::read(out.join("export.csv")).unwrap();
    assert!(bytes.starts_with(b"DN,objectClass,"));
    let text = decode(&bytes, Enc::Cp1252);
    assert!(text.contains("top;person;organizationalPerson;user"));
    assert!(text.contains(",X'0105000000000005150000"), "binary SID");
    let t = read_csv(&out.join("export.csv"), Enc::Cp1252, b',');
    let guid = t.col(0, "objectGUID");
    assert!(guid.starts_with("X'") && guid.len() == 35, "{guid}");
    // Unquoted unless a comma is inside.
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("\"DC=contoso,DC=com\",top;domain;domainDNS,")
    );
    assert_eq!(file_rows(&rep.manifest, "export.csv"), t.rows.len() as u64);
}

#[test]
fn adrecon_matches_the_2018_sample_layout() {
    let (_t, rep) = make(Dialect::Adrecon, N, SEED);
    let out = rep.files[0]
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .parent()
        .unwrap();
    let q = out.join("ADRecon-Report-contoso.com/CSV-Files");
    let users = std::fs::read(q.join("Users.csv")).unwrap();
    let header = users.split(|&b| b == b'\n').next().unwrap();
    // The header of a real ADRecon export, when the corpus is there.
    let sample = corpus_dir::root("adrecon_matches_the_2018_sample_layout")
        .map(|c| c.join("adrecon-2018/Users.csv"));
    if let Some(s) = sample.and_then(|p| std::fs::read(p).ok()) {
        assert_eq!(
            header,
            s.split(|&b| b == b'\n').next().unwrap(),
            "Users.csv header"
        );
    }
    assert!(header.starts_with(b"\"UserName\",\"Name\",\"Enabled\","));
    assert!(!users.contains(&b'\r'), "LF line endings as in the sample");
    for (f, start) in [
        ("Groups.csv", &b"\"Name\",\"AdminCount\",\"GroupCategory\",\"GroupScope\",\"ManagedBy\",\"SID\""[..]),
        ("GroupMembers.csv", b"\"Group Name\",\"Member UserName\",\"Member Name\",\"AccountType\"\n"),
        ("OUs.csv", b"\"Name\",\"Depth\",\"Description\",\"whenCreated\",\"whenChanged\",\"DistinguishedName\",\"gPLink\",\"gPOptions\"\n"),
        ("Domain.csv", b"\"Category\",\"Value\"\n\"Name\",\"contoso.com\"\n"),
        ("Trusts.csv", b"\"Source Domain\",\"Target Domain\",\"Trust Direction\",\"Trust Type\",\"Attributes\",\"whenCreated\",\"whenChanged\"\n"),
    ] {
        let b = std::fs::read(q.join(f)).unwrap();
        assert!(b.starts_with(start), "{f}");
    }
    let t = read_csv(&q.join("Users.csv"), Enc::Cp1252, b',');
    assert!(!t.headers.iter().any(|h| h == "UserPrincipalName"));
    let d = t.col(0, "whenCreated");
    assert!(d.ends_with(" AM") || d.ends_with(" PM"), "{d}");
    let m = read_csv(&q.join("GroupMembers.csv"), Enc::Cp1252, b',');
    assert!((0..m.rows.len()).any(|i| m.col(i, "Member UserName") == "-"));
    assert!(rep.manifest.notes.iter().any(|n| n.contains("no UPN")));
}

#[test]
fn csuser_has_bom_and_sfb_only() {
    let (_t, rep) = make(Dialect::CsUser, N, SEED);
    let out = rep.files[0].parent().unwrap();
    let b = std::fs::read(out.join("csusers.csv")).unwrap();
    assert!(b.starts_with(b"\xEF\xBB\xBF\"SamAccountName\",\"UserPrincipalName\",\"FirstName\""));
    let t = read_csv(&out.join("csusers.csv"), Enc::Utf8Bom, b',');
    assert!((0..t.rows.len()).all(|i| t.col(i, "Enabled") == "True"));
    assert!((0..t.rows.len()).all(|i| t.col(i, "Identity") == t.col(i, "DistinguishedName")));
    let hp: std::collections::BTreeSet<&str> = (0..t.rows.len())
        .map(|i| t.col(i, "HostingProvider"))
        .collect();
    assert!(hp.contains("SRV:") && hp.contains(""));
    let u = read_csv(&out.join("users.csv"), Enc::Utf8, b',');
    assert!(!u.headers.iter().any(|h| h.starts_with("msRTCSIP")));
}

#[test]
fn membership_lists_one_row_per_edge() {
    let (_t, rep) = make(Dialect::Membership, N, SEED);
    let out = rep.files[0].parent().unwrap();
    let t = read_csv(&out.join("group-members.csv"), Enc::Utf8, b',');
    assert_eq!(
        t.headers,
        [
            "Group",
            "distinguishedName",
            "name",
            "objectClass",
            "objectGUID",
            "SamAccountName",
            "SID"
        ]
    );
    assert_eq!(t.rows.len(), rep.manifest.memberships);
    let u = read_csv(&out.join("users.csv"), Enc::Utf8, b',');
    assert!(!u.headers.iter().any(|h| h == "MemberOf"));
}

#[test]
fn xlsx_has_typed_cells_and_a_title_block() {
    let (_t, rep) = make(Dialect::Xlsx, N, SEED);
    let path = &rep.files[0];
    let mut wb = open_workbook_auto(path).unwrap();
    assert_eq!(wb.sheet_names(), ["Summary", "Users", "Groups", "Contacts"]);
    let users = wb.worksheet_range("Users").unwrap();
    let rows: Vec<_> = users.rows().collect();
    let header = rows
        .iter()
        .position(|r| r.first() == Some(&Data::String("DistinguishedName".into())))
        .unwrap();
    assert_eq!(header, 2, "header under a two-row title block");
    assert_eq!(rows.len() - header - 1, rep.manifest.users);
    let cols: Vec<String> = rows[header].iter().map(|c| c.to_string()).collect();
    let enabled = cols.iter().position(|c| c == "Enabled").unwrap();
    assert!(matches!(rows[header + 1][enabled], Data::Bool(_)));
    let uac = cols.iter().position(|c| c == "userAccountControl").unwrap();
    assert!(matches!(
        rows[header + 1][uac],
        Data::Float(_) | Data::Int(_)
    ));
    let groups = wb.worksheet_range("Groups").unwrap();
    assert_eq!(groups.rows().count() - 1, rep.manifest.groups);
    let gcols: Vec<String> = groups
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let wc = gcols.iter().position(|c| c == "whenCreated").unwrap();
    assert!(matches!(
        groups.rows().nth(1).unwrap()[wc],
        Data::DateTime(_)
    ));
    let contacts = wb.worksheet_range("Contacts").unwrap();
    assert_eq!(contacts.rows().count() - 1, rep.manifest.contacts);
    // Memberships from MemberOf (users and groups) plus primary groups.
    let mut edges = std::collections::BTreeSet::new();
    let member_of = cols.iter().position(|c| c == "MemberOf").unwrap();
    let dn_col = 0;
    for r in &rows[header + 1..] {
        for g in split(&r[member_of].to_string()) {
            edges.insert((r[dn_col].to_string(), g));
        }
    }
    let gmo = gcols.iter().position(|c| c == "MemberOf").unwrap();
    for r in groups.rows().skip(1) {
        for g in split(&r[gmo].to_string()) {
            edges.insert((r[0].to_string(), g));
        }
    }
    assert_eq!(edges.len() + rep.manifest.users, rep.manifest.memberships);
}

#[test]
fn same_seed_same_bytes() {
    for d in Dialect::ALL {
        let (_a, ra) = make(d, 120, 77);
        let (_b, rb) = make(d, 120, 77);
        assert_eq!(ra.files.len(), rb.files.len());
        for (fa, fb) in ra.files.iter().zip(&rb.files) {
            assert_eq!(fa.file_name(), fb.file_name());
            assert!(
                std::fs::read(fa).unwrap() == std::fs::read(fb).unwrap(),
                "{d}: {}",
                fa.display()
            );
        }
        let (_c, rc) = make(d, 120, 78);
        assert_ne!(
            std::fs::read(&ra.files[0]).unwrap(),
            std::fs::read(&rc.files[0]).unwrap(),
            "{d}: another seed gives another directory"
        );
    }
}

#[test]
fn dialect_names_round_trip() {
    for d in Dialect::ALL {
        assert_eq!(d.name().parse::<Dialect>().unwrap(), d);
        assert_eq!(d.to_string().to_uppercase().parse::<Dialect>().unwrap(), d);
    }
    let e = "bogus".parse::<Dialect>().unwrap_err().to_string();
    assert!(e.contains("excel-fr") && e.contains("bogus"), "{e}");
}

#[test]
fn tiny_directories_write_in_every_dialect() {
    for n in [0, 1, 7, 21] {
        for d in Dialect::ALL {
            let (_t, rep) = make(d, n, 3);
            assert_eq!(rep.manifest.users_requested, n);
            assert!(rep.manifest.users >= n + 15, "{d} {n}");
            assert!(rep.manifest.contacts >= 3);
            if n < 50 {
                // Too few users to host every defect: the manifest says so.
                assert!(
                    n >= 21
                        || rep
                            .manifest
                            .notes
                            .iter()
                            .any(|s| s.contains("not injected"))
                );
            }
        }
    }
}

#[test]
fn too_many_users_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let opts = hybridready::generate::GenerateOptions::new(
        20_000_000,
        1,
        Dialect::Ps7,
        dir.path().join("out"),
    );
    let err = hybridready::generate::generate(&opts)
        .unwrap_err()
        .to_string();
    assert!(err.contains("at most"), "{err}");
}
