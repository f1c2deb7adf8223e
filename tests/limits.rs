//! The limits on hostile input (`--limit NAME=VALUE`): an input just over each is refused with a
//! message that names the limit and the flag, and read once the flag raises it. The inputs are
//! small: the tests lower the limits rather than build huge files.

use std::path::{Path, PathBuf};
use std::process::Output;

const HEADER: &str =
    "\"DistinguishedName\",\"SamAccountName\",\"UserPrincipalName\",\"Description\"\r\n";

fn user(n: u32, dn: &str, description: &str) -> String {
    format!("\"{dn}\",\"user{n}\",\"user{n}@contoso.com\",\"{description}\"\r\n")
}

fn dn(n: u32) -> String {
    format!("CN=User {n},OU=Staff,DC=contoso,DC=com")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn hybridready(args: &[&str], inputs: &[&Path]) -> Output {
    assert_cmd::Command::cargo_bin("hybridready")
        .unwrap()
        .args(args.iter().take(1))
        .args(inputs)
        .args(args.iter().skip(1))
        .output()
        .unwrap()
}

/// `2,048`, as the English messages write a number.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `inspect` with one `--limit`: the exit code and everything printed.
fn inspect(input: &Path, limit: &str) -> (Option<i32>, String) {
    let o = hybridready(&["inspect", "--limit", limit], &[input]);
    (o.status.code(), text(&o))
}

/// A value over a limit on one value is a value error of its row naming the limit and the flag.
fn assert_value_limit(input: &Path, low: &str, high: &str, expected: &str) {
    let (code, out) = inspect(input, low);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("bad values 1"), "{out}");
    assert!(out.contains(expected), "{out}");
    let (code, out) = inspect(input, high);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("bad values"), "{out}");
    assert!(out.contains("1 accepted"), "{out}");
}

/// A file over a limit on a whole file is refused (exit 2) naming the limit and the flag.
fn assert_file_limit(input: &Path, low: &str, high: &str, expected: &[&str]) {
    let (code, out) = inspect(input, low);
    assert_eq!(code, Some(2), "{out}");
    for e in expected {
        assert!(out.contains(e), "{e:?} not in:\n{out}");
    }
    let (code, out) = inspect(input, high);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("refused"), "{out}");
}

#[test]
fn a_file_over_the_file_size_limit_is_refused_and_the_others_assessed() {
    let dir = tempfile::tempdir().unwrap();
    let rows: String = (0..40).map(|n| user(n, &dn(n), "")).collect();
    let big = write(dir.path(), "big.csv", &format!("{HEADER}{rows}"));
    let small = write(
        dir.path(),
        "small.csv",
        &format!("{HEADER}{}", user(99, &dn(99), "")),
    );
    let size = std::fs::metadata(&big).unwrap().len();
    assert!((2048..4096).contains(&size), "{size}");
    let out = dir.path().join("out");
    // The exit code, everything printed and the users assessed, with `--limit file-size=…`.
    let assess = |limit: &str| {
        let o = hybridready(
            &[
                "assess",
                "--out",
                out.to_str().unwrap(),
                "--no-report",
                "--limit",
                &format!("file-size={limit}"),
            ],
            &[&big, &small],
        );
        let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
        let summary: serde_json::Value = serde_json::from_str(&summary).unwrap();
        (
            o.status.code(),
            text(&o),
            summary["directory"]["users"].clone(),
        )
    };
    let (code, printed, users) = assess("2KiB");
    assert_eq!(code, Some(2), "{printed}");
    assert!(
        printed.contains(&format!(
            "big.csv: the file holds {} bytes, over the file-size limit of 2KiB",
            thousands(size)
        )),
        "{printed}"
    );
    assert!(
        printed
            .contains("hint: if the file is genuine, raise the limit with --limit file-size=4KiB"),
        "{printed}"
    );
    assert_eq!(users, 1, "small.csv is assessed");
    let (code, printed, users) = assess("4KiB");
    assert_eq!(code, Some(0), "{printed}");
    assert_eq!(users, 41);
}

#[test]
fn a_value_over_the_field_size_limit_is_a_value_error_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "users.csv",
        &format!("{HEADER}{}", user(1, &dn(1), &"x".repeat(100))),
    );
    assert_value_limit(
        &input,
        "field-size=64",
        "field-size=100",
        "a value of at most 64 bytes, found 100: not read (the field-size limit: raise it with \
         --limit field-size=128)",
    );
}

