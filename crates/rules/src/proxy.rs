//! proxyAddresses: every address an object receives mail at (`SMTP:` primary, `smtp:`
//! secondaries, `X500:`, `SIP:`, …), checked value by value, then as a set.

use super::eval::Out;
use super::mail::{address_ok, address_problem, repaired_address};
use super::registry::{V0_1_0, declare_rules, src};
use super::text::{
    Classes, class, is_smtp, is_x400_or_x500, offending, other_proxy_invalid, smtp_proxy_invalid,
    split_prefix, strip, x500_invalid,
};
use super::tld::tld_list_date;
use super::{Effect, Field, Fix, Message, Rule, Severity, too_long};
use hybridready_directory::fold::{ci_eq, ci_eq_known};
use hybridready_directory::{Attr, ObjectKind};

const ALL_KINDS: &[ObjectKind] = &[ObjectKind::User, ObjectKind::Group, ObjectKind::Contact];
const PROXY: Field = Field::Attr(Attr::ProxyAddresses);

pub const MAX_PROXY: usize = 256;
/// About 332 proxy addresses fit a minimal user; the documented rule of thumb is 300.
pub const MAX_PROXY_COUNT: usize = 300;

declare_rules! {
    pub static PA_LEN = super::Rule {
        id: "PA-LEN",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[PROXY],
        summary: "a proxy address longer than 256 characters",
        explanation: "Each proxyAddresses value is limited to 256 characters, prefix included. No \
            value is suggested: a cut address would route mail elsewhere.",
        fix: "Remove the value or replace it with the correct, shorter address.",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_proxy)),
        since: V0_1_0,
    };
    pub static PA_COLON = super::Rule {
        id: "PA-COLON",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[PROXY, Field::Attr(Attr::TargetAddress)],
        summary: "a proxy or target address has a ':' after its type prefix",
        explanation: "The address after the type prefix's colon cannot hold another colon: \
            `SMTP:user:M@contoso.com` is invalid. Applies to proxyAddresses (except X400/X500) \
            and targetAddress.",
        fix: "Remove the extra colons; the suggested value does (as IdFix's \
            FixProxyTargetAddress), and repairs the rest of the address.",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_proxy), " (FixProxyTargetAddress)"),
        since: V0_1_0,
    };
    pub static PA_SMTP_CHAR = super::Rule {
        id: "PA-SMTP-CHAR",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[PROXY],
        summary: "an smtp: proxy address holds whitespace, < > ( ) ; , [ ] \" or a non-ASCII letter",
        explanation: "SMTP proxy addresses cannot hold whitespace, `< > ( ) ; , [ ] \"` or \
            letters with diacritics. Since IdFix 2.6 the apostrophe is allowed again; so it is \
            here.",
        fix: "Remove the characters; the suggested value does, folding accented letters, when \
            the result is a valid address not held by another object.",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_constants), " (InvalidProxyAddressSMTPRegex)"),
        since: V0_1_0,
    };
    pub static PA_SMTP_FORMAT = super::Rule {
        id: "PA-SMTP-FORMAT",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[PROXY],
        summary: "an smtp: proxy address is not a valid, routable email address",
        explanation: concat!("The address of an `smtp:` proxy must be an RFC 2822 address with a \
            domain of hostname labels and an existing top-level domain (Public Suffix List of ",
            tld_list_date!(), "). An `smtp:` address at `.local` is typical of an old email \
            address policy: Exchange Online cannot use it. Characters flagged by PA-SMTP-CHAR \
            and PA-COLON are judged there, so one defect gives one finding."),
        fix: "Correct the address, or remove it if it is a leftover of an old address policy.",
        source: concat!(src!(idfix_rfc2822), "; ", src!(psl)),
        since: V0_1_0,
    };
    pub static PA_OTHER_CHAR = super::Rule {
        id: "PA-OTHER-CHAR",
        severity: Severity::Warning,
        effect: Effect::Advisory,
        kinds: ALL_KINDS,
        reads: &[PROXY],
        summary: "a non-SMTP proxy address (SIP:, EUM:, …) holds whitespace or < > ( ) , [ ] \"",
        explanation: "Proxy addresses of other types (not SMTP, X400 or X500) cannot hold \
            whitespace or `< > ( ) , [ ] \"`; `;` is allowed (EUM addresses use it).",
        fix: "Remove the characters; the suggested value does.",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_constants), " (InvalidProxyAddressRegex)"),
        since: V0_1_0,
    };
    pub static PA_X500 = super::Rule {
        id: "PA-X500",
        severity: Severity::Warning,
        effect: Effect::Advisory,
        kinds: ALL_KINDS,
        reads: &[PROXY],
        summary: "an X400/X500 proxy address holds a form feed, line break, tab, [ ] or \"",
        explanation: "X400 and X500 addresses follow RFC 2253: spaces, parentheses and \
            apostrophes are valid in them (Exchange generates X500 addresses with all three). \
            Only `\\f \\n \\r \\t \\v [ ] \"` are flagged. IdFix flags spaces, parentheses and \
            apostrophes in X500 addresses (issues #12, #16, #79): false positives on every \
            migrated mailbox.",
        fix: "Remove the characters; the suggested value does.",
        source: concat!(src!(idfix_constants), " (InvalidX500ProxyAddressRegex, without the apostrophe); microsoft/idfix issues #12, #16, #79"),
        since: V0_1_0,
    };
    pub static PA_DUP = super::Rule {
        id: "PA-DUP",
        severity: Severity::Warning,
        effect: Effect::AltersValue,
        kinds: ALL_KINDS,
        reads: &[PROXY, Field::Attr(Attr::Mail), Field::Attr(Attr::TargetAddress), Field::Attr(Attr::UserPrincipalName)],
        summary: "an address held by another object (mail, smtp: proxy, targetAddress or UPN)",
        explanation: "Proxy addresses must be unique across all users, groups and contacts, and \
            Entra soft-matches on proxy addresses and UPN. hybridready puts mail, every `smtp:` \
            proxy (prefix stripped), an `smtp:` targetAddress and UPNs into one case-insensitive \
            namespace, so `mail=a@x` on one object meets `smtp:a@x` on another; IdFix keys \
            duplicates by attribute and never sees that. Duplicate attribute resiliency drops \
            the conflicting address from the later object (a new user conflicting with a \
            group's address still fails export). Every holder gets a finding naming the others.",
        fix: "Decide which object keeps the address and remove it from the others. When a holder \
            has it only as a secondary `smtp:` address and another owns it (as mail, UPN or \
            primary), the suggested fix removes the secondary.",
        source: concat!(src!(entra_resiliency), "; ", src!(entra_tshoot), " (AttributeValueMustBeUnique, ObjectTypeMismatch); ", src!(m365_domain_users)),
        since: V0_1_0,
    };
    pub static PA_SELFDUP = super::Rule {
        id: "PA-SELFDUP",
        severity: Severity::Warning,
        effect: Effect::Advisory,
        kinds: ALL_KINDS,
        reads: &[PROXY],
        summary: "the same address twice in one object's proxyAddresses",
        explanation: "An object lists the same address twice (compared without case, and \
            without the `SMTP:`/`smtp:` distinction). The cleanup checklist asks to remove \
            duplicate proxy addresses.",
        fix: "Remove the duplicate; the suggested fix removes the copy that is not the primary.",
        source: src!(m365_prepare),
        since: V0_1_0,
    };
    pub static PA_PRIMARY = super::Rule {
        id: "PA-PRIMARY",
        severity: Severity::Warning,
        effect: Effect::Advisory,
        kinds: ALL_KINDS,
        reads: &[PROXY, Field::Attr(Attr::Mail), Field::Attr(Attr::MailNickname)],
        summary: "mail-enabled object with no primary SMTP: address, or several",
        explanation: "A mail-enabled object needs exactly one primary address (`SMTP:` in upper \
            case) among its proxyAddresses: \"every licensed user needs a valid, unique email \
            address in proxyAddresses\". With none, or several, Exchange Online picks one \
            itself, which may not be the address people use. Objects with only secondary \
            `smtp:` addresses, and Exchange recipients (with mailNickname) that have mail but \
            no SMTP proxy, are flagged.",
        fix: "Keep one `SMTP:` (the one equal to mail) and make the others `smtp:`; with none, \
            make the address equal to mail primary. The suggested value changes the prefix's \
            case, or adds `SMTP:<mail>`.",
        source: concat!(src!(m365_prepare), " (proposed check beyond IdFix)"),
        since: V0_1_0,
    };
    pub static PA_COUNT = super::Rule {
        id: "PA-COUNT",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[PROXY],
        summary: "more than 300 proxy addresses",
        explanation: "Entra limits an object's size: a minimal user fits about 332 proxy \
            addresses, so the documented rule of thumb is 300. Beyond it export fails with \
            LargeObject or ExceededAllowedLength.",
        fix: "Remove addresses no longer used (old domains, old X500 addresses).",
        source: concat!(src!(entra_tshoot), " (LargeObject)"),
        since: V0_1_0,
    };
}

