//! The scenario file (spec §8): the tenant, the on-premises federation set-up, the sync
//! configuration, the affinity sources and the move plan. Every key is optional; an unknown key is
//! an error that names the key, the file and the line.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: Option<String>,
    #[serde(default)]
    pub tenant: Tenant,
    #[serde(default)]
    pub federation: Federation,
    #[serde(default)]
    pub sync: Sync,
    #[serde(default)]
    pub affinity: Affinity,
    #[serde(default)]
    pub pilot: Pilot,
    #[serde(default)]
    pub waves: Waves,
    #[serde(default)]
    pub dns: Dns,
    #[serde(default)]
    pub licenses: Licenses,
}

/// A closed set of values a scenario key takes, declared once with its spellings: the first is
/// the value as written back (`assessment.json`), the others are accepted too; case, spaces and
/// dashes do not matter. Anything else is refused when the scenario is read, with the allowed
/// values, at the value's line and column.
macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $( $(#[$vdoc:meta])* $var:ident = $text:literal $(| $alias:literal)* ),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $( $(#[$vdoc])* $var, )* }

        impl $name {
            /// Every value, as the error lists them.
            pub const ALLOWED: &'static [&'static str] = &[$($text),*];

            /// The value as written in a scenario.
            pub fn as_str(self) -> &'static str {
                match self { $( $name::$var => $text, )* }
            }

            /// The value a text names, if any.
            pub fn parse(text: &str) -> Option<$name> {
                let t = loose(text);
                $( if t == loose($text) $(|| t == loose($alias))* { return Some($name::$var); } )*
                None
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::parse(&text)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&text, Self::ALLOWED))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl crate::setting::FromSettingText for $name {
            fn from_setting_text(text: &str) -> Option<Self> {
                $name::parse(text)
            }
        }
    };
}

/// A value as [`choice!`] compares it: lowercase, without spaces, dashes or underscores.
fn loose(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A version of dotted numbers (`7.1.0`, `2.5.79.0`), kept as written. Missing parts compare as
/// 0, so `7.1` is `7.1.0`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DottedVersion {
    pub text: String,
    pub parts: Vec<u32>,
}

impl DottedVersion {
    pub fn parse(text: &str) -> Option<DottedVersion> {
        let parts = text
            .trim()
            .split('.')
            .map(|p| p.parse::<u32>().ok())
            .collect::<Option<Vec<u32>>>()?;
        (1..=4).contains(&parts.len()).then(|| DottedVersion {
            text: text.trim().to_string(),
            parts,
        })
    }

    /// The version's four parts, 0 where not written.
    pub fn quad(&self) -> [u32; 4] {
        let at = |i: usize| self.parts.get(i).copied().unwrap_or(0);
        [at(0), at(1), at(2), at(3)]
    }
}

impl Serialize for DottedVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for DottedVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        DottedVersion::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid version `{text}`, expected numbers separated by dots, such as `7.1.0` or `2.5.79.0`"
            ))
        })
    }
}

impl std::fmt::Display for DottedVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A server product and, when given, its build: `"SfB2019 7.0.2046.385"`, `"Lync Server 2013"`.
/// Kept as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerVersion {
    pub text: String,
    pub product: Product,
    /// The four numbers of the build (`7.0.2046.385`).
    pub build: Option<[u32; 4]>,
}

impl ServerVersion {
    /// The version a text names, or why it names none.
    pub fn parse(text: &str) -> Result<ServerVersion, String> {
        let expected = || {
            let products: Vec<String> = Product::ALLOWED.iter().map(|p| format!("`{p}`")).collect();
            format!(
                "expected one of {} and, if known, a build of four numbers such as `7.0.2046.385`",
                products.join(", ")
            )
        };
        let trimmed = text.trim();
        let (name, build) = match trimmed.rsplit_once(char::is_whitespace) {
            Some((name, last))
                if last.starts_with(|c: char| c.is_ascii_digit()) && last.contains('.') =>
            {
                let build = DottedVersion::parse(last)
                    .filter(|v| v.parts.len() == 4)
                    .ok_or_else(|| {
                        format!("invalid build `{last}` in `{trimmed}`, {}", expected())
                    })?;
                (name, Some(build.quad()))
            }
            _ => (trimmed, None),
        };
        let product = Product::parse(name)
            .ok_or_else(|| format!("unknown server product `{name}`, {}", expected()))?;
        Ok(ServerVersion {
            text: trimmed.to_string(),
            product,
            build,
        })
    }
}

