//! AUTH-02: the test portal creates organisations (CVR modulus-11, kind, name), users (name,
//! RID/UUID), rights per organisation and machine clients — and the tester then logs in as
//! any of them through the built-in IdP.

use adgang_api_types::{AccessToken, OAuthTokenResponse, OrgKind, Right};
use adgang_core::entity::actions_log;
use adgang_core::Cvr;
use adgang_identity::service::rights;
use adgang_test_support::{spawn_app, spawn_app_with, Spa, TestApp};
use reqwest::header::{LOCATION, ORIGIN};
use sea_orm::EntityTrait;

use crate::login::{access_token, browser, log_in};

/// The form token the portal page gave this browser (it is also in the browser's cookie).
async fn form_token(app: &TestApp, browser: &reqwest::Client) -> String {
    let html = crate::login::visit(browser, app.url("/testportal"))
        .await
        .text()
        .await
        .unwrap();
    html.split("name=\"form_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("every form carries the token")
        .to_owned()
}

/// Posts a test-portal form as a browser that has the page open.
pub(crate) async fn post(app: &TestApp, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let browser = browser();
    let token = form_token(app, &browser).await;
    let mut form = form.to_vec();
    form.push(("form_token", &token));
    browser
        .post(app.url(path))
        .form(&form)
        .send()
        .await
        .unwrap()
}

/// Posts the portal's form for a new organisation (`kind` "authority" or "company").
async fn post_organisation(app: &TestApp, cvr: &str, name: &str, kind: &str) -> reqwest::Response {
    let form = [("cvr", cvr), ("name", name), ("kind", kind)];
    post(app, "/testportal/organisations", &form).await
}

/// Posts the portal's form for a new user (an empty `rid` lets the portal make a UUID).
async fn post_user(app: &TestApp, name: &str, rid: &str) -> reqwest::Response {
    post(app, "/testportal/users", &[("name", name), ("rid", rid)]).await
}

/// Posts the portal's form for a new machine client of `cvr` with `right`.
async fn post_machine_client(
    app: &TestApp,
    cvr: &str,
    name: &str,
    right: &str,
) -> reqwest::Response {
    let form = [("cvr", cvr), ("name", name), ("right", right)];
    post(app, "/testportal/machine-clients", &form).await
}

async fn portal(app: &TestApp) -> String {
    let page = app.get("/testportal").await;
    assert_eq!(page.status(), 200);
    page.text().await.unwrap()
}

#[tokio::test]
async fn auth_02_a_tester_creates_an_organisation_a_user_and_rights_then_logs_in_as_them() {
    let app = spawn_app().await;
    let html = portal(&app).await;
    assert!(html.contains("<h1>Testportalen</h1>"), "{html}");

    // CVR numbers are checked (format and modulus 11), in Danish.
    let bad = post_organisation(&app, "25052944", "Forkert", "authority").await;
    assert_eq!(bad.status(), 400);
    assert!(bad
        .text()
        .await
        .unwrap()
        .contains("CVR-nummeret er ikke gyldigt"));
    let short = post_organisation(&app, "123", "Kort", "company").await;
    assert!(short
        .text()
        .await
        .unwrap()
        .contains("Et CVR-nummer består af 8 cifre"));

    let created = post_organisation(&app, "40000011", "Nyby Kommune", "authority").await;
    assert_eq!(created.status(), 303);
    assert_eq!(created.headers()[LOCATION], "/testportal?ok=organisation");
    let again = post_organisation(&app, "40000011", "Igen", "authority").await;
    assert!(again.text().await.unwrap().contains("findes allerede"));
    let company = post_organisation(&app, "25052943", "Æblegården ApS", "company").await;
    assert_eq!(company.status(), 303);

    let user = post_user(&app, "Tina Tester", "rid-tina").await;
    assert_eq!(user.status(), 303);
    let duplicate = post_user(&app, "Tina To", "rid-tina").await;
    assert!(duplicate
        .text()
        .await
        .unwrap()
        .contains("findes allerede en bruger"));
    // Without a RID the portal makes a UUID.
    assert_eq!(post_user(&app, "Uffe Uuid", "").await.status(), 303);

    let granted = post(
        &app,
        "/testportal/rights",
        &[
            ("user", "rid-tina"),
            ("cvr", "25052943"),
            ("right", "system_admin"),
            ("right", "statistics_admin"),
        ],
    )
    .await;
    assert_eq!(granted.status(), 303);
    let db = app.db().await;
    let tina = rights::user_by_subject(&db, "rid-tina")
        .await
        .unwrap()
        .unwrap();
    let company_cvr = Cvr::parse("25052943").unwrap();
    assert_eq!(
        rights::rights_in(&db, &tina.id, &company_cvr)
            .await
            .unwrap(),
        vec![Right::SystemAdmin, Right::StatisticsAdmin]
    );
    // Logged, by "System" (the portal stands in for the external rights portal).
    let rows = actions_log::Entity::find().all(&db).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .all(|r| r.actor == "System" && r.subject == "rights"));

    // The overview lists everything, in Danish, with the UUID user too.
    let html = portal(&app).await;
    for text in [
        "Nyby Kommune",
        "Nej – tilslutning ved første login",
        "Tina Tester",
        "Uffe Uuid",
        "Statistikadministrator i Æblegården ApS",
    ] {
        assert!(html.contains(text), "{text} missing");
    }

    // Log in as Tina through the built-in IdP: the token carries exactly those rights.
    let (browser, finished) = log_in(&app, "rid-tina", "/").await;
    assert_eq!(finished.status(), 303);
    let token: AccessToken = access_token(&app, &browser).await;
    let session = app.session(&token.access_token).await;
    assert_eq!(session.name, "Tina Tester");
    assert_eq!(session.organisation.kind, OrgKind::Company);
    assert_eq!(
        session.rights,
        vec![Right::SystemAdmin, Right::StatisticsAdmin]
    );

    // Revoking removes exactly one right.
    let revoked = post(
        &app,
        "/testportal/rights/revoke",
        &[
            ("user", "rid-tina"),
            ("cvr", "25052943"),
            ("right", "statistics_admin"),
        ],
    )
    .await;
    assert_eq!(revoked.status(), 303);
    assert_eq!(
        rights::rights_in(&db, &tina.id, &company_cvr)
            .await
            .unwrap(),
        vec![Right::SystemAdmin]
    );
}

