//! every error is RFC 9457 problem+json with a stable code — 400, 404, 405, 413, 500.

use adgang_api_types::{ErrorCode, Problem};
use adgang_api_types::{OrgKind, Right};
use adgang_test_support::{
    content_type, spawn_app, spawn_app_with_administrator, DatabaseKind, TestApp,
};

fn operator(app: &TestApp) -> String {
    app.token_for("29189846", OrgKind::Authority, &[Right::Operator])
}
use sea_orm::ConnectionTrait;

async fn problem(response: reqwest::Response) -> (u16, Problem) {
    let status = response.status().as_u16();
    assert_eq!(content_type(&response), "application/problem+json");
    let body = response.text().await.unwrap();
    let problem: Problem = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(
        problem.status, status,
        "status in body matches the response"
    );
    assert!(problem.type_.starts_with("urn:adgang:problem:"));
    (status, problem)
}

/// The problem an operator's `GET path` is answered with, on a fresh app.
async fn operator_get_problem(path: &str) -> (u16, Problem) {
    let app = spawn_app().await;
    problem(app.get_as(path, &operator(&app)).await).await
}

/// `POST path` with `body` as it is, labelled `application/json`, with a bearer token when given.
async fn post_raw_json(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header("content-type", "application/json")
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn x_06_invalid_cvr_is_400_with_a_field_error() {
    let (status, p) = operator_get_problem("/api/v1/organisations/12345678").await;
    assert_eq!(status, 400);
    assert_eq!(p.code, ErrorCode::ValidationFailed);
    assert_eq!(p.errors.len(), 1);
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("cvr", "cvr_checksum")
    );
}

#[tokio::test]
async fn x_06_bad_paging_reports_each_parameter() {
    let path = "/api/v1/organisations?pageSize=501&sort=password:up";
    let (status, p) = operator_get_problem(path).await;
    assert_eq!(status, 400);
    let fields: Vec<_> = p
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("pageSize", "page_size_range"),
            ("sort", "sort_field"),
            ("sort", "sort_direction")
        ]
    );
}

#[tokio::test]
async fn x_06_unparseable_query_is_400_problem() {
    let (status, p) = operator_get_problem("/api/v1/organisations?page=first").await;
    assert_eq!((status, p.code), (400, ErrorCode::ValidationFailed));
}

#[tokio::test]
async fn x_06_unknown_api_path_is_404_problem() {
    let app = spawn_app().await;
    let (status, p) = problem(app.get("/api/v1/does-not-exist").await).await;
    assert_eq!((status, p.code), (404, ErrorCode::NotFound));
}

#[tokio::test]
async fn x_06_unknown_organisation_is_404_problem() {
    let (status, p) = operator_get_problem("/api/v1/organisations/29189846").await;
    assert_eq!((status, p.code), (404, ErrorCode::NotFound));
}

#[tokio::test]
async fn x_06_wrong_method_is_405_problem_with_allow_header() {
    let app = spawn_app().await;
    let response = app
        .client
        .delete(app.url("/api/v1/organisations/29189846"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["allow"], "GET");
    let (status, p) = problem(response).await;
    assert_eq!((status, p.code), (405, ErrorCode::MethodNotAllowed));
}

#[tokio::test]
async fn x_06_oversized_body_is_413_problem_before_routing() {
    let app = spawn_app().await;
    let response = post_raw_json(&app, "/api/v1/organisations", None, vec![b'x'; 2048]).await;
    // The default limit is 16 MiB; this app is spawned with the default, so 2 KiB passes the
    // size check and hits the 405 — proving the check is about size, not about the route.
    assert_eq!(response.status(), 405);

    let small_limit = adgang_test_support::spawn_app_with(adgang_test_support::Spa::None, |s| {
        s.max_body_bytes = 1024
    })
    .await;
    let oversized = vec![b'x'; 2048];
    let response = post_raw_json(&small_limit, "/api/v1/organisations", None, oversized).await;
    let (status, p) = problem(response).await;
    assert_eq!((status, p.code), (413, ErrorCode::PayloadTooLarge));
}

#[tokio::test]
async fn x_06_database_failure_is_opaque_500_problem() {
    let app = spawn_app().await;
    // Break the schema under the running app: the list query must fail inside the server.
    let db = app.db().await;
    let drop = match app.database.kind {
        DatabaseKind::Sqlite => "DROP TABLE organisations",
        DatabaseKind::Postgres => "DROP TABLE organisations CASCADE",
    };
    db.execute_unprepared(drop).await.unwrap();

    let (status, p) = problem(app.get_as("/api/v1/organisations", &operator(&app)).await).await;
    assert_eq!((status, p.code), (500, ErrorCode::Internal));
    assert!(p.detail.is_none(), "no internals leak: {p:?}");
    assert!(p.errors.is_empty());
}

#[tokio::test]
async fn x_06_an_oversized_chunked_body_is_still_413_problem() {
    let app = adgang_test_support::spawn_app_with(adgang_test_support::Spa::None, |s| {
        s.max_json_bytes = 1024
    })
    .await;
    // No Content-Length: the size is only discovered while reading, by the framework.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(vec![b' '; 4096])];
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let path = "/api/v1/organisations/29189846/machine-clients";
    let response = post_raw_json(&app, path, Some(operator(&app).as_str()), body).await;
    let (status, p) = problem(response).await;
    assert_eq!(
        (status, p.code),
        (403, ErrorCode::Forbidden),
        "rights are checked before the body is read"
    );

    let admin = app.token_for("29189846", OrgKind::Authority, &[Right::RightsAdmin]);
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(vec![b' '; 4096])];
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let response = post_raw_json(&app, path, Some(admin.as_str()), body).await;
    let (status, p) = problem(response).await;
    assert_eq!((status, p.code), (413, ErrorCode::PayloadTooLarge));
}

