//! Where each attribute the directory stores comes from, and so what the script asks for.
//!
//! [`origin`] is an exhaustive match over [`Attr`]: the directory's declaration is the list, this
//! table only says, for each attribute, which cmdlet holds it, under what name, for which object
//! kinds and in what shape. The non-attribute columns the ingest reads (the DN, the class, the
//! account flag, memberships, the manager, the primary group) are matched over the ingest's
//! [`Column`] the same way, in [`column_origin`].

use hybridready_directory::{Attr, ObjectKind};
use hybridready_ingest::columns::Column;

/// How a property is asked of the AD cmdlets.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Fetch {
    /// In the cmdlet's default set (Get-ADUser's `Enabled`, `SID`, `Name`…): selected, not asked.
    Default,
    /// An extended property of the AD module (`PrimaryGroup`): asked with `-Properties`.
    Extended,
    /// An LDAP attribute: asked with `-Properties` only if the forest's schema has it (the
    /// Exchange and Skype for Business attributes exist only where their schema was extended,
    /// and one unknown name fails the whole cmdlet).
    Schema,
}

/// How the script turns the property's value into a cell the ingest reads.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shape {
    /// As PowerShell writes it (text, a number, `True`/`False`, a GUID, a SID).
    Single,
    /// Several values joined with the separator the ingest splits on.
    Multi,
    /// Binary values (certificates), each in base64, joined.
    Base64List,
    /// One binary value (a GUID as bytes) in base64, which the ingest reads as a GUID.
    Base64,
    /// A binary SID, as `S-1-…`.
    SidBytes,
    /// A date, in UTC, ISO 8601 (`2024-01-31T12:00:00Z`), whatever the host's locale.
    Date,
}

/// A property of the AD cmdlets' output.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct AdProperty {
    /// The name `-Properties` takes and the header the script writes.
    pub name: &'static str,
    pub fetch: Fetch,
    pub shape: Shape,
    /// The object kinds whose export carries it.
    pub kinds: &'static [ObjectKind],
}

