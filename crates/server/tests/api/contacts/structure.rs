//! CS-01 limits and cycles, CS-02 the tree, CS-07 audit rows, tenant isolation, SYS-12 bound points.

use super::*;
use adgang_test_support::assert_has_field_error;

#[tokio::test]
async fn cs_01_every_limit_gives_its_field_error_and_writes_nothing() {
    let (app, token) = app_and_admin().await;
    // A recipient system of another organisation.
    let other_system_id = recipient_system(&app, OTHER, &admin(&app, OTHER), "Andens system").await;
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
            // Issue 33 item 7: §6.3 step 2 asks for a description citizens choose by.
            "no description",
            json!({"description": "  "}),
            ("description", "required"),
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
            json!({"recipientSystemId": other_system_id}),
            ("recipientSystemId", "not_a_recipient_system"),
        ),
    ];
    for (case, patch, (field, code)) in cases {
        let mut body = point_body("Byggesager", &[]);
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let response = app
            .post_as(
                &format!("/api/v1/organisations/{AUTHORITY}/contact-points"),
                &token,
                &body,
            )
            .await;
        assert_has_field_error(response, case, field, code).await;
    }
    let tree = contact_tree(&app, AUTHORITY, &token).await;
    assert!(tree.is_empty(), "nothing was created");
    let rows = app
        .rows(
            actions_log::Entity::find().filter(actions_log::Column::OrganisationCvr.eq(AUTHORITY)),
        )
        .await;
    assert!(rows.is_empty());
}

#[tokio::test]
async fn cs_01_groups_refuse_cycles() {
    let (app, token) = app_and_admin().await;
    let top = group(&app, &token, "Borgerservice", &[]).await;
    let middle = group(&app, &token, "Byggeri", &[&top.id]).await;
    let bottom = group(&app, &token, "Tilladelser", &[&middle.id]).await;
    // Putting the top under the bottom would close a loop.
    let response = put_group(&app, &token, &top.id, "Borgerservice", &[&bottom.id]).await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        field_codes(&response.json().await.unwrap()),
        vec![("parentIds[0]".to_owned(), "cycle".to_owned())]
    );
    let itself = put_group(&app, &token, &top.id, "Borgerservice", &[&top.id]).await;
    assert_eq!(itself.status(), 400);
    // A legal move is fine and logged with before and after.
    let moved = put_group(&app, &token, &bottom.id, "Tilladelser", &[&top.id]).await;
    assert_eq!(moved.status(), 200);
    let rows = app
        .rows(
            actions_log::Entity::find()
                .filter(actions_log::Column::ObjectId.eq(bottom.id.as_str()))
                .filter(actions_log::Column::Event.eq("edited")),
        )
        .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].field.as_deref(), Some("parentIds"));
    assert_eq!(rows[0].before.as_deref(), Some(middle.id.as_str()));
    assert_eq!(rows[0].after.as_deref(), Some(top.id.as_str()));
}

#[tokio::test]
async fn cs_02_the_tree_holds_everything_with_duplicates_marked() {
    let (app, token) = app_and_admin().await;
    let citizens = group(&app, &token, "Borgere", &[]).await;
    let building = group(&app, &token, "Byggeri", &[&citizens.id]).await;
    let business = group(&app, &token, "Erhverv", &[]).await;
    // A recipient system makes points usable.
    let system_id = recipient_system(&app, AUTHORITY, &token, "Modtager").await;
    let mut both = point_body("Byggetilladelse", &[&building.id, &business.id]);
    both["recipientSystemId"] = json!(system_id);
    let duplicated = point(&app, &token, &both).await;
    assert!(duplicated.usable);
    let top_level = point(&app, &token, &point_body("Generelt", &[])).await;
    assert!(!top_level.usable, "not bound to a recipient system");

    let tree = contact_tree(&app, AUTHORITY, &token).await;
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
    let (app, token) = app_and_admin().await;
    let created = point(&app, &token, &point_body("Byggesager", &[])).await;
    let path = format!(
        "/api/v1/organisations/{AUTHORITY}/contact-points/{}",
        created.id
    );
    let mut body = point_body("Byggesager", &[]);
    body["keywords"] = json!(["byggetilladelse", "tilbygning"]);
    body["visible"] = json!(false);
    assert_eq!(app.put_as(&path, &token, &body).await.status(), 200);
    let about = actions_log::Column::ObjectId.eq(created.id.as_str());
    let rows = app.rows(actions_log::Entity::find().filter(about)).await;
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
    assert_eq!(app.delete_as(&path, &token).await.status(), 204);
    assert_eq!(app.get_as(&path, &token).await.status(), 404);
}

