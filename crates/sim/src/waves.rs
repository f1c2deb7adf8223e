//! Move waves: the pilot as wave 0, then the users to move in waves of at most `waves.size`,
//! keeping together the people who depend on each other.
//!
//! The input is the dependency graph (`hybridready_graph::dependency`) restricted to the users
//! to move. Users linked by delegate pairs, and users pinned to the same wave, are contracted
//! into one node first, so no partition can split them; a delegate cluster larger than a wave
//! is split on its own as little as possible and reported. The nodes are then partitioned by
//! `hybridready_graph::partition` (bounded parts, least weight cut, deterministic for
//! `waves.seed`), and the parts numbered: pinned parts take their wave, the others the free
//! numbers in `waves.order`.

use crate::breaks::SfbState;
use crate::scope::{IdentityIndex, ScenarioRefError, resolve_container, resolve_identity};
use hybridready_assessment::scenario::{OrderBy, Scenario};
use hybridready_assessment::{
    Dependencies, Dependency, Elsewhere, MoveSettings, ObjRef, SplitCluster, Wave, WaveOrder,
    WaveReason, WaveUser, Waves, waves::ELSEWHERE_KEPT,
};
use hybridready_directory::{Attr, Directory, ObjectId, ObjectKind};
use hybridready_graph::DependencyGraph;
use hybridready_graph::dependency::{self, Scratch};
use hybridready_graph::partition::{self, FREE, Hypergraph};
use rayon::prelude::*;

/// The default Move-CsUser target: the hosting provider of Microsoft 365.
pub const DEFAULT_TARGET: &str = "sipfed.online.lync.com";

/// What the planner needs besides the scenario.
pub struct PlanInput<'a, 'd> {
    pub dir: &'d Directory,
    pub ids: &'a IdentityIndex,
    pub graph: &'a DependencyGraph<'d>,
    /// Delegate pairs as read from the delegates file.
    pub delegates: &'a [(ObjectId, ObjectId)],
    /// The movable pilot users (wave 0).
    pub pilot: Vec<ObjectId>,
    /// Every other user to move.
    pub to_move: Vec<ObjectId>,
    /// Where each object stands before any move (for the pairs a wave breaks).
    pub state: &'a [SfbState],
    pub kept: u64,
    pub already_online: u64,
    /// Skype for Business Server 2015 before CU12 is in the topology (moves need `-UseOAuth`).
    pub needs_oauth: bool,
}

/// The waves as data, and as object ids in wave order (for the checks).
pub struct Plan {
    pub waves: Waves,
    pub members: Vec<Vec<ObjectId>>,
    /// The delegate pairs whose users move in different waves (P04).
    pub split_delegates: Vec<(ObjectId, ObjectId)>,
}

const NONE: u32 = u32::MAX;
/// The label of the pilot's users while waves are still parts.
const PILOT: u32 = u32::MAX - 1;