#[tokio::test]
async fn x_03_a_page_beyond_any_list_is_a_field_error_and_the_server_stays_up() {
    let app = spawn_app().await;
    let token = operator(&app);
    let response = app
        .get_as(
            "/api/v1/organisations?page=9223372036854775807&pageSize=500",
            &token,
        )
        .await;
    let (status, problem) = problem(response).await;
    assert_eq!(status, 400);
    assert_eq!(problem.errors[0].field, "page");
    assert_eq!(problem.errors[0].code.as_str(), "page_range");
    // The next request is served as usual.
    app.get_ok_as("/api/v1/organisations?page=1", &token).await;
}

#[tokio::test]
async fn issue_13_huge_lists_are_a_field_error_not_a_server_error() {
    const NORTH: &str = "29189846";
    let (app, token) = spawn_app_with_administrator(NORTH).await;
    let ids: Vec<String> = (0..50_000).map(|i| format!("g{i}")).collect();
    let cases = [
        (
            "contact-groups",
            serde_json::json!({"name": "Mange forældre", "parentIds": ids}),
            "parentIds",
        ),
        (
            "contact-points",
            serde_json::json!({
                "name": "Mange søgeord", "description": "Mange søgeord", "audiences": ["citizens"], "visible": true, "active": true,
                "keywords": (0..50_000).map(|i| format!("ord{i}")).collect::<Vec<_>>(),
            }),
            "keywords",
        ),
        (
            "contact-points",
            serde_json::json!({
                "name": "Mange grupper", "description": "Mange grupper", "audiences": ["citizens"], "visible": true, "active": true,
                "keywords": ["ord"], "groupIds": ids,
            }),
            "groupIds",
        ),
        (
            "systems",
            serde_json::json!({
                "name": "Mange adresser", "role": "sender", "protocol": "rest_pull",
                "allowedIps": (0..50_000).map(|i| format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256)).collect::<Vec<_>>(),
                "activation": {"mode": "now"},
                "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
            }),
            "allowedIps",
        ),
    ];
    for (resource, body, field) in cases {
        let response = app
            .post_as(
                &format!("/api/v1/organisations/{NORTH}/{resource}"),
                &token,
                &body,
            )
            .await;
        let (status, problem) = problem(response).await;
        assert_eq!(status, 400, "{resource}: {problem:?}");
        assert!(
            problem
                .errors
                .iter()
                .any(|e| e.field == field && e.code == adgang_api_types::FieldCode::TooMany),
            "{resource}: {:?}",
            problem.errors.iter().take(3).collect::<Vec<_>>()
        );
        assert!(
            problem.errors.len() < 10,
            "{resource}: one error for the list, not one per entry"
        );
    }
}

#[tokio::test]
async fn issue_13_405_on_the_operations_endpoints_is_a_problem_with_allow() {
    let app = spawn_app().await;
    for path in ["/healthz", "/readyz", "/metrics"] {
        let response = app.client.post(app.url(path)).send().await.unwrap();
        assert_eq!(
            response.headers().get("allow").map(|v| v.to_str().unwrap()),
            Some("GET"),
            "{path}"
        );
        let (status, p) = problem(response).await;
        assert_eq!(
            (status, p.code),
            (405, ErrorCode::MethodNotAllowed),
            "{path}"
        );
    }
}
