//! Rights administration (stands in for the external rights portal): a `rights_admin` sees the
//! organisation's users and grants or revokes their rights. Every change is logged.

use actix_web::{delete, get, put, web, HttpResponse};
use adgang_api_types::FieldCode;
use adgang_api_types::{OrganisationUser, Right};
use adgang_core::openapi as problems;
use adgang_core::{DomainError, Now, OrgPath, Principal};
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::service::rights;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users)
        .service(grant_right)
        .service(revoke_right);
}

fn parse_right(raw: &str) -> Result<Right, DomainError> {
    Right::parse(raw).ok_or_else(|| {
        DomainError::field(
            "right",
            FieldCode::UnknownRight,
            format!("{raw} is not a right."),
        )
    })
}

/// Users with rights in the organisation (requires `rights_admin`).
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(OrgPath),
    responses(
        (status = 200, description = "Users by name, with their rights here", body = Vec<OrganisationUser>),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/users")]
async fn list_users(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
    cvr: web::Path<String>,
) -> Result<web::Json<Vec<OrganisationUser>>, DomainError> {
    principal.require(Right::RightsAdmin)?;
    let cvr = principal.organisation_scope(&cvr)?;
    let users = rights::users_of(db.get_ref(), cvr).await?;
    Ok(web::Json(
        users
            .into_iter()
            .map(|(u, rights)| OrganisationUser {
                user_id: u.subject,
                name: u.name,
                rights,
            })
            .collect(),
    ))
}

/// Grant a right to a user (requires `rights_admin`); idempotent.
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(
        OrgPath,
        ("userId" = String, Path, description = "The user's RID/UUID"),
        ("right" = Right, Path, description = "The right"),
    ),
    responses(
        (status = 204, description = "The user holds the right"),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[put("/organisations/{cvr}/users/{userId}/rights/{right}")]
async fn grant_right(
    principal: Principal,
    now: Now,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, DomainError> {
    change_right(principal, now, db, path.into_inner(), Change::Grant).await
}

/// Revoke a right (requires `rights_admin`); idempotent.
#[utoipa::path(
    tag = crate::TAG,
    security(("bearer" = [])),
    params(
        OrgPath,
        ("userId" = String, Path, description = "The user's RID/UUID"),
        ("right" = Right, Path, description = "The right"),
    ),
    responses(
        (status = 204, description = "The user does not hold the right"),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[delete("/organisations/{cvr}/users/{userId}/rights/{right}")]
async fn revoke_right(
    principal: Principal,
    now: Now,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, DomainError> {
    change_right(principal, now, db, path.into_inner(), Change::Revoke).await
}

enum Change {
    Grant,
    Revoke,
}

/// Grant or revoke, in one transaction with its actions-log row.
async fn change_right(
    principal: Principal,
    now: Now,
    db: web::Data<DatabaseConnection>,
    (cvr, subject, right): (String, String, String),
    change: Change,
) -> Result<HttpResponse, DomainError> {
    principal.require(Right::RightsAdmin)?;
    let cvr = principal.organisation_scope(&cvr)?.clone();
    let right = parse_right(&right)?;
    if matches!(change, Change::Grant) && right == Right::Operator {
        // Systemforvalter is a platform role, not the organisation's to hand out.
        return Err(DomainError::field(
            "right",
            FieldCode::NotGrantable,
            "operator is granted by the platform, not by an organisation's rights administrator.",
        ));
    }
    let txn = db.begin().await?;
    let user = rights::user_by_subject(&txn, &subject)
        .await?
        .ok_or(DomainError::NotFound("user"))?;
    let (actor, now) = (principal.actor(), now.0);
    match change {
        Change::Grant => rights::grant(&txn, &actor, &cvr, &user, right, now).await,
        Change::Revoke => rights::revoke(&txn, &actor, &cvr, &user, right, now).await,
    }?;
    txn.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
