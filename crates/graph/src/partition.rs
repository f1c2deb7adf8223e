//! Bounded partitioning: nodes with weights (users per node) into parts of at most `cap`,
//! cutting as little edge weight as it can. The wave planner's engine.
//!
//! A multilevel scheme in the manner of KaHIP's fast modes (Meyerhenke, Sanders, Schulz,
//! "Partitioning complex networks via size-constrained clustering", 2014):
//! 1. **Coarsening** by size-constrained label propagation: each node joins the cluster it is
//!    most connected to while the cluster stays under a quarter of `cap`; clusters become the
//!    nodes of the next level, until a level stops shrinking.
//! 2. **Initial partition** of the coarsest level by greedy growing: a part takes the node most
//!    connected to it while it fits, then the heaviest node that still fits.
//! 3. **Refinement** at every level, coarsest first: label propagation over parts, moving a
//!    node to the part it is most connected to when that part has room; on small graphs then
//!    Fiduccia–Mattheyses passes, which also take losing moves to leave a local minimum.
//!
//! Pairs are weighted edges. Groups are hyperedges whose pairs are never enumerated: a node's
//! connection to a part through a hyperedge is the hyperedge's pair weight times the members
//! it has there. Fixed nodes (pinned users) never move; others may join their part. Every step
//! checks `cap`, so no part ever exceeds it unless a single node does. The order of visits comes
//! from `seed`: the same seed, the same parts, whatever the number of threads.
//!
//! Node numbers are expected to carry locality (people who work together numbered close, as
//! the planner's walk of the manager tree does): visits go through the nodes in runs of
//! [`VISIT_RUN`] consecutive numbers, shuffled only within a run, so what a visit reads is
//! mostly in cache (half the time of a fully shuffled order at a million users, cuts alike),
//! and clustering works on blocks of consecutive nodes in parallel, each blind to the others
//! (the next level joins across blocks).

use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Range;

/// A node that may go to any part.
pub const FREE: u32 = u32::MAX;

/// A graph to partition.
#[derive(Clone, Debug, Default)]
pub struct Hypergraph {
    node_weight: Vec<u32>,
    /// The part of each fixed node (`0..fixed_parts`), or [`FREE`].
    fixed: Vec<u32>,
    adj_start: Vec<u32>,
    /// `(neighbour, weight)`, both directions.
    adj: Vec<(u32, u32)>,
    he_start: Vec<u32>,
    /// `(node, multiplicity)`: how many of the hyperedge's members a node stands for.
    pins: Vec<(u32, u32)>,
    /// Weight of one pair of members.
    he_weight: Vec<u32>,
    inc_start: Vec<u32>,
    /// `(hyperedge, multiplicity of the node in it)`.
    inc: Vec<(u32, u32)>,
}

impl Hypergraph {
    /// `pairs`: `(a, b, weight)`, any order, duplicates summed, self-pairs ignored.
    /// `hyperedges`: members (a node may repeat: its multiplicity) and the weight of one pair.
    pub fn new(
        node_weight: Vec<u32>,
        fixed: Vec<u32>,
        pairs: impl IntoIterator<Item = (u32, u32, u32)>,
        hyperedges: impl IntoIterator<Item = (Vec<u32>, u32)>,
    ) -> Hypergraph {
        let pairs = pairs.into_iter();
        let mut directed: Vec<(u32, u32, u32)> = Vec::with_capacity(2 * pairs.size_hint().0);
        for (a, b, w) in pairs {
            if a != b {
                directed.push((a, b, w));
                directed.push((b, a, w));
            }
        }
        let hyperedges = hyperedges
            .into_iter()
            .map(|(members, w)| (members.into_iter().map(|m| (m, 1)).collect(), w));
        Hypergraph::assemble(node_weight, fixed, directed, hyperedges)
    }

    /// The graph of directed edges (both directions given, repeats summed) and hyperedges
    /// given as `(node, multiplicity)` in any order; a hyperedge left with fewer than two
    /// distinct nodes ties nothing and is dropped.
    fn assemble(
        node_weight: Vec<u32>,
        fixed: Vec<u32>,
        directed: Vec<(u32, u32, u32)>,
        hyperedges: impl IntoIterator<Item = (Vec<(u32, u32)>, u32)>,
    ) -> Hypergraph {
        let n = node_weight.len();
        let (adj_start, adj) = csr_summed(n, directed);
        let mut he_start = vec![0u32];
        let mut pins: Vec<(u32, u32)> = Vec::new();
        let mut he_weight = Vec::new();
        for (mut members, w) in hyperedges {
            members.sort_unstable();
            let start = pins.len();
            for (node, mult) in members {
                if pins.len() > start
                    && let Some(last) = pins.last_mut()
                    && last.0 == node
                {
                    last.1 += mult;
                } else {
                    pins.push((node, mult));
                }
            }
            if pins.len() - start < 2 {
                pins.truncate(start);
                continue;
            }
            he_weight.push(w);
            he_start.push(pins.len() as u32);
        }
        let (inc_start, inc) = incidence(n, &he_start, &pins);
        Hypergraph {
            node_weight,
            fixed,
            adj_start,
            adj,
            he_start,
            pins,
            he_weight,
            inc_start,
            inc,
        }
    }

    pub fn len(&self) -> usize {
        self.node_weight.len()
    }
    /// Nodes, pairs and pins: what a sweep over the graph walks.
    fn size(&self) -> usize {
        self.len() + self.adj.len() / 2 + self.pins.len()
    }
    pub fn is_empty(&self) -> bool {
        self.node_weight.is_empty()
    }
    pub fn weight(&self, v: u32) -> u32 {
        self.node_weight[v as usize]
    }

