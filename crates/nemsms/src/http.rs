//! NemSMS endpoints (SPEC §6): under `/api/v1/organisations/{cvr}/nemsms/…` for citizen-service
//! staff (citizens: `citizen_service`; companies: `citizen_service` or `business_service`,
//! SMS-04; authorities only), and the public `POST /api/v1/nemsms/confirmations` the holder's
//! link leads to. Lookups send the CPR/CVR in the body and write one searches-log row each.

use actix_web::{delete, post, put, web, HttpResponse};
use adgang_api_types::{
    Module, NemSmsConfirmation, NemSmsConfirmed, NemSmsNumberChange, NemSmsReceipt, NemSmsStatus,
    NewNemSmsEnrolment, PartyLookup,
};
use adgang_core::json::JsonBody;
use adgang_core::openapi as problems;
use adgang_core::ports::SmsGateway;
use adgang_core::{
    DomainError, DryRun, EitherParty, Lookups, Now, OrgPath, OrgScope, PartyGuard, PartyItemPath,
    PartyPath, PartyScope,
};
use adgang_registry::Registry;
use sea_orm::DatabaseConnection;

use crate::service;
use crate::NemSmsSettings;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(look_up_nemsms)
        .service(enrol_in_nemsms)
        .service(change_nemsms_number)
        .service(unenrol_from_nemsms)
        .service(confirm_nemsms_number);
}

/// The NemSMS register: citizens' enrolments need `citizen_service`, companies'
/// `citizen_service` or `business_service` — SMS-04; both in an authority.
pub struct NemSms;

impl PartyGuard for NemSms {
    const CITIZEN: Module = Module::CitizenNemSms;
    const COMPANY: Module = Module::CompanyNemSms;
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

/// SMS-01: a citizen by CPR (`{"cpr": …}`) or a company by CVR (`{"cvr": …}`) — not
/// enrolled, awaiting confirmation, or enrolled with number and date. Needs the right for that
/// kind of party. Writes one searches-log row.
#[utoipa::path(
    params(OrgPath),
    request_body = PartyLookup,
    responses(
        (status = 200, description = "The party's NemSMS status", body = NemSmsStatus),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[post("/organisations/{cvr}/nemsms/lookups")]
async fn look_up_nemsms(
    scope: OrgScope<EitherParty<NemSms>>,
    lookups: Lookups,
    registry: web::Data<dyn Registry>,
    body: JsonBody,
) -> Result<web::Json<NemSmsStatus>, DomainError> {
    let lookup: PartyLookup = body.parse().await?;
    scope.require_party(lookup.kind())?;
    let found = service::look_up(
        &lookups.read.get_ref().0,
        &lookups.log,
        registry.get_ref(),
        &scope.acting(),
        lookup.kind(),
        lookup.number(),
    )
    .await?;
    Ok(web::Json(found))
}

/// SMS-02: enrol a citizen or a company ("Tilmeld"); the confirmation link goes to the number
/// by SMS.
#[utoipa::path(
    params(PartyPath, DryRun),
    request_body = NewNemSmsEnrolment,
    responses(
        (status = 201, description = "Enrolled, awaiting confirmation; the receipt", body = NemSmsReceipt),
        (status = 204, description = "dryRun: the enrolment would be made"),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[post("/organisations/{cvr}/nemsms/{party:citizens|companies}")]
async fn enrol_in_nemsms(
    scope: PartyScope<NemSms>,
    db: web::Data<DatabaseConnection>,
    registry: web::Data<dyn Registry>,
    sending: Sending,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let new: NewNemSmsEnrolment = body.parse().await?;
    let acting = scope.acting();
    let Some(receipt) = adgang_core::write_or_check(&db, dry_run, async |txn| {
        let (gateway, settings) = (sending.gateway.get_ref(), &sending.settings);
        let registry = registry.get_ref();
        Ok(service::enrol(txn, registry, gateway, settings, &acting, scope.party, &new).await?)
    })
    .await?
    .committed() else {
        return Ok(HttpResponse::NoContent().finish());
    };
    Ok(HttpResponse::Created().json(receipt))
}

/// SMS-03: a new number for an enrolment, confirmed again by SMS link.
#[utoipa::path(
    params(PartyItemPath, DryRun),
    request_body = NemSmsNumberChange,
    responses(
        (status = 200, description = "Awaiting confirmation of the new number; the receipt", body = NemSmsReceipt),
        (status = 204, description = "dryRun: the number would be changed"),
        problems::BadRequest,
        problems::Scope,
        problems::Conflict,
    )
)]
#[put("/organisations/{cvr}/nemsms/{party:citizens|companies}/{id}/phone")]
async fn change_nemsms_number(
    scope: PartyScope<NemSms>,
    db: web::Data<DatabaseConnection>,
    sending: Sending,
    path: web::Path<PartyItemPath>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let change: NemSmsNumberChange = body.parse().await?;
    let id = path.into_inner().id;
    let acting = scope.acting();
    let Some(receipt) = adgang_core::write_or_check(&db, dry_run, async |txn| {
        let (gateway, settings) = (sending.gateway.get_ref(), &sending.settings);
        let phone = &change.phone;
        Ok(
            service::change_number(txn, gateway, settings, &acting, scope.party, &id, phone)
                .await?,
        )
    })
    .await?
    .committed() else {
        return Ok(HttpResponse::NoContent().finish());
    };
    Ok(HttpResponse::Ok().json(receipt))
}

/// SMS-03: unenrol a citizen or a company ("Frameld").
#[utoipa::path(
    params(PartyItemPath),
    responses(
        (status = 200, description = "Unenrolled; the receipt", body = NemSmsReceipt),
        problems::Scope,
        problems::Conflict,
    )
)]
#[delete("/organisations/{cvr}/nemsms/{party:citizens|companies}/{id}")]
async fn unenrol_from_nemsms(
    scope: PartyScope<NemSms>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<PartyItemPath>,
) -> Result<web::Json<NemSmsReceipt>, DomainError> {
    let id = path.into_inner().id;
    let acting = scope.acting();
    let receipt = adgang_core::write(&db, async |txn| {
        Ok(service::unenrol(txn, &acting, scope.party, &id).await?)
    })
    .await?;
    Ok(web::Json(receipt))
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
async fn confirm_nemsms_number(
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
