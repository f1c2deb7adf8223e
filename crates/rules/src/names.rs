//! displayName and givenName: the names the address book shows.

use super::eval::Out;
use super::registry::{V0_1_0, declare_rules, src};
use super::text::{char_len, truncate_chars};
use super::{Effect, Field, Fix, Message, Severity, too_long};
use hybridready_directory::{Attr, ObjectKind, dn};

const ALL_KINDS: &[ObjectKind] = &[ObjectKind::User, ObjectKind::Group, ObjectKind::Contact];
const DISPLAY: Field = Field::Attr(Attr::DisplayName);
const GIVEN: Field = Field::Attr(Attr::GivenName);

pub const MAX_DISPLAY_NAME: usize = 256;
pub const MAX_GIVEN_NAME: usize = 64;

declare_rules! {
    pub static DN_BLANK = super::Rule {
        id: "DN-BLANK",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[DISPLAY, Field::Attr(Attr::Cn), Field::Dn],
        summary: "displayName only whitespace",
        explanation: "A synced object's displayName, when present, must not be blank. An empty \
            cell is no value (Active Directory stores no empty attribute, and an export cannot \
            tell the two apart), and an object without a displayName is not a finding; a column \
            missing from every input is not checked at all.",
        fix: "Set a displayName. The suggested value is the object's cn (its name in the DN), \
            as IdFix proposes.",
        source: concat!(src!(m365_prepare), "; ", src!(idfix_mt), " (displayName Blank)"),
        since: V0_1_0,
    };
    pub static DN_LEN = super::Rule {
        id: "DN-LEN",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[DISPLAY],
        summary: "displayName longer than 256 characters",
        explanation: "displayName is limited to 256 characters. IdFix's multi-tenant rules use \
            255, one short of the documented limit.",
        fix: "Shorten it; the suggested value is cut to 256 characters.",
        source: concat!(src!(m365_prepare), " (IdFix MT uses 255)"),
        since: V0_1_0,
    };
    pub static DN_WS = super::Rule {
        id: "DN-WS",
        severity: Severity::Warning,
        effect: Effect::Advisory,
        kinds: ALL_KINDS,
        reads: &[DISPLAY],
        summary: "displayName starts or ends with whitespace",
        explanation: "Leading or trailing spaces make names sort and search wrongly in the \
            address book; IdFix's dedicated-mode rules flag them.",
        fix: "Trim the value; the suggested value is trimmed.",
        source: src!(idfix_dedicated),
        since: V0_1_0,
    };
    pub static GN_LEN = super::Rule {
        id: "GN-LEN",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: &[ObjectKind::User, ObjectKind::Contact],
        reads: &[GIVEN],
        summary: "givenName longer than 64 characters",
        explanation: "givenName is limited to 64 characters. IdFix uses 63, one short of the \
            documented limit, so it flags valid 64-character names.",
        fix: "Shorten it; the suggested value is cut to 64 characters.",
        source: concat!(src!(m365_prepare), " (IdFix uses 63)"),
        since: V0_1_0,
    };
}

pub(crate) fn check(out: &mut Out) {
    if let Some(name) = out.attr(Attr::DisplayName) {
        display_name(out, name);
    }
    if matches!(out.kind, ObjectKind::User | ObjectKind::Contact)
        && let Some(given) = out.value(Attr::GivenName)
    {
        let len = char_len(given);
        if len > MAX_GIVEN_NAME {
            let fix = Fix::Edit(truncate_chars(given, MAX_GIVEN_NAME).trim_end().to_string());
            out.emit(&GN_LEN, GIVEN, given, fix, too_long(len, MAX_GIVEN_NAME));
        }
    }
}

fn display_name(out: &mut Out, name: &str) {
    // An empty cell is no value: AD stores no empty attribute, so the object has no
    // displayName, which the sync accepts. csvde writes every column for every object and
    // PowerShell only those asked for, so firing here made the findings depend on the exporter.
    if name.is_empty() {
        return;
    }
    let trimmed = name.trim();
    if trimmed.is_empty() {
        let fix = from_cn(out).map_or(Fix::None, Fix::Edit);
        out.emit(&DN_BLANK, DISPLAY, name, fix, Message::BlankDisplayName);
        return;
    }
    let repaired = || {
        truncate_chars(trimmed, MAX_DISPLAY_NAME)
            .trim_end()
            .to_string()
    };
    let len = char_len(name);
    if len > MAX_DISPLAY_NAME {
        out.emit(
            &DN_LEN,
            DISPLAY,
            name,
            Fix::Edit(repaired()),
            too_long(len, MAX_DISPLAY_NAME),
        );
    }
    if trimmed.len() != name.len() {
        out.emit(
            &DN_WS,
            DISPLAY,
            name,
            Fix::Edit(repaired()),
            Message::LeadingOrTrailingWhitespace,
        );
    }
}

/// The object's cn (or its DN's first RDN value), trimmed and cut to the displayName limit.
fn from_cn(out: &Out) -> Option<String> {
    let cn = match out.value(Attr::Cn) {
        Some(c) => c.to_string(),
        None => dn::first_rdn_value(out.dir.dn(out.id)?)?.into_owned(),
    };
    // A replication-conflict suffix is not part of the name.
    let cn = cn.split("\nCNF:").next().unwrap_or_default();
    let v = truncate_chars(cn.trim(), MAX_DISPLAY_NAME).trim_end();
    (!v.is_empty()).then(|| v.to_string())
}
