//! The injected defects: every rule is covered, each recorded defect is in the files, and an
//! independent re-check of the files finds exactly the recorded defects (plus the documented
//! systemic findings), nothing more.

mod generate_util;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use generate_util::*;
use hybridready::generate::{Dialect, INJECTED_RULES, Manifest};

struct Obj {
    class: &'static str,
    row: HashMap<String, String>,
}

impl Obj {
    fn get(&self, k: &str) -> &str {
        self.row.get(k).map(String::as_str).unwrap_or("")
    }
    fn dn(&self) -> &str {
        self.get("DistinguishedName")
    }
}

fn load_ps7(out: &std::path::Path) -> Vec<Obj> {
    let mut objs = Vec::new();
    for (file, class) in [
        ("users.csv", "user"),
        ("groups.csv", "group"),
        ("contacts.csv", "contact"),
    ] {
        let t = read_csv(&out.join(file), Enc::Utf8, b',');
        objs.extend(t.rows.into_iter().map(|row| Obj { class, row }));
    }
    objs
}

fn rule_dns(m: &Manifest, rule: &str) -> BTreeSet<String> {
    m.defects
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| d.dn.clone())
        .collect()
}

fn dups<'a>(items: impl Iterator<Item = (String, &'a str)>) -> BTreeSet<String> {
    let mut by: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (k, dn) in items {
        if !k.is_empty() {
            by.entry(k).or_default().insert(dn);
        }
    }
    by.values()
        .filter(|s| s.len() > 1)
        .flat_map(|s| s.iter().map(|x| x.to_string()))
        .collect()
}

fn smtp_proxies(o: &Obj) -> Vec<String> {
    split(o.get("proxyAddresses"))
        .into_iter()
        .filter(|p| p.to_ascii_lowercase().starts_with("smtp:"))
        .collect()
}

