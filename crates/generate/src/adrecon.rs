//! ADRecon's CSV report, one folder per domain, with the headers, quoting, en-AU dates and
//! LF line endings of the 2018 sample (`Export-Csv -NoTypeInformation -Encoding Default`, so
//! Windows-1252). ADRecon has no UPN column and no SfB attributes; that loss is real.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::fmt::{EXPORT_TIME, date_au};
use super::model::{DOMAINS, Directory, OuKind};
use super::sink::{CsvWriter, Encoding, Quoting};
use super::view::{GroupView, UserView};

pub(crate) const USERS_HEADER: &[&str] = &[
    "UserName",
    "Name",
    "Enabled",
    "Must Change Password at Logon",
    "Cannot Change Password",
    "Password Never Expires",
    "Reversible Password Encryption",
    "Smartcard Logon Required",
    "Delegation Permitted",
    "Kerberos DES Only",
    "Kerberos RC4",
    "Kerberos AES-128bit",
    "Kerberos AES-256bit",
    "Does Not Require Pre Auth",
    "Never Logged in",
    "Logon Age (days)",
    "Password Age (days)",
    "Dormant (> 90 days)",
    "Password Age (> 42 days)",
    "Account Locked Out",
    "Password Expired",
    "Password Not Required",
    "Delegation Type",
    "Delegation Protocol",
    "Delegation Services",
    "Logon Workstations",
    "AdminCount",
    "Primary GroupID",
    "SID",
    "SIDHistory",
    "Description",
    "Last Logon Date",
    "Password LastSet",
    "Account Expiration Date",
    "Account Expiration (days)",
    "Email",
    "HomeDirectory",
    "ProfilePath",
    "ScriptPath",
    "whenCreated",
    "whenChanged",
    "DistinguishedName",
    "CanonicalName",
];

pub(crate) const GROUPS_HEADER: &[&str] = &[
    "Name",
    "AdminCount",
    "GroupCategory",
    "GroupScope",
    "ManagedBy",
    "SID",
    "SIDHistory",
    "Description",
    "whenCreated",
    "whenChanged",
    "DistinguishedName",
    "CanonicalName",
];

pub(crate) const MEMBERS_HEADER: &[&str] = &[
    "Group Name",
    "Member UserName",
    "Member Name",
    "AccountType",
];

pub(crate) const OUS_HEADER: &[&str] = &[
    "Name",
    "Depth",
    "Description",
    "whenCreated",
    "whenChanged",
    "DistinguishedName",
    "gPLink",
    "gPOptions",
];

const LF: &str = "\n";

fn open(path: &Path, header: &[&str]) -> Result<CsvWriter> {
    let mut w = CsvWriter::create(path, Encoding::Cp1252, Quoting::PowerShell, ',', LF)?;
    w.header(header)?;
    Ok(w)
}

fn tf(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// ADRecon's `CleanString`: whitespace runs collapse to one space, `"` becomes `'`.
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            space = false;
            out.push(if c == '"' { '\'' } else { c });
        }
    }
    out
}

pub(crate) fn folder(fqdn: &str) -> String {
    format!("ADRecon-Report-{fqdn}/CSV-Files")
}

/// Writes every domain's folder; returns (path relative to `out`, absolute path, rows).
pub(crate) fn write(
    dir: &Directory,
    out: &Path,
    progress: &dyn Fn(u64),
) -> Result<Vec<(String, PathBuf, u64)>> {
    let mut files = Vec::new();
    let mut done = 0u64;
    for d in 0..3u8 {
        let fqdn = DOMAINS[d as usize].fqdn;
        let rel = folder(fqdn);
        let base = out.join(&rel);
        let mut push = |name: &str, r: (PathBuf, u64)| {
            files.push((format!("{rel}/{name}"), r.0, r.1));
        };
        push(
            "Users.csv",
            users(dir, d, &base.join("Users.csv"), &mut done, progress)?,
        );
        push("Groups.csv", groups(dir, d, &base.join("Groups.csv"))?);
        push(
            "GroupMembers.csv",
            members(dir, d, &base.join("GroupMembers.csv"))?,
        );
        push("OUs.csv", ous(dir, d, &base.join("OUs.csv"))?);
        push("Domain.csv", domain(dir, d, &base.join("Domain.csv"))?);
        push("Trusts.csv", trusts(dir, d, &base.join("Trusts.csv"))?);
    }
    progress(done);
    Ok(files)
}

