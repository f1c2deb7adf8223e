//! mailNickname: the Exchange alias, and the name the cloud builds MOERA addresses from.

use super::eval::Out;
use super::registry::{V0_1_0, declare_rules, src};
use super::text::{
    Classes, ascii_fold, class, nick_invalid, offending, strip, tidy_dots, truncate_chars,
};
use super::{Effect, Field, Fix, Message, Severity, too_long};
use hybridready_directory::{Attr, ObjectKind};

const ALL_KINDS: &[ObjectKind] = &[ObjectKind::User, ObjectKind::Group, ObjectKind::Contact];
const NICK: Field = Field::Attr(Attr::MailNickname);

pub const MAX_NICK: usize = 64;

declare_rules! {
    pub static NICK_LEN = super::Rule {
        id: "NICK-LEN",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[NICK],
        summary: "mailNickname longer than 64 characters",
        explanation: "mailNickname (the Exchange alias) is limited to 64 characters.",
        fix: "Shorten it; the suggested value is cut to 64 characters, numbered if the result is \
            already taken.",
        source: concat!(src!(idfix_mt), " (MaxLength 64)"),
        since: V0_1_0,
    };
    pub static NICK_DOT = super::Rule {
        id: "NICK-DOT",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[NICK],
        summary: "mailNickname starts or ends with a period",
        explanation: "mailNickname cannot begin with `.`; a trailing `.` is invalid in an alias \
            as well. IdFix's multi-tenant rules check only the leading period, and its \
            dedicated-mode trailing-period rule never fails (it discards its own result).",
        fix: "Remove the leading and trailing periods; the suggested value does.",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_mt), "; microsoft/idfix: src/IdFix/Rules/Dedicated/MailNickNamePeriodsRule.cs"),
        since: V0_1_0,
    };
    pub static NICK_CHAR = super::Rule {
        id: "NICK-CHAR",
        severity: Severity::Warning,
        effect: Effect::AltersValue,
        kinds: ALL_KINDS,
        reads: &[NICK],
        summary: "mailNickname holds characters the cloud replaces with underscores",
        explanation: "Whitespace, non-ASCII letters and ``\\ ! # $ % & * + / = ? ^ ` { } | ~ < > \
            ( ) ' ; : , [ ] \" @`` in mailNickname are replaced with `_` in the cloud: \
            \"Underscores… indicate that the original value… contains invalid characters\". The \
            object syncs with a different alias, and MOERA addresses built from it change.",
        fix: "Remove the characters (the suggested value does, folding accented letters), or \
            accept the underscores.",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_dedicated), " (mailNickname regex)"),
        since: V0_1_0,
    };
    pub static NICK_DUP = super::Rule {
        id: "NICK-DUP",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[NICK],
        summary: "mailNickname held by another object",
        explanation: "mailNickname must be unique across users, groups and contacts. Every \
            holder is reported, each naming the others.",
        fix: "Give each object its own alias.",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_duplicates)),
        since: V0_1_0,
    };
}

pub(crate) fn check(out: &mut Out) {
    let Some(nick) = out.value(Attr::MailNickname) else {
        return;
    };
    let classes = Classes::of(nick);
    let len = classes.char_len(nick);
    let dots = nick.starts_with('.') || nick.ends_with('.');
    let bad = if classes.any(class::NICK_BAD | class::NON_ASCII) {
        offending(nick, nick_invalid)
    } else {
        String::new()
    };
    if len <= MAX_NICK && !dots && bad.is_empty() {
        return;
    }
    let folded = ascii_fold(nick);
    let repaired = strip(&folded, nick_invalid);
    let repaired = tidy_dots(&repaired);
    let repaired = tidy_dots(truncate_chars(&repaired, MAX_NICK));
    let fix = if repaired.is_empty() {
        Fix::None
    } else {
        Fix::Edit(repaired.into_owned())
    };
    if len > MAX_NICK {
        out.emit(&NICK_LEN, NICK, nick, fix.clone(), too_long(len, MAX_NICK));
    }
    if dots {
        out.emit(
            &NICK_DOT,
            NICK,
            nick,
            fix.clone(),
            Message::StartsOrEndsWithDot,
        );
    }
    if !bad.is_empty() {
        out.emit(
            &NICK_CHAR,
            NICK,
            nick,
            fix,
            Message::ReplacedWithUnderscore { chars: bad },
        );
    }
}
