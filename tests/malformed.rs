//! Bad input is normal input: every malformed file, row or value is reported with where and
//! what was expected, counted, and never makes the tool panic.

use hybridready::ingest::{IngestOptions, InputStatus, ingest};
use proptest::prelude::*;
use std::path::PathBuf;

fn ingest_text(name: &str, bytes: &[u8]) -> hybridready::ingest::Ingested {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    let ing = ingest(&[p], &IngestOptions::default()).unwrap();
    for r in &ing.inputs {
        assert_eq!(
            r.rows,
            r.accepted + r.merged + r.rejected,
            "{}",
            r.display_name()
        );
    }
    ing
}

const HEADER: &str = "\"DistinguishedName\",\"ObjectGUID\",\"SamAccountName\",\"UserPrincipalName\",\"Enabled\",\"ObjectClass\"\r\n";

fn row(n: u32) -> String {
    format!(
        "\"CN=User {n},OU=Staff,DC=contoso,DC=com\",\"{:08x}-0000-4000-8000-000000000000\",\"user{n}\",\"user{n}@contoso.com\",\"True\",\"user\"\r\n",
        n
    )
}

#[test]
fn wrong_field_counts_and_appended_exports_are_rejected_with_lines() {
    let mut text = String::from(HEADER);
    text.push_str(&row(1));
    text.push_str("\"CN=Broken,DC=contoso,DC=com\",\"x\"\r\n");
    text.push_str(&row(2));
    // Export-Csv -Append of a second export: its #TYPE and header lines land mid-file.
    text.push_str("#TYPE Microsoft.ActiveDirectory.Management.ADUser\r\n");
    text.push_str(HEADER);
    text.push_str(&row(3));
    let ing = ingest_text("users.csv", text.as_bytes());
    let r = &ing.inputs[0];
    assert_eq!((r.rows, r.accepted, r.rejected), (6, 3, 3));
    let lines: Vec<u64> = r.rejections.iter().map(|x| x.line).collect();
    assert_eq!(lines, [3, 5, 6]);
    assert!(r.rejections[0].reason.contains("expected 6 fields"));
    assert!(r.rejections[1].reason.contains("#TYPE"));
    assert!(r.rejections[2].reason.contains("header line again"));
}

#[test]
fn bad_values_name_line_column_and_expectation() {
    let mut text = String::from(HEADER);
    text.push_str(&row(1));
    text.push_str("\"CN=Two,OU=Staff,DC=contoso,DC=com\",\"not-a-guid\",\"two\",\"two@contoso.com\",\"Maybe\",\"user\"\r\n");
    text.push_str("\"John Smith\",\"\",\"three\",\"three@contoso.com\",\"False\",\"user\"\r\n");
    let ing = ingest_text("users.csv", text.as_bytes());
    let r = &ing.inputs[0];
    assert_eq!(r.accepted, 3, "a bad value does not reject its row");
    assert_eq!(r.value_errors, 3);
    let e = &r.value_error_examples;
    assert_eq!((e[0].line, e[0].column.as_str()), (3, "ObjectGUID"));
    assert!(e[0].expected.contains("GUID"));
    assert_eq!((e[1].line, e[1].column.as_str()), (3, "Enabled"));
    assert!(e[1].expected.contains("boolean"));
    assert_eq!((e[2].line, e[2].column.as_str()), (4, "DistinguishedName"));
    assert!(e[2].expected.contains("distinguished name"));
}

#[test]
fn multiline_cells_and_embedded_delimiters() {
    let text = "Name;SamAccountName;Description\r\n\"Smith; John\";jsmith;\"line one\r\nline \"\"two\"\"\"\r\nAnn;ann;\r\n";
    let ing = ingest_text("people.csv", text.as_bytes());
    let r = &ing.inputs[0];
    assert_eq!((r.rows, r.accepted, r.rejected), (2, 2, 0));
    let d = &ing.directory;
    let desc = d
        .ids()
        .find_map(|i| d.value(i, hybridready::directory::Attr::Description))
        .unwrap();
    assert_eq!(desc, "line one\r\nline \"two\"");
}

