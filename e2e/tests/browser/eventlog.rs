//! Hændelseslog in the browser (issue 15): Lone Logadministrator searches the message log,
//! pages it, meets a Danish field error, follows a deep link, downloads CSV, sees a large search
//! become an export with progress, and finds her own CPR search in the searches log (LOG-03).

use adgang_api_types::{MessageEvent, MessageType};
use adgang_core::audit::{record_message_events, MessageEventRecord};

use crate::helpers::*;

const REGION: &str = "10213231";
const CPR: &str = "0101801234";

/// `n` outgoing events of Region Prøvested in the last hours, every fourth to `CPR`.
async fn seed(app: &TestApp, n: usize) -> Result<()> {
    let db = app.db().await;
    let now = chrono::Utc::now();
    let records: Vec<_> = (0..n)
        .map(|i| {
            let mut r = MessageEventRecord::new(
                REGION,
                MessageEvent::Validated,
                now - chrono::Duration::seconds(30 + i as i64),
            );
            r.title = Some(format!("Afgørelse nr. {i}"));
            r.message_type = Some(MessageType::Letter);
            r.sender_id = Some(REGION.to_owned());
            r.recipient_id = Some(if i % 4 == 0 { CPR } else { "25052943" }.to_owned());
            r.message_id = Some(format!("0190f3a0-0000-7000-8000-{i:012}"));
            r
        })
        .collect();
    for chunk in records.chunks(500) {
        record_message_events(&db, chunk.to_vec()).await?;
    }
    Ok(())
}

async fn rows(client: &Client) -> Result<usize> {
    Ok(client
        .find_all(Locator::Css("#log-table tbody tr"))
        .await?
        .len())
}

async fn search_pages_and_download(client: Client, app: TestApp) -> Result<()> {
    seed(&app, 60).await?;
    log_in_as(&client, &app, "10000005").await?;
    client.goto(&app.url("/haendelseslog")).await?;
    // LOG-05: Lone holds all three log rights: three tabs; the message log first.
    wait_for_text(&client, "#log-tab-searches", "medarbejdersøgninger").await?;
    wait_for_text(&client, "#log-period", "nyeste først").await?;
    // The demo's letters to the region are in its log as incoming events: look at outgoing.
    click_css(&client, "#log-direction option[value='outgoing']").await?;
    click_and_wait(&client, "log-search", "#log-table", "Afgørelse nr. 0").await?;
    ensure!(rows(&client).await? == 50, "a page of 50");
    click_and_wait(&client, "log-next", ".log-page-no", "Side 2").await?;
    wait_for_text(&client, "#log-table", "Afgørelse nr. 59").await?;
    ensure!(
        client.find(Locator::Id("log-next")).await.is_err(),
        "the last page"
    );
    click_and_wait(&client, "log-previous", ".log-page-no", "Side 1").await?;

    // A malformed CPR: the API's field error, in Danish, at the field.
    type_into(&client, "log-recipient", "123").await?;
    click_and_wait(
        &client,
        "log-search",
        "#log-recipient-error",
        "Skriv et CPR-nummer (10 cifre)",
    )
    .await?;

    // A deep link: the search lives in the URL; opening it fills the form and searches.
    open_page(
        &client,
        &app,
        &format!("/haendelseslog/meddelelser?recipient={CPR}"),
        "#log-table",
        "Afgørelse nr. 4",
    )
    .await?;
    ensure!(rows(&client).await? == 15, "only the 15 events to the CPR");
    let value = value_of(&client, "log-recipient").await?;
    ensure!(value == CPR, "the form shows the search: {value:?}");

    // CSV for Excel, under the warning that it may hold sensitive data (§7.3, issue 33 item 7).
    wait_for_text(&client, "#log-sensitive", "følsomme oplysninger").await?;
    click(&client, "log-download").await?;
    let csv = wait_for_download(&app, "haendelseslog-meddelelser").await?;
    ensure!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = String::from_utf8(csv[3..].to_vec())?;
    ensure!(text.starts_with("Titel;Type;Afsender;Modtager;Retning;Tidspunkt;Hændelse"));
    ensure!(text.lines().count() == 16, "{} lines", text.lines().count());

    // LOG-03: that search by CPR is in the searches log.
    click_and_wait(&client, "log-tab-searches", "#log-table", CPR).await?;
    wait_for_text(&client, "#log-table", "CPR").await?;
    Ok(())
}

#[tokio::test]
async fn log_01_03_05_a_log_administrator_searches_pages_links_and_downloads_the_message_log() {
    browser_test_without_history("eventlog_search", search_pages_and_download).await;
}

#[tokio::test]
async fn log_01_at_390_px_a_log_administrator_searches_pages_links_and_downloads() {
    browser_test_without_history("eventlog_search_phone", |client, app| {
        at_phone_width(client, app, search_pages_and_download)
    })
    .await;
}

#[tokio::test]
async fn x_05_a_large_search_becomes_an_export_with_progress_and_a_download() {
    browser_test_with(
        "eventlog_export",
        |s| {
            s.log_stream_limit = 20;
            s.demo_history = false;
        },
        |client, app| async move {
            seed(&app, 6_000).await?;
            log_in_as(&client, &app, "10000005").await?;
            open_page(
                &client,
                &app,
                "/haendelseslog/meddelelser?direction=outgoing",
                "#log-table",
                "Afgørelse nr. 0",
            )
            .await?;
            click_and_wait(&client, "log-download", "#log-export-ready", "er klar").await?;
            wait_for_text(&client, "#log-export-ready", "6000 rækker").await?;
            // Issue 32 item 3: the export is where the user is — right under the button that
            // started it, in a live region, with focus on its download button.
            let placed = client
                .execute(
                    "const button = document.getElementById('log-download').getBoundingClientRect();
                     const ready = document.getElementById('log-export-ready').getBoundingClientRect();
                     return { gap: ready.top - button.bottom,
                              live: document.getElementById('log-export-ready')
                                .closest('[aria-live]') !== null,
                              focused: document.activeElement && document.activeElement.id };",
                    vec![],
                )
                .await?;
            let gap = placed["gap"].as_f64().unwrap_or(f64::MAX);
            ensure!(
                (0.0..200.0).contains(&gap),
                "the export appears {gap} px below its button"
            );
            ensure!(placed["live"] == true, "not in a live region: {placed}");
            ensure!(
                placed["focused"] == "log-export-download",
                "focus: {placed}"
            );
            click(&client, "log-export-download").await?;
            let csv = wait_for_download(&app, "haendelseslog-meddelelser-eksport").await?;
            let lines = String::from_utf8(csv[3..].to_vec())?.lines().count();
            ensure!(lines == 6_001, "{lines} lines");
            Ok(())
        },
    )
    .await;
}
