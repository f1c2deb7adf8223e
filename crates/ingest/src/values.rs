//! Cell values as exports write them: localised booleans, csvde binary GUIDs and SIDs,
//! multi-valued cells, and the type names PowerShell writes when it loses a collection.

/// Why a cell's value could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadValue {
    pub expected: &'static str,
}

/// `v.trim()`, told from the two end bytes when neither can be (or start, or end) whitespace:
/// nearly every cell, of the tens of millions a large export has.
#[inline]
pub fn trim(v: &str) -> &str {
    // Every whitespace character is either ASCII at or below a space or not ASCII at all.
    let plain = |b: &u8| (b'!'..=b'~').contains(b);
    let b = v.as_bytes();
    if b.first().is_some_and(plain) && b.last().is_some_and(plain) {
        v
    } else {
        v.trim()
    }
}

/// The type name `Export-Csv` writes for a collection it could not flatten: the data is lost.
#[inline]
pub fn is_lost_collection(v: &str) -> bool {
    // Every marker starts with `Microsoft.` or `System.`: most cells are out after two bytes
    // (a SID, `S-1-…`, after its second), inline, where every cell of every row comes through.
    matches!(
        v.as_bytes(),
        [b'M', b'i', ..] | [b'S', b'y', ..] | [b' ', ..]
    ) && names_lost_collection(v)
}

#[cold]
fn names_lost_collection(v: &str) -> bool {
    let v = trim(v);
    v == "Microsoft.ActiveDirectory.Management.ADPropertyValueCollection"
        || v == "Microsoft.Rtc.Management.ADConnect.Schema.ADPropertyValueCollection"
        || v.starts_with("System.Collections.")
        || (v.starts_with("System.") && v.ends_with("[]"))
}

/// `True`/`False` in the spellings exports and localised Excel re-saves use.
pub fn parse_bool(v: &str) -> Result<bool, BadValue> {
    const TRUE: &[&str] = &[
        "true",
        "yes",
        "1",
        "-1",
        "vrai",
        "wahr",
        "igaz",
        "verdadero",
        "oui",
        "ja",
        "si",
        "sí",
        "waar",
        "vero",
        "sim",
        "y",
        "x",
    ];
    const FALSE: &[&str] = &[
        "false", "no", "0", "faux", "falsch", "hamis", "falso", "non", "nein", "onwaar", "nao",
        "não", "n",
    ];
    match v {
        "True" | "TRUE" | "true" => return Ok(true),
        "False" | "FALSE" | "false" => return Ok(false),
        _ => {}
    }
    let t = trim(v);
    if TRUE.iter().any(|s| s.eq_ignore_ascii_case(t)) || t == "SÍ" {
        Ok(true)
    } else if FALSE.iter().any(|s| s.eq_ignore_ascii_case(t)) || t == "NÃO" {
        Ok(false)
    } else {
        Err(BadValue {
            expected: "a boolean (True/False, TRUE/FALSE, 1/0, Yes/No, VRAI/FAUX, WAHR/FALSCH, …)",
        })
    }
}

/// An integer: decimal, `0x` hex, or a float with no fraction (Excel stores numbers as floats).
pub fn parse_int(v: &str) -> Result<i64, BadValue> {
    let t = trim(v);
    let bad = BadValue {
        expected: "an integer",
    };
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return i64::from_str_radix(h, 16)
            .or_else(|_| u64::from_str_radix(h, 16).map(|u| u as i64))
            .map_err(|_| bad);
    }
    if let Ok(i) = t.parse::<i64>() {
        return Ok(i);
    }
    if is_scientific(t) {
        return Err(BadValue {
            expected: "an integer with all its digits (Excel saved it in scientific notation, \
                       which loses digits: export again without opening the file in Excel)",
        });
    }
    let f: f64 = t.replace(',', ".").parse().map_err(|_| bad.clone())?;
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Ok(f as i64)
    } else {
        Err(bad)
    }
}

