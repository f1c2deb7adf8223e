//! A user's names before any defect override: CN, DN, the local part shared by UPN, mail,
//! mailNickname and SIP address, sAMAccountName, proxyAddresses. Kept apart from the model's
//! construction because every writer and the defect injector derive values from here.

use super::fmt::escape_rdn;
use super::model::{
    DOMAINS, Directory, Kind, OuKind, PARTNER_SIP_DOMAIN, Place, TENANT_ROUTING_DOMAIN, flag,
    place_dn, push_suffix,
};
use super::names::{GIVEN, SURNAMES, fold_ascii};

impl Directory {
    pub(crate) fn cn(&self, u: usize, out: &mut String) {
        let Some(user) = self.users.get(u) else {
            return;
        };
        let d = &DOMAINS[user.domain as usize % 3];
        match user.kind {
            Kind::Staff => {
                let (g, s) = self.names(u);
                if user.has(flag::COMMA) {
                    out.push_str(s);
                    out.push_str(", ");
                    out.push_str(g);
                } else {
                    out.push_str(g);
                    out.push(' ');
                    out.push_str(s);
                }
                push_suffix(user.cn_n, " ", out);
            }
            Kind::Administrator => out.push_str("Administrator"),
            Kind::Guest => out.push_str("Guest"),
            Kind::Krbtgt => out.push_str("krbtgt"),
            Kind::Msol => out.push_str("MSOL_0123456789ab"),
            Kind::Aad => out.push_str("AAD_0123456789ab"),
            Kind::Support => out.push_str("SUPPORT_388945a0"),
            Kind::SystemMailbox => {
                out.push_str("SystemMailbox{1f05a927-3be2-4fb9-aa03-b59fe3b56f4c}")
            }
            Kind::HealthMailbox => out.push_str("HealthMailbox3f9c2b1e7d5a4c8b9e0f1a2b3c4d5e6f"),
            Kind::DiscoveryMailbox => {
                out.push_str("DiscoverySearchMailbox {D919BA05-46A6-415f-80AD-7E09334BB852}")
            }
            Kind::Service => {
                out.push_str("svc-backup-");
                out.push_str(&d.netbios.to_ascii_lowercase());
            }
        }
    }

    pub(crate) fn user_dn(&self, u: usize, out: &mut String) {
        let Some(user) = self.users.get(u) else {
            return;
        };
        let mut cn = String::new();
        self.cn(u, &mut cn);
        out.push_str("CN=");
        escape_rdn(&cn, out);
        out.push(',');
        place_dn(&self.domains[user.domain as usize % 3], user.place, out);
    }

    pub(crate) fn group_dn(&self, g: usize, out: &mut String) {
        let Some(grp) = self.groups.get(g) else {
            return;
        };
        out.push_str("CN=");
        escape_rdn(&grp.name, out);
        out.push(',');
        place_dn(&self.domains[grp.domain as usize % 3], grp.place, out);
    }

    pub(crate) fn contact_cn(&self, c: usize, out: &mut String) {
        if let Some(ct) = self.contacts.get(c) {
            out.push_str(GIVEN.get(ct.first as usize).copied().unwrap_or("Alex"));
            out.push(' ');
            out.push_str(SURNAMES.get(ct.last as usize).copied().unwrap_or("Doe"));
            push_suffix(ct.cn_n, " ", out);
        }
    }

    pub(crate) fn contact_dn(&self, c: usize, out: &mut String) {
        let mut cn = String::new();
        self.contact_cn(c, &mut cn);
        out.push_str("CN=");
        escape_rdn(&cn, out);
        out.push(',');
        place_dn(&self.domains[0], Place::Ou(OuKind::Contacts), out);
    }

    pub(crate) fn ou_dn(&self, o: usize, out: &mut String) {
        if let Some(ou) = self.ous.get(o) {
            place_dn(
                &self.domains[ou.domain as usize % 3],
                Place::Ou(ou.kind),
                out,
            );
        }
    }

