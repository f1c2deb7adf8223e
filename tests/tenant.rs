//! A tenant export (Get-CsOnlineUser, Get-MgUser) beside the AD exports: the users the tenant
//! homes online are online, cloud-only online users fail U02, and the figures stop assuming what
//! the tenant holds. Through the binary, on the sample's PowerShell 5.1 export.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/contoso");

/// George Clark is matched on his sourceAnchor (his objectGUID in base64) and is online per the
/// tenant, though the AD export still says `SRV:`; Edward Carter is matched on his UPN and stays
/// on-premises; Zoé was created in the cloud; Fabrice comes from a forest no export covers.
const ONLINE_USERS: &str = "\u{feff}\"UserPrincipalName\",\"SipAddress\",\"InterpretedUserType\",\"HostingProvider\",\"DirSyncEnabled\",\"OnPremisesImmutableId\",\"TeamsUpgradeEffectiveMode\"
\"george.clark@contoso.com\",\"sip:george.clark@contoso.com\",\"HybridOnlineTeamsOnlyUser\",\"sipfed.online.lync.com\",\"True\",\"IVI03heSqE2ORz7w1RnP4w==\",\"TeamsOnly\"
\"edward.carter@contoso.com\",\"sip:edward.carter@contoso.com\",\"HybridOnpremSfBUser\",\"SRV:\",\"True\",\"\",\"Islands\"
\"zoe.martin@contoso.onmicrosoft.com\",\"sip:zoe.martin@contoso.com\",\"PureOnlineTeamsOnlyUser\",\"sipfed.online.lync.com\",\"False\",\"\",\"TeamsOnly\"
\"fabrice.n@fabrikam.com\",\"sip:fabrice.n@fabrikam.com\",\"HybridOnlineTeamsOnlyUser\",\"sipfed.online.lync.com\",\"True\",\"AAAAAAAAAAAAAAAAAAAAAA==\",\"TeamsOnly\"
\"\",\"\",\"PureOnlineTeamsOnlyUser\",\"\",\"False\",\"\",\"TeamsOnly\"
";

fn assess(inputs: &[&Path], out: &Path) -> (Value, String) {
    let mut c = Command::cargo_bin("hybridready").unwrap();
    c.env("SOURCE_DATE_EPOCH", "1796601600").arg("assess");
    c.args(inputs);
    c.arg("--scenario")
        .arg(Path::new(SAMPLE).join("scenario.toml"))
        .arg("--no-report")
        .arg("--out")
        .arg(out);
    let run = c.assert().success();
    let console = String::from_utf8_lossy(&run.get_output().stdout).into_owned();
    let summary = std::fs::read(out.join("summary.json")).unwrap();
    (serde_json::from_slice(&summary).unwrap(), console)
}

fn check<'a>(summary: &'a Value, id: &str) -> &'a Value {
    summary["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["checks"].as_array().unwrap())
        .find(|c| c["id"] == id)
        .unwrap()
}

#[test]
fn a_tenant_export_marks_online_and_cloud_only_users() {
    let tmp = tempfile::tempdir().unwrap();
    let tenant = tmp.path().join("tenant");
    std::fs::create_dir(&tenant).unwrap();
    std::fs::write(tenant.join("online-users.csv"), ONLINE_USERS).unwrap();
    let ad = Path::new(SAMPLE).join("ps51");

    let (without, _) = assess(&[&ad], &tmp.path().join("without"));
    let (with, console) = assess(&[&ad, &tenant], &tmp.path().join("with"));

    // The row with no identity is counted, and only that is said.
    assert!(
        console.contains("The inputs hold 1 rejected row, left out of the assessment"),
        "{console}"
    );
    assert_eq!(check(&without, "U02")["fact"]["kind"], "not_provided");
    let u02 = check(&with, "U02");
    assert_eq!(u02["status"], "fail", "{u02}");
    assert_eq!(u02["fact"]["kind"], "cloud_only_users");
    assert_eq!(u02["fact"]["users"], 1);
    assert_eq!(
        u02["fact"]["examples"][0],
        "zoe.martin@contoso.onmicrosoft.com"
    );
    assert!(
        u02["message"]
            .as_str()
            .unwrap()
            .contains("zoe.martin@contoso.onmicrosoft.com")
    );

    // George is online now: one more user already online, one fewer to plan.
    let online = |s: &Value| s["waves"]["already_online"].as_u64().unwrap();
    assert_eq!(online(&with), online(&without) + 1);

    // The tenant file is an input of its own, every row accounted for.
    let input = with["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with("online-users.csv"))
        .unwrap();
    assert_eq!(input["format"], "get-csonlineuser", "{input}");
    assert_eq!(
        (input["rows"].as_u64(), input["rejected"].as_u64()),
        (Some(5), Some(1))
    );
    // The AD user counts do not take in tenant users.
    assert_eq!(with["directory"], without["directory"]);
}

#[test]
fn a_graph_export_alone_does_not_pass_u02() {
    let tmp = tempfile::tempdir().unwrap();
    let tenant = tmp.path().join("tenant");
    std::fs::create_dir(&tenant).unwrap();
    std::fs::write(
        tenant.join("graph-users.csv"),
        "Id,UserPrincipalName,OnPremisesImmutableId,OnPremisesSyncEnabled\n\
         1,george.clark@contoso.com,IVI03heSqE2ORz7w1RnP4w==,True\n\
         2,zoe.martin@contoso.onmicrosoft.com,,\n",
    )
    .unwrap();
    let ad = Path::new(SAMPLE).join("ps51");
    let (without, _) = assess(&[&ad], &tmp.path().join("without"));
    let (with, _) = assess(&[&ad, &tenant], &tmp.path().join("with"));
    // No home in a Graph export: nobody is taken for online, and whether the cloud-only user
    // is an online user only Get-CsOnlineUser tells, so U02 still asks for it.
    assert_eq!(
        with["waves"]["already_online"],
        without["waves"]["already_online"]
    );
    assert_eq!(check(&with, "U02")["fact"]["kind"], "not_provided");
}
