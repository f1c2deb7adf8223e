//! The assessment as data: one typed value, built once by the pipeline, that every output of
//! hybridready renders (`summary.json`, the worklists, the PDF, HTML and SVG report, the batch
//! comparison). `assess` writes it whole as `assessment.json`; `hybridready report DIR` renders
//! from that file alone.
//!
//! Owns: the vocabulary the engine stages hand to the renderers (steps and checks with their
//! declarations, what a check found and why, why an object does not synchronise, why a user
//! cannot move, finding messages, the verdict and the score, the action plan) and its
//! serialisation. Must not touch: computation, files, terminals, or words: every variant is
//! worded by the renderers from the en and fr catalogues, never here.
//!
//! Objects are named by [`ObjRef`] (the directory's dense object id); [`Objects`] holds the
//! names of every object the assessment refers to, once.

pub mod action;
pub mod check;
pub mod date;
pub mod finding;
pub mod findings;
pub mod kit;
pub mod scenario;
pub mod score;
pub mod setting;
pub mod sync;
pub mod waves;

pub use action::{Action, ActionKind, Effort};
pub use check::{
    Cause, CheckDef, CheckId, CheckResult, Class, Fact, Input, Owner, Reason, Status, StepId,
};
pub use date::Date;
pub use finding::{Effect, Message, Severity};
pub use findings::{FindingRow, Findings, Fix, RuleCount, RuleDoc};
pub use kit::{KitNote, SectionStatus};
pub use scenario::{Assumption, Scenario};
pub use score::{Score, Verdict};
pub use sync::{CoverageRow, MoveBlocker, ReasonCount, SyncFigures, SyncReason};
pub use waves::{
    Dependencies, Dependency, Elsewhere, MoveSettings, SplitCluster, Wave, WaveOrder, WaveReason,
    WaveUser, Waves,
};

use serde::{Deserialize, Serialize};

/// The version of `assessment.json`'s shape. A file of another version is refused, never
/// half-read.
pub const SCHEMA_VERSION: u32 = 3;

/// Everything one assessment found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub schema_version: u32,
    pub tool: Tool,
    /// When the assessment was made (Unix seconds; `SOURCE_DATE_EPOCH` when set).
    pub assessed_at: i64,
    /// The customer's name (`--customer`, else the scenario's tenant name).
    pub customer: Option<String>,
    pub scenario: ScenarioInfo,
    pub inputs: Vec<InputFile>,
    pub directory: DirectoryFigures,
    pub sync: SyncFigures,
    pub findings: Findings,
    pub breaks: Breaks,
    pub steps: Vec<Step>,
    /// Every SfB user that would not synchronise, on-premises and online, by impact.
    pub unsynced: Vec<UnsyncedUser>,
    pub waves: Waves,
    /// The delegate and interaction files, and what became of their rows.
    pub pair_files: Vec<PairFileInfo>,
    pub verdict: Verdict,
    pub score: Score,
    /// The action plan: one action per root cause, the one unblocking most users first.
    pub actions: Vec<Action>,
    /// The names of every object referred to above.
    pub objects: Objects,
}

impl Assessment {
    /// The result of a check, if it was evaluated.
    pub fn check(&self, id: CheckId) -> Option<&CheckResult> {
        self.steps
            .iter()
            .flat_map(|s| &s.checks)
            .find(|c| c.id == id)
    }

    /// The step of an id, if it was evaluated.
    pub fn step(&self, id: StepId) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: "hybridready".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// The scenario as the assessment used it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    pub name: String,
    /// The scenario file's name (no folder), or `None` for the built-in defaults.
    pub file: Option<String>,
    /// What was assumed where the scenario is silent.
    pub assumptions: Vec<Assumption>,
    /// Every value, as resolved (defaults filled in, configuration exports joined).
    pub resolved: Scenario,
    /// Where each setting that has a value came from.
    #[serde(default)]
    pub sources: Vec<setting::SettingSource>,
    /// Where the scenario and a configuration export, or two exports, disagree.
    #[serde(default)]
    pub conflicts: Vec<setting::SettingConflict>,
}

/// Whether a file (or sheet) was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputStatus {
    Read,
    /// Deliberately not read (an ADRecon file about computers, a workbook's summary sheet).
    Ignored,
    /// Could not be read: see `refusal`.
    Refused,
}

