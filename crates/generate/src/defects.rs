//! Injected defects: one clear violation per defect, each recorded as an [`Expect`].
//!
//! Hosts are ordinary staff users of the routable domains, so that the systemic findings of
//! corp.contoso.local and of contoso.com's contractors never overlap an injected one. A host is
//! reused for another rule only when the fresh pool is exhausted (small directories), and then
//! only for a rule touching other attributes, so that each recorded defect stays the one clear
//! violation on its attribute.

use super::model::{
    Directory, Expect, GroupKind, Kind, TENANT_ROUTING_DOMAIN, Target, User, UserOverride, flag,
};
use super::rng::Rng;

/// Instances of each rule: one up to 40k users, then one per 20k users, which keeps the
/// defective objects well under 1% at any size.
pub(crate) fn instances(requested: usize) -> usize {
    (requested / 20_000).max(1)
}

/// Every rule the generator injects, in injection order. Tests check the manifest covers them.
pub(crate) const INJECTED_RULES: &[&str] = &[
    "UPN-CHAR",
    "UPN-NONASCII",
    "UPN-LEN-LOCAL",
    "UPN-TLD",
    "UPN-DUP",
    "UPN-BLANK",
    "SAM-LEN",
    "SAM-CHAR",
    "SAM-DUP",
    "DN-BLANK",
    "DN-WS",
    "GN-LEN",
    "MAIL-DUP",
    "PA-DUP",
    "PA-SELFDUP",
    "PA-PRIMARY",
    "PA-SMTP-CHAR",
    "PA-COLON",
    "NICK-DOT",
    "NICK-CHAR",
    "NICK-DUP",
    "TA-CHAR",
    "SIP-PRESENT",
    "SIP-DUP",
    "SIP-FORMAT",
    "SIP-UPN",
    "CERT-COUNT",
    "CONTACT-MAIL",
    "DL-MAIL",
];

// Attribute families a defect touches; a reused host must not share one.
const M_UPN: u16 = 1;
const M_SAM: u16 = 1 << 1;
const M_DISP: u16 = 1 << 2;
const M_GIVEN: u16 = 1 << 3;
const M_MAIL: u16 = 1 << 4;
const M_PROXY: u16 = 1 << 5;
const M_NICK: u16 = 1 << 6;
const M_TARGET: u16 = 1 << 7;
const M_SIP: u16 = 1 << 8;
const M_CERT: u16 = 1 << 9;

/// What a defect needs of the host's Skype for Business state.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sfb {
    Any,
    /// Not SfB-enabled: a changed UPN would otherwise also break SIP = sip:+UPN.
    Off,
    /// SfB-enabled and homed on-premises.
    OnPrem,
}

struct Host {
    user: u32,
    mask: u16,
    sfb: Sfb,
}

struct Picker {
    order: Vec<u32>,
    next: usize,
    hosts: Vec<Host>,
}

fn eligible(u: &User) -> bool {
    u.kind == Kind::Staff
        && u.has(flag::ENABLED)
        && super::model::DOMAINS[u.domain as usize % 3].routable
        && !u.has(flag::CONTRACTOR)
        && !u.has(flag::OBRIEN)
        && !u.has(flag::COMMA)
        && !u.has(flag::X500)
}

fn force_sfb(dir: &mut Directory, u: u32, sfb: Sfb) {
    let Some(user) = dir.users.get_mut(u as usize) else {
        return;
    };
    match sfb {
        Sfb::Any => {}
        Sfb::Off => {
            user.flags &= !(flag::SFB | flag::ONLINE | flag::EV | flag::SIP_PROXY | flag::POOL2)
        }
        Sfb::OnPrem => {
            user.flags |= flag::SFB;
            user.flags &= !(flag::ONLINE | flag::SIP_PROXY);
        }
    }
}

impl Picker {
    fn new(dir: &Directory, rng: &mut Rng) -> Picker {
        let mut order: Vec<u32> = (0..dir.users.len() as u32)
            .filter(|&i| eligible(&dir.users[i as usize]))
            .collect();
        rng.shuffle(&mut order);
        Picker {
            order,
            next: 0,
            hosts: Vec::new(),
        }
    }