/// Plans the waves.
pub fn plan(input: PlanInput, s: &Scenario) -> Result<Plan, ScenarioRefError> {
    let dir = input.dir;
    let cap = s.waves.size.max(1) as u32;
    let n = dir.len();
    // Nodes numbered along the manager tree: the partitioner's visits then read mostly what
    // is in cache (see `hybridready_graph::partition`).
    let mut input = input;
    let tree_order = manager_tree_order(dir);
    input.to_move.sort_by_key(|u| tree_order[u.index()]);
    let input = input;
    let users = &input.to_move;
    let mut local = vec![NONE; n];
    for (i, &u) in users.iter().enumerate() {
        local[u.index()] = i as u32;
    }
    let pins = pinned(&input, s, &local, cap)?;

    // Nodes: delegate clusters and pinned sets, by union-find over the users to move.
    let mut uf = UnionFind::new(&pins);
    let mut first_of_wave: std::collections::HashMap<u32, usize> = Default::default();
    for (i, pin) in pins.iter().enumerate() {
        if let Some((wave, _)) = pin {
            let first = *first_of_wave.entry(*wave).or_insert(i);
            uf.union(first, i);
        }
    }
    for &(a, b) in input.delegates {
        let (la, lb) = (local[a.index()], local[b.index()]);
        if la == NONE || lb == NONE {
            continue;
        }
        let (ra, rb) = (uf.find(la as usize), uf.find(lb as usize));
        if let (Some(x), Some(y)) = (uf.pin[ra], uf.pin[rb])
            && x.0 != y.0
        {
            continue; // Pinned to two waves: the pins win (counted as split pairs).
        }
        uf.union(ra, rb);
    }
    let root: Vec<usize> = (0..users.len()).map(|i| uf.find(i)).collect();
    let mut members_of_root: Vec<Vec<u32>> = vec![Vec::new(); users.len()];
    for (i, &r) in root.iter().enumerate() {
        members_of_root[r].push(i as u32);
    }

    // Pinned waves become fixed parts 0.., in wave order.
    let mut pin_waves: Vec<u32> = pins.iter().flatten().map(|p| p.0).collect();
    pin_waves.sort_unstable();
    pin_waves.dedup();
    let fixed_part = |wave: u32| pin_waves.binary_search(&wave).map_or(FREE, |i| i as u32);

    // Node of each user; oversized clusters split on their own first.
    let mut node_of = vec![NONE; users.len()];
    let mut node_weight: Vec<u32> = Vec::new();
    let mut node_fixed: Vec<u32> = Vec::new();
    let mut split_clusters: Vec<(Vec<u32>, Vec<u32>)> = Vec::new(); // (users, their nodes)
    for (r, members) in members_of_root.iter().enumerate() {
        if members.is_empty() {
            continue;
        }
        let fixed = uf.pin[r].map_or(FREE, |p| fixed_part(p.0));
        if members.len() as u32 <= cap {
            let node = node_weight.len() as u32;
            for &m in members {
                node_of[m as usize] = node;
            }
            node_weight.push(members.len() as u32);
            node_fixed.push(fixed);
            continue;
        }
        let parts = split_cluster(&input, users, &local, members, &pins, cap, s);
        let first = node_weight.len() as u32;
        let count = parts.iter().map(|&p| p + 1).max().unwrap_or(0);
        for p in 0..count {
            let w = members.iter().zip(&parts).filter(|&(_, &q)| q == p).count() as u32;
            node_weight.push(w);
            // The part holding the pinned users keeps the pin.
            let pinned_here = members
                .iter()
                .zip(&parts)
                .any(|(&m, &q)| q == p && pins[m as usize].is_some());
            node_fixed.push(if pinned_here { fixed } else { FREE });
        }
        for (&m, &p) in members.iter().zip(&parts) {
            node_of[m as usize] = first + p;
        }
        split_clusters.push((members.clone(), (first..first + count).collect()));
    }

    // The graph of nodes: pairs and groups among the users to move.
    let hg = node_graph(&input, users, &local, &node_of, node_weight, node_fixed);
    let seed = s.waves.seed.unwrap_or(1);
    let part = partition::partition(&hg, partition::Options { cap, seed });

    // Parts to wave numbers: pinned parts keep their wave; the others in the chosen order.
    let parts = part.iter().map(|&p| p as usize + 1).max().unwrap_or(0);
    let user_part: Vec<u32> = node_of.iter().map(|&nd| part[nd as usize]).collect();
    // Wave of each object: the pilot is wave 0; parts are numbered after ordering, below.
    let mut wave_of_part = vec![NONE; parts];
    for (i, &w) in pin_waves.iter().enumerate() {
        if i < parts {
            wave_of_part[i] = w;
        }
    }
    let order = wave_order(s);
    // Each planned user's label: its part, or the pilot's. A part is one wave, so the counts
    // by label are the counts by wave; only the wave numbers named are mapped, below.
    let mut label = vec![NONE; n];
    for &p in &input.pilot {
        label[p.index()] = PILOT;
    }
    for (i, &u) in users.iter().enumerate() {
        label[u.index()] = user_part[i];
    }
    let mut stats = user_stats(&input, &label);
    // Where each planned user's figures are in `stats`.
    let mut stat_of = vec![NONE; n];
    for (k, &u) in input.pilot.iter().chain(users).enumerate() {
        stat_of[u.index()] = k as u32;
    }
    let mut part_weight_across = vec![0u64; parts];
    let mut part_size = vec![0u64; parts];
    for (i, &u) in users.iter().enumerate() {
        let p = user_part[i] as usize;
        part_weight_across[p] += stats[stat_of[u.index()] as usize].weight_elsewhere;
        part_size[p] += 1;
    }
    let mut ordered: Vec<u32> = (pin_waves.len() as u32..parts as u32).collect();
    let department_rank = |p: u32| -> usize {
        match &order {
            WaveOrder::FewestDependencies => 0,
            WaveOrder::Departments(list) => majority_department(dir, users, &user_part, p)
                .and_then(|d| list.iter().position(|x| x.trim().eq_ignore_ascii_case(&d)))
                .unwrap_or(list.len()),
        }
    };
    ordered.sort_by_cached_key(|&p| {
        (
            department_rank(p),
            part_weight_across[p as usize],
            std::cmp::Reverse(part_size[p as usize]),
            p,
        )
    });
    let mut next = 1u32;
    for p in ordered {
        while pin_waves.binary_search(&next).is_ok() {
            next += 1;
        }
        wave_of_part[p as usize] = next;
        next += 1;
    }
    let wave_of_label = |l: u32| {
        if l == PILOT {
            0
        } else {
            wave_of_part[l as usize]
        }
    };
    for st in &mut stats {
        for (_, e) in &mut st.first {
            e.wave = wave_of_label(e.wave);
        }
    }

    // Waves in number order, users by SIP address.
    let mut numbers: Vec<u32> = wave_of_part
        .iter()
        .copied()
        .filter(|&w| w != NONE)
        .collect();
    numbers.sort_unstable();
    let mut members: Vec<Vec<ObjectId>> = vec![input.pilot.clone()];
    let mut index_of_wave = std::collections::HashMap::new();
    for (i, &w) in numbers.iter().enumerate() {
        index_of_wave.insert(w, i + 1);
        members.push(Vec::new());
    }
    for (i, &u) in users.iter().enumerate() {
        let w = wave_of_part[user_part[i] as usize];
        members[index_of_wave[&w]].push(u);
    }
    let sip_key = |o: &ObjectId| (dir.value(*o, Attr::SipAddress).map(str::to_lowercase), *o);
    members
        .par_iter_mut()
        .for_each(|m| m.sort_by_cached_key(sip_key));
    let wave_numbers: Vec<u32> = std::iter::once(0).chain(numbers.iter().copied()).collect();

    let delegate_partner = delegate_partners(&input, &label);
    let mut waves_out = Vec::with_capacity(members.len());
    let (mut pairs, mut pairs_split, mut weight, mut weight_split) = (0u64, 0u64, 0u64, 0u64);
    for (idx, m) in members.iter().enumerate() {
        let number = wave_numbers[idx];
        let mut wave = Wave {
            number,
            week: s
                .waves
                .per_week
                .filter(|&k| k > 0 && number > 0)
                .map(|k| (number - 1) / k + 1),
            users: Vec::with_capacity(m.len()),
            pairs_across: 0,
            weight_across: 0,
            broken_by_unsynced: 0,
        };
        for &u in m {
            let st = &stats[stat_of[u.index()] as usize];
            wave.pairs_across += st.elsewhere as u64;
            wave.weight_across += st.weight_elsewhere;
            wave.broken_by_unsynced += st.unsynced as u64;
            pairs += st.dependents as u64;
            pairs_split += st.elsewhere as u64;
            weight += st.weight_all;
            weight_split += st.weight_elsewhere;
            let l = local[u.index()];
            let reason = if number == 0 {
                WaveReason::Pilot
            } else if let Some((_, pin)) = (l != NONE).then(|| pins[l as usize]).flatten() {
                WaveReason::Pinned { pin }
            } else if let Some(p) = delegate_partner[u.index()] {
                WaveReason::DelegateOf { user: ObjRef(p.0) }
            } else if st.dependents > 0 {
                WaveReason::Dependents {
                    here: st.dependents - st.elsewhere,
                    dependents: st.dependents,
                }
            } else {
                WaveReason::NoDependents
            };
            wave.users.push(WaveUser {
                user: ObjRef(u.0),
                reason,
                dependents: st.dependents,
                elsewhere: st.elsewhere,
                elsewhere_first: st.strongest(),
            });
        }
        waves_out.push(wave);
    }
    // Delegate pairs split: by an oversized cluster, by two pins, or by the pilot.
    let split_delegates: Vec<(ObjectId, ObjectId)> = input
        .delegates
        .iter()
        .copied()
        .filter(|(a, b)| {
            let (x, y) = (label[a.index()], label[b.index()]);
            x != NONE && y != NONE && x != y
        })
        .collect();
    let split_clusters = split_clusters
        .into_iter()
        .map(|(us, nodes)| {
            let mut ws: Vec<u32> = nodes
                .iter()
                .map(|&nd| wave_of_part[part[nd as usize] as usize])
                .collect();
            ws.sort_unstable();
            ws.dedup();
            let in_cluster: std::collections::HashSet<ObjectId> =
                us.iter().map(|&i| users[i as usize]).collect();
            let split = input
                .delegates
                .iter()
                .filter(|(a, b)| {
                    in_cluster.contains(a)
                        && in_cluster.contains(b)
                        && label[a.index()] != label[b.index()]
                })
                .count() as u64;
            SplitCluster {
                users: us.len() as u64,
                waves: ws,
                delegate_pairs_split: split,
                example: ObjRef(users[us[0] as usize].0),
            }
        })
        .collect();
    let waves = Waves {
        size: cap as u64,
        waves: waves_out,
        kept: input.kept,
        already_online: input.already_online,
        order,
        per_week: s.waves.per_week.filter(|&k| k > 0),
        start: s.waves.start.clone(),
        pairs: pairs / 2,
        pairs_split: pairs_split / 2,
        weight: weight / 2,
        weight_split: weight_split / 2,
        delegate_pairs_split: split_delegates.len() as u64,
        split_clusters,
        moves: move_settings(&input, s),
    };
    Ok(Plan {
        waves,
        members,
        split_delegates,
    })
}

