//! Scenario settings given by configuration exports (the SfB and tenant cmdlets' output read by
//! `ingest::config`), and how they join the scenario file: the scenario wins over a file, the
//! first file read wins over a later one, and every disagreement is kept as a typed
//! [`SettingConflict`] for the outputs to word. [`resolve`] also says where every setting of the
//! resolved scenario came from ([`SettingSource`]).
//!
//! The keys a file can give are declared once, in [`FROM_FILES`], with the scenario field each
//! one fills.

use crate::scenario::{Scenario, key_position};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A setting's value, typed as the scenario key it fills.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SettingValue {
    Bool(bool),
    Count(u32),
    Text(String),
    List(Vec<String>),
}

impl SettingValue {
    /// Whether two values say the same: texts and list items are compared without case or
    /// surrounding blanks, lists as sets (`Get-CsAllowedDomain` has no order).
    pub fn same(&self, other: &SettingValue) -> bool {
        let norm = |s: &str| s.trim().to_lowercase();
        let set = |l: &[String]| {
            let mut v: Vec<String> = l.iter().map(|s| norm(s)).collect();
            v.sort();
            v.dedup();
            v
        };
        match (self, other) {
            (SettingValue::Text(a), SettingValue::Text(b)) => norm(a) == norm(b),
            (SettingValue::List(a), SettingValue::List(b)) => set(a) == set(b),
            (a, b) => a == b,
        }
    }
}

impl std::fmt::Display for SettingValue {
    /// As the scenario file writes it: `true`, `1`, `"text"`, `["a", "b"]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingValue::Bool(b) => write!(f, "{b}"),
            SettingValue::Count(n) => write!(f, "{n}"),
            SettingValue::Text(t) => write!(f, "{t:?}"),
            SettingValue::List(l) => {
                let items: Vec<String> = l.iter().map(|i| format!("{i:?}")).collect();
                write!(f, "[{}]", items.join(", "))
            }
        }
    }
}

/// A place in an input: the file as given, and the 1-based line when known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}", self.file),
            None => write!(f, "{}", self.file),
        }
    }
}

/// One scenario key as a configuration export gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSetting {
    /// The scenario key (`federation.allow_federated_users`): one of [`FROM_FILES`].
    pub key: String,
    pub value: SettingValue,
    pub at: Place,
    /// The cmdlet whose output the file holds (`Get-CsAccessEdgeConfiguration`).
    pub cmdlet: String,
}

/// Where a setting of the resolved scenario came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Origin {
    /// The scenario file (the line of its value, when the file could be read again).
    Scenario { at: Place },
    /// A configuration export.
    File { at: Place, cmdlet: String },
    /// Nobody said: the scenario's default.
    Default,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingSource {
    pub key: String,
    pub origin: Origin,
}

/// Two sources that give one setting different values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SettingConflict {
    /// The scenario file and a configuration export disagree: the scenario's value is used.
    ScenarioOverridesFile {
        key: String,
        scenario: SettingValue,
        scenario_at: Place,
        file: SettingValue,
        file_at: Place,
    },
    /// Two configuration exports disagree: the first one read is used.
    FilesDisagree {
        key: String,
        kept: SettingValue,
        kept_at: Place,
        other: SettingValue,
        other_at: Place,
    },
}

/// A scenario completed by the configuration exports.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub scenario: Scenario,
    /// Every setting that has a value, in key order.
    pub sources: Vec<SettingSource>,
    pub conflicts: Vec<SettingConflict>,
}