    /// Local part shared by UPN, mail and (without apostrophes) mailNickname.
    pub(crate) fn local_part(&self, u: usize) -> String {
        let Some(user) = self.users.get(u) else {
            return String::new();
        };
        match user.kind {
            Kind::Staff => {
                let (g, s) = self.names(u);
                let mut out = String::new();
                fold_ascii(g, &['-'], &mut out);
                out.push('.');
                fold_ascii(s, &['-', '\''], &mut out);
                push_suffix(user.upn_n, "", &mut out);
                out
            }
            _ => {
                let mut out = String::new();
                self.cn(u, &mut out);
                out.retain(|c| c != ' ');
                out
            }
        }
    }

    pub(crate) fn base_sam(&self, u: usize) -> String {
        let Some(user) = self.users.get(u) else {
            return String::new();
        };
        match user.kind {
            Kind::Staff => {
                let (g, s) = self.names(u);
                let mut gf = String::new();
                fold_ascii(g, &[], &mut gf);
                let mut sf = String::new();
                fold_ascii(s, &[], &mut sf);
                let mut out = String::from(gf.get(..1).unwrap_or("x"));
                out.push_str(sf.get(..sf.len().min(12)).unwrap_or(""));
                push_suffix(user.sam_n, "", &mut out);
                out
            }
            Kind::SystemMailbox => "SM_3c2f8a1b4d5e6f7a8".to_string(),
            Kind::DiscoveryMailbox => "SM_9d8e7f6a5b4c3d2e1".to_string(),
            Kind::HealthMailbox => "HealthMailbox3f9c2b1".to_string(),
            _ => {
                let mut out = String::new();
                self.cn(u, &mut out);
                out
            }
        }
    }

    pub(crate) fn base_upn(&self, u: usize) -> Option<String> {
        self.base_upn_with(u, &self.local_part(u))
    }

    /// The `*_with` variants take the local part computed once by the caller: a user's view
    /// needs it for UPN, mail, nickname, SIP and proxies.
    pub(crate) fn base_upn_with(&self, u: usize, local: &str) -> Option<String> {
        let user = self.users.get(u)?;
        let suffix = DOMAINS[user.domain as usize % 3].upn_suffix;
        match user.kind {
            Kind::Staff | Kind::SystemMailbox | Kind::HealthMailbox | Kind::DiscoveryMailbox => {
                Some(format!("{local}@{suffix}"))
            }
            Kind::Service => Some(format!("{}@{suffix}", self.base_sam(u))),
            _ => None,
        }
    }

    pub(crate) fn base_mail(&self, u: usize) -> Option<String> {
        self.base_mail_with(u, &self.local_part(u))
    }

    pub(crate) fn base_mail_with(&self, u: usize, local: &str) -> Option<String> {
        let user = self.users.get(u)?;
        let domain = DOMAINS[user.domain as usize % 3].mail_domain;
        match user.kind {
            Kind::Staff | Kind::SystemMailbox | Kind::HealthMailbox | Kind::DiscoveryMailbox => {
                Some(format!("{local}@{domain}"))
            }
            _ => None,
        }
    }

    pub(crate) fn base_nickname(&self, u: usize) -> Option<String> {
        self.base_nickname_with(u, &self.local_part(u))
    }

    pub(crate) fn base_nickname_with(&self, u: usize, local: &str) -> Option<String> {
        let user = self.users.get(u)?;
        match user.kind {
            Kind::Staff | Kind::SystemMailbox | Kind::HealthMailbox | Kind::DiscoveryMailbox => {
                let mut l = local.to_string();
                l.retain(|c| c != '\'');
                Some(l)
            }
            _ => None,
        }
    }

