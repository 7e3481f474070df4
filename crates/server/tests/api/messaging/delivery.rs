//! CORE-03: delivery — the signed push, the full retry schedule on an injected clock, pull
//! collection, the test message and publish/subscribe.

use super::*;

#[tokio::test]
async fn core_03_a_push_carries_the_message_id_as_idempotency_key_and_a_signature() {
    let (app, caller) = app_and_sender().await;
    let peer = FakePeer::start(202).await;
    let (recipient, recipient_key) =
        push_system(&app, AUTHORITY, &format!("{}/inbox", peer.url)).await;
    let message_id = delivered_memo(&app, &caller, "the push").await;

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
    // The technical receipt is the intake's answer; the push comes after it.
    assert_eq!(
        names(&events(&app, SENDER).await),
        [
            "validated",
            "technical_receipt_sent",
            "available_to_recipient"
        ]
    );
    // The recipient's administrators see the attempt on the system (issue 14 item 7); the
    // sender's do not see another organisation's system.
    let path = format!("/api/v1/organisations/{AUTHORITY}/systems/{recipient}/delivery-attempts");
    let attempts: Vec<DeliveryAttempt> = app
        .get_json_as::<adgang_api_types::Page<DeliveryAttempt>>(&path, &admin(&app, AUTHORITY))
        .await
        .items;
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

/// An active contact point of AUTHORITY for citizens, bound to `system`; its id.
pub(crate) async fn point_bound_to(app: &TestApp, system: &str) -> String {
    let body = json!({"name": "Byggesager", "description": "Om byggesager", "visible": true,
                      "audiences": ["citizens"], "keywords": ["byggeri"], "active": true,
                      "recipientSystemId": system});
    app.create_contact_point(AUTHORITY, &admin(app, AUTHORITY), &body)
        .await
        .id
}

/// Moves the clock to `at` and, after a moment for anything due, counts the delivery attempts.
async fn attempts_after(app: &TestApp, at: DateTime<Utc>) -> u64 {
    app.clock.set(at);
    tokio::time::sleep(StdDuration::from_millis(600)).await;
    delivery_attempt::Entity::find()
        .count(&app.db().await)
        .await
        .unwrap()
}

/// Moves the clock to each of `times` and waits for the delivery attempt due then.
pub(crate) async fn attempts_at(app: &TestApp, times: &[DateTime<Utc>]) {
    let db = app.db().await;
    for (n, at) in times.iter().enumerate() {
        app.clock.set(*at);
        eventually(&format!("attempt {}", n + 1), || {
            let db = db.clone();
            async move { delivery_attempt::Entity::find().count(&db).await.unwrap() as usize > n }
        })
        .await;
    }
}

#[tokio::test]
async fn core_03_the_full_retry_schedule_runs_against_a_peer_that_is_down() {
    let (app, t0, caller) = app_and_sender_at_t0().await;
    let primary_peer = FakePeer::start(503).await;
    let point_peer = FakePeer::start(500).await;
    let (primary, _) = push_system(&app, AUTHORITY, &format!("{}/p", primary_peer.url)).await;
    let (bound, _) = system(
        &app,
        AUTHORITY,
        json!({"role": "recipient", "protocol": "rest_push", "endpoint": format!("{}/b", point_peer.url),
               "technicalContact": {"email": "vagt@styrelsen.dk", "phone": "12345678"}}),
    )
    .await;
    let point = point_bound_to(&app, &bound).await;
    let message_id = accepted_at_point(&app, &caller, &point).await;

    let expected = adgang_messaging::service::schedule::full_schedule(t0);
    attempts_at(&app, &expected).await;
    let attempts = app
        .rows(delivery_attempt::Entity::find().order_by_asc(delivery_attempt::Column::Id))
        .await;
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
    assert_eq!(
        names(&events(&app, SENDER).await).last(),
        Some(&"delivery_failed")
    );
    let incoming = events(&app, AUTHORITY).await;
    assert_eq!(
        incoming
            .iter()
            .filter(|e| e.event == "sending_failed")
            .count(),
        15
    );
    let mail = app.rows(mail_outbox::Entity::find()).await;
    // SYS-06 (issue 33 item 3): each system is told when its own schedule is exhausted — the
    // point's system when the message falls back, the primary when it fails.
    let told: Vec<&str> = mail.iter().map(|m| m.recipient.as_str()).collect();
    assert_eq!(told, ["vagt@styrelsen.dk", "drift@kommune.dk"]);
    // Nothing further happens: the job is gone.
    assert_eq!(attempts_after(&app, t0 + Duration::days(30)).await, 15);
}

/// CORE-03 (found reviewing issue 34's guide): after a system's own schedule, the primary
/// gets the message its own way, not the failed system's — a publish-subscribe system's
/// message falling back to a REST PULL primary waits in the primary's queue (it was notified to
/// a system with no endpoint three times, then failed).
#[tokio::test]
async fn core_03_a_fallback_to_a_pull_primary_waits_in_its_queue() {
    let (app, t0, caller) = app_and_sender_at_t0().await;
    let down = FakePeer::start(503).await;
    let primary = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    let (subscriber, _) = system(
        &app,
        AUTHORITY,
        json!({"role": "recipient", "protocol": "rest_publish_subscribe",
               "endpoint": format!("{}/notify", down.url)}),
    )
    .await;
    let point = point_bound_to(&app, &subscriber).await;
    let message_id = accepted_at_point(&app, &caller, &point).await;

    // The subscriber's own twelve attempts.
    let schedule = adgang_messaging::service::schedule::full_schedule(t0);
    attempts_at(&app, &schedule[..12]).await;
    let db = app.db().await;
    eventually("the fallback", || {
        let db = db.clone();
        let id = message_id.clone();
        let primary = primary.0.clone();
        async move {
            let msg = message::Entity::find()
                .filter(message::Column::MessageId.eq(id))
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            msg.recipient_system_id == Some(primary)
        }
    })
    .await;
    let msg = stored(&app, &message_id).await;
    assert_eq!(msg.state, "queued");
    // Nothing more is tried: the pull primary collects it.
    assert_eq!(attempts_after(&app, t0 + Duration::days(10)).await, 12);
    let waiting = waiting_for(&app, &primary).await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["memo"]["messageId"], json!(message_id));
    assert_eq!(stored(&app, &message_id).await.state, "queued");
}