impl Serialize for ServerVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for ServerVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ServerVersion::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl std::fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// The Microsoft 365 side.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    pub name: Option<String>,
    pub initial_domain: Option<String>,
    /// Domains added to the tenant and verified. `None`: not provided (nothing counts as verified).
    pub verified_domains: Option<Vec<String>>,
    /// `Set-CsTenantFederationConfiguration -SharedSipAddressSpace`.
    pub shared_sip_address_space: Option<bool>,
    /// `teams` (every moved user becomes TeamsOnly) or `sfb-online` (legacy).
    pub target: Option<Target>,
    /// Tenants paired with the on-premises deployment (hybrid supports exactly one).
    pub tenants: Option<u32>,
    /// Teams (or Skype for Business Online) enabled for the organisation.
    pub teams_enabled: Option<bool>,
    /// Federation with external domains enabled in the tenant.
    pub federation_enabled: Option<bool>,
    /// Open federation (any domain) in the tenant.
    pub open_federation: Option<bool>,
    pub allowed_domains: Option<Vec<String>>,
    pub blocked_domains: Option<Vec<String>>,
    /// The tenant-wide TeamsUpgradePolicy (`Islands`, `SfBWithTeamsCollab`, `TeamsOnly`, …).
    pub global_upgrade_policy: Option<UpgradePolicy>,
    /// SIP domains disabled online (`Disable-CsOnlineSipDomain`), done or planned.
    pub disabled_sip_domains: Option<Vec<String>>,
}

choice! {
    /// Where moved users go (`tenant.target`).
    Target {
        Teams = "teams",
        SfbOnline = "sfb-online",
    }
}

choice! {
    /// The built-in instances of TeamsUpgradePolicy (`Grant-CsTeamsUpgradePolicy -PolicyName`,
    /// https://learn.microsoft.com/powershell/module/teams/grant-csteamsupgradepolicy), and
    /// `TeamsOnly`, the mode `UpgradeToTeams` grants, as people write it.
    UpgradePolicy {
        Islands = "Islands",
        IslandsWithNotify = "IslandsWithNotify",
        SfBOnly = "SfBOnly",
        SfBOnlyWithNotify = "SfBOnlyWithNotify",
        SfBWithTeamsCollab = "SfBWithTeamsCollab",
        SfBWithTeamsCollabWithNotify = "SfBWithTeamsCollabWithNotify",
        SfBWithTeamsCollabAndMeetings = "SfBWithTeamsCollabAndMeetings",
        SfBWithTeamsCollabAndMeetingsWithNotify = "SfBWithTeamsCollabAndMeetingsWithNotify",
        UpgradeToTeams = "UpgradeToTeams",
        TeamsOnly = "TeamsOnly",
    }
}

impl UpgradePolicy {
    /// Islands mode: on-premises users get chats from TeamsOnly users in Teams only.
    pub fn is_islands(self) -> bool {
        matches!(
            self,
            UpgradePolicy::Islands | UpgradePolicy::IslandsWithNotify
        )
    }

    /// TeamsOnly mode, which no on-premises user may have.
    pub fn is_teams_only(self) -> bool {
        matches!(
            self,
            UpgradePolicy::UpgradeToTeams | UpgradePolicy::TeamsOnly
        )
    }
}

choice! {
    /// `New-CsHostingProvider -VerificationLevel`
    /// (https://learn.microsoft.com/powershell/module/skypeforbusiness/new-cshostingprovider).
    VerificationLevel {
        AlwaysVerifiable = "AlwaysVerifiable",
        AlwaysUnverifiable = "AlwaysUnverifiable",
        UseSourceVerification = "UseSourceVerification",
    }
}

