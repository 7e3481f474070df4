//! Onboarding endpoints (AUTH-04). Open to anyone acting in the organisation while it awaits
//! onboarding — the one thing its tokens allow then. After completion the SPA renews its token
//! (`POST /auth/token`) and the modules open.

use crate::http::{Member, RightHolder};
use actix_web::{get, post, put, web, HttpResponse};
use adgang_api_types::{
    BinaryFile, OnboardingCompletion, OnboardingStatus, OrganisationUser, SignedAgreement,
};
use adgang_core::download::{attachment, render};
use adgang_core::json::JsonBody;
use adgang_core::openapi as problems;
use adgang_core::OrgScope;
use adgang_core::{Cvr, DomainError, OrgPath};
use sea_orm::DatabaseConnection;

use crate::service::onboarding::{self, MAX_DOCUMENT_BYTES};
use crate::service::{self, rights};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_onboarding)
        .service(agreement_for_signing)
        .service(upload_signed_agreement)
        .service(complete_onboarding);
}

async fn status(db: &DatabaseConnection, cvr: &Cvr) -> Result<OnboardingStatus, DomainError> {
    let org = service::get_organisation(db, cvr).await?;
    let signed = onboarding::signed_agreement_of(db, cvr).await?;
    let users = rights::users_of(db, cvr).await?;
    Ok(OnboardingStatus {
        required: org.awaits_onboarding(),
        completed_at: org.agreement_accepted_at,
        agreement: onboarding::agreement(),
        signed_agreement: signed,
        users: users
            .into_iter()
            .map(|(u, rights)| OrganisationUser {
                user_id: u.subject,
                name: u.name,
                rights,
            })
            .collect(),
        max_document_bytes: MAX_DOCUMENT_BYTES as u64,
    })
}

/// Where the organisation stands in onboarding, with the agreement text (AUTH-04).
#[utoipa::path(
    params(OrgPath),
    responses(
        (status = 200, description = "Onboarding status", body = OnboardingStatus),
        problems::Unauthenticated,
        problems::NotFound,
    )
)]
#[get("/organisations/{cvr}/onboarding")]
async fn get_onboarding(
    scope: OrgScope<Member>,
    db: web::Data<DatabaseConnection>,
) -> Result<web::Json<OnboardingStatus>, DomainError> {
    Ok(web::Json(status(db.get_ref(), &scope.org).await?))
}

/// The agreement as a PDF to print and sign (AUTH-04), with the organisation's name and CVR
/// number filled in.
#[utoipa::path(
    params(OrgPath),
    responses(
        (status = 200, description = "The agreement", content_type = "application/pdf", body = BinaryFile),
        problems::Unauthenticated,
        problems::NotFound,
    )
)]
#[get("/organisations/{cvr}/onboarding/agreement")]
async fn agreement_for_signing(
    scope: OrgScope<Member>,
    db: web::Data<DatabaseConnection>,
) -> Result<HttpResponse, DomainError> {
    let org = service::get_organisation(db.get_ref(), &scope.org).await?;
    let cvr = scope.org.clone();
    let pdf = render(move || onboarding::agreement_pdf(&org.name, &cvr)).await?;
    Ok(attachment(
        "application/pdf",
        &format!("tilslutningsaftale-{}.pdf", scope.org),
        pdf,
    ))
}

/// Upload the signed agreement (the raw PDF as the body, `Content-Type: application/pdf`).
///
/// Checked by its PDF signature and by parsing it; at most 10 MiB. A new upload replaces the
/// previous one until onboarding is completed.
#[utoipa::path(
    params(OrgPath),
    request_body(content = BinaryFile, content_type = "application/pdf", description = "The signed agreement"),
    responses(
        (status = 200, description = "Stored", body = SignedAgreement),
        problems::BadRequest,
        problems::Unauthenticated,
        problems::NotFound,
        problems::Conflict,
        problems::TooLarge,
        problems::FileTooComplex,
        problems::TooManyRequests,
    )
)]
#[put("/organisations/{cvr}/onboarding/signed-agreement")]
async fn upload_signed_agreement(
    scope: OrgScope<Member>,
    db: web::Data<DatabaseConnection>,
    files: web::Data<dyn adgang_core::ports::UntrustedFiles>,
    body: JsonBody,
) -> Result<web::Json<SignedAgreement>, DomainError> {
    let bytes = body.bytes(MAX_DOCUMENT_BYTES).await?;
    // Issue 29: an onboarded organisation hears so first; then the file is read in the
    // sandbox, and only then does the transaction open.
    onboarding::pending_organisation(db.get_ref(), &scope.org).await?;
    let checked = onboarding::check_pdf(files.get_ref(), &bytes).await?;
    let stored = adgang_core::write(&db, async |txn| {
        Ok(onboarding::store_signed_agreement(
            txn,
            &scope.actor,
            &scope.principal.user_id,
            &scope.org,
            bytes.to_vec(),
            checked,
            scope.now,
        )
        .await?)
    })
    .await?;
    Ok(web::Json(stored))
}

/// Accept the agreement and designate the rights administrator; the organisation has then
/// joined. Renew the access token afterwards to open the modules. Only a user holding a right
/// of the organisation itself may (not an operator acting on its behalf).
#[utoipa::path(
    params(OrgPath),
    request_body = OnboardingCompletion,
    responses(
        (status = 200, description = "Joined", body = OnboardingStatus),
        problems::BadRequest,
        problems::Scope,
        problems::Conflict,
    )
)]
#[post("/organisations/{cvr}/onboarding/completion")]
async fn complete_onboarding(
    scope: OrgScope<RightHolder>,
    db: web::Data<DatabaseConnection>,
    mailer: web::Data<dyn adgang_core::ports::Mailer>,
    portal: web::Data<crate::RightsPortalUrl>,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let completion: OnboardingCompletion = body.parse().await?;
    let notice = onboarding::RightsAdminNotice {
        mailer: mailer.get_ref(),
        rights_portal_url: &portal.0,
    };
    adgang_core::write(&db, async |txn| {
        let (actor, org, now) = (&scope.actor, &scope.org, scope.now);
        Ok(onboarding::complete(txn, &notice, actor, org, &completion, now).await?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(status(db.get_ref(), &scope.org).await?))
}