fn days(from: i64) -> i64 {
    (EXPORT_TIME - from).max(0) / 86_400
}

fn users(
    dir: &Directory,
    d: u8,
    path: &Path,
    done: &mut u64,
    progress: &dyn Fn(u64),
) -> Result<(PathBuf, u64)> {
    let mut w = open(path, USERS_HEADER)?;
    for u in 0..dir.users.len() {
        if dir.users[u].domain != d {
            continue;
        }
        let v = UserView::new(dir, u);
        let admin = v.kind == super::model::Kind::Administrator;
        let logon_age = v.last_logon.map(days);
        let pwd_age = days(v.pwd_last_set);
        let expires = (v.account_expires != 0 && v.account_expires != super::fmt::NEVER_EXPIRES)
            .then(|| (v.account_expires / 10_000_000) as i64 - 11_644_473_600);
        w.str(&clean(&v.sam));
        w.str(&clean(&v.cn));
        w.str(tf(v.enabled));
        w.str(tf(false));
        w.str(tf(false));
        w.str(tf(v.pwd_never));
        w.str(tf(false));
        w.str(tf(false));
        w.str(tf(true));
        w.str(tf(false));
        if admin {
            w.str(tf(false));
            w.str(tf(false));
            w.str(tf(true));
        } else {
            w.null();
            w.null();
            w.null();
        }
        w.str(tf(false));
        w.str(tf(logon_age.is_none()));
        match logon_age {
            Some(a) => w.str(&a.to_string()),
            None => w.null(),
        }
        w.str(&pwd_age.to_string());
        w.str(tf(logon_age.is_some_and(|a| a > 90)));
        w.str(tf(pwd_age > 42));
        w.str(tf(false));
        w.str(tf(!v.pwd_never && pwd_age > 42));
        w.str(tf(v.uac & 0x20 != 0));
        w.null();
        w.null();
        w.null();
        w.null();
        w.opt(v.admin_count.then_some("1"));
        w.str(&v.primary_gid.to_string());
        w.put(|s| v.sid.text(s));
        w.str("");
        w.opt(v.description.as_deref().map(clean).as_deref());
        match v.last_logon {
            Some(t) => w.put(|s| date_au(t, s)),
            None => w.null(),
        }
        w.put(|s| date_au(v.pwd_last_set, s));
        match expires {
            Some(t) => {
                w.put(|s| date_au(t, s));
                w.str(&((t - EXPORT_TIME) / 86_400).to_string());
            }
            None => {
                w.null();
                w.null();
            }
        }
        w.opt(v.mail.as_deref());
        w.null();
        w.null();
        w.null();
        w.put(|s| date_au(v.created, s));
        w.put(|s| date_au(v.changed, s));
        w.str(&clean(&v.dn));
        w.str(&clean(&v.canonical));
        w.end_row()?;
        *done += 1;
        if done.is_multiple_of(4096) {
            progress(*done);
        }
    }
    w.finish()
}

fn groups(dir: &Directory, d: u8, path: &Path) -> Result<(PathBuf, u64)> {
    let mut w = open(path, GROUPS_HEADER)?;
    for g in 0..dir.groups.len() {
        if dir.groups[g].domain != d {
            continue;
        }
        let v = GroupView::new(dir, g);
        w.str(&clean(&v.name));
        w.opt(v.admin_count.then_some("1"));
        w.str(v.category);
        w.str(v.scope);
        w.str(v.managed_by.as_deref().unwrap_or(""));
        w.put(|s| v.sid.text(s));
        w.str("");
        w.str(v.description.unwrap_or(""));
        w.put(|s| date_au(v.created, s));
        w.put(|s| date_au(v.changed, s));
        w.str(&clean(&v.dn));
        w.str(&clean(&v.canonical));
        w.end_row()?;
    }
    w.finish()
}

