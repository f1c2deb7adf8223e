//! The worklists a customer opens in a spreadsheet: `findings.csv` and `findings.xlsx` (one row
//! per finding), `unsynced-impact.csv` (every unsynchronised SfB user), `checks.csv` (every
//! object behind a check that does not pass), and `waves.csv` (the move lists).
//!
//! The worklists are in the report's language: in French, French headers and words, and `;`
//! between cells (French Excel opens a comma-separated file in one column). `waves.csv` is an
//! input to PowerShell (`Import-Csv` … `Move-CsUser`): the same in every language, with its
//! cmdlet-facing headers and commas.
//!
//! Every cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a
//! leading `'`, so a customer's value can never run as a formula when the worklist is opened in
//! a spreadsheet. The CSVs start with a UTF-8 byte-order mark so Excel reads them as UTF-8.

use super::csv_out::{self, neutralise};
use super::i18n::{Catalog, Lang};
use super::words;
use hybridready_assessment::{
    Assessment, FindingRow, Home, ObjRef, ObjectClass, ObjectInfo, Severity, Status,
};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::borrow::Cow;
use std::io::Write;

/// The cell separator of the language's CSV worklists.
pub fn delimiter(lang: Lang) -> u8 {
    match lang {
        Lang::En => b',',
        Lang::Fr => b';',
    }
}

/// The findings worklist's columns (catalogue keys; in English, spec §9's column names).
const FINDING_COLUMNS: [&str; 12] = [
    "wl.rule",
    "wl.severity",
    "wl.effect",
    "wl.object_class",
    "wl.distinguished_name",
    "wl.sam_account_name",
    "wl.user_principal_name",
    "wl.attribute",
    "wl.value",
    "wl.action",
    "wl.suggested_value",
    "wl.message",
];

fn headers(t: &Catalog, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| t.get(k).to_string()).collect()
}

fn class(t: &Catalog, o: Option<&ObjectInfo>) -> String {
    let c = o.and_then(|o| o.class).unwrap_or(ObjectClass::Other);
    t.get(&format!("wl.class.{}", c.as_str())).to_string()
}

/// The cells of a finding's row, before neutralisation.
fn finding_row(t: &Catalog, a: &Assessment, f: &FindingRow) -> Vec<String> {
    let o = a.objects.get(f.object);
    let field = |g: fn(&ObjectInfo) -> &String| o.map(|o| g(o).clone()).unwrap_or_default();
    vec![
        f.rule.clone(),
        t.get(&format!("wl.severity.{}", f.severity.as_str()))
            .to_string(),
        t.get(&format!("effect.{}", f.effect.as_str())).to_string(),
        class(t, o),
        field(|o| &o.dn),
        field(|o| &o.sam),
        field(|o| &o.upn),
        f.attribute.clone(),
        f.value.clone(),
        match f.fix.action() {
            "" => String::new(),
            x => t.get(&format!("wl.action.{x}")).to_string(),
        },
        f.fix.value().unwrap_or_default().to_string(),
        crate::finding_words::finding_message(t, &f.message),
    ]
}

