//! The route table: operations endpoints at the root, the versioned API under `/api/v1`.
//! Registered through utoipa-actix-web, so the OpenAPI document is derived from exactly these
//! registrations — there is no hand-kept path list.

use actix_web::{get, http::header, web, HttpResponse};
use adgang_api_types::{EnvironmentInfo, ErrorCode, FieldCode, FieldError, Module};
use adgang_core::openapi as problems;
use std::sync::Arc;

use adgang_core::ports::ExemptionStatus;
use adgang_core::{problem_response, ApiModule, DomainError, JobContext, SessionRevocations};
use sea_orm::DatabaseConnection;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::config::Settings;
use crate::jobs::JobControl;
use crate::metrics::Metrics;

pub const OPERATIONS_TAG: &str = "Drift";
pub const META_TAG: &str = "Miljø";

/// What the modules are built with: the connection and clock of their jobs, and the ports of
/// `core` that one module answers for the others (no module crate depends on another).
pub struct Wiring {
    pub jobs: JobContext,
    /// Filled by identity's job, read by every request (core's token check).
    pub revocations: Arc<SessionRevocations>,
    pub data_key: adgang_core::secrets::DataKey,
    pub registry: Arc<dyn adgang_registry::Registry>,
    pub exemptions: Arc<dyn ExemptionStatus>,
    pub directory: Arc<adgang_identity::ports::IdentityDirectory>,
    pub messaging: adgang_messaging::Ports,
    /// Issue 31: the one guarded client for every address a user typed.
    pub outbound: adgang_core::Outbound,
    /// Issue 31: the limiters of wrong API keys and wrong client secrets (`/metrics` reads them).
    pub system_keys: adgang_messaging::SystemKeys,
    pub client_secrets: adgang_identity::ClientSecrets,
    /// Issue 29: uploads are read by child processes under OS limits, never in here.
    pub files: Arc<dyn adgang_core::ports::UntrustedFiles>,
    /// The read connections (SQLite; the writer's pool on PostgreSQL).
    pub reads: DatabaseConnection,
    /// Issue 35: the port the SFTP service was bound to (set when messaging is built).
    pub sftp_port: std::sync::OnceLock<u16>,
}

impl Wiring {
    pub fn new(
        settings: &Settings,
        db: DatabaseConnection,
        reads: DatabaseConnection,
    ) -> anyhow::Result<Wiring> {
        let jobs = JobContext {
            db: db.clone(),
            clock: settings.clock.clone(),
        };
        let data_key = settings.data_key()?;
        let registry = settings.registry()?;
        let exemptions: Arc<dyn ExemptionStatus> =
            Arc::new(adgang_exemptions::ports::ExemptionsPort {
                clock: settings.clock.clone(),
            });
        let messaging = adgang_messaging::Ports {
            systems: Arc::new(adgang_systems::ports::ConnectedSystemsPort {
                data_key: data_key.clone(),
            }),
            points: Arc::new(adgang_contacts::ports::DeliveryPointsPort),
            exemptions: exemptions.clone(),
            nemsms: Arc::new(adgang_nemsms::ports::NemSmsPort),
            legal_notices: Arc::new(adgang_identity::ports::LegalNotificationPort),
            registry: registry.clone(),
            sms: Arc::new(adgang_messaging::outbox::SmsOutbox),
            mailer: Arc::new(adgang_messaging::outbox::MailOutbox),
        };
        Ok(Wiring {
            directory: Arc::new(adgang_identity::ports::IdentityDirectory {
                db,
                clock: settings.clock.clone(),
            }),
            jobs,
            revocations: Arc::default(),
            data_key,
            registry,
            exemptions,
            messaging,
            outbound: adgang_core::Outbound::new(
                adgang_core::outbound::AddressPolicy::for_deployment(settings.allow_http_endpoints),
                settings.outbound_resolver.clone(),
                adgang_core::outbound::Deadlines::default(),
            ),
            system_keys: Default::default(),
            client_secrets: Default::default(),
            files: Arc::new(crate::sandbox::Sandbox::new(settings.sandbox.clone())?),
            reads,
            sftp_port: std::sync::OnceLock::new(),
        })
    }
}

