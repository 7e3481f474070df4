//! Issue 35: an SFTP sender system shows where it delivers its bulk files and the host key to
//! pin — on the receipt (page and PDF) and on the system's page.

use crate::helpers::*;

#[tokio::test]
async fn issue_35_an_sftp_sender_system_shows_its_sftp_address_and_host_key_fingerprint() {
    browser_test("sftp_system", walk).await;
}

#[tokio::test]
async fn issue_35_at_390_px_an_sftp_sender_system_shows_its_sftp_address_and_host_key() {
    browser_test("sftp_system_390", |client, app| {
        at_phone_width(client, app, walk)
    })
    .await;
}

/// The wizard for an SFTP sender system, its receipt (page and PDF) and its page.
async fn walk(client: Client, app: TestApp) -> Result<()> {
    {
        let port = app
            .sftp_port
            .expect("the SFTP service runs in browser tests");
        open_systems_as_sara(&client, &app, "Brevudsender").await?;
        click(&client, "create-system").await?;
        wizard_name_and_role(&client, "Masseforsendelser Ærø", "sender").await?;
        click_css(&client, "label[for='protocol-sftp']").await?;
        let key = std::fs::read_to_string(
            adgang_test_support::workspace_root().join("crates/test-support/fixtures/ssh/ed.pub"),
        )?;
        type_into(&client, "system-ssh-key", key.trim()).await?;
        type_into(&client, "system-ips", "127.0.0.1").await?;
        next_step(&client, "Aktivering").await?;
        click(&client, "wizard-next").await?;
        wizard_contact(&client).await?;
        let id = wizard_connect(&client).await?;

        // The receipt: the address to connect to, the host key's fingerprint to pin — the one
        // the service presents (read with OpenSSH's ssh-keyscan).
        let address = format!("sftp://{id}@127.0.0.1:{port}");
        wait_for_text(&client, "#receipt-sftp-address", &address).await?;
        let fingerprint = text_of(&client, "receipt-sftp-fingerprint").await?;
        let scanned = tokio::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ssh-keyscan -p {port} -t ed25519 127.0.0.1 2>/dev/null | ssh-keygen -lf -"
            ))
            .output()
            .await?;
        let scanned = String::from_utf8_lossy(&scanned.stdout).into_owned();
        ensure!(
            fingerprint.starts_with("SHA256:") && scanned.contains(&fingerprint),
            "the receipt's {fingerprint:?} is the service's: {scanned}"
        );
        wait_for_text(&client, "#receipt-sftp", "/inbox").await?;

        // The receipt as PDF says the same.
        let text = download_pdf_text(&client, &app, "download-receipt", "kvittering-").await?;
        ensure!(
            text.contains("SFTP-adresse") && text.contains(&fingerprint),
            "receipt text: {text}"
        );

        // And the system's page.
        open_system(&client, &app, &id, "Masseforsendelser Ærø").await?;
        wait_for_text(&client, "#detail-sftp-address", &address).await?;
        ensure!(
            text_of(&client, "detail-sftp-fingerprint").await? == fingerprint,
            "the same fingerprint on the page"
        );
        Ok(())
    }
}
