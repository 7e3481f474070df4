//! AUTH-01, AUTH-02, AUTH-03, AUTH-06: the full browser-less OpenID Connect flow against the
//! built-in provider — authorize → login form → code → our token endpoint → API call —,
//! refresh-token rotation and logout.

use adgang_api_types::{AccessToken, OrgKind, Right};
use adgang_identity::service::rights::ensure_user;
use adgang_test_support::{expect_json, spawn_app, TestApp};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;

/// `GET url` with `browser` (its cookies, no redirects followed).
pub(crate) async fn visit(
    browser: &reqwest::Client,
    url: impl reqwest::IntoUrl,
) -> reqwest::Response {
    browser.get(url).send().await.unwrap()
}

/// A fresh access token from the browser's session (`POST /api/v1/auth/token`).
pub(crate) async fn access_token(app: &TestApp, browser: &reqwest::Client) -> AccessToken {
    visit_post(browser, app.url("/api/v1/auth/token"))
        .await
        .json()
        .await
        .unwrap()
}

/// `POST /api/v1/auth/token` from a fresh client holding the session cookie `cookie`, if any.
async fn token_request(app: &TestApp, cookie: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().post(app.url("/api/v1/auth/token"));
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, format!("adgang_session={cookie}"));
    }
    request.send().await.unwrap()
}

async fn visit_post(browser: &reqwest::Client, url: String) -> reqwest::Response {
    browser.post(url).send().await.unwrap()
}

