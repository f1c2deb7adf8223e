//! A realistic assessment for the report tests: a 12,000-user Contoso with three domains, an
//! SfB deployment of about 10,000 users, steps with checks, a few hundred findings, waves.
//! Test data only: the product never falls back to it.

#![allow(dead_code)]

use hybridready::assessment::summary::*;
use hybridready::report::{FindingRow, FindingsDigest, ReportInput, RuleDoc, WavesDigest};
use std::collections::BTreeMap;

/// 2026-11-26 00:00:00 UTC.
pub const EPOCH: i64 = 1_795_651_200;

pub fn sha(i: u8) -> String {
    (0..32)
        .map(|k| format!("{:02x}", (k * 37 + i as usize * 11) % 256))
        .collect()
}

fn input_file(
    path: &str,
    format: &str,
    rows: u64,
    merged: u64,
    rejected: u64,
    n: u8,
) -> InputSummary {
    InputSummary {
        path: path.into(),
        sheet: None,
        status: InputStatus::Read,
        format: format.into(),
        encoding: Some("UTF-8".into()),
        delimiter: Some(",".into()),
        sha256: Some(sha(n)),
        rows,
        accepted: rows - merged - rejected,
        merged,
        rejected,
        value_errors: rejected / 2,
        columns_missing: Vec::new(),
        refusal: None,
    }
}

fn check(id: &str, status: Status, message: &str, objects: Vec<String>, count: u64) -> CheckResult {
    CheckResult {
        id: id.into(),
        status,
        key: format!("{id}.{status:?}").to_lowercase(),
        args: Default::default(),
        message: message.into(),
        objects,
        object_count: count,
    }
}

pub struct Names {
    pub users: Vec<(String, String, String)>, // (sip, upn, dn)
}

/// Plain names, or hostile ones (markup, formulas, quotes, right-to-left text).
pub fn names(hostile: bool, n: usize) -> Names {
    let plain = [
        "adele.vance",
        "alex.wilber",
        "diego.siciliani",
        "grady.archie",
        "henrietta.mueller",
        "isaiah.langer",
        "johanna.lorenz",
        "joni.sherman",
        "lee.gu",
        "lidia.holloway",
        "lynne.robbins",
        "megan.bowen",
        "miriam.graham",
        "nestor.wilke",
        "patti.fernandez",
        "pradeep.gupta",
        "irvin.sayers",
        "debra.berger",
        "christie.cline",
        "allan.deyoung",
    ];
    let evil = [
        "<script>alert(1)</script>",
        "=HYPERLINK(\"http://x\",\"y\")",
        "o'brien \"the boss\"",
        "משתמש.עברי",
        "مستخدم.عربي",
        "<img src=x onerror=alert(2)>",
    ];
    let users = (0..n)
        .map(|i| {
            let base = if hostile && i < evil.len() {
                evil[i].to_string()
            } else {
                format!(
                    "{}{}",
                    plain[i % plain.len()],
                    if i >= plain.len() {
                        (i / plain.len()).to_string()
                    } else {
                        String::new()
                    }
                )
            };
            let domain = if i % 4 == 3 {
                "fabrikam.com"
            } else {
                "contoso.com"
            };
            (
                format!("{base}@{domain}"),
                format!("{base}@{domain}"),
                format!(
                    "CN={base},OU=Users,OU=Paris,DC={},DC=com",
                    &domain[..domain.len() - 4]
                ),
            )
        })
        .collect();
    Names { users }
}

