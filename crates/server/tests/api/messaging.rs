//! The Digital Post core (SPEC §13, issue 14): intake with its refusals and events (CORE-01),
//! routing (CORE-02), push delivery, pull collection and the full retry schedule on an injected
//! clock (CORE-03), value dates (CORE-04), one transaction per step (CORE-05).

use std::time::Duration as StdDuration;

use adgang_api_types::{
    ApiKey, DeliveryAttempt, MemoReceipt, MemoStatus, OrgKind, Problem, Right, SystemReceipt,
};
use adgang_core::entity::message_events;
use adgang_core::Clock;
use adgang_messaging::entity::{delivery_attempt, mail_outbox, message, sms_outbox};
use adgang_test_support::peer::FakePeer;
use adgang_test_support::{field_codes, spawn_app_with, user, Spa, TestApp};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

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

pub(crate) fn admin(app: &TestApp, cvr: &str) -> String {
    app.token(&user(
        cvr,
        OrgKind::Authority,
        &[Right::SystemAdmin, Right::ContactAdmin],
    ))
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
    let response = app
        .post_as(
            &format!("/api/v1/organisations/{cvr}/systems"),
            &token,
            &body,
        )
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let receipt: SystemReceipt = response.json().await.unwrap();
    let id = receipt.system.id;
    let response = app
        .post_as(
            &format!("/api/v1/organisations/{cvr}/systems/{id}/api-key/rotation"),
            &token,
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let key: ApiKey = response.json().await.unwrap();
    (id, key.api_key)
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

pub(crate) async fn submit(
    app: &TestApp,
    (id, key): &(String, String),
    body: &Value,
) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/memos"))
        .header("X-System-Id", id)
        .header("X-Api-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn accepted(
    app: &TestApp,
    caller: &(String, String),
    body: &Value,
) -> MemoReceipt {
    let response = submit(app, caller, body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

pub(crate) async fn problem(response: reqwest::Response, status: u16) -> Problem {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

/// The events in `org`'s log, oldest first, as (event, message id).
pub(crate) async fn events(app: &TestApp, org: &str) -> Vec<message_events::Model> {
    message_events::Entity::find()
        .filter(message_events::Column::OrganisationCvr.eq(org))
        .order_by_asc(message_events::Column::Id)
        .all(&app.db().await)
        .await
        .unwrap()
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

#[tokio::test]
async fn core_01_a_memo_to_a_citizen_is_accepted_once_and_lands_in_a_platform_mailbox() {
    let app = app().await;
    let caller = sender(&app).await;
    let body = memo(CITIZEN);

    let receipt = accepted(&app, &caller, &body).await;
    assert_eq!(receipt.status, MemoStatus::AvailableToRecipient);
    assert!(
        receipt.platform.is_some(),
        "a citizen's platform is recorded"
    );
    let message_id = body["messageId"].as_str().unwrap();
    assert_eq!(
        names(&events(&app, SENDER).await),
        ["validated", "available_to_recipient"]
    );
    let event = &events(&app, SENDER).await[0];
    assert_eq!(event.message_id.as_deref(), Some(message_id));
    assert_eq!(event.recipient_id.as_deref(), Some(CITIZEN));
    assert_eq!(event.attachment_count, Some(1));
    assert_eq!(event.content_responsible_id.as_deref(), Some(SENDER));

    // The same memo again answers the first result; nothing new is stored.
    let again = submit(&app, &caller, &body).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<MemoReceipt>().await.unwrap(), receipt);
    // The same id with other content is a conflict, and an `Afvist` event.
    let mut changed = body.clone();
    changed["title"] = json!("Noget andet");
    let conflict = problem(submit(&app, &caller, &changed).await, 409).await;
    assert_eq!(
        conflict.reason,
        Some(adgang_api_types::ConflictReason::MessageIdReused)
    );
    let count = message::Entity::find()
        .count(&app.db().await)
        .await
        .unwrap();
    assert_eq!(count, 1);
    assert_eq!(names(&events(&app, SENDER).await).last(), Some(&"rejected"));
}

#[tokio::test]
async fn core_01_unknown_callers_wrong_keys_foreign_addresses_and_inactive_systems_are_refused() {
    let app = app().await;
    let caller = sender(&app).await;
    let body = memo(CITIZEN);

    let anonymous = app
        .client
        .post(app.url("/api/v1/memos"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let unknown = (uuid::Uuid::now_v7().to_string(), caller.1.clone());
    assert_eq!(
        problem(submit(&app, &unknown, &body).await, 401)
            .await
            .code
            .as_str(),
        "unauthorized"
    );
    let wrong_key = (caller.0.clone(), format!("{}x", caller.1));
    problem(submit(&app, &wrong_key, &body).await, 401).await;
    let logged = events(&app, SENDER).await;
    assert_eq!(names(&logged), ["rejected_technical"]);
    assert_eq!(logged[0].system_id.as_deref(), Some(caller.0.as_str()));

    let elsewhere = system(&app, SENDER, json!({"allowedIps": ["192.0.2.10"]})).await;
    let refused = problem(submit(&app, &elsewhere, &body).await, 403).await;
    assert_eq!(refused.code.as_str(), "address_not_allowed");
    let inactive = system(&app, SENDER, json!({"activation": {"mode": "none"}})).await;
    let refused = problem(submit(&app, &inactive, &body).await, 403).await;
    assert_eq!(refused.code.as_str(), "system_not_active");
    let recipient_only = system(&app, SENDER, json!({"role": "recipient"})).await;
    let refused = problem(submit(&app, &recipient_only, &body).await, 403).await;
    assert_eq!(refused.code.as_str(), "not_a_sender_system");

    // A malformed call is `Afvist teknisk`.
    let malformed = app
        .client
        .post(app.url("/api/v1/memos"))
        .header("X-System-Id", &caller.0)
        .header("X-Api-Key", &caller.1)
        .header("Content-Type", "application/json")
        .body("{\"messageId\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    assert_eq!(
        names(&events(&app, SENDER).await).last(),
        Some(&"rejected_technical")
    );
    let count = message::Entity::find()
        .count(&app.db().await)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing refused is stored");
}

pub(crate) async fn point(app: &TestApp, cvr: &str, capacity: Value) -> String {
    let token = admin(app, cvr);
    let response = app
        .post_as(
            &format!("/api/v1/organisations/{cvr}/contact-points"),
            &token,
            &json!({"name": "Byggesager", "visible": true, "audiences": ["citizens"],
                    "keywords": ["byggeri"], "active": true, "capacity": capacity}),
        )
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn core_01_invalid_memos_get_field_errors_an_afvist_event_and_store_nothing() {
    let app = app().await;
    let caller = sender(&app).await;
    // A contact point of the recipient authority with a small capacity, and one of another.
    let small = point(
        &app,
        AUTHORITY,
        json!({"maxMessageSizeBytes": 4, "maxAttachments": 1}),
    )
    .await;
    let foreign = point(&app, SENDER, Value::Null).await;

    let cases: Vec<(Value, &str, &str)> = vec![
        (json!({"messageId": "not-a-uuid"}), "messageId", "malformed"),
        (json!({"recipient": "3102401000"}), "recipient", "cpr_date"),
        (
            json!({"recipient": "12345678"}),
            "recipient",
            "cvr_checksum",
        ),
        (json!({"recipient": "99999993"}), "recipient", "unknown"),
        (
            json!({"valueDate": "2020-01-01"}),
            "valueDate",
            "in_the_past",
        ),
        (json!({"senderCvr": AUTHORITY}), "senderCvr", "invalid"),
        (json!({"title": "  "}), "title", "required"),
        (
            json!({"recipient": AUTHORITY, "contactPointId": foreign}),
            "contactPointId",
            "unknown",
        ),
        (
            json!({"contactPointId": small}),
            "contactPointId",
            "not_applicable",
        ),
        (
            json!({"recipient": AUTHORITY, "contactPointId": small, "attachments": [
            {"filename": "a.pdf", "contentType": "application/pdf", "content": "JVBERi0xLjQK"},
            {"filename": "b.pdf", "contentType": "application/pdf", "content": "JVBERi0xLjQK"}]}),
            "attachments",
            "too_many",
        ),
        (
            json!({"recipient": AUTHORITY, "contactPointId": small}),
            "attachments",
            "too_large",
        ),
        (
            json!({"attachments": [{"filename": "a.pdf", "contentType": "application/pdf", "content": "%%%"}]}),
            "attachments[0].content",
            "malformed",
        ),
    ];
    for (change, field, code) in cases {
        let mut body = memo(CITIZEN);
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let refused = problem(submit(&app, &caller, &body).await, 400).await;
        assert!(
            field_codes(&refused).contains(&(field.to_owned(), code.to_owned())),
            "{change}: {:?}",
            field_codes(&refused)
        );
    }
    let eleven: Vec<Value> = (0..11)
        .map(|i| json!({"filename": format!("{i}.pdf"), "contentType": "application/pdf", "content": "JVBERi0xLjQK"}))
        .collect();
    let mut body = memo(CITIZEN);
    body["attachments"] = json!(eleven);
    let refused = problem(submit(&app, &caller, &body).await, 400).await;
    assert!(field_codes(&refused).contains(&("attachments".to_owned(), "too_many".to_owned())));

    let count = message::Entity::find()
        .count(&app.db().await)
        .await
        .unwrap();
    assert_eq!(count, 0);
    let logged = events(&app, SENDER).await;
    assert_eq!(logged.len(), 13);
    assert!(logged
        .iter()
        .all(|e| e.event == "rejected" && e.error_message.is_some()));
}

#[tokio::test]
async fn core_02_organisations_receive_through_the_points_system_else_the_primary_else_virk() {
    let app = app().await;
    let caller = sender(&app).await;
    let peer = FakePeer::start(200).await;
    let (primary, _) = system(
        &app,
        AUTHORITY,
        json!({"role": "recipient", "protocol": "rest_push", "endpoint": format!("{}/primary", peer.url)}),
    )
    .await;
    let (pull, _) = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    let token = admin(&app, AUTHORITY);
    let response = app
        .post_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-points"),
            &token,
            &json!({"name": "Byggesager", "visible": true, "audiences": ["citizens"],
                    "keywords": ["byggeri"], "active": true, "recipientSystemId": pull}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let point = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut to_point = memo(AUTHORITY);
    to_point["contactPointId"] = json!(point);
    let receipt = accepted(&app, &caller, &to_point).await;
    assert_eq!(receipt.recipient_system_id.as_deref(), Some(pull.as_str()));
    assert_eq!(receipt.status, MemoStatus::Delivering);

    let receipt = accepted(&app, &caller, &memo(AUTHORITY)).await;
    assert_eq!(
        receipt.recipient_system_id.as_deref(),
        Some(primary.as_str())
    );

    let receipt = accepted(&app, &caller, &memo(COMPANY)).await;
    assert_eq!(receipt.platform, Some(adgang_api_types::Platform::Virk));

    let mut sms = memo(CITIZEN);
    sms["type"] = json!("nemsms");
    let receipt = accepted(&app, &caller, &sms).await;
    assert_eq!(receipt.status, MemoStatus::SentAsSms);
    let outbox = sms_outbox::Entity::find()
        .all(&app.db().await)
        .await
        .unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].recipient_cpr, CITIZEN);
}

#[tokio::test]
async fn core_03_a_push_carries_the_message_id_as_idempotency_key_and_a_signature() {
    let app = app().await;
    let caller = sender(&app).await;
    let peer = FakePeer::start(202).await;
    let (recipient, recipient_key) = system(
        &app,
        AUTHORITY,
        json!({"role": "recipient", "protocol": "rest_push", "endpoint": format!("{}/inbox", peer.url)}),
    )
    .await;
    let body = memo(AUTHORITY);
    let message_id = body["messageId"].as_str().unwrap().to_owned();
    accepted(&app, &caller, &body).await;
    eventually("the push", || async {
        stored(&app, &message_id).await.state == "delivered"
    })
    .await;

    let requests = peer.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.path, "/inbox");
    assert_eq!(request.headers["idempotency-key"], message_id);
    assert_eq!(
        request.headers["x-adgang-signature"],
        adgang_messaging::service::dispatch::signature(&recipient_key, &request.body)
    );
    let pushed: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(pushed["messageId"], json!(message_id));
    assert_eq!(names(&events(&app, AUTHORITY).await), ["sent"]);
    assert_eq!(
        names(&events(&app, SENDER).await),
        ["validated", "available_to_recipient"]
    );
    // The recipient's administrators see the attempt on the system (issue 14 item 7); the
    // sender's do not see another organisation's system.
    let path = format!("/api/v1/organisations/{AUTHORITY}/systems/{recipient}/delivery-attempts");
    let attempts: Vec<DeliveryAttempt> = app.get_json_as(&path, &admin(&app, AUTHORITY)).await;
    assert_eq!(attempts.len(), 1);
    assert!(attempts[0].succeeded);
    assert_eq!(attempts[0].http_status, Some(202));
    assert_eq!(attempts[0].message_id, message_id);
    assert_eq!(attempts[0].next_attempt_at, None);
    let foreign = format!("/api/v1/organisations/{SENDER}/systems/{recipient}/delivery-attempts");
    assert_eq!(
        app.get_as(&foreign, &admin(&app, SENDER)).await.status(),
        404
    );
}

#[tokio::test]
async fn core_03_the_full_retry_schedule_runs_against_a_peer_that_is_down() {
    let app = app().await;
    let t0: DateTime<Utc> = "2027-03-01T09:00:00Z".parse().unwrap();
    app.clock.set(t0);
    let caller = sender(&app).await;
    let primary_peer = FakePeer::start(503).await;
    let point_peer = FakePeer::start(500).await;
    let (primary, _) = system(
        &app,
        AUTHORITY,
        json!({"role": "recipient", "protocol": "rest_push", "endpoint": format!("{}/p", primary_peer.url)}),
    )
    .await;
    let (bound, _) = system(
        &app,
        AUTHORITY,
        json!({"role": "recipient", "protocol": "rest_push", "endpoint": format!("{}/b", point_peer.url),
               "technicalContact": {"email": "vagt@styrelsen.dk", "phone": "12345678"}}),
    )
    .await;
    let token = admin(&app, AUTHORITY);
    let response = app
        .post_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-points"),
            &token,
            &json!({"name": "Byggesager", "visible": true, "audiences": ["citizens"],
                    "keywords": ["byggeri"], "active": true, "recipientSystemId": bound}),
        )
        .await;
    let point = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut body = memo(AUTHORITY);
    body["contactPointId"] = json!(point);
    let message_id = body["messageId"].as_str().unwrap().to_owned();
    accepted(&app, &caller, &body).await;

    let expected = adgang_messaging::service::schedule::full_schedule(t0);
    for (n, at) in expected.iter().enumerate() {
        app.clock.set(*at);
        let db = app.db().await;
        eventually(&format!("attempt {}", n + 1), || {
            let db = db.clone();
            async move { delivery_attempt::Entity::find().count(&db).await.unwrap() as usize > n }
        })
        .await;
    }
    let attempts = delivery_attempt::Entity::find()
        .order_by_asc(delivery_attempt::Column::Id)
        .all(&app.db().await)
        .await
        .unwrap();
    let times: Vec<_> = attempts.iter().map(|a| a.attempted_at).collect();
    assert_eq!(times, expected);
    assert_eq!(attempts.iter().filter(|a| a.system_id == bound).count(), 12);
    assert_eq!(
        attempts.iter().filter(|a| a.system_id == primary).count(),
        3
    );
    assert_eq!(point_peer.requests().len(), 12);
    assert_eq!(primary_peer.requests().len(), 3);
    assert_eq!(
        attempts[0].next_attempt_at,
        Some(t0 + Duration::minutes(15))
    );
    assert_eq!(attempts.last().unwrap().next_attempt_at, None);

    assert_eq!(stored(&app, &message_id).await.state, "failed");
    assert_eq!(names(&events(&app, SENDER).await).last(), Some(&"failed"));
    let incoming = events(&app, AUTHORITY).await;
    assert_eq!(
        incoming
            .iter()
            .filter(|e| e.event == "sending_failed")
            .count(),
        15
    );
    let mail = mail_outbox::Entity::find()
        .all(&app.db().await)
        .await
        .unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(
        mail[0].recipient, "drift@kommune.dk",
        "the primary system's contact"
    );
    // Nothing further happens: the job is gone.
    app.clock.set(t0 + Duration::days(30));
    tokio::time::sleep(StdDuration::from_millis(600)).await;
    assert_eq!(
        delivery_attempt::Entity::find()
            .count(&app.db().await)
            .await
            .unwrap(),
        15
    );
}

#[tokio::test]
async fn core_04_a_future_value_date_holds_the_message_until_copenhagen_midnight() {
    let app = app().await;
    // 10 December, noon in Copenhagen.
    app.clock.set("2026-12-10T11:00:00Z".parse().unwrap());
    let caller = sender(&app).await;
    let mut body = memo(CITIZEN);
    body["valueDate"] = json!("2026-12-12");
    let message_id = body["messageId"].as_str().unwrap().to_owned();
    let receipt = accepted(&app, &caller, &body).await;
    assert_eq!(receipt.status, MemoStatus::HeldForValueDate);
    assert_eq!(
        names(&events(&app, SENDER).await),
        ["validated", "held_for_value_date"]
    );

    app.clock.set("2026-12-11T22:59:59Z".parse().unwrap());
    tokio::time::sleep(StdDuration::from_millis(600)).await;
    assert_eq!(stored(&app, &message_id).await.state, "held");

    app.clock.set("2026-12-11T23:00:00Z".parse().unwrap());
    eventually("the release", || async {
        stored(&app, &message_id).await.state == "available"
    })
    .await;
    assert_eq!(
        names(&events(&app, SENDER).await),
        [
            "validated",
            "held_for_value_date",
            "sent_after_value_date",
            "available_to_recipient"
        ]
    );
}

#[tokio::test]
async fn core_03_a_pull_system_fetches_its_own_mailbox_and_acknowledges_once() {
    let app = app().await;
    let caller = sender(&app).await;
    let (pull, pull_key) = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    let body = memo(AUTHORITY);
    let message_id = body["messageId"].as_str().unwrap().to_owned();
    accepted(&app, &caller, &body).await;

    let fetch = |system: &str, key: &str| {
        app.client
            .get(app.url(&format!("/api/v1/mailboxes/{pull}/system-fetches")))
            .header("X-System-Id", system.to_owned())
            .header("X-Api-Key", key.to_owned())
            .send()
    };
    let waiting: Vec<Value> = fetch(&pull, &pull_key).await.unwrap().json().await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["memo"]["messageId"], json!(message_id));
    // Another system cannot read this mailbox.
    assert_eq!(fetch(&caller.0, &caller.1).await.unwrap().status(), 404);

    let ack = || {
        app.client
            .post(app.url(&format!("/api/v1/mailboxes/{pull}/system-fetches")))
            .header("X-System-Id", &pull)
            .header("X-Api-Key", &pull_key)
            .json(&json!({"messageIds": [message_id]}))
            .send()
    };
    let first: Value = ack().await.unwrap().json().await.unwrap();
    assert_eq!(first["collected"], json!([message_id]));
    let second: Value = ack().await.unwrap().json().await.unwrap();
    assert_eq!(second["collected"], json!([]));
    assert_eq!(stored(&app, &message_id).await.state, "collected");
    assert_eq!(names(&events(&app, AUTHORITY).await), ["collected"]);
    let waiting: Vec<Value> = fetch(&pull, &pull_key).await.unwrap().json().await.unwrap();
    assert!(waiting.is_empty());
}

#[tokio::test]
async fn core_03_send_test_message_pushes_a_marked_test_and_lists_the_attempt() {
    let app = app().await;
    let peer = FakePeer::start(204).await;
    let (push, _) = system(
        &app,
        AUTHORITY,
        json!({"role": "recipient", "protocol": "rest_push", "endpoint": format!("{}/in", peer.url)}),
    )
    .await;
    let token = admin(&app, AUTHORITY);
    let path = format!("/api/v1/organisations/{AUTHORITY}/systems/{push}/test-message");
    let response = app.post_as(&path, &token, &json!({})).await;
    assert_eq!(response.status(), 200);
    let attempt: DeliveryAttempt = response.json().await.unwrap();
    assert!(attempt.succeeded && attempt.test);
    assert_eq!(attempt.http_status, Some(204));
    let requests = peer.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].headers["x-test-message"], "true");

    // A peer that is down: the attempt says why; nothing is retried or logged as a message.
    peer.set_status(500);
    let attempt: DeliveryAttempt = app
        .post_as(&path, &token, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(!attempt.succeeded);
    assert_eq!(attempt.http_status, Some(500));
    let listed: Vec<DeliveryAttempt> = app
        .get_json_as(
            &format!("/api/v1/organisations/{AUTHORITY}/systems/{push}/delivery-attempts"),
            &token,
        )
        .await;
    assert_eq!(listed.len(), 2);
    assert!(!listed[0].succeeded, "newest first");
    assert!(events(&app, AUTHORITY).await.is_empty());

    // A pull system has no endpoint; another organisation's system is not found.
    let (pull, _) = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    let pull_path = format!("/api/v1/organisations/{AUTHORITY}/systems/{pull}/test-message");
    let refused = problem(app.post_as(&pull_path, &token, &json!({})).await, 400).await;
    assert_eq!(
        field_codes(&refused),
        [("system".to_owned(), "not_applicable".to_owned())]
    );
    let foreign = format!("/api/v1/organisations/{SENDER}/systems/{push}/test-message");
    assert_eq!(
        app.post_as(&foreign, &admin(&app, SENDER), &json!({}))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn core_04_a_recall_racing_the_release_leaves_exactly_one_of_them_done() {
    use adgang_core::audit::Actor;
    use adgang_messaging::service::recall::{withdraw, Withdrawal};
    let app = app().await;
    app.clock.set("2026-12-10T11:00:00Z".parse().unwrap());
    let caller = sender(&app).await;
    let mut ids = Vec::new();
    for _ in 0..20 {
        let mut body = memo(CITIZEN);
        body["valueDate"] = json!("2026-12-12");
        accepted(&app, &caller, &body).await;
        ids.push(body["messageId"].as_str().unwrap().to_owned());
    }
    // Before the value date a recall simply wins; a second one says so.
    let db = app.db().await;
    let now = app.clock.now();
    let first = withdraw(
        &db,
        &adgang_core::Cvr::parse(SENDER).unwrap(),
        &ids[0],
        &Actor::System,
        now,
    )
    .await
    .unwrap();
    assert!(matches!(first, Withdrawal::Recalled(_)));
    assert_eq!(
        withdraw(
            &db,
            &adgang_core::Cvr::parse(SENDER).unwrap(),
            &ids[0],
            &Actor::System,
            now
        )
        .await
        .unwrap(),
        Withdrawal::AlreadyRecalled
    );
    assert_eq!(
        withdraw(
            &db,
            &adgang_core::Cvr::parse(AUTHORITY).unwrap(),
            &ids[1],
            &Actor::System,
            now
        )
        .await
        .unwrap(),
        Withdrawal::NotFound
    );

    // At the value date the dispatcher releases while recalls arrive, staggered.
    app.clock.set("2026-12-11T23:00:00Z".parse().unwrap());
    let now = app.clock.now();
    let recalls = ids[1..].iter().enumerate().map(|(i, id)| {
        let db = db.clone();
        async move {
            tokio::time::sleep(StdDuration::from_millis(20 * i as u64)).await;
            (
                id.clone(),
                withdraw(
                    &db,
                    &adgang_core::Cvr::parse(SENDER).unwrap(),
                    id,
                    &Actor::System,
                    now,
                )
                .await
                .unwrap(),
            )
        }
    });
    let outcomes = futures_util::future::join_all(recalls).await;
    eventually("every message settled", || async {
        let mut settled = true;
        for id in &ids {
            let state = stored(&app, id).await.state;
            settled &= state == "available" || state == "recalled";
        }
        settled
    })
    .await;
    let log = events(&app, SENDER).await;
    for (id, outcome) in outcomes {
        let state = stored(&app, &id).await.state;
        let of = |event: &str| {
            log.iter()
                .filter(|e| e.message_id.as_deref() == Some(id.as_str()) && e.event == event)
                .count()
        };
        match outcome {
            Withdrawal::Recalled(_) => {
                assert_eq!(state, "recalled");
                assert_eq!((of("recalled"), of("sent_after_value_date")), (1, 0));
            }
            Withdrawal::AlreadyReleased => {
                assert_eq!(state, "available");
                assert_eq!((of("recalled"), of("sent_after_value_date")), (0, 1));
            }
            other => panic!("{id}: {other:?}"),
        }
    }
}

/// A message from `caller` collected by the authority's pull system; returns its id.
async fn collected_message(
    app: &TestApp,
    caller: &(String, String),
    pull: &(String, String),
) -> String {
    let body = memo(AUTHORITY);
    let message_id = body["messageId"].as_str().unwrap().to_owned();
    accepted(app, caller, &body).await;
    let ack = app
        .client
        .post(app.url(&format!("/api/v1/mailboxes/{}/system-fetches", pull.0)))
        .header("X-System-Id", &pull.0)
        .header("X-Api-Key", &pull.1)
        .json(&json!({"messageIds": [message_id]}))
        .send()
        .await
        .unwrap();
    assert_eq!(ack.status(), 200);
    message_id
}

async fn send_receipt(
    app: &TestApp,
    (id, key): &(String, String),
    message_id: &str,
) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/receipts"))
        .header("X-System-Id", id)
        .header("X-Api-Key", key)
        .json(&json!({"messageId": message_id, "status": "processed", "text": "Sagen er oprettet"}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn core_03_business_receipts_reach_a_push_senders_receipt_endpoint_or_wait_for_a_pull_sender()
{
    let app = app().await;
    let receipts_peer = FakePeer::start(200).await;
    let push_sender = system(
        &app,
        SENDER,
        json!({"protocol": "rest_push", "receiptEndpoint": format!("{}/receipts", receipts_peer.url)}),
    )
    .await;
    let pull_sender = sender(&app).await;
    let pull = system(&app, AUTHORITY, json!({"role": "recipient"})).await;

    // To a REST PUSH sender: pushed.
    let pushed = collected_message(&app, &push_sender, &pull).await;
    assert_eq!(send_receipt(&app, &pull, &pushed).await.status(), 202);
    eventually("the receipt push", || async {
        !receipts_peer.requests().is_empty()
    })
    .await;
    let request = &receipts_peer.requests()[0];
    let receipt: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(receipt["messageId"], json!(pushed));
    assert_eq!(receipt["status"], json!("processed"));
    assert_eq!(receipt["recipient"], json!(AUTHORITY));
    eventually("the sent event", || async {
        names(&events(&app, SENDER).await).contains(&"business_receipt_sent")
    })
    .await;
    assert!(names(&events(&app, AUTHORITY).await).contains(&"business_receipt_received"));

    // To a pull sender: waiting until collected, once.
    let waiting_for = collected_message(&app, &pull_sender, &pull).await;
    assert_eq!(send_receipt(&app, &pull, &waiting_for).await.status(), 202);
    let list = |who: &(String, String)| {
        app.client
            .get(app.url("/api/v1/receipts"))
            .header("X-System-Id", who.0.clone())
            .header("X-Api-Key", who.1.clone())
            .send()
    };
    let waiting: Vec<Value> = list(&pull_sender).await.unwrap().json().await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["messageId"], json!(waiting_for));
    let other: Vec<Value> = list(&push_sender).await.unwrap().json().await.unwrap();
    assert!(other.is_empty(), "another sender does not see it");
    let collect = || {
        app.client
            .delete(app.url(&format!(
                "/api/v1/receipts/{}",
                waiting[0]["id"].as_str().unwrap()
            )))
            .header("X-System-Id", &pull_sender.0)
            .header("X-Api-Key", &pull_sender.1)
            .send()
    };
    assert_eq!(collect().await.unwrap().status(), 204);
    assert_eq!(collect().await.unwrap().status(), 404);
    let sent = events(&app, SENDER)
        .await
        .into_iter()
        .filter(|e| e.event == "business_receipt_sent")
        .count();
    assert_eq!(sent, 2);

    // Only the system the message was delivered to can send a receipt on it.
    let stranger = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    assert_eq!(send_receipt(&app, &stranger, &pushed).await.status(), 404);
}

#[tokio::test]
async fn core_03_a_receipt_endpoint_that_stays_down_ends_in_business_receipt_failed() {
    let app = app().await;
    let t0: DateTime<Utc> = "2027-03-01T09:00:00Z".parse().unwrap();
    app.clock.set(t0);
    let down = FakePeer::start(503).await;
    let push_sender = system(
        &app,
        SENDER,
        json!({"protocol": "rest_push", "receiptEndpoint": format!("{}/receipts", down.url)}),
    )
    .await;
    let pull = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    let message_id = collected_message(&app, &push_sender, &pull).await;
    assert_eq!(send_receipt(&app, &pull, &message_id).await.status(), 202);
    // The original phase's 12 attempts; a receipt has no primary system to fall back to.
    let schedule = adgang_messaging::service::schedule::full_schedule(t0);
    for (n, at) in schedule.iter().take(12).enumerate() {
        app.clock.set(*at);
        eventually(&format!("receipt attempt {}", n + 1), || async {
            down.requests().len() > n
        })
        .await;
    }
    eventually("business_receipt_failed", || async {
        names(&events(&app, SENDER).await).contains(&"business_receipt_failed")
    })
    .await;
    app.clock.set(t0 + Duration::days(30));
    tokio::time::sleep(StdDuration::from_millis(600)).await;
    assert_eq!(down.requests().len(), 12);
}

#[tokio::test]
async fn core_02_the_test_portal_shows_a_citizens_platform_mailbox_and_the_sms_outbox() {
    let app = app().await;
    let caller = sender(&app).await;
    let mut letter = memo(CITIZEN);
    letter["title"] = json!("Afgørelse om <tilskud>");
    let receipt = accepted(&app, &caller, &letter).await;
    let mut sms = memo(CITIZEN);
    sms["type"] = json!("nemsms");
    sms["title"] = json!("Husk din tid hos lægen");
    accepted(&app, &caller, &sms).await;

    let page = app
        .get(&format!("/testportal/mailboxes?recipient={CITIZEN}"))
        .await
        .text()
        .await
        .unwrap();
    let platform = match receipt.platform {
        Some(adgang_api_types::Platform::Eboks) => "e-Boks",
        _ => "mit.dk",
    };
    let mailbox = page
        .split("id=\"mailbox\"")
        .nth(1)
        .expect("the mailbox table");
    assert!(
        mailbox.contains("Afgørelse om &lt;tilskud&gt;"),
        "escaped title"
    );
    assert!(mailbox.contains(platform));
    let outbox = page
        .split("id=\"sms-outbox\"")
        .nth(1)
        .expect("the SMS outbox");
    assert!(outbox.contains("Husk din tid hos lægen"));
    assert!(outbox.contains(CITIZEN));
    // Another recipient's mailbox is empty.
    let other = app
        .get("/testportal/mailboxes?recipient=0202402000")
        .await
        .text()
        .await
        .unwrap();
    assert!(other.contains("Postkassen er tom."));
}

#[tokio::test]
async fn core_01_behind_a_trusted_proxy_the_forwarded_address_is_checked_and_only_then() {
    let proxied = spawn_app_with(Spa::None, |s| {
        s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    proxied
        .seed_organisations(&[(SENDER, "Testkommune Nord", OrgKind::Authority)])
        .await;
    let behind = system(&proxied, SENDER, json!({"allowedIps": ["192.0.2.10"]})).await;
    let via = |app: &TestApp, forwarded: &'static str, caller: &(String, String)| {
        app.client
            .post(app.url("/api/v1/memos"))
            .header("X-System-Id", caller.0.clone())
            .header("X-Api-Key", caller.1.clone())
            .header("X-Forwarded-For", forwarded)
            .json(&memo(CITIZEN))
            .send()
    };
    // The proxy (127.0.0.1, trusted) names the caller: the nearest untrusted entry counts.
    assert_eq!(
        via(&proxied, "203.0.113.9, 192.0.2.10", &behind)
            .await
            .unwrap()
            .status(),
        201
    );
    let refused = via(&proxied, "192.0.2.10, 203.0.113.9", &behind)
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);

    // Without a trusted proxy the header is ignored: the peer (127.0.0.1) is not allowed.
    let direct = app().await;
    let elsewhere = system(&direct, SENDER, json!({"allowedIps": ["192.0.2.10"]})).await;
    assert_eq!(
        via(&direct, "192.0.2.10", &elsewhere)
            .await
            .unwrap()
            .status(),
        403
    );
}

#[tokio::test]
async fn core_03_a_publish_subscribe_system_is_notified_then_collects() {
    let app = app().await;
    let caller = sender(&app).await;
    let peer = FakePeer::start(200).await;
    let subscriber = system(
        &app,
        AUTHORITY,
        json!({"role": "recipient", "protocol": "rest_publish_subscribe", "endpoint": format!("{}/notify", peer.url)}),
    )
    .await;
    let body = memo(AUTHORITY);
    let message_id = body["messageId"].as_str().unwrap().to_owned();
    let receipt = accepted(&app, &caller, &body).await;
    assert_eq!(
        receipt.recipient_system_id.as_deref(),
        Some(subscriber.0.as_str())
    );
    eventually("the notification", || async { !peer.requests().is_empty() }).await;
    let notification: Value = serde_json::from_slice(&peer.requests()[0].body).unwrap();
    assert_eq!(
        notification,
        json!({"messageId": message_id, "mailboxId": subscriber.0})
    );
    // Notified, not yet delivered: it waits in the mailbox until collected.
    assert_eq!(stored(&app, &message_id).await.state, "queued");
    let waiting: Vec<Value> = app
        .client
        .get(app.url(&format!(
            "/api/v1/mailboxes/{}/system-fetches",
            subscriber.0
        )))
        .header("X-System-Id", &subscriber.0)
        .header("X-Api-Key", &subscriber.1)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(waiting[0]["memo"]["messageId"], json!(message_id));
    assert_eq!(peer.requests().len(), 1, "notified once");
}
