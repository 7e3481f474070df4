//! Test helpers shared by every integration and browser test.
//!
//! [`spawn_app`] starts the real [`Application`] on `127.0.0.1:0` with its own fresh database:
//! a temp-file SQLite by default, or a brand-new PostgreSQL database when `TEST_DATABASE_URL`
//! points at a PostgreSQL server (as `cargo xtask test` does for its second pass).

pub mod messages;
pub mod peer;

use std::path::PathBuf;

use adgang_api_types::{ApiKey, ContactPoint, OrgKind, Problem, Right, Session, SystemReceipt};
use adgang_core::audit::Actor;
use adgang_core::auth::{OrganisationClaim, TokenSubject};
use adgang_core::entity::{actions_log, message_events, searches_log};
use adgang_core::time::TestClock;
use adgang_core::Cvr;
use adgang_core::TokenKeys;
use adgang_identity::service::{create_organisation, find_organisation, rights, NewOrganisation};
use adgang_server::{telemetry, Application, Settings};
use reqwest::Response;
use sea_orm::{
    ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Select,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tempfile::TempDir;

pub struct TestApp {
    /// `http://127.0.0.1:<port>`
    pub address: String,
    pub port: u16,
    /// Issue 35: the SFTP service's port, when the test turned it on (`sftp_port: Some(0)`).
    pub sftp_port: Option<u16>,
    pub client: reqwest::Client,
    pub database: TestDatabase,
    /// The keys the app verifies tokens with, so tests can mint them.
    pub token_keys: std::sync::Arc<TokenKeys>,
    /// The app's clock: the machine's time until a test moves it (`clock.advance(..)`).
    pub clock: std::sync::Arc<TestClock>,
    /// The app's own writer connection: jobs a test runs beside the app share it as the
    /// server's jobs do (a second pool on SQLite would be a second writer the server never has).
    pub writer: DatabaseConnection,
    /// A pool of its own beside the app's: what [`TestApp::db`] hands out.
    direct: DatabaseConnection,
    /// The server's supervised jobs: their state and test hooks (issue 30).
    pub jobs: adgang_server::jobs::JobControl,
    _spa_dir: Option<TempDir>,
}

/// A user with `rights` in the organisation `cvr` of `kind`.
pub fn user(cvr: &str, kind: OrgKind, rights: &[Right]) -> TokenSubject {
    TokenSubject {
        user_id: format!(
            "rid-{cvr}-{}",
            rights
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join("+")
        ),
        name: "Test Testesen".to_owned(),
        organisation: OrganisationClaim {
            cvr: cvr.to_owned(),
            name: format!("Organisation {cvr}"),
            kind,
            onboarding_pending: false,
        },
        rights: rights.to_vec(),
        operator: false,
        operator_home: None,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("GET failed")
    }

    /// `GET path` with the one header `name: value` (and no token).
    pub async fn get_with_header(&self, path: &str, name: &str, value: &str) -> Response {
        self.client
            .get(self.url(path))
            .header(name, value)
            .send()
            .await
            .expect("GET failed")
    }

    /// GET that must answer 200 with a JSON body of type `T`.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> T {
        expect_json(self.get(path).await, 200).await
    }

    /// An access token for `subject`, signed like the app's own and issued at the app's "now"
    /// (its clock checks the token's times: mint after moving the clock far).
    pub fn token(&self, subject: &TokenSubject) -> String {
        self.token_keys
            .issue(subject, adgang_core::Clock::now(self.clock.as_ref()))
            .expect("issuing a token")
            .0
    }

    /// An access token of a [`user`] with `rights` in the organisation `cvr` of `kind`.
    pub fn token_for(&self, cvr: &str, kind: OrgKind, rights: &[Right]) -> String {
        self.token(&user(cvr, kind, rights))
    }

    /// GET with `Authorization: Bearer <token>`.
    pub async fn get_as(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET failed")
    }

    /// `GET path` as `token`, asserted to answer 200.
    pub async fn get_ok_as(&self, path: &str, token: &str) -> Response {
        let response = self.get_as(path, token).await;
        assert_eq!(response.status(), 200, "{path}");
        response
    }

    /// GET as `token` that must answer 200 with a JSON body of type `T`.
    pub async fn get_json_as<T: DeserializeOwned>(&self, path: &str, token: &str) -> T {
        expect_json(self.get_as(path, token).await, 200).await
    }

    /// `GET /api/v1/session` as `token`, which must answer 200: whom the token speaks for.
    pub async fn session(&self, token: &str) -> Session {
        self.get_json_as("/api/v1/session", token).await
    }

    /// `method path` as `token`, with an optional JSON body (an api-types value or `json!`).
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<&serde_json::Value>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .request(method.parse().expect("an HTTP method"), self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("sending the request")
    }

    /// `POST path` as `token` with a JSON body.
    pub async fn post_as(&self, path: &str, token: &str, body: &Value) -> Response {
        self.send("POST", path, token, Some(body)).await
    }

    /// `PUT path` as `token` with a JSON body.
    pub async fn put_as(&self, path: &str, token: &str, body: &Value) -> Response {
        self.send("PUT", path, token, Some(body)).await
    }

    /// `DELETE path` as `token`.
    pub async fn delete_as(&self, path: &str, token: &str) -> Response {
        self.send("DELETE", path, token, None).await
    }

    /// `method path` as `token` with `body`, which must succeed (2xx) with a JSON `T`.
    pub async fn send_ok<B: serde::Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: &B,
    ) -> T {
        let body = serde_json::to_value(body).expect("a JSON body");
        let response = self.send(method, path, token, Some(&body)).await;
        let status = response.status();
        let text = response.text().await.expect("reading body");
        assert!(
            status.is_success(),
            "{method} {path} answered {status}: {text}"
        );
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: {e}: {text}"))
    }

    /// `POST /api/v1/organisations/{cvr}/systems` as `token` with the system's settings, which
    /// must answer 201: the new system's receipt.
    pub async fn create_system(&self, cvr: &str, token: &str, settings: &Value) -> SystemReceipt {
        let path = format!("/api/v1/organisations/{cvr}/systems");
        expect_json(self.post_as(&path, token, settings).await, 201).await
    }

    /// A new API key for `cvr`'s system `id` (its rotation, as `token`), which must answer 200.
    pub async fn rotate_api_key(&self, cvr: &str, token: &str, id: &str) -> String {
        let path = format!("/api/v1/organisations/{cvr}/systems/{id}/api-key/rotation");
        let response = self.post_as(&path, token, &serde_json::json!({})).await;
        expect_json::<ApiKey>(response, 200).await.api_key
    }

    /// `POST /api/v1/organisations/{cvr}/contact-points` as `token` with the point's fields,
    /// which must answer 201: the new contact point.
    pub async fn create_contact_point(&self, cvr: &str, token: &str, body: &Value) -> ContactPoint {
        let path = format!("/api/v1/organisations/{cvr}/contact-points");
        expect_json(self.post_as(&path, token, body).await, 201).await
    }

    /// `POST /api/v1/oauth/token` with the client-credentials grant and the client's id and
    /// secret as HTTP Basic credentials, as a machine client asks for a token (AUTH-05).
    pub async fn client_credentials(&self, client_id: &str, client_secret: &str) -> Response {
        self.client
            .post(self.url("/api/v1/oauth/token"))
            .basic_auth(client_id, Some(client_secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .expect("sending the token request")
    }

    /// Organisations that have joined (as the test portal creates them), in this order, one
    /// second apart so that `createdAt` sorts them as listed.
    pub async fn seed_organisations(&self, organisations: &[(&str, &str, OrgKind)]) {
        let db = self.db().await;
        let now = chrono::Utc::now();
        for (i, (cvr, name, kind)) in organisations.iter().enumerate() {
            let at = now + chrono::Duration::seconds(i as i64);
            create_joined_organisation(&db, cvr, name, *kind, now, at).await;
        }
    }

    /// A user (IdP subject `rid`) with rights in organisations, which are created (joined)
    /// when missing.
    pub async fn seed_user(&self, rid: &str, name: &str, grants: &[(&str, OrgKind, Right)]) {
        let db = self.db().await;
        let now = chrono::Utc::now();
        let user = rights::ensure_user(&db, rid, name, now)
            .await
            .expect("creating a user");
        for (cvr, kind, right) in grants {
            let cvr = Cvr::parse(cvr).expect("a valid CVR");
            if find_organisation(&db, cvr.as_str())
                .await
                .expect("reading organisations")
                .is_none()
            {
                let name = format!("Organisation {cvr}");
                create_joined_organisation(&db, cvr.as_str(), &name, *kind, now, now).await;
            }
            rights::grant(&db, &Actor::System, &cvr, &user, *right, now)
                .await
                .expect("granting a right");
        }
    }

    /// A direct connection to the app's database, for arranging and inspecting state (one pool
    /// per app, opened with it: tests poll through this).
    pub async fn db(&self) -> DatabaseConnection {
        self.direct.clone()
    }

    /// The rows `select` finds, read on a fresh connection: what the app has written so far.
    pub async fn rows<E: EntityTrait>(&self, select: Select<E>) -> Vec<E::Model> {
        select.all(&self.db().await).await.expect("reading rows")
    }

    /// `org`'s message log (LOG-01), oldest first.
    pub async fn message_events(&self, org: &str) -> Vec<message_events::Model> {
        use message_events::{Column, Entity};
        self.rows(
            Entity::find()
                .filter(Column::OrganisationCvr.eq(org))
                .order_by_asc(Column::Id),
        )
        .await
    }

    /// `org`'s actions log about `subject` (`"exemption"`, `"nemsms"` …), oldest first.
    pub async fn actions_about(&self, org: &str, subject: &str) -> Vec<actions_log::Model> {
        use actions_log::{Column, Entity};
        self.rows(
            Entity::find()
                .filter(Column::OrganisationCvr.eq(org))
                .filter(Column::Subject.eq(subject))
                .order_by_asc(Column::Id),
        )
        .await
    }

    /// `org`'s searches log (lookups in the national registers), oldest first.
    pub async fn searches_logged(&self, org: &str) -> Vec<searches_log::Model> {
        use searches_log::{Column, Entity};
        self.rows(
            Entity::find()
                .filter(Column::OrganisationCvr.eq(org))
                .order_by_asc(Column::Id),
        )
        .await
    }
}

/// The header `name` of `response`, as text.
pub fn header_text<'a>(response: &'a Response, name: &str) -> &'a str {
    response.headers()[name].to_str().unwrap()
}

