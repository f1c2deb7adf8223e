//! The object graph's storage: compressed sparse rows, filled on every core, walked by petgraph's
//! algorithms (`Dfs`, `EdgeFiltered`, …) through petgraph's visit traits.
//!
//! petgraph's own `Csr` can only be built by one serial pass over a sorted list of every edge, its
//! rows growing by doubling as it goes. At a million users that pass took a fifth of a second on
//! one core (most of it the first touch of the memory its growth asked for), after the 150 MB list
//! had been written. Here a count of each node's edges places every row before any is written, so
//! ranges of rows are filled side by side on every core, straight from the directory.
//!
//! Owns: the layout of rows and the petgraph view of them. Must not touch: what an edge means
//! (the [`RowSource`] says which edges a node has).

use super::EdgeKind;
use fixedbitset::FixedBitSet;
use petgraph::Directed;
use petgraph::visit::{
    Data, EdgeCount, EdgeRef, GraphBase, GraphProp, IntoEdgeReferences, IntoEdges, IntoNeighbors,
    IntoNodeIdentifiers, NodeCompactIndexable, NodeCount, NodeIndexable, Visitable,
};
use rayon::prelude::*;

/// Gives the out-edges of a node, in the order its row keeps them. Asked twice per node (once to
/// count, once to fill), so it must give the same edges both times.
pub trait RowSource: Sync {
    fn row(&self, node: u32, push: impl FnMut(u32, EdgeKind));
}

/// A directed graph in compressed sparse rows: the out-edges of node `n` lie side by side at
/// `rows[n]..rows[n + 1]` of `targets`, their kinds at the same places of `kinds`. Nodes carry no
/// weight.
#[derive(Clone, Debug, Default)]
pub struct ObjectGraph {
    rows: Vec<usize>,
    targets: Vec<u32>,
    kinds: Vec<EdgeKind>,
}

/// Nodes per task of the two passes: small enough that the two cores share the work evenly
/// although edges crowd on some nodes, large enough that a task is not mostly overhead.
const NODES_PER_TASK: usize = 4096;

impl ObjectGraph {
    /// The graph of `nodes` nodes with the edges `source` gives each.
    pub fn from_rows(nodes: usize, source: &impl RowSource) -> ObjectGraph {
        let mut rows = vec![0usize; nodes + 1];
        rows[1..]
            .par_chunks_mut(NODES_PER_TASK)
            .enumerate()
            .for_each(|(k, part)| {
                let first = k * NODES_PER_TASK;
                for (i, slot) in part.iter_mut().enumerate() {
                    let mut degree = 0;
                    source.row((first + i) as u32, |_, _| degree += 1);
                    *slot = degree;
                }
            });
        for i in 1..rows.len() {
            rows[i] += rows[i - 1];
        }
        let edges = rows[nodes];
        let mut targets = vec![0u32; edges];
        let mut kinds: Vec<EdgeKind> = bytemuck::zeroed_vec(edges);
        // Each task gets the part of `targets` and `kinds` that its nodes' rows occupy.
        let mut parts = Vec::with_capacity(nodes / NODES_PER_TASK + 1);
        let (mut targets_left, mut kinds_left) = (targets.as_mut_slice(), kinds.as_mut_slice());
        for first in (0..nodes).step_by(NODES_PER_TASK) {
            let end = (first + NODES_PER_TASK).min(nodes);
            let len = rows[end] - rows[first];
            let (t, t_rest) = targets_left.split_at_mut(len);
            let (k, k_rest) = kinds_left.split_at_mut(len);
            parts.push((first..end, t, k));
            (targets_left, kinds_left) = (t_rest, k_rest);
        }
        parts.into_par_iter().for_each(|(nodes, t, k)| {
            let mut at = 0;
            for n in nodes {
                source.row(n as u32, |to, kind| {
                    if let (Some(ts), Some(ks)) = (t.get_mut(at), k.get_mut(at)) {
                        *ts = to;
                        *ks = kind;
                    }
                    at += 1;
                });
            }
        });
        ObjectGraph {
            rows,
            targets,
            kinds,
        }
    }

    pub fn node_count(&self) -> usize {
        self.rows.len().saturating_sub(1)
    }

