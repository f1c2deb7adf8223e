//! Configuration exports read, not typed (issue 23, point 2): the sample's `config/` folder
//! replaces the scenario's `[federation]` section with the same step results; the same object
//! reads alike as JSON, CLIXML and Format-List; a value given twice that disagrees is said.

mod common;

use assert_cmd::Command;
use common::assess as fx;
use hybridready::assessment::setting::{Origin, SettingConflict, SettingValue};
use hybridready::assessment::{Assessment, Scenario};
use hybridready::ingest::{IngestOptions, InputStatus, ingest};
use std::path::{Path, PathBuf};

/// The sample's scenario without its `[federation]` section, in `dir`, its affinity files
/// pointed at where the sample keeps them.
fn scenario_without_federation(dir: &Path) -> PathBuf {
    let sample = fx::sample_dir();
    let text = std::fs::read_to_string(sample.join("scenario.toml")).unwrap();
    let mut out = String::new();
    let mut in_federation = false;
    for line in text.lines() {
        if line.starts_with('[') {
            in_federation = line.trim() == "[federation]";
        }
        if in_federation {
            continue;
        }
        // Relative to the scenario file: the copy is elsewhere.
        let line = match line.split_once(" = \"affinity/") {
            Some((key, rest)) => format!(
                "{key} = {:?}",
                sample.join("affinity").join(rest.trim_end_matches('"'))
            ),
            None => line.to_string(),
        };
        out.push_str(&line);
        out.push('\n');
    }
    assert!(!out.contains("[federation]") && !out.contains("hosting_provider"));
    let path = dir.join("scenario.toml");
    std::fs::write(&path, out).unwrap();
    path
}

/// Every step's status and every check's status and fact.
fn results(a: &Assessment) -> Vec<String> {
    a.steps
        .iter()
        .flat_map(|s| {
            std::iter::once(format!("{} {:?}", s.id.as_str(), s.status)).chain(s.checks.iter().map(
                |c| {
                    format!(
                        "  {} {:?} {}",
                        c.id.as_str(),
                        c.status,
                        serde_json::to_string(&c.fact).unwrap()
                    )
                },
            ))
        })
        .collect()
}

#[test]
fn the_config_files_replace_the_federation_section() {
    let sample = fx::sample_dir();
    let shipped = fx::assess(std::slice::from_ref(&sample), &sample.join("scenario.toml"));
    // The shipped scenario and the files agree: nothing to say.
    assert_eq!(shipped.scenario.conflicts, []);
    let tmp = tempfile::tempdir().unwrap();
    let without = scenario_without_federation(tmp.path());
    let from_files = fx::assess(std::slice::from_ref(&sample), &without);
    assert_eq!(from_files.scenario.conflicts, []);
    assert_eq!(
        from_files.scenario.resolved.federation,
        shipped.scenario.resolved.federation
    );
    assert_eq!(results(&from_files), results(&shipped));
    assert_eq!(from_files.score, shipped.score);
    // Where each federation setting came from: the scenario's line, then a file.
    let origin = |a: &Assessment, key: &str| {
        a.scenario
            .sources
            .iter()
            .find(|s| s.key == key)
            .map(|s| s.origin.clone())
    };
    let Some(Origin::Scenario { at }) = origin(&shipped, "federation.allow_federated_users") else {
        panic!("{:?}", shipped.scenario.sources)
    };
    assert_eq!(at.to_string(), "scenario.toml:17");
    let Some(Origin::File { at, cmdlet }) = origin(&from_files, "federation.allow_federated_users")
    else {
        panic!("{:?}", from_files.scenario.sources)
    };
    assert!(
        at.file.ends_with("access-edge.json") && at.line == Some(9),
        "{at}"
    );
    assert_eq!(cmdlet, "Get-CsAccessEdgeConfiguration");
    let Some(Origin::File { at, .. }) = origin(&from_files, "federation.verification_level") else {
        panic!()
    };
    assert!(at.file.ends_with("hosting-providers.xml"), "{at}");
    let Some(Origin::File { at, .. }) = origin(&from_files, "sync.connect_version") else {
        panic!()
    };
    assert!(at.file.ends_with("environment.json"), "{at}");
    assert_eq!(
        from_files
            .scenario
            .resolved
            .sync
            .connect_version
            .as_ref()
            .map(|v| v.text.as_str()),
        Some("2.5.79.0")
    );
    // Every federation key the shipped scenario gives, the files give too.
    let given: Vec<&str> = shipped
        .scenario
        .sources
        .iter()
        .filter(|s| s.key.starts_with("federation."))
        .map(|s| s.key.as_str())
        .collect();
    assert!(given.len() >= 15, "{given:?}");
    for key in given {
        assert!(
            matches!(origin(&from_files, key), Some(Origin::File { .. })),
            "{key}: {:?}",
            origin(&from_files, key)
        );
    }
}

