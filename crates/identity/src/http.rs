//! Organisation endpoints under `/api/v1`.
//!
//! Until login lands (issue 3) these are readable without a principal; the first line of each
//! handler is where `principal.require(..)?` goes.

use actix_web::{get, web};
use adgang_api_types::{Organisation, Page, PageQuery, Problem};
use adgang_core::{Cvr, DomainError, PageRequest};
use sea_orm::DatabaseConnection;

use crate::entity::organisation;
use crate::service::{self, OrganisationSort};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_organisations).service(get_organisation);
}

/// List organisations.
///
/// Paginated; sortable by `name`, `cvrNumber` or `createdAt`.
#[utoipa::path(
    tag = crate::TAG,
    params(PageQuery),
    responses(
        (status = 200, description = "One page of organisations", body = Page<Organisation>),
        (status = 400, description = "Bad paging or sort parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations")]
async fn list_organisations(
    db: web::Data<DatabaseConnection>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<Organisation>>, DomainError> {
    let request = PageRequest::parse(&query, OrganisationSort::SORTABLE)?;
    let (rows, total) = service::list_organisations(db.get_ref(), &request).await?;
    let items = rows.into_iter().map(to_dto).collect();
    Ok(web::Json(request.into_page(items, total)))
}

/// Get one organisation by CVR number.
#[utoipa::path(
    tag = crate::TAG,
    params(("cvr" = String, Path, description = "CVR number (8 digits, modulus-11)", example = "29189846")),
    responses(
        (status = 200, description = "The organisation", body = Organisation),
        (status = 400, description = "Not a valid CVR number", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{cvr}")]
async fn get_organisation(
    db: web::Data<DatabaseConnection>,
    cvr: web::Path<String>,
) -> Result<web::Json<Organisation>, DomainError> {
    let cvr = Cvr::parse(&cvr).map_err(|e| DomainError::field("cvr", e.code(), e.message()))?;
    let row = service::get_organisation(db.get_ref(), &cvr).await?;
    Ok(web::Json(to_dto(row)))
}

fn to_dto(row: organisation::Model) -> Organisation {
    Organisation {
        kind: row.kind.into(),
        cvr_number: row.cvr,
        name: row.name,
        agreement_accepted_at: row.agreement_accepted_at,
        created_at: row.created_at,
    }
}
