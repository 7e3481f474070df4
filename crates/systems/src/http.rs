//! System connection endpoints under `/api/v1/organisations/{cvr}/…` (SPEC §2). Every handler
//! first checks the module right (`system_admin`), then the organisation scope (another
//! organisation's systems are 404), then reads the body.

use actix_web::http::header;
use actix_web::{delete, get, post, put, web, HttpResponse};
use adgang_api_types::{
    ApiKey, Module, NewStandardSystem, NewSystem, Page, PageQuery, PublishedStandardSystem,
    StandardSystem, System, SystemReceipt, SystemSummary, SystemUpdate, TechnicalContact,
};
use adgang_core::download::{attachment, render, safe_file_name};
use adgang_core::json::JsonBody;
use adgang_core::openapi as problems;
use adgang_core::pagination::PageRequest;
use adgang_core::ports::{BoundContactPoints, SftpDropbox, VirkMailMoves};
use adgang_core::secrets::DataKey;
use adgang_core::{
    Cvr, DomainError, DryRun, ItemPath, ModuleGuard, OrgPath, OrgScope, Principal, ReadCache,
    ReadDb,
};
use adgang_registry::Registry;
use sea_orm::DatabaseConnection;
use serde::Deserialize;

use crate::entity::standard_system;
use crate::service::{self, Context, Owner};
use crate::{documents, SystemsSettings};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_systems)
        .service(create_system)
        .service(system_overview_workbook)
        .service(get_system)
        .service(update_system)
        .service(delete_system)
        .service(make_primary)
        .service(reveal_api_key)
        .service(rotate_api_key)
        .service(system_receipt)
        .service(system_overview_pdf)
        .service(publish_standard_system)
        .service(own_standard_systems)
        .service(update_standard_system)
        .service(withdraw_standard_system)
        .service(list_standard_systems);
}

/// The app data the service's [`Context`] is made of, taken as one extractor.
struct Deps {
    registry: web::Data<dyn Registry>,
    data_key: web::Data<DataKey>,
    settings: web::Data<SystemsSettings>,
    bound_points: web::Data<dyn BoundContactPoints>,
    virk_mail_moves: web::Data<dyn VirkMailMoves>,
    /// Issue 35: the SFTP service, when this deployment runs one.
    sftp: Option<web::Data<dyn SftpDropbox>>,
}

impl actix_web::FromRequest for Deps {
    type Error = DomainError;
    type Future = std::future::Ready<Result<Deps, DomainError>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let missing =
            |what: &str| DomainError::Unexpected(anyhow::anyhow!("{what} not configured"));
        std::future::ready((|| {
            Ok(Deps {
                registry: req
                    .app_data::<web::Data<dyn Registry>>()
                    .cloned()
                    .ok_or_else(|| missing("registry"))?,
                data_key: req
                    .app_data::<web::Data<DataKey>>()
                    .cloned()
                    .ok_or_else(|| missing("data key"))?,
                settings: req
                    .app_data::<web::Data<SystemsSettings>>()
                    .cloned()
                    .ok_or_else(|| missing("systems settings"))?,
                bound_points: req
                    .app_data::<web::Data<dyn BoundContactPoints>>()
                    .cloned()
                    .ok_or_else(|| missing("bound contact points"))?,
                virk_mail_moves: req
                    .app_data::<web::Data<dyn VirkMailMoves>>()
                    .cloned()
                    .ok_or_else(|| missing("Virk mail moves"))?,
                sftp: req.app_data::<web::Data<dyn SftpDropbox>>().cloned(),
            })
        })())
    }
}

impl Deps {
    /// Issue 35: the service's details for an SFTP sender system; `None` for other systems, when this
    /// deployment runs no SFTP service, or when its host key cannot be read now (logged: the
    /// page and receipt are shown without them rather than fail).
    async fn sftp_access(&self, system: &System) -> Option<adgang_api_types::SftpAccess> {
        if system.protocol != adgang_api_types::Protocol::Sftp
            || system.role == adgang_api_types::SystemRole::Recipient
        {
            return None;
        }
        let service = match self.sftp.as_ref()?.service().await {
            Ok(service) => service?,
            Err(e) => {
                tracing::error!(error = ?e, "the SFTP service's host key cannot be read");
                return None;
            }
        };
        Some(adgang_api_types::SftpAccess {
            host: service.host,
            port: service.port,
            username: system.id.clone(),
            host_key_fingerprint: service.host_key_fingerprint,
        })
    }