    fn pick(
        &mut self,
        dir: &mut Directory,
        mask: u16,
        sfb: Sfb,
        pred: &dyn Fn(&User) -> bool,
        exclude: &[u32],
    ) -> Option<u32> {
        let mut k = self.next;
        while let Some(&u) = self.order.get(k) {
            if pred(&dir.users[u as usize]) && !exclude.contains(&u) {
                self.order.swap(self.next, k);
                self.next += 1;
                self.hosts.push(Host { user: u, mask, sfb });
                if let Some(user) = dir.users.get_mut(u as usize) {
                    // A host carries nothing optional that a reader could mistake for part of
                    // the defect: no remote mailbox, no NOSYNC filter value, no certificate.
                    user.flags |= flag::HOST;
                    user.flags &= !(flag::REMOTE | flag::NOSYNC | flag::CERT);
                }
                force_sfb(dir, u, sfb);
                return Some(u);
            }
            k += 1;
        }
        for h in &mut self.hosts {
            let compatible = !matches!(
                (h.sfb, sfb),
                (Sfb::Off, Sfb::OnPrem) | (Sfb::OnPrem, Sfb::Off)
            );
            if h.mask & mask == 0
                && compatible
                && pred(&dir.users[h.user as usize])
                && !exclude.contains(&h.user)
            {
                h.mask |= mask;
                if sfb != Sfb::Any {
                    h.sfb = sfb;
                }
                let u = h.user;
                force_sfb(dir, u, sfb);
                return Some(u);
            }
        }
        None
    }
}

fn any(_: &User) -> bool {
    true
}

/// Upper-cases the first letter of each dot- or hyphen-separated piece of the local part.
fn case_variant(addr: &str) -> String {
    let (local, rest) = addr.split_once('@').unwrap_or((addr, ""));
    let mut out = String::with_capacity(addr.len());
    let mut up = true;
    for c in local.chars() {
        out.push(if up { c.to_ascii_uppercase() } else { c });
        up = matches!(c, '.' | '-');
    }
    if out == local {
        out = local.to_ascii_uppercase();
    }
    if !rest.is_empty() {
        out.push('@');
        out.push_str(rest);
    }
    out
}

/// Replaces the first `.` by `with`, or inserts `with` after the first character.
fn break_at_dot(s: &str, with: &str) -> String {
    if s.contains('.') {
        s.replacen('.', with, 1)
    } else {
        let mut it = s.chars();
        let first: String = it.next().into_iter().collect();
        format!("{first}{with}{}", it.as_str())
    }
}

fn pad_to(base: &str, filler: &str, len: usize) -> String {
    let mut s: String = base.to_string();
    let mut f = filler.chars().cycle();
    while s.chars().count() < len {
        if let Some(c) = f.next() {
            s.push(c);
        }
    }
    let mut s: String = s.chars().take(len).collect();
    if s.ends_with(['.', '-']) {
        s.pop();
        s.push('x');
    }
    s
}

struct Injector<'a> {
    dir: &'a mut Directory,
    picker: Picker,
    instance: u32,
    failed: Vec<&'static str>,
}

