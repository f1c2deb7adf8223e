//! The malformed corpus: every file of `tests/malformed/` is run through the built binary as a
//! consultant would (`hybridready inspect FILE`, then `hybridready assess FILE --out DIR
//! --no-report`), under a 3 GiB address-space limit and a wall-clock timeout, and what it says
//! is compared with the outcome `tests/malformed/expected.toml` gives for that file: the exit
//! codes, the rows read, accepted, merged and rejected, whether the file is refused, and
//! sentences of the output. No run may abort, panic or hang.
//!
//! A `NAME.recipe` file builds `NAME` at test time (large and zipped inputs: a file of 8 MiB or a
//! zip bomb is not committed). A `scenario-*.toml` is the `--scenario` of an assessment of a
//! small valid export instead of an input.
//!
//! `MALFORMED_CORPUS_SHOW=1 cargo test --test malformed_corpus -- --nocapture` prints what each
//! file gave, as the TOML of an expectation: a start for the entry of a new file, to be read and
//! corrected before it is committed.

#[path = "common/wait.rs"]
mod wait;

use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The most address space a run may take.
const ADDRESS_SPACE: u64 = 3 << 30;
/// A run still going after this long hangs.
const TIMEOUT: Duration = Duration::from_secs(60);
/// The corpus holds at least this many files.
const MIN_FILES: usize = 60;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed")
}

/// What a file is expected to give. Counts are summed over the file's inputs (the sheets of a
/// workbook); a count left out is not checked.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// What is hostile about the file, in a consultant's words.
    what: String,
    /// Exit code of `inspect` (not run for a scenario).
    #[serde(default)]
    inspect: Option<i32>,
    /// Exit code of `assess --no-report`.
    assess: i32,
    /// Whether the file (or one of its sheets) is refused whole.
    #[serde(default)]
    refused: Option<bool>,
    rows: Option<u64>,
    accepted: Option<u64>,
    merged: Option<u64>,
    rejected: Option<u64>,
    value_errors: Option<u64>,
    /// Said by `inspect` (stdout and stderr), or by `assess` for a scenario.
    #[serde(default)]
    says: Vec<String>,
    /// Never said by either command.
    #[serde(default)]
    never_says: Vec<String>,
    /// Never in a CSV worklist `assess` writes (a formula Excel would run).
    #[serde(default)]
    csv_never: Vec<String>,
}

/// How to build a file at test time: bytes from parts, or a zip of entries.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Recipe {
    #[serde(default)]
    part: Vec<Part>,
    /// `"xlsx"`: a one-sheet workbook (sheet "Users": a DN, a sAMAccountName, one user),
    /// whose entries `entry` replaces or adds to.
    base: Option<String>,
    #[serde(default)]
    entry: Vec<Entry>,
    /// Keep only the first bytes of the zip.
    truncate: Option<usize>,
    /// Set the "encrypted" flag of every zip entry.
    #[serde(default)]
    encrypted_flag: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Part {
    text: String,
    #[serde(default = "one")]
    times: usize,
}

fn one() -> usize {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    #[serde(default)]
    part: Vec<Part>,
    /// A symbolic link to this target instead of a file.
    link: Option<String>,
}

fn concat(parts: &[Part]) -> Vec<u8> {
    parts
        .iter()
        .flat_map(|p| p.text.as_bytes().repeat(p.times))
        .collect()
}

const NS: &str = "http://schemas.openxmlformats.org";

fn xlsx_base() -> Vec<(String, String)> {
    let rel = format!("{NS}/officeDocument/2006/relationships");
    [
        (
            "[Content_Types].xml",
            format!(
                "<Types xmlns=\"{NS}/package/2006/content-types\">\
                 <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
                 <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
                 <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
                 <Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>\
                 <Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>\
                 </Types>"
            ),
        ),
        (
            "_rels/.rels",
            format!(
                "<Relationships xmlns=\"{NS}/package/2006/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"xl/workbook.xml\"/>\
                 </Relationships>"
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                "<workbook xmlns=\"{NS}/spreadsheetml/2006/main\" xmlns:r=\"{rel}\">\
                 <sheets><sheet name=\"Users\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                "<Relationships xmlns=\"{NS}/package/2006/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
                 <Relationship Id=\"rId2\" Type=\"{rel}/sharedStrings\" Target=\"sharedStrings.xml\"/>\
                 </Relationships>"
            ),
        ),
        (
            "xl/sharedStrings.xml",
            format!("<sst xmlns=\"{NS}/spreadsheetml/2006/main\" count=\"0\" uniqueCount=\"0\"/>"),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                "<worksheet xmlns=\"{NS}/spreadsheetml/2006/main\"><sheetData>\
                 <row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>DistinguishedName</t></is></c>\
                 <c r=\"B1\" t=\"inlineStr\"><is><t>SamAccountName</t></is></c></row>\
                 <row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>CN=Ann,OU=Staff,DC=contoso,DC=com</t></is></c>\
                 <c r=\"B2\" t=\"inlineStr\"><is><t>ann</t></is></c></row>\
                 </sheetData></worksheet>"
            ),
        ),
    ]
    .into_iter()
    .map(|(n, t)| (n.to_string(), t))
    .collect()
}

