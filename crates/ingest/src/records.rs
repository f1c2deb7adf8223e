//! The records of a decoded CSV chunk, with fields borrowed from the text.
//!
//! This reads exactly what the `csv` crate reads with `flexible(true)`, no headers, `"` quoting
//! with doubled quotes and `\r`, `\n` or `\r\n` line ends (a property test holds the two
//! together), but it finds the end of a field with `memchr` rather than a byte-at-a-time state
//! machine, and a field that needs no unescaping (nearly all) is a slice of the text rather than
//! a copy: at a million users this is the largest single piece of the ingest's work.
//!
//! The `csv` crate's rules, which this follows:
//! - line ends before a record are skipped, so a blank line is no record;
//! - a quote opens a quoted field only as the field's first byte; elsewhere it is literal;
//! - in a quoted field, `""` is one quote; a delimiter or line end is content;
//! - after the closing quote, anything other than a delimiter or line end continues the field
//!   unquoted (`"ab"c` is `abc`);
//! - at the end of the text, an open quoted field ends where the text does.

use hybridready_directory::fold::lanes_eq;
use memchr::{memchr, memchr3};

/// The first `"` in `b` at or after `from`. Most quoted fields are short (a flag, a GUID, a
/// name): their closing quote is found within a few words tested inline, where a call to
/// `memchr` costs more in its setup than in its scan. Longer ones (a `memberOf` list) go to it.
#[inline]
fn find_quote(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    for _ in 0..4 {
        let Some(word) = b.get(i..i + 8) else {
            break;
        };
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let quotes = lanes_eq(w, b'"');
        if quotes != 0 {
            return Some(i + (quotes.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    memchr(b'"', b.get(i..)?).map(|k| i + k)
}

/// Where a field's text is: a slice of the chunk, or (when unescaped) of the scratch buffer.
#[derive(Clone, Copy, Debug)]
enum Span {
    Text(usize, usize),
    Scratch(usize, usize),
}

/// Reads the records of `text` one at a time; the fields of the current one are [`Records::field`].
pub struct Records<'t> {
    text: &'t str,
    pos: usize,
    delimiter: u8,
    spans: Vec<Span>,
    scratch: String,
    /// Where the quoted field that the text ended inside opened.
    unclosed: Option<usize>,
}

impl<'t> Records<'t> {
    /// `delimiter` must be ASCII (the sniffer only picks `,`, `;` or TAB).
    pub fn new(text: &'t str, delimiter: u8) -> Self {
        debug_assert!(delimiter.is_ascii() && delimiter != b'"');
        Records {
            text,
            pos: 0,
            delimiter,
            spans: Vec::with_capacity(64),
            scratch: String::new(),
            unclosed: None,
        }
    }

    /// Reads the next record and returns the byte offset where it starts, or `None` at the end.
    pub fn next_record(&mut self) -> Option<usize> {
        let b = self.text.as_bytes();
        while matches!(b.get(self.pos), Some(b'\r' | b'\n')) {
            self.pos += 1;
        }
        if self.pos >= b.len() {
            return None;
        }
        let start = self.pos;
        self.spans.clear();
        self.scratch.clear();
        while self.read_field() {}
        Some(start)
    }

    /// The byte offset of the opening quote of a field that is never closed: the text ended
    /// inside it, so it ran to the end (set by the record that read it, the last one).
    pub fn unclosed(&self) -> Option<usize> {
        self.unclosed
    }

    /// The number of fields of the current record.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Field `i` of the current record; "" past the last one.
    pub fn field(&self, i: usize) -> &str {
        match self.spans.get(i) {
            Some(&Span::Text(s, e)) => &self.text[s..e],
            Some(&Span::Scratch(s, e)) => &self.scratch[s..e],
            None => "",
        }
    }

    /// Reads one field at `pos`; true when a delimiter follows, so another field does.
    fn read_field(&mut self) -> bool {
        let b = self.text.as_bytes();
        if b.get(self.pos) != Some(&b'"') {
            let end = self.unquoted_end(self.pos);
            self.spans.push(Span::Text(self.pos, end));
            return self.after_field(end);
        }
        // A quoted field: a slice of the text unless it holds a doubled quote or text after
        // its closing quote, in which case its pieces are joined in the scratch buffer.
        let mut seg = self.pos + 1;
        let mut joined: Option<usize> = None;
        loop {
            let Some(q) = find_quote(b, seg) else {
                // The text ends inside the quotes: the field runs to the end.
                self.unclosed = Some(self.pos);
                self.push_piece(joined, seg, b.len());
                self.pos = b.len();
                return false;
            };
            if b.get(q + 1) == Some(&b'"') {
                // A doubled quote: keep one, go on inside the quotes.
                let from = *joined.get_or_insert(self.scratch.len());
                self.scratch.push_str(&self.text[seg..=q]);
                joined = Some(from);
                seg = q + 2;
                continue;
            }
            let after = q + 1;
            match b.get(after) {
                None | Some(b'\r' | b'\n') => {
                    self.push_piece(joined, seg, q);
                    return self.after_field(after);
                }
                Some(&c) if c == self.delimiter => {
                    self.push_piece(joined, seg, q);
                    return self.after_field(after);
                }
                Some(_) => {
                    // Text after the closing quote continues the field, unquoted.
                    let from = *joined.get_or_insert(self.scratch.len());
                    self.scratch.push_str(&self.text[seg..q]);
                    let end = self.unquoted_end(after);
                    self.scratch.push_str(&self.text[after..end]);
                    self.spans.push(Span::Scratch(from, self.scratch.len()));
                    return self.after_field(end);
                }
            }
        }
    }

    /// The end of an unquoted run starting at `from`: the next delimiter or line end.
    fn unquoted_end(&self, from: usize) -> usize {
        let b = self.text.as_bytes();
        // Most unquoted fields are PowerShell's nulls: nothing before the delimiter.
        match b.get(from) {
            None => return b.len(),
            Some(&c) if c == self.delimiter || c == b'\n' || c == b'\r' => return from,
            _ => {}
        }
        memchr3(self.delimiter, b'\n', b'\r', &b[from..]).map_or(b.len(), |k| from + k)
    }

    /// Pushes the field whose last piece is `text[seg..end]`, joined to earlier pieces if any.
    fn push_piece(&mut self, joined: Option<usize>, seg: usize, end: usize) {
        match joined {
            None => self.spans.push(Span::Text(seg, end)),
            Some(from) => {
                self.scratch.push_str(&self.text[seg..end]);
                self.spans.push(Span::Scratch(from, self.scratch.len()));
            }
        }
    }

    /// Moves past the byte that ended a field at `end`: true when it was a delimiter.
    fn after_field(&mut self, end: usize) -> bool {
        let b = self.text.as_bytes();
        if b.get(end) == Some(&self.delimiter) {
            self.pos = end + 1;
            true
        } else {
            // A line end (skipped before the next record) or the end of the text.
            self.pos = end;
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ours(text: &str, delimiter: u8) -> Vec<Vec<String>> {
        let mut r = Records::new(text, delimiter);
        let mut out = Vec::new();
        while let Some(start) = r.next_record() {
            assert!(!matches!(text.as_bytes()[start], b'\r' | b'\n'));
            out.push((0..r.len()).map(|i| r.field(i).to_string()).collect());
        }
        out
    }

    fn csv_crate(text: &str, delimiter: u8) -> Vec<Vec<String>> {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut out = Vec::new();
        let mut rec = csv::ByteRecord::new();
        while rdr.read_byte_record(&mut rec).expect("in-memory input") {
            out.push(
                rec.iter()
                    .map(|f| String::from_utf8(f.to_vec()).expect("utf-8 in, utf-8 out"))
                    .collect(),
            );
        }
        out
    }

    #[test]
    fn reads_what_powershell_writes() {
        let text = "\"CN=Smith\\, John,OU=x\",\"a \"\"quoted\"\" word\",,\"\"\r\n\
                    \"two\nlines\",\"é\",\"\",x\r\n\r\n\
                    \"ab\"c,\"d\"";
        let want: Vec<Vec<String>> = vec![
            vec!["CN=Smith\\, John,OU=x", "a \"quoted\" word", "", ""],
            vec!["two\nlines", "é", "", "x"],
            vec!["abc", "d"],
        ]
        .into_iter()
        .map(|r| r.into_iter().map(String::from).collect())
        .collect();
        assert_eq!(ours(text, b','), want);
        assert_eq!(csv_crate(text, b','), want);
    }

    #[test]
    fn an_open_quote_at_the_end_runs_to_the_end() {
        for text in ["a,\"b\nc", "\"x\"\"", "\"", "a,", ",", "\r\n\"\"\"\"x"] {
            assert_eq!(ours(text, b','), csv_crate(text, b','), "{text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn reads_what_the_csv_crate_reads(
            text in proptest::collection::vec(
                prop_oneof![
                    Just("\""), Just(","), Just(";"), Just("\t"), Just("\r"), Just("\n"),
                    Just("a"), Just("bc"), Just(" "), Just("é"), Just("\"\""), Just("\r\n"),
                ],
                0..40,
            ),
            delimiter in prop_oneof![Just(b','), Just(b';'), Just(b'\t')],
        ) {
            let text = text.concat();
            prop_assert_eq!(ours(&text, delimiter), csv_crate(&text, delimiter));
        }
    }
}
