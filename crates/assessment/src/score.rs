//! The verdict and the readiness score, as data (the simulation computes them: `sim::score`).

use crate::check::StepId;
use serde::{Deserialize, Serialize};

/// Whether the customer is ready.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every step passes.
    Ready,
    /// No step fails, some warn (a risk, or an input not provided).
    ReadyWithWarnings,
    /// At least one step fails.
    Blocked,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::ReadyWithWarnings => "ready_with_warnings",
            Verdict::Blocked => "blocked",
        }
    }
}

/// The readiness score, 0–100: the worst step's score (PingCastle's worst-category model), each
/// step losing the cost of its checks that do not pass, and a blocked step capped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub value: u32,
    /// The step whose score is the overall score (the first such step).
    pub limited_by: Option<StepId>,
    /// The most a step with a failing check may score.
    pub blocked_cap: u32,
}
