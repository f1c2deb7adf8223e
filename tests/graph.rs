//! The graph of the bundled sample against the directory it is built from: every edge the
//! directory implies is in the graph under its kind, and transitive membership agrees with a
//! plain walk of the directory's own nesting, through the sample's nesting cycle.

use hybridready::directory::ObjectId;
use hybridready::graph::{DirectoryGraph, EdgeKind, Node};
use hybridready::ingest::{IngestOptions, ingest};
use petgraph::visit::EdgeRef;
use std::collections::BTreeSet;
use std::path::Path;

fn sample() -> hybridready::ingest::Ingested {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/contoso");
    ingest(&[dir], &IngestOptions::default()).expect("ingest the sample")
}

#[test]
fn every_directory_edge_is_in_the_graph_under_its_kind() {
    let ing = sample();
    let dir = &ing.directory;
    let graph = DirectoryGraph::build(dir);
    let g = &graph.graph;
    assert_eq!(
        g.node_count(),
        dir.len() + dir.domains().len() + dir.ous().len()
    );
    let mut managers = 0;
    for id in dir.ids() {
        let out: Vec<(u32, EdgeKind)> = g
            .edges(graph.node_of(id))
            .map(|e| (e.target(), *e.weight()))
            .collect();
        let mut want: Vec<(u32, EdgeKind)> = dir
            .groups_of(id)
            .iter()
            .map(|g| (graph.node_of(*g), EdgeKind::MemberOf))
            .collect();
        if let Some(m) = dir.manager_of(id) {
            want.push((graph.node_of(m), EdgeKind::Manager));
            managers += 1;
        }
        if let Some(d) = dir.domain_of(id) {
            want.push((graph.domain_node(d), EdgeKind::InDomain));
        }
        if let Some(c) = dir.container_of(id)
            && let Some(ou) = dir.ous().iter().position(|o| o.dn == c)
        {
            want.push((graph.ou_node(ou), EdgeKind::InOu));
        }
        want.sort_by_key(|&(t, _)| t);
        assert_eq!(out, want, "out-edges of {:?}", dir.dn(id));
        assert_eq!(graph.node(graph.node_of(id)), Node::Object(id));
    }
    assert!(managers > 0, "the sample has managers");
    assert_eq!(graph.edges.manager, managers);
    assert_eq!(graph.edges.member_of, dir.counts().memberships);
    assert_eq!(g.edge_count() as u64, {
        let e = &graph.edges;
        e.member_of + e.in_ou + e.in_domain + e.manager + e.trust
    });
    for d in 0..dir.domains().len() {
        let d = hybridready::directory::DomainId(d as u32);
        assert_eq!(graph.node(graph.domain_node(d)), Node::Domain(d));
    }
}

#[test]
fn transitive_groups_follow_nesting_through_its_cycle() {
    let ing = sample();
    let dir = &ing.directory;
    let graph = DirectoryGraph::build(dir);
    assert!(
        !graph.cycles.is_empty(),
        "the sample nests groups in a cycle"
    );
    let walk = |id: ObjectId| -> Vec<ObjectId> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<ObjectId> = dir.groups_of(id).to_vec();
        while let Some(g) = todo.pop() {
            if g != id && seen.insert(g) {
                todo.extend_from_slice(dir.groups_of(g));
            }
        }
        seen.into_iter().collect()
    };
    let in_cycle = graph.cycles[0].groups[0];
    assert!(graph.transitive_groups(in_cycle).len() > 1);
    for id in dir.ids() {
        assert_eq!(graph.transitive_groups(id), walk(id), "{:?}", dir.dn(id));
    }
}
