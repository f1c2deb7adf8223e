//! The one alias table: every header spelling seen in real exports, mapped to what the column
//! holds. Headers match case- and space-insensitively; `--columns FILE.toml` adds spellings
//! nobody foresaw.

use hybridready_directory::Attr;
use std::collections::HashMap;
use std::path::Path;

/// What a column holds.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Column {
    Attr(Attr),
    /// The object's own distinguished name.
    Dn,
    ObjectClass,
    /// The account flag (`Enabled` of Get-ADUser; on a Get-CsUser export it is the SfB flag).
    Enabled,
    MemberOf,
    Members,
    Manager,
    PrimaryGroupDn,
    /// On a membership list: the group of the row (a DN or a name).
    RowGroup,
    /// On a membership list: the member (a DN or a name).
    RowMember,
    /// ADRecon `Member UserName` (`-` for groups).
    RowMemberSam,
    /// ADRecon `Member Name` (the member's CN).
    RowMemberName,
    RowMemberSid,
    /// ADRecon `AccountType` (user, group, computer, …).
    RowMemberClass,
    /// Known, read by nothing.
    Unused,
}

impl Column {
    pub fn name(self) -> &'static str {
        match self {
            Column::Attr(a) => a.ldap_name(),
            Column::Dn => "distinguishedName",
            Column::ObjectClass => "objectClass",
            Column::Enabled => "Enabled",
            Column::MemberOf => "memberOf",
            Column::Members => "member",
            Column::Manager => "manager",
            Column::PrimaryGroupDn => "PrimaryGroup",
            Column::RowGroup => "group of the row",
            Column::RowMember => "member of the row",
            Column::RowMemberSam => "member sAMAccountName",
            Column::RowMemberName => "member name",
            Column::RowMemberSid => "member SID",
            Column::RowMemberClass => "member class",
            Column::Unused => "recognised, not used",
        }
    }
}

/// Lowercase, without whitespace, BOM or quotes: the form headers are compared in.
pub fn normalize_header(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}' && *c != '"')
        .flat_map(char::to_lowercase)
        .collect()
}