/// An independent, deliberately plain re-implementation of the rules the generator injects.
fn findings(objs: &[Obj], excluded: &BTreeSet<String>) -> BTreeMap<&'static str, BTreeSet<String>> {
    let mut f: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    let live: Vec<&Obj> = objs.iter().filter(|o| !excluded.contains(o.dn())).collect();
    let users: Vec<&Obj> = live.iter().copied().filter(|o| o.class == "user").collect();
    for u in &users {
        let upn = u.get("UserPrincipalName");
        let (local, suffix) = upn.rsplit_once('@').unwrap_or((upn, ""));
        if upn.is_empty() {
            add(&mut f, "UPN-BLANK", u.dn());
        }
        if local
            .chars()
            .any(|c| c.is_whitespace() || "\\%&*+/=?{}|<>();:,[]\"".contains(c))
        {
            add(&mut f, "UPN-CHAR", u.dn());
        }
        if !upn.is_ascii() {
            add(&mut f, "UPN-NONASCII", u.dn());
        }
        if local.chars().count() > 64 {
            add(&mut f, "UPN-LEN-LOCAL", u.dn());
        }
        if (suffix.ends_with(".local") || suffix.ends_with(".lan"))
            && suffix != "corp.contoso.local"
        {
            add(&mut f, "UPN-TLD", u.dn());
        }
        let sam = u.get("SamAccountName");
        if sam.chars().count() > 20 {
            add(&mut f, "SAM-LEN", u.dn());
        }
        if sam.chars().any(|c| "[\\\"|,/:<>+=;?*']".contains(c)) {
            add(&mut f, "SAM-CHAR", u.dn());
        }
        let disp = u.get("DisplayName");
        // An empty cell is no displayName, not a blank one.
        if !disp.is_empty() && disp.trim().is_empty() {
            add(&mut f, "DN-BLANK", u.dn());
        } else if disp.trim() != disp {
            add(&mut f, "DN-WS", u.dn());
        }
        if u.get("GivenName").chars().count() > 64 {
            add(&mut f, "GN-LEN", u.dn());
        }
        let ta = u.get("targetAddress");
        let ta_body = ta.split_once(':').map_or(ta, |x| x.1);
        if ta_body
            .chars()
            .any(|c| c.is_whitespace() || "\\<>();,[]\"".contains(c))
        {
            add(&mut f, "TA-CHAR", u.dn());
        }
        if split(u.get("userCertificate")).len() > 15 {
            add(&mut f, "CERT-COUNT", u.dn());
        }
        if u.get("msRTCSIP-UserEnabled") == "True" {
            let sip = u.get("msRTCSIP-PrimaryUserAddress");
            if u.get("msRTCSIP-DeploymentLocator").is_empty() {
                add(&mut f, "SIP-PRESENT", u.dn());
            }
            if !sip.starts_with("sip:") || !sip.contains('@') {
                add(&mut f, "SIP-FORMAT", u.dn());
            }
            let bare = sip.strip_prefix("sip:").unwrap_or(sip);
            if !bare.eq_ignore_ascii_case(upn) {
                add(&mut f, "SIP-UPN", u.dn());
            }
        }
    }
    for o in &live {
        let nick = o.get("mailNickname");
        if nick.starts_with('.') {
            add(&mut f, "NICK-DOT", o.dn());
        }
        if nick
            .chars()
            .any(|c| c.is_whitespace() || "\\!#$%&*+/=?^`{}|~<>()';:,[]\"@".contains(c))
        {
            add(&mut f, "NICK-CHAR", o.dn());
        }
        let proxies = smtp_proxies(o);
        let primaries = split(o.get("proxyAddresses"))
            .iter()
            .filter(|p| p.starts_with("SMTP:"))
            .count();
        if !split(o.get("proxyAddresses")).is_empty() && primaries != 1 {
            add(&mut f, "PA-PRIMARY", o.dn());
        }
        let mut seen = BTreeSet::new();
        for p in &proxies {
            let body = &p[5..];
            if body.contains(':') {
                add(&mut f, "PA-COLON", o.dn());
            }
            if body
                .chars()
                .any(|c| c.is_whitespace() || "<>();,[]\"".contains(c))
            {
                add(&mut f, "PA-SMTP-CHAR", o.dn());
            }
            if !seen.insert(body.to_lowercase()) {
                add(&mut f, "PA-SELFDUP", o.dn());
            }
        }
        if o.class == "contact" && o.get("mail").is_empty() {
            add(&mut f, "CONTACT-MAIL", o.dn());
        }
        if o.class == "group"
            && o.get("GroupCategory") == "Distribution"
            && o.get("mail").is_empty()
        {
            add(&mut f, "DL-MAIL", o.dn());
        }
    }
    for (rule, set) in [
        (
            "UPN-DUP",
            dups(
                users
                    .iter()
                    .map(|u| (u.get("UserPrincipalName").to_lowercase(), u.dn())),
            ),
        ),
        (
            "SAM-DUP",
            dups(
                users
                    .iter()
                    .map(|u| (u.get("SamAccountName").to_lowercase(), u.dn())),
            ),
        ),
        (
            "MAIL-DUP",
            dups(live.iter().map(|o| (o.get("mail").to_lowercase(), o.dn()))),
        ),
        (
            "NICK-DUP",
            dups(
                live.iter()
                    .map(|o| (o.get("mailNickname").to_lowercase(), o.dn())),
            ),
        ),
        (
            "SIP-DUP",
            dups(
                users
                    .iter()
                    .filter(|u| u.get("msRTCSIP-UserEnabled") == "True")
                    .map(|u| {
                        let s = u.get("msRTCSIP-PrimaryUserAddress").to_lowercase();
                        (s.trim_start_matches("sip:").to_string(), u.dn())
                    }),
            ),
        ),
    ] {
        if !set.is_empty() {
            f.insert(rule, set);
        }
    }
    // PA-DUP: an address held by two objects where at least one holds it as a proxy.
    let mut holders: BTreeMap<String, Vec<(&str, bool)>> = BTreeMap::new();
    for o in &live {
        let mut mine: BTreeMap<String, bool> = BTreeMap::new();
        if !o.get("mail").is_empty() {
            mine.insert(o.get("mail").to_lowercase(), false);
        }
        for p in smtp_proxies(o) {
            mine.insert(p[5..].to_lowercase(), true);
        }
        for (a, via_proxy) in mine {
            holders.entry(a).or_default().push((o.dn(), via_proxy));
        }
    }
    for hs in holders.values() {
        if hs.len() > 1 && hs.iter().any(|h| h.1) {
            for h in hs {
                add(&mut f, "PA-DUP", h.0);
            }
        }
    }
    f
}

