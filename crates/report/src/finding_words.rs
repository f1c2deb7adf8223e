//! Finding messages in words: a rule's typed [`Message`] as one line in the catalogue's language.
//!
//! Every word comes from the `finding.*` keys of `lang/findings.en.txt` and `lang/findings.fr.txt`;
//! numbers are grouped by the catalogue, characters named (space, tab, …) in its language, and the
//! values a message carries (addresses, names) are inserted as they are.

use crate::i18n::Catalog;
use hybridready_assessment::finding::{
    AddressProblem, DomainProblem, DuplicateOf, Exclusion, Holder, Message, NotRoutable,
    ObjectClass, SipProblem,
};

/// The message of a finding, worded in `t`'s language.
pub fn finding_message(t: &Catalog, m: &Message) -> String {
    let w = Words(t);
    let int = |n: &u64| t.int(*n);
    match m {
        Message::Excluded { by } => w.get(exclusion_key(*by)),
        Message::TooManyMembers { members, limit } => w.fmt(
            "finding.too_many_members",
            &[("members", &int(members)), ("limit", &int(limit))],
        ),
        Message::NoUpn => w.get("finding.no_upn"),
        Message::TooLong { length, max } => w.fmt(
            "finding.too_long",
            &[("length", &int(length)), ("max", &int(max))],
        ),
        Message::LocalPartTooLong { length, max } => w.fmt(
            "finding.local_part_too_long",
            &[("length", &int(length)), ("max", &int(max))],
        ),
        Message::DomainTooLong { length, max } => w.fmt(
            "finding.domain_too_long",
            &[("length", &int(length)), ("max", &int(max))],
        ),
        Message::InvalidChars { chars } => w.with_chars("finding.invalid_chars", chars),
        Message::NonAsciiChars { chars } => w.with_chars("finding.non_ascii_chars", chars),
        Message::AddressFormat { problem } => w.address(problem),
        Message::DomainNotRoutable { domain, why } => w.not_routable(domain, why),
        Message::UnverifiedSuffix { domain, becomes } => {
            let becomes = match becomes {
                Some(upn) => upn.clone(),
                None => w.get("finding.moera_unknown"),
            };
            w.fmt(
                "finding.unverified_suffix",
                &[("domain", domain), ("becomes", &becomes)],
            )
        }
        Message::OneCharacterBeforeAt => w.get("finding.one_character_before_at"),
        Message::NoDisplayName => w.get("finding.no_display_name"),
        Message::BlankDisplayName => w.get("finding.blank_display_name"),
        Message::LeadingOrTrailingWhitespace => w.get("finding.leading_or_trailing_whitespace"),
        Message::MailFormat {
            whitespace,
            non_ascii,
            problem,
        } => {
            let mut parts = Vec::new();
            if !whitespace.is_empty() {
                parts.push(w.with_chars("finding.whitespace", whitespace));
            }
            if !non_ascii.is_empty() {
                parts.push(w.with_chars("finding.non_ascii_chars", non_ascii));
            }
            parts.extend(problem.iter().map(|p| w.address(p)));
            w.join("finding.join.semicolon", parts)
        }
        Message::StartsOrEndsWithDot => w.get("finding.starts_or_ends_with_dot"),
        Message::ReplacedWithUnderscore { chars } => {
            w.with_chars("finding.replaced_with_underscore", chars)
        }
        Message::TooManyProxyAddresses { count, max } => w.fmt(
            "finding.too_many_proxy_addresses",
            &[("count", &int(count)), ("max", &int(max))],
        ),
        Message::ColonAfterPrefix => w.get("finding.colon_after_prefix"),
        Message::SameAddressTwice { kept } => {
            w.fmt("finding.same_address_twice", &[("kept", kept)])
        }
        Message::SeveralPrimaries { count, kept } => w.fmt(
            "finding.several_primaries",
            &[("count", &int(count)), ("kept", kept)],
        ),
        Message::NoPrimaryAmongSecondaries => w.get("finding.no_primary_among_secondaries"),
        Message::NoSmtpProxy => w.get("finding.no_smtp_proxy"),
        Message::ConsistencyGuidIsObjectGuid => w.get("finding.consistency_guid_is_object_guid"),
        Message::ConsistencyGuidDiffers => w.get("finding.consistency_guid_differs"),
        Message::ConsistencyGuidPopulated => w.get("finding.consistency_guid_populated"),
        Message::TooManyValues {
            count,
            attribute,
            max,
        } => w.fmt(
            "finding.too_many_values",
            &[
                ("count", &int(count)),
                ("attribute", attribute),
                ("max", &int(max)),
            ],
        ),
        Message::SfbAttributesMissing { attributes } => {
            let list = w.join("finding.join.nor", attributes.iter().cloned());
            w.fmt("finding.sfb_attributes_missing", &[("attributes", &list)])
        }
        Message::VoiceWithoutLine => w.get("finding.voice_without_line"),
        Message::SipFormat { problem } => w.sip(problem),
        Message::SipDiffersFromUpn { sip, upn } => w.fmt(
            "finding.sip_differs_from_upn",
            &[("sip", sip), ("upn", upn)],
        ),
        Message::StaleSipProxy { primary } => {
            w.fmt("finding.stale_sip_proxy", &[("primary", primary)])
        }
        Message::OriginatorSidUnmatched { domain_sid, sid } => w.fmt(
            "finding.originator_sid_unmatched",
            &[("domain_sid", domain_sid), ("sid", sid)],
        ),
        Message::Duplicate {
            attribute,
            value,
            others,
            more,
        } => {
            let mut named: Vec<String> = others.iter().map(|h| w.holder(h)).collect();
            if *more > 0 {
                named.push(w.fmt("finding.duplicate_more", &[("count", &int(more))]));
            }
            let others = w.join("finding.join.semicolon", named);
            w.fmt(
                duplicate_key(*attribute),
                &[("value", value), ("others", &others)],
            )
        }
    }
}