pub fn summary(hostile: bool) -> Summary {
    let nm = names(hostile, 40);
    let dn = |i: usize| nm.users[i].2.clone();
    let mut users_in = input_file(
        "exports/Users.csv",
        "Get-ADUser (PowerShell 5.1)",
        12_408,
        0,
        3,
        1,
    );
    users_in.columns_missing = vec![
        MissingColumn {
            column: "proxyAddresses".into(),
            leaves_unchecked: "duplicate proxy addresses (PA-DUP) and primary SMTP domains".into(),
        },
        MissingColumn {
            column: "msRTCSIP-DeploymentLocator".into(),
            leaves_unchecked: "where SfB users are homed (online or on-premises): taken from the Get-CsUser export".into(),
        },
    ];
    let mut cs = input_file("exports/CsUsers.csv", "Get-CsUser", 9_876, 9_870, 6, 4);
    cs.encoding = Some("UTF-16LE".into());
    cs.delimiter = Some(";".into());
    let mut refused = input_file(
        "exports/users-hashtable.csv",
        "Export-Csv of hashtables",
        0,
        0,
        0,
        5,
    );
    refused.status = InputStatus::Refused;
    refused.sha256 = Some(sha(5));
    refused.refusal = Some("this is an Export-Csv of hashtables: its columns describe the hashtable objects (hint: convert each hashtable to an object before exporting)".into());
    let mut inputs = vec![
        users_in,
        input_file("exports/Groups.csv", "ADRecon", 1_873, 0, 0, 2),
        input_file(
            "exports/GroupMembers.csv",
            "membership list",
            61_204,
            0,
            12,
            3,
        ),
        cs,
        refused,
    ];
    if hostile {
        inputs.push(input_file(
            "exports/<script>alert(3)</script>.csv",
            "=HYPERLINK(\"http://x\",\"y\")",
            10,
            0,
            0,
            6,
        ));
    }
    let by_domain = vec![
        CoverageRow {
            name: "contoso.com".into(),
            sfb_users: 7_412,
            synced: 7_105,
            out_of_scope: 201,
            blocked: 106,
        },
        CoverageRow {
            name: "fabrikam.com".into(),
            sfb_users: 2_301,
            synced: 2_206,
            out_of_scope: 40,
            blocked: 55,
        },
        CoverageRow {
            name: if hostile {
                "<b>עברית</b>.example".into()
            } else {
                "corp.contoso.local".into()
            },
            sfb_users: 163,
            synced: 0,
            out_of_scope: 0,
            blocked: 163,
        },
    ];
    let ous = [
        "OU=Sales,OU=Paris",
        "OU=Engineering,OU=Redmond",
        "OU=Support,OU=Lyon",
        "OU=Finance,OU=Paris",
        "OU=Contractors,OU=Staff",
        "OU=Marketing,OU=London",
        "OU=Legal,OU=Paris",
        "OU=Operations,OU=Montreal",
        "OU=Human Resources and Talent Acquisition,OU=Headquarters",
        "OU=IT,OU=Redmond",
        "OU=Research,OU=Zurich",
        "OU=Facilities,OU=Lyon",
        "OU=Executives",
        "OU=Interns,OU=Staff",
    ];
    let by_ou = ous
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let total = 1_900 - i as u64 * 130;
            let oos = if o.contains("Contractors") {
                total
            } else {
                (i as u64 * 7) % 23
            };
            let blocked = (i as u64 * 13) % 41;
            CoverageRow {
                name: if hostile && i == 2 {
                    "OU=<script>alert(4)</script>,DC=contoso,DC=com".into()
                } else {
                    format!("{o},DC=contoso,DC=com")
                },
                sfb_users: total,
                synced: total - oos.min(total) - blocked.min(total - oos.min(total)),
                out_of_scope: oos.min(total),
                blocked: blocked.min(total - oos.min(total)),
            }
        })
        .collect();
    let mut reasons = BTreeMap::new();
    reasons.insert("outside the OU filter".to_string(), 312);
    reasons.insert(
        "UPN-CHAR: invalid character in userPrincipalName".to_string(),
        201,
    );
    reasons.insert("PA-DUP: duplicate proxy address".to_string(), 87);
    reasons.insert("default exclusion: system account".to_string(), 44);
    let objs = |a: usize, n: usize| (a..a + n).map(dn).collect::<Vec<_>>();
    let steps = vec![
        StepSummary {
            id: "tenant".into(),
            status: Status::Pass,
            blockers: vec![],
            checks: vec![check("T01", Status::Pass, "One tenant (contoso.onmicrosoft.com) is paired with the deployment.", vec![], 0)],
        },
        StepSummary {
            id: "domains".into(),
            status: Status::Warn,
            blockers: vec![],
            checks: vec![
                check("D01", Status::Pass, "Every SIP domain (contoso.com, fabrikam.com) is verified.", vec![], 0),
                check("U09", Status::Warn, "163 users have the non-routable UPN suffix corp.contoso.local: they would sign in as …@contoso.onmicrosoft.com.", objs(0, 12), 163),
            ],
        },
        StepSummary {
            id: "sync".into(),
            status: Status::Fail,
            blockers: vec!["565 Skype for Business users do not synchronise (324 blocked by attribute errors, 241 out of scope).".into()],
            checks: vec![
                check("U01", Status::Fail, "565 SfB-enabled on-premises users would not be synchronised; 412 of them break communication with online users.", objs(0, 20), 565),
                check("F02", Status::Warn, "The OU Contractors holding 1,120 SfB users is excluded from the sync scope.", vec![], 1),
                check("F03", Status::Pass, "msRTCSIP-PrimaryUserAddress, msRTCSIP-DeploymentLocator and msRTCSIP-UserEnabled are in the sync scope.", vec![], 0),
            ],
        },
        StepSummary {
            id: "federation".into(),
            status: Status::Fail,
            blockers: vec!["The tenant does not share the SIP address space (SharedSipAddressSpace is False).".into()],
            checks: vec![
                check("T05", Status::Warn, "not provided: AllowOutsideUsers of the Access Edge configuration.", vec![], 0),
                check("T06", Status::Pass, "Hosting provider sipfed.online.lync.com is enabled with shared address space.", vec![], 0),
                check("T07", Status::Fail, "SharedSipAddressSpace is False in the tenant while 9,876 users are homed on-premises: moves fail with error 510.", vec![], 0),
                check("T09", Status::Pass, "One Edge pool has federation enabled.", vec![], 0),
                check("T03", Status::Warn, "not provided: the build of each front-end pool (SfB 2019 needs 7.0.2046.385 or later).", vec![], 0),
            ],
        },
        StepSummary {
            id: "pilot".into(),
            status: Status::Fail,
            blockers: vec!["2 pilot users have a SIP domain that is not verified (fabrikam.net).".into()],
            checks: vec![
                check("U07", Status::Fail, "2 pilot users cannot move: their SIP domain fabrikam.net is not verified in the tenant.", objs(20, 2), 2),
                check("U04", Status::Warn, "not provided: licences of the pilot users.", vec![], 250),
                check("U06", Status::Pass, "No pilot user is already online.", vec![], 0),
            ],
        },
        StepSummary {
            id: "manage".into(),
            status: Status::Warn,
            blockers: vec![],
            checks: vec![check("P04", Status::Warn, "37 delegate pairs are split across different waves.", objs(22, 10), 37)],
        },
    ];
    let top: Vec<UnsyncedUser> = (0..30)
        .map(|i| UnsyncedUser {
            sip_address: nm.users[i].0.clone(),
            user_principal_name: nm.users[i].1.clone(),
            distinguished_name: nm.users[i].2.clone(),
            reasons: vec![if i % 3 == 0 {
                "UPN-CHAR".into()
            } else {
                "outside the OU filter".into()
            }],
            impact: 180 - i as u64 * 5,
            impact_after_pilot: (60u64).saturating_sub(i as u64 * 3),
        })
        .collect();
    Summary {
        schema_version: SCHEMA_VERSION,
        tool: Tool::default(),
        scenario: ScenarioRef {
            name: "baseline".into(),
            file: Some("scenarios/baseline.toml".into()),
            defaults_used: vec![
                "affinity.max_group_size = 100".into(),
                "waves.size = 500".into(),
            ],
        },
        inputs,
        findings: hybridready::pipeline::findings_summary(&[]),
        directory: DirectorySummary {
            counts: DirectoryCounts {
                users: 12_408,
                groups: 1_873,
                contacts: 214,
                domains: 3,
                ous: 412,
                memberships: 58_921,
                sfb_users: 9_876,
            },
            trusts: 2,
            nesting_cycles: vec![
                vec![
                    "CN=GG-Sales,OU=Groups,DC=contoso,DC=com".into(),
                    "CN=GG-Sales-EMEA,OU=Groups,DC=contoso,DC=com".into(),
                ],
                vec![
                    "CN=A,OU=Groups,DC=contoso,DC=com".into(),
                    "CN=B,OU=Groups,DC=contoso,DC=com".into(),
                    "CN=C,OU=Groups,DC=contoso,DC=com".into(),
                ],
            ],
            unresolved_references: 37,
            conflicts: 5,
        },
        sync: Some(SyncSummary {
            in_scope: 11_950,
            synced: 11_402,
            sfb_users: 9_876,
            sfb_synced: 9_311,
            sfb_unsynced: 565,
            coverage: 9_311.0 / 9_876.0,
            not_synced_by_reason: reasons,
            by_domain,
            by_ou,
        }),
        breaks: Some(Breaks {
            pilot: BreakCounts {
                online_users: 250,
                broken_pairs: 1_284,
                unsynced_users_breaking: 97,
                online_users_affected: 211,
            },
            end: BreakCounts {
                online_users: 9_311,
                broken_pairs: 6_902,
                unsynced_users_breaking: 412,
                online_users_affected: 3_870,
            },
        }),
        steps: Some(steps),
        score: Some(58),
        top_unsynced: Some(top),
    }
}