/// A number as Excel shows a long one, `5,49756E+11`, and saves it so: the digits are gone.
/// (Only a number so written: "five hundred" has an `e` too.)
fn is_scientific(t: &str) -> bool {
    t.contains(['E', 'e']) && t.replace(',', ".").parse::<f64>().is_ok()
}

/// A point in time as an export writes it: a FILETIME integer (`pwdLastSet`,
/// `lastLogonTimestamp`: 100 ns ticks since 1601, 0 and `i64::MAX` meaning never) or any other
/// whole number (Unix seconds), LDAP generalized time (csvde: `20240131120000.0Z`), a date and
/// time in the exporting machine's locale (`31.01.2024 12:00:00`, `1/31/2024 12:00:00 PM`,
/// `2024-01-31T12:00:00`, `2024. 01. 31. 오후 12:00:00`), or an Excel serial date (a workbook
/// cell). The text is stored as written, since its day and month order depends on the locale;
/// this only tells a time from damage.
pub fn check_timestamp(v: &str) -> Result<(), BadValue> {
    let t = trim(v);
    let b = t.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let ok = if digits == b.len() {
        t.parse::<i64>().is_ok()
    } else if digits == 14 && matches!(b[14], b'.' | b',' | b'Z' | b'+' | b'-') {
        generalized_time(b)
    } else if is_scientific(t) {
        return Err(BadValue {
            expected: "a date and time with all its digits (Excel saved it in scientific \
                       notation, which loses digits: export again without opening the file in \
                       Excel)",
        });
    } else {
        excel_serial(t) || locale_date_time(t)
    };
    if ok {
        Ok(())
    } else {
        Err(BadValue {
            expected: "a date and time: a FILETIME integer (0 or 9223372036854775807 for never), \
                       generalized time (20240131120000.0Z), the export's locale format \
                       (31.01.2024 12:00:00, 1/31/2024 12:00:00 PM, 2024-01-31T12:00:00) or an \
                       Excel serial date",
        })
    }
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn valid_date(y: u32, m: u32, d: u32) -> bool {
    (1..=9999).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

fn valid_time(h: u32, mi: u32, s: u32) -> bool {
    h <= 23 && mi <= 59 && s <= 59
}

/// `YYYYMMDDHHMMSS`, then a fraction, then `Z` or an offset `±HHMM`.
fn generalized_time(b: &[u8]) -> bool {
    let n = |i: usize, len: usize| {
        b[i..i + len]
            .iter()
            .fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'))
    };
    if !valid_date(n(0, 4), n(4, 2), n(6, 2)) || !valid_time(n(8, 2), n(10, 2), n(12, 2)) {
        return false;
    }
    let mut rest = &b[14..];
    if let [b'.' | b',', tail @ ..] = rest {
        let f = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if f == 0 {
            return false;
        }
        rest = &tail[f..];
    }
    match rest {
        [] | [b'Z'] => true,
        [b'+' | b'-', hh @ .., m1, m2] if hh.len() == 2 => {
            [hh[0], hh[1], *m1, *m2].iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

/// A number with a fraction no larger than Excel's last day (31 December 9999): an unformatted
/// date cell.
fn excel_serial(t: &str) -> bool {
    let Some((whole, frac)) = t.split_once(['.', ',']) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    digits(whole) && digits(frac) && whole.parse::<u32>().is_ok_and(|d| d <= 2_958_465)
}

/// A date (day, month and year in any order a locale writes them, separated by `/`, `.` or
/// `-`, with an optional space after each), then optionally a time (`H:MM`, `H:MM:SS`, with a
/// fraction; `.` between them in some locales), with the AM/PM designators of any language
/// before or after it, and `Z` or an offset.
fn locale_date_time(t: &str) -> bool {
    let mut c = Cursor { t, i: 0 };
    let Some((n1, l1)) = c.number() else {
        return false;
    };
    let Some(sep) = c.byte().filter(|s| matches!(s, b'/' | b'.' | b'-')) else {
        return false;
    };
    c.i += 1;
    c.spaces(1);
    let Some((n2, l2)) = c.number() else {
        return false;
    };
    if c.byte() != Some(sep) {
        return false;
    }
    c.i += 1;
    c.spaces(1);
    let Some((n3, l3)) = c.number() else {
        return false;
    };
    // Hungarian and Korean dates end with a dot too: `2024. 01. 31.`.
    if sep == b'.' && c.byte() == Some(b'.') {
        c.i += 1;
    }
    let short = |l: usize| (1..=2).contains(&l);
    let date = if l1 == 4 {
        short(l2) && short(l3) && valid_date(n1, n2, n3)
    } else if short(l1) && short(l2) && (l3 == 4 || l3 == 2) {
        let y = if l3 == 2 { 2000 + n3 } else { n3 };
        valid_date(y, n2, n1) || valid_date(y, n1, n2)
    } else {
        false
    };
    if !date {
        return false;
    }
    if c.done() {
        return true;
    }
    if c.byte() == Some(b'T') {
        c.i += 1;
    } else if c.spaces(usize::MAX) == 0 {
        return false;
    }
    // A designator before the time (`오후 12:00:00`, `下午 12:00:00`).
    if c.designator() {
        c.spaces(usize::MAX);
    }
    let Some((h, lh)) = c.number() else {
        return false;
    };
    let Some(tsep) = c.byte().filter(|s| matches!(s, b':' | b'.')) else {
        return false;
    };
    c.i += 1;
    let Some((mi, 2)) = c.number() else {
        return false;
    };
    let mut s = 0;
    if c.byte() == Some(tsep) {
        c.i += 1;
        let Some((sec, 2)) = c.number() else {
            return false;
        };
        s = sec;
        if matches!(c.byte(), Some(b'.' | b',')) {
            c.i += 1;
            if c.number().is_none() {
                return false;
            }
        }
    }
    if lh > 2 || !valid_time(h, mi, s) {
        return false;
    }
    c.spaces(usize::MAX);
    if c.designator() {
        c.spaces(usize::MAX);
    }
    match c.byte() {
        Some(b'Z') => c.i += 1,
        Some(b'+' | b'-') => {
            c.i += 1;
            let Some((oh, 2)) = c.number() else {
                return false;
            };
            if c.byte() == Some(b':') {
                c.i += 1;
            }
            if oh > 14 || !matches!(c.number(), Some((0..=59, 2)) | None) {
                return false;
            }
        }
        _ => {}
    }
    c.spaces(usize::MAX);
    c.done()
}

/// A position in a value being read by [`locale_date_time`].
struct Cursor<'a> {
    t: &'a str,
    i: usize,
}

impl Cursor<'_> {
    fn byte(&self) -> Option<u8> {
        self.t.as_bytes().get(self.i).copied()
    }
    fn done(&self) -> bool {
        self.i >= self.t.len()
    }
    /// Up to nine digits: the value and how many digits.
    fn number(&mut self) -> Option<(u32, usize)> {
        let b = &self.t.as_bytes()[self.i..];
        let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return None;
        }
        let v = b[..n]
            .iter()
            .fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'));
        self.i += n;
        Some((v, n))
    }
    /// Skips up to `max` spaces (a no-break space too: some locales put one before AM/PM).
    fn spaces(&mut self, max: usize) -> usize {
        let mut n = 0;
        while n < max {
            let Some(ch) = self.t[self.i..]
                .chars()
                .next()
                .filter(|c| c.is_whitespace())
            else {
                break;
            };
            self.i += ch.len_utf8();
            n += 1;
        }
        n
    }
    /// Skips an AM/PM designator in any language (`PM`, `p.m.`, `nachm.`, `午後`); not `Z` alone,
    /// which is UTC.
    fn designator(&mut self) -> bool {
        let rest = &self.t[self.i..];
        let len: usize = rest
            .chars()
            .take_while(|c| c.is_alphabetic() || *c == '.')
            .map(char::len_utf8)
            .sum();
        if len == 0 || &rest[..len] == "Z" {
            return false;
        }
        self.i += len;
        true
    }
}

fn hex_bytes(h: &str) -> Option<Vec<u8>> {
    let h = trim(h);
    if !h.len().is_multiple_of(2) || !h.is_ascii() {
        return None;
    }
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).ok())
        .collect()
}

