//! Value renderings shared by the writers: dates in each producer's culture, FILETIME,
//! GUID and SID in text and binary form, RFC 4514 escaping.

use std::fmt::Write as _;

/// Unix seconds at 2012-01-01T00:00:00Z: the earliest creation date in the model.
pub(crate) const BASE_TIME: i64 = 1_325_376_000;
/// The moment every export pretends to have been taken (2025-06-30T14:00:00Z). Fixed, so that
/// the output never depends on the clock of the machine running the generator.
pub(crate) const EXPORT_TIME: i64 = 1_751_292_000;
/// Seconds between 1601-01-01 and 1970-01-01.
const FILETIME_EPOCH: i64 = 11_644_473_600;
/// `accountExpires` value meaning "never".
pub(crate) const NEVER_EXPIRES: u64 = 9_223_372_036_854_775_807;

/// (year, month, day) of a day number counted from 1970-01-01 (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub(crate) struct Parts {
    pub y: i64,
    pub mo: u32,
    pub d: u32,
    pub h: u32,
    pub mi: u32,
    pub s: u32,
}

pub(crate) fn parts(t: i64) -> Parts {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    Parts {
        y,
        mo,
        d,
        h: (secs / 3600) as u32,
        mi: ((secs / 60) % 60) as u32,
        s: (secs % 60) as u32,
    }
}

fn h12(h: u32) -> (u32, &'static str) {
    let ampm = if h < 12 { "AM" } else { "PM" };
    let h = match h % 12 {
        0 => 12,
        x => x,
    };
    (h, ampm)
}

/// en-US general date, as `DateTime.ToString()` prints it on a US host: `3/14/2019 9:12:44 AM`.
pub(crate) fn date_us(t: i64, out: &mut String) {
    let p = parts(t);
    let (h, ampm) = h12(p.h);
    let _ = write!(
        out,
        "{}/{}/{} {}:{:02}:{:02} {}",
        p.mo, p.d, p.y, h, p.mi, p.s, ampm
    );
}

/// en-AU general date, as in the ADRecon 2018 sample: `2/08/2018 4:24:06 PM`.
pub(crate) fn date_au(t: i64, out: &mut String) {
    let p = parts(t);
    let (h, ampm) = h12(p.h);
    let _ = write!(
        out,
        "{}/{:02}/{} {}:{:02}:{:02} {}",
        p.d, p.mo, p.y, h, p.mi, p.s, ampm
    );
}

/// What French Excel writes back for a date cell in "CSV (séparateur: point-virgule)": no seconds.
pub(crate) fn date_fr_excel(t: i64, out: &mut String) {
    let p = parts(t);
    let _ = write!(out, "{:02}/{:02}/{} {:02}:{:02}", p.d, p.mo, p.y, p.h, p.mi);
}

/// LDAP generalized time as csvde prints `whenCreated`: `20190314091244.0Z`.
pub(crate) fn date_generalized(t: i64, out: &mut String) {
    let p = parts(t);
    let _ = write!(
        out,
        "{}{:02}{:02}{:02}{:02}{:02}.0Z",
        p.y, p.mo, p.d, p.h, p.mi, p.s
    );
}

/// FILETIME (100 ns ticks since 1601) with a sub-second part so the values look real.
pub(crate) fn filetime(t: i64, ticks: u64) -> u64 {
    ((t + FILETIME_EPOCH).max(0) as u64) * 10_000_000 + ticks % 10_000_000
}

/// Excel's "General" rendering of a number too long for the column, in French: `1,32E+17`.
pub(crate) fn sci_fr(v: u64, out: &mut String) {
    if v < 100_000_000_000 {
        let _ = write!(out, "{v}");
        return;
    }
    let exp = (v as f64).log10().floor() as i32;
    let mut mant = v as f64 / 10f64.powi(exp);
    let mut exp = exp;
    // Rounding 9.995 up must carry into the exponent, as Excel does.
    if (mant * 100.0).round() >= 1000.0 {
        mant /= 10.0;
        exp += 1;
    }
    // General format drops trailing zeros of the mantissa: 5,5E+11, 1E+18.
    let mut m = format!("{mant:.2}");
    while m.ends_with('0') {
        m.pop();
    }
    if m.ends_with('.') {
        m.pop();
    }
    let _ = write!(out, "{}E+{exp:02}", m.replace('.', ","));
}

pub(crate) fn guid_text(g: u128, out: &mut String) {
    let _ = write!(
        out,
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        (g >> 96) as u32,
        (g >> 80) as u16,
        (g >> 64) as u16,
        (g >> 48) as u16,
        (g & 0xFFFF_FFFF_FFFF) as u64
    );
}

