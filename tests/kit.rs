//! The collection kit end to end: the script's text is safe to hand over (read-only cmdlets,
//! balanced), a folder in the shape it writes is read by `inspect` file by file as the kind it
//! is, the manifest is checked and the sections that did not run are shown, and the README's
//! manual commands are the kit's own.
//!
//! `HYBRIDREADY_UPDATE_KIT_FIXTURE=1` rewrites the fixture's manifest and the README's block of
//! manual commands from what they must be (review the diff).

use assert_cmd::Command;
use hybridready::directory::ObjectKind;
use hybridready::kit::{Options, properties, script, script::manual_commands};
use std::path::{Path, PathBuf};

const FIXTURE: &str = "tests/fixtures/kit/HybridReady-SFB01-20261208-0215";

fn update() -> bool {
    std::env::var_os("HYBRIDREADY_UPDATE_KIT_FIXTURE").is_some()
}

fn hybridready() -> Command {
    Command::cargo_bin("hybridready").unwrap()
}

/// The header line of a CSV the kit wrote (after the byte-order mark), as names.
fn header(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let first = text.trim_start_matches('\u{feff}').lines().next().unwrap();
    first
        .split(',')
        .map(|h| h.trim_matches('"').to_string())
        .collect()
}

/// Every file of the folder but the manifest, relative, with `/`, sorted as the script sorts.
fn kit_files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if rel != "manifest.csv" {
                    out.push(rel);
                }
            }
        }
    }
    out.sort();
    out
}

fn sha256(path: &Path) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(std::fs::read(path).unwrap());
    d.iter().map(|b| format!("{b:02X}")).collect()
}

/// The manifest the kit would write for the folder.
fn manifest_for(root: &Path) -> String {
    let mut m = String::from("\u{feff}\"Path\",\"Bytes\",\"SHA256\"\r\n");
    for rel in kit_files(root) {
        let p = root.join(&rel);
        let bytes = std::fs::metadata(&p).unwrap().len();
        m.push_str(&format!("\"{rel}\",\"{bytes}\",\"{}\"\r\n", sha256(&p)));
    }
    m
}

#[test]
fn fixture_csvs_have_the_columns_the_script_writes() {
    let root = Path::new(FIXTURE);
    let ad = root.join("ad/contoso.com/contoso.com");
    for (kind, file) in [
        (ObjectKind::User, "users.csv"),
        (ObjectKind::Group, "groups.csv"),
        (ObjectKind::Contact, "contacts.csv"),
    ] {
        let want: Vec<String> = properties::ad_properties(kind)
            .iter()
            .map(|p| p.name.to_string())
            .collect();
        assert_eq!(header(&ad.join(file)), want, "{file}");
    }
    let cs: Vec<String> = properties::cs_user_properties()
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(header(&root.join("sfb/cs-users.csv")), cs);
    let online: Vec<String> = properties::online_user_properties()
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(header(&root.join("tenant/online-users.csv")), online);
    let graph: Vec<String> = properties::GRAPH_USER_PROPERTIES
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(header(&root.join("tenant/graph-users.csv")), graph);
}

#[test]
fn fixture_manifest_is_right() {
    let root = Path::new(FIXTURE);
    let want = manifest_for(root);
    let path = root.join("manifest.csv");
    if update() {
        std::fs::write(&path, &want).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        want,
        "the manifest is stale: HYBRIDREADY_UPDATE_KIT_FIXTURE=1 cargo test --test kit"
    );
}

/// The input of `inspect --format json` whose path ends with `tail`.
fn input<'v>(inputs: &'v [serde_json::Value], tail: &str) -> &'v serde_json::Value {
    inputs
        .iter()
        .find(|i| {
            i["path"]
                .as_str()
                .unwrap()
                .replace('\\', "/")
                .ends_with(tail)
        })
        .unwrap_or_else(|| panic!("{tail} is not listed"))
}

