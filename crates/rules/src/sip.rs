//! Skype for Business attributes of SfB-enabled users: what hybrid needs synced, and consistent.

use super::eval::Out;
use super::mail::local_or_domain_problem;
use super::registry::{V0_1_0, declare_rules, src};
use super::text::{Classes, address_shape_ok, class, has_prefix_ignore_case, is_space, offending};
use super::tld::routability;
use super::{Effect, Field, Fix, Message, Severity};
use hybridready_assessment::finding::SipProblem;
use hybridready_directory::fold::ci_eq;
use hybridready_directory::{Attr, ObjectKind};

const USER: &[ObjectKind] = &[ObjectKind::User];
const SIP: Field = Field::Attr(Attr::SipAddress);

declare_rules! {
    pub static SIP_PRESENT = super::Rule {
        id: "SIP-PRESENT",
        severity: Severity::Warning,
        effect: Effect::Advisory,
        kinds: USER,
        reads: &[SIP, Field::Attr(Attr::HostingProvider), Field::Attr(Attr::SfbEnabled)],
        summary: "SfB-enabled user without msRTCSIP-PrimaryUserAddress or msRTCSIP-DeploymentLocator",
        explanation: "Hybrid needs, at minimum, msRTCSIP-PrimaryUserAddress (the SIP address), \
            msRTCSIP-DeploymentLocator (homed on-premises or online) and msRTCSIP-UserEnabled \
            synced for every SfB user. Without a DeploymentLocator, the online service tries to \
            provision a licensed user online although it lives on-premises.",
        fix: "Re-enable the user for Skype for Business (Enable-CsUser with a SIP address and \
            registrar pool), or check that the export carried the attributes.",
        source: concat!(src!(sfb_aadc), "; MicrosoftDocs/office-docs-powershell: teams/teams-ps/teams/Disable-CsOnlineSipDomain.md"),
        since: V0_1_0,
    };
    pub static SIP_VOICE = super::Rule {
        id: "SIP-VOICE",
        severity: Severity::Warning,
        effect: Effect::Advisory,
        kinds: USER,
        reads: &[Field::Attr(Attr::OptionFlags), Field::Attr(Attr::EnterpriseVoice), Field::Attr(Attr::LineUri), Field::Attr(Attr::SfbEnabled)],
        summary: "Enterprise Voice user without msRTCSIP-Line",
        explanation: "A user enabled for Enterprise Voice (msRTCSIP-OptionFlags bit 128, or \
            EnterpriseVoiceEnabled) normally has a phone number in msRTCSIP-Line. When phone \
            attributes are managed on-premises, Line and OptionFlags must sync for the user's \
            number to follow them online.",
        fix: "Assign the user's LineURI (Set-CsUser -LineURI), or disable Enterprise Voice if the \
            user has no number.",
        source: src!(sfb_aadc),
        since: V0_1_0,
    };
    pub static SIP_FORMAT = super::Rule {
        id: "SIP-FORMAT",
        severity: Severity::Warning,
        effect: Effect::Advisory,
        kinds: USER,
        reads: &[SIP, Field::Attr(Attr::SfbEnabled)],
        summary: "SIP address is not sip:name@domain with a routable or verified domain",
        explanation: "msRTCSIP-PrimaryUserAddress must be a `sip:` URI of the form \
            `sip:name@domain`, and its domain must be a domain the tenant can verify: a SIP \
            domain that is not verified blocks the user's move online. (A check proposed beyond \
            the documented rules.)",
        fix: "Correct the SIP address (Set-CsUser -SipAddress). When only the `sip:` prefix is \
            missing, the suggested value adds it.",
        source: concat!(src!(sfb_aadc), " (proposed check)"),
        since: V0_1_0,
    };
    pub static SIP_DUP = super::Rule {
        id: "SIP-DUP",
        severity: Severity::Warning,
        effect: Effect::Advisory,
        kinds: USER,
        reads: &[SIP, Field::Attr(Attr::SfbEnabled)],
        summary: "SIP address held by another SfB-enabled user",
        explanation: "A SIP address identifies one user; two SfB users with the same one cannot \
            both be routed, on-premises or online. Usually one is a leftover of a re-created \
            account. (A check proposed beyond the documented rules.)",
        fix: "Disable SfB on the stale account (Disable-CsUser) or change one SIP address.",
        source: concat!(src!(sfb_aadc), " (proposed check)"),
        since: V0_1_0,
    };
    pub static SIP_UPN = super::Rule {
        id: "SIP-UPN",
        severity: Severity::Info,
        effect: Effect::Advisory,
        kinds: USER,
        reads: &[SIP, Field::Attr(Attr::UserPrincipalName), Field::Attr(Attr::SfbEnabled)],
        summary: "SIP address differs from the userPrincipalName",
        explanation: "\"In the Skype for Business client, we assume that the SIP/UPN values are \
            the same\"; \"only deployments with matching SIP/SMTP and UPNs were tested\". \
            Mismatches may reduce functionality (Exchange integration, single sign-on) and \
            need extra care when decommissioning.",
        fix: "Align the SIP address and the UPN where possible.",
        source: concat!(src!(sfb_multi_forest), "; ", src!(sfb_attributes)),
        since: V0_1_0,
    };
    pub static SIP_PROXY = super::Rule {
        id: "SIP-PROXY",
        severity: Severity::Warning,
        effect: Effect::Advisory,
        kinds: USER,
        reads: &[SIP, Field::Attr(Attr::ProxyAddresses), Field::Attr(Attr::SfbEnabled)],
        summary: "a SIP: proxy address differs from msRTCSIP-PrimaryUserAddress",
        explanation: "A `sip:` value in proxyAddresses \"is ignored by O365 if \
            msRTCSIP-PrimaryUserAddress is populated\": a different one is stale and misleads \
            whoever reads the directory (and the services that do read it). (A check proposed \
            beyond the documented rules.)",
        fix: "Update or remove the stale SIP: proxy address; the suggested value is the primary \
            SIP address, or removal when another SIP: proxy already holds it.",
        source: concat!(src!(sfb_attributes), " (proposed check)"),
        since: V0_1_0,
    };
    pub static SIP_FOREST = super::Rule {
        id: "SIP-FOREST",
        severity: Severity::Warning,
        effect: Effect::Advisory,
        kinds: USER,
        reads: &[Field::Attr(Attr::OriginatorSid), Field::Attr(Attr::Sid), Field::Attr(Attr::Enabled), Field::Attr(Attr::UserAccountControl)],
        summary: "resource-forest user whose msRTCSIP-OriginatorSID matches no account-forest objectSid",
        explanation: "In a resource-forest topology, each user is a disabled user object in the \
            SfB forest whose msRTCSIP-OriginatorSID equals the objectSid of the account-forest \
            user; Entra Connect joins the two on it. A SID that matches no user of an \
            account domain present in the inputs leaves the SfB object unjoined. Only checked \
            when that account domain's objects are in the inputs.",
        fix: "Correct msRTCSIP-OriginatorSID to the account-forest user's objectSid (or remove \
            the orphaned resource-forest object).",
        source: concat!(src!(sfb_multi_forest), "; ", src!(sfb_aadc)),
        since: V0_1_0,
    };
}

