//! Ingest: the files a customer hands over, in whatever dialect, encoding and locale, read into
//! batches for the directory builder, with an account of every file.
//!
//! Owns: finding input files, encodings ([`encoding`]), CSV shape ([`sniff`], [`csv_file`]),
//! workbooks ([`xlsx_file`]), producers ([`dialect`]), tenant exports ([`tenant`]), header
//! spellings ([`columns`]) and cell formats ([`values`]), configuration exports of the SfB and
//! tenant cmdlets ([`config`]: JSON, CLIXML, Format-List). Must not touch: identity merging and
//! references (that is `directory`),
//! rules, scenarios or outputs. Only this module knows CSV and XLSX.

mod archive;
pub mod columns;
pub mod config;
pub mod csv_file;
pub mod dialect;
pub mod encoding;
mod kit;
pub mod limits;
pub mod records;
pub mod rows;
pub mod sniff;
pub mod tenant;
pub mod values;
pub mod xlsx_file;

use columns::{Column, ColumnMap};
use dialect::{KindHint, Plan, Refusal};
use hybridready_directory::{
    Attr, Directory, DirectoryBuilder, FileId, ObjectKind, RecordBatch, Rejection,
};
use hybridready_rules::{Field, registry};
use limits::Limit;
use rows::{RowReader, RowStats};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Whether a file (or sheet) was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputStatus {
    Read,
    /// Deliberately not read (an ADRecon file about computers, a workbook's summary sheet).
    Ignored,
    /// Could not be read: see `refusal`.
    Refused,
}

/// A column the table lacks, and what its absence leaves unchecked.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct MissingColumn {
    pub column: String,
    /// The rules its absence leaves unchecked (its other uses: the catalogues' `column.<name>`).
    pub rules: Vec<&'static str>,
}

/// Everything known about one input file or workbook sheet.
#[derive(Clone, Debug, Serialize)]
pub struct InputReport {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub status: InputStatus,
    /// The dialect id (`powershell`, `csvde`, `adrecon-users`, …) or the status.
    pub format: String,
    pub details: String,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub type_line: Option<String>,
    pub bytes: u64,
    /// SHA-256 of the file's bytes, for the report's list of inputs.
    pub sha256: Option<String>,
    pub rows: u64,
    pub accepted: u64,
    pub merged: u64,
    pub rejected: u64,
    pub rows_default_to: Option<String>,
    pub columns_recognised: Vec<(String, String)>,
    pub columns_unrecognised: Vec<String>,
    pub columns_missing: Vec<MissingColumn>,
    pub value_errors: u64,
    pub value_error_examples: Vec<rows::ValueIssue>,
    pub data_lost: BTreeMap<String, u64>,
    pub object_classes: BTreeMap<String, u64>,
    pub rejections: Vec<Rejection>,
    pub rejected_by_reason: BTreeMap<String, u64>,
    pub notes: Vec<String>,
    pub refusal: Option<Refusal>,
    /// What the collection kit's own files (manifest, sections) say about the kit folder.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kit: Vec<hybridready_assessment::KitNote>,
    /// A kit manifest's rows (line, record), checked once every input is read.
    #[serde(skip)]
    kit_manifest: Vec<(u64, csv::StringRecord)>,
    #[serde(skip)]
    pub file_id: Option<FileId>,
    /// The users of a tenant export, on their way to the directory once it is built.
    #[serde(skip)]
    tenant_users: Vec<hybridready_directory::cloud::CloudUser>,
}

impl InputReport {
    fn new(path: &Path, sheet: Option<String>, bytes: u64) -> Self {
        Self::named(path.display().to_string(), sheet, bytes)
    }
    /// The report of an input named as messages show it: a path, or `archive.zip/inner/name`.
    fn named(path: String, sheet: Option<String>, bytes: u64) -> Self {
        InputReport {
            path,
            sheet,
            status: InputStatus::Read,
            format: String::new(),
            details: String::new(),
            encoding: None,
            delimiter: None,
            type_line: None,
            bytes,
            sha256: None,
            rows: 0,
            accepted: 0,
            merged: 0,
            rejected: 0,
            rows_default_to: None,
            columns_recognised: Vec::new(),
            columns_unrecognised: Vec::new(),
            columns_missing: Vec::new(),
            value_errors: 0,
            value_error_examples: Vec::new(),
            data_lost: BTreeMap::new(),
            object_classes: BTreeMap::new(),
            rejections: Vec::new(),
            rejected_by_reason: BTreeMap::new(),
            notes: Vec::new(),
            refusal: None,
            kit: Vec::new(),
            file_id: None,
            kit_manifest: Vec::new(),
            tenant_users: Vec::new(),
        }
    }
    /// `path` or `path#sheet`.
    pub fn display_name(&self) -> String {
        match &self.sheet {
            Some(s) => format!("{}#{}", self.path, s),
            None => self.path.clone(),
        }
    }
    fn refuse(&mut self, r: Refusal) {
        self.status = InputStatus::Refused;
        self.format = "refused".into();
        self.refusal = Some(r);
    }
    fn ignore(&mut self, why: String) {
        self.status = InputStatus::Ignored;
        self.format = "ignored".into();
        self.details = why;
    }
}

/// Something the run cannot go on without.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{0}: no such file or folder")]
    NotFound(String),
    #[error("{path}: cannot list the folder: {source}")]
    Walk {
        path: String,
        source: std::io::Error,
    },
    #[error("no export found in {0}")]
    NoInputs(String),
    #[error("{0} is an output folder of hybridready, not exports")]
    OutputFolder(String),
}

/// Progress of a long ingest, for a progress bar.
pub enum Progress<'a> {
    /// Bytes to read in all.
    Start(u64),
    /// Now reading this file.
    File(&'a str),
    /// This many more bytes read.
    Advance(u64),
}

#[derive(Default)]
pub struct IngestOptions<'a> {
    pub columns: ColumnMap,
    /// Files to leave out of folder walks (the scenario's own affinity files, …).
    pub exclude: Vec<PathBuf>,
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
    /// The limits on hostile input (`--limit NAME=VALUE`).
    pub limits: limits::Limits,
}

impl IngestOptions<'_> {
    fn report(&self, p: Progress) {
        if let Some(f) = self.progress {
            f(p)
        }
    }
}