choice! {
    /// The Entra Connect database (`sync.database`).
    Database {
        LocalDb = "localdb",
        Sql = "sql",
    }
}

choice! {
    /// How waves are ordered (`waves.order`).
    OrderBy {
        FewestDependencies = "fewest-dependencies",
        Departments = "departments",
    }
}

choice! {
    /// A Skype for Business or Lync Server product, as `federation.server_versions` and
    /// `federation.federation_edge_version` name it (spaces and case do not matter).
    Product {
        Lync2010 = "Lync2010" | "LyncServer2010",
        Lync2013 = "Lync2013" | "LyncServer2013",
        SfB2015 = "SfB2015" | "SkypeForBusiness2015" | "SkypeForBusinessServer2015" | "SfBServer2015",
        SfB2019 = "SfB2019" | "SkypeForBusiness2019" | "SkypeForBusinessServer2019" | "SfBServer2019",
        SubscriptionEdition = "SfBSE" | "SE" | "SubscriptionEdition" | "SfBSubscriptionEdition" | "SkypeForBusinessServerSubscriptionEdition" | "SfBServerSE",
    }
}

/// The on-premises side: Edge federation, the hosting provider, servers.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Federation {
    /// `Set-CsAccessEdgeConfiguration -AllowFederatedUsers`.
    pub allow_federated_users: Option<bool>,
    pub allow_outside_users: Option<bool>,
    pub use_dns_srv_routing: Option<bool>,
    pub enable_partner_discovery: Option<bool>,
    /// ProxyFqdn of the hosting provider (`sipfed.online.lync.com`).
    pub hosting_provider: Option<String>,
    pub hosting_provider_enabled: Option<bool>,
    /// `EnabledSharedAddressSpace` of the hosting provider.
    pub shared_address_space: Option<bool>,
    pub hosts_ocs_users: Option<bool>,
    /// `UseSourceVerification` expected.
    pub verification_level: Option<VerificationLevel>,
    /// Edge pools with federation enabled.
    pub federation_edge_pools: Option<u32>,
    /// Server products and builds, e.g. `"SfB2019 7.0.2046.385"`, `"Lync2013 5.0.8308.1182"`.
    pub server_versions: Option<Vec<ServerVersion>>,
    /// Hybrid voice wanted (then the federation Edge and pool must be SfB 2015 or later).
    pub hybrid_voice: Option<bool>,
    /// Product of the federation Edge and its next-hop pool, e.g. `"SfB2019"`.
    pub federation_edge_version: Option<ServerVersion>,
    pub allowed_domains: Option<Vec<String>>,
    pub blocked_domains: Option<Vec<String>>,
    pub tls12: Option<bool>,
    pub oauth: Option<bool>,
    /// Version of the Teams PowerShell module on the admin host.
    pub teams_module_version: Option<DottedVersion>,
    /// Forests in hybrid (SharedSipAddressSpace) at the same time.
    pub hybrid_forests: Option<u32>,
    /// Unified Contact Store enabled on-premises (contacts then do not move to Teams).
    pub ucs_enabled: Option<bool>,
}