#[tokio::test]
async fn core_03_a_pull_system_fetches_its_own_mailbox_and_acknowledges_once() {
    let (app, caller) = app_and_sender().await;
    let pull = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    let body = memo(AUTHORITY);
    let message_id = body["messageId"].as_str().unwrap().to_owned();
    accepted(&app, &caller, &body).await;

    let waiting = waiting_for(&app, &pull).await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["memo"]["messageId"], json!(message_id));
    // Another system cannot read this mailbox.
    assert_eq!(fetch_mailbox(&app, &pull.0, &caller).await.status(), 404);

    let ack = || acknowledge(&app, &pull, &message_id);
    let first: Value = ack().await.json().await.unwrap();
    assert_eq!(first["collected"], json!([message_id]));
    let second: Value = ack().await.json().await.unwrap();
    assert_eq!(second["collected"], json!([]));
    assert_eq!(stored(&app, &message_id).await.state, "collected");
    assert_eq!(names(&events(&app, AUTHORITY).await), ["collected"]);
    assert!(waiting_for(&app, &pull).await.is_empty());
}

#[tokio::test]
async fn core_03_send_test_message_pushes_a_marked_test_and_lists_the_attempt() {
    let app = app().await;
    let peer = FakePeer::start(204).await;
    let (push, _) = push_system(&app, AUTHORITY, &format!("{}/in", peer.url)).await;
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
        .get_json_as::<adgang_api_types::Page<DeliveryAttempt>>(
            &format!("/api/v1/organisations/{AUTHORITY}/systems/{push}/delivery-attempts"),
            &token,
        )
        .await
        .items;
    assert_eq!(listed.len(), 2);
    assert!(!listed[0].succeeded, "newest first");
    // X-03 (issue 33 item 6): paged and sortable by the documented parameters.
    let oldest: adgang_api_types::Page<DeliveryAttempt> = app
        .get_json_as(
            &format!(
                "/api/v1/organisations/{AUTHORITY}/systems/{push}/delivery-attempts\
                 ?pageSize=1&page=0&sort=attemptedAt:asc"
            ),
            &token,
        )
        .await;
    assert_eq!((oldest.total_elements, oldest.total_pages), (2, 2));
    assert_eq!(oldest.items.len(), 1);
    assert_eq!(oldest.items[0].attempted_at, listed[1].attempted_at);
    let refused = app
        .get_as(
            &format!(
                "/api/v1/organisations/{AUTHORITY}/systems/{push}/delivery-attempts?sort=endpoint"
            ),
            &token,
        )
        .await;
    assert_eq!(refused.status(), 400);
    assert!(events(&app, AUTHORITY).await.is_empty());

    // A pull system has no endpoint; another organisation's system is not found.
    let (pull, _) = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    let pull_path = format!("/api/v1/organisations/{AUTHORITY}/systems/{pull}/test-message");
    assert_field_errors(
        app.post_as(&pull_path, &token, &json!({})).await,
        &[("system", "not_applicable")],
    )
    .await;
    let foreign = format!("/api/v1/organisations/{SENDER}/systems/{push}/test-message");
    assert_eq!(
        app.post_as(&foreign, &admin(&app, SENDER), &json!({}))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn core_03_a_publish_subscribe_system_is_notified_then_collects() {
    let (app, caller) = app_and_sender().await;
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
    let waiting = waiting_for(&app, &subscriber).await;
    assert_eq!(waiting[0]["memo"]["messageId"], json!(message_id));
    assert_eq!(peer.requests().len(), 1, "notified once");
}