/// The module crates, each mounted under `/api/v1` with its jobs: adding a module is one line
/// here (and its ports, if it answers any, in [`Wiring`]).
pub fn modules(settings: &Settings, wiring: &Wiring) -> anyhow::Result<Vec<Box<dyn ApiModule>>> {
    Ok(vec![
        Box::new(adgang_identity::IdentityModule {
            revocations: wiring.revocations.clone(),
            client_secrets: wiring.client_secrets.clone(),
            mailer: wiring.messaging.mailer.clone(),
            rights_portal_url: adgang_identity::RightsPortalUrl(settings.rights_portal_url()),
        }),
        Box::new(adgang_systems::SystemsModule {
            settings: adgang_systems::SystemsSettings {
                allow_http_endpoints: settings.allow_http_endpoints,
            },
        }),
        Box::new(adgang_contacts::ContactsModule::new(
            settings.platform_urls.clone(),
        )),
        Box::new(messaging(settings, wiring)?),
        Box::new(adgang_exemptions::ExemptionsModule {
            unopened_mail: Arc::new(adgang_messaging::outbox::UnopenedMailPort),
        }),
        Box::new(adgang_mail_access::MailAccessModule),
        Box::new(adgang_authority_info::AuthorityInfoModule::new(
            wiring.outbound.clone(),
        )),
        Box::new(adgang_nemsms::NemSmsModule {
            settings: adgang_nemsms::NemSmsSettings {
                public_base_url: settings.base_url(),
                link_lifetime: chrono::Duration::hours(48),
            },
        }),
        Box::new(adgang_statistics::StatisticsModule {
            production: settings
                .statistics_worker
                .then(|| adgang_statistics::Production {
                    tallies: Arc::new(adgang_messaging::MessageTalliesPort),
                    authorities: wiring.directory.clone(),
                    mailer: wiring.messaging.mailer.clone(),
                    round: settings.statistics_round,
                }),
        }),
        Box::new(adgang_eventlog::EventLogModule {
            settings: adgang_eventlog::EventLogSettings {
                stream_limit: settings.log_stream_limit,
                ..Default::default()
            },
            holders: Arc::new(adgang_mail_access::ports::MailAccessHoldersPort),
        }),
    ])
}

/// The Digital Post core with its background work and its limiter of wrong API keys.
fn messaging(
    settings: &Settings,
    wiring: &Wiring,
) -> anyhow::Result<adgang_messaging::MessagingModule> {
    let mut module = adgang_messaging::MessagingModule::new(
        adgang_messaging::MessagingSettings {
            trusted_proxies: settings.trusted_proxies.clone(),
            max_memo_bytes: settings.max_body_bytes,
        },
        wiring.messaging.clone(),
        adgang_messaging::Background {
            dispatch_lease: settings.dispatcher.then_some(settings.dispatch_lease),
            move_lease: settings
                .move_mail_worker
                .then_some(settings.move_mail_lease),
            smtp: settings
                .smtp_url
                .clone()
                .map(|url| (url, settings.mail_from.clone())),
            delivery_limits: settings.delivery_limits,
            sftp: settings
                .sftp_port
                .map(|port| adgang_messaging::sftp::SftpSettings {
                    bind: std::net::SocketAddr::new(
                        settings
                            .bind_address
                            .parse()
                            .unwrap_or(std::net::Ipv4Addr::LOCALHOST.into()),
                        port,
                    ),
                    public_host: settings.sftp_host(),
                    host_key_file: settings.sftp_host_key_file.clone(),
                    // A name nobody can guess, made by us (0700): see `SftpListener::bind`.
                    spool: std::env::temp_dir()
                        .join(format!("adgang-sftp-{}", uuid::Uuid::now_v7())),
                }),
            bulk_files: settings.bulk_files.then(|| adgang_messaging::BulkFiles {
                files: wiring.files.clone(),
                reads: wiring.reads.clone(),
                lease: settings.bulk_lease,
            }),
        },
        wiring.outbound.clone(),
        &wiring.jobs,
    )?;
    module.keys = wiring.system_keys.clone();
    if let Some(port) = module.sftp_port() {
        let _ = wiring.sftp_port.set(port);
    }
    Ok(module)
}

