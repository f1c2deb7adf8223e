//! The move waves on a generated 3,000-user directory: how few dependencies they cut against
//! METIS, the delegates they keep together, and the runbooks that partition the users to move.

mod common;
#[path = "../benches/common/metis_ref.rs"]
mod metis_ref;

use common::assess::{assess_generated, generated};
use hybridready::assessment::Scenario;
use hybridready::ingest::IngestOptions;
use hybridready::pipeline;
use hybridready::sim::waves::measure;
use std::collections::{HashMap, HashSet};

#[test]
fn waves_cut_close_to_metis_and_never_split_delegates() {
    let dir = generated(3_000, 7);
    let s = Scenario::load(&dir.path().join("scenario.toml")).unwrap();
    let exports = dir.path().join("exports");
    let loaded = pipeline::load(&[exports], &[&s], IngestOptions::default()).unwrap();
    let prep = pipeline::prepare(&loaded);
    let e = hybridready::sim::run::evaluate(&prep, &s).unwrap();

    // No wave over its size.
    assert!(e.waves[1..].iter().all(|w| w.len() <= s.waves.size));
    assert!(
        e.waves.len() > 5,
        "enough waves to measure: {}",
        e.waves.len()
    );

    // The dependent pairs the waves after the pilot split, against METIS on the same graph.
    let to_move: Vec<_> = e.waves[1..].iter().flatten().copied().collect();
    let planned: Vec<u32> = e.waves[1..]
        .iter()
        .enumerate()
        .flat_map(|(w, m)| std::iter::repeat_n(w as u32, m.len()))
        .collect();
    let pairs = measure::expanded_pairs(&e.affinity.graph, &to_move);
    let parts = to_move.len().div_ceil(s.waves.size);
    let (ours, _) = measure::split(&pairs, &planned);
    let best_metis = (1..=3)
        .map(|seed| {
            measure::split(
                &pairs,
                &metis_ref::labels(to_move.len(), &pairs, parts, seed),
            )
            .0
        })
        .min()
        .unwrap();
    eprintln!(
        "split pairs: planner {ours}, best of 3 METIS {best_metis}, of {}",
        pairs.len()
    );
    assert!(
        ours as f64 <= 1.2 * best_metis as f64,
        "{ours} pairs split against METIS's {best_metis} (of {})",
        pairs.len()
    );

    // A delegate pair is split only by the pilot (wave 0 is the scenario's choice) or in a
    // cluster too large for a wave, which the plan names.
    let wave_of: HashMap<_, _> = e
        .waves
        .iter()
        .enumerate()
        .flat_map(|(w, m)| m.iter().map(move |&u| (u, w)))
        .collect();
    let in_named_cluster = e.plan.split_clusters.iter().map(|c| c.users).sum::<u64>();
    let mut split_outside_pilot = 0;
    for (a, b) in &e.affinity.delegates {
        if let (Some(&wa), Some(&wb)) = (wave_of.get(a), wave_of.get(b))
            && wa != wb
            && wa != 0
            && wb != 0
        {
            split_outside_pilot += 1;
        }
    }
    assert!(
        split_outside_pilot == 0 || in_named_cluster > 0,
        "{split_outside_pilot} delegate pairs split between waves after the pilot"
    );
    assert!(
        e.plan
            .split_clusters
            .iter()
            .all(|c| c.users > s.waves.size as u64),
        "only clusters larger than a wave are split"
    );
}

/// The value of the single-quoted literal `s` starts with, and what follows it.
fn unquote(s: &str) -> (String, &str) {
    let body = s.strip_prefix('\'').expect("a literal");
    let mut value = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().is_some_and(|&(_, n)| n == '\'') {
                chars.next();
            } else {
                return (value, &body[i + 1..]);
            }
        }
        value.push(c);
    }
    panic!("unterminated literal: {s}")
}

/// The SIP URIs of a `-UserList` file.
fn user_list(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let line = text.strip_suffix("\r\n").expect("one line, CRLF");
    assert!(!line.contains('\n'));
    line.split(',').map(str::to_string).collect()
}