fn add(f: &mut BTreeMap<&'static str, BTreeSet<String>>, rule: &'static str, dn: &str) {
    f.entry(rule).or_default().insert(dn.to_string());
}

fn excluded(m: &Manifest) -> BTreeSet<String> {
    m.system_accounts
        .iter()
        .filter(|s| s.expected_exclusion.is_some())
        .map(|s| s.dn.clone())
        .collect()
}

#[test]
fn every_rule_is_injected_from_fifty_users() {
    for n in [50, 51, 64, 99, 500] {
        let (_t, rep) = make(Dialect::Ps7, n, n as u64);
        let got: BTreeSet<&str> = rep
            .manifest
            .defects
            .iter()
            .map(|d| d.rule.as_str())
            .collect();
        for rule in INJECTED_RULES {
            assert!(
                got.contains(rule),
                "{rule} missing at {n} users: {:?}",
                rep.manifest.notes
            );
        }
    }
}

#[test]
fn an_independent_check_finds_exactly_the_recorded_defects() {
    for (n, seed) in [(60, 1), (400, 2), (1500, 3)] {
        let (_t, rep) = make(Dialect::Ps7, n, seed);
        let m = &rep.manifest;
        let out = rep.files[0].parent().unwrap();
        let objs = load_ps7(out);
        let found = findings(&objs, &excluded(m));
        for rule in INJECTED_RULES.iter().copied().filter(|r| *r != "SIP-UPN") {
            let want = rule_dns(m, rule);
            let got = found.get(rule).cloned().unwrap_or_default();
            assert_eq!(got, want, "{rule} at {n} users");
        }
        // SIP-UPN: the injected ones, the SIP-DUP copies, and the systemic ones.
        let expected = rule_dns(m, "SIP-UPN").len()
            + m.defects
                .iter()
                .filter(|d| {
                    d.rule == "SIP-DUP" && d.note.as_deref().unwrap_or("").contains("SIP-UPN")
                })
                .count()
            + m.systemic
                .iter()
                .filter(|s| s.rule == "SIP-UPN")
                .map(|s| s.count)
                .sum::<usize>();
        assert_eq!(
            found.get("SIP-UPN").map_or(0, |s| s.len()),
            expected,
            "SIP-UPN at {n}"
        );
        let local = objs
            .iter()
            .filter(|o| o.get("UserPrincipalName").ends_with("@corp.contoso.local"))
            .count();
        let sys = m.systemic.iter().find(|s| s.rule == "UPN-TLD").unwrap();
        assert_eq!(local, sys.count);
    }
}

#[test]
fn without_defects_the_files_are_clean() {
    let (_t, rep) = make_opts(Dialect::Ps7, 400, 5, false);
    let m = &rep.manifest;
    assert!(m.defects.is_empty() && m.defects_not_exported.is_empty());
    let out = rep.files[0].parent().unwrap();
    let found = findings(&load_ps7(out), &excluded(m));
    let rules: BTreeSet<&str> = found.keys().copied().collect();
    assert_eq!(rules, BTreeSet::from(["SIP-UPN"]), "{found:?}");
}

#[test]
fn recorded_values_are_the_exported_values() {
    let (_t, rep) = make(Dialect::Ps7, 300, 11);
    let out = rep.files[0].parent().unwrap();
    let objs = load_ps7(out);
    let by_dn: HashMap<&str, &Obj> = objs.iter().map(|o| (o.dn(), o)).collect();
    for d in &rep.manifest.defects {
        let o = by_dn
            .get(d.dn.as_str())
            .unwrap_or_else(|| panic!("{} not exported", d.dn));
        let col = match (o.class, d.attribute.as_str()) {
            ("user", "userPrincipalName") => "UserPrincipalName",
            ("user", "sAMAccountName") => "SamAccountName",
            ("user", "displayName") => "DisplayName",
            ("user", "givenName") => "GivenName",
            (_, "userCertificate") => "userCertificate",
            (_, a) => a,
        };
        let v = o.get(col);
        match d.attribute.as_str() {
            "proxyAddresses" => assert!(split(v).contains(&d.value), "{d:?}"),
            "userCertificate" => assert_eq!(split(v).len().to_string(), d.value),
            _ => assert_eq!(v, d.value, "{d:?}"),
        }
    }
    for nd in &rep.manifest.non_defects {
        assert!(by_dn.contains_key(nd.dn.as_str()), "{nd:?}");
    }
    assert!(
        rep.manifest
            .non_defects
            .iter()
            .any(|d| d.value.contains("o'brien@contoso.com"))
    );
    assert!(
        rep.manifest
            .non_defects
            .iter()
            .any(|d| d.dn.starts_with("CN=Smith\\, John,"))
    );
    assert!(rep.manifest.non_defects.iter().any(|d| d.value.starts_with(
        "X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn="
    )));
}

