//! Vendors' standard systems in the SPA (SYS-09, X-04): publish, edit and withdraw; the wizard
//! with a standard system, its locked parts offering no edit — each also at 390 px.

use crate::helpers::*;

#[tokio::test]
async fn sys_09_a_vendor_publishes_edits_and_withdraws_a_standard_system() {
    browser_test("standard_vendor", vendor_publishes_edits_and_withdraws).await;
}

#[tokio::test]
async fn sys_09_at_390_px_a_vendor_publishes_edits_and_withdraws_a_standard_system() {
    browser_test("standard_vendor_phone", |client, app| {
        at_phone_width(client, app, vendor_publishes_edits_and_withdraws)
    })
    .await;
}

/// SYS-09 from the vendor's side.
async fn vendor_publishes_edits_and_withdraws(client: Client, app: TestApp) -> Result<()> {
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
    log_in_to_organisation(&client, &app, "10000099", "Systemleverandøren").await?;
    open_page_with_heading(&client, &app, "/systemtilslutning", "Systemtilslutning").await?;
    click(&client, "more-options").await?;
    click_and_wait(
        &client,
        "standard-systems-link",
        "main h1",
        "Standardsystemer",
    )
    .await?;
    // The demo's standard system, not yet used by anyone.
    wait_for_text(&client, "#std-table", "SagsPro Standard").await?;

    // Publish: the system's own form, without a vendor field (the vendor is us).
    click_and_wait(
        &client,
        "std-publish-open",
        "#std-form h2",
        "Udgiv standardsystem",
    )
    .await?;
    ensure!(
        count(&client, "#system-vendor").await? == 0,
        "no vendor field"
    );
    type_into(&client, "system-name", "Leverandør Post").await?;
    type_into(&client, "system-ips", "192.0.2.50").await?;
    type_into(&client, "system-endpoint", "http://post.leverandoer.dk/dp").await?;
    type_into(&client, "contact-email", "support@leverandoer.dk").await?;
    type_into(&client, "contact-phone", "70101010").await?;
    click_and_wait(
        &client,
        "std-save",
        "#system-endpoint-error",
        "Adressen skal begynde med https://",
    )
    .await?;
    type_into(&client, "system-endpoint", "https://post.leverandoer.dk/dp").await?;
    click_and_wait(
        &client,
        "std-save",
        "#std-message",
        "Standardsystemet er udgivet",
    )
    .await?;
    wait_for_text(&client, "#std-table", "Leverandør Post").await?;

    // Edit it: the new IP address is saved.
    click_xpath(
        &client,
        "//tr[td[contains(., 'Leverandør Post')]]//button[starts-with(@id, 'std-edit-')]",
    )
    .await?;
    wait_for_text(&client, "#std-form h2", "Redigér standardsystem").await?;
    type_into(&client, "system-ips", "192.0.2.51").await?;
    click_and_wait(&client, "std-save", "#std-message", "Ændringen er gemt").await?;
    let token = app.token_for(
        "30808460",
        adgang_api_types::OrgKind::Company,
        &[adgang_api_types::Right::SystemAdmin],
    );
    let own: Vec<adgang_api_types::PublishedStandardSystem> = app
        .get_json_as::<adgang_api_types::Page<adgang_api_types::PublishedStandardSystem>>(
            "/api/v1/organisations/30808460/standard-systems",
            &token,
        )
        .await
        .items;
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
    click_and_wait(
        &client,
        &format!("std-withdraw-{}", post.standard.id),
        "#std-withdraw-panel",
        "Leverandør Post fjernes fra kataloget",
    )
    .await?;
    click_and_wait(
        &client,
        "std-withdraw-yes",
        "#std-message",
        "trukket tilbage",
    )
    .await?;
    let table = wait_for_text(&client, "#std-table", "SagsPro Standard").await?;
    ensure!(!table.contains("Leverandør Post"), "withdrawn: {table}");
    Ok(())
}

#[tokio::test]
async fn x_04_a_standard_system_is_checked_step_by_step_and_its_locked_parts_offer_no_edit() {
    browser_test("standard_wizard", standard_system_wizard).await;
}

#[tokio::test]
async fn x_04_at_390_px_the_standard_system_wizard_checks_each_step() {
    browser_test("standard_wizard_phone", |client, app| {
        at_phone_width(client, app, standard_system_wizard)
    })
    .await;
}

/// X-04 with a standard system.
async fn standard_system_wizard(client: Client, app: TestApp) -> Result<()> {
    log_in_to_organisation(&client, &app, "10000003", "Testkommune Nord").await?;
    open_page(
        &client,
        &app,
        "/systemtilslutning/opret",
        "#step-indicator",
        "Opsummering",
    )
    .await?;
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
    next_shows(&client, "#standard-missing-error", "Vælg et standardsystem").await?;
    click_css(&client, "#standard-vendor option[value='30808460']").await?;
    click_xpath(
        &client,
        "//select[@id='standard-system']/option[contains(., 'SagsPro Standard')]",
    )
    .await?;
    next_shows(
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
    next_step(&client, "Navn og rolle").await?;
    type_into(&client, "system-name", "SagsPro hos Nord").await?;
    for heading in ["Protokol og detaljer", "Aktivering", "Teknisk kontakt"] {
        next_step(&client, heading).await?;
    }
    // §5.6 step 5: the vendor's contact is locked; an extra e-mail of our own is allowed.
    let email = client.find(Locator::Id("contact-email")).await?;
    ensure!(
        email.attr("disabled").await?.is_some(),
        "the vendor's e-mail is locked"
    );
    type_into(&client, "contact-extra", "it@nord.dk").await?;
    next_step(&client, "Opsummering").await?;
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
    let id = wizard_connect(&client).await?;

    // The same on the detail page.
    open_system(&client, &app, &id, "SagsPro hos Nord").await?;
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
}
