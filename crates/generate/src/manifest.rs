//! The ground truth written next to the exports (`manifest.json`): counts, files, and every
//! injected defect and deliberate non-defect, with DNs and values as the dialect exports them.

use serde::{Deserialize, Serialize};

use super::Dialect;
use super::model::{DOMAINS, Directory, Expect, Kind, OuKind, Place, Target, place_dn};
use super::names::qfold;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    /// Worksheet, for the xlsx dialect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Object rows (not the header, `#TYPE` or title lines).
    pub rows: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefectEntry {
    pub rule: String,
    pub dn: String,
    pub attribute: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A finding the model produces on many objects by construction (not injected).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemicEntry {
    pub rule: String,
    pub attribute: String,
    pub count: usize,
    /// False when the dialect does not export the attribute (ADRecon has no UPN).
    pub exported: bool,
    pub description: String,
}

/// A built-in or system account, with the default rule expected to keep it out of sync.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemAccount {
    pub dn: String,
    pub sam_account_name: String,
    /// SKIP-CRIT, SKIP-SVC, SKIP-EXCH, or none when Entra Connect syncs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_exclusion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub seed: u64,
    pub users_requested: usize,
    pub dialect: String,
    pub with_defects: bool,
    /// User objects, built-in and system accounts included (computers never).
    pub users: usize,
    pub groups: usize,
    pub contacts: usize,
    pub domains: usize,
    pub domain_names: Vec<String>,
    /// organizationalUnit objects (not the CN=Users container).
    pub ous: usize,
    /// Distinct direct member→group edges plus one primary-group edge per user.
    pub memberships: usize,
    pub sfb_users: usize,
    pub sfb_online: usize,
    pub pilot_group_dn: String,
    pub pilot_users: usize,
    pub sync_pilot_group_dn: String,
    pub contractors_ou_dns: Vec<String>,
    pub files: Vec<FileEntry>,
    /// Injected defects visible in this dialect's files.
    pub defects: Vec<DefectEntry>,
    /// Injected defects whose attribute this dialect does not export.
    pub defects_not_exported: Vec<DefectEntry>,
    pub non_defects: Vec<DefectEntry>,
    pub systemic: Vec<SystemicEntry>,
    pub system_accounts: Vec<SystemAccount>,
    pub notes: Vec<String>,
}

/// Whether a dialect carries `attribute` for the target's class.
fn exported(dialect: Dialect, target: Target, attribute: &str) -> bool {
    match dialect {
        Dialect::Adrecon => match target {
            Target::User(_) => matches!(attribute, "sAMAccountName" | "mail" | "distinguishedName"),
            Target::Group(_) | Target::Contact(_) => false,
        },
        _ => true,
    }
}

fn target_dn(dir: &Directory, t: Target) -> String {
    let mut s = String::new();
    match t {
        Target::User(u) => dir.user_dn(u as usize, &mut s),
        Target::Group(g) => dir.group_dn(g as usize, &mut s),
        Target::Contact(c) => dir.contact_dn(c as usize, &mut s),
    }
    s
}

fn as_exported(dialect: Dialect, s: &str) -> String {
    if dialect == Dialect::Ps51 {
        qfold(s)
    } else {
        s.to_string()
    }
}

fn entry(dir: &Directory, dialect: Dialect, e: &Expect) -> DefectEntry {
    let value = as_exported(dialect, &e.value);
    let mut note = e.note.clone();
    if value != e.value {
        let n = "Windows PowerShell 5.1's ASCII export wrote `?` for each non-ASCII letter of this value";
        note = Some(match note {
            Some(x) => format!("{x}; {n}"),
            None => n.to_string(),
        });
    }
    DefectEntry {
        rule: e.rule.to_string(),
        dn: as_exported(dialect, &target_dn(dir, e.target)),
        attribute: e.attribute.to_string(),
        value,
        note,
    }
}

