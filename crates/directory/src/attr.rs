//! The attributes the directory stores for each object, one column each.
//!
//! Only attributes that some check, merge or report needs are kept; every other column of an
//! export is counted by the ingest and dropped. How a header spelling maps to an attribute is the
//! ingest's business (its alias table), not this module's.

macro_rules! attrs {
    ($( $(#[$m:meta])* $v:ident => $ldap:literal, $kind:ident; )*) => {
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
    /// A point in time in any form an export writes (FILETIME, generalized time, a locale's
    /// date and time, an Excel serial); stored as written, since its reading depends on the
    /// exporting machine's locale.
    Time,
}

attrs! {
    ObjectGuid => "objectGUID", Guid;
    Sid => "objectSid", Sid;
    SamAccountName => "sAMAccountName", Text;
    UserPrincipalName => "userPrincipalName", Text;
    Cn => "cn", Text;
    DisplayName => "displayName", Text;
    GivenName => "givenName", Text;
    Surname => "sn", Text;
    Mail => "mail", Text;
    MailNickname => "mailNickname", Text;
    ProxyAddresses => "proxyAddresses", Multi;
    TargetAddress => "targetAddress", Text;
    Enabled => "Enabled", Bool;
    UserAccountControl => "userAccountControl", Int;
    PrimaryGroupId => "primaryGroupID", Int;
    GroupType => "groupType", Int;
    GroupCategory => "GroupCategory", Text;
    GroupScope => "GroupScope", Text;
    Title => "title", Text;
    Department => "department", Text;
    Company => "company", Text;
    Description => "description", Text;
    CanonicalName => "canonicalName", Text;
    WhenCreated => "whenCreated", Time;
    LastLogon => "lastLogonTimestamp", Time;
    IsCriticalSystemObject => "isCriticalSystemObject", Bool;
    MsExchRecipientTypeDetails => "msExchRecipientTypeDetails", Int;
    MsExchHideFromAddressLists => "msExchHideFromAddressLists", Bool;
    HomeMdb => "homeMDB", Text;
    UserCertificate => "userCertificate", Multi;
    UserSmimeCertificate => "userSMIMECertificate", Multi;
    ConsistencyGuid => "mS-DS-ConsistencyGuid", Guid;
    ExternalDirectoryObjectId => "msDS-ExternalDirectoryObjectId", Text;
    AdminCount => "adminCount", Int;
    SidHistory => "sIDHistory", Multi;
    ExtensionAttribute1 => "extensionAttribute1", Text;
    ExtensionAttribute2 => "extensionAttribute2", Text;
    ExtensionAttribute3 => "extensionAttribute3", Text;
    ExtensionAttribute4 => "extensionAttribute4", Text;
    ExtensionAttribute5 => "extensionAttribute5", Text;
    ExtensionAttribute6 => "extensionAttribute6", Text;
    ExtensionAttribute7 => "extensionAttribute7", Text;
    ExtensionAttribute8 => "extensionAttribute8", Text;
    ExtensionAttribute9 => "extensionAttribute9", Text;
    ExtensionAttribute10 => "extensionAttribute10", Text;
    ExtensionAttribute11 => "extensionAttribute11", Text;
    ExtensionAttribute12 => "extensionAttribute12", Text;
    ExtensionAttribute13 => "extensionAttribute13", Text;
    ExtensionAttribute14 => "extensionAttribute14", Text;
    ExtensionAttribute15 => "extensionAttribute15", Text;
    /// `sip:` address, from msRTCSIP-PrimaryUserAddress or Get-CsUser's SipAddress.
    SipAddress => "msRTCSIP-PrimaryUserAddress", Text;
    /// The Skype for Business flag: msRTCSIP-UserEnabled or Get-CsUser's `Enabled`.
    SfbEnabled => "msRTCSIP-UserEnabled", Bool;
    /// `SRV:` (on-premises) or `sipfed.online.lync.com` (online): msRTCSIP-DeploymentLocator / HostingProvider.
    HostingProvider => "msRTCSIP-DeploymentLocator", Text;
    RegistrarPool => "RegistrarPool", Text;
    PrimaryHomeServer => "msRTCSIP-PrimaryHomeServer", DnText;
    LineUri => "msRTCSIP-Line", Text;
    OptionFlags => "msRTCSIP-OptionFlags", Int;
    EnterpriseVoice => "EnterpriseVoiceEnabled", Bool;
    OwnerUrn => "msRTCSIP-OwnerUrn", Text;
    OriginatorSid => "msRTCSIP-OriginatorSID", Sid;
    TeamsUpgradePolicy => "TeamsUpgradePolicy", Text;
    UsageLocation => "usageLocation", Text;
    Licenses => "Licenses", Multi;
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
