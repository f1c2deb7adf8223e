//! mail: the primary email address as AD holds it, and the RFC 2822 address syntax shared with
//! the proxy-address rules.

use super::eval::Out;
use super::registry::{V0_1_0, declare_rules, src};
use super::text::{
    Classes, address_shape_ok, ascii_fold, atext, class, domain_problem, is_space,
    local_part_problem, offending, repaired_domain, strip, tidy_dots,
};
use super::tld::{routability, tld_list_date};
use super::{Effect, Field, Fix, Message, Severity, too_long};
use hybridready_assessment::finding::AddressProblem;
use hybridready_directory::{Attr, ObjectKind};

const ALL_KINDS: &[ObjectKind] = &[ObjectKind::User, ObjectKind::Group, ObjectKind::Contact];
const MAIL: Field = Field::Attr(Attr::Mail);

pub const MAX_MAIL: usize = 256;

declare_rules! {
    pub static MAIL_LEN = super::Rule {
        id: "MAIL-LEN",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[MAIL],
        summary: "mail longer than 256 characters",
        explanation: "mail is limited to 256 characters; a longer value fails export. No value \
            is suggested: a cut address would deliver to someone else.",
        fix: "Set the correct, shorter address.",
        source: src!(idfix_mt),
        since: V0_1_0,
    };
    pub static MAIL_FORMAT = super::Rule {
        id: "MAIL-FORMAT",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[MAIL],
        summary: "mail is not a valid, routable email address",
        explanation: concat!("mail must be an RFC 2822 address: one `@`, a dot-atom name of \
            letters, digits and ``! # $ % & ' * + / = ? ^ _ ` { | } ~ -``, a domain of \
            hostname labels, no whitespace, no non-ASCII letters, and a top-level domain that \
            exists (Public Suffix List of ", tld_list_date!(), "; `.local`, `.lan` and \
            single-label domains named as such). IdFix's multi-tenant mode only checks that \
            mail is unique; its dedicated mode checks the format with a TLD list that rejects \
            valid TLDs of more than 17 letters and every `xn--` TLD."),
        fix: "Correct the address. The suggested value removes whitespace and invalid \
            characters and folds accented letters, when the result is a valid routable address.",
        source: concat!(src!(idfix_dedicated), "; ", src!(idfix_rfc2822), "; ", src!(psl)),
        since: V0_1_0,
    };
    pub static MAIL_DUP = super::Rule {
        id: "MAIL-DUP",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[MAIL],
        summary: "mail held by another object's mail",
        explanation: "mail must be unique across users, groups and contacts: \"the first user \
            with the value is synchronized. Subsequent users will not appear\". Which one comes \
            first depends on sync order, so every holder is reported, each naming the others \
            (IdFix showed one side only until 2.5, and still proposes the same value as the \
            fix). A mail equal to another object's proxy address or UPN is PA-DUP.",
        fix: "Decide which object keeps the address and change the others.",
        source: concat!(src!(m365_prepare), "; ", src!(entra_tshoot), " (AttributeValueMustBeUnique); ", src!(idfix_duplicates)),
        since: V0_1_0,
    };
}

pub(crate) fn check(out: &mut Out) {
    let Some(mail) = out.value(Attr::Mail) else {
        return;
    };
    let classes = Classes::of(mail);
    let len = classes.char_len(mail);
    if len > MAX_MAIL {
        out.emit(&MAIL_LEN, MAIL, mail, Fix::None, too_long(len, MAX_MAIL));
    }
    if out.valid_address == Some(mail)
        || (!classes.any(class::NOT_ADDRESS | class::NON_ASCII) && address_ok(mail))
    {
        if len <= 251 {
            out.valid_address = Some(mail);
        }
        return;
    }
    let whitespace = offending(mail, is_space);
    let non_ascii = offending(mail, |c| !c.is_ascii());
    let problem = if whitespace.is_empty() && non_ascii.is_empty() {
        address_problem(mail)
    } else {
        address_problem(&strip(mail, |c| is_space(c) || !c.is_ascii()))
    };
    if !whitespace.is_empty() || !non_ascii.is_empty() || problem.is_some() {
        let fix = repaired_address(mail).map_or(Fix::None, Fix::Edit);
        let message = Message::MailFormat {
            whitespace,
            non_ascii,
            problem,
        };
        out.emit(&MAIL_FORMAT, MAIL, mail, fix, message);
    }
}

/// Whether an address whose characters are valid has a valid shape and a routable domain: the
/// fast path of [`address_problem`].
pub(crate) fn address_ok(addr: &str) -> bool {
    address_shape_ok(addr)
        && addr
            .rsplit_once('@')
            .is_some_and(|(_, d)| routability(d).is_ok())
}

/// What is wrong with an email address (RFC 2822 dot-atom syntax and a routable domain), or
/// `None`. Whitespace and non-ASCII letters are judged by the callers' character rules.
pub(crate) fn address_problem(addr: &str) -> Option<AddressProblem> {
    let ats = addr.matches('@').count();
    if ats != 1 {
        return Some(if ats == 0 {
            AddressProblem::NoAt
        } else {
            AddressProblem::SeveralAts { count: ats as u64 }
        });
    }
    if address_ok(addr) && !Classes::of(addr).any(class::NOT_ADDRESS | class::NON_ASCII) {
        return None;
    }
    let (local, domain) = addr.split_once('@')?;
    local_or_domain_problem(local, domain).or_else(|| {
        routability(domain)
            .err()
            .map(|why| why.address_problem(domain))
    })
}

/// What is wrong with the parts of an address split at its `@` (the local part's structure and
/// characters, the domain's syntax), its domain's routability aside.
pub(crate) fn local_or_domain_problem(local: &str, domain: &str) -> Option<AddressProblem> {
    if let Some(p) = local_part_problem(local) {
        return Some(p);
    }
    let bad = offending(local, |c| !(atext(c) || c == '.'));
    if !bad.is_empty() {
        return Some(AddressProblem::LocalChars { chars: bad });
    }
    domain_problem(domain).map(|problem| AddressProblem::Domain { problem })
}

/// The address with whitespace and invalid characters removed and letters folded to ASCII, when
/// that gives a valid, routable address of at most 256 characters.
pub(crate) fn repaired_address(addr: &str) -> Option<String> {
    let folded = ascii_fold(addr);
    let at = folded.rfind('@')?;
    let local = strip(&folded[..at], |c| !(atext(c) || c == '.'));
    let local = tidy_dots(&local);
    let domain = repaired_domain(&folded[at + 1..]);
    if local.is_empty() || local.len() > 64 {
        return None;
    }
    let v = format!("{local}@{domain}");
    (v.len() <= MAX_MAIL && address_problem(&v).is_none()).then_some(v)
}
