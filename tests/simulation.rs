//! The simulation on `samples/contoso` with its scenario: every figure of `summary.json` checked
//! against values computed here independently, by brute force over all pairs of users.

use hybridready::assessment::scenario::Scenario;
use hybridready::assessment::{Assessment, CheckId, CheckResult, Class, Home, Status, StepId};
use hybridready::directory::{Attr, Directory, ObjectId, ObjectKind};
use hybridready::ingest::IngestOptions;
use hybridready::pipeline::{self, Loaded};
use hybridready::rules::Effect;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/contoso")
}

fn load(scenario: &Scenario) -> Loaded {
    pipeline::load(&[sample()], &[scenario], IngestOptions::default()).unwrap()
}

fn baseline() -> Scenario {
    Scenario::load(&sample().join("scenario.toml")).unwrap()
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// Whether `dn` lies in `ou` or below, by plain string comparison of the DNs.
fn under(dn: &str, ou: &str) -> bool {
    lower(dn).ends_with(&format!(",{}", lower(ou)))
}

struct Brute {
    syncs: Vec<bool>,
    in_scope: Vec<bool>,
    sfb: Vec<bool>,
    online: Vec<bool>,
    movable: Vec<bool>,
}

fn brute_scope(l: &Loaded, s: &Scenario) -> Brute {
    let dir = &l.ingested.directory;
    let n = dir.len();
    let mut excluded = vec![false; n];
    let mut blocked = vec![false; n];
    for f in &l.findings {
        match f.effect {
            Effect::Excluded => excluded[f.object.index()] = true,
            Effect::BlocksSync => blocked[f.object.index()] = true,
            Effect::AltersValue | Effect::Advisory => {}
        }
    }
    let excluded_ous = s.sync.exclude_ous.clone().unwrap_or_default();
    let verified: Vec<String> = s
        .tenant
        .verified_domains
        .clone()
        .unwrap_or_default()
        .iter()
        .map(|d| lower(d))
        .collect();
    let mut b = Brute {
        syncs: vec![false; n],
        in_scope: vec![false; n],
        sfb: vec![false; n],
        online: vec![false; n],
        movable: vec![false; n],
    };
    for o in dir.ids() {
        let i = o.index();
        let dn = dir.dn(o).unwrap_or("");
        let out_ou = excluded_ous.iter().any(|ou| under(dn, ou));
        b.in_scope[i] = !excluded[i] && !out_ou;
        b.syncs[i] = b.in_scope[i] && !blocked[i];
        if dir.kind(o) != ObjectKind::User {
            continue;
        }
        let enabled = dir.attr(o, Attr::SfbEnabled);
        let sip = dir.value(o, Attr::SipAddress);
        b.sfb[i] = enabled == Some("True") || (enabled.is_none() && sip.is_some());
        b.online[i] = dir
            .value(o, Attr::HostingProvider)
            .is_some_and(|h| lower(h).contains("sipfed.online.lync.com"));
        let sip_domain = sip.and_then(|x| x.rsplit_once('@')).map(|(_, d)| lower(d));
        b.movable[i] = b.sfb[i]
            && !b.online[i]
            && b.syncs[i]
            && sip_domain.is_some_and(|d| verified.contains(&d));
    }
    b
}

/// Users by the identity an affinity file gives: the SIP address when one object holds it (two
/// holders: it names no one), else the UPN under the same condition.
fn user_by_identity(dir: &Directory) -> impl Fn(&str) -> Option<ObjectId> {
    let index = |attr: Attr| {
        let mut seen: HashMap<String, Vec<ObjectId>> = HashMap::new();
        for o in dir.ids() {
            if let Some(v) = dir.value(o, attr) {
                let v = lower(v.trim());
                let v = v.strip_prefix("sip:").unwrap_or(&v).to_string();
                seen.entry(v).or_default().push(o);
            }
        }
        seen
    };
    let (sip, upn) = (index(Attr::SipAddress), index(Attr::UserPrincipalName));
    move |s: &str| {
        let k = lower(s.trim());
        for m in [&sip, &upn] {
            match m.get(&k).map(Vec::as_slice) {
                Some([one]) => return Some(*one),
                Some(_) => return None,
                None => {}
            }
        }
        None
    }
}

/// Every unordered pair of distinct users that depend on each other, by the definitions of
/// spec §6, enumerated pair by pair.
fn dependent_pairs(
    dir: &Directory,
    s: &Scenario,
    users: &[ObjectId],
) -> HashSet<(ObjectId, ObjectId)> {
    let find = user_by_identity(dir);
    let mut extra: HashSet<(ObjectId, ObjectId)> = HashSet::new();
    for file in [&s.affinity.delegates, &s.affinity.interactions]
        .into_iter()
        .flatten()
    {
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            if let (Some(a), Some(b)) = (find(cells[0]), find(cells[1]))
                && a != b
                && dir.kind(a) == ObjectKind::User
                && dir.kind(b) == ObjectKind::User
            {
                extra.insert((a.min(b), a.max(b)));
            }
        }
    }
    let user_members = |g: ObjectId| {
        dir.members_of(g)
            .iter()
            .filter(|m| dir.kind(**m) == ObjectKind::User)
            .count()
    };
    let small_groups: HashMap<ObjectId, Vec<ObjectId>> = dir
        .ids_of(ObjectKind::Group)
        .filter(|&g| user_members(g) <= s.affinity.max_group_size)
        .map(|g| (g, dir.members_of(g).to_vec()))
        .collect();
    let mut pairs = HashSet::new();
    for (i, &a) in users.iter().enumerate() {
        for &b in &users[i + 1..] {
            let key = (a.min(b), a.max(b));
            let manager = s.affinity.manager
                && (dir.manager_of(a) == Some(b) || dir.manager_of(b) == Some(a));
            let group = small_groups
                .values()
                .any(|m| m.contains(&a) && m.contains(&b));
            if manager || group || extra.contains(&key) {
                pairs.insert(key);
            }
        }
    }
    pairs
}

