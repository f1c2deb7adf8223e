//! Objects Entra Connect never synchronises, by its out-of-box scoping rules: critical system
//! objects, replication conflicts, service and system accounts, Exchange system mailboxes, users
//! without sAMAccountName, contacts and distribution groups that are not mail-enabled, and groups
//! too large to sync. Their other attributes are not checked: they never reach Entra ID.

use super::eval::Out;
use super::registry::{V0_1_0, declare_rules, src};
use super::text::is_smtp;
use super::{Effect, Field, Fix, Message, Severity};
use hybridready_assessment::finding::Exclusion;
use hybridready_directory::{Attr, ObjectKind};

const ALL_KINDS: &[ObjectKind] = &[ObjectKind::User, ObjectKind::Group, ObjectKind::Contact];

declare_rules! {
    pub static SKIP_CRIT = super::Rule {
        id: "SKIP-CRIT",
        severity: Severity::Info,
        effect: Effect::Excluded,
        kinds: ALL_KINDS,
        reads: &[Field::Attr(Attr::IsCriticalSystemObject), Field::Attr(Attr::Sid)],
        summary: "critical system object: will not sync (excluded by isCriticalSystemObject)",
        explanation: "Entra Connect's out-of-box rules (and Cloud Sync) filter out every user, \
            group and contact with isCriticalSystemObject set: built-in accounts such as \
            Administrator, Guest, krbtgt and the built-in groups. They are reported so the count \
            of objects that will not sync is complete; their attributes are not checked. IdFix \
            skips them silently. An export without the isCriticalSystemObject column (ADRecon) \
            still names the built-in accounts by their SID: domain RIDs 500, 501 and 502.",
        fix: "Nothing to fix: these objects are meant to stay on-premises. Create a normal account \
            for any person who uses one of them to sign in.",
        source: concat!(src!(entra_default), "; ", src!(idfix_mt), " (Skip)"),
        since: V0_1_0,
    };
    pub static SKIP_CNF = super::Rule {
        id: "SKIP-CNF",
        severity: Severity::Info,
        effect: Effect::Excluded,
        kinds: ALL_KINDS,
        reads: &[Field::Dn, Field::Attr(Attr::Cn)],
        summary: "replication-conflict (CNF) object: will not sync (excluded by its \\0ACNF: name)",
        explanation: "When two domain controllers create the same object at once, AD keeps both \
            and renames the loser to `<name>\\0ACNF:<guid>`. Entra Connect excludes objects whose \
            RDN holds that marker. The conflict object usually shadows a real one: the real \
            object syncs, this one does not.",
        fix: "Compare the CNF object with its namesake, move any membership or attribute it alone \
            holds to the surviving object, then delete the CNF object.",
        source: concat!(src!(entra_default), "; ", src!(idfix_mt), " (Skip)"),
        since: V0_1_0,
    };
    pub static SKIP_SVC = super::Rule {
        id: "SKIP-SVC",
        severity: Severity::Info,
        effect: Effect::Excluded,
        kinds: ALL_KINDS,
        reads: &[
            Field::Attr(Attr::SamAccountName),
            Field::Attr(Attr::MailNickname),
            Field::Attr(Attr::Cn),
            Field::Attr(Attr::DisplayName),
            Field::Attr(Attr::MsExchHideFromAddressLists),
        ],
        summary: "service or system account: will not sync (excluded by its name)",
        explanation: "Entra Connect's out-of-box rules exclude users whose sAMAccountName starts \
            `AAD_` or `MSOL_` (its own service accounts) or is `SUPPORT_388945a0`, whose \
            mailNickname starts `SystemMailbox{`, and users and contacts whose mailNickname (or \
            sAMAccountName) starts `CAS_` and contains `}`; contacts whose displayName contains \
            `(MSOL)` and are hidden from address lists; and the group \
            `MSOL_AD_Sync_RichCoexistence`. Accounts whose cn or sAMAccountName ends in `$` \
            (machine and managed service accounts) are treated the same way, as IdFix does. \
            These are exact rules, not IdFix's blunt name prefixes (`Guest…`, `Admini…`), which \
            also skip real people.",
        fix: "Nothing to fix for real service accounts. If a person's account matches one of \
            these names by accident, rename it.",
        source: concat!(src!(entra_default), "; ", src!(idfix_constants), " (WellKnownExclusions)"),
        since: V0_1_0,
    };
    pub static SKIP_EXCH = super::Rule {
        id: "SKIP-EXCH",
        severity: Severity::Info,
        effect: Effect::Excluded,
        kinds: &[ObjectKind::User, ObjectKind::Group],
        reads: &[Field::Attr(Attr::MsExchRecipientTypeDetails)],
        summary: "Exchange system mailbox or role group: will not sync (excluded by msExchRecipientTypeDetails)",
        explanation: "Entra Connect excludes users whose msExchRecipientTypeDetails has any bit of \
            0x21C07000 (public folder, system attendant, system mailbox, Microsoft Exchange, \
            arbitration, mailbox plan and discovery mailboxes) and groups with bit 0x40000000 \
            (role groups). The value is tested as a number, whatever the export's notation; \
            IdFix compares hexadecimal text with the decimal AD value, so its test never matches.",
        fix: "Nothing to fix: Exchange Online has its own system mailboxes.",
        source: concat!(src!(entra_default), "; ", src!(idfix_mt), " (Skip)"),
        since: V0_1_0,
    };
    pub static SKIP_NOSAM = super::Rule {
        id: "SKIP-NOSAM",
        severity: Severity::Warning,
        effect: Effect::Excluded,
        kinds: &[ObjectKind::User],
        reads: &[Field::Attr(Attr::SamAccountName)],
        summary: "user without sAMAccountName: will not sync (excluded by the sAMAccountName presence rule)",
        explanation: "Entra Connect's inbound user rule requires sAMAccountName: a user without \
            one is not projected. In a real AD every user has one, so an empty value usually \
            means the export lost it, or the object is not a real user.",
        fix: "Check the export first (was the column filled for every row?); otherwise give the \
            user a sAMAccountName.",
        source: src!(entra_default),
        since: V0_1_0,
    };
    pub static CONTACT_MAIL = super::Rule {
        id: "CONTACT-MAIL",
        severity: Severity::Warning,
        effect: Effect::Excluded,
        kinds: &[ObjectKind::Contact],
        reads: &[Field::Attr(Attr::Mail), Field::Attr(Attr::ProxyAddresses)],
        summary: "contact not mail-enabled: will not sync (excluded by the contact mail rule)",
        explanation: "Entra Connect syncs a contact only when it has mail and is mail-enabled: \
            proxyAddresses is present and holds an `SMTP:` address containing `@`, or mail \
            contains `@`. Other contacts stay on-premises, so they disappear from the online \
            address book.",
        fix: "Mail-enable the contact (Enable-MailContact, which sets mail and proxyAddresses), \
            or accept that it stays on-premises.",
        source: src!(entra_default),
        since: V0_1_0,
    };
    pub static DL_MAIL = super::Rule {
        id: "DL-MAIL",
        severity: Severity::Warning,
        effect: Effect::Excluded,
        kinds: &[ObjectKind::Group],
        reads: &[
            Field::Attr(Attr::GroupType),
            Field::Attr(Attr::GroupCategory),
            Field::Attr(Attr::Mail),
            Field::Attr(Attr::ProxyAddresses),
        ],
        summary: "distribution group not mail-enabled: will not sync (excluded by the group mail rule)",
        explanation: "Entra Connect syncs a distribution group only when it is mail-enabled: \
            proxyAddresses is present with an `SMTP:` address containing `@`, or mail contains \
            `@`. Security groups need no mail. IdFix skips security groups without mail, though \
            they do sync; here only distribution groups are excluded.",
        fix: "Mail-enable the group (Enable-DistributionGroup), convert it to a security group, \
            or delete it if unused.",
        source: concat!(src!(entra_default), "; ", src!(idfix_mt), " (Skip)"),
        since: V0_1_0,
    };
    pub static GRP_SIZE = super::Rule {
        id: "GRP-SIZE",
        severity: Severity::Warning,
        effect: Effect::Excluded,
        kinds: &[ObjectKind::Group],
        reads: &[Field::Members, Field::Attr(Attr::Sid), Field::Attr(Attr::PrimaryGroupId)],
        summary: "group with too many direct members to sync (250,000; 50,000 on Connect's V1.6 endpoint)",
        explanation: "Groups must have fewer than 250,000 members to sync, a limit also enforced \
            by Entra ID; a Connect server on the V1.6 endpoint is limited to 50,000. Members by \
            primary group (Domain Users) are not counted: AD never lists them in `member`. \
            IdFix cites the limit in a comment but does not check it.",
        fix: "Split the group into smaller groups (nested groups are not expanded by sync), or \
            exclude it from sync if it is only used on-premises.",
        source: concat!(src!(entra_default), "; ", src!(entra_v2)),
        since: V0_1_0,
    };
}