/// Where a value comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Origin {
    /// Get-ADUser, Get-ADGroup, Get-ADObject (contacts).
    Ad(AdProperty),
    /// Get-CsUser (the Skype for Business Server state of a user), by its property name.
    CsUser(&'static str),
    /// Get-CsOnlineUser, on the tenant side, by its property name.
    OnlineUser(&'static str),
    /// Not collected by the kit, and why.
    NotCollected(&'static str),
}

use ObjectKind::{Contact, Group, User};
const U: &[ObjectKind] = &[User];
const G: &[ObjectKind] = &[Group];
const UC: &[ObjectKind] = &[User, Contact];
const UG: &[ObjectKind] = &[User, Group];
const ALL: &[ObjectKind] = &[User, Group, Contact];

const fn ad(
    name: &'static str,
    fetch: Fetch,
    shape: Shape,
    kinds: &'static [ObjectKind],
) -> Origin {
    Origin::Ad(AdProperty {
        name,
        fetch,
        shape,
        kinds,
    })
}

const fn ldap(name: &'static str, kinds: &'static [ObjectKind]) -> Origin {
    ad(name, Fetch::Schema, Shape::Single, kinds)
}

/// Where attribute `a` comes from.
pub const fn origin(a: Attr) -> Origin {
    use Fetch::{Default, Schema};
    use Shape::*;
    match a {
        Attr::ObjectGuid => ad("ObjectGUID", Default, Single, ALL),
        // Contacts are not security principals: no SID, no sAMAccountName, no UPN.
        Attr::Sid => ad("SID", Default, Single, UG),
        Attr::SamAccountName => ldap("sAMAccountName", UG),
        Attr::UserPrincipalName => ldap("userPrincipalName", U),
        Attr::Cn => ad("Name", Default, Single, ALL),
        Attr::DisplayName => ldap("displayName", ALL),
        Attr::GivenName => ldap("givenName", UC),
        Attr::Surname => ldap("sn", UC),
        Attr::Mail => ldap("mail", ALL),
        Attr::MailNickname => ldap("mailNickname", ALL),
        Attr::ProxyAddresses => ad("proxyAddresses", Schema, Multi, ALL),
        Attr::TargetAddress => ldap("targetAddress", ALL),
        // Get-ADUser computes it from userAccountControl.
        Attr::Enabled => ad("Enabled", Default, Single, U),
        Attr::UserAccountControl => ldap("userAccountControl", U),
        Attr::PrimaryGroupId => ldap("primaryGroupID", U),
        Attr::GroupType => ldap("groupType", G),
        Attr::GroupCategory => ad("GroupCategory", Default, Single, G),
        Attr::GroupScope => ad("GroupScope", Default, Single, G),
        Attr::Title => ldap("title", UC),
        Attr::Department => ldap("department", UC),
        Attr::Company => ldap("company", UC),
        Attr::Description => ldap("description", ALL),
        Attr::CanonicalName => ldap("canonicalName", ALL),
        Attr::WhenCreated => ad("whenCreated", Schema, Date, ALL),
        // A FILETIME integer: written as the number it is.
        Attr::LastLogon => ldap("lastLogonTimestamp", U),
        Attr::IsCriticalSystemObject => ldap("isCriticalSystemObject", ALL),
        Attr::MsExchRecipientTypeDetails => ldap("msExchRecipientTypeDetails", ALL),
        Attr::MsExchHideFromAddressLists => ldap("msExchHideFromAddressLists", ALL),
        Attr::HomeMdb => ldap("homeMDB", U),
        Attr::UserCertificate => ad("userCertificate", Schema, Base64List, UC),
        Attr::UserSmimeCertificate => ad("userSMIMECertificate", Schema, Base64List, UC),
        Attr::ConsistencyGuid => ad("mS-DS-ConsistencyGuid", Schema, Base64, UG),
        Attr::ExternalDirectoryObjectId => ldap("msDS-ExternalDirectoryObjectId", UG),
        Attr::AdminCount => ldap("adminCount", UG),
        Attr::SidHistory => ad("sIDHistory", Schema, Multi, UG),
        Attr::ExtensionAttribute1 => ldap("extensionAttribute1", ALL),
        Attr::ExtensionAttribute2 => ldap("extensionAttribute2", ALL),
        Attr::ExtensionAttribute3 => ldap("extensionAttribute3", ALL),
        Attr::ExtensionAttribute4 => ldap("extensionAttribute4", ALL),
        Attr::ExtensionAttribute5 => ldap("extensionAttribute5", ALL),
        Attr::ExtensionAttribute6 => ldap("extensionAttribute6", ALL),
        Attr::ExtensionAttribute7 => ldap("extensionAttribute7", ALL),
        Attr::ExtensionAttribute8 => ldap("extensionAttribute8", ALL),
        Attr::ExtensionAttribute9 => ldap("extensionAttribute9", ALL),
        Attr::ExtensionAttribute10 => ldap("extensionAttribute10", ALL),
        Attr::ExtensionAttribute11 => ldap("extensionAttribute11", ALL),
        Attr::ExtensionAttribute12 => ldap("extensionAttribute12", ALL),
        Attr::ExtensionAttribute13 => ldap("extensionAttribute13", ALL),
        Attr::ExtensionAttribute14 => ldap("extensionAttribute14", ALL),
        Attr::ExtensionAttribute15 => ldap("extensionAttribute15", ALL),
        // The Skype for Business attributes: users, and contacts (application and common-area
        // contacts are SIP-enabled contacts).
        Attr::SipAddress => ldap("msRTCSIP-PrimaryUserAddress", UC),
        Attr::SfbEnabled => ldap("msRTCSIP-UserEnabled", UC),
        Attr::HostingProvider => ldap("msRTCSIP-DeploymentLocator", UC),
        Attr::RegistrarPool => Origin::CsUser("RegistrarPool"),
        Attr::PrimaryHomeServer => ldap("msRTCSIP-PrimaryHomeServer", UC),
        Attr::LineUri => ldap("msRTCSIP-Line", UC),
        Attr::OptionFlags => ldap("msRTCSIP-OptionFlags", UC),
        Attr::EnterpriseVoice => Origin::CsUser("EnterpriseVoiceEnabled"),
        Attr::OwnerUrn => ldap("msRTCSIP-OwnerUrn", UC),
        Attr::OriginatorSid => ad("msRTCSIP-OriginatorSID", Schema, SidBytes, UC),
        Attr::TeamsUpgradePolicy => Origin::OnlineUser("TeamsUpgradePolicy"),
        Attr::UsageLocation => Origin::OnlineUser("UsageLocation"),
        Attr::Licenses => Origin::NotCollected(
            "licence assignments are tenant SKU ids, not names: the scenario's [licenses] says \
             which plans are assigned",
        ),
    }
}

/// Where a column the ingest reads outside the attribute table comes from. `None`: the column
/// belongs to another kind of input (membership lists, ADRecon) or is read by nothing.
pub const fn column_origin(c: Column) -> Option<AdProperty> {
    const fn p(
        name: &'static str,
        fetch: Fetch,
        shape: Shape,
        kinds: &'static [ObjectKind],
    ) -> Option<AdProperty> {
        Some(AdProperty {
            name,
            fetch,
            shape,
            kinds,
        })
    }
    match c {
        Column::Attr(_) => None,
        Column::Dn => p("DistinguishedName", Fetch::Default, Shape::Single, ALL),
        Column::ObjectClass => p("ObjectClass", Fetch::Default, Shape::Single, ALL),
        // The account flag is the attribute `Enabled` (see `origin`), under this column.
        Column::Enabled => None,
        // The groups' `member` lists every kind of member (users, groups, contacts, foreign
        // principals); the users' `memberOf` repeats their part of it, so that a user export
        // alone still says which groups (the pilot's, the sync scope's) hold each user.
        Column::MemberOf => p("memberOf", Fetch::Schema, Shape::Multi, U),
        Column::Members => p("member", Fetch::Schema, Shape::Multi, G),
        Column::Manager => p("manager", Fetch::Schema, Shape::Single, UC),
        Column::PrimaryGroupDn => p("PrimaryGroup", Fetch::Extended, Shape::Single, U),
        Column::RowGroup
        | Column::RowMember
        | Column::RowMemberSam
        | Column::RowMemberName
        | Column::RowMemberSid
        | Column::RowMemberClass
        | Column::Unused => None,
    }
}

/// Every column the ingest reads that is not an attribute, for [`column_origin`].
const COLUMNS: &[Column] = &[
    Column::Dn,
    Column::ObjectClass,
    Column::Enabled,
    Column::MemberOf,
    Column::Members,
    Column::Manager,
    Column::PrimaryGroupDn,
];

/// The properties the script selects for `kind`, in a stable order: the identity first (DN,
/// class, GUID), then the attributes in the directory's order, then memberships and references.
pub fn ad_properties(kind: ObjectKind) -> Vec<AdProperty> {
    let columns = COLUMNS.iter().filter_map(|&c| column_origin(c));
    let (head, tail): (Vec<_>, Vec<_>) = columns.partition(|p| p.fetch == Fetch::Default);
    let attrs = Attr::ALL.iter().filter_map(|&a| match origin(a) {
        Origin::Ad(p) => Some(p),
        _ => None,
    });
    head.into_iter()
        .chain(attrs)
        .chain(tail)
        .filter(|p| p.kinds.contains(&kind))
        .collect()
}

/// The Get-CsUser properties the script selects: the user's DN (to merge with the AD export),
/// then every attribute Get-CsUser holds, by Get-CsUser's own name.
pub fn cs_user_properties() -> Vec<&'static str> {
    let mut out = vec!["DistinguishedName", "UserPrincipalName", "SamAccountName"];
    out.extend(Attr::ALL.iter().filter_map(|&a| cs_user_name(a)));
    out
}

/// Get-CsUser's name for attribute `a`, if it shows it: its own properties, and the AD
/// attributes it shows under names of its own.
fn cs_user_name(a: Attr) -> Option<&'static str> {
    match origin(a) {
        Origin::CsUser(n) => Some(n),
        _ => match a {
            Attr::Sid => Some("Sid"),
            Attr::SipAddress => Some("SipAddress"),
            // On a Get-CsUser export `Enabled` is the Skype for Business flag.
            Attr::SfbEnabled => Some("Enabled"),
            Attr::HostingProvider => Some("HostingProvider"),
            Attr::PrimaryHomeServer => Some("HomeServer"),
            Attr::LineUri => Some("LineURI"),
            Attr::OriginatorSid => Some("OriginatorSid"),
            _ => None,
        },
    }
}

