//! System connection in the SPA (SYS-08, SYS-12, SYS-14).

use crate::helpers::*;

/// The names in the overview rows marked "Primærsystem".
async fn primaries(client: &Client) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for row in client
        .find_all(Locator::Css("#systems-table tbody tr"))
        .await?
    {
        let primary = row
            .find(Locator::Css(".system-primary"))
            .await?
            .text()
            .await?;
        if primary.contains("Primærsystem") {
            names.push(row.find(Locator::Css("td a")).await?.text().await?);
        }
    }
    Ok(names)
}

#[tokio::test]
async fn sys_14_an_authority_creates_a_sender_system_through_the_wizard_and_manages_primaries() {
    browser_test("systems_wizard", |client, app| async move {
        // Two more recipient systems besides the demo's primary "Sagssystem – modtager".
        api_recipient_system(
            &app,
            "29189846",
            adgang_api_types::OrgKind::Authority,
            "Modtager Nord",
        )
        .await?;
        let second = api_recipient_system(
            &app,
            "29189846",
            adgang_api_types::OrgKind::Authority,
            "Modtager Syd",
        )
        .await?;
        log_in_as(&client, &app, "10000003").await?;
        wait_for_text(&client, ".module-cards", "Administrer og opret systemer").await?;
        client.goto(&app.url("/systemtilslutning")).await?;
        wait_for_text(&client, "#systems-table", "Modtager Nord").await?;
        ensure!(
            primaries(&client).await? == ["Sagssystem – modtager"],
            "the demo's first recipient system is primary"
        );

        // The wizard: new system → name and role → protocol and details → activation →
        // contact → summary → Tilslut. Each "Næste" asks the API.
        click(&client, "create-system").await?;
        wait_for_text(&client, "#step-indicator", "Opsummering").await?;
        click(&client, "wizard-next").await?;
        wait_for_step(&client, "Navn og rolle").await?;
        // An empty name stops the step, with its error here and not later.
        click(&client, "wizard-next").await?;
        wait_for_text(&client, "#system-name-error", "Feltet skal udfyldes").await?;
        wait_for_step(&client, "Navn og rolle").await?;
        type_into(&client, "system-name", "Afsendersystem Ærø").await?;
        click_css(&client, "label[for='role-sender']").await?;
        click(&client, "wizard-next").await?;
        wait_for_step(&client, "Protokol og detaljer").await?;
        click_css(&client, "label[for='protocol-rest_push']").await?;
        // Two bad IP entries and a plain-http receipt endpoint: all three errors at once, each
        // IP entry named by its position.
        type_into(
            &client,
            "system-ips",
            "10.20.30.40\n10.20.30.x\n2001:db8::zz",
        )
        .await?;
        type_into(
            &client,
            "system-receipt-endpoint",
            "http://kvittering.kommune.dk/dp",
        )
        .await?;
        type_into(&client, "system-vendor", "30808460").await?;
        click(&client, "wizard-next").await?;
        let ip_errors = wait_for_text(&client, "#system-ips-error", "IP-adresse 2:").await?;
        ensure!(
            ip_errors.contains("IP-adresse 3: IP-adressen er ikke gyldig"),
            "both entries named: {ip_errors}"
        );
        wait_for_text(
            &client,
            "#system-receipt-endpoint-error",
            "Adressen skal begynde med https://",
        )
        .await?;
        wait_for_step(&client, "Protokol og detaljer").await?;
        type_into(&client, "system-ips", "10.20.30.40\n2001:db8::7").await?;
        type_into(
            &client,
            "system-receipt-endpoint",
            "https://kvittering.kommune.dk/dp",
        )
        .await?;
        click(&client, "wizard-next").await?;
        wait_for_step(&client, "Aktivering").await?;
        click(&client, "wizard-next").await?;
        wait_for_step(&client, "Teknisk kontakt").await?;
        type_into(&client, "contact-email", "drift@kommune.dk").await?;
        type_into(&client, "contact-phone", "12345678").await?;
        click(&client, "wizard-next").await?;
        wait_for_step(&client, "Opsummering").await?;
        wait_for_text(&client, "#summary-name", "Afsendersystem Ærø").await?;
        // "Redigér" returns to the summary after the step is checked.
        click(&client, "edit-name").await?;
        wait_for_step(&client, "Navn og rolle").await?;
        wait_for_text(&client, "#wizard-next", "Tilbage til opsummering").await?;
        type_into(&client, "system-name", "Afsendersystem Ærø og Marstal").await?;
        click(&client, "wizard-next").await?;
        wait_for_step(&client, "Opsummering").await?;
        wait_for_text(&client, "#summary-name", "Afsendersystem Ærø og Marstal").await?;
        click(&client, "wizard-connect").await?;
        wait_for_text(&client, "#system-receipt", "Systemet er tilsluttet").await?;
        let id = text_of(&client, "receipt-system-id").await?;
        let key = text_of(&client, "receipt-api-key").await?;
        ensure!(key.len() > 20, "an API key on the receipt: {key:?}");

        // The receipt downloads as a PDF holding the id and the key.
        click(&client, "download-receipt").await?;
        let pdf = wait_for_download(&app, "kvittering-").await?;
        let text = adgang_documents::pdf::extract_text(&pdf)?;
        ensure!(
            text.contains(&id)
                && text.contains(&key)
                && text.contains("Afsendersystem Ærø og Marstal"),
            "receipt text: {text}"
        );

        // SYS-04: a new API key from the detail page, after confirmation; the old one is gone.
        client
            .goto(&app.url(&format!("/systemtilslutning/{id}")))
            .await?;
        wait_for_text(&client, "#system-heading", "Afsendersystem Ærø").await?;
        click(&client, "rotate-api-key").await?;
        wait_for_text(&client, "#confirm-panel", "Vil du danne en ny API-key").await?;
        click(&client, "confirm-yes").await?;
        wait_for_text(&client, "#detail-message", "Der er dannet en ny API-key").await?;
        let rotated = text_of(&client, "api-key-value").await?;
        ensure!(
            rotated.len() > 20 && rotated != key,
            "a new key: {rotated:?}"
        );
        let admin = app.token(&adgang_test_support::user(
            "29189846",
            adgang_api_types::OrgKind::Authority,
            &[adgang_api_types::Right::SystemAdmin],
        ));
        let current: adgang_api_types::ApiKey = app
            .get_json_as(
                &format!("/api/v1/organisations/29189846/systems/{id}/api-key"),
                &admin,
            )
            .await;
        ensure!(
            current.api_key == rotated,
            "the shown key is the system's key now"
        );

        // Switch the primary between the two recipient systems, with confirmation.
        client
            .goto(&app.url(&format!("/systemtilslutning/{second}")))
            .await?;
        wait_for_text(&client, "#system-heading", "Modtager Syd").await?;
        // An active system's page says why activation cannot change — outside the rows' <dl>
        // (a <p> inside a <dl> is invalid and an axe violation).
        wait_for_text(&client, "#part-activation", "mens systemet er aktivt").await?;
        ensure!(
            client.find_all(Locator::Css("dl p")).await?.is_empty(),
            "a <dl> holds only rows"
        );
        click(&client, "make-primary").await?;
        wait_for_text(
            &client,
            "#confirm-panel",
            "Vil du gøre dette system til primærsystem",
        )
        .await?;
        click(&client, "confirm-yes").await?;
        wait_for_text(&client, "#is-primary", "Primærsystem").await?;

        // Edit one field; the actions log has the before and after.
        click(&client, "part-contact-edit").await?;
        type_into(&client, "contact-email", "ny-drift@kommune.dk").await?;
        click(&client, "detail-save").await?;
        wait_for_text(&client, "#detail-message", "Ændringen er gemt").await?;
        wait_for_text(&client, "#part-contact", "ny-drift@kommune.dk").await?;

        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let rows = adgang_core::entity::actions_log::Entity::find()
            .filter(adgang_core::entity::actions_log::Column::ObjectId.eq(second.as_str()))
            .all(&app.db().await)
            .await?;
        ensure!(
            rows.iter()
                .any(|r| r.field.as_deref() == Some("technicalContact.email")
                    && r.before.as_deref() == Some("drift@example.dk")
                    && r.after.as_deref() == Some("ny-drift@kommune.dk")
                    && r.actor == "CVR:29189846-RID:10000003"),
            "edit row missing: {rows:?}"
        );
        ensure!(
            rows.iter()
                .any(|r| r.field.as_deref() == Some("isPrimary")
                    && r.after.as_deref() == Some("true")),
            "primary row missing"
        );

        // The overview shows the new primary.
        client.goto(&app.url("/systemtilslutning")).await?;
        wait_for_text(
            &client,
            &format!("tr[data-system='{second}'] .system-primary"),
            "Primærsystem",
        )
        .await?;
        let now_primary = primaries(&client).await?;
        ensure!(
            now_primary == ["Modtager Syd"],
            "exactly one primary, the new one: {now_primary:?}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn sys_09_a_vendor_publishes_edits_and_withdraws_a_standard_system() {
    vendor_publishes_edits_and_withdraws("standard_vendor", None).await;
}

#[tokio::test]
async fn sys_09_at_390_px_a_vendor_publishes_edits_and_withdraws_a_standard_system() {
    vendor_publishes_edits_and_withdraws("standard_vendor_phone", Some((390, 844))).await;
}

/// SYS-09 from the vendor's side, at the default width or `size`.
async fn vendor_publishes_edits_and_withdraws(name: &'static str, size: Option<(u32, u32)>) {
    browser_test(name, |client, app| async move {
        if let Some((width, height)) = size {
            client.set_window_size(width, height).await?;
        }
        app.seed_user(
            "10000099",
            "Vera Leverandør",
            &[(
                "30808460",
                adgang_api_types::OrgKind::Company,
                adgang_api_types::Right::SystemAdmin,
            )],
        )
        .await;
        log_in_as(&client, &app, "10000099").await?;
        wait_for_text(&client, "#current-organisation", "Systemleverandøren").await?;
        client.goto(&app.url("/systemtilslutning")).await?;
        wait_for_text(&client, "main h1", "Systemtilslutning").await?;
        click(&client, "more-options").await?;
        click(&client, "standard-systems-link").await?;
        wait_for_text(&client, "main h1", "Standardsystemer").await?;
        // The demo's standard system, not yet used by anyone.
        wait_for_text(&client, "#std-table", "SagsPro Standard").await?;

        // Publish: the system's own form, without a vendor field (the vendor is us).
        click(&client, "std-publish-open").await?;
        wait_for_text(&client, "#std-form h2", "Udgiv standardsystem").await?;
        ensure!(
            count(&client, "#system-vendor").await? == 0,
            "no vendor field"
        );
        type_into(&client, "system-name", "Leverandør Post").await?;
        type_into(&client, "system-ips", "192.0.2.50").await?;
        type_into(&client, "system-endpoint", "http://post.leverandoer.dk/dp").await?;
        type_into(&client, "contact-email", "support@leverandoer.dk").await?;
        type_into(&client, "contact-phone", "70101010").await?;
        click(&client, "std-save").await?;
        wait_for_text(
            &client,
            "#system-endpoint-error",
            "Adressen skal begynde med https://",
        )
        .await?;
        type_into(&client, "system-endpoint", "https://post.leverandoer.dk/dp").await?;
        click(&client, "std-save").await?;
        wait_for_text(&client, "#std-message", "Standardsystemet er udgivet").await?;
        wait_for_text(&client, "#std-table", "Leverandør Post").await?;

        // Edit it: the new IP address is saved.
        client
            .find(Locator::XPath(
                "//tr[td[contains(., 'Leverandør Post')]]//button[starts-with(@id, 'std-edit-')]",
            ))
            .await?
            .click()
            .await?;
        wait_for_text(&client, "#std-form h2", "Redigér standardsystem").await?;
        type_into(&client, "system-ips", "192.0.2.51").await?;
        click(&client, "std-save").await?;
        wait_for_text(&client, "#std-message", "Ændringen er gemt").await?;
        let token = app.token(&adgang_test_support::user(
            "30808460",
            adgang_api_types::OrgKind::Company,
            &[adgang_api_types::Right::SystemAdmin],
        ));
        let own: Vec<adgang_api_types::PublishedStandardSystem> = app
            .get_json_as("/api/v1/organisations/30808460/standard-systems", &token)
            .await;
        let post = own
            .iter()
            .find(|p| p.standard.name == "Leverandør Post")
            .context("published")?;
        ensure!(
            post.standard.allowed_ips == ["192.0.2.51"],
            "{:?}",
            post.standard
        );

        // Withdraw it, after confirmation: it leaves the list.
        click(&client, &format!("std-withdraw-{}", post.standard.id)).await?;
        wait_for_text(
            &client,
            "#std-withdraw-panel",
            "Leverandør Post fjernes fra kataloget",
        )
        .await?;
        click(&client, "std-withdraw-yes").await?;
        wait_for_text(&client, "#std-message", "trukket tilbage").await?;
        let table = wait_for_text(&client, "#std-table", "SagsPro Standard").await?;
        ensure!(!table.contains("Leverandør Post"), "withdrawn: {table}");
        Ok(())
    })
    .await;
}

/// How many elements `selector` finds (0: the element is not offered).
async fn count(client: &Client, selector: &str) -> Result<usize> {
    Ok(client.find_all(Locator::Css(selector)).await?.len())
}

#[tokio::test]
async fn x_04_a_standard_system_is_checked_step_by_step_and_its_locked_parts_offer_no_edit() {
    standard_system_wizard("standard_wizard", None).await;
}

#[tokio::test]
async fn x_04_at_390_px_the_standard_system_wizard_checks_each_step() {
    standard_system_wizard("standard_wizard_phone", Some((390, 844))).await;
}

/// X-04 with a standard system, at the default width or `size`.
async fn standard_system_wizard(name: &'static str, size: Option<(u32, u32)>) {
    browser_test(name, |client, app| async move {
        if let Some((width, height)) = size {
            client.set_window_size(width, height).await?;
        }
        log_in_as(&client, &app, "10000003").await?;
        wait_for_text(&client, "#current-organisation", "Testkommune Nord").await?;
        client.goto(&app.url("/systemtilslutning/opret")).await?;
        wait_for_text(&client, "#step-indicator", "Opsummering").await?;
        click_css(&client, "label[for='type-standard']").await?;
        // §5.6 step 2: the power-of-attorney warning, then vendor and system as two choices.
        wait_for_text(&client, "#standard-warning", "fuldmagt").await?;
        wait_for_text(
            &client,
            "#standard-vendor",
            "Systemleverandøren A/S (CVR 30808460)",
        )
        .await?;
        // "Standardsystem" without picking one, then without accepting: each stops the step.
        click(&client, "wizard-next").await?;
        wait_for_text(&client, "#standard-missing-error", "Vælg et standardsystem").await?;
        click_css(&client, "#standard-vendor option[value='30808460']").await?;
        client
            .find(Locator::XPath(
                "//select[@id='standard-system']/option[contains(., 'SagsPro Standard')]",
            ))
            .await?
            .click()
            .await?;
        click(&client, "wizard-next").await?;
        wait_for_text(
            &client,
            "#accept-vendor-error",
            "Du skal acceptere leverandørens aftale",
        )
        .await?;
        ensure!(
            count(&client, "#standard-missing-error").await? == 0,
            "picked now"
        );
        click_css(&client, "label[for='accept-vendor']").await?;
        click(&client, "wizard-next").await?;
        wait_for_step(&client, "Navn og rolle").await?;
        type_into(&client, "system-name", "SagsPro hos Nord").await?;
        for heading in ["Protokol og detaljer", "Aktivering", "Teknisk kontakt"] {
            click(&client, "wizard-next").await?;
            wait_for_step(&client, heading).await?;
        }
        // §5.6 step 5: the vendor's contact is locked; an extra e-mail of our own is allowed.
        let email = client.find(Locator::Id("contact-email")).await?;
        ensure!(
            email.attr("disabled").await?.is_some(),
            "the vendor's e-mail is locked"
        );
        type_into(&client, "contact-extra", "it@nord.dk").await?;
        click(&client, "wizard-next").await?;
        wait_for_step(&client, "Opsummering").await?;
        wait_for_text(&client, "#summary-protocol", "198.51.100.20").await?;
        wait_for_text(&client, "#summary-contact", "it@nord.dk").await?;
        // The protocol part is the vendor's alone, so it offers no "Redigér"; the others do.
        for part in ["#edit-name", "#edit-activation", "#edit-contact"] {
            ensure!(count(&client, part).await? == 1, "{part} can be edited");
        }
        ensure!(
            count(&client, "#edit-protocol").await? == 0,
            "the locked part offers no Redigér"
        );
        click(&client, "wizard-connect").await?;
        wait_for_text(&client, "#system-receipt", "Systemet er tilsluttet").await?;
        let id = text_of(&client, "receipt-system-id").await?;

        // The same on the detail page.
        client
            .goto(&app.url(&format!("/systemtilslutning/{id}")))
            .await?;
        wait_for_text(&client, "#system-heading", "SagsPro hos Nord").await?;
        ensure!(
            count(&client, "#part-name-edit").await? == 1,
            "name editable"
        );
        ensure!(
            count(&client, "#part-contact-edit").await? == 1,
            "the extra e-mail too"
        );
        ensure!(
            count(&client, "#part-protocol-edit").await? == 0,
            "a standard system's protocol offers no Redigér"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn sys_08_a_company_is_refused_a_second_recipient_system_in_danish() {
    browser_test("company_second_recipient", |client, app| async move {
        api_recipient_system(
            &app,
            "25052943",
            adgang_api_types::OrgKind::Company,
            "Æblegårdens modtager",
        )
        .await?;
        log_in_as(&client, &app, "10000003").await?;
        wait_for_text(&client, "#current-organisation", "Testkommune Nord").await?;
        click(&client, "switch-organisation").await?;
        wait_for_text(&client, "#switch-form", "Æblegården ApS").await?;
        click(&client, "org-25052943").await?;
        click(&client, "switch-ok").await?;
        wait_for_text(&client, "#current-organisation", "Æblegården ApS").await?;

        client.goto(&app.url("/systemtilslutning/opret")).await?;
        wait_for_text(&client, "#step-indicator", "Type").await?;
        click(&client, "wizard-next").await?;
        wait_for_step(&client, "Navn og rolle").await?;
        type_into(&client, "system-name", "Endnu en modtager").await?;
        // The rule that needs the database is checked on "Næste" too, on this step.
        click(&client, "wizard-next").await?;
        wait_for_text(
            &client,
            "#system-role-error",
            "En virksomhed kan kun have ét modtagersystem",
        )
        .await?;
        wait_for_step(&client, "Navn og rolle").await?;
        // As a sender system it goes on.
        click_css(&client, "label[for='role-sender']").await?;
        click(&client, "wizard-next").await?;
        wait_for_step(&client, "Protokol og detaljer").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn sys_12_deleting_a_system_with_bound_contact_points_names_them_in_danish() {
    browser_test("system_with_bound_points", |client, app| async move {
        const NORTH: &str = "29189846";
        let kind = adgang_api_types::OrgKind::Authority;
        let system = api_recipient_system(&app, NORTH, kind, "Borgerpostmodtager").await?;
        let contact_admin = app.token(&adgang_test_support::user(
            NORTH,
            kind,
            &[adgang_api_types::Right::ContactAdmin],
        ));
        let point = app
            .post_as(
                &format!("/api/v1/organisations/{NORTH}/contact-points"),
                &contact_admin,
                &serde_json::json!({
                    "name": "Affald og genbrug", "description": "", "groupIds": [],
                    "visible": true, "audiences": ["citizens"], "keywords": ["affald"],
                    "active": true, "recipientSystemId": system
                }),
            )
            .await;
        ensure!(point.status() == 201, "binding a point: {}", point.status());

        log_in_as(&client, &app, "10000003").await?;
        client
            .goto(&app.url(&format!("/systemtilslutning/{system}")))
            .await?;
        wait_for_text(&client, "#system-heading", "Borgerpostmodtager").await?;
        click(&client, "delete-system").await?;
        wait_for_text(&client, "#confirm-panel", "").await?;
        click(&client, "confirm-yes").await?;
        // The bound-points rule's own text (not the primary-system rule's), and the points.
        wait_for_text(&client, "#detail-error", "kontaktpunkter er tilsluttet").await?;
        wait_for_text(&client, "#detail-error-items", "Affald og genbrug").await?;
        let system_admin = app.token(&adgang_test_support::user(
            NORTH,
            kind,
            &[adgang_api_types::Right::SystemAdmin],
        ));
        let path = format!("/api/v1/organisations/{NORTH}/systems/{system}");
        let still = app.get_as(&path, &system_admin).await;
        ensure!(still.status() == 200, "nothing deleted: {}", still.status());
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn x_07_times_are_shown_and_entered_in_copenhagen_time_in_a_browser_in_new_york() {
    browser_test_in_zone(
        "copenhagen_time",
        Some("America/New_York"),
        |client, app| async move {
            const NORTH: &str = "29189846";
            let kind = adgang_api_types::OrgKind::Authority;
            let token = app.token(&adgang_test_support::user(
                NORTH,
                kind,
                &[adgang_api_types::Right::SystemAdmin],
            ));
            // Winter (CET, UTC+1) activation and summer (CEST, UTC+2) deactivation.
            let created = app
                .post_as(
                    &format!("/api/v1/organisations/{NORTH}/systems"),
                    &token,
                    &serde_json::json!({
                        "name": "Tidszonesystem", "role": "recipient", "protocol": "rest_push",
                        "allowedIps": ["10.0.0.1"], "endpoint": "https://modtag.example.dk/dp",
                        "activation": {"mode": "at", "at": "2027-01-15T09:00:00Z"},
                        "deactivateAt": "2027-07-01T10:00:00Z",
                        "technicalContact": {"email": "drift@example.dk", "phone": "12345678"}
                    }),
                )
                .await;
            ensure!(created.status() == 201, "creating: {}", created.status());
            let receipt: adgang_api_types::SystemReceipt = created.json().await?;
            let id = receipt.system.id;
            let zone = client
                .execute(
                    "return Intl.DateTimeFormat().resolvedOptions().timeZone",
                    vec![],
                )
                .await?;
            ensure!(zone == "America/New_York", "the browser runs in {zone}");

            log_in_as(&client, &app, "10000003").await?;
            client
                .goto(&app.url(&format!("/systemtilslutning/{id}")))
                .await?;
            wait_for_text(&client, "#part-activation", "15.01.2027 10:00").await?;
            wait_for_text(&client, "#part-activation", "01.07.2027 12:00").await?;

            click(&client, "part-activation-edit").await?;
            let shown = client
                .execute(
                    "return document.getElementById('system-activation-at').value",
                    vec![],
                )
                .await?;
            ensure!(shown == "2027-01-15T10:00", "the input shows {shown}");
            // Entered as Copenhagen time: 08:30 on 1 February is 07:30 UTC.
            client
                .execute(
                    "const input = document.getElementById('system-activation-at');
                     input.value = '2027-02-01T08:30';
                     input.dispatchEvent(new Event('input', { bubbles: true }));",
                    vec![],
                )
                .await?;
            click(&client, "detail-save").await?;
            wait_for_text(&client, "#detail-message", "").await?;
            let system: adgang_api_types::System = app
                .get_json_as(
                    &format!("/api/v1/organisations/{NORTH}/systems/{id}"),
                    &token,
                )
                .await;
            ensure!(
                system.active_from.map(|t| t.to_rfc3339())
                    == Some("2027-02-01T07:30:00+00:00".to_owned()),
                "stored {:?}",
                system.active_from
            );
            Ok(())
        },
    )
    .await;
}

/// Issue 14 item 7 and CORE-01 in the SPA: "Send testmeddelelse" on a push system's page shows
/// the result and the attempt; a sender system without a vendor gets its first API key.
async fn test_message_and_first_api_key(client: Client, app: TestApp) -> Result<()> {
    use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter};
    let peer = adgang_test_support::peer::FakePeer::start(200).await;
    let db = app.db().await;
    // The demo push system's endpoint becomes a peer on this machine (test set-up: the portal
    // itself accepts only https endpoints here).
    db.execute_unprepared(&format!(
        "UPDATE systems SET endpoint = '{}/dp' WHERE name = 'Sagssystem – modtager'",
        peer.url
    ))
    .await?;
    let id_of = |name: &'static str| {
        let db = db.clone();
        async move {
            use sea_orm::ColumnTrait;
            let found = adgang_systems::entity::system::Entity::find()
                .filter(adgang_systems::entity::system::Column::Name.eq(name))
                .one(&db)
                .await?;
            found
                .map(|s| s.id)
                .ok_or_else(|| anyhow::anyhow!("no system {name}"))
        }
    };
    let push = id_of("Sagssystem – modtager").await?;
    let sender = id_of("Brevudsender").await?;

    log_in_as(&client, &app, "10000003").await?;
    wait_for_text(&client, "#current-organisation", "Testkommune Nord").await?;
    client
        .goto(&app.url(&format!("/systemtilslutning/{push}")))
        .await?;
    wait_for_text(&client, "#delivery-attempts", "Leveringsforsøg").await?;
    wait_for_text(&client, "#attempts-none", "ikke forsøgt leveret").await?;
    click(&client, "send-test-message").await?;
    wait_for_text(
        &client,
        "#test-message-result",
        "Testmeddelelsen blev modtaget af endepunktet",
    )
    .await?;
    wait_for_text(&client, "#attempts-table", "Afleveret (HTTP 200)").await?;
    wait_for_text(&client, "#attempts-table", "(test)").await?;
    let requests = peer.requests();
    ensure!(requests.len() == 1, "{} pushes", requests.len());
    ensure!(
        requests[0]
            .headers
            .get("x-test-message")
            .map(String::as_str)
            == Some("true")
    );

    client
        .goto(&app.url(&format!("/systemtilslutning/{sender}")))
        .await?;
    wait_for_text(&client, "#create-api-key", "Opret API-key").await?;
    click(&client, "create-api-key").await?;
    wait_for_text(&client, "#detail-message", "har fået en API-key").await?;
    let key = text_of(&client, "api-key-value").await?;
    ensure!(key.len() >= 40, "an API key is shown: {key:?}");
    // Now it has a key: "Vis API-key" replaces "Opret API-key".
    wait_for_text(&client, "#show-api-key", "Vis API-key").await?;
    ensure!(client.find(Locator::Id("create-api-key")).await.is_err());

    // Issue 14 item 8: the demo's letters to Æblegården lie in its Virk mailbox.
    client
        .goto(&app.url("/testportal/mailboxes?recipient=25052943"))
        .await?;
    wait_for_text(&client, "#mailbox", "Virk").await?;
    Ok(())
}

#[tokio::test]
async fn core_03_a_system_admin_sends_a_test_message_and_creates_a_first_api_key() {
    browser_test("test_message", test_message_and_first_api_key).await;
}

#[tokio::test]
async fn core_03_at_390_px_a_system_admin_sends_a_test_message_and_creates_a_first_api_key() {
    browser_test("test_message_phone", |client, app| async move {
        client.set_window_size(390, 844).await?;
        test_message_and_first_api_key(client, app).await
    })
    .await;
}
