//! The readiness report: PDF, HTML and SVG charts rendered from a realistic fixture, in both
//! languages; hostile names stay inert; identical inputs give identical bytes.

mod common;

use common::report_fixture as fx;
use hybridready::report::{self, Lang, VariantRow};
use std::path::Path;

fn render(input: &report::ReportInput, lang: Lang) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    report::render_all(input, dir.path(), lang).unwrap();
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

#[test]
fn english_pdf_has_sections_key_figures_and_a_one_page_summary() {
    let input = fx::input(false);
    let dir = render(&input, Lang::En);
    let pages = pdf_pages(&dir.path().join("report.pdf"));
    assert!((10..=30).contains(&pages.len()), "{} pages", pages.len());
    let all = pages.join("\n");
    for heading in [
        "Executive summary",
        "Deployment steps",
        "Step 1: Tenant",
        "Step 2: Domains",
        "Step 3: Directory synchronisation",
        "Step 4: Hybrid federation",
        "Step 5: Pilot move",
        "Step 6: Manage in hybrid",
        "Communication breaks",
        "Data quality",
        "Appendix A: rules that fired",
        "Appendix B: method",
    ] {
        assert!(all.contains(heading), "missing heading {heading:?}");
    }
    // Key figures of the summary, as text.
    for fig in ["58 / 100", "94.3%", "1,284", "6,902", "9,876", "565"] {
        assert!(all.contains(fig), "missing figure {fig:?}");
    }
    // Cover: customer, date, an input fingerprint.
    assert!(pages[0].contains("Contoso Ltd"));
    assert!(pages[0].contains("26 November 2026"));
    assert!(pages[0].contains(&fx::sha(1)));
    // The executive summary is one page: its last block is on page 2, the steps start on page 3.
    assert!(pages[1].contains("Executive summary") && pages[1].contains("What blocks you"));
    assert!(
        pages[1].contains("T07"),
        "the top blocker is on the summary page"
    );
    assert!(
        pages[2].starts_with("Skype for Business hybrid readiness")
            || pages[2].contains("Deployment steps")
    );
    assert!(!pages[1].contains("Deployment steps"));
    // Running footer with page numbers.
    assert!(pages[3].contains(&format!("Page 4 of {}", pages.len())));
    // Long object lists are summarised.
    assert!(
        all.contains("and 557 more: the complete lists are in the worklists"),
        "U01 lists 8 of 565"
    );
}

#[test]
fn every_chart_parses_and_carries_its_labels() {
    let input = fx::input(false);
    let dir = render(&input, Lang::En);
    let charts = dir.path().join("charts");
    let expect: &[(&str, &[&str])] = &[
        (
            "readiness.svg",
            &[
                "Readiness by step",
                "Step 1",
                "Tenant",
                "Blocked",
                "Ready",
                "At risk",
            ],
        ),
        (
            "coverage-by-domain.svg",
            &[
                "contoso.com",
                "fabrikam.com",
                "Synchronised",
                "Out of scope",
                "Blocked by errors",
                "7,412",
            ],
        ),
        (
            "coverage-by-ou.svg",
            &["OU=Sales,OU=Paris,DC=contoso,DC=com", "Users"],
        ),
        ("findings-by-rule.svg", &["UPN-CHAR", "Error", "Warning"]),
        (
            "top-unsynced.svg",
            &[
                "adele.vance@contoso.com",
                "After the pilot",
                "At the end",
                "180",
            ],
        ),
        ("breaks.svg", &["Broken pairs", "1,284", "6,902"]),
    ];
    for (file, labels) in expect {
        let text = svg_texts(&charts.join(file));
        for l in *labels {
            assert!(text.contains(l), "{file}: no label {l:?} in\n{text}");
        }
        let src = std::fs::read_to_string(charts.join(file)).unwrap();
        assert!(
            src.contains("font-family=\"DejaVu Sans"),
            "{file} names its font"
        );
        assert!(!src.contains("font-family=\"sans-serif\""), "{file}");
    }
    // A long OU is shortened with an ellipsis rather than clipped.
    let ou = svg_texts(&charts.join("coverage-by-ou.svg"));
    assert!(ou.contains('…'), "{ou}");
}