const ALIASES: &[(&str, Column)] = {
    use Attr::*;
    use Column::Attr as A;
    &[
        ("distinguishedname", Column::Dn),
        ("dn", Column::Dn),
        ("objectguid", A(ObjectGuid)),
        ("guid", A(ObjectGuid)),
        ("sid", A(Sid)),
        ("objectsid", A(Sid)),
        ("samaccountname", A(SamAccountName)),
        ("username", A(SamAccountName)),
        ("userprincipalname", A(UserPrincipalName)),
        ("upn", A(UserPrincipalName)),
        ("name", A(Cn)),
        ("cn", A(Cn)),
        ("commonname", A(Cn)),
        ("displayname", A(DisplayName)),
        ("givenname", A(GivenName)),
        ("firstname", A(GivenName)),
        ("surname", A(Surname)),
        ("sn", A(Surname)),
        ("lastname", A(Surname)),
        ("emailaddress", A(Mail)),
        ("mail", A(Mail)),
        ("email", A(Mail)),
        ("e-mail", A(Mail)),
        ("windowsemailaddress", A(Mail)),
        ("primarysmtp", A(Mail)),
        ("primarysmtpaddress", A(Mail)),
        ("mailnickname", A(MailNickname)),
        ("alias", A(MailNickname)),
        ("proxyaddresses", A(ProxyAddresses)),
        ("emailaddresses", A(ProxyAddresses)),
        ("targetaddress", A(TargetAddress)),
        ("objectclass", Column::ObjectClass),
        ("objecttype", Column::ObjectClass),
        ("enabled", Column::Enabled),
        ("adenabled", Column::Enabled),
        ("accountenabled", Column::Enabled),
        ("useraccountcontrol", A(UserAccountControl)),
        ("memberof", Column::MemberOf),
        ("members", Column::Members),
        ("member", Column::Members),
        ("primarygroupid", A(PrimaryGroupId)),
        ("primarygroup", Column::PrimaryGroupDn),
        ("grouptype", A(GroupType)),
        ("groupcategory", A(GroupCategory)),
        ("groupscope", A(GroupScope)),
        ("manager", Column::Manager),
        ("title", A(Title)),
        ("department", A(Department)),
        ("company", A(Company)),
        ("description", A(Description)),
        ("canonicalname", A(CanonicalName)),
        ("whencreated", A(WhenCreated)),
        ("created", A(WhenCreated)),
        ("lastlogondate", A(LastLogon)),
        ("lastlogontimestamp", A(LastLogon)),
        ("lastlogon", A(LastLogon)),
        ("iscriticalsystemobject", A(IsCriticalSystemObject)),
        ("msexchrecipienttypedetails", A(MsExchRecipientTypeDetails)),
        ("recipienttypedetails", A(MsExchRecipientTypeDetails)),
        ("msexchhidefromaddresslists", A(MsExchHideFromAddressLists)),
        (
            "hiddenfromaddresslistsenabled",
            A(MsExchHideFromAddressLists),
        ),
        ("homemdb", A(HomeMdb)),
        ("usercertificate", A(UserCertificate)),
        ("certificates", A(UserCertificate)),
        ("usersmimecertificate", A(UserSmimeCertificate)),
        ("ms-ds-consistencyguid", A(ConsistencyGuid)),
        ("msds-consistencyguid", A(ConsistencyGuid)),
        (
            "msds-externaldirectoryobjectid",
            A(ExternalDirectoryObjectId),
        ),
        ("admincount", A(AdminCount)),
        ("sidhistory", A(SidHistory)),
        ("msrtcsip-primaryuseraddress", A(SipAddress)),
        ("sipaddress", A(SipAddress)),
        ("primarysip", A(SipAddress)),
        ("msrtcsip-userenabled", A(SfbEnabled)),
        ("csenabled", A(SfbEnabled)),
        ("msrtcsip-deploymentlocator", A(HostingProvider)),
        ("hostingprovider", A(HostingProvider)),
        ("registrarpool", A(RegistrarPool)),
        ("msrtcsip-primaryhomeserver", A(PrimaryHomeServer)),
        ("homeserver", A(PrimaryHomeServer)),
        ("msrtcsip-line", A(LineUri)),
        ("lineuri", A(LineUri)),
        ("msrtcsip-optionflags", A(OptionFlags)),
        ("enterprisevoiceenabled", A(EnterpriseVoice)),
        ("msrtcsip-ownerurn", A(OwnerUrn)),
        ("msrtcsip-originatorsid", A(OriginatorSid)),
        ("originatorsid", A(OriginatorSid)),
        ("teamsupgradepolicy", A(TeamsUpgradePolicy)),
        ("usagelocation", A(UsageLocation)),
        ("licenses", A(Licenses)),
        ("assignedlicenses", A(Licenses)),
        // German headers of hand-made lists and localised tools.
        ("benutzername", A(SamAccountName)),
        ("anmeldename", A(SamAccountName)),
        ("vorname", A(GivenName)),
        ("nachname", A(Surname)),
        ("anzeigename", A(DisplayName)),
        ("e-mail-adresse", A(Mail)),
        ("abteilung", A(Department)),
        ("firma", A(Company)),
        ("beschreibung", A(Description)),
        ("group", Column::RowGroup),
        ("groupname", Column::RowGroup),
        ("parentgroup", Column::RowGroup),
        ("groupdn", Column::RowGroup),
        ("groupdistinguishedname", Column::RowGroup),
        ("memberdn", Column::RowMember),
        ("memberdistinguishedname", Column::RowMember),
        ("memberusername", Column::RowMemberSam),
        ("membername", Column::RowMemberName),
        ("membersid", Column::RowMemberSid),
        ("accounttype", Column::RowMemberClass),
    ]
};

