//! Integrators: a rights administrator registers a machine client, which gets access tokens
//! with the OAuth2 client-credentials grant and calls the API with them.

use adgang_api_types::{OAuthTokenResponse, OrgKind, RegisteredMachineClient, Right};
use adgang_test_support::{
    assert_field_errors, expect_json, spawn_app_with_organisations, TestApp,
};

const CVR: &str = "29189846";

async fn with_organisation() -> TestApp {
    spawn_app_with_organisations(&[(CVR, "Testkommune Nord", OrgKind::Authority)]).await
}

async fn register(app: &TestApp, rights: &[Right], body: serde_json::Value) -> reqwest::Response {
    let token = app.token_for(CVR, OrgKind::Authority, rights);
    let path = format!("/api/v1/organisations/{CVR}/machine-clients");
    app.post_as(&path, &token, &body).await
}

/// Registers the machine client `body` as the organisation's rights administrator.
async fn register_as_rights_admin(app: &TestApp, body: serde_json::Value) -> reqwest::Response {
    register(app, &[Right::RightsAdmin], body).await
}

#[tokio::test]
async fn a_machine_client_gets_a_token_with_client_credentials_and_calls_the_api() {
    let app = with_organisation().await;
    let body = serde_json::json!({"name": "Sagssystem", "rights": ["system_admin"]});
    let response = register_as_rights_admin(&app, body).await;
    let client: RegisteredMachineClient = expect_json(response, 201).await;
    assert_eq!(client.rights, vec![Right::SystemAdmin]);

    let token: OAuthTokenResponse = app
        .client_credentials(&client.client_id, &client.client_secret)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(token.token_type, "Bearer");
    assert!(token.expires_in <= 15 * 60);
    let session = app.session(&token.access_token).await;
    assert_eq!(
        (
            session.user_id.as_str(),
            session.organisation.cvr_number.as_str()
        ),
        (client.client_id.as_str(), CVR)
    );
    assert_eq!(session.rights, vec![Right::SystemAdmin]);

    // Form-field client authentication works too; a wrong secret does not.
    let form = app
        .client
        .post(app.url("/api/v1/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &client.client_id),
            ("client_secret", &client.client_secret),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let wrong = app
        .client_credentials(&client.client_id, "not-the-secret")
        .await;
    assert_eq!(wrong.status(), 401);
    let body: serde_json::Value = wrong.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
}

#[tokio::test]
async fn registration_validates_and_is_for_rights_administrators_only() {
    let app = with_organisation().await;
    let body = serde_json::json!({"name": " ", "rights": ["operator"]});
    let invalid = register_as_rights_admin(&app, body).await;
    assert_field_errors(
        invalid,
        &[("name", "required"), ("rights", "not_for_machines")],
    )
    .await;

    let refused = register(
        &app,
        &[Right::SystemAdmin],
        serde_json::json!({"name": "x", "rights": ["system_admin"]}),
    )
    .await;
    assert_eq!(refused.status(), 403);

    let admin = app.token_for(CVR, OrgKind::Authority, &[Right::RightsAdmin]);
    let elsewhere = app
        .post_as(
            "/api/v1/organisations/34051178/machine-clients",
            &admin,
            &serde_json::json!({"name": "x", "rights": ["system_admin"]}),
        )
        .await;
    assert_eq!(
        elsewhere.status(),
        404,
        "another organisation's resources do not exist for the caller"
    );
}
