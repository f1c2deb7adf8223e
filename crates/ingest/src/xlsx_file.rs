//! Reading workbooks (`calamine`): every sheet, typed cells turned into the text a CSV export of
//! the same data would hold, the header row found by its column names.

use super::columns::{Column, ColumnMap, normalize_header};
use calamine::{Data, Reader, Sheets, Xlsx, open_workbook_auto};
use hybridready_assessment::date::Date;
use std::path::Path;

/// One sheet's cells as text. `first_row` is the 1-based Excel row of `rows[0]`.
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
    pub first_row: u32,
}

/// An Excel serial date (1900 system) as `YYYY-MM-DD HH:MM:SS`.
pub fn excel_serial_to_iso(serial: f64) -> String {
    // Serial 25569 is 1970-01-01; Excel's fictitious 29 Feb 1900 only shifts dates before March 1900.
    let secs = ((serial - 25_569.0) * 86_400.0).round() as i64;
    let rem = secs.rem_euclid(86_400);
    let Date {
        year: y,
        month: m,
        day: d,
    } = Date::from_unix(secs);
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

/// A workbook part may expand to at most this many bytes: a million-user sheet is about 1 GB
/// of XML.
pub const MAX_PART_BYTES: u64 = 4 << 30;
/// A part over [`RATIO_FROM_BYTES`] may expand at most this many times its zipped size: real
/// sheets compress 5-20 times, a zip bomb hundreds of times.
pub const MAX_PART_RATIO: u64 = 100;
pub const RATIO_FROM_BYTES: u64 = 64 << 20;
/// Cells a sheet may lay out (each row up to its last cell): a single cell at XFD1048576 asked
/// for a grid of 17 billion, and the process was killed.
pub const MAX_SHEET_CELLS: u64 = 100_000_000;
/// The most text in one cell: Excel itself holds 32,767 characters.
pub const MAX_CELL_BYTES: usize = 1 << 20;

/// Refuses a zipped workbook whose parts would expand past [`MAX_PART_BYTES`] or
/// [`MAX_PART_RATIO`], from the sizes its zip directory declares, before any part is inflated.
fn check_parts(path: &Path) -> Result<(), String> {
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(()); // Left to the reader, which says why.
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return Ok(()); // Not a zip: an .xls, or damage the reader reports.
    };
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        let (size, packed) = (part.size(), part.compressed_size().max(1));
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        if size > MAX_PART_BYTES {
            return Err(format!(
                "part {name} expands to {size} bytes, over the limit of {MAX_PART_BYTES}"
            ));
        }
        if size > RATIO_FROM_BYTES && size / packed > MAX_PART_RATIO {
            return Err(format!(
                "part {name} expands {}-fold ({packed} to {size} bytes), over the limit of \
                 {MAX_PART_RATIO}-fold for parts over {RATIO_FROM_BYTES} bytes: not a workbook \
                 Excel wrote",
                size / packed
            ));
        }
    }
    Ok(())
}

/// The first bytes of an OLE2 compound file: an Excel 97-2003 .xls, or an encrypted
/// (password-protected) workbook of any version, which Office wraps in one.
pub const OLE2_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Why a file that starts as an OLE2 compound file and is named `.{ext}` cannot be read: an
/// encrypted workbook, or an .xls renamed (calamine opens by the name, and said only that the
/// zip had no end of central directory).
pub fn ole2_refusal(ext: &str, bytes: &[u8]) -> Option<String> {
    (ext != "xls" && bytes.starts_with(OLE2_MAGIC)).then(|| {
        format!(
            "the workbook is encrypted (password-protected), or an .xls renamed .{ext}: open it \
             in Excel, remove the password (File > Info > Protect Workbook) and save it as .xlsx"
        )
    })
}

/// Reads every sheet of a workbook.
pub fn read_workbook(path: &Path) -> Result<Vec<Sheet>, String> {
    check_parts(path)?;
    let mut wb = open_workbook_auto(path).map_err(|e| format!("not a readable workbook: {e}"))?;
    let names = wb.sheet_names().to_vec();
    let mut sheets = Vec::new();
    for name in names {
        let read = match &mut wb {
            Sheets::Xlsx(x) => read_xlsx_sheet(x, &name),
            other => other
                .worksheet_range(&name)
                .map_err(|e| e.to_string())
                .map(|range| {
                    let first_row = range.start().map_or(1, |(r, _)| r + 1);
                    let rows = range
                        .rows()
                        .map(|r| r.iter().map(cell_text).collect())
                        .collect();
                    (rows, first_row)
                }),
        };
        let (rows, first_row) =
            read.map_err(|e| format!("sheet \"{name}\" cannot be read: {e}"))?;
        sheets.push(Sheet {
            name,
            rows,
            first_row,
        });
    }
    Ok(sheets)
}

/// An XLSX sheet cell by cell: rows laid out from the cells present (each up to its last
/// cell), under [`MAX_SHEET_CELLS`] and [`MAX_CELL_BYTES`], rather than calamine's dense
/// range over the bounding box.
fn read_xlsx_sheet<RS: std::io::Read + std::io::Seek>(
    wb: &mut Xlsx<RS>,
    name: &str,
) -> Result<(Vec<Vec<String>>, u32), String> {
    let mut reader = wb.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        let (row, col) = cell.get_position();
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        if text.len() > MAX_CELL_BYTES {
            return Err(format!(
                "cell {} holds {} bytes, over the limit of {MAX_CELL_BYTES}",
                cell_name(row, col),
                text.len()
            ));
        }
        cells.push((row, col, text));
    }
    cells.sort_unstable_by_key(|&(r, c, _)| (r, c));
    let Some(&(first_row, _, _)) = cells.first() else {
        return Ok((Vec::new(), 1));
    };
    let first_col = cells.iter().map(|&(_, c, _)| c).min().unwrap_or(0);
    let last_row = cells.last().map_or(first_row, |&(r, _, _)| r);
    // The grid as laid out: a row per row from the first to the last, each as long as its
    // last cell.
    let mut laid_out = u64::from(last_row - first_row + 1);
    let mut prev: Option<(u32, u32)> = None;
    for &(r, c, _) in &cells {
        if prev.is_some_and(|(pr, _)| pr != r)
            && let Some((_, pc)) = prev
        {
            laid_out += u64::from(pc - first_col + 1);
        }
        prev = Some((r, c));
    }
    if let Some((_, pc)) = prev {
        laid_out += u64::from(pc - first_col + 1);
    }
    if laid_out > MAX_SHEET_CELLS {
        return Err(format!(
            "its cells lay out {laid_out} cells (from {} to {}), over the limit of \
             {MAX_SHEET_CELLS}",
            cell_name(first_row, first_col),
            cell_name(
                last_row,
                cells.iter().map(|&(_, c, _)| c).max().unwrap_or(0)
            )
        ));
    }
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); (last_row - first_row + 1) as usize];
    for (r, c, text) in cells {
        let row = &mut rows[(r - first_row) as usize];
        let at = (c - first_col) as usize;
        if row.len() <= at {
            row.resize(at + 1, String::new());
        }
        row[at] = text;
    }
    Ok((rows, first_row + 1))
}

/// `A1` notation of a 0-based cell position.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
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
