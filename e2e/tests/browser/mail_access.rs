//! Adgang in the browser (issue 16): Birgitte Borgerservice finds a giver, is refused the giver
//! as their own holder, gives a company read-and-act access for an employee until a date,
//! downloads the receipt and revokes the access after confirming; at 390 px she gives access to
//! an exempt giver's mail and lifts the exemption.

use adgang_api_types::{OrgKind, Right};
use adgang_registry::SyntheticRegistry;

use crate::helpers::*;

async fn find_giver(client: &Client, app: &TestApp, cpr: &str) -> Result<()> {
    log_in_as(client, app, "10000001").await?;
    open_page(
        client,
        app,
        "/adgang",
        "#wizard-step-heading",
        "Fremsøg borger",
    )
    .await?;
    type_into(client, "giver-cpr", cpr).await?;
    click_and_wait(client, "giver-search", "#giver-status", "").await?;
    Ok(())
}

async fn give_revoke(client: Client, app: TestApp) -> Result<()> {
    let giver = SyntheticRegistry::citizen_cpr(200);
    let company = SyntheticRegistry::new()
        .company_cvrs()
        .nth(40)
        .expect("a synthetic company")
        .to_owned();
    find_giver(&client, &app, &giver).await?;
    wait_for_text(&client, "#no-holders", "ingen adgangshavere").await?;
    click_and_wait(
        &client,
        "access-create",
        "#wizard-step-heading",
        "Fremsøg adgangshaver",
    )
    .await?;
    // The giver as holder: refused in step 1 (issue 32 item 8), not after step 2.
    type_into(&client, "holder-number", &giver).await?;
    next_shows(
        &client,
        "#holder-number-error",
        "kan ikke selv være adgangshaver",
    )
    .await?;
    wait_for_text(&client, "#wizard-step-heading", "Fremsøg adgangshaver").await?;
    type_into(&client, "holder-number", &company).await?;
    next_step(&client, "Adgangens indhold").await?;
    // §10.3 step 3: the holder's enrolment status with their name (issue 33 item 7).
    wait_for_text(&client, "#holder-status", "Tilmeldt Digital Post").await?;
    click(&client, "level-read-write").await?;
    type_into(&client, "employee-name", "Bo Bogholder").await?;
    click(&client, "expiry-date").await?;
    next_shows(&client, "#expires-on-missing", "sidste dag").await?;
    // A last day that is not after today has its own words — not a system's "…aktivér nu".
    let today = chrono::Utc::now().date_naive();
    set_date(&client, "expires-on", &today.to_string()).await?;
    click(&client, "wizard-next").await?;
    let refused = wait_for_text(
        &client,
        "#expires-on-error",
        "Sidste dag skal ligge efter i dag",
    )
    .await?;
    ensure!(!refused.contains("aktivér"), "{refused}");
    let last_day = (chrono::Utc::now() + chrono::Duration::days(60)).date_naive();
    set_date(&client, "expires-on", &last_day.to_string()).await?;
    next_step(&client, "Opsummering").await?;
    wait_for_text(&client, "#access-summary", "Bo Bogholder").await?;
    wait_for_text(
        &client,
        "#access-summary",
        &last_day.format("%d.%m.%Y").to_string(),
    )
    .await?;
    click_and_wait(
        &client,
        "wizard-approve",
        "#access-receipt-text",
        "Adgangen er oprettet",
    )
    .await?;
    let text = download_pdf_text(&client, &app, "download-receipt", "kvittering-")
        .await?
        .replace('\n', " ");
    ensure!(
        text.contains("Kvittering for adgang til Digital Post"),
        "{text}"
    );
    ensure!(text.contains("Læse- og handleadgang"), "{text}");

    // Back to the giver: the holder in the table; revoke after confirming.
    click_and_wait(&client, "access-back", "#holders-table", "Bo Bogholder").await?;
    click_and_wait(&client, "revoke-0", "#revoke-text", "kan ikke fortrydes").await?;
    click_and_wait(&client, "revoke-confirm", "#access-notice", "er ophævet").await?;
    wait_for_text(&client, "#no-holders", "ingen adgangshavere").await?;
    Ok(())
}

#[tokio::test]
async fn acc_01_02_03_04_citizen_service_gives_and_revokes_access_to_a_citizens_mail() {
    browser_test("mail_access", give_revoke).await;
}

#[tokio::test]
async fn acc_02_at_390_px_an_exempt_givers_exemption_is_lifted_with_the_access() {
    browser_test("mail_access_exempt_phone", |client, app| async move {
        client.set_window_size(390, 844).await?;
        let giver = SyntheticRegistry::citizen_cpr(210);
        let token = app.token_for("29189846",
            OrgKind::Authority,
            &[Right::CitizenService],
        );
        let exempted = app
            .post_as(
                "/api/v1/organisations/29189846/exemptions/citizens",
                &token,
                &serde_json::json!({ "party": giver, "powerOfAttorney": false, "forwarding": "registered_address" }),
            )
            .await;
        ensure!(exempted.status() == 201, "exempted first");
        find_giver(&client, &app, &giver).await?;
        wait_for_text(&client, "#giver-status", "fritaget fra Digital Post siden").await?;
        click(&client, "access-create").await?;
        type_into(
            &client,
            "holder-number",
            &SyntheticRegistry::citizen_cpr(211),
        )
        .await?;
        next_step(&client, "Adgangens indhold").await?;
        next_shows(&client, "#exemption-error", "ophæves eller bevares").await?;
        click(&client, "exemption-lift").await?;
        next_step(&client, "Opsummering").await?;
        click_and_wait(
            &client,
            "wizard-approve",
            "#access-receipt-text",
            "fritagelse fra Digital Post er ophævet",
        )
        .await?;
        // Above the receipt, the giver is no longer shown as exempt; the holder is labelled
        // as the holder, not by the step that found them (issue 32 item 8).
        wait_for_text(&client, "#giver-status", "Tilmeldt Digital Post").await?;
        wait_for_text(&client, "#access-receipt", "Adgangshaver").await?;
        ensure!(
            !text_of(&client, "access-receipt")
                .await?
                .contains("Fremsøg"),
            "the receipt labels the holder by a step's name"
        );
        click_and_wait(
            &client,
            "access-back",
            "#giver-status",
            "Tilmeldt Digital Post",
        )
        .await?;
        Ok(())
    })
    .await;
}
