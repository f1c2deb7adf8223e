//! Where the real exports of `../shared/corpus/` are, for the tests that read them.

use std::path::{Path, PathBuf};

/// The corpus (`HYBRIDREADY_CORPUS`, else `../shared/corpus` beside the repository), or `None`
/// with a note that the test is skipped: a fresh clone with nothing beside it still passes.
pub fn root(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("HYBRIDREADY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else {
        // Straight to stderr: the test harness captures `eprintln!` of passing tests.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "{test}: skipped: no corpus at {}",
            dir.display()
        );
        None
    }
}
