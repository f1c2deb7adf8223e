//! The rule catalogue: every rule's declaration, gathered from the family modules.
//!
//! A rule is declared once, with [`declare_rules!`], next to its check: id, severity, effect, the
//! object kinds it applies to, the fields it reads, its texts and its public source. Everything
//! else (`hybridready rules`, `explain`, the ingest's "missing column leaves unchecked" text, the
//! summary's per-rule counts) is derived from these declarations.

use super::{Effect, Field, Severity};
use hybridready_directory::ObjectKind;
use std::sync::LazyLock;

/// A rule's declaration.
#[derive(Debug)]
pub struct Rule {
    /// The id of `idfix-entra.md` §5, e.g. `UPN-CHAR`.
    pub id: &'static str,
    /// The severity of its findings, which follows the effect: `blocks-sync` rules are errors,
    /// the others warnings or information.
    pub severity: Severity,
    pub effect: Effect,
    pub kinds: &'static [ObjectKind],
    /// Every field the check reads: a missing column of any of them leaves the rule unchecked.
    pub reads: &'static [Field],
    /// One line: what it finds.
    pub summary: &'static str,
    /// Why it matters, and how hybridready differs from IdFix where it does.
    pub explanation: &'static str,
    /// What to do about it (and what the suggested value is, when one is computed).
    pub fix: &'static str,
    /// The public documents and code the rule follows.
    pub source: &'static str,
    /// The hybridready version the rule appeared in.
    pub since: &'static str,
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}
impl Eq for Rule {}

/// Declares the rules of a family: one `pub static` per rule, and the family's list `RULES`,
/// which [`all`] gathers. Writing a rule anywhere else is not possible: the list is generated.
macro_rules! declare_rules {
    ($( $(#[$meta:meta])* pub static $name:ident = $rule:expr; )*) => {
        $( $(#[$meta])* pub static $name: $crate::Rule = $rule; )*
        pub(super) static RULES: &[&$crate::Rule] = &[ $( &$name ),* ];
    };
}
pub(crate) use declare_rules;

/// Public sources, named once and joined with `concat!` in the declarations.
macro_rules! src {
    (m365_prepare) => {
        "MicrosoftDocs/microsoft-365-docs: microsoft-365/enterprise/prepare-for-directory-synchronization.md"
    };
    (m365_domain_users) => {
        "MicrosoftDocs/microsoft-365-docs: microsoft-365/admin/setup/manage-domain-users.md"
    };
    (m365_nonroutable) => {
        "MicrosoftDocs/microsoft-365-docs: microsoft-365/enterprise/prepare-a-non-routable-domain-for-directory-synchronization.md"
    };
    (entra_default) => {
        "MicrosoftDocs/entra-docs: docs/identity/hybrid/connect/concept-azure-ad-connect-sync-default-configuration.md"
    };
    (entra_upn) => {
        "MicrosoftDocs/entra-docs: docs/identity/hybrid/connect/plan-connect-userprincipalname.md"
    };
    (entra_design) => {
        "MicrosoftDocs/entra-docs: docs/identity/hybrid/connect/plan-connect-design-concepts.md"
    };
    (entra_tshoot) => {
        "MicrosoftDocs/entra-docs: docs/identity/hybrid/connect/tshoot-connect-sync-errors.md"
    };
    (entra_resiliency) => {
        "MicrosoftDocs/entra-docs: docs/identity/hybrid/connect/how-to-connect-syncservice-duplicate-attribute-resiliency.md"
    };
    (entra_v2) => {
        "MicrosoftDocs/entra-docs: docs/identity/hybrid/connect/how-to-connect-sync-endpoint-api-v2.md"
    };
    (idfix_constants) => {
        "microsoft/idfix: src/IdFix/Settings/Constants.cs"
    };
    (idfix_mt) => {
        "microsoft/idfix: src/IdFix/Rules/MultiTenantRuleCollection.cs"
    };
    (idfix_dedicated) => {
        "microsoft/idfix: src/IdFix/Rules/DedicatedRuleCollection.cs"
    };
    (idfix_rfc2822) => {
        "microsoft/idfix: src/IdFix/Rules/Shared/RFC2822Rule.cs"
    };
    (idfix_proxy) => {
        "microsoft/idfix: src/IdFix/Rules/MultiTentant/ProxyAddressComposedRule.cs"
    };
    (idfix_duplicates) => {
        "microsoft/idfix: src/IdFix/Rules/Shared/NoDuplicatesRule.cs"
    };
    (sfb_aadc) => {
        "MicrosoftDocs/OfficeDocs-SkypeForBusiness: Skype/SfbHybrid/hybrid/configure-azure-ad-connect.md"
    };
    (sfb_multi_forest) => {
        "MicrosoftDocs/OfficeDocs-SkypeForBusiness: Skype/SfbHybrid/hybrid/configure-a-multi-forest-environment-for-hybrid.md"
    };
    (sfb_attributes) => {
        "MicrosoftDocs/OfficeDocs-SkypeForBusiness: Skype/SfbHybrid/hybrid/cloud-consolidation-managing-attributes.md"
    };
    (psl) => {
        "Public Suffix List, ICANN section (publicsuffix.org), bundled as src/rules/data/tlds.txt"
    };
}
pub(crate) use src;

/// The hybridready version that introduced the first catalogue.
pub(crate) const V0_1_0: &str = "0.1.0";

static ALL: LazyLock<Vec<&'static Rule>> = LazyLock::new(|| {
    let mut all: Vec<&'static Rule> = [
        super::scope::RULES,
        super::upn::RULES,
        super::sam::RULES,
        super::names::RULES,
        super::mail::RULES,
        super::nick::RULES,
        super::proxy::RULES,
        super::target::RULES,
        super::anchor::RULES,
        super::sip::RULES,
    ]
    .concat();
    all.sort_by_key(|r| r.id);
    all
});

/// Every rule, sorted by id.
pub fn all() -> &'static [&'static Rule] {
    &ALL
}

