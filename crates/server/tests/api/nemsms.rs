//! NemSMS (SPEC §6, issue 16): lookups and their searches-log rows, enrolment confirmed by the
//! link sent through the SMS gateway, number changes that need a new confirmation, unenrolment,
//! links reused, expired or replaced, rights (SMS-04) and bad input.

use adgang_api_types::{
    NemSmsAction, NemSmsConfirmed, NemSmsReceipt, NemSmsState, NemSmsStatus, OrgKind, Right,
};
use adgang_core::entity::actions_log;
use adgang_messaging::entity::sms_outbox;
use adgang_test_support::{
    assert_field_errors, expect_json, field_codes, problem, spawn_app, TestApp,
};
use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::exemptions::{citizen, company};

const ORG: &str = "29189846";

pub(crate) fn staff(app: &TestApp, rights: &[Right]) -> String {
    app.token_for(ORG, OrgKind::Authority, rights)
}

pub(crate) fn url(rest: &str) -> String {
    format!("/api/v1/organisations/{ORG}/nemsms/{rest}")
}

pub(crate) async fn status_of(app: &TestApp, token: &str, cpr: &str) -> NemSmsStatus {
    let response = app
        .post_as(&url("lookups"), token, &json!({ "cpr": cpr }))
        .await;
    expect_json(response, 200).await
}

/// `POST` of the citizen `cpr`'s enrolment with `phone`, as `token`.
async fn enrolment(app: &TestApp, token: &str, cpr: &str, phone: &str) -> reqwest::Response {
    let body = json!({ "party": cpr, "phone": phone });
    app.post_as(&url("citizens"), token, &body).await
}

pub(crate) async fn enrol(app: &TestApp, token: &str, cpr: &str, phone: &str) -> NemSmsReceipt {
    expect_json(enrolment(app, token, cpr, phone).await, 201).await
}

/// The SMS sent to `phone`, newest first.
pub(crate) async fn sms_to(app: &TestApp, phone: &str) -> Vec<sms_outbox::Model> {
    app.rows(
        sms_outbox::Entity::find()
            .filter(sms_outbox::Column::Phone.eq(phone))
            .order_by_desc(sms_outbox::Column::SentAt),
    )
    .await
}

/// The token of the newest confirmation link sent to `phone`.
pub(crate) async fn link_token(app: &TestApp, phone: &str) -> String {
    let sent = sms_to(app, phone).await;
    let text = &sent.first().expect("a confirmation SMS").text;
    let (_, rest) = text.split_once("/nemsms/bekraeft/").expect("a link");
    rest.split_whitespace().next().unwrap().to_owned()
}

pub(crate) async fn confirm(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/nemsms/confirmations"))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap()
}

/// ORG's actions log about NemSMS, oldest first.
async fn actions(app: &TestApp) -> Vec<actions_log::Model> {
    app.actions_about(ORG, "nemsms").await
}

#[tokio::test]
async fn sms_01_02_a_citizen_is_enrolled_and_confirms_by_the_link_sent_by_sms() {
    let app = spawn_app().await;
    let token = staff(&app, &[Right::CitizenService]);
    let cpr = citizen(10);
    let before = status_of(&app, &token, &cpr).await;
    assert_eq!(before.state, NemSmsState::NotEnrolled);

    let receipt = enrol(&app, &token, &cpr, "12 34 56 78").await;
    assert_eq!(receipt.action, NemSmsAction::Enrolled);
    assert_eq!(
        receipt.phone, "+4512345678",
        "Danish numbers are stored as E.164"
    );
    assert_eq!(receipt.confirm_by, Some(receipt.at + Duration::hours(48)));
    let waiting = status_of(&app, &token, &cpr).await;
    assert_eq!(waiting.state, NemSmsState::AwaitingConfirmation);
    assert_eq!(waiting.pending_phone.as_deref(), Some("+4512345678"));
    assert_eq!(waiting.phone, None);

    // The link went to the number being enrolled, through the gateway's outbox.
    let sent = sms_to(&app, "+4512345678").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].recipient_cpr, cpr);
    assert!(
        sent[0]
            .text
            .contains(&format!("{}/nemsms/bekraeft/", app.address)),
        "{}",
        sent[0].text
    );
    let link = link_token(&app, "+4512345678").await;
    let confirmed: NemSmsConfirmed = expect_json(confirm(&app, &link).await, 200).await;
    assert_eq!(confirmed.phone, "+4512345678");
    let enrolled = status_of(&app, &token, &cpr).await;
    assert_eq!(enrolled.state, NemSmsState::Enrolled);
    assert_eq!(enrolled.phone.as_deref(), Some("+4512345678"));
    assert_eq!(enrolled.enrolled_at, Some(confirmed.enrolled_at));

    // A link works once.
    assert_field_errors(confirm(&app, &link).await, &[("token", "link_used")]).await;

    // SMS-04: lookups in the searches log, actions in the actions log — the confirmation with
    // the citizen as actor.
    let searches = app.searches_logged(ORG).await;
    assert_eq!(searches.len(), 3);
    assert!(searches
        .iter()
        .all(|s| s.search_data == cpr && s.result_count == 1));
    let logged: Vec<_> = actions(&app)
        .await
        .into_iter()
        .map(|r| (r.event, r.actor, r.field, r.after))
        .collect();
    assert_eq!(
        logged,
        [
            (
                "created".to_owned(),
                format!("CVR:{ORG}-RID:rid-{ORG}-citizen_service"),
                Some("pendingPhone".to_owned()),
                Some("+4512345678".to_owned())
            ),
            (
                "edited".to_owned(),
                cpr.clone(),
                Some("phone".to_owned()),
                Some("+4512345678".to_owned())
            ),
        ]
    );
}

