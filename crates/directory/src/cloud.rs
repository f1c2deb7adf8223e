//! The tenant's side of the directory: users as Microsoft 365 holds them, read from a
//! Get-CsOnlineUser or Get-MgUser export. They are not AD objects (a cloud-only user has none):
//! they are kept beside the objects and matched to them by the simulation, so that the figures
//! stop assuming what the tenant holds.

use crate::FileId;
use serde::Serialize;

/// Where the tenant says a user's Skype for Business / Teams account is homed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CloudHome {
    /// Homed online (Teams or Skype for Business Online): `HostingProvider` is
    /// `sipfed.online.lync.com`, or the `InterpretedUserType` says `Online`.
    Online,
    /// Homed on-premises (`HostingProvider` `SRV:`, or `Onprem` in the interpreted type).
    OnPremises,
}

/// One user of the tenant export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CloudUser {
    pub file: FileId,
    pub line: u64,
    pub upn: Option<String>,
    /// Without its `sip:` prefix.
    pub sip: Option<String>,
    /// `OnPremisesImmutableId`: the sourceAnchor of a synced object (base64 of its objectGUID or
    /// mS-DS-ConsistencyGuid).
    pub immutable_id: Option<String>,
    /// The objectGUID (lowercase `xxxxxxxx-…`) the immutable id encodes, when it is one: Entra
    /// Connect's default sourceAnchor is the base64 of the objectGUID's bytes.
    pub anchor_guid: Option<String>,
    /// Whether the user is synchronised from an on-premises directory (`DirSyncEnabled`,
    /// `OnPremisesSyncEnabled`, or the interpreted type's `Hybrid`/`DirSyncEnabled` prefix);
    /// `Some(false)`: a cloud-only user. `None`: the export does not say.
    pub synced: Option<bool>,
    /// `None`: the export does not say (a Get-MgUser export knows nothing of homes).
    pub home: Option<CloudHome>,
}
