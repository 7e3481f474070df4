//! Tilbagekald in the browser (issue 17, RC-01..03): Sara Systemadministrator looks up an
//! unknown id, a message sent at once (refused before any button) and a message of the demo
//! held for its value date, which she recalls after confirming.

use adgang_messaging::entity::message;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::*;

const NORTH: &str = "29189846";

async fn demo_message(app: &TestApp, held: bool) -> Result<message::Model> {
    let query = message::Entity::find().filter(message::Column::SenderCvr.eq(NORTH));
    let query = if held {
        query.filter(message::Column::State.eq("held"))
    } else {
        query.filter(message::Column::ValueDate.is_null())
    };
    query
        .one(&app.db().await)
        .await?
        .context("a demo message of Testkommune Nord")
}

async fn look_up(client: &Client, id: &str) -> Result<()> {
    type_into(client, "recall-message-id", id).await?;
    click(client, "recall-search").await
}

async fn recall_a_held_message(client: Client, app: TestApp) -> Result<()> {
    let held = demo_message(&app, true).await?;
    let at_once = demo_message(&app, false).await?;
    log_in_as(&client, &app, "10000003").await?;
    open_page_with_heading(&client, &app, "/tilbagekald", "Tilbagekald").await?;

    look_up(&client, "findes-ikke").await?;
    wait_for_text(&client, "#recall-conflict", "ingen meddelelse").await?;

    look_up(&client, &at_once.message_id).await?;
    wait_for_text(&client, "#recall-refusal", "ingen valørdato").await?;
    ensure!(
        absent(&client, "recall-start").await?,
        "no Tilbagekald button for a message sent at once"
    );

    look_up(&client, &held.message_id).await?;
    wait_for_text(&client, "#recall-title", &held.title).await?;
    let date = held.value_date.context("a value date")?;
    wait_for_text(
        &client,
        "#recall-value-date",
        &date.format("%d-%m-%Y").to_string(),
    )
    .await?;
    click_and_wait(
        &client,
        "recall-start",
        "#recall-warning",
        "kan ikke fortrydes",
    )
    .await?;
    click_and_wait(
        &client,
        "recall-confirm",
        "#recall-done",
        "Meddelelsen er tilbagekaldt",
    )
    .await?;
    let stored = message::Entity::find_by_id(held.id.clone())
        .one(&app.db().await)
        .await?
        .context("the message")?;
    ensure!(stored.state == "recalled", "state {}", stored.state);

    look_up(&client, &held.message_id).await?;
    wait_for_text(&client, "#recall-refusal", "allerede tilbagekaldt").await?;
    Ok(())
}

#[tokio::test]
async fn rc_01_02_03_a_system_admin_recalls_a_held_message_after_confirming() {
    browser_test("recall", recall_a_held_message).await;
}

#[tokio::test]
async fn rc_01_02_03_at_390_px_a_system_admin_recalls_a_held_message() {
    browser_test("recall_phone", |client, app| {
        at_phone_width(client, app, recall_a_held_message)
    })
    .await;
}
