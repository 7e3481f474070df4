//! AUTH-04: an authority that has not joined is gated until someone accepts the agreement,
//! uploads it signed (a real PDF) and designates a rights administrator. Companies skip it.

use adgang_api_types::{
    AccessToken, Module, OnboardingStatus, OrgKind, Problem, Right, SignedAgreement,
};
use adgang_core::audit::Actor;
use adgang_core::entity::actions_log;
use adgang_core::Cvr;
use adgang_identity::entity::organisation;
use adgang_identity::service::rights::{ensure_user, grant};
use adgang_identity::service::{create_organisation, NewOrganisation};
use adgang_test_support::{expect_json, header_text, pdf_with_text, spawn_app, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::login::{access_token, log_in};

const NYBY: &str = "40000011";

/// An organisation that has not accepted the agreement, and a user with `rights` there.
pub(crate) async fn not_joined(app: &TestApp, kind: OrgKind, rights: &[Right]) {
    let db = app.db().await;
    let now = chrono::Utc::now();
    let cvr = Cvr::parse(NYBY).unwrap();
    let new = NewOrganisation {
        cvr: cvr.clone(),
        name: "Nyby Kommune".into(),
        kind,
        agreement_accepted_at: None,
    };
    create_organisation(&db, new, now).await.unwrap();
    let user = ensure_user(&db, "rid-nanna", "Nanna Nyby", now)
        .await
        .unwrap();
    for right in rights {
        grant(&db, &Actor::System, &cvr, &user, *right, now)
            .await
            .unwrap();
    }
}

/// Logs in as Nanna through the built-in IdP; returns the cookie-carrying browser.
pub(crate) async fn nanna(app: &TestApp) -> reqwest::Client {
    let (browser, finished) = log_in(app, "rid-nanna", "/").await;
    assert_eq!(finished.status(), 303);
    browser
}

pub(crate) async fn renew_token(app: &TestApp, browser: &reqwest::Client) -> String {
    let token: AccessToken = access_token(app, browser).await;
    token.access_token
}

async fn log_rows(app: &TestApp) -> Vec<actions_log::Model> {
    app.rows(
        actions_log::Entity::find()
            .filter(actions_log::Column::OrganisationCvr.eq(NYBY))
            .filter(actions_log::Column::ActorIsSystem.eq(false)),
    )
    .await
}

pub(crate) async fn upload(app: &TestApp, token: &str, body: Vec<u8>) -> reqwest::Response {
    app.client
        .put(app.url(&format!(
            "/api/v1/organisations/{NYBY}/onboarding/signed-agreement"
        )))
        .bearer_auth(token)
        .header("content-type", "application/pdf")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn complete(app: &TestApp, token: &str, body: serde_json::Value) -> reqwest::Response {
    let path = format!("/api/v1/organisations/{NYBY}/onboarding/completion");
    app.post_as(&path, token, &body).await
}

/// [`complete`], which must answer 200: the onboarding's status then.
async fn completed(app: &TestApp, token: &str, body: serde_json::Value) -> OnboardingStatus {
    expect_json(complete(app, token, body).await, 200).await
}

fn field_codes(problem: &Problem) -> Vec<(String, String)> {
    let mut codes: Vec<_> = problem
        .errors
        .iter()
        .map(|e| (e.field.clone(), e.code.as_str().to_owned()))
        .collect();
    codes.sort();
    codes
}

#[tokio::test]
async fn auth_04_an_authority_is_gated_until_onboarding_is_complete() {
    let app = spawn_app().await;
    not_joined(
        &app,
        OrgKind::Authority,
        &[Right::SystemAdmin, Right::RightsAdmin],
    )
    .await;
    let browser = nanna(&app).await;
    let token = renew_token(&app, &browser).await;

    // The session says so, and no module is open.
    let session = app.session(&token).await;
    assert!(session.onboarding_required);
    assert!(session.modules.is_empty(), "{:?}", session.modules);
    // Rights held there open nothing yet.
    let gated = app
        .get_as(&format!("/api/v1/organisations/{NYBY}/users"), &token)
        .await;
    assert_eq!(gated.status(), 403);
    let problem: Problem = gated.json().await.unwrap();
    assert_eq!(
        problem.code,
        adgang_api_types::ErrorCode::OnboardingRequired
    );

    // The onboarding status shows the agreement and the users to pick from.
    let status: OnboardingStatus = app
        .get_json_as(&format!("/api/v1/organisations/{NYBY}/onboarding"), &token)
        .await;
    assert!(status.required);
    assert!(status.agreement.title.contains("Digital Post"));
    assert!(status.signed_agreement.is_none());
    assert_eq!(status.users.len(), 1);

    // Completing before accepting and uploading is refused, field by field; nothing changes.
    let refused = complete(
        &app,
        &token,
        serde_json::json!({"acceptAgreement": false, "rightsAdmin": {"userId": "rid-ny", "name": ""}}),
    )
    .await;
    assert_eq!(refused.status(), 400);
    assert_eq!(
        field_codes(&refused.json().await.unwrap()),
        vec![
            ("acceptAgreement".into(), "must_accept".into()),
            ("rightsAdmin.email".into(), "required".into()),
            ("rightsAdmin.name".into(), "required".into()),
            ("signedAgreement".into(), "required".into()),
        ]
    );
    assert!(log_rows(&app).await.is_empty());

    // Only a real PDF is accepted.
    let not_pdf = upload(&app, &token, b"PK\x03\x04 zip".to_vec()).await;
    assert_eq!(not_pdf.status(), 400);
    assert_eq!(
        field_codes(&not_pdf.json().await.unwrap()),
        vec![("document".into(), "not_pdf".into())]
    );
    let broken = upload(&app, &token, b"%PDF-1.5\nnot really".to_vec()).await;
    assert_eq!(
        field_codes(&broken.json().await.unwrap()),
        vec![("document".into(), "unreadable_pdf".into())]
    );
    let too_big = upload(&app, &token, vec![b' '; 10 * 1024 * 1024 + 1]).await;
    assert_eq!(too_big.status(), 413);

    let pdf = pdf_with_text("Aftale om tilslutning - underskrevet");
    let uploaded = upload(&app, &token, pdf.clone()).await;
    assert_eq!(uploaded.status(), 200);
    let uploaded: SignedAgreement = uploaded.json().await.unwrap();
    assert_eq!(uploaded.page_count, 1);
    assert_eq!(uploaded.size_bytes, pdf.len() as u64);
    assert_eq!(uploaded.sha256, adgang_core::secrets::sha256_hex(&pdf));

    // Accept and designate a new user as rights administrator.
    let done = completed(
        &app,
        &token,
        serde_json::json!({"acceptAgreement": true, "rightsAdmin": {"userId": "rid-rikke", "name": "Rikke Rettighed", "email": "rikke@nyby.dk"}}),
    )
    .await;
    assert!(!done.required);
    assert!(done.completed_at.is_some());
    assert!(done
        .users
        .iter()
        .any(|u| u.user_id == "rid-rikke" && u.rights == vec![Right::RightsAdmin]));
    // §3.1.1 (issue 33 item 7): the designated rights administrator is told, with the link to
    // the rights portal (the built-in test portal here), through the mail outbox.
    let mail = app
        .rows(adgang_messaging::entity::mail_outbox::Entity::find())
        .await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0].recipient, "rikke@nyby.dk");
    assert!(
        mail[0].subject.contains("rettighedsadministrator"),
        "{}",
        mail[0].subject
    );
    assert!(mail[0].body.contains("Rikke Rettighed"), "{}", mail[0].body);
    assert!(mail[0].body.contains("/testportal"), "{}", mail[0].body);

    // Exactly the expected actions-log rows, by the employee acting for the organisation.
    let rows = log_rows(&app).await;
    let mut seen: Vec<(String, String, Option<String>, Option<String>)> = rows
        .iter()
        .map(|r| {
            assert_eq!(r.actor, format!("CVR:{NYBY}-RID:rid-nanna"));
            (
                r.subject.clone(),
                r.event.clone(),
                r.field.clone(),
                r.after.clone(),
            )
        })
        .collect();
    seen.sort();
    let accepted_at = rows
        .iter()
        .find(|r| r.field.as_deref() == Some("agreementAcceptedAt"))
        .and_then(|r| r.after.clone());
    assert_eq!(
        seen,
        vec![
            (
                "onboarding".into(),
                "created".into(),
                Some("sha256".into()),
                Some(uploaded.sha256.clone())
            ),
            (
                "onboarding".into(),
                "edited".into(),
                Some("agreementAcceptedAt".into()),
                accepted_at
            ),
            (
                "onboarding".into(),
                "edited".into(),
                Some("agreementVersion".into()),
                Some("2026.1".into())
            ),
            (
                "onboarding".into(),
                "edited".into(),
                Some("rightsAdmin".into()),
                Some("rid-rikke".into())
            ),
            (
                "rights".into(),
                "created".into(),
                Some("right".into()),
                Some("rights_admin".into())
            ),
        ]
    );

    // A renewed token opens the modules; onboarding cannot be repeated.
    let renewed = renew_token(&app, &browser).await;
    let session = app.session(&renewed).await;
    assert!(!session.onboarding_required);
    assert!(session.modules.contains(&Module::SystemConnection));
    app.get_ok_as(&format!("/api/v1/organisations/{NYBY}/users"), &renewed)
        .await;
    assert_eq!(upload(&app, &renewed, pdf).await.status(), 409);
}

