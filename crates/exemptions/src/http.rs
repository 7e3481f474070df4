//! Exemption endpoints under `/api/v1/organisations/{cvr}/exemptions/…` (SPEC §5). Citizens'
//! endpoints need the citizen-exemption module (`citizen_service`), companies' the
//! company-exemption module (`citizen_service` or `business_service`, EX-05); both are for
//! authorities only. Lookups send the CPR/CVR in the body, so it stays out of URLs and access
//! logs; each lookup writes one searches-log row (EX-06). Grants, lifts and renewals answer with
//! their receipt; `?dryRun=true` checks a request and changes nothing (the wizard's "Næste").

use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};
use adgang_api_types::{
    CitizenLookup, CompanyLookup, ExemptionChange, ExemptionReceipt, Module, NewExemption,
    PartyExemption, PartyKind,
};
use adgang_core::download::{attachment, render};
use adgang_core::json::JsonBody;
use adgang_core::openapi as problems;
use adgang_core::ports::UnopenedMail;
use adgang_core::{
    Acting, DomainError, DryRun, ItemPath, Lookups, ModuleGuard, OrgPath, OrgScope, Principal,
    ScopeGuard,
};
use adgang_registry::Registry;
use sea_orm::DatabaseConnection;

use crate::service::{self, receipts};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(look_up_citizen_exemption)
        .service(exempt_citizen)
        .service(lift_citizen_exemption)
        .service(look_up_company_exemption)
        .service(exempt_company)
        .service(lift_company_exemption)
        .service(renew_company_exemption)
        .service(get_exemption_receipt)
        .service(exemption_receipt_pdf);
}

/// Citizens' exemptions: `citizen_service` in an authority (EX-05).
pub struct CitizenExemptions;

impl ModuleGuard for CitizenExemptions {
    const MODULE: Module = Module::CitizenExemption;
}

/// Companies' exemptions: `citizen_service` or `business_service` in an authority (EX-05).
pub struct CompanyExemptions;

impl ModuleGuard for CompanyExemptions {
    const MODULE: Module = Module::CompanyExemption;
}

/// Receipts: either module; the receipt's kind is then checked against the caller's rights.
pub struct AnyExemptions;

impl ScopeGuard for AnyExemptions {
    fn authorise(principal: &Principal) -> Result<(), DomainError> {
        principal
            .require_module(Module::CitizenExemption)
            .or_else(|_| principal.require_module(Module::CompanyExemption))
    }
}

/// The kinds of party the caller's rights open.
fn kinds_of(principal: &Principal) -> Vec<PartyKind> {
    let mut kinds = Vec::new();
    if principal.require_module(Module::CitizenExemption).is_ok() {
        kinds.push(PartyKind::Citizen);
    }
    if principal.require_module(Module::CompanyExemption).is_ok() {
        kinds.push(PartyKind::Company);
    }
    kinds
}

fn receipt_location(cvr: &str, receipt: &ExemptionReceipt) -> String {
    format!(
        "/api/v1/organisations/{cvr}/exemptions/receipts/{}",
        receipt.id
    )
}

/// The searches-log row stays even when the register knows no one (no transaction).
async fn look_up(
    acting: Acting,
    lookups: Lookups,
    registry: &dyn Registry,
    unopened: &dyn UnopenedMail,
    kind: PartyKind,
    number: &str,
) -> Result<web::Json<PartyExemption>, DomainError> {
    let found = service::look_up(
        &lookups.read.get_ref().0,
        &lookups.log,
        registry,
        unopened,
        &acting,
        kind,
        number,
    )
    .await?;
    Ok(web::Json(found))
}

