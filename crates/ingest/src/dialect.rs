//! Which tool wrote a table, decided from its headers, its `#TYPE` line and its name, and the plan
//! for reading its rows.

use super::columns::{Column, ColumnMap, normalize_header};
use hybridready_directory::{Attr, ObjectKind};
use serde::Serialize;

/// The producer of a table.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dialect {
    /// `Get-ADUser`/`Get-ADGroup`/`Get-ADObject`/`Get-ADGroupMember | Export-Csv`.
    Powershell,
    /// `csvde -f`: `DN` first, raw LDAP names, every class in one file.
    Csvde,
    /// `Get-CsUser`/`Get-CsAdUser | Export-Csv`: its `Enabled` is the Skype for Business flag.
    CsUser,
    /// One member→group edge per row.
    MembershipList,
    AdreconUsers,
    AdreconGroups,
    AdreconGroupMembers,
    AdreconOus,
    AdreconDomain,
    AdreconTrusts,
    /// A table of AD objects with no producer-specific columns (a hand-made or Excel export).
    Generic,
}

impl Dialect {
    pub fn id(self) -> &'static str {
        match self {
            Dialect::Powershell => "powershell",
            Dialect::Csvde => "csvde",
            Dialect::CsUser => "get-csuser",
            Dialect::MembershipList => "membership-list",
            Dialect::AdreconUsers => "adrecon-users",
            Dialect::AdreconGroups => "adrecon-groups",
            Dialect::AdreconGroupMembers => "adrecon-group-members",
            Dialect::AdreconOus => "adrecon-ous",
            Dialect::AdreconDomain => "adrecon-domain",
            Dialect::AdreconTrusts => "adrecon-trusts",
            Dialect::Generic => "generic",
        }
    }
    pub fn describe(self) -> &'static str {
        match self {
            Dialect::Powershell => "PowerShell Export-Csv of Get-AD* objects",
            Dialect::Csvde => "csvde export (raw LDAP attributes)",
            Dialect::CsUser => {
                "Get-CsUser / Get-CsAdUser export (Enabled = Skype for Business flag)"
            }
            Dialect::MembershipList => "membership list (one group, member pair per row)",
            Dialect::AdreconUsers => "ADRecon Users",
            Dialect::AdreconGroups => "ADRecon Groups",
            Dialect::AdreconGroupMembers => "ADRecon Group Members",
            Dialect::AdreconOus => "ADRecon OUs",
            Dialect::AdreconDomain => "ADRecon Domain (Category, Value)",
            Dialect::AdreconTrusts => "ADRecon Trusts",
            Dialect::Generic => "table of AD objects",
        }
    }
}

/// A table the tool will not read, and why.
pub use hybridready_assessment::Refusal;

/// The object kind rows take when they carry no class of their own.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum KindHint {
    Object(ObjectKind),
    Ou,
    /// Rows are computers (an `ADComputer` export): not modelled.
    Computer,
}

/// How to read the rows of one table.
#[derive(Clone, Debug)]
pub struct Plan {
    pub dialect: Dialect,
    pub headers: Vec<String>,
    /// Each target with the columns that give it, first non-empty wins.
    pub targets: Vec<(Column, Vec<usize>)>,
    pub kind_hint: Option<KindHint>,
    /// Why rows default to `kind_hint`, for the report.
    pub kind_hint_source: Option<String>,
    /// Columns nothing reads (header as written).
    pub unrecognised: Vec<String>,
    /// `(header, what it maps to)` for every recognised column.
    pub recognised: Vec<(String, String)>,
    /// The text holds NUL bytes: each row is searched for them (only then, off the hot path).
    pub nul_bytes: bool,
    /// Written by Windows PowerShell 5.1's ASCII `Export-Csv`, which writes `?` for every
    /// letter it cannot encode: a `?` in a text value stands for a lost letter.
    pub lost_letters: bool,
}

