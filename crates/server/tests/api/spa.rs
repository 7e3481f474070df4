//! The SPA is served at `/` with history fallback, so deep links survive a reload.

use adgang_test_support::{spawn_app_with, Spa};

const INDEX: &str =
    "<!doctype html><html><body><script type=\"module\">boot()</script>Adgang</body></html>";

#[tokio::test]
async fn deep_link_serves_index_html() {
    let app = spawn_app_with(Spa::Index(INDEX), |_| {}).await;
    for path in ["/", "/kontaktstruktur", "/systemtilslutning/ny"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(response.text().await.unwrap(), INDEX, "{path}");
    }
}

#[tokio::test]
async fn unknown_api_paths_do_not_fall_back_to_the_spa() {
    let app = spawn_app_with(Spa::Index(INDEX), |_| {}).await;
    let response = app.get("/api/v1/kontaktstruktur").await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
}

#[tokio::test]
async fn csp_allows_exactly_the_inline_boot_script() {
    let app = spawn_app_with(Spa::Index(INDEX), |_| {}).await;
    let response = app.get("/kontaktstruktur").await;
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    // sha256 of "boot()", base64.
    assert!(csp.contains("'sha256-"), "{csp}");
    assert!(
        !csp.contains("'unsafe-inline'; img") || csp.contains("style-src 'self' 'unsafe-inline'")
    );
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(!script_src.contains("unsafe-inline"), "{script_src}");
}