/// `findings.csv`: BOM, header, one row per finding.
pub fn findings_csv(a: &Assessment, lang: Lang, w: &mut dyn Write) -> std::io::Result<()> {
    let t = lang.catalog();
    csv_out::write_rows(
        w,
        delimiter(lang),
        &headers(t, &FINDING_COLUMNS),
        a.findings
            .rows
            .iter()
            .map(|f| finding_row(t, a, f).into_iter().map(Cow::Owned)),
    )
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
    names: &[String],
    widths: &[f64],
    bold: &Format,
) -> Result<(), XlsxError> {
    for (c, (name, width)) in names.iter().zip(widths).enumerate() {
        sheet.set_column_width(c as u16, *width)?;
        sheet.write_string_with_format(0, c as u16, name, bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// `findings.xlsx`: a summary sheet with the count of every rule, then one sheet per severity
/// (continued on `… (2)` past Excel's row limit), each with its header frozen and a filter.
pub fn findings_xlsx(a: &Assessment, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let t = lang.catalog();
    let mut book = Workbook::new();
    // The creation date is the assessment's, so SOURCE_DATE_EPOCH makes the workbook
    // byte-identical across runs, like the PDF.
    let created = rust_xlsxwriter::ExcelDateTime::from_timestamp(a.assessed_at)?;
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();

    let summary = book.add_worksheet();
    summary.set_name(t.get("wl.sheet.summary"))?;
    let names = headers(
        t,
        &[
            "wl.rule",
            "wl.severity",
            "wl.effect",
            "wl.findings",
            "wl.objects",
            "wl.summary",
        ],
    );
    header(
        summary,
        &names,
        &[16.0, 12.0, 22.0, 10.0, 10.0, 100.0],
        &bold,
    )?;
    let docs: std::collections::BTreeMap<&str, &str> = a
        .findings
        .rules
        .iter()
        .map(|d| (d.id.as_str(), d.summary.as_str()))
        .collect();
    for (i, r) in a.findings.by_rule.iter().enumerate() {
        let row = i as u32 + 1;
        summary.write_string(row, 0, &r.rule)?;
        summary.write_string(
            row,
            1,
            t.get(&format!("wl.severity.{}", r.severity.as_str())),
        )?;
        summary.write_string(row, 2, t.get(&format!("effect.{}", r.effect.as_str())))?;
        summary.write_number(row, 3, r.findings as f64)?;
        summary.write_number(row, 4, r.objects as f64)?;
        let english = docs.get(r.rule.as_str()).copied().unwrap_or_default();
        let text = words::rule_text(t, &r.rule, "summary", english);
        if !text.is_empty() {
            summary.write_string(row, 5, cell_text(&text))?;
        }
    }
    summary.autofilter(
        0,
        0,
        a.findings.by_rule.len() as u32,
        names.len() as u16 - 1,
    )?;

    let cols = headers(t, &FINDING_COLUMNS);
    let widths = [
        16.0, 11.0, 20.0, 12.0, 50.0, 18.0, 30.0, 20.0, 40.0, 10.0, 40.0, 80.0,
    ];
    for (severity, title) in [
        (Severity::Error, "wl.sheet.errors"),
        (Severity::Warning, "wl.sheet.warnings"),
        (Severity::Info, "wl.sheet.info"),
    ] {
        let rows: Vec<&FindingRow> = a
            .findings
            .rows
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        let chunks: Vec<&[&FindingRow]> = if rows.is_empty() {
            vec![&[]]
        } else {
            rows.chunks(MAX_ROWS).collect()
        };
        for (part, chunk) in chunks.into_iter().enumerate() {
            // Written row by row with inline strings: a finding sheet has hundreds of thousands
            // of mostly distinct values, which a shared-string table would only slow down.
            let sheet = book.add_worksheet_with_constant_memory()?;
            let name = if part == 0 {
                t.get(title).to_string()
            } else {
                format!("{} ({})", t.get(title), part + 1)
            };
            sheet.set_name(name)?;
            header(sheet, &cols, &widths, &bold)?;
            for (i, f) in chunk.iter().enumerate() {
                for (c, cell) in finding_row(t, a, f).iter().enumerate() {
                    if !cell.is_empty() {
                        sheet.write_string(i as u32 + 1, c as u16, cell_text(cell))?;
                    }
                }
            }
            sheet.autofilter(0, 0, chunk.len() as u32, cols.len() as u16 - 1)?;
        }
    }
    // Excel's own level: a third faster than the default for a file about 5% larger.
    book.set_zip_compression_level(3);
    book.save_to_buffer()
}

fn names(a: &Assessment, o: ObjRef) -> [String; 3] {
    match a.objects.get(o) {
        Some(i) => [
            hybridready_assessment::strip_sip(&i.sip).to_string(),
            i.upn.clone(),
            i.dn.clone(),
        ],
        None => [a.objects.label(o), String::new(), String::new()],
    }
}

/// `unsynced-impact.csv`: every SfB user that would not synchronise (already online first,
/// then by impact), with its home, its reasons and its first online partners.
pub fn unsynced_csv(a: &Assessment, lang: Lang, w: &mut dyn Write) -> std::io::Result<()> {
    let t = lang.catalog();
    let head = headers(
        t,
        &[
            "wl.rank",
            "wl.sip_address",
            "wl.user_principal_name",
            "wl.distinguished_name",
            "wl.home",
            "wl.reasons",
            "wl.impact",
            "wl.impact_after_pilot",
            "wl.first_online_partners",
        ],
    );
    let rows = a.unsynced.iter().enumerate().map(|(i, u)| {
        let [sip, upn, dn] = names(a, u.user);
        vec![
            (i + 1).to_string(),
            sip,
            upn,
            dn,
            t.get(match u.home {
                Home::Online => "wl.home.online",
                Home::OnPremises => "wl.home.on_premises",
            })
            .to_string(),
            u.reasons
                .iter()
                .map(|r| words::sync_reason(t, r))
                .collect::<Vec<_>>()
                .join("; "),
            u.impact.to_string(),
            u.impact_after_pilot.to_string(),
            u.partners
                .iter()
                .map(|p| a.objects.label(*p))
                .collect::<Vec<_>>()
                .join("; "),
        ]
        .into_iter()
        .map(Cow::Owned)
    });
    csv_out::write_rows(w, delimiter(lang), &head, rows)
}

/// `checks.csv`: every object behind every check that does not pass, with the reason that
/// holds it there (an object with two reasons has two rows). The report lists the first few of
/// each check and points here for the rest.
pub fn checks_csv(a: &Assessment, lang: Lang, w: &mut dyn Write) -> std::io::Result<()> {
    let t = lang.catalog();
    let head = headers(
        t,
        &[
            "wl.step",
            "wl.check",
            "wl.status",
            "wl.object",
            "wl.user_principal_name",
            "wl.distinguished_name",
            "wl.reason",
        ],
    );
    // The rows of one check at a time: a check over a million objects is streamed, not
    // collected.
    let rows = a.steps.iter().flat_map(|st| {
        st.checks
            .iter()
            .filter(|c| c.status != Status::Pass)
            .flat_map(move |c| {
                let row = move |o: ObjRef, reason: &str| {
                    let info = a.objects.get(o);
                    vec![
                        format!("{}. {}", st.id.number(), words::step_title(t, st.id)),
                        c.id.as_str().to_string(),
                        words::check_status(t, c.status),
                        a.objects.label(o),
                        info.map(|i| i.upn.clone()).unwrap_or_default(),
                        info.map(|i| i.dn.clone()).unwrap_or_default(),
                        reason.to_string(),
                    ]
                    .into_iter()
                    .map(Cow::Owned)
                };
                let mut listed: Vec<ObjRef> = c
                    .causes
                    .iter()
                    .flat_map(|k| k.objects.iter().copied())
                    .collect();
                listed.sort_unstable();
                let fact = words::fact(t, &c.fact);
                let by_cause = c.causes.iter().flat_map(move |k| {
                    let reason = words::reason(t, &k.reason);
                    k.objects.iter().map(move |&o| row(o, &reason))
                });
                let rest = c
                    .objects
                    .iter()
                    .filter(move |o| listed.binary_search(o).is_err())
                    .map(move |&o| row(o, &fact));
                by_cause.chain(rest)
            })
    });
    csv_out::write_rows(w, delimiter(lang), &head, rows)
}

/// `waves.csv`: one row per user to move, in wave order: its wave, its names, why it is in
/// that wave, and how many of its dependents move with it.
pub fn waves_csv(a: &Assessment, lang: Lang, w: &mut dyn Write) -> std::io::Result<()> {
    let t = lang.catalog();
    let head = headers(
        t,
        &[
            "wl.wave",
            "wl.sip_address",
            "wl.user_principal_name",
            "wl.distinguished_name",
            "wl.wave_reason",
            "wl.dependents",
            "wl.dependents_elsewhere",
        ],
    );
    let rows = a.waves.waves.iter().flat_map(|wave| {
        wave.users.iter().map(move |u| {
            let [sip, upn, dn] = names(a, u.user);
            vec![
                wave.number.to_string(),
                sip,
                upn,
                dn,
                words::wave_reason(t, a, &u.reason),
                u.dependents.to_string(),
                u.elsewhere.to_string(),
            ]
            .into_iter()
            .map(Cow::Owned)
        })
    });
    csv_out::write_rows(w, delimiter(lang), &head, rows)
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