/// Entra Connect configuration.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Sync {
    /// Domain filter. `None`: every domain.
    pub domains: Option<Vec<String>>,
    /// OU filter: only objects under these. `None`: the whole domain.
    pub include_ous: Option<Vec<String>>,
    pub exclude_ous: Option<Vec<String>>,
    /// Group-based filtering (pilot only): direct members of this group.
    pub group: Option<String>,
    pub attribute_filter: Option<AttributeFilter>,
    /// Attributes removed from the sync rules (F03/F04).
    pub excluded_attributes: Option<Vec<String>>,
    /// Entra Connect instances syncing to the tenant.
    pub instances: Option<u32>,
    /// `localdb` or `sql`.
    pub database: Option<Database>,
    /// Resource-forest model: SfB in one forest, accounts in others.
    pub resource_forest: Option<bool>,
    /// Version of Entra Connect Sync on the sync server (e.g. `2.5.79.0`).
    pub connect_version: Option<DottedVersion>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AttributeFilter {
    pub attribute: String,
    #[serde(default)]
    pub exclude_values: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Affinity {
    #[serde(default = "default_max_group_size")]
    pub max_group_size: usize,
    #[serde(default = "yes")]
    pub manager: bool,
    #[serde(default = "yes")]
    pub groups: bool,
    /// Two user identities per row.
    pub delegates: Option<PathBuf>,
    /// Two user identities and a count per row.
    pub interactions: Option<PathBuf>,
}

fn default_max_group_size() -> usize {
    100
}
fn yes() -> bool {
    true
}

impl Default for Affinity {
    fn default() -> Self {
        Affinity {
            max_group_size: default_max_group_size(),
            manager: true,
            groups: true,
            delegates: None,
            interactions: None,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Pilot {
    /// Direct members of this group (a DN or a name) are the pilot.
    pub group: Option<String>,
    /// Users by any identity (SIP address, UPN, sAMAccountName, DN).
    pub users: Option<Vec<String>>,
    /// Every SfB user under these OUs.
    pub ous: Option<Vec<String>>,
    /// `Move-CsUser -Force` (contacts and meetings are lost).
    pub force: Option<bool>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Waves {
    /// Users per wave after the pilot (at most; at least 1).
    #[serde(default = "default_wave_size")]
    pub size: usize,
    /// Users kept on-premises on purpose: users (any identity form), groups (their direct user
    /// members) or OUs (every user under them).
    pub keep_on_premises: Option<Vec<String>>,
    /// Users, OUs or groups forced into a wave.
    pub pin: Option<Vec<Pin>>,
    /// `"fewest-dependencies"` (the default: the wave with the fewest dependencies on other
    /// waves first) or `"departments"` (by the department most of a wave belongs to, in the
    /// order of `departments`).
    pub order: Option<OrderBy>,
    pub departments: Option<Vec<String>>,
    /// Waves moved per week, and the Monday of the first week (`YYYY-MM-DD`): a calendar.
    pub per_week: Option<u32>,
    pub start: Option<String>,
    /// Moves run at once and retries per failed move in the wave scripts (BatchMoveToTeams'
    /// defaults: 25 and 3).
    pub parallel: Option<u32>,
    pub retries: Option<u32>,
    /// `Move-CsUser -HostedMigrationOverrideUrl`: current modules do not need it.
    pub hosted_migration_override_url: Option<String>,
    /// The on-premises registrar pool FQDN the rollback scripts move users back to, when the
    /// exports do not say (a Get-CsUser export's RegistrarPool column does).
    pub registrar_pool: Option<String>,
    /// Seed of the partitioner: the same seed, the same waves.
    pub seed: Option<u64>,
}

/// Users forced into a wave.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// The wave (1 or more: wave 0 is the pilot).
    pub wave: u32,
    pub users: Option<Vec<String>>,
    pub ous: Option<Vec<String>>,
    pub groups: Option<Vec<String>>,
}

fn default_wave_size() -> usize {
    500
}

impl Default for Waves {
    fn default() -> Self {
        Waves {
            size: default_wave_size(),
            keep_on_premises: None,
            pin: None,
            order: None,
            departments: None,
            per_week: None,
            start: None,
            parallel: None,
            retries: None,
            hosted_migration_override_url: None,
            registrar_pool: None,
            seed: None,
        }
    }
}

/// DNS records checked for hybrid (T10).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Dns {
    /// SIP domains whose `_sipfederationtls._tcp` SRV resolves to the on-premises Access Edge.
    pub sip_federation_srv: Option<Vec<String>>,
    /// SIP domains whose external records (lyncdiscover, `_sip._tls`) point on-premises.
    pub external_records_on_premises: Option<Vec<String>>,
}

/// What is known of licences, when no per-user licence column is given.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Licenses {
    /// Every user to move holds Teams and Skype for Business Online (Plan 2).
    pub teams_and_sfbo_assigned: Option<bool>,
    /// Enterprise Voice users hold Teams Phone.
    pub phone_system_assigned: Option<bool>,
    /// Dial-in users hold Audio Conferencing.
    pub audio_conferencing_assigned: Option<bool>,
}

/// What the assessment assumes where the scenario is silent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assumption {
    /// No `sync.domains`: every domain of the inputs is synchronised.
    EveryDomainSynced,
    /// Neither `sync.include_ous` nor `sync.exclude_ous`: whole domains, no OU filter.
    WholeDomains,
    /// No `tenant.verified_domains`: no domain counts as verified yet.
    NothingVerified,
    /// No pilot (`pilot.group`, `pilot.users` or `pilot.ous`).
    NoPilot,
}

/// A scenario file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// A scenario file's text: UTF-8, with or without a BOM, or UTF-16 with its BOM (Notepad's
/// "Unicode", PowerShell 5.1's `Out-File`), which was refused as "not valid UTF-8" without a
/// word of UTF-16.
pub fn read_text(path: &Path) -> Result<String, ScenarioError> {
    let p = || path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ScenarioError::Io { path: p(), source })?;
    decode_text(&bytes).map_err(|(offset, message)| {
        let lossy = String::from_utf8_lossy(&bytes[..offset]);
        let (line, column) = line_col(&lossy, lossy.len());
        ScenarioError::Invalid {
            path: p(),
            line,
            column,
            message,
        }
    })
}

