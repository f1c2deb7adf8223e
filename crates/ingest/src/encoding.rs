//! Which encoding a file is in, and its text as UTF-8.
//!
//! Real exports arrive as UTF-8 with or without a BOM (PowerShell 7, `-Encoding UTF8`), UTF-16LE
//! with a BOM (`-Encoding Unicode`, Excel "Unicode Text", `csvde -u`), ASCII (Windows PowerShell
//! 5.1's default) or a legacy code page (Excel "CSV", `-Encoding Default`, csvde without `-u`).
//! Without a BOM, strict UTF-8 is tried first; if the bytes are not UTF-8, `chardetng` names the
//! code page (Windows-1252 for Western Europe, GBK, …).

use serde::Serialize;

/// The encoding a file was decoded from.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct EncodingInfo {
    /// `UTF-8`, `UTF-8 (BOM)`, `UTF-16LE (BOM)`, `UTF-16BE (BOM)`, `ASCII`, `windows-1252`, …
    pub name: String,
    /// Bytes that could not be decoded and became U+FFFD.
    pub replaced: usize,
    /// The lines (1-based) of the first [`LINES_KEPT`] of them, when known.
    pub replaced_lines: Vec<u64>,
}

/// Lines of undecodable bytes kept for the input report.
pub const LINES_KEPT: usize = 10;

/// A file's text, decoded to UTF-8: borrowed from the file's bytes when they already were UTF-8.
pub struct Decoded<'a> {
    text: std::borrow::Cow<'a, str>,
    pub encoding: EncodingInfo,
}

impl<'a> Decoded<'a> {
    pub fn text(&self) -> &[u8] {
        self.text.as_bytes()
    }
    pub fn as_str(&self) -> &str {
        &self.text
    }
    /// Lines ended by a CR alone (classic Mac OS, some hand-made lists) as LF: every line
    /// number is counted in LFs, so each row of such a file was said to be on line 1. Only for a
    /// text with a CR and no LF at all, so a stray CR in a CRLF file is left as it is.
    pub fn cr_only_to_lf(&mut self) -> bool {
        let b = self.text.as_bytes();
        if memchr::memchr(b'\n', b).is_some() || memchr::memchr(b'\r', b).is_none() {
            return false;
        }
        self.text = std::borrow::Cow::Owned(self.text.replace('\r', "\n"));
        true
    }
    /// A file's own bytes, already UTF-8.
    fn borrowed(text: &'a str, encoding: EncodingInfo) -> Self {
        Decoded {
            text: std::borrow::Cow::Borrowed(text),
            encoding,
        }
    }
}

fn info(name: &str, replaced: usize) -> EncodingInfo {
    EncodingInfo {
        name: name.to_string(),
        replaced,
        replaced_lines: Vec::new(),
    }
}

/// Invalid runs per valid multi-byte character past which the valid ones are taken for
/// accidents of a code page: in Windows-1252 text an accented capital before a symbol (`É»`,
/// `Ã©`) happens to be a UTF-8 character, once in hundreds of accented letters, each of which is
/// an invalid run.
const ACCIDENTAL: usize = 16;

/// UTF-8 with bad bytes (a truncated character, a byte edited in a legacy editor, garbage
/// pasted in), told from a legacy code page by its valid multi-byte characters. Such a file is
/// decoded as UTF-8, the bad bytes replaced and their lines noted: reading it whole as
/// Windows-1252 instead turned every "ë" of it into "Ã«", unsaid. Only a code page's text,
/// with no valid multi-byte character or a few accidental ones among many invalid runs (see
/// [`ACCIDENTAL`]), is left to the code-page detection.
///
/// A valid character touching an invalid byte does not count: in a multi-byte code page
/// (Shift-JIS, GBK) the bytes of consecutive characters often happen to form one, whereas the
/// characters of damaged UTF-8 stand among ASCII and each other, apart from the damage.
fn mostly_utf8(bytes: &[u8], name: &str) -> Option<Decoded<'static>> {
    let (mut valid, mut invalid, mut runs, mut line) = (0usize, 0usize, 0usize, 1u64);
    let mut lines = Vec::new();
    let mut in_run = false;
    for (k, chunk) in bytes.utf8_chunks().enumerate() {
        let text = chunk.valid();
        let mut n = text.chars().filter(|c| !c.is_ascii()).count();
        let non_ascii = |b: Option<&u8>| b.is_some_and(|b| !b.is_ascii());
        // After the previous chunk's invalid bytes, before this one's.
        if k > 0 && non_ascii(text.as_bytes().first()) {
            n -= 1;
        }
        // (`n > 0`: a text of one character touching both was taken off once.)
        if !chunk.invalid().is_empty() && non_ascii(text.as_bytes().last()) && n > 0 {
            n -= 1;
        }
        valid += n;
        line += bytecount::count(text.as_bytes(), b'\n') as u64;
        if !text.is_empty() {
            in_run = false;
        }
        if !chunk.invalid().is_empty() {
            invalid += 1;
            // `FF FE ED A0 80` is five invalid chunks but one damage.
            runs += usize::from(!in_run);
            in_run = true;
            if lines.len() < LINES_KEPT && lines.last() != Some(&line) {
                lines.push(line);
            }
            line += bytecount::count(chunk.invalid(), b'\n') as u64;
        }
    }
    if valid == 0 || valid.saturating_mul(ACCIDENTAL) < runs {
        return None;
    }
    let text = String::from_utf8_lossy(bytes).into_owned();
    Some(Decoded {
        text: std::borrow::Cow::Owned(text),
        encoding: EncodingInfo {
            name: name.to_string(),
            replaced: invalid,
            replaced_lines: lines,
        },
    })
}

