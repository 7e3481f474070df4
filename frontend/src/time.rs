//! Times in Europe/Copenhagen, whatever the browser's zone: the portal's times are
//! Danish administrative times. The browser's own `Intl` does the zone arithmetic, so no
//! time-zone tables travel in the WASM.

use chrono::{DateTime, Utc};
use js_sys::{Array, Date, Object, Reflect};
use wasm_bindgen::JsValue;

pub const ZONE: &str = "Europe/Copenhagen";

/// The Copenhagen wall-clock fields of `millis` since the epoch: (year, month, day, hour,
/// minute).
fn wall_clock(millis: f64) -> Option<[i64; 5]> {
    let options = Object::new();
    for (key, value) in [
        ("timeZone", ZONE),
        ("hourCycle", "h23"),
        ("year", "numeric"),
        ("month", "numeric"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "numeric"),
    ] {
        Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    let format = js_sys::Intl::DateTimeFormat::new(&Array::of1(&"en-US".into()), &options);
    let parts = format.format_to_parts(&Date::new(&JsValue::from_f64(millis)));
    let mut fields = [0i64; 5];
    for part in parts.iter() {
        let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let slot = match kind.as_str() {
            "year" => 0,
            "month" => 1,
            "day" => 2,
            "hour" => 3,
            "minute" => 4,
            _ => continue,
        };
        let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
        fields[slot] = value.parse().ok()?;
    }
    Some(fields)
}

/// UTC → the `datetime-local` value in Copenhagen time, e.g. "2027-01-15T10:00".
pub fn to_input(at: DateTime<Utc>) -> String {
    match wall_clock(at.timestamp_millis() as f64) {
        Some([y, mo, d, h, mi]) => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}"),
        None => String::new(),
    }
}

/// A `datetime-local` value read as Copenhagen time → UTC; empty or unreadable → None.
/// In the autumn's repeated hour the second (winter-time) instant is taken; a time in the
/// spring's skipped hour becomes the instant an hour later, as a clock would show it.
pub fn from_input(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    // The wall-clock value read as if it were UTC; then corrected by Copenhagen's offset at
    // that instant (twice: the offset may change between the guess and the answer).
    let as_utc = Date::new(&JsValue::from_str(&format!("{value}Z"))).get_time();
    if as_utc.is_nan() {
        return None;
    }
    let offset = |at: f64| -> Option<f64> {
        let [y, mo, d, h, mi] = wall_clock(at)?;
        let wall = Date::utc(y as f64, (mo - 1) as f64)
            + ((d - 1) * 86_400_000 + h * 3_600_000 + mi * 60_000) as f64;
        Some(wall - (at - at.rem_euclid(60_000.0)))
    };
    let first = as_utc - offset(as_utc)?;
    let millis = as_utc - offset(first)?;
    DateTime::from_timestamp_millis(millis as i64)
}

/// Copenhagen date and time for display, e.g. "15.01.2027 10:00".
pub fn display(at: DateTime<Utc>) -> String {
    match wall_clock(at.timestamp_millis() as f64) {
        Some([y, mo, d, h, mi]) => format!("{d:02}.{mo:02}.{y:04} {h:02}:{mi:02}"),
        None => String::new(),
    }
}
