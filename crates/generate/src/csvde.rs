//! `csvde -f export.csv` without `-u`: one sparse file for every class, raw LDAP names,
//! binary values as `X'hex'`, multi-valued attributes `;`-joined, Windows-1252, a field quoted
//! only when it holds a comma (or a quote or line break).

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::columns::{Cell, Ctx, Style};
use super::model::OuKind;
use super::sink::{CsvWriter, Encoding, Quoting};
use super::view::{ContactView, GroupView, UserView};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum D {
    Dn,
    ObjectClass,
    Ou,
    Cn,
    Dc,
    DistinguishedName,
    InstanceType,
    WhenCreated,
    WhenChanged,
    DisplayName,
    GivenName,
    Sn,
    Description,
    Title,
    Department,
    Company,
    L,
    Manager,
    Name,
    ObjectGuid,
    ObjectSid,
    UserAccountControl,
    PrimaryGroupId,
    AccountExpires,
    PwdLastSet,
    LastLogonTimestamp,
    SamAccountName,
    UserPrincipalName,
    Mail,
    MailNickname,
    ProxyAddresses,
    TargetAddress,
    GroupType,
    Member,
    MemberOf,
    ManagedBy,
    IsCritical,
    ObjectCategory,
    ExtensionAttribute15,
    RecipientType,
    UserCertificate,
    SipEnabled,
    SipAddress,
    SipLocator,
    SipHomeServer,
    SipOptionFlags,
    SipLine,
}

/// Columns in the order csvde meets attributes while walking the tree: the domain object's
/// first, then those of OUs, users, groups and contacts as they first appear.
const COLUMNS: &[(D, &str)] = &[
    (D::Dn, "DN"),
    (D::ObjectClass, "objectClass"),
    (D::Ou, "ou"),
    (D::Cn, "cn"),
    (D::Dc, "dc"),
    (D::Sn, "sn"),
    (D::Description, "description"),
    (D::L, "l"),
    (D::Title, "title"),
    (D::GivenName, "givenName"),
    (D::DistinguishedName, "distinguishedName"),
    (D::InstanceType, "instanceType"),
    (D::WhenCreated, "whenCreated"),
    (D::WhenChanged, "whenChanged"),
    (D::DisplayName, "displayName"),
    (D::MemberOf, "memberOf"),
    (D::Department, "department"),
    (D::Company, "company"),
    (D::ProxyAddresses, "proxyAddresses"),
    (D::Name, "name"),
    (D::ObjectGuid, "objectGUID"),
    (D::UserAccountControl, "userAccountControl"),
    (D::PwdLastSet, "pwdLastSet"),
    (D::PrimaryGroupId, "primaryGroupID"),
    (D::ObjectSid, "objectSid"),
    (D::AccountExpires, "accountExpires"),
    (D::SamAccountName, "sAMAccountName"),
    (D::UserPrincipalName, "userPrincipalName"),
    (D::ObjectCategory, "objectCategory"),
    (D::IsCritical, "isCriticalSystemObject"),
    (D::LastLogonTimestamp, "lastLogonTimestamp"),
    (D::Manager, "manager"),
    (D::Mail, "mail"),
    (D::MailNickname, "mailNickname"),
    (D::TargetAddress, "targetAddress"),
    (D::ExtensionAttribute15, "extensionAttribute15"),
    (D::RecipientType, "msExchRecipientTypeDetails"),
    (D::UserCertificate, "userCertificate"),
    (D::SipEnabled, "msRTCSIP-UserEnabled"),
    (D::SipAddress, "msRTCSIP-PrimaryUserAddress"),
    (D::SipLocator, "msRTCSIP-DeploymentLocator"),
    (D::SipHomeServer, "msRTCSIP-PrimaryHomeServer"),
    (D::SipOptionFlags, "msRTCSIP-OptionFlags"),
    (D::SipLine, "msRTCSIP-Line"),
    (D::GroupType, "groupType"),
    (D::Member, "member"),
    (D::ManagedBy, "managedBy"),
];

const SCHEMA: &str = ",CN=Schema,CN=Configuration,DC=contoso,DC=com";

fn category(class: &str, out: &mut String) {
    out.push_str("CN=");
    out.push_str(class);
    out.push_str(SCHEMA);
}

struct Row<'a> {
    cells: Vec<Cell<'a>>,
}

fn text(s: &str) -> Cell<'_> {
    Cell::Text(s)
}

