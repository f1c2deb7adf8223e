//! Tenant exports: `Get-CsOnlineUser` and `Get-MgUser` tables, read into the users the tenant
//! holds ([`CloudUser`]), not into AD objects: a cloud-only user has no AD object, and a synced
//! one is the AD object already read from the AD exports.
//!
//! Property names as the public cmdlet documentation gives them:
//! - Get-CsOnlineUser (`UserPrincipalName`, `SipAddress`, `HostingProvider`, `DirSyncEnabled`,
//!   `InterpretedUserType`, `TeamsUpgradeEffectiveMode`, `OnPremisesImmutableId`…):
//!   <https://learn.microsoft.com/powershell/module/microsoftteams/get-csonlineuser>; the
//!   particles of `InterpretedUserType` (`Pure`/`Hybrid`/`DirSyncEnabled`…, `Online`/`Onprem`):
//!   <https://github.com/get-itips/InterpretedUserType>.
//! - Get-MgUser (`Id`, `UserPrincipalName`, `OnPremisesImmutableId`, `OnPremisesSyncEnabled`):
//!   <https://learn.microsoft.com/graph/api/resources/user>.

use crate::columns::normalize_header;
use crate::rows::RowStats;
use crate::values::{normalize_guid, parse_bool};
use hybridready_directory::cloud::{CloudHome, CloudUser};
use hybridready_directory::{FileAccount, FileId};

/// Which cmdlet wrote a tenant table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TenantTable {
    CsOnlineUser,
    GraphUser,
}

/// Whether a table's headers are a tenant export's: a user identity plus a column only the
/// tenant knows (Get-CsUser, on-premises, has neither `DirSyncEnabled`, `InterpretedUserType`
/// nor `OnPremises…`).
pub fn kind_of(headers: &[String]) -> Option<TenantTable> {
    let has = |name: &str| headers.iter().any(|h| normalize_header(h) == name);
    if !has("userprincipalname") {
        return None;
    }
    if has("interpretedusertype") || has("dirsyncenabled") || has("teamsupgradeeffectivemode") {
        Some(TenantTable::CsOnlineUser)
    } else if has("onpremisesimmutableid") || has("onpremisessyncenabled") {
        Some(TenantTable::GraphUser)
    } else {
        None
    }
}

/// The columns a tenant table is read for, by normalised header, with what each gives.
const READ_COLUMNS: &[(&str, &str)] = &[
    (
        "userprincipalname",
        "user principal name (matched to the AD user)",
    ),
    ("sipaddress", "SIP address (matched to the AD user)"),
    (
        "onpremisesimmutableid",
        "sourceAnchor (hard match to the AD object)",
    ),
    ("immutableid", "sourceAnchor (hard match to the AD object)"),
    ("dirsyncenabled", "synchronised from AD, or cloud-only"),
    (
        "onpremisessyncenabled",
        "synchronised from AD, or cloud-only",
    ),
    ("hostingprovider", "home: online or on-premises"),
    ("interpretedusertype", "home and origin"),
];

/// What a tenant table's column gives, if it is read.
pub fn column_meaning(header: &str) -> Option<&'static str> {
    let h = normalize_header(header);
    READ_COLUMNS.iter().find(|(n, _)| *n == h).map(|(_, m)| *m)
}

/// What reading a tenant table gave: its users, and the account of its rows and values kept
/// as every table's is.
#[derive(Default)]
pub struct TenantRows {
    pub users: Vec<CloudUser>,
    pub account: FileAccount,
    pub stats: RowStats,
}

/// Why a row of a tenant table is rejected, as its account counts it.
const NO_IDENTITY: &str = "no identity to match";

/// The columns read, by their normalised header.
struct Columns {
    upn: Option<usize>,
    sip: Option<usize>,
    immutable_id: Option<usize>,
    synced: Vec<usize>,
    hosting_provider: Option<usize>,
    interpreted: Option<usize>,
}

impl Columns {
    fn of(headers: &[String]) -> Columns {
        let find = |name: &str| headers.iter().position(|h| normalize_header(h) == name);
        Columns {
            upn: find("userprincipalname"),
            sip: find("sipaddress"),
            immutable_id: find("onpremisesimmutableid").or_else(|| find("immutableid")),
            synced: ["dirsyncenabled", "onpremisessyncenabled"]
                .into_iter()
                .filter_map(find)
                .collect(),
            hosting_provider: find("hostingprovider"),
            interpreted: find("interpretedusertype"),
        }
    }
}

/// Reads the rows of a tenant table: `body` is the text after its header line, `first_line` the
/// line number of its first row.
pub fn read(
    table: TenantTable,
    body: &[u8],
    first_line: u64,
    delimiter: u8,
    headers: &[String],
    file: FileId,
) -> TenantRows {
    let cols = Columns::of(headers);
    let mut out = TenantRows::default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(body);
    let mut record = csv::StringRecord::new();
    loop {
        let line = first_line + reader.position().line().saturating_sub(1);
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let why = format!("not a CSV row: {e}");
                out.account.reject(line, why, "not a CSV row");
                continue;
            }
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue; // A blank line is no row.
        }
        let cell = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let upn = cell(cols.upn).filter(|u| u.contains('@'));
        let sip = cell(cols.sip).map(|s| {
            let s = s.trim();
            match s.get(..4) {
                Some(p) if p.eq_ignore_ascii_case("sip:") => s[4..].to_string(),
                _ => s.to_string(),
            }
        });
        if upn.is_none() && sip.is_none() {
            out.account.reject(
                line,
                "no userPrincipalName with an @ and no SipAddress: the user cannot be matched"
                    .into(),
                NO_IDENTITY,
            );
            continue;
        }
        let interpreted = cell(cols.interpreted).unwrap_or_default();
        // Graph leaves onPremisesSyncEnabled null on an object never synced from on-premises.
        let mut synced = match table {
            TenantTable::GraphUser => Some(false),
            TenantTable::CsOnlineUser => interpreted_synced(&interpreted),
        };
        for &i in &cols.synced {
            if let Some(v) = cell(Some(i)) {
                match parse_bool(&v) {
                    Ok(b) => synced = Some(b),
                    Err(bad) => out.stats.issue(line, &headers[i], &v, bad.expected),
                }
            }
        }
        let home = cell(cols.hosting_provider)
            .and_then(|h| hosting_home(&h))
            .or_else(|| interpreted_home(&interpreted));
        let immutable_id = cell(cols.immutable_id);
        out.account.accept();
        out.users.push(CloudUser {
            file,
            line,
            upn,
            sip,
            anchor_guid: immutable_id.as_deref().and_then(|v| normalize_guid(v).ok()),
            immutable_id,
            synced,
            home,
        });
    }
    out
}

