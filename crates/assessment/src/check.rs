//! The six deployment steps and the checks that decide them (spec §7, `sfb-hybrid.md` §7).
//!
//! Each check is declared once, in [`checks!`] below: its id, its step, what a failure costs
//! ([`Class`]), who acts on it ([`Owner`]) and its public sources. The simulation evaluates it,
//! the catalogues word it (`check.<ID>` for its title, `fact.*` and `reason.*` for what it found),
//! and everything else (the score, the action plan, the report's tables and links) hangs off
//! this declaration.
//!
//! A check's result is typed: a [`Fact`] (what was found, with its totals), the [`Cause`]s that
//! make up those totals (each a [`Reason`] with its count and first objects) and the objects
//! behind it. No sentence is built before a renderer chooses the language.

use crate::ObjRef;
use crate::sync::{MoveBlocker, SyncReason};
use serde::{Deserialize, Serialize};

/// A deployment step, in the order a deployment goes through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepId {
    Tenant,
    Domains,
    Sync,
    Federation,
    Pilot,
    Manage,
}

impl StepId {
    pub const ALL: [StepId; 6] = [
        StepId::Tenant,
        StepId::Domains,
        StepId::Sync,
        StepId::Federation,
        StepId::Pilot,
        StepId::Manage,
    ];

    /// The id used in `summary.json` and the catalogues (`step.<id>.title`).
    pub fn as_str(self) -> &'static str {
        match self {
            StepId::Tenant => "tenant",
            StepId::Domains => "domains",
            StepId::Sync => "sync",
            StepId::Federation => "federation",
            StepId::Pilot => "pilot",
            StepId::Manage => "manage",
        }
    }

    /// 1 for the tenant, 6 for managing in hybrid.
    pub fn number(self) -> usize {
        StepId::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }
}

/// How a check went. Ordered by gravity: `Pass < Warn < Fail`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    /// A risk, or an input that was not provided (never a silent pass).
    Warn,
    /// The step, or a move, cannot go ahead.
    Fail,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// What a check that does not pass costs the readiness score (see [`crate::score`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// The step or a move fails (`block` in `sfb-hybrid.md` §7).
    Block,
    /// Communication breaks or the set-up is unsupported.
    Error,
    /// A risk or a degradation.
    Risk,
    /// Reported for information: a reminder, or a consequence another check already costs.
    Report,
}

/// Who acts on a check that does not pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// The Active Directory team (objects, attributes, OUs, the sync server's scope).
    AdTeam,
    /// The Skype for Business Server team (topology, Edge, hosting provider, moves).
    SfbTeam,
    /// The Microsoft 365 administrator (tenant, domains, licences, policies).
    M365Admin,
}

/// A check's declaration.
#[derive(Clone, Copy, Debug)]
pub struct CheckDef {
    pub id: CheckId,
    pub step: StepId,
    pub class: Class,
    pub owner: Owner,
    /// Public documents the check follows (addresses).
    pub sources: &'static [&'static str],
}

const HYBRID: &str = "https://learn.microsoft.com/skypeforbusiness/hybrid/";
macro_rules! learn {
    (hybrid $page:literal) => {
        concat!(
            "https://learn.microsoft.com/skypeforbusiness/hybrid/",
            $page
        )
    };
    (teams $page:literal) => {
        concat!("https://learn.microsoft.com/microsoftteams/", $page)
    };
    (sfbps $cmdlet:literal) => {
        concat!(
            "https://learn.microsoft.com/powershell/module/skypeforbusiness/",
            $cmdlet
        )
    };
    (teamsps $cmdlet:literal) => {
        concat!(
            "https://learn.microsoft.com/powershell/module/teams/",
            $cmdlet
        )
    };
    (m365 $page:literal) => {
        concat!("https://learn.microsoft.com/microsoft-365/", $page)
    };
    (entra $page:literal) => {
        concat!(
            "https://learn.microsoft.com/entra/identity/hybrid/connect/",
            $page
        )
    };
}