    fn neighbours(&self, v: u32) -> &[(u32, u32)] {
        let v = v as usize;
        &self.adj[self.adj_start[v] as usize..self.adj_start[v + 1] as usize]
    }
    fn incident(&self, v: u32) -> &[(u32, u32)] {
        let v = v as usize;
        &self.inc[self.inc_start[v] as usize..self.inc_start[v + 1] as usize]
    }
    fn pins_of(&self, h: u32) -> &[(u32, u32)] {
        let h = h as usize;
        &self.pins[self.he_start[h] as usize..self.he_start[h + 1] as usize]
    }

    /// Adds `v`'s connection to each label of its neighbours into `conn`, noting touched labels:
    /// through pairs one by one, through hyperedges by the counts of their pins per label.
    fn connect(&self, v: u32, label: &[u32], counts: &PinCounts, conn: &mut Conn) {
        for &(u, w) in self.neighbours(v) {
            conn.add(label[u as usize], w as u64);
        }
        let own = label[v as usize];
        for &(h, mv) in self.incident(v) {
            let wh = self.he_weight[h as usize] as u64 * mv as u64;
            for &(l, c) in counts.of(h) {
                let others = if l == own { c - mv } else { c };
                if others > 0 {
                    conn.add(l, wh * others as u64);
                }
            }
        }
    }

    /// Like [`Hypergraph::connect`] for the nodes of `block` only (`label` indexed from its
    /// start), walking each hyperedge's members: cheaper while most members are in labels of
    /// their own (clustering), where counts per label would be as long as the hyperedges and
    /// costly to keep up. Long hyperedges are sampled ([`Hypergraph::sampled_pins`]): the
    /// long groups were a quarter of the time of clustering.
    fn connect_within(&self, v: u32, block: &Range<u32>, label: &[u32], conn: &mut Conn) {
        let local = |u: u32| {
            block
                .contains(&u)
                .then(|| label[(u - block.start) as usize])
        };
        for &(u, w) in self.neighbours(v) {
            if let Some(l) = local(u) {
                conn.add(l, w as u64);
            }
        }
        for &(h, mv) in self.incident(v) {
            for (u, w) in self.sampled_pins(v, h, mv) {
                if let Some(l) = local(u) {
                    conn.add(l, w);
                }
            }
        }
    }

    /// The other members of hyperedge `h` (`v` taking part `mv` times) with the weight of their
    /// tie to `v`. Of a hyperedge with more than [`CLUSTER_SAMPLE`] other members, a run of
    /// that many from a place drawn from `v` and `h` stands for all of them, its weight scaled
    /// up: what needs the strongest ties, not their exact weights, then reads a few members
    /// where it would read them all for every member (a cost quadratic in the hyperedge).
    fn sampled_pins(&self, v: u32, h: u32, mv: u32) -> impl Iterator<Item = (u32, u64)> + '_ {
        let wh = self.he_weight[h as usize] as u64 * mv as u64;
        let pins = self.pins_of(h);
        let others = pins.len() - 1;
        let (start, take, scale) = if others > CLUSTER_SAMPLE {
            let mut x = u64::from(v).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ u64::from(h).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            x ^= x >> 29;
            let scaled = wh * others as u64 / CLUSTER_SAMPLE as u64;
            ((x % pins.len() as u64) as usize, CLUSTER_SAMPLE, scaled)
        } else {
            (0, others, wh)
        };
        pins[start..]
            .iter()
            .chain(&pins[..start])
            .filter(move |&&(u, _)| u != v)
            .take(take)
            .map(move |&(u, mu)| (u, scale * mu as u64))
    }

    /// Marks the neighbours of `v` (through pairs and hyperedges) to be looked at again.
    fn wake(&self, v: u32, active: &mut [bool]) {
        for &(u, _) in self.neighbours(v) {
            active[u as usize] = true;
        }
        for &(h, _) in self.incident(v) {
            for &(u, _) in self.pins_of(h) {
                active[u as usize] = true;
            }
        }
    }

    /// The weight of all ties: every pair, and every pair of members of each hyperedge.
    fn total_weight(&self) -> u64 {
        let pairs: u64 = self.adj.iter().map(|&(_, w)| u64::from(w)).sum::<u64>() / 2;
        let hyper: u64 = (0..self.he_weight.len() as u32)
            .map(|h| {
                let (sum, squares) = self
                    .pins_of(h)
                    .iter()
                    .fold((0u64, 0u64), |(s, q), &(_, m)| {
                        (s + u64::from(m), q + u64::from(m) * u64::from(m))
                    });
                u64::from(self.he_weight[h as usize]) * ((sum * sum - squares) / 2)
            })
            .sum();
        pairs + hyper
    }

    /// The weight of what `part` cuts: pairs across parts, and for each hyperedge the pairs of
    /// members in different parts.
    pub fn cut(&self, part: &[u32]) -> u64 {
        let mut cut = 0u64;
        for v in 0..self.len() as u32 {
            for &(u, w) in self.neighbours(v) {
                if u > v && part[u as usize] != part[v as usize] {
                    cut += w as u64;
                }
            }
        }
        let mut per_part: Vec<(u32, u64)> = Vec::new();
        for h in 0..self.he_weight.len() as u32 {
            per_part.clear();
            let mut total = 0u64;
            for &(u, m) in self.pins_of(h) {
                total += m as u64;
                let p = part[u as usize];
                match per_part.iter_mut().find(|x| x.0 == p) {
                    Some(x) => x.1 += m as u64,
                    None => per_part.push((p, m as u64)),
                }
            }
            let same: u64 = per_part.iter().map(|&(_, c)| c * (c - 1) / 2).sum();
            let all = total * (total - 1) / 2;
            cut += (all - same) * self.he_weight[h as usize] as u64;
        }
        cut
    }

    /// The coarser graph whose node `c` is the cluster `cluster[v] == c` (`0..clusters`).
    fn contract(&self, cluster: &[u32], clusters: usize) -> Hypergraph {
        let mut node_weight = vec![0u32; clusters];
        let mut fixed = vec![FREE; clusters];
        for (v, &c) in cluster.iter().enumerate() {
            let c = c as usize;
            node_weight[c] += self.node_weight[v];
            if self.fixed[v] != FREE {
                fixed[c] = self.fixed[v];
            }
        }
        let mut directed = Vec::with_capacity(self.adj.len());
        for v in 0..self.len() as u32 {
            let cv = cluster[v as usize];
            for &(u, w) in self.neighbours(v) {
                let cu = cluster[u as usize];
                if cu != cv {
                    directed.push((cv, cu, w));
                }
            }
        }
        let hyperedges = (0..self.he_weight.len() as u32).map(|h| {
            let members = self
                .pins_of(h)
                .iter()
                .map(|&(u, m)| (cluster[u as usize], m))
                .collect();
            (members, self.he_weight[h as usize])
        });
        Hypergraph::assemble(node_weight, fixed, directed, hyperedges)
    }
}

