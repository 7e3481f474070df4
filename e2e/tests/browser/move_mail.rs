//! Flyt post in the browser (issue 17, MV-01..04): Sara Systemadministrator moves Testkommune
//! Nord's 30 messages lying in Virk to a contact point of its recipient system — a Danish error
//! for a reversed period, a required point, the tick — and follows the progress to the end,
//! then downloads the receipt.

use adgang_api_types::{OrgKind, Right};
use adgang_messaging::entity::message;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use adgang_test_support::messages::in_virk;

use crate::helpers::*;

const NORTH: &str = "29189846";

/// `n` letters to Testkommune Nord lying in its Virk mailbox.
async fn seed_virk_mail(app: &TestApp, n: usize) -> Result<()> {
    use sea_orm::Set;
    let db = app.db().await;
    let now = chrono::Utc::now() - chrono::Duration::hours(1);
    let rows = (0..n).map(|i| {
        let id = format!("0190f3a1-0000-7000-8000-{i:012}");
        let mut row = in_virk(&id, "34051178", "demo", NORTH, now);
        row.title = Set(format!("Brev nr. {i}"));
        row
    });
    message::Entity::insert_many(rows)
        .exec_without_returning(&db)
        .await?;
    Ok(())
}

/// A contact point of Testkommune Nord bound to its demo recipient system; its id.
async fn point(app: &TestApp, name: &str, active: bool) -> Result<String> {
    let token = app.token_for(
        NORTH,
        OrgKind::Authority,
        &[Right::ContactAdmin, Right::SystemAdmin],
    );
    let systems: serde_json::Value = app
        .get_json_as(&format!("/api/v1/organisations/{NORTH}/systems"), &token)
        .await;
    let system = systems["items"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["role"] == "recipient"))
        .and_then(|s| s["id"].as_str())
        .context("the demo recipient system")?
        .to_owned();
    let response = app
        .post_as(
            &format!("/api/v1/organisations/{NORTH}/contact-points"),
            &token,
            &serde_json::json!({"name": name, "description": "Til flytning", "visible": true, "audiences": ["citizens"],
                                "keywords": ["post"], "active": active, "recipientSystemId": system}),
        )
        .await;
    ensure!(response.status() == 201, "point: {}", response.status());
    let body: serde_json::Value = response.json().await?;
    Ok(body["id"].as_str().context("an id")?.to_owned())
}

async fn move_the_virk_mail(client: Client, app: TestApp) -> Result<()> {
    seed_virk_mail(&app, 30).await?;
    let good = point(&app, "Postmodtagelse", true).await?;
    point(&app, "Lukket postkasse", false).await?;
    log_in_as(&client, &app, "10000003").await?;
    open_page_with_heading(&client, &app, "/flyt-post", "Flyt post").await?;
    click_to_step(&client, "move-begin", "Tidsperiode").await?;

    click_css(&client, "label[for='move-part']").await?;
    set_date(&client, "move-from", "2026-11-30").await?;
    set_date(&client, "move-to", "2026-11-01").await?;
    next_shows(&client, "#move-to-error", "efter fra-datoen").await?;
    click_css(&client, "label[for='move-all']").await?;
    next_step(&client, "Kontaktpunkt").await?;

    next_shows(&client, "#move-point-error", "skal udfyldes").await?;
    wait_for_text(&client, "#move-point", "Lukket postkasse (ikke aktivt)").await?;
    ensure!(
        absent(&client, "move-no-points").await?,
        "a usable point: no notice"
    );
    click_css(&client, &format!("#move-point option[value='{good}']")).await?;
    next_step(&client, "Opsummering").await?;
    wait_for_text(&client, "#move-summary-period", "Al post").await?;
    wait_for_text(&client, "#move-summary-point", "Postmodtagelse").await?;

    next_shows(&client, "#move-confirm-error", "slettes fra Virk").await?;
    click_css(&client, "label[for='move-confirm']").await?;
    next_shows(&client, "#move-receipt", "Flytningen er igangsat").await?;
    wait_for_text(&client, "#move-progress-text", "Gennemført: 30 af 30").await?;
    wait_for_text(&client, "#move-history", "Gennemført").await?;

    let text = download_pdf_text(&client, &app, "move-download", "kvittering-flyt-post").await?;
    ensure!(text.contains("Postmodtagelse"), "receipt: {text}");

    let left = message::Entity::find()
        .filter(message::Column::RecipientId.eq(NORTH))
        .filter(message::Column::Platform.is_not_null())
        .all(&app.db().await)
        .await?;
    ensure!(left.is_empty(), "{} left in Virk", left.len());
    Ok(())
}