/// The bytes of a csvde binary value `X'…'`.
fn csvde_binary(v: &str) -> Option<Vec<u8>> {
    let inner = trim(v).strip_prefix("X'")?.strip_suffix('\'')?;
    hex_bytes(inner)
}

fn base64(v: &str) -> Option<Vec<u8>> {
    const ALPHA: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let v = trim(v).trim_end_matches('=');
    let mut out = Vec::with_capacity(v.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in v.bytes() {
        let d = ALPHA.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | d;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

fn guid_from_bytes(b: &[u8]) -> Option<String> {
    if b.len() != 16 {
        return None;
    }
    Some(format!(
        "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
        b[3],
        b[2],
        b[1],
        b[0],
        b[5],
        b[4],
        b[7],
        b[6],
        b[8],
        b[9],
        b[10],
        b[11],
        b[12],
        b[13],
        b[14],
        b[15]
    ))
}

/// A GUID as text (`{…}` or bare), csvde `X'…'` (bytes little-endian in the first three groups) or
/// base64, normalised to lowercase `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
pub fn normalize_guid(v: &str) -> Result<String, BadValue> {
    let mut s = String::with_capacity(36);
    normalize_guid_into(v, &mut s)?;
    Ok(s)
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in lowercase hex: the form GUIDs are stored in.
fn is_canonical_guid(b: &[u8]) -> bool {
    // The digits of a GUID are random: a test of digit-or-letter branches on each and
    // mispredicts half the time, a table lookup does not.
    const LOWER_HEX: [bool; 256] = {
        let mut t = [false; 256];
        let mut c = 0;
        while c < 256 {
            t[c] = matches!(c as u8, b'0'..=b'9' | b'a'..=b'f');
            c += 1;
        }
        t
    };
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => LOWER_HEX[c as usize],
        })
}

/// [`normalize_guid`] appending to `out`, allocation-free for text GUIDs.
pub fn normalize_guid_into(v: &str, out: &mut String) -> Result<(), BadValue> {
    let bad = BadValue {
        expected: "a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, X'…' or base64)",
    };
    let t = trim(v);
    // The usual spelling (PowerShell's, and the one stored) passes through as it is: a million
    // of them go through here.
    if is_canonical_guid(t.as_bytes()) {
        out.push_str(t);
        return Ok(());
    }
    if let Some(b) = csvde_binary(t) {
        out.push_str(&guid_from_bytes(&b).ok_or(bad)?);
        return Ok(());
    }
    let bare = t.trim_start_matches('{').trim_end_matches('}');
    // One pass: up to 32 hex digits, dashes anywhere.
    let mut digits = [0u8; 32];
    let mut n = 0;
    let mut ok = true;
    for c in bare.bytes() {
        if c == b'-' {
            continue;
        }
        if !c.is_ascii_hexdigit() || n == 32 {
            ok = false;
            break;
        }
        digits[n] = c.to_ascii_lowercase();
        n += 1;
    }
    if ok && n == 32 {
        let mut canonical = [b'-'; 36];
        let mut at = 0;
        for (i, &c) in digits.iter().enumerate() {
            if matches!(i, 8 | 12 | 16 | 20) {
                at += 1;
            }
            canonical[at] = c;
            at += 1;
        }
        out.push_str(std::str::from_utf8(&canonical).map_err(|_| bad)?);
        return Ok(());
    }
    if t.len() == 24
        && let Some(g) = base64(t).and_then(|b| guid_from_bytes(&b))
    {
        out.push_str(&g);
        return Ok(());
    }
    Err(bad)
}

fn sid_from_bytes(b: &[u8]) -> Option<String> {
    let (&rev, rest) = b.split_first()?;
    let (&count, rest) = rest.split_first()?;
    if rest.len() != 6 + 4 * count as usize {
        return None;
    }
    let auth = rest[..6].iter().fold(0u64, |a, &x| (a << 8) | x as u64);
    let mut s = format!("S-{rev}-{auth}");
    for c in rest[6..].chunks_exact(4) {
        s.push_str(&format!(
            "-{}",
            u32::from_le_bytes([c[0], c[1], c[2], c[3]])
        ));
    }
    Some(s)
}

/// A SID as `S-1-…` text or csvde binary `X'…'`, normalised to `S-1-…`.
pub fn normalize_sid(v: &str) -> Result<String, BadValue> {
    let mut s = String::with_capacity(48);
    normalize_sid_into(v, &mut s)?;
    Ok(s)
}

/// [`normalize_sid`] appending to `out`, allocation-free for text SIDs.
pub fn normalize_sid_into(v: &str, out: &mut String) -> Result<(), BadValue> {
    let bad = BadValue {
        expected: "a SID (S-1-5-21-…, or X'…' binary)",
    };
    let t = trim(v);
    if let Some(b) = csvde_binary(t) {
        out.push_str(&sid_from_bytes(&b).ok_or(bad)?);
        return Ok(());
    }
    // `S-` then at least two dash-separated runs of digits, in one pass.
    let b = t.as_bytes();
    let mut valid = b.len() >= 5 && b[0].eq_ignore_ascii_case(&b'S') && b[1] == b'-';
    let (mut parts, mut run) = (0, 0);
    if valid {
        for &c in &b[2..] {
            match c {
                b'0'..=b'9' => run += 1,
                b'-' if run > 0 => {
                    parts += 1;
                    run = 0;
                }
                _ => {
                    valid = false;
                    break;
                }
            }
        }
        valid &= run > 0 && parts >= 1;
    }
    if !valid {
        return Err(bad);
    }
    out.push('S');
    out.push_str(&t[1..]);
    Ok(())
}

/// The separator a writer joins the values of a multi-valued cell with (the collection kit's
/// script does): [`split_multi`] splits on it, and neither a DN (which escapes it) nor an
/// address holds it.
pub const MULTI_VALUE_SEPARATOR: char = ';';

/// Splits a multi-valued cell: newlines, unescaped `;` and `|`, or a `{a, b}` list. DN lists never
/// split on `,` (every DN has commas); a `{…}` DN list splits only where a new `CN=` starts.
pub fn split_multi(v: &str, dn_list: bool) -> Vec<&str> {
    values_of(v, dn_list).collect()
}

/// Calls `f` with each value of a multi-valued cell (see [`split_multi`]).
pub fn for_each_value<'a>(v: &'a str, dn_list: bool, f: impl FnMut(&'a str)) {
    values_of(v, dn_list).for_each(f)
}

/// The values of a multi-valued cell (see [`split_multi`]), trimmed, empty ones left out. The
/// common cell, values joined by `;` or `|` with nothing escaped, is split as it is read,
/// without allocating: a million users' `memberOf` cells come through here.
pub fn values_of(v: &str, dn_list: bool) -> MultiValues<'_> {
    let t = trim(v);
    let braced = t.len() >= 2 && t.starts_with('{') && t.ends_with('}');
    let split = if !braced && memchr::memchr3(b'\\', b'\n', b'\r', t.as_bytes()).is_none() {
        Split::Plain(Some(t))
    } else {
        Split::Listed(split_rare(t, braced, dn_list).into_iter())
    };
    MultiValues(split)
}

/// An iterator over the values of a multi-valued cell, from [`values_of`].
pub struct MultiValues<'a>(Split<'a>);