/// A UTF-16 BOM before text that is not UTF-16: a CSV in UTF-16 has a NUL in the upper byte of
/// every delimiter, quote and line end, so a first 4 KiB without a single NUL is not UTF-16
/// (UTF-8 or a code page that an editor or a script gave the wrong BOM).
fn wrong_utf16_bom(body: &[u8]) -> bool {
    let sample = &body[..body.len().min(4096)];
    sample.len() >= 16 && memchr::memchr(0, sample).is_none()
}

/// UTF-16 without a BOM shows as a NUL in every other byte of ASCII text.
fn looks_like_bomless_utf16(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd_nul * 10 > pairs * 8 && even_nul * 10 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even_nul * 10 > pairs * 8 && odd_nul * 10 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

fn transcode<'a>(bytes: &[u8], enc: &'static encoding_rs::Encoding, name: &str) -> Decoded<'a> {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let replaced = if text.contains('\u{FFFD}') {
        text.matches('\u{FFFD}').count()
    } else {
        0
    };
    Decoded {
        text: std::borrow::Cow::Owned(text.into_owned()),
        encoding: info(name, replaced),
    }
}

/// UTF-32 after its BOM, decoded by hand (`encoding_rs` knows no UTF-32): no AD tool writes
/// it, but an editor's "Save as" does, and reading it beats refusing it as binary data. A code
/// unit that is no character (a surrogate, past U+10FFFF) and a cut-off last one become U+FFFD.
fn utf32<'a>(body: &[u8], little: bool) -> Decoded<'a> {
    let units = body.chunks_exact(4);
    let mut replaced = usize::from(!units.remainder().is_empty());
    let mut text = String::with_capacity(body.len() / 4);
    for u in units {
        let u = [u[0], u[1], u[2], u[3]];
        let code = if little {
            u32::from_le_bytes(u)
        } else {
            u32::from_be_bytes(u)
        };
        text.push(char::from_u32(code).unwrap_or_else(|| {
            replaced += 1;
            char::REPLACEMENT_CHARACTER
        }));
    }
    if !body.len().is_multiple_of(4) {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    let name = if little {
        "UTF-32LE (BOM)"
    } else {
        "UTF-32BE (BOM)"
    };
    Decoded {
        text: std::borrow::Cow::Owned(text),
        encoding: info(name, replaced),
    }
}

/// Bytes per block of the parallel UTF-8 check.
const UTF8_BLOCK: usize = 8 << 20;

/// `bytes` as text, and whether it is all ASCII, when it is UTF-8. This is one pass over every
/// byte of every file before any parsing starts, so a large file is checked in blocks on every
/// thread (SIMD in each). A block starts at a character's first byte, so no character spans two
/// blocks; a run of more continuation bytes than a character holds is invalid wherever it is cut.
fn as_utf8(bytes: &[u8]) -> Option<(&str, bool)> {
    use rayon::prelude::*;
    let mut cuts = vec![0];
    let mut at = UTF8_BLOCK;
    while at < bytes.len() {
        let mut c = at;
        while c > at - 3 && bytes[c] & 0xC0 == 0x80 {
            c -= 1;
        }
        cuts.push(c);
        at += UTF8_BLOCK;
    }
    cuts.push(bytes.len());
    let ascii = cuts
        .par_windows(2)
        .map(|w| {
            let block = &bytes[w[0]..w[1]];
            simdutf8::basic::from_utf8(block)
                .ok()
                .map(|_| block.is_ascii())
        })
        .try_reduce(|| true, |a, b| Some(a && b))?;
    // SAFETY: every block of `bytes` was just found to be UTF-8 (they cover it end to end), and
    // so is their concatenation: a valid sequence ends where its last character ends, so the next
    // one starts afresh. A second check would be a second pass over every byte of a file that
    // may be a gigabyte, for nothing.
    let text = unsafe { std::str::from_utf8_unchecked(bytes) };
    Some((text, ascii))
}

/// Decodes a whole file. Never fails: undecodable bytes become U+FFFD and are counted.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return match as_utf8(&bytes[3..]) {
            Some((text, _)) => Decoded::borrowed(text, info("UTF-8 (BOM)", 0)),
            None => mostly_utf8(&bytes[3..], "UTF-8 (BOM)")
                .unwrap_or_else(|| transcode(&bytes[3..], encoding_rs::UTF_8, "UTF-8 (BOM)")),
        };
    }
    // Before UTF-16LE, whose BOM begins UTF-32LE's.
    for (bom, little) in [([0xFF, 0xFE, 0, 0], true), ([0, 0, 0xFE, 0xFF], false)] {
        if let Some(body) = bytes.strip_prefix(&bom) {
            return utf32(body, little);
        }
    }
    for (bom, enc) in [
        ([0xFF, 0xFE], encoding_rs::UTF_16LE),
        ([0xFE, 0xFF], encoding_rs::UTF_16BE),
    ] {
        let Some(body) = bytes.strip_prefix(&bom) else {
            continue;
        };
        if !wrong_utf16_bom(body) {
            return transcode(body, enc, &format!("{} (BOM)", enc.name()));
        }
        // Decoded as UTF-16, this text was one header of CJK characters.
        let mut d = decode(body);
        d.encoding.name = format!(
            "{} (after a {} BOM that does not fit the text)",
            d.encoding.name,
            enc.name()
        );
        return d;
    }
    if let Some(enc) = looks_like_bomless_utf16(bytes) {
        return transcode(bytes, enc, &format!("{} (no BOM)", enc.name()));
    }
    if let Some((text, ascii)) = as_utf8(bytes) {
        let name = if ascii { "ASCII" } else { "UTF-8" };
        return Decoded::borrowed(text, info(name, 0));
    }
    if let Some(d) = mostly_utf8(bytes, "UTF-8") {
        return d;
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Deny);
    // chardetng answers UTF-8 only for valid UTF-8, which was ruled out above.
    let enc = if enc == encoding_rs::UTF_8 {
        encoding_rs::WINDOWS_1252
    } else {
        enc
    };
    transcode(bytes, enc, enc.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_blocks_never_split_a_character() {
        let ascii = vec![b'a'; UTF8_BLOCK + 16];
        assert_eq!(as_utf8(&ascii).map(|t| t.1), Some(true));
        for ch in ["é", "€", "😀"] {
            for shift in 0..4 {
                let mut v = ascii.clone();
                let at = UTF8_BLOCK - shift;
                v[at..at + ch.len()].copy_from_slice(ch.as_bytes());
                assert_eq!(as_utf8(&v).map(|t| t.1), Some(false), "{ch} at -{shift}");
                assert_eq!(as_utf8(&v).map(|t| t.0), std::str::from_utf8(&v).ok());
                // The same character cut short is invalid wherever the block ends.
                v[at + ch.len() - 1] = b'a';
                assert_eq!(as_utf8(&v).map(|t| t.1), None, "{ch} cut short at -{shift}");
            }
        }
        let mut run = ascii.clone();
        run[UTF8_BLOCK - 2..UTF8_BLOCK + 3].fill(0x80);
        assert_eq!(as_utf8(&run).map(|t| t.1), None);
    }

    #[test]
    fn a_utf16_bom_on_text_that_is_not_utf16_is_passed_over() {
        let d = decode(b"\xFF\xFESamAccountName,Name\r\nzoe,Zo\xC3\xAB\r\n");
        assert_eq!(
            d.encoding.name,
            "UTF-8 (after a UTF-16LE BOM that does not fit the text)"
        );
        assert_eq!(d.as_str(), "SamAccountName,Name\r\nzoe,Zoë\r\n");
    }

    #[test]
    fn detects_each_encoding() {
        let d = decode(b"\xEF\xBB\xBFName\r\nJos\xC3\xA9\r\n");
        assert_eq!(d.encoding.name, "UTF-8 (BOM)");
        assert_eq!(d.as_str(), "Name\r\nJosé\r\n");

        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Name;Zoë".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let d = decode(&utf16);
        assert_eq!(d.encoding.name, "UTF-16LE (BOM)");
        assert_eq!(d.as_str(), "Name;Zoë");

        let d = decode(b"GivenName;Surname\r\nJakke;J\xe4yn\xe4\r\n");
        assert_eq!(d.encoding.name, "windows-1252");
        assert!(d.as_str().contains("Jäynä"));

        let d = decode(b"\"Name\"\r\n\"Jos?\"\r\n");
        assert_eq!(d.encoding.name, "ASCII");
    }

    #[test]
    fn one_bad_byte_in_utf8_is_replaced_not_read_as_a_code_page() {
        let bytes = "Name\nZoë Müller\nJoël\n".as_bytes().to_vec();
        let mut bad = bytes.clone();
        bad.extend_from_slice(b"B\xe9d\n");
        let d = decode(&bad);
        assert_eq!(d.encoding.name, "UTF-8");
        assert_eq!(
            (d.encoding.replaced, d.encoding.replaced_lines.clone()),
            (1, vec![4])
        );
        assert!(d.as_str().contains("Zoë Müller") && d.as_str().contains("B\u{FFFD}d"));
        // Latin-1 text, with no valid multi-byte character, stays a code page.
        let d = decode(b"Name\nZo\xeb M\xfcller\nJo\xebl\n");
        assert_eq!(d.encoding.name, "windows-1252");
        assert!(d.as_str().contains("Zoë Müller"));
    }

    #[test]
    fn more_bad_bytes_than_good_characters_is_still_utf8() {
        // A lone lead byte, FF FE and an encoded surrogate in each of two cells, beside 'ë'
        // and 'ü': five invalid chunks a cell, one damaged run after the space.
        let bad = b"Name;Other\nJo\xc3\xabl M\xc3\xbcller;x\nZo\xc3( \xff\xfe\xed\xa0\x80;\
                    Zo\xc3( \xff\xfe\xed\xa0\x80 \xc3\x98rsted\n";
        let d = decode(bad);
        assert_eq!(d.encoding.name, "UTF-8");
        assert!(d.as_str().contains("Joël Müller") && d.as_str().contains("Ørsted"));
        assert_eq!(d.encoding.replaced_lines, vec![3]);
        assert_eq!(d.encoding.replaced, d.as_str().matches('\u{FFFD}').count());
        // Windows-1252 text where one accented capital before a symbol happens to be UTF-8
        // ('É»' is C9 BB) among many accented letters is still Windows-1252.
        let mut cp = b"Name\nCAF\xc9\xbb\n".to_vec();
        for _ in 0..ACCIDENTAL {
            cp.extend_from_slice(b"Jo\xebl M\xfcller\n");
        }
        let d = decode(&cp);
        assert_eq!(d.encoding.name, "windows-1252");
        assert!(d.as_str().contains("CAFÉ»") && d.as_str().contains("Joël Müller"));
        // Shift-JIS names, where three pairs of kanji happen to hold a valid UTF-8 sequence,
        // each touching the invalid bytes around it: the code page's, not UTF-8.
        let sjis = include_bytes!("../../../tests/malformed/shift-jis.csv");
        assert!(sjis.utf8_chunks().any(|c| !c.valid().is_ascii()));
        assert!(mostly_utf8(sjis, "UTF-8").is_none());
        assert_eq!(decode(sjis).encoding.name, "Shift_JIS");
    }

    #[test]
    fn utf32_is_decoded() {
        for (bom, little, name) in [
            ([0xFF, 0xFE, 0, 0], true, "UTF-32LE (BOM)"),
            ([0, 0, 0xFE, 0xFF], false, "UTF-32BE (BOM)"),
        ] {
            let mut bytes = bom.to_vec();
            for c in "Name;Zoë 😀\r\n".chars() {
                let c = c as u32;
                bytes.extend(if little {
                    c.to_le_bytes()
                } else {
                    c.to_be_bytes()
                });
            }
            let d = decode(&bytes);
            assert_eq!(
                (d.encoding.name.as_str(), d.as_str()),
                (name, "Name;Zoë 😀\r\n")
            );
            assert_eq!(d.encoding.replaced, 0);
            // A surrogate and a cut-off last unit.
            bytes.extend(if little {
                0xD800u32.to_le_bytes()
            } else {
                0xD800u32.to_be_bytes()
            });
            bytes.push(b'x');
            let d = decode(&bytes);
            assert_eq!(d.encoding.replaced, 2);
            assert!(d.as_str().ends_with("\n\u{FFFD}\u{FFFD}"));
        }
    }

    #[test]
    fn bomless_utf16_is_recognised() {
        let bytes: Vec<u8> = "\"Name\",\"SID\"\r\n\"a\",\"b\"\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let d = decode(&bytes);
        assert_eq!(d.encoding.name, "UTF-16LE (no BOM)");
        assert!(d.as_str().starts_with("\"Name\""));
    }
}
