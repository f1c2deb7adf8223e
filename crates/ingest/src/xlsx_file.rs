//! Reading workbooks (`calamine`): every sheet, typed cells turned into the text a CSV export of
//! the same data would hold, the header row found by its column names.

use super::columns::{Column, ColumnMap, normalize_header};
use super::limits::{Limit, Limits, OverLimit, RATIO_FROM_BYTES};
use calamine::{
    Cell, Data, DataRef, Ods, Range, Reader, Sheets, Xls, Xlsb, Xlsx, open_workbook_auto_from_rs,
    open_workbook_from_rs,
};
use hybridready_assessment::Refusal;
use hybridready_assessment::date::Date;
use std::io::Cursor;

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

/// Refuses a zipped workbook whose parts would expand past the `xlsx-part-size` or
/// `xlsx-part-ratio` limits, from the sizes its zip directory declares, before any part is
/// inflated.
fn check_parts(bytes: &[u8], limits: &Limits) -> Result<(), OverLimit> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // Not a zip: an .xls, or damage the reader reports.
    };
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        let (size, packed) = (part.size(), part.compressed_size().max(1));
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let at = |o: OverLimit| o.at(None, name.clone());
        limits.check(Limit::XlsxPartSize, size).map_err(at)?;
        if size > RATIO_FROM_BYTES {
            limits
                .check(Limit::XlsxPartRatio, size / packed)
                .map_err(at)?;
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

/// Opens a workbook's bytes as its extension says (as calamine's `open_workbook_auto` does with
/// a path), or as whichever format reads them when the name says none.
fn open<'b>(ext: &str, bytes: &'b [u8]) -> Result<Sheets<Cursor<&'b [u8]>>, calamine::Error> {
    let c = Cursor::new(bytes);
    Ok(match ext {
        "xls" | "xla" => Sheets::Xls(open_workbook_from_rs::<Xls<_>, _>(c)?),
        "xlsx" | "xlsm" | "xlam" => Sheets::Xlsx(open_workbook_from_rs::<Xlsx<_>, _>(c)?),
        "xlsb" => Sheets::Xlsb(open_workbook_from_rs::<Xlsb<_>, _>(c)?),
        "ods" => Sheets::Ods(open_workbook_from_rs::<Ods<_>, _>(c)?),
        _ => open_workbook_auto_from_rs(c)?,
    })
}

/// Reads every sheet of a workbook (its bytes, and the extension of its name), within `limits`.
/// The bytes are those of a file or of a zip entry: the workbook is never opened by a path.
pub fn read_workbook(ext: &str, bytes: &[u8], limits: &Limits) -> Result<Vec<Sheet>, Refusal> {
    check_parts(bytes, limits).map_err(|o| o.refusal())?;
    let unreadable = |error: String| Refusal::Workbook { error };
    let mut wb =
        open(ext, bytes).map_err(|e| unreadable(format!("not a readable workbook: {e}")))?;
    let names = wb.sheet_names().to_vec();
    let mut sheets = Vec::new();
    for name in names {
        let grid = SparseGrid::new(&name, limits);
        let read = match &mut wb {
            Sheets::Xlsx(x) => match x.worksheet_cells_reader(&name) {
                Ok(mut cells) => grid.read_cells(|| cells.next_cell()),
                Err(e) => Err(ReadError::Reader(e.to_string())),
            },
            Sheets::Xlsb(x) => match x.worksheet_cells_reader(&name) {
                Ok(mut cells) => grid.read_cells(|| cells.next_cell()),
                Err(e) => Err(ReadError::Reader(e.to_string())),
            },
            // .xls and .ods sheets were parsed whole when the workbook opened: their range is
            // looked at before a text grid is built from it.
            other => match other.worksheet_range(&name) {
                Ok(range) => grid.read_range(&range),
                Err(e) => Err(ReadError::Reader(e.to_string())),
            },
        };
        let (rows, first_row) = read.map_err(|e| match e {
            ReadError::Reader(e) => unreadable(format!("sheet \"{name}\" cannot be read: {e}")),
            ReadError::Over(o) => o.refusal(),
        })?;
        sheets.push(Sheet {
            name,
            rows,
            first_row,
        });
    }
    Ok(sheets)
}

/// Why a sheet was not read.
enum ReadError {
    /// The reader's message.
    Reader(String),
    Over(OverLimit),
}

