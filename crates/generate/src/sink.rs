//! Output plumbing: atomic files and a CSV row writer that reproduces each producer's
//! quoting, delimiter, line ending and encoding byte for byte.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// A file written under a temporary name in its final folder and renamed into place on
/// [`AtomicFile::commit`], so a failed run never leaves a half-written file under the final
/// name. Dropped without commit, the temporary file is removed.
pub(crate) struct AtomicFile {
    tmp: PathBuf,
    dest: PathBuf,
    w: Option<BufWriter<File>>,
}

pub(crate) fn tmp_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    dest.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

impl AtomicFile {
    pub(crate) fn create(dest: &Path) -> Result<AtomicFile> {
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir)
                .with_context(|| format!("cannot create folder {}", dir.display()))?;
        }
        let tmp = tmp_path(dest);
        let f = File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        Ok(AtomicFile {
            tmp,
            dest: dest.to_path_buf(),
            w: Some(BufWriter::with_capacity(1 << 20, f)),
        })
    }

    pub(crate) fn write_all(&mut self, b: &[u8]) -> Result<()> {
        match self.w.as_mut() {
            Some(w) => w
                .write_all(b)
                .with_context(|| format!("cannot write {}", self.tmp.display())),
            None => Ok(()),
        }
    }

    pub(crate) fn commit(mut self) -> Result<PathBuf> {
        if let Some(w) = self.w.take() {
            let f = w
                .into_inner()
                .map_err(|e| e.into_error())
                .with_context(|| format!("cannot write {}", self.tmp.display()))?;
            drop(f);
        }
        fs::rename(&self.tmp, &self.dest).with_context(|| {
            format!(
                "cannot rename {} to {}",
                self.tmp.display(),
                self.dest.display()
            )
        })?;
        Ok(self.dest.clone())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.w.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// For writers that insist on a path (rust_xlsxwriter): `f` writes the temporary file, which
/// is renamed into place on success and removed on failure.
pub(crate) fn atomic_with(dest: &Path, f: impl FnOnce(&Path) -> Result<()>) -> Result<PathBuf> {
    if let Some(dir) = dest.parent() {
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create folder {}", dir.display()))?;
    }
    let tmp = tmp_path(dest);
    if let Err(e) = f(&tmp) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    fs::rename(&tmp, dest)
        .with_context(|| format!("cannot rename {} to {}", tmp.display(), dest.display()))?;
    Ok(dest.to_path_buf())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Encoding {
    /// Windows PowerShell 5.1 `Export-Csv` default: each non-ASCII UTF-16 unit becomes `?`.
    Ascii,
    Utf8,
    Utf8Bom,
    Utf16Le,
    Cp1252,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Quoting {
    /// `Export-Csv`: every non-null value quoted, null written as nothing.
    PowerShell,
    /// Excel and csvde: quoted only when the value holds the delimiter, a quote or a line break.
    Minimal,
}

/// cp1252 bytes 0x80–0x9F; everything else in Latin-1 maps to itself.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

fn encode_into(enc: Encoding, s: &str, out: &mut Vec<u8>) {
    match enc {
        Encoding::Utf8 | Encoding::Utf8Bom => out.extend_from_slice(s.as_bytes()),
        Encoding::Ascii => {
            for c in s.chars() {
                if c.is_ascii() {
                    out.push(c as u8);
                } else {
                    out.extend(std::iter::repeat_n(b'?', c.len_utf16()));
                }
            }
        }
        Encoding::Cp1252 => {
            for c in s.chars() {
                let cp = c as u32;
                if cp < 0x80 || (0xA0..0x100).contains(&cp) {
                    out.push(cp as u8);
                } else if let Some(i) = CP1252_HIGH.iter().position(|&h| h == c) {
                    out.push(0x80 + i as u8);
                } else {
                    out.push(b'?');
                }
            }
        }
        Encoding::Utf16Le => {
            for u in s.encode_utf16() {
                out.extend_from_slice(&u.to_le_bytes());
            }
        }
    }
}

/// One producer's row syntax, rendering rows into an in-memory buffer. Workers render chunks
/// of rows in parallel into their own `RowBuf`, which the [`CsvWriter`] appends in order.
pub(crate) struct RowBuf {
    enc: Encoding,
    quoting: Quoting,
    delim: char,
    eol: &'static str,
    line: String,
    out: Vec<u8>,
    fields: usize,
    rows: u64,
}

impl RowBuf {
    fn new(enc: Encoding, quoting: Quoting, delim: char, eol: &'static str) -> RowBuf {
        RowBuf {
            enc,
            quoting,
            delim,
            eol,
            line: String::with_capacity(4096),
            out: Vec::with_capacity(1 << 16),
            fields: 0,
            rows: 0,
        }
    }

    fn sep(&mut self) {
        if self.fields > 0 {
            self.line.push(self.delim);
        }
        self.fields += 1;
    }

    pub(crate) fn null(&mut self) {
        self.sep();
    }

    /// A value built in place by `f`, then quoted as the producer would.
    pub(crate) fn put(&mut self, f: impl FnOnce(&mut String)) {
        self.sep();
        match self.quoting {
            Quoting::PowerShell => {
                self.line.push('"');
                let start = self.line.len();
                f(&mut self.line);
                if self.line[start..].contains('"') {
                    let tail = self.line.split_off(start);
                    self.line.push_str(&tail.replace('"', "\"\""));
                }
                self.line.push('"');
            }
            Quoting::Minimal => {
                let start = self.line.len();
                f(&mut self.line);
                let delim = self.delim;
                let needs = self.line[start..]
                    .chars()
                    .any(|c| c == delim || c == '"' || c == '\r' || c == '\n');
                if needs {
                    let tail = self.line.split_off(start);
                    self.line.push('"');
                    self.line.push_str(&tail.replace('"', "\"\""));
                    self.line.push('"');
                }
            }
        }
    }

    pub(crate) fn str(&mut self, v: &str) {
        self.put(|s| s.push_str(v));
    }

    pub(crate) fn opt(&mut self, v: Option<&str>) {
        match v {
            Some(v) => self.str(v),
            None => self.null(),
        }
    }

    fn end_line(&mut self) {
        self.line.push_str(self.eol);
        encode_into(self.enc, &self.line, &mut self.out);
        self.line.clear();
        self.fields = 0;
    }

    pub(crate) fn end_row(&mut self) {
        self.rows += 1;
        self.end_line();
    }
}

pub(crate) struct CsvWriter {
    file: AtomicFile,
    buf: RowBuf,
}

impl std::ops::Deref for CsvWriter {
    type Target = RowBuf;
    fn deref(&self) -> &RowBuf {
        &self.buf
    }
}

impl std::ops::DerefMut for CsvWriter {
    fn deref_mut(&mut self) -> &mut RowBuf {
        &mut self.buf
    }
}

impl CsvWriter {
    pub(crate) fn create(
        path: &Path,
        enc: Encoding,
        quoting: Quoting,
        delim: char,
        eol: &'static str,
    ) -> Result<CsvWriter> {
        let mut file = AtomicFile::create(path)?;
        match enc {
            Encoding::Utf8Bom => file.write_all(&[0xEF, 0xBB, 0xBF])?,
            Encoding::Utf16Le => file.write_all(&[0xFF, 0xFE])?,
            _ => {}
        }
        Ok(CsvWriter {
            file,
            buf: RowBuf::new(enc, quoting, delim, eol),
        })
    }

    /// An empty buffer with this file's syntax, for a worker thread.
    pub(crate) fn fork(&self) -> RowBuf {
        RowBuf::new(self.buf.enc, self.buf.quoting, self.buf.delim, self.buf.eol)
    }

    /// Appends rows a worker rendered with [`CsvWriter::fork`].
    pub(crate) fn append(&mut self, rb: RowBuf) -> Result<()> {
        self.flush()?;
        self.buf.rows += rb.rows;
        self.file.write_all(&rb.out)
    }

    fn flush(&mut self) -> Result<()> {
        self.file.write_all(&self.buf.out)?;
        self.buf.out.clear();
        Ok(())
    }

    /// A line written as is (the `#TYPE` line, a title).
    pub(crate) fn raw_line(&mut self, s: &str) -> Result<()> {
        self.buf.line.clear();
        self.buf.fields = 0;
        self.buf.line.push_str(s);
        self.buf.end_line();
        self.flush()
    }

    pub(crate) fn header(&mut self, cols: &[&str]) -> Result<()> {
        for c in cols {
            self.buf.str(c);
        }
        self.buf.end_line();
        self.flush()
    }

    pub(crate) fn end_row(&mut self) -> Result<()> {
        self.buf.end_row();
        if self.buf.out.len() >= 1 << 16 {
            self.flush()?;
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Result<(PathBuf, u64)> {
        self.flush()?;
        let rows = self.buf.rows;
        Ok((self.file.commit()?, rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let mut v = Vec::new();
        encode_into(Encoding::Ascii, "José€", &mut v);
        assert_eq!(v, b"Jos??");
        v.clear();
        encode_into(Encoding::Cp1252, "é€", &mut v);
        assert_eq!(v, [0xE9, 0x80]);
        v.clear();
        encode_into(Encoding::Utf16Le, "é", &mut v);
        assert_eq!(v, [0xE9, 0x00]);
    }

    #[test]
    fn quoting_and_atomic() {
        let dir = std::env::temp_dir().join(format!("hr-sink-{}", std::process::id()));
        let p = dir.join("a.csv");
        let mut w = CsvWriter::create(&p, Encoding::Utf8, Quoting::Minimal, ';', "\r\n").unwrap();
        w.str("a;b");
        w.null();
        w.str("say \"hi\"");
        w.str("x");
        w.end_row().unwrap();
        assert!(!p.exists());
        w.finish().unwrap();
        assert_eq!(
            fs::read_to_string(&p).unwrap(),
            "\"a;b\";;\"say \"\"hi\"\"\";x\r\n"
        );
        let mut w =
            CsvWriter::create(&p, Encoding::Utf8, Quoting::PowerShell, ',', "\r\n").unwrap();
        w.str("a");
        w.null();
        w.str("");
        w.end_row().unwrap();
        drop(w);
        assert!(!tmp_path(&p).exists());
        let _ = fs::remove_dir_all(&dir);
    }
}
