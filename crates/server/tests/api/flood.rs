//! Issue 31: the system API and the token endpoint cannot be flooded into the logs or
//! guessed at, a body that trickles in is cut off, and one-time secrets in a path never reach
//! the access log.

use std::time::{Duration, Instant};

use adgang_api_types::{OrgKind, Right};
use adgang_core::entity::message_events;
use adgang_test_support::{spawn_app_with, Spa, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SENDER: &str = "29189846";

async fn app() -> TestApp {
    let app = spawn_app_with(Spa::None, |s| {
        s.allow_http_endpoints = true;
        s.body_deadlines.small = Duration::from_secs(1);
    })
    .await;
    app.seed_organisations(&[(SENDER, "Testkommune Nord", OrgKind::Authority)])
        .await;
    app
}

/// A sender system allowing `ips`; its id and key.
async fn sender(app: &TestApp, ips: &[&str]) -> (String, String) {
    let token = app.token_for(SENDER, OrgKind::Authority, &[Right::SystemAdmin]);
    let settings = json!({
        "name": format!("System {}", uuid::Uuid::now_v7()),
        "role": "sender", "protocol": "rest_pull", "allowedIps": ips,
        "activation": {"mode": "now"},
        "technicalContact": {"email": "drift@kommune.dk", "phone": "12345678"}
    });
    let id = app.create_system(SENDER, &token, &settings).await.system.id;
    let key = app.rotate_api_key(SENDER, &token, &id).await;
    (id, key)
}

async fn call(app: &TestApp, id: &str, key: &str) -> reqwest::Response {
    app.client
        .get(app.url("/api/v1/receipts"))
        .header("X-System-Id", id)
        .header("X-Api-Key", key)
        .send()
        .await
        .unwrap()
}

async fn log_rows(app: &TestApp) -> u64 {
    message_events::Entity::find()
        .filter(message_events::Column::OrganisationCvr.eq(SENDER))
        .count(&app.db().await)
        .await
        .unwrap()
}

#[tokio::test]
async fn issue_31_wrong_keys_from_outside_the_allowlist_leave_no_trace() {
    let app = app().await;
    let (id, _) = sender(&app, &["192.0.2.10"]).await;
    for _ in 0..40 {
        let response = call(&app, &id, "wrong").await;
        assert_eq!(response.status(), 403);
    }
    assert_eq!(log_rows(&app).await, 0, "an outsider wrote to the log");
}

#[tokio::test]
async fn issue_31_wrong_keys_from_an_allowed_address_are_logged_then_limited() {
    let app = app().await;
    let (id, key) = sender(&app, &["127.0.0.1"]).await;
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..40 {
        let response = call(&app, &id, "wrong").await;
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
        }
    }
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 10);
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 30);
    assert!(
        retry_after.is_some_and(|s| (1..=60).contains(&s)),
        "{retry_after:?}"
    );
    // Ten rows, and one summarising the failures held back.
    let rows = log_rows(&app).await;
    assert_eq!(rows, 11, "log rows for 40 wrong keys");
    // The right key is never held back by others' failures.
    assert_eq!(call(&app, &id, &key).await.status(), 200);
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("adgang_auth_failures_limited_total{throttle=\"system_api_key\"} 30"),
        "{metrics}"
    );
}

#[tokio::test]
async fn issue_31_the_token_endpoint_limits_wrong_client_secrets() {
    let app = app().await;
    let mut statuses = Vec::new();
    let mut details = Vec::new();
    for _ in 0..15 {
        let response = app.client_credentials("no-such-client", "guess").await;
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            let problem: serde_json::Value = response.json().await.unwrap();
            details.push(problem["detail"].as_str().unwrap_or_default().to_owned());
        }
    }
    assert_eq!(statuses[..10], [401; 10]);
    assert_eq!(statuses[10..], [429; 5]);
    // The detail says what the 429 is about (not the uploads' readers).
    assert!(
        details
            .iter()
            .all(|d| d.starts_with("Too many failed authentications")),
        "{details:?}"
    );
}

/// Sends `head` and then a byte of body every 300 ms (as a chunk when `chunked`); returns what
/// the server answered and how long until it closed the connection, or panics after 8 s.
async fn trickle(app: &TestApp, head: String, chunked: bool) -> (String, Duration) {
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    socket.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "still open after 8 s"
        );
        match tokio::time::timeout(Duration::from_millis(300), socket.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
            Err(_) => {
                let byte: &[u8] = if chunked { b"1\r\n \r\n" } else { b" " };
                let _ = socket.write_all(byte).await;
            }
        }
    }
    (
        String::from_utf8_lossy(&answer).into_owned(),
        started.elapsed(),
    )
}

#[tokio::test]
async fn issue_31_a_body_that_trickles_in_is_cut_off_with_408() {
    let app = app().await;
    let token = app.token_for(SENDER, OrgKind::Authority, &[Right::SystemAdmin]);
    let head = format!(
        "POST /api/v1/organisations/{SENDER}/systems HTTP/1.1\r\nHost: x\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: 1000\r\n\r\n{{\"name\": "
    );
    let (answer, took) = trickle(&app, head, false).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
    assert!(took < Duration::from_secs(4), "{took:?}");

    // The same body sent in chunks, with no length announced: cut off and closed too.
    let head = format!(
        "POST /api/v1/organisations/{SENDER}/systems HTTP/1.1\r\nHost: x\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n1\r\n{{\r\n"
    );
    let (answer, took) = trickle(&app, head, true).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "chunked: {answer}");
    assert!(took < Duration::from_secs(4), "chunked: {took:?}");

    // A handler that never reads the body does not keep a trickling connection open either.
    let head = "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".to_owned();
    let (_, took) = trickle(&app, head, true).await;
    assert!(took < Duration::from_secs(4), "{took:?}");
}

#[test]
fn issue_31_one_time_secrets_in_a_path_or_query_never_reach_the_access_log() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_adgang-server"))
        .env(
            "DATABASE_URL",
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("db.sqlite").display()
            ),
        )
        .env("ADGANG_PORT", port.to_string())
        .env("ADGANG_SPA_DIR", "/nonexistent-spa")
        .env("ADGANG_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let secret = format!("Tok{}", uuid::Uuid::now_v7().simple());
    let base = format!("http://127.0.0.1:{port}");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if client.get(format!("{base}/healthz")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        for path in [
            format!("/nemsms/bekraeft/{secret}"),
            format!("/nemsms/bekraeft/{}", secret.to_lowercase()),
            format!("/api/v1/organisations/{secret}/systems"),
            format!("/healthz?token={secret}"),
        ] {
            client.get(format!("{base}{path}")).send().await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    });
    let _ = server.kill();
    let _ = server.wait();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("/nemsms/bekraeft/"),
        "the requests are logged: {text}"
    );
    assert!(
        !text.to_lowercase().contains(&secret.to_lowercase()),
        "a secret reached the log: {text}"
    );
}
