//! One object's attribute values, rendered from the compact model with defect overrides
//! applied. Every writer reads objects through these views, so all dialects agree on values.

use super::fmt::{EXPORT_TIME, NEVER_EXPIRES, Sid, filetime};
use super::model::{
    DOMAINS, Directory, Kind, ONLINE_LOCATOR, ONPREM_LOCATOR, POOLS, Place, flag, place_canonical,
};
use super::names::{GIVEN, PARTNERS, SURNAMES, TITLES, fold_ascii};
use super::rng::hash3;

/// Exchange's msExchRecipientTypeDetails values used here.
pub(crate) const RT_USER_MAILBOX: u64 = 1;
pub(crate) const RT_REMOTE_MAILBOX: u64 = 2_147_483_648;
pub(crate) const RT_ARBITRATION: u64 = 8_388_608;
pub(crate) const RT_DISCOVERY: u64 = 536_870_912;
pub(crate) const RT_MONITORING: u64 = 549_755_813_888;

pub(crate) struct SfbView {
    pub sip: String,
    pub locator: Option<&'static str>,
    pub home_server: Option<&'static str>,
    pub pool: Option<&'static str>,
    pub option_flags: u32,
    pub line: Option<String>,
    pub ev: bool,
}

pub(crate) struct UserView {
    pub kind: Kind,
    pub domain: u8,
    pub dn: String,
    pub cn: String,
    pub canonical: String,
    pub given: Option<String>,
    pub sn: Option<&'static str>,
    pub display: Option<String>,
    pub sam: String,
    pub upn: Option<String>,
    pub mail: Option<String>,
    pub nickname: Option<String>,
    pub proxies: Vec<String>,
    pub target: Option<String>,
    pub title: Option<&'static str>,
    pub department: Option<&'static str>,
    pub company: Option<&'static str>,
    pub city: Option<&'static str>,
    pub description: Option<String>,
    pub manager: Option<String>,
    pub enabled: bool,
    pub uac: u32,
    pub pwd_never: bool,
    pub primary_gid: u32,
    pub primary_group: u32,
    pub created: i64,
    pub changed: i64,
    pub pwd_last_set: i64,
    pub last_logon: Option<i64>,
    /// Raw FILETIME of pwdLastSet / lastLogonTimestamp (with sub-second ticks).
    pub pwd_ft: u64,
    pub logon_ft: Option<u64>,
    pub account_expires: u64,
    pub ext15: Option<&'static str>,
    pub critical: Option<bool>,
    pub recipient_type: Option<u64>,
    pub certs: Vec<Vec<u8>>,
    pub sfb: Option<SfbView>,
    pub guid: u128,
    pub sid: Sid,
    pub admin_count: bool,
}

fn description(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Administrator => "Built-in account for administering the computer/domain",
        Kind::Guest => "Built-in account for guest access to the computer/domain",
        Kind::Krbtgt => "Key Distribution Center Service Account",
        Kind::Msol => {
            "Account created by Microsoft Azure Active Directory Connect with installation identifier 0123456789ab0123456789ab01234567 running on computer AADC01 configured to synchronize to tenant contoso.onmicrosoft.com. This account must have directory replication permissions in the local Active Directory and write permission on certain attributes to enable Hybrid Deployment."
        }
        Kind::Aad => "Service account for the Azure AD Connect Health agent",
        Kind::Support => "This is a vendor's account for the Help and Support Service",
        Kind::Service => "Service account for the backup agent",
        _ => return None,
    })
}

/// Deterministic certificate bytes; they start `30 82 02`, so base64 starts `MIIC` like DER.
fn cert_bytes(seed: u64, u: usize, k: u64) -> Vec<u8> {
    let mut b = vec![0x30, 0x82, 0x02, 0x41];
    for j in 0..6 {
        b.extend_from_slice(&hash3(seed, u as u64, k * 16 + j).to_le_bytes());
    }
    b
}

