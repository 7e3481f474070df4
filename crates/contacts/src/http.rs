//! Contact structure endpoints under `/api/v1/organisations/{cvr}/…`, named like Digital
//! Post's (`contact-groups`, `contact-points`). Every handler checks the module (authorities'
//! `contact_admin`), then the organisation scope, then reads the body.

use actix_web::{delete, get, post, put, web, HttpResponse};
use adgang_api_types::{
    ContactGroup, ContactGroupDeletion, ContactGroupInput, ContactPoint, ContactPointInput,
    ContactTreeNode, Module, Problem,
};
use adgang_core::audit::Actor;
use adgang_core::json::JsonBody;
use adgang_core::{Cvr, DomainError, Principal};
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(contact_structure)
        .service(create_group)
        .service(get_group)
        .service(update_group)
        .service(group_deletion_preview)
        .service(delete_group)
        .service(create_point)
        .service(get_point)
        .service(update_point)
        .service(delete_point);
}

fn scope(principal: &Principal, cvr: &str) -> Result<(Cvr, Actor), DomainError> {
    principal.require_module(Module::ContactStructure)?;
    let cvr = principal.organisation_scope(cvr)?.clone();
    let actor = Actor::EmployeeOf {
        cvr: cvr.clone(),
        rid: principal.user_id.clone(),
    };
    Ok((cvr, actor))
}

/// The whole structure as a tree (CS-02): top-level groups and points at the root; items
/// placed more than once are marked `duplicate`.
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(("cvr" = String, Path, description = "The caller's organisation", example = "34051178")),
    responses(
        (status = 200, description = "The tree", body = Vec<ContactTreeNode>),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Requires contact_admin in an authority", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not the caller's organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{cvr}/contact-structure")]
async fn contact_structure(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
    cvr: web::Path<String>,
) -> Result<web::Json<Vec<ContactTreeNode>>, DomainError> {
    let (org, _) = scope(&principal, &cvr)?;
    Ok(web::Json(
        service::tree(db.get_ref(), &org)
            .await
            .map_err(DomainError::from)?,
    ))
}

/// Create a contact group (CS-01).
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(("cvr" = String, Path, description = "The caller's organisation")),
    request_body = ContactGroupInput,
    responses(
        (status = 201, description = "Created", body = ContactGroup),
        (status = 400, description = "Field errors", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Requires contact_admin in an authority", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not the caller's organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organisations/{cvr}/contact-groups")]
async fn create_group(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
    cvr: web::Path<String>,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let (org, actor) = scope(&principal, &cvr)?;
    let input: ContactGroupInput = body.parse().await?;
    let txn = db.begin().await?;
    let group = service::create_group(&txn, &actor, &org, &input, chrono::Utc::now())
        .await
        .map_err(DomainError::from)?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(group))
}

