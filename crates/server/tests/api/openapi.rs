//! the served document, the offline docs page and the committed copy agree.

use adgang_test_support::{spawn_app, workspace_root};

#[tokio::test]
async fn x_10_committed_openapi_matches_the_code() {
    let generated = adgang_server::openapi::document_json();
    let path = workspace_root().join("openapi/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date with the code. Regenerate it with `cargo xtask openapi` and commit it.",
        path.display()
    );
}

#[tokio::test]
async fn x_10_serves_openapi_3_1_with_every_route() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.get_json("/api/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/healthz",
        "/readyz",
        "/metrics",
        "/api/v1/environment",
        "/api/v1/organisations",
        "/api/v1/organisations/{cvr}",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the document"
        );
    }
}

#[tokio::test]
async fn x_10_docs_viewer_is_served_locally() {
    let app = spawn_app().await;
    let page = app.get("/api/docs/").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(
        !html.contains("https://"),
        "the viewer must not load anything from the internet"
    );
    let bundle = app.get("/api/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), 200);
    assert!(bundle.bytes().await.unwrap().len() > 100_000);
}
