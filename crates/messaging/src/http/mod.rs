//! The Digital Post core's system-facing endpoints: `POST /api/v1/memos` (CORE-01) and the pull
//! protocol's `mailboxes/{systemId}/system-fetches` (CORE-03), named like the real Digital Post
//! API. Systems authenticate with `X-System-Id` + `X-Api-Key` from an allowed address.

mod caller;
pub mod move_mail;
pub mod recall;

pub use caller::{Receives, Sends, SystemCaller};

use std::net::IpAddr;

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use adgang_api_types::words::rejection;
use adgang_api_types::{
    DeliveryAttempt, MemoReceipt, MessageEvent, Module, NewMemo, Page, PageQuery,
};
use adgang_core::json::JsonBody;
use adgang_core::openapi as problems;
use adgang_core::pagination::PageRequest;
use adgang_core::ports::ConnectedSystem;
use adgang_core::{DomainError, ItemPath, ModuleGuard, OrgScope, ReadDb};
use sea_orm::DatabaseConnection;

use crate::error::MessagingError;
use crate::service::writer::IntakeWriter;
use crate::service::{attempts, intake, pull, receipts, Ports};
use crate::MessagingSettings;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(submit_memo)
        .service(list_system_fetches)
        .service(acknowledge_system_fetches)
        .service(delivery_attempts)
        .service(send_test_message)
        .service(submit_receipt)
        .service(list_receipts)
        .service(acknowledge_receipt)
        .service(recall::find_memo)
        .service(recall::recall_memo)
        .service(move_mail::start_move)
        .service(move_mail::move_destinations)
        .service(move_mail::list_moves)
        .service(move_mail::get_move)
        .service(move_mail::move_receipt);
}

/// The system connection's administrators see a system's delivery attempts (SPEC §0).
pub struct SystemConnection;

impl ModuleGuard for SystemConnection {
    const MODULE: Module = Module::SystemConnection;
}

/// The delivery attempts to a system's endpoint, paged (X-03; `sort=attemptedAt`, newest first
/// by default): time, message id, HTTP status or network error, latency, and when the next
/// attempt is due (issue 14 item 7).
#[utoipa::path(
    params(ItemPath, PageQuery),
    responses(
        (status = 200, body = Page<DeliveryAttempt>),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/systems/{id}/delivery-attempts")]
async fn delivery_attempts(
    scope: OrgScope<SystemConnection>,
    path: web::Path<ItemPath>,
    query: web::Query<PageQuery>,
    db: web::Data<DatabaseConnection>,
    ports: web::Data<Ports>,
) -> Result<web::Json<Page<DeliveryAttempt>>, DomainError> {
    let id = path.into_inner().id;
    let org = scope.org.as_str();
    let request = PageRequest::parse_newest_first(&query, attempts::ATTEMPT_SORT)?;
    Ok(web::Json(
        attempts::page(db.get_ref(), &ports, org, &id, &request, scope.now).await?,
    ))
}

/// The caller's address: the connection's peer, or — only when the peer is a configured
/// trusted proxy — the nearest `X-Forwarded-For` entry that is not one (SYS-01).
pub fn caller_address(req: &HttpRequest, settings: &MessagingSettings) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    if !settings.is_trusted_proxy(peer) {
        return Some(peer);
    }
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for entry in forwarded.iter().rev() {
        match entry.parse::<IpAddr>() {
            Ok(ip) if settings.is_trusted_proxy(ip) => continue,
            Ok(ip) => return Some(ip),
            Err(_) => return None,
        }
    }
    Some(peer)
}

