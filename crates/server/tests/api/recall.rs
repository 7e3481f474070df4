//! Recall before the value date (SPEC §10, guide chapter 13): find an own message by id
//! (RC-01), recall it while it is held (RC-02), and every refusal (RC-03) — through the API as
//! "Tilbagekald" calls it.

use adgang_api_types::{
    ConflictReason, MemoStatus, OrgKind, RecallCandidate, RecallReceipt, Right,
};
use adgang_core::Clock;
use adgang_test_support::{expect_json, problem, TestApp};
use serde_json::json;

use crate::messaging::{
    accepted, admin, app, events, eventually, memo, sender, stored, AUTHORITY, CITIZEN, SENDER,
};

fn memo_url(cvr: &str, message_id: &str) -> String {
    format!("/api/v1/organisations/{cvr}/memos/{message_id}")
}

/// A message from SENDER to a citizen, held for `value_date` (or sent at once); its id.
async fn sent(app: &TestApp, value_date: Option<&str>) -> String {
    let caller = sender(app).await;
    let mut body = memo(CITIZEN);
    if let Some(date) = value_date {
        body["valueDate"] = json!(date);
    }
    accepted(app, &caller, &body).await;
    body["messageId"].as_str().unwrap().to_owned()
}

/// The app on 10 December 2026, and a message SENDER sent then, held for its value date the 14th.
async fn app_with_a_held_message() -> (TestApp, String) {
    let app = app().await;
    app.clock.set("2026-12-10T11:00:00Z".parse().unwrap());
    let id = sent(&app, Some("2026-12-14")).await;
    (app, id)
}

async fn conflict(response: reqwest::Response) -> Option<ConflictReason> {
    problem(response, 409).await.reason
}

/// SENDER's message `id` is found with `reason` as its refusal, and recalling it is refused for
/// that reason.
async fn recall_refused(app: &TestApp, token: &str, id: &str, reason: ConflictReason) {
    let found: RecallCandidate = app.get_json_as(&memo_url(SENDER, id), token).await;
    assert_eq!(found.refusal, Some(reason));
    let recall = app.delete_as(&memo_url(SENDER, id), token).await;
    assert_eq!(conflict(recall).await, Some(reason));
}

#[tokio::test]
async fn rc_01_02_a_held_message_is_found_recalled_logged_and_never_delivered() {
    let (app, id) = app_with_a_held_message().await;
    let token = admin(&app, SENDER);

    let found: RecallCandidate = app.get_json_as(&memo_url(SENDER, &id), &token).await;
    assert_eq!(found.message_id, id);
    assert_eq!(found.title, "Afgørelse om byggetilladelse");
    assert_eq!(found.recipient, CITIZEN);
    assert_eq!(found.value_date, Some("2026-12-14".parse().unwrap()));
    assert_eq!(found.status, MemoStatus::HeldForValueDate);
    assert_eq!(found.refusal, None);

    let response = app.delete_as(&memo_url(SENDER, &id), &token).await;
    let receipt: RecallReceipt = expect_json(response, 200).await;
    assert_eq!(receipt.message_id, id);
    assert_eq!(receipt.recalled_at, app.clock.now());
    assert!(receipt
        .recalled_by
        .starts_with(&format!("CVR:{SENDER}-RID:")));

    // The message log shows Tilbagekaldt; the actions log names the employee.
    let log = events(&app, SENDER).await;
    assert!(log
        .iter()
        .any(|e| e.message_id.as_deref() == Some(id.as_str()) && e.event == "recalled"));
    let actions = app.actions_about(SENDER, "recall").await;
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].object_id.as_deref(), Some(id.as_str()));
    assert_eq!(actions[0].party_id.as_deref(), Some(CITIZEN));
    assert_eq!(actions[0].after.as_deref(), Some("Tilbagekaldt"));

    // Past its value date it is still not delivered.
    app.clock.set("2026-12-15T09:00:00Z".parse().unwrap());
    // Tokens are checked against the app's clock: mint them at its new time.
    let token = admin(&app, SENDER);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(stored(&app, &id).await.state, "recalled");
    assert!(!events(&app, SENDER)
        .await
        .iter()
        .any(
            |e| e.message_id.as_deref() == Some(id.as_str()) && e.event == "sent_after_value_date"
        ));
    let again: RecallCandidate = app.get_json_as(&memo_url(SENDER, &id), &token).await;
    assert_eq!(again.status, MemoStatus::Recalled);
    assert_eq!(again.refusal, Some(ConflictReason::AlreadyRecalled));
}

#[tokio::test]
async fn rc_03_no_value_date_value_date_passed_already_recalled_and_not_found() {
    let app = app().await;
    app.clock.set("2026-12-10T11:00:00Z".parse().unwrap());
    let token = admin(&app, SENDER);

    let at_once = sent(&app, None).await;
    recall_refused(&app, &token, &at_once, ConflictReason::NoValueDate).await;

    let released = sent(&app, Some("2026-12-11")).await;
    app.clock.set("2026-12-11T08:00:00Z".parse().unwrap());
    // Tokens are checked against the app's clock: mint them at its new time.
    let token = admin(&app, SENDER);
    eventually("the value date's release", || async {
        stored(&app, &released).await.state != "held"
    })
    .await;
    recall_refused(&app, &token, &released, ConflictReason::ValueDatePassed).await;

    let held = sent(&app, Some("2026-12-20")).await;
    assert_eq!(
        app.delete_as(&memo_url(SENDER, &held), &token)
            .await
            .status(),
        200
    );
    assert_eq!(
        conflict(app.delete_as(&memo_url(SENDER, &held), &token).await).await,
        Some(ConflictReason::AlreadyRecalled)
    );

    for response in [
        app.get_as(&memo_url(SENDER, "no-such-message"), &token)
            .await,
        app.delete_as(&memo_url(SENDER, "no-such-message"), &token)
            .await,
    ] {
        assert_eq!(response.status(), 404);
    }
}

#[tokio::test]
async fn rc_tenants_another_senders_message_is_not_found_and_rights_are_system_admin_only() {
    let (app, id) = app_with_a_held_message().await;

    // Another authority's admin, in their own organisation, does not see SENDER's message.
    let other = admin(&app, AUTHORITY);
    for response in [
        app.get_as(&memo_url(AUTHORITY, &id), &other).await,
        app.delete_as(&memo_url(AUTHORITY, &id), &other).await,
        // …nor through SENDER's path.
        app.delete_as(&memo_url(SENDER, &id), &other).await,
    ] {
        assert_eq!(response.status(), 404);
    }
    let contact_admin = app.token_for(SENDER, OrgKind::Authority, &[Right::ContactAdmin]);
    assert_eq!(
        app.delete_as(&memo_url(SENDER, &id), &contact_admin)
            .await
            .status(),
        403
    );
    let company = app.token_for("25052943", OrgKind::Company, &[Right::SystemAdmin]);
    assert_eq!(
        app.get_as(&memo_url("25052943", &id), &company)
            .await
            .status(),
        403
    );
    assert_eq!(stored(&app, &id).await.state, "held");
}