impl UserView {
    pub(crate) fn new(dir: &Directory, u: usize) -> UserView {
        let user = &dir.users[u];
        let ovr = dir.overrides.get(&(u as u32));
        let domain = &dir.domains[user.domain as usize % 3];
        let staff = user.kind == Kind::Staff;
        let mut cn = String::new();
        dir.cn(u, &mut cn);
        let mut dn = String::new();
        dir.user_dn(u, &mut dn);
        let mut canonical = String::new();
        place_canonical(domain, user.place, &mut canonical);
        canonical.push('/');
        canonical.push_str(&cn);

        let (g, s) = dir.names(u);
        let given = match ovr.and_then(|o| o.given.clone()) {
            Some(v) => Some(v),
            None if staff => Some(g.to_string()),
            None => None,
        };
        let sn = staff.then_some(s);
        let display = match ovr.and_then(|o| o.display.clone()) {
            Some(v) => v,
            None => dir.base_display(u),
        };
        let sam = ovr
            .and_then(|o| o.sam.clone())
            .unwrap_or_else(|| dir.base_sam(u));
        let local = dir.local_part(u);
        let upn = match ovr.and_then(|o| o.upn.clone()) {
            Some(v) => v,
            None => dir.base_upn_with(u, &local),
        };
        let mail = match ovr.and_then(|o| o.mail.clone()) {
            Some(v) => v,
            None => dir.base_mail_with(u, &local),
        };
        let nickname = match ovr.and_then(|o| o.nickname.clone()) {
            Some(v) => v,
            None => dir.base_nickname_with(u, &local),
        };
        let mut proxies = dir.base_proxies_with(u, &local);
        if let Some(o) = ovr {
            if o.proxy_clear {
                proxies.clear();
            }
            if o.proxy_drop_alias {
                let alias = format!("smtp:{}", dir.alias_address(u));
                proxies.retain(|p| p != &alias);
            }
            proxies.extend(o.proxy_add.iter().cloned());
        }
        let target = match ovr.and_then(|o| o.target.clone()) {
            Some(v) => v,
            None => dir.base_target_with(u, &local),
        };

        let contractor = user.has(flag::CONTRACTOR);
        let partner = PARTNERS.get(user.partner as usize).copied();
        let title = staff.then(|| {
            if contractor {
                "Contractor"
            } else {
                TITLES[user.dept as usize % TITLES.len()][user.title as usize % 4]
            }
        });
        let department = staff.then(|| super::names::DEPARTMENTS[user.dept as usize % 8]);
        let company = staff.then(|| {
            if contractor {
                partner.map_or("Partner", |p| p.0)
            } else {
                DOMAINS[user.domain as usize % 3].company
            }
        });
        let city = staff.then(|| super::names::CITIES[user.city as usize % 13]);
        let description = if contractor {
            partner.map(|p| format!("Contractor, {}", p.0))
        } else {
            description(user.kind).map(str::to_string)
        };
        let manager = (user.manager != super::model::NONE).then(|| {
            let mut m = String::new();
            dir.user_dn(user.manager as usize, &mut m);
            m
        });

        let uac: u32 = match user.kind {
            Kind::Administrator => 66_048,
            Kind::Guest => 66_082,
            Kind::Krbtgt | Kind::Support | Kind::SystemMailbox | Kind::DiscoveryMailbox => 514,
            _ => {
                let base = if user.has(flag::ENABLED) { 512 } else { 514 };
                if user.has(flag::PWD_NEVER) {
                    base | 0x10000
                } else {
                    base
                }
            }
        };
        let enabled = uac & 2 == 0;
        let (primary_gid, primary_group) = dir.primary_group(u);

        let seed = dir.seed;
        let created = user.created_at();
        let span = (EXPORT_TIME - created).max(1) as u64;
        let changed = created + (hash3(seed, u as u64, 1) % span) as i64;
        let pwd_last_set = if enabled {
            (EXPORT_TIME - (hash3(seed, u as u64, 2) % (180 * 86_400)) as i64).max(created)
        } else {
            created + (hash3(seed, u as u64, 2) % span) as i64 / 2
        };
        let never = user.has(flag::NEVER_LOGGED)
            || matches!(user.kind, Kind::Guest | Kind::Krbtgt | Kind::Support)
            || matches!(user.kind, Kind::SystemMailbox | Kind::DiscoveryMailbox);
        let last_logon = if never {
            None
        } else if enabled {
            Some((EXPORT_TIME - (hash3(seed, u as u64, 3) % (14 * 86_400)) as i64).max(created))
        } else {
            Some(
                (EXPORT_TIME - 200 * 86_400 - (hash3(seed, u as u64, 3) % (700 * 86_400)) as i64)
                    .max(created),
            )
        };
        let pwd_ft = filetime(pwd_last_set, hash3(seed, u as u64, 4));
        let logon_ft = last_logon.map(|t| filetime(t, hash3(seed, u as u64, 5)));
        let account_expires = if contractor {
            filetime(
                EXPORT_TIME + (30 + hash3(seed, u as u64, 6) % 335) as i64 * 86_400,
                0,
            )
        } else if hash3(seed, u as u64, 7) % 10 < 3 {
            0
        } else {
            NEVER_EXPIRES
        };

        let critical =
            matches!(user.kind, Kind::Administrator | Kind::Guest | Kind::Krbtgt).then_some(true);
        let base_rt = match user.kind {
            Kind::Staff if mail.is_some() => Some(if user.has(flag::REMOTE) {
                RT_REMOTE_MAILBOX
            } else {
                RT_USER_MAILBOX
            }),
            Kind::SystemMailbox => Some(RT_ARBITRATION),
            Kind::DiscoveryMailbox => Some(RT_DISCOVERY),
            Kind::HealthMailbox => Some(RT_MONITORING),
            _ => None,
        };
        let recipient_type = match ovr.and_then(|o| o.recipient_type) {
            Some(v) => v,
            None => base_rt,
        };
        let ncerts = match ovr.and_then(|o| o.certs) {
            Some(n) => n as u64,
            None => u64::from(user.has(flag::CERT)),
        };
        let certs = (0..ncerts).map(|k| cert_bytes(seed, u, k)).collect();

        let sfb = user.has(flag::SFB).then(|| {
            let online = user.has(flag::ONLINE);
            let sip = ovr
                .and_then(|o| o.sip.clone())
                .unwrap_or_else(|| dir.base_sip_with(u, &local));
            let base_locator = if online {
                ONLINE_LOCATOR
            } else {
                ONPREM_LOCATOR
            };
            let locator = match ovr.and_then(|o| o.locator.clone()) {
                Some(_) => None,
                None => Some(base_locator),
            };
            let pool = if user.has(flag::POOL2) {
                POOLS[1]
            } else {
                POOLS[0]
            };
            let ev = user.has(flag::EV);
            let line = ev.then(|| {
                let exch = 555 + (user.line / 10_000) % 445;
                format!("tel:+1425{exch:03}{:04}", user.line % 10_000)
            });
            SfbView {
                sip,
                locator,
                home_server: (!online).then_some(pool.1),
                pool: (!online).then_some(pool.0),
                option_flags: if ev { 385 } else { 257 },
                line,
                ev,
            }
        });

        UserView {
            kind: user.kind,
            domain: user.domain,
            dn,
            cn,
            canonical,
            given,
            sn,
            display,
            sam,
            upn,
            mail,
            nickname,
            proxies,
            target,
            title,
            department,
            company,
            city,
            description,
            manager,
            enabled,
            uac,
            pwd_never: uac & 0x10000 != 0,
            primary_gid,
            primary_group,
            created,
            changed,
            pwd_last_set,
            last_logon,
            pwd_ft,
            logon_ft,
            account_expires,
            ext15: user.has(flag::NOSYNC).then_some("NOSYNC"),
            critical,
            recipient_type,
            certs,
            sfb,
            guid: dir.user_guid(u),
            sid: dir.sid(user.domain, Some(user.rid)),
            admin_count: user.has(flag::ADMIN),
        }
    }
}