#[tokio::test]
async fn auth_04_a_second_upload_replaces_the_first_and_an_existing_user_can_be_designated() {
    let app = spawn_app().await;
    not_joined(&app, OrgKind::Authority, &[Right::SystemAdmin]).await;
    let token = renew_token(&app, &nanna(&app).await).await;
    let first = upload(&app, &token, pdf_with_text("første udkast")).await;
    assert_eq!(first.status(), 200);
    let second: SignedAgreement = upload(&app, &token, pdf_with_text("underskrevet"))
        .await
        .json()
        .await
        .unwrap();
    let status = completed(
        &app,
        &token,
        serde_json::json!({"acceptAgreement": true, "rightsAdmin": {"userId": "rid-nanna", "email": "nanna@nyby.dk"}}),
    )
    .await;
    assert_eq!(status.signed_agreement.unwrap().sha256, second.sha256);
    assert_eq!(
        status.users[0].rights,
        vec![Right::SystemAdmin, Right::RightsAdmin]
    );
    let org = organisation::Entity::find_by_id(NYBY)
        .one(&app.db().await)
        .await
        .unwrap()
        .unwrap();
    assert!(org.agreement_accepted_at.is_some());
}

#[tokio::test]
async fn auth_04_the_agreement_downloads_as_a_pdf_to_sign() {
    let app = spawn_app().await;
    not_joined(&app, OrgKind::Authority, &[Right::SystemAdmin]).await;
    let token = renew_token(&app, &nanna(&app).await).await;
    let response = app
        .get_ok_as(
            &format!("/api/v1/organisations/{NYBY}/onboarding/agreement"),
            &token,
        )
        .await;
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert!(header_text(&response, "content-disposition")
        .contains(&format!("tilslutningsaftale-{NYBY}.pdf")));
    let text = adgang_documents::pdf::extract_text(&response.bytes().await.unwrap()).unwrap();
    let status: OnboardingStatus = app
        .get_json_as(&format!("/api/v1/organisations/{NYBY}/onboarding"), &token)
        .await;
    for expected in [
        status.agreement.title.as_str(),
        NYBY,
        "Underskrift",
        "databeskyttelsesforordningen",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the agreement PDF: {text}"
        );
    }
}

