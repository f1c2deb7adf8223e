//! The tenant export matched to the AD objects: which users the tenant already holds, homed
//! where, and which online users have no AD object at all (U02).
//!
//! A tenant user is matched as Entra Connect would: on its sourceAnchor first (the immutable id,
//! the base64 of the object's objectGUID or mS-DS-ConsistencyGuid: a "hard match"), then on its
//! UPN, then on its SIP address ("soft match", `idfix-entra.md` §2).

use super::scope::IdentityIndex;
use hybridready_directory::cloud::{CloudHome, CloudUser};
use hybridready_directory::fold::CiMap;
use hybridready_directory::{Attr, Directory, ObjectId};

/// What the tenant export says of the directory.
#[derive(Clone, Debug, Default)]
pub struct TenantView {
    /// Users in the tenant exports.
    pub users: u64,
    /// AD objects the tenant says are homed online, sorted.
    pub online: Vec<ObjectId>,
    /// Tenant users created in the cloud (not synchronised) and homed online: U02's users, by
    /// their index in the tenant export.
    pub cloud_only_online: Vec<usize>,
    /// Cloud-only tenant users whose home the export does not give (a Get-MgUser export):
    /// whether they are online users is unknown.
    pub cloud_only_home_unknown: u64,
}

impl TenantView {
    /// `None` when no tenant export was given: then nothing is known of the tenant.
    pub fn new(dir: &Directory, ids: &IdentityIndex) -> Option<TenantView> {
        let users = dir.cloud_users()?;
        let anchors = anchor_index(dir);
        let mut view = TenantView {
            users: users.len() as u64,
            ..TenantView::default()
        };
        for (i, u) in users.iter().enumerate() {
            let by_anchor = u
                .anchor_guid
                .as_deref()
                .and_then(|g| anchors.get(g).copied().flatten());
            let m = by_anchor.or_else(|| soft_match(dir, ids, u));
            match (m, u.home, u.synced) {
                (Some(o), Some(CloudHome::Online), _) => view.online.push(o),
                (None, Some(CloudHome::Online), Some(false)) => view.cloud_only_online.push(i),
                (None, None, Some(false)) => view.cloud_only_home_unknown += 1,
                _ => {}
            }
        }
        view.online.sort_unstable();
        view.online.dedup();
        Some(view)
    }
}

/// Objects by their objectGUID and mS-DS-ConsistencyGuid (stored lowercase); a GUID two objects
/// hold names neither.
fn anchor_index(dir: &Directory) -> CiMap<Option<ObjectId>> {
    let mut map = CiMap::default();
    for o in dir.ids() {
        for attr in [Attr::ObjectGuid, Attr::ConsistencyGuid] {
            if let Some(g) = dir.value(o, attr) {
                let e = map.entry_or_insert_with(g, || Some(o));
                if *e != Some(o) {
                    *e = None;
                }
            }
        }
    }
    map
}

fn soft_match(dir: &Directory, ids: &IdentityIndex, u: &CloudUser) -> Option<ObjectId> {
    [u.upn.as_deref(), u.sip.as_deref()]
        .into_iter()
        .flatten()
        .find_map(|s| ids.get(dir, s).ok())
}
