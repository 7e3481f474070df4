//! The Digital Post core (SPEC §13, issue 14): intake with its refusals and events (CORE-01),
//! routing (CORE-02), push delivery, pull collection and the full retry schedule on an injected
//! clock (CORE-03), value dates (CORE-04), one transaction per step (CORE-05).

use std::time::Duration as StdDuration;

use adgang_api_types::{DeliveryAttempt, MemoReceipt, MemoStatus, OrgKind, Right};
use adgang_core::entity::message_events;
use adgang_core::Clock;
use adgang_messaging::entity::{delivery_attempt, mail_outbox, message, sms_outbox};
use adgang_test_support::peer::FakePeer;
use adgang_test_support::{
    assert_field_errors, expect_json, field_codes, problem, spawn_app_with, Spa, TestApp,
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

mod delivery;
mod intake;
mod isolation;
mod legal_notices;
mod notices;
mod receipts;
mod routing;
mod value_dates;

pub(crate) const SENDER: &str = "29189846";
pub(crate) const AUTHORITY: &str = "34051178";
pub(crate) const COMPANY: &str = "25052943";
pub(crate) const CITIZEN: &str = "0101401000";

pub(crate) async fn app() -> TestApp {
    let app = spawn_app_with(Spa::None, |s| s.allow_http_endpoints = true).await;
    app.seed_organisations(&[
        (SENDER, "Testkommune Nord", OrgKind::Authority),
        (AUTHORITY, "Styrelsen for Digital Test", OrgKind::Authority),
        (COMPANY, "Æblegården ApS", OrgKind::Company),
    ])
    .await;
    app
}

/// The messaging [`app`] and SENDER's sender system: where most tests here start.
pub(crate) async fn app_and_sender() -> (TestApp, (String, String)) {
    let app = app().await;
    let caller = sender(&app).await;
    (app, caller)
}

pub(crate) fn admin(app: &TestApp, cvr: &str) -> String {
    app.token_for(
        cvr,
        OrgKind::Authority,
        &[Right::SystemAdmin, Right::ContactAdmin],
    )
}

/// A system of `cvr` with `body`'s settings over the defaults; returns its id and API key.
pub(crate) async fn system(app: &TestApp, cvr: &str, settings: Value) -> (String, String) {
    let token = admin(app, cvr);
    let mut body = json!({
        "name": format!("System {}", uuid::Uuid::now_v7()),
        "role": "sender",
        "protocol": "rest_pull",
        "allowedIps": ["127.0.0.1"],
        "activation": {"mode": "now"},
        "technicalContact": {"email": "drift@kommune.dk", "phone": "12345678"}
    });
    for (k, v) in settings.as_object().unwrap() {
        body[k] = v.clone();
    }
    let id = app.create_system(cvr, &token, &body).await.system.id;
    let key = app.rotate_api_key(cvr, &token, &id).await;
    (id, key)
}

/// A REST PUSH recipient system of `cvr` posting to `endpoint`; its id and API key.
pub(crate) async fn push_system(app: &TestApp, cvr: &str, endpoint: &str) -> (String, String) {
    let settings = json!({"role": "recipient", "protocol": "rest_push", "endpoint": endpoint});
    system(app, cvr, settings).await
}

pub(crate) async fn sender(app: &TestApp) -> (String, String) {
    system(app, SENDER, json!({})).await
}

pub(crate) fn memo(recipient: &str) -> Value {
    json!({
        "messageId": uuid::Uuid::now_v7().to_string(),
        "title": "Afgørelse om byggetilladelse",
        "senderCvr": SENDER,
        "recipient": recipient,
        "type": "letter",
        "body": "Kære modtager",
        "attachments": [{"filename": "afgørelse.pdf", "contentType": "application/pdf", "content": "JVBERi0xLjQK"}]
    })
}

/// `method path` as the system `(id, key)` (its `X-System-Id` and `X-Api-Key`), with a JSON
/// body when given.
pub(crate) async fn as_system(
    app: &TestApp,
    (id, key): &(String, String),
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut request = app
        .client
        .request(method.parse().expect("an HTTP method"), app.url(path))
        .header("X-System-Id", id)
        .header("X-Api-Key", key);
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.unwrap()
}

pub(crate) async fn submit(
    app: &TestApp,
    caller: &(String, String),
    body: &Value,
) -> reqwest::Response {
    as_system(app, caller, "POST", "/api/v1/memos", Some(body)).await
}

/// `GET` of the mailbox `mailbox`'s waiting messages, as the system `who`.
pub(crate) async fn fetch_mailbox(
    app: &TestApp,
    mailbox: &str,
    who: &(String, String),
) -> reqwest::Response {
    let path = format!("/api/v1/mailboxes/{mailbox}/system-fetches");
    as_system(app, who, "GET", &path, None).await
}

/// The messages waiting in the system `who`'s own mailbox.
pub(crate) async fn waiting_for(app: &TestApp, who: &(String, String)) -> Vec<Value> {
    expect_json(fetch_mailbox(app, &who.0, who).await, 200).await
}

/// The system `who` acknowledges `message_id` as collected from its own mailbox.
pub(crate) async fn acknowledge(
    app: &TestApp,
    who: &(String, String),
    message_id: &str,
) -> reqwest::Response {
    let path = format!("/api/v1/mailboxes/{}/system-fetches", who.0);
    let body = json!({"messageIds": [message_id]});
    as_system(app, who, "POST", &path, Some(&body)).await
}

/// A memo to AUTHORITY through its contact point `point`, accepted from `caller`; its message
/// id.
pub(crate) async fn accepted_at_point(
    app: &TestApp,
    caller: &(String, String),
    point: &str,
) -> String {
    let mut body = memo(AUTHORITY);
    body["contactPointId"] = json!(point);
    accepted(app, caller, &body).await;
    body["messageId"].as_str().unwrap().to_owned()
}

pub(crate) async fn accepted(
    app: &TestApp,
    caller: &(String, String),
    body: &Value,
) -> MemoReceipt {
    expect_json(submit(app, caller, body).await, 201).await
}

/// The test portal's page of `recipient`'s platform mailbox (and SMS).
pub(crate) async fn mailbox_page(app: &TestApp, recipient: &str) -> String {
    let path = format!("/testportal/mailboxes?recipient={recipient}");
    app.get(&path).await.text().await.unwrap()
}

/// The events in `org`'s log, oldest first, as (event, message id).
pub(crate) async fn events(app: &TestApp, org: &str) -> Vec<message_events::Model> {
    app.message_events(org).await
}

fn names(events: &[message_events::Model]) -> Vec<&str> {
    events.iter().map(|e| e.event.as_str()).collect()
}

pub(crate) async fn stored(app: &TestApp, message_id: &str) -> message::Model {
    message::Entity::find()
        .filter(message::Column::MessageId.eq(message_id))
        .one(&app.db().await)
        .await
        .unwrap()
        .expect("the message is stored")
}

/// Sets the app's clock to 1 March 2027 09:00 UTC, where the schedule tests start; that time.
pub(crate) fn schedule_start(app: &TestApp) -> DateTime<Utc> {
    let t0 = "2027-03-01T09:00:00Z".parse().unwrap();
    app.clock.set(t0);
    t0
}

/// A fresh app with its clock at the schedule's start (`t0`), `t0`, and a sender system on it.
pub(crate) async fn app_and_sender_at_t0() -> (TestApp, DateTime<Utc>, (String, String)) {
    let app = app().await;
    let t0 = schedule_start(&app);
    let caller = sender(&app).await;
    (app, t0, caller)
}

/// Sends `caller`'s memo to the authority and waits until it is delivered; returns its id.
pub(crate) async fn delivered_memo(app: &TestApp, caller: &(String, String), what: &str) -> String {
    let body = memo(AUTHORITY);
    let message_id = body["messageId"].as_str().unwrap().to_owned();
    accepted(app, caller, &body).await;
    eventually(what, || async {
        stored(app, &message_id).await.state == "delivered"
    })
    .await;
    message_id
}

/// Waits (up to 10 s) until `done` holds; the dispatcher runs in the background.
pub(crate) async fn eventually<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..200 {
        if done().await {
            return;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

pub(crate) async fn point(app: &TestApp, cvr: &str, capacity: Value) -> String {
    let body = json!({"name": "Byggesager", "description": "Om byggesager", "visible": true, "audiences": ["citizens"],
                      "keywords": ["byggeri"], "active": true, "capacity": capacity});
    app.create_contact_point(cvr, &admin(app, cvr), &body)
        .await
        .id
}