/// The merged directory and the account of every input.
pub struct Ingested {
    pub directory: Directory,
    pub inputs: Vec<InputReport>,
    /// The scenario settings the configuration exports give, in file order.
    pub settings: Vec<hybridready_assessment::setting::FileSetting>,
    /// Hidden files (a name starting with `.`) and Office lock files (`~$`) met and not read,
    /// in folders and in zips: counted, not listed.
    pub hidden: u64,
}

impl Ingested {
    /// Inputs that could not be read: the reason for exit code 2.
    pub fn refused(&self) -> impl Iterator<Item = &InputReport> {
        self.inputs
            .iter()
            .filter(|i| i.status == InputStatus::Refused)
    }
}

const EXTENSIONS: &[&str] = &[
    "csv", "tsv", "txt", "xlsx", "xlsm", "xls", "xlsb", "ods", "zip", "json", "xml", "clixml",
];
/// Names that say a document rather than a table: one that does not parse is refused, not read
/// as CSV.
const DOCUMENT_EXTENSIONS: &[&str] = &["json", "xml", "clixml"];
const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods"];

fn extension(p: &Path) -> String {
    p.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Why a file of a kind the tool does not read is passed over, the kinds listed from
/// [`EXTENSIONS`].
fn not_an_export() -> String {
    let kinds: Vec<String> = EXTENSIONS.iter().map(|e| e.to_ascii_uppercase()).collect();
    format!("not an export the tool reads ({})", kinds.join(", "))
}

/// Whether a file or zip entry name is hidden (`.DS_Store`, `.git`) or an Office lock file
/// (`~$users.xlsx`): passed over without a line, and counted.
fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name.starts_with("~$")
}

/// The file the tool writes in each of its output folders: a folder holding it is never read
/// as an input (its `waves.csv` and worklists are CSV files too).
pub const OUTPUT_MARKER: &str = ".hybridready-output";

/// What a folder walk found: the files to read, and those it passed over with why.
pub struct Collected {
    pub files: Vec<PathBuf>,
    /// Files seen but not read: not regular files (a pipe, a device: reading one may never end),
    /// a file already listed through another path (a link), or a file of a kind the tool does
    /// not read.
    pub passed_over: Vec<(PathBuf, String)>,
    /// Hidden files and Office lock files met (see [`is_hidden`]).
    pub hidden: u64,
}

/// Expands folders (recursively, in sorted order) into the CSV and XLSX files they hold.
///
/// Links are followed, but each folder and each file only once (by device and inode): a link
/// back up the tree neither loops nor lists a file twice. Pipes, devices and sockets are never
/// opened (a pipe blocks until a writer comes, `/dev/zero` never ends).
pub fn collect_inputs(paths: &[PathBuf], exclude: &[PathBuf]) -> Result<Collected, IngestError> {
    let excluded = |p: &Path| {
        let c = p.canonicalize().ok();
        exclude.iter().any(|e| {
            e.canonicalize()
                .ok()
                .is_some_and(|e| Some(&e) == c.as_ref())
        })
    };
    let mut seen = Seen::default();
    let mut out = Collected {
        files: Vec::new(),
        passed_over: Vec::new(),
        hidden: 0,
    };
    for p in paths {
        if !p.exists() {
            return Err(IngestError::NotFound(p.display().to_string()));
        }
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            let mut found = Vec::new();
            let mut skipped = Vec::new();
            while let Some(d) = stack.pop() {
                if !seen.first_time(&d) {
                    continue; // A link to a folder already walked.
                }
                if d.join(OUTPUT_MARKER).exists() {
                    out.passed_over.push((
                        d.clone(),
                        "an output folder of hybridready: its files are not inputs".into(),
                    ));
                    continue;
                }
                let entries = std::fs::read_dir(&d).map_err(|source| IngestError::Walk {
                    path: d.display().to_string(),
                    source,
                })?;
                for e in entries.flatten() {
                    let path = e.path();
                    if path
                        .file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(is_hidden)
                    {
                        out.hidden += 1;
                        continue;
                    }
                    // Follows a link; a dangling one is listed, to be refused as unreadable.
                    let meta = std::fs::metadata(&path).ok();
                    if meta.as_ref().is_some_and(|m| m.is_dir()) {
                        stack.push(path);
                    } else if excluded(&path) {
                        // The scenario's own files: read by the simulation, not as exports.
                    } else if EXTENSIONS.contains(&extension(&path).as_str()) {
                        found.push((path, meta));
                    } else {
                        skipped.push((path, not_an_export()));
                    }
                }
            }
            if p.join(OUTPUT_MARKER).exists() {
                return Err(IngestError::OutputFolder(p.display().to_string()));
            }
            if found.is_empty() {
                return Err(IngestError::NoInputs(p.display().to_string()));
            }
            skipped.sort();
            out.passed_over.extend(skipped);
            // Files before links to them, so a file is listed under its own name.
            let is_link = |p: &Path| p.symlink_metadata().is_ok_and(|m| m.is_symlink());
            found.sort_by_cached_key(|(p, _)| (is_link(p), p.clone()));
            let first = out.files.len();
            for (path, meta) in found {
                match meta {
                    Some(m) if !m.is_file() => out.passed_over.push((
                        path,
                        "not a regular file (a pipe, a device or a socket): not opened".into(),
                    )),
                    Some(_) => match seen.first_file(&path, &out.files) {
                        None => out.files.push(path),
                        Some(same) => {
                            let why = format!(
                                "the same file as {}, reached through a link: read once",
                                same.display()
                            );
                            out.passed_over.push((path, why));
                        }
                    },
                    None => out.files.push(path),
                }
            }
            out.files[first..].sort();
        } else {
            out.files.push(p.clone());
        }
    }
    Ok(out)
}

/// Folders and files met in a walk, by device and inode.
#[derive(Default)]
struct Seen {
    ids: std::collections::HashMap<(u64, u64), Option<usize>>,
}