fn build(recipe: &str) -> Vec<u8> {
    let r: Recipe = toml::from_str(recipe).expect("a recipe is TOML of parts or zip entries");
    if r.base.is_none() && r.entry.is_empty() {
        assert!(
            r.truncate.is_none() && !r.encrypted_flag,
            "truncate and encrypted_flag are for zips"
        );
        return concat(&r.part);
    }
    assert!(r.part.is_empty(), "a zip recipe has entries, not parts");
    let mut entries: Vec<(String, Vec<u8>)> = match r.base.as_deref() {
        Some("xlsx") => xlsx_base()
            .into_iter()
            .map(|(n, t)| (n, t.into_bytes()))
            .collect(),
        None => Vec::new(),
        Some(other) => panic!("unknown recipe base {other:?}"),
    };
    for e in r.entry.iter().filter(|e| e.link.is_none()) {
        let bytes = concat(&e.part);
        match entries.iter_mut().find(|(n, _)| *n == e.name) {
            Some(slot) => slot.1 = bytes,
            None => entries.push((e.name.clone(), bytes)),
        }
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in &entries {
        zip.start_file(name.as_str(), deflated).unwrap();
        zip.write_all(bytes).unwrap();
    }
    for e in &r.entry {
        if let Some(target) = &e.link {
            zip.add_symlink(e.name.as_str(), target.as_str(), deflated)
                .unwrap();
        }
    }
    let mut bytes = zip.finish().unwrap().into_inner();
    if r.encrypted_flag {
        // The general purpose flags: at 6 in a local header, at 8 in a central directory one.
        for i in 0..bytes.len().saturating_sub(10) {
            match &bytes[i..i + 4] {
                b"PK\x03\x04" => bytes[i + 6] |= 1,
                b"PK\x01\x02" => bytes[i + 8] |= 1,
                _ => {}
            }
        }
    }
    if let Some(n) = r.truncate {
        bytes.truncate(n);
    }
    bytes
}

/// The command that runs the binary under the address-space limit, and how the limit is set.
fn limited(args: &[&std::ffi::OsStr]) -> (Command, &'static str) {
    let bin = env!("CARGO_BIN_EXE_hybridready");
    let have = |tool: &str| {
        Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let mut c;
    let how;
    if have("prlimit") {
        c = Command::new("prlimit");
        c.arg(format!("--as={ADDRESS_SPACE}")).arg("--").arg(bin);
        how = "prlimit --as";
    } else if cfg!(unix) && have("sh") {
        c = Command::new("sh");
        c.arg("-c")
            .arg(format!(
                "ulimit -v {} && exec \"$0\" \"$@\"",
                ADDRESS_SPACE >> 10
            ))
            .arg(bin);
        how = "ulimit -v";
    } else {
        c = Command::new(bin);
        how = "none";
    }
    c.args(args);
    (c, how)
}

/// One run: exit code, stdout and stderr (as text), or why the run failed.
struct Run {
    code: i32,
    out: String,
    err: String,
}

fn run(dir: &Path, tag: &str, args: &[&std::ffi::OsStr]) -> Result<Run, String> {
    let (mut c, _) = limited(args);
    let out_path = dir.join(format!("{tag}.stdout"));
    let err_path = dir.join(format!("{tag}.stderr"));
    c.stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .env("SOURCE_DATE_EPOCH", "1767225600");
    let mut child = c.spawn().map_err(|e| format!("{tag}: cannot start: {e}"))?;
    let Some(status) = wait::wait_timeout(&mut child, TIMEOUT) else {
        return Err(format!("{tag}: hangs: still running after {TIMEOUT:?}"));
    };
    let out = String::from_utf8_lossy(&std::fs::read(&out_path).unwrap()).into_owned();
    let err = String::from_utf8_lossy(&std::fs::read(&err_path).unwrap()).into_owned();
    let Some(code) = status.code() else {
        return Err(format!(
            "{tag}: killed by a signal ({status}); stderr: {err}"
        ));
    };
    if code == 101 || code == 134 || err.contains("panicked") {
        return Err(format!("{tag}: panicked or aborted (exit {code}): {err}"));
    }
    Ok(Run { code, out, err })
}

/// What the inspect JSON says, summed over the file's inputs.
#[derive(Debug, Default)]
struct Counts {
    refused: bool,
    rows: u64,
    accepted: u64,
    merged: u64,
    rejected: u64,
    value_errors: u64,
}

fn counts(json: &str) -> Result<Counts, String> {
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("inspect --format json: {e}: {json}"))?;
    let mut c = Counts::default();
    for i in v["inputs"].as_array().into_iter().flatten() {
        let n = |k: &str| i[k].as_u64().unwrap_or(0);
        c.refused |= i["status"] == "refused";
        c.rows += n("rows");
        c.accepted += n("accepted");
        c.merged += n("merged");
        c.rejected += n("rejected");
        c.value_errors += n("value_errors");
    }
    Ok(c)
}

/// A valid export for the scenario files to be assessed with.
const BASE_EXPORT: &str = "\"DistinguishedName\",\"SamAccountName\",\"UserPrincipalName\",\"ObjectClass\"\r\n\
                           \"CN=Ann,OU=Staff,DC=contoso,DC=com\",\"ann\",\"ann@contoso.com\",\"user\"\r\n";

/// Runs one corpus file and returns what differs from its expectation.
fn check(name: &str, e: &Expect, show: bool) -> Result<(), String> {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let src = corpus_dir().join(name);
    let (target, bytes) = match name.strip_suffix(".recipe") {
        Some(t) => (t, build(&std::fs::read_to_string(&src).unwrap())),
        None => (name, std::fs::read(&src).unwrap()),
    };
    let scenario = target.starts_with("scenario-");
    let file = inputs.join(target);
    std::fs::write(&file, &bytes).unwrap();
    let out_dir = tmp.path().join("out");
    let mut problems = Vec::new();
    let mut said = String::new();
    let mut got = Counts::default();
    let mut inspect_code = None;
    if scenario {
        assert!(e.inspect.is_none(), "{name}: a scenario is not inspected");
        std::fs::remove_file(&file).unwrap();
        std::fs::write(inputs.join("users.csv"), BASE_EXPORT).unwrap();
    } else {
        let text = run(
            tmp.path(),
            "inspect",
            &["inspect".as_ref(), file.as_os_str()],
        )?;
        let json = run(
            tmp.path(),
            "inspect-json",
            &[
                "inspect".as_ref(),
                "--format".as_ref(),
                "json".as_ref(),
                file.as_os_str(),
            ],
        )?;
        if json.code != text.code {
            problems.push(format!(
                "inspect exits {} in text and {} in JSON",
                text.code, json.code
            ));
        }
        got = counts(&json.out)?;
        inspect_code = Some(text.code);
        said = format!("{}{}", text.out, text.err);
    }
    let mut assess_args: Vec<&std::ffi::OsStr> = vec!["assess".as_ref(), inputs.as_os_str()];
    let scenario_file = tmp.path().join(target);
    if scenario {
        std::fs::write(&scenario_file, &bytes).unwrap();
        assess_args.extend(["--scenario".as_ref(), scenario_file.as_os_str()]);
    }
    assess_args.extend([
        "--out".as_ref(),
        out_dir.as_os_str(),
        "--no-report".as_ref(),
    ]);
    let assess = run(tmp.path(), "assess", &assess_args)?;
    let assess_said = format!("{}{}", assess.out, assess.err);
    if scenario {
        said.clone_from(&assess_said);
    }
    if show {
        eprintln!(
            "[\"{name}\"]\nwhat = {:?}\n{}assess = {}\nrefused = {}\nrows = {}\naccepted = {}\n\
             merged = {}\nrejected = {}\nvalue_errors = {}\n--- said:\n{said}\n--- assess said:\n{assess_said}\n",
            e.what,
            inspect_code.map_or(String::new(), |c| format!("inspect = {c}\n")),
            assess.code,
            got.refused,
            got.rows,
            got.accepted,
            got.merged,
            got.rejected,
            got.value_errors,
        );
    }
    if inspect_code != e.inspect {
        problems.push(format!(
            "inspect exits {inspect_code:?}, expected {:?}",
            e.inspect
        ));
    }
    if assess.code != e.assess {
        problems.push(format!(
            "assess exits {}, expected {}: {}",
            assess.code, e.assess, assess.err
        ));
    }
    let pairs = [
        ("refused", e.refused.map(u64::from), u64::from(got.refused)),
        ("rows", e.rows, got.rows),
        ("accepted", e.accepted, got.accepted),
        ("merged", e.merged, got.merged),
        ("rejected", e.rejected, got.rejected),
        ("value_errors", e.value_errors, got.value_errors),
    ];
    for (what, want, have) in pairs {
        if want.is_some_and(|w| w != have) {
            problems.push(format!("{what} is {have}, expected {}", want.unwrap_or(0)));
        }
    }
    if !scenario && got.rows != got.accepted + got.merged + got.rejected {
        problems.push(format!("rows do not add up: {got:?}"));
    }
    for s in &e.says {
        if !said.contains(s.as_str()) {
            problems.push(format!("does not say {s:?}"));
        }
    }
    for s in &e.never_says {
        if said.contains(s.as_str()) || assess_said.contains(s.as_str()) {
            problems.push(format!("says {s:?}"));
        }
    }
    for entry in std::fs::read_dir(&out_dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "csv") {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            for s in e.csv_never.iter().filter(|s| text.contains(s.as_str())) {
                problems.push(format!("{} holds {s:?}", path.display()));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n--- it said:\n{said}", problems.join("\n  ")))
    }
}

#[test]
fn every_malformed_file_gives_its_expected_outcome() {
    let dir = corpus_dir();
    let manifest = std::fs::read_to_string(dir.join("expected.toml")).unwrap();
    let expected: BTreeMap<String, Expect> =
        toml::from_str(&manifest).expect("expected.toml: one table per file");
    let files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "expected.toml")
        .collect();
    let unlisted: Vec<&String> = files
        .iter()
        .filter(|f| !expected.contains_key(*f))
        .collect();
    let missing: Vec<&String> = expected.keys().filter(|k| !files.contains(k)).collect();
    assert!(
        unlisted.is_empty(),
        "files with no expectation: {unlisted:?}"
    );
    assert!(missing.is_empty(), "expectations with no file: {missing:?}");
    assert!(
        files.len() >= MIN_FILES,
        "the corpus has {} files, fewer than {MIN_FILES}",
        files.len()
    );
    let (_, how) = limited(&[]);
    if how == "none" {
        eprintln!("no prlimit and no sh: the address-space limit was NOT applied");
    }

    let show = std::env::var_os("MALFORMED_CORPUS_SHOW").is_some();
    let names: Vec<&String> = expected.keys().collect();
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                while let Some(name) = names.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if let Err(why) = check(name, &expected[*name], show) {
                        failures.lock().unwrap().push(format!("{name}: {why}"));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} files (address space limited by {how}):\n\n{}",
        failures.len(),
        names.len(),
        failures.join("\n\n")
    );
}