/// Headers of real exports that hold nothing hybridready reads (ADRecon's security columns,
/// Get-ADUser's `-Properties *` extras, Get-CsUser's policies).
const UNUSED: &[&str] = &[
    "mustchangepasswordatlogon",
    "cannotchangepassword",
    "passwordneverexpires",
    "reversiblepasswordencryption",
    "smartcardlogonrequired",
    "delegationpermitted",
    "kerberosdesonly",
    "kerberosrc4",
    "kerberosaes-128bit",
    "kerberosaes-256bit",
    "doesnotrequirepreauth",
    "neverloggedin",
    "logonage(days)",
    "passwordage(days)",
    "accountlockedout",
    "passwordexpired",
    "passwordnotrequired",
    "delegationtype",
    "delegationprotocol",
    "delegationservices",
    "logonworkstations",
    "passwordlastset",
    "pwdlastset",
    "accountexpirationdate",
    "accountexpiration(days)",
    "accountexpires",
    "homedirectory",
    "profilepath",
    "scriptpath",
    "whenchanged",
    "modified",
    "mobile",
    "middlename",
    "country",
    "info",
    "hasspn",
    "managedby",
    "depth",
    "gplink",
    "gpoptions",
    "city",
    "office",
    "officephone",
    "mobilephone",
    "streetaddress",
    "postalcode",
    "state",
    "initials",
    "employeeid",
    "employeenumber",
    "homephone",
    "fax",
    "pobox",
    "homepage",
    "lockedout",
    "badlogoncount",
    "lastbadpasswordattempt",
    "objectcategory",
    "protectedfromaccidentaldeletion",
    "serviceprincipalnames",
    "serviceprincipalname",
    "propertynames",
    "addedproperties",
    "removedproperties",
    "modifiedproperties",
    "propertycount",
    "createtimestamp",
    "modifytimestamp",
    "dscorepropagationdata",
    "instancetype",
    "usnchanged",
    "usncreated",
    "samaccounttype",
    "codepage",
    "countrycode",
    "firstname",
    "lastname",
    "identity",
    "lineserveruri",
    "originatingserver",
    "isvalid",
    "objectstate",
    "tenantid",
    "targetregistrarpool",
    "targetserverifmoving",
    "voicepolicy",
    "mobilitypolicy",
    "conferencingpolicy",
    "presencepolicy",
    "dialplan",
    "locationpolicy",
    "clientpolicy",
    "clientversionpolicy",
    "archivingpolicy",
    "pinpolicy",
    "externalaccesspolicy",
    "hostedvoicemailpolicy",
    "hostedvoicemail",
    "privateline",
    "audiovideodisabled",
    "ippbxsoftphoneroutingenabled",
    "remotecalltelephonyenabled",
    "enabledforfederation",
    "enabledforinternetaccess",
    "publicnetworkenabled",
    "enabledforrichpresence",
    "originatorsidtext",
    "erroflags",
    "errorflags",
    "csvidentity",
    "proxysip",
    "sourcedomain",
    "targetdomain",
    "trustdirection",
    "trusttype",
    "attributes",
    "category",
    "value",
    "functionallevel",
    "netbios",
    "domainsid",
    "gpo",
    "linkorder",
    "enforced",
    "linkenabled",
    "blockinheritance",
    "ms-ds-creatorsid",
    "dnshostname",
    "ipv4address",
    "operatingsystem",
    "accountlockouttime",
    "accountnotdelegated",
    "allowreversiblepasswordencryption",
    "authenticationpolicy",
    "authenticationpolicysilo",
    "compoundidentitysupported",
    "deleted",
    "division",
    "homedirrequired",
    "homedrive",
    "isdeleted",
    "kerberosencryptiontype",
    "lastknownparent",
    "mnslogonaccount",
    "msds-user-account-control-computed",
    "ntsecuritydescriptor",
    "organization",
    "othername",
    "principalsallowedtodelegatetoaccount",
    "sdrightseffective",
    "trustedfordelegation",
    "trustedtoauthfordelegation",
    "usedeskeyonly",
    "telephonenumber",
    "l",
    "st",
    "c",
    "co",
    "physicaldeliveryofficename",
    "wwwhomepage",
    "badpwdcount",
    "badpasswordtime",
    "logoncount",
    "lastlogoff",
    "objectcategory",
    "showinadvancedviewonly",
];

/// Headers matched by prefix: ADRecon writes its thresholds into them (`Dormant (> 90 days)`).
const UNUSED_PREFIXES: &[&str] = &["dormant(>", "passwordage(>"];

/// The alias table plus the user's overrides.
#[derive(Clone, Debug, Default)]
pub struct ColumnMap {
    overrides: HashMap<String, Column>,
}

/// `--columns FILE.toml` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ColumnMapError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Toml { path: String, message: String },
    #[error(
        "{path}: header \"{header}\" is mapped to \"{target}\", which is not an attribute hybridready knows"
    )]
    UnknownTarget {
        path: String,
        header: String,
        target: String,
    },
}

