//! Communication breaks (spec §6).
//!
//! Two users depend on each other as the dependency graph says (`hybridready_graph::dependency`:
//! a manager edge, a small shared group, a delegate pair or an interaction pair). A dependent
//! pair is broken when one is online and the other on-premises and unsynchronised. The figures
//! are exact, and computing them never enumerates the pairs of a group: for each unsynchronised
//! user, its online partners are visited once through its own edges and its small groups,
//! deduplicated by an epoch stamp. The cost is bounded by the unsynchronised users × their
//! groups × `max_group_size`.

use hybridready_assessment::BreakCounts;
use hybridready_directory::ObjectId;
use hybridready_graph::DependencyGraph;
use rayon::prelude::*;

/// Where a Skype for Business user is at one point of the simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum SfbState {
    /// Not a Skype for Business user (or not a user).
    None,
    Online,
    OnpremSynced,
    OnpremUnsynced,
}

/// The break figures of one point, with each unsynchronised user's impact.
#[derive(Clone, Debug, Default)]
pub struct BreakResult {
    pub counts: BreakCounts,
    /// `(unsynced user, impact, first partners)`, for users with impact > 0, by user id.
    pub impacts: Vec<Impact>,
}

/// One unsynchronised user's impact and its first online partners.
pub type Impact = (ObjectId, u64, Vec<ObjectId>);

/// How many partners to keep per unsynchronised user (the CSV shows "the first few").
pub const PARTNERS_KEPT: usize = 5;

