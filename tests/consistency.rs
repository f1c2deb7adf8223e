//! One assessment, every figure computed once: the sample and a generated directory are
//! assessed in both languages through the binary, and each figure of `summary.json` is found,
//! the same, in the PDF's text, in the HTML and in the worklists.

mod common;

use assert_cmd::Command;
use common::assess as fx;
use hybridready::report::Lang;
use hybridready::report::i18n::Arg;
use serde_json::Value;
use std::path::Path;

fn normalise(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
        .replace('\u{200b}', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The visible text of an HTML page: tags dropped, entities decoded, whitespace normalised.
fn html_text(html: &str) -> String {
    let body = &html[html.find("<body").unwrap_or(0)..];
    let body = match body.find("<script") {
        Some(i) => &body[..i],
        None => body,
    };
    let mut out = String::with_capacity(body.len());
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    normalise(&text)
}

/// Data rows of a CSV worklist (BOM and header left out).
fn csv_rows(path: &Path, delimiter: u8) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(bytes);
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

fn assess(inputs: &Path, scenario: &Path, out: &Path, lang: Lang) {
    Command::cargo_bin("hybridready")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", fx::EPOCH.to_string())
        .args(["assess", "--lang", lang.code(), "--scenario"])
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .arg(inputs)
        .assert()
        .code(0);
}

/// Checks every figure of `out/summary.json` against the other outputs of `out`.
fn check(out: &Path, lang: Lang) {
    let t = lang.catalog();
    let s: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let pdf = normalise(&common::pdf_text::pages(&out.join("report.pdf")).join("\n"));
    let html = html_text(&std::fs::read_to_string(out.join("report.html")).unwrap());
    let found = |what: &str, expected: String| {
        let e = normalise(&expected);
        assert!(pdf.contains(&e), "{lang}: the PDF lacks {what}: {e:?}");
        assert!(html.contains(&e), "{lang}: the HTML lacks {what}: {e:?}");
    };
    let y = &s["sync"];
    let b = &s["breaks"];
    let f = &s["findings"];

    // Sync coverage, in the sentence of the sync section.
    found(
        "the sync sentence",
        t.msg(
            "sync.sentence",
            &[
                ("synced", Arg::N(n(&y["sfb_synced"]))),
                ("total", Arg::N(n(&y["sfb_users"]))),
                ("coverage", Arg::T(t.pct(y["coverage"].as_f64().unwrap()))),
                ("unsynced", Arg::N(n(&y["sfb_unsynced"]))),
                ("online", Arg::N(n(&y["sfb_unsynced_online"]))),
            ],
        ),
    );
    found(
        "the scope sentence",
        t.msg(
            "sync.in_scope",
            &[
                ("objects", Arg::N(n(&y["objects"]))),
                ("in_scope", Arg::N(n(&y["in_scope"]))),
                ("synced", Arg::N(n(&y["synced"]))),
            ],
        ),
    );
    // The reasons table sums to the objects that do not sync.
    let reasons: u64 = y["not_synced_by_reason"]
        .as_object()
        .unwrap()
        .values()
        .map(n)
        .sum();
    assert_eq!(reasons, n(&y["objects"]) - n(&y["synced"]));
    found(
        "the reasons' total",
        format!(
            "{} {} {}",
            t.get("sync.reasons_total"),
            t.int(reasons),
            t.int(n(&y["sfb_unsynced"]))
        ),
    );
    // The break figures, row by row of the breaks table.
    for (key, field) in [
        ("breaks.online_users", "online_users"),
        ("breaks.broken_pairs", "broken_pairs"),
        ("breaks.unsynced_users_breaking", "unsynced_users_breaking"),
        ("breaks.online_users_affected", "online_users_affected"),
    ] {
        found(
            key,
            format!(
                "{} {} {}",
                t.get(key),
                t.int(n(&b["pilot"][field])),
                t.int(n(&b["end"][field]))
            ),
        );
    }
    // Findings.
    let by_severity = &f["by_severity"];
    let blocked = s["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|st| st["checks"].as_array().unwrap())
        .find(|c| c["id"] == "ERRORS")
        .map_or(0, |c| n(&c["object_count"]));
    if n(&f["total"]) > 0 {
        found(
            "the findings sentence",
            t.msg(
                "findings.sentence",
                &[
                    ("total", Arg::N(n(&f["total"]))),
                    ("objects", Arg::N(n(&f["objects"]))),
                    ("errors", Arg::N(n(&by_severity["error"]))),
                    ("error_objects", Arg::N(n(&f["objects_with_errors"]))),
                    ("blocked", Arg::N(blocked)),
                    ("warnings", Arg::N(n(&by_severity["warning"]))),
                    ("infos", Arg::N(n(&by_severity["info"]))),
                ],
            ),
        );
    }
    // The score and the verdict.
    found(
        "the score",
        t.msg("score.value", &[("score", Arg::N(n(&s["score"])))]),
    );
    let verdict = s["verdict"].as_str().unwrap();
    found(
        "the verdict",
        t.get(&format!("verdict.{verdict}")).to_string(),
    );
    if verdict == "blocked" {
        assert!(n(&s["score"]) <= 50);
    }
    // Each step: its status and its score, in the summary table.
    for st in s["steps"].as_array().unwrap() {
        let id = st["id"].as_str().unwrap();
        found(
            id,
            format!(
                "{} {}",
                t.get(&format!("status.{}", st["status"].as_str().unwrap())),
                t.msg("score.value", &[("score", Arg::N(n(&st["score"])))])
            ),
        );
    }
    // Key figures.
    for (key, value) in [
        ("kf.users", t.int(n(&s["directory"]["users"]))),
        ("kf.sfb_users", t.int(n(&y["sfb_users"]))),
        ("kf.sfb_unsynced", t.int(n(&y["sfb_unsynced"]))),
        ("kf.broken_end", t.int(n(&b["end"]["broken_pairs"]))),
        ("kf.findings", t.int(n(&f["total"]))),
    ] {
        found(key, format!("{value} {}", t.get(key)));
    }

    // The worklists hold the same counts.
    let d = hybridready::report::worklist::delimiter(lang);
    let findings = csv_rows(&out.join("findings.csv"), d);
    assert_eq!(findings.len() as u64, n(&f["total"]), "findings.csv rows");
    for (rule, count) in f["by_rule"].as_object().unwrap() {
        let rows = findings.iter().filter(|r| &r[0] == rule).count() as u64;
        assert_eq!(rows, n(count), "findings.csv rows of {rule}");
    }
    let unsynced = csv_rows(&out.join("unsynced-impact.csv"), d);
    assert_eq!(unsynced.len() as u64, n(&y["sfb_unsynced"]));
    let online_word = t.get("wl.home.online");
    assert_eq!(
        unsynced.iter().filter(|r| r[4] == online_word).count() as u64,
        n(&y["sfb_unsynced_online"])
    );
    let waves = csv_rows(&out.join("waves.csv"), d);
    assert_eq!(
        waves.len() as u64 + n(&s["directory"]["sfb_online"]),
        n(&b["end"]["online_users"]),
        "waves.csv holds every user who is moved online"
    );
    let checks = csv_rows(&out.join("checks.csv"), d);
    for st in s["steps"].as_array().unwrap() {
        for c in st["checks"].as_array().unwrap() {
            let id = c["id"].as_str().unwrap();
            let causes: u64 = c["causes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| n(&k["count"]))
                .sum();
            if matches!(id, "U01" | "U16" | "ERRORS") && c["status"] != "pass" {
                let rows = checks.iter().filter(|r| r[1] == id).count() as u64;
                assert_eq!(rows, n(&c["object_count"]), "checks.csv rows of {id}");
                assert_eq!(
                    causes,
                    n(&c["object_count"]),
                    "causes of {id} sum to its count"
                );
            }
        }
    }
    // The workbook: one row per finding across the severity sheets.
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(out.join("findings.xlsx")).unwrap();
    let sheets: Vec<String> = book.sheet_names().to_vec();
    let mut rows = 0u64;
    for name in &sheets[1..] {
        let range = book.worksheet_range(name).unwrap();
        rows += range.height().saturating_sub(1) as u64;
    }
    assert_eq!(rows, n(&f["total"]), "findings.xlsx rows");
}

#[test]
fn every_figure_of_the_sample_is_the_same_in_every_output() {
    let dir = fx::sample_dir();
    for lang in Lang::ALL {
        let out = tempfile::tempdir().unwrap();
        assess(&dir, &dir.join("scenario.toml"), out.path(), lang);
        check(out.path(), lang);
    }
}

#[test]
fn every_figure_of_a_generated_directory_is_the_same_in_every_output() {
    let generated = fx::generated(3_000, 7);
    for lang in Lang::ALL {
        let out = tempfile::tempdir().unwrap();
        assess(
            &generated.path().join("exports"),
            &generated.path().join("scenario.toml"),
            out.path(),
            lang,
        );
        check(out.path(), lang);
    }
}