pub(crate) fn write(ctx: &Ctx<'_>, path: &Path, progress: &dyn Fn(u64)) -> Result<(PathBuf, u64)> {
    let dir = ctx.dir;
    let mut w = CsvWriter::create(path, Encoding::Cp1252, Quoting::Minimal, ',', "\r\n")?;
    let headers: Vec<&str> = COLUMNS.iter().map(|c| c.1).collect();
    // csvde writes its header unquoted; none of the names needs quoting.
    w.header(&headers)?;
    let mut users_done = 0u64;
    for d in 0..3u8 {
        let dom = &dir.domains[d as usize];
        // Domain object.
        {
            let label = dom
                .spec
                .dn
                .split(',')
                .next()
                .unwrap_or("DC=x")
                .trim_start_matches("DC=");
            let sid = dir.sid(d, None);
            let mut cat = String::new();
            category("Domain-DNS", &mut cat);
            let row = Row {
                cells: COLUMNS
                    .iter()
                    .map(|(c, _)| match c {
                        D::Dn | D::DistinguishedName => text(dom.spec.dn),
                        D::ObjectClass => text("top;domain;domainDNS"),
                        D::Dc | D::Name => text(label),
                        D::InstanceType => Cell::Int(5),
                        D::WhenCreated | D::WhenChanged => Cell::Date(dom.created),
                        D::ObjectGuid => Cell::Guid(dom.guid),
                        D::ObjectSid => Cell::Sid(sid),
                        D::ObjectCategory => text(&cat),
                        _ => Cell::Null,
                    })
                    .collect(),
            };
            emit(&mut w, ctx, &row)?;
        }
        for (o, ou) in dir.ous.iter().enumerate() {
            if ou.domain != d {
                continue;
            }
            let mut dn = String::new();
            dir.ou_dn(o, &mut dn);
            let mut cat = String::new();
            category("Organizational-Unit", &mut cat);
            let name = ou.kind.name();
            let row = Row {
                cells: COLUMNS
                    .iter()
                    .map(|(c, _)| match c {
                        D::Dn | D::DistinguishedName => text(&dn),
                        D::ObjectClass => text("top;organizationalUnit"),
                        D::Ou | D::Name => text(name),
                        D::InstanceType => Cell::Int(4),
                        D::WhenCreated | D::WhenChanged => Cell::Date(ou.created),
                        D::ObjectGuid => Cell::Guid(dir.ou_guid(o)),
                        D::ObjectCategory => text(&cat),
                        D::Description if ou.kind == OuKind::Contractors => {
                            text("External staff, not licensed for Microsoft 365")
                        }
                        _ => Cell::Null,
                    })
                    .collect(),
            };
            emit(&mut w, ctx, &row)?;
        }
        let mut ucat = String::new();
        category("Person", &mut ucat);
        for u in 0..dir.users.len() {
            if dir.users[u].domain != d {
                continue;
            }
            let v = UserView::new(dir, u);
            let sfb = v.sfb.as_ref();
            let row = Row {
                cells: COLUMNS
                    .iter()
                    .map(|(c, _)| match c {
                        D::Dn | D::DistinguishedName => text(&v.dn),
                        D::ObjectClass => text("top;person;organizationalPerson;user"),
                        D::Cn | D::Name => text(&v.cn),
                        D::Sn => v.sn.map_or(Cell::Null, Cell::Text),
                        D::Description => v.description.as_deref().map_or(Cell::Null, Cell::Text),
                        D::L => v.city.map_or(Cell::Null, Cell::Text),
                        D::Title => v.title.map_or(Cell::Null, Cell::Text),
                        D::GivenName => v.given.as_deref().map_or(Cell::Null, Cell::Text),
                        D::InstanceType => Cell::Int(4),
                        D::WhenCreated => Cell::Date(v.created),
                        D::WhenChanged => Cell::Date(v.changed),
                        D::DisplayName => v.display.as_deref().map_or(Cell::Null, Cell::Text),
                        D::MemberOf => Cell::Groups(dir.user_groups.get(u)),
                        D::Department => v.department.map_or(Cell::Null, Cell::Text),
                        D::Company => v.company.map_or(Cell::Null, Cell::Text),
                        D::ProxyAddresses => Cell::List(&v.proxies),
                        D::ObjectGuid => Cell::Guid(v.guid),
                        D::UserAccountControl => Cell::Int(i64::from(v.uac)),
                        D::PwdLastSet => Cell::FileTime(v.pwd_ft),
                        D::PrimaryGroupId => Cell::Int(i64::from(v.primary_gid)),
                        D::ObjectSid => Cell::Sid(v.sid),
                        D::AccountExpires => Cell::FileTime(v.account_expires),
                        D::SamAccountName => text(&v.sam),
                        D::UserPrincipalName => v.upn.as_deref().map_or(Cell::Null, Cell::Text),
                        D::ObjectCategory => text(&ucat),
                        D::IsCritical => v.critical.map_or(Cell::Null, Cell::Bool),
                        D::LastLogonTimestamp => v.logon_ft.map_or(Cell::Null, Cell::FileTime),
                        D::Manager => v.manager.as_deref().map_or(Cell::Null, Cell::Text),
                        D::Mail => v.mail.as_deref().map_or(Cell::Null, Cell::Text),
                        D::MailNickname => v.nickname.as_deref().map_or(Cell::Null, Cell::Text),
                        D::TargetAddress => v.target.as_deref().map_or(Cell::Null, Cell::Text),
                        D::ExtensionAttribute15 => v.ext15.map_or(Cell::Null, Cell::Text),
                        D::RecipientType => {
                            v.recipient_type.map_or(Cell::Null, |x| Cell::Int(x as i64))
                        }
                        D::UserCertificate => Cell::Certs(&v.certs),
                        D::SipEnabled => sfb.map_or(Cell::Null, |_| Cell::Bool(true)),
                        D::SipAddress => sfb.map_or(Cell::Null, |s| Cell::Text(&s.sip)),
                        D::SipLocator => sfb.and_then(|s| s.locator).map_or(Cell::Null, Cell::Text),
                        D::SipHomeServer => sfb
                            .and_then(|s| s.home_server)
                            .map_or(Cell::Null, Cell::Text),
                        D::SipOptionFlags => {
                            sfb.map_or(Cell::Null, |s| Cell::Int(i64::from(s.option_flags)))
                        }
                        D::SipLine => sfb
                            .and_then(|s| s.line.as_deref())
                            .map_or(Cell::Null, Cell::Text),
                        _ => Cell::Null,
                    })
                    .collect(),
            };
            emit(&mut w, ctx, &row)?;
            users_done += 1;
            if users_done.is_multiple_of(4096) {
                progress(users_done);
            }
        }
        let mut gcat = String::new();
        category("Group", &mut gcat);
        for g in 0..dir.groups.len() {
            if dir.groups[g].domain != d {
                continue;
            }
            let v = GroupView::new(dir, g);
            let row = Row {
                cells: COLUMNS
                    .iter()
                    .map(|(c, _)| match c {
                        D::Dn | D::DistinguishedName => text(&v.dn),
                        D::ObjectClass => text("top;group"),
                        D::Cn | D::Name | D::SamAccountName => text(&v.name),
                        D::Description => v.description.map_or(Cell::Null, Cell::Text),
                        D::InstanceType => Cell::Int(4),
                        D::WhenCreated => Cell::Date(v.created),
                        D::WhenChanged => Cell::Date(v.changed),
                        D::MemberOf => Cell::Groups(dir.group_parents.get(g)),
                        D::ProxyAddresses => Cell::List(&v.proxies),
                        D::ObjectGuid => Cell::Guid(v.guid),
                        D::ObjectSid => Cell::Sid(v.sid),
                        D::ObjectCategory => text(&gcat),
                        D::IsCritical => v.critical.map_or(Cell::Null, Cell::Bool),
                        D::Mail => v.mail.as_deref().map_or(Cell::Null, Cell::Text),
                        D::MailNickname => v.nickname.as_deref().map_or(Cell::Null, Cell::Text),
                        D::GroupType => Cell::Int(v.group_type),
                        D::Member => Cell::Members(dir.group_members.get(g)),
                        D::ManagedBy => v.managed_by.as_deref().map_or(Cell::Null, Cell::Text),
                        _ => Cell::Null,
                    })
                    .collect(),
            };
            emit(&mut w, ctx, &row)?;
        }
        if d == 0 {
            for c in 0..dir.contacts.len() {
                let v = ContactView::new(dir, c);
                let row = Row {
                    cells: COLUMNS
                        .iter()
                        .map(|(col, _)| match col {
                            D::Dn | D::DistinguishedName => text(&v.dn),
                            D::ObjectClass => text("top;person;organizationalPerson;contact"),
                            D::Cn | D::Name => text(&v.cn),
                            D::Sn => text(v.sn),
                            D::GivenName => text(v.given),
                            D::InstanceType => Cell::Int(4),
                            D::WhenCreated => Cell::Date(v.created),
                            D::WhenChanged => Cell::Date(v.changed),
                            D::DisplayName => text(&v.display),
                            D::Company => text(v.company),
                            D::ProxyAddresses => Cell::List(&v.proxies),
                            D::ObjectGuid => Cell::Guid(v.guid),
                            D::ObjectCategory => text(&ucat),
                            D::Mail => v.mail.as_deref().map_or(Cell::Null, Cell::Text),
                            D::MailNickname => v.nickname.as_deref().map_or(Cell::Null, Cell::Text),
                            D::TargetAddress => v.target.as_deref().map_or(Cell::Null, Cell::Text),
                            _ => Cell::Null,
                        })
                        .collect(),
                };
                emit(&mut w, ctx, &row)?;
            }
        }
    }
    progress(users_done);
    w.finish()
}

fn emit(w: &mut CsvWriter, ctx: &Ctx<'_>, row: &Row<'_>) -> Result<()> {
    for c in &row.cells {
        if ctx.is_null(c, Style::Csvde) {
            w.null();
        } else {
            w.put(|s| ctx.render(c, Style::Csvde, s));
        }
    }
    w.end_row()
}
