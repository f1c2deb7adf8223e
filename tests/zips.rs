//! Zips of exports are read as folders: the sample zipped gives the assessment of the sample, a
//! zip beside loose files adds its entries to theirs, a zip in a zip is opened and one deeper
//! passed over, the `zip-*` limits refuse a zip before it is inflated, and every file of a kind
//! the tool does not read is listed with why, never dropped in silence. (The hostile zips, as
//! files: `tests/malformed/zip-*.recipe`.)

use std::io::Write as _;
use std::path::{Path, PathBuf};

fn hybridready(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let o = assert_cmd::Command::cargo_bin("hybridready")
        .unwrap()
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.code().unwrap_or(-1), text)
}

fn inspect(input: &Path, extra: &[&str]) -> (i32, String) {
    let mut args: Vec<&std::ffi::OsStr> = vec!["inspect".as_ref(), input.as_os_str()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    hybridready(&args)
}

/// `assess INPUT --out OUT --no-report`, then `extra`.
fn assess(input: &Path, out: &Path, extra: &[&std::ffi::OsStr]) -> (i32, String) {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "assess".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--no-report".as_ref(),
    ];
    args.extend(extra);
    hybridready(&args)
}

/// A folder `in` holding one loose export of one user.
fn users_folder(tmp: &Path) -> PathBuf {
    let dir = tmp.join("in");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("users.csv"), USERS).unwrap();
    dir
}

/// A zip of `entries` (name, bytes), deflated.
fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        z.start_file(*name, deflated).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

const USERS: &str = "\"DistinguishedName\",\"SamAccountName\",\"UserPrincipalName\",\"ObjectClass\"\r\n\
                     \"CN=Ann,OU=Staff,DC=contoso,DC=com\",\"ann\",\"ann@contoso.com\",\"user\"\r\n";
const GROUPS: &str = "\"DistinguishedName\",\"SamAccountName\",\"ObjectClass\",\"Members\"\r\n\
                      \"CN=Staff,OU=Groups,DC=contoso,DC=com\",\"staff\",\"group\",\"CN=Ann,OU=Staff,DC=contoso,DC=com\"\r\n";
const CONTACTS: &str = "\"DistinguishedName\",\"Mail\",\"ObjectClass\"\r\n\
                        \"CN=Partner,OU=Contacts,DC=contoso,DC=com\",\"p@fabrikam.com\",\"contact\"\r\n";

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/contoso")
}

/// The files of `dir` (recursively, by name) as zip entries named below it.
fn entries_of(dir: &Path, below: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let mut children: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    children.sort();
    for p in children {
        let name = format!("{below}{}", p.file_name().unwrap().to_string_lossy());
        if p.is_dir() {
            entries_of(&p, &format!("{name}/"), out);
        } else {
            out.push((name, std::fs::read(&p).unwrap()));
        }
    }
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The sample's exports zipped give the same assessment as the sample's folder: the same
/// findings, the same figures, the same worklists; each input under its name in the zip.
#[test]
fn the_sample_zipped_gives_the_assessment_of_its_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = sample().join("scenario.toml");
    // The exports only: the scenario and its affinity files are the scenario's, not exports.
    let mut entries = Vec::new();
    for d in ["config", "excel-fr", "ps51", "xlsx"] {
        entries_of(&sample().join(d), &format!("{d}/"), &mut entries);
    }
    let entries: Vec<(&str, Vec<u8>)> = entries
        .iter()
        .map(|(n, b)| (n.as_str(), b.clone()))
        .collect();
    let zipped = tmp.path().join("contoso.zip");
    std::fs::write(&zipped, zip_of(&entries)).unwrap();
    let before = std::fs::read(&zipped).unwrap();
    let with_scenario = ["--scenario".as_ref(), scenario.as_os_str()];
    let (folder_out, zip_out) = (tmp.path().join("folder"), tmp.path().join("zip"));
    let (code, said) = assess(&sample(), &folder_out, &with_scenario);
    assert_eq!(code, 0, "{said}");
    let (code, said) = assess(&zipped, &zip_out, &with_scenario);
    assert_eq!(code, 0, "{said}");
    assert_eq!(
        std::fs::read(&zipped).unwrap(),
        before,
        "the zip is only read"
    );

    let (mut folder, mut zip) = (
        json(&folder_out.join("summary.json")),
        json(&zip_out.join("summary.json")),
    );
    let (fi, zi) = (folder["inputs"].take(), zip["inputs"].take());
    // Where each setting came from names the file, in the folder or in the zip: the same keys.
    let (fs, zs) = (folder["settings"].take(), zip["settings"].take());
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&fs), keys(&zs));
    assert_eq!(folder, zip, "the same figures and findings");
    assert!(zip["directory"]["users"].as_u64().unwrap() > 0);
    // Each input, under its name in the zip, with the same rows.
    let key = |i: &serde_json::Value, root: &str| {
        let path = i["path"].as_str().unwrap().replace('\\', "/");
        let at = path
            .find(root)
            .unwrap_or_else(|| panic!("{path} not under {root}"));
        let mut i = i.clone();
        i["path"] = path[at + root.len()..].into();
        i
    };
    let by_path = |inputs: &serde_json::Value, root: &str| {
        let mut v: Vec<_> = inputs
            .as_array()
            .unwrap()
            .iter()
            .map(|i| key(i, root))
            .collect();
        v.sort_by_key(|i| (i["path"].to_string(), i["sheet"].to_string()));
        v
    };
    let (fi, zi) = (by_path(&fi, "contoso/"), by_path(&zi, "contoso.zip/"));
    assert_eq!(fi, zi);
    assert!(
        zi.iter().any(|i| i["path"] == "xlsx/directory.xlsx"),
        "{zi:?}"
    );
    // The worklists too, byte for byte.
    for entry in std::fs::read_dir(&folder_out).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            let name = path.file_name().unwrap();
            assert_eq!(
                std::fs::read(&path).unwrap(),
                std::fs::read(zip_out.join(name)).unwrap(),
                "{name:?}"
            );
        }
    }
}

