//! What a finding says, as data: its severity, its effect on synchronisation, and its message as
//! a typed value that the report words in each language (`hybridready_report::finding_words`).
//!
//! The rules build these values; nothing here holds a sentence. A message carries what the
//! sentence needs (counts, limits, the offending characters, the other holders of a duplicate),
//! never words: the catalogues of the report crate have the words.

use serde::{Deserialize, Serialize};

/// How bad a finding is. Follows the rule's effect: `blocks-sync` findings are errors, the others
/// warnings or information.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Sync fails: the object is not created in Entra ID, or fails export.
    Error,
    /// It syncs changed or degraded, or not at all by design (an out-of-box exclusion).
    Warning,
    /// Advisory.
    Info,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// What a finding does to the object's synchronisation (spec §4).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// The object is not created in Entra ID, or fails export.
    BlocksSync,
    /// The object syncs with a changed value (e.g. a UPN becomes `…@<tenant>.onmicrosoft.com`).
    AltersValue,
    /// Nothing changes in sync; worth knowing.
    Advisory,
    /// The object is outside Entra Connect's default sync scope (its out-of-box exclusion
    /// rules): it never reaches Entra ID, by design.
    Excluded,
}

impl Effect {
    pub const ALL: [Effect; 4] = [
        Effect::BlocksSync,
        Effect::AltersValue,
        Effect::Advisory,
        Effect::Excluded,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::BlocksSync => "blocks-sync",
            Effect::AltersValue => "alters-value",
            Effect::Advisory => "advisory",
            Effect::Excluded => "excluded",
        }
    }
}

/// One line for the worklist: what is wrong with the finding's value, typed. Variants are shared
/// by every rule whose sentence is the same (e.g. [`Message::TooLong`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Message {
    /// Will not sync: excluded by one of Entra Connect's out-of-box scoping rules (SKIP-*,
    /// CONTACT-MAIL, DL-MAIL).
    Excluded { by: Exclusion },
    /// Will not sync: a group with `members` direct members; a synced group has fewer than `limit`.
    TooManyMembers { members: u64, limit: u64 },
    /// No userPrincipalName: sync builds one from sAMAccountName.
    NoUpn,
    /// A value of `length` characters; at most `max`.
    TooLong { length: u64, max: u64 },
    /// `length` characters before the `@`; at most `max`.
    LocalPartTooLong { length: u64, max: u64 },
    /// `length` characters after the `@`; at most `max`.
    DomainTooLong { length: u64, max: u64 },
    /// Characters the attribute may not hold (the distinct ones, in order of appearance).
    InvalidChars { chars: String },
    /// Non-ASCII characters (letters with diacritics) where only ASCII is allowed.
    NonAsciiChars { chars: String },
    /// The value is not a well-formed address (UPN-FORMAT, PA-SMTP-FORMAT).
    AddressFormat { problem: AddressProblem },
    /// The UPN's domain is not internet-routable.
    DomainNotRoutable { domain: String, why: NotRoutable },
    /// The UPN suffix `domain` is not a verified tenant domain: the UPN becomes `becomes`
    /// (`None`: `<mailNickname>@<tenant>.onmicrosoft.com`, the tenant being unknown).
    UnverifiedSuffix {
        domain: String,
        becomes: Option<String>,
    },
    /// Only one character before the `@`.
    OneCharacterBeforeAt,
    /// No displayName. No longer emitted (an empty cell is no value, not a finding); kept so
    /// that assessments written before can be rendered again.
    NoDisplayName,
    /// A displayName made only of whitespace.
    BlankDisplayName,
    /// Leading or trailing whitespace.
    LeadingOrTrailingWhitespace,
    /// mail is not a valid address: its whitespace, its non-ASCII characters, what else is wrong
    /// (at least one of the three).
    MailFormat {
        whitespace: String,
        non_ascii: String,
        problem: Option<AddressProblem>,
    },
    /// Starts or ends with a period.
    StartsOrEndsWithDot,
    /// Characters the cloud replaces with `_` (mailNickname).
    ReplacedWithUnderscore { chars: String },
    /// `count` proxy addresses; about `max` fit.
    TooManyProxyAddresses { count: u64, max: u64 },
    /// A `:` after the address's type prefix.
    ColonAfterPrefix,
    /// The same address as `kept`, on the same object.
    SameAddressTwice { kept: String },
    /// `count` primary `SMTP:` addresses; `kept` stays primary.
    SeveralPrimaries { count: u64, kept: String },
    /// No primary `SMTP:` address among the object's `smtp:` addresses.
    NoPrimaryAmongSecondaries,
    /// An Exchange recipient with mail but no `SMTP:` proxy address.
    NoSmtpProxy,
    /// mS-DS-ConsistencyGuid holds the object's own objectGUID (a previous sync).
    ConsistencyGuidIsObjectGuid,
    /// mS-DS-ConsistencyGuid holds another value than the object's objectGUID (copied or
    /// migrated).
    ConsistencyGuidDiffers,
    /// mS-DS-ConsistencyGuid is populated (the objectGUID is not known).
    ConsistencyGuidPopulated,
    /// `count` values in `attribute`; at most `max`.
    TooManyValues {
        count: u64,
        attribute: String,
        max: u64,
    },
    /// An SfB-enabled user without these attributes (LDAP names).
    SfbAttributesMissing { attributes: Vec<String> },
    /// Enterprise Voice enabled, but msRTCSIP-Line is empty.
    VoiceWithoutLine,
    /// The SIP address is not `sip:name@domain` with a usable domain.
    SipFormat { problem: SipProblem },
    /// The SIP address (without `sip:`) differs from the UPN.
    SipDiffersFromUpn { sip: String, upn: String },
    /// A `SIP:` proxy address differs from msRTCSIP-PrimaryUserAddress, `primary`.
    StaleSipProxy { primary: String },
    /// No user of the account domain `domain_sid` has objectSid `sid`.
    OriginatorSidUnmatched { domain_sid: String, sid: String },
    /// `value`, as `attribute`, is also held by `others` (the first ones), and `more` objects
    /// besides.
    Duplicate {
        attribute: DuplicateOf,
        value: String,
        others: Vec<Holder>,
        more: u64,
    },
}