/// The Get-CsOnlineUser properties the script selects: the identities that match a tenant user
/// to its on-premises object, the Skype for Business and Teams state, then every attribute read
/// from the tenant side.
pub fn online_user_properties() -> Vec<&'static str> {
    let mut out = vec![
        "Identity",
        "UserPrincipalName",
        "SipAddress",
        "SipProxyAddress",
        "HostingProvider",
        "InterpretedUserType",
        "TeamsUpgradeEffectiveMode",
        "DirSyncEnabled",
        "OnPremSipAddress",
        "OnPremSIPEnabled",
        "OnPremHostingProvider",
        "OnPremEnterpriseVoiceEnabled",
    ];
    out.extend(Attr::ALL.iter().filter_map(|&a| match origin(a) {
        Origin::OnlineUser(n) => Some(n),
        _ => None,
    }));
    out
}

/// The Get-MgUser properties the script asks for (the kit contract's list).
pub const GRAPH_USER_PROPERTIES: &[&str] = &[
    "Id",
    "UserPrincipalName",
    "Mail",
    "ProxyAddresses",
    "OnPremisesImmutableId",
    "OnPremisesSyncEnabled",
    "OnPremisesDistinguishedName",
    "OnPremisesSamAccountName",
    "OnPremisesSecurityIdentifier",
];