/// A domain's Administrator (RID 500), Guest (501) or krbtgt (502) account.
fn builtin_account(sid: &str) -> bool {
    sid.starts_with("S-1-5-21-") && matches!(sid.rsplit('-').next(), Some("500" | "501" | "502"))
}

/// The out-of-box exclusions of one object; `true` when it is excluded.
pub(crate) fn check(out: &mut Out) -> bool {
    let before = out_len(out);
    let kind = out.kind;
    let dir = out.dir;
    let id = out.id;

    if dir.bool_attr(id, Attr::IsCriticalSystemObject) == Some(true) {
        out.emit(
            &SKIP_CRIT,
            Field::Attr(Attr::IsCriticalSystemObject),
            "True",
            Fix::None,
            excluded(Exclusion::CriticalSystemObject),
        );
    } else if dir.attr(id, Attr::IsCriticalSystemObject).is_none()
        && let Some(sid) = dir.value(id, Attr::Sid).filter(|s| builtin_account(s))
    {
        // The column is missing from every input: the built-in accounts, which always carry
        // the flag, are known by their well-known RIDs, so the findings do not depend on it.
        out.emit(
            &SKIP_CRIT,
            Field::Attr(Attr::Sid),
            sid,
            Fix::None,
            excluded(Exclusion::CriticalSystemObject),
        );
    }
    if let Some((field, v)) = conflict_marker(out) {
        out.emit(
            &SKIP_CNF,
            field,
            &v,
            Fix::None,
            excluded(Exclusion::ReplicationConflict),
        );
    }
    if let Some((attr, v, why)) = service_account(out) {
        out.emit(&SKIP_SVC, Field::Attr(attr), v, Fix::None, excluded(why));
    }
    if kind != ObjectKind::Contact
        && let Some(v) = dir.int_attr(id, Attr::MsExchRecipientTypeDetails)
    {
        let (mask, what) = if kind == ObjectKind::User {
            (0x21C0_7000i64, Exclusion::ExchangeSystemMailbox)
        } else {
            (0x4000_0000i64, Exclusion::ExchangeRoleGroup)
        };
        if v & mask != 0 {
            out.emit(
                &SKIP_EXCH,
                Field::Attr(Attr::MsExchRecipientTypeDetails),
                &v.to_string(),
                Fix::None,
                excluded(what),
            );
        }
    }
    if kind == ObjectKind::User && out.attr(Attr::SamAccountName) == Some("") {
        out.emit(
            &SKIP_NOSAM,
            Field::Attr(Attr::SamAccountName),
            "",
            Fix::None,
            excluded(Exclusion::NoSamAccountName),
        );
    }
    if kind == ObjectKind::Contact {
        contact_mail(out);
    }
    if kind == ObjectKind::Group {
        distribution_mail(out);
        group_size(out);
    }
    out_len(out) > before
}