/// See [`read_text`]; the error is the byte offset of the first undecodable byte and what is
/// wrong.
fn decode_text(bytes: &[u8]) -> Result<String, (usize, String)> {
    let utf16 = |body: &[u8], unit: fn([u8; 2]) -> u16| {
        let units = body
            .chunks(2)
            .map(|c| unit([c[0], c.get(1).copied().unwrap_or(0)]));
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| {
                (
                    0,
                    "UTF-16 text holding a broken character: save it as UTF-8".to_string(),
                )
            })
    };
    if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(body, u16::from_le_bytes);
    }
    if let Some(body) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(body, u16::from_be_bytes);
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(t) => Ok(t.to_string()),
        Err(e) => {
            let at = bytes.len() - body.len() + e.valid_up_to();
            // UTF-16 without its BOM: a NUL beside every ASCII character.
            let nuls = bytes.iter().filter(|&&b| b == 0).count();
            let what = if nuls * 3 > bytes.len() {
                "is UTF-16 without a BOM: save it as UTF-8"
            } else {
                "is not UTF-8 text: save it as UTF-8"
            };
            Err((at, what.to_string()))
        }
    }
}

/// The 1-based line and column of the value of a dotted key (`waves.size`) in a scenario's
/// text, so that a value refused after parsing is pointed at as a parse error is.
pub fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    let root = toml::de::DeTable::parse(text).ok()?;
    let mut parts = key.split('.');
    let first = parts.next()?;
    let (_, mut at) = root.get_ref().iter().find(|(k, _)| k.get_ref() == first)?;
    for part in parts {
        at = at.get_ref().get(part)?;
    }
    Some(line_col(text, at.span().start))
}

