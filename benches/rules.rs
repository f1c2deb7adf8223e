//! Rules on a synthetic in-memory directory of 1,000,000 users (set HYBRIDREADY_BENCH_USERS to
//! change the size), built through the public `RecordBatch`/`DirectoryBuilder` API, about 1% of
//! them with a defect. Measures `rules::evaluate` alone: the ingest is benchmarked elsewhere.
//!
//! `cargo bench --bench rules`

use criterion::{Criterion, criterion_group, criterion_main};
use hybridready::directory::{
    Attr, Directory, DirectoryBuilder, FileId, ObjectKind, RecordBatch, RowWhat,
};
use hybridready::rules::{RuleContext, evaluate};
use std::time::Duration;

fn users() -> usize {
    std::env::var("HYBRIDREADY_BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// A directory of `n` users in 10 OUs, a third SfB-enabled, every 100th with a defect.
fn directory(n: usize) -> Directory {
    let mut builder = DirectoryBuilder::new();
    let per_batch = 100_000;
    for (file, start) in (0..n).step_by(per_batch).enumerate() {
        let mut b = RecordBatch::new(FileId(file as u32));
        for i in start..(start + per_batch).min(n) {
            let name = format!("user{i:07}");
            let upn = match i % 100 {
                7 => format!("{name} x@contoso.com"),
                17 => format!("{name}@contoso.local"),
                27 => "duplicate@contoso.com".to_string(),
                _ => format!("{name}@contoso.com"),
            };
            let mail = if i % 100 == 37 {
                "shared@contoso.com".to_string()
            } else {
                format!("{name}@contoso.com")
            };
            let row = b.start_row();
            b.value(
                Attr::ObjectGuid,
                &format!("{:08x}-0000-4000-8000-{:012x}", i, i),
            );
            b.value(Attr::Sid, &format!("S-1-5-21-11-22-33-{}", 1000 + i));
            b.value(Attr::SamAccountName, &name);
            b.value(Attr::UserPrincipalName, &upn);
            b.value(Attr::Cn, &format!("User {i}"));
            b.value(
                Attr::DisplayName,
                if i % 100 == 47 { "" } else { "Some User Name" },
            );
            b.value(Attr::GivenName, "Some");
            b.value(Attr::Surname, "User");
            b.value(Attr::Mail, &mail);
            b.value(Attr::MailNickname, &name);
            b.value(
                Attr::ProxyAddresses,
                &format!(
                    "SMTP:{mail}\nsmtp:{name}@contoso.mail.onmicrosoft.com\nX500:/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn={name}"
                ),
            );
            b.value(Attr::IsCriticalSystemObject, "");
            b.value(Attr::MsExchRecipientTypeDetails, "1");
            if i % 3 == 0 {
                b.value(Attr::SfbEnabled, "True");
                b.value(Attr::SipAddress, &format!("sip:{upn}"));
                b.value(Attr::HostingProvider, "SRV:");
                b.value(Attr::OptionFlags, "257");
            }
            let dn = format!("CN=User {i},OU=Dept{},DC=contoso,DC=com", i % 10);
            let dn = b.dns.intern(&dn).unwrap();
            b.end_row(
                row,
                i as u64 + 2,
                RowWhat::Object(ObjectKind::User),
                Some(dn),
            );
        }
        builder.absorb(&b);
    }
    builder.finish()
}

/// User + system CPU time of this process so far (Linux `/proc/self/stat`; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let field = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (field(11) + field(12)) / 100.0
}

fn bench(c: &mut Criterion) {
    let n = users();
    let dir = directory(n);
    let ctx = RuleContext {
        verified_domains: Some(vec!["contoso.com".into()]),
        initial_domain: Some("contoso.onmicrosoft.com".into()),
        ..Default::default()
    };
    // The machine may be shared: report CPU time too (wall time on an idle machine is about
    // CPU time / cores when the work is parallel).
    let (cpu0, t0) = (cpu_seconds(), std::time::Instant::now());
    let findings = evaluate(&dir, &ctx).len();
    eprintln!(
        "{n} users, {findings} findings: one run {:.2} s wall, {:.2} s CPU on {} threads",
        t0.elapsed().as_secs_f64(),
        cpu_seconds() - cpu0,
        rayon::current_num_threads()
    );
    let mut group = c.benchmark_group("rules");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function(format!("evaluate {n} users"), |b| {
        b.iter(|| evaluate(&dir, &ctx))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