const EDGE_JSON: &str = r#"{
    "Identity":  "Global",
    "AllowAnonymousUsers":  true,
    "AllowFederatedUsers":  false,
    "AllowOutsideUsers":  true,
    "EnablePartnerDiscovery":  true,
    "RoutingMethod":  "UseDnsSrvRouting",
    "DefaultRouteFqdn":  null
}"#;

const EDGE_CLIXML: &str = r#"<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0"><T>Deserialized.Microsoft.Rtc.Management.WritableConfig.Policy.Edge.AccessEdgeConfiguration</T></TN>
    <ToString>Identity=Global</ToString>
    <Props>
      <S N="Identity">Global</S>
      <B N="AllowAnonymousUsers">true</B>
      <B N="AllowFederatedUsers">false</B>
      <B N="AllowOutsideUsers">true</B>
      <B N="EnablePartnerDiscovery">true</B>
      <Obj N="RoutingMethod" RefId="1"><TN RefId="1"><T>System.Enum</T></TN><ToString>UseDnsSrvRouting</ToString><I32>0</I32></Obj>
      <Nil N="DefaultRouteFqdn" />
    </Props>
  </Obj>
</Objs>"#;

const EDGE_FORMAT_LIST: &str = "\r\n\r\nIdentity               : Global\r\nAllowAnonymousUsers    : True\r\nAllowFederatedUsers    : False\r\nAllowOutsideUsers      : True\r\nEnablePartnerDiscovery : True\r\nRoutingMethod          : UseDnsSrvRouting\r\nDefaultRouteFqdn       :\r\n\r\n";

/// The settings one file gives, read alone.
fn settings_of(name: &str, text: &str) -> Vec<(String, SettingValue)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let ingested = ingest(&[path], &IngestOptions::default()).unwrap();
    assert_eq!(ingested.inputs[0].status, InputStatus::Read, "{name}");
    assert_eq!(ingested.inputs[0].format, "configuration");
    ingested
        .settings
        .into_iter()
        .map(|s| (s.key, s.value))
        .collect()
}

#[test]
fn json_clixml_and_format_list_read_alike() {
    let json = settings_of("edge.json", EDGE_JSON);
    assert_eq!(
        json,
        [
            (
                "federation.allow_federated_users".to_string(),
                SettingValue::Bool(false)
            ),
            (
                "federation.allow_outside_users".to_string(),
                SettingValue::Bool(true)
            ),
            (
                "federation.use_dns_srv_routing".to_string(),
                SettingValue::Bool(true)
            ),
            (
                "federation.enable_partner_discovery".to_string(),
                SettingValue::Bool(true)
            ),
        ]
    );
    // Named for what they are not: read by their content.
    assert_eq!(settings_of("edge.xml", EDGE_CLIXML), json);
    assert_eq!(settings_of("edge-clixml.txt", EDGE_CLIXML), json);
    assert_eq!(settings_of("edge.txt", EDGE_FORMAT_LIST), json);
    // UTF-16, as Export-Clixml writes by default in PowerShell 5.1.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(EDGE_CLIXML.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("edge.clixml"), utf16).unwrap();
    let ingested = ingest(&[dir.path().to_path_buf()], &IngestOptions::default()).unwrap();
    let got: Vec<(String, SettingValue)> = ingested
        .settings
        .into_iter()
        .map(|s| (s.key, s.value))
        .collect();
    assert_eq!(got, json);
}

