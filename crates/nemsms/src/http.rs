//! NemSMS endpoints (SPEC §6): under `/api/v1/organisations/{cvr}/nemsms/…` for citizen-service
//! staff (citizens: `citizen_service`; companies: `citizen_service` or `business_service`,
//! SMS-04; authorities only), and the public `POST /api/v1/nemsms/confirmations` the holder's
//! link leads to. Lookups send the CPR/CVR in the body and write one searches-log row each.

use actix_web::{delete, post, put, web, HttpResponse};
use adgang_api_types::{
    CitizenLookup, CompanyLookup, Module, NemSmsConfirmation, NemSmsConfirmed, NemSmsNumberChange,
    NemSmsReceipt, NemSmsStatus, NewNemSmsEnrolment, PartyKind,
};
use adgang_core::json::JsonBody;
use adgang_core::openapi as problems;
use adgang_core::ports::SmsGateway;
use adgang_core::{
    Acting, DomainError, DryRun, ItemPath, Lookups, ModuleGuard, Now, OrgPath, OrgScope,
};
use adgang_registry::Registry;
use sea_orm::DatabaseConnection;

use crate::service;
use crate::NemSmsSettings;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(look_up_citizen_nemsms)
        .service(enrol_citizen)
        .service(change_citizen_number)
        .service(unenrol_citizen)
        .service(look_up_company_nemsms)
        .service(enrol_company)
        .service(change_company_number)
        .service(unenrol_company)
        .service(confirm);
}

/// Citizens' NemSMS: `citizen_service` in an authority (SMS-04).
pub struct CitizenNemSms;

impl ModuleGuard for CitizenNemSms {
    const MODULE: Module = Module::CitizenNemSms;
}

/// Companies' NemSMS: `citizen_service` or `business_service` in an authority (SMS-04).
pub struct CompanyNemSms;

impl ModuleGuard for CompanyNemSms {
    const MODULE: Module = Module::CompanyNemSms;
}

/// The app data an enrolment or a number change needs.
struct Sending {
    gateway: web::Data<dyn SmsGateway>,
    settings: web::Data<NemSmsSettings>,
}

impl actix_web::FromRequest for Sending {
    type Error = DomainError;
    type Future = std::future::Ready<Result<Sending, DomainError>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let missing =
            |what: &str| DomainError::Unexpected(anyhow::anyhow!("{what} not configured"));
        std::future::ready((|| {
            Ok(Sending {
                gateway: req
                    .app_data::<web::Data<dyn SmsGateway>>()
                    .cloned()
                    .ok_or_else(|| missing("SMS gateway"))?,
                settings: req
                    .app_data::<web::Data<NemSmsSettings>>()
                    .cloned()
                    .ok_or_else(|| missing("NemSMS settings"))?,
            })
        })())
    }
}

async fn enrol(
    acting: Acting,
    db: &DatabaseConnection,
    registry: &dyn Registry,
    sending: &Sending,
    kind: PartyKind,
    dry_run: DryRun,
    new: NewNemSmsEnrolment,
) -> Result<HttpResponse, DomainError> {
    let Some(receipt) = adgang_core::write_or_check(db, dry_run, async |txn| {
        Ok(service::enrol(
            txn,
            registry,
            sending.gateway.get_ref(),
            &sending.settings,
            &acting,
            kind,
            &new,
        )
        .await?)
    })
    .await?
    .committed() else {
        return Ok(HttpResponse::NoContent().finish());
    };
    Ok(HttpResponse::Created().json(receipt))
}

async fn change_number(
    acting: Acting,
    db: &DatabaseConnection,
    sending: &Sending,
    kind: PartyKind,
    id: &str,
    dry_run: DryRun,
    change: NemSmsNumberChange,
) -> Result<HttpResponse, DomainError> {
    let Some(receipt) = adgang_core::write_or_check(db, dry_run, async |txn| {
        Ok(service::change_number(
            txn,
            sending.gateway.get_ref(),
            &sending.settings,
            &acting,
            kind,
            id,
            &change.phone,
        )
        .await?)
    })
    .await?
    .committed() else {
        return Ok(HttpResponse::NoContent().finish());
    };
    Ok(HttpResponse::Ok().json(receipt))
}