impl Seen {
    #[cfg(unix)]
    fn id(path: &Path) -> Option<(u64, u64)> {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    fn id(path: &Path) -> Option<(u64, u64)> {
        let _ = path;
        None
    }
    /// Whether the folder `path` is met for the first time.
    fn first_time(&mut self, path: &Path) -> bool {
        match Self::id(path) {
            Some(id) => self.ids.insert(id, None).is_none(),
            None => true,
        }
    }
    /// `None` if the file `path` is new (it is about to be `files[files.len()]`), else the
    /// path it was listed under.
    fn first_file<'f>(&mut self, path: &Path, files: &'f [PathBuf]) -> Option<&'f PathBuf> {
        let id = Self::id(path)?;
        match self.ids.get(&id) {
            Some(Some(i)) => files.get(*i),
            _ => {
                self.ids.insert(id, Some(files.len()));
                None
            }
        }
    }
}

/// Reads every input into one directory.
pub fn ingest(paths: &[PathBuf], opts: &IngestOptions) -> Result<Ingested, IngestError> {
    keep_freed_memory();
    let Collected {
        files,
        passed_over,
        hidden,
    } = collect_inputs(paths, &opts.exclude)?;
    let total: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    opts.report(Progress::Start(total));
    let mut sink = Sink {
        builder: DirectoryBuilder::new(),
        next_id: 0,
        inputs: Vec::new(),
        hidden,
        config_files: Vec::new(),
    };
    let mut folder_domains: std::collections::HashMap<PathBuf, Option<String>> = Default::default();
    for f in &files {
        let name = f.display().to_string();
        opts.report(Progress::File(&name));
        // Looked at before the file is opened: the limit bounds what reading it would take.
        let size = std::fs::metadata(f).map_or(0, |m| m.len());
        if let Err(over) = opts.limits.check(Limit::FileSize, size) {
            let mut r = InputReport::new(f, None, size);
            r.refuse(over.refusal());
            sink.inputs.push(r);
            opts.report(Progress::Advance(size));
            continue;
        }
        let bytes = match read_input(f) {
            Ok(b) => b,
            Err(e) => {
                let mut r = InputReport::new(f, None, 0);
                r.refuse(Refusal::Unreadable {
                    error: e.to_string(),
                });
                sink.inputs.push(r);
                continue;
            }
        };
        let len = bytes.len() as u64;
        let source = Source {
            name,
            ext: extension(f),
            stem: stem(f),
            domain: f
                .parent()
                .and_then(|p| folder_domain(p, &opts.limits, &mut folder_domains)),
        };
        let reported = std::sync::atomic::AtomicU64::new(0);
        if archive::is_archive(&source.ext, &bytes) {
            archive::read(&source, &bytes, opts, &mut sink);
        } else {
            read_bytes(&source, &bytes, opts, &mut sink, &reported);
        }
        hybridready_directory::drop_aside(bytes);
        let done = reported.load(std::sync::atomic::Ordering::Relaxed);
        opts.report(Progress::Advance(len.saturating_sub(done)));
    }
    let Sink {
        builder,
        mut inputs,
        hidden,
        config_files,
        ..
    } = sink;
    // After the files read: what a folder walk passed over, each with why.
    inputs.extend(passed_over.into_iter().map(|(path, why)| {
        let mut r = InputReport::new(&path, None, 0);
        r.ignore(why);
        r
    }));
    let mut directory = builder.finish();
    for r in &mut inputs {
        if r.format == TENANT_FORMATS[0] || r.format == TENANT_FORMATS[1] {
            directory.add_cloud_users(std::mem::take(&mut r.tenant_users));
        }
        if let Some(id) = r.file_id
            && let Some(acc) = directory.file_accounts().get(id.0 as usize)
        {
            r.rows = acc.rows;
            r.accepted = acc.accepted;
            r.merged = acc.merged;
            r.rejected = acc.rejected;
            r.rejections = acc.rejections.clone();
            r.rejected_by_reason = acc.rejected_by_reason.clone();
        }
    }
    // A zip (or a folder of zips) holding nothing the tool reads: said, as for an empty folder,
    // rather than an assessment of nothing.
    if !inputs.is_empty() && inputs.iter().all(|r| r.status == InputStatus::Ignored) {
        let given: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(IngestError::NoInputs(given.join(", ")));
    }
    kit::verify_manifests(&mut inputs);
    let settings = config::settings(&config_files);
    for r in &mut inputs {
        if r.format == CONFIG_FORMAT {
            r.notes
                .extend(
                    settings
                        .iter()
                        .filter(|s| s.at.file == r.path)
                        .map(|s| match s.at.line {
                            Some(l) => format!("sets {} = {} (line {l})", s.key, s.value),
                            None => format!("sets {} = {}", s.key, s.value),
                        }),
                );
        }
    }
    Ok(Ingested {
        directory,
        inputs,
        settings,
        hidden,
    })
}

/// One input to read: a file, or an entry of a zip, which is never a path on the disk.
struct Source {
    /// As every message, report and worklist names it: the path, or `archive.zip/inner/name`.
    name: String,
    /// Its extension, in lower case.
    ext: String,
    /// Its name without folder or extension (an ADRecon output is known by it).
    stem: String,
    /// The domain its folder's ADRecon `Domain.csv` names.
    domain: Option<String>,
}

/// Where the inputs read so far go: the directory, and the account of every input.
struct Sink {
    builder: DirectoryBuilder,
    next_id: u32,
    inputs: Vec<InputReport>,
    hidden: u64,
    /// The configuration exports read, in order (their settings are joined at the end).
    config_files: Vec<config::ConfigFile>,
}

/// Reads one input's bytes, a workbook or a CSV, and gives each of its reports the digest of
/// the bytes.
fn read_bytes(
    source: &Source,
    bytes: &[u8],
    opts: &IngestOptions,
    sink: &mut Sink,
    reported: &std::sync::atomic::AtomicU64,
) {
    let first_new = sink.inputs.len();
    // The collection kit's own files (its manifest, its sections' outcomes).
    if let Some(r) = kit::read(Path::new(&source.name), bytes) {
        sink.inputs.push(r);
        return;
    }
    let is_workbook = is_workbook(&source.ext, bytes);
    if !is_workbook && let Some(r) = read_config(source, bytes, &mut sink.config_files) {
        sink.inputs.push(r);
        return;
    }
    // The digest (for the report's list of inputs) runs beside the parse.
    let (sha, ()) = rayon::join(
        || sha256_hex(bytes),
        || {
            if is_workbook {
                read_workbook_file(source, bytes, opts, sink);
            } else {
                let id = FileId(sink.next_id);
                sink.next_id += 1;
                if let Some(d) = &source.domain {
                    sink.builder.set_file_domain(id, d);
                }
                let mut r = read_csv_file(source, bytes, id, opts, &mut sink.builder, reported);
                let ext = &source.ext;
                if WORKBOOK_EXTENSIONS.contains(&ext.as_str()) {
                    r.notes.insert(
                        0,
                        format!("named .{ext}, but it is text, not a workbook: read as CSV"),
                    );
                }
                sink.inputs.push(r);
            }
        },
    );
    for r in &mut sink.inputs[first_new..] {
        r.sha256 = Some(sha.clone());
    }
}

