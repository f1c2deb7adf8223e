//! Readers for the generator's own output, written independently of the generator's code so
//! that the tests check what is on disk, not what the writer meant.

#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use hybridready::generate::{Dialect, GenerateOptions, GenerateReport, generate};
use tempfile::TempDir;

pub fn make(dialect: Dialect, users: usize, seed: u64) -> (TempDir, GenerateReport) {
    make_opts(dialect, users, seed, true)
}

pub fn make_opts(
    dialect: Dialect,
    users: usize,
    seed: u64,
    with_defects: bool,
) -> (TempDir, GenerateReport) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = GenerateOptions::new(users, seed, dialect, dir.path().join("out"));
    opts.with_defects = with_defects;
    let report = generate(&opts).expect("generate");
    (dir, report)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    Ascii,
    Utf8,
    Utf8Bom,
    Utf16Le,
    Cp1252,
}

/// Decodes a whole file, checking the BOM matches the expected encoding.
pub fn decode(bytes: &[u8], enc: Enc) -> String {
    match enc {
        Enc::Ascii => {
            assert!(bytes.is_ascii(), "file is not pure ASCII");
            String::from_utf8(bytes.to_vec()).unwrap()
        }
        Enc::Utf8 => {
            assert!(
                !bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
                "unexpected UTF-8 BOM"
            );
            String::from_utf8(bytes.to_vec()).expect("valid UTF-8")
        }
        Enc::Utf8Bom => {
            assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "missing UTF-8 BOM");
            String::from_utf8(bytes[3..].to_vec()).expect("valid UTF-8")
        }
        Enc::Utf16Le => {
            assert!(bytes.starts_with(&[0xFF, 0xFE]), "missing UTF-16LE BOM");
            let (s, had_errors) = encoding_rs::UTF_16LE.decode_without_bom_handling(&bytes[2..]);
            assert!(!had_errors);
            s.into_owned()
        }
        Enc::Cp1252 => {
            assert!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
            let (s, _, had_errors) = encoding_rs::WINDOWS_1252.decode(bytes);
            assert!(!had_errors);
            s.into_owned()
        }
    }
}

pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<HashMap<String, String>>,
}

impl Table {
    pub fn col(&self, row: usize, name: &str) -> &str {
        self.rows[row].get(name).map(String::as_str).unwrap_or("")
    }
}