/// A SIP address without its `sip:` scheme.
#[inline]
pub fn strip_sip(v: &str) -> &str {
    if has_prefix_ignore_case(v, b"sip:") {
        &v[4..]
    } else {
        v
    }
}

pub(crate) fn check(out: &mut Out) {
    if out.kind != ObjectKind::User {
        return;
    }
    forest(out);
    if !out.dir.is_sfb_enabled(out.id) {
        return;
    }
    let sip = out.attr(Attr::SipAddress);
    let locator = out.attr(Attr::HostingProvider);
    let missing: Vec<String> = [(sip, Attr::SipAddress), (locator, Attr::HostingProvider)]
        .into_iter()
        .filter(|(v, _)| *v == Some(""))
        .map(|(_, a)| a.ldap_name().to_string())
        .collect();
    if !missing.is_empty() {
        let field = if sip == Some("") {
            SIP
        } else {
            Field::Attr(Attr::HostingProvider)
        };
        out.emit(
            &SIP_PRESENT,
            field,
            "",
            Fix::None,
            Message::SfbAttributesMissing {
                attributes: missing,
            },
        );
    }
    voice(out);
    let Some(sip) = sip.filter(|s| !s.is_empty()) else {
        return;
    };
    if let Some(problem) = sip_problem(out, sip) {
        let fix = if !has_prefix_ignore_case(sip, b"sip:")
            && sip_problem(out, &format!("sip:{sip}")).is_none()
        {
            Fix::Edit(format!("sip:{sip}"))
        } else {
            Fix::None
        };
        out.emit(&SIP_FORMAT, SIP, sip, fix, Message::SipFormat { problem });
    }
    let address = strip_sip(sip);
    if let Some(upn) = out.value(Attr::UserPrincipalName)
        && !ci_eq(address, upn)
    {
        out.emit(
            &SIP_UPN,
            SIP,
            sip,
            Fix::None,
            Message::SipDiffersFromUpn {
                sip: address.to_string(),
                upn: upn.to_string(),
            },
        );
    }
    let proxies = out.proxies;
    let sip_proxies = || {
        proxies
            .iter()
            .copied()
            .filter(|p| has_prefix_ignore_case(p, b"sip:"))
    };
    if sip_proxies().all(|p| ci_eq(&p[4..], address)) {
        return;
    }
    let has_matching = sip_proxies().any(|p| ci_eq(&p[4..], address));
    let stale: Vec<&str> = sip_proxies().filter(|p| !ci_eq(&p[4..], address)).collect();
    for p in stale {
        if ci_eq(&p[4..], address) {
            continue;
        }
        let fix = if has_matching {
            Fix::Remove
        } else {
            Fix::Edit(format!("SIP:{address}"))
        };
        out.emit(
            &SIP_PROXY,
            Field::Attr(Attr::ProxyAddresses),
            p,
            fix,
            Message::StaleSipProxy {
                primary: sip.to_string(),
            },
        );
    }
}

