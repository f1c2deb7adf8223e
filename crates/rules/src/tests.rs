//! Behaviour of the rules on small directories built through the public builder API: one defect
//! per rule, clean objects, the differences from IdFix, unknown versus empty, and suggestions.

use super::registry::all;
use super::{Field, Finding, Fix, Message, RuleContext, Severity, evaluate};
use hybridready_assessment::finding::{DuplicateOf, NotRoutable};
use hybridready_directory::{
    Attr, Directory, DirectoryBuilder, FileId, ObjectKind, RecordBatch, RefKind, RowWhat,
};
use std::collections::{BTreeMap, BTreeSet};

/// Rows for one test directory. Every object starts from a clean template; tests override
/// values.
struct Fixture {
    batch: RecordBatch,
    line: u64,
}

type Values = Vec<(Attr, String)>;

fn set(vals: &mut Values, attr: Attr, v: &str) {
    match vals.iter_mut().find(|(a, _)| *a == attr) {
        Some(slot) => slot.1 = v.to_string(),
        None => vals.push((attr, v.to_string())),
    }
}

fn guid(n: u32) -> String {
    format!("00000000-0000-0000-0000-{n:012x}")
}

/// A user that breaks no rule: SfB-enabled with matching SIP, UPN and mail.
fn clean_user(n: u32) -> (String, Values) {
    let name = format!("user{n}");
    let dn = format!("CN=User {n},OU=Staff,DC=contoso,DC=com");
    let vals = vec![
        (Attr::ObjectGuid, guid(n)),
        (Attr::Sid, format!("S-1-5-21-1-2-3-{}", 1000 + n)),
        (Attr::SamAccountName, name.clone()),
        (Attr::UserPrincipalName, format!("{name}@contoso.com")),
        (Attr::Cn, format!("User {n}")),
        (Attr::DisplayName, format!("User {n}")),
        (Attr::GivenName, "User".into()),
        (Attr::Mail, format!("{name}@contoso.com")),
        (Attr::MailNickname, name.clone()),
        (
            Attr::ProxyAddresses,
            format!(
                "SMTP:{name}@contoso.com\nsmtp:{name}@contoso.mail.onmicrosoft.com\n\
                 X500:/o=Contoso (Org)/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn={name} o'neil\n\
                 SIP:{name}@contoso.com"
            ),
        ),
        (Attr::TargetAddress, String::new()),
        (Attr::IsCriticalSystemObject, String::new()),
        (Attr::MsExchRecipientTypeDetails, "1".into()),
        (Attr::ConsistencyGuid, String::new()),
        (Attr::UserCertificate, "MIIB1\nMIIB2".into()),
        (Attr::SfbEnabled, "True".into()),
        (Attr::SipAddress, format!("sip:{name}@contoso.com")),
        (Attr::HostingProvider, "SRV:".into()),
        (Attr::OptionFlags, "257".into()),
        (Attr::LineUri, String::new()),
        (Attr::Enabled, "True".into()),
    ];
    (dn, vals)
}

fn clean_group(n: u32, distribution: bool) -> (String, Values) {
    let name = format!("group{n}");
    let dn = format!("CN=Group {n},OU=Groups,DC=contoso,DC=com");
    let mut vals = vec![
        (Attr::ObjectGuid, guid(n)),
        (Attr::Sid, format!("S-1-5-21-1-2-3-{}", 1000 + n)),
        (Attr::SamAccountName, name.clone()),
        (Attr::Cn, format!("Group {n}")),
        (Attr::DisplayName, format!("Group {n}")),
    ];
    if distribution {
        vals.extend([
            (Attr::GroupType, "8".to_string()),
            (Attr::Mail, format!("{name}@contoso.com")),
            (Attr::MailNickname, name.clone()),
            (Attr::ProxyAddresses, format!("SMTP:{name}@contoso.com")),
        ]);
    } else {
        vals.extend([
            (Attr::GroupType, "-2147483646".to_string()),
            (Attr::Mail, String::new()),
            (Attr::ProxyAddresses, String::new()),
        ]);
    }
    (dn, vals)
}

fn clean_contact(n: u32) -> (String, Values) {
    let name = format!("contact{n}");
    let dn = format!("CN=Contact {n},OU=Contacts,DC=contoso,DC=com");
    let vals = vec![
        (Attr::ObjectGuid, guid(n)),
        (Attr::Cn, format!("Contact {n}")),
        (Attr::DisplayName, format!("Contact {n}")),
        (Attr::GivenName, "Contact".into()),
        (Attr::Mail, format!("{name}@fabrikam.com")),
        (Attr::MailNickname, name.clone()),
        (Attr::ProxyAddresses, format!("SMTP:{name}@fabrikam.com")),
        (Attr::TargetAddress, format!("SMTP:{name}@fabrikam.com")),
    ];
    (dn, vals)
}

impl Fixture {
    fn new() -> Self {
        Fixture {
            batch: RecordBatch::new(FileId(0)),
            line: 1,
        }
    }
    fn add(&mut self, kind: ObjectKind, dn: &str, vals: &Values, refs: &[(RefKind, String)]) {
        self.line += 1;
        let start = self.batch.start_row();
        for (a, v) in vals {
            self.batch.value(*a, v);
        }
        for (k, target) in refs {
            self.batch.dn_ref(*k, target).unwrap();
        }
        let dn = self.batch.dns.intern(dn).unwrap();
        self.batch
            .end_row(start, self.line, RowWhat::Object(kind), Some(dn));
    }
    fn finish(self) -> Directory {
        let mut b = DirectoryBuilder::new();
        b.absorb(&self.batch);
        b.finish()
    }
}

