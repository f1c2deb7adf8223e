//! `hybridready inspect INPUT…`: what a consultant runs first on a customer's files.

use super::{CliError, column_map, progress::Bar};
use crate::assessment::DirectoryFigures;
use crate::directory::{Directory, ObjectId};
use crate::ingest::{IngestOptions, InputReport, InputStatus, ingest};
use crate::report::{Lang, words};
use clap::{Args, ValueEnum};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// Export files, or folders to read recursively (CSV, TSV, TXT, XLSX).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Extra header spellings: a TOML file with a [columns] table of "Header" = "attribute".
    #[arg(long, value_name = "FILE.toml")]
    pub columns: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub limits: super::LimitArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

const EXAMPLES: usize = 5;

/// After the examples of `total` problems: how many were not shown, so a list cut at
/// [`EXAMPLES`] never reads as the whole of it; with `json`, the number `--format json` lists.
fn write_more(out: &mut String, total: u64, kept: usize, json: bool) {
    let shown = kept.min(EXAMPLES) as u64;
    if total > shown {
        let t = Lang::En.catalog();
        let where_ = if json && kept as u64 > shown {
            format!(" (`--format json` lists the first {})", t.int(kept as u64))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "             … and {} more{where_}",
            t.int(total - shown)
        );
    }
}
/// Unrecognised column names shown: a spreadsheet of 5,000 columns gave one line of all of them.
const COLUMNS_SHOWN: usize = 10;

/// The first [`COLUMNS_SHOWN`] names, and how many more there are.
fn first_of(names: &[String]) -> String {
    let shown = names[..names.len().min(COLUMNS_SHOWN)].join(", ");
    match names.len().saturating_sub(COLUMNS_SHOWN) {
        0 => shown,
        more => format!("{shown} and {} more", Lang::En.catalog().int(more as u64)),
    }
}

pub fn run(a: InspectArgs) -> Result<u8, CliError> {
    let bar = Bar::new();
    let cb = bar.callback();
    let mut opts = IngestOptions {
        columns: column_map(&a.columns)?,
        progress: Some(&cb),
        limits: a.limits.limits(),
        ..Default::default()
    };
    // As `assess` does: a lone folder's scenario names its affinity files (pairs of users, not AD
    // objects), which would otherwise be refused here as exports naming no object.
    let mut scenario = None;
    if let Some(found) = crate::pipeline::scenario_in(&a.inputs) {
        opts.exclude.push(found.clone());
        match crate::pipeline::scenario(Some(&found)) {
            Ok(s) if !s.affinity_files().is_empty() => {
                eprintln!(
                    "hybridready: leaving out the affinity files of {}: assess reads them",
                    crate::report::console::terminal(&found.display().to_string())
                );
                opts.exclude.extend(s.affinity_files());
                scenario = Some((found, s));
            }
            Ok(s) => scenario = Some((found, s)),
            Err(e) => eprintln!(
                "hybridready: warning: {}: its affinity files, if any, are inspected as exports",
                crate::report::console::terminal(&e.to_string())
            ),
        }
    }
    let ingested = ingest(&a.inputs, &opts)?;
    bar.finish();
    let cycles: Vec<Vec<ObjectId>> = crate::graph::nesting_cycles(&ingested.directory)
        .into_iter()
        .map(|c| c.groups)
        .collect();
    let dir_summary = crate::pipeline::directory_figures(&ingested.directory, &cycles);
    // What the configuration exports set, against the folder's scenario (or one another).
    let resolved = match &scenario {
        Some((path, s)) => crate::pipeline::resolve_settings(&ingested.settings, s, Some(path)),
        None => crate::pipeline::resolve_settings(
            &ingested.settings,
            &crate::assessment::Scenario::default(),
            None,
        ),
    };
    match a.format {
        Format::Json => {
            let cycle_names: Vec<Vec<String>> = cycles
                .iter()
                .map(|c| c.iter().map(|g| ingested.directory.label(*g)).collect())
                .collect();
            let v = serde_json::json!({
                "inputs": ingested.inputs,
                "directory": dir_summary,
                "nesting_cycles": cycle_names,
                "settings_from_files": ingested.settings,
                "setting_conflicts": resolved.conflicts,
                "hidden": ingested.hidden,
            });
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        Format::Text => {
            let mut out = String::new();
            for r in &ingested.inputs {
                write_input(&mut out, r);
            }
            if ingested.hidden > 0 {
                let t = Lang::En.catalog();
                let hidden = t.msg("console.hidden", &[("count", ingested.hidden.into())]);
                let _ = writeln!(out, "{hidden}\n");
            }
            let names: std::collections::HashMap<u32, String> = ingested
                .inputs
                .iter()
                .filter_map(|r| r.file_id.map(|id| (id.0, r.display_name())))
                .collect();
            let file = |id: u32| {
                names
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| format!("input #{id}"))
            };
            write_directory(&mut out, &ingested.directory, &dir_summary, &cycles, &file);
            write_conflicts(&mut out, &resolved.conflicts);
            print!("{}", crate::report::console::terminal(&out));
        }
    }
    let refused: Vec<&InputReport> = ingested.refused().collect();
    for r in &refused {
        if let Some(x) = &r.refusal {
            let t = Lang::En.catalog();
            super::print_error(&CliError::input(
                format!("{}: {}", r.display_name(), words::refusal(t, x)),
                words::refusal_hint(t, x),
            ));
        }
    }
    // A file the kit's manifest says was changed or lost since the export is an input problem.
    let mut kit_problems = 0;
    for r in &ingested.inputs {
        for k in r.kit.iter().filter(|k| k.is_problem()) {
            let t = Lang::En.catalog();
            kit_problems += 1;
            super::print_error(&CliError::input(
                format!("{}: {}", r.display_name(), words::kit_note(t, k)),
                words::kit_note_hint(t, k),
            ));
        }
    }
    Ok(if refused.is_empty() && kit_problems == 0 {
        0
    } else {
        2
    })
}

