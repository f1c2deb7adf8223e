//! Typed cells and the column sets of the PowerShell-style exports (also used by the xlsx
//! workbook). A column yields a typed [`Cell`]; each dialect decides how a type is printed
//! (`True` or `VRAI`, a US date or a French one, `1,32E+17`, a real Excel boolean…).

use super::fmt::{
    Sid, date_fr_excel, date_generalized, date_us, guid_bytes, guid_text, hex_literal, sci_fr,
};
use super::model::{Directory, GROUP_BIT};
use super::view::{ContactView, GroupView, UserView, base64};

pub(crate) enum Cell<'a> {
    Null,
    Text(&'a str),
    Bool(bool),
    Int(i64),
    Date(i64),
    FileTime(u64),
    /// Multi-valued, `;`-joined.
    List(&'a [String]),
    Certs(&'a [Vec<u8>]),
    /// Group DNs by group index, `;`-joined.
    Groups(&'a [u32]),
    /// Members (users and groups, tagged) by DN, `;`-joined.
    Members(&'a [u32]),
    GroupDn(u32),
    Guid(u128),
    Sid(Sid),
}

impl Cell<'_> {
    fn opt(v: &Option<String>) -> Cell<'_> {
        v.as_deref().map_or(Cell::Null, Cell::Text)
    }
    fn ostr(v: Option<&'static str>) -> Cell<'static> {
        v.map_or(Cell::Null, Cell::Text)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Style {
    /// `Export-Csv` on an en-US host.
    Ps,
    /// A PowerShell file re-saved by French Excel.
    ExcelFr,
    /// csvde: raw LDAP syntaxes.
    Csvde,
}

/// Shared lookups for rendering: group DNs are referenced millions of times, so they are
/// rendered once.
pub(crate) struct Ctx<'a> {
    pub dir: &'a Directory,
    pub group_dns: Vec<String>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(dir: &'a Directory) -> Ctx<'a> {
        let group_dns = (0..dir.groups.len())
            .map(|g| {
                let mut s = String::new();
                dir.group_dn(g, &mut s);
                s
            })
            .collect();
        Ctx { dir, group_dns }
    }

    pub(crate) fn group_dn(&self, g: u32) -> &str {
        self.group_dns.get(g as usize).map_or("", String::as_str)
    }

    /// Whether the cell is written as a null (bare empty field).
    pub(crate) fn is_null(&self, c: &Cell<'_>, style: Style) -> bool {
        match c {
            Cell::Null => true,
            Cell::List(v) => style == Style::Csvde && v.is_empty(),
            Cell::Certs(v) => style == Style::Csvde && v.is_empty(),
            Cell::Groups(v) | Cell::Members(v) => style == Style::Csvde && v.is_empty(),
            _ => false,
        }
    }

    pub(crate) fn render(&self, c: &Cell<'_>, style: Style, out: &mut String) {
        match c {
            Cell::Null => {}
            Cell::Text(s) => out.push_str(s),
            Cell::Bool(b) => out.push_str(match (style, b) {
                (Style::Ps, true) => "True",
                (Style::Ps, false) => "False",
                (Style::ExcelFr, true) => "VRAI",
                (Style::ExcelFr, false) => "FAUX",
                (Style::Csvde, true) => "TRUE",
                (Style::Csvde, false) => "FALSE",
            }),
            Cell::Int(i) => {
                if style == Style::ExcelFr && *i >= 100_000_000_000 {
                    sci_fr(*i as u64, out);
                } else {
                    out.push_str(&i.to_string());
                }
            }
            Cell::Date(t) => match style {
                Style::Ps => date_us(*t, out),
                Style::ExcelFr => date_fr_excel(*t, out),
                Style::Csvde => date_generalized(*t, out),
            },
            Cell::FileTime(v) => {
                if style == Style::ExcelFr {
                    sci_fr(*v, out);
                } else {
                    out.push_str(&v.to_string());
                }
            }
            Cell::List(v) => join(out, v.iter(), |s, o| o.push_str(s)),
            Cell::Certs(v) => join(out, v.iter(), |b, o| {
                if style == Style::Csvde {
                    hex_literal(b, o);
                } else {
                    base64(b, o);
                }
            }),
            Cell::Groups(v) => join(out, v.iter(), |&g, o| o.push_str(self.group_dn(g))),
            Cell::Members(v) => join(out, v.iter(), |&m, o| self.member_dn(m, o)),
            Cell::GroupDn(g) => out.push_str(self.group_dn(*g)),
            Cell::Guid(g) => {
                if style == Style::Csvde {
                    hex_literal(&guid_bytes(*g), out);
                } else {
                    guid_text(*g, out);
                }
            }
            Cell::Sid(s) => {
                if style == Style::Csvde {
                    hex_literal(&s.bytes(), out);
                } else {
                    s.text(out);
                }
            }
        }
    }

    pub(crate) fn member_dn(&self, m: u32, out: &mut String) {
        if m & GROUP_BIT != 0 {
            out.push_str(self.group_dn(m & !GROUP_BIT));
        } else {
            self.dir.user_dn(m as usize, out);
        }
    }
}

fn join<T>(out: &mut String, it: impl Iterator<Item = T>, mut f: impl FnMut(T, &mut String)) {
    for (i, x) in it.enumerate() {
        if i > 0 {
            out.push(';');
        }
        f(x, out);
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum U {
    AccountExpires,
    CanonicalName,
    Certificates,
    City,
    Cn,
    Company,
    Created,
    Department,
    Description,
    DisplayName,
    DistinguishedName,
    EmailAddress,
    Enabled,
    ExtensionAttribute15,
    GivenName,
    IsCritical,
    LastLogonTimestamp,
    Mail,
    MailNickname,
    Manager,
    MemberOf,
    RecipientType,
    SipLocator,
    SipLine,
    SipOptionFlags,
    SipHomeServer,
    SipAddress,
    SipEnabled,
    Name,
    ObjectClass,
    ObjectGuid,
    ObjectSid,
    PasswordLastSet,
    PasswordNeverExpires,
    PrimaryGroup,
    PrimaryGroupId,
    ProxyAddresses,
    PwdLastSet,
    SamAccountName,
    Sid,
    Sn,
    Surname,
    TargetAddress,
    Title,
    UserAccountControl,
    UserCertificate,
    UserPrincipalName,
    WhenChanged,
    WhenCreated,
}

impl U {
    pub(crate) fn header(self) -> &'static str {
        match self {
            U::AccountExpires => "accountExpires",
            U::CanonicalName => "CanonicalName",
            U::Certificates => "Certificates",
            U::City => "City",
            U::Cn => "CN",
            U::Company => "Company",
            U::Created => "Created",
            U::Department => "Department",
            U::Description => "Description",
            U::DisplayName => "DisplayName",
            U::DistinguishedName => "DistinguishedName",
            U::EmailAddress => "EmailAddress",
            U::Enabled => "Enabled",
            U::ExtensionAttribute15 => "extensionAttribute15",
            U::GivenName => "GivenName",
            U::IsCritical => "isCriticalSystemObject",
            U::LastLogonTimestamp => "lastLogonTimestamp",
            U::Mail => "mail",
            U::MailNickname => "mailNickname",
            U::Manager => "Manager",
            U::MemberOf => "MemberOf",
            U::RecipientType => "msExchRecipientTypeDetails",
            U::SipLocator => "msRTCSIP-DeploymentLocator",
            U::SipLine => "msRTCSIP-Line",
            U::SipOptionFlags => "msRTCSIP-OptionFlags",
            U::SipHomeServer => "msRTCSIP-PrimaryHomeServer",
            U::SipAddress => "msRTCSIP-PrimaryUserAddress",
            U::SipEnabled => "msRTCSIP-UserEnabled",
            U::Name => "Name",
            U::ObjectClass => "ObjectClass",
            U::ObjectGuid => "ObjectGUID",
            U::ObjectSid => "objectSid",
            U::PasswordLastSet => "PasswordLastSet",
            U::PasswordNeverExpires => "PasswordNeverExpires",
            U::PrimaryGroup => "PrimaryGroup",
            U::PrimaryGroupId => "primaryGroupID",
            U::ProxyAddresses => "proxyAddresses",
            U::PwdLastSet => "pwdLastSet",
            U::SamAccountName => "SamAccountName",
            U::Sid => "SID",
            U::Sn => "sn",
            U::Surname => "Surname",
            U::TargetAddress => "targetAddress",
            U::Title => "Title",
            U::UserAccountControl => "userAccountControl",
            U::UserCertificate => "userCertificate",
            U::UserPrincipalName => "UserPrincipalName",
            U::WhenChanged => "whenChanged",
            U::WhenCreated => "whenCreated",
        }
    }

    pub(crate) fn is_sfb(self) -> bool {
        matches!(
            self,
            U::SipLocator
                | U::SipLine
                | U::SipOptionFlags
                | U::SipHomeServer
                | U::SipAddress
                | U::SipEnabled
        )
    }

    pub(crate) fn cell<'a>(self, v: &'a UserView, dir: &'a Directory, u: usize) -> Cell<'a> {
        let sfb = v.sfb.as_ref();
        match self {
            U::AccountExpires => Cell::FileTime(v.account_expires),
            U::CanonicalName => Cell::Text(&v.canonical),
            U::Certificates | U::UserCertificate => Cell::Certs(&v.certs),
            U::City => Cell::ostr(v.city),
            U::Cn | U::Name => Cell::Text(&v.cn),
            U::Company => Cell::ostr(v.company),
            U::Created | U::WhenCreated => Cell::Date(v.created),
            U::Department => Cell::ostr(v.department),
            U::Description => Cell::opt(&v.description),
            U::DisplayName => Cell::opt(&v.display),
            U::DistinguishedName => Cell::Text(&v.dn),
            U::EmailAddress | U::Mail => Cell::opt(&v.mail),
            U::Enabled => Cell::Bool(v.enabled),
            U::ExtensionAttribute15 => Cell::ostr(v.ext15),
            U::GivenName => Cell::opt(&v.given),
            U::IsCritical => v.critical.map_or(Cell::Null, Cell::Bool),
            U::LastLogonTimestamp => v.logon_ft.map_or(Cell::Null, Cell::FileTime),
            U::MailNickname => Cell::opt(&v.nickname),
            U::Manager => Cell::opt(&v.manager),
            U::MemberOf => Cell::Groups(dir.user_groups.get(u)),
            U::RecipientType => v.recipient_type.map_or(Cell::Null, |x| Cell::Int(x as i64)),
            U::SipLocator => sfb.and_then(|s| s.locator).map_or(Cell::Null, Cell::Text),
            U::SipLine => sfb
                .and_then(|s| s.line.as_deref())
                .map_or(Cell::Null, Cell::Text),
            U::SipOptionFlags => sfb.map_or(Cell::Null, |s| Cell::Int(i64::from(s.option_flags))),
            U::SipHomeServer => sfb
                .and_then(|s| s.home_server)
                .map_or(Cell::Null, Cell::Text),
            U::SipAddress => sfb.map_or(Cell::Null, |s| Cell::Text(&s.sip)),
            U::SipEnabled => sfb.map_or(Cell::Null, |_| Cell::Bool(true)),
            U::ObjectClass => Cell::Text("user"),
            U::ObjectGuid => Cell::Guid(v.guid),
            U::ObjectSid | U::Sid => Cell::Sid(v.sid),
            U::PasswordLastSet => Cell::Date(v.pwd_last_set),
            U::PasswordNeverExpires => Cell::Bool(v.pwd_never),
            U::PrimaryGroup => Cell::GroupDn(v.primary_group),
            U::PrimaryGroupId => Cell::Int(i64::from(v.primary_gid)),
            U::ProxyAddresses => Cell::List(&v.proxies),
            U::PwdLastSet => Cell::FileTime(v.pwd_ft),
            U::SamAccountName => Cell::Text(&v.sam),
            U::Sn | U::Surname => Cell::ostr(v.sn),
            U::TargetAddress => Cell::opt(&v.target),
            U::Title => Cell::ostr(v.title),
            U::UserAccountControl => Cell::Int(i64::from(v.uac)),
            U::UserPrincipalName => Cell::opt(&v.upn),
            U::WhenChanged => Cell::Date(v.changed),
        }
    }
}

/// `Get-ADUser -Properties *`-style selection, alphabetical (OrdinalIgnoreCase) with friendly
/// and raw names side by side.
pub(crate) const PS51_USER: &[U] = &[
    U::AccountExpires,
    U::CanonicalName,
    U::Certificates,
    U::City,
    U::Cn,
    U::Company,
    U::Created,
    U::Department,
    U::Description,
    U::DisplayName,
    U::DistinguishedName,
    U::EmailAddress,
    U::Enabled,
    U::ExtensionAttribute15,
    U::GivenName,
    U::IsCritical,
    U::LastLogonTimestamp,
    U::Mail,
    U::MailNickname,
    U::Manager,
    U::MemberOf,
    U::RecipientType,
    U::SipLocator,
    U::SipLine,
    U::SipOptionFlags,
    U::SipHomeServer,
    U::SipAddress,
    U::SipEnabled,
    U::Name,
    U::ObjectClass,
    U::ObjectGuid,
    U::ObjectSid,
    U::PasswordLastSet,
    U::PasswordNeverExpires,
    U::PrimaryGroup,
    U::PrimaryGroupId,
    U::ProxyAddresses,
    U::PwdLastSet,
    U::SamAccountName,
    U::Sid,
    U::Sn,
    U::Surname,
    U::TargetAddress,
    U::Title,
    U::UserAccountControl,
    U::UserPrincipalName,
    U::WhenChanged,
    U::WhenCreated,
];

/// A lean explicit `Select-Object` list, as a consultant exporting a large directory writes
/// it: identity, the attributes the assessment checks, membership, SfB state. Name, Title,
/// Company, whenCreated and msRTCSIP-PrimaryHomeServer are left out to keep a million users
/// near 850 bytes each.
pub(crate) const PS7_USER: &[U] = &[
    U::DistinguishedName,
    U::Enabled,
    U::GivenName,
    U::Surname,
    U::ObjectGuid,
    U::SamAccountName,
    U::Sid,
    U::UserPrincipalName,
    U::DisplayName,
    U::Mail,
    U::MailNickname,
    U::ProxyAddresses,
    U::TargetAddress,
    U::Department,
    U::Manager,
    U::MemberOf,
    U::PrimaryGroupId,
    U::UserAccountControl,
    U::ExtensionAttribute15,
    U::IsCritical,
    U::RecipientType,
    U::UserCertificate,
    U::SipEnabled,
    U::SipAddress,
    U::SipLocator,
    U::SipOptionFlags,
    U::SipLine,
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum G {
    CanonicalName,
    Cn,
    Created,
    Description,
    DistinguishedName,
    GroupCategory,
    GroupScope,
    GroupType,
    IsCritical,
    Mail,
    MailNickname,
    ManagedBy,
    MemberOf,
    Members,
    Name,
    ObjectClass,
    ObjectGuid,
    ObjectSid,
    ProxyAddresses,
    SamAccountName,
    Sid,
    WhenChanged,
    WhenCreated,
}

impl G {
    pub(crate) fn header(self) -> &'static str {
        match self {
            G::CanonicalName => "CanonicalName",
            G::Cn => "CN",
            G::Created => "Created",
            G::Description => "Description",
            G::DistinguishedName => "DistinguishedName",
            G::GroupCategory => "GroupCategory",
            G::GroupScope => "GroupScope",
            G::GroupType => "groupType",
            G::IsCritical => "isCriticalSystemObject",
            G::Mail => "mail",
            G::MailNickname => "mailNickname",
            G::ManagedBy => "ManagedBy",
            G::MemberOf => "MemberOf",
            G::Members => "Members",
            G::Name => "Name",
            G::ObjectClass => "ObjectClass",
            G::ObjectGuid => "ObjectGUID",
            G::ObjectSid => "objectSid",
            G::ProxyAddresses => "proxyAddresses",
            G::SamAccountName => "SamAccountName",
            G::Sid => "SID",
            G::WhenChanged => "whenChanged",
            G::WhenCreated => "whenCreated",
        }
    }

    pub(crate) fn cell<'a>(self, v: &'a GroupView, dir: &'a Directory, g: usize) -> Cell<'a> {
        match self {
            G::CanonicalName => Cell::Text(&v.canonical),
            G::Cn | G::Name | G::SamAccountName => Cell::Text(&v.name),
            G::Created | G::WhenCreated => Cell::Date(v.created),
            G::Description => Cell::ostr(v.description),
            G::DistinguishedName => Cell::Text(&v.dn),
            G::GroupCategory => Cell::Text(v.category),
            G::GroupScope => Cell::Text(v.scope),
            G::GroupType => Cell::Int(v.group_type),
            G::IsCritical => v.critical.map_or(Cell::Null, Cell::Bool),
            G::Mail => Cell::opt(&v.mail),
            G::MailNickname => Cell::opt(&v.nickname),
            G::ManagedBy => Cell::opt(&v.managed_by),
            G::MemberOf => Cell::Groups(dir.group_parents.get(g)),
            G::Members => Cell::Members(dir.group_members.get(g)),
            G::ObjectClass => Cell::Text("group"),
            G::ObjectGuid => Cell::Guid(v.guid),
            G::ObjectSid | G::Sid => Cell::Sid(v.sid),
            G::ProxyAddresses => Cell::List(&v.proxies),
            G::WhenChanged => Cell::Date(v.changed),
        }
    }
}

pub(crate) const PS51_GROUP: &[G] = &[
    G::CanonicalName,
    G::Cn,
    G::Created,
    G::Description,
    G::DistinguishedName,
    G::GroupCategory,
    G::GroupScope,
    G::GroupType,
    G::IsCritical,
    G::Mail,
    G::MailNickname,
    G::ManagedBy,
    G::MemberOf,
    G::Members,
    G::Name,
    G::ObjectClass,
    G::ObjectGuid,
    G::ObjectSid,
    G::ProxyAddresses,
    G::SamAccountName,
    G::Sid,
    G::WhenChanged,
    G::WhenCreated,
];

pub(crate) const PS7_GROUP: &[G] = &[
    G::DistinguishedName,
    G::GroupCategory,
    G::GroupScope,
    G::Name,
    G::ObjectClass,
    G::ObjectGuid,
    G::SamAccountName,
    G::Sid,
    G::GroupType,
    G::Mail,
    G::MailNickname,
    G::ProxyAddresses,
    G::IsCritical,
    G::WhenCreated,
    G::MemberOf,
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum C {
    CanonicalName,
    Cn,
    Company,
    Created,
    DisplayName,
    DistinguishedName,
    GivenName,
    Mail,
    MailNickname,
    Name,
    ObjectClass,
    ObjectGuid,
    ProxyAddresses,
    Sn,
    TargetAddress,
    WhenChanged,
    WhenCreated,
}

impl C {
    pub(crate) fn header(self) -> &'static str {
        match self {
            C::CanonicalName => "CanonicalName",
            C::Cn => "CN",
            C::Company => "company",
            C::Created => "Created",
            C::DisplayName => "displayName",
            C::DistinguishedName => "DistinguishedName",
            C::GivenName => "givenName",
            C::Mail => "mail",
            C::MailNickname => "mailNickname",
            C::Name => "Name",
            C::ObjectClass => "ObjectClass",
            C::ObjectGuid => "ObjectGUID",
            C::ProxyAddresses => "proxyAddresses",
            C::Sn => "sn",
            C::TargetAddress => "targetAddress",
            C::WhenChanged => "whenChanged",
            C::WhenCreated => "whenCreated",
        }
    }

    pub(crate) fn cell(self, v: &ContactView) -> Cell<'_> {
        match self {
            C::CanonicalName => Cell::Text(&v.canonical),
            C::Cn | C::Name => Cell::Text(&v.cn),
            C::Company => Cell::Text(v.company),
            C::Created | C::WhenCreated => Cell::Date(v.created),
            C::DisplayName => Cell::Text(&v.display),
            C::DistinguishedName => Cell::Text(&v.dn),
            C::GivenName => Cell::Text(v.given),
            C::Mail => Cell::opt(&v.mail),
            C::MailNickname => Cell::opt(&v.nickname),
            C::ObjectClass => Cell::Text("contact"),
            C::ObjectGuid => Cell::Guid(v.guid),
            C::ProxyAddresses => Cell::List(&v.proxies),
            C::Sn => Cell::Text(v.sn),
            C::TargetAddress => Cell::opt(&v.target),
            C::WhenChanged => Cell::Date(v.changed),
        }
    }
}

pub(crate) const PS51_CONTACT: &[C] = &[
    C::CanonicalName,
    C::Cn,
    C::Company,
    C::Created,
    C::DisplayName,
    C::DistinguishedName,
    C::GivenName,
    C::Mail,
    C::MailNickname,
    C::Name,
    C::ObjectClass,
    C::ObjectGuid,
    C::ProxyAddresses,
    C::Sn,
    C::TargetAddress,
    C::WhenChanged,
    C::WhenCreated,
];

pub(crate) const PS7_CONTACT: &[C] = &[
    C::DistinguishedName,
    C::Name,
    C::ObjectClass,
    C::ObjectGuid,
    C::DisplayName,
    C::GivenName,
    C::Sn,
    C::Mail,
    C::MailNickname,
    C::ProxyAddresses,
    C::TargetAddress,
    C::Company,
    C::WhenCreated,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(h: &[&str]) {
        for w in h.windows(2) {
            assert!(
                w[0].to_uppercase() < w[1].to_uppercase(),
                "{} should sort before {}",
                w[0],
                w[1]
            );
        }
    }

    #[test]
    fn ps51_columns_sorted_like_powershell() {
        sorted(&PS51_USER.iter().map(|c| c.header()).collect::<Vec<_>>());
        sorted(&PS51_GROUP.iter().map(|c| c.header()).collect::<Vec<_>>());
        sorted(&PS51_CONTACT.iter().map(|c| c.header()).collect::<Vec<_>>());
    }
}
