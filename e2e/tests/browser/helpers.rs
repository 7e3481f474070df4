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
        let _ = std::fs::remove_dir_all(&downloads);
        panic!("{name} failed: {err:?}");
    }
    let _ = client.close().await;
    // Each test's downloads (~0.7 MB) would otherwise stay in the temp dir for good.
    let _ = std::fs::remove_dir_all(&downloads);
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

/// Types `text` into the input `field`, then clicks the button `button`.
pub(crate) async fn type_and_click(
    client: &Client,
    field: &str,
    text: &str,
    button: &str,
) -> Result<()> {
    type_into(client, field, text).await?;
    click(client, button).await
}

/// Clicks the element with this id, then waits until `selector` contains `expected`; its text.
pub(crate) async fn click_and_wait(
    client: &Client,
    id: &str,
    selector: &str,
    expected: &str,
) -> Result<String> {
    click(client, id).await?;
    wait_for_text(client, selector, expected).await
}

/// Clicks the element with this id (e.g. a wizard's "Redigér"), then waits for the step `heading`.
pub(crate) async fn click_to_step(client: &Client, id: &str, heading: &str) -> Result<()> {
    click(client, id).await?;
    wait_for_step(client, heading).await
}

/// Clicks a wizard's "Næste" (`wizard-next`), then waits for the step `heading`.
pub(crate) async fn next_step(client: &Client, heading: &str) -> Result<()> {
    click_to_step(client, "wizard-next", heading).await
}

/// Clicks a wizard's "Næste" (`wizard-next`), then waits until `selector` contains `expected`.
pub(crate) async fn next_shows(client: &Client, selector: &str, expected: &str) -> Result<String> {
    click_and_wait(client, "wizard-next", selector, expected).await
}

/// Opens the app's `path`, then waits until `selector` contains `expected`; its text.
pub(crate) async fn open_page(
    client: &Client,
    app: &TestApp,
    path: &str,
    selector: &str,
    expected: &str,
) -> Result<String> {
    client.goto(&app.url(path)).await?;
    wait_for_text(client, selector, expected).await
}

/// Opens the app's `path`, then waits until its main heading (`main h1`) contains `heading`.
pub(crate) async fn open_page_with_heading(
    client: &Client,
    app: &TestApp,
    path: &str,
    heading: &str,
) -> Result<()> {
    open_page(client, app, path, "main h1", heading).await?;
    Ok(())
}

/// Logs in as the demo user `rid` and waits until the front page's cards contain `cards`.
pub(crate) async fn log_in_to_cards(
    client: &Client,
    app: &TestApp,
    rid: &str,
    cards: &str,
) -> Result<()> {
    log_in_as(client, app, rid).await?;
    wait_for_text(client, ".module-cards", cards).await?;
    Ok(())
}

/// Logs in as the demo user `rid` and waits until the header names their `organisation`.
pub(crate) async fn log_in_to_organisation(
    client: &Client,
    app: &TestApp,
    rid: &str,
    organisation: &str,
) -> Result<()> {
    log_in_as(client, app, rid).await?;
    wait_for_text(client, "#current-organisation", organisation).await?;
    Ok(())
}

/// Logs in as Sara (10000003) and opens the systems overview, waiting for the row of `system`.
pub(crate) async fn open_systems_as_sara(
    client: &Client,
    app: &TestApp,
    system: &str,
) -> Result<()> {
    log_in_to_cards(client, app, "10000003", "Administrer og opret systemer").await?;
    open_page(client, app, "/systemtilslutning", "#systems-table", system).await?;
    Ok(())
}

/// Clicks the element this XPath finds (e.g. an `<option>` picked by its text).
pub(crate) async fn click_xpath(client: &Client, xpath: &str) -> Result<()> {
    client.find(Locator::XPath(xpath)).await?.click().await?;
    Ok(())
}

/// Chooses `file` in the file input with this id.
pub(crate) async fn choose_file(client: &Client, id: &str, file: &std::path::Path) -> Result<()> {
    client
        .find(Locator::Id(id))
        .await?
        .send_keys(&file.display().to_string())
        .await?;
    Ok(())
}

