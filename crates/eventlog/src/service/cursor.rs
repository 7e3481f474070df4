//! Keyset cursors (LOG-06): where the next page starts, as an opaque string the client hands
//! back. It names the log and organisation it was made for, so a cursor from another search
//! of another log or organisation is refused rather than silently misread.

use adgang_api_types::{EventLogKind, FieldCode};
use adgang_core::FieldErrors;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};

use crate::EventLogError;

/// The last row of a page: its time and id (the sort key, newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub at: DateTime<Utc>,
    pub id: String,
}

impl Position {
    /// `base64url("v1|<log>|<cvr>|<nanoseconds>|<id>")`. Nanoseconds, not micro: a row written
    /// by SQLite keeps its clock's full precision and the position must name it exactly.
    pub fn encode(&self, log: EventLogKind, organisation: &str) -> String {
        let nanos = self.at.timestamp_nanos_opt().unwrap_or(i64::MAX);
        URL_SAFE_NO_PAD.encode(format!(
            "v1|{}|{organisation}|{nanos}|{}",
            log.as_str(),
            self.id
        ))
    }

    /// Reads a cursor made by [`Position::encode`] for the same log and organisation.
    pub fn decode(
        raw: &str,
        log: EventLogKind,
        organisation: &str,
    ) -> Result<Position, EventLogError> {
        let invalid = || {
            let mut errors = FieldErrors::new();
            errors.add(
                "cursor",
                FieldCode::InvalidCursor,
                "Not a cursor of this search; start again from the first page.",
            );
            EventLogError::Validation(errors)
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(raw.trim().as_bytes())
            .map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let parts: Vec<&str> = text.split('|').collect();
        let [version, kind, cvr, nanos, id] = parts[..] else {
            return Err(invalid());
        };
        if version != "v1" || kind != log.as_str() || cvr != organisation {
            return Err(invalid());
        }
        let nanos: i64 = nanos.parse().map_err(|_| invalid())?;
        let id_ok = !id.is_empty()
            && id.len() <= 36
            && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
        if !id_ok {
            return Err(invalid());
        }
        Ok(Position {
            at: DateTime::from_timestamp_nanos(nanos),
            id: id.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_06_a_cursor_reads_back_only_for_its_own_log_and_organisation() {
        let position = Position {
            at: DateTime::from_timestamp_nanos(1_764_700_000_123_456_789),
            id: "0193a1b2-0000-7000-8000-000000000001".to_owned(),
        };
        let cursor = position.encode(EventLogKind::Messages, "29189846");
        assert_eq!(
            Position::decode(&cursor, EventLogKind::Messages, "29189846").unwrap(),
            position
        );
        for (log, org) in [
            (EventLogKind::Actions, "29189846"),
            (EventLogKind::Messages, "34051178"),
        ] {
            assert!(Position::decode(&cursor, log, org).is_err());
        }
        for forged in [
            "",
            "!!!",
            "djF8bWVzc2FnZXM",
            &URL_SAFE_NO_PAD.encode("v1|messages|29189846|x|1"),
        ] {
            assert!(Position::decode(forged, EventLogKind::Messages, "29189846").is_err());
        }
    }
}
