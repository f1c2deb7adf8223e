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
    pub global_upgrade_policy: Option<String>,
    /// SIP domains disabled online (`Disable-CsOnlineSipDomain`), done or planned.
    pub disabled_sip_domains: Option<Vec<String>>,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    Teams,
    SfbOnline,
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
    pub verification_level: Option<String>,
    /// Edge pools with federation enabled.
    pub federation_edge_pools: Option<u32>,
    /// Server products and builds, e.g. `"SfB2019 7.0.2046.385"`, `"Lync2013 5.0.8308.1182"`.
    pub server_versions: Option<Vec<String>>,
    /// Hybrid voice wanted (then the federation Edge and pool must be SfB 2015 or later).
    pub hybrid_voice: Option<bool>,
    /// Product of the federation Edge and its next-hop pool, e.g. `"SfB2019"`.
    pub federation_edge_version: Option<String>,
    pub allowed_domains: Option<Vec<String>>,
    pub blocked_domains: Option<Vec<String>>,
    pub tls12: Option<bool>,
    pub oauth: Option<bool>,
    /// Version of the Teams PowerShell module on the admin host.
    pub teams_module_version: Option<String>,
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
    pub database: Option<String>,
    /// Resource-forest model: SfB in one forest, accounts in others.
    pub resource_forest: Option<bool>,
    /// Version of Entra Connect Sync on the sync server (e.g. `2.5.79.0`).
    pub connect_version: Option<String>,
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
    pub order: Option<String>,
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
