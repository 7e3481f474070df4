//! The result table: each log's column headings (LOG-01/02/03) and a page's rows as cells.

use adgang_api_types::{words, EventLogKind};

use super::fields::message_types;
use crate::api::eventlog::Rows;
use crate::i18n::{I18n, Key, Lang};

/// The column headings of each log (LOG-01/02/03).
pub(super) fn columns(log: EventLogKind) -> &'static [Key] {
    match log {
        EventLogKind::Messages => &[
            Key::log_col_title,
            Key::log_type,
            Key::log_sender,
            Key::log_recipient,
            Key::log_direction,
            Key::log_col_time,
            Key::log_event,
            Key::log_message_id,
            Key::log_system_id,
            Key::log_col_value_date,
            Key::log_col_contact_point,
            Key::log_col_endpoint,
            Key::log_col_error,
            Key::log_col_attachments,
        ],
        EventLogKind::Actions => &[
            Key::log_subject,
            Key::log_party,
            Key::log_object_id,
            Key::log_actor,
            Key::log_col_time,
            Key::log_event,
            Key::log_col_name,
            Key::log_col_field,
            Key::log_col_before,
            Key::log_col_after,
            Key::log_col_reason,
            Key::log_col_power_of_attorney,
        ],
        EventLogKind::Searches => &[
            Key::log_search_data,
            Key::log_rid,
            Key::log_col_register,
            Key::log_col_results,
            Key::log_col_time,
        ],
    }
}

pub(super) fn time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| crate::time::display(t.with_timezone(&chrono::Utc)))
        .unwrap_or_default()
}

/// A stored before/after value as a reader says it (issue 32 item 6): a time in Copenhagen
/// time, an identifier in words, anything else as stored.
fn value_text(field: &str, stored: String, english: bool) -> String {
    if chrono::DateTime::parse_from_rfc3339(&stored).is_ok() {
        return time(&stored);
    }
    words::value_text(field, &stored, english)
}

/// A page's rows as table cells, in the order of [`columns`], in the language shown.
pub(super) fn cells(rows: Rows, i18n: I18n) -> (Vec<Vec<String>>, Option<String>, String, String) {
    let english = i18n.lang() == Lang::En;
    let o = |v: Option<String>| v.unwrap_or_default();
    let said = |danish, in_english| i18n.either(danish, in_english).to_owned();
    match rows {
        Rows::Messages(page) => (
            page.items
                .into_iter()
                .map(|e| {
                    vec![
                        o(e.title),
                        e.message_type
                            .and_then(|t| {
                                message_types(i18n)
                                    .into_iter()
                                    .find(|(v, _)| *v == t.as_str())
                            })
                            .map(|(_, l)| l.to_owned())
                            .unwrap_or_default(),
                        o(e.sender),
                        o(e.recipient),
                        said(e.direction.danish(), e.direction.english()),
                        time(&e.occurred_at),
                        said(e.event.danish(), e.event.english()),
                        o(e.message_id),
                        o(e.system_id),
                        o(e.value_date),
                        o(e.contact_point_id),
                        o(e.endpoint),
                        e.error_message
                            .map(|m| words::log_error(&m, english))
                            .unwrap_or_default(),
                        e.attachment_count
                            .map(|n| n.to_string())
                            .unwrap_or_default(),
                    ]
                })
                .collect(),
            page.next_cursor,
            page.from,
            page.to,
        ),
        Rows::Actions(page) => (
            page.items
                .into_iter()
                .map(|e| {
                    let field = e.field.as_deref().unwrap_or_default();
                    let actor = if e.on_behalf {
                        format!("{} ({})", e.actor, i18n.t(Key::log_on_behalf))
                    } else {
                        e.actor
                    };
                    vec![
                        said(e.subject.danish(), e.subject.english()),
                        o(e.party),
                        o(e.object_id),
                        actor,
                        time(&e.occurred_at),
                        said(e.event.danish(), e.event.english()),
                        o(e.name),
                        words::field_text(field, english),
                        e.before
                            .map(|v| value_text(field, v, english))
                            .unwrap_or_default(),
                        e.after
                            .map(|v| value_text(field, v, english))
                            .unwrap_or_default(),
                        o(e.reason),
                        e.power_of_attorney
                            .and_then(|p| words::value(&p.to_string()))
                            .map(|w| w.in_language(english).to_owned())
                            .unwrap_or_default(),
                    ]
                })
                .collect(),
            page.next_cursor,
            page.from,
            page.to,
        ),
        Rows::Searches(page) => (
            page.items
                .into_iter()
                .map(|e| {
                    vec![
                        e.search_data,
                        e.actor_rid,
                        words::register(&e.register).map_or_else(
                            || e.register.clone(),
                            |w| w.in_language(english).to_owned(),
                        ),
                        e.result_count.to_string(),
                        time(&e.occurred_at),
                    ]
                })
                .collect(),
            page.next_cursor,
            page.from,
            page.to,
        ),
    }
}
