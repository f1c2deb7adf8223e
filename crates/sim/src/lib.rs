//! Simulation of the hybrid deployment (spec §4–§8): the scenario, sync scope, Skype for Business
//! states, affinity and breaks, the six steps and the score.
//!
//! Owns: scenario parsing and every figure of `summary.json`'s `sync`, `breaks`, `steps` and
//! `score`. Must not touch: files other than the scenario and its affinity files, the rule
//! catalogue (it reads findings), output formats.

pub mod actions;
pub mod batch;
pub mod breaks;
pub mod checks;
pub mod pairs_file;
pub mod run;

pub mod scope;
pub mod score;
pub mod tenant;
pub mod waves;
