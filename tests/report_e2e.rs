//! The reports end to end, through the binary: a directory whose names hold markup, formulas,
//! quotes and right-to-left text goes through `assess`, `report` and `batch`; every output stays
//! inert (no markup, no formula) and readable (the names are still there, as text), and identical
//! inputs give identical bytes under `SOURCE_DATE_EPOCH`.

#[path = "common/pdf_text.rs"]
mod pdf_text;

use assert_cmd::Command;
use std::path::Path;

fn hybridready() -> Command {
    let mut c = Command::cargo_bin("hybridready").unwrap();
    c.env("SOURCE_DATE_EPOCH", "1790000000");
    c
}

const SCRIPT: &str = "<script>alert(1)</script>";
const FORMULA: &str = "=HYPERLINK(\"http://x\",\"y\")";
const QUOTES: &str = "O'Brien \"The Boss\"";
const HEBREW: &str = "משתמש עברי";
const ARABIC: &str = "مستخدم عربي";
const CUSTOMER: &str = "Contoso <b>bold</b>";

/// Writes users.csv (PowerShell 7 style) and scenario.toml into `dir`. The hostile users are
/// on-premises SfB users left unsynchronised (in an excluded OU, some with invalid UPNs) whose manager is
/// online, so they appear in the findings, the unsynced-impact worklist, the checks and the
/// charts.
fn write_inputs(dir: &Path) {
    let mut w = csv::Writer::from_path(dir.join("users.csv")).unwrap();
    w.write_record([
        "DistinguishedName",
        "ObjectGUID",
        "SamAccountName",
        "UserPrincipalName",
        "DisplayName",
        "mail",
        "Manager",
        "Enabled",
        "msRTCSIP-UserEnabled",
        "msRTCSIP-PrimaryUserAddress",
        "msRTCSIP-DeploymentLocator",
    ])
    .unwrap();
    let boss = "CN=Online Boss,OU=Staff,DC=contoso,DC=com";
    let mut n = 0;
    let mut user = |dn: &str, sam: &str, upn: &str, display: &str, sip: &str, online: bool| {
        n += 1;
        let locator = if online {
            "sipfed.online.lync.com"
        } else {
            "SRV:"
        };
        let manager = if dn == boss { "" } else { boss };
        w.write_record([
            dn,
            &format!("00000000-0000-0000-0000-{n:012}"),
            sam,
            upn,
            display,
            &format!("{sam}@contoso.com"),
            manager,
            "True",
            "True",
            &format!("sip:{sip}@contoso.com"),
            locator,
        ])
        .unwrap();
    };
    user(
        boss,
        "boss",
        "boss@contoso.com",
        "Online Boss",
        "boss",
        true,
    );
    for i in 0..4 {
        let name = format!("plain{i}");
        user(
            &format!("CN=Plain {i},OU=Staff,DC=contoso,DC=com"),
            &name,
            &format!("{name}@contoso.com"),
            &format!("Plain {i}"),
            &name,
            false,
        );
    }
    // Invalid UPNs (UPN-CHAR findings) in the excluded OU: unsynchronised either way.
    user(
        r"CN=\<script\>alert(1)\</script\>,OU=Excluded,DC=contoso,DC=com",
        "script",
        &format!("{SCRIPT}@contoso.com"),
        SCRIPT,
        "script",
        false,
    );
    user(
        r#"CN=\=HYPERLINK(\"http://x\"\,\"y\"),OU=Excluded,DC=contoso,DC=com"#,
        "formula",
        &format!("{FORMULA}@contoso.com"),
        FORMULA,
        "formula",
        false,
    );
    // Valid names, in the excluded OU too.
    user(
        r#"CN=O'Brien \"The Boss\",OU=Excluded,DC=contoso,DC=com"#,
        "obrien",
        "o'brien@contoso.com",
        QUOTES,
        "obrien",
        false,
    );
    user(
        &format!("CN={HEBREW},OU=Excluded,DC=contoso,DC=com"),
        "hebrew",
        "hebrew@contoso.com",
        HEBREW,
        "hebrew",
        false,
    );
    user(
        &format!("CN={ARABIC},OU=Excluded,DC=contoso,DC=com"),
        "arabic",
        "arabic@contoso.com",
        ARABIC,
        "arabic",
        false,
    );
    w.flush().unwrap();
    std::fs::write(
        dir.join("scenario.toml"),
        format!(
            r#"name = "hostile <i>names</i>"
[tenant]
name = "{CUSTOMER}"
initial_domain = "contoso.onmicrosoft.com"
verified_domains = ["contoso.com"]
shared_sip_address_space = true
[sync]
exclude_ous = ["OU=Excluded,DC=contoso,DC=com"]
[pilot]
users = ["plain0@contoso.com"]
"#
        ),
    )
    .unwrap();
}