pub(crate) struct GroupView {
    pub dn: String,
    pub name: String,
    pub canonical: String,
    pub mail: Option<String>,
    pub nickname: Option<String>,
    pub proxies: Vec<String>,
    pub group_type: i64,
    pub scope: &'static str,
    pub category: &'static str,
    pub critical: Option<bool>,
    pub description: Option<&'static str>,
    pub created: i64,
    pub changed: i64,
    pub guid: u128,
    pub sid: Sid,
    pub managed_by: Option<String>,
    pub admin_count: bool,
}

impl GroupView {
    pub(crate) fn new(dir: &Directory, g: usize) -> GroupView {
        let grp = &dir.groups[g];
        let domain = &dir.domains[grp.domain as usize % 3];
        let mut dn = String::new();
        dir.group_dn(g, &mut dn);
        let mut canonical = String::new();
        place_canonical(domain, grp.place, &mut canonical);
        canonical.push('/');
        canonical.push_str(&grp.name);
        let span = (EXPORT_TIME - grp.created).max(1) as u64;
        let managed_by = (grp.managed_by != super::model::NONE).then(|| {
            let mut m = String::new();
            dir.user_dn(grp.managed_by as usize, &mut m);
            m
        });
        GroupView {
            dn,
            name: grp.name.clone(),
            canonical,
            mail: grp.mail.clone(),
            nickname: grp.nickname.clone(),
            proxies: grp.mail.iter().map(|m| format!("SMTP:{m}")).collect(),
            group_type: grp.group_type(),
            scope: grp.scope.name(),
            category: if grp.security {
                "Security"
            } else {
                "Distribution"
            },
            critical: grp.critical.then_some(true),
            description: grp.description,
            created: grp.created,
            changed: grp.created + (hash3(dir.seed, g as u64, 11) % span) as i64,
            guid: dir.group_guid(g),
            sid: dir.sid(grp.domain, Some(grp.rid)),
            managed_by,
            admin_count: grp.admin_count,
        }
    }
}

