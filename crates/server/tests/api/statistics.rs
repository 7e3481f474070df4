//! Statistics (SPEC §11, guide chapter 14): custom reports counting the organisation's own
//! messages by every variable (ST-04, ST-06), standard subscriptions produced on the 10th of
//! the following period and replacing their previous version (ST-01/02), cancel and the fixed
//! interval (ST-03), the overview and download (ST-05), the 7 days, several instances, a crash
//! mid-production, bad input, rights and tenants.

use std::sync::Arc;

use adgang_api_types::{ConflictReason, FieldCode, OrgKind, ReportState, Right, StatisticsReport};
use adgang_core::entity::actions_log;
use adgang_core::ports::{Mail, Mailer};
use adgang_core::Clock;
use adgang_messaging::entity::mail_outbox;
use adgang_statistics::{ExpiredReports, ExpiryWorker, ProductionWorker};
use adgang_test_support::{expect_json, problem, TestApp};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::messaging::{accepted, app, memo, sender, system, AUTHORITY, CITIZEN, COMPANY, SENDER};

fn statistician(app: &TestApp, cvr: &str) -> String {
    app.token_for(cvr, OrgKind::Authority, &[Right::StatisticsAdmin])
}

/// Sets the app's clock to `at` and mints SENDER's statistician token there (tokens are
/// checked against the app's clock).
fn statistician_at(app: &TestApp, at: &str) -> String {
    app.clock.set(at.parse().expect("an RFC 3339 time"));
    statistician(app, SENDER)
}

fn reports(cvr: &str) -> String {
    format!("/api/v1/organisations/{cvr}/statistics/reports")
}

/// The scheduler as a server instance runs it (the test app's own is off).
async fn worker(app: &TestApp) -> ProductionWorker {
    worker_with(app, Arc::new(adgang_messaging::outbox::MailOutbox)).await
}

async fn worker_with(app: &TestApp, mailer: Arc<dyn Mailer>) -> ProductionWorker {
    adgang_test_support::messages::statistics_worker(app, mailer).await
}

async fn order(app: &TestApp, token: &str, kind: &str, body: Value) -> StatisticsReport {
    let response = app
        .post_as(
            &format!("/api/v1/organisations/{SENDER}/statistics/{kind}"),
            token,
            &body,
        )
        .await;
    expect_json(response, 201).await
}

/// SENDER's report `id` as its details page shows it.
async fn details(app: &TestApp, token: &str, id: &str) -> StatisticsReport {
    app.get_json_as(&format!("{}/{id}", reports(SENDER)), token)
        .await
}

/// A report's period as (from, to) dates.
fn period(report: &StatisticsReport) -> Option<(String, String)> {
    report
        .period
        .as_ref()
        .map(|p| (p.from.to_string(), p.to.to_string()))
}

/// `cvr`'s reports overview, first page.
async fn overview(app: &TestApp, token: &str, cvr: &str) -> Vec<StatisticsReport> {
    app.get_json_as::<adgang_api_types::Page<StatisticsReport>>(&reports(cvr), token)
        .await
        .items
}