/// A CSR of `(from, to, weight)` with the weights of repeated edges summed.
fn csr_summed(n: usize, mut directed: Vec<(u32, u32, u32)>) -> (Vec<u32>, Vec<(u32, u32)>) {
    directed.par_sort_unstable_by_key(|&(a, b, _)| (a, b));
    let mut start = vec![0u32; n + 1];
    let mut adj: Vec<(u32, u32)> = Vec::with_capacity(directed.len());
    let mut last: Option<(u32, u32)> = None;
    for (a, b, w) in directed {
        if last == Some((a, b)) {
            if let Some(e) = adj.last_mut() {
                e.1 = e.1.saturating_add(w);
            }
            continue;
        }
        last = Some((a, b));
        adj.push((b, w));
        start[a as usize + 1] += 1;
    }
    for i in 1..=n {
        start[i] += start[i - 1];
    }
    (start, adj)
}

/// Node → `(hyperedge, multiplicity)`.
fn incidence(n: usize, he_start: &[u32], pins: &[(u32, u32)]) -> (Vec<u32>, Vec<(u32, u32)>) {
    let mut start = vec![0u32; n + 1];
    for &(u, _) in pins {
        start[u as usize + 1] += 1;
    }
    for i in 1..=n {
        start[i] += start[i - 1];
    }
    let mut fill = start.clone();
    let mut inc = vec![(0u32, 0u32); pins.len()];
    for h in 0..he_start.len().saturating_sub(1) {
        for &(u, m) in &pins[he_start[h] as usize..he_start[h + 1] as usize] {
            let slot = &mut fill[u as usize];
            inc[*slot as usize] = (h as u32, m);
            *slot += 1;
        }
    }
    (start, inc)
}

/// For each hyperedge, the multiplicity of its pins under each label, kept up to date as nodes
/// move. A node's connection through a hyperedge then costs one step per label the hyperedge
/// spans rather than one per member: once groups sit in a few clusters or parts, a 40-member
/// group is a handful of steps (the per-pin walk was most of the planning time at a million
/// users). Each hyperedge's counts live in its own span of the pins' layout, so nothing is
/// allocated per hyperedge.
struct PinCounts {
    /// `(label, count)` entries of hyperedge `h`: `entries[start[h]..start[h] + len[h]]`.
    entries: Vec<(u32, u32)>,
    start: Vec<u32>,
    len: Vec<u32>,
}

impl PinCounts {
    fn new(g: &Hypergraph, label: &[u32]) -> PinCounts {
        let mut counts = PinCounts {
            entries: vec![(0, 0); g.pins.len()],
            start: g.he_start.clone(),
            len: vec![0; g.he_weight.len()],
        };
        for h in 0..g.he_weight.len() as u32 {
            for &(u, m) in g.pins_of(h) {
                counts.add(h, label[u as usize], m);
            }
        }
        counts
    }

    fn of(&self, h: u32) -> &[(u32, u32)] {
        let start = self.start[h as usize] as usize;
        &self.entries[start..start + self.len[h as usize] as usize]
    }

    fn add(&mut self, h: u32, l: u32, m: u32) {
        let start = self.start[h as usize] as usize;
        let len = &mut self.len[h as usize];
        let span = &mut self.entries[start..start + *len as usize];
        match span.iter_mut().find(|e| e.0 == l) {
            Some(e) => e.1 += m,
            None => {
                self.entries[start + *len as usize] = (l, m);
                *len += 1;
            }
        }
    }

    fn remove(&mut self, h: u32, l: u32, m: u32) {
        let start = self.start[h as usize] as usize;
        let len = &mut self.len[h as usize];
        let span = &mut self.entries[start..start + *len as usize];
        if let Some(i) = span.iter().position(|e| e.0 == l) {
            span[i].1 -= m;
            if span[i].1 == 0 {
                span.swap(i, *len as usize - 1);
                *len -= 1;
            }
        }
    }