/// Grants in a transaction; a dry run rolls it back, so it is judged by exactly the same rules.
async fn grant(
    acting: Acting,
    db: &DatabaseConnection,
    registry: &dyn Registry,
    kind: PartyKind,
    dry_run: DryRun,
    new: NewExemption,
) -> Result<HttpResponse, DomainError> {
    let Some(receipt) = adgang_core::write_or_check(db, dry_run, async |txn| {
        Ok(service::grant(txn, registry, &acting, kind, &new).await?)
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

/// EX-01: a citizen by CPR — name, CPR address, exemption status and the warning about unopened
/// Digital Post. Writes one searches-log row.
#[utoipa::path(
    params(OrgPath),
    request_body = CitizenLookup,
    responses(
        (status = 200, description = "The citizen and their status", body = PartyExemption),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[post("/organisations/{cvr}/exemptions/citizen-lookups")]
async fn look_up_citizen_exemption(
    scope: OrgScope<CitizenExemptions>,
    lookups: Lookups,
    registry: web::Data<dyn Registry>,
    unopened: web::Data<dyn UnopenedMail>,
    body: JsonBody,
) -> Result<web::Json<PartyExemption>, DomainError> {
    let lookup: CitizenLookup = body.parse().await?;
    look_up(
        scope.acting(),
        lookups,
        registry.get_ref(),
        unopened.get_ref(),
        PartyKind::Citizen,
        &lookup.cpr,
    )
    .await
}

/// EX-02: exempt a citizen ("Godkend fritagelse"). No end date. Answers with the receipt.
#[utoipa::path(
    params(OrgPath, DryRun),
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
#[post("/organisations/{cvr}/exemptions/citizens")]
async fn exempt_citizen(
    scope: OrgScope<CitizenExemptions>,
    db: web::Data<DatabaseConnection>,
    registry: web::Data<dyn Registry>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let new: NewExemption = body.parse().await?;
    grant(
        scope.acting(),
        &db,
        registry.get_ref(),
        PartyKind::Citizen,
        dry_run,
        new,
    )
    .await
}

/// EX-03: lift a citizen's exemption ("Godkend ophævelse"); the receipt says when it takes
/// effect.
#[utoipa::path(
    params(ItemPath, DryRun),
    request_body = ExemptionChange,
    responses(
        (status = 200, description = "Lifted; the receipt", body = ExemptionReceipt),
        (status = 204, description = "dryRun: the exemption would be lifted"),
        problems::BadRequest,
        problems::Scope,
        problems::Conflict,
    )
)]
#[post("/organisations/{cvr}/exemptions/citizens/{id}/lift")]
async fn lift_citizen_exemption(
    scope: OrgScope<CitizenExemptions>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let body: ExemptionChange = body.parse().await?;
    let id = path.into_inner().id;
    change(
        scope.acting(),
        &db,
        PartyKind::Citizen,
        &id,
        false,
        dry_run,
        body,
    )
    .await
}

/// EX-04: a company by CVR — name, registered office address, exemption status (with its end)
/// and the warning about unopened Digital Post. Writes one searches-log row.
#[utoipa::path(
    params(OrgPath),
    request_body = CompanyLookup,
    responses(
        (status = 200, description = "The company and its status", body = PartyExemption),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[post("/organisations/{cvr}/exemptions/company-lookups")]
async fn look_up_company_exemption(
    scope: OrgScope<CompanyExemptions>,
    lookups: Lookups,
    registry: web::Data<dyn Registry>,
    unopened: web::Data<dyn UnopenedMail>,
    body: JsonBody,
) -> Result<web::Json<PartyExemption>, DomainError> {
    let lookup: CompanyLookup = body.parse().await?;
    look_up(
        scope.acting(),
        lookups,
        registry.get_ref(),
        unopened.get_ref(),
        PartyKind::Company,
        &lookup.cvr,
    )
    .await
}

/// EX-04: exempt a company; it ends at the end of November two years on unless renewed.
#[utoipa::path(
    params(OrgPath, DryRun),
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
#[post("/organisations/{cvr}/exemptions/companies")]
async fn exempt_company(
    scope: OrgScope<CompanyExemptions>,
    db: web::Data<DatabaseConnection>,
    registry: web::Data<dyn Registry>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let new: NewExemption = body.parse().await?;
    grant(
        scope.acting(),
        &db,
        registry.get_ref(),
        PartyKind::Company,
        dry_run,
        new,
    )
    .await
}

/// EX-04: lift a company's exemption.
#[utoipa::path(
    params(ItemPath, DryRun),
    request_body = ExemptionChange,
    responses(
        (status = 200, description = "Lifted; the receipt", body = ExemptionReceipt),
        (status = 204, description = "dryRun: the exemption would be lifted"),
        problems::BadRequest,
        problems::Scope,
        problems::Conflict,
    )
)]
#[post("/organisations/{cvr}/exemptions/companies/{id}/lift")]
async fn lift_company_exemption(
    scope: OrgScope<CompanyExemptions>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let body: ExemptionChange = body.parse().await?;
    let id = path.into_inner().id;
    change(
        scope.acting(),
        &db,
        PartyKind::Company,
        &id,
        false,
        dry_run,
        body,
    )
    .await
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
    change(
        scope.acting(),
        &db,
        PartyKind::Company,
        &id,
        true,
        dry_run,
        body,
    )
    .await
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
    scope: OrgScope<AnyExemptions>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<ExemptionReceipt>, DomainError> {
    let id = path.into_inner().id;
    let kinds = kinds_of(&scope.principal);
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
    scope: OrgScope<AnyExemptions>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, DomainError> {
    let id = path.into_inner().id;
    let kinds = kinds_of(&scope.principal);
    let receipt = receipts::get(db.get_ref(), scope.org.as_str(), &kinds, &id).await?;
    let name = format!(
        "kvittering-fritagelse-{}.pdf",
        receipt.issued_at.format("%Y%m%d")
    );
    let pdf = render(move || crate::documents::receipt_pdf(&receipt)).await?;
    Ok(attachment("application/pdf", &name, pdf))
}
