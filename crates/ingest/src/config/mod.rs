//! Configuration exports: the output of the Skype for Business Server and tenant cmdlets the
//! collection kit runs (and consultants paste), read into typed scenario settings.
//!
//! Three serialisations of the same objects: JSON from `ConvertTo-Json` ([`json`]), CLIXML from
//! `Export-Clixml` ([`clixml`]) and the text of `Format-List` ([`format_list`]). A file is
//! recognised by its content, never its name: the serialisation by its first characters, the
//! cmdlet by the property names of its objects ([`CMDLETS`]), which are those of the public
//! cmdlet documentation:
//!
//! - Get-CsHostingProvider: <https://learn.microsoft.com/en-us/powershell/module/skype/new-cshostingprovider>
//!   (ProxyFqdn, Enabled, EnabledSharedAddressSpace, HostsOCSUsers, VerificationLevel)
//! - Get-CsAccessEdgeConfiguration: <https://learn.microsoft.com/en-us/powershell/module/skype/Get-CsAccessEdgeConfiguration>
//!   and its Set- page <https://github.com/MicrosoftDocs/office-docs-powershell/blob/main/skype/skype-ps/skype/Set-CsAccessEdgeConfiguration.md>
//!   (AllowFederatedUsers, AllowOutsideUsers, UseDnsSrvRouting, EnablePartnerDiscovery,
//!   DefaultRouteFqdn: EnablePartnerDiscovery is shown only under DNS SRV routing)
//! - Get-CsAllowedDomain / Get-CsBlockedDomain: <https://learn.microsoft.com/en-ie/powershell/module/skypeforbusiness/get-csblockeddomain?view=skype-ps>
//!   (Domain, Comment; an allowed domain also ProxyFqdn, MarkForMonitoring)
//! - Get-CsPool (Fqdn, Services, Computers) and Get-CsService -EdgeServer (PoolFqdn,
//!   AccessEdgeInternalSipPort, AccessEdgeExternalSipPort: the federation port, empty when the
//!   pool does not federate): <https://learn.microsoft.com/en-us/previous-versions/office/skype-server-2010/gg398859(v=ocs.14)>
//! - Get-CsServerVersion (one string) and Get-CsManagementStoreReplicationStatus (ReplicaFqdn,
//!   UpToDate, LastStatusReport, ProductVersion): <https://learn.microsoft.com/en-us/powershell/module/skype/Get-CsManagementStoreReplicationStatus>
//! - Get-CsOAuthConfiguration (Realm, ServiceName, ClientAuthorizationOAuthServerIdentity,
//!   ExchangeAutodiscoverUrl): <https://learn.microsoft.com/en-us/powershell/module/skype/get-csoauthconfiguration>
//! - Get-CsTenantFederationConfiguration (AllowFederatedUsers, AllowedDomains,
//!   AllowedDomainsAsAList, BlockedDomains, SharedSipAddressSpace): <https://learn.microsoft.com/en-us/powershell/module/skype/set-cstenantfederationconfiguration>
//! - Get-CsTeamsUpgradePolicy (Identity, Mode, NotifySfbUsers): <https://learn.microsoft.com/en-us/powershell/module/teams/get-csteamsupgradepolicy>
//! - Get-MgDomain (Id, IsVerified, IsDefault, IsInitial, AuthenticationType): <https://learn.microsoft.com/en-us/powershell/module/microsoft.graph.identity.directorymanagement/get-mgdomain>
//! - the kit's `environment.json` (ComputerName, CollectedAt, KitVersion, TeamsModuleVersion,
//!   Tls12ClientEnabled, Tls12ServerEnabled, EntraConnectVersion).
//!
//! Owns: those readers and what each cmdlet's objects say as scenario keys. Must not touch:
//! the scenario itself (`assessment::setting` joins the settings to it).

pub mod clixml;
pub mod format_list;
pub mod json;

use hybridready_assessment::Refusal;
use hybridready_assessment::setting::{FileSetting, Place, SettingValue};
use std::path::{Path, PathBuf};