    /// `v` moved from label `from` to label `to`.
    fn moved(&mut self, g: &Hypergraph, v: u32, from: u32, to: u32) {
        for &(h, m) in g.incident(v) {
            self.remove(h, from, m);
            self.add(h, to, m);
        }
    }
}

/// Connection weights per label, reset in time proportional to the labels touched.
struct Conn {
    weight: Vec<u64>,
    touched: Vec<u32>,
}

impl Conn {
    fn new(labels: usize) -> Conn {
        Conn {
            weight: vec![0; labels],
            touched: Vec::new(),
        }
    }
    fn add(&mut self, label: u32, w: u64) {
        let slot = &mut self.weight[label as usize];
        if *slot == 0 {
            self.touched.push(label);
        }
        *slot += w;
    }
    fn get(&self, label: u32) -> u64 {
        self.weight[label as usize]
    }
    fn clear(&mut self) {
        for &l in &self.touched {
            self.weight[l as usize] = 0;
        }
        self.touched.clear();
    }
}

/// SplitMix64: a small, well-mixed generator, so that a seed fixes the result on every
/// platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn shuffled(&mut self, n: usize) -> Vec<u32> {
        let mut v: Vec<u32> = (0..n as u32).collect();
        self.shuffle(&mut v);
        v
    }
    fn shuffle(&mut self, v: &mut [u32]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
    /// `0..n` in runs of [`VISIT_RUN`], each run shuffled: a random order for label
    /// propagation (no cascade along the numbering) that stays near in memory.
    fn visit_order(&mut self, n: usize) -> Vec<u32> {
        let mut v: Vec<u32> = (0..n as u32).collect();
        for run in v.chunks_mut(VISIT_RUN) {
            self.shuffle(run);
        }
        v
    }
}

/// Consecutive nodes visited in a shuffled order before the next run (see the module doc):
/// 4,096 kept the cut of a full shuffle at a million users (within 0.1 %); 256 cost 0.4 % more.
const VISIT_RUN: usize = 4096;

/// Consecutive nodes clustered together, apart from the rest: an eighth of the level, at
/// least [`VISIT_RUN`] and at most [`CLUSTER_BLOCK`] (whose labels, sizes and connections fit
/// in a core's cache). Coarser levels, smaller, are cut finer so both cores have work.
fn block_len(n: usize) -> usize {
    (n / 8 + 1).clamp(VISIT_RUN, CLUSTER_BLOCK)
}
const CLUSTER_BLOCK: usize = 1 << 16;
/// Sweeps of clustering: a third moved a sixth of the nodes at a million users for a third of
/// the time, and changed the pairs split by under 2 % at 3,000 to 1,000,000 users.
const CLUSTER_SWEEPS: usize = 2;
/// Members of a long hyperedge that stand for all of them in clustering.
const CLUSTER_SAMPLE: usize = 8;

/// What to partition into.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The most weight a part may hold.
    pub cap: u32,
    pub seed: u64,
}

/// The part of every node: fixed parts keep their numbers (`0..`), the others follow, numbered
/// from the highest fixed part + 1 in order of their lowest node; no part is empty.
///
/// Small graphs are partitioned several times from seeds drawn from `seed`, keeping the least
/// cut: on a few thousand users one run's cut varies by a fifth from seed to seed, and the
/// tries cost milliseconds. The number of tries falls with the size of the graph, to one from
/// about 200,000 nodes, pairs and pins.
pub fn partition(g: &Hypergraph, opts: Options) -> Vec<u32> {
    let tries = (TRY_BUDGET / g.size().max(1)).clamp(1, MAX_TRIES);
    let seeds: Vec<u64> = (0..tries as u64)
        .map(|i| {
            opts.seed
                .wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        })
        .collect();
    if let [seed] = seeds[..] {
        return partition_once(g, opts.cap, seed);
    }
    let runs: Vec<(u64, Vec<u32>)> = seeds
        .par_iter()
        .map(|&seed| {
            let part = partition_once(g, opts.cap, seed);
            (g.cut(&part), part)
        })
        .collect();
    // The least cut; among equals, the first try.
    let best = runs
        .into_iter()
        .enumerate()
        .min_by_key(|(i, (cut, _))| (*cut, *i))
        .map(|(_, (_, part))| part);
    best.unwrap_or_default()
}

/// Tries for a graph of one node, pair or pin; fewer as it grows (see [`partition`]): eight
/// up to 50,000 (a few thousand users), one from 200,000 (tens of thousands), where the cuts
/// of several tries differ by under 1 % and would multiply the time.
const TRY_BUDGET: usize = 400_000;
const MAX_TRIES: usize = 8;
/// Graphs up to this size also get [`fm`] passes at every level: 5-15 % fewer pairs split at
/// 3,000 users for a few milliseconds. At 100,000 users they gained 1 % for twice the time.
const FM_GRAPH_MAX: usize = 200_000;
const FM_PASSES: usize = 4;

