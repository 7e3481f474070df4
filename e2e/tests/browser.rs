//! Browser tests (X-01, X-02, AUTH-05): Debian's headless Chromium, driven over WebDriver by
//! fantoccini, against the real server (serving the release SPA from frontend/dist) on a random
//! loopback port with a fresh database. A failing test saves a screenshot to e2e/screenshots/.

use std::future::Future;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use adgang_test_support::{spawn_app_with, workspace_root, Spa, TestApp};
use anyhow::{bail, ensure, Context, Result};
use fantoccini::{Client, ClientBuilder, Locator};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct ChromeDriver(Child);

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Browser {
    client: Client,
    _driver: ChromeDriver,
    _profile: tempfile::TempDir,
}

async fn start_browser() -> Result<Browser> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    ensure!(
        std::path::Path::new(CHROMEDRIVER).is_file(),
        "{CHROMEDRIVER} is missing: `cargo xtask test` installs Debian's chromium-driver"
    );
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let driver = ChromeDriver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting chromedriver")?,
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        ensure!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let profile = tempfile::tempdir()?;
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    let client = ClientBuilder::rustls()
        .context("building the WebDriver client")?
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .context("connecting to chromedriver")?;
    Ok(Browser {
        client,
        _driver: driver,
        _profile: profile,
    })
}

/// Runs one browser test against a fresh app; on failure saves `e2e/screenshots/<name>.png`.
async fn browser_test<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Client, TestApp) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    let dist = workspace_root().join("frontend/dist/index.html");
    assert!(
        dist.is_file(),
        "{} is missing: build the SPA first (`cargo xtask test` does)",
        dist.display()
    );
    let app = spawn_app_with(Spa::Built, |_| {}).await;
    let browser = start_browser().await.expect("starting Chromium");
    let client = browser.client.clone();
    let result = body(browser.client.clone(), app).await;
    if let Err(err) = result {
        let dir = workspace_root().join("e2e/screenshots");
        let _ = std::fs::create_dir_all(&dir);
        let file: PathBuf = dir.join(format!("{name}.png"));
        match client.screenshot().await {
            Ok(png) => {
                let _ = std::fs::write(&file, png);
                eprintln!("screenshot saved to {}", file.display());
            }
            Err(e) => eprintln!("could not take a screenshot: {e}"),
        }
        let _ = client.close().await;
        panic!("{name} failed: {err:?}");
    }
    let _ = client.close().await;
}

/// Polls until `selector`'s text contains `expected` (the SPA renders asynchronously).
async fn wait_for_text(client: &Client, selector: &str, expected: &str) -> Result<String> {
    let started = Instant::now();
    let mut last = String::new();
    while started.elapsed() < Duration::from_secs(20) {
        if let Ok(element) = client.find(Locator::Css(selector)).await {
            last = element.text().await.unwrap_or_default();
            if last.contains(expected) {
                return Ok(last);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("{selector:?} never contained {expected:?}; last text: {last:?}")
}

async fn html_lang(client: &Client) -> Result<String> {
    let value = client
        .execute("return document.documentElement.lang", vec![])
        .await?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn x_01_front_page_renders_danish_shell_with_module_cards() {
    browser_test("front_page_danish", |client, app| async move {
        client.goto(&app.url("/")).await?;
        wait_for_text(&client, "#product-name", "Administrativ Adgang").await?;
        // The banner depends on the API's environment label (AUTH-05).
        wait_for_text(&client, "#environment-banner", "Testmiljø").await?;
        let cards =
            wait_for_text(&client, ".module-cards", "Administrer og opret systemer").await?;
        for text in [
            "Administrér kontaktstruktur",
            "Søg i hændelsesloggen",
            "Administrér borgeres fritagelse",
            "Se tal og statistik om Digital Post",
            "Flyt post fra Virk, e-Boks og mit.dk",
        ] {
            ensure!(
                cards.contains(text),
                "card text {text:?} missing in {cards:?}"
            );
        }
        let card_count = client
            .find_all(Locator::Css(".module-cards .card"))
            .await?
            .len();
        ensure!(
            card_count == 12,
            "expected 12 module cards, saw {card_count}"
        );
        wait_for_text(&client, ".module-tabs", "Systemtilslutning").await?;
        wait_for_text(&client, "header", "Skift virksomhed").await?;
        wait_for_text(&client, "header", "Log ud").await?;
        ensure!(html_lang(&client).await? == "da", "html lang should be da");
        // The design system's stylesheet is bundled and applied (no CDN).
        let font = client
            .execute("return getComputedStyle(document.body).fontFamily", vec![])
            .await?;
        ensure!(
            font.as_str().unwrap_or_default().contains("IBM Plex Sans"),
            "DKFDS font not applied: {font}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn x_01_english_toggle_switches_every_text_and_is_remembered() {
    browser_test("english_toggle", |client, app| async move {
        client.goto(&app.url("/")).await?;
        wait_for_text(&client, ".module-cards", "Administrer og opret systemer").await?;
        client
            .find(Locator::Id("language-toggle"))
            .await?
            .click()
            .await?;
        wait_for_text(&client, ".module-cards", "Manage and create systems").await?;
        wait_for_text(&client, "header", "Switch organisation").await?;
        wait_for_text(&client, "#environment-banner", "Test environment").await?;
        ensure!(html_lang(&client).await? == "en", "html lang should be en");

        client.refresh().await?;
        wait_for_text(&client, ".module-cards", "Manage and create systems").await?;
        client
            .find(Locator::Id("language-toggle"))
            .await?
            .click()
            .await?;
        wait_for_text(&client, ".module-cards", "Administrer og opret systemer").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn deep_link_and_card_navigation_reach_the_module_page() {
    browser_test("deep_link", |client, app| async move {
        client.goto(&app.url("/kontaktstruktur")).await?;
        wait_for_text(&client, "main h1", "Kontaktstruktur").await?;
        let current = client
            .find(Locator::Css(".module-tabs a[aria-current='page']"))
            .await?
            .text()
            .await?;
        ensure!(
            current == "Kontaktstruktur",
            "the current tab is {current:?}"
        );

        client.goto(&app.url("/")).await?;
        wait_for_text(&client, ".module-cards", "Søg i hændelsesloggen").await?;
        client
            .find(Locator::Css(".module-cards a[data-module='event_log']"))
            .await?
            .click()
            .await?;
        wait_for_text(&client, "main h1", "Hændelseslog").await?;
        let url = client.current_url().await?;
        ensure!(url.path() == "/haendelseslog", "navigated to {url}");

        client.goto(&app.url("/findes-ikke")).await?;
        wait_for_text(&client, "main h1", "Siden findes ikke").await?;
        Ok(())
    })
    .await;
}
