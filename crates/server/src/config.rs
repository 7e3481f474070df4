//! Configuration from environment variables, each with a documented default, and optionally a
//! TOML file with the same keys ([`ConfigFile`]; the README's table is the complete list).
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `ADGANG_BIND` | `127.0.0.1` | address to listen on |
//! | `ADGANG_PORT` | `8080` | port (`0` picks a free one) |
//! | `DATABASE_URL` | `sqlite://data/adgang.db?mode=rwc` | SQLite file or `postgres://…` |
//! | `ADGANG_ENVIRONMENT` | `test` | `test` shows the test banner; or `production` |
//! | `ADGANG_PUBLIC_BASE_URL` | `http://<bind>:<port>` | the URL users reach us at (issuer of our tokens, OIDC redirect) |
//! | `ADGANG_IDP_ENABLED` | `true` in test, `false` in production | serve the built-in test identity provider at `/idp` and its test portal at `/testportal` |
//! | `ADGANG_OIDC_ISSUER` | `<public base URL>/idp` | the OpenID Connect issuer to log in with |
//! | `ADGANG_OIDC_CLIENT_ID` | `adgang-portal` | our client id at the issuer |
//! | `ADGANG_OIDC_CLIENT_SECRET` | random per start (built-in IdP only) | our client secret; required with an external issuer |
//! | `ADGANG_SPA_DIR` | `frontend/dist` | the built SPA (Trunk output) |
//! | `ADGANG_MAX_BODY_BYTES` | `16777216` | any request body larger is refused with 413 |
//! | `ADGANG_MAX_JSON_BYTES` | `1048576` | JSON bodies larger are refused with 413 |
//! | `ADGANG_DEMO_DATA` | `false` | load demo organisations at start-up (idempotent) |
//! | `ADGANG_LOG_FORMAT` | `pretty` | `pretty` or `json` |
//! | `ADGANG_IDP_CLIENTS` | none | extra relying parties of the built-in IdP: `id,secret,redirect_uri;…` |
//! | `ADGANG_REGISTRY_URL` | none | CPR/CVR register adapter base URL; the built-in synthetic register when unset |
//! | `ADGANG_TOKEN_SIGNING_KEY_FILE` | none | Ed25519 PKCS#8 PEM signing our access tokens; required in production, a random key per start otherwise (`adgang-server generate-signing-key` makes one) |
//! | `ADGANG_DATA_KEY_FILE` | none | 32-byte key (base64) sealing API keys at rest; required in production, a random key per start otherwise (`adgang-server generate-data-key` makes one) |
//! | `ADGANG_ALLOW_HTTP_ENDPOINTS` | `false` | accept plain `http` system endpoints (test deployments only; refused in production) |
//! | `ADGANG_CITIZEN_PLATFORM_URL` | `https://www.borger.dk/mit-overblik/digital-post/skriv` | citizens' "write to" page that deep links open (CS-04) |
//! | `ADGANG_BUSINESS_PLATFORM_URL` | `https://virk.dk/digital-post/skriv` | businesses' "write to" page that deep links open (CS-04) |
//! | `ADGANG_TRUSTED_PROXIES` | none | comma-separated addresses or ranges of reverse proxies whose `X-Forwarded-For` names a system's address (SYS-01, CORE-01); otherwise the connection's peer is the caller |
//! | `ADGANG_DISPATCHER` | `true` | run the Digital Post dispatcher (deliveries, value dates) in this instance; several instances on one PostgreSQL may all run it |
//! | `ADGANG_DISPATCH_LEASE_SECONDS` | `300` | how long a claimed delivery job belongs to its instance; after a crash its jobs wait this long; must exceed the 30 s push timeout |
//! | `ADGANG_LOG_STREAM_LIMIT` | `100000` | the most rows one event-log CSV download streams; a larger search becomes a background export job (X-05) |
//! | `ADGANG_DELIVERY_PER_DESTINATION` | `4` | pushes in flight to one endpoint host at once (issue 31); more wait, their attempt not spent |
//! | `ADGANG_DELIVERY_MAX_IN_FLIGHT` | `256` | delivery jobs one instance runs at once (jobs parked for a busy endpoint come on top) |
//! | `ADGANG_BODY_DEADLINE_SECONDS` | `10` | a JSON (or other small) request body must arrive within this; then 408 and the connection closes |
//! | `ADGANG_UPLOAD_DEADLINE_SECONDS` | `30` | the same for a file upload (`multipart/form-data`, `application/octet-stream`) |
//! | `ADGANG_SFTP_PORT` | none (`2222` under `cargo xtask run`) | run the SFTP service for sender systems' bulk files on this port (issue 35; `0` picks a free one) |
//! | `ADGANG_SFTP_HOST_KEY_FILE` | none | the SFTP service's host key (OpenSSH private key); otherwise one is made on first start and kept in the database |
//! | `ADGANG_SFTP_PUBLIC_HOST` | the public base URL's host | the host name SFTP clients are told to connect to |
//! | `ADGANG_BULK_FILES` | `true` | take uploaded bulk files in this instance (whichever instance they were uploaded to) |
//! | `ADGANG_BULK_LEASE_SECONDS` | `120` | how long a bulk file being taken belongs to its instance; after a crash it is taken again, from its last kept memo, this long after |
//! | `RUST_LOG` | `info` | log filter |