#[test]
fn html_is_self_contained_sortable_and_complete() {
    let input = fx::input(false);
    let dir = render(&input, Lang::En);
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<svg").count(), 6, "every chart inline");
    assert!(
        !html.contains("http://") || !html.contains("src=\"http"),
        "no network resource"
    );
    assert!(!html.contains(" src="), "nothing loaded");
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains(r#"<table class="data" id="t-unsynced">"#));
    assert!(html.contains("data-filter=\"t-unsynced\""));
    for s in [
        "Executive summary",
        "58 / 100",
        "94.3%",
        "1,284",
        "6,902",
        "Appendix A",
    ] {
        assert!(html.contains(s), "{s}");
    }
}

#[test]
fn hostile_names_stay_inert_and_readable_everywhere() {
    let input = fx::input(true);
    let dir = render(&input, Lang::En);
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    // Exactly one script element: ours.
    assert_eq!(html.to_ascii_lowercase().matches("<script").count(), 1);
    assert!(!html.contains("<img"), "no markup from the data");
    assert!(!html.contains("<b>"), "no markup from the data");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped and still readable"
    );
    assert!(html.contains("=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)"));
    assert!(html.contains("o&#39;brien &quot;the boss&quot;"));
    // Table cells may hold <wbr> line-break opportunities inside addresses.
    assert!(
        html.replace("<wbr>", "")
            .contains("<bdi>משתמש.עברי@fabrikam.com</bdi>"),
        "RTL text isolated"
    );
    assert!(html.contains("مستخدم.عربي"));
    // Every SVG parses as XML, so nothing broke out of a text node; the names are readable.
    let mut svg_all = String::new();
    for e in std::fs::read_dir(dir.path().join("charts")).unwrap() {
        let p = e.unwrap().path();
        let src = std::fs::read_to_string(&p).unwrap();
        assert!(!src.contains("<script"), "{}", p.display());
        svg_all.push_str(&svg_texts(&p));
    }
    assert!(
        svg_all.contains("<script>alert(1)</script>@contoso.com"),
        "{svg_all}"
    );
    assert!(svg_all.contains("משתמש.עברי"));
    // The PDF renders the names as text (typst inserts data as text, never as markup).
    let pdf = pdf_pages(&dir.path().join("report.pdf")).join("\n");
    assert!(
        pdf.contains("<script>alert(1)</script>"),
        "markup shown as text"
    );
    assert!(pdf.contains("=HYPERLINK(\"http://x\",\"y\")"));
    assert!(pdf.contains("o'brien \"the boss\""));
    let hebrew = "משתמש";
    let reversed: String = hebrew.chars().rev().collect();
    assert!(
        pdf.contains(hebrew) || pdf.contains(&reversed),
        "Hebrew rendered"
    );
    assert!(pdf.contains("Contoso <script>alert('c')</script>"));
}

#[test]
fn french_report_renders_with_french_figures_and_no_message_is_missing() {
    let input = fx::input(false);
    let en = render(&input, Lang::En);
    let fr = render(&input, Lang::Fr);
    let pages = pdf_pages(&fr.path().join("report.pdf"));
    let all = pages.join("\n");
    for s in [
        "Synthèse",
        "Étapes du déploiement",
        "Étape 3 : Synchronisation d’annuaire",
        "Ruptures de communication",
        "Qualité des données",
        "Annexe A : règles déclenchées",
        "26 novembre 2026",
        "94,3 %",
        "1 284",
        "6 902",
        "58 / 100",
    ] {
        assert!(all.contains(s), "French PDF lacks {s:?}");
    }
    let html = std::fs::read_to_string(fr.path().join("report.html")).unwrap();
    assert!(html.contains("<html lang=\"fr\">"));
    let text = svg_texts(&fr.path().join("charts/coverage-by-domain.svg"));
    assert!(
        text.contains("Synchronisés") && text.contains("7\u{202f}412"),
        "{text}"
    );
    drop(en);
    for lang in Lang::ALL {
        let missing = lang.catalog().missing();
        assert!(
            missing.is_empty(),
            "{lang}: keys asked for but missing: {missing:?}"
        );
    }
}