fn dn_of(dir: &Directory, f: &Finding) -> String {
    dir.dn(f.object).unwrap_or_default().to_string()
}

fn pairs(dir: &Directory, findings: &[Finding]) -> BTreeSet<(&'static str, String)> {
    findings
        .iter()
        .map(|f| (f.rule.id, dn_of(dir, f)))
        .collect()
}

/// Every finding keeps the promises of its rule's declaration.
fn assert_declarations_hold(findings: &[Finding]) {
    for f in findings {
        assert!(
            f.rule.kinds.contains(&f.kind),
            "{} fired on a {:?}",
            f.rule.id,
            f.kind
        );
        assert!(
            f.rule.reads.contains(&f.field),
            "{} reported {} which it does not declare",
            f.rule.id,
            f.field.name()
        );
        assert_eq!(f.effect, f.rule.effect);
    }
}

/// One object (or a pair, for duplicates) per rule, each a clean object with one defect; plus
/// clean objects of every kind. Returns the directory and the expected `(rule, DN)` pairs.
fn defect_fixture() -> (
    Directory,
    BTreeSet<(&'static str, String)>,
    BTreeSet<String>,
) {
    let mut fx = Fixture::new();
    let mut expected: BTreeSet<(&'static str, String)> = BTreeSet::new();
    let mut defective: BTreeSet<String> = BTreeSet::new();
    let mut n = 0u32;
    let mut next = || {
        n += 1;
        n
    };
    let mut user = |fx: &mut Fixture, rule: &'static str, edits: &[(Attr, &str)], expect: bool| {
        let i = next();
        let (dn, mut vals) = clean_user(i);
        for (a, v) in edits {
            set(&mut vals, *a, &v.replace("{n}", &i.to_string()));
        }
        fx.add(ObjectKind::User, &dn, &vals, &[]);
        if expect {
            expected.insert((rule, dn.clone()));
        }
        defective.insert(dn.clone());
        dn
    };
    let long_local = "a".repeat(65);
    let long_domain = format!("{}.contoso.com", "d".repeat(40));
    user(
        &mut fx,
        "SKIP-CRIT",
        &[(Attr::IsCriticalSystemObject, "True")],
        true,
    );
    user(
        &mut fx,
        "SKIP-SVC",
        &[(Attr::SamAccountName, "MSOL_0123abcd")],
        true,
    );
    user(
        &mut fx,
        "SKIP-EXCH",
        &[(Attr::MsExchRecipientTypeDetails, "536870912")],
        true,
    );
    user(&mut fx, "SKIP-NOSAM", &[(Attr::SamAccountName, "")], true);
    user(&mut fx, "UPN-BLANK", &[(Attr::UserPrincipalName, "")], true);
    user(
        &mut fx,
        "UPN-LEN",
        &[(
            Attr::UserPrincipalName,
            &format!("{}@{}", "b".repeat(64), "e".repeat(45) + ".com"),
        )],
        true,
    );
    user(
        &mut fx,
        "UPN-LEN-LOCAL",
        &[(
            Attr::UserPrincipalName,
            &format!("{long_local}@contoso.com"),
        )],
        true,
    );
    user(
        &mut fx,
        "UPN-LEN-DOMAIN",
        &[(Attr::UserPrincipalName, &format!("u{{n}}@{long_domain}"))],
        true,
    );
    user(
        &mut fx,
        "UPN-CHAR",
        &[(Attr::UserPrincipalName, "john&smith{n}@contoso.com")],
        true,
    );
    user(
        &mut fx,
        "UPN-NONASCII",
        &[(Attr::UserPrincipalName, "jürgen{n}@contoso.com")],
        true,
    );
    user(
        &mut fx,
        "UPN-FORMAT",
        &[(Attr::UserPrincipalName, "john..doe{n}@contoso.com")],
        true,
    );
    user(
        &mut fx,
        "UPN-TLD",
        &[(Attr::UserPrincipalName, "user{n}@contoso.local")],
        true,
    );
    user(
        &mut fx,
        "UPN-UNVERIFIED",
        &[(Attr::UserPrincipalName, "user{n}@fabrikam.com")],
        true,
    );
    user(
        &mut fx,
        "UPN-DUP",
        &[(Attr::UserPrincipalName, "shared.upn@contoso.com")],
        true,
    );
    user(
        &mut fx,
        "UPN-DUP",
        &[(Attr::UserPrincipalName, "Shared.UPN@contoso.com")],
        true,
    );
    user(
        &mut fx,
        "UPN-PREFIX1",
        &[(Attr::UserPrincipalName, "q@contoso.com")],
        true,
    );
    user(
        &mut fx,
        "SAM-LEN",
        &[(Attr::SamAccountName, "a.very.long.sam.name{n}")],
        true,
    );
    user(
        &mut fx,
        "SAM-CHAR",
        &[(Attr::SamAccountName, "o'brien{n}")],
        true,
    );
    user(
        &mut fx,
        "SAM-DUP",
        &[(Attr::SamAccountName, "samdup")],
        true,
    );
    user(
        &mut fx,
        "SAM-DUP",
        &[(Attr::SamAccountName, "SAMDUP")],
        true,
    );
    user(&mut fx, "DN-BLANK", &[(Attr::DisplayName, "  ")], true);
    // An empty cell is no displayName, which is no finding, whatever the exporter wrote.
    user(&mut fx, "DN-BLANK", &[(Attr::DisplayName, "")], false);
    user(
        &mut fx,
        "DN-LEN",
        &[(Attr::DisplayName, &"N".repeat(257))],
        true,
    );
    user(&mut fx, "DN-WS", &[(Attr::DisplayName, " User {n}")], true);
    user(
        &mut fx,
        "GN-LEN",
        &[(Attr::GivenName, &"G".repeat(65))],
        true,
    );
    let long_mail = format!("{}@contoso.com", "m".repeat(250));
    user(&mut fx, "MAIL-LEN", &[(Attr::Mail, &long_mail)], true);
    user(
        &mut fx,
        "MAIL-FORMAT",
        &[(Attr::Mail, "john smith{n}@contoso.com")],
        true,
    );
    user(
        &mut fx,
        "MAIL-DUP",
        &[(Attr::Mail, "maildup@contoso.com")],
        true,
    );
    user(
        &mut fx,
        "MAIL-DUP",
        &[(Attr::Mail, "MailDup@contoso.com")],
        true,
    );
    user(
        &mut fx,
        "NICK-LEN",
        &[(Attr::MailNickname, &"k".repeat(65))],
        true,
    );
    user(
        &mut fx,
        "NICK-DOT",
        &[(Attr::MailNickname, ".nick{n}")],
        true,
    );
    user(
        &mut fx,
        "NICK-CHAR",
        &[(Attr::MailNickname, "nick#{n}")],
        true,
    );
    user(
        &mut fx,
        "NICK-DUP",
        &[(Attr::MailNickname, "nickdup")],
        true,
    );
    user(
        &mut fx,
        "NICK-DUP",
        &[(Attr::MailNickname, "NickDup")],
        true,
    );
    let long_proxy = format!(
        "SMTP:user{{n}}@contoso.com\nsmtp:{}@contoso.com",
        "p".repeat(250)
    );
    user(
        &mut fx,
        "PA-LEN",
        &[(Attr::ProxyAddresses, &long_proxy)],
        true,
    );
    user(
        &mut fx,
        "PA-COLON",
        &[(
            Attr::ProxyAddresses,
            "SMTP:user{n}@contoso.com\nsmtp:user{n}:x@contoso.com",
        )],
        true,
    );
    user(
        &mut fx,
        "PA-SMTP-CHAR",
        &[(
            Attr::ProxyAddresses,
            "SMTP:user{n}@contoso.com\nsmtp:us(er){n}@contoso.com",
        )],
        true,
    );
    user(
        &mut fx,
        "PA-SMTP-FORMAT",
        &[(
            Attr::ProxyAddresses,
            "SMTP:user{n}@contoso.com\nsmtp:user{n}@contoso.local",
        )],
        true,
    );
    user(
        &mut fx,
        "PA-OTHER-CHAR",
        &[(
            Attr::ProxyAddresses,
            "SMTP:user{n}@contoso.com\nEUM:12 34;phone-context=dp.contoso.com",
        )],
        true,
    );
    user(
        &mut fx,
        "PA-X500",
        &[(
            Attr::ProxyAddresses,
            "SMTP:user{n}@contoso.com\nX500:/o=Contoso/cn=\"user{n}\"",
        )],
        true,
    );
    user(
        &mut fx,
        "PA-SELFDUP",
        &[(
            Attr::ProxyAddresses,
            "SMTP:user{n}@contoso.com\nsmtp:USER{n}@contoso.com",
        )],
        true,
    );
    user(
        &mut fx,
        "PA-PRIMARY",
        &[(
            Attr::ProxyAddresses,
            "SMTP:user{n}@contoso.com\nSMTP:other{n}@contoso.com",
        )],
        true,
    );
    let many: Vec<String> = std::iter::once("SMTP:user{n}@contoso.com".to_string())
        .chain((0..301).map(|i| format!("X500:/o=Contoso/cn=old{i}-{{n}}")))
        .collect();
    user(
        &mut fx,
        "PA-COUNT",
        &[(Attr::ProxyAddresses, &many.join("\n"))],
        true,
    );
    // PA-DUP: one object's mail is another's secondary smtp: proxy.
    let mail_owner = user(
        &mut fx,
        "PA-DUP",
        &[
            (Attr::Mail, "shared@contoso.com"),
            (Attr::ProxyAddresses, "SMTP:shared@contoso.com"),
        ],
        true,
    );
    user(
        &mut fx,
        "PA-DUP",
        &[(
            Attr::ProxyAddresses,
            "SMTP:user{n}@contoso.com\nsmtp:shared@contoso.com",
        )],
        true,
    );
    let _ = mail_owner;
    user(
        &mut fx,
        "TA-LEN",
        &[(
            Attr::TargetAddress,
            &format!("SMTP:{}@fabrikam.com", "t".repeat(250)),
        )],
        true,
    );
    user(
        &mut fx,
        "TA-CHAR",
        &[(Attr::TargetAddress, "SMTP:user {n}@fabrikam.com")],
        true,
    );
    let certs: Vec<String> = (0..16).map(|i| format!("MIIC{i}")).collect();
    user(
        &mut fx,
        "CERT-COUNT",
        &[(Attr::UserCertificate, &certs.join("\n"))],
        true,
    );
    user(
        &mut fx,
        "ANCHOR-CG",
        &[(
            Attr::ConsistencyGuid,
            "11111111-0000-0000-0000-000000000001",
        )],
        true,
    );
    user(
        &mut fx,
        "ANCHOR-DUP",
        &[(
            Attr::ConsistencyGuid,
            "22222222-0000-0000-0000-000000000002",
        )],
        true,
    );
    user(
        &mut fx,
        "ANCHOR-DUP",
        &[(
            Attr::ConsistencyGuid,
            "22222222-0000-0000-0000-000000000002",
        )],
        true,
    );
    user(&mut fx, "SIP-PRESENT", &[(Attr::SipAddress, "")], true);
    user(&mut fx, "SIP-VOICE", &[(Attr::OptionFlags, "385")], true);
    user(
        &mut fx,
        "SIP-FORMAT",
        &[(Attr::SipAddress, "user{n}@contoso.com")],
        true,
    );
    user(
        &mut fx,
        "SIP-DUP",
        &[(Attr::SipAddress, "sip:sipdup@contoso.com")],
        true,
    );
    user(
        &mut fx,
        "SIP-DUP",
        &[(Attr::SipAddress, "SIP:SipDup@contoso.com")],
        true,
    );
    user(
        &mut fx,
        "SIP-UPN",
        &[(Attr::SipAddress, "sip:other{n}@contoso.com")],
        true,
    );
    user(
        &mut fx,
        "SIP-PROXY",
        &[(
            Attr::ProxyAddresses,
            "SMTP:user{n}@contoso.com\nSIP:old{n}@contoso.com",
        )],
        true,
    );
    user(
        &mut fx,
        "SIP-FOREST",
        &[
            (Attr::OriginatorSid, "S-1-5-21-1-2-3-99999"),
            (Attr::Enabled, "False"),
        ],
        true,
    );

    // SKIP-CNF: a replication-conflict copy.
    let i = next();
    let (_, mut vals) = clean_user(i);
    set(&mut vals, Attr::Cn, &format!("User {i}\nCNF:{}", guid(i)));
    let cnf_dn = format!("CN=User {i}\\0ACNF:{},OU=Staff,DC=contoso,DC=com", guid(i));
    fx.add(ObjectKind::User, &cnf_dn, &vals, &[]);
    expected.insert(("SKIP-CNF", cnf_dn.clone()));
    defective.insert(cnf_dn);

    // Contacts and groups.
    let i = next();
    let (dn, mut vals) = clean_contact(i);
    set(&mut vals, Attr::Mail, "");
    fx.add(ObjectKind::Contact, &dn, &vals, &[]);
    expected.insert(("CONTACT-MAIL", dn.clone()));
    defective.insert(dn);
    for _ in 0..2 {
        let i = next();
        let (dn, mut vals) = clean_contact(i);
        set(
            &mut vals,
            Attr::TargetAddress,
            "SMTP:external@partner.example.org",
        );
        fx.add(ObjectKind::Contact, &dn, &vals, &[]);
        expected.insert(("TA-DUP", dn.clone()));
        defective.insert(dn);
    }
    let i = next();
    let (dn, mut vals) = clean_group(i, true);
    set(&mut vals, Attr::ProxyAddresses, "");
    fx.add(ObjectKind::Group, &dn, &vals, &[]);
    expected.insert(("DL-MAIL", dn.clone()));
    defective.insert(dn);

    // Clean objects of every kind; three of the users are members of a group at the size limit.
    let mut members = Vec::new();
    for _ in 0..5 {
        let i = next();
        let (dn, vals) = clean_user(i);
        fx.add(ObjectKind::User, &dn, &vals, &[]);
        members.push((RefKind::Members, dn));
    }
    for distribution in [false, true] {
        let i = next();
        let (dn, vals) = clean_group(i, distribution);
        fx.add(ObjectKind::Group, &dn, &vals, &[]);
    }
    let i = next();
    let (dn, vals) = clean_contact(i);
    fx.add(ObjectKind::Contact, &dn, &vals, &[]);
    let i = next();
    let (dn, vals) = clean_group(i, false);
    fx.add(ObjectKind::Group, &dn, &vals, &members[..3]);
    expected.insert(("GRP-SIZE", dn.clone()));
    defective.insert(dn);

    (fx.finish(), expected, defective)
}

fn context() -> RuleContext {
    RuleContext {
        verified_domains: Some(vec!["contoso.com".into()]),
        initial_domain: Some("contoso.onmicrosoft.com".into()),
        group_size_limit: 3,
    }
}

#[test]
fn every_rule_finds_its_defect_and_clean_objects_get_no_error() {
    let (dir, expected, defective) = defect_fixture();
    let findings = evaluate(&dir, &context());
    assert_declarations_hold(&findings);
    let found = pairs(&dir, &findings);
    let missing: Vec<_> = expected.difference(&found).collect();
    assert!(missing.is_empty(), "not found: {missing:#?}");
    // Every rule of the catalogue is exercised.
    let fired: BTreeSet<&str> = expected.iter().map(|(r, _)| *r).collect();
    for r in all() {
        assert!(
            fired.contains(r.id),
            "{} has no defect in the fixture",
            r.id
        );
    }
    // Objects without a defect get no error (nor any other) finding.
    let stray: Vec<String> = findings
        .iter()
        .filter(|f| !defective.contains(&dn_of(&dir, f)))
        .map(|f| format!("{} {}: {:?}", f.rule.id, dn_of(&dir, f), f.message))
        .collect();
    assert!(stray.is_empty(), "findings on clean objects: {stray:#?}");
}

#[test]
fn findings_are_sorted_and_deterministic() {
    let (dir, _, _) = defect_fixture();
    let a = evaluate(&dir, &context());
    let b = evaluate(&dir, &context());
    let key = |f: &Finding| {
        (
            f.rule.id,
            f.object,
            f.value.clone(),
            f.message.clone(),
            f.fix.clone(),
        )
    };
    assert_eq!(
        a.iter().map(key).collect::<Vec<_>>(),
        b.iter().map(key).collect::<Vec<_>>()
    );
    assert!(
        a.windows(2)
            .all(|w| (w[0].rule.id, w[0].object) <= (w[1].rule.id, w[1].object))
    );
}

/// A directory of users given as `(dn, overrides)` on the clean template.
fn users(list: &[(&str, &[(Attr, &str)])]) -> Directory {
    let mut fx = Fixture::new();
    for (i, (dn, edits)) in list.iter().enumerate() {
        let (_, mut vals) = clean_user(i as u32 + 1);
        for (a, v) in edits.iter() {
            set(&mut vals, *a, v);
        }
        fx.add(ObjectKind::User, dn, &vals, &[]);
    }
    fx.finish()
}

/// What a duplicate finding's message says: the attribute, the other holders it names, and how
/// many more it counts.
fn others_named(f: &Finding) -> (DuplicateOf, Vec<&str>, u64) {
    match &f.message {
        Message::Duplicate {
            attribute,
            others,
            more,
            ..
        } => (
            *attribute,
            others.iter().map(|h| h.name.as_str()).collect(),
            *more,
        ),
        other => panic!("{} is not a duplicate message: {other:?}", f.rule.id),
    }
}

fn rules_on(findings: &[Finding], dir: &Directory, dn: &str) -> Vec<&'static str> {
    findings
        .iter()
        .filter(|f| dir.dn(f.object) == Some(dn))
        .map(|f| f.rule.id)
        .collect()
}

