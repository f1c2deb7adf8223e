//! The attributes the directory stores for each object, one column each.
//!
//! Only attributes that some check, merge or report needs are kept; every other column of an
//! export is counted by the ingest and dropped. How a header spelling maps to an attribute is the
//! ingest's business (its alias table), not this module's.

macro_rules! attrs {
    ($( $(#[$m:meta])* $v:ident => $ldap:literal, $kind:ident, $used_by:literal; )*) => {
        /// A stored attribute. The discriminants index [`Attr::ALL`] and the column table.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        #[repr(u8)]
        pub enum Attr { $( $(#[$m])* $v, )* }

        impl Attr {
            pub const ALL: &'static [Attr] = &[ $( Attr::$v, )* ];
            pub const COUNT: usize = Attr::ALL.len();
            /// The LDAP display name, used in findings and reports.
            pub fn ldap_name(self) -> &'static str {
                match self { $( Attr::$v => $ldap, )* }
            }
            pub fn kind(self) -> ValueKind {
                match self { $( Attr::$v => ValueKind::$kind, )* }
            }
            /// What the attribute is used for besides the sync-readiness rules (the ingest adds
            /// the rules that read it from the rule registry, so no rule id is written here).
            pub fn used_by(self) -> &'static str {
                match self { $( Attr::$v => $used_by, )* }
            }
        }
    };
}

/// How the ingest normalises a value before storing it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ValueKind {
    /// Kept as written.
    Text,
    /// Several values, split on `;`, `|` or newlines and stored joined by `\n`.
    Multi,
    /// `True`/`False` in any of the spellings the ingest knows; stored as `True` or `False`.
    Bool,
    /// An integer (decimal, `0x` hex, or an Excel float with no fraction); stored in decimal.
    Int,
    /// A GUID (text, braces, csvde `X'…'` or base64); stored lowercase `xxxxxxxx-xxxx-…`.
    Guid,
    /// A SID (`S-1-…` or csvde binary); stored as `S-1-…`.
    Sid,
    /// A distinguished name, stored as written (objects are linked by the directory).
    DnText,
}

attrs! {
    ObjectGuid => "objectGUID", Guid, "merging the same object across files";
    Sid => "objectSid", Sid, "merging across files; primary-group membership (group SIDs)";
    SamAccountName => "sAMAccountName", Text, "DOMAIN\\user identity";
    UserPrincipalName => "userPrincipalName", Text, "sign-in names";
    Cn => "cn", Text, "matching members by name";
    DisplayName => "displayName", Text, "";
    GivenName => "givenName", Text, "";
    Surname => "sn", Text, "names in the worklist";
    Mail => "mail", Text, "";
    MailNickname => "mailNickname", Text, "";
    ProxyAddresses => "proxyAddresses", Multi, "";
    TargetAddress => "targetAddress", Text, "";
    Enabled => "Enabled", Bool, "account state (disabled accounts are reported apart)";
    UserAccountControl => "userAccountControl", Int, "account state (disabled bit 0x2)";
    PrimaryGroupId => "primaryGroupID", Int, "primary-group membership, which AD never lists in member/memberOf";
    GroupType => "groupType", Int, "group scope";
    GroupCategory => "GroupCategory", Text, "security vs distribution groups";
    GroupScope => "GroupScope", Text, "group scope";
    Title => "title", Text, "the report's user lists";
    Department => "department", Text, "the report's user lists";
    Company => "company", Text, "the report's user lists";
    Description => "description", Text, "nothing (kept for the worklist)";
    CanonicalName => "canonicalName", Text, "domain of objects without a DN";
    WhenCreated => "whenCreated", Text, "nothing (kept for the worklist)";
    LastLogon => "lastLogonTimestamp", Text, "dormant-account hints";
    IsCriticalSystemObject => "isCriticalSystemObject", Bool, "";
    MsExchRecipientTypeDetails => "msExchRecipientTypeDetails", Int, "";
    MsExchHideFromAddressLists => "msExchHideFromAddressLists", Bool, "";
    HomeMdb => "homeMDB", Text, "mailbox detection";
    UserCertificate => "userCertificate", Multi, "";
    UserSmimeCertificate => "userSMIMECertificate", Multi, "";
    ConsistencyGuid => "mS-DS-ConsistencyGuid", Guid, "";
    ExternalDirectoryObjectId => "msDS-ExternalDirectoryObjectId", Text, "objects already synced to Entra ID";
    AdminCount => "adminCount", Int, "privileged accounts";
    SidHistory => "sIDHistory", Multi, "migrated accounts";
    ExtensionAttribute1 => "extensionAttribute1", Text, "attribute-based sync filters";
    ExtensionAttribute2 => "extensionAttribute2", Text, "attribute-based sync filters";
    ExtensionAttribute3 => "extensionAttribute3", Text, "attribute-based sync filters";
    ExtensionAttribute4 => "extensionAttribute4", Text, "attribute-based sync filters";
    ExtensionAttribute5 => "extensionAttribute5", Text, "attribute-based sync filters";
    ExtensionAttribute6 => "extensionAttribute6", Text, "attribute-based sync filters";
    ExtensionAttribute7 => "extensionAttribute7", Text, "attribute-based sync filters";
    ExtensionAttribute8 => "extensionAttribute8", Text, "attribute-based sync filters";
    ExtensionAttribute9 => "extensionAttribute9", Text, "attribute-based sync filters";
    ExtensionAttribute10 => "extensionAttribute10", Text, "attribute-based sync filters";
    ExtensionAttribute11 => "extensionAttribute11", Text, "attribute-based sync filters";
    ExtensionAttribute12 => "extensionAttribute12", Text, "attribute-based sync filters";
    ExtensionAttribute13 => "extensionAttribute13", Text, "attribute-based sync filters";
    ExtensionAttribute14 => "extensionAttribute14", Text, "attribute-based sync filters";
    ExtensionAttribute15 => "extensionAttribute15", Text, "attribute-based sync filters";
    /// `sip:` address, from msRTCSIP-PrimaryUserAddress or Get-CsUser's SipAddress.
    SipAddress => "msRTCSIP-PrimaryUserAddress", Text, "SfB state and SIP domain; waves.csv";
    /// The Skype for Business flag: msRTCSIP-UserEnabled or Get-CsUser's `Enabled`.
    SfbEnabled => "msRTCSIP-UserEnabled", Bool, "which users are Skype for Business users";
    /// `SRV:` (on-premises) or `sipfed.online.lync.com` (online): msRTCSIP-DeploymentLocator / HostingProvider.
    HostingProvider => "msRTCSIP-DeploymentLocator", Text, "whether an SfB user is homed online or on-premises";
    RegistrarPool => "RegistrarPool", Text, "SfB pools in the report";
    PrimaryHomeServer => "msRTCSIP-PrimaryHomeServer", DnText, "SfB pools in the report";
    LineUri => "msRTCSIP-Line", Text, "Enterprise Voice move blockers";
    OptionFlags => "msRTCSIP-OptionFlags", Int, "Enterprise Voice detection";
    EnterpriseVoice => "EnterpriseVoiceEnabled", Bool, "Enterprise Voice move blockers";
    OwnerUrn => "msRTCSIP-OwnerUrn", Text, "hybrid application endpoints";
    OriginatorSid => "msRTCSIP-OriginatorSID", Sid, "resource-forest users";
    TeamsUpgradePolicy => "TeamsUpgradePolicy", Text, "U12 (coexistence mode)";
    UsageLocation => "usageLocation", Text, "licence assignment";
    Licenses => "Licenses", Multi, "U04/U05 licence move blockers";
}

impl Attr {
    pub fn index(self) -> usize {
        self as usize
    }
    /// Attribute by LDAP name, case-insensitively.
    pub fn from_ldap_name(name: &str) -> Option<Attr> {
        Attr::ALL
            .iter()
            .copied()
            .find(|a| a.ldap_name().eq_ignore_ascii_case(name))
    }
    /// `extensionAttribute1`..`15`.
    pub fn extension_attribute(n: usize) -> Option<Attr> {
        let i = Attr::ExtensionAttribute1.index() + n.checked_sub(1)?;
        (n <= 15).then(|| Attr::ALL[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        for (i, a) in Attr::ALL.iter().enumerate() {
            assert_eq!(a.index(), i);
            assert_eq!(Attr::from_ldap_name(a.ldap_name()), Some(*a));
        }
        assert_eq!(
            Attr::extension_attribute(15),
            Some(Attr::ExtensionAttribute15)
        );
        assert_eq!(Attr::extension_attribute(16), None);
    }
}