/// One input file or workbook sheet, and what became of its rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// The path as given on the command line.
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub status: InputStatus,
    /// The dialect (`powershell`, `csvde`, `adrecon-users`, …).
    pub format: String,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub sha256: Option<String>,
    pub rows: u64,
    pub accepted: u64,
    pub merged: u64,
    pub rejected: u64,
    pub value_errors: u64,
    pub columns_missing: Vec<MissingColumn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<Refusal>,
}

/// A column a table lacks, and the rules its absence leaves unchecked (its other uses are
/// worded by the catalogues under `column.<name>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingColumn {
    pub column: String,
    pub rules: Vec<String>,
}

/// Why a file could not be read at all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Refusal {
    /// The system refused to read it (the system's message, as given).
    Unreadable {
        error: String,
    },
    Empty,
    /// NUL bytes: not CSV text.
    Binary,
    NoHeader,
    /// An Export-Csv of hashtables: the data inside them was never written.
    Hashtables,
    /// A membership list with a group column and no member column.
    NoMemberColumn,
    /// No column identifies an object (the first headers found).
    NoIdentityColumn {
        found: Vec<String>,
    },
    /// A workbook that cannot be opened (the reader's message).
    Workbook {
        error: String,
    },
    /// A zip of exports, or one of its entries, that cannot be read: cut short or damaged (the
    /// reader's message).
    Archive {
        error: String,
    },
    /// A zip entry encrypted with a password, which the tool never asks for.
    Encrypted,
    /// Over one of the limits the ingest puts on hostile input, which `--limit NAME=VALUE`
    /// overrides (boxed: the other refusals are small, and a refusal is a function's error).
    OverLimit(Box<OverLimit>),
    /// A configuration export (JSON or CLIXML) that does not parse: where, and the reader's
    /// message.
    Malformed {
        /// `JSON` or `CLIXML`.
        format: String,
        line: u64,
        column: u64,
        error: String,
    },
    /// An XML file declaring a DTD or entities: never expanded, so never read.
    XmlDtd {
        line: u64,
    },
}

/// An input over a limit: which, by how much, where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverLimit {
    /// The limit's name on the command line (`file-size`, `xlsx-part-ratio`, …).
    pub limit: String,
    /// Its value, as `--limit` takes it (`1KiB`).
    pub max: String,
    /// What was found over it: bytes, cells, or times its zipped size.
    pub found: u64,
    /// The sheet it was found in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Where in the file: the workbook part, the cell (`C2`) or the cells (`A1:C2`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub at: String,
    /// A value of the limit that lets the input through, as `--limit` takes it (`4GiB`).
    pub raise_to: String,
}

/// The directory as read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryFigures {
    pub users: u64,
    pub groups: u64,
    pub contacts: u64,
    pub domains: u64,
    pub ous: u64,
    /// Distinct direct `member_of` edges (user → group and group → group).
    pub memberships: u64,
    pub sfb_users: u64,
    /// SfB users already homed online.
    pub sfb_online: u64,
    pub trusts: u64,
    /// Cycles of nested groups (each a strongly connected component).
    pub nesting_cycles: Vec<Vec<ObjRef>>,
    /// References (member, memberOf, manager, primary group) naming no object in the inputs.
    pub unresolved_references: u64,
    /// Attribute values that disagree between two rows of one object.
    pub conflicts: u64,
}

/// The exact break figures at one point of the simulation (spec §6).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakCounts {
    pub online_users: u64,
    pub broken_pairs: u64,
    pub unsynced_users_breaking: u64,
    pub online_users_affected: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breaks {
    /// Right after the pilot move.
    pub pilot: BreakCounts,
    /// Once every movable user is online.
    pub end: BreakCounts,
}

/// One deployment step as evaluated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub id: StepId,
    /// The worst status of its checks.
    pub status: Status,
    /// Its score, 0–100 (see [`score`]).
    pub score: u32,
    pub checks: Vec<CheckResult>,
}

impl Step {
    /// A step of these checks: its status is the worst of theirs, its score 100 until scored.
    /// A step fails when one of its checks fails, or when a check that blocks (class
    /// [`check::Class::Block`]) could not be made for want of an input: what is not provided is
    /// never better than the failure it may hide.
    pub fn from_checks(id: StepId, checks: Vec<CheckResult>) -> Step {
        Step {
            id,
            status: checks
                .iter()
                .map(CheckResult::step_status)
                .max()
                .unwrap_or(Status::Pass),
            score: 100,
            checks,
        }
    }