async fn unenrol(
    acting: Acting,
    db: &DatabaseConnection,
    kind: PartyKind,
    id: &str,
) -> Result<web::Json<NemSmsReceipt>, DomainError> {
    let receipt = adgang_core::write(db, async |txn| {
        Ok(service::unenrol(txn, &acting, kind, id).await?)
    })
    .await?;
    Ok(web::Json(receipt))
}

/// SMS-01: a citizen by CPR — not enrolled, awaiting confirmation, or enrolled with number and
/// date. Writes one searches-log row.
#[utoipa::path(
    params(OrgPath),
    request_body = CitizenLookup,
    responses(
        (status = 200, description = "The citizen's NemSMS status", body = NemSmsStatus),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[post("/organisations/{cvr}/nemsms/citizen-lookups")]
async fn look_up_citizen_nemsms(
    scope: OrgScope<CitizenNemSms>,
    lookups: Lookups,
    registry: web::Data<dyn Registry>,
    body: JsonBody,
) -> Result<web::Json<NemSmsStatus>, DomainError> {
    let lookup: CitizenLookup = body.parse().await?;
    let found = service::look_up(
        &lookups.read.get_ref().0,
        &lookups.log,
        registry.get_ref(),
        &scope.acting(),
        PartyKind::Citizen,
        &lookup.cpr,
    )
    .await?;
    Ok(web::Json(found))
}

/// SMS-02: enrol a citizen ("Tilmeld"); the confirmation link goes to the number by SMS.
#[utoipa::path(
    params(OrgPath, DryRun),
    request_body = NewNemSmsEnrolment,
    responses(
        (status = 201, description = "Enrolled, awaiting confirmation; the receipt", body = NemSmsReceipt),
        (status = 204, description = "dryRun: the enrolment would be made"),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[post("/organisations/{cvr}/nemsms/citizens")]
async fn enrol_citizen(
    scope: OrgScope<CitizenNemSms>,
    db: web::Data<DatabaseConnection>,
    registry: web::Data<dyn Registry>,
    sending: Sending,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let new: NewNemSmsEnrolment = body.parse().await?;
    let acting = scope.acting();
    enrol(
        acting,
        &db,
        registry.get_ref(),
        &sending,
        PartyKind::Citizen,
        dry_run,
        new,
    )
    .await
}

/// SMS-03: a new number for a citizen's enrolment, confirmed again by SMS link.
#[utoipa::path(
    params(ItemPath, DryRun),
    request_body = NemSmsNumberChange,
    responses(
        (status = 200, description = "Awaiting confirmation of the new number; the receipt", body = NemSmsReceipt),
        (status = 204, description = "dryRun: the number would be changed"),
        problems::BadRequest,
        problems::Scope,
        problems::Conflict,
    )
)]
#[put("/organisations/{cvr}/nemsms/citizens/{id}/phone")]
async fn change_citizen_number(
    scope: OrgScope<CitizenNemSms>,
    db: web::Data<DatabaseConnection>,
    sending: Sending,
    path: web::Path<ItemPath>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let change: NemSmsNumberChange = body.parse().await?;
    let id = path.into_inner().id;
    change_number(
        scope.acting(),
        &db,
        &sending,
        PartyKind::Citizen,
        &id,
        dry_run,
        change,
    )
    .await
}