#[cfg(test)]
mod tests {
    use super::*;
    use hybridready_ingest::columns::ColumnMap;

    /// The column the ingest stores attribute `a` under, when read from a header.
    fn column_of(a: Attr) -> Column {
        match a {
            Attr::Enabled => Column::Enabled,
            _ => Column::Attr(a),
        }
    }

    /// Every header the script writes reads back, through the ingest's own alias table, as the
    /// attribute or column it was asked for: the two lists cannot drift apart.
    #[test]
    fn every_header_reads_back_as_what_it_was_asked_for() {
        let map = ColumnMap::default();
        for &a in Attr::ALL {
            if let Origin::Ad(p) = origin(a) {
                assert_eq!(map.lookup(p.name), Some(column_of(a)), "{}", p.name);
            }
            if let Origin::CsUser(n) | Origin::OnlineUser(n) = origin(a) {
                assert_eq!(map.lookup(n), Some(Column::Attr(a)), "{n}");
            }
        }
        for &c in COLUMNS {
            if let Some(p) = column_origin(c) {
                assert_eq!(map.lookup(p.name), Some(c), "{}", p.name);
            }
        }
        for n in cs_user_properties() {
            assert!(
                !matches!(map.lookup(n), None | Some(Column::Unused)),
                "{n} is not read"
            );
        }
    }

    /// Each kind's export names each column once, and every attribute the directory stores is
    /// collected from somewhere or says why not.
    #[test]
    fn each_kind_asks_each_column_once_and_every_attribute_is_placed() {
        let map = ColumnMap::default();
        for kind in [User, Group, Contact] {
            let props = ad_properties(kind);
            let mut cols: Vec<_> = props.iter().map(|p| map.lookup(p.name)).collect();
            let n = cols.len();
            cols.sort_by_key(|c| format!("{c:?}"));
            cols.dedup();
            assert_eq!(cols.len(), n, "{kind:?}: a column asked twice");
            assert_eq!(props[0].name, "DistinguishedName");
        }
        for &a in Attr::ALL {
            if let Origin::NotCollected(why) = origin(a) {
                assert!(!why.is_empty());
            }
        }
        // The identities the directory merges rows on, for users.
        let users: Vec<&str> = ad_properties(User).iter().map(|p| p.name).collect();
        for id in ["ObjectGUID", "SID", "sAMAccountName", "userPrincipalName"] {
            assert!(users.contains(&id), "{id}");
        }
    }
}
