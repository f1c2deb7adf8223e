//! The output folder of `assess` and `batch`, written whole or not at all.
//!
//! A run writes into a sibling staging folder (`.NAME.partial-PID`) and, once everything is
//! written, puts it in place of `--out` with two renames: a folder never mixes two runs, and a
//! run stopped half-way (Ctrl-C, a kill, a full disk) leaves the previous outputs as they were.
//! A lock file beside it (`.NAME.lock`, holding the process id) refuses a second run on the same
//! `--out` while the first is alive; the staging folders and locks of runs that died are removed
//! by the next run. An existing `--out` is replaced only if it is empty or holds the marker a
//! run writes ([`OUTPUT_MARKER`]): a folder of the consultant's own files is never deleted. The
//! marker also keeps the folder walk from reading the tool's outputs as inputs.

use super::CliError;
use crate::ingest::OUTPUT_MARKER;
use std::path::{Path, PathBuf};

/// A run's staging folder, put in place by [`Staged::commit`]; dropped without it, it is
/// removed and the lock released.
pub struct Staged {
    out: PathBuf,
    staging: PathBuf,
    lock: PathBuf,
    committed: bool,
}

impl Staged {
    /// Takes the lock on `out` and creates an empty staging folder beside it.
    pub fn begin(out: &Path) -> Result<Staged, CliError> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                CliError::input(
                    format!("--out {} names no folder", out.display()),
                    "give a folder name, e.g. --out assessment/",
                )
            })?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
        check_replaceable(out)?;
        remove_dead_runs(&parent, &name);
        let lock = parent.join(format!(".{name}.lock"));
        take_lock(&lock, out)?;
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        let staged = Staged {
            out: out.to_path_buf(),
            staging,
            lock,
            committed: false,
        };
        std::fs::create_dir(&staged.staging).map_err(|e| io(&staged.staging, e))?;
        std::fs::write(
            staged.staging.join(OUTPUT_MARKER),
            "Written by hybridready: this folder is replaced whole by the next run with the \
             same --out, and never read as an input.\n",
        )
        .map_err(|e| io(&staged.staging, e))?;
        Ok(staged)
    }

    /// Where the run writes.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Puts the staging folder in place of `--out` (the previous one moved aside, then
    /// deleted).
    pub fn commit(mut self) -> Result<(), CliError> {
        let mut aside = self.staging.clone().into_os_string();
        aside.push(".previous");
        let aside = PathBuf::from(aside);
        if self.out.exists() {
            std::fs::rename(&self.out, &aside).map_err(|e| io(&self.out, e))?;
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.out) {
            // Put the previous outputs back rather than leave no folder at all.
            let _ = std::fs::rename(&aside, &self.out);
            return Err(io(&self.out, e));
        }
        self.committed = true;
        let _ = std::fs::remove_dir_all(&aside);
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        let _ = std::fs::remove_file(&self.lock);
    }
}

fn io(path: &Path, e: std::io::Error) -> CliError {
    CliError::output(format!("{}: {e}", path.display()))
}

/// Refuses an `--out` that exists and is not an output folder of this tool.
fn check_replaceable(out: &Path) -> Result<(), CliError> {
    let Ok(mut entries) = std::fs::read_dir(out) else {
        if out.exists() {
            return Err(CliError::input(
                format!("--out {} is a file, not a folder", out.display()),
                "give a folder for the outputs, e.g. --out assessment/",
            ));
        }
        return Ok(());
    };
    // Outputs of versions before the marker: an assessment or a comparison.
    let earlier = ["assessment.json", "summary.json"]
        .iter()
        .all(|f| out.join(f).is_file())
        || ["comparison.json", "variants"]
            .iter()
            .all(|f| out.join(f).exists());
    if entries.next().is_none() || out.join(OUTPUT_MARKER).exists() || earlier {
        return Ok(());
    }
    Err(CliError::input(
        format!(
            "--out {} holds files that no hybridready run wrote",
            out.display()
        ),
        "the outputs replace the folder whole: give a new or empty folder, e.g. --out assessment/",
    ))
}

/// Takes `lock`, or says which live run holds it; a lock left by a dead run is taken over.
fn take_lock(lock: &Path, out: &Path) -> Result<(), CliError> {
    for _ in 0..2 {
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(lock)
        {
            Ok(mut f) => {
                use std::io::Write;
                let _ = writeln!(f, "{}", std::process::id());
                return Ok(());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let holder = std::fs::read_to_string(lock)
                    .ok()
                    .and_then(|s| s.trim().parse::<u32>().ok());
                if let Some(pid) = holder.filter(|&p| alive(p)) {
                    return Err(CliError::input(
                        format!(
                            "--out {} is being written by another run (process {pid})",
                            out.display()
                        ),
                        format!(
                            "wait for it to end, or give another --out; if no run is going, \
                             remove {}",
                            lock.display()
                        ),
                    ));
                }
                let _ = std::fs::remove_file(lock); // Its run died: take it over.
            }
            Err(e) => return Err(io(lock, e)),
        }
    }
    Err(CliError::output(format!(
        "{}: cannot take the lock",
        lock.display()
    )))
}

/// Removes the staging folders (and their leftovers) of runs on `name` that are no longer
/// alive.
fn remove_dead_runs(parent: &Path, name: &str) {
    let prefix = format!(".{name}.partial-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.split('.').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|p| !alive(p)) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Whether process `pid` is running (Linux and other systems with /proc; elsewhere a lock is
/// trusted, and its hint says how to remove it).
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if proc.is_dir() {
        proc.join(pid.to_string()).exists()
    } else {
        true
    }
}
