//! The retry schedule of a REST PUSH delivery (CORE-03, the guide's §5.1.1): five attempts
//! within the first 24 hours, then one a day until 7 days after the original sending, then
//! three attempts to the organisation's primary system, then the message has failed.

use chrono::{DateTime, Duration, Utc};

/// When the attempts of the first day fall, after the original sending.
fn first_day() -> [Duration; 5] {
    [
        Duration::zero(),
        Duration::minutes(15),
        Duration::hours(1),
        Duration::hours(4),
        Duration::hours(12),
    ]
}

/// The daily attempts: 1 to 7 days after the original sending.
const DAILY_ATTEMPTS: i64 = 7;

/// When the three attempts to the primary system fall, after the fallback began.
fn fallback() -> [Duration; 3] {
    [Duration::zero(), Duration::minutes(15), Duration::hours(1)]
}

/// The offset of attempt `n` (0-based) of the original phase from the original sending.
fn original_offset(n: usize) -> Option<Duration> {
    let first = first_day();
    if n < first.len() {
        Some(first[n])
    } else {
        let day = (n - first.len()) as i64 + 1;
        (day <= DAILY_ATTEMPTS).then(|| Duration::days(day))
    }
}

/// What follows a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try the same target again at this time.
    RetryAt(DateTime<Utc>),
    /// The original phase is over: deliver to the primary system, starting now.
    FallBackToPrimary,
    /// Every attempt failed: the message has failed (`Fejlet`).
    GiveUp,
}

/// After `attempts_made` failed attempts in the current phase, which began at `phase_start`
/// (the original sending, or the fallback), and now is `now`: what next. A late worker never
/// schedules into the past; it tries at once.
pub fn after_failure(
    fallback_phase: bool,
    attempts_made: usize,
    phase_start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AfterFailure {
    let next = if fallback_phase {
        fallback().get(attempts_made).copied()
    } else {
        original_offset(attempts_made)
    };
    match (next, fallback_phase) {
        (Some(offset), _) => AfterFailure::RetryAt((phase_start + offset).max(now)),
        (None, false) => AfterFailure::FallBackToPrimary,
        (None, true) => AfterFailure::GiveUp,
    }
}

/// Every attempt time of a delivery that always fails, from `sent` (for the README and tests):
/// the original phase's 12 attempts, then the primary system's 3.
pub fn full_schedule(sent: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut times: Vec<_> = (0..).map_while(original_offset).map(|o| sent + o).collect();
    let fallback_start = *times.last().expect("an original phase");
    times.extend(fallback().iter().map(|o| fallback_start + *o));
    times
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn core_03_five_attempts_in_the_first_day_then_daily_until_day_seven_then_three_to_the_primary()
    {
        let sent = at("2026-12-01T09:00:00Z");
        let times = full_schedule(sent);
        assert_eq!(times.len(), 5 + 7 + 3);
        let first_day = times
            .iter()
            .filter(|t| **t < sent + Duration::hours(24))
            .count();
        assert_eq!(first_day, 5);
        assert_eq!(times[5], sent + Duration::days(1));
        assert_eq!(times[11], sent + Duration::days(7));
        assert_eq!(
            times[12..],
            [
                times[11],
                times[11] + Duration::minutes(15),
                times[11] + Duration::hours(1)
            ]
        );
    }

    #[test]
    fn core_03_the_phases_end_in_fallback_and_then_failure() {
        let sent = at("2026-12-01T09:00:00Z");
        assert_eq!(
            after_failure(false, 1, sent, sent),
            AfterFailure::RetryAt(sent + Duration::minutes(15))
        );
        assert_eq!(
            after_failure(false, 12, sent, sent + Duration::days(7)),
            AfterFailure::FallBackToPrimary
        );
        assert_eq!(after_failure(true, 3, sent, sent), AfterFailure::GiveUp);
        // A worker that was down tries at once rather than in the past.
        let late = sent + Duration::hours(2);
        assert_eq!(
            after_failure(false, 1, sent, late),
            AfterFailure::RetryAt(late)
        );
    }
}
