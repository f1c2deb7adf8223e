//! targetAddress: where mail for a mail user or contact (or a remote mailbox) is delivered.

use super::eval::Out;
use super::proxy::{colon_and_chars, prefixed_fix};
use super::registry::{V0_1_0, declare_rules, src};
use super::text::{
    Classes, char_len, class, is_smtp, offending, split_prefix, strip, target_invalid,
};
use super::{Effect, Field, Fix, Severity, too_long};
use hybridready_directory::{Attr, ObjectKind};

const ALL_KINDS: &[ObjectKind] = &[ObjectKind::User, ObjectKind::Group, ObjectKind::Contact];
const TARGET: Field = Field::Attr(Attr::TargetAddress);

pub const MAX_TARGET: usize = 256;

declare_rules! {
    pub static TA_LEN = super::Rule {
        id: "TA-LEN",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[TARGET],
        summary: "targetAddress longer than 256 characters",
        explanation: "targetAddress is limited to 256 characters (IdFix's multi-tenant rules \
            use 255). No value is suggested: a cut address would route mail elsewhere.",
        fix: "Set the correct, shorter address.",
        source: concat!(src!(m365_prepare), " (IdFix MT uses 255)"),
        since: V0_1_0,
    };
    pub static TA_CHAR = super::Rule {
        id: "TA-CHAR",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[TARGET],
        summary: "targetAddress holds whitespace or \\ < > ( ) ; , [ ] \"",
        explanation: "targetAddress cannot hold whitespace or `\\ < > ( ) ; , [ ] \"` (`;` is \
            allowed in non-SMTP addresses such as X400), nor, for SMTP addresses, letters with \
            diacritics.",
        fix: "Remove the characters; the suggested value does.",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_constants), " (InvalidTargetAddressSMTPRegEx)"),
        since: V0_1_0,
    };
    pub static TA_DUP = super::Rule {
        id: "TA-DUP",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[TARGET],
        summary: "targetAddress held by another object's targetAddress",
        explanation: "targetAddress must be unique. Two mail users or contacts forwarding to the \
            same external address are usually one person exported twice. Every holder is \
            reported, each naming the others; a targetAddress equal to another object's mail \
            or proxy address is PA-DUP.",
        fix: "Keep one object for the external address and delete or change the others.",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_duplicates)),
        since: V0_1_0,
    };
}

pub(crate) fn check(out: &mut Out) {
    let Some(v) = out.value(Attr::TargetAddress) else {
        return;
    };
    let len = char_len(v);
    if len > MAX_TARGET {
        out.emit(&TA_LEN, TARGET, v, Fix::None, too_long(len, MAX_TARGET));
    }
    let Some((prefix, addr)) = split_prefix(v) else {
        return;
    };
    let smtp = is_smtp(v);
    let colon = addr.contains(':');
    let mask = if smtp {
        class::TARGET_SMTP_BAD
    } else {
        class::TARGET_BAD
    };
    if !colon && !Classes::of(addr).any(mask | class::NON_ASCII) {
        return;
    }
    let bad = offending(addr, |c| target_invalid(c, smtp));
    if !colon && bad.is_empty() {
        return;
    }
    let repaired = strip(addr, |c| target_invalid(c, smtp) || c == ':');
    let fix = prefixed_fix(prefix, &repaired);
    colon_and_chars(out, TARGET, v, fix, colon, &TA_CHAR, bad);
}