#[tokio::test]
async fn sms_02_bad_numbers_unknown_people_double_enrolments_and_dead_links_are_refused() {
    let app = spawn_app().await;
    let token = staff(&app, &[Right::CitizenService]);
    let cpr = citizen(11);
    for (phone, code) in [
        ("1234", "invalid_phone"),
        ("+45 12", "invalid_phone"),
        ("", "required"),
    ] {
        let refused = problem(enrolment(&app, &token, &cpr, phone).await, 400).await;
        assert_eq!(
            field_codes(&refused),
            [("phone".to_owned(), code.to_owned())],
            "{phone:?}"
        );
    }
    let unknown = problem(
        enrolment(&app, &token, "3112991234", "+4798765432").await,
        400,
    )
    .await;
    assert_eq!(
        field_codes(&unknown),
        [("party".to_owned(), "unknown_person".to_owned())]
    );
    // Nothing half-stored: no enrolment, no SMS.
    assert_eq!(
        status_of(&app, &token, &cpr).await.state,
        NemSmsState::NotEnrolled
    );
    assert!(app.rows(sms_outbox::Entity::find()).await.is_empty());
    // The wizard's check changes nothing either.
    let dry = app
        .post_as(
            &format!("{}?dryRun=true", url("citizens")),
            &token,
            &json!({ "party": cpr, "phone": "+4798765432" }),
        )
        .await;
    assert_eq!(dry.status(), 204);
    assert!(app.rows(sms_outbox::Entity::find()).await.is_empty());

    // E.164 from abroad.
    let receipt = enrol(&app, &token, &cpr, "+4798765432").await;
    assert_eq!(receipt.phone, "+4798765432");
    assert_field_errors(
        enrolment(&app, &token, &cpr, "11223344").await,
        &[("party", "already_enrolled")],
    )
    .await;

    assert_field_errors(
        confirm(&app, "not-a-token").await,
        &[("token", "link_unknown")],
    )
    .await;
    // After 48 hours the link is dead.
    let link = link_token(&app, "+4798765432").await;
    app.clock
        .advance(Duration::hours(48) + Duration::minutes(1));
    assert_field_errors(confirm(&app, &link).await, &[("token", "link_expired")]).await;
    // Tokens are checked against the app's clock: mint them at its new time.
    let token = staff(&app, &[Right::CitizenService]);
    assert_eq!(
        status_of(&app, &token, &cpr).await.state,
        NemSmsState::AwaitingConfirmation
    );
}

