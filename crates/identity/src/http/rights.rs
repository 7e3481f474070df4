//! Rights administration (stands in for the external rights portal): a `rights_admin` sees the
//! organisation's users and grants or revokes their rights. Every change is logged.

use crate::http::RightsAdministration;
use actix_web::{delete, get, put, web, HttpResponse};
use adgang_api_types::FieldCode;
use adgang_api_types::{OrganisationUser, Right};
use adgang_api_types::{Page, PageQuery};
use adgang_core::openapi as problems;
use adgang_core::pagination::{PageRequest, SortDirection};
use adgang_core::OrgScope;
use adgang_core::{DomainError, OrgPath};
use sea_orm::DatabaseConnection;

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

/// How the users can be ordered: by name (the default) or RID/UUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UserSort {
    Name,
    UserId,
}

/// Users with rights in the organisation, with their rights here, paged (X-03;
/// `sort=name|userId`, by name by default). Requires `rights_admin`.
#[utoipa::path(
    params(OrgPath, PageQuery),
    responses(
        (status = 200, description = "Users with their rights here", body = Page<OrganisationUser>),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/users")]
async fn list_users(
    scope: OrgScope<RightsAdministration>,
    db: web::Data<DatabaseConnection>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<OrganisationUser>>, DomainError> {
    let request = PageRequest::parse(
        &query,
        &[("name", UserSort::Name), ("userId", UserSort::UserId)],
    )?;
    let mut users: Vec<OrganisationUser> = rights::users_of(db.get_ref(), &scope.org)
        .await?
        .into_iter()
        .map(|(u, rights)| OrganisationUser {
            user_id: u.subject,
            name: u.name,
            rights,
        })
        .collect();
    match request.sort {
        UserSort::Name => users.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.user_id.cmp(&b.user_id))
        }),
        UserSort::UserId => users.sort_by(|a, b| a.user_id.cmp(&b.user_id)),
    }
    if request.direction == SortDirection::Desc {
        users.reverse();
    }
    Ok(web::Json(request.slice(users)))
}

/// Grant a right to a user (requires `rights_admin`); idempotent.
#[utoipa::path(
    params(UserRightPath),
    responses(
        (status = 204, description = "The user holds the right"),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[put("/organisations/{cvr}/users/{userId}/rights/{right}")]
async fn grant_right(
    scope: OrgScope<RightsAdministration>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<UserRightPath>,
) -> Result<HttpResponse, DomainError> {
    change_right(scope, db, path.into_inner(), Change::Grant).await
}

/// Revoke a right (requires `rights_admin`); idempotent. The organisation's last rights
/// administrator keeps that right: 409 `last_rights_admin`.
#[utoipa::path(
    params(UserRightPath),
    responses(
        (status = 204, description = "The user does not hold the right"),
        problems::BadRequest,
        problems::Scope,
        problems::Conflict,
    )
)]
#[delete("/organisations/{cvr}/users/{userId}/rights/{right}")]
async fn revoke_right(
    scope: OrgScope<RightsAdministration>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<UserRightPath>,
) -> Result<HttpResponse, DomainError> {
    change_right(scope, db, path.into_inner(), Change::Revoke).await
}

/// `{cvr}/users/{userId}/rights/{right}`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct UserRightPath {
    /// The caller's organisation (CVR number)
    #[allow(dead_code)]
    cvr: String,
    /// The user's RID/UUID
    #[serde(rename = "userId")]
    #[param(rename = "userId")]
    user_id: String,
    /// The right (e.g. `system_admin`)
    #[param(value_type = Right)]
    right: String,
}

enum Change {
    Grant,
    Revoke,
}

/// Grant or revoke, in one transaction with its actions-log row.
async fn change_right(
    scope: OrgScope<RightsAdministration>,
    db: web::Data<DatabaseConnection>,
    path: UserRightPath,
    change: Change,
) -> Result<HttpResponse, DomainError> {
    let right = parse_right(&path.right)?;
    if matches!(change, Change::Grant) && right == Right::Operator {
        // Systemforvalter is a platform role, not the organisation's to hand out.
        return Err(DomainError::field(
            "right",
            FieldCode::NotGrantable,
            "operator is granted by the platform, not by an organisation's rights administrator.",
        ));
    }
    adgang_core::write(&db, async |txn| {
        let (actor, cvr, now) = (&scope.actor, &scope.org, scope.now);
        // Issue 13 item 9: the answer must not tell whether the RID is known elsewhere. A grant to
        // a RID that never logged in prepares the user (the name comes with the first login); a
        // revoke of an unknown RID has nothing to do — 204 both ways, as for a known user.
        let known = rights::user_by_subject(txn, &path.user_id).await?;
        match (change, known) {
            (Change::Grant, known) => {
                let user = match known {
                    Some(user) => user,
                    None => rights::ensure_user(txn, &path.user_id, "", now).await?,
                };
                rights::grant(txn, actor, cvr, &user, right, now).await?;
            }
            (Change::Revoke, Some(user)) => {
                rights::revoke(txn, actor, cvr, &user, right, now).await?;
            }
            (Change::Revoke, None) => {}
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