fn write_input(out: &mut String, r: &InputReport) {
    let _ = writeln!(out, "{}", r.display_name());
    match r.status {
        InputStatus::Refused => {
            if let Some(x) = &r.refusal {
                let t = Lang::En.catalog();
                let _ = writeln!(out, "  refused    {}", words::refusal(t, x));
                let _ = writeln!(out, "  hint       {}", words::refusal_hint(t, x));
            }
            let _ = writeln!(out);
            return;
        }
        InputStatus::Ignored => {
            let _ = writeln!(out, "  ignored    {}", r.details);
            for k in &r.kit {
                let label = if k.is_problem() { "problem" } else { "note" };
                let _ = writeln!(
                    out,
                    "  {label:<10} {}",
                    words::kit_note(Lang::En.catalog(), k)
                );
            }
            let _ = writeln!(out);
            return;
        }
        InputStatus::Read => {}
    }
    // A configuration export has no rows or columns: what it is, and what it sets.
    if r.format == crate::ingest::CONFIG_FORMAT {
        let _ = writeln!(out, "  config     {}", r.details);
        let _ = writeln!(out, "  encoding   {}", r.encoding.as_deref().unwrap_or("?"));
        for n in &r.notes {
            let _ = writeln!(out, "  note       {n}");
        }
        let _ = writeln!(out);
        return;
    }
    let _ = writeln!(out, "  dialect    {}", r.details);
    let mut enc = format!("  encoding   {}", r.encoding.as_deref().unwrap_or("?"));
    if let Some(d) = &r.delimiter {
        let _ = write!(enc, " · delimiter {d}");
    }
    if let Some(t) = &r.type_line {
        let _ = write!(enc, " · #TYPE {t}");
    }
    let _ = writeln!(out, "{enc}");
    let _ = writeln!(
        out,
        "  rows       {}: {} accepted, {} merged, {} rejected",
        r.rows, r.accepted, r.merged, r.rejected
    );
    if let Some(k) = &r.rows_default_to {
        let _ = writeln!(
            out,
            "  rows are   {k} unless their objectClass says otherwise"
        );
    }
    if !r.object_classes.is_empty() {
        let classes: Vec<String> = r
            .object_classes
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        let _ = writeln!(out, "  classes    {}", classes.join(", "));
    }
    let used = r
        .columns_recognised
        .iter()
        .filter(|(_, t)| t != "recognised, not used")
        .count();
    let known_unused: Vec<&str> = r
        .columns_recognised
        .iter()
        .filter(|(_, t)| t == "recognised, not used")
        .map(|(h, _)| h.as_str())
        .collect();
    let _ = writeln!(
        out,
        "  columns    {used} used, {} known but not needed, {} unrecognised",
        known_unused.len(),
        r.columns_unrecognised.len()
    );
    if !r.columns_unrecognised.is_empty() {
        let _ = writeln!(out, "  unrecognised {}", first_of(&r.columns_unrecognised));
    }
    for m in &r.columns_missing {
        let rules: Vec<String> = m.rules.iter().map(|r| r.to_string()).collect();
        let _ = writeln!(
            out,
            "  missing    {}: leaves unchecked {}",
            m.column,
            words::leaves_unchecked(Lang::En.catalog(), &m.column, &rules)
        );
    }
    for n in &r.notes {
        let _ = writeln!(out, "  note       {n}");
    }
    if r.value_errors > 0 {
        let _ = writeln!(out, "  bad values {}", r.value_errors);
        for e in r.value_error_examples.iter().take(EXAMPLES) {
            let _ = writeln!(
                out,
                "             line {}, column {}: \"{}\": expected {}",
                e.line, e.column, e.value, e.expected
            );
        }
        write_more(out, r.value_errors, r.value_error_examples.len(), true);
    }
    if r.rejected > 0 {
        for (reason, n) in &r.rejected_by_reason {
            let _ = writeln!(out, "  rejected   {n} × {reason}");
        }
        for e in r.rejections.iter().take(EXAMPLES) {
            let _ = writeln!(out, "             line {}: {}", e.line, e.reason);
        }
        write_more(out, r.rejected, r.rejections.len(), true);
    }
    let _ = writeln!(out);
}