fn assess(input: &Path, out: &Path, lang: &str) {
    hybridready()
        .arg("assess")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--lang", lang])
        .assert()
        // No error finding: an invalid UPN alters the value (a warning), it does not block sync.
        .code(0);
}

/// Every CSV cell of a worklist: none may start like a formula.
fn assert_csv_inert(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut cells = Vec::new();
    for rec in r.records() {
        for c in rec.unwrap().iter() {
            assert!(
                !matches!(c.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')),
                "{}: formula-like cell {c:?}",
                path.display()
            );
            cells.push(c.to_string());
        }
    }
    cells
}

/// The page's text checked inert, without the `<wbr>` line-break opportunities that table
/// cells put inside long tokens (so a name reads as one string).
fn assert_html_inert(path: &Path) -> String {
    let html = std::fs::read_to_string(path).unwrap().replace("<wbr>", "");
    let lower = html.to_ascii_lowercase();
    assert!(
        lower.matches("<script").count() <= 1,
        "{}: only the report's own script",
        path.display()
    );
    assert!(!html.contains(SCRIPT), "{}: raw markup", path.display());
    assert!(!html.contains("<b>bold"), "{}: raw markup", path.display());
    assert!(
        !lower.contains("http://") || !lower.contains("<link"),
        "no network"
    );
    assert!(
        !lower.contains("src=\"http"),
        "{}: no network",
        path.display()
    );
    html
}

fn assert_svgs_parse(dir: &Path) -> String {
    let mut texts = String::new();
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "svg") {
            continue;
        }
        n += 1;
        let src = std::fs::read_to_string(&p).unwrap();
        let doc = roxmltree::Document::parse(&src)
            .unwrap_or_else(|e| panic!("{}: not XML: {e}", p.display()));
        assert!(!src.contains("<script"), "{}", p.display());
        for node in doc.descendants().filter(|n| n.is_text()) {
            texts.push_str(node.text().unwrap_or_default());
            texts.push('\n');
        }
    }
    assert!(n > 0, "no SVG in {}", dir.display());
    texts
}

fn pdf_text(path: &Path) -> String {
    pdf_text::pages(path)
        .join("\n")
        .replace(['\u{a0}', '\u{202f}'], " ")
        .replace('\u{200b}', "")
}

