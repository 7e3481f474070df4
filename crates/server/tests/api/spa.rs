//! The SPA is served at `/` with history fallback, so deep links survive a reload.

use adgang_test_support::{content_type, spawn_app_with, Spa};

const INDEX: &str =
    "<!doctype html><html><body><script type=\"module\">boot()</script>Adgang</body></html>";

#[tokio::test]
async fn deep_link_serves_index_html() {
    let app = spawn_app_with(Spa::Index(INDEX), |_| {}).await;
    for path in ["/", "/kontaktstruktur", "/systemtilslutning/ny"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(content_type(&response).starts_with("text/html"));
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

/// A bundle as `cargo xtask spa` writes it: the file, and a `.br` and `.gz` beside it whose
/// contents differ so that the test sees which one was sent.
fn bundle() -> Spa {
    Spa::Files(vec![
        ("index.html", INDEX.as_bytes().to_vec()),
        ("app-0123abcd/adgang_bg.wasm", b"plain wasm".to_vec()),
        ("app-0123abcd/adgang_bg.wasm.br", b"brotli wasm".to_vec()),
        ("app-0123abcd/adgang_bg.wasm.gz", b"gzip wasm".to_vec()),
        ("app-0123abcd/adgang.js", b"export default 1;".to_vec()),
        ("fonts/IBMPlexSans/a.woff2", b"font".to_vec()),
    ])
}

/// `GET path` accepting `encoding`, asserted to answer `status`.
async fn get_with(
    app: &adgang_test_support::TestApp,
    path: &str,
    encoding: &str,
    status: u16,
) -> reqwest::Response {
    let response = app
        .client
        .get(app.url(path))
        .header("accept-encoding", encoding)
        .send()
        .await
        .expect("GET failed");
    assert_eq!(response.status(), status, "{path} accepting {encoding}");
    response
}

#[tokio::test]
async fn issue_11_the_precompressed_variant_the_browser_accepts_is_sent() {
    let app = spawn_app_with(bundle(), |_| {}).await;
    let wasm = "/app-0123abcd/adgang_bg.wasm";
    for (accept, encoding, body) in [
        ("gzip, deflate, br, zstd", Some("br"), "brotli wasm"),
        ("gzip, br;q=0", Some("gzip"), "gzip wasm"),
        ("identity", None, "plain wasm"),
    ] {
        let response = get_with(&app, wasm, accept, 200).await;
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "application/wasm", "{accept}");
        assert_eq!(
            headers.get("content-encoding").map(|v| v.to_str().unwrap()),
            encoding,
            "{accept}"
        );
        assert_eq!(headers["vary"], "accept-encoding");
        // Content-hashed: a year, never revalidated.
        assert_eq!(
            headers["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert!(headers.get("content-disposition").is_none());
        assert_eq!(response.text().await.unwrap(), body, "{accept}");
    }
    // A file without variants is sent as it is.
    let js = get_with(&app, "/app-0123abcd/adgang.js", "br", 200).await;
    assert!(js.headers().get("content-encoding").is_none());
    assert!(content_type(&js).starts_with("text/javascript"));
}

#[tokio::test]
async fn issue_11_only_the_bundle_is_cached_for_long_and_the_page_never() {
    let app = spawn_app_with(bundle(), |_| {}).await;
    let font = get_with(&app, "/fonts/IBMPlexSans/a.woff2", "br", 200).await;
    assert_eq!(font.headers()["cache-control"], "public, max-age=86400");
    for page in ["/", "/index.html", "/kontaktstruktur"] {
        let response = get_with(&app, page, "br", 200).await;
        assert!(content_type(&response).starts_with("text/html"), "{page}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{page}");
    }
}

#[tokio::test]
async fn issue_11_a_missing_or_hostile_file_path_is_404_not_the_app() {
    let app = spawn_app_with(bundle(), |_| {}).await;
    // A stale chunk after a deploy must fail loudly, not parse the page as WASM.
    let stale = get_with(&app, "/app-ffff0000/split_contacts.wasm", "br", 404).await;
    assert_eq!(stale.headers()["content-type"], "application/problem+json");
    get_with(&app, "/.env", "br", 404).await;
    // Encoded separators are not path segments: never a file outside the SPA dir.
    let traversal = get_with(&app, "/app-0123abcd/..%2f..%2f..%2fetc%2fpasswd", "br", 404).await;
    assert!(!traversal.text().await.unwrap().contains("root:"));
}
