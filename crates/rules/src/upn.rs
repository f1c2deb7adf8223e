//! userPrincipalName: the sign-in name, and the attribute most likely to change on its way to
//! Entra ID.

use super::eval::Out;
use super::registry::{V0_1_0, declare_rules, src};
use super::text::{
    Classes, address_shape_ok, ascii_fold, char_len, class, domain_problem, local_part_problem,
    offending, repaired_domain, split_address, strip, tidy_dots, truncate_chars, upn_allowed,
    upn_invalid,
};
use super::tld::{is_usable_domain, routability, tld_list_date};
use super::{Effect, Field, Fix, Message, Severity, too_long};
use hybridready_assessment::finding::AddressProblem;
use hybridready_directory::{Attr, ObjectKind};

const USER: &[ObjectKind] = &[ObjectKind::User];
const UPN: Field = Field::Attr(Attr::UserPrincipalName);

/// Longest UPN, and its parts before and after the `@`.
pub const MAX_UPN: usize = 113;
pub const MAX_LOCAL: usize = 64;
pub const MAX_DOMAIN: usize = 48;

declare_rules! {
    pub static UPN_BLANK = super::Rule {
        id: "UPN-BLANK",
        severity: Severity::Warning,
        effect: Effect::AltersValue,
        kinds: USER,
        reads: &[UPN, Field::Attr(Attr::SamAccountName)],
        summary: "user without a userPrincipalName",
        explanation: "A user with no UPN still syncs: Entra Connect builds one from \
            sAMAccountName and the AD domain's DNS name, which is rarely a verified domain, so \
            the user signs in as `…@<tenant>.onmicrosoft.com`. The sAMAccountName must then be \
            valid and unique.",
        fix: "Set a UPN with a verified, routable suffix. The suggested value is the \
            sAMAccountName at the user's mail domain (or the first verified domain), when that \
            is routable.",
        source: concat!(src!(m365_prepare), "; ", src!(entra_upn)),
        since: V0_1_0,
    };
    pub static UPN_LEN = super::Rule {
        id: "UPN-LEN",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: USER,
        reads: &[UPN],
        summary: "userPrincipalName longer than 113 characters",
        explanation: "Entra ID accepts at most 113 characters in a UPN (64 before the `@`, 48 \
            after). Longer values fail export.",
        fix: "Shorten the part before the `@`. The suggested value keeps the domain and cuts \
            the name to fit.",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_mt), " (MaxLength 113)"),
        since: V0_1_0,
    };
    pub static UPN_LEN_LOCAL = super::Rule {
        id: "UPN-LEN-LOCAL",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: USER,
        reads: &[UPN],
        summary: "userPrincipalName has more than 64 characters before the @",
        explanation: "The documented limit is 64 characters before the `@` and 48 after, within \
            113 in all. IdFix enforces only the total (its code comment even swaps the two \
            parts), so a 65-character name with a short domain passes IdFix and fails sync.",
        fix: "Shorten the name before the `@`; the suggested value cuts it to 64 characters.",
        source: concat!(src!(m365_prepare), " (not checked by IdFix)"),
        since: V0_1_0,
    };
    pub static UPN_LEN_DOMAIN = super::Rule {
        id: "UPN-LEN-DOMAIN",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: USER,
        reads: &[UPN],
        summary: "userPrincipalName has more than 48 characters after the @",
        explanation: "The documented limit is 48 characters after the `@`. IdFix does not check \
            it. A suffix that long cannot be used: choose a shorter verified domain.",
        fix: "Change the UPN suffix to a shorter verified domain (no value is suggested: a \
            domain cannot be invented).",
        source: concat!(src!(m365_prepare), " (not checked by IdFix)"),
        since: V0_1_0,
    };
    pub static UPN_CHAR = super::Rule {
        id: "UPN-CHAR",
        severity: Severity::Warning,
        effect: Effect::AltersValue,
        kinds: USER,
        reads: &[UPN],
        summary: "userPrincipalName holds a character a UPN may not have",
        explanation: "A UPN may hold only A–Z a–z 0–9 ' . - _ ! # ^ ~ and one `@`; whitespace \
            and `\\ % & * + / = ? { } | < > ( ) ; : , [ ] \"` are invalid. Entra Connect \
            treats an invalid UPN as absent and recalculates it as \
            `<mailNickname>@<tenant>.onmicrosoft.com`, so the user's sign-in name changes. The \
            apostrophe is valid (microsoft-365-docs issue #3251): IdFix still flags it; \
            hybridready does not.",
        fix: "Remove the invalid characters. The suggested value does so (and repairs anything \
            else wrong with the UPN), numbered if the result is already taken.",
        source: concat!(src!(m365_prepare), "; ", src!(entra_upn), "; ", src!(idfix_constants), " (InvalidUpnRegExRegex, minus the apostrophe)"),
        since: V0_1_0,
    };
    pub static UPN_NONASCII = super::Rule {
        id: "UPN-NONASCII",
        severity: Severity::Warning,
        effect: Effect::AltersValue,
        kinds: USER,
        reads: &[UPN],
        summary: "userPrincipalName holds a non-ASCII character (a letter with a diacritic)",
        explanation: "Letters with diacritics (umlauts, accents, tildes) are invalid in a UPN; \
            sync converts Unicode characters to underscores or recalculates the UPN. IdFix \
            checks only ten accented vowels.",
        fix: "Replace the letters with plain ones. The suggested value does (é → e, ß → ss).",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_constants), " (InvalidUpnRegExRegex)"),
        since: V0_1_0,
    };
    pub static UPN_FORMAT = super::Rule {
        id: "UPN-FORMAT",
        severity: Severity::Warning,
        effect: Effect::AltersValue,
        kinds: USER,
        reads: &[UPN],
        summary: "userPrincipalName is not of the form name@domain",
        explanation: "A UPN needs exactly one `@`, not first; the name cannot start or end with \
            `.` or hold two dots in a row; the domain must be dot-separated labels of letters, \
            digits and hyphens. Entra recalculates an invalid UPN as \
            `<mailNickname>@<tenant>.onmicrosoft.com`. Characters flagged by UPN-CHAR and \
            UPN-NONASCII are judged there, not here, so one defect gives one finding.",
        fix: "Correct the UPN to name@verified-domain; the suggested value repairs what can be \
            repaired mechanically.",
        source: concat!(src!(m365_prepare), "; ", src!(entra_design), "; ", src!(idfix_rfc2822)),
        since: V0_1_0,
    };
    pub static UPN_TLD = super::Rule {
        id: "UPN-TLD",
        severity: Severity::Warning,
        effect: Effect::AltersValue,
        kinds: USER,
        reads: &[UPN],
        summary: "userPrincipalName suffix is not internet-routable (.local, .lan, single-label, unknown TLD)",
        explanation: concat!("Only a routable domain can be verified in a tenant; a UPN at \
            `.local`, `.lan`, `.internal`, `.corp`, `.localdomain`, `.home`, `.test`, a \
            single-label name, or a top-level domain that does not exist syncs as \
            `…@<tenant>.onmicrosoft.com`. The top-level domain is checked against the ICANN \
            section of the Public Suffix List of ", tld_list_date!(), ", bundled with \
            hybridready (src/rules/data/tlds.txt), not IdFix's stale list of 920 TLDs that \
            rejects `.app`, `.shop` and every `xn--` domain."),
        fix: "Add a routable UPN suffix to the forest, verify it in the tenant, and change the \
            users' UPN suffix. The suggested value uses the user's mail domain (or the first \
            verified domain) when that is routable.",
        source: concat!(src!(m365_prepare), "; ", src!(m365_nonroutable), "; ", src!(psl), "; ", src!(idfix_rfc2822), " (TopLevelDomain)"),
        since: V0_1_0,
    };
    pub static UPN_UNVERIFIED = super::Rule {
        id: "UPN-UNVERIFIED",
        severity: Severity::Warning,
        effect: Effect::AltersValue,
        kinds: USER,
        reads: &[UPN, Field::Attr(Attr::MailNickname), Field::Attr(Attr::Mail), Field::Attr(Attr::ProxyAddresses)],
        summary: "userPrincipalName suffix is not a verified tenant domain: the UPN becomes …@<tenant>.onmicrosoft.com",
        explanation: "When the UPN suffix is not a verified domain of the tenant, Entra sets the \
            cloud UPN to `<MailNickName>@<initial domain>` (the MOERA), where MailNickName is \
            the on-premises mailNickname, else the prefix of the primary SMTP address, of mail, \
            then of the UPN. Runs only when the scenario lists the verified domains; the \
            suggested value is the UPN the user will get.",
        fix: "Verify the domain in the tenant (if it is routable) or change the UPN suffix to a \
            verified domain before the first sync.",
        source: src!(entra_upn),
        since: V0_1_0,
    };
    pub static UPN_DUP = super::Rule {
        id: "UPN-DUP",
        severity: Severity::Warning,
        effect: Effect::AltersValue,
        kinds: USER,
        reads: &[UPN],
        summary: "userPrincipalName held by another object (as its UPN, mail or proxy address)",
        explanation: "UPNs must be unique, and Entra soft-matches on UPN and proxy addresses, so \
            a UPN equal to another object's mail or smtp proxy collides too. Duplicate attribute \
            resiliency quarantines the conflicting UPN and replaces it with \
            `<prefix>+<4 digits>@<tenant>.onmicrosoft.com`. Every holder gets a finding that \
            names the others, case-insensitively, across users, groups and contacts; IdFix \
            compares UPNs only with UPNs.",
        fix: "Decide which object keeps the value and change the others.",
        source: concat!(src!(m365_prepare), "; ", src!(entra_resiliency), "; ", src!(entra_tshoot), " (AttributeValueMustBeUnique)"),
        since: V0_1_0,
    };
    pub static UPN_PREFIX1 = super::Rule {
        id: "UPN-PREFIX1",
        severity: Severity::Info,
        effect: Effect::Advisory,
        kinds: USER,
        reads: &[UPN],
        summary: "userPrincipalName has a one-character name before the @",
        explanation: "Entra's design guidance recommends a UPN prefix of more than one \
            character; one-letter names are easy to collide with and hard to recognise.",
        fix: "Consider a longer name before the `@`.",
        source: src!(entra_design),
        since: V0_1_0,
    };
}

