//! The directory as a graph (`petgraph`): users, groups, contacts, domains and OUs as nodes;
//! `member_of`, `in_ou`, `in_domain`, `manager` and `trust` as edges (spec §3). Group nesting can
//! be cyclic in real AD: cycles are found as strongly connected components and reported, and every
//! traversal here terminates on them.
//!
//! It also holds the dependency graph between users ([`dependency`]), which the communication
//! breaks and the wave planner read, and the bounded graph partitioner the planner uses
//! ([`partition`]).
//!
//! Owns: node numbering, edge kinds, nesting analysis, transitive membership, dependency
//! weights, partitioning. Must not touch: inputs, rules, scenarios, words. Reads the directory,
//! never changes it.

use hybridready_directory::{Directory, DomainId, ObjectId, ObjectKind};
mod csr;
pub mod dependency;
pub mod partition;

pub use csr::{EdgeReference, Edges, ObjectGraph, RowSource};
pub use dependency::{DependencyGraph, GroupRule};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, EdgeFiltered, EdgeRef};
use serde::Serialize;

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Node {
    Object(ObjectId),
    Domain(DomainId),
    /// Index into [`Directory::ous`].
    Ou(u32),
}

// `repr(u8)` and a first variant of 0, so the graph's edge kinds can start as zeroed memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, bytemuck::Zeroable)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum EdgeKind {
    MemberOf,
    InOu,
    InDomain,
    Manager,
    Trust,
}

/// Edge counts per kind.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct EdgeCounts {
    pub member_of: u64,
    pub in_ou: u64,
    pub in_domain: u64,
    pub manager: u64,
    pub trust: u64,
}

impl EdgeCounts {
    fn count(&mut self, kind: EdgeKind) {
        *match kind {
            EdgeKind::MemberOf => &mut self.member_of,
            EdgeKind::InOu => &mut self.in_ou,
            EdgeKind::InDomain => &mut self.in_domain,
            EdgeKind::Manager => &mut self.manager,
            EdgeKind::Trust => &mut self.trust,
        } += 1;
    }
    fn plus(self, o: EdgeCounts) -> EdgeCounts {
        EdgeCounts {
            member_of: self.member_of + o.member_of,
            in_ou: self.in_ou + o.in_ou,
            in_domain: self.in_domain + o.in_domain,
            manager: self.manager + o.manager,
            trust: self.trust + o.trust,
        }
    }
}

/// A cycle of nested groups (a strongly connected component of the nesting graph).
#[derive(Clone, Debug, Serialize)]
pub struct NestingCycle {
    pub groups: Vec<ObjectId>,
}

pub struct DirectoryGraph {
    pub graph: ObjectGraph,
    objects: usize,
    domains: usize,
    pub edges: EdgeCounts,
    pub cycles: Vec<NestingCycle>,
    /// Groups whose nesting reaches back to themselves (members of a cycle).
    pub groups_in_cycles: usize,
}

impl DirectoryGraph {
    /// Builds the graph. Object `i` is node `i`, then domains, then OUs.
    pub fn build(dir: &Directory) -> DirectoryGraph {
        let n = dir.len();
        let nd = dir.domains().len();
        // The nesting cycles come from the directory's own adjacency: found while the graph is built.
        let ((g, edges), cycles) = rayon::join(|| object_graph(dir), || nesting_cycles(dir));
        let groups_in_cycles = cycles.iter().map(|c| c.groups.len()).sum();
        DirectoryGraph {
            graph: g,
            objects: n,
            domains: nd,
            edges,
            cycles,
            groups_in_cycles,
        }
    }

    pub fn node_of(&self, id: ObjectId) -> u32 {
        id.0
    }
    pub fn domain_node(&self, d: DomainId) -> u32 {
        (self.objects + d.0 as usize) as u32
    }
    pub fn ou_node(&self, ou: usize) -> u32 {
        (self.objects + self.domains + ou) as u32
    }

    /// What node `n` stands for.
    pub fn node(&self, n: u32) -> Node {
        let i = n as usize;
        if i < self.objects {
            Node::Object(ObjectId(n))
        } else if i < self.objects + self.domains {
            Node::Domain(DomainId((i - self.objects) as u32))
        } else {
            Node::Ou((i - self.objects - self.domains) as u32)
        }
    }

    /// Every group the object belongs to, directly or through nesting (cycle-safe), sorted.
    pub fn transitive_groups(&self, id: ObjectId) -> Vec<ObjectId> {
        let members_only =
            EdgeFiltered::from_fn(&self.graph, |e| *e.weight() == EdgeKind::MemberOf);
        let start = self.node_of(id);
        let mut dfs = Dfs::new(&members_only, start);
        let mut out = Vec::new();
        while let Some(nx) = dfs.next(&members_only) {
            if nx != start
                && let Node::Object(o) = self.node(nx)
            {
                out.push(o);
            }
        }
        out.sort_unstable();
        out
    }
}