/// The `format` of a configuration export's report.
pub const CONFIG_FORMAT: &str = "configuration";

/// Reads a file as a configuration export, if it is one: its report, or `None` for a table.
fn read_config(
    source: &Source,
    bytes: &[u8],
    files: &mut Vec<config::ConfigFile>,
) -> Option<InputReport> {
    let ext = &source.ext;
    let path = Path::new(&source.name);
    let named = DOCUMENT_EXTENSIONS.contains(&ext.as_str());
    let head = &bytes[..bytes.len().min(4096)];
    // Only text that starts like a document or a property list is looked at twice: a table is
    // decoded once, by its reader (decoding every CSV here as well took 2 s of a 1M ingest).
    if !named
        && !head.is_empty()
        && (!looks_like_text(head) || !config::might_be(encoding::decode(head).as_str()))
    {
        return None;
    }
    let decoded = encoding::decode(bytes);
    let mut r = InputReport::named(source.name.clone(), None, bytes.len() as u64);
    r.encoding = Some(decoded.encoding.name.clone());
    r.sha256 = Some(sha256_hex(bytes));
    match config::read(path, decoded.as_str(), named) {
        config::Outcome::NotConfig if named && bytes.is_empty() => r.refuse(Refusal::Empty),
        config::Outcome::NotConfig if named => r.ignore(format!(
            ".{ext} file that is neither JSON nor PowerShell's CLIXML: not read"
        )),
        config::Outcome::NotConfig => return None,
        config::Outcome::Unknown(why) => r.ignore(why),
        config::Outcome::Refused(x) => r.refuse(x),
        config::Outcome::Read(c) => {
            r.format = CONFIG_FORMAT.into();
            r.details = format!(
                "{} output, {} object(s), as {}",
                c.cmdlet.name(),
                c.objects,
                c.serialisation.describe()
            );
            r.notes.extend(c.notes.iter().cloned());
            files.push(c);
        }
    }
    Some(r)
}

/// Whether a file is read as a workbook: a zip (whatever its name: a workbook saved as .csv), an
/// OLE2 compound file (an .xls, or an encrypted workbook), or any file with a workbook's name
/// except text: a CSV export named .xlsx is read as the CSV it is, not refused as a bad zip.
fn is_workbook(ext: &str, bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(xlsx_file::OLE2_MAGIC)
        || (WORKBOOK_EXTENSIONS.contains(&ext) && !looks_like_text(bytes))
}

/// Whether a text holding NUL bytes is binary data rather than text with a few NULs in its
/// values: control bytes other than tabs and line ends are strewn over every line of binary
/// data (one byte in nine), and on few lines of text. Two NULs in a name refused a whole
/// export, without saying where.
fn is_binary(text: &[u8]) -> bool {
    let control = |b: &u8| *b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r');
    let (mut lines, mut with_control) = (0usize, 0usize);
    for line in text.split(|&b| b == b'\n') {
        lines += 1;
        with_control += usize::from(line.iter().any(control));
    }
    with_control * 2 > lines
}

/// Whether a file's first KiB decodes to text with no NUL and no control character other than
/// tab and line ends (a CSV or tab-separated export, in any encoding the reader knows).
fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    if head.is_empty() {
        return false;
    }
    let decoded = encoding::decode(head);
    !decoded
        .as_str()
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
}

/// The domain an ADRecon folder describes (its `Domain.csv`'s `Name`), so that its name-only
/// references (`Group Name`, `Member UserName`) resolve within that domain.
fn folder_domain(
    dir: &Path,
    limits: &limits::Limits,
    cache: &mut std::collections::HashMap<PathBuf, Option<String>>,
) -> Option<String> {
    cache
        .entry(dir.to_path_buf())
        .or_insert_with(|| {
            // Over the file-size limit, it is refused as an input of its own.
            let path = dir.join("Domain.csv");
            let size = std::fs::metadata(&path).ok()?.len();
            limits.check(Limit::FileSize, size).ok()?;
            domain_of_domain_csv(&std::fs::read(path).ok()?)
        })
        .clone()
}

/// The `Name` an ADRecon `Domain.csv` (a `Category, Value` table) gives.
fn domain_of_domain_csv(bytes: &[u8]) -> Option<String> {
    let decoded = encoding::decode(bytes);
    domain_name_of_facts(decoded.as_str().lines().map(|l| {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(l.as_bytes());
        r.records()
            .next()
            .and_then(Result::ok)
            .map(|rec| {
                (
                    rec.get(0).unwrap_or("").to_string(),
                    rec.get(1).unwrap_or("").to_string(),
                )
            })
            .unwrap_or_default()
    }))
}

/// The `Name` of an ADRecon `Category, Value` domain table.
fn domain_name_of_facts(rows: impl Iterator<Item = (String, String)>) -> Option<String> {
    rows.into_iter()
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("name"))
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| v.contains('.'))
}

/// A whole input's bytes: the page cache's own pages when the file is large, a copy otherwise.
enum InputBytes {
    Read(Vec<u8>),
    #[cfg(unix)]
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for InputBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            InputBytes::Read(v) => v,
            #[cfg(unix)]
            InputBytes::Mapped(m) => m,
        }
    }
}

