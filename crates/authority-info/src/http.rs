//! Authority information endpoints (SPEC §8): under `/api/v1/organisations/{cvr}/…` for an
//! authority's `system_admin` or `contact_admin` (INFO-03), and the public `senders/{cvr}` the
//! platforms read with the organisation's mail (INFO-02).

use actix_web::http::header;
use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use adgang_api_types::{
    AuthorityInformation, LinkCheck, Module, PrivacyPolicyLink, SenderInformation,
};
use adgang_core::json::JsonBody;
use adgang_core::openapi as problems;
use adgang_core::{Cvr, DomainError, ModuleGuard, OrgPath, OrgScope, ReadDb};
use sea_orm::DatabaseConnection;

use crate::service::link_check::LinkChecker;
use crate::service::{self, logo};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_authority_information)
        .service(save_privacy_link)
        .service(check_privacy_policy_link)
        .service(upload_logo)
        .service(remove_logo)
        .service(get_sender)
        .service(get_sender_logo);
}

/// "Myndighedsinformation": `system_admin` or `contact_admin` of an authority (INFO-03).
pub struct AuthorityInfo;

impl ModuleGuard for AuthorityInfo {
    const MODULE: Module = Module::AuthorityInformation;
}

/// INFO-01/02: the privacy-policy link and the logo as set up now.
#[utoipa::path(
    params(OrgPath),
    responses(
        (status = 200, description = "The authority information", body = AuthorityInformation),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/authority-information")]
async fn get_authority_information(
    scope: OrgScope<AuthorityInfo>,
    read: web::Data<ReadDb>,
) -> Result<web::Json<AuthorityInformation>, DomainError> {
    Ok(web::Json(
        service::information(&read.get_ref().0, scope.org.as_str()).await?,
    ))
}

/// INFO-01 ("Gem"): store the privacy-policy link — an https URL not naming an internal
/// address. Logged with before and after.
#[utoipa::path(
    params(OrgPath),
    request_body = PrivacyPolicyLink,
    responses(
        (status = 200, description = "Saved", body = AuthorityInformation),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[put("/organisations/{cvr}/authority-information/privacy-policy-link")]
async fn save_privacy_link(
    scope: OrgScope<AuthorityInfo>,
    db: web::Data<DatabaseConnection>,
    body: JsonBody,
) -> Result<web::Json<AuthorityInformation>, DomainError> {
    let link: PrivacyPolicyLink = body.parse().await?;
    let saved = adgang_core::write(&db, async |txn| {
        Ok(service::save_privacy_link(txn, &scope.acting(), &link.url).await?)
    })
    .await?;
    Ok(web::Json(saved))
}

/// INFO-01 ("Afprøv link"): the server fetches the link — a time limit, at most three
/// redirects, each checked again — and reports the status. It never connects to a loopback,
/// private, link-local, unique-local or metadata address: the resolved addresses are checked
/// and the connection pinned to them. A refused address is a result (`forbiddenAddress`), not
/// an error; a malformed URL is a field error.
#[utoipa::path(
    params(OrgPath),
    request_body = PrivacyPolicyLink,
    responses(
        (status = 200, description = "What the link answered", body = LinkCheck),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[post("/organisations/{cvr}/authority-information/link-checks")]
async fn check_privacy_policy_link(
    _scope: OrgScope<AuthorityInfo>,
    checker: web::Data<LinkChecker>,
    body: JsonBody,
) -> Result<web::Json<LinkCheck>, DomainError> {
    let link: PrivacyPolicyLink = body.parse().await?;
    let url = url::Url::parse(link.url.trim()).map_err(|_| {
        crate::AuthorityInfoError::field(
            "url",
            adgang_api_types::FieldCode::InvalidUrl,
            "Not an absolute URL.",
        )
    })?;
    Ok(web::Json(checker.check(url).await))
}

/// INFO-02: upload or replace the logo — the raw PNG as the body (`Content-Type: image/png`),
/// at most 1 MiB and 2000 × 2000 pixels; checked by its signature and header (a JPEG or a
/// decompression bomb is a 400), then decoded in the upload sandbox and stored as the plain
/// PNG written anew from its pixels (a damaged PNG is a 400, one that goes over the sandbox's
/// limits a 422 `file_too_complex`). Logged.
#[utoipa::path(
    params(OrgPath),
    request_body(content = adgang_api_types::BinaryFile, content_type = "image/png", description = "The logo"),
    responses(
        (status = 200, description = "Stored", body = AuthorityInformation),
        problems::BadRequest,
        problems::Scope,
        problems::TooLarge,
        problems::FileTooComplex,
        problems::TooManyRequests,
    )
)]
#[put("/organisations/{cvr}/logo")]
async fn upload_logo(
    scope: OrgScope<AuthorityInfo>,
    db: web::Data<DatabaseConnection>,
    files: web::Data<dyn adgang_core::ports::UntrustedFiles>,
    body: JsonBody,
) -> Result<web::Json<AuthorityInformation>, DomainError> {
    let bytes = body.bytes(logo::MAX_BYTES).await?;
    logo::precheck(&bytes)
        .map_err(|code| DomainError::field("logo", code, "Not a usable PNG logo."))?;
    // Issue 29: decoded and re-encoded in the sandbox before the transaction opens.
    let clean = files
        .png(bytes.to_vec(), logo::MAX_SIDE)
        .await
        .map_err(logo::refused)?;
    let saved = adgang_core::write(&db, async |txn| {
        Ok(service::set_logo(txn, &scope.acting(), clean).await?)
    })
    .await?;
    Ok(web::Json(saved))
}

/// INFO-02: remove the logo. Logged.
#[utoipa::path(
    params(OrgPath),
    responses(
        (status = 204, description = "Removed"),
        problems::Scope,
    )
)]
#[delete("/organisations/{cvr}/logo")]
async fn remove_logo(
    scope: OrgScope<AuthorityInfo>,
    db: web::Data<DatabaseConnection>,
) -> Result<HttpResponse, DomainError> {
    adgang_core::write(&db, async |txn| {
        Ok(service::remove_logo(txn, &scope.acting()).await?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

fn sender_cvr(cvr: &str) -> Result<Cvr, DomainError> {
    Cvr::parse(cvr).map_err(|_| DomainError::NotFound("sender"))
}

/// INFO-02: what the platforms show with a sender's mail — the privacy-policy link and the
/// logo's address (public, like the logo itself).
#[utoipa::path(
    security(()),
    params(OrgPath),
    responses(
        (status = 200, description = "The sender's information", body = SenderInformation),
        problems::NotFound,
    )
)]
#[get("/senders/{cvr}")]
async fn get_sender(
    read: web::Data<ReadDb>,
    path: web::Path<OrgPath>,
) -> Result<web::Json<SenderInformation>, DomainError> {
    let cvr = sender_cvr(&path.cvr)?;
    Ok(web::Json(
        service::sender(&read.get_ref().0, cvr.as_str()).await?,
    ))
}

/// INFO-02: a sender's logo (PNG), public and cacheable; its URL changes with every upload.
#[utoipa::path(
    security(()),
    params(OrgPath),
    responses(
        (status = 200, description = "The logo", content_type = "image/png", body = adgang_api_types::BinaryFile),
        (status = 304, description = "Not modified (If-None-Match)"),
        problems::NotFound,
    )
)]
#[get("/senders/{cvr}/logo")]
async fn get_sender_logo(
    req: HttpRequest,
    read: web::Data<ReadDb>,
    path: web::Path<OrgPath>,
) -> Result<HttpResponse, DomainError> {
    let cvr = sender_cvr(&path.cvr)?;
    let (bytes, version) = service::logo_bytes(&read.get_ref().0, cvr.as_str())
        .await?
        .ok_or(DomainError::NotFound("logo"))?;
    let etag = format!("\"{version}\"");
    let cache = (header::CACHE_CONTROL, "public, max-age=300");
    if req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header(cache)
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/png"))
        .insert_header((header::ETAG, etag))
        .insert_header(cache)
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes))
}