pub(crate) struct ContactView {
    pub dn: String,
    pub cn: String,
    pub canonical: String,
    pub given: &'static str,
    pub sn: &'static str,
    pub display: String,
    pub mail: Option<String>,
    pub nickname: Option<String>,
    pub proxies: Vec<String>,
    pub target: Option<String>,
    pub company: &'static str,
    pub created: i64,
    pub changed: i64,
    pub guid: u128,
}

impl ContactView {
    pub(crate) fn new(dir: &Directory, c: usize) -> ContactView {
        let ct = &dir.contacts[c];
        let mut cn = String::new();
        dir.contact_cn(c, &mut cn);
        let mut dn = String::new();
        dir.contact_dn(c, &mut dn);
        let mut canonical = String::new();
        place_canonical(
            &dir.domains[0],
            Place::Ou(super::model::OuKind::Contacts),
            &mut canonical,
        );
        canonical.push('/');
        canonical.push_str(&cn);
        let given = GIVEN.get(ct.first as usize).copied().unwrap_or("Alex");
        let sn = SURNAMES.get(ct.last as usize).copied().unwrap_or("Doe");
        let (company, pdomain) = PARTNERS
            .get(ct.partner as usize)
            .copied()
            .unwrap_or(("Partner", "partner.example"));
        let mut local = String::new();
        fold_ascii(given, &['-'], &mut local);
        local.push('.');
        fold_ascii(sn, &['-'], &mut local);
        super::model::push_suffix(ct.mail_n, "", &mut local);
        let mail = (!ct.no_mail).then(|| format!("{local}@{pdomain}"));
        let span = (EXPORT_TIME - ct.created).max(1) as u64;
        ContactView {
            dn,
            cn,
            canonical,
            given,
            sn,
            display: format!("{given} {sn} ({company})"),
            nickname: mail.as_ref().map(|_| format!("ext-{local}")),
            proxies: mail.iter().map(|m| format!("SMTP:{m}")).collect(),
            target: mail.as_ref().map(|m| format!("SMTP:{m}")),
            mail,
            company,
            created: ct.created,
            changed: ct.created + (hash3(dir.seed, c as u64, 21) % span) as i64,
            guid: dir.contact_guid(c),
        }
    }
}

/// Standard base64 (for the certificate values PowerShell would print).
pub(crate) fn base64(bytes: &[u8], out: &mut String) {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b64() {
        let mut s = String::new();
        base64(b"Man", &mut s);
        base64(b"Ma", &mut s);
        base64(b"M", &mut s);
        assert_eq!(s, "TWFuTWE=TQ==");
        let mut c = String::new();
        base64(&cert_bytes(1, 2, 3), &mut c);
        assert!(c.starts_with("MIIC"));
    }
}
