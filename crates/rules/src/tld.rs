//! Is a domain internet-routable? Its top-level domain checked against a bundled, dated copy of
//! the ICANN section of the Public Suffix List, and the suffixes that can never be verified named
//! explicitly.
//!
//! IdFix checks a static `domains.txt` of 920 TLDs that misses `.app`, `.shop` and hundreds more,
//! and cannot name why `.local` fails. Here the list is current as of [`TLD_LIST_DATE`] (shown
//! by `hybridready explain UPN-TLD`), `xn--` TLDs are known, and `.local`, `.lan`, `.internal`,
//! `.corp`, `.localdomain`, `.home`, `.test` and single-label names are reported by name.

use super::text::domain_problem;
use hashbrown::HashSet;
use hybridready_assessment::finding::{self, AddressProblem};
use std::sync::LazyLock;

/// The list's date, spelled once as a literal so rule texts can `concat!` it.
macro_rules! tld_list_date {
    () => {
        "2026-10-22"
    };
}
pub(crate) use tld_list_date;

/// The VERSION date of the bundled Public Suffix List copy.
pub const TLD_LIST_DATE: &str = tld_list_date!();

const TLD_LIST: &str = include_str!("data/tlds.txt");

static TLDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    TLD_LIST
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Suffixes reserved for private use or never delegated: they cannot be verified in a tenant.
const NON_ROUTABLE: &[&str] = &[
    "local",
    "lan",
    "internal",
    "corp",
    "localdomain",
    "home",
    "test",
    "localhost",
    "invalid",
    "example",
    "intranet",
    "private",
    "priv",
    "domain",
    "home.arpa",
];

/// Why a domain is not internet-routable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotRoutable {
    /// A known private-use suffix, e.g. `local`.
    Reserved(&'static str),
    /// `contoso` with no dot.
    SingleLabel,
    /// A top-level domain the list does not have.
    UnknownTld(String),
}

impl NotRoutable {
    /// Why, as a finding's message carries it.
    pub fn typed(&self) -> finding::NotRoutable {
        match self {
            NotRoutable::Reserved(s) => finding::NotRoutable::Reserved {
                suffix: (*s).to_string(),
            },
            NotRoutable::SingleLabel => finding::NotRoutable::SingleLabel,
            NotRoutable::UnknownTld(t) => finding::NotRoutable::UnknownTld {
                tld: t.clone(),
                list_date: TLD_LIST_DATE.to_string(),
            },
        }
    }

    /// The address problem of an address at `domain`.
    pub fn address_problem(&self, domain: &str) -> AddressProblem {
        AddressProblem::NotRoutable {
            domain: domain.to_string(),
            why: self.typed(),
        }
    }
}

/// Whether `tld` (without a dot, any case) is a delegated top-level domain.
pub fn is_public_tld(tld: &str) -> bool {
    if tld
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        TLDS.contains(tld)
    } else {
        TLDS.contains(tld.to_lowercase().as_str())
    }
}

/// Whether `domain` is `suffix` or ends in `.suffix`, ignoring ASCII case.
fn has_suffix(domain: &str, suffix: &str) -> bool {
    let (d, s) = (domain.as_bytes(), suffix.as_bytes());
    d.len() >= s.len()
        && d[d.len() - s.len()..].eq_ignore_ascii_case(s)
        && (d.len() == s.len() || d[d.len() - s.len() - 1] == b'.')
}

/// `Ok` when the domain's suffix is a public top-level domain and not a reserved one.
pub fn routability(domain: &str) -> Result<(), NotRoutable> {
    judged(domain, |j| j.routable.clone())
}

/// Whether `domain` is well-formed (see [`domain_problem`]) and routable: a domain a suggested
/// address may use.
pub fn is_usable_domain(domain: &str) -> bool {
    judged(domain, |j| {
        j.routable.is_ok()
            && *j
                .well_formed
                .get_or_insert_with(|| domain_problem(domain).is_none())
    })
}

/// What is known of a domain name, worked out once per domain per thread.
struct Judged {
    routable: Result<(), NotRoutable>,
    /// Worked out when first asked: most domains are only asked whether they are routable.
    well_formed: Option<bool>,
}

/// `f` of what is known of `domain`. A directory uses a handful of domains a million times: the
/// last few are remembered per thread.
fn judged<R>(domain: &str, f: impl FnOnce(&mut Judged) -> R) -> R {
    thread_local! {
        static RECENT: std::cell::RefCell<Vec<(String, Judged)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        // The last one met first: users come grouped by OU, so the hit is nearly always the first.
        let same =
            |d: &str| d.len() == domain.len() && (d == domain || d.eq_ignore_ascii_case(domain));
        match recent.iter().position(|(d, _)| same(d)) {
            Some(0) => {}
            Some(i) => recent.swap(0, i),
            None => {
                let j = Judged {
                    routable: routability_uncached(domain),
                    well_formed: None,
                };
                if recent.len() == 8 {
                    recent.pop();
                }
                recent.insert(0, (domain.to_string(), j));
            }
        }
        f(&mut recent[0].1)
    })
}

fn routability_uncached(domain: &str) -> Result<(), NotRoutable> {
    let domain = domain.trim_end_matches('.');
    if let Some(&r) = NON_ROUTABLE.iter().find(|r| has_suffix(domain, r)) {
        return Err(NotRoutable::Reserved(r));
    }
    match domain.rsplit_once('.') {
        None => Err(NotRoutable::SingleLabel),
        Some((_, tld)) if is_public_tld(tld) => Ok(()),
        Some((_, tld)) => Err(NotRoutable::UnknownTld(tld.to_lowercase())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_is_the_dated_one() {
        let version = TLD_LIST
            .lines()
            .find_map(|l| l.strip_prefix("# VERSION: "))
            .expect("tlds.txt names its version");
        assert!(
            version.starts_with(TLD_LIST_DATE),
            "{version} vs {TLD_LIST_DATE}"
        );
        assert!(TLDS.len() > 1400);
    }

    #[test]
    fn current_tlds_pass_and_private_suffixes_are_named() {
        for ok in [
            "contoso.com",
            "x.app",
            "x.shop",
            "a.b.swiss",
            "x.africa",
            "shop.xn--fiqs8s",
            "x.CLOUD",
        ] {
            assert_eq!(routability(ok), Ok(()), "{ok}");
        }
        assert_eq!(
            routability("contoso.local"),
            Err(NotRoutable::Reserved("local"))
        );
        assert_eq!(
            routability("corp.contoso.lan"),
            Err(NotRoutable::Reserved("lan"))
        );
        assert_eq!(
            routability("x.internal"),
            Err(NotRoutable::Reserved("internal"))
        );
        assert_eq!(routability("x.corp"), Err(NotRoutable::Reserved("corp")));
        assert_eq!(
            routability("x.localdomain"),
            Err(NotRoutable::Reserved("localdomain"))
        );
        assert_eq!(routability("contoso"), Err(NotRoutable::SingleLabel));
        assert_eq!(
            routability("x.nosuchtld"),
            Err(NotRoutable::UnknownTld("nosuchtld".into()))
        );
        // `.local` inside a longer label is not the suffix.
        assert_eq!(
            routability("x.nonlocal"),
            Err(NotRoutable::UnknownTld("nonlocal".into()))
        );
    }
}
