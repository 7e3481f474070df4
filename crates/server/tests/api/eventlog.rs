//! The event log (SPEC §4, issue 15): the three log searches, keyset pages, LOG-04 periods,
//! LOG-03 lookups of log searches, LOG-05 rights, CSV for Excel and export jobs, tenant
//! isolation and bad input.

use std::collections::HashSet;

use adgang_api_types::{
    ActionLogEntry, LogExport, LogPage, MessageEvent, MessageLogEntry, MessageType, OrgKind,
    Problem, Right, SearchLogEntry,
};
use adgang_core::audit::{
    record_action, record_message_events, record_search, ActionEvent, ActionRecord, Actor,
    MessageEventRecord, Register, SearchRecord, Subject,
};
use adgang_core::Cvr;
use adgang_test_support::{field_codes, spawn_app, spawn_app_with, user, Spa, TestApp};
use chrono::{DateTime, Duration, Utc};

const ORG: &str = "29189846";
const OTHER: &str = "34051178";
const CPR: &str = "0101801234";

fn token(app: &TestApp, rights: &[Right]) -> String {
    app.token(&user(ORG, OrgKind::Authority, rights))
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
            r.content_responsible_id = Some(org.to_owned());
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

async fn problem(response: reqwest::Response, status: u16) -> Problem {
    assert_eq!(response.status().as_u16(), status);
    response.json().await.unwrap()
}

#[tokio::test]
async fn log_01_message_log_pages_newest_first_by_cursor_without_gaps_or_other_organisations() {
    let app = spawn_app().await;
    let now = Utc::now();
    seed_messages(&app, ORG, 130, now - Duration::minutes(5)).await;
    seed_messages(&app, OTHER, 20, now - Duration::minutes(5)).await;
    let token = token(&app, &[Right::LogMessages]);

    let mut seen = Vec::new();
    let mut path = format!("/api/v1/organisations/{ORG}/events/messages?pageSize=50");
    let mut pages = 0;
    loop {
        let page: LogPage<MessageLogEntry> = page_of(&app, &path, &token).await;
        pages += 1;
        seen.extend(page.items);
        match page.next_cursor {
            Some(cursor) => {
                path = format!(
                    "/api/v1/organisations/{ORG}/events/messages?pageSize=50&cursor={cursor}"
                )
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 130, "every event once");
    let ids: HashSet<_> = seen.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids.len(), 130, "no event twice across pages");
    assert!(seen.iter().all(|e| e.sender.as_deref() == Some(ORG)));
    let keys: Vec<_> = seen
        .iter()
        .map(|e| (e.occurred_at.clone(), e.id.clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(keys, sorted, "newest first, ties by id");
    // Events 0 and 1 share the newest time; the later-written (higher id) comes first.
    let first = &seen[0];
    assert_eq!(first.title.as_deref(), Some("Brev nr. 1 om æøå"));
    assert_eq!(first.attachment_count, Some(1));
}

#[tokio::test]
async fn log_01_log_03_filters_narrow_the_message_log_and_a_search_by_cpr_is_itself_logged() {
    let app = spawn_app().await;
    seed_messages(&app, ORG, 60, Utc::now() - Duration::minutes(1)).await;
    let token = token(&app, &[Right::LogMessages, Right::LogSearches]);
    let base = format!("/api/v1/organisations/{ORG}/events/messages");

    let by_cpr: LogPage<MessageLogEntry> = page_of(
        &app,
        &format!("{base}?recipient={CPR}&pageSize=500"),
        &token,
    )
    .await;
    assert_eq!(by_cpr.items.len(), 20);
    assert!(by_cpr
        .items
        .iter()
        .all(|e| e.recipient.as_deref() == Some(CPR)));

    let failed: LogPage<MessageLogEntry> = page_of(
        &app,
        &format!("{base}?event=failed&direction=outgoing&messageType=letter&pageSize=500"),
        &token,
    )
    .await;
    assert_eq!(failed.items.len(), 12);
    assert!(failed.items.iter().all(|e| e.event == MessageEvent::Failed));

    let one: LogPage<MessageLogEntry> = page_of(
        &app,
        &format!("{base}?messageId=0190f3a0-0000-7000-8000-000000000007"),
        &token,
    )
    .await;
    assert_eq!(one.items.len(), 1);
    let none: LogPage<MessageLogEntry> =
        page_of(&app, &format!("{base}?direction=incoming"), &token).await;
    assert!(none.items.is_empty());

    // LOG-03: the CPR search is in the searches log, with its number of results.
    let searches: LogPage<SearchLogEntry> = page_of(
        &app,
        &format!("/api/v1/organisations/{ORG}/events/searches?searchData={CPR}"),
        &token,
    )
    .await;
    assert_eq!(searches.items.len(), 1, "{:?}", searches.items);
    let logged = &searches.items[0];
    assert_eq!((logged.register.as_str(), logged.result_count), ("cpr", 20));
    assert_eq!(logged.actor_rid, "rid-29189846-log_messages+log_searches");
}

#[tokio::test]
async fn log_02_the_actions_log_finds_actors_in_each_form_but_never_system() {
    let app = spawn_app().await;
    let db = app.db().await;
    let org = Cvr::parse(ORG).unwrap();
    let record = |party: &str| ActionRecord {
        organisation: org.clone(),
        subject: Subject::Exemption,
        event: ActionEvent::Created,
        party: Some(party.to_owned()),
        object_id: Some("obj-1".into()),
        object_name: Some("Fritagelse".into()),
        changes: vec![],
        reason: Some("Bor på plejehjem".into()),
        power_of_attorney: Some(true),
    };
    let now = Utc::now() - Duration::minutes(1);
    let actors = [
        Actor::EmployeeOf {
            cvr: org.clone(),
            rid: "12345678910".into(),
        },
        Actor::OperatorOnBehalf {
            home: Cvr::parse(OTHER).unwrap(),
            rid: "12345678910".into(),
        },
        Actor::EmployeeOf {
            cvr: org.clone(),
            rid: "555".into(),
        },
        Actor::System,
    ];
    for (i, actor) in actors.iter().enumerate() {
        record_action(&db, actor, now + Duration::seconds(i as i64), record(CPR))
            .await
            .unwrap();
    }
    let token = token(&app, &[Right::LogActions]);
    let search = |query: String| {
        let (app, token) = (&app, token.clone());
        async move {
            let page: LogPage<ActionLogEntry> = app
                .get_json_as(
                    &format!("/api/v1/organisations/{ORG}/events/actions?{query}"),
                    &token,
                )
                .await;
            page.items.into_iter().map(|e| e.actor).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        search("actor=12345678910".into()).await,
        [
            format!("CVR:{OTHER}-RID:12345678910"),
            format!("CVR:{ORG}-RID:12345678910")
        ]
    );
    assert_eq!(
        search(format!("actor=CVR:{ORG}-RID:12345678910")).await,
        [format!("CVR:{ORG}-RID:12345678910")]
    );
    assert_eq!(search(format!("actor={ORG}")).await.len(), 2);
    assert_eq!(
        search(format!("party={CPR}&subject=exemption")).await.len(),
        4
    );
    let all: LogPage<ActionLogEntry> = app
        .get_json_as(
            &format!("/api/v1/organisations/{ORG}/events/actions"),
            &token,
        )
        .await;
    let system = all.items.iter().find(|e| e.actor == "System").unwrap();
    assert_eq!(system.reason.as_deref(), Some("Bor på plejehjem"));
    assert_eq!(system.power_of_attorney, Some(true));
    assert!(all.items.iter().any(|e| e.on_behalf));

    let refused = app
        .get_as(
            &format!("/api/v1/organisations/{ORG}/events/actions?actor=System"),
            &token,
        )
        .await;
    let refused = problem(refused, 400).await;
    assert_eq!(
        field_codes(&refused),
        [("actor".to_owned(), "invalid_actor".to_owned())]
    );
}

#[tokio::test]
async fn log_04_periods_longer_reversed_too_old_or_malformed_are_field_errors() {
    let app = spawn_app().await;
    let token = token(&app, &[Right::LogMessages, Right::LogActions]);
    let today = adgang_core::time::copenhagen(Utc::now()).date_naive();
    let cases = [
        (
            "messages",
            format!("from={}&to={}", today, today - Duration::days(1)),
            "to",
            "period_reversed",
        ),
        (
            "messages",
            format!("from={}&to={today}", today - Duration::days(100)),
            "from",
            "period_too_long",
        ),
        (
            "actions",
            format!(
                "from={}&to={}",
                today - Duration::days(120),
                today - Duration::days(100)
            ),
            "from",
            "period_too_old",
        ),
        (
            "messages",
            "from=1.12.2026".to_owned(),
            "from",
            "invalid_date",
        ),
    ];
    for (log, query, field, code) in cases {
        let response = app
            .get_as(
                &format!("/api/v1/organisations/{ORG}/events/{log}?{query}"),
                &token,
            )
            .await;
        let p = problem(response, 400).await;
        assert_eq!(
            field_codes(&p),
            [(field.to_owned(), code.to_owned())],
            "{log}?{query}"
        );
    }
    // The message log may look further back, 3 months at a time.
    let old: LogPage<MessageLogEntry> = app
        .get_json_as(
            &format!(
                "/api/v1/organisations/{ORG}/events/messages?from={}&to={}",
                today - Duration::days(200),
                today - Duration::days(150)
            ),
            &token,
        )
        .await;
    assert!(old.items.is_empty());
    // No period: the last 3 months.
    let default: LogPage<ActionLogEntry> = app
        .get_json_as(
            &format!("/api/v1/organisations/{ORG}/events/actions"),
            &token,
        )
        .await;
    assert_eq!(default.to, today.to_string());
    assert_eq!(default.from, (today - chrono::Months::new(3)).to_string());
}

#[tokio::test]
async fn log_05_log_06_bad_cursors_page_sizes_and_filters_are_clear_400s() {
    let app = spawn_app().await;
    seed_messages(&app, ORG, 5, Utc::now() - Duration::minutes(1)).await;
    seed_messages(&app, OTHER, 5, Utc::now() - Duration::minutes(1)).await;
    let token = token(&app, &[Right::LogMessages, Right::LogActions]);
    let other_token = app.token(&user(OTHER, OrgKind::Authority, &[Right::LogMessages]));
    let foreign: LogPage<MessageLogEntry> = app
        .get_json_as(
            &format!("/api/v1/organisations/{OTHER}/events/messages?pageSize=2"),
            &other_token,
        )
        .await;
    let foreign_cursor = foreign.next_cursor.unwrap();
    let base = format!("/api/v1/organisations/{ORG}/events");
    let cases = [
        (
            format!("{base}/messages?cursor={foreign_cursor}"),
            "cursor",
            "invalid_cursor",
        ),
        (
            format!("{base}/actions?cursor={foreign_cursor}"),
            "cursor",
            "invalid_cursor",
        ),
        (
            format!("{base}/messages?cursor=djF8bWVzc2FnZXN8"),
            "cursor",
            "invalid_cursor",
        ),
        (
            format!("{base}/messages?pageSize=0"),
            "pageSize",
            "page_size_range",
        ),
        (
            format!("{base}/messages?pageSize=1000000"),
            "pageSize",
            "page_size_range",
        ),
        (
            format!("{base}/messages?recipient=123"),
            "recipient",
            "cpr_or_cvr",
        ),
        (
            format!("{base}/messages?recipient=3213801234"),
            "recipient",
            "cpr_date",
        ),
        (
            format!("{base}/messages?sender=29189847"),
            "sender",
            "cvr_checksum",
        ),
        (
            format!("{base}/messages?event=exploded"),
            "event",
            "unknown",
        ),
        (
            format!("{base}/actions?subject=weather"),
            "subject",
            "unknown",
        ),
    ];
    for (path, field, code) in cases {
        let p = problem(app.get_as(&path, &token).await, 400).await;
        assert_eq!(
            field_codes(&p),
            [(field.to_owned(), code.to_owned())],
            "{path}"
        );
    }
    // LOG-05: a right that opens another log opens not this one; another organisation is 404.
    let searches = app.get_as(&format!("{base}/searches"), &token).await;
    assert_eq!(searches.status(), 403);
    let tenant = app
        .get_as(
            &format!("/api/v1/organisations/{OTHER}/events/messages"),
            &token,
        )
        .await;
    assert_eq!(tenant.status(), 404);
    let citizen_service = app.token(&user(ORG, OrgKind::Authority, &[Right::CitizenService]));
    for (log, status) in [("messages", 200), ("actions", 200), ("searches", 403)] {
        let response = app.get_as(&format!("{base}/{log}"), &citizen_service).await;
        assert_eq!(response.status(), status, "citizen_service on {log}");
    }
}

/// The CSV's lines after the BOM, split on `;` (no field here holds one).
fn csv_lines(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM first");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.contains("\r\n"), "CRLF line ends");
    text.lines()
        .map(|line| line.split(';').map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn x_05_a_log_downloads_as_csv_for_danish_excel_with_the_two_extra_columns() {
    let app = spawn_app().await;
    // 13:05 UTC on 2 December is 14:05 in Copenhagen.
    let at = Utc::now() - Duration::days(1);
    seed_messages(&app, ORG, 3, at).await;
    let token = token(&app, &[Right::LogMessages]);
    let response = app
        .get_as(
            &format!("/api/v1/organisations/{ORG}/events/messages/csv?recipient={CPR}"),
            &token,
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("haendelseslog-meddelelser-"));
    let lines = csv_lines(&response.bytes().await.unwrap());
    assert_eq!(lines[0][0], "Titel");
    assert_eq!(lines[0][6], "Hændelse");
    assert_eq!(
        &lines[0][14..],
        ["ContentresponsibleID", "RepresentativeID"]
    );
    assert_eq!(lines.len(), 2, "the heading and the one event to the CPR");
    let row = &lines[1];
    assert_eq!(row[0], "Brev nr. 0 om æøå");
    assert_eq!(
        (row[1].as_str(), row[4].as_str(), row[6].as_str()),
        ("Brev", "Udgående", "Fejlet")
    );
    let local = adgang_core::time::copenhagen(at)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    assert!(row[5].starts_with(&local), "{} in Copenhagen time", row[5]);
    assert_eq!(row[14], ORG);
}

/// Pages and CSV read each row as one JSON array the database builds (issue 15's speed): every
/// column must land in its own field and cell, text that JSON escapes must come back whole, and
/// a formula stays text in the CSV.
#[tokio::test]
async fn log_01_x_05_every_column_of_the_message_log_page_and_csv_holds_its_own_value() {
    let app = spawn_app().await;
    let at = Utc::now() - Duration::hours(2);
    let mut event = MessageEventRecord::new(ORG, MessageEvent::Failed, at);
    event.message_id = Some("0190f3a0-0000-7000-8000-00000000abcd".into());
    event.system_id = Some("sys-42".into());
    event.title = Some("=2+2 \"citat\"; semikolon\nny linje \\ æøå".into());
    event.message_type = Some(MessageType::LegalNotice);
    event.sender_id = Some(ORG.into());
    event.recipient_id = Some(CPR.into());
    event.value_date = Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 24).unwrap());
    event.contact_point_id = Some("kp-7".into());
    event.endpoint = Some("https://modtager.example/dp".into());
    event.error_message = Some("Afvist: \"{\\\"x\\\":1}\"\ttab".into());
    event.attachment_count = Some(3);
    event.content_responsible_id = Some("25052943".into());
    event.representative_id = Some("34051178".into());
    let incoming = MessageEventRecord::new(ORG, MessageEvent::Collected, at - Duration::hours(1));
    record_message_events(&app.db().await, vec![event.clone(), incoming])
        .await
        .unwrap();
    let token = token(&app, &[Right::LogMessages]);
    let response = app
        .get_as(
            &format!("/api/v1/organisations/{ORG}/events/messages/csv"),
            &token,
        )
        .await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let time = adgang_core::time::copenhagen(at)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    assert_eq!(
        rows[0],
        [
            "'=2+2 \"citat\"; semikolon\nny linje \\ æøå",
            "Forkyndelse",
            ORG,
            CPR,
            "Udgående",
            time.as_str(),
            "Fejlet",
            "0190f3a0-0000-7000-8000-00000000abcd",
            "sys-42",
            "2026-12-24",
            "kp-7",
            "https://modtager.example/dp",
            "Afvist: \"{\\\"x\\\":1}\"\ttab",
            "3",
            "25052943",
            "34051178",
        ]
    );
    assert_eq!(rows[1][4], "Indgående");
    assert_eq!(rows[1][6], MessageEvent::Collected.danish());
    assert!(
        rows[1][0].is_empty() && rows[1][13].is_empty(),
        "{:?}",
        rows[1]
    );

    let page: LogPage<MessageLogEntry> = page_of(
        &app,
        &format!("/api/v1/organisations/{ORG}/events/messages"),
        &token,
    )
    .await;
    let entry = &page.items[0];
    assert_eq!(entry.title, event.title);
    assert_eq!(entry.message_type, Some(MessageType::LegalNotice));
    assert_eq!(
        (entry.sender.as_deref(), entry.recipient.as_deref()),
        (Some(ORG), Some(CPR))
    );
    assert_eq!(entry.direction, adgang_api_types::Direction::Outgoing);
    assert_eq!(
        entry.occurred_at,
        at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    );
    assert_eq!(entry.event, MessageEvent::Failed);
    assert_eq!(entry.message_id, event.message_id);
    assert_eq!(entry.system_id, event.system_id);
    assert_eq!(entry.value_date.as_deref(), Some("2026-12-24"));
    assert_eq!(entry.contact_point_id, event.contact_point_id);
    assert_eq!(entry.endpoint, event.endpoint);
    assert_eq!(entry.error_message, event.error_message);
    assert_eq!(entry.attachment_count, Some(3));
    let second = &page.items[1];
    assert_eq!(second.direction, adgang_api_types::Direction::Incoming);
    assert_eq!(
        (second.title.as_deref(), second.attachment_count),
        (None, None)
    );
}

#[tokio::test]
async fn x_05_a_large_search_becomes_an_export_job_with_progress_and_a_file_that_expires() {
    let app = spawn_app_with(Spa::None, |s| s.log_stream_limit = 100).await;
    let rows = 11_000;
    seed_messages(&app, ORG, rows, Utc::now() - Duration::minutes(1)).await;
    let token = token(&app, &[Right::LogMessages]);
    let base = format!("/api/v1/organisations/{ORG}/events/messages");

    let direct = app.get_as(&format!("{base}/csv"), &token).await;
    let p = problem(direct, 409).await;
    assert_eq!(
        p.reason,
        Some(adgang_api_types::ConflictReason::ExportRequired)
    );

    let started = app
        .post_as(&format!("{base}/exports"), &token, &serde_json::json!({}))
        .await;
    assert_eq!(started.status(), 202);
    let export: LogExport = started.json().await.unwrap();
    assert_eq!(export.rows_total, rows as u64);
    let status_path = format!("/api/v1/organisations/{ORG}/events/exports/{}", export.id);
    let mut done = export;
    for _ in 0..300 {
        done = app.get_json_as(&status_path, &token).await;
        if done.expires_at.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(done.rows_written, rows as u64, "{done:?}");
    let file = app.get_as(&format!("{status_path}/file"), &token).await;
    assert_eq!(file.status(), 200);
    let lines = csv_lines(&file.bytes().await.unwrap());
    assert_eq!(lines.len(), rows + 1);
    let titles: HashSet<_> = lines[1..].iter().map(|l| l[0].clone()).collect();
    assert_eq!(titles.len(), rows, "each row once across chunks");

    // Another organisation's user cannot see it; a user of the actions log only neither.
    let other = app.token(&user(OTHER, OrgKind::Authority, &[Right::LogMessages]));
    let foreign = format!("/api/v1/organisations/{OTHER}/events/exports/{}", done.id);
    assert_eq!(app.get_as(&foreign, &other).await.status(), 404);
    let actions_only = self::token(&app, &[Right::LogActions]);
    assert_eq!(app.get_as(&status_path, &actions_only).await.status(), 403);

    // The link expires after a day; the sweep deletes the file.
    app.clock.advance(Duration::hours(25));
    assert_eq!(app.get_as(&status_path, &token).await.status(), 404);
    let db = app.db().await;
    use sea_orm::{EntityTrait, PaginatorTrait};
    for _ in 0..50 {
        let left = adgang_eventlog::entity::log_export_chunk::Entity::find()
            .count(&db)
            .await
            .unwrap();
        if left == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the expired export's chunks were not deleted");
}

#[tokio::test]
async fn log_03_the_searches_log_filters_by_rid_and_number() {
    let app = spawn_app().await;
    let db = app.db().await;
    let org = Cvr::parse(ORG).unwrap();
    for (rid, data, register) in [
        ("111", CPR, Register::Cpr),
        ("222", CPR, Register::Cpr),
        ("111", "25052943", Register::Cvr),
    ] {
        let record = SearchRecord {
            organisation: org.clone(),
            actor_rid: rid.into(),
            search_data: data.into(),
            register,
            result_count: 1,
        };
        record_search(&db, Utc::now() - Duration::minutes(1), record)
            .await
            .unwrap();
    }
    let token = token(&app, &[Right::LogSearches]);
    let base = format!("/api/v1/organisations/{ORG}/events/searches");
    let by_rid: LogPage<SearchLogEntry> = app.get_json_as(&format!("{base}?rid=111"), &token).await;
    assert_eq!(by_rid.items.len(), 2);
    let by_cvr: LogPage<SearchLogEntry> = app
        .get_json_as(&format!("{base}?searchData=25052943"), &token)
        .await;
    assert_eq!(by_cvr.items.len(), 1);
    // That search by CVR was itself logged (LOG-03).
    let again: LogPage<SearchLogEntry> = app
        .get_json_as(&format!("{base}?searchData=25052943"), &token)
        .await;
    assert_eq!(again.items.len(), 2);
    assert_eq!(again.items[0].actor_rid, "rid-29189846-log_searches");
}

/// X-05 with several instances: the app's own export worker and two more on the same database
/// (as further server instances would be) make five exports; each is claimed by one of them
/// and comes out whole, every row once.
#[tokio::test]
async fn x_05_several_export_workers_on_one_database_make_each_export_whole() {
    let app = spawn_app_with(Spa::None, |s| s.log_stream_limit = 10).await;
    let rows = 12_000;
    seed_messages(&app, ORG, rows, Utc::now() - Duration::minutes(1)).await;
    let db = app.db().await;
    for _ in 0..2 {
        let worker = adgang_eventlog::ExportWorker {
            db: db.clone(),
            clock: app.clock.clone() as std::sync::Arc<dyn adgang_core::Clock>,
            lifetime: Duration::hours(24),
        };
        tokio::spawn(adgang_core::jobs::run_forever(worker));
    }
    let token = token(&app, &[Right::LogMessages]);
    let base = format!("/api/v1/organisations/{ORG}/events");
    let mut ids = Vec::new();
    for _ in 0..5 {
        let started = app
            .post_as(
                &format!("{base}/messages/exports"),
                &token,
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(started.status(), 202);
        ids.push(started.json::<LogExport>().await.unwrap().id);
    }
    for id in ids {
        let path = format!("{base}/exports/{id}");
        let mut export: LogExport = app.get_json_as(&path, &token).await;
        for _ in 0..600 {
            if export.expires_at.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            export = app.get_json_as(&path, &token).await;
        }
        assert_eq!(export.rows_written, rows as u64, "{export:?}");
        let file = app.get_as(&format!("{path}/file"), &token).await;
        let lines = csv_lines(&file.bytes().await.unwrap());
        assert_eq!(lines.len(), rows + 1, "export {id}");
        let titles: HashSet<_> = lines[1..].iter().map(|l| l[0].clone()).collect();
        assert_eq!(titles.len(), rows, "export {id}: each row once");
    }
}