#[test]
fn wave_lists_and_scripts_partition_the_users_to_move() {
    let dir = generated(3_000, 11);
    let a = assess_generated(dir.path());
    let out = dir.path().join("out");
    hybridready::report::write_assessment(
        &a,
        &out,
        hybridready::report::Options {
            lang: hybridready::report::Lang::En,
            report: false,
        },
    )
    .unwrap();
    let expected: Vec<String> = a
        .waves
        .waves
        .iter()
        .flat_map(|w| &w.users)
        .map(|u| {
            let sip = &a.objects.get(u.user).unwrap().sip;
            format!("sip:{}", hybridready::assessment::strip_sip(sip))
        })
        .collect();
    // Each user once: by its identity in the scripts (its SIP address, or its DN where another
    // user holds the same SIP address); the lists name the same users by SIP address.
    let mut ids = HashSet::new();
    let mut listed: Vec<String> = Vec::new();
    for w in &a.waves.waves {
        let nn = format!("{:02}", w.number);
        let list = user_list(&out.join(format!("waves/wave-{nn}.txt")));
        assert_eq!(list.len(), w.users.len(), "wave {nn}");
        for name in ["move", "rollback"] {
            let script =
                std::fs::read_to_string(out.join(format!("waves/{name}-wave-{nn}.ps1"))).unwrap();
            let entries: Vec<(String, String)> = script
                .lines()
                .filter_map(|l| l.strip_prefix("    @{ Id = "))
                .map(|l| {
                    let (id, rest) = unquote(l);
                    let (sip, _) = unquote(rest.strip_prefix("; Sip = ").unwrap());
                    (id, sip)
                })
                .collect();
            assert_eq!(
                entries
                    .iter()
                    .map(|(_, sip)| sip.clone())
                    .collect::<Vec<_>>(),
                list,
                "{name}-wave-{nn} moves the users of wave-{nn}.txt"
            );
            if name == "move" {
                for (id, _) in entries {
                    assert!(ids.insert(id.clone()), "{id} in two waves");
                }
            }
        }
        listed.extend(list);
    }
    let mut expected = expected;
    expected.sort();
    listed.sort();
    assert_eq!(listed, expected);
    // Nothing else in the folder.
    let files = std::fs::read_dir(out.join("waves")).unwrap().count();
    assert_eq!(
        files,
        3 * a.waves.waves.iter().filter(|w| !w.users.is_empty()).count()
    );
}

#[test]
fn explain_wave_says_why_and_names_dependents_elsewhere() {
    let a = common::assess::sample();
    let out = tempfile::tempdir().unwrap();
    hybridready::report::write_assessment(
        &a,
        out.path(),
        hybridready::report::Options {
            lang: hybridready::report::Lang::En,
            report: false,
        },
    )
    .unwrap();
    // A user of a wave after the pilot with dependents in other waves.
    let (wave, user) = a
        .waves
        .waves
        .iter()
        .filter(|w| w.number > 0)
        .flat_map(|w| w.users.iter().map(move |u| (w, u)))
        .find(|(_, u)| u.elsewhere > 0)
        .unwrap();
    let info = a.objects.get(user.user).unwrap();
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("hybridready")
            .unwrap()
            .arg("explain-wave")
            .arg(out.path())
            .args(args)
            .output()
            .unwrap()
    };
    // Found by its UPN in another case, as by its SIP address.
    let o = run(&[&info.upn.to_uppercase()]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains(&format!("moves in wave {} of", wave.number)),
        "{text}"
    );
    let first = &user.elsewhere_first[0];
    assert!(
        text.contains(&format!(
            "{}: wave {}",
            a.objects.label(first.user),
            first.wave
        )),
        "{text}"
    );
    assert!(text.contains(&format!(
        "{} of its {} dependents",
        user.elsewhere, user.dependents
    )));
    let fr = run(&[&info.sip, "--lang", "fr"]);
    let fr = String::from_utf8(fr.stdout).unwrap();
    assert!(
        fr.contains(&format!("migre dans la vague {} sur", wave.number)),
        "{fr}"
    );

    // An unsynchronised SfB user is in no wave, and says why.
    let unsynced = a.objects.get(a.unsynced[0].user).unwrap();
    let o = run(&[&unsynced.dn]);
    assert!(o.status.success());
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .contains("would not synchronise")
    );

    // An unknown user: exit 2 and a hint.
    let o = run(&["nobody@example.com"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("no user `nobody@example.com`") && err.contains("hint:"),
        "{err}"
    );
}