#[tokio::test]
async fn auth_02_a_machine_client_registered_in_the_portal_gets_tokens() {
    let app = spawn_app().await;
    post(
        &app,
        "/testportal/organisations",
        &[
            ("cvr", "29189846"),
            ("name", "Testkommune Nord"),
            ("kind", "authority"),
            ("joined", "on"),
        ],
    )
    .await;
    let refused = post_machine_client(&app, "29189846", "Sagssystem", "operator").await;
    assert_eq!(refused.status(), 400);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("kan ikke gives til maskinklienter"));

    let registered = post_machine_client(&app, "29189846", "Sagssystem", "system_admin").await;
    assert_eq!(registered.status(), 201);
    let html = registered.text().await.unwrap();
    let code = |id: &str| {
        html.split(&format!("<code id=\"{id}\">"))
            .nth(1)
            .and_then(|rest| rest.split("</code>").next())
            .unwrap()
            .to_owned()
    };
    let token: OAuthTokenResponse = app
        .client_credentials(&code("client-id"), &code("client-secret"))
        .await
        .json()
        .await
        .unwrap();
    let session = app.session(&token.access_token).await;
    assert_eq!(session.rights, vec![Right::SystemAdmin]);
    // Joined on creation ("Allerede tilsluttet"): no onboarding.
    assert!(!session.onboarding_required);
    // The secret is shown once: the overview lists the client without it.
    let overview = portal(&app).await;
    assert!(overview.contains("Sagssystem") && !overview.contains(&code("client-secret")));
}

#[tokio::test]
async fn auth_02_cross_site_posts_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let browser = browser();
    let token = form_token(&app, &browser).await;
    let user = |rid: &'static str| [("name", "Mallory"), ("rid", rid), ("form_token", "")];
    let attempt = |rid: &'static str, headers: &[(&'static str, String)], with_token: bool| {
        let mut form = user(rid).to_vec();
        if with_token {
            form[2].1 = &token;
        }
        let mut request = browser.post(app.url("/testportal/users")).form(&form);
        for (name, value) in headers {
            request = request.header(*name, value.clone());
        }
        request.send()
    };

    // Another site's page: the browser says so, whatever else the post carries.
    let cross_site = [("sec-fetch-site", "cross-site".to_owned())];
    assert_eq!(
        attempt("rid-m1", &cross_site, true).await.unwrap().status(),
        403
    );
    let foreign_origin = [(ORIGIN.as_str(), "https://angriber.example".to_owned())];
    assert_eq!(
        attempt("rid-m2", &foreign_origin, true)
            .await
            .unwrap()
            .status(),
        403
    );
    // A post without this browser's token (a page that cannot read it).
    assert_eq!(attempt("rid-m3", &[], false).await.unwrap().status(), 403);
    let without_cookie = crate::login::browser()
        .post(app.url("/testportal/users"))
        .form(&[
            ("name", "Mallory"),
            ("rid", "rid-m4"),
            ("form_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        without_cookie.status(),
        403,
        "the token alone is not enough"
    );
    let db = app.db().await;
    for rid in ["rid-m1", "rid-m2", "rid-m3", "rid-m4"] {
        assert!(rights::user_by_subject(&db, rid).await.unwrap().is_none());
    }

    // What Chromium sends from the portal's own page: `Origin: null` (no-referrer policy),
    // `Sec-Fetch-Site: same-origin`, the cookie and the form's token.
    let own_page = [
        (ORIGIN.as_str(), "null".to_owned()),
        ("sec-fetch-site", "same-origin".to_owned()),
    ];
    assert_eq!(
        attempt("rid-sanne", &own_page, true)
            .await
            .unwrap()
            .status(),
        303
    );
    assert!(rights::user_by_subject(&db, "rid-sanne")
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn auth_02_production_without_the_idp_has_no_test_portal() {
    let app = spawn_app_with(Spa::None, |s| {
        s.idp_enabled = Some(false);
        s.oidc_issuer = Some("https://login.example".into());
        s.oidc_client_secret = Some("secret".into());
    })
    .await;
    assert_eq!(app.get("/testportal").await.status(), 404);
    // Outside /api a POST to an unknown path is "method not allowed" (only the SPA's GET
    // fallback exists there); either way nothing is created.
    let status = browser()
        .post(app.url("/testportal/users"))
        .form(&[("name", "X"), ("rid", "x")])
        .send()
        .await
        .unwrap()
        .status();
    assert!(status == 404 || status == 405, "{status}");
    let db = app.db().await;
    assert!(rights::user_by_subject(&db, "x").await.unwrap().is_none());
}
