//! The readiness score, 0–100.
//!
//! `score = round(40 × coverage + 60 × checks)`, where `coverage` is the share of Skype for
//! Business users that synchronise, and `checks` is the weighted mean of the check statuses
//! (pass = 1, warn = 0.5, fail = 0; a "not provided" check counts as warn), each check weighted by
//! what a failure costs (3: blocks a step or a move; 2: breaks communication or is unsupported;
//! 1: a risk).
//!
//! Communication-break checks (`P*`, `BREAKS`) have weight 0: fixing a blocker moves more users
//! online, which can reveal more breaks, and the score must never go down when a blocker is
//! fixed. Every scored check looks at its own condition only (a licence check covers every user a
//! move is planned for, movable or not), so fixing one blocker never turns another check worse,
//! and coverage only grows when a blocking finding or a scope exclusion is removed.

use super::checks::def;
use hybridready_assessment::summary::{Status, StepSummary, SyncSummary};

pub fn score(sync: &SyncSummary, steps: &[StepSummary]) -> u32 {
    let mut total = 0.0;
    let mut weights = 0.0;
    for c in steps.iter().flat_map(|s| &s.checks) {
        let w = def(&c.id).map_or(1, |d| d.weight) as f64;
        let v = match c.status {
            Status::Pass => 1.0,
            Status::Warn => 0.5,
            Status::Fail => 0.0,
        };
        total += w * v;
        weights += w;
    }
    let checks = if weights == 0.0 { 1.0 } else { total / weights };
    (40.0 * sync.coverage + 60.0 * checks)
        .round()
        .clamp(0.0, 100.0) as u32
}
