//! Zips of exports, read as folders: each entry that is an input is read like a file of that
//! folder and named `archive.zip/inner/path.csv` in every message, report and worklist.
//!
//! A zip inside a zip is opened too; one deeper is passed over with why. A zip holding a
//! workbook's parts (`xl/workbook.xml`, …) is a workbook, not a folder. Entries are inflated
//! into memory, one at a time, within the `zip-*` limits and `file-size`, checked on the sizes
//! the zip's directory declares before anything is inflated (an entry that inflates past its
//! declared size is refused). Nothing is extracted onto the disk and an entry's name is never
//! used as a path: a name that is absolute or climbs out with `..`, and a stored symbolic link,
//! are listed and not read. The input zip is only read.

use super::limits::{Limit, RATIO_FROM_BYTES};
use super::{
    EXTENSIONS, IngestOptions, InputReport, OUTPUT_MARKER, Refusal, Sink, Source,
    WORKBOOK_EXTENSIONS, domain_of_domain_csv, is_hidden, not_an_export, read_bytes,
};
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// The first bytes of a zip: a local file header, or the end of the central directory of an
/// empty one.
const ZIP_MAGIC: [&[u8]; 2] = [b"PK\x03\x04", b"PK\x05\x06"];

/// Parts only a zipped workbook holds: Office Open XML (.xlsx, .xlsm), its binary form (.xlsb),
/// OpenDocument (.ods).
const WORKBOOK_PARTS: [&str; 3] = ["xl/workbook.xml", "xl/workbook.bin", "content.xml"];

/// Whether an input is a zip of exports rather than a zipped workbook: a zip (by its first bytes,
/// or named `.zip`) holding no workbook part and not named as a workbook (a damaged .xlsx stays
/// a workbook the workbook reader refuses). A zip that cannot be opened is a zip of exports only
/// when named `.zip`.
pub(crate) fn is_archive(ext: &str, bytes: &[u8]) -> bool {
    let magic = ZIP_MAGIC.iter().any(|m| bytes.starts_with(m));
    if WORKBOOK_EXTENSIONS.contains(&ext) || (ext != "zip" && !magic) {
        return false;
    }
    match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => !WORKBOOK_PARTS.iter().any(|p| z.index_for_name(p).is_some()),
        Err(_) => ext == "zip",
    }
}

/// Reads a zip of exports found on the disk (or given directly).
pub(crate) fn read(source: &Source, bytes: &[u8], opts: &IngestOptions, sink: &mut Sink) {
    // The progress of a zip is its own size, advanced once it is read: its entries' inflated
    // bytes would overrun the total the walk announced.
    let quiet = IngestOptions {
        columns: opts.columns.clone(),
        exclude: Vec::new(),
        progress: None,
        limits: opts.limits,
    };
    let mut expanded = 0u64;
    read_archive(&source.name, bytes, 0, &quiet, sink, &mut expanded);
}

/// One entry of a zip's directory, as declared there.
struct Entry {
    index: usize,
    /// As written in the zip (shown, never used as a path).
    name: String,
    is_dir: bool,
    is_symlink: bool,
    encrypted: bool,
    size: u64,
    packed: u64,
}

/// What becomes of an entry, decided from the zip's directory alone.
enum Fate {
    /// A folder entry: nothing to read.
    Folder,
    Hidden,
    PassedOver(String),
    Refused(Refusal),
    Read,
}

