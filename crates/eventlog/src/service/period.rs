//! The period rules of LOG-04, on Copenhagen days.

use adgang_api_types::FieldCode;
use adgang_core::time::{copenhagen, start_of_day};
use adgang_core::FieldErrors;
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A search period: whole Copenhagen days `from`..=`to`, and the instants `start`..`end`
/// (end exclusive) they span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The longest period, and how far back the actions and searches logs reach (LOG-04).
const MONTHS: Months = Months::new(3);

/// Where a log's searches may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The message log: any period of at most 3 months.
    Any,
    /// The actions and searches logs: no further back than 3 months from today.
    LastThreeMonths,
}

fn date(field: &str, raw: Option<&str>, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let raw = raw.map(str::trim).filter(|v| !v.is_empty())?;
    // Years far outside the logs' lifetime would only meet calendar arithmetic's limits.
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(day) if (1970..=9999).contains(&day.year()) => Some(day),
        _ => {
            errors.add(field, FieldCode::InvalidDate, "Give a date as YYYY-MM-DD.");
            None
        }
    }
}

/// LOG-04: at most 3 months from start to end; no period is the last 3 months (up to today);
/// only a start is the 3 months from it (up to today); the actions and searches logs reach no
/// further back than 3 months from today. Every breach is a field error in `errors`.
pub fn check(
    from: Option<&str>,
    to: Option<&str>,
    now: DateTime<Utc>,
    reach: Reach,
    errors: &mut FieldErrors,
) -> Option<Period> {
    let today = copenhagen(now).date_naive();
    let (from_given, to_given) = (date("from", from, errors), date("to", to, errors));
    if !errors.is_empty() {
        return None;
    }
    let to = match (from_given, to_given) {
        (_, Some(to)) => to,
        (Some(from), None) => (from + MONTHS).min(today).max(from),
        (None, None) => today,
    };
    let from = from_given.unwrap_or(to - MONTHS);
    if from > to {
        errors.add(
            "to",
            FieldCode::PeriodReversed,
            "The period must end on or after its first day.",
        );
        return None;
    }
    if from + MONTHS < to {
        errors.add(
            "from",
            FieldCode::PeriodTooLong,
            "At most 3 months between the first and the last day.",
        );
        return None;
    }
    if reach == Reach::LastThreeMonths && from < today - MONTHS {
        errors.add(
            "from",
            FieldCode::PeriodTooOld,
            format!(
                "This log can be searched back to {} (3 months), no further.",
                today - MONTHS
            ),
        );
        return None;
    }
    let next_day = to.checked_add_days(Days::new(1))?;
    Some(Period {
        from,
        to,
        start: start_of_day(from),
        end: start_of_day(next_day),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        // 2026-12-02 23:30 in Copenhagen is still 2 December there (22:30 UTC).
        Utc.with_ymd_and_hms(2026, 12, 2, 22, 30, 0).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn codes(from: Option<&str>, to: Option<&str>, reach: Reach) -> Vec<&'static str> {
        let mut errors = FieldErrors::new();
        check(from, to, now(), reach, &mut errors);
        errors
            .into_inner()
            .iter()
            .map(|e| e.code.as_str())
            .collect()
    }

    #[test]
    fn log_04_no_period_is_the_last_three_months_in_copenhagen_days() {
        let mut errors = FieldErrors::new();
        let p = check(None, None, now(), Reach::LastThreeMonths, &mut errors).unwrap();
        assert_eq!((p.from, p.to), (day("2026-09-02"), day("2026-12-02")));
        // Midnight Copenhagen: 22:00 UTC in summer time, 23:00 in winter time.
        assert_eq!(p.start, Utc.with_ymd_and_hms(2026, 9, 1, 22, 0, 0).unwrap());
        assert_eq!(p.end, Utc.with_ymd_and_hms(2026, 12, 2, 23, 0, 0).unwrap());
    }

    #[test]
    fn log_04_a_start_alone_runs_three_months_or_to_today() {
        let mut errors = FieldErrors::new();
        let p = check(Some("2026-03-10"), None, now(), Reach::Any, &mut errors).unwrap();
        assert_eq!(p.to, day("2026-06-10"));
        let p = check(Some("2026-11-20"), None, now(), Reach::Any, &mut errors).unwrap();
        assert_eq!(p.to, day("2026-12-02"));
    }

    #[test]
    fn log_04_reversed_too_long_too_old_and_malformed_are_field_errors() {
        assert_eq!(
            codes(Some("2026-11-02"), Some("2026-11-01"), Reach::Any),
            ["period_reversed"]
        );
        assert_eq!(
            codes(Some("2026-01-01"), Some("2026-04-02"), Reach::Any),
            ["period_too_long"]
        );
        assert!(codes(Some("2026-01-01"), Some("2026-04-01"), Reach::Any).is_empty());
        assert_eq!(
            codes(
                Some("2026-09-01"),
                Some("2026-10-01"),
                Reach::LastThreeMonths
            ),
            ["period_too_old"]
        );
        assert!(codes(Some("2026-09-02"), None, Reach::LastThreeMonths).is_empty());
        assert_eq!(
            codes(Some("02-12-2026"), Some("x"), Reach::Any),
            ["invalid_date", "invalid_date"]
        );
    }
}
