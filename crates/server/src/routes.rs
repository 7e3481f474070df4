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

/// Readiness: the database answers.
#[utoipa::path(
    tag = OPERATIONS_TAG,
    responses(
        (status = 200, body = HealthStatus),
        problems::Unavailable,
    )
)]
#[get("/readyz")]
async fn readyz(db: web::Data<DatabaseConnection>) -> HttpResponse {
    match db.ping().await {
        Ok(()) => HttpResponse::Ok().json(HealthStatus { status: "ready" }),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            problem_response(
                actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                Some("The database is unreachable.".to_owned()),
                vec![],
            )
        }
    }
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
