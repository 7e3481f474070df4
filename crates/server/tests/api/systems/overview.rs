//! The receipt and overview documents (SYS-10, SYS-11), tenant isolation, and the cached
//! overview showing every write at once (issue 13).

use super::*;
use adgang_test_support::header_text;

#[tokio::test]
async fn sys_10_11_receipt_and_overview_documents_read_back() {
    let (app, token) = app_and_north_admin().await;
    let receipt = north_vendor_system(&app, &token, "Modtagersystem Ærø").await;
    let id = receipt.system.id.clone();

    let pdf = app
        .get_ok_as(
            &format!("/api/v1/organisations/{NORTH}/systems/{id}/receipt"),
            &token,
        )
        .await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let text = adgang_documents::pdf::extract_text(&pdf.bytes().await.unwrap()).unwrap();
    for expected in [
        "Kvittering",
        "Modtagersystem Ærø",
        id.as_str(),
        receipt.api_key.as_deref().unwrap(),
        "drift@kommune.dk",
        "REST PUSH",
    ] {
        assert!(
            text.contains(expected),
            "{expected} missing from the receipt: {text}"
        );
    }
    // Downloading the receipt showed the key: logged like a reveal.
    assert_eq!(
        log_rows(&app, &id)
            .await
            .iter()
            .filter(|r| r.field.as_deref() == Some("apiKeyShown"))
            .count(),
        1
    );

    let overview = app
        .get_as(
            &format!("/api/v1/organisations/{NORTH}/systems/{id}/overview"),
            &token,
        )
        .await;
    let text = adgang_documents::pdf::extract_text(&overview.bytes().await.unwrap()).unwrap();
    assert!(text.contains("Systemoversigt") && text.contains("Modtagersystem Ærø"));
    assert!(
        !text.contains(receipt.api_key.as_deref().unwrap()),
        "no API key in the overview"
    );

    created(&app, NORTH, &token, &json!({
        "name": "Afsender Øst", "role": "sender", "protocol": "rest_pull", "allowedIps": ["10.0.0.9"],
        "activation": {"mode": "none"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    })).await;
    let workbook = app
        .get_ok_as(
            &format!("/api/v1/organisations/{NORTH}/system-overview"),
            &token,
        )
        .await;
    assert!(header_text(&workbook, "content-disposition").contains(".xlsx"));
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(
        workbook.bytes().await.unwrap().to_vec(),
    ))
    .unwrap();
    let range = book.worksheet_range("Systemer").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows[0][..6],
        [
            "Navn",
            "System-ID",
            "Rolle",
            "Protokol",
            "Status",
            "Primærsystem"
        ]
    );
    assert_eq!(
        rows[1][..6],
        [
            "Afsender Øst".to_owned(),
            rows[1][1].clone(),
            "Afsendersystem".into(),
            "REST PULL".into(),
            "Ikke aktiveret".into(),
            "Nej".into()
        ]
    );
    assert_eq!(rows[2][0], "Modtagersystem Ærø");
    assert_eq!(rows[2][5], "Ja");
}

#[tokio::test]
async fn sys_tenant_isolation_another_organisations_system_does_not_exist() {
    let (app, owner) = app_and_north_admin().await;
    let id = north_vendor_system(&app, &owner, "Nords system")
        .await
        .system
        .id;
    let stranger = admin(&app, "34051178", OrgKind::Authority);
    // Through the stranger's own organisation path: not found.
    let own = "/api/v1/organisations/34051178/systems";
    for (method, path) in [
        ("GET", format!("{own}/{id}")),
        ("PUT", format!("{own}/{id}")),
        ("DELETE", format!("{own}/{id}")),
        ("POST", format!("{own}/{id}/primary")),
        ("GET", format!("{own}/{id}/api-key")),
        ("POST", format!("{own}/{id}/api-key/rotation")),
        ("GET", format!("{own}/{id}/receipt")),
        ("GET", format!("{own}/{id}/overview")),
    ] {
        let body = recipient_push("Overtaget");
        let status = app
            .send(method, &path, &stranger, Some(&body))
            .await
            .status();
        assert_eq!(status, 404, "{method} {path}");
    }
    // Through the owner's path: not found either (never 403, nothing revealed).
    let status = app
        .get_as(&system_path(NORTH, &id), &stranger)
        .await
        .status();
    assert_eq!(status, 404);
    let page: Page<SystemSummary> = app.get_json_as(own, &stranger).await;
    assert!(page.items.is_empty());
    assert_eq!(system_count(&app).await, 1);
}

#[tokio::test]
async fn issue_13_the_cached_overview_shows_every_write_at_once_and_only_to_its_organisation() {
    let (app, token) = app_and_north_admin().await;
    let other = admin(&app, "34051178", OrgKind::Authority);
    let list = |token: String, cvr: &'static str| {
        let app = &app;
        async move {
            let page: Page<SystemSummary> = app
                .get_json_as(&format!("/api/v1/organisations/{cvr}/systems"), &token)
                .await;
            page.items.into_iter().map(|s| s.name).collect::<Vec<_>>()
        }
    };
    assert!(list(token.clone(), NORTH).await.is_empty());
    let system = north_push_system(&app, &token, "Sagssystem").await;
    assert_eq!(list(token.clone(), NORTH).await, vec!["Sagssystem"]);
    assert!(
        list(other.clone(), "34051178").await.is_empty(),
        "another organisation's overview is its own"
    );
    let path = system_path(NORTH, &system.id);
    let mut rename = recipient_push("Sagssystem Ærø");
    rename.as_object_mut().unwrap().remove("activation");
    assert_eq!(app.put_as(&path, &token, &rename).await.status(), 200);
    assert_eq!(list(token.clone(), NORTH).await, vec!["Sagssystem Ærø"]);
    assert_eq!(app.delete_as(&path, &token).await.status(), 204);
    assert!(list(token.clone(), NORTH).await.is_empty());
}

/// Issue 33 item 7 (§6.1): a recipient system's page names its contact points, so the SPA
/// warns when there is none; a sender system's has no such list.
#[tokio::test]
async fn sys_11_a_recipient_systems_page_names_its_contact_points() {
    let app = app_with_organisations().await;
    let token = app.token_for(
        NORTH,
        OrgKind::Authority,
        &[Right::SystemAdmin, Right::ContactAdmin],
    );
    let recipient = created(&app, NORTH, &token, &recipient_push("Modtager")).await;
    let path = system_path(NORTH, &recipient.system.id);
    let shown: adgang_api_types::System = app.get_json_as(&path, &token).await;
    assert_eq!(
        shown.contact_points,
        Some(vec![]),
        "none yet: the SPA warns"
    );

    let point = json!({"name": "Byggesager", "description": "Om byggesager", "visible": true,
                       "audiences": ["citizens"], "keywords": ["byggeri"], "active": true,
                       "recipientSystemId": recipient.system.id});
    app.create_contact_point(NORTH, &token, &point).await;
    let shown: adgang_api_types::System = app.get_json_as(&path, &token).await;
    assert_eq!(shown.contact_points, Some(vec!["Byggesager".to_owned()]));

    let mut sender = recipient_push("Afsender");
    sender["role"] = json!("sender");
    sender["protocol"] = json!("rest_pull");
    sender.as_object_mut().unwrap().remove("endpoint");
    let sender = created(&app, NORTH, &token, &sender).await;
    let shown: adgang_api_types::System = app
        .get_json_as(&system_path(NORTH, &sender.system.id), &token)
        .await;
    assert_eq!(shown.contact_points, None);
}