fn excluded(by: Exclusion) -> Message {
    Message::Excluded { by }
}

fn out_len(out: &Out) -> usize {
    out.emitted()
}

/// The `\0ACNF:` marker of a replication conflict, in the DN's first RDN or in cn.
fn conflict_marker(out: &Out) -> Option<(Field, String)> {
    // AD writes `CNF:` in upper case, after a line feed (`\0A` once escaped in a DN).
    let has_marker = |s: &str| {
        s.as_bytes().contains(&b':')
            && s.match_indices("CNF:").any(|(i, _)| {
                let before = &s.as_bytes()[..i];
                before.ends_with(b"\n")
                    || before.len() >= 3 && before[before.len() - 3..].eq_ignore_ascii_case(b"\\0A")
            })
    };
    // Most DNs have no `:` at all: that is settled without splitting off the first RDN.
    if let Some(dn) = out
        .dir
        .dn(out.id)
        .filter(|dn| dn.as_bytes().contains(&b':'))
    {
        let first = hybridready_directory::dn::rdns(dn).next().unwrap_or(dn);
        if has_marker(first) {
            return Some((Field::Dn, dn.to_string()));
        }
    }
    let cn = out.value(Attr::Cn)?;
    has_marker(cn).then(|| (Field::Attr(Attr::Cn), cn.to_string()))
}