/// Reads a CSV file: decodes it, skips a `#TYPE` first line, parses RFC 4180.
pub fn read_csv(path: &Path, enc: Enc, delim: u8) -> Table {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = decode(&bytes, enc);
    let body = if text.starts_with("#TYPE ") {
        let i = text.find('\n').unwrap();
        &text[i + 1..]
    } else {
        &text[..]
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .from_reader(body.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        assert_eq!(rec.len(), headers.len(), "ragged row in {}", path.display());
        rows.push(
            headers
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect(),
        );
    }
    Table { headers, rows }
}

pub fn split(v: &str) -> Vec<String> {
    v.split(';')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// DN components, respecting `\,` escapes.
pub fn dn_parts(dn: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut esc = false;
    for c in dn.chars() {
        if esc {
            cur.push(c);
            esc = false;
        } else if c == '\\' {
            cur.push(c);
            esc = true;
        } else if c == ',' {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    parts
}

/// OUs implied by the DNs of objects (all a PowerShell export lets a reader see).
pub fn ous_from_dns<'a>(dns: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for dn in dns {
        let p = dn_parts(dn);
        for i in 1..p.len() {
            if p[i].starts_with("OU=") {
                out.insert(p[i..].join(",").to_lowercase());
            }
        }
    }
    out
}

/// The domain SID and RID of a SID string.
pub fn sid_split(sid: &str) -> (&str, &str) {
    sid.rsplit_once('-').unwrap()
}

/// Decodes csvde's `X'…'` binary SID.
pub fn sid_from_hex(h: &str) -> String {
    let hex = h.trim_start_matches("X'").trim_end_matches('\'');
    let b: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let n = b[1] as usize;
    let mut s = String::from("S-1-5");
    for i in 0..n {
        let v = u32::from_le_bytes([b[8 + 4 * i], b[9 + 4 * i], b[10 + 4 * i], b[11 + 4 * i]]);
        s.push_str(&format!("-{v}"));
    }
    s
}

/// Counts a dialect's users, groups, contacts, OUs, SfB users and distinct membership edges
/// the way an ingester would, from the files alone.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Derived {
    pub users: usize,
    pub groups: usize,
    pub contacts: usize,
    pub ous: usize,
    pub domains: usize,
    pub memberships: usize,
    pub sfb_users: Option<usize>,
}

pub fn ps_layout(d: Dialect) -> (Enc, u8) {
    match d {
        Dialect::Ps51 => (Enc::Ascii, b','),
        Dialect::Utf16 => (Enc::Utf16Le, b';'),
        Dialect::ExcelFr => (Enc::Cp1252, b';'),
        _ => (Enc::Utf8, b','),
    }
}

pub fn derive(d: Dialect, out: &Path) -> Derived {
    let mut edges: BTreeSet<(String, String)> = BTreeSet::new();
    let mut r = Derived::default();
    match d {
        Dialect::Ps51
        | Dialect::Ps7
        | Dialect::Utf16
        | Dialect::ExcelFr
        | Dialect::CsUser
        | Dialect::Membership => {
            let (enc, delim) = ps_layout(d);
            let u = read_csv(&out.join("users.csv"), enc, delim);
            let g = read_csv(&out.join("groups.csv"), enc, delim);
            let c = read_csv(&out.join("contacts.csv"), enc, delim);
            let by_sid: HashMap<String, String> = (0..g.rows.len())
                .map(|i| {
                    (
                        g.col(i, "SID").to_string(),
                        g.col(i, "DistinguishedName").to_lowercase(),
                    )
                })
                .collect();
            for i in 0..u.rows.len() {
                let dn = u.col(i, "DistinguishedName").to_lowercase();
                for m in split(u.col(i, "MemberOf")) {
                    edges.insert((dn.clone(), m.to_lowercase()));
                }
                let (dom, _) = sid_split(u.col(i, "SID"));
                if let Some(gdn) = by_sid.get(&format!("{dom}-{}", u.col(i, "primaryGroupID"))) {
                    edges.insert((dn.clone(), gdn.clone()));
                }
            }
            for i in 0..g.rows.len() {
                let dn = g.col(i, "DistinguishedName").to_lowercase();
                for m in split(g.col(i, "MemberOf")) {
                    edges.insert((dn.clone(), m.to_lowercase()));
                }
                for m in split(g.col(i, "Members")) {
                    edges.insert((m.to_lowercase(), dn.clone()));
                }
            }
            if d == Dialect::Membership {
                let gm = read_csv(&out.join("group-members.csv"), Enc::Utf8, b',');
                for i in 0..gm.rows.len() {
                    edges.insert((
                        gm.col(i, "distinguishedName").to_lowercase(),
                        gm.col(i, "Group").to_lowercase(),
                    ));
                }
            }
            r.users = u.rows.len();
            r.groups = g.rows.len();
            r.contacts = c.rows.len();
            let dns = u
                .rows
                .iter()
                .chain(&g.rows)
                .chain(&c.rows)
                .map(|row| row["DistinguishedName"].as_str());
            r.ous = ous_from_dns(dns.clone()).len();
            r.domains = dns
                .map(|dn| {
                    dn_parts(dn)
                        .into_iter()
                        .filter(|p| p.starts_with("DC="))
                        .collect::<Vec<_>>()
                        .join(",")
                        .to_lowercase()
                })
                .collect::<BTreeSet<_>>()
                .len();
            r.sfb_users = if d == Dialect::CsUser {
                Some(
                    read_csv(&out.join("csusers.csv"), Enc::Utf8Bom, b',')
                        .rows
                        .len(),
                )
            } else if u.headers.iter().any(|h| h == "msRTCSIP-UserEnabled") {
                Some(
                    (0..u.rows.len())
                        .filter(|&i| matches!(u.col(i, "msRTCSIP-UserEnabled"), "True" | "VRAI"))
                        .count(),
                )
            } else {
                None
            };
        }
        Dialect::Csvde => {
            let t = read_csv(&out.join("export.csv"), Enc::Cp1252, b',');
            let class = |i: usize| {
                t.col(i, "objectClass")
                    .rsplit(';')
                    .next()
                    .unwrap()
                    .to_string()
            };
            let mut by_sid = HashMap::new();
            for i in 0..t.rows.len() {
                if class(i) == "group" {
                    by_sid.insert(
                        sid_from_hex(t.col(i, "objectSid")),
                        t.col(i, "DN").to_lowercase(),
                    );
                }
            }
            let mut sfb = 0;
            for i in 0..t.rows.len() {
                let dn = t.col(i, "DN").to_lowercase();
                match class(i).as_str() {
                    "user" => {
                        r.users += 1;
                        for m in split(t.col(i, "memberOf")) {
                            edges.insert((dn.clone(), m.to_lowercase()));
                        }
                        let sid = sid_from_hex(t.col(i, "objectSid"));
                        let (dom, _) = sid_split(&sid);
                        if let Some(g) =
                            by_sid.get(&format!("{dom}-{}", t.col(i, "primaryGroupID")))
                        {
                            edges.insert((dn.clone(), g.clone()));
                        }
                        if t.col(i, "msRTCSIP-UserEnabled") == "TRUE" {
                            sfb += 1;
                        }
                    }
                    "group" => {
                        r.groups += 1;
                        for m in split(t.col(i, "memberOf")) {
                            edges.insert((dn.clone(), m.to_lowercase()));
                        }
                        for m in split(t.col(i, "member")) {
                            edges.insert((m.to_lowercase(), dn.clone()));
                        }
                    }
                    "contact" => r.contacts += 1,
                    "organizationalUnit" => r.ous += 1,
                    "domainDNS" => r.domains += 1,
                    other => panic!("unexpected class {other}"),
                }
            }
            r.sfb_users = Some(sfb);
        }
        Dialect::Adrecon => {
            let mut n_edges = 0;
            for entry in std::fs::read_dir(out).unwrap() {
                let p = entry.unwrap().path();
                if !p.is_dir() {
                    continue;
                }
                let q = p.join("CSV-Files");
                let u = read_csv(&q.join("Users.csv"), Enc::Cp1252, b',');
                let g = read_csv(&q.join("Groups.csv"), Enc::Cp1252, b',');
                let m = read_csv(&q.join("GroupMembers.csv"), Enc::Cp1252, b',');
                let o = read_csv(&q.join("OUs.csv"), Enc::Cp1252, b',');
                r.users += u.rows.len();
                r.groups += g.rows.len();
                r.ous += o.rows.len();
                r.domains += 1;
                // Primary group: one edge per user whose Primary GroupID is a group of its domain.
                let rids: BTreeSet<String> = (0..g.rows.len())
                    .map(|i| sid_split(g.col(i, "SID")).1.to_string())
                    .collect();
                n_edges += (0..u.rows.len())
                    .filter(|&i| rids.contains(u.col(i, "Primary GroupID")))
                    .count();
                let rows: BTreeSet<(String, String, String)> = (0..m.rows.len())
                    .map(|i| {
                        (
                            m.col(i, "Group Name").to_string(),
                            m.col(i, "Member Name").to_string(),
                            m.col(i, "AccountType").to_string(),
                        )
                    })
                    .collect();
                assert_eq!(rows.len(), m.rows.len(), "duplicate GroupMembers rows");
                n_edges += rows.len();
            }
            r.memberships = n_edges;
            return r;
        }
        Dialect::Xlsx => unreachable!("read with calamine"),
    }
    r.memberships = edges.len();
    r
}