/// The downloaded CSV's lines after the byte-order mark.
async fn download(app: &TestApp, token: &str, id: &str) -> Vec<String> {
    let response = app
        .get_as(&format!("{}/{id}/file", reports(SENDER)), token)
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    String::from_utf8(bytes[3..].to_vec())
        .unwrap()
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

async fn conflict(response: reqwest::Response) -> ConflictReason {
    problem(response, 409).await.reason.unwrap()
}

async fn field_codes(response: reqwest::Response) -> Vec<(String, FieldCode)> {
    problem(response, 400)
        .await
        .errors
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

/// SENDER's own traffic on 5 November 2026 (and another authority's beside it): three letters
/// to a citizen (one with a value date), one to a company, one received from AUTHORITY.
async fn traffic(app: &TestApp) -> (String, String) {
    app.clock.set("2026-11-05T10:00:00Z".parse().unwrap());
    let caller = sender(app).await;
    for _ in 0..2 {
        accepted(app, &caller, &memo(CITIZEN)).await;
    }
    let mut held = memo(CITIZEN);
    held["valueDate"] = json!("2026-11-20");
    accepted(app, &caller, &held).await;
    accepted(app, &caller, &memo(COMPANY)).await;
    let other = system(app, AUTHORITY, json!({})).await;
    let mut incoming = memo(SENDER);
    incoming["senderCvr"] = json!(AUTHORITY);
    accepted(app, &other, &incoming).await;
    let mut elsewhere = memo(CITIZEN);
    elsewhere["senderCvr"] = json!(AUTHORITY);
    accepted(app, &other, &elsewhere).await;
    (caller.0, other.0)
}

#[tokio::test]
async fn st_04_06_a_custom_report_counts_the_organisations_own_messages_by_all_eight_variables() {
    let app = app().await;
    let (own_system, _) = traffic(&app).await;
    let token = statistician_at(&app, "2026-11-06T09:00:00Z");
    let order_body = json!({"name": "Alt i november", "variables": ["recipient_customer_type", "sender",
           "recipient", "sender_system", "recipient_system", "message_type", "size",
           "sender_customer_type"],
           "period": {"from": "2026-11-01", "to": "2026-11-05"}});
    let ordered = order(&app, &token, "custom-reports", order_body).await;
    assert_eq!(ordered.state, ReportState::Ordered);
    // Kept in the guide's order whatever order they were chosen in.
    assert_eq!(
        ordered.variables[0],
        adgang_api_types::ReportVariable::Sender
    );
    let order_body = json!({"name": "Typer", "variables": ["message_type"],
           "period": {"from": "2026-11-01", "to": "2026-11-05"}});
    let one = order(&app, &token, "custom-reports", order_body).await;

    assert_eq!(worker(&app).await.tick().await.unwrap(), 2);
    let lines = download(&app, &token, &ordered.id).await;
    assert_eq!(
        lines[0],
        "Afsender;Modtager;Afsendersystem;Modtagersystem;Beskedtype;Størrelse (KB/MB);\
         Kundetype (Afsender);Kundetype (Modtager);Antal meddelelser"
    );
    let mut rows = lines[1..].to_vec();
    rows.sort();
    assert_eq!(
        rows,
        vec![
            format!("29189846;;{own_system};;Meddelelse;Under 100 KB;Myndighed;Borger;3"),
            format!("29189846;;{own_system};;Meddelelse;Under 100 KB;Myndighed;Virksomhed;1"),
            // Received: the other authority's system is not ours, so it is left out.
            ";29189846;;;Meddelelse;Under 100 KB;Myndighed;Myndighed;1".to_owned(),
        ]
    );
    // Without sender/recipient, sent and received add up; the other authority's mail is not here.
    assert_eq!(
        download(&app, &token, &one.id).await,
        vec!["Beskedtype;Antal meddelelser", "Meddelelse;5"]
    );
    let report = details(&app, &token, &ordered.id).await;
    assert_eq!(report.state, ReportState::Ready);
    assert_eq!(report.rows, Some(3));
    assert!(report.size_bytes.unwrap() > 100);
    assert_eq!(report.produced_at, Some(app.clock.now()));
    assert_eq!(
        report.expires_at,
        Some(app.clock.now() + chrono::Duration::days(7))
    );
}

#[tokio::test]
async fn st_01_02_a_subscription_is_produced_on_the_10th_replaces_its_version_and_notifies() {
    let app = app().await;
    traffic(&app).await;
    let token = statistician_at(&app, "2026-11-05T11:00:00Z");
    let order_body = json!({"report": "sent_and_received", "interval": "monthly",
           "notifyEmail": "statistik@kommune.dk"});
    let subscription = order(&app, &token, "subscriptions", order_body).await;
    assert_eq!(subscription.name, "Antal meddelelser sendt og modtaget");
    assert_eq!(
        subscription.variables,
        adgang_api_types::StandardReport::SentAndReceived.variables()
    );
    // October's version on 10 November 00:00 in Copenhagen.
    let tenth: chrono::DateTime<chrono::Utc> = "2026-11-09T23:00:00Z".parse().unwrap();
    assert_eq!(subscription.next_production_at, Some(tenth));
    let worker = worker(&app).await;
    assert_eq!(worker.tick().await.unwrap(), 0, "not due");
    let response = app
        .get_as(
            &format!("{}/{}/file", reports(SENDER), subscription.id),
            &token,
        )
        .await;
    assert_eq!(conflict(response).await, ConflictReason::ReportNotReady);

    app.clock.set(tenth - chrono::Duration::seconds(1));
    assert_eq!(worker.tick().await.unwrap(), 0, "one second early");
    app.clock.set(tenth + chrono::Duration::seconds(1));
    // Tokens are checked against the app's clock: mint them at its new time.
    let token = statistician(&app, SENDER);
    // Two instances at the same moment: one produces it.
    let other = worker_with(&app, Arc::new(adgang_messaging::outbox::MailOutbox)).await;
    let (a, b) = tokio::join!(worker.tick(), other.tick());
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    let october = details(&app, &token, &subscription.id).await;
    assert_eq!(
        period(&october),
        Some(("2026-10-01".into(), "2026-10-31".into()))
    );
    assert_eq!(
        october.next_production_at,
        Some("2026-12-09T23:00:00Z".parse().unwrap())
    );
    assert_eq!(
        download(&app, &token, &subscription.id).await,
        vec!["Afsender;Modtager;Beskedtype;Antal meddelelser"],
        "no mail in October"
    );
    // November's version on 10 December replaces October's.
    let token = statistician_at(&app, "2026-12-09T23:00:01Z");
    assert_eq!(worker.tick().await.unwrap(), 1);
    let november = details(&app, &token, &subscription.id).await;
    assert_eq!(
        period(&november),
        Some(("2026-11-01".into(), "2026-11-30".into()))
    );
    assert_eq!(
        download(&app, &token, &subscription.id).await,
        vec![
            "Afsender;Modtager;Beskedtype;Antal meddelelser",
            ";29189846;Meddelelse;1",
            "29189846;;Meddelelse;4",
        ]
    );
    let mails = app
        .rows(
            mail_outbox::Entity::find()
                .filter(mail_outbox::Column::Recipient.eq("statistik@kommune.dk")),
        )
        .await;
    assert_eq!(mails.len(), 2, "one notice per version");
    assert!(mails
        .iter()
        .all(|m| m.subject.contains("Antal meddelelser sendt og modtaget")));
    assert!(mails
        .iter()
        .any(|m| m.body.contains("01.11.2026 – 30.11.2026")));

    // December's mail; on 10 January its version replaces November's.
    app.clock.set("2026-12-15T10:00:00Z".parse().unwrap());
    // Tokens are checked against the app's clock: mint them at its new time.
    let caller = sender(&app).await;
    accepted(&app, &caller, &memo(CITIZEN)).await;
    accepted(&app, &caller, &memo(CITIZEN)).await;
    let token = statistician_at(&app, "2027-01-09T23:00:01Z");
    assert_eq!(worker.tick().await.unwrap(), 1);
    assert_eq!(
        download(&app, &token, &subscription.id).await,
        vec![
            "Afsender;Modtager;Beskedtype;Antal meddelelser",
            "29189846;;Meddelelse;2"
        ]
    );
    let files = app
        .db()
        .await
        .query_one(sea_orm::Statement::from_string(
            app.db().await.get_database_backend(),
            "SELECT count(*) AS n FROM statistics_report_files".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap();
    assert_eq!(files, 1, "the new version replaced the previous one");
}

#[tokio::test]
async fn st_03_a_subscription_is_cancelled_on_its_details_page_and_its_interval_never_changes() {
    let app = app().await;
    let token = statistician_at(&app, "2026-11-20T10:00:00Z");
    let body = json!({"report": "overview", "interval": "quarterly"});
    let subscription = order(&app, &token, "subscriptions", body.clone()).await;
    let again = app
        .post_as(
            &format!("/api/v1/organisations/{SENDER}/statistics/subscriptions"),
            &token,
            &body,
        )
        .await;
    assert_eq!(conflict(again).await, ConflictReason::AlreadySubscribed);
    let item = format!("{}/{}", reports(SENDER), subscription.id);

    let change = app
        .send(
            "PATCH",
            &item,
            &token,
            Some(&json!({"interval": "monthly"})),
        )
        .await;
    assert_eq!(conflict(change).await, ConflictReason::IntervalFixed);
    let changed: StatisticsReport = app
        .send_ok(
            "PATCH",
            &item,
            &token,
            &json!({"interval": "quarterly", "notifyEmail": "a@kommune.dk"}),
        )
        .await;
    assert_eq!(changed.notify_email.as_deref(), Some("a@kommune.dk"));

    assert_eq!(app.delete_as(&item, &token).await.status(), 204);
    let list = overview(&app, &token, SENDER).await;
    assert!(
        list.is_empty(),
        "a cancelled subscription leaves the overview"
    );
    let details: StatisticsReport = app.get_json_as(&item, &token).await;
    assert_eq!(details.state, ReportState::Cancelled);
    assert_eq!(details.next_production_at, None);
    assert_eq!(
        conflict(app.delete_as(&item, &token).await).await,
        ConflictReason::SubscriptionCancelled
    );
    let file = app.get_as(&format!("{item}/file"), &token).await;
    assert_eq!(conflict(file).await, ConflictReason::SubscriptionCancelled);
    // Ordered again, with another interval.
    let order_body = json!({"report": "overview", "interval": "monthly"});
    order(&app, &token, "subscriptions", order_body).await;

    let logged = app.actions_about(SENDER, "statistics").await;
    let events: Vec<&str> = logged.iter().map(|r| r.event.as_str()).collect();
    assert!(
        events.contains(&"created") && events.contains(&"edited") && events.contains(&"deleted")
    );
}

#[tokio::test]
async fn st_04_a_custom_report_is_deleted_after_7_days_and_cannot_be_cancelled() {
    let app = app().await;
    traffic(&app).await;
    let token = statistician_at(&app, "2026-11-06T09:00:00Z");
    let order_body = json!({"name": "Størrelser", "variables": ["size"],
           "period": {"from": "2026-11-05", "to": "2026-11-05"}});
    let report = order(&app, &token, "custom-reports", order_body).await;
    let item = format!("{}/{}", reports(SENDER), report.id);
    assert_eq!(
        conflict(app.delete_as(&item, &token).await).await,
        ConflictReason::NotCancellable
    );
    assert_eq!(worker(&app).await.tick().await.unwrap(), 1);
    let expiry = ExpiryWorker {
        db: app.db().await,
        clock: app.clock.clone(),
        idle: std::time::Duration::from_secs(60),
        sweep: ExpiredReports,
    };
    app.clock
        .advance(chrono::Duration::days(7) - chrono::Duration::seconds(1));
    // Tokens are checked against the app's clock: mint them at its new time.
    let token = statistician(&app, SENDER);
    assert_eq!(expiry.tick().await.unwrap(), 0);
    assert_eq!(download(&app, &token, &report.id).await.len(), 2);
    app.clock.advance(chrono::Duration::seconds(2));
    // Tokens are checked against the app's clock: mint them at its new time.
    let token = statistician(&app, SENDER);
    assert_eq!(expiry.tick().await.unwrap(), 1);
    let file = app.get_as(&format!("{item}/file"), &token).await;
    assert_eq!(conflict(file).await, ConflictReason::ReportDeleted);
    let list = overview(&app, &token, SENDER).await;
    assert!(list.is_empty());
    let details: StatisticsReport = app.get_json_as(&item, &token).await;
    assert_eq!(details.state, ReportState::Deleted);
    let system_rows = app
        .rows(
            actions_log::Entity::find()
                .filter(actions_log::Column::Subject.eq("statistics"))
                .filter(actions_log::Column::ActorIsSystem.eq(true)),
        )
        .await;
    assert_eq!(system_rows.len(), 1);
}

struct BrokenMailer;

#[async_trait::async_trait]
impl Mailer for BrokenMailer {
    async fn send(
        &self,
        _: &dyn ConnectionTrait,
        _: Mail,
        _: chrono::DateTime<chrono::Utc>,
    ) -> anyhow::Result<()> {
        anyhow::bail!("the mail server went away")
    }
}

#[tokio::test]
async fn st_02_a_crash_mid_production_leaves_no_half_report_and_another_round_produces_it() {
    let app = app().await;
    traffic(&app).await;
    let token = statistician_at(&app, "2026-11-06T09:00:00Z");
    let order_body = json!({"name": "Med e-mail", "variables": ["message_type"], "notifyEmail": "x@kommune.dk",
           "period": {"from": "2026-11-05", "to": "2026-11-05"}});
    let report = order(&app, &token, "custom-reports", order_body).await;
    let mut broken = worker_with(&app, Arc::new(BrokenMailer)).await;
    broken.lease = chrono::Duration::seconds(30);
    assert!(
        broken.tick().await.is_err(),
        "the notification fails the version"
    );
    let item = format!("{}/{}", reports(SENDER), report.id);
    let details: StatisticsReport = app.get_json_as(&item, &token).await;
    assert_eq!(details.state, ReportState::Ordered);
    assert_eq!(details.size_bytes, None);
    assert_eq!(
        conflict(app.get_as(&format!("{item}/file"), &token).await).await,
        ConflictReason::ReportNotReady
    );
    // Leased by the failed instance until its lease runs out; then another produces it.
    let healthy = worker(&app).await;
    assert_eq!(healthy.tick().await.unwrap(), 0);
    app.clock.advance(chrono::Duration::seconds(31));
    assert_eq!(healthy.tick().await.unwrap(), 1);
    assert_eq!(
        download(&app, &token, &report.id).await,
        vec!["Beskedtype;Antal meddelelser", "Meddelelse;5"]
    );
}

#[tokio::test]
async fn st_04_bad_orders_are_field_errors_in_one_answer_and_nothing_is_ordered() {
    let app = app().await;
    let token = statistician_at(&app, "2026-11-20T10:00:00Z");
    let url = format!("/api/v1/organisations/{SENDER}/statistics/custom-reports");
    let post = |body: Value| {
        let (app, token, url) = (&app, &token, &url);
        async move { app.post_as(url, token, &body).await }
    };
    let nine = json!({"name": "Ni", "variables": ["sender", "recipient", "sender_system",
        "recipient_system", "message_type", "size", "sender_customer_type",
        "recipient_customer_type", "memo_functionality"],
        "period": {"from": "2026-01-01", "to": "2026-01-31"}});
    let codes = field_codes(post(nine).await).await;
    assert!(
        codes.contains(&("variables".into(), FieldCode::TooMany)),
        "{codes:?}"
    );
    let codes = field_codes(
        post(
            json!({"name": " ", "variables": [], "notifyEmail": "ikke en adresse",
                    "period": {"from": "2025-01-01", "to": "2026-01-01"}}),
        )
        .await,
    )
    .await;
    for expected in [
        ("name", FieldCode::Required),
        ("variables", FieldCode::Required),
        ("period.to", FieldCode::PeriodOverOneYear),
        ("notifyEmail", FieldCode::InvalidEmail),
    ] {
        assert!(
            codes.contains(&(expected.0.into(), expected.1)),
            "{expected:?} in {codes:?}"
        );
    }
    // Exactly one year is allowed (checked only).
    let year = app
        .post_as(
            &format!("{url}?dryRun=true"),
            &token,
            &json!({"name": "År", "variables": ["size"], "period": {"from": "2025-01-01", "to": "2025-12-31"}}),
        )
        .await;
    assert_eq!(year.status(), 204);
    let codes = field_codes(
        post(json!({"name": "x", "variables": ["size", "size"],
                    "period": {"from": "2026-11-10", "to": "2026-11-01"}}))
        .await,
    )
    .await;
    assert!(codes.contains(&("variables".into(), FieldCode::DuplicateVariable)));
    assert!(codes.contains(&("period.to".into(), FieldCode::PeriodReversed)));
    let codes = field_codes(
        post(json!({"name": "x", "variables": ["size"], "period": {"from": "2026-11-01", "to": "2026-11-21"}}))
            .await,
    )
    .await;
    assert_eq!(codes, vec![("period.to".into(), FieldCode::InTheFuture)]);
    let unknown = post(json!({"name": "x", "variables": ["colour"], "period": {"from": "2026-11-01", "to": "2026-11-02"}})).await;
    assert_eq!(unknown.status(), 400);
    let list = overview(&app, &token, SENDER).await;
    assert!(list.is_empty(), "nothing ordered");
}

#[tokio::test]
async fn st_tenants_another_organisations_report_is_not_found_and_companies_have_statistics() {
    let app = app().await;
    let token = statistician_at(&app, "2026-11-20T10:00:00Z");
    let order_body = json!({"report": "systems", "interval": "yearly"});
    let report = order(&app, &token, "subscriptions", order_body).await;
    let foreign = statistician(&app, AUTHORITY);
    let item = format!(
        "/api/v1/organisations/{AUTHORITY}/statistics/reports/{}",
        report.id
    );
    assert_eq!(app.get_as(&item, &foreign).await.status(), 404);
    assert_eq!(
        app.get_as(&format!("{item}/file"), &foreign).await.status(),
        404
    );
    assert_eq!(app.delete_as(&item, &foreign).await.status(), 404);
    let theirs = overview(&app, &foreign, AUTHORITY).await;
    assert!(theirs.is_empty());
    // Another organisation's CVR in the path with our token: not ours to see.
    assert_eq!(app.get_as(&reports(AUTHORITY), &token).await.status(), 404);
    // Companies have statistics too (guide table 14.1: authorities and companies).
    let company = app.token_for(COMPANY, OrgKind::Company, &[Right::StatisticsAdmin]);
    assert_eq!(app.get_as(&reports(COMPANY), &company).await.status(), 200);
}

/// A small SMTP server on a free port: answers the dialogue lettre speaks and keeps each
/// message's envelope and data.
async fn fake_smtp() -> (u16, Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = received.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 fake ESMTP\r\n").await.ok();
                let mut message = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let answer: &[u8] = if upper.starts_with("EHLO") {
                        b"250-fake\r\n250 OK\r\n"
                    } else if upper.starts_with("MAIL") || upper.starts_with("RCPT") {
                        message.push_str(&line);
                        message.push('\n');
                        b"250 OK\r\n"
                    } else if upper == "DATA" {
                        write.write_all(b"354 go on\r\n").await.ok();
                        while let Ok(Some(data)) = lines.next_line().await {
                            if data == "." {
                                break;
                            }
                            message.push_str(&data);
                            message.push('\n');
                        }
                        kept.lock().unwrap().push(std::mem::take(&mut message));
                        b"250 queued\r\n"
                    } else if upper == "QUIT" {
                        write.write_all(b"221 bye\r\n").await.ok();
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(answer).await.ok();
                }
            });
        }
    });
    (port, received)
}