/// `waves.order` as data.
fn wave_order(s: &Scenario) -> WaveOrder {
    match s.waves.order {
        Some(OrderBy::Departments) => {
            WaveOrder::Departments(s.waves.departments.clone().unwrap_or_default())
        }
        Some(OrderBy::FewestDependencies) | None => WaveOrder::FewestDependencies,
    }
}

/// Checks the wave settings and `waves.start` before anything is planned (`waves.order` is
/// checked when the scenario is read).
pub fn check_settings(s: &Scenario) -> Result<(), ScenarioRefError> {
    let w = &s.waves;
    let out_of_range = |key: &str, value: String, range: &str| ScenarioRefError {
        key: key.into(),
        value,
        problem: format!("expected a whole number {range}"),
    };
    if w.size == 0 {
        return Err(out_of_range(
            "waves.size",
            "0".into(),
            "of users per wave, 1 or more",
        ));
    }
    for (key, value, lo, hi) in [
        ("waves.per_week", w.per_week, 1, u32::MAX),
        ("waves.parallel", w.parallel, 1, 100),
        ("waves.retries", w.retries, 0, 10),
    ] {
        if let Some(v) = value.filter(|v| !(lo..=hi).contains(v)) {
            let range = if hi == u32::MAX {
                format!("of {lo} or more")
            } else {
                format!("from {lo} to {hi}")
            };
            return Err(out_of_range(key, v.to_string(), &range));
        }
    }
    if let Some(d) = &s.waves.start
        && hybridready_assessment::Date::parse_iso(d).is_none()
    {
        return Err(ScenarioRefError {
            key: "waves.start".into(),
            value: d.clone(),
            problem: "expected a date as YYYY-MM-DD".into(),
        });
    }
    Ok(())
}