#[test]
fn empty_binary_and_headerless_files_are_refused() {
    let ing = ingest_text("empty.csv", b"");
    assert_eq!(ing.inputs[0].status, InputStatus::Refused);
    let ing = ingest_text("binary.csv", b"\x00\x01\x02garbage\x00\xff");
    assert_eq!(ing.inputs[0].status, InputStatus::Refused);
    let ing = ingest_text("shoes.csv", b"Colour,Size\r\nred,42\r\n");
    let r = &ing.inputs[0];
    assert_eq!(r.status, InputStatus::Refused);
    assert!(matches!(
        r.refusal,
        Some(hybridready::assessment::Refusal::NoIdentityColumn { .. })
    ));
}

#[test]
fn a_upn_without_at_identifies_nothing_alone_but_is_kept_beside_an_identity() {
    let text = "SamAccountName;DisplayName;UserPrincipalName\r\n\
                ann;Ann;ann@contoso.com\r\n\
                svc;Service;svc-no-domain\r\n\
                ;;Summe\r\n";
    let ing = ingest_text("debris.csv", text.as_bytes());
    let r = &ing.inputs[0];
    assert_eq!((r.accepted, r.rejected), (2, 1), "{:?}", r.rejections);
    assert_eq!(r.rejections[0].line, 4);
    let d = &ing.directory;
    let svc = d
        .ids()
        .find(|&o| d.value(o, hybridready::directory::Attr::SamAccountName) == Some("svc"));
    assert_eq!(
        svc.and_then(|o| d.value(o, hybridready::directory::Attr::UserPrincipalName)),
        Some("svc-no-domain")
    );
}

#[test]
fn a_few_nul_bytes_are_reported_where_they_are_and_removed() {
    let ing = ingest_text(
        "nul.csv",
        b"SamAccountName,DisplayName\r\nann,Ann\r\nbob,B\x00ob\r\n",
    );
    let r = &ing.inputs[0];
    assert_eq!(
        (r.status, r.accepted, r.value_errors),
        (InputStatus::Read, 2, 1)
    );
    let e = &r.value_error_examples[0];
    assert_eq!((e.line, e.column.as_str()), (3, "DisplayName"));
    let bob = ing.directory.ids().find(|&o| {
        ing.directory
            .value(o, hybridready::directory::Attr::SamAccountName)
            == Some("bob")
    });
    assert_eq!(
        bob.and_then(|o| ing
            .directory
            .value(o, hybridready::directory::Attr::DisplayName)),
        Some("Bob")
    );
}

#[test]
fn header_only_file_has_zero_rows() {
    let ing = ingest_text("users.csv", HEADER.as_bytes());
    let r = &ing.inputs[0];
    assert_eq!((r.status, r.rows), (InputStatus::Read, 0));
}

#[test]
fn a_missing_path_is_an_error_not_a_panic() {
    let e = ingest(
        &[PathBuf::from("/nonexistent/x.csv")],
        &IngestOptions::default(),
    );
    assert!(e.is_err());
}

#[test]
fn large_file_read_in_parallel_chunks_matches_serial_counts() {
    // > 4 MiB so the parallel chunked path runs; multi-line cells straddle chunk candidates.
    let mut text = HEADER.replace(",\"ObjectClass\"", ",\"ObjectClass\",\"Description\"");
    let mut n = 0;
    while text.len() < 9 << 20 {
        let r = row(n).replace(
            "\"user\"\r\n",
            &format!("\"user\",\"first line\nsecond, \"\"{n}\"\"\"\r\n"),
        );
        text.push_str(&r);
        n += 1;
    }
    let ing = ingest_text("users.csv", text.as_bytes());
    let r = &ing.inputs[0];
    assert_eq!((r.rows, r.accepted, r.rejected), (n as u64, n as u64, 0));
    assert_eq!(ing.directory.counts().users, n as u64);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn arbitrary_csv_like_bytes_never_panic(
        body in proptest::collection::vec(
            prop_oneof![
                Just(b','), Just(b';'), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b'='),
                Just(b'\\'), Just(b'\t'), 0x20u8..0x7f, 0x80u8..0xff
            ],
            0..600,
        )
    ) {
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend(body);
        let _ = ingest_text("users.csv", &bytes);
    }
}

