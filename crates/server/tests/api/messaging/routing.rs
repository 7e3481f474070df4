//! CORE-02: routing — through the point's system, else the primary, else Virk; the test
//! portal's view of a citizen's platform mailbox and the SMS outbox.

use super::*;

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
