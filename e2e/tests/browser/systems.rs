//! System connection in the SPA (SYS-08, SYS-12, SYS-14).
//! Standard systems are in `systems_standard.rs`, the test message in
//! `systems_test_message.rs`.

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
        open_systems_as_sara(&client, &app, "Modtager Nord").await?;
        ensure!(
            primaries(&client).await? == ["Sagssystem – modtager"],
            "the demo's first recipient system is primary"
        );
        // X-03 (issue 33 item 6): the API sorts the overview; the name header turns it.
        let first_name = |client: &Client| {
            let client = client.clone();
            async move {
                client
                    .find(Locator::Css("#systems-table tbody tr td a"))
                    .await?
                    .text()
                    .await
            }
        };
        ensure!(first_name(&client).await? == "Brevudsender", "A to Å");
        click_and_wait(&client, "sort-name", "th[aria-sort='descending']", "").await?;
        let started = std::time::Instant::now();
        while first_name(&client).await? != "Sagssystem – modtager" {
            ensure!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "Å to A never came"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        click_and_wait(&client, "sort-name", "th[aria-sort='ascending']", "").await?;

        // The wizard: new system → name and role → protocol and details → activation →
        // contact → summary → Tilslut. Each "Næste" asks the API.
        click_and_wait(&client, "create-system", "#step-indicator", "Opsummering").await?;
        next_step(&client, "Navn og rolle").await?;
        // An empty name stops the step, with its error here and not later.
        next_shows(&client, "#system-name-error", "Feltet skal udfyldes").await?;
        wait_for_step(&client, "Navn og rolle").await?;
        type_into(&client, "system-name", "Afsendersystem Ærø").await?;
        click_css(&client, "label[for='role-sender']").await?;
        next_step(&client, "Protokol og detaljer").await?;
        // §5.3 step 4 (issue 33 item 7): an SFTP system's public key can be chosen as a file;
        // its text fills the field.
        click_css(&client, "label[for='protocol-sftp']").await?;
        // The private key, chosen by mistake, is refused in the page and never sent.
        let private_dir = tempfile::tempdir()?;
        let private = private_dir.path().join("id_ed25519");
        std::fs::write(
            &private,
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
        )?;
        choose_file(&client, "system-ssh-key-file", &private).await?;
        wait_for_text(
            &client,
            "#system-ssh-key-file-error",
            "ikke en offentlig SSH-nøgle",
        )
        .await?;
        let key_file =
            adgang_test_support::workspace_root().join("crates/test-support/fixtures/ssh/ed.pub");
        choose_file(&client, "system-ssh-key-file", &key_file).await?;
        let expected = std::fs::read_to_string(&key_file)?.trim().to_owned();
        let started = std::time::Instant::now();
        loop {
            let shown = value_of(&client, "system-ssh-key").await?;
            if shown == expected {
                break;
            }
            ensure!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "the key file's text never filled the field: {shown:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
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
        type_and_click(&client, "system-vendor", "30808460", "wizard-next").await?;
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
        next_step(&client, "Aktivering").await?;
        click(&client, "wizard-next").await?;
        wizard_contact(&client).await?;
        wait_for_text(&client, "#summary-name", "Afsendersystem Ærø").await?;
        // "Redigér" returns to the summary after the step is checked.
        click_to_step(&client, "edit-name", "Navn og rolle").await?;
        wait_for_text(&client, "#wizard-next", "Tilbage til opsummering").await?;
        type_into(&client, "system-name", "Afsendersystem Ærø og Marstal").await?;
        next_step(&client, "Opsummering").await?;
        wait_for_text(&client, "#summary-name", "Afsendersystem Ærø og Marstal").await?;
        let id = wizard_connect(&client).await?;
        let key = text_of(&client, "receipt-api-key").await?;
        ensure!(key.len() > 20, "an API key on the receipt: {key:?}");

        // The receipt downloads as a PDF holding the id and the key.
        let text = download_pdf_text(&client, &app, "download-receipt", "kvittering-").await?;
        ensure!(
            text.contains(&id)
                && text.contains(&key)
                && text.contains("Afsendersystem Ærø og Marstal"),
            "receipt text: {text}"
        );

        // SYS-04: a new API key from the detail page, after confirmation; the old one is gone.
        open_system(&client, &app, &id, "Afsendersystem Ærø").await?;
        click_and_wait(
            &client,
            "rotate-api-key",
            "#confirm-panel",
            "Vil du danne en ny API-key",
        )
        .await?;
        click_and_wait(
            &client,
            "confirm-yes",
            "#detail-message",
            "Der er dannet en ny API-key",
        )
        .await?;
        let rotated = text_of(&client, "api-key-value").await?;
        ensure!(
            rotated.len() > 20 && rotated != key,
            "a new key: {rotated:?}"
        );
        let admin = app.token_for("29189846",
            adgang_api_types::OrgKind::Authority,
            &[adgang_api_types::Right::SystemAdmin],
        );
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
        open_system(&client, &app, &second, "Modtager Syd").await?;
        // §6.1 (issue 33 item 7): a recipient system without contact points says so.
        wait_for_text(&client, "#no-contact-points", "ingen kontaktpunkter").await?;
        // An active system's page says why activation cannot change — outside the rows' <dl>
        // (a <p> inside a <dl> is invalid and an axe violation).
        wait_for_text(&client, "#part-activation", "mens systemet er aktivt").await?;
        ensure!(
            client.find_all(Locator::Css("dl p")).await?.is_empty(),
            "a <dl> holds only rows"
        );
        click_and_wait(
            &client,
            "make-primary",
            "#confirm-panel",
            "Vil du gøre dette system til primærsystem",
        )
        .await?;
        click_and_wait(&client, "confirm-yes", "#is-primary", "Primærsystem").await?;

        // Edit one field; the actions log has the before and after.
        click(&client, "part-contact-edit").await?;
        type_into(&client, "contact-email", "ny-drift@kommune.dk").await?;
        click_and_wait(
            &client,
            "detail-save",
            "#detail-message",
            "Ændringen er gemt",
        )
        .await?;
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
        open_page(
            &client,
            &app,
            "/systemtilslutning",
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
async fn sys_08_a_company_is_refused_a_second_recipient_system_in_danish() {
    browser_test("company_second_recipient", |client, app| async move {
        api_recipient_system(
            &app,
            "25052943",
            adgang_api_types::OrgKind::Company,
            "Æblegårdens modtager",
        )
        .await?;
        log_in_to_organisation(&client, &app, "10000003", "Testkommune Nord").await?;
        click_and_wait(
            &client,
            "switch-organisation",
            "#switch-form",
            "Æblegården ApS",
        )
        .await?;
        click(&client, "org-25052943").await?;
        click_and_wait(
            &client,
            "switch-ok",
            "#current-organisation",
            "Æblegården ApS",
        )
        .await?;

        open_page(
            &client,
            &app,
            "/systemtilslutning/opret",
            "#step-indicator",
            "Type",
        )
        .await?;
        next_step(&client, "Navn og rolle").await?;
        type_into(&client, "system-name", "Endnu en modtager").await?;
        // The rule that needs the database is checked on "Næste" too, on this step.
        next_shows(
            &client,
            "#system-role-error",
            "En virksomhed kan kun have ét modtagersystem",
        )
        .await?;
        wait_for_step(&client, "Navn og rolle").await?;
        // As a sender system it goes on.
        click_css(&client, "label[for='role-sender']").await?;
        next_step(&client, "Protokol og detaljer").await?;
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
        let contact_admin = app.token_for(NORTH, kind, &[adgang_api_types::Right::ContactAdmin]);
        let point = app
            .post_as(
                &format!("/api/v1/organisations/{NORTH}/contact-points"),
                &contact_admin,
                &serde_json::json!({
                    "name": "Affald og genbrug", "description": "Om affald og genbrug", "groupIds": [],
                    "visible": true, "audiences": ["citizens"], "keywords": ["affald"],
                    "active": true, "recipientSystemId": system
                }),
            )
            .await;
        ensure!(point.status() == 201, "binding a point: {}", point.status());

        log_in_as(&client, &app, "10000003").await?;
        open_system(&client, &app, &system, "Borgerpostmodtager").await?;
        ensure!(
            client.find(Locator::Id("no-contact-points")).await.is_err(),
            "a bound point: no warning"
        );
        // Issue 32 item 12: on a desktop the page uses its width — the parts are not
        // squeezed into a narrow column, and the attempts take the page's width.
        let widths = client
            .execute(
                "const w = s => Math.round(document.querySelector(s).getBoundingClientRect().width);
                 return { part: w('#part-name'), attempts: w('#delivery-attempts') };",
                vec![],
            )
            .await?;
        ensure!(
            widths["part"].as_u64().unwrap_or_default() >= 700
                && widths["attempts"].as_u64().unwrap_or_default() >= 1000,
            "the detail page at 1280 px: {widths}"
        );
        click_and_wait(&client, "delete-system", "#confirm-panel", "").await?;
        click(&client, "confirm-yes").await?;
        // The bound-points rule's own text (not the primary-system rule's), and the points.
        wait_for_text(&client, "#detail-error", "kontaktpunkter er tilsluttet").await?;
        wait_for_text(&client, "#detail-error-items", "Affald og genbrug").await?;
        let system_admin = app.token_for(NORTH, kind, &[adgang_api_types::Right::SystemAdmin]);
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
            let token = app.token_for(NORTH, kind, &[adgang_api_types::Right::SystemAdmin]);
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
            open_page(
                &client,
                &app,
                &format!("/systemtilslutning/{id}"),
                "#part-activation",
                "15.01.2027 10:00",
            )
            .await?;
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
            set_date(&client, "system-activation-at", "2027-02-01T08:30").await?;
            click_and_wait(&client, "detail-save", "#detail-message", "").await?;
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