/// A zip in a folder is read beside the folder's loose files (its group's member is a loose
/// file's user); files of other kinds are listed with why, hidden ones counted.
#[test]
fn a_zip_in_a_folder_is_read_beside_its_loose_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = users_folder(tmp.path());
    std::fs::write(dir.join("readme.pdf"), b"%PDF-1.4").unwrap();
    std::fs::write(dir.join(".DS_Store"), b"\0\0\0\x01Bud1").unwrap();
    std::fs::write(dir.join("~$users.xlsx"), b"lock").unwrap();
    let zipped = zip_of(&[
        ("more/groups.csv", GROUPS.into()),
        ("more/contacts.csv", CONTACTS.into()),
        ("notes.docx", b"PK not really".to_vec()),
        ("more/.hidden.csv", USERS.into()),
    ]);
    std::fs::write(dir.join("more.zip"), zipped).unwrap();
    let (code, out) = inspect(&dir, &[]);
    assert_eq!(code, 0, "{out}");
    let shown = |rel: &str| dir.join(rel).display().to_string();
    for read in ["more.zip/more/groups.csv", "more.zip/more/contacts.csv"] {
        assert!(
            out.contains(&format!("{}\n  dialect", shown(read))),
            "{read}: {out}"
        );
    }
    for skipped in ["readme.pdf", "more.zip/notes.docx"] {
        assert!(
            out.contains(&format!(
                "{}\n  ignored    not an export the tool reads (CSV, TSV, TXT, XLSX",
                shown(skipped)
            )),
            "{skipped}: {out}"
        );
    }
    assert!(out.contains("3 hidden files passed over"), "{out}");
    assert!(out.contains("1 groups, 1 contacts"), "{out}");
    assert!(out.contains("memberships 1 direct"), "{out}");

    // assess counts what it passed over in its summary.
    let out_dir = tmp.path().join("out");
    let (code, said) = assess(&dir, &out_dir, &[]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("2 inputs passed over"), "{said}");
    assert!(said.contains("3 hidden files passed over"), "{said}");
    let summary = json(&out_dir.join("summary.json"));
    let ignored: Vec<&str> = summary["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "ignored")
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(ignored.len(), 2, "{ignored:?}");
}

/// A zip in a zip is opened; a zip one deeper is listed as passed over, with why.
#[test]
fn a_zip_in_a_zip_is_read_and_one_deeper_passed_over() {
    let tmp = tempfile::tempdir().unwrap();
    let deeper = zip_of(&[("contacts.csv", CONTACTS.into())]);
    let inner = zip_of(&[("groups.csv", GROUPS.into()), ("deeper.zip", deeper)]);
    let outer = tmp.path().join("outer.zip");
    std::fs::write(
        &outer,
        zip_of(&[("users.csv", USERS.into()), ("inner.zip", inner)]),
    )
    .unwrap();
    let (code, out) = inspect(&outer, &[]);
    assert_eq!(code, 0, "{out}");
    let outer = outer.display().to_string();
    assert!(
        out.contains(&format!("{outer}/users.csv\n  dialect")),
        "{out}"
    );
    assert!(
        out.contains(&format!("{outer}/inner.zip/groups.csv\n  dialect")),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{outer}/inner.zip/deeper.zip\n  ignored    a zip inside a zip inside a zip"
        )),
        "{out}"
    );
    assert!(out.contains("memberships 1 direct"), "{out}");
}

