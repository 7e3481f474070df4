//! Identity endpoints under `/api/v1`: the caller's session and organisations.

use actix_web::{get, web};
use adgang_api_types::{
    Address, Module, OrgKind, Organisation, OrganisationLookup, Page, PageQuery, Right, Session,
    SessionOrganisation,
};
use adgang_core::audit::{record_search, Register, SearchRecord};
use adgang_core::openapi as problems;
use adgang_core::{Cvr, DomainError, Now, PageRequest, Principal, ReadDb};
use adgang_registry::{Registry, RegistryError};
use sea_orm::DatabaseConnection;

use crate::entity::organisation;
use crate::service::{self, OrganisationSort};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_session)
        .service(list_organisations)
        .service(get_organisation)
        .service(lookup_organisation);
}

/// The caller's session (AUTH-03).
///
/// Who the access token says the caller is, the current organisation, the rights there and the
/// modules they open. Any valid token may call it. While the organisation awaits onboarding
/// (AUTH-04) `onboardingRequired` is true and no module is open.
#[utoipa::path(
    responses(
        (status = 200, description = "The caller's session", body = Session),
        problems::Unauthenticated,
    )
)]
#[get("/session")]
async fn get_session(principal: Principal) -> web::Json<Session> {
    let modules = Module::ALL
        .into_iter()
        .filter(|_| !principal.onboarding_pending)
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
        onboarding_required: principal.onboarding_pending,
    })
}

/// List organisations (operators only, CTX-02).
///
/// Paginated; sortable by `name`, `cvrNumber` or `createdAt`. Requires `operator`.
#[utoipa::path(
    params(PageQuery),
    responses(
        (status = 200, description = "One page of organisations", body = Page<Organisation>),
        problems::BadRequest,
        problems::Auth,
    )
)]
#[get("/organisations")]
async fn list_organisations(
    principal: Principal,
    db: web::Data<ReadDb>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<Organisation>>, DomainError> {
    principal.require(Right::Operator)?;
    let request = PageRequest::parse(&query, OrganisationSort::SORTABLE)?;
    let (rows, total) = service::list_organisations(&db.0, &request).await?;
    let items = rows.into_iter().map(to_dto).collect();
    Ok(web::Json(request.into_page(items, total)))
}

/// Get one organisation by CVR number.
///
/// The caller's own organisation; operators may look up any organisation (CTX-02). Any other
/// organisation is 404.
#[utoipa::path(
    params(("cvr" = String, Path, description = "CVR number (8 digits, modulus-11)", example = "29189846")),
    responses(
        (status = 200, description = "The organisation", body = Organisation),
        problems::BadRequest,
        problems::Unauthenticated,
        problems::NotFound,
    )
)]
#[get("/organisations/{cvr}")]
async fn get_organisation(
    principal: Principal,
    db: web::Data<ReadDb>,
    cvr: web::Path<String>,
) -> Result<web::Json<Organisation>, DomainError> {
    let cvr = Cvr::parse(&cvr).map_err(|e| DomainError::field("cvr", e.code(), e.message()))?;
    if !principal.has(Right::Operator) {
        principal.organisation_scope(cvr.as_str())?;
    }
    let row = service::get_organisation(&db.0, &cvr).await?;
    Ok(web::Json(to_dto(row)))
}

/// Look an organisation up in the CVR register (operators, CTX-02).
///
/// Shows name, kind and registered office address before an operator switches to it. Every
/// lookup is written to the searches log (LOG-03). Requires `operator`.
#[utoipa::path(
    params(("cvr" = String, Path, description = "CVR number (8 digits, modulus-11)", example = "29189846")),
    responses(
        (status = 200, description = "The organisation in the CVR register", body = OrganisationLookup),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[get("/organisation-lookup/{cvr}")]
async fn lookup_organisation(
    principal: Principal,
    now: Now,
    db: web::Data<DatabaseConnection>,
    registry: web::Data<dyn Registry>,
    cvr: web::Path<String>,
) -> Result<web::Json<OrganisationLookup>, DomainError> {
    principal.require(Right::Operator)?;
    let cvr = Cvr::parse(&cvr).map_err(|e| DomainError::field("cvr", e.code(), e.message()))?;
    let found = registry.company(&cvr).await.map_err(|e| match e {
        RegistryError::Unavailable(why) => DomainError::Unavailable(format!("CVR register: {why}")),
    })?;
    let search = SearchRecord {
        organisation: principal.organisation.clone(),
        actor_rid: principal.user_id.clone(),
        search_data: cvr.to_string(),
        register: Register::Cvr,
        result_count: u32::from(found.is_some()),
    };
    record_search(db.get_ref(), now.0, search).await?;
    let company = found.ok_or(DomainError::NotFound("organisation"))?;
    let known_here = service::find_organisation(db.get_ref(), cvr.as_str())
        .await?
        .is_some();
    Ok(web::Json(OrganisationLookup {
        cvr_number: company.cvr,
        name: company.name,
        kind: if company.is_authority {
            OrgKind::Authority
        } else {
            OrgKind::Company
        },
        registered_office_address: Address {
            street: company.registered_office_address.street,
            postal_code: company.registered_office_address.postal_code,
            city: company.registered_office_address.city,
        },
        known_here,
    }))
}

fn to_dto(row: organisation::Model) -> Organisation {
    Organisation {
        kind: row.kind.into(),
        cvr_number: row.cvr,
        name: row.name,
        agreement_accepted_at: row.agreement_accepted_at,
        created_at: row.created_at,
        legal_notification_allowed: row.legal_notification_allowed,
    }
}
