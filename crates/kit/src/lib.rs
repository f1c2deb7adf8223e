//! The collection kit: `Collect-HybridReady.ps1`, the script a customer runs on a domain-joined
//! Skype for Business admin box to export, read-only, everything hybridready reads.
//!
//! Owns: the script's text ([`script`]) and the properties it asks Active Directory and
//! Get-CsUser for ([`properties`]). Those lists are not written here: they are derived from the
//! directory's attribute declarations (`Attr::ALL`) and the ingest's columns, through one
//! exhaustive table of where each attribute comes from, so an attribute added to the directory
//! does not compile until the kit says how to collect it. Must not touch: files or terminals
//! (the CLI writes the script), inputs (the ingest reads what the script wrote).
//!
//! The output's shape (its file names and serialisations) is the kit contract; a golden file
//! fixes the script for one set of options, so any change to it is reviewed.

pub mod properties;
pub mod script;

pub use script::{Options, script};
