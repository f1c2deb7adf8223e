//! The shape of a CSV file before parsing it: a leading `#TYPE` line, the header line, the
//! delimiter.

/// What precedes the data of a CSV file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preamble {
    /// The type named by a `#TYPE` line (`Microsoft.ActiveDirectory.Management.ADUser`).
    pub type_hint: Option<String>,
    /// Byte offset of the header line.
    pub header_offset: usize,
    /// 1-based line number of the header line.
    pub header_line: u64,
    pub delimiter: u8,
}

/// Reads the leading `#` lines (as `Import-Csv` skips them, including a `#TYPE` line that an Excel
/// re-save turned into `"#TYPE …";;;`) and Excel's `sep=;` first line, which names the
/// delimiter, then sniffs the delimiter on the header line unless `sep=` named it. A file of
/// nothing but such lines has an empty header line, and is refused as having none.
pub fn preamble(text: &[u8]) -> Preamble {
    let mut offset = 0;
    let mut line = 1u64;
    let mut type_hint = None;
    let mut named = None;
    loop {
        let rest = &text[offset..];
        if rest.is_empty() {
            break;
        }
        let end = memchr::memchr(b'\n', rest).map_or(rest.len(), |e| e + 1);
        let l = &rest[..end];
        let trimmed: &[u8] = l.strip_prefix(b"\"").unwrap_or(l);
        if line == 1
            && let Some(d) = sep_line(l)
        {
            named = Some(d);
        } else if trimmed.starts_with(b"#") {
            if let Some(t) = trimmed.strip_prefix(b"#TYPE ") {
                let t = String::from_utf8_lossy(t);
                let t = t.trim_end_matches(['\r', '\n', ',', ';', '\t', '"', ' ']);
                type_hint = Some(t.to_string());
            }
        } else {
            break;
        }
        offset += end;
        line += 1;
    }
    let header_end = memchr::memchr(b'\n', &text[offset..]).map_or(text.len(), |e| offset + e);
    let delimiter = named.unwrap_or_else(|| sniff_delimiter(&text[offset..header_end]));
    Preamble {
        type_hint,
        header_offset: offset,
        header_line: line,
        delimiter,
    }
}

/// The delimiter Excel's `sep=X` line names (`sep=;`, `"sep=,"`), when `line` is one.
fn sep_line(line: &[u8]) -> Option<u8> {
    let l = line.strip_suffix(b"\n").unwrap_or(line);
    let l = l.strip_suffix(b"\r").unwrap_or(l);
    let l = l
        .strip_prefix(b"\"")
        .and_then(|l| l.strip_suffix(b"\""))
        .unwrap_or(l);
    match l {
        [s, e, p, b'=', d] if [s, e, p].map(u8::to_ascii_lowercase) == *b"sep" => {
            [b',', b';', b'\t'].contains(d).then_some(*d)
        }
        _ => None,
    }
}

/// The most frequent of `,` `;` TAB outside quotes; `,` when none occurs.
pub fn sniff_delimiter(line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for &b in line {
        match b {
            b'"' => in_quotes = !in_quotes,
            b',' if !in_quotes => counts[0] += 1,
            b';' if !in_quotes => counts[1] += 1,
            b'\t' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let (i, &n) = counts
        .iter()
        .enumerate()
        .max_by_key(|&(i, &c)| (c, std::cmp::Reverse(i)))
        .unwrap_or((0, &0));
    if n == 0 { b',' } else { [b',', b';', b'\t'][i] }
}

pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => ",",
        b';' => ";",
        b'\t' => "TAB",
        _ => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_line_and_delimiters() {
        let p = preamble(b"#TYPE Microsoft.ActiveDirectory.Management.ADUser\r\n\"A\",\"B;C\"\r\n");
        assert_eq!(
            p.type_hint.as_deref(),
            Some("Microsoft.ActiveDirectory.Management.ADUser")
        );
        assert_eq!((p.header_line, p.delimiter), (2, b','));
        let p =
            preamble(b"\"#TYPE Microsoft.ActiveDirectory.Management.ADUser\";;;\r\nA;B;C;D\r\n");
        assert_eq!(p.header_line, 2);
        assert_eq!(p.delimiter, b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"Name"), b',');
    }

    #[test]
    fn excel_sep_line_names_the_delimiter() {
        let p = preamble(b"sep=;\r\nA,B;C\r\n1,2;3\r\n");
        assert_eq!((p.header_offset, p.header_line, p.delimiter), (7, 2, b';'));
        let p = preamble(b"\"sep=\t\"\nA,B\tC\n");
        assert_eq!((p.header_line, p.delimiter), (2, b'\t'));
        // Only as the first line, and only a delimiter we read.
        assert_eq!(preamble(b"A,B\nsep=;\n").delimiter, b',');
        assert_eq!(preamble(b"sep=x\nA,B\n").header_line, 1);
    }

    #[test]
    fn a_file_of_type_lines_only_has_an_empty_header_line() {
        let text = b"#TYPE Microsoft.ActiveDirectory.Management.ADUser\r\n";
        let p = preamble(text);
        assert_eq!(p.header_offset, text.len());
        assert!(p.type_hint.is_some());
    }
}
