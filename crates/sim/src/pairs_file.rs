//! Delegate and interaction files: two user identities per row (any form the directory knows:
//! SIP address, UPN, mail, sAMAccountName, `DOMAIN\name`, DN), and for interactions a count.

use super::scope::{IdentityIndex, IdentityMiss};
use hybridready_directory::{Directory, ObjectId, ObjectKind};
use hybridready_ingest::{columns::normalize_header, csv_file, encoding, sniff};
use serde::Serialize;
use std::path::Path;

/// The pairs of a file, and an account of its rows.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PairFile {
    pub path: String,
    pub rows: u64,
    pub accepted: u64,
    pub rejected: u64,
    /// First rejections: `(line, reason)`.
    pub rejections: Vec<(u64, String)>,
    #[serde(skip)]
    pub pairs: Vec<(ObjectId, ObjectId, u64)>,
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct PairFileError {
    pub path: String,
    pub message: String,
}

const COUNT_HEADERS: &[&str] = &[
    "count",
    "calls",
    "weight",
    "interactions",
    "sessions",
    "messages",
];

/// Reads a pairs file. A row whose identities name no user of the inputs is rejected with its
/// line, never dropped silently.
pub fn load(path: &Path, dir: &Directory, ids: &IdentityIndex) -> Result<PairFile, PairFileError> {
    let p = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| PairFileError {
        path: p.clone(),
        message: format!("cannot read: {e}"),
    })?;
    let decoded = encoding::decode(&bytes);
    let text = decoded.text();
    let pre = sniff::preamble(text);
    let (headers, body) = csv_file::read_header(text, pre.header_offset, pre.delimiter);
    let count_col = headers
        .iter()
        .position(|h| COUNT_HEADERS.contains(&normalize_header(h).as_str()));
    let id_cols: Vec<usize> = (0..headers.len())
        .filter(|&i| Some(i) != count_col)
        .take(2)
        .collect();
    if id_cols.len() < 2 {
        return Err(PairFileError {
            path: p,
            message: format!(
                "expected two identity columns (and optionally a count), found: {}",
                headers.join(", ")
            ),
        });
    }
    let mut out = PairFile {
        path: p,
        ..Default::default()
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(pre.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(&text[body..]);
    let first_line = 1 + text[..body].iter().filter(|&&b| b == b'\n').count() as u64;
    let mut lines = csv_file::LineCounter::new(&text[body..], first_line);
    let mut line = first_line;
    let mut rec = csv::StringRecord::new();
    let reject = |out: &mut PairFile, line: u64, why: String| {
        out.rejected += 1;
        if out.rejections.len() < hybridready_directory::MAX_EXAMPLES {
            out.rejections.push((line, why));
        }
    };
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                out.rows += 1;
                reject(&mut out, line, format!("unreadable row: {e}"));
                break;
            }
        }
        line = lines.line_at(rec.position().map_or(0, |p| p.byte() as usize));
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        out.rows += 1;
        let a = rec.get(id_cols[0]).unwrap_or("").trim();
        let b = rec.get(id_cols[1]).unwrap_or("").trim();
        let count = match count_col.map(|c| rec.get(c).unwrap_or("").trim()) {
            None | Some("") => Ok(1),
            Some(c) => c.parse::<u64>().map_err(|_| c.to_string()),
        };
        let count = match count {
            Ok(c) => c,
            Err(c) => {
                reject(
                    &mut out,
                    line,
                    format!("count \"{c}\" is not a whole number"),
                );
                continue;
            }
        };
        let find = |s: &str| -> Result<ObjectId, String> {
            if let Some(o) = dir.object_by_dn(s) {
                return Ok(o);
            }
            match ids.get(dir, s) {
                Ok(o) if dir.kind(o) == ObjectKind::User => Ok(o),
                Ok(o) => Err(format!("\"{s}\" is a {}, not a user", dir.kind(o).as_str())),
                Err(IdentityMiss::Ambiguous) => Err(format!(
                    "\"{s}\" is held by several objects of the inputs (a duplicate): it names none of them"
                )),
                Err(IdentityMiss::Missing) => Err(format!("\"{s}\" is no user of the inputs")),
            }
        };
        match (find(a), find(b)) {
            (Ok(x), Ok(y)) if x != y => {
                out.accepted += 1;
                out.pairs.push((x, y, count));
            }
            (Ok(_), Ok(_)) => reject(
                &mut out,
                line,
                format!("\"{a}\" and \"{b}\" are the same user"),
            ),
            (Err(why), _) | (_, Err(why)) => reject(&mut out, line, why),
        }
    }
    Ok(out)
}