impl Scenario {
    pub fn parse(text: &str, path: &str) -> Result<Scenario, ScenarioError> {
        toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((0, 0), |s| line_col(text, s.start));
            ScenarioError::Invalid {
                path: path.to_string(),
                line,
                column,
                message: e.message().trim().replace('\n', " "),
            }
        })
    }

    /// Reads a scenario; relative affinity file paths are taken from the scenario's folder.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let p = path.display().to_string();
        let text = read_text(path)?;
        let mut s = Scenario::parse(&text, &p)?;
        s.resolve_paths(path.parent().unwrap_or(Path::new(".")));
        Ok(s)
    }

    pub fn resolve_paths(&mut self, base: &Path) {
        for f in [
            &mut self.affinity.delegates,
            &mut self.affinity.interactions,
        ]
        .into_iter()
        .flatten()
        {
            if f.is_relative() {
                *f = base.join(&*f);
            }
        }
    }

    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("default")
    }

    /// The assumptions made where the scenario is silent, to be said in the output.
    pub fn assumptions(&self) -> Vec<Assumption> {
        let mut d = Vec::new();
        if self.sync.domains.is_none() {
            d.push(Assumption::EveryDomainSynced);
        }
        let excludes = self
            .sync
            .exclude_ous
            .as_ref()
            .is_some_and(|v| !v.is_empty());
        if self.sync.include_ous.is_none() && !excludes {
            d.push(Assumption::WholeDomains);
        }
        if self.tenant.verified_domains.is_none() {
            d.push(Assumption::NothingVerified);
        }
        if self.pilot.group.is_none() && self.pilot.users.is_none() && self.pilot.ous.is_none() {
            d.push(Assumption::NoPilot);
        }
        d
    }

    /// The scenario's affinity files, to leave out of the inputs when they sit among them.
    pub fn affinity_files(&self) -> Vec<PathBuf> {
        [&self.affinity.delegates, &self.affinity.interactions]
            .into_iter()
            .flatten()
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_example_parses() {
        let s = Scenario::parse(
            r#"
name = "baseline"
[tenant]
name = "contoso"
initial_domain = "contoso.onmicrosoft.com"
verified_domains = ["contoso.com", "fabrikam.com"]
shared_sip_address_space = true
target = "teams"
[federation]
allow_federated_users = true
hosting_provider = "sipfed.online.lync.com"
shared_address_space = true
federation_edge_pools = 1
server_versions = ["SfB2019 7.0.2046.385"]
[sync]
domains = ["contoso.com"]
include_ous = ["OU=Staff,DC=contoso,DC=com"]
exclude_ous = ["OU=Contractors,OU=Staff,DC=contoso,DC=com"]
group = "CN=SyncPilot,OU=Groups,DC=contoso,DC=com"
attribute_filter = { attribute = "extensionAttribute15", exclude_values = ["NOSYNC"] }
[affinity]
max_group_size = 100
manager = true
delegates = "delegates.csv"
interactions = "cdr-pairs.csv"
[pilot]
group = "CN=Pilot,OU=Groups,DC=contoso,DC=com"
[waves]
size = 500
"#,
            "s.toml",
        )
        .unwrap();
        assert_eq!(s.name(), "baseline");
        assert_eq!(s.tenant.target, Some(Target::Teams));
        assert_eq!(s.affinity.max_group_size, 100);
        assert_eq!(s.sync.attribute_filter.unwrap().exclude_values, ["NOSYNC"]);
    }

    #[test]
    fn unknown_keys_name_the_key_and_line() {
        let e = Scenario::parse(
            "name = \"x\"\n[tenant]\nverified_domain = [\"a\"]\n",
            "s.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("s.toml:3:1:"), "{e}");
        assert!(e.contains("verified_domain"), "{e}");
    }

    #[test]
    fn enumerated_values_are_refused_with_the_allowed_list_where_they_are() {
        let e = |text: &str| Scenario::parse(text, "s.toml").unwrap_err().to_string();
        let policy = e("[tenant]\nglobal_upgrade_policy = \"Foo\"\n");
        assert!(
            policy.starts_with("s.toml:2:25: unknown variant `Foo`"),
            "{policy}"
        );
        assert!(
            policy.contains("`SfBWithTeamsCollab`") && policy.contains("`UpgradeToTeams`"),
            "{policy}"
        );
        let level = e("[federation]\nverification_level = \"Always\"\n");
        assert!(level.contains("`UseSourceVerification`"), "{level}");
        assert!(e("[sync]\ndatabase = \"oracle\"\n").contains("expected `localdb` or `sql`"));
        assert!(e("[waves]\norder = \"alphabetical\"\n").contains("`fewest-dependencies`"));
        let product = e("[federation]\nserver_versions = [\"OCS2007 3.5.6907.0\"]\n");
        assert!(
            product.starts_with("s.toml:2:19: unknown server product `OCS2007`"),
            "{product}"
        );
        assert!(product.contains("`SfBSE`"), "{product}");
        let build = e("[federation]\nserver_versions = [\"SfB2019 7.0.2046\"]\n");
        assert!(build.contains("invalid build `7.0.2046`"), "{build}");
        let module = e("[federation]\nteams_module_version = \"latest\"\n");
        assert!(
            module.starts_with("s.toml:2:24: invalid version `latest`"),
            "{module}"
        );
        assert!(e("[sync]\nconnect_version = \"2.x\"\n").contains("invalid version `2.x`"));
    }

    #[test]
    fn enumerated_values_read_in_any_case_and_write_back_as_given() {
        let s = Scenario::parse(
            "[tenant]\nglobal_upgrade_policy = \"islands\"\ntarget = \"SfB-Online\"\n[federation]\nserver_versions = [\"Skype for Business Server 2019 7.0.2046.553\", \"SfB SE\"]\nfederation_edge_version = \"Lync Server 2013\"\n[sync]\nconnect_version = \"2.5.79.0\"\n",
            "s.toml",
        )
        .unwrap();
        assert_eq!(s.tenant.global_upgrade_policy, Some(UpgradePolicy::Islands));
        assert_eq!(s.tenant.target, Some(Target::SfbOnline));
        let v = s.federation.server_versions.as_deref().unwrap();
        assert_eq!(
            (v[0].product, v[0].build),
            (Product::SfB2019, Some([7, 0, 2046, 553]))
        );
        assert_eq!(
            (v[1].product, v[1].build),
            (Product::SubscriptionEdition, None)
        );
        let edge = s.federation.federation_edge_version.as_ref().unwrap();
        assert_eq!(edge.product, Product::Lync2013);
        assert_eq!(
            s.sync.connect_version.as_ref().unwrap().quad(),
            [2, 5, 79, 0]
        );
        let back = toml::to_string(&s).unwrap();
        assert!(
            back.contains("global_upgrade_policy = \"Islands\""),
            "{back}"
        );
        assert!(
            back.contains("\"Skype for Business Server 2019 7.0.2046.553\""),
            "{back}"
        );
        assert_eq!(Scenario::parse(&back, "back.toml").unwrap(), s);
    }

    #[test]
    fn utf16_and_bom_text_is_read_and_other_bytes_named() {
        let text = "name = \"é\"\n[waves]\nsize = 10\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let bom: Vec<u8> = [0xEF, 0xBB, 0xBF].into_iter().chain(text.bytes()).collect();
        for bytes in [le, be, bom, text.as_bytes().to_vec()] {
            assert_eq!(decode_text(&bytes).as_deref(), Ok(text));
        }
        let bomless: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(
            decode_text(&bomless)
                .unwrap_err()
                .1
                .contains("UTF-16 without a BOM")
        );
        assert_eq!(
            decode_text(b"name = 1\nx = \"\xe9\""),
            Err((14, "is not UTF-8 text: save it as UTF-8".to_string()))
        );
    }

    #[test]
    fn a_key_is_found_where_its_value_is() {
        let text = "name = \"x\"\n\n[waves]\nsize = 0\n";
        assert_eq!(key_position(text, "waves.size"), Some((4, 8)));
        assert_eq!(key_position(text, "name"), Some((1, 8)));
        assert_eq!(key_position(text, "waves.parallel"), None);
        assert_eq!(key_position("[waves", "waves.size"), None);
    }

    #[test]
    fn assumptions_are_said_and_only_when_true() {
        let d = Scenario::default().assumptions();
        assert_eq!(
            d,
            [
                Assumption::EveryDomainSynced,
                Assumption::WholeDomains,
                Assumption::NothingVerified,
                Assumption::NoPilot
            ]
        );
        let mut s = Scenario::default();
        s.sync.exclude_ous = Some(vec!["OU=X,DC=c,DC=com".into()]);
        assert!(!s.assumptions().contains(&Assumption::WholeDomains));
    }
}
