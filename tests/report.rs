//! The readiness report: PDF, HTML and SVG charts rendered from the assessment of the bundled
//! sample, in both languages; `report DIR` from `assessment.json` alone; the batch comparison;
//! identical inputs give identical bytes.

mod common;

use assert_cmd::Command;
use common::assess as fx;
use hybridready::assessment::Assessment;
use hybridready::report::{self, Lang, Options};
use std::path::Path;

fn render(a: &Assessment, lang: Lang) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    report::write_assessment(a, dir.path(), Options { lang, report: true }).unwrap();
    dir
}

/// The text of each page, whitespace normalised (French figures use no-break spaces).
fn pdf_pages(path: &Path) -> Vec<String> {
    common::pdf_text::pages(path)
        .iter()
        .map(|t| normalise(t))
        .collect()
}

fn normalise(s: &str) -> String {
    // No-break spaces (French figures) read as spaces; zero-width spaces (line-break hints in
    // long DNs) as nothing.
    s.replace(['\u{a0}', '\u{202f}'], " ")
        .replace('\u{200b}', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn svg_texts(path: &Path) -> String {
    let src = std::fs::read_to_string(path).unwrap();
    let doc =
        roxmltree::Document::parse(&src).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    doc.descendants()
        .filter(|n| n.has_tag_name("text") || n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

fn hybridready() -> Command {
    let mut c = Command::cargo_bin("hybridready").unwrap();
    c.env("SOURCE_DATE_EPOCH", fx::EPOCH.to_string());
    c
}

#[test]
fn english_pdf_has_its_sections_and_a_one_page_summary() {
    let a = fx::sample();
    let dir = render(&a, Lang::En);
    let pages = pdf_pages(&dir.path().join("report.pdf"));
    assert!((8..=40).contains(&pages.len()), "{} pages", pages.len());
    let all = pages.join("\n");
    for heading in [
        "Executive summary",
        "What to do, in order",
        "Deployment steps",
        "Step 1: Tenant",
        "Step 2: Domains",
        "Step 3: Directory synchronisation",
        "Step 4: Hybrid federation",
        "Step 5: Pilot move",
        "Step 6: Manage in hybrid",
        "Action plan",
        "Communication breaks",
        "Data quality",
        "What the score is made of",
        "Appendix A: rules that fired",
        "Appendix B: method",
    ] {
        assert!(all.contains(heading), "missing heading {heading:?}");
    }
    // Cover: customer, date, an input fingerprint, the verdict.
    assert!(pages[0].contains("Contoso"));
    assert!(pages[0].contains("26 November 2026"));
    let sha = a.inputs[0].sha256.clone().unwrap();
    assert!(pages[0].contains(&sha));
    assert!(pages[0].contains("Blocked"));
    // The executive summary is one page: the verdict, the plan and the steps on page 2.
    for part in [
        "Executive summary",
        "What to do, in order",
        "Readiness by step",
    ] {
        assert!(
            pages[1].contains(part),
            "{part:?} is not on the summary page"
        );
    }
    assert!(!pages[1].contains("Deployment steps"));
    // The cover states the scenario's OU exclusion, not a false "no OU filter".
    assert!(pages[0].contains("except contoso.com/Staff/Contractors"));
    assert!(!all.contains("no OU filter"));
    // Running footer with page numbers.
    assert!(pages[3].contains(&format!("Page 4 of {}", pages.len())));
    // A cut list says where the rest is.
    assert!(all.contains("more: the complete list is in checks.csv"));
}

#[test]
fn every_chart_parses_and_names_ous_by_their_place() {
    let a = fx::sample();
    let dir = render(&a, Lang::En);
    let charts = dir.path().join("charts");
    let mut files: Vec<_> = std::fs::read_dir(&charts)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    for f in &files {
        let text = svg_texts(f);
        assert!(!text.trim().is_empty(), "{}", f.display());
        let src = std::fs::read_to_string(f).unwrap();
        assert!(
            !src.contains("font-family=\"sans-serif\""),
            "{}",
            f.display()
        );
    }
    let ou = svg_texts(&charts.join("coverage-by-ou.svg"));
    assert!(ou.contains("contoso.com/Staff/Contractors"), "{ou}");
    assert!(!ou.contains("DC="), "{ou}");
    // The break figures share one scale: one set of axis ticks.
    let breaks = svg_texts(&charts.join("breaks.svg"));
    assert!(breaks.contains("Broken pairs") && breaks.contains("Pairs and users"));
}

#[test]
fn html_is_self_contained_sortable_and_complete() {
    let a = fx::sample();
    let dir = render(&a, Lang::En);
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.matches("<svg").count() >= 5, "every chart inline");
    assert!(!html.contains(" src="), "nothing loaded");
    assert!(html.contains("Content-Security-Policy"));
    for id in ["t-actions", "t-unsynced", "t-reasons", "t-rules", "t-costs"] {
        assert!(html.contains(&format!(r#"id="{id}""#)), "no table {id}");
    }
    // Public sources are links.
    assert!(html.contains(r#"href="https://learn.microsoft.com/"#));
}

#[test]
fn french_report_and_worklists_are_french() {
    let a = fx::sample();
    let dir = render(&a, Lang::Fr);
    let cat = Lang::Fr.catalog();
    assert!(
        cat.missing().is_empty(),
        "missing keys: {:?}",
        cat.missing()
    );
    let pages = pdf_pages(&dir.path().join("report.pdf"));
    let all = pages.join("\n");
    for s in [
        "Synthèse",
        "Que faire, dans l’ordre",
        "Étape 3 : Synchronisation d’annuaire",
        "Pourquoi des objets ne sont pas synchronisés",
        "92,1 %",
        "Bloqué",
    ] {
        assert!(all.contains(s), "French PDF lacks {s:?}");
    }
    // No English sentence of the checks or the findings.
    let en = Lang::En.catalog();
    for key in [
        "check.U01",
        "step.sync.what",
        "findings.title",
        "breaks.top_note",
    ] {
        assert!(
            !all.contains(en.get(key)),
            "English {key} in the French PDF"
        );
    }
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains(r#"<html lang="fr">"#));
    assert!(!html.contains(en.get("check.U01")));
    // The worklists: French headers and words, `;` between cells.
    let csv = std::fs::read_to_string(dir.path().join("findings.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with("\u{feff}Règle;Gravité;Effet;"),
        "{header}"
    );
    assert!(csv.contains(";erreur;") || csv.contains(";avertissement;"));
    let unsynced = std::fs::read_to_string(dir.path().join("unsynced-impact.csv")).unwrap();
    assert!(unsynced.lines().next().unwrap().contains("Hébergement"));
    // waves.csv is a French worklist too (the scripts under waves/ are the PowerShell input).
    let waves = std::fs::read_to_string(dir.path().join("waves.csv")).unwrap();
    assert!(
        waves.starts_with("\u{feff}vague;"),
        "{}",
        &waves[..80.min(waves.len())]
    );
    assert!(waves.contains("le [pilot] du scénario"));
}

#[test]
fn identical_inputs_give_identical_bytes() {
    let a = fx::sample();
    let one = render(&a, Lang::En);
    let two = render(&a, Lang::En);
    let mut n = 0;
    for e in walk(one.path()) {
        let rel = e.strip_prefix(one.path()).unwrap();
        let x = std::fs::read(&e).unwrap();
        let y = std::fs::read(two.path().join(rel)).unwrap();
        assert!(x == y, "{} differs between two renders", rel.display());
        n += 1;
    }
    assert!(n >= 12, "{n} files");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn report_dir_renders_from_assessment_json_alone() {
    let run = tempfile::tempdir().unwrap();
    hybridready()
        .args(["assess", "--customer", "Contoso SA", "--out"])
        .arg(run.path())
        .arg(fx::sample_dir())
        .assert()
        .code(0);
    // On another machine: nothing but assessment.json, no exports, no scenario file.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::copy(
        run.path().join("assessment.json"),
        elsewhere.path().join("assessment.json"),
    )
    .unwrap();
    hybridready()
        .args(["report", "--lang", "fr"])
        .arg(elsewhere.path())
        .assert()
        .code(0);
    for f in [
        "summary.json",
        "findings.csv",
        "findings.xlsx",
        "unsynced-impact.csv",
        "checks.csv",
        "waves.csv",
        "report.pdf",
        "report.html",
        "charts/readiness.svg",
    ] {
        assert!(elsewhere.path().join(f).exists(), "{f}");
    }
    let pages = pdf_pages(&elsewhere.path().join("report.pdf"));
    assert!(
        pages[0].contains("Contoso SA"),
        "the customer travels with the assessment"
    );
    assert!(pages[0].contains("26 novembre 2026"));
    // The same summary.json as the assessment wrote.
    assert_eq!(
        std::fs::read(run.path().join("summary.json")).unwrap(),
        std::fs::read(elsewhere.path().join("summary.json")).unwrap()
    );
    // Rendered again in English, the folder holds what assess wrote, byte for byte.
    hybridready()
        .arg("report")
        .arg(elsewhere.path())
        .assert()
        .code(0);
    for f in ["report.pdf", "report.html", "findings.csv", "summary.json"] {
        assert!(
            std::fs::read(run.path().join(f)).unwrap()
                == std::fs::read(elsewhere.path().join(f)).unwrap(),
            "{f} differs from assess's"
        );
    }
}

#[test]
fn report_dir_without_an_assessment_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    hybridready()
        .arg("report")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("assessment.json"));
    // Another version's file is refused, not half read.
    std::fs::write(
        dir.path().join("assessment.json"),
        r#"{"schema_version": 999, "tool": {}}"#,
    )
    .unwrap();
    hybridready()
        .arg("report")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("schema 999"));
}

#[test]
fn comparison_report_of_a_batch() {
    let out = tempfile::tempdir().unwrap();
    let batch = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/whatif.toml");
    hybridready()
        .args(["batch", "--lang", "fr"])
        .arg(&batch)
        .arg(fx::sample_dir())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    for f in [
        "comparison.json",
        "comparison.csv",
        "comparison.pdf",
        "comparison.html",
        "comparison.svg",
    ] {
        assert!(out.path().join(f).exists(), "{f}");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("comparison.json")).unwrap())
            .unwrap();
    let variants = json["variants"].as_array().unwrap();
    assert!(variants.len() >= 2);
    for v in variants {
        let score = v["score"].as_u64().unwrap();
        if v["verdict"] == "blocked" {
            assert!(score <= 50, "{v}");
        }
    }
    let csv = std::fs::read_to_string(out.path().join("comparison.csv")).unwrap();
    assert!(csv.lines().next().unwrap().contains(";"), "French CSV");
    let pdf = pdf_pages(&out.path().join("comparison.pdf")).join("\n");
    assert!(pdf.contains("Comparaison des variantes du scénario"));
    // Every variant has its own summary.json.
    let folders = std::fs::read_dir(out.path().join("variants"))
        .unwrap()
        .count();
    assert_eq!(folders, variants.len());
}

#[test]
fn comparison_chart_cuts_no_header_and_no_variant_name() {
    let out = tempfile::tempdir().unwrap();
    let batch = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/whatif.toml");
    for lang in ["en", "fr"] {
        hybridready()
            .args(["batch", "--lang", lang])
            .arg(&batch)
            .arg(fx::sample_dir())
            .arg("--out")
            .arg(out.path())
            .assert()
            .code(0);
        let text = svg_texts(&out.path().join("comparison.svg"));
        assert!(!text.contains('…'), "{lang}: {text}");
    }
}

/// Writes the sample's report into $REPORT_SAMPLES_DIR/{en,fr} for looking at.
#[test]
fn write_samples_when_asked() {
    let Ok(root) = std::env::var("REPORT_SAMPLES_DIR") else {
        return;
    };
    let a = fx::sample();
    for (lang, name) in [(Lang::En, "en"), (Lang::Fr, "fr")] {
        let dir = Path::new(&root).join(name);
        report::write_assessment(&a, &dir, Options { lang, report: true }).unwrap();
    }
}