/// The move settings of the scripts.
fn move_settings(input: &PlanInput, s: &Scenario) -> MoveSettings {
    let dir = input.dir;
    let registrar_pool = s.waves.registrar_pool.clone().or_else(|| {
        // The pool every user to move is homed on, when the exports say and they all agree.
        let mut pools = input
            .to_move
            .iter()
            .chain(&input.pilot)
            .map(|&u| dir.value(u, Attr::RegistrarPool).map(str::trim));
        let first = pools.next().flatten()?.to_string();
        pools
            .all(|p| p.is_some_and(|p| p.eq_ignore_ascii_case(&first)))
            .then_some(first)
    });
    MoveSettings {
        target: s
            .federation
            .hosting_provider
            .clone()
            .filter(|h| !h.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_TARGET.into()),
        use_oauth: input.needs_oauth,
        override_url: s.waves.hosted_migration_override_url.clone(),
        force: s.pilot.force == Some(true),
        parallel: s.waves.parallel.unwrap_or(25).max(1),
        retries: s.waves.retries.unwrap_or(3),
        registrar_pool,
    }
}

/// The pin of each user to move: `(wave, index of the pin in the scenario)`.
fn pinned(
    input: &PlanInput,
    s: &Scenario,
    local: &[u32],
    cap: u32,
) -> Result<Vec<Option<(u32, u32)>>, ScenarioRefError> {
    let dir = input.dir;
    let mut pins: Vec<Option<(u32, u32)>> = vec![None; input.to_move.len()];
    let mut per_wave: std::collections::BTreeMap<u32, u32> = Default::default();
    for (i, pin) in s.waves.pin.iter().flatten().enumerate() {
        if pin.wave == 0 {
            return Err(ScenarioRefError {
                key: "waves.pin".into(),
                value: "wave = 0".into(),
                problem: "wave 0 is the pilot (set it with [pilot]); pins start at wave 1".into(),
            });
        }
        let mut users: Vec<ObjectId> = Vec::new();
        for u in pin.users.iter().flatten() {
            let o = resolve_identity(dir, input.ids, u)
                .filter(|&o| dir.kind(o) == ObjectKind::User)
                .ok_or_else(|| ScenarioRefError {
                    key: "waves.pin.users".into(),
                    value: u.clone(),
                    problem: "no user of the inputs has this identity".into(),
                })?;
            users.push(o);
        }
        for g in pin.groups.iter().flatten() {
            let o = resolve_identity(dir, input.ids, g)
                .filter(|&o| dir.kind(o) == ObjectKind::Group)
                .ok_or_else(|| ScenarioRefError {
                    key: "waves.pin.groups".into(),
                    value: g.clone(),
                    problem: "no group of the inputs has this DN or name".into(),
                })?;
            users.extend(dir.members_of(o).iter().copied());
        }
        for ou in pin.ous.iter().flatten() {
            let c = resolve_container(dir, "waves.pin.ous", ou)?;
            users.extend(
                input
                    .to_move
                    .iter()
                    .copied()
                    .filter(|&o| dir.is_under(o, c)),
            );
        }
        for o in users {
            let l = local[o.index()];
            // Users not to move (pilot, kept, blocked, online) are not pinned; the first pin of a
            // user wins.
            if l != NONE && pins[l as usize].is_none() {
                pins[l as usize] = Some((pin.wave, i as u32));
                *per_wave.entry(pin.wave).or_default() += 1;
            }
        }
    }
    if let Some((wave, count)) = per_wave.into_iter().find(|&(_, c)| c > cap) {
        return Err(ScenarioRefError {
            key: "waves.pin".into(),
            value: format!("wave = {wave}"),
            problem: format!(
                "{count} users are pinned to this wave, more than waves.size ({cap}); raise the size or pin fewer"
            ),
        });
    }
    Ok(pins)
}