fn dialect_notes(d: Dialect) -> &'static [&'static str] {
    match d {
        Dialect::Ps51 => &[
            "ps51: Windows PowerShell 5.1 Export-Csv defaults: #TYPE line, ASCII (every non-ASCII letter is `?`), every non-null value quoted, null as an empty unquoted field, CRLF",
            "ps51: groups.csv carries Members and MemberOf and users.csv MemberOf, so every direct edge arrives from both sides; count distinct edges",
        ],
        Dialect::Ps7 => &[
            "ps7: PowerShell 7 Export-Csv: UTF-8 without BOM, no #TYPE, all values quoted, CRLF; groups.csv carries MemberOf (nesting) but no Members",
            "ps7: a lean Select-Object list (no Name, Title, Company, whenCreated or msRTCSIP-PrimaryHomeServer column); the same columns are used by the xlsx, csuser and membership dialects",
        ],
        Dialect::Utf16 => &[
            "utf16: ps51 columns written with -Delimiter ';' -Encoding Unicode (UTF-16LE with BOM), no #TYPE, real non-ASCII letters",
        ],
        Dialect::ExcelFr => &[
            "excel-fr: a PowerShell export re-saved by French Excel: Windows-1252, ';', quotes only around cells holding ';', '\"' or a line break, VRAI/FAUX, dates dd/MM/yyyy HH:mm, FILETIME values as 1,32E+17, the #TYPE line kept as a padded first row",
        ],
        Dialect::Csvde => &[
            "csvde: one file for domainDNS, organizationalUnit, user, group and contact rows; objectGUID/objectSid as X'hex'; member on groups and memberOf on users and groups (every edge from both sides); Windows-1252",
        ],
        Dialect::Xlsx => &[
            "xlsx: sheet Summary is not data; the Users header is on row 3 under a title block; Groups and Contacts headers are on row 1; typed cells",
        ],
        Dialect::Adrecon => &[
            "adrecon: one ADRecon-Report-<domain>/CSV-Files folder per domain, headers and quoting of the 2018 sample, en-AU dates, Windows-1252, LF line endings as in the sample",
            "adrecon: ADRecon exports no UPN, no proxyAddresses, no mailNickname, no displayName, no SfB attributes and no contacts; defects on those attributes are listed under defects_not_exported",
            "adrecon: GroupMembers.csv names groups by CN and lists each membership in the folder of the member's domain; resolve a group CN in the same domain first, then forest-wide (every group CN outside the built-in Domain Admins/Users/Guests is unique in the forest, and built-in groups only hold members of their own domain)",
            "adrecon: the primary group is not listed in GroupMembers.csv; take it from Users.csv 'Primary GroupID'",
        ],
        Dialect::CsUser => &[
            "csuser: users.csv and groups.csv are ps7-style without msRTCSIP columns; the SfB state comes only from csusers.csv (Get-CsUser, UTF-8 with BOM), whose Enabled column is the SfB flag, not the AD account state",
        ],
        Dialect::Membership => &[
            "membership: users.csv and groups.csv carry no MemberOf/Members; group-members.csv has one row per direct member (Group = the group's DN)",
            "membership: Get-ADGroupMember also returns users whose primary group is the group, so Domain Users/Domain Guests rows repeat the primary-group edges: group-members.csv rows = memberships",
        ],
    }
}