#[test]
fn differences_from_idfix_are_pinned() {
    let ann = "CN=Ann,DC=contoso,DC=com";
    let bob = "CN=Bob,DC=contoso,DC=com";
    let long = "CN=Long,DC=contoso,DC=com";
    let x500 = "CN=X500,DC=contoso,DC=com";
    let dir = users(&[
        // An apostrophe is valid in a UPN and invalid in sAMAccountName.
        (
            ann,
            &[
                (Attr::UserPrincipalName, "ann.o'neil@contoso.com"),
                (Attr::SamAccountName, "o'neil"),
            ],
        ),
        // 65 characters before the @ (114 in all would be UPN-LEN; this is 77).
        (
            long,
            &[(
                Attr::UserPrincipalName,
                &format!("{}@contoso.com", "l".repeat(65)),
            )],
        ),
        // X500 addresses with spaces and parentheses.
        (
            x500,
            &[(
                Attr::ProxyAddresses,
                "SMTP:x@contoso.com\nX500:/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=John Smith (Sales)",
            )],
        ),
        (bob, &[]),
    ]);
    let f = evaluate(&dir, &RuleContext::default());
    let on_ann = rules_on(&f, &dir, ann);
    assert!(!on_ann.iter().any(|r| r.starts_with("UPN-")), "{on_ann:?}");
    assert!(on_ann.contains(&"SAM-CHAR"));
    let sam = f.iter().find(|x| x.rule.id == "SAM-CHAR").unwrap();
    assert_eq!(
        sam.severity,
        Severity::Warning,
        "the account is created with an invalid sAMAccountName"
    );
    assert_eq!(
        sam.message,
        Message::InvalidChars { chars: "'".into() },
        "the apostrophe, and only it"
    );
    assert_eq!(sam.fix, Fix::Edit("oneil".into()));
    let on_long = rules_on(&f, &dir, long);
    assert!(
        on_long.contains(&"UPN-LEN-LOCAL") && !on_long.contains(&"UPN-LEN"),
        "{on_long:?}"
    );
    assert!(
        f.iter()
            .any(|x| x.rule.id == "UPN-LEN-LOCAL" && x.severity == Severity::Error)
    );
    assert!(
        rules_on(&f, &dir, x500).is_empty(),
        "{:?}",
        rules_on(&f, &dir, x500)
    );
}

