//! Vendors' standard systems (SYS-09): locked settings, the vendor's edits and withdrawal.

use super::*;

#[tokio::test]
async fn sys_09_a_system_from_a_standard_system_keeps_the_vendors_settings_locked() {
    let app = app_with_organisations().await;
    let vendor = admin(&app, VENDOR, OrgKind::Company);
    let published = app
        .post_as(
            &format!("/api/v1/organisations/{VENDOR}/standard-systems"),
            &vendor,
            &json!({
                "name": "Leverandørens Sag", "role": "recipient", "protocol": "rest_push",
                "allowedIps": ["192.0.2.10"], "endpoint": "https://leverandor.dk/dp",
                "technicalContact": {"email": "support@leverandor.dk", "phone": "87654321"}
            }),
        )
        .await;
    assert_eq!(published.status(), 201);
    let standard: StandardSystem = published.json().await.unwrap();

    let token = admin(&app, NORTH, OrgKind::Authority);
    let catalogue: Vec<StandardSystem> = app
        .get_json_as::<Page<StandardSystem>>(
            &format!("/api/v1/standard-systems?vendorCvr={VENDOR}"),
            &token,
        )
        .await
        .items;
    assert_eq!(catalogue.len(), 1);
    assert_eq!(catalogue[0].vendor_name, "Systemleverandøren A/S");
    // X-03 (issue 33 item 6): paged, with the documented sort fields only.
    let paged: Page<StandardSystem> = app
        .get_json_as(
            "/api/v1/standard-systems?pageSize=1&sort=vendorName:desc",
            &token,
        )
        .await;
    assert_eq!((paged.total_elements, paged.items.len()), (1, 1));
    let refused = app
        .get_as("/api/v1/standard-systems?sort=vendorCvr", &token)
        .await;
    assert_eq!(refused.status(), 400);

    let mut body = recipient_push("Vores sagssystem");
    body["standardSystemId"] = json!(standard.id);
    let refused = create(&app, NORTH, &token, &body).await;
    assert_codes(refused, &[("acceptVendorAgreement", "must_accept")]).await;

    body["acceptVendorAgreement"] = json!(true);
    let receipt = created(&app, NORTH, &token, &body).await;
    let system = receipt.system;
    assert_eq!(
        system.endpoint.as_deref(),
        Some("https://leverandor.dk/dp"),
        "the standard system's settings win"
    );
    assert_eq!(
        system.vendor_cvr.as_deref(),
        Some(VENDOR),
        "power of attorney implied"
    );
    assert!(receipt.api_key.is_some());
    assert!(system.locked_fields.contains(&"endpoint".to_owned()));

    let path = system_path(NORTH, &system.id);
    let mut update = json!({
        "name": "Omdøbt", "role": "recipient", "protocol": "rest_push", "allowedIps": ["192.0.2.10"],
        "endpoint": "https://andet.dk/dp",
        "technicalContact": {"email": "support@leverandor.dk", "phone": "87654321"}
    });
    let locked = app.put_as(&path, &token, &update).await;
    assert_codes(locked, &[("endpoint", "locked_by_standard_system")]).await;
    update["endpoint"] = json!("https://leverandor.dk/dp");
    assert_eq!(app.put_as(&path, &token, &update).await.status(), 200);
}

