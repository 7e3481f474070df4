//! Documents the portal hands out, rendered from plain data: PDF receipts and reports
//! ([`pdf`]) and Excel workbooks ([`xlsx`]). No domain knowledge lives here.

pub mod pdf;
pub mod xlsx;

use chrono::{DateTime, Utc};

/// "Ja" or "Nej", as documents and workbooks write a yes/no value.
pub fn yes_no(value: bool) -> String {
    if value { "Ja" } else { "Nej" }.to_owned()
}

/// Danish local time for documents (Europe/Copenhagen without a tz database: CET/CEST by the
/// EU rule — last Sunday of March/October at 01:00 UTC).
pub fn danish_time(at: DateTime<Utc>) -> String {
    use chrono::{Datelike, Duration, NaiveDate, TimeZone, Weekday};
    let last_sunday = |month: u32| {
        let mut day =
            NaiveDate::from_ymd_opt(at.year(), month, 31).expect("31 exists in March/October");
        while day.weekday() != Weekday::Sun {
            day = day.pred_opt().expect("a day before");
        }
        Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0).expect("01:00"))
    };
    let summer = at >= last_sunday(3) && at < last_sunday(10);
    let local = at + Duration::hours(if summer { 2 } else { 1 });
    local.format("%d.%m.%Y kl. %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn danish_time_follows_summer_time() {
        let winter = Utc.with_ymd_and_hms(2026, 1, 10, 12, 0, 0).unwrap();
        let summer = Utc.with_ymd_and_hms(2026, 7, 10, 12, 0, 0).unwrap();
        assert_eq!(danish_time(winter), "10.01.2026 kl. 13:00");
        assert_eq!(danish_time(summer), "10.07.2026 kl. 14:00");
    }
}