/// Splits a delegate cluster larger than a wave into as few and as cohesive parts as it can:
/// the cluster's own graph partitioned under the wave size.
fn split_cluster(
    input: &PlanInput,
    users: &[ObjectId],
    local: &[u32],
    members: &[u32],
    pins: &[Option<(u32, u32)>],
    cap: u32,
    s: &Scenario,
) -> Vec<u32> {
    let mut sub = vec![NONE; users.len()];
    for (i, &m) in members.iter().enumerate() {
        sub[m as usize] = i as u32;
    }
    let fixed: Vec<u32> = members
        .iter()
        .map(|&m| if pins[m as usize].is_some() { 0 } else { FREE })
        .collect();
    let mut pairs = Vec::new();
    for (i, &m) in members.iter().enumerate() {
        let u = users[m as usize];
        for (p, k) in input.graph.pairs_of(u) {
            let l = local[p.index()];
            if l != NONE && sub[l as usize] != NONE {
                pairs.push((i as u32, sub[l as usize], pair_weight(k)));
            }
        }
    }
    let g = Hypergraph::new(vec![1; members.len()], fixed, pairs, Vec::new());
    partition::partition(
        &g,
        partition::Options {
            cap,
            seed: s.waves.seed.unwrap_or(1),
        },
    )
}