impl Injector<'_> {
    fn ovr(&mut self, u: u32) -> &mut UserOverride {
        self.dir.overrides.entry(u).or_default()
    }

    fn rec(
        &mut self,
        rule: &'static str,
        u: u32,
        attribute: &'static str,
        value: String,
        note: Option<&str>,
    ) {
        self.dir.defects.push(Expect {
            rule,
            target: Target::User(u),
            attribute,
            value,
            note: note.map(str::to_string),
            instance: self.instance,
        });
    }

    fn pick(&mut self, mask: u16, sfb: Sfb, exclude: &[u32]) -> Option<u32> {
        self.picker.pick(self.dir, mask, sfb, &any, exclude)
    }

    fn fail(&mut self, rule: &'static str) {
        if !self.failed.contains(&rule) {
            self.failed.push(rule);
        }
    }

    fn suffix(&self, u: u32) -> &'static str {
        let d = self
            .dir
            .users
            .get(u as usize)
            .map_or(0, |x| x.domain as usize % 3);
        super::model::DOMAINS[d].upn_suffix
    }

    fn mail_domain(&self, u: u32) -> &'static str {
        let d = self
            .dir
            .users
            .get(u as usize)
            .map_or(0, |x| x.domain as usize % 3);
        super::model::DOMAINS[d].mail_domain
    }

    fn run(&mut self, rule: &'static str) {
        self.instance += 1;
        let ok = match rule {
            "UPN-CHAR" => self.upn_single(rule, |l| break_at_dot(l, "&")),
            "UPN-NONASCII" => self.upn_single(rule, |l| {
                if l.contains('e') {
                    l.replacen('e', "é", 1)
                } else if l.contains('a') {
                    l.replacen('a', "á", 1)
                } else {
                    format!("é{l}")
                }
            }),
            "UPN-LEN-LOCAL" => {
                self.upn_single(rule, |l| pad_to(&format!("{l}."), "longlocalpart", 65))
            }
            "UPN-TLD" => self.upn_tld(),
            "UPN-DUP" => self.upn_dup(),
            "UPN-BLANK" => self.pick(M_UPN, Sfb::Off, &[]).map(|u| {
                self.ovr(u).upn = Some(None);
                self.rec(rule, u, "userPrincipalName", String::new(), None);
            }),
            "SAM-LEN" => self.sam_single(rule, |s| pad_to(&format!("{s}-"), "longaccountname", 22)),
            "SAM-CHAR" => self.sam_single(rule, |s| {
                let mut it = s.chars();
                let first: String = it.next().into_iter().collect();
                format!("{first}'{}", it.as_str())
            }),
            "SAM-DUP" => self.sam_dup(),
            // A displayName of spaces: an empty one is no value, which is no finding.
            "DN-BLANK" => self.pick(M_DISP, Sfb::Any, &[]).map(|u| {
                self.ovr(u).display = Some(Some("  ".into()));
                self.rec(rule, u, "displayName", "  ".into(), Some("only spaces"));
            }),
            "DN-WS" => self.pick(M_DISP, Sfb::Any, &[]).map(|u| {
                let v = format!("{} ", self.dir.base_display(u as usize).unwrap_or_default());
                self.ovr(u).display = Some(Some(v.clone()));
                self.rec(rule, u, "displayName", v, Some("trailing space"));
            }),
            "GN-LEN" => self.pick(M_GIVEN, Sfb::Any, &[]).map(|u| {
                let (g, _) = self.dir.names(u as usize);
                let v = pad_to(&format!("{g}-"), "Alexandrina-Josefina-Maximiliana-", 65);
                self.ovr(u).given = Some(v.clone());
                self.rec(rule, u, "givenName", v, Some("65 characters"));
            }),
            "MAIL-DUP" => self.mail_dup(),
            "PA-DUP" => self.pa_dup(),
            "PA-SELFDUP" => self.proxy_single(rule, |inj, u| {
                let addr = inj.dir.alias_address(u as usize);
                let o = inj.ovr(u);
                o.proxy_drop_alias = true;
                o.proxy_add.push(format!("smtp:{addr}"));
                let v = format!("smtp:{}", case_variant(&addr));
                o.proxy_add.push(v.clone());
                (v, Some("the same address twice, differing only in case"))
            }),
            "PA-PRIMARY" => self.proxy_single(rule, |inj, u| {
                let v = format!("SMTP:{}", inj.dir.alias_address(u as usize));
                let o = inj.ovr(u);
                o.proxy_drop_alias = true;
                o.proxy_add.push(v.clone());
                (v, Some("a second primary SMTP: value"))
            }),
            "PA-SMTP-CHAR" => {
                let with = if self.instance.is_multiple_of(2) {
                    ","
                } else {
                    " "
                };
                self.proxy_single(rule, move |inj, u| {
                    let l = inj.dir.local_part(u as usize);
                    let v = format!("smtp:{}@{}", break_at_dot(&l, with), inj.mail_domain(u));
                    inj.ovr(u).proxy_add.push(v.clone());
                    (
                        v,
                        Some("also fails the RFC 2822 address format (PA-SMTP-FORMAT)"),
                    )
                })
            }
            "PA-COLON" => self.proxy_single(rule, |inj, u| {
                let l = inj.dir.local_part(u as usize);
                let v = format!("smtp:{}@{}", break_at_dot(&l, ":"), inj.mail_domain(u));
                inj.ovr(u).proxy_add.push(v.clone());
                (
                    v,
                    Some("a colon after the prefix; the local part also fails RFC 2822"),
                )
            }),
            "NICK-DOT" => self.nick_single(rule, |n| format!(".{n}")),
            "NICK-CHAR" => self.nick_single(rule, |n| break_at_dot(n, "#")),
            "NICK-DUP" => self.nick_dup(),
            "TA-CHAR" => self.pick(M_TARGET, Sfb::Any, &[]).map(|u| {
                if let Some(user) = self.dir.users.get_mut(u as usize) {
                    user.flags |= flag::REMOTE;
                }
                let n = self.dir.base_nickname(u as usize).unwrap_or_default();
                let v = format!("SMTP:{}@{TENANT_ROUTING_DOMAIN}", break_at_dot(&n, " "));
                self.ovr(u).target = Some(Some(v.clone()));
                self.rec(
                    rule,
                    u,
                    "targetAddress",
                    v,
                    Some("a space in the address; also fails RFC 2822"),
                );
            }),
            "SIP-PRESENT" => self.pick(M_SIP, Sfb::OnPrem, &[]).map(|u| {
                self.ovr(u).locator = Some(None);
                self.rec(rule, u, "msRTCSIP-DeploymentLocator", String::new(), None);
            }),
            "SIP-DUP" => self.sip_dup(),
            "SIP-FORMAT" => self.pick(M_SIP, Sfb::OnPrem, &[]).map(|u| {
                let sip = self.dir.base_sip(u as usize);
                let v = sip.trim_start_matches("sip:").to_string();
                self.ovr(u).sip = Some(v.clone());
                self.rec(
                    rule,
                    u,
                    "msRTCSIP-PrimaryUserAddress",
                    v,
                    Some("no sip: prefix"),
                );
            }),
            "SIP-UPN" => self.pick(M_SIP, Sfb::OnPrem, &[]).map(|u| {
                let v = format!(
                    "sip:{}@{}",
                    self.dir.base_sam(u as usize),
                    self.dir.sip_domain(u as usize)
                );
                self.ovr(u).sip = Some(v.clone());
                self.rec(
                    rule,
                    u,
                    "msRTCSIP-PrimaryUserAddress",
                    v,
                    Some("informational: SIP address differs from sip:+UPN"),
                );
            }),
            "CERT-COUNT" => self.pick(M_CERT, Sfb::Any, &[]).map(|u| {
                self.ovr(u).certs = Some(16);
                self.rec(
                    rule,
                    u,
                    "userCertificate",
                    "16".into(),
                    Some("16 certificates"),
                );
            }),
            _ => Some(()),
        };
        if ok.is_none() {
            self.fail(rule);
        }
    }

    fn upn_single(&mut self, rule: &'static str, f: impl Fn(&str) -> String) -> Option<()> {
        let u = self.pick(M_UPN, Sfb::Off, &[])?;
        let v = format!("{}@{}", f(&self.dir.local_part(u as usize)), self.suffix(u));
        self.ovr(u).upn = Some(Some(v.clone()));
        self.rec(rule, u, "userPrincipalName", v, None);
        Some(())
    }

    fn upn_tld(&mut self) -> Option<()> {
        let u = self.pick(M_UPN, Sfb::Off, &[])?;
        let suffix = if self
            .dir
            .users
            .get(u as usize)
            .is_some_and(|x| x.domain == 0)
        {
            "contoso.local"
        } else {
            "fabrikam.lan"
        };
        let v = format!("{}@{suffix}", self.dir.local_part(u as usize));
        self.ovr(u).upn = Some(Some(v.clone()));
        self.rec(
            "UPN-TLD",
            u,
            "userPrincipalName",
            v,
            Some("non-routable suffix on a user of a routable domain"),
        );
        Some(())
    }

    fn upn_dup(&mut self) -> Option<()> {
        let a = self.pick(M_UPN, Sfb::Any, &[])?;
        let b = self.pick(M_UPN, Sfb::Off, &[a])?;
        let va = self.dir.base_upn(a as usize)?;
        let vb = case_variant(&va);
        self.ovr(b).upn = Some(Some(vb.clone()));
        self.rec(
            "UPN-DUP",
            a,
            "userPrincipalName",
            va,
            Some("holder of the original value"),
        );
        self.rec(
            "UPN-DUP",
            b,
            "userPrincipalName",
            vb,
            Some("same UPN in another case"),
        );
        Some(())
    }

    fn sam_single(&mut self, rule: &'static str, f: impl Fn(&str) -> String) -> Option<()> {
        let u = self.pick(M_SAM, Sfb::Any, &[])?;
        let v = f(&self.dir.base_sam(u as usize));
        self.ovr(u).sam = Some(v.clone());
        self.rec(rule, u, "sAMAccountName", v, None);
        Some(())
    }

    fn sam_dup(&mut self) -> Option<()> {
        let a = self.pick(M_SAM, Sfb::Any, &[])?;
        let da = self.dir.users.get(a as usize)?.domain;
        let b = self
            .picker
            .pick(self.dir, M_SAM, Sfb::Any, &|u: &User| u.domain != da, &[a])?;
        let v = self.dir.base_sam(a as usize);
        self.ovr(b).sam = Some(v.clone());
        let note =
            "the two holders are in different domains (AD keeps sAMAccountName unique per domain)";
        self.rec("SAM-DUP", a, "sAMAccountName", v.clone(), Some(note));
        self.rec("SAM-DUP", b, "sAMAccountName", v, Some(note));
        Some(())
    }

    fn mail_dup(&mut self) -> Option<()> {
        let m = M_MAIL | M_PROXY | M_NICK | M_TARGET;
        let a = self.pick(m, Sfb::Any, &[])?;
        let b = self.pick(m, Sfb::Any, &[a])?;
        let v = self.dir.base_mail(a as usize)?;
        for u in [a, b] {
            let o = self.ovr(u);
            o.proxy_clear = true;
            o.nickname = Some(None);
            o.recipient_type = Some(None);
            o.target = Some(None);
        }
        self.ovr(b).mail = Some(Some(v.clone()));
        let note = "mail only: neither holder has proxyAddresses or mailNickname";
        self.rec("MAIL-DUP", a, "mail", v.clone(), Some(note));
        self.rec("MAIL-DUP", b, "mail", v, Some(note));
        Some(())
    }

    fn pa_dup(&mut self) -> Option<()> {
        let a = self.pick(M_PROXY, Sfb::Any, &[])?;
        let b = self.pick(M_MAIL, Sfb::Any, &[a])?;
        let addr = self.dir.alias_address(a as usize);
        let proxy = format!("smtp:{addr}");
        let o = self.ovr(a);
        o.proxy_drop_alias = true;
        o.proxy_add.push(proxy.clone());
        self.ovr(b).mail = Some(Some(addr.clone()));
        self.rec(
            "PA-DUP",
            b,
            "mail",
            addr,
            Some("mail equal to another object's secondary smtp: proxy"),
        );
        self.rec(
            "PA-DUP",
            a,
            "proxyAddresses",
            proxy,
            Some("secondary proxy that another object uses as its mail"),
        );
        Some(())
    }

    fn proxy_single(
        &mut self,
        rule: &'static str,
        f: impl FnOnce(&mut Self, u32) -> (String, Option<&'static str>),
    ) -> Option<()> {
        let u = self.pick(M_PROXY, Sfb::Any, &[])?;
        let (v, note) = f(self, u);
        self.rec(rule, u, "proxyAddresses", v, note);
        Some(())
    }

    fn nick_single(&mut self, rule: &'static str, f: impl Fn(&str) -> String) -> Option<()> {
        let u = self.pick(M_NICK, Sfb::Any, &[])?;
        let v = f(&self.dir.base_nickname(u as usize)?);
        self.ovr(u).nickname = Some(Some(v.clone()));
        self.rec(rule, u, "mailNickname", v, None);
        Some(())
    }

    fn nick_dup(&mut self) -> Option<()> {
        let a = self.pick(M_NICK, Sfb::Any, &[])?;
        let b = self.pick(M_NICK, Sfb::Any, &[a])?;
        let v = self.dir.base_nickname(a as usize)?;
        self.ovr(b).nickname = Some(Some(v.clone()));
        self.rec(
            "NICK-DUP",
            a,
            "mailNickname",
            v.clone(),
            Some("holder of the original value"),
        );
        self.rec("NICK-DUP", b, "mailNickname", v, None);
        Some(())
    }

    fn sip_dup(&mut self) -> Option<()> {
        let a = self.pick(M_SIP, Sfb::OnPrem, &[])?;
        let b = self.pick(M_SIP, Sfb::OnPrem, &[a])?;
        let v = self.dir.base_sip(a as usize);
        self.ovr(b).sip = Some(v.clone());
        self.rec(
            "SIP-DUP",
            a,
            "msRTCSIP-PrimaryUserAddress",
            v.clone(),
            Some("holder of the original value"),
        );
        self.rec(
            "SIP-DUP",
            b,
            "msRTCSIP-PrimaryUserAddress",
            v,
            Some("also SIP-UPN: its SIP address no longer matches its UPN"),
        );
        Some(())
    }
}