impl Plan {
    pub fn has(&self, c: Column) -> bool {
        self.targets.iter().any(|(t, _)| *t == c)
    }
    pub fn has_attr(&self, a: Attr) -> bool {
        self.has(Column::Attr(a))
    }
    pub fn column_of(&self, c: Column) -> Option<&[usize]> {
        self.targets
            .iter()
            .find(|(t, _)| *t == c)
            .map(|(_, v)| v.as_slice())
    }
}

/// A table with a group column is a membership list when it names the member too (a member
/// column, or `member`), or when its other columns are those Get-ADGroupMember gives of each
/// member (distinguishedName, name, objectClass, objectGUID, SamAccountName, SID). A user list
/// with a `Group` column beside UPNs, names and departments is one of users: taking it for
/// memberships rejected all its rows.
fn membership_shaped(headers: &[String], map: &ColumnMap) -> bool {
    const PRINCIPAL: &[&str] = &[
        "distinguishedname",
        "dn",
        "name",
        "cn",
        "objectclass",
        "objectguid",
        "samaccountname",
        "sid",
    ];
    let member = headers.iter().any(|h| {
        matches!(
            map.lookup(h),
            Some(
                Column::RowMember
                    | Column::RowMemberSam
                    | Column::RowMemberName
                    | Column::RowMemberSid
                    | Column::Members
            )
        )
    });
    member
        || headers.iter().all(|h| {
            let n = normalize_header(h);
            n.is_empty()
                || map.lookup(h) == Some(Column::RowGroup)
                || PRINCIPAL.contains(&n.as_str())
        })
}

const HASHTABLE_COLUMNS: &[&str] = &[
    "isreadonly",
    "isfixedsize",
    "issynchronized",
    "keys",
    "values",
    "syncroot",
    "count",
];

/// ADRecon files that hold nothing about users, groups, OUs, domains or trusts.
const ADRECON_IGNORED: &[&str] = &[
    "computers",
    "computer spns",
    "computerspns",
    "gpos",
    "domain gpos",
    "gplinks",
    "dnszones",
    "dns zones",
    "dnsnodes",
    "dns records",
    "printers",
    "laps",
    "bitlocker",
    "bitlockerrecoverykeys",
    "dacls",
    "sacls",
    "acls",
    "kerberoast",
    "sites",
    "subnets",
    "schemahistory",
    "defaultpasswordpolicy",
    "default password policy",
    "finegrainedpasswordpolicy",
    "fine grained password policy",
    "passwordattributes",
    "domaincontrollers",
    "domain controllers",
    "aboutadrecon",
    "about adrecon",
    "forest",
    "userspns",
    "user spns",
    "groupchanges",
    "group changes",
    "domainaccountsusedforservicelogon",
    "table of contents",
    "user stats",
    "computer stats",
    "privileged group stats",
    "computer role stats",
    "operating system stats",
];

/// Whether a file or sheet name is an ADRecon output that is deliberately not read.
pub fn adrecon_ignored(stem: &str) -> bool {
    let s = stem.to_ascii_lowercase();
    ADRECON_IGNORED.contains(&s.as_str())
}

fn type_hint_kind(t: &str) -> Option<KindHint> {
    let last = t.rsplit('.').next()?.to_ascii_lowercase();
    Some(match last.as_str() {
        "aduser" | "ocsuserorappcontact" => KindHint::Object(ObjectKind::User),
        "adgroup" => KindHint::Object(ObjectKind::Group),
        "adcomputer" | "adserviceaccount" => KindHint::Computer,
        "adorganizationalunit" => KindHint::Ou,
        _ => return None,
    })
}

fn name_hint_kind(stem: &str) -> Option<KindHint> {
    let s = stem.to_ascii_lowercase();
    // `users-by-group`, `user-groups`: the name says both, so the columns decide (a user list
    // named so was read as groups that had UPNs and given names).
    let both = s.contains("group") && (s.contains("user") || s.contains("benutzer"));
    if s.contains("contact") {
        Some(KindHint::Object(ObjectKind::Contact))
    } else if both {
        None
    } else if s.contains("group") && !s.contains("member") {
        Some(KindHint::Object(ObjectKind::Group))
    } else if s.contains("computer") {
        Some(KindHint::Computer)
    } else if s.contains("user") || s.contains("utilisateur") || s.contains("benutzer") {
        Some(KindHint::Object(ObjectKind::User))
    } else if s == "ous" || s.contains("organizationalunit") {
        Some(KindHint::Ou)
    } else {
        None
    }
}