/// The weight of a pair (its group kind aside: groups are hyperedges).
fn pair_weight(k: Dependencies) -> u32 {
    k.iter()
        .filter(|&d| d != Dependency::Group)
        .map(|d| dependency::weight(d, 0))
        .sum()
}

/// The partitioner's graph: one node per cluster, pairs and small groups between them.
fn node_graph(
    input: &PlanInput,
    users: &[ObjectId],
    local: &[u32],
    node_of: &[u32],
    node_weight: Vec<u32>,
    node_fixed: Vec<u32>,
) -> Hypergraph {
    let g = input.graph;
    let dir = input.dir;
    let pairs: Vec<(u32, u32, u32)> = users
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, &u)| {
            let a = node_of[i];
            g.pairs_of(u).filter_map(move |(p, k)| {
                let l = local[p.index()];
                (l != NONE && (l as usize) > i).then(|| (a, node_of[l as usize], pair_weight(k)))
            })
        })
        .collect();
    let mut seen = vec![false; dir.len()];
    let mut groups: Vec<ObjectId> = Vec::new();
    for &u in users {
        for gr in g.groups_of(u) {
            if !seen[gr.index()] {
                seen[gr.index()] = true;
                groups.push(gr);
            }
        }
    }
    let hyper: Vec<(Vec<u32>, u32)> = groups
        .par_iter()
        .filter_map(|&gr| {
            let members: Vec<u32> = g
                .user_members_of(gr)
                .iter()
                .filter_map(|m| {
                    let l = local[m.index()];
                    (l != NONE).then(|| node_of[l as usize])
                })
                .collect();
            (members.len() >= 2).then(|| (members, g.group_pair_weight(gr)))
        })
        .collect();
    Hypergraph::new(node_weight, node_fixed, pairs, hyper)
}

/// One planned user's dependents.
#[derive(Clone, Debug, Default)]
struct UserStats {
    dependents: u32,
    elsewhere: u32,
    weight_all: u64,
    weight_elsewhere: u64,
    unsynced: u32,
    /// The strongest dependents elsewhere (at most [`ELSEWHERE_KEPT`]), with their weights.
    first: Vec<(u64, Elsewhere)>,
    /// The least weight in `first` once it is full.
    weakest: u64,
}

impl UserStats {
    /// Keeps `e` if it is among the strongest dependents elsewhere seen so far.
    fn keep(&mut self, w: u64, e: Elsewhere) {
        if self.first.len() < ELSEWHERE_KEPT {
            self.first.push((w, e));
            if self.first.len() == ELSEWHERE_KEPT {
                self.weakest = self.first.iter().map(|f| f.0).min().unwrap_or(0);
            }
        } else if w <= self.weakest {
            // Most dependents elsewhere are no stronger than those kept: nothing to scan.
        } else if let Some(weakest) = self
            .first
            .iter_mut()
            .min_by_key(|(w, e)| (*w, std::cmp::Reverse(e.user.0)))
            .filter(|(weakest, _)| *weakest < w)
        {
            *weakest = (w, e);
            self.weakest = self.first.iter().map(|f| f.0).min().unwrap_or(0);
        }
    }

    /// The dependents elsewhere kept, strongest first.
    fn strongest(&self) -> Vec<Elsewhere> {
        let mut v = self.first.clone();
        v.sort_by_key(|(w, e)| (std::cmp::Reverse(*w), e.user.0));
        v.into_iter().map(|(_, e)| e).collect()
    }
}