    /// What blocks the step: the checks that fail, and the blockers not provided.
    pub fn blockers(&self) -> impl Iterator<Item = &CheckResult> {
        self.checks
            .iter()
            .filter(|c| c.step_status() == Status::Fail)
    }
}

/// Where a Skype for Business user is homed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Home {
    OnPremises,
    Online,
}

/// A Skype for Business user that would not synchronise, and whom that cuts it off from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsyncedUser {
    pub user: ObjRef,
    pub home: Home,
    /// Its scope reason (if any), then every rule that blocks it.
    pub reasons: Vec<SyncReason>,
    /// Distinct online users it is broken with once every movable user is online.
    pub impact: u64,
    pub impact_after_pilot: u64,
    /// Its first online partners at the end.
    pub partners: Vec<ObjRef>,
}

/// A delegates or interactions file, and what became of its rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairFileInfo {
    pub path: String,
    pub rows: u64,
    pub accepted: u64,
    pub rejected: u64,
}

/// An object of the directory, by its dense id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ObjRef(pub u32);

/// What kind of object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectClass {
    User,
    Group,
    Contact,
    Other,
}

impl ObjectClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectClass::User => "user",
            ObjectClass::Group => "group",
            ObjectClass::Contact => "contact",
            ObjectClass::Other => "other",
        }
    }
}

/// The names of one object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectInfo {
    pub id: u32,
    pub class: Option<ObjectClass>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub dn: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sam: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub upn: String,
    /// The SIP address as stored (with or without `sip:`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sip: String,
    /// The common name (the DN's first RDN value), for objects with nothing better.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

impl ObjectInfo {
    /// How a list names the object: its SIP address (without `sip:`), else its UPN, else its
    /// sAMAccountName, else its name, else its DN.
    pub fn label(&self) -> &str {
        let sip = strip_sip(&self.sip);
        [sip, &self.upn, &self.sam, &self.name, &self.dn]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or("")
    }
}

/// `sip:alice@contoso.com` → `alice@contoso.com`.
pub fn strip_sip(s: &str) -> &str {
    let t = s.trim();
    match t.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("sip:") => &t[4..],
        _ => t,
    }
}

/// The objects an assessment refers to, sorted by id, with each id's place: the renderers look
/// an object up for every row they write (millions at a million users), and a binary search over
/// the table was 4 % of a whole `assess`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "Vec<ObjectInfo>")]
pub struct Objects {
    list: Vec<ObjectInfo>,
    /// `at[id]`: the index of object `id` in `list`, or `ABSENT`.
    at: Vec<u32>,
}

const ABSENT: u32 = u32::MAX;

impl Serialize for Objects {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(&self.list)
    }
}

impl From<Vec<ObjectInfo>> for Objects {
    fn from(v: Vec<ObjectInfo>) -> Objects {
        Objects::new(v)
    }
}

impl Objects {
    /// From objects in any order (duplicates are dropped).
    pub fn new(mut list: Vec<ObjectInfo>) -> Objects {
        list.sort_by_key(|o| o.id);
        list.dedup_by_key(|o| o.id);
        let mut at = vec![ABSENT; list.last().map_or(0, |o| o.id as usize + 1)];
        for (i, o) in list.iter().enumerate() {
            at[o.id as usize] = i as u32;
        }
        Objects { list, at }
    }

    pub fn get(&self, r: ObjRef) -> Option<&ObjectInfo> {
        match self.at.get(r.0 as usize) {
            Some(&i) if i != ABSENT => self.list.get(i as usize),
            _ => None,
        }
    }