/// The service-account name rule an object matches: `(attribute, value, rule)`.
fn service_account<'a>(out: &Out<'_, 'a>) -> Option<(Attr, &'a str, Exclusion)> {
    let sam = out.value(Attr::SamAccountName);
    let nick = out.value(Attr::MailNickname);
    let cas = |v: &str| v.starts_with("CAS_") && v.contains('}');
    match out.kind {
        ObjectKind::User => {
            if let Some(s) = sam {
                if s.starts_with("AAD_") || s.starts_with("MSOL_") {
                    return Some((Attr::SamAccountName, s, Exclusion::SyncServiceAccount));
                }
                if s == "SUPPORT_388945a0" {
                    return Some((Attr::SamAccountName, s, Exclusion::SupportAccount));
                }
                if cas(s) {
                    return Some((Attr::SamAccountName, s, Exclusion::CasSamAccountName));
                }
                if s.ends_with('$') {
                    return Some((Attr::SamAccountName, s, Exclusion::MachineSamAccountName));
                }
            }
            if let Some(n) = nick {
                if n.starts_with("SystemMailbox{") {
                    return Some((Attr::MailNickname, n, Exclusion::SystemMailboxNickname));
                }
                if cas(n) {
                    return Some((Attr::MailNickname, n, Exclusion::CasMailNickname));
                }
            }
            let cn = out.value(Attr::Cn)?;
            cn.ends_with('$')
                .then_some((Attr::Cn, cn, Exclusion::MachineCn))
        }
        ObjectKind::Contact => {
            if let Some(n) = nick.filter(|n| cas(n)) {
                return Some((Attr::MailNickname, n, Exclusion::CasMailNickname));
            }
            let dn = out.value(Attr::DisplayName)?;
            (dn.contains("(MSOL)")
                && out.dir.bool_attr(out.id, Attr::MsExchHideFromAddressLists) == Some(true))
            .then_some((Attr::DisplayName, dn, Exclusion::MsolContact))
        }
        ObjectKind::Group => {
            let s = sam?;
            (s == "MSOL_AD_Sync_RichCoexistence").then_some((
                Attr::SamAccountName,
                s,
                Exclusion::RichCoexistenceGroup,
            ))
        }
    }
}

/// Entra's mail-enabled test (contacts and distribution groups): proxyAddresses present, and an
/// `SMTP:` address or mail containing `@`. `None` when the inputs do not tell.
fn mail_enabled(out: &Out) -> Option<bool> {
    let proxies = out.attr(Attr::ProxyAddresses);
    let mail = out.attr(Attr::Mail);
    if proxies == Some("") {
        return Some(false);
    }
    let smtp_with_at = out.proxies.iter().any(|p| is_smtp(p) && p.contains('@'));
    if proxies.is_some() && smtp_with_at {
        return Some(true);
    }
    match mail {
        Some(m) if m.contains('@') => proxies.map(|_| true),
        // No usable mail, and the proxies (if known) hold no SMTP address with `@`.
        Some(_) => proxies.map(|_| false),
        None => None,
    }
}

fn contact_mail(out: &mut Out) {
    let mail = out.attr(Attr::Mail);
    let why = if mail == Some("") {
        Exclusion::ContactWithoutMail
    } else if mail_enabled(out) == Some(false) {
        Exclusion::ContactNotMailEnabled
    } else {
        return;
    };
    out.emit(
        &CONTACT_MAIL,
        Field::Attr(Attr::Mail),
        mail.unwrap_or_default(),
        Fix::None,
        excluded(why),
    );
}

fn distribution_mail(out: &mut Out) {
    let security = match out.dir.int_attr(out.id, Attr::GroupType) {
        Some(t) => Some((t as u32) & 0x8000_0000 != 0),
        None => out
            .value(Attr::GroupCategory)
            .map(|c| c.eq_ignore_ascii_case("Security")),
    };
    if security != Some(false) || mail_enabled(out) != Some(false) {
        return;
    }
    let mail = out.attr(Attr::Mail).unwrap_or_default();
    out.emit(
        &DL_MAIL,
        Field::Attr(Attr::Mail),
        mail,
        Fix::None,
        excluded(Exclusion::DistributionGroupNotMailEnabled),
    );
}

fn group_size(out: &mut Out) {
    let limit = out.ctx.rc.group_size_limit;
    let members = out.dir.members_of(out.id);
    if (members.len() as u64) < limit {
        return;
    }
    // Members by primary group are not in `member`, and sync never sees them.
    let direct = members
        .iter()
        .filter(|&&m| out.dir.primary_group(m) != Some(out.id))
        .count() as u64;
    if direct < limit {
        return;
    }
    out.emit(
        &GRP_SIZE,
        Field::Members,
        &direct.to_string(),
        Fix::None,
        Message::TooManyMembers {
            members: direct,
            limit,
        },
    );
}