impl From<OverLimit> for ReadError {
    fn from(o: OverLimit) -> Self {
        ReadError::Over(o)
    }
}

/// A sheet's cells with a value, gathered within the `cell-size` limit, then laid out as rows
/// (each up to its last cell) within the `sheet-cells` limit rather than calamine's dense range
/// over the bounding box.
struct SparseGrid<'a> {
    sheet: &'a str,
    limits: &'a Limits,
    cells: Vec<(u32, u32, String)>,
}

impl<'a> SparseGrid<'a> {
    fn new(sheet: &'a str, limits: &'a Limits) -> Self {
        SparseGrid {
            sheet,
            limits,
            cells: Vec::new(),
        }
    }

    /// Takes one cell, unless its text is over the `cell-size` limit.
    fn push(&mut self, row: u32, col: u32, text: String) -> Result<(), OverLimit> {
        if text.is_empty() {
            return Ok(());
        }
        self.limits
            .check(Limit::CellSize, text.len() as u64)
            .map_err(|o| o.at(Some(self.sheet), cell_name(row, col)))?;
        self.cells.push((row, col, text));
        Ok(())
    }

    /// The cells of a cells reader (.xlsx, .xlsb), one at a time.
    fn read_cells<'d, E: std::fmt::Display>(
        mut self,
        mut next: impl FnMut() -> Result<Option<Cell<DataRef<'d>>>, E>,
    ) -> Result<(Vec<Vec<String>>, u32), ReadError> {
        while let Some(cell) = next().map_err(|e| ReadError::Reader(e.to_string()))? {
            let (row, col) = cell.get_position();
            self.push(row, col, cell_text(&Data::from(cell.get_value().clone())))?;
        }
        Ok(self.lay_out()?)
    }

    /// The cells of a range calamine already holds (.xls, .ods), refused whole when the range
    /// itself spans more cells than the `sheet-cells` limit: calamine has built it by then, but
    /// no text grid is built from it.
    fn read_range(mut self, range: &Range<Data>) -> Result<(Vec<Vec<String>>, u32), ReadError> {
        let (height, width) = range.get_size();
        let spanned = (height as u64).saturating_mul(width as u64);
        if let (Some(start), Some(end)) = (range.start(), range.end()) {
            self.limits
                .check(Limit::SheetCells, spanned)
                .map_err(|o| o.at(Some(self.sheet), cells_name(start, end)))?;
        }
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            self.push(r0 + r as u32, c0 + c as u32, cell_text(v))?;
        }
        Ok(self.lay_out()?)
    }

    /// The rows from the first to the last with a cell, each as long as its last cell, and
    /// the 1-based Excel row of the first.
    fn lay_out(self) -> Result<(Vec<Vec<String>>, u32), OverLimit> {
        let mut cells = self.cells;
        cells.sort_unstable_by_key(|&(r, c, _)| (r, c));
        let Some(&(first_row, _, _)) = cells.first() else {
            return Ok((Vec::new(), 1));
        };
        let first_col = cells.iter().map(|&(_, c, _)| c).min().unwrap_or(0);
        let last_row = cells.last().map_or(first_row, |&(r, _, _)| r);
        // The grid as laid out: each row from the first to the last, as long as its last cell;
        // a row with no cell counts one, for the room it takes all the same.
        let mut laid_out = 0u64;
        let mut rows_with_cells = 0u64;
        let mut prev: Option<(u32, u32)> = None;
        for &(r, c, _) in &cells {
            if let Some((pr, pc)) = prev
                && pr != r
            {
                laid_out += u64::from(pc - first_col + 1);
                rows_with_cells += 1;
            }
            prev = Some((r, c));
        }
        if let Some((_, pc)) = prev {
            laid_out += u64::from(pc - first_col + 1);
            rows_with_cells += 1;
        }
        laid_out += u64::from(last_row - first_row + 1) - rows_with_cells;
        self.limits
            .check(Limit::SheetCells, laid_out)
            .map_err(|o| {
                let last_col = cells.iter().map(|&(_, c, _)| c).max().unwrap_or(0);
                let cells = cells_name((first_row, first_col), (last_row, last_col));
                o.at(Some(self.sheet), cells)
            })?;
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
}

/// `A1:C2` notation of the cells between two 0-based positions.
fn cells_name(from: (u32, u32), to: (u32, u32)) -> String {
    format!("{}:{}", cell_name(from.0, from.1), cell_name(to.0, to.1))
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
