//! System connection (SPEC §2).

use adgang_api_types::{
    ApiKey, NewSystem, Page, StandardSystem, System, SystemReceipt, SystemSummary, SystemUpdate,
};
use gloo_net::http::Method;

use super::{request_as, send, send_no_content, ApiError};

fn base(cvr: &str) -> String {
    format!("/api/v1/organisations/{cvr}/systems")
}

pub async fn list(token: &str, cvr: &str) -> Result<Page<SystemSummary>, ApiError> {
    send(request_as(Method::GET, &format!("{}?pageSize=500", base(cvr)), token).build()).await
}

pub async fn get(token: &str, cvr: &str, id: &str) -> Result<System, ApiError> {
    send(request_as(Method::GET, &format!("{}/{id}", base(cvr)), token).build()).await
}

pub async fn create(token: &str, cvr: &str, new: &NewSystem) -> Result<SystemReceipt, ApiError> {
    send(request_as(Method::POST, &base(cvr), token).json(new)).await
}

pub async fn update(
    token: &str,
    cvr: &str,
    id: &str,
    update: &SystemUpdate,
) -> Result<SystemReceipt, ApiError> {
    send(request_as(Method::PUT, &format!("{}/{id}", base(cvr)), token).json(update)).await
}

pub async fn delete(token: &str, cvr: &str, id: &str) -> Result<(), ApiError> {
    send_no_content(request_as(Method::DELETE, &format!("{}/{id}", base(cvr)), token).build()).await
}

pub async fn make_primary(token: &str, cvr: &str, id: &str) -> Result<System, ApiError> {
    send(request_as(Method::POST, &format!("{}/{id}/primary", base(cvr)), token).build()).await
}

pub async fn reveal_api_key(token: &str, cvr: &str, id: &str) -> Result<ApiKey, ApiError> {
    send(request_as(Method::GET, &format!("{}/{id}/api-key", base(cvr)), token).build()).await
}

/// SYS-04: a new API key; the old one stops working at once.
pub async fn rotate_api_key(token: &str, cvr: &str, id: &str) -> Result<ApiKey, ApiError> {
    let path = format!("{}/{id}/api-key/rotation", base(cvr));
    send(request_as(Method::POST, &path, token).build()).await
}

pub async fn standard_systems(token: &str) -> Result<Vec<StandardSystem>, ApiError> {
    send(request_as(Method::GET, "/api/v1/standard-systems", token).build()).await
}