pub(crate) fn build(dir: &Directory, dialect: Dialect, files: Vec<FileEntry>) -> Manifest {
    let (sfb_users, sfb_online) = dir.sfb_counts();
    let mut defects = Vec::new();
    let mut hidden = Vec::new();
    let mut instances: std::collections::BTreeMap<u32, Vec<&Expect>> = Default::default();
    for e in &dir.defects {
        instances.entry(e.instance).or_default().push(e);
    }
    for list in instances.values() {
        let visible = list
            .iter()
            .all(|e| exported(dialect, e.target, e.attribute));
        for e in list {
            let en = entry(dir, dialect, e);
            if visible {
                defects.push(en);
            } else {
                hidden.push(en);
            }
        }
    }
    let non_defects = dir
        .non_defects
        .iter()
        .filter(|e| exported(dialect, e.target, e.attribute))
        .map(|e| entry(dir, dialect, e))
        .collect();
    let systemic = dir
        .systemic
        .iter()
        .map(|s| SystemicEntry {
            rule: s.rule.to_string(),
            attribute: s.attribute.to_string(),
            count: s.count,
            exported: !(dialect == Dialect::Adrecon && s.attribute != "member"),
            description: s.description.clone(),
        })
        .collect();
    let mut system_accounts = Vec::new();
    for (u, user) in dir.users.iter().enumerate() {
        let (reason, note): (Option<&str>, Option<&str>) = match user.kind {
            Kind::Staff => continue,
            Kind::Administrator | Kind::Guest | Kind::Krbtgt => (Some("SKIP-CRIT"), None),
            Kind::Msol | Kind::Aad | Kind::Support => (Some("SKIP-SVC"), None),
            Kind::SystemMailbox => (
                Some("SKIP-SVC"),
                Some(
                    "mailNickname starts SystemMailbox{; msExchRecipientTypeDetails 8388608 (0x800000, arbitration mailbox) is also in Entra's exclusion mask",
                ),
            ),
            Kind::DiscoveryMailbox => (
                Some("SKIP-EXCH"),
                Some("msExchRecipientTypeDetails 536870912 (0x20000000, discovery mailbox)"),
            ),
            Kind::HealthMailbox => (
                None,
                Some(
                    "MonitoringMailbox (msExchRecipientTypeDetails 549755813888) is not in Entra Connect's exclusion mask; IdFix skips it by its HealthMailbox prefix",
                ),
            ),
            Kind::Service => (None, Some("an ordinary enabled service account: it syncs")),
        };
        let mut dn = String::new();
        dir.user_dn(u, &mut dn);
        system_accounts.push(SystemAccount {
            dn: as_exported(dialect, &dn),
            sam_account_name: dir.base_sam(u),
            expected_exclusion: reason.map(str::to_string),
            note: note.map(str::to_string),
        });
    }
    let contractors_ou_dns = dir
        .domains
        .iter()
        .map(|d| {
            let mut s = String::new();
            place_dn(d, Place::Ou(OuKind::Contractors), &mut s);
            s
        })
        .collect();
    let mut notes: Vec<String> = vec![
        format!(
            "users_requested counts members of staff; users adds {} built-in, system and service accounts",
            dir.users.len().saturating_sub(dir.requested)
        ),
        "memberships counts distinct direct member→group edges (user→group and group→group) plus one primary-group edge per user (primaryGroupID 513 → Domain Users, 514 → Domain Guests of the user's domain); AD never lists the primary group in member/memberOf".into(),
        "Cycle-A → Cycle-B → Cycle-C → Cycle-A is a nesting cycle; All Employees nests every department group; SyncPilot nests one project group whose members are not in the group filter's scope (Entra Connect does not resolve nesting)".into(),
        "UPN-TLD and SIP-UPN also occur by construction on many objects: see systemic (not part of defects)".into(),
    ];
    if dir.requested < 21 {
        notes.push("fewer than 21 users: some OUs hold no object, so an export that only shows object DNs (every PowerShell dialect) cannot reveal them all".into());
    }
    notes.extend(dialect_notes(dialect).iter().map(|s| s.to_string()));
    notes.extend(dir.notes.iter().cloned());
    let pilot_users = dir.group_members.get(dir.pilot_group as usize).len();
    Manifest {
        seed: dir.seed,
        users_requested: dir.requested,
        dialect: dialect.name().to_string(),
        with_defects: dir.with_defects,
        users: dir.users.len(),
        groups: dir.groups.len(),
        contacts: dir.contacts.len(),
        domains: dir.domains.len(),
        domain_names: DOMAINS.iter().map(|d| d.fqdn.to_string()).collect(),
        ous: dir.ous.len(),
        memberships: dir.memberships(),
        sfb_users,
        sfb_online,
        pilot_group_dn: target_dn(dir, Target::Group(dir.pilot_group)),
        pilot_users,
        sync_pilot_group_dn: target_dn(dir, Target::Group(dir.sync_pilot_group)),
        contractors_ou_dns,
        files,
        defects,
        defects_not_exported: hidden,
        non_defects,
        systemic,
        system_accounts,
        notes,
    }
}
