//! Outputs: `summary.json` (the machine-readable contract of spec §9), and the files written
//! atomically next to it.
//!
//! Owns: output shapes and serialisation. Must not touch: inputs or computation: everything it
//! writes is computed by the earlier stages and handed over in [`summary::Summary`].

pub mod atomic;
pub mod csv_out;
pub mod summary;
pub mod worklist;