/// Reads the zip `bytes`, named `name`, `depth` zips deep in a zip on the disk. `expanded` is
/// what the entries of the zip on the disk, and of the zips in it, declared so far.
fn read_archive(
    name: &str,
    bytes: &[u8],
    depth: u32,
    opts: &IngestOptions,
    sink: &mut Sink,
    expanded: &mut u64,
) {
    let refuse_whole = |sink: &mut Sink, refusal: Refusal| {
        let mut r = InputReport::named(name.to_string(), None, bytes.len() as u64);
        r.refuse(refusal);
        sink.inputs.push(r);
    };
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => {
            return refuse_whole(
                sink,
                Refusal::Archive {
                    error: e.to_string(),
                },
            );
        }
    };
    if let Err(over) = opts.limits.check(Limit::ZipEntries, zip.len() as u64) {
        return refuse_whole(sink, over.refusal());
    }
    let mut entries = Vec::with_capacity(zip.len());
    for index in 0..zip.len() {
        match zip.by_index_raw(index) {
            Ok(e) => entries.push(Entry {
                index,
                name: e
                    .name()
                    .map(|n| n.into_owned())
                    .unwrap_or_else(|_| String::from_utf8_lossy(e.name_raw()).into_owned()),
                is_dir: e.is_dir(),
                is_symlink: e.is_symlink(),
                encrypted: e.encrypted(),
                size: e.size(),
                packed: e.compressed_size(),
            }),
            Err(e) => {
                return refuse_whole(
                    sink,
                    Refusal::Archive {
                        error: e.to_string(),
                    },
                );
            }
        }
    }
    // In the order a folder walk lists its files: by name, folder by folder.
    entries.sort_by(|a, b| a.name.split('/').cmp(b.name.split('/')));
    let shown = |entry: &str| format!("{name}/{entry}");
    let push_ignored = |sink: &mut Sink, entry: &str, why: String| {
        let mut r = InputReport::named(shown(entry), None, 0);
        r.ignore(why);
        sink.inputs.push(r);
    };
    if zip.has_duplicate_names() {
        push_ignored(
            sink,
            "",
            "entries of the zip share a name with another: one of each name is read".into(),
        );
    }
    // Folders of the zip holding the output marker: a run's outputs zipped up, not exports.
    let outputs: Vec<String> = entries
        .iter()
        .filter_map(|e| e.name.strip_suffix(OUTPUT_MARKER))
        .filter(|dir| dir.is_empty() || dir.ends_with('/'))
        .map(str::to_string)
        .collect();
    for dir in &outputs {
        push_ignored(
            sink,
            dir.trim_end_matches('/'),
            "an output folder of hybridready: its files are not inputs".into(),
        );
    }
    let fates: Vec<Fate> = entries.iter().map(|e| fate(e, &outputs, opts)).collect();
    // The zip-size limit is on all that is to be inflated, looked at before any of it is.
    let declared: u64 = entries
        .iter()
        .zip(&fates)
        .filter(|(_, f)| matches!(f, Fate::Read))
        .fold(*expanded, |sum, (e, _)| sum.saturating_add(e.size));
    if let Err(over) = opts.limits.check(Limit::ZipSize, declared) {
        return refuse_whole(sink, over.refusal());
    }
    *expanded = declared;
    let mut domains: HashMap<String, Option<String>> = HashMap::new();
    for (e, fate) in entries.iter().zip(fates) {
        match fate {
            Fate::Folder => {}
            Fate::Hidden => sink.hidden += 1,
            Fate::PassedOver(why) => push_ignored(sink, &e.name, why),
            Fate::Refused(refusal) => {
                let mut r = InputReport::named(shown(&e.name), None, e.size);
                r.refuse(refusal);
                sink.inputs.push(r);
            }
            Fate::Read => {
                let content = match inflate(&mut zip, e) {
                    Ok(b) => b,
                    Err(refusal) => {
                        let mut r = InputReport::named(shown(&e.name), None, e.size);
                        r.refuse(refusal);
                        sink.inputs.push(r);
                        continue;
                    }
                };
                let (dir, file) = e.name.rsplit_once('/').unwrap_or(("", &e.name));
                let ext = extension(file);
                if is_archive(&ext, &content) {
                    if depth == 0 {
                        read_archive(&shown(&e.name), &content, 1, opts, sink, expanded);
                    } else {
                        push_ignored(
                            sink,
                            &e.name,
                            "a zip inside a zip inside a zip: zips are opened one level deep \
                             within a zip; extract it and give it directly"
                                .into(),
                        );
                    }
                    continue;
                }
                let domain = domains
                    .entry(dir.to_string())
                    .or_insert_with(|| folder_domain(&mut zip, &entries, dir, opts))
                    .clone();
                let source = Source {
                    name: shown(&e.name),
                    stem: file
                        .rsplit_once('.')
                        .map_or(file, |(stem, _)| stem)
                        .to_string(),
                    ext,
                    domain,
                };
                let reported = std::sync::atomic::AtomicU64::new(0);
                read_bytes(&source, &content, opts, sink, &reported);
            }
        }
    }
}

/// The extension of an entry's file name, in lower case.
fn extension(file: &str) -> String {
    file.rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase()
}

/// What becomes of an entry, from what the zip's directory says of it.
fn fate(e: &Entry, outputs: &[String], opts: &IngestOptions) -> Fate {
    if e.is_dir {
        return Fate::Folder;
    }
    let parts: Vec<&str> = e.name.split(['/', '\\']).collect();
    let climbs = e.name.starts_with(['/', '\\'])
        || parts.contains(&"..")
        || parts
            .first()
            .is_some_and(|p| p.len() == 2 && p.ends_with(':'));
    if climbs {
        return Fate::PassedOver(
            "an entry whose name is absolute or climbs out of the zip (..): never used as a \
             path, not read"
                .into(),
        );
    }
    if parts.iter().any(|p| is_hidden(p)) {
        return Fate::Hidden;
    }
    if outputs.iter().any(|dir| e.name.starts_with(dir.as_str())) {
        return Fate::Folder; // Its folder is listed once, as an output folder.
    }
    if e.is_symlink {
        return Fate::PassedOver("a symbolic link stored in the zip: not followed".into());
    }
    let file = parts.last().copied().unwrap_or_default();
    if !EXTENSIONS.contains(&extension(file).as_str()) {
        return Fate::PassedOver(not_an_export());
    }
    if e.encrypted {
        return Fate::Refused(Refusal::Encrypted);
    }
    let over = |limit: Limit, found: u64| opts.limits.check(limit, found).err();
    let ratio = (e.size > RATIO_FROM_BYTES)
        .then(|| over(Limit::ZipRatio, e.size / e.packed.max(1)))
        .flatten();
    if let Some(o) = over(Limit::FileSize, e.size).or(ratio) {
        return Fate::Refused(o.refusal());
    }
    Fate::Read
}