enum Split<'a> {
    /// What is left of a cell with no escape and no line end, if anything.
    Plain(Option<&'a str>),
    /// The values of any other cell, split up front.
    Listed(std::vec::IntoIter<&'a str>),
}

impl<'a> Iterator for MultiValues<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        match &mut self.0 {
            Split::Plain(rest) => loop {
                let r = (*rest)?;
                let (x, tail) = match memchr::memchr2(b';', b'|', r.as_bytes()) {
                    Some(i) => (&r[..i], Some(&r[i + 1..])),
                    None => (r, None),
                };
                *rest = tail;
                let x = trim(x);
                if !x.is_empty() {
                    return Some(x);
                }
            },
            Split::Listed(values) => values.next(),
        }
    }
}

/// The values of a trimmed cell that is a `{…}` list or holds an escape or a line end.
fn split_rare<'a>(t: &'a str, braced: bool, dn_list: bool) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut emit = |x: &'a str| {
        let x = trim(x);
        if !x.is_empty() {
            out.push(x)
        }
    };
    if braced {
        let inner = &t[1..t.len() - 1];
        if dn_list {
            split_before_cn(inner).into_iter().for_each(&mut emit);
        } else {
            inner.split(", ").for_each(&mut emit);
        }
        return out;
    }
    for line in t.split(['\n', '\r']) {
        let b = line.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                b';' | b'|' => {
                    emit(&line[start..i]);
                    i += 1;
                    start = i;
                }
                _ => i += 1,
            }
        }
        emit(&line[start.min(line.len())..]);
    }
    out
}