/// For every planned user (`label[u] != NONE`: its wave or part): dependents among the planned
/// users, those with another label, their weights, and its partners left unsynchronised.
/// In the order of the pilot, then the users to move.
fn user_stats(input: &PlanInput, label: &[u32]) -> Vec<UserStats> {
    let planned: Vec<ObjectId> = input.pilot.iter().chain(&input.to_move).copied().collect();
    // One scratch per rayon job, not per chunk: each holds a slot per directory object, and
    // a fresh one per chunk was a gigabyte of page clearing at a million users.
    planned
        .par_chunks(4096)
        .with_min_len(planned.len() / 4096 / 8 + 1)
        .map_init(Scratch::default, |scratch, chunk| {
            chunk
                .iter()
                .map(|&u| {
                    let mine = label[u.index()];
                    let mut st = UserStats::default();
                    input.graph.for_each_dependent(u, scratch, |p, w, k| {
                        let theirs = label[p.index()];
                        if input.state[p.index()] == SfbState::OnpremUnsynced {
                            st.unsynced += 1;
                        }
                        if theirs == NONE {
                            return;
                        }
                        st.dependents += 1;
                        st.weight_all += w;
                        if theirs != mine {
                            st.elsewhere += 1;
                            st.weight_elsewhere += w;
                            st.keep(
                                w,
                                Elsewhere {
                                    user: ObjRef(p.0),
                                    wave: theirs,
                                    kinds: k,
                                },
                            );
                        }
                    });
                    st
                })
                .collect::<Vec<_>>()
        })
        .flatten_iter()
        .collect()
}

/// For each planned user, a delegate partner in the same wave, if any.
fn delegate_partners(input: &PlanInput, label: &[u32]) -> Vec<Option<ObjectId>> {
    // Indexed by object: every planned user has a label, so only theirs are filled.
    let mut out = vec![None; input.dir.len()];
    for &(a, b) in input.delegates {
        let (x, y) = (label[a.index()], label[b.index()]);
        if x == NONE || x != y {
            continue;
        }
        for (u, p) in [(a, b), (b, a)] {
            out[u.index()].get_or_insert(p);
        }
    }
    out
}

/// The department most users of part `p` belong to.
fn majority_department(
    dir: &Directory,
    users: &[ObjectId],
    user_part: &[u32],
    p: u32,
) -> Option<String> {
    let mut count: std::collections::BTreeMap<String, u32> = Default::default();
    for (i, &u) in users.iter().enumerate() {
        if user_part[i] == p
            && let Some(d) = dir.value(u, Attr::Department)
        {
            *count.entry(d.trim().to_lowercase()).or_default() += 1;
        }
    }
    count
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|x| x.0)
}

/// Union-find with path halving; each set carries the pin of its members (at most one wave).
struct UnionFind {
    parent: Vec<u32>,
    pin: Vec<Option<(u32, u32)>>,
}

impl UnionFind {
    fn new(pins: &[Option<(u32, u32)>]) -> UnionFind {
        UnionFind {
            parent: (0..pins.len() as u32).collect(),
            pin: pins.to_vec(),
        }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            let grand = self.parent[self.parent[x] as usize];
            self.parent[x] = grand;
            x = grand as usize;
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (keep, gone) = (ra.min(rb), ra.max(rb));
            self.parent[gone] = keep as u32;
            self.pin[keep] = self.pin[keep].or(self.pin[gone]);
        }
    }
}

/// The place of each object in a depth-first walk of the manager forest (managers before
/// their reports, a report's own reports before the next report, in directory order): people
/// who work together come close. Objects in a manager cycle follow, from their lowest number.
/// Iterative: a chain of a million managers is a long walk, not a deep stack.
fn manager_tree_order(dir: &Directory) -> Vec<u32> {
    let n = dir.len();
    let manager = |i: usize| dir.manager_of(ObjectId(i as u32));
    // Reports of each manager, as a CSR.
    let mut start = vec![0u32; n + 1];
    for i in 0..n {
        if let Some(m) = manager(i) {
            start[m.index() + 1] += 1;
        }
    }
    for i in 1..=n {
        start[i] += start[i - 1];
    }
    let mut fill = start.clone();
    let mut reports = vec![0u32; start[n] as usize];
    for i in 0..n {
        if let Some(m) = manager(i) {
            reports[fill[m.index()] as usize] = i as u32;
            fill[m.index()] += 1;
        }
    }
    let mut place = vec![NONE; n];
    let mut next = 0u32;
    let mut stack: Vec<u32> = Vec::new();
    let roots = (0..n).filter(|&i| manager(i).is_none());
    for root in roots.chain(0..n) {
        if place[root] != NONE {
            continue;
        }
        stack.push(root as u32);
        while let Some(v) = stack.pop() {
            let v = v as usize;
            if place[v] != NONE {
                continue;
            }
            place[v] = next;
            next += 1;
            let mine = &reports[start[v] as usize..start[v + 1] as usize];
            stack.extend(mine.iter().rev().filter(|&&r| place[r as usize] == NONE));
        }
    }
    place
}