/// The columns absent from every input that a rule keeping objects out of sync reads: the
/// objects those rules would stop cannot be seen, so no sync check may pass for want of them.
pub fn unchecked_sync_columns(dir: &hybridready_directory::Directory) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = all()
        .iter()
        .filter(|r| matches!(r.effect, Effect::BlocksSync | Effect::Excluded))
        .flat_map(|r| r.reads.iter())
        .filter_map(|f| match f {
            Field::Attr(a) if !dir.is_known(*a) => Some(a.ldap_name()),
            _ => None,
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The rule with this id (case-insensitive).
pub fn by_id(id: &str) -> Option<&'static Rule> {
    all()
        .iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id.trim()))
}

/// Rules that read `field`, in id order.
pub fn reading(field: Field) -> impl Iterator<Item = &'static Rule> {
    all()
        .iter()
        .copied()
        .filter(move |r| r.reads.contains(&field))
}

/// Ids close to a mistyped one: same family prefix, a shared part, or a small edit distance.
pub fn close_ids(wrong: &str) -> Vec<&'static str> {
    let wrong = wrong.trim().to_ascii_uppercase();
    let family = wrong.split('-').next().unwrap_or_default();
    let mut scored: Vec<(usize, &'static str)> = all()
        .iter()
        .filter_map(|r| {
            let d = edit_distance(&wrong, r.id);
            let same_family = !family.is_empty() && r.id.split('-').next() == Some(family);
            let contains = wrong.len() >= 3 && r.id.contains(wrong.as_str());
            (d <= 2 || same_family || contains).then_some((d, r.id))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(8).map(|(_, id)| id).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;
    use std::collections::BTreeSet;

    /// The rule ids of `idfix-entra.md` §5, as the issue lists them.
    const RESEARCH_IDS: &[&str] = &[
        "SKIP-CRIT",
        "SKIP-CNF",
        "SKIP-SVC",
        "SKIP-EXCH",
        "SKIP-NOSAM",
        "UPN-BLANK",
        "UPN-LEN",
        "UPN-LEN-LOCAL",
        "UPN-LEN-DOMAIN",
        "UPN-CHAR",
        "UPN-NONASCII",
        "UPN-FORMAT",
        "UPN-TLD",
        "UPN-UNVERIFIED",
        "UPN-DUP",
        "UPN-PREFIX1",
        "SAM-LEN",
        "SAM-CHAR",
        "SAM-DUP",
        "DN-BLANK",
        "DN-LEN",
        "DN-WS",
        "GN-LEN",
        "MAIL-LEN",
        "MAIL-FORMAT",
        "MAIL-DUP",
        "NICK-LEN",
        "NICK-DOT",
        "NICK-CHAR",
        "NICK-DUP",
        "PA-LEN",
        "PA-COLON",
        "PA-SMTP-CHAR",
        "PA-SMTP-FORMAT",
        "PA-OTHER-CHAR",
        "PA-X500",
        "PA-DUP",
        "PA-SELFDUP",
        "PA-PRIMARY",
        "PA-COUNT",
        "TA-LEN",
        "TA-CHAR",
        "TA-DUP",
        "CONTACT-MAIL",
        "DL-MAIL",
        "GRP-SIZE",
        "CERT-COUNT",
        "ANCHOR-DUP",
        "ANCHOR-CG",
        "SIP-PRESENT",
        "SIP-VOICE",
        "SIP-FORMAT",
        "SIP-DUP",
        "SIP-UPN",
        "SIP-PROXY",
        "SIP-FOREST",
    ];

    #[test]
    fn ids_are_unique_and_match_the_research_table() {
        let ids: Vec<&str> = all().iter().map(|r| r.id).collect();
        let unique: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "duplicate rule ids");
        let expected: BTreeSet<&str> = RESEARCH_IDS.iter().copied().collect();
        assert_eq!(unique, expected);
        // The table itself, when the shared research notes are beside the checkout (else the
        // check is skipped, as in a fresh clone).
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/research/idfix-entra.md"
        );
        if let Ok(text) = std::fs::read_to_string(path) {
            let section = text
                .split("## 5. Rules to implement")
                .nth(1)
                .unwrap_or_default();
            let table: BTreeSet<&str> = section
                .lines()
                .filter_map(|l| l.strip_prefix("| "))
                .filter_map(|l| l.split(" |").next())
                .map(str::trim)
                .filter(|id| {
                    id.contains('-')
                        && id
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
                })
                .collect();
            assert_eq!(table, expected, "the research table changed");
        }
    }

    #[test]
    fn every_rule_is_fully_documented() {
        for r in all() {
            assert!(!r.summary.trim().is_empty(), "{}: no summary", r.id);
            assert!(
                !r.summary.contains('\n'),
                "{}: summary must be one line",
                r.id
            );
            assert!(r.explanation.trim().len() > 40, "{}: no explanation", r.id);
            assert!(r.fix.trim().len() > 10, "{}: no fix", r.id);
            assert!(!r.source.trim().is_empty(), "{}: no source", r.id);
            assert!(!r.reads.is_empty(), "{}: reads no field", r.id);
            assert!(!r.kinds.is_empty(), "{}: applies to no kind", r.id);
            assert!(!r.since.is_empty(), "{}: no version", r.id);
            if r.id.starts_with("SKIP-") {
                assert_eq!(
                    r.effect,
                    Effect::Excluded,
                    "{}: exclusions take the object out of scope",
                    r.id
                );
            }
        }
    }

    /// One policy: severity follows effect. A finding that blocks sync is an error, and only
    /// those are; one that alters a value is a warning; advisories and out-of-box exclusions are
    /// warnings or information.
    #[test]
    fn severity_follows_effect() {
        for r in all() {
            let allowed: &[Severity] = match r.effect {
                Effect::BlocksSync => &[Severity::Error],
                Effect::AltersValue => &[Severity::Warning],
                Effect::Advisory | Effect::Excluded => &[Severity::Warning, Severity::Info],
            };
            assert!(
                allowed.contains(&r.severity),
                "{}: {} with effect {}",
                r.id,
                r.severity.as_str(),
                r.effect.as_str()
            );
            assert_eq!(
                r.severity == Severity::Error,
                r.effect == Effect::BlocksSync,
                "{}: every error blocks sync, and every blocking finding is an error",
                r.id
            );
        }
        // Entra Connect's out-of-box exclusions (spec: the default sync scope), and only them.
        let excluded: BTreeSet<&str> = all()
            .iter()
            .filter(|r| r.effect == Effect::Excluded)
            .map(|r| r.id)
            .collect();
        let expected = BTreeSet::from([
            "CONTACT-MAIL",
            "DL-MAIL",
            "GRP-SIZE",
            "SKIP-CNF",
            "SKIP-CRIT",
            "SKIP-EXCH",
            "SKIP-NOSAM",
            "SKIP-SVC",
        ]);
        assert_eq!(excluded, expected);
    }

    #[test]
    fn lookups() {
        assert_eq!(by_id("upn-char").map(|r| r.id), Some("UPN-CHAR"));
        assert!(by_id("UPN-NOPE").is_none());
        let close = close_ids("UPN-CHR");
        assert_eq!(close.first(), Some(&"UPN-CHAR"));
        assert!(close_ids("PA-DUPE").contains(&"PA-DUP"));
        assert!(
            reading(Field::Attr(hybridready_directory::Attr::GivenName)).any(|r| r.id == "GN-LEN")
        );
    }
}