/// Broken pairs at a point: `(pairs, unsynced users breaking, online users affected, impact)`.
fn brute_breaks(
    pairs: &HashSet<(ObjectId, ObjectId)>,
    online: &[bool],
    unsynced: &[bool],
) -> (u64, u64, u64, HashMap<ObjectId, u64>) {
    let mut impact: HashMap<ObjectId, u64> = HashMap::new();
    let mut affected = HashSet::new();
    let mut broken = 0;
    for &(a, b) in pairs {
        for (u, o) in [(a, b), (b, a)] {
            if unsynced[u.index()] && online[o.index()] {
                broken += 1;
                *impact.entry(u).or_default() += 1;
                affected.insert(o);
            }
        }
    }
    (broken, impact.len() as u64, affected.len() as u64, impact)
}

#[test]
fn every_figure_of_the_sample_matches_brute_force() {
    let s = baseline();
    let l = load(&s);
    let dir = &l.ingested.directory;
    let outcome = pipeline::run(&l, &s, 0).unwrap();
    let summary = assess(&l, &s, outcome);
    let b = brute_scope(&l, &s);

    // Directory counts, from the generator's ground truth.
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(sample().join("ps51/manifest.json")).unwrap(),
    )
    .unwrap();
    let d = &summary.directory;
    for (field, got) in [
        ("users", d.users),
        ("groups", d.groups),
        ("contacts", d.contacts),
        ("domains", d.domains),
        ("ous", d.ous),
        ("memberships", d.memberships),
        ("sfb_users", d.sfb_users),
    ] {
        assert_eq!(Some(got), manifest[field].as_u64(), "directory.{field}");
    }

    // Sync.
    let sync = &summary.sync;
    let count = |v: &[bool]| v.iter().filter(|x| **x).count() as u64;
    assert_eq!(sync.in_scope, count(&b.in_scope));
    assert_eq!(sync.synced, count(&b.syncs));
    assert_eq!(sync.sfb_users, count(&b.sfb));
    let sfb_synced = (0..dir.len()).filter(|&i| b.sfb[i] && b.syncs[i]).count() as u64;
    assert_eq!(sync.sfb_synced, sfb_synced);
    assert_eq!(sync.sfb_unsynced, sync.sfb_users - sfb_synced);
    assert!((sync.coverage - sfb_synced as f64 / sync.sfb_users as f64).abs() < 1e-12);

    // The pilot and the two points of the simulation.
    let pilot_group = dir
        .object_by_dn("CN=SfB-Pilot,OU=Groups,DC=contoso,DC=com")
        .unwrap();
    let pilot: Vec<ObjectId> = dir.members_of(pilot_group).to_vec();
    let unsynced: Vec<bool> = (0..dir.len())
        .map(|i| b.sfb[i] && !b.online[i] && !b.syncs[i])
        .collect();
    let mut at_pilot = b.online.clone();
    for p in &pilot {
        if b.movable[p.index()] {
            at_pilot[p.index()] = true;
        }
    }
    let at_end: Vec<bool> = (0..dir.len())
        .map(|i| b.online[i] || b.movable[i])
        .collect();
    let users: Vec<ObjectId> = dir
        .ids_of(ObjectKind::User)
        .filter(|o| b.sfb[o.index()])
        .collect();
    let pairs = dependent_pairs(dir, &s, &users);
    let breaks = summary.breaks;
    for (point, online, got) in [
        ("pilot", &at_pilot, breaks.pilot),
        ("end", &at_end, breaks.end),
    ] {
        let (p, u, o, _) = brute_breaks(&pairs, online, &unsynced);
        assert_eq!(got.online_users, count(online), "{point} online users");
        assert_eq!(got.broken_pairs, p, "{point} broken pairs");
        assert_eq!(
            got.unsynced_users_breaking, u,
            "{point} unsynced users breaking"
        );
        assert_eq!(
            got.online_users_affected, o,
            "{point} online users affected"
        );
    }
    assert!(breaks.end.broken_pairs > breaks.pilot.broken_pairs);

    // Per unsynced user: its home, its impact after the pilot and at the end; every SfB user
    // that does not sync is listed once, those already online first.
    let (_, _, _, end_impact) = brute_breaks(&pairs, &at_end, &unsynced);
    let (_, _, _, pilot_impact) = brute_breaks(&pairs, &at_pilot, &unsynced);
    let online_unsynced = (0..dir.len())
        .filter(|&i| b.sfb[i] && b.online[i] && !b.syncs[i])
        .count() as u64;
    assert!(
        online_unsynced > 0,
        "the sample has a user online that stops syncing"
    );
    assert_eq!(
        summary.unsynced.len() as u64,
        count(&unsynced) + online_unsynced
    );
    assert_eq!(summary.unsynced.len() as u64, sync.sfb_unsynced);
    assert_eq!(sync.sfb_unsynced_online, online_unsynced);
    for u in &summary.unsynced {
        let o = ObjectId(u.user.0);
        let dn = dir.dn(o).unwrap_or_default();
        assert_eq!(u.home == Home::Online, b.online[o.index()], "{dn}");
        assert_eq!(u.impact, end_impact.get(&o).copied().unwrap_or(0), "{dn}");
        assert_eq!(
            u.impact_after_pilot,
            pilot_impact.get(&o).copied().unwrap_or(0)
        );
    }
    assert!(
        summary.unsynced.windows(2).all(|w| {
            (w[0].home == Home::Online && w[1].home == Home::OnPremises)
                || (w[0].home == w[1].home && w[0].impact >= w[1].impact)
        }),
        "online first, then ranked by impact"
    );
    // U01 counts the on-premises ones, U16 the online one: each user once.
    let u01 = summary.check(CheckId::U01).unwrap();
    let u16 = summary.check(CheckId::U16).unwrap();
    assert_eq!(u01.object_count, count(&unsynced));
    assert_eq!(u16.object_count, online_unsynced);
    for c in [u01, u16] {
        assert_eq!(
            c.causes.iter().map(|k| k.count).sum::<u64>(),
            c.object_count
        );
    }

    // Waves: the movable pilot first, then every other movable user, each once.
    let wave0: HashSet<ObjectId> = pilot
        .iter()
        .copied()
        .filter(|p| b.movable[p.index()])
        .collect();
    let waves = &summary.waves.waves;
    assert_eq!(
        waves[0]
            .users
            .iter()
            .map(|u| ObjectId(u.user.0))
            .collect::<HashSet<_>>(),
        wave0
    );
    let all: HashSet<u32> = waves
        .iter()
        .flat_map(|w| &w.users)
        .map(|u| u.user.0)
        .collect();
    assert_eq!(
        all.len() as u64,
        summary.waves.users(),
        "each user in one wave"
    );
    assert_eq!(all.len() as u64, count(&b.movable));
    assert!(waves[1..].iter().all(|w| w.users.len() <= s.waves.size));
    assert_eq!(summary.waves.already_online, count(&b.online));

    // The table of reasons sums to the objects that do not sync, and to the SfB users.
    let objects: u64 = sync.not_synced.iter().map(|r| r.objects).sum();
    let sfb: u64 = sync.not_synced.iter().map(|r| r.sfb_users).sum();
    assert_eq!(objects, sync.objects - sync.synced);
    assert_eq!(sfb, sync.sfb_unsynced);

    // The verdict and the score follow their documented formulas.
    check_score(&summary);
}