/// The edges of every node, in target order: an object's groups ascending (the directory keeps
/// them sorted) with its manager placed among them, then its domain, then its OU (whose nodes
/// come after every object); a domain's trusts.
struct DirectoryRows<'a> {
    dir: &'a Directory,
    ou_of_dn: hashbrown::HashMap<hybridready_directory::DnId, u32>,
    /// `(source node, target node)`, sorted.
    trusts: Vec<(u32, u32)>,
}

impl RowSource for DirectoryRows<'_> {
    fn row(&self, node: u32, mut push: impl FnMut(u32, EdgeKind)) {
        let dir = self.dir;
        if node as usize >= dir.len() {
            let from = self.trusts.partition_point(|&(a, _)| a < node);
            for &(_, b) in self.trusts[from..].iter().take_while(|&&(a, _)| a == node) {
                push(b, EdgeKind::Trust);
            }
            return;
        }
        let id = ObjectId(node);
        // A manager is a user or a contact, never one of the groups.
        let mut manager = dir.manager_of(id).map(|m| m.0);
        for g in dir.groups_of(id) {
            if let Some(m) = manager.filter(|&m| m < g.0) {
                push(m, EdgeKind::Manager);
                manager = None;
            }
            push(g.0, EdgeKind::MemberOf);
        }
        if let Some(m) = manager {
            push(m, EdgeKind::Manager);
        }
        if let Some(d) = dir.domain_of(id) {
            push((dir.len() + d.0 as usize) as u32, EdgeKind::InDomain);
        }
        if let Some(&ou) = dir.container_of(id).and_then(|c| self.ou_of_dn.get(&c)) {
            push(ou, EdgeKind::InOu);
        }
    }
}

/// The graph of objects, domains and OUs with every edge, and the count of each kind of edge.
/// Its rows are filled straight from what the directory keeps sorted, on every core (see
/// [`csr`]); a linked-list graph took a random write per edge and 20 bytes for each of the
/// thirteen million edges of a million users.
fn object_graph(dir: &Directory) -> (ObjectGraph, EdgeCounts) {
    use rayon::prelude::*;
    let n = dir.len();
    let nd = dir.domains().len();
    let no = dir.ous().len();
    let mut ou_of_dn = hashbrown::HashMap::with_capacity(no);
    for (i, ou) in dir.ous().iter().enumerate() {
        ou_of_dn.insert(ou.dn, (n + nd + i) as u32);
    }
    let mut trusts: Vec<(u32, u32)> = dir
        .trusts()
        .iter()
        .map(|t| {
            (
                (n + t.source.0 as usize) as u32,
                (n + t.target.0 as usize) as u32,
            )
        })
        .collect();
    trusts.sort_unstable();
    trusts.dedup();
    let rows = DirectoryRows {
        dir,
        ou_of_dn,
        trusts,
    };
    let g = ObjectGraph::from_rows(n + nd + no, &rows);
    let edges = g
        .kinds()
        .par_chunks(1 << 16)
        .map(|part| {
            let mut c = EdgeCounts::default();
            for &k in part {
                c.count(k);
            }
            c
        })
        .reduce(EdgeCounts::default, EdgeCounts::plus);
    (g, edges)
}

/// Strongly connected components of the group-nesting graph with more than one group, or one
/// group nested in itself. Only groups with group members take part, so this stays small on a
/// million-user directory.
pub fn nesting_cycles(dir: &Directory) -> Vec<NestingCycle> {
    let mut nest: DiGraph<ObjectId, (), u32> = DiGraph::new();
    let mut node: hashbrown::HashMap<ObjectId, NodeIndex> = hashbrown::HashMap::new();
    let mut idx = |g: &mut DiGraph<ObjectId, (), u32>, o: ObjectId| {
        *node.entry(o).or_insert_with(|| g.add_node(o))
    };
    let mut self_loops = Vec::new();
    for gid in dir.ids_of(ObjectKind::Group) {
        for &parent in dir.groups_of(gid) {
            if parent == gid {
                self_loops.push(gid);
            }
            let a = idx(&mut nest, gid);
            let b = idx(&mut nest, parent);
            nest.add_edge(a, b, ());
        }
    }
    // Kosaraju's walks keep their own stacks; petgraph's Tarjan recurses once per group of a
    // nesting chain, and a chain of 100,000 groups overflowed the thread's stack.
    let mut cycles: Vec<NestingCycle> = petgraph::algo::kosaraju_scc(&nest)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let mut groups: Vec<ObjectId> = c.into_iter().map(|n| nest[n]).collect();
            groups.sort_unstable();
            NestingCycle { groups }
        })
        .chain(
            self_loops
                .into_iter()
                .map(|g| NestingCycle { groups: vec![g] }),
        )
        .collect();
    cycles.sort_by_key(|c| c.groups[0]);
    cycles
}
