//! Reading a decoded CSV file: header, then the body in chunks parsed on every core.
//!
//! A chunk boundary must fall between records. A newline is between records when the number of
//! quote characters before it is even (RFC 4180 doubles quotes inside quoted fields, which keeps
//! the parity); counting quotes is a vectorised byte count, far cheaper than parsing. A file
//! with an odd number of quotes is malformed somewhere and is read in one piece.

use super::dialect::Plan;
use super::rows::{RowReader, RowStats};
use crate::directory::{FileId, RecordBatch};

/// Size of the chunks a large file is cut into.
pub const CHUNK: usize = 4 << 20;

/// The header record of a CSV body starting at `offset`, and where the data starts.
pub fn read_header(text: &[u8], offset: usize, delimiter: u8) -> (Vec<String>, usize) {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(&text[offset..]);
    let mut rec = csv::ByteRecord::new();
    match rdr.read_byte_record(&mut rec) {
        Ok(true) => {
            let headers = rec
                .iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_string())
                .collect();
            (headers, offset + rdr.position().byte() as usize)
        }
        _ => (Vec::new(), text.len()),
    }
}

fn count(bytes: &[u8], b: u8) -> usize {
    bytes.iter().filter(|&&x| x == b).count()
}

/// A run of whole records: byte range and the line number of its first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub start: usize,
    pub end: usize,
    pub line: u64,
}

/// Cuts `text[start..]` into chunks of about `size` bytes at record boundaries.
pub fn chunks(text: &[u8], start: usize, first_line: u64, size: usize) -> Vec<Chunk> {
    let body = &text[start..];
    if body.len() <= size || count(body, b'"') % 2 == 1 {
        return vec![Chunk {
            start,
            end: text.len(),
            line: first_line,
        }];
    }
    let mut out = Vec::new();
    let mut chunk_start = start;
    let mut line = first_line;
    let mut quotes = 0usize;
    loop {
        let target = chunk_start + size;
        if target >= text.len() {
            break;
        }
        quotes += count(&text[chunk_start..target], b'"');
        let mut i = target;
        let mut q = quotes;
        let cut = loop {
            match text.get(i) {
                None => break None,
                Some(b'"') => q += 1,
                Some(b'\n') if q.is_multiple_of(2) => break Some(i + 1),
                _ => {}
            }
            i += 1;
        };
        let Some(cut) = cut else { break };
        quotes = q;
        out.push(Chunk {
            start: chunk_start,
            end: cut,
            line,
        });
        line += count(&text[chunk_start..cut], b'\n') as u64;
        chunk_start = cut;
    }
    out.push(Chunk {
        start: chunk_start,
        end: text.len(),
        line,
    });
    out
}

/// Parses the records of one chunk into a batch.
pub fn read_chunk(
    text: &[u8],
    chunk: Chunk,
    delimiter: u8,
    plan: &Plan,
    file: FileId,
) -> (RecordBatch, RowStats, u64) {
    let mut batch = RecordBatch::new(file);
    let mut reader = RowReader::new(plan);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(&text[chunk.start..chunk.end]);
    let mut rec = csv::ByteRecord::new();
    let mut records = 0u64;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // With `flexible` and in-memory UTF-8 input the reader has nothing left to fail
                // on; if it ever does, the rest of the chunk is reported, not lost silently.
                let line = chunk.line + e.position().map_or(0, |p| p.line().saturating_sub(1));
                let start = batch.start_row();
                batch.reject_row(start, line, "unreadable CSV", format!("CSV error: {e}"));
                break;
            }
        }
        let line = chunk.line + rec.position().map_or(0, |p| p.line().saturating_sub(1));
        if rec.len() == 1 && rec[0].is_empty() {
            continue;
        }
        records += 1;
        let r = &rec;
        reader.read(&mut batch, line, rec.len(), |i| {
            r.get(i)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or("")
        });
    }
    (batch, reader.stats, records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cut_between_records_only() {
        let mut text = String::from("\"A\",\"B\"\n");
        for i in 0..200 {
            text.push_str(&format!(
                "\"x{i}\",\"line one\nline two, \"\"quoted\"\"\"\n"
            ));
        }
        let start = text.find('\n').unwrap() + 1;
        let cs = chunks(text.as_bytes(), start, 2, 97);
        assert!(cs.len() > 5);
        for c in &cs {
            // Each chunk starts with a record of its own.
            assert!(
                text[c.start..].starts_with("\"x"),
                "{:?}",
                &text[c.start..c.start + 10]
            );
        }
        assert_eq!(cs.last().unwrap().end, text.len());
        // Line numbers account for the newlines inside quoted cells.
        let i = text[..cs[1].start].matches('\n').count() as u64 + 1;
        assert_eq!(cs[1].line, i);
    }

    #[test]
    fn odd_quotes_keep_one_chunk() {
        let text = b"A,B\n\"x,1\n2,3\n4,5\n6,7\n8,9\n";
        assert_eq!(chunks(text, 4, 2, 4).len(), 1);
    }
}