#[tokio::test]
async fn x_04_a_dry_run_checks_a_point_as_create_and_update_would_and_writes_nothing() {
    let (app, token) = app_and_admin().await;
    let points = format!("/api/v1/organisations/{AUTHORITY}/contact-points");
    let ok = app
        .post_as(
            &format!("{points}?dryRun=true"),
            &token,
            &point_body("Byggesager", &[]),
        )
        .await;
    assert_eq!(ok.status(), 204, "{}", ok.text().await.unwrap());
    assert_eq!(
        action_rows(&app, AUTHORITY).await,
        0,
        "nothing created or logged"
    );
    let tree = contact_tree(&app, AUTHORITY, &token).await;
    assert!(tree.is_empty(), "{tree:?}");

    // Every error of the body at once, list entries by position; unknown groups are found too.
    let mut bad = point_body("", &["no-such-group"]);
    bad["keywords"] = json!(["ok", "x".repeat(200)]);
    let refused = app
        .post_as(&format!("{points}?dryRun=true"), &token, &bad)
        .await;
    assert_eq!(refused.status(), 400);
    let mut codes = field_codes(&refused.json::<Problem>().await.unwrap());
    codes.sort();
    assert_eq!(
        codes,
        vec![
            ("groupIds[0]".to_owned(), "unknown_group".to_owned()),
            ("keywords[1]".to_owned(), "too_long".to_owned()),
            ("name".to_owned(), "required".to_owned()),
        ]
    );

    // PUT with dryRun: the point must exist here; a valid change is not saved.
    let saved = point(&app, &token, &point_body("Byggesager", &[])).await;
    let logged = action_rows(&app, AUTHORITY).await;
    let one = format!("{points}/{}", saved.id);
    let renamed = point_body("Byggeri og miljø", &[]);
    let checked = app
        .put_as(&format!("{one}?dryRun=true"), &token, &renamed)
        .await;
    assert_eq!(checked.status(), 204, "{}", checked.text().await.unwrap());
    let still: ContactPoint = app.get_json_as(&one, &token).await;
    assert_eq!(still.name, "Byggesager");
    assert_eq!(
        action_rows(&app, AUTHORITY).await,
        logged,
        "the dry run logs nothing"
    );
    let missing = app
        .put_as(
            &format!("{points}/no-such-point?dryRun=true"),
            &token,
            &renamed,
        )
        .await;
    assert_eq!(missing.status(), 404);
    // Another organisation's point does not exist for this one, dry run or not.
    let other = app
        .put_as(
            &format!(
                "/api/v1/organisations/{OTHER}/contact-points/{}?dryRun=true",
                saved.id
            ),
            &admin(&app, OTHER),
            &renamed,
        )
        .await;
    assert_eq!(other.status(), 404);
}

#[tokio::test]
async fn cs_tenant_isolation_and_companies() {
    let (app, token) = app_and_admin().await;
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
        let status = app
            .send(method, &path, &stranger, Some(&body))
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
    let refused = app
        .post_as(&format!("{own}/contact-points"), &stranger, &foreign)
        .await;
    assert_eq!(
        field_codes(&refused.json().await.unwrap()),
        vec![("groupIds[0]".to_owned(), "unknown_group".to_owned())]
    );
    let tree: Vec<ContactTreeNode> = app
        .get_json_as(&format!("{own}/contact-structure"), &stranger)
        .await;
    assert!(tree.is_empty());
    // Companies have no contact structure.
    let company = app.token_for(COMPANY, OrgKind::Company, &[Right::ContactAdmin]);
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
    let (app, token) = app_and_admin().await;
    let system_id = recipient_system(&app, AUTHORITY, &token, "Modtager").await;
    let mut body = point_body("Byggesager", &[]);
    body["recipientSystemId"] = json!(system_id);
    point(&app, &token, &body).await;
    let refused = app
        .delete_as(
            &format!("/api/v1/organisations/{AUTHORITY}/systems/{system_id}"),
            &token,
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
            &format!("/api/v1/organisations/{AUTHORITY}/systems/{system_id}"),
            &token,
        )
        .await;
    assert_eq!(still.name, "Modtager");
}

#[tokio::test]
async fn sys_12_a_recipient_system_with_bound_contact_points_cannot_become_a_sender() {
    let (app, token) = app_and_admin().await;
    let systems = format!("/api/v1/organisations/{AUTHORITY}/systems");
    let mut system = json!({
        "name": "Modtager", "role": "recipient", "protocol": "rest_pull", "allowedIps": ["10.0.0.1"],
        "activation": {"mode": "none"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    });
    let receipt: SystemReceipt = app.send_ok("POST", &systems, &token, &system).await;
    let path = format!("{systems}/{}", receipt.system.id);
    let mut body = point_body("Byggesager", &[]);
    body["recipientSystemId"] = json!(receipt.system.id);
    point(&app, &token, &body).await;

    system["role"] = json!("sender");
    let refused = app.put_as(&path, &token, &system).await;
    assert_eq!(refused.status(), 400);
    let problem: Problem = refused.json().await.unwrap();
    assert_eq!(
        field_codes(&problem),
        [("role".to_owned(), "has_bound_contact_points".to_owned())]
    );
    assert!(problem.errors[0].message.contains("Byggesager"));
    let still: adgang_api_types::System = app.get_json_as(&path, &token).await;
    assert_eq!(still.role, adgang_api_types::SystemRole::Recipient);

    // Once the point is bound elsewhere (here: to nothing), the role may change.
    let point_id = app
        .get_json_as::<Vec<ContactTreeNode>>(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-structure"),
            &token,
        )
        .await[0]
        .id
        .clone();
    body["recipientSystemId"] = json!(null);
    let unbound = app
        .put_as(
            &format!("/api/v1/organisations/{AUTHORITY}/contact-points/{point_id}"),
            &token,
            &body,
        )
        .await;
    assert_eq!(unbound.status(), 200);
    let changed = app.put_as(&path, &token, &system).await;
    assert_eq!(changed.status(), 200, "{}", changed.text().await.unwrap());
}
