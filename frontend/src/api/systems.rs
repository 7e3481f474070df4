//! System connection (SPEC §2).

use adgang_api_types::{
    ApiKey, DeliveryAttempt, NewStandardSystem, NewSystem, Page, PublishedStandardSystem,
    StandardSystem, System, SystemReceipt, SystemSummary, SystemUpdate,
};
use gloo_net::http::Method;

use super::{request_as, send, send_no_content, ApiError, Authorised};

fn base(cvr: &str) -> String {
    format!("/api/v1/organisations/{cvr}/systems")
}

/// SYS-11, X-03: one page of the overview, sorted by name (`descending`: Å to A).
pub async fn list(
    client: &Authorised,
    page: u64,
    page_size: u64,
    descending: bool,
) -> Result<Page<SystemSummary>, ApiError> {
    let direction = if descending { "desc" } else { "asc" };
    send(
        request_as(
            Method::GET,
            &format!(
                "{}?page={page}&pageSize={page_size}&sort=name:{direction}",
                base(&client.cvr)
            ),
            &client.token,
        )
        .build(),
    )
    .await
}

pub async fn get(client: &Authorised, id: &str) -> Result<System, ApiError> {
    send(
        request_as(
            Method::GET,
            &format!("{}/{id}", base(&client.cvr)),
            &client.token,
        )
        .build(),
    )
    .await
}

pub async fn create(client: &Authorised, new: &NewSystem) -> Result<SystemReceipt, ApiError> {
    send(request_as(Method::POST, &base(&client.cvr), &client.token).json(new)).await
}

/// the API's judgement of a draft, without creating it (`dryRun`).
pub async fn check(client: &Authorised, new: &NewSystem) -> Result<(), ApiError> {
    let path = format!("{}?dryRun=true", base(&client.cvr));
    send_no_content(request_as(Method::POST, &path, &client.token).json(new)).await
}

pub async fn update(
    client: &Authorised,
    id: &str,
    update: &SystemUpdate,
) -> Result<SystemReceipt, ApiError> {
    send(
        request_as(
            Method::PUT,
            &format!("{}/{id}", base(&client.cvr)),
            &client.token,
        )
        .json(update),
    )
    .await
}

pub async fn delete(client: &Authorised, id: &str) -> Result<(), ApiError> {
    send_no_content(
        request_as(
            Method::DELETE,
            &format!("{}/{id}", base(&client.cvr)),
            &client.token,
        )
        .build(),
    )
    .await
}

pub async fn make_primary(client: &Authorised, id: &str) -> Result<System, ApiError> {
    send(
        request_as(
            Method::POST,
            &format!("{}/{id}/primary", base(&client.cvr)),
            &client.token,
        )
        .build(),
    )
    .await
}

pub async fn reveal_api_key(client: &Authorised, id: &str) -> Result<ApiKey, ApiError> {
    send(
        request_as(
            Method::GET,
            &format!("{}/{id}/api-key", base(&client.cvr)),
            &client.token,
        )
        .build(),
    )
    .await
}

/// SYS-04: a new API key; the old one stops working at once.
pub async fn rotate_api_key(client: &Authorised, id: &str) -> Result<ApiKey, ApiError> {
    let path = format!("{}/{id}/api-key/rotation", base(&client.cvr));
    send(request_as(Method::POST, &path, &client.token).build()).await
}

/// Issue 14 item 7: the latest 50 delivery attempts to the system's endpoint, newest first
/// (the first page of X-03's paged list).
pub async fn delivery_attempts(
    client: &Authorised,
    id: &str,
) -> Result<Vec<DeliveryAttempt>, ApiError> {
    let path = format!("{}/{id}/delivery-attempts?pageSize=50", base(&client.cvr));
    let page: Page<DeliveryAttempt> =
        send(request_as(Method::GET, &path, &client.token).build()).await?;
    Ok(page.items)
}

/// Issue 14 item 7: push a harmless test message to the endpoint now.
pub async fn send_test_message(client: &Authorised, id: &str) -> Result<DeliveryAttempt, ApiError> {
    let path = format!("{}/{id}/test-message", base(&client.cvr));
    send(request_as(Method::POST, &path, &client.token).build()).await
}

/// SYS-09: the catalogue by name (the first 500 of X-03's paged list).
pub async fn standard_systems(client: &Authorised) -> Result<Vec<StandardSystem>, ApiError> {
    let path = "/api/v1/standard-systems?pageSize=500";
    let page: Page<StandardSystem> =
        send(request_as(Method::GET, path, &client.token).build()).await?;
    Ok(page.items)
}

fn own_standard(cvr: &str) -> String {
    format!("/api/v1/organisations/{cvr}/standard-systems")
}

/// SYS-09: the vendor's own published standard systems, by name (the first 500).
pub async fn own_standard_systems(
    client: &Authorised,
) -> Result<Vec<PublishedStandardSystem>, ApiError> {
    let path = format!("{}?pageSize=500", own_standard(&client.cvr));
    let page: Page<PublishedStandardSystem> =
        send(request_as(Method::GET, &path, &client.token).build()).await?;
    Ok(page.items)
}

/// SYS-09: publish (`id` None) or edit a standard system.
pub async fn save_standard(
    client: &Authorised,
    id: Option<&str>,
    body: &NewStandardSystem,
) -> Result<StandardSystem, ApiError> {
    let request = match id {
        Some(id) => request_as(
            Method::PUT,
            &format!("{}/{id}", own_standard(&client.cvr)),
            &client.token,
        ),
        None => request_as(Method::POST, &own_standard(&client.cvr), &client.token),
    };
    send(request.json(body)).await
}

/// SYS-09: withdraw a standard system from the catalogue.
pub async fn withdraw_standard(client: &Authorised, id: &str) -> Result<(), ApiError> {
    let path = format!("{}/{id}", own_standard(&client.cvr));
    send_no_content(request_as(Method::DELETE, &path, &client.token).build()).await
}
