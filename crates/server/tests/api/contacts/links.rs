//! CS-04 deep links and QR codes, CS-05 the point receipt.

use super::*;

/// The deep links of the authority's contact point or group (`kind`) `id`.
async fn deep_links(
    app: &TestApp,
    token: &str,
    kind: &str,
    id: &str,
) -> Vec<adgang_api_types::DeepLink> {
    let path = format!("/api/v1/organisations/{AUTHORITY}/{kind}/{id}/deep-links");
    app.get_json_as(&path, token).await
}

/// The QR code of the authority's contact point or group (`kind`) `id`, asked for with `query`.
async fn qr_code(
    app: &TestApp,
    token: &str,
    kind: &str,
    id: &str,
    query: &str,
) -> reqwest::Response {
    let path = format!("/api/v1/organisations/{AUTHORITY}/{kind}/{id}/qr-code?{query}");
    app.get_as(&path, token).await
}

#[tokio::test]
async fn cs_04_deep_links_per_audience_with_qr_codes() {
    let (app, token) = app_and_admin().await;
    let base = format!("/api/v1/organisations/{AUTHORITY}");
    let g = group(&app, &token, "Borgere", &[]).await;
    let sub = group(&app, &token, "Byggeri", &[&g.id]).await;
    let mut body = point_body("Byggesager", &[&sub.id]);
    body["audiences"] = json!(["citizens", "businesses"]);
    let p = point(&app, &token, &body).await;

    let links = deep_links(&app, &token, "contact-points", &p.id).await;
    assert_eq!(links.len(), 2);
    assert!(
        links[0].url.starts_with("https://www.borger.dk/")
            && links[0].url.ends_with(&format!("kontaktpunkt={}", p.id))
    );
    assert!(links[1].url.starts_with("https://virk.dk/"));

    // The group has no usable point yet (not bound to a recipient system): no links.
    let none = deep_links(&app, &token, "contact-groups", &g.id).await;
    assert!(none.is_empty());
    let missing = qr_code(&app, &token, "contact-groups", &g.id, "audience=citizens").await;
    assert_eq!(missing.status(), 404);

    // Bound and active, the point lends the group (through its sub-group) both audiences.
    let system_id = recipient_system(&app, AUTHORITY, &token, "Modtager").await;
    body["recipientSystemId"] = json!(system_id);
    assert_eq!(
        app.put_as(&format!("{base}/contact-points/{}", p.id), &token, &body)
            .await
            .status(),
        200
    );
    let group_links = deep_links(&app, &token, "contact-groups", &g.id).await;
    assert_eq!(group_links.len(), 2);
    assert!(group_links[0]
        .url
        .ends_with(&format!("kontaktgruppe={}", g.id)));

    let svg = qr_code(&app, &token, "contact-groups", &g.id, "audience=businesses").await;
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<svg"));
    let query = "audience=citizens&format=png";
    let png = qr_code(&app, &token, "contact-points", &p.id, query).await;
    assert_eq!(png.headers()["content-type"], "image/png");
    assert_eq!(&png.bytes().await.unwrap()[..4], b"\x89PNG");
}
#[tokio::test]
async fn cs_05_the_point_receipt_holds_every_setting_the_deep_links_and_their_qr_codes() {
    let (app, token) = app_and_admin().await;
    let (_, _, p) = rich_structure(&app, &token).await;
    // The wizard's choice of recipient systems: only those that receive, for contact_admin.
    let contact_admin_only = app.token_for(AUTHORITY, OrgKind::Authority, &[Right::ContactAdmin]);
    let sender = app.post_as(&format!("/api/v1/organisations/{AUTHORITY}/systems"), &token, &json!({
        "name": "Afsender", "role": "sender", "protocol": "rest_pull", "allowedIps": ["10.0.0.1"],
        "activation": {"mode": "now"}, "technicalContact": {"email": "a@b.dk", "phone": "12345678"}
    })).await;
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
        .get_ok_as(
            &format!(
                "/api/v1/organisations/{AUTHORITY}/contact-points/{}/receipt",
                p.id
            ),
            &token,
        )
        .await;
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