#[test]
fn terminal_escapes_in_names_and_values_are_shown_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    // A file name and a header with an escape sequence, a value with a bidi override.
    let name = dir.path().join("users\u{1b}]0;pwned\u{7}.csv");
    std::fs::write(
        &name,
        "DistinguishedName,UserPrincipalName,Evil\u{1b}[2J\r\n\
         \"CN=A,DC=contoso,DC=com\",a\u{202e}gpj.exe@contoso.com,x\r\n",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("hybridready")
        .unwrap()
        .arg("inspect")
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    for stream in [&text, &err] {
        assert!(
            !stream.contains('\u{1b}'),
            "raw ESC reached the terminal: {stream}"
        );
        assert!(
            !stream.contains('\u{202e}'),
            "raw override reached the terminal"
        );
    }
    assert!(text.contains("<U+001B>"), "{text}");
}

#[test]
fn an_output_folder_inside_an_input_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let exports = dir.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    std::fs::write(
        exports.join("users.csv"),
        "DistinguishedName,UserPrincipalName\r\n\"CN=A,DC=contoso,DC=com\",a@contoso.com\r\n",
    )
    .unwrap();
    for out in [exports.clone(), exports.join("assessment")] {
        let o = assert_cmd::Command::cargo_bin("hybridready")
            .unwrap()
            .arg("assess")
            .arg(&exports)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("is inside the input folder"), "{err}");
        assert!(!out.join("summary.json").exists());
    }
    // Beside the exports, it runs.
    let o = assert_cmd::Command::cargo_bin("hybridready")
        .unwrap()
        .arg("assess")
        .arg(&exports)
        .arg("--out")
        .arg(dir.path().join("assessment"))
        .arg("--no-report")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_dn_thousands_of_levels_deep_is_refused_with_the_limit() {
    // 20,000 OUs deep: each parent is interned whole, so memory grew with the square of the
    // depth (1.2 GB at 10,000 levels) and the run took half a minute. Refused by its length;
    // one under the length limit but 300 levels deep, by its depth.
    let deep: String = (0..20_000).map(|i| format!(",OU=O{i}")).collect();
    let short_deep: String = (0..300).map(|_| ",OU=a").collect();
    let mut text = String::from(HEADER);
    text.push_str(&row(1));
    text.push_str(&format!(
        "\"CN=Deep{short_deep},DC=contoso,DC=com\",\"\",\"deep\",\"deep@contoso.com\",\"True\",\"user\"\r\n"
    ));
    text.push_str(&format!(
        "\"CN=Deeper{deep},DC=contoso,DC=com\",\"\",\"deeper\",\"deeper@contoso.com\",\"True\",\"user\"\r\n"
    ));
    let long = "x".repeat(20_000);
    text.push_str(&format!(
        "\"CN={long},OU=Staff,DC=contoso,DC=com\",\"\",\"long\",\"long@contoso.com\",\"True\",\"user\"\r\n"
    ));
    let ing = ingest_text("users.csv", text.as_bytes());
    let r = &ing.inputs[0];
    let e = &r.value_error_examples;
    assert_eq!(r.value_errors, 3, "{e:?}");
    assert_eq!((e[0].line, e[0].column.as_str()), (3, "DistinguishedName"));
    assert!(
        e[0].expected.contains("at most 256 levels deep, found 303"),
        "{}",
        e[0].expected
    );
    assert_eq!(e[1].line, 4);
    assert!(
        e[1].expected.contains("at most 16384 bytes"),
        "{}",
        e[1].expected
    );
    assert!(
        ing.directory.ous().len() < 10,
        "no OU of the refused DNs is built"
    );
}