#[test]
fn identical_inputs_give_identical_bytes() {
    let input = fx::input(false);
    let a = render(&input, Lang::Fr);
    let b = render(&input, Lang::Fr);
    let mut n = 0;
    for rel in [
        "report.pdf",
        "report.html",
        "charts/readiness.svg",
        "charts/coverage-by-domain.svg",
        "charts/coverage-by-ou.svg",
        "charts/findings-by-rule.svg",
        "charts/top-unsynced.svg",
        "charts/breaks.svg",
    ] {
        let x = std::fs::read(a.path().join(rel)).unwrap();
        let y = std::fs::read(b.path().join(rel)).unwrap();
        assert!(x == y, "{rel} differs between two renders");
        n += 1;
    }
    assert_eq!(n, 8);
    // The PDF's creation date is the generation time, not the clock.
    let pdf = std::fs::read(a.path().join("report.pdf")).unwrap();
    let s = String::from_utf8_lossy(&pdf);
    assert!(
        s.contains("D:20261126000000"),
        "creation date from the input's time"
    );
}

/// Writes a previous run's folder: summary.json and the worklists, as the other stages do.
fn write_run_dir(dir: &Path, findings: usize, wave_users: usize) {
    let s = fx::summary(false);
    std::fs::write(
        dir.join("summary.json"),
        serde_json::to_vec_pretty(&s).unwrap(),
    )
    .unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
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
    ])
    .unwrap();
    for r in fx::finding_rows(false, findings) {
        w.serialize(&r).unwrap();
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(w.into_inner().unwrap());
    std::fs::write(dir.join("findings.csv"), bytes).unwrap();
    let mut waves = String::from("wave,sip_address,user_principal_name\n");
    for i in 0..wave_users {
        waves.push_str(&format!(
            "{},u{i}@contoso.com,u{i}@contoso.com\n",
            i / 500 + 1
        ));
    }
    std::fs::write(dir.join("waves.csv"), waves).unwrap();
}

#[test]
fn report_dir_rerenders_from_summary_and_worklists_with_source_date_epoch() {
    let dir = tempfile::tempdir().unwrap();
    write_run_dir(dir.path(), 300, 1200);
    let run = || {
        assert_cmd::Command::cargo_bin("hybridready")
            .unwrap()
            .args([
                "report",
                dir.path().to_str().unwrap(),
                "--lang",
                "fr",
                "--customer",
                "Contoso SA",
            ])
            .env("SOURCE_DATE_EPOCH", "1795651200")
            .assert()
            .success();
        std::fs::read(dir.path().join("report.pdf")).unwrap()
    };
    let first = run();
    let html1 = std::fs::read(dir.path().join("report.html")).unwrap();
    let second = run();
    let html2 = std::fs::read(dir.path().join("report.html")).unwrap();
    assert!(first == second, "byte-identical PDF with SOURCE_DATE_EPOCH");
    assert!(html1 == html2, "byte-identical HTML");
    let pages = pdf_pages(&dir.path().join("report.pdf"));
    assert!(pages[0].contains("26 novembre 2026") && pages[0].contains("Contoso SA"));
    let all = pages.join("\n");
    assert!(all.contains("Anomalies d’attributs") && all.contains("UPN-CHAR"));
    assert!(
        all.contains("1 200 utilisateurs sont planifiés en 3 vagues"),
        "waves.csv read"
    );
    assert!(dir.path().join("charts/findings-by-rule.svg").exists());
}

