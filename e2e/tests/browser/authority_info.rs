//! Myndighedsinformation in the browser (issue 17, INFO-01..03), desktop and 390 px: Karl
//! Kontaktstruktur meets the https rule, tests an internal address (refused, never fetched),
//! saves the privacy-policy link, is refused a JPEG named .png, uploads a PNG logo whose preview
//! the public address serves, and removes it after confirming.

use adgang_authority_info::service::logo::samples::png;

use crate::helpers::*;

async fn set_link_and_logo(client: Client, app: TestApp) -> Result<()> {
    let files = tempfile::tempdir()?;
    let logo = files.path().join("logo.png");
    std::fs::write(&logo, png(200, 80))?;
    let jpeg = files.path().join("foto.png");
    std::fs::write(
        &jpeg,
        [0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F'],
    )?;

    log_in_as(&client, &app, "10000004").await?;
    open_page_with_heading(
        &client,
        &app,
        "/myndighedsinformation",
        "Myndighedsinformation",
    )
    .await?;
    wait_for_text(&client, "#info-no-logo", "ikke uploadet et logo").await?;

    type_into(&client, "info-url", "http://kommune.dk/privatliv").await?;
    click_and_wait(&client, "info-save", "#info-url-error", "https").await?;
    type_into(
        &client,
        "info-url",
        "https://169.254.169.254/latest/meta-data/",
    )
    .await?;
    click_and_wait(&client, "info-test", "#info-link-check", "internt").await?;
    type_into(&client, "info-url", "https://kommune.dk/privatlivspolitik").await?;
    click_and_wait(&client, "info-save", "#info-saved", "er gemt").await?;

    choose_file(&client, "info-logo-file", &jpeg).await?;
    wait_for_text(&client, "#info-logo-file-error", "ikke et PNG-billede").await?;
    choose_file(&client, "info-logo-file", &logo).await?;
    wait_for_text(&client, "#info-logo", "200 × 80 pixels").await?;
    // The preview is the address the platforms fetch: it loads as a 200-pixel image.
    wait_for_script(
        &client,
        "return document.querySelector('#info-logo img').naturalWidth",
        |width| *width == 200,
        |width| format!("preview width {width}"),
    )
    .await?;

    click_and_wait(&client, "info-remove", "#info-remove-warning", "fjernes").await?;
    click_and_wait(
        &client,
        "info-remove-confirm",
        "#info-no-logo",
        "ikke uploadet et logo",
    )
    .await?;

    // Saved: a fresh visit shows the link.
    client.goto(&app.url("/myndighedsinformation")).await?;
    wait_for_script(
        &client,
        "return document.getElementById('info-url')?.value || ''",
        |value| *value == "https://kommune.dk/privatlivspolitik",
        |value| format!("link shown: {value}"),
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn info_01_02_a_contact_admin_sets_the_link_and_the_logo() {
    browser_test("authority_info", set_link_and_logo).await;
}

#[tokio::test]
async fn info_01_02_at_390_px_a_contact_admin_sets_the_link_and_the_logo() {
    browser_test("authority_info_phone", |client, app| {
        at_phone_width(client, app, set_link_and_logo)
    })
    .await;
}