macro_rules! checks {
    ($( $(#[$doc:meta])* $var:ident = $id:literal, $step:ident, $class:ident, $owner:ident, [$($src:expr),* $(,)?]; )*) => {
        /// Every check, by its id (`T01`, `U01`, `BREAKS`, …).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum CheckId {
            $( $(#[$doc])* #[serde(rename = $id)] $var, )*
        }

        impl CheckId {
            /// Every check, in the order the steps list them.
            pub const ALL: &'static [CheckId] = &[ $( CheckId::$var ),* ];

            /// The id as written in the catalogues and `summary.json`.
            pub fn as_str(self) -> &'static str {
                match self { $( CheckId::$var => $id, )* }
            }

            /// The check's declaration.
            pub fn def(self) -> CheckDef {
                match self {
                    $( CheckId::$var => CheckDef {
                        id: CheckId::$var,
                        step: StepId::$step,
                        class: Class::$class,
                        owner: Owner::$owner,
                        sources: &[$($src),*],
                    }, )*
                }
            }
        }
    };
}

checks! {
    /// A tenant is declared in the scenario.
    Tenant = "TENANT", Tenant, Block, M365Admin, [learn!(hybrid "configure-hybrid-connectivity")];
    /// Teams (or Skype for Business Online) is enabled for the organisation.
    Teams = "TEAMS", Tenant, Block, M365Admin, [learn!(hybrid "configure-hybrid-connectivity")];
    /// One tenant only is paired with the on-premises deployment.
    T01 = "T01", Tenant, Block, M365Admin, [learn!(hybrid "plan-hybrid-connectivity")];
    /// Every SIP domain is a verified tenant domain.
    D01 = "D01", Domains, Block, M365Admin, [learn!(hybrid "configure-hybrid-connectivity"), learn!(hybrid "cloud-consolidation")];
    /// Every UPN suffix of synced users is a verified, routable domain.
    U09 = "U09", Domains, Risk, M365Admin, [learn!(m365 "enterprise/prepare-a-non-routable-domain-for-directory-synchronization")];
    /// Every primary SMTP domain of synced objects is verified.
    Smtp = "SMTP", Domains, Risk, M365Admin, [learn!(m365 "admin/setup/manage-domain-users")];
    /// SIP domains of other SfB forests are disabled online.
    D02 = "D02", Domains, Error, M365Admin, [learn!(hybrid "cloud-consolidation"), learn!(teamsps "disable-csonlinesipdomain")];
    /// No SIP domain with online users is disabled.
    D03 = "D03", Domains, Error, M365Admin, [learn!(teamsps "disable-csonlinesipdomain")];
    /// Every on-premises Skype for Business user synchronises.
    U01 = "U01", Sync, Block, AdTeam, [learn!(hybrid "configure-hybrid-connectivity")];
    /// Every user already homed online stays synchronised.
    U16 = "U16", Sync, Block, AdTeam, [learn!(hybrid "configure-hybrid-connectivity"), learn!(hybrid "plan-hybrid-connectivity")];
    /// No object in the sync scope carries a finding that blocks its synchronisation.
    Errors = "ERRORS", Sync, Risk, AdTeam, [learn!(m365 "enterprise/prepare-for-directory-synchronization")];
    /// SfB users carry the msRTCSIP attributes their home needs.
    U03 = "U03", Sync, Error, SfbTeam, [learn!(hybrid "configure-azure-ad-connect")];
    /// No SfB user shares a mail, proxy or UPN value with another object.
    U10 = "U10", Sync, Error, AdTeam, [learn!(m365 "admin/setup/manage-domain-users")];
    /// Every domain holding SfB users is in the sync scope, with one sync instance.
    F02 = "F02", Sync, Error, AdTeam, [learn!(hybrid "configure-azure-ad-connect"), learn!(hybrid "cloud-consolidation-aad-connect")];
    /// The sync rules keep the SfB attributes.
    F03 = "F03", Sync, Error, AdTeam, [learn!(hybrid "configure-azure-ad-connect")];
    /// msRTCSIP-DeploymentLocator synchronises.
    F04 = "F04", Sync, Error, AdTeam, [learn!(teamsps "disable-csonlinesipdomain")];
    /// Resource-forest users match their account-forest SIDs.
    F05 = "F05", Sync, Error, AdTeam, [learn!(hybrid "configure-a-multi-forest-environment-for-hybrid")];
    /// The sync database can hold the directory.
    F06 = "F06", Sync, Risk, AdTeam, [learn!(entra "how-to-connect-install-prerequisites")];
    /// Entra Connect Sync is 2.5.79.0 or later: older builds stop synchronising on 30 September
    /// 2026 (a block from that day, a warning before).
    F07 = "F07", Sync, Block, AdTeam, [learn!(entra "how-to-connect-install-prerequisites"), learn!(entra "reference-connect-version-history")];
    /// Server versions form a supported topology.
    T02 = "T02", Federation, Block, SfbTeam, [learn!(hybrid "plan-hybrid-connectivity")];
    /// Servers meet the minimum builds for moves.
    T03 = "T03", Federation, Block, SfbTeam, [learn!(sfbps "move-csuser")];
    /// Hybrid voice has its federation Edge and pool on SfB 2015 or later.
    T04 = "T04", Federation, Error, SfbTeam, [learn!(hybrid "plan-hybrid-connectivity")];
    /// The Access Edge allows federated and outside users, with DNS SRV routing.
    T05 = "T05", Federation, Block, SfbTeam, [learn!(hybrid "configure-federation-with-skype-for-business-online")];
    /// The hosting provider sipfed.online.lync.com has shared address space.
    T06 = "T06", Federation, Block, SfbTeam, [learn!(hybrid "configure-federation-with-skype-for-business-online"), learn!(sfbps "new-cshostingprovider")];
    /// The tenant has SharedSipAddressSpace enabled.
    T07 = "T07", Federation, Block, M365Admin, [learn!(hybrid "configure-federation-with-skype-for-business-online"), learn!(teamsps "set-cstenantfederationconfiguration")];
    /// Federation settings match on-premises and online.
    T08 = "T08", Federation, Error, SfbTeam, [learn!(hybrid "plan-hybrid-connectivity")];
    /// Exactly one federation Edge pool.
    T09 = "T09", Federation, Block, SfbTeam, [learn!(sfbps "move-csuser")];
    /// DNS records of every SIP domain point on-premises.
    T10 = "T10", Federation, Error, SfbTeam, [learn!(hybrid "plan-hybrid-connectivity")];
    /// TLS 1.2, OAuth and the Teams PowerShell module (6.2.1 to 7.1) are ready for moves.
    T11 = "T11", Federation, Risk, SfbTeam, [learn!(sfbps "move-csuser"), "https://github.com/MicrosoftDocs/office-docs-powershell/pull/13244"];
    /// Every server runs a supported product: 2015 and 2019 are out of support since 14 October
    /// 2025, Subscription Edition is the supported line.
    T12 = "T12", Federation, Risk, SfbTeam, ["https://learn.microsoft.com/lifecycle/products/skype-for-business-server-2019", "https://learn.microsoft.com/lifecycle/products/skype-for-business-server-2015", "https://learn.microsoft.com/lifecycle/products/skype-for-business-server-subscription-edition"];
    /// Every server has the August 2025 update (KB5065372) that brings the dedicated hybrid
    /// application. Its source is secondary: a warning to verify, never a block.
    T13 = "T13", Federation, Risk, SfbTeam, ["https://support.microsoft.com/help/5065372", learn!(hybrid "plan-hybrid-connectivity")];
    /// One forest at a time in hybrid.
    F01 = "F01", Federation, Block, SfbTeam, [learn!(hybrid "cloud-consolidation")];
    /// A pilot is defined and every pilot user can move.
    Pilot = "PILOT", Pilot, Block, SfbTeam, [learn!(hybrid "move-users-between-on-premises-and-cloud")];
    /// Pilot users are on-premises SfB users.
    U06 = "U06", Pilot, Block, SfbTeam, ["https://github.com/microsoft/BatchMoveToTeams", learn!(sfbps "move-csuser")];
    /// Users to move hold Teams and SfB Online (Plan 2) licences.
    U04 = "U04", Pilot, Block, M365Admin, [learn!(hybrid "move-users-between-on-premises-and-cloud")];
    /// Enterprise Voice users hold Teams Phone.
    U05 = "U05", Pilot, Block, M365Admin, [learn!(hybrid "move-users-between-on-premises-and-cloud")];
    /// No dependent pair is broken right after the pilot. A consequence of U01 (a break needs an
    /// unsynchronised user), which the score already counts.
    P01 = "P01", Pilot, Report, AdTeam, [learn!(hybrid "cloud-consolidation")];
    /// Moves keep contacts and meetings (no -Force).
    U15 = "U15", Pilot, Risk, SfbTeam, [learn!(sfbps "move-csuser")];
    /// Moved users sign in to Teams within 30 days (a reminder).
    U14 = "U14", Pilot, Report, SfbTeam, [learn!(sfbps "move-csuser")];
    /// Every remaining SfB user is in a wave or kept on-premises on purpose.
    Waves = "WAVES", Manage, Error, SfbTeam, [learn!(hybrid "move-users-between-on-premises-and-cloud")];
    /// No dependent pair is broken once every movable user is online. A consequence of U01.
    Breaks = "BREAKS", Manage, Report, AdTeam, [learn!(hybrid "configure-hybrid-connectivity")];
    /// Delegates move in the same wave.
    P04 = "P04", Manage, Risk, SfbTeam, [learn!(hybrid "cloud-consolidation")];
    /// No online user lacks an on-premises AD object.
    U02 = "U02", Manage, Error, M365Admin, [learn!(hybrid "plan-hybrid-connectivity")];
    /// On-premises users get chats from TeamsOnly users.
    P03 = "P03", Manage, Risk, M365Admin, [learn!(teams "migration-interop-guidance-for-teams-with-skype")];
    /// Unified Contact Store will not keep contacts on-premises.
    U11 = "U11", Manage, Risk, SfbTeam, [learn!(hybrid "move-users-from-on-premises-to-teams")];
    /// Coexistence modes fit the homes.
    U12 = "U12", Manage, Block, M365Admin, [learn!(teams "coexistence-chat-calls-presence"), learn!(teamsps "grant-csteamsupgradepolicy")];
    /// Contact lists fit the target (SfB Online keeps 250 contacts).
    U13 = "U13", Manage, Report, SfbTeam, [learn!(hybrid "plan-hybrid-connectivity")];
    /// On-premises users do not start chats from Teams to SfB users.
    P02 = "P02", Manage, Risk, M365Admin, [learn!(teams "coexistence-chat-calls-presence")];
    /// Other on-premises forests keep federating.
    P05 = "P05", Manage, Error, SfbTeam, [learn!(hybrid "cloud-consolidation")];
}

impl CheckId {
    pub fn step(self) -> StepId {
        self.def().step
    }

    /// The check of an id as written (`"T01"`), if there is one.
    pub fn parse(id: &str) -> Option<CheckId> {
        CheckId::ALL.iter().copied().find(|c| c.as_str() == id)
    }
}

/// The prefix every hybrid document address shares (used to tell them from others).
pub fn is_hybrid_doc(url: &str) -> bool {
    url.starts_with(HYBRID)
}

/// A check as evaluated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub id: CheckId,
    pub status: Status,
    /// What was found, with its totals.
    pub fact: Fact,
    /// What makes up those totals, largest first; the counts sum to the fact's total where the
    /// fact has one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<Cause>,
    /// The first objects behind a check that does not pass (the count is exact).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<ObjRef>,
    #[serde(default)]
    pub object_count: u64,
    /// Points this check takes off its step's score (see [`crate::score`]).
    #[serde(default)]
    pub cost: u32,
}

impl CheckResult {
    pub fn new(id: CheckId, status: Status, fact: Fact) -> CheckResult {
        CheckResult {
            id,
            status,
            fact,
            causes: Vec::new(),
            objects: Vec::new(),
            object_count: 0,
            cost: 0,
        }
    }

    pub fn with_causes(mut self, causes: Vec<Cause>) -> CheckResult {
        self.causes = causes;
        self
    }

    pub fn with_objects(mut self, objects: Vec<ObjRef>, count: u64) -> CheckResult {
        self.objects = objects;
        self.object_count = count;
        self
    }

    /// Whether the check could not be made for want of an input.
    pub fn not_provided(&self) -> bool {
        matches!(self.fact, Fact::NotProvided { .. })
    }

    /// What the check makes of its step: its own status, but a blocker not provided blocks the
    /// step (it may hide a failure, and nothing tells it does not).
    pub fn step_status(&self) -> Status {
        if self.not_provided() && self.id.def().class == Class::Block {
            Status::Fail
        } else {
            self.status
        }
    }
}

/// One part of what a check found: a reason, how many it concerns, and the first of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cause {
    pub reason: Reason,
    pub count: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<ObjRef>,
}