fn voice(out: &mut Out) {
    let flags_voice = out
        .dir
        .int_attr(out.id, Attr::OptionFlags)
        .is_some_and(|f| f & 128 != 0);
    let ev = out.dir.bool_attr(out.id, Attr::EnterpriseVoice) == Some(true);
    if (flags_voice || ev) && out.attr(Attr::LineUri) == Some("") {
        let (field, value) = if flags_voice {
            (
                Field::Attr(Attr::OptionFlags),
                out.value(Attr::OptionFlags).unwrap_or_default(),
            )
        } else {
            (Field::Attr(Attr::EnterpriseVoice), "True")
        };
        out.emit(
            &SIP_VOICE,
            field,
            value,
            Fix::None,
            Message::VoiceWithoutLine,
        );
    }
}

/// What is wrong with a SIP URI, or `None`.
fn sip_problem(out: &Out, sip: &str) -> Option<SipProblem> {
    if !has_prefix_ignore_case(sip, b"sip:") {
        return Some(SipProblem::NoScheme);
    }
    let address = &sip[4..];
    // The same text as the UPN or mail already found valid (most SIP addresses are `sip:` and
    // the UPN): its characters, shape and routable domain need no second look, only whether the
    // tenant verified its domain.
    if out.valid_address == Some(address)
        && address
            .rsplit_once('@')
            .is_some_and(|(_, d)| out.ctx.is_verified(d) != Some(false))
    {
        return None;
    }
    let clean = !Classes::of(address).any(class::NOT_ADDRESS | class::NON_ASCII);
    if clean
        && address_shape_ok(address)
        && address.rsplit_once('@').is_some_and(|(_, d)| {
            out.ctx.is_verified(d) == Some(true)
                || (routability(d).is_ok() && out.ctx.is_verified(d).is_none())
        })
    {
        return None;
    }
    let spaces = offending(address, |c| is_space(c) || !c.is_ascii());
    if !spaces.is_empty() {
        return Some(SipProblem::Chars { chars: spaces });
    }
    let (local, domain) = match address.split_once('@') {
        Some((l, d)) if !d.contains('@') => (l, d),
        _ => return Some(SipProblem::NotNameAtDomain),
    };
    if let Some(problem) = local_or_domain_problem(local, domain) {
        return Some(SipProblem::Address { problem });
    }
    match (out.ctx.is_verified(domain), routability(domain)) {
        (Some(true), _) => None,
        (_, Err(why)) => Some(SipProblem::Address {
            problem: why.address_problem(domain),
        }),
        (Some(false), Ok(())) => Some(SipProblem::Unverified {
            domain: domain.to_string(),
        }),
        (None, Ok(())) => None,
    }
}

/// SIP-FOREST: a disabled resource-forest user whose OriginatorSID names no object of an
/// account domain the inputs hold.
fn forest(out: &mut Out) {
    let Some(origin) = out.value(Attr::OriginatorSid) else {
        return;
    };
    if out
        .value(Attr::Sid)
        .is_some_and(|s| s.eq_ignore_ascii_case(origin))
        || !out.ctx.is_disabled(out.id)
    {
        return;
    }
    let Some((domain_sid, _)) = origin.rsplit_once('-') else {
        return;
    };
    if !out
        .ctx
        .domain_sids
        .contains(&domain_sid.to_ascii_uppercase())
        || out.ctx.sids.contains(origin)
    {
        return;
    }
    out.emit(
        &SIP_FOREST,
        Field::Attr(Attr::OriginatorSid),
        origin,
        Fix::None,
        Message::OriginatorSidUnmatched {
            domain_sid: domain_sid.to_string(),
            sid: origin.to_string(),
        },
    );
}
