//! Affinity files of a synthetic directory: who delegates to whom, and who talks to whom (call
//! detail records summed per pair), keyed by UPN as a consultant's exports would be.

use super::model::{Directory, Kind, NONE};
use super::rng::hash3;
use super::sink::AtomicFile;
use super::view::UserView;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Writes `delegates.csv` (`Delegator,Delegate`) and `interactions.csv` (`User1,User2,Count`) into
/// `out`, returning `(name, path, rows)` for each.
pub(crate) fn write(dir: &Directory, out: &Path) -> Result<Vec<(String, PathBuf, u64)>> {
    let upn = |u: usize| -> Option<String> {
        let x = &dir.users[u];
        (x.kind == Kind::Staff && dir.is_sfb(u))
            .then(|| UserView::new(dir, u).upn)
            .flatten()
            .filter(|v| !v.trim().is_empty())
    };
    let upns: Vec<Option<String>> = (0..dir.users.len()).map(upn).collect();
    let mut files = Vec::new();

    // An assistant per manager: the manager's first SfB report delegates for them.
    let mut delegate_of = vec![NONE; dir.users.len()];
    for (u, user) in dir.users.iter().enumerate() {
        let m = user.manager as usize;
        if user.manager != NONE
            && m < delegate_of.len()
            && delegate_of[m] == NONE
            && upns[u].is_some()
        {
            delegate_of[m] = u as u32;
        }
    }
    let mut f = AtomicFile::create(&out.join("delegates.csv"))?;
    f.write_all(b"Delegator,Delegate\r\n")?;
    let mut rows = 0u64;
    for (m, &d) in delegate_of.iter().enumerate() {
        if d == NONE {
            continue;
        }
        if let (Some(a), Some(b)) = (&upns[m], &upns[d as usize]) {
            f.write_all(format!("{a},{b}\r\n").as_bytes())?;
            rows += 1;
        }
    }
    files.push(("delegates.csv".to_string(), f.commit()?, rows));

    // Three frequent contacts per SfB user, as people talk in a company: mostly with their own
    // team, then with the rest of their part of the department, seldom with anyone else.
    // Colleagues are listed per (domain, department) in creation order, the order the manager
    // tree is built in (fan-out 6), so neighbours in a list share a manager or a grand-manager.
    let mut colleagues: std::collections::HashMap<(u8, u8), Vec<u32>> =
        std::collections::HashMap::new();
    let mut pos = vec![0u32; dir.users.len()];
    for (u, user) in dir.users.iter().enumerate() {
        if upns[u].is_some() {
            let list = colleagues.entry((user.domain, user.dept)).or_default();
            pos[u] = list.len() as u32;
            list.push(u as u32);
        }
    }
    let n = dir.users.len() as u64;
    let mut f = AtomicFile::create(&out.join("interactions.csv"))?;
    f.write_all(b"User1,User2,Count\r\n")?;
    let mut rows = 0u64;
    for u in 0..dir.users.len() {
        let Some(a) = &upns[u] else { continue };
        let list = &colleagues[&(dir.users[u].domain, dir.users[u].dept)];
        let p = pos[u] as i64;
        for k in 0..3u64 {
            let h = hash3(dir.seed, u as u64, 9000 + k);
            let near = |reach: u64| {
                let d = 1 + ((h >> 8) % reach) as i64;
                let q = if (h >> 40) & 1 == 0 { p + d } else { p - d };
                list[q.clamp(0, list.len() as i64 - 1) as usize] as usize
            };
            let v = match h % 100 {
                0..=59 => near(8),
                60..=84 => near(48),
                _ => ((h >> 8) % n) as usize,
            };
            if v == u {
                continue;
            }
            if let Some(b) = &upns[v] {
                let count = 1 + (h >> 24) % 60;
                f.write_all(format!("{a},{b},{count}\r\n").as_bytes())?;
                rows += 1;
            }
        }
    }
    files.push(("interactions.csv".to_string(), f.commit()?, rows));
    Ok(files)
}