    fn context(&self, now: chrono::DateTime<chrono::Utc>) -> Context<'_> {
        Context {
            registry: self.registry.get_ref(),
            data_key: self.data_key.get_ref(),
            allow_http_endpoints: self.settings.allow_http_endpoints,
            bound_points: self.bound_points.get_ref(),
            now,
        }
    }
}

/// The module's endpoints are open to `system_admin`s (SPEC §0).
pub struct SystemConnection;

impl ModuleGuard for SystemConnection {
    const MODULE: Module = Module::SystemConnection;
}

type Scope = OrgScope<SystemConnection>;

fn owner_of(scope: &Scope) -> Owner {
    Owner {
        cvr: scope.org.clone(),
        kind: scope.kind,
    }
}

#[derive(Clone, Copy)]
enum SystemSort {
    Name,
    CreatedAt,
}

/// The system overview (SYS-11), paginated; `sort=name|createdAt`. One line per system;
/// `GET …/systems/{id}` has every setting.
#[utoipa::path(
    params(OrgPath, PageQuery),
    responses(
        (status = 200, description = "A page of the overview", body = Page<SystemSummary>),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/systems")]
async fn list_systems(
    scope: Scope,
    db: web::Data<ReadDb>,
    cache: web::Data<ReadCache>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<SystemSummary>>, DomainError> {
    let owner = owner_of(&scope);
    let request = PageRequest::parse(
        &query,
        &[
            ("name", SystemSort::Name),
            ("createdAt", SystemSort::CreatedAt),
        ],
    )?;
    // An organisation has tens of systems, not thousands: one indexed query, paged here.
    // The overview is read far more often than it changes: cached per organisation (issue 13).
    let by_name = cache
        .get_or_load("systems", &owner.cvr, || {
            service::list_summaries(&db.0, &owner.cvr)
        })
        .await?;
    let mut rows: Vec<&service::SummaryRow> = by_name.iter().collect();
    if let SystemSort::CreatedAt = request.sort {
        rows.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
    }
    if request.direction == adgang_core::pagination::SortDirection::Desc {
        rows.reverse();
    }
    let now = scope.now;
    let page = request.slice(rows);
    Ok(web::Json(Page {
        items: page
            .items
            .into_iter()
            .map(|row| service::summary_dto(row, now))
            .collect(),
        current_page: page.current_page,
        page_size: page.page_size,
        total_elements: page.total_elements,
        total_pages: page.total_pages,
    }))
}

/// Create a system (SYS-01 … SYS-09, SYS-14 "Tilslut"). The answer carries the API key once.
/// With `dryRun=true` only check it (the wizard's "Næste", X-04).
#[utoipa::path(
    params(OrgPath, DryRun),
    request_body = NewSystem,
    responses(
        (status = 201, description = "Created; the receipt", body = SystemReceipt),
        (status = 204, description = "dryRun: the system would be created"),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[post("/organisations/{cvr}/systems")]
async fn create_system(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    deps: Deps,
    dry_run: DryRun,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let (owner, actor) = (owner_of(&scope), scope.actor.clone());
    let ordered_by = scope.acting().approved_by;
    let new: NewSystem = body.parse().await?;
    let ctx = deps.context(scope.now);
    if dry_run.dry_run {
        service::check_new(db.get_ref(), &ctx, &owner, &new).await?;
        return Ok(HttpResponse::NoContent().finish());
    }
    let (model, api_key, virk_mail_move_id) = adgang_core::write(&db, async |txn| {
        let (model, api_key) = service::create(txn, &ctx, &actor, &owner, &new).await?;
        // SYS-15: the move of the Virk mail is ordered with the system, in its transaction.
        let virk_mail_move_id = if new.move_virk_mail {
            Some(
                deps.virk_mail_moves
                    .order_into_system(
                        txn,
                        &owner.cvr,
                        &actor,
                        &ordered_by,
                        (&model.id, &model.name),
                        ctx.now,
                    )
                    .await?,
            )
        } else {
            None
        };
        Ok((model, api_key, virk_mail_move_id))
    })
    .await?;
    let mut system = service::to_dto(&model, ctx.now);
    system.sftp = deps.sftp_access(&system).await;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/organisations/{}/systems/{}", owner.cvr, system.id),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(SystemReceipt {
            system,
            api_key,
            virk_mail_move_id,
        }))
}

