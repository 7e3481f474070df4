//! health, readiness, metrics, request ids; security headers on every response.

use adgang_api_types::{OrgKind, Right};
use adgang_test_support::{content_type, spawn_app};

#[tokio::test]
async fn x_11_healthz_answers_ok() {
    let app = spawn_app().await;
    let body: serde_json::Value = app.get_json("/healthz").await;
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn x_11_readyz_checks_the_database() {
    let app = spawn_app().await;
    let body: serde_json::Value = app.get_json("/readyz").await;
    assert_eq!(body["status"], "ready");
}

#[tokio::test]
async fn issue_13_readyz_is_503_while_the_database_cannot_take_a_write() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = spawn_app().await;
    // Another client holds the write lock (SQLite: any write in an open transaction;
    // PostgreSQL: an exclusive lock on the table the probe writes).
    let db = app.db().await;
    let blocker = db.begin().await.unwrap();
    let lock = match app.database.kind {
        adgang_test_support::DatabaseKind::Sqlite => {
            "UPDATE seaql_migrations SET version = version WHERE 1 = 0"
        }
        _ => "LOCK TABLE seaql_migrations IN ACCESS EXCLUSIVE MODE",
    };
    blocker.execute_unprepared(lock).await.unwrap();
    let blocked = app.get("/readyz").await;
    assert_eq!(blocked.status(), 503);
    let problem: serde_json::Value = blocked.json().await.unwrap();
    assert_eq!(problem["code"], "unavailable");
    blocker.rollback().await.unwrap();

    // Ready again once the lock is gone (the probe's own wait may take a moment to end).
    let started = std::time::Instant::now();
    loop {
        if app.get("/readyz").await.status() == 200 {
            break;
        }
        assert!(started.elapsed().as_secs() < 20, "never ready again");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn x_11_metrics_count_requests_by_route_pattern() {
    let app = spawn_app().await;
    // Two lookups of the caller's own (not yet stored) organisation: two 404s, one route.
    let token = app.token_for("29189846", OrgKind::Authority, &[Right::SystemAdmin]);
    app.get_as("/api/v1/organisations/29189846", &token).await;
    app.get_as("/api/v1/organisations/29189846", &token).await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert!(content_type(&response).starts_with("text/plain"));
    let text = response.text().await.unwrap();
    assert!(
        text.contains(
            "adgang_http_requests_total{method=\"GET\",route=\"/api/v1/organisations/{cvr}\",status=\"404\"} 2"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn x_11_every_response_carries_a_request_id_and_echoes_a_sane_one() {
    let app = spawn_app().await;
    let generated = app.get("/healthz").await;
    let id = generated.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");

    let echoed = app
        .get_with_header("/healthz", "x-request-id", "trace-abc_123")
        .await;
    assert_eq!(echoed.headers()["x-request-id"], "trace-abc_123");

    let hostile = app
        .get_with_header("/healthz", "x-request-id", "evil id with spaces")
        .await;
    assert_ne!(hostile.headers()["x-request-id"], "evil id with spaces");
}

#[tokio::test]
async fn security_headers_are_on_api_errors_and_pages() {
    let app = spawn_app().await;
    for path in ["/healthz", "/api/v1/nope", "/api/v1/organisations"] {
        let response = app.get(path).await;
        let h = response.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        assert!(
            !csp.contains("script-src 'self' 'unsafe-inline'"),
            "{path}: {csp}"
        );
    }
}

#[test]
fn x_12_the_server_binary_explains_its_commands() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_adgang-server"))
            .args(args)
            .env("RUST_BACKTRACE", "1")
            .output()
            .expect("running adgang-server")
    };
    let help = run(&["--help"]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for command in [
        "serve",
        "openapi",
        "generate-signing-key",
        "generate-data-key",
        "issue-token",
    ] {
        assert!(
            text.contains(command),
            "{command} missing from --help: {text}"
        );
    }
    let unknown = run(&["nonsense"]);
    assert_eq!(unknown.status.code(), Some(2));
    let error = String::from_utf8_lossy(&unknown.stderr);
    assert!(error.contains("unrecognized subcommand"), "{error}");
    assert!(
        !error.contains("backtrace"),
        "no backtrace for a typo: {error}"
    );
}
