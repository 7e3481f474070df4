//! Keyboard paths (X-02, issue 11): the tree and both wizards used with Tab, Enter, Space and
//! arrows only — every control reachable in order and operable, no mouse.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

use crate::helpers::*;

/// Styrelsen for Digital Test, where Karl (10000004) is contact administrator.
const AGENCY: &str = "34051178";

/// Logs in as Karl Kontaktstruktur and opens the contact tree, its group "Borgerservice" shown.
async fn open_tree_as_karl(client: &Client, app: &TestApp) -> Result<()> {
    log_in_as(client, app, "10000004").await?;
    open_page(
        client,
        app,
        "/kontaktstruktur",
        "#contact-tree",
        "Borgerservice",
    )
    .await?;
    Ok(())
}

/// Presses and releases `key` wherever the focus is.
async fn press(client: &Client, key: Key) -> Result<()> {
    let key: char = key.into();
    let actions = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    client.perform_actions(actions).await?;
    Ok(())
}

/// Presses Tab until the focused element matches `selector` (at most 80 times).
async fn tab_to(client: &Client, selector: &str) -> Result<()> {
    for _ in 0..80 {
        press(client, Key::Tab).await?;
        let there = client
            .execute(
                "return document.activeElement !== null && document.activeElement.matches(arguments[0])",
                vec![selector.into()],
            )
            .await?;
        if there == true {
            return Ok(());
        }
    }
    bail!("Tab never reached {selector}")
}

/// Types `text` into the focused element, key by key.
async fn type_text(client: &Client, text: &str) -> Result<()> {
    let mut actions = KeyActions::new("typing".to_owned());
    for c in text.chars() {
        actions = actions
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c });
    }
    client.perform_actions(actions).await?;
    Ok(())
}

#[tokio::test]
async fn x_02_the_contact_tree_is_opened_and_followed_with_the_keyboard() {
    browser_test_without_history("keyboard_tree", |client, app| async move {
        let token = agency_contact_admin_token(&app);
        let path = format!("/api/v1/organisations/{AGENCY}/contact-groups");
        let parent: adgang_api_types::ContactGroup = app
            .post_as(&path, &token, &serde_json::json!({"name": "Borgerservice"}))
            .await
            .json()
            .await?;
        let child = app
            .post_as(
                &path,
                &token,
                &serde_json::json!({"name": "Pas og kørekort", "parentIds": [parent.id]}),
            )
            .await;
        ensure!(child.status() == 201, "child group: {}", child.status());

        open_tree_as_karl(&client, &app).await?;
        ensure!(
            !text_of(&client, "contact-tree")
                .await?
                .contains("Pas og kørekort"),
            "the tree starts closed"
        );
        let toggle = format!("#toggle-{}", parent.id);
        tab_to(&client, &toggle).await?;
        press(&client, Key::Enter).await?;
        wait_for_text(&client, "#contact-tree", "Pas og kørekort").await?;
        let expanded = client
            .find(Locator::Css(&toggle))
            .await?
            .attr("aria-expanded")
            .await?;
        ensure!(
            expanded.as_deref() == Some("true"),
            "aria-expanded: {expanded:?}"
        );

        // The child's "Flere valg" opens with Enter, its "Detaljer" link follows with Enter.
        tab_to(
            &client,
            "li.contact-group li.contact-group details.row-menu summary",
        )
        .await?;
        press(&client, Key::Enter).await?;
        tab_to(&client, "li.contact-group li.contact-group a[id^='open-']").await?;
        press(&client, Key::Enter).await?;
        wait_for_text(&client, "main h1", "Pas og kørekort").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn x_02_a_system_is_begun_in_the_wizard_with_the_keyboard() {
    browser_test("keyboard_wizard", |client, app| async move {
        log_in_as(&client, &app, "10000003").await?;
        open_page_with_heading(&client, &app, "/systemtilslutning", "Systemtilslutning").await?;
        tab_to(&client, "#create-system").await?;
        press(&client, Key::Enter).await?;
        wait_for_text(&client, "#step-indicator", "Opsummering").await?;
        // Step 1 (standard system or not): on with Enter on "Næste"; focus moves to the new
        // step's heading, so Tab continues from the top of the step.
        tab_to(&client, "#wizard-next").await?;
        press(&client, Key::Enter).await?;
        wait_for_step(&client, "Navn og rolle").await?;
        // Step 2: name typed, role chosen, on.
        tab_to(&client, "#system-name").await?;
        type_text(&client, "Tastatursystem").await?;
        // Radios: Tab reaches the group at its checked radio ("Modtager", the default); the
        // arrow keys choose another.
        tab_to(&client, "input[name='system-role']").await?;
        press(&client, Key::Up).await?;
        tab_to(&client, "#wizard-next").await?;
        press(&client, Key::Enter).await?;
        wait_for_text(
            &client,
            "#step-indicator li[aria-current='step']",
            "Protokol",
        )
        .await?;
        wait_for_step(&client, "Protokol og detaljer").await?;
        // Back with the keyboard: the role the arrow chose ("Afsender", above) is kept.
        tab_to(&client, "#wizard-back").await?;
        press(&client, Key::Enter).await?;
        wait_for_step(&client, "Navn og rolle").await?;
        let chosen = client
            .execute(
                "return [...document.querySelectorAll(\"input[name='system-role']\")].filter(r => r.checked).map(r => r.id)",
                vec![],
            )
            .await?;
        ensure!(
            chosen == serde_json::json!(["role-sender"]),
            "the role chosen with the arrow key: {chosen}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn x_02_a_contact_point_is_begun_in_the_wizard_with_the_keyboard() {
    browser_test_without_history("keyboard_point_wizard", |client, app| async move {
        let token = agency_contact_admin_token(&app);
        let group = app
            .post_as(
                &format!("/api/v1/organisations/{AGENCY}/contact-groups"),
                &token,
                &serde_json::json!({"name": "Borgerservice"}),
            )
            .await;
        ensure!(group.status() == 201, "group: {}", group.status());

        open_tree_as_karl(&client, &app).await?;
        // "Opret" is a menu: Enter opens it, Tab reaches "Nyt kontaktpunkt".
        tab_to(&client, "#cs-create").await?;
        press(&client, Key::Enter).await?;
        tab_to(&client, "#cs-new-point").await?;
        press(&client, Key::Enter).await?;
        wait_for_text(&client, "#cp-wizard h2", "Navn og placering").await?;
        tab_to(&client, "#cp-name").await?;
        type_text(&client, "Pas og kørekort").await?;
        tab_to(&client, "#cp-description").await?;
        type_text(&client, "Skriv til os om pas").await?;
        tab_to(&client, "input[id^='cp-group-']").await?;
        press(&client, Key::Space).await?;
        tab_to(&client, "#cp-next").await?;
        press(&client, Key::Enter).await?;
        wait_for_step(&client, "Tilgængelighed").await?;
        tab_to(&client, "#cp-next").await?;
        press(&client, Key::Enter).await?;
        wait_for_step(&client, "Søgeord og koder").await?;
        Ok(())
    })
    .await;
}
