//! The dependency graph: who depends on whom among users (spec §6). Both the communication
//! breaks and the wave planner read it.
//!
//! Pairs (delegate, interaction, manager) are stored as a symmetric adjacency with the kinds of
//! each pair. Groups are hyperedges: a small group (at most `max_group_size` direct user
//! members) ties its members together, and its pairs are never enumerated: a walk visits a
//! user's groups and their members. A group of 100 users would otherwise be 4,950 pairs.
//!
//! Weights say how much splitting a pair across waves costs: delegates are never split (the
//! planner keeps them together whatever the weight), interactions weigh most, then managers,
//! then each pair of a group, weighted down by the group's size: a member's pairs in one group
//! weigh 600 in all (two interactions, three managers) whatever its size, so a small team binds
//! its members tightly and a large one loosely.

use hybridready_assessment::{Dependencies, Dependency};
use hybridready_directory::{Directory, ObjectId, ObjectKind};
use rayon::prelude::*;

/// The weight of a pair of one kind; for [`Dependency::Group`], of one pair of a group of
/// `users` direct user members.
pub const fn weight(kind: Dependency, users: u32) -> u32 {
    match kind {
        Dependency::Delegate => 1_000,
        Dependency::Interaction => 300,
        Dependency::Manager => 200,
        Dependency::Group => {
            let others = if users > 1 { users - 1 } else { 1 };
            let w = 600 / others;
            if w == 0 { 1 } else { w }
        }
    }
}

/// Which groups count as dependencies.
#[derive(Clone, Copy, Debug)]
pub struct GroupRule {
    pub enabled: bool,
    /// Groups with more direct user members than this tie nobody.
    pub max_users: usize,
}

/// Users and what ties them.
pub struct DependencyGraph<'d> {
    dir: &'d Directory,
    offsets: Vec<u32>,
    targets: Vec<u32>,
    kinds: Vec<Dependencies>,
    /// Direct user members of each group that counts (0 for every other object).
    group_users: Vec<u32>,
    /// Those members, group after group (`user_start[g]..user_start[g + 1]`): walks over
    /// co-members need not look up the kind of every member again.
    user_start: Vec<u32>,
    user_members: Vec<ObjectId>,
}

impl<'d> DependencyGraph<'d> {
    /// From undirected pairs (self-pairs dropped, duplicates merged with their kinds) and the
    /// directory's groups.
    pub fn new(
        dir: &'d Directory,
        pairs: impl IntoIterator<Item = (ObjectId, ObjectId, Dependency)>,
        groups: GroupRule,
    ) -> Self {
        let n = dir.len();
        // (a << 32 | b) << 8 | kind bit: sorting groups a pair's kinds together.
        let mut all: Vec<(u64, u8)> = Vec::new();
        for (a, b, k) in pairs {
            if a != b {
                all.push((((a.0 as u64) << 32) | b.0 as u64, k.bit()));
                all.push((((b.0 as u64) << 32) | a.0 as u64, k.bit()));
            }
        }
        all.par_sort_unstable();
        let mut merged: Vec<(u64, u8)> = Vec::with_capacity(all.len());
        for (e, k) in all {
            match merged.last_mut() {
                Some(last) if last.0 == e => last.1 |= k,
                _ => merged.push((e, k)),
            }
        }
        let mut offsets = vec![0u32; n + 1];
        for &(e, _) in &merged {
            offsets[(e >> 32) as usize + 1] += 1;
        }
        for i in 1..=n {
            offsets[i] += offsets[i - 1];
        }
        let targets = merged.iter().map(|&(e, _)| e as u32).collect();
        let kinds = merged.iter().map(|&(_, k)| Dependencies(k)).collect();
        let group_users = (0..n as u32)
            .into_par_iter()
            .map(|g| {
                let g = ObjectId(g);
                if !groups.enabled || dir.kind(g) != ObjectKind::Group {
                    return 0;
                }
                let users = dir
                    .members_of(g)
                    .iter()
                    .filter(|&&m| dir.kind(m) == ObjectKind::User)
                    .count();
                if users <= groups.max_users {
                    users as u32
                } else {
                    0
                }
            })
            .collect::<Vec<u32>>();
        let mut user_start = Vec::with_capacity(n + 1);
        user_start.push(0u32);
        let mut user_members = Vec::new();
        for (g, &users) in group_users.iter().enumerate() {
            if users > 0 {
                let members = dir.members_of(ObjectId(g as u32));
                user_members.extend(members.iter().filter(|&&m| dir.kind(m) == ObjectKind::User));
            }
            user_start.push(user_members.len() as u32);
        }
        DependencyGraph {
            dir,
            offsets,
            targets,
            kinds,
            group_users,
            user_start,
            user_members,
        }
    }