fn split_before_cn(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let lower = s.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower[from..].find(", cn=") {
        let at = from + p;
        out.push(&s[start..at]);
        start = at + 2;
        from = start;
    }
    out.push(&s[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn timestamps_in_every_form_exports_write() {
        for good in [
            "0",
            "9223372036854775807",
            "132489216000000000",
            "1617235200",
            "20240131120000.0Z",
            "20240131120000Z",
            "20240229120000.0+0100",
            "99991231235959.0Z",
            "31.01.2024 12:00:00",
            "31.01.2024 12.00.00",
            "1/31/2024 12:00:00 PM",
            "2/08/2018 4:24:06 PM",
            "28/08/2018 22:34",
            "2024-01-31T12:00:00",
            "2024-01-31T12:00:00.1234567+01:00",
            "2024-01-31",
            "2024/1/31 下午 12:00:00",
            "2024. 01. 31. 오후 12:00:00",
            "31-01-2024 12:00:00",
            "31.01.24 12:00",
            "1/1/0001 12:00:00 AM",
            "31/01/2024 12:00:00 p.m.",
            "43340.9407",
            "2018-08-28 22:34:36",
            " 1/31/2024 12:00:00 PM ",
        ] {
            assert_eq!(check_timestamp(good), Ok(()), "{good}");
        }
        for bad in [
            "abc",
            "25:61:99",
            "12:00:00",
            "-5",
            "99999999999999999999",
            "31/02/2018 10:00:00",
            "2/29/2023 1:00:00 PM",
            "00000000000000.0Z",
            "20181316172113.0Z",
            "0/0/0000",
            "1/31/2024 25:00:00",
            "1/31/2024 12:60",
            "2024-13-01",
            "1/31/2024 12:00:00 PM 7",
            "2024-01-31 12:00:00+99:00",
            "3000000.5",
        ] {
            assert!(check_timestamp(bad).is_err(), "{bad}");
        }
        assert!(
            check_timestamp("1,31E+17")
                .unwrap_err()
                .expected
                .contains("scientific notation")
        );
    }

    proptest! {
        #[test]
        fn trim_is_std_trim(s in "[ \t\r\n\u{0b}\u{0c}\u{7f}\u{a0}\u{85}\u{2003}\u{3000}a-zA-Z0-9=,;é~!]{0,12}") {
            prop_assert_eq!(trim(&s), s.trim());
        }
    }

    #[test]
    fn booleans_in_every_locale() {
        for t in [
            "True",
            "TRUE",
            "1",
            "Yes",
            "VRAI",
            "WAHR",
            "IGAZ",
            "VERDADERO",
        ] {
            assert_eq!(parse_bool(t), Ok(true), "{t}");
        }
        for f in [
            "False", "FALSE", "0", "No", "FAUX", "FALSCH", "HAMIS", "FALSO",
        ] {
            assert_eq!(parse_bool(f), Ok(false), "{f}");
        }
        assert!(parse_bool("maybe").is_err());
    }

    #[test]
    fn integers() {
        assert_eq!(parse_int("513"), Ok(513));
        assert_eq!(parse_int("513.0"), Ok(513));
        assert_eq!(parse_int("-2147483646"), Ok(-2147483646));
        assert_eq!(parse_int("0x800000"), Ok(0x800000));
        assert!(parse_int("12a").is_err());
        let sci = parse_int("5,49756E+11").unwrap_err().expected;
        assert!(sci.contains("scientific notation"), "{sci}");
        assert_eq!(
            parse_int("five hundred").unwrap_err().expected,
            "an integer"
        );
    }

    #[test]
    fn csvde_guid_and_sid() {
        // objectGUID d697dfab-8b02-487b-be92-5f077e096f00 as csvde writes it.
        assert_eq!(
            normalize_guid("X'abdf97d6028b7b48be925f077e096f00'").unwrap(),
            "d697dfab-8b02-487b-be92-5f077e096f00"
        );
        assert_eq!(
            normalize_guid("{D697DFAB-8B02-487B-BE92-5F077E096F00}").unwrap(),
            "d697dfab-8b02-487b-be92-5f077e096f00"
        );
        // S-1-5-21-1-2-3-500
        let sid = "X'010500000000000515000000010000000200000003000000f4010000'";
        assert_eq!(normalize_sid(sid).unwrap(), "S-1-5-21-1-2-3-500");
        assert_eq!(normalize_sid("s-1-5-32-544").unwrap(), "S-1-5-32-544");
        assert!(normalize_sid("Administrator").is_err());
        assert!(normalize_guid("not-a-guid").is_err());
    }

    #[test]
    fn guids_in_the_stored_form_pass_through_and_others_are_rewritten() {
        let stored = "d697dfab-8b02-487b-be92-5f077e096f00";
        for spelling in [
            stored,
            " d697dfab-8b02-487b-be92-5f077e096f00 ",
            "D697DFAB-8B02-487B-BE92-5F077E096F00",
            "d697dfab8b02487bbe925f077e096f00",
        ] {
            assert_eq!(normalize_guid(spelling).unwrap(), stored, "{spelling}");
        }
        // Hex digits only, and the dashes where a GUID has them.
        assert!(normalize_guid("d697dfab-8b02-487b-be92-5f077e096f0g").is_err());
        assert!(normalize_guid("d697dfab-8b02-487b-be92-5f077e096f0").is_err());
    }

    #[test]
    fn multi_values_never_split_dns_on_commas() {
        assert_eq!(
            split_multi("CN=a,OU=x,DC=c;CN=b\\;c,DC=c", true),
            vec!["CN=a,OU=x,DC=c", "CN=b\\;c,DC=c"]
        );
        assert_eq!(
            split_multi("SMTP:a@x|smtp:b@x", false),
            vec!["SMTP:a@x", "smtp:b@x"]
        );
        assert_eq!(split_multi("a\r\nb", false), vec!["a", "b"]);
        assert_eq!(
            split_multi("{CN=a,DC=c, CN=b,DC=c}", true),
            vec!["CN=a,DC=c", "CN=b,DC=c"]
        );
        assert_eq!(split_multi("{x, y}", false), vec!["x", "y"]);
        assert!(is_lost_collection(
            "Microsoft.ActiveDirectory.Management.ADPropertyValueCollection"
        ));
        assert!(is_lost_collection("System.String[]"));
        assert!(is_lost_collection(" System.Collections.ArrayList "));
        assert!(is_lost_collection(
            "Microsoft.Rtc.Management.ADConnect.Schema.ADPropertyValueCollection"
        ));
        for not_lost in ["S-1-5-21-1-2-3-500", "Smith", "Miller", "M", "System", "Sy"] {
            assert!(!is_lost_collection(not_lost), "{not_lost}");
        }
    }
}