#[test]
fn non_routable_suffixes_are_named() {
    let reserved = |suffix: &str| NotRoutable::Reserved {
        suffix: suffix.into(),
    };
    let cases = [
        ("CN=A,DC=c,DC=com", "a@contoso.local", reserved("local")),
        ("CN=B,DC=c,DC=com", "b@corp.contoso.lan", reserved("lan")),
        (
            "CN=C,DC=c,DC=com",
            "c@contoso.internal",
            reserved("internal"),
        ),
        ("CN=D,DC=c,DC=com", "d@contoso", NotRoutable::SingleLabel),
        (
            "CN=E,DC=c,DC=com",
            "e@contoso.notatld",
            NotRoutable::UnknownTld {
                tld: "notatld".into(),
                list_date: crate::tld::TLD_LIST_DATE.into(),
            },
        ),
    ];
    let list: Vec<(&str, Vec<(Attr, &str)>)> = cases
        .iter()
        .map(|(dn, upn, _)| (*dn, vec![(Attr::UserPrincipalName, *upn)]))
        .collect();
    let refs: Vec<(&str, &[(Attr, &str)])> = list.iter().map(|(d, v)| (*d, v.as_slice())).collect();
    let dir = users(&refs);
    let f = evaluate(&dir, &RuleContext::default());
    for (dn, upn, why) in cases {
        let hit = f
            .iter()
            .find(|x| x.rule.id == "UPN-TLD" && dir.dn(x.object) == Some(dn))
            .unwrap_or_else(|| panic!("{dn} not flagged"));
        let domain = upn.split_once('@').unwrap().1.to_string();
        assert_eq!(hit.message, Message::DomainNotRoutable { domain, why });
        // The suggestion moves the UPN to the user's (routable) mail domain.
        assert!(
            matches!(&hit.fix, Fix::Edit(v) if v.ends_with("@contoso.com")),
            "{:?}",
            hit.fix
        );
    }
    // Routable suffixes IdFix's stale list rejects are fine.
    let dir = users(&[(
        "CN=F,DC=c,DC=com",
        &[(Attr::UserPrincipalName, "f@contoso.shop")],
    )]);
    assert!(
        evaluate(&dir, &RuleContext::default())
            .iter()
            .all(|x| x.rule.id != "UPN-TLD")
    );
}

