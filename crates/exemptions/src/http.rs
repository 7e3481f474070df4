//! Exemption endpoints under `/api/v1/organisations/{cvr}/exemptions/…` (SPEC §5). Citizens'
//! endpoints need the citizen-exemption module (`citizen_service`), companies' the
//! company-exemption module (`citizen_service` or `business_service`, EX-05); both are for
//! authorities only. Lookups send the CPR/CVR in the body, so it stays out of URLs and access
//! logs; each lookup writes one searches-log row (EX-06). Grants, lifts and renewals answer with
//! their receipt; `?dryRun=true` checks a request and changes nothing (the wizard's "Næste").

use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};
use adgang_api_types::{
    ExemptionChange, ExemptionReceipt, Module, NewExemption, PartyExemption, PartyKind, PartyLookup,
};
use adgang_core::download::{attachment, render};
use adgang_core::json::JsonBody;
use adgang_core::openapi as problems;
use adgang_core::ports::UnopenedMail;
use adgang_core::{
    Acting, DomainError, DryRun, EitherParty, ItemPath, Lookups, ModuleGuard, OrgPath, OrgScope,
    PartyGuard, PartyItemPath, PartyPath, PartyScope,
};
use adgang_registry::Registry;
use sea_orm::DatabaseConnection;

use crate::service::{self, receipts};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(look_up_exemption)
        .service(exempt_party)
        .service(lift_exemption)
        .service(renew_company_exemption)
        .service(get_exemption_receipt)
        .service(exemption_receipt_pdf);
}

/// The exemption register: citizens' exemptions need the citizen-exemption module
/// (`citizen_service`), companies' the company-exemption module (`citizen_service` or
/// `business_service`) — EX-05; both in an authority.
pub struct Exemptions;

impl PartyGuard for Exemptions {
    const CITIZEN: Module = Module::CitizenExemption;
    const COMPANY: Module = Module::CompanyExemption;
}

/// Renewal is for companies only (EX-04).
pub struct CompanyExemptions;

impl ModuleGuard for CompanyExemptions {
    const MODULE: Module = Module::CompanyExemption;
}

fn receipt_location(cvr: &str, receipt: &ExemptionReceipt) -> String {
    format!(
        "/api/v1/organisations/{cvr}/exemptions/receipts/{}",
        receipt.id
    )
}

/// A lift or renewal: in a transaction; a dry run rolls it back, so it is judged by exactly the
/// same rules. Answers with the receipt.
async fn change(
    acting: Acting,
    db: &DatabaseConnection,
    kind: PartyKind,
    id: &str,
    renew: bool,
    dry_run: DryRun,
    change: ExemptionChange,
) -> Result<HttpResponse, DomainError> {
    let changed = adgang_core::write_or_check(db, dry_run, async |txn| {
        Ok(if renew {
            service::renew(txn, &acting, id, &change).await?
        } else {
            service::lift(txn, &acting, kind, id, &change).await?
        })
    });
    let Some(receipt) = changed.await?.committed() else {
        return Ok(HttpResponse::NoContent().finish());
    };
    Ok(HttpResponse::Ok()
        .insert_header((
            header::LOCATION,
            receipt_location(acting.organisation.as_str(), &receipt),
        ))
        .json(receipt))
}