/// `sipfed.online.lync.com` is online, `SRV:` on-premises; other values say nothing.
fn hosting_home(h: &str) -> Option<CloudHome> {
    let h = h.trim().to_ascii_lowercase();
    if h.contains("sipfed.online.lync.com") {
        Some(CloudHome::Online)
    } else if h.starts_with("srv:") {
        Some(CloudHome::OnPremises)
    } else {
        None
    }
}

/// The synchronisation particle that begins an `InterpretedUserType`: `Pure…` is cloud-only,
/// `Hybrid…`, `DirSyncEnabled…` and `AADConnectEnabled…` synced.
fn interpreted_synced(t: &str) -> Option<bool> {
    if t.starts_with("Pure") {
        Some(false)
    } else if ["Hybrid", "DirSyncEnabled", "AADConnectEnabled"]
        .iter()
        .any(|p| t.starts_with(p))
    {
        Some(true)
    } else {
        None
    }
}

/// The location particle of an `InterpretedUserType` (`HybridOnpremSfBUser`,
/// `PureOnlineTeamsOnlyUser`).
fn interpreted_home(t: &str) -> Option<CloudHome> {
    if t.contains("Onprem") {
        Some(CloudHome::OnPremises)
    } else if t.contains("Online") {
        Some(CloudHome::Online)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &str) -> Vec<String> {
        h.split(',').map(str::to_string).collect()
    }

    #[test]
    fn tenant_tables_are_told_from_get_csuser() {
        assert_eq!(
            kind_of(&headers(
                "UserPrincipalName,SipAddress,InterpretedUserType,HostingProvider"
            )),
            Some(TenantTable::CsOnlineUser)
        );
        assert_eq!(
            kind_of(&headers("Id,UserPrincipalName,OnPremisesImmutableId")),
            Some(TenantTable::GraphUser)
        );
        // Get-CsUser, on-premises.
        assert_eq!(
            kind_of(&headers(
                "Identity,SipAddress,UserPrincipalName,Enabled,HostingProvider,RegistrarPool"
            )),
            None
        );
    }

    #[test]
    fn rows_give_homes_anchors_and_origins() {
        let h = headers(
            "UserPrincipalName,SipAddress,InterpretedUserType,HostingProvider,DirSyncEnabled,OnPremisesImmutableId",
        );
        let body = b"ada@contoso.com,sip:ada@contoso.com,HybridOnlineTeamsOnlyUser,sipfed.online.lync.com,True,mkzMuV99sEqMPhPR6PCitA==\n\
bob@contoso.com,sip:bob@contoso.com,HybridOnpremSfBUser,SRV:,True,\n\
cy@contoso.onmicrosoft.com,,PureOnlineTeamsOnlyUser,,False,\n\
,,PureOnlineTeamsOnlyUser,,Maybe,\n\
dee@contoso.com,,,,Maybe,\n";
        let r = read(TenantTable::CsOnlineUser, body, 2, b',', &h, FileId(0));
        assert_eq!(
            (r.account.rows, r.account.rejected, r.users.len()),
            (5, 1, 4)
        );
        assert!(r.account.balances());
        assert_eq!(r.account.rejections[0].line, 5);
        assert_eq!(r.stats.value_errors, 1);
        assert_eq!(r.stats.value_error_examples[0].line, 6);
        let ada = &r.users[0];
        assert_eq!(ada.home, Some(CloudHome::Online));
        assert_eq!(ada.synced, Some(true));
        assert_eq!(ada.sip.as_deref(), Some("ada@contoso.com"));
        // [Convert]::ToBase64String(([guid]'b9cc4c9a-…').ToByteArray())
        assert_eq!(
            ada.anchor_guid.as_deref(),
            Some("b9cc4c9a-7d5f-4ab0-8c3e-13d1e8f0a2b4")
        );
        assert_eq!(r.users[1].anchor_guid, None);
        assert_eq!(r.users[1].home, Some(CloudHome::OnPremises));
        assert_eq!(r.users[2].synced, Some(false));
        assert_eq!(r.users[2].home, Some(CloudHome::Online));
        assert_eq!((r.users[3].synced, r.users[3].home), (None, None));
    }

    #[test]
    fn a_graph_user_never_synced_is_cloud_only() {
        let h = headers("Id,UserPrincipalName,OnPremisesImmutableId,OnPremisesSyncEnabled");
        let body =
            b"1,ada@contoso.com,mkzMuV99sEqMPhPR6PCitA==,True\n2,cy@contoso.onmicrosoft.com,,\n";
        let r = read(TenantTable::GraphUser, body, 2, b',', &h, FileId(0));
        let synced: Vec<_> = r.users.iter().map(|u| (u.synced, u.home)).collect();
        assert_eq!(synced, [(Some(true), None), (Some(false), None)]);
    }
}
