//! The PowerShell family: `Export-Csv` under Windows PowerShell 5.1 and PowerShell 7, the
//! `-Delimiter ';' -Encoding Unicode` variant, the French-Excel re-save, the Get-ADGroupMember
//! loop and the Get-CsUser export.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::columns::{C, Cell, Ctx, G, Style, U};
use super::fmt::date_us;
use super::model::{GROUP_BIT, Kind};
use rayon::prelude::*;

use super::sink::{CsvWriter, Encoding, Quoting, RowBuf};
use super::view::{ContactView, GroupView, UserView};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum TypeLine {
    None,
    /// `#TYPE Microsoft.ActiveDirectory.Management.ADUser`
    Plain,
    /// The same line after Excel made it a row of its own: padded with delimiters.
    Padded,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Flavor {
    pub enc: Encoding,
    pub quoting: Quoting,
    pub delim: char,
    pub style: Style,
    pub type_line: TypeLine,
}

pub(crate) const PS51: Flavor = Flavor {
    enc: Encoding::Ascii,
    quoting: Quoting::PowerShell,
    delim: ',',
    style: Style::Ps,
    type_line: TypeLine::Plain,
};
pub(crate) const PS7: Flavor = Flavor {
    enc: Encoding::Utf8,
    quoting: Quoting::PowerShell,
    delim: ',',
    style: Style::Ps,
    type_line: TypeLine::None,
};
pub(crate) const UTF16: Flavor = Flavor {
    enc: Encoding::Utf16Le,
    quoting: Quoting::PowerShell,
    delim: ';',
    style: Style::Ps,
    type_line: TypeLine::None,
};
pub(crate) const EXCEL_FR: Flavor = Flavor {
    enc: Encoding::Cp1252,
    quoting: Quoting::Minimal,
    delim: ';',
    style: Style::ExcelFr,
    type_line: TypeLine::Padded,
};
/// `Export-Csv -NoTypeInformation -Encoding UTF8` in the SfB Management Shell (5.1).
const CSUSER: Flavor = Flavor {
    enc: Encoding::Utf8Bom,
    quoting: Quoting::PowerShell,
    delim: ',',
    style: Style::Ps,
    type_line: TypeLine::None,
};

const CRLF: &str = "\r\n";

fn open(path: &Path, fl: &Flavor, type_name: &str, headers: &[&str]) -> Result<CsvWriter> {
    let mut w = CsvWriter::create(path, fl.enc, fl.quoting, fl.delim, CRLF)?;
    match fl.type_line {
        TypeLine::None => {}
        TypeLine::Plain => w.raw_line(&format!("#TYPE {type_name}"))?,
        TypeLine::Padded => {
            let pad: String =
                std::iter::repeat_n(fl.delim, headers.len().saturating_sub(1)).collect();
            w.raw_line(&format!("#TYPE {type_name}{pad}"))?;
        }
    }
    w.header(headers)?;
    Ok(w)
}

fn put_cell(w: &mut RowBuf, ctx: &Ctx<'_>, c: &Cell<'_>, style: Style) {
    if ctx.is_null(c, style) {
        w.null();
    } else {
        w.put(|s| ctx.render(c, style, s));
    }
}

pub(crate) fn write_users(
    ctx: &Ctx<'_>,
    path: &Path,
    fl: &Flavor,
    cols: &[U],
    progress: &dyn Fn(u64),
) -> Result<(PathBuf, u64)> {
    let headers: Vec<&str> = cols.iter().map(|c| c.header()).collect();
    let mut w = open(
        path,
        fl,
        "Microsoft.ActiveDirectory.Management.ADUser",
        &headers,
    )?;
    // Rows are rendered in parallel, a chunk per task, and appended in order: the output is
    // byte-identical whatever the number of threads.
    const CHUNK: usize = 2048;
    const BATCH: usize = CHUNK * 32;
    let n = ctx.dir.users.len();
    let mut start = 0;
    while start < n {
        let end = (start + BATCH).min(n);
        let starts: Vec<usize> = (start..end).step_by(CHUNK).collect();
        let bufs: Vec<RowBuf> = starts
            .into_par_iter()
            .map(|s| {
                let mut rb = w.fork();
                for u in s..(s + CHUNK).min(end) {
                    let v = UserView::new(ctx.dir, u);
                    for &c in cols {
                        put_cell(&mut rb, ctx, &c.cell(&v, ctx.dir, u), fl.style);
                    }
                    rb.end_row();
                }
                rb
            })
            .collect();
        for rb in bufs {
            w.append(rb)?;
        }
        progress(end as u64);
        start = end;
    }
    progress(n as u64);
    w.finish()
}

pub(crate) fn write_groups(
    ctx: &Ctx<'_>,
    path: &Path,
    fl: &Flavor,
    cols: &[G],
) -> Result<(PathBuf, u64)> {
    let headers: Vec<&str> = cols.iter().map(|c| c.header()).collect();
    let mut w = open(
        path,
        fl,
        "Microsoft.ActiveDirectory.Management.ADGroup",
        &headers,
    )?;
    for g in 0..ctx.dir.groups.len() {
        let v = GroupView::new(ctx.dir, g);
        for &c in cols {
            put_cell(&mut w, ctx, &c.cell(&v, ctx.dir, g), fl.style);
        }
        w.end_row()?;
    }
    w.finish()
}

pub(crate) fn write_contacts(
    ctx: &Ctx<'_>,
    path: &Path,
    fl: &Flavor,
    cols: &[C],
) -> Result<(PathBuf, u64)> {
    let headers: Vec<&str> = cols.iter().map(|c| c.header()).collect();
    let mut w = open(
        path,
        fl,
        "Microsoft.ActiveDirectory.Management.ADObject",
        &headers,
    )?;
    for c in 0..ctx.dir.contacts.len() {
        let v = ContactView::new(ctx.dir, c);
        for &col in cols {
            put_cell(&mut w, ctx, &col.cell(&v), fl.style);
        }
        w.end_row()?;
    }
    w.finish()
}

/// `foreach ($g in Get-ADGroup -Filter *) { Get-ADGroupMember $g | Select-Object
/// @{n='Group';e={$g.DistinguishedName}}, distinguishedName, name, … }`. Get-ADGroupMember also
/// returns the users whose primary group is the group, so Domain Users lists every user.
pub(crate) fn write_group_members(ctx: &Ctx<'_>, path: &Path) -> Result<(PathBuf, u64)> {
    let dir = ctx.dir;
    let mut w = open(
        path,
        &PS7,
        "",
        &[
            "Group",
            "distinguishedName",
            "name",
            "objectClass",
            "objectGUID",
            "SamAccountName",
            "SID",
        ],
    )?;
    let mut primary: Vec<Vec<u32>> = vec![Vec::new(); dir.groups.len()];
    for u in 0..dir.users.len() {
        let (_, g) = dir.primary_group(u);
        if let Some(list) = primary.get_mut(g as usize) {
            list.push(u as u32);
        }
    }
    let mut tmp = String::new();
    for g in 0..dir.groups.len() {
        let gdn = ctx.group_dn(g as u32);
        let direct = dir.group_members.get(g).iter().copied();
        let prim = primary
            .get(g)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
            .iter()
            .copied();
        for m in direct.chain(prim) {
            w.str(gdn);
            if m & GROUP_BIT != 0 {
                let h = (m & !GROUP_BIT) as usize;
                let grp = &dir.groups[h];
                w.str(ctx.group_dn(h as u32));
                w.str(&grp.name);
                w.str("group");
                w.put(|s| super::fmt::guid_text(dir.group_guid(h), s));
                w.str(&grp.name);
                w.put(|s| dir.sid(grp.domain, Some(grp.rid)).text(s));
            } else {
                let u = m as usize;
                let user = &dir.users[u];
                tmp.clear();
                dir.user_dn(u, &mut tmp);
                w.str(&tmp);
                tmp.clear();
                dir.cn(u, &mut tmp);
                w.str(&tmp);
                w.str("user");
                w.put(|s| super::fmt::guid_text(dir.user_guid(u), s));
                let sam = dir
                    .overrides
                    .get(&(u as u32))
                    .and_then(|o| o.sam.clone())
                    .unwrap_or_else(|| dir.base_sam(u));
                w.str(&sam);
                w.put(|s| dir.sid(user.domain, Some(user.rid)).text(s));
            }
            w.end_row()?;
        }
    }
    w.finish()
}

pub(crate) const CSUSER_HEADERS: &[&str] = &[
    "SamAccountName",
    "UserPrincipalName",
    "FirstName",
    "LastName",
    "WindowsEmailAddress",
    "Sid",
    "LineServerURI",
    "OriginatorSid",
    "AudioVideoDisabled",
    "IPPBXSoftPhoneRoutingEnabled",
    "RemoteCallControlTelephonyEnabled",
    "PrivateLine",
    "HostedVoiceMail",
    "DisplayName",
    "HomeServer",
    "TargetServerIfMoving",
    "EnabledForFederation",
    "EnabledForInternetAccess",
    "PublicNetworkEnabled",
    "EnterpriseVoiceEnabled",
    "EnabledForRichPresence",
    "LineURI",
    "SipAddress",
    "Enabled",
    "TenantId",
    "TargetRegistrarPool",
    "VoicePolicy",
    "MobilityPolicy",
    "ConferencingPolicy",
    "PresencePolicy",
    "RegistrarPool",
    "DialPlan",
    "LocationPolicy",
    "ClientPolicy",
    "ClientVersionPolicy",
    "ArchivingPolicy",
    "PinPolicy",
    "ExternalAccessPolicy",
    "HostedVoicemailPolicy",
    "HostingProvider",
    "Name",
    "DistinguishedName",
    "Identity",
    "Guid",
    "ObjectCategory",
    "WhenChanged",
    "WhenCreated",
    "OriginatingServer",
    "IsValid",
    "ObjectState",
];

/// `Get-CsUser | Export-Csv -NoTypeInformation -Encoding UTF8`: SfB-enabled users only, and
/// `Enabled` is the SfB flag, not the AD account state.
pub(crate) fn write_csusers(ctx: &Ctx<'_>, path: &Path) -> Result<(PathBuf, u64)> {
    let dir = ctx.dir;
    let mut w = open(path, &CSUSER, "", CSUSER_HEADERS)?;
    let b = |x: bool| if x { "True" } else { "False" };
    for u in 0..dir.users.len() {
        if !dir.is_sfb(u) || dir.users[u].kind != Kind::Staff {
            continue;
        }
        let v = UserView::new(dir, u);
        let Some(s) = v.sfb.as_ref() else {
            continue;
        };
        let fqdn = dir.domains[v.domain as usize % 3].spec.fqdn;
        w.str(&v.sam);
        w.opt(v.upn.as_deref());
        w.opt(v.given.as_deref());
        w.opt(v.sn);
        w.opt(v.mail.as_deref());
        w.put(|o| v.sid.text(o));
        w.null();
        w.null();
        w.str(b(false));
        w.str(b(false));
        w.str(b(false));
        w.null();
        w.null();
        w.opt(v.display.as_deref());
        w.opt(s.home_server);
        w.null();
        w.str(b(true));
        w.str(b(true));
        w.str(b(true));
        w.str(b(s.ev));
        w.str(b(true));
        w.opt(s.line.as_deref());
        w.str(&s.sip);
        w.str(b(true));
        w.null();
        w.null();
        w.opt(s.ev.then_some("EV-International"));
        w.null();
        w.null();
        w.null();
        w.opt(s.pool);
        w.opt(s.ev.then_some("Redmond"));
        w.null();
        w.null();
        w.null();
        w.null();
        w.null();
        w.opt((u % 3 == 0).then_some("Allow-Federation"));
        w.null();
        w.opt(s.locator);
        w.str(&v.cn);
        w.str(&v.dn);
        w.str(&v.dn);
        w.put(|o| super::fmt::guid_text(v.guid, o));
        w.str("CN=Person,CN=Schema,CN=Configuration,DC=contoso,DC=com");
        w.put(|o| date_us(v.changed, o));
        w.put(|o| date_us(v.created, o));
        w.put(|o| {
            o.push_str("DC01.");
            o.push_str(fqdn);
        });
        w.str(b(true));
        w.str("Unchanged");
        w.end_row()?;
    }
    w.finish()
}