/// The 16 bytes of a GUID as stored in `objectGUID`: the first three groups little-endian.
pub(crate) fn guid_bytes(g: u128) -> [u8; 16] {
    let be = g.to_be_bytes();
    let mut b = be;
    b[0..4].copy_from_slice(&[be[3], be[2], be[1], be[0]]);
    b[4..6].copy_from_slice(&[be[5], be[4]]);
    b[6..8].copy_from_slice(&[be[7], be[6]]);
    b
}

/// A domain SID `S-1-5-21-a-b-c` with an optional RID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Sid {
    pub sub: [u32; 3],
    pub rid: Option<u32>,
}

impl Sid {
    pub(crate) fn text(&self, out: &mut String) {
        let _ = write!(
            out,
            "S-1-5-21-{}-{}-{}",
            self.sub[0], self.sub[1], self.sub[2]
        );
        if let Some(r) = self.rid {
            let _ = write!(out, "-{r}");
        }
    }

    /// Binary layout of `objectSid`: revision, sub-authority count, 48-bit big-endian
    /// authority, then each sub-authority as a little-endian u32.
    pub(crate) fn bytes(&self) -> Vec<u8> {
        let count = if self.rid.is_some() { 5u8 } else { 4u8 };
        let mut b = vec![1u8, count, 0, 0, 0, 0, 0, 5];
        b.extend_from_slice(&21u32.to_le_bytes());
        for s in self.sub {
            b.extend_from_slice(&s.to_le_bytes());
        }
        if let Some(r) = self.rid {
            b.extend_from_slice(&r.to_le_bytes());
        }
        b
    }
}

/// csvde's binary notation: `X'0105…'`.
pub(crate) fn hex_literal(bytes: &[u8], out: &mut String) {
    out.push_str("X'");
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out.push('\'');
}

/// RFC 4514 escaping of an RDN value (only what our names can contain needs it, but the
/// whole set is handled so that a future table entry cannot produce a broken DN).
pub(crate) fn escape_rdn(v: &str, out: &mut String) {
    let n = v.chars().count();
    for (i, c) in v.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=')
            || (i == 0 && (c == '#' || c == ' '))
            || (i + 1 == n && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl Fn(&mut String)) -> String {
        let mut o = String::new();
        f(&mut o);
        o
    }

    #[test]
    fn dates() {
        // 2018-08-02T16:24:06Z
        let t = 1_533_227_046;
        assert_eq!(s(|o| date_us(t, o)), "8/2/2018 4:24:06 PM");
        assert_eq!(s(|o| date_au(t, o)), "2/08/2018 4:24:06 PM");
        assert_eq!(s(|o| date_fr_excel(t, o)), "02/08/2018 16:24");
        assert_eq!(s(|o| date_generalized(t, o)), "20180802162406.0Z");
        assert_eq!(s(|o| date_us(EXPORT_TIME, o)), "6/30/2025 2:00:00 PM");
        assert_eq!(s(|o| date_us(BASE_TIME, o)), "1/1/2012 12:00:00 AM");
    }

    #[test]
    fn numbers() {
        assert_eq!(s(|o| sci_fr(132_247_329_079_532_933, o)), "1,32E+17");
        assert_eq!(s(|o| sci_fr(NEVER_EXPIRES, o)), "9,22E+18");
        assert_eq!(s(|o| sci_fr(0, o)), "0");
        assert_eq!(s(|o| sci_fr(999_999_999_999_999_999, o)), "1E+18");
        assert_eq!(s(|o| sci_fr(549_755_813_888, o)), "5,5E+11");
        assert_eq!(filetime(0, 0), 116_444_736_000_000_000);
    }

    #[test]
    fn guid_and_sid() {
        let g: u128 = 0x7d12_9bfb_adff_4583_a5b0_6a82_7ceb_7f1b;
        assert_eq!(
            s(|o| guid_text(g, o)),
            "7d129bfb-adff-4583-a5b0-6a827ceb7f1b"
        );
        assert_eq!(
            guid_bytes(g),
            [
                0xfb, 0x9b, 0x12, 0x7d, 0xff, 0xad, 0x83, 0x45, 0xa5, 0xb0, 0x6a, 0x82, 0x7c, 0xeb,
                0x7f, 0x1b
            ]
        );
        let sid = Sid {
            sub: [1, 2, 3],
            rid: Some(500),
        };
        assert_eq!(s(|o| sid.text(o)), "S-1-5-21-1-2-3-500");
        assert_eq!(sid.bytes().len(), 28);
        assert_eq!(s(|o| escape_rdn("Smith, John", o)), "Smith\\, John");
        assert_eq!(s(|o| escape_rdn("Conor O'Brien", o)), "Conor O'Brien");
    }
}
