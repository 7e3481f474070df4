//! Contact structure (SPEC §3): the limits with their field errors, groups without cycles,
//! the tree with duplicate placements, audit rows, tenant isolation, companies refused.

use adgang_api_types::{
    ContactGroup, ContactImportReceipt, ContactNodeKind, ContactPoint, ContactTreeNode, OrgKind,
    Problem, Right, SystemReceipt,
};
use adgang_core::entity::actions_log;
use adgang_core::Cvr;
use adgang_identity::service::{create_organisation, NewOrganisation};
use adgang_test_support::{spawn_app, user, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use std::collections::HashSet;

const AUTHORITY: &str = "34051178";
const OTHER: &str = "29189846";
const COMPANY: &str = "25052943";

async fn app() -> TestApp {
    let app = spawn_app().await;
    let db = app.db().await;
    let now = chrono::Utc::now();
    for (cvr, kind) in [
        (AUTHORITY, OrgKind::Authority),
        (OTHER, OrgKind::Authority),
        (COMPANY, OrgKind::Company),
    ] {
        let new = NewOrganisation {
            cvr: Cvr::parse(cvr).unwrap(),
            name: format!("Organisation {cvr}"),
            kind,
            agreement_accepted_at: Some(now),
        };
        create_organisation(&db, new, now).await.unwrap();
    }
    app
}

fn admin(app: &TestApp, cvr: &str) -> String {
    app.token(&user(
        cvr,
        OrgKind::Authority,
        &[Right::ContactAdmin, Right::SystemAdmin],
    ))
}

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut request = app
        .client
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.unwrap()
}

async fn group(app: &TestApp, token: &str, name: &str, parents: &[&str]) -> ContactGroup {
    let response = send(
        app,
        "POST",
        &format!("/api/v1/organisations/{AUTHORITY}/contact-groups"),
        token,
        Some(&json!({"name": name, "description": "", "parentIds": parents})),
    )
    .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

fn point_body(name: &str, groups: &[&str]) -> Value {
    json!({
        "name": name,
        "description": "Skriv til os om byggeri",
        "internalNote": "Kun til intern brug",
        "groupIds": groups,
        "visible": true,
        "audiences": ["citizens"],
        "keywords": ["byggetilladelse", "Æblehave"],
        "active": true
    })
}

async fn point(app: &TestApp, token: &str, body: &Value) -> ContactPoint {
    let response = send(
        app,
        "POST",
        &format!("/api/v1/organisations/{AUTHORITY}/contact-points"),
        token,
        Some(body),
    )
    .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

fn codes(problem: &Problem) -> Vec<(String, String)> {
    problem
        .errors
        .iter()
        .map(|e| (e.field.clone(), e.code.as_str().to_owned()))
        .collect()
}

#[tokio::test]
async fn cs_01_every_limit_gives_its_field_error_and_writes_nothing() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    // A recipient system of another organisation.
    let other_system: SystemReceipt = send(&app, "POST", &format!("/api/v1/organisations/{OTHER}/systems"), &admin(&app, OTHER), Some(&json!({
        "name": "Andens system", "role": "recipient", "protocol": "rest_pull", "allowedIps": ["10.0.0.1"],
        "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    }))).await.json().await.unwrap();
    let cases: Vec<(&str, Value, (&str, &str))> = vec![
        (
            "51-character name with æ",
            json!({"name": format!("{}æ", "a".repeat(50))}),
            ("name", "too_long"),
        ),
        (
            "251-character description",
            json!({"description": "d".repeat(251)}),
            ("description", "too_long"),
        ),
        (
            "keyword pas!",
            json!({"keywords": ["pas!"]}),
            ("keywords[0]", "invalid_keyword"),
        ),
        (
            "31-character keyword",
            json!({"keywords": ["k".repeat(31)]}),
            ("keywords[0]", "too_long"),
        ),
        (
            "no keyword",
            json!({"keywords": []}),
            ("keywords", "required"),
        ),
        (
            "same keyword twice",
            json!({"keywords": ["Pas", "pas"]}),
            ("keywords[1]", "duplicate_keyword"),
        ),
        (
            "third input field",
            json!({"inputFields": ["Sagsnummer", "CPR", "Adresse"]}),
            ("inputFields", "too_many"),
        ),
        (
            "26-character input field",
            json!({"inputFields": ["t".repeat(26)]}),
            ("inputFields[0]", "too_long"),
        ),
        (
            "raised capacity",
            json!({"capacity": {"maxMessageSizeBytes": 104_333_313u64, "maxAttachments": 10}}),
            ("capacity.maxMessageSizeBytes", "above_maximum"),
        ),
        (
            "11 attachments",
            json!({"capacity": {"maxMessageSizeBytes": 1000, "maxAttachments": 11}}),
            ("capacity.maxAttachments", "above_maximum"),
        ),
        (
            "http link",
            json!({"externalLink": {"heading": "Læs mere", "linkText": "Her", "url": "http://kommune.dk"}}),
            ("externalLink.url", "https_required"),
        ),
        (
            "51-character link heading",
            json!({"externalLink": {"heading": "h".repeat(51), "linkText": "Her", "url": "https://kommune.dk"}}),
            ("externalLink.heading", "too_long"),
        ),
        (
            "no audience",
            json!({"audiences": []}),
            ("audiences", "required"),
        ),
        (
            "unknown group",
            json!({"groupIds": ["no-such-group"]}),
            ("groupIds[0]", "unknown_group"),
        ),
        (
            "another organisation's recipient system",
            json!({"recipientSystemId": other_system.system.id}),
            ("recipientSystemId", "not_a_recipient_system"),
        ),
    ];
    for (case, patch, (field, code)) in cases {
        let mut body = point_body("Byggesager", &[]);
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let response = send(
            &app,
            "POST",
            &format!("/api/v1/organisations/{AUTHORITY}/contact-points"),
            &token,
            Some(&body),
        )
        .await;
        assert_eq!(response.status(), 400, "{case}");
        let problem: Problem = response.json().await.unwrap();
        assert!(
            codes(&problem).contains(&(field.into(), code.into())),
            "{case}: {:?}",
            codes(&problem)
        );
    }
    let tree: Vec<ContactTreeNode> = app
        .get_json_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-structure"),
            &token,
        )
        .await;
    assert!(tree.is_empty(), "nothing was created");
    let rows = actions_log::Entity::find()
        .filter(actions_log::Column::OrganisationCvr.eq(AUTHORITY))
        .all(&app.db().await)
        .await
        .unwrap();
    assert!(rows.is_empty());
}

#[tokio::test]
async fn cs_01_groups_refuse_cycles() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let top = group(&app, &token, "Borgerservice", &[]).await;
    let middle = group(&app, &token, "Byggeri", &[&top.id]).await;
    let bottom = group(&app, &token, "Tilladelser", &[&middle.id]).await;
    // Putting the top under the bottom would close a loop.
    let response = send(
        &app,
        "PUT",
        &format!(
            "/api/v1/organisations/{AUTHORITY}/contact-groups/{}",
            top.id
        ),
        &token,
        Some(&json!({"name": "Borgerservice", "parentIds": [bottom.id]})),
    )
    .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        codes(&response.json().await.unwrap()),
        vec![("parentIds[0]".to_owned(), "cycle".to_owned())]
    );
    let itself = send(
        &app,
        "PUT",
        &format!(
            "/api/v1/organisations/{AUTHORITY}/contact-groups/{}",
            top.id
        ),
        &token,
        Some(&json!({"name": "Borgerservice", "parentIds": [top.id]})),
    )
    .await;
    assert_eq!(itself.status(), 400);
    // A legal move is fine and logged with before and after.
    let moved = send(
        &app,
        "PUT",
        &format!(
            "/api/v1/organisations/{AUTHORITY}/contact-groups/{}",
            bottom.id
        ),
        &token,
        Some(&json!({"name": "Tilladelser", "parentIds": [top.id]})),
    )
    .await;
    assert_eq!(moved.status(), 200);
    let rows = actions_log::Entity::find()
        .filter(actions_log::Column::ObjectId.eq(bottom.id.as_str()))
        .filter(actions_log::Column::Event.eq("edited"))
        .all(&app.db().await)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].field.as_deref(), Some("parentIds"));
    assert_eq!(rows[0].before.as_deref(), Some(middle.id.as_str()));
    assert_eq!(rows[0].after.as_deref(), Some(top.id.as_str()));
}