#[test]
fn a_nesting_cycle_of_100000_groups_is_found_without_recursion() {
    // Tarjan's recursion in petgraph overflowed the stack on this chain (exit 134).
    let n = 100_000;
    let mut text =
        String::from("\"DistinguishedName\",\"SamAccountName\",\"ObjectClass\",\"MemberOf\"\r\n");
    for i in 0..n {
        let parent = (i + 1) % n;
        text.push_str(&format!(
            "\"CN=G{i},OU=Groups,DC=contoso,DC=com\",\"g{i}\",\"group\",\"CN=G{parent},OU=Groups,DC=contoso,DC=com\"\r\n"
        ));
    }
    let ing = ingest_text("groups.csv", text.as_bytes());
    let cycles = hybridready::graph::nesting_cycles(&ing.directory);
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].groups.len(), n);
}

/// Links back up the tree, a pipe, a device and a second name for a file: each file read once,
/// and nothing opened that could block or never end.
#[cfg(unix)]
#[test]
fn a_folder_walk_reads_each_file_once_and_never_opens_pipes_or_devices() {
    use std::os::unix::fs::symlink;
    let root = tempfile::tempdir().unwrap();
    let a = root.path().join("a");
    std::fs::create_dir(&a).unwrap();
    let mut text = String::from(HEADER);
    text.push_str(&row(1));
    std::fs::write(a.join("users.csv"), text).unwrap();
    symlink("..", a.join("up")).unwrap();
    symlink("../a", a.join("self")).unwrap();
    symlink("/dev/zero", a.join("zero.csv")).unwrap();
    symlink("users.csv", a.join("again.csv")).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(a.join("pipe.csv"))
        .status()
        .is_ok_and(|s| s.success());
    let ing = ingest(&[root.path().to_path_buf()], &IngestOptions::default()).unwrap();
    let read: Vec<_> = ing
        .inputs
        .iter()
        .filter(|r| r.status == InputStatus::Read)
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(read, [a.join("users.csv").display().to_string()]);
    let ignored = |name: &str| {
        ing.inputs
            .iter()
            .find(|r| r.path.ends_with(name))
            .filter(|r| r.status == InputStatus::Ignored)
            .map(|r| r.details.clone())
            .unwrap_or_default()
    };
    assert!(ignored("zero.csv").contains("not a regular file"));
    assert!(ignored("again.csv").contains("the same file as"));
    if fifo {
        assert!(ignored("pipe.csv").contains("not a regular file"));
    }
    assert_eq!(ing.inputs.len(), 3 + usize::from(fifo), "{:?}", ing.inputs);
}

/// A workbook with one cell at XFD1048576: calamine's dense range asked for 17 billion cells
/// and the process was killed. Read cell by cell, it is two rows.
#[test]
fn a_workbook_cell_at_the_last_column_and_row_is_read_sparsely() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("far.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Users").unwrap();
    for (c, h) in ["DistinguishedName", "SamAccountName", "UserPrincipalName"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "CN=U1,OU=Staff,DC=contoso,DC=com")
        .unwrap();
    ws.write_string(1, 1, "u1").unwrap();
    ws.write_string(1, 2, "u1@contoso.com").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(&path).unwrap();
    let ing = ingest(&[path], &IngestOptions::default()).unwrap();
    let users = ing
        .inputs
        .iter()
        .find(|r| r.sheet.as_deref() == Some("Users"));
    assert_eq!(users.map(|r| r.accepted), Some(1), "{:?}", ing.inputs);
}

fn assess_into(exports: &std::path::Path, out: &std::path::Path) -> std::process::Output {
    assert_cmd::Command::cargo_bin("hybridready")
        .unwrap()
        .arg("assess")
        .arg(exports)
        .arg("--out")
        .arg(out)
        .arg("--no-report")
        .output()
        .unwrap()
}

