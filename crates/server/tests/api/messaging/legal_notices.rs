//! Issue 33 item 2 (LOG-01 "Forkyndt — kun synlig for DOMST"): only an organisation allowed to
//! serve legal notices sends them; a legal notice is served when the recipient opens it in their
//! platform mailbox, once, with `Forkyndt` in the sender's log.

use super::*;

/// The recipient opens the message in their mailbox on the test portal (the built-in platform),
/// as a browser with the page open.
async fn open_in_mailbox(app: &TestApp, message_id: &str) -> reqwest::Response {
    crate::testportal::post(
        app,
        "/testportal/mailboxes/open",
        &[
            ("recipient", CITIZEN),
            ("sender", SENDER),
            ("message_id", message_id),
        ],
    )
    .await
}

fn served(events: &[message_events::Model]) -> usize {
    events
        .iter()
        .filter(|e| e.event == "legally_served")
        .count()
}

#[tokio::test]
async fn log_01_a_legal_notice_is_served_when_opened_and_only_the_courts_send_them() {
    let (app, caller) = app_and_sender().await;
    let mut notice = memo(CITIZEN);
    notice["type"] = json!("legal_notice");

    // An organisation without the courts' permission: refused, and said so in its log.
    assert_field_errors(
        submit(&app, &caller, &notice).await,
        &[("type", "legal_notice_not_allowed")],
    )
    .await;
    let logged = events(&app, SENDER).await;
    assert_eq!(names(&logged), ["rejected"]);
    assert_eq!(
        logged[0].error_message.as_deref(),
        Some("Beskedtype: Kun en organisation med adgang til forkyndelse kan sende forkyndelser.")
    );

    // Allowed (the operation's setting for the courts), the organisation says so.
    let cvr = adgang_core::Cvr::parse(SENDER).unwrap();
    adgang_identity::service::allow_legal_notification(&app.db().await, &cvr, true)
        .await
        .unwrap();
    let org: adgang_api_types::Organisation = app
        .get_json_as(
            &format!("/api/v1/organisations/{SENDER}"),
            &admin(&app, SENDER),
        )
        .await;
    assert!(org.legal_notification_allowed);
    let notice_id = notice["messageId"].as_str().unwrap().to_owned();
    assert_eq!(
        accepted(&app, &caller, &notice).await.status,
        MemoStatus::AvailableToRecipient
    );
    let letter = memo(CITIZEN);
    let letter_id = letter["messageId"].as_str().unwrap().to_owned();
    accepted(&app, &caller, &letter).await;
    assert_eq!(
        served(&events(&app, SENDER).await),
        0,
        "not before it is opened"
    );

    // Opened: served, once; a letter opened is no event.
    let opened_at = {
        use chrono::SubsecRound;
        (app.clock.now() + Duration::minutes(5)).trunc_subsecs(0)
    };
    app.clock.set(opened_at);
    let opened = open_in_mailbox(&app, &notice_id).await;
    assert_eq!(opened.status(), 303);
    assert_eq!(
        opened.headers()["location"],
        format!("/testportal/mailboxes?recipient={CITIZEN}").as_str()
    );
    let page = mailbox_page(&app, CITIZEN).await;
    assert!(
        page.contains(&format!("value=\"{letter_id}\"")),
        "the letter has Åbn"
    );
    assert!(
        !page.contains(&format!("value=\"{notice_id}\"")),
        "no second Åbn"
    );
    open_in_mailbox(&app, &notice_id).await;
    open_in_mailbox(&app, &letter_id).await;
    let logged = events(&app, SENDER).await;
    assert_eq!(served(&logged), 1);
    let event = logged.iter().find(|e| e.event == "legally_served").unwrap();
    assert_eq!(event.message_id.as_deref(), Some(notice_id.as_str()));
    assert_eq!(event.recipient_id.as_deref(), Some(CITIZEN));
    assert_eq!(event.occurred_at, opened_at);
    // The recipient's mailbox shows when it was opened; nothing in another log.
    assert_eq!(served(&events(&app, AUTHORITY).await), 0);
    assert!(stored(&app, &letter_id).await.opened_at.is_some());

    // A post from elsewhere (no form token) opens nothing.
    let unopened = memo(CITIZEN);
    let unopened_id = unopened["messageId"].as_str().unwrap().to_owned();
    accepted(&app, &caller, &unopened).await;
    let foreign = reqwest::Client::new()
        .post(app.url("/testportal/mailboxes/open"))
        .form(&[
            ("recipient", CITIZEN),
            ("sender", SENDER),
            ("message_id", unopened_id.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    assert!(stored(&app, &unopened_id).await.opened_at.is_none());
}