/// The out-of-box exclusion rule that keeps an object out of sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// isCriticalSystemObject is set.
    CriticalSystemObject,
    /// A replication-conflict (CNF) object.
    ReplicationConflict,
    /// sAMAccountName starting `AAD_` or `MSOL_` (sync service accounts).
    SyncServiceAccount,
    /// sAMAccountName `SUPPORT_388945a0`.
    SupportAccount,
    /// sAMAccountName starting `CAS_` and containing `}`.
    CasSamAccountName,
    /// sAMAccountName ending in `$` (a machine or managed service account).
    MachineSamAccountName,
    /// mailNickname starting `SystemMailbox{`.
    SystemMailboxNickname,
    /// mailNickname starting `CAS_` and containing `}`.
    CasMailNickname,
    /// cn ending in `$` (a machine or managed service account).
    MachineCn,
    /// A contact named `(MSOL)` and hidden from address lists.
    MsolContact,
    /// The group `MSOL_AD_Sync_RichCoexistence`.
    RichCoexistenceGroup,
    /// An Exchange system mailbox (msExchRecipientTypeDetails & 0x21C07000).
    ExchangeSystemMailbox,
    /// An Exchange role group (msExchRecipientTypeDetails & 0x40000000).
    ExchangeRoleGroup,
    /// A user without sAMAccountName.
    NoSamAccountName,
    /// A contact without mail.
    ContactWithoutMail,
    /// A contact that is not mail-enabled (no proxyAddresses with an SMTP address, or no `@`).
    ContactNotMailEnabled,
    /// A distribution group that is not mail-enabled.
    DistributionGroupNotMailEnabled,
}

/// What is wrong with the structure of an email address or a UPN (its characters are judged by
/// the character rules).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AddressProblem {
    /// No `@`.
    NoAt,
    /// `count` `@` signs; exactly one is allowed.
    SeveralAts { count: u64 },
    /// Nothing before the `@`.
    NothingBeforeAt,
    /// The part before the `@` starts with `.`.
    LocalStartsWithDot,
    /// The part before the `@` ends with `.`.
    LocalEndsWithDot,
    /// The part before the `@` has two dots in a row.
    LocalDoubleDot,
    /// The part before the `@` holds these characters.
    LocalChars { chars: String },
    /// The domain's syntax.
    Domain { problem: DomainProblem },
    /// The domain is not internet-routable.
    NotRoutable { domain: String, why: NotRoutable },
}