/// The `content-type` header of `response`, as text.
pub fn content_type(response: &Response) -> &str {
    header_text(response, "content-type")
}

/// Asserts that `response` answered `status` (its body in the message when not) and reads its
/// JSON body as `T`.
pub async fn expect_json<T: DeserializeOwned>(response: Response, status: u16) -> T {
    let (got, url) = (response.status(), response.url().clone());
    let body = response.text().await.expect("reading body");
    assert_eq!(got, status, "{url} answered {got}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{url}: {e}: {body}"))
}

/// Asserts that `response` is a problem answer (RFC 9457) with `status` and reads it.
pub async fn problem(response: Response, status: u16) -> Problem {
    expect_json(response, status).await
}

/// Asserts that `response` is a `400` problem whose field errors are exactly `expected`, as
/// (field, code) in the order the API reported them.
pub async fn assert_field_errors(response: Response, expected: &[(&str, &str)]) {
    let refusal = problem(response, 400).await;
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(field, code)| ((*field).to_owned(), (*code).to_owned()))
        .collect();
    assert_eq!(field_codes(&refusal), expected);
}

/// Asserts that `response` is a `400` problem whose field errors include (`field`, `code`), naming
/// the input `case` when not.
pub async fn assert_has_field_error(
    response: Response,
    case: impl std::fmt::Display,
    field: &str,
    code: &str,
) {
    assert_eq!(response.status(), 400, "{case}");
    let refusal: Problem = response.json().await.expect("a problem body");
    let codes = field_codes(&refusal);
    assert!(
        codes.contains(&(field.to_owned(), code.to_owned())),
        "{case}: expected {field}/{code}, got {codes:?}"
    );
}