#[tokio::test]
async fn mv_01_02_03_04_a_system_admin_moves_the_virk_mail_and_follows_the_progress() {
    browser_test("move_mail", move_the_virk_mail).await;
}

#[tokio::test]
async fn mv_01_02_03_04_at_390_px_a_system_admin_moves_the_virk_mail() {
    browser_test("move_mail_phone", |client, app| {
        at_phone_width(client, app, move_the_virk_mail)
    })
    .await;
}

#[tokio::test]
async fn sys_15_at_390_px_a_new_rest_push_system_takes_over_the_virk_mail() {
    browser_test("move_mail_sys_15_phone", |client, app| async move {
        client.set_window_size(390, 844).await?;
        seed_virk_mail(&app, 5).await?;
        log_in_as(&client, &app, "10000003").await?;
        client.goto(&app.url("/systemtilslutning/opret")).await?;
        wizard_name_and_role(&client, "Nyt sagssystem", "recipient").await?;
        click_css(&client, "label[for='protocol-rest_push']").await?;
        type_into(&client, "system-ips", "10.20.30.40").await?;
        type_into(&client, "system-endpoint", "https://sag.kommune.dk/dp").await?;
        next_step(&client, "Aktivering").await?;
        // SYS-15: offered at activation for a REST PUSH recipient system.
        wait_for_text(&client, "#move-virk-mail-group", "Eksisterende post i Virk").await?;
        click_css(&client, "label[for='move-virk-mail']").await?;
        click(&client, "wizard-next").await?;
        wizard_contact(&client).await?;
        wait_for_text(&client, "#summary-activation", "Flyttes til systemet").await?;
        click_and_wait(
            &client,
            "wizard-connect",
            "#receipt-virk-mail",
            "flyttes til systemet",
        )
        .await?;

        // Active at once: the move runs; "Flyt post" shows it done.
        open_page(
            &client,
            &app,
            "/flyt-post",
            "#move-history",
            "Gennemført: 5 af 5",
        )
        .await?;
        Ok(())
    })
    .await;
}

/// Issue 32 item 10: with no usable contact point, the destination step says why and where
/// to make one — the user is not left with only "Feltet skal udfyldes" on an empty list.
async fn no_contact_point_to_move_to(client: Client, app: TestApp) -> Result<()> {
    seed_virk_mail(&app, 3).await?;
    point(&app, "Lukket postkasse", false).await?;
    log_in_as(&client, &app, "10000003").await?;
    open_page_with_heading(&client, &app, "/flyt-post", "Flyt post").await?;
    click_to_step(&client, "move-begin", "Tidsperiode").await?;
    click_css(&client, "label[for='move-all']").await?;
    next_step(&client, "Kontaktpunkt").await?;
    wait_for_text(&client, "#move-no-points", "intet aktivt kontaktpunkt").await?;
    wait_for_text(
        &client,
        "#move-no-points a[href='/kontaktstruktur']",
        "Kontaktstruktur",
    )
    .await?;
    next_shows(&client, "#move-point-error", "skal udfyldes").await?;
    Ok(())
}

#[tokio::test]
async fn mv_01_with_no_usable_contact_point_the_user_is_told_where_to_make_one() {
    browser_test("move_mail_no_points", no_contact_point_to_move_to).await;
}

#[tokio::test]
async fn mv_01_at_390_px_with_no_usable_contact_point_the_user_is_told_where_to_make_one() {
    browser_test("move_mail_no_points_phone", |client, app| {
        at_phone_width(client, app, no_contact_point_to_move_to)
    })
    .await;
}
