//! The reference the wave planner is measured against: METIS's k-way partition of the same
//! users, shared by `benches/waves.rs` and `tests/waves.rs`.

/// The part of each of `n` nodes in a METIS k-way partition into `parts` parts of the graph of
/// weighted `pairs` (each once, `a != b`), with METIS's default 3 % imbalance.
pub fn labels(n: usize, pairs: &[(u32, u32, u64)], parts: usize, seed: i32) -> Vec<u32> {
    if parts <= 1 || n == 0 {
        return vec![0; n];
    }
    let mut deg = vec![0usize; n + 1];
    for &(a, b, _) in pairs {
        deg[a as usize + 1] += 1;
        deg[b as usize + 1] += 1;
    }
    for i in 1..=n {
        deg[i] += deg[i - 1];
    }
    let mut fill = deg.clone();
    let mut adjncy = vec![0 as metis::Idx; deg[n]];
    let mut adjwgt = vec![0 as metis::Idx; deg[n]];
    for &(a, b, w) in pairs {
        let w = w.min(i32::MAX as u64) as metis::Idx;
        for (x, y) in [(a, b), (b, a)] {
            let slot = &mut fill[x as usize];
            adjncy[*slot] = y as metis::Idx;
            adjwgt[*slot] = w;
            *slot += 1;
        }
    }
    let xadj: Vec<metis::Idx> = deg.iter().map(|&d| d as metis::Idx).collect();
    let mut part = vec![0 as metis::Idx; n];
    metis::Graph::new(1, parts as metis::Idx, &xadj, &adjncy)
        .expect("graph")
        .set_adjwgt(&adjwgt)
        .set_option(metis::option::Seed(seed))
        .part_kway(&mut part)
        .expect("metis");
    part.into_iter().map(|p| p as u32).collect()
}
