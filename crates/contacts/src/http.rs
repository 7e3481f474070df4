//! Contact structure endpoints under `/api/v1/organisations/{cvr}/…`, named like Digital
//! Post's (`contact-groups`, `contact-points`). Every handler checks the module (authorities'
//! `contact_admin`), then the organisation scope, then reads the body.

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use adgang_api_types::FieldCode;
use adgang_api_types::{
    Audience, ContactGroup, ContactGroupDeletion, ContactGroupInput, ContactPoint,
    ContactPointInput, ContactTreeNode, DeepLink, Module,
};
use adgang_core::download::{attachment, safe_file_name};
use adgang_core::json::JsonBody;
use adgang_core::openapi as problems;
use adgang_core::ports::RecipientSystems;
use adgang_core::{Cvr, DomainError, DryRun, ItemPath, ModuleGuard, OrgPath, OrgScope};
use sea_orm::DatabaseConnection;

use crate::cache::StructureCache;
use adgang_documents::qr::{qr_png, qr_svg};

use crate::deep_links::PlatformUrls;
use crate::service;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(contact_structure)
        .service(create_group)
        .service(get_group)
        .service(update_group)
        .service(group_deletion_preview)
        .service(delete_group)
        .service(create_point)
        .service(get_point)
        .service(update_point)
        .service(delete_point)
        .service(point_deep_links)
        .service(point_receipt)
        .service(group_deep_links)
        .service(point_qr_code)
        .service(group_qr_code)
        .service(export_structure)
        .service(import_structure)
        .service(recipient_system_choices)
        .service(platform_contact_points)
        .service(platform_organisational_units);
}

/// The module's endpoints are open to authorities' `contact_admin`s (SPEC §0).
pub struct ContactStructure;

impl ModuleGuard for ContactStructure {
    const MODULE: Module = Module::ContactStructure;
}

type Scope = OrgScope<ContactStructure>;

/// The whole structure as a tree (CS-02): top-level groups and points at the root; items
/// placed more than once are marked `duplicate`.
#[utoipa::path(
    params(OrgPath),
    responses(
        (status = 200, description = "The tree", body = Vec<ContactTreeNode>),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/contact-structure")]
async fn contact_structure(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    cache: web::Data<StructureCache>,
) -> Result<HttpResponse, DomainError> {
    // The version first: a cached tree is never labelled newer than the data it was built from.
    let version = service::structure_version(db.get_ref(), &scope.org).await?;
    let json = match cache.tree.get(&scope.org, version) {
        Some(json) => json,
        None => {
            let tree = service::tree(db.get_ref(), &scope.org).await?;
            let json = web::Bytes::from(
                serde_json::to_vec(&tree).map_err(|e| DomainError::Unexpected(e.into()))?,
            );
            cache.tree.put(&scope.org, version, json.clone());
            json
        }
    };
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(json))
}

