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

async fn start_browser(downloads: &std::path::Path) -> Result<Browser> {
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
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
            }
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
    let app = spawn_app_with(Spa::Built, |s| s.demo_data = true).await;
    let browser = start_browser(&downloads_dir(&app))
        .await
        .expect("starting Chromium");
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

/// Where Chromium saves downloads for the test running against `app`.
fn downloads_dir(app: &TestApp) -> PathBuf {
    std::env::temp_dir().join(format!("adgang-downloads-{}", app.port))
}

/// Waits for a downloaded file whose name starts with `prefix`; returns its bytes.
async fn wait_for_download(app: &TestApp, prefix: &str) -> Result<Vec<u8>> {
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

/// Logs in through the built-in test IdP as the demo user `rid` (README lists them).
async fn log_in_as(client: &Client, app: &TestApp, rid: &str) -> Result<()> {
    client.goto(&app.url("/")).await?;
    wait_for_text(client, "#log-in", "Log ind").await?;
    client.find(Locator::Id("log-in")).await?.click().await?;
    pick_test_user(client, rid).await
}

/// On the test IdP's login page: choose the user `rid` and log in.
async fn pick_test_user(client: &Client, rid: &str) -> Result<()> {
    wait_for_text(client, "h1", "Test-IdP").await?;
    client
        .find(Locator::Css(&format!(
            "input[name='subject'][value='{rid}']"
        )))
        .await?
        .click()
        .await?;
    client.find(Locator::Id("idp-login")).await?.click().await?;
    wait_for_text(client, "#signed-in-as", "").await?;
    Ok(())
}

async fn card_modules(client: &Client) -> Result<Vec<String>> {
    let mut modules = Vec::new();
    for card in client
        .find_all(Locator::Css(".module-cards .card[data-module]"))
        .await?
    {
        modules.push(card.attr("data-module").await?.unwrap_or_default());
    }
    Ok(modules)
}

#[tokio::test]
async fn x_01_signed_out_front_page_renders_the_danish_shell() {
    browser_test("front_page_signed_out", |client, app| async move {
        client.goto(&app.url("/")).await?;
        wait_for_text(&client, "#product-name", "Administrativ Adgang").await?;
        // The banner depends on the API's environment label (AUTH-05).
        wait_for_text(&client, "#environment-banner", "Testmiljø").await?;
        wait_for_text(&client, "main", "Log ind for at se de moduler").await?;
        wait_for_text(&client, "header", "Log ind").await?;
        ensure!(
            client
                .find_all(Locator::Css(".module-cards .card"))
                .await?
                .is_empty(),
            "no cards before login"
        );
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
        wait_for_text(&client, "main", "Log ind for at se de moduler").await?;
        client
            .find(Locator::Id("language-toggle"))
            .await?
            .click()
            .await?;
        wait_for_text(&client, "main", "Log in to see the modules").await?;
        wait_for_text(&client, "#environment-banner", "Test environment").await?;
        ensure!(html_lang(&client).await? == "en", "html lang should be en");

        client.refresh().await?;
        wait_for_text(&client, "main", "Log in to see the modules").await?;
        client
            .find(Locator::Id("language-toggle"))
            .await?
            .click()
            .await?;
        wait_for_text(&client, "main", "Log ind for at se de moduler").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn auth_02_citizen_service_employee_logs_in_and_sees_exactly_their_cards() {
    browser_test("citizen_service_login", |client, app| async move {
        // Through the test portal (AUTH-02): it lists the demo data and links to the login.
        client.goto(&app.url("/testportal")).await?;
        wait_for_text(&client, "h1", "Testportalen").await?;
        wait_for_text(&client, "body", "Birgitte Borgerservice").await?;
        client
            .find(Locator::Id("testportal-log-in"))
            .await?
            .click()
            .await?;
        pick_test_user(&client, "10000001").await?;
        wait_for_text(&client, "#signed-in-as", "Birgitte Borgerservice").await?;
        wait_for_text(&client, "#current-organisation", "Testkommune Nord").await?;
        let cards =
            wait_for_text(&client, ".module-cards", "Administrér borgeres fritagelse").await?;
        for text in [
            "Søg i hændelsesloggen",
            "Administrér virksomheders fritagelse",
            "Administrér borgeres NemSMS",
            "Administrér virksomheders NemSMS",
            "Administrér adgange",
        ] {
            ensure!(
                cards.contains(text),
                "card text {text:?} missing in {cards:?}"
            );
        }
        let modules = card_modules(&client).await?;
        ensure!(
            modules
                == [
                    "event_log",
                    "citizen_exemption",
                    "company_exemption",
                    "citizen_nemsms",
                    "company_nemsms",
                    "mail_access"
                ],
            "exactly the citizen-service cards, got {modules:?}"
        );
        // A reload keeps the session (HttpOnly cookie → fresh token).
        client.refresh().await?;
        wait_for_text(&client, "#signed-in-as", "Birgitte Borgerservice").await?;
        wait_for_text(&client, ".module-cards", "Administrér adgange").await?;

        // Deep links: her module page, and one she has no right to.
        client.goto(&app.url("/adgang")).await?;
        wait_for_text(&client, "main h1", "Adgang").await?;
        // The tab bar appears once the session is restored; the current tab is marked.
        wait_for_text(&client, ".module-tabs a[aria-current='page']", "Adgang").await?;
        wait_for_text(&client, "main", "Dette modul er ikke bygget endnu").await?;
        client.goto(&app.url("/kontaktstruktur")).await?;
        wait_for_text(&client, "main", "Du har ikke rettighed til dette modul").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn ctx_01_switching_organisation_changes_the_cards_and_logout_ends_it() {
    browser_test("switch_and_logout", |client, app| async move {
        log_in_as(&client, &app, "10000003").await?;
        wait_for_text(&client, "#signed-in-as", "Sara Systemadministrator").await?;
        wait_for_text(&client, "#current-organisation", "Testkommune Nord").await?;
        wait_for_text(&client, ".module-cards", "Administrer og opret systemer").await?;
        let authority = card_modules(&client).await?;
        ensure!(
            authority
                == [
                    "system_connection",
                    "authority_information",
                    "recall",
                    "move_mail"
                ],
            "system admin in an authority, got {authority:?}"
        );

        client
            .find(Locator::Id("switch-organisation"))
            .await?
            .click()
            .await?;
        wait_for_text(&client, "main h1", "Skift virksomhed").await?;
        wait_for_text(&client, "#switch-form", "Æblegården ApS").await?;
        client
            .find(Locator::Id("org-25052943"))
            .await?
            .click()
            .await?;
        client.find(Locator::Id("switch-ok")).await?.click().await?;
        wait_for_text(&client, "#current-organisation", "Æblegården ApS").await?;
        wait_for_text(&client, ".module-cards", "Administrer og opret systemer").await?;
        let company = card_modules(&client).await?;
        ensure!(
            company == ["system_connection"],
            "a company gets only system connection, got {company:?}"
        );

        client.find(Locator::Id("log-out")).await?.click().await?;
        wait_for_text(&client, "header", "Log ind").await?;
        client.refresh().await?;
        wait_for_text(&client, "main", "Log ind for at se de moduler").await?;
        ensure!(
            client
                .find_all(Locator::Id("signed-in-as"))
                .await?
                .is_empty(),
            "still signed in after logout"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn ctx_02_an_operator_searches_a_cvr_sees_the_organisation_and_switches() {
    browser_test("operator_switch", |client, app| async move {
        log_in_as(&client, &app, "10000008").await?;
        wait_for_text(
            &client,
            "#current-organisation",
            "Styrelsen for Digital Test",
        )
        .await?;
        client
            .find(Locator::Id("switch-organisation"))
            .await?
            .click()
            .await?;
        wait_for_text(&client, "main", "Skift som systemforvalter").await?;

        // An invalid CVR gets the Danish field message.
        client
            .find(Locator::Id("operator-cvr"))
            .await?
            .send_keys("25052944")
            .await?;
        client
            .find(Locator::Id("operator-search-button"))
            .await?
            .click()
            .await?;
        wait_for_text(&client, "#operator-error", "CVR-nummeret er ikke gyldigt").await?;

        let input = client.find(Locator::Id("operator-cvr")).await?;
        input.clear().await?;
        input.send_keys("25052943").await?;
        client
            .find(Locator::Id("operator-search-button"))
            .await?
            .click()
            .await?;
        wait_for_text(&client, "#operator-found", "Æblegården ApS").await?;
        wait_for_text(&client, "#operator-found", "Virksomhed").await?;
        client
            .find(Locator::Id("operator-switch-ok"))
            .await?
            .click()
            .await?;
        wait_for_text(&client, "#current-organisation", "Æblegården ApS").await?;
        wait_for_text(&client, ".module-cards", "Administrer og opret systemer").await?;
        let modules = card_modules(&client).await?;
        ensure!(
            modules == ["system_connection"],
            "the operator's own rights, within a company: {modules:?}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn auth_04_an_authority_that_has_not_joined_is_onboarded_first() {
    browser_test("onboarding", |client, app| async move {
        let files = tempfile::tempdir()?;
        let not_pdf = files.path().join("aftale.txt");
        std::fs::write(&not_pdf, "ikke en pdf")?;
        let signed = files.path().join("underskrevet-aftale.pdf");
        std::fs::write(
            &signed,
            adgang_test_support::pdf_with_text("Aftale om tilslutning - underskrevet"),
        )?;

        log_in_as(&client, &app, "10000010").await?;
        wait_for_text(
            &client,
            "main h1",
            "Tilslut organisationen til Digital Post",
        )
        .await?;
        wait_for_text(&client, "#onboarding-agreement", "Aftale om tilslutning").await?;
        ensure!(
            client
                .find_all(Locator::Css(".module-cards .card, .module-tabs a"))
                .await?
                .is_empty(),
            "no modules before onboarding"
        );

        // Submitting at once names what is missing, in Danish.
        client
            .find(Locator::Id("onboarding-submit"))
            .await?
            .click()
            .await?;
        wait_for_text(
            &client,
            "#onboarding-accept-error",
            "Du skal acceptere aftalen",
        )
        .await?;
        wait_for_text(
            &client,
            "#onboarding-file-error",
            "Upload den underskrevne aftale først",
        )
        .await?;

        // Only a PDF is accepted.
        let file_input = client.find(Locator::Id("onboarding-file")).await?;
        file_input.send_keys(&not_pdf.display().to_string()).await?;
        wait_for_text(&client, "#onboarding-file-error", "Filen er ikke en PDF").await?;
        let file_input = client.find(Locator::Id("onboarding-file")).await?;
        file_input.send_keys(&signed.display().to_string()).await?;
        wait_for_text(&client, "#onboarding-uploaded", "Uploadet: 1 side(r)").await?;

        // Accept, keep Nanna herself as rights administrator, complete.
        client
            .find(Locator::Css("label[for='onboarding-accept']"))
            .await?
            .click()
            .await?;
        client
            .find(Locator::Id("admin-10000010"))
            .await?
            .click()
            .await?;
        client
            .find(Locator::Id("onboarding-submit"))
            .await?
            .click()
            .await?;
        wait_for_text(&client, ".module-cards", "Administrer og opret systemer").await?;
        wait_for_text(&client, "main h1", "Velkommen til Administrativ Adgang").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn rights_admin_grants_and_revokes_rights_in_the_spa() {
    browser_test("rights_admin", |client, app| async move {
        log_in_as(&client, &app, "10000007").await?;
        wait_for_text(&client, "#rights-admin-card", "Rettighedsadministration").await?;
        client
            .find(Locator::Id("rights-admin-card"))
            .await?
            .click()
            .await?;
        wait_for_text(&client, "#rights-users", "Birgitte Borgerservice").await?;
        wait_for_text(
            &client,
            "tr[data-user='10000001']",
            "Borgerservicemedarbejder",
        )
        .await?;

        // Give Birgitte statistics and take citizen service away, in one save.
        client
            .find(Locator::Id("edit-10000001"))
            .await?
            .click()
            .await?;
        client
            .find(Locator::Css("label[for='right-10000001-statistics_admin']"))
            .await?
            .click()
            .await?;
        client
            .find(Locator::Css("label[for='right-10000001-citizen_service']"))
            .await?
            .click()
            .await?;
        client
            .find(Locator::Id("rights-save"))
            .await?
            .click()
            .await?;
        wait_for_text(&client, "#rights-saved", "Birgitte Borgerservice").await?;
        let row = wait_for_text(
            &client,
            "tr[data-user='10000001']",
            "Statistikadministrator",
        )
        .await?;
        ensure!(
            !row.contains("Borgerservicemedarbejder"),
            "citizen service should be revoked: {row}"
        );
        let db = app.db().await;
        let birgitte = adgang_identity::service::rights::user_by_subject(&db, "10000001")
            .await?
            .context("Birgitte")?;
        let cvr = adgang_core::Cvr::parse("29189846").map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let held = adgang_identity::service::rights::rights_in(&db, &birgitte.id, &cvr).await?;
        ensure!(
            held == [adgang_api_types::Right::StatisticsAdmin],
            "stored rights: {held:?}"
        );

        // An unknown user gets the Danish explanation.
        client
            .find(Locator::Id("rights-new-user"))
            .await?
            .send_keys("99999999")
            .await?;
        client
            .find(Locator::Id("rights-grant"))
            .await?
            .click()
            .await?;
        wait_for_text(&client, "#rights-error", "Brugeren findes ikke").await?;
        Ok(())
    })
    .await;
}

/// The names in the overview rows marked "Primærsystem".
async fn primaries(client: &Client) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for row in client
        .find_all(Locator::Css("#systems-table tbody tr"))
        .await?
    {
        let primary = row
            .find(Locator::Css(".system-primary"))
            .await?
            .text()
            .await?;
        if primary.contains("Primærsystem") {
            names.push(row.find(Locator::Css("td a")).await?.text().await?);
        }
    }
    Ok(names)
}

/// Clicks the element with this id.
async fn click(client: &Client, id: &str) -> Result<()> {
    client.find(Locator::Id(id)).await?.click().await?;
    Ok(())
}

/// Opens a "Flere valg"-style menu (a `<details>` with this id).
async fn open_menu(client: &Client, id: &str) -> Result<()> {
    client
        .find(Locator::Css(&format!("#{id} > summary")))
        .await?
        .click()
        .await?;
    Ok(())
}

/// Replaces the text of the input with this id.
async fn type_into(client: &Client, id: &str, text: &str) -> Result<()> {
    let input = client.find(Locator::Id(id)).await?;
    input.clear().await?;
    input.send_keys(text).await?;
    Ok(())
}

/// Creates a recipient system over the API (arranging the browser tests' starting point).
async fn api_recipient_system(
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
        .client
        .post(app.url(&format!("/api/v1/organisations/{cvr}/systems")))
        .bearer_auth(token)
        .json(&serde_json::json!({
            "name": name, "role": "recipient", "protocol": "rest_push",
            "allowedIps": ["10.0.0.1"], "endpoint": "https://modtag.example.dk/dp",
            "activation": {"mode": "now"},
            "technicalContact": {"email": "drift@example.dk", "phone": "12345678"}
        }))
        .send()
        .await?;
    ensure!(
        response.status() == 201,
        "creating {name}: {}",
        response.status()
    );
    let receipt: adgang_api_types::SystemReceipt = response.json().await?;
    Ok(receipt.system.id)
}

#[tokio::test]
async fn sys_14_an_authority_creates_a_sender_system_through_the_wizard_and_manages_primaries() {
    browser_test("systems_wizard", |client, app| async move {
        // Two more recipient systems besides the demo's primary "Sagssystem – modtager".
        api_recipient_system(
            &app,
            "29189846",
            adgang_api_types::OrgKind::Authority,
            "Modtager Nord",
        )
        .await?;
        let second = api_recipient_system(
            &app,
            "29189846",
            adgang_api_types::OrgKind::Authority,
            "Modtager Syd",
        )
        .await?;
        log_in_as(&client, &app, "10000003").await?;
        wait_for_text(&client, ".module-cards", "Administrer og opret systemer").await?;
        client.goto(&app.url("/systemtilslutning")).await?;
        wait_for_text(&client, "#systems-table", "Modtager Nord").await?;
        ensure!(
            primaries(&client).await? == ["Sagssystem – modtager"],
            "the demo's first recipient system is primary"
        );

        // The wizard: new system → name and role → protocol and details → activation →
        // contact → summary → Tilslut.
        click(&client, "create-system").await?;
        wait_for_text(&client, "#step-indicator", "Opsummering").await?;
        click(&client, "wizard-next").await?;
        type_into(&client, "system-name", "Afsendersystem Ærø").await?;
        client
            .find(Locator::Css("label[for='role-sender']"))
            .await?
            .click()
            .await?;
        click(&client, "wizard-next").await?;
        client
            .find(Locator::Css("label[for='protocol-rest_push']"))
            .await?
            .click()
            .await?;
        type_into(&client, "system-ips", "10.20.30.40\n2001:db8::7").await?;
        // A plain-http receipt endpoint is refused with the Danish message at Tilslut.
        type_into(
            &client,
            "system-receipt-endpoint",
            "http://kvittering.kommune.dk/dp",
        )
        .await?;
        type_into(&client, "system-vendor", "30808460").await?;
        click(&client, "wizard-next").await?;
        click(&client, "wizard-next").await?;
        type_into(&client, "contact-email", "drift@kommune.dk").await?;
        type_into(&client, "contact-phone", "12345678").await?;
        click(&client, "wizard-next").await?;
        wait_for_text(&client, "#summary-name", "Afsendersystem Ærø").await?;
        click(&client, "wizard-connect").await?;
        wait_for_text(
            &client,
            "#system-receipt-endpoint-error",
            "Adressen skal begynde med https://",
        )
        .await?;
        type_into(
            &client,
            "system-receipt-endpoint",
            "https://kvittering.kommune.dk/dp",
        )
        .await?;
        click(&client, "wizard-next").await?;
        click(&client, "wizard-next").await?;
        click(&client, "wizard-next").await?;
        click(&client, "wizard-connect").await?;
        wait_for_text(&client, "#system-receipt", "Systemet er tilsluttet").await?;
        let id = client
            .find(Locator::Id("receipt-system-id"))
            .await?
            .text()
            .await?;
        let key = client
            .find(Locator::Id("receipt-api-key"))
            .await?
            .text()
            .await?;
        ensure!(key.len() > 20, "an API key on the receipt: {key:?}");

        // The receipt downloads as a PDF holding the id and the key.
        click(&client, "download-receipt").await?;
        let pdf = wait_for_download(&app, "kvittering-").await?;
        let text = adgang_documents::pdf::extract_text(&pdf)?;
        ensure!(
            text.contains(&id) && text.contains(&key) && text.contains("Afsendersystem Ærø"),
            "receipt text: {text}"
        );

        // Switch the primary between the two recipient systems, with confirmation.
        client
            .goto(&app.url(&format!("/systemtilslutning/{second}")))
            .await?;
        wait_for_text(&client, "#system-heading", "Modtager Syd").await?;
        click(&client, "make-primary").await?;
        wait_for_text(
            &client,
            "#confirm-panel",
            "Vil du gøre dette system til primærsystem",
        )
        .await?;
        click(&client, "confirm-yes").await?;
        wait_for_text(&client, "#is-primary", "Primærsystem").await?;

        // Edit one field; the actions log has the before and after.
        click(&client, "part-contact-edit").await?;
        type_into(&client, "contact-email", "ny-drift@kommune.dk").await?;
        click(&client, "detail-save").await?;
        wait_for_text(&client, "#detail-message", "Ændringen er gemt").await?;
        wait_for_text(&client, "#part-contact", "ny-drift@kommune.dk").await?;

        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let rows = adgang_core::entity::actions_log::Entity::find()
            .filter(adgang_core::entity::actions_log::Column::ObjectId.eq(second.as_str()))
            .all(&app.db().await)
            .await?;
        ensure!(
            rows.iter()
                .any(|r| r.field.as_deref() == Some("technicalContact.email")
                    && r.before.as_deref() == Some("drift@example.dk")
                    && r.after.as_deref() == Some("ny-drift@kommune.dk")
                    && r.actor == "CVR:29189846-RID:10000003"),
            "edit row missing: {rows:?}"
        );
        ensure!(
            rows.iter()
                .any(|r| r.field.as_deref() == Some("isPrimary")
                    && r.after.as_deref() == Some("true")),
            "primary row missing"
        );

        // The overview shows the new primary.
        client.goto(&app.url("/systemtilslutning")).await?;
        wait_for_text(
            &client,
            &format!("tr[data-system='{second}'] .system-primary"),
            "Primærsystem",
        )
        .await?;
        let now_primary = primaries(&client).await?;
        ensure!(
            now_primary == ["Modtager Syd"],
            "exactly one primary, the new one: {now_primary:?}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn sys_08_a_company_is_refused_a_second_recipient_system_in_danish() {
    browser_test("company_second_recipient", |client, app| async move {
        api_recipient_system(
            &app,
            "25052943",
            adgang_api_types::OrgKind::Company,
            "Æblegårdens modtager",
        )
        .await?;
        log_in_as(&client, &app, "10000003").await?;
        wait_for_text(&client, "#current-organisation", "Testkommune Nord").await?;
        click(&client, "switch-organisation").await?;
        wait_for_text(&client, "#switch-form", "Æblegården ApS").await?;
        click(&client, "org-25052943").await?;
        click(&client, "switch-ok").await?;
        wait_for_text(&client, "#current-organisation", "Æblegården ApS").await?;

        client.goto(&app.url("/systemtilslutning/opret")).await?;
        wait_for_text(&client, "#step-indicator", "Type").await?;
        click(&client, "wizard-next").await?;
        type_into(&client, "system-name", "Endnu en modtager").await?;
        click(&client, "wizard-next").await?;
        type_into(&client, "system-ips", "10.0.0.2").await?;
        type_into(&client, "system-endpoint", "https://aeble.dk/dp").await?;
        click(&client, "wizard-next").await?;
        click(&client, "wizard-next").await?;
        type_into(&client, "contact-email", "it@aeble.dk").await?;
        type_into(&client, "contact-phone", "87654321").await?;
        click(&client, "wizard-next").await?;
        click(&client, "wizard-connect").await?;
        wait_for_text(
            &client,
            "#system-role-error",
            "En virksomhed kan kun have ét modtagersystem",
        )
        .await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn cs_02_03_a_contact_administrator_builds_groups_and_deletes_one_with_its_preview() {
    browser_test("contact_structure", |client, app| async move {
        log_in_as(&client, &app, "10000004").await?;
        wait_for_text(&client, ".module-cards", "Administrér kontaktstruktur").await?;
        client.goto(&app.url("/kontaktstruktur")).await?;
        wait_for_text(&client, "#cs-empty", "ingen kontaktgrupper").await?;

        // Two groups through the UI, the second inside the first.
        click(&client, "cs-create").await?;
        click(&client, "cs-new-group-open").await?;
        type_into(&client, "cs-group-name", "Borgerservice").await?;
        click(&client, "cs-save-group").await?;
        wait_for_text(&client, "#contact-tree", "Borgerservice").await?;
        click(&client, "cs-create").await?;
        click(&client, "cs-new-group-open").await?;
        type_into(&client, "cs-group-name", "Byggeri").await?;
        client
            .find(Locator::Css("#cs-group-parent option:nth-child(2)"))
            .await?
            .click()
            .await?;
        click(&client, "cs-save-group").await?;
        wait_for_text(&client, "#contact-tree", "Byggeri").await?;

        // A point inside Byggeri and one also placed at the top (arranged over the API).
        let token = app.token(&adgang_test_support::user(
            "34051178",
            adgang_api_types::OrgKind::Authority,
            &[adgang_api_types::Right::ContactAdmin],
        ));
        let tree: Vec<adgang_api_types::ContactTreeNode> = app
            .get_json_as("/api/v1/organisations/34051178/contact-structure", &token)
            .await;
        let top = tree[0].id.clone();
        let building = tree[0].children[0].id.clone();
        let other: adgang_api_types::ContactGroup = app
            .client
            .post(app.url("/api/v1/organisations/34051178/contact-groups"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"name": "Erhverv"}))
            .send()
            .await?
            .json()
            .await?;
        for (name, groups) in [
            ("Byggetilladelse", vec![building.clone()]),
            ("Vejledning", vec![building.clone(), other.id.clone()]),
        ] {
            let response = app
                .client
                .post(app.url("/api/v1/organisations/34051178/contact-points"))
                .bearer_auth(&token)
                .json(&serde_json::json!({
                    "name": name, "groupIds": groups, "visible": true, "audiences": ["citizens"],
                    "keywords": ["byggeri"], "active": true
                }))
                .send()
                .await?;
            ensure!(
                response.status() == 201,
                "point {name}: {}",
                response.status()
            );
        }
        client.refresh().await?;
        wait_for_text(&client, "#contact-tree", "Erhverv").await?;
        click(&client, &format!("toggle-{top}")).await?;
        click(&client, &format!("toggle-{building}")).await?;
        wait_for_text(&client, "#contact-tree", "Byggetilladelse").await?;
        wait_for_text(&client, &format!("li[data-node='{building}']"), "Dublet").await?;

        // Delete the top group: the preview lists everything; the duplicate is marked.
        open_menu(&client, &format!("more-{top}")).await?;
        click(&client, &format!("delete-{top}")).await?;
        wait_for_text(&client, "#cs-delete-panel", "Byggetilladelse").await?;
        wait_for_text(
            &client,
            "#cs-delete-panel",
            "Vejledning (findes også andre steder)",
        )
        .await?;
        let yes = client.find(Locator::Id("cs-delete-yes")).await?;
        ensure!(
            yes.attr("disabled").await?.is_some(),
            "deleting needs the confirmation tick"
        );
        client
            .find(Locator::Css("label[for='cs-delete-confirm']"))
            .await?
            .click()
            .await?;
        click(&client, "cs-delete-yes").await?;
        wait_for_text(&client, "#cs-message", "Gruppen er slettet").await?;
        let remaining: Vec<adgang_api_types::ContactTreeNode> = app
            .get_json_as("/api/v1/organisations/34051178/contact-structure", &token)
            .await;
        let names: Vec<&str> = remaining.iter().map(|n| n.name.as_str()).collect();
        ensure!(names == ["Erhverv"], "only Erhverv is left: {names:?}");
        ensure!(
            remaining[0].children[0].name == "Vejledning",
            "the duplicate stays in Erhverv"
        );

        // "Flere valg" → "Slet kontaktpunkt" on a point row asks on the point's page.
        let guide = remaining[0].children[0].id.clone();
        click(&client, &format!("toggle-{}", remaining[0].id)).await?;
        open_menu(&client, &format!("more-{guide}")).await?;
        click(&client, &format!("delete-{guide}")).await?;
        wait_for_text(&client, "#cp-delete-panel", "Vil du slette kontaktpunktet").await?;
        click(&client, "cp-delete-yes").await?;
        wait_for_text(&client, "#contact-tree", "Erhverv").await?;
        let status = app
            .get_as(
                &format!("/api/v1/organisations/34051178/contact-points/{guide}"),
                &token,
            )
            .await
            .status();
        ensure!(status == 404, "the point is deleted: {status}");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn cs_04_05_06_a_contact_point_through_the_wizard_with_receipt_qr_codes_export_import_and_group_delete(
) {
    browser_test("contact_point_wizard", |client, app| async move {
        log_in_as(&client, &app, "10000004").await?;
        wait_for_text(&client, ".module-cards", "Administrér kontaktstruktur").await?;
        client.goto(&app.url("/kontaktstruktur")).await?;
        wait_for_text(&client, "#cs-empty", "ingen kontaktgrupper").await?;

        // A group, then "Opret → Nyt kontaktpunkt".
        click(&client, "cs-create").await?;
        click(&client, "cs-new-group-open").await?;
        type_into(&client, "cs-group-name", "Borgerservice").await?;
        click(&client, "cs-save-group").await?;
        wait_for_text(&client, "#contact-tree", "Borgerservice").await?;
        let token = app.token(&adgang_test_support::user(
            "34051178",
            adgang_api_types::OrgKind::Authority,
            &[adgang_api_types::Right::ContactAdmin],
        ));
        let tree: Vec<adgang_api_types::ContactTreeNode> = app
            .get_json_as("/api/v1/organisations/34051178/contact-structure", &token)
            .await;
        let group = tree[0].id.clone();
        click(&client, "cs-create").await?;
        click(&client, "cs-new-point").await?;

        // Step 1: name, description, the group.
        wait_for_text(&client, "#cp-wizard h2", "Navn og placering").await?;
        type_into(&client, "cp-name", "Pas og kørekort").await?;
        type_into(&client, "cp-description", "Skriv til os om pas og kørekort").await?;
        client
            .find(Locator::Css(&format!("label[for='cp-group-{group}']")))
            .await?
            .click()
            .await?;
        click(&client, "cp-next").await?;
        // Step 2: an external link with an http address (refused later, in Danish).
        wait_for_text(&client, "#cp-wizard h2", "Tilgængelighed").await?;
        type_into(&client, "cp-link-heading", "Book tid").await?;
        type_into(&client, "cp-link-text", "Book her").await?;
        type_into(&client, "cp-link-url", "http://kommune.dk/book").await?;
        click(&client, "cp-next").await?;
        // Step 3: keywords and a code.
        wait_for_text(&client, "#cp-wizard h2", "Søgeord og koder").await?;
        type_into(&client, "cp-keywords", "pas\nkørekort").await?;
        click(&client, "cp-code-add").await?;
        type_into(&client, "cp-code-value-0", "0101").await?;
        click(&client, "cp-next").await?;
        // Step 4: the recipient system.
        wait_for_text(&client, "#cp-wizard h2", "Modtagersystem og aktivering").await?;
        client
            .find(Locator::XPath(
                "//select[@id='cp-system']/option[contains(., 'Journalsystem')]",
            ))
            .await?
            .click()
            .await?;
        click(&client, "cp-next").await?;
        // Summary, then "Tilslut": the http link sends the user back to step 2.
        wait_for_text(&client, "#cp-summary-0", "Borgerservice").await?;
        wait_for_text(&client, "#cp-summary-2", "Klassifikation: 0101").await?;
        wait_for_text(&client, "#cp-summary-3", "Journalsystem").await?;
        click(&client, "cp-connect").await?;
        wait_for_text(
            &client,
            "#cp-link-url-error",
            "Adressen skal begynde med https://",
        )
        .await?;
        type_into(&client, "cp-link-url", "https://kommune.dk/book").await?;
        click(&client, "cp-next").await?;
        click(&client, "cp-next").await?;
        click(&client, "cp-next").await?;
        click(&client, "cp-connect").await?;

        // The receipt: id, one deep link per audience with its QR code, the PDF.
        wait_for_text(&client, "#cp-receipt", "Kontaktpunktet er oprettet").await?;
        let id = client
            .find(Locator::Id("cp-receipt-id"))
            .await?
            .text()
            .await?;
        wait_for_text(&client, "#deep-links", &format!("kontaktpunkt={id}")).await?;
        let qr = client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("#deep-links .qr-code svg"))
            .await?;
        ensure!(
            qr.html(false).await?.contains("<path") || qr.html(false).await?.contains("<rect"),
            "the QR code is drawn"
        );
        ensure!(
            client.find(Locator::Id("copy-citizens")).await.is_ok(),
            "a copy button per link"
        );
        click(&client, "cp-download-receipt").await?;
        let pdf = wait_for_download(&app, "kvittering-kontaktpunkt-").await?;
        let text = adgang_documents::pdf::extract_text(&pdf)?;
        ensure!(
            text.contains(&id) && text.contains("Pas og kørekort") && text.contains("QR-kode"),
            "receipt text: {text}"
        );
        let point: adgang_api_types::ContactPoint = app
            .get_json_as(
                &format!("/api/v1/organisations/34051178/contact-points/{id}"),
                &token,
            )
            .await;
        ensure!(
            point.usable && point.group_ids == [group.clone()],
            "{point:?}"
        );
        ensure!(
            point.keywords == ["pas", "kørekort"],
            "{:?}",
            point.keywords
        );

        // Export the workbook; import it back unchanged through the import page.
        click(&client, "cp-to-structure").await?;
        wait_for_text(&client, "#contact-tree", "Borgerservice").await?;
        open_menu(&client, "cs-more-menu").await?;
        click(&client, "cs-export").await?;
        let workbook = wait_for_download(&app, "kontaktstruktur-").await?;
        let sheets = adgang_documents::xlsx::read_workbook(&workbook)?;
        ensure!(
            sheets[1]
                .rows
                .iter()
                .any(|r| r[0] == id && r[1] == "Pas og kørekort"),
            "the point is in the export"
        );
        let file = std::env::temp_dir().join(format!("kontaktstruktur-{}.xlsx", app.port));
        std::fs::write(&file, &workbook)?;
        open_menu(&client, "cs-more-menu").await?;
        click(&client, "cs-import").await?;
        client
            .find(Locator::Id("ci-file"))
            .await?
            .send_keys(&file.display().to_string())
            .await?;
        wait_for_text(&client, "#ci-result", "Uændrede kontaktpunkter").await?;
        click(&client, "ci-apply").await?;
        wait_for_text(&client, "#ci-result", "Importen er gennemført").await?;

        // The point's page edits with the same forms, from its summary.
        client
            .goto(&app.url(&format!("/kontaktstruktur/kontaktpunkt/{id}")))
            .await?;
        wait_for_text(&client, "#cp-heading", "Pas og kørekort").await?;
        wait_for_text(&client, "#deep-links", &format!("kontaktpunkt={id}")).await?;
        click(&client, "cp-edit-0").await?;
        type_into(&client, "cp-name", "Pas, kørekort og ID").await?;
        for _ in 0..4 {
            click(&client, "cp-next").await?;
        }
        click(&client, "cp-connect").await?;
        wait_for_text(&client, "#cp-saved", "Ændringen er gemt").await?;
        wait_for_text(&client, "#cp-heading", "Pas, kørekort og ID").await?;
        let edited: adgang_api_types::ContactPoint = app
            .get_json_as(
                &format!("/api/v1/organisations/34051178/contact-points/{id}"),
                &token,
            )
            .await;
        ensure!(
            edited.name == "Pas, kørekort og ID",
            "saved name: {}",
            edited.name
        );
        ensure!(
            edited.keywords == point.keywords,
            "the other parts are kept"
        );

        // The group's page: edit it, and see its deep links now that it holds a usable point.
        client
            .goto(&app.url(&format!("/kontaktstruktur/gruppe/{group}")))
            .await?;
        wait_for_text(&client, "#deep-links", &format!("kontaktgruppe={group}")).await?;
        type_into(&client, "cg-name", "Borgerservice og pas").await?;
        click(&client, "cg-save").await?;
        wait_for_text(&client, "#cg-saved", "Ændringen er gemt").await?;
        let renamed: adgang_api_types::ContactGroup = app
            .get_json_as(
                &format!("/api/v1/organisations/34051178/contact-groups/{group}"),
                &token,
            )
            .await;
        ensure!(
            renamed.name == "Borgerservice og pas",
            "saved name: {}",
            renamed.name
        );

        // Delete the group: the preview lists the point; after the tick both are gone.
        client.goto(&app.url("/kontaktstruktur")).await?;
        wait_for_text(&client, "#contact-tree", "Borgerservice og pas").await?;
        open_menu(&client, &format!("more-{group}")).await?;
        click(&client, &format!("delete-{group}")).await?;
        wait_for_text(&client, "#cs-delete-panel", "Pas, kørekort og ID").await?;
        client
            .find(Locator::Css("label[for='cs-delete-confirm']"))
            .await?
            .click()
            .await?;
        click(&client, "cs-delete-yes").await?;
        wait_for_text(&client, "#cs-message", "Gruppen er slettet").await?;
        wait_for_text(&client, "#cs-empty", "ingen kontaktgrupper").await?;
        Ok(())
    })
    .await;
}