#[test]
fn inspect_reads_each_kit_file_as_the_kind_it_is() {
    let out = hybridready()
        .args(["inspect", FIXTURE, "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let inputs = v["inputs"].as_array().unwrap();
    for (tail, format, kind) in [
        ("contoso.com/users.csv", "powershell", "user"),
        ("contoso.com/groups.csv", "powershell", "group"),
        ("contoso.com/contacts.csv", "powershell", "contact"),
        ("sfb/cs-users.csv", "get-csuser", "user"),
    ] {
        let i = input(inputs, tail);
        assert_eq!(i["status"], "read", "{tail}: {i}");
        assert_eq!(i["format"], format, "{tail}");
        let default_to = i["rows_default_to"].as_str().unwrap_or_default();
        assert!(default_to.starts_with(kind), "{tail}: {default_to}");
        assert_eq!(i["rejected"], 0, "{tail}: {}", i["rejections"]);
        assert_eq!(
            i["value_errors"], 0,
            "{tail}: {}",
            i["value_error_examples"]
        );
        assert!(i["data_lost"].as_object().unwrap().is_empty(), "{tail}");
        assert!(
            i["columns_unrecognised"].as_array().unwrap().is_empty(),
            "{tail}: {}",
            i["columns_unrecognised"]
        );
    }
    let m = input(inputs, "manifest.csv");
    assert_eq!(m["format"], "kit-manifest");
    let files = kit_files(Path::new(FIXTURE)).len();
    assert_eq!(
        m["kit"],
        serde_json::json!([{"kind": "manifest_verified", "files": files}])
    );
    let s = input(inputs, "sections.csv");
    assert_eq!(s["format"], "kit-sections");
    assert_eq!(
        s["kit"],
        serde_json::json!([{
            "kind": "section",
            "section": "ad/fabrikam.com",
            "status": "failed",
            "detail": "The server has rejected the client credentials."
        }])
    );
    // The directory: the users of the AD export merged with their Get-CsUser rows.
    assert_eq!(v["directory"]["users"], 3);
    assert_eq!(v["directory"]["sfb_users"], 2);
    assert_eq!(v["directory"]["groups"], 3);
    assert_eq!(v["directory"]["contacts"], 1);
}

#[test]
fn inspect_shows_the_sections_that_did_not_run() {
    let out = hybridready()
        .args(["inspect", FIXTURE])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains(
            "section ad/fabrikam.com failed: The server has rejected the client credentials."
        ),
        "{text}"
    );
    assert!(text.contains("files match its SHA-256"), "{text}");
}

/// A copy of the fixture, in a temporary folder.
fn copy_fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("kit");
    for rel in kit_files(Path::new(FIXTURE))
        .into_iter()
        .chain(["manifest.csv".to_string()])
    {
        let to = root.join(&rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(Path::new(FIXTURE).join(&rel), to).unwrap();
    }
    (dir, root)
}

#[test]
fn a_changed_or_missing_file_is_an_input_problem() {
    let (_dir, root) = copy_fixture();
    let users = root.join("ad/contoso.com/contoso.com/users.csv");
    let mut text = std::fs::read_to_string(&users).unwrap();
    text.push_str("\r\n");
    std::fs::write(&users, text).unwrap();
    std::fs::remove_file(root.join("sfb/pools.json")).unwrap();
    let out = hybridready()
        .args(["inspect"])
        .arg(&root)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "ad/contoso.com/contoso.com/users.csv is not the file the collection kit wrote"
        ),
        "{err}"
    );
    assert!(
        err.contains("sfb/pools.json is listed in the collection kit")
            && err.contains("but is not in the folder"),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");
}