use std::path::PathBuf;

use adgang_api_types::EnvironmentLabel;
use anyhow::{bail, Context};

#[derive(Clone)]
pub struct Settings {
    pub bind_address: String,
    pub port: u16,
    pub database_url: String,
    pub environment: EnvironmentLabel,
    /// `None` until configured or resolved from the bound address at start-up.
    pub public_base_url: Option<String>,
    pub spa_dir: PathBuf,
    pub max_body_bytes: usize,
    pub max_json_bytes: usize,
    pub demo_data: bool,
    /// With `demo_data`: a year of traffic before today (issue 32 item 16); tests that count
    /// exactly turn it off.
    pub demo_history: bool,
    pub log_format: LogFormat,
    pub token_signing_key_file: Option<PathBuf>,
    pub registry_url: Option<String>,
    /// §3.1.1: the rights portal a new rights administrator's notice links to.
    pub rights_portal_url: Option<String>,
    pub idp_enabled: Option<bool>,
    pub oidc_issuer: Option<String>,
    pub oidc_client_id: String,
    pub oidc_client_secret: Option<String>,
    /// Further relying parties the built-in IdP serves (e.g. another portal instance).
    pub idp_extra_clients: Vec<adgang_idp::RegisteredClient>,
    pub data_key_file: Option<PathBuf>,
    pub allow_http_endpoints: bool,
    pub platform_urls: adgang_contacts::deep_links::PlatformUrls,
    /// SYS-01 behind a load balancer: whose `X-Forwarded-For` to believe.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Run the Digital Post dispatcher in this instance (CORE-03..05).
    pub dispatcher: bool,
    /// How long a claimed delivery job belongs to the instance that claimed it.
    pub dispatch_lease: chrono::Duration,
    /// MV-04: how long a move of mail stays with the instance running it without a batch
    /// committed; after a crash, the move resumes this long after its last batch.
    pub move_mail_lease: std::time::Duration,
    /// Run moves of mail in this instance (tests that look at a move before it runs turn it
    /// off).
    pub move_mail_worker: bool,
    /// Issue 18: the SMTP server e-mail is relayed to (`smtp://…`, `smtps://…`); without it
    /// e-mail stays in the outbox the test portal shows.
    pub smtp_url: Option<String>,
    /// The sender of relayed e-mail.
    pub mail_from: String,
    /// ST-02/ST-04: run the statistics scheduler in this instance (tests that tick it
    /// themselves turn it off).
    pub statistics_worker: bool,
    /// The pause between the statistics scheduler's rounds.
    pub statistics_round: std::time::Duration,
    /// the most rows one event-log CSV response streams; more become an export job.
    pub log_stream_limit: u64,
    /// Issue 29: the limits of the child processes that read uploaded files.
    pub sandbox: crate::sandbox::SandboxSettings,
    /// Issue 35: the SFTP service's port (`0`: a free one); `None`: no SFTP service here.
    pub sftp_port: Option<u16>,
    /// Issue 35: the SFTP host key (OpenSSH private key); `None`: one kept in the database.
    pub sftp_host_key_file: Option<PathBuf>,
    /// Issue 35: the host SFTP clients are told to connect to (default: the public URL's).
    pub sftp_public_host: Option<String>,
    /// Issue 35: take uploaded bulk files in this instance (tests that look at a file before
    /// it is taken turn it off).
    pub bulk_files: bool,
    /// Issue 35: how long a bulk file being taken belongs to its instance; after a crash it is
    /// taken again (from its last kept memo) this long after the last chunk.
    pub bulk_lease: chrono::Duration,
    /// The source of "now" (the machine's clock; tests give a clock they move).
    pub clock: std::sync::Arc<dyn adgang_core::Clock>,
    /// Issue 31: the dispatcher's bounds and breaker.
    pub delivery_limits: adgang_messaging::service::dispatch::DeliveryLimits,
    /// Issue 31: how outbound requests resolve names (the system's resolver; tests give
    /// names the addresses they need).
    pub outbound_resolver: std::sync::Arc<dyn adgang_core::outbound::NameResolver>,
    /// Issue 31: how long a request body may take to arrive (small bodies, uploads).
    pub body_deadlines: crate::middleware::body_deadline::BodyDeadlines,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("bind_address", &self.bind_address)
            .field("port", &self.port)
            .field("environment", &self.environment)
            .field("public_base_url", &self.public_base_url)
            .field("spa_dir", &self.spa_dir)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/adgang.db?mode=rwc";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            bind_address: "127.0.0.1".to_owned(),
            port: 8080,
            database_url: DEFAULT_DATABASE_URL.to_owned(),
            environment: EnvironmentLabel::Test,
            public_base_url: None,
            spa_dir: PathBuf::from("frontend/dist"),
            max_body_bytes: 16 * 1024 * 1024,
            max_json_bytes: 1024 * 1024,
            demo_data: false,
            demo_history: true,
            log_format: LogFormat::Pretty,
            token_signing_key_file: None,
            registry_url: None,
            rights_portal_url: None,
            idp_enabled: None,
            oidc_issuer: None,
            oidc_client_id: "adgang-portal".to_owned(),
            oidc_client_secret: None,
            idp_extra_clients: Vec::new(),
            data_key_file: None,
            allow_http_endpoints: false,
            platform_urls: adgang_contacts::deep_links::PlatformUrls::default(),
            trusted_proxies: Vec::new(),
            dispatcher: true,
            dispatch_lease: adgang_messaging::service::dispatch::DEFAULT_LEASE,
            move_mail_lease: std::time::Duration::from_secs(15),
            move_mail_worker: true,
            smtp_url: None,
            mail_from: "Administrativ Adgang <noreply@digitalpost.invalid>".to_owned(),
            statistics_worker: true,
            statistics_round: std::time::Duration::from_secs(30),
            log_stream_limit: adgang_eventlog::EventLogSettings::default().stream_limit,
            sandbox: crate::sandbox::SandboxSettings::default(),
            sftp_port: None,
            sftp_host_key_file: None,
            sftp_public_host: None,
            bulk_files: true,
            bulk_lease: chrono::Duration::seconds(120),
            clock: std::sync::Arc::new(adgang_core::time::SystemClock),
            delivery_limits: Default::default(),
            outbound_resolver: std::sync::Arc::new(adgang_core::outbound::SystemResolver),
            body_deadlines: Default::default(),
        }
    }
}