#[test]
fn a_mail_duplicated_by_another_objects_proxy_names_both() {
    let ann = "CN=Ann,OU=Staff,DC=contoso,DC=com";
    let grp = "CN=Sales,OU=Groups,DC=contoso,DC=com";
    let mut fx = Fixture::new();
    let (_, mut vals) = clean_user(1);
    set(&mut vals, Attr::Mail, "sales@contoso.com");
    set(&mut vals, Attr::ProxyAddresses, "SMTP:sales@contoso.com");
    fx.add(ObjectKind::User, ann, &vals, &[]);
    let (_, mut vals) = clean_group(2, true);
    set(
        &mut vals,
        Attr::ProxyAddresses,
        "SMTP:group2@contoso.com\nsmtp:SALES@contoso.com",
    );
    fx.add(ObjectKind::Group, grp, &vals, &[]);
    let dir = fx.finish();
    let f = evaluate(&dir, &RuleContext::default());
    let dups: Vec<&Finding> = f.iter().filter(|x| x.rule.id == "PA-DUP").collect();
    assert_eq!(dups.len(), 2, "one finding per holder: {dups:#?}");
    let on_ann = dups.iter().find(|x| dir.dn(x.object) == Some(ann)).unwrap();
    let on_grp = dups.iter().find(|x| dir.dn(x.object) == Some(grp)).unwrap();
    assert_eq!(others_named(on_ann), (DuplicateOf::Address, vec![grp], 0));
    assert_eq!(others_named(on_grp), (DuplicateOf::Address, vec![ann], 0));
    assert_eq!(on_grp.value, "smtp:SALES@contoso.com");
    // The group holds it as a secondary address the user owns: drop it there.
    assert_eq!(on_grp.fix, Fix::Remove);
    assert_eq!(on_ann.fix, Fix::None);
}

