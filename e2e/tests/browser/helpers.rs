//! What every browser test stands on: Chromium over WebDriver, a fresh app with the demo
//! data, login through the test IdP, waiting for the SPA, downloads, form helpers.

pub(crate) use std::future::Future;
pub(crate) use std::net::TcpListener;
pub(crate) use std::path::PathBuf;
pub(crate) use std::process::{Child, Command, Stdio};
pub(crate) use std::time::{Duration, Instant};

pub(crate) use adgang_test_support::{spawn_app_with, workspace_root, Spa, TestApp};
pub(crate) use anyhow::{bail, ensure, Context, Result};
pub(crate) use fantoccini::{Client, ClientBuilder, Locator};

pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub(crate) struct ChromeDriver(Child);

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) struct Browser {
    client: Client,
    _driver: ChromeDriver,
    _profile: tempfile::TempDir,
}

/// `zone`: the browser's time zone (`TZ`), e.g. to check that times stay in Copenhagen time.
pub(crate) async fn start_browser(
    downloads: &std::path::Path,
    zone: Option<&str>,
) -> Result<Browser> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    ensure!(
        std::path::Path::new(CHROMEDRIVER).is_file(),
        "{CHROMEDRIVER} is missing: `cargo xtask test` installs Debian's chromium-driver"
    );
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut driver = Command::new(CHROMEDRIVER);
    driver
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(zone) = zone {
        driver.env("TZ", zone);
    }
    let driver = ChromeDriver(driver.spawn().context("starting chromedriver")?);
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
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
            }
        },
        // The console, read by `console::check_console`.
        "goog:loggingPrefs": { "browser": "ALL" }
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
pub(crate) async fn browser_test<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Client, TestApp) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    browser_test_in_zone(name, None, body).await
}

/// `browser_test` against an app whose settings `customise` changes (after the demo data).
pub(crate) async fn browser_test_with<F, Fut>(
    name: &str,
    customise: impl FnOnce(&mut adgang_server::Settings),
    body: F,
) where
    F: FnOnce(Client, TestApp) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    run_browser_test(name, None, customise, body).await
}

/// `browser_test` against demo data without its year of traffic and Styrelsen for Digital
/// Test's contact structure (issue 32 item 16): for tests that count exactly or build their own.
pub(crate) async fn browser_test_without_history<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Client, TestApp) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    run_browser_test(name, None, |s| s.demo_history = false, body).await
}

/// `browser_test` with Chromium in the time zone `zone` (`TZ`).
pub(crate) async fn browser_test_in_zone<F, Fut>(name: &str, zone: Option<&str>, body: F)
where
    F: FnOnce(Client, TestApp) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    run_browser_test(name, zone, |_| {}, body).await
}

async fn run_browser_test<F, Fut>(
    name: &str,
    zone: Option<&str>,
    customise: impl FnOnce(&mut adgang_server::Settings),
    body: F,
) where
    F: FnOnce(Client, TestApp) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    let dist = workspace_root().join("frontend/dist/index.html");
    assert!(
        dist.is_file(),
        "{} is missing: build the SPA first (`cargo xtask test` does)",
        dist.display()
    );
    let app = spawn_app_with(Spa::Built, |s| {
        s.demo_data = true;
        // Issue 35: as under `cargo xtask run`, the SFTP service runs (on a free port).
        s.sftp_port = Some(0);
        customise(s);
    })
    .await;
    // Ports are reused between runs: a folder left by an earlier test on this port would hand
    // its files to this one's `wait_for_download`.
    let downloads = downloads_dir(&app);
    let _ = std::fs::remove_dir_all(&downloads);
    let browser = start_browser(&downloads, zone)
        .await
        .expect("starting Chromium");
    let client = browser.client.clone();
    let mut result = body(browser.client.clone(), app).await;
    if result.is_ok() {
        // What happened after the test's last wait (issue 32 item 4).
        result = crate::console::check_console(&client).await;
    }
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

/// Where Chromium saves downloads for the test running against `app`.
pub(crate) fn downloads_dir(app: &TestApp) -> PathBuf {
    std::env::temp_dir().join(format!("adgang-downloads-{}", app.port))
}