#[test]
fn a_txt_that_is_a_csv_stays_a_csv_and_a_dtd_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("users.txt"),
        "SamAccountName,UserPrincipalName\r\njdoe,jdoe@contoso.com\r\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bomb.xml"),
        "<?xml version=\"1.0\"?>\n<!DOCTYPE Objs [<!ENTITY a \"aaaa\">]>\n<Objs xmlns=\"http://schemas.microsoft.com/powershell/2004/04\"><Obj><Props><S N=\"A\">&a;</S></Props></Obj></Objs>",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.json"), "{\"Customer\": \"Contoso\"}").unwrap();
    let ingested = ingest(&[dir.path().to_path_buf()], &IngestOptions::default()).unwrap();
    let by_name = |n: &str| {
        ingested
            .inputs
            .iter()
            .find(|r| r.path.ends_with(n))
            .unwrap()
    };
    assert_eq!(by_name("users.txt").status, InputStatus::Read);
    assert_eq!(by_name("users.txt").accepted, 1);
    assert_eq!(by_name("bomb.xml").status, InputStatus::Refused);
    assert!(matches!(
        by_name("bomb.xml").refusal,
        Some(hybridready::assessment::Refusal::XmlDtd { line: 2 })
    ));
    assert_eq!(by_name("notes.json").status, InputStatus::Ignored);
    assert!(ingested.settings.is_empty());
}

fn hybridready() -> Command {
    Command::cargo_bin("hybridready").unwrap()
}

/// The sample with one more export that disagrees with its scenario, and another that
/// disagrees with the sample's own export.
fn sample_with_disagreements() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("inputs");
    let copy = |from: &Path, to: &Path| {
        let mut stack = vec![(from.to_path_buf(), to.to_path_buf())];
        while let Some((f, t)) = stack.pop() {
            std::fs::create_dir_all(&t).unwrap();
            for e in std::fs::read_dir(&f).unwrap().flatten() {
                let (src, dst) = (e.path(), t.join(e.file_name()));
                if src.is_dir() {
                    stack.push((src, dst));
                } else {
                    std::fs::copy(&src, &dst).unwrap();
                }
            }
        }
    };
    copy(&fx::sample_dir(), &inputs);
    // A second export of the tenant's upgrade policy, taken later: TeamsOnly.
    std::fs::write(
        inputs.join("config/tenant/upgrade-policy-later.json"),
        r#"{"Identity": "Global", "Mode": "TeamsOnly", "NotifySfbUsers": false}"#,
    )
    .unwrap();
    // The scenario says one Edge pool, the file two; without [federation.oauth] in the
    // scenario two files that disagree: the first one read wins.
    std::fs::write(
        inputs.join("config/sfb/edge-services.json"),
        r#"[{"Identity": "EdgeServer:a.contoso.com", "PoolFqdn": "a.contoso.com", "AccessEdgeInternalSipPort": 5061, "AccessEdgeExternalSipPort": 5061},
           {"Identity": "EdgeServer:b.contoso.com", "PoolFqdn": "b.contoso.com", "AccessEdgeInternalSipPort": 5061, "AccessEdgeExternalSipPort": 5061}]"#,
    )
    .unwrap();
    tmp
}

