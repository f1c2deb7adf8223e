//! sAMAccountName: the pre-Windows 2000 logon name, which sync falls back on when the UPN is
//! missing or invalid.

use super::eval::Out;
use super::registry::{V0_1_0, declare_rules, src};
use super::text::{Classes, class, offending, sam_invalid, strip, truncate_chars};
use super::{Effect, Field, Fix, Message, Severity, too_long};
use hybridready_directory::{Attr, ObjectKind};

const KINDS: &[ObjectKind] = &[ObjectKind::User, ObjectKind::Group];
const SAM: Field = Field::Attr(Attr::SamAccountName);

declare_rules! {
    pub static SAM_LEN = super::Rule {
        id: "SAM-LEN",
        severity: Severity::Warning,
        effect: Effect::Advisory,
        kinds: KINDS,
        reads: &[SAM, Field::Attr(Attr::UserPrincipalName)],
        summary: "sAMAccountName longer than 20 characters (users) or 256 (groups)",
        explanation: "A user's sAMAccountName is limited to 20 characters, other objects' to \
            256. The account is still created, so this is a warning; but when the UPN is missing \
            or invalid, sync falls back on the sAMAccountName, so fix both.",
        fix: "Shorten the name; the suggested value cuts it to the limit, numbered if the result \
            is already taken in the domain.",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_mt), " (SamAccountNameMaxLengthRule)"),
        since: V0_1_0,
    };
    pub static SAM_CHAR = super::Rule {
        id: "SAM-CHAR",
        severity: Severity::Warning,
        effect: Effect::Advisory,
        kinds: KINDS,
        reads: &[SAM, Field::Attr(Attr::UserPrincipalName)],
        summary: "sAMAccountName holds an invalid character",
        explanation: "`[ ] \\ \" | , / : < > + = ; ? * '` are invalid in sAMAccountName. The \
            apostrophe is in the documented list, and IdFix does not check it. The account is \
            still created, so this is a warning; but when the UPN is missing or invalid, sync \
            falls back on the sAMAccountName, so fix both.",
        fix: "Remove the invalid characters; the suggested value does, numbered if the result \
            is already taken in the domain.",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_mt), " (misses the apostrophe)"),
        since: V0_1_0,
    };
    pub static SAM_DUP = super::Rule {
        id: "SAM-DUP",
        severity: Severity::Warning,
        effect: Effect::Advisory,
        kinds: KINDS,
        reads: &[SAM, Field::Dn],
        summary: "sAMAccountName held by another object",
        explanation: "AD keeps sAMAccountName unique within a domain, so a duplicate in one \
            domain means two exports were merged wrongly or a conflict object exists. The same \
            name in two domains is allowed by AD, but an account without a UPN falls back to \
            its sAMAccountName, and the two fallback identities then collide in Entra ID; \
            Microsoft asks for unique values. IdFix checks duplicates only when the UPN is \
            absent; hybridready reports every one, as a warning.",
        fix: "Rename one of the accounts.",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_duplicates)),
        since: V0_1_0,
    };
}

/// Checks the sAMAccountName.
pub(crate) fn check(out: &mut Out) {
    if !KINDS.contains(&out.kind) {
        return;
    }
    let Some(sam) = out.value(Attr::SamAccountName) else {
        return;
    };
    let max = if out.kind == ObjectKind::User {
        20
    } else {
        256
    };
    let classes = Classes::of(sam);
    let bad = if classes.any(class::SAM_BAD) {
        offending(sam, sam_invalid)
    } else {
        String::new()
    };
    let len = classes.char_len(sam);
    if bad.is_empty() && len <= max {
        return;
    }
    let repaired = strip(sam, sam_invalid);
    let repaired = truncate_chars(repaired.trim(), max).trim_end_matches(['.', ' ']);
    let fix = if repaired.is_empty() {
        Fix::None
    } else {
        Fix::Edit(repaired.to_string())
    };
    if len > max {
        out.emit(&SAM_LEN, SAM, sam, fix.clone(), too_long(len, max));
    }
    if !bad.is_empty() {
        out.emit(
            &SAM_CHAR,
            SAM,
            sam,
            fix,
            Message::InvalidChars { chars: bad },
        );
    }
}
