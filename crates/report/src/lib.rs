//! Renders an [`Assessment`]: every file a consultant hands over or scripts against, in English
//! or French.
//!
//! - `assessment.json`: the assessment whole (versioned), from which `hybridready report DIR`
//!   renders everything again;
//! - `summary.json`: the figures in the stable shape of spec §9 ([`summary_json`]);
//! - the worklists: `findings.csv`, `findings.xlsx`, `unsynced-impact.csv`, `checks.csv`,
//!   `waves.csv` ([`worklist`]);
//! - the move runbooks: `waves/wave-NN.txt`, `waves/move-wave-NN.ps1`,
//!   `waves/rollback-wave-NN.ps1` ([`scripts`]);
//! - the readiness report: `charts/*.svg`, `report.pdf`, `report.html`; for a batch,
//!   `comparison.json`, `comparison.csv`, `comparison.svg`, `comparison.pdf`, `comparison.html`.
//!
//! Owns: output shapes, serialisation, wording (the en and fr catalogues: [`i18n`], [`words`])
//! and layout. **Only `report` knows JSON, CSV, XLSX, PDF, HTML and SVG.** Must not touch:
//! inputs or computation: every figure comes from the assessment, and every list it shows is
//! bounded (top N), so rendering time does not grow with the directory. Every file is written
//! atomically.
//!
//! The flow: [`Assessment`] → [`view::build`] (wording and figures in one language, the
//! charts) → [`pdf`] (typst template) and [`html`]. The PDF and the HTML lay out the same view,
//! so they always say the same thing.

pub mod atomic;
pub mod charts;
pub mod console;
pub mod csv_out;
pub mod explain;
pub mod finding_words;
pub mod html;
pub mod i18n;
pub mod pdf;
pub mod scripts;
pub mod summary_json;
#[cfg(test)]
mod test_support;
pub mod view;
pub mod words;
pub mod worklist;

pub use i18n::Lang;

use hybridready_assessment::{Assessment, Comparison, SCHEMA_VERSION};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Why outputs could not be written or read back.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not an assessment.json this version can read: {source}", path.display())]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(
        "{}: written by another version of hybridready (assessment schema {found}, this version reads {SCHEMA_VERSION})",
        path.display()
    )]
    Version { path: PathBuf, found: u64 },
    #[error("{0}")]
    Render(String),
}

