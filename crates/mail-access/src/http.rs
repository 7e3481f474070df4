//! Mail-access endpoints under `/api/v1/organisations/{cvr}/…` (SPEC §7), for `citizen_service`
//! in an authority. Lookups send the CPR/CVR in the body and write one searches-log row each.

use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpResponse};
use adgang_api_types::{
    AccessGiver, AccessHolder, CitizenLookup, HolderLookup, MailAccessReceipt, Module,
    NewMailAccess,
};
use adgang_core::download::{attachment, render};
use adgang_core::json::JsonBody;
use adgang_core::openapi as problems;
use adgang_core::ports::ExemptionStatus;
use adgang_core::{DomainError, DryRun, ItemPath, Lookups, ModuleGuard, OrgPath, OrgScope};
use adgang_registry::Registry;
use sea_orm::DatabaseConnection;

use crate::service::{self, receipts};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(look_up_giver)
        .service(look_up_holder)
        .service(give_mail_access)
        .service(revoke_mail_access)
        .service(get_mail_access_receipt)
        .service(mail_access_receipt_pdf);
}

/// Access: `citizen_service` in an authority (SPEC §7).
pub struct MailAccessGuard;

impl ModuleGuard for MailAccessGuard {
    const MODULE: Module = Module::MailAccess;
}

type Scope = OrgScope<MailAccessGuard>;

/// ACC-01: the giver by CPR — name, whether exempt, and their holders. One searches-log row.
#[utoipa::path(
    params(OrgPath),
    request_body = CitizenLookup,
    responses(
        (status = 200, description = "The giver and their holders", body = AccessGiver),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[post("/organisations/{cvr}/mail-access/giver-lookups")]
async fn look_up_giver(
    scope: Scope,
    lookups: Lookups,
    registry: web::Data<dyn Registry>,
    exemptions: web::Data<dyn ExemptionStatus>,
    body: JsonBody,
) -> Result<web::Json<AccessGiver>, DomainError> {
    let lookup: CitizenLookup = body.parse().await?;
    let found = service::look_up_giver(
        &lookups.read.get_ref().0,
        &lookups.log,
        registry.get_ref(),
        exemptions.get_ref(),
        &scope.acting(),
        &lookup.cpr,
    )
    .await?;
    Ok(web::Json(found))
}

/// ACC-02: a holder by CPR or CVR. One searches-log row.
#[utoipa::path(
    params(OrgPath),
    request_body = HolderLookup,
    responses(
        (status = 200, description = "The holder", body = AccessHolder),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[post("/organisations/{cvr}/mail-access/holder-lookups")]
async fn look_up_holder(
    scope: Scope,
    lookups: Lookups,
    registry: web::Data<dyn Registry>,
    exemptions: web::Data<dyn ExemptionStatus>,
    body: JsonBody,
) -> Result<web::Json<AccessHolder>, DomainError> {
    let lookup: HolderLookup = body.parse().await?;
    let found = service::look_up_holder(
        &lookups.read.get_ref().0,
        &lookups.log,
        registry.get_ref(),
        exemptions.get_ref(),
        &scope.acting(),
        &lookup.holder,
    )
    .await?;
    Ok(web::Json(found))
}

/// ACC-02, ACC-03: give access ("Godkend adgang"); the receipt says whether the giver's
/// exemption was lifted. `?dryRun=true` checks and changes nothing.
#[utoipa::path(
    params(OrgPath, DryRun),
    request_body = NewMailAccess,
    responses(
        (status = 201, description = "Access given; the receipt", body = MailAccessReceipt),
        (status = 204, description = "dryRun: the access would be given"),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[post("/organisations/{cvr}/mail-accesses")]
async fn give_mail_access(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    registry: web::Data<dyn Registry>,
    exemptions: web::Data<dyn ExemptionStatus>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let new: NewMailAccess = body.parse().await?;
    let acting = scope.acting();
    let Some(receipt) = adgang_core::write_or_check(&db, dry_run, async |txn| {
        Ok(service::create(txn, registry.get_ref(), exemptions.get_ref(), &acting, &new).await?)
    })
    .await?
    .committed() else {
        return Ok(HttpResponse::NoContent().finish());
    };
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!(
                "/api/v1/organisations/{}/mail-access/receipts/{}",
                scope.org, receipt.id
            ),
        ))
        .json(receipt))
}

/// ACC-04: revoke an access ("Ophæv adgang") — at once and for good.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "Revoked; the receipt", body = MailAccessReceipt),
        problems::Scope,
        problems::Conflict,
    )
)]
#[delete("/organisations/{cvr}/mail-accesses/{id}")]
async fn revoke_mail_access(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<MailAccessReceipt>, DomainError> {
    let id = path.into_inner().id;
    let receipt = adgang_core::write(&db, async |txn| {
        Ok(service::revoke(txn, &scope.acting(), &id).await?)
    })
    .await?;
    Ok(web::Json(receipt))
}

/// A receipt this organisation was issued, again.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The receipt", body = MailAccessReceipt),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/mail-access/receipts/{id}")]
async fn get_mail_access_receipt(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<MailAccessReceipt>, DomainError> {
    let id = path.into_inner().id;
    Ok(web::Json(
        receipts::get(db.get_ref(), scope.org.as_str(), &id).await?,
    ))
}

/// The receipt as PDF, stating whether the giver's exemption was lifted (ACC-02).
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The receipt", content_type = "application/pdf", body = adgang_api_types::BinaryFile),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/mail-access/receipts/{id}/pdf")]
async fn mail_access_receipt_pdf(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, DomainError> {
    let id = path.into_inner().id;
    let receipt = receipts::get(db.get_ref(), scope.org.as_str(), &id).await?;
    let name = format!(
        "kvittering-adgang-{}.pdf",
        receipt.issued_at.format("%Y%m%d")
    );
    let pdf = render(move || crate::documents::receipt_pdf(&receipt)).await?;
    Ok(attachment("application/pdf", &name, pdf))
}