pub(crate) fn check(out: &mut Out) {
    if out.attr(Attr::ProxyAddresses).is_none() {
        return;
    }
    let values = out.proxies;
    if values.len() > MAX_PROXY_COUNT {
        out.emit(
            &PA_COUNT,
            PROXY,
            &values.len().to_string(),
            Fix::None,
            Message::TooManyProxyAddresses {
                count: values.len() as u64,
                max: MAX_PROXY_COUNT as u64,
            },
        );
    }
    for &v in values {
        check_value(out, v);
    }
    self_duplicates(out, values);
    primary(out, values);
}

fn check_value(out: &mut Out, v: &str) {
    if is_smtp(v) && out.valid_address.is_some_and(|a| a == &v[5..]) {
        return;
    }
    let classes = Classes::of(v);
    let len = classes.char_len(v);
    if len > MAX_PROXY {
        out.emit(&PA_LEN, PROXY, v, Fix::None, too_long(len, MAX_PROXY));
    }
    let Some((prefix, addr)) = split_prefix(v) else {
        return;
    };
    let x500 = is_x400_or_x500(v);
    let maybe_bad = |mask: u16| classes.any(mask | class::NON_ASCII);
    let colon = !x500 && addr.contains(':');
    if is_smtp(v) {
        if out.valid_address == Some(addr)
            || (!colon && !maybe_bad(class::SMTP_BAD | class::NOT_ADDRESS) && address_ok(addr))
        {
            return;
        }
        let bad = offending(addr, smtp_proxy_invalid);
        // The structure, once the characters judged by PA-SMTP-CHAR and PA-COLON are set aside.
        let structural = if colon || !bad.is_empty() {
            strip(addr, |c| smtp_proxy_invalid(c) || c == ':')
        } else {
            match address_problem(addr) {
                None => return,
                Some(_) => addr.into(),
            }
        };
        let format = address_problem(&structural);
        let fix =
            repaired_address(&structural).map_or(Fix::None, |a| Fix::Edit(format!("{prefix}:{a}")));
        colon_and_chars(out, PROXY, v, fix.clone(), colon, &PA_SMTP_CHAR, bad);
        if let Some(problem) = format {
            out.emit(
                &PA_SMTP_FORMAT,
                PROXY,
                v,
                fix,
                Message::AddressFormat { problem },
            );
        }
        return;
    }
    let (rule, invalid, mask): (_, fn(char) -> bool, _) = if x500 {
        (&PA_X500, x500_invalid, class::X500_BAD)
    } else {
        (&PA_OTHER_CHAR, other_proxy_invalid, class::OTHER_PROXY_BAD)
    };
    if !colon && !maybe_bad(mask) {
        return;
    }
    let bad = offending(addr, invalid);
    if !colon && bad.is_empty() {
        return;
    }
    let repaired = strip(addr, |c| invalid(c) || (colon && c == ':'));
    let fix = prefixed_fix(prefix, &repaired);
    colon_and_chars(out, PROXY, v, fix, colon, rule, bad);
}

