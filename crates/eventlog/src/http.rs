//! The event log's endpoints under `/api/v1/organisations/{cvr}/events/…` (SPEC §4). Each log
//! has the same three: a keyset page (`GET …/events/{log}`), a streamed CSV download
//! (`GET …/events/{log}/csv`) and an export job (`POST …/events/{log}/exports`); the jobs are
//! read at `GET …/events/exports/{id}` and `…/file`. Each log's endpoints are opened by its own
//! rights (LOG-05) — checked before anything else is read.

use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};
use adgang_api_types::{
    ActionLogEntry, ActionLogFilter, CursorQuery, EventLogKind, ExportStatus, LogExport, LogPage,
    MessageLogEntry, MessageLogFilter, Module, SearchLogEntry, SearchLogFilter,
};
use adgang_core::json::JsonBody;
use adgang_core::openapi as problems;
use adgang_core::ports::MailAccessHolders;
use adgang_core::{
    DomainError, ItemPath, Lookups, OrgPath, OrgScope, Principal, ReadDb, ScopeGuard,
};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::service::{
    self, actions, exports, messages, page_size, searches, LogFilter, Position, Search, BATCH,
};
use crate::{EventLogError, EventLogSettings};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(message_log)
        .service(message_log_csv)
        .service(message_log_export)
        .service(action_log)
        .service(action_log_csv)
        .service(action_log_export)
        .service(search_log)
        .service(search_log_csv)
        .service(search_log_export)
        .service(get_log_export)
        .service(download_log_export);
}

/// LOG-05: whether the caller's rights open `log` (after onboarding, AUTH-04).
fn open(principal: &Principal, log: EventLogKind) -> Result<(), DomainError> {
    principal.require_module(Module::EventLog)?;
    if log.rights().iter().any(|r| principal.has(*r)) {
        Ok(())
    } else {
        Err(DomainError::Forbidden)
    }
}

/// One log: its search form, its rows and how they are read.
trait Log: Sized {
    const KIND: EventLogKind;
    type Form: DeserializeOwned + Default;
    type Entry: Serialize;
    fn check(org: &str, form: &Self::Form, now: DateTime<Utc>) -> Result<Search, EventLogError>;
    async fn page(
        db: &ReadDb,
        search: &Search,
        after: Option<&Position>,
        size: u64,
    ) -> Result<(Vec<Self::Entry>, Option<Position>), EventLogError>;
}

/// `log_messages`, `citizen_service` or `business_service` (LOG-05).
pub struct MessageLog;
/// `log_actions`, `citizen_service` or `business_service` (LOG-05).
pub struct ActionLog;
/// `log_searches` (LOG-05).
pub struct SearchLog;

/// Any of the event log's rights; the export's own log is checked next.
pub struct EventLog;
impl adgang_core::ModuleGuard for EventLog {
    const MODULE: Module = Module::EventLog;
}

/// A log's [`Log`] and [`ScopeGuard`]: its kind (also its [`LogFilter`] variant), form, entry
/// and the service module that checks and reads it.
macro_rules! impl_log {
    ($log:ty, $kind:ident, $form:ty, $entry:ty, $module:ident) => {
        impl ScopeGuard for $log {
            fn authorise(principal: &Principal) -> Result<(), DomainError> {
                open(principal, EventLogKind::$kind)
            }
        }

        impl Log for $log {
            const KIND: EventLogKind = EventLogKind::$kind;
            type Form = $form;
            type Entry = $entry;
            fn check(
                org: &str,
                form: &Self::Form,
                now: DateTime<Utc>,
            ) -> Result<Search, EventLogError> {
                $module::check(org, form, now)
            }
            async fn page(
                db: &ReadDb,
                search: &Search,
                after: Option<&Position>,
                size: u64,
            ) -> Result<(Vec<Self::Entry>, Option<Position>), EventLogError> {
                match &search.filter {
                    LogFilter::$kind(f) => $module::page(&db.0, search, f, after, size).await,
                    _ => Err(
                        anyhow::anyhow!(concat!("not a search of ", stringify!($module))).into(),
                    ),
                }
            }
        }
    };
}

impl_log!(
    MessageLog,
    Messages,
    MessageLogFilter,
    MessageLogEntry,
    messages
);
impl_log!(ActionLog, Actions, ActionLogFilter, ActionLogEntry, actions);
impl_log!(
    SearchLog,
    Searches,
    SearchLogFilter,
    SearchLogEntry,
    searches
);