pub(crate) fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    assert_eq!(response.status(), 303, "expected a redirect");
    response.headers()[LOCATION].to_str().unwrap().to_owned()
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response.headers().get_all(SET_COOKIE).iter().find_map(|v| {
        let v = v.to_str().ok()?;
        let value = v.strip_prefix("adgang_session=")?.split(';').next()?;
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// Hidden and radio inputs of the IdP's login form, with `subject` chosen.
fn login_form(html: &str, subject: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for input in html.split("<input").skip(1) {
        let attr = |name: &str| {
            input
                .split(&format!("{name}=\""))
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(|v| {
                    v.replace("&amp;", "&")
                        .replace("&quot;", "\"")
                        .replace("&#39;", "'")
                })
        };
        if attr("type").as_deref() == Some("hidden") {
            fields.push((attr("name").unwrap(), attr("value").unwrap()));
        }
    }
    fields.push(("subject".to_owned(), subject.to_owned()));
    fields
}

/// Logs in through the built-in IdP as `subject`; returns the browser and the final redirect.
pub(crate) async fn log_in(
    app: &TestApp,
    subject: &str,
    return_to: &str,
) -> (reqwest::Client, reqwest::Response) {
    let browser = browser();
    let start = visit(
        &browser,
        app.url(&format!("/api/v1/auth/login?returnTo={return_to}")),
    )
    .await;
    let authorize = location(&start);
    assert!(
        authorize.starts_with(&app.url("/idp/authorize?")),
        "{authorize}"
    );
    assert!(
        authorize.contains("code_challenge_method=S256"),
        "PKCE: {authorize}"
    );

    let page = visit(&browser, &authorize).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Test-IdP"), "{html}");

    let submitted = browser
        .post(app.url("/idp/authorize"))
        .form(&login_form(&html, subject))
        .send()
        .await
        .unwrap();
    let callback = location(&submitted);
    assert!(
        callback.starts_with(&app.url("/api/v1/auth/callback?code=")),
        "{callback}"
    );
    let finished = visit(&browser, &callback).await;
    (browser, finished)
}

/// A fresh app where the user `rid` (`name`) holds `right` in the authority 29189846.
async fn app_with_north_user(rid: &str, name: &str, right: Right) -> TestApp {
    let app = spawn_app().await;
    app.seed_user(rid, name, &[("29189846", OrgKind::Authority, right)])
        .await;
    app
}

#[tokio::test]
async fn auth_01_full_oidc_flow_ends_in_a_session_and_api_access() {
    let app = app_with_north_user("rid-anna", "Anna Andersen", Right::CitizenService).await;

    let (browser, finished) = log_in(&app, "rid-anna", "/adgang").await;
    assert_eq!(location(&finished), "/adgang");
    let cookie_header = finished
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        cookie_header.contains("HttpOnly") && cookie_header.contains("SameSite=Strict"),
        "{cookie_header}"
    );

    let token: AccessToken = access_token(&app, &browser).await;
    let session = app.session(&token.access_token).await;
    assert_eq!(session.user_id, "rid-anna");
    assert_eq!(session.name, "Anna Andersen");
    assert_eq!(session.organisation.cvr_number, "29189846");
    assert_eq!(session.rights, vec![Right::CitizenService]);
}

#[tokio::test]
async fn auth_03_refresh_token_rotates_and_the_old_one_dies() {
    let app = spawn_app().await;
    app.seed_user(
        "rid-bo",
        "Bo Berg",
        &[("25052943", OrgKind::Company, Right::SystemAdmin)],
    )
    .await;
    let (_browser, finished) = log_in(&app, "rid-bo", "/").await;
    let first = session_cookie(&finished).expect("session cookie");

    let rotated = token_request(&app, Some(first.as_str())).await;
    assert_eq!(rotated.status(), 200);
    let second = session_cookie(&rotated).expect("rotated cookie");
    assert_ne!(first, second);

    assert_eq!(
        token_request(&app, Some(first.as_str())).await.status(),
        401,
        "a used refresh token must not work again"
    );
    assert_eq!(
        token_request(&app, Some(second.as_str())).await.status(),
        200
    );
}

/// Issue 32 item 15: a page load while signed out asks for a token (the SPA cannot see its
/// HttpOnly cookie) — no cookie is 204, not an error in the console; a cookie whose session has
/// ended is still 401.
#[tokio::test]
async fn auth_03_no_session_cookie_is_204_and_a_dead_one_401() {
    let app = spawn_app().await;
    let none = token_request(&app, None).await;
    assert_eq!(none.status(), 204);
    assert!(none.headers().get(SET_COOKIE).is_none());

    let dead = token_request(&app, Some("not-a-session")).await;
    assert_eq!(dead.status(), 401);
}

#[tokio::test]
async fn auth_06_logout_ends_the_session_server_side() {
    let app = app_with_north_user("rid-cai", "Cai Carlsen", Right::ContactAdmin).await;
    let (browser, finished) = log_in(&app, "rid-cai", "/").await;
    let cookie = session_cookie(&finished).unwrap();

    let logout = browser
        .post(app.url("/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    let replay = token_request(&app, Some(cookie.as_str())).await;
    assert_eq!(
        replay.status(),
        401,
        "the old cookie must be dead after logout"
    );
}

#[tokio::test]
async fn a_user_without_rights_is_told_so() {
    let app = spawn_app().await;
    let db = app.db().await;
    ensure_user(&db, "rid-nobody", "Nina Ingenting", chrono::Utc::now())
        .await
        .unwrap();
    let (_browser, finished) = log_in(&app, "rid-nobody", "/").await;
    assert_eq!(location(&finished), "/login-fejl?aarsag=ingen-rettigheder");
    assert!(session_cookie(&finished).is_none());
}

#[tokio::test]
async fn auth_02_tampered_callback_state_is_refused() {
    let app = app_with_north_user("rid-dan", "Dan Due", Right::SystemAdmin).await;
    let browser = browser();
    let start = visit(&browser, app.url("/api/v1/auth/login")).await;
    let _ = location(&start);
    let forged = visit(
        &browser,
        app.url("/api/v1/auth/callback?code=stolen&state=guess"),
    )
    .await;
    assert_eq!(location(&forged), "/login-fejl?aarsag=login-afvist");
    assert!(session_cookie(&forged).is_none());
}

#[tokio::test]
async fn auth_02_discovery_and_jwks_are_served() {
    let app = spawn_app().await;
    let discovery: serde_json::Value = app.get_json("/idp/.well-known/openid-configuration").await;
    assert_eq!(discovery["issuer"], app.url("/idp"));
    assert_eq!(discovery["token_endpoint"], app.url("/idp/token"));
    let jwks: serde_json::Value = app.get_json("/idp/jwks").await;
    assert_eq!(jwks["keys"][0]["kty"], "OKP");
    assert_eq!(jwks["keys"][0]["crv"], "Ed25519");
}

async fn switch(app: &TestApp, browser: &reqwest::Client, cvr: &str) -> reqwest::Response {
    browser
        .post(app.url("/api/v1/auth/switch"))
        .json(&serde_json::json!({ "cvrNumber": cvr }))
        .send()
        .await
        .unwrap()
}

/// Switches `browser`'s session to `cvr`, which must answer 200: the new access token.
async fn switched_to(app: &TestApp, browser: &reqwest::Client, cvr: &str) -> AccessToken {
    expect_json(switch(app, browser, cvr).await, 200).await
}

#[tokio::test]
async fn ctx_01_a_two_organisation_user_switches_and_gets_the_other_rights() {
    let app = spawn_app().await;
    app.seed_user(
        "rid-sara",
        "Sara Systemadministrator",
        &[
            ("29189846", OrgKind::Authority, Right::ContactAdmin),
            ("25052943", OrgKind::Company, Right::SystemAdmin),
        ],
    )
    .await;
    let (browser, _) = log_in(&app, "rid-sara", "/").await;
    let token: AccessToken = access_token(&app, &browser).await;
    let choices: Vec<adgang_api_types::SwitchableOrganisation> = app
        .get_json_as("/api/v1/auth/organisations", &token.access_token)
        .await;
    assert_eq!(choices.len(), 2);
    let current: Vec<String> = choices
        .iter()
        .filter(|c| c.current)
        .map(|c| c.cvr_number.clone())
        .collect();
    assert_eq!(current.len(), 1);
    let other = choices
        .iter()
        .find(|c| !c.current)
        .unwrap()
        .cvr_number
        .clone();

    let token = switched_to(&app, &browser, &other).await;
    let session = app.session(&token.access_token).await;
    assert_eq!(session.organisation.cvr_number, other);

    // The switch survives a reload: the session cookie now names the new organisation.
    let again: AccessToken = access_token(&app, &browser).await;
    let session = app.session(&again.access_token).await;
    assert_eq!(session.organisation.cvr_number, other);

    // CTX-03: the switch is in the actions log of the organisation switched to.
    use adgang_core::entity::actions_log;
    use sea_orm::EntityTrait;
    let rows = app.rows(actions_log::Entity::find()).await;
    let switches: Vec<_> = rows
        .iter()
        .filter(|r| r.subject == "context_switch")
        .collect();
    assert_eq!(switches.len(), 1);
    assert_eq!(switches[0].organisation_cvr, other);
    assert_eq!(switches[0].after.as_deref(), Some(other.as_str()));
    // LOG-02's actor form: the organisation switched from, and the user.
    let from = &current[0];
    assert_eq!(switches[0].actor, format!("CVR:{from}-RID:rid-sara"));

    // A stranger's organisation is not switchable.
    let refused = switch(&app, &browser, "10213231").await;
    assert_eq!(refused.status(), 404);
}

#[tokio::test]
async fn ctx_02_an_operator_switches_to_any_cvr_of_the_register_without_rights_administration() {
    let app = spawn_app().await;
    app.seed_user(
        "rid-other",
        "Anden Bruger",
        &[("10213231", OrgKind::Authority, Right::ContactAdmin)],
    )
    .await;
    app.seed_user(
        "rid-ole",
        "Ole Operatør",
        &[
            ("34051178", OrgKind::Authority, Right::Operator),
            ("34051178", OrgKind::Authority, Right::ContactAdmin),
            ("34051178", OrgKind::Authority, Right::RightsAdmin),
        ],
    )
    .await;
    let (browser, _) = log_in(&app, "rid-ole", "/").await;
    let token = switched_to(&app, &browser, "10213231").await;
    let session = app.session(&token.access_token).await;
    assert_eq!(session.organisation.cvr_number, "10213231");
    assert!(session.operator);
    assert!(session
        .modules
        .contains(&adgang_api_types::Module::ContactStructure));
    // On behalf the operator carries their home rights — never the other organisation's
    // rights administration.
    assert!(session.rights.contains(&Right::ContactAdmin));
    assert!(session.rights.contains(&Right::Operator));
    assert!(
        !session.rights.contains(&Right::RightsAdmin),
        "{:?}",
        session.rights
    );
    let users = app
        .get_as("/api/v1/organisations/10213231/users", &token.access_token)
        .await;
    assert_eq!(users.status(), 403);
    // What the operator does there is logged in the operator's name — their home CVR — and
    // marked as made on behalf.
    let created = app
        .post_as(
            "/api/v1/organisations/10213231/contact-groups",
            &token.access_token,
            &serde_json::json!({"name": "Oprettet af systemforvalteren"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    {
        let rows = app.actions_about("10213231", "contact_structure").await;
        assert!(!rows.is_empty());
        for row in rows {
            assert_eq!(row.actor, "CVR:34051178-RID:rid-ole");
            assert!(row.on_behalf, "marked as made on behalf");
        }
    }

    // Any CVR of the register: the organisation is created from it on the first switch.
    let registry = adgang_registry::SyntheticRegistry::new();
    let register_only = registry.company_cvrs().next().unwrap().to_owned();
    let token = switched_to(&app, &browser, &register_only).await;
    let session = app.session(&token.access_token).await;
    assert_eq!(session.organisation.cvr_number, register_only);
    let from_register = adgang_registry::Registry::company(
        &registry,
        &adgang_core::Cvr::parse(&register_only).unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(session.organisation.name, from_register.name);

    // A CVR the register does not know (valid modulus 11) is still not found.
    let unknown = switch(&app, &browser, "10000009").await;
    assert_eq!(unknown.status(), 404, "not in the register");
}

#[tokio::test]
async fn auth_01_the_same_code_path_logs_in_against_an_external_issuer() {
    use adgang_test_support::{spawn_app_with, Spa};

    // A second instance stands in for Keycloak/NemLog-in: only its IdP is used.
    let issuer = spawn_app_with(Spa::None, |s| {
        s.idp_extra_clients = vec![adgang_idp::RegisteredClient {
            client_id: "portal-a".into(),
            client_secret: "s3cret-a".into(),
            redirect_uris: vec!["http://127.0.0.1/api/v1/auth/callback".into()],
        }];
    })
    .await;
    let issuer_url = issuer.url("/idp");
    let portal = spawn_app_with(Spa::None, move |s| {
        s.idp_enabled = Some(false);
        s.oidc_issuer = Some(issuer_url);
        s.oidc_client_id = "portal-a".into();
        s.oidc_client_secret = Some("s3cret-a".into());
    })
    .await;
    assert_eq!(
        portal
            .get("/idp/.well-known/openid-configuration")
            .await
            .status(),
        404,
        "no IdP in the portal"
    );
    // The issuer knows the person; the portal knows their rights.
    ensure_user(
        &issuer.db().await,
        "rid-ext",
        "Ekstern Person",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    portal
        .seed_user(
            "rid-ext",
            "Ekstern Person",
            &[("29189846", OrgKind::Authority, Right::StatisticsAdmin)],
        )
        .await;

    let browser = browser();
    let start = visit(&browser, portal.url("/api/v1/auth/login")).await;
    let authorize = location(&start);
    assert!(
        authorize.starts_with(&issuer.url("/idp/authorize?")),
        "{authorize}"
    );
    let html = visit(&browser, &authorize).await.text().await.unwrap();
    let submitted = browser
        .post(issuer.url("/idp/authorize"))
        .form(&login_form(&html, "rid-ext"))
        .send()
        .await
        .unwrap();
    let callback = location(&submitted);
    assert!(
        callback.starts_with(&portal.url("/api/v1/auth/callback?code=")),
        "{callback}"
    );
    let finished = visit(&browser, &callback).await;
    assert_eq!(location(&finished), "/");
    let token: AccessToken = access_token(&portal, &browser).await;
    let session = portal.session(&token.access_token).await;
    assert_eq!(
        (session.user_id.as_str(), session.rights.as_slice()),
        ("rid-ext", &[Right::StatisticsAdmin][..])
    );
}

#[tokio::test]
async fn auth_01_return_to_never_leads_off_site_nor_breaks_the_redirect() {
    let app = app_with_north_user("rid-eve", "Eva Eksempel", Right::SystemAdmin).await;
    // A TAB the browser would drop (`/\t/host` → `//host`), CR/LF, and a scheme-relative URL.
    for hostile in [
        "/%09/angriber.example/x",
        "/%0D%0ASet-Cookie:%20x=1",
        "//angriber.example/",
    ] {
        let (_, finished) = log_in(&app, "rid-eve", hostile).await;
        assert_eq!(finished.status(), 303, "{hostile}");
        assert_eq!(location(&finished), "/", "{hostile}");
    }
    let (_, finished) = log_in(&app, "rid-eve", "/kontaktstruktur").await;
    assert_eq!(location(&finished), "/kontaktstruktur");
}

/// GETs `path` with `token` every 100 ms until it answers `status`; false after 5 s.
async fn answers_within_seconds(app: &TestApp, path: &str, token: &str, status: u16) -> bool {
    for _ in 0..50 {
        if app.get_as(path, token).await.status() == status {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn issue_13_a_logout_ends_the_sessions_access_tokens_within_seconds() {
    let app = spawn_app().await;
    for rid in ["rid-lea", "rid-ole"] {
        app.seed_user(
            rid,
            "Lea Logud",
            &[("29189846", OrgKind::Authority, Right::ContactAdmin)],
        )
        .await;
    }
    let (browser, _) = log_in(&app, "rid-lea", "/").await;
    let token = access_token(&app, &browser).await.access_token;
    let (other_browser, _) = log_in(&app, "rid-ole", "/").await;
    let other = access_token(&app, &other_browser).await.access_token;
    assert_eq!(app.get_as("/api/v1/session", &token).await.status(), 200);

    let logout = visit_post(&browser, app.url("/api/v1/auth/logout")).await;
    assert_eq!(logout.status(), 204);
    assert!(
        answers_within_seconds(&app, "/api/v1/session", &token, 401).await,
        "the access token of a logged-out session must stop working within seconds, not at exp"
    );
    assert_eq!(
        app.get_as("/api/v1/session", &other).await.status(),
        200,
        "another session is untouched"
    );
}

#[tokio::test]
async fn issue_13_a_revoked_right_ends_the_users_tokens_and_the_next_token_has_the_rest() {
    let app = spawn_app().await;
    app.seed_user(
        "rid-rita",
        "Rita Rettighed",
        &[
            ("29189846", OrgKind::Authority, Right::SystemAdmin),
            ("29189846", OrgKind::Authority, Right::ContactAdmin),
        ],
    )
    .await;
    let (browser, _) = log_in(&app, "rid-rita", "/").await;
    let token = access_token(&app, &browser).await.access_token;
    let systems = "/api/v1/organisations/29189846/systems";
    assert_eq!(app.get_as(systems, &token).await.status(), 200);

    let admin = app.token_for("29189846", OrgKind::Authority, &[Right::RightsAdmin]);
    let revoked = app
        .delete_as(
            "/api/v1/organisations/29189846/users/rid-rita/rights/system_admin",
            &admin,
        )
        .await;
    assert_eq!(revoked.status(), 204);
    assert!(
        answers_within_seconds(&app, systems, &token, 401).await,
        "a token that still carries the revoked right must stop working within seconds"
    );
    // The session goes on: its next token carries the rights left.
    let renewed = access_token(&app, &browser).await.access_token;
    assert_eq!(app.get_as(systems, &renewed).await.status(), 403);
    let session = app.session(&renewed).await;
    assert_eq!(session.rights, vec![Right::ContactAdmin]);
}