/// The output folder is written whole beside and put in place at the end: a second run
/// replaces the first whole, a live run's lock refuses another, the leftovers of a run that
/// died are removed, a folder of other files is never replaced, and an output folder is never
/// read as exports.
#[test]
fn the_output_folder_is_replaced_whole_and_only_by_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let exports = dir.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    let mut text = String::from(HEADER);
    text.push_str(&row(1));
    std::fs::write(exports.join("users.csv"), &text).unwrap();
    let out = dir.path().join("assessment");
    assert_eq!(assess_into(&exports, &out).status.code(), Some(0));
    assert!(out.join(".hybridready-output").is_file());
    // A file of the first run that the second does not write goes with the first run.
    std::fs::write(out.join("stale.csv"), "from another run").unwrap();
    // A run killed half-way left its staging folder; its process is gone.
    let dead = dir.path().join(".assessment.partial-999999999");
    std::fs::create_dir(&dead).unwrap();
    assert_eq!(assess_into(&exports, &out).status.code(), Some(0));
    assert!(
        !out.join("stale.csv").exists(),
        "the folder is replaced whole"
    );
    assert!(!dead.exists(), "a dead run's staging folder is removed");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A live run holds the lock (this test's own process stands for it).
    let lock = dir.path().join(".assessment.lock");
    std::fs::write(&lock, std::process::id().to_string()).unwrap();
    let o = assess_into(&exports, &out);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is being written by another run"));
    std::fs::remove_file(&lock).unwrap();

    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "the consultant's own").unwrap();
    let o = assess_into(&exports, &mine);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("holds files that no hybridready run wrote")
    );
    assert!(mine.join("notes.txt").exists());

    let o = assess_into(&out, &dir.path().join("again"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is an output folder of hybridready"));
}

/// A workbook of which no sheet is read (one column of names) was dropped with exit 0.
#[test]
fn a_workbook_with_no_sheet_of_ad_objects_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("names.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Users").unwrap();
    for r in 0..5u32 {
        ws.write_string(r, 0, format!("name {r}")).unwrap();
    }
    wb.save(&path).unwrap();
    let ing = ingest(&[path], &IngestOptions::default()).unwrap();
    let refused: Vec<_> = ing.refused().collect();
    assert_eq!(refused.len(), 1, "{:?}", ing.inputs);
    let why = format!("{:?}", refused[0].refusal);
    assert!(
        why.contains("none of its 1 sheet(s) holds AD objects"),
        "{why}"
    );
}

/// A header written twice, or two spellings of one attribute: the input report says which is
/// read, rather than the first winning unsaid.
#[test]
fn two_columns_for_one_attribute_are_named_in_a_note() {
    let text = "\"DistinguishedName\",\"SamAccountName\",\"mail\",\"EmailAddress\",\"ObjectClass\"\r\n\
                \"CN=A,OU=S,DC=contoso,DC=com\",\"a\",\"\",\"x@contoso.com\",\"user\"\r\n";
    let ing = ingest_text("users.csv", text.as_bytes());
    let notes = &ing.inputs[0].notes;
    assert!(
        notes
            .iter()
            .any(|n| n.contains("columns \"mail\", \"EmailAddress\" all give mail")),
        "{notes:?}"
    );
    let a = ing
        .directory
        .object_by_dn("CN=A,OU=S,DC=contoso,DC=com")
        .unwrap();
    assert_eq!(
        ing.directory.value(a, hybridready::directory::Attr::Mail),
        Some("x@contoso.com"),
        "the first that is not empty"
    );
}

