//! Fritagelse in the browser (issue 16): Birgitte Borgerservice exempts a citizen through the
//! wizard — a Danish field error, the warning about unopened mail, an alternative address
//! missing its postal code, the summary, "Godkend fritagelse", the receipt PDF read back — and
//! lifts it again; Erik Erhvervsservice, who must not see citizens, exempts a company and renews
//! the exemption (on a 390 px phone).

use adgang_registry::SyntheticRegistry;

use crate::helpers::*;

/// Waits for the receipt and reads its PDF back.
async fn receipt_pdf(client: &Client, app: &TestApp) -> Result<String> {
    wait_for_text(client, "#exemption-receipt", "Kvitteringsnummer").await?;
    let text = download_pdf_text(client, app, "download-receipt", "kvittering-")
        .await?
        .replace('\n', " ");
    for file in std::fs::read_dir(downloads_dir(app))? {
        std::fs::remove_file(file?.path())?;
    }
    Ok(text)
}

/// "Fremsøg": the CPR or CVR `number`, on to the party's `status`.
async fn search_party(client: &Client, number: &str, status: &str) -> Result<()> {
    type_into(client, "party-number", number).await?;
    next_shows(client, "#party-status", status).await?;
    Ok(())
}

/// The summary's approve button, once it says `label`, clicked.
async fn approve(client: &Client, label: &str) -> Result<()> {
    wait_for_text(client, "#wizard-approve", label).await?;
    click(client, "wizard-approve").await
}

async fn exempt_and_lift_a_citizen(client: Client, app: TestApp) -> Result<()> {
    let cpr = SyntheticRegistry::citizen_cpr(0);
    log_in_as(&client, &app, "10000001").await?;
    click_css(&client, ".card[data-module='citizen_exemption']").await?;
    wait_for_text(&client, "#wizard-step-heading", "Fremsøg borger").await?;

    // Not a date: the API's field error, in Danish, at the field.
    type_into(&client, "party-number", "3213801234").await?;
    next_shows(&client, "#party-number-error", "skal være en dato").await?;
    type_into(
        &client,
        "party-number",
        &format!("{}-{}", &cpr[..6], &cpr[6..]),
    )
    .await?;
    next_step(&client, "Oplysninger").await?;
    wait_for_text(&client, "#party-status", "Tilmeldt Digital Post").await?;
    // The demo's year of traffic left letters in this citizen's mailbox, none opened (EX-01).
    wait_for_text(&client, "#unopened-warning", "uåbnet Digital Post").await?;
    let name = text_of(&client, "party-name").await?;

    // The page asks for the power of attorney; the API for the address's postal code.
    next_shows(&client, "#poa-error", "fuldmagt").await?;
    click(&client, "poa-yes").await?;
    click(&client, "forward-alternative").await?;
    type_into(&client, "alt-street", "Havnegade 3, 2. th.").await?;
    type_into(&client, "alt-city", "Aarhus C").await?;
    next_shows(&client, "#alt-postal-code-error", "udfyldes").await?;
    type_into(&client, "alt-postal-code", "8000").await?;
    type_into(&client, "note", "J.nr. 2026-77").await?;
    next_step(&client, "Opsummering").await?;
    wait_for_text(
        &client,
        "#exemption-summary",
        "Havnegade 3, 2. th., 8000 Aarhus C",
    )
    .await?;
    approve(&client, "Godkend fritagelse").await?;
    let text = receipt_pdf(&client, &app).await?;
    ensure!(
        text.contains("Kvittering for fritagelse af borger"),
        "{text}"
    );
    ensure!(text.contains(&name), "{text}");
    ensure!(text.contains("8000 Aarhus C"), "{text}");

    // Lift it: a new search shows the exemption; the summary says what is approved.
    click_to_step(&client, "new-search", "Fremsøg borger").await?;
    search_party(&client, &cpr, "Fritaget fra Digital Post siden").await?;
    ensure!(
        client.find(Locator::Id("unopened-warning")).await.is_err(),
        "no warning when lifting"
    );
    click(&client, "poa-no").await?;
    next_step(&client, "Opsummering").await?;
    approve(&client, "Godkend ophævelse").await?;
    wait_for_text(&client, "#receipt-text", "Fritagelsen er ophævet").await?;
    let text = receipt_pdf(&client, &app).await?;
    ensure!(text.contains("Ophævelsen træder i kraft"), "{text}");
    Ok(())
}

#[tokio::test]
async fn ex_01_02_03_citizen_service_exempts_a_citizen_and_lifts_the_exemption() {
    browser_test("exemption_citizen", exempt_and_lift_a_citizen).await;
}

#[tokio::test]
async fn ex_04_05_business_service_exempts_and_renews_a_company_on_a_phone_but_sees_no_citizens() {
    browser_test("exemption_company_phone", |client, app| async move {
        client.set_window_size(390, 844).await?;
        let cvr = SyntheticRegistry::new()
            .company_cvrs()
            .nth(11)
            .expect("a synthetic company")
            .to_owned();
        log_in_as(&client, &app, "10000002").await?;
        let modules = card_modules(&client).await?;
        ensure!(
            modules.contains(&"company_exemption".to_owned())
                && !modules.contains(&"citizen_exemption".to_owned()),
            "{modules:?}"
        );
        open_page(
            &client,
            &app,
            "/fritagelse/borgere",
            "main",
            "Du har ikke rettighed til dette modul",
        )
        .await?;

        open_page(
            &client,
            &app,
            "/fritagelse/virksomheder",
            "#wizard-step-heading",
            "Fremsøg virksomhed",
        )
        .await?;
        search_party(&client, &cvr, "Tilmeldt Digital Post").await?;
        click_css(&client, "label[for='poa-no']").await?;
        click_css(&client, "label[for='declined']").await?;
        next_step(&client, "Opsummering").await?;
        wait_for_text(&client, "#exemption-summary", "Ønskes ikke eftersendt").await?;
        click_and_wait(&client, "wizard-approve", "#exemption-receipt", "Udløber").await?;
        let text = receipt_pdf(&client, &app).await?;
        ensure!(
            text.contains("Kvittering for fritagelse af virksomhed"),
            "{text}"
        );
        ensure!(text.contains("Udløber"), "{text}");

        // Renew it from the same page.
        click(&client, "new-search").await?;
        search_party(&client, &cvr, "til og med 30.11.").await?;
        click_css(&client, "label[for='poa-no']").await?;
        next_shows(&client, ".form-error-message", "ophæves eller fornyes").await?;
        click_css(&client, "label[for='change-renew']").await?;
        next_step(&client, "Opsummering").await?;
        approve(&client, "Godkend fornyelse").await?;
        wait_for_text(&client, "#receipt-text", "fornyet og gælder nu til og med").await?;
        Ok(())
    })
    .await;
}