    pub fn edge_count(&self) -> usize {
        self.targets.len()
    }

    /// Where node `a`'s row lies (empty for a node the graph does not have).
    fn span(&self, a: u32) -> std::ops::Range<usize> {
        let a = a as usize;
        match (self.rows.get(a), self.rows.get(a + 1)) {
            (Some(&s), Some(&e)) => s..e,
            _ => 0..0,
        }
    }

    /// The targets of node `a`'s out-edges.
    pub fn neighbors_slice(&self, a: u32) -> &[u32] {
        &self.targets[self.span(a)]
    }

    /// The kind of every edge, row after row.
    pub fn kinds(&self) -> &[EdgeKind] {
        &self.kinds
    }

    /// Node `a`'s out-edges.
    pub fn edges(&self, a: u32) -> Edges<'_> {
        Edges {
            graph: self,
            source: a,
            at: self.span(a),
        }
    }
}

/// An edge of an [`ObjectGraph`]; its id is its place in the rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EdgeReference<'a> {
    source: u32,
    target: u32,
    id: usize,
    kind: &'a EdgeKind,
}

impl EdgeRef for EdgeReference<'_> {
    type NodeId = u32;
    type EdgeId = usize;
    type Weight = EdgeKind;
    fn source(&self) -> u32 {
        self.source
    }
    fn target(&self) -> u32 {
        self.target
    }
    fn weight(&self) -> &EdgeKind {
        self.kind
    }
    fn id(&self) -> usize {
        self.id
    }
}

/// The out-edges of one node.
#[derive(Clone, Debug)]
pub struct Edges<'a> {
    graph: &'a ObjectGraph,
    source: u32,
    at: std::ops::Range<usize>,
}

impl<'a> Iterator for Edges<'a> {
    type Item = EdgeReference<'a>;
    fn next(&mut self) -> Option<EdgeReference<'a>> {
        let id = self.at.next()?;
        Some(EdgeReference {
            source: self.source,
            target: self.graph.targets[id],
            id,
            kind: &self.graph.kinds[id],
        })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.at.size_hint()
    }
}

/// Every edge, row after row.
#[derive(Clone, Debug)]
pub struct EdgeReferences<'a> {
    graph: &'a ObjectGraph,
    source: u32,
    id: usize,
}

impl<'a> Iterator for EdgeReferences<'a> {
    type Item = EdgeReference<'a>;
    fn next(&mut self) -> Option<EdgeReference<'a>> {
        let g = self.graph;
        let target = *g.targets.get(self.id)?;
        while g
            .rows
            .get(self.source as usize + 1)
            .is_some_and(|&e| e <= self.id)
        {
            self.source += 1;
        }
        let id = self.id;
        self.id += 1;
        Some(EdgeReference {
            source: self.source,
            target,
            id,
            kind: &g.kinds[id],
        })
    }
}

impl GraphBase for ObjectGraph {
    type NodeId = u32;
    type EdgeId = usize;
}

impl Data for ObjectGraph {
    type NodeWeight = ();
    type EdgeWeight = EdgeKind;
}

impl GraphProp for ObjectGraph {
    type EdgeType = Directed;
}

impl NodeCount for ObjectGraph {
    fn node_count(&self) -> usize {
        ObjectGraph::node_count(self)
    }
}

impl EdgeCount for ObjectGraph {
    fn edge_count(&self) -> usize {
        ObjectGraph::edge_count(self)
    }
}

impl NodeIndexable for ObjectGraph {
    fn node_bound(&self) -> usize {
        self.node_count()
    }
    fn to_index(&self, a: u32) -> usize {
        a as usize
    }
    fn from_index(&self, i: usize) -> u32 {
        i as u32
    }
}

impl NodeCompactIndexable for ObjectGraph {}

impl Visitable for ObjectGraph {
    type Map = FixedBitSet;
    fn visit_map(&self) -> FixedBitSet {
        FixedBitSet::with_capacity(self.node_count())
    }
    fn reset_map(&self, map: &mut FixedBitSet) {
        map.clear();
        map.grow(self.node_count());
    }
}