fn exclusion_key(by: Exclusion) -> &'static str {
    match by {
        Exclusion::CriticalSystemObject => "finding.excluded.critical_system_object",
        Exclusion::ReplicationConflict => "finding.excluded.replication_conflict",
        Exclusion::SyncServiceAccount => "finding.excluded.sync_service_account",
        Exclusion::SupportAccount => "finding.excluded.support_account",
        Exclusion::CasSamAccountName => "finding.excluded.cas_sam_account_name",
        Exclusion::MachineSamAccountName => "finding.excluded.machine_sam_account_name",
        Exclusion::SystemMailboxNickname => "finding.excluded.system_mailbox_nickname",
        Exclusion::CasMailNickname => "finding.excluded.cas_mail_nickname",
        Exclusion::MachineCn => "finding.excluded.machine_cn",
        Exclusion::MsolContact => "finding.excluded.msol_contact",
        Exclusion::RichCoexistenceGroup => "finding.excluded.rich_coexistence_group",
        Exclusion::ExchangeSystemMailbox => "finding.excluded.exchange_system_mailbox",
        Exclusion::ExchangeRoleGroup => "finding.excluded.exchange_role_group",
        Exclusion::NoSamAccountName => "finding.excluded.no_sam_account_name",
        Exclusion::ContactWithoutMail => "finding.excluded.contact_without_mail",
        Exclusion::ContactNotMailEnabled => "finding.excluded.contact_not_mail_enabled",
        Exclusion::DistributionGroupNotMailEnabled => {
            "finding.excluded.distribution_group_not_mail_enabled"
        }
    }
}

fn duplicate_key(of: DuplicateOf) -> &'static str {
    match of {
        DuplicateOf::Upn => "finding.duplicate.upn",
        DuplicateOf::UpnSoftMatch => "finding.duplicate.upn_soft_match",
        DuplicateOf::Mail => "finding.duplicate.mail",
        DuplicateOf::TargetAddress => "finding.duplicate.target_address",
        DuplicateOf::Address => "finding.duplicate.address",
        DuplicateOf::MailNickname => "finding.duplicate.mail_nickname",
        DuplicateOf::SamAccountName => "finding.duplicate.sam_account_name",
        DuplicateOf::SipAddress => "finding.duplicate.sip_address",
        DuplicateOf::SourceAnchor => "finding.duplicate.source_anchor",
    }
}