impl Cause {
    pub fn new(reason: Reason, count: u64) -> Cause {
        Cause {
            reason,
            count,
            objects: Vec::new(),
        }
    }
}

/// A scenario key or an export column a check needed and did not get.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Input {
    /// A key of the scenario file (`federation.tls12`).
    ScenarioKey(String),
    /// A column of the AD exports (`msRTCSIP-PrimaryUserAddress`).
    Column(String),
    /// A per-user licence column, or `licenses.teams_and_sfbo_assigned`.
    Licences,
    /// The builds of these server versions.
    BuildsOf(Vec<String>),
    /// A Get-CsOnlineUser export (online users cannot appear in AD exports).
    OnlineUsersExport,
    /// Contact counts per user (SfB Online keeps at most 250 contacts).
    ContactCounts,
    /// Per-user coexistence modes (a TeamsUpgradePolicy column).
    UserModes,
}

/// What a check found, with its totals. One variant per outcome of a check; each is worded by
/// the catalogues under `fact.<snake_case name>`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fact {
    /// The check needs inputs that were not provided: it warns, it never passes silently.
    NotProvided {
        inputs: Vec<Input>,
    },

    // tenant
    TenantDeclared {
        name: Option<String>,
        initial_domain: Option<String>,
    },
    TeamsEnabled,
    TeamsDisabled,
    OneTenant,
    TenantsPaired {
        count: u64,
    },

    // domains
    SipDomainsVerified {
        domains: u64,
    },
    /// `verified_list`: whether the scenario listed the verified domains at all.
    SipDomainsUnverified {
        domains: u64,
        users: u64,
        verified_list: bool,
    },
    UpnSuffixesVerified,
    UpnSuffixesUnverified {
        users: u64,
        domains: u64,
        becomes: Option<String>,
    },
    SmtpDomainsVerified,
    SmtpDomainsUnverified {
        objects: u64,
        domains: u64,
    },
    OneSfbForest,
    SfbForests {
        count: u64,
    },
    NoDisabledDomainWithOnlineUsers,
    DisabledDomainsWithOnlineUsers {
        domains: u64,
        users: u64,
    },

    // sync
    OnPremisesUsersSync {
        users: u64,
    },
    OnPremisesUsersUnsynced {
        users: u64,
    },
    OnlineUsersSynced {
        users: u64,
    },
    OnlineUsersUnsynced {
        users: u64,
    },
    NoBlockingFinding,
    ObjectsBlocked {
        objects: u64,
    },
    SfbAttributesPresent,
    SfbAttributesMissing {
        users: u64,
    },
    NoSharedValues,
    SharedValues {
        users: u64,
    },
    SyncScopeComplete,
    SyncScopeIncomplete,
    SfbAttributesKept,
    SfbAttributesDropped {
        attributes: Vec<String>,
    },
    DeploymentLocatorSynced,
    DeploymentLocatorDropped,
    SingleForest,
    NoResourceForestUser,
    ResourceForestUsersMatch {
        users: u64,
    },
    ResourceForestUsersUnmatched {
        users: u64,
    },
    SyncDatabaseFits {
        objects: u64,
    },
    SyncDatabaseTooSmall {
        objects: u64,
    },
    /// Entra Connect Sync at or above the minimum build.
    ConnectVersionCurrent {
        version: String,
    },
    /// Below `minimum`: it will stop synchronising on `stops_on` (`YYYY-MM-DD`).
    ConnectVersionStopping {
        version: String,
        minimum: String,
        stops_on: String,
    },
    /// Below `minimum`: it stopped synchronising on `stops_on`.
    ConnectVersionStopped {
        version: String,
        minimum: String,
        stops_on: String,
    },

    // federation
    TopologySupported {
        versions: Vec<String>,
    },
    TopologyUnsupported,
    BuildsRecentEnough,
    BuildsTooOld,
    HybridVoiceOn {
        version: String,
    },
    HybridVoiceNotPlanned,
    HybridVoiceEdgeTooOld {
        version: String,
    },
    AccessEdgeReady,
    AccessEdgeNotReady,
    HostingProviderReady,
    HostingProviderNotReady,
    SharedSipAddressSpaceOn,
    SharedSipAddressSpaceOff,
    FederationParity,
    FederationMismatch,
    OneEdgePool,
    EdgePools {
        count: u64,
    },
    DnsReady,
    DnsNotReady,
    MoveToolingReady,
    MoveToolingNotReady,
    OneHybridForest,
    HybridForests {
        count: u64,
    },
    ServersSupported,
    ServersOutOfSupport {
        servers: u64,
    },
    HybridApplicationBuilds,
    HybridApplicationToVerify {
        servers: u64,
    },

    // pilot
    NoPilot,
    PilotMovable {
        users: u64,
    },
    PilotBlocked {
        users: u64,
        total: u64,
    },
    PilotAllSfbOnPremises,
    PilotNotSfbOnPremises {
        users: u64,
    },
    LicencesAssigned,
    LicencesGivenByScenario,
    UsersUnlicensed {
        users: u64,
    },
    NoVoiceUserToMove,
    VoiceUsersLicensed {
        users: u64,
    },
    VoiceUsersUnlicensed {
        users: u64,
    },
    NoBreak,
    /// The break figures at one point (after the pilot, or at the end).
    Broken {
        pairs: u64,
        unsynced: u64,
        online: u64,
    },
    MovesKeepContacts,
    MovesWithForce,
    SignInReminder,

    // manage
    WavesPlanned {
        users: u64,
        waves: u64,
        size: u64,
        kept: u64,
    },
    UsersStranded {
        users: u64,
    },
    /// The tenant export holds no online user without an AD object (`users`: in the export).
    NoCloudOnlyUser {
        users: u64,
    },
    /// Online users created in the cloud, with no AD object: on-premises users cannot find or
    /// reach them once hybrid shares the SIP domain. `examples`: the first UPNs.
    CloudOnlyUsers {
        users: u64,
        examples: Vec<String>,
    },
    DelegatesTogether,
    DelegatesSplit {
        pairs: u64,
    },
    IslandsReachable {
        mode: String,
    },
    IslandsMissChats {
        mode: String,
    },
    NoUnifiedContactStore,
    UnifiedContactStore,
    ModesFit,
    ModesMisfit,
    ContactsToTeams,
    UserModesGiven,
    OtherForestsFederate,
    OtherForestsBreak {
        forests: u64,
    },
}

