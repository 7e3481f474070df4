//! a log as CSV for Danish Excel, every column in its own field, large searches as export
//! jobs, and several export workers on one database.

use super::*;
use adgang_test_support::{header_text, spawn_app_with_organisations};

/// The CSV's lines after the BOM, split on `;` (no field here holds one).
fn csv_lines(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM first");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.contains("\r\n"), "CRLF line ends");
    text.lines()
        .map(|line| line.split(';').map(str::to_owned).collect())
        .collect()
}

/// `cvr`'s event log downloaded as CSV (`rest`: "actions/csv", "messages/csv?…"), which must
/// answer 200: its lines, split.
async fn csv_download(app: &TestApp, token: &str, cvr: &str, rest: &str) -> Vec<Vec<String>> {
    let response = csv_response(app, token, cvr, rest).await;
    csv_lines(&response.bytes().await.unwrap())
}

/// `cvr`'s event log downloaded as CSV (`rest` as for [`csv_download`]), asserted to answer 200.
async fn csv_response(app: &TestApp, token: &str, cvr: &str, rest: &str) -> reqwest::Response {
    app.get_ok_as(&format!("/api/v1/organisations/{cvr}/events/{rest}"), token)
        .await
}

#[tokio::test]
async fn x_05_a_log_downloads_as_csv_for_danish_excel_with_the_extra_columns() {
    let app = spawn_app().await;
    // 13:05 UTC on 2 December is 14:05 in Copenhagen.
    let at = Utc::now() - Duration::days(1);
    seed_messages(&app, ORG, 3, at).await;
    let token = token(&app, &[Right::LogMessages]);
    let rest = format!("messages/csv?recipient={CPR}");
    let response = csv_response(&app, &token, ORG, &rest).await;
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(header_text(&response, "content-disposition").contains("haendelseslog-meddelelser-"));
    let lines = csv_lines(&response.bytes().await.unwrap());
    assert_eq!(lines[0][0], "Titel");
    assert_eq!(lines[0][6], "Hændelse");
    assert_eq!(
        &lines[0][14..],
        [
            "ContentresponsibleID",
            "RepresentativeID",
            "Leverandør (CVR)"
        ]
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
    // No one has access to the citizen's mail (issue 33 item 4: not the sender's CVR).
    assert_eq!((row[14].as_str(), row[15].as_str()), ("", ""));
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
    event.vendor_cvr = Some("34051178".into());
    let incoming = MessageEventRecord::new(ORG, MessageEvent::Collected, at - Duration::hours(1));
    record_message_events(&app.db().await, vec![event.clone(), incoming])
        .await
        .unwrap();
    let token = token(&app, &[Right::LogMessages]);
    let response = csv_response(&app, &token, ORG, "messages/csv").await;
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
            "",
            "",
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
    let file = app.get_ok_as(&format!("{status_path}/file"), &token).await;
    let lines = csv_lines(&file.bytes().await.unwrap());
    assert_eq!(lines.len(), rows + 1);
    let titles: HashSet<_> = lines[1..].iter().map(|l| l[0].clone()).collect();
    assert_eq!(titles.len(), rows, "each row once across chunks");

    // Another organisation's user cannot see it; a user of the actions log only neither.
    let other = app.token_for(OTHER, OrgKind::Authority, &[Right::LogMessages]);
    let foreign = format!("/api/v1/organisations/{OTHER}/events/exports/{}", done.id);
    assert_eq!(app.get_as(&foreign, &other).await.status(), 404);
    let actions_only = self::token(&app, &[Right::LogActions]);
    assert_eq!(app.get_as(&status_path, &actions_only).await.status(), 403);

    // The link expires after a day; the sweep deletes the file.
    app.clock.advance(Duration::hours(25));
    // Tokens are checked against the app's clock: mint them at its new time.
    let token = self::token(&app, &[Right::LogMessages]);
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
            holders: std::sync::Arc::new(adgang_mail_access::ports::MailAccessHoldersPort),
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

/// Issue 32 item 6: the actions log's CSV says what changed in words — the field's Danish name,
/// identifiers as words, times in Copenhagen time — not the API's `protocol`/`rest_push`/UTC.
#[tokio::test]
async fn log_02_the_actions_csv_names_fields_values_and_times_in_danish() {
    let app = spawn_app_with_organisations(&[(ORG, "Testkommune Nord", OrgKind::Authority)]).await;
    let token = token(&app, &[Right::SystemAdmin, Right::LogActions]);
    let settings = serde_json::json!({
        "name": "Sagssystemet", "role": "recipient", "protocol": "rest_push",
        "allowedIps": ["10.0.0.1"], "endpoint": "https://modtag.example.dk/dp",
        "activation": {"mode": "now"},
        "technicalContact": {"email": "drift@example.dk", "phone": "12345678"}
    });
    app.create_system(ORG, &token, &settings).await;
    let lines = csv_download(&app, &token, ORG, "actions/csv").await;
    let (field, after) = (
        lines[0].iter().position(|h| h == "Felt").expect("Felt"),
        lines[0].iter().position(|h| h == "Efter").expect("Efter"),
    );
    let value_of = |name: &str| {
        lines[1..]
            .iter()
            .find(|row| row[field] == name)
            .map(|row| row[after].clone())
            .unwrap_or_else(|| panic!("no row for {name}: {lines:?}"))
    };
    assert_eq!(value_of("Protokol"), "REST (push)");
    assert_eq!(value_of("Rolle"), "Modtager");
    let text = lines.concat().join(";");
    for raw in ["rest_push", "\"protocol\"", ";protocol;", "+00:00"] {
        assert!(!text.contains(raw), "{raw} in the CSV: {text}");
    }
    let active_from = value_of("Aktiv fra");
    assert!(
        active_from.len() == 19 && !active_from.contains('T'),
        "Copenhagen time as in the other columns: {active_from}"
    );
    // Issue 33 item 5 (§7.4): the download carries detail the page does not show.
    let column = |name: &str| {
        lines[0]
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}: {:?}", lines[0]))
    };
    let (id, org, rid, behalf, utc) = (
        column("Hændelses-ID"),
        column("Organisation (CVR)"),
        column("Aktørens RID"),
        column("På vegne af"),
        column("Tidspunkt (UTC)"),
    );
    for row in &lines[1..] {
        assert_eq!(row[org], ORG);
        assert_eq!(row[id].len(), 36, "a UUID: {row:?}");
        assert!(!row[rid].is_empty(), "{row:?}");
        assert_eq!(row[behalf], "Nej");
        assert!(row[utc].ends_with('Z'), "{row:?}");
    }
}

/// Issue 33 item 5 (LOG-03, §7.5): the searches CSV names the register in words and carries
/// the extra detail — the register's id, what kind of number was searched, the time in UTC.
#[tokio::test]
async fn log_03_the_searches_csv_names_the_register_and_carries_the_extra_detail() {
    let app = spawn_app().await;
    let token = token(&app, &[Right::LogMessages, Right::LogSearches]);
    app.get_ok_as(
        &format!("/api/v1/organisations/{ORG}/events/messages?recipient={CPR}"),
        &token,
    )
    .await;
    let lines = csv_download(&app, &token, ORG, "searches/csv").await;
    assert_eq!(
        lines[0],
        [
            "Søgedata",
            "Medarbejder (RID)",
            "Register",
            "Antal resultater",
            "Tidspunkt",
            "Hændelses-ID",
            "Organisation (CVR)",
            "Register-ID",
            "Søgt på",
            "Tidspunkt (UTC)"
        ]
    );
    let row = lines
        .iter()
        .find(|row| row[0] == CPR)
        .unwrap_or_else(|| panic!("the lookup: {lines:?}"));
    assert_eq!(row[2], "Hændelsesloggen");
    assert_eq!(row[6], ORG);
    assert_eq!(row[7], "event_log");
    assert_eq!(row[8], "CPR-nummer");
}

/// Issue 33 item 4 (LOG-01, the guide's §7.3): ContentresponsibleID and RepresentativeID hold
/// the CPR/CVR of whoever had read-and-write access to the recipient's mail when the event
/// happened — ContentresponsibleID before 3 March 2025, RepresentativeID from then on — from
/// the mail-access register, given and revoked through its API on an injected clock.
#[tokio::test]
async fn log_01_the_csv_names_the_mail_access_holder_before_and_after_3_march_2025() {
    use crate::messaging::{accepted, memo, sender, CITIZEN, SENDER};
    let app = crate::messaging::app().await;
    let at = |t: &str| app.clock.set(t.parse().unwrap());
    let citizen_service_at_now =
        || app.token_for(SENDER, OrgKind::Authority, &[Right::CitizenService]);
    let holder = adgang_registry::SyntheticRegistry::citizen_cpr(77);
    let reader = adgang_registry::SyntheticRegistry::citizen_cpr(78);

    at("2025-01-10T10:00:00Z");
    // Tokens are checked against the app's clock: minted at its time.
    let citizen_service = citizen_service_at_now();
    let caller = sender(&app).await;
    let mut ids = Vec::new();
    for (who, level) in [(&holder, "read_write"), (&reader, "read")] {
        let response = app
            .post_as(
                &format!("/api/v1/organisations/{SENDER}/mail-accesses"),
                &citizen_service,
                &serde_json::json!({ "giver": CITIZEN, "holder": who, "level": level }),
            )
            .await;
        let receipt: adgang_api_types::MailAccessReceipt = expect_json(response, 201).await;
        ids.push(receipt.access.id);
    }
    let send = |title: &'static str| {
        let app = &app;
        let caller = caller.clone();
        async move {
            let mut body = memo(CITIZEN);
            body["title"] = serde_json::json!(title);
            accepted(app, &caller, &body).await;
        }
    };
    at("2025-02-01T10:00:00Z");
    send("Før 3. marts").await;
    at("2025-03-10T10:00:00Z");
    send("Efter 3. marts").await;
    at("2025-03-15T10:00:00Z");
    let citizen_service = citizen_service_at_now();
    let revoked = app
        .delete_as(
            &format!("/api/v1/organisations/{SENDER}/mail-accesses/{}", ids[0]),
            &citizen_service,
        )
        .await;
    assert_eq!(revoked.status(), 200, "{}", revoked.text().await.unwrap());
    at("2025-03-16T10:00:00Z");
    send("Efter tilbagekaldelsen").await;

    at("2025-03-25T10:00:00Z");
    let token = app.token_for(SENDER, OrgKind::Authority, &[Right::LogMessages]);
    let lines = csv_download(&app, &token, SENDER, "messages/csv?from=2025-01-25").await;
    let column = |name: &str| lines[0].iter().position(|h| h == name).unwrap();
    let (title, content, representative) = (
        column("Titel"),
        column("ContentresponsibleID"),
        column("RepresentativeID"),
    );
    let of = |wanted: &str| {
        let rows: Vec<(String, String)> = lines[1..]
            .iter()
            .filter(|row| row[title] == wanted)
            .map(|row| (row[content].clone(), row[representative].clone()))
            .collect();
        assert!(!rows.is_empty(), "no rows for {wanted}: {lines:?}");
        rows
    };
    // Only the read-and-write holder, never the one who may only read.
    assert!(of("Før 3. marts")
        .iter()
        .all(|r| *r == (holder.clone(), String::new())));
    assert!(of("Efter 3. marts")
        .iter()
        .all(|r| *r == (String::new(), holder.clone())));
    assert!(of("Efter tilbagekaldelsen")
        .iter()
        .all(|r| *r == (String::new(), String::new())));
}
