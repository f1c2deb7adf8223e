//! The move waves as planned: who moves when, why each user is in its wave, and what each wave
//! leaves across waves or broken.

use crate::ObjRef;
use serde::{Deserialize, Serialize};

/// Why two users depend on each other, strongest first (spec §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dependency {
    /// One is the other's delegate (delegates file): never split across waves.
    Delegate,
    /// They call or message each other (interactions file).
    Interaction,
    /// One manages the other.
    Manager,
    /// Direct members of the same small group (at most `affinity.max_group_size` users).
    Group,
}

impl Dependency {
    pub const ALL: [Dependency; 4] = [
        Dependency::Delegate,
        Dependency::Interaction,
        Dependency::Manager,
        Dependency::Group,
    ];
    /// The bit of this kind in a [`Dependencies`] set.
    pub const fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of [`Dependency`] kinds (a pair may be several at once).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "Vec<Dependency>", from = "Vec<Dependency>")]
pub struct Dependencies(pub u8);

impl Dependencies {
    pub fn iter(self) -> impl Iterator<Item = Dependency> {
        Dependency::ALL
            .into_iter()
            .filter(move |d| self.0 & d.bit() != 0)
    }
    pub fn contains(self, d: Dependency) -> bool {
        self.0 & d.bit() != 0
    }
}

impl From<Dependencies> for Vec<Dependency> {
    fn from(d: Dependencies) -> Self {
        d.iter().collect()
    }
}

impl From<Vec<Dependency>> for Dependencies {
    fn from(v: Vec<Dependency>) -> Self {
        Dependencies(v.into_iter().fold(0, |s, d| s | d.bit()))
    }
}

/// How the waves after the pilot are numbered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaveOrder {
    /// The wave with the fewest dependencies on other waves first.
    #[default]
    FewestDependencies,
    /// By the department most of a wave's users belong to, in this order.
    Departments(Vec<String>),
}

/// Why a user is in its wave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WaveReason {
    /// Wave 0: the pilot of the scenario.
    Pilot,
    /// Forced into this wave by `waves.pin` (its index in the scenario's list).
    Pinned { pin: u32 },
    /// Moves with a user it is a delegate of, or who is its delegate.
    DelegateOf { user: ObjRef },
    /// `here` of its `dependents` among the users to move are in this wave.
    Dependents { here: u32, dependents: u32 },
    /// No dependent among the users to move: it completes a wave.
    NoDependents,
}

/// A dependent of a user that moves in another wave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Elsewhere {
    pub user: ObjRef,
    pub wave: u32,
    pub kinds: Dependencies,
}

/// A user in a wave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveUser {
    pub user: ObjRef,
    pub reason: WaveReason,
    /// Dependents among the users planned in waves.
    pub dependents: u32,
    /// How many of them move in another wave, and the strongest few of them (strongest first).
    pub elsewhere: u32,
    pub elsewhere_first: Vec<Elsewhere>,
}

/// How many dependents elsewhere a [`WaveUser`] names.
pub const ELSEWHERE_KEPT: usize = 5;

/// One wave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wave {
    /// 0 for the pilot.
    pub number: u32,
    /// The calendar week it moves in (1 for the first week), when `waves.per_week` is set.
    pub week: Option<u32>,
    pub users: Vec<WaveUser>,
    /// Dependent pairs with one user in this wave and the other in another wave, and their
    /// weight (see `hybridready_graph::dependency` for the weights).
    pub pairs_across: u64,
    pub weight_across: u64,
    /// Dependent pairs of this wave's users with unsynchronised on-premises users: broken once
    /// this wave is online.
    pub broken_by_unsynced: u64,
}

/// A delegate cluster (users linked by delegate pairs) larger than a wave, split as little as
/// possible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitCluster {
    pub users: u64,
    pub waves: Vec<u32>,
    pub delegate_pairs_split: u64,
    /// A user of the cluster, to name it.
    pub example: ObjRef,
}

/// How each wave's script moves its users (Move-CsUser).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveSettings {
    /// The hosting provider's ProxyFqdn (`-Target`).
    pub target: String,
    /// `-UseOAuth`: Skype for Business Server 2015 before CU12 needs it.
    pub use_oauth: bool,
    /// `-HostedMigrationOverrideUrl`, only when the scenario gives one.
    pub override_url: Option<String>,
    /// `-Force` (the scenario's `pilot.force`): contacts and meetings are not moved.
    #[serde(default)]
    pub force: bool,
    /// Moves run at once, and retries of a failed move.
    pub parallel: u32,
    pub retries: u32,
    /// The on-premises registrar pool users move back to (rollback), when the scenario or the
    /// exports give one.
    pub registrar_pool: Option<String>,
}

/// The waves of a scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waves {
    /// Users per wave after the pilot (at most).
    pub size: u64,
    /// Wave 0 is the pilot (possibly empty); the others follow in number order.
    pub waves: Vec<Wave>,
    /// SfB users kept on-premises on purpose.
    pub kept: u64,
    /// SfB users already homed online before any move.
    pub already_online: u64,
    pub order: WaveOrder,
    /// Waves per week, and the Monday of the first week (`YYYY-MM-DD`), for the calendar.
    pub per_week: Option<u32>,
    pub start: Option<String>,
    /// Dependent pairs among the users in waves, and how many of them are split across waves
    /// (with their weights).
    pub pairs: u64,
    pub pairs_split: u64,
    pub weight: u64,
    pub weight_split: u64,
    /// Delegate pairs split across waves (only in [`Waves::split_clusters`] or by pins).
    pub delegate_pairs_split: u64,
    pub split_clusters: Vec<SplitCluster>,
    pub moves: MoveSettings,
}

impl Waves {
    /// Users in all waves.
    pub fn users(&self) -> u64 {
        self.waves.iter().map(|w| w.users.len() as u64).sum()
    }
}
