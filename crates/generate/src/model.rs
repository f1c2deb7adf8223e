//! The synthetic directory: built once from (users, seed, with_defects), then read by every
//! writer. Users are held compactly (indices into the name tables, flags, counters) and their
//! strings are rendered on demand by [`super::view`], so a million users fit in tens of MB.

use std::collections::HashMap;

use anyhow::{Result, bail};

use super::defects;
use super::fmt::{BASE_TIME, Sid};
use super::names::{
    DEPT_WEIGHTS, GIVEN, PARTNERS, SPECIAL_COMMA, SPECIAL_OBRIEN, SURNAMES, fold_ascii, qfold,
};
use super::rng::{Rng, guid};

/// "No index" for optional references (manager, managedBy).
pub(crate) const NONE: u32 = u32::MAX;
/// Marks a group in a tagged member id (users and groups share one member list).
pub(crate) const GROUP_BIT: u32 = 1 << 31;
/// The generator refuses more than this many users: GUID object numbers are partitioned by
/// class and users must stay in their range.
pub(crate) const MAX_USERS: usize = 10_000_000;
/// Entra Connect refuses groups with this many members or more (GRP-SIZE).
pub(crate) const GROUP_SIZE_LIMIT: usize = 250_000;

pub(crate) struct DomainSpec {
    pub fqdn: &'static str,
    pub netbios: &'static str,
    /// Suffix of per-domain group names; keeps group names unique across the forest so that a
    /// reader resolving ADRecon's CN-only membership rows never meets an ambiguity.
    pub tag: &'static str,
    pub dn: &'static str,
    pub upn_suffix: &'static str,
    pub mail_domain: &'static str,
    pub company: &'static str,
    pub share_pct: usize,
    pub cities: &'static [u8],
    pub routable: bool,
}

pub(crate) const DOMAINS: [DomainSpec; 3] = [
    DomainSpec {
        fqdn: "contoso.com",
        netbios: "CONTOSO",
        tag: "CT",
        dn: "DC=contoso,DC=com",
        upn_suffix: "contoso.com",
        mail_domain: "contoso.com",
        company: "Contoso Ltd",
        share_pct: 60,
        cities: &[0, 1, 2, 3, 4],
        routable: true,
    },
    DomainSpec {
        fqdn: "fabrikam.com",
        netbios: "FABRIKAM",
        tag: "FB",
        dn: "DC=fabrikam,DC=com",
        upn_suffix: "fabrikam.com",
        mail_domain: "fabrikam.com",
        company: "Fabrikam Inc",
        share_pct: 25,
        cities: &[5, 6, 7, 8, 9],
        routable: true,
    },
    DomainSpec {
        fqdn: "corp.contoso.local",
        netbios: "CORPLOCAL",
        tag: "CL",
        dn: "DC=corp,DC=contoso,DC=local",
        upn_suffix: "corp.contoso.local",
        mail_domain: "contoso.com",
        company: "Contoso Ltd",
        share_pct: 15,
        cities: &[10, 11, 12, 0],
        routable: false,
    },
];

/// SIP domain of contoso.com's contractors: one no tenant would have verified.
pub(crate) const PARTNER_SIP_DOMAIN: &str = "contoso-partners.com";
pub(crate) const TENANT_ROUTING_DOMAIN: &str = "contoso.mail.onmicrosoft.com";
pub(crate) const ONLINE_LOCATOR: &str = "sipfed.online.lync.com";
pub(crate) const ONPREM_LOCATOR: &str = "SRV:";
pub(crate) const POOLS: [(&str, &str); 2] = [
    (
        "sfbpool01.contoso.com",
        "CN=Lc Services,CN=Microsoft,CN=1:1,CN=Pools,CN=RTC Service,CN=Services,CN=Configuration,DC=contoso,DC=com",
    ),
    (
        "sfbpool02.contoso.com",
        "CN=Lc Services,CN=Microsoft,CN=1:2,CN=Pools,CN=RTC Service,CN=Services,CN=Configuration,DC=contoso,DC=com",
    ),
];

