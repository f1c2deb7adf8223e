//! The directory as a graph (`petgraph`): users, groups, contacts, domains and OUs as nodes;
//! `member_of`, `in_ou`, `in_domain`, `manager` and `trust` as edges (spec §3). Group nesting can
//! be cyclic in real AD: cycles are found as strongly connected components and reported, and every
//! traversal here terminates on them.
//!
//! Owns: node numbering, edge kinds, nesting analysis, transitive membership. Must not touch:
//! inputs, rules, scenarios. Reads the directory, never changes it.

use crate::directory::{Directory, DomainId, ObjectId, ObjectKind};
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

pub struct DirectoryGraph {
    pub graph: DiGraph<Node, EdgeKind, u32>,
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

    pub fn node_of(&self, id: ObjectId) -> NodeIndex {
        NodeIndex::new(id.index())
    }
    pub fn domain_node(&self, d: DomainId) -> NodeIndex {
        NodeIndex::new(self.objects + d.0 as usize)
    }
    pub fn ou_node(&self, ou: usize) -> NodeIndex {
        NodeIndex::new(self.objects + self.domains + ou)
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
                && let Node::Object(o) = self.graph[nx]
            {
                out.push(o);
            }
        }
        out.sort_unstable();
        out
    }
}

/// The petgraph of objects, domains and OUs with every edge, and the count of each kind of edge.
fn object_graph(dir: &Directory) -> (DiGraph<Node, EdgeKind, u32>, EdgeCounts) {
    let n = dir.len();
    let nd = dir.domains().len();
    let no = dir.ous().len();
    let member_edges = dir.membership_count();
    let mut g: DiGraph<Node, EdgeKind, u32> =
        DiGraph::with_capacity(n + nd + no, member_edges + 3 * n + dir.trusts().len());
    for id in dir.ids() {
        g.add_node(Node::Object(id));
    }
    for d in 0..nd {
        g.add_node(Node::Domain(DomainId(d as u32)));
    }
    let mut ou_of_dn = hashbrown::HashMap::with_capacity(no);
    for (i, ou) in dir.ous().iter().enumerate() {
        g.add_node(Node::Ou(i as u32));
        ou_of_dn.insert(ou.dn, i);
    }
    let mut edges = EdgeCounts::default();
    for id in dir.ids() {
        let from = NodeIndex::new(id.index());
        for gid in dir.groups_of(id) {
            g.add_edge(from, NodeIndex::new(gid.index()), EdgeKind::MemberOf);
            edges.member_of += 1;
        }
        if let Some(ou) = dir.container_of(id).and_then(|c| ou_of_dn.get(&c)) {
            g.add_edge(from, NodeIndex::new(n + nd + ou), EdgeKind::InOu);
            edges.in_ou += 1;
        }
        if let Some(d) = dir.domain_of(id) {
            g.add_edge(from, NodeIndex::new(n + d.0 as usize), EdgeKind::InDomain);
            edges.in_domain += 1;
        }
        if let Some(m) = dir.manager_of(id) {
            g.add_edge(from, NodeIndex::new(m.index()), EdgeKind::Manager);
            edges.manager += 1;
        }
    }
    for t in dir.trusts() {
        g.add_edge(
            NodeIndex::new(n + t.source.0 as usize),
            NodeIndex::new(n + t.target.0 as usize),
            EdgeKind::Trust,
        );
        edges.trust += 1;
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
