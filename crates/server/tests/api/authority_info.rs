//! Authority information (SPEC §8, guide chapter 11): the privacy-policy link saved and tested
//! (INFO-01), the PNG logo uploaded, replaced, removed and served to the platforms (INFO-02),
//! rights and the actions log (INFO-03) — through the API.

use adgang_api_types::{
    AuthorityInformation, LinkCheck, LinkProblem, OrgKind, Right, SenderInformation,
};
use adgang_authority_info::service::logo::samples::{bomb, png};
use adgang_core::entity::actions_log;
use adgang_test_support::peer::FakePeer;
use adgang_test_support::{field_codes, problem, spawn_app, spawn_app_with, Spa, TestApp};
use serde_json::json;

const ORG: &str = "29189846";
const OTHER: &str = "34051178";

fn admin(app: &TestApp, cvr: &str, right: Right) -> String {
    app.token_for(cvr, OrgKind::Authority, &[right])
}

fn url(cvr: &str, rest: &str) -> String {
    format!("/api/v1/organisations/{cvr}/{rest}")
}

async fn upload(app: &TestApp, token: &str, cvr: &str, body: Vec<u8>) -> reqwest::Response {
    let len = body.len();
    app.client
        .put(app.url(&url(cvr, "logo")))
        .bearer_auth(token)
        .header("content-type", "image/png")
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("upload of {len} bytes: {e:?}"))
}

async fn refused(response: reqwest::Response, status: u16) -> Vec<(String, String)> {
    field_codes(&problem(response, status).await)
}

/// `cvr`'s actions log about authority information, oldest first.
async fn logged(app: &TestApp, cvr: &str) -> Vec<actions_log::Model> {
    app.actions_about(cvr, "authority_information").await
}

/// `method` of ORG's authority information `rest` (the privacy link, its checks) with the
/// link `link`, as `token`.
async fn send_link(
    app: &TestApp,
    token: &str,
    method: &str,
    rest: &str,
    link: &str,
) -> reqwest::Response {
    let path = url(ORG, &format!("authority-information/{rest}"));
    app.send(method, &path, token, Some(&json!({ "url": link })))
        .await
}

/// "Afprøv link": the check of `link` as ORG's privacy link, as `token`.
async fn link_check(app: &TestApp, token: &str, link: &str) -> LinkCheck {
    send_link(app, token, "POST", "link-checks", link)
        .await
        .json()
        .await
        .unwrap()
}

/// What the platforms read about ORG as a sender, without a token.
async fn sender_information(app: &TestApp) -> SenderInformation {
    app.get(&format!("/api/v1/senders/{ORG}"))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn info_01_the_privacy_link_is_an_https_url_saved_logged_and_shown_to_the_platforms() {
    let app = spawn_app().await;
    let token = admin(&app, ORG, Right::SystemAdmin);
    let save = |link: &'static str| send_link(&app, &token, "PUT", "privacy-policy-link", link);
    for (link, code) in [
        ("", "required"),
        ("kommune.dk/privatliv", "invalid_url"),
        ("http://kommune.dk/privatliv", "https_required"),
        ("https://10.0.0.1/privatliv", "forbidden_address"),
        ("https://[::1]/privatliv", "forbidden_address"),
        ("https://localhost/privatliv", "forbidden_address"),
    ] {
        assert_eq!(
            refused(save(link).await, 400).await,
            vec![("url".to_owned(), code.to_owned())],
            "{link}"
        );
    }
    assert!(logged(&app, ORG).await.is_empty());

    let response = save("https://kommune.dk/privatlivspolitik").await;
    assert_eq!(response.status(), 200);
    let saved: AuthorityInformation = response.json().await.unwrap();
    assert_eq!(
        saved.privacy_policy_url.as_deref(),
        Some("https://kommune.dk/privatlivspolitik")
    );
    save("https://kommune.dk/ny-privatlivspolitik").await;
    let log = logged(&app, ORG).await;
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].event, "created");
    assert_eq!(log[1].event, "edited");
    assert_eq!(
        log[1].before.as_deref(),
        Some("https://kommune.dk/privatlivspolitik")
    );
    assert_eq!(
        log[1].after.as_deref(),
        Some("https://kommune.dk/ny-privatlivspolitik")
    );
    assert!(log[1].actor.starts_with(&format!("CVR:{ORG}-RID:")));

    // The platforms read it without a token; another organisation's information is its own.
    let public = sender_information(&app).await;
    assert_eq!(
        public.privacy_policy_url.as_deref(),
        Some("https://kommune.dk/ny-privatlivspolitik")
    );
    assert!(!public.logo_available);
    let other: AuthorityInformation = app
        .get_json_as(
            &url(OTHER, "authority-information"),
            &admin(&app, OTHER, Right::ContactAdmin),
        )
        .await;
    assert_eq!(other.privacy_policy_url, None);
}