/// Creates the organisation `cvr` in `db` at `created_at`, joined (its agreement accepted) at
/// `joined_at`, as the test portal creates one.
pub async fn create_joined_organisation(
    db: &DatabaseConnection,
    cvr: &str,
    name: &str,
    kind: OrgKind,
    joined_at: chrono::DateTime<chrono::Utc>,
    created_at: chrono::DateTime<chrono::Utc>,
) {
    let new = NewOrganisation {
        cvr: Cvr::parse(cvr).expect("a valid CVR"),
        name: name.to_owned(),
        kind,
        agreement_accepted_at: Some(joined_at),
    };
    create_organisation(db, new, created_at)
        .await
        .expect("creating an organisation");
}

/// A problem's field errors as (field, code), in the order the API reported them.
pub fn field_codes(problem: &Problem) -> Vec<(String, String)> {
    problem
        .errors
        .iter()
        .map(|e| (e.field.clone(), e.code.as_str().to_owned()))
        .collect()
}

/// One fresh database per test, removed when the test ends: a temp dir for SQLite, a database
/// dropped from the server for PostgreSQL (231 kept databases were 2.2 GB, enough to fill the
/// disk of a CI run that also holds a fresh `target/`).
pub struct TestDatabase {
    pub url: String,
    pub kind: DatabaseKind,
    _dir: Option<TempDir>,
    /// PostgreSQL: the server's URL and this database's name, to drop it.
    postgres: Option<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

impl TestDatabase {
    pub async fn create() -> TestDatabase {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(server_url) if server_url.starts_with("postgres") => {
                let admin = Database::connect(&server_url)
                    .await
                    .expect("connecting to TEST_DATABASE_URL");
                let name = format!("adgang_test_{}", uuid::Uuid::now_v7().simple());
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("creating the per-test PostgreSQL database");
                let _ = admin.close().await;
                let base = server_url
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .unwrap_or(&server_url);
                TestDatabase {
                    url: format!("{base}/{name}"),
                    kind: DatabaseKind::Postgres,
                    _dir: None,
                    postgres: Some((server_url, name)),
                }
            }
            _ => {
                let dir = tempfile::tempdir().expect("creating a temp dir");
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("adgang.db").display()
                );
                TestDatabase {
                    url,
                    kind: DatabaseKind::Sqlite,
                    _dir: Some(dir),
                    postgres: None,
                }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server_url, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot be blocked on: the statement runs on
        // a thread of its own. FORCE ends the connections the app (or a spawned binary) still
        // holds; a failure only leaves the database behind, so it is reported, not raised.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let admin = Database::connect(&server_url)
                    .await
                    .map_err(|e| e.to_string())?;
                let result = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("dropping {name}: {e}"));
                let _ = admin.close().await;
                result
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("test database left behind: {e}"),
            Err(_) => eprintln!("test database left behind: the dropping thread panicked"),
        }
    }
}

