//! Synthetic Active Directory exports, for the bundled samples, the tests and the benchmarks.
//!
//! This module owns one thing: a realistic directory (three domains of one forest, OUs, users
//! with Skype for Business attributes, groups with nesting and a cycle, contacts, injected
//! sync defects), built deterministically from `(users, seed, with_defects)` and written in
//! every export dialect the tool reads, together with `manifest.json`, the ground truth
//! (counts, files, every injected defect and deliberate non-defect) that tests check the
//! assessment against.
//!
//! It never reads inputs and knows nothing of ingest: it must not import from the ingest,
//! directory, rules or report modules, so that a bug there cannot hide itself by changing what
//! the tests compare against.
//!
//! Layout: `model` builds the directory (users there, groups and memberships in `groups`,
//! injected defects in `defects`); `identity` derives a user's names and addresses, `view`
//! renders one object's values with defects applied, `columns` types them into cells, and one
//! writer per dialect family prints them (`powershell`, `csvde`, `adrecon`, `xlsx`) through
//! `sink`; `manifest` records the truth. `rng`, `names` and `fmt` hold the randomness, the
//! name tables and the value renderings.

mod adrecon;
mod affinity;
mod columns;
mod csvde;
mod defects;
mod fmt;
mod groups;
mod identity;
mod manifest;
mod model;
mod names;
mod powershell;
mod rng;
mod sink;
mod view;
mod xlsx;

use std::fmt as stdfmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, Result};

pub use manifest::{DefectEntry, FileEntry, Manifest, SystemAccount, SystemicEntry};

use columns::{Ctx, PS7_CONTACT, PS7_GROUP, PS7_USER, PS51_CONTACT, PS51_GROUP, PS51_USER, U};
use model::Directory;
use powershell::{EXCEL_FR, Flavor, PS7, PS51, UTF16};

/// The rule ids the generator injects (each appears in `manifest.defects` at any size of 50
/// users or more, in every dialect that exports the attribute).
pub const INJECTED_RULES: &[&str] = defects::INJECTED_RULES;

/// An export dialect: who produced the file, how, and with which columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Windows PowerShell 5.1 `Export-Csv` defaults (`#TYPE`, ASCII, CRLF).
    Ps51,
    /// PowerShell 7 `Export-Csv` (UTF-8 without BOM, lean columns).
    Ps7,
    /// `-Delimiter ';' -Encoding Unicode` (UTF-16LE with BOM).
    Utf16,
    /// A ps51 file re-saved by French Excel (cp1252, `;`, VRAI/FAUX).
    ExcelFr,
    /// `csvde -f export.csv` (one file, all classes, `X'hex'` binaries).
    Csvde,
    /// A consultant's workbook with typed cells and a title block.
    Xlsx,
    /// ADRecon's CSV report, one folder per domain.
    Adrecon,
    /// Get-CsUser export alongside ps7 users/groups without SfB columns.
    CsUser,
    /// ps7 users/groups without MemberOf, plus a Get-ADGroupMember loop.
    Membership,
}

impl Dialect {
    pub const ALL: [Dialect; 9] = [
        Dialect::Ps51,
        Dialect::Ps7,
        Dialect::Utf16,
        Dialect::ExcelFr,
        Dialect::Csvde,
        Dialect::Xlsx,
        Dialect::Adrecon,
        Dialect::CsUser,
        Dialect::Membership,
    ];

    /// The name accepted by [`FromStr`] and written in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Ps51 => "ps51",
            Dialect::Ps7 => "ps7",
            Dialect::Utf16 => "utf16",
            Dialect::ExcelFr => "excel-fr",
            Dialect::Csvde => "csvde",
            Dialect::Xlsx => "xlsx",
            Dialect::Adrecon => "adrecon",
            Dialect::CsUser => "csuser",
            Dialect::Membership => "membership",
        }
    }
}

impl stdfmt::Display for Dialect {
    fn fmt(&self, f: &mut stdfmt::Formatter<'_>) -> stdfmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, thiserror::Error)]
#[error(
    "unknown dialect `{0}`: expected one of ps51, ps7, utf16, excel-fr, csvde, xlsx, adrecon, csuser, membership"
)]
pub struct UnknownDialect(pub String);

impl FromStr for Dialect {
    type Err = UnknownDialect;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Dialect::ALL
            .into_iter()
            .find(|d| d.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| UnknownDialect(s.to_string()))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Members of staff to generate; built-in, system and service accounts come on top.
    pub users: usize,
    pub seed: u64,
    pub dialect: Dialect,
    /// Folder to write into (created if missing; files of the same names are replaced).
    pub out: PathBuf,
    /// Inject the defects of [`INJECTED_RULES`] (default true).
    pub with_defects: bool,
    /// Also write `delegates.csv` and `interactions.csv` (affinity files for a scenario; they
    /// are not AD exports, so keep them out of the folder `assess` reads, or name them in the
    /// scenario).
    pub affinity: bool,
}

impl GenerateOptions {
    pub fn new(users: usize, seed: u64, dialect: Dialect, out: impl Into<PathBuf>) -> Self {
        GenerateOptions {
            users,
            seed,
            dialect,
            out: out.into(),
            with_defects: true,
            affinity: false,
        }
    }
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions::new(1000, 42, Dialect::Ps7, "generated")
    }
}