/// The query string as the log's form and the cursor; an unparseable one is a 400.
fn form_of<F: DeserializeOwned>(req: &actix_web::HttpRequest) -> Result<F, DomainError> {
    web::Query::<F>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .map_err(|e| {
            DomainError::field(
                "query",
                adgang_api_types::FieldCode::Malformed,
                e.to_string(),
            )
        })
}

/// A page of `L`: checks the form, the cursor and the page size, records the lookups of a new
/// search (LOG-03; paging on does not look anyone up again) and reads one keyset page.
async fn page_of<L: Log>(
    scope: &OrgScope<L>,
    req: &actix_web::HttpRequest,
    lookups: &Lookups,
) -> Result<web::Json<LogPage<L::Entry>>, DomainError> {
    let read = lookups.read.get_ref();
    let form: L::Form = form_of(req)?;
    let cursor: CursorQuery = form_of(req)?;
    let org = scope.org.as_str();
    let search = L::check(org, &form, scope.now)?;
    let size = page_size(cursor.page_size.as_deref())?;
    let after = match cursor.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(raw) => Some(Position::decode(raw, L::KIND, org)?),
        None => None,
    };
    let (items, next) = L::page(read, &search, after.as_ref(), size).await?;
    if after.is_none() {
        // After reading, so a search of the searches log does not find itself.
        let who = &scope.principal.user_id;
        service::record_lookups(&read.0, &lookups.log, &search, None, who, scope.now).await?;
    }
    Ok(web::Json(LogPage {
        items,
        next_cursor: next.map(|p| p.encode(L::KIND, org)),
        page_size: size,
        from: search.period.from.to_string(),
        to: search.period.to.to_string(),
    }))
}

fn file_name(search: &Search) -> String {
    let log = match search.kind() {
        EventLogKind::Messages => "meddelelser",
        EventLogKind::Actions => "handlinger",
        EventLogKind::Searches => "soegninger",
    };
    format!(
        "haendelseslog-{log}-{}-til-{}.csv",
        search.period.from, search.period.to
    )
}

fn csv_response(name: &str) -> actix_web::HttpResponseBuilder {
    adgang_core::download::attachment_response("text/csv; charset=utf-8", name)
}

/// the whole search as one CSV response, streamed batch by batch in constant memory —
/// unless it matches more rows than `stream_limit` (then 409 `export_required`).
async fn csv_of<L: Log>(
    scope: &OrgScope<L>,
    req: &actix_web::HttpRequest,
    lookups: &Lookups,
    settings: &EventLogSettings,
) -> Result<HttpResponse, DomainError> {
    let read = lookups.read.get_ref();
    let form: L::Form = form_of(req)?;
    let search = L::check(scope.org.as_str(), &form, scope.now)?;
    let rows = service::count(&read.0, &search, settings.stream_limit + 1).await?;
    if rows > settings.stream_limit {
        return Err(EventLogError::ExportRequired {
            rows,
            limit: settings.stream_limit,
        }
        .into());
    }
    // Not above the limit, so `rows` is the exact count.
    let who = &scope.principal.user_id;
    service::record_lookups(&read.0, &lookups.log, &search, Some(rows), who, scope.now).await?;
    let name = file_name(&search);
    // Two steps in flight: a task reads batch n+1 while the response renders and writes batch
    // n, so the database and the rendering work at the same time.
    let (sender, receiver) = tokio::sync::mpsc::channel(2);
    let db = read.0.clone();
    let holders = req
        .app_data::<web::Data<dyn MailAccessHolders>>()
        .cloned()
        .ok_or_else(|| DomainError::Unexpected(anyhow::anyhow!("no mail-access port")))?;
    actix_web::rt::spawn(async move {
        let mut after = None;
        loop {
            let batch = service::batch(&db, holders.get_ref(), &search, after.as_ref(), BATCH);
            let read = match batch.await {
                Ok(rows) => rows.last().map(|next| (rows, next)),
                Err(err) => Err(err),
            };
            let (rows, next) = match read {
                Ok(read) => read,
                Err(err) => {
                    let _ = sender.send(Err(err)).await;
                    return;
                }
            };
            let last = rows.len() < BATCH;
            // A closed channel: the client went away.
            if sender.send(Ok(rows)).await.is_err() || last {
                return;
            }
            after = next;
        }
    });
    let stream =
        futures_util::stream::unfold((receiver, true), |(mut receiver, first)| async move {
            // Rendered on tokio's blocking pool, so this worker's thread is free to take in
            // the next batch meanwhile (on PostgreSQL it is also the thread that reads the
            // socket): reading and rendering run on both cores.
            let rendered = match receiver.recv().await? {
                Ok(rows) => tokio::task::spawn_blocking(move || rows.render(first))
                    .await
                    .unwrap_or_else(|e| Err(anyhow::anyhow!("CSV rendering: {e}").into())),
                Err(err) => Err(err),
            };
            let item = rendered.map(Bytes::from).map_err(|err| {
                // The status is sent; cutting the body short is all that is left to say.
                tracing::error!(error = ?err, "CSV stream failed");
                actix_web::error::ErrorInternalServerError("CSV stream failed")
            });
            Some((item, (receiver, false)))
        });
    Ok(csv_response(&name).streaming(stream))
}