/// The README's manual commands are the kit's own, generated.
#[test]
fn readme_manual_commands_are_current() {
    let path = Path::new("README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start = "<!-- manual-commands: generated by hybridready_kit::script::manual_commands, checked by tests/kit.rs -->\n```powershell\n";
    let end = "```\n<!-- end manual-commands -->";
    let a = readme.find(start).expect("the manual-commands block") + start.len();
    let b = a + readme[a..].find(end).expect("the end of the block");
    let want = manual_commands();
    if update() && readme[a..b] != want {
        let mut new = readme.clone();
        new.replace_range(a..b, &want);
        std::fs::write(path, new).unwrap();
        return;
    }
    assert_eq!(
        &readme[a..b],
        want,
        "stale: HYBRIDREADY_UPDATE_KIT_FIXTURE=1 cargo test --test kit"
    );
}

/// The script's text with its comments and string literals blanked, so that what is left is
/// code: the cmdlets it runs and its brackets. Fails on an unterminated string or comment.
fn code_only(s: &str) -> String {
    let b: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == '<' && b.get(i + 1) == Some(&'#') {
            let rest: String = b[i..].iter().collect();
            let end = rest.find("#>").expect("an unterminated block comment");
            i += rest[..end + 2].chars().count();
            out.push(' ');
        } else if c == '#' {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '\'' {
            // A single-quoted literal: '' is a quote inside it.
            i += 1;
            loop {
                assert!(i < b.len(), "an unterminated single-quoted string");
                if b[i] == '\'' {
                    if b.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
            out.push_str("''");
        } else if c == '"' {
            i += 1;
            loop {
                assert!(i < b.len(), "an unterminated double-quoted string");
                match b[i] {
                    '`' => i += 2,
                    '"' if b.get(i + 1) == Some(&'"') => i += 2,
                    '"' => break,
                    _ => i += 1,
                }
            }
            i += 1;
            out.push_str("\"\"");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn scripts() -> Vec<String> {
    vec![
        script(&Options {
            forests: vec!["contoso.com".into(), "fabrikam.com".into()],
            sync_server: Some("aadc01.contoso.com".into()),
            skip_tenant: false,
        }),
        script(&Options::default()),
    ]
}

#[test]
fn script_brackets_and_strings_balance() {
    for s in scripts() {
        let code = code_only(&s);
        let mut stack = Vec::new();
        for (line, l) in code.lines().enumerate() {
            for c in l.chars() {
                match c {
                    '(' | '{' | '[' => stack.push((c, line + 1)),
                    ')' | '}' | ']' => {
                        let (open, at) = stack
                            .pop()
                            .unwrap_or_else(|| panic!("line {}: {c} closes nothing", line + 1));
                        let want = match c {
                            ')' => '(',
                            '}' => '{',
                            _ => '[',
                        };
                        assert_eq!(
                            open,
                            want,
                            "line {}: {c} closes {open} of line {at}",
                            line + 1
                        );
                    }
                    _ => {}
                }
            }
        }
        assert!(stack.is_empty(), "unclosed: {stack:?}");
    }
}

/// Every command the script runs is a read, a conversion, a write into its own folder, or one
/// of its own functions; nothing that changes AD, Skype for Business or the tenant.
#[test]
fn script_runs_read_only_cmdlets() {
    const ALLOWED: &[&str] = &[
        "Compress-Archive",
        "ConvertTo-Json",
        "Export-Csv",
        "ForEach-Object",
        "Get-ADForest",
        "Get-ADGroup",
        "Get-ADObject",
        "Get-ADRootDSE",
        "Get-ADUser",
        "Get-ChildItem",
        "Get-CsAccessEdgeConfiguration",
        "Get-CsAllowedDomain",
        "Get-CsBlockedDomain",
        "Get-CsHostingProvider",
        "Get-CsManagementStoreReplicationStatus",
        "Get-CsOAuthConfiguration",
        "Get-CsOnlineUser",
        "Get-CsPool",
        "Get-CsServerVersion",
        "Get-CsService",
        "Get-CsTeamsUpgradePolicy",
        "Get-CsTenant",
        "Get-CsTenantFederationConfiguration",
        "Get-CsUser",
        "Get-Date",
        "Get-FileHash",
        "Get-ItemProperty",
        "Get-Location",
        "Get-MgContext",
        "Get-MgDomain",
        "Get-MgUser",
        "Get-Module",
        "Import-Module",
        "Invoke-Command",
        "Join-Path",
        "New-Item",
        "New-Object",
        "Out-File",
        "Out-Null",
        "Resolve-Path",
        "Select-Object",
        "Sort-Object",
        "Split-Path",
        "Test-Path",
        "Where-Object",
        "Write-Host",
        "Write-Progress",
    ];
    for s in scripts() {
        let code = code_only(&s);
        let own: Vec<String> = code
            .lines()
            .filter_map(|l| l.trim().strip_prefix("function "))
            .map(|l| l.split_whitespace().next().unwrap().to_string())
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        for word in code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '\\')) {
            // `Module\Verb-Noun` runs Verb-Noun from that module.
            let word = word.rsplit('\\').next().unwrap();
            let Some((verb, noun)) = word.split_once('-') else {
                continue;
            };
            let is_command = verb.len() > 2
                && verb.chars().next().unwrap().is_ascii_uppercase()
                && noun.chars().next().is_some_and(|c| c.is_ascii_uppercase());
            if !is_command {
                continue; // `-Filter`, `-join`, an attribute such as `msRTCSIP-Line`.
            }
            if own.iter().any(|f| f == word) {
                continue;
            }
            assert!(
                ALLOWED.contains(&word),
                "{word} is not a read-only command the kit may run"
            );
            seen.insert(word.to_string());
        }
        for forbidden in [
            "Set-", "Remove-", "Add-", "New-AD", "New-Cs", "Enable-", "Disable-", "Move-",
            "Grant-", "Connect-",
        ] {
            assert!(
                !seen.iter().any(|w| w.starts_with(forbidden)),
                "{forbidden}… is run by the script"
            );
        }
        // The one remote command reads a registry value and nothing else.
        let remote = code.find("Invoke-Command").unwrap();
        let block = &code[remote..remote + code[remote..].find("-ArgumentList").unwrap()];
        let commands: Vec<&str> = block
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|w| w.contains('-') && w.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
            .collect();
        assert_eq!(commands, ["Invoke-Command", "Get-ItemProperty"], "{block}");
        assert!(!s.contains("Get-Credential") && !s.contains("ConvertTo-SecureString"));
    }
}

/// The kit hands over one zip: its manifest is checked against the entries of that zip (no
/// file of it is on the disk), each compared with the digest the ingest took of it.
#[test]
fn the_kit_zip_is_checked_against_its_own_entries() {
    use std::io::Write;
    let (dir, root) = copy_fixture();
    let zipped = dir.path().join("HybridReady-SFB01.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zipped).unwrap());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for rel in kit_files(&root)
        .into_iter()
        .chain(["manifest.csv".to_string()])
    {
        z.start_file(format!("kit/{rel}"), deflated).unwrap();
        let mut bytes = std::fs::read(root.join(&rel)).unwrap();
        if rel.ends_with("pools.json") {
            bytes.push(b' '); // changed after the kit wrote it
        }
        z.write_all(&bytes).unwrap();
    }
    z.finish().unwrap();
    std::fs::remove_dir_all(&root).unwrap();
    let out = hybridready()
        .arg("inspect")
        .arg(&zipped)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let (text, err) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert!(text.contains("19 files match its SHA-256"), "{text}");
    assert!(
        err.contains("sfb/pools.json is not the file the collection kit wrote"),
        "{err}"
    );
}