/// Decides the dialect of a table and how to read it.
///
/// `stem` is the file name without extension (or the XLSX sheet name); `type_hint` the `#TYPE`
/// line's type.
pub fn plan(
    headers: &[String],
    type_hint: Option<&str>,
    stem: &str,
    map: &ColumnMap,
) -> Result<Plan, Refusal> {
    let norm: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    let has = |n: &str| norm.iter().any(|h| h == n);
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(Refusal::NoHeader);
    }
    let hashtable = HASHTABLE_COLUMNS.iter().filter(|c| has(c)).count();
    if hashtable >= 4 {
        return Err(Refusal::Hashtables);
    }
    let stem_l = stem.to_ascii_lowercase();
    let is_cs_type = type_hint.is_some_and(|t| t.starts_with("Microsoft.Rtc."));
    let dialect = if norm == ["category", "value"] {
        Dialect::AdreconDomain
    } else if has("sourcedomain") && has("targetdomain") {
        Dialect::AdreconTrusts
    } else if has("groupname") && has("memberusername") {
        Dialect::AdreconGroupMembers
    } else if has("username")
        && has("primarygroupid")
        && (has("neverloggedin") || has("logonage(days)"))
    {
        Dialect::AdreconUsers
    } else if has("name") && has("depth") && has("distinguishedname") && !has("samaccountname") {
        Dialect::AdreconOus
    } else if has("groupcategory") && has("canonicalname") && !has("samaccountname") && has("sid") {
        Dialect::AdreconGroups
    } else if is_cs_type
        || (has("sipaddress")
            && (has("hostingprovider") || has("registrarpool") || has("lineserveruri")))
    {
        Dialect::CsUser
    } else if norm.first().is_some_and(|h| h == "dn") {
        Dialect::Csvde
    } else if headers
        .iter()
        .any(|h| map.lookup(h) == Some(Column::RowGroup))
        && membership_shaped(headers, map)
    {
        Dialect::MembershipList
    } else if type_hint.is_some_and(|t| t.starts_with("Microsoft.ActiveDirectory."))
        || (has("distinguishedname") && has("objectclass"))
        || (has("objectguid") && has("samaccountname"))
    {
        Dialect::Powershell
    } else {
        Dialect::Generic
    };

    let mut targets: Vec<(Column, Vec<usize>)> = Vec::new();
    let mut recognised = Vec::new();
    let mut unrecognised = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let col = match (dialect, map.lookup(h)) {
            // On Get-CsUser the `Enabled` column is the Skype for Business flag.
            (Dialect::CsUser, Some(Column::Enabled)) => Some(Column::Attr(Attr::SfbEnabled)),
            // On a membership list, `member` is the row's member, not a group's member list.
            (Dialect::MembershipList, Some(Column::Members)) => Some(Column::RowMember),
            // A `Group` column on a list of users (their department, a group they were
            // picked from) is not what makes a membership list: not read.
            (d, Some(Column::RowGroup))
                if !matches!(d, Dialect::MembershipList | Dialect::AdreconGroupMembers) =>
            {
                Some(Column::Unused)
            }
            // ADRecon GroupMembers' `AccountType` and `Name`-like columns describe the member.
            (d, Some(Column::RowMemberClass)) if d != Dialect::AdreconGroupMembers => {
                Some(Column::ObjectClass)
            }
            (_, c) => c,
        };
        match col {
            Some(c) => {
                recognised.push((h.clone(), c.name().to_string()));
                if c == Column::Unused {
                    continue;
                }
                match targets.iter_mut().find(|(t, _)| *t == c) {
                    Some((_, v)) => v.push(i),
                    None => targets.push((c, vec![i])),
                }
            }
            None if h.trim().is_empty() => {}
            None => unrecognised.push(h.clone()),
        }
    }
    let mut p = Plan {
        dialect,
        headers: headers.to_vec(),
        targets,
        kind_hint: None,
        kind_hint_source: None,
        unrecognised,
        recognised,
        nul_bytes: false,
        lost_letters: false,
    };
    let identity = [
        Column::Dn,
        Column::Attr(Attr::ObjectGuid),
        Column::Attr(Attr::Sid),
        Column::Attr(Attr::SamAccountName),
        Column::Attr(Attr::UserPrincipalName),
        Column::Attr(Attr::Cn),
        // A list of people by mail address: mail tells a person as well as a UPN does.
        Column::Attr(Attr::Mail),
    ];
    match dialect {
        Dialect::AdreconDomain | Dialect::AdreconTrusts | Dialect::AdreconGroupMembers => {
            return Ok(p);
        }
        Dialect::MembershipList => {
            let member = p.has(Column::RowMember) || identity.iter().any(|c| p.has(*c));
            if !member {
                return Err(Refusal::NoMemberColumn);
            }
            return Ok(p);
        }
        _ => {}
    }
    if !identity.iter().any(|c| p.has(*c)) {
        // At most 40 characters of each: a file read in the wrong encoding or with no
        // delimiter has one "header" as long as the file.
        return Err(Refusal::NoIdentityColumn {
            found: headers
                .iter()
                .take(8)
                .map(|h| {
                    let h = h.trim();
                    match h.char_indices().nth(40) {
                        Some((at, _)) => format!("{}…", &h[..at]),
                        None => h.to_string(),
                    }
                })
                .collect(),
        });
    }
    // Rows with no class of their own: the #TYPE line, the dialect, the columns, the file name.
    let (hint, source) = if let Some(k) = type_hint.and_then(type_hint_kind) {
        (Some(k), format!("#TYPE {}", type_hint.unwrap_or_default()))
    } else {
        match dialect {
            Dialect::AdreconUsers | Dialect::CsUser => (
                Some(KindHint::Object(ObjectKind::User)),
                dialect.describe().into(),
            ),
            Dialect::AdreconGroups => (
                Some(KindHint::Object(ObjectKind::Group)),
                dialect.describe().into(),
            ),
            Dialect::AdreconOus => (Some(KindHint::Ou), dialect.describe().into()),
            _ => {
                if let Some(k) = name_hint_kind(&stem_l) {
                    (Some(k), format!("the name \"{stem}\""))
                } else if p.has_attr(Attr::GroupType)
                    || p.has_attr(Attr::GroupCategory)
                    || p.has_attr(Attr::GroupScope)
                    || p.has(Column::Members)
                {
                    (
                        Some(KindHint::Object(ObjectKind::Group)),
                        "group columns (GroupScope/GroupCategory/groupType/Members)".into(),
                    )
                } else {
                    (
                        Some(KindHint::Object(ObjectKind::User)),
                        "no class column: rows are taken as users".into(),
                    )
                }
            }
        }
    };
    p.kind_hint = hint;
    p.kind_hint_source = Some(source);
    Ok(p)
}

