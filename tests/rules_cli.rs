//! The rule catalogue commands and the worklists, through the binary.

use assert_cmd::Command;
use calamine::{Reader, Xlsx, open_workbook};
use hybridready::rules::registry;
use predicates::prelude::*;
use std::path::Path;

fn hybridready() -> Command {
    Command::cargo_bin("hybridready").unwrap()
}

#[test]
fn rules_lists_every_rule_with_its_source() {
    let out = hybridready()
        .arg("rules")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for r in registry::all() {
        assert!(text.contains(r.id), "{} missing", r.id);
        assert!(text.contains(r.source), "{} source missing", r.id);
    }
    let json = hybridready()
        .args(["rules", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["rules"].as_array().unwrap().len(), registry::all().len());
    hybridready()
        .args(["rules", "--format", "markdown"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## UPN-CHAR").and(predicate::str::contains("| id |")));
}

#[test]
fn explain_prints_the_full_text() {
    let r = registry::by_id("UPN-CHAR").unwrap();
    let out = hybridready()
        .args(["explain", "upn-char"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("UPN-CHAR: "));
    assert!(text.contains(r.summary));
    // The explanation and fix are wrapped: compare their words.
    let words = |s: &str| {
        s.split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(words(&text).contains(&words(r.explanation)));
    assert!(words(&text).contains(&words(r.fix)));
    assert!(text.contains("prepare-for-directory-synchronization.md"));
    assert!(text.contains("apostrophe"));
}

#[test]
fn explain_of_an_unknown_rule_names_close_ones_and_exits_2() {
    hybridready()
        .args(["explain", "UPN-CHR"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no rule UPN-CHR").and(predicate::str::contains("UPN-CHAR")),
        );
}

const HEADER: &str = "DistinguishedName,ObjectGUID,SamAccountName,UserPrincipalName,DisplayName,GivenName,mail,mailNickname,proxyAddresses";

fn write_users(dir: &Path, rows: &[&str]) {
    let mut text = String::from(HEADER);
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.push('\n');
    std::fs::write(dir.join("users.csv"), text).unwrap();
}

#[test]
fn assess_writes_neutralised_worklists_and_fails_on_errors_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write_users(
        &input,
        &[
            // A displayName that is a formula, a UPN with a space, a mail held by another
            // user's proxy, and a givenName too long to sync (an error).
            r#""CN=Eve,OU=Staff,DC=contoso,DC=com",00000000-0000-0000-0000-000000000001,eve,eve smith@contoso.com,"=HYPERLINK(""http://evil.example"",""x"")  ",EveEveEveEveEveEveEveEveEveEveEveEveEveEveEveEveEveEveEveEveEveEve,eve@contoso.com,eve,SMTP:eve@contoso.com"#,
            r#""CN=Bob,OU=Staff,DC=contoso,DC=com",00000000-0000-0000-0000-000000000002,bob,bob@contoso.com,Bob,Bob,bob@contoso.com,bob,SMTP:bob@contoso.com;smtp:eve@contoso.com"#,
            // Formula starts, and a mailNickname ending in a period (an error).
            r#""CN=Dash,OU=Staff,DC=contoso,DC=com",00000000-0000-0000-0000-000000000003,+dash,dash@contoso.com,@dash ,Dash,dash@contoso.com,-dash.,SMTP:dash@contoso.com"#,
        ],
    );
    let out = tmp.path().join("out");
    hybridready()
        .arg("assess")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--fail-on")
        .arg("error")
        .assert()
        .code(1);

    let csv = std::fs::read(out.join("findings.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}".as_bytes()), "UTF-8 BOM");
    let text = String::from_utf8(csv).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    for col in [
        "rule",
        "severity",
        "effect",
        "object_class",
        "distinguished_name",
        "sam_account_name",
        "user_principal_name",
        "attribute",
        "value",
        "suggested_value",
        "message",
    ] {
        assert!(headers.iter().any(|h| h == col), "column {col}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut cells: Vec<String> = Vec::new();
    for r in &rows {
        cells.extend(r.iter().map(str::to_string));
    }
    for c in &cells {
        let first = c.chars().next();
        assert!(
            !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')),
            "unneutralised cell {c:?}"
        );
    }
    assert!(
        cells.iter().any(|c| c.starts_with("'=HYPERLINK(")),
        "{cells:?}"
    );
    assert!(cells.iter().any(|c| c == "'@dash "), "{cells:?}");
    assert!(cells.iter().any(|c| c == "'+dash"), "{cells:?}");
    assert!(cells.iter().any(|c| c == "'-dash."), "{cells:?}");
    let rule_of = |r: &csv::StringRecord| r.get(0).unwrap().to_string();
    let dn_of = |r: &csv::StringRecord| r.get(4).unwrap().to_string();
    let pairs: Vec<(String, String)> = rows.iter().map(|r| (rule_of(r), dn_of(r))).collect();
    assert!(pairs.contains(&(
        "UPN-CHAR".into(),
        "CN=Eve,OU=Staff,DC=contoso,DC=com".into()
    )));
    assert!(pairs.contains(&("PA-DUP".into(), "CN=Eve,OU=Staff,DC=contoso,DC=com".into())));
    assert!(pairs.contains(&("PA-DUP".into(), "CN=Bob,OU=Staff,DC=contoso,DC=com".into())));
    assert!(pairs.contains(&("DN-WS".into(), "CN=Eve,OU=Staff,DC=contoso,DC=com".into())));
    assert!(pairs.contains(&("GN-LEN".into(), "CN=Eve,OU=Staff,DC=contoso,DC=com".into())));
    assert!(pairs.contains(&(
        "NICK-DOT".into(),
        "CN=Dash,OU=Staff,DC=contoso,DC=com".into()
    )));
    // Sorted by rule id.
    let ids: Vec<String> = rows.iter().map(rule_of).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);

    let mut book: Xlsx<_> = open_workbook(out.join("findings.xlsx")).unwrap();
    let names = book.sheet_names();
    assert_eq!(names, ["Summary", "Errors", "Warnings", "Info"]);
    let summary = book.worksheet_range("Summary").unwrap();
    assert_eq!(summary.height(), registry::all().len() + 1);
    let mut seen_formula = false;
    for sheet in ["Errors", "Warnings", "Info"] {
        let range = book.worksheet_range(sheet).unwrap();
        for row in range.rows() {
            for cell in row {
                let s = cell.to_string();
                assert!(
                    !matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')),
                    "{sheet}: {s:?}"
                );
                seen_formula |= s.starts_with("'=HYPERLINK(");
            }
        }
    }
    assert!(seen_formula);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let f = &json["findings"];
    assert_eq!(f["total"].as_u64().unwrap() as usize, rows.len());
    assert!(f["objects_with_errors"].as_u64().unwrap() >= 2);
    assert_eq!(f["by_rule"]["PA-DUP"], 2);
    assert!(f["by_severity"]["error"].as_u64().unwrap() > 0);
}

#[test]
fn assess_exits_0_when_no_error_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write_users(
        &input,
        &[
            r#""CN=Ann,OU=Staff,DC=contoso,DC=com",00000000-0000-0000-0000-000000000001,ann,ann.o'neil@contoso.com,Ann,Ann,ann@contoso.com,ann,SMTP:ann@contoso.com;X500:/o=Contoso (Org)/cn=Recipients/cn=ann smith"#,
        ],
    );
    let out = tmp.path().join("out");
    hybridready()
        .arg("assess")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["findings"]["total"], 0, "{}", json["findings"]);
}