/// The fix that writes `repaired` back after its type prefix (none when nothing is left).
pub(crate) fn prefixed_fix(prefix: &str, repaired: &str) -> Fix {
    if repaired.is_empty() {
        Fix::None
    } else {
        Fix::Edit(format!("{prefix}:{repaired}"))
    }
}

/// The findings on a proxy or target address `v`: PA-COLON when it has a `:` after its type
/// prefix, and `rule`'s on the characters `bad` when there are any, both with `fix`.
pub(crate) fn colon_and_chars(
    out: &mut Out,
    field: Field,
    v: &str,
    fix: Fix,
    colon: bool,
    rule: &'static Rule,
    bad: String,
) {
    if colon {
        out.emit(&PA_COLON, field, v, fix.clone(), Message::ColonAfterPrefix);
    }
    if !bad.is_empty() {
        out.emit(rule, field, v, fix, Message::InvalidChars { chars: bad });
    }
}

/// The address a proxy stands for in the duplicate comparison: SMTP ones without the prefix.
fn dup_key(v: &str) -> &str {
    if is_smtp(v) { &v[5..] } else { v }
}

/// Values after the first that repeat an address; the primary is the copy kept.
fn self_duplicates(out: &mut Out, values: &[&str]) {
    let n = values.len();
    if n < 2 {
        return;
    }
    // Indices grouped by address: a sort for long lists, pairwise for the usual handful (with no
    // allocation unless a repeat exists).
    let mut groups: Vec<Vec<usize>> = Vec::new();
    if n <= 16 {
        // Each key scanned once for ASCII, so most pairs differ by length alone.
        let mut keys = [("", false); 16];
        for (k, v) in keys.iter_mut().zip(values) {
            let key = dup_key(v);
            *k = (key, key.is_ascii());
        }
        let same = |i: usize, j: usize| {
            let ((a, a_ascii), (b, b_ascii)) = (keys[i], keys[j]);
            ci_eq_known(a, a_ascii, b, b_ascii)
        };
        let repeats = (1..n).any(|j| (0..j).any(|i| same(i, j)));
        if !repeats {
            return;
        }
        let mut seen = vec![false; n];
        for i in 0..n {
            if seen[i] {
                continue;
            }
            let group: Vec<usize> = (i..n).filter(|&j| j == i || same(i, j)).collect();
            for &j in &group {
                seen[j] = true;
            }
            if group.len() > 1 {
                groups.push(group);
            }
        }
    } else {
        let mut keyed: Vec<(String, usize)> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (dup_key(v).to_lowercase(), i))
            .collect();
        keyed.sort();
        for run in keyed.chunk_by(|a, b| a.0 == b.0) {
            if run.len() > 1 {
                let mut group: Vec<usize> = run.iter().map(|(_, i)| *i).collect();
                group.sort_unstable();
                groups.push(group);
            }
        }
    }
    for group in groups {
        let keep = group
            .iter()
            .copied()
            .find(|&i| values[i].starts_with("SMTP:"))
            .unwrap_or(group[0]);
        for &i in group.iter().filter(|&&i| i != keep) {
            out.emit(
                &PA_SELFDUP,
                PROXY,
                values[i],
                Fix::Remove,
                Message::SameAddressTwice {
                    kept: values[keep].to_string(),
                },
            );
        }
    }
}

