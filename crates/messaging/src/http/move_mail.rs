//! Move mail (SPEC §12): `…/organisations/{cvr}/mail-moves` — order a move (202 + the job),
//! follow its progress, download its receipt. Authorities' `system_admin` only (MV-01..04).

use actix_web::{get, post, web, HttpResponse};
use adgang_api_types::{MailMove, Module, MoveContactPoint, NewMailMove};
use adgang_api_types::{Page, PageQuery};
use adgang_core::download::{attachment, render};
use adgang_core::json::JsonBody;
use adgang_core::openapi as problems;
use adgang_core::{DomainError, DryRun, ItemPath, ModuleGuard, OrgPath, OrgScope, ReadDb};
use sea_orm::DatabaseConnection;

use crate::documents::{move_receipt_pdf, PointNames};
use crate::service::{move_mail, Ports};

/// "Flyt post": `system_admin` in an authority.
pub struct MoveMail;

impl ModuleGuard for MoveMail {
    const MODULE: Module = Module::MoveMail;
}

/// MV-01..03 ("Start flytning af post"): move the organisation's mail lying in Virk, e-Boks
/// and mit.dk — all, or a period of Copenhagen days — to one active contact point (`chosen`),
/// or to each message's tagged point with a failover point (`tagged`). Irreversible; needs
/// `confirmDeletion`. Answers 202 with the running job (MV-04: follow it with `GET`).
/// `?dryRun=true` checks everything but the tick (the wizard's earlier steps). 409
/// `move_mail_running` while a move runs.
#[utoipa::path(
    params(OrgPath, DryRun),
    request_body = NewMailMove,
    responses(
        (status = 202, description = "Started; the job", body = MailMove),
        (status = 204, description = "dryRun: the move could be started"),
        problems::BadRequest,
        problems::Scope,
        problems::Conflict,
    )
)]
#[post("/organisations/{cvr}/mail-moves")]
pub(super) async fn start_move(
    scope: OrgScope<MoveMail>,
    db: web::Data<DatabaseConnection>,
    ports: web::Data<Ports>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let order: NewMailMove = body.parse().await?;
    let Some(started) = adgang_core::write_or_check(&db, dry_run, async |txn| {
        Ok(move_mail::start(txn, &ports, &scope.acting(), &order, !dry_run.dry_run).await?)
    })
    .await?
    .committed() else {
        return Ok(HttpResponse::NoContent().finish());
    };
    Ok(HttpResponse::Accepted()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!(
                "/api/v1/organisations/{}/mail-moves/{}",
                scope.org, started.id
            ),
        ))
        .json(started))
}

/// MV-01/02: the organisation's contact points, each saying whether it is usable (active and
/// bound to an active recipient system) — the choices of "Flyt post" for a `system_admin`, who
/// may not read the contact structure itself.
#[utoipa::path(
    params(OrgPath),
    responses(
        (status = 200, description = "The contact points", body = Vec<MoveContactPoint>),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/mail-moves/contact-points")]
pub(super) async fn move_destinations(
    scope: OrgScope<MoveMail>,
    read: web::Data<ReadDb>,
    ports: web::Data<Ports>,
) -> Result<web::Json<Vec<MoveContactPoint>>, DomainError> {
    Ok(web::Json(
        move_mail::destinations(&read.get_ref().0, &ports, &scope.org, scope.now).await?,
    ))
}

/// MV-04: the organisation's moves, paged (X-03; `sort=createdAt`, newest first by default).
#[utoipa::path(
    params(OrgPath, PageQuery),
    responses(
        (status = 200, description = "The moves", body = Page<MailMove>),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/mail-moves")]
pub(super) async fn list_moves(
    scope: OrgScope<MoveMail>,
    read: web::Data<ReadDb>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<MailMove>>, DomainError> {
    let request =
        adgang_core::pagination::PageRequest::parse_newest_first(&query, move_mail::MOVE_SORT)?;
    Ok(web::Json(
        move_mail::list(&read.get_ref().0, scope.org.as_str(), &request).await?,
    ))
}

/// MV-04: one move and its progress (`moved` of `total`).
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The move", body = MailMove),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/mail-moves/{id}")]
pub(super) async fn get_move(
    scope: OrgScope<MoveMail>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<MailMove>, DomainError> {
    // The write connection: progress read right after a batch commits is never stale.
    let found = move_mail::find(db.get_ref(), scope.org.as_str(), &path.id)
        .await?
        .ok_or(DomainError::NotFound("mail move"))?;
    Ok(web::Json(found))
}

/// MV-03: the move's receipt (PDF) — what was ordered, by whom, and how far it has come.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The receipt", content_type = "application/pdf", body = adgang_api_types::BinaryFile),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/mail-moves/{id}/receipt")]
pub(super) async fn move_receipt(
    scope: OrgScope<MoveMail>,
    db: web::Data<DatabaseConnection>,
    ports: web::Data<Ports>,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, DomainError> {
    let found = move_mail::find(db.get_ref(), scope.org.as_str(), &path.id)
        .await?
        .ok_or(DomainError::NotFound("mail move"))?;
    let name_of = |id: Option<String>| {
        let ports = ports.clone();
        let db = db.clone();
        let org = scope.org.clone();
        async move {
            match id {
                Some(id) => ports
                    .points
                    .point(db.get_ref(), &org, &id)
                    .await
                    .map(|p| p.map(|p| p.name)),
                None => Ok(None),
            }
        }
    };
    let names = PointNames {
        contact_point: name_of(found.contact_point_id.clone()).await?,
        failover: name_of(found.failover_contact_point_id.clone()).await?,
    };
    let organisation = scope.org.to_string();
    let now = scope.now;
    let file = format!(
        "kvittering-flyt-post-{}.pdf",
        found.created_at.format("%Y%m%d")
    );
    let pdf = render(move || move_receipt_pdf(&organisation, &found, &names, now)).await?;
    Ok(attachment("application/pdf", &file, pdf))
}