/// The repository root (for `frontend/dist` and `openapi/`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// Where the SPA is served from in a test.
pub enum Spa {
    /// No SPA: API only.
    None,
    /// The real Trunk build in `frontend/dist` (browser tests).
    Built,
    /// A temp dir holding this `index.html` (server tests of SPA serving).
    Index(&'static str),
    /// A temp dir holding these files (path below the dir, contents), e.g. a bundle with its
    /// precompressed variants.
    Files(Vec<(&'static str, Vec<u8>)>),
}

/// The built `adgang-server` beside this test binary (`target/<profile>/adgang-server`): the
/// upload sandbox starts it as its child, because a test binary cannot be one (issue 29).
/// `cargo test` builds it for the server's tests; run `cargo build -p adgang-server` before
/// other packages' tests alone.
pub fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("a test binary in target/<profile>/deps");
    let binary = profile_dir.join("adgang-server");
    assert!(
        binary.is_file(),
        "{} is missing: run `cargo build -p adgang-server` (the upload sandbox's child)",
        binary.display()
    );
    binary
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Spa::None, |_| {}).await
}

/// A fresh app (as [`spawn_app`]) with `organisations` seeded.
pub async fn spawn_app_with_organisations(organisations: &[(&str, &str, OrgKind)]) -> TestApp {
    let app = spawn_app().await;
    app.seed_organisations(organisations).await;
    app
}

/// A fresh app with the joined authority `cvr` ("Testkommune Nord") and a token of its system
/// and contact administrator, for tests that write through several kinds of resource.
pub async fn spawn_app_with_administrator(cvr: &str) -> (TestApp, String) {
    let app = spawn_app().await;
    app.seed_organisations(&[(cvr, "Testkommune Nord", OrgKind::Authority)])
        .await;
    let token = app.token(&user(
        cvr,
        OrgKind::Authority,
        &[Right::SystemAdmin, Right::ContactAdmin],
    ));
    (app, token)
}

pub async fn spawn_app_with(spa: Spa, customise: impl FnOnce(&mut Settings)) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        telemetry::init(adgang_server::config::LogFormat::Pretty);
    }
    let database = TestDatabase::create().await;
    let (spa_dir, temp_spa) = match spa {
        Spa::None => (PathBuf::from("/nonexistent-spa"), None),
        Spa::Built => (workspace_root().join("frontend/dist"), None),
        Spa::Index(html) => {
            let dir = tempfile::tempdir().expect("creating a temp SPA dir");
            std::fs::write(dir.path().join("index.html"), html).expect("writing index.html");
            (dir.path().to_owned(), Some(dir))
        }
        Spa::Files(files) => {
            let dir = tempfile::tempdir().expect("creating a temp SPA dir");
            for (path, contents) in files {
                let path = dir.path().join(path);
                std::fs::create_dir_all(path.parent().expect("a file in a dir"))
                    .expect("creating SPA dirs");
                std::fs::write(path, contents).expect("writing an SPA file");
            }
            (dir.path().to_owned(), Some(dir))
        }
    };
    let clock = std::sync::Arc::new(TestClock::running());
    let mut settings = Settings {
        port: 0,
        database_url: database.url.clone(),
        spa_dir,
        clock: clock.clone(),
        // Statistics tests tick the scheduler themselves (the browser tests turn it on).
        statistics_worker: false,
        sandbox: adgang_server::sandbox::SandboxSettings {
            program: Some(server_binary()),
            ..Default::default()
        },
        ..Settings::default()
    };
    customise(&mut settings);
    let app = Application::build(settings)
        .await
        .expect("building the application");
    let port = app.port();
    let sftp_port = app.sftp_port();
    let token_keys = app.token_keys().into_inner();
    let writer = app.writer();
    let jobs = app.jobs();
    tokio::spawn(app.run_until_stopped());
    let direct = Database::connect(&database.url)
        .await
        .expect("connecting to the test database");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        sftp_port,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // Below the server's keep-alive (5 s): a pooled connection the server has closed
            // in the meantime is never reused.
            .pool_idle_timeout(std::time::Duration::from_secs(3))
            .build()
            .expect("building the HTTP client"),
        database,
        token_keys,
        clock,
        writer,
        jobs,
        direct,
        _spa_dir: temp_spa,
    }
}

/// A real one-page PDF (as a signed agreement would be uploaded), with `text` on its page.
pub fn pdf_with_text(text: &str) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream};

    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let content = Content {
        operations: vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![72.into(), 770.into()]),
            Operation::new("Tj", vec![Object::string_literal(text)]),
            Operation::new("ET", vec![]),
        ],
    };
    let content_id = doc.add_object(Stream::new(
        dictionary! {},
        content.encode().expect("encodable content"),
    ));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("an in-memory PDF");
    bytes
}

/// A loopback port free at the moment of asking (for a server binary a test starts itself).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}