#[test]
fn a_upn_equal_to_another_objects_address_is_a_soft_match_collision() {
    let ann = "CN=Ann,DC=contoso,DC=com";
    let bob = "CN=Bob,DC=contoso,DC=com";
    let dir = users(&[
        (ann, &[(Attr::UserPrincipalName, "boss@contoso.com")]),
        (
            bob,
            &[(
                Attr::ProxyAddresses,
                "SMTP:user2@contoso.com\nsmtp:boss@contoso.com",
            )],
        ),
    ]);
    let f = evaluate(&dir, &RuleContext::default());
    let on = |rule: &str, dn: &str| {
        let hit = f
            .iter()
            .find(|x| x.rule.id == rule && dir.dn(x.object) == Some(dn))
            .unwrap_or_else(|| panic!("no {rule} on {dn}"));
        others_named(hit)
    };
    assert_eq!(
        on("UPN-DUP", ann),
        (DuplicateOf::UpnSoftMatch, vec![bob], 0)
    );
    assert_eq!(on("PA-DUP", bob), (DuplicateOf::Address, vec![ann], 0));
}

#[test]
fn unknown_is_not_empty() {
    // Only a DN and a sAMAccountName: no column for anything else, so nothing else is checked.
    let mut fx = Fixture::new();
    fx.add(
        ObjectKind::User,
        "CN=Ann,DC=c,DC=com",
        &vec![(Attr::SamAccountName, "ann".to_string())],
        &[],
    );
    fx.add(ObjectKind::Contact, "CN=Con,DC=c,DC=com", &vec![], &[]);
    fx.add(
        ObjectKind::Group,
        "CN=Grp,DC=c,DC=com",
        &vec![(Attr::SamAccountName, "grp".to_string())],
        &[],
    );
    let dir = fx.finish();
    let f = evaluate(
        &dir,
        &RuleContext {
            verified_domains: Some(vec!["c.com".into()]),
            ..Default::default()
        },
    );
    assert!(f.is_empty(), "{f:#?}");
    // The same columns present and empty are real "no value"s.
    let mut fx = Fixture::new();
    let empty = |attrs: &[Attr]| {
        attrs
            .iter()
            .map(|a| (*a, String::new()))
            .collect::<Values>()
    };
    fx.add(
        ObjectKind::User,
        "CN=Ann,DC=c,DC=com",
        &empty(&[
            Attr::SamAccountName,
            Attr::UserPrincipalName,
            Attr::DisplayName,
        ]),
        &[],
    );
    fx.add(
        ObjectKind::Contact,
        "CN=Con,DC=c,DC=com",
        &empty(&[Attr::Mail, Attr::ProxyAddresses]),
        &[],
    );
    let dir = fx.finish();
    let ids: BTreeSet<&str> = evaluate(&dir, &RuleContext::default())
        .iter()
        .map(|f| f.rule.id)
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from(["CONTACT-MAIL", "SKIP-NOSAM"]),
        "excluded objects are not checked further"
    );
}