/// Checks the UPN of a user.
pub(crate) fn check(out: &mut Out) {
    if out.kind != ObjectKind::User {
        return;
    }
    let Some(upn) = out.attr(Attr::UserPrincipalName) else {
        return;
    };
    if upn.is_empty() {
        let fix = blank_suggestion(out).map_or(Fix::None, Fix::Add);
        out.emit(&UPN_BLANK, UPN, "", fix, Message::NoUpn);
        return;
    }
    let before = out.emitted();
    // One repaired value serves every finding on the UPN; computed only when one fires.
    let mut cached: Option<Fix> = None;
    let mut repaired = |out: &Out| {
        cached
            .get_or_insert_with(|| repaired_upn(out, upn).map_or(Fix::None, Fix::Edit))
            .clone()
    };

    let classes = Classes::of(upn);
    let parts = upn.rsplit_once('@');
    let len = classes.char_len(upn);
    if len > MAX_UPN {
        out.emit(&UPN_LEN, UPN, upn, repaired(out), too_long(len, MAX_UPN));
    }
    if let Some((local, domain)) = parts {
        let (l, d) = (classes.char_len(local), classes.char_len(domain));
        if l > MAX_LOCAL {
            out.emit(
                &UPN_LEN_LOCAL,
                UPN,
                upn,
                repaired(out),
                Message::LocalPartTooLong {
                    length: l as u64,
                    max: MAX_LOCAL as u64,
                },
            );
        }
        if d > MAX_DOMAIN {
            out.emit(
                &UPN_LEN_DOMAIN,
                UPN,
                upn,
                Fix::None,
                Message::DomainTooLong {
                    length: d as u64,
                    max: MAX_DOMAIN as u64,
                },
            );
        }
    }
    let bad = if classes.any(class::UPN_BAD) {
        offending(upn, upn_invalid)
    } else {
        String::new()
    };
    if !bad.is_empty() {
        out.emit(
            &UPN_CHAR,
            UPN,
            upn,
            repaired(out),
            Message::InvalidChars { chars: bad.clone() },
        );
    }
    let foreign = if classes.any(class::NON_ASCII) {
        offending(upn, |c| !c.is_ascii())
    } else {
        String::new()
    };
    if !foreign.is_empty() {
        out.emit(
            &UPN_NONASCII,
            UPN,
            upn,
            repaired(out),
            Message::NonAsciiChars {
                chars: foreign.clone(),
            },
        );
    }
    // The structure, once the characters judged above are set aside.
    let structural = if bad.is_empty() && foreign.is_empty() {
        std::borrow::Cow::Borrowed(upn)
    } else {
        strip(upn, |c| upn_invalid(c) || !c.is_ascii())
    };
    if !address_shape_ok(&structural)
        && let Some(problem) = format_problem(&structural)
    {
        out.emit(
            &UPN_FORMAT,
            UPN,
            upn,
            repaired(out),
            Message::AddressFormat { problem },
        );
    }
    if let Some((_, domain)) = parts
        && !domain.is_empty()
        && let Err(why) = routability(domain)
    {
        out.emit(
            &UPN_TLD,
            UPN,
            upn,
            repaired(out),
            Message::DomainNotRoutable {
                domain: domain.to_string(),
                why: why.typed(),
            },
        );
    }
    let valid = out.emitted() == before;
    // A valid UPN is a valid mail and smtp: address too (its characters, shape, domain and length
    // are all within theirs), so the address rules can skip the same text.
    if valid && upn.len() <= 251 {
        out.valid_address = Some(upn);
    }
    if let Some((local, domain)) = parts {
        if out.ctx.is_verified(domain) == Some(false) {
            let (fix, becomes) = match (&out.ctx.rc.initial_domain, moera_name(out, local)) {
                (Some(initial), Some(name)) => {
                    let v = format!("{name}@{}", initial.trim());
                    (Fix::Edit(v.clone()), Some(v))
                }
                _ => (Fix::None, None),
            };
            out.emit(
                &UPN_UNVERIFIED,
                UPN,
                upn,
                fix,
                Message::UnverifiedSuffix {
                    domain: domain.to_string(),
                    becomes,
                },
            );
        }
        if char_len(local) == 1 {
            out.emit(
                &UPN_PREFIX1,
                UPN,
                upn,
                Fix::None,
                Message::OneCharacterBeforeAt,
            );
        }
    }
}