/// What is wrong with the syntax of a domain name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DomainProblem {
    /// Nothing after the `@`.
    Empty,
    /// `domain` has an empty label (a leading, trailing or doubled dot).
    EmptyLabel { domain: String },
    /// The label `label` is longer than `max` characters.
    LabelTooLong { label: String, max: u64 },
    /// `domain` holds `character`, which no hostname label may hold.
    Character { domain: String, character: char },
    /// The label `label` starts or ends with `-`.
    LabelHyphen { label: String },
}

/// Why a domain is not internet-routable.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NotRoutable {
    /// It ends in `suffix`, a private-use suffix that cannot be verified (e.g. `local`).
    Reserved { suffix: String },
    /// A single-label name, which cannot be verified.
    SingleLabel,
    /// `tld` is not a top-level domain of the Public Suffix List of `list_date`.
    UnknownTld { tld: String, list_date: String },
}

/// What is wrong with a SIP address.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SipProblem {
    /// It does not start with `sip:`.
    NoScheme,
    /// It holds whitespace or non-ASCII characters.
    Chars { chars: String },
    /// It is not of the form `sip:name@domain`.
    NotNameAtDomain,
    /// The address after `sip:` is malformed, or its domain not routable.
    Address { problem: AddressProblem },
    /// The SIP domain `domain` is not a verified tenant domain.
    Unverified { domain: String },
}

/// The attribute, or namespace, in which a duplicate value is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateOf {
    /// userPrincipalName, held by another user as its UPN.
    Upn,
    /// userPrincipalName, held by another object as an address (a soft-match collision).
    UpnSoftMatch,
    Mail,
    TargetAddress,
    /// An address of the SMTP namespace or a non-SMTP proxy address.
    Address,
    MailNickname,
    SamAccountName,
    SipAddress,
    /// An objectGUID or mS-DS-ConsistencyGuid value.
    SourceAnchor,
}

/// Another holder of a duplicate value, as the message names it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Holder {
    /// Its distinguished name, else its label.
    pub name: String,
    pub class: ObjectClass,
    /// The attributes it holds the value in (LDAP names).
    pub attributes: Vec<String>,
}

/// The kind of a directory object, as messages name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectClass {
    User,
    Group,
    Contact,
}

impl ObjectClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectClass::User => "user",
            ObjectClass::Group => "group",
            ObjectClass::Contact => "contact",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_through_json_with_stable_names() {
        let messages = [
            Message::Excluded {
                by: Exclusion::CriticalSystemObject,
            },
            Message::TooLong {
                length: 300,
                max: 256,
            },
            Message::InvalidChars {
                chars: " &\u{a0}".into(),
            },
            Message::MailFormat {
                whitespace: " ".into(),
                non_ascii: String::new(),
                problem: Some(AddressProblem::Domain {
                    problem: DomainProblem::Character {
                        domain: "x_y.com".into(),
                        character: '_',
                    },
                }),
            },
            Message::SipFormat {
                problem: SipProblem::Address {
                    problem: AddressProblem::NotRoutable {
                        domain: "contoso.local".into(),
                        why: NotRoutable::Reserved {
                            suffix: "local".into(),
                        },
                    },
                },
            },
            Message::Duplicate {
                attribute: DuplicateOf::Mail,
                value: "a@x.com".into(),
                others: vec![Holder {
                    name: "CN=B,DC=x".into(),
                    class: ObjectClass::Group,
                    attributes: vec!["mail".into()],
                }],
                more: 2,
            },
        ];
        for m in &messages {
            let json = serde_json::to_string(m).unwrap();
            let back: Message = serde_json::from_str(&json).unwrap();
            assert_eq!(&back, m, "{json}");
        }
        assert_eq!(
            serde_json::to_string(&messages[0]).unwrap(),
            r#"{"kind":"excluded","by":"critical_system_object"}"#
        );
        assert_eq!(
            serde_json::to_string(&Effect::Excluded).unwrap(),
            r#""excluded""#
        );
        assert_eq!(Effect::BlocksSync.as_str(), "blocks-sync");
    }
}