/// User-level defects; runs before groups are built so that hosts stay out of the pilots.
pub(crate) fn inject_user_defects(dir: &mut Directory) {
    let mut rng = Rng::new(dir.seed, 3);
    let picker = Picker::new(dir, &mut rng);
    let k = instances(dir.requested);
    let mut inj = Injector {
        dir,
        picker,
        instance: 0,
        failed: Vec::new(),
    };
    for _ in 0..k {
        for rule in INJECTED_RULES {
            inj.run(rule);
        }
    }
    let failed = std::mem::take(&mut inj.failed);
    for rule in failed {
        dir.notes.push(format!(
            "{rule}: not injected (or not every instance): too few eligible users for {} requested",
            dir.requested
        ));
    }
}

/// CONTACT-MAIL and DL-MAIL, once contacts and groups exist.
pub(crate) fn inject_group_and_contact_defects(dir: &mut Directory) {
    let n = dir.contacts.len();
    let k = instances(dir.requested).min(n.saturating_sub(1));
    let mut instance = 1_000_000u32;
    for i in 0..k {
        let c = (i * (n / k.max(1)) + n / 2) % n.max(1);
        if let Some(ct) = dir.contacts.get_mut(c) {
            if ct.no_mail {
                continue;
            }
            ct.no_mail = true;
            instance += 1;
            dir.defects.push(Expect {
                rule: "CONTACT-MAIL",
                target: Target::Contact(c as u32),
                attribute: "mail",
                value: String::new(),
                note: Some("contact without mail or proxyAddresses: not synced".into()),
                instance,
            });
        }
    }
    for g in 0..dir.groups.len() {
        if dir.groups[g].kind == GroupKind::LegacyDl {
            instance += 1;
            dir.defects.push(Expect {
                rule: "DL-MAIL",
                target: Target::Group(g as u32),
                attribute: "mail",
                value: String::new(),
                note: Some("distribution group that is not mail-enabled: not synced".into()),
                instance,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(
            case_variant("jose.garcia@contoso.com"),
            "Jose.Garcia@contoso.com"
        );
        assert_eq!(break_at_dot("jose.garcia", "&"), "jose&garcia");
        assert_eq!(break_at_dot("jgarcia", ":"), "j:garcia");
        assert_eq!(pad_to("ab.", "xyz", 7), "ab.xyzx");
        assert_eq!(pad_to("jose.", "longlocalpart", 65).len(), 65);
    }
}