impl ReportError {
    pub fn io(path: &Path, source: std::io::Error) -> ReportError {
        ReportError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    atomic::write(path, bytes).map_err(|e| ReportError::io(path, e))
}

fn json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, ReportError> {
    let mut bytes =
        serde_json::to_vec_pretty(value).map_err(|e| ReportError::Render(e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// What to write.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub lang: Lang,
    /// The readiness report (PDF, HTML, SVG) as well as the data and the worklists.
    pub report: bool,
}

/// The file names an assessment folder holds.
pub const ASSESSMENT_JSON: &str = "assessment.json";
pub const SUMMARY_JSON: &str = "summary.json";

/// Writes every output of `a` into `out`; returns the files written.
pub fn write_assessment(
    a: &Assessment,
    out: &Path,
    opts: Options,
) -> Result<Vec<PathBuf>, ReportError> {
    let lang = opts.lang;
    let path = |name: &str| out.join(name);
    // Each file is streamed to disk as it is made, so that the outputs of a million-user
    // directory are never all in memory at once; the files are made side by side, on every
    // core, the largest (the assessment's JSON, the workbook, the waves) first.
    let streamed = |name: &'static str, make: CsvFile| {
        move || -> Result<Vec<PathBuf>, ReportError> {
            let p = path(name);
            atomic::write_with(&p, |w| make(a, lang, w)).map_err(|e| ReportError::io(&p, e))?;
            Ok(vec![p])
        }
    };
    let jobs: Vec<Box<FileJob>> = vec![
        Box::new(|| {
            let p = path(ASSESSMENT_JSON);
            atomic::write_with(&p, |w| {
                serde_json::to_writer(&mut *w, a).map_err(std::io::Error::other)?;
                w.write_all(b"\n")
            })
            .map_err(|e| ReportError::io(&p, e))?;
            Ok(vec![p])
        }),
        Box::new(|| {
            let p = path("findings.xlsx");
            let bytes = worklist::findings_xlsx(a, lang)
                .map_err(|e| ReportError::Render(format!("findings.xlsx: {e}")))?;
            write(&p, &bytes)?;
            Ok(vec![p])
        }),
        Box::new(|| write_wave_folder(a, out)),
        Box::new(|| {
            let p = path(SUMMARY_JSON);
            write(&p, &json(&summary_json::summary(a))?)?;
            Ok(vec![p])
        }),
        Box::new(streamed("findings.csv", worklist::findings_csv)),
        Box::new(streamed("unsynced-impact.csv", worklist::unsynced_csv)),
        Box::new(streamed("checks.csv", worklist::checks_csv)),
        Box::new(streamed("waves.csv", worklist::waves_csv)),
        Box::new(|| {
            if !opts.report {
                return Ok(Vec::new());
            }
            let mut written = Vec::new();
            for (p, bytes) in report_files(a, out, lang)? {
                write(&p, &bytes)?;
                written.push(p);
            }
            Ok(written)
        }),
    ];
    let done: Vec<Vec<PathBuf>> = jobs
        .into_par_iter()
        .map(|job| job())
        .collect::<Result<_, _>>()?;
    Ok(done.into_iter().flatten().collect())
}

/// One output file (or folder) made and written.
type FileJob<'a> = dyn FnOnce() -> Result<Vec<PathBuf>, ReportError> + Send + 'a;
/// A CSV worklist streamed to a writer.
type CsvFile = fn(&Assessment, Lang, &mut dyn std::io::Write) -> std::io::Result<()>;

/// The folder of the move runbooks, `waves/` (returned as the one path written). A plan of a million users has thousands of
/// files: they are written into a sibling temporary folder, which then replaces the old one
/// whole, so the folder never mixes two runs' waves.
fn write_wave_folder(a: &Assessment, out: &Path) -> Result<Vec<PathBuf>, ReportError> {
    let dir = out.join(WAVES_DIR);
    let tmp = atomic::temp_name(&dir);
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| ReportError::io(&tmp, e))?;
    }
    std::fs::create_dir_all(&tmp).map_err(|e| ReportError::io(&tmp, e))?;
    scripts::write_wave_files(a, |name: &str, bytes: &[u8]| {
        let p = tmp.join(name);
        std::fs::write(&p, bytes).map_err(|e| ReportError::io(&p, e))
    })?;
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| ReportError::io(&dir, e))?;
    }
    std::fs::rename(&tmp, &dir).map_err(|e| ReportError::io(&dir, e))?;
    Ok(vec![dir])
}

/// The folder of the move runbooks in an assessment folder.
pub const WAVES_DIR: &str = "waves";

/// The readiness report of `a`: `charts/*.svg`, `report.pdf`, `report.html`, as bytes.
pub fn report_files(
    a: &Assessment,
    out: &Path,
    lang: Lang,
) -> Result<Vec<(PathBuf, Vec<u8>)>, ReportError> {
    let (view, charts) = view::build(a, lang).map_err(ReportError::Render)?;
    let mut written = Vec::new();
    let mut files = Vec::new();
    for c in &charts {
        written.push((out.join("charts").join(c.file), c.svg.clone().into_bytes()));
        files.push((format!("charts/{}", c.file), c.svg.clone().into_bytes()));
    }
    let data = serde_json::to_vec(&view).map_err(|e| ReportError::Render(e.to_string()))?;
    let pdf = pdf::compile(include_str!("report.typ"), data, files, a.assessed_at)
        .map_err(ReportError::Render)?;
    written.push((out.join("report.pdf"), pdf));
    written.push((
        out.join("report.html"),
        html::report(&view, &charts).into_bytes(),
    ));
    Ok(written)
}

/// Reads the `assessment.json` of a folder written by `assess`.
pub fn read_assessment(dir: &Path) -> Result<Assessment, ReportError> {
    let path = dir.join(ASSESSMENT_JSON);
    let bytes = std::fs::read(&path).map_err(|e| ReportError::io(&path, e))?;
    // The version first, so a file of another version says so rather than failing on a field.
    #[derive(serde::Deserialize)]
    struct Head {
        schema_version: u64,
    }
    let head: Head = serde_json::from_slice(&bytes).map_err(|source| ReportError::Json {
        path: path.clone(),
        source,
    })?;
    if head.schema_version != u64::from(SCHEMA_VERSION) {
        return Err(ReportError::Version {
            path,
            found: head.schema_version,
        });
    }
    serde_json::from_slice(&bytes).map_err(|source| ReportError::Json { path, source })
}

