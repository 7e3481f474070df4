//! Statistics endpoints (SPEC §11): `…/organisations/{cvr}/statistics/…` for the
//! organisation's `statistics_admin` (authorities and companies alike).

use actix_web::{delete, get, patch, post, web, HttpResponse};
use adgang_api_types::{
    Module, NewCustomReport, NewSubscription, StatisticsReport, SubscriptionChange,
};
use adgang_api_types::{Page, PageQuery};
use adgang_core::download::attachment;
use adgang_core::json::JsonBody;
use adgang_core::openapi as problems;
use adgang_core::pagination::PageRequest;
use adgang_core::{DomainError, DryRun, ItemPath, ModuleGuard, OrgPath, OrgScope, ReadDb};
use sea_orm::DatabaseConnection;

use crate::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_statistics_reports)
        .service(order_subscription)
        .service(order_custom_report)
        .service(get_statistics_report)
        .service(change_subscription)
        .service(cancel_subscription)
        .service(download_statistics_report);
}

/// "Statistik": `statistics_admin`.
pub struct Statistics;

impl ModuleGuard for Statistics {
    const MODULE: Module = Module::Statistics;
}

/// An order's answer: 204 for a dry run (nothing kept), else 201 with the report and its URL.
fn ordered(
    report: adgang_core::Written<StatisticsReport>,
    cvr: &str,
) -> Result<HttpResponse, DomainError> {
    Ok(report.respond(|report| {
        HttpResponse::Created()
            .insert_header((
                actix_web::http::header::LOCATION,
                format!(
                    "/api/v1/organisations/{cvr}/statistics/reports/{}",
                    report.id
                ),
            ))
            .json(report)
    }))
}

/// ST-05: the overview — the reports ordered or ready, paged (X-03; `sort=orderedAt|name|
/// producedAt`, newest first by default).
#[utoipa::path(
    params(OrgPath, PageQuery),
    responses(
        (status = 200, description = "The reports", body = Page<StatisticsReport>),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/statistics/reports")]
async fn list_statistics_reports(
    scope: OrgScope<Statistics>,
    read: web::Data<ReadDb>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<StatisticsReport>>, DomainError> {
    let request = PageRequest::parse_newest_first(&query, service::REPORT_SORT)?;
    let org = scope.org.as_str();
    Ok(web::Json(
        service::overview_page(&read.get_ref().0, org, &request).await?,
    ))
}

/// ST-01/ST-02 "Bestil standardrapport": subscribe to one of the five standard reports with an
/// interval and an optional e-mail. Each version covers one interval and is produced on the
/// 10th day of the following period (Copenhagen); the first within 10 days. 409
/// `already_subscribed` for the same report and interval twice. `?dryRun=true` checks only.
#[utoipa::path(
    params(OrgPath, DryRun),
    request_body = NewSubscription,
    responses(
        (status = 201, description = "Subscribed", body = StatisticsReport),
        (status = 204, description = "dryRun: the order would be accepted"),
        problems::BadRequest,
        problems::Scope,
        problems::Conflict,
    )
)]
#[post("/organisations/{cvr}/statistics/subscriptions")]
async fn order_subscription(
    scope: OrgScope<Statistics>,
    db: web::Data<DatabaseConnection>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let order: NewSubscription = body.parse().await?;
    let acting = scope.acting();
    let report = adgang_core::write_or_check(&db, dry_run, async |txn| {
        Ok(service::subscribe(txn, &acting, &order, dry_run.dry_run).await?)
    });
    ordered(report.await?, scope.org.as_str())
}

/// ST-04 "Bestil brugerdefineret rapport": a name, 1–8 of the eight variables, a period of at
/// most one year ending at the latest today, an optional e-mail. Produced once after the
/// period's last day; downloadable for 7 days, then deleted. `?dryRun=true` checks only.
#[utoipa::path(
    params(OrgPath, DryRun),
    request_body = NewCustomReport,
    responses(
        (status = 201, description = "Ordered", body = StatisticsReport),
        (status = 204, description = "dryRun: the order would be accepted"),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[post("/organisations/{cvr}/statistics/custom-reports")]
async fn order_custom_report(
    scope: OrgScope<Statistics>,
    db: web::Data<DatabaseConnection>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let order: NewCustomReport = body.parse().await?;
    let acting = scope.acting();
    let report = adgang_core::write_or_check(&db, dry_run, async |txn| {
        Ok(service::order_custom(txn, &acting, &order, dry_run.dry_run).await?)
    });
    ordered(report.await?, scope.org.as_str())
}

/// ST-05 "Se detaljer": variables, size, interval or period, when it was produced — also of a
/// cancelled subscription or a deleted custom report.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The report", body = StatisticsReport),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/statistics/reports/{id}")]
async fn get_statistics_report(
    scope: OrgScope<Statistics>,
    read: web::Data<ReadDb>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<StatisticsReport>, DomainError> {
    Ok(web::Json(
        service::details(&read.get_ref().0, scope.org.as_str(), &path.id).await?,
    ))
}

/// ST-03: change a subscription's e-mail. Its interval is fixed: another interval is a 409
/// `interval_fixed` (cancel and order again).
#[utoipa::path(
    params(ItemPath),
    request_body = SubscriptionChange,
    responses(
        (status = 200, description = "Changed", body = StatisticsReport),
        problems::BadRequest,
        problems::Scope,
        problems::Conflict,
    )
)]
#[patch("/organisations/{cvr}/statistics/reports/{id}")]
async fn change_subscription(
    scope: OrgScope<Statistics>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
    body: JsonBody,
) -> Result<web::Json<StatisticsReport>, DomainError> {
    let change: SubscriptionChange = body.parse().await?;
    let report = adgang_core::write(&db, async |txn| {
        Ok(service::change(txn, &scope.acting(), &path.id, &change).await?)
    })
    .await?;
    Ok(web::Json(report))
}

/// ST-03 "Opsig rapport": end a subscription (its last version goes with it). A custom report
/// cannot be cancelled (409 `not_cancellable`).
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 204, description = "Cancelled"),
        problems::Scope,
        problems::Conflict,
    )
)]
#[delete("/organisations/{cvr}/statistics/reports/{id}")]
async fn cancel_subscription(
    scope: OrgScope<Statistics>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, DomainError> {
    adgang_core::write(&db, async |txn| {
        Ok(service::cancel(txn, &scope.acting(), &path.id).await?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// ST-05 "Download rapport": the version ready as CSV (UTF-8 with BOM, `;`, Danish headings,
/// one row per combination of the variables with its number of messages). 409
/// `report_not_ready` before the first version, `report_deleted` after a custom report's
/// 7 days, `subscription_cancelled` after a cancel.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The report", content_type = "text/csv", body = String),
        problems::Scope,
        problems::Conflict,
    )
)]
#[get("/organisations/{cvr}/statistics/reports/{id}/file")]
async fn download_statistics_report(
    scope: OrgScope<Statistics>,
    read: web::Data<ReadDb>,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, DomainError> {
    let (name, content) = service::file(&read.get_ref().0, scope.org.as_str(), &path.id).await?;
    Ok(attachment("text/csv; charset=utf-8", &name, content))
}
