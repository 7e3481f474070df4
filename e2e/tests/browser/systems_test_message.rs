//! Issue 14 item 7 and CORE-01/CORE-03 in the SPA: "Send testmeddelelse" on a push system's
//! page, and a sender system's first API key — at the default width and at 390 px.

use crate::helpers::*;

/// Issue 14 item 7 and CORE-01 in the SPA: "Send testmeddelelse" on a push system's page shows
/// the result and the attempt; a sender system without a vendor gets its first API key.
async fn test_message_and_first_api_key(client: Client, app: TestApp) -> Result<()> {
    use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter};
    let peer = adgang_test_support::peer::FakePeer::start(200).await;
    let db = app.db().await;
    // The demo push system's endpoint becomes a peer on this machine. The app is a test
    // deployment (`allow_http_endpoints`): production's outbound guard refuses loopback
    // (issue 31), a test deployment lets it through to a local test peer.
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

    log_in_to_organisation(&client, &app, "10000003", "Testkommune Nord").await?;
    open_page(
        &client,
        &app,
        &format!("/systemtilslutning/{push}"),
        "#delivery-attempts",
        "Leveringsforsøg",
    )
    .await?;
    wait_for_text(&client, "#attempts-none", "ikke forsøgt leveret").await?;
    click_and_wait(
        &client,
        "send-test-message",
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

    open_page(
        &client,
        &app,
        &format!("/systemtilslutning/{sender}"),
        "#create-api-key",
        "Opret API-key",
    )
    .await?;
    click_and_wait(
        &client,
        "create-api-key",
        "#detail-message",
        "har fået en API-key",
    )
    .await?;
    let key = text_of(&client, "api-key-value").await?;
    ensure!(key.len() >= 40, "an API key is shown: {key:?}");
    // Now it has a key: "Vis API-key" replaces "Opret API-key".
    wait_for_text(&client, "#show-api-key", "Vis API-key").await?;
    ensure!(client.find(Locator::Id("create-api-key")).await.is_err());

    // Issue 14 item 8: the demo's letters to Æblegården lie in its Virk mailbox.
    open_page(
        &client,
        &app,
        "/testportal/mailboxes?recipient=25052943",
        "#mailbox",
        "Virk",
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn core_03_a_system_admin_sends_a_test_message_and_creates_a_first_api_key() {
    browser_test_with(
        "test_message",
        |s| s.allow_http_endpoints = true,
        test_message_and_first_api_key,
    )
    .await;
}

#[tokio::test]
async fn core_03_at_390_px_a_system_admin_sends_a_test_message_and_creates_a_first_api_key() {
    browser_test_with(
        "test_message_phone",
        |s| s.allow_http_endpoints = true,
        |client, app| at_phone_width(client, app, test_message_and_first_api_key),
    )
    .await;
}