#[tokio::test]
async fn cs_02_the_tree_holds_everything_with_duplicates_marked() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let citizens = group(&app, &token, "Borgere", &[]).await;
    let building = group(&app, &token, "Byggeri", &[&citizens.id]).await;
    let business = group(&app, &token, "Erhverv", &[]).await;
    // A recipient system makes points usable.
    let system: SystemReceipt = send(&app, "POST", &format!("/api/v1/organisations/{AUTHORITY}/systems"), &token, Some(&json!({
        "name": "Modtager", "role": "recipient", "protocol": "rest_pull", "allowedIps": ["10.0.0.1"],
        "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    }))).await.json().await.unwrap();
    let mut both = point_body("Byggetilladelse", &[&building.id, &business.id]);
    both["recipientSystemId"] = json!(system.system.id);
    let duplicated = point(&app, &token, &both).await;
    assert!(duplicated.usable);
    let top_level = point(&app, &token, &point_body("Generelt", &[])).await;
    assert!(!top_level.usable, "not bound to a recipient system");

    let tree: Vec<ContactTreeNode> = app
        .get_json_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-structure"),
            &token,
        )
        .await;
    let names: Vec<(&str, ContactNodeKind)> =
        tree.iter().map(|n| (n.name.as_str(), n.kind)).collect();
    assert_eq!(
        names,
        vec![
            ("Borgere", ContactNodeKind::Group),
            ("Erhverv", ContactNodeKind::Group),
            ("Generelt", ContactNodeKind::Point)
        ]
    );
    let borgere = &tree[0];
    assert!(borgere.usable, "a usable point lies below");
    let byggeri = &borgere.children[0];
    assert_eq!(byggeri.name, "Byggeri");
    assert_eq!(byggeri.children[0].id, duplicated.id);
    assert!(byggeri.children[0].duplicate);
    assert_eq!(tree[1].children[0].id, duplicated.id);
    assert!(!tree[2].duplicate && !tree[2].usable);
}

#[tokio::test]
async fn cs_07_point_changes_are_logged_field_by_field() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let created = point(&app, &token, &point_body("Byggesager", &[])).await;
    let path = format!(
        "/api/v1/organisations/{AUTHORITY}/contact-points/{}",
        created.id
    );
    let mut body = point_body("Byggesager", &[]);
    body["keywords"] = json!(["byggetilladelse", "tilbygning"]);
    body["visible"] = json!(false);
    assert_eq!(
        send(&app, "PUT", &path, &token, Some(&body)).await.status(),
        200
    );
    let rows = actions_log::Entity::find()
        .filter(actions_log::Column::ObjectId.eq(created.id.as_str()))
        .all(&app.db().await)
        .await
        .unwrap();
    let edited: Vec<(Option<String>, Option<String>, Option<String>)> = rows
        .iter()
        .filter(|r| r.event == "edited")
        .map(|r| (r.field.clone(), r.before.clone(), r.after.clone()))
        .collect();
    assert_eq!(edited.len(), 2, "{edited:?}");
    assert!(edited.contains(&(
        Some("keywords".into()),
        Some("byggetilladelse, Æblehave".into()),
        Some("byggetilladelse, tilbygning".into())
    )));
    assert!(edited.contains(&(
        Some("visible".into()),
        Some("true".into()),
        Some("false".into())
    )));
    assert_eq!(
        send(&app, "DELETE", &path, &token, None).await.status(),
        204
    );
    assert_eq!(app.get_as(&path, &token).await.status(), 404);
}

#[tokio::test]
async fn cs_tenant_isolation_and_companies() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let g = group(&app, &token, "Borgere", &[]).await;
    let p = point(&app, &token, &point_body("Byggesager", &[&g.id])).await;
    let stranger = admin(&app, OTHER);
    let own = format!("/api/v1/organisations/{OTHER}");
    for (method, path) in [
        ("GET", format!("{own}/contact-groups/{}", g.id)),
        ("PUT", format!("{own}/contact-groups/{}", g.id)),
        ("GET", format!("{own}/contact-points/{}", p.id)),
        ("PUT", format!("{own}/contact-points/{}", p.id)),
        ("DELETE", format!("{own}/contact-points/{}", p.id)),
        (
            "GET",
            format!("/api/v1/organisations/{AUTHORITY}/contact-structure"),
        ),
        (
            "GET",
            format!("/api/v1/organisations/{AUTHORITY}/contact-structure/export"),
        ),
        (
            "POST",
            format!("/api/v1/organisations/{AUTHORITY}/contact-structure/import"),
        ),
        (
            "GET",
            format!("/api/v1/organisations/{AUTHORITY}/contact-structure/recipient-systems"),
        ),
        (
            "GET",
            format!("{own}/contact-groups/{}/deletion-preview", g.id),
        ),
        ("DELETE", format!("{own}/contact-groups/{}", g.id)),
        ("GET", format!("{own}/contact-groups/{}/deep-links", g.id)),
        ("GET", format!("{own}/contact-points/{}/deep-links", p.id)),
        ("GET", format!("{own}/contact-points/{}/receipt", p.id)),
        (
            "GET",
            format!("{own}/contact-groups/{}/qr-code?audience=citizens", g.id),
        ),
        (
            "GET",
            format!("{own}/contact-points/{}/qr-code?audience=citizens", p.id),
        ),
    ] {
        let body = point_body("Overtaget", &[]);
        let status = send(&app, method, &path, &stranger, Some(&body))
            .await
            .status();
        assert_eq!(status, 404, "{method} {path}");
    }
    // Nothing of the owner's changed through those attempts.
    let still: ContactPoint = app
        .get_json_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-points/{}", p.id),
            &token,
        )
        .await;
    assert_eq!(still.name, "Byggesager");
    assert_eq!(still.group_ids, vec![g.id.clone()]);
    // Placing a point in another organisation's group is refused like an unknown group.
    let foreign = point_body("Fremmed", &[&g.id]);
    let refused = send(
        &app,
        "POST",
        &format!("{own}/contact-points"),
        &stranger,
        Some(&foreign),
    )
    .await;
    assert_eq!(
        codes(&refused.json().await.unwrap()),
        vec![("groupIds[0]".to_owned(), "unknown_group".to_owned())]
    );
    let tree: Vec<ContactTreeNode> = app
        .get_json_as(&format!("{own}/contact-structure"), &stranger)
        .await;
    assert!(tree.is_empty());
    // Companies have no contact structure.
    let company = app.token(&user(COMPANY, OrgKind::Company, &[Right::ContactAdmin]));
    let status = app
        .get_as(
            &format!("/api/v1/organisations/{COMPANY}/contact-structure"),
            &company,
        )
        .await
        .status();
    assert_eq!(status, 403);
}

