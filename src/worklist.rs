//! The remediation worklist: `findings.csv` and `findings.xlsx`, one row per finding, in the
//! findings' order (rule id, then object).
//!
//! Every cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a
//! leading `'`, so a customer's value can never run as a formula when the worklist is opened in a
//! spreadsheet. The CSV starts with a UTF-8 byte-order mark so Excel reads it as UTF-8.

use crate::directory::{Attr, Directory};
use crate::report::Lang;
use crate::report::atomic;
use crate::report::csv_out::{self, neutralise};
use crate::report::finding_words::finding_message;
use crate::rules::{Finding, Severity, registry};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::borrow::Cow;
use std::path::Path;

/// The worklist's columns, in order.
pub const COLUMNS: [&str; 12] = [
    "rule",
    "severity",
    "effect",
    "object_class",
    "distinguished_name",
    "sam_account_name",
    "user_principal_name",
    "attribute",
    "value",
    "action",
    "suggested_value",
    "message",
];

/// The cells of a finding's row, before neutralisation. The message is worded in English (the
/// worklists are not language-aware yet).
fn row<'a>(dir: &'a Directory, f: &'a Finding) -> [Cow<'a, str>; 12] {
    let cell = Cow::Borrowed;
    [
        cell(f.rule.id),
        cell(f.severity.as_str()),
        cell(f.effect.as_str()),
        cell(f.kind.as_str()),
        cell(dir.dn(f.object).unwrap_or_default()),
        cell(
            dir.value(f.object, Attr::SamAccountName)
                .unwrap_or_default(),
        ),
        cell(
            dir.value(f.object, Attr::UserPrincipalName)
                .unwrap_or_default(),
        ),
        cell(f.field.name()),
        cell(&f.value),
        cell(f.fix.action()),
        cell(f.fix.value().unwrap_or_default()),
        Cow::Owned(finding_message(Lang::En.catalog(), &f.message)),
    ]
}

/// `findings.csv` as bytes: BOM, header, one row per finding.
pub fn csv_bytes(dir: &Directory, findings: &[Finding]) -> std::io::Result<Vec<u8>> {
    Ok(csv_out::to_bytes(
        &COLUMNS,
        findings.iter().map(|f| row(dir, f)),
    ))
}

/// Writes `findings.csv` atomically.
pub fn write_csv(path: &Path, dir: &Directory, findings: &[Finding]) -> std::io::Result<()> {
    atomic::write(path, &csv_bytes(dir, findings)?)
}

/// Most characters an XLSX cell holds.
const MAX_CELL: usize = 32_767;
/// Data rows per sheet (the header takes one of Excel's 1,048,576).
const MAX_ROWS: usize = 1_048_575;

fn cell_text(s: &str) -> Cow<'_, str> {
    let s = neutralise(s);
    if s.chars().count() <= MAX_CELL {
        return s;
    }
    let cut: String = s.chars().take(MAX_CELL - 1).collect();
    Cow::Owned(cut + "…")
}

fn header(
    sheet: &mut Worksheet,
    names: &[&str],
    widths: &[f64],
    bold: &Format,
) -> Result<(), XlsxError> {
    for (c, (name, width)) in names.iter().zip(widths).enumerate() {
        sheet.set_column_width(c as u16, *width)?;
        sheet.write_string_with_format(0, c as u16, *name, bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// `findings.xlsx` as bytes: a `Summary` sheet with the count of every rule, then one sheet per
/// severity (`Errors`, `Warnings`, `Info`; continued on `Errors (2)`… past Excel's row limit),
/// each with its header frozen and an autofilter.
pub fn xlsx_bytes(dir: &Directory, findings: &[Finding]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // The creation date is the report's generation time, so SOURCE_DATE_EPOCH makes the
    // workbook byte-identical across runs, like the PDF.
    let created =
        rust_xlsxwriter::ExcelDateTime::from_timestamp(crate::report::i18n::generation_time())?;
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();

    let summary = book.add_worksheet();
    summary.set_name("Summary")?;
    let names = ["rule", "severity", "effect", "findings", "summary"];
    header(summary, &names, &[16.0, 10.0, 14.0, 10.0, 100.0], &bold)?;
    let mut counts = std::collections::BTreeMap::new();
    for f in findings {
        *counts.entry(f.rule.id).or_insert(0u64) += 1;
    }
    let rules = registry::all();
    for (i, r) in rules.iter().enumerate() {
        let row = i as u32 + 1;
        summary.write_string(row, 0, r.id)?;
        summary.write_string(row, 1, r.severity.as_str())?;
        summary.write_string(row, 2, r.effect.as_str())?;
        summary.write_number(row, 3, *counts.get(r.id).unwrap_or(&0) as f64)?;
        summary.write_string(row, 4, cell_text(r.summary))?;
    }
    summary.autofilter(0, 0, rules.len() as u32, names.len() as u16 - 1)?;

    let widths = [
        16.0, 9.0, 13.0, 9.0, 50.0, 18.0, 30.0, 20.0, 40.0, 8.0, 40.0, 80.0,
    ];
    for (severity, title) in [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Info, "Info"),
    ] {
        let rows: Vec<&Finding> = findings.iter().filter(|f| f.severity == severity).collect();
        let chunks: Vec<&[&Finding]> = if rows.is_empty() {
            vec![&[]]
        } else {
            rows.chunks(MAX_ROWS).collect()
        };
        for (part, chunk) in chunks.into_iter().enumerate() {
            let sheet = book.add_worksheet();
            let name = if part == 0 {
                title.to_string()
            } else {
                format!("{title} ({})", part + 1)
            };
            sheet.set_name(name)?;
            header(sheet, &COLUMNS, &widths, &bold)?;
            for (i, f) in chunk.iter().enumerate() {
                for (c, cell) in row(dir, f).iter().enumerate() {
                    if !cell.is_empty() {
                        sheet.write_string(i as u32 + 1, c as u16, cell_text(cell))?;
                    }
                }
            }
            sheet.autofilter(0, 0, chunk.len() as u32, COLUMNS.len() as u16 - 1)?;
        }
    }
    book.save_to_buffer()
}

/// Writes `findings.xlsx` atomically.
pub fn write_xlsx(path: &Path, dir: &Directory, findings: &[Finding]) -> std::io::Result<()> {
    let bytes = xlsx_bytes(dir, findings).map_err(|e| std::io::Error::other(e.to_string()))?;
    atomic::write(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        for bad in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        assert_eq!(neutralise("ann@contoso.com"), "ann@contoso.com");
        assert_eq!(neutralise(""), "");
    }
}