/// Three rows, three DNs, one objectGUID: merged as one identity (the GUID is the anchor), and
/// the DNs they disagree on are reported, not dropped unsaid. A lossy ASCII spelling of the
/// same DN (`CN=Jo?l`) is the same object and no conflict.
#[test]
fn one_guid_under_several_dns_is_a_reported_conflict() {
    let guid = "11111111-1111-4111-8111-111111111111";
    let mut text = String::from(HEADER);
    for (dn, sam) in [
        ("CN=A,OU=Staff,DC=contoso,DC=com", "a"),
        ("CN=B,OU=Staff,DC=contoso,DC=com", "a"),
        ("CN=C,OU=Staff,DC=contoso,DC=com", "a"),
    ] {
        text.push_str(&format!(
            "\"{dn}\",\"{guid}\",\"{sam}\",\"a@contoso.com\",\"True\",\"user\"\r\n"
        ));
    }
    let joel = "22222222-2222-4222-8222-222222222222";
    text.push_str(&format!(
        "\"CN=Joël,OU=Staff,DC=contoso,DC=com\",\"{joel}\",\"joel\",\"joel@contoso.com\",\"True\",\"user\"\r\n\
         \"CN=Jo?l,OU=Staff,DC=contoso,DC=com\",\"{joel}\",\"joel\",\"joel@contoso.com\",\"True\",\"user\"\r\n"
    ));
    let ing = ingest_text("users.csv", text.as_bytes());
    let (conflicts, n) = ing.directory.conflicts();
    let dns: Vec<_> = conflicts
        .iter()
        .filter(|c| c.attribute == "distinguishedName")
        .map(|c| (c.kept.as_str(), c.other.as_str(), c.line))
        .collect();
    assert_eq!(
        dns,
        [
            (
                "CN=A,OU=Staff,DC=contoso,DC=com",
                "CN=B,OU=Staff,DC=contoso,DC=com",
                3
            ),
            (
                "CN=A,OU=Staff,DC=contoso,DC=com",
                "CN=C,OU=Staff,DC=contoso,DC=com",
                4
            ),
        ],
        "{conflicts:?}"
    );
    assert_eq!(n, 2);
}

/// A German hand-made list, with the debris rows Excel leaves below a table: the headers are
/// known, and the rows with no identity are rejected with their lines, not taken for users.
#[test]
fn german_headers_are_read_and_debris_rows_rejected() {
    let text = "Benutzername;Vorname;Nachname;E-Mail-Adresse\r\n\
                mmueller;Max;Müller;max.mueller@contoso.de\r\n\
                ;;;\r\n\
                ;;;01.02.2003\r\n";
    let ing = ingest_text("users.csv", text.as_bytes());
    let r = &ing.inputs[0];
    assert_eq!((r.accepted, r.rejected), (1, 2), "{:?}", r.rejections);
    assert_eq!(r.rejected_by_reason.get("no identity"), Some(&2));
    let lines: Vec<u64> = r.rejections.iter().map(|x| x.line).collect();
    assert_eq!(lines, [3, 4]);
    let d = &ing.directory;
    let u = d.ids().next().unwrap();
    use hybridready::directory::Attr;
    assert_eq!(d.value(u, Attr::SamAccountName), Some("mmueller"));
    assert_eq!(d.value(u, Attr::GivenName), Some("Max"));
    assert_eq!(d.value(u, Attr::Surname), Some("Müller"));
    assert_eq!(d.value(u, Attr::Mail), Some("max.mueller@contoso.de"));
}

/// A list of people by mail address alone is read: mail tells a person as well as a UPN does.
#[test]
fn a_list_identified_by_mail_alone_is_read() {
    let ing = ingest_text(
        "users.csv",
        b"EmailAddress,Department\r\nann@contoso.com,Sales\r\nbob@contoso.com,IT\r\n",
    );
    let r = &ing.inputs[0];
    assert_eq!(r.status, InputStatus::Read, "{:?}", r.refusal);
    assert_eq!(r.accepted, 2);
}

/// A 3 MB value is refused as a value error with its size, not cut at 16 MB unsaid.
#[test]
fn an_oversized_value_is_a_value_error_not_a_silent_cut() {
    let mut text = String::from("\"DistinguishedName\",\"SamAccountName\",\"Description\"\r\n");
    text.push_str(&format!(
        "\"CN=A,OU=S,DC=contoso,DC=com\",\"a\",\"{}\"\r\n",
        "x".repeat(3 << 20)
    ));
    let ing = ingest_text("users.csv", text.as_bytes());
    let e = &ing.inputs[0].value_error_examples;
    assert_eq!(e.len(), 1);
    assert_eq!((e[0].line, e[0].column.as_str()), (2, "Description"));
    assert!(
        e[0].expected
            .contains("at most 1048576 bytes, found 3145728")
    );
    let a = ing
        .directory
        .object_by_dn("CN=A,OU=S,DC=contoso,DC=com")
        .unwrap();
    assert_eq!(
        ing.directory
            .value(a, hybridready::directory::Attr::Description),
        None
    );
}