/// The reasons that make up a check's totals.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Why objects do not synchronise.
    NotSynced {
        why: SyncReason,
    },
    /// Why users cannot move.
    CannotMove {
        why: MoveBlocker,
    },
    /// A domain in use that is not a verified tenant domain (`non_routable`: it never can be).
    UnverifiedDomain {
        domain: String,
        non_routable: bool,
    },
    /// Findings of a rule that blocks sync, on objects in the scope.
    RuleBlocks {
        rule: String,
    },
    /// An msRTCSIP attribute SfB users lack.
    MissingAttribute {
        attribute: String,
    },
    /// A domain holding SfB users outside `sync.domains`.
    DomainNotSynced {
        domain: String,
    },
    /// Several Entra Connect instances sync to the tenant.
    SyncInstances {
        count: u64,
    },
    /// A SIP domain disabled online that holds online users.
    DisabledDomain {
        domain: String,
    },
    /// Lync Server 2010 is not supported with Teams.
    Lync2010,
    /// More server versions mixed than supported (at most two).
    TooManyVersions {
        count: u64,
    },
    /// Two server versions that may not be mixed.
    VersionPair {
        first: String,
        second: String,
    },
    /// A server product Microsoft no longer supports.
    OutOfSupport {
        version: String,
    },
    /// A server product that gets no update with the dedicated hybrid application.
    NoHybridApplicationUpdate {
        version: String,
    },
    /// A server below the minimum build for moves.
    BuildTooOld {
        version: String,
        minimum: String,
    },
    /// A setting that must be on (`federation.allow_federated_users`, …) is off.
    SettingOff {
        key: String,
    },
    /// The hosting provider's ProxyFqdn is not sipfed.online.lync.com.
    ProxyFqdn {
        found: String,
    },
    /// The hosting provider's VerificationLevel is not UseSourceVerification.
    VerificationLevel {
        found: String,
    },
    /// Federation is disabled in the tenant.
    TenantFederationOff,
    /// On-premises partner discovery and the tenant's open federation disagree.
    DiscoveryMismatch {
        discovery: bool,
        open: bool,
    },
    /// The allowed-domain lists differ between on-premises and online.
    AllowedDomainsDiffer,
    /// The blocked-domain lists differ.
    BlockedDomainsDiffer,
    /// `_sipfederationtls._tcp.<domain>` does not point to the Access Edge.
    SrvMissing {
        domain: String,
    },
    /// The external records of a SIP domain do not point on-premises.
    ExternalRecordsElsewhere {
        domain: String,
    },
    Tls12Off,
    OauthOff,
    /// The Teams PowerShell module is older than 6.2.1.
    ModuleTooOld {
        version: String,
    },
    /// The Teams PowerShell module is newer than 7.1 (a documented move regression).
    ModuleRegression {
        version: String,
    },
    /// A pilot entry that is not a Skype for Business user.
    NotSfbUser,
    /// A pilot entry already homed online.
    AlreadyOnline,
    /// The tenant-wide mode is TeamsOnly while users stay on-premises.
    TenantTeamsOnly,
    /// On-premises users with the TeamsOnly mode.
    UsersTeamsOnly,
}
