//! CS-08 the platforms' search, and CS-02/CS-08 caches following every change.

use super::*;

#[tokio::test]
async fn cs_08_platforms_find_visible_usable_points_by_keyword_and_never_see_internal_notes() {
    let (app, token) = app_and_admin().await;
    let base = format!("/api/v1/organisations/{AUTHORITY}");
    let system_id = recipient_system(&app, AUTHORITY, &token, "Modtager").await;
    let bound = |name: &str, keywords: Value, visible: bool, audiences: Value| {
        let mut body = point_body(name, &[]);
        body["keywords"] = keywords;
        body["visible"] = json!(visible);
        body["audiences"] = audiences;
        body["recipientSystemId"] = json!(system_id);
        body
    };
    for (name, keywords, visible, audiences) in [
        (
            "Byggesager",
            json!(["Byggetilladelse", "tilbygning"]),
            true,
            json!(["citizens"]),
        ),
        (
            "Skjult punkt",
            json!(["byggeri"]),
            false,
            json!(["citizens"]),
        ),
        (
            "Erhvervsbyggeri",
            json!(["byggeri"]),
            true,
            json!(["businesses"]),
        ),
    ] {
        point(&app, &token, &bound(name, keywords, visible, audiences)).await;
    }
    point(&app, &token, &point_body("Ikke bundet", &[])).await;
    group(&app, &token, "Teknik og Miljø", &[]).await;
    let unit = app
        .post_as(
            &format!("{base}/contact-groups"),
            &token,
            &json!({"name": "Borgerservice", "isOrganisationalUnit": true}),
        )
        .await;
    assert_eq!(unit.status(), 201);

    let search = |q: &str, audience: &str| {
        let url = format!(
            "/api/v1/platform/organisations/{AUTHORITY}/contact-points?q={q}&audience={audience}"
        );
        let app = &app;
        async move {
            app.get_json::<Vec<adgang_api_types::PublicContactPoint>>(&url)
                .await
        }
    };
    let found = search("bygge", "citizens").await;
    assert_eq!(
        found.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        vec!["Byggesager"],
        "hidden, unbound and other-audience points are not found"
    );
    assert_eq!(found[0].keywords, vec!["Byggetilladelse", "tilbygning"]);
    let raw = app
        .get(&format!(
            "/api/v1/platform/organisations/{AUTHORITY}/contact-points?q=&audience=citizens"
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !raw.contains("Kun til intern brug") && !raw.contains("internalNote"),
        "no internal notes: {raw}"
    );
    assert_eq!(search("erhverv", "businesses").await.len(), 1, "by name");
    assert!(search("tilb", "businesses").await.is_empty());
    assert!(search("zzz", "citizens").await.is_empty());
    let units: Vec<adgang_api_types::PublicOrganisationalUnit> = app
        .get_json(&format!(
            "/api/v1/platform/organisations/{AUTHORITY}/organisational-units"
        ))
        .await;
    assert_eq!(
        units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
        vec!["Borgerservice"]
    );
}

/// Whether the organisation's contact tree lists `name`.
async fn in_tree(app: &TestApp, token: &str, name: &str) -> bool {
    tree_names(app, token).await.iter().any(|n| n == name)
}

/// Every name in the tree, depth first.
async fn tree_names(app: &TestApp, token: &str) -> Vec<String> {
    fn walk(nodes: &[ContactTreeNode], out: &mut Vec<String>) {
        for n in nodes {
            out.push(n.name.clone());
            walk(&n.children, out);
        }
    }
    let tree = contact_tree(app, AUTHORITY, token).await;
    let mut out = Vec::new();
    walk(&tree, &mut out);
    out
}

/// The names the platforms' search finds for citizens.
async fn platform_names(app: &TestApp, q: &str) -> Vec<String> {
    app.get_json::<Vec<adgang_api_types::PublicContactPoint>>(&format!(
        "/api/v1/platform/organisations/{AUTHORITY}/contact-points?q={q}&audience=citizens"
    ))
    .await
    .into_iter()
    .map(|p| p.name)
    .collect()
}

#[tokio::test]
async fn cs_02_08_the_tree_and_the_platform_search_follow_every_change() {
    let (app, token) = app_and_admin().await;
    let base = format!("/api/v1/organisations/{AUTHORITY}");
    let (top, _, p) = rich_structure(&app, &token).await;
    // Read once so both are held in memory, then change things and read again.
    assert!(in_tree(&app, &token, "Skoleindskrivning").await);
    assert_eq!(
        platform_names(&app, "byggetil").await,
        ["Skoleindskrivning"]
    );

    let mut body = point_body("Skolestart", &[&top.id]);
    body["recipientSystemId"] = json!(p.recipient_system_id);
    let renamed = app
        .put_as(&format!("{base}/contact-points/{}", p.id), &token, &body)
        .await;
    assert_eq!(renamed.status(), 200);
    assert!(in_tree(&app, &token, "Skolestart").await);
    assert_eq!(platform_names(&app, "byggetil").await, ["Skolestart"]);

    group(&app, &token, "Ny gruppe", &[]).await;
    assert!(in_tree(&app, &token, "Ny gruppe").await);

    let mut book = export(&app, AUTHORITY, &token).await;
    let row = sheet(&mut book, "Kontaktpunkter")
        .iter()
        .position(|r| r[0] == p.id)
        .unwrap();
    sheet(&mut book, "Kontaktpunkter")[row][1] = "Indskrivning".into();
    receipt(import(&app, AUTHORITY, &token, xlsx(&book), false).await).await;
    assert!(in_tree(&app, &token, "Indskrivning").await);
    assert_eq!(platform_names(&app, "indskriv").await, ["Indskrivning"]);

    let deleted = app
        .delete_as(&format!("{base}/contact-points/{}", p.id), &token)
        .await;
    assert_eq!(deleted.status(), 204);
    assert!(!in_tree(&app, &token, "Indskrivning").await);
    assert!(platform_names(&app, "indskriv").await.is_empty());

    let gone = app
        .delete_as(&format!("{base}/contact-groups/{}", top.id), &token)
        .await;
    assert_eq!(gone.status(), 200);
    assert!(!in_tree(&app, &token, "Børn og unge").await);
}