#[test]
fn defects_stay_rare_in_a_large_directory() {
    let (_t, rep) = make(Dialect::Ps7, 5000, 13);
    let objects: BTreeSet<&str> = rep.manifest.defects.iter().map(|d| d.dn.as_str()).collect();
    assert!(
        objects.len() * 100 <= rep.manifest.users,
        "{} defective objects",
        objects.len()
    );
}

#[test]
fn adrecon_keeps_what_it_can_carry() {
    let (_t, rep) = make(Dialect::Adrecon, 300, 17);
    let m = &rep.manifest;
    let shown: BTreeSet<&str> = m.defects.iter().map(|d| d.rule.as_str()).collect();
    assert_eq!(
        shown,
        BTreeSet::from(["MAIL-DUP", "SAM-CHAR", "SAM-DUP", "SAM-LEN"])
    );
    let hidden: BTreeSet<&str> = m
        .defects_not_exported
        .iter()
        .map(|d| d.rule.as_str())
        .collect();
    assert!(
        hidden.contains("UPN-DUP") && hidden.contains("PA-DUP") && hidden.contains("CONTACT-MAIL")
    );
    assert_eq!(shown.len() + hidden.len(), INJECTED_RULES.len());
}

#[test]
fn ps51_reports_values_as_exported() {
    let (_t, rep) = make(Dialect::Ps51, 300, 11);
    let d = rep
        .manifest
        .defects
        .iter()
        .find(|d| d.rule == "UPN-NONASCII")
        .unwrap();
    assert!(d.value.contains('?') && d.note.is_some(), "{d:?}");
    let out = rep.files[0].parent().unwrap();
    let t = read_csv(&out.join("users.csv"), Enc::Ascii, b',');
    assert!((0..t.rows.len()).any(|i| t.col(i, "UserPrincipalName") == d.value));
}

#[test]
fn pilots_and_contractors_are_as_described() {
    let (_t, rep) = make(Dialect::Ps7, 2000, 21);
    let m = &rep.manifest;
    let out = rep.files[0].parent().unwrap();
    let objs = load_ps7(out);
    let pilots: Vec<&Obj> = objs
        .iter()
        .filter(|o| o.class == "user" && split(o.get("MemberOf")).contains(&m.pilot_group_dn))
        .collect();
    assert_eq!(pilots.len(), m.pilot_users);
    assert!(pilots.len() * 100 >= m.sfb_users && pilots.len() * 100 <= m.sfb_users * 3);
    for p in &pilots {
        assert_eq!(p.get("msRTCSIP-UserEnabled"), "True");
        assert_eq!(p.get("msRTCSIP-DeploymentLocator"), "SRV:");
        assert!(split(p.get("MemberOf")).contains(&m.sync_pilot_group_dn));
    }
    let depts: BTreeSet<&str> = pilots.iter().map(|p| p.get("Department")).collect();
    assert!(depts.len() >= 2, "pilot mixes departments");
    let online = objs
        .iter()
        .filter(|o| o.get("msRTCSIP-DeploymentLocator") == "sipfed.online.lync.com")
        .count();
    assert_eq!(online, m.sfb_online);
    let contoso_contractors = &m.contractors_ou_dns[0];
    let partner_sips = objs
        .iter()
        .filter(|o| o.dn().ends_with(contoso_contractors.as_str()))
        .filter(|o| o.get("msRTCSIP-UserEnabled") == "True")
        .filter(|o| {
            o.get("msRTCSIP-PrimaryUserAddress")
                .ends_with("@contoso-partners.com")
        })
        .count();
    assert!(partner_sips > 0);
    let contractors = objs
        .iter()
        .filter(|o| o.dn().contains(",OU=Contractors,"))
        .count();
    let staff = m.users_requested;
    assert!(
        contractors * 100 > staff * 5 && contractors * 100 < staff * 12,
        "{contractors}"
    );
}