impl<'a> IntoNeighbors for &'a ObjectGraph {
    type Neighbors = std::iter::Copied<std::slice::Iter<'a, u32>>;
    fn neighbors(self, a: u32) -> Self::Neighbors {
        self.neighbors_slice(a).iter().copied()
    }
}

impl<'a> IntoEdges for &'a ObjectGraph {
    type Edges = Edges<'a>;
    fn edges(self, a: u32) -> Edges<'a> {
        ObjectGraph::edges(self, a)
    }
}

impl<'a> IntoEdgeReferences for &'a ObjectGraph {
    type EdgeRef = EdgeReference<'a>;
    type EdgeReferences = EdgeReferences<'a>;
    fn edge_references(self) -> EdgeReferences<'a> {
        EdgeReferences {
            graph: self,
            source: 0,
            id: 0,
        }
    }
}

impl IntoNodeIdentifiers for &ObjectGraph {
    type NodeIdentifiers = std::ops::Range<u32>;
    fn node_identifiers(self) -> std::ops::Range<u32> {
        0..self.node_count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::visit::{Dfs, EdgeFiltered};

    /// Node `n` has an edge to each of `n + 1 .. n + 1 + n % 4` below `nodes`, trust-kinded
    /// when the target is even.
    struct Ladder(u32);
    impl RowSource for Ladder {
        fn row(&self, n: u32, mut push: impl FnMut(u32, EdgeKind)) {
            for t in (n + 1..n + 1 + n % 4).filter(|&t| t < self.0) {
                push(
                    t,
                    if t % 2 == 0 {
                        EdgeKind::Trust
                    } else {
                        EdgeKind::MemberOf
                    },
                );
            }
        }
    }

    #[test]
    fn rows_hold_what_the_source_gives_across_many_tasks() {
        let nodes = 3 * NODES_PER_TASK as u32 + 17;
        let g = ObjectGraph::from_rows(nodes as usize, &Ladder(nodes));
        assert_eq!(g.node_count(), nodes as usize);
        let mut all = Vec::new();
        for n in 0..nodes {
            let mut want = Vec::new();
            Ladder(nodes).row(n, |t, k| want.push((n, t, k)));
            let got: Vec<_> = g
                .edges(n)
                .map(|e| (e.source(), e.target(), *e.weight()))
                .collect();
            assert_eq!(got, want, "row of {n}");
            let targets: Vec<u32> = want.iter().map(|w| w.1).collect();
            assert_eq!(g.neighbors_slice(n), targets.as_slice());
            all.extend(want);
        }
        assert_eq!(g.edge_count(), all.len());
        let listed: Vec<_> = g
            .edge_references()
            .map(|e| (e.source(), e.target(), *e.weight()))
            .collect();
        assert_eq!(listed, all);
        let ids: Vec<usize> = g.edge_references().map(|e| e.id()).collect();
        assert_eq!(ids, (0..all.len()).collect::<Vec<_>>());
        assert_eq!(
            g.edges(nodes).count(),
            0,
            "a node past the end has no edges"
        );
    }

    #[test]
    fn petgraph_walks_it() {
        let g = ObjectGraph::from_rows(40, &Ladder(40));
        let mut dfs = Dfs::new(&g, 1);
        let mut seen = Vec::new();
        while let Some(n) = dfs.next(&g) {
            seen.push(n);
        }
        seen.sort_unstable();
        let mut want = vec![1];
        let mut stack = vec![1u32];
        while let Some(n) = stack.pop() {
            Ladder(40).row(n, |t, _| {
                if !want.contains(&t) {
                    want.push(t);
                    stack.push(t);
                }
            });
        }
        want.sort_unstable();
        assert_eq!(seen, want);
        // Through member-of edges only.
        let members = EdgeFiltered::from_fn(&g, |e| *e.weight() == EdgeKind::MemberOf);
        let mut dfs = Dfs::new(&members, 3);
        let mut reached = Vec::new();
        while let Some(n) = dfs.next(&members) {
            reached.push(n);
        }
        assert!(reached.iter().all(|&n| n == 3 || n % 2 == 1), "{reached:?}");
        assert!(reached.len() > 1);
    }
}