/// A user list that also has a `Group` column is a list of users, not of memberships (all its
/// rows were rejected as incomplete membership rows).
#[test]
fn a_user_list_with_a_group_column_is_read_as_users() {
    let ing = ingest_text(
        "users.csv",
        b"SamAccountName,UserPrincipalName,GivenName,Surname,Department,Group\r\n\
          jdoe,jdoe@contoso.com,John,Doe,Sales,SalesTeam\r\n\
          asmith,asmith@contoso.com,Ann,Smith,IT,ITTeam\r\n",
    );
    let r = &ing.inputs[0];
    assert_eq!((r.accepted, r.rejected), (2, 0), "{:?}", r.rejections);
    assert_eq!(ing.directory.counts().users, 2);
}

/// `inspect` of a folder with a scenario leaves out its affinity files as `assess` does, and a
/// list of examples cut short says how many were not shown.
#[test]
fn inspect_of_the_sample_leaves_affinity_files_out_and_counts_what_it_does_not_show() {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/contoso");
    let out = assert_cmd::Command::cargo_bin("hybridready")
        .unwrap()
        .arg("inspect")
        .arg(&sample)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{text}\n{err}");
    assert!(!text.contains("delegates.csv"), "{text}");
    assert!(err.contains("leaving out the affinity files"), "{err}");
    // excel-fr/users.csv: 308 bad values, 5 shown.
    assert!(
        text.contains("… and 303 more (`--format json` lists the first 200)"),
        "{text}"
    );
}

/// `assess` says that the inputs held bad values and where to see them (it lists none itself).
#[test]
fn assess_counts_what_the_ingest_left_out_and_points_at_inspect() {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/contoso");
    let dir = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("hybridready")
        .unwrap()
        .args(["assess", "--no-report", "--out"])
        .arg(dir.path().join("out"))
        .arg(&sample)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("The inputs hold 308 bad values, left out of the assessment")
            && !text.contains("rejected")
            && text.contains("hybridready inspect lists them"),
        "{text}"
    );
}

/// Windows PowerShell 5.1's ASCII export writes '?' for every letter it cannot encode: each is
/// read as a lost letter (U+FFFD), said in a note, and judged by the rules as the non-ASCII
/// letter it was (a '?' is invalid in a sAMAccountName, an 'ö' is not).
#[test]
fn question_marks_of_an_ascii_export_are_lost_letters() {
    let text = "#TYPE Microsoft.ActiveDirectory.Management.ADGroup\r\n\
                \"DistinguishedName\",\"SamAccountName\",\"ObjectClass\"\r\n\
                \"CN=DL-K?ln,OU=G,DC=contoso,DC=com\",\"DL-K?ln\",\"group\"\r\n\
                \"CN=DL-Paris,OU=G,DC=contoso,DC=com\",\"DL-Paris\",\"group\"\r\n";
    let ing = ingest_text("groups.csv", text.as_bytes());
    let notes = &ing.inputs[0].notes;
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("1 value(s) hold a '?' where the ASCII export lost a letter")),
        "{notes:?}"
    );
    let d = &ing.directory;
    let g = d.object_by_dn("CN=DL-K?ln,OU=G,DC=contoso,DC=com").unwrap();
    assert_eq!(
        d.value(g, hybridready::directory::Attr::SamAccountName),
        Some("DL-K\u{FFFD}ln")
    );
    let findings = hybridready::rules::evaluate(d, &hybridready::rules::RuleContext::default());
    assert!(
        !findings.iter().any(|f| f.rule.id == "SAM-CHAR"),
        "a lost letter is no invalid '?'"
    );
    // The same file written by PowerShell 7 (UTF-8, no #TYPE line) has a real '?': invalid.
    let utf8 = text.split_once("\r\n").unwrap().1;
    let ing = ingest_text("groups.csv", utf8.as_bytes());
    let findings =
        hybridready::rules::evaluate(&ing.directory, &hybridready::rules::RuleContext::default());
    assert!(findings.iter().any(|f| f.rule.id == "SAM-CHAR"));
}
