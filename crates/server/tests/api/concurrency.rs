//! Issue 13 item 3: concurrent writers never see "database is locked" (or any 5xx), on SQLite
//! and PostgreSQL alike. The 64-writer, 60-second figure is in `cargo xtask bench`.

use adgang_test_support::spawn_app_with_administrator;
use serde_json::json;

const WRITERS: usize = 16;
const REQUESTS_PER_WRITER: usize = 6;

#[tokio::test]
async fn issue_13_sixteen_concurrent_writers_all_succeed() {
    const NORTH: &str = "29189846";
    let (app, token) = spawn_app_with_administrator(NORTH).await;
    let app = std::sync::Arc::new(app);
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let (app, token) = (app.clone(), token.clone());
        writers.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            for n in 0..REQUESTS_PER_WRITER {
                // Each kind of write reads first, then writes: the pattern that SQLite refused
                // at once when another writer had committed in between.
                let (path, body) = if n % 2 == 0 {
                    (
                        format!("/api/v1/organisations/{NORTH}/systems"),
                        json!({
                            "name": format!("System {writer}-{n}"), "role": "recipient",
                            "protocol": "rest_pull", "allowedIps": ["10.0.0.1"],
                            "activation": {"mode": "now"},
                            "technicalContact": {"email": "drift@nord.dk", "phone": "12345678"}
                        }),
                    )
                } else {
                    (
                        format!("/api/v1/organisations/{NORTH}/contact-groups"),
                        json!({"name": format!("Gruppe {writer}-{n}")}),
                    )
                };
                let response = app.post_as(&path, &token, &body).await;
                if response.status() != 201 {
                    let status = response.status();
                    failures.push(format!(
                        "{status}: {}",
                        response.text().await.unwrap_or_default()
                    ));
                }
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for writer in writers {
        failures.extend(writer.await.expect("a writer task"));
    }
    assert!(
        failures.is_empty(),
        "{} failed: {failures:?}",
        failures.len()
    );
    let systems: adgang_api_types::Page<adgang_api_types::SystemSummary> = app
        .get_json_as(
            &format!("/api/v1/organisations/{NORTH}/systems?pageSize=500"),
            &token,
        )
        .await;
    assert_eq!(
        systems.total_elements as usize,
        WRITERS * REQUESTS_PER_WRITER / 2
    );
}
