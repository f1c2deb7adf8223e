//! Reading a decoded CSV file: header, then the body in chunks parsed on every core.
//!
//! A chunk boundary must fall between records. A newline is between records when the number of
//! quote characters before it is even (RFC 4180 doubles quotes inside quoted fields, which keeps
//! the parity); counting quotes is a vectorised byte count, far cheaper than parsing. A file
//! with an odd number of quotes is malformed somewhere and is read in one piece.

use super::records::Records;
use super::rows::{RowReader, RowStats};
use hybridready_directory::{DnSnapshot, FileId, RecordBatch};
use rayon::prelude::*;
use std::sync::Arc;

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

/// Occurrences of byte `b`: 32 bytes at a time where the CPU has AVX2 (bytecount's runtime
/// dispatch), 16 otherwise. The chunker and the line numbers run this over every byte of large
/// files, twice; our eight-bytes-at-a-time count took a third of a second of it at a million users.
pub fn count(bytes: &[u8], b: u8) -> usize {
    bytecount::count(bytes, b)
}

/// A run of whole records: byte range and the line number of its first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub start: usize,
    pub end: usize,
    pub line: u64,
}

/// What a look at a block of a file finds: whether it holds a NUL byte (binary data), and its
/// quotes and line ends (where records may end).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockCounts {
    pub nul: bool,
    pub quotes: usize,
    pub lines: usize,
}

/// A whole text counted in blocks of `size` bytes (the last one shorter), by [`count_blocks`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocks {
    pub size: usize,
    pub counts: Vec<BlockCounts>,
}

impl Blocks {
    /// Whether the text holds a NUL byte anywhere.
    pub fn has_nul(&self) -> bool {
        self.counts.iter().any(|c| c.nul)
    }
}

/// Counts `text` in blocks of `size` bytes, on every core. This reads every byte of a file
/// before any parsing starts: each block is taken in pieces that stay in the core's cache while
/// the three looks at them are made, so that memory is read once rather than three times.
pub fn count_blocks(text: &[u8], size: usize) -> Blocks {
    const PIECE: usize = 32 << 10;
    let size = size.max(1);
    let counts = text
        .par_chunks(size)
        .map(|block| {
            let mut c = BlockCounts::default();
            for piece in block.chunks(PIECE) {
                c.nul |= memchr::memchr(0, piece).is_some();
                c.quotes += count(piece, b'"');
                c.lines += count(piece, b'\n');
            }
            c
        })
        .collect();
    Blocks { size, counts }
}

/// Cuts `text[start..]` into chunks of about a block's size at record boundaries, from the
/// [`count_blocks`] of the whole text: each cut then needs only a short scan from its block's
/// end to the next line end outside quotes.
pub fn chunks(text: &[u8], start: usize, first_line: u64, blocks: &Blocks) -> Vec<Chunk> {
    let size = blocks.size;
    let whole = vec![Chunk {
        start,
        end: text.len(),
        line: first_line,
    }];
    if text.len() - start <= size {
        return whole;
    }
    // The blocks count from the start of the text; the chunks from `start`.
    let head = &text[..start];
    let (head_quotes, head_lines) = (count(head, b'"'), count(head, b'\n'));
    if !(blocks.counts.iter().map(|c| c.quotes).sum::<usize>() - head_quotes).is_multiple_of(2) {
        return whole;
    }
    let mut out = Vec::new();
    let (mut chunk_start, mut line) = (start, first_line);
    // Quotes and line ends in `text[..target]`.
    let (mut quotes, mut lines) = (0usize, 0usize);
    for (k, c) in blocks.counts.iter().enumerate() {
        quotes += c.quotes;
        lines += c.lines;
        let target = (k + 1) * size;
        if target >= text.len() {
            break;
        }
        // Inside the header, or already passed by the previous cut's scan (a record longer than
        // a block).
        if target <= chunk_start {
            continue;
        }
        let mut q = quotes - head_quotes;
        let mut i = target;
        let cut = loop {
            match text.get(i) {
                None => break None,
                Some(b'"') => q += 1,
                Some(b'\n') if q.is_multiple_of(2) => break Some(i + 1),
                _ => {}
            }
            i += 1;
        };
        let Some(cut) = cut.filter(|&c| c < text.len()) else {
            break;
        };
        out.push(Chunk {
            start: chunk_start,
            end: cut,
            line,
        });
        line = first_line + (lines - head_lines) as u64 + count(&text[target..cut], b'\n') as u64;
        chunk_start = cut;
    }
    out.push(Chunk {
        start: chunk_start,
        end: text.len(),
        line,
    });
    out
}

/// Line numbers of record starts, counted forward through a chunk.
pub struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    /// Counts lines of `bytes`, whose first byte is on line `line`.
    pub fn new(bytes: &'a [u8], line: u64) -> Self {
        LineCounter {
            bytes,
            offset: 0,
            line,
        }
    }
    /// The line of the record whose position the csv reader reports as `at`: the record itself
    /// starts after any line-terminator bytes there.
    pub fn line_at(&mut self, at: usize) -> u64 {
        let mut start = at.max(self.offset);
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let start = start.min(self.bytes.len());
        self.line += count(&self.bytes[self.offset..start], b'\n') as u64;
        self.offset = start;
        self.line
    }
}