/// Reads a whole input. A large file is mapped rather than read: copying hundreds of megabytes
/// out of the page cache (and faulting in a buffer for them) cost a second of CPU at a million
/// users, while the mapping's pages are faulted in, a run at a time, by the threads that parse
/// them.
#[cfg(unix)]
fn read_input(path: &Path) -> std::io::Result<InputBytes> {
    const MAP_FROM: u64 = 8 << 20;
    // Looked at before opening: opening a pipe waits for a writer, and reading a device such
    // as /dev/zero never ends.
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::other(
            "not a regular file (a pipe, a device or a socket): not opened",
        ));
    }
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let len = meta.len();
    // The 10,000-user test directories are mapped too.
    if len < MAP_FROM {
        use std::io::Read;
        let mut bytes = Vec::with_capacity(len as usize);
        (&file).read_to_end(&mut bytes)?;
        return Ok(InputBytes::Read(bytes));
    }
    // SAFETY: the mapping is read-only and private to this process; what no mapping can rule out
    // is another process truncating the file while it is read, which would end this one with
    // SIGBUS (ripgrep makes the same trade). A customer's export is not being rewritten while a
    // consultant assesses it; a file whose length changed between the look above and the
    // mapping is refused below.
    let map = unsafe { memmap2::MmapOptions::new().map(&file)? };
    if file.metadata()?.len() != len || map.len() as u64 != len {
        return Err(std::io::Error::other(
            "the file changed while it was being read",
        ));
    }
    Ok(InputBytes::Mapped(map))
}

#[cfg(not(unix))]
fn read_input(path: &Path) -> std::io::Result<InputBytes> {
    std::fs::read(path).map(InputBytes::Read)
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string()
}

/// The rules a missing column leaves unchecked, named by the rule registry (rules declare what
/// they read, so the list is never written twice). Its other uses are worded by the report's
/// catalogues, by column name.
fn rules_reading(field: Field) -> Vec<&'static str> {
    registry::reading(field).map(|r| r.id).collect()
}

/// Columns worth having for rows of a kind, with the field each stands for.
fn expected_columns(kind: Option<KindHint>) -> Vec<(Column, Option<Field>)> {
    let dn = (Column::Dn, Some(Field::Dn));
    let attr = |a: Attr| (Column::Attr(a), Some(Field::Attr(a)));
    match kind {
        Some(KindHint::Object(ObjectKind::User)) => vec![
            dn,
            attr(Attr::ObjectGuid),
            attr(Attr::SamAccountName),
            attr(Attr::UserPrincipalName),
            attr(Attr::DisplayName),
            attr(Attr::Mail),
            attr(Attr::ProxyAddresses),
            attr(Attr::MailNickname),
            (Column::MemberOf, Some(Field::Members)),
            (Column::Manager, None),
            attr(Attr::IsCriticalSystemObject),
            attr(Attr::MsExchRecipientTypeDetails),
            attr(Attr::SipAddress),
            attr(Attr::SfbEnabled),
            attr(Attr::HostingProvider),
        ],
        Some(KindHint::Object(ObjectKind::Group)) => vec![
            dn,
            attr(Attr::SamAccountName),
            attr(Attr::Mail),
            attr(Attr::ProxyAddresses),
            attr(Attr::GroupType),
            (Column::Members, Some(Field::Members)),
        ],
        Some(KindHint::Object(ObjectKind::Contact)) => vec![
            dn,
            attr(Attr::Mail),
            attr(Attr::ProxyAddresses),
            attr(Attr::DisplayName),
        ],
        _ => Vec::new(),
    }
}

fn missing_columns(plan: &Plan) -> Vec<MissingColumn> {
    let alternatives = |c: Column| -> Vec<Column> {
        match c {
            Column::Attr(Attr::GroupType) => vec![
                Column::Attr(Attr::GroupType),
                Column::Attr(Attr::GroupCategory),
            ],
            Column::Members => vec![Column::Members, Column::MemberOf],
            Column::Attr(Attr::SfbEnabled) | Column::Attr(Attr::HostingProvider) => {
                vec![c, Column::Attr(Attr::SipAddress)]
            }
            _ => vec![c],
        }
    };
    let sfb_table = plan.has_attr(Attr::SipAddress);
    expected_columns(plan.kind_hint)
        .into_iter()
        .filter(|(c, _)| {
            // SfB columns only matter on a table that has some SfB data, or lacks all of it.
            let is_sfb = matches!(
                c,
                Column::Attr(Attr::SfbEnabled) | Column::Attr(Attr::HostingProvider)
            );
            if is_sfb && !sfb_table {
                return false;
            }
            !alternatives(*c).iter().any(|a| plan.has(*a))
        })
        .map(|(c, field)| MissingColumn {
            column: c.name().to_string(),
            rules: field.map(rules_reading).unwrap_or_default(),
        })
        .collect()
}

fn describe_plan(r: &mut InputReport, plan: &Plan) {
    r.format = plan.dialect.id().to_string();
    r.details = plan.dialect.describe().to_string();
    r.columns_recognised = plan.recognised.clone();
    r.columns_unrecognised = plan.unrecognised.clone();
    // Two columns for one attribute (a header written twice, or two spellings of it): said,
    // with which one is read, rather than the first winning unsaid.
    for (target, cols) in &plan.targets {
        if cols.len() < 2 || *target == Column::Unused {
            continue;
        }
        let names: Vec<String> = cols
            .iter()
            .map(|&c| format!("\"{}\"", plan.headers.get(c).map_or("", String::as_str)))
            .collect();
        r.notes.push(format!(
            "columns {} all give {}: on each row the first that is not empty is read",
            names.join(", "),
            target.name()
        ));
    }
    r.columns_missing = missing_columns(plan);
    r.rows_default_to = match (plan.kind_hint, &plan.kind_hint_source) {
        (Some(k), Some(src)) => Some(format!(
            "{} ({src})",
            match k {
                KindHint::Object(o) => o.as_str(),
                KindHint::Ou => "organizational unit",
                KindHint::Computer => "computer (not modelled)",
            }
        )),
        _ => None,
    };
}

fn finish_stats(r: &mut InputReport, stats: RowStats) {
    for (col, n) in &stats.data_lost {
        r.notes.push(format!(
            "column {col}: {n} cell(s) hold a type name instead of values: the values were lost at \
             export. Fix: join them before Export-Csv, e.g. @{{n='{col}';e={{$_.{col} -join ';'}}}}"
        ));
    }
    if stats.lost_letters > 0 {
        r.notes.push(format!(
            "{} value(s) hold a '?' where the ASCII export lost a letter (an é, an ö): each is read \
             as an unknown non-ASCII letter, shown as \u{FFFD}. Fix: export with -Encoding UTF8",
            stats.lost_letters
        ));
    }
    r.value_errors = stats.value_errors;
    r.value_error_examples = stats.value_error_examples;
    r.data_lost = stats.data_lost;
    r.object_classes = stats.classes;
}

