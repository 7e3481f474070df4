//! The route table: operations endpoints at the root, the versioned API under `/api/v1`.
//! Registered through utoipa-actix-web, so the OpenAPI document is derived from exactly these
//! registrations — there is no hand-kept path list.

use actix_web::{get, http::header, web, HttpResponse};
use adgang_api_types::{EnvironmentInfo, ErrorCode, Module};
use adgang_core::openapi as problems;
use adgang_core::{problem_response, ApiModule, DomainError};
use sea_orm::DatabaseConnection;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::config::Settings;
use crate::metrics::Metrics;

pub const OPERATIONS_TAG: &str = "Drift";
pub const META_TAG: &str = "Miljø";

/// The module crates, each mounted under `/api/v1`: adding a module is one line here (and its
/// ports, if it answers any, in `startup`).
pub fn modules(settings: &Settings) -> Vec<Box<dyn ApiModule>> {
    vec![
        Box::new(adgang_identity::IdentityModule),
        Box::new(adgang_systems::SystemsModule {
            settings: adgang_systems::SystemsSettings {
                allow_http_endpoints: settings.allow_http_endpoints,
            },
        }),
        Box::new(adgang_contacts::ContactsModule::new(
            settings.platform_urls.clone(),
        )),
        Box::new(adgang_messaging::MessagingModule {
            settings: adgang_messaging::MessagingSettings {
                trusted_proxies: settings.trusted_proxies.clone(),
                max_memo_bytes: settings.max_body_bytes,
            },
        }),
        Box::new(adgang_exemptions::ExemptionsModule),
        Box::new(adgang_mail_access::MailAccessModule),
        Box::new(adgang_authority_info::AuthorityInfoModule::new(
            settings.allow_http_endpoints,
        )),
        Box::new(adgang_nemsms::NemSmsModule {
            settings: adgang_nemsms::NemSmsSettings {
                public_base_url: settings.base_url(),
                link_lifetime: chrono::Duration::hours(48),
            },
        }),
        Box::new(adgang_statistics::StatisticsModule),
        Box::new(adgang_eventlog::EventLogModule {
            settings: adgang_eventlog::EventLogSettings {
                stream_limit: settings.log_stream_limit,
                ..Default::default()
            },
        }),
    ]
}

pub fn configure(cfg: &mut ServiceConfig, modules: &[Box<dyn ApiModule>]) {
    cfg.service(healthz)
        .service(readyz)
        .service(metrics)
        .service(utoipa_actix_web::scope("/api/v1").configure(|cfg| {
            cfg.service(environment);
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
/// is "not ready", not just an unreachable one.
#[utoipa::path(
    tag = OPERATIONS_TAG,
    responses(
        (status = 200, body = HealthStatus),
        problems::Unavailable,
    )
)]
#[get("/readyz")]
async fn readyz(db: web::Data<DatabaseConnection>) -> HttpResponse {
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
async fn metrics(metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        ))
        .body(metrics.render())
}

/// The deployment's environment label, version and modules — what the SPA shell needs before
/// login (AUTH-05: `test` shows a banner).
#[utoipa::path(tag = META_TAG, responses((status = 200, body = EnvironmentInfo)))]
#[get("/environment")]
async fn environment(
    settings: web::Data<Settings>,
) -> Result<web::Json<EnvironmentInfo>, DomainError> {
    Ok(web::Json(EnvironmentInfo {
        environment: settings.environment,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        modules: Module::ALL.to_vec(),
    }))
}