pub(crate) struct Domain {
    pub spec: &'static DomainSpec,
    pub sid: [u32; 3],
    pub guid: u128,
    pub created: i64,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum OuKind {
    Staff,
    Sales,
    Engineering,
    Finance,
    Support,
    Contractors,
    Groups,
    ServiceAccounts,
    DisabledUsers,
    Contacts,
}

pub(crate) const DOMAIN_OUS: [OuKind; 9] = [
    OuKind::Staff,
    OuKind::Sales,
    OuKind::Engineering,
    OuKind::Finance,
    OuKind::Support,
    OuKind::Contractors,
    OuKind::Groups,
    OuKind::ServiceAccounts,
    OuKind::DisabledUsers,
];

impl OuKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            OuKind::Staff => "Staff",
            OuKind::Sales => "Sales",
            OuKind::Engineering => "Engineering",
            OuKind::Finance => "Finance",
            OuKind::Support => "Support",
            OuKind::Contractors => "Contractors",
            OuKind::Groups => "Groups",
            OuKind::ServiceAccounts => "Service Accounts",
            OuKind::DisabledUsers => "Disabled Users",
            OuKind::Contacts => "Contacts",
        }
    }

    pub(crate) fn parent(self) -> Option<OuKind> {
        match self {
            OuKind::Sales
            | OuKind::Engineering
            | OuKind::Finance
            | OuKind::Support
            | OuKind::Contractors => Some(OuKind::Staff),
            _ => None,
        }
    }

    fn for_dept(dept: u8) -> OuKind {
        match dept {
            0 => OuKind::Sales,
            1 => OuKind::Engineering,
            2 => OuKind::Finance,
            3 => OuKind::Support,
            _ => OuKind::Staff,
        }
    }
}

/// Where an object lives: an OU, or one of the two default containers (not OUs).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Place {
    Ou(OuKind),
    Users,
    Monitoring,
}

pub(crate) fn place_dn(domain: &Domain, place: Place, out: &mut String) {
    match place {
        Place::Ou(k) => {
            out.push_str("OU=");
            out.push_str(k.name());
            if let Some(p) = k.parent() {
                out.push_str(",OU=");
                out.push_str(p.name());
            }
        }
        Place::Users => out.push_str("CN=Users"),
        Place::Monitoring => {
            out.push_str("CN=Monitoring Mailboxes,CN=Microsoft Exchange System Objects")
        }
    }
    out.push(',');
    out.push_str(domain.spec.dn);
}

pub(crate) fn place_canonical(domain: &Domain, place: Place, out: &mut String) {
    out.push_str(domain.spec.fqdn);
    match place {
        Place::Ou(k) => {
            if let Some(p) = k.parent() {
                out.push('/');
                out.push_str(p.name());
            }
            out.push('/');
            out.push_str(k.name());
        }
        Place::Users => out.push_str("/Users"),
        Place::Monitoring => {
            out.push_str("/Microsoft Exchange System Objects/Monitoring Mailboxes")
        }
    }
}

pub(crate) struct Ou {
    pub domain: u8,
    pub kind: OuKind,
    pub created: i64,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Staff,
    Administrator,
    Guest,
    Krbtgt,
    Msol,
    Aad,
    Support,
    SystemMailbox,
    HealthMailbox,
    DiscoveryMailbox,
    Service,
}

pub(crate) mod flag {
    pub const ENABLED: u32 = 1;
    pub const PWD_NEVER: u32 = 1 << 1;
    pub const CONTRACTOR: u32 = 1 << 2;
    pub const SFB: u32 = 1 << 3;
    pub const ONLINE: u32 = 1 << 4;
    pub const EV: u32 = 1 << 5;
    pub const ALIAS: u32 = 1 << 6;
    pub const SIP_PROXY: u32 = 1 << 7;
    pub const X500: u32 = 1 << 8;
    pub const NOSYNC: u32 = 1 << 9;
    pub const REMOTE: u32 = 1 << 10;
    pub const CERT: u32 = 1 << 11;
    pub const COMMA: u32 = 1 << 12;
    pub const OBRIEN: u32 = 1 << 13;
    pub const HOST: u32 = 1 << 14;
    pub const PILOT: u32 = 1 << 15;
    pub const SYNC_PILOT: u32 = 1 << 16;
    pub const ADMIN: u32 = 1 << 17;
    pub const NEVER_LOGGED: u32 = 1 << 18;
    pub const POOL2: u32 = 1 << 19;
}

pub(crate) struct User {
    pub kind: Kind,
    pub domain: u8,
    pub place: Place,
    pub dept: u8,
    pub city: u8,
    pub title: u8,
    pub partner: u8,
    pub first: u16,
    pub last: u16,
    pub cn_n: u32,
    pub upn_n: u32,
    pub sam_n: u32,
    pub flags: u32,
    pub manager: u32,
    pub rid: u32,
    /// Seconds after [`BASE_TIME`].
    pub created: u32,
    /// Ordinal among Enterprise Voice users, for a unique line URI.
    pub line: u32,
}