/// A scenario field a file can fill.
enum Slot<'a> {
    Bool(&'a mut Option<bool>),
    Count(&'a mut Option<u32>),
    Text(&'a mut dyn TextField),
    List(&'a mut dyn ListField),
}

/// A typed scenario value a file gives as text (an upgrade policy, a version, a server build):
/// parsed with the scenario's own parser, so a file is held to the same allowed values. Every
/// closed set of values (`choice!` in `scenario`) has it.
pub trait FromSettingText: Sized + std::fmt::Display {
    fn from_setting_text(text: &str) -> Option<Self>;
}

impl FromSettingText for String {
    fn from_setting_text(text: &str) -> Option<Self> {
        Some(text.to_string())
    }
}
impl FromSettingText for crate::scenario::DottedVersion {
    fn from_setting_text(text: &str) -> Option<Self> {
        Self::parse(text)
    }
}
impl FromSettingText for crate::scenario::ServerVersion {
    fn from_setting_text(text: &str) -> Option<Self> {
        Self::parse(text).ok()
    }
}

/// A text-valued scenario field, whatever its type.
trait TextField {
    fn text(&self) -> Option<String>;
    fn set_text(&mut self, text: &str) -> bool;
}

impl<T: FromSettingText> TextField for Option<T> {
    fn text(&self) -> Option<String> {
        self.as_ref().map(|v| v.to_string())
    }
    fn set_text(&mut self, text: &str) -> bool {
        match T::from_setting_text(text) {
            Some(v) => {
                *self = Some(v);
                true
            }
            None => false,
        }
    }
}

/// A list-valued scenario field, whatever its items' type.
trait ListField {
    fn list(&self) -> Option<Vec<String>>;
    fn set_list(&mut self, items: &[String]) -> bool;
}

impl<T: FromSettingText> ListField for Option<Vec<T>> {
    fn list(&self) -> Option<Vec<String>> {
        self.as_ref()
            .map(|v| v.iter().map(|x| x.to_string()).collect())
    }
    fn set_list(&mut self, items: &[String]) -> bool {
        match items.iter().map(|i| T::from_setting_text(i)).collect() {
            Some(v) => {
                *self = Some(v);
                true
            }
            None => false,
        }
    }
}

impl Slot<'_> {
    fn get(&self) -> Option<SettingValue> {
        match self {
            Slot::Bool(v) => (**v).map(SettingValue::Bool),
            Slot::Count(v) => (**v).map(SettingValue::Count),
            Slot::Text(v) => v.text().map(SettingValue::Text),
            Slot::List(v) => v.list().map(SettingValue::List),
        }
    }
    /// Whether the value fits the field: the readers type each key by this table's kind, and a
    /// text must be one the scenario's parser takes (an upgrade policy it knows, a version).
    fn set(&mut self, value: &SettingValue) -> bool {
        match (self, value) {
            (Slot::Bool(v), SettingValue::Bool(b)) => **v = Some(*b),
            (Slot::Count(v), SettingValue::Count(n)) => **v = Some(*n),
            (Slot::Text(v), SettingValue::Text(t)) => return v.set_text(t),
            (Slot::List(v), SettingValue::List(l)) => return v.set_list(l),
            _ => return false,
        }
        true
    }
}

macro_rules! from_files {
    ($($key:literal => $kind:ident $section:ident . $field:ident,)*) => {
        /// Every scenario key a configuration export can give.
        pub const FROM_FILES: &[&str] = &[$($key),*];

        fn slot<'a>(s: &'a mut Scenario, key: &str) -> Option<Slot<'a>> {
            match key {
                $($key => Some(Slot::$kind(&mut s.$section.$field)),)*
                _ => None,
            }
        }
    };
}

from_files! {
    "federation.allow_federated_users" => Bool federation.allow_federated_users,
    "federation.allow_outside_users" => Bool federation.allow_outside_users,
    "federation.use_dns_srv_routing" => Bool federation.use_dns_srv_routing,
    "federation.enable_partner_discovery" => Bool federation.enable_partner_discovery,
    "federation.hosting_provider" => Text federation.hosting_provider,
    "federation.hosting_provider_enabled" => Bool federation.hosting_provider_enabled,
    "federation.shared_address_space" => Bool federation.shared_address_space,
    "federation.hosts_ocs_users" => Bool federation.hosts_ocs_users,
    "federation.verification_level" => Text federation.verification_level,
    "federation.federation_edge_pools" => Count federation.federation_edge_pools,
    "federation.server_versions" => List federation.server_versions,
    "federation.allowed_domains" => List federation.allowed_domains,
    "federation.blocked_domains" => List federation.blocked_domains,
    "federation.tls12" => Bool federation.tls12,
    "federation.oauth" => Bool federation.oauth,
    "federation.teams_module_version" => Text federation.teams_module_version,
    "federation.hybrid_forests" => Count federation.hybrid_forests,
    "tenant.initial_domain" => Text tenant.initial_domain,
    "tenant.verified_domains" => List tenant.verified_domains,
    "tenant.shared_sip_address_space" => Bool tenant.shared_sip_address_space,
    "tenant.federation_enabled" => Bool tenant.federation_enabled,
    "tenant.open_federation" => Bool tenant.open_federation,
    "tenant.allowed_domains" => List tenant.allowed_domains,
    "tenant.blocked_domains" => List tenant.blocked_domains,
    "tenant.global_upgrade_policy" => Text tenant.global_upgrade_policy,
    "sync.connect_version" => Text sync.connect_version,
}