/// Parses the records of one chunk into a batch.
/// `reader`: the table's plan and limits, with no rows read yet.
/// `known`: the DNs the directory already holds, resolved here rather than in the serial merge.
/// `reuse`: a merged batch to fill again rather than a new one.
pub fn read_chunk(
    text: &str,
    chunk: Chunk,
    delimiter: u8,
    mut reader: RowReader,
    file: FileId,
    known: Option<Arc<DnSnapshot>>,
    reuse: Option<RecordBatch>,
) -> (RecordBatch, RowStats, u64) {
    let mut batch = match reuse {
        Some(b) => b.recycled(file, known),
        None => RecordBatch::new(file)
            .with_known(known)
            .with_dn_limits(reader.dn_limits()),
    };
    // Sized for wide AD rows (about 30 bytes a cell, under 1 kB a row), so the vectors rarely
    // regrow; a recycled batch mostly has the room already.
    let len = chunk.end - chunk.start;
    batch.text.reserve(len);
    batch.values.reserve(len / 30);
    batch.refs.reserve(len / 60);
    batch.rows.reserve(len / 500);
    // Chunks are cut after a line end, so each starts and ends between characters; every cell
    // is then a slice of the chunk.
    let body = match text.get(chunk.start..chunk.end) {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => String::from_utf8_lossy(&text.as_bytes()[chunk.start..chunk.end]),
    };
    let mut records = Records::new(&body, delimiter);
    let mut count = 0u64;
    let mut lines = LineCounter::new(body.as_bytes(), chunk.line);
    while let Some(start) = records.next_record() {
        let line = lines.line_at(start);
        if records.len() == 1 && records.field(0).is_empty() {
            continue;
        }
        count += 1;
        if let Some(q) = records.unclosed() {
            // Its last field swallowed every line after the quote: the row is not what the
            // file meant, and the rows after it were never read as rows.
            let last_byte = body.trim_end_matches(['\r', '\n']).len().saturating_sub(1);
            let (opened, last) = (lines.line_at(q), lines.line_at(last_byte.max(q)));
            let start = batch.start_row();
            let rest = if last > opened {
                format!(
                    ": lines {opened} to {last} were read as one field, so the rows on them \
                     were not read"
                )
            } else {
                String::new()
            };
            batch.reject_row(
                start,
                line,
                "quote never closed",
                format!(
                    "a quote opened on line {opened} is never closed (the file ends inside \
                     it){rest}"
                ),
            );
            continue;
        }
        let r = &records;
        reader.read(&mut batch, line, r.len(), |i| r.field(i));
    }
    (batch, reader.stats, count)
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
        let blocks = count_blocks(text.as_bytes(), 97);
        let cs = chunks(text.as_bytes(), start, 2, &blocks);
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
        for (k, c) in cs.iter().enumerate() {
            // Contiguous, and the line numbers count the newlines inside quoted cells.
            let previous_end = if k == 0 { start } else { cs[k - 1].end };
            assert_eq!(c.start, previous_end);
            let line = text[..c.start].matches('\n').count() as u64 + 1;
            assert_eq!(c.line, line, "chunk {k}");
        }
    }

    #[test]
    fn count_matches_a_plain_count() {
        let mut text: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        text.extend(std::iter::repeat_n(b'"', 20_000));
        for b in [0u8, b'"', b'\n', 200, 255] {
            for start in 0..9 {
                let plain = text[start..].iter().filter(|&&x| x == b).count();
                assert_eq!(count(&text[start..], b), plain, "byte {b} from {start}");
            }
        }
    }

    #[test]
    fn block_counts_match_plain_counts_across_pieces() {
        let mut text: Vec<u8> = (0..300_000u32)
            .map(|i| b"ab\"c\nd,"[i as usize % 7])
            .collect();
        for size in [1000, 100_000, 1 << 20] {
            let blocks = count_blocks(&text, size);
            assert_eq!(blocks.size, size);
            assert_eq!(blocks.counts.len(), text.len().div_ceil(size));
            for (k, b) in blocks.counts.iter().enumerate() {
                let block = &text[k * size..((k + 1) * size).min(text.len())];
                assert!(!b.nul);
                assert_eq!(b.quotes, block.iter().filter(|&&x| x == b'"').count());
                assert_eq!(b.lines, block.iter().filter(|&&x| x == b'\n').count());
            }
        }
        // A NUL far into a block, past its first pieces.
        text[250_000] = 0;
        assert!(!count_blocks(&text[..250_000], 1 << 20).has_nul());
        assert!(count_blocks(&text, 1 << 20).has_nul());
    }

    #[test]
    fn odd_quotes_keep_one_chunk() {
        let text = b"A,B\n\"x,1\n2,3\n4,5\n6,7\n8,9\n";
        assert_eq!(chunks(text, 4, 2, &count_blocks(text, 4)).len(), 1);
    }
}
