//! ST-02: when a subscription's versions are produced. Periods follow the calendar (months;
//! quarters, half-years and years from January), in Europe/Copenhagen. The version covering a
//! period is produced on the 10th day of the following period at 00:00; the first version
//! covers the last complete period and comes at the latest on the next 10th — at once when the
//! 10th of the current period has passed.

use adgang_api_types::{ReportInterval, ReportPeriod};
use adgang_core::time::{copenhagen, start_of_day};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};

/// The day of a period its version is produced.
const PRODUCTION_DAY: u32 = 10;

/// The period of `interval` that contains `day`.
pub fn period_containing(interval: ReportInterval, day: NaiveDate) -> ReportPeriod {
    let months = interval.months();
    let first_month = (day.month0() / months) * months + 1;
    let from = NaiveDate::from_ymd_opt(day.year(), first_month, 1).expect("a month's first day");
    let to = from + Months::new(months) - Duration::days(1);
    ReportPeriod { from, to }
}

fn production_time(period_start: NaiveDate) -> DateTime<Utc> {
    start_of_day(period_start + Duration::days(i64::from(PRODUCTION_DAY) - 1))
}

/// The period before `period`.
pub fn previous(interval: ReportInterval, period: ReportPeriod) -> ReportPeriod {
    period_containing(interval, period.from - Duration::days(1))
}

/// The period after `period`.
pub fn next(interval: ReportInterval, period: ReportPeriod) -> ReportPeriod {
    period_containing(interval, period.to + Duration::days(1))
}

/// The first production of a subscription ordered at `now`: when, and the period it covers.
pub fn first_production(interval: ReportInterval, now: DateTime<Utc>) -> DateTime<Utc> {
    let current = period_containing(interval, copenhagen(now).date_naive());
    production_time(current.from).max(now)
}

/// The period a production at `at` covers: the one before the period `at` falls in.
pub fn covered_by(interval: ReportInterval, at: DateTime<Utc>) -> ReportPeriod {
    previous(
        interval,
        period_containing(interval, copenhagen(at).date_naive()),
    )
}

/// After the version covering `covered` is produced: when the next one is (the 10th of the
/// period after the next).
pub fn next_production(interval: ReportInterval, covered: ReportPeriod) -> DateTime<Utc> {
    production_time(next(interval, next(interval, covered)).from)
}

/// ST-04: a custom report is produced once its last day is over (and rolled up).
pub fn custom_production(period: ReportPeriod, now: DateTime<Utc>) -> DateTime<Utc> {
    start_of_day(period.to + Duration::days(1)).max(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn period(from: NaiveDate, to: NaiveDate) -> ReportPeriod {
        ReportPeriod { from, to }
    }

    #[test]
    fn st_02_periods_follow_the_calendar() {
        use ReportInterval::*;
        let d = day(2026, 8, 17);
        for (interval, date, from, to) in [
            (Monthly, d, day(2026, 8, 1), day(2026, 8, 31)),
            (Quarterly, d, day(2026, 7, 1), day(2026, 9, 30)),
            (HalfYearly, d, day(2026, 7, 1), day(2026, 12, 31)),
            (Yearly, d, day(2026, 1, 1), day(2026, 12, 31)),
            (Monthly, day(2028, 2, 3), day(2028, 2, 1), day(2028, 2, 29)),
        ] {
            assert_eq!(
                period_containing(interval, date),
                period(from, to),
                "{interval:?} around {date}"
            );
        }
    }

    #[test]
    fn st_02_a_version_is_produced_on_the_10th_of_the_following_period_in_copenhagen() {
        use ReportInterval::*;
        // Ordered 3 December 2026 (winter time, UTC+1): November's version on 10 December 00:00.
        let ordered = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
        let first = first_production(Monthly, ordered);
        assert_eq!(first, Utc.with_ymd_and_hms(2026, 12, 9, 23, 0, 0).unwrap());
        let covered = covered_by(Monthly, first);
        assert_eq!(covered, period(day(2026, 11, 1), day(2026, 11, 30)));
        // Then December's on 10 January.
        assert_eq!(
            next_production(Monthly, covered),
            Utc.with_ymd_and_hms(2027, 1, 9, 23, 0, 0).unwrap()
        );
        // Yearly: 2026's version on 10 January 2027.
        let first = first_production(Yearly, ordered);
        assert_eq!(first, Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap());
        assert_eq!(
            covered_by(Yearly, first),
            period(day(2025, 1, 1), day(2025, 12, 31))
        );
        assert_eq!(
            next_production(Yearly, covered_by(Yearly, first)),
            Utc.with_ymd_and_hms(2027, 1, 9, 23, 0, 0).unwrap()
        );
        // Summer time (UTC+2): the 10th of July starts at 22:00 UTC on the 9th.
        let q2 = period(day(2026, 4, 1), day(2026, 6, 30));
        assert_eq!(
            next_production(Quarterly, previous(Quarterly, q2)),
            Utc.with_ymd_and_hms(2026, 7, 9, 22, 0, 0).unwrap()
        );
    }

    #[test]
    fn st_02_ordered_after_the_10th_the_first_version_comes_at_once() {
        let ordered = Utc.with_ymd_and_hms(2026, 12, 15, 12, 0, 0).unwrap();
        assert_eq!(first_production(ReportInterval::Monthly, ordered), ordered);
        assert_eq!(
            covered_by(ReportInterval::Monthly, ordered),
            period(day(2026, 11, 1), day(2026, 11, 30))
        );
        let half = first_production(ReportInterval::HalfYearly, ordered);
        assert_eq!(half, ordered);
        assert_eq!(
            covered_by(ReportInterval::HalfYearly, half),
            period(day(2026, 1, 1), day(2026, 6, 30))
        );
    }
}