fn primary(out: &mut Out, values: &[&str]) {
    let is_primary = |v: &&str| v.starts_with("SMTP:");
    // Exactly one, nearly always: settled without collecting them.
    if values.iter().filter(|v| is_primary(v)).take(2).count() == 1 {
        return;
    }
    let primaries: Vec<&str> = values.iter().copied().filter(is_primary).collect();
    let mail = out.value(Attr::Mail);
    let matches_mail = |v: &str| mail.is_some_and(|m| ci_eq(&v[5..], m));
    if primaries.len() > 1 {
        let keep = primaries
            .iter()
            .copied()
            .find(|v| matches_mail(v))
            .unwrap_or(primaries[0]);
        for &p in primaries.iter().filter(|&&p| p != keep) {
            out.emit(
                &PA_PRIMARY,
                PROXY,
                p,
                Fix::Edit(format!("smtp:{}", &p[5..])),
                Message::SeveralPrimaries {
                    count: primaries.len() as u64,
                    kept: keep.to_string(),
                },
            );
        }
        return;
    }
    if !primaries.is_empty() {
        return;
    }
    let secondaries: Vec<&str> = values.iter().copied().filter(|v| is_smtp(v)).collect();
    if let Some(&first) = secondaries.first() {
        let chosen = secondaries
            .iter()
            .copied()
            .find(|v| matches_mail(v))
            .unwrap_or(first);
        out.emit(
            &PA_PRIMARY,
            PROXY,
            chosen,
            Fix::Edit(format!("SMTP:{}", &chosen[5..])),
            Message::NoPrimaryAmongSecondaries,
        );
    } else if let (Some(m), Some(_)) = (mail, out.value(Attr::MailNickname)) {
        out.emit(
            &PA_PRIMARY,
            PROXY,
            "",
            Fix::Add(format!("SMTP:{m}")),
            Message::NoSmtpProxy,
        );
    }
}
