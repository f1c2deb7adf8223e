//! The collection kit's own files in a kit folder: `manifest.csv` (every other file the kit
//! wrote, with its size and SHA-256) and `sections.csv` (how each section of the kit ended).
//!
//! They are recognised by their header, never by their name, and are not tables of AD objects:
//! the manifest is checked against the files present (a file changed or missing since the
//! export is an input problem), and the sections that failed or were skipped become notes, so
//! that what the customer could not export reads as "not provided" with the kit's reason.

use super::{InputReport, encoding, sha256_hex};
use hybridready_assessment::{KitNote, SectionStatus};
use std::path::{Component, Path};

/// The header of the kit's manifest (the kit contract's `Path,Bytes,SHA256`).
const MANIFEST_HEADER: [&str; 3] = ["path", "bytes", "sha256"];
/// The header of the kit's record of its sections (`Section,Status,Detail`).
const SECTIONS_HEADER: [&str; 3] = ["section", "status", "detail"];

/// Which of the kit's own files a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KitFile {
    Manifest,
    Sections,
}

impl KitFile {
    fn format(self) -> &'static str {
        match self {
            KitFile::Manifest => "kit-manifest",
            KitFile::Sections => "kit-sections",
        }
    }
    fn details(self) -> &'static str {
        match self {
            KitFile::Manifest => {
                "the collection kit's manifest: checked against the files present, not a table of AD objects"
            }
            KitFile::Sections => {
                "the collection kit's record of its sections: not a table of AD objects"
            }
        }
    }
}

/// The kit file `bytes` is, told from its first line.
fn recognise(bytes: &[u8]) -> Option<KitFile> {
    // The header is short: a few hundred bytes hold it in any encoding the kit writes.
    let head = encoding::decode(&bytes[..bytes.len().min(256)]);
    let first = head.as_str().lines().next()?;
    let fields: Vec<String> = first
        .split(',')
        .map(super::columns::normalize_header)
        .collect();
    if fields == MANIFEST_HEADER {
        Some(KitFile::Manifest)
    } else if fields == SECTIONS_HEADER {
        Some(KitFile::Sections)
    } else {
        None
    }
}

/// The account of `path` when it is one of the kit's own files, else `None` (it is read as any
/// other input).
pub(crate) fn read(path: &Path, bytes: &[u8]) -> Option<InputReport> {
    let kind = recognise(bytes)?;
    let decoded = encoding::decode(bytes);
    let mut rows = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(decoded.as_str().as_bytes());
    let records: Vec<(u64, csv::StringRecord)> = rows
        .records()
        .enumerate()
        .filter_map(|(i, r)| r.ok().map(|r| (i as u64 + 2, r)))
        .collect();
    let mut report = InputReport::new(path, None, bytes.len() as u64);
    report.ignore(kind.details().to_string());
    report.format = kind.format().to_string();
    report.encoding = Some(decoded.encoding.name.to_string());
    report.sha256 = Some(sha256_hex(bytes));
    report.rows = records.len() as u64;
    report.kit_manifest = match kind {
        KitFile::Manifest => records.clone(),
        KitFile::Sections => {
            report.kit = sections(&records);
            Vec::new()
        }
    };
    Some(report)
}

/// Checks every kit manifest among `inputs` once all are read: a listed file is compared with
/// the digest the ingest took of it, wherever it was read from (a folder, or the kit's zip,
/// whose entries are on no disk); a file no input holds is looked for on the disk.
pub(crate) fn verify_manifests(inputs: &mut [InputReport]) {
    let digests: std::collections::HashMap<String, String> = inputs
        .iter()
        .filter_map(|r| Some((r.path.replace('\\', "/"), r.sha256.clone()?)))
        .collect();
    for r in inputs.iter_mut() {
        let records = std::mem::take(&mut r.kit_manifest);
        if records.is_empty() {
            continue;
        }
        let name = r.path.replace('\\', "/");
        let folder = name.rsplit_once('/').map_or("", |(f, _)| f).to_string();
        let notes = verify_manifest(Path::new(&r.path), &folder, &digests, &records);
        r.kit.extend(notes);
    }
}

/// Each listed file checked against its SHA-256: how many matched, then the mismatches, the
/// missing files and the rows that name no file.
fn verify_manifest(
    manifest: &Path,
    folder: &str,
    digests: &std::collections::HashMap<String, String>,
    records: &[(u64, csv::StringRecord)],
) -> Vec<KitNote> {
    let mut notes = Vec::new();
    let mut matched = 0;
    for (line, r) in records {
        let (Some(rel), Some(listed)) = (r.get(0), r.get(2)) else {
            notes.push(KitNote::ManifestBadRow { line: *line });
            continue;
        };
        let rel = rel.trim();
        let listed = listed.trim();
        let inside = !rel.is_empty()
            && Path::new(rel)
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
        let is_digest = listed.len() == 64 && listed.bytes().all(|b| b.is_ascii_hexdigit());
        if !inside || !is_digest {
            notes.push(KitNote::ManifestBadRow { line: *line });
            continue;
        }
        let key = if folder.is_empty() {
            rel.replace('\\', "/")
        } else {
            format!("{folder}/{}", rel.replace('\\', "/"))
        };
        let found = digests.get(&key).cloned().or_else(|| {
            let file = manifest.parent().unwrap_or(Path::new(".")).join(rel);
            // Only a regular file is opened: a pipe under a listed name would block the read.
            std::fs::metadata(&file)
                .ok()
                .filter(std::fs::Metadata::is_file)
                .and_then(|_| file_sha256(&file).ok())
        });
        match found {
            None => notes.push(KitNote::ManifestMissing {
                path: rel.to_string(),
            }),
            Some(found) if found.eq_ignore_ascii_case(listed) => matched += 1,
            Some(found) => notes.push(KitNote::ManifestMismatch {
                path: rel.to_string(),
                listed: listed.to_ascii_uppercase(),
                found: found.to_ascii_uppercase(),
            }),
        }
    }
    if matched > 0 {
        notes.insert(0, KitNote::ManifestVerified { files: matched });
    }
    notes
}