/// A value of a cmdlet's output, whatever the serialisation.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<Value>),
    Object(Object),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object {
    pub props: Vec<Prop>,
    /// What PowerShell showed for the whole object (CLIXML's `<ToString>`).
    pub to_string: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Prop {
    pub name: String,
    pub value: Value,
    /// 1-based line of the property in its file.
    pub line: u64,
}

/// Where a document stops parsing.
#[derive(Clone, Debug, PartialEq)]
pub struct Syntax {
    pub line: u64,
    pub column: u64,
    pub error: String,
}

impl Object {
    /// A property by name, whatever its case.
    pub fn get(&self, name: &str) -> Option<&Prop> {
        self.props
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }
    fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

impl Value {
    /// A scalar as text (`True`, `5061`, `Global`), an object as what PowerShell showed for it.
    pub fn text(&self) -> Option<String> {
        match self {
            Value::Text(t) => Some(t.trim().to_string()).filter(|t| !t.is_empty()),
            Value::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
            Value::Number(n) => Some(n.to_string()),
            Value::Object(o) => o.to_string.clone(),
            Value::Null | Value::List(_) => None,
        }
    }
    fn boolean(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Text(t) if t.trim().eq_ignore_ascii_case("true") => Some(true),
            Value::Text(t) if t.trim().eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }
    /// Every text inside (a nested identity object's parts, a list's items).
    fn texts(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(v) = stack.pop() {
            match v {
                Value::Text(t) => out.push(t.trim().to_string()),
                Value::List(l) => stack.extend(l),
                Value::Object(o) => {
                    out.extend(o.to_string.clone());
                    stack.extend(o.props.iter().map(|p| &p.value));
                }
                _ => {}
            }
        }
        out
    }
}

/// How a file was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Serialisation {
    Json,
    Clixml,
    FormatList,
}

impl Serialisation {
    pub fn describe(self) -> &'static str {
        match self {
            Serialisation::Json => "JSON (ConvertTo-Json)",
            Serialisation::Clixml => "CLIXML (Export-Clixml)",
            Serialisation::FormatList => "Format-List text",
        }
    }
}

/// The cmdlets whose output is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmdlet {
    HostingProvider,
    AccessEdge,
    AllowedDomain,
    BlockedDomain,
    Pool,
    EdgeService,
    ServerVersion,
    ReplicationStatus,
    OAuth,
    TenantFederation,
    UpgradePolicy,
    MgDomain,
    Environment,
}

/// A cmdlet and the properties that tell its objects apart: all of `present`, none of
/// `absent`. Looked at in this order.
pub struct Signature {
    pub cmdlet: Cmdlet,
    pub name: &'static str,
    present: &'static [&'static str],
    absent: &'static [&'static str],
}

pub const CMDLETS: &[Signature] = &[
    Signature {
        cmdlet: Cmdlet::Environment,
        name: "the collection kit's environment.json",
        present: &["ComputerName", "CollectedAt", "KitVersion"],
        absent: &[],
    },
    Signature {
        cmdlet: Cmdlet::HostingProvider,
        name: "Get-CsHostingProvider",
        present: &["ProxyFqdn", "EnabledSharedAddressSpace", "HostsOCSUsers"],
        absent: &[],
    },
    Signature {
        cmdlet: Cmdlet::AccessEdge,
        name: "Get-CsAccessEdgeConfiguration",
        present: &[
            "AllowFederatedUsers",
            "AllowOutsideUsers",
            "AllowAnonymousUsers",
        ],
        absent: &[],
    },
    Signature {
        cmdlet: Cmdlet::TenantFederation,
        name: "Get-CsTenantFederationConfiguration",
        present: &[
            "AllowFederatedUsers",
            "SharedSipAddressSpace",
            "BlockedDomains",
        ],
        absent: &[],
    },
    Signature {
        cmdlet: Cmdlet::AllowedDomain,
        name: "Get-CsAllowedDomain",
        present: &["Domain", "MarkForMonitoring"],
        absent: &[],
    },
    Signature {
        cmdlet: Cmdlet::BlockedDomain,
        name: "Get-CsBlockedDomain",
        present: &["Domain", "Comment"],
        absent: &["MarkForMonitoring", "ProxyFqdn"],
    },
    Signature {
        cmdlet: Cmdlet::EdgeService,
        name: "Get-CsService -EdgeServer",
        present: &["PoolFqdn", "AccessEdgeInternalSipPort"],
        absent: &[],
    },
    Signature {
        cmdlet: Cmdlet::Pool,
        name: "Get-CsPool",
        present: &["Fqdn", "Services", "Computers"],
        absent: &[],
    },
    Signature {
        cmdlet: Cmdlet::ReplicationStatus,
        name: "Get-CsManagementStoreReplicationStatus",
        present: &["ReplicaFqdn", "UpToDate", "ProductVersion"],
        absent: &[],
    },
    Signature {
        cmdlet: Cmdlet::OAuth,
        name: "Get-CsOAuthConfiguration",
        present: &[
            "Realm",
            "ServiceName",
            "ClientAuthorizationOAuthServerIdentity",
        ],
        absent: &[],
    },
    Signature {
        cmdlet: Cmdlet::UpgradePolicy,
        name: "Get-CsTeamsUpgradePolicy",
        present: &["Mode", "NotifySfbUsers"],
        absent: &[],
    },
    Signature {
        cmdlet: Cmdlet::MgDomain,
        name: "Get-MgDomain",
        present: &["Id", "IsVerified", "IsInitial"],
        absent: &[],
    },
];