/// The recipes build what they say: a part repeated, a base workbook with an entry replaced, a
/// zip cut short or flagged as encrypted.
#[test]
fn recipes_build_what_they_say() {
    assert_eq!(
        build("[[part]]\ntext = \"ab\"\ntimes = 3\n[[part]]\ntext = \"c\"\n"),
        b"abababc"
    );
    let zip =
        build("base = \"xlsx\"\n[[entry]]\nname = \"x.txt\"\n[[entry.part]]\ntext = \"hi\"\n");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&zip)).unwrap();
    assert_eq!(z.len(), xlsx_base().len() + 1);
    let mut text = String::new();
    std::io::Read::read_to_string(&mut z.by_name("x.txt").unwrap(), &mut text).unwrap();
    assert_eq!(text, "hi");
    let cut = build("base = \"xlsx\"\ntruncate = 100\n");
    assert_eq!(cut.len(), 100);
    assert!(zip::ZipArchive::new(std::io::Cursor::new(&cut)).is_err());
    let locked = build("base = \"xlsx\"\nencrypted_flag = true\n");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&locked)).unwrap();
    assert!(z.by_index_raw(0).unwrap().encrypted());
    let linked = build("[[entry]]\nname = \"a.csv\"\nlink = \"/etc/passwd\"\n");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&linked)).unwrap();
    assert!(z.by_index_raw(0).unwrap().is_symlink());
}