#[test]
fn a_dn_over_the_dn_length_limit_is_a_value_error_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("CN={},OU=Staff,DC=contoso,DC=com", "x".repeat(41));
    assert_eq!(long.len(), 71);
    let input = write(
        dir.path(),
        "users.csv",
        &format!("{HEADER}{}", user(1, &long, "")),
    );
    assert_value_limit(
        &input,
        "dn-length=70",
        "dn-length=71",
        "a distinguished name of at most 70 bytes, found 71 (the dn-length limit: raise it with \
         --limit dn-length=128)",
    );
}

#[test]
fn a_dn_over_the_dn_depth_limit_is_a_value_error_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let deep = "CN=U1,OU=a,OU=b,OU=c,DC=contoso,DC=com";
    let input = write(
        dir.path(),
        "users.csv",
        &format!("{HEADER}{}", user(1, deep, "")),
    );
    assert_value_limit(
        &input,
        "dn-depth=5",
        "dn-depth=6",
        "a distinguished name at most 5 levels deep, found 6 (the dn-depth limit: raise it with \
         --limit dn-depth=8)",
    );
}

/// A workbook of one sheet: a header and one user whose description is `description`.
fn workbook(dir: &Path, description: &str) -> PathBuf {
    let path = dir.join("users.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Users").unwrap();
    let rows = [
        ["DistinguishedName", "SamAccountName", "Description"],
        ["CN=U1,OU=Staff,DC=contoso,DC=com", "u1", description],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(&path).unwrap();
    path
}

#[test]
fn a_workbook_cell_over_the_cell_size_limit_is_refused_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let input = workbook(dir.path(), &"x".repeat(100));
    assert_file_limit(
        &input,
        "cell-size=99",
        "cell-size=100",
        &[
            "sheet \"Users\": cell C2 holds 100 bytes, over the cell-size limit of 99",
            "raise the limit with --limit cell-size=128",
        ],
    );
}

#[test]
fn a_sheet_over_the_sheet_cells_limit_is_refused_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let input = workbook(dir.path(), "d");
    assert_file_limit(
        &input,
        "sheet-cells=5",
        "sheet-cells=6",
        &[
            "sheet \"Users\": its cells lay out 6 cells (A1:C2), over the sheet-cells limit of 5",
            "raise the limit with --limit sheet-cells=8",
        ],
    );
}

#[test]
fn a_workbook_part_over_the_xlsx_part_size_limit_is_refused_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let input = workbook(dir.path(), "d");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&input).unwrap()).unwrap();
    let (name, largest) = (0..zip.len())
        .map(|i| {
            let part = zip.by_index(i).unwrap();
            (part.name().unwrap().into_owned(), part.size())
        })
        .max_by_key(|&(_, size)| size)
        .unwrap();
    assert_file_limit(
        &input,
        &format!("xlsx-part-size={}", largest - 1),
        &format!("xlsx-part-size={largest}"),
        &[
            &format!(
                "the workbook part {name} expands to {} bytes, over the xlsx-part-size limit of",
                thousands(largest)
            ),
            "raise the limit with --limit xlsx-part-size=",
        ],
    );
}

/// A part over 64 MiB that inflates a thousand-fold: refused for its ratio, then, with the
/// ratio raised, read (and refused as the broken workbook it is).
#[test]
fn a_workbook_part_over_the_xlsx_part_ratio_limit_is_refused_naming_the_flag() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.xlsx");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    z.start_file("xl/worksheets/sheet1.xml", deflated).unwrap();
    let block = vec![b'A'; 1 << 20];
    for _ in 0..65 {
        z.write_all(&block).unwrap();
    }
    z.finish().unwrap();
    let (code, out) = inspect(&path, "xlsx-part-ratio=100");
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("over the xlsx-part-ratio limit of 100: not a workbook Excel wrote"),
        "{out}"
    );
    assert!(
        out.contains("raise the limit with --limit xlsx-part-ratio=2048"),
        "{out}"
    );
    let (code, out) = inspect(&path, "xlsx-part-ratio=2048");
    assert_eq!(code, Some(2), "{out}");
    assert!(!out.contains("xlsx-part-ratio"), "{out}");
}

#[test]
fn an_unknown_limit_or_a_bad_value_is_a_usage_error_listing_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "users.csv",
        &format!("{HEADER}{}", user(1, &dn(1), "")),
    );
    let (code, out) = inspect(&input, "dn-deep=5");
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("unknown limit \"dn-deep\""), "{out}");
    for name in ["file-size", "dn-depth", "xlsx-part-ratio"] {
        assert!(out.contains(name), "{name} not listed:\n{out}");
    }
    let (code, out) = inspect(&input, "file-size=4GB");
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("expected a size such as"), "{out}");
    for command in ["assess", "batch", "inspect"] {
        let o = hybridready(&[command, "--help"], &[]);
        assert!(text(&o).contains("--limit <NAME=VALUE>"), "{command}");
    }
}