pub const RULES: [(&str, &str, &str); 8] = [
    ("UPN-CHAR", "error", "blocks-sync"),
    ("PA-DUP", "error", "blocks-sync"),
    ("MAIL-DUP", "error", "blocks-sync"),
    ("UPN-SUFFIX", "warning", "alters-value"),
    ("DN-LEN", "warning", "advisory"),
    ("SAM-CHAR", "error", "blocks-sync"),
    ("DISPLAY-BLANK", "info", "advisory"),
    ("U08", "warning", "advisory"),
];

pub fn finding_rows(hostile: bool, n: usize) -> Vec<FindingRow> {
    let nm = names(hostile, 50);
    (0..n)
        .map(|i| {
            // Skewed: the first rules fire most.
            let r = RULES[(i * i / 7 + i / 3) % RULES.len()];
            let u = &nm.users[i % nm.users.len()];
            FindingRow {
                rule: r.0.into(),
                severity: r.1.into(),
                effect: r.2.into(),
                object_class: "user".into(),
                distinguished_name: u.2.clone(),
                sam_account_name: format!("user{i}"),
                user_principal_name: u.1.clone(),
                attribute: "userPrincipalName".into(),
                value: u.1.clone(),
                suggested_value: u.1.replace(['<', '>'], ""),
                message: format!("{} on {}", r.0, u.0),
            }
        })
        .collect()
}

