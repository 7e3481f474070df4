//! The event log (SPEC §4): a page of a log, its CSV download and export jobs. The filters
//! travel as the query string the page keeps in its URL, so what is searched is what is linked.

use adgang_api_types::{
    ActionLogEntry, EventLogKind, LogExport, LogPage, MessageLogEntry, SearchLogEntry,
};
use gloo_net::http::Method;

use super::{request_as, send, ApiError, Authorised};

/// A log's path segment in the API.
fn base(client: &Authorised, log: EventLogKind) -> String {
    format!(
        "/api/v1/organisations/{}/events/{}",
        client.cvr,
        log.as_str()
    )
}

/// One page of a log, whichever it is.
#[derive(Clone)]
pub enum Rows {
    Messages(LogPage<MessageLogEntry>),
    Actions(LogPage<ActionLogEntry>),
    Searches(LogPage<SearchLogEntry>),
}

/// The page after `cursor` (none: the first) of the search `query` (`a=b&c=d`, encoded).
pub async fn page(
    client: &Authorised,
    log: EventLogKind,
    query: &str,
    cursor: Option<&str>,
) -> Result<Rows, ApiError> {
    let mut path = format!("{}?{query}&pageSize=50", base(client, log));
    if let Some(cursor) = cursor {
        path.push_str(&format!("&cursor={}", super::encode(cursor)));
    }
    let request = request_as(Method::GET, &path, &client.token).build();
    Ok(match log {
        EventLogKind::Messages => Rows::Messages(send(request).await?),
        EventLogKind::Actions => Rows::Actions(send(request).await?),
        EventLogKind::Searches => Rows::Searches(send(request).await?),
    })
}

/// Downloads the search as CSV; a search too large to stream answers 409 `export_required`.
pub async fn download_csv(
    client: &Authorised,
    log: EventLogKind,
    query: &str,
    file_name: &str,
) -> Result<(), ApiError> {
    let path = format!("{}/csv?{query}", base(client, log));
    super::download(&path, &client.token, file_name).await
}

/// Starts an export job of the search (its filters as the JSON body).
pub async fn start_export(
    client: &Authorised,
    log: EventLogKind,
    filter: &serde_json::Value,
) -> Result<LogExport, ApiError> {
    let path = format!("{}/exports", base(client, log));
    send(request_as(Method::POST, &path, &client.token).json(filter)).await
}

pub async fn export(client: &Authorised, id: &str) -> Result<LogExport, ApiError> {
    let path = format!(
        "/api/v1/organisations/{}/events/exports/{}",
        client.cvr,
        super::encode(id)
    );
    send(request_as(Method::GET, &path, &client.token).build()).await
}

pub async fn download_export(
    client: &Authorised,
    id: &str,
    file_name: &str,
) -> Result<(), ApiError> {
    client
        .download(
            &format!("/events/exports/{}/file", super::encode(id)),
            file_name,
        )
        .await
}