/// What is wrong with the structure of a UPN whose characters are all allowed.
fn format_problem(upn: &str) -> Option<AddressProblem> {
    let ats = upn.matches('@').count();
    if ats == 0 {
        return Some(AddressProblem::NoAt);
    }
    if ats > 1 {
        return Some(AddressProblem::SeveralAts { count: ats as u64 });
    }
    let (local, domain) = split_address(upn)?;
    if let Some(p) = local_part_problem(local) {
        return Some(p);
    }
    domain_problem(domain).map(|problem| AddressProblem::Domain { problem })
}

/// The UPN with everything mechanical repaired: letters folded to ASCII, invalid characters
/// removed, dots tidied, lengths cut, and a non-routable suffix replaced by a routable one.
fn repaired_upn(out: &Out, upn: &str) -> Option<String> {
    let folded = ascii_fold(upn);
    let at = folded.rfind('@')?;
    let local = strip(&folded[..at], |c| !upn_allowed(c) || c == '@');
    let local = tidy_dots(&local);
    let mut domain = repaired_domain(&folded[at + 1..]);
    if routability(&domain).is_err() || domain.len() > MAX_DOMAIN {
        domain = preferred_domain(out)?.into();
    }
    let room = MAX_LOCAL.min(MAX_UPN.checked_sub(domain.len() + 1)?);
    let local = tidy_dots(truncate_chars(&local, room));
    if local.is_empty() || domain.len() > MAX_DOMAIN {
        return None;
    }
    Some([&*local, "@", &domain].concat())
}