/// Measures of a plan against other ways to cut the same users, for the benches and tests that
/// compare the planner with METIS and with chunks by OU. Planning never calls these: they
/// expand groups into their pairs.
pub mod measure {
    use super::*;

    /// The dependent pairs among `users` (indices into `users`), each once, with its weight;
    /// groups expanded into their pairs.
    pub fn expanded_pairs(graph: &DependencyGraph, users: &[ObjectId]) -> Vec<(u32, u32, u64)> {
        let n = graph.directory().len();
        let mut local = vec![NONE; n];
        for (i, u) in users.iter().enumerate() {
            local[u.index()] = i as u32;
        }
        users
            .par_chunks(4096)
            .enumerate()
            .map_init(Scratch::default, |scratch, (c, chunk)| {
                let mut out = Vec::new();
                for (j, &u) in chunk.iter().enumerate() {
                    let i = (c * 4096 + j) as u32;
                    graph.for_each_dependent(u, scratch, |p, w, _| {
                        let l = local[p.index()];
                        if l != NONE && l > i {
                            out.push((i, l, w));
                        }
                    });
                }
                out
            })
            .flatten_iter()
            .collect()
    }

    /// Pairs split by an assignment (a label per user), and their weight.
    pub fn split(pairs: &[(u32, u32, u64)], label: &[u32]) -> (u64, u64) {
        pairs
            .iter()
            .filter(|&&(a, b, _)| label[a as usize] != label[b as usize])
            .fold((0, 0), |(n, w), &(_, _, x)| (n + 1, w + x))
    }

    /// The simple plan this planner replaced: users sorted by domain, OU and SIP address, cut
    /// into chunks of `size`.
    pub fn chunks_by_ou(dir: &Directory, users: &[ObjectId], size: usize) -> Vec<u32> {
        let mut order: Vec<usize> = (0..users.len()).collect();
        order.sort_by_cached_key(|&i| {
            let o = users[i];
            (
                dir.domain_of(o).map(|d| dir.domain(d).name.clone()),
                dir.container_of(o)
                    .map(|c| dir.dns().display(c).to_ascii_lowercase()),
                dir.value(o, Attr::SipAddress).map(str::to_ascii_lowercase),
                o,
            )
        });
        let mut label = vec![0u32; users.len()];
        for (k, &i) in order.iter().enumerate() {
            label[i] = (k / size.max(1)) as u32;
        }
        label
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(edit: impl FnOnce(&mut Scenario)) -> Result<(), String> {
        let mut s = Scenario::default();
        edit(&mut s);
        check_settings(&s).map_err(|e| e.to_string())
    }

    #[test]
    fn wave_numbers_out_of_range_are_refused_with_the_range() {
        assert_eq!(check(|_| {}), Ok(()));
        assert_eq!(
            check(|s| s.waves.size = 0),
            Err("waves.size = \"0\": expected a whole number of users per wave, 1 or more".into())
        );
        assert_eq!(
            check(|s| s.waves.parallel = Some(0)),
            Err("waves.parallel = \"0\": expected a whole number from 1 to 100".into())
        );
        assert_eq!(
            check(|s| s.waves.retries = Some(11)),
            Err("waves.retries = \"11\": expected a whole number from 0 to 10".into())
        );
        assert_eq!(
            check(|s| s.waves.per_week = Some(0)),
            Err("waves.per_week = \"0\": expected a whole number of 1 or more".into())
        );
        assert!(check(|s| s.waves.start = Some("2027-02-30".into())).is_err());
    }
}