/// `Get-CsServerVersion`'s one string, which has no property to recognise it by.
const SERVER_VERSION: &str = "Get-CsServerVersion";

impl Cmdlet {
    pub fn name(self) -> &'static str {
        CMDLETS
            .iter()
            .find(|s| s.cmdlet == self)
            .map_or(SERVER_VERSION, |s| s.name)
    }
}

/// The ProxyFqdn of Microsoft 365's hosting provider.
pub const ONLINE_PROXY_FQDN: &str = "sipfed.online.lync.com";

/// A scenario key a file gives.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub key: &'static str,
    pub value: SettingValue,
    pub line: Option<u64>,
}

/// A configuration export, read.
#[derive(Clone, Debug)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub cmdlet: Cmdlet,
    pub serialisation: Serialisation,
    pub objects: usize,
    pub found: Vec<Found>,
    /// What could not be taken from it, and why (in the words of `inspect`).
    pub notes: Vec<String>,
    /// Of a hosting-provider export: whether one provider has a shared address space.
    pub shared_address_space: Option<bool>,
}

/// What became of a file looked at as a configuration export.
pub enum Outcome {
    Read(ConfigFile),
    /// Not a configuration export: to be read as a table (a `.txt` that is a CSV).
    NotConfig,
    /// A document of a known serialisation that is none of the cmdlets' output.
    Unknown(String),
    Refused(Refusal),
}

/// Looks at a decoded file's text as a configuration export. `named_as` is whether its name
/// says JSON or XML: only then is a document that does not parse refused rather than read as
/// a table.
/// Whether a file beginning with `head` may be a configuration export: the test every table
/// goes through, on its first few KiB, so that a CSV is never decoded twice. A PowerShell CSV
/// also starts with `"`: only a first line that is one JSON string (Get-CsServerVersion's
/// output) is taken for JSON.
pub fn might_be(head: &str) -> bool {
    let body = head.trim_start_matches('\u{feff}').trim_start();
    let first = body.lines().next().unwrap_or("").trim_end();
    if body.starts_with(['{', '[', '<']) {
        return true;
    }
    if body.starts_with('"') {
        return first.len() > 1
            && first.ends_with('"')
            && !first.contains("\",")
            && !first.contains("\";")
            && !first.contains("\"\t");
    }
    format_list::looks_like(body) || server_version_text(body).is_some()
}

pub fn read(path: &Path, text: &str, named_as: bool) -> Outcome {
    let text = text.trim_start_matches('\u{feff}');
    let body = text.trim_start();
    let (serialisation, parsed) = if body.starts_with(['{', '[', '"']) {
        match json::parse(text) {
            Ok(v) => (Serialisation::Json, v),
            Err(_) if !named_as => return Outcome::NotConfig,
            Err(e) => {
                return Outcome::Refused(Refusal::Malformed {
                    format: "JSON".into(),
                    line: e.line,
                    column: e.column,
                    error: e.error,
                });
            }
        }
    } else if body.starts_with('<') {
        if !clixml::is_clixml(body) {
            return if named_as {
                Outcome::Unknown("XML that is not PowerShell's CLIXML (Export-Clixml)".into())
            } else {
                Outcome::NotConfig
            };
        }
        match clixml::parse(text) {
            Ok(v) => (Serialisation::Clixml, v),
            Err(clixml::Failure::Dtd(line)) => return Outcome::Refused(Refusal::XmlDtd { line }),
            Err(clixml::Failure::Syntax(e)) => {
                return Outcome::Refused(Refusal::Malformed {
                    format: "CLIXML".into(),
                    line: e.line,
                    column: e.column,
                    error: e.error,
                });
            }
        }
    } else if format_list::looks_like(body) {
        (Serialisation::FormatList, format_list::parse(text))
    } else if let Some(v) = server_version_text(body) {
        (Serialisation::FormatList, Value::Text(v))
    } else {
        return Outcome::NotConfig;
    };
    recognise(path, serialisation, parsed, named_as)
}

/// `Get-CsServerVersion` pasted as text: its one line.
fn server_version_text(body: &str) -> Option<String> {
    let line = body.trim();
    (!line.contains('\n') && server_version(line).is_some()).then(|| line.to_string())
}