/// the optional configuration file (`adgang-server --config adgang.toml`, or
/// `ADGANG_CONFIG`): every key of the table above, lower-case and without the `ADGANG_` prefix
/// (`port = 8080`, `database_url = "postgres://…"`, `trusted_proxies = ["10.0.0.0/8"]`). A
/// variable set in the environment overrides the file; an unknown key or a value that is not a
/// string, number, boolean or list of strings is a start-up error (a typo is never silently a
/// default). `docs/adgang.example.toml` lists every key.
pub struct ConfigFile(std::collections::HashMap<&'static str, String>);

impl ConfigFile {
    pub fn read(path: &std::path::Path) -> anyhow::Result<ConfigFile> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the configuration file {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("in {}", path.display()))
    }

    pub fn parse(text: &str) -> anyhow::Result<ConfigFile> {
        let table: toml::Table = text.parse().context("not valid TOML")?;
        let mut values = std::collections::HashMap::new();
        for (key, value) in table {
            let variable = KEYS
                .iter()
                .copied()
                .find(|variable| file_key(variable) == key)
                .with_context(|| format!("unknown key {key:?} (see docs/adgang.example.toml)"))?;
            let text = match value {
                toml::Value::String(s) => s,
                toml::Value::Integer(n) => n.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                toml::Value::Array(items) => items
                    .into_iter()
                    .map(|item| match item {
                        toml::Value::String(s) => Ok(s),
                        other => bail!("{key}: a list holds strings, not {}", other.type_str()),
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?
                    .join(if variable == "ADGANG_IDP_CLIENTS" {
                        ";"
                    } else {
                        ","
                    }),
                other => bail!(
                    "{key}: a string, number, boolean or list, not {}",
                    other.type_str()
                ),
            };
            values.insert(variable, text);
        }
        Ok(ConfigFile(values))
    }

    fn get(&self, variable: &str) -> Option<String> {
        self.0.get(variable).cloned()
    }
}

/// A variable's key in the configuration file: `ADGANG_PUBLIC_BASE_URL` → `public_base_url`.
pub fn file_key(variable: &str) -> String {
    variable
        .strip_prefix("ADGANG_")
        .unwrap_or(variable)
        .to_ascii_lowercase()
}

/// Every variable [`Settings::from_lookup`] reads (a test checks the list against the code).
pub const KEYS: &[&str] = &[
    "ADGANG_BIND",
    "ADGANG_PORT",
    "DATABASE_URL",
    "ADGANG_ENVIRONMENT",
    "ADGANG_PUBLIC_BASE_URL",
    "ADGANG_IDP_ENABLED",
    "ADGANG_OIDC_ISSUER",
    "ADGANG_OIDC_CLIENT_ID",
    "ADGANG_OIDC_CLIENT_SECRET",
    "ADGANG_SPA_DIR",
    "ADGANG_MAX_BODY_BYTES",
    "ADGANG_MAX_JSON_BYTES",
    "ADGANG_DEMO_DATA",
    "ADGANG_DEMO_HISTORY",
    "ADGANG_LOG_FORMAT",
    "ADGANG_IDP_CLIENTS",
    "ADGANG_REGISTRY_URL",
    "ADGANG_RIGHTS_PORTAL_URL",
    "ADGANG_TOKEN_SIGNING_KEY_FILE",
    "ADGANG_DATA_KEY_FILE",
    "ADGANG_ALLOW_HTTP_ENDPOINTS",
    "ADGANG_CITIZEN_PLATFORM_URL",
    "ADGANG_BUSINESS_PLATFORM_URL",
    "ADGANG_TRUSTED_PROXIES",
    "ADGANG_DISPATCHER",
    "ADGANG_DISPATCH_LEASE_SECONDS",
    "ADGANG_LOG_STREAM_LIMIT",
    "ADGANG_DELIVERY_PER_DESTINATION",
    "ADGANG_DELIVERY_MAX_IN_FLIGHT",
    "ADGANG_BODY_DEADLINE_SECONDS",
    "ADGANG_UPLOAD_DEADLINE_SECONDS",
    "ADGANG_MOVE_MAIL_LEASE_SECONDS",
    "ADGANG_STATISTICS_ROUND_SECONDS",
    "ADGANG_SMTP_URL",
    "ADGANG_MAIL_FROM",
    "ADGANG_STATISTICS_WORKER",
    "ADGANG_SANDBOX_MEMORY_MB",
    "ADGANG_SANDBOX_CPU_SECONDS",
    "ADGANG_SANDBOX_WALL_SECONDS",
    "ADGANG_SANDBOX_CHILDREN",
    "ADGANG_SANDBOX_PROGRAM",
    "ADGANG_SFTP_PORT",
    "ADGANG_SFTP_HOST_KEY_FILE",
    "ADGANG_SFTP_PUBLIC_HOST",
    "ADGANG_BULK_FILES",
    "ADGANG_BULK_LEASE_SECONDS",
];

impl Settings {
    /// Reads the environment on top of the defaults. Invalid values are start-up errors, not
    /// silently replaced by defaults.
    pub fn from_env() -> anyhow::Result<Settings> {
        Self::from_file_and_env(None)
    }

    /// the environment on top of the configuration file on top of the defaults.
    pub fn from_file_and_env(file: Option<&std::path::Path>) -> anyhow::Result<Settings> {
        let file = file.map(ConfigFile::read).transpose()?;
        Self::from_layers(file.as_ref(), |key| std::env::var(key).ok())
    }

    /// `env` (a variable's value) on top of `file` on top of the defaults.
    pub fn from_layers(
        file: Option<&ConfigFile>,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Settings> {
        Self::from_lookup(|key| env(key).or_else(|| file.and_then(|f| f.get(key))))
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<Settings> {
        let mut s = Settings::default();
        let flag = |key: &str| -> anyhow::Result<Option<bool>> {
            get(key)
                .map(|v| parse_bool(&v).with_context(|| format!("{key} must be true or false")))
                .transpose()
        };
        if let Some(v) = get("ADGANG_BIND") {
            s.bind_address = v;
        }
        if let Some(v) = get("ADGANG_PORT") {
            s.port = v.parse().context("ADGANG_PORT must be a port number")?;
        }
        if let Some(v) = get("DATABASE_URL") {
            s.database_url = v;
        }
        if let Some(v) = get("ADGANG_ENVIRONMENT") {
            s.environment = either(
                "ADGANG_ENVIRONMENT",
                &v,
                [
                    ("test", EnvironmentLabel::Test),
                    ("production", EnvironmentLabel::Production),
                ],
            )?;
        }
        if let Some(v) = get("ADGANG_PUBLIC_BASE_URL") {
            s.public_base_url = Some(v.trim_end_matches('/').to_owned());
        }
        if let Some(v) = get("ADGANG_SPA_DIR") {
            s.spa_dir = PathBuf::from(v);
        }
        if let Some(v) = get("ADGANG_MAX_BODY_BYTES") {
            s.max_body_bytes = v
                .parse()
                .context("ADGANG_MAX_BODY_BYTES must be a number")?;
        }
        if let Some(v) = get("ADGANG_MAX_JSON_BYTES") {
            s.max_json_bytes = v
                .parse()
                .context("ADGANG_MAX_JSON_BYTES must be a number")?;
        }
        if let Some(b) = flag("ADGANG_DEMO_DATA")? {
            s.demo_data = b;
        }
        if let Some(b) = flag("ADGANG_DEMO_HISTORY")? {
            s.demo_history = b;
        }
        if let Some(v) = get("ADGANG_LOG_FORMAT") {
            s.log_format = either(
                "ADGANG_LOG_FORMAT",
                &v,
                [("pretty", LogFormat::Pretty), ("json", LogFormat::Json)],
            )?;
        }
        if let Some(b) = flag("ADGANG_IDP_ENABLED")? {
            s.idp_enabled = Some(b);
        }
        if let Some(v) = get("ADGANG_OIDC_ISSUER") {
            s.oidc_issuer = Some(v.trim_end_matches('/').to_owned());
        }
        if let Some(v) = get("ADGANG_OIDC_CLIENT_ID") {
            s.oidc_client_id = v;
        }
        if let Some(v) = get("ADGANG_OIDC_CLIENT_SECRET") {
            s.oidc_client_secret = Some(v);
        }
        if let Some(v) = get("ADGANG_IDP_CLIENTS") {
            for entry in v.split(';').map(str::trim).filter(|e| !e.is_empty()) {
                let mut parts = entry.splitn(3, ',');
                let (Some(id), Some(secret), Some(redirect)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    bail!("ADGANG_IDP_CLIENTS entries are id,secret,redirect_uri separated by ;");
                };
                s.idp_extra_clients.push(adgang_idp::RegisteredClient {
                    client_id: id.to_owned(),
                    client_secret: secret.to_owned(),
                    redirect_uris: vec![redirect.to_owned()],
                });
            }
        }
        if let Some(v) = get("ADGANG_REGISTRY_URL") {
            s.registry_url = Some(v);
        }
        if let Some(v) = get("ADGANG_RIGHTS_PORTAL_URL") {
            s.rights_portal_url = Some(v);
        }
        if let Some(v) = get("ADGANG_TOKEN_SIGNING_KEY_FILE") {
            s.token_signing_key_file = Some(PathBuf::from(v));
        }
        if let Some(v) = get("ADGANG_DATA_KEY_FILE") {
            s.data_key_file = Some(PathBuf::from(v));
        }
        if let Some(b) = flag("ADGANG_ALLOW_HTTP_ENDPOINTS")? {
            s.allow_http_endpoints = b;
        }
        if let Some(v) = get("ADGANG_CITIZEN_PLATFORM_URL") {
            s.platform_urls.citizens = v;
        }
        if let Some(v) = get("ADGANG_BUSINESS_PLATFORM_URL") {
            s.platform_urls.businesses = v;
        }
        if let Some(v) = get("ADGANG_TRUSTED_PROXIES") {
            s.trusted_proxies = v
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(|e| {
                    e.parse::<ipnet::IpNet>()
                        .or_else(|_| e.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                        .with_context(|| {
                            format!("ADGANG_TRUSTED_PROXIES: {e} is not an address or range")
                        })
                })
                .collect::<anyhow::Result<_>>()?;
        }
        if let Some(v) = get("ADGANG_DISPATCH_LEASE_SECONDS") {
            let seconds: u32 =
                v.parse().ok().filter(|s| *s > 0).context(
                    "ADGANG_DISPATCH_LEASE_SECONDS must be a positive number of seconds",
                )?;
            s.dispatch_lease = chrono::Duration::seconds(i64::from(seconds));
        }
        // Whole numbers of at least `least`; `what` says so in the error.
        let at_least = |key: &str, least: u64, what: &str| -> anyhow::Result<Option<u64>> {
            get(key)
                .map(|v| {
                    v.parse::<u64>()
                        .ok()
                        .filter(|n| *n >= least)
                        .with_context(|| format!("{key} must be {what}"))
                })
                .transpose()
        };
        let count = |key: &str| -> anyhow::Result<Option<usize>> {
            Ok(at_least(key, 1, "a positive number")?.map(|n| n as usize))
        };
        if let Some(n) = count("ADGANG_DELIVERY_PER_DESTINATION")? {
            s.delivery_limits.per_destination = n;
        }
        if let Some(n) = count("ADGANG_DELIVERY_MAX_IN_FLIGHT")? {
            s.delivery_limits.total = n;
        }
        if let Some(n) = count("ADGANG_BODY_DEADLINE_SECONDS")? {
            s.body_deadlines.small = std::time::Duration::from_secs(n as u64);
        }
        if let Some(n) = count("ADGANG_UPLOAD_DEADLINE_SECONDS")? {
            s.body_deadlines.upload = std::time::Duration::from_secs(n as u64);
        }
        let seconds = "a positive number of seconds";
        if let Some(n) = at_least("ADGANG_MOVE_MAIL_LEASE_SECONDS", 1, seconds)? {
            s.move_mail_lease = std::time::Duration::from_secs(n);
        }
        if let Some(n) = at_least("ADGANG_STATISTICS_ROUND_SECONDS", 1, seconds)? {
            s.statistics_round = std::time::Duration::from_secs(n);
        }
        if let Some(n) = at_least("ADGANG_LOG_STREAM_LIMIT", 1, "a positive number of rows")? {
            s.log_stream_limit = n;
        }
        if let Some(b) = flag("ADGANG_DISPATCHER")? {
            s.dispatcher = b;
        }
        if let Some(v) = get("ADGANG_SMTP_URL").filter(|v| !v.trim().is_empty()) {
            s.smtp_url = Some(v.trim().to_owned());
        }
        if let Some(v) = get("ADGANG_MAIL_FROM") {
            s.mail_from = v;
        }
        if let Some(b) = flag("ADGANG_STATISTICS_WORKER")? {
            s.statistics_worker = b;
        }
        if let Some(mb) = at_least(
            "ADGANG_SANDBOX_MEMORY_MB",
            64,
            "a number of MiB, at least 64",
        )? {
            s.sandbox.memory_bytes = mb * 1024 * 1024;
        }
        if let Some(n) = at_least("ADGANG_SANDBOX_CPU_SECONDS", 1, seconds)? {
            s.sandbox.cpu_seconds = n;
        }
        if let Some(n) = at_least("ADGANG_SANDBOX_WALL_SECONDS", 1, seconds)? {
            s.sandbox.wall_clock = std::time::Duration::from_secs(n);
        }
        if let Some(n) = at_least("ADGANG_SANDBOX_CHILDREN", 1, "a positive number")? {
            s.sandbox.children =
                usize::try_from(n).context("ADGANG_SANDBOX_CHILDREN is too large")?;
        }
        if let Some(v) = get("ADGANG_SANDBOX_PROGRAM") {
            s.sandbox.program = Some(PathBuf::from(v));
        }
        if let Some(v) = get("ADGANG_SFTP_PORT") {
            s.sftp_port = Some(
                v.parse()
                    .context("ADGANG_SFTP_PORT must be a port number (0 picks a free one)")?,
            );
        }
        if let Some(v) = get("ADGANG_SFTP_HOST_KEY_FILE") {
            s.sftp_host_key_file = Some(PathBuf::from(v));
        }
        if let Some(v) = get("ADGANG_SFTP_PUBLIC_HOST") {
            s.sftp_public_host = Some(v);
        }
        if let Some(b) = flag("ADGANG_BULK_FILES")? {
            s.bulk_files = b;
        }
        if let Some(n) = at_least(
            "ADGANG_BULK_LEASE_SECONDS",
            1,
            "a positive number of seconds",
        )? {
            s.bulk_lease = chrono::Duration::seconds(
                i64::try_from(n).context("ADGANG_BULK_LEASE_SECONDS is too large")?,
            );
        }
        if s.allow_http_endpoints && s.environment == EnvironmentLabel::Production {
            bail!("ADGANG_ALLOW_HTTP_ENDPOINTS cannot be used in production");
        }
        Ok(s)
    }

    /// The public base URL; resolved from the bound port at start-up when not configured.
    pub fn base_url(&self) -> String {
        self.public_base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}:{}", self.bind_address, self.port))
    }

    /// Issue 35: the host SFTP clients connect to — configured, or the public base URL's.
    pub fn sftp_host(&self) -> String {
        if let Some(host) = &self.sftp_public_host {
            return host.clone();
        }
        let base = self.base_url();
        let rest = base
            .split_once("://")
            .map_or(base.as_str(), |(_, rest)| rest);
        let authority = rest.split('/').next().unwrap_or(rest);
        match authority.rsplit_once(':') {
            Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host.to_owned(),
            _ => authority.to_owned(),
        }
    }

    /// Our access tokens' issuer (`iss`).
    pub fn token_issuer(&self) -> String {
        self.base_url()
    }

    /// §3.1.1: the rights portal a new rights administrator is sent to — configured, or the
    /// built-in test portal when this instance serves it.
    pub fn rights_portal_url(&self) -> String {
        self.rights_portal_url.clone().unwrap_or_else(|| {
            if self.idp_enabled() {
                format!("{}/testportal", self.base_url())
            } else {
                "https://digst.dk/it-loesninger/digital-post/".to_owned()
            }
        })
    }

    /// Whether this instance serves the built-in test IdP (never by default in production).
    pub fn idp_enabled(&self) -> bool {
        self.idp_enabled
            .unwrap_or(self.environment == EnvironmentLabel::Test)
    }

    /// The issuer we log in with: configured, or our own built-in IdP.
    pub fn oidc_issuer(&self) -> String {
        self.oidc_issuer
            .clone()
            .unwrap_or_else(|| format!("{}/idp", self.base_url()))
    }

    /// The keys signing our access tokens: from the configured file, or a fresh random key
    /// outside production (tokens then do not survive a restart).
    pub fn token_keys(&self) -> anyhow::Result<adgang_core::TokenKeys> {
        match (&self.token_signing_key_file, self.environment) {
            (Some(path), _) => {
                let pem = std::fs::read_to_string(path)
                    .with_context(|| format!("reading {}", path.display()))?;
                adgang_core::TokenKeys::from_pkcs8_pem(&pem, &self.token_issuer(), TOKEN_AUDIENCE)
            }
            (None, EnvironmentLabel::Production) => {
                bail!("ADGANG_TOKEN_SIGNING_KEY_FILE is required in production")
            }
            (None, EnvironmentLabel::Test) => {
                adgang_core::TokenKeys::generate(&self.token_issuer(), TOKEN_AUDIENCE)
            }
        }
    }
}

impl Settings {
    /// The key sealing API keys at rest (SYS-04): from the configured file, or a fresh random
    /// key outside production (sealed keys then cannot be shown after a restart).
    pub fn data_key(&self) -> anyhow::Result<adgang_core::secrets::DataKey> {
        match (&self.data_key_file, self.environment) {
            (Some(path), _) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading {}", path.display()))?;
                adgang_core::secrets::DataKey::from_base64(&text)
            }
            (None, EnvironmentLabel::Production) => {
                bail!("ADGANG_DATA_KEY_FILE is required in production")
            }
            (None, EnvironmentLabel::Test) => Ok(adgang_core::secrets::DataKey::generate()),
        }
    }

    /// The CPR/CVR register: the HTTP adapter when configured, else the synthetic one.
    pub fn registry(&self) -> anyhow::Result<std::sync::Arc<dyn adgang_registry::Registry>> {
        Ok(match &self.registry_url {
            Some(url) => std::sync::Arc::new(
                adgang_registry::HttpRegistry::new(url).context("configuring the register")?,
            ),
            None => std::sync::Arc::new(adgang_registry::SyntheticRegistry::new()),
        })
    }
}

/// Our access tokens' audience (`aud`).
pub const TOKEN_AUDIENCE: &str = "adgang-api";

/// `key`'s value `v` as the one of two `choices` it names, or the error naming both.
fn either<T: Copy>(key: &str, v: &str, choices: [(&str, T); 2]) -> anyhow::Result<T> {
    match choices.iter().find(|(name, _)| *name == v) {
        Some((_, chosen)) => Ok(*chosen),
        None => bail!(
            "{key} must be {} or {}, not {v:?}",
            choices[0].0,
            choices[1].0
        ),
    }
}

fn parse_bool(v: &str) -> anyhow::Result<bool> {
    match v {
        "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        _ => bail!("not a boolean: {v:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let s = Settings::from_lookup(|_| None).unwrap();
        assert_eq!(s.database_url, DEFAULT_DATABASE_URL);
        assert_eq!((s.bind_address.as_str(), s.port), ("127.0.0.1", 8080));
        assert_eq!(s.environment, EnvironmentLabel::Test);
    }

    #[test]
    fn environment_values_override_defaults() {
        let s = Settings::from_lookup(|k| match k {
            "ADGANG_ENVIRONMENT" => Some("production".into()),
            "ADGANG_PORT" => Some("9000".into()),
            "ADGANG_PUBLIC_BASE_URL" => Some("https://adgang.example.dk/".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(s.environment, EnvironmentLabel::Production);
        assert_eq!(s.port, 9000);
        assert_eq!(s.base_url(), "https://adgang.example.dk");
        assert_eq!(s.oidc_issuer(), "https://adgang.example.dk/idp");
        assert!(!s.idp_enabled(), "production has no test IdP unless asked");
    }

    #[test]
    fn production_refuses_to_start_without_a_signing_key() {
        let s = Settings::from_lookup(|k| (k == "ADGANG_ENVIRONMENT").then(|| "production".into()))
            .unwrap();
        assert!(s.token_keys().is_err());
        assert!(Settings::default().token_keys().is_ok());
    }

    #[test]
    fn invalid_values_are_errors_not_defaults() {
        let err = Settings::from_lookup(|k| (k == "ADGANG_ENVIRONMENT").then(|| "staging".into()))
            .unwrap_err();
        assert!(err.to_string().contains("staging"));
    }

    /// the file's keys are the variables', its values reach the settings, lists join,
    /// and a variable in the environment wins.
    #[test]
    fn x_12_the_configuration_file_sets_what_the_environment_does_not() {
        let file = ConfigFile::parse(
            "port = 9090\nenvironment = \"test\"\ndemo_data = true\n\
             database_url = \"postgres://adgang@db/adgang\"\n\
             trusted_proxies = [\"10.0.0.1\", \"10.0.1.0/24\"]\n\
             idp_clients = [\"a,s,http://127.0.0.1/cb\", \"b,t,http://127.0.0.1/cb2\"]\n",
        )
        .unwrap();
        let env = |key: &str| (key == "ADGANG_PORT").then(|| "7070".to_owned());
        let s = Settings::from_layers(Some(&file), env).unwrap();
        assert_eq!(s.port, 7070, "the environment wins");
        assert!(s.demo_data);
        assert_eq!(s.database_url, "postgres://adgang@db/adgang");
        assert_eq!(s.trusted_proxies.len(), 2);
        assert_eq!(
            file.get("ADGANG_IDP_CLIENTS").unwrap().matches(';').count(),
            1
        );
    }

    #[test]
    fn x_12_an_unknown_key_or_a_wrong_value_stops_the_start() {
        let unknown = ConfigFile::parse("prot = 8080\n").err().unwrap();
        assert!(format!("{unknown:#}").contains("prot"), "{unknown:#}");
        let table = ConfigFile::parse("[server]\nport = 1\n").err().unwrap();
        assert!(format!("{table:#}").contains("server"), "{table:#}");
        let list = ConfigFile::parse("trusted_proxies = [1, 2]\n")
            .err()
            .unwrap();
        assert!(format!("{list:#}").contains("strings"), "{list:#}");
        assert!(ConfigFile::parse("port = \n").is_err(), "not TOML");
        // A value the variable would refuse is refused from the file too.
        let file = ConfigFile::parse("port = \"eighty\"\n").unwrap();
        assert!(Settings::from_lookup(|key| file.get(key)).is_err());
    }

    /// Every variable the settings read is a key, in the README's table and in the example
    /// file — whose every (commented-out) line is itself a valid setting.
    #[test]
    fn x_12_every_key_is_documented_and_the_example_file_is_valid() {
        let source = include_str!("config.rs");
        let from_lookup = &source[source.find("pub fn from_lookup").unwrap()..];
        for quoted in from_lookup.split('"').skip(1).step_by(2) {
            if quoted.starts_with("ADGANG_") || quoted == "DATABASE_URL" {
                let end = quoted
                    .find(|c: char| !(c.is_ascii_uppercase() || c == '_'))
                    .unwrap_or(quoted.len());
                let variable = &quoted[..end];
                assert!(KEYS.contains(&variable), "{variable} is read but not a key");
            }
        }
        let readme = include_str!("../../../README.md");
        let example = include_str!("../../../docs/adgang.example.toml");
        for variable in KEYS {
            assert!(
                readme.contains(&format!("| `{variable}` |")),
                "{variable} in README"
            );
            assert!(
                example.contains(&format!("\n# {} = ", file_key(variable))),
                "{variable} in docs/adgang.example.toml"
            );
        }
        let uncommented: String = example
            .lines()
            .filter_map(|line| line.strip_prefix("# "))
            .filter(|line| {
                line.split_once(" = ").is_some_and(|(key, _)| {
                    key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                })
            })
            .map(|line| format!("{line}\n"))
            .collect();
        let file = ConfigFile::parse(&uncommented).unwrap();
        assert_eq!(file.0.len(), KEYS.len());
    }
}