/// Recomputes each check's cost, each step's score, the score and the verdict from the
/// documented formula (`sim::score`'s doc and the report's method).
fn check_score(a: &Assessment) {
    let sfb_users = a.sync.sfb_users;
    let mut worst = 100;
    for st in &a.steps {
        let mut lost = 0;
        for c in &st.checks {
            let (fail, warn) = match c.id.def().class {
                Class::Block => (20, 5),
                Class::Error => (10, 5),
                Class::Risk => (5, 2),
                Class::Report => (0, 0),
            };
            let share = match (c.id, c.status) {
                (CheckId::U01 | CheckId::U16, Status::Fail) => {
                    (c.object_count * 50).div_ceil(sfb_users.max(1)) as u32
                }
                _ => 0,
            };
            // Not provided: what the failure it may hide costs, every SfB user unsynchronised.
            let not_provided = matches!(c.fact, hybridready::assessment::Fact::NotProvided { .. });
            let cost = match (c.status, not_provided, c.id) {
                (_, true, CheckId::U01 | CheckId::U16) => fail + 50,
                (_, true, _) => fail,
                (Status::Pass, ..) => 0,
                (Status::Warn, ..) => warn,
                (Status::Fail, ..) => fail + share,
            };
            assert_eq!(c.cost, cost, "{:?}", c.id);
            lost += cost;
        }
        let mut score = 100u32.saturating_sub(lost);
        let blocked = st.checks.iter().any(|c| {
            c.status == Status::Fail
                || (matches!(c.fact, hybridready::assessment::Fact::NotProvided { .. })
                    && c.id.def().class == Class::Block)
        });
        assert_eq!(st.status == Status::Fail, blocked, "{:?}", st.id);
        if st.status == Status::Fail {
            score = score.min(50);
        }
        assert_eq!(st.score, score, "{:?}", st.id);
        worst = worst.min(score);
    }
    assert_eq!(a.score.value, worst);
    let blocked = a.steps.iter().any(|s| s.status == Status::Fail);
    assert_eq!(
        a.verdict == hybridready::assessment::Verdict::Blocked,
        blocked
    );
    if blocked {
        assert!(
            a.score.value <= 50,
            "a blocked deployment scores at most 50"
        );
    }
}