/// One system.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The system", body = System),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/systems/{id}")]
async fn get_system(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    deps: Deps,
    path: web::Path<ItemPath>,
) -> Result<web::Json<System>, DomainError> {
    let id = path.into_inner().id;
    let owner = owner_of(&scope);
    let model = service::get(db.get_ref(), &owner.cvr, &id).await?;
    let mut system = service::to_dto(&model, scope.now);
    // §6.1: a recipient system should have at least one contact point (issue 33 item 7).
    if system.role.receives() {
        let names = deps
            .bound_points
            .names(db.get_ref(), &owner.cvr, &id)
            .await?;
        system.contact_points = Some(names);
    }
    system.sftp = deps.sftp_access(&system).await;
    Ok(web::Json(system))
}

/// Edit a system (SYS-12): activation and protocol are locked while it is active; a standard
/// system's settings are locked. A new vendor gets a new API key, returned once.
#[utoipa::path(
    params(ItemPath),
    request_body = SystemUpdate,
    responses(
        (status = 200, description = "Saved", body = SystemReceipt),
        problems::BadRequest,
        problems::Scope,
        problems::Unavailable,
    )
)]
#[put("/organisations/{cvr}/systems/{id}")]
async fn update_system(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    deps: Deps,
    path: web::Path<ItemPath>,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let id = path.into_inner().id;
    let (owner, actor) = (owner_of(&scope), scope.actor.clone());
    let update: SystemUpdate = body.parse().await?;
    let ctx = deps.context(scope.now);
    let (model, api_key) = adgang_core::write(&db, async |txn| {
        Ok(service::update(txn, &ctx, &actor, &owner, &id, &update).await?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(SystemReceipt {
            system: service::to_dto(&model, ctx.now),
            api_key,
            virk_mail_move_id: None,
        }))
}

/// Delete a system (SYS-12). The primary system cannot be deleted while other recipient
/// systems exist (409).
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 204, description = "Deleted"),
        problems::Scope,
        problems::Conflict,
    )
)]
#[delete("/organisations/{cvr}/systems/{id}")]
async fn delete_system(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    bound: web::Data<dyn BoundContactPoints>,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, DomainError> {
    let id = path.into_inner().id;
    let (owner, actor) = (owner_of(&scope), scope.actor.clone());
    adgang_core::write(&db, async |txn| {
        Ok(service::delete(txn, bound.get_ref(), &actor, &owner, &id, scope.now).await?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Make this recipient system the primary one (SYS-07).
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "Now primary", body = System),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[post("/organisations/{cvr}/systems/{id}/primary")]
async fn make_primary(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<System>, DomainError> {
    let id = path.into_inner().id;
    let (owner, actor) = (owner_of(&scope), scope.actor.clone());
    let now = scope.now;
    let model = adgang_core::write(&db, async |txn| {
        Ok(service::make_primary(txn, &actor, &owner, &id, now).await?)
    })
    .await?;
    Ok(web::Json(service::to_dto(&model, now)))
}

/// Show the system's API key ("Vis API-key", SYS-04). Every reveal is logged.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The API key", body = ApiKey),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/systems/{id}/api-key")]
async fn reveal_api_key(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    deps: Deps,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, DomainError> {
    let id = path.into_inner().id;
    let (owner, actor) = (owner_of(&scope), scope.actor.clone());
    let api_key = adgang_core::write(&db, async |txn| {
        Ok(service::reveal_api_key(txn, &deps.context(scope.now), &actor, &owner, &id).await?)
    })
    .await?;
    Ok(api_key_answer(api_key))
}

/// Replace the API key with a new one (SYS-04); the old key stops working. A system without a
/// key (no vendor) gets its first one here: the credential it submits and collects mail with
/// (CORE-01, `X-System-Id` + `X-Api-Key`).
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The new API key", body = ApiKey),
        problems::Scope,
    )
)]
#[post("/organisations/{cvr}/systems/{id}/api-key/rotation")]
async fn rotate_api_key(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    deps: Deps,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, DomainError> {
    let id = path.into_inner().id;
    let (owner, actor) = (owner_of(&scope), scope.actor.clone());
    let api_key = adgang_core::write(&db, async |txn| {
        Ok(service::rotate_api_key(txn, &deps.context(scope.now), &actor, &owner, &id).await?)
    })
    .await?;
    Ok(api_key_answer(api_key))
}

/// SYS-04: the API key in clear, never to be cached.
fn api_key_answer(api_key: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(ApiKey { api_key })
}

/// The receipt as PDF (SYS-10), with the API key if there is one — so downloading it is an
/// API-key reveal and logged as one.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The receipt", content_type = "application/pdf", body = adgang_api_types::BinaryFile),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/systems/{id}/receipt")]
async fn system_receipt(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    deps: Deps,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, DomainError> {
    let id = path.into_inner().id;
    let (owner, actor) = (owner_of(&scope), scope.actor.clone());
    let ctx = deps.context(scope.now);
    // Read before the transaction: the host key may have to be made (and kept) first.
    let sftp = {
        let model = service::get(db.get_ref(), &owner.cvr, &id).await?;
        deps.sftp_access(&service::to_dto(&model, ctx.now)).await
    };
    // The API key is revealed (and that logged) only if the receipt is rendered.
    let (model, pdf) = adgang_core::write(&db, async |txn| {
        let model = service::get(txn, &owner.cvr, &id).await?;
        let api_key = match model.api_key_sealed {
            Some(_) => Some(service::reveal_api_key(txn, &ctx, &actor, &owner, &id).await?),
            None => None,
        };
        let (mut system, who) = (service::to_dto(&model, ctx.now), scope.who());
        system.sftp = sftp;
        let pdf = render(move || documents::receipt_pdf(&system, api_key.as_deref(), &who)).await?;
        Ok((model, pdf))
    })
    .await?;
    Ok(attachment(
        "application/pdf",
        &format!("kvittering-{}.pdf", safe_file_name(&model.name)),
        pdf,
    ))
}

/// The detailed overview of one system as PDF (SYS-10), any time; without the API key.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The overview", content_type = "application/pdf", body = adgang_api_types::BinaryFile),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/systems/{id}/overview")]
async fn system_overview_pdf(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    deps: Deps,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, DomainError> {
    let id = path.into_inner().id;
    let owner = owner_of(&scope);
    let model = service::get(db.get_ref(), &owner.cvr, &id).await?;
    let now = scope.now;
    let (mut system, who) = (service::to_dto(&model, now), scope.who());
    system.sftp = deps.sftp_access(&system).await;
    let pdf = render(move || documents::overview_pdf(&system, now, &who)).await?;
    Ok(attachment(
        "application/pdf",
        &format!("system-{}.pdf", safe_file_name(&model.name)),
        pdf,
    ))
}

/// The system overview as an Excel workbook ("Download systemoversigt", SYS-11).
#[utoipa::path(
    params(OrgPath),
    responses(
        (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = adgang_api_types::BinaryFile),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/system-overview")]
async fn system_overview_workbook(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
) -> Result<HttpResponse, DomainError> {
    let owner = owner_of(&scope);
    let now = scope.now;
    let systems: Vec<System> = service::list(db.get_ref(), &owner.cvr)
        .await?
        .iter()
        .map(|s| service::to_dto(s, now))
        .collect();
    let bytes = render(move || documents::overview_xlsx(&systems)).await?;
    Ok(attachment(
        adgang_documents::xlsx::CONTENT_TYPE,
        &format!("systemoversigt-{}.xlsx", owner.cvr),
        bytes,
    ))
}

fn standard_dto(model: standard_system::Model, vendor_name: String) -> StandardSystem {
    StandardSystem {
        id: model.id,
        vendor_cvr: model.vendor_cvr,
        vendor_name,
        name: model.name,
        role: adgang_api_types::SystemRole::parse(&model.role)
            .unwrap_or(adgang_api_types::SystemRole::Sender),
        protocol: adgang_api_types::Protocol::parse(&model.protocol)
            .unwrap_or(adgang_api_types::Protocol::RestPull),
        allowed_ips: model.allowed_ips.lines().map(str::to_owned).collect(),
        endpoint: model.endpoint,
        receipt_endpoint: model.receipt_endpoint,
        ssh_public_key: model.ssh_public_key,
        technical_contact: TechnicalContact {
            email: model.contact_email,
            phone: model.contact_phone,
            extra_email: model.contact_extra_email,
        },
    }
}

/// A vendor publishes a standard system (SYS-09) that others create systems from.
#[utoipa::path(
    params(OrgPath),
    request_body = NewStandardSystem,
    responses(
        (status = 201, description = "Published", body = StandardSystem),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[post("/organisations/{cvr}/standard-systems")]
async fn publish_standard_system(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    deps: Deps,
    body: JsonBody,
) -> Result<HttpResponse, DomainError> {
    let (owner, actor) = (owner_of(&scope), scope.actor.clone());
    let new: NewStandardSystem = body.parse().await?;
    let model = adgang_core::write(&db, async |txn| {
        Ok(service::publish_standard_system(
            txn,
            &deps.context(scope.now),
            &actor,
            &owner.cvr,
            &new,
        )
        .await?)
    })
    .await?;
    Ok(HttpResponse::Created().json(standard_dto(
        model,
        scope.principal.organisation_name.clone(),
    )))
}

/// How standard systems can be ordered (X-03): by name (the default), or by vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StandardSort {
    Name,
    VendorName,
}

const STANDARD_SORT: &[(&str, StandardSort)] = &[
    ("name", StandardSort::Name),
    ("vendorName", StandardSort::VendorName),
];

/// One page of `items` in the request's order (a vendor has a handful; ordered here).
fn standard_page<T>(
    mut items: Vec<T>,
    request: &PageRequest<StandardSort>,
    key: impl Fn(&T) -> &StandardSystem,
) -> Page<T> {
    match request.sort {
        StandardSort::Name => items.sort_by(|a, b| {
            let (a, b) = (key(a), key(b));
            (a.name.to_lowercase(), &a.id).cmp(&(b.name.to_lowercase(), &b.id))
        }),
        StandardSort::VendorName => items.sort_by(|a, b| {
            let (a, b) = (key(a), key(b));
            let order = |s: &StandardSystem| (s.vendor_name.to_lowercase(), s.name.to_lowercase());
            (order(a), &a.id).cmp(&(order(b), &b.id))
        }),
    }
    if request.direction == adgang_core::pagination::SortDirection::Desc {
        items.reverse();
    }
    request.slice(items)
}

/// A vendor's own published standard systems, each with how many systems use it (SYS-09),
/// paged (X-03; `sort=name|vendorName`).
#[utoipa::path(
    params(OrgPath, PageQuery),
    responses(
        (status = 200, description = "The vendor's standard systems", body = Page<PublishedStandardSystem>),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/standard-systems")]
async fn own_standard_systems(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<PublishedStandardSystem>>, DomainError> {
    let request = PageRequest::parse(&query, STANDARD_SORT)?;
    let vendor = owner_of(&scope).cvr;
    let models = service::standard_systems(db.get_ref(), Some(&vendor)).await?;
    let ids: Vec<String> = models.iter().map(|m| m.id.clone()).collect();
    let counts = service::systems_using(db.get_ref(), &ids).await?;
    let name = scope.principal.organisation_name.clone();
    let published = models
        .into_iter()
        .map(|m| PublishedStandardSystem {
            systems_using: counts.get(&m.id).copied().unwrap_or(0),
            standard: standard_dto(m, name.clone()),
        })
        .collect();
    Ok(web::Json(standard_page(published, &request, |p| {
        &p.standard
    })))
}

/// The vendor edits a standard system (SYS-09): the settings it locks follow into every
/// system created from it (logged in each organisation); role and protocol are fixed once a
/// system uses it.
#[utoipa::path(
    params(ItemPath),
    request_body = NewStandardSystem,
    responses(
        (status = 200, description = "Saved", body = StandardSystem),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[put("/organisations/{cvr}/standard-systems/{id}")]
async fn update_standard_system(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    deps: Deps,
    path: web::Path<ItemPath>,
    body: JsonBody,
) -> Result<web::Json<StandardSystem>, DomainError> {
    let (vendor, actor) = (owner_of(&scope).cvr, scope.actor.clone());
    let id = path.into_inner().id;
    let new: NewStandardSystem = body.parse().await?;
    let model = adgang_core::write(&db, async |txn| {
        Ok(service::update_standard_system(
            txn,
            &deps.context(scope.now),
            &actor,
            &vendor,
            &id,
            &new,
        )
        .await?)
    })
    .await?;
    Ok(web::Json(standard_dto(
        model,
        scope.principal.organisation_name.clone(),
    )))
}

/// The vendor withdraws a standard system (SYS-09): it leaves the catalogue; systems created
/// from it keep their settings, which become their organisations' to edit.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 204, description = "Withdrawn"),
        problems::Scope,
    )
)]
#[delete("/organisations/{cvr}/standard-systems/{id}")]
async fn withdraw_standard_system(
    scope: Scope,
    db: web::Data<DatabaseConnection>,
    deps: Deps,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, DomainError> {
    let (vendor, actor) = (owner_of(&scope).cvr, scope.actor.clone());
    let id = path.into_inner().id;
    adgang_core::write(&db, async |txn| {
        Ok(
            service::withdraw_standard_system(txn, &deps.context(scope.now), &actor, &vendor, &id)
                .await?,
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
struct StandardSystemQuery {
    /// Only this vendor's standard systems (a CVR number).
    #[param(pattern = r"^[0-9]{8}$")]
    vendor_cvr: Option<String>,
}

/// The catalogue of standard systems to create a system from (SYS-09), by vendor, paged (X-03;
/// `sort=name|vendorName`).
#[utoipa::path(
    params(StandardSystemQuery, PageQuery),
    responses(
        (status = 200, description = "Standard systems", body = Page<StandardSystem>),
        problems::BadRequest,
        problems::Auth,
    )
)]
#[get("/standard-systems")]
async fn list_standard_systems(
    principal: Principal,
    db: web::Data<DatabaseConnection>,
    registry: web::Data<dyn Registry>,
    query: web::Query<StandardSystemQuery>,
    paging: web::Query<PageQuery>,
) -> Result<web::Json<Page<StandardSystem>>, DomainError> {
    principal.require_module(Module::SystemConnection)?;
    let request = PageRequest::parse(&paging, STANDARD_SORT)?;
    let vendor =
        match query.vendor_cvr.as_deref() {
            Some(raw) => Some(Cvr::parse(raw).map_err(|e| {
                DomainError::field("vendorCvr", e.code(), "Give a valid CVR number.")
            })?),
            None => None,
        };
    let models = service::standard_systems(db.get_ref(), vendor.as_ref()).await?;
    let mut names: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(models.len());
    for model in models {
        if !names.contains_key(&model.vendor_cvr) {
            let name = match Cvr::parse(&model.vendor_cvr) {
                Ok(cvr) => registry
                    .company(&cvr)
                    .await
                    .ok()
                    .flatten()
                    .map(|c| c.name)
                    .unwrap_or_else(|| model.vendor_cvr.clone()),
                Err(_) => model.vendor_cvr.clone(),
            };
            names.insert(model.vendor_cvr.clone(), name);
        }
        let name = names[&model.vendor_cvr].clone();
        out.push(standard_dto(model, name));
    }
    Ok(web::Json(standard_page(out, &request, |s| s)))
}