#[tokio::test]
async fn sms_03_a_new_number_needs_a_new_confirmation_and_unenrolling_ends_it() {
    let app = spawn_app().await;
    let token = staff(&app, &[Right::CitizenService]);
    let cpr = citizen(12);
    let first = enrol(&app, &token, &cpr, "20202020").await;
    let response = confirm(&app, &link_token(&app, &first.phone).await).await;
    let confirmed: NemSmsConfirmed = response.json().await.unwrap();
    let id = status_of(&app, &token, &cpr).await.enrolment_id.unwrap();

    // The same number: refused. A new one: waits, the old one stays in use meanwhile.
    assert_field_errors(
        app.put_as(
            &url(&format!("citizens/{id}/phone")),
            &token,
            &json!({ "phone": "+4520202020" }),
        )
        .await,
        &[("phone", "same_number")],
    )
    .await;
    let response = app
        .put_as(
            &url(&format!("citizens/{id}/phone")),
            &token,
            &json!({ "phone": "30303030" }),
        )
        .await;
    let changed: NemSmsReceipt = expect_json(response, 200).await;
    assert_eq!(changed.action, NemSmsAction::NumberChanged);
    let status = status_of(&app, &token, &cpr).await;
    assert_eq!(status.state, NemSmsState::Enrolled);
    assert_eq!(status.phone.as_deref(), Some("+4520202020"));
    assert_eq!(status.pending_phone.as_deref(), Some("+4530303030"));

    // A second change replaces the first: its link no longer works.
    let replaced_link = link_token(&app, "+4530303030").await;
    app.put_as(
        &url(&format!("citizens/{id}/phone")),
        &token,
        &json!({ "phone": "40404040" }),
    )
    .await;
    assert_field_errors(
        confirm(&app, &replaced_link).await,
        &[("token", "link_expired")],
    )
    .await;
    let response = confirm(&app, &link_token(&app, "+4540404040").await).await;
    assert_eq!(response.status(), 200);
    let status = status_of(&app, &token, &cpr).await;
    assert_eq!(status.phone.as_deref(), Some("+4540404040"));
    assert_eq!(status.pending_phone, None);
    assert_eq!(
        status.enrolled_at,
        Some(confirmed.enrolled_at),
        "enrolled since the first"
    );

    // Unenrol: at once; twice is a conflict.
    let response = app.delete_as(&url(&format!("citizens/{id}")), &token).await;
    assert_eq!(response.status(), 200);
    let receipt: NemSmsReceipt = response.json().await.unwrap();
    assert_eq!(receipt.action, NemSmsAction::Unenrolled);
    assert_eq!(receipt.phone, "+4540404040");
    assert_eq!(
        status_of(&app, &token, &cpr).await.state,
        NemSmsState::NotEnrolled
    );
    let twice = app.delete_as(&url(&format!("citizens/{id}")), &token).await;
    assert_eq!(twice.status(), 409);
    let events: Vec<_> = actions(&app).await.into_iter().map(|r| r.event).collect();
    assert_eq!(
        events,
        ["created", "edited", "edited", "edited", "edited", "deleted"]
    );
}

#[tokio::test]
async fn sms_04_business_service_handles_companies_only() {
    let app = spawn_app().await;
    let business = staff(&app, &[Right::BusinessService]);
    let cpr = citizen(13);
    let refused = app
        .post_as(&url("lookups"), &business, &json!({ "cpr": cpr }))
        .await;
    assert_eq!(refused.status(), 403);
    let cvr = company(20);
    let response = app
        .post_as(
            &url("companies"),
            &business,
            &json!({ "party": cvr, "phone": "+4550505050" }),
        )
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let response = confirm(&app, &link_token(&app, "+4550505050").await).await;
    assert_eq!(response.status(), 200);
    let status: NemSmsStatus = app
        .post_as(&url("lookups"), &business, &json!({ "cvr": cvr }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status.state, NemSmsState::Enrolled);
    // The company confirmed: the actions log names it.
    assert!(actions(&app)
        .await
        .iter()
        .any(|r| r.actor == cvr && r.event == "edited"));
    // A citizen's enrolment is not reached through the companies' path.
    let citizen_service = staff(&app, &[Right::CitizenService]);
    enrol(&app, &citizen_service, &cpr, "60606060").await;
    let id = status_of(&app, &citizen_service, &cpr)
        .await
        .enrolment_id
        .unwrap();
    let wrong = app
        .delete_as(&url(&format!("companies/{id}")), &business)
        .await;
    assert_eq!(wrong.status(), 404);
    // Companies have no NemSMS module.
    let company_user = app.token_for("25052943", OrgKind::Company, &[Right::CitizenService]);
    let response = app
        .post_as(
            "/api/v1/organisations/25052943/nemsms/lookups",
            &company_user,
            &json!({ "cvr": cvr }),
        )
        .await;
    assert_eq!(response.status(), 403);
}