pub(crate) fn header<'r>(req: &'r HttpRequest, name: &str) -> Option<&'r str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Submit a message (CORE-01). The memo is checked, routed (CORE-02) and accepted with its
/// first delivery step in one transaction; attachments travel inline as base64 and must fit
/// the target contact point's capacity (CS-01). The same `messageId` with the same content
/// answers the first result again (200); with other content, 409 `message_id_reused`. Every
/// refusal is also an `Afvist` / `Afvist teknisk` event in the sender's message log.
#[utoipa::path(
    request_body = NewMemo,
    security(("system_id" = [], "system_api_key" = [])),
    responses(
        (status = 201, description = "Accepted", body = MemoReceipt),
        (status = 200, description = "Accepted before (the same memo again)", body = MemoReceipt),
        problems::BadRequest,
        problems::SystemCaller,
        problems::Conflict,
        problems::TooLarge,
        problems::Unavailable,
    )
)]
#[post("/memos")]
async fn submit_memo(
    caller: SystemCaller<Sends>,
    body: JsonBody,
    writer: web::Data<IntakeWriter>,
    db: web::Data<DatabaseConnection>,
    reads: web::Data<ReadDb>,
    ports: web::Data<Ports>,
    settings: web::Data<MessagingSettings>,
) -> Result<HttpResponse, DomainError> {
    let system = caller.system;
    let memo: NewMemo = match body.parse_within(settings.max_memo_bytes).await {
        Ok(memo) => memo,
        Err(err) => {
            // `Afvist teknisk`, said in the log's Danish (issue 32 item 9).
            let detail = match &err {
                DomainError::Validation(fields) => intake::describe(fields),
                DomainError::PayloadTooLarge(limit) => {
                    rejection::BODY_TOO_LARGE.da_with(&[&limit.to_string()])
                }
                other => other.to_string(),
            };
            let event = MessageEvent::RejectedTechnical;
            intake::record_rejection(&db, &system, None, event, detail, caller.now).await?;
            return Err(err);
        }
    };
    let (receipt, created) =
        intake::submit(&db, &reads, &writer, &ports, &system, memo, caller.now).await?;
    Ok(if created {
        HttpResponse::Created().json(receipt)
    } else {
        HttpResponse::Ok().json(receipt)
    })
}

/// "Send testmeddelelse": pushes a harmless test message (`X-Test-Message: true`) to a REST
/// PUSH or PUBLISH/SUBSCRIBE system's endpoint now and answers how it went (issue 14 item 7);
/// the attempt is listed with the others. Works before activation, to try a new endpoint.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, body = DeliveryAttempt),
        problems::BadRequest,
        problems::Scope,
    )
)]
#[post("/organisations/{cvr}/systems/{id}/test-message")]
async fn send_test_message(
    scope: OrgScope<SystemConnection>,
    path: web::Path<ItemPath>,
    db: web::Data<DatabaseConnection>,
    ports: web::Data<Ports>,
    outbound: web::Data<adgang_core::Outbound>,
) -> Result<web::Json<DeliveryAttempt>, DomainError> {
    let id = path.into_inner().id;
    let org = scope.org.as_str();
    Ok(web::Json(
        attempts::send_test_message(db.get_ref(), &ports, &outbound, org, &id, scope.now).await?,
    ))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[serde(rename_all = "camelCase")]
struct MailboxPath {
    /// The recipient system's id (its mailbox).
    system_id: String,
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct FetchQuery {
    /// At most this many messages (1–100, default 20; a number outside is taken as the nearest
    /// bound).
    #[param(minimum = 1, maximum = 100, default = 20)]
    limit: Option<u32>,
}

impl FetchQuery {
    /// The page a fetch answers with: 20 unless asked, never more than 100.
    fn limit(&self) -> u32 {
        self.limit.unwrap_or(20).clamp(1, 100)
    }
}

/// The calling system's own mailbox only.
fn own_mailbox(system: &ConnectedSystem, path: &MailboxPath) -> Result<(), DomainError> {
    if system.id == path.system_id {
        Ok(())
    } else {
        Err(MessagingError::NotFound("mailbox").into())
    }
}

/// The messages waiting in a REST PULL (or PUBLISH/SUBSCRIBE) recipient system's queue, oldest
/// first, with their content (CORE-03). They stay until acknowledged.
#[utoipa::path(
    params(MailboxPath, FetchQuery),
    security(("system_id" = [], "system_api_key" = [])),
    responses(
        (status = 200, body = Vec<pull::WaitingMessage>),
        problems::BadRequest,
        problems::SystemCaller,
        problems::NotFound,
    )
)]
#[get("/mailboxes/{systemId}/system-fetches")]
async fn list_system_fetches(
    caller: SystemCaller<Receives>,
    path: web::Path<MailboxPath>,
    query: web::Query<FetchQuery>,
    db: web::Data<DatabaseConnection>,
) -> Result<web::Json<Vec<pull::WaitingMessage>>, DomainError> {
    let system = caller.system;
    own_mailbox(&system, &path)?;
    let limit = query.limit();
    Ok(web::Json(
        pull::waiting(db.get_ref(), &system, limit).await?,
    ))
}

