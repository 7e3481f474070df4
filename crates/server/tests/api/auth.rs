//! AUTH-03: every API call is authorised from our access token alone; bad tokens get 401.

use adgang_api_types::{ErrorCode, Module, OrgKind, Problem, Right};
use adgang_core::TokenKeys;
use adgang_test_support::{spawn_app, user};
use base64::Engine;

async fn assert_401(response: reqwest::Response) {
    assert_eq!(response.status(), 401);
    assert!(response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    let problem: Problem = response.json().await.unwrap();
    assert_eq!(problem.code, ErrorCode::Unauthorized);
}

#[tokio::test]
async fn auth_03_session_reflects_the_token_and_its_modules() {
    let app = spawn_app().await;
    let token = app.token_for("29189846", OrgKind::Authority, &[Right::CitizenService]);
    let session = app.session(&token).await;
    assert_eq!(session.organisation.cvr_number, "29189846");
    assert_eq!(session.rights, vec![Right::CitizenService]);
    assert_eq!(
        session.modules,
        vec![
            Module::EventLog,
            Module::CitizenExemption,
            Module::CompanyExemption,
            Module::CitizenNemSms,
            Module::CompanyNemSms,
            Module::MailAccess,
        ]
    );
}

#[tokio::test]
async fn auth_03_missing_or_malformed_authorization_is_401() {
    let app = spawn_app().await;
    assert_401(app.get("/api/v1/session").await).await;
    let basic = app
        .get_with_header("/api/v1/session", "authorization", "Basic dXNlcjpwdw==")
        .await;
    assert_401(basic).await;
    assert_401(app.get_as("/api/v1/session", "not.a.jwt").await).await;
}

#[tokio::test]
async fn auth_03_tampered_token_is_401() {
    let app = spawn_app().await;
    let token = app.token_for("29189846", OrgKind::Authority, &[Right::CitizenService]);
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims: serde_json::Value =
        serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
    claims["rights"] = serde_json::json!(["operator"]);
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64.encode(claims.to_string()),
        parts[2]
    );
    assert_401(app.get_as("/api/v1/session", &forged).await).await;
}

#[tokio::test]
async fn auth_03_token_from_another_key_is_401() {
    let app = spawn_app().await;
    let stranger = TokenKeys::generate(&app.address, "adgang-api").unwrap();
    let subject = user("29189846", OrgKind::Authority, &[Right::Operator]);
    let (token, _) = stranger.issue(&subject, chrono::Utc::now()).unwrap();
    assert_401(app.get_as("/api/v1/session", &token).await).await;
}

#[tokio::test]
async fn auth_03_expired_token_is_401() {
    let app = spawn_app().await;
    let subject = user("29189846", OrgKind::Authority, &[Right::SystemAdmin]);
    let (token, _) = app
        .token_keys
        .issue(&subject, chrono::Utc::now() - chrono::Duration::hours(1))
        .unwrap();
    assert_401(app.get_as("/api/v1/session", &token).await).await;
}

#[tokio::test]
async fn auth_03_the_bearer_scheme_is_case_insensitive() {
    let app = spawn_app().await;
    let token = app.token_for("29189846", OrgKind::Authority, &[Right::SystemAdmin]);
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let response = app
            .get_with_header(
                "/api/v1/session",
                "authorization",
                &format!("{scheme} {token}"),
            )
            .await;
        assert_eq!(response.status(), 200, "{scheme}");
    }
    let other_scheme = app
        .get_with_header(
            "/api/v1/session",
            "authorization",
            &format!("Basic {token}"),
        )
        .await;
    assert_401(other_scheme).await;
}