#[tokio::test]
async fn st_02_with_smtp_configured_the_notice_leaves_through_the_smtp_server() {
    let (port, received) = fake_smtp().await;
    let app = adgang_test_support::spawn_app_with(adgang_test_support::Spa::None, |s| {
        s.allow_http_endpoints = true;
        s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        s.mail_from = "Administrativ Adgang <noreply@digitalpost.test>".to_owned();
    })
    .await;
    app.seed_organisations(&[
        (SENDER, "Testkommune Nord", OrgKind::Authority),
        (AUTHORITY, "Styrelsen for Digital Test", OrgKind::Authority),
        (COMPANY, "Æblegården ApS", OrgKind::Company),
    ])
    .await;
    traffic(&app).await;
    let token = statistician_at(&app, "2026-11-06T09:00:00Z");
    let order_body = json!({"name": "Til e-mail", "variables": ["size"], "notifyEmail": "stat@kommune.dk",
           "period": {"from": "2026-11-05", "to": "2026-11-05"}});
    order(&app, &token, "custom-reports", order_body).await;
    assert_eq!(worker(&app).await.tick().await.unwrap(), 1);
    // The app's relay (every 5 s) hands the outbox to the SMTP server.
    let started = std::time::Instant::now();
    loop {
        let got = received.lock().unwrap().clone();
        if let Some(message) = got.first() {
            assert!(message.contains("RCPT TO:<stat@kommune.dk>"), "{message}");
            assert!(message.contains("noreply@digitalpost.test"), "{message}");
            assert!(message.contains("Statistikrapport klar"), "{message}");
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "no e-mail reached SMTP"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // Stamped as relayed; never sent twice.
    let started = std::time::Instant::now();
    loop {
        let rows = app.rows(mail_outbox::Entity::find()).await;
        if rows.iter().all(|r| r.relayed_at.is_some()) {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "not stamped"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    assert_eq!(received.lock().unwrap().len(), 1);
}

/// X-03 (issue 33 item 6): the reports overview is paged and sortable by the documented
/// parameters — newest first by default, by name, by production time.
#[tokio::test]
async fn st_05_the_overview_pages_and_sorts() {
    let app = app().await;
    let token = statistician_at(&app, "2026-11-06T09:00:00Z");
    let mut ordered = Vec::new();
    for name in ["Bølge", "Alfa", "Cirkel"] {
        ordered.push(
            order(
                &app,
                &token,
                "custom-reports",
                json!({"name": name, "variables": ["message_type"],
                       "period": {"from": "2026-11-01", "to": "2026-11-05"}}),
            )
            .await,
        );
        app.clock.advance(chrono::Duration::minutes(1));
    }
    let page = |query: &'static str| {
        let (app, token) = (&app, token.clone());
        async move {
            app.get_json_as::<adgang_api_types::Page<StatisticsReport>>(
                &format!("{}{query}", reports(SENDER)),
                &token,
            )
            .await
        }
    };
    let newest = page("").await;
    assert_eq!(newest.total_elements, 3);
    assert_eq!(newest.items[0].id, ordered[2].id, "newest first");
    let by_name = page("?sort=name&pageSize=2").await;
    let names: Vec<&str> = by_name.items.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Alfa", "Bølge"]);
    assert_eq!(by_name.total_pages, 2);
    let second = page("?sort=name&pageSize=2&page=1").await;
    assert_eq!(second.items[0].name, "Cirkel");
    let refused = app
        .get_as(&format!("{}?sort=colour", reports(SENDER)), &token)
        .await;
    assert_eq!(refused.status(), 400);
}
