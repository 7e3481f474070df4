//! Identity endpoints under `/api/v1`: the caller's session and organisations.

use actix_web::{get, web};
use adgang_api_types::{
    Module, Organisation, Page, PageQuery, Problem, Right, Session, SessionOrganisation,
};
use adgang_core::{Cvr, DomainError, PageRequest, Principal};
use sea_orm::DatabaseConnection;

use crate::entity::organisation;
use crate::service::{self, OrganisationSort};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_session)
        .service(list_organisations)
        .service(get_organisation);
}

/// The caller's session (AUTH-03).
///
/// Who the access token says the caller is, the current organisation, the rights there and the
/// modules they open. Any valid token may call it.
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's session", body = Session),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/session")]
async fn get_session(principal: Principal) -> web::Json<Session> {
    let modules = Module::ALL
        .into_iter()
        .filter(|m| m.usable_with(principal.organisation_kind, &principal.rights))
        .collect();
    web::Json(Session {
        user_id: principal.user_id,
        name: principal.name,
        organisation: SessionOrganisation {
            cvr_number: principal.organisation.to_string(),
            name: principal.organisation_name,
            kind: principal.organisation_kind,
        },
        rights: principal.rights,
        modules,
        operator: principal.operator,
    })
}

/// List organisations (operators only, CTX-02).
///
/// Paginated; sortable by `name`, `cvrNumber` or `createdAt`. Requires `operator`.
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "One page of organisations", body = Page<Organisation>),
        (status = 400, description = "Bad paging or sort parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller is not an operator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations")]
async fn list_organisations(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<Organisation>>, DomainError> {
    principal.require(Right::Operator)?;
    let request = PageRequest::parse(&query, OrganisationSort::SORTABLE)?;
    let (rows, total) = service::list_organisations(db.get_ref(), &request).await?;
    let items = rows.into_iter().map(to_dto).collect();
    Ok(web::Json(request.into_page(items, total)))
}

/// Get one organisation by CVR number.
///
/// The caller's own organisation; operators may look up any organisation (CTX-02). Any other
/// organisation is 404.
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(("cvr" = String, Path, description = "CVR number (8 digits, modulus-11)", example = "29189846")),
    responses(
        (status = 200, description = "The organisation", body = Organisation),
        (status = 400, description = "Not a valid CVR number", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, or not the caller's", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{cvr}")]
async fn get_organisation(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
    cvr: web::Path<String>,
) -> Result<web::Json<Organisation>, DomainError> {
    let cvr = Cvr::parse(&cvr).map_err(|e| DomainError::field("cvr", e.code(), e.message()))?;
    if !principal.has(Right::Operator) {
        principal.organisation_scope(cvr.as_str())?;
    }
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
