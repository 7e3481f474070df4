//! Statistics (SPEC §11): the overview, orders, details, cancel and the CSV download.

use adgang_api_types::{NewCustomReport, NewSubscription, Page, StatisticsReport};
use gloo_net::http::Method;

use super::{request_as, send, send_no_content, ApiError, Authorised};

fn path(client: &Authorised, rest: &str) -> String {
    format!("/api/v1/organisations/{}/statistics{rest}", client.cvr)
}

/// ST-05: the reports ordered or ready, newest first (the first 500 of X-03's paged list).
pub async fn list(client: &Authorised) -> Result<Vec<StatisticsReport>, ApiError> {
    let page: Page<StatisticsReport> = send(
        request_as(
            Method::GET,
            &path(client, "/reports?pageSize=500"),
            &client.token,
        )
        .build(),
    )
    .await?;
    Ok(page.items)
}

/// ST-05 "Se detaljer".
pub async fn get(client: &Authorised, id: &str) -> Result<StatisticsReport, ApiError> {
    let path = path(client, &format!("/reports/{id}"));
    send(request_as(Method::GET, &path, &client.token).build()).await
}

/// ST-02 "Bestil standardrapport".
pub async fn subscribe(
    client: &Authorised,
    order: &NewSubscription,
) -> Result<StatisticsReport, ApiError> {
    let path = path(client, "/subscriptions");
    send(request_as(Method::POST, &path, &client.token).json(order)).await
}

/// ST-04 "Bestil brugerdefineret rapport".
pub async fn order_custom(
    client: &Authorised,
    order: &NewCustomReport,
) -> Result<StatisticsReport, ApiError> {
    let path = path(client, "/custom-reports");
    send(request_as(Method::POST, &path, &client.token).json(order)).await
}

/// ST-03 "Opsig rapport".
pub async fn cancel(client: &Authorised, id: &str) -> Result<(), ApiError> {
    let path = path(client, &format!("/reports/{id}"));
    send_no_content(request_as(Method::DELETE, &path, &client.token).build()).await
}

/// ST-05 "Download rapport": the CSV, saved by the browser.
pub async fn download(client: &Authorised, report: &StatisticsReport) -> Result<(), ApiError> {
    let period = report
        .period
        .map(|p| format!("-{}-{}", p.from, p.to))
        .unwrap_or_default();
    client
        .download(
            &format!("/statistics/reports/{}/file", report.id),
            &format!("statistik{period}.csv"),
        )
        .await
}
