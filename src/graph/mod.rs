//! The directory as a graph (`petgraph`): users, groups, contacts, domains and OUs as nodes;
//! `member_of`, `in_ou`, `in_domain`, `manager` and `trust` as edges (spec §3). Group nesting can
//! be cyclic in real AD: cycles are found as strongly connected components and reported, and every
//! traversal here terminates on them.
//!
//! Owns: node numbering, edge kinds, nesting analysis, transitive membership. Must not touch:
//! inputs, rules, scenarios. Reads the directory, never changes it.

use crate::directory::{Directory, DomainId, ObjectId, ObjectKind};
use petgraph::Directed;
use petgraph::csr::Csr;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, EdgeFiltered};
use serde::Serialize;

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Node {
    Object(ObjectId),
    Domain(DomainId),
    /// Index into [`Directory::ous`].
    Ou(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
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

/// A cycle of nested groups (a strongly connected component of the nesting graph).
#[derive(Clone, Debug, Serialize)]
pub struct NestingCycle {
    pub groups: Vec<ObjectId>,
}

/// The directory's graph in compressed sparse rows: a node's out-edges lie side by side, sorted by
/// target. Nodes carry no weight: what node `i` stands for follows from the numbering (see
/// [`DirectoryGraph::node`]).
pub type ObjectGraph = Csr<(), EdgeKind, Directed, u32>;

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

/// An edge as `Csr::from_sorted_edges` takes it: source, target, kind.
type EdgeEntry = (u32, u32, EdgeKind);

/// The graph of objects, domains and OUs with every edge, and the count of each kind of edge.
/// Its edges are listed in (source, target) order, each object's in one pass over what the
/// directory already keeps sorted (groups ascending, then the manager placed among them, then
/// the domain, then the OU, whose nodes come after every object), so the rows are built in one
/// pass too; a linked-list graph took a random write per edge and 20 bytes for each of the
/// thirteen million edges of a million users.
fn object_graph(dir: &Directory) -> (ObjectGraph, EdgeCounts) {
    let n = dir.len();
    let nd = dir.domains().len();
    let no = dir.ous().len();
    let total_nodes = n + nd + no;
    let mut ou_of_dn = hashbrown::HashMap::with_capacity(no);
    for (i, ou) in dir.ous().iter().enumerate() {
        ou_of_dn.insert(ou.dn, (n + nd + i) as u32);
    }
    let mut edges = EdgeCounts::default();
    let mut list: Vec<EdgeEntry> =
        Vec::with_capacity(dir.membership_count() + 3 * n + dir.trusts().len());
    for id in dir.ids() {
        let from = id.0;
        // A manager is a user or a contact, never one of the groups.
        let mut manager = dir.manager_of(id).map(|m| m.0);
        for g in dir.groups_of(id) {
            if let Some(m) = manager.filter(|&m| m < g.0) {
                list.push((from, m, EdgeKind::Manager));
                manager = None;
            }
            list.push((from, g.0, EdgeKind::MemberOf));
        }
        edges.member_of += dir.groups_of(id).len() as u64;
        if let Some(m) = manager {
            list.push((from, m, EdgeKind::Manager));
        }
        edges.manager += dir.manager_of(id).is_some() as u64;
        if let Some(d) = dir.domain_of(id) {
            list.push((from, (n + d.0 as usize) as u32, EdgeKind::InDomain));
            edges.in_domain += 1;
        }
        if let Some(&ou) = dir.container_of(id).and_then(|c| ou_of_dn.get(&c)) {
            list.push((from, ou, EdgeKind::InOu));
            edges.in_ou += 1;
        }
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
    list.extend(trusts.iter().map(|&(a, b)| (a, b, EdgeKind::Trust)));
    edges.trust = trusts.len() as u64;
    // Sorted by construction; should that ever fail, sorting again costs time, not the graph.
    let mut g = ObjectGraph::from_sorted_edges(&list).unwrap_or_else(|_| {
        list.sort_unstable_by_key(|&(a, b, _)| (a, b));
        list.dedup_by_key(|&mut (a, b, _)| (a, b));
        ObjectGraph::from_sorted_edges(&list).unwrap_or_default()
    });
    // Nodes past the last one an edge names (an OU with no object in it) exist too.
    while g.node_count() < total_nodes {
        g.add_node(());
    }
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
    let mut cycles: Vec<NestingCycle> = petgraph::algo::tarjan_scc(&nest)
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