/// The objects of a document and the cmdlet they come from.
fn recognise(path: &Path, serialisation: Serialisation, parsed: Value, named_as: bool) -> Outcome {
    let items = match parsed {
        Value::List(items) => items,
        Value::Null => Vec::new(),
        one => vec![one],
    };
    let objects: Vec<&Object> = items
        .iter()
        .filter_map(|v| match v {
            Value::Object(o) => Some(o),
            _ => None,
        })
        .collect();
    let file = |cmdlet: Cmdlet| ConfigFile {
        path: path.to_path_buf(),
        cmdlet,
        serialisation,
        objects: objects.len().max(usize::from(objects.is_empty())),
        found: Vec::new(),
        notes: Vec::new(),
        shared_address_space: None,
    };
    if objects.is_empty() {
        // A string: Get-CsServerVersion's output.
        if let [Value::Text(t)] = items.as_slice()
            && let Some(v) = server_version(t)
        {
            let mut f = file(Cmdlet::ServerVersion);
            f.found.push(Found {
                key: "federation.server_versions",
                value: SettingValue::List(vec![v]),
                line: None,
            });
            return Outcome::Read(f);
        }
        if serialisation == Serialisation::FormatList && !named_as {
            return Outcome::NotConfig;
        }
        return Outcome::Unknown(format!(
            "{} holding no object: an export of nothing (a cmdlet that found nothing writes \
             an empty document)",
            serialisation.describe()
        ));
    }
    let first = objects[0];
    let Some(sig) = CMDLETS
        .iter()
        .find(|s| s.present.iter().all(|p| first.has(p)) && !s.absent.iter().any(|p| first.has(p)))
    else {
        if serialisation == Serialisation::FormatList && !named_as {
            return Outcome::NotConfig;
        }
        let names: Vec<&str> = first
            .props
            .iter()
            .take(8)
            .map(|p| p.name.as_str())
            .collect();
        return Outcome::Unknown(format!(
            "{} whose properties ({}) are those of none of the configuration cmdlets read",
            serialisation.describe(),
            names.join(", ")
        ));
    };
    let mut f = file(sig.cmdlet);
    extract(&mut f, &objects);
    Outcome::Read(f)
}

/// `Skype for Business Server 2019 (7.0.2046.0): …` or a bare build → `SfB2019 7.0.2046.0`, the
/// scenario's own spelling of a server version.
fn server_version(text: &str) -> Option<String> {
    let build = text
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .find(|t| t.split('.').count() == 4 && t.split('.').all(|p| !p.is_empty()))?;
    let lower = text.to_ascii_lowercase();
    let product = if lower.contains("subscription edition") {
        "SfBSE"
    } else if lower.contains("skype for business server 2019") {
        "SfB2019"
    } else if lower.contains("skype for business server 2015") {
        "SfB2015"
    } else if lower.contains("lync server 2013") {
        "Lync2013"
    } else if lower.contains("lync server 2010") {
        "Lync2010"
    } else {
        product_of_build(build)?
    };
    Some(format!("{product} {build}"))
}

/// The product a build number belongs to, by its major version.
fn product_of_build(build: &str) -> Option<&'static str> {
    match build.split('.').next()? {
        "7" => Some("SfB2019"),
        "6" => Some("SfB2015"),
        "5" => Some("Lync2013"),
        "4" => Some("Lync2010"),
        _ => None,
    }
}