#[test]
fn hostile_names_stay_inert_and_readable_through_assess_report_and_batch() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write_inputs(&input);
    let before = std::fs::read(input.join("users.csv")).unwrap();
    let out = tmp.path().join("out");
    assess(&input, &out, "en");
    assert_eq!(
        std::fs::read(input.join("users.csv")).unwrap(),
        before,
        "inputs untouched"
    );

    // The worklists: no cell can run as a formula; the names are there.
    let findings = assert_csv_inert(&out.join("findings.csv"));
    assert!(findings.iter().any(|c| c.contains(SCRIPT)), "{findings:?}");
    assert!(findings.iter().any(|c| c.starts_with("'=HYPERLINK(")));
    let unsynced = assert_csv_inert(&out.join("unsynced-impact.csv"));
    for name in ["'=HYPERLINK(", "o'brien@contoso.com", "hebrew@", "arabic@"] {
        assert!(
            unsynced.iter().any(|c| c.contains(name)),
            "{name}: {unsynced:?}"
        );
    }
    assert_csv_inert(&out.join("waves.csv"));

    // summary.json agrees: five unsynchronised SfB users, each losing the online boss.
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["sync"]["sfb_unsynced"], 5, "{:#}", summary["sync"]);
    assert_eq!(summary["breaks"]["end"]["unsynced_users_breaking"], 5);

    // HTML: escaped, so inert, and still readable.
    let html = assert_html_inert(&out.join("report.html"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Contoso &lt;b&gt;bold&lt;/b&gt;"));
    // The quote survives escaped, in the user's UPN (`o'brien@contoso.com`).
    assert!(html.to_lowercase().contains("o&#39;brien"));
    assert!(html.contains(HEBREW) || html.contains("hebrew@contoso.com"));

    // Charts parse as XML (nothing broke out of a text node).
    let svg = assert_svgs_parse(&out.join("charts"));
    assert!(svg.contains("hebrew@contoso.com") || svg.contains("hebrew"));

    // The PDF shows the names as text, not as markup.
    let pdf = pdf_text(&out.join("report.pdf"));
    assert!(
        pdf.contains(CUSTOMER),
        "customer on the cover, its markup shown as text"
    );
    // The users are named by their SIP addresses there; their markup-laden UPNs and display
    // names are in the worklists, checked above.

    // `report DIR --lang fr` re-renders from the files, in French, just as inert.
    let before_summary = std::fs::read(out.join("summary.json")).unwrap();
    hybridready()
        .arg("report")
        .arg(&out)
        .args(["--lang", "fr"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read(out.join("summary.json")).unwrap(),
        before_summary
    );
    let html = assert_html_inert(&out.join("report.html"));
    assert!(html.contains("lang=\"fr\""));
    assert!(html.contains("Synchronisation"));
    assert_svgs_parse(&out.join("charts"));
    let pdf = pdf_text(&out.join("report.pdf"));
    assert!(
        pdf.contains("Synthèse") || pdf.contains("synthèse"),
        "French PDF"
    );

    // A batch writes its comparison report, as inert.
    std::fs::write(
        tmp.path().join("batch.toml"),
        r#"base = "in/scenario.toml"
[[variant]]
name = "as planned <script>"
[[variant]]
name = "=1+1 sync everything"
sync.exclude_ous = []
"#,
    )
    .unwrap();
    let bout = tmp.path().join("batch");
    hybridready()
        .arg("batch")
        .arg(tmp.path().join("batch.toml"))
        .arg(&input)
        .arg("--out")
        .arg(&bout)
        .assert()
        .success();
    assert_csv_inert(&bout.join("comparison.csv"));
    let html = assert_html_inert(&bout.join("comparison.html"));
    assert!(html.contains("as planned &lt;script&gt;"));
    assert_svgs_parse(&bout);
    let pdf = pdf_text(&bout.join("comparison.pdf"));
    assert!(pdf.contains("as planned <script>"));
}

#[test]
fn identical_inputs_give_identical_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write_inputs(&input);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assess(&input, &a, "fr");
    assess(&input, &b, "fr");
    let mut compared = 0;
    for e in walk(&a) {
        let rel = e.strip_prefix(&a).unwrap();
        assert_eq!(
            std::fs::read(&e).unwrap(),
            std::fs::read(b.join(rel)).unwrap(),
            "{} differs between two runs",
            rel.display()
        );
        compared += 1;
    }
    // summary.json, 2 finding worklists, unsynced-impact, waves, pdf, html, charts.
    assert!(compared >= 8, "{compared} files");
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
    out
}
