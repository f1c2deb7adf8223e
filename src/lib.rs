//! hybridready, as a library: ingest Active Directory exports, build the directory and its graph,
//! check sync readiness, simulate a Skype for Business hybrid deployment and report on it.
//!
//! The pipeline, one module per stage: [`ingest`] → [`directory`] → [`graph`] → [`rules`] →
//! [`sim`] → [`report`]. [`generate`] writes synthetic directories in every dialect [`ingest`]
//! reads; [`cli`] is the command-line glue.

pub mod cli;
pub mod directory;
pub mod generate;
pub mod graph;
pub mod ingest;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod sim;