/// The scenario file as read: its name (as the outputs show it) and its text, to point at the
/// line of each value.
pub struct ScenarioText<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

/// The scenario completed by `files` (in the order they were read): a key the scenario gives
/// keeps the scenario's value, a key it leaves out takes the first file's.
pub fn resolve(scenario: &Scenario, text: Option<ScenarioText>, files: &[FileSetting]) -> Resolved {
    let scenario_at = |key: &str| match &text {
        Some(t) => Place {
            file: t.file.to_string(),
            line: key_position(t.text, key).map(|(l, _)| l as u64),
        },
        None => Place {
            file: String::new(),
            line: None,
        },
    };
    let mut given = scenario.clone();
    let mut out = scenario.clone();
    let mut kept: BTreeMap<&str, &FileSetting> = BTreeMap::new();
    let mut conflicts = Vec::new();
    for f in files {
        let Some(mine) = slot(&mut given, &f.key).map(|s| s.get()) else {
            debug_assert!(false, "{} is not in FROM_FILES", f.key);
            continue;
        };
        if let Some(scenario_value) = mine {
            if !scenario_value.same(&f.value) {
                conflicts.push(SettingConflict::ScenarioOverridesFile {
                    key: f.key.clone(),
                    scenario: scenario_value,
                    scenario_at: scenario_at(&f.key),
                    file: f.value.clone(),
                    file_at: f.at.clone(),
                });
            }
            continue;
        }
        if let Some(first) = kept.get(f.key.as_str()) {
            if !first.value.same(&f.value) {
                conflicts.push(SettingConflict::FilesDisagree {
                    key: f.key.clone(),
                    kept: first.value.clone(),
                    kept_at: first.at.clone(),
                    other: f.value.clone(),
                    other_at: f.at.clone(),
                });
            }
            continue;
        }
        if slot(&mut out, &f.key).is_some_and(|mut s| s.set(&f.value)) {
            kept.insert(&f.key, f);
        }
    }
    let sources = leaf_keys(&out)
        .into_iter()
        .map(|key| {
            let origin = match kept.get(key.as_str()) {
                Some(f) => Origin::File {
                    at: f.at.clone(),
                    cmdlet: f.cmdlet.clone(),
                },
                None => match &text {
                    Some(t) if key_position(t.text, &key).is_some() => Origin::Scenario {
                        at: scenario_at(&key),
                    },
                    None if !is_default(&out, &key) => Origin::Scenario {
                        at: scenario_at(&key),
                    },
                    _ => Origin::Default,
                },
            };
            SettingSource { key, origin }
        })
        .collect();
    Resolved {
        scenario: out,
        sources,
        conflicts,
    }
}

/// Every key of the scenario that has a value (`waves.size`, `sync.attribute_filter.attribute`),
/// in key order; a list is one key.
fn leaf_keys(s: &Scenario) -> Vec<String> {
    let mut keys = Vec::new();
    let Ok(root) = serde_json::to_value(s) else {
        return keys;
    };
    // The scenario's own shape, a few levels deep: a stack, though, as everywhere.
    let mut stack = vec![(String::new(), &root)];
    while let Some((prefix, v)) = stack.pop() {
        match v {
            serde_json::Value::Null => {}
            serde_json::Value::Object(m) => {
                for (k, child) in m {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    stack.push((key, child));
                }
            }
            _ => keys.push(prefix),
        }
    }
    keys.sort();
    keys
}