/// Create a contact group (CS-01).
#[utoipa::path(
    params(OrgPath),
    request_body = ContactGroupInput,
    responses(
        (status = 201, description = "Created", body = ContactGroup),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[post("/organisations/{cvr}/contact-groups")]
async fn create_group(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let input: ContactGroupInput = body.parse().await?;
    let group = adgang_core::write(&db, async |txn| {
        Ok(service::create_group(txn, &scope.actor, &scope.org, &input, scope.now).await?)
    })
    .await?;
    Ok(HttpResponse::Created().json(group))
}

/// One contact group.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The group", body = ContactGroup),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/contact-groups/{id}")]
async fn get_group(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<ContactGroup>, DomainError> {
    let id = path.into_inner().id;
    Ok(web::Json(
        service::get_group(db.get_ref(), &scope.org, &id).await?,
    ))
}

/// Replace a contact group's settings and parents (cycles are refused).
#[utoipa::path(
    params(ItemPath),
    request_body = ContactGroupInput,
    responses(
        (status = 200, description = "Saved", body = ContactGroup),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[put("/organisations/{cvr}/contact-groups/{id}")]
async fn update_group(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
    body: JsonBody,
) -> Result<web::Json<ContactGroup>, DomainError> {
    let id = path.into_inner().id;
    let input: ContactGroupInput = body.parse().await?;
    let group = adgang_core::write(&db, async |txn| {
        Ok(service::update_group(txn, &scope.actor, &scope.org, &id, &input, scope.now).await?)
    })
    .await?;
    Ok(web::Json(group))
}

/// What deleting the group would remove (CS-03): its content, recursively, with the items
/// that also live elsewhere marked (they lose only this placement).
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The preview", body = ContactGroupDeletion),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/contact-groups/{id}/deletion-preview")]
async fn group_deletion_preview(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<ContactGroupDeletion>, DomainError> {
    let id = path.into_inner().id;
    Ok(web::Json(
        service::deletion_preview(db.get_ref(), &scope.org, &id).await?,
    ))
}

/// Delete a group and its content (CS-03), atomically: all of it or, on any failure, nothing.
/// Answers what was removed.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "Deleted; what was removed", body = ContactGroupDeletion),
        problems::Scope,
    )
)]
#[delete("/organisations/{cvr}/contact-groups/{id}")]
async fn delete_group(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<ContactGroupDeletion>, DomainError> {
    let id = path.into_inner().id;
    let removed = adgang_core::write(&db, async |txn| {
        Ok(service::delete_group(txn, &scope.actor, &scope.org, &id, scope.now).await?)
    })
    .await?;
    Ok(web::Json(removed))
}

/// Create a contact point (CS-01). With `dryRun=true` only check it (the wizard's "Næste").
#[utoipa::path(
    params(OrgPath, DryRun),
    request_body = ContactPointInput,
    responses(
        (status = 201, description = "Created", body = ContactPoint),
        (status = 204, description = "dryRun: the point would be created"),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[post("/organisations/{cvr}/contact-points")]
async fn create_point(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    systems: web::Data<dyn RecipientSystems>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let input: ContactPointInput = body.parse().await?;
    if dry_run.dry_run {
        service::check_point(db.get_ref(), systems.get_ref(), &scope.org, None, &input).await?;
        return Ok(HttpResponse::NoContent().finish());
    }
    let point = adgang_core::write(&db, async |txn| {
        Ok(service::create_point(
            txn,
            systems.get_ref(),
            &scope.actor,
            &scope.org,
            &input,
            scope.now,
        )
        .await?)
    })
    .await?;
    Ok(HttpResponse::Created().json(point))
}

/// One contact point (with its internal note: this is the administrators' API).
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The point", body = ContactPoint),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/contact-points/{id}")]
async fn get_point(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<ContactPoint>, DomainError> {
    let id = path.into_inner().id;
    Ok(web::Json(
        service::get_point(db.get_ref(), &scope.org, &id).await?,
    ))
}

/// Replace a contact point. With `dryRun=true` only check the new content.
#[utoipa::path(
    params(ItemPath, DryRun),
    request_body = ContactPointInput,
    responses(
        (status = 200, description = "Saved", body = ContactPoint),
        (status = 204, description = "dryRun: the change would be saved"),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[put("/organisations/{cvr}/contact-points/{id}")]
async fn update_point(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    systems: web::Data<dyn RecipientSystems>,
    path: web::Path<ItemPath>,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let id = path.into_inner().id;
    let input: ContactPointInput = body.parse().await?;
    if dry_run.dry_run {
        service::check_point(
            db.get_ref(),
            systems.get_ref(),
            &scope.org,
            Some(&id),
            &input,
        )
        .await?;
        return Ok(HttpResponse::NoContent().finish());
    }
    let point = adgang_core::write(&db, async |txn| {
        Ok(service::update_point(
            txn,
            systems.get_ref(),
            &scope.actor,
            &scope.org,
            &id,
            &input,
            scope.now,
        )
        .await?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(point))
}

/// Delete a contact point (all its placements go with it).
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 204, description = "Deleted"),
        problems::Scope,
    )
)]
#[delete("/organisations/{cvr}/contact-points/{id}")]
async fn delete_point(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, DomainError> {
    let id = path.into_inner().id;
    adgang_core::write(&db, async |txn| {
        Ok(service::delete_point(txn, &scope.actor, &scope.org, &id, scope.now).await?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The point's deep links, one per audience (CS-04).
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "Deep links", body = Vec<DeepLink>),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/contact-points/{id}/deep-links")]
async fn point_deep_links(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    urls: web::Data<PlatformUrls>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<Vec<DeepLink>>, DomainError> {
    let id = path.into_inner().id;
    Ok(web::Json(
        service::point_deep_links(db.get_ref(), &scope.org, &id, &urls).await?,
    ))
}

/// The point's receipt (CS-05) as PDF: every setting, the deep links and their QR codes.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The receipt", content_type = "application/pdf", body = adgang_api_types::BinaryFile),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/contact-points/{id}/receipt")]
async fn point_receipt(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    systems: web::Data<dyn RecipientSystems>,
    urls: web::Data<PlatformUrls>,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, DomainError> {
    let id = path.into_inner().id;
    let (name, pdf) = service::point_receipt(
        db.get_ref(),
        systems.get_ref(),
        &scope.org,
        &id,
        &urls,
        &scope.who(),
    )
    .await?;
    Ok(attachment(
        "application/pdf",
        &format!("kvittering-kontaktpunkt-{}.pdf", safe_file_name(&name)),
        pdf,
    ))
}

/// The group's deep links: the audiences of its usable points; none while it has none (CS-04).
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "Deep links (possibly none yet)", body = Vec<DeepLink>),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/contact-groups/{id}/deep-links")]
async fn group_deep_links(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    urls: web::Data<PlatformUrls>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<Vec<DeepLink>>, DomainError> {
    let id = path.into_inner().id;
    Ok(web::Json(
        service::group_deep_links(db.get_ref(), &scope.org, &id, &urls).await?,
    ))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct QrQuery {
    /// Whose platform the link leads to.
    audience: Audience,
    /// `svg` (default) or `png`.
    format: Option<String>,
}

/// Reads the query after the rights check (a caller without the right learns nothing, not
/// even that the query is malformed).
fn qr_query(req: &HttpRequest) -> Result<QrQuery, DomainError> {
    web::Query::<QrQuery>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .map_err(|_| {
            DomainError::field(
                "audience",
                FieldCode::Required,
                "Give audience=citizens|businesses (and optionally format=svg|png).",
            )
        })
}

/// The QR code of one deep link, as `image/svg+xml` or `image/png`.
fn qr_response(links: &[DeepLink], query: &QrQuery) -> Result<HttpResponse, DomainError> {
    let link = links
        .iter()
        .find(|l| l.audience == query.audience)
        .ok_or(DomainError::NotFound("deep link for this audience"))?;
    match query.format.as_deref().unwrap_or("svg") {
        "svg" => Ok(HttpResponse::Ok()
            .content_type("image/svg+xml")
            .body(qr_svg(&link.url).map_err(DomainError::Unexpected)?)),
        "png" => Ok(HttpResponse::Ok()
            .content_type("image/png")
            .body(qr_png(&link.url, 8).map_err(DomainError::Unexpected)?)),
        _ => Err(DomainError::field(
            "format",
            FieldCode::UnknownFormat,
            "format is svg or png.",
        )),
    }
}

/// The QR code of the point's deep link for one audience (CS-04).
#[utoipa::path(
    params(ItemPath, QrQuery),
    responses(
        (status = 200, description = "The QR code", content_type = "image/svg+xml", body = String),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/contact-points/{id}/qr-code")]
async fn point_qr_code(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    urls: web::Data<PlatformUrls>,
    path: web::Path<ItemPath>,
    req: HttpRequest,
) -> Result<HttpResponse, DomainError> {
    let id = path.into_inner().id;
    let query = qr_query(&req)?;
    let links = service::point_deep_links(db.get_ref(), &scope.org, &id, &urls).await?;
    qr_response(&links, &query)
}

/// The QR code of the group's deep link for one audience (CS-04).
#[utoipa::path(
    params(ItemPath, QrQuery),
    responses(
        (status = 200, description = "The QR code", content_type = "image/svg+xml", body = String),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/contact-groups/{id}/qr-code")]
async fn group_qr_code(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    urls: web::Data<PlatformUrls>,
    path: web::Path<ItemPath>,
    req: HttpRequest,
) -> Result<HttpResponse, DomainError> {
    let id = path.into_inner().id;
    let query = qr_query(&req)?;
    let links = service::group_deep_links(db.get_ref(), &scope.org, &id, &urls).await?;
    qr_response(&links, &query)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct PlatformSearch {
    /// Keyword prefix or part of the name; empty lists every point.
    q: Option<String>,
    /// Whose platform asks: citizens (borger.dk) or businesses (Virk).
    audience: Audience,
}

/// The platforms' search (CS-08): an organisation's visible, usable contact points for one
/// audience, by keyword or name. Public directory data: no internal notes, no token needed.
#[utoipa::path(
    security(()),
    params(("cvr" = String, Path, description = "The authority", example = "34051178"), PlatformSearch),
    responses(
        (status = 200, description = "Matching points, by name", body = Vec<adgang_api_types::PublicContactPoint>),
        problems::BadRequest,
    )
)]
#[get("/platform/organisations/{cvr}/contact-points")]
async fn platform_contact_points(
    db: web::Data<DatabaseConnection>,
    cache: web::Data<StructureCache>,
    cvr: web::Path<String>,
    query: web::Query<PlatformSearch>,
) -> Result<web::Json<Vec<adgang_api_types::PublicContactPoint>>, DomainError> {
    let org = Cvr::parse(&cvr).map_err(|e| DomainError::field("cvr", e.code(), e.message()))?;
    let version = service::structure_version(db.get_ref(), &org).await?;
    let entries = match cache.search.get(&org, version) {
        Some(entries) => entries,
        None => {
            let entries =
                std::sync::Arc::new(service::searchable_points(db.get_ref(), &org).await?);
            cache.search.put(&org, version, entries.clone());
            entries
        }
    };
    Ok(web::Json(service::search(
        &entries,
        query.q.as_deref().unwrap_or_default(),
        query.audience,
    )))
}

/// The organisation's organisational units, findable as recipients on the platforms (CS-08).
#[utoipa::path(
    security(()),
    params(("cvr" = String, Path, description = "The authority", example = "34051178")),
    responses(
        (status = 200, description = "Organisational units, by name", body = Vec<adgang_api_types::PublicOrganisationalUnit>),
        problems::BadRequest,
    )
)]
#[get("/platform/organisations/{cvr}/organisational-units")]
async fn platform_organisational_units(
    db: web::Data<DatabaseConnection>,
    cvr: web::Path<String>,
) -> Result<web::Json<Vec<adgang_api_types::PublicOrganisationalUnit>>, DomainError> {
    let org = Cvr::parse(&cvr).map_err(|e| DomainError::field("cvr", e.code(), e.message()))?;
    Ok(web::Json(
        service::organisational_units(db.get_ref(), &org).await?,
    ))
}

/// "Eksport kontaktstruktur" (CS-06): the whole structure as an Excel workbook — a sheet of
/// groups and a sheet of points with every column and id.
#[utoipa::path(
    params(OrgPath),
    responses(
        (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = adgang_api_types::BinaryFile),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/contact-structure/export")]
async fn export_structure(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    systems: web::Data<dyn RecipientSystems>,
) -> Result<HttpResponse, DomainError> {
    let bytes =
        crate::workbook::export_workbook(db.get_ref(), systems.get_ref(), &scope.org).await?;
    Ok(attachment(
        adgang_documents::xlsx::CONTENT_TYPE,
        &format!("kontaktstruktur-{}.xlsx", scope.org),
        bytes,
    ))
}

/// The largest workbook an import reads (the server's default body limit; a workbook of
/// 10,000 points is about 1 MB).
const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;

/// "Import kontaktstruktur" (CS-06): upload an edited export (the raw .xlsx as the body).
///
/// Rows are matched by id: a blank or unknown id creates the row (with a new id), a known id
/// updates it; rows not in the workbook are left alone. Group references (parents, a point's
/// groups) may be ids from the workbook, ids stored here or unique group names; the recipient
/// system an id or a name. Every row is checked first — errors name the cell
/// (`Kontaktpunkter!P7`) — and then all rows are applied in one transaction, or none.
#[utoipa::path(
    params(OrgPath, DryRun),
    request_body(content = adgang_api_types::BinaryFile, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The workbook"),
    responses(
        (status = 200, description = "Applied (or, with dryRun, checked)", body = adgang_api_types::ContactImportReceipt),
        problems::BadRequest,
        problems::Scope,
        problems::TooLarge,
        problems::FileTooComplex,
        problems::TooManyRequests,
    )
)]
#[post("/organisations/{cvr}/contact-structure/import")]
async fn import_structure(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    systems: web::Data<dyn RecipientSystems>,
    files: web::Data<dyn adgang_core::ports::UntrustedFiles>,
    query: DryRun,
    body: JsonBody,
) -> Result<web::Json<adgang_api_types::ContactImportReceipt>, DomainError> {
    let bytes = body.bytes(MAX_IMPORT_BYTES).await?;
    // Issue 29: read in the sandbox first; the transaction opens only for the result.
    let sheets = crate::workbook::read_upload(files.get_ref(), bytes.to_vec()).await?;
    let receipt = adgang_core::write(&db, async |txn| {
        Ok(crate::workbook::import_workbook(
            txn,
            systems.get_ref(),
            &scope.actor,
            &scope.org,
            &sheets,
            query.dry_run,
            scope.now,
        )
        .await?)
    })
    .await?;
    Ok(web::Json(receipt))
}

/// The organisation's recipient systems a contact point can be bound to (CS-05). Contact
/// administrators choose from these without needing the systems module's right.
#[utoipa::path(
    params(OrgPath),
    responses(
        (status = 200, description = "Recipient systems by name", body = Vec<adgang_api_types::RecipientSystemChoice>),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/contact-structure/recipient-systems")]
async fn recipient_system_choices(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    systems: web::Data<dyn RecipientSystems>,
) -> Result<web::Json<Vec<adgang_api_types::RecipientSystemChoice>>, DomainError> {
    let choices = systems.list(db.get_ref(), &scope.org).await?;
    Ok(web::Json(
        choices
            .into_iter()
            .map(|s| adgang_api_types::RecipientSystemChoice {
                id: s.id,
                name: s.name,
            })
            .collect(),
    ))
}