/// Settings given twice that disagree, as `assess` says them.
fn write_conflicts(out: &mut String, conflicts: &[crate::assessment::setting::SettingConflict]) {
    if conflicts.is_empty() {
        return;
    }
    let t = Lang::En.catalog();
    let _ = writeln!(out, "settings");
    let _ = writeln!(out, "  {}", t.get("console.setting_conflicts"));
    for c in conflicts {
        let _ = writeln!(out, "  conflict   {}", words::setting_conflict(t, c));
    }
}

fn write_directory(
    out: &mut String,
    dir: &Directory,
    s: &DirectoryFigures,
    cycles: &[Vec<ObjectId>],
    file: &dyn Fn(u32) -> String,
) {
    let c = s;
    let _ = writeln!(out, "directory");
    let _ = writeln!(
        out,
        "  objects    {} users ({} Skype for Business), {} groups, {} contacts",
        c.users, c.sfb_users, c.groups, c.contacts
    );
    let domains: Vec<&str> = dir.domains().iter().map(|d| d.name.as_str()).collect();
    let _ = writeln!(
        out,
        "  domains    {}: {}",
        c.domains,
        if domains.is_empty() {
            "-".to_string()
        } else {
            domains.join(", ")
        }
    );
    let _ = writeln!(out, "  OUs        {}", c.ous);
    let _ = writeln!(out, "  trusts     {}", s.trusts);
    let _ = writeln!(
        out,
        "  memberships {} direct member→group edges",
        c.memberships
    );
    // A cycle may run through thousands of groups: the first few say where to look.
    const SHOWN: usize = 6;
    for cyc in cycles {
        let names: Vec<String> = cyc.iter().take(SHOWN).map(|g| dir.label(*g)).collect();
        let more = if cyc.len() > SHOWN {
            format!(" → … ({} groups)", cyc.len())
        } else {
            String::new()
        };
        let _ = writeln!(out, "  cycle      {}{more}", names.join(" → "));
    }
    let (unres, n) = dir.unresolved();
    if n > 0 {
        let _ = writeln!(
            out,
            "  unresolved {n} reference(s) to objects not in the inputs"
        );
        for u in unres.iter().take(EXAMPLES) {
            let _ = writeln!(
                out,
                "             {} {} ({} line {})",
                u.kind,
                u.target,
                file(u.file),
                u.line
            );
        }
        write_more(out, n, unres.len(), false);
    }
    let (conf, n) = dir.conflicts();
    if n > 0 {
        let _ = writeln!(
            out,
            "  conflicts  {n} attribute value(s) disagree between rows of one object"
        );
        for x in conf.iter().take(EXAMPLES) {
            let _ = writeln!(
                out,
                "             {} {}: kept \"{}\", {} line {} says \"{}\"",
                dir.label(x.object),
                x.attribute,
                x.kept,
                file(x.file),
                x.line,
                x.other
            );
        }
        write_more(out, n, conf.len(), false);
    }
}
