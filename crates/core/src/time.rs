//! Time has one home: the [`Clock`] port is the only source of "now", and Europe/Copenhagen
//! comes from the tz database (chrono-tz), never from hand-written summer-time rules.
//!
//! The server registers one clock as app data (`web::Data<dyn Clock>`); tests give the app a
//! [`TestClock`] and move it. Days, periods and deadlines the guide speaks of ("the 10th of the
//! following month", "end of November two years later", "3 months back") are Copenhagen days.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Copenhagen;
use chrono_tz::Tz;

/// The source of "now".
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    /// Today in Copenhagen.
    fn today(&self) -> NaiveDate {
        copenhagen(self.now()).date_naive()
    }
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock tests set and move: standing still at a time ([`TestClock::at`]), or running with the
/// machine's clock from an offset that moves forward ([`TestClock::running`]). Only in tests
/// (the `testing` feature, which test-support turns on): production has the system clock.
#[cfg(any(test, feature = "testing"))]
#[derive(Debug)]
pub struct TestClock(std::sync::Mutex<TestTime>);

#[cfg(any(test, feature = "testing"))]
#[derive(Debug, Clone, Copy)]
enum TestTime {
    Fixed(DateTime<Utc>),
    Offset(Duration),
}

#[cfg(any(test, feature = "testing"))]
impl TestClock {
    pub fn at(now: DateTime<Utc>) -> TestClock {
        TestClock(std::sync::Mutex::new(TestTime::Fixed(now)))
    }

    pub fn running() -> TestClock {
        TestClock(std::sync::Mutex::new(TestTime::Offset(Duration::zero())))
    }

    pub fn set(&self, now: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = TestTime::Fixed(now);
    }

    pub fn advance(&self, by: Duration) {
        let mut time = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *time = match *time {
            TestTime::Fixed(at) => TestTime::Fixed(at + by),
            TestTime::Offset(offset) => TestTime::Offset(offset + by),
        };
    }
}

#[cfg(any(test, feature = "testing"))]
impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        match *self.0.lock().unwrap_or_else(|p| p.into_inner()) {
            TestTime::Fixed(at) => at,
            TestTime::Offset(offset) => Utc::now() + offset,
        }
    }
}

/// `at` on the wall clocks of Copenhagen.
pub fn copenhagen(at: DateTime<Utc>) -> DateTime<Tz> {
    at.with_timezone(&Copenhagen)
}

/// The instant a Copenhagen wall-clock time names. In the autumn hour that occurs twice the
/// earlier instant; in the spring hour that never occurs, the first instant after the gap.
pub fn from_copenhagen(local: NaiveDateTime) -> DateTime<Utc> {
    let mut probe = local;
    loop {
        if let Some(at) = Copenhagen.from_local_datetime(&probe).earliest() {
            return at.with_timezone(&Utc);
        }
        // Inside the spring gap: step forward until the wall clock exists again.
        probe += Duration::minutes(1);
    }
}

/// The first instant of a Copenhagen day.
pub fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    from_copenhagen(day.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

/// Danish local time as documents and receipts write it: `10.07.2026 kl. 14:00`.
pub fn danish_time(at: DateTime<Utc>) -> String {
    copenhagen(at).format("%d.%m.%Y kl. %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn x_07_danish_time_follows_summer_time_from_the_tz_database() {
        assert_eq!(danish_time(utc(2026, 1, 10, 12, 0)), "10.01.2026 kl. 13:00");
        assert_eq!(danish_time(utc(2026, 7, 10, 12, 0)), "10.07.2026 kl. 14:00");
        // The switches of 2026: 29 March 01:00 UTC and 25 October 01:00 UTC.
        assert_eq!(danish_time(utc(2026, 3, 29, 0, 59)), "29.03.2026 kl. 01:59");
        assert_eq!(danish_time(utc(2026, 3, 29, 1, 0)), "29.03.2026 kl. 03:00");
        assert_eq!(
            danish_time(utc(2026, 10, 25, 0, 59)),
            "25.10.2026 kl. 02:59"
        );
        assert_eq!(danish_time(utc(2026, 10, 25, 1, 0)), "25.10.2026 kl. 02:00");
    }

    #[test]
    fn x_07_local_times_in_the_gap_and_the_repeated_hour() {
        let gap = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(from_copenhagen(gap), utc(2026, 3, 29, 1, 0));
        let twice = NaiveDate::from_ymd_opt(2026, 10, 25)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(from_copenhagen(twice), utc(2026, 10, 25, 0, 30));
        let day = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(start_of_day(day), utc(2026, 6, 30, 22, 0));
    }

    #[test]
    fn x_07_the_test_clock_moves_only_when_told_and_today_is_a_copenhagen_day() {
        let clock = TestClock::at(utc(2026, 12, 31, 22, 30));
        assert_eq!(clock.now(), utc(2026, 12, 31, 22, 30));
        // 23:30 in Copenhagen on New Year's Eve: in UTC still the 31st, locally the 31st too.
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        clock.advance(Duration::hours(1));
        // 00:30 on 1 January in Copenhagen, 23:30 on the 31st in UTC.
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        let running = TestClock::running();
        running.advance(Duration::days(30));
        let ahead = running.now() - Utc::now();
        assert!(ahead > Duration::days(29) && ahead <= Duration::days(30));
    }
}