fn read_csv_file(
    source: &Source,
    bytes: &[u8],
    id: FileId,
    opts: &IngestOptions,
    builder: &mut DirectoryBuilder,
    reported: &std::sync::atomic::AtomicU64,
) -> InputReport {
    let mut r = InputReport::named(source.name.clone(), None, bytes.len() as u64);
    if bytes.is_empty() {
        r.refuse(Refusal::Empty);
        return r;
    }
    let mut decoded = encoding::decode(bytes);
    r.encoding = Some(decoded.encoding.name.clone());
    if decoded.cr_only_to_lf() {
        r.notes
            .push("lines end with a CR alone (classic Mac OS): read as line ends".into());
    }
    if decoded.encoding.replaced > 0 {
        let lines = &decoded.encoding.replaced_lines;
        let at = match lines.as_slice() {
            [] => String::new(),
            [one] => format!(" (line {one})"),
            many => {
                let list: Vec<String> = many.iter().map(u64::to_string).collect();
                let more = if decoded.encoding.replaced > many.len() {
                    ", …"
                } else {
                    ""
                };
                format!(" (lines {}{more})", list.join(", "))
            }
        };
        r.notes.push(format!(
            "{} byte sequence(s) could not be decoded as {} and were replaced by U+FFFD{at}",
            decoded.encoding.replaced, decoded.encoding.name
        ));
    }
    let text = decoded.text();
    let blocks = csv_file::count_blocks(text, csv_file::CHUNK);
    let nul_bytes = blocks.has_nul();
    if nul_bytes && is_binary(text) {
        r.refuse(Refusal::Binary);
        return r;
    }
    let pre = sniff::preamble(text);
    r.delimiter = Some(sniff::delimiter_name(pre.delimiter).to_string());
    r.type_line = pre.type_hint.clone();
    let (headers, body) = csv_file::read_header(text, pre.header_offset, pre.delimiter);
    let stem = &source.stem;
    if dialect::adrecon_ignored(stem) {
        r.ignore(format!(
            "{stem}: an ADRecon output about neither users, groups, OUs, domains nor trusts"
        ));
        return r;
    }
    if let Some(table) = tenant::kind_of(&headers) {
        let body_line = pre.header_line
            + text[pre.header_offset..body]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
        read_tenant_table(
            &mut r,
            table,
            &text[body..],
            body_line,
            pre.delimiter,
            &headers,
            id,
        );
        return r;
    }
    let mut plan = match dialect::plan(&headers, pre.type_hint.as_deref(), stem, &opts.columns) {
        Ok(p) => p,
        Err(refusal) => {
            r.refuse(refusal);
            return r;
        }
    };
    plan.nul_bytes = nul_bytes;
    describe_plan(&mut r, &plan);
    if r.encoding.as_deref() == Some("ASCII") && pre.type_hint.is_some() {
        r.details
            .push_str(", Windows PowerShell 5.1 (#TYPE line, ASCII)");
        plan.lost_letters = true;
    }
    r.file_id = Some(id);
    builder.register_file(id);
    let body_line = pre.header_line
        + text[pre.header_offset..body]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
    let chunks = csv_file::chunks(text, body, body_line, &blocks);
    let stats = read_chunks(
        decoded.as_str(),
        &chunks,
        pre.delimiter,
        &plan,
        id,
        builder,
        opts,
        reported,
    );
    finish_stats(&mut r, stats);
    r
}

/// The `format` of the two tenant exports, as `inspect` and `summary.json` show it.
const TENANT_FORMATS: [&str; 2] = ["get-csonlineuser", "get-mguser"];

/// Reads a Get-CsOnlineUser or Get-MgUser table into `r` (its users are added to the directory
/// once it is built).
fn read_tenant_table(
    r: &mut InputReport,
    table: tenant::TenantTable,
    body: &[u8],
    body_line: u64,
    delimiter: u8,
    headers: &[String],
    id: FileId,
) {
    let (format, details) = match table {
        tenant::TenantTable::CsOnlineUser => (
            TENANT_FORMATS[0],
            "Get-CsOnlineUser export (users as the tenant holds them)",
        ),
        tenant::TenantTable::GraphUser => (
            TENANT_FORMATS[1],
            "Get-MgUser export (users as Entra ID holds them)",
        ),
    };
    r.format = format.into();
    r.details = details.into();
    for h in headers {
        match tenant::column_meaning(h) {
            Some(m) => r.columns_recognised.push((h.clone(), m.to_string())),
            None => r.columns_unrecognised.push(h.clone()),
        }
    }
    let rows = tenant::read(table, body, body_line, delimiter, headers, id);
    let acc = rows.account;
    (r.rows, r.accepted, r.rejected) = (acc.rows, acc.accepted, acc.rejected);
    r.rejections = acc.rejections;
    r.rejected_by_reason = acc.rejected_by_reason;
    r.value_errors = rows.stats.value_errors;
    r.value_error_examples = rows.stats.value_error_examples;
    r.tenant_users = rows.users;
}

/// How far the merge has got through a file's chunks, for the parse workers that keep within a
/// bounded distance of it. A worker that is too far ahead sleeps until the merge moves on, and is
/// woken then: polling every millisecond instead left a core idle for the rest of each
/// millisecond whenever both workers waited (over seven hundred waits at a million users).
struct MergeProgress {
    merged: AtomicUsize,
    stop: AtomicBool,
    lock: std::sync::Mutex<()>,
    moved: std::sync::Condvar,
}

impl MergeProgress {
    fn new() -> Self {
        MergeProgress {
            merged: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            lock: std::sync::Mutex::new(()),
            moved: std::sync::Condvar::new(),
        }
    }

    /// The merge has merged `n` chunks.
    fn advance(&self, n: usize) {
        self.merged.store(n, Ordering::Release);
        self.wake();
    }

    /// Releases every waiting worker for good.
    fn stop(&self) {
        self.stop.store(true, Ordering::Release);
        self.wake();
    }

    fn wake(&self) {
        // Taken and released so that a worker between its check and its wait is not missed.
        drop(self.lock.lock());
        self.moved.notify_all();
    }

