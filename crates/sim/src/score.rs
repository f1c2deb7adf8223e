//! The readiness score, 0–100, and the verdict.
//!
//! PingCastle's worst-category model, turned so that higher is better: each step starts at 100
//! and loses the cost of each of its checks that does not pass; a step with a failing check
//! scores at most [`BLOCKED_CAP`]; the score is the worst step's. A blocked deployment therefore
//! never scores above 50, and the report can say what each check costs.
//!
//! What a check costs follows its declared class: a blocker 20 points when it fails, 5 when it
//! warns; an error 10 and 5; a risk 5 and 2; a reported figure nothing. U01 and U16 also cost half a point per percent of the SfB users they leave
//! unsynchronised, so coverage weighs in the sync step. The communication-break checks (P01,
//! BREAKS) cost nothing themselves, but fail their step, which caps it: a break needs an
//! unsynchronised on-premises user, so U01 already holds the sync step below the cap.
//!
//! A check whose input was not provided warns, and costs what its failure would cost, as if
//! every object it could not see failed it (U01 and U16: the full 50-point share); a blocker not
//! provided blocks its step (`Step::from_checks`), so the step scores at most 50. What is not
//! provided is thus never cheaper than the worst outcome it hides, and dropping data (a column
//! absent from every input, a scenario key left out) never raises the score or improves the
//! verdict: `tests/poorer_exports.rs` drops every column of a generated directory in turn.
//!
//! The score never goes down when a blocker is fixed: every check looks at its own condition
//! only (a licence check covers every user a move is planned for, movable or not), so fixing one
//! never turns another worse, but for the break checks, which can start failing when a fix lets
//! more users move online; and those only cap a step at 50 while the sync step, held below 50 by
//! U01, stays the worst.

use hybridready_assessment::{CheckId, CheckResult, Class, Fact, Score, Status, Step, Verdict};

/// The most a step with a failing check scores.
pub const BLOCKED_CAP: u32 = 50;

/// What a check that does not pass costs its step.
pub fn cost(c: &CheckResult, sfb_users: u64) -> u32 {
    let (failing, warning) = match c.id.def().class {
        Class::Block => (20, 5),
        Class::Error => (10, 5),
        Class::Risk => (5, 2),
        Class::Report => (0, 0),
    };
    // The share of SfB users a not-provided U01 or U16 may hide: all of them.
    const WHOLE_SHARE: u32 = 50;
    if c.not_provided() {
        return match c.id {
            CheckId::U01 | CheckId::U16 => failing + WHOLE_SHARE,
            _ => failing,
        };
    }
    match c.status {
        Status::Pass => 0,
        Status::Warn => warning,
        Status::Fail => {
            let unsynced = match (c.id, &c.fact) {
                (CheckId::U01, Fact::OnPremisesUsersUnsynced { users })
                | (CheckId::U16, Fact::OnlineUsersUnsynced { users }) => *users,
                _ => 0,
            };
            // Half a point per percent of the SfB users left out, rounded up.
            let share = (unsynced * 50).div_ceil(sfb_users.max(1)) as u32;
            failing + share
        }
    }
}

/// Sets each check's cost and each step's score, and returns the overall score.
pub fn score(steps: &mut [Step], sfb_users: u64) -> Score {
    for step in steps.iter_mut() {
        let mut lost = 0u32;
        for c in &mut step.checks {
            c.cost = cost(c, sfb_users);
            lost += c.cost;
        }
        let mut s = 100u32.saturating_sub(lost);
        if step.status == Status::Fail {
            s = s.min(BLOCKED_CAP);
        }
        step.score = s;
    }
    let worst = steps.iter().min_by_key(|s| s.score);
    Score {
        value: worst.map_or(100, |s| s.score),
        limited_by: worst.filter(|s| s.score < 100).map(|s| s.id),
        blocked_cap: BLOCKED_CAP,
    }
}

/// `blocked` when any step fails (a blocker not provided fails its step), `ready_with_warnings`
/// when any warns, else `ready`.
pub fn verdict(steps: &[Step]) -> Verdict {
    match steps.iter().map(|s| s.status).max() {
        Some(Status::Fail) => Verdict::Blocked,
        Some(Status::Warn) => Verdict::ReadyWithWarnings,
        _ => Verdict::Ready,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hybridready_assessment::StepId;

    fn step(id: StepId, checks: Vec<CheckResult>) -> Step {
        Step::from_checks(id, checks)
    }

    #[test]
    fn a_blocked_deployment_never_scores_above_the_cap() {
        // One failing risk check alone would cost 5 points: the cap still holds the step.
        let mut steps = vec![
            step(
                StepId::Tenant,
                vec![CheckResult::new(
                    CheckId::T01,
                    Status::Pass,
                    Fact::OneTenant,
                )],
            ),
            step(
                StepId::Federation,
                vec![CheckResult::new(
                    CheckId::T11,
                    Status::Fail,
                    Fact::MoveToolingNotReady,
                )],
            ),
        ];
        let s = score(&mut steps, 10);
        assert_eq!(s.value, 50);
        assert_eq!(s.limited_by, Some(StepId::Federation));
        assert_eq!(steps[1].checks[0].cost, 5);
        assert_eq!(verdict(&steps), Verdict::Blocked);
    }

    #[test]
    fn unsynchronised_users_cost_with_their_share() {
        let c = CheckResult::new(
            CheckId::U01,
            Status::Fail,
            Fact::OnPremisesUsersUnsynced { users: 19 },
        );
        assert_eq!(cost(&c, 240), 24);
        let ready = CheckResult::new(
            CheckId::U01,
            Status::Pass,
            Fact::OnPremisesUsersSync { users: 240 },
        );
        assert_eq!(cost(&ready, 240), 0);
        let mut steps = vec![step(StepId::Sync, vec![ready])];
        let s = score(&mut steps, 240);
        assert_eq!((s.value, s.limited_by), (100, None));
        assert_eq!(verdict(&steps), Verdict::Ready);
    }
}