/// Computes the breaks of one point.
pub fn compute(graph: &DependencyGraph, state: &[SfbState]) -> BreakResult {
    let dir = graph.directory();
    let n = dir.len();
    let unsynced: Vec<u32> = (0..n as u32)
        .filter(|&i| state[i as usize] == SfbState::OnpremUnsynced)
        .collect();
    let online_users = state.iter().filter(|&&s| s == SfbState::Online).count() as u64;
    let chunk = (unsynced.len() / (rayon::current_num_threads() * 4)).max(256);
    let parts: Vec<(Vec<Impact>, Vec<u32>)> = unsynced
        .par_chunks(chunk)
        .map(|vs| {
            let mut stamp = vec![u32::MAX; n];
            let mut affected = Vec::new();
            let mut out = Vec::new();
            for (epoch, &v) in vs.iter().enumerate() {
                let epoch = epoch as u32;
                let mut impact = 0u64;
                let mut partners = Vec::new();
                let mut visit = |w: u32| {
                    let wi = w as usize;
                    if state[wi] == SfbState::Online && stamp[wi] != epoch {
                        stamp[wi] = epoch;
                        impact += 1;
                        affected.push(w);
                        if partners.len() < PARTNERS_KEPT {
                            partners.push(ObjectId(w));
                        }
                    }
                };
                for (w, _) in graph.pairs_of(ObjectId(v)) {
                    visit(w.0);
                }
                for g in graph.groups_of(ObjectId(v)) {
                    for &w in graph.user_members_of(g) {
                        if w.0 != v {
                            visit(w.0);
                        }
                    }
                }
                if impact > 0 {
                    out.push((ObjectId(v), impact, partners));
                }
            }
            (out, affected)
        })
        .collect();
    let mut affected = vec![false; n];
    let mut result = BreakResult::default();
    for (out, aff_ids) in parts {
        for w in aff_ids {
            affected[w as usize] = true;
        }
        result.impacts.extend(out);
    }
    result.counts = BreakCounts {
        online_users,
        broken_pairs: result.impacts.iter().map(|x| x.1).sum(),
        unsynced_users_breaking: result.impacts.len() as u64,
        online_users_affected: affected.iter().filter(|&&a| a).count() as u64,
    };
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use hybridready_assessment::Dependency;
    use hybridready_directory::{
        Attr, Directory, DirectoryBuilder, FileId, ObjectKind, RecordBatch, RefKind, RowWhat,
    };
    use hybridready_graph::GroupRule;
    use proptest::prelude::*;
    use std::collections::HashSet;

    /// A random directory: `users` users, groups with random direct user members, managers.
    fn directory(users: usize, groups: &[Vec<usize>], managers: &[Option<usize>]) -> Directory {
        let mut b = RecordBatch::new(FileId(0));
        let udn = |i: usize| format!("CN=U{i},OU=Staff,DC=x,DC=com");
        let gdn = |i: usize| format!("CN=G{i},OU=Groups,DC=x,DC=com");
        for i in 0..users {
            let s = b.start_row();
            b.value(Attr::SamAccountName, &format!("u{i}"));
            for (g, members) in groups.iter().enumerate() {
                if members.contains(&i) {
                    b.dn_ref(RefKind::MemberOf, &gdn(g)).unwrap();
                }
            }
            if let Some(Some(m)) = managers.get(i) {
                b.dn_ref(RefKind::Manager, &udn(*m)).unwrap();
            }
            let dn_id = b.dns.intern(&udn(i)).unwrap();
            b.end_row(
                s,
                i as u64 + 2,
                RowWhat::Object(ObjectKind::User),
                Some(dn_id),
            );
        }
        for g in 0..groups.len() {
            let s = b.start_row();
            let dn_id = b.dns.intern(&gdn(g)).unwrap();
            b.end_row(
                s,
                1000 + g as u64,
                RowWhat::Object(ObjectKind::Group),
                Some(dn_id),
            );
        }
        let mut builder = DirectoryBuilder::new();
        builder.absorb(&b);
        builder.finish()
    }

    /// Every dependent pair, by definition, enumerated pair by pair.
    fn brute_force(
        dir: &Directory,
        state: &[SfbState],
        max: usize,
        extra: &[(usize, usize)],
    ) -> (BreakCounts, Vec<u64>) {
        let users: Vec<ObjectId> = dir.ids_of(ObjectKind::User).collect();
        let mut pairs: HashSet<(u32, u32)> = HashSet::new();
        let dependent = |a: ObjectId, b: ObjectId| {
            dir.manager_of(a) == Some(b)
                || dir.manager_of(b) == Some(a)
                || extra.iter().any(|&(x, y)| {
                    (x == a.index() && y == b.index()) || (x == b.index() && y == a.index())
                })
                || dir.groups_of(a).iter().any(|g| {
                    dir.groups_of(b).contains(g)
                        && dir
                            .members_of(*g)
                            .iter()
                            .filter(|m| dir.kind(**m) == ObjectKind::User)
                            .count()
                            <= max
                })
        };
        for &a in &users {
            for &b in &users {
                if a < b && dependent(a, b) {
                    let (sa, sb) = (state[a.index()], state[b.index()]);
                    let broken = (sa == SfbState::Online && sb == SfbState::OnpremUnsynced)
                        || (sb == SfbState::Online && sa == SfbState::OnpremUnsynced);
                    if broken {
                        pairs.insert((a.0, b.0));
                    }
                }
            }
        }
        let mut impact = vec![0u64; dir.len()];
        let mut unsynced = HashSet::new();
        let mut online = HashSet::new();
        for &(a, b) in &pairs {
            let (u, o) = if state[a as usize] == SfbState::OnpremUnsynced {
                (a, b)
            } else {
                (b, a)
            };
            impact[u as usize] += 1;
            unsynced.insert(u);
            online.insert(o);
        }
        (
            BreakCounts {
                online_users: state.iter().filter(|&&s| s == SfbState::Online).count() as u64,
                broken_pairs: pairs.len() as u64,
                unsynced_users_breaking: unsynced.len() as u64,
                online_users_affected: online.len() as u64,
            },
            impact,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn fast_breaks_equal_brute_force(
            users in 2usize..30,
            groups in proptest::collection::vec(proptest::collection::vec(0usize..30, 0..12), 0..6),
            managers in proptest::collection::vec(proptest::option::of(0usize..30), 0..30),
            extra in proptest::collection::vec((0usize..30, 0usize..30), 0..10),
            states in proptest::collection::vec(0u8..4, 30),
            max in 1usize..10,
        ) {
            let groups: Vec<Vec<usize>> = groups
                .into_iter()
                .map(|g| g.into_iter().filter(|&u| u < users).collect())
                .collect();
            let managers: Vec<Option<usize>> =
                managers.into_iter().map(|m| m.filter(|&m| m < users)).collect();
            let extra: Vec<(usize, usize)> =
                extra.into_iter().filter(|&(a, b)| a < users && b < users).collect();
            let dir = directory(users, &groups, &managers);
            let state: Vec<SfbState> = dir
                .ids()
                .map(|o| {
                    if dir.kind(o) != ObjectKind::User {
                        return SfbState::None;
                    }
                    match states[o.index() % states.len()] {
                        0 => SfbState::None,
                        1 => SfbState::Online,
                        2 => SfbState::OnpremSynced,
                        _ => SfbState::OnpremUnsynced,
                    }
                })
                .collect();
            let pairs = dir
                .ids()
                .filter_map(|o| dir.manager_of(o).map(|m| (o, m, Dependency::Manager)))
                .chain(extra.iter().map(|&(a, b)| {
                    (ObjectId(a as u32), ObjectId(b as u32), Dependency::Interaction)
                }));
            let graph = DependencyGraph::new(&dir, pairs, GroupRule { enabled: true, max_users: max });
            let fast = compute(&graph, &state);
            let (slow, impact) = brute_force(&dir, &state, max, &extra);
            prop_assert_eq!(fast.counts, slow);
            for (u, i, partners) in &fast.impacts {
                prop_assert_eq!(*i, impact[u.index()]);
                prop_assert!(partners.len() as u64 == (*i).min(PARTNERS_KEPT as u64));
            }
        }
    }
}
