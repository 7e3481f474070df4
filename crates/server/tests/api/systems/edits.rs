//! The primary and company rules (SYS-07, SYS-08), edits field by field (SYS-12, SYS-13) and
//! API keys (SYS-04).

use super::*;

#[tokio::test]
async fn sys_07_first_recipient_is_primary_and_the_primary_can_be_switched_but_not_deleted() {
    let (app, token) = app_and_north_admin().await;
    let first = north_push_system(&app, &token, "Første").await;
    let second = north_push_system(&app, &token, "Anden").await;
    assert!(first.is_primary && !second.is_primary);

    let deleting_primary = app.delete_as(&system_path(NORTH, &first.id), &token).await;
    assert_eq!(deleting_primary.status(), 409);
    let problem: adgang_api_types::Problem = deleting_primary.json().await.unwrap();
    assert_eq!(
        problem.reason,
        Some(adgang_api_types::ConflictReason::PrimaryWithOtherRecipientSystems)
    );
    assert!(problem.items.is_empty());
    assert_eq!(system_count(&app).await, 2);

    let switched = make_primary(&app, &token, &second.id).await;
    assert_eq!(switched.status(), 200);
    let page: Page<SystemSummary> = app
        .get_json_as(&format!("/api/v1/organisations/{NORTH}/systems"), &token)
        .await;
    let primaries: Vec<&str> = page
        .items
        .iter()
        .filter(|s| s.is_primary)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(primaries, vec!["Anden"], "exactly one primary");
    // Both flags changed are logged.
    let first_rows = log_rows(&app, &first.id).await;
    assert!(first_rows
        .iter()
        .any(|r| r.field.as_deref() == Some("isPrimary") && r.after.as_deref() == Some("false")));
    let second_rows = log_rows(&app, &second.id).await;
    assert!(second_rows
        .iter()
        .any(|r| r.field.as_deref() == Some("isPrimary") && r.after.as_deref() == Some("true")));

    // The old primary can go now; then the last one can too.
    for id in [&first.id, &second.id] {
        let deleted = app.delete_as(&system_path(NORTH, id), &token).await;
        assert_eq!(deleted.status(), 204);
    }
    assert_eq!(system_count(&app).await, 0);
    // A sender system cannot be primary.
    let sender = created(&app, NORTH, &token, &json!({
        "name": "Afsender", "role": "sender", "protocol": "rest_pull", "allowedIps": ["10.0.0.9"],
        "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    })).await.system;
    let refused = make_primary(&app, &token, &sender.id).await;
    assert_eq!(refused.status(), 400);
}

#[tokio::test]
async fn sys_08_a_company_gets_one_recipient_system() {
    let app = app_with_organisations().await;
    let token = admin(&app, COMPANY, OrgKind::Company);
    created(&app, COMPANY, &token, &recipient_push("Modtager")).await;
    let second = create(&app, COMPANY, &token, &recipient_push("Modtager 2")).await;
    assert_eq!(second.status(), 400);
    assert_codes(second, &[("role", "company_one_recipient_system")]).await;
    // Sender systems are not limited.
    for name in ["Afsender 1", "Afsender 2"] {
        created(&app, COMPANY, &token, &json!({
            "name": name, "role": "sender", "protocol": "rest_pull", "allowedIps": ["10.0.0.9"],
            "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
        })).await;
    }
    assert_eq!(system_count(&app).await, 3);
}

#[tokio::test]
async fn sys_12_13_edits_follow_the_rules_and_are_logged_field_by_field() {
    let (app, token) = app_and_north_admin().await;
    let system = north_push_system(&app, &token, "Sagssystem").await;
    assert_eq!(system.status, SystemStatus::Active);
    let path = system_path(NORTH, &system.id);

    // Created: one row per field set, nothing before.
    let rows = log_rows(&app, &system.id).await;
    assert!(rows
        .iter()
        .all(|r| r.event == "created" && r.before.is_none() && r.subject == "system_connection"));
    assert!(rows.iter().any(|r| r.field.as_deref() == Some("endpoint")
        && r.after.as_deref() == Some("https://sag.kommune.dk/digitalpost")));

    // Protocol and activation are locked while active.
    let mut update = recipient_push("Sagssystem");
    update["protocol"] = json!("rest_publish_subscribe");
    let locked = app.put_as(&path, &token, &update).await;
    assert_eq!(locked.status(), 400);
    assert_codes(
        locked,
        &[
            ("activation", "locked_while_active"),
            ("protocol", "locked_while_active"),
        ],
    )
    .await;

    // A name and endpoint change: exactly two edited rows with before and after.
    let mut update = recipient_push("Sagssystem Ærø");
    update.as_object_mut().unwrap().remove("activation");
    update["endpoint"] = json!("https://ny.kommune.dk/dp");
    let saved = app.put_as(&path, &token, &update).await;
    assert_eq!(saved.status(), 200);
    let edited: Vec<(String, Option<String>, Option<String>)> = log_rows(&app, &system.id)
        .await
        .into_iter()
        .filter(|r| r.event == "edited")
        .map(|r| (r.field.unwrap_or_default(), r.before, r.after))
        .collect();
    assert_eq!(edited.len(), 2, "{edited:?}");
    assert!(edited.contains(&(
        "name".into(),
        Some("Sagssystem".into()),
        Some("Sagssystem Ærø".into())
    )));
    assert!(edited.contains(&(
        "endpoint".into(),
        Some("https://sag.kommune.dk/digitalpost".into()),
        Some("https://ny.kommune.dk/dp".into())
    )));
    // Saving the same again changes and logs nothing.
    app.put_as(&path, &token, &update).await;
    assert_eq!(
        log_rows(&app, &system.id)
            .await
            .iter()
            .filter(|r| r.event == "edited")
            .count(),
        2
    );

    // While active, the deactivation time can still be set (activation itself stays).
    update["deactivateAt"] = json!("2031-01-01T00:00:00Z");
    let scheduled_end: SystemReceipt = app.send_ok("PUT", &path, &token, &update).await;
    assert_eq!(scheduled_end.system.active_from, system.active_from);
    assert_eq!(
        scheduled_end.system.active_to.unwrap().to_rfc3339(),
        "2031-01-01T00:00:00+00:00"
    );
    assert_eq!(scheduled_end.system.status, SystemStatus::Active);

    // Deleting logs the removed values.
    assert_eq!(app.delete_as(&path, &token).await.status(), 204);
    let deleted: Vec<_> = log_rows(&app, &system.id)
        .await
        .into_iter()
        .filter(|r| r.event == "deleted")
        .collect();
    assert!(deleted.iter().any(|r| r.field.as_deref() == Some("name")
        && r.before.as_deref() == Some("Sagssystem Ærø")
        && r.after.is_none()));
}

#[tokio::test]
async fn sys_04_api_keys_are_sealed_revealed_with_a_log_row_and_rotated() {
    let (app, token) = app_and_north_admin().await;
    let receipt = north_vendor_system(&app, &token, "Leverandørstyret").await;
    let key = receipt.api_key.expect("an API key for the vendor");
    assert!(receipt.system.has_api_key);
    assert_eq!(receipt.system.vendor_cvr.as_deref(), Some(VENDOR));

    // Stored sealed, never in clear, never in the log.
    let stored = system_entity::Entity::find_by_id(&receipt.system.id)
        .one(&app.db().await)
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.api_key_sealed.unwrap().contains(&key));
    let key_path = format!("{}/api-key", system_path(NORTH, &receipt.system.id));
    let revealed: ApiKey = app.get_json_as(&key_path, &token).await;
    assert_eq!(revealed.api_key, key);
    let rows = log_rows(&app, &receipt.system.id).await;
    assert_eq!(
        rows.iter()
            .filter(|r| r.field.as_deref() == Some("apiKeyShown"))
            .count(),
        1
    );
    assert!(rows
        .iter()
        .all(|r| r.after.as_deref() != Some(key.as_str())));

    let rotated: ApiKey = app
        .send("POST", &format!("{key_path}/rotation"), &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(rotated.api_key, key);
    let again: ApiKey = app.get_json_as(&key_path, &token).await;
    assert_eq!(again.api_key, rotated.api_key);

    // A system without a vendor has no key.
    let plain = created(&app, NORTH, &token, &recipient_push("Uden fuldmagt")).await;
    assert!(plain.api_key.is_none());
    let none = app
        .get_as(
            &format!("{}/api-key", system_path(NORTH, &plain.system.id)),
            &token,
        )
        .await;
    assert_eq!(none.status(), 404);
}