/// The `value` of the input with this id ("" when it has none).
pub(crate) async fn value_of(client: &Client, id: &str) -> Result<String> {
    Ok(client
        .find(Locator::Id(id))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default())
}

/// How many elements `selector` finds (0: the element is not offered).
pub(crate) async fn count(client: &Client, selector: &str) -> Result<usize> {
    Ok(client.find_all(Locator::Css(selector)).await?.len())
}

/// Whether the page has no element with this id.
pub(crate) async fn absent(client: &Client, id: &str) -> Result<bool> {
    Ok(client.find_all(Locator::Id(id)).await?.is_empty())
}

/// Clicks the button with this id and reads the text of the PDF it downloads (`prefix`…).
pub(crate) async fn download_pdf_text(
    client: &Client,
    app: &TestApp,
    button: &str,
    prefix: &str,
) -> Result<String> {
    click(client, button).await?;
    let pdf = wait_for_download(app, prefix).await?;
    adgang_documents::pdf::extract_text(&pdf)
}

/// Runs `script` every 100 ms until `done` holds for its result; after 10 s fails with `failure`.
pub(crate) async fn wait_for_script(
    client: &Client,
    script: &str,
    done: impl Fn(&serde_json::Value) -> bool,
    failure: impl Fn(&serde_json::Value) -> String,
) -> Result<()> {
    let started = Instant::now();
    loop {
        let value = client.execute(script, vec![]).await?;
        if done(&value) {
            return Ok(());
        }
        ensure!(
            started.elapsed() < Duration::from_secs(10),
            "{}",
            failure(&value)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Runs a test's `body` with the window at a phone's 390 × 844 px.
pub(crate) async fn at_phone_width<F, Fut>(client: Client, app: TestApp, body: F) -> Result<()>
where
    F: FnOnce(Client, TestApp) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    client.set_window_size(390, 844).await?;
    body(client, app).await
}

/// An API token of a contact administrator of Styrelsen for Digital Test (34051178), as Karl.
pub(crate) fn agency_contact_admin_token(app: &TestApp) -> String {
    app.token_for(
        "34051178",
        adgang_api_types::OrgKind::Authority,
        &[adgang_api_types::Right::ContactAdmin],
    )
}

/// The system wizard's "Tilslut", on to the receipt; the new system's id.
pub(crate) async fn wizard_connect(client: &Client) -> Result<String> {
    click_and_wait(
        client,
        "wizard-connect",
        "#system-receipt",
        "Systemet er tilsluttet",
    )
    .await?;
    text_of(client, "receipt-system-id").await
}

/// Opens the page of the system `id` and waits until its heading contains `name`.
pub(crate) async fn open_system(
    client: &Client,
    app: &TestApp,
    id: &str,
    name: &str,
) -> Result<()> {
    let path = format!("/systemtilslutning/{id}");
    open_page(client, app, &path, "#system-heading", name).await?;
    Ok(())
}

/// Creates a recipient system over the API (arranging the browser tests' starting point).
pub(crate) async fn api_recipient_system(
    app: &TestApp,
    cvr: &str,
    kind: adgang_api_types::OrgKind,
    name: &str,
) -> Result<String> {
    let token = app.token_for(cvr, kind, &[adgang_api_types::Right::SystemAdmin]);
    let settings = serde_json::json!({
        "name": name, "role": "recipient", "protocol": "rest_push",
        "allowedIps": ["10.0.0.1"], "endpoint": "https://modtag.example.dk/dp",
        "activation": {"mode": "now"},
        "technicalContact": {"email": "drift@example.dk", "phone": "12345678"}
    });
    Ok(app.create_system(cvr, &token, &settings).await.system.id)
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
    next_step(client, "Navn og rolle").await?;
    type_into(client, "system-name", name).await?;
    click_css(client, &format!("label[for='role-{role}']")).await?;
    next_step(client, "Protokol og detaljer").await
}

/// The system wizard's "Teknisk kontakt" filled in, on to the summary.
pub(crate) async fn wizard_contact(client: &Client) -> Result<()> {
    wait_for_step(client, "Teknisk kontakt").await?;
    type_into(client, "contact-email", "drift@kommune.dk").await?;
    type_into(client, "contact-phone", "12345678").await?;
    next_step(client, "Opsummering").await
}