/// What the cmdlet's objects say, as scenario keys.
fn extract(f: &mut ConfigFile, objects: &[&Object]) {
    let put = |f: &mut ConfigFile, key: &'static str, value: SettingValue, p: &Prop| {
        f.found.push(Found {
            key,
            value,
            line: Some(p.line),
        })
    };
    let boolean = |f: &mut ConfigFile, o: &Object, prop: &str, key: &'static str| {
        if let Some(p) = o.get(prop) {
            match p.value.boolean() {
                Some(b) => put(f, key, SettingValue::Bool(b), p),
                None if p.value == Value::Null => {}
                None => f.notes.push(format!(
                    "line {}: {prop} is not true or false: {key} not taken from it",
                    p.line
                )),
            }
        }
    };
    // An enum's name; PowerShell 5.1's ConvertTo-Json writes its number, whose meaning the
    // documentation does not give.
    let name = |f: &mut ConfigFile, o: &Object, prop: &str, key: &'static str| {
        let Some(p) = o.get(prop) else { return };
        match &p.value {
            Value::Number(n) => f.notes.push(format!(
                "line {}: {prop} is the number {n}, not a name (PowerShell 5.1 writes enums as \
                 numbers): {key} not taken from it; export with Export-Clixml, or set {key} in \
                 the scenario",
                p.line
            )),
            v => {
                if let Some(t) = v.text() {
                    put(f, key, SettingValue::Text(t), p)
                }
            }
        }
    };
    match f.cmdlet {
        Cmdlet::HostingProvider => {
            let online = objects.iter().find(|o| {
                o.get("ProxyFqdn")
                    .and_then(|p| p.value.text())
                    .is_some_and(|t| t.eq_ignore_ascii_case(ONLINE_PROXY_FQDN))
            });
            let shared = |o: &&&Object| {
                o.get("EnabledSharedAddressSpace")
                    .and_then(|p| p.value.boolean())
                    .unwrap_or(false)
            };
            f.shared_address_space = Some(objects.iter().any(|o| shared(&o)));
            let Some(o) = online.or_else(|| objects.iter().find(|o| shared(o))) else {
                f.notes.push(format!(
                    "no hosting provider has ProxyFqdn {ONLINE_PROXY_FQDN} or a shared address \
                     space: the federation.hosting_provider settings are not taken from it"
                ));
                return;
            };
            if let Some(p) = o.get("ProxyFqdn")
                && let Some(t) = p.value.text()
            {
                put(f, "federation.hosting_provider", SettingValue::Text(t), p);
            }
            boolean(f, o, "Enabled", "federation.hosting_provider_enabled");
            boolean(
                f,
                o,
                "EnabledSharedAddressSpace",
                "federation.shared_address_space",
            );
            boolean(f, o, "HostsOCSUsers", "federation.hosts_ocs_users");
            name(f, o, "VerificationLevel", "federation.verification_level");
        }
        Cmdlet::AccessEdge => {
            let o = objects[0];
            boolean(
                f,
                o,
                "AllowFederatedUsers",
                "federation.allow_federated_users",
            );
            boolean(f, o, "AllowOutsideUsers", "federation.allow_outside_users");
            // The routing: said outright, or by the properties each routing shows.
            let routing = o.get("UseDnsSrvRouting").or_else(|| o.get("RoutingMethod"));
            let default_route = o
                .get("DefaultRouteFqdn")
                .and_then(|p| p.value.text())
                .is_some();
            let discovery = o
                .get("EnablePartnerDiscovery")
                .filter(|p| p.value != Value::Null);
            let srv = match routing {
                Some(p) => match &p.value {
                    Value::Text(t) if t.eq_ignore_ascii_case("UseDnsSrvRouting") => Some(true),
                    Value::Text(t) if t.eq_ignore_ascii_case("UseDefaultRouting") => Some(false),
                    v => v.boolean(),
                }
                .map(|b| (b, p.line)),
                None if default_route => o.get("DefaultRouteFqdn").map(|p| (false, p.line)),
                None => discovery.map(|p| (true, p.line)),
            };
            if let Some((b, line)) = srv {
                f.found.push(Found {
                    key: "federation.use_dns_srv_routing",
                    value: SettingValue::Bool(b),
                    line: Some(line),
                });
            }
            match discovery {
                Some(_) => boolean(
                    f,
                    o,
                    "EnablePartnerDiscovery",
                    "federation.enable_partner_discovery",
                ),
                // Default routing discovers no partner.
                None if srv.is_some_and(|(b, _)| !b) => f.found.push(Found {
                    key: "federation.enable_partner_discovery",
                    value: SettingValue::Bool(false),
                    line: srv.map(|(_, l)| l),
                }),
                None => {}
            }
        }
        Cmdlet::AllowedDomain | Cmdlet::BlockedDomain => {
            let key = if f.cmdlet == Cmdlet::AllowedDomain {
                "federation.allowed_domains"
            } else {
                "federation.blocked_domains"
            };
            let domains: Vec<String> = objects
                .iter()
                .filter_map(|o| o.get("Domain").and_then(|p| p.value.text()))
                .collect();
            f.found.push(Found {
                key,
                value: SettingValue::List(domains),
                line: objects[0].get("Domain").map(|p| p.line),
            });
        }
        Cmdlet::EdgeService => {
            let mut pools: Vec<String> = objects
                .iter()
                .filter(|o| {
                    // No federation port: the pool does not federate.
                    o.get("AccessEdgeExternalSipPort")
                        .is_none_or(|p| p.value != Value::Null)
                })
                .filter_map(|o| o.get("PoolFqdn").and_then(|p| p.value.text()))
                .map(|p| p.to_ascii_lowercase())
                .collect();
            pools.sort();
            pools.dedup();
            f.found.push(Found {
                key: "federation.federation_edge_pools",
                value: SettingValue::Count(pools.len() as u32),
                line: objects[0].get("PoolFqdn").map(|p| p.line),
            });
        }
        Cmdlet::Pool => {
            let edge = objects
                .iter()
                .filter(|o| {
                    o.get("Services").is_some_and(|p| {
                        p.value
                            .texts()
                            .iter()
                            .any(|s| s.to_ascii_lowercase().starts_with("edgeserver:"))
                    })
                })
                .count();
            f.found.push(Found {
                key: "federation.federation_edge_pools",
                value: SettingValue::Count(edge as u32),
                line: objects[0].get("Services").map(|p| p.line),
            });
        }
        Cmdlet::ReplicationStatus => {
            let mut versions: Vec<(Vec<u32>, String)> = Vec::new();
            for o in objects {
                let Some(p) = o.get("ProductVersion") else {
                    continue;
                };
                let Some(build) = p.value.text() else {
                    continue;
                };
                match product_of_build(&build) {
                    Some(product) => {
                        let key = build.split('.').filter_map(|x| x.parse().ok()).collect();
                        versions.push((key, format!("{product} {build}")));
                    }
                    None => f.notes.push(format!(
                        "line {}: ProductVersion {build} is no Lync or Skype for Business build",
                        p.line
                    )),
                }
            }
            // Newest first, each build once.
            versions.sort_by(|a, b| b.cmp(a));
            versions.dedup();
            if !versions.is_empty() {
                f.found.push(Found {
                    key: "federation.server_versions",
                    value: SettingValue::List(versions.into_iter().map(|v| v.1).collect()),
                    line: objects[0].get("ProductVersion").map(|p| p.line),
                });
            }
        }
        Cmdlet::OAuth => {
            // The Skype for Business service principal: OAuth set up with Microsoft 365.
            const SFB_SERVICE: &str = "00000004-0000-0ff1-ce00-000000000000";
            let o = objects[0];
            if let Some(p) = o.get("ServiceName") {
                match p.value.text() {
                    Some(s) if s.eq_ignore_ascii_case(SFB_SERVICE) => {
                        put(f, "federation.oauth", SettingValue::Bool(true), p)
                    }
                    other => f.notes.push(format!(
                        "line {}: ServiceName is {}, not {SFB_SERVICE}: server-to-server \
                         authentication with Microsoft 365 is not shown as set up, and \
                         federation.oauth not taken from it",
                        p.line,
                        other.as_deref().unwrap_or("empty")
                    )),
                }
            }
        }
        Cmdlet::TenantFederation => {
            let o = objects[0];
            boolean(
                f,
                o,
                "SharedSipAddressSpace",
                "tenant.shared_sip_address_space",
            );
            boolean(f, o, "AllowFederatedUsers", "tenant.federation_enabled");
            tenant_domains(f, o);
        }
        Cmdlet::UpgradePolicy => {
            let global = objects
                .iter()
                .find(|o| {
                    o.get("Identity").is_some_and(|p| {
                        p.value.texts().iter().any(|t| {
                            t.eq_ignore_ascii_case("Global")
                                || t.to_ascii_lowercase().ends_with(":global")
                        })
                    })
                })
                .or(if objects.len() == 1 {
                    objects.first()
                } else {
                    None
                });
            match global {
                Some(o) => name(f, o, "Mode", "tenant.global_upgrade_policy"),
                None => f.notes.push(
                    "no policy has the Identity Global: tenant.global_upgrade_policy not taken \
                     from it"
                        .into(),
                ),
            }
        }
        Cmdlet::MgDomain => {
            let mut verified = Vec::new();
            for o in objects {
                let Some(id) = o.get("Id").and_then(|p| p.value.text()) else {
                    continue;
                };
                let yes = |n: &str| o.get(n).and_then(|p| p.value.boolean()).unwrap_or(false);
                if yes("IsInitial") {
                    put(
                        f,
                        "tenant.initial_domain",
                        SettingValue::Text(id.clone()),
                        o.get("Id").unwrap_or(&Prop::default()),
                    );
                } else if yes("IsVerified")
                    && !id.to_ascii_lowercase().ends_with(".onmicrosoft.com")
                {
                    verified.push(id);
                }
            }
            f.found.push(Found {
                key: "tenant.verified_domains",
                value: SettingValue::List(verified),
                line: objects[0].get("Id").map(|p| p.line),
            });
        }
        Cmdlet::Environment => {
            let o = objects[0];
            if let Some(p) = o.get("TeamsModuleVersion")
                && let Some(t) = p.value.text()
            {
                put(
                    f,
                    "federation.teams_module_version",
                    SettingValue::Text(t),
                    p,
                );
            }
            if let Some(p) = o.get("EntraConnectVersion")
                && let Some(t) = p.value.text()
            {
                put(f, "sync.connect_version", SettingValue::Text(t), p);
            }
            let client = o.get("Tls12ClientEnabled");
            let server = o.get("Tls12ServerEnabled");
            let b = |p: Option<&Prop>| p.and_then(|p| p.value.boolean());
            let tls = match (b(client), b(server)) {
                (Some(false), _) => Some((false, client)),
                (_, Some(false)) => Some((false, server)),
                (Some(true), Some(true)) => Some((true, client)),
                _ => None,
            };
            if let Some((v, Some(p))) = tls {
                put(f, "federation.tls12", SettingValue::Bool(v), p);
            }
        }
        Cmdlet::ServerVersion => {}
    }
}