fn assess(l: &Loaded, s: &Scenario, outcome: hybridready::sim::run::Outcome) -> Assessment {
    pipeline::assessment(
        l,
        pipeline::Context {
            scenario: s,
            scenario_file: None,
            customer: None,
            assessed_at: 0,
        },
        outcome,
    )
}

fn check(o: &hybridready::sim::run::Outcome, id: CheckId) -> &CheckResult {
    o.steps
        .iter()
        .flat_map(|s| &s.checks)
        .find(|c| c.id == id)
        .unwrap()
}

fn step(o: &hybridready::sim::run::Outcome, id: StepId) -> Status {
    o.steps.iter().find(|s| s.id == id).unwrap().status
}

#[test]
fn excluding_an_ou_with_sfb_users_fails_sync_and_lists_exactly_them() {
    let mut s = baseline();
    s.sync.exclude_ous = None;
    let l = load(&s);
    let dir = &l.ingested.directory;
    let before = pipeline::run(&l, &s, 0).unwrap();
    let ou = "OU=Sales,OU=Staff,DC=fabrikam,DC=com";
    s.sync.exclude_ous = Some(vec![ou.to_string()]);
    let after = pipeline::run(&l, &s, 0).unwrap();
    assert_eq!(step(&after, StepId::Sync), Status::Fail);
    // The users the exclusion adds to U01 are exactly the on-premises SfB users of the OU.
    let b = brute_scope(&l, &s);
    let in_ou: HashSet<String> = dir
        .ids_of(ObjectKind::User)
        .filter(|o| b.sfb[o.index()] && !b.online[o.index()])
        .filter(|o| dir.dn(*o).is_some_and(|d| under(d, ou)))
        .map(|o| dir.dn(o).unwrap().to_string())
        .collect();
    assert!(!in_ou.is_empty());
    let unsynced = |o: &hybridready::sim::run::Outcome| -> HashSet<String> {
        o.unsynced
            .iter()
            .filter(|u| u.home == Home::OnPremises)
            .map(|u| dir.dn(ObjectId(u.user.0)).unwrap().to_string())
            .collect()
    };
    let added: HashSet<String> = unsynced(&after)
        .difference(&unsynced(&before))
        .cloned()
        .collect();
    let newly_out: HashSet<String> = in_ou.difference(&unsynced(&before)).cloned().collect();
    assert_eq!(added, newly_out);
    // The sample lacks columns that sync-blocking rules read (mS-DS-ConsistencyGuid, …): U01 is
    // not provided, lists the users it found, and blocks its step.
    let u01 = check(&after, CheckId::U01);
    assert_eq!(u01.step_status(), Status::Fail);
    assert_eq!(u01.object_count, unsynced(&after).len() as u64);
    for u in after
        .unsynced
        .iter()
        .filter(|u| in_ou.contains(dir.dn(ObjectId(u.user.0)).unwrap()))
    {
        assert!(
            u.reasons.iter().any(|r| matches!(
                r,
                hybridready::assessment::SyncReason::InExcludedOu { ou } if ou == "OU=Sales,OU=Staff,DC=fabrikam,DC=com"
            )),
            "{:?}",
            u.reasons
        );
    }
}