    /// Waits until chunk `i` is fewer than `ahead` chunks past the merge; false when stopped.
    fn wait_until_near(&self, i: usize, ahead: usize) -> bool {
        let near = || i < self.merged.load(Ordering::Acquire) + ahead;
        let stopped = || self.stop.load(Ordering::Acquire);
        if near() {
            return true;
        }
        let Ok(mut guard) = self.lock.lock() else {
            return false;
        };
        while !near() {
            if stopped() {
                return false;
            }
            // The timeout only bounds a wait on a merge that ended without saying so.
            match self
                .moved
                .wait_timeout(guard, std::time::Duration::from_millis(50))
            {
                Ok((g, _)) => guard = g,
                Err(_) => return false,
            }
        }
        true
    }
}

/// Releases the parse workers that wait for the merge to catch up, when dropped: always for the
/// merge (however it ends), and for a worker only when it panics, so that a bug on one thread
/// ends the run instead of leaving the others waiting for a chunk that will never come.
struct ReleaseWaiters<'s> {
    progress: &'s MergeProgress,
    always: bool,
}

impl Drop for ReleaseWaiters<'_> {
    fn drop(&mut self) {
        if self.always || std::thread::panicking() {
            self.progress.stop();
        }
    }
}

/// Parses the chunks on every thread of the pool while a thread of its own, outside the pool,
/// merges the finished batches in order: a merging pool thread would block on the channel and
/// leave the parse one core short.
#[allow(clippy::too_many_arguments)]
fn read_chunks(
    text: &str,
    chunks: &[csv_file::Chunk],
    delimiter: u8,
    plan: &Plan,
    file: FileId,
    builder: &mut DirectoryBuilder,
    opts: &IngestOptions,
    reported: &std::sync::atomic::AtomicU64,
) -> RowStats {
    if chunks.len() == 1 {
        let reader = RowReader::new(plan, &opts.limits);
        let (b, s, _) = csv_file::read_chunk(text, chunks[0], delimiter, reader, file, None, None);
        builder.absorb(&b);
        return s;
    }
    // A large file's references mostly name objects of earlier files (users.csv's memberOf, the
    // groups of groups.csv): the parsing threads resolve those themselves.
    let known = (builder.dn_count() > 0).then(|| builder.known_dns());
    let advance = |n: u64| {
        reported.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        opts.report(Progress::Advance(n));
    };
    let workers = rayon::current_num_threads().max(1);
    let total: usize = chunks.iter().map(|c| c.end - c.start).sum();
    // Lines are about rows: those before the last chunk, scaled to the whole file.
    let estimated_rows = match (chunks.first(), chunks.last()) {
        (Some(first), Some(last)) if last.start > first.start => {
            let lines = last.line.saturating_sub(first.line) as f64;
            (lines * total as f64 / (last.start - first.start) as f64 * 1.05) as usize
        }
        _ => 0,
    };
    // Each worker takes the next chunk as soon as it is done with one (no barrier between
    // rounds of chunks); the merge puts the batches back in file order. A worker keeps within
    // `ahead` chunks of the merge, so out-of-order batches never pile up. Four batches per
    // worker let the merge fall behind now and then (a batch of many new DNs, new pages of its
    // tables) without stopping the parse. A deeper backlog adds nothing when the parse and the
    // merge share the cores, and every batch it holds is about 6 MB of memory touched for the
    // first time: at a million users, eight batches out instead of thirty-two peaked about
    // 150 MB lower.
    let ahead = workers * 4;
    let limits = opts.limits;
    let next_chunk = AtomicUsize::new(0);
    let progress = MergeProgress::new();
    // Merged batches go back to the parse workers to be filled again (see RecordBatch::recycled).
    let spare = std::sync::Mutex::new(Vec::<RecordBatch>::new());
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, RecordBatch, RowStats)>(ahead);
        let (progress, spare) = (&progress, &spare);
        let merger = scope.spawn(move || {
            let _release = ReleaseWaiters {
                progress,
                always: true,
            };
            // Sized for the file's lines before the first batch comes (the tables' rehash would
            // otherwise hold up the merge, and the parse behind it, for a few tenths of a second).
            builder.reserve_objects(estimated_rows);
            let mut stats = RowStats::default();
            let mut waiting = std::collections::BTreeMap::new();
            let mut next = 0usize;
            for (i, b, s) in rx {
                waiting.insert(i, (b, s));
                while let Some((b, s)) = waiting.remove(&next) {
                    let bytes = (chunks[next].end - chunks[next].start) as u64;
                    if next == 0 {
                        // Values and references per row vary by file: scaled from the first chunk,
                        // with room to spare (the first rows of an export are often built-in
                        // accounts with fewer values). Room never used is address space only,
                        // while growing the text past it would copy hundreds of megabytes.
                        let scale = total as f64 / bytes.max(1) as f64;
                        let estimate = |n: usize| (n as f64 * scale * 1.5) as usize;
                        builder.reserve_values(
                            estimate(b.text.len()),
                            estimate(b.refs.len()),
                            estimate(b.dns.text_len()),
                        );
                    }
                    builder.absorb(&b);
                    // As many as may be out at once: a backlog the merge clears is refilled later.
                    if let Ok(mut spare) = spare.lock()
                        && spare.len() < ahead
                    {
                        spare.push(b);
                    }
                    stats.merge(s);
                    advance(bytes);
                    next += 1;
                    progress.advance(next);
                }
            }
            stats
        });
        rayon::scope(|s| {
            for _ in 0..workers {
                let tx = tx.clone();
                let (next_chunk, known, limits) = (&next_chunk, &known, &limits);
                s.spawn(move |_| {
                    let _release = ReleaseWaiters {
                        progress,
                        always: false,
                    };
                    loop {
                        let i = next_chunk.fetch_add(1, Ordering::Relaxed);
                        if i >= chunks.len() {
                            break;
                        }
                        if !progress.wait_until_near(i, ahead) {
                            return;
                        }
                        let reuse = spare.lock().ok().and_then(|mut s| s.pop());
                        let (b, st, _) = csv_file::read_chunk(
                            text,
                            chunks[i],
                            delimiter,
                            RowReader::new(plan, limits),
                            file,
                            known.clone(),
                            reuse,
                        );
                        if tx.send((i, b, st)).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        drop(tx);
        merger.join().expect("the merging thread panicked")
    })
}

fn read_workbook_file(source: &Source, bytes: &[u8], opts: &IngestOptions, sink: &mut Sink) {
    let Sink {
        builder,
        next_id,
        inputs,
        ..
    } = sink;
    let read = match xlsx_file::ole2_refusal(&source.ext, bytes) {
        Some(error) => Err(Refusal::Workbook { error }),
        None => xlsx_file::read_workbook(&source.ext, bytes, &opts.limits),
    };
    let sheets = match read {
        Ok(s) => s,
        Err(refusal) => {
            let mut r = InputReport::named(source.name.clone(), None, bytes.len() as u64);
            r.refuse(refusal);
            inputs.push(r);
            return;
        }
    };
    let mut read_any = false;
    // The ADRecon workbook's Domain sheet names the domain of every other sheet.
    let domain = sheets
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case("domain"))
        .and_then(|s| {
            domain_name_of_facts(s.rows.iter().map(|r| {
                (
                    r.first().cloned().unwrap_or_default(),
                    r.get(1).cloned().unwrap_or_default(),
                )
            }))
        });
    for sheet in sheets {
        let mut r = InputReport::named(source.name.clone(), Some(sheet.name.clone()), 0);
        r.encoding = Some("XLSX".into());
        if dialect::adrecon_ignored(&sheet.name) {
            r.ignore(format!(
                "sheet \"{}\": an ADRecon summary or a sheet about neither users, groups, OUs, \
                 domains nor trusts",
                sheet.name
            ));
            inputs.push(r);
            continue;
        }
        let Some(h) = xlsx_file::find_header(&sheet.rows, &opts.columns) else {
            r.ignore(format!(
                "sheet \"{}\": no row of AD column names in its first 30 rows",
                sheet.name
            ));
            inputs.push(r);
            continue;
        };
        let headers: Vec<String> = sheet.rows[h].iter().map(|s| s.trim().to_string()).collect();
        // Trailing empty header cells are formatting, not columns.
        let width = headers
            .iter()
            .rposition(|h| !h.is_empty())
            .map_or(0, |i| i + 1);
        let headers = headers[..width].to_vec();
        let plan = match dialect::plan(&headers, None, &sheet.name, &opts.columns) {
            Ok(p) => p,
            Err(refusal) => {
                r.refuse(refusal);
                inputs.push(r);
                continue;
            }
        };
        describe_plan(&mut r, &plan);
        if h > 0 {
            r.notes.push(format!(
                "header found on row {} (the rows above it were skipped)",
                sheet.first_row as usize + h
            ));
        }
        let id = FileId(*next_id);
        *next_id += 1;
        r.file_id = Some(id);
        builder.register_file(id);
        if let Some(d) = &domain {
            builder.set_file_domain(id, d);
        }
        let mut batch = RecordBatch::new(id).with_dn_limits(opts.limits.dn());
        let mut reader = RowReader::new(&plan, &opts.limits);
        for (i, row) in sheet.rows.iter().enumerate().skip(h + 1) {
            let n = row.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
            if n == 0 {
                continue;
            }
            let line = sheet.first_row as u64 + i as u64;
            // Empty cells past the last value are formatting: a row is as wide as the header unless
            // it holds values beyond it.
            reader.read(&mut batch, line, n.max(width), |c| {
                row.get(c).map_or("", String::as_str)
            });
        }
        builder.absorb(&batch);
        finish_stats(&mut r, reader.stats);
        read_any = true;
        inputs.push(r);
    }
    // A workbook none of whose sheets was read is an input error, not a silent exit 0: the
    // consultant gave it as exports and nothing of it reached the directory.
    if !read_any {
        let sheets = inputs
            .iter()
            .filter(|r| r.path == source.name && r.sheet.is_some())
            .count();
        let error = if sheets == 0 {
            "the workbook holds no sheet".to_string()
        } else {
            format!("none of its {sheets} sheet(s) holds AD objects (each is listed with why)")
        };
        let mut r = InputReport::named(source.name.clone(), None, bytes.len() as u64);
        r.refuse(Refusal::Workbook { error });
        inputs.push(r);
    }
}

// mimalloc is the global allocator of every binary built on hybridready (see the root crate);
// the option below is set through its C library, linked by this import.
use mimalloc as _;

/// Tells the allocator to keep freed memory for the rest of the run instead of returning it to
/// the system (mimalloc's default is after 10 ms). A large ingest frees blocks and allocates as
/// large ones again (each chunk's batch, the merge's tables, the finish's edge lists), and on a
/// virtual machine the first touch of a page the system hands out again costs microseconds. At
/// a million users, against a delay of one second: three pairs of ingests took 6% less CPU,
/// with the same peak; a whole assessment peaked 210 MB higher (2.5 GB) with 1.9 s less system
/// time. The tool runs once and exits, so what it keeps it gives back then.
fn keep_freed_memory() {
    // Linked in with the allocator (libmimalloc-sys builds the whole C library); its Rust
    // bindings for options sit behind a feature that brings another crate for two C types.
    unsafe extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    /// `mi_option_purge_delay` in mimalloc.h (versions 2 and 3).
    const PURGE_DELAY: std::ffi::c_int = 15;
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: the declaration matches mimalloc.h's `void mi_option_set(mi_option_t option, long
    // value)` (`mi_option_t` is a C enum, an int); setting an option is a plain store into
    // mimalloc's option table, valid at any time and from any thread, and it changes when memory
    // is returned to the system, never what a block holds. A delay of -1 is never.
    ONCE.call_once(|| unsafe { mi_option_set(PURGE_DELAY, -1) });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_ahead_of_the_merge_waits_until_it_moves_on_or_stops() {
        let progress = MergeProgress::new();
        assert!(progress.wait_until_near(3, 4), "within reach: no wait");
        std::thread::scope(|s| {
            let waiter = s.spawn(|| progress.wait_until_near(6, 4));
            std::thread::sleep(std::time::Duration::from_millis(20));
            assert!(!waiter.is_finished(), "chunk 6 is four past none merged");
            progress.advance(3);
            assert!(
                waiter.join().unwrap(),
                "released once chunk 6 is within reach"
            );
            let stopped = s.spawn(|| progress.wait_until_near(20, 4));
            std::thread::sleep(std::time::Duration::from_millis(20));
            progress.stop();
            assert!(
                !stopped.join().unwrap(),
                "released, without its chunk, when stopped"
            );
        });
    }
}