#[test]
fn upn_unverified_predicts_the_moera() {
    let dn = "CN=Ann,DC=c,DC=com";
    let dir = users(&[(
        dn,
        &[
            (Attr::UserPrincipalName, "ann@fabrikam.com"),
            (Attr::MailNickname, "ann.s"),
        ],
    )]);
    let f = evaluate(&dir, &context());
    let hit = f.iter().find(|x| x.rule.id == "UPN-UNVERIFIED").unwrap();
    assert_eq!(hit.fix, Fix::Edit("ann.s@contoso.onmicrosoft.com".into()));
    assert_eq!(hit.effect, super::Effect::AltersValue);
    // Without a verified-domain list the rule does not run.
    assert!(
        evaluate(&dir, &RuleContext::default())
            .iter()
            .all(|x| x.rule.id != "UPN-UNVERIFIED")
    );
}

#[test]
fn suggestions_never_collide_with_values_or_each_other() {
    // `john&smith` and `john*smith` both repair to `johnsmith@contoso.com`, which `johnsmith`
    // already holds as its UPN.
    let dir = users(&[
        (
            "CN=JS,DC=c,DC=com",
            &[(Attr::UserPrincipalName, "johnsmith@contoso.com")],
        ),
        (
            "CN=JS1,DC=c,DC=com",
            &[(Attr::UserPrincipalName, "john&smith@contoso.com")],
        ),
        (
            "CN=JS2,DC=c,DC=com",
            &[(Attr::UserPrincipalName, "john*smith@contoso.com")],
        ),
        // A repaired nickname equal to another object's nickname.
        ("CN=N1,DC=c,DC=com", &[(Attr::MailNickname, "sales")]),
        ("CN=N2,DC=c,DC=com", &[(Attr::MailNickname, "sales#")]),
    ]);
    let f = evaluate(&dir, &RuleContext::default());
    let fix_of = |rule: &str, dn: &str| {
        f.iter()
            .find(|x| x.rule.id == rule && dir.dn(x.object) == Some(dn))
            .map(|x| x.fix.clone())
            .unwrap()
    };
    assert_eq!(
        fix_of("UPN-CHAR", "CN=JS1,DC=c,DC=com"),
        Fix::Edit("johnsmith2@contoso.com".into())
    );
    assert_eq!(
        fix_of("UPN-CHAR", "CN=JS2,DC=c,DC=com"),
        Fix::Edit("johnsmith3@contoso.com".into())
    );
    assert_eq!(
        fix_of("NICK-CHAR", "CN=N2,DC=c,DC=com"),
        Fix::Edit("sales2".into())
    );
    // No two suggestions, and no suggestion and existing value, are equal.
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for x in &f {
        if let (Some(v), Field::Attr(Attr::UserPrincipalName)) = (x.fix.value(), x.field) {
            *seen.entry(v.to_lowercase()).or_default() += 1;
            for o in dir.ids().filter(|&o| o != x.object) {
                assert_ne!(
                    dir.value(o, Attr::UserPrincipalName)
                        .map(str::to_lowercase)
                        .as_deref(),
                    Some(v.to_lowercase().as_str())
                );
            }
        }
    }
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");
}

#[test]
fn suggested_repairs() {
    let dir = users(&[
        (
            "CN=A,DC=c,DC=com",
            &[(Attr::UserPrincipalName, "Jürgen Müller@contoso.com")],
        ),
        (
            "CN=B,DC=c,DC=com",
            &[(Attr::DisplayName, " "), (Attr::Cn, "Bea Smith")],
        ),
        (
            "CN=C,DC=c,DC=com",
            &[(
                Attr::ProxyAddresses,
                "SMTP:c@contoso.com\nsmtp:c2@contoso.com\nsmtp:C@contoso.com",
            )],
        ),
        (
            "CN=D,DC=c,DC=com",
            &[(
                Attr::ProxyAddresses,
                "SMTP:d@contoso.com\nsmtp:d d@contoso.com",
            )],
        ),
        (
            "CN=E,DC=c,DC=com",
            &[
                (Attr::ProxyAddresses, "smtp:e@contoso.com"),
                (Attr::Mail, "e@contoso.com"),
            ],
        ),
        (
            "CN=F,DC=c,DC=com",
            &[(Attr::GivenName, &format!("{}é", "g".repeat(64)))],
        ),
    ]);
    let f = evaluate(&dir, &RuleContext::default());
    let fix = |rule: &str, dn: &str| {
        f.iter()
            .find(|x| x.rule.id == rule && dir.dn(x.object) == Some(dn))
            .map(|x| x.fix.clone())
    };
    assert_eq!(
        fix("UPN-NONASCII", "CN=A,DC=c,DC=com"),
        Some(Fix::Edit("JurgenMuller@contoso.com".into()))
    );
    assert_eq!(
        fix("UPN-CHAR", "CN=A,DC=c,DC=com"),
        Some(Fix::Edit("JurgenMuller@contoso.com".into()))
    );
    assert_eq!(
        fix("DN-BLANK", "CN=B,DC=c,DC=com"),
        Some(Fix::Edit("Bea Smith".into()))
    );
    assert_eq!(fix("PA-SELFDUP", "CN=C,DC=c,DC=com"), Some(Fix::Remove));
    assert_eq!(
        f.iter()
            .find(|x| x.rule.id == "PA-SELFDUP")
            .map(|x| x.value.as_str()),
        Some("smtp:C@contoso.com"),
        "the secondary copy is the one to drop"
    );
    assert_eq!(
        fix("PA-SMTP-CHAR", "CN=D,DC=c,DC=com"),
        Some(Fix::Edit("smtp:dd@contoso.com".into()))
    );
    assert_eq!(
        fix("PA-PRIMARY", "CN=E,DC=c,DC=com"),
        Some(Fix::Edit("SMTP:e@contoso.com".into()))
    );
    assert_eq!(
        fix("GN-LEN", "CN=F,DC=c,DC=com"),
        Some(Fix::Edit("g".repeat(64)))
    );
}