impl ColumnMap {
    /// What a header holds, if anything known.
    pub fn lookup(&self, header: &str) -> Option<Column> {
        let n = normalize_header(header);
        if let Some(c) = self.overrides.get(&n) {
            return Some(*c);
        }
        if let Some((_, c)) = ALIASES.iter().find(|(a, _)| *a == n) {
            return Some(*c);
        }
        if let Some(i) = n
            .strip_prefix("extensionattribute")
            .or_else(|| n.strip_prefix("customattribute"))
            .and_then(|d| d.parse::<usize>().ok())
            .and_then(Attr::extension_attribute)
        {
            return Some(Column::Attr(i));
        }
        if UNUSED.contains(&n.as_str()) || UNUSED_PREFIXES.iter().any(|p| n.starts_with(p)) {
            return Some(Column::Unused);
        }
        if let Some(a) = Attr::from_ldap_name(&n) {
            return Some(Column::Attr(a));
        }
        None
    }

    /// Reads overrides: a `[columns]` table of `"Header as written" = "attribute"`.
    pub fn load(path: &Path) -> Result<ColumnMap, ColumnMapError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ColumnMapError::Io {
            path: p.clone(),
            source,
        })?;
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            columns: HashMap<String, String>,
        }
        let file: File = toml::from_str(&text).map_err(|e| ColumnMapError::Toml {
            path: p.clone(),
            message: e.to_string().trim().replace('\n', " "),
        })?;
        let mut overrides = HashMap::new();
        for (header, target) in file.columns {
            let t = normalize_header(&target);
            let col = match t.as_str() {
                "ignore" | "unused" => Column::Unused,
                "group" | "groupoftherow" => Column::RowGroup,
                "memberoftherow" => Column::RowMember,
                _ => ALIASES
                    .iter()
                    .find(|(a, _)| *a == t)
                    .map(|(_, c)| *c)
                    .or_else(|| {
                        Attr::from_ldap_name(&target.trim().replace(' ', "")).map(Column::Attr)
                    })
                    .ok_or_else(|| ColumnMapError::UnknownTarget {
                        path: p.clone(),
                        header: header.clone(),
                        target: target.clone(),
                    })?,
            };
            overrides.insert(normalize_header(&header), col);
        }
        Ok(ColumnMap { overrides })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_match_case_and_space_insensitively() {
        let m = ColumnMap::default();
        assert_eq!(
            m.lookup("SamAccountName"),
            Some(Column::Attr(Attr::SamAccountName))
        );
        assert_eq!(
            m.lookup("sAMAccountName"),
            Some(Column::Attr(Attr::SamAccountName))
        );
        assert_eq!(
            m.lookup("Primary GroupID"),
            Some(Column::Attr(Attr::PrimaryGroupId))
        );
        assert_eq!(m.lookup("Distinguished Name"), Some(Column::Dn));
        assert_eq!(
            m.lookup("msRTCSIP-PrimaryUserAddress"),
            Some(Column::Attr(Attr::SipAddress))
        );
        assert_eq!(
            m.lookup("extensionAttribute15"),
            Some(Column::Attr(Attr::ExtensionAttribute15))
        );
        assert_eq!(m.lookup("Dormant (> 120 days)"), Some(Column::Unused));
        assert_eq!(m.lookup("\u{feff}Name"), Some(Column::Attr(Attr::Cn)));
        assert_eq!(m.lookup("Shoe Size"), None);
    }

    #[test]
    fn overrides_load_from_toml() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("cols.toml");
        std::fs::write(
            &p,
            "[columns]\n\"Courriel pro\" = \"mail\"\n\"Groupe\" = \"group\"\n",
        )
        .unwrap();
        let m = ColumnMap::load(&p).unwrap();
        assert_eq!(m.lookup("courriel PRO"), Some(Column::Attr(Attr::Mail)));
        assert_eq!(m.lookup("Groupe"), Some(Column::RowGroup));
        std::fs::write(&p, "[columns]\n\"X\" = \"shoeSize\"\n").unwrap();
        let e = ColumnMap::load(&p).unwrap_err().to_string();
        assert!(e.contains("shoeSize"), "{e}");
    }
}