#[derive(Clone, Debug)]
pub struct GenerateReport {
    /// Every file written, `manifest.json` last.
    pub files: Vec<PathBuf>,
    pub manifest: Manifest,
}

/// Writes the directory in `opts.dialect` into `opts.out`, plus `manifest.json`.
pub fn generate(opts: &GenerateOptions) -> Result<GenerateReport> {
    generate_with_progress(opts, &|_| {})
}

/// As [`generate`], calling `progress` with the number of users written so far.
pub fn generate_with_progress(
    opts: &GenerateOptions,
    progress: &dyn Fn(u64),
) -> Result<GenerateReport> {
    let dir = Directory::build(opts.users, opts.seed, opts.with_defects)?;
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("cannot create folder {}", opts.out.display()))?;
    let ctx = Ctx::new(&dir);
    let out = opts.out.as_path();
    let mut written: Vec<(String, Option<&str>, PathBuf, u64)> = Vec::new();
    let mut add = |rel: &str, r: (PathBuf, u64)| written.push((rel.to_string(), None, r.0, r.1));
    let ps_set = |fl: &Flavor,
                  users: &[U],
                  groups: &[columns::G],
                  contacts: &[columns::C],
                  add: &mut dyn FnMut(&str, (PathBuf, u64))|
     -> Result<()> {
        add(
            "users.csv",
            powershell::write_users(&ctx, &out.join("users.csv"), fl, users, progress)?,
        );
        add(
            "groups.csv",
            powershell::write_groups(&ctx, &out.join("groups.csv"), fl, groups)?,
        );
        add(
            "contacts.csv",
            powershell::write_contacts(&ctx, &out.join("contacts.csv"), fl, contacts)?,
        );
        Ok(())
    };
    match opts.dialect {
        Dialect::Ps51 => ps_set(&PS51, PS51_USER, PS51_GROUP, PS51_CONTACT, &mut add)?,
        Dialect::Utf16 => ps_set(&UTF16, PS51_USER, PS51_GROUP, PS51_CONTACT, &mut add)?,
        Dialect::ExcelFr => ps_set(&EXCEL_FR, PS51_USER, PS51_GROUP, PS51_CONTACT, &mut add)?,
        Dialect::Ps7 => ps_set(&PS7, PS7_USER, PS7_GROUP, PS7_CONTACT, &mut add)?,
        Dialect::CsUser => {
            let users: Vec<U> = PS7_USER.iter().copied().filter(|c| !c.is_sfb()).collect();
            ps_set(&PS7, &users, PS7_GROUP, PS7_CONTACT, &mut add)?;
            add(
                "csusers.csv",
                powershell::write_csusers(&ctx, &out.join("csusers.csv"))?,
            );
        }
        Dialect::Membership => {
            let users: Vec<U> = PS7_USER
                .iter()
                .copied()
                .filter(|&c| c != U::MemberOf)
                .collect();
            let groups: Vec<columns::G> = PS7_GROUP
                .iter()
                .copied()
                .filter(|&c| c != columns::G::MemberOf)
                .collect();
            ps_set(&PS7, &users, &groups, PS7_CONTACT, &mut add)?;
            add(
                "group-members.csv",
                powershell::write_group_members(&ctx, &out.join("group-members.csv"))?,
            );
        }
        Dialect::Csvde => add(
            "export.csv",
            csvde::write(&ctx, &out.join("export.csv"), progress)?,
        ),
        Dialect::Xlsx => {
            let (p, _) = xlsx::write(&ctx, &out.join("directory.xlsx"), progress)?;
            for (sheet, rows) in [
                ("Users", dir.users.len()),
                ("Groups", dir.groups.len()),
                ("Contacts", dir.contacts.len()),
            ] {
                written.push(("directory.xlsx".into(), Some(sheet), p.clone(), rows as u64));
            }
        }
        Dialect::Adrecon => {
            for (rel, p, rows) in adrecon::write(&dir, out, progress)? {
                written.push((rel, None, p, rows));
            }
        }
    }

    if opts.affinity {
        for (rel, p, rows) in affinity::write(&dir, out)? {
            written.push((rel, None, p, rows));
        }
    }
    let entries = written
        .iter()
        .map(|(rel, sheet, _, rows)| FileEntry {
            path: rel.clone(),
            sheet: sheet.map(str::to_string),
            rows: *rows,
        })
        .collect();
    let manifest = manifest::build(&dir, opts.dialect, entries);
    let mut files: Vec<PathBuf> = Vec::new();
    for (_, _, p, _) in &written {
        if !files.contains(p) {
            files.push(p.clone());
        }
    }
    files.push(write_manifest(out, &manifest)?);
    Ok(GenerateReport { files, manifest })
}

fn write_manifest(out: &Path, m: &Manifest) -> Result<PathBuf> {
    let json = serde_json::to_vec_pretty(m).context("cannot serialise the manifest")?;
    let mut f = sink::AtomicFile::create(&out.join("manifest.json"))?;
    f.write_all(&json)?;
    f.write_all(b"\n")?;
    f.commit()
}