#[tokio::test]
async fn auth_04_companies_skip_onboarding() {
    let app = spawn_app().await;
    not_joined(&app, OrgKind::Company, &[Right::SystemAdmin]).await;
    let token = renew_token(&app, &nanna(&app).await).await;
    let session = app.session(&token).await;
    assert!(!session.onboarding_required);
    assert!(session.modules.contains(&Module::SystemConnection));
    let status: OnboardingStatus = app
        .get_json_as(&format!("/api/v1/organisations/{NYBY}/onboarding"), &token)
        .await;
    assert!(!status.required);
    assert_eq!(upload(&app, &token, pdf_with_text("x")).await.status(), 409);
}

#[tokio::test]
async fn auth_04_another_organisations_onboarding_does_not_exist_for_the_caller() {
    let app = spawn_app().await;
    not_joined(&app, OrgKind::Authority, &[Right::SystemAdmin]).await;
    let stranger = app.token_for("29189846", OrgKind::Authority, &Right::ALL);
    for path in ["onboarding", "onboarding/agreement"] {
        let path = format!("/api/v1/organisations/{NYBY}/{path}");
        assert_eq!(app.get_as(&path, &stranger).await.status(), 404, "{path}");
    }
    assert_eq!(
        upload(&app, &stranger, pdf_with_text("x")).await.status(),
        404
    );
    let refused = complete(
        &app,
        &stranger,
        serde_json::json!({"acceptAgreement": true, "rightsAdmin": {"userId": "rid-x", "name": "X", "email": "x@nyby.dk"}}),
    )
    .await;
    assert_eq!(refused.status(), 404);
    assert!(log_rows(&app).await.is_empty());
}