/// Waits for a downloaded file whose name starts with `prefix`; returns its bytes.
pub(crate) async fn wait_for_download(app: &TestApp, prefix: &str) -> Result<Vec<u8>> {
    let dir = downloads_dir(app);
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with(prefix) && !name.ends_with(".crdownload") {
                    return Ok(std::fs::read(entry.path())?);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("no download starting with {prefix:?} in {}", dir.display())
}

/// Polls until `selector`'s text contains `expected` (the SPA renders asynchronously).
pub(crate) async fn wait_for_text(
    client: &Client,
    selector: &str,
    expected: &str,
) -> Result<String> {
    let started = Instant::now();
    let mut last = String::new();
    while started.elapsed() < Duration::from_secs(20) {
        if let Ok(element) = client.find(Locator::Css(selector)).await {
            // As a reader sees it: soft hyphens (card headings) are invisible unless a line
            // breaks there.
            last = element
                .text()
                .await
                .unwrap_or_default()
                .replace('\u{ad}', "");
            if last.contains(expected) {
                crate::console::check_console(client).await?;
                crate::axe::audit_once(client).await?;
                return Ok(last);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("{selector:?} never contained {expected:?}; last text: {last:?}")
}

/// Waits until a wizard shows the step `heading` (X-04: it moves on only after the API's
/// check) and focus has moved to that heading.
pub(crate) async fn wait_for_step(client: &Client, heading: &str) -> Result<()> {
    wait_for_text(client, "#wizard-step-heading", heading).await?;
    let started = Instant::now();
    loop {
        let focused = client
            .execute(
                "return document.activeElement && document.activeElement.id",
                vec![],
            )
            .await?;
        if focused == "wizard-step-heading" {
            return Ok(());
        }
        ensure!(
            started.elapsed() < Duration::from_secs(5),
            "focus stayed on {focused}, not on the heading of step {heading:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn html_lang(client: &Client) -> Result<String> {
    let value = client
        .execute("return document.documentElement.lang", vec![])
        .await?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

/// Logs in through the built-in test IdP as the demo user `rid` (README lists them).
pub(crate) async fn log_in_as(client: &Client, app: &TestApp, rid: &str) -> Result<()> {
    client.goto(&app.url("/")).await?;
    wait_for_text(client, "#log-in", "Log ind").await?;
    click(client, "log-in").await?;
    pick_test_user(client, rid).await
}

/// On the test IdP's login page: choose the user `rid` and log in.
pub(crate) async fn pick_test_user(client: &Client, rid: &str) -> Result<()> {
    wait_for_text(client, "h1", "Test-IdP").await?;
    click_css(client, &format!("input[name='subject'][value='{rid}']")).await?;
    click(client, "idp-login").await?;
    wait_for_text(client, "#signed-in-as", "").await?;
    Ok(())
}

pub(crate) async fn card_modules(client: &Client) -> Result<Vec<String>> {
    let mut modules = Vec::new();
    for card in client
        .find_all(Locator::Css(".module-cards .card[data-module]"))
        .await?
    {
        modules.push(card.attr("data-module").await?.unwrap_or_default());
    }
    Ok(modules)
}

/// Clicks the element with this id.
pub(crate) async fn click(client: &Client, id: &str) -> Result<()> {
    client.find(Locator::Id(id)).await?.click().await?;
    Ok(())
}

/// The text of the element with this id.
pub(crate) async fn text_of(client: &Client, id: &str) -> Result<String> {
    Ok(client.find(Locator::Id(id)).await?.text().await?)
}

/// Clicks the element this CSS selector finds.
pub(crate) async fn click_css(client: &Client, selector: &str) -> Result<()> {
    client.find(Locator::Css(selector)).await?.click().await?;
    Ok(())
}

/// Opens a "Flere valg"-style menu (a `<details>` with this id).
pub(crate) async fn open_menu(client: &Client, id: &str) -> Result<()> {
    click_css(client, &format!("#{id} > summary")).await?;
    Ok(())
}

/// Replaces the text of the input with this id.
pub(crate) async fn type_into(client: &Client, id: &str, text: &str) -> Result<()> {
    let input = client.find(Locator::Id(id)).await?;
    input.clear().await?;
    input.send_keys(text).await?;
    Ok(())
}

/// Creates a recipient system over the API (arranging the browser tests' starting point).
pub(crate) async fn api_recipient_system(
    app: &TestApp,
    cvr: &str,
    kind: adgang_api_types::OrgKind,
    name: &str,
) -> Result<String> {
    let token = app.token(&adgang_test_support::user(
        cvr,
        kind,
        &[adgang_api_types::Right::SystemAdmin],
    ));
    let response = app
        .post_as(
            &format!("/api/v1/organisations/{cvr}/systems"),
            &token,
            &serde_json::json!({
                "name": name, "role": "recipient", "protocol": "rest_push",
                "allowedIps": ["10.0.0.1"], "endpoint": "https://modtag.example.dk/dp",
                "activation": {"mode": "now"},
                "technicalContact": {"email": "drift@example.dk", "phone": "12345678"}
            }),
        )
        .await;
    ensure!(
        response.status() == 201,
        "creating {name}: {}",
        response.status()
    );
    let receipt: adgang_api_types::SystemReceipt = response.json().await?;
    Ok(receipt.system.id)
}

/// Sets a date input as the date picker does (its typed form follows the browser's locale).
pub(crate) async fn set_date(client: &Client, id: &str, value: &str) -> Result<()> {
    client
        .execute(
            "const e = document.getElementById(arguments[0]); e.value = arguments[1];
             e.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![id.into(), value.into()],
        )
        .await?;
    Ok(())
}

/// A chromedriver command outside W3C WebDriver (so not in fantoccini): POST
/// `session/<id>/<path>` with `body` — the console's log, network emulation.
#[derive(Debug)]
pub(crate) struct ChromeCommand {
    pub(crate) path: &'static str,
    pub(crate) body: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for ChromeCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// The system wizard from its start to "Protokol og detaljer": the name and the role
/// (`sender`, `recipient`, `sender_recipient`) entered.
pub(crate) async fn wizard_name_and_role(client: &Client, name: &str, role: &str) -> Result<()> {
    wait_for_text(client, "#step-indicator", "Opsummering").await?;
    click(client, "wizard-next").await?;
    wait_for_step(client, "Navn og rolle").await?;
    type_into(client, "system-name", name).await?;
    click_css(client, &format!("label[for='role-{role}']")).await?;
    click(client, "wizard-next").await?;
    wait_for_step(client, "Protokol og detaljer").await
}

/// The system wizard's "Teknisk kontakt" filled in, on to the summary.
pub(crate) async fn wizard_contact(client: &Client) -> Result<()> {
    wait_for_step(client, "Teknisk kontakt").await?;
    type_into(client, "contact-email", "drift@kommune.dk").await?;
    type_into(client, "contact-phone", "12345678").await?;
    click(client, "wizard-next").await?;
    wait_for_step(client, "Opsummering").await
}