/// Whether a key holds the value a scenario without it would (a scenario given as a value,
/// with no text to look the key up in: a batch variant).
fn is_default(s: &Scenario, key: &str) -> bool {
    let pick = |s: &Scenario| {
        serde_json::to_value(s)
            .ok()
            .and_then(|v| key.split('.').try_fold(v, |v, k| v.get(k).cloned()))
    };
    pick(s) == pick(&Scenario::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(key: &str, value: SettingValue, file: &str, line: u64) -> FileSetting {
        FileSetting {
            key: key.into(),
            value,
            at: Place {
                file: file.into(),
                line: Some(line),
            },
            cmdlet: "Get-CsAccessEdgeConfiguration".into(),
        }
    }

    #[test]
    fn every_key_from_files_has_a_field() {
        let mut s = Scenario::default();
        for k in FROM_FILES {
            assert!(slot(&mut s, k).is_some(), "{k}");
        }
    }

    #[test]
    fn the_scenario_wins_and_disagreements_are_kept() {
        let text = "name = \"x\"\n[federation]\nallow_federated_users = false\n";
        let s = Scenario::parse(text, "s.toml").unwrap();
        let files = [
            file(
                "federation.allow_federated_users",
                SettingValue::Bool(true),
                "edge.json",
                3,
            ),
            file(
                "federation.allow_outside_users",
                SettingValue::Bool(true),
                "edge.json",
                4,
            ),
            file(
                "federation.allow_outside_users",
                SettingValue::Bool(false),
                "edge.xml",
                9,
            ),
            file(
                "federation.verification_level",
                SettingValue::Text("UseSourceVerification".into()),
                "hp.json",
                2,
            ),
            file(
                "federation.verification_level",
                SettingValue::Text("usesourceverification ".into()),
                "hp.txt",
                5,
            ),
        ];
        let r = resolve(
            &s,
            Some(ScenarioText {
                file: "s.toml",
                text,
            }),
            &files,
        );
        assert_eq!(r.scenario.federation.allow_federated_users, Some(false));
        assert_eq!(r.scenario.federation.allow_outside_users, Some(true));
        assert_eq!(
            r.conflicts,
            [
                SettingConflict::ScenarioOverridesFile {
                    key: "federation.allow_federated_users".into(),
                    scenario: SettingValue::Bool(false),
                    scenario_at: Place {
                        file: "s.toml".into(),
                        line: Some(3)
                    },
                    file: SettingValue::Bool(true),
                    file_at: files[0].at.clone(),
                },
                SettingConflict::FilesDisagree {
                    key: "federation.allow_outside_users".into(),
                    kept: SettingValue::Bool(true),
                    kept_at: files[1].at.clone(),
                    other: SettingValue::Bool(false),
                    other_at: files[2].at.clone(),
                }
            ]
        );
        let origin = |k: &str| {
            r.sources
                .iter()
                .find(|x| x.key == k)
                .map(|x| x.origin.clone())
        };
        assert_eq!(
            origin("federation.allow_federated_users"),
            Some(Origin::Scenario {
                at: Place {
                    file: "s.toml".into(),
                    line: Some(3)
                }
            })
        );
        assert_eq!(
            origin("federation.allow_outside_users"),
            Some(Origin::File {
                at: files[1].at.clone(),
                cmdlet: files[1].cmdlet.clone()
            })
        );
        assert_eq!(origin("waves.size"), Some(Origin::Default));
        assert_eq!(origin("federation.oauth"), None);
    }

    #[test]
    fn lists_compare_as_sets_and_values_read_as_toml() {
        let a = SettingValue::List(vec!["B.com".into(), "a.com".into()]);
        let b = SettingValue::List(vec!["a.com".into(), "b.com".into(), "a.com".into()]);
        assert!(a.same(&b));
        assert!(!a.same(&SettingValue::List(vec!["a.com".into()])));
        assert_eq!(a.to_string(), r#"["B.com", "a.com"]"#);
        assert_eq!(SettingValue::Count(2).to_string(), "2");
    }
}