/// queues an export job of the search in the body (the same fields as the query of the
/// search) and answers 202 with its progress resource.
async fn export_of<L: Log>(
    scope: &OrgScope<L>,
    body: JsonBody,
    lookups: &Lookups,
    write: &DatabaseConnection,
) -> Result<HttpResponse, DomainError> {
    let read = lookups.read.get_ref();
    let form: L::Form = body.parse().await?;
    let search = L::check(scope.org.as_str(), &form, scope.now)?;
    let rows = service::count(&read.0, &search, u64::MAX >> 1).await?;
    let who = &scope.principal.user_id;
    service::record_lookups(&read.0, &lookups.log, &search, Some(rows), who, scope.now).await?;
    let export = exports::create(write, &search, rows, &scope.actor.to_string(), scope.now).await?;
    Ok(HttpResponse::Accepted()
        .insert_header((
            header::LOCATION,
            format!(
                "/api/v1/organisations/{}/events/exports/{}",
                scope.org, export.id
            ),
        ))
        .json(export))
}

macro_rules! log_endpoints {
    ($log:ty, $form:ty, $entry:ty, $what:literal,
     $page:ident = $path:literal, $csv:ident = $csv_path:literal,
     $export:ident = $export_path:literal) => {
        #[utoipa::path(
            summary = concat!("Search the ", $what),
            description = concat!("Searches the ", $what, ", newest first, one keyset page at a time (`nextCursor`). ",
                "Without `from`/`to` the last 3 months (LOG-04). A search by CPR or CVR is recorded in ",
                "the searches log (LOG-03)."),
            params(OrgPath, $form, CursorQuery),
            responses(
                (status = 200, description = "One page", body = LogPage<$entry>),
                problems::BadRequest,
                problems::Scope,
            )
        )]
        #[get($path)]
        async fn $page(
            scope: OrgScope<$log>,
            req: actix_web::HttpRequest,
            lookups: Lookups,
        ) -> Result<web::Json<LogPage<$entry>>, DomainError> {
            page_of(&scope, &req, &lookups).await
        }

        #[utoipa::path(
            summary = concat!("Download a search of the ", $what, " as CSV"),
            description = concat!("The whole search of the ", $what, " as CSV for Excel (UTF-8 with BOM, `;`, ",
                "Danish headings, Copenhagen times), streamed. More rows than the server streams at ",
                "once: 409 `export_required` — ask for an export instead (X-05)."),
            params(OrgPath, $form),
            responses(
                (status = 200, description = "The CSV file", content_type = "text/csv", body = String),
                problems::BadRequest,
                problems::Scope,
                problems::Conflict,
            )
        )]
        #[get($csv_path)]
        async fn $csv(
            scope: OrgScope<$log>,
            req: actix_web::HttpRequest,
            lookups: Lookups,
            settings: web::Data<EventLogSettings>,
        ) -> Result<HttpResponse, DomainError> {
            csv_of(&scope, &req, &lookups, &settings).await
        }

        #[utoipa::path(
            summary = concat!("Export a search of the ", $what, " in the background"),
            description = concat!("Starts a background CSV export of a search of the ", $what, " (the body ",
                "has the search's fields); 202 with the job, whose progress and file are at ",
                "`…/events/exports/{id}` (X-05)."),
            params(OrgPath),
            request_body = $form,
            responses(
                (status = 202, description = "The export job", body = LogExport),
                problems::BadRequest,
                problems::Scope,
                problems::TooLarge,
                problems::UnsupportedMediaType,
            )
        )]
        #[post($export_path)]
        async fn $export(
            scope: OrgScope<$log>,
            body: JsonBody,
            lookups: Lookups,
            write: web::Data<DatabaseConnection>,
        ) -> Result<HttpResponse, DomainError> {
            export_of(&scope, body, &lookups, &write).await
        }
    };
}