/// SMS-03: unenrol a citizen ("Frameld").
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "Unenrolled; the receipt", body = NemSmsReceipt),
        problems::Scope,
        problems::Conflict,
    )
)]
#[delete("/organisations/{cvr}/nemsms/citizens/{id}")]
async fn unenrol_citizen(
    scope: OrgScope<CitizenNemSms>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<NemSmsReceipt>, DomainError> {
    let id = path.into_inner().id;
    unenrol(scope.acting(), &db, PartyKind::Citizen, &id).await
}

/// SMS-01: a company by CVR and its NemSMS status. Writes one searches-log row.
#[utoipa::path(
    params(OrgPath),
    request_body = CompanyLookup,
    responses(
        (status = 200, description = "The company's NemSMS status", body = NemSmsStatus),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[post("/organisations/{cvr}/nemsms/company-lookups")]
async fn look_up_company_nemsms(
    scope: OrgScope<CompanyNemSms>,
    lookups: Lookups,
    registry: web::Data<dyn Registry>,
    body: JsonBody,
) -> Result<web::Json<NemSmsStatus>, DomainError> {
    let lookup: CompanyLookup = body.parse().await?;
    let found = service::look_up(
        &lookups.read.get_ref().0,
        &lookups.log,
        registry.get_ref(),
        &scope.acting(),
        PartyKind::Company,
        &lookup.cvr,
    )
    .await?;
    Ok(web::Json(found))
}

/// SMS-02: enrol a company; the confirmation link goes to the number by SMS.
#[utoipa::path(
    params(OrgPath, DryRun),
    request_body = NewNemSmsEnrolment,
    responses(
        (status = 201, description = "Enrolled, awaiting confirmation; the receipt", body = NemSmsReceipt),
        (status = 204, description = "dryRun: the enrolment would be made"),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[post("/organisations/{cvr}/nemsms/companies")]
async fn enrol_company(
    scope: OrgScope<CompanyNemSms>,
    db: web::Data<DatabaseConnection>,
    registry: web::Data<dyn Registry>,
    sending: Sending,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let new: NewNemSmsEnrolment = body.parse().await?;
    let acting = scope.acting();
    enrol(
        acting,
        &db,
        registry.get_ref(),
        &sending,
        PartyKind::Company,
        dry_run,
        new,
    )
    .await
}

/// SMS-03: a new number for a company's enrolment, confirmed again by SMS link.
#[utoipa::path(
    params(ItemPath, DryRun),
    request_body = NemSmsNumberChange,
    responses(
        (status = 200, description = "Awaiting confirmation of the new number; the receipt", body = NemSmsReceipt),
        (status = 204, description = "dryRun: the number would be changed"),
        problems::BadRequest,
        problems::Scope,
        problems::Conflict,
    )
)]
#[put("/organisations/{cvr}/nemsms/companies/{id}/phone")]
async fn change_company_number(
    scope: OrgScope<CompanyNemSms>,
    db: web::Data<DatabaseConnection>,
    sending: Sending,
    path: web::Path<ItemPath>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let change: NemSmsNumberChange = body.parse().await?;
    let id = path.into_inner().id;
    change_number(
        scope.acting(),
        &db,
        &sending,
        PartyKind::Company,
        &id,
        dry_run,
        change,
    )
    .await
}

/// SMS-03: unenrol a company ("Frameld").
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "Unenrolled; the receipt", body = NemSmsReceipt),
        problems::Scope,
        problems::Conflict,
    )
)]
#[delete("/organisations/{cvr}/nemsms/companies/{id}")]
async fn unenrol_company(
    scope: OrgScope<CompanyNemSms>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<NemSmsReceipt>, DomainError> {
    let id = path.into_inner().id;
    unenrol(scope.acting(), &db, PartyKind::Company, &id).await
}

/// SMS-02: the holder confirms their number with the token of the link sent by SMS. Public: the
/// token is the credential (256 random bits, kept only as its SHA-256); it works once, within
/// its lifetime, and only while its number is still the one waiting.
#[utoipa::path(
    security(()),
    request_body = NemSmsConfirmation,
    responses(
        (status = 200, description = "The number is enrolled", body = NemSmsConfirmed),
        problems::BadRequest,
    )
)]
#[post("/nemsms/confirmations")]
async fn confirm(
    now: Now,
    db: web::Data<DatabaseConnection>,
    body: JsonBody,
) -> Result<web::Json<NemSmsConfirmed>, DomainError> {
    let body: NemSmsConfirmation = body.parse().await?;
    let confirmed = adgang_core::write(&db, async |txn| {
        Ok(service::confirm(txn, &body.token, now.0).await?)
    })
    .await?;
    Ok(web::Json(confirmed))
}
