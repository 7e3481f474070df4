//! the served document, the offline docs page and the committed copy agree.

use adgang_test_support::{content_type, spawn_app, workspace_root};

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

/// Issue 34 item 4: the integrator's guide is linked from the top of `/api/docs/` (the
/// document's description) and served beside the viewer, as the repository holds it.
#[tokio::test]
async fn issue_34_the_integrators_guide_is_linked_from_the_viewer_and_served() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.get_json("/api/openapi.json").await;
    let description = doc["info"]["description"].as_str().unwrap();
    assert!(
        description.contains("](/api/docs/integrators.md)"),
        "{description}"
    );
    let guide = app.get("/api/docs/integrators.md").await;
    assert_eq!(guide.status(), 200);
    assert!(content_type(&guide).starts_with("text/plain"));
    let text = guide.text().await.unwrap();
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/integrators.md"
    ))
    .unwrap();
    assert_eq!(text, committed);
    assert!(text.contains("X-Adgang-Signature"));
}

#[tokio::test]
async fn x_10_the_docs_path_without_a_slash_leads_to_the_viewer() {
    let app = spawn_app().await;
    let response = app.get("/api/docs").await;
    assert_eq!(response.status(), 308);
    assert_eq!(response.headers()["location"], "/api/docs/");
}

#[test]
fn x_10_every_path_parameter_is_in_its_path_and_the_import_dry_run_is_an_optional_query() {
    let doc = serde_json::to_value(adgang_server::openapi::document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap();
                if parameter["in"] == "path" {
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: `{name}` is declared in the path but is not in it"
                    );
                }
            }
        }
    }
    let import = &doc["paths"]["/api/v1/organisations/{cvr}/contact-structure/import"]["post"];
    let dry_run = import["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "dryRun")
        .expect("dryRun is documented");
    assert_eq!(dry_run["in"], "query");
    assert_ne!(dry_run["required"], true, "dryRun is optional");
}

#[test]
fn x_10_every_reference_in_the_document_resolves() {
    // The problem+json responses named `#/components/schemas/Problem` before the schema was in
    // the document (schemathesis skipped 170 responses as unresolvable; issue 13).
    let doc = serde_json::to_value(adgang_server::openapi::document()).unwrap();
    fn refs<'a>(value: &'a serde_json::Value, found: &mut Vec<&'a str>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(target)) = map.get("$ref") {
                    found.push(target);
                }
                map.values().for_each(|v| refs(v, found));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 100, "{} references", found.len());
    for target in found {
        let pointer = target.strip_prefix('#').expect("local references only");
        assert!(doc.pointer(pointer).is_some(), "{target} does not resolve");
    }
}

/// Issue 34 item 1: what generators and linters ask of the document — every operationId
/// unique and snake_case, a summary and a `security` (`[]` when public) on every operation,
/// ASCII tag identifiers that are all declared (with the Danish name as `x-displayName`),
/// and a server.
#[test]
fn x_10_the_document_is_fit_for_client_generators_and_linters() {
    let doc: serde_json::Value =
        serde_json::from_str(&adgang_server::openapi::document_json()).unwrap();
    let declared: Vec<&str> = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            assert!(t["x-displayName"].is_string(), "{t}");
            t["name"].as_str().unwrap()
        })
        .collect();
    let snake = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    let mut ids = std::collections::HashSet::new();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if !["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            operations += 1;
            let at = format!("{method} {path}");
            let id = operation["operationId"].as_str().unwrap_or_default();
            assert!(snake(id), "{at}: operationId {id:?}");
            assert!(
                ids.insert(id.to_owned()),
                "{at}: operationId {id} used twice"
            );
            assert!(
                operation["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{at}: no summary"
            );
            // Generators take the summary as a method's title: one line, the rest described.
            let summary = operation["summary"].as_str().unwrap_or_default();
            assert!(!summary.contains('\n'), "{at}: a summary of several lines");
            assert!(
                operation["description"]
                    .as_str()
                    .is_some_and(|d| !d.trim().is_empty()),
                "{at}: no description"
            );
            assert!(operation["security"].is_array(), "{at}: no security");
            for tag in operation["tags"].as_array().unwrap() {
                let tag = tag.as_str().unwrap();
                assert!(snake(tag), "{at}: tag {tag:?}");
                assert!(declared.contains(&tag), "{at}: tag {tag} not declared");
            }
        }
    }
    assert!(operations > 100, "{operations} operations");
    // No unused components.
    let text = doc.to_string();
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        assert!(
            text.contains(&format!("\"#/components/schemas/{name}\"")),
            "component {name} is not used"
        );
    }
    // A page's items are a named component (generators made a second type per inline copy).
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        if name.starts_with("Page_") || name.starts_with("LogPage_") {
            let items = &schema["properties"]["items"]["items"];
            assert!(items["$ref"].is_string(), "{name}: items inline");
        }
    }
    assert!(doc["servers"][0]["url"].is_string());
    // The public ones say so with an empty list, the rest name their scheme.
    let public = &doc["paths"]["/healthz"]["get"]["security"];
    assert_eq!(public, &serde_json::json!([]));
}