/// EX-01/EX-04: a citizen by CPR (`{"cpr": …}`) or a company by CVR (`{"cvr": …}`) — name, CPR
/// or registered office address, exemption status (a company's with its end) and the warning
/// about unopened Digital Post. Needs the right for that kind of party. Writes one
/// searches-log row, which stays even when the register knows no one.
#[utoipa::path(
    params(OrgPath),
    request_body = PartyLookup,
    responses(
        (status = 200, description = "The party and their status", body = PartyExemption),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[post("/organisations/{cvr}/exemptions/lookups")]
async fn look_up_exemption(
    scope: OrgScope<EitherParty<Exemptions>>,
    lookups: Lookups,
    registry: web::Data<dyn Registry>,
    unopened: web::Data<dyn UnopenedMail>,
    body: JsonBody,
) -> Result<web::Json<PartyExemption>, DomainError> {
    let lookup: PartyLookup = body.parse().await?;
    scope.require_party(lookup.kind())?;
    let found = service::look_up(
        &lookups.read.get_ref().0,
        &lookups.log,
        registry.get_ref(),
        unopened.get_ref(),
        &scope.acting(),
        lookup.kind(),
        lookup.number(),
    )
    .await?;
    Ok(web::Json(found))
}

/// EX-02/EX-04: exempt a citizen ("Godkend fritagelse"; no end date) or a company (it ends at
/// the end of November two years on unless renewed). Answers with the receipt.
#[utoipa::path(
    params(PartyPath, DryRun),
    request_body = NewExemption,
    responses(
        (status = 201, description = "Exempt; the receipt", body = ExemptionReceipt),
        (status = 204, description = "dryRun: the exemption would be granted"),
        problems::BadRequest,
        problems::Scope,
        problems::Conflict,
        problems::Unavailable,
    )
)]
#[post("/organisations/{cvr}/exemptions/{party:citizens|companies}")]
async fn exempt_party(
    scope: PartyScope<Exemptions>,
    db: web::Data<DatabaseConnection>,
    registry: web::Data<dyn Registry>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let new: NewExemption = body.parse().await?;
    let acting = scope.acting();
    let Some(receipt) = adgang_core::write_or_check(&db, dry_run, async |txn| {
        Ok(service::grant(txn, registry.get_ref(), &acting, scope.party, &new).await?)
    })
    .await?
    .committed() else {
        return Ok(HttpResponse::NoContent().finish());
    };
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            receipt_location(acting.organisation.as_str(), &receipt),
        ))
        .json(receipt))
}

/// EX-03/EX-04: lift a citizen's or a company's exemption ("Godkend ophævelse"); the receipt
/// says when it takes effect.
#[utoipa::path(
    params(PartyItemPath, DryRun),
    request_body = ExemptionChange,
    responses(
        (status = 200, description = "Lifted; the receipt", body = ExemptionReceipt),
        (status = 204, description = "dryRun: the exemption would be lifted"),
        problems::BadRequest,
        problems::Scope,
        problems::Conflict,
    )
)]
#[post("/organisations/{cvr}/exemptions/{party:citizens|companies}/{id}/lift")]
async fn lift_exemption(
    scope: PartyScope<Exemptions>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<PartyItemPath>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let body: ExemptionChange = body.parse().await?;
    let id = path.into_inner().id;
    change(scope.acting(), &db, scope.party, &id, false, dry_run, body).await
}

/// EX-04: renew a company's exemption in force: it then ends at the end of November two years
/// after today.
#[utoipa::path(
    params(ItemPath, DryRun),
    request_body = ExemptionChange,
    responses(
        (status = 200, description = "Renewed; the receipt", body = ExemptionReceipt),
        (status = 204, description = "dryRun: the exemption would be renewed"),
        problems::BadRequest,
        problems::Scope,
        problems::Conflict,
    )
)]
#[post("/organisations/{cvr}/exemptions/companies/{id}/renew")]
async fn renew_company_exemption(
    scope: OrgScope<CompanyExemptions>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let body: ExemptionChange = body.parse().await?;
    let id = path.into_inner().id;
    let kind = PartyKind::Company;
    change(scope.acting(), &db, kind, &id, true, dry_run, body).await
}

/// A receipt this organisation was issued (EX-02..04), again. Receipts of citizens need the
/// citizen right; a business-service employee sees only companies'.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The receipt", body = ExemptionReceipt),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/exemptions/receipts/{id}")]
async fn get_exemption_receipt(
    scope: OrgScope<EitherParty<Exemptions>>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<ExemptionReceipt>, DomainError> {
    let id = path.into_inner().id;
    let kinds = Exemptions::kinds(&scope.principal);
    Ok(web::Json(
        receipts::get(db.get_ref(), scope.org.as_str(), &kinds, &id).await?,
    ))
}

/// The receipt as PDF, to print for the citizen or company and to file.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The receipt", content_type = "application/pdf", body = adgang_api_types::BinaryFile),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/exemptions/receipts/{id}/pdf")]
async fn exemption_receipt_pdf(
    scope: OrgScope<EitherParty<Exemptions>>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, DomainError> {
    let id = path.into_inner().id;
    let kinds = Exemptions::kinds(&scope.principal);
    let receipt = receipts::get(db.get_ref(), scope.org.as_str(), &kinds, &id).await?;
    let name = format!(
        "kvittering-fritagelse-{}.pdf",
        receipt.issued_at.format("%Y%m%d")
    );
    let pdf = render(move || crate::documents::receipt_pdf(&receipt)).await?;
    Ok(attachment("application/pdf", &name, pdf))
}