pub fn configure(cfg: &mut ServiceConfig, modules: &[Box<dyn ApiModule>]) {
    cfg.service(healthz)
        .service(readyz)
        .service(metrics)
        .service(utoipa_actix_web::scope("/api/v1").configure(|cfg| {
            cfg.service(get_environment);
            for module in modules {
                module.configure(cfg);
            }
        }));
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct HealthStatus {
    /// `ok` (process alive) or `ready` (dependencies reachable).
    pub status: &'static str,
}

/// Liveness: the process is up and serving.
#[utoipa::path(tag = OPERATIONS_TAG, responses((status = 200, body = HealthStatus)))]
#[get("/healthz")]
async fn healthz() -> web::Json<HealthStatus> {
    web::Json(HealthStatus { status: "ok" })
}

/// How long readiness waits for the database's write path before answering 503.
const READINESS_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// Readiness: the database accepts writes (issue 13 item 8) — a write statement that changes
/// nothing, rolled back, within two seconds. A locked SQLite file, a read-only or full database
/// is "not ready", not just an unreachable one. So is a background job that has completed no
/// round for longer than its declared period (issue 30): each is named in `errors`.
#[utoipa::path(
    tag = OPERATIONS_TAG,
    responses(
        (status = 200, body = HealthStatus),
        problems::Unavailable,
    )
)]
#[get("/readyz")]
async fn readyz(db: web::Data<DatabaseConnection>, jobs: web::Data<JobControl>) -> HttpResponse {
    let stale = jobs.stale();
    if !stale.is_empty() {
        let errors = stale
            .iter()
            .map(|job| FieldError {
                field: format!("jobs.{}", job.name),
                code: FieldCode::JobStale,
                message: format!(
                    "No completed round for {} s (its period is {} s).",
                    job.since.as_secs(),
                    job.period.as_secs()
                ),
            })
            .collect();
        tracing::warn!(jobs = ?stale.iter().map(|j| j.name).collect::<Vec<_>>(), "readiness: stale background jobs");
        return problem_response(
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            Some("A background job has stopped completing its rounds.".to_owned()),
            errors,
        );
    }
    let probe = async {
        use sea_orm::{ConnectionTrait, TransactionTrait};
        let txn = db.begin().await?;
        // Takes SQLite's write lock (and fails on a read-only PostgreSQL) without a row changed.
        txn.execute_unprepared("UPDATE seaql_migrations SET version = version WHERE 1 = 0")
            .await?;
        txn.rollback().await
    };
    let failure = match tokio::time::timeout(READINESS_TIMEOUT, probe).await {
        Ok(Ok(())) => return HttpResponse::Ok().json(HealthStatus { status: "ready" }),
        Ok(Err(err)) => err.to_string(),
        Err(_) => format!("no write within {READINESS_TIMEOUT:?}"),
    };
    tracing::warn!(error = %failure, "readiness check failed");
    problem_response(
        actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Unavailable,
        Some("The database does not accept writes.".to_owned()),
        vec![],
    )
}

/// Prometheus metrics (text exposition format).
#[utoipa::path(
    tag = OPERATIONS_TAG,
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"))
)]
#[get("/metrics")]
async fn metrics(metrics: web::Data<Metrics>, jobs: web::Data<JobControl>) -> HttpResponse {
    let mut text = metrics.render();
    jobs.render(&mut text);
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        ))
        .body(text)
}

/// The deployment's environment label, version and modules — what the SPA shell needs before
/// login (AUTH-05: `test` shows a banner).
#[utoipa::path(tag = META_TAG, responses((status = 200, body = EnvironmentInfo)))]
#[get("/environment")]
async fn get_environment(
    settings: web::Data<Settings>,
) -> Result<web::Json<EnvironmentInfo>, DomainError> {
    Ok(web::Json(EnvironmentInfo {
        environment: settings.environment,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        modules: Module::ALL.to_vec(),
    }))
}