/// A file's SHA-256, read in pieces (a listed export may be gigabytes).
fn file_sha256(path: &Path) -> std::io::Result<String> {
    use sha2::Digest;
    use std::io::Read;
    let mut hasher = sha2::Sha256::new();
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The sections that did not end `ok`. A status the kit does not write is kept as a failure
/// with the status in its detail, never dropped.
fn sections(records: &[(u64, csv::StringRecord)]) -> Vec<KitNote> {
    records
        .iter()
        .filter_map(|(_, r)| {
            let section = r.get(0).unwrap_or_default().trim().to_string();
            let status = r.get(1).unwrap_or_default().trim();
            let detail = r.get(2).unwrap_or_default().trim().to_string();
            let (status, detail) = match status.to_ascii_lowercase().as_str() {
                "ok" => return None,
                "skipped" => (SectionStatus::Skipped, detail),
                "failed" => (SectionStatus::Failed, detail),
                _ => (SectionStatus::Failed, format!("{status}: {detail}")),
            };
            Some(KitNote::Section {
                section,
                status,
                detail,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kit_files_are_told_by_their_header_in_any_encoding() {
        assert_eq!(
            recognise(b"\xEF\xBB\xBF\"Path\",\"Bytes\",\"SHA256\"\r\n"),
            Some(KitFile::Manifest)
        );
        assert_eq!(
            recognise(b"Section,Status,Detail\n"),
            Some(KitFile::Sections)
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "\"Section\",\"Status\",\"Detail\"\r\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert_eq!(recognise(&utf16), Some(KitFile::Sections));
        assert_eq!(recognise(b"Path,Bytes,SHA256,Extra\n"), None);
        assert_eq!(recognise(b"DistinguishedName,Name\n"), None);
    }

    #[test]
    fn manifest_reports_mismatches_missing_files_and_bad_rows() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sfb")).unwrap();
        std::fs::write(dir.path().join("sfb/a.json"), b"{}").unwrap();
        std::fs::write(dir.path().join("b.csv"), b"x").unwrap();
        let good = sha256_hex(b"{}").to_ascii_uppercase();
        let other = sha256_hex(b"y").to_ascii_uppercase();
        let manifest = format!(
            "\"Path\",\"Bytes\",\"SHA256\"\r\n\"sfb/a.json\",\"2\",\"{good}\"\r\n\
             \"b.csv\",\"1\",\"{other}\"\r\n\"gone.csv\",\"1\",\"{good}\"\r\n\
             \"../outside.csv\",\"1\",\"{good}\"\r\n\"c.csv\",\"1\",\"nothex\"\r\n"
        );
        let path = dir.path().join("manifest.csv");
        std::fs::write(&path, &manifest).unwrap();
        let mut r = vec![read(&path, manifest.as_bytes()).unwrap()];
        verify_manifests(&mut r);
        let r = &r[0];
        assert_eq!(r.format, "kit-manifest");
        assert_eq!(
            r.kit,
            vec![
                KitNote::ManifestVerified { files: 1 },
                KitNote::ManifestMismatch {
                    path: "b.csv".into(),
                    listed: other,
                    found: sha256_hex(b"x").to_ascii_uppercase(),
                },
                KitNote::ManifestMissing {
                    path: "gone.csv".into()
                },
                KitNote::ManifestBadRow { line: 5 },
                KitNote::ManifestBadRow { line: 6 },
            ]
        );
    }

    #[test]
    fn sections_that_did_not_run_become_notes() {
        let text = "Section,Status,Detail\nenvironment,ok,\nsfb/pools,failed,Access denied\n\
                    tenant/domains,skipped,not connected\nx,weird,?\n";
        let r = read(Path::new("sections.csv"), text.as_bytes()).unwrap();
        assert_eq!(r.rows, 4);
        assert_eq!(
            r.kit,
            vec![
                KitNote::Section {
                    section: "sfb/pools".into(),
                    status: SectionStatus::Failed,
                    detail: "Access denied".into()
                },
                KitNote::Section {
                    section: "tenant/domains".into(),
                    status: SectionStatus::Skipped,
                    detail: "not connected".into()
                },
                KitNote::Section {
                    section: "x".into(),
                    status: SectionStatus::Failed,
                    detail: "weird: ?".into()
                },
            ]
        );
    }
}