    /// The object's label (see [`ObjectInfo::label`]); `#id` for an object not in the table.
    pub fn label(&self, r: ObjRef) -> String {
        self.get(r)
            .map(|o| o.label().to_string())
            .unwrap_or_else(|| format!("#{}", r.0))
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &ObjectInfo> {
        self.list.iter()
    }
}

/// A distinguished name as a reader says its place: `OU=Contractors,OU=Staff,DC=contoso,DC=com`
/// → `contoso.com/Staff/Contractors` (RFC 4514 escapes undone; a DN without `DC=` keeps its
/// containers alone).
pub fn dn_path(dn: &str) -> String {
    let mut domain: Vec<String> = Vec::new();
    let mut containers: Vec<String> = Vec::new();
    for rdn in split_rdns(dn) {
        let Some((attr, value)) = rdn.split_once('=') else {
            continue;
        };
        let value = unescape(value.trim());
        if attr.trim().eq_ignore_ascii_case("dc") {
            domain.push(value);
        } else {
            containers.push(value);
        }
    }
    containers.reverse();
    let mut parts = Vec::with_capacity(containers.len() + 1);
    if !domain.is_empty() {
        parts.push(domain.join("."));
    }
    parts.extend(containers);
    parts.join("/")
}

/// The RDNs of a DN, split on unescaped commas.
fn split_rdns(dn: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in dn.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ',' => {
                out.push(&dn[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&dn[start..]);
    out
}

/// An RDN value with its RFC 4514 escapes (`\,` and `\2C`) undone.
fn unescape(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(b) => {
                    out.push(b);
                    i += 3;
                }
                None => {
                    out.push(bytes[i + 1]);
                    i += 2;
                }
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A what-if batch: every variant's figures, the base scenario first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub schema_version: u32,
    pub tool: Tool,
    pub assessed_at: i64,
    pub variants: Vec<Variant>,
}

/// One variant of a batch: its figures shaped as in the assessment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub name: String,
    pub sync: SyncFigures,
    pub breaks: Breaks,
    pub steps: Vec<VariantStep>,
    pub verdict: Verdict,
    pub score: u32,
}

/// A step of a variant: its status and the checks that fail it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantStep {
    pub id: StepId,
    pub status: Status,
    pub blockers: Vec<CheckId>,
}

impl Variant {
    /// A variant's row, from its assessment.
    pub fn of(name: &str, a: &Assessment) -> Variant {
        Variant {
            name: name.to_string(),
            sync: a.sync.clone(),
            breaks: a.breaks,
            steps: a
                .steps
                .iter()
                .map(|s| VariantStep {
                    id: s.id,
                    status: s.status,
                    blockers: s.blockers().map(|c| c.id).collect(),
                })
                .collect(),
            verdict: a.verdict,
            score: a.score.value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dn_paths_read_as_places() {
        assert_eq!(
            dn_path("OU=Contractors,OU=Staff,DC=contoso,DC=com"),
            "contoso.com/Staff/Contractors"
        );
        assert_eq!(dn_path("CN=Users,DC=fabrikam,DC=lan"), "fabrikam.lan/Users");
        assert_eq!(dn_path("OU=R\\, D,DC=x,DC=com"), "x.com/R, D");
        assert_eq!(dn_path("OU=Caf\\C3\\A9,DC=x,DC=com"), "x.com/Café");
        assert_eq!(dn_path("DC=contoso,DC=com"), "contoso.com");
    }

    #[test]
    fn labels_prefer_the_sip_address() {
        let o = ObjectInfo {
            id: 1,
            sip: "sip:ann@contoso.com".into(),
            upn: "ann@corp.local".into(),
            dn: "CN=Ann,DC=x".into(),
            ..Default::default()
        };
        assert_eq!(o.label(), "ann@contoso.com");
        let objects = Objects::new(vec![o]);
        assert_eq!(objects.label(ObjRef(1)), "ann@contoso.com");
        assert_eq!(objects.label(ObjRef(2)), "#2");
    }

    #[test]
    fn objects_are_found_by_id_after_a_round_trip() {
        let info = |id: u32, name: &str| ObjectInfo {
            id,
            name: name.into(),
            ..Default::default()
        };
        let objects = Objects::new(vec![
            info(7, "g"),
            info(3, "c"),
            info(7, "dup"),
            info(0, "a"),
        ]);
        let json = serde_json::to_string(&objects).unwrap();
        assert_eq!(json.matches("\"id\"").count(), 3, "{json}");
        let back: Objects = serde_json::from_str(&json).unwrap();
        assert_eq!(back, objects);
        for (id, name) in [
            (0, Some("a")),
            (3, Some("c")),
            (7, Some("g")),
            (1, None),
            (8, None),
        ] {
            assert_eq!(back.get(ObjRef(id)).map(|o| o.name.as_str()), name, "{id}");
        }
    }
}
