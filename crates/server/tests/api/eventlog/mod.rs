//! The event log (SPEC §4, issue 15): the three log searches, keyset pages, LOG-04 periods,
//! LOG-03 lookups of log searches, LOG-05 rights, CSV for Excel and export jobs, tenant
//! isolation and bad input.

use std::collections::HashSet;

use adgang_api_types::{
    ActionLogEntry, LogExport, LogPage, MessageEvent, MessageLogEntry, MessageType, OrgKind, Right,
    SearchLogEntry,
};
use adgang_core::audit::{
    record_action, record_message_events, record_search, ActionEvent, ActionRecord, Actor,
    MessageEventRecord, Register, SearchRecord, Subject,
};
use adgang_core::Cvr;
use adgang_test_support::{
    assert_field_errors, expect_json, field_codes, problem, spawn_app, spawn_app_with, Spa, TestApp,
};
use chrono::{DateTime, Duration, Utc};

mod exports;
mod input;
mod searches;

const ORG: &str = "29189846";
const OTHER: &str = "34051178";
const CPR: &str = "0101801234";

fn token(app: &TestApp, rights: &[Right]) -> String {
    app.token_for(ORG, OrgKind::Authority, rights)
}

/// `n` message events of `org`, one minute apart going back from `newest`, every third to
/// `CPR` and the rest to a company; pairs share a time so ties are broken by id.
async fn seed_messages(app: &TestApp, org: &str, n: usize, newest: DateTime<Utc>) {
    let db = app.db().await;
    let records: Vec<_> = (0..n)
        .map(|i| {
            let at = newest - Duration::minutes((i / 2) as i64);
            let mut r = MessageEventRecord::new(
                org,
                if i % 5 == 0 {
                    MessageEvent::Failed
                } else {
                    MessageEvent::Validated
                },
                at,
            );
            r.message_id = Some(format!("0190f3a0-0000-7000-8000-{i:012}"));
            r.title = Some(format!("Brev nr. {i} om æøå"));
            r.message_type = Some(MessageType::Letter);
            r.sender_id = Some(org.to_owned());
            r.recipient_id = Some(if i % 3 == 0 { CPR } else { "25052943" }.to_owned());
            r.attachment_count = Some(1);
            r
        })
        .collect();
    for chunk in records.chunks(1000) {
        record_message_events(&db, chunk.to_vec()).await.unwrap();
    }
}

async fn page_of<T: serde::de::DeserializeOwned>(
    app: &TestApp,
    path: &str,
    token: &str,
) -> LogPage<T> {
    app.get_json_as(path, token).await
}