/// One contact group.
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(("cvr" = String, Path, description = "The caller's organisation"), ("id" = String, Path, description = "Group id")),
    responses(
        (status = 200, description = "The group", body = ContactGroup),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Requires contact_admin in an authority", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group here", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{cvr}/contact-groups/{id}")]
async fn get_group(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<ContactGroup>, DomainError> {
    let (cvr, id) = path.into_inner();
    let (org, _) = scope(&principal, &cvr)?;
    Ok(web::Json(
        service::get_group(db.get_ref(), &org, &id)
            .await
            .map_err(DomainError::from)?,
    ))
}

/// Replace a contact group's settings and parents (cycles are refused).
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(("cvr" = String, Path, description = "The caller's organisation"), ("id" = String, Path, description = "Group id")),
    request_body = ContactGroupInput,
    responses(
        (status = 200, description = "Saved", body = ContactGroup),
        (status = 400, description = "Field errors", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Requires contact_admin in an authority", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group here", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organisations/{cvr}/contact-groups/{id}")]
async fn update_group(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(String, String)>,
    body: JsonBody,
) -> Result<web::Json<ContactGroup>, DomainError> {
    let (cvr, id) = path.into_inner();
    let (org, actor) = scope(&principal, &cvr)?;
    let input: ContactGroupInput = body.parse().await?;
    let txn = db.begin().await?;
    let group = service::update_group(&txn, &actor, &org, &id, &input, chrono::Utc::now())
        .await
        .map_err(DomainError::from)?;
    txn.commit().await?;
    Ok(web::Json(group))
}

/// What deleting the group would remove (CS-03): its content, recursively, with the items
/// that also live elsewhere marked (they lose only this placement).
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(("cvr" = String, Path, description = "The caller's organisation"), ("id" = String, Path, description = "Group id")),
    responses(
        (status = 200, description = "The preview", body = ContactGroupDeletion),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Requires contact_admin in an authority", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group here", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{cvr}/contact-groups/{id}/deletion-preview")]
async fn group_deletion_preview(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<ContactGroupDeletion>, DomainError> {
    let (cvr, id) = path.into_inner();
    let (org, _) = scope(&principal, &cvr)?;
    Ok(web::Json(
        service::deletion_preview(db.get_ref(), &org, &id)
            .await
            .map_err(DomainError::from)?,
    ))
}

/// Delete a group and its content (CS-03), atomically: all of it or, on any failure, nothing.
/// Answers what was removed.
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(("cvr" = String, Path, description = "The caller's organisation"), ("id" = String, Path, description = "Group id")),
    responses(
        (status = 200, description = "Deleted; what was removed", body = ContactGroupDeletion),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Requires contact_admin in an authority", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group here", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/organisations/{cvr}/contact-groups/{id}")]
async fn delete_group(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<ContactGroupDeletion>, DomainError> {
    let (cvr, id) = path.into_inner();
    let (org, actor) = scope(&principal, &cvr)?;
    let txn = db.begin().await?;
    let removed = service::delete_group(&txn, &actor, &org, &id, chrono::Utc::now())
        .await
        .map_err(DomainError::from)?;
    txn.commit().await?;
    Ok(web::Json(removed))
}

/// Create a contact point (CS-01).
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(("cvr" = String, Path, description = "The caller's organisation")),
    request_body = ContactPointInput,
    responses(
        (status = 201, description = "Created", body = ContactPoint),
        (status = 400, description = "Field errors", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Requires contact_admin in an authority", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not the caller's organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organisations/{cvr}/contact-points")]
async fn create_point(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
    cvr: web::Path<String>,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let (org, actor) = scope(&principal, &cvr)?;
    let input: ContactPointInput = body.parse().await?;
    let txn = db.begin().await?;
    let point = service::create_point(&txn, &actor, &org, &input, chrono::Utc::now())
        .await
        .map_err(DomainError::from)?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(point))
}

/// One contact point (with its internal note: this is the administrators' API).
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(("cvr" = String, Path, description = "The caller's organisation"), ("id" = String, Path, description = "Point id")),
    responses(
        (status = 200, description = "The point", body = ContactPoint),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Requires contact_admin in an authority", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such point here", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{cvr}/contact-points/{id}")]
async fn get_point(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<ContactPoint>, DomainError> {
    let (cvr, id) = path.into_inner();
    let (org, _) = scope(&principal, &cvr)?;
    Ok(web::Json(
        service::get_point(db.get_ref(), &org, &id)
            .await
            .map_err(DomainError::from)?,
    ))
}

/// Replace a contact point.
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(("cvr" = String, Path, description = "The caller's organisation"), ("id" = String, Path, description = "Point id")),
    request_body = ContactPointInput,
    responses(
        (status = 200, description = "Saved", body = ContactPoint),
        (status = 400, description = "Field errors", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Requires contact_admin in an authority", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such point here", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organisations/{cvr}/contact-points/{id}")]
async fn update_point(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(String, String)>,
    body: JsonBody,
) -> Result<web::Json<ContactPoint>, DomainError> {
    let (cvr, id) = path.into_inner();
    let (org, actor) = scope(&principal, &cvr)?;
    let input: ContactPointInput = body.parse().await?;
    let txn = db.begin().await?;
    let point = service::update_point(&txn, &actor, &org, &id, &input, chrono::Utc::now())
        .await
        .map_err(DomainError::from)?;
    txn.commit().await?;
    Ok(web::Json(point))
}

/// Delete a contact point (all its placements go with it).
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(("cvr" = String, Path, description = "The caller's organisation"), ("id" = String, Path, description = "Point id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Requires contact_admin in an authority", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such point here", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/organisations/{cvr}/contact-points/{id}")]
async fn delete_point(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, DomainError> {
    let (cvr, id) = path.into_inner();
    let (org, actor) = scope(&principal, &cvr)?;
    let txn = db.begin().await?;
    service::delete_point(&txn, &actor, &org, &id, chrono::Utc::now())
        .await
        .map_err(DomainError::from)?;
    txn.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
