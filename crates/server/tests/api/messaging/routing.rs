//! CORE-02: routing — through the point's system, else the primary, else Virk; the test
//! portal's view of a citizen's platform mailbox and the SMS outbox.

use super::*;

#[tokio::test]
async fn core_02_organisations_receive_through_the_points_system_else_the_primary_else_virk() {
    let (app, caller) = app_and_sender().await;
    let peer = FakePeer::start(200).await;
    let (primary, _) = push_system(&app, AUTHORITY, &format!("{}/primary", peer.url)).await;
    let (pull, _) = system(&app, AUTHORITY, json!({"role": "recipient"})).await;
    let token = admin(&app, AUTHORITY);
    let body = json!({"name": "Byggesager", "description": "Om byggesager", "visible": true, "audiences": ["citizens"],
                      "keywords": ["byggeri"], "active": true, "recipientSystemId": pull});
    let point = app.create_contact_point(AUTHORITY, &token, &body).await.id;

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
}

/// The NemSMS memos the gateway was handed (not the confirmation links).
async fn service_messages(app: &TestApp) -> Vec<sms_outbox::Model> {
    app.rows(
        sms_outbox::Entity::find()
            .filter(sms_outbox::Column::Text.not_like("%/nemsms/bekraeft/%"))
            .order_by_asc(sms_outbox::Column::SentAt),
    )
    .await
}

/// Issue 33 item 1 (CORE-02, SMS-01..03, LOG-01): a NemSMS memo goes to the *confirmed*
/// number of the party's enrolment — not enrolled, or enrolled but not confirmed, is
/// `NemSMS fejlet` and no SMS; a new number is used only once it is confirmed.
#[tokio::test]
async fn core_02_sms_01_a_nemsms_memo_goes_to_the_confirmed_number_else_nemsms_fejlet() {
    use crate::nemsms::{confirm, link_token, staff, status_of, url};
    let (app, caller) = app_and_sender().await;
    let nemsms_memo = || {
        let mut sms = memo(CITIZEN);
        sms["type"] = json!("nemsms");
        sms["title"] = json!("Husk din tid i Borgerservice");
        sms
    };
    let outcome = |message_id: String| {
        let app = &app;
        async move {
            events(app, SENDER)
                .await
                .into_iter()
                .filter(|e| e.message_id.as_deref() == Some(message_id.as_str()))
                .map(|e| e.event)
                .collect::<Vec<_>>()
        }
    };

    // Not enrolled.
    let first = nemsms_memo();
    let receipt = accepted(&app, &caller, &first).await;
    assert_eq!(receipt.status, MemoStatus::Failed);
    let id = first["messageId"].as_str().unwrap().to_owned();
    assert_eq!(
        outcome(id).await,
        ["validated", "nemsms_failed", "technical_receipt_sent"]
    );
    assert!(service_messages(&app).await.is_empty());

    // Enrolled, the number not yet confirmed: still no SMS.
    let clerk = staff(&app, &[Right::CitizenService]);
    crate::nemsms::enrol(&app, &clerk, CITIZEN, "+4520304050").await;
    let second = nemsms_memo();
    assert_eq!(
        accepted(&app, &caller, &second).await.status,
        MemoStatus::Failed
    );
    assert!(service_messages(&app).await.is_empty());

    // Confirmed: the memo goes to that number.
    let token = link_token(&app, "+4520304050").await;
    assert_eq!(confirm(&app, &token).await.status(), 200);
    let third = nemsms_memo();
    assert_eq!(
        accepted(&app, &caller, &third).await.status,
        MemoStatus::SentAsSms
    );
    let id = third["messageId"].as_str().unwrap().to_owned();
    assert_eq!(
        outcome(id.clone()).await,
        [
            "validated",
            "available_to_recipient",
            "technical_receipt_sent"
        ]
    );
    let sent = service_messages(&app).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].phone.as_deref(), Some("+4520304050"));
    assert_eq!(sent[0].recipient_cpr, CITIZEN);
    assert_eq!(sent[0].reference, id);

    // A new number waiting for confirmation: the confirmed one is still used.
    let enrolment = status_of(&app, &clerk, CITIZEN).await.enrolment_id.unwrap();
    let changed = app
        .put_as(
            &url(&format!("citizens/{enrolment}/phone")),
            &clerk,
            &json!({ "phone": "+4560708090" }),
        )
        .await;
    assert!(
        changed.status().is_success(),
        "{}",
        changed.text().await.unwrap()
    );
    accepted(&app, &caller, &nemsms_memo()).await;
    let sent = service_messages(&app).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].phone.as_deref(), Some("+4520304050"));
}

#[tokio::test]
async fn core_02_the_test_portal_shows_a_citizens_platform_mailbox_and_the_sms_outbox() {
    let (app, caller) = app_and_sender().await;
    let mut letter = memo(CITIZEN);
    letter["title"] = json!("Afgørelse om <tilskud>");
    let receipt = accepted(&app, &caller, &letter).await;
    enrolled_in_nemsms(&app, CITIZEN, "+4520304050").await;
    let mut sms = memo(CITIZEN);
    sms["type"] = json!("nemsms");
    sms["title"] = json!("Husk din tid hos lægen");
    accepted(&app, &caller, &sms).await;

    let page = mailbox_page(&app, CITIZEN).await;
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
    assert!(outbox.contains("+4520304050"));
    // Another recipient's mailbox is empty.
    let other = app
        .get("/testportal/mailboxes?recipient=0202402000")
        .await
        .text()
        .await
        .unwrap();
    assert!(other.contains("Postkassen er tom."));
}

/// `cpr` enrolled in NemSMS with `phone`, confirmed by the link the holder was sent.
async fn enrolled_in_nemsms(app: &TestApp, cpr: &str, phone: &str) {
    use crate::nemsms::{confirm, enrol, link_token, staff};
    enrol(app, &staff(app, &[Right::CitizenService]), cpr, phone).await;
    let token = link_token(app, phone).await;
    assert_eq!(confirm(app, &token).await.status(), 200);
}