#[test]
fn verifying_the_missing_sip_domain_passes_domains_and_makes_its_users_movable() {
    let mut s = baseline();
    s.sync.exclude_ous = None;
    // Every UPN and mail domain of the sample is declared verified, so only D01 can fail.
    s.tenant.verified_domains = Some(
        [
            "contoso.com",
            "fabrikam.com",
            "corp.contoso.local",
            "fabrikam.lan",
            "proseware.com",
            "fourthcoffee.com",
            "tailspintoys.com",
        ]
        .iter()
        .map(|d| d.to_string())
        .collect(),
    );
    let l = load(&s);
    let dir = &l.ingested.directory;
    let before = pipeline::run(&l, &s, 0).unwrap();
    assert_eq!(check(&before, CheckId::D01).status, Status::Fail);
    assert_eq!(step(&before, StepId::Domains), Status::Fail);
    let partners = |o: &hybridready::sim::run::Outcome| -> usize {
        o.waves
            .waves
            .iter()
            .flat_map(|w| &w.users)
            .filter(|u| {
                dir.value(ObjectId(u.user.0), Attr::SipAddress)
                    .is_some_and(|s| s.ends_with("@contoso-partners.com"))
            })
            .count()
    };
    assert_eq!(partners(&before), 0);
    s.tenant
        .verified_domains
        .as_mut()
        .unwrap()
        .push("contoso-partners.com".into());
    let after = pipeline::run(&l, &s, 0).unwrap();
    assert_eq!(check(&after, CheckId::D01).status, Status::Pass);
    assert_eq!(step(&after, StepId::Domains), Status::Pass);
    // Every synced SfB user of that SIP domain is now in a wave.
    let b = brute_scope(&l, &s);
    let expected = dir
        .ids_of(ObjectKind::User)
        .filter(|o| b.movable[o.index()])
        .filter(|o| {
            dir.value(*o, Attr::SipAddress)
                .is_some_and(|s| s.ends_with("@contoso-partners.com"))
        })
        .count();
    assert!(expected > 0);
    assert_eq!(partners(&after), expected);
    assert!(
        after.score.value >= before.score.value,
        "fixing a blocker never lowers the score"
    );
}