#[tokio::test]
async fn issue_13_a_pdf_bomb_is_refused_before_it_is_parsed() {
    use std::io::Write;
    let app = spawn_app().await;
    not_joined(&app, OrgKind::Authority, &[Right::RightsAdmin]).await;
    let browser = nanna(&app).await;
    let token = renew_token(&app, &browser).await;
    // One object stream whose 3,000 objects all start at the same 200,000-element array: a
    // parser that builds each object builds the array 3,000 times.
    let header: String = (0..3_000).map(|i| format!("{} 0 ", 10 + i)).collect();
    let content = format!("{header}[{}]", "0 ".repeat(200_000));
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(content.as_bytes()).unwrap();
    let data = encoder.finish().unwrap();
    let mut bomb = format!(
        "%PDF-1.5\n1 0 obj\n<< /Type /ObjStm /N 3000 /First {} /Filter /FlateDecode /Length {} >>\nstream\n",
        header.len(),
        data.len()
    )
    .into_bytes();
    bomb.extend_from_slice(&data);
    bomb.extend_from_slice(b"\nendstream\nendobj\ntrailer\n<< /Size 2 >>\n%%EOF\n");
    assert!(bomb.len() < 20_000, "{} bytes", bomb.len());

    // Refused by the object-stream check before the parser runs (the reason is in the detail).
    let refused = upload(&app, &token, bomb).await;
    assert_eq!(refused.status(), 400);
    let problem: Problem = refused.json().await.unwrap();
    assert_eq!(
        field_codes(&problem),
        vec![("document".into(), "unreadable_pdf".into())]
    );
    assert!(
        problem.errors[0].message.contains("object stream"),
        "{}",
        problem.errors[0].message
    );
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn issue_13_designating_a_rid_answers_the_same_whether_it_exists_elsewhere_or_not() {
    let app = spawn_app().await;
    not_joined(&app, OrgKind::Authority, &[Right::SystemAdmin]).await;
    app.seed_user(
        "rid-andetsteds",
        "Anders Andetsteds",
        &[("29189846", OrgKind::Authority, Right::ContactAdmin)],
    )
    .await;
    let token = renew_token(&app, &nanna(&app).await).await;
    assert_eq!(
        upload(&app, &token, pdf_with_text("underskrevet"))
            .await
            .status(),
        200
    );
    let without_name = |rid: &str| serde_json::json!({"acceptAgreement": true, "rightsAdmin": {"userId": rid, "email": "a@nyby.dk"}});
    let known_elsewhere = complete(&app, &token, without_name("rid-andetsteds")).await;
    let unknown = complete(&app, &token, without_name("rid-ukendt")).await;
    assert_eq!(known_elsewhere.status(), 400);
    assert_eq!(unknown.status(), 400);
    let (known_elsewhere, unknown): (Problem, Problem) = (
        known_elsewhere.json().await.unwrap(),
        unknown.json().await.unwrap(),
    );
    assert_eq!(known_elsewhere.errors, unknown.errors);
    assert_eq!(
        field_codes(&unknown),
        vec![("rightsAdmin.name".into(), "required".into())]
    );

    // With a name the user known elsewhere is designated, and keeps their own name.
    let status = completed(
        &app,
        &token,
        serde_json::json!({"acceptAgreement": true, "rightsAdmin": {"userId": "rid-andetsteds", "name": "Et andet navn", "email": "b@nyby.dk"}}),
    )
    .await;
    let designated = status
        .users
        .iter()
        .find(|u| u.user_id == "rid-andetsteds")
        .expect("the designated user is listed");
    assert_eq!(designated.name, "Anders Andetsteds");
    assert_eq!(designated.rights, vec![Right::RightsAdmin]);
}