    pub(crate) fn base_display(&self, u: usize) -> Option<String> {
        let user = self.users.get(u)?;
        match user.kind {
            Kind::Staff => {
                let (g, s) = self.names(u);
                Some(if user.has(flag::COMMA) {
                    format!("{s}, {g}")
                } else {
                    format!("{g} {s}")
                })
            }
            Kind::HealthMailbox => Some("HealthMailbox-EXCH01-Mailbox-Database-0412".into()),
            Kind::DiscoveryMailbox => Some("Discovery Search Mailbox".into()),
            Kind::SystemMailbox => Some("Microsoft Exchange".into()),
            Kind::Service => Some(format!(
                "Backup Service Account ({})",
                DOMAINS[user.domain as usize % 3].netbios
            )),
            _ => None,
        }
    }

    /// The address an alias proxy or a defect derived from the sAMAccountName uses.
    pub(crate) fn alias_address(&self, u: usize) -> String {
        let domain = self
            .users
            .get(u)
            .map(|x| DOMAINS[x.domain as usize % 3].mail_domain)
            .unwrap_or("contoso.com");
        format!("{}@{domain}", self.base_sam(u))
    }

    pub(crate) fn sip_domain(&self, u: usize) -> &'static str {
        match self.users.get(u) {
            Some(x) if x.domain == 0 && x.has(flag::CONTRACTOR) => PARTNER_SIP_DOMAIN,
            Some(x) if x.domain == 2 => "contoso.com",
            Some(x) => DOMAINS[x.domain as usize % 3].upn_suffix,
            None => "contoso.com",
        }
    }

    pub(crate) fn base_sip(&self, u: usize) -> String {
        self.base_sip_with(u, &self.local_part(u))
    }

    pub(crate) fn base_sip_with(&self, u: usize, local: &str) -> String {
        format!("sip:{local}@{}", self.sip_domain(u))
    }

    pub(crate) fn x500(&self, u: usize) -> String {
        let h = super::rng::hash3(self.seed, u as u64, 500);
        let h2 = super::rng::hash3(self.seed, u as u64, 501);
        format!(
            "X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn={h:016x}{h2:016x}-{}",
            self.base_nickname(u).unwrap_or_default()
        )
    }

    pub(crate) fn base_target_with(&self, u: usize, local: &str) -> Option<String> {
        let user = self.users.get(u)?;
        if user.kind == Kind::Staff && user.has(flag::REMOTE) {
            Some(format!(
                "SMTP:{}@{TENANT_ROUTING_DOMAIN}",
                self.base_nickname_with(u, local).unwrap_or_default()
            ))
        } else {
            None
        }
    }

    pub(crate) fn base_proxies_with(&self, u: usize, local: &str) -> Vec<String> {
        let Some(user) = self.users.get(u) else {
            return Vec::new();
        };
        let mut v = Vec::new();
        let Some(mail) = self.base_mail_with(u, local) else {
            return v;
        };
        v.push(format!("SMTP:{mail}"));
        if user.kind != Kind::Staff {
            return v;
        }
        if user.has(flag::ALIAS) {
            v.push(format!("smtp:{}", self.alias_address(u)));
        }
        if user.has(flag::REMOTE) {
            v.push(format!(
                "smtp:{}@{TENANT_ROUTING_DOMAIN}",
                self.base_nickname_with(u, local).unwrap_or_default()
            ));
        }
        if user.has(flag::SFB) && user.has(flag::SIP_PROXY) {
            let sip = self.base_sip_with(u, local);
            v.push(format!("SIP:{}", sip.trim_start_matches("sip:")));
        }
        if user.has(flag::X500) {
            v.push(self.x500(u));
        }
        v
    }

    /// UPN after overrides (for the non-defect record and systemic counts).
    pub(crate) fn view_upn_opt(&self, u: usize) -> Option<String> {
        match self.overrides.get(&(u as u32)).and_then(|o| o.upn.clone()) {
            Some(v) => v,
            None => self.base_upn(u),
        }
    }

    pub(crate) fn view_upn(&self, u: usize) -> String {
        self.view_upn_opt(u).unwrap_or_default()
    }
}
