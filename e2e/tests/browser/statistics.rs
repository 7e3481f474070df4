//! Statistik in the browser (issue 18, ST-01..05): Stine Statistik of Region Prøvested orders a
//! custom report (Danish field errors first), waits for the scheduler to make it, downloads the
//! CSV and reads its details; then subscribes to a standard report and cancels it on its
//! details page — at desktop width and at 390 px.

use std::sync::Arc;

use adgang_messaging::entity::message;
use adgang_test_support::messages::in_virk;
use sea_orm::EntityTrait;

use crate::helpers::*;

const REGION: &str = "10213231";

/// Region Prøvested's mail two days ago: 12 letters to citizens, 3 received from Testkommune
/// Nord. Then the statistics scheduler runs (the app's own is off in tests) every second.
async fn seed_and_schedule(app: &TestApp) -> Result<()> {
    let db = app.db().await;
    let at = chrono::Utc::now() - chrono::Duration::days(2);
    let rows = (0..15).map(|i| {
        let id = format!("0190f3a1-0000-7000-8018-{i:012}");
        if i < 12 {
            in_virk(&id, REGION, "region-system", &format!("01015{i:05}"), at)
        } else {
            in_virk(&id, "29189846", "demo", REGION, at)
        }
    });
    message::Entity::insert_many(rows)
        .exec_without_returning(&db)
        .await?;
    let worker = adgang_statistics::ProductionWorker {
        idle: Duration::from_secs(1),
        ..adgang_test_support::messages::statistics_worker(
            app,
            Arc::new(adgang_messaging::outbox::MailOutbox),
        )
        .await
    };
    tokio::spawn(adgang_core::jobs::run_forever(worker));
    Ok(())
}

/// Enters the custom report's period, `from` to `to`.
async fn set_period(client: &Client, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Result<()> {
    set_date(client, "custom-from", &from.to_string()).await?;
    set_date(client, "custom-to", &to.to_string()).await
}

async fn order_report_and_subscription(client: Client, app: TestApp) -> Result<()> {
    seed_and_schedule(&app).await?;
    log_in_as(&client, &app, "10000006").await?;
    open_page_with_heading(&client, &app, "/statistik", "Statistik").await?;
    wait_for_text(&client, "#reports-empty", "ingen rapporter").await?;

    // A custom report: nothing filled in → Danish errors from the API.
    click_and_wait(
        &client,
        "order-custom",
        "#order-heading",
        "Bestil brugerdefineret rapport",
    )
    .await?;
    let today = chrono::Utc::now().date_naive();
    set_period(&client, today, today - chrono::Duration::days(7)).await?;
    click_and_wait(
        &client,
        "order-submit",
        "#custom-name-error",
        "Feltet skal udfyldes",
    )
    .await?;
    wait_for_text(&client, "#custom-variables-error", "Feltet skal udfyldes").await?;
    wait_for_text(&client, "#custom-to-error", "Til-datoen skal være").await?;

    // Issue 33 item 7 (§14.6): each variable says what it holds, as the guide's table 14.2.
    wait_for_text(
        &client,
        "#variable-sender-hint",
        "Kun jeres egen organisation",
    )
    .await?;
    wait_for_text(
        &client,
        "#variable-message_type-hint",
        "servicebeskeder (NemSMS)",
    )
    .await?;
    type_into(&client, "custom-name", "Breve til borgere").await?;
    click(&client, "variable-message_type").await?;
    click(&client, "variable-recipient_customer_type").await?;
    set_period(
        &client,
        today - chrono::Duration::days(7),
        today - chrono::Duration::days(1),
    )
    .await?;
    click_and_wait(
        &client,
        "order-submit",
        "#statistics-done",
        "“Breve til borgere” er bestilt",
    )
    .await?;
    // The scheduler makes it; the overview follows without a reload.
    wait_for_text(&client, "#reports", "Klar til download").await?;
    click_css(&client, "#reports button[aria-label^='Download rapport']").await?;
    let csv = wait_for_download(&app, "statistik").await?;
    ensure!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let text = String::from_utf8(csv[3..].to_vec())?;
    ensure!(
        text == "Beskedtype;Kundetype (Modtager);Antal meddelelser\r\nMeddelelse;Myndighed;3\r\nMeddelelse;Borger;12\r\n",
        "the CSV: {text:?}"
    );
    click_css(&client, "#reports button[aria-label^='Se detaljer']").await?;
    wait_for_text(&client, "#details-heading", "Breve til borgere").await?;
    wait_for_text(
        &client,
        "#details-variables",
        "Beskedtype, Kundetype (Modtager)",
    )
    .await?;
    wait_for_text(&client, "#details-size", "2 rækker").await?;
    wait_for_text(&client, "#details-custom-note", "kan ikke opsiges").await?;
    click(&client, "details-close").await?;

    // A standard report with an interval and an e-mail, then cancelled.
    click_and_wait(
        &client,
        "order-standard",
        "#order-heading",
        "Bestil standardrapport",
    )
    .await?;
    click_css(&client, "#standard-report option[value='systems']").await?;
    wait_for_text(
        &client,
        "#standard-variables",
        "Afsendersystem, Modtagersystem",
    )
    .await?;
    // Issue 33 item 7 (§14.6): the chosen report says what it is for (the guide's table 14.1).
    wait_for_text(
        &client,
        "#standard-description",
        "hvilke systemer der anvendes til hvilke kundetyper",
    )
    .await?;
    click(&client, "interval-quarterly").await?;
    type_into(&client, "order-email", "ikke-en-adresse").await?;
    click_and_wait(&client, "order-submit", "#order-email-error", "e-mail").await?;
    type_into(&client, "order-email", "stine@region.dk").await?;
    click_and_wait(
        &client,
        "order-submit",
        "#statistics-done",
        "“Anvendelse af systemer” er bestilt",
    )
    .await?;
    wait_for_text(&client, "#reports", "Kvartalsvis").await?;
    click_css(
        &client,
        "#reports button[aria-label='Se detaljer – Anvendelse af systemer']",
    )
    .await?;
    wait_for_text(&client, "#details-scope", "Kvartalsvis").await?;
    click_and_wait(
        &client,
        "details-cancel",
        "#cancel-confirm",
        "Er du sikker?",
    )
    .await?;
    click_and_wait(
        &client,
        "cancel-confirm-button",
        "#statistics-done",
        "Abonnementet er opsagt",
    )
    .await?;
    let rows = client.find_all(Locator::Css("#reports tbody tr")).await?;
    ensure!(
        rows.len() == 1,
        "only the custom report is left, got {}",
        rows.len()
    );
    Ok(())
}

#[tokio::test]
async fn st_01_05_a_statistics_admin_orders_downloads_and_cancels_reports() {
    browser_test_without_history("statistics", order_report_and_subscription).await;
}

#[tokio::test]
async fn st_01_05_at_390_px_a_statistics_admin_orders_downloads_and_cancels_reports() {
    browser_test_without_history("statistics_390", |client, app| {
        at_phone_width(client, app, order_report_and_subscription)
    })
    .await;
}