/// An entry's bytes, inflated into memory: never more than its declared size, which the limits
/// were checked on.
fn inflate(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, e: &Entry) -> Result<Vec<u8>, Refusal> {
    let archive = |error: String| Refusal::Archive { error };
    let entry = zip.by_index(e.index).map_err(|x| archive(x.to_string()))?;
    let mut bytes = Vec::with_capacity(usize::try_from(e.size).unwrap_or(0));
    entry
        .take(e.size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|x| archive(x.to_string()))?;
    if bytes.len() as u64 > e.size {
        return Err(archive(format!(
            "the entry inflates past the {} bytes the zip's directory declares for it",
            e.size
        )));
    }
    Ok(bytes)
}

/// The domain the ADRecon `Domain.csv` beside an entry names (in the same folder of the zip).
fn folder_domain(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    entries: &[Entry],
    dir: &str,
    opts: &IngestOptions,
) -> Option<String> {
    let name = if dir.is_empty() {
        "Domain.csv".to_string()
    } else {
        format!("{dir}/Domain.csv")
    };
    let e = entries.iter().find(|e| e.name == name && !e.encrypted)?;
    // Over a limit, it is refused as an input of its own.
    if !matches!(fate(e, &[], opts), Fate::Read) {
        return None;
    }
    domain_of_domain_csv(&inflate(zip, e).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn zip_of(names: &[&str]) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for n in names {
            z.start_file(*n, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(b"x").unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    #[test]
    fn a_zip_is_a_folder_unless_it_holds_a_workbook() {
        assert!(is_archive("zip", &zip_of(&["users.csv"])));
        assert!(
            is_archive("csv", &zip_of(&["users.csv"])),
            "by its first bytes"
        );
        assert!(!is_archive("zip", &zip_of(&["xl/workbook.xml"])));
        assert!(!is_archive("zip", &zip_of(&["content.xml", "mimetype"])));
        assert!(
            !is_archive("xlsx", &zip_of(&["users.csv"])),
            "named a workbook"
        );
        // Damaged: a zip of exports when named so; a workbook's reader says why otherwise.
        assert!(is_archive("zip", b"PK\x03\x04 cut short"));
        assert!(is_archive("zip", b"not a zip at all"));
        assert!(!is_archive("xlsx", b"PK\x03\x04 cut short"));
        assert!(!is_archive("csv", b"SamAccountName\r\nann\r\n"));
    }

    fn entry(name: &str) -> Entry {
        Entry {
            index: 0,
            name: name.into(),
            is_dir: false,
            is_symlink: false,
            encrypted: false,
            size: 10,
            packed: 5,
        }
    }

    #[test]
    fn an_entry_is_read_only_when_its_name_and_declared_sizes_allow() {
        let opts = IngestOptions::default();
        let passed_over = |e: &Entry| matches!(fate(e, &[], &opts), Fate::PassedOver(_));
        for climbs in [
            "../users.csv",
            "a/../../users.csv",
            "/etc/users.csv",
            "\\users.csv",
            "C:/users.csv",
        ] {
            assert!(passed_over(&entry(climbs)), "{climbs}");
        }
        assert!(passed_over(&entry("notes.docx")));
        assert!(passed_over(&Entry {
            is_symlink: true,
            ..entry("users.csv")
        }));
        assert!(matches!(
            fate(&entry("a/.git/x.csv"), &[], &opts),
            Fate::Hidden
        ));
        assert!(matches!(
            fate(&entry("a/~$x.xlsx"), &[], &opts),
            Fate::Hidden
        ));
        assert!(matches!(
            fate(&entry("out/users.csv"), &["out/".into()], &opts),
            Fate::Folder
        ));
        let locked = Entry {
            encrypted: true,
            ..entry("users.csv")
        };
        assert!(matches!(
            fate(&locked, &[], &opts),
            Fate::Refused(Refusal::Encrypted)
        ));
        let bomb = Entry {
            size: 100 << 20,
            packed: 100 << 10,
            ..entry("users.csv")
        };
        assert!(matches!(
            fate(&bomb, &[], &opts),
            Fate::Refused(Refusal::OverLimit(o)) if o.limit == "zip-ratio"
        ));
        assert!(matches!(
            fate(&entry("Exports/USERS.CSV"), &[], &opts),
            Fate::Read
        ));
    }
}
