//! CS-03: deleting a group with its preview, all or nothing.

use super::*;

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
    let (app, token) = app_and_admin().await;
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
    let log_before = app.rows(actions_log::Entity::find()).await.len();
    inject_fault(&app, true).await;
    let failed = app
        .delete_as(&format!("{base}/contact-groups/{}", building.id), &token)
        .await;
    assert_eq!(failed.status(), 500);
    let tree_after: Vec<ContactTreeNode> = app
        .get_json_as(&format!("{base}/contact-structure"), &token)
        .await;
    assert_eq!(tree_after, tree_before, "nothing applied");
    assert_eq!(
        app.rows(actions_log::Entity::find()).await.len(),
        log_before
    );
    inject_fault(&app, false).await;

    // Without the fault it goes through.
    let done = app
        .delete_as(&format!("{base}/contact-groups/{}", building.id), &token)
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
    let rows = app.rows(actions_log::Entity::find()).await;
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