pub fn rule_docs() -> Vec<RuleDoc> {
    RULES
        .iter()
        .take(6)
        .map(|(id, sev, _)| RuleDoc {
            id: id.to_string(),
            severity: sev.to_string(),
            summary: format!("{id}: the value breaks an Entra ID constraint"),
            explanation: "Entra Connect refuses to create or update an object whose attribute holds this value; the object stays on-premises only and every dependency on it breaks once its partners move online.".into(),
            fix: "Correct the attribute in Active Directory (the suggested value is in findings.xlsx), then let the next sync cycle run.".into(),
            source: "https://learn.microsoft.com/en-us/microsoft-365/enterprise/prepare-directory-attributes-for-synch-with-idfix".into(),
        })
        .collect()
}

pub fn input(hostile: bool) -> ReportInput {
    let mut i = ReportInput::new(summary(hostile));
    i.findings = FindingsDigest::from_rows(finding_rows(hostile, 400));
    i.rules = rule_docs();
    i.waves = WavesDigest {
        users: 9_061,
        waves: (0..19)
            .map(|w| {
                (
                    w.to_string(),
                    if w == 0 { 250 } else { 478 - (w as u64 % 3) },
                )
            })
            .collect(),
    };
    i.customer = Some(if hostile {
        "Contoso <script>alert('c')</script> & \"Fils\" — עברית".into()
    } else {
        "Contoso Ltd".into()
    });
    i.generated_at = EPOCH;
    i
}
