//! CORE-03: business receipts — to a push sender's receipt endpoint, waiting for a pull
//! sender, and a receipt endpoint that stays down.

use super::*;

/// A sender system whose business receipts are pushed to `peer`'s `/receipts`.
async fn receipt_push_sender(app: &TestApp, peer: &FakePeer) -> (String, String) {
    let settings =
        json!({"protocol": "rest_push", "receiptEndpoint": format!("{}/receipts", peer.url)});
    system(app, SENDER, settings).await
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
    let ack = acknowledge(app, pull, &message_id).await;
    assert_eq!(ack.status(), 200);
    message_id
}

async fn send_receipt(
    app: &TestApp,
    who: &(String, String),
    message_id: &str,
) -> reqwest::Response {
    let body = json!({"messageId": message_id, "status": "processed", "text": "Sagen er oprettet"});
    as_system(app, who, "POST", "/api/v1/receipts", Some(&body)).await
}

#[tokio::test]
async fn core_03_business_receipts_reach_a_push_senders_receipt_endpoint_or_wait_for_a_pull_sender()
{
    let app = app().await;
    let receipts_peer = FakePeer::start(200).await;
    let push_sender = receipt_push_sender(&app, &receipts_peer).await;
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
    let list = "/api/v1/receipts";
    let waiting: Vec<Value> = as_system(&app, &pull_sender, "GET", list, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["messageId"], json!(waiting_for));
    let other: Vec<Value> = as_system(&app, &push_sender, "GET", list, None)
        .await
        .json()
        .await
        .unwrap();
    assert!(other.is_empty(), "another sender does not see it");
    let receipt = format!("/api/v1/receipts/{}", waiting[0]["id"].as_str().unwrap());
    let collect = || as_system(&app, &pull_sender, "DELETE", &receipt, None);
    assert_eq!(collect().await.status(), 204);
    assert_eq!(collect().await.status(), 404);
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
    let t0 = schedule_start(&app);
    let down = FakePeer::start(503).await;
    let push_sender = receipt_push_sender(&app, &down).await;
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

/// CORE-03 (review of issue 34's guide): message ids are unique per sender, so two senders may
/// deliver memos of one id to the same system. A receipt then names the sender (`senderCvr`)
/// and reaches that sender's memo — never the other's; without it, it is refused on the field.
/// Ids are matched as kept, however the recipient spells them.
#[tokio::test]
async fn core_03_a_receipt_on_an_id_two_senders_used_names_the_sender() {
    let app = app().await;
    let first_sender = sender(&app).await;
    let second_sender = system(&app, AUTHORITY, json!({})).await;
    let pull = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    let id = uuid::Uuid::now_v7().to_string();
    for caller in [&first_sender, &second_sender] {
        let mut body = memo(AUTHORITY);
        body["messageId"] = json!(id);
        if caller == &second_sender {
            body["senderCvr"] = json!(AUTHORITY);
        }
        accepted(&app, caller, &body).await;
    }
    let ack = app
        .client
        .post(app.url(&format!("/api/v1/mailboxes/{}/system-fetches", pull.0)))
        .header("X-System-Id", &pull.0)
        .header("X-Api-Key", &pull.1)
        .json(&json!({"messageIds": [id.to_uppercase()]}))
        .send()
        .await
        .unwrap();
    let acknowledged: Value = ack.json().await.unwrap();
    assert_eq!(
        acknowledged["collected"],
        json!([id, id]),
        "both, by the id in capitals"
    );

    let send = |sender_cvr: Option<&str>| {
        let mut body = json!({"messageId": id.replace('-', ""), "status": "received"});
        if let Some(cvr) = sender_cvr {
            body["senderCvr"] = json!(cvr);
        }
        app.client
            .post(app.url("/api/v1/receipts"))
            .header("X-System-Id", &pull.0)
            .header("X-Api-Key", &pull.1)
            .json(&body)
            .send()
    };
    assert_field_errors(send(None).await.unwrap(), &[("senderCvr", "required")]).await;
    assert_eq!(send(Some(AUTHORITY)).await.unwrap().status(), 202);
    // The receipt waits for the second sender (a pull sender) and not for the first.
    let waiting = |caller: &(String, String)| {
        app.client
            .get(app.url("/api/v1/receipts"))
            .header("X-System-Id", &caller.0)
            .header("X-Api-Key", &caller.1)
            .send()
    };
    let second: Vec<Value> = waiting(&second_sender).await.unwrap().json().await.unwrap();
    let first: Vec<Value> = waiting(&first_sender).await.unwrap().json().await.unwrap();
    assert_eq!((second.len(), first.len()), (1, 0));
    assert_eq!(second[0]["messageId"], json!(id));
}