/// A zip over `zip-entries` or `zip-size` is refused before it is inflated, naming the limit and
/// the flag that raises it; the other inputs are still read, and the raised limit lets it in.
#[test]
fn a_zip_over_its_limits_is_refused_naming_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = users_folder(tmp.path());
    let zipped = zip_of(&[
        ("groups.csv", GROUPS.into()),
        ("contacts.csv", CONTACTS.into()),
        ("notes.pdf", b"%PDF-1.4".to_vec()),
    ]);
    std::fs::write(dir.join("more.zip"), &zipped).unwrap();
    let size = (GROUPS.len() + CONTACTS.len()) as u64;
    let cases = [
        (
            "zip-entries=2".to_string(),
            "the zip holds 3 entries, over the zip-entries limit of 2".to_string(),
            "zip-entries=4".to_string(),
            "--limit zip-entries=4",
        ),
        (
            format!("zip-size={}", size - 1),
            format!("expand to {size} bytes in all, over the zip-size limit of"),
            format!("zip-size={size}"),
            "--limit zip-size=",
        ),
    ];
    for (low, says, high, hint) in cases {
        let (code, out) = inspect(&dir, &["--limit", &low]);
        assert_eq!(code, 2, "{low}: {out}");
        assert!(out.contains(&says), "{says:?} not in:\n{out}");
        assert!(
            out.contains(&format!("raise the limit with {hint}")),
            "{out}"
        );
        assert!(
            out.contains("users.csv\n  dialect"),
            "the others are read: {out}"
        );
        let (code, out) = inspect(&dir, &["--limit", &high]);
        assert_eq!(code, 0, "{high}: {out}");
        assert!(out.contains("more.zip/groups.csv\n  dialect"), "{out}");
    }
}

/// A damaged zip is refused (exit 2) while the other inputs are assessed; `--out` onto a zip
/// given as input is refused and the zip left as it was.
#[test]
fn a_truncated_zip_is_refused_and_the_others_assessed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = users_folder(tmp.path());
    let mut zipped = zip_of(&[("groups.csv", GROUPS.into())]);
    zipped.truncate(zipped.len() - 10);
    std::fs::write(dir.join("broken.zip"), &zipped).unwrap();
    let out_dir = tmp.path().join("out");
    let (code, said) = assess(&dir, &out_dir, &[]);
    assert_eq!(code, 2, "{said}");
    assert!(said.contains("broken.zip: not a readable zip"), "{said}");
    assert_eq!(json(&out_dir.join("summary.json"))["directory"]["users"], 1);

    let good = tmp.path().join("good.zip");
    std::fs::write(&good, zip_of(&[("users.csv", USERS.into())])).unwrap();
    let before = std::fs::read(&good).unwrap();
    let (code, said) = assess(&good, &good, &[]);
    assert_eq!(code, 2, "{said}");
    assert!(said.contains("is a file, not a folder"), "{said}");
    assert_eq!(std::fs::read(&good).unwrap(), before);
}

/// An entry named to climb out of the folder it would be extracted to is listed by its name and
/// not read; nothing is written beside the zip or above it.
#[test]
fn a_zip_slip_entry_is_named_and_never_used_as_a_path() {
    let tmp = tempfile::tempdir().unwrap();
    let deep = tmp.path().join("a/b");
    std::fs::create_dir_all(&deep).unwrap();
    let zipped = deep.join("slip.zip");
    std::fs::write(
        &zipped,
        zip_of(&[
            ("../../escaped.csv", USERS.into()),
            ("users.csv", USERS.into()),
        ]),
    )
    .unwrap();
    let (code, out) = inspect(&zipped, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("slip.zip/../../escaped.csv\n  ignored    an entry whose name"),
        "{out}"
    );
    for dir in [tmp.path(), &tmp.path().join("a"), &deep] {
        let names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(!names.iter().any(|n| n == "escaped.csv"), "{names:?}");
    }
}

/// A zip holding nothing the tool reads is said to be so, as an empty folder is, rather than
/// assessed as an empty directory.
#[test]
fn a_zip_without_exports_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let zipped = tmp.path().join("notes.zip");
    std::fs::write(
        &zipped,
        zip_of(&[
            ("notes.docx", b"minutes".to_vec()),
            ("a/b.pdf", b"%PDF".to_vec()),
        ]),
    )
    .unwrap();
    let (code, said) = assess(&zipped, &tmp.path().join("out"), &[]);
    assert_eq!(code, 2, "{said}");
    assert!(said.contains("no export found in"), "{said}");
    assert!(!tmp.path().join("out").exists(), "nothing written");
}