#[tokio::test]
async fn sys_09_a_vendor_edits_and_withdraws_its_standard_system_and_the_systems_follow() {
    let app = app_with_organisations().await;
    let vendor = admin(&app, VENDOR, OrgKind::Company);
    let own = format!("/api/v1/organisations/{VENDOR}/standard-systems");
    let mut standard_body = json!({
        "name": "Leverandørens Sag", "role": "recipient", "protocol": "rest_push",
        "allowedIps": ["192.0.2.10"], "endpoint": "https://leverandor.dk/dp",
        "technicalContact": {"email": "support@leverandor.dk", "phone": "87654321"}
    });
    let standard: StandardSystem = app.send_ok("POST", &own, &vendor, &standard_body).await;

    // The organisation adds its own extra contact e-mail (§5.6 step 5).
    let token = admin(&app, NORTH, OrgKind::Authority);
    let mut body = recipient_push("Vores sagssystem");
    body["standardSystemId"] = json!(standard.id);
    body["acceptVendorAgreement"] = json!(true);
    body["technicalContact"]["extraEmail"] = json!("it@nord.dk");
    let system = created(&app, NORTH, &token, &body).await.system;
    assert_eq!(
        system.technical_contact.extra_email.as_deref(),
        Some("it@nord.dk")
    );
    assert_eq!(system.technical_contact.email, "support@leverandor.dk");
    let listed: Vec<adgang_api_types::PublishedStandardSystem> = app
        .get_json_as::<Page<adgang_api_types::PublishedStandardSystem>>(&own, &vendor)
        .await
        .items;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].systems_using, 1);

    // The vendor's edit of the locked settings follows into the system, logged there as made
    // under the vendor's power of attorney; role and protocol are fixed while in use.
    let one = format!("{own}/{}", standard.id);
    standard_body["allowedIps"] = json!(["192.0.2.20", "192.0.2.21"]);
    standard_body["technicalContact"]["phone"] = json!("11223344");
    let saved = app.put_as(&one, &vendor, &standard_body).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let path = system_path(NORTH, &system.id);
    let followed: adgang_api_types::System = app.get_json_as(&path, &token).await;
    assert_eq!(followed.allowed_ips, ["192.0.2.20", "192.0.2.21"]);
    assert_eq!(followed.technical_contact.phone, "11223344");
    assert_eq!(
        followed.technical_contact.extra_email.as_deref(),
        Some("it@nord.dk")
    );
    let rows: Vec<_> = log_rows(&app, &system.id)
        .await
        .into_iter()
        .filter(|r| r.event == "edited")
        .collect();
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(
            row.organisation_cvr, NORTH,
            "logged in the system's organisation"
        );
        assert_eq!(
            row.actor,
            format!("CVR:{VENDOR}-RID:rid-{VENDOR}-system_admin")
        );
        assert_eq!(row.power_of_attorney, Some(true));
    }
    let mut other_protocol = standard_body.clone();
    other_protocol["protocol"] = json!("rest_pull");
    other_protocol["endpoint"] = Value::Null;
    let fixed = app.put_as(&one, &vendor, &other_protocol).await;
    assert_codes(fixed, &[("protocol", "in_use")]).await;
    // Only the vendor's own standard systems: another organisation's is not there.
    let foreign = app
        .put_as(
            &format!(
                "/api/v1/organisations/{NORTH}/standard-systems/{}",
                standard.id
            ),
            &token,
            &standard_body,
        )
        .await;
    assert_eq!(foreign.status(), 404);
    let foreign = app
        .delete_as(
            &format!(
                "/api/v1/organisations/{NORTH}/standard-systems/{}",
                standard.id
            ),
            &token,
        )
        .await;
    assert_eq!(foreign.status(), 404);

    // The organisation may change its extra e-mail, never the vendor's contact.
    let mut update = json!({
        "name": "Vores sagssystem", "role": "recipient", "protocol": "rest_push",
        "allowedIps": ["192.0.2.20", "192.0.2.21"], "endpoint": "https://leverandor.dk/dp",
        "technicalContact": {"email": "support@leverandor.dk", "phone": "11223344", "extraEmail": "drift@nord.dk"}
    });
    assert_eq!(app.put_as(&path, &token, &update).await.status(), 200);
    update["technicalContact"]["phone"] = json!("99999999");
    assert_eq!(
        codes(
            &app.put_as(&path, &token, &update)
                .await
                .json()
                .await
                .unwrap()
        ),
        vec![(
            "technicalContact.phone".to_owned(),
            "locked_by_standard_system".to_owned()
        )]
    );

    // Withdrawn: gone from the catalogue and the vendor's list; the system keeps its settings,
    // now its organisation's own; no new system can be made from it.
    assert_eq!(app.delete_as(&one, &vendor).await.status(), 204);
    let catalogue: Vec<StandardSystem> = app
        .get_json_as::<Page<StandardSystem>>("/api/v1/standard-systems", &token)
        .await
        .items;
    assert!(catalogue.iter().all(|s| s.id != standard.id));
    let listed: Vec<adgang_api_types::PublishedStandardSystem> = app
        .get_json_as::<Page<adgang_api_types::PublishedStandardSystem>>(&own, &vendor)
        .await
        .items;
    assert!(listed.is_empty());
    let freed: adgang_api_types::System = app.get_json_as(&path, &token).await;
    assert_eq!(freed.standard_system_id, None);
    assert!(freed.locked_fields.is_empty());
    assert_eq!(freed.allowed_ips, ["192.0.2.20", "192.0.2.21"]);
    let late = create(&app, NORTH, &token, &body).await;
    assert_codes(late, &[("standardSystemId", "unknown")]).await;
    assert_eq!(
        app.delete_as(&one, &vendor).await.status(),
        404,
        "already withdrawn"
    );
}