impl User {
    pub(crate) fn has(&self, f: u32) -> bool {
        self.flags & f != 0
    }
    pub(crate) fn created_at(&self) -> i64 {
        BASE_TIME + i64::from(self.created)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Scope {
    Global,
    DomainLocal,
    Universal,
}

impl Scope {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scope::Global => "Global",
            Scope::DomainLocal => "DomainLocal",
            Scope::Universal => "Universal",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum GroupKind {
    DomainAdmins,
    DomainUsers,
    DomainGuests,
    EnterpriseAdmins,
    Dept,
    Loc,
    AllStaff,
    AllEmployees,
    Dl,
    SfbPilot,
    SyncPilot,
    Cycle,
    LegacyDl,
    Resource,
    Project,
}

pub(crate) struct Group {
    pub kind: GroupKind,
    pub domain: u8,
    pub name: String,
    pub place: Place,
    pub scope: Scope,
    pub security: bool,
    pub rid: u32,
    pub mail: Option<String>,
    pub nickname: Option<String>,
    pub critical: bool,
    pub admin_count: bool,
    pub description: Option<&'static str>,
    pub created: i64,
    pub managed_by: u32,
}

impl Group {
    pub(crate) fn group_type(&self) -> i64 {
        match (self.security, self.scope) {
            (true, Scope::Global) => -2_147_483_646,
            (true, Scope::DomainLocal) => -2_147_483_644,
            (true, Scope::Universal) => -2_147_483_640,
            (false, Scope::Global) => 2,
            (false, Scope::DomainLocal) => 4,
            (false, Scope::Universal) => 8,
        }
    }
}

pub(crate) struct Contact {
    pub first: u16,
    pub last: u16,
    pub cn_n: u32,
    pub mail_n: u32,
    pub partner: u8,
    pub created: i64,
    /// CONTACT-MAIL defect: no mail and no proxyAddresses.
    pub no_mail: bool,
}

/// Per-user values replaced by an injected defect; `Some(None)` clears the attribute.
#[derive(Default, Clone, Debug)]
pub(crate) struct UserOverride {
    pub upn: Option<Option<String>>,
    pub sam: Option<String>,
    pub display: Option<Option<String>>,
    pub given: Option<String>,
    pub mail: Option<Option<String>>,
    pub nickname: Option<Option<String>>,
    /// proxyAddresses are computed from the final flags, then edited: cleared, stripped of the
    /// sAMAccountName alias, extended. Edits rather than a stored list, because a later defect
    /// may still change the flags the base list depends on.
    pub proxy_clear: bool,
    pub proxy_drop_alias: bool,
    pub proxy_add: Vec<String>,
    pub target: Option<Option<String>>,
    pub recipient_type: Option<Option<u64>>,
    pub sip: Option<String>,
    pub locator: Option<Option<String>>,
    pub certs: Option<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Target {
    User(u32),
    Group(u32),
    Contact(u32),
}

/// One expected finding (or deliberate non-finding) in model terms; the manifest renders the
/// DN and value the way each dialect exports them.
#[derive(Clone, Debug)]
pub(crate) struct Expect {
    pub rule: &'static str,
    pub target: Target,
    pub attribute: &'static str,
    pub value: String,
    pub note: Option<String>,
    /// Entries of one injected instance (both holders of a duplicate) share this id, so a
    /// duplicate is reported as invisible when either holder's attribute is not exported.
    pub instance: u32,
}

/// A finding the model produces by construction on many objects (not injected).
#[derive(Clone, Debug)]
pub(crate) struct Systemic {
    pub rule: &'static str,
    pub count: usize,
    pub attribute: &'static str,
    pub description: String,
}

/// Compressed adjacency: `data[off[i]..off[i+1]]` are the neighbours of `i`.
#[derive(Default)]
pub(crate) struct Csr {
    pub off: Vec<u32>,
    pub data: Vec<u32>,
}

impl Csr {
    pub(crate) fn get(&self, i: usize) -> &[u32] {
        match (self.off.get(i), self.off.get(i + 1)) {
            (Some(&a), Some(&b)) => self.data.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Builds from (node, neighbour) pairs sorted by node.
    pub(crate) fn from_sorted(
        n: usize,
        pairs: impl Iterator<Item = (u32, u32)>,
        cap: usize,
    ) -> Csr {
        let mut off = vec![0u32; n + 1];
        let mut data = Vec::with_capacity(cap);
        for (a, b) in pairs {
            if let Some(o) = off.get_mut(a as usize + 1) {
                *o += 1;
            }
            data.push(b);
        }
        for i in 1..off.len() {
            off[i] += off[i - 1];
        }
        Csr { off, data }
    }
}

pub(crate) struct Directory {
    pub seed: u64,
    pub requested: usize,
    pub with_defects: bool,
    pub domains: Vec<Domain>,
    pub ous: Vec<Ou>,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub contacts: Vec<Contact>,
    /// user → groups it is a direct member of (the primary group not included).
    pub user_groups: Csr,
    /// group → groups it is a direct member of.
    pub group_parents: Csr,
    /// group → direct members (tagged with [`GROUP_BIT`] for groups).
    pub group_members: Csr,
    pub overrides: HashMap<u32, UserOverride>,
    pub defects: Vec<Expect>,
    pub non_defects: Vec<Expect>,
    pub systemic: Vec<Systemic>,
    pub notes: Vec<String>,
    pub pilot_group: u32,
    pub sync_pilot_group: u32,
    /// Index of each domain's Domain Users and Domain Guests group.
    pub domain_users: [u32; 3],
    pub domain_guests: [u32; 3],
    pub member_edges: usize,
    /// The CN counters of users, handed on to contacts (one CN namespace for the forest).
    contact_cn_map: Option<HashMap<String, u32>>,
}

// Object numbers for GUIDs, partitioned by class.
const OBJ_OU: u64 = 1_000;
const OBJ_USER: u64 = 1 << 24;
const OBJ_GROUP: u64 = 1 << 25;
const OBJ_CONTACT: u64 = 1 << 26;

/// RNG streams, one per concern.
pub(crate) mod stream {
    pub const DOMAINS: u64 = 1;
    pub const STAFF: u64 = 2;
    pub const PILOT: u64 = 4;
    pub const PROJECTS: u64 = 5;
    pub const CONTACTS: u64 = 6;
    pub const GROUPS: u64 = 7;
}

pub(crate) const STAFF_SPAN_SECS: u64 = 425_000_000; // about 13.5 years after BASE_TIME

fn counter(map: &mut HashMap<String, u32>, key: String) -> u32 {
    let e = map.entry(key).or_insert(0);
    let n = *e;
    *e += 1;
    n
}

/// Suffix for the n-th holder of a name: none for the first, then 2, 3, …
pub(crate) fn push_suffix(n: u32, sep: &str, out: &mut String) {
    if n > 0 {
        out.push_str(sep);
        out.push_str(&(n + 1).to_string());
    }
}

impl Directory {
    pub(crate) fn build(requested: usize, seed: u64, with_defects: bool) -> Result<Directory> {
        if requested > MAX_USERS {
            bail!("at most {MAX_USERS} users can be generated, {requested} were asked for");
        }
        let mut dir = Directory {
            seed,
            requested,
            with_defects,
            domains: Vec::new(),
            ous: Vec::new(),
            users: Vec::new(),
            groups: Vec::new(),
            contacts: Vec::new(),
            user_groups: Csr::default(),
            group_parents: Csr::default(),
            group_members: Csr::default(),
            overrides: HashMap::new(),
            defects: Vec::new(),
            non_defects: Vec::new(),
            systemic: Vec::new(),
            notes: Vec::new(),
            pilot_group: NONE,
            sync_pilot_group: NONE,
            domain_users: [NONE; 3],
            domain_guests: [NONE; 3],
            member_edges: 0,
            contact_cn_map: None,
        };
        dir.build_domains();
        let staff = staff_per_domain(requested);
        dir.build_users(&staff);
        dir.build_managers();
        if with_defects {
            defects::inject_user_defects(&mut dir);
        }
        dir.choose_pilots();
        dir.assign_lines();
        let edges = dir.build_groups(&staff);
        dir.index_memberships(edges);
        dir.build_contacts();
        if with_defects {
            defects::inject_group_and_contact_defects(&mut dir);
        }
        dir.record_non_defects();
        dir.record_systemic();
        Ok(dir)
    }

    fn build_domains(&mut self) {
        let mut rng = Rng::new(self.seed, stream::DOMAINS);
        for (i, spec) in DOMAINS.iter().enumerate() {
            let sid = [
                rng.range(1_000_000_000, 4_294_967_295) as u32,
                rng.range(1_000_000_000, 4_294_967_295) as u32,
                rng.range(1_000_000_000, 4_294_967_295) as u32,
            ];
            // The forest root first, then the other trees, all in the first days of the model's
            // time line so that built-in accounts are never older than their domain.
            let created = BASE_TIME + rng.range(600, 86_400) as i64 + i as i64 * 2 * 86_400;
            self.domains.push(Domain {
                spec,
                sid,
                guid: guid(self.seed, i as u64),
                created,
            });
            // Parents before children: OU=Staff first, its children some days later.
            let staff_created = created + rng.range(3_600, 10 * 86_400) as i64;
            for kind in DOMAIN_OUS {
                let after = if kind.parent().is_some() {
                    staff_created
                } else {
                    created
                };
                self.ous.push(Ou {
                    domain: i as u8,
                    kind,
                    created: if kind == OuKind::Staff {
                        staff_created
                    } else {
                        after + rng.range(3_600, 20 * 86_400) as i64
                    },
                });
            }
            if i == 0 {
                self.ous.push(Ou {
                    domain: 0,
                    kind: OuKind::Contacts,
                    created: created + rng.range(3_600, 30 * 86_400) as i64,
                });
            }
        }
    }

    fn build_users(&mut self, staff: &[usize; 3]) {
        let mut rng = Rng::new(self.seed, stream::STAFF);
        let mut cn_map: HashMap<String, u32> = HashMap::new();
        let mut upn_map: HashMap<String, u32> = HashMap::new();
        let mut sam_map: HashMap<String, u32> = HashMap::new();
        self.users.reserve(staff.iter().sum::<usize>() + 20);
        for d in 0..3u8 {
            let n = staff[d as usize];
            let mut next_rid = 1104 + n as u32;
            let mut system = vec![Kind::Administrator, Kind::Guest, Kind::Krbtgt];
            if d == 0 {
                system.extend([
                    Kind::Msol,
                    Kind::Aad,
                    Kind::Support,
                    Kind::SystemMailbox,
                    Kind::HealthMailbox,
                    Kind::DiscoveryMailbox,
                ]);
            }
            system.push(Kind::Service);
            let dcreated = self.domains[d as usize].created;
            for kind in system {
                let (rid, place, flags) = match kind {
                    Kind::Administrator => (500, Place::Users, flag::ENABLED | flag::PWD_NEVER),
                    Kind::Guest => (501, Place::Users, flag::PWD_NEVER),
                    Kind::Krbtgt => (502, Place::Users, 0),
                    Kind::HealthMailbox => (0, Place::Monitoring, flag::ENABLED),
                    Kind::Service => (
                        0,
                        Place::Ou(OuKind::ServiceAccounts),
                        flag::ENABLED | flag::PWD_NEVER,
                    ),
                    Kind::Msol | Kind::Aad => (0, Place::Users, flag::ENABLED | flag::PWD_NEVER),
                    _ => (0, Place::Users, 0),
                };
                let rid = if rid == 0 {
                    next_rid += 1;
                    next_rid - 1
                } else {
                    rid
                };
                let created = (dcreated - BASE_TIME).max(0) as u32 + 60 + rid;
                self.users.push(User {
                    kind,
                    domain: d,
                    place,
                    dept: 0,
                    city: 0,
                    title: 0,
                    partner: 0,
                    first: 0,
                    last: 0,
                    cn_n: 0,
                    upn_n: 0,
                    sam_n: 0,
                    flags,
                    manager: NONE,
                    rid,
                    created,
                    line: 0,
                });
            }
            let spec = &DOMAINS[d as usize];
            for j in 0..n {
                // The first seven users of a domain fill every OU, so that an OU count derived
                // from object DNs (all a PowerShell export allows) matches the OU objects.
                let anchor = if n >= 7 && j < 7 { Some(j) } else { None };
                let (dept, contractor, disabled) = match anchor {
                    Some(a @ 0..=3) => (a as u8, false, false),
                    Some(4) => (rng.weighted(DEPT_WEIGHTS) as u8, true, false),
                    Some(5) => (rng.weighted(DEPT_WEIGHTS) as u8, false, true),
                    Some(_) => (4 + rng.below(4) as u8, false, false),
                    None => {
                        let r = rng.below(1000);
                        (
                            rng.weighted(DEPT_WEIGHTS) as u8,
                            r < 80,
                            (80..100).contains(&r),
                        )
                    }
                };
                let place = if contractor {
                    Place::Ou(OuKind::Contractors)
                } else if disabled {
                    Place::Ou(OuKind::DisabledUsers)
                } else {
                    Place::Ou(OuKind::for_dept(dept))
                };
                let mut flags = 0;
                if !disabled {
                    flags |= flag::ENABLED;
                }
                if contractor {
                    flags |= flag::CONTRACTOR;
                }
                let first = rng.below_usize(GIVEN.len()) as u16;
                let last = rng.below_usize(SURNAMES.len()) as u16;
                let city = spec.cities[rng.below_usize(spec.cities.len())];
                let title = rng.below(4) as u8;
                let partner = rng.below_usize(PARTNERS.len()) as u8;
                let created = (7 * 86_400 + rng.below(STAFF_SPAN_SECS)) as u32;
                if !disabled && rng.chance(30) {
                    flags |= flag::PWD_NEVER;
                }
                if rng.chance(5) {
                    flags |= flag::NOSYNC;
                }
                if !disabled && rng.chance(10) {
                    flags |= flag::REMOTE;
                }
                if rng.chance(20) {
                    flags |= flag::CERT;
                }
                if rng.chance(150) {
                    flags |= flag::ALIAS;
                }
                if rng.chance(2) || (d == 0 && j == 1) {
                    flags |= flag::X500;
                }
                if !disabled && rng.chance(30) {
                    flags |= flag::NEVER_LOGGED;
                }
                if rng.chance(if disabled { 250 } else { 800 }) {
                    flags |= flag::SFB;
                    if rng.chance(50) {
                        flags |= flag::ONLINE;
                    }
                    if rng.chance(300) {
                        flags |= flag::EV;
                    }
                    if rng.chance(250) {
                        flags |= flag::SIP_PROXY;
                    }
                    if rng.chance(400) {
                        flags |= flag::POOL2;
                    }
                }
                if d == 0 && j == 7 {
                    flags |= flag::OBRIEN;
                }
                if d == 0 && j == 8 {
                    flags |= flag::COMMA;
                }
                self.users.push(User {
                    kind: Kind::Staff,
                    domain: d,
                    place,
                    dept,
                    city,
                    title,
                    partner,
                    first,
                    last,
                    cn_n: 0,
                    upn_n: 0,
                    sam_n: 0,
                    flags,
                    manager: NONE,
                    rid: 1104 + j as u32,
                    created,
                    line: 0,
                });
                let idx = self.users.len() - 1;
                let (g, s) = self.names(idx);
                // Counters are keyed by the ASCII-folded form so that names stay unique even
                // after PowerShell 5.1 turns every accented letter into `?`.
                let cn_key = if flags & flag::COMMA != 0 {
                    qfold(&format!("{s}, {g}"))
                } else {
                    qfold(&format!("{g} {s}"))
                };
                let mut upn_key = String::new();
                fold_ascii(g, &['-'], &mut upn_key);
                upn_key.push('.');
                fold_ascii(s, &['-', '\''], &mut upn_key);
                let mut sam_key = String::new();
                let mut gf = String::new();
                fold_ascii(g, &[], &mut gf);
                sam_key.push_str(gf.get(..1).unwrap_or("x"));
                let mut sf = String::new();
                fold_ascii(s, &[], &mut sf);
                sam_key.push_str(sf.get(..sf.len().min(12)).unwrap_or(""));
                let cn_n = counter(&mut cn_map, cn_key);
                let upn_n = counter(&mut upn_map, upn_key);
                let sam_n = counter(&mut sam_map, sam_key);
                if let Some(u) = self.users.last_mut() {
                    u.cn_n = cn_n;
                    u.upn_n = upn_n;
                    u.sam_n = sam_n;
                }
            }
        }
        // Contacts share the CN namespace of users (one CN counter for the forest).
        self.contact_cn_map = Some(cn_map);
    }

    /// (given name, surname) of a staff user.
    pub(crate) fn names(&self, u: usize) -> (&'static str, &'static str) {
        match self.users.get(u) {
            Some(user) if user.has(flag::OBRIEN) => SPECIAL_OBRIEN,
            Some(user) if user.has(flag::COMMA) => SPECIAL_COMMA,
            Some(user) => (
                GIVEN.get(user.first as usize).copied().unwrap_or("Alex"),
                SURNAMES.get(user.last as usize).copied().unwrap_or("Doe"),
            ),
            None => ("Alex", "Doe"),
        }
    }

    fn build_managers(&mut self) {
        // Per (domain, department): a tree with fan-out 6 over the employees in creation order.
        let mut teams: HashMap<(u8, u8), Vec<u32>> = HashMap::new();
        for (i, u) in self.users.iter().enumerate() {
            if u.kind == Kind::Staff && u.has(flag::ENABLED) && !u.has(flag::CONTRACTOR) {
                teams.entry((u.domain, u.dept)).or_default().push(i as u32);
            }
        }
        let mut pos: HashMap<u32, usize> = HashMap::new();
        for team in teams.values() {
            for (k, &u) in team.iter().enumerate() {
                pos.insert(u, k);
            }
        }
        for i in 0..self.users.len() {
            let (kind, domain, dept, enabled, contractor) = {
                let u = &self.users[i];
                (
                    u.kind,
                    u.domain,
                    u.dept,
                    u.has(flag::ENABLED),
                    u.has(flag::CONTRACTOR),
                )
            };
            if kind != Kind::Staff || !enabled {
                continue;
            }
            let Some(team) = teams.get(&(domain, dept)) else {
                continue;
            };
            let manager = if contractor {
                let h = super::rng::hash3(self.seed, i as u64, 77) as usize;
                team.get(h % team.len().max(1)).copied()
            } else {
                match pos.get(&(i as u32)) {
                    Some(&k) if k > 0 => team.get((k - 1) / 6).copied(),
                    _ => None,
                }
            };
            if let (Some(m), Some(u)) = (manager, self.users.get_mut(i)) {
                u.manager = m;
            }
        }
    }

    fn choose_pilots(&mut self) {
        let mut rng = Rng::new(self.seed, stream::PILOT);
        let sfb: Vec<u32> = (0..self.users.len() as u32)
            .filter(|&i| self.users[i as usize].has(flag::SFB))
            .collect();
        let mut candidates: Vec<u32> = sfb
            .iter()
            .copied()
            .filter(|&i| {
                let u = &self.users[i as usize];
                u.kind == Kind::Staff
                    && u.has(flag::ENABLED)
                    && !u.has(flag::ONLINE)
                    && !u.has(flag::CONTRACTOR)
                    && !u.has(flag::HOST)
            })
            .collect();
        rng.shuffle(&mut candidates);
        let want = (sfb.len() * 2).div_ceil(100).max(3).min(candidates.len());
        let mut pilots: Vec<u32> = candidates.iter().copied().take(want).collect();
        pilots.sort_unstable();
        for &p in &pilots {
            self.users[p as usize].flags |= flag::PILOT | flag::SYNC_PILOT;
        }
        // The sync pilot adds about 1% of the other enabled staff.
        for i in 0..self.users.len() {
            let u = &self.users[i];
            if u.kind == Kind::Staff
                && u.has(flag::ENABLED)
                && !u.has(flag::PILOT)
                && !u.has(flag::HOST)
                && rng.chance(10)
            {
                self.users[i].flags |= flag::SYNC_PILOT;
            }
        }
    }

    fn assign_lines(&mut self) {
        let mut n = 0u32;
        for u in &mut self.users {
            if u.has(flag::SFB) && u.has(flag::EV) {
                u.line = n;
                n += 1;
            }
        }
    }

    fn build_contacts(&mut self) {
        let mut rng = Rng::new(self.seed, stream::CONTACTS);
        let n = ((self.requested * 2 + 50) / 100).max(3);
        let mut cn_map = self.contact_cn_map.take().unwrap_or_default();
        let mut mail_map: HashMap<String, u32> = HashMap::new();
        for _ in 0..n {
            let first = rng.below_usize(GIVEN.len()) as u16;
            let last = rng.below_usize(SURNAMES.len()) as u16;
            let partner = rng.below_usize(PARTNERS.len()) as u8;
            let g = GIVEN[first as usize];
            let s = SURNAMES[last as usize];
            let cn_n = counter(&mut cn_map, qfold(&format!("{g} {s}")));
            let mut key = String::new();
            fold_ascii(g, &['-'], &mut key);
            key.push('.');
            fold_ascii(s, &['-'], &mut key);
            let mail_n = counter(&mut mail_map, key);
            self.contacts.push(Contact {
                first,
                last,
                cn_n,
                mail_n,
                partner,
                created: BASE_TIME + rng.below(STAFF_SPAN_SECS) as i64,
                no_mail: false,
            });
        }
    }

    fn record_non_defects(&mut self) {
        let mut instance = 10_000_000u32;
        for i in 0..self.users.len() {
            let u = &self.users[i];
            if u.kind != Kind::Staff {
                continue;
            }
            if u.has(flag::OBRIEN) {
                instance += 1;
                let upn = self.view_upn(i);
                self.non_defects.push(Expect {
                    rule: "UPN-CHAR",
                    target: Target::User(i as u32),
                    attribute: "userPrincipalName",
                    value: upn,
                    note: Some("an apostrophe is valid in a UPN (IdFix flags it; Microsoft 365 accepts it)".into()),
                    instance,
                });
            }
            if u.has(flag::COMMA) {
                instance += 1;
                let mut dn = String::new();
                self.user_dn(i, &mut dn);
                self.non_defects.push(Expect {
                    rule: "DN-ESCAPE",
                    target: Target::User(i as u32),
                    attribute: "distinguishedName",
                    value: dn,
                    note: Some(
                        "a CN holding a comma, escaped as `\\,` in the DN: not a defect".into(),
                    ),
                    instance,
                });
            }
            if u.has(flag::X500) {
                instance += 1;
                let x = self.x500(i);
                self.non_defects.push(Expect {
                    rule: "PA-X500",
                    target: Target::User(i as u32),
                    attribute: "proxyAddresses",
                    value: x,
                    note: Some(
                        "X500 proxy with spaces and parentheses: valid, not a defect".into(),
                    ),
                    instance,
                });
            }
        }
    }

    fn record_systemic(&mut self) {
        let mut local_upn = 0;
        let mut local_sip = 0;
        let mut partner_sip = 0;
        for (i, u) in self.users.iter().enumerate() {
            if u.domain == 2 && self.view_upn_opt(i).is_some() {
                local_upn += 1;
            }
            if u.has(flag::SFB) && u.domain == 2 {
                local_sip += 1;
            }
            if u.has(flag::SFB) && u.domain == 0 && u.has(flag::CONTRACTOR) {
                partner_sip += 1;
            }
        }
        self.systemic.push(Systemic {
            rule: "UPN-TLD",
            count: local_upn,
            attribute: "userPrincipalName",
            description: "every user of corp.contoso.local has the non-routable UPN suffix corp.contoso.local".into(),
        });
        self.systemic.push(Systemic {
            rule: "SIP-UPN",
            count: local_sip,
            attribute: "msRTCSIP-PrimaryUserAddress",
            description: "SfB users of corp.contoso.local sign in as …@corp.contoso.local but have a SIP address in contoso.com".into(),
        });
        self.systemic.push(Systemic {
            rule: "SIP-UPN",
            count: partner_sip,
            attribute: "msRTCSIP-PrimaryUserAddress",
            description: format!("SfB contractors of contoso.com (OU=Contractors) use the SIP domain {PARTNER_SIP_DOMAIN}"),
        });
        for (g, grp) in self.groups.iter().enumerate() {
            let n = self.group_members.get(g).len();
            if n >= GROUP_SIZE_LIMIT {
                self.systemic.push(Systemic {
                    rule: "GRP-SIZE",
                    count: 1,
                    attribute: "member",
                    description: format!("{} has {n} direct members", grp.name),
                });
            }
        }
    }

    pub(crate) fn is_sfb(&self, u: usize) -> bool {
        self.users.get(u).is_some_and(|x| x.has(flag::SFB))
    }

    pub(crate) fn sfb_counts(&self) -> (usize, usize) {
        let mut sfb = 0;
        let mut online = 0;
        for u in &self.users {
            if u.has(flag::SFB) {
                sfb += 1;
                if u.has(flag::ONLINE) {
                    online += 1;
                }
            }
        }
        (sfb, online)
    }

    /// Primary group of a user: Domain Guests for Guest, else Domain Users.
    pub(crate) fn primary_group(&self, u: usize) -> (u32, u32) {
        let Some(user) = self.users.get(u) else {
            return (513, NONE);
        };
        let d = user.domain as usize % 3;
        if user.kind == Kind::Guest {
            (514, self.domain_guests[d])
        } else {
            (513, self.domain_users[d])
        }
    }

    pub(crate) fn sid(&self, domain: u8, rid: Option<u32>) -> Sid {
        Sid {
            sub: self.domains[domain as usize % 3].sid,
            rid,
        }
    }

    pub(crate) fn user_guid(&self, u: usize) -> u128 {
        guid(self.seed, OBJ_USER + u as u64)
    }
    pub(crate) fn group_guid(&self, g: usize) -> u128 {
        guid(self.seed, OBJ_GROUP + g as u64)
    }
    pub(crate) fn contact_guid(&self, c: usize) -> u128 {
        guid(self.seed, OBJ_CONTACT + c as u64)
    }
    pub(crate) fn ou_guid(&self, o: usize) -> u128 {
        guid(self.seed, OBJ_OU + o as u64)
    }

    /// Number of direct membership edges the manifest reports: the distinct member/memberOf
    /// edges plus one primary-group edge per user.
    pub(crate) fn memberships(&self) -> usize {
        self.member_edges + self.users.len()
    }
}

/// Staff users per domain: 60/25/15, with at least seven per domain once there are enough, so
/// that every OU of every domain holds an object.
fn staff_per_domain(n: usize) -> [usize; 3] {
    let a = (n * DOMAINS[0].share_pct + 50) / 100;
    let b = (n * DOMAINS[1].share_pct + 50) / 100;
    let mut c = [a, b.min(n - a.min(n)), 0];
    c[2] = n - c[0] - c[1];
    if n >= 21 {
        for i in 1..3 {
            while c[i] < 7 && c[0] > 7 {
                c[i] += 1;
                c[0] -= 1;
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split() {
        assert_eq!(staff_per_domain(100), [60, 25, 15]);
        assert_eq!(staff_per_domain(21), [7, 7, 7]);
        assert_eq!(staff_per_domain(0), [0, 0, 0]);
        assert_eq!(staff_per_domain(1).iter().sum::<usize>(), 1);
        for n in 0..300 {
            assert_eq!(staff_per_domain(n).iter().sum::<usize>(), n);
        }
    }

    #[test]
    fn builds_small_and_tiny() {
        for n in [0, 1, 5, 20, 50, 300] {
            let d = Directory::build(n, 9, true).unwrap();
            assert_eq!(d.users.iter().filter(|u| u.kind == Kind::Staff).count(), n);
        }
    }
}
