//! `hybridready collect-script [--forest FOREST]… [--sync-server NAME] [--no-tenant]
//! [--out FILE]`: the collection kit, printed or written.

use super::CliError;
use crate::kit::{Options, script};
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CollectScriptArgs {
    /// A forest to export, by DNS name (repeatable). None: the forest of the computer the
    /// script runs on.
    #[arg(long = "forest", value_name = "FOREST")]
    pub forests: Vec<String>,
    /// The Entra Connect server whose version the script reads. None: read locally, if there.
    #[arg(long, value_name = "NAME")]
    pub sync_server: Option<String>,
    /// Leave the tenant out by default (the script's -SkipTenant).
    #[arg(long)]
    pub no_tenant: bool,
    /// Write the script to this file (UTF-8 with a byte-order mark, as Windows PowerShell 5.1
    /// needs for any non-ASCII name) instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(a: CollectScriptArgs) -> Result<u8, CliError> {
    let text = script(&Options {
        forests: a.forests,
        sync_server: a.sync_server,
        skip_tenant: a.no_tenant,
    });
    match a.out {
        None => print!("{text}"),
        Some(path) => {
            let bytes = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
            crate::report::atomic::write(&path, &bytes)
                .map_err(|e| CliError::output(format!("{}: cannot write: {e}", path.display())))?;
            eprintln!(
                "hybridready: wrote {}",
                crate::report::console::terminal(&path.display().to_string())
            );
        }
    }
    Ok(0)
}