#[test]
fn a_value_held_by_thousands_is_grouped_not_compared_pairwise() {
    let mut fx = Fixture::new();
    let n = 3000u32;
    for i in 1..=n {
        let (dn, mut vals) = clean_user(i);
        set(&mut vals, Attr::Mail, "everyone@contoso.com");
        fx.add(ObjectKind::User, &dn, &vals, &[]);
    }
    let dir = fx.finish();
    let start = std::time::Instant::now();
    let f = evaluate(&dir, &RuleContext::default());
    let dups: Vec<&Finding> = f.iter().filter(|x| x.rule.id == "MAIL-DUP").collect();
    assert_eq!(dups.len(), n as usize);
    let (what, named, more) = others_named(dups[0]);
    assert_eq!(what, DuplicateOf::Mail);
    assert_eq!(
        (named.len(), more),
        (10, 2989),
        "ten others named, the rest counted"
    );
    assert!(start.elapsed().as_secs() < 10);
}

mod no_panics {
    use super::*;
    use proptest::prelude::*;

    /// Values that look like directory data and values that do not.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9.'@_ -]{0,30}",
            "(SMTP|smtp|sip|SIP|X500|x.400|EUM|)[:]?[a-zA-Z0-9.@:;,()\\[\\]\" ]{0,20}",
            "\\PC{0,40}",
            ".{0,300}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn evaluate_never_panics(values in proptest::collection::vec(value(), 16)) {
            let attrs = [
                Attr::UserPrincipalName, Attr::Mail, Attr::ProxyAddresses, Attr::MailNickname,
                Attr::SamAccountName, Attr::DisplayName, Attr::GivenName, Attr::TargetAddress,
                Attr::SipAddress, Attr::Cn, Attr::ConsistencyGuid, Attr::MsExchRecipientTypeDetails,
                Attr::GroupType, Attr::OriginatorSid, Attr::UserCertificate, Attr::OptionFlags,
            ];
            let mut fx = Fixture::new();
            for (i, kind) in [ObjectKind::User, ObjectKind::User, ObjectKind::Group, ObjectKind::Contact].into_iter().enumerate() {
                let mut vals: Values = attrs.iter().zip(&values).map(|(a, v)| (*a, v.clone())).collect();
                vals.push((Attr::SfbEnabled, "True".into()));
                vals.push((Attr::Enabled, "False".into()));
                vals.push((Attr::Sid, format!("S-1-5-21-1-2-3-{i}")));
                fx.add(kind, &format!("CN=O{i},DC=x,DC=com"), &vals, &[]);
            }
            let dir = fx.finish();
            let f = evaluate(&dir, &context());
            assert_declarations_hold(&f);
        }
    }
}

/// Members by primary group never reach Entra ID through `member`, so they do not count toward
/// the group size limit; direct members do.
#[test]
fn primary_group_members_do_not_count_toward_the_group_size_limit() {
    let grp_size = |direct: u32| {
        let mut fx = Fixture::new();
        let (group_dn, mut group) = clean_group(1, false);
        set(&mut group, Attr::Sid, "S-1-5-21-1-2-3-513");
        let (other_dn, mut other) = clean_group(2, false);
        set(&mut other, Attr::Sid, "S-1-5-21-1-2-3-1001");
        fx.add(ObjectKind::Group, &other_dn, &other, &[]);
        let mut members = Vec::new();
        for i in 0..5 {
            let (dn, mut vals) = clean_user(10 + i);
            // The first `direct` users are listed in `member` and have another primary group.
            let primary = if i < direct { "1001" } else { "513" };
            set(&mut vals, Attr::PrimaryGroupId, primary);
            fx.add(ObjectKind::User, &dn, &vals, &[]);
            if i < direct {
                members.push((RefKind::Members, dn));
            }
        }
        fx.add(ObjectKind::Group, &group_dn, &group, &members);
        let dir = fx.finish();
        let g = dir.object_by_dn(&group_dn).unwrap();
        assert_eq!(dir.members_of(g).len(), 5, "all five are members");
        evaluate(&dir, &context())
            .into_iter()
            .filter(|f| f.rule.id == "GRP-SIZE")
            .map(|f| f.value)
            .collect::<Vec<_>>()
    };
    assert!(grp_size(2).is_empty(), "two direct members are under 3");
    assert_eq!(grp_size(3), vec!["3".to_string()]);
}