/// Acknowledges fetched messages: each becomes `Afhentet` (CORE-03). Ids that are not waiting
/// in this mailbox are ignored, so a repeated acknowledgement is harmless.
#[utoipa::path(
    params(MailboxPath),
    request_body = pull::Acknowledgement,
    security(("system_id" = [], "system_api_key" = [])),
    responses(
        (status = 200, body = pull::Acknowledged),
        problems::BadRequest,
        problems::SystemCaller,
        problems::NotFound,
    )
)]
#[post("/mailboxes/{systemId}/system-fetches")]
async fn acknowledge_system_fetches(
    caller: SystemCaller<Receives>,
    path: web::Path<MailboxPath>,
    body: JsonBody,
    db: web::Data<DatabaseConnection>,
) -> Result<web::Json<pull::Acknowledged>, DomainError> {
    let system = caller.system;
    own_mailbox(&system, &path)?;
    let ack: pull::Acknowledgement = body.parse().await?;
    Ok(web::Json(
        pull::acknowledge(db.get_ref(), &system, &ack, caller.now).await?,
    ))
}

/// A recipient system sends a business receipt on a message delivered to it (CORE-03): it goes
/// to the sender system — pushed to its receipt endpoint (REST PUSH), or waiting for it at
/// `GET /api/v1/receipts`. `Forretningskvittering modtaget` in the recipient's log.
#[utoipa::path(
    request_body = receipts::NewBusinessReceipt,
    security(("system_id" = [], "system_api_key" = [])),
    responses(
        (status = 202, body = receipts::ReceiptAccepted),
        problems::BadRequest,
        problems::SystemCaller,
        problems::NotFound,
    )
)]
#[post("/receipts")]
async fn submit_receipt(
    caller: SystemCaller<Receives>,
    body: JsonBody,
    db: web::Data<DatabaseConnection>,
    ports: web::Data<Ports>,
) -> Result<HttpResponse, DomainError> {
    let system = caller.system;
    let receipt: receipts::NewBusinessReceipt = body.parse().await?;
    let accepted = receipts::submit(&db, &ports, &system, receipt, caller.now).await?;
    Ok(HttpResponse::Accepted().json(accepted))
}

/// The business receipts waiting for the calling sender system (one without a receipt
/// endpoint), oldest first. They stay until deleted (collected).
#[utoipa::path(
    params(FetchQuery),
    security(("system_id" = [], "system_api_key" = [])),
    responses(
        (status = 200, body = Vec<receipts::BusinessReceipt>),
        problems::BadRequest,
        problems::SystemCaller,
    )
)]
#[get("/receipts")]
async fn list_receipts(
    caller: SystemCaller<Sends>,
    query: web::Query<FetchQuery>,
    db: web::Data<DatabaseConnection>,
) -> Result<web::Json<Vec<receipts::BusinessReceipt>>, DomainError> {
    let system = caller.system;
    let limit = query.limit();
    Ok(web::Json(receipts::waiting(&db, &system, limit).await?))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct ReceiptPath {
    /// The receipt's id.
    id: String,
}

/// Collects a business receipt: it leaves the queue, `Forretningskvittering sendt` in the
/// sender's log. Another system's receipt, or one collected before, is 404.
#[utoipa::path(
    params(ReceiptPath),
    security(("system_id" = [], "system_api_key" = [])),
    responses(
        (status = 204, description = "Collected"),
        problems::SystemCaller,
        problems::NotFound,
    )
)]
#[delete("/receipts/{id}")]
async fn acknowledge_receipt(
    caller: SystemCaller<Sends>,
    path: web::Path<ReceiptPath>,
    db: web::Data<DatabaseConnection>,
) -> Result<HttpResponse, DomainError> {
    let system = caller.system;
    receipts::acknowledge(&db, &system, &path.id, caller.now).await?;
    Ok(HttpResponse::NoContent().finish())
}
