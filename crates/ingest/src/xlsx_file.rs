//! Reading workbooks (`calamine`): every sheet, typed cells turned into the text a CSV export of
//! the same data would hold, the header row found by its column names.

use super::columns::{Column, ColumnMap, normalize_header};
use calamine::{Data, Reader, open_workbook_auto};
use std::path::Path;

/// One sheet's cells as text. `first_row` is the 1-based Excel row of `rows[0]`.
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
    pub first_row: u32,
}

/// Days from 1 Jan 1970 to a civil date, and back (Howard Hinnant's algorithms).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// An Excel serial date (1900 system) as `YYYY-MM-DD HH:MM:SS`.
pub fn excel_serial_to_iso(serial: f64) -> String {
    // Serial 25569 is 1970-01-01; Excel's fictitious 29 Feb 1900 only shifts dates before March 1900.
    let secs = ((serial - 25_569.0) * 86_400.0).round() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

pub fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e17 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        Data::DateTime(d) => excel_serial_to_iso(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Reads every sheet of a workbook.
pub fn read_workbook(path: &Path) -> Result<Vec<Sheet>, String> {
    let mut wb = open_workbook_auto(path).map_err(|e| format!("not a readable workbook: {e}"))?;
    let names = wb.sheet_names().to_vec();
    let mut sheets = Vec::new();
    for name in names {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                return Err(format!("sheet \"{name}\" cannot be read: {e}"));
            }
        };
        let first_row = range.start().map_or(1, |(r, _)| r + 1);
        let rows = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        sheets.push(Sheet {
            name,
            rows,
            first_row,
        });
    }
    Ok(sheets)
}

/// The index of the header row: the first of the top rows with two or more known column names,
/// one of them naming an object, a membership or a domain fact. Title blocks above it are skipped.
pub fn find_header(rows: &[Vec<String>], map: &ColumnMap) -> Option<usize> {
    rows.iter().take(30).position(|row| {
        let cols: Vec<Option<Column>> = row.iter().map(|h| map.lookup(h)).collect();
        let known = cols.iter().filter(|c| c.is_some()).count();
        let anchor = cols.iter().any(|c| {
            matches!(
                c,
                Some(
                    Column::Dn
                        | Column::RowGroup
                        | Column::Attr(
                            hybridready_directory::Attr::ObjectGuid
                                | hybridready_directory::Attr::Sid
                                | hybridready_directory::Attr::SamAccountName
                                | hybridready_directory::Attr::UserPrincipalName
                                | hybridready_directory::Attr::Cn
                        )
                )
            )
        }) || row.iter().map(|h| normalize_header(h)).collect::<Vec<_>>()
            == ["category", "value"]
            || row.iter().any(|h| normalize_header(h) == "sourcedomain");
        known >= 2 && anchor
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_dates() {
        assert_eq!(excel_serial_to_iso(43340.9407), "2018-08-28 22:34:36");
        assert_eq!(excel_serial_to_iso(25569.0), "1970-01-01 00:00:00");
    }

    #[test]
    fn header_below_a_title_block() {
        let rows = vec![
            vec!["Contoso directory export".to_string(), String::new()],
            vec![String::new(), String::new()],
            vec![
                "SamAccountName".to_string(),
                "UserPrincipalName".to_string(),
            ],
        ];
        assert_eq!(find_header(&rows, &ColumnMap::default()), Some(2));
    }
}