/// A routable domain for a user's UPN: the domain of its mail or primary SMTP address, of its
/// AD domain, or the first verified domain; verified ones only, when the verified list is known.
pub(crate) fn preferred_domain(out: &Out) -> Option<String> {
    let primary = out
        .proxies
        .iter()
        .find(|p| p.starts_with("SMTP:"))
        .map(|p| &p[5..]);
    // Judged as written (every test is case-insensitive); only the one chosen is copied, and an
    // address's domain lowercased.
    let from_address = [out.value(Attr::Mail), primary]
        .into_iter()
        .flatten()
        .filter_map(|a| a.rsplit_once('@').map(|(_, d)| d));
    let acceptable = |d: &&str| {
        !d.is_empty()
            && d.len() <= MAX_DOMAIN
            && is_usable_domain(d)
            && out.ctx.is_verified(d) != Some(false)
    };
    if let Some(d) = from_address.into_iter().find(acceptable) {
        return Some(d.to_ascii_lowercase());
    }
    out.dir
        .domain_of(out.id)
        .map(|d| out.dir.domain(d).name.as_str())
        .into_iter()
        .chain(out.ctx.verified().iter().map(String::as_str))
        .find(acceptable)
        .map(str::to_string)
}

fn blank_suggestion(out: &Out) -> Option<String> {
    let sam = out.value(Attr::SamAccountName)?;
    let folded = ascii_fold(sam);
    let local = strip(&folded, |c| !upn_allowed(c) || c == '@');
    let local = tidy_dots(&local);
    let local = truncate_chars(&local, MAX_LOCAL)
        .trim_end_matches('.')
        .to_string();
    (!local.is_empty()).then(|| preferred_domain(out).map(|d| format!("{local}@{d}")))?
}

/// The MailNickName Entra uses for the MOERA: mailNickname, else the prefix of the primary SMTP
/// address, of mail, then of the UPN; with the characters a UPN cannot hold removed.
fn moera_name(out: &Out, upn_local: &str) -> Option<String> {
    let prefix = |a: &str| a.rsplit_once('@').map_or(a, |(l, _)| l).to_string();
    let primary = out
        .proxies
        .iter()
        .find(|p| p.starts_with("SMTP:"))
        .map(|p| prefix(&p[5..]));
    let name = out
        .value(Attr::MailNickname)
        .map(str::to_string)
        .or(primary)
        .or_else(|| out.value(Attr::Mail).map(prefix))
        .unwrap_or_else(|| upn_local.to_string());
    let folded = ascii_fold(&name);
    let name = strip(&folded, |c| !upn_allowed(c) || c == '@');
    let name = tidy_dots(&name);
    let name = truncate_chars(&name, MAX_LOCAL)
        .trim_end_matches('.')
        .to_string();
    (!name.is_empty()).then_some(name)
}
