//! The route table: operations endpoints at the root, the versioned API under `/api/v1`.
//! Registered through utoipa-actix-web, so the OpenAPI document is derived from exactly these
//! registrations — there is no hand-kept path list.

use actix_web::{get, http::header, web, HttpResponse};
use adgang_api_types::{EnvironmentInfo, ErrorCode, Module, Problem};
use adgang_core::{problem_response, DomainError};
use sea_orm::DatabaseConnection;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::config::Settings;
use crate::metrics::Metrics;

pub const OPERATIONS_TAG: &str = "Drift";
pub const META_TAG: &str = "Miljø";

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(healthz)
        .service(readyz)
        .service(metrics)
        .service(utoipa_actix_web::scope("/api/v1").configure(api_v1));
}

/// Everything under `/api/v1`: one line per module crate.
fn api_v1(cfg: &mut ServiceConfig) {
    cfg.service(environment);
    adgang_identity::configure(cfg);
    adgang_systems::configure(cfg);
    adgang_contacts::configure(cfg);
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
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
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