/// The tenant's allowed and blocked lists: `AllowedDomains` is `AllowAllKnownDomains` (open
/// federation: no allowed list) or an `AllowList` of domains (also `AllowedDomainsAsAList`).
fn tenant_domains(f: &mut ConfigFile, o: &Object) {
    let domain_names = |v: &Value| -> Vec<String> {
        let items: Vec<&Value> = match v {
            Value::List(l) => l.iter().collect(),
            Value::Object(o) => o
                .get("AllowedDomain")
                .map(|p| match &p.value {
                    Value::List(l) => l.iter().collect(),
                    one => vec![one],
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        items
            .into_iter()
            .filter_map(|i| match i {
                Value::Object(o) => o.get("Domain").and_then(|p| p.value.text()),
                v => v.text(),
            })
            .map(|t| t.trim_start_matches("Domain=").to_string())
            .collect()
    };
    let as_list = o
        .get("AllowedDomainsAsAList")
        .filter(|p| matches!(&p.value, Value::List(l) if !l.is_empty()));
    if let Some(p) = o.get("AllowedDomains") {
        let open = match &p.value {
            Value::Object(x) if x.props.is_empty() => {
                // AllowAllKnownDomains has no property of its own.
                x.to_string
                    .as_deref()
                    .is_none_or(|t| t.contains("AllowAllKnownDomains"))
            }
            v => v.texts().iter().any(|t| t.contains("AllowAllKnownDomains")),
        };
        let listed = domain_names(&p.value);
        let line = Some(p.line);
        if open {
            f.found.push(Found {
                key: "tenant.open_federation",
                value: SettingValue::Bool(true),
                line,
            });
            f.found.push(Found {
                key: "tenant.allowed_domains",
                value: SettingValue::List(Vec::new()),
                line,
            });
        } else if let Some(l) = as_list {
            f.found.push(Found {
                key: "tenant.open_federation",
                value: SettingValue::Bool(false),
                line,
            });
            f.found.push(Found {
                key: "tenant.allowed_domains",
                value: SettingValue::List(domain_names(&l.value)),
                line: Some(l.line),
            });
        } else if !listed.is_empty() || matches!(p.value, Value::Object(_)) {
            f.found.push(Found {
                key: "tenant.open_federation",
                value: SettingValue::Bool(false),
                line,
            });
            f.found.push(Found {
                key: "tenant.allowed_domains",
                value: SettingValue::List(listed),
                line,
            });
        } else {
            f.notes.push(format!(
                "line {}: AllowedDomains does not say which domains: tenant.open_federation and \
                 tenant.allowed_domains not taken from it",
                p.line
            ));
        }
    }
    if let Some(p) = o.get("BlockedDomains") {
        match &p.value {
            Value::Text(t) => f.notes.push(format!(
                "line {}: BlockedDomains is {t}, not a list (a list cut short by Format-List?): \
                 tenant.blocked_domains not taken from it",
                p.line
            )),
            v => f.found.push(Found {
                key: "tenant.blocked_domains",
                value: SettingValue::List(domain_names(v)),
                line: Some(p.line),
            }),
        }
    }
}

/// The settings of every configuration export, in file order: where two cmdlets give one key,
/// the better source only (the replication status's builds over the local server version,
/// the Edge services over the pools' list), and `federation.hybrid_forests` from the
/// hosting-provider exports.
pub fn settings(files: &[ConfigFile]) -> Vec<FileSetting> {
    let has = |c: Cmdlet| files.iter().any(|f| f.cmdlet == c);
    let weaker = |c: Cmdlet| match c {
        Cmdlet::ServerVersion => has(Cmdlet::ReplicationStatus),
        Cmdlet::Pool => has(Cmdlet::EdgeService),
        _ => false,
    };
    let mut out: Vec<FileSetting> = files
        .iter()
        .filter(|f| !weaker(f.cmdlet))
        .flat_map(|f| {
            f.found.iter().map(|x| FileSetting {
                key: x.key.to_string(),
                value: x.value.clone(),
                at: Place {
                    file: f.path.display().to_string(),
                    line: x.line,
                },
                cmdlet: f.cmdlet.name().to_string(),
            })
        })
        .collect();
    // Each deployment's exports sit in a folder of their own (the kit's `sfb/`): a forest is
    // in hybrid when its hosting providers include one with a shared address space.
    let providers: Vec<&ConfigFile> = files
        .iter()
        .filter(|f| f.cmdlet == Cmdlet::HostingProvider)
        .collect();
    if let Some(first) = providers.first() {
        let mut forests: Vec<&Path> = providers
            .iter()
            .filter(|f| f.shared_address_space == Some(true))
            .filter_map(|f| f.path.parent())
            .collect();
        forests.sort();
        forests.dedup();
        out.push(FileSetting {
            key: "federation.hybrid_forests".into(),
            value: SettingValue::Count(forests.len() as u32),
            at: Place {
                file: first.path.display().to_string(),
                line: None,
            },
            cmdlet: Cmdlet::HostingProvider.name().to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn only_documents_and_property_lists_are_candidates() {
        for head in [
            "{\"Identity\": \"Global\"}",
            "[\n  {\"ProxyFqdn\": \"sipfed.online.lync.com\"}",
            "\u{feff}<Objs Version=\"1.1.0.1\">",
            "\"Skype for Business Server 2019 (7.0.2046.0): Volume license key installed.\"",
            "Identity : Global\nAllowFederatedUsers : True\n",
        ] {
            assert!(might_be(head), "{head}");
        }
        for head in [
            "\"DistinguishedName\",\"SamAccountName\"\r\n\"CN=A,DC=x\",\"a\"",
            "\"DN\";\"Name\"\n",
            "#TYPE Microsoft.ActiveDirectory.Management.ADUser\n\"Name\"",
            "DistinguishedName,SamAccountName\nCN=A,a\n",
        ] {
            assert!(!might_be(head), "{head}");
        }
    }

    use super::*;

    fn read_str(text: &str) -> ConfigFile {
        match read(Path::new("x.json"), text, true) {
            Outcome::Read(f) => f,
            Outcome::Unknown(w) => panic!("unknown: {w}"),
            Outcome::Refused(r) => panic!("refused: {r:?}"),
            Outcome::NotConfig => panic!("not config"),
        }
    }

    #[test]
    fn versions_in_the_scenarios_spelling() {
        assert_eq!(
            server_version(
                "Skype for Business Server 2015 (6.0.9319.0): Volume license key installed."
            )
            .as_deref(),
            Some("SfB2015 6.0.9319.0")
        );
        assert_eq!(
            server_version("7.0.2046.385").as_deref(),
            Some("SfB2019 7.0.2046.385")
        );
        assert_eq!(server_version("no version"), None);
        let f = read_str("\"Lync Server 2013 (5.0.8308.0): Volume license key installed.\"");
        assert_eq!(f.cmdlet, Cmdlet::ServerVersion);
    }

    #[test]
    fn enums_as_numbers_are_said_not_guessed() {
        let f = read_str(
            r#"{"Identity":"LyncOnline","ProxyFqdn":"sipfed.online.lync.com","Enabled":true,
               "EnabledSharedAddressSpace":true,"HostsOCSUsers":true,"VerificationLevel":2}"#,
        );
        assert!(
            f.found
                .iter()
                .all(|x| x.key != "federation.verification_level")
        );
        assert!(
            f.notes[0].contains("VerificationLevel is the number 2"),
            "{:?}",
            f.notes
        );
    }

    #[test]
    fn unknown_json_is_listed_and_broken_json_refused() {
        assert!(matches!(
            read(Path::new("m.json"), r#"{"users": 10}"#, true),
            Outcome::Unknown(_)
        ));
        assert!(matches!(
            read(Path::new("m.json"), "{\n\"a\": }", true),
            Outcome::Refused(Refusal::Malformed { line: 2, .. })
        ));
        assert!(matches!(
            read(Path::new("m.txt"), "[a],b\n1,2\n", false),
            Outcome::NotConfig
        ));
    }
}