/// One multilevel run from `seed`.
fn partition_once(g: &Hypergraph, cap: u32, seed: u64) -> Vec<u32> {
    let cap = cap.max(1);
    let mut rng = Rng(seed);
    let small = g.size() <= FM_GRAPH_MAX;
    // Clusters stay well under a part so the coarsest level still packs parts nearly full.
    let bound = (cap / 4).max(1);
    // Clusters under `bound` cannot be fewer than this: near it, another level gains nothing.
    let floor = g.node_weight.iter().map(|&w| u64::from(w)).sum::<u64>() / u64::from(bound);
    let mut levels: Vec<(Hypergraph, Vec<u32>)> = Vec::new();
    loop {
        let cur = levels.last().map_or(g, |l| &l.0);
        if cur.len() < 64 || (cur.len() as u64) < floor + floor / 4 {
            break;
        }
        let (cluster, clusters) = cluster(cur, bound, &mut rng);
        if clusters as f64 > cur.len() as f64 * 0.95 {
            break;
        }
        let coarse = cur.contract(&cluster, clusters);
        levels.push((coarse, cluster));
    }
    let coarsest = levels.last().map_or(g, |l| &l.0);
    let mut part = grow(coarsest, cap, !small, &mut rng);
    refine(coarsest, &mut part, cap, &mut rng);
    if small {
        fm(coarsest, &mut part, cap, FM_PASSES);
    }
    for i in (0..levels.len()).rev() {
        let finer = if i == 0 { g } else { &levels[i - 1].0 };
        let map = &levels[i].1;
        part = map.iter().map(|&c| part[c as usize]).collect();
        refine(finer, &mut part, cap, &mut rng);
        if small {
            fm(finer, &mut part, cap, FM_PASSES);
        }
    }
    renumber(g, part)
}

/// Size-constrained label propagation: returns each node's cluster (`0..clusters`). Blocks of
/// consecutive nodes ([`block_len`]) are clustered apart, in parallel, each from its own seed,
/// so the result does not depend on the threads.
fn cluster(g: &Hypergraph, bound: u32, rng: &mut Rng) -> (Vec<u32>, usize) {
    let n = g.len() as u32;
    let seed = rng.next();
    let blocks: Vec<Range<u32>> = (0..n)
        .step_by(block_len(n as usize))
        .map(|lo| lo..(lo + block_len(n as usize) as u32).min(n))
        .collect();
    let labels: Vec<Vec<u32>> = blocks
        .par_iter()
        .enumerate()
        .map(|(b, block)| {
            let mut rng = Rng(seed ^ (b as u64).wrapping_mul(0xA24B_AED4_963E_E407));
            cluster_block(g, block.clone(), bound, &mut rng)
        })
        .collect();
    // Dense cluster numbers in order of first node.
    let mut number = vec![FREE; n as usize];
    let mut cluster = Vec::with_capacity(n as usize);
    let mut clusters = 0u32;
    for (block, label) in blocks.iter().zip(labels) {
        for l in label {
            let slot = &mut number[(block.start + l) as usize];
            if *slot == FREE {
                *slot = clusters;
                clusters += 1;
            }
            cluster.push(*slot);
        }
    }
    (cluster, clusters as usize)
}

/// [`cluster`] on the nodes of `block`, ignoring ties that leave it: each free node joins the
/// cluster it is most connected to while that stays under `bound`, for [`CLUSTER_SWEEPS`] or
/// until a sweep moves under 1 % of the nodes. Labels are indexed from the block's start.
fn cluster_block(g: &Hypergraph, block: Range<u32>, bound: u32, rng: &mut Rng) -> Vec<u32> {
    let n = block.len();
    let mut label: Vec<u32> = (0..n as u32).collect();
    let mut size: Vec<u32> = g.node_weight[block.start as usize..block.end as usize].to_vec();
    let order = rng.visit_order(n);
    let mut conn = Conn::new(n);
    for _ in 0..CLUSTER_SWEEPS {
        let mut moved = 0usize;
        for &i in &order {
            let v = block.start + i;
            if g.fixed[v as usize] != FREE {
                continue;
            }
            let own = label[i as usize];
            let w = g.node_weight[v as usize];
            g.connect_within(v, &block, &label, &mut conn);
            // The most connected cluster with room; among equals, the smallest.
            let mut best = own;
            let mut best_conn = conn.get(own);
            for &l in &conn.touched {
                if l == own || size[l as usize] + w > bound {
                    continue;
                }
                let c = conn.get(l);
                if c > best_conn
                    || (c == best_conn && best != own && size[l as usize] < size[best as usize])
                {
                    best = l;
                    best_conn = c;
                }
            }
            conn.clear();
            if best != own {
                size[own as usize] -= w;
                size[best as usize] += w;
                label[i as usize] = best;
                moved += 1;
            }
        }
        if moved <= n / 100 {
            break;
        }
    }
    label
}