/// Built from the members' memberOf, as ADRecon does: a row per direct membership of this
/// domain's users and groups; the primary group is never listed. Groups are named by CN only.
fn members(dir: &Directory, d: u8, path: &Path) -> Result<(PathBuf, u64)> {
    let mut w = open(path, MEMBERS_HEADER)?;
    let mut cn = String::new();
    for u in 0..dir.users.len() {
        if dir.users[u].domain != d {
            continue;
        }
        let groups = dir.user_groups.get(u);
        if groups.is_empty() {
            continue;
        }
        let sam = dir
            .overrides
            .get(&(u as u32))
            .and_then(|o| o.sam.clone())
            .unwrap_or_else(|| dir.base_sam(u));
        cn.clear();
        dir.cn(u, &mut cn);
        for &g in groups {
            w.str(&clean(&dir.groups[g as usize].name));
            w.str(&clean(&sam));
            w.str(&clean(&cn));
            w.str("user");
            w.end_row()?;
        }
    }
    for h in 0..dir.groups.len() {
        if dir.groups[h].domain != d {
            continue;
        }
        for &g in dir.group_parents.get(h) {
            w.str(&clean(&dir.groups[g as usize].name));
            w.str("-");
            w.str(&clean(&dir.groups[h].name));
            w.str("group");
            w.end_row()?;
        }
    }
    w.finish()
}

fn ous(dir: &Directory, d: u8, path: &Path) -> Result<(PathBuf, u64)> {
    let mut w = open(path, OUS_HEADER)?;
    let dn = DOMAINS[d as usize].dn;
    for (o, ou) in dir.ous.iter().enumerate() {
        if ou.domain != d {
            continue;
        }
        let mut odn = String::new();
        dir.ou_dn(o, &mut odn);
        w.str(ou.kind.name());
        w.str(if ou.kind.parent().is_some() { "2" } else { "1" });
        match ou.kind {
            OuKind::Contractors => w.str("External staff, not licensed for Microsoft 365"),
            _ => w.null(),
        }
        w.put(|s| date_au(ou.created, s));
        w.put(|s| date_au(ou.created + 86_400 * 3, s));
        w.str(&odn);
        if ou.kind == OuKind::Staff {
            w.str(&format!(
                "[LDAP://cn={{31B2F340-016D-11D2-945F-00C04FB984F9}},cn=policies,cn=system,{dn};0][LDAP://cn={{6AC1786C-016F-11D2-945F-00C04fB984F9}},cn=policies,cn=system,{dn};0]"
            ));
        } else {
            w.null();
        }
        w.null();
        w.end_row()?;
    }
    w.finish()
}

fn domain(dir: &Directory, d: u8, path: &Path) -> Result<(PathBuf, u64)> {
    let mut w = open(path, &["Category", "Value"])?;
    let dom = &dir.domains[d as usize];
    let users = dir.users.iter().filter(|u| u.domain == d).count();
    let groups = dir.groups.iter().filter(|g| g.domain == d).count();
    let rids = (1104 + users + groups) as u64 + 500;
    let rows: [(&str, String); 8] = [
        ("Name", dom.spec.fqdn.to_string()),
        ("NetBIOS", dom.spec.netbios.to_string()),
        ("Functional Level", "Windows2016Domain".to_string()),
        ("DomainSID", {
            let mut s = String::new();
            dir.sid(d, None).text(&mut s);
            s
        }),
        ("Domain Controller", format!("DC01.{}", dom.spec.fqdn)),
        ("Creation Date", {
            let mut s = String::new();
            date_au(dom.created, &mut s);
            s
        }),
        ("RIDs Issued", rids.to_string()),
        (
            "RIDs Remaining",
            1_073_741_823u64.saturating_sub(rids).to_string(),
        ),
    ];
    for (k, v) in rows {
        w.str(k);
        w.str(&v);
        w.end_row()?;
    }
    w.finish()
}

fn trusts(dir: &Directory, d: u8, path: &Path) -> Result<(PathBuf, u64)> {
    let mut w = open(
        path,
        &[
            "Source Domain",
            "Target Domain",
            "Trust Direction",
            "Trust Type",
            "Attributes",
            "whenCreated",
            "whenChanged",
        ],
    )?;
    // Tree-root trusts: every domain trusts the forest root both ways.
    let targets: Vec<u8> = if d == 0 { vec![1, 2] } else { vec![0] };
    for t in targets {
        let created = dir.domains[d as usize]
            .created
            .max(dir.domains[t as usize].created);
        w.str(DOMAINS[d as usize].fqdn);
        w.str(DOMAINS[t as usize].fqdn);
        w.str("BiDirectional");
        w.str("Uplevel");
        w.str("Within Forest");
        w.put(|s| date_au(created, s));
        w.put(|s| date_au(created + 30 * 86_400, s));
        w.end_row()?;
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_string() {
        assert_eq!(clean("a  \"b\"\n c"), "a 'b' c");
    }
}