#[test]
fn the_2026_checks_follow_the_versions_and_the_assessment_date() {
    use hybridready::assessment::Date;
    use hybridready::assessment::scenario::{DottedVersion, ServerVersion};
    let mut s = baseline();
    let l = load(&s);
    let day = |iso: &str| Date::parse_iso(iso).unwrap().unix();
    let run = |s: &Scenario, on: &str| pipeline::run(&l, s, day(on)).unwrap();
    let status = |s: &Scenario, on: &str, id: CheckId| {
        let o = run(s, on);
        let c = check(&o, id).clone();
        (c.status, c.not_provided())
    };
    // F07: no version anywhere, not provided (the sample's config/environment.json gives one,
    // so the scenario is simulated as written, without the files); an old build warns before
    // 30 September 2026 and blocks from that day; 2.5.79.0 passes whatever the date.
    s.sync.connect_version = None;
    let unresolved = hybridready::sim::run::simulate(
        &pipeline::prepare(&l),
        &s,
        Date::parse_iso("2026-12-01").unwrap(),
    )
    .unwrap();
    let f07 = check(&unresolved, CheckId::F07);
    assert_eq!((f07.status, f07.not_provided()), (Status::Warn, true));
    assert_eq!(
        status(&s, "2026-12-01", CheckId::F07),
        (Status::Pass, false)
    );
    s.sync.connect_version = DottedVersion::parse("2.4.18.0");
    assert_eq!(
        status(&s, "2026-09-29", CheckId::F07),
        (Status::Warn, false)
    );
    assert_eq!(
        status(&s, "2026-09-30", CheckId::F07),
        (Status::Fail, false)
    );
    assert_eq!(step(&run(&s, "2026-09-30"), StepId::Sync), Status::Fail);
    s.sync.connect_version = DottedVersion::parse("2.5.79.0");
    assert_eq!(
        status(&s, "2027-01-01", CheckId::F07),
        (Status::Pass, false)
    );
    // T12 and T13: 2019 and 2015 are out of support, and CU6/CU12 lack the hybrid application;
    // Subscription Edition at 7.0.2046.820 passes both; a product without its build leaves T13
    // not provided.
    let versions = |v: &[&str]| {
        Some(
            v.iter()
                .map(|t| ServerVersion::parse(t).unwrap())
                .collect::<Vec<_>>(),
        )
    };
    let on = "2026-12-01";
    assert_eq!(status(&s, on, CheckId::T12), (Status::Warn, false));
    assert_eq!(status(&s, on, CheckId::T13), (Status::Warn, false));
    s.federation.server_versions = versions(&["SfBSE 7.0.2046.820"]);
    assert_eq!(status(&s, on, CheckId::T12), (Status::Pass, false));
    assert_eq!(status(&s, on, CheckId::T13), (Status::Pass, false));
    s.federation.server_versions = versions(&["SfB2019 7.0.2046.553", "SfB2015"]);
    assert_eq!(status(&s, on, CheckId::T13), (Status::Warn, true));
    // T11: a module above 7.1 warns (a regression to avoid), below 6.2.1 fails.
    s.federation.teams_module_version = DottedVersion::parse("7.2.0");
    assert_eq!(status(&s, on, CheckId::T11), (Status::Warn, false));
    s.federation.teams_module_version = DottedVersion::parse("6.2.0");
    assert_eq!(status(&s, on, CheckId::T11), (Status::Fail, false));
    s.federation.teams_module_version = DottedVersion::parse("7.1");
    assert_eq!(status(&s, on, CheckId::T11), (Status::Pass, false));
}