log_endpoints!(
    MessageLog,
    MessageLogFilter,
    MessageLogEntry,
    "message log (LOG-01; rights `log_messages`, `citizen_service`, `business_service`)",
    message_log = "/organisations/{cvr}/events/messages",
    message_log_csv = "/organisations/{cvr}/events/messages/csv",
    message_log_export = "/organisations/{cvr}/events/messages/exports"
);
log_endpoints!(
    ActionLog,
    ActionLogFilter,
    ActionLogEntry,
    "actions log (LOG-02; rights `log_actions`, `citizen_service`, `business_service`)",
    action_log = "/organisations/{cvr}/events/actions",
    action_log_csv = "/organisations/{cvr}/events/actions/csv",
    action_log_export = "/organisations/{cvr}/events/actions/exports"
);
log_endpoints!(
    SearchLog,
    SearchLogFilter,
    SearchLogEntry,
    "searches log (LOG-03; right `log_searches`)",
    search_log = "/organisations/{cvr}/events/searches",
    search_log_csv = "/organisations/{cvr}/events/searches/csv",
    search_log_export = "/organisations/{cvr}/events/searches/exports"
);

/// The organisation's export `id` when the caller's rights open its log.
async fn own_export(
    scope: &OrgScope<EventLog>,
    db: &DatabaseConnection,
    id: &str,
) -> Result<crate::entity::log_export::Model, DomainError> {
    let export = exports::find(db, scope.org.as_str(), id, scope.now).await?;
    let log = EventLogKind::parse(&export.log)
        .ok_or_else(|| DomainError::Unexpected(anyhow::anyhow!("export of an unknown log")))?;
    open(&scope.principal, log)?;
    Ok(export)
}

/// An export job's progress: rows written of rows matched; when `done`, the file is at
/// `…/file` until `expiresAt`.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The export job", body = LogExport),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/events/exports/{id}")]
async fn get_log_export(
    scope: OrgScope<EventLog>,
    path: web::Path<ItemPath>,
    db: web::Data<DatabaseConnection>,
) -> Result<web::Json<LogExport>, DomainError> {
    let export = own_export(&scope, &db, &path.id).await?;
    Ok(web::Json(exports::view(export)))
}

/// A finished export's CSV file, streamed chunk by chunk; 409 `export_not_ready` while it
/// is being made, 404 once it has expired.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The CSV file", content_type = "text/csv", body = String),
        problems::Scope,
        problems::Conflict,
    )
)]
#[get("/organisations/{cvr}/events/exports/{id}/file")]
async fn download_log_export(
    scope: OrgScope<EventLog>,
    path: web::Path<ItemPath>,
    db: web::Data<DatabaseConnection>,
) -> Result<HttpResponse, DomainError> {
    let export = own_export(&scope, &db, &path.id).await?;
    let view = exports::view(export.clone());
    if view.status != ExportStatus::Done {
        return Err(EventLogError::ExportNotReady.into());
    }
    let search: Search =
        serde_json::from_str(&export.filter).map_err(|e| DomainError::Unexpected(e.into()))?;
    let db = db.get_ref().clone();
    let stream = futures_util::stream::unfold(Some(0i32), move |seq| {
        let (db, id) = (db.clone(), export.id.clone());
        async move {
            let seq = seq?;
            match exports::chunk(&db, &id, seq).await {
                Ok(Some(bytes)) => {
                    Some((Ok::<_, actix_web::Error>(Bytes::from(bytes)), Some(seq + 1)))
                }
                Ok(None) => None,
                Err(err) => {
                    tracing::error!(error = ?err, "export download failed");
                    Some((
                        Err(actix_web::error::ErrorInternalServerError(
                            "download failed",
                        )),
                        None,
                    ))
                }
            }
        }
    });
    Ok(csv_response(&file_name(&search)).streaming(stream))
}
