//! Outputs: `summary.json` (the machine-readable contract of spec §9), and the readiness
//! report: `charts/*.svg`, `report.pdf` and `report.html`, in English or French; for a batch,
//! `comparison.svg`, `comparison.pdf` and `comparison.html`. Every file is written atomically.
//!
//! Owns: output shapes and serialisation. **Only `report` knows PDF, HTML and SVG.** Must not
//! touch: inputs or computation: everything it writes is computed by the earlier stages and
//! handed over in [`summary::Summary`] and the worklists; the report only selects, words and
//! lays out, and every list it shows is bounded (top N), so rendering time does not grow with
//! the directory.
//!
//! The flow: [`model::ReportInput`] → [`view::build`] (wording and figures in one language,
//! the charts) → [`pdf`] (typst template) and [`html`]. The PDF and the HTML lay out the same
//! view, so they always say the same thing. [`finding_words`] words the rules' typed finding
//! messages in either language.

pub mod atomic;
pub mod charts;
pub mod csv_out;
pub mod finding_words;
pub mod html;
pub mod i18n;
pub mod model;
pub mod pdf;

pub mod view;

pub use i18n::Lang;
pub use model::{
    FindingRow, FindingsDigest, ReportError, ReportInput, RuleDoc, VariantRow, VariantStep,
    WavesDigest,
};

use std::path::{Path, PathBuf};

/// Writes the readiness report of `input` into `out_dir`: `charts/*.svg`, `report.pdf`,
/// `report.html`. Returns the files written.
pub fn render_all(
    input: &ReportInput,
    out_dir: &Path,
    lang: Lang,
) -> Result<Vec<PathBuf>, ReportError> {
    let (view, charts) = view::build(input, lang).map_err(ReportError::Render)?;
    let mut written = Vec::new();
    let mut files = Vec::new();
    for c in &charts {
        let path = out_dir.join("charts").join(c.file);
        write(&path, c.svg.as_bytes())?;
        written.push(path);
        files.push((format!("charts/{}", c.file), c.svg.clone().into_bytes()));
    }
    let json = serde_json::to_vec(&view).map_err(|e| ReportError::Render(e.to_string()))?;
    let pdf = pdf::compile(include_str!("report.typ"), json, files, input.generated_at)
        .map_err(ReportError::Render)?;
    let path = out_dir.join("report.pdf");
    write(&path, &pdf)?;
    written.push(path);
    let path = out_dir.join("report.html");
    write(&path, html::report(&view, &charts).as_bytes())?;
    written.push(path);
    Ok(written)
}

/// Re-renders the report of a previous run's folder (its `summary.json` and worklists) into the
/// same folder, without re-ingesting anything.
pub fn render_dir(
    dir: &Path,
    lang: Lang,
    rules: Vec<RuleDoc>,
    customer: Option<String>,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut input = ReportInput::load(dir, rules)?;
    if customer.is_some() {
        input.customer = customer;
    }
    render_all(&input, dir, lang)
}

/// Writes the comparison report of a batch into `out_dir`: `comparison.svg`, `comparison.pdf`,
/// `comparison.html`. The first row is the base scenario.
pub fn render_comparison(
    rows: &[VariantRow],
    out_dir: &Path,
    lang: Lang,
) -> Result<Vec<PathBuf>, ReportError> {
    let generated_at = i18n::generation_time();
    let (view, chart) =
        view::build_comparison(rows, lang, generated_at).map_err(ReportError::Render)?;
    let mut written = Vec::new();
    let mut files = Vec::new();
    if let Some(c) = &chart {
        let path = out_dir.join(c.file);
        write(&path, c.svg.as_bytes())?;
        written.push(path);
        files.push((c.file.to_string(), c.svg.clone().into_bytes()));
    }
    let json = serde_json::to_vec(&view).map_err(|e| ReportError::Render(e.to_string()))?;
    let pdf = pdf::compile(include_str!("comparison.typ"), json, files, generated_at)
        .map_err(ReportError::Render)?;
    let path = out_dir.join("comparison.pdf");
    write(&path, &pdf)?;
    written.push(path);
    let path = out_dir.join("comparison.html");
    write(&path, html::comparison(&view, chart.as_ref()).as_bytes())?;
    written.push(path);
    Ok(written)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    atomic::write(path, bytes).map_err(|e| ReportError::io(path, e))
}