/// The catalogue, with the wording of the parts messages share.
struct Words<'t>(&'t Catalog);

impl Words<'_> {
    fn get(&self, key: &str) -> String {
        self.0.get(key).to_string()
    }

    fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.0.get(key), args)
    }

    /// `key` with its `{chars}` named.
    fn with_chars(&self, key: &str, chars: &str) -> String {
        let named = self.join("finding.join.comma", chars.chars().map(|c| self.char(c)));
        self.fmt(key, &[("chars", &named)])
    }

    /// One character as a message names it: whitespace and control characters by name or code
    /// point, the others quoted.
    fn char(&self, c: char) -> String {
        match c {
            ' ' => self.get("finding.char.space"),
            '\t' => self.get("finding.char.tab"),
            '\n' => self.get("finding.char.line_feed"),
            '\r' => self.get("finding.char.carriage_return"),
            '\u{a0}' => self.get("finding.char.no_break_space"),
            c if c.is_control() || c.is_whitespace() => self.fmt(
                "finding.char.code",
                &[("code", &format!("{:04X}", c as u32))],
            ),
            c => self.fmt("finding.char.quoted", &[("char", &c.to_string())]),
        }
    }

    /// The items joined two by two with the template `key` (`{first}` and `{next}`).
    fn join(&self, key: &str, items: impl IntoIterator<Item = String>) -> String {
        items
            .into_iter()
            .reduce(|first, next| self.fmt(key, &[("first", &first), ("next", &next)]))
            .unwrap_or_default()
    }

    fn address(&self, p: &AddressProblem) -> String {
        match p {
            AddressProblem::NoAt => self.get("finding.address.no_at"),
            AddressProblem::SeveralAts { count } => self.fmt(
                "finding.address.several_ats",
                &[("count", &self.0.int(*count))],
            ),
            AddressProblem::NothingBeforeAt => self.get("finding.address.nothing_before_at"),
            AddressProblem::LocalStartsWithDot => self.get("finding.address.local_starts_with_dot"),
            AddressProblem::LocalEndsWithDot => self.get("finding.address.local_ends_with_dot"),
            AddressProblem::LocalDoubleDot => self.get("finding.address.local_double_dot"),
            AddressProblem::LocalChars { chars } => {
                self.with_chars("finding.address.local_chars", chars)
            }
            AddressProblem::Domain { problem } => self.domain(problem),
            AddressProblem::NotRoutable { domain, why } => self.not_routable(domain, why),
        }
    }

    fn domain(&self, p: &DomainProblem) -> String {
        match p {
            DomainProblem::Empty => self.get("finding.domain.empty"),
            DomainProblem::EmptyLabel { domain } => {
                self.fmt("finding.domain.empty_label", &[("domain", domain)])
            }
            DomainProblem::LabelTooLong { label, max } => self.fmt(
                "finding.domain.label_too_long",
                &[("label", label), ("max", &self.0.int(*max))],
            ),
            DomainProblem::Character { domain, character } => self.fmt(
                "finding.domain.character",
                &[("domain", domain), ("chars", &self.char(*character))],
            ),
            DomainProblem::LabelHyphen { label } => {
                self.fmt("finding.domain.label_hyphen", &[("label", label)])
            }
        }
    }

    fn not_routable(&self, domain: &str, why: &NotRoutable) -> String {
        match why {
            NotRoutable::Reserved { suffix } => self.fmt(
                "finding.not_routable.reserved",
                &[("domain", domain), ("suffix", suffix)],
            ),
            NotRoutable::SingleLabel => {
                self.fmt("finding.not_routable.single_label", &[("domain", domain)])
            }
            NotRoutable::UnknownTld { tld, list_date } => self.fmt(
                "finding.not_routable.unknown_tld",
                &[("tld", tld), ("date", list_date)],
            ),
        }
    }

    fn sip(&self, p: &SipProblem) -> String {
        match p {
            SipProblem::NoScheme => self.get("finding.sip.no_scheme"),
            SipProblem::Chars { chars } => self.with_chars("finding.sip.chars", chars),
            SipProblem::NotNameAtDomain => self.get("finding.sip.not_name_at_domain"),
            SipProblem::Address { problem } => self.address(problem),
            SipProblem::Unverified { domain } => {
                self.fmt("finding.sip.unverified", &[("domain", domain)])
            }
        }
    }

    fn holder(&self, h: &Holder) -> String {
        let class = match h.class {
            ObjectClass::User => self.get("finding.class.user"),
            ObjectClass::Group => self.get("finding.class.group"),
            ObjectClass::Contact => self.get("finding.class.contact"),
        };
        let attributes = self.join("finding.join.comma", h.attributes.iter().cloned());
        self.fmt(
            "finding.holder",
            &[
                ("name", &h.name),
                ("class", &class),
                ("attributes", &attributes),
            ],
        )
    }
}