/// The initial partition: fixed parts first, then new parts grown one after the other. With
/// `sample`, long hyperedges raise a sample of their members ([`Hypergraph::sampled_pins`]):
/// at a million users in waves of 50 the coarsest graph still had groups of 15 clusters on
/// average, and raising them all took half of the planning.
fn grow(g: &Hypergraph, cap: u32, sample: bool, rng: &mut Rng) -> Vec<u32> {
    let n = g.len();
    let mut part = vec![FREE; n];
    let mut weight: Vec<u32> = Vec::new();
    let fixed_parts = g
        .fixed
        .iter()
        .filter(|&&f| f != FREE)
        .map(|&f| f + 1)
        .max()
        .unwrap_or(0);
    weight.resize(fixed_parts as usize, 0);
    for (v, &f) in g.fixed.iter().enumerate() {
        if f != FREE {
            part[v] = f;
            weight[f as usize] += g.node_weight[v];
        }
    }
    // Seeds: the heaviest nodes first, ties in a seeded order.
    let tie = rng.shuffled(n);
    let mut by_weight: Vec<u32> = (0..n as u32).collect();
    by_weight.sort_by_key(|&v| (Reverse(g.node_weight[v as usize]), tie[v as usize]));
    let mut next_seed = 0usize;
    let mut unplaced = NextFree::new(n);
    let mut raised = Stamped::new(n);
    let mut conn = Conn::new(n);
    let mut heap: BinaryHeap<(u64, Reverse<u32>, u32)> = BinaryHeap::new();
    let mut p = 0u32;
    loop {
        if p as usize >= weight.len() {
            while next_seed < n && part[by_weight[next_seed] as usize] != FREE {
                next_seed += 1;
            }
            if next_seed == n {
                break;
            }
            weight.push(0);
        }
        let members: Vec<u32> = if (p as usize) < fixed_parts as usize {
            (0..n as u32).filter(|&v| part[v as usize] == p).collect()
        } else {
            Vec::new()
        };
        // Adds `v` to part `p`; each free neighbour enters the heap once, at its new weight.
        let add = |v: u32,
                   part: &mut Vec<u32>,
                   weight: &mut Vec<u32>,
                   conn: &mut Conn,
                   heap: &mut BinaryHeap<(u64, Reverse<u32>, u32)>,
                   raised: &mut Stamped| {
            part[v as usize] = p;
            if g.fixed[v as usize] == FREE {
                weight[p as usize] += g.node_weight[v as usize];
            }
            raised.begin();
            for &(u, w) in g.neighbours(v) {
                if part[u as usize] == FREE {
                    conn.add(u, w as u64);
                    raised.note(u);
                }
            }
            for &(h, mv) in g.incident(v) {
                let mut raise = |u: u32, w: u64| {
                    if part[u as usize] == FREE {
                        conn.add(u, w);
                        raised.note(u);
                    }
                };
                if sample {
                    g.sampled_pins(v, h, mv).for_each(|(u, w)| raise(u, w));
                } else {
                    let wh = g.he_weight[h as usize] as u64 * mv as u64;
                    for &(u, mu) in g.pins_of(h) {
                        raise(u, wh * mu as u64);
                    }
                }
            }
            for &u in &raised.list {
                heap.push((conn.get(u), Reverse(tie[u as usize]), u));
            }
        };
        for v in members {
            add(v, &mut part, &mut weight, &mut conn, &mut heap, &mut raised);
        }
        loop {
            let next = match heap.pop() {
                Some((c, _, u)) => {
                    if part[u as usize] != FREE || c != conn.get(u) {
                        continue;
                    }
                    if weight[p as usize] + g.node_weight[u as usize] > cap {
                        continue;
                    }
                    u
                }
                None => {
                    // Nothing connected fits: the heaviest node that still fits.
                    let room = cap.saturating_sub(weight[p as usize]);
                    // The first position of a node light enough: `by_weight` is heaviest first.
                    let from = by_weight
                        .partition_point(|&v| g.node_weight[v as usize] > room)
                        .max(next_seed);
                    match unplaced.first_from(from, |i| part[by_weight[i] as usize] == FREE) {
                        Some(i) => by_weight[i],
                        None => break,
                    }
                }
            };
            add(
                next,
                &mut part,
                &mut weight,
                &mut conn,
                &mut heap,
                &mut raised,
            );
        }
        heap.clear();
        conn.clear();
        p += 1;
    }
    part
}

/// Fiduccia–Mattheyses passes over parts under `cap`: the move of largest gain first, losing
/// moves included, each node moved once a pass, then the pass is rolled back to its best
/// point. Unlike label propagation it climbs out of a local minimum (a team split across two
/// full waves moves over one member after the other). Passes end after [`FM_PATIENCE`] moves
/// without a better cut, and stop when one gains nothing.
fn fm(g: &Hypergraph, part: &mut [u32], cap: u32, passes: usize) {
    let n = g.len();
    let parts = part.iter().map(|&p| p as usize + 1).max().unwrap_or(0);
    let mut weight = vec![0u32; parts];
    for (v, &p) in part.iter().enumerate() {
        weight[p as usize] += g.node_weight[v];
    }
    let mut counts = PinCounts::new(g, part);
    let mut conn = Conn::new(parts);
    // The best move of `v` (gain, part) to a part with room, if it has a neighbour elsewhere.
    let best_move = |v: u32,
                     part: &[u32],
                     weight: &[u32],
                     counts: &PinCounts,
                     conn: &mut Conn|
     -> Option<(i64, u32)> {
        let own = part[v as usize];
        let w = g.node_weight[v as usize];
        g.connect(v, part, counts, conn);
        let here = conn.get(own) as i64;
        let best = conn
            .touched
            .iter()
            .filter(|&&p| p != own && weight[p as usize] + w <= cap)
            .map(|&p| (conn.get(p) as i64 - here, Reverse(p)))
            .max()
            .map(|(gain, Reverse(p))| (gain, p));
        conn.clear();
        best
    };
    let mut locked = vec![false; n];
    let mut heap: BinaryHeap<(i64, Reverse<u32>)> = BinaryHeap::new();
    for _ in 0..passes {
        locked.iter_mut().for_each(|l| *l = false);
        heap.clear();
        for v in 0..n as u32 {
            if g.fixed[v as usize] == FREE
                && let Some((gain, _)) = best_move(v, part, &weight, &counts, &mut conn)
            {
                heap.push((gain, Reverse(v)));
            }
        }
        let mut moves: Vec<(u32, u32)> = Vec::new();
        let (mut total, mut best_total, mut best_len) = (0i64, 0i64, 0usize);
        while let Some((gain, Reverse(v))) = heap.pop() {
            if locked[v as usize] {
                continue;
            }
            let Some((now, to)) = best_move(v, part, &weight, &counts, &mut conn) else {
                continue;
            };
            if now != gain {
                heap.push((now, Reverse(v))); // Stale: back in at its gain now.
                continue;
            }
            let from = part[v as usize];
            shift(g, v, to, part, &mut weight, &mut counts);
            locked[v as usize] = true;
            moves.push((v, from));
            total += now;
            if total > best_total {
                (best_total, best_len) = (total, moves.len());
            } else if moves.len() - best_len > FM_PATIENCE {
                break;
            }
            let mut wake = |u: u32| {
                if !locked[u as usize]
                    && g.fixed[u as usize] == FREE
                    && let Some((gain, _)) = best_move(u, part, &weight, &counts, &mut conn)
                {
                    heap.push((gain, Reverse(u)));
                }
            };
            for &(u, _) in g.neighbours(v) {
                wake(u);
            }
            for &(h, _) in g.incident(v) {
                for &(u, _) in g.pins_of(h) {
                    wake(u);
                }
            }
        }
        for &(v, from) in moves[best_len..].iter().rev() {
            shift(g, v, from, part, &mut weight, &mut counts);
        }
        if best_total <= 0 {
            break;
        }
    }
}