/// What the object class of a row says it is.
pub enum ClassVerdict {
    Kind(KindHint),
    Domain,
    /// Not modelled: `(category, reason)`.
    Skip(&'static str, String),
}

/// Reads an `objectClass` cell (`user`, or csvde's `top;person;organizationalPerson;user`).
pub fn class_verdict(class: &str) -> Option<ClassVerdict> {
    let last = class
        .rsplit([';', '|', '\n'])
        .map(str::trim)
        .find(|s| !s.is_empty())?;
    Some(match last.to_ascii_lowercase().as_str() {
        "user" | "inetorgperson" | "person" | "organizationalperson" => {
            ClassVerdict::Kind(KindHint::Object(ObjectKind::User))
        }
        "group" => ClassVerdict::Kind(KindHint::Object(ObjectKind::Group)),
        "contact" => ClassVerdict::Kind(KindHint::Object(ObjectKind::Contact)),
        "organizationalunit" => ClassVerdict::Kind(KindHint::Ou),
        "domaindns" | "domain" => ClassVerdict::Domain,
        "computer" | "msds-managedserviceaccount" | "msds-groupmanagedserviceaccount" => {
            ClassVerdict::Skip(
                "computer account (not modelled)",
                format!(
                    "{last}: computers and service accounts are not users and are not modelled"
                ),
            )
        }
        "foreignsecurityprincipal" => ClassVerdict::Skip(
            "foreign security principal (not modelled)",
            "foreignSecurityPrincipal: a principal of another forest, not modelled".into(),
        ),
        other => ClassVerdict::Skip(
            "object class not modelled",
            format!("objectClass '{other}' is not a user, group, contact, OU or domain"),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn recognises_dialects() {
        let m = ColumnMap::default();
        let p = plan(&h(&["Category", "Value"]), None, "Domain", &m).unwrap();
        assert_eq!(p.dialect, Dialect::AdreconDomain);
        let p = plan(
            &h(&[
                "Group Name",
                "Member UserName",
                "Member Name",
                "AccountType",
            ]),
            None,
            "GroupMembers",
            &m,
        )
        .unwrap();
        assert_eq!(p.dialect, Dialect::AdreconGroupMembers);
        let p = plan(
            &h(&[
                "DN",
                "objectClass",
                "distinguishedName",
                "sAMAccountName",
                "member",
            ]),
            None,
            "export",
            &m,
        )
        .unwrap();
        assert_eq!(p.dialect, Dialect::Csvde);
        assert_eq!(p.column_of(Column::Dn), Some(&[0usize, 2][..]));
        let p = plan(
            &h(&["SamAccountName", "SipAddress", "Enabled", "HostingProvider"]),
            None,
            "cs",
            &m,
        )
        .unwrap();
        assert_eq!(p.dialect, Dialect::CsUser);
        assert!(p.has_attr(Attr::SfbEnabled));
        assert!(!p.has(Column::Enabled));
        let p = plan(
            &h(&["Group", "distinguishedName", "name", "objectClass"]),
            None,
            "group-members",
            &m,
        )
        .unwrap();
        assert_eq!(p.dialect, Dialect::MembershipList);
    }

    #[test]
    fn refuses_hashtables_and_unidentifiable_tables() {
        let m = ColumnMap::default();
        let e = plan(
            &h(&[
                "IsReadOnly",
                "IsFixedSize",
                "IsSynchronized",
                "Keys",
                "Values",
                "SyncRoot",
                "Count",
            ]),
            None,
            "x",
            &m,
        )
        .unwrap_err();
        assert_eq!(e, Refusal::Hashtables);
        let e = plan(&h(&["Office", "Shoe Size"]), None, "x", &m).unwrap_err();
        assert_eq!(
            e,
            Refusal::NoIdentityColumn {
                found: vec!["Office".into(), "Shoe Size".into()]
            }
        );
    }

    #[test]
    fn kind_hints() {
        let m = ColumnMap::default();
        let p = plan(
            &h(&["Name", "SamAccountName"]),
            Some("Microsoft.ActiveDirectory.Management.ADGroup"),
            "x",
            &m,
        )
        .unwrap();
        assert_eq!(p.kind_hint, Some(KindHint::Object(ObjectKind::Group)));
        let p = plan(&h(&["Name", "SamAccountName"]), None, "contacts", &m).unwrap();
        assert_eq!(p.kind_hint, Some(KindHint::Object(ObjectKind::Contact)));
        let users = h(&["SamAccountName", "UserPrincipalName", "GivenName", "Group"]);
        let p = plan(&users, None, "user-list-with-group-column", &m).unwrap();
        assert_eq!(p.kind_hint, Some(KindHint::Object(ObjectKind::User)));
        let groups = h(&["Name", "GroupScope"]);
        let p = plan(&groups, None, "user-groups", &m).unwrap();
        assert_eq!(p.kind_hint, Some(KindHint::Object(ObjectKind::Group)));
        assert!(matches!(
            class_verdict("top;person;organizationalPerson;user"),
            Some(ClassVerdict::Kind(KindHint::Object(ObjectKind::User)))
        ));
        assert!(matches!(
            class_verdict("computer"),
            Some(ClassVerdict::Skip(..))
        ));
    }
}