    pub fn directory(&self) -> &'d Directory {
        self.dir
    }

    /// The pair partners of `o` (delegate, interaction, manager), with the kinds of each pair.
    pub fn pairs_of(&self, o: ObjectId) -> impl Iterator<Item = (ObjectId, Dependencies)> + '_ {
        let (a, b) = match (self.offsets.get(o.index()), self.offsets.get(o.index() + 1)) {
            (Some(&a), Some(&b)) => (a as usize, b as usize),
            _ => (0, 0),
        };
        self.targets[a..b]
            .iter()
            .zip(&self.kinds[a..b])
            .map(|(&t, &k)| (ObjectId(t), k))
    }

    /// The groups of `o` that tie their members together.
    pub fn groups_of(&self, o: ObjectId) -> impl Iterator<Item = ObjectId> + '_ {
        self.dir
            .groups_of(o)
            .iter()
            .copied()
            .filter(|g| self.group_users[g.index()] > 0)
    }

    /// The direct members of a group (users and others: callers filter by what they need).
    pub fn members_of(&self, g: ObjectId) -> &'d [ObjectId] {
        self.dir.members_of(g)
    }

    /// The direct user members of a group that counts (none for any other object).
    pub fn user_members_of(&self, g: ObjectId) -> &[ObjectId] {
        match (
            self.user_start.get(g.index()),
            self.user_start.get(g.index() + 1),
        ) {
            (Some(&a), Some(&b)) => &self.user_members[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Direct user members of a group that counts (0 otherwise).
    pub fn group_users(&self, g: ObjectId) -> u32 {
        self.group_users.get(g.index()).copied().unwrap_or(0)
    }

    /// The weight of one pair of group `g`.
    pub fn group_pair_weight(&self, g: ObjectId) -> u32 {
        weight(Dependency::Group, self.group_users(g))
    }

    /// Pairs stored (each once).
    pub fn pair_count(&self) -> usize {
        self.targets.len() / 2
    }

    /// Visits every dependent of `o` once (pairs first, then co-members of its groups), with
    /// the weight of the pair (summed over its kinds and shared groups) and its kinds.
    /// `scratch` is kept by the caller between calls (one per thread).
    pub fn for_each_dependent(
        &self,
        o: ObjectId,
        scratch: &mut Scratch,
        mut visit: impl FnMut(ObjectId, u64, Dependencies),
    ) {
        scratch.begin(self.dir.len());
        for (p, k) in self.pairs_of(o) {
            let w: u64 = k
                .iter()
                .filter(|&d| d != Dependency::Group)
                .map(|d| weight(d, 0) as u64)
                .sum();
            scratch.add(p, w, k);
        }
        for g in self.groups_of(o) {
            let w = self.group_pair_weight(g) as u64;
            for &m in self.user_members_of(g) {
                if m != o {
                    scratch.add(m, w, Dependencies(Dependency::Group.bit()));
                }
            }
        }
        for &p in &scratch.touched {
            let (w, k) = scratch.slot[p as usize];
            visit(ObjectId(p), w, k);
        }
    }
}

/// Scratch space for [`DependencyGraph::for_each_dependent`]: dense per-object slots reset in
/// time proportional to what was touched, so a walk over a million users stays linear. A
/// slot's weight and kinds sit together (one cache line a visit); no kinds means not seen, as
/// every dependency has one.
#[derive(Default)]
pub struct Scratch {
    slot: Vec<(u64, Dependencies)>,
    touched: Vec<u32>,
}

impl Scratch {
    fn begin(&mut self, n: usize) {
        if self.slot.len() < n {
            self.slot.resize(n, (0, Dependencies::default()));
        }
        for &t in &self.touched {
            self.slot[t as usize] = (0, Dependencies::default());
        }
        self.touched.clear();
    }
    fn add(&mut self, o: ObjectId, w: u64, k: Dependencies) {
        let slot = &mut self.slot[o.index()];
        if slot.1.0 == 0 {
            self.touched.push(o.0);
        }
        slot.0 += w;
        slot.1.0 |= k.0;
    }
}