#[tokio::test]
async fn info_01_afproev_link_reports_the_status_and_refuses_internal_addresses() {
    // A production deployment: an internal address is reported, never connected to.
    let app = spawn_app().await;
    let token = admin(&app, ORG, Right::ContactAdmin);
    let test = |link: String| {
        let (app, token) = (&app, &token);
        async move { send_link(app, token, "POST", "link-checks", &link).await }
    };
    let peer = FakePeer::start(200).await;
    let port = peer.url.rsplit(':').next().unwrap().to_owned();
    for link in [
        format!("https://127.0.0.1:{port}/"),
        format!("https://[::1]:{port}/"),
        "https://169.254.169.254/latest/meta-data/".to_owned(),
    ] {
        let response = test(link.clone()).await;
        assert_eq!(response.status(), 200);
        let result: LinkCheck = response.json().await.unwrap();
        assert_eq!(
            result.problem,
            Some(LinkProblem::ForbiddenAddress),
            "{link}"
        );
    }
    let result: LinkCheck = test(peer.url.clone()).await.json().await.unwrap();
    assert_eq!(result.problem, Some(LinkProblem::HttpsRequired));
    assert!(
        peer.requests().is_empty(),
        "production connected to loopback"
    );
    assert_eq!(
        refused(test("ikke en adresse".to_owned()).await, 400).await,
        vec![("url".to_owned(), "invalid_url".to_owned())]
    );

    // A test deployment may reach a local server: the status is shown.
    let app = spawn_app_with(Spa::None, |s| s.allow_http_endpoints = true).await;
    let token = admin(&app, ORG, Right::SystemAdmin);
    let privacy_page = format!("{}/privatliv", peer.url);
    let result = link_check(&app, &token, &privacy_page).await;
    assert!(result.ok, "{result:?}");
    assert_eq!(result.status, Some(200));
    assert_eq!(peer.requests().len(), 1);
    peer.set_status(503);
    let result = link_check(&app, &token, &privacy_page).await;
    assert_eq!(
        (result.ok, result.status, result.problem),
        (false, Some(503), Some(LinkProblem::HttpStatus))
    );
}

#[tokio::test]
async fn info_02_a_png_logo_is_checked_stored_served_replaced_and_removed() {
    // The samples first: building the bomb takes seconds in a debug build, longer than the
    // server keeps an idle connection open, and a pooled connection closed by then fails.
    let bomb = bomb(20_000);
    let app = spawn_app().await;
    let token = admin(&app, ORG, Right::ContactAdmin);

    let jpeg = vec![
        0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1,
    ];
    assert_eq!(
        refused(upload(&app, &token, ORG, jpeg).await, 400).await,
        vec![("logo".to_owned(), "not_png".to_owned())]
    );
    let whole = png(200, 80);
    assert_eq!(
        refused(
            upload(&app, &token, ORG, whole[..whole.len() - 40].to_vec()).await,
            400
        )
        .await,
        vec![("logo".to_owned(), "unreadable_png".to_owned())]
    );
    assert_eq!(
        refused(upload(&app, &token, ORG, bomb).await, 400).await,
        vec![("logo".to_owned(), "dimensions_too_large".to_owned())]
    );
    assert_eq!(
        upload(&app, &token, ORG, vec![0x89; 1024 * 1024 + 1])
            .await
            .status(),
        413
    );
    assert!(logged(&app, ORG).await.is_empty());

    let response = upload(&app, &token, ORG, whole.clone()).await;
    assert_eq!(response.status(), 200);
    let stored: AuthorityInformation = response.json().await.unwrap();
    let logo = stored.logo.unwrap();
    assert_eq!((logo.width, logo.height), (200, 80));

    // Served to the platforms, public, with the organisation's data; cacheable by version.
    let public = sender_information(&app).await;
    assert!(public.logo_available);
    assert_eq!(public.logo_url.as_deref(), Some(logo.url.as_str()));
    let served = app.client.get(app.url(&logo.url)).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    let etag = served.headers()["etag"].to_str().unwrap().to_owned();
    // What is served is the image written anew by the upload sandbox (issue 29 item 3): the
    // same pixels in a plain PNG (uploads::issue_29_a_logo_is_stored_as_a_png_written_anew…).
    let served_bytes = served.bytes().await.unwrap().to_vec();
    assert_eq!(logo.bytes, served_bytes.len() as u64);
    assert_eq!(
        adgang_documents::png::chunk_types(&served_bytes),
        [*b"IHDR", *b"IDAT", *b"IEND"]
    );
    let again = app
        .client
        .get(app.url(&logo.url))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    // Replace: a new address; remove: gone everywhere.
    let replaced: AuthorityInformation = upload(&app, &token, ORG, png(64, 64))
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(replaced.logo.unwrap().url, logo.url);
    assert_eq!(app.delete_as(&url(ORG, "logo"), &token).await.status(), 204);
    assert_eq!(app.delete_as(&url(ORG, "logo"), &token).await.status(), 404);
    let gone = app.get(&format!("/api/v1/senders/{ORG}/logo")).await;
    assert_eq!(gone.status(), 404);
    let events: Vec<String> = logged(&app, ORG)
        .await
        .into_iter()
        .map(|r| r.event)
        .collect();
    assert_eq!(events, ["created", "edited", "deleted"]);
    // Another organisation's logo was never touched.
    let untouched = app.get(&format!("/api/v1/senders/{OTHER}/logo")).await;
    assert_eq!(untouched.status(), 404);
}

#[tokio::test]
async fn info_03_system_or_contact_admin_of_an_authority_only() {
    let app = spawn_app().await;
    let citizen_service = admin(&app, ORG, Right::CitizenService);
    assert_eq!(
        app.get_as(&url(ORG, "authority-information"), &citizen_service)
            .await
            .status(),
        403
    );
    assert_eq!(
        upload(&app, &citizen_service, ORG, png(10, 10))
            .await
            .status(),
        403
    );
    let company = app.token_for("25052943", OrgKind::Company, &[Right::SystemAdmin]);
    assert_eq!(
        app.get_as(&url("25052943", "authority-information"), &company)
            .await
            .status(),
        403
    );
    // Another authority's path is not found, and its logo untouched.
    let other = admin(&app, OTHER, Right::SystemAdmin);
    assert_eq!(upload(&app, &other, ORG, png(10, 10)).await.status(), 404);
    assert_eq!(
        app.client
            .get(app.url("/api/v1/senders/12345678"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}