/// Moves `v` to part `to`, keeping the parts' weights and the pin counts.
fn shift(
    g: &Hypergraph,
    v: u32,
    to: u32,
    part: &mut [u32],
    weight: &mut [u32],
    counts: &mut PinCounts,
) {
    let from = part[v as usize];
    let w = g.node_weight[v as usize];
    weight[from as usize] -= w;
    weight[to as usize] += w;
    part[v as usize] = to;
    counts.moved(g, v, from, to);
}

/// Moves without a better cut before a Fiduccia–Mattheyses pass gives up.
const FM_PATIENCE: usize = 100;

/// Label propagation over parts under `cap`: a node moves only to a part it is more connected
/// to than its own.
///
/// Connections through hyperedges come from counts of their pins per part, and after the first
/// look only the nodes next to one that moved, or held back from a better part by its size,
/// are looked at again: the others would choose as before. (Choosing in parallel slices and
/// applying in order was tried: the choices made from a state gone stale left as many nodes to
/// look at again as the second core saved.)
fn refine(g: &Hypergraph, part: &mut [u32], cap: u32, rng: &mut Rng) {
    let n = g.len();
    let parts = part.iter().map(|&p| p as usize + 1).max().unwrap_or(0);
    let mut weight = vec![0u32; parts];
    for (v, &p) in part.iter().enumerate() {
        weight[p as usize] += g.node_weight[v];
    }
    let order = rng.visit_order(n);
    let mut conn = Conn::new(parts);
    let mut counts = PinCounts::new(g, part);
    let mut active = vec![true; n];
    let still = g.total_weight() / REFINE_GAIN_STILL;
    for _ in 0..REFINE_SWEEPS {
        let mut moved = 0usize;
        let mut gained = 0u64;
        for &v in &order {
            if g.fixed[v as usize] != FREE || !std::mem::replace(&mut active[v as usize], false) {
                continue;
            }
            let own = part[v as usize];
            let (best, held, gain) = best_part(g, v, part, &counts, &weight, cap, &mut conn);
            gained += gain;
            // Held back by size: may fit once room frees.
            active[v as usize] = held;
            if best != own {
                shift(g, v, best, part, &mut weight, &mut counts);
                g.wake(v, &mut active);
                moved += 1;
            }
        }

        if moved <= n / REFINE_STILL || gained <= still {
            break;
        }
    }
}

const REFINE_SWEEPS: usize = 8;
/// Refinement stops after a sweep that moved at most one node in this many: the sweeps after
/// it moved under 0.1 % of the nodes between them at a million users, for a tenth of the time.
const REFINE_STILL: usize = 1000;
/// Or after a sweep that gained at most this fraction of the weight of all ties: where waves
/// are much smaller than the groups (waves of 50 at a million users), sweeps kept moving a few
/// percent of the nodes each for gains of 0.02-0.05 % of the weight, the last five of eight
/// sweeps together under 0.15 %.
const REFINE_GAIN_STILL: u64 = 2000;

/// The part `v` would move to (its own if none is better and has room), and whether a better
/// part was passed over for want of room.
fn best_part(
    g: &Hypergraph,
    v: u32,
    part: &[u32],
    counts: &PinCounts,
    weight: &[u32],
    cap: u32,
    conn: &mut Conn,
) -> (u32, bool, u64) {
    let own = part[v as usize];
    let w = g.node_weight[v as usize];
    g.connect(v, part, counts, conn);
    let mut best = own;
    let mut best_conn = conn.get(own);
    for &p in &conn.touched {
        let c = conn.get(p);
        if p != own && c > best_conn && weight[p as usize] + w <= cap {
            best = p;
            best_conn = c;
        }
    }
    let held = conn.touched.iter().any(|&p| conn.get(p) > best_conn);
    let gain = best_conn - conn.get(own);
    conn.clear();
    (best, held, gain)
}

/// The distinct nodes noted since [`Stamped::begin`], in the order first noted.
struct Stamped {
    stamp: Vec<u32>,
    now: u32,
    list: Vec<u32>,
}

