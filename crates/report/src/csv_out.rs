//! CSV worklists a customer opens in Excel: UTF-8 with a BOM (so Excel reads it as UTF-8), and
//! every cell neutralised so directory data can never run as a formula.

use std::borrow::Cow;
use std::io::Write;

/// A cell that begins with `=`, `+`, `-`, `@`, TAB or CR is prefixed with `'`, which Excel shows
/// as text instead of evaluating it.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if starts_a_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn starts_a_formula(cell: &str) -> bool {
    matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Writes rows as CSV (UTF-8 with BOM, CRLF, neutralised cells, `delimiter` between cells) into
/// a byte buffer.
pub fn to_bytes<'a, H, R, C>(delimiter: u8, header: &[H], rows: R) -> Vec<u8>
where
    H: AsRef<[u8]>,
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = Cow<'a, str>>,
{
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_rows(&mut out, delimiter, header, rows);
    out
}

/// Like [`to_bytes`], streamed to `w`: a million users' worklist is never held whole.
pub fn write_rows<'a, H, R, C>(
    w: &mut dyn Write,
    delimiter: u8,
    header: &[H],
    rows: R,
) -> std::io::Result<()>
where
    H: AsRef<[u8]>,
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = Cow<'a, str>>,
{
    w.write_all(&[0xEF, 0xBB, 0xBF])?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    w.write_record(header)?;
    let mut cells: Vec<Cow<'a, str>> = Vec::new();
    for row in rows {
        cells.clear();
        cells.extend(row.into_iter().map(|c| {
            if starts_a_formula(&c) {
                Cow::Owned(format!("'{c}"))
            } else {
                c
            }
        }));
        w.write_record(cells.iter().map(|c| c.as_bytes()))?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("alice@contoso.com"), "alice@contoso.com");
        let b = to_bytes(b',', &["a"], [vec![Cow::Borrowed("+1")]]);
        assert_eq!(b, b"\xEF\xBB\xBFa\r\n'+1\r\n");
        let b = to_bytes(
            b';',
            &["a", "b"],
            [vec![Cow::Borrowed("x;y"), Cow::Borrowed("z")]],
        );
        assert_eq!(b, b"\xEF\xBB\xBFa;b\r\n\"x;y\";z\r\n");
    }
}