#[test]
fn report_dir_without_summary_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("hybridready")
        .unwrap()
        .args(["report", dir.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no summary.json"));
}

#[test]
fn comparison_report_of_a_batch() {
    let base = fx::summary(false);
    let mut rows = vec![VariantRow::from_summary("baseline", &base)];
    for (i, name) in [
        "sync contractors too",
        "verify fabrikam.net",
        "fix UPN-CHAR errors <b>now</b>",
    ]
    .iter()
    .enumerate()
    {
        let mut r = VariantRow::from_summary(*name, &base);
        r.coverage = r.coverage.map(|c| (c + 0.02 * (i + 1) as f64).min(1.0));
        r.sfb_unsynced = r.sfb_unsynced.map(|u| u - 150 * (i as u64 + 1));
        r.score = r.score.map(|s| s + 10 * (i as u32 + 1));
        if let Some(b) = r.breaks.as_mut() {
            b.end.broken_pairs /= i as u64 + 2;
        }
        rows.push(r);
    }
    let dir = tempfile::tempdir().unwrap();
    let written = report::render_comparison(&rows, dir.path(), Lang::En).unwrap();
    assert_eq!(written.len(), 3);
    let text = svg_texts(&dir.path().join("comparison.svg"));
    assert!(
        text.contains("baseline") && text.contains("SfB coverage"),
        "{text}"
    );
    let pdf = pdf_pages(&dir.path().join("comparison.pdf")).join("\n");
    assert!(pdf.contains("Scenario variants compared") && pdf.contains("verify fabrikam.net"));
    let html = std::fs::read_to_string(dir.path().join("comparison.html")).unwrap();
    assert!(html.contains("&lt;b&gt;now&lt;/b&gt;") && !html.contains("<b>now"));
}

#[test]
fn comparison_chart_cuts_no_header_and_no_variant_name_of_two_lines() {
    let base = fx::summary(false);
    let rows: Vec<VariantRow> = ["baseline", "verify contoso-partners.com"]
        .iter()
        .map(|n| VariantRow::from_summary(*n, &base))
        .collect();
    for (lang, header) in [(Lang::En, "unsynchronised"), (Lang::Fr, "synchronisés")] {
        let dir = tempfile::tempdir().unwrap();
        report::render_comparison(&rows, dir.path(), lang).unwrap();
        let text = svg_texts(&dir.path().join("comparison.svg"));
        assert!(!text.contains('…'), "{lang:?}: {text}");
        assert!(
            text.contains(header) && text.contains("contoso-partners.com"),
            "{lang:?}: {text}"
        );
    }
}

/// Writes the fixture reports into $REPORT_SAMPLES_DIR/{en,fr,hostile,comparison} for looking at.
#[test]
fn write_samples_when_asked() {
    let Some(out) = std::env::var_os("REPORT_SAMPLES_DIR") else {
        return;
    };
    let out = Path::new(&out);
    report::render_all(&fx::input(false), &out.join("en"), Lang::En).unwrap();
    report::render_all(&fx::input(false), &out.join("fr"), Lang::Fr).unwrap();
    report::render_all(&fx::input(true), &out.join("hostile"), Lang::En).unwrap();
    let base = fx::summary(false);
    let rows: Vec<VariantRow> = ["baseline", "sync contractors too", "verify fabrikam.net"]
        .iter()
        .map(|n| VariantRow::from_summary(*n, &base))
        .collect();
    report::render_comparison(&rows, &out.join("comparison"), Lang::Fr).unwrap();
}

/// A 1,000,000-user-sized run folder: 200,000 findings rows (`LARGE_FINDINGS` to change it) and
/// a million users in waves.csv. Prints the render time; run with
/// `cargo test --test report -- --ignored --nocapture large`.
#[test]
#[ignore]
fn large_report_dir_render_time() {
    let findings = std::env::var("LARGE_FINDINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let dir = tempfile::tempdir().unwrap();
    write_run_dir(dir.path(), findings, 1_000_000);
    let t = std::time::Instant::now();
    report::render_dir(dir.path(), Lang::En, fx::rule_docs(), None).unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!("render_dir with {findings} findings rows and 1,000,000 wave rows: {secs:.2} s");
    assert!(secs < 10.0);
}