impl Stamped {
    fn new(n: usize) -> Stamped {
        Stamped {
            stamp: vec![0; n],
            now: 0,
            list: Vec::new(),
        }
    }
    fn begin(&mut self) {
        self.now += 1;
        self.list.clear();
    }
    fn note(&mut self, v: u32) {
        let slot = &mut self.stamp[v as usize];
        if *slot != self.now {
            *slot = self.now;
            self.list.push(v);
        }
    }
}

/// Positions `0..n`, some used up for good: the first one at or after `i` that is not, in
/// near-constant time (union-find with path halving), so filling a part with the lightest
/// nodes does not rescan the placed ones (that scan was a third of growing at a million users).
struct NextFree {
    next: Vec<u32>,
}

impl NextFree {
    fn new(n: usize) -> NextFree {
        NextFree {
            next: (0..=n as u32).collect(),
        }
    }

    /// The first position from `i` for which `free` holds; those found used are skipped from
    /// then on.
    fn first_from(&mut self, i: usize, free: impl Fn(usize) -> bool) -> Option<usize> {
        let end = self.next.len() - 1;
        let mut i = i.min(end);
        loop {
            while self.next[i] as usize != i {
                let up = self.next[self.next[i] as usize];
                self.next[i] = up;
                i = up as usize;
            }
            if i == end {
                return None;
            }
            if free(i) {
                return Some(i);
            }
            self.next[i] = i as u32 + 1;
        }
    }
}

/// Fixed parts keep their numbers; the other non-empty parts follow in order of first node.
fn renumber(g: &Hypergraph, part: Vec<u32>) -> Vec<u32> {
    let fixed_parts = g
        .fixed
        .iter()
        .filter(|&&f| f != FREE)
        .map(|&f| f + 1)
        .max()
        .unwrap_or(0);
    let top = part.iter().map(|&p| p as usize + 1).max().unwrap_or(0);
    let mut number = vec![FREE; top];
    for p in 0..fixed_parts.min(top as u32) {
        number[p as usize] = p;
    }
    let mut next = fixed_parts;
    part.into_iter()
        .map(|p| {
            let slot = &mut number[p as usize];
            if *slot == FREE {
                *slot = next;
                next += 1;
            }
            *slot
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Two cliques of four joined by one light edge: cut there.
    #[test]
    fn two_teams_stay_whole() {
        let mut pairs = Vec::new();
        for team in [0u32, 4] {
            for a in team..team + 4 {
                for b in a + 1..team + 4 {
                    pairs.push((a, b, 10));
                }
            }
        }
        pairs.push((3, 4, 1));
        let g = Hypergraph::new(vec![1; 8], vec![FREE; 8], pairs, Vec::new());
        let part = partition(&g, Options { cap: 4, seed: 7 });
        assert_eq!(g.cut(&part), 1);
        assert!(part[..4].iter().all(|&p| p == part[0]));
        assert!(part[4..].iter().all(|&p| p == part[4]));
    }

    /// A hyperedge counts the pairs it loses: a group of six split 3 + 3 loses 9 pairs.
    #[test]
    fn hyperedge_cut_counts_member_pairs() {
        let g = Hypergraph::new(
            vec![1; 6],
            vec![FREE; 6],
            Vec::new(),
            vec![((0..6).collect(), 2)],
        );
        assert_eq!(g.cut(&[0, 0, 0, 1, 1, 1]), 18);
        assert_eq!(g.cut(&[0; 6]), 0);
    }

    #[test]
    fn fixed_nodes_keep_their_part() {
        let pairs = vec![(0, 1, 5), (1, 2, 5), (2, 3, 5)];
        let g = Hypergraph::new(vec![1; 4], vec![FREE, FREE, FREE, 0], pairs, Vec::new());
        let part = partition(&g, Options { cap: 2, seed: 1 });
        assert_eq!(part[3], 0);
        assert_eq!(part[2], 0, "the free neighbour joins the fixed part");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever the graph: every node has a part, no part exceeds the cap, fixed nodes stay,
        /// the same seed gives the same parts, and parts are numbered without gaps.
        #[test]
        fn parts_respect_the_cap(
            weights in proptest::collection::vec(1u32..4, 1..200),
            pairs in proptest::collection::vec((0u32..200, 0u32..200, 1u32..50), 0..400),
            groups in proptest::collection::vec(proptest::collection::vec(0u32..200, 2..20), 0..20),
            cap in 4u32..40,
            seed in 0u64..1000,
        ) {
            let n = weights.len() as u32;
            let pairs: Vec<_> = pairs.into_iter().filter(|&(a, b, _)| a < n && b < n).collect();
            let groups: Vec<_> = groups
                .into_iter()
                .map(|g| (g.into_iter().filter(|&v| v < n).collect::<Vec<_>>(), 3))
                .collect();
            let mut fixed = vec![FREE; n as usize];
            fixed[0] = 0;
            let g = Hypergraph::new(weights.clone(), fixed, pairs, groups);
            let part = partition(&g, Options { cap, seed });
            prop_assert_eq!(part[0], 0);
            let parts = part.iter().map(|&p| p as usize + 1).max().unwrap_or(0);
            let mut load = vec![0u32; parts];
            for (v, &p) in part.iter().enumerate() {
                load[p as usize] += weights[v];
            }
            prop_assert!(load.iter().skip(1).all(|&l| l > 0 && l <= cap));
            prop_assert!(load[0] <= cap.max(weights[0]));
            prop_assert_eq!(part, partition(&g, Options { cap, seed }));
        }
    }
}
