//! Groups and direct memberships: the built-in groups, department, location, project and
//! forest-wide groups, the nesting (All Employees, AGDLP, a cycle, a nested pilot member), and
//! the compressed member/memberOf indexes every writer reads.

use std::collections::HashMap;

use super::defects;
use super::model::{
    Csr, DOMAINS, Directory, GROUP_BIT, Group, GroupKind, Kind, NONE, OuKind, Place,
    STAFF_SPAN_SECS, Scope, flag, stream,
};
use super::names::{CITIES, DEPARTMENTS, DEPT_IT, PROJECT_WORDS, fold_ascii};
use super::rng::Rng;

impl Directory {
    fn push_group(&mut self, g: Group) -> u32 {
        self.groups.push(g);
        (self.groups.len() - 1) as u32
    }

    /// Creates every group and returns the direct membership edges (tagged member, group).
    pub(super) fn build_groups(&mut self, staff: &[usize; 3]) -> Vec<(u32, u32)> {
        let mut rng = Rng::new(self.seed, stream::GROUPS);
        let mut edges: Vec<(u32, u32)> = Vec::new();
        let mut next_rid = [0u32; 3];
        for d in 0..3 {
            let system = self
                .users
                .iter()
                .filter(|u| u.domain as usize == d && u.kind != Kind::Staff && u.rid >= 1104)
                .count();
            next_rid[d] = 1104 + staff[d] as u32 + system as u32;
        }
        let mut take_rid = |d: usize| {
            next_rid[d] += 1;
            next_rid[d] - 1
        };
        let base = |dir: &Directory, d: usize| dir.domains[d].created;
        let mut domain_admins = [NONE; 3];
        let mut enterprise_admins = NONE;
        let mut dept_groups = [[NONE; 8]; 3];
        let mut loc_groups: HashMap<(u8, u8), u32> = HashMap::new();
        for d in 0..3usize {
            let t = base(self, d);
            // The well-known groups of every domain, in CN=Users; admin groups carry adminCount.
            let builtin = |kind: GroupKind,
                           name: &str,
                           rid: u32,
                           scope: Scope,
                           desc: &'static str| Group {
                kind,
                domain: d as u8,
                name: name.to_string(),
                place: Place::Users,
                scope,
                security: true,
                rid,
                mail: None,
                nickname: None,
                critical: true,
                admin_count: matches!(kind, GroupKind::DomainAdmins | GroupKind::EnterpriseAdmins),
                description: Some(desc),
                created: t + 600,
                managed_by: NONE,
            };
            domain_admins[d] = self.push_group(builtin(
                GroupKind::DomainAdmins,
                "Domain Admins",
                512,
                Scope::Global,
                "Designated administrators of the domain",
            ));
            self.domain_users[d] = self.push_group(builtin(
                GroupKind::DomainUsers,
                "Domain Users",
                513,
                Scope::Global,
                "All domain users",
            ));
            self.domain_guests[d] = self.push_group(builtin(
                GroupKind::DomainGuests,
                "Domain Guests",
                514,
                Scope::Global,
                "All domain guests",
            ));
            if d == 0 {
                enterprise_admins = self.push_group(builtin(
                    GroupKind::EnterpriseAdmins,
                    "Enterprise Admins",
                    519,
                    Scope::Universal,
                    "Designated administrators of the enterprise",
                ));
            }
            let tag = DOMAINS[d].tag;
            for (k, dept) in DEPARTMENTS.iter().enumerate() {
                let rid = take_rid(d);
                dept_groups[d][k] = self.push_group(Group {
                    kind: GroupKind::Dept,
                    domain: d as u8,
                    name: format!("Dept-{dept}-{tag}"),
                    place: Place::Ou(OuKind::Groups),
                    scope: Scope::Global,
                    security: true,
                    rid,
                    mail: None,
                    nickname: None,
                    critical: false,
                    admin_count: false,
                    description: Some("Department group"),
                    created: t + rng.range(86_400, 60 * 86_400) as i64,
                    managed_by: NONE,
                });
            }
            // AGDLP: a domain-local resource group holding the Finance department group.
            let rid = take_rid(d);
            let res = self.push_group(Group {
                kind: GroupKind::Resource,
                domain: d as u8,
                name: format!("Res-FinanceShare-Modify-{tag}"),
                place: Place::Ou(OuKind::Groups),
                scope: Scope::DomainLocal,
                security: true,
                rid,
                mail: None,
                nickname: None,
                critical: false,
                admin_count: false,
                description: Some("Modify rights on \\\\fs01\\finance"),
                created: t + rng.range(86_400, 60 * 86_400) as i64,
                managed_by: NONE,
            });
            edges.push((dept_groups[d][2] | GROUP_BIT, res));
            for &c in DOMAINS[d].cities {
                let rid = take_rid(d);
                let city = CITIES.get(c as usize).copied().unwrap_or("City");
                let g = self.push_group(Group {
                    kind: GroupKind::Loc,
                    domain: d as u8,
                    name: format!("Loc-{city}-{tag}"),
                    place: Place::Ou(OuKind::Groups),
                    scope: Scope::Global,
                    security: true,
                    rid,
                    mail: None,
                    nickname: None,
                    critical: false,
                    admin_count: false,
                    description: Some("Office location"),
                    created: t + rng.range(86_400, 60 * 86_400) as i64,
                    managed_by: NONE,
                });
                loc_groups.insert((d as u8, c), g);
            }
        }
        // Forest-wide groups live in contoso.com as universal groups so they may hold members
        // of every domain.
        let t0 = base(self, 0);
        let mut universal = |dir: &mut Directory,
                             kind: GroupKind,
                             name: &str,
                             security: bool,
                             scope: Scope,
                             mail: Option<&str>,
                             desc: Option<&'static str>| {
            let rid = take_rid(0);
            dir.push_group(Group {
                kind,
                domain: 0,
                name: name.to_string(),
                place: Place::Ou(OuKind::Groups),
                scope,
                security,
                rid,
                mail: mail.map(|m| format!("{m}@contoso.com")),
                nickname: mail.map(|_| name.replace(' ', "")),
                critical: false,
                admin_count: false,
                description: desc,
                created: t0 + 90 * 86_400 + i64::from(rid),
                managed_by: NONE,
            })
        };
        let all_staff = universal(
            self,
            GroupKind::AllStaff,
            "All Staff",
            true,
            Scope::Universal,
            Some("allstaff"),
            Some("Every enabled member of staff"),
        );
        let all_employees = universal(
            self,
            GroupKind::AllEmployees,
            "All Employees",
            true,
            Scope::Universal,
            None,
            Some("Department groups of every domain"),
        );
        let mut dls = HashMap::new();
        for (c, city) in CITIES.iter().enumerate() {
            let mut local = String::from("dl-");
            fold_ascii(city, &['-'], &mut local);
            let name = format!("DL-{city}");
            let g = universal(
                self,
                GroupKind::Dl,
                &name,
                false,
                Scope::Universal,
                Some(&local),
                Some("Office distribution list"),
            );
            if let Some(gr) = self.groups.get_mut(g as usize) {
                let mut nick = String::from("DL-");
                fold_ascii(city, &[], &mut nick);
                gr.nickname = Some(nick);
            }
            dls.insert(c as u8, g);
        }
        let pilot = universal(
            self,
            GroupKind::SfbPilot,
            "SfB-Pilot",
            true,
            Scope::Universal,
            None,
            Some("Skype for Business users in the first move to Microsoft 365"),
        );
        let sync_pilot = universal(
            self,
            GroupKind::SyncPilot,
            "SyncPilot",
            true,
            Scope::Universal,
            None,
            Some("Entra Connect group-based filtering pilot"),
        );
        self.pilot_group = pilot;
        self.sync_pilot_group = sync_pilot;
        let mut cycle = [NONE; 3];
        for (k, name) in ["Cycle-A", "Cycle-B", "Cycle-C"].iter().enumerate() {
            cycle[k] = universal(
                self,
                GroupKind::Cycle,
                name,
                true,
                Scope::Global,
                None,
                Some("Nesting loop left over from a migration"),
            );
        }
        edges.push((cycle[0] | GROUP_BIT, cycle[1]));
        edges.push((cycle[1] | GROUP_BIT, cycle[2]));
        edges.push((cycle[2] | GROUP_BIT, cycle[0]));
        for groups in &dept_groups {
            for &g in groups {
                edges.push((g | GROUP_BIT, all_employees));
            }
        }

        // Users' memberships, except projects.
        let mut it_admins = [0usize; 3];
        let mut cycle_members = 0;
        let mut enabled_by_domain: [Vec<u32>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        for (i, u) in self.users.iter_mut().enumerate() {
            let i32_ = i as u32;
            let d = u.domain as usize;
            match u.kind {
                Kind::Administrator => {
                    edges.push((i32_, domain_admins[d]));
                    u.flags |= flag::ADMIN;
                    if d == 0 && enterprise_admins != NONE {
                        edges.push((i32_, enterprise_admins));
                    }
                }
                Kind::Staff => {
                    edges.push((i32_, dept_groups[d][u.dept as usize % 8]));
                    if !u.has(flag::ENABLED) {
                        continue;
                    }
                    enabled_by_domain[d].push(i32_);
                    edges.push((i32_, all_staff));
                    if let Some(&g) = loc_groups.get(&(u.domain, u.city)) {
                        edges.push((i32_, g));
                    }
                    if let Some(&g) = dls.get(&u.city) {
                        edges.push((i32_, g));
                    }
                    if u.has(flag::PILOT) {
                        edges.push((i32_, pilot));
                    }
                    if u.has(flag::SYNC_PILOT) {
                        edges.push((i32_, sync_pilot));
                    }
                    if u.dept == DEPT_IT
                        && !u.has(flag::CONTRACTOR)
                        && !u.has(flag::HOST)
                        && it_admins[d] < 2
                    {
                        it_admins[d] += 1;
                        u.flags |= flag::ADMIN;
                        edges.push((i32_, domain_admins[d]));
                    }
                    if d == 0 && cycle_members < 3 && !u.has(flag::HOST) {
                        cycle_members += 1;
                        edges.push((i32_, cycle[0]));
                    }
                }
                _ => {}
            }
        }

        // DL-MAIL: distribution groups nobody mail-enabled (groupType 8 and 2).
        if self.with_defects {
            let mut lrng = Rng::new(self.seed, stream::GROUPS ^ 0xD1);
            let k = defects::instances(self.requested).max(2);
            let pool = &enabled_by_domain[0];
            for i in 0..k {
                let word = PROJECT_WORDS[i % PROJECT_WORDS.len()];
                let scope = if i % 2 == 0 {
                    Scope::Universal
                } else {
                    Scope::Global
                };
                let g = universal(
                    self,
                    GroupKind::LegacyDl,
                    &format!("DL-Legacy-{word}-{}", i + 1),
                    false,
                    scope,
                    None,
                    Some("Legacy distribution list (never mail-enabled)"),
                );
                for _ in 0..pool.len().min(3) {
                    let m = pool[lrng.below_usize(pool.len())];
                    edges.push((m, g));
                }
            }
        }

        // Project groups: 5–40 members, until the average user is in four or five of them (about
        // ten groups in all, counting the primary group). A project is run by a team: most of its
        // members work near its lead (neighbours in the department's list, in the creation order
        // the manager tree is built in, share a manager or a grand-manager), some come from the
        // lead's wider unit, a few from anywhere in the domain, as in a real company (a
        // project drawn from the whole domain would tie everyone to everyone, which no real
        // directory does).
        let mut prng = Rng::new(self.seed, stream::PROJECTS);
        let mut project_no = 0usize;
        let mut first_project = NONE;
        for (d, pool) in enabled_by_domain.iter().enumerate() {
            if pool.is_empty() {
                continue;
            }
            let mut by_dept: HashMap<u8, Vec<u32>> = HashMap::new();
            let mut pos: HashMap<u32, usize> = HashMap::new();
            for &m in pool {
                if let Some(u) = self.users.get(m as usize) {
                    let list = by_dept.entry(u.dept).or_default();
                    pos.insert(m, list.len());
                    list.push(m);
                }
            }
            let target = pool.len() * 9 / 2;
            let mut assigned = 0;
            let mut members: Vec<u32> = Vec::with_capacity(40);
            while assigned < target {
                let lead = pool[prng.below_usize(pool.len())];
                let home = self
                    .users
                    .get(lead as usize)
                    .and_then(|u| by_dept.get(&u.dept))
                    .unwrap_or(pool);
                let at = pos.get(&lead).copied().unwrap_or(0).min(home.len() - 1);
                let size = (prng.range(5, 40) as usize).min(pool.len());
                // The lead's part of the department: as wide as the project, at least its team
                // and the teams beside it.
                let reach = size.max(18);
                let near = &home[at.saturating_sub(reach)..(at + reach + 1).min(home.len())];
                // Beyond it, the lead's wider unit: a large department has sub-departments, and
                // a project seldom reaches past its own.
                let wide =
                    &home[at.saturating_sub(6 * reach)..(at + 6 * reach + 1).min(home.len())];
                let local = (size * 85 / 100).min(near.len());
                members.clear();
                let mut tries = 0usize;
                while members.len() < size {
                    tries += 1;
                    let from = if members.len() < local && tries < 40 * size {
                        near
                    } else if prng.below(3) < 2 && tries < 80 * size {
                        wide
                    } else {
                        pool
                    };
                    let m = from[prng.below_usize(from.len())];
                    if !members.contains(&m) {
                        members.push(m);
                    }
                }
                // (word, number) pairs are unique and keep the names short: Proj-Atlas-17.
                let word = PROJECT_WORDS[project_no % PROJECT_WORDS.len()];
                let number = project_no / PROJECT_WORDS.len() + 1;
                project_no += 1;
                let rid = take_rid(d);
                let created = t0 + 120 * 86_400 + prng.below(STAFF_SPAN_SECS - 200 * 86_400) as i64;
                let g = self.push_group(Group {
                    kind: GroupKind::Project,
                    domain: d as u8,
                    name: format!("Proj-{word}-{number}"),
                    place: Place::Ou(OuKind::Groups),
                    scope: Scope::Global,
                    security: true,
                    rid,
                    mail: None,
                    nickname: None,
                    critical: false,
                    admin_count: false,
                    description: None,
                    created,
                    managed_by: members.first().copied().unwrap_or(NONE),
                });
                if first_project == NONE && d == 0 {
                    first_project = g;
                }
                for &m in &members {
                    edges.push((m, g));
                }
                assigned += size;
            }
        }
        // Entra Connect's group filter does not resolve nesting: members of this nested project
        // group are *not* in the sync pilot's scope.
        if first_project != NONE {
            edges.push((first_project | GROUP_BIT, sync_pilot));
        }
        edges
    }

    pub(super) fn index_memberships(&mut self, mut edges: Vec<(u32, u32)>) {
        edges.sort_unstable();
        edges.dedup();
        self.member_edges = edges.len();
        let nu = self.users.len();
        let ng = self.groups.len();
        let split = edges.partition_point(|&(m, _)| m & GROUP_BIT == 0);
        let (user_edges, group_edges) = edges.split_at(split);
        self.user_groups = Csr::from_sorted(nu, user_edges.iter().copied(), user_edges.len());
        self.group_parents = Csr::from_sorted(
            ng,
            group_edges.iter().map(|&(m, g)| (m & !GROUP_BIT, g)),
            group_edges.len(),
        );
        // group → members by counting sort, keeping members in (users, groups) order.
        let mut off = vec![0u32; ng + 1];
        for &(_, g) in &edges {
            if let Some(o) = off.get_mut(g as usize + 1) {
                *o += 1;
            }
        }
        for i in 1..off.len() {
            off[i] += off[i - 1];
        }
        let mut fill = off.clone();
        let mut data = vec![0u32; edges.len()];
        for &(m, g) in &edges {
            if let Some(f) = fill.get_mut(g as usize) {
                if let Some(slot) = data.get_mut(*f as usize) {
                    *slot = m;
                }
                *f += 1;
            }
        }
        self.group_members = Csr { off, data };
    }
}
