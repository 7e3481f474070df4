//! NemSMS in the browser (issue 16): Birgitte Borgerservice enrols a citizen — a Danish field
//! error for a bad number, the receipt — the holder opens the link from the test portal's SMS
//! outbox and confirms it (once only), then Birgitte sees the citizen enrolled and unenrols
//! them; the same at 390 px for a company as Erik Erhvervsservice.

use adgang_api_types::PartyKind;
use adgang_registry::SyntheticRegistry;

use crate::helpers::*;

/// Opens the NemSMS page `path`, searches `number` and waits for its `state`.
async fn search(
    client: &Client,
    app: &TestApp,
    path: &str,
    number: &str,
    state: &str,
) -> Result<()> {
    open_page(client, app, path, "#wizard-step-heading", "Fremsøg").await?;
    type_into(client, "party-number", number).await?;
    click_and_wait(client, "sms-search", "#sms-state", state).await?;
    Ok(())
}

async fn enrol_confirm_unenrol(
    client: &Client,
    app: &TestApp,
    kind: PartyKind,
    rid: &str,
) -> Result<()> {
    let (path, number, phone, shown) = match kind {
        PartyKind::Citizen => (
            "/nemsms/borgere",
            SyntheticRegistry::citizen_cpr(20),
            "12 34 56 78",
            "+4512345678",
        ),
        PartyKind::Company => (
            "/nemsms/virksomheder",
            SyntheticRegistry::new()
                .company_cvrs()
                .nth(21)
                .expect("a synthetic company")
                .to_owned(),
            "+46 701234567",
            "+46701234567",
        ),
    };
    log_in_as(client, app, rid).await?;
    search(client, app, path, &number, "Ikke tilmeldt NemSMS").await?;
    click_to_step(client, "sms-enrol", "Tilmeld NemSMS").await?;
    // Neither 8 digits nor E.164: the API's field error, in Danish.
    type_into(client, "sms-phone", "1234").await?;
    click_and_wait(client, "sms-submit", "#sms-phone-error", "telefonnummer").await?;
    type_into(client, "sms-phone", phone).await?;
    click_and_wait(
        client,
        "sms-submit",
        "#sms-receipt-text",
        &format!("tilmeldt NemSMS med {shown}"),
    )
    .await?;

    // The holder: the link in the SMS outbox, then "Bekræft nummer".
    open_page(client, app, "/testportal/mailboxes", "#sms-outbox", shown).await?;
    let link = client
        .find(Locator::Css("#sms-outbox a.sms-link"))
        .await?
        .attr("href")
        .await?
        .context("the link's address")?;
    client.goto(&link).await?;
    wait_for_text(client, "h1", "Bekræft dit telefonnummer").await?;
    // The citizen's page, not the administrators' portal: no log-in there (issue 32 item 13).
    ensure!(
        absent(client, "log-in").await? && absent(client, "signed-in-as").await?,
        "the confirmation page offers the portal's log-in"
    );
    click_and_wait(
        client,
        "sms-confirm",
        "#sms-confirmed",
        &format!("{shown} er nu tilmeldt NemSMS"),
    )
    .await?;
    // Once only.
    client.goto(&link).await?;
    wait_for_text(client, "#sms-confirm", "Bekræft nummer").await?;
    click_and_wait(
        client,
        "sms-confirm",
        "#sms-confirm-error",
        "allerede brugt",
    )
    .await?;
    ensure!(
        absent(client, "sms-confirm").await?,
        "a used link still offers \"Bekræft nummer\""
    );

    // Back as the employee: enrolled; unenrol after confirming.
    search(
        client,
        app,
        path,
        &number,
        &format!("Tilmeldt NemSMS med {shown}"),
    )
    .await?;
    click_to_step(client, "sms-unenrol", "Frameld NemSMS").await?;
    wait_for_text(client, "#sms-unenrol-text", "afmeldes NemSMS med det samme").await?;
    click_and_wait(
        client,
        "sms-submit",
        "#sms-receipt-text",
        "er frameldt NemSMS",
    )
    .await?;
    click_to_step(client, "sms-back", "Fremsøg").await?;
    Ok(())
}

#[tokio::test]
async fn sms_01_02_03_citizen_service_enrols_a_citizen_who_confirms_by_the_sms_link() {
    browser_test("nemsms_citizen", |client, app| async move {
        enrol_confirm_unenrol(&client, &app, PartyKind::Citizen, "10000001").await
    })
    .await;
}

#[tokio::test]
async fn sms_01_02_03_at_390_px_business_service_enrols_a_company_that_confirms() {
    browser_test("nemsms_company_phone", |client, app| async move {
        client.set_window_size(390, 844).await?;
        enrol_confirm_unenrol(&client, &app, PartyKind::Company, "10000002").await
    })
    .await;
}