#[test]
fn disagreements_are_said_by_assess_and_inspect_and_in_summary_json() {
    let tmp = sample_with_disagreements();
    let inputs = tmp.path().join("inputs");
    let a = fx::assess(std::slice::from_ref(&inputs), &inputs.join("scenario.toml"));
    let keys: Vec<(&str, &str)> = a
        .scenario
        .conflicts
        .iter()
        .map(|c| match c {
            SettingConflict::ScenarioOverridesFile { key, .. } => (key.as_str(), "scenario"),
            SettingConflict::FilesDisagree { key, .. } => (key.as_str(), "files"),
        })
        .collect();
    // The scenario gives both: it wins over each file that disagrees.
    assert_eq!(
        keys,
        [
            ("federation.federation_edge_pools", "scenario"),
            ("tenant.global_upgrade_policy", "scenario")
        ]
    );
    assert_eq!(
        a.scenario.resolved.federation.federation_edge_pools,
        Some(1)
    );
    let SettingConflict::ScenarioOverridesFile {
        scenario_at,
        file_at,
        ..
    } = &a.scenario.conflicts[0]
    else {
        panic!()
    };
    assert_eq!(scenario_at.to_string(), "scenario.toml:26");
    assert!(file_at.file.ends_with("edge-services.json") && file_at.line == Some(1));

    // Without the scenario's [federation] and with no upgrade policy in it, the files
    // disagree with one another: the first read is used.
    let no_fed = scenario_without_federation(tmp.path());
    let text = std::fs::read_to_string(&no_fed)
        .unwrap()
        .replace("global_upgrade_policy = \"Islands\"\n", "");
    std::fs::write(&no_fed, text).unwrap();
    let b = fx::assess(std::slice::from_ref(&inputs), &no_fed);
    let Some(SettingConflict::FilesDisagree {
        key,
        kept,
        kept_at,
        other,
        ..
    }) = b.scenario.conflicts.first()
    else {
        panic!("{:?}", b.scenario.conflicts)
    };
    assert_eq!(key, "tenant.global_upgrade_policy");
    assert_eq!(kept, &SettingValue::Text("TeamsOnly".into()));
    assert!(kept_at.file.ends_with("upgrade-policy-later.json"));
    assert_eq!(other, &SettingValue::Text("Islands".into()));
    assert_eq!(
        b.scenario.resolved.federation.federation_edge_pools,
        Some(2)
    );

    // assess: on the console and in summary.json, in both languages.
    for (lang, word) in [
        ("en", "value is used"),
        ("fr", "la valeur du scénario est retenue"),
    ] {
        let out = tmp.path().join(format!("out-{lang}"));
        let run = hybridready()
            .args(["assess", "--no-report", "--lang", lang, "--out"])
            .arg(&out)
            .arg(&inputs)
            .env("SOURCE_DATE_EPOCH", fx::EPOCH.to_string())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert!(
            stdout.contains("federation.federation_edge_pools") && stdout.contains(word),
            "{stdout}"
        );
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap())
                .unwrap();
        let conflicts = summary["setting_conflicts"].as_array().unwrap();
        assert_eq!(conflicts.len(), 2);
        assert_eq!(conflicts[0]["kind"], "scenario_overrides_file");
        assert_eq!(conflicts[0]["key"], "federation.federation_edge_pools");
        assert_eq!(conflicts[0]["scenario"], 1);
        assert_eq!(conflicts[0]["file"], 2);
        assert!(
            conflicts[0]["message"]
                .as_str()
                .unwrap()
                .contains("scenario.toml:26")
        );
        assert_eq!(summary["settings"]["federation.oauth"], "scenario.toml:30");
        let size_line = std::fs::read_to_string(fx::sample_dir().join("scenario.toml"))
            .unwrap()
            .lines()
            .position(|l| l.starts_with("size = "))
            .unwrap()
            + 1;
        assert_eq!(
            summary["settings"]["waves.size"],
            format!("scenario.toml:{size_line}")
        );
        assert_eq!(summary["settings"]["affinity.manager"], "default");
        assert!(
            summary["settings"]["sync.connect_version"]
                .as_str()
                .unwrap()
                .ends_with("environment.json:10")
        );
    }

    // inspect: the files, what each sets, and the disagreements.
    let run = hybridready().arg("inspect").arg(&inputs).output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("Get-CsHostingProvider output, 2 object(s), as CLIXML (Export-Clixml)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "Get-CsTenantFederationConfiguration output, 1 object(s), as Format-List text"
        )
    );
    assert!(stdout.contains("sets federation.allow_federated_users = true (line 9)"));
    assert!(stdout.contains(
        "conflict   federation.federation_edge_pools: the scenario says 1 (scenario.toml:26)"
    ));
    assert_eq!(run.status.code(), Some(0), "{stdout}");
}

#[test]
fn the_scenario_is_untouched_where_no_file_speaks() {
    // A scenario given as a value (a batch variant) keeps its own values.
    let s = Scenario::parse("[federation]\nfederation_edge_pools = 3\n", "v.toml").unwrap();
    let sample = fx::sample_dir();
    let loaded = hybridready::pipeline::load(
        std::slice::from_ref(&sample),
        &[&s],
        IngestOptions::default(),
    )
    .unwrap();
    let r = hybridready::pipeline::resolve(&loaded, &s, None);
    assert_eq!(r.scenario.federation.federation_edge_pools, Some(3));
    assert_eq!(r.scenario.federation.oauth, Some(true));
    assert!(matches!(
        r.conflicts.as_slice(),
        [SettingConflict::ScenarioOverridesFile { key, .. }] if key == "federation.federation_edge_pools"
    ));
}