/// `template` with each `{name}` replaced by its value, in one pass: an inserted value is never
/// searched for placeholders (directory values hold braces: `SystemMailbox{…}`, `CAS_{…}`).
fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let arg = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, value) = args.iter().find(|(n, _)| *n == name)?;
            Some((value, close))
        });
        match arg {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    /// One value of each variant listed by `pattern => value`, each checked against its pattern
    /// and turned into a message by `wrap`. The match over the patterns has no wildcard, so a
    /// variant added to the type and not listed here does not compile.
    macro_rules! every {
        ($ty:ty, $wrap:expr; $($pattern:pat => $value:expr),+ $(,)?) => {{
            fn listed(v: &$ty) {
                match v {
                    $($pattern => {})+
                }
            }
            let wrap = $wrap;
            vec![$({
                let v: $ty = $value;
                assert!(matches!(&v, $pattern), "{v:?} is listed under another variant");
                listed(&v);
                wrap(v)
            }),+]
        }};
    }

    fn holder(name: &str, class: ObjectClass, attributes: &[&str]) -> Holder {
        Holder {
            name: name.into(),
            class,
            attributes: attributes.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn every_domain_problem() -> Vec<Message> {
        let wrap = |problem| Message::AddressFormat {
            problem: AddressProblem::Domain { problem },
        };
        every!(DomainProblem, wrap;
            DomainProblem::Empty => DomainProblem::Empty,
            DomainProblem::EmptyLabel { .. } => DomainProblem::EmptyLabel {
                domain: "contoso..com".into(),
            },
            DomainProblem::LabelTooLong { .. } => DomainProblem::LabelTooLong {
                label: "a".repeat(64),
                max: 63,
            },
            DomainProblem::Character { .. } => DomainProblem::Character {
                domain: "con_toso.com".into(),
                character: '_',
            },
            DomainProblem::LabelHyphen { .. } => DomainProblem::LabelHyphen {
                label: "-contoso".into(),
            },
        )
    }

    fn every_not_routable() -> Vec<Message> {
        let wrap = |why| Message::DomainNotRoutable {
            domain: "contoso.local".into(),
            why,
        };
        every!(NotRoutable, wrap;
            NotRoutable::Reserved { .. } => NotRoutable::Reserved {
                suffix: "local".into(),
            },
            NotRoutable::SingleLabel => NotRoutable::SingleLabel,
            NotRoutable::UnknownTld { .. } => NotRoutable::UnknownTld {
                tld: "notatld".into(),
                list_date: "2026-10-22".into(),
            },
        )
    }

    fn every_address_problem() -> Vec<Message> {
        let wrap = |problem| Message::AddressFormat { problem };
        every!(AddressProblem, wrap;
            AddressProblem::NoAt => AddressProblem::NoAt,
            AddressProblem::SeveralAts { .. } => AddressProblem::SeveralAts { count: 2 },
            AddressProblem::NothingBeforeAt => AddressProblem::NothingBeforeAt,
            AddressProblem::LocalStartsWithDot => AddressProblem::LocalStartsWithDot,
            AddressProblem::LocalEndsWithDot => AddressProblem::LocalEndsWithDot,
            AddressProblem::LocalDoubleDot => AddressProblem::LocalDoubleDot,
            AddressProblem::LocalChars { .. } => AddressProblem::LocalChars {
                chars: "&\u{2028}".into(),
            },
            AddressProblem::Domain { .. } => AddressProblem::Domain {
                problem: DomainProblem::Empty,
            },
            AddressProblem::NotRoutable { .. } => AddressProblem::NotRoutable {
                domain: "contoso".into(),
                why: NotRoutable::SingleLabel,
            },
        )
    }

    fn every_sip_problem() -> Vec<Message> {
        let wrap = |problem| Message::SipFormat { problem };
        every!(SipProblem, wrap;
            SipProblem::NoScheme => SipProblem::NoScheme,
            SipProblem::Chars { .. } => SipProblem::Chars {
                chars: " \t\n\r\u{a0}é".into(),
            },
            SipProblem::NotNameAtDomain => SipProblem::NotNameAtDomain,
            SipProblem::Address { .. } => SipProblem::Address {
                problem: AddressProblem::LocalDoubleDot,
            },
            SipProblem::Unverified { .. } => SipProblem::Unverified {
                domain: "fabrikam.com".into(),
            },
        )
    }

    fn every_exclusion() -> Vec<Message> {
        let wrap = |by| Message::Excluded { by };
        every!(Exclusion, wrap;
            Exclusion::CriticalSystemObject => Exclusion::CriticalSystemObject,
            Exclusion::ReplicationConflict => Exclusion::ReplicationConflict,
            Exclusion::SyncServiceAccount => Exclusion::SyncServiceAccount,
            Exclusion::SupportAccount => Exclusion::SupportAccount,
            Exclusion::CasSamAccountName => Exclusion::CasSamAccountName,
            Exclusion::MachineSamAccountName => Exclusion::MachineSamAccountName,
            Exclusion::SystemMailboxNickname => Exclusion::SystemMailboxNickname,
            Exclusion::CasMailNickname => Exclusion::CasMailNickname,
            Exclusion::MachineCn => Exclusion::MachineCn,
            Exclusion::MsolContact => Exclusion::MsolContact,
            Exclusion::RichCoexistenceGroup => Exclusion::RichCoexistenceGroup,
            Exclusion::ExchangeSystemMailbox => Exclusion::ExchangeSystemMailbox,
            Exclusion::ExchangeRoleGroup => Exclusion::ExchangeRoleGroup,
            Exclusion::NoSamAccountName => Exclusion::NoSamAccountName,
            Exclusion::ContactWithoutMail => Exclusion::ContactWithoutMail,
            Exclusion::ContactNotMailEnabled => Exclusion::ContactNotMailEnabled,
            Exclusion::DistributionGroupNotMailEnabled => {
                Exclusion::DistributionGroupNotMailEnabled
            },
        )
    }

    fn every_duplicate() -> Vec<Message> {
        let wrap = |attribute| Message::Duplicate {
            attribute,
            value: "ann@contoso.com".into(),
            others: vec![holder(
                "CN=Sales,OU=Groups,DC=contoso,DC=com",
                ObjectClass::Group,
                &["mail", "proxyAddresses"],
            )],
            more: 0,
        };
        every!(DuplicateOf, wrap;
            DuplicateOf::Upn => DuplicateOf::Upn,
            DuplicateOf::UpnSoftMatch => DuplicateOf::UpnSoftMatch,
            DuplicateOf::Mail => DuplicateOf::Mail,
            DuplicateOf::TargetAddress => DuplicateOf::TargetAddress,
            DuplicateOf::Address => DuplicateOf::Address,
            DuplicateOf::MailNickname => DuplicateOf::MailNickname,
            DuplicateOf::SamAccountName => DuplicateOf::SamAccountName,
            DuplicateOf::SipAddress => DuplicateOf::SipAddress,
            DuplicateOf::SourceAnchor => DuplicateOf::SourceAnchor,
        )
    }

    fn every_object_class() -> Vec<Message> {
        let wrap = |class| Message::Duplicate {
            attribute: DuplicateOf::Mail,
            value: "ann@contoso.com".into(),
            others: vec![holder("CN=Other,DC=contoso,DC=com", class, &["mail"])],
            more: 1234,
        };
        every!(ObjectClass, wrap;
            ObjectClass::User => ObjectClass::User,
            ObjectClass::Group => ObjectClass::Group,
            ObjectClass::Contact => ObjectClass::Contact,
        )
    }

    fn every_message() -> Vec<Message> {
        every!(Message, |m| m;
            Message::Excluded { .. } => Message::Excluded {
                by: Exclusion::MachineCn,
            },
            Message::TooManyMembers { .. } => Message::TooManyMembers {
                members: 250_000,
                limit: 250_000,
            },
            Message::NoUpn => Message::NoUpn,
            Message::TooLong { .. } => Message::TooLong {
                length: 1300,
                max: 256,
            },
            Message::LocalPartTooLong { .. } => Message::LocalPartTooLong {
                length: 65,
                max: 64,
            },
            Message::DomainTooLong { .. } => Message::DomainTooLong {
                length: 49,
                max: 48,
            },
            Message::InvalidChars { .. } => Message::InvalidChars {
                chars: "& ".into(),
            },
            Message::NonAsciiChars { .. } => Message::NonAsciiChars {
                chars: "üé".into(),
            },
            Message::AddressFormat { .. } => Message::AddressFormat {
                problem: AddressProblem::NoAt,
            },
            Message::DomainNotRoutable { .. } => Message::DomainNotRoutable {
                domain: "contoso.lan".into(),
                why: NotRoutable::Reserved {
                    suffix: "lan".into(),
                },
            },
            Message::UnverifiedSuffix { becomes: Some(_), .. } => Message::UnverifiedSuffix {
                domain: "fabrikam.com".into(),
                becomes: Some("ann@contoso.onmicrosoft.com".into()),
            },
            Message::UnverifiedSuffix { becomes: None, .. } => Message::UnverifiedSuffix {
                domain: "fabrikam.com".into(),
                becomes: None,
            },
            Message::OneCharacterBeforeAt => Message::OneCharacterBeforeAt,
            Message::NoDisplayName => Message::NoDisplayName,
            Message::BlankDisplayName => Message::BlankDisplayName,
            Message::LeadingOrTrailingWhitespace => Message::LeadingOrTrailingWhitespace,
            Message::MailFormat { .. } => Message::MailFormat {
                whitespace: " \u{a0}".into(),
                non_ascii: "é".into(),
                problem: Some(AddressProblem::SeveralAts { count: 3 }),
            },
            Message::StartsOrEndsWithDot => Message::StartsOrEndsWithDot,
            Message::ReplacedWithUnderscore { .. } => Message::ReplacedWithUnderscore {
                chars: "#".into(),
            },
            Message::TooManyProxyAddresses { .. } => Message::TooManyProxyAddresses {
                count: 301,
                max: 300,
            },
            Message::ColonAfterPrefix => Message::ColonAfterPrefix,
            Message::SameAddressTwice { .. } => Message::SameAddressTwice {
                kept: "SMTP:ann@contoso.com".into(),
            },
            Message::SeveralPrimaries { .. } => Message::SeveralPrimaries {
                count: 2,
                kept: "SMTP:ann@contoso.com".into(),
            },
            Message::NoPrimaryAmongSecondaries => Message::NoPrimaryAmongSecondaries,
            Message::NoSmtpProxy => Message::NoSmtpProxy,
            Message::ConsistencyGuidIsObjectGuid => Message::ConsistencyGuidIsObjectGuid,
            Message::ConsistencyGuidDiffers => Message::ConsistencyGuidDiffers,
            Message::ConsistencyGuidPopulated => Message::ConsistencyGuidPopulated,
            Message::TooManyValues { .. } => Message::TooManyValues {
                count: 16,
                attribute: "userCertificate".into(),
                max: 15,
            },
            Message::SfbAttributesMissing { .. } => Message::SfbAttributesMissing {
                attributes: vec![
                    "msRTCSIP-PrimaryUserAddress".into(),
                    "msRTCSIP-DeploymentLocator".into(),
                ],
            },
            Message::VoiceWithoutLine => Message::VoiceWithoutLine,
            Message::SipFormat { .. } => Message::SipFormat {
                problem: SipProblem::NoScheme,
            },
            Message::SipDiffersFromUpn { .. } => Message::SipDiffersFromUpn {
                sip: "ann@contoso.com".into(),
                upn: "ann.smith@contoso.com".into(),
            },
            Message::StaleSipProxy { .. } => Message::StaleSipProxy {
                primary: "sip:ann@contoso.com".into(),
            },
            Message::OriginatorSidUnmatched { .. } => Message::OriginatorSidUnmatched {
                domain_sid: "S-1-5-21-1-2-3".into(),
                sid: "S-1-5-21-1-2-3-1001".into(),
            },
            Message::Duplicate { .. } => Message::Duplicate {
                attribute: DuplicateOf::SamAccountName,
                value: "ann".into(),
                others: vec![
                    holder("CN=Ann,OU=Staff,DC=contoso,DC=com", ObjectClass::User, &[
                        "sAMAccountName",
                    ]),
                    holder("CN=Ann,OU=Old,DC=fabrikam,DC=com", ObjectClass::User, &[
                        "sAMAccountName",
                    ]),
                ],
                more: 3,
            },
        )
    }

    /// Whether `s` still holds a `{placeholder}`.
    fn placeholder_left(s: &str) -> bool {
        s.split('{').skip(1).any(|p| {
            p.split_once('}').is_some_and(|(name, _)| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            })
        })
    }

    /// Whether `s` has words (two letters in a row), not only values and punctuation.
    fn has_words(s: &str) -> bool {
        s.chars()
            .zip(s.chars().skip(1))
            .any(|(a, b)| a.is_alphabetic() && b.is_alphabetic())
    }

    #[test]
    fn every_message_is_worded_in_both_languages() {
        let all: Vec<Message> = [
            every_message(),
            every_exclusion(),
            every_address_problem(),
            every_domain_problem(),
            every_not_routable(),
            every_sip_problem(),
            every_duplicate(),
            every_object_class(),
        ]
        .concat();
        for m in &all {
            let en = finding_message(Lang::En.catalog(), m);
            let fr = finding_message(Lang::Fr.catalog(), m);
            for (lang, text) in [("en", &en), ("fr", &fr)] {
                assert!(
                    !text.trim().is_empty(),
                    "{lang}: {m:?} is worded as nothing"
                );
                assert!(
                    !placeholder_left(text),
                    "{lang}: a placeholder is left: {text}"
                );
                assert!(!text.contains("finding."), "{lang}: a key is shown: {text}");
            }
            assert!(
                !has_words(&en) || en != fr,
                "the French of {m:?} is the English: {en}"
            );
        }
        for lang in Lang::ALL {
            let missing: Vec<String> = lang
                .catalog()
                .missing()
                .into_iter()
                .filter(|k| k.starts_with("finding."))
                .collect();
            assert!(missing.is_empty(), "{lang}: keys missing: {missing:?}");
        }
    }

    #[test]
    fn values_are_inserted_as_they_are_and_figures_grouped() {
        let en = Lang::En.catalog();
        let fr = Lang::Fr.catalog();
        let m = Message::TooManyMembers {
            members: 250_000,
            limit: 250_000,
        };
        assert!(finding_message(en, &m).contains("250,000"));
        assert!(finding_message(fr, &m).contains("250\u{202f}000"));
        // A value holding a placeholder's name is not filled again.
        let m = Message::StaleSipProxy {
            primary: "sip:{primary}@x.com".into(),
        };
        assert!(finding_message(en, &m).contains("sip:{primary}@x.com"));
        // Characters are named in the catalogue's language.
        let m = Message::InvalidChars {
            chars: " \t\u{a0}&".into(),
        };
        let (e, f) = (finding_message(en, &m), finding_message(fr, &m));
        assert!(e.contains("space") && e.contains("tab") && e.contains("no-break space"));
        assert!(f.contains("espace") && f.contains("tabulation") && f.contains("espace insécable"));
        assert!(
            e.contains("“&”") && f.contains("«\u{a0}&\u{a0}»"),
            "{e} / {f}"
        );
        // French typography: a no-break space before the colon.
        assert!(f.contains("\u{a0}:"), "{f}");
        assert_eq!(fill("{a}{b}{c}", &[("a", "{b}"), ("b", "x")]), "{b}x{c}");
    }
}
