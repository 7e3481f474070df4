//! CORE-01: intake — a memo accepted once, unknown callers and foreign addresses refused,
//! invalid memos answered with field errors, the forwarded address behind a trusted proxy.

use super::*;
use adgang_test_support::assert_has_field_error;

#[tokio::test]
async fn core_01_a_memo_to_a_citizen_is_accepted_once_and_lands_in_a_platform_mailbox() {
    let (app, caller) = app_and_sender().await;
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
        [
            "validated",
            "available_to_recipient",
            "technical_receipt_sent"
        ]
    );
    let event = &events(&app, SENDER).await[0];
    assert_eq!(event.message_id.as_deref(), Some(message_id));
    assert_eq!(event.recipient_id.as_deref(), Some(CITIZEN));
    assert_eq!(event.attachment_count, Some(1));
    assert_eq!(event.vendor_cvr, None, "the sender's system has no vendor");

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
    let (app, caller) = app_and_sender().await;
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
    let logged = events(&app, SENDER).await;
    assert_eq!(names(&logged).last(), Some(&"rejected_technical"));
    // Issue 32 item 9: said in Danish, with the parser's own words after it.
    let said = logged.last().and_then(|e| e.error_message.clone()).unwrap();
    assert!(
        said.starts_with("Indhold: Kaldets indhold kunne ikke læses som JSON: "),
        "{said}"
    );
    assert!(adgang_api_types::words::log_error(&said, true)
        .starts_with("Body: The JSON body could not be read: "));
    assert_eq!(
        logged[0].error_message.as_deref(),
        Some("Forkert eller manglende API-key.")
    );
    let count = message::Entity::find()
        .count(&app.db().await)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing refused is stored");
}

#[tokio::test]
async fn core_01_invalid_memos_get_field_errors_an_afvist_event_and_store_nothing() {
    let (app, caller) = app_and_sender().await;
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
        assert_has_field_error(submit(&app, &caller, &body).await, change, field, code).await;
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
    // Issue 32 item 9: the log says why in Danish words for every rule (never the English of
    // the API's answer, never the fallback), and each reads back in English for the SPA.
    let said: Vec<&str> = logged
        .iter()
        .filter_map(|e| e.error_message.as_deref())
        .collect();
    for text in &said {
        assert!(!text.contains("Værdien er ikke gyldig"), "{text}");
        let english = adgang_api_types::words::log_error(text, true);
        assert!(
            !english.contains("Værdi") && english != *text,
            "{text} → {english}"
        );
    }
    for expected in [
        "Titel: Titlen skal udfyldes.",
        "Modtager: De første seks cifre i et CPR-nummer skal være en gyldig dato.",
        "Bilag 1, indhold: Indholdet skal være base64.",
        "Bilag: Højst 10 bilag.",
        "Kontaktpunkt: Modtagerorganisationen har ikke dette kontaktpunkt.",
    ] {
        assert!(said.contains(&expected), "{expected} in {said:?}");
    }
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
    // The proxy (127.0.0.1, trusted) names the caller: the nearest untrusted entry counts.
    assert_eq!(
        status_via(&proxied, "203.0.113.9, 192.0.2.10", &behind).await,
        201
    );
    assert_eq!(
        status_via(&proxied, "192.0.2.10, 203.0.113.9", &behind).await,
        403
    );

    // Without a trusted proxy the header is ignored: the peer (127.0.0.1) is not allowed.
    let direct = app().await;
    let elsewhere = system(&direct, SENDER, json!({"allowedIps": ["192.0.2.10"]})).await;
    assert_eq!(status_via(&direct, "192.0.2.10", &elsewhere).await, 403);
}

/// The status of a memo from `caller`, sent to `app` with `X-Forwarded-For: forwarded`.
async fn status_via(app: &TestApp, forwarded: &str, caller: &(String, String)) -> u16 {
    app.client
        .post(app.url("/api/v1/memos"))
        .header("X-System-Id", caller.0.clone())
        .header("X-Api-Key", caller.1.clone())
        .header("X-Forwarded-For", forwarded)
        .json(&memo(CITIZEN))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// CORE-01 (review of issue 34's guide): the message id is kept in the form it was checked in
/// — lower-case, hyphenated — also inside the memo a system is handed, so an id sent in upper
/// case or without hyphens is acknowledged, recalled and replayed by that one form.
#[tokio::test]
async fn core_01_the_message_id_is_kept_normalised_in_the_stored_memo() {
    let (app, caller) = app_and_sender().await;
    let id = uuid::Uuid::now_v7();
    let mut body = memo(&format!(" {CITIZEN} "));
    body["messageId"] = json!(id.simple().to_string().to_uppercase());
    let first = accepted(&app, &caller, &body).await;

    let stored = stored(&app, &id.to_string()).await;
    let kept: Value = serde_json::from_str(&stored.content).unwrap();
    assert_eq!(kept["messageId"], json!(id.to_string()));
    assert_eq!(kept["recipient"], json!(CITIZEN));
    assert_eq!(stored.recipient_id, CITIZEN);
    // The same memo with the id spelled the usual way is a replay, not a conflict.
    body["messageId"] = json!(id.to_string());
    body["recipient"] = json!(CITIZEN);
    let again = submit(&app, &caller, &body).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<MemoReceipt>().await.unwrap(), first);
}