#[tokio::test]
async fn sys_12_a_system_with_bound_contact_points_cannot_be_deleted() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let system: SystemReceipt = send(&app, "POST", &format!("/api/v1/organisations/{AUTHORITY}/systems"), &token, Some(&json!({
        "name": "Modtager", "role": "recipient", "protocol": "rest_pull", "allowedIps": ["10.0.0.1"],
        "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    }))).await.json().await.unwrap();
    let mut body = point_body("Byggesager", &[]);
    body["recipientSystemId"] = json!(system.system.id);
    point(&app, &token, &body).await;
    let refused = send(
        &app,
        "DELETE",
        &format!(
            "/api/v1/organisations/{AUTHORITY}/systems/{}",
            system.system.id
        ),
        &token,
        None,
    )
    .await;
    assert_eq!(refused.status(), 409);
    let problem: Problem = refused.json().await.unwrap();
    assert_eq!(
        problem.reason,
        Some(adgang_api_types::ConflictReason::SystemHasBoundContactPoints),
        "its own reason, not the primary-system rule's"
    );
    assert_eq!(
        problem.items,
        vec!["Byggesager".to_owned()],
        "the bound points, listed"
    );
    assert!(
        problem.detail.unwrap_or_default().contains("Byggesager"),
        "the error lists the bound points"
    );
    let still: adgang_api_types::System = app
        .get_json_as(
            &format!(
                "/api/v1/organisations/{AUTHORITY}/systems/{}",
                system.system.id
            ),
            &token,
        )
        .await;
    assert_eq!(still.name, "Modtager");
}

/// A database trigger that makes deleting the point called `Bombe` fail: a fault in the
/// middle of a group deletion, after other statements have run.
async fn inject_fault(app: &TestApp, on: bool) {
    use sea_orm::{ConnectionTrait, DatabaseBackend};
    let db = app.db().await;
    let statements: &[&str] = match (db.get_database_backend(), on) {
        (DatabaseBackend::Postgres, true) => &[
            "CREATE FUNCTION inject_fault() RETURNS trigger AS $$ BEGIN IF OLD.name = 'Bombe' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN OLD; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER inject_fault BEFORE DELETE ON contact_points FOR EACH ROW EXECUTE FUNCTION inject_fault()",
        ],
        (DatabaseBackend::Postgres, false) => &["DROP TRIGGER inject_fault ON contact_points"],
        (_, true) => &["CREATE TRIGGER inject_fault BEFORE DELETE ON contact_points WHEN OLD.name = 'Bombe' BEGIN SELECT RAISE(ABORT, 'injected fault'); END"],
        (_, false) => &["DROP TRIGGER inject_fault"],
    };
    for sql in statements {
        db.execute_unprepared(sql).await.unwrap();
    }
}

#[tokio::test]
async fn cs_03_deleting_a_group_previews_its_content_and_is_all_or_nothing() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let building = group(&app, &token, "Byggeri", &[]).await;
    let business = group(&app, &token, "Erhverv", &[]).await;
    let permits = group(&app, &token, "Tilladelser", &[&building.id]).await;
    let shared = group(&app, &token, "Fælles", &[&building.id, &business.id]).await;
    let application = point(&app, &token, &point_body("Ansøgning", &[&permits.id])).await;
    let guidance = point(
        &app,
        &token,
        &point_body("Vejledning", &[&building.id, &business.id]),
    )
    .await;
    let bomb = point(&app, &token, &point_body("Bombe", &[&building.id])).await;
    let kept = point(&app, &token, &point_body("Fælles sag", &[&shared.id])).await;
    let base = format!("/api/v1/organisations/{AUTHORITY}");

    // The preview marks what lives on elsewhere.
    let preview: adgang_api_types::ContactGroupDeletion = app
        .get_json_as(
            &format!("{base}/contact-groups/{}/deletion-preview", building.id),
            &token,
        )
        .await;
    assert_eq!(
        (
            preview.groups_deleted,
            preview.points_deleted,
            preview.placements_removed
        ),
        (2, 2, 2)
    );
    let children: Vec<(&str, bool)> = preview
        .root
        .children
        .iter()
        .map(|c| (c.name.as_str(), c.also_elsewhere))
        .collect();
    assert_eq!(
        children,
        vec![
            ("Fælles", true),
            ("Tilladelser", false),
            ("Bombe", false),
            ("Vejledning", true)
        ]
    );
    assert_eq!(preview.root.children[1].children[0].name, "Ansøgning");

    // A fault half-way: nothing changes, not even the placements removed before it.
    let tree_before: Vec<ContactTreeNode> = app
        .get_json_as(&format!("{base}/contact-structure"), &token)
        .await;
    let log_before = actions_log::Entity::find()
        .all(&app.db().await)
        .await
        .unwrap()
        .len();
    inject_fault(&app, true).await;
    let failed = send(
        &app,
        "DELETE",
        &format!("{base}/contact-groups/{}", building.id),
        &token,
        None,
    )
    .await;
    assert_eq!(failed.status(), 500);
    let tree_after: Vec<ContactTreeNode> = app
        .get_json_as(&format!("{base}/contact-structure"), &token)
        .await;
    assert_eq!(tree_after, tree_before, "nothing applied");
    assert_eq!(
        actions_log::Entity::find()
            .all(&app.db().await)
            .await
            .unwrap()
            .len(),
        log_before
    );
    inject_fault(&app, false).await;

    // Without the fault it goes through.
    let done = send(
        &app,
        "DELETE",
        &format!("{base}/contact-groups/{}", building.id),
        &token,
        None,
    )
    .await;
    assert_eq!(done.status(), 200);
    for (id, kind) in [
        (&building.id, "contact-groups"),
        (&permits.id, "contact-groups"),
        (&application.id, "contact-points"),
        (&bomb.id, "contact-points"),
    ] {
        assert_eq!(
            app.get_as(&format!("{base}/{kind}/{id}"), &token)
                .await
                .status(),
            404,
            "{kind} {id} deleted"
        );
    }
    let still: ContactPoint = app
        .get_json_as(&format!("{base}/contact-points/{}", guidance.id), &token)
        .await;
    assert_eq!(
        still.group_ids,
        vec![business.id.clone()],
        "only the deleted placement went"
    );
    let shared_now: ContactGroup = app
        .get_json_as(&format!("{base}/contact-groups/{}", shared.id), &token)
        .await;
    assert_eq!(shared_now.parent_ids, vec![business.id.clone()]);
    let kept_now: ContactPoint = app
        .get_json_as(&format!("{base}/contact-points/{}", kept.id), &token)
        .await;
    assert_eq!(kept_now.group_ids, vec![shared.id.clone()]);

    // Every removed item and placement is logged.
    let rows = actions_log::Entity::find()
        .all(&app.db().await)
        .await
        .unwrap();
    let deleted: HashSet<String> = rows
        .iter()
        .filter(|r| r.event == "deleted")
        .filter_map(|r| r.object_id.clone())
        .collect();
    assert_eq!(
        deleted,
        HashSet::from([
            building.id.clone(),
            permits.id.clone(),
            application.id.clone(),
            bomb.id.clone()
        ])
    );
    assert!(rows
        .iter()
        .any(|r| r.object_id.as_deref() == Some(guidance.id.as_str())
            && r.field.as_deref() == Some("groupIds")
            && r.before.as_deref() == Some(building.id.as_str())));
    assert!(rows
        .iter()
        .any(|r| r.object_id.as_deref() == Some(shared.id.as_str())
            && r.field.as_deref() == Some("parentIds")
            && r.before.as_deref() == Some(building.id.as_str())));
}

#[tokio::test]
async fn cs_04_deep_links_per_audience_with_qr_codes() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let base = format!("/api/v1/organisations/{AUTHORITY}");
    let g = group(&app, &token, "Borgere", &[]).await;
    let sub = group(&app, &token, "Byggeri", &[&g.id]).await;
    let mut body = point_body("Byggesager", &[&sub.id]);
    body["audiences"] = json!(["citizens", "businesses"]);
    let p = point(&app, &token, &body).await;

    let links: Vec<adgang_api_types::DeepLink> = app
        .get_json_as(
            &format!("{base}/contact-points/{}/deep-links", p.id),
            &token,
        )
        .await;
    assert_eq!(links.len(), 2);
    assert!(
        links[0].url.starts_with("https://www.borger.dk/")
            && links[0].url.ends_with(&format!("kontaktpunkt={}", p.id))
    );
    assert!(links[1].url.starts_with("https://virk.dk/"));

    // The group has no usable point yet (not bound to a recipient system): no links.
    let none: Vec<adgang_api_types::DeepLink> = app
        .get_json_as(
            &format!("{base}/contact-groups/{}/deep-links", g.id),
            &token,
        )
        .await;
    assert!(none.is_empty());
    let missing = app
        .get_as(
            &format!("{base}/contact-groups/{}/qr-code?audience=citizens", g.id),
            &token,
        )
        .await;
    assert_eq!(missing.status(), 404);

    // Bound and active, the point lends the group (through its sub-group) both audiences.
    let system: SystemReceipt = send(&app, "POST", &format!("{base}/systems"), &token, Some(&json!({
        "name": "Modtager", "role": "recipient", "protocol": "rest_pull", "allowedIps": ["10.0.0.1"],
        "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    }))).await.json().await.unwrap();
    body["recipientSystemId"] = json!(system.system.id);
    assert_eq!(
        send(
            &app,
            "PUT",
            &format!("{base}/contact-points/{}", p.id),
            &token,
            Some(&body)
        )
        .await
        .status(),
        200
    );
    let group_links: Vec<adgang_api_types::DeepLink> = app
        .get_json_as(
            &format!("{base}/contact-groups/{}/deep-links", g.id),
            &token,
        )
        .await;
    assert_eq!(group_links.len(), 2);
    assert!(group_links[0]
        .url
        .ends_with(&format!("kontaktgruppe={}", g.id)));

    let svg = app
        .get_as(
            &format!("{base}/contact-groups/{}/qr-code?audience=businesses", g.id),
            &token,
        )
        .await;
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<svg"));
    let png = app
        .get_as(
            &format!(
                "{base}/contact-points/{}/qr-code?audience=citizens&format=png",
                p.id
            ),
            &token,
        )
        .await;
    assert_eq!(png.headers()["content-type"], "image/png");
    assert_eq!(&png.bytes().await.unwrap()[..4], b"\x89PNG");
}

#[tokio::test]
async fn cs_08_platforms_find_visible_usable_points_by_keyword_and_never_see_internal_notes() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let base = format!("/api/v1/organisations/{AUTHORITY}");
    let system: SystemReceipt = send(&app, "POST", &format!("{base}/systems"), &token, Some(&json!({
        "name": "Modtager", "role": "recipient", "protocol": "rest_pull", "allowedIps": ["10.0.0.1"],
        "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    }))).await.json().await.unwrap();
    let bound = |name: &str, keywords: Value, visible: bool, audiences: Value| {
        let mut body = point_body(name, &[]);
        body["keywords"] = keywords;
        body["visible"] = json!(visible);
        body["audiences"] = audiences;
        body["recipientSystemId"] = json!(system.system.id);
        body
    };
    point(
        &app,
        &token,
        &bound(
            "Byggesager",
            json!(["Byggetilladelse", "tilbygning"]),
            true,
            json!(["citizens"]),
        ),
    )
    .await;
    point(
        &app,
        &token,
        &bound(
            "Skjult punkt",
            json!(["byggeri"]),
            false,
            json!(["citizens"]),
        ),
    )
    .await;
    point(
        &app,
        &token,
        &bound(
            "Erhvervsbyggeri",
            json!(["byggeri"]),
            true,
            json!(["businesses"]),
        ),
    )
    .await;
    point(&app, &token, &point_body("Ikke bundet", &[])).await;
    group(&app, &token, "Teknik og Miljø", &[]).await;
    let unit = send(
        &app,
        "POST",
        &format!("{base}/contact-groups"),
        &token,
        Some(&json!({"name": "Borgerservice", "isOrganisationalUnit": true})),
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

#[tokio::test]
async fn cs_06_the_export_holds_every_group_and_point_with_ids_and_danish_letters() {
    use calamine::Reader;
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let base = format!("/api/v1/organisations/{AUTHORITY}");
    let top = group(&app, &token, "Børn og unge", &[]).await;
    let sub = group(&app, &token, "Skole", &[&top.id]).await;
    let mut body = point_body("Skoleindskrivning", &[&top.id, &sub.id]);
    body["inputFields"] = json!(["Barnets navn"]);
    body["codes"] = json!([{"kind": "location", "value": "0101"}]);
    body["externalLink"] = json!({"heading": "Læs mere", "description": "", "linkText": "Her", "url": "https://kommune.dk/skole"});
    let p = point(&app, &token, &body).await;

    let response = app
        .get_as(&format!("{base}/contact-structure/export"), &token)
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .ends_with(".xlsx\""));
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let rows = |book: &mut calamine::Xlsx<_>, sheet: &str| -> Vec<Vec<String>> {
        book.worksheet_range(sheet)
            .unwrap()
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    };
    let groups = rows(&mut book, "Kontaktgrupper");
    assert_eq!(
        groups[0],
        [
            "ID",
            "Navn",
            "Beskrivelse",
            "Organisatorisk enhed",
            "Overordnede grupper"
        ]
    );
    assert_eq!(groups.len(), 3);
    assert!(groups.contains(&vec![
        sub.id.clone(),
        "Skole".into(),
        String::new(),
        "Nej".into(),
        top.id.clone()
    ]));
    let points = rows(&mut book, "Kontaktpunkter");
    assert_eq!(points[0].len(), 19);
    let row = &points[1];
    assert_eq!(row[0], p.id);
    assert_eq!(row[1], "Skoleindskrivning");
    assert_eq!(row[3], "Kun til intern brug");
    let mut placed = vec![top.id.clone(), sub.id.clone()];
    placed.sort();
    assert_eq!(row[4], placed.join("; "));
    assert_eq!(row[6], "citizens");
    assert_eq!(row[9], "Læs mere");
    assert_eq!(row[13], "Barnets navn");
    assert_eq!(row[15], "byggetilladelse; Æblehave");
    assert_eq!(row[16], "location:0101");
    // Another organisation's export holds none of it.
    let other = app
        .get_as(
            &format!("/api/v1/organisations/{OTHER}/contact-structure/export"),
            &admin(&app, OTHER),
        )
        .await;
    let mut other_book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(other.bytes().await.unwrap().to_vec())).unwrap();
    assert_eq!(
        rows(&mut other_book, "Kontaktpunkter").len(),
        1,
        "headers only"
    );
}

// ---------------------------------------------------------------- CS-06 import

async fn recipient_system(app: &TestApp, cvr: &str, token: &str, name: &str) -> String {
    let receipt: SystemReceipt = send(app, "POST", &format!("/api/v1/organisations/{cvr}/systems"), token, Some(&json!({
        "name": name, "role": "recipient", "protocol": "rest_pull", "allowedIps": ["10.0.0.1"],
        "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    }))).await.json().await.unwrap();
    receipt.system.id
}

/// A workbook as sheets of text rows (header first).
type Book = Vec<(String, Vec<Vec<String>>)>;

async fn export(app: &TestApp, cvr: &str, token: &str) -> Book {
    let response = app
        .get_as(
            &format!("/api/v1/organisations/{cvr}/contact-structure/export"),
            token,
        )
        .await;
    assert_eq!(response.status(), 200);
    adgang_documents::xlsx::read_workbook(&response.bytes().await.unwrap())
        .unwrap()
        .into_iter()
        .map(|s| (s.name, s.rows))
        .collect()
}

fn xlsx(book: &Book) -> Vec<u8> {
    use adgang_documents::xlsx::{workbook, Sheet};
    let sheets: Vec<Sheet> = book
        .iter()
        .map(|(name, rows)| Sheet {
            name: name.clone(),
            headers: rows[0].clone(),
            rows: rows[1..].to_vec(),
        })
        .collect();
    workbook(&sheets).unwrap()
}

fn sheet<'a>(book: &'a mut Book, name: &str) -> &'a mut Vec<Vec<String>> {
    &mut book.iter_mut().find(|(n, _)| n == name).unwrap().1
}

async fn import(
    app: &TestApp,
    cvr: &str,
    token: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!(
            "/api/v1/organisations/{cvr}/contact-structure/import?dryRun={dry_run}"
        )))
        .bearer_auth(token)
        .header(
            "content-type",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        .body(bytes)
        .send()
        .await
        .unwrap()
}

async fn receipt(response: reqwest::Response) -> ContactImportReceipt {
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn action_rows(app: &TestApp, cvr: &str) -> usize {
    actions_log::Entity::find()
        .filter(actions_log::Column::OrganisationCvr.eq(cvr))
        .all(&app.db().await)
        .await
        .unwrap()
        .len()
}

/// Groups and points with every kind of column filled: two levels of groups, a point placed
/// twice with a link, input fields, codes and a recipient system, and a hidden one.
async fn rich_structure(app: &TestApp, token: &str) -> (ContactGroup, ContactGroup, ContactPoint) {
    let top = group(app, token, "Børn og unge", &[]).await;
    let sub = group(app, token, "Skole", &[&top.id]).await;
    let system = recipient_system(app, AUTHORITY, token, "Sagssystem").await;
    let mut body = point_body("Skoleindskrivning", &[&top.id, &sub.id]);
    body["inputFields"] = json!(["Barnets navn", "Skole"]);
    body["codes"] = json!([{"kind": "location", "value": "0101"}, {"kind": "classification", "value": "17.01.00"}]);
    body["externalLink"] = json!({"heading": "Læs mere", "description": "Om skolestart", "linkText": "Her", "url": "https://kommune.dk/skole"});
    body["audiences"] = json!(["citizens", "businesses"]);
    body["capacity"] = json!({"maxMessageSizeBytes": 5_000_000, "maxAttachments": 3});
    body["recipientSystemId"] = json!(system);
    let p = point(app, token, &body).await;
    let mut hidden = point_body("Klager", &[]);
    hidden["visible"] = json!(false);
    hidden["active"] = json!(false);
    point(app, token, &hidden).await;
    (top, sub, p)
}

#[tokio::test]
async fn cs_06_importing_an_unchanged_export_changes_nothing() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let (_, _, p) = rich_structure(&app, &token).await;
    let book = export(&app, AUTHORITY, &token).await;
    let logged = action_rows(&app, AUTHORITY).await;

    let checked = receipt(import(&app, AUTHORITY, &token, xlsx(&book), true).await).await;
    let applied = receipt(import(&app, AUTHORITY, &token, xlsx(&book), false).await).await;
    for (receipt, applied_flag) in [(checked, false), (applied, true)] {
        assert_eq!(
            receipt,
            ContactImportReceipt {
                applied: applied_flag,
                groups_unchanged: 2,
                points_unchanged: 2,
                ..Default::default()
            }
        );
    }
    assert_eq!(action_rows(&app, AUTHORITY).await, logged, "no audit rows");
    let after: ContactPoint = app
        .get_json_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-points/{}", p.id),
            &token,
        )
        .await;
    assert_eq!(after, p, "not even updatedAt moved");
    assert_eq!(export(&app, AUTHORITY, &token).await, book);
}

#[tokio::test]
async fn cs_06_edited_rows_update_and_rows_without_id_are_created() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let (top, _, p) = rich_structure(&app, &token).await;
    let mut book = export(&app, AUTHORITY, &token).await;
    let groups = sheet(&mut book, "Kontaktgrupper");
    groups.push(vec![
        String::new(),
        "Dagtilbud".into(),
        "Vuggestuer og børnehaver".into(),
        "Ja".into(),
        "børn og unge".into(), // a parent by name, any letter case
    ]);
    let points = sheet(&mut book, "Kontaktpunkter");
    let row = points.iter_mut().find(|r| r[0] == p.id).unwrap();
    row[1] = "Skolestart".into();
    row[15] = "skolestart; indskrivning".into();
    let mut new_point = vec![String::new(); 19];
    new_point[1] = "Pladsanvisning".into();
    new_point[4] = "Dagtilbud".into(); // the new group, by name
    new_point[5] = "Ja".into();
    new_point[6] = "borgere".into();
    new_point[15] = "vuggestue; børnehave".into();
    new_point[17] = "Sagssystem".into(); // the recipient system by name
    new_point[18] = "Ja".into();
    points.push(new_point);

    let logged = action_rows(&app, AUTHORITY).await;
    let dry = receipt(import(&app, AUTHORITY, &token, xlsx(&book), true).await).await;
    assert_eq!(
        action_rows(&app, AUTHORITY).await,
        logged,
        "a dry run writes nothing"
    );
    let done = receipt(import(&app, AUTHORITY, &token, xlsx(&book), false).await).await;
    assert_eq!(
        dry,
        ContactImportReceipt {
            applied: false,
            ..done
        }
    );
    assert_eq!(
        done,
        ContactImportReceipt {
            applied: true,
            groups_created: 1,
            groups_unchanged: 2,
            points_created: 1,
            points_updated: 1,
            points_unchanged: 1,
            ..Default::default()
        }
    );
    let edited: ContactPoint = app
        .get_json_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-points/{}", p.id),
            &token,
        )
        .await;
    assert_eq!(edited.name, "Skolestart");
    assert_eq!(edited.keywords, ["skolestart", "indskrivning"]);
    assert_eq!(edited.codes, p.codes, "untouched columns keep their values");
    // The new group sits under "Børn og unge" and holds the new, usable point.
    let tree: Vec<ContactTreeNode> = app
        .get_json_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-structure"),
            &token,
        )
        .await;
    let top_node = tree.iter().find(|n| n.id == top.id).unwrap();
    let daycare = top_node
        .children
        .iter()
        .find(|n| n.name == "Dagtilbud")
        .expect("new group under its parent");
    assert_eq!(daycare.children.len(), 1);
    assert_eq!(daycare.children[0].name, "Pladsanvisning");
    assert!(daycare.children[0].usable, "bound by the system's name");
    // Field-level audit rows: the edit's name change, and the creations.
    let db = app.db().await;
    let rows = actions_log::Entity::find()
        .filter(actions_log::Column::OrganisationCvr.eq(AUTHORITY))
        .filter(actions_log::Column::ObjectId.eq(p.id.as_str()))
        .filter(actions_log::Column::Field.eq("name"))
        .all(&db)
        .await
        .unwrap();
    assert!(rows
        .iter()
        .any(|r| r.before.as_deref() == Some("Skoleindskrivning")
            && r.after.as_deref() == Some("Skolestart")));
    assert!(action_rows(&app, AUTHORITY).await > logged);
}

#[tokio::test]
async fn cs_06_a_workbook_from_another_organisation_recreates_the_structure_with_new_ids() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let (top, sub, p) = rich_structure(&app, &token).await;
    let mut book = export(&app, AUTHORITY, &token).await;
    let other = admin(&app, OTHER);
    recipient_system(&app, OTHER, &other, "Produktionens sagssystem").await;

    // The test environment's recipient system does not exist here: named by its cell.
    let refused = import(&app, OTHER, &other, xlsx(&book), false).await;
    assert_eq!(refused.status(), 400);
    let problem: Problem = refused.json().await.unwrap();
    let skole_row = sheet(&mut book, "Kontaktpunkter")
        .iter()
        .position(|r| r[0] == p.id)
        .unwrap()
        + 1;
    assert_eq!(
        codes(&problem),
        vec![(
            format!("Kontaktpunkter!R{skole_row}"),
            "not_a_recipient_system".to_owned()
        )]
    );
    let empty: Vec<ContactTreeNode> = app
        .get_json_as(
            &format!("/api/v1/organisations/{OTHER}/contact-structure"),
            &other,
        )
        .await;
    assert!(empty.is_empty(), "nothing applied");

    // Named after production's system, the same workbook goes in.
    sheet(&mut book, "Kontaktpunkter")[skole_row - 1][17] = "Produktionens sagssystem".into();
    let done = receipt(import(&app, OTHER, &other, xlsx(&book), false).await).await;
    assert_eq!((done.groups_created, done.points_created), (2, 2));
    let copy = export(&app, OTHER, &other).await;
    let theirs = sheet(&mut book.clone(), "Kontaktgrupper").clone();
    let mine = copy
        .iter()
        .find(|(n, _)| n == "Kontaktgrupper")
        .unwrap()
        .1
        .clone();
    let new_top = mine.iter().find(|r| r[1] == "Børn og unge").unwrap();
    let new_sub = mine.iter().find(|r| r[1] == "Skole").unwrap();
    assert_ne!(new_top[0], top.id);
    assert_ne!(new_sub[0], sub.id);
    assert_eq!(
        new_sub[4], new_top[0],
        "the hierarchy is rebuilt with the new ids"
    );
    assert_eq!(theirs.len(), mine.len());
    let copied_points = &copy.iter().find(|(n, _)| n == "Kontaktpunkter").unwrap().1;
    let skole = copied_points
        .iter()
        .find(|r| r[1] == "Skoleindskrivning")
        .unwrap();
    assert_ne!(skole[0], p.id);
    let mut placed = vec![new_top[0].clone(), new_sub[0].clone()];
    placed.sort();
    assert_eq!(skole[4], placed.join("; "));
    assert_eq!(skole[16], "location:0101; classification:17.01.00");
    // The source organisation is untouched.
    let source: ContactPoint = app
        .get_json_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-points/{}", p.id),
            &token,
        )
        .await;
    assert_eq!(source, p);
}

#[tokio::test]
async fn cs_06_a_bad_workbook_is_refused_by_cell_and_nothing_is_applied() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let (_, _, p) = rich_structure(&app, &token).await;
    let book = export(&app, AUTHORITY, &token).await;
    let logged = action_rows(&app, AUTHORITY).await;
    let refused = |response: reqwest::Response| async move {
        assert_eq!(response.status(), 400);
        codes(&response.json::<Problem>().await.unwrap())
    };

    // Not a workbook at all.
    assert_eq!(
        refused(import(&app, AUTHORITY, &token, b"ID;Navn\n".to_vec(), false).await).await,
        vec![("file".to_owned(), "not_a_workbook".to_owned())]
    );
    // The points sheet renamed.
    let mut renamed = book.clone();
    renamed[1].0 = "Punkter".into();
    assert_eq!(
        refused(import(&app, AUTHORITY, &token, xlsx(&renamed), false).await).await,
        vec![("Kontaktpunkter".to_owned(), "missing_sheet".to_owned())]
    );
    // A column removed.
    let mut narrowed = book.clone();
    for row in sheet(&mut narrowed, "Kontaktpunkter") {
        row.remove(15);
    }
    assert_eq!(
        refused(import(&app, AUTHORITY, &token, xlsx(&narrowed), false).await).await,
        vec![(
            "Kontaktpunkter!Søgeord".to_owned(),
            "missing_column".to_owned()
        )]
    );
    // Good edits mixed with bad cells: every bad cell is named, nothing is applied.
    let mut edited = book.clone();
    sheet(&mut edited, "Kontaktgrupper").push(vec![
        String::new(),
        "Ny gruppe".into(),
        String::new(),
        "Måske".into(),
        String::new(),
    ]);
    let points = sheet(&mut edited, "Kontaktpunkter");
    let at = points.iter().position(|r| r[0] == p.id).unwrap();
    points[at][1] = "Nyt navn".into();
    points[at][15] = "skole; pas!".into();
    points[at][8] = "11".into();
    let other = if at == 1 { 2 } else { 1 };
    points[other][1] = "æ".repeat(51);
    points[other][12] = "http://kommune.dk".into();
    let row = at + 1;
    let other_row = other + 1;
    let mut expected = vec![
        ("Kontaktgrupper!D4".to_owned(), "invalid_yes_no".to_owned()),
        (
            format!("Kontaktpunkter!B{other_row}"),
            "too_long".to_owned(),
        ),
        (
            format!("Kontaktpunkter!J{other_row}"),
            "required".to_owned(),
        ),
        (
            format!("Kontaktpunkter!L{other_row}"),
            "required".to_owned(),
        ),
        (
            format!("Kontaktpunkter!M{other_row}"),
            "https_required".to_owned(),
        ),
        (format!("Kontaktpunkter!I{row}"), "above_maximum".to_owned()),
        (
            format!("Kontaktpunkter!P{row}"),
            "invalid_keyword".to_owned(),
        ),
    ];
    expected.sort();
    let mut got = refused(import(&app, AUTHORITY, &token, xlsx(&edited), false).await).await;
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(action_rows(&app, AUTHORITY).await, logged);
    assert_eq!(
        export(&app, AUTHORITY, &token).await,
        book,
        "nothing applied"
    );
}

#[tokio::test]
async fn cs_05_the_point_receipt_holds_every_setting_the_deep_links_and_their_qr_codes() {
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let (_, _, p) = rich_structure(&app, &token).await;
    // The wizard's choice of recipient systems: only those that receive, for contact_admin.
    let contact_admin_only =
        app.token(&user(AUTHORITY, OrgKind::Authority, &[Right::ContactAdmin]));
    let sender = send(&app, "POST", &format!("/api/v1/organisations/{AUTHORITY}/systems"), &token, Some(&json!({
        "name": "Afsender", "role": "sender", "protocol": "rest_pull", "allowedIps": ["10.0.0.1"],
        "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    }))).await;
    assert_eq!(sender.status(), 201, "{}", sender.text().await.unwrap());
    let choices: Vec<adgang_api_types::RecipientSystemChoice> = app
        .get_json_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-structure/recipient-systems"),
            &contact_admin_only,
        )
        .await;
    assert_eq!(
        choices.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["Sagssystem"]
    );
    assert_eq!(Some(&choices[0].id), p.recipient_system_id.as_ref());
    let response = app
        .get_as(
            &format!(
                "/api/v1/organisations/{AUTHORITY}/contact-points/{}/receipt",
                p.id
            ),
            &token,
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let pdf = response.bytes().await.unwrap().to_vec();
    let text = adgang_documents::pdf::extract_text(&pdf).unwrap();
    for expected in [
        "Kvittering for oprettelse af kontaktpunkt",
        p.id.as_str(),
        "Skoleindskrivning",
        "Børn og unge, Skole",
        "Sagssystem",
        "4,8 MB",
        "Læs mere",
        "byggetilladelse, Æblehave",
        "Lokation: 0101",
        "QR-kode – Borgere (borger.dk)",
        "QR-kode – Virksomheder (Virk)",
    ] {
        assert!(text.contains(expected), "{expected} missing in:\n{text}");
    }
    // Long links wrap over lines in the PDF; joined they are whole.
    let joined = text.replace('\n', "");
    for link in [
        format!(
            "https://www.borger.dk/mit-overblik/digital-post/skriv?kontaktpunkt={}",
            p.id
        ),
        format!("https://virk.dk/digital-post/skriv?kontaktpunkt={}", p.id),
    ] {
        assert!(joined.contains(&link), "{link} missing");
    }
}

/// Every name in the tree, depth first.
async fn tree_names(app: &TestApp, token: &str) -> Vec<String> {
    fn walk(nodes: &[ContactTreeNode], out: &mut Vec<String>) {
        for n in nodes {
            out.push(n.name.clone());
            walk(&n.children, out);
        }
    }
    let tree: Vec<ContactTreeNode> = app
        .get_json_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-structure"),
            token,
        )
        .await;
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
    let app = app().await;
    let token = admin(&app, AUTHORITY);
    let base = format!("/api/v1/organisations/{AUTHORITY}");
    let (top, _, p) = rich_structure(&app, &token).await;
    // Read once so both are held in memory, then change things and read again.
    assert!(tree_names(&app, &token)
        .await
        .contains(&"Skoleindskrivning".to_owned()));
    assert_eq!(
        platform_names(&app, "byggetil").await,
        ["Skoleindskrivning"]
    );

    let mut body = point_body("Skolestart", &[&top.id]);
    body["recipientSystemId"] = json!(p.recipient_system_id);
    let renamed = send(
        &app,
        "PUT",
        &format!("{base}/contact-points/{}", p.id),
        &token,
        Some(&body),
    )
    .await;
    assert_eq!(renamed.status(), 200);
    assert!(tree_names(&app, &token)
        .await
        .contains(&"Skolestart".to_owned()));
    assert_eq!(platform_names(&app, "byggetil").await, ["Skolestart"]);

    group(&app, &token, "Ny gruppe", &[]).await;
    assert!(tree_names(&app, &token)
        .await
        .contains(&"Ny gruppe".to_owned()));

    let mut book = export(&app, AUTHORITY, &token).await;
    let row = sheet(&mut book, "Kontaktpunkter")
        .iter()
        .position(|r| r[0] == p.id)
        .unwrap();
    sheet(&mut book, "Kontaktpunkter")[row][1] = "Indskrivning".into();
    receipt(import(&app, AUTHORITY, &token, xlsx(&book), false).await).await;
    assert!(tree_names(&app, &token)
        .await
        .contains(&"Indskrivning".to_owned()));
    assert_eq!(platform_names(&app, "indskriv").await, ["Indskrivning"]);

    let deleted = send(
        &app,
        "DELETE",
        &format!("{base}/contact-points/{}", p.id),
        &token,
        None,
    )
    .await;
    assert_eq!(deleted.status(), 204);
    assert!(!tree_names(&app, &token)
        .await
        .contains(&"Indskrivning".to_owned()));
    assert!(platform_names(&app, "indskriv").await.is_empty());

    let gone = send(
        &app,
        "DELETE",
        &format!("{base}/contact-groups/{}", top.id),
        &token,
        None,
    )
    .await;
    assert_eq!(gone.status(), 200);
    assert!(!tree_names(&app, &token)
        .await
        .contains(&"Børn og unge".to_owned()));
}