/// A variant's `summary.json`.
pub fn write_summary(a: &Assessment, path: &Path) -> Result<(), ReportError> {
    write(path, &json(&summary_json::summary(a))?)
}

/// `comparison.json` and `comparison.csv` (the same, flattened: one row per variant), and with
/// `opts.report` the comparison report: `comparison.svg`, `comparison.pdf`, `comparison.html`.
pub fn write_comparison(
    c: &Comparison,
    out: &Path,
    opts: Options,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (
            out.join("comparison.json"),
            json(&serde_json::json!({
                "schema_version": summary_json::SUMMARY_VERSION,
                "variants": c.variants.iter().map(summary_json::comparison_row).collect::<Vec<_>>(),
            }))?,
        ),
        (out.join("comparison.csv"), comparison_csv(c, opts.lang)),
    ];
    if opts.report {
        let (view, chart) = view::build_comparison(&c.variants, opts.lang, c.assessed_at)
            .map_err(ReportError::Render)?;
        let mut svgs = Vec::new();
        if let Some(ch) = &chart {
            files.push((out.join(ch.file), ch.svg.clone().into_bytes()));
            svgs.push((ch.file.to_string(), ch.svg.clone().into_bytes()));
        }
        let data = serde_json::to_vec(&view).map_err(|e| ReportError::Render(e.to_string()))?;
        let pdf = pdf::compile(include_str!("comparison.typ"), data, svgs, c.assessed_at)
            .map_err(ReportError::Render)?;
        files.push((out.join("comparison.pdf"), pdf));
        files.push((
            out.join("comparison.html"),
            html::comparison(&view, chart.as_ref()).into_bytes(),
        ));
    }
    for (p, b) in &files {
        write(p, b)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// `comparison.csv`: one row per variant, its figures and each step's status and blockers.
fn comparison_csv(c: &Comparison, lang: Lang) -> Vec<u8> {
    use hybridready_assessment::StepId;
    use std::borrow::Cow;
    let mut header: Vec<String> = [
        "variant",
        "verdict",
        "score",
        "coverage",
        "sfb_users",
        "sfb_synced",
        "sfb_unsynced",
        "pilot_online_users",
        "pilot_broken_pairs",
        "pilot_unsynced_users_breaking",
        "pilot_online_users_affected",
        "end_online_users",
        "end_broken_pairs",
        "end_unsynced_users_breaking",
        "end_online_users_affected",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for step in StepId::ALL {
        header.push(format!("{}_status", step.as_str()));
        header.push(format!("{}_blockers", step.as_str()));
    }
    let body = c.variants.iter().map(|r| {
        let b = r.breaks;
        let mut cells: Vec<Cow<'_, str>> = vec![
            Cow::Owned(r.name.clone()),
            Cow::Borrowed(r.verdict.as_str()),
            Cow::Owned(r.score.to_string()),
            // A decimal as the language's spreadsheets read it.
            Cow::Owned(match lang {
                Lang::En => format!("{:.4}", r.sync.coverage),
                Lang::Fr => format!("{:.4}", r.sync.coverage).replace('.', ","),
            }),
            Cow::Owned(r.sync.sfb_users.to_string()),
            Cow::Owned(r.sync.sfb_synced.to_string()),
            Cow::Owned(r.sync.sfb_unsynced.to_string()),
        ];
        for p in [b.pilot, b.end] {
            cells.extend(
                [
                    p.online_users,
                    p.broken_pairs,
                    p.unsynced_users_breaking,
                    p.online_users_affected,
                ]
                .map(|x| Cow::Owned(x.to_string())),
            );
        }
        for step in StepId::ALL {
            match r.steps.iter().find(|s| s.id == step) {
                Some(s) => {
                    cells.push(Cow::Borrowed(s.status.as_str()));
                    cells.push(Cow::Owned(
                        s.blockers
                            .iter()
                            .map(|c| c.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    ));
                }
                None => {
                    cells.push(Cow::Borrowed(""));
                    cells.push(Cow::Borrowed(""));
                }
            }
        }
        cells
    });
    csv_out::to_bytes(worklist::delimiter(lang), &header, body)
}
