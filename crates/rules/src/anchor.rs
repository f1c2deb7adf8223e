//! The sourceAnchor (objectGUID or mS-DS-ConsistencyGuid), and the certificate count limit.

use super::eval::Out;
use super::registry::{V0_1_0, declare_rules, src};
use super::{Effect, Field, Fix, Message, Severity};
use hybridready_directory::{Attr, ObjectKind};

const ALL_KINDS: &[ObjectKind] = &[ObjectKind::User, ObjectKind::Group, ObjectKind::Contact];

/// At most this many values of userCertificate, and of userSMIMECertificate.
pub const MAX_CERTIFICATES: usize = 15;

declare_rules! {
    pub static ANCHOR_DUP = super::Rule {
        id: "ANCHOR-DUP",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: ALL_KINDS,
        reads: &[Field::Attr(Attr::ObjectGuid), Field::Attr(Attr::ConsistencyGuid)],
        summary: "objectGUID or mS-DS-ConsistencyGuid value held by another object",
        explanation: "The sourceAnchor must be globally unique: it is the immutable link between \
            the AD object and its Entra ID object. Two objects with the same \
            mS-DS-ConsistencyGuid (typically copied by a migration tool), or one object's \
            ConsistencyGuid equal to another's objectGUID, would hard-match the same cloud \
            object. IdFix has no sourceAnchor check.",
        fix: "Clear the copied mS-DS-ConsistencyGuid on the object that should not match (before \
            its first sync), or remove the stale duplicate object.",
        source: src!(entra_design),
        since: V0_1_0,
    };
    pub static ANCHOR_CG = super::Rule {
        id: "ANCHOR-CG",
        severity: Severity::Info,
        effect: Effect::Advisory,
        kinds: ALL_KINDS,
        reads: &[Field::Attr(Attr::ConsistencyGuid), Field::Attr(Attr::ObjectGuid)],
        summary: "mS-DS-ConsistencyGuid already populated",
        explanation: "From Connect 1.1.524.0, mS-DS-ConsistencyGuid can be the sourceAnchor, and \
            Connect writes objectGUID into it when empty. If it is already populated on any \
            object, the install wizard falls back to objectGUID (unless run with \
            /SkipLdapSearch). Check the values are the ones you intend to match on: a value \
            different from the object's own objectGUID means it was copied or migrated.",
        fix: "Nothing to fix if the values are intended (a previous sync, a migration); \
            otherwise clear them before the first sync.",
        source: src!(entra_design),
        since: V0_1_0,
    };
    pub static CERT_COUNT = super::Rule {
        id: "CERT-COUNT",
        severity: Severity::Error,
        effect: Effect::BlocksSync,
        kinds: &[ObjectKind::User, ObjectKind::Contact],
        reads: &[Field::Attr(Attr::UserCertificate), Field::Attr(Attr::UserSmimeCertificate)],
        summary: "more than 15 userCertificate or userSMIMECertificate values",
        explanation: "Entra ID holds at most 15 certificates in userCertificate, and 15 in \
            userSMIMECertificate (a hard limit); more fail export with LargeObject. Old \
            certificates are rarely removed when new ones are enrolled.",
        fix: "Remove expired and superseded certificates.",
        source: concat!(src!(entra_tshoot), " (LargeObject)"),
        since: V0_1_0,
    };
}

pub(crate) fn check(out: &mut Out) {
    if let Some(cg) = out.value(Attr::ConsistencyGuid) {
        let own = out.value(Attr::ObjectGuid);
        let message = match own {
            Some(g) if g.eq_ignore_ascii_case(cg) => Message::ConsistencyGuidIsObjectGuid,
            Some(_) => Message::ConsistencyGuidDiffers,
            None => Message::ConsistencyGuidPopulated,
        };
        out.emit(
            &ANCHOR_CG,
            Field::Attr(Attr::ConsistencyGuid),
            cg,
            Fix::None,
            message,
        );
    }
    if matches!(out.kind, ObjectKind::User | ObjectKind::Contact) {
        for attr in [Attr::UserCertificate, Attr::UserSmimeCertificate] {
            let n = out.dir.values(out.id, attr).count();
            if n > MAX_CERTIFICATES {
                out.emit(
                    &CERT_COUNT,
                    Field::Attr(attr),
                    &n.to_string(),
                    Fix::None,
                    Message::TooManyValues {
                        count: n as u64,
                        attribute: attr.ldap_name().to_string(),
                        max: MAX_CERTIFICATES as u64,
                    },
                );
            }
        }
    }
}
